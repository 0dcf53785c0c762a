//! The council's sessions between desks: members, sessions, agenda points and deliberations
//! travel in bundles like the registry (docs/exchange.md). Two desks preparing one session
//! converge on one agenda; a point decided on both desks stays one deliberation (its differing
//! fields conflicts); two desks numbering at once give one number twice, which is kept and shown
//! until the officer renumbers; deletions and a deliberation's signed original travel.

use std::path::{Path, PathBuf};
use taawun_core::bundle;
use taawun_core::model::*;
use taawun_core::store::{generate, Store};
use taawun_core::Lang;

struct Desk {
    name: &'static str,
    db: PathBuf,
    store: Store,
}

fn desk(dir: &Path, name: &'static str) -> Desk {
    let db = dir.join(format!("{name}.db"));
    let mut store = Store::open(&db).unwrap();
    store.set_desk_name(name).unwrap();
    Desk { name, db, store }
}

fn send(dir: &Path, from: &mut Desk, to: &mut Desk) -> bundle::Applied {
    let file = dir.join(format!("{}-to-{}.taawun-bundle", from.name, to.name));
    bundle::export(&mut from.store, &file, bundle::Since::All).unwrap();
    bundle::import(&mut to.store, &file).unwrap()
}

fn registry(d: &mut Desk) -> Vec<(Entity, String, serde_json::Map<String, serde_json::Value>)> {
    let mut out = Vec::new();
    d.store
        .traveling_since("", &mut |t| {
            out.push((t.entity, t.uuid.clone(), t.fields.clone()));
            Ok(())
        })
        .unwrap();
    out.sort_by(|a, b| (a.0.as_str(), &a.1).cmp(&(b.0.as_str(), &b.1)));
    out
}

fn one(d: &Desk, sql: &str, uuid: &str) -> i64 {
    rusqlite::Connection::open(&d.db).unwrap().query_row(sql, [uuid], |r| r.get(0)).unwrap()
}

fn uuid_of(d: &Desk, table: &str, id: i64) -> String {
    rusqlite::Connection::open(&d.db)
        .unwrap()
        .query_row(&format!("SELECT uuid FROM {table} WHERE id = ?1"), [id], |r| r.get(0))
        .unwrap()
}

fn session_id(d: &Desk, uuid: &str) -> i64 {
    one(d, "SELECT id FROM session WHERE uuid = ?1", uuid)
}

fn point_id(d: &Desk, uuid: &str) -> i64 {
    one(d, "SELECT id FROM agenda_point WHERE uuid = ?1", uuid)
}

/// A session's agenda on a desk, as the UUIDs of its points in their order.
fn agenda(d: &Desk, session: &str) -> Vec<String> {
    d.store.points_of(session_id(d, session)).unwrap().into_iter().map(|p| p.record.uuid).collect()
}

fn june_2024() -> SessionData {
    SessionData {
        kind: SessionKind::Ordinary,
        year: 2024,
        month: 6,
        sittings: vec![Sitting {
            held_on: "04/06/2024".into(), place: "مقر العمالة".into(), ..Sitting::default()
        }],
        convocation_on: "20/05/2024".into(),
        members_in_office: Some(31),
        ..SessionData::default()
    }
}

fn free_point(title: &str) -> PointData {
    PointData { title: title.into(), ..PointData::default() }
}

fn vote(text: &str) -> DeliberationData {
    DeliberationData {
        number: String::new(),
        decided_on: "04/06/2024".into(),
        members_present: 25,
        votes_for: 22,
        votes_against: 1,
        abstentions: 2,
        outcome: Outcome::Approved,
        decision_text: text.into(),
        president_vote: PresidentVote::default(),
    }
}

/// A session of A's, with one point, handed to B.
fn shared_session(d: &Path) -> (Desk, Desk, String) {
    let (mut a, mut b) = (desk(d, "A"), desk(d, "B"));
    let session = a.store.add_session(june_2024()).unwrap();
    a.store.add_point(session.id, free_point("برنامج عمل التعاون 2024")).unwrap();
    send(d, &mut a, &mut b);
    (a, b, session.uuid)
}

#[test]
fn generated_sessions_with_their_votes_visas_and_members_travel_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b) = (desk(d, "A"), desk(d, "B"));
    a.store
        .generate(&generate::Options { partners: 5, agreements: 10, seed: 3, sessions: 4, points_per_session: 3 })
        .unwrap();
    a.store
        .add_member(MemberData {
            mandate: 2021,
            name_ar: "فاطمة الزهراء".into(),
            name_fr: "Fatima Zahra".into(),
            ..Default::default()
        })
        .unwrap();
    let first = send(d, &mut a, &mut b);
    assert_eq!((first.merged.conflicts, first.merged.number_clashes), (0, 0), "{:?}", first.merged);
    let (ra, rb) = (registry(&mut a), registry(&mut b));
    assert_eq!(ra, rb);
    for kind in [Entity::Member, Entity::Session, Entity::Point, Entity::Deliberation] {
        assert!(ra.iter().any(|(e, ..)| *e == kind), "{kind} travelled");
    }
    // What B shows is what A shows: the session pages, votes, visas and notifications included.
    let sessions: Vec<String> = ra.iter().filter(|(e, ..)| *e == Entity::Session).map(|(_, u, _)| u.clone()).collect();
    let (mut votes, mut notified) = (0, 0);
    for s in &sessions {
        let (va, vb) = (
            serde_json::to_value(a.store.session_view(session_id(&a, s), Lang::Fr).unwrap()).unwrap(),
            serde_json::to_value(b.store.session_view(session_id(&b, s), Lang::Fr).unwrap()).unwrap(),
        );
        for field in ["kind", "year", "month", "sittings", "convocation_on", "members_in_office"] {
            assert!(!va["record"][field].is_null(), "{field}");
            assert_eq!(va["record"][field], vb["record"][field], "{field} of session {s}");
        }
        assert_eq!(va["notification"], vb["notification"]);
        assert_eq!(va["findings"], vb["findings"], "the law reads the same session the same way");
        assert_eq!(agenda(&a, s), agenda(&b, s));
        let decided = |v: &serde_json::Value| {
            v["points"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p["deliberation"]["number"].clone(), p["deliberation"]["visa"].clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(decided(&va), decided(&vb));
        votes += decided(&va).iter().filter(|(number, _)| number.is_string()).count();
        notified += usize::from(va["notification"]["notified_on"].as_str().is_some_and(|n| !n.is_empty()));
    }
    assert!(votes >= 4 && notified >= 1, "the generated sessions have votes ({votes}) and notifications ({notified})");
    // Sent again, nothing changes.
    let again = send(d, &mut a, &mut b);
    assert_eq!((again.merged.created, again.merged.updated, again.merged.conflicts), (0, 0, 0), "{:?}", again.merged);
}

#[test]
fn two_desks_preparing_one_session_converge_on_one_agenda() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b, session) = shared_session(d);
    // A adds a point and a second sitting; B adds another point and writes the minutes' opening.
    let on_a = a.store.add_point(session_id(&a, &session), free_point("اتفاقية توأمة مع مدينة نانت")).unwrap();
    let sid = session_id(&a, &session);
    let mut data = a.store.get_session(sid).unwrap().data;
    data.sittings.push(Sitting { held_on: "06/06/2024".into(), ..Sitting::default() });
    a.store.update_session(sid, data, None).unwrap();
    let on_b = b.store.add_point(session_id(&b, &session), free_point("Adhésion à CGLU Afrique")).unwrap();
    let sid_b = session_id(&b, &session);
    let mut data = b.store.get_session(sid_b).unwrap().data;
    data.minutes_opening = "افتتح الرئيس الجلسة".into();
    b.store.update_session(sid_b, data, None).unwrap();

    let at_b = send(d, &mut a, &mut b);
    send(d, &mut b, &mut a);
    assert_eq!(at_b.merged.conflicts, 0, "different fields, different points: {:?}", at_b.merged);
    assert_eq!(registry(&mut a), registry(&mut b));
    // Both new points share the second place; both desks read them in one order.
    let order = agenda(&a, &session);
    assert_eq!(order.len(), 3);
    assert_eq!(order, agenda(&b, &session));
    assert!(order.contains(&on_a.record.uuid) && order.contains(&on_b.record.uuid));
    let s = b.store.get_session(sid_b).unwrap().data;
    assert_eq!((s.sittings.len(), s.minutes_opening.as_str()), (2, "افتتح الرئيس الجلسة"));

    // Moving a point on one desk renumbers the agenda; the other follows.
    a.store.move_point(point_id(&a, &order[2]), 1).unwrap();
    send(d, &mut a, &mut b);
    assert_eq!(agenda(&b, &session)[0], order[2]);
    assert_eq!(agenda(&a, &session), agenda(&b, &session));
}

#[test]
fn a_point_decided_on_two_desks_stays_one_deliberation() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b, session) = shared_session(d);
    let point = agenda(&a, &session)[0].clone();
    // Both officers record the council's vote on the one point; their texts differ.
    let da = a.store.deliberate(point_id(&a, &point), vote("صادق المجلس بالأغلبية")).unwrap();
    let db = b.store.deliberate(point_id(&b, &point), vote("صادق المجلس على برنامج العمل")).unwrap();
    assert_eq!(da.record.data.number, db.record.data.number, "both numbered 2024/1");
    let at_b = send(d, &mut a, &mut b);
    let at_a = send(d, &mut b, &mut a);
    assert_eq!((at_b.merged.conflicts, at_a.merged.conflicts), (1, 1));
    let count = |x: &Desk| {
        one(
            x,
            "SELECT count(*) FROM deliberation WHERE point_id = (SELECT id FROM agenda_point WHERE uuid = ?1)",
            &point,
        )
    };
    assert_eq!((count(&a), count(&b)), (1, 1), "one vote per point, on each desk");
    // It keeps one UUID everywhere: the older one.
    let kept = da.record.uuid.clone().min(db.record.uuid.clone());
    assert_eq!(uuid_of(&a, "deliberation", da.record.id), kept);
    assert_eq!(uuid_of(&b, "deliberation", db.record.id), kept);
    // The texts are a conflict, each desk keeping its own until decided.
    let k = &b.store.conflicts().unwrap()[0];
    assert_eq!((k.entity, k.field.as_str()), (Entity::Deliberation, "decision_text"));
    assert_eq!(k.record_id, Some(db.record.id));
    assert_eq!(k.remote_value, serde_json::Value::from("صادق المجلس بالأغلبية"));
    b.store.resolve_conflict(k.id, true).unwrap();
    send(d, &mut b, &mut a);
    assert!(a.store.conflicts().unwrap().is_empty(), "the decision settles A's conflict too");
    assert_eq!(registry(&mut a), registry(&mut b));
    assert_eq!(
        a.store.get_deliberation(da.record.id, Lang::Ar).unwrap().record.data.decision_text,
        "صادق المجلس بالأغلبية"
    );
}

#[test]
fn one_number_given_on_two_desks_is_kept_shown_and_settled_by_renumbering() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b, session) = shared_session(d);
    let second = a.store.add_point(session_id(&a, &session), free_point("اتفاقية شراكة مع جهة أوكسيتانيا")).unwrap();
    send(d, &mut a, &mut b);
    let [p1, p2] = [agenda(&a, &session)[0].clone(), second.record.uuid.clone()];
    // Each desk records the vote on a different point, and each numbers it 2024/1.
    let da = a.store.deliberate(point_id(&a, &p1), vote("")).unwrap();
    let db = b.store.deliberate(point_id(&b, &p2), vote("")).unwrap();
    assert_eq!((da.record.data.number.as_str(), db.record.data.number.as_str()), ("2024/1", "2024/1"));
    let at_b = send(d, &mut a, &mut b);
    assert_eq!(at_b.merged.number_clashes, 1, "applied, with the clash counted: {:?}", at_b.merged);
    send(d, &mut b, &mut a);
    for x in [&a, &b] {
        let clashes = x.store.number_clashes().unwrap();
        assert_eq!(clashes.len(), 1);
        assert_eq!(clashes[0].number, "2024/1");
        assert_eq!(clashes[0].deliberations.len(), 2, "both votes kept");
    }
    // Here no new vote may take the number twice, and a correction keeping it is refused too.
    let id_b_on_a =
        one(&a, "SELECT d.id FROM deliberation d JOIN agenda_point p ON p.id = d.point_id WHERE p.uuid = ?1", &p2);
    let mut keep = a.store.get_deliberation(id_b_on_a, Lang::Ar).unwrap().record.data;
    keep.decision_text = "نص".into();
    assert_eq!(
        a.store.update_deliberation(id_b_on_a, keep.clone(), None).unwrap_err().code(),
        "invalid.duplicate_number"
    );
    // The officer renumbers one; the clash is gone on both desks once exchanged.
    keep.number = "2024/2".into();
    a.store.update_deliberation(id_b_on_a, keep, None).unwrap();
    assert!(a.store.number_clashes().unwrap().is_empty());
    let back = send(d, &mut a, &mut b);
    assert_eq!(back.merged.number_clashes, 0);
    assert!(b.store.number_clashes().unwrap().is_empty());
    assert_eq!(b.store.get_deliberation(db.record.id, Lang::Ar).unwrap().record.data.number, "2024/2");
}

#[test]
fn a_deleted_vote_and_point_and_a_signed_deliberation_travel() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b, session) = shared_session(d);
    let point = agenda(&a, &session)[0].clone();
    let other = a.store.add_point(session_id(&a, &session), free_point("نقطة سحبت من جدول الأعمال")).unwrap();
    let decided = a.store.deliberate(point_id(&a, &point), vote("صادق المجلس")).unwrap();
    // The signed original of the deliberation, attached on A.
    let scan = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan-2p.pdf");
    let signed = DocumentData { title: "المقرر الموقع".into(), ..Default::default() };
    a.store.attach(Entity::Deliberation, decided.record.id, std::slice::from_ref(&scan), signed).unwrap();
    send(d, &mut a, &mut b);
    let on_b =
        one(&b, "SELECT d.id FROM deliberation d JOIN agenda_point p ON p.id = d.point_id WHERE p.uuid = ?1", &point);
    let docs = b.store.documents_of(Entity::Deliberation, on_b).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].sha256, taawun_core::digest::sha256_hex(&std::fs::read(&scan).unwrap()));
    // A withdraws the other point: it goes to B's trash, with its history.
    a.store.delete(Entity::Point, point_id(&a, &other.record.uuid)).unwrap();
    send(d, &mut a, &mut b);
    assert_eq!(agenda(&b, &session), vec![point.clone()]);
    assert!(b.store.trash().unwrap().iter().any(|t| t.entity == Entity::Point));
    assert_eq!(registry(&mut a), registry(&mut b));
}

#[test]
fn edits_valid_on_each_desk_but_not_together_become_conflicts_not_a_refused_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b, session) = shared_session(d);
    let steps = |x: &mut Desk, change: &dyn Fn(&mut SessionData)| {
        let id = session_id(x, &session);
        let mut data = x.store.get_session(id).unwrap().data;
        change(&mut data);
        x.store.update_session(id, data, None).unwrap();
    };
    steps(&mut a, &|s| (s.agenda_sent_on, s.agenda_received_on) = ("05/05/2024".into(), "10/05/2024".into()));
    send(d, &mut a, &mut b);
    // A corrects the sending to the 9th, B the receipt to the 7th: each right alone, the governor
    // receiving the agenda before it was sent together (art. 39).
    steps(&mut a, &|s| s.agenda_sent_on = "09/05/2024".into());
    steps(&mut b, &|s| s.agenda_received_on = "07/05/2024".into());
    let at_b = send(d, &mut a, &mut b);
    let at_a = send(d, &mut b, &mut a);
    assert_eq!((at_b.merged.conflicts, at_a.merged.conflicts), (1, 1));
    let field = |x: &Desk| x.store.conflicts().unwrap().iter().map(|k| k.field.clone()).collect::<Vec<_>>();
    assert_eq!(field(&b), ["agenda_sent_on"]);
    assert_eq!(field(&a), ["agenda_received_on"]);
    // Each desk kept its own session as it was, within the rules.
    let s = |x: &Desk| x.store.get_session(session_id(x, &session)).unwrap().data;
    assert_eq!((s(&a).agenda_sent_on.as_str(), s(&a).agenda_received_on.as_str()), ("2024-05-09", "2024-05-10"));
    assert_eq!((s(&b).agenda_sent_on.as_str(), s(&b).agenda_received_on.as_str()), ("2024-05-05", "2024-05-07"));
    // B keeps its dates. Its decision has seen both writes: A takes both dates with it, which
    // keep the rules together, and its own conflict on the receipt is settled by them.
    let k = b.store.conflicts().unwrap()[0].id;
    b.store.resolve_conflict(k, false).unwrap();
    let decided = send(d, &mut b, &mut a);
    assert_eq!((decided.merged.updated, decided.merged.conflicts), (1, 0), "{:?}", decided.merged);
    assert!(a.store.conflicts().unwrap().is_empty() && b.store.conflicts().unwrap().is_empty());
    assert_eq!(s(&a), s(&b));
    assert_eq!((s(&a).agenda_sent_on.as_str(), s(&a).agenda_received_on.as_str()), ("2024-05-05", "2024-05-07"));
}
