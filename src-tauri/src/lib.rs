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
}

impl Shared {
    /// Opens the database for the window: takes the app lock, loads the sample records on the
    /// first start of an empty database, reads the saved language. A failure is kept and shown
    /// by the window (nothing is modified).
    pub fn open(db_path: PathBuf) -> Shared {
        let opened = Store::open(&db_path).and_then(|mut s| {
            s.acquire_app_lock()?;
            s.first_start()?;
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
                }
            }
        }
    }

    pub fn lang(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set_lang(&self, lang: Lang) {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
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
        commands::home,
        commands::list_records,
        commands::count_records,
        commands::record_view,
        commands::save_partner,
        commands::save_agreement,
        commands::save_project,
        commands::save_membership,
        commands::set_agreement_status,
        commands::delete_record,
        commands::restore_record,
        commands::list_trash,
        commands::record_history,
        commands::load_sample,
        commands::remove_sample,
        commands::record_documents,
        commands::attach_documents,
        commands::export_document,
        commands::verify_vault,
        commands::check_documents,
        commands::save_document,
        commands::open_document,
        commands::document_image,
        commands::document_pdf,
        commands::save_session,
        commands::save_point,
        commands::move_point,
        commands::save_deliberation,
        commands::record_notification,
        commands::record_opposition,
        commands::record_visa,
        commands::due,
        commands::legal_settings,
        commands::save_legal_settings,
        commands::search,
        commands::export_list,
        commands::import_preview,
        commands::import_commit,
        commands::create_backup,
        commands::last_backup,
        commands::auto_backup_status,
        commands::save_auto_backup,
        commands::run_auto_backup,
        commands::print_sheet,
        commands::council_identity,
        commands::save_council_identity,
        commands::set_council_emblem,
        commands::export_dossier,
        commands::open_printed,
    ])
}

/// The database the window opens: `--db PATH`, else `TAAWUN_DB`, else the user's data dir.
fn db_path_from_args() -> PathBuf {
    let mut args = std::env::args().skip(1);
    let mut flag = None;
    while let Some(a) = args.next() {
        if a == "--db" {
            flag = args.next().map(PathBuf::from);
        } else if let Some(v) = a.strip_prefix("--db=") {
            flag = Some(PathBuf::from(v));
        }
    }
    taawun_core::store::resolve_db_path(flag)
}

/// How long after start the first daily check runs (the window opens first), and how often the
/// check repeats while the window is open. `TAAWUN_AUTO_BACKUP_DELAY` (seconds) overrides the
/// first delay.
const AUTO_BACKUP_FIRST_CHECK: Duration = Duration::from_secs(120);
const AUTO_BACKUP_CHECK_EVERY: Duration = Duration::from_secs(15 * 60);

/// The daily automatic backup while the window is open (see `taawun_core::backup::rolling`); the
/// window hears of each one made (`backup-made`) to say so on the home view.
fn schedule_daily_backups<R: Runtime>(shared: Arc<Shared>, app: tauri::AppHandle<R>) {
    let first = std::env::var("TAAWUN_AUTO_BACKUP_DELAY")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(AUTO_BACKUP_FIRST_CHECK);
    std::thread::spawn(move || {
        std::thread::sleep(first);
        loop {
            let made = shared.with_store(|s| {
                if rolling::due(s, chrono::Utc::now())? {
                    rolling::run(s, chrono::Utc::now())?;
                    return Ok(true);
                }
                Ok(false)
            });
            if let Ok(true) = made {
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
            rolling::run(s, chrono::Utc::now())?;
        }
        Ok(())
    });
}

pub fn run() {
    let shared = Arc::new(Shared::open(db_path_from_args()));
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
