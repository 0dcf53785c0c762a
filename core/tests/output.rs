//! Every output goes through `taawun_core::output`: what it is pointed at is never harmed. A file
//! is replaced whole, a link followed and kept, a device or a FIFO written through (never
//! replaced by a regular file), `-` is standard output, and a folder, a missing folder or a
//! failed write are translated errors that leave nothing behind; so is a full disk, under a paper
//! or under the database.

use std::fs;
use std::io::Write;
use std::path::Path;
use taawun_core::error::OutputProblem;
use taawun_core::output::{destination, write_output, Destination, Output};
use taawun_core::{Error, Lang};

/// What is in a folder but `keep` (the names, sorted): a write must leave no part or owner file.
fn litter(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

fn problem(e: Error) -> OutputProblem {
    match e {
        Error::Output { problem, .. } => problem,
        other => panic!("not an output error: {other:?}"),
    }
}

#[test]
fn a_file_is_replaced_whole_and_a_failed_write_leaves_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("paper.pdf");
    write_output(&target, |out| out.write_all(b"first")).unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"first");
    write_output(&target, |out| out.write_all(b"second")).unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"second");
    // A paper that fails halfway: the file is as it was, and nothing is left beside it.
    let failed = write_output(&target, |out| {
        out.write_all(b"half")?;
        Err(std::io::Error::other("the typesetter failed"))
    });
    let e = failed.unwrap_err();
    assert_eq!(e.code(), "output.failed");
    let message = e.message(Lang::Fr);
    assert!(message.contains("paper.pdf") && message.contains("the typesetter failed"), "{message}");
    assert_eq!(fs::read(&target).unwrap(), b"second");
    assert_eq!(litter(dir.path(), &["paper.pdf"]), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("kept.pdf");
    fs::write(&target, b"old").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
    write_output(&target, |out| out.write_all(b"new")).unwrap();
    assert_eq!(fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o640);
}

#[cfg(unix)]
#[test]
fn a_link_is_followed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("archive")).unwrap();
    let real = dir.path().join("archive/2026-dossier.pdf");
    fs::write(&real, b"old").unwrap();
    let link = dir.path().join("latest.pdf");
    std::os::unix::fs::symlink("archive/2026-dossier.pdf", &link).unwrap();
    // A link to the link: followed to the end.
    let link2 = dir.path().join("current.pdf");
    std::os::unix::fs::symlink("latest.pdf", &link2).unwrap();
    assert_eq!(destination(&link2).unwrap(), Destination::Replace(dir.path().join("archive/2026-dossier.pdf")));
    write_output(&link2, |out| out.write_all(b"new")).unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    assert!(fs::symlink_metadata(&link2).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(&real).unwrap(), b"new");
    assert_eq!(litter(&dir.path().join("archive"), &["2026-dossier.pdf"]), Vec::<String>::new());
    // A link to nothing yet: the file is made where it points.
    let dangling = dir.path().join("next.pdf");
    std::os::unix::fs::symlink("archive/2027-dossier.pdf", &dangling).unwrap();
    write_output(&dangling, |out| out.write_all(b"2027")).unwrap();
    assert_eq!(fs::read(dir.path().join("archive/2027-dossier.pdf")).unwrap(), b"2027");
    assert!(fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
    // Links that go round: an error, not a hang.
    let (a, b) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"));
    std::os::unix::fs::symlink("b.pdf", &a).unwrap();
    std::os::unix::fs::symlink("a.pdf", &b).unwrap();
    assert_eq!(problem(write_output(&a, |out| out.write_all(b"x")).unwrap_err()), OutputProblem::Loop);
}

#[cfg(unix)]
#[test]
fn a_device_is_written_through_and_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let null = Path::new("/dev/null");
    assert_eq!(destination(null).unwrap(), Destination::Stream(null.to_path_buf()));
    write_output(null, |out| out.write_all(&[0u8; 100_000])).unwrap();
    assert!(fs::symlink_metadata(null).unwrap().file_type().is_char_device(), "/dev/null is still a device");
    // A device that is full: the error says so, about that path.
    let full = Path::new("/dev/full");
    if full.exists() {
        let e = write_output(full, |out| out.write_all(b"%PDF-1.7")).unwrap_err();
        assert_eq!(e.code(), "output.disk_full");
        assert!(e.message(Lang::Ar).contains("/dev/full"), "{}", e.message(Lang::Ar));
        assert!(fs::symlink_metadata(full).unwrap().file_type().is_char_device());
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_through() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    write_output(&fifo, |out| out.write_all(b"%PDF-1.7 through a pipe")).unwrap();
    assert_eq!(reader.join().unwrap(), b"%PDF-1.7 through a pipe");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO is still a FIFO");
    assert_eq!(litter(dir.path(), &["pipe"]), Vec::<String>::new());
}

#[test]
fn a_folder_or_a_missing_folder_is_a_translated_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = write_output(dir.path(), |out| out.write_all(b"x")).unwrap_err();
    assert_eq!(e.code(), "output.folder");
    let missing = dir.path().join("no such folder/paper.pdf");
    let e = write_output(&missing, |out| out.write_all(b"x")).unwrap_err();
    assert_eq!(e.code(), "output.no_folder");
    let ar = e.message(Lang::Ar);
    assert!(ar.contains("المجلد غير موجود") && ar.contains("paper.pdf"), "{ar}");
    assert!(!dir.path().join("no such folder").exists(), "no folder is made for a paper");
    assert_eq!(litter(dir.path(), &[]), Vec::<String>::new());
}

#[test]
fn stdout_is_a_destination_of_its_own() {
    assert_eq!(destination(Path::new("-")).unwrap(), Destination::Stdout);
}

#[test]
fn an_exported_original_never_replaces_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("original.pdf");
    fs::write(&target, b"someone's file").unwrap();
    assert_eq!(problem(Output::create_new(&target).err().unwrap()), OutputProblem::Exists);
    // A file that arrives while the output is written is not replaced either.
    let late = dir.path().join("late.pdf");
    let output = Output::create_new(&late).unwrap();
    fs::write(output.part(), b"ours").unwrap();
    fs::write(&late, b"theirs").unwrap();
    assert_eq!(problem(output.commit().unwrap_err()), OutputProblem::Exists);
    assert_eq!(fs::read(&late).unwrap(), b"theirs");
    assert_eq!(litter(dir.path(), &["original.pdf", "late.pdf"]), Vec::<String>::new());
}

/// A small tmpfs mounted for a test (root only: elsewhere the test says so and passes), unmounted
/// when dropped.
#[cfg(target_os = "linux")]
struct SmallDisk(tempfile::TempDir);

#[cfg(target_os = "linux")]
impl SmallDisk {
    fn mount(bytes: usize) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk(dir))
    }

    /// Fills the disk to its last byte.
    fn fill(&self) {
        let mut f = fs::File::create(self.0.path().join("filler")).unwrap();
        let block = vec![7u8; 4096];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&[7]).is_ok() {}
        let _ = f.sync_all();
    }
}

#[cfg(target_os = "linux")]
impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.0.path()).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_said_in_words_and_leaves_nothing() {
    let Some(disk) = SmallDisk::mount(256 * 1024) else {
        eprintln!("skipped: a small disk cannot be mounted here (not root)");
        return;
    };
    let target = disk.0.path().join("dossier.pdf");
    // Room at first, not for the whole paper.
    let e = write_output(&target, |out| out.write_all(&vec![1u8; 1024 * 1024])).unwrap_err();
    assert_eq!(e.code(), "output.disk_full");
    assert_eq!(litter(disk.0.path(), &[]), Vec::<String>::new());
    // No byte free at all: the owner file cannot be claimed, and is not left either.
    disk.fill();
    let e = write_output(&target, |out| out.write_all(b"%PDF-1.7")).unwrap_err();
    assert_eq!(e.code(), "output.disk_full");
    let message = e.message(Lang::Fr);
    assert!(message.contains("le disque est plein") && message.contains("dossier.pdf"), "{message}");
    assert_eq!(litter(disk.0.path(), &["filler"]), Vec::<String>::new());
}

/// Taawun opened on a database whose disk has no byte left: "the disk is full", translated,
/// instead of SQLite's "disk I/O error", and no -wal or -shm left beside the database.
#[cfg(target_os = "linux")]
#[test]
fn a_database_on_a_full_disk_says_so_and_leaves_nothing() {
    let Some(disk) = SmallDisk::mount(2 * 1024 * 1024) else {
        eprintln!("skipped: a small disk cannot be mounted here (not root)");
        return;
    };
    let db = disk.0.path().join("taawun.db");
    {
        let mut store = taawun_core::store::Store::open(&db).unwrap();
        store.load_sample().unwrap();
    }
    disk.fill();
    let e = taawun_core::store::Store::open(&db).err().expect("no room for the WAL's index");
    assert_eq!(e.code(), "disk_full", "{e:?}");
    assert!(e.message(Lang::Ar).contains("القرص ممتلئ"));
    assert_eq!(litter(disk.0.path(), &["filler", "taawun.db"]), Vec::<String>::new());
}

/// A good backup on a disk with no byte left is verified all the same: the check writes nothing
/// (the database is checked in memory), and leaves nothing.
#[cfg(target_os = "linux")]
#[test]
fn a_backup_on_a_full_disk_is_verified_without_writing() {
    let Some(disk) = SmallDisk::mount(4 * 1024 * 1024) else {
        eprintln!("skipped: a small disk cannot be mounted here (not root)");
        return;
    };
    let elsewhere = tempfile::tempdir().unwrap();
    let mut store = taawun_core::store::Store::open(&elsewhere.path().join("taawun.db")).unwrap();
    store.load_sample().unwrap();
    let made = elsewhere.path().join("b.taawun-backup");
    taawun_core::backup::create(&store, &made, true, |_, _| {}).unwrap();
    let on_disk = disk.0.path().join("b.taawun-backup");
    fs::copy(&made, &on_disk).unwrap();
    disk.fill();
    let manifest = taawun_core::backup::verify(&on_disk).expect("verified on a full disk");
    assert!(!manifest.files.is_empty());
    assert_eq!(litter(disk.0.path(), &["filler", "b.taawun-backup"]), Vec::<String>::new());
}
