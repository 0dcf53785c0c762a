//! A registry written the way council staff write them, imported as it is: Arabic and French
//! values («سارية», «Partenariat»), partners Taawun does not have yet, a country column, no
//! title column, a few real mistakes. Most rows come in with no edit; the rest are reported
//! with row, column and value; values Taawun cannot read are listed once and, once the officer
//! says what they mean, remembered for files of the same layout.

use rust_xlsxwriter::Workbook;
use std::path::Path;
use taawun_core::import::{self, Options};
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

/// Row 1 is the header; data rows are 2 to 20.
const REGISTRY: &[[&str; 5]] = &[
    ["الشريك", "البلد", "نوع الاتفاقية", "الوضعية", "تاريخ التوقيع"],
    ["بلدية مونت لاجولي", "فرنسا", "توأمة", "سارية", "14/05/2009"],
    ["جماعة كيدياوي", "السنغال", "اتفاقية شراكة وتعاون", "موقعة", "2016"],
    ["Ville de Liège", "Belgique", "Partenariat", "En vigueur", "03/10/2018"],
    ["Ville de Liège", "Belgique", "Échange", "Expirée", "2012"],
    ["جمعية التضامن الدولي", "إسبانيا", "شراكة", "قيد الإعداد", ""],
    ["Région de Kayes", "Mali", "Coopération décentralisée", "Active", "2020-02-15"],
    ["Commune de Ouagadougou", "Burkina Faso", "Jumelage-coopération", "Signée", "12/12/2019"],
    ["CGLU Afrique", "المغرب", "انخراط", "سارية", "2015"],
    ["Ville d'Utrecht", "Hollande", "Jumelage", "En vigueur", "2021"],
    ["Ville d'Utrecht", "Hollande", "Échange", "Reconduite", "2022"],
    ["", "France", "Partenariat", "Signée", "2018"],
    ["Mantes-la-Jolie", "France", "Jumelage", "Signée", "31/02/2020"],
    ["Ville de Liège ; Région de Kayes", "", "Déclaration tripartite", "Signée", "2022"],
    ["بلدية مونت لاجولي", "فرنسا", "مذكرة تفاهم", "في طور الإعداد", "2024"],
    ["Ville de Guédiawaye", "Sénégal", "Avenant", "Signée", "2017"],
    ["Commune de Chefchaouen", "المغرب", "شراكة", "سارية", "2011"],
    ["جماعة طنجة", "المغرب", "توأمة", "منتهية", "2005"],
    ["Ville de Dakar", "SN", "Partenariat", "en cours", "2019-06-01"],
    ["Ville de Lyon", "FR", "Jumelage", "سارية", "1999"],
];

fn registry(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_right_to_left(true);
    for (r, row) in REGISTRY.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

fn errors_of(preview: &import::Preview) -> Vec<(usize, String, String, String)> {
    preview
        .rows
        .iter()
        .flat_map(|r| r.errors.iter().map(move |e| (r.row, e.field.clone(), e.code.clone(), e.value.clone())))
        .collect()
}

#[test]
fn a_council_registry_comes_in_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_store(dir.path());
    let file = dir.path().join("سجل الاتفاقيات.xlsx");
    registry(&file);
    let (partners, agreements) = (count(&s, Entity::Partner), count(&s, Entity::Agreement));

    // No kind given, no mapping: told from the columns.
    let preview = import::preview(&s, &file, &Options::default(), Lang::Ar).unwrap();
    assert_eq!(preview.kind, Entity::Agreement);
    assert_eq!(preview.mapping[1].as_deref(), Some("country"));
    assert_eq!(preview.total_rows, 19);
    assert_eq!(
        errors_of(&preview),
        [
            (10, "country".into(), "invalid.unknown_value".into(), "Hollande".into()),
            (11, "status".into(), "invalid.unknown_value".into(), "Reconduite".into()),
            (11, "country".into(), "invalid.unknown_value".into(), "Hollande".into()),
            (16, "kind".into(), "invalid.unknown_value".into(), "Avenant".into()),
        ],
        "{:?}",
        errors_of(&preview)
    );
    // A row with no partner, and one signed on a day February lacks: in as they are, to complete.
    let to_complete: Vec<(usize, &str, &str, &str)> = preview
        .rows
        .iter()
        .flat_map(|r| r.to_complete.iter().map(move |e| (r.row, e.field.as_str(), e.code.as_str(), e.value.as_str())))
        .collect();
    assert_eq!(
        to_complete,
        [(12, "parties", "invalid.too_few_parties", ""), (13, "signed_on", "invalid.no_such_day", "31/02/2020")]
    );
    assert_eq!(preview.counts.create, 16);
    assert_eq!(preview.counts.to_complete, 2);
    assert_eq!(preview.counts.error, 3);
    assert!(preview.counts.create * 100 / preview.total_rows >= 60, "at least 60 % with no edit");
    // Each value Taawun cannot read is listed once, with its rows and what it may mean.
    let unknown: Vec<(&str, &str, usize, usize)> =
        preview.unknown_values.iter().map(|v| (v.field.as_str(), v.value.as_str(), v.count, v.first_row)).collect();
    assert_eq!(unknown, [("country", "Hollande", 2, 10), ("status", "Reconduite", 1, 11), ("kind", "Avenant", 1, 16)]);
    let status_choices = &preview.unknown_values[1].choices;
    assert!(status_choices.contains(&("in_force".to_string(), "سارية المفعول".to_string())), "{status_choices:?}");

    // Partners not in Taawun: proposed once each, from the rows, kind guessed; those it has are
    // found by either name, and by the short name written in the long one («CGLU Afrique»).
    let proposed: Vec<(String, &str, PartnerKind, Vec<usize>)> = preview
        .new_partners
        .iter()
        .map(|p| (p.data.display_name(Lang::Fr).to_string(), p.data.country.as_str(), p.data.kind, p.rows.clone()))
        .collect();
    use PartnerKind::*;
    assert_eq!(
        proposed,
        [
            ("Ville de Liège".into(), "BE", ForeignCollectivity, vec![4, 5, 14]),
            ("جمعية التضامن الدولي".into(), "ES", ForeignNgo, vec![6]),
            ("Région de Kayes".into(), "ML", ForeignCollectivity, vec![7, 14]),
            ("Commune de Ouagadougou".into(), "BF", ForeignCollectivity, vec![8]),
            ("Commune de Chefchaouen".into(), "MA", NationalCollectivity, vec![17]),
            ("جماعة طنجة".into(), "MA", NationalCollectivity, vec![18]),
            ("Ville de Dakar".into(), "SN", ForeignCollectivity, vec![19]),
            ("Ville de Lyon".into(), "FR", ForeignCollectivity, vec![20]),
        ]
    );
    // Titles are derived from kind and partners, and shown as derived.
    let first = &preview.rows[0];
    assert_eq!(first.label, "اتفاقية توأمة مع بلدية مونت لاجولي (2009)");
    assert_eq!(first.derived, ["title_ar", "title_fr"]);
    let tripartite = preview.rows.iter().find(|r| r.row == 14).unwrap();
    assert_eq!(tripartite.label, "إعلان تعاون ثلاثي مع Ville de Liège وRégion de Kayes (2022)");
    let values: std::collections::HashMap<_, _> = first.values.iter().cloned().collect();
    assert_eq!(values["status"], "سارية المفعول");
    assert_eq!(values["kind"], "توأمة");

    // Imported with the wrong rows left out: partners and agreements in one transaction.
    let options = Options { skip_errors: true, ..Default::default() };
    let outcome = import::import(&mut s, &file, &options, Lang::Ar).unwrap();
    assert_eq!((outcome.created, outcome.skipped, outcome.new_partners), (16, 3, 8));
    assert_eq!(count(&s, Entity::Partner), partners + 8);
    assert_eq!(count(&s, Entity::Agreement), agreements + 16);
    let liege = s.list_partners(&ListQuery { q: "Liège".into(), ..Default::default() }).unwrap();
    assert_eq!(liege.items.len(), 1, "one partner however many rows name it");

    // Again: nothing new, nothing duplicated; the partners are now found.
    let again = import::preview(&s, &file, &Options::default(), Lang::Ar).unwrap();
    assert_eq!((again.counts.create, again.counts.unchanged, again.counts.error), (0, 16, 3), "{:#?}", again.rows);
    assert!(again.new_partners.is_empty());

    // The officer says what the three values mean; the choice is remembered for this layout.
    let values = import::parse_values("Hollande=NL,Reconduite=in_force,Avenant=partnership").unwrap();
    let outcome =
        import::import(&mut s, &file, &Options { values, skip_errors: true, ..Default::default() }, Lang::Fr).unwrap();
    assert_eq!((outcome.created, outcome.unchanged, outcome.skipped, outcome.new_partners), (3, 16, 0, 1));
    let remembered = import::preview(&s, &file, &Options::default(), Lang::Fr).unwrap();
    assert!(remembered.unknown_values.is_empty(), "{:?}", remembered.unknown_values);
    assert_eq!(remembered.values.get("Hollande").map(String::as_str), Some("NL"));
    assert_eq!((remembered.counts.unchanged, remembered.counts.error), (19, 0));
}

#[test]
fn values_typed_wrong_are_refused_with_the_field() {
    assert_eq!(import::parse_values("Hollande").unwrap_err().code(), "invalid.unknown_value");
    assert_eq!(import::parse_values("=NL").unwrap_err().code(), "invalid.unknown_value");
    assert_eq!(import::parse_values(" سارية = in_force ،Avenant=partnership").unwrap().len(), 2);
}

/// What a message looks like when its key has no translation: `ar.field.row`, `fr.error.x`.
fn untranslated(message: &str) -> bool {
    message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .any(|word| ["ar.", "fr.", "en."].iter().any(|l| word.starts_with(l) && word.matches('.').count() >= 2))
}

#[test]
fn every_message_the_import_can_emit_is_translated() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_store(dir.path());
    let file = dir.path().join("registre.xlsx");
    registry(&file);
    // Every message of a preview with errors of many kinds, in each language.
    for lang in Lang::ALL {
        let p = import::preview(&s, &file, &Options::default(), lang).unwrap();
        for row in &p.rows {
            for e in row.errors.iter().chain(&row.to_complete) {
                assert!(!untranslated(&e.message), "{lang:?}: {}", e.message);
            }
        }
    }
    // Every error an import can end with, file-level and row-level, in each language.
    let rules = [
        "not_spreadsheet",
        "empty_sheet",
        "too_many_rows",
        "unknown_partner",
        "unknown_partner_no_country",
        "unknown_agreement",
        "duplicate_row",
        "ambiguous_match",
        "file_changed",
        "rows_with_errors",
        "wrong_encoding",
        "password_protected",
        "damaged_file",
        "over_inflated",
        "nul_bytes",
        "unknown_value",
        "bad_date",
        "required",
        "too_few_parties",
        "out_of_range",
    ];
    let fields = taawun_core::import::fields(Entity::Agreement)
        .iter()
        .chain(taawun_core::import::fields(Entity::Partner))
        .chain(taawun_core::import::fields(Entity::Project))
        .chain(taawun_core::import::fields(Entity::Membership))
        .chain(&["row", "file", "encoding", "sheet", "mapping", "values", "kind"]);
    for lang in Lang::ALL {
        for rule in rules {
            let key = format!("error.invalid.{rule}");
            let message = taawun_core::i18n::tr(lang, &key);
            assert!(!untranslated(&message) && message != key, "{lang:?}: {key}");
        }
        for field in fields.clone() {
            let label = taawun_core::i18n::tr(lang, &format!("field.{field}"));
            assert!(!untranslated(&label), "{lang:?}: field.{field} → {label}");
        }
        for key in [
            "import.unknown_values",
            "import.unknown_value",
            "import.new_partners",
            "import.new_partner",
            "import.derived",
            "import.encoding_sample",
            "import.evidence.not_utf8",
            "import.evidence.utf16_zeros",
            "import.evidence.valid_utf8",
            "import.evidence.bom",
            "import.evidence.chosen",
            "error.kind_not_told",
        ] {
            let text = taawun_core::i18n::tr(lang, key);
            assert!(!untranslated(&text), "{lang:?}: {key}");
        }
        for kind in AgreementKind::ALL {
            let key = format!("import.derived_title.{}", kind.as_str());
            assert!(!untranslated(&taawun_core::i18n::tr(lang, &key)), "{lang:?}: {key}");
        }
    }
    assert!(untranslated("en.field.row"), "the check sees an untranslated key");
}

#[test]
fn a_text_file_says_how_it_was_read_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_store(dir.path());
    let at = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode("الشريك;البلد;الوضعية\nجماعة طنجة;المغرب;سارية\n");
    let p = import::preview(&s, &at("arabic-windows.csv", &cp1256), &Options::default(), Lang::Fr).unwrap();
    let evidence = p.encoding_evidence.unwrap();
    assert!(evidence.contains("windows-1256"), "{evidence}");
    assert!(evidence.contains("pas de l'UTF-8 : octet 0xC7 à la ligne 1"), "{evidence}");
    assert!(evidence.contains("الشريك | البلد | الوضعية"), "the first line as read: {evidence}");
    let partners = Options { kind: Some(Entity::Partner), ..Default::default() };
    let p = import::preview(&s, &at("utf8.csv", "الشريك;البلد\nجماعة طنجة;المغرب\n".as_bytes()), &partners, Lang::En)
        .unwrap();
    assert!(p.encoding_evidence.unwrap().contains("every byte reads as UTF-8"));
    // UTF-16 without a mark, told by its zero bytes.
    let utf16: Vec<u8> = "Nom;Pays\nVille de Lyon;FR\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let p = import::preview(&s, &at("utf16.csv", &utf16), &partners, Lang::En).unwrap();
    assert!(p.encoding_evidence.unwrap().contains("zero bytes"), "UTF-16 is said to be told by its zero bytes");
    // A text with NUL bytes in it (cut or padded) is neither text nor UTF-16: said so.
    let mut padded = b"Nom;Pays\nVille de Lyon;FR\n".to_vec();
    padded.extend([0u8; 3]);
    padded.extend(b"Ville de Dakar;SN\n");
    // (not named nul.csv: NUL is a device on Windows, where these tests also run)
    let e = import::preview(&s, &at("padded-with-zeros.csv", &padded), &partners, Lang::Fr).unwrap_err();
    assert_eq!(e.code(), "invalid.nul_bytes");
}

#[test]
fn a_partner_is_found_by_its_short_name_in_search_lists_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = sample_store(dir.path());
    // The sample keeps the council's spelling of the organisation, with «CGLUA» as its short name.
    let hits = s.search("CGLUA", &taawun_core::store::SearchFilters::default(), 5).unwrap();
    assert!(hits.iter().any(|h| h.kind == Entity::Partner && h.label.contains("الإفريقية")), "{hits:?}");
    let listed = s.list_partners(&ListQuery { q: "cglua".into(), ..Default::default() }).unwrap();
    assert_eq!(listed.items.len(), 1);
    // A membership registry naming it by its short name matches it, not a new partner.
    let file = dir.path().join("adhesions.csv");
    std::fs::write(&file, "Organisation;Pays;Depuis;Cotisation\nCGLUA;MA;2008;25000 MAD\n").unwrap();
    let options = Options { kind: Some(Entity::Membership), ..Default::default() };
    let p = import::preview(&s, &file, &options, Lang::Fr).unwrap();
    assert_eq!(p.rows[0].matched_by, Some("names"), "the sample's membership, matched: {:?}", p.rows[0]);
    assert_ne!(p.rows[0].action, taawun_core::import::Action::Create);
    // A partners file with a short-name column fills it.
    let file = dir.path().join("partenaires.csv");
    std::fs::write(&file, "Nom;Sigle;Pays\nAssociation Internationale des Maires Francophones;AIMF;FR\n").unwrap();
    let options = Options { kind: Some(Entity::Partner), ..Default::default() };
    let outcome = import::import(&mut s, &file, &options, Lang::Fr).unwrap();
    let aimf = s.get_partner(outcome.ids[0]).unwrap();
    assert_eq!(aimf.data.short_name, "AIMF");
    assert_eq!(aimf.data.kind, PartnerKind::ForeignCollectivity, "no kind column: by the country");
}

/// A UTF-8 registry of Arabic names with one stray byte on its last line (a Windows-1256 «é»
/// pasted in): read as UTF-8, every other row as written, that row refused and named; never the
/// whole file re-read as Arabic Windows («ط¬ظ…ط§ط¹ط©» for «جماعة»).
#[test]
fn a_stray_byte_in_a_utf8_file_refuses_its_row_not_the_whole_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample_store(dir.path());
    let mut bytes =
        "الاسم,البلد\nجماعة باماكو الثانية,مالي\nجمعية الأمل للتعاون,السنغال\nبلدية ليون,فرنسا\n".as_bytes().to_vec();
    bytes.extend_from_slice("جماعة داكار".as_bytes());
    bytes.push(0xE9);
    bytes.extend_from_slice(",السنغال\n".as_bytes());
    let file = dir.path().join("partners.csv");
    std::fs::write(&file, &bytes).unwrap();
    let options = Options { kind: Some(Entity::Partner), ..Default::default() };
    let preview = import::preview(&s, &file, &options, Lang::Ar).unwrap();
    assert!(preview.encoding.as_deref().unwrap().starts_with("UTF-8"), "{:?}", preview.encoding);
    let evidence = preview.encoding_evidence.unwrap();
    assert!(evidence.contains("في سطر واحد") && evidence.contains("السطر 5"), "{evidence}");
    let labels: Vec<&str> = preview.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(&labels[..3], ["جماعة باماكو الثانية", "جمعية الأمل للتعاون", "بلدية ليون"]);
    let last = &preview.rows[3];
    assert_eq!((last.row, last.action), (5, import::Action::Error));
    assert!(
        last.errors.iter().any(|e| e.code == "invalid.undecodable" && e.message.contains("ضاعت")),
        "{:?}",
        last.errors
    );
    assert_eq!(preview.counts.error, 1);
    // The same file in Arabic Windows is read as such, whole.
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode("الاسم,البلد\nجماعة داكار,السنغال\nبلدية ليون,فرنسا\n");
    std::fs::write(&file, &cp1256).unwrap();
    let preview = import::preview(&s, &file, &options, Lang::Fr).unwrap();
    assert!(preview.encoding.as_deref().unwrap().starts_with("windows-1256"));
    assert_eq!(preview.rows[0].label, "جماعة داكار");
}
