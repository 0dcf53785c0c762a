//! The PDF writer under Taawun's own layout, on krilla (docs/decisions/pdf-writer.md): each laid
//! line is drawn as glyph runs (Taawun's shaping, bidi and positions; krilla subsets the fonts and
//! maps each glyph to its characters, with ActualText where one glyph stands for different text
//! and reversed-characters marking for right-to-left runs), every drawn thing is tagged with its
//! role (`Role`), and the structure tree is built from those roles in reading order: headings,
//! paragraphs, label/value rows and tables with header cells, the emblem as a figure with its alt
//! text, the letterhead, rules and footers as artifacts, a language on every element. Papers are
//! PDF/A-2a and PDF/UA-1, validated by krilla when written: a paper that breaks the profile is an
//! error, never a silent downgrade.

use super::carriers;
use super::fonts::{FaceId, Fonts};
use super::layout::{is_rtl_text, Line};
use super::runs::{glyph_runs, GlyphRun};
pub use super::tags::Role;
use super::tags::{path_of, tree, Key, Leaf};
use krilla::color::rgb;
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{ArtifactType, ContentTag, SpanTag};
use krilla::text::Font;
use std::io;

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

/// Draws a laid line's glyph runs, its left edge at `x` and its baseline `baseline` from the top:
/// a run with harakat as outlines, its text on carriers (carriers.rs), after the line's text.
pub(super) fn draw_line(surface: &mut Surface, fonts: &Fonts, faces: &[Font], line: &Line, x: f32, baseline: f32) {
    surface.set_fill(Some(Fill {
        paint: color(line.color).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
    surface.set_stroke(None);
    let mut ink = Vec::new();
    let mut after = Vec::new();
    let draw = |surface: &mut Surface, run: &GlyphRun, size: f32| {
        let font = faces[run.face.index()].clone();
        surface.draw_glyphs(Point::from_xy(x + run.x, baseline), &run.glyphs, font, &run.text, size, false);
    };
    for run in glyph_runs(line, fonts) {
        match carriers::carrier_run(&run, fonts, line.size) {
            Some(carried) => {
                ink.extend(carriers::outlines(&run, fonts, x + run.x, baseline, line.size));
                draw(surface, &carried.run, line.size);
                after.extend(carried.leading);
            }
            None => draw(surface, &run, line.size),
        }
    }
    for run in &after {
        draw(surface, run, line.size * carriers::LEADING_SIZE);
    }
    for path in &ink {
        surface.draw_path(path);
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
