//! A small streaming PDF writer for Taawun's documents: each page's content is compressed and
//! written as soon as it is made; fonts are embedded at the end as subsets (Typst's `subsetter`)
//! in CID-keyed Type0 fonts (Identity-H, glyph ids as CIDs) with their widths and a ToUnicode map,
//! so that copying text out gives the characters back. Also: the document outline, metadata
//! (title, author = the council, language) and the reading direction.

use super::fonts::{FaceId, Fonts};
use super::layout::Line;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::rc::Rc;
use subsetter::GlyphRemapper;

struct Counting<W: Write> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The glyphs of one face used so far, with the CIDs they were given. The face is embedded once
/// and presented through two Type0 fonts that differ only by their ToUnicode map: one for
/// left-to-right text, one for right-to-left text (where the glyph of ")" stands for "(").
#[derive(Default)]
struct FontUse {
    /// The Type0 fonts: [left-to-right, right-to-left].
    ids: [Option<u32>; 2],
    remapper: GlyphRemapper,
    /// CID → original glyph id.
    originals: Vec<u16>,
    /// CID → text, per direction (first use wins: a ToUnicode map has one string per glyph).
    texts: [BTreeMap<u16, Rc<str>>; 2],
}

/// A bookmark: title, level (0 = top), page number (from 0) and height on the page.
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

/// Drawing commands for one page, in PDF user space (points, origin at the bottom left).
pub struct Canvas<'f> {
    fonts: &'f Fonts,
    ops: String,
    /// [face][direction] used on this page.
    used: [[bool; 2]; 4],
    /// Image XObjects drawn on this page (object ids).
    images: Vec<u32>,
}

/// An image for a page: JPEG bytes passed through, or 8-bit RGB pixels (compressed here).
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
}

fn num(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Canvas { fonts, ops: String::with_capacity(16 * 1024), used: [[false; 2]; 4], images: Vec::new() }
    }

    /// A line of text whose left edge is at `x` and baseline at `y`.
    pub fn text_line(&mut self, writer: &mut PdfWriter<impl Write>, line: &Line, x: f32, baseline: f32) {
        let (r, g, b) = line.color;
        let _ = write!(self.ops, "BT {} {} {} rg ", num(r), num(g), num(b));
        for placed in &line.pieces {
            let face = placed.piece.face;
            let dir = usize::from(placed.piece.rtl);
            self.used[face.index()][dir] = true;
            let upem = self.fonts.units_per_em(face);
            let to_1000 = 1000.0 / upem;
            let _ = write!(
                self.ops,
                "/{}{} {} Tf 1 0 0 1 {} {} Tm ",
                ["F", "R"][dir],
                face.index(),
                num(line.size),
                num(x + placed.x),
                num(baseline)
            );
            let extra_1000 = placed.space_extra * 1000.0 / line.size;
            let mut open = false;
            let mut rise = 0i32;
            for glyph in &placed.piece.glyphs {
                if glyph.y_offset != rise {
                    if open {
                        self.ops.push_str("] TJ ");
                        open = false;
                    }
                    rise = glyph.y_offset;
                    let _ = write!(self.ops, "{} Ts ", num(rise as f32 * line.size / upem));
                }
                if !open {
                    self.ops.push('[');
                    open = true;
                }
                let cid = writer.cid(face, dir, glyph.gid, &glyph.text);
                let w = writer.width_1000(self.fonts, face, glyph.gid);
                let x_off = glyph.x_offset as f32 * to_1000;
                if x_off != 0.0 {
                    let _ = write!(self.ops, "{} ", num(-x_off));
                }
                let _ = write!(self.ops, "<{cid:04X}>");
                let advance = glyph.advance as f32 * to_1000 + if glyph.is_space { extra_1000 } else { 0.0 };
                let adjust = w + x_off - advance;
                if adjust.abs() >= 0.01 {
                    let _ = write!(self.ops, " {} ", num(adjust));
                }
            }
            if open {
                self.ops.push_str("] TJ ");
            }
            if rise != 0 {
                self.ops.push_str("0 Ts ");
            }
        }
        self.ops.push_str("ET\n");
    }

    /// Draws an image written with `PdfWriter::image` in the box (x, y) – (x + w, y + h).
    pub fn image(&mut self, id: u32, x: f32, y: f32, w: f32, h: f32) {
        if !self.images.contains(&id) {
            self.images.push(id);
        }
        let _ = writeln!(self.ops, "q {} 0 0 {} {} {} cm /Im{id} Do Q", num(w), num(h), num(x), num(y));
    }

    pub fn rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<(f32, f32, f32)>,
        stroke: Option<(f32, f32, f32)>,
    ) {
        if let Some((r, g, b)) = fill {
            let _ = writeln!(
                self.ops,
                "{} {} {} rg {} {} {} {} re f",
                num(r),
                num(g),
                num(b),
                num(x),
                num(y),
                num(w),
                num(h)
            );
        }
        if let Some((r, g, b)) = stroke {
            let _ = writeln!(
                self.ops,
                "0.6 w {} {} {} RG {} {} {} {} re S",
                num(r),
                num(g),
                num(b),
                num(x),
                num(y),
                num(w),
                num(h)
            );
        }
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, width: f32, color: (f32, f32, f32)) {
        let _ = writeln!(
            self.ops,
            "{} w {} {} {} RG {} {} m {} {} l S",
            num(width),
            num(color.0),
            num(color.1),
            num(color.2),
            num(x1),
            num(y),
            num(x2),
            num(y)
        );
    }

    pub fn vline(&mut self, x: f32, y1: f32, y2: f32, width: f32, color: (f32, f32, f32)) {
        let _ = writeln!(
            self.ops,
            "{} w {} {} {} RG {} {} m {} {} l S",
            num(width),
            num(color.0),
            num(color.1),
            num(color.2),
            num(x),
            num(y1),
            num(x),
            num(y2)
        );
    }
}

pub struct PdfWriter<W: Write> {
    out: Counting<W>,
    offsets: BTreeMap<u32, u64>,
    next_id: u32,
    pages_id: u32,
    page_ids: Vec<u32>,
    fonts: [FontUse; 4],
    widths: [BTreeMap<u16, f32>; 4],
}

impl<W: Write> PdfWriter<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let mut w = PdfWriter {
            out: Counting { inner: out, written: 0 },
            offsets: BTreeMap::new(),
            next_id: 1,
            pages_id: 0,
            page_ids: Vec::new(),
            fonts: Default::default(),
            widths: Default::default(),
        };
        w.out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        w.pages_id = w.reserve();
        Ok(w)
    }

    fn reserve(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn begin(&mut self, id: u32) -> io::Result<()> {
        self.offsets.insert(id, self.out.written);
        writeln!(self.out, "{id} 0 obj")
    }

    fn object(&mut self, id: u32, body: &str) -> io::Result<()> {
        self.begin(id)?;
        self.out.write_all(body.as_bytes())?;
        self.out.write_all(b"\nendobj\n")
    }

    fn stream(&mut self, id: u32, dict: &str, data: &[u8], compress: bool) -> io::Result<()> {
        let (bytes, filter) = if compress {
            let mut z = ZlibEncoder::new(Vec::with_capacity(data.len() / 3), Compression::new(6));
            z.write_all(data)?;
            (z.finish()?, " /Filter /FlateDecode")
        } else {
            (data.to_vec(), "")
        };
        self.begin(id)?;
        write!(self.out, "<< {dict}{filter} /Length {} >>\nstream\n", bytes.len())?;
        self.out.write_all(&bytes)?;
        self.out.write_all(b"\nendstream\nendobj\n")
    }

    /// The CID of a glyph in the embedded subset (assigned on first use).
    fn cid(&mut self, face: FaceId, dir: usize, gid: u16, text: &Rc<str>) -> u16 {
        let f = &mut self.fonts[face.index()];
        if f.originals.is_empty() {
            f.remapper.remap(0);
            f.originals.push(0);
        }
        let before = f.originals.len();
        let cid = f.remapper.remap(gid);
        if cid as usize == before {
            f.originals.push(gid);
        }
        if !text.is_empty() {
            f.texts[dir].entry(cid).or_insert_with(|| text.clone());
        }
        cid
    }

    fn width_1000(&mut self, fonts: &Fonts, face: FaceId, gid: u16) -> f32 {
        *self.widths[face.index()].entry(gid).or_insert_with(|| {
            let f = fonts.face(face);
            let adv = f.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid)).unwrap_or(0) as f32;
            (adv * 1000.0 / f.units_per_em() as f32).round()
        })
    }

    fn font_id(&mut self, face: FaceId, dir: usize) -> u32 {
        if let Some(id) = self.fonts[face.index()].ids[dir] {
            return id;
        }
        let id = self.reserve();
        self.fonts[face.index()].ids[dir] = Some(id);
        id
    }

    /// Writes an image XObject once; pages draw it with `Canvas::image`.
    pub fn image(&mut self, image: &ImageData) -> io::Result<u32> {
        let id = self.reserve();
        match image {
            ImageData::Jpeg { bytes, width, height, .. } => {
                let space = image.color_space();
                self.stream(id, &format!("/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /{space} /BitsPerComponent 8 /Filter /DCTDecode"), bytes, false)?;
            }
            ImageData::Rgb { pixels, width, height } => {
                self.stream(id, &format!("/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8"), pixels, true)?;
            }
        }
        Ok(id)
    }

    /// Writes a page of `width` × `height` points with the canvas's drawing.
    pub fn page(&mut self, canvas: Canvas, width: f32, height: f32) -> io::Result<u32> {
        let content_id = self.reserve();
        self.stream(content_id, "", canvas.ops.as_bytes(), true)?;
        let mut fonts = String::new();
        for face in FaceId::ALL {
            for dir in 0..2 {
                if canvas.used[face.index()][dir] {
                    let id = self.font_id(face, dir);
                    let _ = write!(fonts, "/{}{} {id} 0 R ", ["F", "R"][dir], face.index());
                }
            }
        }
        let page_id = self.reserve();
        let images: String = canvas.images.iter().map(|id| format!("/Im{id} {id} 0 R ")).collect();
        let xobjects = if images.is_empty() { String::new() } else { format!(" /XObject << {images}>>") };
        let body = format!(
            "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 {} {}] /Resources << /Font << {fonts}>>{xobjects} >> /Contents {content_id} 0 R >>",
            self.pages_id,
            num(width),
            num(height)
        );
        self.object(page_id, &body)?;
        self.page_ids.push(page_id);
        Ok(page_id)
    }

    fn embed_font(&mut self, fonts: &Fonts, face: FaceId) -> io::Result<()> {
        let ids = self.fonts[face.index()].ids;
        if ids.iter().all(Option::is_none) {
            return Ok(());
        }
        let subset = subsetter::subset(fonts.data(face), 0, &self.fonts[face.index()].remapper)
            .map_err(|e| io::Error::other(format!("font subset: {e:?}")))?;
        let originals = self.fonts[face.index()].originals.clone();
        // A subset tag derived from the glyphs used: the same document gives the same file.
        let mut h: u32 = 2166136261;
        for g in &originals {
            h = (h ^ u32::from(*g)).wrapping_mul(16777619);
        }
        let tag: String = (0..6).map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char).collect();
        let name = format!("{tag}+{}", face.base_name());
        let f = fonts.face(face);
        let upem = f.units_per_em() as f32;
        let s = |v: i16| num(v as f32 * 1000.0 / upem);
        let bbox = f.global_bounding_box();
        let file_id = self.reserve();
        self.stream(file_id, &format!("/Length1 {}", subset.len()), &subset, true)?;
        let descriptor_id = self.reserve();
        self.object(
            descriptor_id,
            &format!(
                "<< /Type /FontDescriptor /FontName /{name} /Flags 4 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 {file_id} 0 R >>",
                s(bbox.x_min),
                s(bbox.y_min),
                s(bbox.x_max),
                s(bbox.y_max),
                s(f.ascender()),
                s(f.descender()),
                s(f.capital_height().unwrap_or(f.ascender()))
            ),
        )?;
        let widths: Vec<String> = originals.iter().map(|g| num(self.width_1000(fonts, face, *g))).collect();
        let cid_id = self.reserve();
        self.object(
            cid_id,
            &format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor_id} 0 R /W [0 [{}]] /CIDToGIDMap /Identity >>",
                widths.join(" ")
            ),
        )?;
        for (dir, id) in ids.iter().enumerate() {
            let Some(id) = id else { continue };
            let cmap_id = self.reserve();
            let cmap = to_unicode_cmap(&self.fonts[face.index()].texts[dir]);
            self.stream(cmap_id, "", cmap.as_bytes(), true)?;
            self.object(*id, &format!("<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid_id} 0 R] /ToUnicode {cmap_id} 0 R >>"))?;
        }
        Ok(())
    }

    /// Writes the fonts, the page tree, the outline, the metadata and the cross-reference table.
    pub fn finish(mut self, fonts: &Fonts, meta: &Meta, outline: &[OutlineItem], heights: &[f32]) -> io::Result<W> {
        for face in FaceId::ALL {
            self.embed_font(fonts, face)?;
        }
        let kids: Vec<String> = self.page_ids.iter().map(|id| format!("{id} 0 R")).collect();
        let pages_id = self.pages_id;
        self.object(
            pages_id,
            &format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), self.page_ids.len()),
        )?;
        let outlines_id = if outline.is_empty() {
            None
        } else {
            let root = self.reserve();
            let ids: Vec<u32> = outline.iter().map(|_| self.reserve()).collect();
            for (i, item) in outline.iter().enumerate() {
                let page = self.page_ids.get(item.page).copied().unwrap_or(self.page_ids[0]);
                let mut body = format!(
                    "<< /Title {} /Parent {root} 0 R /Dest [{page} 0 R /XYZ 0 {} 0]",
                    pdf_text(&item.title),
                    num(item.y.min(*heights.get(item.page).unwrap_or(&842.0)))
                );
                if i > 0 {
                    let _ = write!(body, " /Prev {} 0 R", ids[i - 1]);
                }
                if i + 1 < ids.len() {
                    let _ = write!(body, " /Next {} 0 R", ids[i + 1]);
                }
                body.push_str(" >>");
                self.object(ids[i], &body)?;
            }
            self.object(
                root,
                &format!(
                    "<< /Type /Outlines /First {} 0 R /Last {} 0 R /Count {} >>",
                    ids[0],
                    ids[ids.len() - 1],
                    ids.len()
                ),
            )?;
            Some(root)
        };
        let catalog = self.reserve();
        let direction = if meta.rtl { "/Direction /R2L " } else { "" };
        let outlines = outlines_id.map(|id| format!("/Outlines {id} 0 R /PageMode /UseOutlines ")).unwrap_or_default();
        self.object(catalog, &format!("<< /Type /Catalog /Pages {pages_id} 0 R /Lang {} {outlines}/ViewerPreferences << {direction}/DisplayDocTitle true >> >>", pdf_text(&meta.lang)))?;
        let info = self.reserve();
        let now = chrono::Utc::now().format("D:%Y%m%d%H%M%SZ").to_string();
        self.object(
            info,
            &format!(
                "<< /Title {} /Author {} /Subject {} /Creator (Taawun) /Producer (Taawun {}) /CreationDate ({now}) >>",
                pdf_text(&meta.title),
                pdf_text(&meta.author),
                pdf_text(&meta.subject),
                env!("CARGO_PKG_VERSION")
            ),
        )?;
        let xref_at = self.out.written;
        let size = self.next_id;
        let mut xref = format!("xref\n0 {size}\n0000000000 65535 f \n");
        for id in 1..size {
            match self.offsets.get(&id) {
                Some(off) => {
                    let _ = writeln!(xref, "{off:010} 00000 n ");
                }
                None => xref.push_str("0000000000 65535 f \n"),
            }
        }
        self.out.write_all(xref.as_bytes())?;
        let file_id: String = format!("{:032x}", u128::from(xref_at) ^ (u128::from(size) << 64));
        write!(self.out, "trailer\n<< /Size {size} /Root {catalog} 0 R /Info {info} 0 R /ID [<{file_id}> <{file_id}>] >>\nstartxref\n{xref_at}\n%%EOF\n")?;
        self.out.flush()?;
        Ok(self.out.inner)
    }
}

/// A PDF text string: UTF-16BE with its byte-order mark, as hex.
fn pdf_text(s: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in s.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

fn to_unicode_cmap(texts: &BTreeMap<u16, Rc<str>>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &Rc<str>)> = texts.iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", chunk.len());
        for (cid, text) in chunk {
            let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(out, "<{cid:04X}> <{hex}>");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}
