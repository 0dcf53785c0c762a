//! The council's cooperation at a glance: the figures the dashboard, `taawun-cli figures` and the
//! annual report all read, from this one place. Amounts are summed per currency, never across
//! currencies. A year narrows each figure to what belongs to it: agreements signed that year,
//! projects running during it, activities held in it (or, undated, of a project running then),
//! memberships held during it; without one, everything on record.

use super::Store;
use crate::error::Result;
use crate::model::agreement::direction;
use crate::model::Direction;
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many days ahead "expiring" looks when no year is asked for (as on the home view).
const EXPIRY_WINDOW_DAYS: u64 = super::home::EXPIRY_WINDOW_DAYS;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    pub year: Option<i32>,
    /// Every year some agreement was signed in, newest first, whatever year was asked for (what
    /// the dashboard offers to choose).
    pub years: Vec<i32>,
    pub agreements: AgreementFigures,
    /// Per fund (an empty name: projects with no fund), the projects and what they commit.
    pub funds: Vec<FundFigure>,
    pub activities: ActivityFigures,
    /// Per partner country (ISO code): the partners, and the agreements one of them is party to.
    pub countries: Vec<CountryFigure>,
    pub memberships: MembershipFigures,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgreementFigures {
    pub total: i64,
    /// Per year of signature (none: not dated) and status, oldest first.
    pub by_year: Vec<YearStatus>,
    pub by_status: Vec<Count>,
    pub by_kind: Vec<Count>,
    /// From the partners' countries; an agreement with no partner country counts as "unknown".
    pub by_direction: Vec<Count>,
    /// Signed or in force and expiring within the year asked for, whenever signed (or, no year
    /// asked for, within the next 90 days).
    pub expiring: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct YearStatus {
    pub year: Option<i32>,
    pub status: String,
    pub count: i64,
}

/// How many records have a value (a status, a kind, a direction).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Count {
    pub key: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Amount {
    pub currency: String,
    /// In the currency's minor unit (centimes, cents).
    pub minor: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FundFigure {
    pub fund: String,
    pub projects: i64,
    /// The budget lines' total per currency, currencies in alphabetical order.
    pub committed: Vec<Amount>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ActivityFigures {
    pub by_kind: Vec<Count>,
    pub people_trained: i64,
    /// Trainings whose number of people is not recorded (the total above leaves them out).
    pub trainings_without_count: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountryFigure {
    pub country: String,
    pub partners: i64,
    pub agreements: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MembershipFigures {
    pub count: i64,
    /// Yearly dues per currency.
    pub dues: Vec<Amount>,
}

impl Store {
    /// The figures of `year` (every year when `None`), "expiring" counted from `today` when no
    /// year is given.
    pub fn figures(&self, year: Option<i32>, today: NaiveDate) -> Result<Figures> {
        figures(&self.conn, year, today)
    }
}

/// SQL conditions that put a record in the year `?1` (NULL: every year). Partial dates are
/// stored as text ("2018", "2018-04", "2018-04-25", or empty), so a year is their first four
/// characters; an agreement's is the indexed `signed_year` column (0 when undated).
/// Two texts, so that a year's query can use the `signed_year` index (an `?1 IS NULL OR …`
/// keeps SQLite from it); both name `?1`, bound to the year or NULL.
fn agreement_in_year(y: &Option<i64>) -> &'static str {
    match y {
        Some(_) => "a.deleted_at IS NULL AND a.signed_year = ?1",
        None => "a.deleted_at IS NULL AND ?1 IS NULL",
    }
}
pub(super) const PROJECT_IN_YEAR: &str = "p.deleted_at IS NULL AND (?1 IS NULL OR (
      (p.start_on = '' OR CAST(substr(p.start_on, 1, 4) AS INTEGER) <= ?1)
      AND (p.end_on = '' OR CAST(substr(p.end_on, 1, 4) AS INTEGER) >= ?1)))";

fn figures(c: &Connection, year: Option<i32>, today: NaiveDate) -> Result<Figures> {
    let y = year.map(i64::from);
    let scan = by_year_status_kind(c, &y)?;
    let (from, to) = match year {
        Some(y) => (format!("{y:04}-01-01"), format!("{y:04}-12-31")),
        None => (day(today), day(today + chrono::Days::new(EXPIRY_WINDOW_DAYS))),
    };
    let parties = by_party_country(c, &y, scan.total)?;
    let agreements = AgreementFigures {
        total: scan.total,
        by_year: scan.by_year,
        by_status: scan.by_status,
        by_kind: scan.by_kind,
        by_direction: parties.directions,
        expiring: c.query_row(
            &format!(
                "SELECT count(*) FROM agreement a WHERE {} AND a.status IN ('signed', 'in_force')
                   AND a.expires_on BETWEEN ?2 AND ?3",
                agreement_in_year(&None)
            ),
            params![Option::<i64>::None, from, to],
            |r| r.get(0),
        )?,
    };
    let years = {
        let mut stmt = c.prepare(
            "SELECT DISTINCT signed_year FROM agreement WHERE deleted_at IS NULL AND signed_year > 0
              ORDER BY signed_year DESC",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<Vec<i32>>>()?
    };
    Ok(Figures {
        year,
        years,
        agreements,
        funds: funds(c, &y)?,
        activities: activities(c, &y)?,
        countries: parties.countries,
        memberships: memberships(c, &y)?,
    })
}

fn day(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The agreements counted by year of signature, status and kind, in one pass over the index
/// that holds those three (migration 13), then added up each way.
pub(super) struct Scan {
    total: i64,
    pub(super) by_year: Vec<YearStatus>,
    by_status: Vec<Count>,
    by_kind: Vec<Count>,
}

pub(super) fn by_year_status_kind(c: &Connection, y: &Option<i64>) -> Result<Scan> {
    let in_year = agreement_in_year(y);
    let mut stmt = c.prepare(&format!(
        "SELECT a.signed_year, a.status, a.kind, count(*) FROM agreement a WHERE {in_year}
          GROUP BY a.signed_year, a.status, a.kind"
    ))?;
    let mut rows = stmt.query(params![y])?;
    // Undated first, then the years in order; statuses and kinds by their codes.
    let mut by_year: BTreeMap<(Option<i32>, String), i64> = BTreeMap::new();
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, i64> = BTreeMap::new();
    let mut total = 0;
    while let Some(r) = rows.next()? {
        let year = r.get::<_, Option<i32>>(0)?.filter(|y| *y != 0);
        let (status, kind): (String, String) = (r.get(1)?, r.get(2)?);
        let n: i64 = r.get(3)?;
        total += n;
        *by_year.entry((year, status.clone())).or_default() += n;
        *by_status.entry(status).or_default() += n;
        *by_kind.entry(kind).or_default() += n;
    }
    let counts = |m: BTreeMap<String, i64>| m.into_iter().map(|(key, count)| Count { key, count }).collect();
    Ok(Scan {
        total,
        by_year: by_year.into_iter().map(|((year, status), count)| YearStatus { year, status, count }).collect(),
        by_status: counts(by_status),
        by_kind: counts(by_kind),
    })
}

/// What the partners' countries say, read in one pass over the live partners (their country
/// index) and one over the agreements' parties (two integers a row): each agreement's direction
/// (model::direction), and per country the partners (every live one, or for a year those party
/// to its agreements) and the agreements with a partner there. `total` agreements are counted:
/// those with no partner country are "unknown".
struct PartyCountries {
    directions: Vec<Count>,
    countries: Vec<CountryFigure>,
}

fn by_party_country(c: &Connection, y: &Option<i64>, total: i64) -> Result<PartyCountries> {
    // Live partners' countries, interned: codes, and each partner's code index.
    let mut codes: Vec<String> = Vec::new();
    let mut country_of: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    {
        // Ordered as the live-partners index is, so that it is read alone.
        let mut stmt =
            c.prepare("SELECT id, country FROM partner WHERE deleted_at IS NULL ORDER BY country, name_latin, id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let code: String = r.get(1)?;
            if codes.last() != Some(&code) {
                codes.push(code);
            }
            country_of.insert(r.get(0)?, codes.len() - 1);
        }
    }
    // Every year: the parties of live agreements (the few deleted ones found by their own index);
    // one year: from that year's agreements.
    let sql = match y {
        None => "SELECT ap.agreement_id, ap.partner_id FROM agreement_party ap
                  WHERE ap.agreement_id NOT IN (SELECT id FROM agreement WHERE deleted_at IS NOT NULL)
                    AND ?1 IS NULL
                  ORDER BY ap.agreement_id"
            .to_string(),
        Some(_) => format!(
            "SELECT ap.agreement_id, ap.partner_id FROM agreement a JOIN agreement_party ap ON ap.agreement_id = a.id
              WHERE {} ORDER BY ap.agreement_id",
            agreement_in_year(y)
        ),
    };
    let mut stmt = c.prepare(&sql)?;
    let mut rows = stmt.query(params![y])?;
    let mut agreements_of = vec![0i64; codes.len()];
    let mut partners_of = vec![0i64; codes.len()];
    if y.is_none() {
        for i in country_of.values() {
            partners_of[*i] += 1;
        }
    }
    // For a year, each partner is counted once, the first time it is seen.
    let mut seen: std::collections::HashSet<i64> = std::collections::HashSet::new();
    let mut directions: BTreeMap<&'static str, i64> = BTreeMap::new();
    let mut counted = 0;
    let mut current: Option<i64> = None;
    let mut countries: Vec<usize> = Vec::new();
    let mut close = |countries: &mut Vec<usize>, agreements_of: &mut Vec<i64>| {
        countries.sort_unstable();
        countries.dedup();
        let key = direction(countries.iter().map(|i| codes[*i].as_str())).map_or("unknown", Direction::as_str);
        *directions.entry(key).or_default() += 1;
        for i in countries.drain(..) {
            agreements_of[i] += 1;
        }
    };
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if current != Some(id) {
            if current.is_some() {
                close(&mut countries, &mut agreements_of);
                counted += 1;
            }
            current = Some(id);
        }
        let partner: i64 = r.get(1)?;
        if let Some(i) = country_of.get(&partner) {
            countries.push(*i);
            if y.is_some() && seen.insert(partner) {
                partners_of[*i] += 1;
            }
        }
    }
    if current.is_some() {
        close(&mut countries, &mut agreements_of);
        counted += 1;
    }
    // Agreements with no party at all.
    if total > counted {
        *directions.entry("unknown").or_default() += total - counted;
    }
    let countries = codes
        .into_iter()
        .zip(partners_of.into_iter().zip(agreements_of))
        .filter(|(_, (partners, agreements))| *partners > 0 || *agreements > 0)
        .map(|(country, (partners, agreements))| CountryFigure { country, partners, agreements })
        .collect();
    Ok(PartyCountries {
        directions: directions.into_iter().map(|(key, count)| Count { key: key.to_string(), count }).collect(),
        countries,
    })
}

fn amounts(c: &Connection, sql: &str, y: &Option<i64>) -> Result<BTreeMap<String, Vec<Amount>>> {
    let mut stmt = c.prepare(sql)?;
    let mut rows = stmt.query(params![y])?;
    let mut out: BTreeMap<String, Vec<Amount>> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(Amount { currency: r.get(1)?, minor: r.get(2)? });
    }
    Ok(out)
}

fn funds(c: &Connection, y: &Option<i64>) -> Result<Vec<FundFigure>> {
    let mut committed = amounts(
        c,
        &format!(
            "SELECT p.fund, b.currency, sum(b.amount_minor) FROM budget_line b JOIN project p ON p.id = b.project_id
              WHERE {PROJECT_IN_YEAR} GROUP BY p.fund, b.currency ORDER BY p.fund, b.currency"
        ),
        y,
    )?;
    let mut stmt = c.prepare(&format!(
        "SELECT p.fund, count(*) FROM project p WHERE {PROJECT_IN_YEAR} GROUP BY p.fund ORDER BY p.fund"
    ))?;
    let rows = stmt.query_map(params![y], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (fund, projects) = row?;
        let committed = committed.remove(&fund).unwrap_or_default();
        out.push(FundFigure { fund, projects, committed });
    }
    Ok(out)
}

fn activities(c: &Connection, y: &Option<i64>) -> Result<ActivityFigures> {
    let in_year = format!(
        "FROM project_activity pa JOIN project p ON p.id = pa.project_id
          WHERE p.deleted_at IS NULL AND (?1 IS NULL OR CAST(substr(pa.start_on, 1, 4) AS INTEGER) = ?1
                OR (pa.start_on = '' AND {PROJECT_IN_YEAR}))"
    );
    let mut stmt = c.prepare(&format!("SELECT pa.kind, count(*) {in_year} GROUP BY pa.kind ORDER BY pa.kind"))?;
    let by_kind = stmt
        .query_map(params![y], |r| Ok(Count { key: r.get(0)?, count: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (people_trained, trainings_without_count) = c.query_row(
        &format!(
            "SELECT coalesce(sum(pa.people_trained), 0),
                    coalesce(sum(pa.kind = 'training' AND pa.people_trained IS NULL), 0) {in_year}"
        ),
        params![y],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(ActivityFigures { by_kind, people_trained, trainings_without_count })
}

/// A membership held during the year `?1` (NULL: every year): joined that year or before (a
/// membership records no end; leaving is deleting it).
pub(super) const MEMBERSHIP_IN_YEAR: &str =
    "m.deleted_at IS NULL AND (?1 IS NULL OR CAST(substr(m.since, 1, 4) AS INTEGER) <= ?1)";

fn memberships(c: &Connection, y: &Option<i64>) -> Result<MembershipFigures> {
    let held = MEMBERSHIP_IN_YEAR;
    let count = c.query_row(&format!("SELECT count(*) FROM membership m WHERE {held}"), params![y], |r| r.get(0))?;
    let dues = amounts(
        c,
        &format!(
            "SELECT '', m.dues_currency, sum(m.dues_minor) FROM membership m
              WHERE {held} AND m.dues_minor IS NOT NULL AND m.dues_currency != ''
              GROUP BY m.dues_currency ORDER BY m.dues_currency"
        ),
        y,
    )?;
    Ok(MembershipFigures { count, dues: dues.into_values().flatten().collect() })
}
