//! Arabic-aware typesetting for the PDFs Taawun prints (agreement sheets, deliberation dossiers).
//!
//! The pipeline: `fonts` (the shipped faces and fallback by coverage) → `shape` (rustybuzz, each
//! distinct piece shaped once, glyphs carrying the text they stand for) → `layout` (bidi per
//! UAX #9 with unicode-bidi, breaks per UAX #14 with unicode-linebreak, greedy lines on shaped
//! widths, per-line reordering, justification) → `document` (blocks on A4 pages under the
//! letterhead) → `pdf` (a streaming writer with subset fonts and ToUnicode maps).
//!
//! printpdf, named in the first design card, is not used: its layout cannot set Arabic
//! paragraphs and, without its HTML layout stack, it embeds whole fonts (see
//! ../shared/notes/arabic-pdf.md); Taawun owns the layout and writes the few PDF objects it
//! needs itself, with Typst's font subsetter.

pub mod document;
pub mod fonts;
pub mod layout;
pub mod pdf;
pub mod shape;

pub use document::{paginate, render, write, Block, DocumentSpec, Laid, Letterhead};
