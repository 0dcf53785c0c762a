//! Hijri dates as Moroccan official documents write them beside the Gregorian date.
//!
//! The computation is ICU4X's Umm al-Qura calendar (KACST month lengths for 1300–1600 AH). Morocco
//! fixes each month by sighting the crescent and can start it a day later (or earlier) than any
//! computed calendar, so the user sets a per-month correction of -1, 0 or +1 day: the shift of
//! that month's first day. Every conversion goes through `HijriCalendar`, which holds them.

use crate::error::{Error, Result, Rule};
use crate::i18n::{tr, Lang};
use chrono::{Datelike, Days, NaiveDate};
use icu_calendar::cal::Hijri;
use icu_calendar::types::RataDie;
use icu_calendar::Date;
use serde::{Deserialize, Serialize};

/// A day of the Hijri calendar (month 1 = Muharram ... 12 = Dhu al-Hijja).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HijriDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl HijriDate {
    /// As written: `9 شعبان 1439 هـ`, `9 chaabane 1439 H`.
    pub fn display(&self, lang: Lang) -> String {
        format!(
            "{} {} {} {}",
            self.day,
            tr(lang, &format!("hijri_month.{}", self.month)),
            self.year,
            tr(lang, "hijri_month.era")
        )
    }
}

/// One month whose start Morocco fixed a day after (+1) or before (-1) the computed date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HijriCorrection {
    pub year: i32,
    pub month: u8,
    pub shift: i8,
}

/// The Hijri calendar with the Moroccan corrections (a short list, sorted by month).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HijriCalendar {
    corrections: Vec<HijriCorrection>,
}

fn rata_die(d: NaiveDate) -> RataDie {
    RataDie::new(d.num_days_from_ce() as i64)
}

fn naive(rd: RataDie) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(rd.to_i64_date() as i32).expect("date in range")
}

fn next_month(year: i32, month: u8) -> (i32, u8) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

fn previous_month(year: i32, month: u8) -> (i32, u8) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

impl HijriCalendar {
    /// Sets how many days (-1, 0 or +1) month `month` of `year` starts after the computed date.
    pub fn set_correction(&mut self, year: i32, month: u8, shift: i8) -> Result<()> {
        if !(1..=12).contains(&month) || !(1300..=1600).contains(&year) {
            return Err(Error::invalid("hijri_month", Rule::OutOfRange));
        }
        if !(-1..=1).contains(&shift) {
            return Err(Error::invalid("hijri_correction", Rule::OutOfRange));
        }
        self.corrections.retain(|c| (c.year, c.month) != (year, month));
        if shift != 0 {
            self.corrections.push(HijriCorrection { year, month, shift });
            self.corrections.sort_by_key(|c| (c.year, c.month));
        }
        Ok(())
    }

    pub fn correction(&self, year: i32, month: u8) -> i8 {
        self.corrections.iter().find(|c| (c.year, c.month) == (year, month)).map(|c| c.shift).unwrap_or(0)
    }

    pub fn corrections(&self) -> &[HijriCorrection] {
        &self.corrections
    }

    /// The Gregorian day on which Hijri month `month` of `year` starts in Morocco.
    pub fn month_start(&self, year: i32, month: u8) -> Result<NaiveDate> {
        let computed = Date::try_new_hijri_with_calendar(year, month, 1, Hijri::new_umm_al_qura())
            .map_err(|_| Error::invalid("hijri_month", Rule::OutOfRange))?;
        let start = naive(computed.to_rata_die());
        let shift = self.correction(year, month);
        Ok(match shift {
            1 => start + Days::new(1),
            -1 => start - Days::new(1),
            _ => start,
        })
    }

    /// The Hijri date of a Gregorian day, with the corrections applied.
    pub fn to_hijri(&self, d: NaiveDate) -> HijriDate {
        let computed = Date::from_rata_die(rata_die(d), Hijri::new_umm_al_qura());
        let here = (computed.era_year().extended_year, computed.month().ordinal);
        // A correction moves a month boundary by a day: the day may belong to the next month
        // (next month starts early) or the previous one (this month starts late).
        for (y, m) in [next_month(here.0, here.1), here, previous_month(here.0, here.1)] {
            if let Ok(start) = self.month_start(y, m) {
                if start <= d {
                    let day = (d - start).num_days() + 1;
                    return HijriDate { year: y, month: m, day: day as u8 };
                }
            }
        }
        HijriDate { year: here.0, month: here.1, day: computed.day_of_month().0 }
    }

    /// The Gregorian day of a Hijri date, with the corrections applied.
    pub fn from_hijri(&self, year: i32, month: u8, day: u8) -> Result<NaiveDate> {
        let start = self.month_start(year, month)?;
        let (ny, nm) = next_month(year, month);
        let next = self.month_start(ny, nm)?;
        let d = start + Days::new(day.saturating_sub(1) as u64);
        if day == 0 || d >= next {
            return Err(Error::invalid("hijri_day", Rule::OutOfRange));
        }
        Ok(d)
    }

    /// Every Gregorian day of the Hijri year that begins in Gregorian `gregorian_year` or the
    /// one before, for the given (month, day): used to place lunar holidays in a Gregorian year.
    pub fn days_in_gregorian_year(&self, gregorian_year: i32, month: u8, day: u8) -> Vec<NaiveDate> {
        let Some(probe) = NaiveDate::from_ymd_opt(gregorian_year, 1, 1) else { return Vec::new() };
        let first = self.to_hijri(probe).year;
        (first..=first + 1)
            .filter_map(|y| self.from_hijri(y, month, day).ok())
            .filter(|d| d.year() == gregorian_year)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn known_umm_al_qura_dates() {
        let cal = HijriCalendar::default();
        // 1 Ramadan 1439 = 16 May 2018 (Umm al-Qura); 25 April 2018 = 9 Sha'ban 1439.
        assert_eq!(cal.to_hijri(ymd(2018, 5, 16)), HijriDate { year: 1439, month: 9, day: 1 });
        assert_eq!(cal.to_hijri(ymd(2018, 4, 25)), HijriDate { year: 1439, month: 8, day: 9 });
        assert_eq!(cal.from_hijri(1439, 9, 1).unwrap(), ymd(2018, 5, 16));
        for offset in 0..800 {
            let d = ymd(2017, 1, 1) + Days::new(offset);
            let h = cal.to_hijri(d);
            assert_eq!(cal.from_hijri(h.year, h.month, h.day).unwrap(), d, "{d}");
        }
    }

    #[test]
    fn a_moroccan_month_starts_a_day_later() {
        let mut cal = HijriCalendar::default();
        // Morocco started Ramadan 1439 on 17 May 2018, a day after Umm al-Qura.
        cal.set_correction(1439, 9, 1).unwrap();
        assert_eq!(cal.to_hijri(ymd(2018, 5, 16)), HijriDate { year: 1439, month: 8, day: 30 });
        assert_eq!(cal.to_hijri(ymd(2018, 5, 17)), HijriDate { year: 1439, month: 9, day: 1 });
        assert_eq!(cal.from_hijri(1439, 9, 1).unwrap(), ymd(2018, 5, 17));
        // Shawwal a day later too: Ramadan keeps its 30 days, Eid moves with it.
        cal.set_correction(1439, 10, 1).unwrap();
        let eid = cal.from_hijri(1439, 10, 1).unwrap();
        assert_eq!(cal.to_hijri(eid - Days::new(1)), HijriDate { year: 1439, month: 9, day: 30 });
        // A month starting a day earlier takes the last day of the month before.
        cal.set_correction(1440, 1, -1).unwrap();
        let new_year = cal.month_start(1440, 1).unwrap();
        assert_eq!(cal.to_hijri(new_year), HijriDate { year: 1440, month: 1, day: 1 });
        assert_eq!(cal.to_hijri(new_year - Days::new(1)).month, 12);
        assert!(cal.from_hijri(1439, 12, 30).is_err() || cal.from_hijri(1439, 12, 30).unwrap() < new_year);
    }

    #[test]
    fn impossible_corrections_are_refused() {
        let mut cal = HijriCalendar::default();
        assert_eq!(cal.set_correction(1447, 9, 2).unwrap_err().field(), Some("hijri_correction"));
        assert_eq!(cal.set_correction(1447, 13, 1).unwrap_err().field(), Some("hijri_month"));
        cal.set_correction(1447, 9, 1).unwrap();
        cal.set_correction(1447, 9, 0).unwrap();
        assert_eq!(cal, HijriCalendar::default());
    }

    #[test]
    fn written_in_arabic_and_french() {
        let h = HijriDate { year: 1439, month: 8, day: 9 };
        assert_eq!(h.display(Lang::Ar), "9 شعبان 1439 هـ");
        assert_eq!(h.display(Lang::Fr), "9 chaabane 1439 H");
    }
}
