//! What only Windows does to Taawun's files, run under Wine by `make test-windows`
//! (tools/windows/test.sh) and on Windows itself: a file another program holds open (a PDF in a
//! viewer, an export in Excel, a vault file being read), Windows' own error numbers, paths with
//! Arabic names and spaces, CRLF text, the data folder under %APPDATA%. Compiled on Windows only.
#![cfg(windows)]

use std::fs::{self, File, OpenOptions};
use std::os::windows::fs::OpenOptionsExt;
use std::path::Path;
use taawun_core::model::{DocumentData, DocumentKind, Entity};
use taawun_core::store::{ListQuery, Store};
use taawun_core::vault::{Vault, DEFAULT_SIZE_LIMIT};
use taawun_core::Lang;

const FILE_SHARE_READ: u32 = 1;
const PDF: &[u8] = include_bytes!("fixtures/scan-2p.pdf");

/// `path` opened as a PDF viewer or Excel opens a file: others may read it, not write, rename or
/// remove it (share read only).
fn held_open(path: &Path) -> File {
    OpenOptions::new().read(true).share_mode(FILE_SHARE_READ).open(path).unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
    names.sort();
    names
}

#[test]
fn writing_over_a_file_another_program_holds_open_names_it_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("اتفاقية باماكو 2018.pdf");
    fs::write(&pdf, b"%PDF-1.7 the sheet printed last week").unwrap();
    let viewer = held_open(&pdf);
    let e = taawun_core::output::write_output(&pdf, |w| w.write_all(b"%PDF-1.7 today's sheet")).unwrap_err();
    assert_eq!(e.code(), "output.in_use", "{e:?}");
    for lang in Lang::ALL {
        let message = e.message(lang);
        assert!(message.contains("اتفاقية باماكو 2018.pdf"), "{lang:?}: {message}");
        assert!(!message.contains("os error"), "{lang:?}: said as the system said it: {message}");
    }
    drop(viewer);
    assert_eq!(fs::read(&pdf).unwrap(), b"%PDF-1.7 the sheet printed last week", "the old file is as it was");
    assert_eq!(names_in(dir.path()), ["اتفاقية باماكو 2018.pdf"], "no part file left beside it");
    // Closed, the same write goes through.
    taawun_core::output::write_output(&pdf, |w| w.write_all(b"%PDF-1.7 today's sheet")).unwrap();
    assert_eq!(fs::read(&pdf).unwrap(), b"%PDF-1.7 today's sheet");
}

#[test]
fn vault_gc_goes_on_past_a_file_another_program_holds_open() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::open(&dir.path().join("vault")).unwrap();
    let mut stored = Vec::new();
    for i in 0..3 {
        let f = dir.path().join(format!("scan {i}.pdf"));
        fs::write(&f, format!("%PDF unreferenced scan {i}")).unwrap();
        stored.push(vault.store_file(&f, DEFAULT_SIZE_LIMIT).unwrap().sha256);
    }
    let reader = held_open(&vault.path_of(&stored[0]));
    let collected = vault.gc(&Default::default(), false).unwrap();
    let mut removed = collected.removed.clone();
    removed.sort();
    let mut others = vec![stored[1].clone(), stored[2].clone()];
    others.sort();
    assert_eq!(removed, others, "the files after the one in use are removed all the same");
    assert_eq!(collected.kept.len(), 1, "{collected:?}");
    assert_eq!(collected.kept[0].0, stored[0]);
    drop(reader);
    assert!(vault.path_of(&stored[0]).exists());
    assert_eq!(vault.gc(&Default::default(), false).unwrap().removed, [stored[0].clone()], "removed once closed");
}

#[test]
fn windows_error_numbers_are_told_as_windows_means_them() {
    let full = taawun_core::Error::from(std::io::Error::from_raw_os_error(112)); // ERROR_DISK_FULL
    assert_eq!(full.code(), "disk_full");
    let handle_full = taawun_core::Error::from(std::io::Error::from_raw_os_error(39)); // ERROR_HANDLE_DISK_FULL
    assert_eq!(handle_full.code(), "disk_full");
    // 122 is ENOSPC's neighbour EDQUOT on Linux, ERROR_INSUFFICIENT_BUFFER here: no full disk.
    assert_ne!(taawun_core::Error::from(std::io::Error::from_raw_os_error(122)).code(), "disk_full");
    let pipe = std::io::Error::from_raw_os_error(233); // ERROR_PIPE_NOT_CONNECTED (`| head -1`)
    assert!(taawun_core::platform::is_closed_pipe(&pipe));
}

#[test]
fn the_default_data_folder_is_under_appdata() {
    let appdata = std::env::var_os("APPDATA").expect("APPDATA is set on Windows");
    let db = taawun_core::store::default_db_path();
    assert!(db.starts_with(&appdata), "{} is not under {}", db.display(), Path::new(&appdata).display());
    assert_eq!(db.file_name().unwrap(), "taawun.db");
}

/// The whole life of a data folder whose path holds Arabic and spaces: records, a signed
/// original attached while a viewer has it open, a backup, its check, a restore elsewhere, the
/// original exported over a file held open (refused, named) and to a free name.
#[test]
fn a_data_folder_with_an_arabic_name_and_spaces_lives_its_whole_life() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("مجلس عمالة الرباط").join("التعاون الدولي 2026");
    fs::create_dir_all(&folder).unwrap();
    let db = folder.join("بيانات تعاون.db");
    let mut s = Store::open(&db).unwrap();
    s.load_sample().unwrap();
    let bamako = s.list_agreements(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    let scan = root.path().join("النسخة الموقعة — باماكو.pdf");
    fs::write(&scan, PDF).unwrap();
    let viewer = held_open(&scan);
    let data = DocumentData { kind: DocumentKind::SignedOriginal, ..Default::default() };
    let docs = s.attach(Entity::Agreement, bamako, std::slice::from_ref(&scan), data).unwrap();
    drop(viewer);
    let agreements = s.count(Entity::Agreement, &ListQuery::default()).unwrap();

    let backups = root.path().join("نسخ احتياطية");
    fs::create_dir_all(&backups).unwrap();
    let backup = backups.join("تعاون 2026-12-07.taawun-backup");
    taawun_core::backup::create(&s, &backup, true, |_, _| {}).unwrap();
    taawun_core::backup::verify(&backup).unwrap();
    drop(s);

    let elsewhere = root.path().join("حاسوب آخر").join("taawun.db");
    let restored = taawun_core::backup::restore(&backup, &elsewhere).unwrap();
    let s = Store::open(&restored.db).unwrap();
    assert_eq!(s.count(Entity::Agreement, &ListQuery::default()).unwrap(), agreements);

    let out = root.path().join("مستخرج الأصل.pdf");
    fs::write(&out, b"someone's file").unwrap();
    let excel = held_open(&out);
    assert!(s.export_document(docs[0].record.id, &out).is_err(), "an existing file is never overwritten");
    drop(excel);
    let free = root.path().join("مستخرج الأصل (2).pdf");
    s.export_document(docs[0].record.id, &free).unwrap();
    assert_eq!(fs::read(&free).unwrap(), PDF, "byte for byte");
}

/// Text written by Windows programs ends its lines with CRLF: a registry saved by Notepad or
/// Excel reads as the same rows.
#[test]
fn a_registry_with_crlf_lines_reads_as_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("سجل الشركاء.csv");
    let text =
        "\u{feff}name_ar,name_latin,country\r\nبلدية باماكو,Commune de Bamako,ML\r\nمدينة ليون,Ville de Lyon,FR\r\n";
    fs::write(&csv, text).unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    let before = s.count(Entity::Partner, &ListQuery::default()).unwrap();
    let options = taawun_core::import::Options { kind: Some(Entity::Partner), ..Default::default() };
    taawun_core::import::import(&mut s, &csv, &options, Lang::Fr).unwrap();
    let partners = s.list_partners(&ListQuery { sort: "name_latin".into(), ..Default::default() }).unwrap();
    assert_eq!(s.count(Entity::Partner, &ListQuery::default()).unwrap(), before + 2);
    assert!(
        partners.items.iter().any(|p| p.name_latin == "Ville de Lyon" && p.country == "FR"),
        "no \\r kept in a cell"
    );
}
