//! Writes a council agreements registry as XLSX for the import benchmarks: `ROWS` rows with
//! Arabic and French titles, references, a party by name (taken from the database given), dates
//! typed in four forms (an Excel serial among them) and statuses as codes or labels.
//!
//! `cargo run --release -p taawun-core --example registry_xlsx -- DB ROWS OUT.xlsx`

use taawun_core::store::{ListQuery, Store};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, db, rows, out] = args.as_slice() else {
        eprintln!("usage: registry_xlsx DB ROWS OUT.xlsx");
        std::process::exit(2);
    };
    let rows: u32 = rows.parse().expect("ROWS is a number");
    let store = Store::open(std::path::Path::new(db)).expect("database");
    let mut names: Vec<String> = store.list_partners(&ListQuery { limit: Some(1000), ..Default::default() }).expect("partners").items.into_iter().map(|p| p.name_latin).collect();
    names.sort();
    names.dedup();
    assert!(!names.is_empty(), "the database has no partners");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["العنوان", "Intitulé", "رقم المرجع", "الشريك", "تاريخ التوقيع", "الوضعية"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let months = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"];
    for i in 0..rows {
        let r = i + 1;
        let (y, m, d) = (2000 + i % 25, 1 + i % 12, 1 + i % 28);
        let date = match i % 4 {
            0 => format!("{d:02}/{m:02}/{y}"),
            1 => format!("{y}-{m:02}-{d:02}"),
            2 => format!("{d} {} {y}", months[(m - 1) as usize]),
            _ => format!("{}", 36526 + i % 9000),
        };
        sheet.write_string(r, 0, format!("اتفاقية شراكة وتعاون رقم {i}")).unwrap();
        sheet.write_string(r, 1, format!("Convention de partenariat n° {i}")).unwrap();
        sheet.write_string(r, 2, format!("RB-{y}-{i:06}")).unwrap();
        sheet.write_string(r, 3, &names[i as usize % names.len()]).unwrap();
        sheet.write_string(r, 4, &date).unwrap();
        sheet.write_string(r, 5, ["signée", "موقعة", "draft", "in_force"][i as usize % 4]).unwrap();
    }
    book.save(out).expect("write the XLSX");
}
