//! Dates as the council writes them.
//!
//! `PartialDate` is a date known to the day, the month ("ماي 2008") or the year, stored as ISO
//! text (`2008-05`) that sorts correctly in SQLite. Month names are those written in Morocco.
//! The Hijri date beside it (the months Morocco announced, the officer's entries, a forecast from
//! the crescent for the rest) and the working days that legal delays count (weekends and public
//! holidays, fixed and lunar, skipped).

mod announced;
pub mod crescent;
pub mod decree;
mod hijri;
mod holidays;
mod partial;

pub use announced::{announced_months, AnnouncedMonth};
pub use hijri::{Basis, HijriCalendar, HijriDate, MonthStart, OfficerMonth};
pub use holidays::{
    depends_on, holiday_name, FixedHoliday, ForecastHoliday, ForecastMonth, HijriHoliday, Holiday, HolidayRules,
    WorkingDays,
};
pub use partial::{month_name, PartialDate, Precision};

/// Today in the local time zone of the desk.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The moment fixed by `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
/// convention), when it is set: a paper printed under it says it was printed then and carries
/// that date in its metadata, so that the same data prints the same pages (the tests' golden
/// images).
pub fn source_date() -> Option<chrono::DateTime<chrono::Utc>> {
    let seconds = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse::<i64>().ok()?;
    chrono::DateTime::from_timestamp(seconds, 0)
}

/// The day a paper says it was printed: `source_date`'s, else today.
pub fn print_day() -> chrono::NaiveDate {
    source_date().map(|d| d.date_naive()).unwrap_or_else(today)
}

/// Now as stored in `created_at`/`updated_at`/history: UTC, RFC 3339, to the millisecond.
pub fn now_stamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
