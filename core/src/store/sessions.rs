//! The session, session_sitting and agenda_point tables: council sessions, their sittings and
//! their ordered agenda. The session page that gathers them with the deliberations is in
//! `session_page.rs`.

use super::Store;
use super::{history, new_uuid, record_from_row, require_live, touch, ListQuery, Page};
use crate::calendar::{now_stamp, PartialDate};
use crate::error::{Error, Result, Rule};
use crate::model::{Entity, PointData, Record, SessionData, SessionKind, Sitting, Subject};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

pub(crate) fn insert_session(c: &Connection, d: &SessionData, sample: bool) -> Result<i64> {
    let now = now_stamp();
    c.prepare_cached(
        "INSERT INTO session(uuid, kind, year, month, number, convocation_on, members_in_office, notes, is_sample, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![new_uuid(), d.kind, d.year, d.month, d.number, d.convocation_on, d.members_in_office, d.notes, sample, now])?;
    let id = c.last_insert_rowid();
    write_steps(c, id, d)?;
    write_sittings(c, id, &d.sittings)?;
    history::record_create(c, Entity::Session, id, d)?;
    Ok(id)
}

/// The session's legal steps and the officer's words for the minutes.
fn write_steps(c: &Connection, id: i64, d: &SessionData) -> Result<()> {
    c.prepare_cached(
        "UPDATE session SET requested_by = ?2, requested_on = ?3, agenda_sent_on = ?4, agenda_received_on = ?5, extension_days = ?6,
                attendance_sent_on = ?7, minutes_to_members_on = ?8, decisions_posted_on = ?9, minutes_opening = ?10, minutes_closing = ?11
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        d.requested_by,
        d.requested_on,
        d.agenda_sent_on,
        d.agenda_received_on,
        d.extension_days,
        d.attendance_sent_on,
        d.minutes_to_members_on,
        d.decisions_posted_on,
        d.minutes_opening,
        d.minutes_closing
    ])?;
    Ok(())
}

fn write_sittings(c: &Connection, id: i64, sittings: &[Sitting]) -> Result<()> {
    c.execute("DELETE FROM session_sitting WHERE session_id = ?1", [id])?;
    let mut stmt = c.prepare_cached(
        "INSERT INTO session_sitting(session_id, position, held_on, time, place, round, present) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (i, s) in sittings.iter().enumerate() {
        stmt.execute(params![id, i as i64, s.held_on, s.time, s.place, s.round, s.present])?;
    }
    Ok(())
}

pub(crate) fn update_session(c: &Connection, id: i64, d: &SessionData, expected: Option<&str>) -> Result<()> {
    let old = get_session(c, id)?;
    touch(c, Entity::Session, id, expected)?;
    c.execute(
        "UPDATE session SET kind = ?2, year = ?3, month = ?4, number = ?5, convocation_on = ?6, members_in_office = ?7, notes = ?8 WHERE id = ?1",
        params![id, d.kind, d.year, d.month, d.number, d.convocation_on, d.members_in_office, d.notes],
    )?;
    write_steps(c, id, d)?;
    write_sittings(c, id, &d.sittings)?;
    history::record_update(c, Entity::Session, id, &old.data, d)?;
    Ok(())
}

fn sitting_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Sitting> {
    Ok(Sitting {
        held_on: r.get("held_on")?,
        time: r.get("time")?,
        place: r.get("place")?,
        round: r.get("round")?,
        present: r.get("present")?,
    })
}

/// A session row's data, its sittings given.
fn session_data(r: &rusqlite::Row<'_>, sittings: Vec<Sitting>) -> rusqlite::Result<SessionData> {
    Ok(SessionData {
        kind: r.get("kind")?,
        year: r.get("year")?,
        month: r.get("month")?,
        number: r.get("number")?,
        sittings,
        convocation_on: r.get("convocation_on")?,
        members_in_office: r.get("members_in_office")?,
        notes: r.get("notes")?,
        requested_by: r.get("requested_by")?,
        requested_on: r.get("requested_on")?,
        agenda_sent_on: r.get("agenda_sent_on")?,
        agenda_received_on: r.get("agenda_received_on")?,
        extension_days: r.get("extension_days")?,
        attendance_sent_on: r.get("attendance_sent_on")?,
        minutes_to_members_on: r.get("minutes_to_members_on")?,
        decisions_posted_on: r.get("decisions_posted_on")?,
        minutes_opening: r.get("minutes_opening")?,
        minutes_closing: r.get("minutes_closing")?,
    })
}

pub(crate) fn get_session(c: &Connection, id: i64) -> Result<Record<SessionData>> {
    let sittings = c
        .prepare_cached("SELECT * FROM session_sitting WHERE session_id = ?1 ORDER BY held_on, position")?
        .query_map([id], sitting_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    c.prepare_cached("SELECT * FROM session WHERE id = ?1")?
        .query_row([id], |r| {
            let data = session_data(r, sittings.clone())?;
            record_from_row(r, data)
        })
        .optional()?
        .ok_or(Error::NotFound { kind: "session", id })
}

/// Every live session (or only `only`) with its sittings and notification, in two queries (the
/// due view reads a thousand sessions at once).
pub(crate) fn live_sessions(c: &Connection, only: Option<i64>) -> Result<Vec<(i64, SessionData, Notification)>> {
    let mut sittings: std::collections::HashMap<i64, Vec<Sitting>> = std::collections::HashMap::new();
    let mut stmt = c.prepare_cached(
        "SELECT t.* FROM session_sitting t JOIN session s ON s.id = t.session_id
         WHERE s.deleted_at IS NULL AND (?1 IS NULL OR s.id = ?1) ORDER BY t.session_id, t.held_on, t.position",
    )?;
    let mut rows = stmt.query([only])?;
    while let Some(r) = rows.next()? {
        sittings.entry(r.get("session_id")?).or_default().push(sitting_from_row(r)?);
    }
    let mut stmt =
        c.prepare_cached("SELECT * FROM session WHERE deleted_at IS NULL AND (?1 IS NULL OR id = ?1) ORDER BY id")?;
    let out = stmt
        .query_map([only], |r| {
            let id: i64 = r.get("id")?;
            let data = session_data(r, sittings.remove(&id).unwrap_or_default())?;
            Ok((id, data, Notification { notified_on: r.get("notified_on")?, receipt_on: r.get("receipt_on")? }))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(out)
}

/// The notification of a session's minutes and deliberations to the governor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub notified_on: String,
    pub receipt_on: String,
}

pub(crate) fn get_notification(c: &Connection, id: i64) -> Result<Notification> {
    Ok(c.query_row("SELECT notified_on, receipt_on FROM session WHERE id = ?1", [id], |r| {
        Ok(Notification { notified_on: r.get(0)?, receipt_on: r.get(1)? })
    })?)
}

/// Records when the minutes were sent and when the governor's office received them.
pub(crate) fn record_notification(c: &Connection, id: i64, sent: &str, receipt: &str) -> Result<()> {
    let session = get_session(c, id)?;
    let sent = crate::model::session::day_field("notified_on", sent, true)?;
    let receipt = crate::model::session::day_field("receipt_on", receipt, false)?;
    let Some(closed) = session.data.closed_on() else {
        return Err(Error::invalid("notified_on", Rule::SessionNotHeld));
    };
    let sent_day = PartialDate::stored(&sent).and_then(|d| d.as_day()).expect("validated");
    if sent_day < closed {
        return Err(Error::invalid("notified_on", Rule::EndBeforeStart));
    }
    if PartialDate::stored(&receipt).and_then(|d| d.as_day()).is_some_and(|r| r < sent_day) {
        return Err(Error::invalid("receipt_on", Rule::ReceiptBeforeSending));
    }
    touch(c, Entity::Session, id, None)?;
    write_notification(c, id, &sent, &receipt)
}

/// Writes the notification's two days (checked by the caller), each change to history.
pub(crate) fn write_notification(c: &Connection, id: i64, sent: &str, receipt: &str) -> Result<()> {
    let old = get_notification(c, id)?;
    c.execute("UPDATE session SET notified_on = ?2, receipt_on = ?3 WHERE id = ?1", params![id, sent, receipt])?;
    if old.notified_on != sent {
        history::record(
            c,
            Entity::Session,
            id,
            "update",
            Some("notified_on"),
            Some(&old.notified_on).filter(|s| !s.is_empty()).map(|s| s.as_str()),
            Some(sent).filter(|s| !s.is_empty()),
            "",
        )?;
    }
    if old.receipt_on != receipt {
        history::record(
            c,
            Entity::Session,
            id,
            "update",
            Some("receipt_on"),
            Some(&old.receipt_on).filter(|s| !s.is_empty()).map(|s| s.as_str()),
            Some(receipt).filter(|s| !s.is_empty()),
            "",
        )?;
    }
    Ok(())
}

/// A session in the list.
#[derive(Clone, Debug, Serialize)]
pub struct SessionRow {
    pub id: i64,
    pub kind: SessionKind,
    pub year: i32,
    pub month: u32,
    pub number: Option<u32>,
    pub first_sitting: Option<String>,
    pub closed_on: Option<String>,
    pub points: i64,
    pub decided: i64,
    pub notified_on: String,
    pub receipt_on: String,
    pub is_sample: bool,
}

const ROW_SQL: &str = "SELECT s.id, s.kind, s.year, s.month, s.number, s.notified_on, s.receipt_on, s.is_sample,
        (SELECT min(held_on) FROM session_sitting WHERE session_id = s.id) AS first_sitting,
        (SELECT max(held_on) FROM session_sitting WHERE session_id = s.id) AS closed_on,
        (SELECT count(*) FROM agenda_point p WHERE p.session_id = s.id AND p.deleted_at IS NULL) AS points,
        (SELECT count(*) FROM agenda_point p JOIN deliberation d ON d.point_id = p.id WHERE p.session_id = s.id AND p.deleted_at IS NULL AND d.deleted_at IS NULL) AS decided
    FROM session s";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        id: r.get("id")?,
        kind: r.get("kind")?,
        year: r.get("year")?,
        month: r.get("month")?,
        number: r.get("number")?,
        first_sitting: r.get("first_sitting")?,
        closed_on: r.get("closed_on")?,
        points: r.get("points")?,
        decided: r.get("decided")?,
        notified_on: r.get("notified_on")?,
        receipt_on: r.get("receipt_on")?,
        is_sample: r.get("is_sample")?,
    })
}

fn session_filter(q: &ListQuery) -> super::Filter {
    let mut f = super::Filter::new("s.deleted_at IS NULL");
    f.equals("s.kind", &q.kind);
    if let Some(y) = q.year {
        f.push("s.year = ?", y);
    }
    f
}

pub(crate) fn count_sessions(c: &Connection, q: &ListQuery) -> Result<i64> {
    session_filter(q).count(c, "session s")
}

/// Sessions, newest first (or oldest first with `desc = false` and `sort = "date"`).
pub(crate) fn list_sessions(c: &Connection, q: &ListQuery) -> Result<Page<SessionRow>> {
    let f = session_filter(q);
    let dir = if q.sort == "date" && !q.desc { "ASC" } else { "DESC" };
    let sql = format!(
        "{ROW_SQL} WHERE {} ORDER BY s.year {dir}, s.month {dir}, s.id {dir} LIMIT {} OFFSET {}",
        f.sql(),
        q.limit() + 1,
        q.offset
    );
    let items = c
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(f.args()), row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page::of(items, q))
}

// ---- agenda points ----

fn check_subject(c: &Connection, subject: Option<Subject>) -> Result<()> {
    match subject {
        Some(s) => require_live(c, s.kind, s.id, "subject"),
        None => Ok(()),
    }
}

pub(crate) fn insert_point(c: &Connection, session_id: i64, d: &PointData, sample: bool) -> Result<i64> {
    require_live(c, Entity::Session, session_id, "session")?;
    check_subject(c, d.subject)?;
    if let Some(earlier) = d.reexamines {
        require_live(c, Entity::Point, earlier, "reexamines")?;
    }
    let position: i64 = c.query_row(
        "SELECT coalesce(max(position), 0) + 1 FROM agenda_point WHERE session_id = ?1 AND deleted_at IS NULL",
        [session_id],
        |r| r.get(0),
    )?;
    let now = now_stamp();
    c.prepare_cached(
        "INSERT INTO agenda_point(uuid, session_id, position, subject_kind, subject_id, title, rapporteur, note_ar, note_fr, reexamines, is_sample, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![new_uuid(), session_id, position, d.subject.map(|s| s.kind.as_str()), d.subject.map(|s| s.id), d.title, d.rapporteur, d.note_ar, d.note_fr, d.reexamines, sample, now])?;
    let id = c.last_insert_rowid();
    history::record_create(c, Entity::Point, id, d)?;
    touch(c, Entity::Session, session_id, None)?;
    history::record(
        c,
        Entity::Session,
        session_id,
        "point_added",
        Some("agenda"),
        None,
        Some(&point_label(c, id)?),
        &position.to_string(),
    )?;
    Ok(id)
}

pub(crate) fn update_point(c: &Connection, id: i64, d: &PointData, expected: Option<&str>) -> Result<()> {
    let old = get_point(c, id)?;
    check_subject(c, d.subject)?;
    touch(c, Entity::Point, id, expected)?;
    c.execute(
        "UPDATE agenda_point SET subject_kind = ?2, subject_id = ?3, title = ?4, rapporteur = ?5, note_ar = ?6, note_fr = ?7, reexamines = ?8 WHERE id = ?1",
        params![id, d.subject.map(|s| s.kind.as_str()), d.subject.map(|s| s.id), d.title, d.rapporteur, d.note_ar, d.note_fr, d.reexamines],
    )?;
    history::record_update(c, Entity::Point, id, &old.record.data, d)?;
    Ok(())
}

/// A point as another desk wrote it (`store::exchange`): in session `session_id` at `position`,
/// without the rules of a new point here (what it links to may be in this desk's trash, its place
/// may be shared with a point added here meanwhile; the agenda reads them in a stable order).
pub(crate) fn put_point(c: &Connection, id: Option<i64>, session_id: i64, position: i64, d: &PointData) -> Result<i64> {
    let subject = (d.subject.map(|s| s.kind.as_str()), d.subject.map(|s| s.id));
    let Some(id) = id else {
        let now = now_stamp();
        c.prepare_cached(
            "INSERT INTO agenda_point(uuid, session_id, position, subject_kind, subject_id, title, rapporteur, note_ar, note_fr, reexamines, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        )?
        .execute(params![new_uuid(), session_id, position, subject.0, subject.1, d.title, d.rapporteur, d.note_ar, d.note_fr, d.reexamines, now])?;
        let id = c.last_insert_rowid();
        history::record_create(c, Entity::Point, id, d)?;
        return Ok(id);
    };
    let old = get_point(c, id)?;
    touch(c, Entity::Point, id, None)?;
    c.execute(
        "UPDATE agenda_point SET session_id = ?2, position = ?3, subject_kind = ?4, subject_id = ?5, title = ?6, rapporteur = ?7, note_ar = ?8, note_fr = ?9, reexamines = ?10 WHERE id = ?1",
        params![id, session_id, position, subject.0, subject.1, d.title, d.rapporteur, d.note_ar, d.note_fr, d.reexamines],
    )?;
    history::record_update(c, Entity::Point, id, &old.record.data, d)?;
    if old.position != position {
        history::record(
            c,
            Entity::Point,
            id,
            "update",
            Some("position"),
            Some(&old.position.to_string()),
            Some(&position.to_string()),
            "",
        )?;
    }
    Ok(id)
}

/// A stored agenda point with the session it belongs to and its place in the agenda.
#[derive(Clone, Debug, Serialize)]
pub struct StoredPoint {
    #[serde(flatten)]
    pub record: Record<PointData>,
    pub session_id: i64,
    pub position: i64,
}

fn point_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredPoint> {
    let kind: Option<String> = r.get("subject_kind")?;
    let subject = match (kind, r.get::<_, Option<i64>>("subject_id")?) {
        (Some(k), Some(id)) => Some(Subject {
            kind: k.parse().map_err(|_| {
                rusqlite::Error::InvalidColumnType(0, "subject_kind".into(), rusqlite::types::Type::Text)
            })?,
            id,
        }),
        _ => None,
    };
    let data = PointData {
        subject,
        title: r.get("title")?,
        rapporteur: r.get("rapporteur")?,
        note_ar: r.get("note_ar")?,
        note_fr: r.get("note_fr")?,
        reexamines: r.get("reexamines")?,
    };
    Ok(StoredPoint {
        record: record_from_row(r, data)?,
        session_id: r.get("session_id")?,
        position: r.get("position")?,
    })
}

pub(crate) fn get_point(c: &Connection, id: i64) -> Result<StoredPoint> {
    c.prepare_cached("SELECT * FROM agenda_point WHERE id = ?1")?
        .query_row([id], point_from_row)
        .optional()?
        .ok_or(Error::NotFound { kind: "point", id })
}

pub(crate) fn points_of(c: &Connection, session_id: i64) -> Result<Vec<StoredPoint>> {
    let rows = c
        .prepare_cached(
            "SELECT * FROM agenda_point WHERE session_id = ?1 AND deleted_at IS NULL ORDER BY position, uuid",
        )?
        .query_map([session_id], point_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Moves a point to `to` (1-based) in its session's agenda; the others close up around it. One
/// transaction reads the agenda as it is now and renumbers it, so a concurrent edit (another
/// window, the CLI) cannot leave two points at one place.
pub(crate) fn move_point(c: &Connection, id: i64, to: usize) -> Result<Vec<i64>> {
    let p = get_point(c, id)?;
    if p.record.deleted_at.is_some() {
        return Err(Error::NotFound { kind: "point", id });
    }
    let mut order: Vec<i64> = points_of(c, p.session_id)?.into_iter().map(|x| x.record.id).collect();
    let from = order.iter().position(|x| *x == id).expect("a live point is in its agenda");
    if to == 0 || to > order.len() {
        return Err(Error::invalid("position", Rule::OutOfRange));
    }
    order.remove(from);
    order.insert(to - 1, id);
    let mut stmt = c.prepare_cached("UPDATE agenda_point SET position = ?2 WHERE id = ?1")?;
    for (i, pid) in order.iter().enumerate() {
        stmt.execute(params![pid, (i + 1) as i64])?;
    }
    if from + 1 != to {
        touch(c, Entity::Session, p.session_id, None)?;
        history::record(
            c,
            Entity::Session,
            p.session_id,
            "point_moved",
            Some("agenda"),
            Some(&(from + 1).to_string()),
            Some(&to.to_string()),
            &point_label(c, id)?,
        )?;
    }
    Ok(order)
}

/// The record a point is about, as the session page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct SubjectView {
    pub kind: Entity,
    pub id: i64,
    pub label_ar: String,
    pub label_latin: String,
    /// False when the record is in the trash (the point keeps its link and says so).
    pub live: bool,
    pub legal_basis: String,
    /// The agreement it belongs to (itself, or a project's agreement).
    pub agreement_id: Option<i64>,
    pub agreement_status: Option<String>,
}

pub(crate) fn subject_view(c: &Connection, s: Subject) -> Result<SubjectView> {
    let sql = match s.kind {
        Entity::Agreement => "SELECT title_ar, title_fr, deleted_at IS NULL, legal_basis, id, status FROM agreement WHERE id = ?1",
        Entity::Project => "SELECT p.title_ar, p.title_fr, p.deleted_at IS NULL, coalesce(a.legal_basis, ''), a.id, a.status FROM project p LEFT JOIN agreement a ON a.id = p.agreement_id WHERE p.id = ?1",
        Entity::Membership => "SELECT x.name_ar, x.name_latin, m.deleted_at IS NULL, '', NULL, NULL FROM membership m JOIN partner x ON x.id = m.partner_id WHERE m.id = ?1",
        _ => return Err(Error::invalid("subject", Rule::UnknownValue)),
    };
    c.query_row(sql, [s.id], |r| {
        Ok(SubjectView {
            kind: s.kind,
            id: s.id,
            label_ar: r.get(0)?,
            label_latin: r.get(1)?,
            live: r.get(2)?,
            legal_basis: r.get(3)?,
            agreement_id: r.get(4)?,
            agreement_status: r.get(5)?,
        })
    })
    .optional()?
    .ok_or(Error::NotFound { kind: s.kind.as_str(), id: s.id })
}

/// A point's name for history rows and lists: its title, else its record's.
pub(crate) fn point_label(c: &Connection, id: i64) -> Result<String> {
    let p = get_point(c, id)?;
    if !p.record.data.title.is_empty() {
        return Ok(p.record.data.title);
    }
    match p.record.data.subject {
        Some(s) => {
            let v = subject_view(c, s)?;
            Ok(if v.label_ar.is_empty() { v.label_latin } else { v.label_ar })
        }
        None => Ok(String::new()),
    }
}

impl Store {
    pub fn add_session(&mut self, data: SessionData) -> Result<Record<SessionData>> {
        let data = data.validate()?;
        let id = self.write(|c| insert_session(c, &data, false))?;
        get_session(&self.conn, id)
    }

    pub fn update_session(
        &mut self,
        id: i64,
        data: SessionData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<SessionData>> {
        let data = data.validate()?;
        self.write(|c| update_session(c, id, &data, expected_updated_at))?;
        get_session(&self.conn, id)
    }

    pub fn get_session(&self, id: i64) -> Result<Record<SessionData>> {
        get_session(&self.conn, id)
    }

    pub fn list_sessions(&self, q: &ListQuery) -> Result<Page<SessionRow>> {
        list_sessions(&self.conn, q)
    }

    /// Records the sending of the minutes to the governor and, when known, their receipt.
    pub fn record_notification(&mut self, session_id: i64, sent_on: &str, receipt_on: &str) -> Result<Notification> {
        self.write(|c| record_notification(c, session_id, sent_on, receipt_on))?;
        get_notification(&self.conn, session_id)
    }

    pub fn add_point(&mut self, session_id: i64, data: PointData) -> Result<StoredPoint> {
        let data = data.validate()?;
        let id = self.write(|c| insert_point(c, session_id, &data, false))?;
        get_point(&self.conn, id)
    }

    pub fn update_point(&mut self, id: i64, data: PointData, expected_updated_at: Option<&str>) -> Result<StoredPoint> {
        let data = data.validate()?;
        self.write(|c| update_point(c, id, &data, expected_updated_at))?;
        get_point(&self.conn, id)
    }

    /// Moves a point to place `to` (from 1) of its agenda; returns the new order of point ids.
    pub fn move_point(&mut self, id: i64, to: usize) -> Result<Vec<i64>> {
        self.write(|c| move_point(c, id, to))
    }

    pub fn get_point(&self, id: i64) -> Result<StoredPoint> {
        get_point(&self.conn, id)
    }

    pub fn points_of(&self, session_id: i64) -> Result<Vec<StoredPoint>> {
        get_session(&self.conn, session_id)?;
        points_of(&self.conn, session_id)
    }
}
