//! The dossier's PDF assembled object by object: the typeset part's objects, then each annex's,
//! written out as soon as it is read and dropped before the next one is opened, then the page
//! tree that orders them all and the cross-reference table. A dossier's memory is the typeset part
//! plus its largest annex, never the sum of its annexes (200 scanned pages held at once were
//! 223 MB).

use crate::inspect::{self, Ready};
use lopdf::{dictionary, Dictionary, Object, ObjectId, Stream, Writer};
use std::io::{self, Write};

/// A PDF written one indirect object at a time.
struct Assembler<W: Write> {
    out: W,
    written: u64,
    /// (object number, offset), in the order written.
    offsets: Vec<(u32, u64)>,
}

impl<W: Write> Assembler<W> {
    fn new(mut out: W) -> io::Result<Self> {
        let header = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
        out.write_all(header)?;
        Ok(Assembler { out, written: header.len() as u64, offsets: Vec::new() })
    }

    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    fn put(&mut self, id: u32, object: &Object) -> io::Result<()> {
        self.offsets.push((id, self.written));
        let open = format!("{id} 0 obj\n{}", if Writer::need_separator(object) { " " } else { "" });
        self.raw(open.as_bytes())?;
        let mut body = Vec::new();
        Writer::write_object(&mut body, object).map_err(io::Error::other)?;
        self.raw(&crate::typeset::framing::mend_object(body))?;
        let close = if Writer::need_end_separator(object) { " \nendobj\n" } else { "\nendobj\n" };
        self.raw(close.as_bytes())
    }

    /// The cross-reference table (every number up to the highest, the unused ones free) and the
    /// trailer.
    fn finish(mut self, trailer: Dictionary) -> io::Result<W> {
        let size = self.offsets.iter().map(|(id, _)| *id).max().unwrap_or(0) + 1;
        let mut at = vec![None; size as usize];
        for (id, offset) in &self.offsets {
            at[*id as usize] = Some(*offset);
        }
        let start = self.written;
        let mut table = format!("xref\n0 {size}\n0000000000 65535 f \n");
        for offset in &at[1..] {
            match offset {
                Some(o) => table.push_str(&format!("{o:010} 00000 n \n")),
                None => table.push_str("0000000000 65535 f \n"),
            }
        }
        self.raw(table.as_bytes())?;
        let mut trailer = trailer;
        trailer.set("Size", Object::Integer(i64::from(size)));
        let mut body = Vec::new();
        Writer::write_object(&mut body, &Object::Dictionary(trailer)).map_err(io::Error::other)?;
        self.raw(b"trailer\n")?;
        self.raw(&body)?;
        self.raw(format!("\nstartxref\n{start}\n%%EOF\n").as_bytes())?;
        Ok(self.out)
    }
}

/// An annex to append: its file, its type, and the typeset page it follows.
pub(crate) struct Appended<'a> {
    pub path: &'a std::path::Path,
    pub media_type: &'a str,
    pub name: &'a str,
    pub after_page: usize,
}

/// Writes `typeset` (a PDF of Taawun's own) with the annexes' pages after the pages they follow;
/// returns the page count.
pub(crate) fn assemble(typeset: &[u8], annexes: &[Appended], out: impl Write) -> Result<usize, String> {
    let base = lopdf::Document::load_mem(typeset).map_err(|e| e.to_string())?;
    let root = base.trailer.get(b"Root").and_then(Object::as_reference).map_err(|e| e.to_string())?;
    let pages_root =
        base.catalog().and_then(|c| c.get(b"Pages")).and_then(Object::as_reference).map_err(|e| e.to_string())?;
    let ours: Vec<ObjectId> = base.get_pages().values().copied().collect();
    let mut w = Assembler::new(out).map_err(|e| e.to_string())?;
    for (id, object) in &base.objects {
        if *id != pages_root && *id != root {
            w.put(id.0, object).map_err(|e| e.to_string())?;
        }
    }
    let mut next = base.max_id + 1;
    let mut kids: Vec<ObjectId> = Vec::new();
    let mut layers = OptionalContent::default();
    for (i, page) in ours.iter().enumerate() {
        kids.push(*page);
        for a in annexes.iter().filter(|a| a.after_page == i) {
            let pages = append_one(&mut w, &mut next, pages_root, a, &mut layers)?;
            kids.extend(pages);
        }
    }
    // The catalog, with the annexes' layers as their own files show them.
    let mut catalog = base.get_dictionary(root).map_err(|e| e.to_string())?.clone();
    if let Some(properties) = layers.properties() {
        catalog.set("OCProperties", properties);
    }
    w.put(root.0, &Object::Dictionary(catalog)).map_err(|e| e.to_string())?;
    let count = kids.len();
    let mut tree = base.get_dictionary(pages_root).map_err(|e| e.to_string())?.clone();
    tree.set("Kids", Object::Array(kids.into_iter().map(Object::Reference).collect()));
    tree.set("Count", Object::Integer(count as i64));
    w.put(pages_root.0, &Object::Dictionary(tree)).map_err(|e| e.to_string())?;
    let mut trailer = dictionary! { "Root" => root };
    if let Ok(info) = base.trailer.get(b"Info") {
        trailer.set("Info", info.clone());
    }
    w.finish(trailer).map_err(|e| e.to_string())?;
    Ok(count)
}

/// Writes one annex's objects, numbered from `next`, its pages under `pages_root`; returns its
/// pages in order. The annex is read here and dropped on return.
fn append_one<W: Write>(
    w: &mut Assembler<W>,
    next: &mut u32,
    pages_root: ObjectId,
    a: &Appended,
    layers: &mut OptionalContent,
) -> Result<Vec<ObjectId>, String> {
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", a.name);
    // Checked when the dossier was laid out; the vault's file cannot have changed since.
    let opened = inspect::open(a.path, a.media_type).map_err(|r| failed(&format!("{} {}", r.key, r.detail)))?;
    match opened.ready {
        Ready::Pdf { doc: mut other } => {
            other.renumber_objects_with(*next);
            layers.add(&other);
            // The same tree, its objects renumbered: walked again.
            let pages = inspect::pdf::page_tree(&other).map_err(|r| failed(&r.detail))?;
            for id in &pages {
                let inherited = inherited(&other, *id);
                let page = other.get_object_mut(*id).and_then(Object::as_dict_mut).map_err(|e| failed(&e))?;
                for (k, v) in inherited {
                    page.set(k, v);
                }
                if !page.has(b"MediaBox") {
                    // Nowhere in its tree: the size every viewer assumes, A4 here.
                    page.set("MediaBox", vec![0.into(), 0.into(), Object::Real(595.28), Object::Real(841.89)]);
                }
                page.set("Parent", Object::Reference(pages_root));
                page.set("Type", Object::Name(b"Page".to_vec()));
            }
            for (id, object) in &other.objects {
                // Object and cross-reference streams: their objects were read out of them.
                let container = object
                    .as_stream()
                    .ok()
                    .and_then(|s| s.dict.get(b"Type").and_then(Object::as_name).ok())
                    .is_some_and(|t| t == b"ObjStm" || t == b"XRef");
                if !container {
                    w.put(id.0, object).map_err(|e| failed(&e))?;
                }
            }
            let last = other.objects.keys().map(|id| id.0).max().unwrap_or(*next);
            *next = (*next).max(last + 1);
            Ok(pages)
        }
        Ready::Image { width: iw, height: ih, stream } => {
            let image = *next;
            let content = image + 1;
            let page = image + 2;
            *next = image + 3;
            // Fit on an A4 page in the image's orientation, 20 pt margins.
            let (pw, ph) = if iw > ih { (841.89, 595.28) } else { (595.28, 841.89) };
            let scale = ((pw - 40.0) / iw).min((ph - 40.0) / ih);
            let (dw, dh) = (iw * scale, ih * scale);
            let ops = format!("q {dw:.2} 0 0 {dh:.2} {:.2} {:.2} cm /Im0 Do Q", (pw - dw) / 2.0, (ph - dh) / 2.0);
            w.put(image, &Object::Stream(stream)).map_err(|e| failed(&e))?;
            w.put(content, &Object::Stream(Stream::new(dictionary! {}, ops.into_bytes()))).map_err(|e| failed(&e))?;
            let dict = dictionary! {
                "Type" => "Page",
                "Parent" => pages_root,
                "MediaBox" => vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)],
                "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => (image, 0) } },
                "Contents" => (content, 0),
            };
            w.put(page, &Object::Dictionary(dict)).map_err(|e| failed(&e))?;
            Ok(vec![(page, 0)])
        }
    }
}

/// The attributes a page inherits from its ancestors and does not set itself, copied down
/// before it is re-parented.
fn inherited(doc: &lopdf::Document, page: ObjectId) -> Vec<(Vec<u8>, Object)> {
    let mut out = Vec::new();
    let Ok(dict) = doc.get_dictionary(page) else { return out };
    for key in [&b"MediaBox"[..], b"Resources", b"CropBox", b"Rotate"] {
        if dict.has(key) {
            continue;
        }
        let mut parent = dict.get(b"Parent").and_then(Object::as_reference).ok();
        let mut depth = 0;
        while let (Some(p), true) = (parent, depth < 64) {
            let Ok(node) = doc.get_dictionary(p) else { break };
            if let Ok(v) = node.get(key) {
                out.push((key.to_vec(), v.clone()));
                break;
            }
            parent = node.get(b"Parent").and_then(Object::as_reference).ok();
            depth += 1;
        }
    }
    out
}

/// The optional content (layers) of the annexes, gathered for the dossier's catalog: each
/// annex's layers, and which of them its own file shows or hides by default. Without it, a
/// reader shows every layer, hidden ones included (a draft watermark, a second language).
#[derive(Default)]
struct OptionalContent {
    groups: Vec<Object>,
    on: Vec<Object>,
    off: Vec<Object>,
    order: Vec<Object>,
    radio_groups: Vec<Object>,
    locked: Vec<Object>,
}

impl OptionalContent {
    /// Takes in an annex's layers (its objects already renumbered as they are written).
    fn add(&mut self, doc: &lopdf::Document) {
        let resolve = |o: &Object| inspect::resolve(doc, o).clone();
        let array = |o: Option<&Object>| match o.map(resolve) {
            Some(Object::Array(items)) => items,
            _ => Vec::new(),
        };
        let Ok(catalog) = doc.catalog() else { return };
        let Some(Object::Dictionary(properties)) = catalog.get(b"OCProperties").ok().map(resolve) else { return };
        let groups = array(properties.get(b"OCGs").ok());
        let default = match properties.get(b"D").ok().map(resolve) {
            Some(Object::Dictionary(d)) => d,
            _ => lopdf::Dictionary::new(),
        };
        let on = array(default.get(b"ON").ok());
        let mut off = array(default.get(b"OFF").ok());
        if default.get(b"BaseState").and_then(Object::as_name).is_ok_and(|b| b == b"OFF") {
            off.extend(groups.iter().filter(|g| !on.contains(g)).cloned());
        }
        self.order.extend(array(default.get(b"Order").ok()));
        self.radio_groups.extend(array(default.get(b"RBGroups").ok()));
        self.locked.extend(array(default.get(b"Locked").ok()));
        self.groups.extend(groups);
        self.on.extend(on);
        self.off.extend(off);
    }

    /// The dossier's `/OCProperties`, if an annex has layers.
    fn properties(self) -> Option<Object> {
        if self.groups.is_empty() {
            return None;
        }
        Some(Object::Dictionary(dictionary! {
            "OCGs" => self.groups,
            "D" => dictionary! {
                "BaseState" => "ON",
                "ON" => self.on,
                "OFF" => self.off,
                "Order" => self.order,
                "RBGroups" => self.radio_groups,
                "Locked" => self.locked,
            },
        }))
    }
}
