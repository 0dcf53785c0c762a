//! The commands the window calls. Each parses its arguments, calls one taawun-core function on
//! the blocking pool and returns its result or `{code, message, field}`.

use crate::{blocking, Shared};
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;
use taawun_core::model::*;
use taawun_core::store::ListQuery;
use taawun_core::{country, i18n, money, ErrorReport, Lang};
use tauri::State;

type Reply<T> = Result<T, ErrorReport>;
type St<'a> = State<'a, Arc<Shared>>;

#[derive(Serialize)]
pub struct AppInfo {
    db_path: String,
    version: &'static str,
    lang: Lang,
    rtl: bool,
    error: Option<ErrorReport>,
}

#[tauri::command]
pub fn app_info(state: St<'_>) -> AppInfo {
    let lang = state.lang();
    let error = state.with_store(|_| Ok(())).err();
    AppInfo {
        db_path: state.db_path.display().to_string(),
        version: env!("CARGO_PKG_VERSION"),
        lang,
        rtl: lang.is_rtl(),
        error,
    }
}

#[tauri::command]
pub fn i18n_bundle(lang: Lang) -> std::collections::BTreeMap<String, String> {
    i18n::bundle(lang)
}

/// Switches the language and remembers it in the database.
#[tauri::command]
pub async fn set_lang(state: St<'_>, lang: Lang) -> Reply<Lang> {
    let shared = state.inner().clone();
    shared.set_lang(lang);
    blocking(shared, move |s| s.set_setting("lang", lang.code()).map(|_| lang)).await
}

/// Countries and currencies named in `lang`, and the values of every choice list.
#[tauri::command]
pub fn reference_data(lang: Lang) -> Value {
    let countries: Vec<Value> = country::all().iter().map(|c| json!({"code": c.code, "name": c.name(lang)})).collect();
    let currencies: Vec<Value> = money::currencies().iter().map(|c| json!({"code": c.code, "digits": c.digits, "name": match lang { Lang::Ar => &c.ar, Lang::Fr => &c.fr, Lang::En => &c.en }})).collect();
    fn codes<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|v| f(*v)).collect()
    }
    json!({
        "countries": countries,
        "currencies": currencies,
        "partner_kind": codes(PartnerKind::ALL, PartnerKind::as_str),
        "agreement_kind": codes(AgreementKind::ALL, AgreementKind::as_str),
        "agreement_status": codes(AgreementStatus::ALL, AgreementStatus::as_str),
        "project_status": codes(ProjectStatus::ALL, ProjectStatus::as_str),
        "activity_kind": codes(ActivityKind::ALL, ActivityKind::as_str),
        "document_kind": codes(DocumentKind::ALL, DocumentKind::as_str),
        "session_kind": codes(SessionKind::ALL, SessionKind::as_str),
        "outcome": codes(Outcome::ALL, Outcome::as_str),
        "visa_status": codes(VisaStatus::ALL, VisaStatus::as_str),
    })
}

#[tauri::command]
pub async fn home(state: St<'_>) -> Reply<taawun_core::store::HomeSummary> {
    blocking(state.inner().clone(), |s| s.home(taawun_core::calendar::today())).await
}

#[tauri::command]
pub async fn list_records(state: St<'_>, kind: Entity, query: ListQuery) -> Reply<Value> {
    blocking(state.inner().clone(), move |s| {
        Ok(match kind {
            Entity::Partner => serde_json::to_value(s.list_partners(&query)?)?,
            Entity::Agreement => serde_json::to_value(s.list_agreements(&query)?)?,
            Entity::Project => serde_json::to_value(s.list_projects(&query)?)?,
            Entity::Membership => serde_json::to_value(s.list_memberships(&query)?)?,
            Entity::Document => serde_json::to_value(s.list_documents(&query)?)?,
            Entity::Session => serde_json::to_value(s.list_sessions(&query)?)?,
            Entity::Point | Entity::Deliberation => {
                return Err(taawun_core::Error::invalid("kind", taawun_core::error::Rule::UnknownValue))
            }
        })
    })
    .await
}

#[tauri::command]
pub async fn count_records(state: St<'_>, kind: Entity, query: ListQuery) -> Reply<i64> {
    blocking(state.inner().clone(), move |s| s.count(kind, &query)).await
}

#[tauri::command]
pub async fn record_view(state: St<'_>, kind: Entity, id: i64) -> Reply<Value> {
    let lang = state.lang();
    blocking(state.inner().clone(), move |s| {
        Ok(match kind {
            Entity::Partner => serde_json::to_value(s.partner_view(id)?)?,
            Entity::Agreement => serde_json::to_value(s.agreement_view(id)?)?,
            Entity::Project => serde_json::to_value(s.project_view(id)?)?,
            Entity::Membership => serde_json::to_value(s.membership_view(id)?)?,
            Entity::Document => serde_json::to_value(s.get_document(id)?)?,
            Entity::Session => serde_json::to_value(s.session_view(id, lang)?)?,
            Entity::Point => serde_json::to_value(s.get_point(id)?)?,
            Entity::Deliberation => serde_json::to_value(s.get_deliberation(id, lang)?)?,
        })
    })
    .await
}

#[tauri::command]
pub async fn save_partner(
    state: St<'_>,
    id: Option<i64>,
    data: PartnerData,
    expected_updated_at: Option<String>,
) -> Reply<Record<PartnerData>> {
    blocking(state.inner().clone(), move |s| match id {
        Some(id) => s.update_partner(id, data, expected_updated_at.as_deref()),
        None => s.add_partner(data),
    })
    .await
}

#[tauri::command]
pub async fn save_agreement(
    state: St<'_>,
    id: Option<i64>,
    data: AgreementData,
    expected_updated_at: Option<String>,
) -> Reply<Record<AgreementData>> {
    blocking(state.inner().clone(), move |s| match id {
        Some(id) => s.update_agreement(id, data, expected_updated_at.as_deref()),
        None => s.add_agreement(data, None, None),
    })
    .await
}

#[tauri::command]
pub async fn save_project(
    state: St<'_>,
    id: Option<i64>,
    data: ProjectData,
    expected_updated_at: Option<String>,
) -> Reply<Record<ProjectData>> {
    blocking(state.inner().clone(), move |s| match id {
        Some(id) => s.update_project(id, data, expected_updated_at.as_deref()),
        None => s.add_project(data),
    })
    .await
}

#[tauri::command]
pub async fn save_membership(
    state: St<'_>,
    id: Option<i64>,
    data: MembershipData,
    expected_updated_at: Option<String>,
) -> Reply<Record<MembershipData>> {
    blocking(state.inner().clone(), move |s| match id {
        Some(id) => s.update_membership(id, data, expected_updated_at.as_deref()),
        None => s.add_membership(data),
    })
    .await
}

#[tauri::command]
pub async fn set_agreement_status(
    state: St<'_>,
    id: i64,
    status: AgreementStatus,
    on: Option<String>,
    note: Option<String>,
) -> Reply<taawun_core::store::AgreementView> {
    blocking(state.inner().clone(), move |s| {
        s.set_agreement_status(id, status, on.as_deref(), note.as_deref().unwrap_or(""))
    })
    .await
}

#[tauri::command]
pub async fn delete_record(state: St<'_>, kind: Entity, id: i64) -> Reply<()> {
    blocking(state.inner().clone(), move |s| s.delete(kind, id)).await
}

#[tauri::command]
pub async fn restore_record(state: St<'_>, kind: Entity, id: i64) -> Reply<()> {
    blocking(state.inner().clone(), move |s| s.restore(kind, id)).await
}

#[tauri::command]
pub async fn list_trash(state: St<'_>) -> Reply<Vec<taawun_core::store::TrashItem>> {
    blocking(state.inner().clone(), |s| s.trash()).await
}

#[tauri::command]
pub async fn record_history(state: St<'_>, kind: Entity, id: i64) -> Reply<Vec<taawun_core::store::HistoryEntry>> {
    blocking(state.inner().clone(), move |s| s.history(kind, id)).await
}

#[tauri::command]
pub async fn load_sample(state: St<'_>) -> Reply<bool> {
    blocking(state.inner().clone(), |s| s.load_sample()).await
}

#[tauri::command]
pub async fn remove_sample(state: St<'_>) -> Reply<usize> {
    blocking(state.inner().clone(), |s| s.remove_sample()).await
}

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
    data: DocumentData,
) -> Reply<Vec<Document>> {
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
    blocking(state.inner().clone(), move |s| {
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
    data: DocumentData,
    expected_updated_at: Option<String>,
) -> Reply<Document> {
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

// ---- council sessions ----

#[tauri::command]
pub async fn save_session(
    state: St<'_>,
    id: Option<i64>,
    data: SessionData,
    expected_updated_at: Option<String>,
) -> Reply<Record<SessionData>> {
    blocking(state.inner().clone(), move |s| match id {
        Some(id) => s.update_session(id, data, expected_updated_at.as_deref()),
        None => s.add_session(data),
    })
    .await
}

/// Adds a point at the end of a session's agenda, or saves an existing point.
#[tauri::command]
pub async fn save_point(
    state: St<'_>,
    id: Option<i64>,
    session_id: i64,
    data: PointData,
    expected_updated_at: Option<String>,
) -> Reply<taawun_core::store::StoredPoint> {
    blocking(state.inner().clone(), move |s| match id {
        Some(id) => s.update_point(id, data, expected_updated_at.as_deref()),
        None => s.add_point(session_id, data),
    })
    .await
}

#[tauri::command]
pub async fn move_point(state: St<'_>, id: i64, to: usize) -> Reply<Vec<i64>> {
    blocking(state.inner().clone(), move |s| s.move_point(id, to)).await
}

/// Records the vote on a point, or corrects a recorded one.
#[tauri::command]
pub async fn save_deliberation(
    state: St<'_>,
    id: Option<i64>,
    point_id: i64,
    data: DeliberationData,
    expected_updated_at: Option<String>,
) -> Reply<taawun_core::store::DeliberationView> {
    blocking(state.inner().clone(), move |s| match id {
        Some(id) => s.update_deliberation(id, data, expected_updated_at.as_deref()),
        None => s.deliberate(point_id, data),
    })
    .await
}

#[tauri::command]
pub async fn record_notification(
    state: St<'_>,
    session_id: i64,
    sent_on: String,
    receipt_on: String,
) -> Reply<taawun_core::store::Notification> {
    blocking(state.inner().clone(), move |s| s.record_notification(session_id, &sent_on, &receipt_on)).await
}

#[tauri::command]
pub async fn record_opposition(
    state: St<'_>,
    id: i64,
    on: String,
    reason: String,
) -> Reply<taawun_core::store::DeliberationView> {
    blocking(state.inner().clone(), move |s| s.record_opposition(id, &on, &reason)).await
}

#[tauri::command]
pub async fn record_visa(state: St<'_>, id: i64, visa: VisaData) -> Reply<taawun_core::store::DeliberationView> {
    blocking(state.inner().clone(), move |s| s.record_visa(id, visa)).await
}

/// Every open deadline from today, with the rule that produced it, in the user's language.
#[tauri::command]
pub async fn due(state: St<'_>) -> Reply<Vec<taawun_core::store::DueItem>> {
    let lang = state.lang();
    blocking(state.inner().clone(), move |s| s.due(taawun_core::calendar::today(), lang)).await
}

#[tauri::command]
pub async fn legal_settings(state: St<'_>) -> Reply<taawun_core::calendar::LegalSettings> {
    blocking(state.inner().clone(), |s| s.legal_settings()).await
}

#[tauri::command]
pub async fn save_legal_settings(
    state: St<'_>,
    settings: taawun_core::calendar::LegalSettings,
) -> Reply<taawun_core::calendar::LegalSettings> {
    blocking(state.inner().clone(), move |s| s.set_legal_settings(settings)).await
}

// ---- spreadsheets ----

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

// ---- imports ----

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

// ---- backups ----

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
) -> Reply<taawun_core::store::LastBackup> {
    use tauri::Emitter;
    blocking(state.inner().clone(), move |s| {
        let m = taawun_core::backup::create(s, &dest, true, |done, total| {
            let _ = app.emit("backup-progress", json!({"done": done, "total": total}));
        })?;
        s.record_backup(&dest, &m)?;
        Ok(s.last_backup()?.expect("just recorded"))
    })
    .await
}

#[tauri::command]
pub async fn last_backup(state: St<'_>) -> Reply<BackupStatus> {
    blocking(state.inner().clone(), |s| {
        let auto = taawun_core::backup::rolling::state(s)?;
        let failed =
            auto.unresolved_failure().map(|(at, error)| FailedBackup { at: at.to_string(), error: error.to_string() });
        Ok(BackupStatus { last: s.last_backup()?, failed })
    })
    .await
}

/// What the home view says of backups: the last good one, and an automatic one that failed since.
#[derive(serde::Serialize)]
pub struct BackupStatus {
    last: Option<taawun_core::store::LastBackup>,
    failed: Option<FailedBackup>,
}

#[derive(serde::Serialize)]
pub struct FailedBackup {
    at: String,
    error: String,
}

// ---- search ----

/// Records matching what the user typed, best first (the index is brought up to date first).
#[tauri::command]
pub async fn search(
    state: St<'_>,
    query: String,
    filters: taawun_core::store::SearchFilters,
    limit: Option<usize>,
) -> Reply<Vec<taawun_core::store::SearchHit>> {
    blocking(state.inner().clone(), move |s| s.search(&query, &filters, limit.unwrap_or(40))).await
}

// ---- printing ----

#[tauri::command]
pub async fn council_identity(state: St<'_>) -> Reply<taawun_core::print::CouncilIdentity> {
    blocking(state.inner().clone(), |s| s.council_identity()).await
}

/// Saves the letterhead lines and the address (the emblem is set by `set_council_emblem`).
#[tauri::command]
pub async fn save_council_identity(
    state: St<'_>,
    identity: taawun_core::print::CouncilIdentity,
) -> Reply<taawun_core::print::CouncilIdentity> {
    blocking(state.inner().clone(), move |s| {
        let mut identity = identity;
        identity.emblem_sha256 = s.council_identity()?.emblem_sha256;
        s.set_council_identity(identity)
    })
    .await
}

/// Keeps the image chosen in the open dialog as the emblem (None removes it).
#[tauri::command]
pub async fn set_council_emblem(
    state: St<'_>,
    path: Option<std::path::PathBuf>,
) -> Reply<taawun_core::print::CouncilIdentity> {
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
    dest: std::path::PathBuf,
) -> Reply<usize> {
    use tauri::Emitter;
    let shared = state.inner().clone();
    let target = dest.clone();
    let _ = app.emit("dossier-progress", json!({"state": "started"}));
    let pages = blocking(shared.clone(), move |s| {
        taawun_core::print::deliberation_dossier(s, session_id, point_id, lang, &target)
    })
    .await;
    let _ = app.emit("dossier-progress", json!({"state": "done"}));
    let pages = pages?;
    *shared.last_printed.lock().unwrap_or_else(|p| p.into_inner()) = Some(dest);
    Ok(pages)
}

/// Opens the last printed PDF with the system viewer.
#[tauri::command]
pub async fn open_printed(state: St<'_>) -> Reply<()> {
    let lang = state.lang();
    let path = state.last_printed.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let Some(path) = path else { return Err(taawun_core::Error::NotFound { kind: "document", id: 0 }.report(lang)) };
    tauri_plugin_opener::open_path(&path, None::<&str>).map_err(|e| internal(lang, &e.to_string()))
}

/// An error of the shell itself (a thread, a path), in the user's language.
pub(crate) fn internal(lang: Lang, detail: &str) -> ErrorReport {
    ErrorReport {
        code: "internal".into(),
        message: i18n::tr_args(lang, "error.internal", &[("detail", detail)]),
        field: None,
        row: None,
    }
}
