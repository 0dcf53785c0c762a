//! Lines with harakat, drawn so that they copy out as typed.
//!
//! A mark (fatha, shadda, sukun...) is drawn above or below its letter, at its own height. PDF
//! viewers read text by where each character is drawn, and both that Taawun is checked with take
//! such a mark for text apart: poppler starts a new word at any character half a point off the
//! baseline, or drawn less than 0.1 em after the one before (which it takes for fake bold);
//! pdf.js ends a text item at a jump of the pen. "بِسْمِ اللَّهِ" came back as "ِب ْس ِم" in scattered
//! words, and no producer tried (Typst, LibreOffice) does better.
//!
//! So a run holding a mark is drawn twice over, each drawing doing one job:
//! - the ink: every glyph as it was shaped (letters, marks at their offsets, ligatures), as
//!   outlines, which viewers do not read;
//! - the text: each character of the run, in the order the viewers expect (visual, as every
//!   other run), on an empty glyph of its own on the baseline (a carrier: Taawun Naskh has one per
//!   character and width, tools/merge-fonts.py), the characters of a cluster sharing out its
//!   width, none narrower than `NARROWEST` (borrowing from their neighbours where a cluster is too
//!   narrow for all its characters). Viewers then see one word per word, one item per line, each
//!   character where its letter is, and select and search it as any other text; the structure
//!   tree gets the same text as ever.
//!
//! A run with a character the carriers do not cover, or too narrow for its characters, is drawn
//! as before (its marks then read apart, as everywhere else).

use super::fonts::Fonts;
use super::runs::{GlyphRun, RunGlyph};
use krilla::geom::{Path, PathBuilder};
use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};
use unicode_bidi::{bidi_class, BidiClass};

/// The narrowest a carrier is, in ems: poppler takes a character drawn less than 0.1 em after the
/// one before for a duplicate (fake bold) and starts a new word with it.
const NARROWEST: f32 = 0.12;

/// A run's text on carriers: `run` in visual order, but for the marks it starts with
/// (`leading`), drawn after it at their place, at a size of `LEADING_SIZE` times the line's.
pub(super) struct Carried {
    pub run: GlyphRun,
    pub leading: Option<GlyphRun>,
}

/// The run's text on carriers, when it holds a mark and can be carried (see the module).
pub(super) fn carrier_run(run: &GlyphRun, fonts: &Fonts, size: f32) -> Option<Carried> {
    if !run.text.chars().any(is_mark) {
        return None;
    }
    let slots = slots(run)?;
    let upem = fonts.units_per_em(run.face);
    let total: f32 = run.glyphs.iter().map(RunGlyph::width).sum();
    let mut widths: Vec<f32> =
        slots.iter().enumerate().map(|(k, s)| slots.get(k + 1).map_or(total, |next| next.start) - s.start).collect();
    let preferred = widths_for_pdfjs(&slots, &mut widths, fonts.carrier_step(run.face)? / upem);
    let mut glyphs = Vec::with_capacity(slots.len());
    for ((slot, width), wanted) in slots.iter().zip(&widths).zip(&preferred) {
        let (gid, _) = fonts.carrier(run.face, slot.char, wanted * upem)?;
        glyphs.push(RunGlyph { gid, range: slot.range.clone(), advance: *width, ..RunGlyph::default() });
    }
    // The marks a run starts with (the marks of its last letter, in an Arabic run) are drawn after
    // it: pdf.js reads a mark without looking where it is, so a mark first on a line joined the
    // line above.
    let lead = slots.iter().take_while(|s| is_mark(s.char) || is_format(s.char)).count();
    let rest = glyphs.split_off(lead);
    let carried = |glyphs: Vec<RunGlyph>, x: f32| GlyphRun {
        face: run.face,
        x,
        glyphs,
        text: run.text.clone(),
        clusters: Vec::new(),
    };
    let leading_width: f32 = widths[..lead].iter().sum();
    Some(Carried {
        leading: (lead > 0).then(|| carried(glyphs, run.x)),
        run: carried(rest, run.x + leading_width * size),
    })
}

/// The space before a mark, in ems: poppler needs more than 0.1 em to see two words.
const SPACE_BEFORE_MARK: f32 = 0.15;

/// The width each carrier's glyph is chosen for: its place's, but around a mark just after a
/// space (the last mark of an Arabic word, drawn at its left end), where `widths` are moved too.
///
/// pdf.js does not move its pen for a mark's glyph, and takes a move of more than 0.102 em from
/// the end of one letter's glyph to the next letter for a space of its own: after the space it
/// has already read, the mark's letter came with a second one. Poppler needs the space to be a
/// gap of more than 0.1 em, and starts a new word where a character begins more than 0.2 em
/// before the one before it ends. So, from the letter before the space to the mark's letter:
/// the letter exactly as wide as its glyph, the space `SPACE_BEFORE_MARK`, and the mark's glyph
/// as wide as the rest allows in whole carrier steps, hiding the space from pdf.js (its pen then
/// moves less than a carrier step, 0.04 em, before the letter; the mark's glyph ends 0.11 to
/// 0.15 em after the letter begins, within poppler's 0.2).
fn widths_for_pdfjs(slots: &[Slot], widths: &mut [f32], step: f32) -> Vec<f32> {
    let mut wanted = widths.to_vec();
    for k in 1..slots.len() {
        if !(is_mark(slots[k].char) && slots[k - 1].char.is_whitespace()) {
            continue;
        }
        // The letter before the space, past the direction marks (of no width, unread by pdf.js).
        let Some(j) = (0..k - 1).rev().find(|j| !is_format(slots[*j].char)) else { continue };
        if is_mark(slots[j].char) || slots[j].char.is_whitespace() {
            continue;
        }
        let reach: f32 = widths[j..=k].iter().sum();
        let before = (widths[j] / step).round().max(1.0) * step;
        let rest = reach - before;
        if rest - SPACE_BEFORE_MARK < NARROWEST {
            continue;
        }
        widths[j] = before;
        widths[k - 1] = SPACE_BEFORE_MARK;
        widths[k] = rest - SPACE_BEFORE_MARK;
        wanted[j] = before;
        wanted[k - 1] = SPACE_BEFORE_MARK;
        wanted[k] = (rest / step).floor() * step;
    }
    wanted
}

/// A mark drawn on a letter (harakat, shadda, superscript alef; combining accents).
fn is_mark(c: char) -> bool {
    bidi_class(c) == BidiClass::NSM
}

/// The size of a run's leading marks, against the line's: a text item of its own for pdf.js,
/// which ends one where the size changes (the carriers have no ink: nothing is seen of it).
pub(super) const LEADING_SIZE: f32 = 1.001;

/// One character's place on the baseline, in ems from the run's left edge.
#[derive(Debug)]
struct Slot {
    char: char,
    range: std::ops::Range<usize>,
    start: f32,
    /// The least room it needs (none for a direction mark or a joiner, which have no width).
    least: f32,
}

/// Each character's place: its cluster's width shared out among the cluster's characters, then
/// moved as little as needed for every character to have `NARROWEST` (pushed right, then, where
/// the run's end is overrun, pulled back left). None when the run is too narrow for them all.
fn slots(run: &GlyphRun) -> Option<Vec<Slot>> {
    let mut slots = Vec::new();
    let mut x = 0.0;
    for cluster in &run.clusters {
        let width: f32 = run.glyphs[cluster.glyphs.clone()].iter().map(RunGlyph::width).sum();
        let text = &run.text[cluster.text.clone()];
        let count = text.chars().count() as f32;
        for (j, (at, c)) in text.char_indices().enumerate() {
            let at = cluster.text.start + at;
            slots.push(Slot {
                char: c,
                range: at..at + c.len_utf8(),
                start: x + width * j as f32 / count,
                least: if is_format(c) { 0.0 } else { NARROWEST },
            });
        }
        x += width;
    }
    for k in 1..slots.len() {
        slots[k].start = slots[k].start.max(slots[k - 1].start + slots[k - 1].least);
    }
    let mut end = x;
    for slot in slots.iter_mut().rev() {
        slot.start = slot.start.min(end - slot.least);
        end = slot.start;
    }
    (slots.first().is_none_or(|s| s.start > -1e-4)).then_some(slots)
}

/// Characters of no width that viewers skip (direction marks, joiners): they may sit where the
/// next character is.
fn is_format(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// The run's glyphs as one filled path, as they are drawn from `left` on `baseline` (points from
/// the page's top left) at `size`.
pub(super) fn outlines(run: &GlyphRun, fonts: &Fonts, left: f32, baseline: f32, size: f32) -> Option<Path> {
    let face = fonts.face(run.face);
    let scale = size / fonts.units_per_em(run.face);
    let mut path = PathBuilder::new();
    let mut pen = left;
    for glyph in &run.glyphs {
        let mut ink =
            Ink { path: &mut path, x: pen + glyph.x_offset * size, y: baseline - glyph.y_offset * size, scale };
        face.outline_glyph(GlyphId(glyph.gid), &mut ink);
        pen += glyph.width() * size;
    }
    path.finish()
}

/// A glyph's outline, from font units (y up) to the page (y down).
struct Ink<'p> {
    path: &'p mut PathBuilder,
    x: f32,
    y: f32,
    scale: f32,
}

impl Ink<'_> {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x + x * self.scale, self.y - y * self.scale)
    }
}

impl OutlineBuilder for Ink<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let ((x1, y1), (x, y)) = (self.at(x1, y1), self.at(x, y));
        self.path.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let ((x1, y1), (x2, y2), (x, y)) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
        self.path.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.path.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::fonts::FaceId;
    use crate::typeset::runs::Cluster;

    /// A run of one face from (text, width in ems) clusters, left to right.
    fn run(clusters: &[(&str, f32)]) -> GlyphRun {
        let mut run =
            GlyphRun { face: FaceId::Arabic, x: 0.0, glyphs: Vec::new(), text: String::new(), clusters: Vec::new() };
        for (text, width) in clusters {
            let at = run.text.len();
            run.text.push_str(text);
            run.clusters.push(Cluster { text: at..run.text.len(), glyphs: run.glyphs.len()..run.glyphs.len() + 1 });
            run.glyphs.push(RunGlyph { range: at..run.text.len(), advance: *width, ..RunGlyph::default() });
        }
        run
    }

    #[test]
    fn every_character_gets_room_and_the_run_keeps_its_width() {
        // "مِ" narrower than two carriers: the kasra borrows from the letters after it.
        let r = run(&[("\u{0650}م", 0.15), ("س", 0.6), ("\u{200F}", 0.0), ("ب", 0.3)]);
        let placed = slots(&r).unwrap();
        assert_eq!(placed.len(), 5);
        let total = 1.05;
        for (k, slot) in placed.iter().enumerate() {
            let end = placed.get(k + 1).map_or(total, |n| n.start);
            assert!(end - slot.start >= slot.least - 1e-6, "{slot:?}");
        }
        assert_eq!(placed[0].start, 0.0);
        assert!((placed[1].start - NARROWEST).abs() < 1e-6, "{placed:?}");
        // The direction mark has no width and sits where the letter after it begins.
        assert_eq!(placed[3].least, 0.0);
        assert_eq!(placed[3].start, placed[4].start);
        // Too narrow for its characters: not carried.
        assert!(slots(&run(&[("\u{0650}\u{0651}ب", 0.2)])).is_none());
    }

    #[test]
    fn a_mark_after_a_space_hides_the_space_from_pdfjs_and_not_from_poppler() {
        let fonts = Fonts::default();
        let step = fonts.carrier_step(FaceId::Arabic).unwrap() / fonts.units_per_em(FaceId::Arabic);
        for space in [0.22, 0.3, 0.55, 1.4] {
            // Visual order: a word ending in "ل", the space, then "دَ" drawn mark first.
            let r = run(&[("ل", 0.337), (" ", space), ("\u{064E}د", 0.41)]);
            let slots = slots(&r).unwrap();
            let mut widths: Vec<f32> = slots
                .iter()
                .enumerate()
                .map(|(k, s)| slots.get(k + 1).map_or(0.747 + space, |n| n.start) - s.start)
                .collect();
            let before: f32 = widths.iter().sum();
            let wanted = widths_for_pdfjs(&slots, &mut widths, step);
            assert!((widths.iter().sum::<f32>() - before).abs() < 1e-5, "the run keeps its width");
            // The letter is exactly as wide as its carrier; poppler sees a gap of a space.
            assert!((widths[0] - wanted[0]).abs() < 1e-6 && (wanted[0] / step).fract().abs() < 1e-4);
            assert!(widths[1] > 0.1, "{widths:?}");
            // pdf.js, moving its pen for the letter and the space but not the mark's glyph, sees
            // the letter after the mark less than 0.102 em on: no second space.
            let mark_glyph = wanted[2];
            let pdfjs_gap = widths[1] + (widths[2] - mark_glyph);
            assert!((0.0..0.102).contains(&pdfjs_gap), "{space}: {pdfjs_gap}");
            // Poppler: the letter begins less than 0.2 em before the mark's glyph ends.
            assert!(widths[2] - mark_glyph > -0.2, "{space}: {widths:?} {wanted:?}");
            assert!(fonts.carrier(FaceId::Arabic, '\u{064E}', mark_glyph * 1000.0).is_some());
        }
    }

    #[test]
    fn a_run_without_marks_is_drawn_as_ever() {
        let fonts = Fonts::default();
        assert!(carrier_run(&run(&[("ب", 0.3), (" ", 0.2), ("س", 0.6)]), &fonts, 12.0).is_none());
        let carried = carrier_run(&run(&[("\u{0650}م", 0.5), ("س", 0.6)]), &fonts, 12.0).unwrap();
        // The kasra the run starts with is drawn after it, on its own.
        let leading = carried.leading.unwrap();
        assert_eq!(leading.glyphs.len(), 1);
        assert_eq!(&leading.text[leading.glyphs[0].range.clone()], "\u{0650}");
        assert_eq!(carried.run.glyphs.len(), 2);
        assert!((carried.run.x - leading.glyphs[0].advance * 12.0).abs() < 1e-4);
    }
}
