//! Annexes made by others: pdf.js's test PDFs that the print dossier once appended wrong (read
//! from the shared corpus, `../shared/corpus/pdfjs/` beside the repository, which is not
//! copied here: each file keeps its own origin). A stream without /Length, layers hidden by
//! default, visibility expressions, a page with 32,768 links, an AES-256 file whose streams
//! cannot be decrypted. The dossier passes `qpdf --check`, and every appended page shows the same
//! ink as the original page (both drawn by pdftoppm; an original poppler cannot open is first
//! rebuilt by qpdf, its annotations flattened); the annex that cannot be appended faithfully is
//! named with its reason.

use image::GenericImageView;
use std::path::{Path, PathBuf};
use std::process::Command;
use taawun_core::model::{DocumentData, Entity};
use taawun_core::print::{deliberation_dossier, Edition, PrintLang};
use taawun_core::store::Store;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/pdfjs");
    dir.is_dir().then_some(dir)
}

/// Page `page` (from 1) of `pdf` drawn at 40 dpi, into `prefix`.png.
fn drawn(pdf: &Path, page: usize, prefix: &Path) -> Option<image::DynamicImage> {
    let status = Command::new("pdftoppm")
        .args(["-r", "40", "-f", &page.to_string(), "-l", &page.to_string(), "-png", "-singlefile"])
        .arg(pdf)
        .arg(prefix)
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    let mut png = prefix.as_os_str().to_owned();
    png.push(".png");
    // A file poppler cannot open comes out as one pixel.
    image::open(png).ok().filter(|i| i.width() > 1 && i.height() > 1)
}

/// How many pixels differ by more than a tenth of their range in a channel (sizes must agree).
fn differing(a: &image::DynamicImage, b: &image::DynamicImage) -> usize {
    assert_eq!(a.dimensions(), b.dimensions(), "the page keeps its size");
    let (a, b) = (a.to_rgb8(), b.to_rgb8());
    a.pixels().zip(b.pixels()).filter(|(p, q)| p.0.iter().zip(q.0).any(|(x, y)| x.abs_diff(y) > 25)).count()
}

/// The pages of the dossier's text, one string each.
fn page_texts(pdf: &Path) -> Vec<String> {
    let text = Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().unwrap().stdout;
    String::from_utf8_lossy(&text).split('\u{c}').map(str::to_string).collect()
}

#[test]
fn annexes_made_by_others_are_appended_as_they_show_or_refused_with_why() {
    let Some(corpus) = corpus() else {
        eprintln!("skipped: ../shared/corpus/pdfjs is not beside the repository");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut store = Store::open(&d.join("t.db")).unwrap();
    store.load_sample().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 6, "the corpus's six files");
    for path in &files {
        let title = path.file_name().unwrap().to_string_lossy().to_string();
        store
            .attach(Entity::Agreement, 1, std::slice::from_ref(path), DocumentData { title, ..Default::default() })
            .unwrap();
    }
    let out = d.join("dossier.pdf");
    let report = deliberation_dossier(&store, 1, None, PrintLang::Fr, Edition::Print, &out).unwrap();
    let check = Command::new("qpdf").arg("--check").arg(&out).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));

    let texts = page_texts(&out);
    let mut compared = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let annex = report.annexes.iter().find(|a| a.file == name).unwrap();
        if name == "issue7665.pdf" {
            // AES-256 with an empty user password: opened, but its streams are not decrypted.
            assert!(!annex.embedded, "{annex:?}");
            assert_eq!(
                annex.reason.as_deref(),
                Some(taawun_core::i18n::tr(taawun_core::Lang::Fr, "dossier.not_decrypted").as_str())
            );
            continue;
        }
        assert!(annex.embedded && annex.pages == 1, "{name}: {annex:?}");
        // Its page follows its divider, the last page naming its file (the contents name it first).
        let divider = texts.iter().rposition(|t| t.contains(&name)).unwrap_or_else(|| panic!("{name}: no divider"));
        let ours = drawn(&out, divider + 2, &d.join(format!("ours-{name}"))).expect("the dossier's page draws");
        let original = drawn(path, 1, &d.join(format!("orig-{name}"))).or_else(|| {
            // poppler cannot open it (bug1978317.pdf: no trailer it can find, then a page of
            // 32,768 links it refuses); qpdf rebuilds it, its annotations flattened into the page
            // as a reader draws them (links draw nothing).
            let rebuilt = d.join(format!("rebuilt-{name}"));
            Command::new("qpdf").arg("--flatten-annotations=all").arg(path).arg(&rebuilt).status().ok()?;
            drawn(&rebuilt, 1, &d.join(format!("drawn-rebuilt-{name}")))
        });
        let original = original.unwrap_or_else(|| panic!("{name}: the original draws"));
        assert_eq!(differing(&ours, &original), 0, "{name}: the appended page shows what the original shows");
        compared += 1;
    }
    assert_eq!(compared, files.len() - 1);
    // The page of 32,768 links: they draw nothing, so they went, and the report says so.
    let flood = report.annexes.iter().find(|a| a.file == "bug1978317.pdf").unwrap();
    assert!(flood.notes.iter().any(|n| n.contains("liens")), "{flood:?}");
}
