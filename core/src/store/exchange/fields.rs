//! A record as fields that travel, and back: its data as JSON with links by UUID, whether it is
//! in the trash, an agreement's status, a document's file facts (`fields_of`); and those fields
//! written over a record, or as a new one (`write`). The council's own records (members,
//! sessions, points, deliberations) are mapped by `council`.

use super::super::{agreements, completion, documents, history, lifecycle, memberships, partners, projects};
use super::links::{id_of, link_in, link_out, uuid_of};
use super::{council, Traveling};
use crate::error::{Error, Result};
use crate::model::to_complete::{self, remaining};
use crate::model::{AgreementData, AgreementStatus, DocumentData, Entity, MembershipData, PartnerData, ProjectData};
use rusqlite::{params, Connection};
use serde_json::{Map, Value};

/// The records documents may be attached to and still travel.
pub(super) const ATTACHABLE: [&str; 6] = ["partner", "agreement", "project", "membership", "session", "deliberation"];

/// A document's fields that describe its file: they never change.
const FILE_FACTS: [&str; 6] = ["sha256", "size", "media_type", "original_name", "page_count", "warnings"];

/// The key a record travels under: its UUID, a deliberation its point's (`council`).
pub(super) fn key_of(c: &Connection, entity: Entity, id: i64) -> Result<String> {
    match entity {
        Entity::Deliberation => council::deliberation_key(c, id),
        _ => uuid_of(c, entity, id),
    }
}

/// The record traveling under `key`, if this desk has it.
pub(super) fn id_by_key(c: &Connection, entity: Entity, key: &str) -> Result<Option<i64>> {
    match entity {
        Entity::Deliberation => council::deliberation_by_key(c, key),
        _ => id_of(c, entity, key),
    }
}

/// Applies `f` to the links of a record's fields (ids out, UUIDs in, or back).
fn map_links(
    c: &Connection,
    entity: Entity,
    fields: &mut Map<String, Value>,
    f: fn(&Connection, Entity, &Value) -> Result<Value>,
) -> Result<()> {
    match entity {
        Entity::Agreement => {
            if let Some(Value::Array(parties)) = fields.get_mut("parties") {
                for p in parties.iter_mut() {
                    *p = f(c, Entity::Partner, p)?;
                }
            }
        }
        Entity::Project => {
            if let Some(a) = fields.get_mut("agreement_id") {
                *a = f(c, Entity::Agreement, a)?;
            }
            if let Some(Value::Array(lines)) = fields.get_mut("budget_lines") {
                for line in lines.iter_mut() {
                    if let Some(p) = line.get_mut("partner_id") {
                        *p = f(c, Entity::Partner, p)?;
                    }
                }
            }
        }
        Entity::Membership => {
            if let Some(p) = fields.get_mut("partner_id") {
                *p = f(c, Entity::Partner, p)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A record's fields as they travel.
pub(super) fn fields_of(c: &Connection, entity: Entity, id: i64) -> Result<Map<String, Value>> {
    let mut to_complete = Vec::new();
    let (data, deleted) = match entity {
        Entity::Partner => {
            let r = partners::get_partner(c, id)?;
            (serde_json::to_value(r.data)?, r.deleted_at.is_some())
        }
        Entity::Agreement => {
            let r = agreements::get_agreement(c, id)?;
            to_complete = r.to_complete;
            (serde_json::to_value(r.data)?, r.deleted_at.is_some())
        }
        Entity::Project => {
            let r = projects::get_project(c, id)?;
            to_complete = r.to_complete;
            (serde_json::to_value(r.data)?, r.deleted_at.is_some())
        }
        Entity::Document => {
            let d = documents::get_document(c, id)?;
            let mut data = serde_json::to_value(&d.record.data)?;
            if let Value::Object(fields) = &mut data {
                let parent = serde_json::json!({ "entity": d.entity, "uuid": key_of(c, d.entity, d.entity_id)? });
                fields.insert("attached_to".into(), parent);
                fields.insert("sha256".into(), Value::String(d.sha256));
                fields.insert("size".into(), Value::from(d.size));
                fields.insert("media_type".into(), Value::String(d.media_type));
                fields.insert("original_name".into(), Value::String(d.original_name));
                fields.insert("page_count".into(), serde_json::to_value(d.page_count)?);
                fields.insert("warnings".into(), serde_json::to_value(d.warnings)?);
            }
            (data, d.record.deleted_at.is_some())
        }
        Entity::Membership => {
            let r = memberships::get_membership(c, id)?;
            to_complete = r.to_complete;
            (serde_json::to_value(r.data)?, r.deleted_at.is_some())
        }
        _ => {
            let (mut fields, deleted) = council::fields_of(c, entity, id)?;
            fields.insert("deleted".into(), Value::Bool(deleted));
            return Ok(fields);
        }
    };
    let Value::Object(mut fields) = data else { return Ok(Map::new()) };
    map_links(c, entity, &mut fields, link_out)?;
    // What an imported record still lacks travels with it, and its completion too (empty).
    if matches!(entity, Entity::Agreement | Entity::Project | Entity::Membership) {
        fields.insert("to_complete".into(), Value::String(to_complete::encode(&to_complete)));
    }
    if entity == Entity::Agreement {
        let (status, on): (String, String) =
            c.query_row("SELECT status, status_on FROM agreement WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        fields.insert("status".into(), Value::String(status));
        fields.insert("status_on".into(), Value::String(on));
    }
    fields.insert("deleted".into(), Value::Bool(deleted));
    Ok(fields)
}

/// Writes `fields` over record `id` (None: a new record with the traveling UUID): its data, its
/// status (an agreement), whether it is in the trash. Returns the record's id.
pub(super) fn write(
    c: &Connection,
    t: &Traveling,
    id: Option<i64>,
    fields: &Map<String, Value>,
    note: &str,
) -> Result<i64> {
    let mut data = fields.clone();
    let deleted = data.remove("deleted").and_then(|v| v.as_bool()).unwrap_or(false);
    let status = data.remove("status");
    let status_on = data.remove("status_on");
    let to_complete = to_complete::decode(data.remove("to_complete").as_ref().and_then(Value::as_str).unwrap_or(""));
    map_links(c, t.entity, &mut data, link_in)?;
    // A deliberation's own UUID travels as a field (it travels under its point's).
    let uuid = match data.get("uuid").and_then(Value::as_str) {
        Some(own) if t.entity == Entity::Deliberation => own.to_string(),
        _ => t.uuid.clone(),
    };
    let council_data = council::KINDS.contains(&t.entity).then(|| data.clone());
    let data = Value::Object(data);
    let table = t.entity.table();
    let was_deleted: Option<String> = match id {
        Some(id) => c.query_row(&format!("SELECT deleted_at FROM {table} WHERE id = ?1"), [id], |r| r.get(0))?,
        None => None,
    };
    // A record in the trash takes its new fields there: out of it for the write, back after.
    if let (Some(id), Some(_)) = (id, &was_deleted) {
        c.execute(&format!("UPDATE {table} SET deleted_at = NULL WHERE id = ?1"), [id])?;
    }
    let id = match (t.entity, id, council_data) {
        (entity, id, Some(data)) => council::write(c, entity, &t.uuid, id, data)?,
        (Entity::Document, id, _) => write_document(c, id, data)?,
        (Entity::Partner, None, _) => {
            partners::insert_partner(c, &serde_json::from_value::<PartnerData>(data)?.validate()?, false)?
        }
        (Entity::Partner, Some(id), _) => {
            partners::update_partner(c, id, &serde_json::from_value::<PartnerData>(data)?.validate()?, None)?;
            id
        }
        (Entity::Agreement, id, _) => {
            let d = serde_json::from_value::<AgreementData>(data)?.validate_leaving(&to_complete)?;
            let status = AgreementStatus::parse("status", status.as_ref().and_then(Value::as_str).unwrap_or("draft"))?;
            let on = status_on.as_ref().and_then(Value::as_str).unwrap_or_default().to_string();
            let id = match id {
                None => agreements::insert_agreement(c, &d, status, Some(&on), false)?,
                Some(id) => {
                    agreements::update_agreement(c, id, &d, None)?;
                    agreements::change_status(c, id, status, &on, note)?;
                    id
                }
            };
            completion::set(c, Entity::Agreement, id, &remaining(&to_complete, &d), note)?;
            id
        }
        (Entity::Project, id, _) => {
            let d = serde_json::from_value::<ProjectData>(data)?.validate_leaving(&to_complete)?;
            let id = match id {
                None => projects::insert_project(c, &d, false)?,
                Some(id) => {
                    projects::update_project(c, id, &d, None)?;
                    id
                }
            };
            completion::set(c, Entity::Project, id, &remaining(&to_complete, &d), note)?;
            id
        }
        (_, id, _) => {
            let d = serde_json::from_value::<MembershipData>(data)?.validate_leaving(&to_complete)?;
            let id = match id {
                None => memberships::insert_membership(c, &d, false)?,
                Some(id) => {
                    memberships::update_membership(c, id, &d, None)?;
                    id
                }
            };
            completion::set(c, Entity::Membership, id, &remaining(&to_complete, &d), note)?;
            id
        }
    };
    c.execute(&format!("UPDATE {table} SET uuid = ?1 WHERE id = ?2 AND uuid <> ?1"), params![uuid, id])?;
    match (deleted, was_deleted) {
        (true, Some(at)) => {
            c.execute(&format!("UPDATE {table} SET deleted_at = ?1 WHERE id = ?2"), params![at, id])?;
        }
        (true, None) => lifecycle::delete_as_exchanged(c, t.entity, id, note)?,
        (false, Some(_)) => history::record(c, t.entity, id, "restore", None, None, None, note)?,
        (false, None) => {}
    }
    Ok(id)
}

/// A document's description written over document `id`, or a new document of a file already in
/// the vault (the bundle's files are stored before its records are merged).
fn write_document(c: &Connection, id: Option<i64>, mut fields: Value) -> Result<i64> {
    let Value::Object(map) = &mut fields else {
        return Err(Error::Bundle { problem: "damaged", detail: "document".into() });
    };
    let parent = map.remove("attached_to").unwrap_or(Value::Null);
    let facts: Map<String, Value> =
        FILE_FACTS.iter().filter_map(|k| map.remove(*k).map(|v| (k.to_string(), v))).collect();
    let data = serde_json::from_value::<DocumentData>(fields)?.validate()?;
    if let Some(id) = id {
        documents::update_document(c, id, &data, None)?;
        return Ok(id);
    }
    let entity: Entity = parent.get("entity").and_then(Value::as_str).unwrap_or_default().parse()?;
    if !ATTACHABLE.contains(&entity.as_str()) {
        return Err(Error::Bundle { problem: "damaged", detail: format!("document of a {entity}") });
    }
    let key = parent.get("uuid").and_then(Value::as_str).unwrap_or_default();
    let entity_id = id_by_key(c, entity, key)?
        .ok_or_else(|| Error::Bundle { problem: "incomplete", detail: format!("{entity} {key}") })?;
    let text = |k: &str| facts.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    let incoming = crate::vault::Incoming {
        stored: crate::vault::Stored {
            sha256: text("sha256"),
            size: facts.get("size").and_then(Value::as_u64).unwrap_or(0),
            media_type: text("media_type"),
            new: false,
        },
        original_name: text("original_name"),
        warnings: serde_json::from_value(facts.get("warnings").cloned().unwrap_or(Value::Array(vec![])))?,
        page_count: facts.get("page_count").and_then(Value::as_u64).map(|n| n as u32),
    };
    documents::insert_document(c, entity, entity_id, &incoming, &data)
}
