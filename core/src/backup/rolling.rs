//! Automatic rolling backups: one backup file per run in a folder the officer chooses (a USB
//! drive, a network share; by default `backups/` beside the database), made when the window
//! closes and once a day while it is open, each checked after writing, the oldest beyond the
//! number to keep removed. Only files this module named (`taawun-YYYYMMDD-HHMMSS.taawun-backup`)
//! are ever removed. A failure (the drive unplugged, a full disk) is remembered with its reason
//! so the home view can say so; the previous backups stay as they were.

use super::make;
use crate::error::{Error, Result, Rule};
use crate::store::Store;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const SETTINGS: &str = "backup.auto";
const STATE: &str = "backup.auto.state";
const PREFIX: &str = "taawun-";
const SUFFIX: &str = ".taawun-backup";
/// How long after the last automatic backup the next daily one is due.
pub const DAILY: chrono::Duration = chrono::Duration::hours(24);

/// What the officer chose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoBackup {
    pub enabled: bool,
    /// An absolute folder; empty for `backups/` beside the database.
    pub folder: String,
    /// For how many days (the most recent with a backup) the day's newest backup is kept (1..=365).
    pub keep: usize,
}

impl Default for AutoBackup {
    fn default() -> Self {
        AutoBackup { enabled: true, folder: String::new(), keep: 7 }
    }
}

impl AutoBackup {
    pub fn validate(mut self) -> Result<Self> {
        self.folder = crate::text::line("backup_folder", &self.folder, false)?;
        if !self.folder.is_empty() && !Path::new(&self.folder).is_absolute() {
            return Err(Error::invalid("backup_folder", Rule::UnknownValue));
        }
        if !(1..=365).contains(&self.keep) {
            return Err(Error::invalid("backup_keep", Rule::OutOfRange));
        }
        Ok(self)
    }
}

/// What happened last time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoState {
    /// The last automatic backup written and checked.
    pub last_at: Option<String>,
    pub last_path: Option<String>,
    /// The last attempt that failed after it, with the reason's code and message.
    pub failed_at: Option<String>,
    pub error_code: Option<String>,
    pub error: Option<String>,
    /// The newest history row when the last automatic backup was made (every change writes one).
    pub history_mark: Option<i64>,
}

impl AutoState {
    /// The last attempt's failure, when no automatic backup succeeded since: (when, why).
    pub fn unresolved_failure(&self) -> Option<(&str, &str)> {
        let at = self.failed_at.as_deref()?;
        if self.last_at.as_deref().is_some_and(|last| last >= at) {
            return None;
        }
        Some((at, self.error.as_deref().unwrap_or_default()))
    }
}

/// The settings, the folder they resolve to and the state, as the settings page shows them.
#[derive(Clone, Debug, Serialize)]
pub struct AutoStatus {
    pub settings: AutoBackup,
    pub folder: String,
    pub state: AutoState,
    /// The automatic backups in the folder, newest first.
    pub backups: Vec<String>,
}

pub fn settings(store: &Store) -> Result<AutoBackup> {
    Ok(store.setting(SETTINGS)?.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
}

pub fn set_settings(store: &mut Store, settings: AutoBackup) -> Result<AutoBackup> {
    let settings = settings.validate()?;
    store.set_setting(SETTINGS, &serde_json::to_string(&settings)?)?;
    Ok(settings)
}

pub fn state(store: &Store) -> Result<AutoState> {
    Ok(store.setting(STATE)?.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
}

/// The folder automatic backups go to.
pub fn folder(store: &Store, settings: &AutoBackup) -> PathBuf {
    if settings.folder.is_empty() {
        store.path().and_then(Path::parent).map(|d| d.join("backups")).unwrap_or_else(|| PathBuf::from("backups"))
    } else {
        PathBuf::from(&settings.folder)
    }
}

pub fn status(store: &Store) -> Result<AutoStatus> {
    let settings = settings(store)?;
    let dir = folder(store, &settings);
    let mut backups: Vec<String> = ours(&dir).into_iter().map(|p| p.display().to_string()).collect();
    backups.reverse();
    Ok(AutoStatus { folder: dir.display().to_string(), settings, state: state(store)?, backups })
}

/// Whether the daily backup is due at `now` (enabled, and none made in the last 24 hours).
pub fn due(store: &Store, now: DateTime<Utc>) -> Result<bool> {
    if !settings(store)?.enabled || store.path().is_none() {
        return Ok(false);
    }
    let last = state(store)?.last_at.and_then(|s| DateTime::parse_from_rfc3339(&s).ok()).map(|d| d.with_timezone(&Utc));
    Ok(last.is_none_or(|l| now - l >= DAILY || l > now))
}

/// The newest history row: every change of records, documents, sessions writes one.
fn history_mark(store: &Store) -> Result<Option<i64>> {
    Ok(store.conn().query_row("SELECT max(id) FROM history", [], |r| r.get(0))?)
}

/// Whether anything changed since the last automatic backup (or none was made): the window's
/// exit backup is skipped when nothing did, so opening and closing it adds no copies.
pub fn changed_since_last(store: &Store) -> Result<bool> {
    let st = state(store)?;
    Ok(st.last_at.is_none()
        || st.history_mark != history_mark(store)?
        || st.last_path.as_deref().is_none_or(|p| !Path::new(p).exists()))
}

/// The automatic backups of `dir`, oldest first (their names sort by time).
fn ours(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix(PREFIX).and_then(|r| r.strip_suffix(SUFFIX)).is_some_and(|stamp| {
                    stamp.len() == 15
                        && stamp.as_bytes()[8] == b'-'
                        && stamp.bytes().filter(|b| *b != b'-').all(|b| b.is_ascii_digit())
                })
            })
        })
        .collect();
    found.sort();
    found
}

/// Which automatic backups go: the newest of each day is kept for the `keep` most recent days
/// (so closing the window ten times in a day does not push out last week), the others go.
/// `backups` is oldest first, as `ours` gives them (the one just made last).
fn to_remove(backups: &[PathBuf], keep: usize) -> Vec<&PathBuf> {
    let day = |p: &PathBuf| {
        p.file_name()
            .and_then(|n| n.to_str())
            .map(|n| n[PREFIX.len()..PREFIX.len() + 8].to_string())
            .unwrap_or_default()
    };
    let mut kept_days: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for b in backups.iter().rev() {
        let d = day(b);
        if kept_days.len() < keep && !kept_days.contains(&d) {
            kept_days.push(d);
        } else {
            out.push(b);
        }
    }
    out
}

/// Makes one automatic backup now (whether due or not), checks it, records it as the last good
/// backup, and removes the oldest beyond the number to keep. A failure is recorded and returned.
/// `progress` hears of each file written (done, total), as `make` says it.
pub fn run(store: &mut Store, now: DateTime<Utc>, progress: impl FnMut(usize, usize)) -> Result<PathBuf> {
    let settings = settings(store)?;
    let dir = folder(store, &settings);
    let result = (|| -> Result<PathBuf> {
        if !settings.folder.is_empty() && !dir.is_dir() {
            // A chosen folder that is not there (a drive not plugged in) is not created on the
            // main disk in its place.
            return Err(Error::invalid("backup_folder", Rule::FolderMissing));
        }
        // Named by the time; a name already taken (two runs in one second) moves a second on.
        let mut at = now;
        let mut dest = dir.join(format!("{PREFIX}{}{SUFFIX}", at.format("%Y%m%d-%H%M%S")));
        while dest.exists() {
            at += chrono::Duration::seconds(1);
            dest = dir.join(format!("{PREFIX}{}{SUFFIX}", at.format("%Y%m%d-%H%M%S")));
        }
        make(store, &dest, true, progress)?;
        Ok(dest)
    })();
    let stamp = Some(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let mut st = state(store)?;
    match &result {
        Ok(dest) => {
            st = AutoState {
                last_at: stamp,
                last_path: Some(dest.display().to_string()),
                history_mark: history_mark(store)?,
                ..Default::default()
            };
            // Only whole backups count towards the number kept: a cut one (a drive pulled out
            // while a copy was made by hand) never pushes out a good one, and is left as it is.
            // The one just made is its day's newest, whatever its name: a run in the second of an
            // earlier one was named a second on, and that later name is not a later backup.
            let mut complete: Vec<PathBuf> =
                ours(&dir).into_iter().filter(|b| b != dest && super::is_complete(b)).collect();
            complete.push(dest.clone());
            for old in to_remove(&complete, settings.keep) {
                let _ = std::fs::remove_file(old);
            }
        }
        Err(e) => {
            st.failed_at = stamp;
            st.error_code = Some(e.code());
            st.error = Some(e.message(store.setting("lang")?.and_then(|l| l.parse().ok()).unwrap_or_default()));
        }
    }
    let recorded = store.set_setting(STATE, &serde_json::to_string(&st)?);
    // The backup's own error is the one to report; recording it may fail for the same reason.
    let dest = result?;
    recorded?;
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_of_each_day_for_the_days_kept() {
        let names = [
            "taawun-20261128-090000",
            "taawun-20261129-090000",
            "taawun-20261129-180000",
            "taawun-20261130-080000",
            "taawun-20261130-120000",
            "taawun-20261130-170000",
        ];
        let all: Vec<PathBuf> = names.iter().map(|n| PathBuf::from(format!("/usb/{n}{SUFFIX}"))).collect();
        let gone: Vec<String> =
            to_remove(&all, 2).iter().map(|p| p.file_name().unwrap().to_string_lossy()[7..22].to_string()).collect();
        assert_eq!(gone, ["20261130-120000", "20261130-080000", "20261129-090000", "20261128-090000"]);
        assert_eq!(to_remove(&all, 3).len(), 3, "the 28th stays with three days kept");
    }
}
