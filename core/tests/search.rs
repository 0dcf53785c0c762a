//! Search through the store and the CLI: Arabic typed the way people type it, Latin names
//! without accents or hyphens, the index following edits, deletes and restores, filters, and
//! queries made of FTS syntax that must never error.

use std::process::Command;
use taawun_core::model::*;
use taawun_core::store::{ListQuery, SearchFilters, Store};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.load_sample().unwrap();
    (dir, s)
}

fn found(s: &mut Store, q: &str) -> Vec<(Entity, i64)> {
    s.search(q, &SearchFilters::default(), 50).unwrap().into_iter().map(|h| (h.kind, h.id)).collect()
}

#[test]
fn arabic_as_people_type_it_and_latin_without_accents() {
    let (_dir, mut s) = store();
    let bamako_partner =
        s.list_partners(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    let bamako = s.list_agreements(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    // ة typed as ه, without the article, with the prefix ل dropped.
    for q in
        ["جماعه باماكو", "الجماعة الثالثة لباماكو", "باماكو", "لباماكو", "باما", "Bamako", "bamako", "district bam"]
    {
        let hits = found(&mut s, q);
        assert!(
            hits.contains(&(Entity::Partner, bamako_partner)) && hits.contains(&(Entity::Agreement, bamako)),
            "{q}: {hits:?}"
        );
    }
    // Harakat, tatweel, hamza forms and Arabic-Indic digits do not defeat it.
    assert!(found(&mut s, "باماكُو").contains(&(Entity::Partner, bamako_partner)));
    assert!(found(&mut s, "الجمــاعة").contains(&(Entity::Partner, bamako_partner)));
    assert!(found(&mut s, "اعلان ثلاثي").iter().any(|(k, _)| *k == Entity::Agreement), "إعلان typed without its hamza");
    assert!(found(&mut s, "٢٠١٩").contains(&(Entity::Session, 1)), "Arabic-Indic digits");
    // Latin: accents, hyphens and case.
    for q in ["mantes la jolie", "Mantes-la-Jolie", "MANTES", "guediawaye", "Guédiawaye"] {
        assert!(found(&mut s, q).iter().any(|(k, _)| *k == Entity::Partner), "{q}");
    }
    // "رباط" finds "الرباط" and "بالرباط".
    assert!(found(&mut s, "رباط").iter().any(|(k, _)| *k == Entity::Project));
    // Grouped kinds: sessions and points are searched too.
    assert!(found(&mut s, "يونيو 2019").contains(&(Entity::Session, 1)));
    assert!(found(&mut s, "الأمل").iter().any(|(k, _)| *k == Entity::Point));
    // Highlights point at the matched words of the label.
    let hit = s
        .search("جماعه باماكو", &SearchFilters { kind: Some(Entity::Partner), ..Default::default() }, 5)
        .unwrap()
        .remove(0);
    let words: Vec<String> =
        hit.highlights.iter().map(|(a, b)| hit.label.chars().skip(*a).take(b - a).collect()).collect();
    assert_eq!(words, ["الجماعة", "لباماكو"]);
}

#[test]
fn the_index_follows_edits_deletes_and_restores() {
    let (_dir, mut s) = store();
    let id = s.list_partners(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    let mut p = s.get_partner(id).unwrap();
    p.data.name_latin = "Commune III de Tombouctou".into();
    s.update_partner(id, p.data, Some(&p.updated_at)).unwrap();
    let hit = s
        .search("tombouctou", &SearchFilters { kind: Some(Entity::Partner), ..Default::default() }, 5)
        .unwrap()
        .remove(0);
    assert_eq!(hit.id, id);
    assert!(hit.detail.starts_with("Commune III de Tombouctou"), "the new name, not the old: {}", hit.detail);
    // The agreement's key carries its parties' names.
    assert!(found(&mut s, "tombouctou").iter().any(|(k, _)| *k == Entity::Agreement));
    let agreement = s.list_agreements(&ListQuery { country: "ML".into(), ..Default::default() }).unwrap().items[0].id;
    let d = s
        .attach(
            Entity::Agreement,
            agreement,
            &[std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan-2p.pdf")],
            DocumentData {
                kind: DocumentKind::SignedOriginal,
                title: "النسخة الموقعة".into(),
                signed_on: String::new(),
                signatories: String::new(),
                notes: String::new(),
            },
        )
        .unwrap()
        .remove(0);
    let hits = s.search("النسخه الموقعه", &SearchFilters::default(), 10).unwrap();
    assert!(
        hits.iter().any(|h| h.kind == Entity::Document && h.open == (Entity::Agreement, agreement)),
        "a document opens its record"
    );
    s.delete(Entity::Document, d.record.id).unwrap();
    assert!(!found(&mut s, "الموقعه").iter().any(|(k, _)| *k == Entity::Document));
    s.restore(Entity::Document, d.record.id).unwrap();
    assert!(found(&mut s, "الموقعه").iter().any(|(k, _)| *k == Entity::Document));
}

#[test]
fn filters_and_fts_syntax_never_error() {
    let (_dir, mut s) = store();
    let only = s
        .search(
            "بلدية",
            &SearchFilters { kind: Some(Entity::Agreement), country: "FR".into(), ..Default::default() },
            10,
        )
        .unwrap();
    assert!(!only.is_empty() && only.iter().all(|h| h.kind == Entity::Agreement));
    assert!(s
        .search("اتفاقية", &SearchFilters { year: Some(2018), ..Default::default() }, 10)
        .unwrap()
        .iter()
        .all(|h| h.kind == Entity::Agreement));
    // By fund: the two sample projects of the Moroccan-French fund, and the agreements they fall under.
    let fund = SearchFilters { fund: "المغربي-الفرنسي".into(), ..Default::default() };
    let by_fund = s.search("مونت", &fund, 10).unwrap();
    assert!(!by_fund.is_empty() && by_fund.iter().all(|h| h.kind == Entity::Agreement), "{by_fund:?}");
    assert!(
        s.search("مونت", &SearchFilters { fund: "100%_".into(), ..Default::default() }, 10).unwrap().is_empty(),
        "wildcards typed are taken as nothing"
    );
    assert!(s.search("تكوين", &fund, 10).unwrap().iter().any(|h| h.kind == Entity::Project));
    for q in [
        "\"",
        "*",
        "NEAR(a b)",
        "-",
        "a OR b",
        "AND",
        "(",
        ")",
        "^",
        "\"\"\"",
        "key:x",
        "'; DROP TABLE partner; --",
        "<script>",
        "\u{202E}",
    ] {
        s.search(q, &SearchFilters::default(), 10).unwrap_or_else(|e| panic!("{q}: {e}"));
    }
    assert!(s.search("   ", &SearchFilters::default(), 10).unwrap().is_empty());
    assert_eq!(s.count(Entity::Partner, &ListQuery::default()).unwrap(), 4, "nothing dropped");
}

#[test]
fn the_cli_searches_with_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_taawun-cli")).arg("--db").arg(&db).args(args).output().unwrap()
    };
    assert!(cli(&["sample"]).status.success());
    let o = cli(&["--json", "search", "جماعه باماكو", "--kind", "partner"]);
    assert!(o.status.success());
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["label"], "الجماعة الثالثة لباماكو الكبرى");
    assert!(String::from_utf8(cli(&["search", "mantes"]).stdout).unwrap().contains("Mantes-la-Jolie"));
}

/// Migration 14 drops the index and makes it again with another tokenizer: the next search
/// rebuilds it from the records and finds what it found before, with no row left from the old one
/// (SQLite leaves a contentless table's `_content` behind when it drops the table).
#[test]
fn the_index_is_made_again_after_its_tokenizer_changes() {
    let (dir, mut s) = store();
    let queries = ["جماعه باماكو", "Mantes", "اعلان ثلاثي", "cglua"];
    let before: Vec<_> = queries.iter().map(|q| found(&mut s, q)).collect();
    assert!(before.iter().all(|hits| !hits.is_empty()), "{before:?}");
    // Back to version 13, its index full (what migrations 16 and 15 added taken off): opening runs
    // migration 14 over it.
    s.conn()
        .execute_batch(
            "DROP INDEX agreement_live_sort_ar; DROP INDEX agreement_live_sort_fr;
             DROP INDEX project_live_sort_ar; DROP INDEX project_live_sort_fr;
             ALTER TABLE agreement DROP COLUMN sort_ar; ALTER TABLE agreement DROP COLUMN sort_fr;
             ALTER TABLE project DROP COLUMN sort_ar; ALTER TABLE project DROP COLUMN sort_fr;
             DROP INDEX agreement_to_complete; DROP INDEX project_to_complete; DROP INDEX membership_to_complete;
             ALTER TABLE agreement DROP COLUMN to_complete; ALTER TABLE project DROP COLUMN to_complete;
             ALTER TABLE membership DROP COLUMN to_complete;",
        )
        .unwrap();
    s.conn().pragma_update(None, "user_version", 13).unwrap();
    drop(s);
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    let tokenizer: String =
        s.conn().query_row("SELECT sql FROM sqlite_master WHERE name = 'search_index'", [], |r| r.get(0)).unwrap();
    assert!(tokenizer.contains("tokenize = 'ascii'"), "{tokenizer}");
    let after: Vec<_> = queries.iter().map(|q| found(&mut s, q)).collect();
    assert_eq!(before, after);
    let rows = |table: &str| -> i64 {
        s.conn().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    };
    assert_eq!(rows("search_index_content"), rows("search_index_docsize"));
    s.conn().execute_batch("INSERT INTO search_index(search_index) VALUES ('integrity-check')").unwrap();
}

/// A search's refresh reads the records on a second connection to the file; an import or a
/// generation reads them on the connection writing them. Both give the same index.
#[test]
fn the_index_is_the_same_read_on_the_writing_connection_or_apart() {
    let (_dir, mut s) = store();
    s.generate(&taawun_core::store::generate::Options {
        partners: 50,
        agreements: 700,
        seed: 11,
        sessions: 3,
        points_per_session: 4,
    })
    .unwrap();
    let index = |s: &Store| -> Vec<(i64, String, String, String, String, String)> {
        s.conn()
            .prepare("SELECT rowid, label, detail, country, status, year FROM search_index ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let queries = ["جماعه", "باماكو", "mantes", "2019", "اتفاقيه شراكه"];
    // Made by the generation, on its own connection.
    let written = index(&s);
    let found_written: Vec<_> = queries.iter().map(|q| found(&mut s, q)).collect();
    // Made again from nothing by a search, read apart.
    s.conn()
        .execute_batch("INSERT INTO search_index(search_index) VALUES ('delete-all'); DELETE FROM search_state;")
        .unwrap();
    let found_apart: Vec<_> = queries.iter().map(|q| found(&mut s, q)).collect();
    assert!(written.len() > 750, "{}", written.len());
    assert_eq!(index(&s), written);
    assert_eq!(found_apart, found_written);
}
