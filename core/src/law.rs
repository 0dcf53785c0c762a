//! Organic Law 112-14 on prefectures and provinces (B.O. n° 6380, 23 July 2015): the articles
//! Taawun applies to sessions and deliberations, each rule written once here beside its
//! article, and how an article is cited in the user's language ("المادة 36 من القانون التنظيمي
//! 112.14", "art. 36 de la loi organique 112-14").
//!
//! The delays a council may read differently in its internal rules stay settings
//! (`model::LegalSettings`, whose defaults are the values below); the others are the text.
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
/// The months of the ordinary sessions (art. 34).
pub const ORDINARY_MONTHS: [u32; 3] = [1, 6, 9];
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
        .flat_map(|y| ORDINARY_MONTHS.map(|m| opening_day(y, m, days)))
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

/// How many consecutive days a session lasts from its first to its last sitting.
pub fn length_in_days(first: NaiveDate, last: NaiveDate) -> i64 {
    (last - first).num_days() + 1
}

/// Whether a day is a weekend day (Saturday or Sunday, the public sector's week).
pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
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

    #[test]
    fn articles_are_cited_in_each_language() {
        assert_eq!(CONVOCATION.cite(Lang::Ar), "المادة 36 من القانون التنظيمي 112.14");
        assert_eq!(CONVOCATION.cite(Lang::Fr), "art. 36 de la loi organique 112-14");
        assert_eq!(VISA.cite(Lang::En), "art. 109 of Organic Law 112-14");
    }
}
