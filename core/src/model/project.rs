//! Project (مشروع): carried out under an agreement, funded by the parties and funds, with its
//! budget lines per party in their currency, implementing bodies and activities.

use super::{check_order, text_enum};
use crate::calendar::PartialDate;
use crate::error::{Error, Result, Rule};
use crate::money::Money;
use crate::text;
use serde::{Deserialize, Serialize};

text_enum!(
    ProjectStatus {
        Planned = "planned",
        Ongoing = "ongoing",
        Completed = "completed",
        Suspended = "suspended",
        Cancelled = "cancelled",
    }
);

text_enum!(
    ActivityKind {
        Training = "training",
        Visit = "visit",
        Study = "study",
        Event = "event",
        Equipment = "equipment",
        Other = "other",
    }
);

/// One party's contribution. `amount` is what the user typed; after validation it is the exact
/// decimal form of `minor` (what is stored) in the currency's digits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// The contributing partner; `None` is the council itself.
    #[serde(default)]
    pub partner_id: Option<i64>,
    /// Who or what, when not a partner (e.g. the Moroccan-French support fund).
    #[serde(default)]
    pub label: String,
    pub amount: String,
    pub currency: String,
    #[serde(default)]
    pub minor: i64,
}

impl BudgetLine {
    fn validate(&mut self) -> Result<()> {
        self.label = text::line("budget_label", &self.label, false)?;
        let money = Money::parse("budget_amount", &self.amount, &self.currency)?;
        self.amount = money.to_decimal();
        self.currency = money.currency;
        self.minor = money.minor;
        Ok(())
    }

    pub fn money(&self) -> Money {
        Money { minor: self.minor, currency: self.currency.clone() }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub kind: ActivityKind,
    pub title: String,
    #[serde(default)]
    pub start_on: String,
    #[serde(default)]
    pub end_on: String,
    /// For training sessions: how many people were trained.
    #[serde(default)]
    pub people_trained: Option<u32>,
    #[serde(default)]
    pub notes: String,
}

impl Activity {
    fn validate(&mut self) -> Result<()> {
        self.title = text::line("activity_title", &self.title, true)?;
        self.notes = text::block("activity_notes", &self.notes)?;
        self.start_on = PartialDate::normalise_field("activity_start_on", &self.start_on)?;
        self.end_on = PartialDate::normalise_field("activity_end_on", &self.end_on)?;
        check_order(
            "activity_end_on",
            PartialDate::stored(&self.start_on).as_ref(),
            PartialDate::stored(&self.end_on).as_ref(),
        )?;
        if self.people_trained.is_some_and(|n| n > 1_000_000) {
            return Err(Error::invalid("people_trained", Rule::OutOfRange));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectData {
    pub agreement_id: i64,
    #[serde(default)]
    pub title_ar: String,
    #[serde(default)]
    pub title_fr: String,
    /// Funding source, e.g. "Fonds de soutien à la coopération décentralisée maroco-française".
    #[serde(default)]
    pub fund: String,
    /// Edition of the fund, e.g. "2016-2018".
    #[serde(default)]
    pub fund_edition: String,
    #[serde(default)]
    pub tranche: String,
    #[serde(default)]
    pub implementing_bodies: Vec<String>,
    #[serde(default)]
    pub start_on: String,
    #[serde(default)]
    pub end_on: String,
    pub status: ProjectStatus,
    #[serde(default)]
    pub budget_lines: Vec<BudgetLine>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub beneficiaries: String,
    #[serde(default)]
    pub notes: String,
}

impl super::to_complete::Completable for ProjectData {
    fn lacks(&self, field: &str) -> bool {
        match field {
            "start_on" => self.start_on.trim().is_empty(),
            "end_on" => self.end_on.trim().is_empty(),
            _ => false,
        }
    }
}

impl ProjectData {
    /// As `validate`: the dates an import leaves to complete are not required of a project.
    pub fn validate_leaving(self, _to_complete: &[String]) -> Result<Self> {
        self.validate()
    }

    pub fn validate(mut self) -> Result<Self> {
        // Every wrong field said at once (model::Checks).
        let mut c = super::Checks::default();
        let need_title = self.title_fr.trim().is_empty();
        self.title_ar = c.take(text::line("title_ar", &self.title_ar, need_title));
        self.title_fr = c.take(text::line("title_fr", &self.title_fr, false));
        self.fund = c.take(text::line("fund", &self.fund, false));
        self.fund_edition = c.take(text::line("fund_edition", &self.fund_edition, false));
        self.tranche = c.take(text::line("tranche", &self.tranche, false));
        self.beneficiaries = c.take(text::block("beneficiaries", &self.beneficiaries));
        self.notes = c.take(text::block("notes", &self.notes));
        let mut bodies = Vec::new();
        for b in &self.implementing_bodies {
            let b = c.take(text::line("implementing_bodies", b, false));
            if !b.is_empty() {
                bodies.push(b);
            }
        }
        self.implementing_bodies = bodies;
        self.start_on = c.take(PartialDate::normalise_field("start_on", &self.start_on));
        self.end_on = c.take(PartialDate::normalise_field("end_on", &self.end_on));
        if c.clean() {
            c.take(check_order(
                "end_on",
                PartialDate::stored(&self.start_on).as_ref(),
                PartialDate::stored(&self.end_on).as_ref(),
            ));
        }
        for (i, line) in self.budget_lines.iter_mut().enumerate() {
            c.take(line.validate().map_err(|e| e.in_row(i)));
        }
        for (i, a) in self.activities.iter_mut().enumerate() {
            c.take(a.validate().map_err(|e| e.in_row(i)));
        }
        c.done(self)
    }

    /// Totals per currency, in the order currencies first appear.
    pub fn totals(&self) -> Vec<Money> {
        let mut totals: Vec<Money> = Vec::new();
        for l in &self.budget_lines {
            match totals.iter_mut().find(|t| t.currency == l.currency) {
                Some(t) => t.minor = t.minor.saturating_add(l.minor),
                None => totals.push(l.money()),
            }
        }
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ProjectData {
        ProjectData {
            agreement_id: 1,
            title_ar: "مشروع".into(),
            title_fr: String::new(),
            fund: String::new(),
            fund_edition: "2016-2018".into(),
            tranche: String::new(),
            implementing_bodies: vec!["مؤسسة التعاون الوطني".into(), " ".into()],
            start_on: "2017".into(),
            end_on: "2018-12".into(),
            status: ProjectStatus::Completed,
            budget_lines: vec![
                BudgetLine {
                    partner_id: None,
                    label: String::new(),
                    amount: "1 000 000,50".into(),
                    currency: "mad".into(),
                    minor: 0,
                },
                BudgetLine {
                    partner_id: Some(2),
                    label: String::new(),
                    amount: "50000".into(),
                    currency: "EUR".into(),
                    minor: 999,
                },
                BudgetLine {
                    partner_id: None,
                    label: "bis".into(),
                    amount: "10".into(),
                    currency: "MAD".into(),
                    minor: 0,
                },
            ],
            activities: vec![Activity {
                kind: ActivityKind::Training,
                title: "دورة تكوينية".into(),
                start_on: "2018-03-12".into(),
                end_on: "2018-03-16".into(),
                people_trained: Some(24),
                notes: String::new(),
            }],
            beneficiaries: String::new(),
            notes: String::new(),
        }
    }

    #[test]
    fn amounts_become_minor_units_and_totals_per_currency() {
        let p = base().validate().unwrap();
        assert_eq!(p.budget_lines[0].minor, 100000050);
        assert_eq!(p.budget_lines[0].amount, "1000000.50");
        assert_eq!(p.budget_lines[1].minor, 5000000, "the client's minor is ignored");
        assert_eq!(
            p.totals(),
            vec![Money { minor: 100001050, currency: "MAD".into() }, Money { minor: 5000000, currency: "EUR".into() }]
        );
        assert_eq!(p.implementing_bodies.len(), 1);
    }

    #[test]
    fn bad_project_fields() {
        let mut p = base();
        p.budget_lines[2].amount = "-3".into();
        let e = p.validate().unwrap_err();
        assert_eq!(e.to_string(), "invalid budget_amount: negative_amount");
        assert_eq!(e.row(), Some(2), "the third line is the wrong one");
        let mut p = base();
        p.end_on = "2016".into();
        assert_eq!(p.validate().unwrap_err().field(), Some("end_on"));
        let mut p = base();
        p.activities[0].end_on = "2018-03-01".into();
        assert_eq!(p.validate().unwrap_err().field(), Some("activity_end_on"));
    }
}
