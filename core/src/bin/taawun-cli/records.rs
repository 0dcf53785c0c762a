//! The records themselves: create the database, the sample, one record, update, status,
//! history, trash and restore, the home counts, synthetic records, countries, search. Lists are
//! `listing`'s, and adding a record `adding`'s.

use crate::args::*;
use crate::out::*;
use crate::Ctx;
use taawun_core::i18n::{tr, tr_args};
use taawun_core::model::*;
use taawun_core::store::{self, generate};
use taawun_core::{country, Result};

pub(crate) fn init(cx: &mut Ctx) -> Result<()> {
    let (store, lang, json, path) = (&mut cx.store, cx.lang, cx.json, &cx.db);
    let v = store::migrations::version(store.conn())?;
    print(json, &serde_json::json!({"db": path, "schema_version": v}), || {
        tr_args(lang, "cli.init", &[("path", &path.display().to_string()), ("version", &v.to_string())])
    })?;
    Ok(())
}

pub(crate) fn sample(cx: &mut Ctx, SampleArgs { remove }: SampleArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    if remove {
        let n = store.remove_sample()?;
        print(json, &serde_json::json!({"moved_to_trash": n}), || {
            tr_args(lang, "cli.sample_removed", &[("count", &taawun_core::plural::counted(lang, "record", n as u64))])
        })?;
    } else {
        let loaded = store.load_sample()?;
        print(json, &serde_json::json!({"loaded": loaded}), || {
            tr(lang, if loaded { "cli.sample_loaded" } else { "cli.sample_present" })
        })?;
    }
    Ok(())
}

pub(crate) fn show(cx: &mut Ctx, ShowArgs { kind, id }: ShowArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let text = |v: &dyn Human| v.human(lang);
    match kind {
        Entity::Partner => {
            let v = store.partner_view(id)?;
            print(json, &v, || text(&v))?
        }
        Entity::Agreement => {
            let v = store.agreement_view(id)?;
            print(json, &v, || text(&v))?
        }
        Entity::Project => {
            let v = store.project_view(id)?;
            print(json, &v, || text(&v))?
        }
        Entity::Membership => {
            let v = store.membership_view(id)?;
            print(json, &v, || text(&v))?
        }
        Entity::Document => {
            let v = store.get_document(id)?;
            print(json, &v, || document_line(&v, lang))?
        }
        Entity::Session => {
            let v = store.session_view(id, lang)?;
            print(json, &v, || session_text(&v, lang))?
        }
        Entity::Point => {
            let p = store.get_point(id)?;
            print(json, &p, || point_line(&p, lang))?
        }
        Entity::Deliberation => {
            let v = store.get_deliberation(id, lang)?;
            print(json, &v, || deliberation_line(&v, lang))?
        }
        Entity::Member => {
            let m = store.get_member(id)?;
            print(json, &m, || member_line(&m, lang))?
        }
    }
    Ok(())
}

pub(crate) fn update(cx: &mut Ctx, UpdateArgs { kind, id, from_json }: UpdateArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let out = match kind {
        Entity::Partner => serde_json::to_value(store.update_partner(id, read_json(&from_json)?, None)?)?,
        Entity::Agreement => serde_json::to_value(store.update_agreement(id, read_json(&from_json)?, None)?)?,
        Entity::Project => serde_json::to_value(store.update_project(id, read_json(&from_json)?, None)?)?,
        Entity::Membership => serde_json::to_value(store.update_membership(id, read_json(&from_json)?, None)?)?,
        Entity::Document => serde_json::to_value(store.update_document(id, read_json(&from_json)?, None)?)?,
        Entity::Session => serde_json::to_value(store.update_session(id, read_json(&from_json)?, None)?)?,
        Entity::Point => serde_json::to_value(store.update_point(id, read_json(&from_json)?, None)?)?,
        Entity::Deliberation => serde_json::to_value(store.update_deliberation(id, read_json(&from_json)?, None)?)?,
        Entity::Member => serde_json::to_value(store.update_member(id, read_json(&from_json)?, None)?)?,
    };
    print(json, &out, || {
        tr_args(lang, "cli.updated", &[("what", &tr(lang, &format!("entity.{kind}"))), ("id", &id.to_string())])
    })?;
    Ok(())
}

pub(crate) fn status(cx: &mut Ctx, StatusArgs { id, status, on, note }: StatusArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let status = AgreementStatus::parse("status", &status)?;
    let v = store.set_agreement_status(id, status, on.as_deref(), &note)?;
    print(json, &v, || {
        tr_args(
            lang,
            "cli.status_set",
            &[("id", &id.to_string()), ("status", &tr(lang, &format!("agreement_status.{}", status.as_str())))],
        )
    })?;
    Ok(())
}

pub(crate) fn history(cx: &mut Ctx, HistoryArgs { kind, id }: HistoryArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let h = store.history(kind, id)?;
    print(json, &h, || {
        h.iter()
            .map(|e| {
                let field = e.field.as_deref().map(|f| tr(lang, &format!("field.{f}"))).unwrap_or_default();
                format!(
                    "{}  {}  {}  {} → {} {}",
                    e.at,
                    tr(lang, &format!("history.{}", e.action)),
                    field,
                    e.old_value.as_deref().unwrap_or("∅"),
                    e.new_value.as_deref().unwrap_or("∅"),
                    e.detail
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    Ok(())
}

pub(crate) fn delete(cx: &mut Ctx, DeleteArgs { kind, id }: DeleteArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    store.delete(kind, id)?;
    print(json, &serde_json::json!({"deleted": {"kind": kind, "id": id}}), || {
        tr_args(lang, "cli.deleted", &[("what", &tr(lang, &format!("entity.{kind}"))), ("id", &id.to_string())])
    })?;
    Ok(())
}

/// `restore KIND ID` brings a record back from the trash (`restore FILE` is a backup's).
pub(crate) fn restore(cx: &mut Ctx, RestoreArgs { what, id, .. }: RestoreArgs) -> Result<()> {
    let Some(id) = id else { unreachable!("`restore FILE` runs before the store is opened (main.rs)") };
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let kind: Entity = what.parse()?;
    store.restore(kind, id)?;
    print(json, &serde_json::json!({"restored": {"kind": kind, "id": id}}), || {
        tr_args(lang, "cli.restored", &[("what", &tr(lang, &format!("entity.{kind}"))), ("id", &id.to_string())])
    })?;
    Ok(())
}

pub(crate) fn trash(cx: &mut Ctx) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let t = store.trash()?;
    print(json, &t, || {
        t.iter()
            .map(|i| format!("{}:{}\t{}\t{}", i.entity, i.id, name_of(&i.label_ar, &i.label_latin, lang), i.deleted_at))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    Ok(())
}

pub(crate) fn home(cx: &mut Ctx) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let h = store.home(taawun_core::calendar::today())?;
    print(json, &h, || {
        format!(
            "{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}\n{}: {}",
            tr(lang, "nav.partners"),
            h.partners,
            tr(lang, "nav.agreements"),
            h.agreements,
            tr(lang, "nav.projects"),
            h.projects,
            tr(lang, "nav.memberships"),
            h.memberships,
            tr(lang, "home.expiring"),
            h.attention.expiring.len(),
            tr(lang, "home.drafts"),
            h.attention.drafts_total
        ) + &format!(
            "\n{}: {} {}، {} {}، {} {}",
            tr(lang, "home.to_complete"),
            tr(lang, "nav.agreements"),
            h.to_complete.agreements,
            tr(lang, "nav.projects"),
            h.to_complete.projects,
            tr(lang, "nav.memberships"),
            h.to_complete.memberships
        )
        .replace('،', if lang == taawun_core::i18n::Lang::Ar { "،" } else { "," })
    })?;
    Ok(())
}

/// `complete KIND ID`: the officer says a record imported to complete is complete as it stands.
pub(crate) fn complete(cx: &mut Ctx, DeleteArgs { kind, id }: DeleteArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    store.mark_complete(kind, id)?;
    print(json, &serde_json::json!({"completed": {"kind": kind, "id": id}}), || tr(lang, "cli.marked_complete"))?;
    Ok(())
}

pub(crate) fn figures(cx: &mut Ctx, FiguresArgs { year }: FiguresArgs) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let f = store.figures(year, taawun_core::calendar::today())?;
    print(json, &f, || {
        let count = |key: &str, n: i64| tr_args(lang, key, &[("count", &n.to_string())]);
        let amounts = |list: &[store::Amount]| {
            list.iter()
                .map(|a| {
                    taawun_core::money::Money::new("amount", a.minor, &a.currency)
                        .map_or_else(|_| format!("{} {}", a.minor, a.currency), |m| m.display(lang))
                })
                .collect::<Vec<_>>()
                .join(" · ")
        };
        let mut lines = vec![
            tr(lang, "figures.title"),
            match year {
                Some(y) => tr_args(lang, "figures.year", &[("year", &y.to_string())]),
                None => tr(lang, "figures.all_years"),
            },
            String::new(),
            count("figures.agreements", f.agreements.total),
        ];
        let named = |prefix: &str, list: &[store::Count]| {
            list.iter()
                .map(|c| format!("  {}: {}", tr(lang, &format!("{prefix}.{}", c.key)), c.count))
                .collect::<Vec<_>>()
        };
        lines.extend(named("agreement_status", &f.agreements.by_status));
        lines.extend(named("agreement_kind", &f.agreements.by_kind));
        lines.extend(named("direction", &f.agreements.by_direction));
        lines.push(tr(lang, "figures.by_year"));
        for y in &f.agreements.by_year {
            let when = y.year.map_or_else(|| tr(lang, "figures.undated"), |y| y.to_string());
            lines.push(format!("  {when} · {}: {}", tr(lang, &format!("agreement_status.{}", y.status)), y.count));
        }
        lines.push(count("figures.expiring", f.agreements.expiring));
        lines.push(String::new());
        lines.push(tr(lang, "figures.funds"));
        for fund in &f.funds {
            let name = if fund.fund.is_empty() { tr(lang, "figures.no_fund") } else { fund.fund.clone() };
            lines.push(format!(
                "  {}",
                tr_args(lang, "figures.fund_line", &[("fund", &name), ("projects", &fund.projects.to_string())])
            ));
            lines.push(format!(
                "    {}",
                if fund.committed.is_empty() {
                    tr(lang, "figures.nothing_committed")
                } else {
                    tr_args(lang, "figures.committed", &[("amounts", &amounts(&fund.committed))])
                }
            ));
        }
        lines.push(String::new());
        lines.push(tr(lang, "figures.activities"));
        lines.extend(named("activity_kind", &f.activities.by_kind));
        lines.push(count("figures.people_trained", f.activities.people_trained));
        if f.activities.trainings_without_count > 0 {
            lines.push(count("figures.trainings_without_count", f.activities.trainings_without_count));
        }
        lines.push(String::new());
        lines.push(tr(lang, "figures.countries"));
        for c in &f.countries {
            let name = country::name(&c.country, lang);
            lines.push(format!(
                "  {}",
                tr_args(
                    lang,
                    "figures.country_line",
                    &[
                        ("country", &name),
                        ("partners", &taawun_core::plural::counted(lang, "partner", c.partners as u64)),
                        ("agreements", &taawun_core::plural::counted(lang, "agreement", c.agreements as u64))
                    ]
                )
            ));
        }
        lines.push(String::new());
        lines.push(count("figures.memberships", f.memberships.count));
        if !f.memberships.dues.is_empty() {
            lines.push(tr_args(lang, "figures.dues", &[("amounts", &amounts(&f.memberships.dues))]));
        }
        lines.join("\n")
    })?;
    Ok(())
}

pub(crate) fn generate(
    cx: &mut Ctx,
    GenerateArgs { partners, agreements, seed, sessions, points_per_session }: GenerateArgs,
) -> Result<()> {
    let (store, lang, json) = (&mut cx.store, cx.lang, cx.json);
    let g = store.generate(&generate::Options { partners, agreements, seed, sessions, points_per_session })?;
    print(json, &g, || {
        tr_args(
            lang,
            "cli.generated",
            &[
                ("partners", &taawun_core::plural::counted(lang, "partner", g.partners as u64)),
                ("agreements", &taawun_core::plural::counted(lang, "agreement", g.agreements as u64)),
            ],
        ) + &if g.sessions > 0 {
            format!(
                "\n{}",
                tr_args(
                    lang,
                    "cli.generated_sessions",
                    &[
                        ("sessions", &g.sessions.to_string()),
                        ("points", &g.points.to_string()),
                        ("deliberations", &g.deliberations.to_string())
                    ]
                )
            )
        } else {
            String::new()
        }
    })?;
    Ok(())
}

pub(crate) fn countries(cx: &mut Ctx) -> Result<()> {
    let (lang, json) = (cx.lang, cx.json);
    let all = country::all();
    print(json, &all, || all.iter().map(|c| format!("{}\t{}", c.code, c.name(lang))).collect::<Vec<_>>().join("\n"))?;
    Ok(())
}

pub(crate) fn search(
    cx: &mut Ctx,
    SearchArgs { query, kind, country, status, year, fund, limit }: SearchArgs,
) -> Result<()> {
    let (store, json) = (&mut cx.store, cx.json);
    let filters = store::SearchFilters { kind, country, status, year, fund };
    let hits = store.search(&query, &filters, limit)?;
    print(json, &hits, || {
        hits.iter().map(|h| format!("{}:{}\t{}\t{}", h.kind, h.id, h.label, h.detail)).collect::<Vec<_>>().join("\n")
    })?;
    Ok(())
}
