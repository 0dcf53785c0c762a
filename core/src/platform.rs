//! What differs between Linux, macOS and Windows in how Taawun keeps files safe, written once
//! each (docs/platforms.md reviews every file-system and process assumption).
//!
//! A rename is durable on Linux and macOS only once the folder holding it is flushed, so every
//! "write a temporary file, flush it, rename it into place" ends with `sync_dir`. Windows has no
//! folder flush (a folder cannot be opened as a file there) and NTFS journals the rename itself
//! once the file's own data is flushed: there `sync_dir` has nothing to do. The policy is a value
//! so that both paths run in the tests on any machine.
//!
//! The platform's error numbers are read here too (`is_no_room`, `is_in_use`), for `crate::error`
//! to say what they mean; this module sits below it and speaks `std::io`.

use std::io::Result;
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

/// Whether a system error number says there is no room: the disk is full, a quota or the
/// largest file size is reached. The numbers are the platform's own: on Linux ENOSPC 28, EFBIG 27,
/// EDQUOT 122; on macOS EDQUOT is 69; on Windows ERROR_HANDLE_DISK_FULL 39 and ERROR_DISK_FULL
/// 112 (and 122 there means "insufficient buffer", no full disk).
pub fn is_no_room(errno: i32) -> bool {
    if cfg!(windows) {
        matches!(errno, 39 | 112)
    } else if cfg!(target_os = "macos") {
        matches!(errno, 28 | 27 | 69)
    } else {
        matches!(errno, 28 | 27 | 122)
    }
}

/// Whether a system error number says another program holds the file open in a way that forbids
/// this (Windows: ERROR_SHARING_VIOLATION 32, ERROR_LOCK_VIOLATION 33, a PDF open in a viewer or
/// an export in Excel). Unix lets a file be replaced while it is open.
pub fn is_in_use(errno: i32) -> bool {
    cfg!(windows) && matches!(errno, 32 | 33)
}

/// The error of a rename over `target`, said as the system means it. Windows refuses to replace
/// a file another program holds open without letting it be deleted (a PDF in a viewer, an export
/// in Excel) with "access denied", the same words as a folder one may not write in; the target is
/// then opened for writing (which changes nothing) to tell the two apart: a sharing violation
/// there is the file in use. Elsewhere the error is as it came.
pub fn replace_error(e: std::io::Error, target: &std::path::Path) -> std::io::Error {
    if cfg!(windows) && e.kind() == std::io::ErrorKind::PermissionDenied {
        if let Err(held) = std::fs::OpenOptions::new().write(true).open(target) {
            if held.raw_os_error().is_some_and(is_in_use) {
                return held;
            }
        }
    }
    e
}

/// Whether writing to a pipe failed because its reader went away (`taawun-cli … | head -1`):
/// EPIPE everywhere std knows it; on Windows also ERROR_PIPE_NOT_CONNECTED 233, which std does
/// not count as a broken pipe (ERROR_BROKEN_PIPE 109 and ERROR_NO_DATA 232 it does; 233 is what
/// Wine gives, seen with `| head -1`).
pub fn is_closed_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe || (cfg!(windows) && e.raw_os_error() == Some(233))
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

    #[test]
    fn a_full_disk_is_told_by_this_platform_s_numbers() {
        if cfg!(windows) {
            assert!(is_no_room(112) && is_no_room(39) && !is_no_room(122) && !is_no_room(28));
            assert!(is_in_use(32));
        } else {
            assert!(is_no_room(28) && is_no_room(27) && !is_no_room(112) && !is_in_use(32));
        }
    }
}
