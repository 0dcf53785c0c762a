//! The law applied to a session's record: who asked for the session sets its delays
//! (arts. 36 to 38), the meeting the law sets after a sitting without quorum (arts. 38, 43), and
//! the findings a session's page shows where the record departs from the text. The articles,
//! their numbers and the rules over plain dates and counts are `crate::law`'s; what is here reads
//! the model's session, so it sits above both.

use super::{LegalSettings, RequestedBy, SessionData, SessionKind};
use crate::calendar::WorkingDays;
use crate::i18n::{tr, tr_args, Lang};
use crate::law::{
    length_in_days, opening_day, quorum_met, second_convocation_window, third_convocation_from, Article, AGENDA_DAYS,
    AGENDA_TO_GOVERNOR, CONVOCATION, EXTRAORDINARY_BY_GOVERNOR, EXTRAORDINARY_BY_MEMBERS, EXTRAORDINARY_MAX_DAYS,
    GOVERNOR_CONVOCATION_DAYS, GOVERNOR_HELD_WITHIN_DAYS, MAJORITY_HELD_WITHIN_DAYS, ORDINARY_MAX_DAYS,
    ORDINARY_SESSIONS, QUORUM, SESSION_LENGTH,
};
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// Whether a sitting deliberates validly whatever the attendance: a third convocation after two
/// sittings without quorum (art. 43), or the meeting a session the governor asked for holds the
/// working day after a sitting without quorum (art. 38).
pub fn valid_whatever_attendance(by: RequestedBy, round: u8) -> bool {
    round >= 3 || (by == RequestedBy::Governor && round >= 2)
}

/// The meeting the law sets after a sitting without quorum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextMeeting {
    /// In a session the governor asked for: the next working day (art. 38).
    NextWorkingDay(NaiveDate),
    /// A second convocation, 3 to 5 days later (art. 43).
    Second { from: NaiveDate, to: NaiveDate },
    /// A third, after the third working day that follows (art. 43).
    Third { from: NaiveDate },
}

impl NextMeeting {
    /// The first day it may be held.
    pub fn from(self) -> NaiveDate {
        match self {
            NextMeeting::NextWorkingDay(day) => day,
            NextMeeting::Second { from, .. } | NextMeeting::Third { from } => from,
        }
    }

    /// The last day it may be held, when the law sets one.
    pub fn to(self) -> Option<NaiveDate> {
        match self {
            NextMeeting::NextWorkingDay(day) => Some(day),
            NextMeeting::Second { to, .. } => Some(to),
            NextMeeting::Third { .. } => None,
        }
    }

    /// Whether a meeting held on `held` keeps to it.
    pub fn allows(self, held: NaiveDate) -> bool {
        held >= self.from() && self.to().is_none_or(|to| held <= to)
    }

    pub fn article(self) -> Article {
        match self {
            NextMeeting::NextWorkingDay(_) => EXTRAORDINARY_BY_GOVERNOR,
            NextMeeting::Second { .. } | NextMeeting::Third { .. } => QUORUM,
        }
    }
}

/// When the council meets again after a sitting without quorum held on `failed` in `round`.
pub fn next_meeting(by: RequestedBy, round: u8, failed: NaiveDate, days: &WorkingDays) -> NextMeeting {
    if by == RequestedBy::Governor {
        return NextMeeting::NextWorkingDay(days.add(failed, 1));
    }
    if round <= 1 {
        let (from, to) = second_convocation_window(failed);
        NextMeeting::Second { from, to }
    } else {
        NextMeeting::Third { from: third_convocation_from(failed, days) }
    }
}

/// A rule the session's record does not follow, with its article, in the user's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `opening_day`, `too_long`, `extension_too_long`, `convocation_late`, `agenda_late`,
    /// `held_late`, `second_convocation_window`, `third_convocation_early`, `quorum_failed`,
    /// `quorum_failed_governor`, `governor_next_day`.
    pub code: String,
    pub article: Article,
    pub text: String,
}

impl Finding {
    pub(crate) fn new(code: &str, article: Article, lang: Lang, args: &[(&str, &str)]) -> Finding {
        let text = format!("{} ({})", tr_args(lang, &format!("law.finding.{code}"), args), article.cite(lang));
        Finding { code: code.into(), article, text }
    }
}

/// "لا شيء" for an unknown day in a sentence.
pub(crate) fn or_unknown(d: Option<NaiveDate>, lang: Lang) -> String {
    d.and_then(|d| crate::calendar::PartialDate::from_naive(d).ok())
        .map(|p| p.display(lang))
        .unwrap_or_else(|| tr(lang, "law.unknown_day"))
}

/// What a session's record shows against the law: its opening day (art. 34), its length
/// (arts. 35, 37), the convocations' delay (arts. 36, 38), the agenda's delay (art. 39), the
/// delay of an asked-for session (arts. 37, 38) and the quorum of each sitting with the days of
/// the meetings that follow one without it (arts. 38, 43).
/// Findings are warnings: the record says what happened, and the officer sees where it departs
/// from the text.
pub fn session_findings(s: &SessionData, days: &WorkingDays, legal: &LegalSettings, lang: Lang) -> Vec<Finding> {
    let show = |d: NaiveDate| or_unknown(Some(d), lang);
    use crate::plural::{counted_as, Case};
    let days_of = |n: i64, case| counted_as(lang, "day", n.max(0) as u64, case);
    let members = |n: u32, case| counted_as(lang, "member", n.into(), case);
    let (nom, acc, gen) = (Case::Nominative, Case::Accusative, Case::Genitive);
    let day = |stored: &str| crate::calendar::PartialDate::stored(stored).and_then(|d| d.as_day());
    let mut out = Vec::new();
    let (Some(first), Some(last)) = (s.first_sitting(), s.closed_on()) else { return out };
    if s.kind == SessionKind::Ordinary {
        if let Some(expected) = opening_day(s.year, s.month, days) {
            if first != expected {
                out.push(Finding::new(
                    "opening_day",
                    ORDINARY_SESSIONS,
                    lang,
                    &[("held", &show(first)), ("expected", &show(expected))],
                ));
            }
        }
        let allowed = ORDINARY_MAX_DAYS + i64::from(s.extension_days.unwrap_or(0));
        let length = length_in_days(first, last);
        if length > allowed {
            out.push(Finding::new(
                "too_long",
                SESSION_LENGTH,
                lang,
                &[("days", &days_of(length, acc)), ("max", &days_of(allowed, nom))],
            ));
        }
    } else {
        let length = length_in_days(first, last);
        if length > EXTRAORDINARY_MAX_DAYS {
            out.push(Finding::new(
                "too_long",
                EXTRAORDINARY_BY_MEMBERS,
                lang,
                &[("days", &days_of(length, acc)), ("max", &days_of(EXTRAORDINARY_MAX_DAYS, nom))],
            ));
        }
    }
    if let Some(sent) = day(&s.convocation_on) {
        let (min, article) = convocation_delay(s.requested_by, legal);
        let before = (first - sent).num_days();
        if before < i64::from(min) {
            out.push(Finding::new(
                "convocation_late",
                article,
                lang,
                &[("sent", &show(sent)), ("days", &days_of(before, gen)), ("min", &days_of(min.into(), nom))],
            ));
        }
    }
    if let (Some(sent), RequestedBy::President) = (day(&s.agenda_sent_on), s.requested_by) {
        let before = (first - sent).num_days();
        if before < AGENDA_DAYS as i64 {
            out.push(Finding::new(
                "agenda_late",
                AGENDA_TO_GOVERNOR,
                lang,
                &[("sent", &show(sent)), ("days", &days_of(before, gen)), ("min", &days_of(AGENDA_DAYS as i64, nom))],
            ));
        }
    }
    if let Some((within, article)) = held_within(s.requested_by) {
        if let Some(asked) = day(&s.requested_on) {
            if first > asked + Days::new(within) {
                out.push(Finding::new(
                    "held_late",
                    article,
                    lang,
                    &[("asked", &show(asked)), ("held", &show(first)), ("max", &days_of(within as i64, gen))],
                ));
            }
        }
    }
    // Quorum, sitting by sitting, and the later meetings' days (arts. 38, 43).
    let in_office = s.members_in_office;
    let mut failed: Option<(NaiveDate, u8)> = None;
    for sitting in &s.sittings {
        let Some(held) = day(&sitting.held_on) else { continue };
        if let Some((before, before_round)) = failed.filter(|(_, r)| sitting.round == r + 1) {
            let next = next_meeting(s.requested_by, before_round, before, days);
            if !next.allows(held) {
                let (held, failed_on) = (show(held), show(before));
                let (code, to) = match next {
                    NextMeeting::NextWorkingDay(_) => ("governor_next_day", None),
                    NextMeeting::Second { to, .. } => ("second_convocation_window", Some(show(to))),
                    NextMeeting::Third { .. } => ("third_convocation_early", None),
                };
                let from = show(next.from());
                let mut args = vec![("held", held.as_str()), ("failed", failed_on.as_str()), ("from", from.as_str())];
                args.extend(to.as_deref().map(|to| ("to", to)));
                out.push(Finding::new(code, next.article(), lang, &args));
            }
        }
        failed = None;
        if let (Some(present), Some(office)) = (sitting.present, in_office) {
            if !valid_whatever_attendance(s.requested_by, sitting.round) && !quorum_met(present, office) {
                let (code, article) = if s.requested_by == RequestedBy::Governor {
                    ("quorum_failed_governor", EXTRAORDINARY_BY_GOVERNOR)
                } else {
                    ("quorum_failed", QUORUM)
                };
                out.push(Finding::new(
                    code,
                    article,
                    lang,
                    &[("held", &show(held)), ("present", &members(present, nom)), ("in_office", &members(office, gen))],
                ));
                failed = Some((held, sitting.round));
            }
        }
    }
    out
}

/// The convocations' delay and its article: 3 days for a session the governor asked for
/// (art. 38), otherwise the council's setting, 10 days by default (art. 36).
pub fn convocation_delay(by: RequestedBy, legal: &LegalSettings) -> (u32, Article) {
    match by {
        RequestedBy::Governor => (GOVERNOR_CONVOCATION_DAYS, EXTRAORDINARY_BY_GOVERNOR),
        _ => (legal.convocation_days, CONVOCATION),
    }
}

/// Within how many days of the request an asked-for session is held, and the article.
pub fn held_within(by: RequestedBy) -> Option<(u64, Article)> {
    match by {
        RequestedBy::MembersMajority => Some((MAJORITY_HELD_WITHIN_DAYS, EXTRAORDINARY_BY_MEMBERS)),
        RequestedBy::Governor => Some((GOVERNOR_HELD_WITHIN_DAYS, EXTRAORDINARY_BY_GOVERNOR)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::HolidayRules;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn session(sittings: &[(&str, u8, Option<u32>)]) -> crate::model::SessionData {
        crate::model::SessionData {
            kind: crate::model::SessionKind::Ordinary,
            year: 2026,
            month: 6,
            members_in_office: Some(31),
            sittings: sittings
                .iter()
                .map(|(d, round, present)| crate::model::Sitting {
                    held_on: d.to_string(),
                    round: *round,
                    present: *present,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    /// The findings with the default holidays and settings.
    fn findings(s: &crate::model::SessionData, lang: Lang) -> Vec<Finding> {
        let rules = HolidayRules::default();
        session_findings(s, &WorkingDays::new(&rules), &LegalSettings::default(), lang)
    }

    fn codes(s: &crate::model::SessionData) -> Vec<String> {
        findings(s, Lang::Fr).into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_failed_quorum_calls_for_a_second_convocation_three_to_five_days_later() {
        // Monday 8 June 2026: 15 of 31 present, no quorum; second meeting Thursday 11 June (3 days).
        let s = session(&[("2026-06-08", 1, Some(15)), ("2026-06-11", 2, Some(20))]);
        assert_eq!(codes(&s), vec!["quorum_failed"]);
        // Two days later is too soon, six too late.
        assert_eq!(
            codes(&session(&[("2026-06-08", 1, Some(15)), ("2026-06-10", 2, None)])),
            vec!["quorum_failed", "second_convocation_window"]
        );
        assert_eq!(
            codes(&session(&[("2026-06-08", 1, Some(15)), ("2026-06-14", 2, None)])),
            vec!["quorum_failed", "second_convocation_window"]
        );
        // Failed again: the third meeting is valid whatever the attendance, after the third
        // following working day (18 June, 1 Muharram skipped).
        let third = session(&[("2026-06-08", 1, Some(15)), ("2026-06-11", 2, Some(12)), ("2026-06-17", 3, Some(5))]);
        assert_eq!(codes(&third), vec!["quorum_failed", "quorum_failed", "third_convocation_early"]);
        let third = session(&[("2026-06-08", 1, Some(15)), ("2026-06-11", 2, Some(12)), ("2026-06-18", 3, Some(5))]);
        assert_eq!(codes(&third), vec!["quorum_failed", "quorum_failed"], "five present is valid on the third");
        let f = findings(&third, Lang::Ar);
        assert!(f[0].text.ends_with("(المادة 43 من القانون التنظيمي 112.14)"), "{}", f[0].text);
    }

    #[test]
    fn a_session_the_governor_asked_for_meets_the_next_working_day_without_quorum() {
        let mut s = session(&[("2026-06-11", 1, Some(15)), ("2026-06-12", 2, Some(4))]);
        s.kind = crate::model::SessionKind::Extraordinary;
        s.requested_by = crate::model::RequestedBy::Governor;
        // Thursday 11 June 2026 without quorum: Friday 12 is the next working day, and four
        // present deliberate validly (art. 38), where art. 43 would ask for 3 to 5 days later.
        assert_eq!(codes(&s), vec!["quorum_failed_governor"]);
        // Held on Monday 15 June instead: Friday 12 was the day.
        s.sittings[1].held_on = "2026-06-15".into();
        assert_eq!(codes(&s), vec!["quorum_failed_governor", "governor_next_day"]);
        let f = findings(&s, Lang::Fr);
        assert!(f[1].text.ends_with("(art. 38 de la loi organique 112-14)"), "{}", f[1].text);
        assert!(f[1].text.contains("12 juin 2026"), "{}", f[1].text);
        // Friday 5 June 2026 without quorum: the weekend is skipped, Monday 8 June is the day.
        let rules = HolidayRules::default();
        let days = WorkingDays::new(&rules);
        let by = crate::model::RequestedBy::Governor;
        let next = next_meeting(by, 1, ymd(2026, 6, 5), &days);
        assert_eq!(next, NextMeeting::NextWorkingDay(ymd(2026, 6, 8)));
        assert_eq!(next.article(), Article(38));
        assert!(next.allows(ymd(2026, 6, 8)) && !next.allows(ymd(2026, 6, 9)) && !next.allows(ymd(2026, 6, 5)));
        assert!(valid_whatever_attendance(by, 2));
        assert!(!valid_whatever_attendance(crate::model::RequestedBy::President, 2));
        assert!(valid_whatever_attendance(crate::model::RequestedBy::President, 3));
    }

    #[test]
    fn length_convocation_and_agenda_delays() {
        let mut s = session(&[("2026-06-08", 1, None), ("2026-06-23", 1, None)]);
        assert_eq!(codes(&s), vec!["too_long"], "16 days");
        s.extension_days = Some(5);
        assert!(codes(&s).is_empty(), "within the extension");
        s.convocation_on = "2026-05-30".into();
        s.agenda_sent_on = "2026-05-20".into();
        assert_eq!(codes(&s), vec!["convocation_late", "agenda_late"], "9 and 19 days before");
        s.convocation_on = "2026-05-29".into();
        s.agenda_sent_on = "2026-05-19".into();
        assert!(codes(&s).is_empty(), "10 and 20 days before");
        // A session the governor asked for: held within 10 days, convocations 3 days before.
        let mut g = session(&[("2026-07-20", 1, None)]);
        g.kind = crate::model::SessionKind::Extraordinary;
        g.requested_by = crate::model::RequestedBy::Governor;
        g.requested_on = "2026-07-09".into();
        g.convocation_on = "2026-07-17".into();
        assert_eq!(codes(&g), vec!["held_late"], "11 days after the request; 3 days' convocation is enough");
        g.sittings.push(crate::model::Sitting { held_on: "2026-07-27".into(), ..Default::default() });
        g.requested_on = "2026-07-10".into();
        assert_eq!(codes(&g), vec!["too_long"], "8 days: an extraordinary session lasts at most 7");
    }
}
