//! From a file to a preview, and to written records.
//!
//! Both read the file, settle its layout (the kind of records and the mapping of its columns:
//! the user's, else the one remembered for these columns, else a guess), then plan every row
//! against the records as they are (`plan_rows`). A preview plans on the store's connection and
//! keeps nothing but what it shows. An import plans on a second, read-only connection to the
//! database file, on a thread of its own, and hands each change to the store's connection, which
//! writes it as it comes, in one transaction: the planning of 100,000 rows runs beside their
//! writing instead of before it, and no change is held for the whole file. The planning
//! connection reads one snapshot of what was committed before the import (WAL: the writer's
//! uncommitted rows are never in it), so an import plans exactly what its preview showed. A store in memory
//! (tests) has no file to open twice: it plans first, then writes.

use super::mapping::{self, checked_mapping, fields, guess_kind, guess_mapping, layout_key, parse_mapping};
use super::planner::{self, Planner};
use super::read;
use super::table::{Cell, Table};
use super::{evidence_text, unrecognised, Action, Counts, Options, Outcome, Preview, LISTED_ERRORS, PREVIEW_ROWS};
use crate::error::{Error, Result, Rule};
use crate::i18n::Lang;
use crate::model::Entity;
use crate::store::{ImportChange, Store};
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// How a file's columns are read: the kind of records, the field of each column and where that
/// mapping came from, and what the file's values mean.
struct Layout {
    kind: Entity,
    mapping: Vec<Option<String>>,
    /// `given`, `remembered` or `guessed`.
    source: &'static str,
    values: BTreeMap<String, String>,
}

impl Layout {
    /// The kind told or guessed from the header, and the mapping given, remembered or guessed.
    fn of(conn: &Connection, table: &Table, options: &Options) -> Result<Layout> {
        let kind = match options.kind {
            Some(k) if fields(k).is_empty() => return Err(Error::invalid("kind", Rule::UnknownValue)),
            Some(k) => k,
            None => {
                guess_kind(&table.header).ok_or_else(|| Error::KindNotTold { columns: unrecognised(&table.header) })?
            }
        };
        let given = match (&options.mapping, &options.mapping_spec) {
            (Some(m), _) => Some(m.clone()),
            (None, Some(spec)) => Some(parse_mapping(spec, &table.header)?),
            (None, None) => None,
        };
        let remembered =
            crate::store::setting(conn, &layout_key(kind, &table.header))?.and_then(|s| mapping::Remembered::parse(&s));
        let (mapping, source) = match (&given, &remembered) {
            (Some(m), _) => (checked_mapping(kind, m, table.header.len())?, "given"),
            (None, Some(r)) => (checked_mapping(kind, &r.mapping, table.header.len())?, "remembered"),
            (None, None) => (guess_mapping(kind, &table.header), "guessed"),
        };
        // The user's value choices over those remembered for the layout.
        let mut values = remembered.map(|r| r.values).unwrap_or_default();
        values.extend(options.values.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(Layout { kind, mapping, source, values })
    }

    /// The setting that remembers this layout for the next file with the same columns.
    fn remembered(&self, header: &[String]) -> Result<(String, String)> {
        let json =
            serde_json::to_string(&mapping::Remembered { mapping: self.mapping.clone(), values: self.values.clone() })?;
        Ok((layout_key(self.kind, header), json))
    }
}

/// What the planning hands the writing, in file order (by value: a box per row would buy nothing).
#[allow(clippy::large_enum_variant)]
enum Step {
    /// A change to write (a partner rows name comes just before the first row naming it).
    Write(ImportChange),
    /// A row has errors and the user did not choose to leave such rows out: write nothing.
    Refuse,
    /// Every row planned.
    End,
}

/// The changes of `steps` until its end; an error for a refusal, or for steps that stop before
/// their end (the planning failed: its own error is the one reported).
fn changes(mut steps: impl Iterator<Item = Step>) -> impl Iterator<Item = Result<ImportChange>> {
    let mut over = false;
    std::iter::from_fn(move || {
        if over {
            return None;
        }
        match steps.next() {
            Some(Step::Write(change)) => Some(Ok(change)),
            Some(Step::End) => {
                over = true;
                None
            }
            Some(Step::Refuse) => {
                over = true;
                Some(Err(Error::invalid("file", Rule::RowsWithErrors)))
            }
            None => {
                over = true;
                Some(Err(Error::Io(std::io::Error::other("the planning of the rows stopped"))))
            }
        }
    })
}

/// Reads, maps and plans `path` without changing anything.
pub fn preview(store: &Store, path: &Path, options: &Options, lang: Lang) -> Result<Preview> {
    let table = read::read(path, &options.read)?;
    let layout = Layout::of(store.conn(), &table, options)?;
    plan_rows(store.conn(), table, &layout, lang, false, &mut |_| {})
}

/// What `write` did: the records written, or, when some rows are wrong and the user did not
/// choose to leave them out, nothing, with the preview that says which rows and why.
pub enum Written {
    Done(Outcome),
    Refused { preview: Preview, why: Error },
}

/// Imports `path` in one transaction, as previewed.
pub fn import(store: &mut Store, path: &Path, options: &Options, lang: Lang) -> Result<Outcome> {
    match write(store, path, options, lang)? {
        Written::Done(outcome) => Ok(outcome),
        Written::Refused { why, .. } => Err(why),
    }
}

/// Reads, maps and plans `path`, writing each change as it is planned, in one transaction. A file
/// changed since its preview (`Options::digest`) is refused before anything is planned.
pub fn write(store: &mut Store, path: &Path, options: &Options, lang: Lang) -> Result<Written> {
    let table = read::read(path, &options.read)?;
    if options.digest.as_deref().is_some_and(|d| d != table.digest) {
        return Err(Error::invalid("file", Rule::FileChanged));
    }
    let layout = Layout::of(store.conn(), &table, options)?;
    let (key, json) = layout.remembered(&table.header)?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let refuse = !options.skip_errors;
    let rows = table.rows.len();
    let write_all = |store: &mut Store, steps: &mut dyn Iterator<Item = Step>| {
        store.apply_import(layout.kind, rows, changes(steps), &file_name, (&key, &json))
    };
    let (preview, written) = match store.path().map(Path::to_path_buf) {
        Some(db) => std::thread::scope(|scope| {
            // A few thousand changes planned ahead at most.
            let (to_write, planned) = std::sync::mpsc::sync_channel::<Step>(1024);
            let layout = &layout;
            let planning = scope.spawn(move || {
                let reader = crate::store::open_reader(&db)?;
                // A send fails only once the writing has stopped on an error of its own; the
                // planning goes on to the end, for the preview.
                plan_rows(&reader, table, layout, lang, refuse, &mut |step| {
                    let _ = to_write.send(step);
                })
            });
            let written = write_all(store, &mut planned.into_iter());
            let preview = planning.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (preview, written)
        }),
        None => {
            let mut steps = Vec::new();
            let preview = plan_rows(store.conn(), table, &layout, lang, refuse, &mut |step| steps.push(step))?;
            (Ok(preview), write_all(store, &mut steps.into_iter()))
        }
    };
    let preview = preview?;
    let written = match written {
        Ok(written) => written,
        Err(why @ Error::Invalid { rule: Rule::RowsWithErrors, .. }) => return Ok(Written::Refused { preview, why }),
        Err(e) => return Err(e),
    };
    Ok(Written::Done(Outcome {
        kind: preview.kind,
        created: preview.counts.create,
        updated: preview.counts.update,
        unchanged: preview.counts.unchanged,
        skipped: preview.counts.error,
        new_partners: written.new_partners,
        ids: written.ids,
        preview,
    }))
}

/// Plans every row of `table` on `conn` (one snapshot for all), handing `each` the changes in
/// file order: each partner the rows propose just before the first row without errors that
/// names it, a refusal at the first row with errors when `refuse` (then nothing more), and the
/// end. Returns what a preview shows. Each row's cells are freed once it is planned: while an
/// import writes, the file's cells shrink as the database's pages grow.
fn plan_rows(
    conn: &Connection,
    mut table: Table,
    layout: &Layout,
    lang: Lang,
    refuse: bool,
    each: &mut dyn FnMut(Step),
) -> Result<Preview> {
    // One read transaction for the whole plan: every row matched against the same registry, and
    // one read lock instead of one per query (a re-import of 100,000 rows reads each stored record).
    let snapshot = conn.unchecked_transaction()?;
    let value_map: HashMap<String, String> = layout.values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let file_rows = std::mem::take(&mut table.rows);
    let planner = Planner::new(conn, layout.kind, &table.header, &layout.mapping, &value_map, lang)?;
    let mut unknown = planner::UnknownValues::default();
    let mut counts = Counts::default();
    let mut listed = Vec::new();
    let mut listed_errors = 0;
    let mut total_rows = 0;
    // A partner is proposed for the rows that can be written; none for rows with errors.
    let mut with_errors = HashSet::new();
    let mut proposed_sent = HashSet::new();
    let mut refused = false;
    planner.plan(file_rows, |i, read, mut row, change| {
        total_rows += 1;
        planner.note_unknown_values(&row, &mut unknown);
        match row.action {
            Action::Create => counts.create += 1,
            Action::Update => counts.update += 1,
            Action::Unchanged => counts.unchanged += 1,
            Action::Error => counts.error += 1,
        }
        counts.to_complete += usize::from(row.flagged);
        let is_error = row.action == Action::Error;
        if is_error {
            with_errors.insert(row.row);
            if refuse && !refused {
                refused = true;
                each(Step::Refuse);
            }
        }
        if let (Some(change), false) = (change, refused) {
            if let ImportChange::Agreement { data, .. } = &change {
                for placeholder in data.parties.iter().copied().filter(|p| *p < 0) {
                    if proposed_sent.insert(placeholder) {
                        let data = planner.new_parties.borrow().proposed(placeholder).data.clone();
                        each(Step::Write(ImportChange::NewParty { placeholder, data }));
                    }
                }
            }
            each(Step::Write(change));
        }
        // Listed: the first rows, then those with errors and those that come in to complete.
        let flagged = is_error || !row.to_complete.is_empty();
        if i < PREVIEW_ROWS || (flagged && listed_errors < LISTED_ERRORS) {
            listed_errors += usize::from(flagged);
            row.cells = read.cells.iter().map(Cell::text).collect();
            listed.push(row);
        }
    });
    drop(snapshot);
    let mut new_partners = std::mem::take(&mut planner.new_parties.borrow_mut().list);
    for p in new_partners.iter_mut() {
        p.rows.retain(|r| !with_errors.contains(r));
    }
    new_partners.retain(|p| !p.rows.is_empty());
    each(Step::End);
    Ok(Preview {
        kind: layout.kind,
        sheet: table.sheet,
        skipped_sheets: table.skipped_sheets,
        sheets: table.sheets,
        encoding_evidence: table.evidence.map(|e| evidence_text(e, table.encoding.as_deref(), &table.header, lang)),
        encoding: table.encoding,
        columns: table.header,
        mapping: layout.mapping.clone(),
        mapping_source: layout.source,
        fields: fields(layout.kind).to_vec(),
        total_rows,
        counts,
        rows: listed,
        unknown_values: unknown.list,
        new_partners,
        values: layout.values.clone(),
        digest: table.digest,
    })
}
