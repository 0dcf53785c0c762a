//! The council's own records as fields that travel, and back: its members, its sessions (with
//! their sittings and the notification of their minutes), their agenda points (links to the
//! session, the subject and the point re-examined, by UUID) and the deliberations on them (with
//! the opposition and the visa that followed).
//!
//! A deliberation travels under its point's UUID, not its own: the law gives a point one vote
//! (art. 44 of Organic Law 112-14 counts the votes on "the point"), so two desks recording the
//! vote on one point write one record, their differing fields conflicts like any other. Its own
//! UUID travels as a field, and two desks that both recorded the vote keep the older one
//! (`merged_uuid`), which is the smaller UUIDv7, so that the national registry sees one record.

use super::super::{deliberations, members, sessions};
use super::links::{link_in, link_out, uuid_of};
use crate::error::{Error, Result};
use crate::model::{DeliberationData, Entity, MemberData, PointData, SessionData, Subject, VisaData};
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

/// The kinds this module carries.
pub(super) const KINDS: [Entity; 4] = [Entity::Member, Entity::Session, Entity::Point, Entity::Deliberation];

/// The key a deliberation travels under: its point's UUID.
pub(super) fn deliberation_key(c: &Connection, id: i64) -> Result<String> {
    Ok(c.query_row(
        "SELECT p.uuid FROM deliberation d JOIN agenda_point p ON p.id = d.point_id WHERE d.id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

/// The deliberation on the point with UUID `key`, if this desk has one.
pub(super) fn deliberation_by_key(c: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(c.prepare_cached("SELECT d.id FROM deliberation d JOIN agenda_point p ON p.id = d.point_id WHERE p.uuid = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// The record whose page shows `entity` `id`: a point and a deliberation are shown on their
/// session's page, a document on its record's.
pub(super) fn page_of(c: &Connection, entity: Entity, id: i64) -> Result<(Entity, i64)> {
    let one = |sql: &str| -> Result<i64> { Ok(c.query_row(sql, [id], |r| r.get(0))?) };
    Ok(match entity {
        Entity::Point => (Entity::Session, one("SELECT session_id FROM agenda_point WHERE id = ?1")?),
        Entity::Deliberation => (
            Entity::Session,
            one("SELECT p.session_id FROM deliberation d JOIN agenda_point p ON p.id = d.point_id WHERE d.id = ?1")?,
        ),
        Entity::Document => {
            let (parent, parent_id): (String, i64) =
                c.query_row("SELECT entity, entity_id FROM document WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            page_of(c, parent.parse()?, parent_id)?
        }
        other => (other, id),
    })
}

/// Of two UUIDs one deliberation was given on two desks, the one it keeps everywhere.
pub(super) fn merged_uuid<'a>(a: &'a str, b: &'a str) -> &'a str {
    a.min(b)
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// A record's fields as they travel, with whether it is in the trash.
pub(super) fn fields_of(c: &Connection, entity: Entity, id: i64) -> Result<(Map<String, Value>, bool)> {
    Ok(match entity {
        Entity::Member => {
            let r = members::get_member(c, id)?;
            let mut fields = object(serde_json::to_value(&r.data)?);
            fields.insert("position".into(), Value::from(members::member_position(c, id)?));
            (fields, r.deleted_at.is_some())
        }
        Entity::Session => {
            let r = sessions::get_session(c, id)?;
            let mut fields = object(serde_json::to_value(&r.data)?);
            let n = sessions::get_notification(c, id)?;
            fields.insert("notified_on".into(), Value::String(n.notified_on));
            fields.insert("receipt_on".into(), Value::String(n.receipt_on));
            (fields, r.deleted_at.is_some())
        }
        Entity::Point => {
            let p = sessions::get_point(c, id)?;
            let mut fields = object(serde_json::to_value(&p.record.data)?);
            let subject = match p.record.data.subject {
                Some(s) => serde_json::json!({ "kind": s.kind, "uuid": uuid_of(c, s.kind, s.id)? }),
                None => Value::Null,
            };
            fields.insert("subject".into(), subject);
            let reexamines = link_out(c, Entity::Point, fields.get("reexamines").unwrap_or(&Value::Null))?;
            fields.insert("reexamines".into(), reexamines);
            fields.insert("session".into(), Value::String(uuid_of(c, Entity::Session, p.session_id)?));
            fields.insert("position".into(), Value::from(p.position));
            (fields, p.record.deleted_at.is_some())
        }
        _ => {
            let (record, _, after) = deliberations::deliberation_parts(c, id)?;
            let mut fields = object(serde_json::to_value(&record.data)?);
            fields.insert("uuid".into(), Value::String(record.uuid));
            fields.insert("opposition_on".into(), Value::String(after.opposition_on));
            fields.insert("opposition_reason".into(), Value::String(after.opposition_reason));
            fields.insert("visa".into(), serde_json::to_value(&after.visa)?);
            (fields, record.deleted_at.is_some())
        }
    })
}

fn take_text(data: &mut Map<String, Value>, field: &str) -> String {
    data.remove(field).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn take_int(data: &mut Map<String, Value>, field: &str) -> i64 {
    data.remove(field).and_then(|v| v.as_i64()).unwrap_or(0)
}

/// Writes `data` (the fields but `deleted`, links still UUIDs) over record `id`, or as a new
/// record (None); returns its id. The record's UUID is set by the caller (`uuid_of_written`).
pub(super) fn write(
    c: &Connection,
    entity: Entity,
    key: &str,
    id: Option<i64>,
    mut data: Map<String, Value>,
) -> Result<i64> {
    match entity {
        Entity::Member => {
            let position = take_int(&mut data, "position");
            let d = serde_json::from_value::<MemberData>(Value::Object(data))?.validate()?;
            members::put_member(c, id, position, &d)
        }
        Entity::Session => {
            let notified_on = take_text(&mut data, "notified_on");
            let receipt_on = take_text(&mut data, "receipt_on");
            let d = serde_json::from_value::<SessionData>(Value::Object(data))?.validate()?;
            let id = match id {
                None => sessions::insert_session(c, &d, false)?,
                Some(id) => {
                    sessions::update_session(c, id, &d, None)?;
                    id
                }
            };
            let day = |field, v: &str| crate::model::session::day_field(field, v, false);
            sessions::write_notification(c, id, &day("notified_on", &notified_on)?, &day("receipt_on", &receipt_on)?)?;
            Ok(id)
        }
        Entity::Point => {
            let session = link_in(c, Entity::Session, &data.remove("session").unwrap_or(Value::Null))?
                .as_i64()
                .ok_or_else(|| Error::Bundle { problem: "damaged", detail: format!("point {key}: session") })?;
            let position = take_int(&mut data, "position");
            if let Some(Value::Object(s)) = data.remove("subject") {
                let kind: Entity = s.get("kind").and_then(Value::as_str).unwrap_or_default().parse()?;
                let subject_id = link_in(c, kind, s.get("uuid").unwrap_or(&Value::Null))?;
                let subject = Subject { kind, id: subject_id.as_i64().unwrap_or_default() };
                data.insert("subject".into(), serde_json::to_value(subject)?);
            }
            if let Some(earlier) = data.get_mut("reexamines") {
                *earlier = link_in(c, Entity::Point, earlier)?;
            }
            let d = serde_json::from_value::<PointData>(Value::Object(data))?.validate()?;
            sessions::put_point(c, id, session, position, &d)
        }
        _ => {
            let point = link_in(c, Entity::Point, &Value::String(key.to_string()))?.as_i64().unwrap_or_default();
            data.remove("uuid");
            let after = deliberations::Aftermath {
                opposition_on: take_text(&mut data, "opposition_on"),
                opposition_reason: take_text(&mut data, "opposition_reason"),
                visa: serde_json::from_value::<VisaData>(data.remove("visa").unwrap_or(Value::Null))?,
            };
            let d = serde_json::from_value::<DeliberationData>(Value::Object(data))?.validate(None)?;
            deliberations::put_deliberation(c, id, point, &d, &after)
        }
    }
}
