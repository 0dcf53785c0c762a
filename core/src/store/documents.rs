//! The document table: which vault file is attached to which record, with its description.
//! Rows are written only after the file is durable in the vault (see `crate::vault`).

use super::Store;
use super::{history, new_uuid, record_from_row, require_live, touch, Filter, ListQuery, Page};
use crate::calendar::now_stamp;
use crate::error::{Error, Result};
use crate::model::{Document, DocumentData, Entity};
use crate::vault::Incoming;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

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
    c.prepare_cached("SELECT * FROM document WHERE id = ?1")?
        .query_row([id], from_row)
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
    f.contains(q, Entity::Document, "d", &["d.title", "d.original_name", "d.signatories"]);
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
    let mut set = c
        .prepare("SELECT DISTINCT sha256 FROM document")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<HashSet<String>>>()?;
    let emblem = super::identity::council_identity(c)?.emblem_sha256;
    if !emblem.is_empty() {
        set.insert(emblem);
    }
    Ok(set)
}

const SIZE_LIMIT_SETTING: &str = "vault.size_limit";

/// Where and how the files of one attach go (see `Store::plan_attach`).
pub struct AttachPlan {
    entity: Entity,
    id: i64,
    data: DocumentData,
    vault: crate::vault::Vault,
    size_limit: u64,
}

impl AttachPlan {
    /// Stores one file durably in the vault; `progress` gets the bytes read so far.
    pub fn take_in(&self, file: &Path, progress: &mut dyn FnMut(u64)) -> Result<crate::vault::Incoming> {
        self.vault.take_in(file, self.size_limit, progress)
    }

    /// The same plan with another size limit (one attach that needs a larger file).
    pub fn with_size_limit(mut self, bytes: u64) -> AttachPlan {
        self.size_limit = bytes;
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentCheck {
    pub id: i64,
    pub sha256: String,
    pub state: crate::vault::FileState,
}

impl Store {
    /// The vault of this database (a `vault` folder beside the file).
    pub fn vault(&self) -> Result<crate::vault::Vault> {
        match &self.path {
            Some(p) => crate::vault::Vault::beside(p),
            None => Err(Error::invalid("vault", crate::error::Rule::Missing)),
        }
    }

    /// Attaches files to a record: each is stored (durably) in the vault first, then all the
    /// rows are written in one transaction. A crash in between leaves only unreferenced files.
    pub fn attach(&mut self, entity: Entity, id: i64, files: &[PathBuf], data: DocumentData) -> Result<Vec<Document>> {
        let plan = self.plan_attach(entity, id, data)?;
        let incoming = files.iter().map(|f| plan.take_in(f, &mut |_| {})).collect::<Result<Vec<_>>>()?;
        self.record_attached(plan, &incoming)
    }

    /// The first step of an attach, for callers that store the files without holding the store
    /// (the window, so that other work goes on during a long import): checks the description
    /// and the record, and says where and how the files go.
    pub fn plan_attach(&self, entity: Entity, id: i64, data: DocumentData) -> Result<AttachPlan> {
        let data = data.validate()?;
        require_live(&self.conn, entity, id, "to")?;
        let vault = self.vault()?;
        // Parts of attaches that were killed go before new ones come (never a live attach's).
        vault.sweep_tmp();
        Ok(AttachPlan { entity, id, data, vault, size_limit: self.size_limit()? })
    }

    /// The last step: one transaction writes every row (the files are already durable). If the
    /// record went to the trash meanwhile, nothing is written and the files stay unreferenced.
    pub fn record_attached(&mut self, plan: AttachPlan, files: &[crate::vault::Incoming]) -> Result<Vec<Document>> {
        let ids = self.write(|c| {
            files.iter().map(|f| insert_document(c, plan.entity, plan.id, f, &plan.data)).collect::<Result<Vec<_>>>()
        })?;
        ids.into_iter().map(|i| get_document(&self.conn, i)).collect()
    }

    /// The largest file accepted into the vault (setting `vault.size_limit`, in bytes; 2 GiB).
    pub fn size_limit(&self) -> Result<u64> {
        Ok(self.setting(SIZE_LIMIT_SETTING)?.and_then(|v| v.parse().ok()).unwrap_or(crate::vault::DEFAULT_SIZE_LIMIT))
    }

    /// Sets the largest file accepted; `0` restores the default.
    pub fn set_size_limit(&mut self, bytes: u64) -> Result<()> {
        if bytes == 0 {
            self.write(|c| Ok(c.execute("DELETE FROM setting WHERE key = ?1", [SIZE_LIMIT_SETTING])?))?;
            return Ok(());
        }
        self.set_setting(SIZE_LIMIT_SETTING, &bytes.to_string())
    }

    pub fn documents_of(&self, entity: Entity, id: i64) -> Result<Vec<Document>> {
        documents_of(&self.conn, entity, id)
    }

    pub fn get_document(&self, id: i64) -> Result<Document> {
        get_document(&self.conn, id)
    }

    pub fn update_document(
        &mut self,
        id: i64,
        data: DocumentData,
        expected_updated_at: Option<&str>,
    ) -> Result<Document> {
        let data = data.validate()?;
        self.write(|c| update_document(c, id, &data, expected_updated_at))?;
        get_document(&self.conn, id)
    }

    pub fn list_documents(&self, q: &ListQuery) -> Result<Page<Document>> {
        list_documents(&self.conn, q)
    }

    /// The vault files the database refers to (documents, in the trash too, and the emblem).
    pub fn referenced_files(&self) -> Result<std::collections::HashSet<String>> {
        referenced_hashes(&self.conn)
    }

    /// Re-hashes every file of the vault against what the database refers to.
    pub fn verify_vault(&self, progress: impl FnMut(usize, usize)) -> Result<crate::vault::VerifyReport> {
        self.vault()?.verify(&referenced_hashes(&self.conn)?, progress)
    }

    /// Re-hashes the files of one record's documents: each is intact, altered or missing.
    pub fn check_documents(&self, entity: Entity, id: i64) -> Result<Vec<DocumentCheck>> {
        let vault = self.vault()?;
        self.documents_of(entity, id)?
            .into_iter()
            .map(|d| {
                let state = vault.state_of(&d.sha256)?;
                Ok(DocumentCheck { id: d.record.id, sha256: d.sha256, state })
            })
            .collect()
    }

    /// The vault files no document refers to (removed unless `dry_run`).
    pub fn vault_gc(&self, dry_run: bool) -> Result<crate::vault::Collected> {
        self.vault()?.gc(&referenced_hashes(&self.conn)?, dry_run)
    }

    /// Copies a document's file to `dest`, checked against its hash.
    pub fn export_document(&self, id: i64, dest: &Path) -> Result<()> {
        let d = self.get_document(id)?;
        self.vault()?.export(&d.sha256, dest)
    }

    /// A JPEG thumbnail or preview (at most `side` pixels) of an image document, made once and
    /// kept in `cache_dir` (see `crate::preview` for the bounds against hostile images).
    pub fn document_rendition(&self, id: i64, side: u32, cache_dir: &Path) -> Result<Vec<u8>> {
        let d = self.get_document(id)?;
        if !matches!(d.media_type.as_str(), "image/jpeg" | "image/png" | "image/tiff") {
            return Err(Error::invalid("document", crate::error::Rule::NotPreviewable));
        }
        let side = side.clamp(64, crate::preview::PREVIEW_SIDE);
        let vault = self.vault()?;
        let source = vault.path_of(&d.sha256);
        if !source.exists() {
            return Err(Error::invalid("document", crate::error::Rule::Missing));
        }
        crate::preview::RenditionCache::new(cache_dir).get(&d.sha256, &source, side)
    }

    /// The bytes of a PDF document for the window to draw its pages, checked against the hash;
    /// refused for PDFs flagged protected or damaged.
    pub fn document_pdf(&self, id: i64) -> Result<Vec<u8>> {
        let d = self.get_document(id)?;
        if d.media_type != "application/pdf" || d.warnings.iter().any(|w| w == "pdf_encrypted" || w == "pdf_corrupt") {
            return Err(Error::invalid("document", crate::error::Rule::NotPreviewable));
        }
        crate::preview::read_for_preview(&self.vault()?.path_of(&d.sha256), &d.sha256)
    }

    /// A read-only copy of a document's file in `dir`, for the system viewer (the vault's own
    /// file is never handed to another program, which could change it). Reused while intact.
    pub fn viewing_copy(&self, id: i64, dir: &Path) -> Result<PathBuf> {
        let d = self.get_document(id)?;
        let ext = match d.media_type.as_str() {
            "application/pdf" => "pdf",
            "image/jpeg" => "jpg",
            "image/png" => "png",
            "image/tiff" => "tif",
            _ => "bin",
        };
        let folder = dir.join(&d.sha256);
        std::fs::create_dir_all(&folder)?;
        let copy = folder.join(format!("document-{id}.{ext}"));
        let vault = self.vault()?;
        if copy.exists() {
            if vault.rehash_file(&copy)?.as_deref() == Some(d.sha256.as_str()) {
                return Ok(copy);
            }
            let mut perms = std::fs::metadata(&copy)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&copy, perms)?;
            std::fs::remove_file(&copy)?;
        }
        vault.export(&d.sha256, &copy)?;
        let mut perms = std::fs::metadata(&copy)?.permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&copy, perms)?;
        Ok(copy)
    }
}
