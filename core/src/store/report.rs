//! What the annual cooperation report of a year holds, read in one place for the report's PDF
//! (`crate::print::annual_report`): the year's figures (`figures.rs`, the same the dashboard
//! shows) and every year's signatures up to it, the agreements in effect during the year with
//! their status through it, the council's sessions of the year with their points and
//! deliberations, the projects running during it with their budget lines, and the memberships
//! held with their dues.
//!
//! "In effect during the year" is one stated rule (`in_effect`): the agreement has started (in
//! force from, else signed on) by the end of the year, has not run out before it (its end, or its
//! start plus its duration, unless renewed tacitly), and was signed or in force at some moment of
//! the year by its dated status history. An agreement whose start is not recorded cannot be
//! placed in a year: the report counts them apart (`undated`), never guesses.

use super::agreements::{parties_of, status_changes, PartyRef};
use super::figures::{by_year_status_kind, Figures, YearStatus, MEMBERSHIP_IN_YEAR, PROJECT_IN_YEAR};
use super::session_page::SessionView;
use super::Store;
use crate::calendar::PartialDate;
use crate::error::Result;
use crate::model::{AgreementKind, AgreementStatus, StatusChange};
use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct AnnualReport {
    pub year: i32,
    /// The year's figures, as the dashboard shows them for that year.
    pub figures: Figures,
    /// Agreements signed each year up to this one, by their status today (undated ones left out).
    pub trend: Vec<YearStatus>,
    pub agreements: Vec<AgreementInYear>,
    /// Agreements signed or in force today whose start is not recorded (in no year's list).
    pub undated: i64,
    pub sessions: Vec<SessionView>,
    pub projects: Vec<ProjectInYear>,
    pub memberships: Vec<MembershipInYear>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgreementInYear {
    pub id: i64,
    pub kind: AgreementKind,
    pub title_ar: String,
    pub title_fr: String,
    pub parties: Vec<PartyRef>,
    pub signed_on: String,
    /// In force from, else signed on (stored partial date).
    pub start: String,
    pub expires_on: Option<String>,
    pub tacit_renewal: bool,
    /// The status on the first day of the year (none: not yet recorded then).
    pub status_at_start: Option<AgreementStatus>,
    /// The changes dated in the year, in the order recorded.
    pub changes: Vec<StatusChange>,
    /// The status at the end of the year (its last change dated in the year or before).
    pub status_at_end: AgreementStatus,
}

#[derive(Clone, Debug, Serialize)]
pub struct BudgetLineInYear {
    /// The contributing partner; none: the council itself.
    pub partner: Option<PartyRef>,
    pub label: String,
    pub minor: i64,
    pub currency: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProjectInYear {
    pub id: i64,
    pub title_ar: String,
    pub title_fr: String,
    pub fund: String,
    pub start_on: String,
    pub end_on: String,
    pub status: String,
    pub lines: Vec<BudgetLineInYear>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MembershipInYear {
    pub id: i64,
    pub organisation: PartyRef,
    pub since: String,
    pub dues_minor: Option<i64>,
    pub dues_currency: String,
}

impl Store {
    /// The annual report's contents for `year` (`today` as `figures` takes it; `lang` names the
    /// sessions' dates).
    pub fn annual_report(&self, year: i32, today: NaiveDate, lang: crate::Lang) -> Result<AnnualReport> {
        let c = &self.conn;
        let figures = self.figures(Some(year), today)?;
        let trend =
            by_year_status_kind(c, &None)?.by_year.into_iter().filter(|r| r.year.is_some_and(|y| y <= year)).collect();
        let (agreements, undated) = agreements_in_effect(c, year)?;
        let session_ids: Vec<i64> = c
            .prepare("SELECT id FROM session WHERE deleted_at IS NULL AND year = ?1 ORDER BY month, number, id")?
            .query_map([year], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let sessions = session_ids.into_iter().map(|id| self.session_view(id, lang)).collect::<Result<_>>()?;
        Ok(AnnualReport {
            year,
            figures,
            trend,
            agreements,
            undated,
            sessions,
            projects: projects(c, year)?,
            memberships: memberships(c, year)?,
        })
    }
}

/// A partner from the columns `at`.. (id, Arabic name, Latin name, country, deleted).
fn party(r: &rusqlite::Row, at: usize) -> rusqlite::Result<PartyRef> {
    Ok(PartyRef {
        id: r.get(at)?,
        name_ar: r.get(at + 1)?,
        name_latin: r.get(at + 2)?,
        country: r.get(at + 3)?,
        deleted: r.get(at + 4)?,
    })
}

/// The year of a stored partial date ("2018", "2018-04", "2018-04-25"), if any.
fn year_of(stored: &str) -> Option<i32> {
    PartialDate::stored(stored).map(|d| chrono::Datelike::year(&d.first_day()))
}

/// Whether a status makes the agreement bind its parties.
fn binding(s: AgreementStatus) -> bool {
    matches!(s, AgreementStatus::Signed | AgreementStatus::InForce)
}

/// The agreements in effect during `year` (module documentation), and how many binding ones
/// have no recorded start.
fn agreements_in_effect(c: &Connection, year: i32) -> Result<(Vec<AgreementInYear>, i64)> {
    let first_day = NaiveDate::from_ymd_opt(year, 1, 1).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let mut stmt = c.prepare(
        "SELECT id, kind, title_ar, title_fr, signed_on, CASE WHEN effective_from <> '' THEN effective_from ELSE signed_on END,
                expires_on, tacit_renewal, status
           FROM agreement WHERE deleted_at IS NULL ORDER BY signed_on, id",
    )?;
    let candidates = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, AgreementKind>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, bool>(7)?,
                r.get::<_, AgreementStatus>(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (mut out, mut undated) = (Vec::new(), 0);
    for (id, kind, title_ar, title_fr, signed_on, start, expires_on, tacit_renewal, status) in candidates {
        let Some(start_year) = year_of(&start) else {
            undated += i64::from(binding(status));
            continue;
        };
        let ran_out = !tacit_renewal && expires_on.as_deref().is_some_and(|e| e < first_day.as_str());
        if start_year > year || ran_out {
            continue;
        }
        let changes = status_changes(c, id)?;
        // An undated change is taken to have happened when the agreement started.
        let when = |ch: &StatusChange| year_of(&ch.on).unwrap_or(start_year);
        let status_at_start = changes.iter().rev().find(|ch| when(ch) < year).map(|ch| ch.status);
        let in_year: Vec<StatusChange> = changes.iter().filter(|ch| when(ch) == year).cloned().collect();
        let status_at_end = changes.iter().rev().find(|ch| when(ch) <= year).map(|ch| ch.status).unwrap_or(status);
        let bound = if changes.is_empty() {
            binding(status)
        } else {
            status_at_start.is_some_and(binding) || in_year.iter().any(|ch| binding(ch.status))
        };
        if !bound {
            continue;
        }
        out.push(AgreementInYear {
            id,
            kind,
            title_ar,
            title_fr,
            parties: Vec::new(),
            signed_on,
            start,
            expires_on,
            tacit_renewal,
            status_at_start,
            changes: in_year,
            status_at_end,
        });
    }
    // Their parties in one query.
    let mut parties = parties_of(c, &out.iter().map(|a| a.id).collect::<Vec<_>>())?;
    for a in &mut out {
        a.parties = parties.remove(&a.id).unwrap_or_default();
    }
    Ok((out, undated))
}

fn projects(c: &Connection, year: i32) -> Result<Vec<ProjectInYear>> {
    let mut stmt = c.prepare(&format!(
        "SELECT p.id, p.title_ar, p.title_fr, p.fund, p.start_on, p.end_on, p.status FROM project p
          WHERE {PROJECT_IN_YEAR} ORDER BY p.start_on, p.id"
    ))?;
    let mut lines = c.prepare_cached(
        "SELECT b.label, b.amount_minor, b.currency, p.id IS NOT NULL, p.id, p.name_ar, p.name_latin, p.country,
                p.deleted_at IS NOT NULL
           FROM budget_line b LEFT JOIN partner p ON p.id = b.partner_id
          WHERE b.project_id = ?1 ORDER BY b.position",
    )?;
    let projects = stmt
        .query_map([year], |r| {
            Ok(ProjectInYear {
                id: r.get(0)?,
                title_ar: r.get(1)?,
                title_fr: r.get(2)?,
                fund: r.get(3)?,
                start_on: r.get(4)?,
                end_on: r.get(5)?,
                status: r.get(6)?,
                lines: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    projects
        .into_iter()
        .map(|mut p| {
            p.lines = lines
                .query_map(params![p.id], |r| {
                    Ok(BudgetLineInYear {
                        label: r.get(0)?,
                        minor: r.get(1)?,
                        currency: r.get(2)?,
                        partner: if r.get(3)? { Some(party(r, 4)?) } else { None },
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(p)
        })
        .collect()
}

fn memberships(c: &Connection, year: i32) -> Result<Vec<MembershipInYear>> {
    let mut stmt = c.prepare(&format!(
        "SELECT m.id, m.since, m.dues_minor, m.dues_currency, p.id, p.name_ar, p.name_latin, p.country,
                p.deleted_at IS NOT NULL
           FROM membership m JOIN partner p ON p.id = m.partner_id
          WHERE {MEMBERSHIP_IN_YEAR} ORDER BY m.since, m.id"
    ))?;
    let rows = stmt
        .query_map([year], |r| {
            Ok(MembershipInYear {
                id: r.get(0)?,
                since: r.get(1)?,
                dues_minor: r.get(2)?,
                dues_currency: r.get(3)?,
                organisation: party(r, 4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
