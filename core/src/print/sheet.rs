//! The agreement sheet (بطاقة تقنية للاتفاقية): identity, parties, dates with the Hijri date,
//! duration and renewal, status with its history, projects with their budget per party and
//! totals in figures and in words, and the signed documents with their SHA-256.

use super::{day, PrintLang};
use crate::error::Result;
use crate::i18n::{tr, tr_args, Lang};
use crate::model::{BudgetLine, CouncilIdentity, Entity};
use crate::store::{AgreementView, ProjectView, Store};
use crate::typeset::Block;
use std::path::Path;

/// Writes the sheet of agreement `id` to `dest`; returns the number of pages. A bilingual sheet
/// is the Arabic sheet and the French sheet side by side (`super::side_by_side`).
pub fn agreement_sheet(store: &Store, id: i64, lang: PrintLang, dest: &Path) -> Result<usize> {
    let v = store.agreement_view(id)?;
    let identity = store.council_identity()?;
    let blocks = match lang {
        PrintLang::Both => super::side_by_side(
            sheet_blocks(store, &v, &identity, PrintLang::Ar)?,
            sheet_blocks(store, &v, &identity, PrintLang::Fr)?,
            false,
        ),
        _ => sheet_blocks(store, &v, &identity, lang)?,
    };
    let title = lang.title("sheet.title");
    let a = &v.record.data;
    let spec = super::council_paper(store, &identity, lang, title, lang.name(&a.title_ar, &a.title_fr));
    super::print_blocks(&spec, &blocks, dest)
}

/// The sheet's blocks in one language: its sections in order.
fn sheet_blocks(store: &Store, v: &AgreementView, identity: &CouncilIdentity, lang: PrintLang) -> Result<Vec<Block>> {
    let mut blocks = identity_section(v, lang);
    blocks.extend(dates_section(v, lang));
    blocks.extend(status_section(v, lang));
    blocks.extend(projects_section(store, v, lang)?);
    blocks.extend(documents_section(store, v, lang)?);
    if !identity.address.is_empty() {
        blocks.push(Block::Note { text: identity.address.clone() });
    }
    Ok(blocks)
}

/// What the agreement is: kind, titles, reference, legal basis, parties, areas, direction.
fn identity_section(v: &AgreementView, lang: PrintLang) -> Vec<Block> {
    let main = lang.main();
    let a = &v.record.data;
    let both = |key: &str| lang.label(key);
    let mut fields = vec![(both("field.kind"), lang.choice("agreement_kind", a.kind.as_str()))];
    if !a.title_ar.is_empty() {
        fields.push((both("field.title_ar"), a.title_ar.clone()));
    }
    if !a.title_fr.is_empty() {
        fields.push((both("field.title_fr"), a.title_fr.clone()));
    }
    if !a.reference.is_empty() {
        fields.push((both("field.reference"), a.reference.clone()));
    }
    if !a.legal_basis.is_empty() {
        fields.push((both("field.legal_basis"), a.legal_basis.clone()));
    }
    let parties: Vec<String> = v
        .parties
        .iter()
        .map(|p| format!("{} ({})", lang.name(&p.name_ar, &p.name_latin), crate::country::name(&p.country, main)))
        .collect();
    fields.push((both("field.parties"), parties.join("\n")));
    if !a.areas.is_empty() {
        fields.push((both("field.areas"), a.areas.join(main.list_separator())));
    }
    if let Some(d) = v.direction {
        fields.push((both("sheet.direction"), lang.choice("direction", d.as_str())));
    }
    vec![Block::Heading { text: both("sheet.identity"), level: 1 }, Block::Fields(fields)]
}

/// When: signed (with the Hijri date) and where, in force from, duration, end, expiry, renewal.
fn dates_section(v: &AgreementView, lang: PrintLang) -> Vec<Block> {
    let main = lang.main();
    let a = &v.record.data;
    let both = |key: &str| lang.label(key);
    let mut dates = Vec::new();
    if !a.signed_on.is_empty() {
        let hijri = v.signed_on_hijri.as_ref().map(|h| format!(" ({})", h.display(main))).unwrap_or_default();
        dates.push((both("field.signed_on"), format!("{}{hijri}", day(&a.signed_on, main))));
    }
    if !a.signed_at.is_empty() {
        dates.push((both("field.signed_at"), a.signed_at.clone()));
    }
    if !a.effective_from.is_empty() {
        dates.push((both("field.effective_from"), day(&a.effective_from, main)));
    }
    if let Some(m) = a.duration_months {
        dates.push((both("field.duration_months"), crate::plural::counted(main, "month", m.into())));
    }
    if !a.end_on.is_empty() {
        dates.push((both("field.end_on"), day(&a.end_on, main)));
    }
    if let Some(e) = &v.expires_on {
        dates.push((both("sheet.expires_on"), day(e, main)));
    }
    dates.push((both("field.tacit_renewal"), tr(main, if a.tacit_renewal { "sheet.yes" } else { "sheet.no" })));
    vec![Block::Heading { text: both("sheet.dates"), level: 1 }, Block::Fields(dates)]
}

/// The status, and its history with the deliberation or visa behind each change.
fn status_section(v: &AgreementView, lang: PrintLang) -> Vec<Block> {
    let main = lang.main();
    let both = |key: &str| lang.label(key);
    let mut blocks = vec![
        Block::Heading { text: both("sheet.status"), level: 1 },
        Block::Fields(vec![(both("field.status"), lang.choice("agreement_status", v.status.as_str()))]),
    ];
    if !v.status_changes.is_empty() {
        let rows = v
            .status_changes
            .iter()
            .map(|s| {
                vec![day(&s.on, main), lang.choice("agreement_status", s.status.as_str()), status_note(&s.note, main)]
            })
            .collect();
        blocks.push(Block::Table {
            columns: vec![
                (both("field.status_on"), 1.0),
                (both("field.status"), 1.3),
                (both("field.status_note"), 2.2),
            ],
            rows,
        });
    }
    blocks
}

/// The projects under the agreement, each with its fund, period, bodies, beneficiaries, budget
/// per party and totals in figures and in words.
fn projects_section(store: &Store, v: &AgreementView, lang: PrintLang) -> Result<Vec<Block>> {
    if v.projects.is_empty() {
        return Ok(Vec::new());
    }
    let mut blocks = vec![Block::Heading { text: lang.label("detail.projects"), level: 1 }];
    for row in &v.projects {
        blocks.extend(project_blocks(&store.project_view(row.id)?, lang));
    }
    Ok(blocks)
}

fn project_blocks(p: &ProjectView, lang: PrintLang) -> Vec<Block> {
    let main = lang.main();
    let both = |key: &str| lang.label(key);
    let d = &p.record.data;
    let mut blocks = vec![Block::Heading { text: lang.name(&d.title_ar, &d.title_fr), level: 2 }];
    let mut f = Vec::new();
    if !d.fund.is_empty() {
        f.push((both("field.fund"), format!("{} {}", d.fund, d.fund_edition).trim().to_string()));
    }
    if !d.start_on.is_empty() || !d.end_on.is_empty() {
        f.push((both("sheet.period"), format!("{} – {}", day(&d.start_on, main), day(&d.end_on, main))));
    }
    if !d.implementing_bodies.is_empty() {
        f.push((both("field.implementing_bodies"), d.implementing_bodies.join(main.list_separator())));
    }
    if !d.beneficiaries.is_empty() {
        f.push((both("field.beneficiaries"), d.beneficiaries.clone()));
    }
    blocks.push(Block::Fields(f));
    if d.budget_lines.is_empty() {
        blocks.push(Block::Note { text: tr(main, "sheet.no_budget") });
        return blocks;
    }
    let party = |line: &BudgetLine| -> String {
        match line.partner_id {
            None => tr(main, "sheet.council"),
            Some(pid) => p
                .contributors
                .iter()
                .find(|c| c.partner_id == pid)
                .map(|c| lang.name(&c.name_ar, &c.name_latin))
                .unwrap_or_else(|| line.label.clone()),
        }
    };
    let rows = d.budget_lines.iter().map(|l| vec![party(l), l.money().display(main)]).collect();
    blocks.push(Block::Table {
        columns: vec![(both("field.budget_partner"), 2.0), (both("field.budget_amount"), 1.2)],
        rows,
    });
    for total in &p.totals {
        let words = crate::words::amount_in_words(total, main);
        blocks.push(Block::Fields(vec![(
            format!("{} ({})", both("sheet.total"), total.currency),
            format!("{}\n{words}", total.display(main)),
        )]));
    }
    blocks
}

/// The signed documents filed with the agreement, each with its SHA-256.
fn documents_section(store: &Store, v: &AgreementView, lang: PrintLang) -> Result<Vec<Block>> {
    let main = lang.main();
    let both = |key: &str| lang.label(key);
    let documents = store.documents_of(Entity::Agreement, v.record.id)?;
    let mut blocks = vec![Block::Heading { text: both("sheet.documents"), level: 1 }];
    if documents.is_empty() {
        blocks.push(Block::Note { text: tr(main, "sheet.no_documents") });
        return Ok(blocks);
    }
    let rows = documents
        .iter()
        .map(|d| {
            let title =
                if d.record.data.title.is_empty() { d.original_name.clone() } else { d.record.data.title.clone() };
            vec![
                title,
                lang.choice("document_kind", d.record.data.kind.as_str()),
                day(&d.record.data.signed_on, main),
                format!("\u{2066}{}\u{2069}", grouped_hash(&d.sha256)),
            ]
        })
        .collect();
    blocks.push(Block::Table {
        columns: vec![
            (both("field.title"), 2.0),
            (both("field.kind"), 1.2),
            (both("field.signed_on"), 1.1),
            ("SHA-256".into(), 2.6),
        ],
        rows,
    });
    Ok(blocks)
}

/// A SHA-256 in groups of eight hex digits, as it is read aloud and compared by eye.
pub(crate) fn grouped_hash(sha: &str) -> String {
    sha.as_bytes().chunks(8).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// Status notes written by the sessions ("deliberation:2019/7", "visa:2019/7") in words.
fn status_note(note: &str, lang: Lang) -> String {
    match note.split_once(':') {
        Some(("deliberation", n)) => tr_args(lang, "due.deliberation", &[("number", n)]),
        Some(("visa", n)) => tr_args(lang, "sheet.visa_of", &[("number", n)]),
        _ => note.to_string(),
    }
}
