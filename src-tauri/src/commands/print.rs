//! Printed documents: the council's identity, an agreement's sheet, a session's dossier and
//! papers, the annual report, and opening the last one printed.

use super::{internal, Reply, St};
use crate::blocking;
use serde_json::json;

#[tauri::command]
pub async fn council_identity(state: St<'_>) -> Reply<taawun_core::model::CouncilIdentity> {
    blocking(state.inner().clone(), |s| s.council_identity()).await
}

/// Saves the letterhead lines and the address (the emblem is set by `set_council_emblem`).
#[tauri::command]
pub async fn save_council_identity(
    state: St<'_>,
    identity: taawun_core::model::CouncilIdentity,
) -> Reply<taawun_core::model::CouncilIdentity> {
    blocking(state.inner().clone(), move |s| s.set_council_identity(identity)).await
}

/// Keeps the image chosen in the open dialog as the emblem (None removes it).
#[tauri::command]
pub async fn set_council_emblem(
    state: St<'_>,
    path: Option<std::path::PathBuf>,
) -> Reply<taawun_core::model::CouncilIdentity> {
    blocking(state.inner().clone(), move |s| s.set_council_emblem(path.as_deref())).await
}

/// Prints an agreement's fact sheet (ar, fr or both) to the file chosen in the save dialog.
#[tauri::command]
pub async fn print_sheet(
    state: St<'_>,
    id: i64,
    lang: taawun_core::print::PrintLang,
    dest: std::path::PathBuf,
) -> Reply<usize> {
    let shared = state.inner().clone();
    let target = dest.clone();
    let pages = blocking(shared.clone(), move |s| taawun_core::print::agreement_sheet(s, id, lang, &target)).await?;
    *shared.last_printed.lock().unwrap_or_else(|p| p.into_inner()) = Some(dest);
    Ok(pages)
}

/// Exports a session's deliberation dossier (or one point's) to the file chosen in the save
/// dialog; `dossier-progress` says when it starts and ends (the signed scans can be large).
#[tauri::command]
pub async fn export_dossier<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: St<'_>,
    session_id: i64,
    point_id: Option<i64>,
    lang: taawun_core::print::PrintLang,
    edition: Option<taawun_core::print::Edition>,
    dest: std::path::PathBuf,
) -> Reply<taawun_core::print::DossierReport> {
    use tauri::Emitter;
    let shared = state.inner().clone();
    let target = dest.clone();
    let _ = app.emit("dossier-progress", json!({"state": "started"}));
    let report = blocking(shared.clone(), move |s| {
        taawun_core::print::deliberation_dossier(s, session_id, point_id, lang, edition.unwrap_or_default(), &target)
    })
    .await;
    let _ = app.emit("dossier-progress", json!({"state": "done"}));
    // The report in the window's language; the dossier is in its own.
    let report = report?.in_lang(shared.lang());
    *shared.last_printed.lock().unwrap_or_else(|p| p.into_inner()) = Some(dest);
    Ok(report)
}

/// Prints a paper of a session (convocation, agenda, attendance, minutes, decision of
/// `point_id`, transmittal) to the file chosen in the save dialog.
#[tauri::command]
pub async fn print_paper(
    state: St<'_>,
    paper: taawun_core::print::Paper,
    session_id: i64,
    point_id: Option<i64>,
    lang: taawun_core::print::PrintLang,
    dest: std::path::PathBuf,
) -> Reply<usize> {
    let shared = state.inner().clone();
    let target = dest.clone();
    let pages = blocking(shared.clone(), move |s| {
        taawun_core::print::session_paper(s, paper, session_id, point_id, lang, &target)
    })
    .await?;
    *shared.last_printed.lock().unwrap_or_else(|p| p.into_inner()) = Some(dest);
    Ok(pages)
}

/// Prints the annual cooperation report of `year` (ar, fr or both) to the file chosen in the
/// save dialog.
#[tauri::command]
pub async fn print_report(
    state: St<'_>,
    year: i32,
    lang: taawun_core::print::PrintLang,
    dest: std::path::PathBuf,
) -> Reply<usize> {
    let shared = state.inner().clone();
    let target = dest.clone();
    let pages = blocking(shared.clone(), move |s| taawun_core::print::annual_report(s, year, lang, &target)).await?;
    *shared.last_printed.lock().unwrap_or_else(|p| p.into_inner()) = Some(dest);
    Ok(pages)
}

/// Writes the sittings and the open deadlines as an .ics file chosen in the save dialog;
/// returns how many events it holds.
#[tauri::command]
pub async fn export_calendar(state: St<'_>, dest: std::path::PathBuf) -> Reply<usize> {
    let lang = state.lang();
    blocking(state.inner().clone(), move |s| {
        let ics = s.calendar_ics(taawun_core::calendar::today(), lang)?;
        taawun_core::print::write_text_atomically(&dest, &ics)?;
        Ok(ics.matches("BEGIN:VEVENT").count())
    })
    .await
}

/// Opens the last printed PDF with the system viewer.
#[tauri::command]
pub async fn open_printed(state: St<'_>) -> Reply<()> {
    let lang = state.lang();
    let path = state.last_printed.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let Some(path) = path else { return Err(taawun_core::Error::NotFound { kind: "document", id: 0 }.report(lang)) };
    tauri_plugin_opener::open_path(&path, None::<&str>).map_err(|e| internal(lang, &e.to_string()))
}
