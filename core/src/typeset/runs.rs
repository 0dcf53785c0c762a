//! A laid line as glyph runs for krilla: Taawun's shaped glyphs, sized, in visual order, each
//! mapped to the characters it shows (one run per face), with the invisible direction marks that
//! keep a stretch written against the paragraph's direction apart from its neighbours, and the
//! clusters each run is made of (what carriers.rs shares out when a line has harakat).

use super::fonts::{FaceId, Fonts};
use super::layout::Line;
use krilla::text::GlyphId;
use std::ops::Range;

/// Glyph runs for krilla: Taawun's shaped glyphs, sized, with their clusters' text ranges.
#[derive(Default)]
pub(super) struct RunGlyph {
    pub gid: u16,
    /// Its characters in the run's text.
    pub range: Range<usize>,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Room added by justification, in ems (spaces only): krilla asks advances at a size of
    /// one and scales them, so every length here is per em.
    pub extra: f32,
}

impl RunGlyph {
    /// How far it moves the pen, per em.
    pub fn width(&self) -> f32 {
        self.advance + self.extra
    }
}

impl krilla::text::Glyph for RunGlyph {
    fn glyph_id(&self) -> GlyphId {
        GlyphId::new(u32::from(self.gid))
    }
    fn text_range(&self) -> Range<usize> {
        self.range.clone()
    }
    fn x_advance(&self, size: f32) -> f32 {
        (self.advance + self.extra) * size
    }
    fn x_offset(&self, size: f32) -> f32 {
        self.x_offset * size
    }
    fn y_offset(&self, size: f32) -> f32 {
        self.y_offset * size
    }
    fn y_advance(&self, _: f32) -> f32 {
        0.0
    }
    fn location(&self) -> Option<krilla::surface::Location> {
        None
    }
}

/// The text krilla maps a piece's glyphs to. Extractors (poppler, pdf.js) put a right-to-left
/// run back in logical order glyph by glyph, and take the text of a glyph standing for several
/// characters (the "لله" of "الله", a lam-alef) as it is, which would read it reversed: in a
/// right-to-left run such a cluster is handed over in visual order (see
/// ../shared/notes/arabic-pdf.md). Every other character keeps its place.
fn extraction_text(piece: &super::shape::Piece) -> std::borrow::Cow<'_, str> {
    let multi = |r: &Range<usize>| piece.text[r.clone()].chars().nth(1).is_some();
    if !piece.rtl || !piece.glyphs.iter().any(|g| multi(&g.range)) {
        return std::borrow::Cow::Borrowed(&piece.text);
    }
    let mut text = piece.text.to_string();
    let mut done: Vec<usize> = Vec::new();
    for g in piece.glyphs.iter().filter(|g| multi(&g.range)) {
        if done.contains(&g.range.start) {
            continue;
        }
        done.push(g.range.start);
        let reversed: String = piece.text[g.range.clone()].chars().rev().collect();
        text.replace_range(g.range.clone(), &reversed);
    }
    std::borrow::Cow::Owned(text)
}

/// What one text-showing run of a line draws: glyphs side by side in one face, left to right,
/// each mapped to its own characters in the run's text (in the same, visual, order).
pub(super) struct GlyphRun {
    pub face: FaceId,
    /// Its left edge from the line's, in points.
    pub x: f32,
    pub glyphs: Vec<RunGlyph>,
    pub text: String,
    /// Left to right: each cluster's characters in `text` and its glyphs in `glyphs` (a direction
    /// mark is a cluster of its own).
    pub clusters: Vec<Cluster>,
}

pub(super) struct Cluster {
    pub text: Range<usize>,
    pub glyphs: Range<usize>,
}

/// The invisible marks that keep a stretch written against the paragraph's direction (a Latin
/// name or a number in Arabic, Arabic in French) apart from the neutral characters around it, as
/// Unicode recommends: extractors that regroup characters by direction (poppler) then give
/// "(35%)", "25/04/2018 بالرباط" and "(CGLUA)" back as typed. pdf.js skips them.
const RLM: char = '\u{200F}';
const LRM: char = '\u{200E}';

/// Characters that extractors take for part of a number (Unicode's weak bidi classes), which
/// poppler would join to the number next to them even where they read right to left.
fn number_like(text: &str) -> bool {
    use unicode_bidi::BidiClass::{AN, CS, EN, ES, ET};
    text.chars().all(|c| match c {
        '0'..='9' | '+' | '-' | '#' | '$' | '%' | ',' | '.' | '/' | ':' => true,
        _ if c.is_ascii() || ('\u{0621}'..='\u{064A}').contains(&c) => false,
        _ => matches!(unicode_bidi::bidi_class(c), EN | AN | ES | ET | CS),
    })
}

/// A line's glyph runs, left to right: each stretch of pieces side by side in one face is one
/// run (an Arabic line is one run, one font: fonts::Fonts::face_for), drawn as it is seen and
/// mapped glyph by glyph to the characters it shows, so that an extractor reading a run at a
/// time (pdf.js) sees the whole line and puts it in logical order itself, and one reading the
/// page's glyphs (poppler) finds each character where it is drawn. Nothing inside a run opens a
/// marked-content sequence (which would cut the line for pdf.js): no `/ReversedChars` (the text
/// is in visual order), and a cluster drawn with several glyphs has its characters shared out
/// among them instead of an `/ActualText` span — unless it has fewer characters than glyphs.
pub(super) fn glyph_runs(line: &Line, fonts: &Fonts) -> Vec<GlyphRun> {
    let pieces = &line.pieces;
    let marks = stretch_marks(line);
    let mut runs: Vec<GlyphRun> = Vec::new();
    let mut start = 0;
    while start < pieces.len() {
        let face = pieces[start].piece.face;
        let end = (start..pieces.len()).find(|i| pieces[*i].piece.face != face).unwrap_or(pieces.len());
        // Taawun Naskh's empty glyphs for the marks, or another face's zero width space (one
        // glyph for both marks there: krilla then spans the rarer one with /ActualText).
        let ttf = fonts.face(face);
        let mark_gid = |mark: char| {
            let own = if mark == RLM { '\u{F5FE}' } else { '\u{F5FF}' };
            ttf.glyph_index(own).or_else(|| ttf.glyph_index('\u{200B}')).map(|g| g.0)
        };
        let mut run =
            GlyphRun { face, x: pieces[start].x, glyphs: Vec::new(), text: String::new(), clusters: Vec::new() };
        let push_mark = |run: &mut GlyphRun, mark: char| {
            if let Some(gid) = mark_gid(mark) {
                let at = run.text.len();
                run.text.push(mark);
                run.clusters.push(Cluster { text: at..run.text.len(), glyphs: run.glyphs.len()..run.glyphs.len() + 1 });
                run.glyphs.push(RunGlyph { gid, range: at..run.text.len(), ..RunGlyph::default() });
            }
        };
        for (i, placed) in pieces.iter().enumerate().take(end).skip(start) {
            for m in marks.iter().filter(|m| m.piece == i && m.before) {
                push_mark(&mut run, m.mark);
            }
            let piece = &placed.piece;
            let upem = fonts.units_per_em(piece.face);
            let source = extraction_text(piece);
            let mut g = 0;
            while g < piece.glyphs.len() {
                let range = piece.glyphs[g].range.clone();
                let count = piece.glyphs[g..].iter().take_while(|x| x.range == range).count();
                let cluster = &source[range];
                if line.rtl && piece.rtl && number_like(cluster) {
                    push_mark(&mut run, RLM);
                }
                let at = run.text.len();
                run.text.push_str(cluster);
                let first_glyph = run.glyphs.len();
                // A cluster of several glyphs shares its characters out among them: glyph n shows
                // character n (the last one the rest); with fewer characters than glyphs, all of
                // them stand for the whole cluster.
                let shared = count > 1 && cluster.chars().count() < count;
                let start_of = |n: usize| cluster.char_indices().nth(n).map_or(cluster.len(), |(i, _)| i);
                for (n, glyph) in piece.glyphs[g..g + count].iter().enumerate() {
                    let part = if count == 1 || shared {
                        at..at + cluster.len()
                    } else {
                        let to = if n + 1 == count { cluster.len() } else { start_of(n + 1) };
                        at + start_of(n)..at + to
                    };
                    run.glyphs.push(RunGlyph {
                        gid: glyph.gid,
                        range: part,
                        advance: glyph.advance as f32 / upem,
                        x_offset: glyph.x_offset as f32 / upem,
                        y_offset: glyph.y_offset as f32 / upem,
                        extra: if glyph.is_space { placed.space_extra / line.size } else { 0.0 },
                    });
                }
                run.clusters.push(Cluster { text: at..run.text.len(), glyphs: first_glyph..run.glyphs.len() });
                g += count;
            }
            for m in marks.iter().filter(|m| m.piece == i && !m.before) {
                push_mark(&mut run, m.mark);
            }
        }
        runs.push(run);
        start = end;
    }
    runs
}

/// An invisible mark drawn before or after a piece's glyphs.
struct StretchMark {
    piece: usize,
    before: bool,
    mark: char,
}

/// The marks around each stretch written against the paragraph's direction: on the side facing
/// the text that follows it (when some does), the paragraph's mark; on the side facing the text
/// before it, the stretch's own mark, so that a bracket ending "(France)" stays with it. In an
/// Arabic paragraph the following text is on the stretch's left; in a French one, on its right.
fn stretch_marks(line: &Line) -> Vec<StretchMark> {
    let pieces = &line.pieces;
    let mut reading: Vec<usize> = (0..pieces.len()).collect();
    reading.sort_by_key(|i| pieces[*i].logical);
    let against = |i: usize| pieces[i].piece.rtl != line.rtl;
    let (paragraph_mark, stretch_mark) = if line.rtl { (RLM, LRM) } else { (LRM, RLM) };
    let mut marks = Vec::new();
    let mut k = 0;
    while k < reading.len() {
        if !against(reading[k]) {
            k += 1;
            continue;
        }
        let first = reading[k];
        while k + 1 < reading.len() && against(reading[k + 1]) {
            k += 1;
        }
        let last = reading[k];
        k += 1;
        // Arabic paragraph: the first piece of a left-to-right stretch is its leftmost, the
        // last its rightmost; French paragraph: the other way round.
        if k < reading.len() {
            marks.push(StretchMark { piece: first, before: line.rtl, mark: paragraph_mark });
        }
        marks.push(StretchMark { piece: last, before: !line.rtl, mark: stretch_mark });
    }
    marks
}
