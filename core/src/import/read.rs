//! A spreadsheet file read into one table of cells: workbooks (XLSX/XLSM/XLSB/XLS/ODS) through
//! `workbook`, worksheets of Excel 2 to 4 through `biff`, and CSV/TSV text in the encodings Excel writes (UTF-8 with or without BOM,
//! UTF-16 with BOM, and Windows-1256 — Arabic Windows, which also holds French accents —
//! when the bytes are not UTF-8). The type is told from the bytes, not from the name.

use super::table::{table_of, Cell, Evidence, ReadOptions, Row, Table, MAX_COLUMNS, MAX_ROWS};
use crate::error::{Error, Result, Rule};
use std::path::Path;

/// Files above this are refused before reading (a registry of 100,000 rows is ~15 MB as XLSX).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
fn not_spreadsheet() -> Error {
    Error::invalid("file", Rule::NotSpreadsheet)
}

/// Reads `path` into a table. The file is read once: the table and its SHA-256 (`digest`) come
/// from the same bytes.
pub fn read(path: &Path, options: &ReadOptions) -> Result<Table> {
    let meta = std::fs::metadata(path)?;
    if meta.len() == 0 {
        return Err(Error::invalid("file", Rule::EmptySheet));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::invalid("file", Rule::TooManyRows));
    }
    read_bytes(std::fs::read(path)?, options)
}

/// Reads the bytes of a file into a table (what `read` does once the file is read).
pub fn read_bytes(bytes: Vec<u8>, options: &ReadOptions) -> Result<Table> {
    let digest = crate::digest::sha256_hex(&bytes);
    let mut table = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        super::workbook::read_workbook(bytes, options)?
    } else if super::biff::is_biff2_to_4(&bytes) {
        super::biff::read_table(&bytes)?
    } else {
        read_text(&bytes, options)?
    };
    if table.header.is_empty() {
        return Err(Error::invalid("file", Rule::EmptySheet));
    }
    table.digest = digest;
    Ok(table)
}

/// Decodes the bytes of a text file: the byte-order mark decides, else UTF-16 without a mark is
/// recognised by its zero bytes (on one side of every pair), else UTF-8 if valid, else
/// Windows-1256. A file with zero bytes that is not UTF-16 is refused: text never holds them.
pub fn decode(bytes: &[u8], label: Option<&str>) -> Result<(String, &'static encoding_rs::Encoding, Evidence)> {
    let forced = match label {
        Some(l) if !l.trim().is_empty() => Some(
            encoding_rs::Encoding::for_label(l.trim().as_bytes())
                .ok_or_else(|| Error::invalid("encoding", Rule::UnknownValue))?,
        ),
        _ => None,
    };
    let (encoding, evidence) = match forced {
        Some(enc) => (enc, Evidence::Chosen),
        None => detect(bytes)?,
    };
    let (text, used, had_errors) = encoding.decode(bytes);
    // Bytes that are not text in the encoding are refused, never replaced: in the one chosen, the
    // encoding is wrong; in the one detected, the file is not text at all (a photo, a PDF). A
    // UTF-8 file with a few stray bytes is the exception: they become U+FFFD, which no record
    // takes (`crate::text`), so the rows holding them are refused and named.
    if had_errors && !matches!(evidence, Evidence::Utf8WithErrors { .. }) {
        return Err(if forced.is_some() { Error::invalid("encoding", Rule::WrongEncoding) } else { not_spreadsheet() });
    }
    if text.contains('\0') {
        return Err(Error::invalid("file", if forced.is_some() { Rule::NotSpreadsheet } else { Rule::NulBytes }));
    }
    Ok((text.into_owned(), used, evidence))
}

fn detect(bytes: &[u8]) -> Result<(&'static encoding_rs::Encoding, Evidence)> {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return Ok((enc, Evidence::Bom));
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let zeros_odd = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if zeros_even + zeros_odd > 0 {
        // UTF-16 puts a zero in the high byte of every ASCII character (separators and line
        // ends at least): many zeros, all on one side. Zeros anywhere else are not text.
        let pairs = sample.len() / 2;
        let (zeros, other, enc) = if zeros_odd >= zeros_even {
            (zeros_odd, zeros_even, encoding_rs::UTF_16LE)
        } else {
            (zeros_even, zeros_odd, encoding_rs::UTF_16BE)
        };
        if zeros * 10 >= pairs && other * 10 <= zeros {
            return Ok((enc, Evidence::Utf16Zeros { zeros, sampled: sample.len() }));
        }
        // Text with zero bytes in it (a file padded or cut by a crash) says so; bytes that are
        // mostly not text (a photo, a PDF) are not a spreadsheet at all.
        let controls = sample.iter().filter(|b| **b < 0x20 && !matches!(**b, 0 | b'\t' | b'\n' | b'\r')).count();
        return Err(Error::invalid(
            "file",
            if controls * 200 > sample.len() { Rule::NotSpreadsheet } else { Rule::NulBytes },
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok((encoding_rs::UTF_8, Evidence::ValidUtf8)),
        Err(e) => {
            let at = e.valid_up_to();
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count();
            let utf8 = Utf8Reading::of(bytes);
            // A legacy code page only when the whole file reads better in it: Arabic Windows text
            // read as UTF-8 is mostly invalid sequences, with a valid one now and then by chance;
            // a UTF-8 file with a stray byte is mostly valid characters.
            if utf8.valid_non_ascii > 2 * utf8.invalid {
                return Ok((
                    encoding_rs::UTF_8,
                    Evidence::Utf8WithErrors { lines: utf8.bad_lines, first_line: utf8.first_bad_line },
                ));
            }
            Ok((encoding_rs::WINDOWS_1256, Evidence::NotUtf8 { line, byte: bytes[at] }))
        }
    }
}

/// How bytes read as UTF-8: its valid characters beyond ASCII, its invalid sequences, and the
/// lines those are on.
struct Utf8Reading {
    valid_non_ascii: usize,
    invalid: usize,
    bad_lines: usize,
    first_bad_line: usize,
}

impl Utf8Reading {
    fn of(bytes: &[u8]) -> Utf8Reading {
        let mut reading = Utf8Reading { valid_non_ascii: 0, invalid: 0, bad_lines: 0, first_bad_line: 0 };
        let (mut line, mut last_bad_line) = (1, 0);
        for chunk in bytes.utf8_chunks() {
            reading.valid_non_ascii += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
            line += chunk.valid().matches('\n').count();
            if !chunk.invalid().is_empty() {
                reading.invalid += 1;
                if line != last_bad_line {
                    reading.bad_lines += 1;
                    last_bad_line = line;
                    if reading.first_bad_line == 0 {
                        reading.first_bad_line = line;
                    }
                }
            }
        }
        reading
    }
}

/// The delimiter of a text table: the most frequent of `,` `;` tab outside quotes on the first line.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == c {
                    *n += 1;
                }
            }
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).filter(|(_, n)| *n > 0).map(|(d, _)| *d).unwrap_or(b',')
}

/// Removes the apostrophe that a formula guard (Taawun's export among them) puts before a
/// cell starting with = + - @.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Line ends in `bytes` as the CSV reader counts them: `\n`, `\r\n` and a lone `\r` (old Mac files).
fn line_breaks(bytes: &[u8]) -> usize {
    bytes.iter().enumerate().filter(|(i, b)| **b == b'\n' || (**b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

/// The line of a quote that opens a cell and is never closed, as a CSV reader reads quotes: one
/// that starts a cell opens it, a doubled one inside stands for itself, the next one closes it; a
/// quote inside an unquoted cell (`5" screen`) is a character.
fn unclosed_quote(text: &str, delim: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut line, mut opened_on) = (1, 0);
    let (mut quoted, mut cell_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && cell_start {
            quoted = true;
            opened_on = line;
        }
        if b == b'\n' {
            line += 1;
        }
        cell_start = !quoted && (b == delim || b == b'\n' || b == b'\r');
        i += 1;
    }
    quoted.then_some(opened_on)
}

/// Reads CSV/TSV bytes into a table.
pub fn read_text(bytes: &[u8], options: &ReadOptions) -> Result<Table> {
    let (text, encoding, evidence) = decode(bytes, options.encoding.as_deref())?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let delim = delimiter(text);
    if let Some(line) = unclosed_quote(text, delim) {
        // Read on, the rest of the file would be one cell of that row.
        return Err(Error::invalid("file", Rule::UnclosedQuote).in_row(line));
    }
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delim).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Line numbers as an editor shows them, blank lines included (from each record's byte offset).
    let (mut line, mut counted_to) = (1usize, 0usize);
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| Error::invalid("file", Rule::NotSpreadsheet).in_row(i + 1))?;
        if rows.len() > MAX_ROWS {
            return Err(Error::invalid("file", Rule::TooManyRows));
        }
        // The reader's position is where the previous record ended: skip the blank lines after it.
        let mut start = record.position().map(|p| p.byte() as usize).unwrap_or(counted_to).min(text.len());
        while matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        line += line_breaks(&text.as_bytes()[counted_to.min(start)..start]);
        counted_to = counted_to.max(start);
        let number = line;
        rows.push(Row {
            number,
            cells: record
                .iter()
                .take(MAX_COLUMNS)
                .map(|c| if c.trim().is_empty() { Cell::Empty } else { Cell::Text(unguard(c).to_string()) })
                .collect(),
        });
    }
    let label = format!(
        "{} ({})",
        encoding.name(),
        match delim {
            b';' => ";",
            b'\t' => "tab",
            _ => ",",
        }
    );
    let mut table = table_of(rows.into_iter(), String::new(), Vec::new(), Some(label));
    table.evidence = Some(evidence);
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.rows.iter().map(|r| r.cells.iter().map(Cell::text).collect()).collect()
    }

    #[test]
    fn encodings_are_recognised() {
        let arabic = "الاسم;البلد\nجماعة باماكو;مالي\n";
        let utf8 = read_text(arabic.as_bytes(), &ReadOptions::default()).unwrap();
        assert_eq!(utf8.header, ["الاسم", "البلد"]);
        assert!(utf8.encoding.as_deref().unwrap().starts_with("UTF-8"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(arabic.as_bytes());
        assert_eq!(texts(&read_text(&bom, &ReadOptions::default()).unwrap()), [["جماعة باماكو", "مالي"]]);
        for (enc, with_bom) in
            [(encoding_rs::UTF_16LE, true), (encoding_rs::UTF_16BE, true), (encoding_rs::UTF_16LE, false)]
        {
            let units: Vec<u16> = arabic.encode_utf16().collect();
            let mut bytes = Vec::new();
            if with_bom {
                bytes.extend(if enc == encoding_rs::UTF_16LE { [0xFF, 0xFE] } else { [0xFE, 0xFF] });
            }
            for u in units {
                bytes.extend(if enc == encoding_rs::UTF_16LE { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            let t = read_text(&bytes, &ReadOptions::default()).unwrap();
            assert_eq!(texts(&t), [["جماعة باماكو", "مالي"]], "{}", enc.name());
        }
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode("الاسم,Ville\nجماعة باماكو,Mantes-la-Jolie é\n");
        let t = read_text(&cp1256, &ReadOptions::default()).unwrap();
        assert_eq!(texts(&t), [["جماعة باماكو", "Mantes-la-Jolie é"]]);
        assert!(t.encoding.unwrap().starts_with("windows-1256"));
    }

    #[test]
    fn a_quote_never_closed_is_named_with_its_line() {
        let e = read_text("Nom,Pays\nA,FR\n\"B, la suite\nC,ML\n".as_bytes(), &ReadOptions::default()).unwrap_err();
        assert_eq!((e.code(), e.row()), ("invalid.unclosed_quote".to_string(), Some(3)));
        // Doubled quotes inside a quoted cell, and a quote inside an unquoted one, are characters.
        let t = read_text("Nom,Note\n\"A \"\"B\"\"\",5\" screen\n".as_bytes(), &ReadOptions::default()).unwrap();
        assert_eq!(texts(&t)[0], ["A \"B\"", "5\" screen"]);
    }

    #[test]
    fn quotes_delimiters_and_guards() {
        let t = read_text(b"name\tnote\n\"a\tb\"\t'=SUM(A1)\n\n'plain\t\"multi\nline\"\n", &ReadOptions::default())
            .unwrap();
        assert_eq!(texts(&t), [vec!["a\tb", "=SUM(A1)"], vec!["'plain", "multi\nline"]]);
        assert_eq!(t.rows[1].number, 4, "the blank line is counted in the numbering");
        let mac = read_text(b"a,b\r1,2\r\r3,4\r\n5,6\n", &ReadOptions::default()).unwrap();
        assert_eq!(
            mac.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
            [2, 4, 5],
            "lone CR ends a line too (found by the fuzzer)"
        );
        let unclosed = read_text(b"a,b\n\"unclosed,1\n", &ReadOptions::default()).unwrap_err();
        assert_eq!(unclosed.code(), "invalid.unclosed_quote");
        assert_eq!(read_text(b"\n\n", &ReadOptions::default()).unwrap().header.len(), 0);
        assert_eq!(
            read_text(b"a\0b\0", &ReadOptions { encoding: Some("latin1".into()), ..Default::default() })
                .unwrap_err()
                .code(),
            "invalid.not_spreadsheet"
        );
        assert_eq!(
            read_text(b"a", &ReadOptions { encoding: Some("klingon".into()), ..Default::default() })
                .unwrap_err()
                .code(),
            "invalid.unknown_value"
        );
    }
}
