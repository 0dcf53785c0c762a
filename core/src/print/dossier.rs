//! The deliberation dossier of a session (ملف المداولات), or of one of its points: a cover, the
//! agenda, a table of contents with page numbers, one section per point (presentation note,
//! legal basis, parties, financial commitments with amounts in words, the vote and its outcome),
//! then the signed documents appended in order, each after a divider page giving its title,
//! kind and SHA-256. PDFs are merged page for page as they are (lopdf), JPEG scans passed
//! through byte for byte, PNG and TIFF scans converted without loss (Flate). Each annex is
//! checked before the dossier is laid out (`annex`): one that cannot be appended faithfully
//! (missing from the vault, altered since it was filed, protected by a password, damaged, pages
//! missing, an image too large) is named on its divider page with the reason, the dossier goes on
//! without it, and the report says which annexes were appended and which were not, and why.

use super::annex::{self, Refused};
use super::merge::{self, Appended};
use super::{day, write_atomically, PrintLang};
use crate::error::{Error, Result, Rule};
use crate::i18n::{tr, tr_args, Lang};
use crate::model::{Document, Entity};
use crate::store::{session_label, PointView, Store};
use crate::typeset::shape::Shaper;
use crate::typeset::{fonts::Fonts, paginate, write, Block, DocumentSpec};
use crate::vault::FileState;
use lopdf::{dictionary, Stream};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A document to append, and whether it can be.
struct Annex {
    document: Document,
    path: PathBuf,
    /// Why it is not appended, if it is not.
    problem: Option<Refused>,
    /// How many pages it adds, counted in its page tree.
    pages: usize,
    notes: Vec<&'static str>,
}

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
}

/// The message for an image larger than Taawun decodes.
pub(crate) const IMAGE_TOO_LARGE: &str = "image too large";

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

/// Writes the dossier of session `session_id` (or of its point `point_id` only) to `dest`, in
/// `edition`; returns what it holds.
pub fn deliberation_dossier(
    store: &Store,
    session_id: i64,
    point_id: Option<i64>,
    lang: PrintLang,
    edition: Edition,
    dest: &Path,
) -> Result<DossierReport> {
    let main = lang.main();
    let view = store.session_view(session_id, main)?;
    let s = &view.record.data;
    let identity = store.council_identity()?;
    let label = session_label(s.kind.as_str(), s.year, s.month, s.number, main);
    let points: Vec<&PointView> = match point_id {
        Some(pid) => {
            let p = view
                .points
                .iter()
                .find(|p| p.point.record.id == pid)
                .ok_or(Error::invalid("point", Rule::NotOnAgenda))?;
            vec![p]
        }
        None => view.points.iter().collect(),
    };
    let both = |key: &str| lang.label(key);
    let name = |ar: &str, latin: &str| -> String {
        match lang {
            PrintLang::Fr => {
                if latin.is_empty() {
                    ar.to_string()
                } else {
                    latin.to_string()
                }
            }
            _ => {
                if ar.is_empty() {
                    latin.to_string()
                } else {
                    ar.to_string()
                }
            }
        }
    };
    let point_title = |p: &PointView| -> String {
        let title = p
            .about
            .as_ref()
            .map(|a| name(&a.label_ar, &a.label_latin))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| p.point.record.data.title.clone());
        tr_args(main, "dossier.point_title", &[("n", &p.point.position.to_string()), ("title", &title)])
    };

    // The cover and the agenda.
    let mut head = Vec::new();
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
    head.push(Block::Fields(cover));
    head.push(Block::Heading { text: both("session.agenda"), level: 1 });
    if points.is_empty() {
        head.push(Block::Note { text: tr(main, "session.no_points") });
    } else {
        let rows = points
            .iter()
            .map(|p| {
                let title = p
                    .about
                    .as_ref()
                    .map(|a| name(&a.label_ar, &a.label_latin))
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| p.point.record.data.title.clone());
                let outcome = p
                    .deliberation
                    .as_ref()
                    .map(|d| {
                        format!(
                            "{} — {}",
                            lang.choice("outcome", d.record.data.outcome.as_str()),
                            tr_args(main, "due.deliberation", &[("number", &d.record.data.number)])
                        )
                    })
                    .unwrap_or_else(|| tr(main, "session.not_voted"));
                vec![p.point.position.to_string(), title, p.point.record.data.rapporteur.clone(), outcome]
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
    }

    // One section per point; the annexes in order.
    let vault = store.vault().ok();
    let mut body = Vec::new();
    let mut annexes: Vec<Annex> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut collect = |docs: Vec<Document>, annexes: &mut Vec<Annex>| {
        for d in docs {
            if !seen.insert(d.record.id) {
                continue;
            }
            let path = vault.as_ref().map(|v| v.path_of(&d.sha256)).unwrap_or_default();
            let stored = match vault.as_ref().map(|v| v.state_of(&d.sha256)) {
                None | Some(Ok(FileState::Missing)) => Err(Refused { key: "dossier.missing", detail: String::new() }),
                Some(Err(e)) => Err(Refused { key: "dossier.unreadable", detail: e.to_string() }),
                Some(Ok(FileState::Altered)) => Err(Refused { key: "dossier.altered", detail: String::new() }),
                Some(Ok(_)) => Ok(()),
            };
            // Opened and checked now, so that its divider says the truth; dropped until it is
            // appended (one annex in memory at a time).
            let annex = match (edition, stored) {
                (_, Err(refused)) => Annex { document: d, path, problem: Some(refused), pages: 0, notes: Vec::new() },
                // The archive edition attaches the file as filed, whatever is inside it.
                (Edition::Archive, Ok(())) => {
                    Annex { document: d, path, problem: None, pages: 0, notes: vec!["dossier.attached"] }
                }
                (Edition::Print, Ok(())) => match annex::open(&path, &d.media_type) {
                    Ok(opened) => Annex { document: d, path, problem: None, pages: opened.pages, notes: opened.notes },
                    Err(refused) => Annex { document: d, path, problem: Some(refused), pages: 0, notes: Vec::new() },
                },
            };
            annexes.push(annex);
        }
    };
    for p in &points {
        body.push(Block::Heading { text: point_title(p), level: 1 });
        let data = &p.point.record.data;
        let mut fields = Vec::new();
        if let Some(a) = &p.about {
            fields.push((
                both("field.subject"),
                format!("{} ({})", name(&a.label_ar, &a.label_latin), tr(main, &format!("entity.{}", a.kind.as_str()))),
            ));
            if !a.live {
                fields.push((both("field.subject"), tr(main, "session.subject_deleted")));
            }
            if !a.legal_basis.is_empty() {
                fields.push((both("field.legal_basis"), a.legal_basis.clone()));
            }
            if let Some(agreement) = a.agreement_id {
                if let Ok(v) = store.agreement_view(agreement) {
                    let parties: Vec<String> = v
                        .parties
                        .iter()
                        .map(|x| {
                            format!("{} ({})", name(&x.name_ar, &x.name_latin), crate::country::name(&x.country, main))
                        })
                        .collect();
                    fields.push((both("field.parties"), parties.join("\n")));
                }
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
            body.push(Block::Fields(fields));
        }
        if !data.note_ar.is_empty() && lang != PrintLang::Fr {
            body.push(Block::Heading { text: tr(Lang::Ar, "field.note_ar"), level: 2 });
            body.push(Block::Paragraph { text: data.note_ar.clone() });
        }
        if !data.note_fr.is_empty() && lang != PrintLang::Ar {
            body.push(Block::Heading { text: tr(Lang::Fr, "field.note_fr"), level: 2 });
            body.push(Block::Paragraph { text: data.note_fr.clone() });
        }
        if data.note_ar.is_empty() && data.note_fr.is_empty() {
            body.push(Block::Note { text: tr(main, "dossier.no_note") });
        }
        body.push(Block::Heading { text: both("dossier.vote"), level: 2 });
        match &p.deliberation {
            None => body.push(Block::Note { text: tr(main, "session.not_voted") }),
            Some(d) => {
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
                body.push(Block::Fields(f));
                collect(store.documents_of(Entity::Deliberation, d.record.id)?, &mut annexes);
            }
        }
        if let Some(a) = &p.about {
            collect(store.documents_of(a.kind, a.id)?, &mut annexes);
        }
    }
    if point_id.is_none() {
        collect(store.documents_of(Entity::Session, session_id)?, &mut annexes);
    }
    // Divider pages, at the end of the typeset part, one per annex, in order.
    for (i, a) in annexes.iter().enumerate() {
        let d = &a.document;
        let title = if d.record.data.title.is_empty() { d.original_name.clone() } else { d.record.data.title.clone() };
        body.push(Block::PageBreak);
        body.push(Block::Heading {
            text: tr_args(main, "dossier.annex", &[("n", &(i + 1).to_string()), ("title", &title)]),
            level: 1,
        });
        let mut f = vec![
            (both("field.kind"), lang.choice("document_kind", d.record.data.kind.as_str())),
            (both("dossier.file"), d.original_name.clone()),
            ("SHA-256".to_string(), format!("\u{2066}{}\u{2069}", super::sheet::grouped_hash(&d.sha256))),
        ];
        if !d.record.data.signed_on.is_empty() {
            f.push((both("field.signed_on"), day(&d.record.data.signed_on, main)));
        }
        if a.pages > 0 {
            f.push((both("dossier.pages"), a.pages.to_string()));
        }
        body.push(Block::Fields(f));
        match &a.problem {
            None if edition == Edition::Archive => {
                let name = attachment_name(i, d);
                // Isolated: a name beginning with digits keeps its order in an Arabic sentence.
                let name = format!("\u{2066}{name}\u{2069}");
                body.push(Block::Note { text: tr_args(main, "dossier.attached_as", &[("name", &name)]) });
            }
            None => {
                body.push(Block::Note { text: tr(main, "dossier.follows") });
                for note in &a.notes {
                    body.push(Block::Note { text: tr(main, note) });
                }
            }
            // What the reader found (in English, technical) is in the export's report, not on
            // the page: the divider says why in the dossier's language.
            Some(r) => body.push(Block::Note { text: tr(main, r.key) }),
        }
    }

    let mut spec = DocumentSpec {
        // The session's name at the foot of every page, where other papers say when they were
        // printed.
        footer_note: label.clone(),
        // The annexes appended after are neither archival nor tagged: the dossier claims neither
        // profile then (the archive edition carries them as attachments instead).
        conformance: match edition {
            Edition::Archive => crate::typeset::pdf::Conformance::ArchivalWithFiles,
            Edition::Print if annexes.iter().any(|a| a.problem.is_none()) => crate::typeset::pdf::Conformance::Tagged,
            Edition::Print => crate::typeset::pdf::Conformance::Archival,
        },
        attachments: match edition {
            Edition::Print => Vec::new(),
            Edition::Archive => annexes
                .iter()
                .enumerate()
                .filter(|(_, a)| a.problem.is_none())
                .map(|(i, a)| crate::typeset::pdf::Attachment {
                    path: a.path.clone(),
                    name: attachment_name(i, &a.document),
                    media_type: a.document.media_type.clone(),
                    description: format!(
                        "{} — SHA-256 {}",
                        if a.document.record.data.title.is_empty() {
                            &a.document.original_name
                        } else {
                            &a.document.record.data.title
                        },
                        a.document.sha256
                    ),
                })
                .collect(),
        },
        ..super::council_paper(store, &identity, lang, lang.label("dossier.title"), label)
    };
    let fonts = Fonts::default();
    let mut shaper = Shaper::new(&fonts);
    // Two passes: where each section starts is known once laid out; the contents list has the
    // same number of rows in both passes, so the second leaves the page numbers where they were.
    let with_toc = |entries: &[(String, String)]| -> Vec<Block> {
        let mut blocks = head.clone();
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
    let first_pass = paginate(&mut shaper, &spec, &with_toc(&vec![(String::new(), "000".into()); level1]));
    // The divider of annex i is the page of the i-th annex heading; its pages follow it.
    let dividers: Vec<usize> = first_pass.outline.iter().skip(2 + points.len()).map(|o| o.page).collect();
    let mut appended = vec![0; first_pass.page_count()];
    for (annex, divider) in annexes.iter().zip(&dividers) {
        appended[*divider] += annex.pages;
    }
    let final_number = |page: usize| page + 1 + appended[..page].iter().sum::<usize>();
    let entries: Vec<(String, String)> =
        first_pass.outline.iter().skip(2).map(|o| (o.title.clone(), final_number(o.page).to_string())).collect();
    drop(first_pass);
    let laid = paginate(&mut shaper, &spec, &with_toc(&entries));
    let typeset_pages = laid.page_count();
    spec.appended = appended;
    let mut total = 0;
    write_atomically(dest, |out| {
        if edition == Edition::Archive || annexes.iter().all(|a| a.problem.is_some()) {
            total = write(&mut shaper, &spec, laid, out)?.1;
            return Ok(());
        }
        let (bytes, _) = write(&mut shaper, &spec, laid, Vec::new())?;
        let appended: Vec<Appended> = annexes
            .iter()
            .zip(&dividers)
            .filter(|(a, _)| a.problem.is_none())
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
    let annexes: Vec<AnnexReport> = annexes
        .iter()
        .enumerate()
        .map(|(i, a)| AnnexReport {
            n: i + 1,
            title: a.document.record.data.title.clone(),
            file: a.document.original_name.clone(),
            embedded: a.problem.is_none(),
            pages: a.pages,
            reason: a.problem.as_ref().map(|r| tr(main, r.key)),
            detail: a.problem.as_ref().map(|r| r.detail.clone()).unwrap_or_default(),
            notes: a.notes.iter().map(|n| tr(main, n)).collect(),
        })
        .collect();
    Ok(DossierReport { pages: total, embedded: annexes.iter().filter(|a| a.embedded).count(), annexes })
}

/// The name annex `i` is attached under in the archive edition: its place and its file's name.
fn attachment_name(i: usize, d: &Document) -> String {
    let name: String = d.original_name.chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\')).collect();
    format!("{:02}-{name}", i + 1)
}

/// A scan as an image XObject: JPEG bytes passed through unchanged (`/DCTDecode`); PNG and TIFF
/// decoded (within the preview bounds) and stored losslessly as 8-bit RGB with Flate.
pub(crate) fn image_xobject(path: &Path, media: &str) -> std::result::Result<(f32, f32, Stream), String> {
    use image::ImageDecoder;
    if media == "image/jpeg" {
        let jpeg = crate::typeset::pdf::ImageData::jpeg(path).map_err(|e| e.to_string())?;
        let space = jpeg.color_space();
        let crate::typeset::pdf::ImageData::Jpeg { bytes, width: w, height: h, .. } = jpeg else {
            unreachable!("ImageData::jpeg gives a JPEG")
        };
        let dict = dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64, "ColorSpace" => space, "BitsPerComponent" => 8, "Filter" => "DCTDecode" };
        return Ok((w as f32, h as f32, Stream::new(dict, bytes).with_compression(false)));
    }
    let reader =
        image::ImageReader::open(path).map_err(|e| e.to_string())?.with_guessed_format().map_err(|e| e.to_string())?;
    let decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > crate::preview::MAX_PIXELS {
        return Err(IMAGE_TOO_LARGE.into());
    }
    let rgb = image::DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?.to_rgb8();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    std::io::Write::write_all(&mut z, rgb.as_raw()).map_err(|e| e.to_string())?;
    let bytes = z.finish().map_err(|e| e.to_string())?;
    let dict = dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64, "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "FlateDecode" };
    Ok((w as f32, h as f32, Stream::new(dict, bytes).with_compression(false)))
}
