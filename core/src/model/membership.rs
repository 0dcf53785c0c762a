//! Membership (عضوية): the council's membership of an organisation of local governments
//! (UCLG Africa since May 2008), with its yearly dues.

use crate::calendar::PartialDate;
use crate::error::{Error, Result, Rule};
use crate::money::Money;
use crate::text;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MembershipData {
    /// The organisation (a partner).
    pub partner_id: i64,
    /// Since when, to the month or year if that is all that is known ("ماي 2008").
    pub since: String,
    /// Yearly dues as typed; empty when none. Normalised like budget amounts.
    #[serde(default)]
    pub dues_amount: String,
    #[serde(default)]
    pub dues_currency: String,
    #[serde(default)]
    pub dues_minor: Option<i64>,
    #[serde(default)]
    pub notes: String,
}

impl super::to_complete::Completable for MembershipData {
    fn lacks(&self, field: &str) -> bool {
        field == "since" && self.since.trim().is_empty()
    }
}

impl MembershipData {
    pub fn validate(self) -> Result<Self> {
        self.validate_leaving(&[])
    }

    /// As `validate`, with no date when "since" is to complete (model::to_complete).
    pub fn validate_leaving(mut self, to_complete: &[String]) -> Result<Self> {
        // Every wrong field said at once (model::Checks).
        let mut c = super::Checks::default();
        if self.since.trim().is_empty() && !super::to_complete::leaves(to_complete, "since") {
            c.push(Error::invalid("since", Rule::Required));
        }
        self.since = c.take(PartialDate::normalise_field("since", &self.since));
        self.notes = c.take(text::block("notes", &self.notes));
        if self.dues_amount.trim().is_empty() {
            self.dues_amount.clear();
            self.dues_minor = None;
        } else {
            match Money::parse("dues_amount", &self.dues_amount, &self.dues_currency) {
                Ok(m) => {
                    self.dues_amount = m.to_decimal();
                    self.dues_currency = m.currency;
                    self.dues_minor = Some(m.minor);
                }
                Err(e) => c.push(e),
            }
        }
        c.done(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_precision_and_dues() {
        let m = MembershipData {
            partner_id: 1,
            since: "ماي 2008".into(),
            dues_amount: "25 000".into(),
            dues_currency: "MAD".into(),
            dues_minor: None,
            notes: String::new(),
        }
        .validate()
        .unwrap();
        assert_eq!(m.since, "2008-05");
        assert_eq!(m.dues_minor, Some(2500000));
        let e = MembershipData {
            partner_id: 1,
            since: "".into(),
            dues_amount: String::new(),
            dues_currency: String::new(),
            dues_minor: None,
            notes: String::new(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field(), Some("since"));
    }
}
