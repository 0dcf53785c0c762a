//! Member of the council (عضو المجلس) for a mandate: name in Arabic and French, role in the
//! bureau, committee. The list of a mandate makes the convocations (one per member), the
//! attendance register and the count of members in office for the quorum (art. 43 of Organic
//! Law 112-14).

use super::text_enum;
use crate::error::{Error, Result, Rule};
use crate::text;
use serde::{Deserialize, Serialize};

text_enum!(
    MemberRole {
        Member = "member",
        President = "president",
        VicePresident = "vice_president",
        Secretary = "secretary",
        DeputySecretary = "deputy_secretary",
    }
);

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MemberData {
    /// The year the mandate began (councils are elected in September: 2015, 2021, …).
    pub mandate: i32,
    #[serde(default)]
    pub name_ar: String,
    #[serde(default)]
    pub name_fr: String,
    #[serde(default)]
    pub role: MemberRole,
    #[serde(default)]
    pub committee: String,
}

impl MemberData {
    pub fn validate(mut self) -> Result<Self> {
        // Every wrong field said at once (model::Checks).
        let mut c = super::Checks::default();
        if !(1976..=2100).contains(&self.mandate) {
            c.push(Error::invalid("mandate", Rule::OutOfRange));
        }
        let no_name = self.name_ar.trim().is_empty() && self.name_fr.trim().is_empty();
        self.name_ar = c.take(text::line("name_ar", &self.name_ar, no_name));
        self.name_fr = c.take(text::line("name_fr", &self.name_fr, false));
        self.committee = c.take(text::line("committee", &self.committee, false));
        c.done(self)
    }

    /// The name in a language, the other one when it is all there is.
    pub fn name(&self, lang: crate::Lang) -> &str {
        match (lang, self.name_ar.is_empty(), self.name_fr.is_empty()) {
            (crate::Lang::Ar, false, _) | (_, false, true) => &self.name_ar,
            _ => &self.name_fr,
        }
    }
}

/// The mandate a session belongs to: the latest one begun before it (a September election opens
/// the mandate from that month's session).
pub fn mandate_of(mandates: &[i32], year: i32, month: u32) -> Option<i32> {
    mandates.iter().copied().filter(|m| *m < year || (*m == year && month >= 9)).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrong_field_of_a_member_is_said_at_once() {
        let m = MemberData { mandate: 21, committee: "a\u{202E}b".into(), ..Default::default() };
        let said: Vec<_> =
            m.validate().unwrap_err().into_each().iter().map(|e| e.field().unwrap().to_string()).collect();
        assert_eq!(said, ["mandate", "name_ar", "committee"]);
    }

    #[test]
    fn a_member_needs_a_name_and_a_real_mandate() {
        let m = MemberData { mandate: 2021, name_fr: " Fatima Zahra Benali ".into(), ..Default::default() };
        let m = m.validate().unwrap();
        assert_eq!(m.name(crate::Lang::Ar), "Fatima Zahra Benali", "the only name there is");
        assert_eq!(
            MemberData { mandate: 2021, ..Default::default() }.validate().unwrap_err().code(),
            "invalid.required"
        );
        assert_eq!(
            MemberData { mandate: 21, name_ar: "أ".into(), ..Default::default() }.validate().unwrap_err().field(),
            Some("mandate")
        );
        let hostile = MemberData { mandate: 2021, name_ar: "\u{202E}علي".into(), ..Default::default() };
        assert!(hostile.validate().is_err(), "bidi controls refused as everywhere");
    }

    #[test]
    fn sessions_belong_to_the_mandate_begun_before_them() {
        let m = [2015, 2021];
        assert_eq!(mandate_of(&m, 2021, 6), Some(2015));
        assert_eq!(mandate_of(&m, 2021, 9), Some(2021));
        assert_eq!(mandate_of(&m, 2026, 1), Some(2021));
        assert_eq!(mandate_of(&m, 2014, 1), None);
    }
}
