//! The fuzzers' kept corpus (`fuzz/corpus/<target>/`), replayed through the same property checks
//! on the stable toolchain: every input a fuzzer ever found interesting stays a regression test.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("{} fails its check", path.display());
        }
        n += 1;
    }
    assert!(n >= 5, "{target}: the corpus is kept ({n} inputs)");
}

#[test]
fn csv_table_corpus() {
    replay("csv_table", taawun_core::fuzz_checks::csv_table);
}

#[test]
fn dates_corpus() {
    replay("dates", taawun_core::fuzz_checks::dates);
}

#[test]
fn search_query_corpus() {
    replay("search_query", taawun_core::fuzz_checks::search_query);
}

#[test]
fn workbook_corpus() {
    replay("workbook", taawun_core::fuzz_checks::workbook);
}
