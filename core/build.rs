//! The translations are compiled in by rust-i18n's macro, which cargo does not know reads
//! `locales/`: rebuild when a locale file changes.
fn main() {
    println!("cargo:rerun-if-changed=../locales");
    println!("cargo:rerun-if-changed=../assets/cldr");
}
