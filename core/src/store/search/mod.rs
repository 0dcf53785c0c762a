//! The search index (an FTS5 table of folded keys, see `crate::search`) and the search itself.
//!
//! The index follows the records lazily: every record's `updated_at` moves on every change
//! (creation, edit, delete, restore), so before a search the rows changed since the last one are
//! indexed again, in one transaction. Nothing else has to remember to update it. Stamps are to
//! the millisecond and written inside the write lock, so a refresh commits only once the clock
//! has left the millisecond of the newest stamp it indexed (`wait_past`): a change made right
//! after it cannot share that stamp and go unseen.

mod entries;

use super::Store;
use crate::error::Result;
use crate::model::Entity;
use crate::search::{highlights, match_expression};
use entries::{columns_of, entries, entry_of, Entry, Which};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::path::Path;

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

/// Where a refresh reads the records it indexes.
#[derive(Clone, Copy)]
pub(crate) enum ReadOn<'a> {
    /// The connection writing the index, its own uncommitted writes included (an import, a
    /// generation, a bundle applied: the index follows in their transaction).
    Writer,
    /// A second, read-only connection to this database file, on the folding thread (a search's
    /// refresh: its transaction writes nothing before, so both connections see the same records).
    File(&'a Path),
}

/// Indexes the live records of `kind` changed after `since`. The entries (folding every word:
/// a third of a first build's work) are made on a second thread while this one writes the index;
/// the records are read on that thread too when they can be (`ReadOn::File`), else here.
fn index_changed(c: &Connection, kind: Entity, since: &str, read_on: ReadOn) -> Result<()> {
    let write = |entries: Vec<(i64, Entry)>| entries.into_iter().try_for_each(|(id, e)| index(c, kind, id, e));
    std::thread::scope(|scope| match read_on {
        ReadOn::File(path) => {
            let (to_write, made) = std::sync::mpsc::sync_channel::<Vec<(i64, Entry)>>(4);
            let reading = scope.spawn(move || -> Result<()> {
                let reader = super::open_reader(path)?;
                // One snapshot for the kind's several queries.
                let _snapshot = reader.unchecked_transaction()?;
                let entry = |id, v: Vec<String>| (id, entry_of(kind, id, &v));
                // A send fails only once the writing side has stopped on an error of its own.
                changed_in_batches(&reader, kind, since, entry, |batch| {
                    let _ = to_write.send(batch);
                    Ok(())
                })
            });
            made.into_iter().try_for_each(write)?;
            reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }
        ReadOn::Writer => {
            // At most two batches read ahead of the folding; the entries made wait unbounded, so
            // the folding thread never waits on this one (each waiting on the other: a deadlock).
            let (to_fold, folding) = std::sync::mpsc::sync_channel::<Vec<(i64, Vec<String>)>>(2);
            let (to_write, made) = std::sync::mpsc::channel::<Vec<(i64, Entry)>>();
            scope.spawn(move || {
                for batch in folding {
                    let entries = batch.into_iter().map(|(id, v)| (id, entry_of(kind, id, &v))).collect();
                    if to_write.send(entries).is_err() {
                        return;
                    }
                }
            });
            // A send fails only once the folding thread has panicked, and the scope raises that panic.
            changed_in_batches(
                c,
                kind,
                since,
                |id, v| (id, v),
                |batch| {
                    let _ = to_fold.send(batch);
                    while let Ok(entries) = made.try_recv() {
                        write(entries)?;
                    }
                    Ok(())
                },
            )?;
            drop(to_fold);
            made.into_iter().try_for_each(write)
        }
    })
}

/// Hands `batch` what `item` makes of each live record of `kind` changed after `since`, a few
/// hundred at a time (the last batch shorter, perhaps empty).
fn changed_in_batches<T>(
    c: &Connection,
    kind: Entity,
    since: &str,
    mut item: impl FnMut(i64, Vec<String>) -> T,
    mut batch: impl FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    const BATCH: usize = 256;
    let mut gathered = Vec::with_capacity(BATCH);
    columns_of(c, kind, Which::ChangedAfter(since), |id, v| {
        gathered.push(item(id, v));
        if gathered.len() == BATCH {
            batch(std::mem::replace(&mut gathered, Vec::with_capacity(BATCH)))?;
        }
        Ok(())
    })?;
    batch(gathered)
}

/// The index row of a record: its kind in the high bits, its id in the low ones (deleting by
/// rowid is a lookup; by an unindexed column it would be a scan).
fn rowid(kind: Entity, id: i64) -> i64 {
    let code = KINDS.iter().position(|k| *k == kind).unwrap_or(0) as i64 + 1;
    (code << 40) | id
}

fn unindex(c: &Connection, kind: Entity, id: i64) -> Result<()> {
    c.prepare_cached("DELETE FROM search_index WHERE rowid = ?1")?.execute([rowid(kind, id)])?;
    Ok(())
}

fn index(c: &Connection, kind: Entity, id: i64, e: Entry) -> Result<()> {
    c.prepare_cached("INSERT INTO search_index(rowid, kind, ref_id, label, detail, country, status, year, open_kind, open_id, key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?
        .execute(params![rowid(kind, id), kind.as_str(), id, e.label, e.detail, e.country, e.status, e.year, e.open.0.as_str(), e.open.1, e.key])?;
    Ok(())
}

/// Waits, inside the refresh's write transaction, until the clock has left the millisecond of
/// `stamp`, the newest the refresh indexed: the writes after its commit then get later stamps
/// than the cursor, so none is missed. Bounded (2 ms): a clock set back is not waited for.
pub(super) fn wait_past(stamp: &str) {
    for _ in 0..20 {
        if crate::calendar::now_stamp().as_str() > stamp {
            return;
        }
        std::thread::sleep(std::time::Duration::from_micros(100));
    }
}

/// Below this many changed records of a kind, a refresh indexes them on its own thread.
const APART: usize = 256;

/// Indexes again every record changed since the last refresh. Returns how many were.
pub(crate) fn refresh(c: &Connection, read_on: ReadOn) -> Result<usize> {
    let mut done = 0;
    let mut newest = String::new();
    // A partner's name is also in its agreements' and memberships' keys: those are indexed again
    // after every kind's own changes (on a first build they are all indexed anyway).
    let mut linked: Vec<(Entity, i64)> = Vec::new();
    for kind in KINDS {
        let since: String = c
            .query_row("SELECT indexed_until FROM search_state WHERE kind = ?1", [kind.as_str()], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        // The records changed since, their count and the newest stamp: listed when they have old
        // entries to take out, only counted on a first build (it has none, and reads the records
        // themselves next).
        let (changed, count, last): (Vec<i64>, usize, Option<String>) = if since.is_empty() {
            let (count, last): (i64, Option<String>) = c
                .prepare_cached(&format!(
                    "SELECT count(*), max(updated_at) FROM {} WHERE updated_at > ?1",
                    kind.table()
                ))?
                .query_row([&since], |r| Ok((r.get(0)?, r.get(1)?)))?;
            (Vec::new(), count as usize, last)
        } else {
            let listed: Vec<(i64, String)> = c
                .prepare_cached(&format!("SELECT id, updated_at FROM {} WHERE updated_at > ?1", kind.table()))?
                .query_map([&since], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let last = listed.iter().map(|(_, at)| at).max().cloned();
            (listed.iter().map(|(id, _)| *id).collect(), listed.len(), last)
        };
        let Some(last) = last else { continue };
        // Every changed record's old entry out (those deleted stay out), then the live ones in.
        for id in &changed {
            unindex(c, kind, *id)?;
        }
        if count < APART {
            // A few records (the first search after an edit): read and folded here, without a
            // second thread or a second connection to open.
            entries(c, kind, Which::ChangedAfter(&since), |id, e| index(c, kind, id, e))?;
        } else {
            index_changed(c, kind, &since, read_on)?;
        }
        if kind == Entity::Partner {
            let mut stmt = c.prepare_cached("SELECT 'agreement', agreement_id FROM agreement_party WHERE partner_id = ?1 UNION SELECT 'membership', id FROM membership WHERE partner_id = ?1")?;
            for id in &changed {
                for row in stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
                    let (k, lid) = row?;
                    linked.push((k.parse()?, lid));
                }
            }
        }
        done += count;
        c.execute("INSERT INTO search_state(kind, indexed_until) VALUES (?1, ?2) ON CONFLICT(kind) DO UPDATE SET indexed_until = excluded.indexed_until", params![kind.as_str(), last])?;
        newest = newest.max(last);
    }
    linked.sort_unstable_by_key(|(k, id)| (k.as_str(), *id));
    linked.dedup();
    for (kind, id) in linked {
        unindex(c, kind, id)?;
        entries(c, kind, Which::One(id), |id, e| index(c, kind, id, e))?;
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
        let read_on = self.path.as_deref().map_or(ReadOn::Writer, ReadOn::File);
        super::write_on(&mut self.conn, |c| super::with_large_cache(c, || refresh(c, read_on)))?;
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

    #[test]
    fn agreements_read_together_are_indexed_as_one_by_one() {
        use super::entries::{agreement_columns, entries, entry_of, Entry, Which};
        use super::Entity;
        use crate::store::{generate, Store};
        let mut store = Store::open_in_memory().unwrap();
        store.load_sample().unwrap();
        store
            .generate(&generate::Options { partners: 30, agreements: 200, seed: 7, sessions: 0, points_per_session: 0 })
            .unwrap();
        let c = store.conn();
        let fields = |e: Entry| (e.key, e.label, e.detail, e.country, e.status, e.year, e.open);
        let mut together = Vec::new();
        agreement_columns(c, "", |id, v| {
            together.push((id, fields(entry_of(Entity::Agreement, id, &v))));
            Ok(())
        })
        .unwrap();
        assert_eq!(together.len(), 203);
        for (id, bulk) in together {
            let mut one = None;
            entries(c, Entity::Agreement, Which::One(id), |_, e| {
                one = Some(fields(e));
                Ok(())
            })
            .unwrap();
            assert_eq!(Some(bulk), one, "agreement {id}");
        }
    }

    #[test]
    fn a_build_folded_on_a_second_thread_indexes_every_record_once() {
        use crate::store::{generate, Store};
        let mut store = Store::open_in_memory().unwrap();
        // More agreements than a batch handed to the folding thread, and not a multiple of it.
        store
            .generate(&generate::Options {
                partners: 40,
                agreements: 1_000,
                seed: 3,
                sessions: 0,
                points_per_session: 0,
            })
            .unwrap();
        let c = store.conn();
        c.execute_batch("INSERT INTO search_index(search_index) VALUES ('delete-all'); DELETE FROM search_state;")
            .unwrap();
        assert_eq!(super::refresh(c, super::ReadOn::Writer).unwrap(), 1_040);
        let indexed: Vec<(String, i64, String)> = c
            .prepare("SELECT kind, ref_id, label FROM search_index ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let stored: Vec<(String, i64, String)> = c
            .prepare(
                "SELECT 'partner', id, CASE WHEN name_ar <> '' THEN name_ar ELSE name_latin END FROM partner
                 UNION ALL SELECT 'agreement', id, CASE WHEN title_ar <> '' THEN title_ar ELSE title_fr END FROM agreement",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(indexed, stored);
        c.execute_batch("INSERT INTO search_index(search_index) VALUES ('integrity-check')").unwrap();
    }
}
