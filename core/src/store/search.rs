//! The search index (an FTS5 table of folded keys, see `crate::search`) and the search itself.
//!
//! The index follows the records lazily: every record's `updated_at` moves on every change
//! (creation, edit, delete, restore), so before a search the rows changed since the last one are
//! indexed again, in one transaction. Nothing else has to remember to update it. Stamps are to
//! the millisecond and written inside the write lock, so a refresh commits only once the clock
//! has left the millisecond of the newest stamp it indexed (`wait_past`): a change made right
//! after it cannot share that stamp and go unseen.

use super::Store;
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::Entity;
use crate::search::{highlights, index_key, match_expression};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// What is searched, in the order results are grouped.
const KINDS: [Entity; 8] = [
    Entity::Partner,
    Entity::Agreement,
    Entity::Project,
    Entity::Membership,
    Entity::Session,
    Entity::Point,
    Entity::Deliberation,
    Entity::Document,
];

#[derive(Clone, Debug, Serialize)]
pub struct SearchHit {
    pub kind: Entity,
    pub id: i64,
    pub label: String,
    pub detail: String,
    /// Char ranges of `label` to highlight.
    pub highlights: Vec<(usize, usize)>,
    /// The page to open: (kind, id) — a point opens its session, a document its record.
    pub open: (Entity, i64),
}

/// The text indexed for a record, its label, detail, filters and page; None for a record gone.
struct Entry {
    key: String,
    label: String,
    detail: String,
    country: String,
    status: String,
    year: String,
    open: (Entity, i64),
}

fn entry(c: &Connection, kind: Entity, id: i64) -> Result<Option<Entry>> {
    // Every column as text (numbers too), NULL as empty.
    let row = |sql: &str| -> Result<Option<Vec<String>>> {
        use rusqlite::types::Value;
        let text = |v: Value| match v {
            Value::Null => String::new(),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) => f.to_string(),
            Value::Text(t) => t,
            Value::Blob(_) => String::new(),
        };
        // Cached: a first build prepares each kind's statement once, not once per record.
        Ok(c.prepare_cached(sql)?
            .query_row([id], |r| {
                (0..r.as_ref().column_count())
                    .map(|i| r.get::<_, Value>(i).map(text))
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .optional()?)
    };
    let e = match kind {
        Entity::Partner => row("SELECT name_ar, name_latin, city, region, country, kind, short_name FROM partner WHERE id = ?1 AND deleted_at IS NULL")?.map(|v| Entry {
            key: index_key(&[&v[0], &v[1], &v[2], &v[3], &v[4], &v[6]]),
            label: if v[0].is_empty() { v[1].clone() } else { v[0].clone() },
            detail: [v[1].as_str(), v[2].as_str(), v[4].as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" · "),
            country: v[4].clone(),
            status: String::new(),
            year: String::new(),
            open: (kind, id),
        }),
        Entity::Agreement => row(
            "SELECT a.title_ar, a.title_fr, a.reference, a.signed_at, a.status, substr(a.signed_on, 1, 4),
                    (SELECT group_concat(p.name_ar || ' ' || p.name_latin || ' ' || p.short_name, ' ') FROM agreement_party ap JOIN partner p ON p.id = ap.partner_id WHERE ap.agreement_id = a.id),
                    (SELECT group_concat(p.country, ' ') FROM agreement_party ap JOIN partner p ON p.id = ap.partner_id WHERE ap.agreement_id = a.id),
                    (SELECT group_concat(area, ' ') FROM agreement_area WHERE agreement_id = a.id)
             FROM agreement a WHERE a.id = ?1 AND a.deleted_at IS NULL",
        )?
        .map(|v| Entry {
            key: index_key(&[&v[0], &v[1], &v[2], &v[3], &v[6], &v[8]]),
            label: if v[0].is_empty() { v[1].clone() } else { v[0].clone() },
            detail: [v[1].as_str(), v[5].as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" · "),
            country: v[7].clone(),
            status: v[4].clone(),
            year: v[5].clone(),
            open: (kind, id),
        }),
        Entity::Project => row("SELECT title_ar, title_fr, fund, fund_edition, status, substr(start_on, 1, 4) FROM project WHERE id = ?1 AND deleted_at IS NULL")?.map(|v| Entry {
            key: index_key(&[&v[0], &v[1], &v[2], &v[3]]),
            label: if v[0].is_empty() { v[1].clone() } else { v[0].clone() },
            detail: [v[2].as_str(), v[3].as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" "),
            country: String::new(),
            status: v[4].clone(),
            year: v[5].clone(),
            open: (kind, id),
        }),
        Entity::Membership => row("SELECT p.name_ar, p.name_latin, m.since, p.country, p.short_name FROM membership m JOIN partner p ON p.id = m.partner_id WHERE m.id = ?1 AND m.deleted_at IS NULL")?.map(|v| Entry {
            key: index_key(&[&v[0], &v[1], &v[4]]),
            label: if v[0].is_empty() { v[1].clone() } else { v[0].clone() },
            detail: v[2].clone(),
            country: v[3].clone(),
            status: String::new(),
            year: v[2].get(..4).unwrap_or_default().to_string(),
            open: (kind, id),
        }),
        Entity::Session => row("SELECT kind, year, month, number FROM session WHERE id = ?1 AND deleted_at IS NULL")?.map(|v| {
            let (year, month, number) = (v[1].parse().unwrap_or(0), v[2].parse().unwrap_or(1), v[3].parse().ok());
            let ar = super::session_label(&v[0], year, month, number, Lang::Ar);
            let fr = super::session_label(&v[0], year, month, number, Lang::Fr);
            Entry { key: index_key(&[&ar, &fr]), label: ar, detail: fr, country: String::new(), status: String::new(), year: v[1].clone(), open: (kind, id) }
        }),
        Entity::Point => row(
            "SELECT p.title, p.rapporteur, p.note_ar, p.note_fr, p.session_id,
                    coalesce((SELECT CASE WHEN title_ar <> '' THEN title_ar ELSE title_fr END FROM agreement WHERE p.subject_kind = 'agreement' AND id = p.subject_id),
                             (SELECT CASE WHEN title_ar <> '' THEN title_ar ELSE title_fr END FROM project WHERE p.subject_kind = 'project' AND id = p.subject_id),
                             (SELECT x.name_ar FROM membership m JOIN partner x ON x.id = m.partner_id WHERE p.subject_kind = 'membership' AND m.id = p.subject_id), ''),
                    s.year,
                    coalesce((SELECT title_fr FROM agreement WHERE p.subject_kind = 'agreement' AND id = p.subject_id),
                             (SELECT title_fr FROM project WHERE p.subject_kind = 'project' AND id = p.subject_id), '')
             FROM agenda_point p JOIN session s ON s.id = p.session_id WHERE p.id = ?1 AND p.deleted_at IS NULL",
        )?
        .map(|v| Entry {
            key: index_key(&[&v[0], &v[5], &v[7], &v[1], &v[2], &v[3]]),
            label: if v[0].is_empty() { v[5].clone() } else { v[0].clone() },
            detail: v[1].clone(),
            country: String::new(),
            status: String::new(),
            year: v[6].clone(),
            open: (Entity::Session, v[4].parse().unwrap_or(0)),
        }),
        Entity::Deliberation => row(
            "SELECT d.number, d.decision_text, d.outcome, p.session_id, substr(d.decided_on, 1, 4) FROM deliberation d JOIN agenda_point p ON p.id = d.point_id WHERE d.id = ?1 AND d.deleted_at IS NULL",
        )?
        .map(|v| Entry {
            key: index_key(&[&v[0], &v[1]]),
            label: v[0].clone(),
            detail: v[1].chars().take(120).collect(),
            country: String::new(),
            status: v[2].clone(),
            year: v[4].clone(),
            open: (Entity::Session, v[3].parse().unwrap_or(0)),
        }),
        // Members are a list of the council's own (the session papers), not searched.
        Entity::Member => None,
        Entity::Document => row("SELECT title, original_name, signatories, entity, entity_id FROM document WHERE id = ?1 AND deleted_at IS NULL")?.map(|v| {
            let parent: Entity = v[3].parse().unwrap_or(Entity::Agreement);
            Entry {
                key: index_key(&[&v[0], &v[1], &v[2]]),
                label: if v[0].is_empty() { v[1].clone() } else { v[0].clone() },
                detail: v[1].clone(),
                country: String::new(),
                status: String::new(),
                year: String::new(),
                open: (parent, v[4].parse().unwrap_or(0)),
            }
        }),
    };
    Ok(e)
}

/// The index row of a record: its kind in the high bits, its id in the low ones (deleting by
/// rowid is a lookup; by an unindexed column it would be a scan).
fn rowid(kind: Entity, id: i64) -> i64 {
    let code = KINDS.iter().position(|k| *k == kind).unwrap_or(0) as i64 + 1;
    (code << 40) | id
}

fn reindex(c: &Connection, kind: Entity, id: i64) -> Result<()> {
    c.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?.execute([rowid(kind, id)])?;
    if let Some(e) = entry(c, kind, id)? {
        c.prepare_cached("INSERT INTO search_index(rowid, kind, ref_id, label, detail, country, status, year, open_kind, open_id, key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?
            .execute(params![rowid(kind, id), kind.as_str(), id, e.label, e.detail, e.country, e.status, e.year, e.open.0.as_str(), e.open.1, e.key])?;
    }
    Ok(())
}

/// Waits, inside the refresh's write transaction, until the clock has left the millisecond of
/// `stamp`, the newest the refresh indexed: the writes after its commit then get later stamps
/// than the cursor, so none is missed. Bounded (2 ms): a clock set back is not waited for.
fn wait_past(stamp: &str) {
    for _ in 0..20 {
        if crate::calendar::now_stamp().as_str() > stamp {
            return;
        }
        std::thread::sleep(std::time::Duration::from_micros(100));
    }
}

/// Indexes again every record changed since the last refresh. Returns how many were.
pub(crate) fn refresh(c: &Connection) -> Result<usize> {
    let mut done = 0;
    let mut newest = String::new();
    for kind in KINDS {
        let since: String = c
            .query_row("SELECT indexed_until FROM search_state WHERE kind = ?1", [kind.as_str()], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        let changed: Vec<(i64, String)> = c
            .prepare_cached(&format!(
                "SELECT id, updated_at FROM {} WHERE updated_at > ?1 ORDER BY updated_at",
                kind.table()
            ))?
            .query_map([&since], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let Some(last) = changed.last().map(|(_, at)| at.clone()) else { continue };
        for (id, _) in &changed {
            reindex(c, kind, *id)?;
            // A partner's name is also in its agreements' and memberships' keys (on a first build
            // they are all indexed anyway).
            if kind == Entity::Partner && !since.is_empty() {
                let linked: Vec<(String, i64)> = c
                    .prepare_cached("SELECT 'agreement', agreement_id FROM agreement_party WHERE partner_id = ?1 UNION SELECT 'membership', id FROM membership WHERE partner_id = ?1")?
                    .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?;
                for (k, lid) in linked {
                    reindex(c, k.parse()?, lid)?;
                }
            }
        }
        done += changed.len();
        c.execute("INSERT INTO search_state(kind, indexed_until) VALUES (?1, ?2) ON CONFLICT(kind) DO UPDATE SET indexed_until = excluded.indexed_until", params![kind.as_str(), last])?;
        newest = newest.max(last);
    }
    wait_past(&newest);
    Ok(done)
}

/// Filters beside the words typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct SearchFilters {
    #[serde(default)]
    pub kind: Option<Entity>,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub year: Option<i32>,
    /// A funding source (part of its name, any case): its projects and the agreements they fall under.
    #[serde(default)]
    pub fund: String,
}

/// Above this many matches, results are not ranked (see `search`).
const RANK_AT_MOST: i64 = 500;

/// The best `limit` records matching `query`, best first.
pub(crate) fn search(c: &Connection, query: &str, filters: &SearchFilters, limit: usize) -> Result<Vec<SearchHit>> {
    let Some(expression) = match_expression(query) else { return Ok(Vec::new()) };
    let mut f = super::Filter::with("search_index MATCH ?", expression.clone());
    f.equals("kind", filters.kind.map(Entity::as_str).unwrap_or_default());
    if !filters.country.is_empty() {
        f.push("country LIKE ?", format!("%{}%", filters.country.to_ascii_uppercase()));
    }
    f.equals("status", &filters.status);
    if let Some(y) = filters.year {
        f.push("year = ?", y.to_string());
    }
    if !filters.fund.trim().is_empty() {
        let fund = format!("%{}%", filters.fund.trim().replace(['%', '_'], ""));
        f.push(
            "((kind = 'project' AND ref_id IN (SELECT id FROM project WHERE fund LIKE ? AND deleted_at IS NULL))
              OR (kind = 'agreement' AND ref_id IN (SELECT agreement_id FROM project WHERE fund LIKE ? AND deleted_at IS NULL)))",
            fund,
        );
    }
    // Ranking scores every match: for a broad prefix (two letters typed into 120,000 records) the
    // first matches are shown unranked instead, and ranking resumes as the typing narrows.
    let broad: i64 = c
        .prepare_cached(&format!(
            "SELECT count(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH ?1 LIMIT {RANK_AT_MOST})"
        ))?
        .query_row([&expression], |r| r.get(0))?;
    let order = if broad < RANK_AT_MOST { " ORDER BY bm25(search_index)" } else { "" };
    let sql = format!(
        "SELECT kind, ref_id, label, detail, open_kind, open_id FROM search_index WHERE {}{order} LIMIT {limit}",
        f.sql()
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let hits = stmt
        .query_map(rusqlite::params_from_iter(f.args()), |r| {
            let kind: String = r.get(0)?;
            let open_kind: String = r.get(4)?;
            let label: String = r.get(2)?;
            Ok(SearchHit {
                kind: kind.parse().unwrap_or(Entity::Agreement),
                id: r.get(1)?,
                highlights: highlights(&label, query),
                label,
                detail: r.get(3)?,
                open: (open_kind.parse().unwrap_or(Entity::Agreement), r.get(5)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(hits)
}

impl Store {
    /// The records matching what the user typed (folded as `crate::search` says), best first;
    /// the index is brought up to date first (the records changed since the last search).
    pub fn search(&mut self, query: &str, filters: &SearchFilters, limit: usize) -> Result<Vec<SearchHit>> {
        self.write(|c| super::with_large_cache(c, || refresh(c)))?;
        search(&self.conn, query, filters, limit.clamp(1, 200))
    }
}

#[cfg(test)]
mod tests {
    use super::wait_past;
    use crate::calendar::now_stamp;

    #[test]
    fn a_refresh_ends_after_the_millisecond_of_its_newest_stamp() {
        for _ in 0..50 {
            let stamp = now_stamp();
            wait_past(&stamp);
            assert!(now_stamp() > stamp);
        }
        // A stamp from a clock set back (a minute ahead of now) is not waited for.
        let ahead =
            (chrono::Utc::now() + chrono::Duration::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let started = std::time::Instant::now();
        wait_past(&ahead);
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
    }
}
