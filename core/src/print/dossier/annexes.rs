//! A dossier's annexes: the signed documents met on the way through its points, each once, checked
//! as they are gathered (in the vault and unaltered; opened and checked by `crate::inspect` when
//! their pages are appended), their divider pages (the register of their hashes), and the files
//! the archive edition attaches.

use super::EditionRules;
use crate::i18n::{tr, tr_args};
use crate::inspect::{self, Refused};
use crate::model::Document;
use crate::print::{day, PrintLang};
use crate::store::Store;
use crate::typeset::pdf::Attachment;
use crate::typeset::Block;
use crate::vault::FileState;
use std::path::PathBuf;

/// A document to append, and whether it can be.
pub(super) struct Annex {
    pub(super) document: Document,
    pub(super) path: PathBuf,
    /// Why it is not appended, if it is not.
    pub(super) problem: Option<Refused>,
    /// How many pages it adds, counted in its page tree.
    pub(super) pages: usize,
    pub(super) notes: Vec<&'static str>,
}

impl Annex {
    /// Whether it goes into the dossier (appended or attached).
    pub(super) fn goes_in(&self) -> bool {
        self.problem.is_none()
    }

    /// Its title, or its file's name when it has none.
    pub(super) fn title(&self) -> &str {
        let d = &self.document;
        if d.record.data.title.is_empty() {
            &d.original_name
        } else {
            &d.record.data.title
        }
    }
}

/// The annexes in the order met, each once, checked as they are gathered.
pub(super) struct Annexes<'r> {
    vault: Option<crate::vault::Vault>,
    rules: &'r EditionRules,
    seen: std::collections::HashSet<i64>,
    pub(super) list: Vec<Annex>,
}

impl<'r> Annexes<'r> {
    pub(super) fn new(store: &Store, rules: &'r EditionRules) -> Self {
        Annexes { vault: store.vault().ok(), rules, seen: Default::default(), list: Vec::new() }
    }

    /// Adds the documents not met yet. Each is checked now, so that its divider says the truth:
    /// in the vault and unaltered, and, when its pages are appended, opened and checked (then
    /// dropped until it is appended: one annex in memory at a time). An attached file goes in as
    /// filed, whatever is inside it.
    pub(super) fn gather(&mut self, docs: Vec<Document>) {
        for d in docs {
            if !self.seen.insert(d.record.id) {
                continue;
            }
            let path = self.vault.as_ref().map(|v| v.path_of(&d.sha256)).unwrap_or_default();
            let stored = match self.vault.as_ref().map(|v| v.state_of(&d.sha256)) {
                None | Some(Ok(FileState::Missing)) => Err(Refused { key: "dossier.missing", detail: String::new() }),
                Some(Err(e)) => Err(Refused { key: "dossier.unreadable", detail: e.to_string() }),
                Some(Ok(FileState::Altered)) => Err(Refused { key: "dossier.altered", detail: String::new() }),
                Some(Ok(_)) => Ok(()),
            };
            let opened = stored.and_then(|()| match self.rules.appends_pages {
                true => inspect::open(&path, &d.media_type).map(|o| (o.pages, o.notes)),
                false => Ok((0, vec!["dossier.attached"])),
            });
            self.list.push(match opened {
                Ok((pages, notes)) => Annex { document: d, path, problem: None, pages, notes },
                Err(refused) => Annex { document: d, path, problem: Some(refused), pages: 0, notes: Vec::new() },
            });
        }
    }
}

/// The divider pages, one per annex in order, at the end of the typeset part: its title, kind,
/// file and SHA-256 (the register of hashes a reader checks the originals against), and whether
/// its pages follow, it is attached, or why it is not there.
pub(super) fn dividers(annexes: &[Annex], lang: PrintLang, rules: &EditionRules) -> Vec<Block> {
    let main = lang.main();
    let both = |key: &str| lang.label(key);
    let mut blocks = Vec::new();
    for (i, a) in annexes.iter().enumerate() {
        let d = &a.document;
        blocks.push(Block::PageBreak);
        blocks.push(Block::Heading {
            text: tr_args(main, "dossier.annex", &[("n", &(i + 1).to_string()), ("title", a.title())]),
            level: 1,
        });
        let mut f = vec![
            (both("field.kind"), lang.choice("document_kind", d.record.data.kind.as_str())),
            (both("dossier.file"), d.original_name.clone()),
            ("SHA-256".to_string(), format!("\u{2066}{}\u{2069}", crate::print::sheet::grouped_hash(&d.sha256))),
        ];
        if !d.record.data.signed_on.is_empty() {
            f.push((both("field.signed_on"), day(&d.record.data.signed_on, main)));
        }
        if a.pages > 0 {
            f.push((both("dossier.pages"), a.pages.to_string()));
        }
        blocks.push(Block::Fields(f));
        match &a.problem {
            None if rules.attaches_files => {
                // Isolated: a name beginning with digits keeps its order in an Arabic sentence.
                let name = format!("\u{2066}{}\u{2069}", attachment_name(i, d));
                blocks.push(Block::Note { text: tr_args(main, "dossier.attached_as", &[("name", &name)]) });
            }
            None => {
                blocks.push(Block::Note { text: tr(main, "dossier.follows") });
                blocks.extend(a.notes.iter().map(|note| Block::Note { text: tr(main, note) }));
            }
            // What the reader found (in English, technical) is in the export's report, not on
            // the page: the divider says why in the dossier's language.
            Some(r) => blocks.push(Block::Note { text: tr(main, r.key) }),
        }
    }
    blocks
}

/// The signed originals the archive edition carries, byte for byte, named by their place.
pub(super) fn attachments(annexes: &[Annex]) -> Vec<Attachment> {
    annexes
        .iter()
        .enumerate()
        .filter(|(_, a)| a.goes_in())
        .map(|(i, a)| Attachment {
            path: a.path.clone(),
            name: attachment_name(i, &a.document),
            media_type: a.document.media_type.clone(),
            description: format!("{} — SHA-256 {}", a.title(), a.document.sha256),
        })
        .collect()
}

/// The name annex `i` is attached under in the archive edition: its place and its file's name.
fn attachment_name(i: usize, d: &Document) -> String {
    let name: String = d.original_name.chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\')).collect();
    format!("{:02}-{name}", i + 1)
}
