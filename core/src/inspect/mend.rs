//! What is mended in a PDF before a dossier embeds it, where the mending is certain and changes
//! nothing of what the page shows: a stream whose dictionary has no `/Length` is read again from
//! the file, up to its `endstream` (a reader finds it the same way; left empty, the page would be
//! blank), and a page holding more annotations than PDF readers accept (poppler refuses a page
//! with 32,768) loses its links that draw nothing. What cannot be mended so is refused by the
//! checks in `pdf`.

use lopdf::xref::XrefEntry;
use lopdf::{Document, Object, ObjectId};
use std::path::Path;

/// The most annotations a page may keep: poppler refuses a page with 32,768 ("Too big"), and a
/// page that needs more than this many is no signed paper.
pub const MAX_ANNOTATIONS: usize = 8_192;

/// Streams without `/Length` given their bytes from the file; how many were mended.
pub fn stream_lengths(doc: &mut Document, path: &Path) -> usize {
    let lacking: Vec<(ObjectId, u32)> = doc
        .objects
        .iter()
        .filter_map(|(id, object)| match object {
            Object::Stream(s) if !s.dict.has(b"Length") && s.content.is_empty() => {
                match doc.reference_table.entries.get(&id.0) {
                    Some(XrefEntry::Normal { offset, .. }) => Some((*id, *offset)),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    if lacking.is_empty() {
        return 0;
    }
    let Ok(bytes) = std::fs::read(path) else { return 0 };
    let mut mended = 0;
    for (id, offset) in lacking {
        let Some(content) = bytes.get(offset as usize..).and_then(stream_data) else { continue };
        if let Ok(Object::Stream(s)) = doc.get_object_mut(id) {
            s.dict.set("Length", Object::Integer(content.len() as i64));
            s.set_content(content.to_vec());
            mended += 1;
        }
    }
    mended
}

/// The data of the first stream of `object` (the bytes of an object from its number on): after
/// `stream` and its end of line, up to the end of line before `endstream`.
fn stream_data(object: &[u8]) -> Option<&[u8]> {
    let keyword = memchr::memmem::find(object, b"stream")?;
    let mut start = keyword + b"stream".len();
    if object.get(start) == Some(&b'\r') {
        start += 1;
    }
    if object.get(start) == Some(&b'\n') {
        start += 1;
    }
    let end = start + memchr::memmem::find(&object[start..], b"endstream")?;
    let mut data = &object[start..end];
    for eol in [&b"\r\n"[..], b"\n", b"\r"] {
        if let Some(trimmed) = data.strip_suffix(eol) {
            data = trimmed;
            break;
        }
    }
    Some(data)
}

/// Takes the links that draw nothing (no appearance) off a page with more than
/// `MAX_ANNOTATIONS` annotations; returns how many went, and how many are left.
pub fn annotation_flood(doc: &mut Document, page: ObjectId) -> (usize, usize) {
    let annots: Vec<Object> = match doc.get_dictionary(page).and_then(|d| d.get(b"Annots")) {
        Ok(o) => match super::resolve(doc, o) {
            Object::Array(list) => list.clone(),
            _ => return (0, 0),
        },
        Err(_) => return (0, 0),
    };
    if annots.len() <= MAX_ANNOTATIONS {
        return (0, annots.len());
    }
    let draws_nothing = |annot: &Object| {
        super::resolve(doc, annot)
            .as_dict()
            .is_ok_and(|d| d.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Link") && !d.has(b"AP"))
    };
    let kept: Vec<Object> = annots.iter().filter(|a| !draws_nothing(a)).cloned().collect();
    let dropped = annots.len() - kept.len();
    let left = kept.len();
    if let Ok(dict) = doc.get_object_mut(page).and_then(Object::as_dict_mut) {
        dict.set("Annots", Object::Array(kept));
    }
    (dropped, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_s_data_runs_to_the_end_of_line_before_endstream() {
        assert_eq!(stream_data(b"5 0 obj\n<<\n>>\nstream\nBT ET\n\nendstream \nendobj"), Some(&b"BT ET\n"[..]));
        assert_eq!(stream_data(b"<<>>stream\r\nq Q\r\nendstream"), Some(&b"q Q"[..]));
        assert_eq!(stream_data(b"<<>>stream\nno end"), None);
    }
}
