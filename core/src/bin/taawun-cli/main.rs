//! taawun-cli: the same operations as the window, without one.
//!
//! Global flags come before the subcommand: `--db PATH` (else `TAAWUN_DB`, else the user's data
//! dir), `--lang ar|fr|en`, `--json`. Exit code 0 on success; on error, one translated line on
//! stderr (or `{code, message, field}` with `--json`) and exit code 1.
//!
//! `args` holds the command line as clap reads it, `out` what is written; each subcommand group
//! has its own file, named as the window's command groups are (`src-tauri/src/commands/`).

mod adding;
mod args;
mod backup;
mod calendar;
mod documents;
mod exchange;
mod listing;
mod out;
mod print;
mod records;
mod sessions;

use args::{BackupAction, BackupArgs, Cli, Command, RestoreArgs};
use clap::Parser;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use taawun_core::store::{self, Store};
use taawun_core::{Lang, Result};

/// What every subcommand works with: the open store, the language of messages, the output form.
pub(crate) struct Ctx {
    pub store: Store,
    /// The database file (for messages, and the folder a backup restores into).
    pub db: PathBuf,
    pub lang: Lang,
    pub json: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let json = cli.json;
    let mut lang = cli.lang.unwrap_or_default();
    match run(cli, &mut lang) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`| head`): nothing more to say to anyone.
        Err(e) if out::is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Nowhere left to report to (stdout or stderr closed or full): the exit code says it.
            if json {
                let _ = out::emit(&serde_json::to_string(&e.report(lang)).unwrap_or_default());
            } else {
                let _ = writeln!(std::io::stderr(), "taawun-cli: {}", e.message(lang).replace('\n', " "));
            }
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli, lang: &mut Lang) -> Result<()> {
    let db = store::resolve_db_path(cli.db);
    // Checking or restoring a backup does not open (or create) the database.
    let command = match cli.command {
        Command::Backup(BackupArgs { action: Some(BackupAction::Verify { file }), .. }) => {
            return backup::verify(&file, *lang, cli.json)
        }
        Command::Restore(RestoreArgs { what, id: None, into }) => {
            return backup::restore(what.as_ref(), into, &db, *lang, cli.json)
        }
        command => command,
    };
    let store = Store::open(&db)?;
    if cli.lang.is_none() {
        if let Some(saved) = store.setting("lang")? {
            *lang = saved.parse().unwrap_or_default();
        }
    }
    let cx = &mut Ctx { store, db, lang: *lang, json: cli.json };
    match command {
        Command::Init => records::init(cx),
        Command::Sample(a) => records::sample(cx, a),
        Command::List(a) => listing::list(cx, a),
        Command::Show(a) => records::show(cx, a),
        Command::Add(a) => adding::add(cx, *a),
        Command::Update(a) => records::update(cx, a),
        Command::Status(a) => records::status(cx, a),
        Command::History(a) => records::history(cx, a),
        Command::Delete(a) => records::delete(cx, a),
        Command::Complete(a) => records::complete(cx, a),
        Command::Restore(a) => records::restore(cx, a),
        Command::Trash => records::trash(cx),
        Command::Home => records::home(cx),
        Command::Figures(args) => records::figures(cx, args),
        Command::Generate(a) => records::generate(cx, a),
        Command::Countries => records::countries(cx),
        Command::Search(a) => records::search(cx, a),
        Command::Attach(a) => documents::attach(cx, a),
        Command::Documents(a) => documents::documents(cx, a),
        Command::Verify => documents::verify(cx),
        Command::ExportDocument(a) => documents::export_document(cx, a),
        Command::Vault(a) => documents::vault(cx, a),
        Command::Hijri(a) => calendar::hijri(cx, a),
        Command::Holidays(a) => calendar::holidays(cx, a),
        Command::HolidayRules(a) => calendar::holiday_rules(cx, a),
        Command::Workdays(a) => calendar::workdays(cx, a),
        Command::HijriCorrection(a) => calendar::hijri_correction(cx, a),
        Command::HijriMonth(a) => calendar::hijri_month(cx, a),
        Command::Session(a) => sessions::session(cx, a.action),
        Command::Point(a) => sessions::point(cx, a.action),
        Command::Deliberate(a) => sessions::deliberate(cx, a),
        Command::Notify(a) => sessions::notify(cx, a),
        Command::Oppose(a) => sessions::oppose(cx, a),
        Command::Visa(a) => sessions::visa(cx, a),
        Command::Due(a) => sessions::due(cx, a),
        Command::Legal(a) => sessions::legal(cx, a),
        Command::Sheet(a) => print::sheet(cx, a),
        Command::Report(a) => print::report(cx, a),
        Command::Dossier(a) => print::dossier(cx, a),
        Command::Print(a) => print::paper(cx, a),
        Command::Calendar(a) => sessions::calendar(cx, a),
        Command::Identity(a) => print::identity(cx, a),
        Command::Backup(a) => backup::backup(cx, a),
        Command::Import(a) => exchange::import(cx, a),
        Command::Publish(a) => exchange::publish(cx, a),
        Command::Bundle(a) => exchange::bundle(cx, a.action),
        Command::Export(a) => exchange::export(cx, a),
    }
}
