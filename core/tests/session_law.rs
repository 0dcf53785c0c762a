//! The session rules of Organic Law 112-14 through the store: the deadlines the law sets before
//! and after a session (each naming its article), the findings on the session page (a late
//! convocation, a failed quorum), the president's vote on a tie, the governor's visa, and a
//! session's legal steps recorded through the CLI.

use chrono::NaiveDate;
use std::process::Command;
use taawun_core::model::*;
use taawun_core::store::Store;
use taawun_core::Lang;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.load_sample().unwrap();
    (dir, s)
}

/// The September 2026 ordinary session: opening Monday 14 September, closing Wednesday 16.
fn september_2026() -> SessionData {
    SessionData {
        kind: SessionKind::Ordinary,
        year: 2026,
        month: 9,
        sittings: vec![
            Sitting { held_on: "2026-09-14".into(), time: "10:00".into(), ..Sitting::default() },
            Sitting { held_on: "2026-09-16".into(), ..Sitting::default() },
        ],
        members_in_office: Some(31),
        ..SessionData::default()
    }
}

/// The first extraordinary session of July 2026, asked for by the governor on 6 July (art. 38).
fn asked_by_the_governor(sittings: Vec<Sitting>) -> SessionData {
    SessionData {
        kind: SessionKind::Extraordinary,
        year: 2026,
        month: 7,
        number: Some(1),
        requested_by: RequestedBy::Governor,
        requested_on: "06/07/2026".into(),
        members_in_office: Some(31),
        sittings,
        ..SessionData::default()
    }
}

fn due_of(s: &Store, at: NaiveDate, session: i64) -> Vec<taawun_core::store::DueItem> {
    s.due(at, Lang::Fr).unwrap().into_iter().filter(|d| d.session_id == Some(session)).collect()
}

#[test]
fn before_the_session_the_agenda_the_governors_eight_days_and_the_convocations() {
    let (_dir, mut s) = store();
    let id = s.add_session(september_2026()).unwrap().id;
    let due = due_of(&s, ymd(2026, 8, 1), id);
    let kinds: Vec<(&str, &str)> = due.iter().map(|d| (d.kind.as_str(), d.due_on.as_str())).collect();
    // 20 days before 14 September: 25 August (art. 39); 10 days before: 4 September (art. 36).
    assert_eq!(kinds, vec![("agenda_to_governor", "2026-08-25"), ("convocation", "2026-09-04")]);
    assert!(due[0].rule.ends_with("(art. 39 de la loi organique 112-14)"), "{}", due[0].rule);
    assert_eq!(due[1].article, Some(taawun_core::law::CONVOCATION));

    // The agenda sent on 20 August and received on 21: the governor's 8 days run to 29 August.
    let mut data = s.get_session(id).unwrap().data;
    data.agenda_sent_on = "20/08/2026".into();
    data.agenda_received_on = "21/08/2026".into();
    s.update_session(id, data.clone(), None).unwrap();
    let due = due_of(&s, ymd(2026, 8, 22), id);
    let additions = due.iter().find(|d| d.kind == "governor_additions").expect("the governor's window");
    assert_eq!(additions.due_on, "2026-08-29");
    assert_eq!(additions.article, Some(taawun_core::law::GOVERNOR_ADDITIONS));
    assert!(!due.iter().any(|d| d.kind == "agenda_to_governor"));
    assert!(due_of(&s, ymd(2026, 8, 30), id).iter().all(|d| d.kind != "governor_additions"), "closed after");

    // A receipt before the sending is refused, and nothing is written.
    data.agenda_received_on = "19/08/2026".into();
    assert_eq!(s.update_session(id, data, None).unwrap_err().code(), "invalid.receipt_before_sending");
    assert_eq!(s.get_session(id).unwrap().data.agenda_received_on, "2026-08-21");

    // Convocations sent 6 days before the opening: recorded, and the page says art. 36.
    let mut data = s.get_session(id).unwrap().data;
    data.convocation_on = "08/09/2026".into();
    s.update_session(id, data, None).unwrap();
    let page = s.session_view(id, Lang::Ar).unwrap();
    let late = page.findings.iter().find(|f| f.code == "convocation_late").expect("a late convocation");
    assert_eq!(late.article, taawun_core::law::CONVOCATION);
    assert!(late.text.contains("المادة 36 من القانون التنظيمي 112.14"), "{}", late.text);
    assert_eq!(page.proposed_date.as_deref(), Some("2026-09-14"));
}

#[test]
fn after_the_session_attendance_transmission_members_posting_opposition_and_visa() {
    let (_dir, mut s) = store();
    let id = s.add_session(september_2026()).unwrap().id;
    let point = s.add_point(id, PointData { title: "نقطة للتداول".into(), ..PointData::default() }).unwrap().record.id;
    // Nothing decided yet: no step after the session is due.
    assert!(due_of(&s, ymd(2026, 9, 17), id).is_empty());
    s.deliberate(
        point,
        DeliberationData {
            decided_on: "16/09/2026".into(),
            members_present: 25,
            votes_for: 20,
            votes_against: 3,
            abstentions: 2,
            outcome: Outcome::Approved,
            ..DeliberationData::default()
        },
    )
    .unwrap();
    let due = due_of(&s, ymd(2026, 9, 17), id);
    let kinds: Vec<(&str, &str)> = due.iter().map(|d| (d.kind.as_str(), d.due_on.as_str())).collect();
    // Closing Wednesday 16 September: attendance copy 21 (art. 68); posting 26 (art. 217);
    // transmission 30 (10 working days, art. 107); minutes to members 1 October (art. 217).
    assert_eq!(
        kinds,
        vec![
            ("attendance_copy", "2026-09-21"),
            ("posting", "2026-09-26"),
            ("notify", "2026-09-30"),
            ("minutes_to_members", "2026-10-01")
        ]
    );
    let articles: Vec<u16> = due.iter().map(|d| d.article.unwrap().0).collect();
    assert_eq!(articles, vec![68, 217, 107, 217]);

    // Each step recorded takes its deadline away; the receipt opens the 3 working days (art. 108).
    let db = s.path().unwrap().to_path_buf();
    drop(s);
    let out = Command::new(env!("CARGO_BIN_EXE_taawun-cli"))
        .args(["--db", db.to_str().unwrap(), "--lang", "fr", "session", "steps", &id.to_string()])
        .args([
            "--attendance-sent",
            "18/09/2026",
            "--decisions-posted",
            "21/09/2026",
            "--minutes-to-members",
            "25/09/2026",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut s = Store::open(&db).unwrap();
    s.record_notification(id, "28/09/2026", "29/09/2026").unwrap();
    let due = due_of(&s, ymd(2026, 9, 30), id);
    let kinds: Vec<(&str, &str)> = due.iter().map(|d| (d.kind.as_str(), d.due_on.as_str())).collect();
    assert_eq!(kinds, vec![("opposition_window", "2026-10-02")]);
}

#[test]
fn a_sitting_without_quorum_asks_for_a_second_convocation_and_a_tie_needs_the_presidents_vote() {
    let (_dir, mut s) = store();
    let mut data = september_2026();
    data.sittings = vec![Sitting { held_on: "2026-09-14".into(), present: Some(15), ..Sitting::default() }];
    let id = s.add_session(data).unwrap().id;
    let due = due_of(&s, ymd(2026, 9, 14), id);
    let next = due.iter().find(|d| d.kind == "next_convocation").expect("a second convocation");
    assert_eq!(next.due_on, "2026-09-19", "3 to 5 days after 14 September");
    assert_eq!(next.article, Some(taawun_core::law::QUORUM));
    let page = s.session_view(id, Lang::Fr).unwrap();
    assert!(page.findings.iter().any(|f| f.code == "quorum_failed" && f.text.contains("art. 43")));

    // The second meeting on Thursday 17 September; a tie there needs the president's vote.
    let mut data = s.get_session(id).unwrap().data;
    data.sittings.push(Sitting { held_on: "2026-09-17".into(), round: 2, present: Some(20), ..Sitting::default() });
    s.update_session(id, data, None).unwrap();
    assert!(due_of(&s, ymd(2026, 9, 15), id).iter().all(|d| d.kind != "next_convocation"));
    let point = s.add_point(id, PointData { title: "نقطة".into(), ..PointData::default() }).unwrap().record.id;
    let mut tie = DeliberationData {
        decided_on: "17/09/2026".into(),
        members_present: 20,
        votes_for: 9,
        votes_against: 9,
        abstentions: 2,
        outcome: Outcome::Approved,
        ..DeliberationData::default()
    };
    let e = s.deliberate(point, tie.clone()).unwrap_err();
    assert_eq!((e.code().as_str(), e.field()), ("invalid.tie_needs_president", Some("president_vote")));
    assert!(e.message(Lang::Ar).contains("المادة 44"), "{}", e.message(Lang::Ar));
    let page = s.session_view(id, Lang::Ar).unwrap();
    assert!(page.points.iter().all(|p| p.deliberation.is_none()), "nothing half-written");
    tie.president_vote = PresidentVote::For;
    let d = s.deliberate(point, tie).unwrap();
    assert_eq!(d.record.data.president_vote, PresidentVote::For);

    // More votes than members present: refused with art. 44 named.
    let other = s.add_point(id, PointData { title: "نقطة أخرى".into(), ..PointData::default() }).unwrap().record.id;
    let e = s
        .deliberate(
            other,
            DeliberationData {
                decided_on: "17/09/2026".into(),
                members_present: 20,
                votes_for: 15,
                votes_against: 6,
                outcome: Outcome::Approved,
                ..DeliberationData::default()
            },
        )
        .unwrap_err();
    assert!(e.message(Lang::Fr).contains("art. 44 de la loi organique 112-14"), "{}", e.message(Lang::Fr));
}

#[test]
fn an_extraordinary_session_the_governor_asks_for_is_held_within_ten_days() {
    let (_dir, mut s) = store();
    let id = s.add_session(asked_by_the_governor(Vec::new())).unwrap().id;
    let due = due_of(&s, ymd(2026, 7, 7), id);
    let hold = due.iter().find(|d| d.kind == "hold_by").expect("the day it is held by");
    assert_eq!((hold.due_on.as_str(), hold.article.unwrap().0), ("2026-07-16", 38));
    // Its convocations: 3 days before (art. 38), not 10.
    let mut data = s.get_session(id).unwrap().data;
    data.sittings = vec![Sitting { held_on: "2026-07-15".into(), ..Sitting::default() }];
    s.update_session(id, data, None).unwrap();
    let conv = due_of(&s, ymd(2026, 7, 7), id).into_iter().find(|d| d.kind == "convocation").unwrap();
    assert_eq!((conv.due_on.as_str(), conv.article.unwrap().0), ("2026-07-12", 38));
    assert!(s.session_view(id, Lang::Fr).unwrap().findings.is_empty());
}

#[test]
fn without_quorum_a_session_the_governor_asked_for_meets_the_next_working_day_whatever_the_attendance() {
    let (_dir, mut s) = store();
    // Friday 10 July 2026, 12 of 31 present: the council meets on Monday 13 July (art. 38), not 3
    // to 5 days later (art. 43).
    let sitting = Sitting { held_on: "2026-07-10".into(), present: Some(12), ..Sitting::default() };
    let id = s.add_session(asked_by_the_governor(vec![sitting])).unwrap().id;
    let next = due_of(&s, ymd(2026, 7, 10), id).into_iter().find(|d| d.kind == "next_convocation").unwrap();
    assert_eq!((next.due_on.as_str(), next.article.unwrap().0), ("2026-07-13", 38));
    let page = s.session_view(id, Lang::Ar).unwrap();
    let f = page.findings.iter().find(|f| f.code == "quorum_failed_governor").expect("no quorum");
    assert!(f.text.contains("المادة 38 من القانون التنظيمي 112.14"), "{}", f.text);
    // Met on the Monday with 6 present: valid, nothing more is due, and the vote is not below quorum.
    let mut data = s.get_session(id).unwrap().data;
    data.sittings.push(Sitting { held_on: "2026-07-13".into(), round: 2, present: Some(6), ..Sitting::default() });
    s.update_session(id, data, None).unwrap();
    assert!(due_of(&s, ymd(2026, 7, 13), id).iter().all(|d| d.kind != "next_convocation"));
    let page = s.session_view(id, Lang::Fr).unwrap();
    assert_eq!(page.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), ["quorum_failed_governor"]);
    let point = s.add_point(id, PointData { title: "نقطة".into(), ..PointData::default() }).unwrap().record.id;
    let d = s
        .deliberate(
            point,
            DeliberationData {
                decided_on: "13/07/2026".into(),
                members_present: 6,
                votes_for: 5,
                votes_against: 1,
                outcome: Outcome::Approved,
                ..DeliberationData::default()
            },
        )
        .unwrap();
    assert!(!d.below_quorum, "valid whatever the attendance (art. 38)");
}

#[test]
fn members_of_the_mandate_count_as_in_office_and_go_to_the_trash_like_any_record() {
    let (_dir, mut s) = store();
    for (i, name) in ["أحمد", "سعاد", "Karim Idrissi"].iter().enumerate() {
        let role = if i == 0 { MemberRole::President } else { MemberRole::Member };
        s.add_member(MemberData { mandate: 2021, name_ar: name.to_string(), role, ..MemberData::default() }).unwrap();
    }
    s.add_member(MemberData { mandate: 2015, name_ar: "عضو سابق".into(), ..MemberData::default() }).unwrap();
    let mut data = september_2026();
    data.members_in_office = None;
    data.sittings = vec![Sitting { held_on: "2026-09-14".into(), present: Some(1), ..Sitting::default() }];
    let id = s.add_session(data).unwrap().id;
    assert_eq!(s.members_of_session(id).unwrap().len(), 3, "the 2021 mandate");
    let page = s.session_view(id, Lang::En).unwrap();
    let quorum = page.findings.iter().find(|f| f.code == "quorum_failed").expect("1 of 3 is no quorum");
    assert!(quorum.text.contains("1 member present of 3 members in office"), "{}", quorum.text);
    let ar = s.session_view(id, Lang::Ar).unwrap().findings.into_iter().find(|f| f.code == "quorum_failed").unwrap();
    assert!(ar.text.contains("حضر عضو واحد من أصل 3 أعضاء"), "{}", ar.text);
    // A June 2021 session belongs to the mandate elected in 2015.
    let june = s
        .add_session(SessionData {
            kind: SessionKind::Ordinary,
            year: 2021,
            month: 6,
            sittings: vec![Sitting { held_on: "2021-06-14".into(), ..Sitting::default() }],
            ..SessionData::default()
        })
        .unwrap()
        .id;
    assert_eq!(s.members_of_session(june).unwrap()[0].data.name_ar, "عضو سابق");
    // Edited and deleted like any record, with its history.
    let karim = s.members(Some(2021)).unwrap()[2].id;
    let mut d = s.get_member(karim).unwrap().data;
    d.committee = "لجنة الميزانية".into();
    s.update_member(karim, d, None).unwrap();
    assert!(s.history(Entity::Member, karim).unwrap().iter().any(|h| h.field.as_deref() == Some("committee")));
    s.delete(Entity::Member, karim).unwrap();
    assert_eq!(s.members(Some(2021)).unwrap().len(), 2);
    s.restore(Entity::Member, karim).unwrap();
    assert_eq!(s.members(None).unwrap().len(), 3, "the latest mandate by default");
    assert_eq!(
        s.add_member(MemberData { mandate: 2021, ..MemberData::default() }).unwrap_err().code(),
        "invalid.required"
    );
}
