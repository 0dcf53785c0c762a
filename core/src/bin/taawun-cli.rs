//! taawun-cli: the same operations as the window, without one.
//!
//! Global flags come before the subcommand: `--db PATH` (else `TAAWUN_DB`, else the user's data
//! dir), `--lang ar|fr|en`, `--json`. Exit code 0 on success; on error, one translated line on
//! stderr (or `{code, message, field}` with `--json`) and exit code 1.

use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use taawun_core::calendar::PartialDate;
use taawun_core::i18n::{tr, tr_args};
use taawun_core::model::*;
use taawun_core::store::{self, generate, ListQuery, Store};
use taawun_core::{country, Error, Lang};

#[derive(Parser)]
#[command(
    name = "taawun-cli",
    version,
    about = "Taawun: the council's decentralized cooperation registry, from the command line"
)]
struct Cli {
    /// Database file (default: $TAAWUN_DB, else the user's data dir)
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// Language of messages: ar, fr or en (before the subcommand; `sheet` has its own --lang
    /// for the language of the printed sheet)
    #[arg(long)]
    lang: Option<Lang>,
    /// Machine-readable output
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database (or bring it up to date) and print where it is
    Init,
    /// Load the council's real sample records, or move them to the trash with --remove
    Sample {
        #[arg(long)]
        remove: bool,
    },
    /// One page of a list: partners, agreements, projects or memberships
    List(ListArgs),
    /// One record with its linked records
    Show { kind: Entity, id: i64 },
    /// Add a record from flags, or from a JSON object with --from-json FILE (- for stdin)
    Add(AddArgs),
    /// Replace a record's fields with a JSON object (FILE, or - for stdin)
    Update { kind: Entity, id: i64, from_json: PathBuf },
    /// Change an agreement's status, dated
    Status {
        id: i64,
        status: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// What changed on a record, newest first
    History { kind: Entity, id: i64 },
    /// Move a record to the trash (refused while others refer to it)
    Delete { kind: Entity, id: i64 },
    /// Bring a record back from the trash (`restore KIND ID`), or restore a backup file into the
    /// data folder (`restore FILE [--into DIR]`; default: the folder of --db), checked before
    /// anything is replaced, the previous folder kept beside it
    Restore {
        /// A record kind (with ID), or a backup file
        what: String,
        id: Option<i64>,
        #[arg(long)]
        into: Option<PathBuf>,
    },
    /// Records in the trash
    Trash,
    /// Counts and what needs attention
    Home,
    /// Realistic synthetic records for benchmarks and trials
    Generate {
        #[arg(long, default_value_t = 0)]
        partners: u32,
        #[arg(long, default_value_t = 0)]
        agreements: u32,
        #[arg(long, default_value_t = 2018)]
        seed: u64,
        #[arg(long, default_value_t = 0)]
        sessions: u32,
        #[arg(long, default_value_t = 0)]
        points_per_session: u32,
    },
    /// ISO country codes with their names
    Countries,
    /// Attach files to a record: --to agreement:3 FILE...
    Attach {
        #[arg(long)]
        to: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, default_value = "signed_original")]
        kind: String,
        #[arg(long, default_value = "")]
        title: String,
        /// Largest file accepted for this attach, in bytes (default: the setting
        /// `vault.size_limit`, 2 GiB unless changed)
        #[arg(long)]
        max_size: Option<u64>,
    },
    /// The documents of a record (kind:id), or all of them
    Documents { of: Option<String> },
    /// Re-hash every file of the vault: missing, altered and unreferenced files
    Verify,
    /// Copy a document's file out of the vault, checked against its hash
    ExportDocument {
        id: i64,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The vault: `vault gc [--dry-run]` removes files no document refers to
    Vault {
        #[command(subcommand)]
        action: VaultAction,
    },
    /// The Hijri date of a day (today if none), with the Moroccan corrections
    Hijri { date: Option<String> },
    /// The public holidays of a year (this year if none)
    Holidays {
        #[arg(long)]
        year: Option<i32>,
    },
    /// The holiday rules (fixed days, Hijri days, corrections) as JSON; replace them with
    /// --from-json FILE (checked: real days, corrections of -1, 0 or +1)
    HolidayRules {
        #[arg(long)]
        from_json: Option<PathBuf>,
    },
    /// The N-th working day after DATE (weekends and public holidays skipped)
    Workdays { date: String, n: u32 },
    /// Record that Morocco started a Hijri month SHIFT days (-1, 0, +1) after the computed date
    #[command(allow_negative_numbers = true)]
    HijriCorrection { year: i32, month: u8, shift: i8 },
    /// Council sessions: add, list, show
    Session {
        #[command(subcommand)]
        action: SessionAction,
    },
    /// Agenda points: add, move, list
    Point {
        #[command(subcommand)]
        action: PointAction,
    },
    /// Record the council's vote on an agenda point
    Deliberate {
        point: i64,
        #[arg(long = "for")]
        votes_for: u32,
        #[arg(long, default_value_t = 0)]
        against: u32,
        #[arg(long, default_value_t = 0)]
        abstain: u32,
        /// Members present (default: the votes cast)
        #[arg(long)]
        present: Option<u32>,
        /// approved, rejected, postponed or withdrawn
        #[arg(long)]
        outcome: String,
        /// The day of the vote (default: the session's last sitting)
        #[arg(long)]
        on: Option<String>,
        /// The deliberation number (default: from the pattern, e.g. 2019/7)
        #[arg(long, default_value = "")]
        number: String,
        #[arg(long, default_value = "")]
        text: String,
    },
    /// Record the sending of a session's minutes to the governor, and their receipt
    Notify {
        session: i64,
        #[arg(long)]
        sent: String,
        #[arg(long, default_value = "")]
        receipt: String,
    },
    /// Record the governor's opposition to a deliberation
    Oppose {
        deliberation: i64,
        #[arg(long)]
        on: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Record the visa of a deliberation: pending, granted, deemed_granted or refused
    Visa {
        deliberation: i64,
        #[arg(long)]
        status: String,
        #[arg(long, default_value = "")]
        on: String,
        #[arg(long, default_value = "")]
        reference: String,
    },
    /// Print an agreement's fact sheet to a PDF: --agreement ID [--lang ar|fr|both] -o FILE.pdf
    Sheet {
        #[arg(long)]
        agreement: i64,
        #[arg(long, default_value = "ar")]
        lang: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Export a session's deliberation dossier (or one point's) to a PDF, the signed documents
    /// appended: --session ID [--point ID] [--lang ar|fr|both] -o FILE.pdf
    Dossier {
        #[arg(long)]
        session: i64,
        #[arg(long)]
        point: Option<i64>,
        #[arg(long, default_value = "ar")]
        lang: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The council's identity on printed documents (letterhead lines, address, emblem) as JSON;
    /// replace it with --from-json FILE, set the emblem with --emblem IMAGE or remove it with
    /// --no-emblem
    Identity {
        #[arg(long)]
        from_json: Option<PathBuf>,
        #[arg(long, conflicts_with = "no_emblem")]
        emblem: Option<PathBuf>,
        #[arg(long)]
        no_emblem: bool,
    },
    /// Find records by typing part of a name (Arabic-aware: hamza forms, ة/ه, ى/ي, harakat,
    /// articles and prefixes; Latin accents and case)
    Search {
        query: String,
        #[arg(long)]
        kind: Option<Entity>,
        #[arg(long, default_value = "")]
        country: String,
        #[arg(long, default_value = "")]
        status: String,
        #[arg(long)]
        year: Option<i32>,
        /// A funding source (part of its name): its projects and their agreements
        #[arg(long, default_value = "")]
        fund: String,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// A one-file backup (database and documents): `backup -o FILE`, or `backup verify FILE`
    #[command(args_conflicts_with_subcommands = true)]
    Backup {
        #[command(subcommand)]
        action: Option<BackupAction>,
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Do not read the written file back to check it (it is checked by default)
        #[arg(long)]
        no_verify: bool,
    },
    /// Export a list (with its filters) to a spreadsheet: export agreements --format xlsx -o FILE
    Export {
        kind: Entity,
        #[arg(long, default_value = "xlsx")]
        format: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[command(flatten)]
        filters: FilterArgs,
    },
    /// Import partners, agreements, projects or memberships from an XLSX/XLS/ODS/CSV file:
    /// shows what each row becomes, then writes all in one transaction (--dry-run: only shows)
    Import {
        file: PathBuf,
        /// partner, agreement, project or membership (default: told from the column names)
        #[arg(long)]
        kind: Option<Entity>,
        /// Columns to fields: "Column=field,Other column=field" (a column by name or number from
        /// 1; an empty field ignores it), a JSON array, or a file holding either
        #[arg(long)]
        mapping: Option<String>,
        /// The worksheet to read (default: the first visible one with data)
        #[arg(long)]
        sheet: Option<String>,
        /// The encoding of a CSV file (default: detected; e.g. utf-8, utf-16le, windows-1256)
        #[arg(long)]
        encoding: Option<String>,
        /// Show what would happen and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Import the correct rows and leave out the rows with errors
        #[arg(long)]
        skip_errors: bool,
    },
    /// Every open deadline, by date, with the rule that produced it
    Due {
        /// The day to look from (default: today)
        #[arg(long)]
        at: Option<String>,
    },
    /// Show the legal delays and rules, or change them
    Legal {
        #[arg(long)]
        notify_days: Option<u32>,
        #[arg(long)]
        opposition_days: Option<u32>,
        #[arg(long)]
        visa_days: Option<u32>,
        #[arg(long)]
        convocation_days: Option<u32>,
        #[arg(long)]
        quorum: Option<f64>,
        #[arg(long)]
        number_pattern: Option<String>,
    },
}

#[derive(Subcommand)]
enum SessionAction {
    /// A session from flags (or a JSON object with --from-json)
    Add {
        /// ordinary or extraordinary
        #[arg(long, default_value = "ordinary")]
        kind: String,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        month: Option<u32>,
        #[arg(long)]
        number: Option<u32>,
        /// A sitting: DATE, DATE@TIME or DATE@TIME@PLACE (repeatable); an ordinary session
        /// without one gets its proposed date, the second Monday of the month
        #[arg(long = "sitting")]
        sittings: Vec<String>,
        #[arg(long, default_value = "")]
        convocation: String,
        #[arg(long)]
        members: Option<u32>,
        #[arg(long)]
        from_json: Option<PathBuf>,
    },
    List {
        #[arg(long)]
        year: Option<i32>,
    },
    Show {
        id: i64,
    },
}

#[derive(Subcommand)]
enum PointAction {
    /// Add a point at the end of a session's agenda
    Add {
        #[arg(long)]
        session: i64,
        #[arg(long, conflicts_with_all = ["project", "membership"])]
        agreement: Option<i64>,
        #[arg(long, conflicts_with = "membership")]
        project: Option<i64>,
        #[arg(long)]
        membership: Option<i64>,
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "")]
        rapporteur: String,
        #[arg(long, default_value = "")]
        note_ar: String,
        #[arg(long, default_value = "")]
        note_fr: String,
        /// The earlier point this one examines again (after an opposition)
        #[arg(long)]
        reexamines: Option<i64>,
    },
    /// Move a point to place N (from 1) of its agenda
    Move {
        id: i64,
        #[arg(long)]
        to: usize,
    },
    List {
        #[arg(long)]
        session: i64,
    },
}

#[derive(Subcommand)]
enum BackupAction {
    /// Read a backup through and check every file against its manifest
    Verify { file: PathBuf },
    /// Show the automatic backups (on exit and daily in the window), change them, or make one now
    Auto {
        #[arg(long)]
        enable: bool,
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        /// Their folder (absolute; "" for backups/ beside the database)
        #[arg(long)]
        folder: Option<String>,
        /// How many to keep
        #[arg(long)]
        keep: Option<usize>,
        /// Make one now into the folder (for a scheduled task)
        #[arg(long)]
        now: bool,
    },
}

#[derive(Subcommand)]
enum VaultAction {
    /// List (with --dry-run) or remove the files no document refers to
    Gc {
        #[arg(long)]
        dry_run: bool,
    },
    /// Show the largest file accepted, or set it in bytes (0: back to the 2 GiB default)
    Limit { bytes: Option<u64> },
}

#[derive(Args)]
struct ListArgs {
    kind: Entity,
    #[arg(long)]
    limit: Option<u32>,
    #[arg(long, default_value_t = 0)]
    offset: u32,
    /// Every row, page after page
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    filters: FilterArgs,
    #[arg(long, default_value = "")]
    sort: String,
    #[arg(long)]
    desc: bool,
}

/// The filters of a list (`list`, `export`).
#[derive(Args)]
struct FilterArgs {
    /// Text in names, titles or reference
    #[arg(long, default_value = "")]
    q: String,
    /// Filter on the record's own kind (e.g. twinning, foreign_ngo)
    #[arg(long = "type", default_value = "")]
    type_: String,
    #[arg(long, default_value = "")]
    country: String,
    #[arg(long, default_value = "")]
    status: String,
    #[arg(long)]
    year: Option<i32>,
}

impl FilterArgs {
    fn query(self) -> ListQuery {
        ListQuery {
            q: self.q,
            kind: self.type_,
            country: self.country,
            status: self.status,
            year: self.year,
            ..Default::default()
        }
    }
}

#[derive(Args)]
struct AddArgs {
    kind: Entity,
    /// A JSON object with the record's fields (FILE, or - for stdin)
    #[arg(long)]
    from_json: Option<PathBuf>,
    /// partner/agreement kind (e.g. foreign_collectivity, twinning)
    #[arg(long = "type")]
    type_: Option<String>,
    #[arg(long, default_value = "")]
    name_ar: String,
    #[arg(long, default_value = "")]
    name_latin: String,
    #[arg(long, default_value = "")]
    country: String,
    #[arg(long, default_value = "")]
    city: String,
    #[arg(long, default_value = "")]
    title_ar: String,
    #[arg(long, default_value = "")]
    title_fr: String,
    #[arg(long, default_value = "")]
    legal_basis: String,
    #[arg(long, default_value = "")]
    reference: String,
    /// A partner id (repeat for several parties)
    #[arg(long = "party")]
    parties: Vec<i64>,
    #[arg(long = "area")]
    areas: Vec<String>,
    #[arg(long, default_value = "")]
    signed_on: String,
    #[arg(long, default_value = "")]
    signed_at: String,
    #[arg(long)]
    duration_months: Option<u32>,
    #[arg(long, default_value = "")]
    end_on: String,
    #[arg(long)]
    agreement: Option<i64>,
    #[arg(long, default_value = "")]
    fund: String,
    #[arg(long, default_value = "")]
    fund_edition: String,
    #[arg(long, default_value = "")]
    start_on: String,
    /// Budget line PARTY:AMOUNT:CURRENCY, PARTY a partner id or "council" (repeatable)
    #[arg(long = "budget")]
    budget: Vec<String>,
    #[arg(long)]
    partner: Option<i64>,
    #[arg(long, default_value = "")]
    since: String,
    #[arg(long, default_value = "")]
    dues: String,
    #[arg(long, default_value = "MAD")]
    currency: String,
    #[arg(long, default_value = "")]
    notes: String,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let json = cli.json;
    let lang_flag = cli.lang;
    let mut lang = lang_flag.unwrap_or_default();
    match run(cli, &mut lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                println!("{}", serde_json::to_string(&e.report(lang)).unwrap_or_default());
            } else {
                eprintln!("taawun-cli: {}", e.message(lang).replace('\n', " "));
            }
            ExitCode::from(1)
        }
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &PathBuf) -> taawun_core::Result<T> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(path)?;
    }
    Ok(serde_json::from_str(&text)?)
}

fn print<T: Serialize>(json: bool, value: &T, human: impl FnOnce() -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        println!("{}", human());
    }
}

fn name_of(ar: &str, latin: &str, lang: Lang) -> String {
    let (a, b) = if lang == Lang::Ar { (ar, latin) } else { (latin, ar) };
    if a.is_empty() {
        b.to_string()
    } else {
        a.to_string()
    }
}

fn run(cli: Cli, lang: &mut Lang) -> taawun_core::Result<()> {
    let path = store::resolve_db_path(cli.db.clone());
    // Checking or restoring a backup does not open (or create) the database.
    match &cli.command {
        Command::Backup { action: Some(BackupAction::Verify { file }), .. } => {
            let m = taawun_core::backup::verify(file)?;
            print(cli.json, &m, || {
                tr_args(
                    *lang,
                    "cli.backup_ok",
                    &[
                        ("files", &m.files.len().to_string()),
                        ("bytes", &m.bytes().to_string()),
                        ("date", &m.created_at),
                    ],
                )
            });
            return Ok(());
        }
        Command::Restore { what, id: None, into } => {
            let file = PathBuf::from(what);
            let into =
                into.clone().unwrap_or_else(|| path.parent().map(std::path::Path::to_path_buf).unwrap_or_default());
            let r = taawun_core::backup::restore(&file, &into)?;
            print(cli.json, &r, || {
                tr_args(
                    *lang,
                    "cli.restored_backup",
                    &[
                        ("into", &r.into.display().to_string()),
                        ("files", &r.manifest.files.len().to_string()),
                        (
                            "previous",
                            &r.previous.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "—".into()),
                        ),
                    ],
                )
            });
            return Ok(());
        }
        _ => {}
    }
    let mut store = Store::open(&path)?;
    if cli.lang.is_none() {
        if let Some(saved) = store.setting("lang")? {
            *lang = saved.parse().unwrap_or_default();
        }
    }
    let lang = *lang;
    let json = cli.json;
    match cli.command {
        Command::Init => {
            let v = store::migrations::version(store.conn())?;
            print(json, &serde_json::json!({"db": path, "schema_version": v}), || {
                tr_args(lang, "cli.init", &[("path", &path.display().to_string()), ("version", &v.to_string())])
            });
        }
        Command::Sample { remove } => {
            if remove {
                let n = store.remove_sample()?;
                print(json, &serde_json::json!({"moved_to_trash": n}), || {
                    tr_args(lang, "cli.sample_removed", &[("count", &n.to_string())])
                });
            } else {
                let loaded = store.load_sample()?;
                print(json, &serde_json::json!({"loaded": loaded}), || {
                    tr(lang, if loaded { "cli.sample_loaded" } else { "cli.sample_present" })
                });
            }
        }
        Command::List(args) => list(&store, args, lang, json)?,
        Command::Show { kind, id } => {
            let text = |v: &dyn Human| v.human(lang);
            match kind {
                Entity::Partner => {
                    let v = store.partner_view(id)?;
                    print(json, &v, || text(&v))
                }
                Entity::Agreement => {
                    let v = store.agreement_view(id)?;
                    print(json, &v, || text(&v))
                }
                Entity::Project => {
                    let v = store.project_view(id)?;
                    print(json, &v, || text(&v))
                }
                Entity::Membership => {
                    let v = store.membership_view(id)?;
                    print(json, &v, || text(&v))
                }
                Entity::Document => {
                    let v = store.get_document(id)?;
                    print(json, &v, || document_line(&v, lang))
                }
                Entity::Session => {
                    let v = store.session_view(id, lang)?;
                    print(json, &v, || session_text(&v, lang))
                }
                Entity::Point => {
                    let p = store.get_point(id)?;
                    print(json, &p, || point_line(&p, lang))
                }
                Entity::Deliberation => {
                    let v = store.get_deliberation(id, lang)?;
                    print(json, &v, || deliberation_line(&v, lang))
                }
            }
        }
        Command::Add(args) => add(&mut store, args, lang, json)?,
        Command::Update { kind, id, from_json } => {
            let out = match kind {
                Entity::Partner => serde_json::to_value(store.update_partner(id, read_json(&from_json)?, None)?)?,
                Entity::Agreement => serde_json::to_value(store.update_agreement(id, read_json(&from_json)?, None)?)?,
                Entity::Project => serde_json::to_value(store.update_project(id, read_json(&from_json)?, None)?)?,
                Entity::Membership => {
                    serde_json::to_value(store.update_membership(id, read_json(&from_json)?, None)?)?
                }
                Entity::Document => serde_json::to_value(store.update_document(id, read_json(&from_json)?, None)?)?,
                Entity::Session => serde_json::to_value(store.update_session(id, read_json(&from_json)?, None)?)?,
                Entity::Point => serde_json::to_value(store.update_point(id, read_json(&from_json)?, None)?)?,
                Entity::Deliberation => {
                    serde_json::to_value(store.update_deliberation(id, read_json(&from_json)?, None)?)?
                }
            };
            print(json, &out, || {
                tr_args(lang, "cli.updated", &[("what", &tr(lang, &format!("entity.{kind}"))), ("id", &id.to_string())])
            });
        }
        Command::Status { id, status, on, note } => {
            let status = AgreementStatus::parse("status", &status)?;
            let v = store.set_agreement_status(id, status, on.as_deref(), &note)?;
            print(json, &v, || {
                tr_args(
                    lang,
                    "cli.status_set",
                    &[("id", &id.to_string()), ("status", &tr(lang, &format!("agreement_status.{}", status.as_str())))],
                )
            });
        }
        Command::History { kind, id } => {
            let h = store.history(kind, id)?;
            print(json, &h, || {
                h.iter()
                    .map(|e| {
                        let field = e.field.as_deref().map(|f| tr(lang, &format!("field.{f}"))).unwrap_or_default();
                        format!(
                            "{}  {}  {}  {} → {} {}",
                            e.at,
                            tr(lang, &format!("history.{}", e.action)),
                            field,
                            e.old_value.as_deref().unwrap_or("∅"),
                            e.new_value.as_deref().unwrap_or("∅"),
                            e.detail
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Delete { kind, id } => {
            store.delete(kind, id)?;
            print(json, &serde_json::json!({"deleted": {"kind": kind, "id": id}}), || {
                tr_args(lang, "cli.deleted", &[("what", &tr(lang, &format!("entity.{kind}"))), ("id", &id.to_string())])
            });
        }
        Command::Restore { what, id: Some(id), .. } => {
            let kind: Entity = what.parse()?;
            store.restore(kind, id)?;
            print(json, &serde_json::json!({"restored": {"kind": kind, "id": id}}), || {
                tr_args(
                    lang,
                    "cli.restored",
                    &[("what", &tr(lang, &format!("entity.{kind}"))), ("id", &id.to_string())],
                )
            });
        }
        Command::Trash => {
            let t = store.trash()?;
            print(json, &t, || {
                t.iter()
                    .map(|i| {
                        format!(
                            "{}:{}\t{}\t{}",
                            i.entity,
                            i.id,
                            name_of(&i.label_ar, &i.label_latin, lang),
                            i.deleted_at
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Home => {
            let h = store.home(taawun_core::calendar::today())?;
            print(json, &h, || {
                format!(
                    "{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}",
                    tr(lang, "nav.partners"),
                    h.partners,
                    tr(lang, "nav.agreements"),
                    h.agreements,
                    tr(lang, "nav.projects"),
                    h.projects,
                    tr(lang, "nav.memberships"),
                    h.memberships,
                    tr(lang, "home.expiring"),
                    h.attention.expiring.len(),
                    tr(lang, "home.drafts"),
                    h.attention.drafts_total
                )
            });
        }
        Command::Generate { partners, agreements, seed, sessions, points_per_session } => {
            let g = store.generate(&generate::Options { partners, agreements, seed, sessions, points_per_session })?;
            print(json, &g, || {
                tr_args(
                    lang,
                    "cli.generated",
                    &[("partners", &g.partners.to_string()), ("agreements", &g.agreements.to_string())],
                ) + &if g.sessions > 0 {
                    format!(
                        "\n{}",
                        tr_args(
                            lang,
                            "cli.generated_sessions",
                            &[
                                ("sessions", &g.sessions.to_string()),
                                ("points", &g.points.to_string()),
                                ("deliberations", &g.deliberations.to_string())
                            ]
                        )
                    )
                } else {
                    String::new()
                }
            });
        }
        Command::Session { action } => session_command(&mut store, action, lang, json)?,
        Command::Point { action } => match action {
            PointAction::Add {
                session,
                agreement,
                project,
                membership,
                title,
                rapporteur,
                note_ar,
                note_fr,
                reexamines,
            } => {
                let subject = agreement
                    .map(|id| Subject { kind: Entity::Agreement, id })
                    .or(project.map(|id| Subject { kind: Entity::Project, id }))
                    .or(membership.map(|id| Subject { kind: Entity::Membership, id }));
                let p =
                    store.add_point(session, PointData { subject, title, rapporteur, note_ar, note_fr, reexamines })?;
                print(json, &p, || point_line(&p, lang));
            }
            PointAction::Move { id, to } => {
                let order = store.move_point(id, to)?;
                print(json, &order, || {
                    order.iter().enumerate().map(|(i, p)| format!("{}\t{p}", i + 1)).collect::<Vec<_>>().join("\n")
                });
            }
            PointAction::List { session } => {
                let points = store.points_of(session)?;
                print(json, &points, || points.iter().map(|p| point_line(p, lang)).collect::<Vec<_>>().join("\n"));
            }
        },
        Command::Deliberate { point, votes_for, against, abstain, present, outcome, on, number, text } => {
            let decided_on = match on {
                Some(d) => d,
                None => store
                    .get_session(store.get_point(point)?.session_id)?
                    .data
                    .closed_on()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            };
            let data = DeliberationData {
                number,
                decided_on,
                members_present: present.unwrap_or(votes_for + against + abstain),
                votes_for,
                votes_against: against,
                abstentions: abstain,
                outcome: Outcome::parse("outcome", &outcome)?,
                decision_text: text,
            };
            let d = store.deliberate(point, data)?;
            let d = store.get_deliberation(d.record.id, lang)?;
            print(json, &d, || deliberation_line(&d, lang));
        }
        Command::Notify { session, sent, receipt } => {
            let n = store.record_notification(session, &sent, &receipt)?;
            print(json, &n, || {
                tr_args(
                    lang,
                    "cli.notified",
                    &[("sent", &show_day(&n.notified_on, lang)), ("receipt", &show_day(&n.receipt_on, lang))],
                )
            });
        }
        Command::Oppose { deliberation, on, reason } => {
            let d = store.record_opposition(deliberation, &on, &reason)?;
            print(json, &d, || deliberation_line(&d, lang));
        }
        Command::Visa { deliberation, status, on, reference } => {
            let d = store
                .record_visa(deliberation, VisaData { status: VisaStatus::parse("status", &status)?, on, reference })?;
            print(json, &d, || deliberation_line(&d, lang));
        }
        Command::Sheet { agreement, lang: print_lang, output } => {
            let print_lang: taawun_core::print::PrintLang = print_lang.parse()?;
            let pages = taawun_core::print::agreement_sheet(&store, agreement, print_lang, &output)?;
            print(json, &serde_json::json!({"output": output, "pages": pages}), || {
                tr_args(lang, "cli.printed", &[("path", &output.display().to_string()), ("pages", &pages.to_string())])
            });
        }
        Command::Dossier { session, point, lang: print_lang, output } => {
            let print_lang: taawun_core::print::PrintLang = print_lang.parse()?;
            let pages = taawun_core::print::deliberation_dossier(&store, session, point, print_lang, &output)?;
            print(json, &serde_json::json!({"output": output, "pages": pages}), || {
                tr_args(lang, "cli.printed", &[("path", &output.display().to_string()), ("pages", &pages.to_string())])
            });
        }
        Command::Identity { from_json, emblem, no_emblem } => {
            if let Some(p) = from_json {
                let mut identity: taawun_core::print::CouncilIdentity = read_json(&p)?;
                identity.emblem_sha256 = store.council_identity()?.emblem_sha256;
                store.set_council_identity(identity)?;
            }
            if let Some(image) = emblem {
                store.set_council_emblem(Some(&image))?;
            } else if no_emblem {
                store.set_council_emblem(None)?;
            }
            let identity = store.council_identity()?;
            print(json, &identity, || serde_json::to_string_pretty(&identity).unwrap_or_default());
        }
        Command::Search { query, kind, country, status, year, fund, limit } => {
            let filters = store::SearchFilters { kind, country, status, year, fund };
            let hits = store.search(&query, &filters, limit)?;
            print(json, &hits, || {
                hits.iter()
                    .map(|h| format!("{}:{}\t{}\t{}", h.kind, h.id, h.label, h.detail))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Backup { action: Some(BackupAction::Auto { enable, disable, folder, keep, now }), .. } => {
            use taawun_core::backup::rolling;
            if enable || disable || folder.is_some() || keep.is_some() {
                let mut settings = rolling::settings(&store)?;
                settings.enabled = if enable {
                    true
                } else if disable {
                    false
                } else {
                    settings.enabled
                };
                settings.folder = folder.unwrap_or(settings.folder);
                settings.keep = keep.unwrap_or(settings.keep);
                rolling::set_settings(&mut store, settings)?;
            }
            if now {
                rolling::run(&mut store, chrono::Utc::now())?;
            }
            let status = rolling::status(&store)?;
            print(json, &status, || {
                let mut out = tr_args(
                    lang,
                    "cli.auto_backup",
                    &[
                        (
                            "state",
                            &tr(lang, if status.settings.enabled { "cli.switched_on" } else { "cli.switched_off" }),
                        ),
                        ("folder", &status.folder),
                        ("keep", &status.settings.keep.to_string()),
                    ],
                );
                if let Some((at, e)) = status.state.unresolved_failure() {
                    out.push_str(&format!(
                        "\n{}",
                        tr_args(lang, "home.auto_backup_failed", &[("date", at), ("error", e)])
                    ));
                }
                for b in &status.backups {
                    out.push_str(&format!("\n  {b}"));
                }
                out
            });
        }
        Command::Backup { output, no_verify, .. } => {
            let output = output.ok_or_else(|| Error::invalid("file", taawun_core::error::Rule::Required))?;
            let m = taawun_core::backup::create(&store, &output, !no_verify, |_, _| {})?;
            store.record_backup(&output, &m)?;
            print(json, &m, || {
                tr_args(
                    lang,
                    "cli.backup_made",
                    &[
                        ("path", &output.display().to_string()),
                        ("files", &m.files.len().to_string()),
                        ("bytes", &m.bytes().to_string()),
                    ],
                )
            });
        }
        Command::Restore { id: None, .. } => unreachable!("handled before the database is opened"),
        Command::Import { file, kind, mapping, sheet, encoding, dry_run, skip_errors } => {
            use taawun_core::import;
            let mapping = match mapping {
                Some(m) if std::path::Path::new(&m).is_file() => Some(std::fs::read_to_string(&m)?),
                other => other,
            };
            let options = import::Options {
                kind,
                mapping: None,
                mapping_spec: mapping,
                read: import::ReadOptions { sheet, encoding },
                skip_errors,
                digest: None,
            };
            let describe = |preview: &import::Preview| {
                let columns = preview
                    .columns
                    .iter()
                    .zip(&preview.mapping)
                    .map(|(c, f)| format!("{c} → {}", f.as_deref().unwrap_or("—")))
                    .collect::<Vec<_>>()
                    .join(", ");
                let c = &preview.counts;
                let mut out = tr_args(
                    lang,
                    "cli.import_summary",
                    &[
                        ("file", &file.display().to_string()),
                        ("rows", &preview.total_rows.to_string()),
                        ("create", &c.create.to_string()),
                        ("update", &c.update.to_string()),
                        ("unchanged", &c.unchanged.to_string()),
                        ("error", &c.error.to_string()),
                        ("kind", &tr(lang, &format!("entity.{}", preview.kind.as_str()))),
                        ("mapping", &columns),
                    ],
                );
                for row in &preview.rows {
                    for e in &row.errors {
                        let value = if e.value.is_empty() { String::new() } else { format!(" «{}»", e.value) };
                        out.push_str(&format!(
                            "\n  {}{value}",
                            tr_args(
                                lang,
                                "cli.import_row_error",
                                &[("row", &row.row.to_string()), ("message", &e.message)]
                            )
                        ));
                    }
                }
                out
            };
            // Read and planned once: shown, refused with the wrong rows listed, or written.
            let plan = import::plan(&store, &file, &options, lang)?;
            if dry_run {
                print(json, &plan.preview, || describe(&plan.preview));
                return Ok(());
            }
            if let Some(refused) = plan.refusal(&options) {
                print(json, &plan.preview, || describe(&plan.preview));
                return Err(refused);
            }
            let outcome = plan.apply(&mut store, &options)?;
            print(json, &outcome, || {
                format!(
                    "{}\n{}",
                    describe(&outcome.preview),
                    tr_args(
                        lang,
                        "cli.imported",
                        &[
                            ("create", &outcome.created.to_string()),
                            ("update", &outcome.updated.to_string()),
                            ("unchanged", &outcome.unchanged.to_string()),
                            ("skipped", &outcome.skipped.to_string())
                        ]
                    )
                )
            });
        }
        Command::Export { kind, format, output, filters } => {
            let query = filters.query();
            let n = taawun_core::export::export_list(&store, kind, &query, format.parse()?, lang, &output)?;
            print(json, &serde_json::json!({"output": output, "rows": n}), || {
                tr_args(lang, "cli.exported", &[("path", &output.display().to_string()), ("rows", &n.to_string())])
            });
        }
        Command::Due { at } => {
            let at = match at {
                Some(text) => day_of(&text)?,
                None => taawun_core::calendar::today(),
            };
            let items = store.due(at, lang)?;
            print(json, &items, || {
                if items.is_empty() {
                    return tr(lang, "due.none");
                }
                items
                    .iter()
                    .map(|d| {
                        format!(
                            "{}{}\t{}\t{}:{}\t{}\t{}",
                            if d.overdue { "! " } else { "" },
                            d.due_on,
                            tr(lang, &format!("due.kind.{}", d.kind)),
                            d.entity,
                            d.id,
                            d.label,
                            d.rule
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Command::Legal { notify_days, opposition_days, visa_days, convocation_days, quorum, number_pattern } => {
            let mut s = store.legal_settings()?;
            let changed = notify_days.is_some()
                || opposition_days.is_some()
                || visa_days.is_some()
                || convocation_days.is_some()
                || quorum.is_some()
                || number_pattern.is_some();
            if let Some(n) = notify_days {
                s.notify_working_days = n;
            }
            if let Some(n) = opposition_days {
                s.opposition_working_days = n;
            }
            if let Some(n) = visa_days {
                s.visa_days = n;
            }
            if let Some(n) = convocation_days {
                s.convocation_days = n;
            }
            if let Some(q) = quorum {
                s.quorum_ratio = q;
            }
            if let Some(p) = number_pattern {
                s.number_pattern = p;
            }
            if changed {
                s = store.set_legal_settings(s)?;
            }
            print(json, &s, || serde_json::to_string_pretty(&s).unwrap_or_default());
        }
        Command::Hijri { date } => {
            let day = match date {
                Some(text) => day_of(&text)?,
                None => taawun_core::calendar::today(),
            };
            let h = store.holiday_rules()?.hijri_calendar.to_hijri(day);
            print(json, &h, || h.display(lang));
        }
        Command::Holidays { year } => {
            let year = year.unwrap_or_else(|| chrono::Datelike::year(&taawun_core::calendar::today()));
            PartialDate::year(year).map_err(|_| Error::invalid("year", taawun_core::error::Rule::OutOfRange))?;
            let days = store.holiday_rules()?.holidays_in(year);
            let name = |key: &str| taawun_core::calendar::holiday_name(key, lang);
            let rows: Vec<_> =
                days.iter().map(|(d, key)| serde_json::json!({"date": d.to_string(), "name": name(key)})).collect();
            print(json, &rows, || {
                days.iter().map(|(d, key)| format!("{d}\t{}", name(key))).collect::<Vec<_>>().join("\n")
            });
        }
        Command::Workdays { date, n } => {
            let from = day_of(&date)?;
            if n > 3650 {
                return Err(Error::invalid("working_days", taawun_core::error::Rule::OutOfRange));
            }
            let due = store.holiday_rules()?.add_working_days(from, n);
            print(
                json,
                &serde_json::json!({"from": from.to_string(), "working_days": n, "due": due.to_string()}),
                || due.to_string(),
            );
        }
        Command::HijriCorrection { year, month, shift } => {
            let rules = store.set_hijri_correction(year, month, shift)?;
            let start = rules.hijri_calendar.month_start(year, month)?;
            print(
                json,
                &serde_json::json!({"year": year, "month": month, "shift": shift, "month_starts": start.to_string()}),
                || {
                    tr_args(
                        lang,
                        "cli.hijri_corrected",
                        &[
                            ("month", &tr(lang, &format!("hijri_month.{month}"))),
                            ("year", &year.to_string()),
                            ("date", &PartialDate::from_naive(start).map(|d| d.display(lang)).unwrap_or_default()),
                        ],
                    )
                },
            );
        }
        Command::Attach { to, files, kind, title, max_size } => {
            let (entity, id) = record_ref(&to)?;
            let data = DocumentData {
                kind: DocumentKind::parse("kind", &kind.replace('-', "_"))?,
                title,
                signed_on: String::new(),
                signatories: String::new(),
                notes: String::new(),
            };
            let mut plan = store.plan_attach(entity, id, data)?;
            if let Some(limit) = max_size {
                plan = plan.with_size_limit(limit);
            }
            let incoming =
                files.iter().map(|f| plan.take_in(f, &mut |_| {})).collect::<taawun_core::Result<Vec<_>>>()?;
            let docs = store.record_attached(plan, &incoming)?;
            print(json, &docs, || docs.iter().map(|d| document_line(d, lang)).collect::<Vec<_>>().join("\n"));
        }
        Command::Documents { of } => {
            let docs = match of {
                Some(r) => {
                    let (entity, id) = record_ref(&r)?;
                    store.documents_of(entity, id)?
                }
                None => {
                    store.list_documents(&ListQuery { limit: Some(ListQuery::MAX_LIMIT), ..Default::default() })?.items
                }
            };
            print(json, &docs, || docs.iter().map(|d| document_line(d, lang)).collect::<Vec<_>>().join("\n"));
        }
        Command::Verify => {
            let report = store.verify_vault(|_, _| {})?;
            print(json, &report, || {
                let mut out = vec![tr_args(
                    lang,
                    "cli.verified",
                    &[("count", &report.checked.to_string()), ("bytes", &report.bytes.to_string())],
                )];
                out.extend(report.missing.iter().map(|s| format!("{}\t{s}", tr(lang, "cli.verify_missing"))));
                out.extend(
                    report.altered.iter().map(|(expected, actual)| {
                        format!("{}\t{expected}\t≠ {actual}", tr(lang, "cli.verify_altered"))
                    }),
                );
                out.extend(report.unreferenced.iter().map(|s| format!("{}\t{s}", tr(lang, "cli.verify_unreferenced"))));
                out.join("\n")
            });
            if !report.is_clean() {
                return Err(Error::invalid("vault", taawun_core::error::Rule::Altered));
            }
        }
        Command::ExportDocument { id, output } => {
            store.export_document(id, &output)?;
            print(json, &serde_json::json!({"id": id, "output": output}), || output.display().to_string());
        }
        Command::Vault { action: VaultAction::Limit { bytes } } => {
            if let Some(b) = bytes {
                store.set_size_limit(b)?;
            }
            let limit = store.size_limit()?;
            print(json, &serde_json::json!({"size_limit": limit}), || limit.to_string());
        }
        Command::HolidayRules { from_json } => {
            if let Some(p) = from_json {
                store.set_holiday_rules(&read_json(&p)?)?;
            }
            let rules = store.holiday_rules()?;
            print(json, &rules, || serde_json::to_string_pretty(&rules).unwrap_or_default());
        }
        Command::Vault { action: VaultAction::Gc { dry_run } } => {
            let files = store.vault_gc(dry_run)?;
            print(json, &serde_json::json!({"dry_run": dry_run, "files": files}), || {
                let head = tr_args(
                    lang,
                    if dry_run { "cli.gc_would_remove" } else { "cli.gc_removed" },
                    &[("count", &files.len().to_string())],
                );
                std::iter::once(head).chain(files.iter().cloned()).collect::<Vec<_>>().join("\n")
            });
        }
        Command::Countries => {
            let all = country::all();
            print(json, &all, || {
                all.iter().map(|c| format!("{}\t{}", c.code, c.name(lang))).collect::<Vec<_>>().join("\n")
            });
        }
    }
    Ok(())
}

/// `agreement:3` -> (Entity::Agreement, 3).
fn record_ref(text: &str) -> taawun_core::Result<(Entity, i64)> {
    let (kind, id) =
        text.split_once(':').ok_or_else(|| Error::invalid("to", taawun_core::error::Rule::UnknownValue))?;
    let id = id.trim().parse().map_err(|_| Error::invalid("to", taawun_core::error::Rule::UnknownValue))?;
    Ok((kind.parse()?, id))
}

fn document_line(d: &Document, lang: Lang) -> String {
    let title = if d.record.data.title.is_empty() { d.original_name.as_str() } else { d.record.data.title.as_str() };
    let warnings = d.warnings.iter().map(|w| tr(lang, &format!("document_warning.{w}"))).collect::<Vec<_>>().join("; ");
    let pages = d.page_count.map(|n| n.to_string()).unwrap_or_default();
    format!(
        "{}\t{}:{}\t{}\t{}\t{}\t{}\t{}\t{}",
        d.record.id,
        d.entity,
        d.entity_id,
        tr(lang, &format!("document_kind.{}", d.record.data.kind.as_str())),
        title,
        d.media_type,
        pages,
        d.sha256,
        warnings
    )
}

/// A full date typed on the command line (any form `PartialDate` reads, to the day).
fn day_of(text: &str) -> taawun_core::Result<chrono::NaiveDate> {
    let d = PartialDate::normalise_field("date", text)?;
    PartialDate::stored(&d)
        .and_then(|p| p.as_day())
        .ok_or_else(|| Error::invalid("date", taawun_core::error::Rule::BadDate))
}

fn list(store: &Store, a: ListArgs, lang: Lang, json: bool) -> taawun_core::Result<()> {
    let mut q = ListQuery { sort: a.sort, desc: a.desc, limit: a.limit, offset: a.offset, ..a.filters.query() };
    if a.all {
        q.limit = Some(ListQuery::MAX_LIMIT);
    }
    loop {
        let (has_more, shown, lines, mut value) = match a.kind {
            Entity::Partner => {
                let p = store.list_partners(&q)?;
                let lines: Vec<String> = p
                    .items
                    .iter()
                    .map(|r| {
                        format!(
                            "{}\t{}\t{}\t{}",
                            r.id,
                            name_of(&r.name_ar, &r.name_latin, lang),
                            country::name(&r.country, lang),
                            tr(lang, &format!("partner_kind.{}", r.kind.as_str()))
                        )
                    })
                    .collect();
                (p.has_more, p.items.len(), lines, serde_json::to_value(&p)?)
            }
            Entity::Agreement => {
                let p = store.list_agreements(&q)?;
                let lines = p
                    .items
                    .iter()
                    .map(|r| {
                        format!(
                            "{}\t{}\t{}\t{}",
                            r.id,
                            r.signed_on,
                            name_of(&r.title_ar, &r.title_fr, lang),
                            tr(lang, &format!("agreement_status.{}", r.status.as_str()))
                        )
                    })
                    .collect();
                (p.has_more, p.items.len(), lines, serde_json::to_value(&p)?)
            }
            Entity::Project => {
                let p = store.list_projects(&q)?;
                let lines = p
                    .items
                    .iter()
                    .map(|r| {
                        format!(
                            "{}\t{}\t{}\t{}",
                            r.id,
                            r.fund_edition,
                            name_of(&r.title_ar, &r.title_fr, lang),
                            r.totals.iter().map(|m| m.display(lang)).collect::<Vec<_>>().join(" + ")
                        )
                    })
                    .collect();
                (p.has_more, p.items.len(), lines, serde_json::to_value(&p)?)
            }
            Entity::Document => {
                let p = store.list_documents(&q)?;
                let lines = p.items.iter().map(|d| document_line(d, lang)).collect();
                (p.has_more, p.items.len(), lines, serde_json::to_value(&p)?)
            }
            Entity::Membership => {
                let p = store.list_memberships(&q)?;
                let lines = p
                    .items
                    .iter()
                    .map(|r| {
                        format!("{}\t{}\t{}", r.id, name_of(&r.partner_name_ar, &r.partner_name_latin, lang), r.since)
                    })
                    .collect();
                (p.has_more, p.items.len(), lines, serde_json::to_value(&p)?)
            }
            Entity::Session => {
                let p = store.list_sessions(&q)?;
                let lines = p.items.iter().map(|r| session_row_line(r, lang)).collect();
                (p.has_more, p.items.len(), lines, serde_json::to_value(&p)?)
            }
            // Points and deliberations are listed with their session (`session show`, `point list`).
            Entity::Point | Entity::Deliberation => {
                return Err(Error::invalid("kind", taawun_core::error::Rule::UnknownValue))
            }
        };
        let total = if a.all { None } else { Some(store.count(a.kind, &q)?) };
        if json {
            if let Some(total) = total {
                value["total"] = total.into();
                println!("{}", serde_json::to_string_pretty(&value)?);
            } else {
                for item in value["items"].as_array().into_iter().flatten() {
                    println!("{}", serde_json::to_string(item)?);
                }
            }
        } else {
            for l in lines {
                println!("{l}");
            }
        }
        let next = q.offset as i64 + shown as i64;
        if let Some(total) = total {
            if !json {
                eprintln!(
                    "{}",
                    tr_args(
                        lang,
                        "cli.page",
                        &[
                            ("from", &(q.offset as i64 + (shown > 0) as i64).to_string()),
                            ("to", &next.to_string()),
                            ("total", &total.to_string())
                        ]
                    )
                );
            }
            return Ok(());
        }
        if !has_more {
            return Ok(());
        }
        q.offset = next as u32;
    }
}

fn add(store: &mut Store, a: AddArgs, lang: Lang, json: bool) -> taawun_core::Result<()> {
    let (id, value) = match a.kind {
        // Files come in through `attach`, which stores them in the vault first; sessions, points
        // and deliberations through `session add`, `point add` and `deliberate`.
        Entity::Document | Entity::Session | Entity::Point | Entity::Deliberation => {
            return Err(Error::invalid("kind", taawun_core::error::Rule::UnknownValue))
        }
        Entity::Partner => {
            let data: PartnerData = match &a.from_json {
                Some(p) => read_json(p)?,
                None => PartnerData {
                    kind: PartnerKind::parse("kind", a.type_.as_deref().unwrap_or("foreign_collectivity"))?,
                    name_ar: a.name_ar,
                    name_latin: a.name_latin,
                    country: a.country,
                    region: String::new(),
                    city: a.city,
                    address: String::new(),
                    contacts: vec![],
                    notes: a.notes,
                },
            };
            let r = store.add_partner(data)?;
            (r.id, serde_json::to_value(&r)?)
        }
        Entity::Agreement => {
            let data: AgreementData = match &a.from_json {
                Some(p) => read_json(p)?,
                None => AgreementData {
                    kind: AgreementKind::parse("kind", a.type_.as_deref().unwrap_or("partnership"))?,
                    title_ar: a.title_ar,
                    title_fr: a.title_fr,
                    legal_basis: a.legal_basis,
                    reference: a.reference,
                    parties: a.parties,
                    areas: a.areas,
                    signed_on: a.signed_on,
                    signed_at: a.signed_at,
                    effective_from: String::new(),
                    duration_months: a.duration_months,
                    end_on: a.end_on,
                    tacit_renewal: false,
                    notes: a.notes,
                },
            };
            let r = store.add_agreement(data, None, None)?;
            (r.id, serde_json::to_value(&r)?)
        }
        Entity::Project => {
            let data: ProjectData = match &a.from_json {
                Some(p) => read_json(p)?,
                None => {
                    let mut lines = Vec::new();
                    for spec in &a.budget {
                        let mut parts = spec.splitn(3, ':');
                        let (who, amount, currency) = (
                            parts.next().unwrap_or(""),
                            parts.next().unwrap_or(""),
                            parts.next().unwrap_or(&a.currency),
                        );
                        let partner_id = if who == "council" || who.is_empty() {
                            None
                        } else {
                            Some(who.parse().map_err(|_| {
                                Error::invalid("budget_partner", taawun_core::error::Rule::UnknownValue)
                            })?)
                        };
                        lines.push(BudgetLine {
                            partner_id,
                            label: String::new(),
                            amount: amount.into(),
                            currency: currency.into(),
                            minor: 0,
                        });
                    }
                    ProjectData {
                        agreement_id: a
                            .agreement
                            .ok_or_else(|| Error::invalid("agreement_id", taawun_core::error::Rule::Required))?,
                        title_ar: a.title_ar,
                        title_fr: a.title_fr,
                        fund: a.fund,
                        fund_edition: a.fund_edition,
                        tranche: String::new(),
                        implementing_bodies: vec![],
                        start_on: a.start_on,
                        end_on: a.end_on,
                        status: ProjectStatus::parse("status", a.type_.as_deref().unwrap_or("planned"))?,
                        budget_lines: lines,
                        activities: vec![],
                        beneficiaries: String::new(),
                        notes: a.notes,
                    }
                }
            };
            let r = store.add_project(data)?;
            (r.id, serde_json::to_value(&r)?)
        }
        Entity::Membership => {
            let data: MembershipData = match &a.from_json {
                Some(p) => read_json(p)?,
                None => MembershipData {
                    partner_id: a
                        .partner
                        .ok_or_else(|| Error::invalid("partner_id", taawun_core::error::Rule::Required))?,
                    since: a.since,
                    dues_amount: a.dues,
                    dues_currency: a.currency,
                    dues_minor: None,
                    notes: a.notes,
                },
            };
            let r = store.add_membership(data)?;
            (r.id, serde_json::to_value(&r)?)
        }
    };
    print(json, &value, || {
        tr_args(lang, "cli.added", &[("what", &tr(lang, &format!("entity.{}", a.kind))), ("id", &id.to_string())])
    });
    Ok(())
}

/// A readable text of a detail view for the terminal.
trait Human {
    fn human(&self, lang: Lang) -> String;
}

impl Human for store::PartnerView {
    fn human(&self, lang: Lang) -> String {
        let d = &self.record.data;
        let mut s = format!(
            "#{} {} / {}\n{}: {}\n{}: {}\n",
            self.record.id,
            d.name_ar,
            d.name_latin,
            tr(lang, "field.kind"),
            tr(lang, &format!("partner_kind.{}", d.kind.as_str())),
            tr(lang, "field.country"),
            country::name(&d.country, lang)
        );
        for a in &self.agreements {
            s += &format!("  {} #{} {}\n", tr(lang, "entity.agreement"), a.id, name_of(&a.title_ar, &a.title_fr, lang));
        }
        s
    }
}

impl Human for store::AgreementView {
    fn human(&self, lang: Lang) -> String {
        let d = &self.record.data;
        let mut s = format!(
            "#{} {}\n{}\n{}: {}\n{}: {}\n",
            self.record.id,
            d.title_ar,
            d.title_fr,
            tr(lang, "field.status"),
            tr(lang, &format!("agreement_status.{}", self.status.as_str())),
            tr(lang, "field.signed_on"),
            d.signed_on
        );
        for p in &self.parties {
            s += &format!(
                "  {} #{} {} ({})\n",
                tr(lang, "field.parties"),
                p.id,
                name_of(&p.name_ar, &p.name_latin, lang),
                country::name(&p.country, lang)
            );
        }
        for p in &self.projects {
            s += &format!("  {} #{} {}\n", tr(lang, "entity.project"), p.id, name_of(&p.title_ar, &p.title_fr, lang));
        }
        s
    }
}

impl Human for store::ProjectView {
    fn human(&self, lang: Lang) -> String {
        let d = &self.record.data;
        format!(
            "#{} {}\n{}\n{} {}\n{}",
            self.record.id,
            d.title_ar,
            d.title_fr,
            d.fund,
            d.fund_edition,
            self.totals.iter().map(|m| m.display(lang)).collect::<Vec<_>>().join(" + ")
        )
    }
}

impl Human for store::MembershipView {
    fn human(&self, lang: Lang) -> String {
        format!(
            "#{} {} — {}",
            self.record.id,
            name_of(&self.partner_name_ar, &self.partner_name_latin, lang),
            self.record.data.since
        )
    }
}

fn show_day(stored: &str, lang: Lang) -> String {
    PartialDate::stored(stored).map(|d| d.display(lang)).unwrap_or_else(|| "—".into())
}

fn session_command(store: &mut Store, action: SessionAction, lang: Lang, json: bool) -> taawun_core::Result<()> {
    match action {
        SessionAction::Add { kind, year, month, number, sittings, convocation, members, from_json } => {
            let data: SessionData = match from_json {
                Some(p) => read_json(&p)?,
                None => {
                    let kind = SessionKind::parse("kind", &kind)?;
                    let today = taawun_core::calendar::today();
                    let year = year.unwrap_or(chrono::Datelike::year(&today));
                    let month = month.ok_or_else(|| Error::invalid("month", taawun_core::error::Rule::Required))?;
                    let mut sittings: Vec<Sitting> = sittings
                        .iter()
                        .map(|s| {
                            let mut parts = s.splitn(3, '@');
                            Sitting {
                                held_on: parts.next().unwrap_or_default().to_string(),
                                time: parts.next().unwrap_or_default().to_string(),
                                place: parts.next().unwrap_or_default().to_string(),
                            }
                        })
                        .collect();
                    if sittings.is_empty() && kind == SessionKind::Ordinary {
                        if let Some(d) = SessionData::proposed_date(year, month) {
                            sittings.push(Sitting {
                                held_on: d.to_string(),
                                time: String::new(),
                                place: String::new(),
                            });
                        }
                    }
                    SessionData {
                        kind,
                        year,
                        month,
                        number,
                        sittings,
                        convocation_on: convocation,
                        members_in_office: members,
                        notes: String::new(),
                    }
                }
            };
            let r = store.add_session(data)?;
            let v = store.session_view(r.id, lang)?;
            print(json, &v, || session_text(&v, lang));
        }
        SessionAction::List { year } => {
            let page =
                store.list_sessions(&ListQuery { year, limit: Some(ListQuery::MAX_LIMIT), ..Default::default() })?;
            print(json, &page, || page.items.iter().map(|r| session_row_line(r, lang)).collect::<Vec<_>>().join("\n"));
        }
        SessionAction::Show { id } => {
            let v = store.session_view(id, lang)?;
            print(json, &v, || session_text(&v, lang));
        }
    }
    Ok(())
}

fn session_row_line(r: &taawun_core::store::SessionRow, lang: Lang) -> String {
    let label = store::session_label(r.kind.as_str(), r.year, r.month, r.number, lang);
    format!(
        "{}\t{}\t{}\t{}/{}\t{}",
        r.id,
        label,
        r.first_sitting.as_deref().map(|d| show_day(d, lang)).unwrap_or_default(),
        r.decided,
        r.points,
        show_day(&r.notified_on, lang)
    )
}

fn point_line(p: &taawun_core::store::StoredPoint, lang: Lang) -> String {
    let subject = p.record.data.subject.map(|s| format!("{}:{}", s.kind, s.id)).unwrap_or_default();
    let _ = lang;
    format!("{}\t#{}\t{}\t{}\t{}", p.record.id, p.position, subject, p.record.data.title, p.record.data.rapporteur)
}

fn deliberation_line(d: &taawun_core::store::DeliberationView, lang: Lang) -> String {
    let v = &d.record.data;
    let mut line = format!(
        "{}\t{}\t{} ({})\t{}\t{}/{}/{} ({})\t{}",
        d.record.id,
        tr_args(lang, "due.deliberation", &[("number", &v.number)]),
        show_day(&v.decided_on, lang),
        d.decided_on_hijri,
        tr(lang, &format!("outcome.{}", v.outcome.as_str())),
        v.votes_for,
        v.votes_against,
        v.abstentions,
        v.members_present,
        tr(lang, &format!("visa_status.{}", d.visa.status.as_str())),
    );
    if d.below_quorum {
        line.push_str(&format!("\t{}", tr(lang, "session.below_quorum")));
    }
    if !d.opposition_on.is_empty() {
        line.push_str(&format!("\t{}: {}", tr(lang, "field.opposition_on"), show_day(&d.opposition_on, lang)));
    }
    line
}

fn session_text(v: &taawun_core::store::SessionView, lang: Lang) -> String {
    let s = &v.record.data;
    let mut out =
        vec![format!("{}\t{}", v.record.id, store::session_label(s.kind.as_str(), s.year, s.month, s.number, lang))];
    for st in &v.sittings {
        let mut line = format!(
            "  {}: {} ({}) {} {}",
            tr(lang, "field.held_on"),
            show_day(&st.sitting.held_on, lang),
            st.hijri,
            st.sitting.time,
            st.sitting.place
        );
        if let Some(h) = &st.holiday {
            line.push_str(&format!("  ⚠ {}", taawun_core::calendar::holiday_name(h, lang)));
        }
        if st.weekend {
            line.push_str(&format!("  ⚠ {}", tr(lang, "session.weekend")));
        }
        out.push(line);
    }
    for p in &v.points {
        let name = p
            .about
            .as_ref()
            .map(|s| name_of(&s.label_ar, &s.label_latin, lang))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| p.point.record.data.title.clone());
        let mut line = format!("  {}. [{}] {}", p.point.position, p.point.record.id, name);
        if p.about.as_ref().is_some_and(|s| !s.live) {
            line.push_str(&format!(" ({})", tr(lang, "session.subject_deleted")));
        }
        out.push(line);
        if let Some(d) = &p.deliberation {
            out.push(format!("     {}", deliberation_line(d, lang)));
        }
    }
    if !v.notification.notified_on.is_empty() {
        out.push(tr_args(
            lang,
            "cli.notified",
            &[
                ("sent", &show_day(&v.notification.notified_on, lang)),
                ("receipt", &show_day(&v.notification.receipt_on, lang)),
            ],
        ));
    }
    for d in &v.deadlines {
        out.push(format!(
            "  {} {}\t{}\t{}",
            if d.overdue { "!" } else { "→" },
            show_day(&d.due_on, lang),
            tr(lang, &format!("due.kind.{}", d.kind)),
            d.rule
        ));
    }
    out.join("\n")
}
