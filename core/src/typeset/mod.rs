//! Arabic-aware typesetting for the PDFs Taawun prints (agreement sheets, session papers,
//! deliberation dossiers).
//!
//! The pipeline: `fonts` (the shipped faces and fallback by coverage) → `shape` (rustybuzz, each
//! distinct piece shaped once, glyphs carrying their clusters' text ranges) → `layout` (bidi per
//! UAX #9 with unicode-bidi, breaks per UAX #14 with unicode-linebreak, greedy lines on shaped
//! widths, per-line reordering, justification; what stays together in `keep`) → `document` (blocks on A4 pages under the
//! letterhead, each line with its role in the structure; its `columns` set a bilingual pair side
//! by side, its `table` the tables) → `write` (pages, footers) → `pdf` (krilla: subset fonts,
//! text mappings, PDF/A-2a and PDF/UA-1 validated), with `tags` (the structure tree) and
//! `framing` (the end of each stream as PDF/A validators read it).
//!
//! Why krilla under Taawun's own layout, and not printpdf (named in the first design card):
//! docs/decisions/pdf-writer.md.

mod carriers;
pub mod document;
pub mod figure;
pub mod fonts;
pub mod framing;
mod keep;
pub mod layout;
pub mod pdf;
mod runs;
pub mod shape;
mod tags;
mod write;

pub use document::{paginate, Block, DocumentSpec, Laid, Letterhead};
pub use write::{render, write};
