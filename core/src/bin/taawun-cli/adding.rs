//! `add`: a record from its flags, or from a JSON file of its fields (`--from-json`), checked as
//! the forms check it. Files come in through `attach`, which stores them in the vault first;
//! sessions, points and deliberations through `session add`, `point add` and `deliberate`.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use serde::de::DeserializeOwned;
use std::path::PathBuf;
use taawun_core::error::Rule;
use taawun_core::i18n::{tr, tr_args};
use taawun_core::model::*;
use taawun_core::{Error, Result};

pub(crate) fn add(cx: &mut Ctx, mut a: AddArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let kind = a.kind;
    let from_json = a.from_json.take();
    let (id, value) = match kind {
        Entity::Document | Entity::Session | Entity::Point | Entity::Deliberation => {
            return Err(Error::invalid("kind", Rule::UnknownValue))
        }
        Entity::Member => {
            let r = store.add_member(data_from(&from_json, || member(a))?)?;
            (r.id, serde_json::to_value(&r)?)
        }
        Entity::Partner => {
            let r = store.add_partner(data_from(&from_json, || partner(a))?)?;
            (r.id, serde_json::to_value(&r)?)
        }
        Entity::Agreement => {
            let r = store.add_agreement(data_from(&from_json, || agreement(a))?, None, None)?;
            (r.id, serde_json::to_value(&r)?)
        }
        Entity::Project => {
            let r = store.add_project(data_from(&from_json, || project(a))?)?;
            (r.id, serde_json::to_value(&r)?)
        }
        Entity::Membership => {
            let r = store.add_membership(data_from(&from_json, || membership(a))?)?;
            (r.id, serde_json::to_value(&r)?)
        }
    };
    print(json, &value, || {
        tr_args(lang, "cli.added", &[("what", &tr(lang, &format!("entity.{kind}"))), ("id", &id.to_string())])
    })?;
    Ok(())
}

/// The record's fields from the JSON file when one is named, else from the flags.
fn data_from<T: DeserializeOwned>(from_json: &Option<PathBuf>, flags: impl FnOnce() -> Result<T>) -> Result<T> {
    match from_json {
        Some(path) => read_json(path),
        None => flags(),
    }
}

fn member(a: AddArgs) -> Result<MemberData> {
    Ok(MemberData {
        mandate: a.mandate.ok_or_else(|| Error::invalid("mandate", Rule::Required))?,
        name_ar: a.name_ar,
        name_fr: a.name_latin,
        role: MemberRole::parse("role", a.type_.as_deref().unwrap_or("member"))?,
        committee: a.committee,
    })
}

fn partner(a: AddArgs) -> Result<PartnerData> {
    Ok(PartnerData {
        kind: PartnerKind::parse("kind", a.type_.as_deref().unwrap_or("foreign_collectivity"))?,
        name_ar: a.name_ar,
        name_latin: a.name_latin,
        country: a.country,
        city: a.city,
        notes: a.notes,
        ..Default::default()
    })
}

fn agreement(a: AddArgs) -> Result<AgreementData> {
    Ok(AgreementData {
        kind: AgreementKind::parse("kind", a.type_.as_deref().unwrap_or("partnership"))?,
        title_ar: a.title_ar,
        title_fr: a.title_fr,
        legal_basis: a.legal_basis,
        reference: a.reference,
        parties: a.parties,
        areas: a.areas,
        signed_on: a.signed_on,
        signed_at: a.signed_at,
        duration_months: a.duration_months,
        end_on: a.end_on,
        notes: a.notes,
        ..Default::default()
    })
}

fn project(a: AddArgs) -> Result<ProjectData> {
    Ok(ProjectData {
        // The budget is read first: a wrong line is named before a missing agreement.
        budget_lines: budget_lines(&a.budget, &a.currency)?,
        agreement_id: a.agreement.ok_or_else(|| Error::invalid("agreement_id", Rule::Required))?,
        title_ar: a.title_ar,
        title_fr: a.title_fr,
        fund: a.fund,
        fund_edition: a.fund_edition,
        start_on: a.start_on,
        end_on: a.end_on,
        status: ProjectStatus::parse("status", a.type_.as_deref().unwrap_or("planned"))?,
        notes: a.notes,
        ..Default::default()
    })
}

/// `--budget WHO:AMOUNT[:CURRENCY]` lines: WHO a partner's number, or `council`.
fn budget_lines(specs: &[String], currency: &str) -> Result<Vec<BudgetLine>> {
    specs
        .iter()
        .map(|spec| {
            let mut parts = spec.splitn(3, ':');
            let (who, amount, currency) =
                (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(currency));
            let partner_id = if who == "council" || who.is_empty() {
                None
            } else {
                Some(who.parse().map_err(|_| Error::invalid("budget_partner", Rule::UnknownValue))?)
            };
            Ok(BudgetLine { partner_id, amount: amount.into(), currency: currency.into(), ..Default::default() })
        })
        .collect()
}

fn membership(a: AddArgs) -> Result<MembershipData> {
    Ok(MembershipData {
        partner_id: a.partner.ok_or_else(|| Error::invalid("partner_id", Rule::Required))?,
        since: a.since,
        dues_amount: a.dues,
        dues_currency: a.currency,
        notes: a.notes,
        ..Default::default()
    })
}
