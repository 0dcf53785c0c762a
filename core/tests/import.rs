//! Spreadsheets brought in: a council registry with mixed date forms, merged cells, formulas and a
//! hidden sheet; per-row errors with row numbers and nothing written unless all is right (or the
//! user skips the wrong rows); re-importing updates and never duplicates; Taawun's own exports
//! come back as the same records; CSV in UTF-8, UTF-16 and Windows-1256; remembered mappings.

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::path::{Path, PathBuf};
use std::process::Command;
use taawun_core::export::{export_list, Format as ExportFormat};
use taawun_core::import::{self, Action, Options};
use taawun_core::model::*;
use taawun_core::store::{ListQuery, Store};
use taawun_core::Lang;

fn sample_store(dir: &Path) -> Store {
    let mut s = Store::open(&dir.join("t.db")).unwrap();
    s.load_sample().unwrap();
    s
}

fn count(s: &Store, kind: Entity) -> i64 {
    s.count(kind, &ListQuery::default()).unwrap()
}

/// The agreements registry as an officer keeps it: Arabic headers, dates typed every way, a date
/// cell, an Excel serial, a formula, a hidden sheet of old notes before it.
fn council_registry(path: &Path) {
    let mut book = Workbook::new();
    let old = book.add_worksheet();
    old.set_name("قديم").unwrap();
    old.write_string(0, 0, "ملاحظات قديمة لا تستورد").unwrap();
    old.set_hidden(true);
    let sheet = book.add_worksheet();
    sheet.set_name("الاتفاقيات").unwrap();
    sheet.set_right_to_left(true);
    sheet.set_active(true);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in
        ["العنوان", "Intitulé", "رقم المرجع", "الشريك", "تاريخ التوقيع", "الوضعية", "ملاحظات"].iter().enumerate()
    {
        sheet.write_string(1, c as u16, *h).unwrap(); // the header is on the second line, after a blank one
    }
    let rows: [(&str, &str, &str, &str, &str, &str); 5] = [
        ("اتفاقية توأمة مع مدينة داكار", "Jumelage avec Dakar", "RB-2018-07", "جماعة كيدياوي", "25/04/2018", "signée"),
        ("برنامج تبادل الخبرات", "", "RB-2008-02", "Mantes-la-Jolie", "ماي 2008", "في طور الإعداد"),
        (
            "اتفاقية التكوين المستمر",
            "Formation continue",
            "RB-2018-11",
            "الجماعة الثالثة لباماكو الكبرى",
            "avril 2018",
            "draft",
        ),
        (
            "مذكرة تفاهم حول الماء",
            "Mémorandum sur l'eau",
            "RB-2019-03",
            "بلدية مونت لاجولي ; جماعة كيدياوي",
            "",
            "in_force",
        ),
        ("", "Échange culturel", "RB-2020-01", "Ville de Guédiawaye", "2020-01-15", ""),
    ];
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_string(row, 0, r.0).unwrap();
        sheet.write_string(row, 1, r.1).unwrap();
        sheet.write_string(row, 2, r.2).unwrap();
        sheet.write_string(row, 3, r.3).unwrap();
        sheet.write_string(row, 4, r.4).unwrap();
        sheet.write_string(row, 5, r.5).unwrap();
    }
    // A real date cell, an Excel serial in a plain cell, and a note that is a formula.
    sheet.write_string(7, 0, "اتفاقية الشراكة الرقمية").unwrap();
    sheet.write_string(7, 2, "RB-2021-05").unwrap();
    sheet.write_string(7, 3, "Commune III du District de Bamako").unwrap();
    sheet.write_datetime_with_format(7, 4, ExcelDateTime::from_ymd(2021, 5, 17).unwrap(), &date).unwrap();
    sheet.write_formula(7, 6, Formula::new("=\"مصادق عليها \"&\"2021\"").set_result("مصادق عليها 2021")).unwrap();
    sheet.write_string(8, 0, "اتفاقية النقل الحضري").unwrap();
    sheet.write_string(8, 2, "RB-2018-12").unwrap();
    sheet.write_string(8, 3, "Mantes-la-Jolie").unwrap();
    sheet.write_number(8, 4, 43215.0).unwrap();
    book.save(path).unwrap();
}

#[test]
fn a_council_registry_with_mixed_dates_comes_in_and_a_second_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_store(dir.path());
    let file = dir.path().join("سجل الاتفاقيات.xlsx");
    council_registry(&file);
    let before = count(&s, Entity::Agreement);

    let preview = import::preview(&s, &file, &Options::default(), Lang::Ar).unwrap();
    assert_eq!(preview.kind, Entity::Agreement, "told from the column names");
    assert_eq!(preview.sheet, "الاتفاقيات");
    assert_eq!(preview.skipped_sheets, ["قديم"], "the hidden sheet is passed over and said");
    assert_eq!(preview.sheets, ["قديم", "الاتفاقيات"], "every sheet, to choose another");
    let hidden = import::preview(
        &s,
        &file,
        &Options {
            kind: Some(Entity::Agreement),
            read: import::ReadOptions { sheet: Some("قديم".into()), encoding: None },
            ..Default::default()
        },
        Lang::Ar,
    )
    .unwrap();
    assert_eq!(
        (hidden.sheet.as_str(), hidden.total_rows),
        ("قديم", 0),
        "a hidden sheet is read when asked for by name"
    );
    assert_eq!(preview.mapping_source, "guessed");
    assert_eq!(
        preview.mapping.iter().map(|m| m.as_deref().unwrap_or("")).collect::<Vec<_>>(),
        ["title_ar", "title_fr", "reference", "parties", "signed_on", "status", "notes"]
    );
    assert_eq!(
        preview.counts,
        import::Counts { create: 7, update: 0, unchanged: 0, error: 0, to_complete: 0 },
        "{:#?}",
        preview.rows.iter().flat_map(|r| &r.errors).collect::<Vec<_>>()
    );
    assert_eq!(
        preview.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        [3, 4, 5, 6, 7, 8, 9],
        "rows numbered as the spreadsheet shows them"
    );
    let shown = |i: usize, field: &str| {
        preview.rows[i].values.iter().find(|(f, _)| f == field).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    assert_eq!(
        (shown(0, "signed_on"), shown(0, "status")),
        ("25 أبريل 2018".to_string(), "موقعة".to_string()),
        "what the cells become, as Taawun shows them"
    );
    assert_eq!(shown(1, "signed_on"), "ماي 2008");
    assert_eq!(shown(6, "signed_on"), "25 أبريل 2018", "the Excel serial read as a date");
    assert_eq!(preview.rows[0].cells[2], "RB-2018-07", "a shown row carries its cells as text");
    assert_eq!(count(&s, Entity::Agreement), before, "a preview writes nothing");

    let outcome = import::import(
        &mut s,
        &file,
        &Options { digest: Some(preview.digest.clone()), ..Default::default() },
        Lang::Ar,
    )
    .unwrap();
    assert_eq!((outcome.created, outcome.updated, outcome.ids.len()), (7, 0, 7));
    assert_eq!(count(&s, Entity::Agreement), before + 7);
    let by_ref = |s: &Store, r: &str| {
        let id = s.list_agreements(&ListQuery { q: r.into(), ..Default::default() }).unwrap().items[0].id;
        let status = s.agreement_view(id).unwrap().status;
        (s.get_agreement(id).unwrap().data, status)
    };
    let (dakar, status) = by_ref(&s, "RB-2018-07");
    assert_eq!((dakar.signed_on.as_str(), status), ("2018-04-25", AgreementStatus::Signed));
    assert_eq!(dakar.parties, [2], "Guédiawaye by its Arabic name");
    assert_eq!(by_ref(&s, "RB-2008-02").0.signed_on, "2008-05");
    assert_eq!(by_ref(&s, "RB-2008-02").1, AgreementStatus::Draft, "the Arabic label of a status");
    assert_eq!(by_ref(&s, "RB-2018-11").0.signed_on, "2018-04");
    assert_eq!(by_ref(&s, "RB-2019-03").0.parties, [3, 2], "two parties, in order");
    assert_eq!(by_ref(&s, "RB-2021-05").0.signed_on, "2021-05-17", "a date cell");
    assert_eq!(by_ref(&s, "RB-2021-05").0.notes, "مصادق عليها 2021", "a formula's value");
    assert_eq!(by_ref(&s, "RB-2018-12").0.signed_on, "2018-04-25", "an Excel serial number");
    assert_eq!(by_ref(&s, "RB-2020-01").0.title_fr, "Échange culturel");

    // The same file again: every row matches its record by reference; nothing new.
    let again = import::preview(&s, &file, &Options::default(), Lang::Ar).unwrap();
    assert_eq!(again.mapping_source, "remembered");
    assert_eq!(again.counts, import::Counts { create: 0, update: 0, unchanged: 7, error: 0, to_complete: 0 });
    assert!(again.rows.iter().all(|r| r.matched_by == Some("reference") && r.id.is_some()));
    let outcome = import::import(&mut s, &file, &Options::default(), Lang::Ar).unwrap();
    assert_eq!((outcome.created, outcome.updated, outcome.unchanged), (0, 0, 7));
    assert_eq!(count(&s, Entity::Agreement), before + 7, "never duplicated");
}

#[test]
fn merged_cells_fill_every_row_they_cover_and_partners_match_by_names_and_country() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_store(dir.path());
    let file = dir.path().join("partners.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["Pays", "Nom", "الاسم", "Ville", "Type"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.merge_range(1, 0, 3, 0, "Sénégal", &Format::new()).unwrap();
    sheet.write_string(1, 1, "Ville de Guédiawaye").unwrap(); // the sample partner: an update of its city
    sheet.write_string(1, 3, "Guédiawaye (Dakar)").unwrap();
    sheet.write_string(2, 1, "Ville de Thiès").unwrap();
    sheet.write_string(2, 2, "مدينة تييس").unwrap();
    sheet.write_formula(2, 3, Formula::new("=\"Thi\"&\"ès\"").set_result("Thiès")).unwrap();
    sheet.write_string(3, 1, "ONG Enda Tiers Monde").unwrap();
    sheet.write_string(3, 4, "ONG étrangère").unwrap();
    sheet.write_string(4, 0, "مالي").unwrap();
    sheet.write_string(4, 1, "Commune III du District de Bamako").unwrap();
    sheet.write_string(4, 3, "Bamako").unwrap(); // as stored: unchanged
    book.save(&file).unwrap();

    let preview = import::preview(&s, &file, &Options::default(), Lang::Fr).unwrap();
    assert_eq!(preview.kind, Entity::Partner);
    let actions: Vec<_> = preview.rows.iter().map(|r| (r.row, r.action, r.id)).collect();
    assert_eq!(
        actions,
        [
            (2, Action::Update, Some(2)),
            (3, Action::Create, None),
            (4, Action::Create, None),
            (5, Action::Unchanged, Some(1))
        ],
        "{:#?}",
        preview.rows
    );
    assert_eq!(preview.rows[0].matched_by, Some("names"));
    import::import(&mut s, &file, &Options::default(), Lang::Fr).unwrap();
    let hits = s.list_partners(&ListQuery { country: "SN".into(), ..Default::default() }).unwrap().items;
    assert_eq!(hits.len(), 3, "the merged country reached the three rows under it");
    let thies = hits.iter().find(|p| p.name_latin == "Ville de Thiès").unwrap();
    assert_eq!(
        (thies.city.as_str(), thies.name_ar.as_str(), thies.kind),
        ("Thiès", "مدينة تييس", PartnerKind::ForeignCollectivity)
    );
    assert_eq!(hits.iter().find(|p| p.name_latin.starts_with("ONG")).unwrap().kind, PartnerKind::ForeignNgo);
    assert_eq!(s.get_partner(2).unwrap().data.city, "Guédiawaye (Dakar)");
    assert!(
        s.history(Entity::Partner, 2).unwrap().iter().any(|h| h.field.as_deref() == Some("city")),
        "the update is in the partner's history"
    );
}

#[test]
fn wrong_rows_are_named_by_number_and_nothing_is_written_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_store(dir.path());
    let file = dir.path().join("registre.csv");
    std::fs::write(
        &file,
        "Intitulé;Référence;Partenaires;Date de signature\n\
         Convention A;A-1;Mantes-la-Jolie;25/04/2018\n\
         Convention B;B-1;Ville inconnue;2019\n\
         Convention C;C-1;Mantes-la-Jolie;31/06/2018\n\
         \u{202E}Convention D;D-1;Mantes-la-Jolie;2018\n\
         Convention A bis;A-1;Mantes-la-Jolie;2018\n\
         <b>Convention</b> 'E'; DROP TABLE agreement;--;E-1;Mantes-la-Jolie;2018\n",
    )
    .unwrap();
    let before = count(&s, Entity::Agreement);
    let preview =
        import::preview(&s, &file, &Options { kind: Some(Entity::Agreement), ..Default::default() }, Lang::Fr).unwrap();
    let errors: Vec<(usize, String, String)> = preview
        .rows
        .iter()
        .filter(|r| r.row <= 6)
        .flat_map(|r| r.errors.iter().map(move |e| (r.row, e.field.clone(), e.code.clone())))
        .collect();
    assert_eq!(
        errors,
        [
            (5, "title_fr".into(), "invalid.direction_controls".into()),
            (6, "row".into(), "invalid.duplicate_row".into()),
        ],
        "{:#?}",
        preview.rows
    );
    // A partner that cannot be created without its country, and a day June lacks: the rows come
    // in as they are, the agreement to complete; what would harm (hidden bidi controls, a
    // duplicate) stays out.
    let to_complete: Vec<(usize, &str, &str)> = preview
        .rows
        .iter()
        .filter(|r| r.row <= 6)
        .flat_map(|r| r.to_complete.iter().map(move |e| (r.row, e.field.as_str(), e.code.as_str())))
        .collect();
    assert_eq!(
        to_complete,
        [(3, "parties", "invalid.unknown_partner_no_country"), (4, "signed_on", "invalid.no_such_day")]
    );
    let unknown = &preview.rows[1].to_complete[0];
    assert_eq!((unknown.column.as_deref(), unknown.value.as_str()), (Some("Partenaires"), "Ville inconnue"));
    assert!(unknown.message.contains("pays"), "no country to propose it with: {}", unknown.message);
    assert_eq!(preview.rows[4].errors[0].value, "2", "a duplicate names the row it repeats");
    // The hostile row splits on its semicolons into columns; whatever lands is plain text, and
    // what does not read («--» for a partner, «E-1» for a date) leaves the record to complete.
    let hostile = &preview.rows[5];
    assert_eq!((hostile.action, hostile.label.as_str()), (Action::Create, "<b>Convention</b> 'E'"), "{hostile:#?}");
    let left: Vec<(&str, &str)> = hostile.to_complete.iter().map(|e| (e.field.as_str(), e.value.as_str())).collect();
    assert_eq!(left, [("parties", "--"), ("signed_on", "E-1")]);

    let refused =
        import::import(&mut s, &file, &Options { kind: Some(Entity::Agreement), ..Default::default() }, Lang::Fr)
            .unwrap_err();
    assert_eq!(refused.code(), "invalid.rows_with_errors");
    assert_eq!(count(&s, Entity::Agreement), before, "nothing written");
    let outcome = import::import(
        &mut s,
        &file,
        &Options { kind: Some(Entity::Agreement), skip_errors: true, ..Default::default() },
        Lang::Fr,
    )
    .unwrap();
    assert_eq!((outcome.created, outcome.skipped), (4, 2));
    assert_eq!(count(&s, Entity::Agreement), before + 4);

    // A file changed after its preview is refused.
    let digest = import::preview(&s, &file, &Options { kind: Some(Entity::Agreement), ..Default::default() }, Lang::Fr)
        .unwrap()
        .digest;
    std::fs::write(&file, "Intitulé;Référence;Partenaires\nConvention Z;Z-1;Mantes-la-Jolie\n").unwrap();
    let e = import::import(
        &mut s,
        &file,
        &Options { kind: Some(Entity::Agreement), digest: Some(digest), ..Default::default() },
        Lang::Ar,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid.file_changed");
    assert_eq!(count(&s, Entity::Agreement), before + 4);
}

#[test]
fn files_that_are_not_registries_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_store(dir.path());
    let at = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let code = |p: PathBuf| {
        import::preview(&s, &p, &Options::default(), Lang::Ar).map(|_| String::new()).unwrap_or_else(|e| e.code())
    };
    assert_eq!(code(at("empty.xlsx", b"")), "invalid.empty_sheet");
    assert_eq!(code(at("blank.csv", b"\n\n;;\n")), "invalid.empty_sheet");
    assert_eq!(
        code(at("fake.xlsx", b"PK\x03\x04 not really a zip")),
        "invalid.damaged_file",
        "a zip's start, then no zip"
    );
    assert_eq!(
        code(at(
            "scan.xlsx",
            &std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/signing-photo.jpg")).unwrap()
        )),
        "invalid.not_spreadsheet"
    );
    let untold = import::preview(&s, &at("unknown.csv", b"x,y\n1,2\n"), &Options::default(), Lang::Fr).unwrap_err();
    assert_eq!(untold.code(), "kind_not_told", "no kind told by the columns and none given");
    assert!(untold.message(Lang::Fr).contains("choisissez le type"), "{}", untold.message(Lang::Fr));
    assert!(untold.message(Lang::Fr).contains("«x», «y»"), "the columns not recognised: {}", untold.message(Lang::Fr));
    assert_eq!(code(dir.path().join("missing.csv")), "io");
    // An empty workbook (one empty sheet).
    let p = dir.path().join("nothing.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet();
    book.save(&p).unwrap();
    assert_eq!(code(p), "invalid.empty_sheet");
    // Only a header.
    assert!(
        import::preview(&s, &at("header.csv", "Nom,Pays\n".as_bytes()), &Options::default(), Lang::Ar)
            .unwrap()
            .total_rows
            == 0
    );
}

#[test]
fn taawun_exports_come_back_as_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_store(dir.path());
    for kind in Entity::ALL {
        for (format, lang) in [(ExportFormat::Csv, Lang::Ar), (ExportFormat::Xlsx, Lang::Fr)] {
            let file = dir.path().join(format!(
                "{}.{}",
                kind.as_str(),
                if format == ExportFormat::Csv { "csv" } else { "xlsx" }
            ));
            let n = export_list(&s, kind, &ListQuery::default(), format, lang, &file).unwrap();
            let preview = import::preview(&s, &file, &Options::default(), lang).unwrap();
            assert_eq!(preview.kind, kind, "{file:?}");
            assert_eq!(
                preview.counts,
                import::Counts { create: 0, update: 0, unchanged: n, error: 0, to_complete: 0 },
                "{file:?}: {:#?}",
                preview.rows
            );
            assert!(preview.rows.iter().all(|r| r.matched_by == Some("uuid")));
        }
    }
    // A hostile name that the CSV export guarded comes back as it was.
    let mut p = s.get_partner(3).unwrap();
    p.data.notes = String::new();
    p.data.name_latin = "=HYPERLINK(\"http://x\")".into();
    s.update_partner(3, p.data, Some(&p.updated_at)).unwrap();
    let file = dir.path().join("guarded.csv");
    export_list(&s, Entity::Partner, &ListQuery::default(), ExportFormat::Csv, Lang::Ar, &file).unwrap();
    assert!(std::fs::read_to_string(&file).unwrap().contains("'=HYPERLINK"));
    assert_eq!(
        import::preview(&s, &file, &Options::default(), Lang::Ar).unwrap().counts.unchanged,
        4,
        "the guard is taken off again"
    );

    // Into another desk's database: the partners arrive with their UUIDs.
    let mut other = Store::open(&dir.path().join("other.db")).unwrap();
    let outcome = import::import(&mut other, &file, &Options::default(), Lang::Ar).unwrap();
    assert_eq!(outcome.created, 4);
    for id in outcome.ids {
        let theirs = other.get_partner(id).unwrap();
        let ours = s
            .list_partners(&ListQuery::default())
            .unwrap()
            .items
            .into_iter()
            .find(|p| p.uuid == theirs.uuid)
            .expect("same UUID");
        assert_eq!(ours.name_latin, theirs.data.name_latin);
    }
}

#[test]
fn csv_in_the_encodings_excel_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_store(dir.path());
    let text =
        "الاسم;Nom;البلد;المدينة\nجماعة أكادير;Commune d'Agadir;المغرب;Agadir\nبلدية ليل;Ville de Lille;فرنسا;Lille\n";
    let (cp1256, _, unmappable) = encoding_rs::WINDOWS_1256.encode(text);
    assert!(!unmappable);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut utf8 = "\u{FEFF}".as_bytes().to_vec();
    utf8.extend(text.as_bytes());
    for (name, bytes) in [("cp1256.csv", cp1256.to_vec()), ("utf16.csv", utf16), ("utf8.csv", utf8)] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let preview = import::preview(&s, &file, &Options::default(), Lang::Ar).unwrap();
        assert_eq!(preview.kind, Entity::Partner, "{name}");
        assert_eq!(preview.rows[0].label, "جماعة أكادير", "{name}: {:?}", preview.encoding);
        assert_eq!(preview.counts.error, 0, "{name}: {:#?}", preview.rows);
    }
    import::import(&mut s, &dir.path().join("cp1256.csv"), &Options::default(), Lang::Ar).unwrap();
    let agadir = s.list_partners(&ListQuery { q: "Agadir".into(), ..Default::default() }).unwrap().items;
    assert_eq!(
        (agadir[0].country.as_str(), agadir[0].kind),
        ("MA", PartnerKind::NationalCollectivity),
        "a Moroccan collectivity is national"
    );
    // The other two encodings now find the same records: updates of nothing.
    assert_eq!(
        import::preview(&s, &dir.path().join("utf16.csv"), &Options::default(), Lang::Ar).unwrap().counts.unchanged,
        2
    );
}

#[test]
fn a_given_mapping_is_remembered_for_files_of_the_same_layout() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_store(dir.path());
    let file = dir.path().join("adhesions.csv");
    std::fs::write(
        &file,
        "Réseau,X,Année\n\"Cités et Gouvernements Locaux Unis d'Afrique (CGLU Afrique / UCLG Africa)\",ignored,2008\n",
    )
    .unwrap();
    let mapping = "Réseau=partner_id,X=,3=since";
    let options = Options { kind: Some(Entity::Membership), mapping_spec: Some(mapping.into()), ..Default::default() };
    let preview = import::preview(&s, &file, &options, Lang::Fr).unwrap();
    assert_eq!(preview.mapping, [Some("partner_id".to_string()), None, Some("since".to_string())]);
    assert_eq!(
        preview.rows[0].action,
        Action::Update,
        "the sample membership of UCLG Africa, since May 2008: now 2008: {:#?}",
        preview.rows
    );
    import::import(&mut s, &file, &options, Lang::Fr).unwrap();
    let remembered =
        import::preview(&s, &file, &Options { kind: Some(Entity::Membership), ..Default::default() }, Lang::Fr)
            .unwrap();
    assert_eq!((remembered.mapping_source, remembered.mapping.clone()), ("remembered", preview.mapping));
    assert_eq!(remembered.counts.unchanged, 1);
    let bad =
        Options { kind: Some(Entity::Membership), mapping_spec: Some("Réseau=password".into()), ..Default::default() };
    assert_eq!(import::preview(&s, &file, &bad, Lang::Fr).unwrap_err().code(), "invalid.unknown_value");
}

#[test]
fn a_hundred_thousand_rows_are_previewed_with_their_errors_counted() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_store(dir.path());
    let file = dir.path().join("big.csv");
    let mut text = String::from("Nom,Pays,Ville\n");
    for i in 0..100_000 {
        text.push_str(&format!("Commune {i},{},Ville {i}\n", if i % 10_000 == 7 { "Atlantis" } else { "SN" }));
    }
    std::fs::write(&file, text).unwrap();
    let preview = import::preview(&s, &file, &Options::default(), Lang::Fr).unwrap();
    assert_eq!(preview.total_rows, 100_000);
    assert_eq!(preview.counts, import::Counts { create: 99_990, update: 0, unchanged: 0, error: 10, to_complete: 0 });
    assert_eq!(
        preview.rows.len(),
        import::PREVIEW_ROWS + 9,
        "the first rows (one wrong), then the other rows with errors"
    );
    assert_eq!(preview.rows.last().unwrap().row, 90_009);
}

/// The secondary indexes of a table, by name, with their SQL.
fn indexes(db: &Path, table: &str) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut stmt = c
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([table], |r| Ok((r.get(0).unwrap(), r.get(1).unwrap()))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_bulk_import_builds_the_indexes_again_and_indexes_its_records_for_search() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut s = sample_store(dir.path());
    let before = indexes(&db, "partner");
    assert!(before.len() >= 3, "{before:?}");
    // More new partners than the table has: its indexes are dropped and built again after.
    let file = dir.path().join("bulk.csv");
    let mut text = String::from("Nom,Pays,Ville\n");
    for i in 0..12_000 {
        text.push_str(&format!("Commune de Tombouctou-{i},ML,Tombouctou\n"));
    }
    std::fs::write(&file, text).unwrap();
    let outcome = import::import(&mut s, &file, &Options::default(), Lang::Fr).unwrap();
    assert_eq!(outcome.created, 12_000);
    assert_eq!(indexes(&db, "partner"), before);
    let c = rusqlite::Connection::open(&db).unwrap();
    let check: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    // The search index was written in the import's transaction: nothing is left to index.
    let pending: i64 = c
        .query_row(
            "SELECT count(*) FROM partner WHERE updated_at > (SELECT indexed_until FROM search_state WHERE kind = 'partner')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 0);
    let hits = s.search("tombouctou 11999", &Default::default(), 5).unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].label, "Commune de Tombouctou-11999");
    // A second import of the same rows changes nothing and keeps the indexes.
    let again = import::import(&mut s, &file, &Options::default(), Lang::Fr).unwrap();
    assert_eq!(again.unchanged, 12_000);
    assert_eq!(indexes(&db, "partner"), before);
}

#[test]
fn the_cli_shows_the_rows_then_imports_in_one_go() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let cli = env!("CARGO_BIN_EXE_taawun-cli");
    let run = |args: &[&str]| Command::new(cli).arg("--db").arg(&db).args(args).output().unwrap();
    assert!(run(&["sample"]).status.success());
    let file = dir.path().join("registry.xlsx");
    council_registry(&file);
    let path = file.to_str().unwrap();
    let dry = run(&["--json", "import", path, "--dry-run"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    let preview: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(preview["counts"]["create"], 7);
    let out = run(&["--lang", "fr", "import", path]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("7 lignes") && text.contains("nouvelles : 7"), "{text}");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "Intitulé,Partenaires,Type\nX,Mantes-la-Jolie,Avenant\n").unwrap();
    let out = run(&["--lang", "fr", "import", bad.to_str().unwrap(), "--kind", "agreement"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success() && text.contains("ligne 2") && text.contains("Avenant"), "{text}");
    // A dry run says the same, with the same exit status; leaving the wrong rows out is a success.
    let dry = run(&["--lang", "fr", "import", bad.to_str().unwrap(), "--kind", "agreement", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(1), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(String::from_utf8_lossy(&dry.stdout).contains("Avenant"));
    let skipping =
        run(&["--lang", "fr", "import", bad.to_str().unwrap(), "--kind", "agreement", "--dry-run", "--skip-errors"]);
    assert!(skipping.status.success());
}

/// The "done when", as a new user would do it from the command line: import a council
/// spreadsheet with mixed dates, find the Bamako commune as people type it, export the agreements
/// to Excel, back up to another folder, lose the data folder, and get everything back.
#[test]
fn import_find_export_back_up_lose_everything_and_restore() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let db = data.join("taawun.db");
    let cli = env!("CARGO_BIN_EXE_taawun-cli");
    let run = |args: &[&str]| {
        let out = Command::new(cli).arg("--db").arg(&db).arg("--json").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or(serde_json::Value::Null)
    };
    run(&["sample"]);
    let registry = root.path().join("سجل المجلس.xlsx");
    council_registry(&registry);
    assert_eq!(run(&["import", registry.to_str().unwrap()])["created"], 7);

    let hits = run(&["search", "جماعه باماكو"]);
    assert!(
        hits.as_array().unwrap().iter().any(|h| h["label"].as_str().unwrap().contains("الجماعة الثالثة لباماكو")),
        "{hits}"
    );

    let excel = root.path().join("الاتفاقيات.xlsx");
    assert_eq!(run(&["export", "agreements", "--format", "xlsx", "-o", excel.to_str().unwrap()])["rows"], 10);
    let again = run(&["import", excel.to_str().unwrap(), "--dry-run"]);
    assert_eq!(again["counts"]["unchanged"], 10, "the export reads back as the same records");

    let usb = root.path().join("usb/taawun.taawun-backup");
    run(&["backup", "-o", usb.to_str().unwrap()]);
    let before = run(&["list", "agreements", "--limit", "1000"]);
    std::fs::remove_dir_all(&data).unwrap();

    run(&["restore", usb.to_str().unwrap(), "--into", data.to_str().unwrap()]);
    let after = run(&["list", "agreements", "--limit", "1000"]);
    assert_eq!(after["items"], before["items"], "every agreement back, as it was");
    assert!(run(&["search", "RB-2018-12"]).as_array().unwrap().len() == 1, "the imported records are searchable again");
}
