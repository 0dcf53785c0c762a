//! Backups: make one, check one, restore one into the data folder, and the automatic rolling
//! backups. Checking and restoring a file run before any database is opened.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use std::path::{Path, PathBuf};
use taawun_core::i18n::{tr, tr_args};
use taawun_core::{Error, Lang, Result};

/// `backup -o FILE` or `backup auto ...` (`backup verify` runs before the store is opened).
pub(crate) fn backup(cx: &mut Ctx, a: BackupArgs) -> Result<()> {
    match a.action {
        Some(BackupAction::Auto { enable, disable, folder, keep, now }) => auto(cx, enable, disable, folder, keep, now),
        Some(BackupAction::Verify { .. }) => unreachable!("`backup verify` runs before the store is opened (main.rs)"),
        None => make(cx, a.output, a.no_verify),
    }
}

fn auto(
    cx: &mut Ctx,
    enable: bool,
    disable: bool,
    folder: Option<String>,
    keep: Option<usize>,
    now: bool,
) -> Result<()> {
    use taawun_core::backup::rolling;
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    if enable || disable || folder.is_some() || keep.is_some() {
        let mut settings = rolling::settings(store)?;
        settings.enabled = if enable {
            true
        } else if disable {
            false
        } else {
            settings.enabled
        };
        settings.folder = folder.unwrap_or(settings.folder);
        settings.keep = keep.unwrap_or(settings.keep);
        rolling::set_settings(store, settings)?;
    }
    if now {
        rolling::run(store, chrono::Utc::now(), |_, _| {})?;
    }
    let status = rolling::status(store)?;
    print(json, &status, || {
        let mut out = tr_args(
            lang,
            "cli.auto_backup",
            &[
                ("state", &tr(lang, if status.settings.enabled { "cli.switched_on" } else { "cli.switched_off" })),
                ("folder", &status.folder),
                ("keep", &status.settings.keep.to_string()),
            ],
        );
        if let Some((at, e)) = status.state.unresolved_failure() {
            out.push_str(&format!("\n{}", tr_args(lang, "home.auto_backup_failed", &[("date", at), ("error", e)])));
        }
        for b in &status.backups {
            out.push_str(&format!("\n  {b}"));
        }
        out
    })?;
    Ok(())
}

fn make(cx: &mut Ctx, output: Option<PathBuf>, no_verify: bool) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let output = output.ok_or_else(|| Error::invalid("file", taawun_core::error::Rule::Required))?;
    let m = taawun_core::backup::make(store, &output, !no_verify, |_, _| {})?;
    print(json, &m, || {
        tr_args(
            lang,
            "cli.backup_made",
            &[
                ("path", &output.display().to_string()),
                ("files", &taawun_core::plural::counted(lang, "file", m.files.len() as u64)),
                ("bytes", &m.bytes().to_string()),
            ],
        )
    })?;
    Ok(())
}

/// Reads a backup through and checks every file against its manifest.
pub(crate) fn verify(file: &Path, lang: Lang, json: bool) -> Result<()> {
    let m = taawun_core::backup::verify(file)?;
    print(json, &m, || {
        tr_args(
            lang,
            "cli.backup_ok",
            &[
                ("files", &taawun_core::plural::counted(lang, "file", m.files.len() as u64)),
                ("bytes", &m.bytes().to_string()),
                ("date", &m.created_at),
            ],
        )
    })
}

/// Restores a backup file into the database named by --db (or the same file name in `into`).
pub(crate) fn restore(file: &Path, into: Option<PathBuf>, db: &Path, lang: Lang, json: bool) -> Result<()> {
    let db = match into {
        Some(dir) => dir.join(db.file_name().unwrap_or("taawun.db".as_ref())),
        None => db.to_path_buf(),
    };
    let r = taawun_core::backup::restore(file, &db)?;
    print(json, &r, || {
        tr_args(
            lang,
            "cli.restored_backup",
            &[
                ("into", &r.into.display().to_string()),
                ("files", &taawun_core::plural::counted(lang, "file", r.manifest.files.len() as u64)),
                ("previous", &r.previous.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "—".into())),
            ],
        )
    })
}
