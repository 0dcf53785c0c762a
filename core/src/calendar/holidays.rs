//! Moroccan public holidays and working days, for legal delays ("10 working days after the
//! session"). The list is data the user can edit (`HolidayRules`): fixed Gregorian days and
//! Islamic days placed with Morocco's Hijri calendar. A lunar holiday in a month not yet
//! announced is a forecast, and says so (`Holiday::forecast`), as does every delay counted
//! across one (`WorkingDays::forecasts_between`).

use super::hijri::{HijriCalendar, MonthStart};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FixedHoliday {
    pub month: u32,
    pub day: u32,
    pub name_key: String,
    /// The first year it was a holiday (the Amazigh new year became one in 2024).
    #[serde(default)]
    pub from_year: Option<i32>,
    /// The last year it was one; a one-off day off granted by decree has `from_year ==
    /// until_year` (e.g. Monday 24 April 2023, the day after Eid al-Fitr).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_year: Option<i32>,
}

impl FixedHoliday {
    fn in_year(&self, year: i32) -> Option<NaiveDate> {
        if self.from_year.is_some_and(|y| year < y) || self.until_year.is_some_and(|y| year > y) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HijriHoliday {
    pub month: u8,
    pub day: u8,
    pub name_key: String,
}

/// A Hijri month not yet announced that a date rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ForecastMonth {
    pub year: i32,
    pub month: u8,
    /// The forecast first day, which the officer confirms or moves when the Ministry announces.
    pub starts: NaiveDate,
}

/// A public holiday on its day; a lunar one whose month is still a forecast names that month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name_key: String,
    pub forecast: Option<ForecastMonth>,
}

/// A forecast lunar holiday a date depends on ("the forecast date of Eid al-Adha 1448").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ForecastHoliday {
    pub name_key: String,
    pub month: ForecastMonth,
}

impl ForecastHoliday {
    /// "the forecast date of Eid al-Adha 1448" / "تاريخ عيد الأضحى 1448 المتوقع".
    pub fn describe(&self, lang: crate::Lang) -> String {
        // French elides and contracts ("de l'Aïd al-Adha", "du Nouvel An de l'Hégire"): the
        // built-in holidays have their "of" form, a holiday the officer named gets "de …".
        let of = self.name_key.strip_prefix("holiday.").map(|k| format!("holiday_of.{k}"));
        let holiday = match of {
            Some(of) if crate::i18n::has(lang, &of) => crate::i18n::tr(lang, &of),
            _ => crate::i18n::tr_args(
                lang,
                "calendar.holiday_of_other",
                &[("holiday", &holiday_name(&self.name_key, lang))],
            ),
        };
        crate::i18n::tr_args(
            lang,
            "calendar.forecast_holiday",
            &[("holiday", &holiday), ("year", &self.month.year.to_string())],
        )
    }
}

/// "Depends on the forecast date of Eid al-Adha 1448 AH." for a delay that crosses these
/// holidays (None when it crosses none): the one sentence the CLI, the due list and the calendar
/// file say.
pub fn depends_on(forecasts: &[ForecastHoliday], lang: crate::Lang) -> Option<String> {
    if forecasts.is_empty() {
        return None;
    }
    let what: Vec<String> = forecasts.iter().map(|f| f.describe(lang)).collect();
    let separator = crate::i18n::tr(lang, "calendar.separator");
    Some(crate::i18n::tr_args(lang, "calendar.depends_on", &[("what", &what.join(&separator))]))
}

fn forecast_of(month: &MonthStart) -> Option<ForecastMonth> {
    month.basis.is_forecast().then_some(ForecastMonth { year: month.year, month: month.month, starts: month.starts })
}

/// Which days are not working days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HolidayRules {
    pub fixed: Vec<FixedHoliday>,
    pub hijri: Vec<HijriHoliday>,
    pub hijri_calendar: HijriCalendar,
    /// The built-in revision these rules include (0: saved before revisions were kept).
    #[serde(default)]
    pub revision: u32,
}

impl HolidayRules {
    /// Checks rules edited by the user: real days of real months, corrections in -1..=1.
    pub fn validate(&self) -> crate::Result<()> {
        use crate::error::{Error, Rule};
        for f in &self.fixed {
            crate::text::line("holiday_name", &f.name_key, true)?;
            if NaiveDate::from_ymd_opt(2024, f.month, f.day).is_none() {
                return Err(Error::invalid("holiday_date", Rule::BadDate));
            }
            if let (Some(from), Some(until)) = (f.from_year, f.until_year) {
                if until < from {
                    return Err(Error::invalid("holiday_date", Rule::EndBeforeStart));
                }
            }
        }
        for h in &self.hijri {
            crate::text::line("holiday_name", &h.name_key, true)?;
            if !(1..=12).contains(&h.month) || !(1..=30).contains(&h.day) {
                return Err(Error::invalid("hijri_day", Rule::OutOfRange));
            }
        }
        let mut check = HijriCalendar::default();
        for m in self.hijri_calendar.officer_months() {
            check.set_month_start(m.year, m.month, m.starts)?;
        }
        Ok(())
    }

    /// The holidays falling in a Gregorian year, sorted, with their name keys.
    pub fn holidays_in(&self, year: i32) -> Vec<(NaiveDate, String)> {
        self.holidays_of(year).into_iter().map(|h| (h.date, h.name_key)).collect()
    }

    /// The holidays of a Gregorian year, sorted, each lunar one with the forecast month it rests
    /// on (if its month is not announced yet).
    pub fn holidays_of(&self, year: i32) -> Vec<Holiday> {
        let mut out: Vec<Holiday> = self
            .fixed
            .iter()
            .filter_map(|f| f.in_year(year).map(|date| Holiday { date, name_key: f.name_key.clone(), forecast: None }))
            .collect();
        for h in &self.hijri {
            for (date, month) in self.hijri_calendar.days_in_gregorian_year(year, h.month, h.day) {
                out.push(Holiday { date, name_key: h.name_key.clone(), forecast: forecast_of(&month) });
            }
        }
        out.sort_by(|a, b| (a.date, &a.name_key).cmp(&(b.date, &b.name_key)));
        out.dedup_by_key(|h| h.date);
        out
    }

    pub fn holiday(&self, d: NaiveDate) -> Option<String> {
        if let Some(f) = self.fixed.iter().find(|f| f.in_year(d.year()) == Some(d)) {
            return Some(f.name_key.clone());
        }
        let h = self.hijri_calendar.to_hijri(d);
        self.hijri.iter().find(|x| x.month == h.month && x.day == h.day).map(|x| x.name_key.clone())
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && self.holiday(d).is_none()
    }

    /// The `n`-th working day after `d` (the legal "within n working days after d").
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        WorkingDays::new(self).add(d, n)
    }
}

/// A holiday's name in `lang`: the built-in ones are translation keys (`holiday.throne_day`); a
/// holiday the user added carries its name as typed.
pub fn holiday_name(key: &str, lang: crate::Lang) -> String {
    if key.starts_with("holiday.") {
        crate::i18n::tr(lang, key)
    } else {
        key.to_string()
    }
}

/// The working days of a span of years, computed once: legal deadlines for thousands of
/// deliberations look up a set instead of converting each day to the Hijri calendar.
pub struct WorkingDays<'a> {
    rules: &'a HolidayRules,
    years: std::cell::RefCell<std::collections::HashMap<i32, YearOff>>,
}

/// A year's days off, made once from `HolidayRules::holidays_of`: the days, and the forecast
/// lunar ones among them with the month they rest on.
struct YearOff {
    days: std::collections::HashSet<NaiveDate>,
    forecast: Vec<Holiday>,
}

impl<'a> WorkingDays<'a> {
    pub fn new(rules: &'a HolidayRules) -> Self {
        WorkingDays { rules, years: Default::default() }
    }

    fn with_year<T>(&self, year: i32, read: impl FnOnce(&YearOff) -> T) -> T {
        let mut years = self.years.borrow_mut();
        let off = years.entry(year).or_insert_with(|| {
            let holidays = self.rules.holidays_of(year);
            let days = holidays.iter().map(|h| h.date).collect();
            YearOff { days, forecast: holidays.into_iter().filter(|h| h.forecast.is_some()).collect() }
        });
        read(off)
    }

    /// The forecast lunar holidays a delay counted from `from` to `due` depends on: those from
    /// `from` to the day after `due` (a holiday a day later or earlier than forecast could move
    /// the due date), each named once.
    pub fn forecasts_between(&self, from: NaiveDate, due: NaiveDate) -> Vec<ForecastHoliday> {
        let until = due + Days::new(1);
        let mut out = Vec::new();
        for year in from.year()..=until.year() {
            self.with_year(year, |off| {
                for h in off.forecast.iter().filter(|h| h.date >= from && h.date <= until) {
                    if let Some(month) = h.forecast {
                        out.push(ForecastHoliday { name_key: h.name_key.clone(), month });
                    }
                }
            });
        }
        out.sort();
        out.dedup();
        out
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        !self.with_year(d.year(), |off| off.days.contains(&d))
    }

    /// The `n`-th working day after `d`.
    pub fn add(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        let mut left = n;
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn fixed_and_lunar_holidays_of_2026() {
        let rules = HolidayRules::default();
        let days = rules.holidays_in(2026);
        let has = |d: NaiveDate| days.iter().any(|(x, _)| *x == d);
        for d in [
            ymd(2026, 1, 1),
            ymd(2026, 1, 11),
            ymd(2026, 1, 14),
            ymd(2026, 5, 1),
            ymd(2026, 7, 30),
            ymd(2026, 8, 14),
            ymd(2026, 8, 20),
            ymd(2026, 8, 21),
            ymd(2026, 11, 6),
            ymd(2026, 11, 18),
        ] {
            assert!(has(d), "{d}");
        }
        // Eid al-Fitr 1447 (Umm al-Qura): 1 Shawwal = 20 March 2026.
        assert_eq!(rules.holiday(ymd(2026, 3, 20)).as_deref(), Some("holiday.eid_al_fitr"));
        assert_eq!(rules.holiday(ymd(2026, 3, 21)).as_deref(), Some("holiday.eid_al_fitr"));
        assert_eq!(days.iter().filter(|(_, k)| k == "holiday.eid_al_adha").count(), 2);
        assert_eq!(days.iter().filter(|(_, k)| k == "holiday.mawlid").count(), 2);
    }

    #[test]
    fn unity_day_from_2026_and_rules_saved_before_it_get_it() {
        let rules = HolidayRules::default();
        assert_eq!(rules.holiday(ymd(2026, 10, 31)).as_deref(), Some("holiday.unity_day"));
        assert_eq!(rules.holiday(ymd(2025, 10, 31)), None, "created by decree 2-25-1140, first observed in 2026");
        assert_eq!(rules.holiday(ymd(1999, 7, 30)), None, "Throne Day was 3 March before 2000");
        // Rules saved by an older Taawun (no revision, no 31 October) get it when read.
        let mut old: HolidayRules = serde_json::from_str(&serde_json::to_string(&rules).unwrap()).unwrap();
        old.fixed.retain(|f| f.name_key != "holiday.unity_day");
        old.revision = 0;
        let old: HolidayRules = serde_json::from_value({
            let mut v = serde_json::to_value(&old).unwrap();
            v.as_object_mut().unwrap().remove("revision");
            v
        })
        .unwrap();
        let updated = old.brought_up_to_date();
        assert_eq!(updated.holiday(ymd(2027, 10, 31)).as_deref(), Some("holiday.unity_day"));
        assert_eq!(updated.fixed.iter().filter(|f| (f.month, f.day) == (10, 31)).count(), 1);
        assert_eq!(updated.clone().brought_up_to_date(), updated, "once");
    }

    #[test]
    fn a_one_off_day_off_counts_in_its_year_only() {
        // The Head of Government's one-off days (decree 2-05-916), shipped with their sources.
        let mut rules = HolidayRules::default();
        for d in [ymd(2023, 4, 24), ymd(2024, 4, 12), ymd(2025, 6, 9), ymd(2026, 3, 23)] {
            assert_eq!(rules.holiday(d).as_deref(), Some("holiday.exceptional_day_off"), "{d}");
        }
        assert!(rules.is_working_day(ymd(2024, 4, 24)));
        assert!(rules.is_working_day(ymd(2027, 3, 23)));
        // One the officer adds by hand when the next is announced.
        rules.fixed.push(FixedHoliday {
            month: 5,
            day: 19,
            name_key: "Lendemain de l'Aïd al-Adha".into(),
            from_year: Some(2027),
            until_year: Some(2027),
        });
        rules.validate().unwrap();
        assert!(!rules.is_working_day(ymd(2027, 5, 19)));
        assert!(rules.is_working_day(ymd(2028, 5, 19)));
        rules.fixed.last_mut().unwrap().until_year = Some(2022);
        assert_eq!(rules.validate().unwrap_err().code(), "invalid.end_before_start");
    }

    #[test]
    fn rules_saved_before_the_one_off_days_get_them_and_keep_the_officers_deletions() {
        let mut saved = HolidayRules { revision: 2, ..HolidayRules::default() };
        saved.fixed.retain(|f| f.until_year.is_none() && f.name_key != "holiday.new_year");
        let updated = saved.brought_up_to_date();
        assert_eq!(updated.holiday(ymd(2025, 6, 9)).as_deref(), Some("holiday.exceptional_day_off"));
        assert_eq!(updated.holiday(ymd(2027, 1, 1)), None, "a revision-1 day the officer deleted stays deleted");
        assert_eq!(updated.revision, 3);
    }

    #[test]
    fn a_delay_across_a_two_day_eid_skips_both_days() {
        let rules = HolidayRules::default();
        // Eid al-Fitr 1447, as the Ministry announced it: Friday 20 and Saturday 21 March 2026,
        // and Monday 23 off by the Head of Government's decision. Three working days after
        // Thursday 19 March: Tuesday 24, Wednesday 25, Thursday 26.
        assert_eq!(rules.add_working_days(ymd(2026, 3, 19), 3), ymd(2026, 3, 26));
        // Eid al-Adha 1445: Monday 17 and Tuesday 18 June 2024 in Morocco. Ten working days after
        // a closing on Friday 7 June: 10–14, 19–21, 24 and 25 June.
        assert_eq!(rules.add_working_days(ymd(2024, 6, 7), 10), ymd(2024, 6, 25));
    }

    #[test]
    fn moving_a_month_moves_its_holidays_and_the_delays_across_them() {
        let mut rules = HolidayRules::default();
        rules.hijri_calendar.shift_month(1447, 10, 1).unwrap();
        assert_eq!(rules.holiday(ymd(2026, 3, 20)), None);
        assert_eq!(rules.holiday(ymd(2026, 3, 22)).as_deref(), Some("holiday.eid_al_fitr"));
        // Friday 20 is worked again (Monday 23 stays a one-off day off): Friday 20, Tuesday 24,
        // Wednesday 25.
        assert_eq!(rules.add_working_days(ymd(2026, 3, 19), 3), ymd(2026, 3, 25));
    }

    #[test]
    fn a_delay_across_a_forecast_holiday_names_it_until_the_month_is_confirmed() {
        let mut rules = HolidayRules::default();
        let eid = rules.hijri_calendar.from_hijri(1449, 12, 10).unwrap();
        let forecast = rules.hijri_calendar.month(1449, 12).unwrap();
        assert!(forecast.basis.is_forecast());
        let from = eid - Days::new(3);
        let days = WorkingDays::new(&rules);
        let due = days.add(from, 10);
        let depends = days.forecasts_between(from, due);
        assert_eq!(
            depends,
            vec![ForecastHoliday {
                name_key: "holiday.eid_al_adha".into(),
                month: ForecastMonth { year: 1449, month: 12, starts: forecast.starts }
            }]
        );
        assert_eq!(depends[0].describe(crate::Lang::Fr), "la date prévue de l'Aïd al-Adha 1449 H");
        let named = ForecastHoliday { name_key: "Achoura".into(), ..depends[0].clone() };
        assert_eq!(named.describe(crate::Lang::Fr), "la date prévue de Achoura 1449 H");
        assert_eq!(named.describe(crate::Lang::En), "the forecast date of Achoura 1449 AH");
        // The officer moves the month a day when the Ministry announces: the delay moves with it
        // when the Eid's days change which days are worked, and depends on no forecast any more.
        rules.hijri_calendar.shift_month(1449, 12, 1).unwrap();
        let days = WorkingDays::new(&rules);
        let moved = days.add(from, 10);
        assert!(days.forecasts_between(from, moved).is_empty());
        assert_eq!(rules.holiday(eid + Days::new(1)).as_deref(), Some("holiday.eid_al_adha"));
        assert_eq!(rules.holiday(eid), None);
        assert_eq!(rules.holiday(eid + Days::new(2)).as_deref(), Some("holiday.eid_al_adha"));
        let expected = WorkingDays::new(&rules).add(from, 10);
        assert_eq!(moved, expected);
    }

    #[test]
    fn ten_working_days_after_a_session() {
        let rules = HolidayRules::default();
        // Session closed Friday 12 June 2026: two weekends and 1 Muharram 1448 (Tuesday 16 June,
        // Umm al-Qura) are skipped -> Monday 29 June.
        assert_eq!(rules.holiday(ymd(2026, 6, 16)).as_deref(), Some("holiday.hijri_new_year"));
        assert_eq!(rules.add_working_days(ymd(2026, 6, 12), 10), ymd(2026, 6, 29));
        // Across the Throne Day (Thursday 30 July 2026) and a weekend.
        assert_eq!(rules.add_working_days(ymd(2026, 7, 28), 3), ymd(2026, 8, 3));
        assert!(!rules.is_working_day(ymd(2026, 11, 18)));
        assert!(rules.is_working_day(ymd(2026, 11, 30)));
    }
}
