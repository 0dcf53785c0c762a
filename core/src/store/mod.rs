//! The SQLite store: where the database lives, how it is opened, and the use cases that change
//! it, each in one transaction with its history rows.
//!
//! One place opens the database and sets the pragmas (`open`); the schema comes from numbered,
//! append-only migrations (`migrations`); one module per table family holds the `verb_noun`
//! functions taking a `&Connection` so that a use case composes them in one transaction.

mod agreements;
pub mod completion;
mod deliberations;
mod documents;
mod due;
mod due_groups;
mod exchange;
mod figures;
pub mod generate;
mod history;
mod home;
mod ics;
mod identity;
mod imports;
mod legal;
mod lifecycle;
mod members;
mod memberships;
pub mod migrations;
mod partners;
mod projects;
mod publish;
mod report;
pub mod sample;
mod search;
mod session_page;
mod sessions;

pub use agreements::{AgreementRow, AgreementView, PartyRef};
pub use deliberations::{ClashingDeliberation, DeliberationView, NumberClash};
pub use documents::{AttachPlan, DocumentCheck};
pub use due::{session_label, DueItem};
pub use due_groups::{DueGroup, DUE_GROUPS};
pub use exchange::{Clock, Conflict, DeskIdentity, KnownIdentity, Merged, Outgoing, Traveling, EXCHANGED};
pub use figures::{
    ActivityFigures, AgreementFigures, Amount, Count, CountryFigure, Figures, FundFigure, MembershipFigures, YearStatus,
};
pub use history::HistoryEntry;
pub use home::{Attention, HomeSummary};
pub(crate) use imports::{agreement_data, membership_data, partner_data, project_data, ImportChange};
pub use lifecycle::TrashItem;
pub use memberships::{MembershipRow, MembershipView};
pub use partners::{PartnerRow, PartnerView};
pub use projects::{ProjectRow, ProjectView};
pub use publish::Changes;
pub use report::{AgreementInYear, AnnualReport, BudgetLineInYear, MembershipInYear, ProjectInYear};
pub use search::{SearchFilters, SearchHit};
pub use session_page::{Commitment, PointView, SessionView, SittingView};
pub use sessions::{Notification, SessionRow, StoredPoint, SubjectView};

use crate::error::{Error, Result};
use crate::model::{Entity, Record};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `PRAGMA application_id` of a Taawun database ("TAAW").
pub const APPLICATION_ID: i32 = 0x5441_4157;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The database file to use: the `--db` flag, else `TAAWUN_DB`, else the user's data dir
/// (`$XDG_DATA_HOME/taawun/taawun.db` on Linux, the platform's own place elsewhere).
pub fn resolve_db_path(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os("TAAWUN_DB").filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(default_db_path)
}

pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("ma", "Taawun", "taawun")
        .map(|d| d.data_dir().join("taawun.db"))
        .unwrap_or_else(|| PathBuf::from("taawun.db"))
}

/// One sorted, filtered page of a list.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// Text contained in the names, titles or reference.
    pub q: String,
    pub kind: String,
    pub country: String,
    pub status: String,
    pub year: Option<i32>,
    /// Agreements only: the direction, from the partners' countries (model::Direction).
    pub direction: String,
    /// Agreements, projects and memberships: only the records imported to complete
    /// (model::to_complete).
    pub to_complete: bool,
    pub sort: String,
    pub desc: bool,
    pub limit: Option<u32>,
    pub offset: u32,
}

impl ListQuery {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 1000;

    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(Self::DEFAULT_LIMIT).clamp(1, Self::MAX_LIMIT) as i64
    }

    /// `%q%` for LIKE, with LIKE's own wildcards escaped (they are text here).
    pub(crate) fn like(&self) -> Option<String> {
        let q = self.q.trim();
        if q.is_empty() {
            return None;
        }
        let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        Some(format!("%{escaped}%"))
    }
}

/// A list filter's WHERE clause under construction: clauses joined by AND, each with its own
/// numbered argument, so user text only ever reaches SQLite as a bound value.
pub(crate) struct Filter {
    clauses: Vec<String>,
    args: Vec<rusqlite::types::Value>,
}

impl Filter {
    /// Starts from the clause that keeps live rows (`x.deleted_at IS NULL`).
    pub(crate) fn new(live: &str) -> Filter {
        Filter { clauses: vec![live.to_string()], args: Vec::new() }
    }

    /// Starts from `clause`, in which every `?` stands for `arg` (a search's MATCH).
    pub(crate) fn with(clause: &str, arg: impl Into<rusqlite::types::Value>) -> Filter {
        let mut f = Filter { clauses: Vec::new(), args: Vec::new() };
        f.push(clause, arg);
        f
    }

    /// Adds `clause`, in which every `?` stands for `arg`.
    pub(crate) fn push(&mut self, clause: &str, arg: impl Into<rusqlite::types::Value>) {
        self.args.push(arg.into());
        self.clauses.push(clause.replace('?', &format!("?{}", self.args.len())));
    }

    /// Only the records with fields to complete (`alias.to_complete`), when `on`.
    pub(crate) fn only_to_complete(&mut self, alias: &str, on: bool) {
        if on {
            self.clauses.push(format!("{alias}.to_complete <> ''"));
        }
    }

    /// `column = value`, unless the value is empty (no filter).
    pub(crate) fn equals(&mut self, column: &str, value: &str) {
        if !value.is_empty() {
            self.push(&format!("{column} = ?"), value.to_string());
        }
    }

    /// The list's text filter, matched as search matches (folded words, by their beginning) in
    /// the search index for the `kind` records (`alias` in the query) indexed since their last
    /// change, and for the few changed since the index last followed, any of `columns` contains
    /// it (LIKE wildcards typed are text). The index answers in milliseconds where LIKE reads
    /// every row.
    pub(crate) fn contains(&mut self, q: &ListQuery, kind: Entity, alias: &str, columns: &[&str]) {
        let Some(like) = q.like() else { return };
        let Some(expression) = crate::search::match_expression(&q.q) else {
            let any = columns.iter().map(|c| format!("{c} LIKE ? ESCAPE '\\'")).collect::<Vec<_>>().join(" OR ");
            self.push(&format!("({any})"), like);
            return;
        };
        let k = kind.as_str();
        self.args.push(expression.into());
        let matched = self.args.len();
        self.args.push(like.into());
        let liked = self.args.len();
        let any = columns.iter().map(|c| format!("{c} LIKE ?{liked} ESCAPE '\\'")).collect::<Vec<_>>().join(" OR ");
        let since = format!("(SELECT coalesce(max(indexed_until), '') FROM search_state WHERE kind = '{k}')");
        self.clauses.push(format!(
            "(({alias}.updated_at <= {since} AND {alias}.id IN (SELECT ref_id FROM search_index WHERE search_index MATCH ?{matched} AND kind = '{k}')) OR ({alias}.updated_at > {since} AND ({any})))"
        ));
    }

    pub(crate) fn sql(&self) -> String {
        self.clauses.join(" AND ")
    }

    /// How many rows of `from` (a table with its alias, or a join) pass the filter.
    pub(crate) fn count(&self, c: &Connection, from: &str) -> Result<i64> {
        let sql = format!("SELECT count(*) FROM {from} WHERE {}", self.sql());
        Ok(c.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(&self.args), |r| r.get(0))?)
    }

    pub(crate) fn args(&self) -> &[rusqlite::types::Value] {
        &self.args
    }
}

/// One page of a list. The total is a separate query (`Store::count`), so a page comes back
/// in milliseconds even when counting every match takes longer.
#[derive(Clone, Debug, Serialize)]
pub struct Page<T> {
    pub offset: u32,
    pub limit: i64,
    /// Whether rows follow this page.
    pub has_more: bool,
    pub items: Vec<T>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` fetched rows (the extra row tells `has_more`).
    pub(crate) fn of(mut items: Vec<T>, q: &ListQuery) -> Page<T> {
        let limit = q.limit();
        let has_more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        Page { offset: q.offset, limit, has_more, items }
    }
}

/// An open Taawun database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    _app_lock: Option<File>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// A database of a newer Taawun, or a file that is not a Taawun database, is refused and
    /// left untouched.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        // The WAL and its index, if opening makes them: a failed open (a full disk) removes them.
        let made_here: Vec<PathBuf> =
            ["-wal", "-shm"].map(|suffix| sidecar(path, suffix)).into_iter().filter(|p| !p.exists()).collect();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| map_open_error(e, path))?;
        let store = Store::setup(conn, Some(path.to_path_buf())).map_err(|e| {
            for made in &made_here {
                let _ = std::fs::remove_file(made);
            }
            match e {
                Error::NotTaawun(_) => Error::NotTaawun(path.to_path_buf()),
                e => e,
            }
        })?;
        Ok(store)
    }

    /// A private database in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, None)
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        match Store::prepare(&mut conn, path.as_deref()) {
            Ok(()) => Ok(Store { conn, path, _app_lock: None }),
            Err(e) => Err(full_disk_or(&conn, e)),
        }
    }

    /// The checks and settings of a connection just opened: a Taawun database this Taawun reads,
    /// WAL, foreign keys, migrations.
    fn prepare(conn: &mut Connection, path: Option<&Path>) -> Result<()> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the header first tells a foreign file from a Taawun database before any write.
        let app_id: i32 =
            conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| map_open_error(e, Path::new("")))?;
        let has_tables: bool = conn.query_row("SELECT count(*) > 0 FROM sqlite_master", [], |r| r.get(0))?;
        if has_tables && app_id != APPLICATION_ID {
            return Err(Error::NotTaawun(path.map(Path::to_path_buf).unwrap_or_default()));
        }
        migrations::check_version(conn)?;
        if path.is_some() {
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            debug_assert_eq!(mode, "wal");
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Room for every statement an import or an index build repeats (each kind's own).
        conn.set_prepared_statement_cache_capacity(64);
        migrations::migrate(conn)?;
        Ok(())
    }

    /// Takes the desktop app's lock on this database, so a second window on the same file says
    /// so clearly instead of two windows overwriting each other's edits. The CLI does not take it:
    /// SQLite's own locking keeps every write whole.
    pub fn acquire_app_lock(&mut self) -> Result<()> {
        let Some(path) = &self.path else { return Ok(()) };
        let mut lock_path = path.clone().into_os_string();
        lock_path.push(".lock");
        let file = File::options().create(true).truncate(false).write(true).open(&lock_path)?;
        match file.try_lock() {
            Ok(()) => {
                self._app_lock = Some(file);
                Ok(())
            }
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Locked(path.clone())),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        write_on(&mut self.conn, f)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        setting(&self.conn, key)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|c| set_setting(c, key, value))
    }

    /// How many records of `entity` match the list filter `q` (for "1–100 of N").
    pub fn count(&self, entity: Entity, q: &ListQuery) -> Result<i64> {
        match entity {
            Entity::Partner => partners::count_partners(&self.conn, q),
            Entity::Agreement => agreements::count_agreements(&self.conn, q),
            Entity::Project => projects::count_projects(&self.conn, q),
            Entity::Membership => memberships::count_memberships(&self.conn, q),
            Entity::Document => documents::count_documents(&self.conn, q),
            Entity::Session => sessions::count_sessions(&self.conn, q),
            Entity::Point | Entity::Deliberation | Entity::Member => Ok(self.conn.query_row(
                &format!("SELECT count(*) FROM {} WHERE deleted_at IS NULL", entity.table()),
                [],
                |r| r.get(0),
            )?),
        }
    }
}

impl Drop for Store {
    /// Keeps the query planner's statistics fresh, as SQLite recommends on closing a connection
    /// (cheap: it only analyses tables whose indexes were used and have changed a lot).
    fn drop(&mut self) {
        let _ = self.conn.execute_batch("PRAGMA optimize;");
    }
}

/// A file SQLite keeps beside the database `db`: its WAL (`-wal`) or the WAL's index (`-shm`).
pub(crate) fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn map_open_error(e: rusqlite::Error, path: &Path) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotTaawun(path.to_path_buf()),
        _ => e.into(),
    }
}

/// A new record's UUID: version 7, whose first 48 bits are the time of creation, so records
/// created together have neighbouring UUIDs and an import of 100,000 appends to the uuid index
/// instead of writing all over it (random version 4 UUIDs took a tenth of an import's time).
pub(crate) fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Reads the common record columns of a row.
pub(crate) fn record_from_row<T>(row: &rusqlite::Row<'_>, data: T) -> rusqlite::Result<Record<T>> {
    Ok(Record {
        id: row.get("id")?,
        uuid: row.get("uuid")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        deleted_at: row.get("deleted_at")?,
        is_sample: row.get("is_sample")?,
        // Agreements, projects and memberships only (model::to_complete).
        to_complete: match row.as_ref().column_index("to_complete") {
            Ok(i) => crate::model::to_complete::decode(&row.get::<_, String>(i)?),
            Err(_) => Vec::new(),
        },
        data,
    })
}

/// A setting's stored value, None when it was never set.
/// The settings holding the council's and this desk's UUIDs (docs/exchange.md: "What identifies what").
pub(crate) const COUNCIL_UUID: &str = "council.uuid";
pub(crate) const DESK_UUID: &str = "desk.uuid";

/// The UUID kept in setting `key`, made (and kept) on first use.
pub(crate) fn setting_uuid(c: &Connection, key: &str) -> Result<String> {
    if let Some(uuid) = setting(c, key)? {
        return Ok(uuid);
    }
    let uuid = new_uuid();
    c.execute("INSERT INTO setting(key, value) VALUES (?1, ?2)", [key, &uuid])?;
    Ok(uuid)
}

pub(crate) fn setting(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(c.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub(crate) fn set_setting(c: &Connection, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// Checks that a live record is at the version the user edited, and stamps its new version.
pub(crate) fn touch(c: &Connection, entity: Entity, id: i64, expected_updated_at: Option<&str>) -> Result<String> {
    let current: Option<(String, Option<String>)> = c
        .query_row(&format!("SELECT updated_at, deleted_at FROM {} WHERE id = ?1", entity.table()), [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((updated_at, deleted_at)) = current else { return Err(Error::NotFound { kind: entity.as_str(), id }) };
    if deleted_at.is_some() {
        return Err(Error::NotFound { kind: entity.as_str(), id });
    }
    if expected_updated_at.is_some_and(|e| e != updated_at) {
        return Err(Error::Conflict);
    }
    let now = crate::calendar::now_stamp();
    c.execute(&format!("UPDATE {} SET updated_at = ?1 WHERE id = ?2", entity.table()), rusqlite::params![now, id])?;
    Ok(now)
}

/// Runs `f` in one write transaction on `conn`, committed if it succeeds (`Store::write`, for
/// callers that borrow another field of the store meanwhile).
fn write_on<T>(conn: &mut Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    let written = (|| -> Result<T> {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    })();
    written.map_err(|e| full_disk_or(conn, e))
}

/// A "disk I/O error" of SQLite's on a disk with no room left is the full disk, said as such:
/// SQLite keeps the system's own error number (`platform::is_no_room` reads it), which tells it
/// from a failing disk.
fn full_disk_or(conn: &Connection, e: Error) -> Error {
    let Error::Sqlite(sqlite) = &e else { return e };
    if sqlite.sqlite_error_code() != Some(rusqlite::ErrorCode::SystemIoFailure) {
        return e;
    }
    // SAFETY: the handle is only read from, on the thread that owns the connection, and
    // sqlite3_system_errno takes any open connection.
    let errno = unsafe { rusqlite::ffi::sqlite3_system_errno(conn.handle()) };
    if crate::platform::is_no_room(errno) {
        Error::DiskFull
    } else {
        e
    }
}

/// A second, read-only connection to the database at `path`, for work on another thread that
/// reads what is committed (in WAL mode it never waits on the writer, nor sees its uncommitted rows).
pub(crate) fn open_reader(path: &Path) -> Result<Connection> {
    let reader = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    reader.busy_timeout(BUSY_TIMEOUT)?;
    Ok(reader)
}

/// Runs `work` with up to 16 MiB of database pages kept in memory (taken only as used), then
/// back to SQLite's default: a 100,000-row import or a first index build reads its indexes from
/// memory instead of again and again from disk. (Not always: a large cache also keeps a long
/// write's pages out of the WAL until it commits.)
pub(crate) fn with_large_cache<T>(c: &Connection, work: impl FnOnce() -> Result<T>) -> Result<T> {
    c.pragma_update(None, "cache_size", -16_384)?;
    let result = work();
    c.pragma_update(None, "cache_size", -2_000)?;
    result
}

/// Checks that `id` is a live record of `entity` (for links: parties, projects' agreement...).
pub(crate) fn require_live(c: &Connection, entity: Entity, id: i64, field: &str) -> Result<()> {
    let live: bool = c
        .prepare_cached(&format!("SELECT count(*) FROM {} WHERE id = ?1 AND deleted_at IS NULL", entity.table()))?
        .query_row([id], |r| r.get(0))?;
    if live {
        Ok(())
    } else {
        Err(Error::invalid(field, crate::error::Rule::UnknownValue))
    }
}
