//! The one-file backup: a round trip byte-identical for the vault, tampered, truncated and
//! newer backups refused with nothing replaced, a restore refused while the window has the data
//! open, and `kill -9` during a backup leaving the previous backup and the database intact.

use std::path::{Path, PathBuf};
use std::process::Command;
use taawun_core::backup;
use taawun_core::model::*;
use taawun_core::store::{ListQuery, Store};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn meta() -> DocumentData {
    DocumentData { kind: DocumentKind::SignedOriginal, ..Default::default() }
}

/// A data folder with the sample records and two documents.
fn data_dir(root: &Path) -> PathBuf {
    let dir = root.join("data");
    let mut s = Store::open(&dir.join("taawun.db")).unwrap();
    s.load_sample().unwrap();
    s.attach(Entity::Agreement, 1, &[fixture("scan-2p.pdf"), fixture("signing-photo.jpg")], meta()).unwrap();
    dir
}

fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let vault = dir.join("vault/sha256");
    for shard in std::fs::read_dir(&vault).unwrap() {
        for f in std::fs::read_dir(shard.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            out.push((p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn backup_restore_and_verify_round_trip() {
    let root = tempfile::tempdir().unwrap();
    let dir = data_dir(root.path());
    let file = root.path().join("usb/taawun.backup");
    let manifest = {
        let s = Store::open(&dir.join("taawun.db")).unwrap();
        backup::create(&s, &file, true, |_, _| {}).unwrap()
    };
    assert_eq!(manifest.files.len(), 3, "the database and two documents");
    assert_eq!(backup::verify(&file).unwrap(), manifest);
    // The data folder is lost; everything comes back from the backup.
    let before = tree(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let r = backup::restore(&file, &dir.join("taawun.db")).unwrap();
    assert!(r.previous.is_none());
    assert_eq!(tree(&dir), before, "the vault byte for byte");
    let s = Store::open(&dir.join("taawun.db")).unwrap();
    assert_eq!(s.count(Entity::Agreement, &ListQuery::default()).unwrap(), 3);
    assert_eq!(s.documents_of(Entity::Agreement, 1).unwrap().len(), 2);
    assert!(s.verify_vault(|_, _| {}).unwrap().is_clean());
    drop(s);
    // Restoring over an existing folder keeps it aside.
    let r = backup::restore(&file, &dir.join("taawun.db")).unwrap();
    let previous = r.previous.expect("kept");
    assert!(previous.join("taawun.db").exists() && dir.join("taawun.db").exists());
    // Into a database of another name: the folder holds that file, its vault, and nothing under
    // the backup's own name (no taawun.db-shm or -wal left by the check).
    let custom = root.path().join("custom");
    backup::restore(&file, &custom.join("custom.db")).unwrap();
    let mut names: Vec<String> =
        std::fs::read_dir(&custom).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["custom.db", "vault"]);
}

#[test]
fn tampered_truncated_and_newer_backups_are_refused_and_nothing_is_replaced() {
    let root = tempfile::tempdir().unwrap();
    let dir = data_dir(root.path());
    let file = root.path().join("b.taawun");
    {
        let s = Store::open(&dir.join("taawun.db")).unwrap();
        backup::create(&s, &file, true, |_, _| {}).unwrap();
    }
    let good = std::fs::read(&file).unwrap();
    let untouched = tree(&dir);
    // One byte changed inside the JPEG's entry.
    let jpeg = std::fs::read(fixture("signing-photo.jpg")).unwrap();
    let at = good.windows(64).position(|w| w == &jpeg[1000..1064]).unwrap();
    let mut tampered = good.clone();
    tampered[at] ^= 0xFF;
    let bad = root.path().join("tampered.taawun");
    std::fs::write(&bad, &tampered).unwrap();
    let e = backup::verify(&bad).unwrap_err();
    assert_eq!(e.code(), "backup_damaged");
    let message = e.message(taawun_core::Lang::En);
    assert!(message.contains("tampered.taawun") && message.contains("vault/sha256/"), "says where: {message}");
    // The flipped byte lies within the range the message gives (the hash says which entry, not
    // which byte of it).
    let taawun_core::Error::BackupDamaged { offset, to: Some(to), .. } = e else { panic!("a range: {e:?}") };
    assert!(offset <= at as u64 && (at as u64) < to, "{offset}..{to} holds byte {at}");
    assert!(message.contains(&format!("between byte {offset} and byte {to}")), "{message}");
    assert_eq!(backup::restore(&bad, &dir.join("taawun.db")).unwrap_err().code(), "backup_damaged");
    assert_eq!(tree(&dir), untouched, "nothing replaced");
    // Cut in the middle.
    let cut = root.path().join("cut.taawun");
    std::fs::write(&cut, &good[..good.len() / 2]).unwrap();
    let e = backup::verify(&cut).unwrap_err();
    assert_eq!(e.code(), "backup_damaged", "cut short is damaged, not 'cannot be read'");
    assert!(
        matches!(e, taawun_core::Error::BackupDamaged { offset, .. } if offset > 0 && offset <= good.len() as u64 / 2)
    );
    assert_eq!(backup::restore(&cut, &dir.join("taawun.db")).unwrap_err().code(), "backup_damaged");
    assert_eq!(tree(&dir), untouched);
    assert!(
        std::fs::read_dir(root.path()).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().contains("taawun-")),
        "staging, scratch and owner files removed"
    );
    // Not a backup at all.
    let junk = root.path().join("junk.taawun");
    std::fs::write(&junk, b"not a tar").unwrap();
    assert_eq!(backup::verify(&junk).unwrap_err().code(), "backup_damaged");
    assert_eq!(backup::verify(&root.path().join("absent.taawun")).unwrap_err().code(), "invalid.unreadable");
    // Written by a newer Taawun (its database schema is ahead of this one).
    let newer_dir = root.path().join("newer");
    let s = Store::open(&newer_dir.join("taawun.db")).unwrap();
    s.conn().pragma_update(None, "user_version", 999).unwrap();
    let newer = root.path().join("newer.taawun");
    backup::create(&s, &newer, false, |_, _| {}).unwrap();
    assert_eq!(backup::verify(&newer).unwrap_err().code(), "schema_too_new");
}

#[test]
fn a_restore_is_refused_while_the_window_has_the_data_open() {
    let root = tempfile::tempdir().unwrap();
    let dir = data_dir(root.path());
    let file = root.path().join("b.taawun");
    let mut window = Store::open(&dir.join("taawun.db")).unwrap();
    backup::create(&window, &file, true, |_, _| {}).unwrap();
    window.acquire_app_lock().unwrap();
    assert_eq!(backup::restore(&file, &dir.join("taawun.db")).unwrap_err().code(), "locked");
    drop(window);
    backup::restore(&file, &dir.join("taawun.db")).unwrap();
}

/// `kill -9` while a backup is being written over a previous one: the previous backup still
/// verifies and the database is whole.
#[test]
fn a_kill_during_a_backup_keeps_the_previous_backup() {
    let root = tempfile::tempdir().unwrap();
    let dir = data_dir(root.path());
    let db = dir.join("taawun.db");
    let cli = env!("CARGO_BIN_EXE_taawun-cli");
    let file = root.path().join("b.taawun");
    assert!(Command::new(cli)
        .arg("--db")
        .arg(&db)
        .args(["backup", "-o"])
        .arg(&file)
        .output()
        .unwrap()
        .status
        .success());
    let first = std::fs::read(&file).unwrap();
    // Make the next backup long: 40 files of 4 MB.
    let files: Vec<PathBuf> = (0..40u8)
        .map(|i| {
            let p = root.path().join(format!("scan-{i}.bin"));
            std::fs::write(&p, vec![i; 4_000_000]).unwrap();
            p
        })
        .collect();
    assert!(Command::new(cli)
        .arg("--db")
        .arg(&db)
        .args(["attach", "--to", "agreement:2"])
        .args(&files)
        .output()
        .unwrap()
        .status
        .success());
    let mut landed = false;
    for delay in [30u64, 120, 400] {
        let mut child = Command::new(cli).arg("--db").arg(&db).args(["backup", "-o"]).arg(&file).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        child.kill().unwrap();
        landed |= !child.wait().unwrap().success();
        let now = std::fs::read(&file).unwrap();
        assert!(
            now == first || backup::verify(&file).is_ok(),
            "the backup file is the previous one or a complete new one"
        );
        let s = Store::open(&db).unwrap();
        let ok: String = s.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
    }
    assert!(landed, "no kill landed during a backup: the test proved nothing");
    assert!(backup::verify(&file).is_ok());
}

#[test]
fn rolling_backups_keep_the_newest_and_touch_nothing_else() {
    use backup::rolling::{self, AutoBackup};
    use chrono::{Duration, TimeZone, Utc};
    let root = tempfile::tempdir().unwrap();
    let dir = data_dir(root.path());
    let mut s = Store::open(&dir.join("taawun.db")).unwrap();
    let usb = root.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    std::fs::write(usb.join("notes.txt"), "mine").unwrap();
    std::fs::write(usb.join("taawun-manual.taawun-backup"), "a backup made by hand").unwrap();
    let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();

    assert!(rolling::due(&s, t0).unwrap(), "never made: due");
    // By default beside the database.
    let first = rolling::run(&mut s, t0, |_, _| {}).unwrap();
    assert_eq!(first, dir.join("backups/taawun-20261130-080000.taawun-backup"));
    assert!(!rolling::due(&s, t0 + Duration::hours(23)).unwrap());
    assert!(rolling::due(&s, t0 + Duration::hours(24)).unwrap(), "daily");

    // To a chosen folder, keeping three.
    assert_eq!(
        rolling::set_settings(&mut s, AutoBackup { enabled: true, folder: "relative/usb".into(), keep: 3 })
            .unwrap_err()
            .code(),
        "invalid.unknown_value"
    );
    assert_eq!(
        rolling::set_settings(&mut s, AutoBackup { enabled: true, folder: usb.display().to_string(), keep: 0 })
            .unwrap_err()
            .code(),
        "invalid.out_of_range"
    );
    rolling::set_settings(&mut s, AutoBackup { enabled: true, folder: usb.display().to_string(), keep: 3 }).unwrap();
    for day in 1..=5 {
        rolling::run(&mut s, t0 + Duration::days(day), |_, _| {}).unwrap();
    }
    let status = rolling::status(&s).unwrap();
    let names: Vec<String> =
        status.backups.iter().map(|p| Path::new(p).file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "taawun-20261205-080000.taawun-backup",
            "taawun-20261204-080000.taawun-backup",
            "taawun-20261203-080000.taawun-backup"
        ],
        "the newest three, newest first"
    );
    assert_eq!(std::fs::read_to_string(usb.join("notes.txt")).unwrap(), "mine", "other files are not touched");
    assert!(usb.join("taawun-manual.taawun-backup").exists(), "nor backups named by hand");
    for b in &status.backups {
        backup::verify(Path::new(b)).unwrap();
    }
    assert_eq!(
        taawun_core::backup::last_backup(&s).unwrap().unwrap().path,
        status.backups[0],
        "the home view's last good backup"
    );
    // Two runs in the same second do not overwrite each other.
    let a = rolling::run(&mut s, t0 + Duration::days(6), |_, _| {}).unwrap();
    let b = rolling::run(&mut s, t0 + Duration::days(6), |_, _| {}).unwrap();
    assert_ne!(a, b);

    // The drive unplugged: refused with the reason, remembered, nothing created in its place.
    let gone = root.path().join("unplugged/usb");
    rolling::set_settings(&mut s, AutoBackup { enabled: true, folder: gone.display().to_string(), keep: 3 }).unwrap();
    let good = taawun_core::backup::last_backup(&s).unwrap();
    assert_eq!(rolling::run(&mut s, t0 + Duration::days(7), |_, _| {}).unwrap_err().code(), "invalid.folder_missing");
    assert!(!gone.exists());
    let state = rolling::state(&s).unwrap();
    assert_eq!(state.error_code.as_deref(), Some("invalid.folder_missing"));
    assert!(state.error.unwrap().contains("المجلد غير موجود"), "in the user's language");
    assert_eq!(taawun_core::backup::last_backup(&s).unwrap(), good, "the last good backup is still the one before");
    assert_eq!(
        rolling::state(&s).unwrap().unresolved_failure().map(|(_, e)| e.contains("المجلد غير موجود")),
        Some(true),
        "said until a good one"
    );
    rolling::set_settings(&mut s, AutoBackup { enabled: true, folder: usb.display().to_string(), keep: 3 }).unwrap();
    rolling::run(&mut s, t0 + Duration::days(8), |_, _| {}).unwrap();
    assert_eq!(rolling::state(&s).unwrap().unresolved_failure(), None, "a good backup since: no longer said");

    rolling::set_settings(&mut s, AutoBackup { enabled: false, folder: String::new(), keep: 3 }).unwrap();
    assert!(!rolling::due(&s, t0 + Duration::days(30)).unwrap(), "off");
}

#[test]
fn a_vault_file_altered_on_disk_fails_the_backup_and_the_previous_one_stays() {
    let root = tempfile::tempdir().unwrap();
    let dir = data_dir(root.path());
    let s = Store::open(&dir.join("taawun.db")).unwrap();
    let file = root.path().join("usb/taawun.taawun-backup");
    backup::create(&s, &file, true, |_, _| {}).unwrap();
    let good = std::fs::read(&file).unwrap();
    // One stored scan changed behind Taawun's back.
    let shard =
        std::fs::read_dir(dir.join("vault/sha256")).unwrap().map(|e| e.unwrap().path()).find(|p| p.is_dir()).unwrap();
    let victim = std::fs::read_dir(&shard).unwrap().next().unwrap().unwrap().path();
    let mut perms = std::fs::metadata(&victim).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&victim, perms).unwrap();
    let mut bytes = std::fs::read(&victim).unwrap();
    bytes[100] ^= 0xFF;
    std::fs::write(&victim, &bytes).unwrap();
    for read_back in [true, false] {
        assert_eq!(
            backup::create(&s, &file, read_back, |_, _| {}).unwrap_err().code(),
            "invalid.altered",
            "read back: {read_back}"
        );
        assert_eq!(std::fs::read(&file).unwrap(), good, "the previous backup is untouched");
    }
    let leftovers: Vec<_> =
        std::fs::read_dir(file.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}
