//! Registries brought in from spreadsheets: partners, agreements, projects and memberships from
//! the XLSX/CSV files the council already keeps (and from Taawun's own exports).
//!
//! The flow is preview, then import: `preview` reads the file (`read`), maps its columns to
//! fields (the user's mapping, else the one remembered for this layout of columns, else a guess
//! from the header names in Arabic, French or English), turns every row into what it would
//! become — a new record, an update of the record it matches (by UUID, then reference number,
//! then names and country), unchanged, or errors with the row number — and changes nothing.
//! `import` (`write`) does the same again, checks the file is the one previewed, and writes every
//! change in one transaction as it is planned (rows with errors only when the user chose to skip
//! them; otherwise nothing), remembering the mapping for the next file of this layout.
//! Re-importing a file therefore updates, never duplicates.
//!
//! The rooms: `read` turns a file's bytes into rows of cells, `mapping` maps columns to fields,
//! `cells` reads a value out of a cell, `planner` (with `kinds`, one reading per kind of record,
//! and `problems`, what is wrong with a row) turns rows into changes, `run` goes from a file to a preview or to written records; this file
//! holds what a preview shows and what an import writes.

mod biff;
mod cells;
mod guard;
mod kinds;
mod mapping;
mod planner;
mod problems;
pub mod read;
mod run;
mod synonyms;
pub mod table;
mod workbook;

pub use cells::{country_of, date_of};
pub use mapping::{fields, guess_kind, guess_mapping, layout_key, parse_mapping, parse_values};
pub use run::{import, preview, write, Written};
pub use table::{Cell, ReadOptions, Table};

use crate::i18n::Lang;
use crate::model::{Entity, PartnerData};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rows shown in a preview besides the rows with errors.
pub const PREVIEW_ROWS: usize = 50;
/// Rows with errors listed in a preview (the counts cover all).
pub const LISTED_ERRORS: usize = 1000;

/// What a row will do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Error,
}

/// One problem of one row: the field, the column it came from, the value and the message.
#[derive(Clone, Debug, Serialize)]
pub struct RowError {
    pub field: String,
    pub column: Option<String>,
    pub value: String,
    pub code: String,
    pub message: String,
}

/// A row as the preview shows it.
#[derive(Clone, Debug, Serialize)]
pub struct PlannedRow {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    pub action: Action,
    /// The record it updates (or that it already equals).
    pub id: Option<i64>,
    /// How it was matched: `uuid`, `reference`, `names`.
    pub matched_by: Option<&'static str>,
    /// The record's name or title as it will be.
    pub label: String,
    /// What the mapped cells become, as Taawun will show them (dates, countries, kinds, statuses,
    /// amounts read): `[field, value]`, for the first rows of a preview.
    pub values: Vec<(String, String)>,
    /// Fields Taawun wrote because the row has none (a title from kind and partners).
    pub derived: Vec<&'static str>,
    pub cells: Vec<String>,
    pub errors: Vec<RowError>,
    /// The values the row could not give (a date that cannot exist, a party missing): left empty
    /// (or as stored), their cells' text kept in the record's notes (model::to_complete).
    pub to_complete: Vec<RowError>,
    /// The record comes in flagged to complete: of `to_complete`, a field it lacks (a value the
    /// row could not give, where Taawun had none; an update keeps the stored value otherwise).
    pub flagged: bool,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub create: usize,
    pub update: usize,
    pub unchanged: usize,
    pub error: usize,
    /// Of the rows created or updated, those whose record comes in flagged to complete.
    pub to_complete: usize,
}

/// What the user chose, or nothing for the defaults.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    pub kind: Option<Entity>,
    /// The field each column fills (`None` or absent: ignored), in column order.
    pub mapping: Option<Vec<Option<String>>>,
    /// A mapping as typed on the command line (see `parse_mapping`), used when `mapping` is not given.
    #[serde(skip)]
    pub mapping_spec: Option<String>,
    #[serde(flatten)]
    pub read: ReadOptions,
    /// Import the correct rows and leave the rows with errors out.
    pub skip_errors: bool,
    /// The file's SHA-256 when it was previewed: an import refuses a file changed since.
    pub digest: Option<String>,
    /// What values of the file mean, as the user chose (`سارية` → `in_force`, `Hollande` → `NL`),
    /// for the values Taawun does not read itself; remembered with the mapping of the layout.
    pub values: BTreeMap<String, String>,
}

/// A value of the file Taawun does not read, once per distinct value of a column.
#[derive(Clone, Debug, Serialize)]
pub struct UnknownValue {
    pub field: String,
    pub column: Option<String>,
    pub value: String,
    /// Rows holding it, and the first of them.
    pub count: usize,
    pub first_row: usize,
    /// What it may mean: `[code, label]` (empty for a country: any country code).
    pub choices: Vec<(String, String)>,
}

/// A partner the rows name that Taawun does not have, created with the import.
#[derive(Clone, Debug, Serialize)]
pub struct NewPartner {
    pub data: PartnerData,
    /// The rows naming it.
    pub rows: Vec<usize>,
}

/// Everything the preview dialog shows.
#[derive(Clone, Debug, Serialize)]
pub struct Preview {
    pub kind: Entity,
    pub sheet: String,
    pub skipped_sheets: Vec<String>,
    /// Every worksheet of a workbook (to choose another), empty for a text file.
    pub sheets: Vec<String>,
    pub encoding: Option<String>,
    /// For a text file: the encoding, why it was chosen, and the first line as read, in words.
    pub encoding_evidence: Option<String>,
    pub columns: Vec<String>,
    pub mapping: Vec<Option<String>>,
    /// Where the mapping came from: `given`, `remembered` or `guessed`.
    pub mapping_source: &'static str,
    pub fields: Vec<&'static str>,
    pub total_rows: usize,
    pub counts: Counts,
    /// The first rows, then every row with errors (up to `LISTED_ERRORS`), in file order.
    pub rows: Vec<PlannedRow>,
    /// The values no row could be read with, each once.
    pub unknown_values: Vec<UnknownValue>,
    /// The partners the import creates because rows name them.
    pub new_partners: Vec<NewPartner>,
    /// The value choices in force (the user's, else those remembered for the layout).
    pub values: BTreeMap<String, String>,
    pub digest: String,
}

/// What an import did.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    pub kind: Entity,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    /// Partners created because rows named them.
    pub new_partners: usize,
    /// The ids created or updated, in file order.
    pub ids: Vec<i64>,
    /// What was read and how (its rows: the first ones and those left out).
    pub preview: Preview,
}

/// «Read as windows-1256 (not UTF-8: byte 0xE3 on line 2…). First line as read: …».
fn evidence_text(evidence: table::Evidence, encoding: Option<&str>, header: &[String], lang: Lang) -> String {
    use crate::i18n::{tr, tr_args};
    use table::Evidence;
    let why = match evidence {
        Evidence::Chosen => tr(lang, "import.evidence.chosen"),
        Evidence::Bom => tr(lang, "import.evidence.bom"),
        Evidence::ValidUtf8 => tr(lang, "import.evidence.valid_utf8"),
        Evidence::Utf16Zeros { zeros, sampled } => tr_args(
            lang,
            "import.evidence.utf16_zeros",
            &[("zeros", &zeros.to_string()), ("sampled", &sampled.to_string())],
        ),
        Evidence::Utf8WithErrors { lines, first_line } => tr_args(
            lang,
            "import.evidence.utf8_with_errors",
            &[
                // After «في» (ar): the genitive.
                ("lines", &crate::plural::counted_as(lang, "line", lines as u64, crate::plural::Case::Genitive)),
                ("line", &first_line.to_string()),
            ],
        ),
        Evidence::NotUtf8 { line, byte } => {
            tr_args(lang, "import.evidence.not_utf8", &[("byte", &format!("{byte:02X}")), ("line", &line.to_string())])
        }
    };
    let mut sample: String = header.join(" | ");
    if sample.chars().count() > 80 {
        sample = sample.chars().take(80).collect::<String>() + "…";
    }
    tr_args(
        lang,
        "import.encoding_sample",
        &[("encoding", encoding.unwrap_or_default()), ("evidence", &why), ("sample", &sample)],
    )
}

/// The columns no kind of record has a field for, by their titles.
fn unrecognised(header: &[String]) -> Vec<String> {
    let guesses: Vec<Vec<Option<String>>> = Entity::ALL.iter().map(|k| guess_mapping(*k, header)).collect();
    header
        .iter()
        .enumerate()
        .filter(|(i, name)| !name.is_empty() && guesses.iter().all(|g| g.get(*i).is_none_or(|f| f.is_none())))
        .map(|(_, name)| name.clone())
        .collect()
}
