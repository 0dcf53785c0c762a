//! Copying text out of Taawun's PDFs gives the text that was typed, in logical order, line for
//! line — with poppler (`pdftotext`) and with pdf.js (the vendored build, run in Node) — for lines
//! that mix Arabic with numbers, brackets, percentages, dates, law numbers and Latin names, in
//! Arabic papers and in French ones. The only characters allowed in the way are the invisible
//! direction marks: poppler's own embeddings (U+202A–U+202E) and the marks Taawun draws (U+200E,
//! U+200F, with no width, docs/decisions/pdf-writer.md).
//!
//! Known limits, asserted as such so that a change in them is seen: pdf.js decides a line's
//! direction by its share of Arabic letters (under 30 % it reads the line left to right), and
//! poppler decides it for a whole page (a French line with Arabic in it comes back in order only
//! on a page that is mostly French).

use std::path::Path;
use std::process::Command;
use taawun_core::typeset::{render, Block, DocumentSpec, Letterhead};

/// Lines of the council's Arabic papers.
const ARABIC: &[&str] = &[
    "لا إله إلا الله",
    "بلدية مونت لاجولي (Mantes-la-Jolie) في فرنسا",
    "منظمة المدن والحكومات المحلية المتحدة بإفريقيا (CGLUA)",
    "صادق المجلس بالإجماع: 25 صوتا من أصل 31، أي 80% من الأعضاء",
    "وقعت يوم 25/04/2018 بالرباط",
    "طبقا للقانون التنظيمي رقم 112.14 المتعلق بالعمالات والأقاليم، ولا سيما المادة 44 منه",
    "المبلغ الإجمالي: 250000 درهم (مائتان وخمسون ألف درهم)",
    "بنسبة (35%) من الميزانية، أي 1.500.000,00 درهم",
    "مسؤول، مسؤولة، رئيس، سؤال، شؤون، هيئة، قراءة، إنشاء، أعضاء، آفاق",
    "الدورة العادية لشهر أكتوبر 2024 – النقطة 3: اتفاقية توأمة مع Saint-Étienne",
    "اتفاقية شراكة مع UCLG Africa وCommune de Mantes-la-Jolie (France) لسنة 2024–2026",
];

/// Vowelled Arabic: the basmala a paper may open with, names written with their shadda, a
/// sentence long enough to wrap and be justified, tanween and shadda at either end of a word,
/// marks beside numbers and a Latin name.
const VOWELLED: &[&str] = &[
    "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ",
    "مُحَمَّد بْن عَبْدِ اللَّه",
    "وَبَعْدَ الْمُدَاوَلَةِ، قَرَّرَ الْمَجْلِسُ بِالْإِجْمَاعِ الْمُصَادَقَةَ عَلَى اتِّفَاقِيَّةِ الشَّرَاكَةِ مَعَ جَمَاعَةِ مَانْت لَاجُولِي، وَتَكْلِيفَ رَئِيسِ الْمَجْلِسِ بِتَوْقِيعِهَا وَتَتَبُّعِ تَنْفِيذِهَا",
    "شُكْرًا جَزِيلًا، وَالسَّلَامُ عَلَيْكُمْ وَرَحْمَةُ اللَّهِ تَعَالَى وَبَرَكَاتُهُ",
    "صَادَقَ الْمَجْلِسُ يَوْمَ 25/04/2018 عَلَى اتِّفَاقِيَّةِ (Mantes-la-Jolie) بِنِسْبَةِ 80% مِنَ الْأَعْضَاءِ",
];

/// Lines of a French paper that name Arabic things.
const FRENCH: &[&str] = &[
    "Convention de jumelage avec la Commune de Bamako, signée le 25/04/2018 à Rabat.",
    "Partenaire : مجلس جهة الرباط سلا القنيطرة (Maroc), membre depuis 2019.",
    "Objet : appui à la coopération décentralisée (التعاون اللامركزي) pour 2024–2026.",
    "Contribution du Conseil : 250 000 MAD, soit 80 % du budget (loi organique n° 112.14).",
    "Le Conseil de la Préfecture de Rabat et l'Association des Maires du Sénégal conviennent de ce qui suit.",
];

fn spec(rtl: bool) -> DocumentSpec {
    DocumentSpec {
        title: if rtl { "نسخ النص" } else { "Copier le texte" }.into(),
        subtitle: String::new(),
        rtl,
        lang: if rtl { "ar-MA" } else { "fr-MA" }.into(),
        author: "Taawun".into(),
        letterhead: Letterhead { arabic: Vec::new(), french: Vec::new() },
        page_label: if rtl { "الصفحة" } else { "Page" }.into(),
        footer_note: String::new(),
        appended: Vec::new(),
        emblem: None,
        conformance: Default::default(),
        attachments: Vec::new(),
    }
}

fn pdf_of(dir: &Path, name: &str, rtl: bool, lines: &[&str]) -> std::path::PathBuf {
    let path = dir.join(name);
    let blocks: Vec<Block> = lines.iter().map(|t| Block::Paragraph { text: t.to_string() }).collect();
    render(&spec(rtl), &blocks, std::fs::File::create(&path).unwrap()).unwrap();
    path
}

/// The extracted text's lines, trimmed, without the invisible direction marks.
fn lines_of(text: &[u8]) -> Vec<String> {
    let text = String::from_utf8(text.to_vec()).unwrap();
    let visible: String = text
        .chars()
        .filter(|c| !('\u{202A}'..='\u{202E}').contains(c) && !matches!(c, '\u{200E}' | '\u{200F}'))
        .collect();
    visible.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

fn poppler(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(pdf).arg("-").output().expect("pdftotext");
    assert!(out.status.success());
    lines_of(&out.stdout)
}

fn pdfjs(pdf: &Path) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("node")
        .arg(root.join("tests/support/pdfjs-extract.mjs"))
        .arg(root.join("../ui/vendor/pdfjs"))
        .arg(pdf)
        .output()
        .expect("node, to run pdf.js");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    lines_of(&out.stdout)
}

/// Where pdf.js's own bidi reads a line otherwise than Unicode's: it takes a line for left to
/// right when under 30 % of its characters are right-to-left (pdf.js `bidi.js`), and every
/// character past Latin-1 outside the Hebrew and Arabic blocks for a left-to-right letter (an
/// en dash, a euro sign).
fn pdfjs_misreads(line: &str) -> bool {
    let total = line.chars().count() as f32;
    let arabic = line.chars().filter(|c| ('\u{0600}'..='\u{06FF}').contains(c)).count() as f32;
    let mistyped = |c: char| {
        c > '\u{FF}'
            && !('\u{0590}'..='\u{08FF}').contains(&c)
            && unicode_bidi::bidi_class(c) != unicode_bidi::BidiClass::L
    };
    arabic < 0.3 * total || line.chars().any(mistyped)
}

/// Whether the extracted lines, read one after the other, hold `typed` (a paragraph longer
/// than a line comes back in lines).
fn holds(lines: &[String], typed: &str) -> bool {
    lines.iter().any(|l| l == typed) || lines.join(" ").contains(typed)
}

#[test]
fn arabic_lines_copy_out_as_typed_with_poppler_and_pdfjs() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = pdf_of(dir.path(), "ar.pdf", true, ARABIC);
    let (from_poppler, from_pdfjs) = (poppler(&pdf), pdfjs(&pdf));
    for line in ARABIC {
        assert!(holds(&from_poppler, line), "poppler: {line}\n{from_poppler:#?}");
        assert_eq!(holds(&from_pdfjs, line), !pdfjs_misreads(line), "pdf.js: {line}\n{from_pdfjs:#?}");
    }
    let footer = "الصفحة 1 / 1";
    assert!(holds(&from_poppler, footer) && holds(&from_pdfjs, footer));
}

#[test]
fn french_lines_with_arabic_copy_out_as_typed_with_poppler_and_pdfjs() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = pdf_of(dir.path(), "fr.pdf", false, FRENCH);
    let (from_poppler, from_pdfjs) = (poppler(&pdf), pdfjs(&pdf));
    for line in FRENCH {
        assert!(holds(&from_poppler, line), "poppler: {line}\n{from_poppler:#?}");
        assert!(holds(&from_pdfjs, line), "pdf.js: {line}\n{from_pdfjs:#?}");
    }
}

#[test]
fn vowelled_arabic_copies_out_as_typed_with_poppler_and_pdfjs() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = pdf_of(dir.path(), "vowelled.pdf", true, VOWELLED);
    let (from_poppler, from_pdfjs) = (poppler(&pdf), pdfjs(&pdf));
    for line in VOWELLED {
        assert!(holds(&from_poppler, line), "poppler: {line}\n{from_poppler:#?}");
        assert!(holds(&from_pdfjs, line), "pdf.js: {line}\n{from_pdfjs:#?}");
    }
    // Nothing else: no mark left on a line of its own or on the line above (the title, the footer
    // and pdf.js's warning about Node aside).
    let typed: usize = VOWELLED.iter().map(|l| l.chars().filter(|c| !c.is_whitespace()).count()).sum();
    let body = |l: &&String| l.as_str() != "نسخ النص" && !l.starts_with("الصفحة") && !l.starts_with("Warning:");
    for (reader, lines) in [("poppler", &from_poppler), ("pdf.js", &from_pdfjs)] {
        let read: usize = lines.iter().filter(body).map(|l| l.chars().filter(|c| !c.is_whitespace()).count()).sum();
        assert_eq!(read, typed, "{reader}: {lines:#?}");
    }
}
