//! Taawun's desktop shell: a Tauri window over taawun-core.
//!
//! This crate owns the window, the state shared by commands and the command wiring; it holds no
//! SQL and no business rule. Every command parses its arguments, runs one core call off the main
//! thread and maps a core error to `{code, message, field}` in the user's language.

mod commands;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use taawun_core::backup::rolling;
use taawun_core::store::Store;
use taawun_core::{Error, ErrorReport, Lang};
use tauri::{Builder, Runtime};

/// What every command shares: the open store (or why it could not be opened) and the language.
pub struct Shared {
    pub db_path: PathBuf,
    store: Mutex<Option<Store>>,
    open_error: Option<ErrorReport>,
    lang: Mutex<Lang>,
    /// The last PDF this window printed, which "open" may hand to the system viewer (the window
    /// never names a file to open itself).
    pub(crate) last_printed: Mutex<Option<PathBuf>>,
    /// A backup file the program was started with (opened from the file manager), which the
    /// window offers to restore; taken when restored or declined.
    pub(crate) opened_backup: Mutex<Option<PathBuf>>,
}

impl Shared {
    /// Opens the database for the window: takes the app lock, loads the sample records on the
    /// first start of an empty database, reads the saved language. A failure is kept and shown
    /// by the window (nothing is modified).
    pub fn open(db_path: PathBuf) -> Shared {
        let opened = open_locked(&db_path).and_then(|mut s| {
            s.first_start()?;
            taawun_core::backup::sweep_leftovers(&s);
            Ok(s)
        });
        match opened {
            Ok(store) => {
                let lang = store.setting("lang").ok().flatten().and_then(|l| l.parse().ok()).unwrap_or_default();
                Shared {
                    db_path,
                    store: Mutex::new(Some(store)),
                    open_error: None,
                    lang: Mutex::new(lang),
                    last_printed: Mutex::new(None),
                    opened_backup: Mutex::new(None),
                }
            }
            Err(e) => {
                let lang = Lang::default();
                eprintln!("taawun: {}", e.message(Lang::En));
                Shared {
                    db_path,
                    store: Mutex::new(None),
                    open_error: Some(e.report(lang)),
                    lang: Mutex::new(lang),
                    last_printed: Mutex::new(None),
                    opened_backup: Mutex::new(None),
                }
            }
        }
    }

    /// Remembers the backup file the program was started with, for the window to offer.
    pub fn with_opened_backup(self, file: Option<PathBuf>) -> Shared {
        *self.opened_backup.lock().unwrap_or_else(|p| p.into_inner()) = file;
        self
    }

    /// Restores `file` into this window's database: the store is closed (its lock given up) for
    /// the restore and opened again after it, whether the restore went through or not.
    pub fn restore_backup(&self, file: &std::path::Path) -> Result<taawun_core::backup::Restored, ErrorReport> {
        let lang = self.lang();
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        drop(guard.take());
        let restored = taawun_core::backup::restore(file, &self.db_path);
        match open_locked(&self.db_path) {
            Ok(s) => *guard = Some(s),
            Err(e) => return Err(e.report(lang)),
        }
        restored.map_err(|e| e.report(lang))
    }

    pub fn lang(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set_lang(&self, lang: Lang) {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
    }

    /// Runs `f` on a connection of its own to the window's database (see `background`).
    pub fn on_own_connection<T>(&self, f: impl FnOnce(&mut Store) -> taawun_core::Result<T>) -> Result<T, ErrorReport> {
        let lang = self.lang();
        if let Some(e) = &self.open_error {
            return Err(e.clone());
        }
        let mut own = Store::open(&self.db_path).map_err(|e| e.report(lang))?;
        f(&mut own).map_err(|e| e.report(lang))
    }

    /// Runs `f` on the store; a poisoned lock (a panic in an earlier command) is recovered,
    /// since every change is one SQLite transaction and a panic rolled it back.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> taawun_core::Result<T>) -> Result<T, ErrorReport> {
        let lang = self.lang();
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Some(store) => f(store).map_err(|e| e.report(lang)),
            None => {
                Err(self.open_error.clone().unwrap_or_else(|| Error::NotFound { kind: "database", id: 0 }.report(lang)))
            }
        }
    }
}

/// Runs long work (a backup, an import, an export, a check of the vault, a bundle) on the
/// blocking pool and on a connection of its own, never holding the window's store: the window
/// reads meanwhile (SQLite's WAL lets readers beside a writer), and a write of either waits only
/// for the other's transaction, not for the whole work.
pub(crate) async fn background<T: Send + 'static>(
    shared: Arc<Shared>,
    f: impl FnOnce(&mut Store) -> taawun_core::Result<T> + Send + 'static,
) -> Result<T, ErrorReport> {
    let lang = shared.lang();
    tauri::async_runtime::spawn_blocking(move || shared.on_own_connection(f))
        .await
        .unwrap_or_else(|e| Err(commands::internal(lang, &e.to_string())))
}

/// Runs a store call on the blocking pool so the window never waits on the database.
pub(crate) async fn blocking<T: Send + 'static>(
    shared: Arc<Shared>,
    f: impl FnOnce(&mut Store) -> taawun_core::Result<T> + Send + 'static,
) -> Result<T, ErrorReport> {
    let lang = shared.lang();
    tauri::async_runtime::spawn_blocking(move || shared.with_store(f))
        .await
        .unwrap_or_else(|e| Err(commands::internal(lang, &e.to_string())))
}

/// Wires the commands and the state into a builder; `run` and the tests share it.
pub fn build_app<R: Runtime>(builder: Builder<R>, shared: Arc<Shared>) -> Builder<R> {
    builder.plugin(tauri_plugin_dialog::init()).manage(shared).invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::i18n_bundle,
        commands::set_lang,
        commands::reference_data,
        commands::records::home,
        commands::records::figures,
        commands::records::list_records,
        commands::records::count_records,
        commands::records::record_view,
        commands::records::save_partner,
        commands::records::save_agreement,
        commands::records::save_project,
        commands::records::save_membership,
        commands::records::set_agreement_status,
        commands::records::delete_record,
        commands::records::mark_complete,
        commands::records::restore_record,
        commands::records::list_trash,
        commands::records::record_history,
        commands::records::load_sample,
        commands::records::remove_sample,
        commands::documents::record_documents,
        commands::documents::attach_documents,
        commands::documents::export_document,
        commands::documents::verify_vault,
        commands::documents::check_documents,
        commands::documents::save_document,
        commands::documents::open_document,
        commands::documents::document_image,
        commands::documents::document_pdf,
        commands::sessions::save_session,
        commands::sessions::save_point,
        commands::sessions::move_point,
        commands::sessions::save_deliberation,
        commands::sessions::record_notification,
        commands::sessions::record_opposition,
        commands::sessions::record_visa,
        commands::sessions::due,
        commands::sessions::due_groups,
        commands::sessions::due_group,
        commands::sessions::ordinary_opening,
        commands::sessions::hijri_months,
        commands::sessions::record_hijri_month,
        commands::sessions::forget_hijri_month,
        commands::sessions::legal_settings,
        commands::sessions::save_legal_settings,
        commands::records::search,
        commands::exchange::export_list,
        commands::exchange::import_preview,
        commands::exchange::import_commit,
        commands::exchange::desk_identity,
        commands::exchange::set_desk_name,
        commands::exchange::export_bundle,
        commands::exchange::import_bundle,
        commands::exchange::bundle_conflicts,
        commands::exchange::number_clashes,
        commands::exchange::resolve_conflict,
        commands::backup::create_backup,
        commands::backup::last_backup,
        commands::backup::auto_backup_status,
        commands::backup::save_auto_backup,
        commands::backup::run_auto_backup,
        commands::backup::opened_backup,
        commands::backup::restore_opened_backup,
        commands::print::print_sheet,
        commands::print::council_identity,
        commands::print::save_council_identity,
        commands::print::set_council_emblem,
        commands::print::export_dossier,
        commands::print::print_paper,
        commands::print::print_report,
        commands::print::export_calendar,
        commands::sessions::save_member,
        commands::print::open_printed,
    ])
}

/// The database opened for this window, with the window's lock on it.
fn open_locked(path: &std::path::Path) -> taawun_core::Result<Store> {
    let mut store = Store::open(path)?;
    store.acquire_app_lock()?;
    Ok(store)
}

/// What the program was started with: the database (`--db PATH`, else `TAAWUN_DB`, else the
/// user's data dir) and a backup file to offer for restoring (`taawun FILE.taawun-backup`, as the
/// file manager starts it), if one that exists is named.
/// What the program's command line asks for: the window (on a database, perhaps opening a
/// backup file double-clicked in the file manager), or words on the terminal and an exit, with no
/// window (and no display) needed.
#[derive(Debug, PartialEq)]
enum Launch {
    Window {
        db: Option<PathBuf>,
        backup: Option<PathBuf>,
    },
    /// `--help`, `--version`: said on standard output, exit status 0.
    Say(String),
    /// A flag the program does not know: said on standard error with the usage, exit status 2.
    Refuse(String),
}

/// Reads the command line (without the program's name); messages in `lang`.
fn launch_args(args: impl IntoIterator<Item = String>, lang: Lang) -> Launch {
    use taawun_core::i18n::tr_args;
    let usage = || tr_args(lang, "app.usage", &[("version", env!("CARGO_PKG_VERSION"))]);
    let mut args = args.into_iter();
    let (mut db, mut backup) = (None, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--help" | "-h" => return Launch::Say(usage()),
            "--version" | "-V" => return Launch::Say(format!("Taawun {}", env!("CARGO_PKG_VERSION"))),
            "--db" => db = args.next().map(PathBuf::from),
            _ if a.starts_with("--db=") => db = Some(PathBuf::from(&a["--db=".len()..])),
            _ if a.starts_with('-') => {
                return Launch::Refuse(format!("{}\n{}", tr_args(lang, "app.unknown_flag", &[("flag", &a)]), usage()))
            }
            _ if backup.is_none() => {
                let path = PathBuf::from(&a);
                if path.extension().is_some_and(|e| e == "taawun-backup" || e == "taawun") && path.is_file() {
                    backup = Some(path);
                }
            }
            _ => {}
        }
    }
    Launch::Window { db, backup }
}

/// The language of the terminal's words: the system's (`LANG`) when Taawun speaks it.
fn terminal_lang() -> Lang {
    std::env::var("LANG").ok().and_then(|l| l.get(..2).and_then(|code| code.parse().ok())).unwrap_or_default()
}

/// How long after start the first daily check runs (the window opens first), and how often the
/// check repeats while the window is open. `TAAWUN_AUTO_BACKUP_DELAY` (seconds) overrides the
/// first delay.
const AUTO_BACKUP_FIRST_CHECK: Duration = Duration::from_secs(120);
const AUTO_BACKUP_CHECK_EVERY: Duration = Duration::from_secs(15 * 60);

/// The daily automatic backup while the window is open (see `taawun_core::backup::rolling`); the
/// window hears of each one's progress (`backup-progress`, `auto: true`) and end (`backup-made`,
/// made or failed) to show it running in the top bar and its result on the home view.
fn schedule_daily_backups<R: Runtime>(shared: Arc<Shared>, app: tauri::AppHandle<R>) {
    let first = std::env::var("TAAWUN_AUTO_BACKUP_DELAY")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(AUTO_BACKUP_FIRST_CHECK);
    std::thread::spawn(move || {
        std::thread::sleep(first);
        loop {
            // On a connection of its own: the window is used meanwhile, and told how far it is.
            let made = shared.on_own_connection(|s| {
                if rolling::due(s, chrono::Utc::now())? {
                    use tauri::Emitter;
                    rolling::run(s, chrono::Utc::now(), |done, total| {
                        let _ = app
                            .emit("backup-progress", serde_json::json!({"done": done, "total": total, "auto": true}));
                    })?;
                    return Ok(true);
                }
                Ok(false)
            });
            // Made or failed: the home view says which, and the top bar stops showing it running.
            if !matches!(made, Ok(false)) {
                use tauri::Emitter;
                let _ = app.emit("backup-made", ());
            }
            std::thread::sleep(AUTO_BACKUP_CHECK_EVERY);
        }
    });
}

/// The automatic backup made when the window closes, when anything changed since the last one
/// (a failure is recorded for the next start).
fn backup_on_exit(shared: &Shared) {
    let _ = shared.with_store(|s| {
        if rolling::settings(s)?.enabled && s.path().is_some() && rolling::changed_since_last(s)? {
            rolling::run(s, chrono::Utc::now(), |_, _| {})?;
        }
        Ok(())
    });
}

pub fn run() {
    let (db, opened_backup) = match launch_args(std::env::args().skip(1), terminal_lang()) {
        Launch::Window { db, backup } => (db, backup),
        Launch::Say(words) => {
            println!("{words}");
            std::process::exit(0)
        }
        Launch::Refuse(words) => {
            eprintln!("{words}");
            std::process::exit(2)
        }
    };
    let db_path = taawun_core::store::resolve_db_path(db);
    let shared = Arc::new(Shared::open(db_path).with_opened_backup(opened_backup));
    let app = build_app(tauri::Builder::default(), shared.clone())
        .build(tauri::generate_context!())
        .expect("error while building Taawun");
    schedule_daily_backups(shared.clone(), app.handle().clone());
    app.run(move |_, event| on_run_event(&shared, &event));
}

/// What the shell does on the app's life events: the automatic backup when it exits.
fn on_run_event(shared: &Shared, event: &tauri::RunEvent) {
    if let tauri::RunEvent::Exit = event {
        backup_on_exit(shared);
    }
}

#[cfg(test)]
mod tests;
