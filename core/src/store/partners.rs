//! The partner tables: `partner` and its `partner_contact` rows.

use super::Store;
use super::{history, new_uuid, record_from_row, touch, Filter, ListQuery, Page};
use crate::calendar::now_stamp;
use crate::error::{Error, Result};
use crate::model::{Contact, Entity, PartnerData, PartnerKind, Record};
use crate::store::agreements::{self, AgreementRow};
use crate::store::memberships::{self, MembershipRow};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct PartnerRow {
    pub id: i64,
    pub uuid: String,
    pub kind: PartnerKind,
    pub name_ar: String,
    pub name_latin: String,
    pub short_name: String,
    pub country: String,
    pub city: String,
    pub is_sample: bool,
    pub agreements: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct PartnerView {
    pub record: Record<PartnerData>,
    pub agreements: Vec<AgreementRow>,
    pub memberships: Vec<MembershipRow>,
}

pub(crate) fn insert_partner(c: &Connection, d: &PartnerData, sample: bool) -> Result<i64> {
    let now = now_stamp();
    c.execute(
        "INSERT INTO partner(uuid, kind, name_ar, name_latin, country, region, city, address, notes, is_sample, created_at, updated_at, short_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)",
        params![new_uuid(), d.kind, d.name_ar, d.name_latin, d.country, d.region, d.city, d.address, d.notes, sample, now, d.short_name],
    )?;
    let id = c.last_insert_rowid();
    write_contacts(c, id, &d.contacts)?;
    history::record_create(c, Entity::Partner, id, d)?;
    Ok(id)
}

pub(crate) fn update_partner(c: &Connection, id: i64, d: &PartnerData, expected: Option<&str>) -> Result<()> {
    let old = get_partner(c, id)?;
    touch(c, Entity::Partner, id, expected)?;
    c.execute(
        "UPDATE partner SET kind=?2, name_ar=?3, name_latin=?4, country=?5, region=?6, city=?7, address=?8, notes=?9, short_name=?10 WHERE id=?1",
        params![id, d.kind, d.name_ar, d.name_latin, d.country, d.region, d.city, d.address, d.notes, d.short_name],
    )?;
    c.execute("DELETE FROM partner_contact WHERE partner_id = ?1", [id])?;
    write_contacts(c, id, &d.contacts)?;
    history::record_update(c, Entity::Partner, id, &old.data, d)?;
    Ok(())
}

fn write_contacts(c: &Connection, id: i64, contacts: &[Contact]) -> Result<()> {
    let mut stmt = c.prepare_cached(
        "INSERT INTO partner_contact(partner_id, position, name, role, email, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, k) in contacts.iter().enumerate() {
        stmt.execute(params![id, i as i64, k.name, k.role, k.email, k.phone])?;
    }
    Ok(())
}

pub(crate) fn get_partner(c: &Connection, id: i64) -> Result<Record<PartnerData>> {
    let mut contacts_stmt = c.prepare_cached(
        "SELECT name, role, email, phone FROM partner_contact WHERE partner_id = ?1 ORDER BY position",
    )?;
    let contacts = contacts_stmt
        .query_map([id], |r| {
            Ok(Contact { name: r.get("name")?, role: r.get("role")?, email: r.get("email")?, phone: r.get("phone")? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    c.prepare_cached("SELECT * FROM partner WHERE id = ?1")?
        .query_row([id], |r| {
            let data = PartnerData {
                kind: r.get("kind")?,
                name_ar: r.get("name_ar")?,
                name_latin: r.get("name_latin")?,
                short_name: r.get("short_name")?,
                country: r.get("country")?,
                region: r.get("region")?,
                city: r.get("city")?,
                address: r.get("address")?,
                contacts: contacts.clone(),
                notes: r.get("notes")?,
            };
            record_from_row(r, data)
        })
        .optional()?
        .ok_or(Error::NotFound { kind: "partner", id })
}

pub(crate) fn partner_view(c: &Connection, id: i64) -> Result<PartnerView> {
    let record = get_partner(c, id)?;
    Ok(PartnerView {
        record,
        agreements: agreements::agreements_of_partner(c, id)?,
        memberships: memberships::memberships_of_partner(c, id)?,
    })
}

/// The WHERE clause and its arguments for a list filter (shared by the page and the count).
fn filter_partners(q: &ListQuery) -> Filter {
    let mut f = Filter::new("p.deleted_at IS NULL");
    f.contains(q, Entity::Partner, "p", &["p.name_ar", "p.name_latin", "p.short_name", "p.city"]);
    f.equals("p.kind", &q.kind);
    f.equals("p.country", &q.country.to_ascii_uppercase());
    f
}

pub(crate) fn count_partners(c: &Connection, q: &ListQuery) -> Result<i64> {
    filter_partners(q).count(c, "partner p")
}

pub(crate) fn list_partners(c: &Connection, q: &ListQuery) -> Result<Page<PartnerRow>> {
    let f = filter_partners(q);
    let where_sql = f.sql();
    // By the name the list shows: the Arabic name, or the Latin one where there is none (and the
    // other way round); a partner with one name does not sort first for its empty other one.
    let order = match q.sort.as_str() {
        "name_ar" => "(CASE WHEN p.name_ar = '' THEN p.name_latin ELSE p.name_ar END)",
        "country" => "p.country",
        "updated" => "p.updated_at",
        "created" => "p.id",
        _ => "(CASE WHEN p.name_latin = '' THEN p.name_ar ELSE p.name_latin END)",
    };
    let dir = if q.desc { "DESC" } else { "ASC" };
    let sql = format!(
        "WITH page AS (SELECT p.id FROM partner p WHERE {where_sql} ORDER BY {order} {dir}, p.id {dir} LIMIT {} OFFSET {})
         SELECT p.id, p.uuid, p.kind, p.name_ar, p.name_latin, p.short_name, p.country, p.city, p.is_sample,
                (SELECT count(*) FROM agreement_party ap JOIN agreement a ON a.id = ap.agreement_id WHERE ap.partner_id = p.id AND a.deleted_at IS NULL) AS agreements
         FROM page JOIN partner p ON p.id = page.id ORDER BY {order} {dir}, p.id {dir}",
        q.limit() + 1,
        q.offset
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let items = stmt
        .query_map(rusqlite::params_from_iter(f.args()), |r| {
            Ok(PartnerRow {
                id: r.get("id")?,
                uuid: r.get("uuid")?,
                kind: r.get("kind")?,
                name_ar: r.get("name_ar")?,
                name_latin: r.get("name_latin")?,
                short_name: r.get("short_name")?,
                country: r.get("country")?,
                city: r.get("city")?,
                is_sample: r.get("is_sample")?,
                agreements: r.get("agreements")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page::of(items, q))
}

impl Store {
    pub fn add_partner(&mut self, data: PartnerData) -> Result<Record<PartnerData>> {
        let data = data.validate()?;
        let id = self.write(|c| insert_partner(c, &data, false))?;
        get_partner(&self.conn, id)
    }

    pub fn update_partner(
        &mut self,
        id: i64,
        data: PartnerData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<PartnerData>> {
        let data = data.validate()?;
        self.write(|c| update_partner(c, id, &data, expected_updated_at))?;
        get_partner(&self.conn, id)
    }

    pub fn get_partner(&self, id: i64) -> Result<Record<PartnerData>> {
        get_partner(&self.conn, id)
    }

    pub fn partner_view(&self, id: i64) -> Result<PartnerView> {
        partner_view(&self.conn, id)
    }

    pub fn list_partners(&self, q: &ListQuery) -> Result<Page<PartnerRow>> {
        list_partners(&self.conn, q)
    }
}
