//! Other people's files, read for Taawun. The PDFs and scans an officer files come from anywhere
//! (a partner's scanner, a ministry's portal, a mail that damaged them), and three parts of
//! Taawun read them: the vault when a file is attached (a PDF's page count, protection and damage:
//! `pdf::facts`), the preview (a scan's bounded rendition: `image::bounded_decoder`) and the
//! dossier (each annex opened and checked before it is embedded: `open`). This module is the one
//! place that parses them, below all three; it imports neither the store nor print.
//!
//! What it refuses, and why:
//! - a PDF that needs a password (the empty one is tried first): its pages cannot be copied;
//! - a PDF whose page tree loops, nests deeper than 64 levels, holds more than 20,000 pages or
//!   names a page that is not in the file, and a page that refers to an object that is not there
//!   or whose content does not decode into drawing operators (bytes decrypted with the wrong key
//!   are noise): embedded, such a page would come out blank or garbled;
//! - a page count read from `/Count`: pages are counted by walking the tree (a broken `/Count`
//!   announces billions);
//! - an image whose header announces more than `image::MAX_PIXELS` pixels, before it is decoded
//!   (a PNG decompression bomb costs a header read, not gigabytes), and a decoder that would
//!   allocate more than `image::MAX_ALLOC`;
//! - any file that makes a parser panic: the panic is caught and the file reported damaged;
//! - a content stream whose bytes decode to nothing (an AES-256 file whose streams the reader did
//!   not decrypt), and a page with more annotations than readers accept once its links that draw
//!   nothing are taken off.
//!
//! What is certain is mended instead (`mend`): a stream without `/Length` read up to its
//! `endstream`, links that draw nothing taken off a page holding tens of thousands.
//!
//! PDFs are read through a memory map, and one over `pdf::PDF_INSPECT_LIMIT` is not parsed (only
//! its trailer is looked at). A refusal is never an error of Taawun's: the file stays filed as it
//! came, and the dossier goes on without it, saying why.

pub mod image;
mod mend;
pub mod pdf;

use lopdf::{Object, Stream};
use std::path::Path;

/// An annex ready to embed.
pub(crate) enum Ready {
    /// The document, decrypted (its pages: `page_tree`).
    Pdf { doc: Box<lopdf::Document> },
    /// A scan as an image XObject, and its size in pixels.
    Image { width: f32, height: f32, stream: Stream },
}

pub(crate) struct Opened {
    pub ready: Ready,
    pub pages: usize,
    /// What the reader of the dossier should know about it (translation keys).
    pub notes: Vec<&'static str>,
}

/// Why an annex is not embedded: a translation key, and what was found.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Refused {
    pub key: &'static str,
    pub detail: String,
}

fn refused(key: &'static str, detail: impl Into<String>) -> Refused {
    Refused { key, detail: detail.into() }
}

/// Opens and checks the file at `path` of type `media_type`.
pub(crate) fn open(path: &Path, media_type: &str) -> Result<Opened, Refused> {
    match media_type {
        "application/pdf" => pdf::open(path),
        "image/jpeg" | "image/png" | "image/tiff" => {
            let (width, height, stream) = image::xobject(path, media_type).map_err(|refusal| match refusal {
                image::Refusal::TooLarge { .. } => refused("dossier.image_too_large", refusal.to_string()),
                image::Refusal::Unreadable(_) => refused("dossier.image_damaged", refusal.to_string()),
            })?;
            Ok(Opened { ready: Ready::Image { width, height, stream }, pages: 1, notes: Vec::new() })
        }
        other => Err(refused("dossier.not_printable", other)),
    }
}

/// The object `o` stands for: the one it refers to (`null` when that is not in the file), or itself.
pub(crate) fn resolve<'a>(doc: &'a lopdf::Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(&Object::Null),
        other => other,
    }
}
