//! The command line as clap reads it: every subcommand and its flags (the interface the
//! README documents). What each does lives in the file of its group; the council sessions'
//! flags (sessions, points, votes, the governor's steps, papers, the calendar) are in `sessions.rs`,
//! and those of the data going in and out (backups, exports, bundles, the national registry,
//! imports) in `exchange.rs`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use taawun_core::model::Entity;
use taawun_core::store::ListQuery;
use taawun_core::Lang;

mod exchange;
mod sessions;
pub(crate) use exchange::*;
pub(crate) use sessions::*;

#[derive(Parser)]
#[command(
    name = "taawun-cli",
    version,
    about = "Taawun: the council's decentralized cooperation registry, from the command line"
)]
pub(crate) struct Cli {
    /// Database file (default: $TAAWUN_DB, else the user's data dir)
    #[arg(long, global = true)]
    pub db: Option<PathBuf>,
    /// Language of messages: ar, fr or en (before the subcommand; `sheet` has its own --lang
    /// for the language of the printed sheet)
    #[arg(long)]
    pub lang: Option<Lang>,
    /// Machine-readable output
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Create the database (or bring it up to date) and print where it is
    Init,
    /// Load the council's real sample records, or move them to the trash with --remove
    Sample(SampleArgs),
    /// One page of a list: partners, agreements, projects or memberships
    List(ListArgs),
    /// One record with its linked records
    Show(ShowArgs),
    /// Add a record from flags, or from a JSON object with --from-json FILE (- for stdin)
    Add(Box<AddArgs>),
    /// Replace a record's fields with a JSON object (FILE, or - for stdin)
    Update(UpdateArgs),
    /// Change an agreement's status, dated
    Status(StatusArgs),
    /// What changed on a record, newest first
    History(HistoryArgs),
    /// Move a record to the trash (refused while others refer to it)
    Delete(DeleteArgs),
    /// Mark a record imported to complete as complete as it stands (`complete KIND ID`)
    Complete(DeleteArgs),
    /// Bring a record back from the trash (`restore KIND ID`), or restore a backup file into the
    /// data folder (`restore FILE [--into DIR]`; default: the folder of --db), checked before
    /// anything is replaced, the previous folder kept beside it
    Restore(RestoreArgs),
    /// Records in the trash
    Trash,
    /// Counts and what needs attention
    Home,
    /// The council's cooperation at a glance: agreements by year, status, kind and direction,
    /// funding per fund and currency, activities and people trained, partner countries,
    /// memberships and dues (--year YEAR for one year)
    Figures(FiguresArgs),
    /// Print the annual cooperation report of a year to a PDF (cover and figures, charts and the
    /// partners' map, agreements in effect, sessions and deliberations, projects and budget lines,
    /// memberships and dues): report --year YEAR [--lang ar|fr|both] -o FILE.pdf
    Report(ReportArgs),
    /// Realistic synthetic records for benchmarks and trials
    Generate(GenerateArgs),
    /// ISO country codes with their names
    Countries,
    /// Attach files to a record: --to agreement:3 FILE...
    Attach(AttachArgs),
    /// The documents of a record (kind:id), or all of them
    Documents(DocumentsArgs),
    /// Re-hash every file of the vault: missing, altered and unreferenced files
    Verify,
    /// Copy a document's file out of the vault, checked against its hash
    ExportDocument(ExportDocumentArgs),
    /// The vault: `vault gc [--dry-run]` removes files no document refers to
    Vault(VaultArgs),
    /// The Hijri date of a day in Morocco (today if none), said to be a forecast when its month is not announced yet
    Hijri(HijriArgs),
    /// The public holidays of a year (this year if none)
    Holidays(HolidaysArgs),
    /// The holiday rules (fixed days, Hijri days, corrections) as JSON; replace them with
    /// --from-json FILE (checked: real days, corrections of -1, 0 or +1)
    HolidayRules(HolidayRulesArgs),
    /// The N-th working day after DATE (weekends and public holidays skipped)
    Workdays(WorkdaysArgs),
    /// Move a Hijri month SHIFT days (-1, 0, +1) from the day Taawun has for it (0 confirms it)
    #[command(allow_negative_numbers = true)]
    HijriCorrection(HijriCorrectionArgs),
    /// A Hijri month in Morocco: its first day and what it rests on (announced, the officer's, forecast);
    /// `--starts DATE` records the Ministry's announcement, `--clear` forgets the officer's entry
    HijriMonth(HijriMonthArgs),
    /// Council sessions: add, list, show
    Session(SessionArgs),
    /// Agenda points: add, move, list
    Point(PointArgs),
    /// Record the council's vote on an agenda point
    Deliberate(DeliberateArgs),
    /// Record the sending of a session's minutes to the governor, and their receipt
    Notify(NotifyArgs),
    /// Record the governor's opposition to a deliberation
    Oppose(OpposeArgs),
    /// Record the visa of a deliberation: pending, granted, deemed_granted or refused
    Visa(VisaArgs),
    /// Print an agreement's fact sheet to a PDF: --agreement ID [--lang ar|fr|both] -o FILE.pdf
    Sheet(SheetArgs),
    /// Export a session's deliberation dossier (or one point's) to a PDF, the signed documents
    /// appended: --session ID [--point ID] [--lang ar|fr|both] -o FILE.pdf
    Dossier(DossierArgs),
    /// Print a paper of a session to a PDF: KIND is convocation, agenda, attendance, minutes,
    /// decision (with --point) or transmittal: print KIND --session ID [--point ID]
    /// [--lang ar|fr|both] -o FILE.pdf
    Print(PrintArgs),
    /// The sittings and every open deadline as an iCalendar file for the officer's agenda:
    /// calendar -o FILE.ics [--at DATE]
    Calendar(CalendarArgs),
    /// The council's identity on printed documents (letterhead lines, address, emblem) as JSON;
    /// replace it with --from-json FILE, set the emblem with --emblem IMAGE or remove it with
    /// --no-emblem
    Identity(IdentityArgs),
    /// Find records by typing part of a name (Arabic-aware: hamza forms, ة/ه, ى/ي, harakat,
    /// articles and prefixes; Latin accents and case)
    Search(SearchArgs),
    /// A one-file backup (database and documents): `backup -o FILE`, or `backup verify FILE`
    #[command(args_conflicts_with_subcommands = true)]
    Backup(BackupArgs),
    /// Export a list (with its filters) to a spreadsheet: export agreements --format xlsx -o FILE
    Export(ExportArgs),
    /// Import partners, agreements, projects or memberships from an XLSX/XLS/ODS/CSV file:
    /// shows what each row becomes, then writes all in one transaction (--dry-run: only shows)
    Import(ImportArgs),
    /// Publish the council's registry (what changed since the last publish to that server) to
    /// the national registry on PostgreSQL: publish --to postgresql://USER@HOST/DATABASE
    /// (password from PGPASSWORD or the address; never stored)
    Publish(PublishArgs),
    /// Exchange with the other desks of the council: bundle export [--for DESK | --since STAMP] -o FILE,
    /// bundle import FILE, bundle conflicts, bundle resolve ID --take local|remote, bundle desk [--name NAME]
    Bundle(BundleArgs),
    /// Every open deadline, by date, with the rule that produced it
    Due(DueArgs),
    /// Show the legal delays and rules, or change them
    Legal(LegalArgs),
}

#[derive(Args)]
pub(crate) struct SampleArgs {
    #[arg(long)]
    pub remove: bool,
}

#[derive(Args)]
pub(crate) struct ShowArgs {
    pub kind: Entity,
    pub id: i64,
}

#[derive(Args)]
pub(crate) struct UpdateArgs {
    pub kind: Entity,
    pub id: i64,
    pub from_json: PathBuf,
}

#[derive(Args)]
pub(crate) struct StatusArgs {
    pub id: i64,
    pub status: String,
    #[arg(long)]
    pub on: Option<String>,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Args)]
pub(crate) struct HistoryArgs {
    pub kind: Entity,
    pub id: i64,
}

#[derive(Args)]
pub(crate) struct DeleteArgs {
    pub kind: Entity,
    pub id: i64,
}

#[derive(Args)]
pub(crate) struct RestoreArgs {
    /// A record kind (with ID), or a backup file
    pub what: String,
    pub id: Option<i64>,
    #[arg(long)]
    pub into: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct FiguresArgs {
    /// Only what belongs to this year (agreements signed in it, projects and activities running
    /// in it, memberships held in it)
    #[arg(long)]
    pub year: Option<i32>,
}

#[derive(Args)]
pub(crate) struct ReportArgs {
    #[arg(long)]
    pub year: i32,
    #[arg(long, default_value = "ar")]
    pub lang: String,
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Args)]
pub(crate) struct GenerateArgs {
    #[arg(long, default_value_t = 0)]
    pub partners: u32,
    #[arg(long, default_value_t = 0)]
    pub agreements: u32,
    #[arg(long, default_value_t = 2018)]
    pub seed: u64,
    #[arg(long, default_value_t = 0)]
    pub sessions: u32,
    #[arg(long, default_value_t = 0)]
    pub points_per_session: u32,
}

#[derive(Args)]
pub(crate) struct AttachArgs {
    #[arg(long)]
    pub to: String,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, default_value = "signed_original")]
    pub kind: String,
    #[arg(long, default_value = "")]
    pub title: String,
    /// Largest file accepted for this attach, in bytes (default: the setting
    /// `vault.size_limit`, 2 GiB unless changed)
    #[arg(long)]
    pub max_size: Option<u64>,
}

#[derive(Args)]
pub(crate) struct DocumentsArgs {
    pub of: Option<String>,
}

#[derive(Args)]
pub(crate) struct ExportDocumentArgs {
    pub id: i64,
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Args)]
pub(crate) struct VaultArgs {
    #[command(subcommand)]
    pub action: VaultAction,
}

#[derive(Args)]
pub(crate) struct HijriArgs {
    pub date: Option<String>,
}

#[derive(Args)]
pub(crate) struct HolidaysArgs {
    #[arg(long)]
    pub year: Option<i32>,
}

#[derive(Args)]
pub(crate) struct HolidayRulesArgs {
    #[arg(long)]
    pub from_json: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct WorkdaysArgs {
    pub date: String,
    pub n: u32,
}

#[derive(Args)]
pub(crate) struct HijriCorrectionArgs {
    pub year: i32,
    pub month: u8,
    pub shift: i8,
}

#[derive(Args)]
pub(crate) struct HijriMonthArgs {
    pub year: i32,
    pub month: u8,
    /// The first day of the month as the Ministry announced it (YYYY-MM-DD)
    #[arg(long, conflicts_with = "clear")]
    pub starts: Option<String>,
    /// Forget the day the officer entered: the month is announced or forecast again
    #[arg(long)]
    pub clear: bool,
}

#[derive(Args)]
pub(crate) struct SheetArgs {
    #[arg(long)]
    pub agreement: i64,
    #[arg(long, default_value = "ar")]
    pub lang: String,
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Args)]
pub(crate) struct DossierArgs {
    #[arg(long)]
    pub session: i64,
    #[arg(long)]
    pub point: Option<i64>,
    #[arg(long, default_value = "ar")]
    pub lang: String,
    /// print: the annexes' pages after their dividers; archive: PDF/A-3 with each signed
    /// original attached byte for byte
    #[arg(long, default_value = "print")]
    pub edition: String,
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

#[derive(Args)]
pub(crate) struct IdentityArgs {
    #[arg(long)]
    pub from_json: Option<PathBuf>,
    #[arg(long, conflicts_with = "no_emblem")]
    pub emblem: Option<PathBuf>,
    #[arg(long)]
    pub no_emblem: bool,
}

#[derive(Args)]
pub(crate) struct SearchArgs {
    pub query: String,
    #[arg(long)]
    pub kind: Option<Entity>,
    #[arg(long, default_value = "")]
    pub country: String,
    #[arg(long, default_value = "")]
    pub status: String,
    #[arg(long)]
    pub year: Option<i32>,
    /// A funding source (part of its name): its projects and their agreements
    #[arg(long, default_value = "")]
    pub fund: String,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

#[derive(Subcommand)]
pub(crate) enum VaultAction {
    /// List (with --dry-run) or remove the files no document refers to
    Gc {
        #[arg(long)]
        dry_run: bool,
    },
    /// Show the largest file accepted, or set it in bytes (0: back to the 2 GiB default)
    Limit { bytes: Option<u64> },
}

#[derive(Args)]
pub(crate) struct ListArgs {
    pub kind: Entity,
    #[arg(long)]
    pub limit: Option<u32>,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    /// Every row, page after page
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// The order: partners name_latin, name_ar, country, updated, created; agreements signed_on,
    /// title (the Arabic one), title_fr, status, expires, updated; projects start_on, title,
    /// title_fr, status, updated; memberships since, name, updated (titles sort with their numbers
    /// in numeric order)
    #[arg(long, default_value = "")]
    pub sort: String,
    #[arg(long)]
    pub desc: bool,
}

/// The filters of a list (`list`, `export`).
#[derive(Args)]
pub(crate) struct FilterArgs {
    /// Text in names, titles or reference
    #[arg(long, default_value = "")]
    pub q: String,
    /// Filter on the record's own kind (e.g. twinning, foreign_ngo)
    #[arg(long = "type", default_value = "")]
    pub type_: String,
    #[arg(long, default_value = "")]
    pub country: String,
    #[arg(long, default_value = "")]
    pub status: String,
    #[arg(long)]
    pub year: Option<i32>,
    /// Only the records imported to complete (agreements, projects, memberships)
    #[arg(long)]
    pub to_complete: bool,
}

impl FilterArgs {
    pub(crate) fn query(self) -> ListQuery {
        ListQuery {
            q: self.q,
            kind: self.type_,
            country: self.country,
            status: self.status,
            year: self.year,
            to_complete: self.to_complete,
            ..Default::default()
        }
    }
}

#[derive(Args)]
pub(crate) struct AddArgs {
    pub kind: Entity,
    /// A JSON object with the record's fields (FILE, or - for stdin)
    #[arg(long)]
    pub from_json: Option<PathBuf>,
    /// partner/agreement kind (e.g. foreign_collectivity, twinning)
    #[arg(long = "type")]
    pub type_: Option<String>,
    #[arg(long, default_value = "")]
    pub name_ar: String,
    #[arg(long, default_value = "")]
    pub name_latin: String,
    #[arg(long, default_value = "")]
    pub country: String,
    #[arg(long, default_value = "")]
    pub city: String,
    #[arg(long, default_value = "")]
    pub title_ar: String,
    #[arg(long, default_value = "")]
    pub title_fr: String,
    #[arg(long, default_value = "")]
    pub legal_basis: String,
    #[arg(long, default_value = "")]
    pub reference: String,
    /// A partner id (repeat for several parties)
    #[arg(long = "party")]
    pub parties: Vec<i64>,
    #[arg(long = "area")]
    pub areas: Vec<String>,
    #[arg(long, default_value = "")]
    pub signed_on: String,
    #[arg(long, default_value = "")]
    pub signed_at: String,
    #[arg(long)]
    pub duration_months: Option<u32>,
    #[arg(long, default_value = "")]
    pub end_on: String,
    #[arg(long)]
    pub agreement: Option<i64>,
    #[arg(long, default_value = "")]
    pub fund: String,
    #[arg(long, default_value = "")]
    pub fund_edition: String,
    #[arg(long, default_value = "")]
    pub start_on: String,
    /// Budget line PARTY:AMOUNT:CURRENCY, PARTY a partner id or "council" (repeatable)
    #[arg(long = "budget")]
    pub budget: Vec<String>,
    #[arg(long)]
    pub partner: Option<i64>,
    #[arg(long, default_value = "")]
    pub since: String,
    #[arg(long, default_value = "")]
    pub dues: String,
    #[arg(long, default_value = "MAD")]
    pub currency: String,
    #[arg(long, default_value = "")]
    pub notes: String,
    /// A member's mandate: the year it began (2021); with --type for the role (president,
    /// vice_president, secretary, deputy_secretary, member)
    #[arg(long)]
    pub mandate: Option<i32>,
    #[arg(long, default_value = "")]
    pub committee: String,
}
