//! Morocco's Hijri months: every month of the shipped data reproduced by the calendar and its
//! holidays, and the forecast's back-test on the announced months (printed with
//! `cargo test -p taawun-core --test hijri_months -- --nocapture`; the README reports it).

use chrono::{Days, NaiveDate};
use taawun_core::calendar::crescent::{best_sighting, Zone};
use taawun_core::calendar::{announced_months, Basis, HijriCalendar, HolidayRules};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn every_announced_month_starts_on_its_day() {
    let cal = HijriCalendar::default();
    let rules = HolidayRules::default();
    for a in announced_months().values() {
        let m = cal.month(a.year, a.month).unwrap();
        assert_eq!((m.starts, m.basis), (a.starts, Basis::Announced), "{}-{}", a.year, a.month);
        let (h, basis) = cal.to_hijri_with_basis(a.starts);
        assert_eq!((h.year, h.month, h.day, basis), (a.year, a.month, 1, Basis::Announced), "{}", a.starts);
        // The lunar holidays of the month fall on their announced days, and say they are not forecasts.
        let holidays: &[(u8, u8, &str)] = &[
            (1, 1, "holiday.hijri_new_year"),
            (3, 12, "holiday.mawlid"),
            (10, 1, "holiday.eid_al_fitr"),
            (12, 10, "holiday.eid_al_adha"),
        ];
        for &(month, day, key) in holidays.iter().filter(|h| h.0 == a.month) {
            let date = a.starts + Days::new(u64::from(day) - 1);
            let of_year = rules.holidays_of(chrono::Datelike::year(&date));
            let found = of_year.iter().find(|h| h.date == date).unwrap_or_else(|| panic!("{key} {date}"));
            assert_eq!((found.name_key.as_str(), found.forecast), (key, None), "{}-{month}", a.year);
        }
    }
}

#[test]
fn a_delay_across_eid_al_adha_1445_counts_moroccos_days() {
    // The session closed on Friday 7 June 2024; Eid al-Adha was Monday 17 and Tuesday 18 June in
    // Morocco (Umm al-Qura: 16 and 17). Art. 107's ten working days end on Tuesday 25 June.
    let rules = HolidayRules::default();
    assert_eq!(rules.add_working_days(ymd(2024, 6, 7), 10), ymd(2024, 6, 25));
    assert!(rules.is_working_day(ymd(2024, 6, 19)));
    assert!(!rules.is_working_day(ymd(2024, 6, 18)));
}

/// One month of the back-test: the forecast from the month before (as announced) against the day
/// the Ministry announced.
struct Trial {
    year: i32,
    month: u8,
    announced: NaiveDate,
    forecast: NaiveDate,
    zone: Option<Zone>,
    v: Option<f64>,
    site: &'static str,
}

fn back_test(visible: Zone) -> Vec<Trial> {
    let months = announced_months();
    let mut trials = Vec::new();
    for a in months.values() {
        let before = if a.month == 1 { (a.year - 1, 12) } else { (a.year, a.month - 1) };
        let Some(b) = months.get(&before) else { continue };
        let evening = b.starts + Days::new(28);
        let sighting = best_sighting(evening);
        let seen = sighting.is_some_and(|s| s.zone >= visible);
        let forecast = b.starts + Days::new(if seen { 29 } else { 30 });
        trials.push(Trial {
            year: a.year,
            month: a.month,
            announced: a.starts,
            forecast,
            zone: sighting.map(|s| s.zone),
            v: sighting.map(|s| s.v),
            site: sighting.map(|s| s.site).unwrap_or("-"),
        });
    }
    trials
}

#[test]
fn the_forecast_back_tested_on_the_announced_months() {
    for zone in [Zone::A, Zone::B] {
        let trials = back_test(zone);
        let hits = trials.iter().filter(|t| t.forecast == t.announced).count();
        println!(
            "zone {zone:?} or better counted as seen: {hits} of {} month starts right ({:.0} %)",
            trials.len(),
            100.0 * hits as f64 / trials.len() as f64
        );
        for t in trials.iter().filter(|t| t.forecast != t.announced) {
            println!(
                "  miss {}-{:02}: announced {}, forecast {} (best: {} V={:.2} zone {:?})",
                t.year,
                t.month,
                t.announced,
                t.forecast,
                t.site,
                t.v.unwrap_or(f64::NAN),
                t.zone
            );
        }
    }
    let trials = back_test(taawun_core::calendar::crescent::VISIBLE);
    let hits = trials.iter().filter(|t| t.forecast == t.announced).count();
    assert!(trials.len() >= 30, "{} months with their month before announced", trials.len());
    assert!(hits * 10 >= trials.len() * 9, "{hits} of {}: below 90 %", trials.len());
}
