//! Lists exported as spreadsheets: CSV with a byte-order mark that Excel reads as UTF-8, XLSX
//! with a right-to-left sheet for Arabic; the current filter respected; hostile text kept as text.

use std::process::Command;
use taawun_core::export::{export_list, Format};
use taawun_core::model::*;
use taawun_core::store::{ListQuery, Store};
use taawun_core::Lang;

#[test]
fn csv_and_xlsx_with_the_filter_and_arabic() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.db")).unwrap();
    s.load_sample().unwrap();
    // A hostile name is exported as the text it is.
    let mut p = s.get_partner(1).unwrap();
    p.data.notes = String::new();
    p.data.name_latin = "=HYPERLINK(\"http://x\",\"<b>x</b>\"), \"quoted\"".into();
    s.update_partner(1, p.data, Some(&p.updated_at)).unwrap();

    let csv_path = dir.path().join("agreements.csv");
    let n = export_list(
        &s,
        Entity::Agreement,
        &ListQuery { country: "FR".into(), ..Default::default() },
        Format::Csv,
        Lang::Ar,
        &csv_path,
    )
    .unwrap();
    assert_eq!(n, 2, "the filter: the two agreements with Mantes-la-Jolie");
    let bytes = std::fs::read(&csv_path).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.ends_with("\r\n") && text.matches('\n').count() == text.matches("\r\n").count(), "CRLF line ends");
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()), "BOM so that Excel reads UTF-8");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[3], "العنوان بالعربية");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|r| r[3].contains("مونت لاجولي")));

    let partners = dir.path().join("partners.csv");
    export_list(&s, Entity::Partner, &ListQuery::default(), Format::Csv, Lang::Fr, &partners).unwrap();
    let bytes = std::fs::read(&partners).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert!(
        reader.records().map(Result::unwrap).any(|r| r[4] == *"'=HYPERLINK(\"http://x\",\"<b>x</b>\"), \"quoted\""),
        "quotes and commas survive; a formula is guarded"
    );

    let xlsx = dir.path().join("agreements.xlsx");
    assert_eq!(export_list(&s, Entity::Agreement, &ListQuery::default(), Format::Xlsx, Lang::Ar, &xlsx).unwrap(), 3);
    let check = Command::new("python3")
        .arg("-c")
        .arg("import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sheet = z.read('xl/worksheets/sheet1.xml').decode(); strings = z.read('xl/sharedStrings.xml').decode(); assert 'rightToLeft=\"1\"' in sheet, 'rtl'; assert sheet.count('<row') == 4, sheet.count('<row'); assert 'لباماكو' in strings; print('ok')")
        .arg(&xlsx)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(
        export_list(&s, Entity::Session, &ListQuery::default(), Format::Csv, Lang::Ar, &dir.path().join("x.csv"))
            .is_err(),
        "sessions are not a spreadsheet list"
    );
    assert!(!dir.path().join("x.csv").exists());
}
