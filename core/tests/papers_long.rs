//! A council's long session, printed as a secretary would sign it: 100 agenda points with long
//! names (hyphenated French places, dates, Hijri dates, numbers with their nouns), every paper in
//! Arabic, French and both. On every paper the signature boxes share their page with the end of
//! the text they sign, and no line breaks a hyphenated name or "N°" from its number (read back
//! with pdftotext). Widows and orphans are tested on the typesetter's own level
//! (core/src/typeset/keep.rs).

use std::path::Path;
use std::process::Command;
use taawun_core::i18n::tr;
use taawun_core::model::*;
use taawun_core::print::{session_paper, Paper, PrintLang};
use taawun_core::store::Store;
use taawun_core::Lang;

fn pdftotext(pdf: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-enc", "UTF-8"]);
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().expect("pdftotext");
    String::from_utf8(out.stdout).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| {
            !c.is_whitespace() && !('\u{200e}'..='\u{200f}').contains(c) && !('\u{202a}'..='\u{202e}').contains(c)
        })
        .collect()
}

#[test]
fn a_hundred_points_with_long_names_sign_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let session = store
        .add_session(SessionData {
            kind: SessionKind::Ordinary,
            year: 2026,
            month: 9,
            sittings: vec![Sitting { held_on: "2026-09-14".into(), present: Some(24), ..Sitting::default() }],
            members_in_office: Some(31),
            ..SessionData::default()
        })
        .unwrap()
        .id;
    let mut first = None;
    for i in 1..=100 {
        let title = format!(
            "اتفاقية شراكة وتعاون رقم {i} مع جماعة Mantes-la-Jolie وجماعة Aït-Melloul في مجال تكوين الأطر والتبادل الثقافي، الموقعة في 7 شوال 1440 هـ لمدة 10 أيام، N° {i}/2026"
        );
        let point = store.add_point(session, PointData { title, ..PointData::default() }).unwrap().record.id;
        first.get_or_insert(point);
        let vote = DeliberationData {
            decided_on: "2026-09-14".into(),
            members_present: 24,
            votes_for: 20 + (i % 3) as u32,
            votes_against: (i % 2) as u32,
            abstentions: 0,
            outcome: Outcome::Approved,
            ..DeliberationData::default()
        };
        store.deliberate(point, vote).unwrap();
    }
    let signatories: Vec<String> = ["member_role.president", "member_role.secretary", "paper.transmittal.receipt"]
        .iter()
        .flat_map(|k| [tr(Lang::Ar, k), tr(Lang::Fr, k)])
        .map(|s| squeeze(&s))
        .collect();
    for lang in [PrintLang::Ar, PrintLang::Fr, PrintLang::Both] {
        for paper in
            [Paper::Convocation, Paper::Agenda, Paper::Attendance, Paper::Minutes, Paper::Transmittal, Paper::Decision]
        {
            let pdf = dir.path().join(format!("{paper:?}-{lang:?}.pdf"));
            let point = (paper == Paper::Decision).then_some(first.unwrap());
            let pages = session_paper(&store, paper, session, point, lang, &pdf).unwrap();
            // The last page: the signatures, and text of the paper above them.
            let mut last = squeeze(&pdftotext(&pdf, Some(pages)));
            for s in &signatories {
                last = last.replace(s.as_str(), "");
            }
            for footer in ["الصفحة", "Page", "طبعبواسطةتعاون", "ImpriméparTaawun"] {
                if let Some(at) = last.find(footer) {
                    last.truncate(at);
                }
            }
            assert!(last.chars().count() > 15, "{paper:?} {lang:?}: the signatures alone on page {pages}: «{last}»");
            // What must stay on one line stays there, whatever order pdftotext gives a mixed
            // line in: the hyphenated names whole, "N°" with its number. (Dates and numbers with
            // their nouns: keep.rs's tests; poppler splits "1440" into two words inside a
            // left-to-right line, so the PDF's text cannot judge them.)
            for line in pdftotext(&pdf, None).lines() {
                let whole = |part: &str, with: &[&str]| !line.contains(part) || with.iter().all(|w| line.contains(w));
                assert!(
                    whole("Mantes-", &["Mantes-la-Jolie"])
                        && whole("-Jolie", &["Mantes-la-Jolie"])
                        && whole("Aït-", &["Aït-Melloul"])
                        && whole("/2026", &["N°"]),
                    "{paper:?} {lang:?}: a line broken inside a unit: «{line}»"
                );
            }
        }
    }
}
