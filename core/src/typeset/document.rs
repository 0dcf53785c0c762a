//! A document as a list of blocks (headings, paragraphs, label/value fields, tables), laid out on
//! A4 pages under the council's letterhead: the header hierarchy of Moroccan administrative
//! documents (Arabic at the right, French at the left), the title, and a footer with "X / Y".
//! Headings keep their next line with them; tables repeat their header row on a new page and
//! put their first column at the right in right-to-left documents.

use super::fonts::Fonts;
use super::layout::{is_rtl_text, layout_paragraph, Align, Line, Style};
use super::pdf::{Conformance, OutlineItem, Role};
use super::shape::Shaper;

mod columns;
mod table;

pub const A4: (f32, f32) = (595.28, 841.89);
pub(super) const MARGIN_X: f32 = 56.0;
pub(super) const MARGIN_TOP: f32 = 40.0;
const MARGIN_BOTTOM: f32 = 50.0;
pub(super) const GREY: (f32, f32, f32) = (0.45, 0.45, 0.45);
pub(super) const RULE: (f32, f32, f32) = (0.7, 0.7, 0.7);
const BRAND: (f32, f32, f32) = (0.06, 0.36, 0.30);

#[derive(Clone, Debug)]
pub enum Block {
    /// A section heading (level 1 also goes into the outline).
    Heading {
        text: String,
        level: u8,
    },
    Paragraph {
        text: String,
    },
    /// A small grey note.
    Note {
        text: String,
    },
    /// Label / value rows.
    Fields(Vec<(String, String)>),
    /// Columns (header, relative width) and rows of cells.
    Table {
        columns: Vec<(String, f32)>,
        rows: Vec<Vec<String>>,
    },
    /// A vector drawing (a chart, a map) the width of the text, kept whole on one page.
    Figure(super::figure::Drawing),
    /// The signature boxes (one column per signatory, with room to sign): never alone at the
    /// head of a page, the last lines of the text above go with them.
    Signatures(Vec<String>),
    Space(f32),
    PageBreak,
    /// The same block in Arabic and in French, side by side: the Arabic in the right column,
    /// the French in the left (a bilingual paper; `columns.rs`).
    Pair(Box<Block>, Box<Block>),
}

/// The room a heading needs below it to keep the first line of what follows with it.
fn room_after_heading(next: Option<&Block>) -> f32 {
    match next {
        Some(Block::Paragraph { .. } | Block::Fields(_) | Block::Note { .. }) => 24.0,
        Some(Block::Table { .. }) => 48.0,
        Some(Block::Figure(d)) => d.height,
        // A heading followed by a heading: both, and the first line after them.
        Some(Block::Heading { .. }) => 48.0,
        Some(Block::Pair(right, _)) => room_after_heading(Some(right)),
        _ => 0.0,
    }
}

/// The letterhead and the document's own words.
#[derive(Clone, Debug, Default)]
pub struct Letterhead {
    /// المملكة المغربية / وزارة الداخلية / عمالة الرباط / مجلس عمالة الرباط
    pub arabic: Vec<String>,
    /// Royaume du Maroc / Ministère de l'Intérieur / …
    pub french: Vec<String>,
}

#[derive(Default)]
pub struct DocumentSpec {
    /// The title under the letterhead; a line break sets a line per language (the metadata's
    /// title joins them with a dash).
    pub title: String,
    pub subtitle: String,
    /// The reading direction of the document (Arabic or bilingual: right to left).
    pub rtl: bool,
    pub lang: String,
    pub author: String,
    pub letterhead: Letterhead,
    /// The footer's page label: "الصفحة" / "Page", followed by "X / Y".
    pub page_label: String,
    /// Printed at the left of the footer (e.g. the date of printing).
    pub footer_note: String,
    /// Pages that will be inserted after each typeset page (a dossier's appended scans), so
    /// that the footers count the whole document; empty for none.
    pub appended: Vec<usize>,
    /// The council's emblem, centred at the top of the first page.
    pub emblem: Option<super::pdf::ImageData>,
    /// What the PDF claims to be (archival and accessible unless pages are appended after).
    pub conformance: Conformance,
    /// Files attached as they are (a dossier's archive edition).
    pub attachments: Vec<super::pdf::Attachment>,
}

#[derive(Clone)]
pub(super) enum Item {
    Line { line: Line, x: f32, top: f32, role: Role },
    HLine { x1: f32, x2: f32, y: f32, width: f32, color: (f32, f32, f32) },
    VLine { x: f32, y1: f32, y2: f32 },
    Fill { x: f32, y: f32, w: f32, h: f32, color: (f32, f32, f32) },
    Drawing { drawing: super::figure::Placed, block: usize },
}

impl Item {
    /// Where the item starts down the page.
    fn top(&self) -> f32 {
        match self {
            Item::Line { top, .. } => *top,
            Item::HLine { y, .. } | Item::Fill { y, .. } => *y,
            Item::VLine { y1, y2, .. } => y1.min(*y2),
            Item::Drawing { drawing, .. } => drawing.y,
        }
    }

    /// The item `dy` points lower (a drawing is never moved: see `Pager::carry`).
    fn moved(self, dy: f32) -> Item {
        match self {
            Item::Line { line, x, top, role } => Item::Line { line, x, top: top + dy, role },
            Item::HLine { x1, x2, y, width, color } => Item::HLine { x1, x2, y: y + dy, width, color },
            Item::VLine { x, y1, y2 } => Item::VLine { x, y1: y1 + dy, y2: y2 + dy },
            Item::Fill { x, y, w, h, color } => Item::Fill { x, y: y + dy, w, h, color },
            drawing @ Item::Drawing { .. } => drawing,
        }
    }
}

/// Where a block is laid: the left edge and width of its text, and its reading direction (the
/// whole text width, or one column of a bilingual pair: `columns.rs`).
#[derive(Clone, Copy, Debug)]
struct Frame {
    x: f32,
    width: f32,
    rtl: bool,
}

impl Frame {
    fn right(&self) -> f32 {
        self.x + self.width
    }
}

/// A point down the page where the block being laid may be cut (`columns.rs`): after a line of
/// text, a row of fields or of a table, or a table's header row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cut {
    Line,
    Row,
    Header,
}

struct Pager<'s, 'f> {
    shaper: &'s mut Shaper<'f>,
    frame: Frame,
    /// Where the block being laid may be cut (recorded for the columns of a pair).
    cuts: Vec<(f32, Cut)>,
    /// Laying a column of a pair on one endless page (no page breaks).
    endless: bool,
    pages: Vec<Vec<Item>>,
    /// Distance from the top of the page to where the next block goes.
    y: f32,
    top: f32,
    outline: Vec<OutlineItem>,
    /// The block being laid out (its index in the document's blocks).
    block: usize,
}

impl Pager<'_, '_> {
    fn width(&self) -> f32 {
        self.frame.width
    }

    fn bottom(&self) -> f32 {
        if self.endless {
            f32::INFINITY
        } else {
            A4.1 - MARGIN_BOTTOM
        }
    }

    /// Records that the block being laid may be cut here (only a pair's side is ever cut).
    fn cut(&mut self, kind: Cut) {
        if self.endless {
            self.cuts.push((self.y, kind));
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.top;
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > self.bottom() && self.y > self.top + 0.5 {
            self.new_page();
        }
    }

    /// The alignment that puts `text` on the document's reading side (an amount in Latin
    /// letters in an Arabic document sits at the right, as the Arabic around it does).
    fn start_side(&self, text: &str) -> Align {
        if text.trim().is_empty() || is_rtl_text(text) == self.frame.rtl {
            Align::Start
        } else {
            Align::End
        }
    }

    /// A text's lines; a text of several lines (a value in Arabic then French) has each laid
    /// in its own direction and, unless centred or justified, at its own start (the Arabic at
    /// the right, the French at the left).
    fn lines(&mut self, text: &str, style: &Style, width: f32) -> Vec<Line> {
        if !text.contains('\n') {
            let rtl = if text.trim().is_empty() { self.frame.rtl } else { is_rtl_text(text) };
            return layout_paragraph(self.shaper, text, style, width, rtl);
        }
        let mut out = Vec::new();
        for part in text.split('\n') {
            let style = match style.align {
                Align::Start | Align::End => Style { align: Align::Start, ..style.clone() },
                _ => style.clone(),
            };
            let rtl = if part.trim().is_empty() { self.frame.rtl } else { is_rtl_text(part) };
            out.extend(layout_paragraph(self.shaper, part, &style, width, rtl));
        }
        out
    }

    fn place_lines(&mut self, lines: Vec<Line>, x: f32, role: Role) {
        for line in lines {
            self.ensure(line.height);
            let top = self.y;
            self.y += line.height;
            self.pages.last_mut().expect("a page").push(Item::Line { line, x, top, role });
            self.cut(Cut::Line);
        }
    }

    /// A paragraph's lines with no widow or orphan (keep.rs): all here, all on the next page, or
    /// at least two on each side of the page break.
    fn place_kept(&mut self, lines: Vec<Line>, role: Role) {
        let heights: Vec<f32> = lines.iter().map(|l| l.height).collect();
        let here = super::keep::lines_here(&heights, self.bottom() - self.y);
        if here == lines.len() || self.y <= self.top + 0.5 {
            return self.place_lines(lines, self.frame.x, role);
        }
        let mut lines = lines;
        let rest = lines.split_off(here);
        self.place_lines(lines, self.frame.x, role);
        self.new_page();
        self.place_lines(rest, self.frame.x, role);
    }

    /// Moves the last `lines` lines of text on this page (with what is drawn beside and below
    /// them, and a heading right above them) to a new page, and goes on below them there.
    fn carry(&mut self, lines: usize) {
        let page = self.pages.last().expect("a page");
        let mut tops: Vec<f32> = page
            .iter()
            .filter_map(|item| match item {
                Item::Line { top, role, .. } if !matches!(role, Role::Letterhead | Role::Title | Role::Subtitle) => {
                    Some(*top)
                }
                _ => None,
            })
            .collect();
        tops.sort_by(f32::total_cmp);
        tops.dedup();
        let Some(&cut) = tops.iter().rev().nth(lines.saturating_sub(1)).or(tops.first()) else {
            return self.new_page();
        };
        // A heading just above the carried lines goes with them.
        let heading = page.iter().filter_map(|item| match item {
            Item::Line { top, role: Role::Heading { .. }, line, .. }
                if *top < cut && top + line.height + 12.0 >= cut =>
            {
                Some(*top)
            }
            _ => None,
        });
        let cut = heading.fold(cut, f32::min) - 0.5;
        // Nothing above to leave behind, or a drawing in the way (its marks stay where drawn).
        let drawing_below =
            page.iter().any(|item| matches!(item, Item::Drawing { drawing, .. } if drawing.y + drawing.height > cut));
        if cut <= self.top + 1.0 || drawing_below {
            return self.new_page();
        }
        let page = self.pages.last_mut().expect("a page");
        let (stay, go): (Vec<Item>, Vec<Item>) = page.drain(..).partition(|item| item.top() < cut);
        *page = stay;
        let end = self.y;
        self.new_page();
        let dy = self.top - cut;
        let page = self.pages.last_mut().expect("a page");
        page.extend(go.into_iter().map(|item| item.moved(dy)));
        self.y = end + dy;
    }

    fn block(&mut self, block: &Block, next: Option<&Block>) {
        match block {
            Block::Heading { text, level } => self.heading(text, *level, next),
            Block::Paragraph { text } => {
                for (part, para) in text.split('\n').enumerate() {
                    let lines = self.lines(para, &Style::body(11.5), self.width());
                    self.place_kept(lines, Role::Paragraph { block: self.block, part });
                }
                self.y += 4.0;
            }
            Block::Note { text } => {
                let style = Style { size: 9.0, bold: false, align: Align::Start, leading: 1.4, color: GREY };
                let lines = self.lines(text, &style, self.width());
                self.place_lines(lines, self.frame.x, Role::Note { block: self.block });
                self.y += 2.0;
            }
            Block::Fields(rows) => {
                for (row, (label, value)) in rows.iter().enumerate() {
                    self.field(row, label, value);
                }
                self.y += 4.0;
            }
            Block::Table { columns, rows } => self.table(columns, rows, false),
            Block::Signatures(signatories) => {
                let columns: Vec<(String, f32)> = signatories.iter().map(|s| (s.clone(), 1.0)).collect();
                let rows = vec![signatories.iter().map(|_| "\n\n\n".to_string()).collect()];
                self.table(&columns, &rows, true)
            }
            Block::Figure(drawing) => self.figure(drawing, next),
            Block::Space(h) => self.y += h,
            Block::PageBreak => self.new_page(),
            Block::Pair(right, left) => self.pair(right, left, next),
        }
    }

    /// A heading, kept with what follows it; a level-1 heading enters the outline and is ruled.
    fn heading(&mut self, text: &str, level: u8, next: Option<&Block>) {
        let style = Style {
            size: if level == 1 { 15.0 } else { 12.5 },
            bold: true,
            align: Align::Start,
            leading: 1.5,
            color: BRAND,
        };
        let lines = self.lines(text, &style, self.width());
        let own: f32 = lines.iter().map(|l| l.height).sum();
        self.y += 8.0;
        self.ensure(own + room_after_heading(next) + 4.0);
        if level == 1 {
            let page = self.pages.len() - 1;
            self.outline.push(OutlineItem { title: text.to_string(), page, y: (self.y - 4.0).max(0.0) });
        }
        self.place_lines(lines, self.frame.x, Role::Heading { block: self.block, level });
        if level == 1 {
            let y = self.y + 1.0;
            let rule = Item::HLine { x1: self.frame.x, x2: self.frame.right(), y, width: 0.8, color: BRAND };
            self.pages.last_mut().expect("a page").push(rule);
            self.y += 6.0;
        }
    }

    /// A label and its value side by side (the label at the start: right in Arabic), ruled
    /// under, a row the page may break after.
    fn field(&mut self, row: usize, label: &str, value: &str) {
        let width = self.width();
        // The labels' column: a third of a narrow column (one of a bilingual pair).
        let label_w = width * if width < 300.0 { 0.36 } else { 0.3 };
        let value_w = width - label_w - 8.0;
        let block = self.block;
        let label_style = Style { size: 10.5, bold: true, align: Align::Start, leading: 1.45, color: (0.2, 0.2, 0.2) };
        let label_lines = self.lines(label, &label_style, label_w);
        let value_style =
            Style { size: 10.5, bold: false, align: self.start_side(value), leading: 1.45, color: (0.0, 0.0, 0.0) };
        let value_lines = self.lines(value, &value_style, value_w);
        let height = |lines: &[Line]| lines.iter().map(|l| l.height).sum::<f32>();
        let h = height(&label_lines).max(height(&value_lines));
        self.ensure(h + 4.0);
        let top = self.y;
        let (label_x, value_x) = if self.frame.rtl {
            (self.frame.x + value_w + 8.0, self.frame.x)
        } else {
            (self.frame.x, self.frame.x + label_w + 8.0)
        };
        let page = self.pages.last_mut().expect("a page");
        let mut y = top;
        for line in label_lines {
            let lh = line.height;
            page.push(Item::Line { line, x: label_x, top: y, role: Role::Label { block, row } });
            y += lh;
        }
        let mut y = top;
        for line in value_lines {
            let lh = line.height;
            page.push(Item::Line { line, x: value_x, top: y, role: Role::Value { block, row } });
            y += lh;
        }
        self.y = top + h + 3.0;
        page.push(Item::HLine { x1: self.frame.x, x2: self.frame.right(), y: self.y - 1.5, width: 0.3, color: RULE });
        self.cut(Cut::Row);
    }

    /// A chart, kept with the head of the table of its numbers that follows it, centred on the
    /// text's width.
    fn figure(&mut self, drawing: &super::figure::Drawing, next: Option<&Block>) {
        let width = self.width();
        let table_head = if matches!(next, Some(Block::Table { .. })) { 60.0 } else { 0.0 };
        self.ensure(drawing.height + table_head);
        let x = self.frame.x + (width - drawing.width).max(0.0) / 2.0;
        let placed = super::figure::lay_out(self.shaper, drawing, x, self.y);
        self.y += drawing.height + 6.0;
        let block = self.block;
        self.pages.last_mut().expect("a page").push(Item::Drawing { drawing: placed, block });
    }
}

/// A text line as laid (the typesetter's tests): its role, left edge, top, width and whether it
/// reads right to left.
#[cfg(test)]
pub(super) type LaidLine = (Role, f32, f32, f32, bool);

/// Pages laid out and not yet written: what `paginate` found, for documents that need to know
/// where things fell (a table of contents, the annexes of a dossier) before writing.
pub struct Laid<'f> {
    pub(super) pages: Vec<Vec<Item>>,
    /// Level-1 headings: title and page index (from 0).
    pub outline: Vec<OutlineItem>,
    pub(super) fonts: &'f Fonts,
}

impl Laid<'_> {
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The roles of the text lines of each page, in the order laid (the typesetter's tests).
    #[cfg(test)]
    pub(super) fn roles(&self) -> Vec<Vec<Role>> {
        let role = |item: &Item| match item {
            Item::Line { role, .. } => Some(*role),
            _ => None,
        };
        self.pages.iter().map(|page| page.iter().filter_map(role).collect()).collect()
    }

    /// The text lines of each page, in the order laid.
    #[cfg(test)]
    pub(super) fn lines(&self) -> Vec<Vec<LaidLine>> {
        let placed = |item: &Item| match item {
            Item::Line { role, x, top, line } => Some((*role, *x, *top, line.width, line.rtl)),
            _ => None,
        };
        self.pages.iter().map(|page| page.iter().filter_map(placed).collect()).collect()
    }
}

/// Lays the blocks out on pages under the letterhead.
pub fn paginate<'f>(shaper: &mut Shaper<'f>, spec: &DocumentSpec, blocks: &[Block]) -> Laid<'f> {
    let fonts: &'f Fonts = shaper.fonts();
    // The letterhead: Arabic hierarchy at the right, French at the left, then the title.
    let head_style = Style { size: 10.0, bold: true, align: Align::Center, leading: 1.35, color: (0.1, 0.1, 0.1) };
    let column = 190.0;
    let ar: Vec<Line> =
        spec.letterhead.arabic.iter().flat_map(|t| layout_paragraph(shaper, t, &head_style, column, true)).collect();
    let fr: Vec<Line> =
        spec.letterhead.french.iter().flat_map(|t| layout_paragraph(shaper, t, &head_style, column, false)).collect();
    let head_h = ar.iter().map(|l| l.height).sum::<f32>().max(fr.iter().map(|l| l.height).sum::<f32>());
    let title_style = Style { size: 17.0, bold: true, align: Align::Center, leading: 1.45, color: BRAND };
    let width = A4.0 - 2.0 * MARGIN_X;
    let title = layout_paragraph(shaper, &spec.title, &title_style, width, is_rtl_text(&spec.title));
    let subtitle = if spec.subtitle.is_empty() {
        Vec::new()
    } else {
        layout_paragraph(
            shaper,
            &spec.subtitle,
            &Style { size: 11.0, bold: false, align: Align::Center, leading: 1.4, color: GREY },
            width,
            is_rtl_text(&spec.subtitle),
        )
    };
    let mut pager = Pager {
        shaper,
        frame: Frame { x: MARGIN_X, width, rtl: spec.rtl },
        cuts: Vec::new(),
        endless: false,
        pages: vec![Vec::new()],
        y: MARGIN_TOP,
        top: MARGIN_TOP,
        outline: Vec::new(),
        block: 0,
    };
    // First page: letterhead and title; the following pages start higher.
    {
        let mut y = MARGIN_TOP;
        for line in ar {
            let h = line.height;
            pager.pages[0].push(Item::Line { line, x: A4.0 - MARGIN_X - column, top: y, role: Role::Letterhead });
            y += h;
        }
        let mut y = MARGIN_TOP;
        for line in fr {
            let h = line.height;
            pager.pages[0].push(Item::Line { line, x: MARGIN_X, top: y, role: Role::Letterhead });
            y += h;
        }
        pager.y = MARGIN_TOP + head_h + 18.0;
        for line in title {
            let h = line.height;
            let top = pager.y;
            pager.pages[0].push(Item::Line { line, x: MARGIN_X, top, role: Role::Title });
            pager.y += h;
        }
        for line in subtitle {
            let h = line.height;
            let top = pager.y;
            pager.pages[0].push(Item::Line { line, x: MARGIN_X, top, role: Role::Subtitle });
            pager.y += h;
        }
        let y = pager.y + 6.0;
        pager.pages[0].push(Item::HLine { x1: MARGIN_X, x2: A4.0 - MARGIN_X, y, width: 1.2, color: BRAND });
        pager.y += 16.0;
    }
    for (i, block) in blocks.iter().enumerate() {
        pager.block = i;
        pager.block(block, blocks.get(i + 1));
    }
    Laid { pages: pager.pages, outline: pager.outline, fonts }
}
