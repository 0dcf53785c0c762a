//! The Hijri months Morocco kept: each month start the Ministry of Habous and Islamic Affairs
//! announced, as the Moroccan press reported its communiqué, shipped in
//! `core/data/hijri-months-morocco.tsv` (one month a line, with the report's address).
//!
//! A communiqué dates two months: the one it announces ("the first of Ramadan is Thursday 18
//! June 2015") and the one it closes, through the date of that month's 29th on which the
//! crescent was watched ("after sunset on Wednesday 29 Sha'ban, 17 June 2015"). The file says
//! which of the two a line comes from (`announced` or `29th`).

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// One month start as the Ministry announced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnouncedMonth {
    pub year: i32,
    pub month: u8,
    pub starts: NaiveDate,
    /// `announced`: the communiqué names this first day; `29th`: it dates this month's 29th.
    pub evidence: &'static str,
    /// The evening the crescent was watched (the communiqué's date).
    pub reported: NaiveDate,
    /// Where the communiqué was reported.
    pub source: &'static str,
}

const DATA: &str = include_str!("../../data/hijri-months-morocco.tsv");

/// Every announced month, by (year, month).
pub fn announced_months() -> &'static BTreeMap<(i32, u8), AnnouncedMonth> {
    static MONTHS: LazyLock<BTreeMap<(i32, u8), AnnouncedMonth>> =
        LazyLock::new(|| parse(DATA).expect("core/data/hijri-months-morocco.tsv is checked by its tests"));
    &MONTHS
}

/// The file's lines as months; a line that is not `YYYY-MM  YYYY-MM-DD  evidence  YYYY-MM-DD
/// address` (tab-separated; `#` starts a comment) is an error naming its line.
fn parse(text: &'static str) -> Result<BTreeMap<(i32, u8), AnnouncedMonth>, String> {
    let mut months = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("line {}: {line}", n + 1);
        let fields: Vec<&'static str> = line.split('\t').collect();
        let [month, starts, evidence, reported, source] = fields[..] else { return Err(bad()) };
        let (year, month) = month.split_once('-').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u8 = month.parse().map_err(|_| bad())?;
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad());
        if !(1..=12).contains(&month) || !matches!(evidence, "announced" | "29th") || !source.starts_with("http") {
            return Err(bad());
        }
        let entry = AnnouncedMonth { year, month, starts: day(starts)?, evidence, reported: day(reported)?, source };
        if months.insert((year, month), entry).is_some() {
            return Err(format!("line {}: month given twice", n + 1));
        }
    }
    Ok(months)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;

    #[test]
    fn every_line_reads_and_agrees_with_its_report() {
        let months = announced_months();
        assert!(months.len() >= 60, "{}", months.len());
        for m in months.values() {
            match m.evidence {
                // Announced the evening of the 29th of the month before: the next day (seen)
                // or the day after (not seen, the month before completes 30 days).
                "announced" => {
                    let after = (m.starts - m.reported).num_days();
                    assert!(after == 1 || after == 2, "{m:?}");
                }
                // The 29th of this month is the evening reported.
                _ => assert_eq!(m.starts + Days::new(28), m.reported, "{m:?}"),
            }
        }
    }

    #[test]
    fn consecutive_months_last_29_or_30_days() {
        let months = announced_months();
        for (&(y, m), a) in months {
            let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            if let Some(b) = months.get(&next) {
                let days = (b.starts - a.starts).num_days();
                assert!(days == 29 || days == 30, "{y}-{m}: {days} days");
            }
        }
    }

    #[test]
    fn a_wrong_line_is_named() {
        assert!(parse("1446-13\t2024-08-06\tannounced\t2024-08-04\thttps://x").unwrap_err().starts_with("line 1"));
        assert!(parse("# c\n1446-02\t2024-08-06\tsaid\t2024-08-04\thttps://x").unwrap_err().starts_with("line 2"));
        let twice = "1446-02\t2024-08-06\tannounced\t2024-08-04\thttps://x\n".repeat(2);
        assert!(parse(Box::leak(twice.into_boxed_str())).is_err());
    }
}
