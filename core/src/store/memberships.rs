//! The membership table: the council's memberships of organisations (partners).

use super::Store;
use super::{history, new_uuid, record_from_row, require_live, touch, Filter, ListQuery, Page};
use crate::calendar::now_stamp;
use crate::error::{Error, Result};
use crate::model::{Entity, MembershipData, Record};
use crate::money::Money;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct MembershipRow {
    pub id: i64,
    pub uuid: String,
    pub partner_id: i64,
    pub partner_name_ar: String,
    pub partner_name_latin: String,
    pub country: String,
    pub since: String,
    pub dues: Option<Money>,
    pub is_sample: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct MembershipView {
    pub record: Record<MembershipData>,
    pub partner_name_ar: String,
    pub partner_name_latin: String,
    pub country: String,
}

pub(crate) fn insert_membership(c: &Connection, d: &MembershipData, sample: bool) -> Result<i64> {
    require_live(c, Entity::Partner, d.partner_id, "partner_id")?;
    let now = now_stamp();
    c.execute(
        "INSERT INTO membership(uuid, partner_id, since, dues_minor, dues_currency, notes, is_sample, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![new_uuid(), d.partner_id, d.since, d.dues_minor, d.dues_currency, d.notes, sample, now],
    )?;
    let id = c.last_insert_rowid();
    history::record_create(c, Entity::Membership, id, d)?;
    Ok(id)
}

pub(crate) fn update_membership(c: &Connection, id: i64, d: &MembershipData, expected: Option<&str>) -> Result<()> {
    let old = get_membership(c, id)?;
    if old.data.partner_id != d.partner_id {
        require_live(c, Entity::Partner, d.partner_id, "partner_id")?;
    }
    touch(c, Entity::Membership, id, expected)?;
    c.execute(
        "UPDATE membership SET partner_id=?2, since=?3, dues_minor=?4, dues_currency=?5, notes=?6 WHERE id=?1",
        params![id, d.partner_id, d.since, d.dues_minor, d.dues_currency, d.notes],
    )?;
    history::record_update(c, Entity::Membership, id, &old.data, d)?;
    Ok(())
}

pub(crate) fn get_membership(c: &Connection, id: i64) -> Result<Record<MembershipData>> {
    c.prepare_cached("SELECT * FROM membership WHERE id = ?1")?
        .query_row([id], |r| {
            let dues_minor: Option<i64> = r.get("dues_minor")?;
            let dues_currency: String = r.get("dues_currency")?;
            let dues_amount = dues_minor
                .map(|m| Money { minor: m, currency: dues_currency.clone() }.to_decimal())
                .unwrap_or_default();
            let data = MembershipData {
                partner_id: r.get("partner_id")?,
                since: r.get("since")?,
                dues_amount,
                dues_currency,
                dues_minor,
                notes: r.get("notes")?,
            };
            record_from_row(r, data)
        })
        .optional()?
        .ok_or(Error::NotFound { kind: "membership", id })
}

pub(crate) fn membership_view(c: &Connection, id: i64) -> Result<MembershipView> {
    let record = get_membership(c, id)?;
    let (partner_name_ar, partner_name_latin, country) =
        c.query_row("SELECT name_ar, name_latin, country FROM partner WHERE id = ?1", [record.data.partner_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(MembershipView { record, partner_name_ar, partner_name_latin, country })
}

const ROW_SQL: &str = "SELECT m.id, m.uuid, m.partner_id, p.name_ar, p.name_latin, p.country, m.since, m.dues_minor, m.dues_currency, m.is_sample
    FROM membership m JOIN partner p ON p.id = m.partner_id";

fn rows_from(c: &Connection, sql: &str, args: &[rusqlite::types::Value]) -> Result<Vec<MembershipRow>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(args), |r| {
            let dues_minor: Option<i64> = r.get(7)?;
            Ok(MembershipRow {
                id: r.get(0)?,
                uuid: r.get(1)?,
                partner_id: r.get(2)?,
                partner_name_ar: r.get(3)?,
                partner_name_latin: r.get(4)?,
                country: r.get(5)?,
                since: r.get(6)?,
                dues: dues_minor.map(|minor| Money { minor, currency: r.get(8).unwrap_or_default() }),
                is_sample: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn memberships_of_partner(c: &Connection, partner_id: i64) -> Result<Vec<MembershipRow>> {
    rows_from(
        c,
        &format!("{ROW_SQL} WHERE m.partner_id = ?1 AND m.deleted_at IS NULL ORDER BY m.since"),
        &[partner_id.into()],
    )
}

/// The WHERE clause and its arguments for a list filter (shared by the page and the count).
fn filter_memberships(q: &ListQuery) -> Filter {
    let mut f = Filter::new("m.deleted_at IS NULL");
    f.only_to_complete("m", q.to_complete);
    f.contains(q, Entity::Membership, "m", &["p.name_ar", "p.name_latin"]);
    f.equals("p.country", &q.country.to_ascii_uppercase());
    if let Some(year) = q.year {
        f.push("substr(m.since, 1, 4) = ?", format!("{year:04}"));
    }
    f
}

pub(crate) fn count_memberships(c: &Connection, q: &ListQuery) -> Result<i64> {
    filter_memberships(q).count(c, "membership m JOIN partner p ON p.id = m.partner_id")
}

pub(crate) fn list_memberships(c: &Connection, q: &ListQuery) -> Result<Page<MembershipRow>> {
    let f = filter_memberships(q);
    let where_sql = f.sql();
    let order = match q.sort.as_str() {
        "name" => "p.name_latin",
        "updated" => "m.updated_at",
        _ => "m.since",
    };
    let dir = if q.desc { "DESC" } else { "ASC" };
    let sql = format!(
        "{ROW_SQL} WHERE {where_sql} ORDER BY {order} {dir}, m.id {dir} LIMIT {} OFFSET {}",
        q.limit() + 1,
        q.offset
    );
    let items = rows_from(c, &sql, f.args())?;
    Ok(Page::of(items, q))
}

impl Store {
    pub fn add_membership(&mut self, data: MembershipData) -> Result<Record<MembershipData>> {
        let data = data.validate()?;
        let id = self.write(|c| insert_membership(c, &data, false))?;
        get_membership(&self.conn, id)
    }

    pub fn update_membership(
        &mut self,
        id: i64,
        data: MembershipData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<MembershipData>> {
        // A record imported to complete keeps its relaxed rules for the fields it still lacks.
        let data = data.validate_leaving(&self.to_complete(Entity::Membership, id)?)?;
        self.write(|c| {
            update_membership(c, id, &data, expected_updated_at)?;
            super::completion::narrow(c, Entity::Membership, id, &[], &data, "")
        })?;
        get_membership(&self.conn, id)
    }

    pub fn get_membership(&self, id: i64) -> Result<Record<MembershipData>> {
        get_membership(&self.conn, id)
    }

    pub fn membership_view(&self, id: i64) -> Result<MembershipView> {
        membership_view(&self.conn, id)
    }

    pub fn list_memberships(&self, q: &ListQuery) -> Result<Page<MembershipRow>> {
        list_memberships(&self.conn, q)
    }
}
