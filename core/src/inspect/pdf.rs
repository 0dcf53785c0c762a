//! A PDF from outside: its facts when it is filed (`facts`: page count, protection, damage, never
//! failing), and the checks before a dossier embeds it (`open`): opened with the empty password
//! when it is protected by one, its pages counted by walking the page tree (never taken from
//! `/Count`), each page followed to everything it draws with, which must be there and readable.
//! The PDF reader runs under `catch_unwind`: a file that makes it panic is a damaged file.

use super::{refused, resolve, Opened, Ready, Refused};
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The most pages an annex may have (a page tree that names more is refused, not walked).
const MAX_PAGES: usize = 20_000;
/// How deep a page tree may nest.
const MAX_DEPTH: usize = 64;
/// The most a page's content streams may inflate to.
const MAX_CONTENT: usize = 256 << 20;

/// PDFs up to this size are parsed for their page count; larger ones only have their trailer read.
pub const PDF_INSPECT_LIMIT: u64 = 512 * 1024 * 1024;
/// PDFs up to this size are loaded whole and their pages counted in the page tree; larger ones
/// are counted from their metadata.
pub const PDF_COUNT_LIMIT: u64 = 64 * 1024 * 1024;
/// More pages than any filed document has: a /Count above it is a damaged file.
const MAX_PLAUSIBLE_PAGES: u32 = 100_000;
/// What was learnt from a PDF.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PdfFacts {
    pub page_count: Option<u32>,
    /// `pdf_encrypted` (needs a password), `pdf_corrupt`, or `pdf_not_inspected` (too large).
    pub warning: Option<&'static str>,
}

/// Reads a PDF's page count and protection. Never fails: a file that cannot be read as a PDF
/// is reported damaged, and is kept as it was filed.
pub fn facts(path: &Path, size: u64) -> PdfFacts {
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
            page_tree(&doc).ok().map(|p| Ok((p.len() as u32, rebuilt)))
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

/// Opens a PDF to embed: decrypted with the empty password if it is protected by one, its pages
/// walked and each one checked.
pub(super) fn open(path: &Path) -> Result<Opened, Refused> {
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
    let mut doc = doc;
    let mut notes = Vec::new();
    if doc.was_encrypted() {
        notes.push("dossier.note_empty_password");
    }
    super::mend::stream_lengths(&mut doc, path);
    let pages = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| page_tree(&doc)))
        .map_err(|_| refused("dossier.corrupt", "the page tree could not be read"))??;
    for (i, page) in pages.iter().enumerate() {
        let (dropped, left) = super::mend::annotation_flood(&mut doc, *page);
        if left > super::mend::MAX_ANNOTATIONS {
            return Err(refused("dossier.too_many_annotations", format!("page {}: {left} annotations", i + 1)));
        }
        if dropped > 0 && !notes.contains(&"dossier.note_links_dropped") {
            notes.push("dossier.note_links_dropped");
        }
    }
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
        if data.is_empty() && !stream.content.is_empty() {
            // Bytes that decode to nothing: never decrypted (lopdf opens AES-256 files with the
            // empty password but leaves their streams as they were), or not what the filter says.
            let key = if doc.was_encrypted() { "dossier.not_decrypted" } else { "dossier.corrupt" };
            return Err(refused(key, format!("content {} {} decodes to nothing", id.0, id.1)));
        }
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
    use std::fs;

    #[test]
    fn operators_are_text_and_noise_is_not() {
        assert!(looks_like_operators(b"q 595 0 0 842 0 0 cm /Im0 Do Q"));
        assert!(looks_like_operators(b""));
        let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        assert!(!looks_like_operators(&noise));
    }

    #[test]
    fn pdf_facts_page_count_protection_damage() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.pdf");
        fs::write(&good, minimal_pdf(3, false)).unwrap();
        assert_eq!(facts(&good, fs::metadata(&good).unwrap().len()), PdfFacts { page_count: Some(3), warning: None });
        let locked = dir.path().join("locked.pdf");
        fs::write(&locked, minimal_pdf(1, true)).unwrap();
        assert_eq!(facts(&locked, fs::metadata(&locked).unwrap().len()).warning, Some("pdf_encrypted"));
        // A /Count in the billions: the pages are counted in the tree.
        let lying = dir.path().join("lying.pdf");
        let bytes = String::from_utf8(minimal_pdf(2, false)).unwrap().replace("/Count 2 ", "/Count 2147483000 ");
        fs::write(&lying, bytes).unwrap();
        assert_eq!(facts(&lying, fs::metadata(&lying).unwrap().len()).page_count, Some(2));
        let broken = dir.path().join("broken.pdf");
        fs::write(&broken, b"%PDF-1.7\n\x00\x01garbage without xref").unwrap();
        assert_eq!(facts(&broken, 30), PdfFacts { page_count: None, warning: Some("pdf_corrupt") });
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
