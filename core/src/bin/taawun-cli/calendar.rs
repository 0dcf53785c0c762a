//! The calendar: Hijri dates with the Moroccan corrections, public holidays and their rules,
//! working days.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use taawun_core::calendar::PartialDate;
use taawun_core::i18n::{tr, tr_args};
use taawun_core::{Error, Result};

pub(crate) fn hijri(cx: &mut Ctx, HijriArgs { date }: HijriArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let day = match date {
        Some(text) => day_of(&text)?,
        None => taawun_core::calendar::today(),
    };
    let h = store.holiday_rules()?.hijri_calendar.to_hijri(day);
    print(json, &h, || h.display(lang))?;
    Ok(())
}

pub(crate) fn holidays(cx: &mut Ctx, HolidaysArgs { year }: HolidaysArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&taawun_core::calendar::today()));
    PartialDate::year(year).map_err(|_| Error::invalid("year", taawun_core::error::Rule::OutOfRange))?;
    let days = store.holiday_rules()?.holidays_in(year);
    let name = |key: &str| taawun_core::calendar::holiday_name(key, lang);
    let rows: Vec<_> =
        days.iter().map(|(d, key)| serde_json::json!({"date": d.to_string(), "name": name(key)})).collect();
    print(json, &rows, || days.iter().map(|(d, key)| format!("{d}\t{}", name(key))).collect::<Vec<_>>().join("\n"))?;
    Ok(())
}

pub(crate) fn holiday_rules(cx: &mut Ctx, HolidayRulesArgs { from_json }: HolidayRulesArgs) -> Result<()> {
    let (store, json) = (&mut cx.store, cx.json);
    if let Some(p) = from_json {
        store.set_holiday_rules(&read_json(&p)?)?;
    }
    let rules = store.holiday_rules()?;
    print(json, &rules, || serde_json::to_string_pretty(&rules).unwrap_or_default())?;
    Ok(())
}

pub(crate) fn workdays(cx: &mut Ctx, WorkdaysArgs { date, n }: WorkdaysArgs) -> Result<()> {
    let (store, json) = (&mut cx.store, cx.json);
    let from = day_of(&date)?;
    if n > 3650 {
        return Err(Error::invalid("working_days", taawun_core::error::Rule::OutOfRange));
    }
    let due = store.holiday_rules()?.add_working_days(from, n);
    print(json, &serde_json::json!({"from": from.to_string(), "working_days": n, "due": due.to_string()}), || {
        due.to_string()
    })?;
    Ok(())
}

pub(crate) fn hijri_correction(
    cx: &mut Ctx,
    HijriCorrectionArgs { year, month, shift }: HijriCorrectionArgs,
) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let rules = store.set_hijri_correction(year, month, shift)?;
    let start = rules.hijri_calendar.month_start(year, month)?;
    print(
        json,
        &serde_json::json!({"year": year, "month": month, "shift": shift, "month_starts": start.to_string()}),
        || {
            tr_args(
                lang,
                "cli.hijri_corrected",
                &[
                    ("month", &tr(lang, &format!("hijri_month.{month}"))),
                    ("year", &year.to_string()),
                    ("date", &PartialDate::from_naive(start).map(|d| d.display(lang)).unwrap_or_default()),
                ],
            )
        },
    )?;
    Ok(())
}
