//! Hijri dates as Morocco keeps them, beside the Gregorian date of official documents.
//!
//! Morocco starts each month when the crescent is seen over the Kingdom, as the Ministry of
//! Habous and Islamic Affairs announces it; no computed calendar (Umm al-Qura is Saudi Arabia's)
//! gives those days. A month's first day comes, in this order, from what the officer entered
//! (confirming or moving a month), from the months the Ministry announced (shipped data,
//! `announced.rs`), or from the forecast: the nearest known month before it, then each month
//! ending on its 29th if the crescent will be seen that evening (`crescent.rs`), else on its
//! 30th. Before the first known month the same rule runs backwards. Every answer says which of
//! the three it rests on (`Basis`), so a date that rests on a forecast can say so.

use super::announced::announced_months;
use super::crescent::seen_in_morocco;
use crate::error::{Error, Result, Rule};
use crate::i18n::{tr, Lang};
use chrono::{Days, NaiveDate};
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

/// What a month's first day rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The officer confirmed or moved it.
    Officer,
    /// The Ministry announced it (shipped data, with its source).
    Announced,
    /// Forecast from the crescent's visibility: not yet announced.
    Forecast,
}

impl Basis {
    pub fn is_forecast(self) -> bool {
        self == Basis::Forecast
    }

    /// Its name as serialized and in the translation keys (`calendar.basis.announced`).
    pub fn key(self) -> &'static str {
        match self {
            Basis::Officer => "officer",
            Basis::Announced => "announced",
            Basis::Forecast => "forecast",
        }
    }
}

/// A Hijri month's first day in Morocco and what it rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MonthStart {
    pub year: i32,
    pub month: u8,
    pub starts: NaiveDate,
    pub basis: Basis,
}

impl MonthStart {
    /// Where an announced month's first day was reported (the press's address of the
    /// Ministry's communiqué, from the data file); none for a forecast or the officer's entry.
    pub fn source(&self) -> Option<&'static str> {
        (self.basis == Basis::Announced)
            .then(|| super::announced_months().get(&(self.year, self.month)).map(|a| a.source))
            .flatten()
    }
}

/// A month whose first day the officer set (the Ministry's announcement, entered by hand).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerMonth {
    pub year: i32,
    pub month: u8,
    pub starts: NaiveDate,
}

/// A correction as Taawun stored it before it knew Morocco's months: a shift of -1, 0 or +1
/// day from the Umm al-Qura calendar. Read once and turned into the day it meant.
#[derive(Clone, Copy, Debug, Deserialize)]
struct UmmAlQuraShift {
    year: i32,
    month: u8,
    shift: i8,
}

#[derive(Deserialize)]
struct StoredCalendar {
    #[serde(default)]
    months: Vec<OfficerMonth>,
    #[serde(default)]
    corrections: Vec<UmmAlQuraShift>,
}

/// Morocco's Hijri calendar: the months the officer set over the announced ones and the forecast.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StoredCalendar")]
pub struct HijriCalendar {
    /// Sorted by month, one entry a month.
    months: Vec<OfficerMonth>,
}

impl TryFrom<StoredCalendar> for HijriCalendar {
    type Error = String;

    fn try_from(stored: StoredCalendar) -> std::result::Result<Self, String> {
        let mut cal = HijriCalendar::default();
        if let Some(c) = stored.corrections.iter().find(|c| !(-1..=1).contains(&c.shift)) {
            return Err(format!("hijri correction of {} days for {}-{}: out_of_range", c.shift, c.year, c.month));
        }
        for c in stored.corrections.iter().filter(|c| c.shift != 0) {
            if let Some(start) = umm_al_qura_start(c.year, c.month) {
                let starts = if c.shift > 0 { start + Days::new(1) } else { start - Days::new(1) };
                cal.put(OfficerMonth { year: c.year, month: c.month, starts });
            }
        }
        for m in stored.months {
            cal.put(m);
        }
        Ok(cal)
    }
}

fn umm_al_qura_start(year: i32, month: u8) -> Option<NaiveDate> {
    use icu_calendar::cal::Hijri;
    let date = icu_calendar::Date::try_new_hijri_with_calendar(year, month, 1, Hijri::new_umm_al_qura()).ok()?;
    NaiveDate::from_num_days_from_ce_opt(date.to_rata_die().to_i64_date() as i32)
}

/// Months counted from Muharram of year 0: consecutive months differ by one.
fn index(year: i32, month: u8) -> i32 {
    year * 12 + month as i32 - 1
}

fn of_index(i: i32) -> (i32, u8) {
    (i.div_euclid(12), (i.rem_euclid(12) + 1) as u8)
}

/// The years Taawun reckons (AH 1300–1630, 1882–2203): every day a date field accepts
/// (`partial::YEAR_MIN`..=`YEAR_MAX`, 1900–2200) has its Hijri date.
const YEARS: std::ops::RangeInclusive<i32> = 1300..=1630;

fn check_month(year: i32, month: u8) -> Result<()> {
    if !(1..=12).contains(&month) || !YEARS.contains(&year) {
        return Err(Error::invalid("hijri_month", Rule::OutOfRange));
    }
    Ok(())
}

/// A mean lunation, to find the month a day falls in before checking its neighbours.
const MEAN_MONTH_DAYS: f64 = 29.530_589;

impl HijriCalendar {
    fn put(&mut self, m: OfficerMonth) {
        self.months.retain(|x| (x.year, x.month) != (m.year, m.month));
        self.months.push(m);
        self.months.sort_by_key(|x| (x.year, x.month));
    }

    /// The months the officer set, by month.
    pub fn officer_months(&self) -> &[OfficerMonth] {
        &self.months
    }

    /// Records that month `month` of `year` started on `starts` in Morocco (the officer confirms
    /// the forecast or enters the Ministry's announcement). A first day more than two days from
    /// the forecast or the announced day is refused: it is another month.
    pub fn set_month_start(&mut self, year: i32, month: u8, starts: NaiveDate) -> Result<MonthStart> {
        check_month(year, month)?;
        let without_officer = {
            let mut c = self.clone();
            c.months.retain(|x| (x.year, x.month) != (year, month));
            c.month(year, month)?
        };
        if (starts - without_officer.starts).num_days().abs() > 2 {
            return Err(Error::invalid("hijri_month_start", Rule::OutOfRange));
        }
        self.put(OfficerMonth { year, month, starts });
        self.month(year, month)
    }

    /// Moves month `month` of `year` by `shift` days (-1, 0 or +1) from the day Taawun has for it
    /// now (announced or forecast); 0 confirms that day.
    pub fn shift_month(&mut self, year: i32, month: u8, shift: i8) -> Result<MonthStart> {
        check_month(year, month)?;
        if !(-1..=1).contains(&shift) {
            return Err(Error::invalid("hijri_correction", Rule::OutOfRange));
        }
        let now = self.month(year, month)?.starts;
        let starts = if shift >= 0 { now + Days::new(shift as u64) } else { now - Days::new(1) };
        self.set_month_start(year, month, starts)
    }

    /// Forgets what the officer entered for a month: it is announced or forecast again.
    pub fn clear_month(&mut self, year: i32, month: u8) {
        self.months.retain(|x| (x.year, x.month) != (year, month));
    }

    fn known(&self, i: i32) -> Option<(NaiveDate, Basis)> {
        let (year, month) = of_index(i);
        if let Some(m) = self.months.iter().find(|m| (m.year, m.month) == (year, month)) {
            return Some((m.starts, Basis::Officer));
        }
        announced_months().get(&(year, month)).map(|a| (a.starts, Basis::Announced))
    }

    /// The nearest known month before `i` (officer's or announced), as (index, first day).
    fn known_before(&self, i: i32) -> Option<(i32, NaiveDate)> {
        let (year, month) = of_index(i);
        let announced =
            announced_months().range(..(year, month)).next_back().map(|(&(y, m), a)| (index(y, m), a.starts));
        let officer = self.months.iter().rev().map(|m| (index(m.year, m.month), m.starts)).find(|&(j, _)| j < i);
        match (announced, officer) {
            (Some(a), Some(o)) => Some(if o.0 >= a.0 { o } else { a }),
            (a, o) => a.or(o),
        }
    }

    /// The nearest known month after `i`.
    fn known_after(&self, i: i32) -> Option<(i32, NaiveDate)> {
        let (year, month) = of_index(i);
        let announced = announced_months()
            .range((std::ops::Bound::Excluded((year, month)), std::ops::Bound::Unbounded))
            .next()
            .map(|(&(y, m), a)| (index(y, m), a.starts));
        let officer = self.months.iter().map(|m| (index(m.year, m.month), m.starts)).find(|&(j, _)| j > i);
        match (announced, officer) {
            (Some(a), Some(o)) => Some(if o.0 <= a.0 { o } else { a }),
            (a, o) => a.or(o),
        }
    }

    /// Month `month` of `year`: its first day in Morocco and what that rests on.
    pub fn month(&self, year: i32, month: u8) -> Result<MonthStart> {
        check_month(year, month)?;
        let i = index(year, month);
        let (starts, basis) = match self.known(i) {
            Some(known) => known,
            None => (self.forecast(i), Basis::Forecast),
        };
        Ok(MonthStart { year, month, starts, basis })
    }

    /// The forecast first day of month `i`, from the nearest known month (or, with none known,
    /// from the crescent alone around the mean lunation).
    fn forecast(&self, i: i32) -> NaiveDate {
        if let Some((j, mut starts)) = self.known_before(i) {
            for _ in j..i {
                starts = next_month_starts(starts);
            }
            return starts;
        }
        let (j, mut starts) = self.known_after(i).unwrap_or((index(ANCHOR_MONTH.0, ANCHOR_MONTH.1), ANCHOR));
        for _ in i..j {
            starts = previous_month_starts(starts);
        }
        starts
    }

    /// The Gregorian day on which Hijri month `month` of `year` starts in Morocco.
    pub fn month_start(&self, year: i32, month: u8) -> Result<NaiveDate> {
        Ok(self.month(year, month)?.starts)
    }

    /// The Hijri date of a Gregorian day in Morocco, and what it rests on: a forecast when its
    /// month's first day is forecast, or when it is a 30th that a month forecast to begin the
    /// day after could yet take.
    pub fn to_hijri_with_basis(&self, d: NaiveDate) -> (HijriDate, Basis) {
        let anchor = index(ANCHOR_MONTH.0, ANCHOR_MONTH.1);
        let estimate = anchor + ((d - ANCHOR).num_days() as f64 / MEAN_MONTH_DAYS).floor() as i32;
        let lowest = index(*YEARS.start(), 1);
        let highest = index(*YEARS.end(), 12);
        let start = |i: i32| {
            let (y, m) = of_index(i);
            self.month(y, m).expect("month in range")
        };
        // Each month's first day is worked out once, walking from the estimate to the month that
        // holds `d` (at most a step or two: the estimate is a mean lunation away at worst).
        let mut i = estimate.clamp(lowest, highest);
        let mut this = start(i);
        while i > lowest && this.starts > d {
            i -= 1;
            this = start(i);
        }
        let mut next = (i < highest).then(|| start(i + 1));
        while let Some(n) = next.filter(|n| n.starts <= d) {
            i += 1;
            this = n;
            next = (i < highest).then(|| start(i + 1));
        }
        let day = (d - this.starts).num_days() + 1;
        let next_forecast = next.is_some_and(|n| n.basis.is_forecast());
        let basis = if day >= 30 && next_forecast { Basis::Forecast } else { this.basis };
        (HijriDate { year: this.year, month: this.month, day: day.clamp(1, 30) as u8 }, basis)
    }

    /// The Hijri date of a Gregorian day in Morocco.
    pub fn to_hijri(&self, d: NaiveDate) -> HijriDate {
        self.to_hijri_with_basis(d).0
    }

    /// The Gregorian day of a Hijri date in Morocco.
    pub fn from_hijri(&self, year: i32, month: u8, day: u8) -> Result<NaiveDate> {
        let start = self.month_start(year, month)?;
        let next = if month == 12 { self.month_start(year + 1, 1) } else { self.month_start(year, month + 1) };
        let d = start + Days::new(day.saturating_sub(1) as u64);
        if day == 0 || next.is_ok_and(|next| d >= next) || day > 30 {
            return Err(Error::invalid("hijri_day", Rule::OutOfRange));
        }
        Ok(d)
    }

    /// Every Gregorian day of `gregorian_year` that is (month, day) of some Hijri year, with the
    /// month it rests on: used to place lunar holidays in a Gregorian year.
    pub fn days_in_gregorian_year(&self, gregorian_year: i32, month: u8, day: u8) -> Vec<(NaiveDate, MonthStart)> {
        let Some(probe) = NaiveDate::from_ymd_opt(gregorian_year, 1, 1) else { return Vec::new() };
        let first = self.to_hijri(probe).year;
        (first..=first + 1)
            .filter_map(|y| Some((self.from_hijri(y, month, day).ok()?, self.month(y, month).ok()?)))
            .filter(|(d, _)| chrono::Datelike::year(d) == gregorian_year)
            .collect()
    }
}

/// A month whose first day is known without the data: 1 Muharram 1446 (7 July 2024, as the
/// Ministry announced it). The estimate of the month a day falls in counts from it, and the
/// forecast starts from it when no month is known at all.
const ANCHOR_MONTH: (i32, u8) = (1446, 1);
const ANCHOR: NaiveDate = match NaiveDate::from_ymd_opt(2024, 7, 7) {
    Some(d) => d,
    None => panic!("a real day"),
};

/// The first day of the month after one that began on `starts`: its 29th's evening decides.
fn next_month_starts(starts: NaiveDate) -> NaiveDate {
    if seen_in_morocco(starts + Days::new(28)) {
        starts + Days::new(29)
    } else {
        starts + Days::new(30)
    }
}

/// The first day of the month before one that began on `starts`: 29 days before if the crescent
/// was to be seen the evening before `starts` (that month's 29th), else 30.
fn previous_month_starts(starts: NaiveDate) -> NaiveDate {
    if seen_in_morocco(starts - Days::new(1)) {
        starts - Days::new(29)
    } else {
        starts - Days::new(30)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_days_morocco_announced() {
        let cal = HijriCalendar::default();
        // Eid al-Adha 1445 was Monday 17 June 2024 in Morocco (Umm al-Qura: Sunday 16).
        assert_eq!(cal.from_hijri(1445, 12, 10).unwrap(), ymd(2024, 6, 17));
        assert_eq!(
            cal.to_hijri_with_basis(ymd(2024, 6, 17)),
            (HijriDate { year: 1445, month: 12, day: 10 }, Basis::Announced)
        );
        // Ramadan 1439 began on Thursday 17 May 2018 (a day after Umm al-Qura).
        assert_eq!(cal.to_hijri(ymd(2018, 5, 17)), HijriDate { year: 1439, month: 9, day: 1 });
        assert_eq!(cal.to_hijri(ymd(2018, 5, 16)), HijriDate { year: 1439, month: 8, day: 29 });
        for offset in 0..4000 {
            let d = ymd(2013, 1, 1) + Days::new(offset);
            let h = cal.to_hijri(d);
            assert_eq!(cal.from_hijri(h.year, h.month, h.day).unwrap(), d, "{d}");
        }
    }

    #[test]
    fn months_not_yet_announced_are_forecast_and_last_29_or_30_days() {
        let cal = HijriCalendar::default();
        let mut previous = cal.month(1448, 1).unwrap();
        for i in index(1448, 2)..index(1452, 1) {
            let (y, m) = of_index(i);
            let this = cal.month(y, m).unwrap();
            if !announced_months().contains_key(&(y, m)) {
                assert_eq!(this.basis, Basis::Forecast);
            }
            let days = (this.starts - previous.starts).num_days();
            assert!(days == 29 || days == 30, "{y}-{m}: {days}");
            previous = this;
        }
    }

    #[test]
    fn the_officer_confirms_or_moves_a_month() {
        let mut cal = HijriCalendar::default();
        let forecast = cal.month(1449, 9).unwrap();
        assert_eq!(forecast.basis, Basis::Forecast);
        let moved = cal.shift_month(1449, 9, 1).unwrap();
        assert_eq!((moved.starts, moved.basis), (forecast.starts + Days::new(1), Basis::Officer));
        assert_eq!(cal.to_hijri(forecast.starts).month, 8, "the day before the moved start is in Sha'ban");
        // The months after it follow from the moved one.
        let shawwal = cal.month(1449, 10).unwrap();
        assert!((shawwal.starts - moved.starts).num_days() >= 29);
        assert_eq!(
            cal.set_month_start(1449, 9, forecast.starts + Days::new(5)).unwrap_err().field(),
            Some("hijri_month_start")
        );
        cal.clear_month(1449, 9);
        assert_eq!(cal, HijriCalendar::default());
        // An officer's day overrides an announced one.
        cal.set_month_start(1445, 12, ymd(2024, 6, 7)).unwrap();
        assert_eq!(cal.from_hijri(1445, 12, 10).unwrap(), ymd(2024, 6, 16));
    }

    #[test]
    fn corrections_stored_by_an_older_taawun_keep_the_day_they_meant() {
        // Stored as "Shawwal 1447 one day after Umm al-Qura" (Umm al-Qura: 20 March 2026).
        let old: HijriCalendar =
            serde_json::from_str(r#"{"corrections":[{"year":1447,"month":10,"shift":1}]}"#).unwrap();
        assert_eq!(
            old.month(1447, 10).unwrap(),
            MonthStart { year: 1447, month: 10, starts: ymd(2026, 3, 21), basis: Basis::Officer }
        );
        let again: HijriCalendar = serde_json::from_str(&serde_json::to_string(&old).unwrap()).unwrap();
        assert_eq!(again, old);
    }

    #[test]
    fn impossible_months_are_refused() {
        let mut cal = HijriCalendar::default();
        assert_eq!(cal.shift_month(1447, 9, 2).unwrap_err().field(), Some("hijri_correction"));
        assert_eq!(cal.shift_month(1447, 13, 1).unwrap_err().field(), Some("hijri_month"));
        assert_eq!(cal.month(1200, 1).unwrap_err().field(), Some("hijri_month"));
        assert!(cal.from_hijri(1445, 12, 31).is_err());
    }

    #[test]
    fn every_day_a_date_field_accepts_has_its_hijri_date() {
        use super::super::partial::{YEAR_MAX, YEAR_MIN};
        let cal = HijriCalendar::default();
        for d in [ymd(YEAR_MIN, 1, 1), ymd(YEAR_MAX, 12, 31)] {
            let h = cal.to_hijri(d);
            assert_eq!(cal.from_hijri(h.year, h.month, h.day).unwrap(), d, "{d}: {h:?}");
        }
    }

    #[test]
    fn a_basis_is_named_as_serialized() {
        for b in [Basis::Officer, Basis::Announced, Basis::Forecast] {
            assert_eq!(serde_json::to_value(b).unwrap(), b.key());
        }
    }

    #[test]
    fn written_in_arabic_and_french() {
        let h = HijriDate { year: 1439, month: 8, day: 9 };
        assert_eq!(h.display(Lang::Ar), "9 شعبان 1439 هـ");
        assert_eq!(h.display(Lang::Fr), "9 chaabane 1439 H");
    }
}
