//! The session page: a session's sittings with their Hijri dates and holiday warnings, the
//! agenda with each point's record, financial commitment and deliberation, and the session's
//! open deadlines. It reads sessions, deliberations and deadlines; none of them reads it.

use super::deliberations::{deliberation_of_point, DeliberationView};
use super::due::{deadlines_of_session, DueItem};
use super::sessions::{get_notification, get_session, points_of, subject_view, Notification, StoredPoint, SubjectView};
use super::Store;
use crate::calendar::{HijriCalendar, HolidayRules, PartialDate, WorkingDays};
use crate::error::Result;
use crate::model::LegalSettings;
use crate::model::{Entity, Record, SessionData, SessionKind, Sitting, Subject};
use crate::money::Money;
use rusqlite::Connection;
use serde::Serialize;

/// What a project commits, per currency: the whole budget and the council's own share.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Commitment {
    pub currency: String,
    pub total: Money,
    pub council_share: Money,
}

pub(crate) fn commitments(c: &Connection, project_id: i64) -> Result<Vec<Commitment>> {
    let rows = c
        .prepare_cached("SELECT currency, sum(amount_minor), sum(CASE WHEN partner_id IS NULL THEN amount_minor ELSE 0 END) FROM budget_line WHERE project_id = ?1 GROUP BY currency ORDER BY currency")?
        .query_map([project_id], |r| {
            let currency: String = r.get(0)?;
            Ok(Commitment { total: Money { minor: r.get(1)?, currency: currency.clone() }, council_share: Money { minor: r.get(2)?, currency: currency.clone() }, currency })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A point on the session page.
#[derive(Clone, Debug, Serialize)]
pub struct PointView {
    #[serde(flatten)]
    pub point: StoredPoint,
    /// The record the point is about (`point.subject` says which; this says what it is now).
    pub about: Option<SubjectView>,
    pub commitments: Vec<Commitment>,
    pub deliberation: Option<DeliberationView>,
}

/// A sitting with its Hijri date and, when it falls on one, the holiday.
#[derive(Clone, Debug, Serialize)]
pub struct SittingView {
    #[serde(flatten)]
    pub sitting: Sitting,
    pub hijri: String,
    /// The Hijri date rests on a month Taawun forecast (the window says so; papers print the date).
    pub hijri_forecast: bool,
    pub holiday: Option<String>,
    pub weekend: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct SessionView {
    pub record: Record<SessionData>,
    pub notification: Notification,
    pub sittings: Vec<SittingView>,
    pub points: Vec<PointView>,
    /// The opening day of an ordinary session the law sets (art. 34: the second Monday, or the
    /// first working day after it).
    pub proposed_date: Option<String>,
    /// Where the record departs from Organic Law 112-14, each with its article.
    pub findings: Vec<crate::model::session_law::Finding>,
    /// The session's open deadlines (notification, opposition window, visas).
    pub deadlines: Vec<DueItem>,
}

pub(crate) fn session_view(
    c: &Connection,
    id: i64,
    rules: &HolidayRules,
    legal: &LegalSettings,
    lang: crate::Lang,
) -> Result<SessionView> {
    let record = get_session(c, id)?;
    let hijri: &HijriCalendar = &rules.hijri_calendar;
    let sittings = record
        .data
        .sittings
        .iter()
        .map(|s| {
            let day = PartialDate::stored(&s.held_on).and_then(|d| d.as_day());
            let in_hijri = day.map(|d| hijri.to_hijri_with_basis(d));
            SittingView {
                sitting: s.clone(),
                hijri: in_hijri.map(|(h, _)| h.display(lang)).unwrap_or_default(),
                hijri_forecast: in_hijri.is_some_and(|(_, basis)| basis.is_forecast()),
                holiday: day.and_then(|d| rules.holiday(d)),
                weekend: day.is_some_and(|d| {
                    matches!(chrono::Datelike::weekday(&d), chrono::Weekday::Sat | chrono::Weekday::Sun)
                }),
            }
        })
        .collect();
    let mut points = Vec::new();
    for p in points_of(c, id)? {
        let about = p.record.data.subject.map(|s| subject_view(c, s)).transpose()?;
        let commitments = match p.record.data.subject {
            Some(Subject { kind: Entity::Project, id }) => commitments(c, id)?,
            _ => Vec::new(),
        };
        let deliberation = deliberation_of_point(c, p.record.id, hijri, lang)?;
        points.push(PointView { point: p, about, commitments, deliberation });
    }
    let days = WorkingDays::new(rules);
    let proposed_date = (record.data.kind == SessionKind::Ordinary)
        .then(|| crate::law::opening_day(record.data.year, record.data.month, &days))
        .flatten()
        .map(|d| d.to_string());
    let mut counted = record.data.clone();
    counted.members_in_office = super::members::in_office(c, &record.data)?;
    let findings = crate::model::session_law::session_findings(&counted, &days, legal, lang);
    let deadlines = deadlines_of_session(c, id, &days, legal, lang)?;
    Ok(SessionView {
        notification: get_notification(c, id)?,
        record,
        sittings,
        points,
        proposed_date,
        findings,
        deadlines,
    })
}

impl Store {
    /// The session page: sittings with Hijri dates and holiday warnings, the agenda with each
    /// point's record, legal basis, commitments and deliberation, and the open deadlines.
    pub fn session_view(&self, id: i64, lang: crate::Lang) -> Result<SessionView> {
        session_view(&self.conn, id, &self.holiday_rules()?, &self.legal_settings()?, lang)
    }
}
