//! Writing an import: every change of a previewed spreadsheet in one transaction, with the
//! usual history rows, and the column mapping remembered for the file's layout.

use super::{agreements, memberships, partners, projects, Store};
use crate::error::Result;
use crate::import::Change;
use crate::model::{AgreementData, AgreementStatus, Entity, MembershipData, PartnerData, ProjectData};
use rusqlite::Connection;

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

impl Change {
    /// The kind of record this change creates, if it creates one from a row.
    fn creates(&self) -> Option<Entity> {
        match self {
            Change::Partner { id: None, .. } => Some(Entity::Partner),
            Change::Agreement { id: None, .. } => Some(Entity::Agreement),
            Change::Project { id: None, .. } => Some(Entity::Project),
            Change::Membership { id: None, .. } => Some(Entity::Membership),
            _ => None,
        }
    }
}

impl Store {
    /// Writes the changes of an import (see `crate::import`) in one transaction and remembers
    /// `mapping` (a setting key and its JSON); returns the ids created or updated, in order.
    pub fn apply_import(&mut self, changes: &[Change], file_name: &str, mapping: (&str, &str)) -> Result<Vec<i64>> {
        let today = crate::calendar::today().format("%Y-%m-%d").to_string();
        let note = format!("import: {file_name}");
        // An import is of one kind: the records it creates go to one table.
        let new_rows = changes.iter().filter_map(Change::creates).count();
        let table = changes.iter().find_map(Change::creates).unwrap_or(Entity::Agreement).table();
        self.write(|c| {
            super::with_large_cache(c, || {
                let ids = super::with_indexes_deferred(c, table, new_rows, || {
                    let mut ids = Vec::with_capacity(changes.len());
                    // The partners created for the rows that name them, by their placeholder ids.
                    let mut created: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
                    for change in changes {
                        let id = match change {
                            Change::NewParty { placeholder, data } => {
                                created.insert(*placeholder, partners::insert_partner(c, data, false)?);
                                continue;
                            }
                            Change::Partner { id: Some(id), data, .. } => {
                                partners::update_partner(c, *id, data, None)?;
                                *id
                            }
                            Change::Partner { id: None, uuid, data } => {
                                let id = partners::insert_partner(c, data, false)?;
                                keep_uuid(c, Entity::Partner, id, uuid)?;
                                id
                            }
                            Change::Agreement { id: Some(id), data, status, .. } => {
                                let data = &with_parties(data, &created);
                                agreements::update_agreement(c, *id, data, None)?;
                                if let Some(status) = status {
                                    agreements::change_status(c, *id, *status, &today, &note)?;
                                }
                                *id
                            }
                            Change::Agreement { id: None, uuid, data, status } => {
                                let data = &with_parties(data, &created);
                                let id = agreements::insert_agreement(
                                    c,
                                    data,
                                    status.unwrap_or(AgreementStatus::Draft),
                                    None,
                                    false,
                                )?;
                                keep_uuid(c, Entity::Agreement, id, uuid)?;
                                id
                            }
                            Change::Project { id: Some(id), data, .. } => {
                                projects::update_project(c, *id, data, None)?;
                                *id
                            }
                            Change::Project { id: None, uuid, data } => {
                                let id = projects::insert_project(c, data, false)?;
                                keep_uuid(c, Entity::Project, id, uuid)?;
                                id
                            }
                            Change::Membership { id: Some(id), data, .. } => {
                                memberships::update_membership(c, *id, data, None)?;
                                *id
                            }
                            Change::Membership { id: None, uuid, data } => {
                                let id = memberships::insert_membership(c, data, false)?;
                                keep_uuid(c, Entity::Membership, id, uuid)?;
                                id
                            }
                        };
                        ids.push(id);
                    }
                    Ok(ids)
                })?;
                c.execute(
                "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [mapping.0, mapping.1],
            )?;
                // The search index follows in the same transaction: the first search after a large
                // import finds the records at once instead of indexing them then.
                super::search::refresh(c, super::search::ReadOn::Writer)?;
                Ok(ids)
            })
        })
    }
}
