//! Annexes that cannot break a dossier: a corpus of broken PDFs made here (truncated, fuzzed, a
//! wrong xref, encrypted R2 to R6 with an empty or a real user password, a /Count in the
//! billions, a page or an object missing) and an image bomb, attached to a session. The dossier
//! is always written, opens clean in qpdf, has exactly the pages its report counts; each annex
//! is appended with all its pages (its text readable: decrypted, not a blank page) or named on
//! its divider with the reason.

use std::path::{Path, PathBuf};
use std::process::Command;
use taawun_core::model::{DocumentData, Entity};
use taawun_core::print::{deliberation_dossier, Edition, PrintLang};
use taawun_core::store::Store;

/// A PDF of `pages` pages, each saying "Annex page N" in Helvetica, `extra` objects appended
/// after the font, and a page tree whose kids and count may be rewritten by `tree`.
fn text_pdf(pages: usize, tree: impl Fn(String, usize) -> String, contents: impl Fn(usize) -> String) -> Vec<u8> {
    let mut objects = vec!["<< /Type /Catalog /Pages 2 0 R >>".to_string()];
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 3 + 2 * i)).collect();
    objects.push(tree(kids.join(" "), pages));
    let font = 3 + 2 * pages;
    for i in 0..pages {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> >> /Contents {} >>",
            contents(i)
        ));
        let c = format!("BT /F1 24 Tf 72 720 Td (Annex page {}) Tj ET", i + 1);
        objects.push(format!("<< /Length {} >>\nstream\n{c}\nendstream", c.len()));
    }
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

fn plain(pages: usize) -> Vec<u8> {
    text_pdf(pages, |kids, n| format!("<< /Type /Pages /Kids [{kids}] /Count {n} >>"), |i| format!("{} 0 R", 4 + 2 * i))
}

fn qpdf(args: &[&str]) {
    let out = Command::new("qpdf").args(args).output().expect("qpdf");
    assert!(out.status.success(), "qpdf {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A PNG whose header announces `w` × `h` pixels of grey, with a few bytes of image data.
fn png_announcing(w: u32, h: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFF, 0, 0, 0, 0, 0, 0x00, 0x05, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// What each file of the corpus must become: appended with its pages, or left out for a reason.
#[derive(Debug, PartialEq)]
enum Expect {
    Appended {
        pages: usize,
        note: Option<&'static str>,
    },
    LeftOut(&'static str),
    /// Fuzzed: either, as long as the dossier stays whole and the report tells.
    Either,
}

fn corpus(dir: &Path) -> Vec<(PathBuf, Expect)> {
    let mut files = Vec::new();
    let mut put = |name: &str, bytes: &[u8], expect: Expect| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        files.push((path, expect));
    };
    let good = plain(2);
    put("good.pdf", &good, Expect::Appended { pages: 2, note: None });
    put("truncated.pdf", &good[..good.len() * 2 / 5], Expect::LeftOut("dossier.pages_missing"));
    // The xref's offset pointing into the middle of an object: the reader rebuilds it.
    let text = String::from_utf8(good.clone()).unwrap();
    let (head, tail) = text.rsplit_once("startxref\n").unwrap();
    let wrong = format!("{head}startxref\n{}\n%%EOF\n", tail.trim().trim_end_matches("%%EOF").trim().len() + 17);
    put("wrong-xref.pdf", wrong.as_bytes(), Expect::Appended { pages: 2, note: None });
    let huge = text_pdf(
        2,
        |kids, _| format!("<< /Type /Pages /Kids [{kids}] /Count 2147483000 >>"),
        |i| format!("{} 0 R", 4 + 2 * i),
    );
    put("huge-count.pdf", &huge, Expect::Appended { pages: 2, note: Some("dossier.note_count") });
    let one_kid_missing = text_pdf(
        2,
        |kids, n| format!("<< /Type /Pages /Kids [{kids} 99 0 R] /Count {} >>", n + 1),
        |i| format!("{} 0 R", 4 + 2 * i),
    );
    put("page-missing.pdf", &one_kid_missing, Expect::LeftOut("dossier.pages_missing"));
    let object_missing = text_pdf(
        2,
        |kids, n| format!("<< /Type /Pages /Kids [{kids}] /Count {n} >>"),
        |i| if i == 1 { "98 0 R".into() } else { format!("{} 0 R", 4 + 2 * i) },
    );
    put("object-missing.pdf", &object_missing, Expect::LeftOut("dossier.corrupt"));
    put("bomb.png", &png_announcing(100_000, 100_000), Expect::LeftOut("dossier.image_too_large"));
    // Encrypted by qpdf: the four revisions with an empty user password open; a real one does not.
    let source = dir.join("source.pdf");
    std::fs::write(&source, &good).unwrap();
    let s = source.to_str().unwrap();
    for (name, args) in [
        ("enc-r2.pdf", vec!["--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"]),
        ("enc-r3.pdf", vec!["--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"]),
        ("enc-r4.pdf", vec!["--encrypt", "", "owner", "128", "--use-aes=y", "--"]),
        ("enc-r6.pdf", vec!["--encrypt", "", "owner", "256", "--"]),
        ("locked-r4.pdf", vec!["--encrypt", "secret", "owner", "128", "--use-aes=y", "--"]),
        ("locked-r6.pdf", vec!["--encrypt", "secret", "owner", "256", "--"]),
    ] {
        let out = dir.join(name);
        let mut all: Vec<&str> = args;
        all.extend([s, out.to_str().unwrap()]);
        qpdf(&all);
        let expect = if name.starts_with("locked") {
            Expect::LeftOut("dossier.encrypted")
        } else {
            Expect::Appended { pages: 2, note: Some("dossier.note_empty_password") }
        };
        files.push((out, expect));
    }
    // Fuzzed: bytes overwritten at places a small generator picks, in the file and in a
    // compressed copy of it.
    let compressed = dir.join("compressed.pdf");
    qpdf(&["--object-streams=generate", "--compress-streams=y", s, compressed.to_str().unwrap()]);
    let bases = [good.clone(), std::fs::read(&compressed).unwrap()];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for i in 0..24 {
        let mut bytes = bases[i % 2].clone();
        for _ in 0..(1 + i % 6) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed as usize) % bytes.len();
            bytes[at] = (seed >> 40) as u8;
        }
        let path = dir.join(format!("fuzzed-{i:02}.pdf"));
        std::fs::write(&path, &bytes).unwrap();
        files.push((path, Expect::Either));
    }
    files
}

fn pages_of(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    info.lines().find(|l| l.starts_with("Pages:")).unwrap().split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn every_broken_annex_is_checked_and_the_dossier_is_always_whole() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut store = Store::open(&d.join("t.db")).unwrap();
    store.load_sample().unwrap();
    let files = corpus(d);
    for (path, _) in &files {
        let title = path.file_name().unwrap().to_string_lossy().to_string();
        store
            .attach(Entity::Session, 1, std::slice::from_ref(path), DocumentData { title, ..Default::default() })
            .unwrap();
    }
    let typeset_only = d.join("typeset.pdf");
    // The same dossier without the corpus: how many pages the annexes add.
    let mut alone = Store::open(&d.join("alone.db")).unwrap();
    alone.load_sample().unwrap();
    let base = deliberation_dossier(&alone, 1, None, PrintLang::Ar, Edition::Print, &typeset_only).unwrap();

    let out = d.join("dossier.pdf");
    let report = deliberation_dossier(&store, 1, None, PrintLang::Ar, Edition::Print, &out).unwrap();
    // Opens clean: no error, no warning (qpdf exits 3 on warnings, such as a wrong trailer /Size).
    let check = Command::new("qpdf").arg("--check").arg(&out).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(pages_of(&out), report.pages);
    let text = String::from_utf8(Command::new("pdftotext").arg(&out).arg("-").output().unwrap().stdout).unwrap();

    let mut appended_pages = 0;
    let mut dividers = 0;
    for (path, expect) in &files {
        let title = path.file_name().unwrap().to_string_lossy().to_string();
        let a = report.annexes.iter().find(|a| a.title == title).unwrap_or_else(|| panic!("{title} in the report"));
        dividers += 1;
        match expect {
            Expect::Appended { pages, note } => {
                assert!(a.embedded, "{title}: {a:?}");
                assert_eq!(a.pages, *pages, "{title}: counted in the page tree");
                if let Some(note) = note {
                    let wanted = taawun_core::i18n::tr(taawun_core::Lang::Ar, note);
                    assert!(a.notes.contains(&wanted), "{title}: {a:?}");
                }
            }
            Expect::LeftOut(key) => {
                assert!(!a.embedded, "{title}: {a:?}");
                assert_eq!(
                    a.reason.as_deref(),
                    Some(taawun_core::i18n::tr(taawun_core::Lang::Ar, key).as_str()),
                    "{title}: {a:?}"
                );
            }
            Expect::Either => assert_eq!(a.embedded, a.reason.is_none(), "{title}: {a:?}"),
        }
        if a.embedded {
            appended_pages += a.pages;
        }
    }
    // Every appended page is really there and readable: decrypted, not blank.
    let readable = |n: usize| text.matches(&format!("Annex page {n}")).count();
    let clean = files.iter().filter(|(_, e)| matches!(e, Expect::Appended { .. })).count();
    assert!(readable(1) >= clean && readable(2) >= clean, "{} {} of {clean}", readable(1), readable(2));
    // The dossier is the typeset part (its contents list longer by a row per annex), one divider
    // per annex, and the pages appended.
    assert!(report.pages >= base.pages + dividers + appended_pages, "{report:?}");
    assert!(report.pages <= base.pages + dividers + appended_pages + 2, "{report:?}");
    assert_eq!(report.embedded, report.annexes.iter().filter(|a| a.embedded).count());
}

/// A PDF of `pages` pages, each a 1024 × 512 grey scan of noise (512 KB each, uncompressed).
/// (For the memory bound below, measured on Linux only.)
#[cfg(target_os = "linux")]
fn scan_pdf(pages: usize, seed: &mut u64) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    let mut put = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    put(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
    put(&mut out, format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")).as_bytes());
    for i in 0..pages {
        let (page, content, image) = (3 + 3 * i, 4 + 3 * i, 5 + 3 * i);
        let _ = page;
        put(&mut out, format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>").as_bytes());
        let ops = b"q 595 0 0 298 0 272 cm /Im0 Do Q";
        let mut body = format!("<< /Length {} >>\nstream\n", ops.len()).into_bytes();
        body.extend_from_slice(ops);
        body.extend_from_slice(b"\nendstream");
        put(&mut out, &body);
        let mut pixels = vec![0u8; 1024 * 512];
        for p in pixels.iter_mut() {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            *p = (*seed >> 32) as u8;
        }
        let mut body = format!(
            "<< /Type /XObject /Subtype /Image /Width 1024 /Height 512 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {} >>\nstream\n",
            pixels.len()
        )
        .into_bytes();
        body.extend_from_slice(&pixels);
        body.extend_from_slice(b"\nendstream");
        put(&mut out, &body);
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes());
    for off in &offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1).as_bytes(),
    );
    out
}

/// The largest resident size, in KiB, of the children this process waited for.
#[cfg(target_os = "linux")]
fn children_peak_kib() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes the struct it is given.
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) }, 0);
    usage.ru_maxrss
}

/// 200 scanned pages in 40 annexes (100 MB): the dossier holds one annex at a time, so its peak
/// memory is far below their sum (it was 223 MB for 200 pages when every annex was held).
#[cfg(target_os = "linux")]
#[test]
fn a_dossier_of_200_scanned_pages_stays_within_a_memory_bound() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("t.db");
    let mut store = Store::open(&db).unwrap();
    store.load_sample().unwrap();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..40 {
        let path = d.join(format!("scan-{i:02}.pdf"));
        std::fs::write(&path, scan_pdf(5, &mut seed)).unwrap();
        let data = DocumentData { title: format!("scan {i}"), ..Default::default() };
        store.attach(Entity::Session, 1, std::slice::from_ref(&path), data).unwrap();
        std::fs::remove_file(&path).unwrap();
    }
    drop(store);
    let out = d.join("dossier.pdf");
    let before = children_peak_kib();
    let run = Command::new(env!("CARGO_BIN_EXE_taawun-cli"))
        .arg("--db")
        .arg(&db)
        .args(["--json", "dossier", "--session", "1", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
    let peak = children_peak_kib();
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(report["embedded"].as_u64().unwrap(), 40, "{report}");
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(size > 100_000_000, "every scan is in the dossier: {size} bytes");
    assert!(peak > before || before < 64 * 1024, "the dossier's child was measured");
    assert!(peak < 64 * 1024, "peak {} MiB for a 100 MB dossier", peak / 1024);
    assert_eq!(pages_of(&out), report["pages"].as_u64().unwrap() as usize);
}
