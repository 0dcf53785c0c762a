//! The legal calendar and delays of a database: the legal settings (delays, quorum, numbering)
//! and the holiday rules with the Hijri corrections, stored as checked JSON settings.

use super::Store;
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

const LEGAL_SETTINGS: &str = "legal_settings";

/// The holiday rules stored in a database (or the built-in ones), brought up to date.
pub(crate) fn holiday_rules(c: &Connection) -> Result<crate::calendar::HolidayRules> {
    match super::setting(c, "holiday_rules")? {
        Some(json) => Ok(serde_json::from_str::<crate::calendar::HolidayRules>(&json)?.brought_up_to_date()),
        None => Ok(crate::calendar::HolidayRules::default()),
    }
}

/// The legal settings stored in a database (or the defaults).
pub(crate) fn legal_settings(c: &Connection) -> Result<crate::model::LegalSettings> {
    let stored: Option<String> =
        c.query_row("SELECT value FROM setting WHERE key = ?1", [LEGAL_SETTINGS], |r| r.get(0)).optional()?;
    match stored {
        Some(json) => Ok(serde_json::from_str(&json)?),
        None => Ok(crate::model::LegalSettings::default()),
    }
}

impl Store {
    /// The legal delays and rules in force (the documented defaults until edited).
    pub fn legal_settings(&self) -> Result<crate::model::LegalSettings> {
        legal_settings(&self.conn)
    }

    pub fn set_legal_settings(&mut self, settings: crate::model::LegalSettings) -> Result<crate::model::LegalSettings> {
        let settings = settings.validate()?;
        self.set_setting(LEGAL_SETTINGS, &serde_json::to_string(&settings)?)?;
        Ok(settings)
    }

    /// The holidays and Hijri corrections in force (the documented defaults until edited).
    pub fn holiday_rules(&self) -> Result<crate::calendar::HolidayRules> {
        holiday_rules(&self.conn)
    }

    /// The opening day of the first ordinary session on or after `from` (art. 34), with this
    /// council's days off: what the new-session form proposes.
    pub fn next_ordinary_opening(&self, from: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
        let rules = self.holiday_rules()?;
        Ok(crate::law::next_ordinary_opening(from, &crate::calendar::WorkingDays::new(&rules)))
    }

    /// The opening day of the ordinary session of `month` `year` (art. 34), or `None` when no
    /// ordinary session is held that month.
    pub fn ordinary_opening(&self, year: i32, month: u32) -> Result<Option<chrono::NaiveDate>> {
        if !crate::law::ORDINARY_MONTHS.contains(&month) {
            return Ok(None);
        }
        let rules = self.holiday_rules()?;
        Ok(crate::law::opening_day(year, month, &crate::calendar::WorkingDays::new(&rules)))
    }

    pub fn set_holiday_rules(&mut self, rules: &crate::calendar::HolidayRules) -> Result<()> {
        rules.validate()?;
        self.set_setting("holiday_rules", &serde_json::to_string(rules)?)
    }

    /// Moves Hijri month `month` of `year` by `shift` days (-1, 0, +1) from the day Taawun has
    /// for it (announced or forecast); 0 confirms that day. Every date resting on it follows.
    pub fn set_hijri_correction(&mut self, year: i32, month: u8, shift: i8) -> Result<crate::calendar::MonthStart> {
        let mut rules = self.holiday_rules()?;
        let month = rules.hijri_calendar.shift_month(year, month, shift)?;
        self.set_holiday_rules(&rules)?;
        Ok(month)
    }

    /// `count` Hijri months from the one holding `from`, each with its first day in Morocco
    /// and what it rests on: what the settings list for the officer to confirm or move.
    pub fn hijri_months_from(&self, from: chrono::NaiveDate, count: usize) -> Result<Vec<crate::calendar::MonthStart>> {
        let calendar = self.holiday_rules()?.hijri_calendar;
        let first = calendar.to_hijri(from);
        (0..count as i32)
            .map(|k| {
                let i = first.year * 12 + i32::from(first.month) - 1 + k;
                calendar.month(i.div_euclid(12), (i.rem_euclid(12) + 1) as u8)
            })
            .collect()
    }

    /// Records the first day of Hijri month `month` of `year` as the Ministry announced it (the
    /// officer's one action when an announcement comes); `None` forgets the officer's entry.
    pub fn set_hijri_month(
        &mut self,
        year: i32,
        month: u8,
        starts: Option<chrono::NaiveDate>,
    ) -> Result<crate::calendar::MonthStart> {
        let mut rules = self.holiday_rules()?;
        match starts {
            Some(day) => rules.hijri_calendar.set_month_start(year, month, day)?,
            None => {
                rules.hijri_calendar.clear_month(year, month);
                rules.hijri_calendar.month(year, month)?
            }
        };
        self.set_holiday_rules(&rules)?;
        rules.hijri_calendar.month(year, month)
    }
}
