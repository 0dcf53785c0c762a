//! What the officer can see of a stored file without leaving Taawun: bounded renditions of scans
//! (thumbnails and previews of JPEG, PNG and TIFF images, kept in a cache by content hash), and
//! the bytes of a PDF for the window to draw its pages with pdf.js (`read_for_preview`, which
//! checks them against the file's hash). Scans are decoded through `crate::inspect::image`, which
//! refuses a bomb from its header; a PDF's facts are `crate::inspect::pdf`'s.

use crate::error::{Error, Result, Rule};
use crate::inspect::image::{bounded_decoder, Refusal};
use image::ImageDecoder;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The largest file handed whole to the window for a preview (PDF pages drawn by pdf.js).
pub const MAX_PREVIEW_BYTES: u64 = 256 * 1024 * 1024;
/// The side of a thumbnail in the document lists, and of a full preview, in pixels.
pub const THUMBNAIL_SIDE: u32 = 192;
pub const PREVIEW_SIDE: u32 = 1600;

/// A JPEG rendition of an image file, no larger than `side` pixels on its longest side, upright
/// (EXIF orientation applied).
pub fn image_rendition(path: &Path, side: u32) -> Result<Vec<u8>> {
    let not_previewable = || Error::invalid("document", Rule::NotPreviewable);
    let mut decoder = bounded_decoder(path).map_err(|refusal| match refusal {
        Refusal::TooLarge { .. } => Error::invalid("document", Rule::PreviewTooLarge),
        Refusal::Unreadable(_) => not_previewable(),
    })?;
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
}
