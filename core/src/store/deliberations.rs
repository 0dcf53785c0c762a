//! The deliberation table: the council's vote on a point, then the opposition and the visa; and
//! the agreement status that follows them ("approved by the council", "approved by the
//! authority"), each change written to the agreement's history with the deliberation that
//! caused it.

use super::sessions::{get_point, get_session, subject_view};
use super::Store;
use super::{history, new_uuid, record_from_row, require_live, touch};
use crate::calendar::{now_stamp, HijriCalendar, PartialDate};
use crate::error::{Error, Result, Rule};
use crate::model::LegalSettings;
use crate::model::{AgreementStatus, DeliberationData, Entity, Outcome, Record, VisaData, VisaStatus};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A deliberation with what happened after it.
#[derive(Clone, Debug, Serialize)]
pub struct DeliberationView {
    #[serde(flatten)]
    pub record: Record<DeliberationData>,
    pub point_id: i64,
    pub opposition_on: String,
    pub opposition_reason: String,
    pub visa: VisaData,
    /// The Hijri date beside the Gregorian one, with the user's corrections.
    pub decided_on_hijri: String,
    /// That Hijri date rests on a month Taawun forecast (the window says so).
    pub decided_on_hijri_forecast: bool,
    /// More than half the members in office were not present (per the settings).
    pub below_quorum: bool,
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Record<DeliberationData>, i64, String, String, VisaData)> {
    let data = DeliberationData {
        number: r.get("number")?,
        decided_on: r.get("decided_on")?,
        members_present: r.get("members_present")?,
        votes_for: r.get("votes_for")?,
        votes_against: r.get("votes_against")?,
        abstentions: r.get("abstentions")?,
        outcome: r.get("outcome")?,
        decision_text: r.get("decision_text")?,
        president_vote: r.get("president_vote")?,
    };
    let visa = VisaData { status: r.get("visa_status")?, on: r.get("visa_on")?, reference: r.get("visa_reference")? };
    Ok((record_from_row(r, data)?, r.get("point_id")?, r.get("opposition_on")?, r.get("opposition_reason")?, visa))
}

fn view(
    c: &Connection,
    parts: (Record<DeliberationData>, i64, String, String, VisaData),
    hijri: &HijriCalendar,
    lang: crate::Lang,
) -> Result<DeliberationView> {
    let (record, point_id, opposition_on, opposition_reason, visa) = parts;
    let session_id = get_point(c, point_id)?.session_id;
    let session = get_session(c, session_id)?.data;
    let members = super::members::in_office(c, &session)?;
    let ratio = super::legal::legal_settings(c)?.quorum_ratio;
    let in_hijri =
        PartialDate::stored(&record.data.decided_on).and_then(|d| d.as_day()).map(|d| hijri.to_hijri_with_basis(d));
    let decided_on_hijri = in_hijri.map(|(h, _)| h.display(lang)).unwrap_or_default();
    let decided_on_hijri_forecast = in_hijri.is_some_and(|(_, basis)| basis.is_forecast());
    // On a third convocation, or the meeting after a sitting without quorum in a session the
    // governor asked for, the council deliberates validly whatever the attendance (arts. 38, 43).
    let round: Option<u8> = c
        .query_row(
            "SELECT max(round) FROM session_sitting WHERE session_id = ?1 AND held_on = ?2",
            params![session_id, record.data.decided_on],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let whatever_attendance =
        round.is_some_and(|r| crate::model::session_law::valid_whatever_attendance(session.requested_by, r));
    let below_quorum = !whatever_attendance && record.data.below_quorum(members, ratio);
    Ok(DeliberationView {
        record,
        point_id,
        opposition_on,
        opposition_reason,
        visa,
        decided_on_hijri,
        decided_on_hijri_forecast,
        below_quorum,
    })
}

pub(crate) fn get_deliberation(
    c: &Connection,
    id: i64,
    hijri: &HijriCalendar,
    lang: crate::Lang,
) -> Result<DeliberationView> {
    let parts = c
        .query_row("SELECT * FROM deliberation WHERE id = ?1", [id], from_row)
        .optional()?
        .ok_or(Error::NotFound { kind: "deliberation", id })?;
    view(c, parts, hijri, lang)
}

pub(crate) fn deliberation_of_point(
    c: &Connection,
    point_id: i64,
    hijri: &HijriCalendar,
    lang: crate::Lang,
) -> Result<Option<DeliberationView>> {
    let parts = c
        .query_row("SELECT * FROM deliberation WHERE point_id = ?1 AND deleted_at IS NULL", [point_id], from_row)
        .optional()?;
    parts.map(|p| view(c, p, hijri, lang)).transpose()
}

/// Whether an approved point needs the governor's visa (art. 109): it is about an agreement (or a
/// project under one) of a kind the settings name, with a foreign party when the settings say so.
fn needs_visa(c: &Connection, point_id: i64, legal: &LegalSettings) -> Result<bool> {
    let Some(subject) = get_point(c, point_id)?.record.data.subject else { return Ok(false) };
    let Some(agreement_id) = subject_view(c, subject)?.agreement_id else { return Ok(false) };
    let kind: String = c.query_row("SELECT kind FROM agreement WHERE id = ?1", [agreement_id], |r| r.get(0))?;
    if !legal.visa_agreement_kinds.contains(&kind) {
        return Ok(false);
    }
    if !legal.visa_foreign_only {
        return Ok(true);
    }
    let foreign: i64 = c.query_row(
        "SELECT count(*) FROM agreement_party ap JOIN partner p ON p.id = ap.partner_id WHERE ap.agreement_id = ?1 AND p.country <> 'MA'",
        [agreement_id],
        |r| r.get(0),
    )?;
    Ok(foreign > 0)
}

/// Records the council's vote on a point. Refused when the point already has one, when its
/// record is in the trash, or when the vote does not add up.
pub(crate) fn deliberate(
    c: &Connection,
    point_id: i64,
    data: DeliberationData,
    legal: &LegalSettings,
    sample: bool,
) -> Result<i64> {
    let point = get_point(c, point_id)?;
    require_live(c, Entity::Point, point_id, "point")?;
    if let Some(s) = point.record.data.subject {
        require_live(c, s.kind, s.id, "subject")?;
    }
    let existing: Option<i64> = c
        .query_row("SELECT id FROM deliberation WHERE point_id = ?1 AND deleted_at IS NULL", [point_id], |r| r.get(0))
        .optional()?;
    if existing.is_some() {
        return Err(Error::invalid("point", Rule::AlreadyDecided));
    }
    let session = get_session(c, point.session_id)?;
    let Some(first) = session.data.first_sitting() else {
        return Err(Error::invalid("decided_on", Rule::SessionNotHeld));
    };
    let mut data = data.validate(super::members::in_office(c, &session.data)?)?;
    let day = PartialDate::stored(&data.decided_on).and_then(|d| d.as_day()).expect("validated");
    if day < first {
        return Err(Error::invalid("decided_on", Rule::EndBeforeStart));
    }
    if data.number.is_empty() {
        let year = chrono::Datelike::year(&day);
        let seq: u32 = c.query_row(
            "SELECT count(*) + 1 FROM deliberation WHERE decided_on LIKE ?1 || '-%'",
            [year.to_string()],
            |r| r.get(0),
        )?;
        data.number = (seq..seq + 1000)
            .map(|n| legal.number(year, n))
            .find(|n| !number_taken(c, n, None).unwrap_or(true))
            .ok_or(Error::invalid("number", Rule::DuplicateNumber))?;
    } else if number_taken(c, &data.number, None)? {
        return Err(Error::invalid("number", Rule::DuplicateNumber));
    }
    let visa = if data.outcome == Outcome::Approved && needs_visa(c, point_id, legal)? {
        VisaStatus::Pending
    } else {
        VisaStatus::NotRequired
    };
    let now = now_stamp();
    // A vote on an example point is part of the example (removed with it).
    let sample = sample || point.record.is_sample;
    c.prepare_cached(
        "INSERT INTO deliberation(uuid, point_id, number, decided_on, members_present, votes_for, votes_against, abstentions, outcome, decision_text, visa_status, is_sample, created_at, updated_at, president_vote)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)",
    )?
    .execute(params![new_uuid(), point_id, data.number, data.decided_on, data.members_present, data.votes_for, data.votes_against, data.abstentions, data.outcome, data.decision_text, visa, sample, now, data.president_vote])?;
    let id = c.last_insert_rowid();
    history::record_create(c, Entity::Deliberation, id, &data)?;
    touch(c, Entity::Point, point_id, None)?;
    history::record(
        c,
        Entity::Point,
        point_id,
        "deliberated",
        Some("outcome"),
        None,
        Some(data.outcome.as_str()),
        &data.number,
    )?;
    if data.outcome == Outcome::Approved {
        follow_agreement(
            c,
            point_id,
            AgreementStatus::CouncilApproved,
            &data.decided_on,
            &format!("deliberation:{}", data.number),
        )?;
    }
    Ok(id)
}

fn number_taken(c: &Connection, number: &str, except: Option<i64>) -> Result<bool> {
    let n: i64 = c.query_row(
        "SELECT count(*) FROM deliberation WHERE number = ?1 AND deleted_at IS NULL AND id IS NOT ?2",
        params![number, except],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Corrects a recorded vote (with history); the visa need is recomputed from the outcome.
pub(crate) fn update_deliberation(
    c: &Connection,
    id: i64,
    data: DeliberationData,
    legal: &LegalSettings,
    expected: Option<&str>,
) -> Result<()> {
    let (old, point_id, ..) = c
        .query_row("SELECT * FROM deliberation WHERE id = ?1", [id], from_row)
        .optional()?
        .ok_or(Error::NotFound { kind: "deliberation", id })?;
    let session = get_session(c, get_point(c, point_id)?.session_id)?;
    let mut data = data.validate(super::members::in_office(c, &session.data)?)?;
    if data.number.is_empty() {
        data.number = old.data.number.clone();
    }
    if number_taken(c, &data.number, Some(id))? {
        return Err(Error::invalid("number", Rule::DuplicateNumber));
    }
    touch(c, Entity::Deliberation, id, expected)?;
    c.execute(
        "UPDATE deliberation SET number = ?2, decided_on = ?3, members_present = ?4, votes_for = ?5, votes_against = ?6, abstentions = ?7, outcome = ?8, decision_text = ?9, president_vote = ?10 WHERE id = ?1",
        params![id, data.number, data.decided_on, data.members_present, data.votes_for, data.votes_against, data.abstentions, data.outcome, data.decision_text, data.president_vote],
    )?;
    if old.data.outcome != data.outcome {
        let visa = if data.outcome == Outcome::Approved && needs_visa(c, point_id, legal)? {
            VisaStatus::Pending
        } else {
            VisaStatus::NotRequired
        };
        c.execute(
            "UPDATE deliberation SET visa_status = ?2 WHERE id = ?1 AND visa_status IN ('not_required', 'pending')",
            params![id, visa],
        )?;
        if data.outcome == Outcome::Approved {
            follow_agreement(
                c,
                point_id,
                AgreementStatus::CouncilApproved,
                &data.decided_on,
                &format!("deliberation:{}", data.number),
            )?;
        }
    }
    history::record_update(c, Entity::Deliberation, id, &old.data, &data)?;
    Ok(())
}

/// What follows a vote, as a deliberation carries it between desks.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Aftermath {
    pub opposition_on: String,
    pub opposition_reason: String,
    pub visa: VisaData,
}

/// A deliberation's vote and what followed it.
pub(crate) fn deliberation_parts(c: &Connection, id: i64) -> Result<(Record<DeliberationData>, i64, Aftermath)> {
    let (record, point_id, opposition_on, opposition_reason, visa) = c
        .query_row("SELECT * FROM deliberation WHERE id = ?1", [id], from_row)
        .optional()?
        .ok_or(Error::NotFound { kind: "deliberation", id })?;
    Ok((record, point_id, Aftermath { opposition_on, opposition_reason, visa }))
}

/// A deliberation as another desk recorded it (`store::exchange`), on point `point_id`: its
/// number as given (a clash with one numbered here is shown, not refused: `number_clashes`), no
/// rule of a new vote here, and no status moved on the agreement (its own record carries that).
pub(crate) fn put_deliberation(
    c: &Connection,
    id: Option<i64>,
    point_id: i64,
    data: &DeliberationData,
    after: &Aftermath,
) -> Result<i64> {
    let id = match id {
        None => {
            let now = now_stamp();
            c.prepare_cached(
                "INSERT INTO deliberation(uuid, point_id, number, decided_on, members_present, votes_for, votes_against, abstentions, outcome, decision_text, visa_status, created_at, updated_at, president_vote)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13)",
            )?
            .execute(params![new_uuid(), point_id, data.number, data.decided_on, data.members_present, data.votes_for, data.votes_against, data.abstentions, data.outcome, data.decision_text, after.visa.status, now, data.president_vote])?;
            let id = c.last_insert_rowid();
            history::record_create(c, Entity::Deliberation, id, data)?;
            id
        }
        Some(id) => {
            let (old, ..) = deliberation_parts(c, id)?;
            touch(c, Entity::Deliberation, id, None)?;
            c.execute(
                "UPDATE deliberation SET point_id = ?2, number = ?3, decided_on = ?4, members_present = ?5, votes_for = ?6, votes_against = ?7, abstentions = ?8, outcome = ?9, decision_text = ?10, president_vote = ?11 WHERE id = ?1",
                params![id, point_id, data.number, data.decided_on, data.members_present, data.votes_for, data.votes_against, data.abstentions, data.outcome, data.decision_text, data.president_vote],
            )?;
            history::record_update(c, Entity::Deliberation, id, &old.data, data)?;
            id
        }
    };
    let (record, _, old) = deliberation_parts(c, id)?;
    if old.opposition_on != after.opposition_on || old.opposition_reason != after.opposition_reason {
        write_opposition(
            c,
            id,
            &old.opposition_on,
            &after.opposition_on,
            &after.opposition_reason,
            &record.data.number,
        )?;
    }
    if old.visa != after.visa {
        write_visa(c, id, old.visa.status, &after.visa)?;
    }
    Ok(id)
}

/// Writes the governor's opposition (checked by the caller), with history.
fn write_opposition(c: &Connection, id: i64, old_on: &str, on: &str, reason: &str, number: &str) -> Result<()> {
    c.execute(
        "UPDATE deliberation SET opposition_on = ?2, opposition_reason = ?3 WHERE id = ?1",
        params![id, on, reason],
    )?;
    let day = |d: &str| Some(d.to_string()).filter(|d| !d.is_empty());
    history::record(
        c,
        Entity::Deliberation,
        id,
        "opposition",
        Some("opposition_on"),
        day(old_on).as_deref(),
        day(on).as_deref(),
        number,
    )
}

/// Writes the visa (checked by the caller), with history.
fn write_visa(c: &Connection, id: i64, old: VisaStatus, visa: &VisaData) -> Result<()> {
    c.execute(
        "UPDATE deliberation SET visa_status = ?2, visa_on = ?3, visa_reference = ?4 WHERE id = ?1",
        params![id, visa.status, visa.on, visa.reference],
    )?;
    history::record(
        c,
        Entity::Deliberation,
        id,
        "visa",
        Some("visa_status"),
        Some(old.as_str()),
        Some(visa.status.as_str()),
        &visa.on,
    )
}

/// A number given to more than one live deliberation: two desks numbered at once and exchanged
/// their bundles. Both are kept as recorded; the officer gives one of them another number.
#[derive(Clone, Debug, Serialize)]
pub struct NumberClash {
    pub number: String,
    pub deliberations: Vec<ClashingDeliberation>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClashingDeliberation {
    pub id: i64,
    pub session_id: i64,
    pub point_id: i64,
    pub point: String,
    pub decided_on: String,
}

pub(crate) fn number_clashes(c: &Connection) -> Result<Vec<NumberClash>> {
    let rows = c
        .prepare(
            "SELECT d.number, d.id, p.session_id, d.point_id, d.decided_on FROM deliberation d JOIN agenda_point p ON p.id = d.point_id
             WHERE d.deleted_at IS NULL AND d.number IN
                (SELECT number FROM deliberation WHERE deleted_at IS NULL GROUP BY number HAVING count(*) > 1)
             ORDER BY d.number, d.decided_on, d.uuid",
        )?
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
        .collect::<rusqlite::Result<Vec<(String, i64, i64, i64, String)>>>()?;
    let mut out: Vec<NumberClash> = Vec::new();
    for (number, id, session_id, point_id, decided_on) in rows {
        let one = ClashingDeliberation {
            id,
            session_id,
            point_id,
            point: super::sessions::point_label(c, point_id)?,
            decided_on,
        };
        match out.last_mut() {
            Some(clash) if clash.number == number => clash.deliberations.push(one),
            _ => out.push(NumberClash { number, deliberations: vec![one] }),
        }
    }
    Ok(out)
}

/// The governor's reasoned opposition: the point must go back to the council.
pub(crate) fn record_opposition(c: &Connection, id: i64, on: &str, reason: &str) -> Result<()> {
    let on = crate::model::session::day_field("opposition_on", on, true)?;
    let reason = crate::text::block("opposition_reason", reason)?;
    let (record, point_id, old_on, ..) = c
        .query_row("SELECT * FROM deliberation WHERE id = ?1 AND deleted_at IS NULL", [id], from_row)
        .optional()?
        .ok_or(Error::NotFound { kind: "deliberation", id })?;
    let session_id = get_point(c, point_id)?.session_id;
    let receipt: String = c.query_row("SELECT receipt_on FROM session WHERE id = ?1", [session_id], |r| r.get(0))?;
    if !receipt.is_empty() && on < receipt {
        return Err(Error::invalid("opposition_on", Rule::EndBeforeStart));
    }
    touch(c, Entity::Deliberation, id, None)?;
    write_opposition(c, id, &old_on, &on, &reason, &record.data.number)
}

/// The governor's visa (art. 109): granted (with its date and reference), deemed
/// granted after the delay, or refused. Granting moves the agreement to "approved by the
/// authority".
pub(crate) fn record_visa(c: &Connection, id: i64, visa: VisaData) -> Result<()> {
    let visa = visa.validate()?;
    let (record, point_id, _, _, old) = c
        .query_row("SELECT * FROM deliberation WHERE id = ?1 AND deleted_at IS NULL", [id], from_row)
        .optional()?
        .ok_or(Error::NotFound { kind: "deliberation", id })?;
    if old.status == VisaStatus::NotRequired && visa.status != VisaStatus::Pending {
        return Err(Error::invalid("visa_status", Rule::NoVisaNeeded));
    }
    if !visa.on.is_empty() && visa.on < record.data.decided_on {
        return Err(Error::invalid("visa_on", Rule::EndBeforeStart));
    }
    touch(c, Entity::Deliberation, id, None)?;
    write_visa(c, id, old.status, &visa)?;
    if matches!(visa.status, VisaStatus::Granted | VisaStatus::DeemedGranted) {
        let on = if visa.on.is_empty() { record.data.decided_on.clone() } else { visa.on.clone() };
        follow_agreement(
            c,
            point_id,
            AgreementStatus::AuthorityApproved,
            &on,
            &format!("visa:{}", record.data.number),
        )?;
    }
    Ok(())
}

/// Moves the agreement a point is about (directly, or through its project) forward to `status`;
/// an agreement already further along (signed, in force) is left where it is.
fn follow_agreement(c: &Connection, point_id: i64, status: AgreementStatus, on: &str, why: &str) -> Result<()> {
    let Some(subject) = get_point(c, point_id)?.record.data.subject else { return Ok(()) };
    if subject.kind != Entity::Agreement {
        return Ok(());
    }
    let current: AgreementStatus =
        c.query_row("SELECT status FROM agreement WHERE id = ?1", [subject.id], |r| r.get(0))?;
    let rank = |s: AgreementStatus| AgreementStatus::ALL.iter().position(|x| *x == s).unwrap_or(0);
    if rank(current) >= rank(status) {
        return Ok(());
    }
    super::agreements::change_status(c, subject.id, status, on, why)
}

impl Store {
    /// Records the council's vote on a point (numbered from the pattern when no number is given);
    /// an approval moves the linked agreement to "approved by the council".
    pub fn deliberate(&mut self, point_id: i64, data: DeliberationData) -> Result<DeliberationView> {
        let legal = self.legal_settings()?;
        let id = self.write(|c| deliberate(c, point_id, data, &legal, false))?;
        self.get_deliberation(id, crate::Lang::default())
    }

    pub fn update_deliberation(
        &mut self,
        id: i64,
        data: DeliberationData,
        expected_updated_at: Option<&str>,
    ) -> Result<DeliberationView> {
        let legal = self.legal_settings()?;
        self.write(|c| update_deliberation(c, id, data, &legal, expected_updated_at))?;
        self.get_deliberation(id, crate::Lang::default())
    }

    pub fn get_deliberation(&self, id: i64, lang: crate::Lang) -> Result<DeliberationView> {
        get_deliberation(&self.conn, id, &self.holiday_rules()?.hijri_calendar, lang)
    }

    /// The deliberation numbers given twice (after exchanging bundles), to be renumbered.
    pub fn number_clashes(&self) -> Result<Vec<NumberClash>> {
        number_clashes(&self.conn)
    }

    pub fn record_opposition(&mut self, deliberation_id: i64, on: &str, reason: &str) -> Result<DeliberationView> {
        self.write(|c| record_opposition(c, deliberation_id, on, reason))?;
        self.get_deliberation(deliberation_id, crate::Lang::default())
    }

    /// Records the visa; granted (or deemed granted) moves the agreement to "approved by the authority".
    pub fn record_visa(&mut self, deliberation_id: i64, visa: VisaData) -> Result<DeliberationView> {
        self.write(|c| record_visa(c, deliberation_id, visa))?;
        self.get_deliberation(deliberation_id, crate::Lang::default())
    }
}
