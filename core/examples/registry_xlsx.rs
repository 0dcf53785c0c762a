//! Writes a council agreements registry as XLSX for the import benchmarks (see
//! `taawun_core::store::generate::registry_xlsx`), with parties from the database given.
//!
//! `cargo run --release -p taawun-core --example registry_xlsx -- DB ROWS OUT.xlsx`

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, db, rows, out] = args.as_slice() else {
        eprintln!("usage: registry_xlsx DB ROWS OUT.xlsx");
        std::process::exit(2);
    };
    let store = taawun_core::store::Store::open(std::path::Path::new(db)).expect("database");
    taawun_core::store::generate::registry_xlsx(
        &store,
        rows.parse().expect("ROWS is a number"),
        std::path::Path::new(out),
    )
    .expect("write the XLSX");
}
