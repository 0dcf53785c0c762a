//! The figures of the council's cooperation (store::figures), against counts made by hand: on
//! the council's sample records as loaded on first start, then with funding, trainings, dues and
//! an agreement about to expire added on top.

use chrono::NaiveDate;
use taawun_core::model::*;
use taawun_core::store::{Amount, Count, CountryFigure, Store, YearStatus};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
}

fn counts(pairs: &[(&str, i64)]) -> Vec<Count> {
    pairs.iter().map(|(key, count)| Count { key: key.to_string(), count: *count }).collect()
}

fn country(code: &str, partners: i64, agreements: i64) -> CountryFigure {
    CountryFigure { country: code.into(), partners, agreements }
}

fn amount(currency: &str, minor: i64) -> Amount {
    Amount { currency: currency.into(), minor }
}

fn sample() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.load_sample().unwrap();
    store
}

#[test]
fn the_sample_counted_by_hand() {
    let store = sample();
    let f = store.figures(None, today()).unwrap();
    // Bamako (signed 25 April 2018, Mali), the tripartite declaration with Guédiawaye and
    // Mantes-la-Jolie (signed, undated: Senegal and France), Mantes-la-Jolie (signed 2016).
    assert_eq!(f.agreements.total, 3);
    assert_eq!(f.years, vec![2018, 2016], "the years to choose from, the undated one not among them");
    assert_eq!(
        f.agreements.by_year,
        vec![
            YearStatus { year: None, status: "signed".into(), count: 1 },
            YearStatus { year: Some(2016), status: "signed".into(), count: 1 },
            YearStatus { year: Some(2018), status: "signed".into(), count: 1 },
        ]
    );
    assert_eq!(f.agreements.by_status, counts(&[("signed", 3)]));
    assert_eq!(f.agreements.by_kind, counts(&[("partnership", 2), ("tripartite", 1)]));
    assert_eq!(f.agreements.by_direction, counts(&[("south_north", 1), ("south_south", 1), ("triangular", 1)]));
    assert_eq!(f.agreements.expiring, 0);
    // Two projects of the Moroccan-French fund, no budget line recorded.
    assert_eq!(f.funds.len(), 1);
    assert_eq!((f.funds[0].projects, f.funds[0].committed.len()), (2, 0));
    assert!(f.funds[0].fund.contains("المغربي-الفرنسي"));
    // One training (Al Majd), its number of people not recorded.
    assert_eq!(f.activities.by_kind, counts(&[("training", 1)]));
    assert_eq!((f.activities.people_trained, f.activities.trainings_without_count), (0, 1));
    // Partners: Bamako (ML), Guédiawaye (SN), Mantes-la-Jolie (FR), UCLG Africa (MA, Rabat).
    assert_eq!(f.countries, vec![country("FR", 1, 2), country("MA", 1, 0), country("ML", 1, 1), country("SN", 1, 1)]);
    // UCLG Africa since May 2008, dues not recorded.
    assert_eq!((f.memberships.count, f.memberships.dues.len()), (1, 0));
}

#[test]
fn a_year_narrows_every_figure_and_currencies_are_never_added_together() {
    let mut store = sample();
    let dakar = store
        .add_partner(PartnerData {
            kind: PartnerKind::ForeignCollectivity,
            name_ar: "مدينة دكار".into(),
            name_latin: "Ville de Dakar".into(),
            short_name: String::new(),
            country: "SN".into(),
            region: String::new(),
            city: "Dakar".into(),
            address: String::new(),
            contacts: vec![],
            notes: String::new(),
        })
        .unwrap()
        .id;
    let agreement = store
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
    let line = |label: &str, amount: &str, currency: &str| BudgetLine {
        partner_id: None,
        label: label.into(),
        amount: amount.into(),
        currency: currency.into(),
        minor: 0,
    };
    store
        .add_project(ProjectData {
            agreement_id: agreement,
            title_ar: "تكوين الأطر".into(),
            title_fr: "Formation".into(),
            fund: "صندوق دعم التعاون جنوب-جنوب".into(),
            start_on: "2019".into(),
            end_on: "2020".into(),
            status: ProjectStatus::Completed,
            budget_lines: vec![
                line("مساهمة المجلس", "250000", "MAD"),
                line("مساهمة الشريك", "12000,50", "EUR"),
                line("منحة", "50000", "MAD"),
            ],
            activities: vec![
                Activity {
                    kind: ActivityKind::Training,
                    title: "دورة تكوينية".into(),
                    start_on: "2019-05".into(),
                    end_on: String::new(),
                    people_trained: Some(24),
                    notes: String::new(),
                },
                Activity {
                    kind: ActivityKind::Visit,
                    title: "زيارة ميدانية".into(),
                    start_on: "2020-02".into(),
                    end_on: String::new(),
                    people_trained: None,
                    notes: String::new(),
                },
            ],
            ..Default::default()
        })
        .unwrap();

    let all = store.figures(None, today()).unwrap();
    assert_eq!(all.agreements.total, 4);
    assert_eq!(all.agreements.expiring, 1, "in force, expiring on 15 January 2027, within 90 days of 6 December");
    let fund = all.funds.iter().find(|f| f.fund.contains("جنوب-جنوب")).unwrap();
    assert_eq!(fund.committed, vec![amount("EUR", 1_200_050), amount("MAD", 30_000_000)], "per currency");
    assert_eq!(all.activities.people_trained, 24);

    let y2019 = store.figures(Some(2019), today()).unwrap();
    assert_eq!(y2019.years, vec![2019, 2018, 2016], "every year, whichever is asked for");
    assert_eq!(y2019.agreements.total, 1);
    assert_eq!(y2019.agreements.by_year, vec![YearStatus { year: Some(2019), status: "in_force".into(), count: 1 }]);
    assert_eq!(y2019.agreements.by_direction, counts(&[("south_south", 1)]));
    assert_eq!(y2019.agreements.expiring, 0, "it expires in 2027");
    // Running in 2019: the new project and Al Amal (2019–2021); Al Majd ended in 2018.
    let projects: i64 = y2019.funds.iter().map(|f| f.projects).sum();
    assert_eq!(projects, 2);
    // Held in 2019: the training (May 2019); the visit was in 2020.
    assert_eq!(y2019.activities.by_kind, counts(&[("training", 1)]));
    assert_eq!(y2019.activities.people_trained, 24);
    assert_eq!(y2019.countries, vec![country("SN", 1, 1)], "the partners of 2019's agreements");
    assert_eq!(y2019.memberships.count, 1, "UCLG Africa since 2008");

    let y2020 = store.figures(Some(2020), today()).unwrap();
    assert_eq!(y2020.funds.iter().map(|f| f.projects).sum::<i64>(), 2, "its last year counts, as Al Amal's second");
    assert_eq!(y2020.activities.by_kind, counts(&[("visit", 1)]));
    assert_eq!((y2020.activities.people_trained, y2020.agreements.total), (0, 0));

    let y2027 = store.figures(Some(2027), today()).unwrap();
    assert_eq!((y2027.agreements.total, y2027.agreements.expiring), (0, 1), "signed in 2019, expiring in 2027");
    // Each direction's bar leads to a list of the same agreements.
    for d in &all.agreements.by_direction {
        let q = taawun_core::store::ListQuery { direction: d.key.clone(), ..Default::default() };
        assert_eq!(store.count(Entity::Agreement, &q).unwrap(), d.count, "{}", d.key);
        assert_eq!(store.list_agreements(&q).unwrap().items.len() as i64, d.count, "{}", d.key);
    }
    let y2007 = store.figures(Some(2007), today()).unwrap();
    assert_eq!(y2007.memberships.count, 0, "not a member yet");
}

#[test]
fn what_is_in_the_trash_is_not_counted() {
    let mut store = sample();
    let before = store.figures(None, today()).unwrap();
    let dakar = store
        .add_partner(PartnerData {
            kind: PartnerKind::ForeignCollectivity,
            name_ar: "مدينة دكار".into(),
            name_latin: "Ville de Dakar".into(),
            country: "SN".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let agreement = store
        .add_agreement(
            AgreementData {
                kind: AgreementKind::Twinning,
                title_ar: "اتفاقية توأمة مع مدينة دكار".into(),
                parties: vec![dakar],
                signed_on: "2019-03-10".into(),
                ..Default::default()
            },
            Some(AgreementStatus::InForce),
            Some("2019-03-10"),
        )
        .unwrap()
        .id;
    let with = store.figures(None, today()).unwrap();
    assert_eq!((with.agreements.total, with.years.clone()), (4, vec![2019, 2018, 2016]));
    assert_eq!(with.agreements.by_direction, counts(&[("south_north", 1), ("south_south", 2), ("triangular", 1)]));
    // The agreement to the trash: its year, status, kind, direction and country go with it.
    store.delete(Entity::Agreement, agreement).unwrap();
    let after = store.figures(None, today()).unwrap();
    assert_eq!(after.agreements, before.agreements);
    assert_eq!(after.years, before.years);
    assert_eq!(after.countries.iter().find(|c| c.country == "SN").unwrap().agreements, 1, "the tripartite one");
    assert_eq!(store.figures(Some(2019), today()).unwrap().agreements.total, 0);
    // Its partner to the trash too: partners counted are the live ones.
    store.delete(Entity::Partner, dakar).unwrap();
    assert_eq!(store.figures(None, today()).unwrap(), before);
    // Back from the trash, counted again.
    store.restore(Entity::Partner, dakar).unwrap();
    store.restore(Entity::Agreement, agreement).unwrap();
    assert_eq!(store.figures(None, today()).unwrap().agreements, with.agreements);
}
