//! The records: the home counts, lists, one record, saving, status, trash, history, the sample
//! records and search.

use super::{Reply, St};
use crate::blocking;
use serde_json::Value;
use taawun_core::model::*;
use taawun_core::store::ListQuery;

#[tauri::command]
pub async fn home(state: St<'_>) -> Reply<taawun_core::store::HomeSummary> {
    blocking(state.inner().clone(), |s| s.home(taawun_core::calendar::today())).await
}

/// The council's cooperation at a glance, for one year or all (the dashboard).
#[tauri::command]
pub async fn figures(state: St<'_>, year: Option<i32>) -> Reply<taawun_core::store::Figures> {
    blocking(state.inner().clone(), move |s| s.figures(year, taawun_core::calendar::today())).await
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
            // One mandate's list (the latest unless `year` names one).
            Entity::Member => serde_json::to_value(s.members(query.year)?)?,
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
            Entity::Member => serde_json::to_value(s.get_member(id)?)?,
        })
    })
    .await
}

#[tauri::command]
pub async fn save_partner(
    state: St<'_>,
    id: Option<i64>,
    data: super::form::Form<PartnerData>,
    expected_updated_at: Option<String>,
) -> Reply<Record<PartnerData>> {
    let data = data.read_in(state.lang())?;
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
    data: super::form::Form<AgreementData>,
    expected_updated_at: Option<String>,
) -> Reply<Record<AgreementData>> {
    let data = data.read_in(state.lang())?;
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
    data: super::form::Form<ProjectData>,
    expected_updated_at: Option<String>,
) -> Reply<Record<ProjectData>> {
    let data = data.read_in(state.lang())?;
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
    data: super::form::Form<MembershipData>,
    expected_updated_at: Option<String>,
) -> Reply<Record<MembershipData>> {
    let data = data.read_in(state.lang())?;
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

/// The officer says a record imported to complete is complete as it stands.
#[tauri::command]
pub async fn mark_complete(state: St<'_>, kind: Entity, id: i64) -> Reply<()> {
    blocking(state.inner().clone(), move |s| s.mark_complete(kind, id)).await
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
