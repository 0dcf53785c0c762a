//! The deadlines as the home view shows them at a council's scale: in four groups by how soon
//! they fall (overdue, within 7 days, within 30 days, later), each counted and shown a page at a
//! time, so that a registry with thousands of open deadlines opens on a page of forty lines.
//! An agreement's term is not among them: the home view has its own panel for agreements
//! expiring within 90 days.

use super::due::DueItem;
use super::Store;
use crate::error::{Error, Result, Rule};
use crate::i18n::Lang;
use chrono::NaiveDate;
use serde::Serialize;

/// The groups, soonest first.
pub const DUE_GROUPS: [&str; 4] = ["overdue", "week", "month", "later"];

/// One group of deadlines: how many there are, and one page of them from `offset`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DueGroup {
    pub group: &'static str,
    pub count: usize,
    pub offset: usize,
    pub items: Vec<DueItem>,
}

/// The group a deadline falls in on `at`.
fn group_of(item: &DueItem, at: NaiveDate) -> &'static str {
    let days = NaiveDate::parse_from_str(&item.due_on, "%Y-%m-%d").map(|d| (d - at).num_days()).unwrap_or(i64::MAX);
    if item.overdue || days < 0 {
        "overdue"
    } else if days < 7 {
        "week"
    } else if days < 30 {
        "month"
    } else {
        "later"
    }
}

impl Store {
    /// The home view's deadlines on `at`: every group counted, with its first `limit` items.
    pub fn due_groups(&self, at: NaiveDate, lang: Lang, limit: usize) -> Result<Vec<DueGroup>> {
        let items = self.law_due(at, lang)?;
        Ok(DUE_GROUPS.iter().map(|group| page(&items, at, group, 0, limit)).collect())
    }

    /// A page of one group (the home view's "more").
    pub fn due_group(&self, at: NaiveDate, lang: Lang, group: &str, offset: usize, limit: usize) -> Result<DueGroup> {
        let group = DUE_GROUPS.iter().find(|g| **g == group).ok_or(Error::invalid("group", Rule::UnknownValue))?;
        Ok(page(&self.law_due(at, lang)?, at, group, offset, limit))
    }
}

fn page(items: &[DueItem], at: NaiveDate, group: &'static str, offset: usize, limit: usize) -> DueGroup {
    let mut count = 0;
    let mut shown = Vec::new();
    for item in items.iter().filter(|i| group_of(i, at) == group) {
        if count >= offset && shown.len() < limit {
            shown.push(item.clone());
        }
        count += 1;
    }
    DueGroup { group, count, offset, items: shown }
}
