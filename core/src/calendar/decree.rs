//! The built-in days off as decreed: `core/data/public-holidays-morocco.tsv`, one holiday day a
//! line with the text it rests on (decree 2-77-169 as amended, the Head of Government's one-off
//! days under decree 2-05-916) and the built-in revision that added it. `HolidayRules::default`
//! is this file; rules saved by an older Taawun get the lines of later revisions when read.

use super::holidays::{FixedHoliday, HijriHoliday, HolidayRules};
use super::HijriCalendar;
use chrono::{Datelike, NaiveDate};
use std::sync::LazyLock;

/// One line of the file.
#[derive(Clone, Debug, PartialEq)]
pub enum DecreedDay {
    /// Every year on a Gregorian day (from a year on), or once (a one-off day off).
    Fixed(FixedHoliday),
    /// A day of the Hijri calendar, every year.
    Lunar(HijriHoliday),
}

/// A decreed day with the revision that added it and its source.
#[derive(Clone, Debug, PartialEq)]
pub struct Decreed {
    pub day: DecreedDay,
    pub revision: u32,
    pub source: &'static str,
}

const DATA: &str = include_str!("../../data/public-holidays-morocco.tsv");

/// Every line of the file, in its order.
pub fn decreed_days() -> &'static [Decreed] {
    static DAYS: LazyLock<Vec<Decreed>> =
        LazyLock::new(|| parse(DATA).expect("core/data/public-holidays-morocco.tsv is checked by its tests"));
    &DAYS
}

/// The highest revision of the file: what rules saved now include.
pub fn latest_revision() -> u32 {
    decreed_days().iter().map(|d| d.revision).max().unwrap_or(0)
}

fn parse(text: &'static str) -> Result<Vec<Decreed>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what: &str| format!("public-holidays-morocco.tsv line {}: {what}: {line}", n + 1);
        let cols: Vec<&'static str> = line.split('\t').collect();
        let [kind, day, key, from, revision, source] = cols[..] else {
            return Err(bad("six tab-separated columns"));
        };
        let name_key = format!("holiday.{key}");
        let from_year = match from {
            "-" => None,
            y => Some(y.parse::<i32>().map_err(|_| bad("from: a year or -"))?),
        };
        let month_day = |text: &str| -> Result<(u32, u32), String> {
            let (m, d) = text.split_once('-').ok_or_else(|| bad("MM-DD"))?;
            Ok((m.parse().map_err(|_| bad("month"))?, d.parse().map_err(|_| bad("day"))?))
        };
        let day = match kind {
            "fixed" => {
                let (month, day) = month_day(day)?;
                NaiveDate::from_ymd_opt(2024, month, day).ok_or_else(|| bad("a real day"))?;
                DecreedDay::Fixed(FixedHoliday { month, day, name_key, from_year, until_year: None })
            }
            "oneoff" => {
                let date: NaiveDate = day.parse().map_err(|_| bad("YYYY-MM-DD"))?;
                if from_year != Some(date.year()) {
                    return Err(bad("a one-off day's from is its year"));
                }
                DecreedDay::Fixed(FixedHoliday {
                    month: date.month(),
                    day: date.day(),
                    name_key,
                    from_year,
                    until_year: from_year,
                })
            }
            "lunar" => {
                let (month, day) = month_day(day)?;
                if !(1..=12).contains(&month) || !(1..=30).contains(&day) || from_year.is_some() {
                    return Err(bad("a Hijri month and day, every year"));
                }
                DecreedDay::Lunar(HijriHoliday { month: month as u8, day: day as u8, name_key })
            }
            _ => return Err(bad("kind: fixed, lunar or oneoff")),
        };
        let revision = revision.parse().map_err(|_| bad("revision"))?;
        if source.trim().is_empty() {
            return Err(bad("every day has its source"));
        }
        out.push(Decreed { day, revision, source });
    }
    Ok(out)
}

impl Default for HolidayRules {
    /// The public sector's days off as decreed, each with its source:
    /// `core/data/public-holidays-morocco.tsv` (decree 2-77-169 of 28 February 1977 as amended,
    /// and the one-off days off the Head of Government granted under decree 2-05-916).
    fn default() -> Self {
        let mut rules = HolidayRules {
            fixed: Vec::new(),
            hijri: Vec::new(),
            hijri_calendar: HijriCalendar::default(),
            revision: latest_revision(),
        };
        for d in decreed_days() {
            rules.add(&d.day);
        }
        rules
    }
}

impl HolidayRules {
    /// Rules saved from an older built-in list, with the days decreed since added (a line of a
    /// later revision of `core/data/public-holidays-morocco.tsv`: Unity Day in revision 2, the
    /// one-off days off in 3). A day already there is not added twice; a day of the saved
    /// revision the officer deleted stays deleted.
    pub fn brought_up_to_date(mut self) -> Self {
        // Revision 0: saved before revisions were kept, from the first list.
        let saved = self.revision.max(1);
        for d in decreed_days().iter().filter(|d| d.revision > saved) {
            self.add(&d.day);
        }
        self.fixed.sort_by_key(|f| (f.month, f.day, f.from_year));
        self.revision = self.revision.max(latest_revision());
        self
    }

    /// Adds a decreed day unless a day off on the same date (and years) is there already.
    fn add(&mut self, day: &DecreedDay) {
        match day {
            DecreedDay::Fixed(f) => {
                let same = |g: &FixedHoliday| (g.month, g.day, g.until_year) == (f.month, f.day, f.until_year);
                if !self.fixed.iter().any(same) {
                    self.fixed.push(f.clone());
                }
            }
            DecreedDay::Lunar(h) => {
                if !self.hijri.iter().any(|g| (g.month, g.day) == (h.month, h.day)) {
                    self.hijri.push(h.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_reads_and_every_line_has_its_source() {
        let days = decreed_days();
        assert_eq!(days.iter().filter(|d| matches!(d.day, DecreedDay::Fixed(_))).count(), 15);
        assert_eq!(days.iter().filter(|d| matches!(d.day, DecreedDay::Lunar(_))).count(), 7);
        assert!(days.iter().all(|d| !d.source.is_empty()));
        assert_eq!(latest_revision(), 3);
        // Every holiday is named in the three languages.
        for d in days {
            let key = match &d.day {
                DecreedDay::Fixed(f) => &f.name_key,
                DecreedDay::Lunar(h) => &h.name_key,
            };
            for lang in [crate::Lang::Ar, crate::Lang::Fr, crate::Lang::En] {
                assert_ne!(&crate::i18n::tr(lang, key), key, "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn a_malformed_line_is_refused_with_its_number() {
        for bad in [
            "fixed\t02-30\tx\t-\t1\tsource",
            "fixed\t01-01\tx\t-\t1\t ",
            "oneoff\t2023-04-24\tx\t2024\t3\tsource",
            "lunar\t13-01\tx\t-\t1\tsource",
            "weekly\t01-01\tx\t-\t1\tsource",
            "fixed\t01-01\tx\t-\t1",
        ] {
            let e = parse(Box::leak(format!("# comment\n{bad}\n").into_boxed_str())).unwrap_err();
            assert!(e.contains("line 2"), "{e}");
        }
    }
}
