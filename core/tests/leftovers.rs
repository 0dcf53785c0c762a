//! Nothing left behind after a crash: `kill -9` during a backup and during an attach, then the
//! next backup, the next attach and the app's start sweep what the killed writers left — and
//! never the part files of a writer still at work. `verify` and `vault gc --dry-run` name the
//! same leftovers `vault gc` removes. A restore goes into the database file that was named, and
//! two restores in one second both work.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use taawun_core::model::*;
use taawun_core::parts::Owner;
use taawun_core::store::Store;

const CLI: &str = env!("CARGO_BIN_EXE_taawun-cli");

fn cli(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(CLI).arg("--db").arg(db).args(args).output().unwrap()
}

/// Files Taawun writes while it works (`.ID.taawun-…`), in `dir`.
fn parts_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n.contains(".taawun-"))
        .collect();
    names.sort();
    names
}

/// Big files, so that a backup or an attach takes long enough to be killed in the middle.
fn scans(dir: &Path, n: u8, size: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    (0..n)
        .map(|i| {
            let p = dir.join(format!("scan-{i}.bin"));
            std::fs::write(&p, vec![i; size]).unwrap();
            p
        })
        .collect()
}

/// Kills `args` after each delay until a kill leaves part files in `dir`; returns them.
fn kill_until_litter(db: &Path, args: &[&std::ffi::OsStr], dir: &Path) -> Vec<String> {
    // Parts already there (a live writer's) are not the killed process's: a kill counts only once
    // it left parts of its own (a loaded machine may kill it before it wrote any).
    let before = parts_in(dir).len();
    for delay in [20u64, 60, 150, 300, 600, 1000] {
        let mut child = Command::new(CLI).arg("--db").arg(db).args(args).stdout(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        let killed = !child.wait().unwrap().success();
        let litter = parts_in(dir);
        if killed && litter.len() > before {
            return litter;
        }
    }
    panic!("no kill landed while parts were on disk: the test proved nothing");
}

#[test]
fn a_killed_backup_leaves_nothing_once_the_next_one_runs_and_a_live_writer_keeps_its_parts() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("data/taawun.db");
    assert!(cli(&db, &["sample"]).status.success());
    let files = scans(root.path(), 30, 4_000_000);
    let mut args = vec!["attach", "--to", "agreement:1"];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    assert!(cli(&db, &args).status.success());

    let usb = root.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    // Another writer at work in the same folder (a second process's backup): its claim and part.
    let live = Owner::claim(&usb).unwrap();
    std::fs::write(live.part("taawun-backup-part"), b"being written").unwrap();
    let live_parts = parts_in(&usb);
    assert_eq!(live_parts.len(), 2);

    let target = usb.join("b.taawun-backup");
    let litter = kill_until_litter(&db, &["backup".as_ref(), "-o".as_ref(), target.as_os_str()], &usb);
    assert!(litter.len() > live_parts.len(), "the killed backup left its parts: {litter:?}");

    let out = cli(&db, &["backup", "-o", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("removed a leftover of an interrupted write"), "said in the log: {log}");
    assert_eq!(parts_in(&usb), live_parts, "the dead writer's parts are gone, the live one's stay");
    assert!(taawun_core::backup::verify(&target).is_ok());
    drop(live);
    assert!(parts_in(&usb).iter().all(|n| n.ends_with("taawun-backup-part")), "the claim is given up");
}

#[test]
fn a_killed_attach_leaves_nothing_once_the_app_starts_or_the_next_attach_runs() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("data/taawun.db");
    assert!(cli(&db, &["sample"]).status.success());
    let tmp = root.path().join("data/vault/tmp");
    let files = scans(root.path(), 40, 3_000_000);
    let mut args: Vec<&std::ffi::OsStr> = vec!["attach".as_ref(), "--to".as_ref(), "agreement:1".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    let litter = kill_until_litter(&db, &args, &tmp);
    assert!(!litter.is_empty());

    // What `verify` and `vault gc --dry-run` say is what `vault gc` does.
    let verify = cli(&db, &["--json", "verify"]);
    let report: serde_json::Value = serde_json::from_slice(&verify.stdout).unwrap();
    let partial: Vec<String> =
        report["partial"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert_eq!(partial, litter.iter().map(|n| format!("tmp/{n}")).collect::<Vec<_>>(), "verify lists them");
    let dry: serde_json::Value =
        serde_json::from_slice(&cli(&db, &["--json", "vault", "gc", "--dry-run"]).stdout).unwrap();
    assert!(parts_in(&tmp) == litter, "a dry run removes nothing");
    let real: serde_json::Value = serde_json::from_slice(&cli(&db, &["--json", "vault", "gc"]).stdout).unwrap();
    assert_eq!(dry["files"], real["files"], "the dry run names what gc removes");
    assert!(dry["files"].as_array().unwrap().len() >= litter.len());
    assert!(parts_in(&tmp).is_empty());

    // Killed again; this time the app's start sweeps (as the window does when it opens), while
    // an attach going on in another process keeps its part.
    let litter = kill_until_litter(&db, &args, &tmp);
    let live = Owner::claim(&tmp).unwrap();
    std::fs::write(live.part("taawun-vault-part"), b"coming in").unwrap();
    let store = Store::open(&db).unwrap();
    let removed = taawun_core::backup::sweep_leftovers(&store);
    assert_eq!(removed.len(), litter.len(), "{removed:?}");
    assert_eq!(parts_in(&tmp).len(), 2, "the live attach's owner and part stay");
    drop(live);

    // And before an attach.
    let _ = kill_until_litter(&db, &args, &tmp);
    let mut store = Store::open(&db).unwrap();
    let one = scans(&root.path().join("one"), 1, 1000);
    let data = DocumentData { kind: DocumentKind::SignedOriginal, ..Default::default() };
    store.attach(Entity::Agreement, 1, &one, data).unwrap();
    assert!(
        parts_in(&tmp).iter().all(|n| n.ends_with("taawun-vault-part")),
        "only the earlier live writer's part (no owner left) remains: {:?}",
        parts_in(&tmp)
    );
}

#[test]
fn a_restore_goes_into_the_database_that_was_named_twice_in_one_second() {
    let root = tempfile::tempdir().unwrap();
    let d = root.path().join("d");
    let db = d.join("custom.db");
    assert!(cli(&db, &["sample"]).status.success());
    let file = root.path().join("b.taawun-backup");
    assert!(cli(&db, &["backup", "-o", file.to_str().unwrap()]).status.success());
    for _ in 0..2 {
        let out = cli(&db, &["restore", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(db.exists() && !d.join("taawun.db").exists(), "restored into custom.db");
    let agreements = cli(&db, &["--json", "list", "agreement"]);
    let page: serde_json::Value = serde_json::from_slice(&agreements.stdout).unwrap();
    assert_eq!(page["total"], 3, "the next command on custom.db sees the restored records");
    let asides: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("d.before-restore-"))
        .collect();
    assert_eq!(asides.len(), 2, "each restore kept the folder before it: {asides:?}");
    assert!(parts_in(root.path()).is_empty(), "no staging copy left: {:?}", parts_in(root.path()));
}

#[test]
fn a_damaged_backup_says_so_and_where() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("d/taawun.db");
    assert!(cli(&db, &["sample"]).status.success());
    let file = root.path().join("b.taawun-backup");
    assert!(cli(&db, &["backup", "-o", file.to_str().unwrap()]).status.success());
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() * 2 / 3]).unwrap();
    for lang in ["en", "fr", "ar"] {
        let out = cli(&db, &["--lang", lang, "restore", file.to_str().unwrap()]);
        assert!(!out.status.success());
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(
            message.contains("b.taawun-backup")
                && message.contains(&(bytes.len() * 2 / 3 / 512 * 512).to_string()[..2]),
            "{message}"
        );
        assert!(!message.contains("cannot be read") && !message.contains("error."), "{lang}: {message}");
    }
    let out = cli(&db, &["--json", "backup", "verify", file.to_str().unwrap()]);
    let e: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(e["code"], "backup_damaged");
}

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_output_is_an_error() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("d/taawun.db");
    assert!(cli(&db, &["generate", "--partners", "200", "--agreements", "3000"]).status.success());
    let mut child = Command::new(CLI)
        .arg("--db")
        .arg(&db)
        .args(["list", "agreement", "--all"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once, as `| head -1` does
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}", out.status);
    assert!(out.stderr.is_empty(), "quiet: {}", String::from_utf8_lossy(&out.stderr));
    if Path::new("/dev/full").exists() {
        let full = std::fs::File::options().write(true).open("/dev/full").unwrap();
        let out = Command::new(CLI).arg("--db").arg(&db).args(["list", "agreement"]).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let message = String::from_utf8_lossy(&out.stderr);
        assert!(message.contains("disk is full") || message.contains("ممتلئ"), "{message}");
        assert!(!message.contains("panicked"), "{message}");
    }
}

#[test]
fn a_full_disk_during_an_automatic_backup_keeps_the_previous_ones_and_says_so() {
    let root = tempfile::tempdir().unwrap();
    let db = root.path().join("data/taawun.db");
    assert!(cli(&db, &["sample"]).status.success());
    let scan = scans(root.path(), 1, 12 * 1024 * 1024);
    assert!(cli(&db, &["attach", "--to", "agreement:1", scan[0].to_str().unwrap()]).status.success());
    let usb = root.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    assert!(cli(&db, &["backup", "auto", "--folder", usb.to_str().unwrap(), "--keep", "1"]).status.success());
    for _ in 0..2 {
        assert!(cli(&db, &["backup", "auto", "--now"]).status.success());
    }
    let before: Vec<(PathBuf, Vec<u8>)> = {
        let mut v: Vec<_> = std::fs::read_dir(&usb).unwrap().map(|e| e.unwrap().path()).collect();
        v.sort();
        v.into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect()
    };
    assert_eq!(before.len(), 1, "the newest of the day");
    // The drive fills up during the third: the system refuses to let the file grow (as ENOSPC would).
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f 8192; exec "$0" --db "$1" --lang en --json backup auto --now"#)
        .arg(CLI)
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["code"], "disk_full");
    for (path, bytes) in &before {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{} untouched", path.display());
        assert!(taawun_core::backup::verify(path).is_ok());
    }
    assert!(parts_in(&usb).is_empty(), "the failed backup's parts are gone: {:?}", parts_in(&usb));
    // Said where the officer looks: the status (and the home view) name the failure.
    let status: serde_json::Value = serde_json::from_slice(&cli(&db, &["--json", "backup", "auto"]).stdout).unwrap();
    assert_eq!(status["state"]["error_code"], "disk_full");
    assert_eq!(status["backups"].as_array().unwrap().len(), 1);
    // A backup cut short (named as the newest) never counts towards the one day kept: were it
    // counted, the good backup made next would be the one removed.
    let cut = usb.join("taawun-20990101-000000.taawun-backup");
    std::fs::write(&cut, &before[0].1[..before[0].1.len() / 2]).unwrap();
    assert!(!taawun_core::backup::is_complete(&cut) && taawun_core::backup::is_complete(&before[0].0));
    let made = cli(&db, &["--json", "backup", "auto", "--now"]);
    let status: serde_json::Value = serde_json::from_slice(&made.stdout).unwrap();
    let newest = PathBuf::from(status["state"]["last_path"].as_str().unwrap());
    assert!(newest.exists(), "the good backup just made is kept: {status}");
    assert!(taawun_core::backup::verify(&newest).is_ok());
    assert!(cut.exists(), "the cut file is left as it is, not counted");
}
