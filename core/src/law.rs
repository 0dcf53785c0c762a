//! Organic Law 112-14 on prefectures and provinces (B.O. n° 6380, 23 July 2015): the articles
//! Taawun applies to sessions and deliberations, each rule written once here beside its
//! article, and how an article is cited in the user's language ("المادة 36 من القانون التنظيمي
//! 112.14", "art. 36 de la loi organique 112-14").
//!
//! The delays a council may read differently in its internal rules stay settings
//! (`calendar::LegalSettings`, whose defaults are the values below); the others are the text.
//! Every warning and deadline built from these rules carries its article (`Article`), so the
//! officer can check it against the law.

use crate::calendar::WorkingDays;
use crate::i18n::{tr, tr_args, Lang};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

/// An article of Organic Law 112-14.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Article(pub u16);

impl Article {
    /// "المادة 36 من القانون التنظيمي 112.14" / "art. 36 de la loi organique 112-14".
    pub fn cite(self, lang: Lang) -> String {
        tr_args(lang, "law.cite", &[("n", &self.0.to_string())])
    }

    /// Several articles cited as a list, the law named once: "المادتين 40 و42 من القانون
    /// التنظيمي 112.14", "المواد 40 و42 و43 …" / "articles 40 et 42 de la loi organique 112-14".
    pub fn cite_all(articles: &[Article], lang: Lang) -> String {
        match articles {
            [] => String::new(),
            [one] => one.cite(lang),
            _ => {
                let key = if articles.len() == 2 { "law.cite_two" } else { "law.cite_several" };
                tr_args(lang, key, &[("list", &Article::list(articles, lang))])
            }
        }
    }

    /// The numbers as a list in words: "40 و42 و43" / "40, 42 et 43" / "40, 42 and 43".
    pub fn list(articles: &[Article], lang: Lang) -> String {
        let numbers: Vec<String> = articles.iter().map(|a| a.0.to_string()).collect();
        match numbers.as_slice() {
            [init @ .., last] if !init.is_empty() => {
                format!("{}{}{last}", init.join(&tr(lang, "law.list_separator")), tr(lang, "law.list_last"))
            }
            _ => numbers.concat(),
        }
    }
}

/// Ordinary sessions: January, June and September, opening on the second Monday (art. 34).
pub const ORDINARY_SESSIONS: Article = Article(34);
/// At most 15 consecutive days; one extension by the president of at most 15 days (art. 35).
pub const SESSION_LENGTH: Article = Article(35);
pub const ORDINARY_MAX_DAYS: i64 = 15;
pub const EXTENSION_MAX_DAYS: u32 = 15;
/// The written convocation with the agenda, timetable, points and documents, at least 10 days
/// before the opening (art. 36).
pub const CONVOCATION: Article = Article(36);
pub const CONVOCATION_DAYS: u32 = 10;
/// Extraordinary session asked by members: the president may refuse a third's request, with
/// reasons, within 10 days; an absolute majority's request is held within 15 days; the session
/// lasts at most 7 consecutive days (art. 37).
pub const EXTRAORDINARY_BY_MEMBERS: Article = Article(37);
pub const REFUSAL_DAYS: u64 = 10;
pub const MAJORITY_HELD_WITHIN_DAYS: u64 = 15;
pub const EXTRAORDINARY_MAX_DAYS: i64 = 7;
/// Extraordinary session asked by the governor: held within 10 days, convocations 3 days
/// before (art. 38).
pub const EXTRAORDINARY_BY_GOVERNOR: Article = Article(38);
pub const GOVERNOR_HELD_WITHIN_DAYS: u64 = 10;
pub const GOVERNOR_CONVOCATION_DAYS: u32 = 3;
/// The agenda goes to the governor at least 20 days before the session (art. 39).
pub const AGENDA_TO_GOVERNOR: Article = Article(39);
pub const AGENDA_DAYS: u64 = 20;
/// The governor's added points (art. 40) and oppositions to points outside the council's
/// competence (art. 42), within 8 days of receiving the agenda.
pub const GOVERNOR_ADDITIONS: Article = Article(40);
pub const GOVERNOR_OPPOSES_POINTS: Article = Article(42);
pub const GOVERNOR_REPLY_DAYS: u64 = 8;
/// Quorum: more than half of the members in office at the opening; else a second convocation
/// 3 to 5 days later; else the council meets after the third following working day, validly
/// whatever the attendance (art. 43).
pub const QUORUM: Article = Article(43);
/// Absolute majority of the votes cast; on a tie the president's vote decides (art. 44).
pub const MAJORITY: Article = Article(44);
/// Minutes and the register of decisions, each decision signed by president and secretary (art. 48).
pub const MINUTES: Article = Article(48);
/// A copy of the attendance register to the governor within 5 days after the session (art. 68).
pub const ATTENDANCE_COPY: Article = Article(68);
pub const ATTENDANCE_COPY_DAYS: u64 = 5;
/// Minutes and decisions to the governor within 10 working days of the closing (art. 107).
pub const TRANSMISSION: Article = Article(107);
/// The governor's opposition within 3 working days of the receipt (art. 108).
pub const OPPOSITION: Article = Article(108);
/// The governor's visa of decisions on cooperation and twinning agreements, within 20 days of
/// the receipt; silence counts as a visa (art. 109).
pub const VISA: Article = Article(109);
/// A copy of the minutes to each member within 15 days; the decisions posted at the council's
/// seat within 10 days (art. 217).
pub const PUBLICITY: Article = Article(217);
pub const MINUTES_TO_MEMBERS_DAYS: u64 = 15;
pub const POSTING_DAYS: u64 = 10;

/// The opening day of an ordinary session: the second Monday of its month, or the first
/// working day after it when that Monday is not a working day (art. 34).
pub fn opening_day(year: i32, month: u32, days: &WorkingDays) -> Option<NaiveDate> {
    let monday = NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 2)?;
    Some(if days.is_working_day(monday) { monday } else { days.add(monday, 1) })
}

/// The opening day of the first ordinary session (January, June, September) on or after `from`
/// (art. 34): what "new session" proposes, and when a decision opposed by the governor comes
/// back to the council.
pub fn next_ordinary_opening(from: NaiveDate, days: &WorkingDays) -> NaiveDate {
    let year = from.year();
    [year, year + 1]
        .into_iter()
        .flat_map(|y| crate::model::session::ORDINARY_MONTHS.map(|m| opening_day(y, m, days)))
        .flatten()
        .find(|d| *d >= from)
        .expect("an ordinary session every few months")
}

/// Whether the members present make the quorum: more than half of those in office (art. 43).
pub fn quorum_met(present: u32, in_office: u32) -> bool {
    u64::from(present) * 2 > u64::from(in_office)
}

/// The days on which a second convocation may meet after a sitting without quorum: 3 to 5 days
/// later (art. 43).
pub fn second_convocation_window(failed: NaiveDate) -> (NaiveDate, NaiveDate) {
    (failed + Days::new(3), failed + Days::new(5))
}

/// The first day a third meeting may be held after a second one without quorum: after the
/// third working day that follows it (art. 43).
pub fn third_convocation_from(failed: NaiveDate, days: &WorkingDays) -> NaiveDate {
    days.add(failed, 3) + Days::new(1)
}

/// The side that carries a vote: the absolute majority of the votes cast (abstentions are not
/// cast); on a tie, the side the president voted for (art. 44). None: a tie the president's
/// vote does not decide (not recorded, or he abstained), or no vote cast.
pub fn carried(votes_for: u32, votes_against: u32, president_for: Option<bool>) -> Option<bool> {
    match votes_for.cmp(&votes_against) {
        std::cmp::Ordering::Greater => Some(true),
        std::cmp::Ordering::Less => Some(false),
        std::cmp::Ordering::Equal if votes_for == 0 => None,
        std::cmp::Ordering::Equal => president_for,
    }
}

/// Whether a sitting deliberates validly whatever the attendance: a third convocation after two
/// sittings without quorum (art. 43), or the meeting a session the governor asked for holds the
/// working day after a sitting without quorum (art. 38).
pub fn valid_whatever_attendance(by: crate::model::RequestedBy, round: u8) -> bool {
    round >= 3 || (by == crate::model::RequestedBy::Governor && round >= 2)
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
pub fn next_meeting(by: crate::model::RequestedBy, round: u8, failed: NaiveDate, days: &WorkingDays) -> NextMeeting {
    if by == crate::model::RequestedBy::Governor {
        return NextMeeting::NextWorkingDay(days.add(failed, 1));
    }
    if round <= 1 {
        let (from, to) = second_convocation_window(failed);
        NextMeeting::Second { from, to }
    } else {
        NextMeeting::Third { from: third_convocation_from(failed, days) }
    }
}

/// How many consecutive days a session lasts from its first to its last sitting.
pub fn length_in_days(first: NaiveDate, last: NaiveDate) -> i64 {
    (last - first).num_days() + 1
}

/// Whether a day is a weekend day (Saturday or Sunday, the public sector's week).
pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
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
pub fn session_findings(
    s: &crate::model::SessionData,
    days: &WorkingDays,
    legal: &crate::calendar::LegalSettings,
    lang: Lang,
) -> Vec<Finding> {
    use crate::model::{RequestedBy, SessionKind};
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
pub fn convocation_delay(by: crate::model::RequestedBy, legal: &crate::calendar::LegalSettings) -> (u32, Article) {
    match by {
        crate::model::RequestedBy::Governor => (GOVERNOR_CONVOCATION_DAYS, EXTRAORDINARY_BY_GOVERNOR),
        _ => (legal.convocation_days, CONVOCATION),
    }
}

/// Within how many days of the request an asked-for session is held, and the article.
pub fn held_within(by: crate::model::RequestedBy) -> Option<(u64, Article)> {
    match by {
        crate::model::RequestedBy::MembersMajority => Some((MAJORITY_HELD_WITHIN_DAYS, EXTRAORDINARY_BY_MEMBERS)),
        crate::model::RequestedBy::Governor => Some((GOVERNOR_HELD_WITHIN_DAYS, EXTRAORDINARY_BY_GOVERNOR)),
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

    #[test]
    fn articles_are_cited_as_a_list_with_the_law_named_once() {
        let (a, b, c) = (Article(40), Article(42), Article(43));
        assert_eq!(Article::cite_all(&[a, b], Lang::Ar), "المادتين 40 و42 من القانون التنظيمي 112.14");
        assert_eq!(Article::cite_all(&[a, b, c], Lang::Ar), "المواد 40 و42 و43 من القانون التنظيمي 112.14");
        assert_eq!(Article::cite_all(&[a, b], Lang::Fr), "articles 40 et 42 de la loi organique 112-14");
        assert_eq!(Article::cite_all(&[a, b, c], Lang::Fr), "articles 40, 42 et 43 de la loi organique 112-14");
        assert_eq!(Article::cite_all(&[a, b, c], Lang::En), "arts. 40, 42 and 43 of Organic Law 112-14");
        assert_eq!(Article::cite_all(&[a], Lang::Fr), a.cite(Lang::Fr));
    }

    #[test]
    fn the_opening_day_moves_to_the_next_working_day_when_the_second_monday_is_a_holiday() {
        let rules = HolidayRules::default();
        let days = WorkingDays::new(&rules);
        // 8 June 2026 is a plain Monday.
        assert_eq!(opening_day(2026, 6, &days), Some(ymd(2026, 6, 8)));
        // 12 January 2026 is a working Monday; 11 January 2027 is the Manifesto of
        // Independence: the session opens on Tuesday 12 January 2027.
        assert_eq!(opening_day(2026, 1, &days), Some(ymd(2026, 1, 12)));
        assert_eq!(opening_day(2027, 1, &days), Some(ymd(2027, 1, 12)));
        // Two exceptional days off granted by decree on the second Monday and the Tuesday, added
        // by hand as a council would.
        let mut custom = HolidayRules::default();
        custom.fixed.push(crate::calendar::FixedHoliday {
            month: 9,
            day: 14,
            name_key: "Journée exceptionnelle".into(),
            from_year: Some(2026),
            until_year: None,
        });
        custom.fixed.push(crate::calendar::FixedHoliday {
            month: 9,
            day: 15,
            name_key: "Journée exceptionnelle 2".into(),
            from_year: Some(2026),
            until_year: None,
        });
        let days = WorkingDays::new(&custom);
        assert_eq!(opening_day(2026, 9, &days), Some(ymd(2026, 9, 16)), "two days off: the Wednesday");
        assert_eq!(opening_day(2025, 9, &days), Some(ymd(2025, 9, 8)), "a day off counts from its year");
    }

    #[test]
    fn the_next_ordinary_session_is_the_next_lawful_opening_day_from_a_date() {
        let rules = HolidayRules::default();
        let days = WorkingDays::new(&rules);
        // From December 2026: January 2027, whose second Monday is a holiday.
        assert_eq!(next_ordinary_opening(ymd(2026, 12, 7), &days), ymd(2027, 1, 12));
        // The opening day itself is still "next"; the day after it is not.
        assert_eq!(next_ordinary_opening(ymd(2026, 6, 8), &days), ymd(2026, 6, 8));
        assert_eq!(next_ordinary_opening(ymd(2026, 6, 9), &days), ymd(2026, 9, 14));
        assert_eq!(next_ordinary_opening(ymd(2026, 1, 1), &days), ymd(2026, 1, 12));
    }

    #[test]
    fn quorum_is_more_than_half_and_the_later_convocations_have_their_windows() {
        assert!(!quorum_met(15, 31));
        assert!(quorum_met(16, 31));
        assert!(!quorum_met(15, 30), "exactly half is not more than half");
        assert!(quorum_met(16, 30));
        assert_eq!(second_convocation_window(ymd(2026, 6, 8)), (ymd(2026, 6, 11), ymd(2026, 6, 13)));
        let rules = HolidayRules::default();
        let days = WorkingDays::new(&rules);
        // Failed again on Thursday 11 June 2026: Friday 12, Monday 15 and Wednesday 17 are the three
        // working days (Tuesday 16 June is 1 Muharram 1448); the council meets from Thursday 18.
        assert_eq!(third_convocation_from(ymd(2026, 6, 11), &days), ymd(2026, 6, 18));
    }

    #[test]
    fn the_absolute_majority_of_votes_cast_and_the_presidents_vote_on_a_tie() {
        assert_eq!(carried(12, 11, None), Some(true));
        assert_eq!(carried(11, 12, Some(true)), Some(false), "the president's vote only breaks a tie");
        assert_eq!(carried(10, 10, Some(true)), Some(true));
        assert_eq!(carried(10, 10, Some(false)), Some(false));
        assert_eq!(carried(10, 10, None), None);
        assert_eq!(carried(0, 0, Some(true)), None);
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
        session_findings(s, &WorkingDays::new(&rules), &crate::calendar::LegalSettings::default(), lang)
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

    #[test]
    fn articles_are_cited_in_each_language() {
        assert_eq!(CONVOCATION.cite(Lang::Ar), "المادة 36 من القانون التنظيمي 112.14");
        assert_eq!(CONVOCATION.cite(Lang::Fr), "art. 36 de la loi organique 112-14");
        assert_eq!(VISA.cite(Lang::En), "art. 109 of Organic Law 112-14");
    }
}
