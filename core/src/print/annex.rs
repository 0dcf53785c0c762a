//! An annex of a dossier, checked before it is embedded (`print::dossier`): a PDF is opened
//! (with the empty password when it is protected by one), its pages are counted by walking the
//! page tree (never taken from `/Count`), and each page is followed to everything it draws with,
//! which must be there and readable; a scan's size is read from its header before it is decoded.
//! An annex that cannot be embedded faithfully is refused with the reason, which its divider page
//! and the dossier's report give; the dossier goes on without it. The PDF reader runs under
//! `catch_unwind`: a file that makes it panic is a damaged file, not a failed dossier.

use lopdf::{Dictionary, Object, ObjectId, Stream};
use std::collections::HashSet;
use std::path::Path;

/// The most pages an annex may have (a page tree that names more is refused, not walked).
const MAX_PAGES: usize = 20_000;
/// How deep a page tree may nest.
const MAX_DEPTH: usize = 64;
/// The most a page's content streams may inflate to.
const MAX_CONTENT: usize = 256 << 20;

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
        "application/pdf" => open_pdf(path),
        "image/jpeg" | "image/png" | "image/tiff" => {
            let (width, height, stream) = super::dossier::image_xobject(path, media_type).map_err(|e| {
                if e == super::dossier::IMAGE_TOO_LARGE {
                    refused("dossier.image_too_large", e)
                } else {
                    refused("dossier.image_damaged", e)
                }
            })?;
            Ok(Opened { ready: Ready::Image { width, height, stream }, pages: 1, notes: Vec::new() })
        }
        other => Err(refused("dossier.not_printable", other)),
    }
}

fn open_pdf(path: &Path) -> Result<Opened, Refused> {
    let loaded = std::panic::catch_unwind(|| lopdf::Document::load(path))
        .map_err(|_| refused("dossier.corrupt", "the PDF reader failed on this file"))?;
    let doc = match loaded {
        Ok(doc) => doc,
        Err(lopdf::Error::InvalidPassword) => return Err(refused("dossier.encrypted", "a password is needed")),
        Err(e @ lopdf::Error::Decryption(_)) => return Err(refused("dossier.encrypted", e.to_string())),
        Err(e) => return Err(refused("dossier.corrupt", e.to_string())),
    };
    // Still encrypted: the empty password did not open it.
    if doc.is_encrypted() {
        return Err(refused("dossier.encrypted", "a password is needed"));
    }
    let mut notes = Vec::new();
    if doc.was_encrypted() {
        notes.push("dossier.note_empty_password");
    }
    let pages = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| page_tree(&doc)))
        .map_err(|_| refused("dossier.corrupt", "the page tree could not be read"))??;
    let declared = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .and_then(|p| p.get(b"Count"))
        .and_then(Object::as_i64)
        .ok();
    if declared.is_some_and(|n| n != pages.len() as i64) {
        notes.push("dossier.note_count");
    }
    let mut annotated = false;
    for (i, page) in pages.iter().enumerate() {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_page(&doc, *page)))
            .map_err(|_| refused("dossier.corrupt", format!("page {}: could not be read", i + 1)))?
            .map_err(|mut r| {
                r.detail = format!("page {}: {}", i + 1, r.detail);
                r
            })?;
        annotated |= doc
            .get_dictionary(*page)
            .ok()
            .and_then(|d| d.get(b"Annots").ok())
            .and_then(|a| resolve(&doc, a).as_array().ok().map(|a| !a.is_empty()))
            .unwrap_or(false);
    }
    if annotated {
        notes.push("dossier.note_annotations");
    }
    let count = pages.len();
    Ok(Opened { ready: Ready::Pdf { doc: Box::new(doc) }, pages: count, notes })
}

fn resolve<'a>(doc: &'a lopdf::Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(&Object::Null),
        other => other,
    }
}

/// The pages in order, found by walking the tree from the catalog: a kid that is not there, a
/// loop, a tree too deep or too large refuse the file.
pub(crate) fn page_tree(doc: &lopdf::Document) -> Result<Vec<ObjectId>, Refused> {
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(|e| refused("dossier.corrupt", format!("no page tree ({e})")))?;
    let mut pages = Vec::new();
    let mut seen = HashSet::new();
    walk(doc, root, 0, &mut seen, &mut pages)?;
    if pages.is_empty() {
        return Err(refused("dossier.no_pages", "the page tree holds no page"));
    }
    Ok(pages)
}

fn walk(
    doc: &lopdf::Document,
    node: ObjectId,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    pages: &mut Vec<ObjectId>,
) -> Result<(), Refused> {
    if depth > MAX_DEPTH || !seen.insert(node) {
        return Err(refused("dossier.corrupt", "the page tree loops"));
    }
    let dict = doc.get_dictionary(node).map_err(|_| {
        refused("dossier.pages_missing", format!("object {} {} (a page) is not in the file", node.0, node.1))
    })?;
    let is_tree = dict.get(b"Type").and_then(Object::as_name).is_ok_and(|t| t == b"Pages") || dict.has(b"Kids");
    if !is_tree {
        // A leaf is a page: typed so, or untyped and drawn like one (its /Type is set when it is
        // appended); anything else in its place is a broken tree.
        let page_like = match dict.get(b"Type").and_then(Object::as_name) {
            Ok(t) => t == b"Page",
            Err(_) => dict.has(b"Contents") || dict.has(b"Resources") || dict.has(b"MediaBox"),
        };
        if !page_like {
            return Err(refused(
                "dossier.corrupt",
                format!("object {} {} stands for a page and is not one", node.0, node.1),
            ));
        }
        if pages.len() >= MAX_PAGES {
            return Err(refused("dossier.corrupt", format!("more than {MAX_PAGES} pages")));
        }
        pages.push(node);
        return Ok(());
    }
    let kids = dict
        .get(b"Kids")
        .map(|k| resolve(doc, k))
        .and_then(Object::as_array)
        .map_err(|e| refused("dossier.corrupt", format!("object {} {}: no list of pages ({e})", node.0, node.1)))?;
    for kid in kids {
        let id = kid.as_reference().map_err(|_| refused("dossier.corrupt", "a page that is not a reference"))?;
        walk(doc, id, depth + 1, seen, pages)?;
    }
    Ok(())
}

/// A page is embedded faithfully when everything it refers to is in the file, and its content
/// streams can be decoded into drawing operators.
fn check_page(doc: &lopdf::Document, page: ObjectId) -> Result<(), Refused> {
    let dict = doc.get_dictionary(page).map_err(|e| refused("dossier.corrupt", e.to_string()))?;
    // Everything reachable from the page but its way back up the tree.
    let mut todo: Vec<&Object> = dict.iter().filter(|(k, _)| k.as_slice() != b"Parent").map(|(_, v)| v).collect();
    let mut seen = HashSet::new();
    while let Some(o) = todo.pop() {
        match o {
            Object::Reference(id) => {
                if !seen.insert(*id) {
                    continue;
                }
                match doc.get_object(*id) {
                    Ok(found) => todo.push(found),
                    Err(_) => return Err(refused("dossier.corrupt", format!("object {} {} not found", id.0, id.1))),
                }
            }
            Object::Array(items) => todo.extend(items.iter()),
            Object::Dictionary(d) => todo.extend(skip_parents(d)),
            Object::Stream(s) => todo.extend(skip_parents(&s.dict)),
            _ => {}
        }
    }
    for id in doc.get_page_contents(page) {
        let stream = doc
            .get_object(id)
            .and_then(Object::as_stream)
            .map_err(|_| refused("dossier.corrupt", format!("content {} {} is not a stream", id.0, id.1)))?;
        let data = if stream.filters().map(|f| f.is_empty()).unwrap_or(true) {
            stream.content.clone()
        } else {
            stream
                .decompressed_content_with_limit(MAX_CONTENT)
                .map_err(|e| refused("dossier.corrupt", format!("content {} {} cannot be decoded ({e})", id.0, id.1)))?
        };
        if !looks_like_operators(&data) {
            return Err(refused("dossier.corrupt", format!("content {} {} is not drawing operators", id.0, id.1)));
        }
    }
    Ok(())
}

/// A dictionary's values but its links up (`/Parent`, an annotation's `/P`): the walk stays
/// within what the page draws.
fn skip_parents(d: &Dictionary) -> impl Iterator<Item = &Object> {
    d.iter().filter(|(k, _)| !matches!(k.as_slice(), b"Parent" | b"P")).map(|(_, v)| v)
}

/// Whether decoded content reads as PDF operators: mostly printable text. Bytes decrypted with
/// the wrong key, or never decrypted, are noise (a blank or garbled page once embedded); an
/// inline image makes a small part of a real page binary, never most of it.
fn looks_like_operators(data: &[u8]) -> bool {
    if data.is_empty() {
        return true;
    }
    let text = data.iter().filter(|b| matches!(b, b'\t' | b'\n' | b'\r' | b' '..=b'~')).count();
    text * 10 >= data.len() * 7
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_text_and_noise_is_not() {
        assert!(looks_like_operators(b"q 595 0 0 842 0 0 cm /Im0 Do Q"));
        assert!(looks_like_operators(b""));
        let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        assert!(!looks_like_operators(&noise));
    }
}
