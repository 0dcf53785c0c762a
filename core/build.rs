//! The translations are compiled in by rust-i18n's macro, which cargo does not know reads
//! `locales/`: rebuild when a locale file changes. The printing faces are embedded deflated (half
//! their size in the binaries) and inflated once, on first use (`typeset::fonts`).
use std::io::Write;

const FACES: [&str; 4] =
    ["NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"];

fn main() {
    println!("cargo:rerun-if-changed=../locales");
    println!("cargo:rerun-if-changed=../assets/cldr");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    for face in FACES {
        let src = std::path::Path::new("../assets/fonts").join(face);
        println!("cargo:rerun-if-changed={}", src.display());
        let bytes = std::fs::read(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&bytes).expect("deflate");
        std::fs::write(out.join(format!("{face}.deflate")), z.finish().expect("deflate")).expect("write font");
    }
}
