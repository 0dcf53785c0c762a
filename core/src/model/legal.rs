//! The legal delays of the council's work, as settings the officer can change. The defaults are
//! the text of Organic Law 112-14 (each field names its article; the values are `crate::law`'s);
//! a council changes one only where its internal rules or the governor's practice read the
//! article differently.

use crate::error::{Error, Result, Rule};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LegalSettings {
    /// Minutes and deliberations reach the governor within this many working days after the
    /// session closes (10, art. 107).
    pub notify_working_days: u32,
    /// A reasoned opposition is notified within this many working days of the receipt (3, art. 108).
    pub opposition_working_days: u32,
    /// The governor's visa is deemed granted this many days after the receipt (20, art. 109).
    pub visa_days: u32,
    /// Whether `visa_days` counts working days (false: calendar days).
    pub visa_in_working_days: bool,
    /// The convocation reaches the members this many days before the opening (10, art. 36; 3 for
    /// a session the governor asked for, art. 38, which is not a setting).
    pub convocation_days: u32,
    /// Quorum: more than this share of the members in office (0.5, art. 43).
    pub quorum_ratio: f64,
    /// How deliberations are numbered: `{year}` and `{seq}` (the order in the year).
    pub number_pattern: String,
    /// The agreement kinds whose approval needs the governor's visa (art. 109 of Organic Law 112-14).
    pub visa_agreement_kinds: Vec<String>,
    /// Only when a party is foreign (outside Morocco).
    pub visa_foreign_only: bool,
}

impl Default for LegalSettings {
    fn default() -> Self {
        LegalSettings {
            notify_working_days: 10,
            opposition_working_days: 3,
            visa_days: 20,
            visa_in_working_days: false,
            convocation_days: 10,
            quorum_ratio: 0.5,
            number_pattern: "{year}/{seq}".into(),
            visa_agreement_kinds: ["twinning", "partnership", "tripartite", "exchange"].map(String::from).to_vec(),
            visa_foreign_only: true,
        }
    }
}

impl LegalSettings {
    pub fn validate(self) -> Result<Self> {
        let bounded = |field: &str, v: u32, max: u32| {
            if v == 0 || v > max {
                Err(Error::invalid(field, Rule::OutOfRange))
            } else {
                Ok(())
            }
        };
        bounded("notify_working_days", self.notify_working_days, 90)?;
        bounded("opposition_working_days", self.opposition_working_days, 90)?;
        bounded("visa_days", self.visa_days, 365)?;
        bounded("convocation_days", self.convocation_days, 90)?;
        if !(0.0..1.0).contains(&self.quorum_ratio) {
            return Err(Error::invalid("quorum_ratio", Rule::OutOfRange));
        }
        if !self.number_pattern.contains("{seq}") {
            return Err(Error::invalid("number_pattern", Rule::Required));
        }
        crate::text::line("number_pattern", &self.number_pattern, true)?;
        for k in &self.visa_agreement_kinds {
            super::AgreementKind::parse("visa_agreement_kinds", k)?;
        }
        Ok(self)
    }

    /// A deliberation number from the pattern.
    pub fn number(&self, year: i32, seq: u32) -> String {
        self.number_pattern.replace("{year}", &year.to_string()).replace("{seq}", &seq.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_values_and_edits_are_checked() {
        let s = LegalSettings::default().validate().unwrap();
        assert_eq!((s.notify_working_days, s.opposition_working_days, s.visa_days), (10, 3, 20));
        assert_eq!(s.number(2019, 7), "2019/7");
        let bad = LegalSettings { number_pattern: "{year}".into(), ..LegalSettings::default() };
        assert_eq!(bad.validate().unwrap_err().field(), Some("number_pattern"));
        let bad = LegalSettings { notify_working_days: 0, ..LegalSettings::default() };
        assert!(bad.validate().is_err());
        let bad = LegalSettings { visa_agreement_kinds: vec!["friendship".into()], ..LegalSettings::default() };
        assert!(bad.validate().is_err());
    }
}
