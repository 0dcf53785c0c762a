//! Backups: one made where the user chose, the last good one, and the automatic ones.

use super::{Reply, St};
use crate::{background, blocking};
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
pub async fn run_auto_backup<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: St<'_>,
) -> Reply<taawun_core::backup::rolling::AutoStatus> {
    use tauri::Emitter;
    background(state.inner().clone(), move |s| {
        taawun_core::backup::rolling::run(s, chrono::Utc::now(), |done, total| {
            let _ = app.emit("backup-progress", json!({"done": done, "total": total, "auto": true}));
        })?;
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
    background(state.inner().clone(), move |s| {
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

/// The backup file the program was started with, if any (the window offers to restore it).
#[tauri::command]
pub fn opened_backup(state: St<'_>) -> Option<std::path::PathBuf> {
    state.opened_backup.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Restores the backup the program was started with into this window's database (checked first;
/// the current data folder kept aside), or forgets it with `restore: false`.
#[tauri::command]
pub async fn restore_opened_backup(state: St<'_>, restore: bool) -> Reply<Option<RestoredBackup>> {
    let shared = state.inner().clone();
    let Some(file) = shared.opened_backup.lock().unwrap_or_else(|p| p.into_inner()).take() else { return Ok(None) };
    if !restore {
        return Ok(None);
    }
    let lang = shared.lang();
    tauri::async_runtime::spawn_blocking(move || shared.restore_backup(&file))
        .await
        .unwrap_or_else(|e| Err(super::internal(lang, &e.to_string())))
        .map(|r| {
            Some(RestoredBackup {
                created_at: r.manifest.created_at,
                files: r.manifest.files.len(),
                previous: r.previous.map(|p| p.display().to_string()),
            })
        })
}

/// What the window says after a restore.
#[derive(serde::Serialize)]
pub struct RestoredBackup {
    created_at: String,
    files: usize,
    previous: Option<String>,
}
