//! Backups: one made where the user chose, the last good one, and the automatic ones.

use super::{Reply, St};
use crate::blocking;
use serde_json::json;

/// The automatic backups: settings, folder, last result and the files in the folder.
#[tauri::command]
pub async fn auto_backup_status(state: St<'_>) -> Reply<taawun_core::backup::rolling::AutoStatus> {
    blocking(state.inner().clone(), |s| taawun_core::backup::rolling::status(s)).await
}

#[tauri::command]
pub async fn save_auto_backup(
    state: St<'_>,
    settings: taawun_core::backup::rolling::AutoBackup,
) -> Reply<taawun_core::backup::rolling::AutoStatus> {
    blocking(state.inner().clone(), move |s| {
        taawun_core::backup::rolling::set_settings(s, settings)?;
        taawun_core::backup::rolling::status(s)
    })
    .await
}

/// An automatic backup now, into the configured folder.
#[tauri::command]
pub async fn run_auto_backup(state: St<'_>) -> Reply<taawun_core::backup::rolling::AutoStatus> {
    blocking(state.inner().clone(), |s| {
        taawun_core::backup::rolling::run(s, chrono::Utc::now())?;
        taawun_core::backup::rolling::status(s)
    })
    .await
}

/// Writes a one-file backup where the user chose, checks it, and remembers it; progress in
/// `backup-progress` events.
#[tauri::command]
pub async fn create_backup<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: St<'_>,
    dest: std::path::PathBuf,
) -> Reply<taawun_core::backup::LastBackup> {
    use tauri::Emitter;
    blocking(state.inner().clone(), move |s| {
        taawun_core::backup::make(s, &dest, true, |done, total| {
            let _ = app.emit("backup-progress", json!({"done": done, "total": total}));
        })?;
        Ok(taawun_core::backup::last_backup(s)?.expect("just recorded"))
    })
    .await
}

#[tauri::command]
pub async fn last_backup(state: St<'_>) -> Reply<BackupStatus> {
    blocking(state.inner().clone(), |s| {
        let auto = taawun_core::backup::rolling::state(s)?;
        let failed =
            auto.unresolved_failure().map(|(at, error)| FailedBackup { at: at.to_string(), error: error.to_string() });
        Ok(BackupStatus { last: taawun_core::backup::last_backup(s)?, failed })
    })
    .await
}

/// What the home view says of backups: the last good one, and an automatic one that failed since.
#[derive(serde::Serialize)]
pub struct BackupStatus {
    last: Option<taawun_core::backup::LastBackup>,
    failed: Option<FailedBackup>,
}

#[derive(serde::Serialize)]
pub struct FailedBackup {
    at: String,
    error: String,
}
