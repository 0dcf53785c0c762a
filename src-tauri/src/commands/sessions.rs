//! Council sessions: sessions, agenda points, votes, the notification to the governor,
//! oppositions, visas, what is due, and the legal settings.

use super::{Reply, St};
use crate::blocking;
use taawun_core::model::*;

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

#[tauri::command]
pub async fn save_member(
    state: St<'_>,
    id: Option<i64>,
    data: MemberData,
    expected_updated_at: Option<String>,
) -> Reply<Record<MemberData>> {
    blocking(state.inner().clone(), move |s| match id {
        Some(id) => s.update_member(id, data, expected_updated_at.as_deref()),
        None => s.add_member(data),
    })
    .await
}
