//! The six papers of a session (convocation, agenda, attendance register, minutes, decision
//! extract, transmittal form) printed from a session of our own with members, sittings, a quorum
//! and a tie: each PDF passes `qpdf --check`, and `pdftotext` gives back the Arabic and French
//! that was typed (members' names, the points, the articles cited). Papers that cannot be made
//! (a decision of a point not voted) are refused with nothing written; the calendar file holds
//! the sittings and the open deadlines.

mod common;

use chrono::NaiveDate;
use std::path::Path;
use std::process::Command;
use taawun_core::model::*;
use taawun_core::print::{session_paper, Paper, PrintLang};
use taawun_core::store::Store;

fn extract(pdf: &Path) -> String {
    let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(pdf).arg("-").output().expect("pdftotext");
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

fn qpdf_clean(pdf: &Path) {
    let out = Command::new("qpdf").arg("--check").arg(pdf).output().expect("qpdf");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    session: i64,
    voted: i64,
    tie: i64,
    pending: i64,
}

const MEMBERS: [(&str, &str, MemberRole); 4] = [
    ("محمد الأمين البقالي", "Mohamed Lamine El Bakkali", MemberRole::President),
    ("فاطمة الزهراء بنعلي", "Fatima Zahra Benali", MemberRole::Secretary),
    ("يوسف العلوي", "", MemberRole::Member),
    ("", "Nadia Ait Lahcen", MemberRole::Member),
];

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    store.load_sample().unwrap();
    for (ar, fr, role) in MEMBERS {
        store
            .add_member(MemberData {
                mandate: 2021,
                name_ar: ar.into(),
                name_fr: fr.into(),
                role,
                committee: "لجنة الشراكة والتعاون".into(),
            })
            .unwrap();
    }
    let session = store
        .add_session(SessionData {
            kind: SessionKind::Ordinary,
            year: 2026,
            month: 9,
            sittings: vec![
                Sitting {
                    held_on: "2026-09-14".into(),
                    time: "10:00".into(),
                    place: "قاعة الاجتماعات بمقر العمالة".into(),
                    present: Some(15),
                    ..Sitting::default()
                },
                Sitting {
                    held_on: "2026-09-17".into(),
                    time: "10:00".into(),
                    round: 2,
                    present: Some(24),
                    ..Sitting::default()
                },
            ],
            convocation_on: "2026-09-01".into(),
            agenda_sent_on: "2026-08-21".into(),
            members_in_office: Some(31),
            minutes_closing: "ورفعت الجلسة على الساعة الواحدة بعد الزوال.".into(),
            ..SessionData::default()
        })
        .unwrap()
        .id;
    let bamako = store
        .list_agreements(&Default::default())
        .unwrap()
        .items
        .iter()
        .find(|a| a.title_ar.contains("باماكو"))
        .unwrap()
        .id;
    let voted = store
        .add_point(
            session,
            PointData {
                subject: Some(Subject { kind: Entity::Agreement, id: bamako }),
                rapporteur: "رئيس لجنة الشراكة والتعاون".into(),
                ..PointData::default()
            },
        )
        .unwrap()
        .record
        .id;
    let tie = store
        .add_point(
            session,
            PointData {
                title: "اتفاقية شراكة مع جمعية أمل لرعاية المسنين".into(), ..PointData::default()
            },
        )
        .unwrap()
        .record
        .id;
    let pending =
        store.add_point(session, PointData { title: "نقطة مؤجلة".into(), ..PointData::default() }).unwrap().record.id;
    let vote = |f, a, abst, president| DeliberationData {
        decided_on: "2026-09-17".into(),
        members_present: 24,
        votes_for: f,
        votes_against: a,
        abstentions: abst,
        outcome: Outcome::Approved,
        president_vote: president,
        decision_text: String::new(),
        number: String::new(),
    };
    store.deliberate(voted, vote(20, 2, 2, PresidentVote::NotRecorded)).unwrap();
    store.deliberate(tie, vote(11, 11, 2, PresidentVote::For)).unwrap();
    Fixture { _dir: dir, store, session, voted, tie, pending }
}

fn print(
    f: &Fixture,
    paper: Paper,
    point: Option<i64>,
    lang: PrintLang,
) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(format!("{}.pdf", paper.as_str()));
    session_paper(&f.store, paper, f.session, point, lang, &out).unwrap();
    qpdf_clean(&out);
    let text = extract(&out);
    (dir, out, text)
}

#[test]
fn the_convocation_goes_to_each_member_with_the_agenda_timetable_and_article_36() {
    let f = fixture();
    let (_d, pdf, text) = print(&f, Paper::Convocation, None, PrintLang::Ar);
    let t = squeeze(&text);
    for (ar, fr, _) in MEMBERS {
        let name = if ar.is_empty() { fr } else { ar };
        assert!(t.contains(&squeeze(name)), "{name} convened:\n{text}");
    }
    assert!(t.contains(&squeeze("المادة 36 من القانون التنظيمي 112.14")), "{text}");
    assert!(t.contains(&squeeze("الجماعة الثالثة لباماكو")), "the agenda");
    assert!(t.contains(&squeeze("قاعة الاجتماعات بمقر العمالة")), "the timetable");
    assert!(t.contains(&squeeze("4 شتنبر 2026")), "to reach the members 10 days before 14 September");
    let pages = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let pages: usize = String::from_utf8_lossy(&pages.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(pages >= MEMBERS.len(), "a letter per member, each from a new page: {pages}");
    assert_eq!(text.matches("إلى السيد(ة)").count(), MEMBERS.len(), "{text}");
}

#[test]
fn the_agenda_and_the_attendance_register() {
    let f = fixture();
    let (_d, _, text) = print(&f, Paper::Agenda, None, PrintLang::Fr);
    let t = squeeze(&text);
    assert!(t.contains(&squeeze("art. 39 de la loi organique 112-14")), "{text}");
    assert!(t.contains(&squeeze("21 août 2026")), "its sending date: {text}");
    let (_d, _, text) = print(&f, Paper::Attendance, None, PrintLang::Both);
    let t = squeeze(&text);
    assert!(t.contains(&squeeze("Nadia Ait Lahcen")) && t.contains(&squeeze("يوسف العلوي")), "{text}");
    assert!(t.contains(&squeeze("الاستدعاء الثاني")), "the second sitting is a second convocation");
    // The note in both languages (poppler reads a bilingual page's Arabic lines in its own
    // order: the French is checked whole).
    assert!(t.contains(&squeeze("art. 68 de la loi")) && t.contains("68"), "{text}");
    assert!(!t.contains("°N"), "«N°» stays as written in the bilingual header: {text}");
}

#[test]
fn the_minutes_record_quorum_votes_the_tie_and_the_officers_words() {
    let f = fixture();
    let (_d, _, text) = print(&f, Paper::Minutes, None, PrintLang::Ar);
    let t = squeeze(&text);
    // (Words only: poppler reorders a number next to a colon in a right-to-left line.)
    assert!(t.contains(&squeeze("النصاب غير مكتمل")), "the first sitting without quorum: {text}");
    assert!(t.contains(&squeeze("النصاب مكتمل")), "the second with it: {text}");
    assert!(t.contains(&squeeze("الاستدعاء الثاني")), "{text}");
    assert!(t.contains(&squeeze("2026/1")) && t.contains(&squeeze("2026/2")), "decision numbers");
    assert!(t.contains(&squeeze("تصويت الرئيس")), "the president's vote on the tie is named");
    assert!(t.contains(&squeeze("ورفعت الجلسة على الساعة الواحدة بعد الزوال.")), "the closing as typed");
    assert!(t.contains(&squeeze("نقطة مؤجلة")), "a point not voted is still in the minutes");
}

#[test]
fn the_decision_extract_and_the_transmittal_form() {
    let f = fixture();
    let (_d, _, text) = print(&f, Paper::Decision, Some(f.voted), PrintLang::Both);
    let t = squeeze(&text);
    assert!(t.contains(&squeeze("مقرر رقم 2026/1")) || t.contains(&squeeze("2026/1")), "{text}");
    assert!(t.contains(&squeeze("Décide")) && t.contains(&squeeze("يقرر ما يلي")), "{text}");
    // (The bilingual paper holds the Arabic paper's words: a_bilingual_paper_holds_the_arabic_and_the_french_paper_whole; poppler
    // reads the numbers of a page half Arabic and half French in its own order.)
    let (_d, _, text) = print(&f, Paper::Decision, Some(f.voted), PrintLang::Ar);
    let t = squeeze(&text);
    assert!(t.contains(&squeeze("المادة 109")), "a twinning with a foreign party waits for the governor's visa");
    let (_d, _, text) = print(&f, Paper::Decision, Some(f.tie), PrintLang::Fr);
    assert!(squeeze(&text).contains(&squeeze("Vote du président")), "{text}");
    let (_d, _, text) = print(&f, Paper::Transmittal, None, PrintLang::Ar);
    let t = squeeze(&text);
    assert!(t.contains(&squeeze("674.18")) && t.contains(&squeeze("المادة 107")), "{text}");
    // Closing Thursday 17 September: 10 working days -> 1 October 2026 (the year is left out of
    // the check: poppler moves a number that follows a dash in a right-to-left line).
    assert!(t.contains(&squeeze("17 شتنبر 2026")) && t.contains(&squeeze("1 أكتوبر")), "{text}");
}

/// The transmittal's "send by" date says when it rests on a forecast Eid, as the due list does,
/// and stops saying so once the officer records the month.
#[test]
fn the_transmittal_says_its_date_depends_on_a_forecast_eid() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    // Closing Monday 10 May 2027; Eid al-Adha 1448 is forecast on 17 and 18 May.
    let session =
        common::decided_session(&mut store, NaiveDate::from_ymd_opt(2027, 5, 10).unwrap(), 1, "اتفاقية شراكة");
    let out = dir.path().join("transmittal.pdf");
    let printed = |store: &Store| {
        session_paper(store, Paper::Transmittal, session, None, PrintLang::Fr, &out).unwrap();
        squeeze(&extract(&out))
    };
    let t = printed(&store);
    assert!(t.contains(&squeeze("26 mai 2027")), "{t}");
    // (pdftotext may interleave the label's second line with the value's.)
    assert!(t.contains(&squeeze("date prévue de l'Aïd al-Adha 1448 H.")) && t.contains("Dépend"), "{t}");
    store.set_hijri_correction(1448, 12, 0).unwrap();
    let t = printed(&store);
    assert!(t.contains(&squeeze("26 mai 2027")) && !t.contains(&squeeze("Dépend")), "{t}");
}

#[test]
fn a_decision_needs_a_voted_point_and_nothing_is_written_otherwise() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d.pdf");
    let e = session_paper(&f.store, Paper::Decision, f.session, Some(f.pending), PrintLang::Ar, &out).unwrap_err();
    assert_eq!(e.code(), "invalid.not_decided");
    let e = session_paper(&f.store, Paper::Decision, f.session, None, PrintLang::Ar, &out).unwrap_err();
    assert_eq!(e.field(), Some("point"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file, no part left");
    assert_eq!("minutes".parse::<Paper>().unwrap(), Paper::Minutes);
    assert!("procès-verbal".parse::<Paper>().is_err());
}

#[test]
fn the_cli_prints_a_paper_and_writes_the_calendar() {
    let Fixture { _dir: keep, store, session, .. } = fixture();
    let db = store.path().unwrap().to_path_buf();
    let session = session.to_string();
    drop(store);
    let _keep = keep;
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("convocation.pdf");
    let cli = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_taawun-cli")).arg("--db").arg(&db).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    cli(&["print", "convocation", "--session", &session, "--lang", "fr", "-o", pdf.to_str().unwrap()]);
    // The pages counted as a secretary counts them ("صفحة واحدة", "صفحتان", not "1 صفحات").
    let said = cli(&["--lang", "ar", "print", "agenda", "--session", &session, "-o", pdf.to_str().unwrap()]);
    let pages = lopdf::Document::load(&pdf).unwrap().get_pages().len() as u64;
    let counted = taawun_core::plural::counted(taawun_core::Lang::Ar, "page", pages);
    assert!(said.trim_end().ends_with(&format!("{counted}.")), "{said}");
    cli(&["print", "convocation", "--session", &session, "--lang", "fr", "-o", pdf.to_str().unwrap()]);
    qpdf_clean(&pdf);
    assert!(squeeze(&extract(&pdf)).contains(&squeeze("art. 36 de la loi organique 112-14")));
    let ics = dir.path().join("agenda.ics");
    let said = cli(&["--lang", "fr", "calendar", "-o", ics.to_str().unwrap(), "--at", "2026-09-18"]);
    assert!(said.contains("événements"), "{said}");
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "CRLF lines");
    assert!(text.contains("DTSTART:20260914T100000"), "the first sitting at its time");
    // Open deadlines after the closing on 17 September, each with its article.
    let unfolded = text.replace("\r\n ", "");
    assert!(unfolded.contains("art. 68 de la loi organique 112-14"), "{unfolded}");
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20260922"), "attendance copy 5 days after: {unfolded}");
    assert!(unfolded.contains("DTEND;VALUE=DATE:20260923"), "all-day events end the next day");
    // Written again: the same UIDs (an agenda re-imports them as updates).
    let uids = |t: &str| t.lines().filter(|l| l.starts_with("UID:")).map(String::from).collect::<Vec<_>>();
    cli(&["--lang", "fr", "calendar", "-o", ics.to_str().unwrap(), "--at", "2026-09-18"]);
    assert_eq!(uids(&std::fs::read_to_string(&ics).unwrap().replace("\r\n ", "")), uids(&unfolded));
}

/// The words of a PDF's tagged content (`pdfinfo -struct-text`: no letterhead, footer or
/// repeated table header, which are artifacts), after its title and subtitle, each word as the
/// PDF maps it (an Arabic word in its drawn order, the same wherever it is drawn), without the
/// punctuation at its ends (a comma after an Arabic name in a French line is drawn beside the
/// word that ends the line, which depends on the column's width).
fn content_words(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdfinfo").arg("-struct-text").arg(pdf).output().expect("pdfinfo");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut element = 0;
    let mut words = Vec::new();
    for line in text.lines() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if indent == 2 && !body.starts_with('"') {
            element += 1; // a top-level element: the first is the title, the second the subtitle
        } else if body.starts_with('"') && element > 2 {
            let quoted = body.trim_matches('"');
            words.extend(
                quoted
                    .split_whitespace()
                    .map(|w| w.chars().filter(|c| !matches!(c, '\u{200E}' | '\u{200F}')).collect::<String>())
                    .map(|w| w.trim_matches([',', '.', ';', ':']).to_string())
                    .filter(|w| !w.is_empty()),
            );
        }
    }
    words.sort();
    words
}

/// A bilingual paper is the Arabic paper and the French paper side by side: its content holds
/// the words of both, and nothing else (the register, signed once, writes a number or a blank
/// once where the two papers have it each).
#[test]
fn a_bilingual_paper_holds_the_arabic_and_the_french_paper_whole() {
    let f = fixture();
    for (paper, point) in [
        (Paper::Convocation, None),
        (Paper::Agenda, None),
        (Paper::Attendance, None),
        (Paper::Minutes, None),
        (Paper::Decision, Some(f.voted)),
        (Paper::Transmittal, None),
    ] {
        let words = |lang| content_words(&print(&f, paper, point, lang).1);
        let (ar, fr, both) = (words(PrintLang::Ar), words(PrintLang::Fr), words(PrintLang::Both));
        assert!(ar.len() > 10 && fr.len() > 10, "{paper:?}: {ar:?} {fr:?}");
        let mut each: Vec<String> = ar.iter().chain(&fr).cloned().collect();
        each.sort();
        if paper == Paper::Attendance {
            each.dedup();
            let mut once = both.clone();
            once.dedup();
            assert_eq!(once, each, "{paper:?}");
        } else {
            assert_eq!(both, each, "{paper:?}");
        }
    }
}

/// The bilingual agreement sheet is the Arabic sheet and the French sheet side by side.
#[test]
fn the_bilingual_agreement_sheet_holds_both_sheets_whole() {
    let f = fixture();
    let agreements = f.store.list_agreements(&Default::default()).unwrap().items;
    let bamako = agreements.iter().find(|a| a.title_ar.contains("باماكو")).unwrap().id;
    let words = |lang| {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("sheet.pdf");
        taawun_core::print::agreement_sheet(&f.store, bamako, lang, &pdf).unwrap();
        content_words(&pdf)
    };
    let (ar, fr, both) = (words(PrintLang::Ar), words(PrintLang::Fr), words(PrintLang::Both));
    let mut each: Vec<String> = ar.iter().chain(&fr).cloned().collect();
    each.sort();
    assert!(ar.len() > 20 && fr.len() > 20);
    assert_eq!(both, each);
}

/// A point titled with harakat (a council may vowel a name or a verse) prints with its title
/// whole: every word, marks and all, in the Arabic decision and in the bilingual one.
#[test]
fn a_vowelled_title_copies_out_of_the_decision_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    let title = "اتِّفَاقِيَّةُ شَرَاكَةٍ مَعَ جَمَاعَةِ مَانْت لَاجُولِي";
    let session = common::decided_session(&mut store, NaiveDate::from_ymd_opt(2027, 5, 10).unwrap(), 1, title);
    let point = store.points_of(session).unwrap()[0].record.id;
    for lang in [PrintLang::Ar, PrintLang::Both] {
        let out = dir.path().join("decision.pdf");
        session_paper(&store, Paper::Decision, session, Some(point), lang, &out).unwrap();
        let text = extract(&out);
        for word in title.split(' ') {
            assert!(text.split_whitespace().any(|w| w.contains(word)), "{lang:?}: {word}\n{text}");
        }
    }
}
