//! Council sessions: sessions, agenda points, votes, the notification to the governor,
//! oppositions, visas, what is due, and the legal settings.

use super::{Reply, St};
use crate::blocking;
use taawun_core::model::*;

#[tauri::command]
pub async fn save_session(
    state: St<'_>,
    id: Option<i64>,
    data: super::form::Form<SessionData>,
    expected_updated_at: Option<String>,
) -> Reply<Record<SessionData>> {
    let data = data.read_in(state.lang())?;
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
    data: super::form::Form<PointData>,
    expected_updated_at: Option<String>,
) -> Reply<taawun_core::store::StoredPoint> {
    let data = data.read_in(state.lang())?;
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
    data: super::form::Form<DeliberationData>,
    expected_updated_at: Option<String>,
) -> Reply<taawun_core::store::DeliberationView> {
    let data = data.read_in(state.lang())?;
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

/// The home view's deadlines: each group (overdue, within 7 days, within 30 days, later)
/// counted, with its first `limit` items.
#[tauri::command]
pub async fn due_groups(state: St<'_>, limit: usize) -> Reply<Vec<taawun_core::store::DueGroup>> {
    let lang = state.lang();
    blocking(state.inner().clone(), move |s| s.due_groups(taawun_core::calendar::today(), lang, limit)).await
}

/// More of one group of the home view's deadlines.
#[tauri::command]
pub async fn due_group(
    state: St<'_>,
    group: String,
    offset: usize,
    limit: usize,
) -> Reply<taawun_core::store::DueGroup> {
    let lang = state.lang();
    blocking(state.inner().clone(), move |s| s.due_group(taawun_core::calendar::today(), lang, &group, offset, limit))
        .await
}

/// The opening day of an ordinary session (art. 34, this council's days off): of `year`
/// `month` when given (`None` when no ordinary session is held that month), else of the next
/// ordinary session from today.
#[tauri::command]
pub async fn ordinary_opening(state: St<'_>, year: Option<i32>, month: Option<u32>) -> Reply<Option<String>> {
    blocking(state.inner().clone(), move |s| {
        let day = match (year, month) {
            (Some(year), Some(month)) => s.ordinary_opening(year, month)?,
            _ => Some(s.next_ordinary_opening(taawun_core::calendar::today())?),
        };
        Ok(day.map(|d| d.to_string()))
    })
    .await
}

/// A Hijri month as the settings list it: its first day in Morocco, what that rests on, and
/// for an announced month where the Ministry's communiqué was reported.
#[derive(serde::Serialize)]
pub struct HijriMonthView {
    #[serde(flatten)]
    month: taawun_core::calendar::MonthStart,
    source: Option<&'static str>,
}

impl From<taawun_core::calendar::MonthStart> for HijriMonthView {
    fn from(month: taawun_core::calendar::MonthStart) -> Self {
        HijriMonthView { source: month.source(), month }
    }
}

/// The Hijri month under way and the twelve after it.
#[tauri::command]
pub async fn hijri_months(state: St<'_>) -> Reply<Vec<HijriMonthView>> {
    blocking(state.inner().clone(), |s| {
        Ok(s.hijri_months_from(taawun_core::calendar::today(), 13)?.into_iter().map(Into::into).collect())
    })
    .await
}

/// The officer's one action when the Ministry announces a month: 0 confirms the day Taawun
/// has, -1 and +1 move it; every deadline resting on it follows.
#[tauri::command]
pub async fn record_hijri_month(state: St<'_>, year: i32, month: u8, shift: i8) -> Reply<HijriMonthView> {
    blocking(state.inner().clone(), move |s| Ok(s.set_hijri_correction(year, month, shift)?.into())).await
}

/// Forgets what the officer recorded for a month (back to the announcement or the forecast).
#[tauri::command]
pub async fn forget_hijri_month(state: St<'_>, year: i32, month: u8) -> Reply<HijriMonthView> {
    blocking(state.inner().clone(), move |s| Ok(s.set_hijri_month(year, month, None)?.into())).await
}

#[tauri::command]
pub async fn legal_settings(state: St<'_>) -> Reply<taawun_core::model::LegalSettings> {
    blocking(state.inner().clone(), |s| s.legal_settings()).await
}

#[tauri::command]
pub async fn save_legal_settings(
    state: St<'_>,
    settings: taawun_core::model::LegalSettings,
) -> Reply<taawun_core::model::LegalSettings> {
    blocking(state.inner().clone(), move |s| s.set_legal_settings(settings)).await
}

#[tauri::command]
pub async fn save_member(
    state: St<'_>,
    id: Option<i64>,
    data: super::form::Form<MemberData>,
    expected_updated_at: Option<String>,
) -> Reply<Record<MemberData>> {
    let data = data.read_in(state.lang())?;
    blocking(state.inner().clone(), move |s| match id {
        Some(id) => s.update_member(id, data, expected_updated_at.as_deref()),
        None => s.add_member(data),
    })
    .await
}
