//! Shaping with rustybuzz, one piece of text at a time (a word, or part of one, in one face and
//! one direction), each distinct piece shaped once per document. Glyphs come back in visual
//! order, each with the byte range of its cluster in the piece's text (logical order): the PDF
//! writer hands both to krilla, which maps each glyph to its characters (ToUnicode, or
//! ActualText where one glyph stands for different text in different places, like the ")" glyph
//! drawing an RTL "("), and marks right-to-left runs as reversed characters. Glyphs of bidi
//! control characters are dropped.

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
    /// The byte range of its cluster in the piece's text (shared by a cluster's glyphs).
    pub range: std::ops::Range<usize>,
    /// A space (where justification adds room).
    pub is_space: bool,
}

#[derive(Clone, Debug)]
pub struct Piece {
    /// The text shaped, in logical order.
    pub text: Rc<str>,
    pub face: FaceId,
    pub rtl: bool,
    /// Visual order.
    pub glyphs: Vec<Glyph>,
    /// Total advance, font units.
    pub width: i32,
}

/// Brackets drawn mirrored in right-to-left text, in the order of their glyphs of their own in
/// Taawun Naskh (U+F500 + index; tools/merge-fonts.py): "(" in an Arabic run is drawn with the
/// ")" shape, and a glyph of its own lets the PDF map each shape to one character everywhere.
const MIRRORED: [char; 12] = ['(', ')', '[', ']', '{', '}', '<', '>', '«', '»', '‹', '›'];

/// The glyph of its own for a bracket drawn mirrored, when the face has one.
fn mirrored_glyph(face: &rustybuzz::Face, chunk: &str) -> Option<u16> {
    let mut chars = chunk.chars();
    let (c, None) = (chars.next()?, chars.next()) else { return None };
    let index = MIRRORED.iter().position(|m| *m == c)? as u32;
    face.glyph_index(char::from_u32(0xF500 + index)?).map(|g| g.0)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Shapes pieces, remembering each one.
pub struct Shaper<'f> {
    fonts: &'f Fonts,
    /// Per face and direction, each text shaped (looked up by `&str`, no key built per lookup).
    cache: HashMap<(FaceId, bool), HashMap<String, Rc<Piece>>>,
}

impl<'f> Shaper<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Shaper { fonts, cache: HashMap::new() }
    }

    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    pub fn shape(&mut self, face: FaceId, rtl: bool, text: &str) -> Rc<Piece> {
        let shaped = self.cache.entry((face, rtl)).or_default();
        if let Some(p) = shaped.get(text) {
            return p.clone();
        }
        let piece = Rc::new(shape_uncached(self.fonts, face, rtl, text));
        shaped.insert(text.to_string(), piece.clone());
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
    let cluster_end = |start: usize| starts.iter().find(|s| **s > start).copied().unwrap_or(text.len());
    let ttf = fonts.face(face);
    let missing = ['\u{25A1}', '?']
        .iter()
        .find_map(|c| ttf.glyph_index(*c))
        .map(|g| (g.0, i32::from(ttf.glyph_hor_advance(g).unwrap_or(0))));
    let mut glyphs = Vec::with_capacity(infos.len());
    let mut width = 0;
    for (info, pos) in infos.iter().zip(positions) {
        let range = info.cluster as usize..cluster_end(info.cluster as usize);
        let chunk = &text[range.clone()];
        if chunk.chars().all(is_bidi_control) {
            continue;
        }
        let is_space = chunk.chars().all(|c| c == ' ' || c == '\u{00A0}');
        // A character no face has is drawn as a visible stand-in, never as the font's .notdef
        // (which an archival PDF may not contain); copying it out still gives the character.
        let (gid, advance) = match (info.glyph_id, missing) {
            (0, Some((gid, advance))) => (gid, advance),
            (gid, _) if rtl => (mirrored_glyph(ttf, chunk).unwrap_or(gid as u16), pos.x_advance),
            (gid, _) => (gid as u16, pos.x_advance),
        };
        width += advance;
        glyphs.push(Glyph { gid, advance, x_offset: pos.x_offset, y_offset: pos.y_offset, range, is_space });
    }
    join_lam_alef(fonts, face, &mut glyphs);
    Piece { text: text.into(), face, rtl, glyphs, width }
}

/// An alef of no width followed by the lam it is laid over, each its own cluster side by side in
/// the text, become their composite glyph standing for both (see Fonts::lam_alef).
fn join_lam_alef(fonts: &Fonts, face: FaceId, glyphs: &mut Vec<Glyph>) {
    let mut i = 0;
    while i + 1 < glyphs.len() {
        let (alef, lam) = (&glyphs[i], &glyphs[i + 1]);
        let plain = |g: &Glyph| g.x_offset == 0 && g.y_offset == 0;
        let adjacent = alef.range.start == lam.range.end || lam.range.start == alef.range.end;
        if let (0, true, true, true, Some(gid)) =
            (alef.advance, plain(alef), plain(lam), adjacent, fonts.lam_alef(face, alef.gid, lam.gid))
        {
            let range = alef.range.start.min(lam.range.start)..alef.range.end.max(lam.range.end);
            glyphs[i] = Glyph { gid, advance: lam.advance, range, ..glyphs[i + 1].clone() };
            glyphs.remove(i + 1);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_come_in_visual_order_with_their_logical_clusters() {
        let fonts = Fonts::default();
        let mut s = Shaper::new(&fonts);
        let p = s.shape(FaceId::Arabic, true, "لا");
        // Right to left: the glyphs' clusters, read from the last glyph, are the text.
        let mut logical: Vec<&str> = p.glyphs.iter().rev().map(|g| &p.text[g.range.clone()]).collect();
        logical.dedup();
        assert_eq!(logical.concat(), "لا");
        let allah = s.shape(FaceId::Arabic, true, "الله");
        assert!(
            allah.glyphs.iter().any(|g| allah.text[g.range.clone()].chars().count() > 1),
            "a glyph standing for several letters, in logical order"
        );
        let q = s.shape(FaceId::Arabic, true, "(مثال)");
        assert_eq!(&q.text[q.glyphs[0].range.clone()], ")", "the leftmost glyph of an RTL '(…)' is the logical ')'");
        let ttf = fonts.face(FaceId::Arabic);
        let own = |c: char| ttf.glyph_index(c).map(|g| g.0);
        assert_eq!(Some(q.glyphs[0].gid), own('\u{F501}'), "drawn with the mirrored ')' glyph of its own");
        let ltr = s.shape(FaceId::Arabic, false, "(a)");
        assert_eq!(Some(ltr.glyphs[0].gid), own('('), "left to right: the ordinary glyph");
        let (a, b) = (ttf.glyph_index('\u{F501}').unwrap(), ttf.glyph_index('(').unwrap());
        assert_eq!(ttf.glyph_hor_advance(a), ttf.glyph_hor_advance(b), "the same shape as '('");
        assert!(q.glyphs.windows(2).all(|w| w[0].range.start >= w[1].range.end), "right to left: ranges decrease");
        assert!(Rc::ptr_eq(&s.shape(FaceId::Arabic, true, "لا"), &p), "shaped once");
    }
}
