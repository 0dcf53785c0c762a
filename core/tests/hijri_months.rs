//! Morocco's Hijri months: every month of the shipped data reproduced by the calendar and its
//! holidays, and the forecast's back-test on the announced months (printed with
//! `cargo test -p taawun-core --test hijri_months -- --nocapture`; the README reports it).

mod common;

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

/// Every lunar holiday of an announced month, through the CLI's `workdays` and the store's due
/// list: a delay from the working day before it skips it, and rests on no forecast.
#[test]
fn every_announced_holiday_is_skipped_by_workdays_and_due() {
    let rules = HolidayRules::default();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let mut s = taawun_core::store::Store::open(&db).unwrap();
    let mut expected = Vec::new();
    let firsts: &[(u8, u64)] = &[(1, 1), (3, 12), (10, 1), (12, 10)];
    for a in announced_months().values() {
        let Some(&(_, day)) = firsts.iter().find(|f| f.0 == a.month) else { continue };
        let holiday = a.starts + Days::new(day - 1);
        let mut before = holiday - Days::new(1);
        while !rules.is_working_day(before) {
            before = before - Days::new(1);
        }
        // workdays: one working day after the day before is after the holiday, no forecast.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_taawun-cli"))
            .args(["--db", db.to_str().unwrap(), "--json", "workdays", &before.format("%d/%m/%Y").to_string(), "1"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let next: NaiveDate = v["due"].as_str().unwrap().parse().unwrap();
        assert!(next > holiday, "{}-{}: {before} + 1 working day = {next}", a.year, a.month);
        assert_eq!(v["depends_on"], serde_json::json!([]), "{}-{}", a.year, a.month);
        // due: a session closing that day, its transmission 10 working days later (art. 107).
        let session = common::decided_session(&mut s, before, u32::from(a.month), &format!("نقطة {}", a.month));
        expected.push((session, rules.add_working_days(before, 10), format!("{}-{}", a.year, a.month)));
    }
    assert!(expected.len() >= 20, "{} holidays in announced months", expected.len());
    let due = s.due(ymd(2015, 1, 1), taawun_core::Lang::En).unwrap();
    for (session, date, month) in expected {
        let notify = due.iter().find(|d| d.kind == "notify" && d.id == session).expect("notify");
        assert_eq!(notify.due_on, date.to_string(), "{month}");
        assert!(notify.forecast.is_empty() && !notify.rule.contains("Depends"), "{month}: {}", notify.rule);
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

/// A deadline whose working days cross a lunar holiday still forecast says so in the due list,
/// and moves when the officer records the Ministry's announcement of its month; the months the
/// settings list say what each rests on (an announced month with its press source).
#[test]
fn a_deadline_on_a_forecast_eid_says_so_and_moves_when_the_month_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = taawun_core::store::Store::open(&dir.path().join("t.db")).unwrap();
    // Dhu al-Hijja 1448 is forecast to begin on Saturday 8 May 2027: Eid al-Adha on Monday 17
    // and Tuesday 18 May.
    let dhu_al_hijja = s.holiday_rules().unwrap().hijri_calendar.month(1448, 12).unwrap();
    assert_eq!((dhu_al_hijja.starts, dhu_al_hijja.basis), (ymd(2027, 5, 8), Basis::Forecast));
    common::decided_session(&mut s, ymd(2027, 5, 10), 1, "الانخراط في شبكة المدن المتوسطية");
    let notify = |s: &taawun_core::store::Store| {
        s.due(ymd(2027, 5, 11), taawun_core::Lang::En).unwrap().into_iter().find(|d| d.kind == "notify").unwrap()
    };
    let before = notify(&s);
    assert_eq!(before.due_on, "2027-05-26", "10 working days, the Eid's two days skipped");
    assert!(before.rule.ends_with("Depends on the forecast date of Eid al-Adha 1448 AH."), "{}", before.rule);
    assert_eq!(before.forecast.len(), 1);
    assert_eq!(before.forecast[0].month.starts, ymd(2027, 5, 8), "the day the officer confirms or moves");

    // The Ministry announces Dhu al-Hijja a day earlier (Friday 7 May): the Eid falls on Sunday
    // 16 and Monday 17 May, one working day less is skipped, the deadline comes a day sooner.
    let recorded = s.set_hijri_correction(1448, 12, -1).unwrap();
    assert_eq!((recorded.starts, recorded.basis), (ymd(2027, 5, 7), Basis::Officer));
    let after = notify(&s);
    assert_eq!(after.due_on, "2027-05-25");
    assert!(after.forecast.is_empty() && !after.rule.contains("Depends"), "{}", after.rule);
    // Confirming the day as forecast instead keeps the date and drops the caveat.
    s.set_hijri_month(1448, 12, None).unwrap();
    s.set_hijri_correction(1448, 12, 0).unwrap();
    let confirmed = notify(&s);
    assert_eq!(confirmed.due_on, "2027-05-26");
    assert!(confirmed.forecast.is_empty());

    // The months from Muharram 1446 (July 2024): announced ones carry their source.
    let months = s.hijri_months_from(ymd(2024, 7, 10), 3).unwrap();
    assert_eq!(months.iter().map(|m| (m.year, m.month)).collect::<Vec<_>>(), [(1446, 1), (1446, 2), (1446, 3)]);
    assert!(months.iter().all(|m| m.basis == Basis::Announced && m.source().is_some_and(|u| u.starts_with("http"))));
    let ahead = s.hijri_months_from(ymd(2027, 5, 1), 2).unwrap();
    assert_eq!((ahead[1].month, ahead[1].basis, ahead[1].source()), (12, Basis::Officer, None));
}
