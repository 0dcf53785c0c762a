//! A worksheet saved by Excel 2, 3 or 4 (1987–1992): a bare BIFF2–4 record stream, before Excel
//! kept its workbooks in a compound file, which calamine does not read (xlrd does). Only what an
//! import needs is read: text cells (in the file's code page), numbers, integers, RK numbers,
//! booleans and the cached values of formulas, each at its row and column. An Excel 4 workbook
//! (several sheets bound in one BIFF4W file) is refused with its own message: saved again from
//! Excel or LibreOffice as XLSX, it reads.

use super::table::{table_of, Cell, Row, Table, MAX_COLUMNS, MAX_ROWS};
use crate::error::{Error, Result, Rule};
use std::collections::BTreeMap;

/// The beginning-of-file records of BIFF2, BIFF3 and BIFF4.
const BOF: [u16; 3] = [0x0009, 0x0209, 0x0409];
/// BOF's substream type for a worksheet (BIFF3 and 4; BIFF2 files are worksheets).
const WORKSHEET: u16 = 0x0010;
/// A cell of a sheet this old holds at most 255 characters; a file is at most a sheet of
/// 16,384 rows × 256 columns.
const MAX_CELLS: usize = 16_384 * 256;

/// Whether `bytes` start as a BIFF2–4 stream: a BOF record of a plausible length.
pub fn is_biff2_to_4(bytes: &[u8]) -> bool {
    let (Some(id), Some(len)) = (u16_at(bytes, 0), u16_at(bytes, 2)) else { return false };
    BOF.contains(&id) && (4..=16).contains(&len)
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn damaged() -> Error {
    super::guard::damaged()
}

/// Reads the worksheet into a table.
pub fn read_table(bytes: &[u8]) -> Result<Table> {
    let version = u16_at(bytes, 0).ok_or_else(damaged)?;
    if version != 0x0009 && u16_at(bytes, 6) != Some(WORKSHEET) {
        return Err(Error::invalid("file", Rule::OldExcelWorkbook));
    }
    let mut cells: BTreeMap<u32, Vec<(u32, Cell)>> = BTreeMap::new();
    let mut count = 0usize;
    let mut codepage: &'static encoding_rs::Encoding = encoding_rs::WINDOWS_1252;
    let mut at = 0usize;
    while at + 4 <= bytes.len() {
        let id = u16_at(bytes, at).ok_or_else(damaged)?;
        let len = usize::from(u16_at(bytes, at + 2).ok_or_else(damaged)?);
        let data = bytes.get(at + 4..at + 4 + len).ok_or_else(damaged)?;
        at += 4 + len;
        let cell = match id {
            // EOF
            0x000A => break,
            // CODEPAGE: the code page of the text cells.
            0x0042 => {
                codepage = u16_at(data, 0).and_then(encoding_of).unwrap_or(codepage);
                continue;
            }
            // BIFF2 INTEGER, NUMBER, LABEL, BOOLERR, FORMULA: a 3-byte cell attribute.
            0x0002 => u16_at(data, 7).map(|n| Cell::Number(f64::from(n))),
            0x0003 => f64_at(data, 7).map(Cell::Number),
            0x0004 => data.get(7).and_then(|&n| data.get(8..8 + usize::from(n))).map(|t| text(t, codepage)),
            0x0005 => boolean(data.get(7..9)),
            0x0006 => f64_at(data, 7).map(Cell::Number),
            // BIFF3/4 NUMBER, LABEL, BOOLERR, RK, FORMULA: a 2-byte format index.
            0x0203 => f64_at(data, 6).map(Cell::Number),
            0x0204 => u16_at(data, 6).and_then(|n| data.get(8..8 + usize::from(n))).map(|t| text(t, codepage)),
            0x0205 => boolean(data.get(6..8)),
            0x027E => data.get(6..10).map(|b| Cell::Number(rk(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))),
            0x0206 | 0x0406 => formula_result(data),
            _ => continue,
        };
        let (Some(row), Some(col), Some(cell)) = (u16_at(data, 0), u16_at(data, 2), cell) else { continue };
        if cell.is_empty() || usize::from(col) >= MAX_COLUMNS {
            continue;
        }
        count += 1;
        if count > MAX_CELLS || usize::from(row) > MAX_ROWS {
            return Err(super::guard::over_inflated());
        }
        cells.entry(u32::from(row)).or_default().push((u32::from(col), cell));
    }
    let rows = cells.into_iter().map(|(row, mut cells)| {
        cells.sort_by_key(|(col, _)| *col);
        let width = cells.last().map(|(col, _)| *col as usize + 1).unwrap_or(0);
        let mut dense = vec![Cell::Empty; width];
        for (col, cell) in cells {
            dense[col as usize] = cell;
        }
        Row { number: row as usize + 1, cells: dense }
    });
    Ok(table_of(rows, String::new(), Vec::new(), None))
}

fn f64_at(data: &[u8], at: usize) -> Option<f64> {
    data.get(at..at + 8).map(|b| f64::from_le_bytes(b.try_into().expect("eight bytes")))
}

fn text(bytes: &[u8], codepage: &'static encoding_rs::Encoding) -> Cell {
    let (decoded, _, _) = codepage.decode(bytes);
    if decoded.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(decoded.into_owned())
    }
}

/// A BOOLERR cell: a boolean (error values are no value).
fn boolean(value: Option<&[u8]>) -> Option<Cell> {
    match value? {
        [v, 0] => Some(Cell::Text(if *v == 0 { "false" } else { "true" }.into())),
        _ => None,
    }
}

/// A formula's cached value: a number, unless its last two bytes are 0xFFFF (a string, a
/// boolean or an error, whose value these versions keep elsewhere or not at all).
fn formula_result(data: &[u8]) -> Option<Cell> {
    let value = data.get(6..14)?;
    if value[6..8] == [0xFF, 0xFF] {
        return None;
    }
    f64_at(data, 6).map(Cell::Number)
}

/// An RK number: 30 bits of an integer or of a double's high bits, perhaps divided by 100.
fn rk(value: u32) -> f64 {
    let n = if value & 2 != 0 {
        f64::from((value as i32) >> 2)
    } else {
        f64::from_bits(u64::from(value & 0xFFFF_FFFC) << 32)
    };
    if value & 1 != 0 {
        n / 100.0
    } else {
        n
    }
}

/// The encoding of a Windows code page number.
fn encoding_of(codepage: u16) -> Option<&'static encoding_rs::Encoding> {
    match codepage {
        // 0x8000: Mac Roman; 1200: UTF-16 (not in these versions); 367: ASCII.
        367 => Some(encoding_rs::WINDOWS_1252),
        0x8000 => Some(encoding_rs::MACINTOSH),
        n => encoding_rs::Encoding::for_label(format!("windows-{n}").as_bytes())
            .or_else(|| encoding_rs::Encoding::for_label(format!("cp{n}").as_bytes())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: u16, data: &[u8]) -> Vec<u8> {
        let mut out = id.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    #[test]
    fn a_biff4_worksheet_reads_its_cells_in_its_code_page() {
        let mut file = record(0x0409, &[0, 0, 0x10, 0, 0, 0]);
        file.extend(record(0x0042, &1256u16.to_le_bytes()));
        let mut label = vec![0, 0, 0, 0, 0, 0];
        label.extend(5u16.to_le_bytes());
        label.extend(encoding_rs::WINDOWS_1256.encode("جماعة").0.iter());
        file.extend(record(0x0204, &label));
        let mut number = vec![1, 0, 1, 0, 0, 0];
        number.extend(2.5f64.to_le_bytes());
        file.extend(record(0x0203, &number));
        // RK 12.34: the integer 1234, divided by 100.
        file.extend(record(0x027E, &[1, 0, 0, 0, 0, 0, 0x4B, 0x13, 0, 0]));
        file.extend(record(0x000A, &[]));
        assert!(is_biff2_to_4(&file));
        let table = read_table(&file).unwrap();
        assert_eq!(table.header, ["جماعة"]);
        assert_eq!(table.rows[0].cells, [Cell::Number(12.34), Cell::Number(2.5)]);
    }

    #[test]
    fn a_biff4_workbook_and_a_cut_file_say_what_they_are() {
        let workbook = record(0x0409, &[0, 0, 0x00, 0x01, 0, 0]);
        assert_eq!(read_table(&workbook).unwrap_err().code(), "invalid.old_excel_workbook");
        let mut cut = record(0x0409, &[0, 0, 0x10, 0, 0, 0]);
        cut.extend([0x04, 0x02, 0x40, 0x00, 0x01]);
        assert_eq!(read_table(&cut).unwrap_err().code(), "invalid.damaged_file");
        assert!(!is_biff2_to_4(b"Nom,Pays\n"));
    }
}
