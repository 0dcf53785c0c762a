//! What is due: every open deadline of the council's work, with the date, whether it is
//! overdue, and the rule that produced it with its article of Organic Law 112-14 ("10 working
//! days after the session closed on 12 June 2019 (art. 107 …)"). The delays are `crate::law`'s
//! (some of them the council's settings) counted on the working-day calendar.
//!
//! Before a session: the agenda to the governor (art. 39), the governor's additions and
//! oppositions (arts. 40, 42), the convocations (arts. 36, 38), the president's answer to a
//! third of the members and the day an asked-for session is held by (arts. 37, 38), a second
//! convocation after a sitting without quorum (art. 43).
//! After it (once it decided something): the attendance copy (art. 68), the transmission to the
//! governor (art. 107), the minutes to the members and the posting of the decisions (art. 217),
//! the opposition window (art. 108), the visa (art. 109), a new examination after an opposition
//! (art. 108); and agreements expiring within 90 days.

use super::Store;
use crate::calendar::{ForecastHoliday, PartialDate, WorkingDays};
use crate::error::Result;
use crate::i18n::{tr, tr_args, Lang};
use crate::law::{self, Article};
use crate::model::session_law::{self, NextMeeting};
use crate::model::LegalSettings;
use crate::model::{Entity, RequestedBy, SessionData};
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
    /// The rule that produced the date, in the user's language, its article cited.
    pub rule: String,
    /// The article of Organic Law 112-14 it rests on (none for an agreement's term).
    pub article: Option<Article>,
    /// The lunar holidays not yet announced that a delay counted in working days crosses: the
    /// date moves if the Ministry announces their month a day off the forecast (the rule says so).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forecast: Vec<ForecastHoliday>,
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
            article: None,
            forecast: Vec::new(),
        }
    }

    /// An item whose date `due` was counted in working days from `from`: the forecast lunar
    /// holidays it crosses are named, and the rule says it depends on them.
    fn counted_from(&self, mut item: DueItem, from: NaiveDate, due: NaiveDate) -> DueItem {
        item.forecast = self.days.forecasts_between(from, due);
        if let Some(note) = crate::calendar::depends_on(&item.forecast, self.lang) {
            item.rule = format!("{} {note}", item.rule);
        }
        item
    }

    /// An item whose rule rests on `article`: the rule's text ends with its citation.
    fn law_item(
        &self,
        due: NaiveDate,
        kind: &str,
        about: (Entity, i64, Option<i64>),
        label: String,
        rule: String,
        article: Article,
    ) -> DueItem {
        let rule = format!("{rule} ({})", article.cite(self.lang));
        DueItem { article: Some(article), ..self.item(due, kind, about, label, rule) }
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
    let mut out = law_due(c, at, days, legal, lang)?;
    expiring_due(c, &Ctx { days, legal, lang, at }, &mut out)?;
    sort(&mut out);
    Ok(out)
}

/// The deadlines the law sets (a session's and a deliberation's), without the agreements'
/// terms: the home view's groups (the terms have their own panel there, and a council's
/// registry holds tens of thousands of agreements past their term still marked in force).
pub(crate) fn law_due(
    c: &Connection,
    at: NaiveDate,
    days: &WorkingDays,
    legal: &LegalSettings,
    lang: Lang,
) -> Result<Vec<DueItem>> {
    let ctx = Ctx { days, legal, lang, at };
    let mut out = Vec::new();
    sessions_due(c, &ctx, None, &mut out)?;
    sort(&mut out);
    Ok(out)
}

fn sort(items: &mut [DueItem]) {
    items.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.kind.cmp(&b.kind)).then(a.id.cmp(&b.id)));
}

/// The agreements whose term falls within 90 days of `ctx.at` (the home's horizon), and those
/// past it but still signed or in force.
fn expiring_due(c: &Connection, ctx: &Ctx, out: &mut Vec<DueItem>) -> Result<()> {
    let (at, lang) = (ctx.at, ctx.lang);
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
    Ok(())
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
    sort(&mut out);
    Ok(out)
}

fn sessions_due(c: &Connection, ctx: &Ctx, only: Option<i64>, out: &mut Vec<DueItem>) -> Result<()> {
    let lang = ctx.lang;
    let scope = if only.is_some() { "AND s.id = ?1" } else { "AND ?1 IS NULL" };
    // Sessions: the steps before and after them.
    let decided: std::collections::HashSet<i64> = c
        .prepare_cached(
            "SELECT DISTINCT p.session_id FROM agenda_point p JOIN deliberation d ON d.point_id = p.id WHERE p.deleted_at IS NULL AND d.deleted_at IS NULL",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, mut session, notification) in super::sessions::live_sessions(c, only)? {
        if session.members_in_office.is_none() {
            session.members_in_office = super::members::in_office(c, &session)?;
        }
        session_steps_due(ctx, id, &session, &notification, decided.contains(&id), out);
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
        let unit = if ctx.legal.visa_in_working_days { "working_day" } else { "day" };
        let days = crate::plural::counted(lang, unit, ctx.legal.visa_days.into());
        let rule = tr_args(lang, "due.rule.visa", &[("n", &days), ("date", &show(received, lang))]);
        let label = format!("{} — {session_name}", tr_args(lang, "due.deliberation", &[("number", &number)]));
        let item = ctx.law_item(due, "visa", (Entity::Deliberation, id, Some(session)), label, rule, law::VISA);
        out.push(if ctx.legal.visa_in_working_days { ctx.counted_from(item, received, due) } else { item });
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
        let due = law::next_ordinary_opening(opposed + chrono::Days::new(1), ctx.days);
        let rule = tr_args(lang, "due.rule.reexamine", &[("date", &show(opposed, lang))]);
        let label = format!("{} — {session_name}", tr_args(lang, "due.deliberation", &[("number", &number)]));
        out.push(ctx.law_item(
            due,
            "reexamine",
            (Entity::Deliberation, id, Some(session)),
            label,
            rule,
            law::OPPOSITION,
        ));
    }
    Ok(())
}

/// The deadlines of one session's own steps (see the module's list): before it, after a sitting
/// without quorum, and after it once it decided something.
fn session_steps_due(
    ctx: &Ctx,
    id: i64,
    s: &SessionData,
    notification: &super::sessions::Notification,
    decided: bool,
    out: &mut Vec<DueItem>,
) {
    let label = session_label(s.kind.as_str(), s.year, s.month, s.number, ctx.lang);
    let mut steps = SessionSteps { ctx, about: (Entity::Session, id, Some(id)), label, out };
    steps.before(s);
    steps.next_convocation(s);
    if let Some(closed) = s.closed_on().filter(|_| decided) {
        steps.after(s, closed, notification);
    }
}

/// Where a session's deadlines go, each under the session's name.
struct SessionSteps<'c, 'o> {
    ctx: &'c Ctx<'c>,
    about: (Entity, i64, Option<i64>),
    label: String,
    out: &'o mut Vec<DueItem>,
}

impl SessionSteps<'_, '_> {
    /// A deadline with its rule and article; `counted_from`: the day a delay in working days runs
    /// from (its forecast holidays are named).
    fn push(&mut self, due: NaiveDate, kind: &str, rule: String, article: Article, counted_from: Option<NaiveDate>) {
        let item = self.ctx.law_item(due, kind, self.about, self.label.clone(), rule, article);
        self.out.push(match counted_from {
            Some(from) => self.ctx.counted_from(item, from, due),
            None => item,
        });
    }

    fn days(&self, v: u64) -> String {
        crate::plural::counted(self.ctx.lang, "day", v)
    }

    /// Before the session: the agenda to the governor, the convocations, the governor's reply on
    /// the agenda, and a session asked for by the members or the governor.
    fn before(&mut self, s: &SessionData) {
        let (ctx, lang) = (self.ctx, self.ctx.lang);
        let first = s.first_sitting();
        if let Some(first) = first.filter(|f| *f >= ctx.at) {
            if s.requested_by == RequestedBy::President && s.agenda_sent_on.is_empty() {
                let due = first - Days::new(law::AGENDA_DAYS);
                let rule = tr_args(
                    lang,
                    "due.rule.agenda",
                    &[("n", &self.days(law::AGENDA_DAYS)), ("date", &show(first, lang))],
                );
                self.push(due, "agenda_to_governor", rule, law::AGENDA_TO_GOVERNOR, None);
            }
            if s.convocation_on.is_empty() {
                let (days, article) = session_law::convocation_delay(s.requested_by, ctx.legal);
                let due = first - Days::new(days.into());
                let rule = tr_args(
                    lang,
                    "due.rule.convocation",
                    &[("n", &self.days(days.into())), ("date", &show(first, lang))],
                );
                self.push(due, "convocation", rule, article, None);
            }
        }
        let received = day(&s.agenda_received_on).or(day(&s.agenda_sent_on));
        if let Some(received) = received {
            let due = received + Days::new(law::GOVERNOR_REPLY_DAYS);
            if due >= ctx.at && first.is_none_or(|f| f >= ctx.at) {
                let rule = tr_args(
                    lang,
                    "due.rule.governor_reply",
                    &[("n", &self.days(law::GOVERNOR_REPLY_DAYS)), ("date", &show(received, lang))],
                );
                self.push(due, "governor_additions", rule, law::GOVERNOR_ADDITIONS, None);
            }
        }
        if let (Some(asked), None) = (day(&s.requested_on), first) {
            if s.requested_by == RequestedBy::MembersThird {
                let due = asked + Days::new(law::REFUSAL_DAYS);
                let rule = tr_args(
                    lang,
                    "due.rule.requested",
                    &[("n", &self.days(law::REFUSAL_DAYS)), ("date", &show(asked, lang))],
                );
                self.push(due, "president_reply", rule, law::EXTRAORDINARY_BY_MEMBERS, None);
            }
            if let Some((within, article)) = session_law::held_within(s.requested_by) {
                let due = asked + Days::new(within);
                let rule =
                    tr_args(lang, "due.rule.requested", &[("n", &self.days(within)), ("date", &show(asked, lang))]);
                self.push(due, "hold_by", rule, article, None);
            }
        }
    }

    /// A sitting without quorum and no later meeting yet (arts. 38, 43).
    fn next_convocation(&mut self, s: &SessionData) {
        let lang = self.ctx.lang;
        let (Some(office), Some(last)) = (s.members_in_office, s.sittings.last()) else { return };
        let (Some(present), Some(held)) = (last.present, day(&last.held_on)) else { return };
        if session_law::valid_whatever_attendance(s.requested_by, last.round) || law::quorum_met(present, office) {
            return;
        }
        let next = session_law::next_meeting(s.requested_by, last.round, held, self.ctx.days);
        let rule = match next {
            NextMeeting::NextWorkingDay(day) => {
                tr_args(lang, "due.rule.next_working_day", &[("from", &show(day, lang))])
            }
            NextMeeting::Second { from, to } => {
                tr_args(lang, "due.rule.second_convocation", &[("from", &show(from, lang)), ("to", &show(to, lang))])
            }
            NextMeeting::Third { from } => tr_args(lang, "due.rule.third_convocation", &[("from", &show(from, lang))]),
        };
        self.push(next.to().unwrap_or(next.from()), "next_convocation", rule, next.article(), Some(held));
    }

    /// After a session closed on `closed`: the attendance copy, the notification to the governor,
    /// the minutes to the members, the posting, and the governor's window to oppose.
    fn after(&mut self, s: &SessionData, closed: NaiveDate, notification: &super::sessions::Notification) {
        let (ctx, lang) = (self.ctx, self.ctx.lang);
        let after = |days: u64| {
            tr_args(lang, "due.rule.after_closing", &[("n", &self.days(days)), ("date", &show(closed, lang))])
        };
        let (attendance, minutes, posting) =
            (after(law::ATTENDANCE_COPY_DAYS), after(law::MINUTES_TO_MEMBERS_DAYS), after(law::POSTING_DAYS));
        if s.attendance_sent_on.is_empty() {
            let due = closed + Days::new(law::ATTENDANCE_COPY_DAYS);
            self.push(due, "attendance_copy", attendance, law::ATTENDANCE_COPY, None);
        }
        if notification.notified_on.is_empty() {
            let due = ctx.days.add(closed, ctx.legal.notify_working_days);
            let rule = tr_args(
                lang,
                "due.rule.notify",
                &[
                    ("n", &crate::plural::counted(lang, "working_day", ctx.legal.notify_working_days.into())),
                    ("date", &show(closed, lang)),
                ],
            );
            self.push(due, "notify", rule, law::TRANSMISSION, Some(closed));
        }
        if s.minutes_to_members_on.is_empty() {
            let due = closed + Days::new(law::MINUTES_TO_MEMBERS_DAYS);
            self.push(due, "minutes_to_members", minutes, law::PUBLICITY, None);
        }
        if s.decisions_posted_on.is_empty() {
            self.push(closed + Days::new(law::POSTING_DAYS), "posting", posting, law::PUBLICITY, None);
        }
        if let Some(received) = day(&notification.receipt_on) {
            let due = ctx.days.add(received, ctx.legal.opposition_working_days);
            if due >= ctx.at {
                let rule = tr_args(
                    lang,
                    "due.rule.opposition",
                    &[
                        ("n", &crate::plural::counted(lang, "working_day", ctx.legal.opposition_working_days.into())),
                        ("date", &show(received, lang)),
                    ],
                );
                self.push(due, "opposition_window", rule, law::OPPOSITION, Some(received));
            }
        }
    }
}

impl Store {
    /// Every open deadline at `at`, sorted by date, with the rule that produced it.
    pub fn due(&self, at: chrono::NaiveDate, lang: crate::Lang) -> Result<Vec<DueItem>> {
        let rules = self.holiday_rules()?;
        due(&self.conn, at, &crate::calendar::WorkingDays::new(&rules), &self.legal_settings()?, lang)
    }

    /// The open deadlines the law sets at `at` (no agreement's term), sorted by date.
    pub fn law_due(&self, at: chrono::NaiveDate, lang: crate::Lang) -> Result<Vec<DueItem>> {
        let rules = self.holiday_rules()?;
        law_due(&self.conn, at, &crate::calendar::WorkingDays::new(&rules), &self.legal_settings()?, lang)
    }
}
