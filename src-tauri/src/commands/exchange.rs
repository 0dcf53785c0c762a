//! The registry in and out: a list exported with its filter, a registry previewed then imported,
//! bundles exchanged with the council's other desks and their conflicts decided.

use super::{Reply, St};
use crate::{background, blocking};
use taawun_core::model::*;
use taawun_core::store::ListQuery;

/// Exports a list with its current filter to the file chosen in the save dialog.
#[tauri::command]
pub async fn export_list(
    state: St<'_>,
    kind: Entity,
    query: ListQuery,
    format: taawun_core::export::Format,
    dest: std::path::PathBuf,
) -> Reply<usize> {
    let lang = state.lang();
    background(state.inner().clone(), move |s| taawun_core::export::export_list(s, kind, &query, format, lang, &dest))
        .await
}

/// Reads a spreadsheet the user chose and says what each row would become; changes nothing.
#[tauri::command]
pub async fn import_preview(
    state: St<'_>,
    path: std::path::PathBuf,
    options: taawun_core::import::Options,
) -> Reply<taawun_core::import::Preview> {
    let lang = state.lang();
    background(state.inner().clone(), move |s| taawun_core::import::preview(s, &path, &options, lang)).await
}

/// Imports the previewed spreadsheet in one transaction (refused if the file changed since).
#[tauri::command]
pub async fn import_commit(
    state: St<'_>,
    path: std::path::PathBuf,
    options: taawun_core::import::Options,
) -> Reply<taawun_core::import::Outcome> {
    let lang = state.lang();
    background(state.inner().clone(), move |s| taawun_core::import::import(s, &path, &options, lang)).await
}

/// This desk's identity (council, desk, name), its UUIDs made on first use.
#[tauri::command]
pub async fn desk_identity(state: St<'_>) -> Reply<taawun_core::store::DeskIdentity> {
    blocking(state.inner().clone(), |s| s.desk_identity()).await
}

#[tauri::command]
pub async fn set_desk_name(state: St<'_>, name: String) -> Reply<taawun_core::store::DeskIdentity> {
    blocking(state.inner().clone(), move |s| {
        s.set_desk_name(&name)?;
        s.desk_identity()
    })
    .await
}

/// Writes a bundle of every record (or those changed after `since`) where the user chose.
#[tauri::command]
pub async fn export_bundle(
    state: St<'_>,
    dest: std::path::PathBuf,
    since: Option<String>,
) -> Reply<taawun_core::bundle::Manifest> {
    use taawun_core::bundle::Since;
    background(state.inner().clone(), move |s| {
        let since = since.as_deref().map_or(Since::All, Since::Stamp);
        taawun_core::bundle::export(s, &dest, since)
    })
    .await
}

/// Checks a bundle whole, then merges it in one transaction.
#[tauri::command]
pub async fn import_bundle(state: St<'_>, path: std::path::PathBuf) -> Reply<taawun_core::bundle::Applied> {
    background(state.inner().clone(), move |s| taawun_core::bundle::import(s, &path)).await
}

#[tauri::command]
pub async fn bundle_conflicts(state: St<'_>) -> Reply<Vec<taawun_core::store::Conflict>> {
    blocking(state.inner().clone(), |s| s.conflicts()).await
}

/// The deliberation numbers given twice once bundles were applied, to be renumbered.
#[tauri::command]
pub async fn number_clashes(state: St<'_>) -> Reply<Vec<taawun_core::store::NumberClash>> {
    blocking(state.inner().clone(), |s| s.number_clashes()).await
}

/// Decides a conflict (keep this desk's value, or take the other desk's); returns those left.
#[tauri::command]
pub async fn resolve_conflict(state: St<'_>, id: i64, take_remote: bool) -> Reply<Vec<taawun_core::store::Conflict>> {
    blocking(state.inner().clone(), move |s| {
        s.resolve_conflict(id, take_remote)?;
        s.conflicts()
    })
    .await
}
