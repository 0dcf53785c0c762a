//! Desk-to-desk exchange, the store's side (docs/exchange.md; the file format is `crate::bundle`).
//!
//! A record travels as a map of fields (its data as JSON, links by UUID, plus `deleted` and, for
//! an agreement, its status), each field with a version clock: how many writes each desk made
//! to it. A desk notices its own edits by comparing a record with its fields as last exchanged
//! (`exchange_shadow`, with the clocks), whatever screen or command made them, and counts one write of its own
//! for each field that differs. Merging an incoming field: a clock the local one covers changes
//! nothing; a clock that covers the local one brings its value; two clocks neither covers are
//! concurrent writes — equal values merge, different ones are a conflict, the local value
//! staying until the user decides (`resolve`), the remote one kept and written to history.

mod council;
mod fields;
mod links;

use super::{history, Store};
use crate::error::{Error, Result};
use crate::model::Entity;
use fields::{fields_of, id_by_key, key_of, write};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The kinds of records exchanged, in the order a bundle holds them (a record after those it
/// links to). A document travels with its file's facts; the file itself goes in the bundle.
pub const EXCHANGED: [Entity; 9] = [
    Entity::Partner,
    Entity::Agreement,
    Entity::Project,
    Entity::Membership,
    Entity::Member,
    Entity::Session,
    Entity::Point,
    Entity::Deliberation,
    Entity::Document,
];

/// Writes per desk (by the desk's UUID).
pub type Clock = BTreeMap<String, u64>;

/// A record as it travels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Traveling {
    pub entity: Entity,
    pub uuid: String,
    pub fields: Map<String, Value>,
    pub clocks: BTreeMap<String, Clock>,
}

/// How many records a bundle carries, and the newest `updated_at` among them (the `since` of the
/// next bundle for the same desk).
pub struct Outgoing {
    pub records: usize,
    pub until: String,
}

/// What applying a bundle did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Merged {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub conflicts: usize,
    /// Deliberation numbers given twice once the bundle is applied (`Store::number_clashes`).
    pub number_clashes: usize,
}

/// Who this desk is: its council's UUID, its own UUID and name.
#[derive(Clone, Debug, Default, Serialize)]
pub struct DeskIdentity {
    pub council: String,
    pub desk: String,
    pub desk_name: String,
}

/// The same, for a desk that may not have made them yet.
#[derive(Clone, Debug, Default)]
pub struct KnownIdentity {
    pub council: Option<String>,
    pub desk: Option<String>,
}

/// The setting naming this desk.
const DESK_NAME: &str = "desk.name";

/// A field two desks changed differently, waiting for the user.
#[derive(Clone, Debug, Serialize)]
pub struct Conflict {
    pub id: i64,
    pub entity: Entity,
    pub record_id: Option<i64>,
    /// The record whose page shows it (a point's or a deliberation's session).
    pub page: Option<(Entity, i64)>,
    pub uuid: String,
    pub field: String,
    pub local_value: Value,
    pub remote_value: Value,
    /// The desk the remote value came from (`uuid name`), its name alone (its UUID when it has
    /// none), and when the value arrived.
    pub remote_desk: String,
    pub remote_desk_name: String,
    pub received_at: String,
}

/// Whether `a` has seen every write `b` has.
fn covers(a: &Clock, b: &Clock) -> bool {
    b.iter().all(|(desk, n)| a.get(desk).copied().unwrap_or(0) >= *n)
}

fn joined(a: &Clock, b: &Clock) -> Clock {
    let mut out = a.clone();
    for (desk, n) in b {
        let e = out.entry(desk.clone()).or_insert(0);
        *e = (*e).max(*n);
    }
    out
}

/// Keeps a record's fields as exchanged now, and their clocks.
fn keep(
    c: &Connection,
    entity: Entity,
    uuid: &str,
    fields: &Map<String, Value>,
    clocks: &BTreeMap<String, Clock>,
) -> Result<()> {
    c.prepare_cached("INSERT OR REPLACE INTO exchange_shadow(entity, uuid, fields, clocks) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![entity.as_str(), uuid, serde_json::to_string(fields)?, serde_json::to_string(clocks)?])?;
    Ok(())
}

/// A record's fields and clocks, this desk's edits since the last exchange counted first.
fn settled(c: &Connection, desk: &str, entity: Entity, id: i64) -> Result<Traveling> {
    let uuid = key_of(c, entity, id)?;
    let fields = fields_of(c, entity, id)?;
    let kept: Option<(String, String)> = c
        .prepare_cached("SELECT fields, clocks FROM exchange_shadow WHERE entity = ?1 AND uuid = ?2")?
        .query_row(params![entity.as_str(), &uuid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (shadow, mut clocks): (Map<String, Value>, BTreeMap<String, Clock>) = match kept {
        Some((shadow, clocks)) => (serde_json::from_str(&shadow)?, serde_json::from_str(&clocks)?),
        None => (Map::new(), BTreeMap::new()),
    };
    let mut edited = false;
    for (field, value) in &fields {
        if shadow.get(field) != Some(value) {
            *clocks.entry(field.clone()).or_default().entry(desk.to_string()).or_insert(0) += 1;
            edited = true;
        }
    }
    if edited {
        keep(c, entity, &uuid, &fields, &clocks)?;
    }
    Ok(Traveling { entity, uuid, fields, clocks })
}

/// Merges one traveling record into the desk. `from` names the sending desk.
fn merge(c: &Connection, desk: &str, from: &str, t: &Traveling, out: &mut Merged) -> Result<()> {
    let note = format!("bundle: {from}");
    let Some(id) = id_by_key(c, t.entity, &t.uuid)? else {
        let id = write(c, t, None, &t.fields, &note)?;
        keep(c, t.entity, &t.uuid, &fields_of(c, t.entity, id)?, &t.clocks)?;
        out.created += 1;
        return Ok(());
    };
    let local = settled(c, desk, t.entity, id)?;
    let mut fields = local.fields.clone();
    let mut clocks = local.clocks.clone();
    let mut changed = false;
    // The fields whose value comes from the other desk.
    let mut taken: Vec<String> = Vec::new();
    for (field, remote) in &t.fields {
        let remote_clock = t.clocks.get(field).cloned().unwrap_or_default();
        let local_clock = local.clocks.get(field).cloned().unwrap_or_default();
        let local_value = local.fields.get(field).cloned().unwrap_or(Value::Null);
        if covers(&local_clock, &remote_clock) {
            continue;
        }
        // A conflict kept here is settled by any write that has seen it.
        let settled_conflict = |clock: &Clock| -> Result<()> {
            let stored: Option<(i64, String)> = c
                .query_row(
                    "SELECT id, remote_clock FROM exchange_conflict WHERE entity = ?1 AND uuid = ?2 AND field = ?3",
                    params![t.entity.as_str(), t.uuid, field],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((cid, stored)) = stored {
                if covers(clock, &serde_json::from_str(&stored)?) {
                    c.execute("DELETE FROM exchange_conflict WHERE id = ?1", [cid])?;
                }
            }
            Ok(())
        };
        if t.entity == Entity::Deliberation && field == "uuid" {
            // Both desks recorded the vote on one point: the deliberation keeps its older UUID.
            let (Some(a), Some(b)) = (remote.as_str(), local_value.as_str()) else { continue };
            let kept = Value::String(council::merged_uuid(a, b).to_string());
            changed |= kept != local_value;
            fields.insert(field.clone(), kept);
            clocks.insert(field.clone(), joined(&local_clock, &remote_clock));
        } else if covers(&remote_clock, &local_clock) {
            if *remote != local_value {
                changed = true;
                taken.push(field.clone());
            }
            fields.insert(field.clone(), remote.clone());
            clocks.insert(field.clone(), remote_clock.clone());
            settled_conflict(&remote_clock)?;
        } else if *remote == local_value {
            let both = joined(&local_clock, &remote_clock);
            settled_conflict(&both)?;
            clocks.insert(field.clone(), both);
        } else {
            conflict(c, t, id, field, &local_value, remote, &remote_clock, from)?;
            out.conflicts += 1;
        }
    }
    if changed {
        // Each desk's values kept the rules; taken together they may not (one desk moved the
        // agenda's sending, the other its receipt, before it). Then the values taken become
        // conflicts, the record stays as it was here, and the user decides.
        c.execute_batch("SAVEPOINT merge_record")?;
        match write(c, t, Some(id), &fields, &note) {
            Ok(_) => c.execute_batch("RELEASE merge_record")?,
            Err(Error::Invalid { .. }) => {
                c.execute_batch("ROLLBACK TO merge_record; RELEASE merge_record")?;
                for field in taken {
                    let local_value = local.fields.get(&field).cloned().unwrap_or(Value::Null);
                    let remote_clock = t.clocks.get(&field).cloned().unwrap_or_default();
                    conflict(c, t, id, &field, &local_value, &t.fields[&field], &remote_clock, from)?;
                    clocks.insert(field.clone(), local.clocks.get(&field).cloned().unwrap_or_default());
                    out.conflicts += 1;
                }
                keep(c, t.entity, &t.uuid, &local.fields, &clocks)?;
                out.unchanged += 1;
                return Ok(());
            }
            Err(e) => {
                c.execute_batch("ROLLBACK TO merge_record; RELEASE merge_record")?;
                return Err(e);
            }
        }
        fields = fields_of(c, t.entity, id)?;
        out.updated += 1;
    } else {
        out.unchanged += 1;
    }
    keep(c, t.entity, &t.uuid, &fields, &clocks)
}

/// Keeps `remote`, the value of `field` another desk wrote concurrently with this desk's
/// `local` one, as a conflict for the user: the local value stays, the other goes to history.
#[allow(clippy::too_many_arguments)]
fn conflict(
    c: &Connection,
    t: &Traveling,
    id: i64,
    field: &str,
    local: &Value,
    remote: &Value,
    remote_clock: &Clock,
    from: &str,
) -> Result<()> {
    c.execute(
        "INSERT INTO exchange_conflict(entity, uuid, field, local_value, remote_value, remote_clock, remote_desk, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(entity, uuid, field) DO UPDATE SET local_value = excluded.local_value, remote_value = excluded.remote_value,
            remote_clock = excluded.remote_clock, remote_desk = excluded.remote_desk, received_at = excluded.received_at",
        params![
            t.entity.as_str(),
            t.uuid,
            field,
            local.to_string(),
            remote.to_string(),
            serde_json::to_string(remote_clock)?,
            from,
            crate::calendar::now_stamp()
        ],
    )?;
    history::record(
        c,
        t.entity,
        id,
        "conflict",
        Some(field),
        history::value_text(local).as_deref(),
        history::value_text(remote).as_deref(),
        &format!("bundle: {from}"),
    )
}

impl Store {
    /// Hands `each` the records of the exchanged kinds changed after `since` (all with an empty
    /// `since`; never sample records), one at a time, with their clocks, this desk's edits
    /// counted; read under the write lock, so that no change slips under `until`.
    pub fn traveling_since(&mut self, since: &str, each: &mut dyn FnMut(&Traveling) -> Result<()>) -> Result<Outgoing> {
        self.write(|c| {
            let desk = super::setting_uuid(c, super::DESK_UUID)?;
            let mut records = 0;
            let mut until = since.to_string();
            for entity in EXCHANGED {
                let only_attached = if entity == Entity::Document {
                    format!("AND entity IN ('{}')", fields::ATTACHABLE.join("', '"))
                } else {
                    String::new()
                };
                let rows: Vec<(i64, String)> = c
                    .prepare(&format!(
                        "SELECT id, updated_at FROM {} WHERE updated_at > ?1 AND is_sample = 0 {only_attached} ORDER BY id",
                        entity.table()
                    ))?
                    .query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                for (id, updated_at) in rows {
                    each(&settled(c, &desk, entity, id)?)?;
                    records += 1;
                    until = until.max(updated_at);
                }
            }
            // A change committed after this lock is released gets a later stamp than `until`.
            super::search::wait_past(&until);
            Ok(Outgoing { records, until })
        })
    }

    /// This desk's identity, its UUIDs made on first use.
    pub fn desk_identity(&mut self) -> Result<DeskIdentity> {
        self.write(|c| {
            Ok(DeskIdentity {
                council: super::setting_uuid(c, super::COUNCIL_UUID)?,
                desk: super::setting_uuid(c, super::DESK_UUID)?,
                desk_name: super::setting(c, DESK_NAME)?.unwrap_or_default(),
            })
        })
    }

    pub fn desk_identity_if_any(&self) -> Result<KnownIdentity> {
        Ok(KnownIdentity {
            council: super::setting(&self.conn, super::COUNCIL_UUID)?,
            desk: super::setting(&self.conn, super::DESK_UUID)?,
        })
    }

    /// Names this desk in the bundles it makes ("Bureau de la coopération — poste 2").
    pub fn set_desk_name(&mut self, name: &str) -> Result<()> {
        let name = crate::text::line("desk", name, false)?;
        self.set_setting(DESK_NAME, &name)
    }

    /// Of `hashes`, the files already sent to `desk` in a bundle made for it.
    pub fn files_sent_to(&self, desk: &str, hashes: &[String]) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT 1 FROM exchange_sent_file WHERE desk = ?1 AND sha256 = ?2")?;
        let mut out = std::collections::HashSet::new();
        for sha256 in hashes {
            if stmt.exists(params![desk.trim(), sha256])? {
                out.insert(sha256.clone());
            }
        }
        Ok(out)
    }

    /// Remembers that these files went to `desk` (its bundle is whole on disk).
    pub fn note_files_sent(&mut self, desk: &str, hashes: &[String]) -> Result<()> {
        self.write(|c| {
            let mut stmt =
                c.prepare_cached("INSERT OR IGNORE INTO exchange_sent_file(desk, sha256) VALUES (?1, ?2)")?;
            for sha256 in hashes {
                stmt.execute(params![desk.trim(), sha256])?;
            }
            Ok(())
        })
    }

    /// Whether the bundle `uuid` was applied on this desk.
    pub fn bundle_applied(&self, uuid: &str) -> Result<bool> {
        Ok(super::setting(&self.conn, &format!("bundle.applied.{uuid}"))?.is_some())
    }

    /// Merges the traveling records of bundle `bundle` from the desk `from` (its UUID and name),
    /// read one at a time, in one transaction; a desk of no council yet joins the bundle's `council`.
    pub fn merge_traveling(
        &mut self,
        records: &mut dyn Iterator<Item = Result<Traveling>>,
        from: &str,
        bundle: &str,
        council: &str,
    ) -> Result<Merged> {
        self.write(|c| {
            if super::setting(c, super::COUNCIL_UUID)?.is_none() {
                c.execute("INSERT INTO setting(key, value) VALUES (?1, ?2)", [super::COUNCIL_UUID, council])?;
            }
            c.execute(
                "INSERT INTO setting(key, value) VALUES (?1, ?2)",
                [format!("bundle.applied.{bundle}"), crate::calendar::now_stamp()],
            )?;
            let desk = super::setting_uuid(c, super::DESK_UUID)?;
            let mut out = Merged::default();
            // In the bundle's order, which puts a record after those it links to (`EXCHANGED`).
            for t in records {
                merge(c, &desk, from, &t?, &mut out)?;
            }
            out.number_clashes = super::deliberations::number_clashes(c)?.len();
            super::search::refresh(c, super::search::ReadOn::Writer)?;
            Ok(out)
        })
    }

    /// The conflicts waiting for the user, oldest first.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, entity, uuid, field, local_value, remote_value, remote_desk, received_at FROM exchange_conflict ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, entity, uuid, field, local, remote, remote_desk, received_at) = row?;
            let entity: Entity = entity.parse()?;
            let record_id = id_by_key(&self.conn, entity, &uuid)?;
            out.push(Conflict {
                id,
                page: record_id.map(|r| council::page_of(&self.conn, entity, r)).transpose()?,
                record_id,
                entity,
                uuid,
                field,
                local_value: serde_json::from_str(&local)?,
                remote_value: serde_json::from_str(&remote)?,
                remote_desk_name: match remote_desk.split_once(' ') {
                    Some((_, name)) if !name.trim().is_empty() => name.trim().to_string(),
                    _ => remote_desk.clone(),
                },
                remote_desk,
                received_at,
            });
        }
        Ok(out)
    }

    /// Decides a conflict: the local value stays (`take_remote` false) or the remote one is
    /// written; either way the decision is a new write that has seen both, so it travels to the
    /// other desks and settles the conflict there too.
    pub fn resolve_conflict(&mut self, conflict: i64, take_remote: bool) -> Result<()> {
        self.write(|c| {
            let desk = super::setting_uuid(c, super::DESK_UUID)?;
            let (entity, uuid, field, remote, remote_clock, from): (String, String, String, String, String, String) = c
                .query_row(
                    "SELECT entity, uuid, field, remote_value, remote_clock, remote_desk FROM exchange_conflict WHERE id = ?1",
                    [conflict],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
                )
                .optional()?
                .ok_or(Error::NotFound { kind: "conflict", id: conflict })?;
            let entity: Entity = entity.parse()?;
            let id = id_by_key(c, entity, &uuid)?.ok_or(Error::NotFound { kind: entity.as_str(), id: 0 })?;
            let mut local = settled(c, &desk, entity, id)?;
            let mut clock = joined(&local.clocks.get(&field).cloned().unwrap_or_default(), &serde_json::from_str(&remote_clock)?);
            *clock.entry(desk.clone()).or_insert(0) += 1;
            local.clocks.insert(field.clone(), clock);
            let mut fields = local.fields.clone();
            if take_remote {
                fields.insert(field.clone(), serde_json::from_str(&remote)?);
                write(c, &local, Some(id), &fields, &format!("resolved: {from}"))?;
                fields = fields_of(c, entity, id)?;
            } else {
                // The decision is a change of the record (in the trash or not): the next bundle
                // made for any desk carries it.
                c.execute(
                    &format!("UPDATE {} SET updated_at = ?2 WHERE id = ?1", entity.table()),
                    params![id, crate::calendar::now_stamp()],
                )?;
            }
            history::record(c, entity, id, "resolve", Some(&field), None, None, if take_remote { "remote" } else { "local" })?;
            keep(c, entity, &uuid, &fields, &local.clocks)?;
            c.execute("DELETE FROM exchange_conflict WHERE id = ?1", [conflict])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(pairs: &[(&str, u64)]) -> Clock {
        pairs.iter().map(|(d, n)| (d.to_string(), *n)).collect()
    }

    #[test]
    fn clocks_tell_before_after_and_concurrent() {
        let a1 = clock(&[("a", 1)]);
        let a2b1 = clock(&[("a", 2), ("b", 1)]);
        let b1 = clock(&[("b", 1)]);
        assert!(covers(&a2b1, &a1) && !covers(&a1, &a2b1));
        assert!(!covers(&a1, &b1) && !covers(&b1, &a1), "concurrent");
        assert!(covers(&a1, &Clock::new()));
        assert_eq!(joined(&a1, &b1), clock(&[("a", 1), ("b", 1)]));
    }
}
