//! What differs between Linux, macOS and Windows in how Taawun keeps files safe, written once
//! each (docs/platforms.md reviews every file-system and process assumption).
//!
//! A rename is durable on Linux and macOS only once the folder holding it is flushed, so every
//! "write a temporary file, flush it, rename it into place" ends with `sync_dir`. Windows has no
//! folder flush (a folder cannot be opened as a file there) and NTFS journals the rename itself
//! once the file's own data is flushed: there `sync_dir` has nothing to do. The policy is a value
//! so that both paths run in the tests on any machine.

use crate::error::Result;
use std::path::Path;

/// How a folder is made durable after a rename in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirSync {
    /// Open the folder and flush it (Unix: Linux, macOS).
    Flush,
    /// Nothing to do: the file system journals the rename (Windows, NTFS).
    Journaled,
}

/// This platform's policy.
pub const DIR_SYNC: DirSync = if cfg!(windows) { DirSync::Journaled } else { DirSync::Flush };

/// Makes the renames done in `dir` durable, as this platform needs.
pub fn sync_dir(dir: &Path) -> Result<()> {
    sync_dir_with(DIR_SYNC, dir)
}

/// `sync_dir` under a given policy.
pub fn sync_dir_with(policy: DirSync, dir: &Path) -> Result<()> {
    match policy {
        DirSync::Flush => std::fs::File::open(dir)?.sync_all()?,
        DirSync::Journaled => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_policies_run_here() {
        let dir = tempfile::tempdir().unwrap();
        // Flushing opens the folder (Unix only: Windows cannot open a folder as a file); the
        // journaled path never touches it, so it runs on every machine, with or without it.
        #[cfg(unix)]
        {
            sync_dir_with(DirSync::Flush, dir.path()).unwrap();
            assert!(sync_dir_with(DirSync::Flush, &dir.path().join("gone")).is_err());
        }
        sync_dir_with(DirSync::Journaled, dir.path()).unwrap();
        sync_dir_with(DirSync::Journaled, &dir.path().join("gone")).unwrap();
        sync_dir(dir.path()).unwrap();
        assert_eq!(DIR_SYNC, if cfg!(windows) { DirSync::Journaled } else { DirSync::Flush });
    }
}
