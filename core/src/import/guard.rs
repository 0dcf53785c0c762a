//! What a workbook may make Taawun inflate and hold, checked on its bytes before calamine parses
//! it, and the format it really is.
//!
//! calamine trusts its input: a zip entry is inflated as far as it goes (a 1 MB "XLSX" can
//! unpack to gigabytes), an ODS cell repeated 999,999,999 times is expanded cell by cell, and an
//! XLS names the size of the grid it allocates (DIMENSIONS, and the farthest cell). So every
//! workbook is scanned first, streaming and bounded: entries, inflated bytes, shared strings,
//! repeated cells, and the extent of an XLS sheet; what goes past a bound is refused at once with
//! its own message. The scan also tells a password-protected workbook (an encrypted OOXML package
//! or an XLS with FILEPASS) from a damaged one, and hands calamine an XLS whose workbook stream
//! has the name it looks for ("Workbook"), whatever the case the writer used.

use crate::error::{Error, Result, Rule};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Cursor, Read, Write};

/// The cells a workbook may make the reader hold (expanded repeats, an XLS sheet's extent,
/// shared strings): ten times a large registry (100,000 rows × 20 columns).
pub const MAX_CELLS: u64 = 2_000_000;
/// Entries of a zip package: a workbook has a few dozen.
const MAX_ENTRIES: usize = 10_000;
/// Bytes a package may inflate to: 100 times its size (XML compresses 5 to 20 times), at least
/// 64 MiB and at most 1 GiB.
const INFLATION_RATIO: u64 = 100;
const MIN_INFLATED: u64 = 64 << 20;
const MAX_INFLATED: u64 = 1 << 30;
/// Cells an XLS sheet's DIMENSIONS may announce (calamine reserves them, untouched): a whole
/// BIFF8 sheet, 65,536 rows × 256 columns.
const MAX_XLS_DIMENSIONS: u64 = 65_536 * 256;

/// A workbook that passed the checks, in the format its bytes say.
pub enum Workbook {
    /// `merged_cells`: some worksheet has merged cells (calamine finds them by parsing the whole
    /// sheet again: a tenth of reading a large registry, spared when there are none).
    Xlsx {
        merged_cells: bool,
        /// The package with the relationships part it lacked (`_rels/.rels`, which calamine needs
        /// to find the workbook), when it lacked one.
        mended: Option<Vec<u8>>,
    },
    Xlsb,
    Ods,
    /// An XLS, as a compound file holding only its workbook stream, named "Workbook".
    Xls(Vec<u8>),
}

pub fn password_protected() -> Error {
    Error::invalid("file", Rule::PasswordProtected)
}

pub fn damaged() -> Error {
    Error::invalid("file", Rule::DamagedFile)
}

pub fn over_inflated() -> Error {
    Error::invalid("file", Rule::OverInflated)
}

fn not_spreadsheet() -> Error {
    Error::invalid("file", Rule::NotSpreadsheet)
}

/// Checks the bytes of a zip or compound (OLE) file and says which workbook it is.
pub fn check(bytes: &[u8]) -> Result<Workbook> {
    if bytes.starts_with(b"PK") {
        check_zip(bytes)
    } else {
        check_compound(bytes)
    }
}

/// A reader that fails once more than `left` bytes came through it.
struct Bounded<R> {
    inner: R,
    left: u64,
    read: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.left {
            return Err(std::io::Error::other(OverInflatedMark));
        }
        Ok(n)
    }
}

/// Marks the I/O error a bound raised, to tell it from damaged data.
#[derive(Debug)]
struct OverInflatedMark;

impl std::fmt::Display for OverInflatedMark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("over the inflation bound")
    }
}

impl std::error::Error for OverInflatedMark {}

fn io_error(e: &std::io::Error) -> Error {
    if e.get_ref().is_some_and(|inner| inner.is::<OverInflatedMark>()) {
        over_inflated()
    } else {
        damaged()
    }
}

fn xml_error(e: quick_xml::Error) -> Error {
    match e {
        quick_xml::Error::Io(io) => io_error(&io),
        _ => damaged(),
    }
}

fn check_zip(bytes: &[u8]) -> Result<Workbook> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        if bytes.starts_with(b"PK\x03\x04") {
            damaged()
        } else {
            not_spreadsheet()
        }
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(over_inflated());
    }
    let budget = (bytes.len() as u64).saturating_mul(INFLATION_RATIO).clamp(MIN_INFLATED, MAX_INFLATED);
    let names: Vec<String> = zip.file_names().map(str::to_ascii_lowercase).collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    // The workbook part is where the package's relationships say (a minimal package keeps it at
    // its root); Excel's usual places otherwise.
    let main = office_document(&mut zip).unwrap_or_default();
    let mut format = if main.ends_with("workbook.xml") || has("xl/workbook.xml") {
        Workbook::Xlsx { merged_cells: false, mended: None }
    } else if main.ends_with(".bin") || has("xl/workbook.bin") {
        Workbook::Xlsb
    } else if has("content.xml") {
        Workbook::Ods
    } else {
        return Err(not_spreadsheet());
    };
    let mut inflated = 0u64;
    // An encrypted OpenDocument keeps its zip readable and says so in its manifest.
    if matches!(format, Workbook::Ods) {
        if let Ok(entry) = zip.by_name("META-INF/manifest.xml") {
            let mut manifest = Vec::new();
            let mut bounded = Bounded { inner: entry, left: budget, read: 0 };
            bounded.read_to_end(&mut manifest).map_err(|e| io_error(&e))?;
            if manifest.windows(15).any(|w| w == b"encryption-data") {
                return Err(password_protected());
            }
            inflated += bounded.read;
        }
    }
    let mut cells = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => password_protected(),
            _ => damaged(),
        })?;
        if entry.encrypted() {
            return Err(password_protected());
        }
        let name = entry.name().to_ascii_lowercase();
        let mut bounded = Bounded { inner: entry, left: budget - inflated, read: 0 };
        match (&mut format, name.as_str()) {
            (Workbook::Xlsx { .. }, "xl/sharedstrings.xml") => {
                cells += shared_strings(&mut bounded, MAX_CELLS - cells)?
            }
            // A worksheet, wherever the package keeps it.
            (Workbook::Xlsx { merged_cells, .. }, part)
                if part.ends_with(".xml") && !part.contains("rels") && part != "[content_types].xml" =>
            {
                let mut scan = Finder::new(b"mergeCell");
                std::io::copy(&mut bounded, &mut scan).map_err(|e| io_error(&e))?;
                *merged_cells |= scan.found;
            }
            (Workbook::Ods, "content.xml") => cells += ods_cells(&mut bounded, MAX_CELLS - cells)?,
            _ => {
                std::io::copy(&mut bounded, &mut std::io::sink()).map_err(|e| io_error(&e))?;
            }
        }
        inflated += bounded.read;
    }
    if let Workbook::Xlsx { mended, .. } = &mut format {
        if !has("_rels/.rels") && has("xl/workbook.xml") {
            *mended = Some(with_package_relationships(bytes).map_err(|_| damaged())?);
        }
    }
    Ok(format)
}

/// The package with a `_rels/.rels` naming `xl/workbook.xml` as its office document, as Excel
/// writes it; the other entries copied as they are, still compressed.
fn with_package_relationships(bytes: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        out.raw_copy_file(zip.by_index_raw(i)?)?;
    }
    out.start_file("_rels/.rels", zip::write::SimpleFileOptions::default())?;
    out.write_all(RELS.as_bytes())?;
    Ok(out.finish()?.into_inner())
}

/// The lower-case name of the part the package's relationships (`_rels/.rels`) name as its office
/// document, if they do (read bounded: a relationships part is a few hundred bytes).
fn office_document(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let entry = zip.by_name("_rels/.rels").ok()?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(entry.take(1 << 20)));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let attribute = |name: &[u8]| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == name)
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                };
                if attribute(b"Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                    return attribute(b"Target").map(|t| t.trim_start_matches('/').to_ascii_lowercase());
                }
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// A sink that tells whether the bytes written to it contain `needle` (across writes too).
struct Finder {
    /// The needle's searcher, made once for every write.
    searcher: memchr::memmem::Finder<'static>,
    /// The end of what was written, as long as the needle less one byte.
    tail: Vec<u8>,
    found: bool,
}

impl Finder {
    fn new(needle: &'static [u8]) -> Finder {
        Finder {
            searcher: memchr::memmem::Finder::new(needle),
            tail: Vec::with_capacity(2 * needle.len()),
            found: false,
        }
    }
}

impl Write for Finder {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.found {
            let keep = self.searcher.needle().len() - 1;
            // A needle cut between two writes: the end of the last one and the start of this one.
            self.tail.extend_from_slice(&buf[..buf.len().min(keep)]);
            self.found = self.searcher.find(&self.tail).is_some() || self.searcher.find(buf).is_some();
            // The tail becomes the last `keep` bytes written.
            if buf.len() >= keep {
                self.tail.clear();
                self.tail.extend_from_slice(&buf[buf.len() - keep..]);
            } else {
                self.tail.drain(..self.tail.len().saturating_sub(keep));
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Counts the shared strings (`si` elements, whatever their namespace prefix) calamine would
/// hold, refusing past `limit`.
fn shared_strings(xml: impl Read, limit: u64) -> Result<u64> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(xml));
    let mut buf = Vec::new();
    let mut count = 0u64;
    loop {
        match reader.read_event_into(&mut buf).map_err(xml_error)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"si" => {
                count += 1;
                if count > limit {
                    return Err(over_inflated());
                }
            }
            Event::Eof => return Ok(count),
            _ => {}
        }
        buf.clear();
    }
}

/// The number in a `table:number-*-repeated` attribute of `e` (1 when absent).
fn repeats(e: &BytesStart<'_>, local: &[u8]) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| std::str::from_utf8(&a.value).ok().and_then(|v| v.trim().parse().ok()))
        .unwrap_or(1)
}

/// The cells calamine's ODS reader would build from `content.xml`, as it builds them: a row
/// holds its non-empty cells repeated and the empty ones before a later cell; a table expands,
/// from its first to its last non-empty row, every row by its repeat count to the widest row.
/// Counted streaming, and refused as soon as the count passes `limit`.
fn ods_cells(xml: impl Read, limit: u64) -> Result<u64> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(xml));
    let mut buf = Vec::new();
    let (mut stored, mut expanded_before) = (0u64, 0u64);
    // The table being read: rows since its first non-empty row, up to its last, and its width.
    let (mut rows_since_first, mut rows_to_last, mut width) = (None::<u64>, 0u64, 0u64);
    // The row being read: its repeat count, stored cells, empty cells waiting, any value.
    let (mut row_repeat, mut row_len, mut pending, mut row_has_value) = (1u64, 0u64, 0u64, false);
    let over = |n: u64| if n > limit { Err(over_inflated()) } else { Ok(()) };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(xml_error)?;
        let (e, closed) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            Event::End(end) => {
                match end.local_name().as_ref() {
                    b"table-row" => {
                        stored = stored.saturating_add(row_len);
                        if let Some(since) = rows_since_first.as_mut() {
                            *since = since.saturating_add(row_repeat);
                        } else if row_has_value {
                            rows_since_first = Some(row_repeat);
                        }
                        if row_has_value {
                            rows_to_last = rows_since_first.unwrap_or(0);
                            width = width.max(row_len);
                        }
                        over(stored)?;
                        over(expanded_before.saturating_add(rows_to_last.saturating_mul(width)))?;
                    }
                    b"table" => {
                        expanded_before = expanded_before.saturating_add(rows_to_last.saturating_mul(width));
                        (rows_since_first, rows_to_last, width) = (None, 0, 0);
                    }
                    _ => {}
                }
                (None, false)
            }
            Event::Eof => return Ok(stored.max(expanded_before)),
            _ => (None, false),
        };
        if let Some(e) = e {
            match e.local_name().as_ref() {
                b"table-row" => {
                    (row_repeat, row_len, pending, row_has_value) = (repeats(e, b"number-rows-repeated"), 0, 0, false);
                    if closed {
                        // An empty row element: no cells, counted only by its repeats.
                        if let Some(since) = rows_since_first.as_mut() {
                            *since = since.saturating_add(row_repeat);
                        }
                    }
                }
                b"table-cell" | b"covered-table-cell" => {
                    let n = repeats(e, b"number-columns-repeated");
                    // A cell with content or a value type holds a value (an over-count is safe).
                    let has_value =
                        !closed || e.attributes().flatten().any(|a| a.key.local_name().as_ref() == b"value-type");
                    row_len = row_len.saturating_add(pending);
                    pending = 0;
                    if has_value {
                        row_len = row_len.saturating_add(n);
                        row_has_value = true;
                    } else {
                        pending = n;
                    }
                    over(stored.saturating_add(row_len))?;
                }
                _ => {}
            }
        }
        buf.clear();
    }
}

fn check_compound(bytes: &[u8]) -> Result<Workbook> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| damaged())?;
    let streams: Vec<(String, std::path::PathBuf)> =
        file.walk().filter(|e| e.is_stream()).map(|e| (e.name().to_string(), e.path().to_path_buf())).collect();
    // An encrypted XLSX is a compound file holding the encrypted package and how to decrypt it.
    if streams.iter().any(|(name, _)| name == "EncryptedPackage" || name == "EncryptionInfo") {
        return Err(password_protected());
    }
    let workbook = ["workbook", "book"]
        .iter()
        .find_map(|wanted| streams.iter().find(|(name, _)| name.eq_ignore_ascii_case(wanted)))
        .map(|(_, path)| path.clone())
        .ok_or_else(not_spreadsheet)?;
    let mut stream = Vec::new();
    file.open_stream(&workbook).and_then(|mut s| s.read_to_end(&mut stream)).map_err(|_| damaged())?;
    check_biff(&stream)?;
    let mut clean =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).map_err(|_| damaged())?;
    clean
        .create_stream("/Workbook")
        .and_then(|mut s| s.write_all(&stream).and_then(|_| s.flush()))
        .map_err(|_| damaged())?;
    clean.flush().map_err(|_| damaged())?;
    Ok(Workbook::Xls(clean.into_inner().into_inner()))
}

/// The BIFF records of a workbook stream, as calamine reads them (continuations skipped).
fn records(stream: &[u8]) -> impl Iterator<Item = Result<(u16, &[u8])>> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.len() < 4 {
            rest = &[];
            return Some(Err(damaged()));
        }
        let typ = u16::from_le_bytes([rest[0], rest[1]]);
        let len = u16::from_le_bytes([rest[2], rest[3]]) as usize;
        if rest.len() < len + 4 {
            rest = &[];
            return Some(Err(damaged()));
        }
        let data = &rest[4..len + 4];
        rest = &rest[len + 4..];
        Some(Ok((typ, data)))
    })
}

fn u16_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as u32)
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Refuses an XLS workbook stream that is encrypted, or whose sheets would make calamine
/// allocate past the bounds: the grid DIMENSIONS announces, and the extent of the cells (calamine
/// allocates the rectangle from the first to the farthest cell).
fn check_biff(stream: &[u8]) -> Result<()> {
    let mut sheets = Vec::new();
    for record in records(stream) {
        let (typ, data) = record?;
        match typ {
            0x002F => return Err(password_protected()),
            // BOUNDSHEET: where a sheet's records start in the stream.
            0x0085 => sheets.push(u32_at(data, 0).ok_or_else(damaged)? as usize),
            // The globals end at the first EOF; the sheets follow.
            0x000A => break,
            _ => {}
        }
    }
    let mut held = 0u64;
    for start in sheets {
        let sheet = stream.get(start..).ok_or_else(damaged)?;
        let (mut top, mut bottom, mut left, mut right, mut cells) = (u32::MAX, 0u32, u32::MAX, 0u32, 0u64);
        let mut extend = |row: u32, first: u32, last: u32| {
            top = top.min(row);
            bottom = bottom.max(row);
            left = left.min(first);
            right = right.max(last);
            cells += u64::from(last.saturating_sub(first)) + 1;
        };
        for record in records(sheet) {
            let (typ, data) = record?;
            match typ {
                0x0200 => {
                    let (first_row, last_row, first_col, last_col) = match data.len() {
                        10 => (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4), u16_at(data, 6)),
                        14 => (u32_at(data, 0), u32_at(data, 4), u16_at(data, 8), u16_at(data, 10)),
                        _ => return Err(damaged()),
                    };
                    let (first_row, last_row, mut first_col, last_col) =
                        (first_row.unwrap_or(0), last_row.unwrap_or(0), first_col.unwrap_or(0), last_col.unwrap_or(0));
                    // As calamine reads it: the last row and column are one past the end, and a
                    // first column past 255 or after the last means 0.
                    if first_col > 0xFF || last_col < first_col {
                        first_col = 0;
                    }
                    if last_row >= 1 && last_col >= 1 {
                        let rows = (last_row - 1).wrapping_sub(first_row).wrapping_add(1);
                        let cols = (last_col - 1).wrapping_sub(first_col).wrapping_add(1);
                        if u64::from(rows) * u64::from(cols) > MAX_XLS_DIMENSIONS {
                            return Err(over_inflated());
                        }
                    }
                }
                // NUMBER, LABEL, BOOLERR, RK, LABELSST, FORMULA: one cell at (row, column).
                0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                        extend(row, col, col);
                    }
                }
                // MULRK: a run of cells from a first to a last column.
                0x00BD => {
                    if let (Some(row), Some(first), Some(last)) =
                        (u16_at(data, 0), u16_at(data, 2), data.len().checked_sub(2).and_then(|at| u16_at(data, at)))
                    {
                        extend(row, first, last.max(first));
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        if cells > 0 {
            let extent = (u64::from(bottom - top) + 1) * (u64::from(right - left) + 1);
            held = held.saturating_add(extent.max(cells));
            if held > MAX_CELLS {
                return Err(over_inflated());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Finder;
    use std::io::Write;

    fn found_in(writes: &[&[u8]]) -> bool {
        let mut f = Finder::new(b"mergeCell");
        for w in writes {
            f.write_all(w).unwrap();
        }
        f.found
    }

    #[test]
    fn a_word_is_found_however_the_bytes_are_cut() {
        let xml: &[u8] = b"<sheetData/><x:mergeCells count=\"1\"><x:mergeCell ref=\"A1:A3\"/></x:mergeCells>";
        for i in 0..xml.len() {
            assert!(found_in(&[&xml[..i], &xml[i..]]), "cut at {i}");
            for j in i..xml.len() {
                assert!(found_in(&[&xml[..i], &xml[i..j], &xml[j..]]), "cut at {i} and {j}");
            }
        }
        let one_by_one: Vec<&[u8]> = xml.chunks(1).collect();
        assert!(found_in(&one_by_one));
        let without: &[u8] = b"<sheetData><row><c t=\"inlineStr\"><is><t>merge Cell</t></is></c></row></sheetData>";
        let one_by_one: Vec<&[u8]> = without.chunks(1).collect();
        assert!(!found_in(&[without]) && !found_in(&one_by_one));
        assert!(!found_in(&[b"mergeCel", b"", b"x"]));
    }
}
