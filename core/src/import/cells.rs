//! Values from cells: dates in every form people and spreadsheets write, countries by code or
//! name, choice values by code or label, amounts with their currency.

use super::table::Cell;
use crate::calendar::PartialDate;
use crate::error::{Error, Result, Rule};
use crate::i18n::{tr, Lang};
use crate::text::fold;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The codes of a choice list by every way a cell may name them: the code, the code with spaces,
/// the label in each locale (folded), the value the user chose for it, and the usual words of
/// registries (`synonyms`); built once per import.
pub(super) struct Choices {
    /// The choice group (`agreement_kind`...), empty for a field without choices.
    pub(super) group: &'static str,
    names: HashMap<String, &'static str>,
    /// What the user said a value of the file means (folded value → code).
    chosen: HashMap<String, &'static str>,
}

impl Choices {
    pub(super) fn none() -> Choices {
        Choices { group: "", names: HashMap::new(), chosen: HashMap::new() }
    }

    pub(super) fn new<T: Copy>(all: &[T], code: fn(T) -> &'static str, group: &'static str) -> Choices {
        let mut names = HashMap::new();
        for v in all {
            let c = code(*v);
            for l in Lang::ALL {
                names.insert(fold(&tr(l, &format!("{group}.{c}"))), c);
            }
            names.insert(fold(&c.replace('_', " ")), c);
            names.insert(fold(c), c);
        }
        Choices { group, names, chosen: HashMap::new() }
    }

    /// Takes the user's choices (value → code) that name one of this list's codes.
    pub(super) fn with_chosen(mut self, values: &HashMap<String, String>) -> Choices {
        for (value, code) in values {
            if let Some(c) = self.names.get(&fold(code)).copied().filter(|c| *c == code.trim()) {
                self.chosen.insert(fold(value), c);
            }
        }
        self
    }

    /// The code a cell names, if any: the user's choice first, then a code or label, then the
    /// usual words (which may give `synonyms::COLLECTIVITY` for partner kinds).
    pub(super) fn code(&self, text: &str) -> Option<&'static str> {
        let key = fold(text);
        self.chosen
            .get(&key)
            .or_else(|| self.names.get(&key))
            .copied()
            .or_else(|| super::synonyms::code_of(self.group, text))
    }

    /// The value a cell names, if any.
    pub(super) fn find<T>(&self, text: &str, parse: fn(&str, &str) -> Result<T>) -> Option<T> {
        self.code(text).and_then(|c| parse("", c).ok())
    }

    /// Every code of the list with its label in `lang`, for choosing one.
    pub(super) fn options(&self, lang: Lang) -> Vec<(String, String)> {
        let mut codes: Vec<&'static str> = self.names.values().copied().collect();
        codes.sort_unstable();
        codes.dedup();
        codes.into_iter().map(|c| (c.to_string(), tr(lang, &format!("{}.{c}", self.group)))).collect()
    }
}

pub(super) static COUNTRY_NAMES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for c in crate::country::all() {
        for name in [&c.ar, &c.fr, &c.en] {
            m.insert(fold(name), c.code.clone());
        }
    }
    m
});

/// A country from its ISO code or its name in Arabic, French or English, or a longer text that
/// holds one name («République du Mali», «المملكة الإسبانية» does not: only names as listed).
pub fn country_of(text: &str) -> Option<String> {
    let t = text.trim();
    if t.len() == 2 && t.is_ascii() {
        return crate::country::get(&t.to_ascii_uppercase()).map(|c| c.code.clone());
    }
    let key = fold(t);
    if let Some(code) = COUNTRY_NAMES.get(&key) {
        return Some(code.clone());
    }
    // The longest country name the text holds as whole words ("Guinée-Bissau" before "Guinée").
    let words: Vec<&str> = key.split(' ').collect();
    let mut best: Option<(usize, &String)> = None;
    for (name, code) in COUNTRY_NAMES.iter() {
        let name_words: Vec<&str> = name.split(' ').collect();
        let holds =
            name_words.len() < words.len() && words.windows(name_words.len()).any(|w| w == name_words.as_slice());
        if holds && best.is_none_or(|(len, _)| name_words.len() > len) {
            best = Some((name_words.len(), code));
        }
    }
    best.map(|(_, code)| code.clone())
}

/// A country as the user said a value of the file means, else as `country_of` reads it.
pub(super) fn country_with(text: &str, chosen: &HashMap<String, String>) -> Option<String> {
    chosen
        .get(&fold(text))
        .and_then(|code| crate::country::get(&code.trim().to_ascii_uppercase()))
        .map(|c| c.code.clone())
        .or_else(|| country_of(text))
}

/// The first day counted by Excel's serial dates (1900 system, with its 29 February 1900).
pub(super) fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date")
}

/// A date cell in every form people and spreadsheets write: a real date cell, an Excel serial
/// number (a four-digit number is a year), the text forms of `PartialDate::parse`, a date with
/// a time after it, and an unambiguous month/day/year. Returns ISO text.
pub fn date_of(cell: &Cell) -> Result<String> {
    date_read(cell).map_err(|e| match cell {
        Cell::Text(t) if PartialDate::no_such_day(t) => Error::invalid("date", Rule::NoSuchDay),
        _ => e,
    })
}

fn date_read(cell: &Cell) -> Result<String> {
    let bad = || Error::invalid("date", Rule::BadDate);
    match cell {
        Cell::Empty => Ok(String::new()),
        Cell::Date(d) => PartialDate::from_naive(*d).map(|p| p.to_iso()),
        Cell::Number(n) => serial_or_year(*n).ok_or_else(bad),
        Cell::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(String::new());
            }
            if let Ok(d) = PartialDate::parse(t) {
                return Ok(d.to_iso());
            }
            // "2018-04-25 00:00:00", "2018-04-25T10:00": the date part.
            if let Some((day, _)) = t.split_once([' ', 'T']).filter(|(d, _)| d.len() == 10) {
                if let Ok(d) = PartialDate::parse(day) {
                    return Ok(d.to_iso());
                }
            }
            // 4/25/2018 (month first, as an English spreadsheet writes it) when only that reads.
            let parts: Vec<&str> = t.split('/').collect();
            if let [m, d, y] = parts.as_slice() {
                if let (Ok(m), Ok(d), Ok(y)) = (m.parse::<u32>(), d.parse::<u32>(), y.parse::<i32>()) {
                    if d > 12 && m <= 12 && y >= 1000 {
                        return PartialDate::day(y, m, d).map(|p| p.to_iso()).map_err(|_| bad());
                    }
                }
            }
            match t.parse::<f64>() {
                Ok(n) if t.len() == 5 => serial_or_year(n).ok_or_else(bad),
                _ => Err(bad()),
            }
        }
    }
}

pub(super) fn serial_or_year(n: f64) -> Option<String> {
    if n.fract() == 0.0 && (1000.0..=9999.0).contains(&n) {
        return PartialDate::year(n as i32).ok().map(|p| p.to_iso());
    }
    if !(1.0..=2_958_465.0).contains(&n) {
        return None;
    }
    let d = excel_epoch().checked_add_days(chrono::Days::new(n.floor() as u64))?;
    PartialDate::from_naive(d).ok().map(|p| p.to_iso())
}

/// "25 000 MAD", "1 250,50 EUR" or a bare amount (dirhams).
pub(super) fn split_currency(text: &str) -> (String, String) {
    let t = text.trim();
    if t.is_empty() {
        return (String::new(), String::new());
    }
    match t.rsplit_once(char::is_whitespace) {
        Some((amount, code)) if crate::money::currency(&code.to_ascii_uppercase()).is_some() => {
            (amount.trim().to_string(), code.to_ascii_uppercase())
        }
        _ => (t.to_string(), "MAD".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AgreementKind, AgreementStatus};

    fn d(c: Cell) -> String {
        date_of(&c).unwrap_or_else(|e| e.code())
    }

    #[test]
    fn dates_in_every_form() {
        assert_eq!(d(Cell::Text("25/04/2018".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("2018-04-25".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("25 أبريل 2018".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("ماي 2008".into())), "2008-05");
        assert_eq!(d(Cell::Text("avril 2018".into())), "2018-04");
        assert_eq!(d(Cell::Text("2018-04-25 00:00:00".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("4/25/2018".into())), "2018-04-25");
        assert_eq!(d(Cell::Text("43215".into())), "2018-04-25");
        assert_eq!(d(Cell::Number(43215.0)), "2018-04-25");
        assert_eq!(d(Cell::Number(43215.75)), "2018-04-25");
        assert_eq!(d(Cell::Number(2016.0)), "2016");
        assert_eq!(d(Cell::Date(NaiveDate::from_ymd_opt(2019, 6, 12).unwrap())), "2019-06-12");
        assert_eq!(d(Cell::Empty), "");
        for bad in ["13/13/2018", "tomorrow", "-5", "99999999", "32/01/2018"] {
            assert_eq!(d(Cell::Text(bad.into())), "invalid.bad_date", "{bad}");
        }
        // A day the month lacks is named as such.
        for missing in ["31/06/2018", "2023-02-29", "29.02.2023"] {
            assert_eq!(d(Cell::Text(missing.into())), "invalid.no_such_day", "{missing}");
        }
        assert_eq!(d(Cell::Text("29/02/2024".into())), "2024-02-29");
        assert_eq!(d(Cell::Number(-3.0)), "invalid.bad_date");
        assert_eq!(d(Cell::Number(f64::NAN)), "invalid.bad_date");
    }

    #[test]
    fn countries_and_choices_from_labels() {
        assert_eq!(country_of("مالي").as_deref(), Some("ML"));
        assert_eq!(country_of("France").as_deref(), Some("FR"));
        assert_eq!(country_of("sénégal").as_deref(), Some("SN"));
        assert_eq!(country_of("ml").as_deref(), Some("ML"));
        assert_eq!(country_of("Atlantis"), None);
        assert_eq!(
            Choices::new(AgreementKind::ALL, AgreementKind::as_str, "agreement_kind")
                .find("Jumelage", AgreementKind::parse),
            Some(AgreementKind::Twinning)
        );
        assert_eq!(
            Choices::new(AgreementStatus::ALL, AgreementStatus::as_str, "agreement_status")
                .find("in force", AgreementStatus::parse),
            Some(AgreementStatus::InForce)
        );
        assert_eq!(split_currency("25\u{202F}000 MAD"), ("25\u{202F}000".to_string(), "MAD".to_string()));
        assert_eq!(split_currency("1500"), ("1500".to_string(), "MAD".to_string()));
    }
}
