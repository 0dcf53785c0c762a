//! A paragraph into lines: the bidi levels of the whole paragraph (UAX #9), break opportunities
//! (UAX #14), pieces of one level and one face measured by shaping, lines filled greedily on
//! those widths, then each line reordered on its own (visual runs of that line only, as UAX #9
//! requires) and justified by widening its spaces.

use super::fonts::{FaceId, Fonts};
use super::shape::{Glyph, Piece, Shaper};
use std::ops::Range;
use std::rc::Rc;
use unicode_bidi::{BidiInfo, Level};
use unicode_linebreak::{linebreaks, BreakOpportunity};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// The start of the paragraph's direction (right for Arabic).
    Start,
    End,
    Center,
    /// Both edges, but the last line at the start.
    Justify,
}

#[derive(Clone, Debug)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub align: Align,
    /// Line height as a multiple of the size.
    pub leading: f32,
    pub color: (f32, f32, f32),
}

impl Style {
    pub fn body(size: f32) -> Style {
        Style { size, bold: false, align: Align::Justify, leading: 1.55, color: (0.0, 0.0, 0.0) }
    }
}

/// A shaped piece placed on a line.
#[derive(Clone, Debug)]
pub struct Placed {
    pub piece: Rc<Piece>,
    /// Distance from the line's left edge, points.
    pub x: f32,
    /// Extra room per space glyph (justification), points.
    pub space_extra: f32,
    /// Where the piece starts in the paragraph's text (its place in reading order).
    pub logical: usize,
}

#[derive(Clone, Debug)]
pub struct Line {
    pub pieces: Vec<Placed>,
    pub width: f32,
    pub height: f32,
    /// From the line's top to its baseline.
    pub ascent: f32,
    pub size: f32,
    pub color: (f32, f32, f32),
    /// The paragraph's direction.
    pub rtl: bool,
}

/// Whether a paragraph reads right to left: its first strong character decides (Arabic first).
pub fn is_rtl_text(text: &str) -> bool {
    for c in text.chars() {
        if super::fonts::is_arabic(c) {
            return true;
        }
        if c.is_alphabetic() {
            return false;
        }
    }
    true
}

struct Segment {
    range: Range<usize>,
    /// Pieces in logical order: (byte range, face, rtl, shaped).
    pieces: Vec<(Range<usize>, Rc<Piece>)>,
    width: f32,
    /// Width of trailing spaces (not counted at a line's end).
    trailing: f32,
    mandatory_break_after: bool,
}

/// Lays a paragraph out in lines at most `width` points wide: the text cut where it may break,
/// the runs measured (and a run wider than the line cut smaller), the lines filled greedily, and
/// each line ordered and placed.
pub fn layout_paragraph(shaper: &mut Shaper, text: &str, style: &Style, width: f32, rtl: bool) -> Vec<Line> {
    let text = if text.is_empty() { " " } else { text };
    let para = Paragraph::new(shaper.fonts(), text, style, rtl);
    let (runs, soft) = break_runs(text);
    let segments = para.fitted_segments(shaper, runs, &soft, width);
    let lines = fill_greedily(&segments, width);
    let count = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(n, range)| {
            let line = &segments[range];
            let last = n + 1 == count || line.last().is_some_and(|s| s.mandatory_break_after);
            para.line(shaper, line, last, width)
        })
        .collect()
}

/// A paragraph being laid out: its text, its bidi levels, and the face of each byte's character.
struct Paragraph<'t, 'f> {
    text: &'t str,
    bidi: BidiInfo<'t>,
    faces: Vec<FaceId>,
    fonts: &'f Fonts,
    style: &'t Style,
    rtl: bool,
}

/// The text cut at its break opportunities (UAX #14): each run with whether a mandatory break
/// ends it, and the opportunities kept inside a run (a date, a number and its unit, a hyphenated
/// name: see keep.rs), used only when the run is wider than the line.
fn break_runs(text: &str) -> (Vec<(Range<usize>, bool)>, Vec<usize>) {
    let mut runs = Vec::new();
    let mut soft = Vec::new();
    let mut start = 0;
    for (at, kind) in linebreaks(text) {
        if at <= start {
            continue;
        }
        let mandatory = kind == BreakOpportunity::Mandatory && at < text.len();
        if !mandatory && at < text.len() && !super::keep::break_allowed(text, at) {
            soft.push(at);
            continue;
        }
        runs.push((start..at, mandatory));
        start = at;
    }
    (runs, soft)
}

/// The lines as ranges of segments, filled greedily: a segment goes on the line if it fits
/// without its trailing spaces.
fn fill_greedily(segments: &[Segment], width: f32) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut first = 0;
    let mut used = 0.0;
    for (k, seg) in segments.iter().enumerate() {
        if k > first && used + seg.width - seg.trailing > width {
            lines.push(first..k);
            first = k;
            used = 0.0;
        }
        used += seg.width;
        if seg.mandatory_break_after {
            lines.push(first..k + 1);
            first = k + 1;
            used = 0.0;
        }
    }
    if first < segments.len() {
        lines.push(first..segments.len());
    }
    lines
}

impl<'t, 'f> Paragraph<'t, 'f> {
    fn new(fonts: &'f Fonts, text: &'t str, style: &'t Style, rtl: bool) -> Self {
        let bidi = BidiInfo::new(text, Some(if rtl { Level::rtl() } else { Level::ltr() }));
        // One face for the whole of an Arabic line (see Fonts::face_for).
        let mut faces: Vec<FaceId> = Vec::with_capacity(text.len());
        for (i, c) in text.char_indices() {
            let face = fonts.face_for(c, style.bold, rtl || bidi.levels[i].is_rtl());
            faces.extend(std::iter::repeat_n(face, c.len_utf8()));
        }
        Paragraph { text, bidi, faces, fonts, style, rtl }
    }

    fn scale(&self, face: FaceId) -> f32 {
        self.style.size / self.fonts.units_per_em(face)
    }

    fn face_at(&self, i: usize) -> FaceId {
        self.faces[i.min(self.faces.len() - 1)]
    }

    fn is_rtl_at(&self, i: usize) -> bool {
        self.bidi.levels[i].is_rtl()
    }

    /// The characters of `range` with where each starts in the text.
    fn chars(&self, range: &Range<usize>) -> Vec<(usize, char)> {
        self.text[range.clone()].char_indices().map(|(i, c)| (i + range.start, c)).collect()
    }

    /// A run shaped: cut into pieces of one level and one face, measured, its trailing spaces
    /// measured apart (they do not count at a line's end).
    fn segment(&self, shaper: &mut Shaper, range: Range<usize>, mandatory: bool) -> Segment {
        let text = self.text;
        let mut pieces = Vec::new();
        let mut piece_start = range.start;
        let mut seg_width = 0.0;
        let chars = self.chars(&range);
        for (k, (i, _)) in chars.iter().enumerate() {
            let next = chars.get(k + 1).map(|(j, _)| *j).unwrap_or(range.end);
            let boundary = next == range.end
                || self.bidi.levels[next] != self.bidi.levels[*i]
                || self.face_at(next) != self.face_at(*i);
            if boundary {
                let piece_text = &text[piece_start..next];
                let face = self.face_at(piece_start);
                let shaped = shaper.shape(face, self.is_rtl_at(piece_start), piece_text.trim_end_matches(['\n', '\r']));
                seg_width += shaped.width as f32 * self.scale(face);
                pieces.push((piece_start..next, shaped));
                piece_start = next;
            }
        }
        let trimmed = text[range.clone()].trim_end();
        let trailing_text = &text[range.start + trimmed.len()..range.end];
        let trailing = if trailing_text.is_empty() {
            0.0
        } else {
            let face = self.face_at(range.start + trimmed.len());
            shaper.shape(face, false, " ").width as f32
                * self.scale(face)
                * trailing_text.chars().filter(|c| *c == ' ').count() as f32
        };
        Segment { range, pieces, width: seg_width, trailing, mandatory_break_after: mandatory }
    }

    /// The runs as segments no wider than the line: a run kept together but wider is cut at its
    /// soft breaks, and a word still wider (a hash, a long reference) between characters.
    fn fitted_segments(
        &self,
        shaper: &mut Shaper,
        runs: Vec<(Range<usize>, bool)>,
        soft: &[usize],
        width: f32,
    ) -> Vec<Segment> {
        let mut segs: Vec<Segment> = Vec::with_capacity(runs.len());
        for (range, mandatory) in runs {
            let seg = self.segment(shaper, range.clone(), mandatory);
            if seg.width - seg.trailing <= width {
                segs.push(seg);
                continue;
            }
            let inside: Vec<usize> =
                soft.iter().copied().filter(|at| range.contains(at) && *at > range.start).collect();
            if !inside.is_empty() {
                let mut from = range.start;
                for at in inside.into_iter().chain([range.end]) {
                    segs.push(self.segment(shaper, from..at, mandatory && at == range.end));
                    from = at;
                }
                continue;
            }
            let mut start = range.start;
            let mut used = 0.0;
            for (i, c) in self.chars(&range) {
                let face = self.face_at(i);
                let w = shaper.shape(face, self.is_rtl_at(i), &c.to_string()).width as f32 * self.scale(face);
                if used + w > width && i > start {
                    segs.push(self.segment(shaper, start..i, false));
                    start = i;
                    used = 0.0;
                }
                used += w;
            }
            segs.push(self.segment(shaper, start..range.end, mandatory));
        }
        segs
    }

    /// The line's pieces in visual order (the visual runs of this line only, UAX #9), each with
    /// where it starts in the text; the last piece loses its trailing spaces.
    fn visual_pieces(&self, shaper: &mut Shaper, segments: &[Segment]) -> Vec<(usize, Rc<Piece>)> {
        let text = self.text;
        let start = segments[0].range.start;
        let mut end = segments[segments.len() - 1].range.end;
        while end > start && text[..end].ends_with(|c: char| c.is_whitespace()) {
            end -= text[..end].chars().next_back().map(char::len_utf8).unwrap_or(1);
        }
        let all: Vec<&(Range<usize>, Rc<Piece>)> =
            segments.iter().flat_map(|s| s.pieces.iter()).filter(|(r, _)| r.start < end.max(start + 1)).collect();
        let (_, runs) = self.bidi.visual_runs(&self.bidi.paragraphs[0], start..end.max(start));
        let mut ordered: Vec<(usize, Rc<Piece>)> = Vec::new();
        for run in runs {
            let mut in_run: Vec<&(Range<usize>, Rc<Piece>)> =
                all.iter().copied().filter(|(r, _)| r.start >= run.start && r.start < run.end).collect();
            if self.is_rtl_at(run.start) {
                in_run.reverse();
            }
            for (r, p) in in_run {
                if r.end > end {
                    ordered.push((r.start, shaper.shape(p.face, p.rtl, &text[r.start..end])));
                } else {
                    ordered.push((r.start, p.clone()));
                }
            }
        }
        ordered
    }

    /// A line of segments placed: justified by widening its spaces (not the `last` line of the
    /// paragraph or before a mandatory break), aligned, its height from the Arabic face's metrics.
    fn line(&self, shaper: &mut Shaper, segments: &[Segment], last: bool, width: f32) -> Line {
        let style = self.style;
        let ordered = self.visual_pieces(shaper, segments);
        let natural: f32 = ordered.iter().map(|(_, p)| p.width as f32 * self.scale(p.face)).sum();
        let spaces: usize = ordered.iter().map(|(_, p)| p.glyphs.iter().filter(|g| g.is_space).count()).sum();
        let space_extra = if style.align == Align::Justify && !last && spaces > 0 && natural < width {
            (width - natural) / spaces as f32
        } else {
            0.0
        };
        let line_width = if space_extra > 0.0 { width } else { natural };
        let left = match (style.align, self.rtl) {
            (Align::Center, _) => (width - line_width) / 2.0,
            (Align::Start | Align::Justify, true) | (Align::End, false) => width - line_width,
            _ => 0.0,
        };
        let mut x = left;
        let mut pieces = Vec::with_capacity(ordered.len());
        for (logical, p) in ordered {
            let w = p.width as f32 * self.scale(p.face)
                + space_extra * p.glyphs.iter().filter(|g| g.is_space).count() as f32;
            pieces.push(Placed { piece: p, x, space_extra, logical });
            x += w;
        }
        let (ascent, descent) = {
            let f = if style.bold { FaceId::ArabicBold } else { FaceId::Arabic };
            let (a, d) = self.fonts.metrics(f);
            (a * self.scale(f), -d * self.scale(f))
        };
        let height = (style.size * style.leading).max(ascent + descent);
        Line {
            pieces,
            width: line_width,
            height,
            ascent: ascent + (height - ascent - descent) / 2.0,
            size: style.size,
            color: style.color,
            rtl: self.rtl,
        }
    }
}

/// The width of a single line of text (no wrapping), points.
pub fn measure(shaper: &mut Shaper, text: &str, style: &Style) -> f32 {
    layout_paragraph(shaper, text, &Style { align: Align::Start, ..style.clone() }, f32::MAX / 4.0, is_rtl_text(text))
        .first()
        .map(|l| l.width)
        .unwrap_or(0.0)
}

/// All the glyphs of a line with their positions (points from the line's left, baseline-relative),
/// for tests and for the PDF writer.
pub fn glyphs_of(line: &Line, fonts: &Fonts) -> Vec<(FaceId, f32, Glyph)> {
    let mut out = Vec::new();
    for placed in &line.pieces {
        let scale = line.size / fonts.units_per_em(placed.piece.face);
        let mut x = placed.x;
        for g in &placed.piece.glyphs {
            out.push((placed.piece.face, x, g.clone()));
            x += g.advance as f32 * scale + if g.is_space { placed.space_extra } else { 0.0 };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line's text as drawn from left to right, piece by piece (a piece reads in its own
    /// direction).
    fn text_of(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.pieces.iter().map(|p| p.piece.text.to_string()).collect::<String>()).collect()
    }

    #[test]
    fn a_long_arabic_paragraph_breaks_into_justified_lines_read_right_to_left() {
        let fonts = Fonts::default();
        let mut shaper = Shaper::new(&fonts);
        let text = "اتفاقية شراكة وتعاون مع الجماعة الثالثة لباماكو الكبرى، وقعت بالرباط يوم 25 أبريل 2018 خلال زيارة وفد ترأسته عمدة الجماعة.";
        let lines = layout_paragraph(&mut shaper, text, &Style::body(12.0), 200.0, true);
        assert!(lines.len() >= 3, "{}", lines.len());
        for l in &lines[..lines.len() - 1] {
            assert!((l.width - 200.0).abs() < 0.5, "justified: {}", l.width);
        }
        let last = lines.last().unwrap();
        assert!(
            last.pieces.iter().map(|p| p.x).fold(f32::MAX, f32::min) > 0.0 || last.width >= 199.0,
            "the last line sits at the right"
        );
        // The first line holds the paragraph's first words: its rightmost piece is "اتفاقية".
        let rightmost = lines[0].pieces.iter().max_by(|a, b| a.x.partial_cmp(&b.x).unwrap()).unwrap();
        let word = rightmost.piece.text.to_string();
        assert!(word.contains("اتفاقية"), "{word}");
    }

    #[test]
    fn numbers_in_arabic_text_follow_the_bidi_algorithm() {
        let fonts = Fonts::default();
        let mut shaper = Shaper::new(&fonts);
        let lines = layout_paragraph(&mut shaper, "القانون رقم 112-14", &Style::body(12.0), 500.0, true);
        let visual = text_of(&lines).concat();
        // Visual order, left to right: the number, then the words (which read right to left).
        assert!(visual.starts_with("112-14") || visual.starts_with("14-112"), "{visual}");
        let lines = layout_paragraph(&mut shaper, "Commune III de Bamako (Mali)", &Style::body(12.0), 500.0, false);
        assert_eq!(text_of(&lines).concat(), "Commune III de Bamako (Mali)");
    }
}
