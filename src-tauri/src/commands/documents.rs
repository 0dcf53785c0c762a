//! Signed documents: attach (off the store lock, with progress), previews, copies out, the
//! vault check, descriptions and the system viewer.

use super::{internal, Reply, St};
use crate::{background, blocking};
use serde_json::json;
use taawun_core::model::*;
use taawun_core::ErrorReport;

#[tauri::command]
pub async fn record_documents(state: St<'_>, kind: Entity, id: i64) -> Reply<Vec<Document>> {
    blocking(state.inner().clone(), move |s| s.documents_of(kind, id)).await
}

/// Attaches the files the user chose (in the open dialog or by dropping them on the window).
/// The files are copied into the vault without holding the store, so the window keeps working
/// during a long import, and `attach-progress` events say how far it is; the rows are then
/// written in one transaction.
#[tauri::command]
pub async fn attach_documents<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: St<'_>,
    kind: Entity,
    id: i64,
    paths: Vec<std::path::PathBuf>,
    data: super::form::Form<DocumentData>,
) -> Reply<Vec<Document>> {
    let data = data.read_in(state.lang())?;
    use tauri::Emitter;
    let shared = state.inner().clone();
    let lang = shared.lang();
    let plan = blocking(shared.clone(), move |s| s.plan_attach(kind, id, data)).await?;
    let incoming = tauri::async_runtime::spawn_blocking(move || {
        let total: u64 = paths.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
        let mut before = 0u64;
        let mut last = std::time::Instant::now();
        let mut taken = Vec::new();
        for (i, path) in paths.iter().enumerate() {
            let mut progress = |done: u64| {
                if last.elapsed() >= std::time::Duration::from_millis(100) {
                    last = std::time::Instant::now();
                    let _ = app.emit(
                        "attach-progress",
                        json!({"file": i + 1, "files": paths.len(), "done": before + done, "total": total}),
                    );
                }
            };
            let file = plan.take_in(path, &mut progress).map_err(|e| e.report(lang))?;
            before += file.stored.size;
            taken.push(file);
        }
        let _ = app
            .emit("attach-progress", json!({"file": paths.len(), "files": paths.len(), "done": total, "total": total}));
        Ok::<_, ErrorReport>((plan, taken))
    })
    .await
    .unwrap_or_else(|e| Err(internal(lang, &e.to_string())))?;
    let (plan, taken) = incoming;
    blocking(shared, move |s| s.record_attached(plan, &taken)).await
}

/// A JPEG thumbnail (or larger preview) of an image document, as raw bytes.
#[tauri::command]
pub async fn document_image<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: St<'_>,
    id: i64,
    side: u32,
) -> Reply<tauri::ipc::Response> {
    use tauri::Manager;
    let cache = app.path().app_cache_dir().map_err(|e| internal(state.lang(), &e.to_string()))?.join("renditions");
    blocking(state.inner().clone(), move |s| s.document_rendition(id, side, &cache))
        .await
        .map(tauri::ipc::Response::new)
}

/// The bytes of a PDF document, for pdf.js to draw its pages in the window.
#[tauri::command]
pub async fn document_pdf(state: St<'_>, id: i64) -> Reply<tauri::ipc::Response> {
    blocking(state.inner().clone(), move |s| s.document_pdf(id)).await.map(tauri::ipc::Response::new)
}

/// Saves a copy of a document where the user chose (in the save dialog).
#[tauri::command]
pub async fn export_document(state: St<'_>, id: i64, dest: std::path::PathBuf) -> Reply<()> {
    blocking(state.inner().clone(), move |s| s.export_document(id, &dest)).await
}

/// Re-hashes the whole vault, telling the window how far it is (`vault-verify-progress`).
#[tauri::command]
pub async fn verify_vault<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: St<'_>,
) -> Reply<taawun_core::vault::VerifyReport> {
    use tauri::Emitter;
    background(state.inner().clone(), move |s| {
        s.verify_vault(|done, total| {
            let _ = app.emit("vault-verify-progress", json!({"done": done, "total": total}));
        })
    })
    .await
}

#[tauri::command]
pub async fn check_documents(state: St<'_>, kind: Entity, id: i64) -> Reply<Vec<taawun_core::store::DocumentCheck>> {
    blocking(state.inner().clone(), move |s| s.check_documents(kind, id)).await
}

/// Saves a document's description (the file itself never changes).
#[tauri::command]
pub async fn save_document(
    state: St<'_>,
    id: i64,
    data: super::form::Form<DocumentData>,
    expected_updated_at: Option<String>,
) -> Reply<Document> {
    let data = data.read_in(state.lang())?;
    blocking(state.inner().clone(), move |s| s.update_document(id, data, expected_updated_at.as_deref())).await
}

/// Opens a read-only copy of a document with the system's viewer.
#[tauri::command]
pub async fn open_document<R: tauri::Runtime>(app: tauri::AppHandle<R>, state: St<'_>, id: i64) -> Reply<()> {
    use tauri::Manager;
    let lang = state.lang();
    let cache = app.path().app_cache_dir().map_err(|e| internal(lang, &e.to_string()))?.join("view");
    let copy = blocking(state.inner().clone(), move |s| s.viewing_copy(id, &cache)).await?;
    tauri_plugin_opener::open_path(&copy, None::<&str>).map_err(|e| internal(lang, &e.to_string()))
}
