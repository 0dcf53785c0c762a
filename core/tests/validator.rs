//! Every paper checked by a validator Taawun did not write: `page-validation` (PyPI, installed by
//! `make deps-test`; a checker that runs the veraPDF test corpus) over each paper kind of a voted
//! session in ar, fr and both, the agreement sheet, the annual report, both dossier editions and
//! a decision on a point titled with harakat.
//! Each file passes every profile its XMP claims (PDF/A-2a or PDF/A-3a, PDF/UA-1), and every
//! paper claims PDF/A and PDF/UA.

mod common;

use common::{print, voted_sample, PAPERS};
use std::path::{Path, PathBuf};
use std::process::Command;
use taawun_core::print::{session_paper, Paper, PrintLang};

/// The profiles a PDF's XMP metadata claims, as `page`'s profile names.
fn claimed(pdf: &Path) -> Vec<&'static str> {
    let bytes = std::fs::read(pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let has = |needle: &str| text.contains(needle);
    let mut out = Vec::new();
    if has("<pdfaid:part>2</pdfaid:part>") && has("<pdfaid:conformance>A</pdfaid:conformance>") {
        out.push("PDF_A_2A");
    }
    if has("<pdfaid:part>3</pdfaid:part>") && has("<pdfaid:conformance>A</pdfaid:conformance>") {
        out.push("PDF_A_3A");
    }
    if has("<pdfuaid:part>1</pdfuaid:part>") {
        out.push("PDF_UA_1");
    }
    out
}

const VALIDATE: &str = r#"
import json, sys, page
for line in sys.stdin:
    path, profile = line.rstrip("\n").split("\t")
    r = page.validate_pdf(path, profile=getattr(page.ValidationProfile, profile))
    fails = sorted({f"{f.rule_id}: {f.message}" for f in r.failures})
    print(json.dumps({"path": path, "profile": profile, "ok": bool(r.is_compliant), "failures": fails[:5]}))
"#;

#[test]
fn every_paper_passes_the_profiles_it_claims() {
    let dir = tempfile::tempdir().unwrap();
    let db = voted_sample(dir.path());
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    let out = |name: String| dir.path().join(name);
    for lang in ["ar", "fr", "both"] {
        for (paper, args) in PAPERS {
            let pdf = out(format!("{paper}-{lang}.pdf"));
            print(&db, args, lang, &pdf, None);
            files.push((pdf, true));
        }
        let pdf = out(format!("report-{lang}.pdf"));
        print(&db, &["report", "--year", "2019"], lang, &pdf, None);
        files.push((pdf, true));
        for edition in ["print", "archive"] {
            let pdf = out(format!("dossier-{edition}-{lang}.pdf"));
            print(&db, &["dossier", "--session", "1", "--edition", edition], lang, &pdf, None);
            // A print edition with annexes' pages appended claims no profile (their pages are not
            // Taawun's); the archive edition always claims PDF/A-3a.
            files.push((pdf, edition == "archive"));
        }
    }
    // A print whose data ends a stream with a carriage return (one print in twenty or so, by the
    // printing day in its footer): the French convocation printed on successive days until one
    // does (typeset::framing gives it a CR LF before `endstream`).
    let day = 86_400;
    let mended = (0..200).map(|n| 1_780_000_000 + n * day).find_map(|epoch| {
        let pdf = out(format!("convocation-fr-{epoch}.pdf"));
        print(&db, PAPERS[0].1, "fr", &pdf, Some(&epoch.to_string()));
        let bytes = std::fs::read(&pdf).unwrap();
        bytes.windows(12).any(|w| w == b"\r\r\nendstream").then_some(pdf)
    });
    files.push((mended.expect("a print day whose convocation has a stream ending in a CR"), true));
    // A point titled with harakat: its lines drawn as outlines, their text on carriers
    // (typeset/carriers.rs).
    let mut store = taawun_core::store::Store::open(&dir.path().join("vowelled.db")).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2027, 5, 10).unwrap();
    let vowelled = common::decided_session(&mut store, day, 1, "بِسْمِ اللَّهِ: اتِّفَاقِيَّةُ شَرَاكَةٍ مَعَ جَمَاعَةِ مَانْت لَاجُولِي");
    let point = store.points_of(vowelled).unwrap()[0].record.id;
    for (lang, name) in [(PrintLang::Ar, "ar"), (PrintLang::Both, "both")] {
        let pdf = out(format!("decision-vowelled-{name}.pdf"));
        session_paper(&store, Paper::Decision, vowelled, Some(point), lang, &pdf).unwrap();
        files.push((pdf, true));
    }
    let mut jobs = String::new();
    for (pdf, must_claim) in &files {
        let profiles = claimed(pdf);
        if *must_claim {
            assert!(profiles.contains(&"PDF_UA_1"), "{} claims no PDF/UA-1", pdf.display());
            assert!(profiles.iter().any(|p| p.starts_with("PDF_A")), "{} claims no PDF/A", pdf.display());
        }
        for p in profiles {
            jobs.push_str(&format!("{}\t{p}\n", pdf.display()));
        }
    }
    let mut child = Command::new("python3")
        .args(["-c", VALIDATE])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(jobs.as_bytes()).unwrap();
    let done = child.wait_with_output().unwrap();
    assert!(
        done.status.success(),
        "page-validation (make deps-test installs it): {}",
        String::from_utf8_lossy(&done.stderr)
    );
    let results: Vec<serde_json::Value> =
        String::from_utf8(done.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(results.len(), jobs.lines().count(), "one verdict per file and profile");
    let failed: Vec<&serde_json::Value> = results.iter().filter(|r| r["ok"] != true).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(results.len() >= 60, "{} verdicts", results.len());
}
