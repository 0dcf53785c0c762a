//! Council sessions through the store and the CLI: the legal calendar against the holidays
//! Morocco actually observed (fixtures/moroccan-islamic-holidays.json), working days across year
//! ends and Eids, the workflow from a draft agreement to "in force", the deadlines that appear on
//! the way, and the bad inputs (votes that do not add up, deleted records, reordering).

use chrono::NaiveDate;
use std::process::Command;
use taawun_core::calendar::HolidayRules;
use taawun_core::model::LegalSettings;
use taawun_core::model::*;
use taawun_core::store::{ListQuery, Store};
use taawun_core::Lang;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn fixture() -> serde_json::Value {
    serde_json::from_str(include_str!("fixtures/moroccan-islamic-holidays.json")).unwrap()
}

/// Each Islamic holiday Morocco observed falls on its day with no correction entered: the month
/// is announced in the shipped data (core/data/hijri-months-morocco.tsv) or forecast from the
/// crescent over Morocco, and Umm al-Qura (Saudi Arabia's) is not used.
#[test]
fn the_islamic_holidays_morocco_observed_2018_2025_fall_on_their_days() {
    let rules = HolidayRules::default();
    for h in fixture()["holidays"].as_array().unwrap() {
        let key = format!("holiday.{}", h["holiday"].as_str().unwrap());
        let observed: NaiveDate = h["date"].as_str().unwrap().parse().unwrap();
        let hijri: Vec<i64> = h["hijri"].as_str().unwrap().split('-').map(|p| p.parse().unwrap()).collect();
        let (year, month, day) = (hijri[0] as i32, hijri[1] as u8, hijri[2] as u8);
        assert_eq!(
            rules.hijri_calendar.from_hijri(year, month, day).unwrap(),
            observed,
            "{key} {year} ({})",
            h["source"]
        );
        assert_eq!(rules.holiday(observed).as_deref(), Some(key.as_str()), "{key} on {observed}");
        assert_eq!(rules.hijri_calendar.to_hijri(observed).day, day);
    }
}

#[test]
fn the_fixed_holidays_of_2018_to_2027() {
    let fx = fixture();
    let rules = HolidayRules::default();
    for year in 2018..=2027 {
        let days: Vec<NaiveDate> = rules.holidays_in(year).into_iter().map(|(d, _)| d).collect();
        for md in fx["fixed"]["every_year"].as_array().unwrap() {
            let d: NaiveDate = format!("{year}-{}", md.as_str().unwrap()).parse().unwrap();
            assert!(days.contains(&d), "{d}");
        }
        let yennayer = ymd(year, 1, 14);
        assert_eq!(days.contains(&yennayer), year >= 2024, "14 January {year}");
        // Every year also has its two Eids, Mawlid and the Hijri new year (possibly twice).
        for key in ["eid_al_fitr", "eid_al_adha", "mawlid", "hijri_new_year"] {
            assert!(rules.holidays_in(year).iter().any(|(_, k)| k == &format!("holiday.{key}")), "{key} {year}");
        }
    }
}

#[test]
fn working_days_across_year_ends_yennayer_and_eid() {
    let rules = HolidayRules::default();
    // 1 January skipped, then a weekend: Friday 26 December 2025 + 10 -> Monday 12 January 2026.
    assert_eq!(rules.add_working_days(ymd(2025, 12, 26), 10), ymd(2026, 1, 12));
    // 14 January counts as a holiday from 2024 only.
    assert_eq!(rules.add_working_days(ymd(2025, 1, 13), 1), ymd(2025, 1, 15));
    assert_eq!(rules.add_working_days(ymd(2022, 1, 13), 1), ymd(2022, 1, 14));
    // Eid al-Adha 1445: Monday 17 and Tuesday 18 June 2024 in Morocco, as announced (Umm al-Qura:
    // Sunday 16 and Monday 17).
    assert_eq!(rules.add_working_days(ymd(2024, 6, 14), 1), ymd(2024, 6, 19));
    // Moving a month is -1, 0 or +1 day from the day Taawun has: nothing else.
    let mut morocco = HolidayRules::default();
    assert!(morocco.hijri_calendar.shift_month(1445, 12, 2).is_err());
    assert!(morocco.hijri_calendar.shift_month(1445, 13, 1).is_err());
    morocco.hijri_calendar.shift_month(1445, 12, -1).unwrap();
    assert_eq!(morocco.add_working_days(ymd(2024, 6, 14), 1), ymd(2024, 6, 18));
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.load_sample().unwrap();
    (dir, s)
}

fn june_2019(s: &mut Store) -> i64 {
    let data = SessionData {
        kind: SessionKind::Ordinary,
        year: 2019,
        month: 6,
        number: None,
        sittings: vec![
            Sitting {
                held_on: "10/06/2019".into(),
                time: "10:00".into(),
                place: "مقر العمالة".into(),
                ..Sitting::default()
            },
            Sitting { held_on: "12/06/2019".into(), time: String::new(), place: String::new(), ..Sitting::default() },
        ],
        convocation_on: "27/05/2019".into(),
        members_in_office: Some(31),
        notes: String::new(),
        ..SessionData::default()
    };
    s.add_session(data).unwrap().id
}

fn vote(on: &str, present: u32, f: u32, a: u32, abst: u32, outcome: Outcome) -> DeliberationData {
    DeliberationData {
        number: String::new(),
        decided_on: on.into(),
        members_present: present,
        votes_for: f,
        votes_against: a,
        abstentions: abst,
        outcome,
        decision_text: String::new(),
        ..DeliberationData::default()
    }
}

fn point(subject: Option<Subject>, title: &str) -> PointData {
    PointData {
        subject,
        title: title.into(),
        rapporteur: "رئيس لجنة الشراكة والتعاون".into(),
        note_ar: "مذكرة تقديم".into(),
        note_fr: String::new(),
        reexamines: None,
    }
}

/// From a draft agreement to "in force": the council's vote, the notification, the visa, the
/// signature; the agreement's status follows and its history says why; each step's deadline
/// appears and goes away.
#[test]
fn from_draft_to_in_force_with_every_deadline_on_the_way() {
    let (_dir, mut s) = store();
    let bamako_partner =
        s.list_partners(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    let draft = s
        .add_agreement(
            AgreementData {
                kind: AgreementKind::Twinning,
                title_ar: "اتفاقية توأمة مع باماكو".into(),
                title_fr: "Jumelage avec Bamako".into(),
                legal_basis: "المادة 94 من القانون التنظيمي رقم 112.14".into(),
                reference: String::new(),
                parties: vec![bamako_partner],
                areas: vec![],
                signed_on: String::new(),
                signed_at: String::new(),
                effective_from: String::new(),
                duration_months: Some(60),
                end_on: String::new(),
                tacit_renewal: false,
                notes: String::new(),
            },
            None,
            None,
        )
        .unwrap()
        .id;
    let session = june_2019(&mut s);
    let p = s.add_point(session, point(Some(Subject { kind: Entity::Agreement, id: draft }), "")).unwrap().record.id;
    let before = s.due(ymd(2019, 5, 20), Lang::En).unwrap();
    assert!(!before.iter().any(|d| d.kind == "convocation" && d.id == session), "convened on 27 May already");
    let example = before.iter().find(|d| d.kind == "convocation").expect("the example session is not convened yet");
    assert_eq!(example.due_on, "2019-05-31", "10 days before its sitting of 10 June");

    // The vote: numbered from the pattern, the agreement moves to "approved by the council".
    let d = s.deliberate(p, vote("12/06/2019", 28, 25, 2, 1, Outcome::Approved)).unwrap();
    assert_eq!(d.record.data.number, "2019/1");
    assert_eq!(d.visa.status, VisaStatus::Pending, "a twinning with a foreign collectivity needs the visa");
    assert!(!d.below_quorum);
    let a = s.agreement_view(draft).unwrap();
    assert_eq!(a.status, AgreementStatus::CouncilApproved);
    // Its status history names the deliberation and leads to the session that voted it.
    let approved = a.status_changes.last().unwrap();
    assert_eq!((approved.note.as_str(), approved.session_id), ("deliberation:2019/1", Some(session)));
    assert_eq!(a.status_changes[0].session_id, None);
    let h = s.history(Entity::Agreement, draft).unwrap();
    assert!(h.iter().any(|e| e.action == "status"
        && e.new_value.as_deref() == Some("council_approved")
        && e.detail == "2019-06-12"));

    // Due: the minutes go to the governor within 10 working days of the last sitting.
    let due = s.due(ymd(2019, 6, 13), Lang::En).unwrap();
    let notify = due.iter().find(|d| d.kind == "notify").expect("the notification is due");
    assert_eq!(notify.due_on, "2019-06-26");
    assert_eq!(
        notify.rule,
        "10 working days after the session closed on 12 June 2019 (art. 107 of Organic Law 112-14)"
    );
    assert_eq!(notify.article, Some(taawun_core::law::TRANSMISSION));
    assert!(!notify.overdue);
    assert!(
        s.due(ymd(2019, 6, 27), Lang::En).unwrap().iter().any(|d| d.kind == "notify" && d.overdue),
        "overdue the day after"
    );

    // Sent and received: the opposition window (3 working days) and the visa (20 days) appear.
    assert_eq!(
        s.record_notification(session, "18/06/2019", "17/06/2019").unwrap_err().code(),
        "invalid.receipt_before_sending"
    );
    s.record_notification(session, "18/06/2019", "20/06/2019").unwrap();
    let due = s.due(ymd(2019, 6, 21), Lang::Ar).unwrap();
    assert!(!due.iter().any(|d| d.kind == "notify"));
    let window = due.iter().find(|d| d.kind == "opposition_window").unwrap();
    assert_eq!(window.due_on, "2019-06-25");
    let visa = due.iter().find(|d| d.kind == "visa").unwrap();
    assert_eq!((visa.due_on.as_str(), visa.id), ("2019-07-10", d.record.id));
    assert!(visa.rule.contains("20"), "{}", visa.rule);
    let sorted: Vec<&str> = due.iter().map(|d| d.due_on.as_str()).collect();
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "sorted by date");

    // The visa granted: the agreement is approved by the authority; then signed and in force.
    s.record_visa(
        d.record.id,
        VisaData { status: VisaStatus::Granted, on: "05/07/2019".into(), reference: "2019/123".into() },
    )
    .unwrap();
    assert_eq!(s.agreement_view(draft).unwrap().status, AgreementStatus::AuthorityApproved);
    assert!(!s.due(ymd(2019, 6, 21), Lang::En).unwrap().iter().any(|d| d.kind == "visa"));
    s.set_agreement_status(draft, AgreementStatus::Signed, Some("15/07/2019"), "").unwrap();
    s.set_agreement_status(draft, AgreementStatus::InForce, Some("15/07/2019"), "").unwrap();
    let steps: Vec<AgreementStatus> =
        s.agreement_view(draft).unwrap().status_changes.iter().map(|st| st.status).collect();
    assert_eq!(
        steps,
        [
            AgreementStatus::Draft,
            AgreementStatus::CouncilApproved,
            AgreementStatus::AuthorityApproved,
            AgreementStatus::Signed,
            AgreementStatus::InForce
        ]
    );
}

#[test]
fn votes_that_do_not_add_up_deleted_records_and_second_votes_are_refused() {
    let (_dir, mut s) = store();
    let session = june_2019(&mut s);
    let membership = s.list_memberships(&ListQuery::default()).unwrap().items[0].id;
    let p =
        s.add_point(session, point(Some(Subject { kind: Entity::Membership, id: membership }), "")).unwrap().record.id;
    let e = s.deliberate(p, vote("12/06/2019", 20, 15, 4, 3, Outcome::Approved)).unwrap_err();
    assert_eq!((e.code().as_str(), e.field()), ("invalid.votes_exceed_present", Some("votes_for")));
    assert_eq!(
        s.deliberate(p, vote("12/06/2019", 40, 30, 0, 0, Outcome::Approved)).unwrap_err().code(),
        "invalid.more_than_in_office"
    );
    assert_eq!(
        s.deliberate(p, vote("31/06/2019", 20, 15, 0, 0, Outcome::Approved)).unwrap_err().code(),
        "invalid.no_such_day"
    );
    assert_eq!(
        s.deliberate(p, vote("01/06/2019", 20, 15, 0, 0, Outcome::Approved)).unwrap_err().field(),
        Some("decided_on"),
        "before the session"
    );
    // Fifteen of 31 present: recorded, with the quorum warning.
    let d = s.deliberate(p, vote("12/06/2019", 15, 15, 0, 0, Outcome::Approved)).unwrap();
    assert!(d.below_quorum);
    assert_eq!(d.visa.status, VisaStatus::NotRequired, "a membership needs no visa by default");
    assert_eq!(
        s.deliberate(p, vote("12/06/2019", 20, 15, 0, 0, Outcome::Approved)).unwrap_err().code(),
        "invalid.already_decided"
    );
    assert_eq!(
        s.record_visa(
            d.record.id,
            VisaData { status: VisaStatus::Granted, on: "01/07/2019".into(), reference: String::new() }
        )
        .unwrap_err()
        .code(),
        "invalid.no_visa_needed"
    );

    // A record on an agenda cannot go to the trash; a point whose record went first is refused a vote.
    assert_eq!(s.delete(Entity::Membership, membership).unwrap_err().code(), "referenced");
    let agreement = s.list_agreements(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    let p2 =
        s.add_point(session, point(Some(Subject { kind: Entity::Agreement, id: agreement }), "")).unwrap().record.id;
    s.delete(Entity::Point, p2).unwrap();
    let view = s.session_view(session, Lang::Ar).unwrap();
    assert_eq!(view.points.len(), 1);
    assert_eq!(
        s.deliberate(p2, vote("12/06/2019", 20, 15, 0, 0, Outcome::Approved)).unwrap_err().field(),
        Some("point")
    );
    // Free-text points need a title; a point cannot be about a partner.
    assert_eq!(s.add_point(session, point(None, "")).unwrap_err().code(), "invalid.required");
    assert_eq!(
        s.add_point(session, point(Some(Subject { kind: Entity::Partner, id: 1 }), "")).unwrap_err().field(),
        Some("subject")
    );
    // Every change is in the history of the session, the point and the deliberation.
    assert!(s.history(Entity::Session, session).unwrap().iter().any(|h| h.action == "point_added"));
    assert!(s.history(Entity::Point, p).unwrap().iter().any(|h| h.action == "deliberated"));
    assert!(s.history(Entity::Deliberation, d.record.id).unwrap().iter().any(|h| h.action == "create"));
}

#[test]
fn reordering_the_agenda_keeps_one_point_per_place() {
    let (_dir, mut s) = store();
    let session = june_2019(&mut s);
    let ids: Vec<i64> =
        (1..=4).map(|i| s.add_point(session, point(None, &format!("النقطة {i}"))).unwrap().record.id).collect();
    assert_eq!(s.move_point(ids[3], 1).unwrap(), vec![ids[3], ids[0], ids[1], ids[2]]);
    assert_eq!(s.move_point(ids[0], 4).unwrap(), vec![ids[3], ids[1], ids[2], ids[0]]);
    assert_eq!(s.move_point(ids[0], 9).unwrap_err().code(), "invalid.out_of_range");
    // A point removed meanwhile (another window) does not leave a hole.
    s.delete(Entity::Point, ids[1]).unwrap();
    assert_eq!(s.move_point(ids[2], 1).unwrap(), vec![ids[2], ids[3], ids[0]]);
    let positions: Vec<i64> = s.points_of(session).unwrap().iter().map(|p| p.position).collect();
    assert_eq!(positions, vec![1, 2, 3]);
    let moved: Vec<_> =
        s.history(Entity::Session, session).unwrap().into_iter().filter(|h| h.action == "point_moved").collect();
    assert_eq!(moved.len(), 3);
}

#[test]
fn a_sitting_on_a_holiday_is_flagged_and_hijri_dates_follow_the_corrections() {
    let (_dir, mut s) = store();
    let id = s
        .add_session(SessionData {
            kind: SessionKind::Extraordinary,
            year: 2026,
            month: 11,
            number: Some(1),
            sittings: vec![Sitting {
                held_on: "18/11/2026".into(),
                time: String::new(),
                place: String::new(),
                ..Sitting::default()
            }],
            convocation_on: String::new(),
            members_in_office: None,
            notes: String::new(),
            ..SessionData::default()
        })
        .unwrap()
        .id;
    let v = s.session_view(id, Lang::Fr).unwrap();
    assert_eq!(v.sittings[0].holiday.as_deref(), Some("holiday.independence_day"));
    let before = v.sittings[0].hijri.clone();
    let h = s.holiday_rules().unwrap().hijri_calendar.to_hijri(ymd(2026, 11, 18));
    s.set_hijri_correction(h.year, h.month, 1).unwrap();
    let after = s.session_view(id, Lang::Fr).unwrap().sittings[0].hijri.clone();
    assert_ne!(before, after, "the Hijri date beside the sitting moves with the correction");
    assert_eq!(s.set_hijri_correction(h.year, h.month, 2).unwrap_err().code(), "invalid.out_of_range");
}

#[test]
fn the_example_session_carries_the_mantes_project_and_the_bamako_agreement() {
    let (_dir, mut s) = store();
    let sessions = s.list_sessions(&ListQuery::default()).unwrap().items;
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0].is_sample);
    assert_eq!(
        (sessions[0].year, sessions[0].month, sessions[0].first_sitting.as_deref()),
        (2019, 6, Some("2019-06-10"))
    );
    let v = s.session_view(sessions[0].id, Lang::Ar).unwrap();
    let kinds: Vec<Entity> = v.points.iter().map(|p| p.about.as_ref().unwrap().kind).collect();
    assert_eq!(kinds, vec![Entity::Project, Entity::Agreement]);
    assert!(v.points[1].about.as_ref().unwrap().label_ar.contains("باماكو"));
    assert!(
        v.points[0].about.as_ref().unwrap().legal_basis.contains("94"),
        "the project's agreement gives the legal basis"
    );
    // The user votes on the Bamako point; the example (and the vote) is removed in one action.
    let d = s.deliberate(v.points[1].point.record.id, vote("10/06/2019", 20, 18, 1, 1, Outcome::Approved)).unwrap();
    assert!(d.record.is_sample);
    s.remove_sample().unwrap();
    assert!(s.list_sessions(&ListQuery::default()).unwrap().items.is_empty());
    assert!(s.due(ymd(2019, 6, 11), Lang::Ar).unwrap().is_empty());
}

#[test]
fn legal_settings_change_the_deadlines() {
    let (_dir, mut s) = store();
    let session = june_2019(&mut s);
    let p = s.add_point(session, point(None, "نقطة")).unwrap().record.id;
    s.deliberate(p, vote("12/06/2019", 20, 15, 0, 0, Outcome::Approved)).unwrap();
    s.set_legal_settings(LegalSettings {
        notify_working_days: 5,
        number_pattern: "{seq}/{year}".into(),
        ..LegalSettings::default()
    })
    .unwrap();
    let notify = s.due(ymd(2019, 6, 13), Lang::Fr).unwrap().into_iter().find(|d| d.kind == "notify").unwrap();
    assert_eq!(notify.due_on, "2019-06-19");
    assert!(notify.rule.starts_with("5 jours ouvrables"));
    let p2 = s.add_point(session, point(None, "نقطة ثانية")).unwrap().record.id;
    assert_eq!(
        s.deliberate(p2, vote("12/06/2019", 20, 15, 0, 0, Outcome::Approved)).unwrap().record.data.number,
        "2/2019"
    );
    assert!(s.set_legal_settings(LegalSettings { quorum_ratio: 1.5, ..LegalSettings::default() }).is_err());
}

#[test]
fn the_cli_prepares_a_session_and_says_what_is_due() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cli = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_taawun-cli"))
            .arg("--db")
            .arg(&db)
            .args(["--lang", "en"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    cli(&["sample"]);
    let added: serde_json::Value =
        serde_json::from_str(&cli(&["--json", "session", "add", "--year", "2026", "--month", "9", "--members", "31"]))
            .unwrap();
    assert_eq!(added["proposed_date"], "2026-09-14");
    assert_eq!(added["sittings"][0]["held_on"], "2026-09-14", "the second Monday when no sitting is given");
    let sid = added["record"]["id"].as_i64().unwrap().to_string();
    let p1: serde_json::Value =
        serde_json::from_str(&cli(&["--json", "point", "add", "--session", &sid, "--agreement", "1"])).unwrap();
    let p2: serde_json::Value =
        serde_json::from_str(&cli(&["--json", "point", "add", "--session", &sid, "--title", "Budget"])).unwrap();
    let order: Vec<i64> =
        serde_json::from_str(&cli(&["--json", "point", "move", &p2["id"].to_string(), "--to", "1"])).unwrap();
    assert_eq!(order, vec![p2["id"].as_i64().unwrap(), p1["id"].as_i64().unwrap()]);
    let d: serde_json::Value = serde_json::from_str(&cli(&[
        "--json",
        "deliberate",
        &p1["id"].to_string(),
        "--for",
        "20",
        "--against",
        "3",
        "--abstain",
        "2",
        "--outcome",
        "approved",
    ]))
    .unwrap();
    assert_eq!(d["number"], "2026/1");
    let due: Vec<serde_json::Value> = serde_json::from_str(&cli(&["--json", "due", "--at", "2026-09-15"])).unwrap();
    let notify = due.iter().find(|x| x["kind"] == "notify").unwrap();
    assert_eq!(notify["due_on"], "2026-09-28");
    let text = cli(&["due", "--at", "2026-09-15"]);
    assert!(text.contains("10 working days after the session closed on 14 September 2026"), "{text}");
    cli(&["notify", &sid, "--sent", "2026-09-21", "--receipt", "2026-09-22"]);
    cli(&["visa", &d["id"].to_string(), "--status", "deemed_granted"]);
    let shown = cli(&["session", "show", &sid]);
    assert!(shown.contains("deemed granted"), "{shown}");

    // The holiday rules are data: edited as JSON, checked before they are kept. A month the
    // officer sets is the Ministry's day: more than two days from the forecast is another month.
    let mut rules: serde_json::Value = serde_json::from_str(&cli(&["--json", "holiday-rules"])).unwrap();
    let shawwal: serde_json::Value = serde_json::from_str(&cli(&["--json", "hijri-month", "1448", "10"])).unwrap();
    assert_eq!(shawwal["basis"], "forecast");
    let forecast: NaiveDate = shawwal["month_starts"].as_str().unwrap().parse().unwrap();
    let off = |days: i64| (forecast + chrono::Duration::days(days)).to_string();
    rules["hijri_calendar"]["months"] = serde_json::json!([{"year": 1448, "month": 10, "starts": off(5)}]);
    let file = dir.path().join("rules.json");
    std::fs::write(&file, rules.to_string()).unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_taawun-cli"))
        .arg("--db")
        .arg(&db)
        .args(["--json", "holiday-rules", "--from-json"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stdout).contains("out_of_range"));
    rules["hijri_calendar"]["months"] = serde_json::json!([{"year": 1448, "month": 10, "starts": off(1)}]);
    rules["fixed"].as_array_mut().unwrap().push(serde_json::json!({"month": 3, "day": 2, "name_key": "Fête locale"}));
    std::fs::write(&file, rules.to_string()).unwrap();
    cli(&["holiday-rules", "--from-json", file.to_str().unwrap()]);
    assert!(cli(&["holidays", "--year", "2027"]).contains("2027-03-02\tFête locale"));
    let set: serde_json::Value = serde_json::from_str(&cli(&["--json", "hijri-month", "1448", "10"])).unwrap();
    assert_eq!((set["month_starts"].as_str(), set["basis"].as_str()), (Some(off(1).as_str()), Some("officer")));
    assert_eq!(cli(&["vault", "limit", "1048576"]).trim(), "1048576");
}

/// The governor opposes: the deliberation must come back before the council by the next
/// ordinary session; once a later session's point re-examines it, that deadline is gone.
#[test]
fn an_opposition_sends_the_point_back_to_a_later_session() {
    let (_dir, mut s) = store();
    let session = june_2019(&mut s);
    let agreement = s.list_agreements(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    let p =
        s.add_point(session, point(Some(Subject { kind: Entity::Agreement, id: agreement }), "")).unwrap().record.id;
    let d = s.deliberate(p, vote("12/06/2019", 20, 15, 0, 0, Outcome::Approved)).unwrap();
    s.record_notification(session, "18/06/2019", "20/06/2019").unwrap();
    assert_eq!(
        s.record_opposition(d.record.id, "19/06/2019", "").unwrap_err().field(),
        Some("opposition_on"),
        "before the receipt"
    );
    s.record_opposition(d.record.id, "24/06/2019", "عدم احترام المسطرة").unwrap();
    let due = s.due(ymd(2019, 6, 25), Lang::Fr).unwrap();
    let back = due.iter().find(|x| x.kind == "reexamine").expect("to bring back");
    assert_eq!(back.due_on, "2019-09-09", "the September session's second Monday");
    assert!(!due.iter().any(|x| x.kind == "visa"), "no visa clock while opposed");
    let september = s
        .add_session(SessionData {
            kind: SessionKind::Ordinary,
            year: 2019,
            month: 9,
            number: None,
            sittings: vec![Sitting {
                held_on: "09/09/2019".into(),
                time: String::new(),
                place: String::new(),
                ..Sitting::default()
            }],
            convocation_on: "26/08/2019".into(),
            members_in_office: Some(31),
            notes: String::new(),
            ..SessionData::default()
        })
        .unwrap()
        .id;
    let again =
        PointData { reexamines: Some(p), ..point(Some(Subject { kind: Entity::Agreement, id: agreement }), "") };
    s.add_point(september, again).unwrap();
    assert!(!s.due(ymd(2019, 6, 25), Lang::Fr).unwrap().iter().any(|x| x.kind == "reexamine"));
    assert_eq!(s.delete(Entity::Point, p).unwrap_err().code(), "referenced", "the re-examination refers to it");
}

/// The home view's deadlines at a council's scale: every open deadline in one of four groups by
/// how soon it falls, each counted whole and shown a page at a time, the pages following on.
#[test]
fn deadlines_are_grouped_by_how_soon_and_paged() {
    let mut s = Store::open_in_memory().unwrap();
    s.generate(&taawun_core::store::generate::Options {
        partners: 20,
        agreements: 300,
        seed: 11,
        sessions: 40,
        points_per_session: 4,
    })
    .unwrap();
    let at = ymd(2021, 3, 1);
    let all: Vec<_> = s.due(at, Lang::Ar).unwrap().into_iter().filter(|d| d.kind != "expiring").collect();
    let group_of = |d: &taawun_core::store::DueItem| {
        let days = (NaiveDate::parse_from_str(&d.due_on, "%Y-%m-%d").unwrap() - at).num_days();
        match days {
            _ if d.overdue || days < 0 => "overdue",
            0..7 => "week",
            7..30 => "month",
            _ => "later",
        }
    };
    let groups = s.due_groups(at, Lang::Ar, 10).unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g.group).collect();
    assert_eq!(names, ["overdue", "week", "month", "later"]);
    assert_eq!(groups.iter().map(|g| g.count).sum::<usize>(), all.len(), "every deadline in one group");
    for g in &groups {
        assert_eq!(g.items.len(), g.count.min(10));
        assert!(g.items.iter().all(|d| group_of(d) == g.group), "{:?}", g.items);
    }
    // The biggest group, page after page: the same deadlines as the whole list, in its order.
    let big = groups.iter().max_by_key(|g| g.count).unwrap();
    assert!(big.count > 10, "the generated council has more than a page of {} deadlines", big.group);
    let mut paged = Vec::new();
    while paged.len() < big.count {
        let page = s.due_group(at, Lang::Ar, big.group, paged.len(), 7).unwrap();
        assert!(!page.items.is_empty());
        paged.extend(page.items);
    }
    let whole: Vec<_> = all.iter().filter(|d| group_of(d) == big.group).cloned().collect();
    assert_eq!(paged, whole);
    assert_eq!(s.due_group(at, Lang::Ar, "soon", 0, 5).unwrap_err().code(), "invalid.unknown_value");
}
