//! Documents and the vault through the store and the CLI: attach, the same file stored once,
//! detach keeps the file, verify and gc, hostile names, and a kill in the middle of a many-file
//! attach that leaves the database and the vault consistent.

use std::path::{Path, PathBuf};
use std::process::Command;
use taawun_core::model::*;
use taawun_core::store::{ListQuery, Store};
use taawun_core::vault::DEFAULT_SIZE_LIMIT;

const PDF: &[u8] = include_bytes!("fixtures/scan-2p.pdf");
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];

fn setup() -> (tempfile::TempDir, Store, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.load_sample().unwrap();
    let id = s.list_agreements(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    (dir, s, id)
}

fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn meta(kind: DocumentKind) -> DocumentData {
    DocumentData {
        kind,
        title: String::new(),
        signed_on: String::new(),
        signatories: String::new(),
        notes: String::new(),
    }
}

#[test]
fn attach_once_reference_twice_detach_keeps_the_file() {
    let (dir, mut s, agreement) = setup();
    let pdf = file(dir.path(), "اتفاقية باماكو.pdf", PDF);
    let jpg = file(dir.path(), "signature.jpg", JPEG);
    let docs = s.attach(Entity::Agreement, agreement, &[pdf.clone(), jpg], meta(DocumentKind::SignedOriginal)).unwrap();
    assert_eq!(docs[0].media_type, "application/pdf");
    assert_eq!(docs[0].original_name, "اتفاقية باماكو.pdf");
    assert_eq!(docs[1].media_type, "image/jpeg");
    let partner = s.list_partners(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    let again = s.attach(Entity::Partner, partner, &[pdf], meta(DocumentKind::Correspondence)).unwrap();
    assert_eq!(again[0].sha256, docs[0].sha256);
    let vault = s.vault().unwrap();
    assert_eq!(vault.contents().unwrap().len(), 2, "the same file is stored once");
    assert_eq!(s.documents_of(Entity::Agreement, agreement).unwrap().len(), 2);

    // The agreement cannot go to the trash while documents are attached to it.
    assert_eq!(s.delete(Entity::Agreement, agreement).unwrap_err().code(), "referenced");
    s.delete(Entity::Document, docs[0].record.id).unwrap();
    assert_eq!(s.documents_of(Entity::Agreement, agreement).unwrap().len(), 1);
    assert!(vault.path_of(&docs[0].sha256).exists(), "detaching keeps the file");
    assert!(s.vault_gc(true).unwrap().removed.is_empty(), "still referenced (the trash can restore it)");
    let actions: Vec<String> = s.history(Entity::Agreement, agreement).unwrap().into_iter().map(|h| h.action).collect();
    assert_eq!(actions[..3], ["detach", "attach", "attach"]);

    // Metadata is editable, with history.
    let mut d = docs[1].record.data.clone();
    d.title = "صورة التوقيع".into();
    d.signed_on = "25/04/2018".into();
    let updated = s.update_document(docs[1].record.id, d, Some(&docs[1].record.updated_at)).unwrap();
    assert_eq!(updated.record.data.signed_on, "2018-04-25");
    assert!(s
        .history(Entity::Document, docs[1].record.id)
        .unwrap()
        .iter()
        .any(|h| h.field.as_deref() == Some("title")));
}

#[test]
fn the_system_viewer_gets_a_read_only_copy_never_the_vault_file() {
    let (dir, mut s, agreement) = setup();
    let pdf = file(dir.path(), "convention.pdf", PDF);
    let doc = s.attach(Entity::Agreement, agreement, &[pdf], meta(DocumentKind::SignedOriginal)).unwrap().remove(0);
    let cache = dir.path().join("cache");
    let copy = s.viewing_copy(doc.record.id, &cache).unwrap();
    assert!(copy.starts_with(&cache) && copy.extension().unwrap() == "pdf");
    assert_ne!(copy, s.vault().unwrap().path_of(&doc.sha256));
    assert_eq!(std::fs::read(&copy).unwrap(), PDF);
    assert!(std::fs::metadata(&copy).unwrap().permissions().readonly());
    assert_eq!(s.viewing_copy(doc.record.id, &cache).unwrap(), copy, "reused while intact");
    // A viewer that managed to change its copy gets a fresh one next time.
    let mut perms = std::fs::metadata(&copy).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&copy, perms).unwrap();
    std::fs::write(&copy, b"scribbled").unwrap();
    assert_eq!(std::fs::read(s.viewing_copy(doc.record.id, &cache).unwrap()).unwrap(), PDF);
}

#[test]
fn bad_files_are_refused_or_flagged_and_nothing_half_done() {
    let (dir, mut s, agreement) = setup();
    let good = file(dir.path(), "ok.pdf", PDF);
    let empty = file(dir.path(), "empty.pdf", b"");
    let e = s.attach(Entity::Agreement, agreement, &[good.clone(), empty], meta(DocumentKind::Draft)).unwrap_err();
    assert_eq!(e.code(), "invalid.empty_file");
    assert!(s.documents_of(Entity::Agreement, agreement).unwrap().is_empty(), "no row for the good file either");
    s.set_size_limit(10).unwrap();
    let e = s.attach(Entity::Agreement, agreement, std::slice::from_ref(&good), meta(DocumentKind::Draft)).unwrap_err();
    assert_eq!(e.code(), "invalid.file_too_large");
    s.set_size_limit(0).unwrap();
    assert_eq!(s.size_limit().unwrap(), DEFAULT_SIZE_LIMIT);
    let fake = file(dir.path(), "scan.pdf", JPEG);
    let rlo = file(dir.path(), "invoice\u{202E}fdp.pdf", PDF);
    let docs = s.attach(Entity::Agreement, agreement, &[fake, rlo], meta(DocumentKind::Other)).unwrap();
    assert_eq!(docs[0].media_type, "image/jpeg", "stored as what it really is");
    assert_eq!(docs[0].warnings, vec!["extension_mismatch"]);
    assert_eq!(docs[1].original_name, "invoice⟦U+202E⟧fdp.pdf");
    assert_eq!(docs[1].warnings, vec!["name_controls"]);
    assert_eq!(s.attach(Entity::Agreement, 4242, &[good], meta(DocumentKind::Other)).unwrap_err().field(), Some("to"));
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Real PDFs (made with Pillow and qpdf, see fixtures/README.md): pages counted, a password-
/// protected one and a damaged one kept and flagged, never a crash.
#[test]
fn pdfs_are_counted_protected_and_damaged_ones_flagged_and_kept() {
    let (_dir, mut s, agreement) = setup();
    let files: Vec<PathBuf> =
        ["scan-2p.pdf", "restricted.pdf", "encrypted.pdf", "truncated.pdf"].iter().map(|f| fixture(f)).collect();
    let docs = s.attach(Entity::Agreement, agreement, &files, meta(DocumentKind::SignedOriginal)).unwrap();
    let facts: Vec<(Option<u32>, Vec<String>)> = docs.iter().map(|d| (d.page_count, d.warnings.clone())).collect();
    assert_eq!(facts[0], (Some(2), vec![]));
    assert_eq!(facts[1], (Some(2), vec![]), "print restrictions without a password do not stop reading");
    assert_eq!(facts[2], (None, vec!["pdf_encrypted".to_string()]));
    assert_eq!(facts[3].1, vec!["pdf_corrupt".to_string()], "its index had to be rebuilt");
    assert!(docs.iter().all(|d| d.media_type == "application/pdf"));
    assert!(s.verify_vault(|_, _| {}).unwrap().is_clean(), "all four kept as filed");
}

/// A full disk in the middle of an attach: a clear error, nothing recorded, no temporary file
/// left, and what was there before is intact. The file-size limit of the process (`ulimit -f`,
/// with SIGXFSZ ignored so writes fail with EFBIG as they would with ENOSPC) plays the full disk.
#[test]
fn a_full_disk_gives_a_clear_error_and_keeps_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cli = env!("CARGO_BIN_EXE_taawun-cli");
    assert!(Command::new(cli).arg("--db").arg(&db).arg("sample").output().unwrap().status.success());
    let small = file(dir.path(), "small.pdf", PDF);
    assert!(Command::new(cli)
        .arg("--db")
        .arg(&db)
        .args(["attach", "--to", "agreement:1"])
        .arg(&small)
        .output()
        .unwrap()
        .status
        .success());
    let big = file(dir.path(), "big-scan.pdf", &[PDF, &vec![0u8; 12 * 1024 * 1024]].concat());
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f 8192; exec "$0" --db "$1" --lang en --json attach --to agreement:1 "$2""#)
        .arg(cli)
        .arg(&db)
        .arg(&big)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["code"], "disk_full");
    assert!(report["message"].as_str().unwrap().contains("disk is full"));
    let s = Store::open(&db).unwrap();
    assert_eq!(s.documents_of(Entity::Agreement, 1).unwrap().len(), 1, "only the earlier document");
    assert!(s.verify_vault(|_, _| {}).unwrap().is_clean());
    assert_eq!(std::fs::read_dir(dir.path().join("vault/tmp")).unwrap().count(), 0, "the partial copy is removed");
}

#[test]
fn verify_finds_missing_altered_and_leftover_files() {
    let (dir, mut s, agreement) = setup();
    let a = file(dir.path(), "a.pdf", PDF);
    let b = file(dir.path(), "b.jpg", JPEG);
    let docs = s.attach(Entity::Agreement, agreement, &[a, b], meta(DocumentKind::SignedOriginal)).unwrap();
    let vault = s.vault().unwrap();
    assert!(s.verify_vault(|_, _| {}).unwrap().is_clean());
    assert!(s
        .check_documents(Entity::Agreement, agreement)
        .unwrap()
        .iter()
        .all(|c| c.state == taawun_core::vault::FileState::Intact));
    std::fs::write(vault.path_of(&docs[0].sha256), b"%PDF-1.4 forged").unwrap();
    std::fs::remove_file(vault.path_of(&docs[1].sha256)).unwrap();
    let leftover = vault.store_reader(&b"an interrupted attach"[..], DEFAULT_SIZE_LIMIT).unwrap();
    let checks = s.check_documents(Entity::Agreement, agreement).unwrap();
    let states: Vec<_> = checks.iter().map(|c| c.state).collect();
    assert_eq!(states, vec![taawun_core::vault::FileState::Altered, taawun_core::vault::FileState::Missing]);
    let r = s.verify_vault(|_, _| {}).unwrap();
    assert_eq!(r.altered.iter().map(|(e, _)| e.clone()).collect::<Vec<_>>(), vec![docs[0].sha256.clone()]);
    assert_eq!(r.missing, vec![docs[1].sha256.clone()]);
    assert_eq!(r.unreferenced, vec![leftover.sha256.clone()]);
    assert_eq!(
        s.export_document(docs[0].record.id, &dir.path().join("out.pdf")).unwrap_err().code(),
        "invalid.altered"
    );
    assert_eq!(s.vault_gc(false).unwrap().removed, vec![leftover.sha256]);
}

/// `kill -9` while attaching many files: afterwards every row has its file, and what is left
/// over is only unreferenced files that `verify` reports.
#[test]
fn a_kill_during_a_many_file_attach_leaves_everything_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cli = env!("CARGO_BIN_EXE_taawun-cli");
    assert!(Command::new(cli).arg("--db").arg(&db).arg("sample").output().unwrap().status.success());
    let files: Vec<PathBuf> = (0..60)
        .map(|i| {
            let mut bytes = PDF.to_vec();
            bytes.extend(std::iter::repeat_n(i as u8, 1_500_000));
            file(dir.path(), &format!("scan-{i}.pdf"), &bytes)
        })
        .collect();
    let mut landed_mid_attach = false;
    for delay_ms in [40u64, 150, 400] {
        let mut child = Command::new(cli)
            .arg("--db")
            .arg(&db)
            .args(["attach", "--to", "agreement:1"])
            .args(&files)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let tmp_before = std::fs::read_dir(dir.path().join("vault/tmp")).map(|d| d.count()).unwrap_or(0);
        let files_before = std::fs::read_dir(dir.path().join("vault/sha256")).map(|d| d.count()).unwrap_or(0);
        child.kill().unwrap();
        let status = child.wait().unwrap();
        landed_mid_attach |= !status.success() && (tmp_before > 0 || files_before > 0);
        let s = Store::open(&db).unwrap();
        let report = s.verify_vault(|_, _| {}).unwrap();
        assert!(report.missing.is_empty(), "a row points to a missing file: {report:?}");
        assert!(report.altered.is_empty(), "{report:?}");
        let rows = s.documents_of(Entity::Agreement, 1).unwrap().len();
        assert!(rows.is_multiple_of(60), "the rows of one attach are all there or none: {rows}");
        let ok: String = s.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
    }
    assert!(landed_mid_attach, "no kill landed inside an attach: the test proved nothing");
}

#[test]
fn saving_the_council_identity_keeps_its_emblem() {
    let (dir, mut s, _) = setup();
    let emblem = fixture("signing-photo.jpg");
    let with_emblem = s.set_council_emblem(Some(&emblem)).unwrap();
    assert_eq!(with_emblem.emblem_sha256.len(), 64);
    // The window and the CLI send the lines and address only (an empty or stale emblem field).
    let edited = CouncilIdentity {
        address: "شارع محمد الخامس، الرباط".into(),
        emblem_sha256: String::new(),
        ..with_emblem.clone()
    };
    let saved = s.set_council_identity(edited).unwrap();
    assert_eq!(saved.emblem_sha256, with_emblem.emblem_sha256, "the emblem stays");
    assert_eq!(s.council_identity().unwrap().address, "شارع محمد الخامس، الرباط");
    assert_eq!(s.set_council_emblem(None).unwrap().emblem_sha256, "", "removed only on purpose");
    let not_image = file(dir.path(), "emblem.txt", b"not an image");
    assert_eq!(s.set_council_emblem(Some(&not_image)).unwrap_err().code(), "invalid.not_previewable");
}
