//! Deliberation (مقرر): the council's decision on one agenda point, its vote, and what follows
//! it: an opposition of the governor (art. 108 of Organic Law 112-14), and the governor's visa (art. 109) for
//! the points that need one. The notification of the minutes to the governor belongs to the
//! session (all its deliberations are sent together).

use super::text_enum;
use crate::error::{Error, Result, Rule};
use crate::text;
use serde::{Deserialize, Serialize};

text_enum!(
    Outcome {
        Approved = "approved",
        Rejected = "rejected",
        Postponed = "postponed",
        Withdrawn = "withdrawn",
    }
);

text_enum!(
    VisaStatus {
        NotRequired = "not_required",
        Pending = "pending",
        Granted = "granted",
        DeemedGranted = "deemed_granted",
        Refused = "refused",
    }
);

text_enum!(
    /// How the president voted: it decides a tie (art. 44).
    PresidentVote {
        NotRecorded = "not_recorded",
        For = "for",
        Against = "against",
        Abstained = "abstained",
    }
);

/// The vote and decision, as recorded after the sitting.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DeliberationData {
    /// Left empty, the number is made from the configured pattern (e.g. `2019/7`).
    #[serde(default)]
    pub number: String,
    pub decided_on: String,
    pub members_present: u32,
    pub votes_for: u32,
    pub votes_against: u32,
    pub abstentions: u32,
    pub outcome: Outcome,
    #[serde(default)]
    pub decision_text: String,
    #[serde(default)]
    pub president_vote: PresidentVote,
}

impl DeliberationData {
    /// Checks the vote adds up; `members_in_office` (when known) bounds those present.
    pub fn validate(mut self, members_in_office: Option<u32>) -> Result<Self> {
        self.number = text::line("number", &self.number, false)?;
        self.decided_on = super::session::day_field("decided_on", &self.decided_on, true)?;
        self.decision_text = text::block("decision_text", &self.decision_text)?;
        if self.members_present == 0 && matches!(self.outcome, Outcome::Approved | Outcome::Rejected) {
            return Err(Error::invalid("members_present", Rule::Required));
        }
        if members_in_office.is_some_and(|n| self.members_present > n) {
            return Err(Error::invalid("members_present", Rule::MoreThanInOffice));
        }
        let cast = u64::from(self.votes_for) + u64::from(self.votes_against) + u64::from(self.abstentions);
        if cast > u64::from(self.members_present) {
            return Err(Error::invalid("votes_for", Rule::VotesExceedPresent));
        }
        // The absolute majority of the votes cast, the president's vote deciding a tie (art. 44).
        let president_for = match self.president_vote {
            PresidentVote::For => Some(true),
            PresidentVote::Against => Some(false),
            PresidentVote::NotRecorded | PresidentVote::Abstained => None,
        };
        let tie = self.votes_for == self.votes_against && self.votes_for > 0;
        let carried = crate::law::carried(self.votes_for, self.votes_against, president_for);
        match (self.outcome, carried) {
            (Outcome::Approved | Outcome::Rejected, None) if tie => {
                return Err(Error::invalid("president_vote", Rule::TieNeedsPresident))
            }
            (Outcome::Approved, Some(false) | None) | (Outcome::Rejected, Some(true)) => {
                return Err(Error::invalid("outcome", Rule::OutcomeContradictsVote))
            }
            _ => {}
        }
        Ok(self)
    }

    /// Whether fewer than the quorum (more than `ratio` of the members in office) were present.
    pub fn below_quorum(&self, members_in_office: Option<u32>, ratio: f64) -> bool {
        members_in_office.is_some_and(|n| f64::from(self.members_present) <= f64::from(n) * ratio)
    }
}

/// The approval (visa) as recorded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VisaData {
    pub status: VisaStatus,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub reference: String,
}

impl VisaData {
    pub fn validate(mut self) -> Result<Self> {
        self.on = super::session::day_field(
            "visa_on",
            &self.on,
            matches!(self.status, VisaStatus::Granted | VisaStatus::Refused),
        )?;
        self.reference = text::line("visa_reference", &self.reference, false)?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(present: u32, f: u32, a: u32, abst: u32, outcome: Outcome) -> DeliberationData {
        DeliberationData {
            number: String::new(),
            decided_on: "12/06/2019".into(),
            members_present: present,
            votes_for: f,
            votes_against: a,
            abstentions: abst,
            outcome,
            decision_text: String::new(),
            president_vote: PresidentVote::NotRecorded,
        }
    }

    #[test]
    fn a_tie_is_decided_by_the_presidents_vote() {
        let mut tie = vote(21, 10, 10, 1, Outcome::Approved);
        assert_eq!(tie.clone().validate(Some(31)).unwrap_err().code(), "invalid.tie_needs_president");
        tie.president_vote = PresidentVote::For;
        assert!(tie.clone().validate(Some(31)).is_ok());
        tie.president_vote = PresidentVote::Against;
        assert_eq!(tie.clone().validate(Some(31)).unwrap_err().code(), "invalid.outcome_contradicts_vote");
        tie.outcome = Outcome::Rejected;
        assert!(tie.clone().validate(Some(31)).is_ok());
        tie.president_vote = PresidentVote::Abstained;
        assert_eq!(tie.validate(Some(31)).unwrap_err().field(), Some("president_vote"));
        // No vote cast at all cannot approve.
        assert_eq!(
            vote(20, 0, 0, 20, Outcome::Approved).validate(Some(31)).unwrap_err().code(),
            "invalid.outcome_contradicts_vote"
        );
    }

    #[test]
    fn votes_must_add_up_and_agree_with_the_outcome() {
        assert!(vote(25, 20, 3, 2, Outcome::Approved).validate(Some(31)).is_ok());
        assert_eq!(
            vote(25, 20, 4, 2, Outcome::Approved).validate(Some(31)).unwrap_err().code(),
            "invalid.votes_exceed_present"
        );
        assert_eq!(
            vote(40, 30, 0, 0, Outcome::Approved).validate(Some(31)).unwrap_err().code(),
            "invalid.more_than_in_office"
        );
        assert_eq!(
            vote(25, 10, 12, 3, Outcome::Approved).validate(None).unwrap_err().code(),
            "invalid.outcome_contradicts_vote"
        );
        assert_eq!(
            vote(25, 20, 2, 3, Outcome::Rejected).validate(None).unwrap_err().code(),
            "invalid.outcome_contradicts_vote"
        );
        assert!(vote(0, 0, 0, 0, Outcome::Withdrawn).validate(None).is_ok(), "a withdrawn point needs no vote");
        assert_eq!(vote(0, 0, 0, 0, Outcome::Approved).validate(None).unwrap_err().field(), Some("members_present"));
    }

    #[test]
    fn quorum_is_more_than_half_by_default() {
        assert!(vote(15, 15, 0, 0, Outcome::Approved).below_quorum(Some(31), 0.5));
        assert!(!vote(16, 15, 0, 0, Outcome::Approved).below_quorum(Some(31), 0.5));
        assert!(
            vote(15, 15, 0, 0, Outcome::Approved).below_quorum(Some(30), 0.5),
            "exactly half is not more than half"
        );
        assert!(
            !vote(1, 1, 0, 0, Outcome::Approved).below_quorum(None, 0.5),
            "unknown when the members in office are unknown"
        );
    }
}
