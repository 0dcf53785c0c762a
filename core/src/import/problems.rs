//! What is wrong with a row, as it is read: the problems that keep it out of the import, and
//! those that bring it in as it is, to complete (model::to_complete), with the cells' text kept
//! in the record's notes.

use super::RowError;
use crate::error::Error;
use crate::i18n::tr;
use crate::i18n::Lang;
use std::collections::HashMap;

/// The problems of one row, gathered while it is read: those that keep it out (`list`), and those
/// that bring it in as it is, the value left empty and the record to complete (`incomplete`: a
/// date that cannot exist, a party missing; model::to_complete).
pub(super) struct RowErrors<'p> {
    lang: Lang,
    /// The file's column of each field, and the columns' titles, to name where a value came from.
    column_of: &'p HashMap<&'p str, usize>,
    header: &'p [String],
    pub(super) list: Vec<RowError>,
    pub(super) incomplete: Vec<RowError>,
}

impl<'p> RowErrors<'p> {
    pub(super) fn new(lang: Lang, column_of: &'p HashMap<&'p str, usize>, header: &'p [String]) -> Self {
        RowErrors { lang, column_of, header, list: Vec::new(), incomplete: Vec::new() }
    }

    /// Adds a problem, unless its field already has one (an unknown party makes "too few parties" too).
    pub(super) fn push(&mut self, field: &str, value: &str, e: Error) {
        let error = self.described(field, value, e);
        if !self.list.iter().any(|x| x.field == error.field) {
            self.list.push(error);
        }
    }

    /// A value the row's record comes in without, to complete (once per field).
    pub(super) fn leave(&mut self, field: &str, value: &str, e: Error) {
        let error = self.described(field, value, e);
        match self.incomplete.iter_mut().find(|x| x.field == error.field) {
            // A second party that did not read: both names kept.
            Some(first) if !value.is_empty() && !first.value.split("; ").any(|v| v == value) => {
                first.value = [first.value.as_str(), value]
                    .iter()
                    .filter(|v| !v.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("; ")
            }
            Some(_) => {}
            None => self.incomplete.push(error),
        }
    }

    /// Whether `field` already has a problem that keeps the row out.
    pub(super) fn refuses(&self, field: &str) -> bool {
        self.list.iter().any(|e| e.field == field)
    }

    /// The fields left to complete.
    pub(super) fn leaving(&self) -> Vec<String> {
        self.incomplete.iter().map(|e| e.field.clone()).collect()
    }

    /// `notes` with a line per value left out that the row did hold, so the cell's text is kept
    /// with the record («Import, row 14 — Signed on: “31/06/2022” — no such day…»); a value the
    /// notes already hold is not written again (a file imported twice, in any language).
    pub(super) fn kept_in(&self, notes: &str, row: usize) -> String {
        let mut out = notes.to_string();
        for e in self.incomplete.iter().filter(|e| !e.value.is_empty()) {
            let column = e.column.clone().unwrap_or_else(|| tr(self.lang, &format!("field.{}", e.field)));
            // «تاريخ التوقيع: لا وجود لهذا اليوم…» after the column's name: the rule alone.
            let label = tr(self.lang, &format!("field.{}", e.field));
            let why = e
                .message
                .strip_prefix(label.as_str())
                .map(|rest| rest.trim_start_matches([' ', ':']))
                .unwrap_or(&e.message);
            let line = crate::i18n::tr_args(
                self.lang,
                "import.kept_note",
                &[("row", &row.to_string()), ("column", &column), ("value", &e.value), ("message", why)],
            );
            // The cell's text already kept (a file imported again, in any language): once.
            if !out.contains(&e.value) {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&line);
            }
        }
        out
    }

    fn described(&self, field: &str, value: &str, e: Error) -> RowError {
        // A cell's date that does not read is named by its field («تاريخ التوقيع»), in the
        // message too, not as any date.
        let e = match e {
            Error::Invalid { field: date, rule, row } if date == "date" => {
                Error::Invalid { field: field.into(), rule, row }
            }
            other => other,
        };
        let field = e.field().unwrap_or(field).to_string();
        let column = self.column_of.get(field.as_str()).map(|i| self.header[*i].clone());
        RowError { column, value: value.to_string(), code: e.code(), message: e.message(self.lang), field }
    }
}
