//! The documents Taawun prints, built on `crate::typeset`: the agreement sheet (بطاقة تقنية
//! للاتفاقية), the deliberation dossier of a session (ملف المداولات), the session's papers
//! (convocation, agenda, attendance register, minutes, decision, transmittal) and the annual
//! cooperation report with its charts and map, in Arabic, French or both. Each is written to a
//! temporary file beside the target and renamed into place, so a failed export never leaves half
//! a PDF under the user's name.

mod charts;
mod dossier;
mod merge;
mod papers;
mod report;
mod sheet;
mod world;

pub use dossier::{deliberation_dossier, AnnexReport, DossierReport, Edition};
pub use papers::{session_paper, Paper};
pub use report::annual_report;
pub use sheet::agreement_sheet;

use crate::error::Result;
use crate::i18n::{tr, Lang};
use crate::typeset::Block;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The language(s) of a printed document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrintLang {
    Ar,
    Fr,
    Both,
}

impl std::str::FromStr for PrintLang {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "ar" => Ok(PrintLang::Ar),
            "fr" => Ok(PrintLang::Fr),
            "both" => Ok(PrintLang::Both),
            _ => Err(crate::Error::invalid("lang", crate::error::Rule::UnknownValue)),
        }
    }
}

impl PrintLang {
    /// A label in the document's language(s): "النوع", "Nature", or "النوع — Nature". In a
    /// right-to-left line the French part ends with a left-to-right mark, so that a closing
    /// neutral stays on its side ("N°", not "°N"; "Objet :").
    pub(crate) fn label(self, key: &str) -> String {
        match self {
            PrintLang::Ar => tr(Lang::Ar, key),
            PrintLang::Fr => tr(Lang::Fr, key),
            PrintLang::Both => format!("{} — {}\u{200E}", tr(Lang::Ar, key), tr(Lang::Fr, key)),
        }
    }

    /// A document's title: a line per language in a bilingual one.
    pub(crate) fn title(self, key: &str) -> String {
        match self {
            PrintLang::Both => format!("{}\n{}", tr(Lang::Ar, key), tr(Lang::Fr, key)),
            _ => self.label(key),
        }
    }

    /// A choice value in the document's language(s): `choice("agreement_status", "signed")`.
    pub(crate) fn choice(self, group: &str, code: &str) -> String {
        self.label(&format!("{group}.{code}"))
    }

    /// A record's name in the document's language(s): the Arabic or the Latin one (the other when
    /// it is missing), or both.
    pub(crate) fn name(self, ar: &str, latin: &str) -> String {
        let first = |a: &str, b: &str| if a.is_empty() { b.to_string() } else { a.to_string() };
        match self {
            PrintLang::Ar => first(ar, latin),
            PrintLang::Fr => first(latin, ar),
            PrintLang::Both => [ar, latin].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" — "),
        }
    }

    pub(crate) fn main(self) -> Lang {
        if self == PrintLang::Fr {
            Lang::Fr
        } else {
            Lang::Ar
        }
    }
}

/// A stored date as the document writes it ("25 أبريل 2018"), empty when there is none.
pub(crate) fn day(stored: &str, lang: Lang) -> String {
    crate::calendar::PartialDate::stored(stored).map(|d| d.display(lang)).unwrap_or_default()
}

/// The emblem image of the identity, ready for a page (None when unset or unreadable: a
/// document is never refused for its emblem).
pub(crate) fn emblem(
    store: &crate::store::Store,
    identity: &crate::model::CouncilIdentity,
) -> Option<crate::typeset::pdf::ImageData> {
    use image::ImageDecoder;
    if identity.emblem_sha256.is_empty() {
        return None;
    }
    let path = store.vault().ok()?.path_of(&identity.emblem_sha256);
    let reader = image::ImageReader::open(&path).ok()?.with_guessed_format().ok()?;
    if reader.format() == Some(image::ImageFormat::Jpeg) {
        return crate::typeset::pdf::ImageData::jpeg(&path).ok();
    }
    let decoder = reader.into_decoder().ok()?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > 16_000_000 {
        return None;
    }
    // Transparent emblems are laid on white.
    let rgba = image::DynamicImage::from_decoder(decoder).ok()?.to_rgba8();
    let pixels = rgba
        .pixels()
        .flat_map(|p| {
            let a = u16::from(p[3]);
            [0, 1, 2].map(|i| ((u16::from(p[i]) * a + 255 * (255 - a)) / 255) as u8)
        })
        .collect();
    Some(crate::typeset::pdf::ImageData::Rgb { pixels, width: w, height: h })
}

/// Writes a text file (an .ics) to `dest` (see `crate::output`): complete or not at all.
pub fn write_text_atomically(dest: &Path, text: &str) -> Result<()> {
    crate::output::write_output(dest, |out| out.write_all(text.as_bytes()))
}

/// A council paper's frame: the letterhead and emblem of the council's identity, the language
/// and direction of `lang`, "page X / Y" and the day of printing at the foot; claims PDF/A-2a and
/// PDF/UA-1.
pub(crate) fn council_paper(
    store: &crate::store::Store,
    identity: &crate::model::CouncilIdentity,
    lang: PrintLang,
    title: String,
    subtitle: String,
) -> crate::typeset::DocumentSpec {
    let main = lang.main();
    let printed = crate::calendar::PartialDate::from_naive(crate::calendar::print_day())
        .map(|d| d.display(main))
        .unwrap_or_default();
    crate::typeset::DocumentSpec {
        title,
        subtitle,
        rtl: lang != PrintLang::Fr,
        lang: if lang == PrintLang::Fr { "fr-MA".into() } else { "ar-MA".into() },
        author: identity.arabic.last().cloned().unwrap_or_default(),
        letterhead: crate::typeset::Letterhead { arabic: identity.arabic.clone(), french: identity.french.clone() },
        page_label: tr(main, "sheet.page"),
        footer_note: crate::i18n::tr_args(main, "sheet.printed", &[("date", &printed)]),
        appended: Vec::new(),
        emblem: emblem(store, identity),
        conformance: Default::default(),
        attachments: Vec::new(),
    }
}

/// Typesets `blocks` under `spec` into `dest` (atomically); returns the number of pages.
pub(crate) fn print_blocks(
    spec: &crate::typeset::DocumentSpec,
    blocks: &[crate::typeset::Block],
    dest: &Path,
) -> Result<usize> {
    let mut pages = 0;
    crate::output::write_output(dest, |out| {
        pages = crate::typeset::render(spec, blocks, out)?.1;
        Ok(())
    })?;
    Ok(pages)
}

/// A bilingual document (a session's paper, an agreement sheet) from its Arabic and French ones, block beside block: the Arabic in the
/// right column, the French in the left. What is signed is signed once: the signature boxes are
/// one row, each headed in both languages, and a register to sign (`forms`: the attendance
/// register) is one table, its headers and cells in both languages. (Both papers are built by
/// the same code from the same records, so their blocks correspond one to one; should they ever
/// not, the French paper follows the Arabic whole rather than pairing what does not correspond.)
pub(crate) fn side_by_side(ar: Vec<Block>, fr: Vec<Block>, forms: bool) -> Vec<Block> {
    let same_shape =
        ar.len() == fr.len() && ar.iter().zip(&fr).all(|(a, f)| std::mem::discriminant(a) == std::mem::discriminant(f));
    debug_assert!(same_shape, "the Arabic and French papers differ in shape");
    if !same_shape {
        return ar.into_iter().chain(std::iter::once(Block::PageBreak)).chain(fr).collect();
    }
    // Two texts as one: a line each, once when they are the same (a number, a blank to fill).
    let both = |a: &String, f: &String| if a == f || f.is_empty() { a.clone() } else { format!("{a}\n{f}") };
    ar.into_iter()
        .zip(fr)
        .map(|pair| match pair {
            (Block::Signatures(a), Block::Signatures(f)) => {
                Block::Signatures(a.iter().zip(&f).map(|(a, f)| both(a, f)).collect())
            }
            (Block::Table { columns, rows }, Block::Table { columns: fr_columns, rows: fr_rows }) if forms => {
                Block::Table {
                    columns: columns.iter().zip(&fr_columns).map(|((a, w), (f, _))| (both(a, f), *w)).collect(),
                    rows: rows
                        .iter()
                        .zip(&fr_rows)
                        .map(|(a, f)| a.iter().zip(f).map(|(a, f)| both(a, f)).collect())
                        .collect(),
                }
            }
            (same @ (Block::Space(_) | Block::PageBreak), _) => same,
            (a, f) => Block::Pair(Box::new(a), Box::new(f)),
        })
        .collect()
}
