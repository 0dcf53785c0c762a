//! Spreadsheets made by other projects (calamine's and xlrd's test files, in
//! `tests/fixtures/others/`), read with their rows as those readers give them: text held in the
//! cell, XML with namespace prefixes, a package whose parts sit at its root, XLS formulas whose
//! cached values are the cells, and a worksheet of Excel 4.

use std::path::Path;
use taawun_core::import::read::read;
use taawun_core::import::{Cell, ReadOptions};

fn table(name: &str) -> taawun_core::import::Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/others").join(name);
    read(&path, &ReadOptions::default()).unwrap_or_else(|e| panic!("{name}: {}", e.code()))
}

#[test]
fn workbooks_others_read_are_read_here_with_the_same_rows() {
    let t = table("inlineStr_with_value.xlsx");
    assert_eq!(t.header[..2], ["NN", "Hierarchy"]);
    assert_eq!(t.rows[0].cells[5], Cell::Text("requirement".into()));

    let t = table("nonstandard-xml-ns-prefix.xlsx");
    assert_eq!(t.header, ["a", "b"]);
    assert_eq!(
        t.rows.iter().map(|r| r.cells.clone()).collect::<Vec<_>>(),
        [vec![Cell::Number(1.0), Cell::Number(3.0)], vec![Cell::Number(2.0), Cell::Number(4.0)]]
    );

    let t = table("minimal_package.xlsx");
    assert_eq!(t.rows.len(), 194, "every booking of the sheet");
    assert_eq!(t.rows[0].cells[0], Cell::Text("BKG_NUM".into()));

    let t = table("issue_643_biff5_formula.xls");
    assert_eq!(t.header, ["1", "2", "3"]);
    assert_eq!(t.rows[1].cells[..2], [Cell::Text("foo".into()), Cell::Text("bar".into())]);

    let t = table("issue_646_unsupported_formula_function.xls");
    assert_eq!(t.header, ["1"]);

    let t = table("ptgexp-truncated-operand.xls");
    assert_eq!(t.sheet, "Tab 1");
    assert!(t.header.contains(&"Donee".to_string()));

    let t = table("biff4_no_format_no_window2.xls");
    assert_eq!(t.header, ["ID", "TOTAL", "MAIN", "SUB"]);
    assert_eq!(t.rows[0].cells[1], Cell::Text("DOG & CAT PRODUCTS".into()));
    assert_eq!(t.rows.len(), 26);
}
