//! Integration tests of the store on temp-file and in-memory databases.
//!
//! Modules: opening and migrations (fixture at schema 1, newer and foreign files refused),
//! history, trash and references, sample data, lists, bad input and atomicity, concurrency.

use taawun_core::model::*;
use taawun_core::store::{migrations, ListQuery, Store};

fn partner(name: &str, country: &str) -> PartnerData {
    PartnerData {
        kind: PartnerKind::ForeignCollectivity,
        name_ar: name.into(),
        name_latin: format!("{name} (latin)"),
        short_name: String::new(),
        country: country.into(),
        region: String::new(),
        city: String::new(),
        address: String::new(),
        contacts: vec![],
        notes: String::new(),
    }
}

fn agreement(parties: Vec<i64>) -> AgreementData {
    AgreementData {
        kind: AgreementKind::Partnership,
        title_ar: "اتفاقية شراكة".into(),
        title_fr: "Convention".into(),
        legal_basis: String::new(),
        reference: String::new(),
        parties,
        areas: vec![],
        signed_on: "2018-04-25".into(),
        signed_at: String::new(),
        effective_from: String::new(),
        duration_months: None,
        end_on: String::new(),
        tacit_renewal: false,
        notes: String::new(),
    }
}

mod opening {
    use super::*;
    use std::path::Path;

    /// Rewrites the schema-1 fixture (run by hand with `--ignored` if migration 1 ever had to
    /// be regenerated; it never changes once released).
    #[test]
    #[ignore]
    fn make_schema_1_fixture() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v1.db");
        let _ = std::fs::remove_file(&path);
        let mut c = rusqlite::Connection::open(&path).unwrap();
        migrations::migrate_to(&mut c, 1).unwrap();
        c.execute_batch(
            "INSERT INTO partner(id, uuid, kind, name_ar, name_latin, country, created_at, updated_at)
                 VALUES (1, '6f1c2b1e-0000-4000-8000-000000000001', 'foreign_collectivity', 'بلدية مونت لاجولي', 'Mantes-la-Jolie', 'FR', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
             INSERT INTO agreement(id, uuid, kind, title_ar, signed_on, expires_on, status, status_on, created_at, updated_at)
                 VALUES (1, '6f1c2b1e-0000-4000-8000-000000000002', 'partnership', 'اتفاقية شراكة وتعاون', '2016', NULL, 'signed', '2016', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
             INSERT INTO agreement_party VALUES (1, 1, 0);
             INSERT INTO history(entity, entity_id, action, at) VALUES ('agreement', 1, 'create', '2024-01-01T00:00:00.000Z');",
        )
        .unwrap();
        drop(c);
        // One file, no WAL side files.
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("VACUUM").unwrap();
    }

    #[test]
    fn a_schema_1_database_is_migrated_with_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v1.db"), &path).unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(migrations::version(store.conn()).unwrap(), migrations::supported_version());
        let q = ListQuery { year: Some(2016), ..Default::default() };
        let page = store.list_agreements(&q).unwrap();
        assert_eq!(
            store.count(Entity::Agreement, &q).unwrap(),
            1,
            "the year column added by migration 2 reads the old rows"
        );
        assert_eq!(page.items[0].parties[0].name_latin, "Mantes-la-Jolie");
        assert_eq!(store.history(Entity::Agreement, 1).unwrap().len(), 1);
        let key: String =
            store.conn().query_row("SELECT sort_ar FROM agreement WHERE id = 1", [], |r| r.get(0)).unwrap();
        assert_eq!(key, taawun_core::text::sort_key("اتفاقية شراكة وتعاون"), "migration 16 keyed the old titles");
    }

    #[test]
    fn a_database_from_a_newer_taawun_is_refused_and_not_modified() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute_batch("CREATE TABLE future(x); PRAGMA application_id = 1413562711; PRAGMA user_version = 99;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let e = Store::open(&path).err().unwrap();
        assert_eq!(e.code(), "schema_too_new");
        assert!(e.message(taawun_core::Lang::Fr).contains("99"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert!(!dir.path().join("new.db-wal").exists());
    }

    #[test]
    fn foreign_files_are_refused_and_not_modified() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.db");
        {
            let c = rusqlite::Connection::open(&other).unwrap();
            c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);").unwrap();
        }
        let before = std::fs::read(&other).unwrap();
        assert_eq!(Store::open(&other).err().unwrap().code(), "not_taawun");
        assert_eq!(std::fs::read(&other).unwrap(), before);

        let text = dir.path().join("notes.db");
        std::fs::write(&text, "this is a text file, not a database, and it is long enough to have a header").unwrap();
        let before = std::fs::read(&text).unwrap();
        assert_eq!(Store::open(&text).err().unwrap().code(), "not_taawun");
        assert_eq!(std::fs::read(&text).unwrap(), before);
    }

    #[test]
    fn wal_and_foreign_keys_are_on() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("sub/dir/t.db")).unwrap();
        let mode: String = store.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let fk: bool = store.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        assert!(fk);
    }

    #[test]
    fn a_second_window_on_the_same_database_is_told_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut first = Store::open(&path).unwrap();
        first.acquire_app_lock().unwrap();
        let mut second = Store::open(&path).unwrap();
        let e = second.acquire_app_lock().unwrap_err();
        assert_eq!(e.code(), "locked");
        drop(first);
        second.acquire_app_lock().unwrap();
    }
}

mod history_and_trash {
    use super::*;

    #[test]
    fn every_change_is_in_the_history() {
        let mut s = Store::open_in_memory().unwrap();
        let p = s.add_partner(partner("باماكو", "ML")).unwrap();
        let mut d = p.data.clone();
        d.city = "Bamako".into();
        d.notes = "<b>note</b>".into();
        let p2 = s.update_partner(p.id, d, Some(&p.updated_at)).unwrap();
        let h = s.history(Entity::Partner, p.id).unwrap();
        assert_eq!(h.len(), 3, "{h:?}");
        assert_eq!(h[2].action, "create");
        let fields: Vec<_> = h[..2].iter().map(|e| e.field.clone().unwrap()).collect();
        assert!(fields.contains(&"city".to_string()) && fields.contains(&"notes".to_string()));
        let city = h.iter().find(|e| e.field.as_deref() == Some("city")).unwrap();
        assert_eq!((city.old_value.as_deref(), city.new_value.as_deref()), (None, Some("Bamako")));
        assert!(p2.updated_at >= p.updated_at);
        assert_eq!(p2.uuid, p.uuid);

        let a = s.add_agreement(agreement(vec![p.id]), None, None).unwrap();
        s.set_agreement_status(a.id, AgreementStatus::CouncilApproved, Some("12/06/2019"), "").unwrap();
        s.set_agreement_status(a.id, AgreementStatus::Signed, Some("2019-09-01"), "").unwrap();
        let v = s.agreement_view(a.id).unwrap();
        assert_eq!(v.status, AgreementStatus::Signed);
        let steps: Vec<_> = v.status_changes.iter().map(|c| (c.status, c.on.as_str())).collect();
        assert_eq!(
            steps[1..],
            [(AgreementStatus::CouncilApproved, "2019-06-12"), (AgreementStatus::Signed, "2019-09-01")]
        );
        let h = s.history(Entity::Agreement, a.id).unwrap();
        assert_eq!(h[0].action, "status");
        assert_eq!(
            (h[0].old_value.as_deref(), h[0].new_value.as_deref(), h[0].detail.as_str()),
            (Some("council_approved"), Some("signed"), "2019-09-01")
        );
    }

    #[test]
    fn a_stale_edit_is_refused() {
        let mut s = Store::open_in_memory().unwrap();
        let p = s.add_partner(partner("داكار", "SN")).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(3));
        s.update_partner(p.id, partner("داكار 2", "SN"), Some(&p.updated_at)).unwrap();
        let e = s.update_partner(p.id, partner("داكار 3", "SN"), Some(&p.updated_at)).unwrap_err();
        assert_eq!(e.code(), "conflict");
        assert_eq!(s.get_partner(p.id).unwrap().data.name_ar, "داكار 2");
    }

    #[test]
    fn referenced_records_are_not_deleted_and_deletes_are_undoable() {
        let mut s = Store::open_in_memory().unwrap();
        let p = s.add_partner(partner("باماكو", "ML")).unwrap();
        let a = s.add_agreement(agreement(vec![p.id]), None, None).unwrap();
        let e = s.delete(Entity::Partner, p.id).unwrap_err();
        assert_eq!(e.code(), "referenced");
        assert!(e.message(taawun_core::Lang::Fr).contains("convention: 1"), "{}", e.message(taawun_core::Lang::Fr));

        s.delete(Entity::Agreement, a.id).unwrap();
        assert_eq!(s.count(Entity::Agreement, &ListQuery::default()).unwrap(), 0);
        assert_eq!(s.trash().unwrap().len(), 1);
        s.delete(Entity::Partner, p.id).unwrap();
        // The agreement needs its partner back first.
        assert_eq!(s.restore(Entity::Agreement, a.id).unwrap_err().code(), "needs_restore");
        s.restore(Entity::Partner, p.id).unwrap();
        s.restore(Entity::Agreement, a.id).unwrap();
        assert_eq!(s.count(Entity::Agreement, &ListQuery::default()).unwrap(), 1);
        let actions: Vec<_> = s.history(Entity::Agreement, a.id).unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions[..2], ["restore", "delete"]);
        assert_eq!(s.delete(Entity::Project, 999).unwrap_err().code(), "not_found");
    }

    #[test]
    fn a_deleted_partner_cannot_become_a_party() {
        let mut s = Store::open_in_memory().unwrap();
        let p = s.add_partner(partner("باماكو", "ML")).unwrap();
        s.delete(Entity::Partner, p.id).unwrap();
        assert_eq!(s.add_agreement(agreement(vec![p.id]), None, None).unwrap_err().field(), Some("parties"));
    }
}

mod sample {
    use super::*;

    #[test]
    fn the_council_records_load_once_and_leave_in_one_action() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(s.first_start().unwrap());
        assert!(!s.first_start().unwrap(), "only on the first start");
        let home = s.home(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()).unwrap();
        assert_eq!((home.partners, home.agreements, home.projects, home.memberships), (4, 3, 2, 1));
        let q = ListQuery { country: "ml".into(), ..Default::default() };
        let bamako = s.list_agreements(&q).unwrap();
        assert_eq!(s.count(Entity::Agreement, &q).unwrap(), 1);
        assert_eq!(bamako.items[0].signed_on, "2018-04-25");
        assert_eq!(bamako.items[0].direction, Some(Direction::SouthSouth));
        let tri = s.list_agreements(&ListQuery { kind: "tripartite".into(), ..Default::default() }).unwrap();
        assert_eq!(tri.items[0].parties.len(), 2);
        assert_eq!(tri.items[0].direction, Some(Direction::Triangular));
        let m = s.list_memberships(&ListQuery::default()).unwrap();
        assert_eq!(m.items[0].since, "2008-05");
        let projects = s.list_projects(&ListQuery::default()).unwrap();
        assert_eq!(
            projects.items.iter().map(|p| p.fund_edition.as_str()).collect::<Vec<_>>(),
            ["2016-2018", "2019-2021"]
        );

        // 4 partners, 3 agreements, 2 projects, 1 membership, the example session and its 2 points.
        assert_eq!(s.remove_sample().unwrap(), 13);
        let home = s.home(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()).unwrap();
        assert_eq!(
            (home.partners, home.agreements, home.sessions, home.in_trash, home.sample_records),
            (0, 0, 0, 13, 0)
        );
        assert!(s.load_sample().unwrap(), "can be loaded again by hand");
    }

    #[test]
    fn removing_samples_refuses_when_own_records_use_them_and_moves_nothing() {
        let mut s = Store::open_in_memory().unwrap();
        s.load_sample().unwrap();
        let mantes = s.list_partners(&ListQuery { country: "FR".into(), ..Default::default() }).unwrap().items[0].id;
        s.add_agreement(agreement(vec![mantes]), None, None).unwrap();
        assert_eq!(s.remove_sample().unwrap_err().code(), "referenced");
        assert!(s.trash().unwrap().is_empty(), "one transaction: nothing moved");
    }
}

mod lists {
    use super::*;

    #[test]
    fn the_text_box_finds_records_indexed_and_records_changed_since() {
        let mut s = Store::open_in_memory().unwrap();
        s.load_sample().unwrap();
        let q = |text: &str| ListQuery { q: text.into(), ..Default::default() };
        // Nothing indexed yet: every record is read as it is.
        assert_eq!(s.list_partners(&q("Guédiawaye")).unwrap().items.len(), 1);
        // Indexed by a search: the folded index answers ("guediawaye", "كيدياوي" without article).
        s.search("x", &taawun_core::store::SearchFilters::default(), 1).unwrap();
        assert_eq!(s.list_partners(&q("guediawaye")).unwrap().items.len(), 1);
        // Added after: found by its text until the index follows, then by the index.
        let data = PartnerData {
            kind: PartnerKind::ForeignCollectivity,
            name_latin: "Ville de Liège".into(),
            country: "BE".into(),
            ..Default::default()
        };
        s.add_partner(data).unwrap();
        assert_eq!(s.list_partners(&q("Liège")).unwrap().items.len(), 1, "changed since the index followed");
        s.search("x", &taawun_core::store::SearchFilters::default(), 1).unwrap();
        assert_eq!(s.list_partners(&q("liege")).unwrap().items.len(), 1, "then from the index, folded");
        assert_eq!(s.count(Entity::Partner, &q("liege")).unwrap(), 1, "the count agrees");
    }

    /// Partners sort by the name the list shows: a partner known by one name only is not put
    /// first for its empty other name.
    #[test]
    fn partners_sort_by_the_name_shown() {
        let mut s = Store::open_in_memory().unwrap();
        let latin_only =
            PartnerData { name_ar: String::new(), name_latin: "Ville de Lyon".into(), ..partner("", "FR") };
        let arabic_only = PartnerData { name_latin: String::new(), ..partner("جماعة باماكو", "ML") };
        for p in [latin_only, arabic_only, partner("بلدية أوترخت", "NL")] {
            s.add_partner(p).unwrap();
        }
        let names = |sort: &str| -> Vec<String> {
            let q = ListQuery { sort: sort.into(), ..Default::default() };
            s.list_partners(&q).unwrap().items.iter().map(|p| format!("{}|{}", p.name_ar, p.name_latin)).collect()
        };
        assert_eq!(names("name_ar"), ["|Ville de Lyon", "بلدية أوترخت|بلدية أوترخت (latin)", "جماعة باماكو|"]);
        assert_eq!(names("name_latin"), ["|Ville de Lyon", "بلدية أوترخت|بلدية أوترخت (latin)", "جماعة باماكو|"]);
    }

    /// Titles sort by the title each language shows, their numbers in numeric order ("9945"
    /// before "99947"), agreements and projects alike; an edit moves the record.
    #[test]
    fn titles_sort_with_numbers_in_order_in_each_language() {
        let mut s = Store::open_in_memory().unwrap();
        let p = s.add_partner(partner("بلدية أوترخت", "NL")).unwrap().id;
        let titled =
            |ar: &str, fr: &str| AgreementData { title_ar: ar.into(), title_fr: fr.into(), ..agreement(vec![p]) };
        let ids: Vec<i64> = [("اتفاقية 99947", "Accord 99947"), ("اتفاقية ٩٩٤٥", "accord 9945"), ("", "Accord 10")]
            .into_iter()
            .map(|(ar, fr)| s.add_agreement(titled(ar, fr), None, None).unwrap().id)
            .collect();
        let order = |s: &Store, sort: &str| -> Vec<String> {
            let q = ListQuery { sort: sort.into(), ..Default::default() };
            s.list_agreements(&q).unwrap().items.iter().map(|a| a.title_fr.clone()).collect()
        };
        // In Arabic the French-only title counts by its own text (Latin before Arabic letters).
        assert_eq!(order(&s, "title"), ["Accord 10", "accord 9945", "Accord 99947"]);
        assert_eq!(order(&s, "title_fr"), ["Accord 10", "accord 9945", "Accord 99947"]);
        let mut edited = s.get_agreement(ids[2]).unwrap();
        edited.data.title_fr = "Accord 100000".into();
        s.update_agreement(ids[2], edited.data, None).unwrap();
        assert_eq!(order(&s, "title_fr"), ["accord 9945", "Accord 99947", "Accord 100000"]);
        let project = |ar: &str| ProjectData { title_ar: ar.into(), agreement_id: ids[0], ..Default::default() };
        for title in ["مشروع 12", "مشروع 3", "مشروع ٢٠"] {
            s.add_project(project(title)).unwrap();
        }
        let q = ListQuery { sort: "title".into(), ..Default::default() };
        let projects: Vec<String> = s.list_projects(&q).unwrap().items.iter().map(|p| p.title_ar.clone()).collect();
        assert_eq!(projects, ["مشروع 3", "مشروع 12", "مشروع ٢٠"]);
    }

    #[test]
    fn filter_sort_and_page() {
        let mut s = Store::open_in_memory().unwrap();
        s.generate(&taawun_core::store::generate::Options {
            partners: 30,
            agreements: 500,
            seed: 7,
            sessions: 0,
            points_per_session: 0,
        })
        .unwrap();
        let all = s.list_agreements(&ListQuery::default()).unwrap();
        assert_eq!(s.count(Entity::Agreement, &ListQuery::default()).unwrap(), 500);
        assert_eq!(all.items.len(), 100);
        assert!(all.has_more);
        let last = s.list_agreements(&ListQuery { offset: 400, ..Default::default() }).unwrap();
        assert_eq!((last.items.len(), last.has_more), (100, false));
        let q = ListQuery {
            status: "signed".into(),
            sort: "signed_on".into(),
            desc: true,
            limit: Some(20),
            offset: 5,
            ..Default::default()
        };
        let page = s.list_agreements(&q).unwrap();
        assert!(page.items.iter().all(|a| a.status == AgreementStatus::Signed));
        assert!(page.items.windows(2).all(|w| w[0].signed_on >= w[1].signed_on));
        let year = s.list_agreements(&ListQuery { year: Some(2018), ..Default::default() }).unwrap();
        assert!(!year.items.is_empty() && year.items.iter().all(|a| a.signed_on.starts_with("2018")));
        let fr_q = ListQuery { country: "FR".into(), limit: Some(1000), ..Default::default() };
        let fr = s.list_agreements(&fr_q).unwrap();
        assert!(fr.items.iter().all(|a| a.parties.iter().any(|p| p.country == "FR")));
        assert_eq!(s.count(Entity::Agreement, &fr_q).unwrap(), fr.items.len() as i64, "the count and the page agree");
        let partners = s.list_partners(&ListQuery { country: "sn".into(), ..Default::default() }).unwrap();
        assert!(partners.items.iter().all(|p| p.country == "SN"));
        // LIKE wildcards typed by the user are text.
        assert_eq!(s.count(Entity::Agreement, &ListQuery { q: "%".into(), ..Default::default() }).unwrap(), 0);
        // The text box matches as search does (folded words, by their beginning), from the index.
        let found = s.list_agreements(&ListQuery { q: "n° 17".into(), ..Default::default() }).unwrap();
        // (in titles, references, places and the partners' names, as the search index keys them)
        let total = s.count(Entity::Agreement, &ListQuery::default()).unwrap();
        let matching = s.count(Entity::Agreement, &ListQuery { q: "n° 17".into(), ..Default::default() }).unwrap();
        assert!(matching > 0 && matching < total / 2, "{matching} of {total}");
        assert!(found.items.iter().any(|a| a.title_fr.ends_with("n° 17")));
        let folded =
            s.list_agreements(&ListQuery { q: "اتفاقيه".into(), limit: Some(5), ..Default::default() }).unwrap();
        assert!(
            !folded.items.is_empty() && folded.items.iter().all(|a| a.title_ar.contains("اتفاقية")),
            "ة typed as ه"
        );
    }
}

mod bad_input {
    use super::*;

    #[test]
    fn hostile_text_is_stored_inert() {
        let mut s = Store::open_in_memory().unwrap();
        let name = "<script>alert('x')</script>'); DROP TABLE partner; --";
        let p = s.add_partner(partner(name, "FR")).unwrap();
        assert_eq!(s.get_partner(p.id).unwrap().data.name_ar, name);
        assert_eq!(s.count(Entity::Partner, &ListQuery::default()).unwrap(), 1);
    }

    #[test]
    fn refused_input_saves_nothing() {
        let mut s = Store::open_in_memory().unwrap();
        let e = s.add_partner(partner("a\u{202E}b", "FR")).unwrap_err();
        assert_eq!(e.code(), "invalid.direction_controls");
        assert_eq!(s.add_partner(partner("x", "XX")).unwrap_err().field(), Some("country"));
        let p = s.add_partner(partner("داكار", "SN")).unwrap();
        // An import with one bad row imports nothing.
        let mut bad = agreement(vec![p.id]);
        bad.signed_on = "2018-02-30".into();
        let e = s
            .import_agreements(vec![(agreement(vec![p.id]), AgreementStatus::Draft), (bad, AgreementStatus::Draft)])
            .unwrap_err();
        assert_eq!(e.field(), Some("signed_on"));
        let mut dangling = agreement(vec![p.id]);
        dangling.parties = vec![p.id, 424242];
        assert!(s
            .import_agreements(vec![
                (agreement(vec![p.id]), AgreementStatus::Draft),
                (dangling, AgreementStatus::Draft)
            ])
            .is_err());
        assert_eq!(s.count(Entity::Agreement, &ListQuery::default()).unwrap(), 0);
        let history_rows: i64 =
            s.conn().query_row("SELECT count(*) FROM history WHERE entity = 'agreement'", [], |r| r.get(0)).unwrap();
        assert_eq!(history_rows, 0);
    }

    /// A form hears of every wrong field at once, each beside its field, in the form's order;
    /// nothing is saved.
    #[test]
    fn every_wrong_field_is_said_at_once() {
        let mut s = Store::open_in_memory().unwrap();
        let mut p = partner("a\u{202E}b", "XX");
        p.contacts = vec![Contact { email: "not an email".into(), ..Default::default() }];
        let e = s.add_partner(p).unwrap_err();
        let fields: Vec<(Option<String>, Option<usize>, String)> =
            e.into_each().iter().map(|e| (e.field().map(str::to_string), e.row(), e.code())).collect();
        assert_eq!(
            fields,
            [
                (Some("name_ar".into()), None, "invalid.direction_controls".into()),
                (Some("name_latin".into()), None, "invalid.direction_controls".into()),
                (Some("country".into()), None, "invalid.unknown_value".into()),
                (Some("contact_email".into()), Some(0), "invalid.bad_email".into()),
            ]
        );
        let bamako = s.add_partner(partner("باماكو", "ML")).unwrap().id;
        let mut a = agreement(vec![]);
        a.signed_on = "31/06/2018".into();
        a.duration_months = Some(0);
        a.title_fr = "x\u{0}".into();
        let e = s.add_agreement(a, None, None).unwrap_err();
        // One report for the window: the first field's, the others beside it, each translated.
        let report = e.report(taawun_core::Lang::Fr);
        let named: Vec<&str> =
            std::iter::once(&report).chain(&report.others).map(|r| r.field.as_deref().unwrap_or_default()).collect();
        assert_eq!(named, ["title_fr", "parties", "signed_on", "duration_months"]);
        assert!(report.others.iter().all(|r| !r.message.is_empty() && !r.message.contains("fr.")), "{report:?}");
        // The command line says them all, a line each.
        assert_eq!(e.message(taawun_core::Lang::Fr).lines().count(), 4);
        assert_eq!(s.count(Entity::Agreement, &ListQuery::default()).unwrap(), 0);
        // Fixed, the same record saves; an end before its start is told once the dates read.
        let mut a = agreement(vec![bamako]);
        a.signed_on = "2018".into();
        a.end_on = "2017".into();
        assert_eq!(s.add_agreement(a, None, None).unwrap_err().code(), "invalid.end_before_start");
    }

    #[test]
    fn absurd_amounts_and_dates_are_refused_by_field() {
        let mut s = Store::open_in_memory().unwrap();
        let p = s.add_partner(partner("مونت لاجولي", "FR")).unwrap();
        let a = s.add_agreement(agreement(vec![p.id]), None, None).unwrap();
        let project = |amount: &str, end: &str| ProjectData {
            agreement_id: a.id,
            title_ar: "مشروع".into(),
            title_fr: String::new(),
            fund: String::new(),
            fund_edition: String::new(),
            tranche: String::new(),
            implementing_bodies: vec![],
            start_on: "2019".into(),
            end_on: end.into(),
            status: ProjectStatus::Planned,
            budget_lines: vec![BudgetLine {
                partner_id: Some(p.id),
                label: String::new(),
                amount: amount.into(),
                currency: "EUR".into(),
                minor: 0,
            }],
            activities: vec![],
            beneficiaries: String::new(),
            notes: String::new(),
        };
        assert_eq!(s.add_project(project("-1", "2021")).unwrap_err().field(), Some("budget_amount"));
        assert_eq!(s.add_project(project("1e30", "2021")).unwrap_err().field(), Some("budget_amount"));
        assert_eq!(s.add_project(project("1000", "2018")).unwrap_err().field(), Some("end_on"));
        let ok = s.add_project(project("25 000,00", "2021")).unwrap();
        assert_eq!(ok.data.budget_lines[0].minor, 2_500_000);
        assert_eq!(s.project_view(ok.id).unwrap().totals[0].display(taawun_core::Lang::Fr), "25\u{202F}000 EUR");
    }
}

mod full_disk {
    use super::*;

    /// SQLite reports a full disk as SQLITE_FULL; capping the database size provokes the same
    /// error without filling a real disk.
    #[test]
    fn a_full_disk_is_a_clear_error_and_keeps_what_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("t.db")).unwrap();
        let p = s.add_partner(partner("داكار", "SN")).unwrap();
        let pages: i64 = s.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
        s.conn().query_row(&format!("PRAGMA max_page_count = {}", pages + 2), [], |_| Ok(())).unwrap();
        let mut big = partner("نص طويل", "SN");
        big.notes = "ملاحظة طويلة جدا ".repeat(1100);
        let e = s.add_partner(big).unwrap_err();
        assert_eq!(e.code(), "disk_full");
        assert!(e.message(taawun_core::Lang::Ar).contains("القرص ممتلئ"));
        assert_eq!(s.count(Entity::Partner, &ListQuery::default()).unwrap(), 1);
        assert_eq!(s.get_partner(p.id).unwrap().data.name_ar, "داكار");
        s.conn().query_row("PRAGMA max_page_count = 1073741823", [], |_| Ok(())).unwrap();
        s.add_partner(partner("بعد تحرير المساحة", "SN")).unwrap();
    }
}

mod concurrency {
    use super::*;

    #[test]
    fn two_connections_write_without_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let mut a = Store::open(&path).unwrap();
        let p = a.add_partner(partner("داكار", "SN")).unwrap().id;
        let path2 = path.clone();
        let t = std::thread::spawn(move || {
            let mut b = Store::open(&path2).unwrap();
            for _ in 0..50 {
                b.add_agreement(agreement(vec![p]), None, None).unwrap();
            }
        });
        for _ in 0..50 {
            a.add_agreement(agreement(vec![p]), None, None).unwrap();
        }
        t.join().unwrap();
        assert_eq!(a.count(Entity::Agreement, &ListQuery::default()).unwrap(), 100);
        let ok: String = a.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
    }
}
