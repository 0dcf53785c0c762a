//! Writing an import: every change of a spreadsheet in one transaction, as the rows are planned,
//! with the usual history rows, the search index, and the column mapping remembered for the
//! file's layout.

use super::{agreements, completion, memberships, partners, projects, Store};
use crate::error::Result;
use crate::model::to_complete::Completable;
use crate::model::{AgreementData, AgreementStatus, Entity, MembershipData, PartnerData, ProjectData};
use rusqlite::Connection;

/// A change an import has planned, ready to be written (see `Store::apply_import`): the
/// import plans, the store writes.
#[derive(Clone, Debug)]
pub enum ImportChange {
    Partner {
        id: Option<i64>,
        uuid: Option<String>,
        data: PartnerData,
    },
    Agreement {
        id: Option<i64>,
        uuid: Option<String>,
        data: AgreementData,
        status: Option<AgreementStatus>,
        /// The fields the row leaves to complete (model::to_complete).
        to_complete: Vec<String>,
    },
    Project {
        id: Option<i64>,
        uuid: Option<String>,
        data: ProjectData,
        /// The fields the row leaves to complete (model::to_complete).
        to_complete: Vec<String>,
    },
    Membership {
        id: Option<i64>,
        uuid: Option<String>,
        data: MembershipData,
        /// The fields the row leaves to complete (model::to_complete).
        to_complete: Vec<String>,
    },
    /// A partner rows name, created before them; rows refer to it by `placeholder` (negative)
    /// among an agreement's parties.
    NewParty {
        placeholder: i64,
        data: PartnerData,
    },
}

impl ImportChange {
    /// The fields the change leaves its record to complete (model::to_complete).
    pub(crate) fn to_complete(&self) -> &[String] {
        match self {
            ImportChange::Agreement { to_complete, .. }
            | ImportChange::Project { to_complete, .. }
            | ImportChange::Membership { to_complete, .. } => to_complete,
            ImportChange::Partner { .. } | ImportChange::NewParty { .. } => &[],
        }
    }

    /// The kind of record, when it is one an import may leave to complete.
    fn completable(&self) -> Option<Entity> {
        match self {
            ImportChange::Agreement { .. } => Some(Entity::Agreement),
            ImportChange::Project { .. } => Some(Entity::Project),
            ImportChange::Membership { .. } => Some(Entity::Membership),
            ImportChange::Partner { .. } | ImportChange::NewParty { .. } => None,
        }
    }

    /// It changes a stored record (rather than making one).
    fn updates(&self) -> bool {
        match self {
            ImportChange::Partner { id, .. }
            | ImportChange::Agreement { id, .. }
            | ImportChange::Project { id, .. }
            | ImportChange::Membership { id, .. } => id.is_some(),
            ImportChange::NewParty { .. } => false,
        }
    }
}

/// What the change's record lacks is what its data lacks (an agreement's placeholder parties
/// count as the partners they become).
impl Completable for ImportChange {
    fn lacks(&self, field: &str) -> bool {
        match self {
            ImportChange::Agreement { data, .. } => data.lacks(field),
            ImportChange::Project { data, .. } => data.lacks(field),
            ImportChange::Membership { data, .. } => data.lacks(field),
            ImportChange::Partner { .. } | ImportChange::NewParty { .. } => false,
        }
    }
}

/// The stored fields of a live record, for an import to compare and merge with.
pub(crate) fn partner_data(c: &Connection, id: i64) -> Result<PartnerData> {
    Ok(partners::get_partner(c, id)?.data)
}

pub(crate) fn agreement_data(c: &Connection, id: i64) -> Result<(AgreementData, AgreementStatus)> {
    // Cached, as the getters: a re-import of 100,000 rows reads each stored record.
    let status = c.prepare_cached("SELECT status FROM agreement WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
    Ok((agreements::get_agreement(c, id)?.data, status))
}

pub(crate) fn project_data(c: &Connection, id: i64) -> Result<ProjectData> {
    Ok(projects::get_project(c, id)?.data)
}

pub(crate) fn membership_data(c: &Connection, id: i64) -> Result<MembershipData> {
    Ok(memberships::get_membership(c, id)?.data)
}

/// Gives a new record the UUID it had in the file, unless another record (even in the trash) has it.
fn keep_uuid(c: &Connection, entity: Entity, id: i64, uuid: &Option<String>) -> Result<()> {
    if let Some(uuid) = uuid {
        let table = entity.table();
        // Cached: an import of 100,000 exported rows runs this once per row.
        c.prepare_cached(&format!(
            "UPDATE {table} SET uuid = ?1 WHERE id = ?2 AND NOT EXISTS (SELECT 1 FROM {table} WHERE uuid = ?1)"
        ))?
        .execute(rusqlite::params![uuid, id])?;
    }
    Ok(())
}

/// An agreement's parties with the partners created by the import in place of their placeholders.
fn with_parties(data: &AgreementData, created: &std::collections::HashMap<i64, i64>) -> AgreementData {
    let mut data = data.clone();
    for party in data.parties.iter_mut() {
        if let Some(id) = created.get(party) {
            *party = *id;
        }
    }
    data
}

/// Below this many new rows, a table's indexes are kept up to date row by row.
const BULK_ROWS: usize = 10_000;

/// Runs `work`, which adds at most `rows` rows to `table`, with the table's secondary indexes
/// (not its primary key or UNIQUE constraints) dropped, and builds them again after it, when the
/// rows are many (`BULK_ROWS`) and at least as many as the table has: sorting 100,000 titles once
/// is cheaper than inserting them one by one in random places (an import of 100,000 agreements:
/// 0.4 s of 6.1). An import's rows are written as they are planned, so `rows` is the file's
/// count, not yet how many create. All in the caller's transaction: if `work` fails, the rollback
/// brings the indexes back with everything else.
fn with_indexes_deferred<T>(c: &Connection, table: &str, rows: usize, work: impl FnOnce() -> Result<T>) -> Result<T> {
    let present: i64 = c.query_row(&format!("SELECT coalesce(max(rowid), 0) FROM {table}"), [], |r| r.get(0))?;
    if rows < BULK_ROWS || (rows as i64) < present {
        return work();
    }
    let indexes: Vec<(String, String)> = c
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL")?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        c.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    let out = work()?;
    for (_, sql) in &indexes {
        c.execute_batch(sql)?;
    }
    Ok(out)
}

/// What an import wrote.
#[derive(Debug)]
pub(crate) struct ImportWritten {
    /// The ids created or updated, in file order.
    pub(crate) ids: Vec<i64>,
    /// The partners created because rows named them.
    pub(crate) new_partners: usize,
}

/// Writes the changes in order: the partners rows name first created (by their placeholders),
/// then each row's record created or updated with its history.
fn write_changes(
    c: &Connection,
    changes: impl Iterator<Item = Result<ImportChange>>,
    today: &str,
    note: &str,
) -> Result<ImportWritten> {
    let mut ids = Vec::new();
    let mut new_partners = 0;
    // The partners created for the rows that name them, by their placeholder ids.
    let mut created: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for change in changes {
        let change = change?;
        let id = match &change {
            ImportChange::NewParty { placeholder, data } => {
                created.insert(*placeholder, partners::insert_partner(c, data, false)?);
                new_partners += 1;
                continue;
            }
            ImportChange::Partner { id: Some(id), data, .. } => {
                partners::update_partner(c, *id, data, None)?;
                *id
            }
            ImportChange::Partner { id: None, uuid, data } => {
                let id = partners::insert_partner(c, data, false)?;
                keep_uuid(c, Entity::Partner, id, uuid)?;
                id
            }
            ImportChange::Agreement { id: Some(id), data, status, .. } => {
                let data = &with_parties(data, &created);
                agreements::update_agreement(c, *id, data, None)?;
                if let Some(status) = status {
                    agreements::change_status(c, *id, *status, today, note)?;
                }
                *id
            }
            ImportChange::Agreement { id: None, uuid, data, status, .. } => {
                let data = &with_parties(data, &created);
                let id = agreements::insert_agreement(c, data, status.unwrap_or(AgreementStatus::Draft), None, false)?;
                keep_uuid(c, Entity::Agreement, id, uuid)?;
                id
            }
            ImportChange::Project { id: Some(id), data, .. } => {
                projects::update_project(c, *id, data, None)?;
                *id
            }
            ImportChange::Project { id: None, uuid, data, .. } => {
                let id = projects::insert_project(c, data, false)?;
                keep_uuid(c, Entity::Project, id, uuid)?;
                id
            }
            ImportChange::Membership { id: Some(id), data, .. } => {
                memberships::update_membership(c, *id, data, None)?;
                *id
            }
            ImportChange::Membership { id: None, uuid, data, .. } => {
                let id = memberships::insert_membership(c, data, false)?;
                keep_uuid(c, Entity::Membership, id, uuid)?;
                id
            }
        };
        // What the row leaves to complete, with what the record already lacked and the row filled
        // (an update); a new record complete as imported has nothing to narrow.
        if let Some(entity) = change.completable() {
            if change.updates() || !change.to_complete().is_empty() {
                completion::narrow(c, entity, id, change.to_complete(), &change, note)?;
            }
        }
        ids.push(id);
    }
    Ok(ImportWritten { ids, new_partners })
}

impl Store {
    /// Writes the changes of an import of `kind` from a file of `rows` rows (see `crate::import`)
    /// in one transaction, as they come: the first error (a refusal of the planning side
    /// included) rolls everything back. Remembers `mapping` (a setting key and its JSON) and
    /// brings the search index up to date in the same transaction.
    pub(crate) fn apply_import(
        &mut self,
        kind: Entity,
        rows: usize,
        changes: impl Iterator<Item = Result<ImportChange>>,
        file_name: &str,
        mapping: (&str, &str),
    ) -> Result<ImportWritten> {
        let today = crate::calendar::today().format("%Y-%m-%d").to_string();
        let note = format!("import: {file_name}");
        self.write(|c| {
            super::with_large_cache(c, || {
                let written =
                    with_indexes_deferred(c, kind.table(), rows, || write_changes(c, changes, &today, &note))?;
                super::set_setting(c, mapping.0, mapping.1)?;
                // The search index follows in the same transaction: the first search after a large
                // import finds the records at once instead of indexing them then.
                super::search::refresh(c, super::search::ReadOn::Writer)?;
                Ok(written)
            })
        })
    }
}
