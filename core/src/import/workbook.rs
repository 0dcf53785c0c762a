//! A workbook (XLSX/XLSM, XLSB, XLS, ODS) read into one table through calamine: the first
//! visible worksheet with data, merged cells filled, formulas as their cached values, dates as
//! dates. The bytes pass `guard`'s bounds first, cells are gathered sparse (a stray cell far
//! away costs one cell, not the rectangle up to it), and any failure of the reader, a panic
//! included, is the translated "damaged file" error: a broken file never takes Taawun down.

use super::guard::{self, Workbook};
use super::table::{table_of, Cell, ReadOptions, Row, Table, MAX_COLUMNS, MAX_ROWS};
use crate::error::{Error, Result, Rule};
use calamine::{Data, DataRef, Reader, SheetType, SheetVisible};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::io::Cursor;

type Book = calamine::Sheets<Cursor<Vec<u8>>>;

thread_local! {
    /// Set while this thread runs the readers: a panic there is the file's fault, reported as
    /// the damaged-file error, not printed as a crash.
    static READING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs, once, a panic hook that stays quiet for panics inside the readers and passes every
/// other panic to the hook that was there before.
fn quiet_reader_panics() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING.with(|r| r.get()) {
                previous(info);
            }
        }));
    });
}

/// Reads a zip or compound file that should be a workbook.
pub fn read_workbook(bytes: Vec<u8>, options: &ReadOptions) -> Result<Table> {
    quiet_reader_panics();
    READING.with(|r| r.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let format = guard::check(&bytes)?;
        read_checked(bytes, format, options)
    }));
    READING.with(|r| r.set(false));
    result.unwrap_or_else(|_| Err(guard::damaged()))
}

/// calamine's reasons, as the user's: a password, or a file it could not read.
fn opened<T, E: std::fmt::Display>(result: std::result::Result<T, E>) -> Result<T> {
    result.map_err(|e| {
        if e.to_string().contains("password protected") {
            guard::password_protected()
        } else {
            guard::damaged()
        }
    })
}

fn read_checked(bytes: Vec<u8>, format: Workbook, options: &ReadOptions) -> Result<Table> {
    let merged_cells = matches!(format, Workbook::Xlsx { merged_cells: true, .. });
    let mut book: Book = match format {
        Workbook::Xlsx { mended, .. } => {
            Book::Xlsx(opened(calamine::open_workbook_from_rs(Cursor::new(mended.unwrap_or(bytes))))?)
        }
        Workbook::Xlsb => Book::Xlsb(opened(calamine::open_workbook_from_rs(Cursor::new(bytes)))?),
        Workbook::Ods => Book::Ods(opened(calamine::open_workbook_from_rs(Cursor::new(bytes)))?),
        Workbook::Xls(clean) => Book::Xls(opened(calamine::open_workbook_from_rs(Cursor::new(clean)))?),
    };
    let sheets = book.sheets_metadata().to_vec();
    let mut skipped = Vec::new();
    let mut candidates = Vec::new();
    for s in &sheets {
        let wanted = options.sheet.as_deref().is_some_and(|w| w == s.name);
        if options.sheet.is_some() && !wanted {
            continue;
        }
        if s.typ != SheetType::WorkSheet {
            continue;
        }
        if s.visible != SheetVisible::Visible && !wanted {
            skipped.push(s.name.clone());
            continue;
        }
        candidates.push(s.name.clone());
    }
    if options.sheet.is_some() && candidates.is_empty() {
        return Err(Error::invalid("sheet", Rule::UnknownValue));
    }
    for name in candidates {
        let cells = sheet_cells(&mut book, &name)?;
        let Some(mut grid) = Grid::of(cells)? else { continue };
        // A merged region shows its value in every cell it covers (a country merged over the
        // rows of its partners belongs to each of them).
        let merged = match &mut book {
            Book::Xlsx(x) if merged_cells => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            Book::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        for region in merged {
            grid.fill(region.start, region.end);
        }
        let mut table = table_of(grid.rows(), name.clone(), skipped.clone(), None);
        if !table.header.is_empty() {
            table.sheets = sheets.iter().filter(|s| s.typ == SheetType::WorkSheet).map(|s| s.name.clone()).collect();
            return Ok(table);
        }
    }
    Err(Error::invalid("file", Rule::EmptySheet))
}

/// A worksheet's non-empty cells, by row: (column, cell). Held row by row rather than in one
/// vector of every cell, each row freed as its dense row is made (measured on 100,000 rows: the
/// peak memory the same, 117-118 MB, held by the cells' text itself; reading 3 % fewer instructions).
type SparseRows = BTreeMap<u32, Vec<(u32, Cell)>>;

/// The non-empty cells of a worksheet, at most `guard::MAX_CELLS`.
fn sheet_cells(book: &mut Book, name: &str) -> Result<SparseRows> {
    let mut rows = SparseRows::new();
    let mut count = 0u64;
    let mut keep = |row: u32, col: u32, cell: Cell| {
        if cell.is_empty() {
            return Ok(());
        }
        count += 1;
        if count > guard::MAX_CELLS {
            return Err(guard::over_inflated());
        }
        // Cells come row after row: the last row is the usual place.
        match rows.last_entry() {
            Some(mut last) if *last.key() == row => last.get_mut().push((col, cell)),
            _ => rows.entry(row).or_default().push((col, cell)),
        }
        Ok(())
    };
    match book {
        // Streamed: XLSX and XLSB keep their sheets compressed until read.
        Book::Xlsx(x) => {
            let mut reader = opened(x.worksheet_cells_reader(name))?;
            while let Some(c) = opened(reader.next_cell())? {
                keep(c.get_position().0, c.get_position().1, cell_of_ref(c.get_value()))?;
            }
        }
        Book::Xlsb(x) => {
            let mut reader = opened(x.worksheet_cells_reader(name))?;
            while let Some(c) = opened(reader.next_cell())? {
                keep(c.get_position().0, c.get_position().1, cell_of_ref(c.get_value()))?;
            }
        }
        // XLS and ODS sheets were read when the book was opened, within the guard's bounds.
        other => {
            let range = opened(other.worksheet_range(name))?;
            let (top, left) = range.start().unwrap_or((0, 0));
            for (r, c, d) in range.used_cells() {
                keep(top + r as u32, left + c as u32, cell_of(d))?;
            }
        }
    }
    Ok(rows)
}

/// A worksheet's non-empty rows, from its leftmost column with data, `MAX_COLUMNS` wide.
struct Grid {
    left: u32,
    width: usize,
    rows: BTreeMap<u32, Vec<Cell>>,
}

impl Grid {
    fn of(sparse: SparseRows) -> Result<Option<Grid>> {
        let columns = || sparse.values().flatten().map(|(c, _)| *c);
        let Some(left) = columns().min() else { return Ok(None) };
        let last = left.saturating_add(MAX_COLUMNS as u32 - 1);
        let right = columns().filter(|c| *c <= last).max().unwrap_or(left);
        let width = ((right - left) as usize + 1).min(MAX_COLUMNS);
        let mut rows: BTreeMap<u32, Vec<Cell>> = BTreeMap::new();
        // Each sparse row is freed as its dense row is made.
        for (r, cells) in sparse {
            let mut row: Option<Vec<Cell>> = None;
            for (c, cell) in cells {
                let col = (c - left) as usize;
                if col < width {
                    row.get_or_insert_with(|| vec![Cell::Empty; width])[col] = cell;
                }
            }
            if let Some(row) = row {
                if rows.len() > MAX_ROWS {
                    return Err(Error::invalid("file", Rule::TooManyRows));
                }
                rows.insert(r, row);
            }
        }
        Ok(Some(Grid { left, width, rows }))
    }

    /// Gives the empty cells of a merged region the value of its first cell. Only rows that
    /// hold data are touched, so a region over a whole column costs no more than the sheet.
    fn fill(&mut self, start: (u32, u32), end: (u32, u32)) {
        let Some(value) =
            self.rows.get(&start.0).and_then(|r| r.get(start.1.checked_sub(self.left)? as usize)).cloned()
        else {
            return;
        };
        let from = start.1.saturating_sub(self.left) as usize;
        let to = (end.1.saturating_sub(self.left) as usize + 1).min(self.width);
        for (_, row) in self.rows.range_mut(start.0..=end.0.max(start.0)) {
            for cell in row.iter_mut().take(to).skip(from) {
                if cell.is_empty() {
                    *cell = value.clone();
                }
            }
        }
    }

    /// The rows, numbered as the spreadsheet shows them (1 = the first line).
    fn rows(self) -> impl Iterator<Item = Row> {
        self.rows.into_iter().map(|(r, cells)| Row { number: r as usize + 1, cells })
    }
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => dt.as_datetime().map(|t| Cell::Date(t.date())).unwrap_or(Cell::Number(dt.as_f64())),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

fn cell_of_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(dt) => dt.as_datetime().map(|t| Cell::Date(t.date())).unwrap_or(Cell::Number(dt.as_f64())),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

fn iso_date(s: &str) -> Cell {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(Cell::Date)
        .unwrap_or_else(|| Cell::Text(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn a_grid_starts_at_the_leftmost_column_and_is_at_most_max_columns_wide() {
        let far = 2 + MAX_COLUMNS as u32;
        let mut sparse = SparseRows::new();
        sparse.insert(4, vec![(3, text("b")), (2, text("a"))]);
        // Only past the last column kept: the row is left out.
        sparse.insert(6, vec![(far, text("far"))]);
        sparse.insert(9, vec![(5, text("c")), (far, text("far"))]);
        let grid = Grid::of(sparse).unwrap().unwrap();
        assert_eq!((grid.left, grid.width), (2, 4));
        let rows: Vec<(usize, Vec<String>)> =
            grid.rows().map(|r| (r.number, r.cells.iter().map(Cell::text).collect())).collect();
        assert_eq!(
            rows,
            vec![
                (5, vec!["a".into(), "b".into(), "".into(), "".into()]),
                (10, vec!["".into(), "".into(), "".into(), "c".into()])
            ]
        );
        assert!(Grid::of(SparseRows::new()).unwrap().is_none());
    }

    #[test]
    fn a_grid_of_more_rows_than_a_registry_has_is_refused() {
        let sparse: SparseRows = (0..=MAX_ROWS as u32 + 1).map(|r| (r, vec![(0, text("x"))])).collect();
        assert!(matches!(Grid::of(sparse), Err(Error::Invalid { rule: Rule::TooManyRows, .. })));
        let sparse: SparseRows = (0..=MAX_ROWS as u32).map(|r| (r, vec![(0, text("x"))])).collect();
        assert_eq!(Grid::of(sparse).unwrap().unwrap().rows.len(), MAX_ROWS + 1);
    }
}
