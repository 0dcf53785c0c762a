//! Spreadsheets in and out: a list exported with its filter, a registry previewed then imported.

use super::{Reply, St};
use crate::blocking;
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
    blocking(state.inner().clone(), move |s| taawun_core::export::export_list(s, kind, &query, format, lang, &dest))
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
    blocking(state.inner().clone(), move |s| taawun_core::import::preview(s, &path, &options, lang)).await
}

/// Imports the previewed spreadsheet in one transaction (refused if the file changed since).
#[tauri::command]
pub async fn import_commit(
    state: St<'_>,
    path: std::path::PathBuf,
    options: taawun_core::import::Options,
) -> Reply<taawun_core::import::Outcome> {
    let lang = state.lang();
    blocking(state.inner().clone(), move |s| taawun_core::import::import(s, &path, &options, lang)).await
}
