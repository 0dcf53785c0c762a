//! Council session (دورة المجلس) and its agenda points (نقط جدول الأعمال).
//!
//! Three ordinary sessions a year (January, June, September; the Rabat council meets on the
//! second Monday of the month) and extraordinary ones in between. A session has one or more
//! sittings, a convocation date and the number of members in office; after it, the minutes and
//! deliberations are notified to the governor (sending and receipt dates). Each agenda point is
//! about an agreement, a project or a membership, or is free text, with a rapporteur and a
//! presentation note in Arabic and/or French.

use super::{text_enum, Entity};
use crate::calendar::PartialDate;
use crate::error::{Error, Result, Rule};
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

text_enum!(
    SessionKind {
        Ordinary = "ordinary",
        Extraordinary = "extraordinary",
    }
);

text_enum!(
    /// Who asked for the session: the president convenes the ordinary ones (art. 34); an
    /// extraordinary one is asked by a third of the members or their absolute majority (art. 37)
    /// or by the governor (art. 38).
    RequestedBy {
        President = "president",
        MembersThird = "members_third",
        MembersMajority = "members_majority",
        Governor = "governor",
    }
);

/// One sitting of a session: its day (required), time and place; which convocation it meets on
/// (1, or 2 and 3 after sittings without quorum, art. 43) and how many members were present at
/// its opening.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sitting {
    pub held_on: String,
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub place: String,
    #[serde(default = "first_round")]
    pub round: u8,
    #[serde(default)]
    pub present: Option<u32>,
}

fn first_round() -> u8 {
    1
}

impl Default for Sitting {
    fn default() -> Self {
        Sitting { held_on: String::new(), time: String::new(), place: String::new(), round: 1, present: None }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionData {
    pub kind: SessionKind,
    pub year: i32,
    /// The month the session is held in (for ordinary sessions: 1, 6 or 9).
    pub month: u32,
    /// The order of an extraordinary session in its year (1, 2, ...); none for ordinary ones.
    #[serde(default)]
    pub number: Option<u32>,
    #[serde(default)]
    pub sittings: Vec<Sitting>,
    #[serde(default)]
    pub convocation_on: String,
    #[serde(default)]
    pub members_in_office: Option<u32>,
    #[serde(default)]
    pub notes: String,
    /// Who asked for it, and when (the delays of arts. 37 and 38 run from the request).
    #[serde(default)]
    pub requested_by: RequestedBy,
    #[serde(default)]
    pub requested_on: String,
    /// The agenda sent to the governor (art. 39) and received by him (his 8 days, arts. 40, 42).
    #[serde(default)]
    pub agenda_sent_on: String,
    #[serde(default)]
    pub agenda_received_on: String,
    /// The president's one extension, in days (art. 35).
    #[serde(default)]
    pub extension_days: Option<u32>,
    /// The copy of the attendance register sent to the governor (art. 68).
    #[serde(default)]
    pub attendance_sent_on: String,
    /// The minutes sent to each member, and the decisions posted at the seat (art. 217).
    #[serde(default)]
    pub minutes_to_members_on: String,
    #[serde(default)]
    pub decisions_posted_on: String,
    /// The officer's own words for the draft minutes: the opening and the closing.
    #[serde(default)]
    pub minutes_opening: String,
    #[serde(default)]
    pub minutes_closing: String,
}

impl SessionData {
    pub fn validate(mut self) -> Result<Self> {
        // Every wrong field said at once (model::Checks).
        let mut c = super::Checks::default();
        if !(2000..=2100).contains(&self.year) {
            c.push(Error::invalid("year", Rule::OutOfRange));
        }
        if !(1..=12).contains(&self.month) {
            c.push(Error::invalid("month", Rule::OutOfRange));
        } else if self.kind == SessionKind::Ordinary && !crate::law::ORDINARY_MONTHS.contains(&self.month) {
            c.push(Error::invalid("month", Rule::OrdinaryMonth));
        }
        match self.kind {
            SessionKind::Ordinary => self.number = None,
            SessionKind::Extraordinary if self.number.is_some_and(|n| n == 0 || n > 50) => {
                c.push(Error::invalid("number", Rule::OutOfRange))
            }
            SessionKind::Extraordinary => {}
        }
        if self.members_in_office.is_some_and(|n| n == 0 || n > 500) {
            c.push(Error::invalid("members_in_office", Rule::OutOfRange));
        }
        self.convocation_on = c.take(day_field("convocation_on", &self.convocation_on, false));
        self.notes = c.take(text::block("notes", &self.notes));
        if self.kind == SessionKind::Ordinary {
            self.requested_by = RequestedBy::President;
        }
        for (field, value) in [
            ("requested_on", &mut self.requested_on),
            ("agenda_sent_on", &mut self.agenda_sent_on),
            ("agenda_received_on", &mut self.agenda_received_on),
            ("attendance_sent_on", &mut self.attendance_sent_on),
            ("minutes_to_members_on", &mut self.minutes_to_members_on),
            ("decisions_posted_on", &mut self.decisions_posted_on),
        ] {
            *value = c.take(day_field(field, value, false));
        }
        if let (Some(sent), Some(received)) = (day_of(&self.agenda_sent_on), day_of(&self.agenda_received_on)) {
            if received < sent {
                c.push(Error::invalid("agenda_received_on", Rule::ReceiptBeforeSending));
            }
        }
        // One extension of at most 15 days (art. 35).
        if self.extension_days.is_some_and(|d| d == 0 || d > crate::law::EXTENSION_MAX_DAYS) {
            c.push(Error::invalid("extension_days", Rule::OutOfRange));
        }
        self.minutes_opening = c.take(text::block("minutes_opening", &self.minutes_opening));
        self.minutes_closing = c.take(text::block("minutes_closing", &self.minutes_closing));
        let office = self.members_in_office;
        for (i, s) in self.sittings.iter_mut().enumerate() {
            let mut row = |checked: Result<String>| c.take(checked.map_err(|e| e.in_row(i)));
            s.held_on = row(day_field("held_on", &s.held_on, true));
            s.time = row(time_field(&s.time));
            s.place = row(text::line("place", &s.place, false));
            if !(1..=3).contains(&s.round) {
                c.push(Error::invalid("round", Rule::OutOfRange).in_row(i));
            }
            if s.present.is_some_and(|p| p > 500) {
                c.push(Error::invalid("present", Rule::OutOfRange).in_row(i));
            } else if let (Some(present), Some(office)) = (s.present, office) {
                if present > office {
                    c.push(Error::invalid("present", Rule::MoreThanInOffice).in_row(i));
                }
            }
        }
        self.sittings.sort_by(|a, b| a.held_on.cmp(&b.held_on));
        if let (Some(conv), Some(first)) = (day_of(&self.convocation_on), self.first_sitting()) {
            if conv > first {
                c.push(Error::invalid("convocation_on", Rule::AfterSession));
            }
        }
        c.done(self)
    }

    pub fn first_sitting(&self) -> Option<NaiveDate> {
        self.sittings.iter().filter_map(|s| PartialDate::stored(&s.held_on).and_then(|d| d.as_day())).min()
    }

    /// The day the session closed: its last sitting.
    pub fn closed_on(&self) -> Option<NaiveDate> {
        self.sittings.iter().filter_map(|s| PartialDate::stored(&s.held_on).and_then(|d| d.as_day())).max()
    }
}

fn day_of(stored: &str) -> Option<NaiveDate> {
    PartialDate::stored(stored).and_then(|d| d.as_day())
}

/// A date known to the day, normalised (`required`: refused when empty).
pub(crate) fn day_field(field: &str, value: &str, required: bool) -> Result<String> {
    let v = PartialDate::normalise_field(field, value)?;
    if v.is_empty() {
        return if required { Err(Error::invalid(field, Rule::Required)) } else { Ok(v) };
    }
    match PartialDate::stored(&v).and_then(|d| d.as_day()) {
        Some(_) => Ok(v),
        None => Err(Error::invalid(field, Rule::NeedsDay)),
    }
}

/// `HH:MM` (24 h), or empty.
fn time_field(value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    let mut normalised = v.replace(['h', 'H', '.'], ":").trim_end_matches(':').to_string();
    if !normalised.contains(':') {
        normalised.push_str(":00");
    }
    let parsed = chrono::NaiveTime::parse_from_str(&normalised, "%H:%M");
    parsed.map(|t| t.format("%H:%M").to_string()).map_err(|_| Error::invalid("time", Rule::BadTime))
}

/// What an agenda point is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub kind: Entity,
    pub id: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PointData {
    #[serde(default)]
    pub subject: Option<Subject>,
    /// Required when the point is free text; otherwise the linked record's title is used.
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub rapporteur: String,
    /// The presentation note, in plain paragraphs.
    #[serde(default)]
    pub note_ar: String,
    #[serde(default)]
    pub note_fr: String,
    /// The earlier point this one examines again (after an opposition of the governor).
    #[serde(default)]
    pub reexamines: Option<i64>,
}

impl PointData {
    pub fn validate(mut self) -> Result<Self> {
        if let Some(s) = self.subject {
            if !matches!(s.kind, Entity::Agreement | Entity::Project | Entity::Membership) {
                return Err(Error::invalid("subject", Rule::UnknownValue));
            }
        }
        self.title = text::line("title", &self.title, self.subject.is_none())?;
        self.rapporteur = text::line("rapporteur", &self.rapporteur, false)?;
        self.note_ar = text::block("note_ar", &self.note_ar)?;
        self.note_fr = text::block("note_fr", &self.note_fr)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn june(sittings: &[&str]) -> SessionData {
        SessionData {
            kind: SessionKind::Ordinary,
            year: 2019,
            month: 6,
            number: Some(3),
            sittings: sittings
                .iter()
                .map(|d| Sitting {
                    held_on: d.to_string(),
                    time: "10h".into(),
                    place: "مقر العمالة".into(),
                    ..Sitting::default()
                })
                .collect(),
            convocation_on: "20/05/2019".into(),
            members_in_office: Some(31),
            ..SessionData::default()
        }
    }

    #[test]
    fn ordinary_sessions_in_january_june_september_on_the_second_monday() {
        let s = june(&["12/06/2019", "10/06/2019"]).validate().unwrap();
        assert_eq!(s.number, None, "ordinary sessions are known by their month");
        assert_eq!(s.sittings[0].held_on, "2019-06-10", "sittings in date order");
        assert_eq!(s.sittings[0].time, "10:00");
        assert_eq!(s.closed_on(), NaiveDate::from_ymd_opt(2019, 6, 12));
        let mut wrong = june(&["12/06/2019"]);
        wrong.month = 5;
        assert_eq!(wrong.validate().unwrap_err().code(), "invalid.ordinary_month");
    }

    #[test]
    fn impossible_dates_times_and_orders_are_refused() {
        assert_eq!(june(&["31/06/2019"]).validate().unwrap_err().row(), Some(0));
        assert_eq!(june(&["06/2019"]).validate().unwrap_err().code(), "invalid.needs_day");
        let mut late = june(&["10/06/2019"]);
        late.convocation_on = "11/06/2019".into();
        assert_eq!(late.validate().unwrap_err().field(), Some("convocation_on"));
        let mut t = june(&["10/06/2019"]);
        t.sittings[0].time = "25:00".into();
        assert_eq!(t.validate().unwrap_err().code(), "invalid.bad_time");
    }

    /// The session form hears of every wrong field at once, a sitting's by its row.
    #[test]
    fn every_wrong_field_of_a_session_is_said_at_once() {
        let mut s = june(&["31/06/2019", "12/06/2019"]);
        s.year = 1990;
        s.month = 5;
        s.members_in_office = Some(0);
        s.extension_days = Some(40);
        s.agenda_sent_on = "2019-05-10".into();
        s.agenda_received_on = "2019-05-01".into();
        s.sittings[1].round = 4;
        s.sittings[1].present = Some(900);
        let said: Vec<(String, Option<usize>, String)> = s
            .validate()
            .unwrap_err()
            .into_each()
            .iter()
            .map(|e| (e.field().unwrap_or_default().to_string(), e.row(), e.code()))
            .collect();
        let expected = [
            ("year", None, "invalid.out_of_range"),
            ("month", None, "invalid.ordinary_month"),
            ("members_in_office", None, "invalid.out_of_range"),
            ("agenda_received_on", None, "invalid.receipt_before_sending"),
            ("extension_days", None, "invalid.out_of_range"),
            ("held_on", Some(0), "invalid.no_such_day"),
            ("round", Some(1), "invalid.out_of_range"),
            ("present", Some(1), "invalid.out_of_range"),
        ];
        let expected: Vec<_> = expected.iter().map(|(f, r, c)| (f.to_string(), *r, c.to_string())).collect();
        assert_eq!(said, expected);
    }

    #[test]
    fn a_free_text_point_needs_a_title() {
        let p = PointData {
            subject: None,
            title: " ".into(),
            rapporteur: String::new(),
            note_ar: String::new(),
            note_fr: String::new(),
            reexamines: None,
        };
        assert_eq!(p.validate().unwrap_err().code(), "invalid.required");
        let linked = PointData {
            subject: Some(Subject { kind: Entity::Partner, id: 1 }),
            title: String::new(),
            rapporteur: String::new(),
            note_ar: String::new(),
            note_fr: String::new(),
            reexamines: None,
        };
        assert_eq!(linked.validate().unwrap_err().field(), Some("subject"));
    }
}
