//! A scan from outside: its size read from its header before anything is decoded, and decoded
//! within bounds, for the preview's renditions (`bounded_decoder`) and the dossier's pages
//! (`xobject`). JPEG, PNG and TIFF, whatever the file's name says (the format is read from its
//! first bytes).

use image::{ImageDecoder, ImageReader, Limits};
use lopdf::{dictionary, Stream};
use std::path::Path;

/// The largest image decoded: 100 million pixels (a 600 dpi A3 scan is 70 million).
pub const MAX_PIXELS: u64 = 100_000_000;
/// The most memory an image decoder may take.
pub const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// Why a scan is not read.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// Not an image Taawun reads, or a damaged one: what the decoder said.
    Unreadable(String),
    /// Its header announces more than `MAX_PIXELS`.
    TooLarge { width: u32, height: u32 },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Unreadable(why) => f.write_str(why),
            Refusal::TooLarge { width, height } => write!(f, "image too large ({width}×{height} pixels)"),
        }
    }
}

fn unreadable(e: impl std::fmt::Display) -> Refusal {
    Refusal::Unreadable(e.to_string())
}

/// A decoder for the image at `path`, its size read from the header and refused when it is
/// empty or larger than `MAX_PIXELS`, its allocations capped at `MAX_ALLOC`.
pub fn bounded_decoder(path: &Path) -> Result<impl ImageDecoder, Refusal> {
    let mut reader = ImageReader::open(path).map_err(unreadable)?.with_guessed_format().map_err(unreadable)?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(Refusal::Unreadable("an image of no pixels".into()));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Refusal::TooLarge { width, height });
    }
    Ok(decoder)
}

/// A scan as a PDF image XObject and its size in pixels: JPEG bytes passed through unchanged
/// (`/DCTDecode`); PNG and TIFF decoded (within the bounds above) and stored losslessly as 8-bit
/// RGB with Flate.
pub(crate) fn xobject(path: &Path, media: &str) -> Result<(f32, f32, Stream), Refusal> {
    if media == "image/jpeg" {
        let jpeg = crate::typeset::pdf::ImageData::jpeg(path).map_err(unreadable)?;
        let space = jpeg.color_space();
        let crate::typeset::pdf::ImageData::Jpeg { bytes, width: w, height: h, .. } = jpeg else {
            unreachable!("ImageData::jpeg gives a JPEG")
        };
        let dict = dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64, "ColorSpace" => space, "BitsPerComponent" => 8, "Filter" => "DCTDecode" };
        return Ok((w as f32, h as f32, Stream::new(dict, bytes).with_compression(false)));
    }
    let decoder = bounded_decoder(path)?;
    let (w, h) = decoder.dimensions();
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| image::DynamicImage::from_decoder(decoder)))
        .map_err(|_| Refusal::Unreadable("the image decoder failed on this file".into()))?;
    let rgb = decoded.map_err(unreadable)?.to_rgb8();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    std::io::Write::write_all(&mut z, rgb.as_raw()).map_err(unreadable)?;
    let bytes = z.finish().map_err(unreadable)?;
    let dict = dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64, "ColorSpace" => "DeviceRGB", "BitsPerComponent" => 8, "Filter" => "FlateDecode" };
    Ok((w as f32, h as f32, Stream::new(dict, bytes).with_compression(false)))
}
