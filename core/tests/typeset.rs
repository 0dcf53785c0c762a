//! The typesetting engine against references: glyph for glyph with HarfBuzz itself (`hb-shape`
//! from Debian's libharfbuzz-bin, same font files), text extracted back with `pdftotext` (poppler)
//! in logical order, `qpdf --check` clean, and only embedded subset fonts (`pdffonts`).

use std::path::Path;
use std::process::Command;
use taawun_core::typeset::fonts::{FaceId, Fonts};
use taawun_core::typeset::shape::Shaper;
use taawun_core::typeset::{render, Block, DocumentSpec, Letterhead};

/// Arabic the council writes: lam-alef, hamza forms, harakat, tatweel, Latin names, digits,
/// percentages, parentheses, dates, law numbers.
const CORPUS: &[&str] = &[
    "لا إله إلا الله",
    "الاتفاقية المبرمة بين مجلس عمالة الرباط والجماعة الثالثة لباماكو الكبرى",
    "مسؤول، مسؤولة، رئيس، سؤال، شؤون، هيئة، قراءة، إنشاء، أعضاء، آفاق",
    "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ",
    "الــــــرباط",
    "بلدية مونت لاجولي (Mantes-la-Jolie) في فرنسا",
    "منظمة المدن والحكومات المحلية المتحدة بإفريقيا (CGLUA)",
    "صادق المجلس بالإجماع: 25 صوتا من أصل 31، أي 80% من الأعضاء",
    "وقعت يوم 25/04/2018 بالرباط",
    "طبقا للقانون التنظيمي رقم 112.14 المتعلق بالعمالات والأقاليم",
    "المبلغ الإجمالي: 250000 درهم (مائتان وخمسون ألف درهم)",
];

fn hb_shape(font: &Path, text: &str, rtl: bool) -> Vec<(u16, i32)> {
    let out = Command::new("hb-shape")
        .arg("--font-file")
        .arg(font)
        .args([
            "--no-glyph-names",
            "--output-format=json",
            "--cluster-level=1",
            &format!("--direction={}", if rtl { "rtl" } else { "ltr" }),
        ])
        .arg(text)
        .output()
        .expect("hb-shape (Debian package libharfbuzz-bin) runs; `make test` installs it");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().iter().map(|g| (g["g"].as_u64().unwrap() as u16, g["ax"].as_i64().unwrap() as i32)).collect()
}

#[test]
fn shaping_matches_harfbuzz_glyph_for_glyph() {
    let fonts = Fonts::default();
    let mut shaper = Shaper::new(&fonts);
    let font = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/fonts/TaawunNaskh-Regular.ttf");
    // What Taawun draws after shaping, put back as HarfBuzz gives it: a lam-alef composite is
    // HarfBuzz's alef of no width and lam; a mirrored bracket's glyph of its own is the mirror's.
    let ttf = fonts.face(FaceId::Arabic);
    let own: Vec<(u16, u16)> = "()[]{}<>«»‹›"
        .chars()
        .zip(")(][}{><»«›‹".chars())
        .enumerate()
        .filter_map(|(i, (_, mirror))| {
            let dup = ttf.glyph_index(char::from_u32(0xF500 + i as u32)?)?.0;
            Some((dup, ttf.glyph_index(mirror)?.0))
        })
        .collect();
    let mut undone = 0;
    for text in CORPUS {
        // The Arabic face alone (as hb-shape sees it), over the whole string.
        let mut ours: Vec<(u16, i32)> = Vec::new();
        for g in &shaper.shape(FaceId::Arabic, true, text).glyphs {
            if let Some((alef, lam)) = fonts.lam_alef_parts(FaceId::Arabic, g.gid) {
                ours.extend([(alef, 0), (lam, g.advance)]);
            } else if let Some((_, mirror)) = own.iter().find(|(dup, _)| *dup == g.gid) {
                ours.push((*mirror, g.advance));
            } else {
                ours.push((g.gid, g.advance));
                continue;
            }
            undone += 1;
        }
        assert_eq!(ours, hb_shape(&font, text, true), "{text}");
    }
    assert!(undone >= 8, "the corpus has lam-alefs and brackets: {undone}");
    let latin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/fonts/NotoSans-Regular.ttf");
    for text in ["Convention de partenariat (2018)", "Mantes-la-Jolie, 25/04/2018 : 80 %"] {
        let ours: Vec<(u16, i32)> =
            shaper.shape(FaceId::Latin, false, text).glyphs.iter().map(|g| (g.gid, g.advance)).collect();
        assert_eq!(ours, hb_shape(&latin, text, false), "{text}");
    }
}

fn spec(title: &str) -> DocumentSpec {
    DocumentSpec {
        title: title.into(),
        subtitle: String::new(),
        rtl: true,
        lang: "ar-MA".into(),
        author: "مجلس عمالة الرباط".into(),
        letterhead: Letterhead {
            arabic: vec!["المملكة المغربية".into()], french: vec!["Royaume du Maroc".into()]
        },
        page_label: "الصفحة".into(),
        footer_note: String::new(),
        appended: Vec::new(),
        emblem: None,
        conformance: Default::default(),
        attachments: Vec::new(),
    }
}

/// What pdftotext gives, without the invisible direction marks (poppler's U+202A..U+202E, Taawun's
/// U+200E and U+200F).
fn extract(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c) && !matches!(c, '\u{200E}' | '\u{200F}'))
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn text_comes_back_out_of_the_pdf_in_logical_order() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("corpus.pdf");
    let blocks: Vec<Block> = CORPUS.iter().map(|t| Block::Paragraph { text: t.to_string() }).collect();
    let file = std::fs::File::create(&pdf).unwrap();
    render(&spec("مجموعة اختبار"), &blocks, file).unwrap();
    let text = extract(&pdf);
    let lines: Vec<String> = text.lines().map(squeeze).collect();
    // Every line comes back exactly, harakat and all (the basmala: carriers.rs).
    for original in CORPUS {
        assert!(lines.contains(&squeeze(original)), "{original}\n{text}");
    }
}

#[test]
fn the_pdf_is_valid_and_embeds_only_subsets() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("doc.pdf");
    let long = "تندرج هذه النقطة في إطار تفعيل مقتضيات المادة 94 من القانون التنظيمي رقم 112.14. ".repeat(300);
    let blocks = vec![
        Block::Heading { text: "النقطة الأولى".into(), level: 1 },
        Block::Paragraph { text: long },
        Block::Table {
            columns: vec![("الطرف".into(), 2.0), ("المبلغ".into(), 1.0)],
            rows: vec![vec!["المجلس".into(), "250 000,00 MAD".into()]; 60],
        },
        // Characters no shipped face has: drawn as the missing-glyph box, never dropped.
        Block::Paragraph { text: "漢字 ✓".into() },
    ];
    let (_, pages) = render(&spec("وثيقة طويلة"), &blocks, std::fs::File::create(&pdf).unwrap()).unwrap();
    assert!(pages >= 8, "{pages}");
    let check = Command::new("qpdf").arg("--check").arg(&pdf).output().expect("qpdf");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let fonts = String::from_utf8(Command::new("pdffonts").arg(&pdf).output().expect("pdffonts").stdout).unwrap();
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].chars().nth(6) == Some('+'), "subset tag: {row}");
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "embedded, subset, ToUnicode: {row}");
    }
    let info = String::from_utf8(Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    assert!(info.contains("وثيقة طويلة") && info.contains("مجلس عمالة الرباط"), "{info}");
    assert!(extract(&pdf).contains("النقطة الأولى"));
}

/// The sample Bamako agreement's sheet through the CLI, in Arabic, French and both: valid,
/// the title and the attached scan's SHA-256 readable back, nothing left behind on failure.
#[test]
fn the_bamako_sheet_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_taawun-cli")).arg("--db").arg(&db).args(args).output().unwrap()
    };
    assert!(cli(&["sample"]).status.success());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let scan = fixtures.join("scan-2p.pdf");
    assert!(cli(&["attach", "--to", "agreement:1", scan.to_str().unwrap()]).status.success());
    let sha = "fb37786710247f7c26fd08622ac17a949b6757e0ec2a220c420f41e732ee650c";
    for (lang, title) in [
        ("ar", "بطاقة تقنية للاتفاقية"),
        ("fr", "Fiche technique de la convention"),
        ("both", "Fiche technique de la convention"),
    ] {
        let out = dir.path().join(format!("sheet-{lang}.pdf"));
        let o = cli(&["--json", "sheet", "--agreement", "1", "--lang", lang, "-o", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
        assert!(Command::new("qpdf").arg("--check").arg(&out).output().unwrap().status.success());
        let text = extract(&out);
        assert!(squeeze(&text).contains(&squeeze(title)), "{lang}: {text}");
        for group in sha.as_bytes().chunks(8) {
            assert!(text.contains(std::str::from_utf8(group).unwrap()), "{lang}: the document's hash, in groups of 8");
        }
        if lang != "fr" {
            assert!(squeeze(&text).contains(&squeeze("الجماعة الثالثة لباماكو الكبرى")), "{text}");
        }
    }
    // An unknown agreement: a clear error and no file.
    let missing = dir.path().join("none.pdf");
    let o = cli(&["--json", "sheet", "--agreement", "999", "-o", missing.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(!missing.exists());
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".taawun-part"))
            .count(),
        0
    );
}

/// The corpus page drawn by poppler (`pdftoppm`) against the reviewed reference image in
/// tests/golden (looked at and kept when the layout was right; regenerate with
/// TAAWUN_UPDATE_GOLDEN=1 and look at it again). Differences are counted with ImageMagick's
/// `compare` (5 % colour fuzz); at most 0.5 % of the pixels may differ.
#[test]
fn the_corpus_page_looks_as_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("corpus.pdf");
    let mut blocks: Vec<Block> =
        vec![Block::Heading { text: "مجموعة اختبار الخط العربي".into(), level: 1 }];
    blocks.extend(CORPUS.iter().map(|t| Block::Paragraph { text: t.to_string() }));
    blocks.push(Block::Table {
        columns: vec![("الطرف".into(), 2.0), ("المبلغ".into(), 1.0), ("Pays".into(), 1.0)],
        rows: vec![
            vec!["مجلس عمالة الرباط".into(), "250 000,00 MAD".into(), "Maroc".into()],
            vec!["Commune III de Bamako".into(), "—".into(), "Mali".into()],
        ],
    });
    render(&spec("صفحة مرجعية"), &blocks, std::fs::File::create(&pdf).unwrap()).unwrap();
    let prefix = dir.path().join("page");
    assert!(Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&prefix)
        .status()
        .unwrap()
        .success());
    let page = dir.path().join("page.png");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/corpus-page1.png");
    if std::env::var_os("TAAWUN_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::copy(&page, &golden).unwrap();
    }
    let out = Command::new("compare")
        .args(["-metric", "AE", "-fuzz", "5%"])
        .arg(&page)
        .arg(&golden)
        .arg("null:")
        .output()
        .expect("ImageMagick compare");
    let differing: f64 =
        String::from_utf8_lossy(&out.stderr).split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(f64::MAX);
    let size = Command::new("identify").args(["-format", "%w %h"]).arg(&golden).output().unwrap();
    let dims: Vec<f64> = String::from_utf8_lossy(&size.stdout).split_whitespace().map(|n| n.parse().unwrap()).collect();
    let total = dims[0] * dims[1];
    assert!(differing <= total * 0.005, "{differing} of {total} pixels differ from {}", golden.display());
}

fn pdfinfo(pdf: &Path, args: &[&str]) -> String {
    String::from_utf8(Command::new("pdfinfo").args(args).arg(pdf).output().unwrap().stdout).unwrap()
}

/// The sample June 2019 session's dossier: cover, agenda, contents with the final page numbers,
/// a section per point, then the signed documents: the 2-page PDF merged as it is (page size
/// kept), the JPEG passed through byte for byte, a protected PDF and a file missing from the
/// vault named on their divider pages and not appended. Also one point alone, an empty session,
/// and a free-text point with a 20,000-character note.
#[test]
fn the_sample_session_dossier_with_its_signed_documents() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_taawun-cli")).arg("--db").arg(&db).args(args).output().unwrap()
    };
    assert!(cli(&["sample"]).status.success());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let lost = dir.path().join("lost.pdf");
    std::fs::copy(fixtures.join("restricted.pdf"), &lost).unwrap();
    let files =
        [fixtures.join("scan-2p.pdf"), fixtures.join("signing-photo.jpg"), fixtures.join("encrypted.pdf"), lost];
    let mut args = vec!["attach", "--to", "agreement:1"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    assert!(cli(&args).status.success());
    // The fourth file disappears from the vault behind Taawun's back.
    let sha = |bytes: &[u8]| -> String {
        use sha2::Digest;
        sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
    };
    let lost_sha = sha(&std::fs::read(fixtures.join("restricted.pdf")).unwrap());
    std::fs::remove_file(dir.path().join("vault/sha256").join(&lost_sha[..2]).join(&lost_sha)).unwrap();

    let out = dir.path().join("dossier.pdf");
    let o = cli(&["--json", "dossier", "--session", "1", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let reported: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(Command::new("qpdf").arg("--check").arg(&out).output().unwrap().status.success());
    let info = pdfinfo(&out, &[]);
    let pages: usize =
        info.lines().find(|l| l.starts_with("Pages:")).unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    assert_eq!(reported["pages"], pages);
    let text = extract(&out);
    let flat = squeeze(&text);
    for needle in [
        "ملفالمداولات",
        "دورةيونيو2019العادية",
        "الجماعةالثالثةلباماكوالكبرى",
        "الفهرس",
        "لمتلحق:ملفPDFمحميبكلمةسر.",
        "لمتلحق:الملفمفقودمنالخزانة.",
    ] {
        assert!(flat.contains(needle), "{needle}\n{text}");
    }
    // The merged scan: its two pages, at their own size, right after their divider.
    let original = pdfinfo(&fixtures.join("scan-2p.pdf"), &["-f", "1", "-l", "1"]);
    let size = original
        .lines()
        .find(|l| l.starts_with("Page    1 size"))
        .unwrap()
        .split_once(':')
        .unwrap()
        .1
        .trim()
        .to_string();
    let sizes = pdfinfo(&out, &["-f", "1", "-l", &pages.to_string()]);
    assert_eq!(sizes.lines().filter(|l| l.contains(" size:") && l.ends_with(&size)).count(), 2, "{sizes}");
    // The JPEG inside, byte for byte.
    let jpeg = std::fs::read(fixtures.join("signing-photo.jpg")).unwrap();
    let pdf_bytes = std::fs::read(&out).unwrap();
    assert!(pdf_bytes.windows(jpeg.len()).any(|w| w == jpeg.as_slice()), "the JPEG is passed through unchanged");
    // 4 typeset + 2 + 1 appended at least, and every footer counts them all.
    assert!(pages >= 7, "{pages}");
    assert!(
        text.contains(&format!("/ {pages}")) || text.contains(&format!("{pages} /")),
        "footers count the appended pages"
    );

    // One point alone.
    let one = dir.path().join("point.pdf");
    assert!(cli(&["dossier", "--session", "1", "--point", "2", "-o", one.to_str().unwrap()]).status.success());
    let one_text = squeeze(&extract(&one));
    assert!(one_text.contains("الجماعةالثالثةلباماكو") && !one_text.contains("مركزالأمل"), "only the Bamako point");
    let refused = cli(&[
        "--json",
        "dossier",
        "--session",
        "1",
        "--point",
        "999",
        "-o",
        dir.path().join("x.pdf").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&refused.stdout).contains("not_on_agenda"));

    // An empty session, then a free-text point with a very long note.
    let added = cli(&[
        "--json",
        "session",
        "add",
        "--kind",
        "extraordinary",
        "--year",
        "2020",
        "--month",
        "3",
        "--sitting",
        "16/03/2020",
    ]);
    let sid = serde_json::from_slice::<serde_json::Value>(&added.stdout).unwrap()["record"]["id"].to_string();
    let empty = dir.path().join("empty.pdf");
    assert!(cli(&["dossier", "--session", &sid, "-o", empty.to_str().unwrap()]).status.success());
    assert!(squeeze(&extract(&empty)).contains(&squeeze("لا توجد نقط في جدول الأعمال بعد.")));
    // The longest note Taawun accepts: 20,000 characters.
    let long: String = "يعرض على أنظار المجلس مشروع اتفاقية شراكة وتعاون يحدد التزامات الأطراف. "
        .repeat(300)
        .chars()
        .take(20_000)
        .collect();
    assert!(cli(&["point", "add", "--session", &sid, "--title", "نقطة حرة", "--note-ar", &long]).status.success());
    let big = dir.path().join("long.pdf");
    assert!(cli(&["dossier", "--session", &sid, "--lang", "both", "-o", big.to_str().unwrap()]).status.success());
    assert!(Command::new("qpdf").arg("--check").arg(&big).output().unwrap().status.success());
    assert!(pdfinfo(&big, &[]).contains("Pages:") && !pdfinfo(&big, &[]).contains("Pages:          1\n"));
}

/// The council's identity: letterhead lines checked like any text, the emblem kept in the vault
/// (never collected as unreferenced), drawn on the first page; a non-image refused.
#[test]
fn the_council_identity_and_its_emblem() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_taawun-cli")).arg("--db").arg(&db).args(args).output().unwrap()
    };
    assert!(cli(&["sample"]).status.success());
    let mut identity: serde_json::Value = serde_json::from_slice(&cli(&["--json", "identity"]).stdout).unwrap();
    assert_eq!(identity["arabic"][3], "مجلس عمالة الرباط");
    identity["arabic"][3] = "مجلس \u{202E}عمالة".into();
    let file = dir.path().join("identity.json");
    std::fs::write(&file, identity.to_string()).unwrap();
    let refused = cli(&["--json", "identity", "--from-json", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&refused.stdout).contains("direction_controls"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    assert!(
        !cli(&["identity", "--emblem", fixtures.join("scan-2p.pdf").to_str().unwrap()]).status.success(),
        "a PDF is not an emblem"
    );
    let set: serde_json::Value = serde_json::from_slice(
        &cli(&["--json", "identity", "--emblem", fixtures.join("signing-photo.jpg").to_str().unwrap()]).stdout,
    )
    .unwrap();
    assert_eq!(set["emblem_sha256"].as_str().unwrap().len(), 64);
    let gc: serde_json::Value = serde_json::from_slice(&cli(&["--json", "vault", "gc", "--dry-run"]).stdout).unwrap();
    assert_eq!(gc["files"].as_array().unwrap().len(), 0, "the emblem is referenced");
    let out = dir.path().join("sheet.pdf");
    assert!(cli(&["sheet", "--agreement", "1", "-o", out.to_str().unwrap()]).status.success());
    let jpeg = std::fs::read(fixtures.join("signing-photo.jpg")).unwrap();
    assert!(
        std::fs::read(&out).unwrap().windows(jpeg.len()).any(|w| w == jpeg.as_slice()),
        "the emblem's JPEG, as it is"
    );
    assert!(Command::new("qpdf").arg("--check").arg(&out).output().unwrap().status.success());
}
