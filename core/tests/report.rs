//! The annual cooperation report: what `Store::annual_report` puts in a year, against counts made
//! by hand on the sample with records added (an agreement in force from 2019, Bamako terminated
//! in 2020, an agreement that ran out in 2011, a draft, budget lines in two currencies, dues, a
//! deliberation); then the PDF of every sample year in Arabic, French and both: archival, its
//! charts and map tagged as figures with their numbers in words, and its text extracted back as
//! typed.

use chrono::NaiveDate;
use std::path::Path;
use std::process::Command;
use taawun_core::model::*;
use taawun_core::print::{annual_report, PrintLang};
use taawun_core::store::Store;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
}

fn partner(store: &mut Store, ar: &str, latin: &str, country: &str) -> i64 {
    store
        .add_partner(PartnerData {
            kind: PartnerKind::ForeignCollectivity,
            name_ar: ar.into(),
            name_latin: latin.into(),
            country: country.into(),
            ..Default::default()
        })
        .unwrap()
        .id
}

fn line(partner_id: Option<i64>, label: &str, amount: &str, currency: &str) -> BudgetLine {
    BudgetLine { partner_id, label: label.into(), amount: amount.into(), currency: currency.into(), minor: 0 }
}

/// The sample, and on top of it: Dakar (in force from 10 March 2019 to 15 January 2027, with a
/// project of 2019–2020 funded in MAD and EUR), an agreement with Thiès signed in 2010 for 24
/// months (ran out at the end of 2011), a draft with no date, Bamako terminated on 30 June 2020,
/// the dues of UCLG Africa, and the council's vote on the session's second point (Bamako).
fn council(store: &mut Store) {
    store.load_sample().unwrap();
    let dakar = partner(store, "مدينة دكار", "Ville de Dakar", "SN");
    let thies = partner(store, "جماعة تييس", "Commune de Thiès", "SN");
    let dakar_agreement = store
        .add_agreement(
            AgreementData {
                kind: AgreementKind::Twinning,
                title_ar: "اتفاقية توأمة مع مدينة دكار".into(),
                title_fr: "Jumelage avec la Ville de Dakar".into(),
                parties: vec![dakar],
                signed_on: "2019-03-10".into(),
                end_on: "2027-01-15".into(),
                ..Default::default()
            },
            Some(AgreementStatus::InForce),
            Some("2019-03-10"),
        )
        .unwrap()
        .id;
    store
        .add_agreement(
            AgreementData {
                kind: AgreementKind::Partnership,
                title_ar: "اتفاقية شراكة مع جماعة تييس".into(),
                parties: vec![thies],
                signed_on: "2010-01-01".into(),
                duration_months: Some(24),
                ..Default::default()
            },
            Some(AgreementStatus::Signed),
            Some("2010-01-01"),
        )
        .unwrap();
    store
        .add_agreement(
            AgreementData {
                kind: AgreementKind::Memorandum,
                title_ar: "مشروع مذكرة تفاهم".into(),
                parties: vec![dakar],
                ..Default::default()
            },
            None,
            None,
        )
        .unwrap();
    store.set_agreement_status(1, AgreementStatus::Terminated, Some("2020-06-30"), "فسخ باتفاق الطرفين").unwrap();
    store
        .add_project(ProjectData {
            agreement_id: dakar_agreement,
            title_ar: "تكوين أطر مدينة دكار".into(),
            title_fr: "Formation des cadres de Dakar".into(),
            fund: "صندوق دعم التعاون جنوب-جنوب".into(),
            start_on: "2019".into(),
            end_on: "2020".into(),
            status: ProjectStatus::Ongoing,
            budget_lines: vec![
                line(None, "مساهمة المجلس", "1500000", "MAD"),
                line(Some(dakar), "Contribution de Dakar", "12000,50", "EUR"),
            ],
            ..Default::default()
        })
        .unwrap();
    let membership = store.get_membership(1).unwrap();
    let mut dues = membership.data.clone();
    dues.dues_amount = "20000".into();
    dues.dues_currency = "MAD".into();
    store.update_membership(1, dues, Some(&membership.updated_at)).unwrap();
    let held_on = store.get_session(1).unwrap().data.sittings[0].held_on.clone();
    store
        .deliberate(
            2,
            DeliberationData {
                decided_on: held_on,
                members_present: 30,
                votes_for: 27,
                votes_against: 2,
                abstentions: 1,
                outcome: Outcome::Approved,
                ..DeliberationData::default()
            },
        )
        .unwrap();
}

fn titles(r: &taawun_core::store::AnnualReport) -> Vec<String> {
    r.agreements.iter().map(|a| if a.title_fr.is_empty() { a.title_ar.clone() } else { a.title_fr.clone() }).collect()
}

#[test]
fn a_year_holds_what_the_records_say_counted_by_hand() {
    let mut store = Store::open_in_memory().unwrap();
    council(&mut store);
    let year = |y| store.annual_report(y, today(), taawun_core::Lang::Ar).unwrap();

    // 2019: Mantes-la-Jolie (2016, open-ended), Bamako (2018, three years), Dakar (from March).
    let r = year(2019);
    assert_eq!(
        titles(&r),
        vec![
            "Convention de partenariat et de coopération avec Mantes-la-Jolie",
            "Convention de partenariat et de coopération avec la Commune III du District de Bamako",
            "Jumelage avec la Ville de Dakar",
        ]
    );
    let dakar = &r.agreements[2];
    assert_eq!(dakar.status_at_start, None, "not yet recorded on 1 January");
    assert_eq!(
        dakar.changes.iter().map(|c| (c.status, c.on.as_str())).collect::<Vec<_>>(),
        vec![(AgreementStatus::InForce, "2019-03-10")]
    );
    assert_eq!(dakar.status_at_end, AgreementStatus::InForce);
    let bamako = &r.agreements[1];
    assert_eq!(
        (bamako.status_at_start, bamako.changes.len(), bamako.status_at_end),
        (Some(AgreementStatus::Signed), 0, AgreementStatus::Signed)
    );
    assert_eq!(r.undated, 1, "the tripartite declaration, signed with no date (the draft is not binding)");
    // The year's figures are the dashboard's for that year: one signed (Dakar).
    assert_eq!(r.figures.agreements.total, 1);
    assert_eq!(r.trend.iter().map(|t| t.year.unwrap()).collect::<Vec<_>>(), vec![2010, 2016, 2018, 2019]);
    // The 2019 session, its two points, the second voted.
    assert_eq!(r.sessions.len(), 1);
    assert_eq!(r.sessions[0].points.len(), 2);
    let voted: Vec<_> = r.sessions[0].points.iter().filter_map(|p| p.deliberation.as_ref()).collect();
    assert_eq!(voted.len(), 1);
    assert_eq!((voted[0].record.data.votes_for, voted[0].record.data.votes_against), (27, 2));
    // Projects running in 2019: Al Amal training (2019–2021) and Dakar's (2019–2020) with its
    // two lines; Al Majd ended in 2018.
    assert_eq!(r.projects.len(), 2);
    let lines = &r.projects.iter().find(|p| p.title_fr.contains("Dakar")).unwrap().lines;
    assert_eq!(
        lines.iter().map(|l| (l.partner.is_some(), l.minor, l.currency.as_str())).collect::<Vec<_>>(),
        vec![(false, 150_000_000, "MAD"), (true, 1_200_050, "EUR")]
    );
    assert_eq!(r.memberships.len(), 1);
    assert_eq!((r.memberships[0].dues_minor, r.memberships[0].dues_currency.as_str()), (Some(2_000_000), "MAD"));

    // 2020: Bamako terminated in June is listed with that change; 2021: no longer.
    let r = year(2020);
    assert_eq!(r.agreements.len(), 3);
    let bamako = r.agreements.iter().find(|a| a.id == 1).unwrap();
    assert_eq!(
        (bamako.status_at_start, bamako.changes.iter().map(|c| c.status).collect::<Vec<_>>(), bamako.status_at_end),
        (Some(AgreementStatus::Signed), vec![AgreementStatus::Terminated], AgreementStatus::Terminated)
    );
    assert_eq!(r.sessions.len(), 0);
    let r = year(2021);
    assert_eq!(
        titles(&r),
        vec!["Convention de partenariat et de coopération avec Mantes-la-Jolie", "Jumelage avec la Ville de Dakar"]
    );

    // 2011: only Thiès (2010 for 24 months, to 31 December 2011); 2012: it ran out.
    assert_eq!(titles(&year(2011)), vec!["اتفاقية شراكة مع جماعة تييس"]);
    assert!(year(2012).agreements.is_empty());
    // 2007: before everything, even UCLG Africa (2008).
    let r = year(2007);
    assert!(r.agreements.is_empty() && r.projects.is_empty() && r.memberships.is_empty() && r.trend.is_empty());
}

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

/// The text of the tagged structure in reading order (poppler's `pdfinfo -struct-text`): each
/// table cell whole, whatever the columns beside it. Squeezed like `squeeze`.
fn structure_text(pdf: &Path) -> String {
    let tree = run("pdfinfo", &["-struct-text"], pdf);
    let text: String = tree
        .lines()
        .map(str::trim)
        .filter(|l| l.len() >= 2 && l.starts_with('"') && l.ends_with('"'))
        .map(|l| &l[1..l.len() - 1])
        .collect();
    squeeze(&text.replace(['\u{200E}', '\u{200F}'], ""))
}

fn run(cmd: &str, args: &[&str], pdf: &Path) -> String {
    let o = Command::new(cmd).args(args).arg(pdf).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn the_report_prints_for_every_sample_year_and_reads_back_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    council(&mut store);
    let mut years = store.figures(None, today()).unwrap().years;
    years.push(2007);
    for year in years {
        for (lang, code) in [(PrintLang::Ar, "ar"), (PrintLang::Fr, "fr"), (PrintLang::Both, "both")] {
            let pdf = dir.path().join(format!("report-{year}-{code}.pdf"));
            let pages = annual_report(&store, year, lang, &pdf).unwrap();
            assert!(pages >= 2, "{year} {code}: {pages} pages");
            let meta = run("pdfinfo", &["-meta"], &pdf);
            assert!(meta.contains("pdfaid:part>2<") && meta.contains("pdfuaid:part>1<"), "{year} {code}");
            let check = Command::new("qpdf").arg("--check").arg(&pdf).output().unwrap();
            assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
            let text = squeeze(&extract(&pdf));
            let has = |s: &str| text.contains(&squeeze(s));
            // Arabic is checked in pdftotext's reading (poppler orders a page's lines by bidi;
            // its structure text keeps the drawn order), French in the tagged text too.
            let tagged = structure_text(&pdf);
            let in_tags = |s: &str| tagged.contains(&squeeze(s));
            let (ar, fr) = (code != "fr", code != "ar");
            if ar {
                // A bilingual page reads left to right in poppler, which then moves the numbers
                // of Arabic lines (a limit asserted in copy_paste.rs): the year is checked on
                // Arabic pages only.
                let title = if code == "ar" {
                    format!("التقرير السنوي لتعاون المجلس، سنة {year}")
                } else {
                    "التقرير السنوي لتعاون المجلس".to_string()
                };
                assert!(has(&title), "{year} {code}:\n{text}");
                assert!(has("السنة في أرقام") && has("العضويات والاشتراكات"), "{year} {code}");
            }
            if fr {
                assert!(has(&format!("Rapport annuel de la coopération du conseil, {year}")), "{year} {code}");
                assert!(has("L'année en chiffres"), "{year} {code}");
            }
            let structure = run("pdfinfo", &["-struct"], &pdf);
            let figures = structure.lines().filter(|l| l.trim() == "Figure").count();
            match year {
                2019 => {
                    // The trend, by direction, by kind, the map, commitments in MAD and in EUR.
                    assert_eq!(figures, 6, "{year} {code}\n{structure}");
                    if code == "ar" {
                        for typed in [
                            "مدينة دكار",
                            "10 مارس 2019",
                            "سارية",
                            "27 موافقا، معارضان، ممتنع واحد",
                            "1 500 000 MAD",
                            "12 000,50 EUR",
                            "مساهمة المجلس",
                            "منظمة المدن والحكومات المحلية الإفريقية",
                            "20 000 MAD",
                            "السنغال",
                        ] {
                            assert!(has(typed), "{year} {code}: {typed}\n{text}");
                        }
                    }
                    if code == "fr" {
                        for typed in [
                            "Jumelage avec la Ville de Dakar",
                            "Mantes-la-Jolie",
                            "27 pour, 2 contre, 1 abstention",
                            "Contribution de Dakar",
                            "Sénégal",
                        ] {
                            assert!(in_tags(typed), "{year} {code}: {typed}\n{tagged}");
                        }
                    }
                }
                2007 => {
                    assert_eq!(figures, 0, "{year} {code}: nothing to draw\n{structure}");
                    if code == "ar" {
                        assert!(has("لم تكن أي اتفاقية سارية خلال 2007."), "{text}");
                    }
                }
                _ => assert!(figures >= 4, "{year} {code}: {figures} figures"),
            }
        }
    }
}

#[test]
fn each_chart_says_its_numbers_in_its_alternative_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    council(&mut store);
    let pdf = dir.path().join("report.pdf");
    annual_report(&store, 2019, PrintLang::Fr, &pdf).unwrap();
    let plain = dir.path().join("plain.pdf");
    let o = Command::new("qpdf").args(["--qdf", "--object-streams=disable"]).arg(&pdf).arg(&plain).output().unwrap();
    assert!(o.status.code().is_some_and(|c| c == 0 || c == 3));
    let objects = String::from_utf8_lossy(&std::fs::read(&plain).unwrap()).to_string();
    // Alt texts are UTF-16 when they hold characters past ASCII: read them all decoded.
    let alts = strings_of(&objects, "/Alt ");
    let expect = [
        "Diagramme en barres. Conventions signées chaque année jusqu'à 2019, selon leur situation actuelle. 2010: 1 Signée; 2016: 1 Signée; 2018: 1 Résiliée; 2019: 1 En vigueur.",
        "Carte. Les pays des partenaires des conventions en vigueur pendant 2019 : France: 1; Mali: 1; Sénégal: 1.",
    ];
    for e in expect {
        assert!(alts.iter().any(|a| a == e), "{e}\n{alts:#?}");
    }
    assert!(
        alts.iter()
            .any(|a| a.starts_with("Diagramme en barres. Engagements par source de financement en 2019, en EUR.")),
        "{alts:#?}"
    );
}

/// The strings after `key` in a PDF's objects (qpdf's QDF form), decoded from hex UTF-16 or
/// literal.
fn strings_of(objects: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = objects;
    while let Some(at) = rest.find(key) {
        rest = &rest[at + key.len()..];
        if let Some(hex) = rest.strip_prefix('<') {
            let end = hex.find('>').unwrap();
            let bytes: Vec<u8> =
                (0..end / 2).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
            let units: Vec<u16> = bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            out.push(String::from_utf16_lossy(&units));
        } else if let Some(lit) = rest.strip_prefix('(') {
            let end = lit.find(')').unwrap();
            out.push(lit[..end].to_string());
        }
    }
    out
}

#[test]
fn headings_are_titled_in_reading_order() {
    // A right-to-left line is drawn in visual order; the title a heading gives assistive
    // technology (its /T) is the text as typed.
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db")).unwrap();
    council(&mut store);
    let pdf = dir.path().join("report.pdf");
    annual_report(&store, 2019, PrintLang::Ar, &pdf).unwrap();
    let plain = dir.path().join("plain.pdf");
    let o = Command::new("qpdf").args(["--qdf", "--object-streams=disable"]).arg(&pdf).arg(&plain).output().unwrap();
    assert!(o.status.code().is_some_and(|c| c == 0 || c == 3));
    let titles = strings_of(&String::from_utf8_lossy(&std::fs::read(&plain).unwrap()), "/T ");
    for typed in
        ["التقرير السنوي لتعاون المجلس، سنة 2019", "السنة في أرقام", "الاتفاقيات السارية خلال 2019 حسب نوع التعاون"]
    {
        assert!(titles.iter().any(|t| t == typed), "{typed}\n{titles:#?}");
    }
}
