//! Shaping with rustybuzz, one piece of text at a time (a word, or part of one, in one face and
//! one direction), each distinct piece shaped once per document. Glyphs come back in visual
//! order, with the text each glyph stands for, following the rules that make copying text out
//! of the PDF give the logical text back (see ../shared/notes/arabic-pdf.md):
//! - in a right-to-left piece a glyph stands for its logical character, even a mirrored bracket
//!   (the shaper draws "(" with the ")" glyph); right-to-left glyphs have their own ToUnicode
//!   map, so this does not change what the same glyph gives in left-to-right text;
//! - a glyph drawing several characters (lam-alef) stands for them in visual order;
//! - extra glyphs of a cluster (a kashida, a decomposed mark) stand for U+200D;
//! - glyphs of bidi control characters are dropped.

use super::fonts::{FaceId, Fonts};
use rustybuzz::{BufferClusterLevel, Direction, UnicodeBuffer};
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    pub gid: u16,
    /// In font units.
    pub advance: i32,
    pub x_offset: i32,
    pub y_offset: i32,
    /// What copying this glyph gives (empty for none).
    pub text: Rc<str>,
    /// A space (where justification adds room).
    pub is_space: bool,
}

#[derive(Clone, Debug)]
pub struct Piece {
    pub face: FaceId,
    pub rtl: bool,
    /// Visual order.
    pub glyphs: Vec<Glyph>,
    /// Total advance, font units.
    pub width: i32,
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Shapes pieces, remembering each one.
pub struct Shaper<'f> {
    fonts: &'f Fonts,
    cache: HashMap<(FaceId, bool, String), Rc<Piece>>,
}

impl<'f> Shaper<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Shaper { fonts, cache: HashMap::new() }
    }

    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    pub fn shape(&mut self, face: FaceId, rtl: bool, text: &str) -> Rc<Piece> {
        if let Some(p) = self.cache.get(&(face, rtl, text.to_string())) {
            return p.clone();
        }
        let piece = Rc::new(shape_uncached(self.fonts, face, rtl, text));
        self.cache.insert((face, rtl, text.to_string()), piece.clone());
        piece
    }
}

fn shape_uncached(fonts: &Fonts, face: FaceId, rtl: bool, text: &str) -> Piece {
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl { Direction::RightToLeft } else { Direction::LeftToRight });
    buffer.set_cluster_level(BufferClusterLevel::Characters);
    buffer.guess_segment_properties();
    let shaped = rustybuzz::shape(fonts.face(face), &[], buffer);
    let infos = shaped.glyph_infos();
    let positions = shaped.glyph_positions();
    // Cluster starts in logical order, to find where each cluster's text ends.
    let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let cluster_text = |start: usize| -> &str {
        let end = starts.iter().find(|s| **s > start).copied().unwrap_or(text.len());
        &text[start..end]
    };
    // The glyph that carries a cluster's text: its widest glyph (the base, not a mark or kashida).
    let mut carrier: HashMap<u32, usize> = HashMap::new();
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let e = carrier.entry(info.cluster).or_insert(i);
        if pos.x_advance > positions[*e].x_advance {
            *e = i;
        }
    }
    let mut glyphs = Vec::with_capacity(infos.len());
    let mut width = 0;
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let chunk = cluster_text(info.cluster as usize);
        if chunk.chars().all(is_bidi_control) {
            continue;
        }
        let text: String = if carrier.get(&info.cluster) == Some(&i) {
            if rtl {
                // Visual order inside the glyph (a lam-alef); a mirrored bracket keeps its logical
                // character: RTL glyphs get their own ToUnicode map (see `pdf`), so the ")" glyph
                // drawing an RTL "(" extracts as "(" without changing what LTR text gives.
                chunk.chars().rev().collect()
            } else {
                chunk.to_string()
            }
        } else {
            "\u{200D}".to_string()
        };
        let is_space = chunk.chars().all(|c| c == ' ' || c == '\u{00A0}');
        width += pos.x_advance;
        glyphs.push(Glyph {
            gid: info.glyph_id as u16,
            advance: pos.x_advance,
            x_offset: pos.x_offset,
            y_offset: pos.y_offset,
            text: text.into(),
            is_space,
        });
    }
    Piece { face, rtl, glyphs, width }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lam_alef_is_one_glyph_standing_for_its_letters_in_visual_order() {
        let fonts = Fonts::default();
        let mut s = Shaper::new(&fonts);
        let p = s.shape(FaceId::Arabic, true, "لا");
        let texts: Vec<&str> = p.glyphs.iter().map(|g| &*g.text).filter(|t| *t != "\u{200D}").collect();
        assert_eq!(texts.concat(), "ال", "visual order");
        let q = s.shape(FaceId::Arabic, true, "(مثال)");
        let first = &q.glyphs[0];
        assert_eq!(&*first.text, ")", "the leftmost glyph of an RTL '(…)' is the logical ')'");
        assert!(Rc::ptr_eq(&s.shape(FaceId::Arabic, true, "لا"), &p), "shaped once");
    }
}
