//! The PDF writer under Taawun's own layout, on krilla (docs/decisions/pdf-writer.md): each laid
//! line is drawn as glyph runs (Taawun's shaping, bidi and positions; krilla subsets the fonts and
//! maps each glyph to its characters, with ActualText where one glyph stands for different text
//! and reversed-characters marking for right-to-left runs), every drawn thing is tagged with its
//! role (`Role`), and the structure tree is built from those roles in reading order: headings,
//! paragraphs, label/value rows and tables with header cells, the emblem as a figure with its alt
//! text, the letterhead, rules and footers as artifacts, a language on every element. Papers are
//! PDF/A-2a and PDF/UA-1, validated by krilla when written: a paper that breaks the profile is an
//! error, never a silent downgrade.

use super::fonts::{FaceId, Fonts};
use super::layout::{is_rtl_text, Line};
pub use super::tags::Role;
use super::tags::{path_of, tree, Key, Leaf};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{ArtifactType, ContentTag, SpanTag};
use krilla::text::{Font, GlyphId};
use std::io;
use std::ops::Range;

/// A bookmark: title, page (from 0) and distance of its top from the top of the page.
pub struct OutlineItem {
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// Document information.
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub lang: String,
    pub rtl: bool,
}

/// What a paper claims to be.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Conformance {
    /// PDF/A-2a and PDF/UA-1, validated.
    #[default]
    Archival,
    /// Tagged, claiming no profile: the typeset part of a dossier, whose annexes (scans, signed
    /// PDFs as filed) are appended afterwards and are neither archival nor tagged.
    Tagged,
    /// PDF/A-3a and PDF/UA-1 with files attached byte for byte (a dossier's archive edition).
    ArchivalWithFiles,
}

/// A file attached to a paper as it is (an archive edition's signed originals).
#[derive(Clone, Debug)]
pub struct Attachment {
    pub path: std::path::PathBuf,
    /// The name it is listed under in the PDF.
    pub name: String,
    pub media_type: String,
    pub description: String,
}

/// An image for a page: JPEG bytes passed through, or 8-bit RGB pixels.
pub enum ImageData {
    Jpeg { bytes: Vec<u8>, width: u32, height: u32, components: u8 },
    Rgb { pixels: Vec<u8>, width: u32, height: u32 },
}

impl ImageData {
    /// A JPEG file as it is (only its header is decoded, for the size and colour components).
    pub fn jpeg(path: &std::path::Path) -> io::Result<ImageData> {
        use image::ImageDecoder;
        let decoder = image::codecs::jpeg::JpegDecoder::new(io::BufReader::new(std::fs::File::open(path)?))
            .map_err(io::Error::other)?;
        let (width, height) = decoder.dimensions();
        let components = decoder.color_type().channel_count();
        Ok(ImageData::Jpeg { bytes: std::fs::read(path)?, width, height, components })
    }

    /// The PDF colour space of the pixels.
    pub fn color_space(&self) -> &'static str {
        match self {
            ImageData::Jpeg { components: 1, .. } => "DeviceGray",
            ImageData::Jpeg { components: 4, .. } => "DeviceCMYK",
            _ => "DeviceRGB",
        }
    }

    pub fn size(&self) -> (f32, f32) {
        match self {
            ImageData::Jpeg { width, height, .. } | ImageData::Rgb { width, height, .. } => {
                (*width as f32, *height as f32)
            }
        }
    }

    fn to_krilla(&self) -> io::Result<krilla::image::Image> {
        match self {
            ImageData::Jpeg { bytes, .. } => krilla::image::Image::from_jpeg(bytes.clone().into(), false),
            ImageData::Rgb { pixels, width, height } => {
                let mut png = Vec::new();
                image::codecs::png::PngEncoder::new(&mut png)
                    .write_image(pixels, *width, *height, image::ExtendedColorType::Rgb8)
                    .map_err(io::Error::other)?;
                krilla::image::Image::from_png(png.into(), false)
            }
        }
        .map_err(io::Error::other)
    }
}

use image::ImageEncoder as _;

/// Glyph runs for krilla: Taawun's shaped glyphs, sized, with their clusters' text ranges.
#[derive(Default)]
struct RunGlyph {
    gid: u16,
    range: Range<usize>,
    advance: f32,
    x_offset: f32,
    y_offset: f32,
    /// Room added by justification, in ems (spaces only): krilla asks advances at a size of
    /// one and scales them, so every length here is per em.
    extra: f32,
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
struct GlyphRun {
    face: FaceId,
    x: f32,
    glyphs: Vec<RunGlyph>,
    text: String,
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
fn glyph_runs(line: &Line, fonts: &Fonts) -> Vec<GlyphRun> {
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
        let mut run = GlyphRun { face, x: pieces[start].x, glyphs: Vec::new(), text: String::new() };
        let push_mark = |run: &mut GlyphRun, mark: char| {
            if let Some(gid) = mark_gid(mark) {
                let at = run.text.len();
                run.text.push(mark);
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

pub(super) fn color((r, g, b): (f32, f32, f32)) -> rgb::Color {
    let c = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    rgb::Color::new(c(r), c(g), c(b))
}

/// A document being written: krilla's document, the faces as krilla fonts, and the leaves of
/// the structure tree in reading order.
pub struct Writer<'f> {
    doc: krilla::Document,
    fonts: &'f Fonts,
    faces: Vec<Font>,
    leaves: Vec<Leaf>,
    pages: usize,
}

/// One page being drawn.
pub struct PageCanvas<'a, 'p> {
    pub(super) surface: Surface<'p>,
    pub(super) writer_fonts: &'a Fonts,
    pub(super) faces: &'a [Font],
    pub(super) leaves: &'a mut Vec<Leaf>,
}

impl<'f> Writer<'f> {
    pub fn new(fonts: &'f Fonts, conformance: Conformance) -> Self {
        let configuration = match conformance {
            Conformance::Archival => ConfigurationBuilder::new()
                .with_archival_validator(Archival::A2_A)
                .with_accessibility_validator(Accessibility::UA1)
                .finish()
                .expect("PDF/A-2a and PDF/UA-1 share PDF 1.7"),
            Conformance::ArchivalWithFiles => ConfigurationBuilder::new()
                .with_archival_validator(Archival::A3_A)
                .with_accessibility_validator(Accessibility::UA1)
                .finish()
                .expect("PDF/A-3a and PDF/UA-1 share PDF 1.7"),
            Conformance::Tagged => ConfigurationBuilder::new().finish().expect("no validator"),
        };
        let settings = krilla::SerializeSettings { enable_tagging: true, configuration, ..Default::default() };
        let faces = FaceId::ALL
            .iter()
            .map(|f| Font::new(krilla::Data::from(fonts.data(*f)), 0).expect("shipped fonts parse"))
            .collect();
        Writer { doc: krilla::Document::new_with(settings), fonts, faces, leaves: Vec::new(), pages: 0 }
    }

    /// Draws one page of `width` × `height` points with `draw`.
    pub fn page(&mut self, width: f32, height: f32, draw: impl FnOnce(&mut PageCanvas)) {
        let settings = krilla::page::PageSettings::from_wh(width, height).expect("a page has a size");
        let mut page = self.doc.start_page_with(settings);
        {
            let surface = page.surface();
            let mut canvas =
                PageCanvas { surface, writer_fonts: self.fonts, faces: &self.faces, leaves: &mut self.leaves };
            draw(&mut canvas);
            canvas.surface.finish();
        }
        page.finish();
        self.pages += 1;
    }

    /// Attaches a file as it is, as a supplement of the document (an associated file).
    pub fn attach(&mut self, file: &Attachment) -> io::Result<()> {
        let bytes = std::fs::read(&file.path)?;
        let now = crate::calendar::source_date().unwrap_or_else(chrono::Utc::now);
        let embedded = krilla::embed::EmbeddedFile {
            path: file.name.clone(),
            mime_type: krilla::embed::MimeType::new(&file.media_type),
            description: Some(file.description.clone()),
            association_kind: krilla::embed::AssociationKind::Supplement,
            data: bytes.into(),
            modification_date: Some(date_time(now)),
            // Scans and signed PDFs are compressed already: stored as they are.
            compress: Some(false),
            location: None,
        };
        self.doc.embed_file(embedded).ok_or_else(|| io::Error::other(format!("PDF: {} attached twice", file.name)))
    }

    /// The outline, the metadata and the structure tree; validated, serialized.
    pub fn finish(mut self, meta: &Meta, outline: &[OutlineItem]) -> io::Result<Vec<u8>> {
        // Every paper has an outline (PDF/UA): its level-1 headings, or its title.
        let title_only = [OutlineItem { title: meta.title.clone(), page: 0, y: 0.0 }];
        let outline = if outline.is_empty() { &title_only[..] } else { outline };
        {
            let mut o = krilla::outline::Outline::new();
            for item in outline {
                let page = item.page.min(self.pages.saturating_sub(1));
                let dest = krilla::destination::XyzDestination::new(page, Point::from_xy(0.0, item.y.max(0.0)));
                o.push_child(krilla::outline::OutlineNode::new(item.title.clone(), dest));
            }
            self.doc.set_outline(o);
        }
        let date = date_time(crate::calendar::source_date().unwrap_or_else(chrono::Utc::now));
        let mut metadata = krilla::metadata::Metadata::new()
            .title(meta.title.clone())
            .language(meta.lang.clone())
            .creator("Taawun".into())
            .producer(format!("Taawun {}", env!("CARGO_PKG_VERSION")))
            .creation_date(date)
            .text_direction(if meta.rtl {
                krilla::metadata::TextDirection::RightToLeft
            } else {
                krilla::metadata::TextDirection::LeftToRight
            });
        if !meta.author.is_empty() {
            metadata = metadata.authors(vec![meta.author.clone()]);
        }
        if !meta.subject.is_empty() {
            metadata = metadata.description(meta.subject.clone());
        }
        self.doc.set_metadata(metadata);
        self.doc.set_tag_tree(tree(std::mem::take(&mut self.leaves), &meta.lang));
        let pdf = self.doc.finish().map_err(|e| io::Error::other(format!("PDF: {e:?}")))?;
        Ok(super::framing::mend_file(pdf))
    }
}

fn date_time(now: chrono::DateTime<chrono::Utc>) -> krilla::metadata::DateTime {
    use chrono::{Datelike, Timelike};
    krilla::metadata::DateTime::new(now.year() as u16)
        .month(now.month() as u8)
        .day(now.day() as u8)
        .hour(now.hour() as u8)
        .minute(now.minute() as u8)
        .second(now.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// Draws a laid line's glyph runs, its left edge at `x` and its baseline `baseline` from the top.
pub(super) fn draw_line(surface: &mut Surface, fonts: &Fonts, faces: &[Font], line: &Line, x: f32, baseline: f32) {
    surface.set_fill(Some(Fill {
        paint: color(line.color).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    surface.set_stroke(None);
    for run in glyph_runs(line, fonts) {
        surface.draw_glyphs(
            Point::from_xy(x + run.x, baseline),
            &run.glyphs,
            faces[run.face.index()].clone(),
            &run.text,
            line.size,
            false,
        );
    }
}

impl PageCanvas<'_, '_> {
    fn tagged(&mut self, role: Role, lang: &str, text: &str, draw: impl FnOnce(&mut Surface)) {
        let artifact = match role {
            Role::Letterhead => Some(ArtifactType::Header),
            Role::Footer => Some(ArtifactType::Footer),
            Role::Layout => Some(ArtifactType::Layout),
            _ => None,
        };
        match artifact {
            Some(kind) => {
                self.surface.start_tagged(ContentTag::Artifact(krilla::tagging::Artifact::with_kind(kind)));
                draw(&mut self.surface);
                self.surface.end_tagged();
            }
            None => {
                let id = self.surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                draw(&mut self.surface);
                self.surface.end_tagged();
                self.leaves.push(Leaf {
                    path: path_of(role),
                    lang: lang.to_string(),
                    text: text.to_string(),
                    alt: None,
                    id,
                });
            }
        }
    }

    /// A line of text whose left edge is at `x` and baseline `baseline` points from the top.
    pub fn text_line(&mut self, line: &Line, x: f32, baseline: f32, role: Role) {
        // The line's text in reading order (its pieces are placed in visual order): what a
        // heading's title and the element's language are made of.
        let mut pieces: Vec<_> = line.pieces.iter().collect();
        pieces.sort_by_key(|p| p.logical);
        let text: String = pieces.iter().map(|p| &*p.piece.text).collect();
        let lang = if is_rtl_text(&text) { "ar" } else { "fr" };
        let (fonts, faces) = (self.writer_fonts, self.faces);
        self.tagged(role, lang, &text, |surface| draw_line(surface, fonts, faces, line, x, baseline));
    }

    /// An image in the box (x, y) – (x + w, y + h), from the top left, as a figure described by
    /// `alt`.
    pub fn image(&mut self, image: &ImageData, x: f32, y: f32, w: f32, h: f32, alt: &str) -> io::Result<()> {
        let image = image.to_krilla()?;
        let id = self.surface.start_tagged(ContentTag::Other);
        self.surface.push_transform(&Transform::from_translate(x, y));
        self.surface.draw_image(image, Size::from_wh(w, h).expect("an image has a size"));
        self.surface.pop();
        self.surface.end_tagged();
        self.leaves.push(Leaf {
            path: vec![Key::Figure(usize::MAX)],
            lang: String::new(),
            text: String::new(),
            alt: Some(alt.to_string()),
            id,
        });
        Ok(())
    }

    /// A filled rectangle (from the top left).
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, rgb: (f32, f32, f32)) {
        self.tagged(Role::Layout, "", "", |surface| {
            paint(surface, rect_path(x, y, w, h), Some(rgb), None, FillRule::NonZero)
        });
    }

    /// A straight rule from (x1, y1) to (x2, y2), from the top left.
    pub fn rule(&mut self, from: (f32, f32), to: (f32, f32), width: f32, rgb: (f32, f32, f32)) {
        self.tagged(Role::Layout, "", "", |surface| {
            paint(surface, line_path(from, to), None, Some((rgb, width)), FillRule::NonZero)
        });
    }
}

/// The rectangle (x, y) – (x + w, y + h) as a path (none when it has no area).
pub(super) fn rect_path(x: f32, y: f32, w: f32, h: f32) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(Rect::from_xywh(x, y, w, h)?);
    pb.finish()
}

/// The straight segment `from` – `to` as a path.
pub(super) fn line_path(from: (f32, f32), to: (f32, f32)) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    pb.move_to(from.0, from.1);
    pb.line_to(to.0, to.1);
    pb.finish()
}

/// Draws `path` filled with `fill` (by `rule`) and outlined with `stroke` (colour, width), each
/// when given.
pub(super) fn paint(
    surface: &mut Surface,
    path: Option<krilla::geom::Path>,
    fill: Option<(f32, f32, f32)>,
    stroke: Option<((f32, f32, f32), f32)>,
    rule: FillRule,
) {
    let Some(path) = path else { return };
    surface.set_fill(fill.map(|c| Fill { paint: color(c).into(), opacity: NormalizedF32::ONE, rule }));
    surface.set_stroke(stroke.map(|(c, width)| Stroke { paint: color(c).into(), width, ..Default::default() }));
    surface.draw_path(&path);
}
