//! The properties the fuzzers check (`fuzz/`, run with `make fuzz` on a nightly toolchain), kept
//! here so that `core/tests/fuzz_corpus.rs` replays the kept corpus on the stable toolchain in
//! every `make test`. Each function panics when a property fails; a panic is what the fuzzer
//! reports.

use crate::calendar::PartialDate;
use crate::import::{self, Cell, ReadOptions};

/// Any bytes read as a CSV file: a table or a clear error, never a panic; every data row
/// numbered after the header and in file order.
pub fn csv_table(data: &[u8]) {
    for encoding in [None, Some("windows-1256".to_string()), Some("utf-16le".to_string())] {
        if let Ok(table) = import::read::read_text(data, &ReadOptions { sheet: None, encoding }) {
            let mut last = 0;
            for row in &table.rows {
                assert!(row.number > last, "rows numbered in order: {} after {last}", row.number);
                last = row.number;
                assert!(!row.cells.iter().all(Cell::is_empty), "empty rows are dropped");
            }
        }
    }
}

/// Any bytes read as a workbook (XLSX, XLS, ODS...): a table or one of the file errors, never a
/// panic past the reader, whatever calamine does inside.
pub fn workbook(data: &[u8]) {
    let mut bytes = data.to_vec();
    // Half the inputs are taken as zip packages, half as compound files, whatever they start with.
    if bytes.len() > 4 && !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let magic: &[u8] = if bytes[0].is_multiple_of(2) { b"PK\x03\x04" } else { &[0xD0, 0xCF, 0x11, 0xE0] };
        bytes[..4].copy_from_slice(magic);
    }
    match import::read::read_bytes(bytes, &ReadOptions::default()) {
        Ok(table) => assert!(!table.header.is_empty(), "a table has its header"),
        Err(e) => assert!(
            matches!(
                e.code().as_str(),
                "invalid.damaged_file"
                    | "invalid.not_spreadsheet"
                    | "invalid.empty_sheet"
                    | "invalid.over_inflated"
                    | "invalid.password_protected"
                    | "invalid.too_many_rows"
                    // Four bytes or fewer are read as text (no magic to force): text outcomes.
                    | "invalid.nul_bytes"
            ),
            "{}",
            e.code()
        ),
    }
}

/// Any text read as a date: ISO text or a clear error; what is accepted reads back the same.
pub fn dates(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(d) = PartialDate::parse(&text) {
        assert_eq!(PartialDate::parse(&d.to_iso()).ok(), Some(d), "{text:?}");
        for lang in crate::Lang::ALL {
            assert_eq!(PartialDate::parse(&d.display(lang)).ok(), Some(d), "{text:?} shown in {lang:?}");
        }
    }
    match import::date_of(&Cell::Text(text.to_string())) {
        Ok(iso) if !iso.is_empty() => assert!(PartialDate::parse(&iso).is_ok(), "{text:?} gave {iso:?}"),
        _ => {}
    }
    if data.len() >= 8 {
        let n = f64::from_le_bytes(data[..8].try_into().expect("8 bytes"));
        if let Ok(iso) = import::date_of(&Cell::Number(n)) {
            assert!(PartialDate::parse(&iso).is_ok(), "{n} gave {iso:?}");
        }
    }
}

/// Any typed text as a search: the MATCH expression built from it is one FTS5 accepts, the
/// folding is stable, and highlights fall inside the label.
pub fn search_query(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let folded = crate::text::fold(&text);
    assert_eq!(crate::text::fold(&folded), folded, "folding twice changes nothing");
    if let Some(expr) = crate::search::match_expression(&text) {
        thread_local! {
            static DB: rusqlite::Connection = {
                let c = rusqlite::Connection::open_in_memory().expect("memory");
                c.execute_batch("CREATE VIRTUAL TABLE t USING fts5(k, prefix='2 3 4'); INSERT INTO t(k) VALUES ('الجماعه باماكو mantes la jolie');").expect("fts5");
                c
            };
        }
        DB.with(|c| {
            let r: rusqlite::Result<i64> =
                c.query_row("SELECT count(*) FROM t WHERE t MATCH ?1", [&expr], |r| r.get(0));
            assert!(r.is_ok(), "{text:?} gave {expr:?}: {r:?}");
        });
    }
    let label = "الجماعة الثالثة لباماكو الكبرى (Commune III du District de Bamako)";
    let n = label.chars().count();
    for (a, b) in crate::search::highlights(label, &text) {
        assert!(a < b && b <= n, "{text:?}: highlight {a}..{b} of {n}");
    }
}
