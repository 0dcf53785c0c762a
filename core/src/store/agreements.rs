//! The agreement tables: `agreement`, its parties, areas and dated status changes.

use super::Store;
use super::{history, new_uuid, record_from_row, require_live, touch, Filter, ListQuery, Page};
use crate::calendar::now_stamp;
use crate::error::{Error, Result};
use crate::model::agreement::direction;
use crate::model::{AgreementData, AgreementKind, AgreementStatus, Direction, Entity, Record, StatusChange};
use crate::store::projects::{self, ProjectRow};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::HashMap;

/// A party of an agreement, as shown beside it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PartyRef {
    pub id: i64,
    pub name_ar: String,
    pub name_latin: String,
    pub country: String,
    pub deleted: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgreementRow {
    pub id: i64,
    pub uuid: String,
    pub kind: AgreementKind,
    pub title_ar: String,
    pub title_fr: String,
    pub reference: String,
    pub status: AgreementStatus,
    pub signed_on: String,
    pub expires_on: Option<String>,
    pub parties: Vec<PartyRef>,
    pub direction: Option<Direction>,
    pub is_sample: bool,
    /// Imported to complete (model::to_complete).
    pub to_complete: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgreementView {
    pub record: Record<AgreementData>,
    pub status: AgreementStatus,
    pub status_changes: Vec<StatusChange>,
    pub parties: Vec<PartyRef>,
    pub direction: Option<Direction>,
    pub expires_on: Option<String>,
    /// The signing day in Morocco's Hijri calendar, when known to the day.
    pub signed_on_hijri: Option<crate::calendar::HijriDate>,
    /// That Hijri date rests on a month Taawun forecast (the window says so).
    pub signed_on_hijri_forecast: bool,
    pub projects: Vec<ProjectRow>,
}

fn expires_text(d: &AgreementData) -> Option<String> {
    d.expires_on().map(|d| d.format("%Y-%m-%d").to_string())
}

pub(crate) fn insert_agreement(
    c: &Connection,
    d: &AgreementData,
    status: AgreementStatus,
    status_on: Option<&str>,
    sample: bool,
) -> Result<i64> {
    for p in &d.parties {
        require_live(c, Entity::Partner, *p, "parties")?;
    }
    let now = now_stamp();
    let status_on = status_on.map(str::to_string).unwrap_or_else(|| now[..10].to_string());
    let (sort_ar, sort_fr) = crate::text::title_sort_keys(&d.title_ar, &d.title_fr);
    c.prepare_cached(
        "INSERT INTO agreement(uuid, kind, title_ar, title_fr, legal_basis, reference, signed_on, signed_at, effective_from,
                               duration_months, end_on, expires_on, tacit_renewal, status, status_on, notes, is_sample, created_at, updated_at,
                               sort_ar, sort_fr)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18, ?19, ?20)",
    )?
    .execute(params![
        new_uuid(), d.kind, d.title_ar, d.title_fr, d.legal_basis, d.reference, d.signed_on, d.signed_at, d.effective_from,
        d.duration_months, d.end_on, expires_text(d), d.tacit_renewal, status, status_on, d.notes, sample, now, sort_ar, sort_fr
    ])?;
    let id = c.last_insert_rowid();
    write_links(c, id, d)?;
    c.prepare_cached(
        "INSERT INTO agreement_status(agreement_id, status, on_date, note, recorded_at) VALUES (?1, ?2, ?3, '', ?4)",
    )?
    .execute(params![id, status, status_on, now])?;
    history::record_create(c, Entity::Agreement, id, d)?;
    history::record(c, Entity::Agreement, id, "status", Some("status"), None, Some(status.as_str()), &status_on)?;
    Ok(id)
}

pub(crate) fn update_agreement(c: &Connection, id: i64, d: &AgreementData, expected: Option<&str>) -> Result<()> {
    let old = get_agreement(c, id)?;
    for p in d.parties.iter().filter(|p| !old.data.parties.contains(p)) {
        require_live(c, Entity::Partner, *p, "parties")?;
    }
    touch(c, Entity::Agreement, id, expected)?;
    let (sort_ar, sort_fr) = crate::text::title_sort_keys(&d.title_ar, &d.title_fr);
    c.execute(
        "UPDATE agreement SET kind=?2, title_ar=?3, title_fr=?4, legal_basis=?5, reference=?6, signed_on=?7, signed_at=?8,
                effective_from=?9, duration_months=?10, end_on=?11, expires_on=?12, tacit_renewal=?13, notes=?14, sort_ar=?15, sort_fr=?16 WHERE id=?1",
        params![id, d.kind, d.title_ar, d.title_fr, d.legal_basis, d.reference, d.signed_on, d.signed_at, d.effective_from, d.duration_months, d.end_on, expires_text(d), d.tacit_renewal, d.notes, sort_ar, sort_fr],
    )?;
    c.execute("DELETE FROM agreement_party WHERE agreement_id = ?1", [id])?;
    c.execute("DELETE FROM agreement_area WHERE agreement_id = ?1", [id])?;
    write_links(c, id, d)?;
    history::record_update(c, Entity::Agreement, id, &old.data, d)?;
    Ok(())
}

fn write_links(c: &Connection, id: i64, d: &AgreementData) -> Result<()> {
    let mut party =
        c.prepare_cached("INSERT INTO agreement_party(agreement_id, partner_id, position) VALUES (?1, ?2, ?3)")?;
    for (i, p) in d.parties.iter().enumerate() {
        party.execute(params![id, p, i as i64])?;
    }
    let mut area = c.prepare_cached("INSERT INTO agreement_area(agreement_id, position, area) VALUES (?1, ?2, ?3)")?;
    for (i, a) in d.areas.iter().enumerate() {
        area.execute(params![id, i as i64, a])?;
    }
    Ok(())
}

pub(crate) fn change_status(c: &Connection, id: i64, status: AgreementStatus, on: &str, note: &str) -> Result<()> {
    let (old, old_on): (AgreementStatus, String) = c
        .query_row("SELECT status, status_on FROM agreement WHERE id = ?1 AND deleted_at IS NULL", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or(Error::NotFound { kind: "agreement", id })?;
    if old == status && old_on == on {
        return Ok(());
    }
    touch(c, Entity::Agreement, id, None)?;
    c.execute("UPDATE agreement SET status = ?2, status_on = ?3 WHERE id = ?1", params![id, status, on])?;
    c.execute(
        "INSERT INTO agreement_status(agreement_id, status, on_date, note, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, status, on, note, now_stamp()],
    )?;
    history::record(c, Entity::Agreement, id, "status", Some("status"), Some(old.as_str()), Some(status.as_str()), on)?;
    Ok(())
}

pub(crate) fn get_agreement(c: &Connection, id: i64) -> Result<Record<AgreementData>> {
    let parties = c
        .prepare_cached("SELECT partner_id FROM agreement_party WHERE agreement_id = ?1 ORDER BY position")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    let areas = c
        .prepare_cached("SELECT area FROM agreement_area WHERE agreement_id = ?1 ORDER BY position")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    c.prepare_cached("SELECT * FROM agreement WHERE id = ?1")?
        .query_row([id], |r| {
            let data = AgreementData {
                kind: r.get("kind")?,
                title_ar: r.get("title_ar")?,
                title_fr: r.get("title_fr")?,
                legal_basis: r.get("legal_basis")?,
                reference: r.get("reference")?,
                parties: parties.clone(),
                areas: areas.clone(),
                signed_on: r.get("signed_on")?,
                signed_at: r.get("signed_at")?,
                effective_from: r.get("effective_from")?,
                duration_months: r.get("duration_months")?,
                end_on: r.get("end_on")?,
                tacit_renewal: r.get("tacit_renewal")?,
                notes: r.get("notes")?,
            };
            record_from_row(r, data)
        })
        .optional()?
        .ok_or(Error::NotFound { kind: "agreement", id })
}

pub(crate) fn agreement_view(c: &Connection, id: i64, hijri: &crate::calendar::HijriCalendar) -> Result<AgreementView> {
    let record = get_agreement(c, id)?;
    let in_hijri = record.data.signed_on_date().and_then(|d| d.as_day()).map(|d| hijri.to_hijri_with_basis(d));
    let signed_on_hijri = in_hijri.map(|(h, _)| h);
    let signed_on_hijri_forecast = in_hijri.is_some_and(|(_, basis)| basis.is_forecast());
    let (status, expires_on): (AgreementStatus, Option<String>) =
        c.query_row("SELECT status, expires_on FROM agreement WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let status_changes = status_changes(c, id)?;
    let parties = parties_of(c, &[id])?.remove(&id).unwrap_or_default();
    let direction = direction(parties.iter().map(|p| p.country.as_str()));
    Ok(AgreementView {
        record,
        status,
        status_changes,
        direction,
        parties,
        expires_on,
        signed_on_hijri,
        signed_on_hijri_forecast,
        projects: projects::projects_of_agreement(c, id)?,
    })
}

/// An agreement's status history, in the order recorded.
pub(super) fn status_changes(c: &Connection, id: i64) -> Result<Vec<StatusChange>> {
    // A change a deliberation made ("deliberation:2027/1", "visa:2027/1") leads to its session.
    Ok(c.prepare_cached(
        "SELECT s.status, s.on_date, s.note, s.recorded_at,
                CASE WHEN s.note LIKE 'deliberation:%' OR s.note LIKE 'visa:%' THEN
                  (SELECT p.session_id FROM deliberation d JOIN agenda_point p ON p.id = d.point_id
                    WHERE d.number = substr(s.note, instr(s.note, ':') + 1) AND d.deleted_at IS NULL LIMIT 1)
                END
         FROM agreement_status s WHERE s.agreement_id = ?1 ORDER BY s.id",
    )?
    .query_map([id], |r| {
        Ok(StatusChange {
            status: r.get(0)?,
            on: r.get(1)?,
            note: r.get(2)?,
            recorded_at: r.get(3)?,
            session_id: r.get(4)?,
        })
    })?
    .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The parties of several agreements in one query.
pub(super) fn parties_of(c: &Connection, ids: &[i64]) -> Result<HashMap<i64, Vec<PartyRef>>> {
    let mut out: HashMap<i64, Vec<PartyRef>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let mut stmt = c.prepare(&format!(
        "SELECT ap.agreement_id, p.id, p.name_ar, p.name_latin, p.country, p.deleted_at IS NOT NULL
         FROM agreement_party ap JOIN partner p ON p.id = ap.partner_id WHERE ap.agreement_id IN ({list}) ORDER BY ap.agreement_id, ap.position"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            PartyRef {
                id: r.get(1)?,
                name_ar: r.get(2)?,
                name_latin: r.get(3)?,
                country: r.get(4)?,
                deleted: r.get(5)?,
            },
        ))
    })?;
    for row in rows {
        let (aid, p) = row?;
        out.entry(aid).or_default().push(p);
    }
    Ok(out)
}

const ROW_COLUMNS: &str =
    "a.id, a.uuid, a.kind, a.title_ar, a.title_fr, a.reference, a.status, a.signed_on, a.expires_on, a.is_sample,
     a.to_complete <> '' AS to_complete";

fn rows_from(c: &Connection, sql: &str, args: &[rusqlite::types::Value]) -> Result<Vec<AgreementRow>> {
    let mut stmt = c.prepare_cached(sql)?;
    let mut items = stmt
        .query_map(rusqlite::params_from_iter(args), |r| {
            Ok(AgreementRow {
                id: r.get("id")?,
                uuid: r.get("uuid")?,
                kind: r.get("kind")?,
                title_ar: r.get("title_ar")?,
                title_fr: r.get("title_fr")?,
                reference: r.get("reference")?,
                status: r.get("status")?,
                signed_on: r.get("signed_on")?,
                expires_on: r.get("expires_on")?,
                parties: Vec::new(),
                direction: None,
                is_sample: r.get("is_sample")?,
                to_complete: r.get("to_complete")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let ids: Vec<i64> = items.iter().map(|a| a.id).collect();
    let mut parties = parties_of(c, &ids)?;
    for a in &mut items {
        a.parties = parties.remove(&a.id).unwrap_or_default();
        a.direction = direction(a.parties.iter().map(|p| p.country.as_str()));
    }
    Ok(items)
}

pub(crate) fn agreements_of_partner(c: &Connection, partner_id: i64) -> Result<Vec<AgreementRow>> {
    rows_from(
        c,
        &format!("SELECT {ROW_COLUMNS} FROM agreement a JOIN agreement_party ap ON ap.agreement_id = a.id WHERE ap.partner_id = ?1 AND a.deleted_at IS NULL ORDER BY a.signed_on DESC"),
        &[partner_id.into()],
    )
}

/// Agreements whose status is `status` or that expire between two dates (home view).
pub(crate) fn rows_where(
    c: &Connection,
    condition: &str,
    args: &[rusqlite::types::Value],
    limit: i64,
) -> Result<Vec<AgreementRow>> {
    rows_from(
        c,
        &format!("SELECT {ROW_COLUMNS} FROM agreement a WHERE a.deleted_at IS NULL AND {condition} LIMIT {limit}"),
        args,
    )
}

/// The agreements of a direction, as model::agreement::direction derives it from the partners'
/// countries: a partner in the North, one in the South (neither Morocco, `?`), both, or only
/// Moroccan ones. The North's codes come from Taawun's own country list (two capital letters,
/// checked), written into the clause.
fn direction_clause(direction: &str) -> String {
    let north: Vec<String> = crate::country::all()
        .iter()
        .filter(|c| c.north && c.code.bytes().all(|b| b.is_ascii_uppercase()))
        .map(|c| format!("'{}'", c.code))
        .collect();
    let north = north.join(",");
    let party = |condition: String| {
        format!(
            "EXISTS (SELECT 1 FROM agreement_party ap JOIN partner p ON p.id = ap.partner_id WHERE ap.agreement_id = a.id AND {condition})"
        )
    };
    let (n, s, home) = (
        party(format!("p.country IN ({north})")),
        party(format!("p.country NOT IN ({north}) AND p.country != ?")),
        party("p.country = ?".into()),
    );
    match direction {
        "triangular" => format!("{n} AND {s}"),
        "south_north" => format!("{n} AND NOT {s}"),
        "south_south" => format!("{s} AND NOT {n}"),
        "national" => format!("{home} AND NOT {n} AND NOT {s}"),
        _ => format!("NOT {n} AND NOT {s} AND NOT {home}"),
    }
}

/// The WHERE clause and its arguments for a list filter (shared by the page and the count).
fn filter_agreements(q: &ListQuery, for_count: bool) -> Filter {
    let mut f = Filter::new("a.deleted_at IS NULL");
    f.only_to_complete("a", q.to_complete);
    f.contains(q, Entity::Agreement, "a", &["a.title_ar", "a.title_fr", "a.reference"]);
    f.equals("a.kind", &q.kind);
    f.equals("a.status", &q.status);
    if let Some(year) = q.year {
        f.push("a.signed_year = ?", year as i64);
    }
    if !q.direction.is_empty() {
        f.push(&direction_clause(&q.direction), crate::country::HOME.to_string());
    }
    if !q.country.is_empty() {
        // A page walks the sort index and checks each row (stops after 100 matches); a count
        // starts from the country's partners instead.
        let clause = if for_count {
            "a.id IN (SELECT ap.agreement_id FROM partner p JOIN agreement_party ap ON ap.partner_id = p.id WHERE p.country = ?)"
        } else {
            "EXISTS (SELECT 1 FROM agreement_party ap JOIN partner p ON p.id = ap.partner_id WHERE ap.agreement_id = a.id AND p.country = ?)"
        };
        f.push(clause, q.country.to_ascii_uppercase());
    }
    f
}

pub(crate) fn count_agreements(c: &Connection, q: &ListQuery) -> Result<i64> {
    filter_agreements(q, true).count(c, "agreement a")
}

pub(crate) fn list_agreements(c: &Connection, q: &ListQuery) -> Result<Page<AgreementRow>> {
    let f = filter_agreements(q, false);
    let where_sql = f.sql();
    let order = match q.sort.as_str() {
        "title" => "a.sort_ar",
        "title_fr" => "a.sort_fr",
        "status" => "a.status",
        "updated" => "a.updated_at",
        "expires" => "a.expires_on",
        _ => "a.signed_on",
    };
    let dir = if q.desc { "DESC" } else { "ASC" };
    let sql = format!(
        "WITH page AS (SELECT a.id FROM agreement a WHERE {where_sql} ORDER BY {order} {dir}, a.id {dir} LIMIT {} OFFSET {})
         SELECT {ROW_COLUMNS} FROM page JOIN agreement a ON a.id = page.id ORDER BY {order} {dir}, a.id {dir}",
        q.limit() + 1,
        q.offset
    );
    let items = rows_from(c, &sql, f.args())?;
    Ok(Page::of(items, q))
}

impl Store {
    /// Adds an agreement with its first status (draft unless told), dated `status_on` or today.
    pub fn add_agreement(
        &mut self,
        data: AgreementData,
        status: Option<AgreementStatus>,
        status_on: Option<&str>,
    ) -> Result<Record<AgreementData>> {
        let data = data.validate()?;
        let status_on = status_on.map(|s| crate::calendar::PartialDate::normalise_field("status_on", s)).transpose()?;
        let id = self.write(|c| {
            insert_agreement(c, &data, status.unwrap_or(AgreementStatus::Draft), status_on.as_deref(), false)
        })?;
        get_agreement(&self.conn, id)
    }

    pub fn update_agreement(
        &mut self,
        id: i64,
        data: AgreementData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<AgreementData>> {
        // A record imported to complete keeps its relaxed rules for the fields it still lacks.
        let data = data.validate_leaving(&self.to_complete(Entity::Agreement, id)?)?;
        self.write(|c| {
            update_agreement(c, id, &data, expected_updated_at)?;
            super::completion::narrow(c, Entity::Agreement, id, &[], &data, "")
        })?;
        get_agreement(&self.conn, id)
    }

    /// Moves an agreement to `status` on the date it happened (today if not given).
    pub fn set_agreement_status(
        &mut self,
        id: i64,
        status: AgreementStatus,
        on: Option<&str>,
        note: &str,
    ) -> Result<AgreementView> {
        let on = match on {
            Some(s) if !s.trim().is_empty() => crate::calendar::PartialDate::normalise_field("status_on", s)?,
            _ => crate::calendar::today().format("%Y-%m-%d").to_string(),
        };
        let note = crate::text::block("status_note", note)?;
        self.write(|c| change_status(c, id, status, &on, &note))?;
        self.agreement_view(id)
    }

    pub fn get_agreement(&self, id: i64) -> Result<Record<AgreementData>> {
        get_agreement(&self.conn, id)
    }

    pub fn agreement_view(&self, id: i64) -> Result<AgreementView> {
        agreement_view(&self.conn, id, &self.holiday_rules()?.hijri_calendar)
    }

    pub fn list_agreements(&self, q: &ListQuery) -> Result<Page<AgreementRow>> {
        list_agreements(&self.conn, q)
    }

    /// Adds many agreements in one transaction (imports, generated data): all or nothing.
    pub fn import_agreements(&mut self, rows: Vec<(AgreementData, AgreementStatus)>) -> Result<Vec<i64>> {
        let rows = rows.into_iter().map(|(d, s)| d.validate().map(|d| (d, s))).collect::<Result<Vec<_>>>()?;
        self.write(|c| rows.iter().map(|(d, s)| insert_agreement(c, d, *s, None, false)).collect())
    }
}
