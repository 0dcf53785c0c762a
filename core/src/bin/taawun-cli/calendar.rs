//! The calendar: Hijri dates as Morocco keeps them (announced months, the officer's entries, a
//! forecast for the rest, each said), public holidays and their rules, working days.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use taawun_core::calendar::{depends_on, Basis, MonthStart, PartialDate};
use taawun_core::i18n::{tr, tr_args};
use taawun_core::{Error, Lang, Result};

/// " (forecast)" after a date that rests on a month not yet announced.
fn forecast_mark(forecast: bool, lang: Lang) -> String {
    if forecast {
        format!(" ({})", tr(lang, "calendar.forecast"))
    } else {
        String::new()
    }
}

pub(crate) fn hijri(cx: &mut Ctx, HijriArgs { date }: HijriArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let day = match date {
        Some(text) => day_of(&text)?,
        None => taawun_core::calendar::today(),
    };
    let (h, basis) = store.holiday_rules()?.hijri_calendar.to_hijri_with_basis(day);
    let value = serde_json::json!({"year": h.year, "month": h.month, "day": h.day, "basis": basis});
    print(json, &value, || format!("{}{}", h.display(lang), forecast_mark(basis.is_forecast(), lang)))?;
    Ok(())
}

pub(crate) fn holidays(cx: &mut Ctx, HolidaysArgs { year }: HolidaysArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&taawun_core::calendar::today()));
    PartialDate::year(year).map_err(|_| Error::invalid("year", taawun_core::error::Rule::OutOfRange))?;
    let days = store.holiday_rules()?.holidays_of(year);
    let name = |key: &str| taawun_core::calendar::holiday_name(key, lang);
    let rows: Vec<_> = days
        .iter()
        .map(|h| serde_json::json!({"date": h.date.to_string(), "name": name(&h.name_key), "forecast": h.forecast}))
        .collect();
    print(json, &rows, || {
        days.iter()
            .map(|h| format!("{}\t{}{}", h.date, name(&h.name_key), forecast_mark(h.forecast.is_some(), lang)))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
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
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let from = day_of(&date)?;
    if n > 3650 {
        return Err(Error::invalid("working_days", taawun_core::error::Rule::OutOfRange));
    }
    let rules = store.holiday_rules()?;
    let days = taawun_core::calendar::WorkingDays::new(&rules);
    let due = days.add(from, n);
    let forecasts = days.forecasts_between(from, due);
    let value = serde_json::json!({"from": from.to_string(), "working_days": n, "due": due.to_string(), "depends_on": forecasts});
    print(json, &value, || match depends_on(&forecasts, lang) {
        Some(note) => format!("{due}\t{note}"),
        None => due.to_string(),
    })?;
    Ok(())
}

fn show_month(month: &MonthStart, lang: Lang) -> String {
    let day = PartialDate::from_naive(month.starts).map(|d| d.display(lang)).unwrap_or_default();
    let said = tr_args(
        lang,
        "cli.hijri_corrected",
        &[
            ("month", &tr(lang, &format!("hijri_month.{}", month.month))),
            ("year", &month.year.to_string()),
            ("date", &day),
        ],
    );
    let basis = tr(lang, &format!("calendar.basis.{}", month.basis.key()));
    match month.basis {
        Basis::Announced => {
            let source = taawun_core::calendar::announced_months()
                .get(&(month.year, month.month))
                .map(|a| a.source)
                .unwrap_or_default();
            format!("{said} ({basis}: {source})")
        }
        _ => format!("{said} ({basis})"),
    }
}

fn month_json(month: &MonthStart) -> serde_json::Value {
    let source = taawun_core::calendar::announced_months().get(&(month.year, month.month)).map(|a| a.source);
    serde_json::json!({"year": month.year, "month": month.month, "month_starts": month.starts.to_string(), "basis": month.basis, "source": source})
}

pub(crate) fn hijri_correction(
    cx: &mut Ctx,
    HijriCorrectionArgs { year, month, shift }: HijriCorrectionArgs,
) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let month = store.set_hijri_correction(year, month, shift)?;
    print(json, &month_json(&month), || show_month(&month, lang))?;
    Ok(())
}

pub(crate) fn hijri_month(cx: &mut Ctx, HijriMonthArgs { year, month, starts, clear }: HijriMonthArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let month = match (starts, clear) {
        (Some(text), _) => store.set_hijri_month(year, month, Some(day_of(&text)?))?,
        (None, true) => store.set_hijri_month(year, month, None)?,
        (None, false) => store.holiday_rules()?.hijri_calendar.month(year, month)?,
    };
    print(json, &month_json(&month), || show_month(&month, lang))?;
    Ok(())
}
