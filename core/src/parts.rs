//! Part files: what a writer leaves on disk while it works (a backup being written and its
//! database snapshot, a backup's check, a restore being unpacked, a document entering the vault),
//! and the sweep that removes them once their writer is gone, so that a crash or `kill -9` at any
//! moment leaves nothing behind for good — on a USB drive least of all.
//!
//! A writer first claims an `Owner` in the folder where its parts go: a file `.ID.taawun-owner`
//! that it keeps locked (an advisory lock the system drops when the process dies) until its parts
//! are renamed into place or removed. Its parts are named `.ID.WHAT`. `sweep` removes the parts
//! whose owner lock is free, and never those of a live writer, in this process or another. Parts
//! of a Taawun from before owners (`.UUID.taawun-…-part`, `.taawun-verify…`, `vault/tmp/UUID.part`)
//! have no owner: they are removed once nothing has written to them for `UNOWNED_GRACE`.
//! What a sweep removes is said on standard error, the application's log.

use crate::error::Result;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const OWNER: &str = "taawun-owner";
/// An empty owner file this young may belong to a writer that has created it and not yet locked it.
const CLAIM_GRACE: Duration = Duration::from_secs(30);
/// Parts without an owner file (an older Taawun) untouched this long are leftovers.
pub const UNOWNED_GRACE: Duration = Duration::from_secs(3600);

/// A writer's claim on its part files in one folder, held until dropped.
#[derive(Debug)]
pub struct Owner {
    dir: PathBuf,
    id: String,
    lock: Option<File>,
}

impl Owner {
    /// Claims a new owner in `dir` (created if needed).
    pub fn claim(dir: &Path) -> Result<Owner> {
        fs::create_dir_all(dir)?;
        let id = uuid::Uuid::new_v4().to_string();
        let path = dir.join(format!(".{id}.{OWNER}"));
        let mut file = File::options().write(true).create_new(true).open(&path)?;
        let claimed = (|| -> std::io::Result<()> {
            // Blocking: a sweep may hold the lock for the instant it takes to test it.
            file.lock()?;
            // Written once locked: an owner file with content was locked by its writer, so a free
            // lock on it means the writer is gone (an empty one may be a claim not yet locked).
            std::io::Write::write_all(&mut file, std::process::id().to_string().as_bytes())
        })();
        if let Err(e) = claimed {
            // A full disk: the claim leaves nothing behind.
            drop(file);
            let _ = fs::remove_file(&path);
            return Err(e.into());
        }
        Ok(Owner { dir: dir.to_path_buf(), id, lock: Some(file) })
    }

    /// The path of this writer's part `what` (e.g. `taawun-backup-part`).
    pub fn part(&self, what: &str) -> PathBuf {
        self.dir.join(format!(".{}.{what}", self.id))
    }
}

impl Drop for Owner {
    /// Gives the claim up. The writer's parts are renamed or removed by then; the owner file goes
    /// after its handle is closed (Windows cannot remove an open file).
    fn drop(&mut self) {
        drop(self.lock.take());
        let _ = fs::remove_file(self.dir.join(format!(".{}.{OWNER}", self.id)));
    }
}

/// A part removed (file or folder) when this goes out of scope, whatever happened.
pub struct RemoveOnDrop(pub PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = if self.0.is_dir() { fs::remove_dir_all(&self.0) } else { fs::remove_file(&self.0) };
    }
}

/// The id of a part or owner name `.ID.WHAT` (ID a UUID, WHAT starting with `taawun-`).
fn owned_id(name: &str) -> Option<&str> {
    let rest = name.strip_prefix('.')?;
    let (id, what) = rest.split_once('.')?;
    (uuid::Uuid::parse_str(id).is_ok() && what.starts_with("taawun-")).then_some(id)
}

/// Whether `name` in `dir` is a part left by a Taawun from before owners: `.UUID.taawun-…`
/// without its owner file, `.taawun-verify…`, and `UUID.part` in a vault's `tmp` folder only (the
/// one place the old Taawun wrote them; elsewhere such a name may be another program's file).
fn is_unowned_part(dir: &Path, name: &str) -> bool {
    let in_vault_tmp = dir.file_name().is_some_and(|n| n == "tmp")
        && dir.parent().and_then(Path::file_name).is_some_and(|n| n == "vault");
    owned_id(name).is_some()
        || name.starts_with(".taawun-verify")
        || (in_vault_tmp && name.strip_suffix(".part").is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()))
}

fn untouched_for(path: &Path, grace: Duration) -> bool {
    let modified = fs::symlink_metadata(path).and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH);
    SystemTime::now().duration_since(modified).is_ok_and(|age| age >= grace)
}

/// What the owner `id` in `dir` says of its parts: `Some(true)` gone (its lock free; an empty
/// file only once it is old enough not to be a claim being made right now), `Some(false)` at
/// work, `None` no owner file (a part of a Taawun from before owners).
fn owner_gone(dir: &Path, id: &str) -> Option<bool> {
    let path = dir.join(format!(".{id}.{OWNER}"));
    let file = File::options().read(true).write(true).open(&path).ok()?;
    Some(match file.try_lock() {
        Ok(()) => file.metadata().is_ok_and(|m| m.len() > 0) || untouched_for(&path, CLAIM_GRACE),
        Err(_) => false,
    })
}

/// The leftovers in `dir` (not recursive): parts and owner files of writers that are gone, and
/// old unowned parts. Nothing is removed.
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            let Some(name) = name.to_str() else { return false };
            match owned_id(name).and_then(|id| owner_gone(dir, id)) {
                Some(gone) => gone,
                None => is_unowned_part(dir, name) && untouched_for(&e.path(), UNOWNED_GRACE),
            }
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Removes the leftovers of `dir` (see `leftovers`) and says so in the log; returns what went.
pub fn sweep(dir: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for path in leftovers(dir) {
        let gone = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        if gone.is_ok() {
            eprintln!("taawun: removed a leftover of an interrupted write: {}", path.display());
            removed.push(path);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn age(path: &Path, by: Duration) {
        let t = SystemTime::now() - by;
        File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
    }

    #[test]
    fn a_live_writers_parts_stay_a_gone_writers_go() {
        let dir = tempfile::tempdir().unwrap();
        let live = Owner::claim(dir.path()).unwrap();
        fs::write(live.part("taawun-backup-part"), b"live").unwrap();
        // A writer that died: its owner file is there (written once it was locked), unlocked.
        let dead_id = uuid::Uuid::new_v4();
        let dead_owner = dir.path().join(format!(".{dead_id}.{OWNER}"));
        fs::write(&dead_owner, b"4242").unwrap();
        let dead_part = dir.path().join(format!(".{dead_id}.taawun-db-part"));
        fs::write(&dead_part, b"dead").unwrap();
        fs::create_dir(dir.path().join(format!(".{dead_id}.taawun-restoring"))).unwrap();
        // A part whose owner file is missing altogether (an older Taawun's): kept while fresh,
        // swept once untouched for the grace.
        let fresh_orphan = dir.path().join(format!(".{}.taawun-backup-part", uuid::Uuid::new_v4()));
        fs::write(&fresh_orphan, b"orphan").unwrap();
        let orphan = dir.path().join(format!(".{}.taawun-backup-part", uuid::Uuid::new_v4()));
        fs::write(&orphan, b"orphan").unwrap();
        age(&orphan, UNOWNED_GRACE * 2);
        // Another program's file that looks like an old vault part, outside a vault's tmp.
        let foreign = dir.path().join(format!("{}.part", uuid::Uuid::new_v4()));
        fs::write(&foreign, b"a download").unwrap();
        age(&foreign, UNOWNED_GRACE * 2);
        // Not Taawun's: never touched.
        fs::write(dir.path().join(".hidden-notes"), b"mine").unwrap();
        fs::write(dir.path().join("taawun-20260101-000000.taawun-backup"), b"a backup").unwrap();

        let removed = sweep(dir.path());
        assert_eq!(removed.len(), 4, "{removed:?}");
        assert!(live.part("taawun-backup-part").exists(), "the live writer's part stays");
        assert!(!dead_part.exists() && !dead_owner.exists() && !orphan.exists());
        assert!(fresh_orphan.exists() && foreign.exists());
        assert!(dir.path().join(".hidden-notes").exists());
        assert!(dir.path().join("taawun-20260101-000000.taawun-backup").exists());
        drop(live);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 5, "the claim is given up on drop");
    }

    #[test]
    fn a_claim_being_made_is_not_taken_for_a_dead_one() {
        let dir = tempfile::tempdir().unwrap();
        let id = uuid::Uuid::new_v4();
        // Created an instant ago, not yet locked (nor written).
        let owner = dir.path().join(format!(".{id}.{OWNER}"));
        fs::write(&owner, b"").unwrap();
        fs::write(dir.path().join(format!(".{id}.taawun-backup-part")), b"").unwrap();
        assert!(leftovers(dir.path()).is_empty());
        // A writer killed between creating and locking it: gone once the grace is over.
        age(&owner, CLAIM_GRACE * 2);
        assert_eq!(leftovers(dir.path()).len(), 2);
    }

    #[test]
    fn unowned_parts_of_an_older_taawun_go_once_untouched() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("vault/tmp");
        fs::create_dir_all(&dir).unwrap();
        let fresh = dir.join(format!("{}.part", uuid::Uuid::new_v4()));
        let old = dir.join(format!("{}.part", uuid::Uuid::new_v4()));
        // The old check's scratch was a folder; a file of that name is judged the same way (and a
        // file's time can be set on every platform, a folder's not on Windows).
        let verify = dir.join(".taawun-verifyAbC123");
        for f in [&fresh, &old, &verify] {
            fs::write(f, b"").unwrap();
        }
        age(&old, UNOWNED_GRACE * 2);
        age(&verify, UNOWNED_GRACE * 2);
        let mut expected = vec![old.clone(), verify.clone()];
        expected.sort();
        assert_eq!(leftovers(&dir), expected);
        assert_eq!(sweep(&dir).len(), 2);
        assert!(fresh.exists());
    }
}
