//! The one-file backup: a tar holding a snapshot of the database (SQLite's online backup API, so
//! it can be taken while the window is open), every vault file a record refers to, and, last, a
//! manifest with the SHA-256 and size of each. Written to a temporary file beside the target,
//! flushed, then renamed: a crash or `kill -9` at any moment leaves the previous backup as it was.
//!
//! `verify` reads a backup through and checks every file against the manifest (and the vault
//! files against their own names), the database's integrity and that this Taawun can read its
//! schema. `restore` verifies first, unpacks into a new folder beside the target, checks again,
//! and only then swaps it in, keeping the previous data folder under another name.

pub mod rolling;

use crate::digest::hex;
use crate::error::{Error, Result, Rule};
use crate::parts;
use crate::store::{migrations, Store};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

const FORMAT: u32 = 1;
const DB_ENTRY: &str = "taawun.db";
const MANIFEST: &str = "manifest.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub app: String,
    pub schema_version: i64,
    pub created_at: String,
    pub files: Vec<ManifestFile>,
}

impl Manifest {
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// The backup file, whose pages are handed to the disk as they are written (every 32 MiB, on
/// Linux) instead of all at the final `fsync`: the disk works while the next files are read and
/// hashed, so the backup costs little more than copying the files.
struct EarlyWriteback {
    file: File,
    written: u64,
    started: u64,
}

impl EarlyWriteback {
    const STEP: u64 = 32 << 20;

    fn new(file: File) -> Self {
        EarlyWriteback { file, written: 0, started: 0 }
    }
}

impl Write for EarlyWriteback {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= Self::STEP {
            #[cfg(target_os = "linux")]
            {
                use std::os::fd::AsRawFd;
                // SAFETY: a valid open descriptor and a range of it; the call only starts
                // write-out of those pages and reads no memory of ours.
                unsafe {
                    libc::sync_file_range(
                        self.file.as_raw_fd(),
                        self.started as i64,
                        (self.written - self.started) as i64,
                        libc::SYNC_FILE_RANGE_WRITE,
                    );
                }
            }
            self.started = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// A reader that counts, and hashes unless told not to, what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: Option<Sha256>,
    size: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = &mut self.hasher {
            h.update(&buf[..n]);
        }
        self.size += n as u64;
        Ok(n)
    }
}

/// Appends a file; its SHA-256 is computed on the way, or taken as `known` (a vault file's name)
/// when the backup will be read back and checked against it before it counts.
fn append_file(
    tar: &mut tar::Builder<impl Write>,
    name: &str,
    path: &Path,
    known: Option<&str>,
) -> Result<ManifestFile> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    let mut reader =
        Hashing { inner: BufReader::with_capacity(1 << 20, file), hasher: known.is_none().then(Sha256::new), size: 0 };
    tar.append_data(&mut header, name, &mut reader)?;
    if reader.size != size {
        return Err(Error::invalid("backup", Rule::Altered));
    }
    let sha256 = match (reader.hasher, known) {
        (Some(h), _) => hex(&h.finalize()),
        (None, known) => known.unwrap_or_default().to_string(),
    };
    Ok(ManifestFile { path: name.to_string(), sha256, size })
}

/// Writes a backup of `store` to `dest` (checked by reading it back unless `read_back` is
/// false) and remembers it as the last good backup, which the home view reports.
pub fn make(store: &mut Store, dest: &Path, read_back: bool, progress: impl FnMut(usize, usize)) -> Result<Manifest> {
    let manifest = create(store, dest, read_back, progress)?;
    let last = LastBackup {
        path: dest.display().to_string(),
        at: manifest.created_at.clone(),
        files: manifest.files.len(),
        bytes: manifest.bytes(),
    };
    store.set_setting(LAST_BACKUP, &serde_json::to_string(&last)?)?;
    Ok(manifest)
}

/// The last backup written and checked, if any.
pub fn last_backup(store: &Store) -> Result<Option<LastBackup>> {
    Ok(store.setting(LAST_BACKUP)?.and_then(|j| serde_json::from_str(&j).ok()))
}

const LAST_BACKUP: &str = "last_backup";

/// Removes what interrupted writes of this database's Taawun left (a killed backup's parts in
/// the automatic backups' folder, a killed restore's folder beside the data folder, a killed
/// attach's parts in the vault), never what a live writer is writing; run at the app's start.
/// Returns what was removed (each also said in the log).
pub fn sweep_leftovers(store: &Store) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    if let Ok(vault) = store.vault() {
        removed.extend(parts::sweep(&vault.root().join("tmp")));
    }
    if let Some(data) = store.path().and_then(Path::parent).filter(|d| !d.as_os_str().is_empty()) {
        if let Some(parent) = data.parent().filter(|d| !d.as_os_str().is_empty()) {
            removed.extend(parts::sweep(parent));
        }
    }
    if let Ok(settings) = rolling::settings(store) {
        removed.extend(parts::sweep(&rolling::folder(store, &settings)));
    }
    removed
}

/// The last backup written and checked.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct LastBackup {
    pub path: String,
    pub at: String,
    pub files: usize,
    pub bytes: u64,
}

/// Writes a backup of the store (database and vault) to `dest`. With `read_back`, the written
/// file is read through and checked (`verify`) before it replaces anything at `dest` — the vault
/// files are then hashed once, by that check, against their names; without it, they are hashed
/// on the way in. `progress` gets (done, total) files.
/// The database copied to `dest` as it is at one moment: every page in one step, inside one read
/// transaction. The window writes meanwhile on its own connection (WAL lets it); copied a
/// hundred pages at a time, as `Connection::backup` does, each of its writes would start the
/// copy over, and a busy window would keep a backup from ever ending.
fn snapshot_of(conn: &rusqlite::Connection, dest: &Path) -> Result<()> {
    use rusqlite::backup::{Backup, StepResult};
    let mut to = rusqlite::Connection::open(dest)?;
    let copy = Backup::new(conn, &mut to)?;
    match copy.step(-1)? {
        StepResult::Done => Ok(()),
        // A source that cannot be read at this moment (a writer changing the journal mode).
        _ => Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        ))),
    }
}

pub fn create(store: &Store, dest: &Path, read_back: bool, mut progress: impl FnMut(usize, usize)) -> Result<Manifest> {
    if dest.as_os_str() != crate::output::STDOUT {
        // A backup's folder (the rolling backups', a new one on a USB drive) is made if needed.
        let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(dir)?;
    }
    // The backup is written and checked as a part (beside it, or in the temporary folder for a
    // stream), then put in place (see `crate::output`); the database's snapshot is a part too.
    let output = crate::output::Output::create(dest)?;
    let tmp = output.part().to_path_buf();
    let snapshot = output.other_part("taawun-db-part");
    let _snapshot_removed = parts::RemoveOnDrop(snapshot.clone());
    let manifest = (|| -> Result<Manifest> {
        snapshot_of(store.conn(), &snapshot)?;
        let vault = store.vault()?;
        let referenced = store.referenced_files()?;
        let files: Vec<String> = vault.contents()?.into_iter().filter(|h| referenced.contains(h)).collect();
        let total = files.len() + 1;
        let out = File::create(&tmp)?;
        let mut tar = tar::Builder::new(BufWriter::with_capacity(1 << 20, EarlyWriteback::new(out)));
        let mut manifest = Manifest {
            format: FORMAT,
            app: format!("Taawun {}", env!("CARGO_PKG_VERSION")),
            schema_version: migrations::version(store.conn())?,
            created_at: crate::calendar::now_stamp(),
            files: Vec::with_capacity(total),
        };
        manifest.files.push(append_file(&mut tar, DB_ENTRY, &snapshot, None)?);
        progress(1, total);
        for (i, sha) in files.iter().enumerate() {
            let entry = append_file(
                &mut tar,
                &format!("vault/sha256/{}/{sha}", &sha[..2]),
                &vault.path_of(sha),
                read_back.then_some(sha.as_str()),
            )?;
            if entry.sha256 != *sha {
                // A vault file altered on disk is not carried into a backup as if it were good.
                return Err(Error::invalid("backup", Rule::Altered));
            }
            manifest.files.push(entry);
            progress(i + 2, total);
        }
        let json = serde_json::to_vec_pretty(&manifest)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(json.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        tar.append_data(&mut header, MANIFEST, json.as_slice())?;
        let out = tar.into_inner()?.into_inner().map_err(|e| e.into_error())?.file;
        out.sync_all()?;
        drop(out);
        if read_back {
            // A vault file altered on disk fails here, against its name, and nothing is replaced.
            verify(&tmp).map_err(|e| {
                if e.code() == "schema_too_new" {
                    e
                } else {
                    Error::invalid("backup", Rule::Altered)
                }
            })?;
        }
        Ok(manifest)
    })()?;
    output.commit()?;
    Ok(manifest)
}

/// Reads a backup through: every file hashed against the manifest, vault files against their
/// names, the database checked. With `unpack_to`, the files are also written there; without, the
/// check writes nothing anywhere (the database is checked in memory), so a backup on a full or a
/// read-only disk is verified all the same. A file that is not a whole backup is
/// `BackupDamaged`, naming the entry and the byte where it went wrong.
fn read_through(path: &Path, unpack_to: Option<&Path>) -> Result<Manifest> {
    let damaged = |entry: &str, offset: u64| Error::BackupDamaged {
        path: path.to_path_buf(),
        entry: entry.to_string(),
        offset,
        to: None,
    };
    let file = File::open(path).map_err(|_| Error::invalid("backup", Rule::Unreadable))?;
    let mut archive = tar::Archive::new(BufReader::with_capacity(1 << 20, file));
    // (sha256, size, where the entry starts, where its data starts) of every file read.
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    let mut manifest: Option<Manifest> = None;
    let mut in_memory: Option<rusqlite::Connection> = None;
    // Where the last whole entry ended: a truncated file goes wrong there.
    let mut end = 0u64;
    for entry in archive.entries().map_err(|_| damaged("", 0))? {
        let mut entry = entry.map_err(|_| damaged("", end))?;
        let start = entry.raw_header_position();
        let name = entry.path().map_err(|_| damaged("", start))?.to_string_lossy().into_owned();
        if name.contains("..") || name.starts_with('/') {
            return Err(damaged(&name, start));
        }
        let data_at = entry.raw_file_position();
        if name == MANIFEST {
            let mut text = Vec::new();
            entry.read_to_end(&mut text).map_err(|_| damaged(&name, data_at + text.len() as u64))?;
            manifest = Some(serde_json::from_slice(&text).map_err(|_| damaged(&name, data_at))?);
            end = data_at + text.len() as u64;
            continue;
        }
        let expected = entry.size();
        let mut reading = Hashing { inner: &mut entry, hasher: Some(Sha256::new()), size: 0 };
        match unpack_to {
            Some(dir) => unpack(&mut reading, &dir.join(&name)).map_err(|e| match e {
                Unpacked::Cut => damaged(&name, data_at + reading.size),
                Unpacked::Failed(e) => e,
            })?,
            None if name == DB_ENTRY => {
                let mut conn = rusqlite::Connection::open_in_memory()?;
                let mut rollback = RollbackJournal { inner: &mut reading, at: 0 };
                conn.deserialize_read_exact(rusqlite::MAIN_DB, &mut rollback, expected as usize, true)
                    .map_err(|_| damaged(&name, data_at + reading.size))?;
                in_memory = Some(conn);
            }
            None => {
                std::io::copy(&mut reading, &mut std::io::sink())
                    .map_err(|_| damaged(&name, data_at + reading.size))?;
            }
        }
        let size = reading.size;
        if size < expected {
            // The archive ends inside this entry.
            return Err(damaged(&name, data_at + size));
        }
        end = data_at + size;
        let sha256 = reading.hasher.take().map(|h| hex(&h.finalize())).unwrap_or_default();
        seen.insert(name, Seen { sha256, size, start, data_at });
    }
    // A backup ends with its manifest: without one, it was cut short.
    let manifest = manifest.ok_or_else(|| damaged(MANIFEST, end))?;
    if manifest.format > FORMAT {
        return Err(Error::SchemaTooNew { found: i64::from(manifest.format), supported: i64::from(FORMAT) });
    }
    check_entries(&manifest, &seen, end, path)?;
    // The database: one this Taawun can read, and whole.
    let db_at = seen.get(DB_ENTRY).map(|s| s.start).unwrap_or(0);
    let conn = match (in_memory, unpack_to) {
        (Some(conn), _) => conn,
        (None, Some(dir)) => {
            rusqlite::Connection::open_with_flags(dir.join(DB_ENTRY), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .map_err(|_| damaged(DB_ENTRY, db_at))?
        }
        (None, None) => return Err(damaged(DB_ENTRY, end)),
    };
    migrations::check_version(&conn).map_err(|e| match e {
        Error::SchemaTooNew { .. } => e,
        _ => damaged(DB_ENTRY, db_at),
    })?;
    let ok: String =
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|_| damaged(DB_ENTRY, db_at))?;
    if ok != "ok" {
        return Err(damaged(DB_ENTRY, db_at));
    }
    drop(conn);
    if let Some(dir) = unpack_to {
        remove_empty_wal(&dir.join(DB_ENTRY));
    }
    Ok(manifest)
}

/// An entry as read: its hash and size, where its header and its data start.
struct Seen {
    sha256: String,
    size: u64,
    start: u64,
    data_at: u64,
}

/// Every file the manifest names was read, at its size and hash (a vault file's name is its
/// hash too), and nothing else was.
fn check_entries(manifest: &Manifest, seen: &BTreeMap<String, Seen>, end: u64, path: &Path) -> Result<()> {
    let damaged = |entry: &str, offset: u64, to: Option<u64>| Error::BackupDamaged {
        path: path.to_path_buf(),
        entry: entry.to_string(),
        offset,
        to,
    };
    for f in &manifest.files {
        match seen.get(&f.path) {
            None => return Err(damaged(&f.path, end, None)),
            Some(s) if s.size != f.size => return Err(damaged(&f.path, s.start, None)),
            // Read whole, and not what was written: damaged somewhere in its bytes.
            Some(s) if s.sha256 != f.sha256 => return Err(damaged(&f.path, s.data_at, Some(s.data_at + s.size))),
            Some(s) => {
                if f.path.strip_prefix("vault/sha256/").is_some_and(|name| !name.ends_with(&f.sha256)) {
                    return Err(damaged(&f.path, s.start, None));
                }
            }
        }
    }
    if let Some((extra, s)) = seen.iter().find(|(name, _)| !manifest.files.iter().any(|f| &f.path == *name)) {
        return Err(damaged(extra, s.start, None));
    }
    Ok(())
}

/// A database file read as if in rollback-journal mode: SQLite cannot open a database in WAL mode
/// from memory, so the header's two version bytes (offsets 18 and 19: 2 for WAL) read 1. The
/// hash is taken below, of the bytes as they are.
struct RollbackJournal<'r, R: Read> {
    inner: &'r mut R,
    at: u64,
}

impl<R: Read> Read for RollbackJournal<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, byte) in buf[..n].iter_mut().enumerate() {
            if matches!(self.at + i as u64, 18 | 19) && *byte == 2 {
                *byte = 1;
            }
        }
        self.at += n as u64;
        Ok(n)
    }
}

/// Why an entry was not unpacked: the archive ends inside it, or writing it failed.
enum Unpacked {
    Cut,
    Failed(Error),
}

/// Writes an entry's data to `target` (its folders made), flushed to the disk.
fn unpack(reading: &mut impl Read, target: &Path) -> std::result::Result<(), Unpacked> {
    let failed = |e: std::io::Error| Unpacked::Failed(e.into());
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(failed)?;
    }
    let mut out = BufWriter::new(File::create(target).map_err(failed)?);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reading.read(&mut buf).map_err(|_| Unpacked::Cut)?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n]).map_err(failed)?;
    }
    out.into_inner().map_err(|e| failed(e.into_error()))?.sync_all().map_err(failed)
}

/// A read-only connection to a database in WAL mode leaves an empty `-wal` and its `-shm` beside
/// it when it closes (it may not checkpoint): they hold nothing of the database, written whole,
/// and would stay under the old name once a restored `taawun.db` is renamed `custom.db`.
fn remove_empty_wal(db: &Path) {
    let wal = crate::store::sidecar(db, "-wal");
    if fs::metadata(&wal).map(|m| m.len() == 0).unwrap_or(true) {
        let _ = fs::remove_file(&wal);
        let _ = fs::remove_file(crate::store::sidecar(db, "-shm"));
    }
}

/// Whether `path` is a whole backup as far as its headers tell: every file its manifest names is
/// there at its size, and the manifest is its last entry. Reads the headers only (seeking over
/// the contents), so the rolling backups can tell their complete backups from cut ones cheaply;
/// `verify` is the full check.
pub fn is_complete(path: &Path) -> bool {
    let Ok(file) = File::open(path) else { return false };
    let mut archive = tar::Archive::new(file);
    let Ok(entries) = archive.entries_with_seek() else { return false };
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    let mut manifest: Option<Manifest> = None;
    for entry in entries {
        let Ok(mut entry) = entry else { return false };
        let Ok(name) = entry.path().map(|p| p.to_string_lossy().into_owned()) else { return false };
        if name == MANIFEST {
            let mut text = Vec::new();
            if entry.read_to_end(&mut text).is_err() {
                return false;
            }
            manifest = serde_json::from_slice(&text).ok();
        } else {
            if manifest.is_some() {
                return false;
            }
            sizes.insert(name, entry.size());
        }
    }
    let Ok(len) = fs::metadata(path).map(|m| m.len()) else { return false };
    len % 512 == 0
        && manifest.is_some_and(|m| {
            m.files.len() == sizes.len() && m.files.iter().all(|f| sizes.get(&f.path) == Some(&f.size))
        })
}

/// Checks a backup file completely without unpacking it anywhere that matters.
pub fn verify(path: &Path) -> Result<Manifest> {
    read_through(path, None)
}

/// What a restore did.
#[derive(Clone, Debug, Serialize)]
pub struct Restored {
    pub manifest: Manifest,
    /// The data folder restored (the folder of the database file).
    pub into: PathBuf,
    /// The database file restored, as it was named.
    pub db: PathBuf,
    /// Where the data folder that was there before now is (kept until the user removes it).
    pub previous: Option<PathBuf>,
}

/// Restores a backup into the database file `db` and its data folder (the folder holding `db`
/// and its vault), keeping the file's own name (`custom.db` stays `custom.db`). The backup is
/// checked while it is unpacked into a new folder beside the data folder; only then is the old
/// folder renamed aside (under a name no earlier restore took) and the new one put in its place.
/// Refused while Taawun has `db` open. Nothing of a refused or failed restore stays behind.
pub fn restore(path: &Path, db: &Path) -> Result<Restored> {
    let name = db.file_name().ok_or_else(|| Error::invalid("file", Rule::Required))?.to_owned();
    let into = db.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let parent = into.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    // Taawun open on this database holds its lock: nothing may be swapped under it.
    let guard = if db.exists() {
        let mut current = Store::open(db)?;
        current.acquire_app_lock()?;
        Some(current)
    } else {
        None
    };
    // What killed restores left here goes first (never a live restore's folder).
    parts::sweep(parent);
    let owner = parts::Owner::claim(parent)?;
    let staging = parts::RemoveOnDrop(owner.part("taawun-restoring"));
    let manifest = read_through(path, Some(&staging.0))?;
    if name != DB_ENTRY {
        fs::rename(staging.0.join(DB_ENTRY), staging.0.join(&name))?;
    }
    fs::create_dir_all(staging.0.join("vault/tmp"))?;
    drop(guard);
    let previous = if into.exists() {
        let aside = unused_name(parent, &into);
        fs::rename(&into, &aside)?;
        Some(aside)
    } else {
        None
    };
    if let Err(e) = fs::rename(&staging.0, &into) {
        // Put the previous folder back: nothing is lost.
        if let Some(p) = &previous {
            let _ = fs::rename(p, &into);
        }
        return Err(e.into());
    }
    crate::platform::sync_dir(parent)?;
    drop(staging);
    drop(owner);
    Ok(Restored { manifest, db: into.join(&name), into, previous })
}

/// `FOLDER.before-restore-YYYYMMDD-HHMMSS` beside `folder`, with `-2`, `-3`... when a restore
/// in the same second took that name.
fn unused_name(parent: &Path, folder: &Path) -> PathBuf {
    let base = format!(
        "{}.before-restore-{}",
        folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "taawun".into()),
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    let mut candidate = parent.join(&base);
    let mut n = 2;
    while candidate.exists() {
        candidate = parent.join(format!("{base}-{n}"));
        n += 1;
    }
    candidate
}
