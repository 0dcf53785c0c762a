//! The document table: which vault file is attached to which record, with its description.
//! Rows are written only after the file is durable in the vault (see `crate::vault`).

use super::{history, new_uuid, record_from_row, require_live, touch, Filter, ListQuery, Page};
use crate::calendar::now_stamp;
use crate::error::{Error, Result};
use crate::model::{Document, DocumentData, Entity};
use crate::vault::Incoming;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashSet;

/// Records a file already durable in the vault as a document of a record.
pub(crate) fn insert_document(
    c: &Connection,
    entity: Entity,
    entity_id: i64,
    file: &Incoming,
    data: &DocumentData,
) -> Result<i64> {
    require_live(c, entity, entity_id, "to")?;
    let now = now_stamp();
    c.prepare_cached(
        "INSERT INTO document(uuid, entity, entity_id, sha256, size, media_type, original_name, kind, title, signed_on, signatories, page_count, warnings, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
    )?
    .execute(params![
        new_uuid(), entity.as_str(), entity_id, file.stored.sha256, file.stored.size as i64, file.stored.media_type, file.original_name,
        data.kind, data.title, data.signed_on, data.signatories, file.page_count, file.warnings.join(","), data.notes, now
    ])?;
    let id = c.last_insert_rowid();
    history::record_create(c, Entity::Document, id, data)?;
    let label = if data.title.is_empty() { file.original_name.as_str() } else { data.title.as_str() };
    history::record(c, entity, entity_id, "attach", Some("documents"), None, Some(label), &file.stored.sha256)?;
    Ok(id)
}

pub(crate) fn update_document(c: &Connection, id: i64, d: &DocumentData, expected: Option<&str>) -> Result<()> {
    let old = get_document(c, id)?;
    touch(c, Entity::Document, id, expected)?;
    c.execute(
        "UPDATE document SET kind = ?2, title = ?3, signed_on = ?4, signatories = ?5, notes = ?6 WHERE id = ?1",
        params![id, d.kind, d.title, d.signed_on, d.signatories, d.notes],
    )?;
    history::record_update(c, Entity::Document, id, &old.record.data, d)?;
    Ok(())
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    let data = DocumentData {
        kind: r.get("kind")?,
        title: r.get("title")?,
        signed_on: r.get("signed_on")?,
        signatories: r.get("signatories")?,
        notes: r.get("notes")?,
    };
    let entity: String = r.get("entity")?;
    let warnings: String = r.get("warnings")?;
    Ok(Document {
        record: record_from_row(r, data)?,
        entity: entity
            .parse()
            .map_err(|_| rusqlite::Error::InvalidColumnType(0, "entity".into(), rusqlite::types::Type::Text))?,
        entity_id: r.get("entity_id")?,
        sha256: r.get("sha256")?,
        size: r.get("size")?,
        media_type: r.get("media_type")?,
        original_name: r.get("original_name")?,
        page_count: r.get("page_count")?,
        warnings: warnings.split(',').filter(|w| !w.is_empty()).map(str::to_string).collect(),
    })
}

pub(crate) fn get_document(c: &Connection, id: i64) -> Result<Document> {
    c.query_row("SELECT * FROM document WHERE id = ?1", [id], from_row)
        .optional()?
        .ok_or(Error::NotFound { kind: "document", id })
}

/// The live documents attached to one record, oldest first.
pub(crate) fn documents_of(c: &Connection, entity: Entity, entity_id: i64) -> Result<Vec<Document>> {
    let mut stmt = c.prepare_cached(
        "SELECT * FROM document WHERE entity = ?1 AND entity_id = ?2 AND deleted_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map(params![entity.as_str(), entity_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn filter_documents(q: &ListQuery) -> Filter {
    let mut f = Filter::new("d.deleted_at IS NULL");
    f.contains(q, &["d.title", "d.original_name", "d.signatories"]);
    f.equals("d.kind", &q.kind);
    f
}

pub(crate) fn count_documents(c: &Connection, q: &ListQuery) -> Result<i64> {
    filter_documents(q).count(c, "document d")
}

pub(crate) fn list_documents(c: &Connection, q: &ListQuery) -> Result<Page<Document>> {
    let f = filter_documents(q);
    let dir = if q.desc { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT d.* FROM document d WHERE {} ORDER BY d.id {dir} LIMIT {} OFFSET {}",
        f.sql(),
        q.limit() + 1,
        q.offset
    );
    let items = c
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(f.args()), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page::of(items, q))
}

/// Every file hash any document row refers to, in the trash included (it can be restored), and
/// the council's emblem.
pub(crate) fn referenced_hashes(c: &Connection) -> Result<HashSet<String>> {
    let mut stmt = c.prepare(
        "SELECT DISTINCT sha256 FROM document
         UNION SELECT json_extract(value, '$.emblem_sha256') FROM setting WHERE key = 'council_identity' AND coalesce(json_extract(value, '$.emblem_sha256'), '') <> ''",
    )?;
    let set = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<HashSet<String>>>()?;
    Ok(set)
}
