//! What a spreadsheet file is read into, whatever its kind: cells, rows, the table with its
//! header, how to read it (`ReadOptions`), the limits every reader keeps, and why a text file was
//! read in its encoding. `read` (CSV and text) and `workbook` (XLSX, XLS, ODS) both fill it; the
//! planner and the import run read it.

use chrono::NaiveDate;
use serde::Serialize;

/// Rows above this are refused: the officer's registries have hundreds, a sheet with more is
/// not a registry.
pub const MAX_ROWS: usize = 200_000;
/// Columns above this are ignored (registries have a dozen).
pub const MAX_COLUMNS: usize = 64;

/// One cell as the spreadsheet holds it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text: numbers without a useless `.0`, dates in ISO form.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A data row and its number as the spreadsheet shows it (1 = the first line of the file).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

/// The header (the first non-empty row) and the data rows under it; empty rows are skipped.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// The worksheet read (empty for CSV).
    pub sheet: String,
    /// Hidden worksheets passed over.
    pub skipped_sheets: Vec<String>,
    /// Every worksheet of the workbook, in order (empty for CSV), for choosing another.
    pub sheets: Vec<String>,
    /// The SHA-256 of the bytes read (set by `read`).
    pub digest: String,
    /// For text files: the encoding used and the delimiter found.
    pub encoding: Option<String>,
    /// For text files: why that encoding.
    pub evidence: Option<Evidence>,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

/// How to read a file when the defaults are not right.
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct ReadOptions {
    /// The worksheet to read (default: the first visible one with data).
    pub sheet: Option<String>,
    /// The encoding of a text file (an encoding label: `utf-8`, `utf-16le`, `windows-1256`...).
    pub encoding: Option<String>,
}

/// The header is the first row with any content; rows with none are dropped.
pub(super) fn table_of(
    rows: impl Iterator<Item = Row>,
    sheet: String,
    skipped_sheets: Vec<String>,
    encoding: Option<String>,
) -> Table {
    let mut header: Option<Vec<String>> = None;
    let mut data = Vec::new();
    for row in rows {
        if row.cells.iter().all(Cell::is_empty) {
            continue;
        }
        match &header {
            None => {
                let mut names: Vec<String> = row.cells.iter().map(Cell::text).collect();
                while names.last().is_some_and(|n| n.is_empty()) {
                    names.pop();
                }
                header = Some(names);
            }
            Some(_) => data.push(row),
        }
    }
    Table {
        sheet,
        skipped_sheets,
        sheets: Vec::new(),
        digest: String::new(),
        encoding,
        evidence: None,
        header: header.unwrap_or_default(),
        rows: data,
    }
}

/// Why a text file was read in the encoding it was: what the user sees before anything is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Evidence {
    /// The user chose it.
    Chosen,
    /// The file starts with that encoding's byte-order mark.
    Bom,
    /// No mark, but zero bytes on every other byte, as UTF-16 writes ASCII (count in the first 4 KB).
    Utf16Zeros { zeros: usize, sampled: usize },
    /// Every byte sequence is valid UTF-8.
    ValidUtf8,
    /// Not UTF-8 (the first byte that is not, and its line): read as Arabic Windows.
    NotUtf8 { line: usize, byte: u8 },
    /// UTF-8 but for a few bytes (far fewer than its valid UTF-8 characters): read as UTF-8, the
    /// lines holding those bytes (how many, the first) refused as rows.
    Utf8WithErrors { lines: usize, first_line: usize },
}
