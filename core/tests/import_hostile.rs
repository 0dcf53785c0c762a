//! Files made to break spreadsheet readers: workbooks calamine reads in their less common shapes,
//! password-protected ones, zip bombs and repeat bombs, and thousands of broken variants of good
//! files. Each is either read or refused with its own translated reason, within bounded memory,
//! and never takes the process down.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Cursor, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use taawun_core::import::read::read_bytes;
use taawun_core::import::{Cell, ReadOptions, Table};

/// Counts the bytes this test binary holds, and the most it held since the last reset.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = HELD.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Tests that measure memory run one at a time (the counter is the process's).
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The most memory held while reading `bytes`, above what was held before, and the result.
fn measured(bytes: Vec<u8>) -> (usize, Result<Table, String>) {
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = read_bytes(bytes, &ReadOptions::default()).map_err(|e| e.code());
    (PEAK.load(Ordering::Relaxed) - before, result)
}

fn read(bytes: Vec<u8>) -> Result<Table, String> {
    read_bytes(bytes, &ReadOptions::default()).map_err(|e| e.code())
}

fn texts(t: &Table) -> Vec<Vec<String>> {
    t.rows.iter().map(|r| r.cells.iter().map(Cell::text).collect()).collect()
}

const MIB: usize = 1 << 20;

// ---- Workbooks written by hand, part by part ----

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The XML of a workbook with one sheet, elements under `prefix` (empty: the default namespace).
fn workbook_xml(prefix: &str) -> String {
    let (p, ns) = if prefix.is_empty() {
        (String::new(), "xmlns".to_string())
    } else {
        (format!("{prefix}:"), format!("xmlns:{prefix}"))
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><{p}workbook {ns}="{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><{p}sheets><{p}sheet name="سجل" sheetId="1" r:id="rId1"/></{p}sheets></{p}workbook>"#
    )
}

/// A sheet of inline strings (no shared-strings part).
fn sheet_xml(prefix: &str, rows: &[&[&str]]) -> String {
    let (p, ns) = if prefix.is_empty() {
        (String::new(), "xmlns".to_string())
    } else {
        (format!("{prefix}:"), format!("xmlns:{prefix}"))
    };
    let mut xml = format!(r#"<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}="{MAIN_NS}"><{p}sheetData>"#);
    for (i, row) in rows.iter().enumerate() {
        xml += &format!(r#"<{p}row r="{}">"#, i + 1);
        for (j, v) in row.iter().enumerate() {
            let at = format!("{}{}", (b'A' + j as u8) as char, i + 1);
            xml += &format!(r#"<{p}c r="{at}" t="inlineStr"><{p}is><{p}t>{v}</{p}t></{p}is></{p}c>"#);
        }
        xml += &format!("</{p}row>");
    }
    xml + &format!("</{p}sheetData></{p}worksheet>")
}

const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;

const ROWS: &[&[&str]] = &[&["الاسم", "البلد"], &["جماعة باماكو", "مالي"], &["Commune de Mantes-la-Jolie", "France"]];

fn xlsx(prefix: &str, full_package: bool) -> Vec<u8> {
    let (workbook, sheet) = (workbook_xml(prefix), sheet_xml(prefix, ROWS));
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if full_package {
        parts.insert(0, ("[Content_Types].xml", CONTENT_TYPES.as_bytes()));
        parts.insert(1, ("_rels/.rels", PACKAGE_RELS.as_bytes()));
    }
    zip_of(&parts)
}

const ODS_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#;

/// An OpenDocument spreadsheet whose one table is `rows` (already XML).
fn ods(rows: &str, manifest_extra: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}</manifest:file-entry></manifest:manifest>"#
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn ods_cell(text: &str, repeated: u64) -> String {
    format!(
        r#"<table:table-cell table:number-columns-repeated="{repeated}" office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// The registry fixture (written by xlwt, as Excel 97-2003 writes BIFF8; see fixtures/README.md).
fn registry_xls() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/registry.xls")).unwrap()
}

/// The workbook stream of an XLS.
fn workbook_stream(xls: &[u8]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::open(Cursor::new(xls)).unwrap();
    let mut stream = Vec::new();
    file.open_stream("/Workbook").unwrap().read_to_end(&mut stream).unwrap();
    stream
}

/// A compound file holding `streams`, in version 4 (4096-byte sectors: calamine's own container
/// reader refuses these, Taawun reads them).
fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    compound_v(cfb::Version::V4, streams)
}

fn compound_v(version: cfb::Version, streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create_with_version(version, Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        file.create_stream(format!("/{name}")).unwrap().write_all(data).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

// ---- The tests ----

#[test]
fn workbooks_in_the_less_common_shapes_calamine_reads_are_read() {
    let expected = [["جماعة باماكو", "مالي"], ["Commune de Mantes-la-Jolie", "France"]];
    for (what, bytes) in [
        ("inline strings, full package", xlsx("", true)),
        ("minimal package (no content types, no package relationships)", xlsx("", false)),
        ("elements under a namespace prefix", xlsx("x", true)),
    ] {
        let table = read(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(table.header, ["الاسم", "البلد"], "{what}");
        assert_eq!(texts(&table), expected, "{what}");
    }
    let rows = format!(
        "<table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row>",
        ods_cell("الاسم", 1),
        ods_cell("البلد", 1),
        ods_cell("جماعة باماكو", 1),
        ods_cell("مالي", 1)
    );
    assert_eq!(texts(&read(ods(&rows, "")).unwrap()), [["جماعة باماكو", "مالي"]]);

    let xls = read(registry_xls()).unwrap();
    assert_eq!(xls.header[0], "الشريك");
    assert_eq!(xls.rows.len(), 3);
    assert_eq!(xls.rows[1].cells[4], Cell::Date(chrono::NaiveDate::from_ymd_opt(2021, 3, 2).unwrap()));
    // The workbook stream under the other names writers have used: "Book" (BIFF5) and upper case.
    let stream = workbook_stream(&registry_xls());
    for name in ["WORKBOOK", "workbook", "Book"] {
        let renamed = read(compound(&[(name, &stream)])).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(texts(&renamed), texts(&xls), "{name}");
    }
}

#[test]
fn password_protected_workbooks_say_so() {
    // Excel's encrypted XLSX: a compound file with the encryption header and the package.
    let encrypted =
        compound(&[("EncryptionInfo", b"\x04\x00\x04\x00\x40\x00\x00\x00"), ("EncryptedPackage", &[7u8; 5000])]);
    assert_eq!(read(encrypted).unwrap_err(), "invalid.password_protected");
    // An XLS with a FILEPASS record after the workbook's BOF.
    let stream = workbook_stream(&registry_xls());
    let bof_len = u16::from_le_bytes([stream[2], stream[3]]) as usize + 4;
    let filepass = [0x2F, 0x00, 0x06, 0x00, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00];
    let mut locked = stream[..bof_len].to_vec();
    locked.extend_from_slice(&filepass);
    locked.extend_from_slice(&stream[bof_len..]);
    assert_eq!(read(compound(&[("Workbook", &locked)])).unwrap_err(), "invalid.password_protected");
    // An OpenDocument encrypted by LibreOffice: its manifest carries the encryption data.
    let rows = format!("<table:table-row>{}</table:table-row>", ods_cell("x", 1));
    let locked_ods = ods(&rows, r#"<manifest:encryption-data manifest:checksum-type="SHA1"/>"#);
    assert_eq!(read(locked_ods).unwrap_err(), "invalid.password_protected");
}

#[test]
fn files_that_are_no_workbook_say_what_they_are_not() {
    let docx = zip_of(&[("word/document.xml", b"<w:document/>")]);
    assert_eq!(read(docx).unwrap_err(), "invalid.not_spreadsheet");
    let doc = compound(&[("WordDocument", &[0u8; 600])]);
    assert_eq!(read(doc).unwrap_err(), "invalid.not_spreadsheet");
    let mut cut = xlsx("", true);
    cut.truncate(cut.len() / 2);
    assert_eq!(read(cut).unwrap_err(), "invalid.damaged_file");
}

/// A zip entry of `size` spaces, deflated: about a thousandth of its size on disk.
fn spaces_sheet(size: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    let (workbook, head) = (workbook_xml(""), format!(r#"<worksheet xmlns="{MAIN_NS}"><sheetData>"#));
    for (name, data) in
        [("xl/workbook.xml", workbook.as_bytes()), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes())]
    {
        zip.start_file(name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b' '; MIB];
    for _ in 0..size / MIB {
        zip.write_all(&chunk).unwrap();
    }
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn zip_bombs_are_refused_before_they_are_inflated() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 512 MiB of spaces in a sheet: under half a megabyte on disk.
    let bomb = spaces_sheet(512 * MIB);
    assert!(bomb.len() < MIB, "{}", bomb.len());
    let size = bomb.len();
    let (peak, result) = measured(bomb);
    assert_eq!(result.unwrap_err(), "invalid.over_inflated");
    assert!(peak < 200 * MIB, "held {} MiB for a {size}-byte bomb", peak / MIB);
    // Shared strings by the million in a small file: refused by count, not read into memory.
    let mut strings = String::from(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    strings += &"<si/>".repeat(3_000_000);
    strings += "</sst>";
    let (workbook, sheet) = (workbook_xml(""), sheet_xml("", ROWS));
    let many = zip_of(&[
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/sharedStrings.xml", strings.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    let (peak, result) = measured(many);
    assert_eq!(result.unwrap_err(), "invalid.over_inflated");
    assert!(peak < 200 * MIB, "held {} MiB for 3 million shared strings", peak / MIB);
    // Entries by the ten thousand.
    let names: Vec<String> = (0..10_001).map(|i| format!("xl/media/{i}.xml")).collect();
    let mut parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), b"".as_slice())).collect();
    parts.push(("xl/workbook.xml", workbook.as_bytes()));
    assert_eq!(read(zip_of(&parts)).unwrap_err(), "invalid.over_inflated");
}

#[test]
fn a_far_away_cell_costs_one_cell_not_the_rectangle_up_to_it() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (workbook, sheet) = (workbook_xml(""), sheet_xml("", ROWS));
    // The same sheet with a note typed far down, and a cell in the last cell of the sheet.
    let far = sheet.replace(
        "</sheetData>",
        r#"<row r="1048570"><c r="B1048570" t="inlineStr"><is><t>note</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>?</t></is></c></row></sheetData>"#,
    );
    let bytes = zip_of(&[
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", far.as_bytes()),
    ]);
    let (peak, table) = measured(bytes);
    let table = table.unwrap();
    assert!(peak < 50 * MIB, "held {} MiB", peak / MIB);
    assert_eq!(
        texts(&table),
        [vec!["جماعة باماكو", "مالي"], vec!["Commune de Mantes-la-Jolie", "France"], vec!["", "note"]]
    );
    assert_eq!(table.rows.last().unwrap().number, 1_048_570, "the cell past the 64th column is left out");
}

#[test]
fn repeated_cells_are_counted_before_they_are_expanded() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let header = format!("<table:table-row>{}{}</table:table-row>", ods_cell("name", 1), ods_cell("country", 1));
    // One cell repeated 999,999,999 times (the shape of a file in calamine's own test suite).
    let wide = format!("{header}<table:table-row>{}</table:table-row>", ods_cell("x", 999_999_999));
    // A row of two cells repeated ten million times.
    let tall = format!(
        r#"{header}<table:table-row table:number-rows-repeated="10000000">{}</table:table-row>"#,
        ods_cell("x", 2)
    );
    for (what, rows) in [("wide", wide), ("tall", tall)] {
        let bytes = ods(&rows, "");
        assert!(bytes.len() < 2000, "{what}: {}", bytes.len());
        let (peak, result) = measured(bytes);
        assert_eq!(result.unwrap_err(), "invalid.over_inflated", "{what}");
        assert!(peak < 50 * MIB, "{what}: held {} MiB", peak / MIB);
    }
    // What LibreOffice writes after the data (empty cells and rows repeated to the sheet's end)
    // is not expanded and does not count.
    let tail = format!(
        r#"{header}<table:table-row>{}{}<table:table-cell table:number-columns-repeated="16382"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        ods_cell("Bamako", 1),
        ods_cell("Mali", 1)
    );
    assert_eq!(texts(&read(ods(&tail, "")).unwrap()), [["Bamako", "Mali"]]);
}

#[test]
fn an_xls_that_announces_or_spreads_a_huge_grid_is_refused() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let stream = workbook_stream(&registry_xls());
    // Each sheet record's type and data, patched where `patch` says.
    let patched = |patch: &dyn Fn(u16, &mut [u8])| {
        let mut out = stream.clone();
        let mut at = 0;
        while at + 4 <= out.len() {
            let typ = u16::from_le_bytes([out[at], out[at + 1]]);
            let len = u16::from_le_bytes([out[at + 2], out[at + 3]]) as usize;
            patch(typ, &mut out[at + 4..at + 4 + len]);
            at += 4 + len;
        }
        compound(&[("Workbook", &out)])
    };
    // DIMENSIONS of 4 billion rows.
    let dims = patched(&|typ, data| {
        if typ == 0x0200 {
            data[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        }
    });
    assert_eq!(read(dims).unwrap_err(), "invalid.over_inflated");
    // One cell moved to row 65,535, column 16,000: a rectangle of a billion cells.
    let moved = std::cell::Cell::new(false);
    let far = patched(&|typ, data| {
        if typ == 0x00FD && !moved.replace(true) {
            data[0..2].copy_from_slice(&65_535u16.to_le_bytes());
            data[2..4].copy_from_slice(&16_000u16.to_le_bytes());
        }
    });
    let (peak, result) = measured(far);
    assert_eq!(result.unwrap_err(), "invalid.over_inflated");
    assert!(peak < 50 * MIB, "held {} MiB", peak / MIB);
}

#[test]
fn records_that_make_calamine_panic_are_a_damaged_file() {
    // calamine 0.32 indexed these records without checking their length (xls.rs, the globals
    // loop): a defined name (Lbl, 0x0018) and an EXTERNSHEET (0x0017) cut short. The first is
    // tafia/calamine#612 (a BIFF5 name), still there in 0.38; 0.38 reads the second as cut
    // short. Both are the damaged-file error here; see docs/upstream/calamine.md.
    let stream = workbook_stream(&registry_xls());
    let bof_len = u16::from_le_bytes([stream[2], stream[3]]) as usize + 4;
    for (what, record, panics) in [
        ("short Lbl", vec![0x18, 0x00, 0x02, 0x00, 0x00, 0x00], true),
        ("short EXTERNSHEET", vec![0x17, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00], false),
    ] {
        let mut broken = stream[..bof_len].to_vec();
        broken.extend_from_slice(&record);
        broken.extend_from_slice(&stream[bof_len..]);
        let bytes = compound_v(cfb::Version::V3, &[("Workbook", &broken)]);
        let ran = std::panic::catch_unwind(|| {
            calamine::open_workbook_from_rs::<calamine::Xls<_>, _>(Cursor::new(bytes.clone()))
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        assert_eq!(ran.is_err(), panics, "{what}: calamine changed ({ran:?}); keep the test, mend this line");
        assert_eq!(read(bytes).unwrap_err(), "invalid.damaged_file", "{what}");
    }
}

/// A small deterministic generator (xorshift), so a failure names a case that can be replayed.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn broken_workbooks_are_refused_and_never_take_the_process_down() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut good: Vec<(&str, Vec<u8>)> = vec![("xls", registry_xls()), ("xlsx", xlsx("", true))];
    let rows = format!("<table:table-row>{}{}</table:table-row>", ods_cell("الاسم", 2), ods_cell("مالي", 1));
    good.push(("ods", ods(&rows, "")));
    // The XLS's workbook stream alone, mutated, in a sound container: what reaches calamine.
    let stream = workbook_stream(&registry_xls());
    let allowed = [
        "invalid.damaged_file",
        "invalid.not_spreadsheet",
        "invalid.empty_sheet",
        "invalid.over_inflated",
        "invalid.password_protected",
    ];
    let mut noise = Noise(0x7AA_0E5);
    let (mut read_ok, mut refused) = (0, 0);
    let mut check = |what: String, bytes: Vec<u8>| {
        let before = HELD.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        match read(bytes) {
            Ok(_) => read_ok += 1,
            Err(code) => {
                assert!(allowed.contains(&code.as_str()), "{what}: {code}");
                refused += 1;
            }
        }
        let peak = PEAK.load(Ordering::Relaxed) - before;
        assert!(peak < 200 * MIB, "{what}: held {} MiB", peak / MIB);
    };
    for (kind, bytes) in &good {
        // Cut short at every 1/64 of the file.
        for i in 1..64 {
            check(format!("{kind} cut at {i}/64"), bytes[..bytes.len() * i / 64].to_vec());
        }
        // Bytes overwritten at random, one to eight at a time.
        for case in 0..400 {
            let mut broken = bytes.clone();
            for _ in 0..1 + noise.next() % 8 {
                let at = (noise.next() as usize) % broken.len();
                broken[at] = noise.next() as u8;
            }
            check(format!("{kind} case {case}"), broken);
        }
    }
    for case in 0..1500 {
        let mut broken = stream.clone();
        for _ in 0..1 + noise.next() % 4 {
            let at = (noise.next() as usize) % broken.len();
            broken[at] = match noise.next() % 3 {
                0 => 0xFF,
                1 => 0,
                _ => noise.next() as u8,
            };
        }
        check(format!("xls stream case {case}"), compound(&[("Workbook", &broken)]));
    }
    assert!(refused > 100 && read_ok > 100, "{read_ok} read, {refused} refused");
}
