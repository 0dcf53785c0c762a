//! `list`: a kind's records with the list's filters and sort, a page at a time (with a
//! "from–to of total" note on stderr) or every page (`--all`, one JSON object a line with
//! `--json`).

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use std::io::Write;
use taawun_core::i18n::{tr, tr_args, Lang};
use taawun_core::model::*;
use taawun_core::store::{ListQuery, Store};
use taawun_core::{country, Error, Result};

/// What one page of a list shows: whether more follow, how many it shows, its lines for a person and its
/// JSON.
struct Listed {
    has_more: bool,
    shown: usize,
    lines: Vec<String>,
    value: serde_json::Value,
}

impl Listed {
    fn of<T: serde::Serialize>(page: &taawun_core::store::Page<T>, lines: Vec<String>) -> Result<Listed> {
        Ok(Listed { has_more: page.has_more, shown: page.items.len(), lines, value: serde_json::to_value(page)? })
    }
}

pub(crate) fn list(cx: &mut Ctx, a: ListArgs) -> Result<()> {
    let (store, lang, json) = (&cx.store, cx.lang, cx.json);
    let mut q = ListQuery { sort: a.sort, desc: a.desc, limit: a.limit, offset: a.offset, ..a.filters.query() };
    if a.all {
        q.limit = Some(ListQuery::MAX_LIMIT);
    }
    loop {
        let Listed { has_more, shown, lines, mut value } = page(store, a.kind, &q, lang)?;
        let total = if a.all { None } else { Some(store.count(a.kind, &q)?) };
        if json {
            if let Some(total) = total {
                value["total"] = total.into();
                emit(&serde_json::to_string_pretty(&value)?)?;
            } else {
                for item in value["items"].as_array().into_iter().flatten() {
                    emit(&serde_json::to_string(item)?)?;
                }
            }
        } else {
            for l in lines {
                emit(&l)?;
            }
        }
        let next = q.offset as i64 + shown as i64;
        if let Some(total) = total {
            if !json {
                let from = q.offset as i64 + (shown > 0) as i64;
                let note = tr_args(
                    lang,
                    "cli.page",
                    &[("from", &from.to_string()), ("to", &next.to_string()), ("total", &total.to_string())],
                );
                // The page line is a note beside the output: a closed stderr does not stop the list.
                let _ = writeln!(std::io::stderr(), "{note}");
            }
            return Ok(());
        }
        if !has_more {
            return Ok(());
        }
        q.offset = next as u32;
    }
}

/// The page of `kind` the query asks for, a line a record.
fn page(store: &Store, kind: Entity, q: &ListQuery, lang: Lang) -> Result<Listed> {
    let label = |group: &str, code: &str| tr(lang, &format!("{group}.{code}"));
    match kind {
        Entity::Partner => {
            let p = store.list_partners(q)?;
            let line = |r: &taawun_core::store::PartnerRow| {
                let name = name_of(&r.name_ar, &r.name_latin, lang);
                let kind = label("partner_kind", r.kind.as_str());
                format!("{}\t{name}\t{}\t{kind}", r.id, country::name(&r.country, lang))
            };
            Listed::of(&p, p.items.iter().map(line).collect())
        }
        Entity::Agreement => {
            let p = store.list_agreements(q)?;
            let line = |r: &taawun_core::store::AgreementRow| {
                let title = name_of(&r.title_ar, &r.title_fr, lang);
                format!("{}\t{}\t{title}\t{}", r.id, r.signed_on, label("agreement_status", r.status.as_str()))
            };
            Listed::of(&p, p.items.iter().map(line).collect())
        }
        Entity::Project => {
            let p = store.list_projects(q)?;
            let line = |r: &taawun_core::store::ProjectRow| {
                let totals = r.totals.iter().map(|m| m.display(lang)).collect::<Vec<_>>().join(" + ");
                format!("{}\t{}\t{}\t{totals}", r.id, r.fund_edition, name_of(&r.title_ar, &r.title_fr, lang))
            };
            Listed::of(&p, p.items.iter().map(line).collect())
        }
        Entity::Member => {
            // One mandate's list, whole (--year names the mandate; the latest by default).
            let members = store.members(q.year)?;
            let lines = members.iter().map(|m| member_line(m, lang)).collect();
            Ok(Listed { has_more: false, shown: members.len(), lines, value: serde_json::to_value(&members)? })
        }
        Entity::Document => {
            let p = store.list_documents(q)?;
            Listed::of(&p, p.items.iter().map(|d| document_line(d, lang)).collect())
        }
        Entity::Membership => {
            let p = store.list_memberships(q)?;
            let line = |r: &taawun_core::store::MembershipRow| {
                format!("{}\t{}\t{}", r.id, name_of(&r.partner_name_ar, &r.partner_name_latin, lang), r.since)
            };
            Listed::of(&p, p.items.iter().map(line).collect())
        }
        Entity::Session => {
            let p = store.list_sessions(q)?;
            Listed::of(&p, p.items.iter().map(|r| session_row_line(r, lang)).collect())
        }
        // Points and deliberations are listed with their session (`session show`, `point list`).
        Entity::Point | Entity::Deliberation => Err(Error::invalid("kind", taawun_core::error::Rule::UnknownValue)),
    }
}
