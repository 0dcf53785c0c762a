//! The home view: counts, and what needs the officer's attention.

use super::agreements::{rows_where, AgreementRow};
use super::Store;
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

/// How far ahead an expiring agreement is shown.
pub const EXPIRY_WINDOW_DAYS: u64 = 90;

#[derive(Clone, Debug, Serialize)]
pub struct Attention {
    pub expiring: Vec<AgreementRow>,
    pub drafts: Vec<AgreementRow>,
    pub drafts_total: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct HomeSummary {
    pub partners: i64,
    pub agreements: i64,
    pub projects: i64,
    pub memberships: i64,
    pub sessions: i64,
    pub in_trash: i64,
    pub sample_records: i64,
    pub attention: Attention,
    /// Records imported as they are, with fields to complete (model::to_complete).
    pub to_complete: ToComplete,
}

/// How many records of each kind have fields to complete.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ToComplete {
    pub agreements: i64,
    pub projects: i64,
    pub memberships: i64,
}

pub(crate) fn home_summary(c: &Connection, today: NaiveDate) -> Result<HomeSummary> {
    let count = |sql: &str| -> Result<i64> { Ok(c.query_row(sql, [], |r| r.get(0))?) };
    let horizon = today + chrono::Days::new(EXPIRY_WINDOW_DAYS);
    let expiring = rows_where(
        c,
        "a.expires_on BETWEEN ?1 AND ?2 AND a.status IN ('signed', 'in_force') ORDER BY a.expires_on",
        &[today.format("%Y-%m-%d").to_string().into(), horizon.format("%Y-%m-%d").to_string().into()],
        50,
    )?;
    let drafts = rows_where(c, "a.status = 'draft' ORDER BY a.updated_at DESC", &[], 10)?;
    Ok(HomeSummary {
        partners: count("SELECT count(*) FROM partner WHERE deleted_at IS NULL")?,
        agreements: count("SELECT count(*) FROM agreement WHERE deleted_at IS NULL")?,
        projects: count("SELECT count(*) FROM project WHERE deleted_at IS NULL")?,
        memberships: count("SELECT count(*) FROM membership WHERE deleted_at IS NULL")?,
        sessions: count("SELECT count(*) FROM session WHERE deleted_at IS NULL")?,
        in_trash: count(
            "SELECT (SELECT count(*) FROM partner WHERE deleted_at IS NOT NULL) + (SELECT count(*) FROM agreement WHERE deleted_at IS NOT NULL)
                  + (SELECT count(*) FROM project WHERE deleted_at IS NOT NULL) + (SELECT count(*) FROM membership WHERE deleted_at IS NOT NULL)
                  + (SELECT count(*) FROM session WHERE deleted_at IS NOT NULL) + (SELECT count(*) FROM agenda_point WHERE deleted_at IS NOT NULL)
                  + (SELECT count(*) FROM deliberation WHERE deleted_at IS NOT NULL)",
        )?,
        sample_records: count(
            "SELECT (SELECT count(*) FROM partner WHERE is_sample AND deleted_at IS NULL) + (SELECT count(*) FROM agreement WHERE is_sample AND deleted_at IS NULL)
                  + (SELECT count(*) FROM project WHERE is_sample AND deleted_at IS NULL) + (SELECT count(*) FROM membership WHERE is_sample AND deleted_at IS NULL)
                  + (SELECT count(*) FROM session WHERE is_sample AND deleted_at IS NULL) + (SELECT count(*) FROM agenda_point WHERE is_sample AND deleted_at IS NULL)
                  + (SELECT count(*) FROM deliberation WHERE is_sample AND deleted_at IS NULL)",
        )?,
        attention: Attention { expiring, drafts_total: count("SELECT count(*) FROM agreement WHERE status = 'draft' AND deleted_at IS NULL")?, drafts },
        to_complete: ToComplete {
            agreements: count("SELECT count(*) FROM agreement WHERE to_complete <> '' AND deleted_at IS NULL")?,
            projects: count("SELECT count(*) FROM project WHERE to_complete <> '' AND deleted_at IS NULL")?,
            memberships: count("SELECT count(*) FROM membership WHERE to_complete <> '' AND deleted_at IS NULL")?,
        },
    })
}

impl Store {
    pub fn home(&self, today: chrono::NaiveDate) -> Result<HomeSummary> {
        home_summary(&self.conn, today)
    }
}
