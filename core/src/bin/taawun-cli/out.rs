//! What the CLI writes: JSON or the translated human text, read from JSON input, and the
//! terminal lines of records, documents, sessions and deliberations.
//!
//! Standard output is written through `emit`, so a closed pipe (`taawun-cli documents | head -1`)
//! ends the command quietly and a full disk is the translated "disk full" error, never a panic.
//! Once a command's output went to standard output (`-o -`), what it says goes to standard error,
//! so that a pipe reading a PDF gets the PDF alone.

use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;
use taawun_core::calendar::PartialDate;
use taawun_core::i18n::{tr, tr_args};
use taawun_core::model::{Document, Entity};
use taawun_core::store;
use taawun_core::{country, Error, Lang, Result};

/// Writes `text` and a line end to standard output.
pub(crate) fn emit(text: &str) -> Result<()> {
    if taawun_core::output::stdout_written() {
        let _ = writeln!(std::io::stderr(), "{text}");
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()?;
    Ok(())
}

/// Whether `e` is the reader of our output having gone away (a closed pipe): not an error of
/// the command, which ends quietly.
pub(crate) fn is_closed_pipe(e: &Error) -> bool {
    matches!(e, Error::Io(io) if taawun_core::platform::is_closed_pipe(io))
}

pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(path)?;
    }
    Ok(serde_json::from_str(&text)?)
}

/// The value as JSON with `--json`, else the human text.
pub(crate) fn print<T: Serialize>(json: bool, value: &T, human: impl FnOnce() -> String) -> Result<()> {
    if json {
        emit(&serde_json::to_string_pretty(value)?)
    } else {
        emit(&human())
    }
}

pub(crate) fn name_of(ar: &str, latin: &str, lang: Lang) -> String {
    let (a, b) = if lang == Lang::Ar { (ar, latin) } else { (latin, ar) };
    if a.is_empty() {
        b.to_string()
    } else {
        a.to_string()
    }
}

pub(crate) fn document_line(d: &Document, lang: Lang) -> String {
    let title = if d.record.data.title.is_empty() { d.original_name.as_str() } else { d.record.data.title.as_str() };
    let warnings = d.warnings.iter().map(|w| tr(lang, &format!("document_warning.{w}"))).collect::<Vec<_>>().join("; ");
    let pages = d.page_count.map(|n| n.to_string()).unwrap_or_default();
    format!(
        "{}\t{}:{}\t{}\t{}\t{}\t{}\t{}\t{}",
        d.record.id,
        d.entity,
        d.entity_id,
        tr(lang, &format!("document_kind.{}", d.record.data.kind.as_str())),
        title,
        d.media_type,
        pages,
        d.sha256,
        warnings
    )
}

/// A full date typed on the command line (any form `PartialDate` reads, to the day).
pub(crate) fn day_of(text: &str) -> taawun_core::Result<chrono::NaiveDate> {
    let d = PartialDate::normalise_field("date", text)?;
    PartialDate::stored(&d)
        .and_then(|p| p.as_day())
        .ok_or_else(|| Error::invalid("date", taawun_core::error::Rule::BadDate))
}

/// `agreement:3` -> (Entity::Agreement, 3).
pub(crate) fn record_ref(text: &str) -> taawun_core::Result<(Entity, i64)> {
    let (kind, id) =
        text.split_once(':').ok_or_else(|| Error::invalid("to", taawun_core::error::Rule::UnknownValue))?;
    let id = id.trim().parse().map_err(|_| Error::invalid("to", taawun_core::error::Rule::UnknownValue))?;
    Ok((kind.parse()?, id))
}

/// A readable text of a detail view for the terminal.
pub(crate) trait Human {
    fn human(&self, lang: Lang) -> String;
}

impl Human for store::PartnerView {
    fn human(&self, lang: Lang) -> String {
        let d = &self.record.data;
        let mut s = format!(
            "#{} {} / {}\n{}: {}\n{}: {}\n",
            self.record.id,
            d.name_ar,
            d.name_latin,
            tr(lang, "field.kind"),
            tr(lang, &format!("partner_kind.{}", d.kind.as_str())),
            tr(lang, "field.country"),
            country::name(&d.country, lang)
        );
        for a in &self.agreements {
            s += &format!("  {} #{} {}\n", tr(lang, "entity.agreement"), a.id, name_of(&a.title_ar, &a.title_fr, lang));
        }
        s
    }
}

impl Human for store::AgreementView {
    fn human(&self, lang: Lang) -> String {
        let d = &self.record.data;
        let mut s = format!(
            "#{} {}\n{}\n{}: {}\n{}: {}\n",
            self.record.id,
            d.title_ar,
            d.title_fr,
            tr(lang, "field.status"),
            tr(lang, &format!("agreement_status.{}", self.status.as_str())),
            tr(lang, "field.signed_on"),
            d.signed_on
        );
        for p in &self.parties {
            s += &format!(
                "  {} #{} {} ({})\n",
                tr(lang, "field.parties"),
                p.id,
                name_of(&p.name_ar, &p.name_latin, lang),
                country::name(&p.country, lang)
            );
        }
        for p in &self.projects {
            s += &format!("  {} #{} {}\n", tr(lang, "entity.project"), p.id, name_of(&p.title_ar, &p.title_fr, lang));
        }
        s
    }
}

impl Human for store::ProjectView {
    fn human(&self, lang: Lang) -> String {
        let d = &self.record.data;
        format!(
            "#{} {}\n{}\n{} {}\n{}",
            self.record.id,
            d.title_ar,
            d.title_fr,
            d.fund,
            d.fund_edition,
            self.totals.iter().map(|m| m.display(lang)).collect::<Vec<_>>().join(" + ")
        )
    }
}

impl Human for store::MembershipView {
    fn human(&self, lang: Lang) -> String {
        format!(
            "#{} {} — {}",
            self.record.id,
            name_of(&self.partner_name_ar, &self.partner_name_latin, lang),
            self.record.data.since
        )
    }
}

pub(crate) fn show_day(stored: &str, lang: Lang) -> String {
    PartialDate::stored(stored).map(|d| d.display(lang)).unwrap_or_else(|| "—".into())
}

pub(crate) fn session_row_line(r: &taawun_core::store::SessionRow, lang: Lang) -> String {
    let label = store::session_label(r.kind.as_str(), r.year, r.month, r.number, lang);
    format!(
        "{}\t{}\t{}\t{}/{}\t{}",
        r.id,
        label,
        r.first_sitting.as_deref().map(|d| show_day(d, lang)).unwrap_or_default(),
        r.decided,
        r.points,
        show_day(&r.notified_on, lang)
    )
}

pub(crate) fn point_line(p: &taawun_core::store::StoredPoint, lang: Lang) -> String {
    let subject = p.record.data.subject.map(|s| format!("{}:{}", s.kind, s.id)).unwrap_or_default();
    let _ = lang;
    format!("{}\t#{}\t{}\t{}\t{}", p.record.id, p.position, subject, p.record.data.title, p.record.data.rapporteur)
}

pub(crate) fn deliberation_line(d: &taawun_core::store::DeliberationView, lang: Lang) -> String {
    let v = &d.record.data;
    let mut line = format!(
        "{}\t{}\t{} ({})\t{}\t{}/{}/{} ({})\t{}",
        d.record.id,
        tr_args(lang, "due.deliberation", &[("number", &v.number)]),
        show_day(&v.decided_on, lang),
        d.decided_on_hijri,
        tr(lang, &format!("outcome.{}", v.outcome.as_str())),
        v.votes_for,
        v.votes_against,
        v.abstentions,
        v.members_present,
        tr(lang, &format!("visa_status.{}", d.visa.status.as_str())),
    );
    if d.below_quorum {
        line.push_str(&format!("\t{}", tr(lang, "session.below_quorum")));
    }
    if !d.opposition_on.is_empty() {
        line.push_str(&format!("\t{}: {}", tr(lang, "field.opposition_on"), show_day(&d.opposition_on, lang)));
    }
    line
}

/// A member: id, name, role, committee, mandate.
pub(crate) fn member_line(m: &taawun_core::model::Record<taawun_core::model::MemberData>, lang: Lang) -> String {
    let d = &m.data;
    format!(
        "{}\t{}\t{}\t{}\t{}",
        m.id,
        d.name(lang),
        tr(lang, &format!("member_role.{}", d.role.as_str())),
        d.committee,
        d.mandate
    )
}

pub(crate) fn session_text(v: &taawun_core::store::SessionView, lang: Lang) -> String {
    let s = &v.record.data;
    let mut out =
        vec![format!("{}\t{}", v.record.id, store::session_label(s.kind.as_str(), s.year, s.month, s.number, lang))];
    for st in &v.sittings {
        let mut line = format!(
            "  {}: {} ({}) {} {}",
            tr(lang, "field.held_on"),
            show_day(&st.sitting.held_on, lang),
            st.hijri,
            st.sitting.time,
            st.sitting.place
        );
        if let Some(h) = &st.holiday {
            line.push_str(&format!("  ⚠ {}", taawun_core::calendar::holiday_name(h, lang)));
        }
        if st.weekend {
            line.push_str(&format!("  ⚠ {}", tr(lang, "session.weekend")));
        }
        out.push(line);
    }
    for p in &v.points {
        let name = p
            .about
            .as_ref()
            .map(|s| name_of(&s.label_ar, &s.label_latin, lang))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| p.point.record.data.title.clone());
        let mut line = format!("  {}. [{}] {}", p.point.position, p.point.record.id, name);
        if p.about.as_ref().is_some_and(|s| !s.live) {
            line.push_str(&format!(" ({})", tr(lang, "session.subject_deleted")));
        }
        out.push(line);
        if let Some(d) = &p.deliberation {
            out.push(format!("     {}", deliberation_line(d, lang)));
        }
    }
    if !v.notification.notified_on.is_empty() {
        out.push(tr_args(
            lang,
            "cli.notified",
            &[
                ("sent", &show_day(&v.notification.notified_on, lang)),
                ("receipt", &show_day(&v.notification.receipt_on, lang)),
            ],
        ));
    }
    for f in &v.findings {
        out.push(format!("  ⚠ {}", f.text));
    }
    for d in &v.deadlines {
        out.push(format!(
            "  {} {}\t{}\t{}",
            if d.overdue { "!" } else { "→" },
            show_day(&d.due_on, lang),
            tr(lang, &format!("due.kind.{}", d.kind)),
            d.rule
        ));
    }
    out.join("\n")
}
