//! The council's agenda as iCalendar (RFC 5545, written by the `icalendar` crate) for the
//! officer's calendar: every sitting of a session (at its time when one is set, else all day, at
//! its place) and every open deadline on its day, the rule and its article in the description.
//! Each event's UID is stable (the session's UUID and the sitting, or the deadline's kind and
//! record), so importing the file again updates the events instead of doubling them.

use super::{due::session_label, Store};
use crate::error::Result;
use crate::i18n::{tr, Lang};
use chrono::{NaiveDate, NaiveTime};
use icalendar::{Calendar, Component, Event, EventLike};

impl Store {
    /// The sittings of every session and the deadlines open at `at`, as an .ics text.
    pub fn calendar_ics(&self, at: NaiveDate, lang: Lang) -> Result<String> {
        let mut calendar = Calendar::new();
        calendar.name(&tr(lang, "ics.name"));
        let sessions: Vec<(i64, String)> = self
            .conn
            .prepare("SELECT id, uuid FROM session WHERE deleted_at IS NULL ORDER BY year, month")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, uuid) in sessions {
            let s = self.get_session(id)?.data;
            let name = session_label(s.kind.as_str(), s.year, s.month, s.number, lang);
            for (i, sitting) in s.sittings.iter().enumerate() {
                let Some(day) = crate::calendar::PartialDate::stored(&sitting.held_on).and_then(|d| d.as_day()) else {
                    continue;
                };
                let mut event = Event::new();
                event.uid(&format!("{uuid}-sitting-{}@taawun", i + 1)).summary(&format!(
                    "{name} — {} {}",
                    tr(lang, "paper.attendance.sitting"),
                    i + 1
                ));
                match NaiveTime::parse_from_str(&sitting.time, "%H:%M") {
                    Ok(t) => {
                        let start = day.and_time(t);
                        event.starts(start).ends(start + chrono::Duration::hours(3));
                    }
                    // All day: DTEND is the next day (RFC 5545 ends are exclusive).
                    Err(_) => {
                        event.starts(day).ends(day + chrono::Days::new(1));
                    }
                }
                if !sitting.place.is_empty() {
                    event.location(&sitting.place);
                }
                calendar.push(event.done());
            }
        }
        for d in self.due(at, lang)? {
            let Ok(day) = d.due_on.parse::<NaiveDate>() else { continue };
            let kind = tr(lang, &format!("due.kind.{}", d.kind));
            calendar.push(
                Event::new()
                    .uid(&format!("{}-{}-{}@taawun", d.kind, d.entity, d.id))
                    .summary(&format!("{kind}: {}", d.label))
                    .description(&d.rule)
                    .starts(day)
                    .ends(day + chrono::Days::new(1))
                    .done(),
            );
        }
        Ok(calendar.done().to_string())
    }
}
