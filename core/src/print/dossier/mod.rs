//! The deliberation dossier of a session (ملف المداولات), or of one of its points: a cover, the
//! agenda, a table of contents with page numbers, one section per point (presentation note,
//! legal basis, parties, financial commitments with amounts in words, the vote and its outcome),
//! then the signed documents appended in order, each after a divider page giving its title,
//! kind and SHA-256. PDFs are merged page for page as they are (lopdf), JPEG scans passed
//! through byte for byte, PNG and TIFF scans converted without loss (Flate). Each annex is
//! checked before the dossier is laid out (`crate::inspect::open`): one that cannot be appended faithfully
//! (missing from the vault, altered since it was filed, protected by a password, damaged, pages
//! missing, an image too large) is named on its divider page with the reason, the dossier goes on
//! without it, and the report says which annexes were appended and which were not, and why.

mod annexes;

use super::merge::{self, Appended};
use super::{day, PrintLang};
use crate::error::{Error, Result, Rule};
use crate::i18n::{tr, tr_args, Lang};
use crate::model::Entity;
use crate::output::write_output;
use crate::store::{session_label, DeliberationView, PointView, SessionView, Store};
use crate::typeset::pdf::Conformance;
use crate::typeset::shape::Shaper;
use crate::typeset::{fonts::Fonts, paginate, write, Block, DocumentSpec, Laid};
use annexes::{attachments, dividers, Annex, Annexes};
use serde::Serialize;
use std::path::Path;

/// What a dossier holds: its pages, and each annex appended or not, with why.
#[derive(Clone, Debug, Serialize)]
pub struct DossierReport {
    pub pages: usize,
    pub embedded: usize,
    pub annexes: Vec<AnnexReport>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AnnexReport {
    pub n: usize,
    pub title: String,
    pub file: String,
    pub embedded: bool,
    pub pages: usize,
    /// Why it was not appended, in the user's language, and what was found.
    pub reason: Option<String>,
    pub detail: String,
    /// What the reader should know about an appended one.
    pub notes: Vec<String>,
    /// The translation keys of `reason` and `notes`, to say them in another language.
    #[serde(skip)]
    reason_key: Option<&'static str>,
    #[serde(skip)]
    note_keys: Vec<&'static str>,
}

impl DossierReport {
    /// The report in the language of whoever reads it (the CLI's `--lang`, the window's), where the
    /// dossier itself is in its paper's language.
    pub fn in_lang(mut self, lang: Lang) -> DossierReport {
        for a in &mut self.annexes {
            a.reason = a.reason_key.map(|key| tr(lang, key));
            a.notes = a.note_keys.iter().map(|key| tr(lang, key)).collect();
        }
        self
    }
}

/// The two editions of a dossier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// Tagged, the annexes' pages after their dividers, to print and read.
    #[default]
    Print,
    /// PDF/A-3a and PDF/UA-1: the typeset part, each signed original attached byte for byte as
    /// an associated file, named and hashed on its divider (signatures stay valid).
    Archive,
}

impl std::str::FromStr for Edition {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "print" => Ok(Edition::Print),
            "archive" => Ok(Edition::Archive),
            _ => Err(Error::invalid("edition", Rule::UnknownValue)),
        }
    }
}

/// What an edition does with the signed originals, as data: whether their pages follow their
/// dividers (opened and checked first), whether the files ride inside the PDF as filed, and
/// what the typeset part claims to be.
struct EditionRules {
    appends_pages: bool,
    attaches_files: bool,
}

impl Edition {
    fn rules(self) -> EditionRules {
        match self {
            Edition::Print => EditionRules { appends_pages: true, attaches_files: false },
            Edition::Archive => EditionRules { appends_pages: false, attaches_files: true },
        }
    }
}

impl EditionRules {
    /// The profile the dossier claims. Appended pages are neither archival nor tagged, so a
    /// dossier that appends any claims neither (the archive edition carries its annexes as
    /// attachments instead, under PDF/A-3).
    fn conformance(&self, annexes: &[Annex]) -> Conformance {
        if self.attaches_files {
            Conformance::ArchivalWithFiles
        } else if self.appends_pages && annexes.iter().any(Annex::goes_in) {
            Conformance::Tagged
        } else {
            Conformance::Archival
        }
    }
}

/// Writes the dossier of session `session_id` (or of its point `point_id` only) to `dest`, in
/// `edition`; returns what it holds. The steps, in order: the cover and the agenda, one section
/// per point, the annexes gathered on the way and checked, their divider pages (with the register
/// of their hashes), the contents laid out in two passes, and the file written (annexes appended
/// or attached).
pub fn deliberation_dossier(
    store: &Store,
    session_id: i64,
    point_id: Option<i64>,
    lang: PrintLang,
    edition: Edition,
    dest: &Path,
) -> Result<DossierReport> {
    let main = lang.main();
    let rules = edition.rules();
    let view = store.session_view(session_id, main)?;
    let s = &view.record.data;
    let label = session_label(s.kind.as_str(), s.year, s.month, s.number, main);
    let points = chosen_points(&view.points, point_id)?;

    let head = cover_and_agenda(&view, &points, lang);
    let mut body = Vec::new();
    let mut annexes = Annexes::new(store, &rules);
    for p in &points {
        body.extend(point_section(store, p, lang));
        if let Some(d) = &p.deliberation {
            annexes.gather(store.documents_of(Entity::Deliberation, d.record.id)?);
        }
        if let Some(a) = &p.about {
            annexes.gather(store.documents_of(a.kind, a.id)?);
        }
    }
    if point_id.is_none() {
        annexes.gather(store.documents_of(Entity::Session, session_id)?);
    }
    let annexes = annexes.list;
    body.extend(dividers(&annexes, lang, &rules));

    let identity = store.council_identity()?;
    let mut spec = DocumentSpec {
        // The session's name at the foot of every page, where other papers say when they were
        // printed.
        footer_note: label.clone(),
        conformance: rules.conformance(&annexes),
        attachments: if rules.attaches_files { attachments(&annexes) } else { Vec::new() },
        ..super::council_paper(store, &identity, lang, lang.label("dossier.title"), label)
    };
    let fonts = Fonts::default();
    let mut shaper = Shaper::new(&fonts);
    let (laid, divider_pages) = with_contents(&mut shaper, &mut spec, &head, &body, points.len(), &annexes, lang);
    let total = write_dossier(dest, &mut shaper, &spec, laid, &annexes, &divider_pages, &rules)?;
    Ok(report(&annexes, total, main))
}

/// The points the dossier covers: all of the session's, or the one asked for.
fn chosen_points(points: &[PointView], point_id: Option<i64>) -> Result<Vec<&PointView>> {
    match point_id {
        Some(pid) => {
            let p =
                points.iter().find(|p| p.point.record.id == pid).ok_or(Error::invalid("point", Rule::NotOnAgenda))?;
            Ok(vec![p])
        }
        None => Ok(points.iter().collect()),
    }
}

/// A record's name in the dossier's main language (the other when it has none): a bilingual
/// dossier names in Arabic.
fn name_in(lang: PrintLang, ar: &str, latin: &str) -> String {
    let single = if lang == PrintLang::Fr { PrintLang::Fr } else { PrintLang::Ar };
    single.name(ar, latin)
}

/// What a point is about, as its heading and agenda row say: its subject's name, or its title.
fn point_subject(p: &PointView, lang: PrintLang) -> String {
    p.about
        .as_ref()
        .map(|a| name_in(lang, &a.label_ar, &a.label_latin))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| p.point.record.data.title.clone())
}

/// The cover (sittings, convocation, members, points) and the agenda with each point's outcome.
fn cover_and_agenda(view: &SessionView, points: &[&PointView], lang: PrintLang) -> Vec<Block> {
    let main = lang.main();
    let both = |key: &str| lang.label(key);
    let s = &view.record.data;
    let mut cover = Vec::new();
    for st in &view.sittings {
        let mut line = format!("{} ({})", day(&st.sitting.held_on, main), st.hijri);
        if !st.sitting.time.is_empty() {
            line.push_str(&format!(" — {}", st.sitting.time));
        }
        if !st.sitting.place.is_empty() {
            line.push_str(&format!(" — {}", st.sitting.place));
        }
        cover.push((both("field.held_on"), line));
    }
    if cover.is_empty() {
        cover.push((both("field.held_on"), tr(main, "session.no_sittings")));
    }
    if !s.convocation_on.is_empty() {
        cover.push((both("field.convocation_on"), day(&s.convocation_on, main)));
    }
    if let Some(m) = s.members_in_office {
        cover.push((both("field.members_in_office"), m.to_string()));
    }
    cover.push((both("dossier.points"), points.len().to_string()));
    let mut head = vec![Block::Fields(cover), Block::Heading { text: both("session.agenda"), level: 1 }];
    if points.is_empty() {
        head.push(Block::Note { text: tr(main, "session.no_points") });
        return head;
    }
    let outcome = |p: &PointView| {
        p.deliberation
            .as_ref()
            .map(|d| {
                format!(
                    "{} — {}",
                    lang.choice("outcome", d.record.data.outcome.as_str()),
                    tr_args(main, "due.deliberation", &[("number", &d.record.data.number)])
                )
            })
            .unwrap_or_else(|| tr(main, "session.not_voted"))
    };
    let rows = points
        .iter()
        .map(|p| {
            let data = &p.point.record.data;
            vec![p.point.position.to_string(), point_subject(p, lang), data.rapporteur.clone(), outcome(p)]
        })
        .collect();
    head.push(Block::Table {
        columns: vec![
            ("#".into(), 0.35),
            (both("field.subject"), 3.0),
            (both("field.rapporteur"), 1.3),
            (both("field.outcome"), 1.6),
        ],
        rows,
    });
    head
}

/// A point's section: its heading, its subject (legal basis, parties), rapporteur and financial
/// commitments in figures and words, its presentation notes, and the vote.
fn point_section(store: &Store, p: &PointView, lang: PrintLang) -> Vec<Block> {
    let main = lang.main();
    let both = |key: &str| lang.label(key);
    let data = &p.point.record.data;
    let title = tr_args(
        main,
        "dossier.point_title",
        &[("n", &p.point.position.to_string()), ("title", &point_subject(p, lang))],
    );
    let mut blocks = vec![Block::Heading { text: title, level: 1 }];
    let mut fields = Vec::new();
    if let Some(a) = &p.about {
        fields.push((
            both("field.subject"),
            format!(
                "{} ({})",
                name_in(lang, &a.label_ar, &a.label_latin),
                tr(main, &format!("entity.{}", a.kind.as_str()))
            ),
        ));
        if !a.live {
            fields.push((both("field.subject"), tr(main, "session.subject_deleted")));
        }
        if !a.legal_basis.is_empty() {
            fields.push((both("field.legal_basis"), a.legal_basis.clone()));
        }
        if let Some(v) = a.agreement_id.and_then(|agreement| store.agreement_view(agreement).ok()) {
            let parties: Vec<String> = v
                .parties
                .iter()
                .map(|x| {
                    format!("{} ({})", name_in(lang, &x.name_ar, &x.name_latin), crate::country::name(&x.country, main))
                })
                .collect();
            fields.push((both("field.parties"), parties.join("\n")));
        }
    }
    if !data.rapporteur.is_empty() {
        fields.push((both("field.rapporteur"), data.rapporteur.clone()));
    }
    for c in &p.commitments {
        let mut text = format!("{}\n{}", c.total.display(main), crate::words::amount_in_words(&c.total, main));
        if c.council_share.minor > 0 {
            text.push_str(&format!("\n{}: {}", tr(main, "session.council_share"), c.council_share.display(main)));
        }
        fields.push((format!("{} ({})", both("session.commitment"), c.currency), text));
    }
    if !fields.is_empty() {
        blocks.push(Block::Fields(fields));
    }
    if !data.note_ar.is_empty() && lang != PrintLang::Fr {
        blocks.push(Block::Heading { text: tr(Lang::Ar, "field.note_ar"), level: 2 });
        blocks.push(Block::Paragraph { text: data.note_ar.clone() });
    }
    if !data.note_fr.is_empty() && lang != PrintLang::Ar {
        blocks.push(Block::Heading { text: tr(Lang::Fr, "field.note_fr"), level: 2 });
        blocks.push(Block::Paragraph { text: data.note_fr.clone() });
    }
    if data.note_ar.is_empty() && data.note_fr.is_empty() {
        blocks.push(Block::Note { text: tr(main, "dossier.no_note") });
    }
    blocks.push(Block::Heading { text: both("dossier.vote"), level: 2 });
    blocks.push(match &p.deliberation {
        None => Block::Note { text: tr(main, "session.not_voted") },
        Some(d) => Block::Fields(vote_fields(d, lang)),
    });
    blocks
}

/// The vote on a point: number, day, members present, the votes, the outcome, the decision and
/// the governor's visa.
fn vote_fields(d: &DeliberationView, lang: PrintLang) -> Vec<(String, String)> {
    let main = lang.main();
    let both = |key: &str| lang.label(key);
    let v = &d.record.data;
    let mut f = vec![
        (both("field.number"), v.number.clone()),
        (both("field.decided_on"), format!("{} ({})", day(&v.decided_on, main), d.decided_on_hijri)),
        (both("field.members_present"), v.members_present.to_string()),
        (
            both("dossier.votes"),
            crate::plural::vote_line(main, v.members_present, v.votes_for, v.votes_against, v.abstentions),
        ),
        (both("field.outcome"), lang.choice("outcome", v.outcome.as_str())),
    ];
    if d.below_quorum {
        f.push((both("field.members_present"), tr(main, "session.below_quorum")));
    }
    if !v.decision_text.is_empty() {
        f.push((both("field.decision_text"), v.decision_text.clone()));
    }
    if d.visa.status != crate::model::VisaStatus::NotRequired {
        f.push((
            both("field.visa_status"),
            format!("{} {}", lang.choice("visa_status", d.visa.status.as_str()), day(&d.visa.on, main))
                .trim()
                .to_string(),
        ));
    }
    f
}

/// Lays the dossier out with its contents, in two passes: where each section starts is known once
/// laid out, and the contents list has the same number of rows in both passes, so the second
/// leaves the page numbers where they were. A page number counts the annexes' pages appended
/// before it (kept in `spec.appended` for the footers). Returns the pages and the page of each
/// annex's divider.
fn with_contents<'f>(
    shaper: &mut Shaper<'f>,
    spec: &mut DocumentSpec,
    head: &[Block],
    body: &[Block],
    points: usize,
    annexes: &[Annex],
    lang: PrintLang,
) -> (Laid<'f>, Vec<usize>) {
    let both = |key: &str| lang.label(key);
    let with_toc = |entries: &[(String, String)]| -> Vec<Block> {
        let mut blocks = head.to_vec();
        blocks.push(Block::Heading { text: both("dossier.contents"), level: 1 });
        blocks.push(Block::Table {
            columns: vec![(both("dossier.section"), 5.0), (both("sheet.page"), 0.8)],
            rows: entries.iter().map(|(t, p)| vec![t.clone(), p.clone()]).collect(),
        });
        blocks.push(Block::PageBreak);
        blocks.extend(body.iter().cloned());
        blocks
    };
    let level1 = body.iter().filter(|b| matches!(b, Block::Heading { level: 1, .. })).count();
    let first_pass = paginate(shaper, spec, &with_toc(&vec![(String::new(), "000".into()); level1]));
    // The outline: the agenda, the contents, the points, then the annexes' dividers.
    let divider_pages: Vec<usize> = first_pass.outline.iter().skip(2 + points).map(|o| o.page).collect();
    let mut appended = vec![0; first_pass.page_count()];
    for (annex, divider) in annexes.iter().zip(&divider_pages) {
        appended[*divider] += annex.pages;
    }
    let final_number = |page: usize| page + 1 + appended[..page].iter().sum::<usize>();
    let entries: Vec<(String, String)> =
        first_pass.outline.iter().skip(2).map(|o| (o.title.clone(), final_number(o.page).to_string())).collect();
    drop(first_pass);
    let laid = paginate(shaper, spec, &with_toc(&entries));
    spec.appended = appended;
    (laid, divider_pages)
}

/// Writes the laid dossier to `dest` in one atomic step, the annexes' pages appended after their
/// dividers when there are any to append; returns the page count.
fn write_dossier(
    dest: &Path,
    shaper: &mut Shaper,
    spec: &DocumentSpec,
    laid: Laid,
    annexes: &[Annex],
    divider_pages: &[usize],
    rules: &EditionRules,
) -> Result<usize> {
    let appending = rules.appends_pages && annexes.iter().any(Annex::goes_in);
    let mut total = 0;
    write_output(dest, |out| {
        if !appending {
            total = write(shaper, spec, laid, out)?.1;
            return Ok(());
        }
        let typeset_pages = laid.page_count();
        let (bytes, _) = write(shaper, spec, laid, Vec::new())?;
        let appended: Vec<Appended> = annexes
            .iter()
            .zip(divider_pages)
            .filter(|(a, _)| a.goes_in())
            .map(|(a, divider)| Appended {
                path: &a.path,
                media_type: &a.document.media_type,
                name: &a.document.original_name,
                after_page: *divider,
            })
            .collect();
        total = merge::assemble(&bytes, &appended, out).map_err(std::io::Error::other)?;
        debug_assert!(total >= typeset_pages);
        Ok(())
    })?;
    Ok(total)
}

/// What the dossier holds, for the window and the CLI: each annex appended or not, and why.
fn report(annexes: &[Annex], pages: usize, main: Lang) -> DossierReport {
    let annexes: Vec<AnnexReport> = annexes
        .iter()
        .enumerate()
        .map(|(i, a)| AnnexReport {
            n: i + 1,
            title: a.document.record.data.title.clone(),
            file: a.document.original_name.clone(),
            embedded: a.goes_in(),
            pages: a.pages,
            reason: a.problem.as_ref().map(|r| tr(main, r.key)),
            detail: a.problem.as_ref().map(|r| r.detail.clone()).unwrap_or_default(),
            notes: a.notes.iter().map(|n| tr(main, n)).collect(),
            reason_key: a.problem.as_ref().map(|r| r.key),
            note_keys: a.notes.clone(),
        })
        .collect();
    DossierReport { pages, embedded: annexes.iter().filter(|a| a.embedded).count(), annexes }
}
