//! The project tables: `project`, its implementing bodies, budget lines and activities.

use super::Store;
use super::{history, new_uuid, record_from_row, require_live, touch, Filter, ListQuery, Page};
use crate::calendar::now_stamp;
use crate::error::{Error, Result};
use crate::model::{Activity, BudgetLine, Entity, ProjectData, ProjectStatus, Record};
use crate::money::Money;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct ProjectRow {
    pub id: i64,
    pub uuid: String,
    pub agreement_id: i64,
    pub agreement_title_ar: String,
    pub agreement_title_fr: String,
    pub title_ar: String,
    pub title_fr: String,
    pub fund: String,
    pub fund_edition: String,
    pub status: ProjectStatus,
    pub start_on: String,
    pub end_on: String,
    pub totals: Vec<Money>,
    pub is_sample: bool,
}

/// A contributor of a budget line, resolved to a name.
#[derive(Clone, Debug, Serialize)]
pub struct Contributor {
    pub partner_id: i64,
    pub name_ar: String,
    pub name_latin: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProjectView {
    pub record: Record<ProjectData>,
    pub agreement_title_ar: String,
    pub agreement_title_fr: String,
    pub contributors: Vec<Contributor>,
    pub totals: Vec<Money>,
}

fn check_links(c: &Connection, d: &ProjectData) -> Result<()> {
    require_live(c, Entity::Agreement, d.agreement_id, "agreement_id")?;
    for l in &d.budget_lines {
        if let Some(p) = l.partner_id {
            require_live(c, Entity::Partner, p, "budget_partner")?;
        }
    }
    Ok(())
}

pub(crate) fn insert_project(c: &Connection, d: &ProjectData, sample: bool) -> Result<i64> {
    check_links(c, d)?;
    let now = now_stamp();
    let (sort_ar, sort_fr) = crate::text::title_sort_keys(&d.title_ar, &d.title_fr);
    c.execute(
        "INSERT INTO project(uuid, agreement_id, title_ar, title_fr, fund, fund_edition, tranche, start_on, end_on, status, beneficiaries, notes, is_sample, created_at, updated_at, sort_ar, sort_fr)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15, ?16)",
        params![new_uuid(), d.agreement_id, d.title_ar, d.title_fr, d.fund, d.fund_edition, d.tranche, d.start_on, d.end_on, d.status, d.beneficiaries, d.notes, sample, now, sort_ar, sort_fr],
    )?;
    let id = c.last_insert_rowid();
    write_children(c, id, d)?;
    history::record_create(c, Entity::Project, id, d)?;
    Ok(id)
}

pub(crate) fn update_project(c: &Connection, id: i64, d: &ProjectData, expected: Option<&str>) -> Result<()> {
    let old = get_project(c, id)?;
    check_links(c, d)?;
    touch(c, Entity::Project, id, expected)?;
    let (sort_ar, sort_fr) = crate::text::title_sort_keys(&d.title_ar, &d.title_fr);
    c.execute(
        "UPDATE project SET agreement_id=?2, title_ar=?3, title_fr=?4, fund=?5, fund_edition=?6, tranche=?7, start_on=?8, end_on=?9, status=?10, beneficiaries=?11, notes=?12, sort_ar=?13, sort_fr=?14 WHERE id=?1",
        params![id, d.agreement_id, d.title_ar, d.title_fr, d.fund, d.fund_edition, d.tranche, d.start_on, d.end_on, d.status, d.beneficiaries, d.notes, sort_ar, sort_fr],
    )?;
    for table in ["project_body", "budget_line", "project_activity"] {
        c.execute(&format!("DELETE FROM {table} WHERE project_id = ?1"), [id])?;
    }
    write_children(c, id, d)?;
    history::record_update(c, Entity::Project, id, &old.data, d)?;
    Ok(())
}

fn write_children(c: &Connection, id: i64, d: &ProjectData) -> Result<()> {
    let mut body = c.prepare_cached("INSERT INTO project_body(project_id, position, name) VALUES (?1, ?2, ?3)")?;
    for (i, b) in d.implementing_bodies.iter().enumerate() {
        body.execute(params![id, i as i64, b])?;
    }
    let mut line = c.prepare_cached("INSERT INTO budget_line(project_id, position, partner_id, label, amount_minor, currency) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    for (i, l) in d.budget_lines.iter().enumerate() {
        line.execute(params![id, i as i64, l.partner_id, l.label, l.minor, l.currency])?;
    }
    let mut act = c.prepare_cached("INSERT INTO project_activity(project_id, position, kind, title, start_on, end_on, people_trained, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    for (i, a) in d.activities.iter().enumerate() {
        act.execute(params![id, i as i64, a.kind, a.title, a.start_on, a.end_on, a.people_trained, a.notes])?;
    }
    Ok(())
}

pub(crate) fn get_project(c: &Connection, id: i64) -> Result<Record<ProjectData>> {
    let bodies = c
        .prepare_cached("SELECT name FROM project_body WHERE project_id = ?1 ORDER BY position")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let lines = c
        .prepare_cached(
            "SELECT partner_id, label, amount_minor, currency FROM budget_line WHERE project_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            let minor: i64 = r.get(2)?;
            let currency: String = r.get(3)?;
            let amount = Money { minor, currency: currency.clone() }.to_decimal();
            Ok(BudgetLine { partner_id: r.get(0)?, label: r.get(1)?, amount, currency, minor })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let activities = c
        .prepare_cached("SELECT kind, title, start_on, end_on, people_trained, notes FROM project_activity WHERE project_id = ?1 ORDER BY position")?
        .query_map([id], |r| Ok(Activity { kind: r.get(0)?, title: r.get(1)?, start_on: r.get(2)?, end_on: r.get(3)?, people_trained: r.get(4)?, notes: r.get(5)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    c.prepare_cached("SELECT * FROM project WHERE id = ?1")?
        .query_row([id], |r| {
            let data = ProjectData {
                agreement_id: r.get("agreement_id")?,
                title_ar: r.get("title_ar")?,
                title_fr: r.get("title_fr")?,
                fund: r.get("fund")?,
                fund_edition: r.get("fund_edition")?,
                tranche: r.get("tranche")?,
                implementing_bodies: bodies.clone(),
                start_on: r.get("start_on")?,
                end_on: r.get("end_on")?,
                status: r.get("status")?,
                budget_lines: lines.clone(),
                activities: activities.clone(),
                beneficiaries: r.get("beneficiaries")?,
                notes: r.get("notes")?,
            };
            record_from_row(r, data)
        })
        .optional()?
        .ok_or(Error::NotFound { kind: "project", id })
}

pub(crate) fn project_view(c: &Connection, id: i64) -> Result<ProjectView> {
    let record = get_project(c, id)?;
    let (agreement_title_ar, agreement_title_fr) =
        c.query_row("SELECT title_ar, title_fr FROM agreement WHERE id = ?1", [record.data.agreement_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let contributors = c
        .prepare_cached("SELECT DISTINCT p.id, p.name_ar, p.name_latin FROM budget_line b JOIN partner p ON p.id = b.partner_id WHERE b.project_id = ?1")?
        .query_map([id], |r| Ok(Contributor { partner_id: r.get(0)?, name_ar: r.get(1)?, name_latin: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let totals = record.data.totals();
    Ok(ProjectView { record, agreement_title_ar, agreement_title_fr, contributors, totals })
}

fn totals_of(c: &Connection, id: i64) -> Result<Vec<Money>> {
    let rows = c
        .prepare_cached("SELECT currency, sum(amount_minor) FROM budget_line WHERE project_id = ?1 GROUP BY currency ORDER BY min(position)")?
        .query_map([id], |r| Ok(Money { currency: r.get(0)?, minor: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

const ROW_SQL: &str = "SELECT p.id, p.uuid, p.agreement_id, a.title_ar AS agreement_title_ar, a.title_fr AS agreement_title_fr, p.title_ar, p.title_fr,
        p.fund, p.fund_edition, p.status, p.start_on, p.end_on, p.is_sample
    FROM project p JOIN agreement a ON a.id = p.agreement_id";

fn rows_from(c: &Connection, sql: &str, args: &[rusqlite::types::Value]) -> Result<Vec<ProjectRow>> {
    let mut stmt = c.prepare_cached(sql)?;
    let mut rows = stmt
        .query_map(rusqlite::params_from_iter(args), |r| {
            Ok(ProjectRow {
                id: r.get("id")?,
                uuid: r.get("uuid")?,
                agreement_id: r.get("agreement_id")?,
                agreement_title_ar: r.get("agreement_title_ar")?,
                agreement_title_fr: r.get("agreement_title_fr")?,
                title_ar: r.get("title_ar")?,
                title_fr: r.get("title_fr")?,
                fund: r.get("fund")?,
                fund_edition: r.get("fund_edition")?,
                status: r.get("status")?,
                start_on: r.get("start_on")?,
                end_on: r.get("end_on")?,
                totals: Vec::new(),
                is_sample: r.get("is_sample")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for row in &mut rows {
        row.totals = totals_of(c, row.id)?;
    }
    Ok(rows)
}

pub(crate) fn projects_of_agreement(c: &Connection, agreement_id: i64) -> Result<Vec<ProjectRow>> {
    rows_from(
        c,
        &format!("{ROW_SQL} WHERE p.agreement_id = ?1 AND p.deleted_at IS NULL ORDER BY p.start_on"),
        &[agreement_id.into()],
    )
}

/// The WHERE clause and its arguments for a list filter (shared by the page and the count).
fn filter_projects(q: &ListQuery) -> Filter {
    let mut f = Filter::new("p.deleted_at IS NULL");
    f.only_to_complete("p", q.to_complete);
    f.contains(q, Entity::Project, "p", &["p.title_ar", "p.title_fr", "p.fund"]);
    f.equals("p.status", &q.status);
    if let Some(year) = q.year {
        f.push(
            "(substr(p.start_on, 1, 4) <= ? AND (p.end_on = '' OR substr(p.end_on, 1, 4) >= ?))",
            format!("{year:04}"),
        );
    }
    if !q.country.is_empty() {
        f.push(
            "EXISTS (SELECT 1 FROM agreement_party ap JOIN partner pa ON pa.id = ap.partner_id WHERE ap.agreement_id = p.agreement_id AND pa.country = ?)",
            q.country.to_ascii_uppercase(),
        );
    }
    f
}

pub(crate) fn count_projects(c: &Connection, q: &ListQuery) -> Result<i64> {
    filter_projects(q).count(c, "project p")
}

pub(crate) fn list_projects(c: &Connection, q: &ListQuery) -> Result<Page<ProjectRow>> {
    let f = filter_projects(q);
    let where_sql = f.sql();
    let order = match q.sort.as_str() {
        "title" => "p.sort_ar",
        "title_fr" => "p.sort_fr",
        "status" => "p.status",
        "updated" => "p.updated_at",
        _ => "p.start_on",
    };
    let dir = if q.desc { "DESC" } else { "ASC" };
    let sql = format!(
        "{ROW_SQL} WHERE {where_sql} ORDER BY {order} {dir}, p.id {dir} LIMIT {} OFFSET {}",
        q.limit() + 1,
        q.offset
    );
    let items = rows_from(c, &sql, f.args())?;
    Ok(Page::of(items, q))
}

impl Store {
    pub fn add_project(&mut self, data: ProjectData) -> Result<Record<ProjectData>> {
        let data = data.validate()?;
        let id = self.write(|c| insert_project(c, &data, false))?;
        get_project(&self.conn, id)
    }

    pub fn update_project(
        &mut self,
        id: i64,
        data: ProjectData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<ProjectData>> {
        // A record imported to complete keeps its relaxed rules for the fields it still lacks.
        let data = data.validate_leaving(&self.to_complete(Entity::Project, id)?)?;
        self.write(|c| {
            update_project(c, id, &data, expected_updated_at)?;
            super::completion::narrow(c, Entity::Project, id, &[], &data, "")
        })?;
        get_project(&self.conn, id)
    }

    pub fn get_project(&self, id: i64) -> Result<Record<ProjectData>> {
        get_project(&self.conn, id)
    }

    pub fn project_view(&self, id: i64) -> Result<ProjectView> {
        project_view(&self.conn, id)
    }

    pub fn list_projects(&self, q: &ListQuery) -> Result<Page<ProjectRow>> {
        list_projects(&self.conn, q)
    }
}
