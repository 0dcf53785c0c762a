//! The history table: every create, update (one row per changed field), delete, restore and
//! status change, written in the same transaction as the change itself.

use crate::error::Result;
use crate::model::Entity;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub action: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub detail: String,
    pub at: String,
}

/// One history row: its arguments are the table's columns, in the table's order.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    c: &Connection,
    entity: Entity,
    id: i64,
    action: &str,
    field: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
    detail: &str,
) -> Result<()> {
    // Cached: an import writes two history rows per record.
    c.prepare_cached(
        "INSERT INTO history(entity, entity_id, action, field, old_value, new_value, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![entity.as_str(), id, action, field, old, new, detail, crate::calendar::now_stamp()])?;
    Ok(())
}

/// A field's value as history text: strings as they are, everything else as JSON.
pub(crate) fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(a) if a.is_empty() => None,
        other => Some(other.to_string()),
    }
}

/// Writes the creation of a record with its whole content.
pub(crate) fn record_create<T: Serialize>(c: &Connection, entity: Entity, id: i64, data: &T) -> Result<()> {
    let snapshot = serde_json::to_string(data)?;
    record(c, entity, id, "create", None, None, Some(&snapshot), "")
}

/// Writes one row per field whose value changed between `old` and `new`.
pub(crate) fn record_update<T: Serialize>(c: &Connection, entity: Entity, id: i64, old: &T, new: &T) -> Result<usize> {
    let (Value::Object(old), Value::Object(new)) = (serde_json::to_value(old)?, serde_json::to_value(new)?) else {
        return Ok(0);
    };
    let mut changed = 0;
    for (field, new_v) in &new {
        let old_v = old.get(field).cloned().unwrap_or(Value::Null);
        if value_text(&old_v) != value_text(new_v) {
            record(
                c,
                entity,
                id,
                "update",
                Some(field),
                value_text(&old_v).as_deref(),
                value_text(new_v).as_deref(),
                "",
            )?;
            changed += 1;
        }
    }
    Ok(changed)
}

pub(crate) fn list_history(c: &Connection, entity: Entity, id: i64) -> Result<Vec<HistoryEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, action, field, old_value, new_value, detail, at FROM history WHERE entity = ?1 AND entity_id = ?2 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map(params![entity.as_str(), id], |r| {
        Ok(HistoryEntry {
            id: r.get("id")?,
            action: r.get("action")?,
            field: r.get("field")?,
            old_value: r.get("old_value")?,
            new_value: r.get("new_value")?,
            detail: r.get("detail")?,
            at: r.get("at")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
