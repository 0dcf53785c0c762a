//! Every session paper and the agreement sheet in Arabic, French and both, page 1 rendered by
//! poppler (pdftoppm, 36 dpi, grey) and compared with the images a person reviewed, kept in
//! core/tests/golden/. Printed under SOURCE_DATE_EPOCH, so that the footer's date and the
//! metadata do not change the pages. A page differs when any pixel differs by more than a quarter
//! of the grey scale: the rendering is exact with the same poppler (Debian's, as `make deps-test`
//! installs it), and a swapped "N°" moves six pixels. Anti-aliasing shades are let through.
//!
//! After a deliberate change of the papers: `TAAWUN_BLESS_GOLDEN=1 cargo test -p taawun-core
//! --test golden`, then look at every image in core/tests/golden/ before committing them.

mod common;

use common::{print, voted_sample, PAPERS, PRINTED};
use std::path::{Path, PathBuf};
use std::process::Command;

fn first_page(pdf: &Path, png_stem: &Path) -> PathBuf {
    let out = Command::new("pdftoppm")
        .args(["-r", "36", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(png_stem)
        .output()
        .expect("pdftoppm (poppler-utils)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    png_stem.with_extension("png")
}

/// The share of pixels that differ by more than 64 grey levels, or `None` when the sizes differ.
fn difference(a: &Path, b: &Path) -> Option<f64> {
    let a = image::open(a).unwrap().into_luma8();
    let b = image::open(b).unwrap().into_luma8();
    if a.dimensions() != b.dimensions() {
        return None;
    }
    let differing = a.pixels().zip(b.pixels()).filter(|(p, q)| p.0[0].abs_diff(q.0[0]) > 64).count();
    Some(differing as f64 / (a.width() * a.height()) as f64)
}

#[test]
fn every_paper_looks_as_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let db = voted_sample(dir.path());
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("TAAWUN_BLESS_GOLDEN").is_some();
    let mut failures = Vec::new();
    for lang in ["ar", "fr", "both"] {
        for (name, args) in PAPERS {
            let pdf = dir.path().join(format!("{name}-{lang}.pdf"));
            print(&db, args, lang, &pdf, Some(PRINTED));
            let png = first_page(&pdf, &dir.path().join(format!("{name}-{lang}")));
            let reviewed = golden.join(format!("{name}-{lang}.png"));
            if bless {
                std::fs::create_dir_all(&golden).unwrap();
                std::fs::copy(&png, &reviewed).unwrap();
                continue;
            }
            assert!(reviewed.exists(), "{} is missing: bless the images (see the module's doc)", reviewed.display());
            match difference(&png, &reviewed) {
                Some(share) if share <= 0.0 => {}
                other => {
                    let kept = std::env::temp_dir().join(format!("taawun-golden-{name}-{lang}.png"));
                    std::fs::copy(&png, &kept).unwrap();
                    failures
                        .push(format!("{name}-{lang}: {other:?} of the pixels differ (rendered: {})", kept.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
