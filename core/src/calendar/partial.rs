//! Partial dates: a year, a month of a year, or a day, validated by chrono.

use crate::error::{Error, Result, Rule};
use crate::i18n::Lang;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// How precisely a date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A Gregorian date known to the year, month or day. Ordered by its first day, then precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

pub const YEAR_MIN: i32 = 1900;
pub const YEAR_MAX: i32 = 2200;

/// Other spellings people type (Mashriq names, no hamza, no accents, abbreviations).
const MONTH_ALIASES: [(&str, u32); 30] = [
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يوليو", 7),
    ("يوليوز", 7),
    ("اغسطس", 8),
    ("أغسطس", 8),
    ("سبتمبر", 9),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("كانون الثاني", 1),
    ("شباط", 2),
    ("fevrier", 2),
    ("aout", 8),
    ("decembre", 12),
    ("janv", 1),
    ("fevr", 2),
    ("févr", 2),
    ("avr", 4),
    ("juil", 7),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    ("déc", 12),
    ("jan", 1),
    ("feb", 2),
    ("aug", 8),
    ("sep", 9),
];

/// The name of month `m` (1..=12) in `lang`, from the locale files (`month.1`..`month.12`;
/// in Arabic the names written in Morocco: يناير ... ماي ... يوليوز غشت شتنبر ... دجنبر).
pub fn month_name(lang: Lang, m: u32) -> String {
    crate::i18n::tr(lang, &format!("month.{}", m.clamp(1, 12)))
}

/// Every month name read by `parse`, lower-cased: the locale names, English three-letter
/// abbreviations and the aliases; built once.
static MONTH_NAMES: std::sync::LazyLock<std::collections::HashMap<String, u32>> = std::sync::LazyLock::new(|| {
    let mut names = std::collections::HashMap::new();
    for (alias, m) in MONTH_ALIASES {
        names.insert(alias.to_string(), m);
    }
    for lang in Lang::ALL.iter().rev() {
        for m in 1..=12 {
            let name = month_name(*lang, m).to_lowercase();
            if *lang == Lang::En {
                names.insert(name.chars().take(3).collect(), m);
            }
            names.insert(name, m);
        }
    }
    names
});

fn month_from_name(word: &str) -> Option<u32> {
    MONTH_NAMES.get(&word.trim().trim_end_matches('.').to_lowercase()).copied()
}

fn bad() -> Error {
    Error::invalid("date", Rule::BadDate)
}

impl PartialDate {
    pub fn year(year: i32) -> Result<Self> {
        if !(YEAR_MIN..=YEAR_MAX).contains(&year) {
            return Err(bad());
        }
        Ok(PartialDate { year, month: None, day: None })
    }

    pub fn month(year: i32, month: u32) -> Result<Self> {
        Self::year(year)?;
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(PartialDate { year, month: Some(month), day: None })
    }

    pub fn day(year: i32, month: u32, day: u32) -> Result<Self> {
        Self::month(year, month)?;
        NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad)?;
        Ok(PartialDate { year, month: Some(month), day: Some(day) })
    }

    pub fn from_naive(d: NaiveDate) -> Result<Self> {
        Self::day(d.year(), d.month(), d.day())
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The day itself, when the date is known to the day.
    pub fn as_day(&self) -> Option<NaiveDate> {
        (self.precision() == Precision::Day).then(|| self.first_day())
    }

    /// The first day the date can mean.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1)).expect("validated")
    }

    /// The last day the date can mean.
    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d).expect("validated"),
            (Some(m), None) => {
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(self.year, m + 1, 1)
                };
                next.expect("validated").pred_opt().expect("validated")
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31).expect("validated"),
        }
    }

    /// The stored form: `2018`, `2018-04`, `2018-04-25`.
    pub fn to_iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// Normalises a date typed in a form field: empty stays empty, anything else becomes ISO or
    /// an error naming `field`.
    pub fn normalise_field(field: &str, value: &str) -> Result<String> {
        if value.trim().is_empty() {
            return Ok(String::new());
        }
        Self::parse(value)
            .map(|d| d.to_iso())
            .map_err(|_| Error::invalid(field, if Self::no_such_day(value) { Rule::NoSuchDay } else { Rule::BadDate }))
    }

    /// A date written in full, year first or last, whose day the calendar lacks ("31/06/2022",
    /// "2023-02-29"): told apart from text that is no date at all.
    pub fn no_such_day(text: &str) -> bool {
        let parts: Vec<u32> = match text.trim().split(['/', '-', '.']).map(str::parse).collect() {
            Ok(parts) => parts,
            Err(_) => return false,
        };
        let (year, month, day) = match parts.as_slice() {
            [y, m, d] if *y >= 1000 => (*y, *m, *d),
            [d, m, y] if *y >= 1000 => (*y, *m, *d),
            _ => return false,
        };
        (1..=12).contains(&month)
            && (1..=31).contains(&day)
            && NaiveDate::from_ymd_opt(year as i32, month, day).is_none()
    }

    /// Reads a stored optional date (empty = none).
    pub fn stored(value: &str) -> Option<Self> {
        if value.is_empty() {
            None
        } else {
            Self::parse(value).ok()
        }
    }

    /// As written in an official text: `25 أبريل 2018`, `ماي 2008`, `25 avril 2018`.
    pub fn display(&self, lang: Lang) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) if lang == Lang::En => format!("{d} {} {}", month_name(lang, m), self.year),
            (Some(m), Some(d)) => format!(
                "{} {} {}",
                if d == 1 && lang == Lang::Fr { "1er".to_string() } else { d.to_string() },
                month_name(lang, m),
                self.year
            ),
            (Some(m), None) => format!("{} {}", month_name(lang, m), self.year),
            _ => self.year.to_string(),
        }
    }

    /// Reads the forms people type: `2018-04-25`, `2018-04`, `2018`, `25/04/2018`, `25-04-2018`,
    /// `25.04.2018`, `04/2018`, `25 أبريل 2018`, `ماي 2008`, `avril 2018`, `1er mai 2008`,
    /// `May 2008`. Arabic-Indic digits are accepted. Impossible dates (31 June) are refused.
    pub fn parse(input: &str) -> Result<Self> {
        let s: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10).unwrap_or(c),
                '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10).unwrap_or(c),
                _ => c,
            })
            .collect();
        if s.is_empty() || s.chars().count() > 40 {
            return Err(bad());
        }
        let num = |t: &str| -> Result<u32> {
            if t.is_empty() || t.len() > 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            t.parse().map_err(|_| bad())
        };
        // Purely numeric forms.
        if s.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'/' || b == b'.') {
            let sep = if s.contains('/') {
                '/'
            } else if s.contains('.') {
                '.'
            } else {
                '-'
            };
            let parts: Vec<&str> = s.split(sep).collect();
            return match parts.as_slice() {
                [y] if y.len() == 4 => Self::year(num(y)? as i32),
                [y, m] if y.len() == 4 => Self::month(num(y)? as i32, num(m)?),
                [m, y] if y.len() == 4 && m.len() <= 2 => Self::month(num(y)? as i32, num(m)?),
                [y, m, d] if y.len() == 4 => Self::day(num(y)? as i32, num(m)?, num(d)?),
                [d, m, y] if y.len() == 4 => Self::day(num(y)? as i32, num(m)?, num(d)?),
                _ => Err(bad()),
            };
        }
        // Forms with a month name: [day] month year.
        let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        let (day, rest) = match words.first() {
            Some(w) if w.trim_end_matches("er").bytes().all(|b| b.is_ascii_digit()) && words.len() >= 3 => {
                (Some(num(w.trim_end_matches("er"))?), &words[1..])
            }
            _ => (None, &words[..]),
        };
        let (year_word, month_words) = rest.split_last().ok_or_else(bad)?;
        if year_word.len() != 4 {
            return Err(bad());
        }
        let year = num(year_word)? as i32;
        let month = month_from_name(&month_words.join(" ")).ok_or_else(bad)?;
        match day {
            Some(d) => Self::day(year, month, d),
            None => Self::month(year, month),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PartialDate::parse(&s).map_err(|_| serde::de::Error::custom(format!("bad date {s:?}")))
    }
}

impl rusqlite::ToSql for PartialDate {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.to_iso().into())
    }
}

impl rusqlite::types::FromSql for PartialDate {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let s = v.as_str()?;
        PartialDate::parse(s).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        PartialDate::parse(s).map(|d| d.to_iso()).unwrap_or_else(|e| e.code())
    }

    #[test]
    fn the_forms_people_write() {
        assert_eq!(p("2018-04-25"), "2018-04-25");
        assert_eq!(p("25/04/2018"), "2018-04-25");
        assert_eq!(p("25.04.2018"), "2018-04-25");
        assert_eq!(p("٢٥/٠٤/٢٠١٨"), "2018-04-25");
        assert_eq!(p("2008-05"), "2008-05");
        assert_eq!(p("05/2008"), "2008-05");
        assert_eq!(p("2016"), "2016");
        assert_eq!(p("25 أبريل 2018"), "2018-04-25");
        assert_eq!(p("25 ابريل 2018"), "2018-04-25");
        assert_eq!(p("ماي 2008"), "2008-05");
        assert_eq!(p("مايو 2008"), "2008-05");
        assert_eq!(p("avril 2018"), "2018-04");
        assert_eq!(p("1er mai 2008"), "2008-05-01");
        assert_eq!(p("May 2008"), "2008-05");
        assert_eq!(p("12 June 2019"), "2019-06-12");
        assert_eq!(p("غشت 2019"), "2019-08");
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "2018-06-31",
            "31/06/2018",
            "2018-13-01",
            "2019-02-29",
            "0000",
            "99999",
            "",
            "abc",
            "32 mai 2018",
            "mai",
            "2018-04-25-1",
            "1850",
            "2018/4/5/6",
            "ماي 20088",
        ] {
            assert_eq!(p(bad), "invalid.bad_date", "{bad}");
        }
        assert_eq!(p("2020-02-29"), "2020-02-29");
    }

    #[test]
    fn display_in_each_language() {
        let d = PartialDate::day(2018, 4, 25).unwrap();
        assert_eq!(d.display(Lang::Ar), "25 أبريل 2018");
        assert_eq!(d.display(Lang::Fr), "25 avril 2018");
        assert_eq!(d.display(Lang::En), "25 April 2018");
        let m = PartialDate::month(2008, 5).unwrap();
        assert_eq!(m.display(Lang::Ar), "ماي 2008");
        assert_eq!(m.display(Lang::Fr), "mai 2008");
        assert_eq!(PartialDate::day(2008, 5, 1).unwrap().display(Lang::Fr), "1er mai 2008");
        for m in 1..=12 {
            let d = PartialDate::month(2020, m).unwrap();
            for lang in Lang::ALL {
                assert_eq!(PartialDate::parse(&d.display(lang)).unwrap(), d, "{lang:?} {m}");
            }
        }
    }

    #[test]
    fn bounds_and_order() {
        let m = PartialDate::month(2024, 2).unwrap();
        assert_eq!(m.first_day().to_string(), "2024-02-01");
        assert_eq!(m.as_day(), None);
        assert_eq!(PartialDate::day(2018, 4, 25).unwrap().as_day().unwrap().to_string(), "2018-04-25");
        assert_eq!(m.last_day().to_string(), "2024-02-29");
        assert_eq!(PartialDate::year(2016).unwrap().last_day().to_string(), "2016-12-31");
        assert!(PartialDate::parse("2016").unwrap() < PartialDate::parse("2016-04").unwrap());
        assert!(PartialDate::parse("2016-12").unwrap() < PartialDate::parse("2017").unwrap());
    }
}
