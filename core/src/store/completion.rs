//! The fields a record still lacks after an import "as it is" (model::to_complete): read, written
//! with the record's history, narrowed at each save of the record, and cleared by the officer.

use super::{history, Store};
use crate::error::{Error, Result, Rule};
use crate::model::to_complete::{decode, encode, remaining, Completable};
use crate::model::Entity;
use rusqlite::{params, Connection, OptionalExtension};

/// The kinds of record an import may bring in to complete.
pub const KINDS: [Entity; 3] = [Entity::Agreement, Entity::Project, Entity::Membership];

fn table(entity: Entity) -> Result<&'static str> {
    if KINDS.contains(&entity) {
        Ok(entity.table())
    } else {
        Err(Error::invalid("kind", Rule::UnknownValue))
    }
}

/// The fields record `id` lacks (empty for a complete record).
pub(crate) fn listed(c: &Connection, entity: Entity, id: i64) -> Result<Vec<String>> {
    let sql = format!("SELECT to_complete FROM {} WHERE id = ?1", table(entity)?);
    let text: Option<String> = c.prepare_cached(&sql)?.query_row([id], |r| r.get(0)).optional()?;
    Ok(decode(&text.ok_or(Error::NotFound { kind: entity.as_str(), id })?))
}

/// Keeps `fields` as what record `id` lacks, with a history row when the list changes.
pub(crate) fn set(c: &Connection, entity: Entity, id: i64, fields: &[String], detail: &str) -> Result<()> {
    let old = listed(c, entity, id)?;
    if old == fields {
        return Ok(());
    }
    let (old, new) = (encode(&old), encode(fields));
    c.prepare_cached(&format!("UPDATE {} SET to_complete = ?2 WHERE id = ?1", table(entity)?))?
        .execute(params![id, new])?;
    history::record(c, entity, id, "update", Some("to_complete"), Some(&old), Some(&new), detail)
}

/// After a save of `data` over record `id`: what it listed and still lacks, and `added` (an
/// import's fields) that it lacks.
pub(crate) fn narrow<T: Completable>(
    c: &Connection,
    entity: Entity,
    id: i64,
    added: &[String],
    data: &T,
    detail: &str,
) -> Result<()> {
    let mut fields = listed(c, entity, id)?;
    fields.extend(added.iter().cloned());
    set(c, entity, id, &remaining(&fields, data), detail)
}

impl Store {
    /// The fields record `id` lacks, for a save to relax their rules (model::to_complete).
    pub(crate) fn to_complete(&self, entity: Entity, id: i64) -> Result<Vec<String>> {
        listed(&self.conn, entity, id)
    }
}
