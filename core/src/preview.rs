//! What the officer can see of a stored file without leaving Taawun: the facts of a PDF (page
//! count, password protection, damage) and bounded renditions of scans (thumbnails and previews
//! of JPEG, PNG and TIFF images).
//!
//! Attached files come from anywhere, so everything here is bounded: an image is refused before
//! decoding when its header announces more than `MAX_PIXELS` (a PNG "decompression bomb" or a
//! 100,000-pixel-wide TIFF costs a header read, not gigabytes), the decoder may not allocate more
//! than `MAX_ALLOC`, PDFs are read through a memory map (only the parsed parts are touched),
//! those over `PDF_INSPECT_LIMIT` are not parsed (only their trailer is looked at), and a parser
//! panic on hostile bytes is caught and reported as damage. PDF pages are drawn by
//! pdf.js in the window; the PDF bytes it gets come from `read_for_preview`, which checks the hash.

use crate::error::{Error, Result, Rule};
use image::{ImageDecoder, ImageReader, Limits};
use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The largest image decoded for a preview: 100 million pixels (a 600 dpi A3 scan is 70 million).
pub const MAX_PIXELS: u64 = 100_000_000;
/// The most memory an image decoder may take.
pub const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// The largest file handed whole to the window for a preview (PDF pages drawn by pdf.js).
pub const MAX_PREVIEW_BYTES: u64 = 256 * 1024 * 1024;
/// PDFs up to this size are parsed for their page count; larger ones only have their trailer read.
pub const PDF_INSPECT_LIMIT: u64 = 512 * 1024 * 1024;
/// PDFs up to this size are loaded whole and their pages counted in the page tree; larger ones
/// are counted from their metadata.
pub const PDF_COUNT_LIMIT: u64 = 64 * 1024 * 1024;
/// More pages than any filed document has: a /Count above it is a damaged file.
const MAX_PLAUSIBLE_PAGES: u32 = 100_000;
/// The side of a thumbnail in the document lists, and of a full preview, in pixels.
pub const THUMBNAIL_SIDE: u32 = 192;
pub const PREVIEW_SIDE: u32 = 1600;

/// What was learnt from a PDF.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PdfFacts {
    pub page_count: Option<u32>,
    /// `pdf_encrypted` (needs a password), `pdf_corrupt`, or `pdf_not_inspected` (too large).
    pub warning: Option<&'static str>,
}

/// Reads a PDF's page count and protection. Never fails: a file that cannot be read as a PDF
/// is reported damaged, and is kept as it was filed.
pub fn inspect_pdf(path: &Path, size: u64) -> PdfFacts {
    if size > PDF_INSPECT_LIMIT {
        let encrypted = tail_mentions(path, b"/Encrypt").unwrap_or(false);
        return PdfFacts {
            page_count: None,
            warning: Some(if encrypted { "pdf_encrypted" } else { "pdf_not_inspected" }),
        };
    }
    let Ok(file) = File::open(path) else { return PdfFacts { page_count: None, warning: Some("pdf_corrupt") } };
    // SAFETY: the map is read-only and the file is a vault file, which nothing writes after it was
    // renamed into place (verify exists to catch anyone who does). Mapping instead of reading
    // keeps memory flat with file size: lopdf touches only the pages it parses.
    let Ok(bytes) = (unsafe { memmap2::Mmap::map(&file) }) else {
        return PdfFacts { page_count: None, warning: Some("pdf_corrupt") };
    };
    // Small enough to load whole: its pages are counted by walking the page tree, never taken
    // from a /Count that may say anything (a broken file announcing billions).
    if size <= PDF_COUNT_LIMIT {
        let counted = std::panic::catch_unwind(|| {
            let doc = lopdf::Document::load_mem(&bytes).ok()?;
            if doc.is_encrypted() {
                return Some(Err(()));
            }
            // One parse says both: the pages, and whether the index had to be rebuilt.
            let rebuilt = doc.xref_recovery == Some(lopdf::xref::XrefRecovery::Reconstructed);
            crate::print::annex::page_tree(&doc).ok().map(|p| Ok((p.len() as u32, rebuilt)))
        });
        match counted {
            Ok(Some(Ok((n, rebuilt)))) => {
                return PdfFacts { page_count: Some(n), warning: rebuilt.then_some("pdf_corrupt") };
            }
            Ok(Some(Err(()))) => return PdfFacts { page_count: None, warning: Some("pdf_encrypted") },
            _ => return PdfFacts { page_count: None, warning: Some("pdf_corrupt") },
        }
    }
    match std::panic::catch_unwind(|| lopdf::Document::load_metadata_mem(&bytes)) {
        // Protected with an empty user password (print/copy restrictions only): readable.
        Ok(Ok(m)) if m.encrypted && m.page_count == 0 => PdfFacts { page_count: None, warning: Some("pdf_encrypted") },
        // Its index had to be rebuilt from the objects found: pages may be missing or stale.
        Ok(Ok(m)) if m.page_count > 0 && m.xref_recovery == Some(lopdf::xref::XrefRecovery::Reconstructed) => {
            PdfFacts { page_count: Some(m.page_count), warning: Some("pdf_corrupt") }
        }
        // A count no scan reaches is a broken /Count, not pages.
        Ok(Ok(m)) if m.page_count > MAX_PLAUSIBLE_PAGES => PdfFacts { page_count: None, warning: Some("pdf_corrupt") },
        Ok(Ok(m)) if m.page_count > 0 => PdfFacts { page_count: Some(m.page_count), warning: None },
        _ => PdfFacts { page_count: None, warning: Some("pdf_corrupt") },
    }
}

/// Whether the last MiB of a file contains `needle` (where a PDF's trailer names its encryption).
fn tail_mentions(path: &Path, needle: &[u8]) -> std::io::Result<bool> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    f.seek(SeekFrom::Start(len.saturating_sub(1024 * 1024)))?;
    let mut tail = Vec::new();
    f.read_to_end(&mut tail)?;
    Ok(tail.windows(needle.len()).any(|w| w == needle))
}

/// A JPEG rendition of an image file, no larger than `side` pixels on its longest side, upright
/// (EXIF orientation applied).
pub fn image_rendition(path: &Path, side: u32) -> Result<Vec<u8>> {
    let not_previewable = || Error::invalid("document", Rule::NotPreviewable);
    let mut reader =
        ImageReader::open(path).map_err(|_| not_previewable())?.with_guessed_format().map_err(|_| not_previewable())?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| not_previewable())?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(not_previewable());
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Error::invalid("document", Rule::PreviewTooLarge));
    }
    let orientation = decoder.orientation().ok();
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| image::DynamicImage::from_decoder(decoder)));
    let mut img = match decoded {
        Ok(Ok(img)) => img,
        Ok(Err(image::ImageError::Limits(_))) => return Err(Error::invalid("document", Rule::PreviewTooLarge)),
        _ => return Err(not_previewable()),
    };
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let small = if img.width() > side || img.height() > side { img.thumbnail(side, side) } else { img };
    let rgb = small.to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&rgb)
        .map_err(|_| not_previewable())?;
    Ok(out)
}

/// Renditions already made, kept in a cache folder by content hash and size (a file in the vault
/// never changes, so neither does its rendition).
pub struct RenditionCache {
    dir: PathBuf,
}

impl RenditionCache {
    pub fn new(dir: &Path) -> RenditionCache {
        RenditionCache { dir: dir.to_path_buf() }
    }

    /// The rendition of the vault file `source` (whose hash is `sha256`), made once.
    pub fn get(&self, sha256: &str, source: &Path, side: u32) -> Result<Vec<u8>> {
        let cached = self.dir.join(format!("{sha256}-{side}.jpg"));
        if let Ok(bytes) = fs::read(&cached) {
            return Ok(bytes);
        }
        let bytes = image_rendition(source, side)?;
        // The cache is a convenience: failing to write it is not the user's problem.
        let _ = (|| -> std::io::Result<()> {
            fs::create_dir_all(&self.dir)?;
            let tmp = self.dir.join(format!("{sha256}-{side}.{}.part", uuid::Uuid::new_v4()));
            File::create(&tmp)?.write_all(&bytes)?;
            fs::rename(&tmp, &cached)
        })();
        Ok(bytes)
    }
}

/// The whole content of a stored file for the window to draw (PDF pages), if it is not too large,
/// checked against its hash on the way: what is shown is exactly what was filed.
pub fn read_for_preview(path: &Path, sha256: &str) -> Result<Vec<u8>> {
    let size = fs::metadata(path).map_err(|_| Error::invalid("document", Rule::Missing))?.len();
    if size > MAX_PREVIEW_BYTES {
        return Err(Error::invalid("document", Rule::PreviewTooLarge));
    }
    let bytes = fs::read(path).map_err(|_| Error::invalid("document", Rule::Missing))?;
    let actual = crate::digest::sha256_hex(&bytes);
    if actual != sha256 {
        return Err(Error::invalid("document", Rule::Altered));
    }
    Ok(bytes)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PNG whose header announces `w`×`h` pixels followed by a small, valid zlib stream: what a
    /// decompression bomb looks like to a decoder before it starts inflating.
    pub(crate) fn png_announcing(w: u32, h: u32) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut body = kind.to_vec();
            body.extend_from_slice(data);
            out.extend_from_slice(&body);
            out.extend_from_slice(&crc32(&body).to_be_bytes());
        }
        let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
        chunk(&mut out, b"IHDR", &ihdr);
        // zlib: a stored block of 5 zero bytes (row filter + pixels), enough to look plausible.
        chunk(&mut out, b"IDAT", &[0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFF, 0, 0, 0, 0, 0, 0x00, 0x05, 0x00, 0x01]);
        chunk(&mut out, b"IEND", &[]);
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// A little-endian TIFF whose only IFD says `w`×`h`, 8-bit grey, one strip of 1 byte.
    pub(crate) fn tiff_announcing(w: u32, h: u32) -> Vec<u8> {
        let mut out = b"II*\0".to_vec();
        out.extend_from_slice(&8u32.to_le_bytes());
        let entries: [(u16, u16, u32, u32); 7] = [
            (256, 4, 1, w),   // ImageWidth
            (257, 4, 1, h),   // ImageLength
            (258, 3, 1, 8),   // BitsPerSample
            (262, 3, 1, 1),   // Photometric: black is zero
            (273, 4, 1, 200), // StripOffsets
            (278, 4, 1, h),   // RowsPerStrip
            (279, 4, 1, 1),   // StripByteCounts
        ];
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, kind, count, value) in entries {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            out.extend_from_slice(&value.to_le_bytes());
        }
        out.extend_from_slice(&0u32.to_le_bytes());
        out.resize(201, 0);
        out
    }

    /// A real, small JPEG.
    pub(crate) fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80).encode_image(&img).unwrap();
        out
    }

    #[test]
    fn a_scan_gets_a_bounded_upright_rendition() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("scan.jpg");
        fs::write(&f, jpeg(2400, 1200)).unwrap();
        let thumb = image::load_from_memory(&image_rendition(&f, THUMBNAIL_SIDE).unwrap()).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (192, 96));
        // A small image is not blown up.
        let small = dir.path().join("small.jpg");
        fs::write(&small, jpeg(100, 50)).unwrap();
        let r = image::load_from_memory(&image_rendition(&small, PREVIEW_SIDE).unwrap()).unwrap();
        assert_eq!((r.width(), r.height()), (100, 50));
    }

    #[test]
    fn bombs_and_giants_are_refused_from_their_header() {
        let dir = tempfile::tempdir().unwrap();
        let bomb = dir.path().join("bomb.png");
        fs::write(&bomb, png_announcing(100_000, 100_000)).unwrap();
        let started = std::time::Instant::now();
        assert_eq!(image_rendition(&bomb, THUMBNAIL_SIDE).unwrap_err().code(), "invalid.preview_too_large");
        let tiff = dir.path().join("huge.tif");
        fs::write(&tiff, tiff_announcing(60_000, 60_000)).unwrap();
        assert_eq!(image_rendition(&tiff, THUMBNAIL_SIDE).unwrap_err().code(), "invalid.preview_too_large");
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "refused from the header, not after decoding");
    }

    #[test]
    fn damaged_and_foreign_files_are_not_previewable_and_do_not_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut truncated = jpeg(300, 300);
        truncated.truncate(truncated.len() / 3);
        for (name, bytes) in
            [("cut.jpg", truncated), ("text.png", b"not an image at all".to_vec()), ("tiny.png", png_announcing(0, 10))]
        {
            let f = dir.path().join(name);
            fs::write(&f, bytes).unwrap();
            let e = image_rendition(&f, THUMBNAIL_SIDE);
            // A truncated JPEG may decode partially (grey bottom), which is a fine preview; anything
            // else must be a clear refusal.
            if let Err(e) = e {
                assert_eq!(e.code(), "invalid.not_previewable", "{name}");
            }
        }
    }

    #[test]
    fn pdf_facts_page_count_protection_damage() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.pdf");
        fs::write(&good, crate::preview::tests::minimal_pdf(3, false)).unwrap();
        assert_eq!(
            inspect_pdf(&good, fs::metadata(&good).unwrap().len()),
            PdfFacts { page_count: Some(3), warning: None }
        );
        let locked = dir.path().join("locked.pdf");
        fs::write(&locked, minimal_pdf(1, true)).unwrap();
        assert_eq!(inspect_pdf(&locked, fs::metadata(&locked).unwrap().len()).warning, Some("pdf_encrypted"));
        // A /Count in the billions: the pages are counted in the tree.
        let lying = dir.path().join("lying.pdf");
        let bytes = String::from_utf8(minimal_pdf(2, false)).unwrap().replace("/Count 2 ", "/Count 2147483000 ");
        fs::write(&lying, bytes).unwrap();
        assert_eq!(inspect_pdf(&lying, fs::metadata(&lying).unwrap().len()).page_count, Some(2));
        let broken = dir.path().join("broken.pdf");
        fs::write(&broken, b"%PDF-1.7\n\x00\x01garbage without xref").unwrap();
        assert_eq!(inspect_pdf(&broken, 30), PdfFacts { page_count: None, warning: Some("pdf_corrupt") });
    }

    #[test]
    fn preview_bytes_are_the_filed_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.pdf");
        fs::write(&f, b"%PDF-1.4 content").unwrap();
        use sha2::{Digest, Sha256};
        let sha: String = Sha256::digest(b"%PDF-1.4 content").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(read_for_preview(&f, &sha).unwrap(), b"%PDF-1.4 content");
        fs::write(&f, b"%PDF-1.4 changed").unwrap();
        assert_eq!(read_for_preview(&f, &sha).unwrap_err().code(), "invalid.altered");
    }

    /// A valid PDF with `pages` empty A4 pages; `encrypted` adds an /Encrypt dictionary whose
    /// user password is not empty (so it cannot be opened without one).
    pub(crate) fn minimal_pdf(pages: usize, encrypted: bool) -> Vec<u8> {
        let mut objects: Vec<String> = Vec::new();
        objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
        let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 3)).collect();
        objects.push(format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")));
        for _ in 0..pages {
            objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".into());
        }
        if encrypted {
            objects.push(
                "<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <2055c756c72e1ad702608e8196acad447ad32d17cff583235f6dd15fed7dab67> /U <00000000000000000000000000000000ffffffffffffffffffffffffffffffff> >>"
                    .into(),
            );
        }
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for off in offsets {
            out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        let encrypt = if encrypted {
            format!(
                " /Encrypt {} 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]",
                objects.len()
            )
        } else {
            String::new()
        };
        out.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1)
                .as_bytes(),
        );
        out
    }
}
