//! Desk to desk through the real window: two other desks of the council (made here with
//! taawun-core) edit the same title differently and each record a vote numbered 2024/1 on a
//! different point of one session; the window applies both bundles, shows the conflict with both
//! values and the number given twice on the settings page, takes the other desk's value with a
//! click, and its own bundle carries the decision back.

use taawun_core::bundle;
use taawun_core::model::{DeliberationData, Outcome, PointData, SessionData, SessionKind, Sitting};
use taawun_core::store::{generate, ListQuery, Store};
use taawun_e2e::App;

fn edit_title(store: &mut Store, id: i64, title: &str) {
    let mut data = store.get_agreement(id).unwrap().data;
    data.title_fr = title.into();
    store.update_agreement(id, data, None).unwrap();
}

fn approve(store: &mut Store, point: i64) {
    let vote = DeliberationData {
        decided_on: "04/06/2024".into(),
        members_present: 25,
        votes_for: 25,
        outcome: Outcome::Approved,
        ..DeliberationData::default()
    };
    assert_eq!(store.deliberate(point, vote).unwrap().record.data.number, "2024/1");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_desks_bundles_applied_and_the_conflict_decided_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Desk B makes records and hands them to desk C; both then retitle the same agreement.
    let mut b = Store::open(&d.join("b.db")).unwrap();
    b.set_desk_name("Poste B").unwrap();
    b.generate(&generate::Options { partners: 2, agreements: 3, seed: 11, sessions: 0, points_per_session: 0 })
        .unwrap();
    let session = SessionData {
        kind: SessionKind::Ordinary,
        year: 2024,
        month: 6,
        sittings: vec![Sitting { held_on: "04/06/2024".into(), ..Sitting::default() }],
        ..SessionData::default()
    };
    let session = b.add_session(session).unwrap().id;
    let point = |title: &str| PointData { title: title.into(), ..PointData::default() };
    let first_point = b.add_point(session, point("برنامج التعاون اللامركزي")).unwrap().record.uuid;
    let second_point = b.add_point(session, point("Jumelage avec Nantes")).unwrap().record.uuid;
    bundle::export(&mut b, &d.join("b1.taawun-bundle"), bundle::Since::All).unwrap();
    let mut c = Store::open(&d.join("c.db")).unwrap();
    c.set_desk_name("Poste C").unwrap();
    bundle::import(&mut c, &d.join("b1.taawun-bundle")).unwrap();
    let id_b = b.list_agreements(&ListQuery::default()).unwrap().items[0].id;
    let uuid = b.get_agreement(id_b).unwrap().uuid;
    let id_c = c
        .list_agreements(&ListQuery::default())
        .unwrap()
        .items
        .iter()
        .map(|r| r.id)
        .find(|id| c.get_agreement(*id).unwrap().uuid == uuid)
        .unwrap();
    edit_title(&mut b, id_b, "Titre du poste B");
    edit_title(&mut c, id_c, "Titre du poste C");
    // Each desk records the vote on another point, and numbers it 2024/1.
    let on = |s: &Store, uuid: &str| {
        s.points_of(s.list_sessions(&ListQuery::default()).unwrap().items[0].id)
            .unwrap()
            .into_iter()
            .find(|p| p.record.uuid == uuid)
            .unwrap()
            .record
            .id
    };
    let p1 = on(&b, &first_point);
    approve(&mut b, p1);
    let p2 = on(&c, &second_point);
    approve(&mut c, p2);
    let (b2, c2) = (d.join("b2.taawun-bundle"), d.join("c2.taawun-bundle"));
    bundle::export(&mut b, &b2, bundle::Since::All).unwrap();
    bundle::export(&mut c, &c2, bundle::Since::All).unwrap();

    let mut app = App::start("exchange").await;
    let apply = |path: &std::path::Path| {
        format!("return await window.__TAURI__.core.invoke('import_bundle', {{path: {}}}).then(a => [a.merged.created, a.merged.conflicts])", serde_json::json!(path))
    };
    assert_eq!(app.js(&apply(&b2)).await, serde_json::json!([9, 0]));
    assert_eq!(app.js(&apply(&c2)).await, serde_json::json!([1, 1]));

    app.goto("#/settings").await;
    app.wait_text("#exchange h2", "التبادل").await;
    app.wait_text("#conflicts .conflict .local", "Titre du poste B").await;
    app.wait_text("#conflicts .conflict .remote", "Titre du poste C").await;
    app.wait_text("#conflicts .conflict", "Poste C").await;
    app.wait_text("#number-clashes .clash", "2024/1").await;
    app.wait_text("#number-clashes .clash", "برنامج التعاون اللامركزي").await;
    app.wait_text("#number-clashes .clash", "Jumelage avec Nantes").await;
    let links = app
        .js("return [...document.querySelectorAll('#number-clashes .clash a')].map(a => a.getAttribute('href'))")
        .await;
    assert_eq!(links.as_array().unwrap().len(), 2, "{links}");
    assert!(links[0].as_str().unwrap().starts_with("#/session/"), "{links}");
    app.js("document.getElementById('exchange').scrollIntoView()").await;
    app.screenshot("conflict-ar").await;
    let record = app.js("return document.querySelector('#conflicts .conflict h3 a').getAttribute('href')").await;
    let record_id: i64 = record.as_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    app.click("#conflicts .conflict .take-remote").await;
    app.wait_until("!document.querySelector('#conflicts .conflict')", "the conflict decided").await;
    let title = app
        .js(&format!("return await window.__TAURI__.core.invoke('record_view', {{kind: 'agreement', id: {record_id}}}).then(v => JSON.stringify(v))"))
        .await;
    assert!(title.as_str().unwrap().contains("Titre du poste C"), "{title}");

    // The window's bundle carries the decision to desk B, whose value was not taken.
    let back = d.join("window.taawun-bundle");
    let made = app
        .js(&format!(
            "return await window.__TAURI__.core.invoke('export_bundle', {{dest: {}}}).then(m => m.records)",
            serde_json::json!(back)
        ))
        .await;
    assert!(made.as_u64().unwrap() >= 10, "{made}");
    app.close().await;
    bundle::import(&mut b, &back).unwrap();
    assert_eq!(b.get_agreement(id_b).unwrap().data.title_fr, "Titre du poste C");
    assert!(b.conflicts().unwrap().is_empty());
}
