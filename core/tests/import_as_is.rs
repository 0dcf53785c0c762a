//! A registry row that lacks a party or holds a date that cannot exist comes in as it is: the
//! value left empty, the cell's text kept in the record's notes, the record flagged "to complete"
//! (shown on it, counted on the home view, a filter of the lists) until the officer fills the
//! field or says it is complete. Rows that would harm (hidden bidi controls, duplicates) stay out.

use std::path::Path;
use taawun_core::import::{self, Action, Options};
use taawun_core::model::*;
use taawun_core::store::{ListQuery, Store};
use taawun_core::Lang;

fn store(dir: &Path) -> Store {
    let mut s = Store::open(&dir.join("t.db")).unwrap();
    s.load_sample().unwrap();
    s
}

fn to_complete(s: &Store, kind: Entity) -> i64 {
    s.count(kind, &ListQuery { to_complete: true, ..Default::default() }).unwrap()
}

const REGISTRY: &str = "النوع,الشريك,البلد,تاريخ التوقيع,المرجع
إعلان ثلاثي,Ville de Liège,بلجيكا,2019-05-10,TRI-2019
اتفاقية شراكة,Commune de Pessac,فرنسا,31/06/2022,PART-2022
اتفاقية شراكة,جماعة لا يعرف بلدها,,2021-01-01,PART-2021
اتفاقية توأمة,Ville de Lyon,فرنسا,2020-02-02,TW-2020
اتفاقية توأمة,\u{202E}Ville de Nantes,فرنسا,2020-02-02,TW-2020b
اتفاقية توأمة,Ville de Lyon,فرنسا,2020-02-02,TW-2020
";

#[test]
fn rows_that_lack_something_come_in_flagged_and_leave_the_list_when_completed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    let file = dir.path().join("سجل.csv");
    std::fs::write(&file, REGISTRY).unwrap();
    let options = Options { kind: Some(Entity::Agreement), skip_errors: true, ..Default::default() };

    let preview = import::preview(&s, &file, &options, Lang::Ar).unwrap();
    let flagged: Vec<(usize, Action, &str, &str, &str)> = preview
        .rows
        .iter()
        .flat_map(|r| {
            r.to_complete.iter().map(move |e| (r.row, r.action, e.field.as_str(), e.code.as_str(), e.value.as_str()))
        })
        .collect();
    assert_eq!(
        flagged,
        [
            (2, Action::Create, "parties", "invalid.too_few_parties", "Ville de Liège"),
            (3, Action::Create, "signed_on", "invalid.no_such_day", "31/06/2022"),
            (4, Action::Create, "parties", "invalid.unknown_partner_no_country", "جماعة لا يعرف بلدها"),
        ]
    );
    // What would harm stays out: a hidden bidi control, a row repeated.
    let refused: Vec<(usize, &str)> =
        preview.rows.iter().filter(|r| r.action == Action::Error).map(|r| (r.row, r.errors[0].code.as_str())).collect();
    assert_eq!(refused, [(6, "invalid.direction_controls"), (7, "invalid.duplicate_row")]);
    assert_eq!((preview.counts.create, preview.counts.to_complete, preview.counts.error), (4, 3, 2));

    let outcome = import::import(&mut s, &file, &options, Lang::Ar).unwrap();
    assert_eq!((outcome.created, outcome.skipped), (4, 2));
    let [tripartite, dated, nameless, lyon] = outcome.ids[..] else { panic!("{:?}", outcome.ids) };
    let record = |s: &Store, id| s.get_agreement(id).unwrap();
    assert_eq!(record(&s, tripartite).to_complete, ["parties"]);
    assert_eq!(record(&s, tripartite).data.parties.len(), 1, "the one partner named is kept");
    let r = record(&s, dated);
    assert_eq!((r.to_complete.as_slice(), r.data.signed_on.as_str()), (&["signed_on".to_string()][..], ""));
    assert!(r.data.notes.contains("«31/06/2022»") && r.data.notes.contains("الصف 3"), "{}", r.data.notes);
    assert!(r.data.notes.contains("تاريخ التوقيع"), "the column named: {}", r.data.notes);
    let r = record(&s, nameless);
    assert!(r.data.parties.is_empty() && r.data.notes.contains("جماعة لا يعرف بلدها"), "{:?}", r.data);
    assert!(record(&s, lyon).to_complete.is_empty());

    // Counted on the home view, listed by the filter.
    let home = s.home(taawun_core::calendar::today()).unwrap();
    assert_eq!((home.to_complete.agreements, home.to_complete.projects, home.to_complete.memberships), (3, 0, 0));
    assert_eq!(to_complete(&s, Entity::Agreement), 3);
    let listed = s.list_agreements(&ListQuery { to_complete: true, ..Default::default() }).unwrap();
    assert!(listed.items.iter().all(|a| a.to_complete) && listed.items.len() == 3);

    // The same file again: nothing changes, no line written twice into the notes, in any language.
    for lang in [Lang::Ar, Lang::Fr] {
        let again = import::preview(&s, &file, &options, lang).unwrap();
        assert_eq!((again.counts.create, again.counts.update, again.counts.unchanged), (0, 0, 4), "{lang:?}");
    }

    // A date unknown for good: saved with a note it stays to complete; the officer then says the
    // record is complete as it stands.
    let mut data = record(&s, dated).data;
    data.notes.push_str("\nوقعت في يونيو 2022، اليوم غير معروف.");
    s.update_agreement(dated, data, None).unwrap();
    assert_eq!(record(&s, dated).to_complete, ["signed_on"], "still lacking the date");
    s.mark_complete(Entity::Agreement, dated).unwrap();
    assert!(record(&s, dated).to_complete.is_empty() && record(&s, dated).data.signed_on.is_empty());
    // The tripartite declaration may be saved with its one partner while it is to complete…
    let mut data = record(&s, tripartite).data;
    data.signed_at = "الرباط".into();
    s.update_agreement(tripartite, data.clone(), None).unwrap();
    assert_eq!(record(&s, tripartite).to_complete, ["parties"]);
    // …and leaves the list once its second partner is named: a field leaves it when filled.
    let second = s.list_partners(&ListQuery { q: "Mantes".into(), ..Default::default() }).unwrap().items[0].id;
    data.parties.push(second);
    s.update_agreement(tripartite, data.clone(), None).unwrap();
    assert!(record(&s, tripartite).to_complete.is_empty());
    // Complete now, it is held to the rule again.
    data.parties.pop();
    assert_eq!(s.update_agreement(tripartite, data, None).unwrap_err().code(), "invalid.too_few_parties");
    // A partner missing cannot be waved through: the rule says why, until one is named.
    assert_eq!(s.mark_complete(Entity::Agreement, nameless).unwrap_err().code(), "invalid.too_few_parties");
    let mut data = record(&s, nameless).data;
    data.parties.push(second);
    s.update_agreement(nameless, data, None).unwrap();
    assert!(record(&s, nameless).to_complete.is_empty());
    assert_eq!(to_complete(&s, Entity::Agreement), 0);
    let history = s.history(Entity::Agreement, dated).unwrap();
    assert!(history.iter().any(|h| h.field.as_deref() == Some("to_complete")), "{history:?}");
}

#[test]
fn a_membership_dated_on_a_day_that_does_not_exist_comes_in_to_complete() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    let file = dir.path().join("adhesions.csv");
    std::fs::write(&file, "Organisation,Pays,Depuis,Cotisation\nMantes-la-Jolie,France,30/02/2015,1000 EUR\n").unwrap();
    let options = Options { kind: Some(Entity::Membership), ..Default::default() };
    let outcome = import::import(&mut s, &file, &options, Lang::Fr).unwrap();
    assert_eq!(outcome.created, 1, "{:#?}", outcome.preview.rows);
    let id = outcome.ids[0];
    let m = s.get_membership(id).unwrap();
    assert_eq!((m.to_complete.as_slice(), m.data.since.as_str()), (&["since".to_string()][..], ""));
    assert!(m.data.notes.contains("30/02/2015"), "{}", m.data.notes);
    assert_eq!(s.home(taawun_core::calendar::today()).unwrap().to_complete.memberships, 1);
    let mut data = m.data;
    data.since = "2015".into();
    s.update_membership(id, data, None).unwrap();
    assert_eq!(to_complete(&s, Entity::Membership), 0);
    // A membership typed in the window still needs its date.
    let bare = MembershipData { partner_id: s.get_membership(id).unwrap().data.partner_id, ..Default::default() };
    assert_eq!(s.add_membership(bare).unwrap_err().field(), Some("since"));
}

/// A record imported to complete travels to the council's other desks as it is: flagged there
/// too (its fewer parties accepted), and completed there when completed here.
#[test]
fn the_flag_travels_between_desks() {
    use taawun_core::bundle;
    let dir = tempfile::tempdir().unwrap();
    let mut here = store(dir.path());
    let mut there = Store::open(&dir.path().join("there.db")).unwrap();
    let file = dir.path().join("سجل.csv");
    std::fs::write(&file, "النوع,الشريك,البلد,المرجع\nإعلان ثلاثي,Ville de Liège,بلجيكا,TRI-2019\n").unwrap();
    let options = Options { kind: Some(Entity::Agreement), ..Default::default() };
    let id = import::import(&mut here, &file, &options, Lang::Ar).unwrap().ids[0];
    let uuid = here.get_agreement(id).unwrap().uuid;
    let send = |from: &mut Store, to: &mut Store, name: &str| {
        let bundle = dir.path().join(name);
        bundle::export(from, &bundle, bundle::Since::All).unwrap();
        bundle::import(to, &bundle).unwrap();
    };
    let there_id = |s: &Store| {
        let page = s.list_agreements(&ListQuery { q: "TRI-2019".into(), ..Default::default() }).unwrap();
        page.items.iter().find(|a| a.uuid == uuid).map(|a| a.id).expect("travelled")
    };
    send(&mut here, &mut there, "1.taawun-bundle");
    let other = there_id(&there);
    assert_eq!(there.get_agreement(other).unwrap().to_complete, ["parties"]);
    assert_eq!(there.get_agreement(other).unwrap().data.parties.len(), 1);
    // Its second partner named here: complete on both desks.
    // (a partner of this desk's own: the sample records stay on the desk that loaded them)
    let kayes = PartnerData {
        kind: PartnerKind::ForeignCollectivity,
        name_latin: "Région de Kayes".into(),
        country: "ML".into(),
        ..Default::default()
    };
    let kayes = here.add_partner(kayes).unwrap().id;
    let mut data = here.get_agreement(id).unwrap().data;
    data.parties.push(kayes);
    here.update_agreement(id, data, None).unwrap();
    send(&mut here, &mut there, "2.taawun-bundle");
    let completed = there.get_agreement(other).unwrap();
    assert!(completed.to_complete.is_empty() && completed.data.parties.len() == 2, "{completed:?}");
}
