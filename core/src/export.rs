//! Any list, with its current filter, exported as a spreadsheet: XLSX (rust_xlsxwriter; the sheet
//! right to left for Arabic, the header frozen and filterable) or CSV (UTF-8 with a byte-order
//! mark, so that Excel shows Arabic; cells that a spreadsheet would run as formulas guarded). Each row carries the record's number and UUID, so a later
//! import can recognise the records it came from. Written through a temporary file.

use crate::country;
use crate::error::{Error, Result, Rule};
use crate::i18n::{tr, Lang};
use crate::model::Entity;
use crate::store::{AgreementRow, ListQuery, MembershipRow, PartnerRow, ProjectRow, Store};
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Csv,
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "xlsx" => Ok(Format::Xlsx),
            "csv" => Ok(Format::Csv),
            _ => Err(Error::invalid("format", Rule::UnknownValue)),
        }
    }
}

/// The header and rows of a list, every page of it, as text in `lang`.
pub fn table(store: &Store, kind: Entity, query: &ListQuery, lang: Lang) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let header = header(kind, lang)?;
    let mut q = ListQuery { offset: 0, limit: Some(ListQuery::MAX_LIMIT), ..query.clone() };
    let mut rows = Vec::new();
    loop {
        let more = match kind {
            Entity::Partner => {
                let page = store.list_partners(&q)?;
                rows.extend(page.items.iter().map(|r| partner_row(r, lang)));
                page.has_more
            }
            Entity::Agreement => {
                let page = store.list_agreements(&q)?;
                rows.extend(page.items.iter().map(|r| agreement_row(r, lang)));
                page.has_more
            }
            Entity::Project => {
                let page = store.list_projects(&q)?;
                rows.extend(page.items.iter().map(|r| project_row(r, lang)));
                page.has_more
            }
            _ => {
                let page = store.list_memberships(&q)?;
                rows.extend(page.items.iter().map(|r| membership_row(r, lang)));
                page.has_more
            }
        };
        if !more {
            break;
        }
        q.offset += ListQuery::MAX_LIMIT;
    }
    Ok((header, rows))
}

/// The columns of a kind's list: translation keys, or a heading of their own ("#", "UUID", "ISO").
fn header(kind: Entity, lang: Lang) -> Result<Vec<String>> {
    let keys: &[&str] = match kind {
        Entity::Partner => &[
            "#",
            "UUID",
            "field.kind",
            "field.name_ar",
            "field.name_latin",
            "field.short_name",
            "ISO",
            "field.country",
            "field.city",
            "detail.agreements",
        ],
        Entity::Agreement => &[
            "#",
            "UUID",
            "field.kind",
            "field.title_ar",
            "field.title_fr",
            "field.reference",
            "field.status",
            "field.signed_on",
            "detail.expires_on",
            "field.parties",
            "sheet.direction",
        ],
        Entity::Project => &[
            "#",
            "UUID",
            "field.title_ar",
            "field.title_fr",
            "field.agreement_id",
            "field.fund",
            "field.fund_edition",
            "field.status",
            "field.start_on",
            "field.end_on",
            "sheet.total",
        ],
        Entity::Membership => {
            &["#", "UUID", "field.name_ar", "field.name_latin", "ISO", "field.since", "field.dues_amount"]
        }
        _ => return Err(Error::invalid("kind", Rule::UnknownValue)),
    };
    Ok(keys.iter().map(|k| if k.contains('.') { tr(lang, k) } else { k.to_string() }).collect())
}

/// A choice's label: `label("agreement_status", "signed", lang)`.
fn label(group: &str, code: &str, lang: Lang) -> String {
    tr(lang, &format!("{group}.{code}"))
}

fn partner_row(r: &PartnerRow, lang: Lang) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.uuid.clone(),
        label("partner_kind", r.kind.as_str(), lang),
        r.name_ar.clone(),
        r.name_latin.clone(),
        r.short_name.clone(),
        r.country.clone(),
        country::name(&r.country, lang),
        r.city.clone(),
        r.agreements.to_string(),
    ]
}

fn agreement_row(r: &AgreementRow, lang: Lang) -> Vec<String> {
    let parties = r
        .parties
        .iter()
        .map(|x| if x.name_ar.is_empty() { x.name_latin.clone() } else { format!("{} ({})", x.name_ar, x.name_latin) })
        .collect::<Vec<_>>()
        .join(" ; ");
    vec![
        r.id.to_string(),
        r.uuid.clone(),
        label("agreement_kind", r.kind.as_str(), lang),
        r.title_ar.clone(),
        r.title_fr.clone(),
        r.reference.clone(),
        label("agreement_status", r.status.as_str(), lang),
        r.signed_on.clone(),
        r.expires_on.clone().unwrap_or_default(),
        parties,
        r.direction.map(|d| label("direction", d.as_str(), lang)).unwrap_or_default(),
    ]
}

fn project_row(r: &ProjectRow, lang: Lang) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.uuid.clone(),
        r.title_ar.clone(),
        r.title_fr.clone(),
        if r.agreement_title_ar.is_empty() { r.agreement_title_fr.clone() } else { r.agreement_title_ar.clone() },
        r.fund.clone(),
        r.fund_edition.clone(),
        label("project_status", r.status.as_str(), lang),
        r.start_on.clone(),
        r.end_on.clone(),
        r.totals.iter().map(|m| m.display(lang)).collect::<Vec<_>>().join(" + "),
    ]
}

fn membership_row(r: &MembershipRow, lang: Lang) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.uuid.clone(),
        r.partner_name_ar.clone(),
        r.partner_name_latin.clone(),
        r.country.clone(),
        r.since.clone(),
        r.dues.as_ref().map(|m| m.display(lang)).unwrap_or_default(),
    ]
}

/// A CSV cell a spreadsheet will not run as a formula: text starting with = + - @ gets a leading
/// apostrophe (the usual guard; an importer removes it). XLSX cells are written as strings and
/// need no guard.
fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Writes the list to `dest`; returns the number of rows.
pub fn export_list(
    store: &Store,
    kind: Entity,
    query: &ListQuery,
    format: Format,
    lang: Lang,
    dest: &Path,
) -> Result<usize> {
    let (header, rows) = table(store, kind, query, lang)?;
    let count = rows.len();
    crate::output::write_output(dest, |out| match format {
        Format::Csv => {
            std::io::Write::write_all(out, "\u{FEFF}".as_bytes())?;
            // CRLF line ends on every platform (RFC 4180; what Excel writes and reads everywhere).
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
            w.write_record(&header).map_err(std::io::Error::other)?;
            for r in &rows {
                w.write_record(r.iter().map(|cell| csv_safe(cell).into_owned())).map_err(std::io::Error::other)?;
            }
            w.flush()
        }
        Format::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let sheet = book.add_worksheet();
            let x = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
            sheet
                .set_name(tr(lang, &format!("nav.{}s", kind.as_str())).chars().take(31).collect::<String>())
                .map_err(x)?;
            sheet.set_right_to_left(lang == Lang::Ar);
            for (c, h) in header.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, h, &bold).map_err(x)?;
                let widest = rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0).max(h.chars().count());
                sheet.set_column_width(c as u16, (widest as f64 * 1.1).clamp(6.0, 60.0)).map_err(x)?;
            }
            for (i, r) in rows.iter().enumerate() {
                for (c, v) in r.iter().enumerate() {
                    if c == 0 {
                        sheet.write_number(i as u32 + 1, 0, v.parse::<f64>().unwrap_or(0.0)).map_err(x)?;
                    } else {
                        sheet.write_string(i as u32 + 1, c as u16, v).map_err(x)?;
                    }
                }
            }
            sheet.set_freeze_panes(1, 0).map_err(x)?;
            sheet.autofilter(0, 0, rows.len() as u32, header.len() as u16 - 1).map_err(x)?;
            book.save_to_writer(out).map_err(x)
        }
    })?;
    Ok(count)
}
