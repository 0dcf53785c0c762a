//! The SQLite store: where the database lives, how it is opened, and the use cases that change
//! it, each in one transaction with its history rows.
//!
//! One place opens the database and sets the pragmas (`open`); the schema comes from numbered,
//! append-only migrations (`migrations`); one module per table family holds the `verb_noun`
//! functions taking a `&Connection` so that a use case composes them in one transaction.

mod agreements;
mod deliberations;
mod documents;
mod due;
pub mod generate;
mod history;
mod home;
mod imports;
mod lifecycle;
mod memberships;
pub mod migrations;
mod partners;
mod projects;
pub mod sample;
mod search;
mod sessions;

pub use agreements::{AgreementRow, AgreementView, PartyRef};
pub use deliberations::DeliberationView;
pub use due::{session_label, DueItem};
pub use history::HistoryEntry;
pub use home::{Attention, HomeSummary};
pub(crate) use imports::{agreement_data, membership_data, partner_data, project_data};
pub use lifecycle::TrashItem;
pub use memberships::{MembershipRow, MembershipView};
pub use partners::{PartnerRow, PartnerView};
pub use projects::{ProjectRow, ProjectView};
pub use search::{SearchFilters, SearchHit};
pub use sessions::{
    Commitment, Notification, PointView, SessionRow, SessionView, SittingView, StoredPoint, SubjectView,
};

use crate::error::{Error, Result};
use crate::model::{
    AgreementData, AgreementStatus, DeliberationData, Document, DocumentData, Entity, MembershipData, PartnerData,
    PointData, ProjectData, Record, SessionData, VisaData,
};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `PRAGMA application_id` of a Taawun database ("TAAW").
pub const APPLICATION_ID: i32 = 0x5441_4157;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const SIZE_LIMIT_SETTING: &str = "vault.size_limit";
const LEGAL_SETTINGS: &str = "legal_settings";

/// The legal settings stored in a database (or the defaults).
pub(crate) fn legal_settings(c: &Connection) -> Result<crate::calendar::LegalSettings> {
    let stored: Option<String> =
        c.query_row("SELECT value FROM setting WHERE key = ?1", [LEGAL_SETTINGS], |r| r.get(0)).optional()?;
    match stored {
        Some(json) => Ok(serde_json::from_str(&json)?),
        None => Ok(crate::calendar::LegalSettings::default()),
    }
}

/// The last backup written and checked.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct LastBackup {
    pub path: String,
    pub at: String,
    pub files: usize,
    pub bytes: u64,
}

/// Where and how the files of one attach go (see `Store::plan_attach`).
pub struct AttachPlan {
    entity: Entity,
    id: i64,
    data: DocumentData,
    vault: crate::vault::Vault,
    size_limit: u64,
}

impl AttachPlan {
    /// Stores one file durably in the vault; `progress` gets the bytes read so far.
    pub fn take_in(&self, file: &Path, progress: &mut dyn FnMut(u64)) -> Result<crate::vault::Incoming> {
        self.vault.take_in(file, self.size_limit, progress)
    }

    /// The same plan with another size limit (one attach that needs a larger file).
    pub fn with_size_limit(mut self, bytes: u64) -> AttachPlan {
        self.size_limit = bytes;
        self
    }
}

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

    /// `column = value`, unless the value is empty (no filter).
    pub(crate) fn equals(&mut self, column: &str, value: &str) {
        if !value.is_empty() {
            self.push(&format!("{column} = ?"), value.to_string());
        }
    }

    /// The list's text filter: any of `columns` contains it (LIKE wildcards typed are text).
    pub(crate) fn contains(&mut self, q: &ListQuery, columns: &[&str]) {
        if let Some(like) = q.like() {
            let any = columns.iter().map(|c| format!("{c} LIKE ? ESCAPE '\\'")).collect::<Vec<_>>().join(" OR ");
            self.push(&format!("({any})"), like);
        }
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

/// What re-hashing a document's file found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    Intact,
    Altered,
    Missing,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentCheck {
    pub id: i64,
    pub sha256: String,
    pub state: FileState,
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
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| map_open_error(e, path))?;
        let store = Store::setup(conn, Some(path.to_path_buf())).map_err(|e| match e {
            Error::NotTaawun(_) => Error::NotTaawun(path.to_path_buf()),
            e => e,
        })?;
        Ok(store)
    }

    /// A private database in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?, None)
    }

    fn setup(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the header first tells a foreign file from a Taawun database before any write.
        let app_id: i32 =
            conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|e| map_open_error(e, Path::new("")))?;
        let has_tables: bool = conn.query_row("SELECT count(*) > 0 FROM sqlite_master", [], |r| r.get(0))?;
        if has_tables && app_id != APPLICATION_ID {
            return Err(Error::NotTaawun(path.clone().unwrap_or_default()));
        }
        migrations::check_version(&conn)?;
        if path.is_some() {
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            debug_assert_eq!(mode, "wal");
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        migrations::migrate(&mut conn)?;
        Ok(Store { conn, path, _app_lock: None })
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
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    // ---- settings ----

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|c| {
            c.execute(
                "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok(())
        })
    }

    // ---- partners ----

    pub fn add_partner(&mut self, data: PartnerData) -> Result<Record<PartnerData>> {
        let data = data.validate()?;
        let id = self.write(|c| partners::insert_partner(c, &data, false))?;
        partners::get_partner(&self.conn, id)
    }

    pub fn update_partner(
        &mut self,
        id: i64,
        data: PartnerData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<PartnerData>> {
        let data = data.validate()?;
        self.write(|c| partners::update_partner(c, id, &data, expected_updated_at))?;
        partners::get_partner(&self.conn, id)
    }

    pub fn get_partner(&self, id: i64) -> Result<Record<PartnerData>> {
        partners::get_partner(&self.conn, id)
    }

    pub fn partner_view(&self, id: i64) -> Result<PartnerView> {
        partners::partner_view(&self.conn, id)
    }

    pub fn list_partners(&self, q: &ListQuery) -> Result<Page<PartnerRow>> {
        partners::list_partners(&self.conn, q)
    }

    // ---- agreements ----

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
            agreements::insert_agreement(
                c,
                &data,
                status.unwrap_or(AgreementStatus::Draft),
                status_on.as_deref(),
                false,
            )
        })?;
        agreements::get_agreement(&self.conn, id)
    }

    pub fn update_agreement(
        &mut self,
        id: i64,
        data: AgreementData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<AgreementData>> {
        let data = data.validate()?;
        self.write(|c| agreements::update_agreement(c, id, &data, expected_updated_at))?;
        agreements::get_agreement(&self.conn, id)
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
        self.write(|c| agreements::change_status(c, id, status, &on, &note))?;
        self.agreement_view(id)
    }

    pub fn get_agreement(&self, id: i64) -> Result<Record<AgreementData>> {
        agreements::get_agreement(&self.conn, id)
    }

    pub fn agreement_view(&self, id: i64) -> Result<AgreementView> {
        agreements::agreement_view(&self.conn, id, &self.holiday_rules()?.hijri_calendar)
    }

    pub fn list_agreements(&self, q: &ListQuery) -> Result<Page<AgreementRow>> {
        agreements::list_agreements(&self.conn, q)
    }

    /// Adds many agreements in one transaction (imports, generated data): all or nothing.
    pub fn import_agreements(&mut self, rows: Vec<(AgreementData, AgreementStatus)>) -> Result<Vec<i64>> {
        let rows = rows.into_iter().map(|(d, s)| d.validate().map(|d| (d, s))).collect::<Result<Vec<_>>>()?;
        self.write(|c| rows.iter().map(|(d, s)| agreements::insert_agreement(c, d, *s, None, false)).collect())
    }

    // ---- projects ----

    pub fn add_project(&mut self, data: ProjectData) -> Result<Record<ProjectData>> {
        let data = data.validate()?;
        let id = self.write(|c| projects::insert_project(c, &data, false))?;
        projects::get_project(&self.conn, id)
    }

    pub fn update_project(
        &mut self,
        id: i64,
        data: ProjectData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<ProjectData>> {
        let data = data.validate()?;
        self.write(|c| projects::update_project(c, id, &data, expected_updated_at))?;
        projects::get_project(&self.conn, id)
    }

    pub fn get_project(&self, id: i64) -> Result<Record<ProjectData>> {
        projects::get_project(&self.conn, id)
    }

    pub fn project_view(&self, id: i64) -> Result<ProjectView> {
        projects::project_view(&self.conn, id)
    }

    pub fn list_projects(&self, q: &ListQuery) -> Result<Page<ProjectRow>> {
        projects::list_projects(&self.conn, q)
    }

    // ---- memberships ----

    pub fn add_membership(&mut self, data: MembershipData) -> Result<Record<MembershipData>> {
        let data = data.validate()?;
        let id = self.write(|c| memberships::insert_membership(c, &data, false))?;
        memberships::get_membership(&self.conn, id)
    }

    pub fn update_membership(
        &mut self,
        id: i64,
        data: MembershipData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<MembershipData>> {
        let data = data.validate()?;
        self.write(|c| memberships::update_membership(c, id, &data, expected_updated_at))?;
        memberships::get_membership(&self.conn, id)
    }

    pub fn get_membership(&self, id: i64) -> Result<Record<MembershipData>> {
        memberships::get_membership(&self.conn, id)
    }

    pub fn membership_view(&self, id: i64) -> Result<MembershipView> {
        memberships::membership_view(&self.conn, id)
    }

    pub fn list_memberships(&self, q: &ListQuery) -> Result<Page<MembershipRow>> {
        memberships::list_memberships(&self.conn, q)
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
            Entity::Point | Entity::Deliberation => Ok(self.conn.query_row(
                &format!("SELECT count(*) FROM {} WHERE deleted_at IS NULL", entity.table()),
                [],
                |r| r.get(0),
            )?),
        }
    }

    // ---- delete, restore, history ----

    /// Moves a record to the trash. Refused while live records refer to it.
    pub fn delete(&mut self, entity: Entity, id: i64) -> Result<()> {
        self.write(|c| lifecycle::delete_record(c, entity, id))
    }

    /// Brings a record back from the trash. Refused while what it needs is itself deleted.
    pub fn restore(&mut self, entity: Entity, id: i64) -> Result<()> {
        self.write(|c| lifecycle::restore_record(c, entity, id))
    }

    pub fn trash(&self) -> Result<Vec<TrashItem>> {
        lifecycle::list_trash(&self.conn)
    }

    pub fn history(&self, entity: Entity, id: i64) -> Result<Vec<HistoryEntry>> {
        lifecycle::require_exists(&self.conn, entity, id)?;
        history::list_history(&self.conn, entity, id)
    }

    pub fn home(&self, today: chrono::NaiveDate) -> Result<HomeSummary> {
        home::home_summary(&self.conn, today)
    }

    // ---- backups ----

    /// Remembers a backup that was written and checked (what the home view reports).
    pub fn record_backup(&mut self, path: &Path, manifest: &crate::backup::Manifest) -> Result<()> {
        let last = LastBackup {
            path: path.display().to_string(),
            at: manifest.created_at.clone(),
            files: manifest.files.len(),
            bytes: manifest.bytes(),
        };
        self.set_setting("last_backup", &serde_json::to_string(&last)?)
    }

    pub fn last_backup(&self) -> Result<Option<LastBackup>> {
        Ok(self.setting("last_backup")?.and_then(|j| serde_json::from_str(&j).ok()))
    }

    // ---- search ----

    /// The records matching what the user typed (folded as `crate::search` says), best first;
    /// the index is brought up to date first (the records changed since the last search).
    pub fn search(&mut self, query: &str, filters: &SearchFilters, limit: usize) -> Result<Vec<SearchHit>> {
        self.write(search::refresh)?;
        search::search(&self.conn, query, filters, limit.clamp(1, 200))
    }

    // ---- the council's identity on printed documents ----

    pub fn council_identity(&self) -> Result<crate::print::CouncilIdentity> {
        match self.setting("council_identity")? {
            Some(json) => Ok(serde_json::from_str(&json)?),
            None => Ok(crate::print::CouncilIdentity::default()),
        }
    }

    pub fn set_council_identity(
        &mut self,
        identity: crate::print::CouncilIdentity,
    ) -> Result<crate::print::CouncilIdentity> {
        let identity = identity.validate()?;
        self.set_setting("council_identity", &serde_json::to_string(&identity)?)?;
        Ok(identity)
    }

    /// Keeps an image (JPEG or PNG, at most 5 MiB) in the vault as the council's emblem, or
    /// removes the emblem with `None`.
    pub fn set_council_emblem(&mut self, image: Option<&Path>) -> Result<crate::print::CouncilIdentity> {
        let mut identity = self.council_identity()?;
        identity.emblem_sha256 = match image {
            None => String::new(),
            Some(path) => {
                // Checked before it enters the vault, so a refused file leaves nothing behind.
                let mut head = [0u8; 64];
                let n = std::io::Read::read(
                    &mut File::open(path).map_err(|_| Error::invalid("emblem", crate::error::Rule::Unreadable))?,
                    &mut head,
                )?;
                if !matches!(crate::vault::sniff(&head[..n]).as_str(), "image/jpeg" | "image/png") {
                    return Err(Error::invalid("emblem", crate::error::Rule::NotPreviewable));
                }
                self.vault()?.store_file(path, 5 * 1024 * 1024)?.sha256
            }
        };
        self.set_council_identity(identity)
    }

    // ---- council sessions, agenda, deliberations, deadlines ----

    /// The legal delays and rules in force (the documented defaults until edited).
    pub fn legal_settings(&self) -> Result<crate::calendar::LegalSettings> {
        legal_settings(&self.conn)
    }

    pub fn set_legal_settings(
        &mut self,
        settings: crate::calendar::LegalSettings,
    ) -> Result<crate::calendar::LegalSettings> {
        let settings = settings.validate()?;
        self.set_setting(LEGAL_SETTINGS, &serde_json::to_string(&settings)?)?;
        Ok(settings)
    }

    pub fn add_session(&mut self, data: SessionData) -> Result<Record<SessionData>> {
        let data = data.validate()?;
        let id = self.write(|c| sessions::insert_session(c, &data, false))?;
        sessions::get_session(&self.conn, id)
    }

    pub fn update_session(
        &mut self,
        id: i64,
        data: SessionData,
        expected_updated_at: Option<&str>,
    ) -> Result<Record<SessionData>> {
        let data = data.validate()?;
        self.write(|c| sessions::update_session(c, id, &data, expected_updated_at))?;
        sessions::get_session(&self.conn, id)
    }

    pub fn get_session(&self, id: i64) -> Result<Record<SessionData>> {
        sessions::get_session(&self.conn, id)
    }

    /// The session page: sittings with Hijri dates and holiday warnings, the agenda with each
    /// point's record, legal basis, commitments and deliberation, and the open deadlines.
    pub fn session_view(&self, id: i64, lang: crate::Lang) -> Result<SessionView> {
        sessions::session_view(&self.conn, id, &self.holiday_rules()?, &self.legal_settings()?, lang)
    }

    pub fn list_sessions(&self, q: &ListQuery) -> Result<Page<SessionRow>> {
        sessions::list_sessions(&self.conn, q)
    }

    /// Records the sending of the minutes to the governor and, when known, their receipt.
    pub fn record_notification(&mut self, session_id: i64, sent_on: &str, receipt_on: &str) -> Result<Notification> {
        self.write(|c| sessions::record_notification(c, session_id, sent_on, receipt_on))?;
        sessions::get_notification(&self.conn, session_id)
    }

    pub fn add_point(&mut self, session_id: i64, data: PointData) -> Result<StoredPoint> {
        let data = data.validate()?;
        let id = self.write(|c| sessions::insert_point(c, session_id, &data, false))?;
        sessions::get_point(&self.conn, id)
    }

    pub fn update_point(&mut self, id: i64, data: PointData, expected_updated_at: Option<&str>) -> Result<StoredPoint> {
        let data = data.validate()?;
        self.write(|c| sessions::update_point(c, id, &data, expected_updated_at))?;
        sessions::get_point(&self.conn, id)
    }

    /// Moves a point to place `to` (from 1) of its agenda; returns the new order of point ids.
    pub fn move_point(&mut self, id: i64, to: usize) -> Result<Vec<i64>> {
        self.write(|c| sessions::move_point(c, id, to))
    }

    pub fn get_point(&self, id: i64) -> Result<StoredPoint> {
        sessions::get_point(&self.conn, id)
    }

    pub fn points_of(&self, session_id: i64) -> Result<Vec<StoredPoint>> {
        sessions::get_session(&self.conn, session_id)?;
        sessions::points_of(&self.conn, session_id)
    }

    /// Records the council's vote on a point (numbered from the pattern when no number is given);
    /// an approval moves the linked agreement to "approved by the council".
    pub fn deliberate(&mut self, point_id: i64, data: DeliberationData) -> Result<DeliberationView> {
        let legal = self.legal_settings()?;
        let id = self.write(|c| deliberations::deliberate(c, point_id, data, &legal, false))?;
        self.get_deliberation(id, crate::Lang::default())
    }

    pub fn update_deliberation(
        &mut self,
        id: i64,
        data: DeliberationData,
        expected_updated_at: Option<&str>,
    ) -> Result<DeliberationView> {
        let legal = self.legal_settings()?;
        self.write(|c| deliberations::update_deliberation(c, id, data, &legal, expected_updated_at))?;
        self.get_deliberation(id, crate::Lang::default())
    }

    pub fn get_deliberation(&self, id: i64, lang: crate::Lang) -> Result<DeliberationView> {
        deliberations::get_deliberation(&self.conn, id, &self.holiday_rules()?.hijri_calendar, lang)
    }

    pub fn record_opposition(&mut self, deliberation_id: i64, on: &str, reason: &str) -> Result<DeliberationView> {
        self.write(|c| deliberations::record_opposition(c, deliberation_id, on, reason))?;
        self.get_deliberation(deliberation_id, crate::Lang::default())
    }

    /// Records the visa; granted (or deemed granted) moves the agreement to "approved by the authority".
    pub fn record_visa(&mut self, deliberation_id: i64, visa: VisaData) -> Result<DeliberationView> {
        self.write(|c| deliberations::record_visa(c, deliberation_id, visa))?;
        self.get_deliberation(deliberation_id, crate::Lang::default())
    }

    /// Every open deadline at `at`, sorted by date, with the rule that produced it.
    pub fn due(&self, at: chrono::NaiveDate, lang: crate::Lang) -> Result<Vec<DueItem>> {
        let rules = self.holiday_rules()?;
        due::due(&self.conn, at, &crate::calendar::WorkingDays::new(&rules), &self.legal_settings()?, lang)
    }

    // ---- documents and the vault ----

    /// The vault of this database (a `vault` folder beside the file).
    pub fn vault(&self) -> Result<crate::vault::Vault> {
        match &self.path {
            Some(p) => crate::vault::Vault::beside(p),
            None => Err(Error::invalid("vault", crate::error::Rule::Missing)),
        }
    }

    /// Attaches files to a record: each is stored (durably) in the vault first, then all the
    /// rows are written in one transaction. A crash in between leaves only unreferenced files.
    pub fn attach(&mut self, entity: Entity, id: i64, files: &[PathBuf], data: DocumentData) -> Result<Vec<Document>> {
        let plan = self.plan_attach(entity, id, data)?;
        let incoming = files.iter().map(|f| plan.take_in(f, &mut |_| {})).collect::<Result<Vec<_>>>()?;
        self.record_attached(plan, &incoming)
    }

    /// The first step of an attach, for callers that store the files without holding the store
    /// (the window, so that other work goes on during a long import): checks the description
    /// and the record, and says where and how the files go.
    pub fn plan_attach(&self, entity: Entity, id: i64, data: DocumentData) -> Result<AttachPlan> {
        let data = data.validate()?;
        require_live(&self.conn, entity, id, "to")?;
        Ok(AttachPlan { entity, id, data, vault: self.vault()?, size_limit: self.size_limit()? })
    }

    /// The last step: one transaction writes every row (the files are already durable). If the
    /// record went to the trash meanwhile, nothing is written and the files stay unreferenced.
    pub fn record_attached(&mut self, plan: AttachPlan, files: &[crate::vault::Incoming]) -> Result<Vec<Document>> {
        let ids = self.write(|c| {
            files
                .iter()
                .map(|f| documents::insert_document(c, plan.entity, plan.id, f, &plan.data))
                .collect::<Result<Vec<_>>>()
        })?;
        ids.into_iter().map(|i| documents::get_document(&self.conn, i)).collect()
    }

    /// The largest file accepted into the vault (setting `vault.size_limit`, in bytes; 2 GiB).
    pub fn size_limit(&self) -> Result<u64> {
        Ok(self.setting(SIZE_LIMIT_SETTING)?.and_then(|v| v.parse().ok()).unwrap_or(crate::vault::DEFAULT_SIZE_LIMIT))
    }

    /// Sets the largest file accepted; `0` restores the default.
    pub fn set_size_limit(&mut self, bytes: u64) -> Result<()> {
        if bytes == 0 {
            self.write(|c| Ok(c.execute("DELETE FROM setting WHERE key = ?1", [SIZE_LIMIT_SETTING])?))?;
            return Ok(());
        }
        self.set_setting(SIZE_LIMIT_SETTING, &bytes.to_string())
    }

    pub fn documents_of(&self, entity: Entity, id: i64) -> Result<Vec<Document>> {
        documents::documents_of(&self.conn, entity, id)
    }

    pub fn get_document(&self, id: i64) -> Result<Document> {
        documents::get_document(&self.conn, id)
    }

    pub fn update_document(
        &mut self,
        id: i64,
        data: DocumentData,
        expected_updated_at: Option<&str>,
    ) -> Result<Document> {
        let data = data.validate()?;
        self.write(|c| documents::update_document(c, id, &data, expected_updated_at))?;
        documents::get_document(&self.conn, id)
    }

    pub fn list_documents(&self, q: &ListQuery) -> Result<Page<Document>> {
        documents::list_documents(&self.conn, q)
    }

    /// The vault files the database refers to (documents, in the trash too, and the emblem).
    pub fn referenced_files(&self) -> Result<std::collections::HashSet<String>> {
        documents::referenced_hashes(&self.conn)
    }

    /// Re-hashes every file of the vault against what the database refers to.
    pub fn verify_vault(&self, progress: impl FnMut(usize, usize)) -> Result<crate::vault::VerifyReport> {
        self.vault()?.verify(&documents::referenced_hashes(&self.conn)?, progress)
    }

    /// Re-hashes the files of one record's documents: each is intact, altered or missing.
    pub fn check_documents(&self, entity: Entity, id: i64) -> Result<Vec<DocumentCheck>> {
        let vault = self.vault()?;
        self.documents_of(entity, id)?
            .into_iter()
            .map(|d| {
                let state = match vault.rehash(&d.sha256)? {
                    None => FileState::Missing,
                    Some(actual) if actual == d.sha256 => FileState::Intact,
                    Some(_) => FileState::Altered,
                };
                Ok(DocumentCheck { id: d.record.id, sha256: d.sha256, state })
            })
            .collect()
    }

    /// The vault files no document refers to (removed unless `dry_run`).
    pub fn vault_gc(&self, dry_run: bool) -> Result<Vec<String>> {
        self.vault()?.gc(&documents::referenced_hashes(&self.conn)?, dry_run)
    }

    /// Copies a document's file to `dest`, checked against its hash.
    pub fn export_document(&self, id: i64, dest: &Path) -> Result<()> {
        let d = self.get_document(id)?;
        self.vault()?.export(&d.sha256, dest)
    }

    /// A JPEG thumbnail or preview (at most `side` pixels) of an image document, made once and
    /// kept in `cache_dir` (see `crate::preview` for the bounds against hostile images).
    pub fn document_rendition(&self, id: i64, side: u32, cache_dir: &Path) -> Result<Vec<u8>> {
        let d = self.get_document(id)?;
        if !matches!(d.media_type.as_str(), "image/jpeg" | "image/png" | "image/tiff") {
            return Err(Error::invalid("document", crate::error::Rule::NotPreviewable));
        }
        let side = side.clamp(64, crate::preview::PREVIEW_SIDE);
        let vault = self.vault()?;
        let source = vault.path_of(&d.sha256);
        if !source.exists() {
            return Err(Error::invalid("document", crate::error::Rule::Missing));
        }
        crate::preview::RenditionCache::new(cache_dir).get(&d.sha256, &source, side)
    }

    /// The bytes of a PDF document for the window to draw its pages, checked against the hash;
    /// refused for PDFs flagged protected or damaged.
    pub fn document_pdf(&self, id: i64) -> Result<Vec<u8>> {
        let d = self.get_document(id)?;
        if d.media_type != "application/pdf" || d.warnings.iter().any(|w| w == "pdf_encrypted" || w == "pdf_corrupt") {
            return Err(Error::invalid("document", crate::error::Rule::NotPreviewable));
        }
        crate::preview::read_for_preview(&self.vault()?.path_of(&d.sha256), &d.sha256)
    }

    /// A read-only copy of a document's file in `dir`, for the system viewer (the vault's own
    /// file is never handed to another program, which could change it). Reused while intact.
    pub fn viewing_copy(&self, id: i64, dir: &Path) -> Result<PathBuf> {
        let d = self.get_document(id)?;
        let ext = match d.media_type.as_str() {
            "application/pdf" => "pdf",
            "image/jpeg" => "jpg",
            "image/png" => "png",
            "image/tiff" => "tif",
            _ => "bin",
        };
        let folder = dir.join(&d.sha256);
        std::fs::create_dir_all(&folder)?;
        let copy = folder.join(format!("document-{id}.{ext}"));
        let vault = self.vault()?;
        if copy.exists() {
            if vault.rehash_file(&copy)?.as_deref() == Some(d.sha256.as_str()) {
                return Ok(copy);
            }
            let mut perms = std::fs::metadata(&copy)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&copy, perms)?;
            std::fs::remove_file(&copy)?;
        }
        vault.export(&d.sha256, &copy)?;
        let mut perms = std::fs::metadata(&copy)?.permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&copy, perms)?;
        Ok(copy)
    }

    // ---- the legal calendar ----

    /// The holidays and Hijri corrections in force (the documented defaults until edited).
    pub fn holiday_rules(&self) -> Result<crate::calendar::HolidayRules> {
        match self.setting("holiday_rules")? {
            Some(json) => Ok(serde_json::from_str(&json)?),
            None => Ok(crate::calendar::HolidayRules::default()),
        }
    }

    pub fn set_holiday_rules(&mut self, rules: &crate::calendar::HolidayRules) -> Result<()> {
        rules.validate()?;
        self.set_setting("holiday_rules", &serde_json::to_string(rules)?)
    }

    /// Records that Morocco started Hijri month `month` of `year` `shift` days (-1, 0, +1) after
    /// the computed calendar.
    pub fn set_hijri_correction(&mut self, year: i32, month: u8, shift: i8) -> Result<crate::calendar::HolidayRules> {
        let mut rules = self.holiday_rules()?;
        rules.hijri_calendar.set_correction(year, month, shift)?;
        self.set_holiday_rules(&rules)?;
        Ok(rules)
    }

    // ---- sample and synthetic data ----

    /// Loads the council's real records (marked as sample). Does nothing if they are there.
    pub fn load_sample(&mut self) -> Result<bool> {
        self.write(sample::load_sample)
    }

    /// Moves every sample record to the trash in one action (restorable).
    pub fn remove_sample(&mut self) -> Result<usize> {
        self.write(sample::remove_sample)
    }

    /// On the first start of an empty database, loads the sample records once.
    pub fn first_start(&mut self) -> Result<bool> {
        self.write(|c| {
            let done: Option<String> =
                c.query_row("SELECT value FROM setting WHERE key = 'first_start_done'", [], |r| r.get(0)).optional()?;
            if done.is_some() {
                return Ok(false);
            }
            c.execute(
                "INSERT INTO setting(key, value) VALUES ('first_start_done', ?1)",
                [crate::calendar::now_stamp()],
            )?;
            let empty: bool =
                c.query_row("SELECT (SELECT count(*) FROM partner) + (SELECT count(*) FROM agreement) = 0", [], |r| {
                    r.get(0)
                })?;
            if empty {
                sample::load_sample(c)
            } else {
                Ok(false)
            }
        })
    }

    pub fn generate(&mut self, opts: &generate::Options) -> Result<generate::Generated> {
        self.write(|c| generate::generate(c, opts))
    }
}

impl Drop for Store {
    /// Keeps the query planner's statistics fresh, as SQLite recommends on closing a connection
    /// (cheap: it only analyses tables whose indexes were used and have changed a lot).
    fn drop(&mut self) {
        let _ = self.conn.execute_batch("PRAGMA optimize;");
    }
}

fn map_open_error(e: rusqlite::Error, path: &Path) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotTaawun(path.to_path_buf()),
        _ => e.into(),
    }
}

/// A new record's UUID.
pub(crate) fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
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
        data,
    })
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

/// Checks that `id` is a live record of `entity` (for links: parties, projects' agreement...).
pub(crate) fn require_live(c: &Connection, entity: Entity, id: i64, field: &str) -> Result<()> {
    let live: bool = c.query_row(
        &format!("SELECT count(*) FROM {} WHERE id = ?1 AND deleted_at IS NULL", entity.table()),
        [id],
        |r| r.get(0),
    )?;
    if live {
        Ok(())
    } else {
        Err(Error::invalid(field, crate::error::Rule::UnknownValue))
    }
}
