//! Agreement (اتفاقية): twinning, partnership and cooperation, tripartite declaration,
//! membership, exchange, memorandum; its parties, dates, status and derived direction.

use super::to_complete::{self, Completable};
use super::{check_order, text_enum, Checks};
use crate::calendar::PartialDate;
use crate::error::{Error, Result, Rule};
use crate::{country, text};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

text_enum!(
    AgreementKind {
        Twinning = "twinning",
        Partnership = "partnership",
        Tripartite = "tripartite",
        Membership = "membership",
        Exchange = "exchange",
        Memorandum = "memorandum",
        Other = "other",
    }
);

text_enum!(
    /// Where an agreement stands. Morocco approves before effect: council vote, then the
    /// authority's approval, then signature, then force.
    AgreementStatus {
        Draft = "draft",
        CouncilApproved = "council_approved",
        AuthorityApproved = "authority_approved",
        Signed = "signed",
        InForce = "in_force",
        Expired = "expired",
        Terminated = "terminated",
    }
);

text_enum!(
    /// The cooperation's direction, from the partners' countries (the council is in Morocco).
    Direction {
        National = "national",
        SouthSouth = "south_south",
        SouthNorth = "south_north",
        Triangular = "triangular",
    }
);

/// Derives the direction from the partners' ISO country codes.
pub fn direction<'a>(countries: impl IntoIterator<Item = &'a str>) -> Option<Direction> {
    let (mut north, mut south, mut home) = (false, false, false);
    for code in countries {
        match country::get(code) {
            Some(c) if c.code == country::HOME => home = true,
            Some(c) if c.north => north = true,
            Some(_) => south = true,
            None => {}
        }
    }
    match (north, south) {
        (true, true) => Some(Direction::Triangular),
        (true, false) => Some(Direction::SouthNorth),
        (false, true) => Some(Direction::SouthSouth),
        (false, false) if home => Some(Direction::National),
        _ => None,
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AgreementData {
    pub kind: AgreementKind,
    #[serde(default)]
    pub title_ar: String,
    #[serde(default)]
    pub title_fr: String,
    /// Free text; the UI suggests articles 85, 94 and 141 of Organic Law 112-14.
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub reference: String,
    /// Partner ids; the council itself is always a party and is not listed.
    #[serde(default)]
    pub parties: Vec<i64>,
    /// Areas of cooperation (tags).
    #[serde(default)]
    pub areas: Vec<String>,
    /// Partial dates as ISO text (`2018-04-25`, `2016`), empty when unknown.
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub signed_at: String,
    #[serde(default)]
    pub effective_from: String,
    #[serde(default)]
    pub duration_months: Option<u32>,
    #[serde(default)]
    pub end_on: String,
    #[serde(default)]
    pub tacit_renewal: bool,
    #[serde(default)]
    pub notes: String,
}

impl Completable for AgreementData {
    fn lacks(&self, field: &str) -> bool {
        match field {
            "parties" => self.parties.len() < self.min_parties(),
            "signed_on" => self.signed_on.trim().is_empty(),
            "effective_from" => self.effective_from.trim().is_empty(),
            "end_on" => self.end_on.trim().is_empty(),
            _ => false,
        }
    }
}

impl AgreementData {
    /// The partners an agreement of its kind names besides the council: two for a tripartite
    /// declaration, else one.
    pub fn min_parties(&self) -> usize {
        if self.kind == AgreementKind::Tripartite {
            2
        } else {
            1
        }
    }

    pub fn validate(self) -> Result<Self> {
        self.validate_leaving(&[])
    }

    /// As `validate`, the fields of `to_complete` aside: fewer parties than the kind needs are
    /// kept when "parties" is to complete (model::to_complete).
    pub fn validate_leaving(mut self, to_complete: &[String]) -> Result<Self> {
        // Every wrong field said at once (model::Checks).
        let mut c = Checks::default();
        let need_title = self.title_fr.trim().is_empty();
        self.title_ar = c.take(text::line("title_ar", &self.title_ar, need_title));
        self.title_fr = c.take(text::line("title_fr", &self.title_fr, false));
        self.legal_basis = c.take(text::line("legal_basis", &self.legal_basis, false));
        self.reference = c.take(text::line("reference", &self.reference, false));
        self.signed_at = c.take(text::line("signed_at", &self.signed_at, false));
        self.notes = c.take(text::block("notes", &self.notes));
        if self.parties.len() < self.min_parties() && !to_complete::leaves(to_complete, "parties") {
            c.push(Error::invalid("parties", Rule::TooFewParties));
        }
        let mut seen = std::collections::HashSet::new();
        if !self.parties.iter().all(|p| seen.insert(*p)) {
            c.push(Error::invalid("parties", Rule::DuplicateParty));
        }
        let mut areas = Vec::new();
        for a in &self.areas {
            let a = c.take(text::line("areas", a, false));
            if !a.is_empty() && !areas.contains(&a) {
                areas.push(a);
            }
        }
        self.areas = areas;
        self.signed_on = c.take(PartialDate::normalise_field("signed_on", &self.signed_on));
        self.effective_from = c.take(PartialDate::normalise_field("effective_from", &self.effective_from));
        self.end_on = c.take(PartialDate::normalise_field("end_on", &self.end_on));
        if let Some(m) = self.duration_months {
            if !(1..=1200).contains(&m) {
                c.push(Error::invalid("duration_months", Rule::OutOfRange));
            }
        }
        // The dates compared once each reads (an end before its start).
        if c.clean() {
            c.take(check_order("effective_from", self.signed_on_date().as_ref(), self.effective_from_date().as_ref()));
            c.take(check_order("end_on", self.start_date().as_ref(), self.end_on_date().as_ref()));
        }
        c.done(self)
    }

    pub fn signed_on_date(&self) -> Option<PartialDate> {
        PartialDate::stored(&self.signed_on)
    }
    pub fn effective_from_date(&self) -> Option<PartialDate> {
        PartialDate::stored(&self.effective_from)
    }
    pub fn end_on_date(&self) -> Option<PartialDate> {
        PartialDate::stored(&self.end_on)
    }

    /// When the agreement starts: in force from, else signed on.
    pub fn start_date(&self) -> Option<PartialDate> {
        self.effective_from_date().or_else(|| self.signed_on_date())
    }

    /// The last day of the agreement: its end date, else start + duration. None when open-ended.
    pub fn expires_on(&self) -> Option<NaiveDate> {
        if let Some(end) = self.end_on_date() {
            return Some(end.last_day());
        }
        let start = self.start_date()?.first_day();
        let months = self.duration_months?;
        start.checked_add_months(Months::new(months)).and_then(|d| d.pred_opt())
    }
}

/// One step of an agreement's status, with the date it happened.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: AgreementStatus,
    pub on: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub recorded_at: String,
    /// The session whose deliberation made the change (a note "deliberation:2027/1"), to open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn bamako() -> AgreementData {
        AgreementData {
            kind: AgreementKind::Partnership,
            title_ar: "اتفاقية شراكة وتعاون".into(),
            title_fr: "Convention de partenariat".into(),
            legal_basis: String::new(),
            reference: String::new(),
            parties: vec![1],
            areas: vec![" تكوين ".into(), "تكوين".into(), "".into()],
            signed_on: "25/04/2018".into(),
            signed_at: "الرباط".into(),
            effective_from: String::new(),
            duration_months: Some(36),
            end_on: String::new(),
            tacit_renewal: true,
            notes: String::new(),
        }
    }

    #[test]
    fn validates_and_derives_the_end() {
        let a = bamako().validate().unwrap();
        assert_eq!(a.signed_on, "2018-04-25");
        assert_eq!(a.areas, vec!["تكوين"]);
        assert_eq!(a.expires_on().unwrap().to_string(), "2021-04-24");
    }

    #[test]
    fn refuses_what_cannot_be() {
        let mut a = bamako();
        a.end_on = "2017".into();
        assert_eq!(a.validate().unwrap_err().to_string(), "invalid end_on: end_before_start");
        let mut a = bamako();
        a.signed_on = "31 June 2018".into();
        assert_eq!(a.validate().unwrap_err().field(), Some("signed_on"));
        let mut a = bamako();
        a.kind = AgreementKind::Tripartite;
        assert_eq!(a.validate().unwrap_err().code(), "invalid.too_few_parties");
        let mut a = bamako();
        a.parties = vec![1, 1];
        assert_eq!(a.validate().unwrap_err().code(), "invalid.duplicate_party");
        let mut a = bamako();
        a.duration_months = Some(0);
        assert_eq!(a.validate().unwrap_err().field(), Some("duration_months"));
        let mut a = bamako();
        a.title_ar.clear();
        a.title_fr.clear();
        assert_eq!(a.validate().unwrap_err().field(), Some("title_ar"));
    }

    #[test]
    fn directions() {
        assert_eq!(direction(["ML"]), Some(Direction::SouthSouth));
        assert_eq!(direction(["FR"]), Some(Direction::SouthNorth));
        assert_eq!(direction(["SN", "FR"]), Some(Direction::Triangular));
        assert_eq!(direction(["MA"]), Some(Direction::National));
        assert_eq!(direction([]), None);
    }
}
