//! Desk to desk: three desks of one council exchange bundles both ways with concurrent edits,
//! deletes and restores; every value ever written stays in some desk's history, the conflict is
//! shown with both values and decided on one desk, and all three end equal. Damaged, truncated,
//! newer, foreign and repeated bundles are refused or a no-op.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use taawun_core::bundle;
use taawun_core::model::{DocumentData, Entity};
use taawun_core::store::{generate, ListQuery, Store};

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

/// Hands every record of `from` to `to` in a bundle; returns what it did there.
fn send(dir: &Path, from: &mut Desk, to: &mut Desk) -> bundle::Applied {
    let file = dir.join(format!("{}-to-{}.taawun-bundle", from.name, to.name));
    bundle::export(&mut from.store, &file, bundle::Since::All).unwrap();
    bundle::import(&mut to.store, &file).unwrap()
}

/// Every exchanged record of a desk, by UUID: its fields (clocks aside).
fn registry(d: &mut Desk) -> BTreeMap<String, serde_json::Map<String, Value>> {
    let mut out = BTreeMap::new();
    d.store
        .traveling_since("", &mut |t| {
            out.insert(t.uuid.clone(), t.fields.clone());
            Ok(())
        })
        .unwrap();
    out
}

fn agreement_id(d: &Desk, uuid: &str) -> i64 {
    let c = rusqlite::Connection::open(&d.db).unwrap();
    c.query_row("SELECT id FROM agreement WHERE uuid = ?1", [uuid], |r| r.get(0)).unwrap()
}

fn edit(d: &mut Desk, uuid: &str, change: impl FnOnce(&mut taawun_core::model::AgreementData)) {
    let id = agreement_id(d, uuid);
    let mut data = d.store.get_agreement(id).unwrap().data;
    change(&mut data);
    d.store.update_agreement(id, data, None).unwrap();
}

/// Whether some desk's history holds `value` as written or replaced.
fn in_some_history(desks: &[&Desk], value: &str) -> bool {
    desks.iter().any(|d| {
        let c = rusqlite::Connection::open(&d.db).unwrap();
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM history WHERE new_value = ?1 OR old_value = ?1 OR instr(new_value, ?2) > 0",
                [value, &serde_json::to_string(value).unwrap()],
                |r| r.get(0),
            )
            .unwrap();
        n > 0
    })
}

#[test]
fn three_desks_edit_concurrently_and_converge_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b, mut c) = (desk(d, "A"), desk(d, "B"), desk(d, "C"));
    a.store
        .generate(&generate::Options { partners: 6, agreements: 12, seed: 7, sessions: 0, points_per_session: 0 })
        .unwrap();
    // A signed original attached on A travels with its file.
    let scan = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan-2p.pdf");
    let first_agreement = a.store.list_agreements(&ListQuery::default()).unwrap().items[0].id;
    let signed = DocumentData { title: "النسخة الموقعة".into(), ..Default::default() };
    let attached = a.store.attach(Entity::Agreement, first_agreement, std::slice::from_ref(&scan), signed).unwrap();
    let first = send(d, &mut a, &mut b);
    assert_eq!((first.merged.created, first.merged.conflicts), (19, 0));
    send(d, &mut a, &mut c);
    assert_eq!(registry(&mut a), registry(&mut b));
    assert_eq!(registry(&mut a), registry(&mut c));
    // B and C joined A's council.
    assert_eq!(b.store.desk_identity().unwrap().council, a.store.desk_identity().unwrap().council);

    let page = a.store.list_agreements(&ListQuery::default()).unwrap();
    let uuid = |i: usize| a.store.get_agreement(page.items[i].id).unwrap().uuid;
    let (g1, g2, g3) = (uuid(0), uuid(1), uuid(2));
    // Concurrent edits: different fields of one agreement; the same field of another, two ways;
    // a deletion on one desk while another edits the record.
    edit(&mut a, &g1, |x| x.title_fr = "Titre écrit à A".into());
    edit(&mut b, &g1, |x| x.notes = "Note écrite à B".into());
    edit(&mut b, &g2, |x| x.title_ar = "عنوان كتب في B".into());
    edit(&mut c, &g2, |x| x.title_ar = "عنوان كتب في C".into());
    c.store.delete(Entity::Agreement, agreement_id(&c, &g3)).unwrap();
    edit(&mut a, &g3, |x| x.reference = "REF-A-2026".into());

    // Both ways, every pair.
    send(d, &mut a, &mut b);
    let at_c = send(d, &mut b, &mut c);
    assert_eq!(at_c.merged.conflicts, 1, "{:?}", at_c.merged);
    send(d, &mut c, &mut a);
    send(d, &mut c, &mut b);
    send(d, &mut a, &mut c);
    send(d, &mut b, &mut a);

    // The conflict is on each desk that met both writes, with both values and where the other came from.
    let conflicts = c.store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let k = &conflicts[0];
    assert_eq!((k.entity, k.uuid.as_str(), k.field.as_str()), (Entity::Agreement, g2.as_str(), "title_ar"));
    assert_eq!(k.local_value, Value::from("عنوان كتب في C"));
    assert_eq!(k.remote_value, Value::from("عنوان كتب في B"));
    assert!(k.remote_desk.ends_with(" B") || k.remote_desk.ends_with(" A"), "{}", k.remote_desk);
    assert!(!b.store.conflicts().unwrap().is_empty());
    // Until decided, each desk keeps its own value.
    let title_at = |x: &mut Desk| registry(x)[&g2]["title_ar"].clone();
    assert_eq!(title_at(&mut c), Value::from("عنوان كتب في C"));
    assert_eq!(title_at(&mut b), Value::from("عنوان كتب في B"));

    // Every value ever written is in some desk's history, the one not taken too.
    let desks = [&a, &b, &c];
    for value in ["Titre écrit à A", "Note écrite à B", "عنوان كتب في B", "عنوان كتب في C", "REF-A-2026"]
    {
        assert!(in_some_history(&desks, value), "{value} is in no history");
    }

    // Decided on C (B's title), and the decision travels.
    c.store.resolve_conflict(k.id, true).unwrap();
    for _ in 0..2 {
        send(d, &mut c, &mut a);
        send(d, &mut c, &mut b);
        send(d, &mut a, &mut b);
        send(d, &mut b, &mut c);
        send(d, &mut b, &mut a);
        send(d, &mut a, &mut c);
    }
    for x in [&a, &b, &c] {
        assert!(x.store.conflicts().unwrap().is_empty(), "{} still has conflicts", x.name);
    }
    let end = registry(&mut a);
    assert_eq!(end, registry(&mut b), "A and B converge");
    assert_eq!(end, registry(&mut c), "A and C converge");
    assert_eq!(end[&g1]["title_fr"], Value::from("Titre écrit à A"));
    assert_eq!(end[&g1]["notes"], Value::from("Note écrite à B"));
    assert_eq!(end[&g2]["title_ar"], Value::from("عنوان كتب في B"));
    assert_eq!(end[&g3]["deleted"], Value::Bool(true), "deleted on C");
    assert_eq!(end[&g3]["reference"], Value::from("REF-A-2026"), "A's edit kept, in the trash");

    // The document and its file are on every desk, byte for byte.
    for x in [&b, &c] {
        let doc_uuid = &attached[0].record.uuid;
        let fields = &end[doc_uuid];
        assert_eq!(fields["sha256"], Value::from(attached[0].sha256.clone()));
        let copy = std::fs::read(x.store.vault().unwrap().path_of(&attached[0].sha256)).unwrap();
        assert_eq!(copy, std::fs::read(&scan).unwrap(), "{}", x.name);
    }

    // A restore travels like any other change.
    b.store.restore(Entity::Agreement, agreement_id(&b, &g3)).unwrap();
    send(d, &mut b, &mut a);
    send(d, &mut a, &mut c);
    assert_eq!(registry(&mut c)[&g3]["deleted"], Value::Bool(false));
    assert_eq!(c.store.get_agreement(agreement_id(&c, &g3)).unwrap().deleted_at, None);
}

#[test]
fn damaged_newer_foreign_and_repeated_bundles_are_refused_or_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b) = (desk(d, "A"), desk(d, "B"));
    a.store
        .generate(&generate::Options { partners: 4, agreements: 8, seed: 9, sessions: 0, points_per_session: 0 })
        .unwrap();
    let scan = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan-2p.pdf");
    let first_agreement = a.store.list_agreements(&ListQuery::default()).unwrap().items[0].id;
    a.store.attach(Entity::Agreement, first_agreement, &[scan], DocumentData::default()).unwrap();
    let file = d.join("a.taawun-bundle");
    bundle::export(&mut a.store, &file, bundle::Since::All).unwrap();
    let bytes = std::fs::read(&file).unwrap();

    // One byte of a document's file changed.
    let mut altered = bytes.clone();
    let at = bytes.windows(5).position(|w| w == b"%PDF-").unwrap() + 200;
    altered[at] ^= 0x01;
    let bad = d.join("altered-file.taawun-bundle");
    std::fs::write(&bad, &altered).unwrap();
    let e = bundle::import(&mut b.store, &bad).unwrap_err();
    assert_eq!(e.code(), "bundle.damaged");
    assert!(e.message(taawun_core::Lang::En).contains("files/"), "{}", e.message(taawun_core::Lang::En));

    // Cut short.
    let cut = d.join("cut.taawun-bundle");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert_eq!(bundle::import(&mut b.store, &cut).unwrap_err().code(), "bundle.damaged");
    // One byte of a record changed.
    let mut altered = bytes.clone();
    let at = bytes.windows(7).position(|w| w == b"name_ar").unwrap() + 12;
    altered[at] ^= 0x01;
    let bad = d.join("altered.taawun-bundle");
    std::fs::write(&bad, &altered).unwrap();
    let e = bundle::import(&mut b.store, &bad).unwrap_err();
    assert_eq!(e.code(), "bundle.damaged");
    assert!(e.message(taawun_core::Lang::Fr).contains("records.jsonl"), "{}", e.message(taawun_core::Lang::Fr));
    // Nothing of them was applied.
    assert_eq!(b.store.count(Entity::Agreement, &ListQuery::default()).unwrap(), 0);

    // From a newer Taawun.
    let newer = d.join("newer.taawun-bundle");
    {
        let mut tar = tar::Builder::new(std::fs::File::create(&newer).unwrap());
        let manifest = br#"{"format": 99, "something": "new"}"#;
        let mut header = tar::Header::new_gnu();
        header.set_size(manifest.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, "manifest.json", &manifest[..]).unwrap();
        tar.finish().unwrap();
    }
    assert_eq!(bundle::import(&mut b.store, &newer).unwrap_err().code(), "bundle.too_new");

    // Applied, then again: the second time is a no-op, said as such.
    let once = bundle::import(&mut b.store, &file).unwrap();
    assert!(!once.already);
    assert_eq!(once.merged.created, 13, "4 partners, 8 agreements, a document");
    let twice = bundle::import(&mut b.store, &file).unwrap();
    assert!(twice.already);
    assert_eq!(b.store.count(Entity::Agreement, &ListQuery::default()).unwrap(), 8);

    // A desk of another council.
    let mut other = desk(d, "Other");
    other.store.desk_identity().unwrap();
    let e = bundle::import(&mut other.store, &file).unwrap_err();
    assert_eq!(e.code(), "bundle.other_council");
    assert_eq!(other.store.count(Entity::Agreement, &ListQuery::default()).unwrap(), 0);
}

#[test]
fn the_cli_exports_imports_and_lists_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cli = |db: &Path, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_taawun-cli"))
            .args(["--lang", "fr", "--db"])
            .arg(db)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let (a, b) = (d.join("a.db"), d.join("b.db"));
    cli(&a, &["generate", "--partners", "3", "--agreements", "5"]);
    cli(&a, &["bundle", "desk", "--name", "Poste 1"]);
    let file = d.join("lot.taawun-bundle");
    let file = file.to_str().unwrap();
    assert!(cli(&a, &["bundle", "export", "-o", file]).contains("8 enregistrements"));
    let text = cli(&b, &["bundle", "import", file]);
    assert!(text.contains("Lot du poste Poste 1 appliqué : 8 nouveaux, 0 mis à jour"), "{text}");
    assert!(cli(&b, &["bundle", "import", file]).contains("déjà été appliqué"));
    assert_eq!(cli(&b, &["bundle", "conflicts"]).trim(), "Aucun conflit.");
    let json: Value = serde_json::from_str(&cli(&b, &["--json", "bundle", "desk"])).unwrap();
    let council_a: Value = serde_json::from_str(&cli(&a, &["--json", "bundle", "desk"])).unwrap();
    assert_eq!(json["council"], council_a["council"]);
    assert_ne!(json["desk"], council_a["desk"]);

    // For one desk: every record the first time, then only what changed since the last bundle for it.
    let for_b = |name: &str| {
        let out = d.join(name);
        let out = out.to_str().unwrap().to_string();
        let json: Value =
            serde_json::from_str(&cli(&a, &["--json", "bundle", "export", "--for", "Poste 2", "-o", &out])).unwrap();
        json["records"].as_u64().unwrap()
    };
    assert_eq!(for_b("for-b-1.taawun-bundle"), 8);
    assert_eq!(for_b("for-b-2.taawun-bundle"), 0);
    cli(&a, &["status", "1", "signed", "--on", "05/12/2026"]);
    assert_eq!(for_b("for-b-3.taawun-bundle"), 1, "the agreement whose status changed");
    let text = cli(&b, &["bundle", "import", d.join("for-b-3.taawun-bundle").to_str().unwrap()]);
    assert!(text.contains("0 nouveaux, 1 mis à jour"), "{text}");
}

/// Lists the entries of a bundle (a tar).
fn entries(path: &Path) -> Vec<String> {
    let mut archive = tar::Archive::new(std::fs::File::open(path).unwrap());
    archive.entries().unwrap().map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned()).collect()
}

#[test]
fn a_desk_bundles_are_made_for_gets_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b, mut c) = (desk(d, "A"), desk(d, "B"), desk(d, "C"));
    a.store
        .generate(&generate::Options { partners: 2, agreements: 2, seed: 5, sessions: 0, points_per_session: 0 })
        .unwrap();
    let scan = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan-2p.pdf");
    let agreement = a.store.list_agreements(&ListQuery::default()).unwrap().items[0].id;
    let doc = a.store.attach(Entity::Agreement, agreement, &[scan], DocumentData::default()).unwrap().remove(0);
    let file_entry = format!("files/{}", doc.sha256);

    let first = d.join("for-b-1.taawun-bundle");
    bundle::export(&mut a.store, &first, bundle::Since::LastFor("B")).unwrap();
    assert!(entries(&first).contains(&file_entry));
    bundle::import(&mut b.store, &first).unwrap();

    // The document's description changes: the next bundle for B carries it, not its file again.
    let mut data = doc.record.data.clone();
    data.title = "النسخة الموقعة — مصححة".into();
    a.store.update_document(doc.record.id, data, None).unwrap();
    let second = d.join("for-b-2.taawun-bundle");
    let manifest = bundle::export(&mut a.store, &second, bundle::Since::LastFor("B")).unwrap();
    assert_eq!(manifest.records, 1);
    assert!(!entries(&second).contains(&file_entry), "{:?}", entries(&second));
    let applied = bundle::import(&mut b.store, &second).unwrap();
    assert_eq!(applied.merged.updated, 1);
    assert_eq!(registry(&mut b)[&doc.record.uuid]["title"], Value::from("النسخة الموقعة — مصححة"));

    // A desk that never had the file cannot take that bundle: it is told to ask for a whole one.
    let e = bundle::import(&mut c.store, &second).unwrap_err();
    assert_eq!(e.code(), "bundle.incomplete");
    assert!(e.message(taawun_core::Lang::Fr).contains("sans --since"), "{}", e.message(taawun_core::Lang::Fr));
    assert_eq!(c.store.count(Entity::Agreement, &ListQuery::default()).unwrap(), 0);
    // A whole bundle (not --for) carries the file.
    let whole = d.join("whole.taawun-bundle");
    bundle::export(&mut a.store, &whole, bundle::Since::All).unwrap();
    assert!(entries(&whole).contains(&file_entry));
    assert_eq!(bundle::import(&mut c.store, &whole).unwrap().merged.created, 5);
}

#[test]
fn a_decision_on_a_record_in_the_trash_travels_in_the_next_bundle_for_a_desk() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (mut a, mut b) = (desk(d, "A"), desk(d, "B"));
    a.store
        .generate(&generate::Options { partners: 2, agreements: 2, seed: 3, sessions: 0, points_per_session: 0 })
        .unwrap();
    let first = d.join("a-for-b.taawun-bundle");
    bundle::export(&mut a.store, &first, bundle::Since::LastFor("B")).unwrap();
    bundle::import(&mut b.store, &first).unwrap();
    let id_a = a.store.list_agreements(&ListQuery::default()).unwrap().items[0].id;
    let uuid = a.store.get_agreement(id_a).unwrap().uuid;
    // A retitles, then moves the agreement to the trash; B retitles it too.
    edit(&mut a, &uuid, |x| x.title_fr = "Titre de A".into());
    a.store.delete(Entity::Agreement, id_a).unwrap();
    edit(&mut b, &uuid, |x| x.title_fr = "Titre de B".into());
    assert_eq!(send(d, &mut b, &mut a).merged.conflicts, 1);
    // A's bundle for B goes before A decides: B meets the conflict too.
    let before = d.join("a-for-b-before.taawun-bundle");
    bundle::export(&mut a.store, &before, bundle::Since::LastFor("B")).unwrap();
    assert_eq!(bundle::import(&mut b.store, &before).unwrap().merged.conflicts, 1);
    let conflict = a.store.conflicts().unwrap().remove(0);
    // A keeps its own title; the decision goes in the next bundle for B, and settles B's conflict.
    a.store.resolve_conflict(conflict.id, false).unwrap();
    let next = d.join("a-for-b-2.taawun-bundle");
    let manifest = bundle::export(&mut a.store, &next, bundle::Since::LastFor("B")).unwrap();
    assert!(manifest.records >= 1);
    bundle::import(&mut b.store, &next).unwrap();
    let at_b = registry(&mut b);
    assert_eq!(at_b[&uuid]["title_fr"], Value::from("Titre de A"));
    assert_eq!(at_b[&uuid]["deleted"], Value::Bool(true));
    assert!(b.store.conflicts().unwrap().is_empty());
}
