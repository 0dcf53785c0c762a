//! The translations are compiled in by rust-i18n's macro, which cargo does not know reads
//! `locales/`: rebuild when a locale file changes. The printing faces are embedded
//! brotli-compressed (two fifths of their size in the binaries) and decompressed once, on first
//! use (`typeset::fonts`).

const FACES: [&str; 4] =
    ["TaawunNaskh-Regular.ttf", "TaawunNaskh-Bold.ttf", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"];

fn main() {
    println!("cargo:rerun-if-changed=../locales");
    println!("cargo:rerun-if-changed=../assets/cldr");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    for face in FACES {
        let src = std::path::Path::new("../assets/fonts").join(face);
        println!("cargo:rerun-if-changed={}", src.display());
        let bytes = std::fs::read(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        let mut packed = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut packed, &params).expect("brotli");
        std::fs::write(out.join(format!("{face}.br")), packed).expect("write font");
    }
}
