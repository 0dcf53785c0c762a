//! Archival, accessible papers (krilla under Taawun's layout): every paper of the sample
//! session and the agreement sheet is PDF/A-2a and PDF/UA-1 (krilla validates at export; the
//! XMP says so, with the sRGB output intent), tagged with a structure tree (headings, paragraphs,
//! label/value tables with row headers, tables with column headers, the emblem as a figure with
//! its alt text; the letterhead and footers artifacts) and a language on its elements; a
//! dossier with annexes appended claims no profile; a character no face has still prints.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Desk {
    _dir: tempfile::TempDir,
    db: PathBuf,
    out: PathBuf,
}

fn desk() -> Desk {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let out = dir.path().to_path_buf();
    let d = Desk { _dir: dir, db, out };
    assert!(d.cli(&["sample"]).status.success());
    d
}

impl Desk {
    fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_taawun-cli")).arg("--db").arg(&self.db).args(args).output().unwrap()
    }

    /// Runs a printing command writing to `name`; returns the file.
    fn print(&self, name: &str, args: &[&str]) -> PathBuf {
        let path = self.out.join(name);
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["-o", path.to_str().unwrap()]);
        let o = self.cli(&all);
        assert!(
            o.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        path
    }
}

fn run(cmd: &str, args: &[&str], pdf: &Path) -> String {
    let o = Command::new(cmd).args(args).arg(pdf).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// The PDF's objects uncompressed, as text (structure elements live in object streams).
fn uncompressed(pdf: &Path) -> String {
    let plain = pdf.with_extension("qdf.pdf");
    let o = Command::new("qpdf").args(["--qdf", "--object-streams=disable"]).arg(pdf).arg(&plain).output().unwrap();
    assert!(o.status.code().is_some_and(|c| c == 0 || c == 3), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&std::fs::read(&plain).unwrap()).to_string()
}

/// Archival and accessible: the XMP's identification, the output intent, tagged, clean in qpdf.
fn assert_archival(pdf: &Path) {
    let meta = run("pdfinfo", &["-meta"], pdf);
    for claim in ["pdfaid:part>2<", "pdfaid:conformance>A<", "pdfuaid:part>1<"] {
        assert!(meta.contains(claim), "{}: {claim}\n{meta}", pdf.display());
    }
    assert!(run("pdfinfo", &[], pdf).contains("Tagged:          yes"), "{}", pdf.display());
    let objects = uncompressed(pdf);
    assert!(
        objects.contains("/OutputIntents") && objects.contains("/GTS_PDFA1"),
        "{}: sRGB output intent",
        pdf.display()
    );
    let check = Command::new("qpdf").arg("--check").arg(pdf).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn the_agreement_sheet_is_archival_tagged_and_says_its_languages() {
    let d = desk();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    assert!(d.cli(&["identity", "--emblem", fixtures.join("signing-photo.jpg").to_str().unwrap()]).status.success());
    for lang in ["ar", "fr", "both"] {
        let sheet = d.print(&format!("sheet-{lang}.pdf"), &["sheet", "--agreement", "1", "--lang", lang]);
        assert_archival(&sheet);
        let tree = run("pdfinfo", &["-struct"], &sheet);
        let lines: Vec<&str> = tree.lines().map(str::trim).collect();
        assert_eq!(lines.first(), Some(&"Document"), "{tree}");
        for element in ["Figure", "H1", "H2", "Table", "TR", "TH:", "TD"] {
            assert!(lines.iter().any(|l| l.starts_with(element)), "{lang}: {element}\n{tree}");
        }
        // The label of a label/value row heads its row.
        assert!(tree.contains("/Scope /Row"), "{tree}");
        let objects = uncompressed(&sheet);
        assert!(objects.contains("/Alt"), "the emblem has its alt text");
        // Its alt text is the council's Arabic name: the figure says it is Arabic, in French too.
        let figure = objects.split("<<").find(|d| d.contains("/S /Figure")).expect("a Figure element");
        assert!(figure.contains("/Lang (ar"), "{lang}: the emblem's Arabic alt text has its language: {figure}");
        let langs = ["/Lang (ar)", "/Lang (fr)"].map(|l| objects.contains(l));
        assert_eq!(langs, [true, true], "{lang}: Arabic and French elements say so");
    }
}

#[test]
fn every_paper_of_a_session_is_archival() {
    let d = desk();
    for kind in ["convocation", "agenda", "attendance", "minutes", "transmittal"] {
        let paper = d.print(&format!("{kind}.pdf"), &["print", kind, "--session", "1"]);
        assert_archival(&paper);
    }
    {
        use taawun_core::model::{DeliberationData, Outcome};
        let mut store = taawun_core::store::Store::open(&d.db).unwrap();
        let held_on = store.get_session(1).unwrap().data.sittings[0].held_on.clone();
        let vote = DeliberationData {
            decided_on: held_on,
            members_present: 25,
            votes_for: 24,
            abstentions: 1,
            outcome: Outcome::Approved,
            decision_text: "صادق المجلس على الاتفاقية (96%).".into(),
            ..DeliberationData::default()
        };
        store.deliberate(1, vote).unwrap();
    }
    let decision = d.print("decision.pdf", &["print", "decision", "--session", "1", "--point", "1"]);
    assert_archival(&decision);
    // Tables with their column headers.
    let agenda = run("pdfinfo", &["-struct"], &d.out.join("agenda.pdf"));
    assert!(agenda.contains("/Scope /Column") && agenda.contains("THead") && agenda.contains("TBody"), "{agenda}");
    // The dossier without annexes is a paper like the others; with a signed scan appended, it
    // claims no profile (the scan is neither archival nor tagged) and stays tagged.
    let dossier = d.print("dossier.pdf", &["dossier", "--session", "1"]);
    assert_archival(&dossier);
    let scan = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan-2p.pdf");
    assert!(d.cli(&["attach", "--to", "agreement:1", scan.to_str().unwrap()]).status.success());
    let with_scan = d.print("dossier-scan.pdf", &["dossier", "--session", "1"]);
    let meta = run("pdfinfo", &["-meta"], &with_scan);
    assert!(!meta.contains("pdfaid:part"), "no archival claim over appended pages\n{meta}");
    assert!(run("pdfinfo", &[], &with_scan).contains("Tagged:          yes"));
}

#[test]
fn a_character_no_face_has_prints_as_a_stand_in_and_copies_as_itself() {
    let d = desk();
    {
        let mut store = taawun_core::store::Store::open(&d.db).unwrap();
        let mut data = store.get_agreement(1).unwrap().data;
        data.title_fr = "Jumelage avec 漢字 ✓".into();
        store.update_agreement(1, data, None).unwrap();
    }
    let sheet = d.print("sheet.pdf", &["sheet", "--agreement", "1", "--lang", "fr"]);
    assert_archival(&sheet);
    let o = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&sheet).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("漢字") && text.contains("✓"), "{text}");
}

/// The archive edition: PDF/A-3a with each signed original attached byte for byte (a PDF that
/// cannot be shown as pages, protected by a password, is attached all the same), named and
/// hashed on its divider; nothing appended as pages.
#[test]
fn the_archive_edition_attaches_the_signed_originals_byte_for_byte() {
    let d = desk();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files = [fixtures.join("scan-2p.pdf"), fixtures.join("signing-photo.jpg"), fixtures.join("encrypted.pdf")];
    let mut args = vec!["attach", "--to", "agreement:1"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    assert!(d.cli(&args).status.success());
    let archive = d.print("archive.pdf", &["--json", "dossier", "--session", "1", "--edition", "archive"]);
    let meta = run("pdfinfo", &["-meta"], &archive);
    assert!(meta.contains("pdfaid:part>3<") && meta.contains("pdfaid:conformance>A<"), "{meta}");
    assert!(meta.contains("pdfuaid:part>1<"));
    let listed = run("pdfdetach", &["-list"], &archive);
    assert!(listed.contains("3 embedded files"), "{listed}");
    let saved = d.out.join("saved");
    std::fs::create_dir_all(&saved).unwrap();
    let o = Command::new("pdfdetach").args(["-saveall", "-o"]).arg(&saved).arg(&archive).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sha = |bytes: &[u8]| -> String {
        use sha2::Digest;
        sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
    };
    let mut attached: Vec<String> =
        std::fs::read_dir(&saved).unwrap().map(|e| sha(&std::fs::read(e.unwrap().path()).unwrap())).collect();
    let mut filed: Vec<String> = files.iter().map(|f| sha(&std::fs::read(f).unwrap())).collect();
    attached.sort();
    filed.sort();
    assert_eq!(attached, filed, "each original, byte for byte");
    // The print edition of the same dossier has the scans' pages; the archive edition has none.
    let print = d.print("print.pdf", &["dossier", "--session", "1"]);
    let pages = |p: &Path| run("pdfinfo", &[], p).lines().find(|l| l.starts_with("Pages:")).unwrap().to_string();
    assert_ne!(pages(&archive), pages(&print));
    let o = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&archive).arg("-").output().unwrap();
    let text: String = String::from_utf8_lossy(&o.stdout)
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !('\u{202A}'..='\u{202E}').contains(c) && !matches!(c, '\u{200E}' | '\u{200F}')
        })
        .collect();
    assert!(text.contains("01-scan-2p.pdf") && text.contains("03-encrypted.pdf"), "the dividers name them");
}
