//! The structure tree of a PDF (PDF/UA-1, PDF/A-2a "a"): what each drawn line is (`Role`), the
//! groups it sits in (`Key`: a heading, a paragraph, a table, its rows and cells), and the tree
//! built from the leaves drawn. A group gathers its leaves wherever they fall (a paragraph over
//! two pages, the Arabic and French columns of a bilingual pair drawn side by side), in the order
//! it is first met.

use krilla::tagging::{Identifier, Node, Tag, TagGroup, TagKind, TagTree};
use std::collections::HashMap;
use std::num::NonZeroU16;

/// What a drawn line (or shape) is in the document: where it goes in the structure tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The letterhead: the hierarchy of the administration, repeated on paper, not content.
    Letterhead,
    /// The page's footer (page number, a note).
    Footer,
    /// Rules, fills, a table header repeated on a new page.
    Layout,
    Title,
    Subtitle,
    Heading {
        block: usize,
        level: u8,
    },
    /// Part `part` (a line of the source text) of paragraph block `block`.
    Paragraph {
        block: usize,
        part: usize,
    },
    Note {
        block: usize,
    },
    Label {
        block: usize,
        row: usize,
    },
    Value {
        block: usize,
        row: usize,
    },
    HeaderCell {
        block: usize,
        col: usize,
    },
    Cell {
        block: usize,
        row: usize,
        col: usize,
    },
}

/// A group of the structure tree, identified so that consecutive leaves find their group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Title,
    Subtitle,
    Heading(usize, u8),
    Paragraph(usize, usize),
    Note(usize),
    Table(usize),
    Head(usize),
    Body(usize),
    Row(usize, usize),
    HeadCell(usize, usize),
    RowHead(usize, usize),
    Cell(usize, usize, usize),
    /// A figure: the block it is (the emblem: `usize::MAX`).
    Figure(usize),
}

impl Key {
    /// The group's tag; `text` is the group's text (a heading's title), `alt` a figure's.
    fn tag(self, lang: &str, text: &str, alt: Option<&str>) -> TagKind {
        let lang = Some(lang.to_string());
        let title = Some(text.to_string());
        match self {
            Key::Title => Tag::Hn(NonZeroU16::MIN, title).with_lang(lang).into(),
            Key::Heading(_, level) => {
                Tag::Hn(NonZeroU16::new(u16::from(level) + 1).unwrap_or(NonZeroU16::MIN), title).with_lang(lang).into()
            }
            Key::Subtitle | Key::Paragraph(..) | Key::Note(_) => Tag::P.with_lang(lang).into(),
            Key::Table(_) => Tag::Table.into(),
            Key::Head(_) => Tag::THead.into(),
            Key::Body(_) => Tag::TBody.into(),
            Key::Row(..) => Tag::TR.into(),
            Key::HeadCell(..) => Tag::TH(krilla::tagging::TableHeaderScope::Column).with_lang(lang).into(),
            Key::RowHead(..) => Tag::TH(krilla::tagging::TableHeaderScope::Row).with_lang(lang).into(),
            Key::Cell(..) => Tag::TD.with_lang(lang).into(),
            Key::Figure(_) => {
                // The alternative text's own language (the council's Arabic name under the
                // emblem of a French paper).
                let arabic = alt.is_some_and(|a| a.chars().any(super::fonts::is_arabic));
                let lang = if arabic { Some("ar-MA".to_string()) } else { lang.filter(|l| !l.is_empty()) };
                Tag::Figure(alt.map(str::to_string)).with_lang(lang).into()
            }
        }
    }
}

/// The groups a leaf of `role` sits in, outermost first.
pub(super) fn path_of(role: Role) -> Vec<Key> {
    match role {
        Role::Title => vec![Key::Title],
        Role::Subtitle => vec![Key::Subtitle],
        Role::Heading { block, level } => vec![Key::Heading(block, level)],
        Role::Paragraph { block, part } => vec![Key::Paragraph(block, part)],
        Role::Note { block } => vec![Key::Note(block)],
        Role::Label { block, row } => vec![Key::Table(block), Key::Row(block, row), Key::RowHead(block, row)],
        Role::Value { block, row } => vec![Key::Table(block), Key::Row(block, row), Key::Cell(block, row, 1)],
        Role::HeaderCell { block, col } => {
            vec![Key::Table(block), Key::Head(block), Key::Row(block, 0), Key::HeadCell(block, col)]
        }
        Role::Cell { block, row, col } => {
            vec![Key::Table(block), Key::Body(block), Key::Row(block, row + 1), Key::Cell(block, row + 1, col)]
        }
        Role::Letterhead | Role::Footer | Role::Layout => Vec::new(),
    }
}

/// A leaf of the structure tree: the groups it sits in, its language, its text, a figure's alt
/// text, and krilla's identifier of what was drawn.
pub(super) struct Leaf {
    pub path: Vec<Key>,
    pub lang: String,
    pub text: String,
    pub alt: Option<String>,
    pub id: Identifier,
}

/// The structure tree from the leaves in reading order: leaves that share a group share it
/// wherever they are, and groups come in the order they are first met.
pub(super) fn tree(leaves: Vec<Leaf>, lang: &str) -> TagTree {
    // A group's text: the text of all the leaves whose outermost group it is (a heading of several
    // lines is titled by all of them).
    let mut texts: HashMap<Key, String> = HashMap::new();
    for leaf in &leaves {
        if let Some(key) = leaf.path.first() {
            let text = texts.entry(*key).or_default();
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&leaf.text);
        }
    }
    enum Child {
        Group(usize),
        Leaf(Identifier),
    }
    struct Group {
        tag: TagKind,
        children: Vec<Child>,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut found: HashMap<Vec<Key>, usize> = HashMap::new();
    let mut top: Vec<Child> = Vec::new();
    for leaf in leaves {
        let mut parent: Option<usize> = None;
        for depth in 0..leaf.path.len() {
            let path = &leaf.path[..=depth];
            let index = match found.get(path) {
                Some(index) => *index,
                None => {
                    let text = texts.get(&path[0]).map(String::as_str).unwrap_or_default();
                    let tag = path[depth].tag(&leaf.lang, text, leaf.alt.as_deref());
                    groups.push(Group { tag, children: Vec::new() });
                    let index = groups.len() - 1;
                    match parent {
                        Some(p) => groups[p].children.push(Child::Group(index)),
                        None => top.push(Child::Group(index)),
                    }
                    found.insert(path.to_vec(), index);
                    index
                }
            };
            parent = Some(index);
        }
        match parent {
            Some(p) => groups[p].children.push(Child::Leaf(leaf.id)),
            None => top.push(Child::Leaf(leaf.id)),
        }
    }
    // Groups into krilla's, children first (a child is always created after its parent).
    let mut built: Vec<Option<TagGroup>> = (0..groups.len()).map(|_| None).collect();
    for index in (0..groups.len()).rev() {
        let group = &mut groups[index];
        let mut tag_group = TagGroup::new(std::mem::replace(&mut group.tag, Tag::P.into()));
        for child in group.children.drain(..) {
            tag_group.push(match child {
                Child::Group(g) => Node::Group(built[g].take().expect("a child built before its parent")),
                Child::Leaf(id) => Node::Leaf(id),
            });
        }
        built[index] = Some(tag_group);
    }
    let mut root = TagTree::new().with_lang(Some(lang.to_string()));
    for child in top {
        root.push(match child {
            Child::Group(g) => Node::Group(built[g].take().expect("a group built")),
            Child::Leaf(id) => Node::Leaf(id),
        });
    }
    root
}
