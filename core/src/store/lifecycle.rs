//! Deleting and restoring records. Deleting moves a record to the trash (it can be restored,
//! also after a restart); it is refused while live records still refer to it, and restoring is
//! refused while what the record needs is itself in the trash. Nothing disappears silently.

use super::{history, touch};
use super::{HistoryEntry, Store};
use crate::error::{Error, Result, Rule};
use crate::model::Entity;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct TrashItem {
    pub entity: Entity,
    pub id: i64,
    pub label_ar: String,
    pub label_latin: String,
    pub deleted_at: String,
}

pub(crate) fn require_exists(c: &Connection, entity: Entity, id: i64) -> Result<()> {
    let found: Option<i64> =
        c.query_row(&format!("SELECT id FROM {} WHERE id = ?1", entity.table()), [id], |r| r.get(0)).optional()?;
    found.map(|_| ()).ok_or(Error::NotFound { kind: entity.as_str(), id })
}

/// Live records referring to `entity` `id`, as (kind, count) pairs.
fn references(c: &Connection, entity: Entity, id: i64) -> Result<Vec<(&'static str, i64)>> {
    let queries: &[(&str, &str)] = match entity {
        Entity::Partner => &[
            ("document", "SELECT count(*) FROM document WHERE entity = 'partner' AND entity_id = ?1 AND deleted_at IS NULL"),
            ("agreement", "SELECT count(*) FROM agreement_party ap JOIN agreement a ON a.id = ap.agreement_id WHERE ap.partner_id = ?1 AND a.deleted_at IS NULL"),
            ("membership", "SELECT count(*) FROM membership WHERE partner_id = ?1 AND deleted_at IS NULL"),
            ("project", "SELECT count(DISTINCT b.project_id) FROM budget_line b JOIN project p ON p.id = b.project_id WHERE b.partner_id = ?1 AND p.deleted_at IS NULL"),
        ],
        Entity::Agreement => &[
            ("project", "SELECT count(*) FROM project WHERE agreement_id = ?1 AND deleted_at IS NULL"),
            ("document", "SELECT count(*) FROM document WHERE entity = 'agreement' AND entity_id = ?1 AND deleted_at IS NULL"),
            ("point", "SELECT count(*) FROM agenda_point WHERE subject_kind = 'agreement' AND subject_id = ?1 AND deleted_at IS NULL"),
        ],
        Entity::Project => &[
            ("document", "SELECT count(*) FROM document WHERE entity = 'project' AND entity_id = ?1 AND deleted_at IS NULL"),
            ("point", "SELECT count(*) FROM agenda_point WHERE subject_kind = 'project' AND subject_id = ?1 AND deleted_at IS NULL"),
        ],
        Entity::Membership => &[
            ("document", "SELECT count(*) FROM document WHERE entity = 'membership' AND entity_id = ?1 AND deleted_at IS NULL"),
            ("point", "SELECT count(*) FROM agenda_point WHERE subject_kind = 'membership' AND subject_id = ?1 AND deleted_at IS NULL"),
        ],
        Entity::Document => &[],
        Entity::Session => &[
            ("point", "SELECT count(*) FROM agenda_point WHERE session_id = ?1 AND deleted_at IS NULL"),
            ("document", "SELECT count(*) FROM document WHERE entity = 'session' AND entity_id = ?1 AND deleted_at IS NULL"),
        ],
        Entity::Point => &[
            ("deliberation", "SELECT count(*) FROM deliberation WHERE point_id = ?1 AND deleted_at IS NULL"),
            ("point", "SELECT count(*) FROM agenda_point WHERE reexamines = ?1 AND deleted_at IS NULL"),
        ],
        Entity::Deliberation => &[("document", "SELECT count(*) FROM document WHERE entity = 'deliberation' AND entity_id = ?1 AND deleted_at IS NULL")],
        Entity::Member => &[],
    };
    let mut out = Vec::new();
    for (kind, sql) in queries {
        let n: i64 = c.query_row(sql, [id], |r| r.get(0))?;
        if n > 0 {
            out.push((*kind, n));
        }
    }
    Ok(out)
}

/// Deleted records that `entity` `id` needs (its partners, its agreement).
fn deleted_dependencies(c: &Connection, entity: Entity, id: i64) -> Result<Vec<&'static str>> {
    let queries: &[(&str, &str)] = match entity {
        Entity::Partner => &[],
        Entity::Agreement => &[("partner", "SELECT count(*) FROM agreement_party ap JOIN partner p ON p.id = ap.partner_id WHERE ap.agreement_id = ?1 AND p.deleted_at IS NOT NULL")],
        Entity::Project => &[
            ("agreement", "SELECT count(*) FROM project p JOIN agreement a ON a.id = p.agreement_id WHERE p.id = ?1 AND a.deleted_at IS NOT NULL"),
            ("partner", "SELECT count(*) FROM budget_line b JOIN partner p ON p.id = b.partner_id WHERE b.project_id = ?1 AND p.deleted_at IS NOT NULL"),
        ],
        Entity::Membership => &[("partner", "SELECT count(*) FROM membership m JOIN partner p ON p.id = m.partner_id WHERE m.id = ?1 AND p.deleted_at IS NOT NULL")],
        Entity::Document => &[(
            "document_parent",
            "SELECT count(*) FROM document d WHERE d.id = ?1 AND (
                 (d.entity = 'partner' AND EXISTS (SELECT 1 FROM partner x WHERE x.id = d.entity_id AND x.deleted_at IS NOT NULL))
              OR (d.entity = 'agreement' AND EXISTS (SELECT 1 FROM agreement x WHERE x.id = d.entity_id AND x.deleted_at IS NOT NULL))
              OR (d.entity = 'project' AND EXISTS (SELECT 1 FROM project x WHERE x.id = d.entity_id AND x.deleted_at IS NOT NULL))
              OR (d.entity = 'membership' AND EXISTS (SELECT 1 FROM membership x WHERE x.id = d.entity_id AND x.deleted_at IS NOT NULL))
              OR (d.entity = 'session' AND EXISTS (SELECT 1 FROM session x WHERE x.id = d.entity_id AND x.deleted_at IS NOT NULL))
              OR (d.entity = 'deliberation' AND EXISTS (SELECT 1 FROM deliberation x WHERE x.id = d.entity_id AND x.deleted_at IS NOT NULL)))",
        )],
        Entity::Session => &[],
        Entity::Point => &[
            ("session", "SELECT count(*) FROM agenda_point p JOIN session s ON s.id = p.session_id WHERE p.id = ?1 AND s.deleted_at IS NOT NULL"),
            ("agreement", "SELECT count(*) FROM agenda_point p JOIN agreement x ON x.id = p.subject_id WHERE p.id = ?1 AND p.subject_kind = 'agreement' AND x.deleted_at IS NOT NULL"),
            ("project", "SELECT count(*) FROM agenda_point p JOIN project x ON x.id = p.subject_id WHERE p.id = ?1 AND p.subject_kind = 'project' AND x.deleted_at IS NOT NULL"),
            ("membership", "SELECT count(*) FROM agenda_point p JOIN membership x ON x.id = p.subject_id WHERE p.id = ?1 AND p.subject_kind = 'membership' AND x.deleted_at IS NOT NULL"),
        ],
        Entity::Deliberation => &[("point", "SELECT count(*) FROM deliberation d JOIN agenda_point p ON p.id = d.point_id WHERE d.id = ?1 AND p.deleted_at IS NOT NULL")],
        Entity::Member => &[],
    };
    let mut out = Vec::new();
    for (kind, sql) in queries {
        let n: i64 = c.query_row(sql, [id], |r| r.get(0))?;
        if n > 0 {
            out.push(*kind);
        }
    }
    Ok(out)
}

pub(crate) fn delete_record(c: &Connection, entity: Entity, id: i64) -> Result<()> {
    touch(c, entity, id, None)?;
    let refs = references(c, entity, id)?;
    if !refs.is_empty() {
        let count = refs.iter().map(|(_, n)| *n as usize).sum();
        let by = refs.iter().map(|(k, n)| format!("{k}:{n}")).collect::<Vec<_>>().join(",");
        return Err(Error::Referenced { kind: entity.as_str(), id, count, by });
    }
    move_to_trash(c, entity, id, "")
}

/// Moves a record to the trash because another desk did (`store::exchange`), whatever still
/// refers to it here: the records that did there are in the same bundle (moved to the trash too),
/// and one linked to it here meanwhile stays live beside it; nothing is lost either way.
pub(crate) fn delete_as_exchanged(c: &Connection, entity: Entity, id: i64, note: &str) -> Result<()> {
    touch(c, entity, id, None)?;
    move_to_trash(c, entity, id, note)
}

fn move_to_trash(c: &Connection, entity: Entity, id: i64, note: &str) -> Result<()> {
    let now = crate::calendar::now_stamp();
    c.execute(&format!("UPDATE {} SET deleted_at = ?1 WHERE id = ?2", entity.table()), params![now, id])?;
    note_on_parent(c, entity, id, "detach")?;
    history::record(c, entity, id, "delete", None, None, None, note)
}

/// A document leaving or coming back is also a change of the record it is attached to.
fn note_on_parent(c: &Connection, entity: Entity, id: i64, action: &str) -> Result<()> {
    if entity != Entity::Document {
        return Ok(());
    }
    let d = super::documents::get_document(c, id)?;
    let label = if d.record.data.title.is_empty() { d.original_name.clone() } else { d.record.data.title.clone() };
    let (old, new) = if action == "detach" { (Some(label.as_str()), None) } else { (None, Some(label.as_str())) };
    history::record(c, d.entity, d.entity_id, action, Some("documents"), old, new, &d.sha256)
}

pub(crate) fn restore_record(c: &Connection, entity: Entity, id: i64) -> Result<()> {
    let deleted: Option<Option<String>> = c
        .query_row(&format!("SELECT deleted_at FROM {} WHERE id = ?1", entity.table()), [id], |r| r.get(0))
        .optional()?;
    match deleted {
        None => return Err(Error::NotFound { kind: entity.as_str(), id }),
        Some(None) => return Ok(()),
        Some(Some(_)) => {}
    }
    let needs = deleted_dependencies(c, entity, id)?;
    if !needs.is_empty() {
        return Err(Error::NeedsRestore { kind: entity.as_str(), id, needs: needs.join(",") });
    }
    c.execute(
        &format!("UPDATE {} SET deleted_at = NULL, updated_at = ?2 WHERE id = ?1", entity.table()),
        params![id, crate::calendar::now_stamp()],
    )?;
    note_on_parent(c, entity, id, "attach")?;
    history::record(c, entity, id, "restore", None, None, None, "")
}

pub(crate) fn list_trash(c: &Connection) -> Result<Vec<TrashItem>> {
    let sql = "
        SELECT 'partner', id, name_ar, name_latin, deleted_at FROM partner WHERE deleted_at IS NOT NULL
        UNION ALL SELECT 'agreement', id, title_ar, title_fr, deleted_at FROM agreement WHERE deleted_at IS NOT NULL
        UNION ALL SELECT 'project', id, title_ar, title_fr, deleted_at FROM project WHERE deleted_at IS NOT NULL
        UNION ALL SELECT 'membership', m.id, p.name_ar, p.name_latin, m.deleted_at FROM membership m JOIN partner p ON p.id = m.partner_id WHERE m.deleted_at IS NOT NULL
        UNION ALL SELECT 'document', id, title, original_name, deleted_at FROM document WHERE deleted_at IS NOT NULL
        UNION ALL SELECT 'session', id, kind || ' ' || year || '-' || month, '', deleted_at FROM session WHERE deleted_at IS NOT NULL
        UNION ALL SELECT 'point', id, title, '', deleted_at FROM agenda_point WHERE deleted_at IS NOT NULL
        UNION ALL SELECT 'deliberation', id, number, '', deleted_at FROM deliberation WHERE deleted_at IS NOT NULL
        ORDER BY 5 DESC LIMIT 1000";
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt
        .query_map([], |r| {
            let kind: String = r.get(0)?;
            Ok(TrashItem {
                entity: kind.parse().map_err(|_| rusqlite::Error::InvalidQuery)?,
                id: r.get(1)?,
                label_ar: r.get(2)?,
                label_latin: r.get(3)?,
                deleted_at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Store {
    /// Moves a record to the trash. Refused while live records refer to it.
    pub fn delete(&mut self, entity: Entity, id: i64) -> Result<()> {
        self.write(|c| delete_record(c, entity, id))
    }

    /// Brings a record back from the trash. Refused while what it needs is itself deleted.
    pub fn restore(&mut self, entity: Entity, id: i64) -> Result<()> {
        self.write(|c| restore_record(c, entity, id))
    }

    pub fn trash(&self) -> Result<Vec<TrashItem>> {
        list_trash(&self.conn)
    }

    pub fn history(&self, entity: Entity, id: i64) -> Result<Vec<HistoryEntry>> {
        require_exists(&self.conn, entity, id)?;
        history::list_history(&self.conn, entity, id)
    }

    /// The officer says record `id` is complete as it stands: its list is emptied. Refused, with
    /// the rule's error, while what it lacks is something the rules require (a tripartite
    /// declaration's second partner, a membership's date); an unknown date may stay unknown.
    pub fn mark_complete(&mut self, entity: Entity, id: i64) -> Result<()> {
        match entity {
            Entity::Agreement => drop(super::agreements::get_agreement(&self.conn, id)?.data.validate()?),
            Entity::Project => drop(super::projects::get_project(&self.conn, id)?.data.validate()?),
            Entity::Membership => drop(super::memberships::get_membership(&self.conn, id)?.data.validate()?),
            _ => return Err(Error::invalid("kind", Rule::UnknownValue)),
        }
        self.write(|c| {
            if super::completion::listed(c, entity, id)?.is_empty() {
                return Ok(());
            }
            touch(c, entity, id, None)?;
            super::completion::set(c, entity, id, &[], "")
        })
    }
}
