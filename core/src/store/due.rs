//! What is due: every open deadline of the council's work, with the date, whether it is
//! overdue, and the rule that produced it ("10 working days after the session closed on
//! 12 June 2019"). The deadlines come from the legal settings and the working-day calendar.
//!
//! - notify: a session with deliberations whose minutes are not sent yet;
//! - opposition window: the governor may still oppose (received, window not closed);
//! - visa: an approved deliberation waiting for the Ministry's visa (deemed granted after);
//! - reexamine: an opposed deliberation not yet back on a later agenda;
//! - convocation: an upcoming session whose members are not convened yet;
//! - expiring: an agreement ending within 90 days.

use super::Store;
use crate::calendar::{LegalSettings, PartialDate, WorkingDays};
use crate::error::Result;
use crate::i18n::{tr, tr_args, Lang};
use crate::model::Entity;
use chrono::{Days, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DueItem {
    pub due_on: String,
    /// `notify`, `opposition_window`, `visa`, `reexamine`, `convocation`, `expiring`.
    pub kind: String,
    pub overdue: bool,
    /// The record to open.
    pub entity: Entity,
    pub id: i64,
    /// What it concerns (a session, a deliberation number, an agreement's title).
    pub label: String,
    /// The session page where it is dealt with (for a session's or a deliberation's deadline).
    pub session_id: Option<i64>,
    /// The rule that produced the date, in the user's language.
    pub rule: String,
}

fn day(s: &str) -> Option<NaiveDate> {
    PartialDate::stored(s).and_then(|d| d.as_day())
}

fn show(d: NaiveDate, lang: Lang) -> String {
    PartialDate::from_naive(d).map(|p| p.display(lang)).unwrap_or_else(|_| d.to_string())
}

/// A session's name: "June 2019 ordinary session" / "extraordinary session 2 of 2020".
pub fn session_label(kind: &str, year: i32, month: u32, number: Option<u32>, lang: Lang) -> String {
    let month_name = crate::calendar::month_name(lang, month);
    tr_args(
        lang,
        &format!("session.label_{kind}"),
        &[
            ("month", &month_name),
            ("year", &year.to_string()),
            ("number", &number.map(|n| n.to_string()).unwrap_or_default()),
        ],
    )
}

struct Ctx<'a> {
    days: &'a WorkingDays<'a>,
    legal: &'a LegalSettings,
    lang: Lang,
    at: NaiveDate,
}

impl Ctx<'_> {
    /// `about`: the record concerned and the session page where it is dealt with.
    fn item(
        &self,
        due: NaiveDate,
        kind: &str,
        about: (Entity, i64, Option<i64>),
        label: String,
        rule: String,
    ) -> DueItem {
        let (entity, id, session_id) = about;
        DueItem {
            due_on: due.to_string(),
            kind: kind.into(),
            overdue: due < self.at,
            entity,
            id,
            label,
            rule,
            session_id,
        }
    }

    fn visa_due(&self, receipt: NaiveDate) -> NaiveDate {
        if self.legal.visa_in_working_days {
            self.days.add(receipt, self.legal.visa_days)
        } else {
            receipt + Days::new(self.legal.visa_days.into())
        }
    }
}

/// Every open deadline at `at`, sorted by date (overdue first).
pub(crate) fn due(
    c: &Connection,
    at: NaiveDate,
    days: &WorkingDays,
    legal: &LegalSettings,
    lang: Lang,
) -> Result<Vec<DueItem>> {
    let ctx = Ctx { days, legal, lang, at };
    let mut out = Vec::new();
    sessions_due(c, &ctx, None, &mut out)?;
    // Expiring agreements (the home's 90-day horizon), and those already expired but still "in force".
    let horizon = at + Days::new(90);
    let mut stmt = c.prepare_cached(
        "SELECT id, title_ar, title_fr, expires_on FROM agreement WHERE deleted_at IS NULL AND expires_on IS NOT NULL AND expires_on <= ?1
           AND status IN ('signed', 'in_force') ORDER BY expires_on",
    )?;
    let rows = stmt.query_map([horizon.to_string()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })?;
    for row in rows {
        let (id, ar, fr, expires) = row?;
        let Some(d) = day(&expires) else { continue };
        let label = if ar.is_empty() { fr } else { ar };
        out.push(ctx.item(d, "expiring", (Entity::Agreement, id, None), label, tr(lang, "due.rule.expiring")));
    }
    out.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.kind.cmp(&b.kind)).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// The open deadlines of one session (for its page).
pub(crate) fn deadlines_of_session(
    c: &Connection,
    session_id: i64,
    days: &WorkingDays,
    legal: &LegalSettings,
    lang: Lang,
) -> Result<Vec<DueItem>> {
    let ctx = Ctx { days, legal, lang, at: crate::calendar::today() };
    let mut out = Vec::new();
    sessions_due(c, &ctx, Some(session_id), &mut out)?;
    out.sort_by(|a, b| a.due_on.cmp(&b.due_on));
    Ok(out)
}

fn sessions_due(c: &Connection, ctx: &Ctx, only: Option<i64>, out: &mut Vec<DueItem>) -> Result<()> {
    let lang = ctx.lang;
    let scope = if only.is_some() { "AND s.id = ?1" } else { "AND ?1 IS NULL" };
    // Sessions: notification, opposition window, convocation.
    let sql = format!(
        "SELECT s.id, s.kind, s.year, s.month, s.number, s.notified_on, s.receipt_on, s.convocation_on,
                (SELECT min(held_on) FROM session_sitting WHERE session_id = s.id),
                (SELECT max(held_on) FROM session_sitting WHERE session_id = s.id),
                EXISTS (SELECT 1 FROM agenda_point p JOIN deliberation d ON d.point_id = p.id WHERE p.session_id = s.id AND p.deleted_at IS NULL AND d.deleted_at IS NULL)
         FROM session s WHERE s.deleted_at IS NULL {scope}"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map([only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i32>(2)?,
            r.get::<_, u32>(3)?,
            r.get::<_, Option<u32>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, Option<String>>(8)?,
            r.get::<_, Option<String>>(9)?,
            r.get::<_, bool>(10)?,
        ))
    })?;
    for row in rows {
        let (id, kind, year, month, number, notified, receipt, convocation, first, closed, decided) = row?;
        let label = session_label(&kind, year, month, number, lang);
        let (first, closed) = (first.as_deref().and_then(day), closed.as_deref().and_then(day));
        if let (Some(closed), true, true) = (closed, notified.is_empty(), decided) {
            let due = ctx.days.add(closed, ctx.legal.notify_working_days);
            let rule = tr_args(
                lang,
                "due.rule.notify",
                &[("n", &ctx.legal.notify_working_days.to_string()), ("date", &show(closed, lang))],
            );
            out.push(ctx.item(due, "notify", (Entity::Session, id, Some(id)), label.clone(), rule));
        }
        if let Some(received) = day(&receipt) {
            let due = ctx.days.add(received, ctx.legal.opposition_working_days);
            if due >= ctx.at {
                let rule = tr_args(
                    lang,
                    "due.rule.opposition",
                    &[("n", &ctx.legal.opposition_working_days.to_string()), ("date", &show(received, lang))],
                );
                out.push(ctx.item(due, "opposition_window", (Entity::Session, id, Some(id)), label.clone(), rule));
            }
        }
        if let (Some(first), true) = (first, convocation.is_empty()) {
            if first >= ctx.at {
                let due = first - Days::new(ctx.legal.convocation_days.into());
                let rule = tr_args(
                    lang,
                    "due.rule.convocation",
                    &[("n", &ctx.legal.convocation_days.to_string()), ("date", &show(first, lang))],
                );
                out.push(ctx.item(due, "convocation", (Entity::Session, id, Some(id)), label.clone(), rule));
            }
        }
    }
    // Deliberations: visas pending (counted from the receipt of the session's minutes).
    let sql = format!(
        "SELECT d.id, d.number, s.receipt_on, s.id, s.kind, s.year, s.month, s.number FROM deliberation d JOIN agenda_point p ON p.id = d.point_id JOIN session s ON s.id = p.session_id
         WHERE d.deleted_at IS NULL AND p.deleted_at IS NULL AND s.deleted_at IS NULL AND d.visa_status = 'pending' AND d.opposition_on = '' AND s.receipt_on <> '' {scope}"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    for row in stmt.query_map([only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            session_label(&r.get::<_, String>(4)?, r.get(5)?, r.get(6)?, r.get(7)?, lang),
        ))
    })? {
        let (id, number, receipt, session, session_name) = row?;
        let Some(received) = day(&receipt) else { continue };
        let due = ctx.visa_due(received);
        let unit = if ctx.legal.visa_in_working_days { "due.unit.working_days" } else { "due.unit.days" };
        let rule = tr_args(
            lang,
            "due.rule.visa",
            &[("n", &ctx.legal.visa_days.to_string()), ("unit", &tr(lang, unit)), ("date", &show(received, lang))],
        );
        let label = format!("{} — {session_name}", tr_args(lang, "due.deliberation", &[("number", &number)]));
        out.push(ctx.item(due, "visa", (Entity::Deliberation, id, Some(session)), label, rule));
    }
    // Opposed deliberations not yet back before the council: by the next ordinary session.
    let sql = format!(
        "SELECT d.id, d.number, d.opposition_on, p.session_id, s.kind, s.year, s.month, s.number FROM deliberation d JOIN agenda_point p ON p.id = d.point_id JOIN session s ON s.id = p.session_id
         WHERE d.deleted_at IS NULL AND p.deleted_at IS NULL AND d.opposition_on <> ''
           AND NOT EXISTS (SELECT 1 FROM agenda_point q WHERE q.reexamines = p.id AND q.deleted_at IS NULL) {}",
        if only.is_some() { "AND p.session_id = ?1" } else { "AND ?1 IS NULL" }
    );
    let mut stmt = c.prepare_cached(&sql)?;
    for row in stmt.query_map([only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            session_label(&r.get::<_, String>(4)?, r.get(5)?, r.get(6)?, r.get(7)?, lang),
        ))
    })? {
        let (id, number, opposed, session, session_name) = row?;
        let Some(opposed) = day(&opposed) else { continue };
        let due = next_ordinary_session(opposed);
        let rule = tr_args(lang, "due.rule.reexamine", &[("date", &show(opposed, lang))]);
        let label = format!("{} — {session_name}", tr_args(lang, "due.deliberation", &[("number", &number)]));
        out.push(ctx.item(due, "reexamine", (Entity::Deliberation, id, Some(session)), label, rule));
    }
    Ok(())
}

/// The proposed first sitting of the first ordinary session after `d`.
fn next_ordinary_session(d: NaiveDate) -> NaiveDate {
    let year = chrono::Datelike::year(&d);
    [year, year + 1]
        .into_iter()
        .flat_map(|y| crate::model::session::ORDINARY_MONTHS.map(|m| crate::model::SessionData::proposed_date(y, m)))
        .flatten()
        .find(|s| *s > d)
        .expect("an ordinary session every few months")
}

impl Store {
    /// Every open deadline at `at`, sorted by date, with the rule that produced it.
    pub fn due(&self, at: chrono::NaiveDate, lang: crate::Lang) -> Result<Vec<DueItem>> {
        let rules = self.holiday_rules()?;
        due(&self.conn, at, &crate::calendar::WorkingDays::new(&rules), &self.legal_settings()?, lang)
    }
}
