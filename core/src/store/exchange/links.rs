//! A record's identity as it travels between desks: its UUID for its local id and back, and a
//! link (an id stored in a record's fields) written out as the linked record's UUID and read
//! back as this desk's id. The lowest layer of the exchange: `fields` and `council` both map
//! their links through it.

use crate::error::{Error, Result};
use crate::model::Entity;
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

/// The UUID of a record of this desk.
pub(super) fn uuid_of(c: &Connection, entity: Entity, id: i64) -> Result<String> {
    Ok(c.query_row(&format!("SELECT uuid FROM {} WHERE id = ?1", entity.table()), [id], |r| r.get(0))?)
}

/// The local id of the record with that UUID, if this desk has it.
pub(super) fn id_of(c: &Connection, entity: Entity, uuid: &str) -> Result<Option<i64>> {
    Ok(c.query_row(&format!("SELECT id FROM {} WHERE uuid = ?1", entity.table()), [uuid], |r| r.get(0)).optional()?)
}

/// A link as it travels: the linked record's UUID (or null).
pub(super) fn link_out(c: &Connection, entity: Entity, v: &Value) -> Result<Value> {
    Ok(match v.as_i64() {
        Some(id) => Value::String(uuid_of(c, entity, id)?),
        None => Value::Null,
    })
}

/// A link as stored: the local id of the record with that UUID (a bundle naming a record the
/// desk does not have and does not bring is incomplete).
pub(super) fn link_in(c: &Connection, entity: Entity, v: &Value) -> Result<Value> {
    Ok(match v.as_str() {
        Some(uuid) => match id_of(c, entity, uuid)? {
            Some(id) => Value::from(id),
            None => return Err(Error::Bundle { problem: "incomplete", detail: format!("{entity} {uuid}") }),
        },
        None => Value::Null,
    })
}
