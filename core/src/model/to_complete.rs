//! Records brought in as they are. A registry row that lacks a party, or holds a date that cannot
//! exist ("31/06/2022"), comes in with what it has: the value left empty, the cell's text kept in
//! the record's notes, and the field listed as "to complete" with the record (the `to_complete`
//! column of agreements, projects and memberships). The list is shown on the record, counted on
//! the home view and filtered in the lists; a field leaves it when the officer fills it, and the
//! officer may mark the record complete as it stands (an unknown signing date stays unknown).
//!
//! A field to complete is also a rule relaxed: an agreement to complete may have fewer parties
//! than its kind needs, a membership to complete no date. Nothing else is relaxed.

/// What a record lacks, by field name.
pub trait Completable {
    /// The field is still to complete: empty, or (parties) fewer than the kind needs.
    fn lacks(&self, field: &str) -> bool;
}

/// The list as stored: field names joined by commas, empty when complete.
pub fn encode(fields: &[String]) -> String {
    fields.join(",")
}

/// The stored list read back.
pub fn decode(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|f| !f.is_empty()).map(str::to_string).collect()
}

/// The fields of `listed` the record still lacks, each once, in order.
pub fn remaining<T: Completable>(listed: &[String], data: &T) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for field in listed {
        if data.lacks(field) && !out.contains(field) {
            out.push(field.clone());
        }
    }
    out
}

/// Whether `field` is one of `to_complete`.
pub(crate) fn leaves(to_complete: &[String], field: &str) -> bool {
    to_complete.iter().any(|f| f == field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AgreementData, AgreementKind, MembershipData};

    #[test]
    fn a_field_leaves_the_list_once_filled() {
        let mut a = AgreementData { kind: AgreementKind::Tripartite, parties: vec![1], ..Default::default() };
        let listed = decode("parties, signed_on,parties");
        assert_eq!(remaining(&listed, &a), ["parties", "signed_on"]);
        a.parties.push(2);
        a.signed_on = "2022-06".into();
        assert!(remaining(&listed, &a).is_empty());
        assert_eq!(encode(&decode("")), "");
    }

    #[test]
    fn only_the_listed_rules_are_relaxed() {
        let a = AgreementData {
            kind: AgreementKind::Tripartite,
            title_ar: "إعلان ثلاثي".into(),
            parties: vec![1],
            ..Default::default()
        };
        assert_eq!(a.clone().validate().unwrap_err().code(), "invalid.too_few_parties");
        let checked = a.clone().validate_leaving(&["parties".into()]).unwrap();
        assert_eq!(checked.parties, [1]);
        // A date that cannot exist is still refused when typed, to complete or not.
        let mut wrong = a;
        wrong.signed_on = "31/06/2022".into();
        assert_eq!(wrong.validate_leaving(&["parties".into()]).unwrap_err().field(), Some("signed_on"));
        let m = MembershipData { partner_id: 1, ..Default::default() };
        assert_eq!(m.clone().validate().unwrap_err().field(), Some("since"));
        assert!(m.validate_leaving(&["since".into()]).is_ok());
    }
}
