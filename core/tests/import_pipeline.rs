//! An import writes its rows as they are planned (planning on a second connection, on its own
//! thread): whatever stops it part-way — a wrong row far down the file, a full disk — leaves the
//! database as it was, and nothing waits forever; a store in memory, which plans before it
//! writes, gives the same records.

use std::path::Path;
use taawun_core::import::{self, Options, Written};
use taawun_core::model::Entity;
use taawun_core::store::{ListQuery, Store};
use taawun_core::Lang;

fn count(s: &Store, kind: Entity) -> i64 {
    s.count(kind, &ListQuery::default()).unwrap()
}

/// `rows` agreements with the sample's partner Mantes-la-Jolie, and a partner the sample does
/// not have ("Ville nouvelle", France) named from row 10 on; the row `wrong` (if any) names a
/// country that does not exist.
fn registry(path: &Path, rows: usize, wrong: Option<usize>) {
    let mut text = String::from("Intitulé;Référence;Partenaires;Pays;Date de signature\n");
    for i in 2..rows + 2 {
        let country = if Some(i) == wrong { "Atlantide" } else { "FR" };
        let partner = if i >= 10 && i % 2 == 0 { "Ville nouvelle" } else { "Mantes-la-Jolie" };
        text.push_str(&format!("Convention {i};REF-{i};{partner};{country};25/04/2018\n"));
    }
    std::fs::write(path, text).unwrap();
}

fn agreements() -> Options {
    Options { kind: Some(Entity::Agreement), ..Default::default() }
}

#[test]
fn a_wrong_row_far_down_the_file_leaves_every_row_before_it_unwritten() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.load_sample().unwrap();
    let (agreements_before, partners_before) = (count(&s, Entity::Agreement), count(&s, Entity::Partner));
    let file = dir.path().join("registre.csv");
    // Thousands of rows planned and written before the wrong one.
    registry(&file, 6_000, Some(5_000));
    let Written::Refused { preview, why } = import::write(&mut s, &file, &agreements(), Lang::Fr).unwrap() else {
        panic!("a file with a wrong row is written only when the user leaves such rows out");
    };
    assert_eq!(why.code(), "invalid.rows_with_errors");
    assert_eq!((preview.counts.create, preview.counts.error), (5_999, 1), "planned to the end, for the preview");
    let wrong: Vec<(usize, &str)> =
        preview.rows.iter().flat_map(|r| r.errors.iter().map(move |e| (r.row, e.field.as_str()))).collect();
    assert_eq!(wrong, [(5_000, "country")]);
    assert_eq!(count(&s, Entity::Agreement), agreements_before, "the rows written before it are rolled back");
    assert_eq!(count(&s, Entity::Partner), partners_before, "and the partner proposed for them");
    assert!(s.search("Convention 4999", &Default::default(), 10).unwrap().is_empty());

    let outcome = import::import(&mut s, &file, &Options { skip_errors: true, ..agreements() }, Lang::Fr).unwrap();
    assert_eq!((outcome.created, outcome.skipped, outcome.new_partners), (5_999, 1, 1));
    assert_eq!(outcome.ids.len(), 5_999);
    assert_eq!(count(&s, Entity::Agreement), agreements_before + 5_999);
    assert_eq!(count(&s, Entity::Partner), partners_before + 1, "the proposed partner created once");
    let hits = s.search("Convention 4999", &Default::default(), 10).unwrap();
    assert_eq!(hits.first().map(|h| h.label.as_str()), Some("Convention 4999"), "indexed in the same transaction");
}

#[test]
fn a_disk_full_part_way_stops_the_planning_too_and_keeps_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.load_sample().unwrap();
    let before = count(&s, Entity::Agreement);
    let file = dir.path().join("registre.csv");
    // More rows than the planning may get ahead of the writing: a writer that stopped must not
    // leave the planning waiting to hand it the rest.
    registry(&file, 8_000, None);
    let pages: i64 = s.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    s.conn().query_row(&format!("PRAGMA max_page_count = {}", pages + 40), [], |_| Ok(())).unwrap();
    let e = import::import(&mut s, &file, &agreements(), Lang::Fr).unwrap_err();
    assert_eq!(e.code(), "disk_full");
    assert_eq!(count(&s, Entity::Agreement), before);
    s.conn().query_row("PRAGMA max_page_count = 1073741823", [], |_| Ok(())).unwrap();
    assert_eq!(import::import(&mut s, &file, &agreements(), Lang::Fr).unwrap().created, 8_000);
    assert_eq!(count(&s, Entity::Agreement), before + 8_000);
}

#[test]
fn a_store_in_memory_plans_then_writes_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("registre.csv");
    registry(&file, 300, Some(120));
    let mut on_disk = Store::open(&dir.path().join("t.db")).unwrap();
    let mut in_memory = Store::open_in_memory().unwrap();
    let mut titles = Vec::new();
    for s in [&mut on_disk, &mut in_memory] {
        s.load_sample().unwrap();
        let before = count(s, Entity::Agreement);
        let Ok(Written::Refused { preview, .. }) = import::write(s, &file, &agreements(), Lang::Fr) else {
            panic!("refused: row 120 is wrong");
        };
        assert_eq!(preview.counts.error, 1);
        assert_eq!(count(s, Entity::Agreement), before);
        let outcome = import::import(s, &file, &Options { skip_errors: true, ..agreements() }, Lang::Fr).unwrap();
        assert_eq!((outcome.created, outcome.new_partners), (299, 1));
        let listed: Vec<String> = outcome
            .ids
            .iter()
            .map(|id| {
                let a = s.get_agreement(*id).unwrap();
                format!("{} {:?}", a.data.title_fr, a.data.parties.len())
            })
            .collect();
        titles.push(listed);
    }
    assert_eq!(titles[0], titles[1]);
}
