//! How a row becomes each kind of record: a partner, an agreement, a project or a membership,
//! matched to the stored one and checked as the forms check it.

use super::cells::{country_of, country_with, split_currency};
use super::planner::{Found, Planned, Planner, RowErrors};
use super::table::Cell;
use crate::error::{Error, Rule};
use crate::i18n::Lang;
use crate::model::to_complete::remaining;
use crate::model::*;
use crate::store::ImportChange;
use crate::text::fold;

impl Planner<'_> {
    pub(super) fn partner(&self, cells: &[Cell], by_uuid: Option<i64>, errors: &mut RowErrors) -> Planned {
        let name_ar = self.text(cells, "name_ar").unwrap_or_default();
        let name_latin = self.text(cells, "name_latin").unwrap_or_default();
        let country_text = self.text(cells, "country").unwrap_or_default();
        let country = self.country(&country_text, errors);
        let keys = country
            .as_deref()
            .map(|c| vec![format!("{c}|{}", fold(&name_ar)), format!("{c}|{}", fold(&name_latin))])
            .unwrap_or_default();
        let (id, matched_by) = match by_uuid {
            Some(id) => (Some(id), None),
            None => (self.by_names(&keys, "name_ar", errors), Some("names")),
        };
        let current = id.and_then(|id| crate::store::partner_data(self.conn, id).ok());
        let base = current.clone().unwrap_or_else(|| PartnerData {
            kind: if country.as_deref() == Some(crate::country::HOME) {
                PartnerKind::NationalCollectivity
            } else {
                PartnerKind::ForeignCollectivity
            },
            ..Default::default()
        });
        // «جماعة», «Commune»: a collectivity, foreign or national by the country.
        let kind = match self.text(cells, "kind").filter(|t| !t.is_empty()) {
            Some(t) if self.kinds.code(&t) == Some(super::synonyms::COLLECTIVITY) => {
                if country.as_deref().unwrap_or(&base.country) == crate::country::HOME {
                    PartnerKind::NationalCollectivity
                } else {
                    PartnerKind::ForeignCollectivity
                }
            }
            _ => self.chosen(cells, "kind", &self.kinds, PartnerKind::parse, errors).unwrap_or(base.kind),
        };
        let data = PartnerData {
            kind,
            name_ar: self.take(cells, "name_ar", &base.name_ar),
            name_latin: self.take(cells, "name_latin", &base.name_latin),
            short_name: self.take(cells, "short_name", &base.short_name),
            country: country.unwrap_or(base.country.clone()),
            region: self.take(cells, "region", &base.region),
            city: self.take(cells, "city", &base.city),
            address: self.take(cells, "address", &base.address),
            contacts: base.contacts.clone(),
            notes: self.take(cells, "notes", &base.notes),
        };
        let label = data.display_name(self.lang).to_string();
        let key = keys.iter().find(|k| !k.ends_with('|')).cloned();
        Planned::checked(
            data.validate(),
            current.as_ref(),
            |data| ImportChange::Partner { id, uuid: None, data },
            label,
            Found { id, matched_by, key },
            errors,
        )
    }

    pub(super) fn agreement(
        &self,
        cells: &[Cell],
        number: usize,
        by_uuid: Option<i64>,
        errors: &mut RowErrors,
    ) -> Planned {
        let reference = self.text(cells, "reference").unwrap_or_default();
        // Read before matching: a registry without titles is matched by the title derived from
        // kind and partners, so importing it again updates what the first import made.
        let kind_cell = self.chosen(cells, "kind", &self.kinds, AgreementKind::parse, errors);
        let status = self.chosen(cells, "status", &self.statuses, AgreementStatus::parse, errors);
        // The row's country narrows homonyms and is the country of the partners it proposes.
        let country_text = self.text(cells, "country").unwrap_or_default();
        let country = self.country(&country_text, errors);
        let parties_cell = self.parties(cells, country.as_deref(), !country_text.is_empty(), number, errors);
        let (title_ar_cell, title_fr_cell) =
            (self.text(cells, "title_ar").unwrap_or_default(), self.text(cells, "title_fr").unwrap_or_default());
        let derive = title_ar_cell.is_empty() && title_fr_cell.is_empty();
        // The year of signature tells apart two agreements of one kind with the same partners.
        let year = self.date(cells, "signed_on", "", errors).get(..4).map(str::to_string);
        let year = year.as_deref();
        // A row naming no partner (to complete) is matched by the title it was given, «… (2018)».
        let title_keys = match (parties_cell.as_deref(), derive) {
            (parties, true) => {
                let parties = parties.unwrap_or_default();
                let kind = kind_cell.unwrap_or(AgreementKind::Partnership);
                vec![
                    fold(&self.derived_title(kind, parties, year, Lang::Ar)),
                    fold(&self.derived_title(kind, parties, year, Lang::Fr)),
                ]
            }
            _ => vec![fold(&title_ar_cell), fold(&title_fr_cell)],
        };
        let (id, matched_by) = match by_uuid {
            Some(id) => (Some(id), None),
            None => self.agreement_by_reference(&reference, &title_keys, errors),
        };
        let current = id.and_then(|id| crate::store::agreement_data(self.conn, id).ok());
        let base = current
            .clone()
            .map(|(d, _)| d)
            .unwrap_or_else(|| AgreementData { kind: AgreementKind::Partnership, ..Default::default() });
        let kind = kind_cell.unwrap_or(base.kind);
        let parties = parties_cell.unwrap_or_else(|| base.parties.clone());
        let duration_months = self.duration(cells, base.duration_months, errors);
        let (mut title_ar, mut title_fr) =
            (self.take(cells, "title_ar", &base.title_ar), self.take(cells, "title_fr", &base.title_fr));
        // A registry without titles: the title the council would write, from kind and partners.
        let mut derived = Vec::new();
        if derive && current.is_none() {
            // Without partners the row is wrong anyway: the title does not hide why.
            title_ar = self.derived_title(kind, &parties, year, Lang::Ar);
            title_fr = self.derived_title(kind, &parties, year, Lang::Fr);
            derived = vec!["title_ar", "title_fr"];
        }
        let data = AgreementData {
            kind,
            title_ar,
            title_fr,
            legal_basis: self.take(cells, "legal_basis", &base.legal_basis),
            reference: self.take(cells, "reference", &base.reference),
            parties,
            areas: base.areas.clone(),
            signed_on: self.date(cells, "signed_on", &base.signed_on, errors),
            signed_at: self.take(cells, "signed_at", &base.signed_at),
            effective_from: self.date(cells, "effective_from", &base.effective_from, errors),
            duration_months,
            end_on: self.end_on(cells, &base, errors),
            tacit_renewal: base.tacit_renewal,
            notes: self.take(cells, "notes", &base.notes),
        };
        // A row naming fewer partners than its kind needs (a tripartite declaration whose
        // registry column holds one name, a signed agreement whose partner cell is empty): in as
        // it is, to complete. A row that names no partner and holds nothing else that a record
        // is known by (a reference, a date) is no agreement (a total under the titles): refused.
        let named = self.text(cells, "parties").unwrap_or_default();
        let known_by = ["reference", "signed_on", "effective_from"]
            .iter()
            .any(|f| self.text(cells, f).is_some_and(|t| !t.trim().is_empty()));
        if data.parties.len() < data.min_parties()
            && (!named.trim().is_empty() || known_by)
            && !errors.refuses("parties")
            && !errors.refuses("country")
            && !errors.leaving().iter().any(|f| f == "parties")
        {
            errors.leave("parties", &named, Error::invalid("parties", Rule::TooFewParties));
        }
        let mut data = data;
        data.notes = errors.kept_in(&data.notes, number);
        let leaving = errors.leaving();
        let label = agreement_label(&data, self.lang);
        let key = Some(fold(&data.reference))
            .filter(|r| !r.is_empty())
            .or_else(|| title_keys.iter().find(|k| !k.is_empty()).cloned());
        let status_changes = status.filter(|s| current.as_ref().is_none_or(|(_, old)| old != s));
        let mut planned = Planned::checked(
            data.validate_leaving(&leaving),
            current.as_ref().map(|(d, _)| d),
            |data| {
                let to_complete = remaining(&leaving, &data);
                ImportChange::Agreement { id, uuid: None, data, status: status_changes, to_complete }
            },
            label,
            Found { id, matched_by, key },
            errors,
        );
        if let (Some((_, unchanged)), Some(_)) = (&mut planned.change, status_changes) {
            *unchanged = false;
        }
        planned.derived = derived;
        planned
    }

    /// The parties a row names (`;`, `؛` or a line apart), each found among the stored partners
    /// (narrowed by the row's country) or proposed as a new one; None when the cell is empty.
    fn parties(
        &self,
        cells: &[Cell],
        country: Option<&str>,
        country_named: bool,
        number: usize,
        errors: &mut RowErrors,
    ) -> Option<Vec<i64>> {
        let text = self.text(cells, "parties").filter(|t| !t.is_empty())?;
        let partners = self.partners.as_ref().expect("loaded for agreements");
        let mut ids = Vec::new();
        for name in text.split([';', '؛', '\n']).map(str::trim).filter(|n| !n.is_empty()) {
            match partners.find(name, country) {
                Ok(id) => ids.push(id),
                Err(Error::Invalid { rule: Rule::UnknownPartner, .. }) => {
                    match self.propose_party(name, country, country_named, number) {
                        Ok(id) => ids.push(id),
                        // A partner Taawun cannot create without its country: the agreement
                        // comes in without it, its name kept, to complete.
                        Err(e @ Error::Invalid { rule: Rule::UnknownPartnerNoCountry, .. }) => {
                            errors.leave("parties", name, e)
                        }
                        Err(e) => errors.push("parties", name, e),
                    }
                }
                Err(e) => errors.push("parties", name, e),
            }
        }
        Some(ids)
    }

    /// The stored agreement a row is: the one with its reference, or else the one with its titles.
    fn agreement_by_reference(
        &self,
        reference: &str,
        title_keys: &[String],
        errors: &mut RowErrors,
    ) -> (Option<i64>, Option<&'static str>) {
        let folded = fold(reference);
        match self.index.by_reference.get(&folded).filter(|_| !folded.is_empty()) {
            Some(ids) if ids.len() == 1 => (Some(ids[0]), Some("reference")),
            Some(_) => {
                errors.push("reference", reference, Error::invalid("reference", Rule::AmbiguousMatch));
                (None, None)
            }
            None => (self.by_names(title_keys, "title_ar", errors), Some("names")),
        }
    }

    /// The duration cell in months, or the stored one (an error on the row when it is no number).
    fn duration(&self, cells: &[Cell], stored: Option<u32>, errors: &mut RowErrors) -> Option<u32> {
        match self.text(cells, "duration_months").filter(|d| !d.is_empty()) {
            Some(d) => d.trim().parse::<u32>().map(Some).unwrap_or_else(|_| {
                errors.push("duration_months", &d, Error::invalid("duration_months", Rule::OutOfRange));
                stored
            }),
            None => stored,
        }
    }

    /// The end date. An export's expiry column reads as the end date; when it is only the expiry
    /// computed from the duration, the record keeps its end date empty.
    fn end_on(&self, cells: &[Cell], base: &AgreementData, errors: &mut RowErrors) -> String {
        let end = self.date(cells, "end_on", &base.end_on, errors);
        let computed = base.expires_on().map(|d| d.format("%Y-%m-%d").to_string());
        if base.end_on.is_empty() && computed.as_deref() == Some(end.as_str()) {
            String::new()
        } else {
            end
        }
    }

    /// A country cell read, or an error on the row when it names none Taawun knows.
    pub(super) fn country(&self, text: &str, errors: &mut RowErrors) -> Option<String> {
        if text.is_empty() {
            return None;
        }
        let found = country_with(text, &self.values);
        if found.is_none() {
            errors.push("country", text, Error::invalid("country", Rule::UnknownValue));
        }
        found
    }

    /// A partner a row names that Taawun does not have, proposed from the row: its name (Arabic
    /// or Latin by its script), the row's country, a kind guessed from the name («جمعية»: an
    /// NGO, «CGLU»: an organisation, else a collectivity, foreign or national by the country).
    fn propose_party(
        &self,
        name: &str,
        country: Option<&str>,
        country_given: bool,
        row: usize,
    ) -> crate::error::Result<i64> {
        let Some(country) = country else {
            // Named with its country on another row: that one. A country that does not read
            // is the row's one error (the same error again is not repeated).
            return self.new_parties.borrow_mut().named(name, row).ok_or_else(|| {
                if country_given {
                    Error::invalid("country", Rule::UnknownValue)
                } else {
                    Error::invalid("parties", Rule::UnknownPartnerNoCountry)
                }
            });
        };
        let collectivity = if country == crate::country::HOME {
            PartnerKind::NationalCollectivity
        } else {
            PartnerKind::ForeignCollectivity
        };
        let kind = match self.partner_kinds.code(name) {
            Some(code) => PartnerKind::parse("kind", code).unwrap_or(collectivity),
            None => collectivity,
        };
        let arabic = name.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        let data = PartnerData {
            kind,
            name_ar: if arabic { name.to_string() } else { String::new() },
            name_latin: if arabic { String::new() } else { name.to_string() },
            country: country.to_string(),
            ..Default::default()
        }
        .validate()
        .map_err(|e| match e {
            Error::Invalid { rule, .. } => Error::invalid("parties", rule),
            other => other,
        })?;
        Ok(self.new_parties.borrow_mut().propose(data, row))
    }

    /// «اتفاقية شراكة وتعاون مع جماعة باماكو (2021)», «Convention de jumelage avec … (2009)».
    fn derived_title(&self, kind: AgreementKind, parties: &[i64], year: Option<&str>, lang: Lang) -> String {
        let new = self.new_parties.borrow();
        let partners = self.partners.as_ref().expect("loaded for agreements");
        let names: Vec<String> = parties
            .iter()
            .filter_map(|id| match *id {
                id if id < 0 => new.list.get((-id - 1) as usize).map(|p| p.data.display_name(lang).to_string()),
                id => partners.names.get(&id).map(|(ar, latin)| {
                    if lang == Lang::Ar && !ar.is_empty() || latin.is_empty() {
                        ar.clone()
                    } else {
                        latin.clone()
                    }
                }),
            })
            .collect();
        let and = if lang == Lang::Ar { " و" } else { ", " };
        let names = if names.is_empty() { "…".to_string() } else { names.join(and) };
        let title =
            crate::i18n::tr_args(lang, &format!("import.derived_title.{}", kind.as_str()), &[("partners", &names)]);
        match year {
            Some(year) => format!("{title} ({year})"),
            None => title,
        }
    }

    pub(super) fn project(
        &self,
        cells: &[Cell],
        number: usize,
        by_uuid: Option<i64>,
        errors: &mut RowErrors,
    ) -> Planned {
        let agreement_text = self.text(cells, "agreement_id").unwrap_or_default();
        let agreement = if agreement_text.is_empty() {
            None
        } else {
            let key = fold(&agreement_text);
            let found = self
                .agreements
                .by_uuid
                .get(&agreement_text.to_ascii_lowercase())
                .map(|id| vec![*id])
                .or_else(|| self.agreements.by_reference.get(&key).cloned())
                .or_else(|| self.agreements.by_name.get(&key).cloned());
            match found.as_deref() {
                Some([one]) => Some(*one),
                Some(_) => {
                    errors.push("agreement_id", &agreement_text, Error::invalid("agreement_id", Rule::AmbiguousMatch));
                    None
                }
                None => {
                    errors.push(
                        "agreement_id",
                        &agreement_text,
                        Error::invalid("agreement_id", Rule::UnknownAgreement),
                    );
                    None
                }
            }
        };
        let keys = agreement
            .map(|a| {
                vec![
                    format!("{a}|{}", fold(&self.text(cells, "title_ar").unwrap_or_default())),
                    format!("{a}|{}", fold(&self.text(cells, "title_fr").unwrap_or_default())),
                ]
            })
            .unwrap_or_default();
        let (id, matched_by) = match by_uuid {
            Some(id) => (Some(id), None),
            None => (self.by_names(&keys, "title_ar", errors), Some("names")),
        };
        let current = id.and_then(|id| crate::store::project_data(self.conn, id).ok());
        if agreement.is_none() && current.is_none() && agreement_text.is_empty() {
            errors.push("agreement_id", "", Error::invalid("agreement_id", Rule::Required));
        }
        let base =
            current.clone().unwrap_or_else(|| ProjectData { status: ProjectStatus::Planned, ..Default::default() });
        let status = self.chosen(cells, "status", &self.statuses, ProjectStatus::parse, errors).unwrap_or(base.status);
        let data = ProjectData {
            agreement_id: agreement.unwrap_or(base.agreement_id),
            title_ar: self.take(cells, "title_ar", &base.title_ar),
            title_fr: self.take(cells, "title_fr", &base.title_fr),
            fund: self.take(cells, "fund", &base.fund),
            fund_edition: self.take(cells, "fund_edition", &base.fund_edition),
            tranche: self.take(cells, "tranche", &base.tranche),
            implementing_bodies: base.implementing_bodies.clone(),
            start_on: self.date(cells, "start_on", &base.start_on, errors),
            end_on: self.date(cells, "end_on", &base.end_on, errors),
            status,
            budget_lines: base.budget_lines.clone(),
            activities: base.activities.clone(),
            beneficiaries: self.take(cells, "beneficiaries", &base.beneficiaries),
            notes: self.take(cells, "notes", &base.notes),
        };
        let label = if self.lang == Lang::Ar && !data.title_ar.is_empty() || data.title_fr.is_empty() {
            data.title_ar.clone()
        } else {
            data.title_fr.clone()
        };
        let key = keys.iter().find(|k| !k.ends_with('|')).cloned();
        let mut data = data;
        data.notes = errors.kept_in(&data.notes, number);
        let leaving = errors.leaving();
        Planned::checked(
            data.validate_leaving(&leaving),
            current.as_ref(),
            |data| {
                let to_complete = remaining(&leaving, &data);
                ImportChange::Project { id, uuid: None, data, to_complete }
            },
            label,
            Found { id, matched_by, key },
            errors,
        )
    }

    pub(super) fn membership(
        &self,
        cells: &[Cell],
        number: usize,
        by_uuid: Option<i64>,
        errors: &mut RowErrors,
    ) -> Planned {
        let organisation = self.text(cells, "partner_id").unwrap_or_default();
        let country = self.text(cells, "country").and_then(|c| country_of(&c));
        let partner = if organisation.is_empty() {
            None
        } else {
            self.partners
                .as_ref()
                .expect("loaded for memberships")
                .find(&organisation, country.as_deref())
                .map_err(|e| {
                    errors.push(
                        "partner_id",
                        &organisation,
                        Error::invalid(
                            "partner_id",
                            match e {
                                Error::Invalid { rule, .. } => rule,
                                _ => Rule::UnknownPartner,
                            },
                        ),
                    )
                })
                .ok()
        };
        let (id, matched_by) = match by_uuid {
            Some(id) => (Some(id), None),
            None => (partner.and_then(|p| self.by_names(&[p.to_string()], "partner_id", errors)), Some("names")),
        };
        let current = id.and_then(|id| crate::store::membership_data(self.conn, id).ok());
        if partner.is_none() && current.is_none() && organisation.is_empty() {
            errors.push("partner_id", "", Error::invalid("partner_id", Rule::Required));
        }
        let base = current.clone().unwrap_or_default();
        let (dues_amount, dues_currency) = match self.text(cells, "dues_amount").filter(|t| !t.is_empty()) {
            None => (base.dues_amount.clone(), base.dues_currency.clone()),
            Some(text) => split_currency(&text),
        };
        let data = MembershipData {
            partner_id: partner.unwrap_or(base.partner_id),
            since: self.date(cells, "since", &base.since, errors),
            dues_amount,
            dues_currency,
            dues_minor: None,
            notes: self.take(cells, "notes", &base.notes),
        };
        let label = organisation.clone();
        let key = partner.map(|p| p.to_string());
        let mut data = data;
        data.notes = errors.kept_in(&data.notes, number);
        let leaving = errors.leaving();
        Planned::checked(
            data.validate_leaving(&leaving),
            current.as_ref(),
            |data| {
                let to_complete = remaining(&leaving, &data);
                ImportChange::Membership { id, uuid: None, data, to_complete }
            },
            label,
            Found { id, matched_by, key },
            errors,
        )
    }
}

/// How an agreement is named in the import's preview: its title in the user's language, or the
/// other one.
fn agreement_label(data: &AgreementData, lang: Lang) -> String {
    let (first, second) =
        if lang == Lang::Ar { (&data.title_ar, &data.title_fr) } else { (&data.title_fr, &data.title_ar) };
    if first.is_empty() {
        second.clone()
    } else {
        first.clone()
    }
}
