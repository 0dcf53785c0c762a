//! Bilingual pairs: a block in Arabic and the same block in French side by side, the Arabic in
//! the right column and the French in the left, as the Moroccan administration sets its
//! bilingual papers.
//!
//! Each side is laid in its own column on an endless page and cut where it may be cut (after a
//! line, a row, a table's header: `Cut`); the two are then placed down the pages together. The
//! rows of two tables or of two lists of fields go side by side at the same height (each pair as
//! tall as the taller, the headers repeated together on a new page); the lines of two
//! paragraphs go down their own columns, with no widow or orphan (keep.rs), and both columns go
//! on to the next page together. On each page the Arabic side's items come before the French
//! side's, so that the structure tree reads the Arabic first (pdf.rs groups each side's lines
//! wherever they fall).

use super::{room_after_heading, Block, Cut, Frame, Item, Pager};
use crate::typeset::pdf::{OutlineItem, Role};

/// Between the two columns.
const GUTTER: f32 = 18.0;

/// Added to the block index of a pair's French side, so that each side is an element of its
/// own in the structure tree.
pub(in crate::typeset) const SECOND_SIDE: usize = 1 << 24;

/// A piece of one side that goes down the page whole, its items measured from its own top.
#[derive(Clone)]
struct Unit {
    items: Vec<Item>,
    height: f32,
    /// A table's header row (repeated at the head of a new page).
    header: bool,
}

impl Unit {
    /// The row made `height` tall (as tall as the row beside it): its fill, its column rules
    /// and the rule under it reach down to the new foot.
    fn stretched(mut self, height: f32) -> Unit {
        let foot = self.height;
        for item in &mut self.items {
            match item {
                Item::Fill { y, h, .. } if (*y + *h - foot).abs() < 0.01 => *h = height - *y,
                Item::VLine { y2, .. } if (*y2 - foot).abs() < 0.01 => *y2 = height,
                Item::HLine { y, .. } if (*y - foot).abs() < 0.01 => *y = height,
                _ => {}
            }
        }
        self.height = height;
        self
    }
}

/// Blocks laid side by side; a figure (never moved once drawn), signatures, spaces and page
/// breaks are laid one after the other.
fn pairable(block: &Block) -> bool {
    matches!(
        block,
        Block::Heading { .. } | Block::Paragraph { .. } | Block::Note { .. } | Block::Fields(_) | Block::Table { .. }
    )
}

impl Pager<'_, '_> {
    pub(super) fn pair(&mut self, right: &Block, left: &Block, next: Option<&Block>) {
        let block = self.block;
        if !pairable(right) || !pairable(left) {
            self.block(right, next);
            self.block = block + SECOND_SIDE;
            self.block(left, next);
            self.block = block;
            return;
        }
        let outer = self.frame;
        let half = (outer.width - GUTTER) / 2.0;
        let right_frame = Frame { x: outer.x + half + GUTTER, width: half, rtl: true };
        let left_frame = Frame { x: outer.x, width: half, rtl: false };
        let (next_right, next_left) = match next {
            Some(Block::Pair(r, l)) => (Some(&**r), Some(&**l)),
            other => (other, other),
        };
        let r = self.units(right, next_right, right_frame, block);
        let l = self.units(left, next_left, left_frame, block + SECOND_SIDE);
        match (right, left) {
            (Block::Heading { text: ar, level }, Block::Heading { text: fr, .. }) => {
                let h = r.iter().chain(&l).map(|u| u.height).fold(0.0, f32::max);
                self.ensure(h + room_after_heading(next));
                if *level == 1 {
                    let page = self.pages.len() - 1;
                    let title = format!("{ar} — {fr}");
                    self.outline.push(OutlineItem { title, page, y: (self.y + 4.0).max(0.0) });
                }
                self.columns_side_by_side(r, l);
            }
            (Block::Table { .. } | Block::Fields(_), _) if r.len() == l.len() => self.rows_side_by_side(r, l),
            _ => self.columns_side_by_side(r, l),
        }
    }

    /// `block` laid in `frame` on an endless page from 0, as `index`, cut into units.
    fn units(&mut self, block: &Block, next: Option<&Block>, frame: Frame, index: usize) -> Vec<Unit> {
        let pages = std::mem::replace(&mut self.pages, vec![Vec::new()]);
        let cuts = std::mem::take(&mut self.cuts);
        let saved = (self.y, self.top, self.frame, self.block, self.outline.len());
        (self.endless, self.frame, self.block, self.y, self.top) = (true, frame, index, 0.0, 0.0);
        self.block(block, next);
        let end = self.y;
        let items: Vec<Item> = std::mem::replace(&mut self.pages, pages).into_iter().flatten().collect();
        let laid_cuts = std::mem::replace(&mut self.cuts, cuts);
        let outline;
        (self.y, self.top, self.frame, self.block, outline) = saved;
        self.endless = false;
        self.outline.truncate(outline);
        // Where this side may be cut: a heading or a note goes whole.
        let wanted: &[Cut] = match block {
            Block::Paragraph { .. } => &[Cut::Line],
            Block::Table { .. } => &[Cut::Header, Cut::Row],
            Block::Fields(_) => &[Cut::Row],
            _ => &[],
        };
        let mut bounds: Vec<(f32, bool)> =
            laid_cuts.into_iter().filter(|(_, c)| wanted.contains(c)).map(|(y, c)| (y, c == Cut::Header)).collect();
        // The last unit takes the room after the block.
        match bounds.last_mut() {
            Some(last) => last.0 = end,
            None => bounds.push((end, false)),
        }
        let mut tops = Vec::with_capacity(bounds.len());
        let mut units = Vec::with_capacity(bounds.len());
        let mut start = 0.0;
        for (bound, header) in bounds {
            tops.push(start);
            units.push(Unit { items: Vec::new(), height: bound - start, header });
            start = bound;
        }
        for item in items {
            // A rule under a row belongs to the row above it; everything else to where it starts.
            let i = match item {
                Item::HLine { y, .. } => tops.iter().zip(&units).position(|(t, u)| y <= t + u.height + 0.01),
                _ => tops.iter().zip(&units).position(|(t, u)| item.top() < t + u.height - 0.01),
            }
            .unwrap_or(units.len() - 1);
            units[i].items.push(item.moved(-tops[i]));
        }
        units
    }

    /// Puts `unit` with its top at `top` in `into` (to be flushed onto the page).
    fn put(unit: Unit, top: f32, into: &mut Vec<Item>) {
        into.extend(unit.items.into_iter().map(|item| item.moved(top)));
    }

    /// The items of both sides onto the current page: the Arabic side's first.
    fn flush(&mut self, sides: &mut [Vec<Item>; 2]) {
        let page = self.pages.last_mut().expect("a page");
        for side in sides {
            page.append(side);
        }
    }

    /// Two tables or two lists of fields, row beside row.
    fn rows_side_by_side(&mut self, right: Vec<Unit>, left: Vec<Unit>) {
        let mut sides: [Vec<Item>; 2] = [Vec::new(), Vec::new()];
        let mut headers: Vec<(Unit, Unit)> = Vec::new();
        let pairs: Vec<(Unit, Unit)> = right.into_iter().zip(left).collect();
        let heights: Vec<f32> = pairs.iter().map(|(r, l)| r.height.max(l.height)).collect();
        for (i, (r, l)) in pairs.into_iter().enumerate() {
            // A header row goes with the first row under it.
            let need = heights[i] + if r.header { heights.get(i + 1).copied().unwrap_or(0.0) } else { 0.0 };
            if self.y + need > self.bottom() && self.y > self.top + 0.5 {
                self.flush(&mut sides);
                self.new_page();
                if !r.header {
                    // The header again, drawn but not read twice.
                    for (hr, hl) in &headers {
                        let h = hr.height.max(hl.height);
                        for (side, unit) in sides.iter_mut().zip([hr, hl]) {
                            let mut unit = unit.clone();
                            for item in &mut unit.items {
                                if let Item::Line { role, .. } = item {
                                    *role = Role::Layout;
                                }
                            }
                            Self::put(unit, self.y, side);
                        }
                        self.y += h;
                    }
                }
            }
            if r.header {
                headers.push((r.clone(), l.clone()));
            }
            let [ar, fr] = &mut sides;
            Self::put(r.stretched(heights[i]), self.y, ar);
            Self::put(l.stretched(heights[i]), self.y, fr);
            self.y += heights[i];
        }
        self.flush(&mut sides);
    }

    /// Two texts, each down its own column, both going on to the next page together.
    fn columns_side_by_side(&mut self, right: Vec<Unit>, left: Vec<Unit>) {
        let mut queues = [std::collections::VecDeque::from(right), std::collections::VecDeque::from(left)];
        let mut sides: [Vec<Item>; 2] = [Vec::new(), Vec::new()];
        let mut ys = [self.y; 2];
        loop {
            for s in 0..2 {
                let heights: Vec<f32> = queues[s].iter().map(|u| u.height).collect();
                let at_top = ys[s] <= self.top + 0.5;
                let here = match super::super::keep::lines_here(&heights, self.bottom() - ys[s]) {
                    0 if at_top => heights.len().min(1),
                    n => n,
                };
                for unit in queues[s].drain(..here) {
                    let h = unit.height;
                    Self::put(unit, ys[s], &mut sides[s]);
                    ys[s] += h;
                }
            }
            if queues.iter().all(|q| q.is_empty()) {
                break;
            }
            self.flush(&mut sides);
            self.new_page();
            ys = [self.y; 2];
        }
        self.flush(&mut sides);
        self.y = ys[0].max(ys[1]);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Block, DocumentSpec, A4, MARGIN_X};
    use super::SECOND_SIDE;
    use crate::typeset::pdf::Role;

    type Lines = Vec<Vec<super::super::LaidLine>>;

    fn laid(blocks: &[Block]) -> Lines {
        let fonts = crate::typeset::fonts::Fonts::default();
        let mut shaper = crate::typeset::shape::Shaper::new(&fonts);
        let spec = DocumentSpec { rtl: true, lang: "ar-MA".into(), ..Default::default() };
        crate::typeset::paginate(&mut shaper, &spec, blocks).lines()
    }

    fn block_of(role: Role) -> Option<usize> {
        match role {
            Role::Heading { block, .. }
            | Role::Paragraph { block, .. }
            | Role::Note { block }
            | Role::Label { block, .. }
            | Role::Value { block, .. }
            | Role::HeaderCell { block, .. }
            | Role::Cell { block, .. } => Some(block),
            _ => None,
        }
    }

    const AR: &str = "انعقدت دورة يونيو 2019 العادية لمجلس عمالة الرباط بمقره، برئاسة رئيس المجلس، وبحضور الأعضاء المبينة أسماؤهم في سجل الحضور؛ وبعد التأكد من اكتمال النصاب القانوني، افتتح الرئيس الدورة وعرض جدول الأعمال على أنظار المجلس.";
    const FR: &str = "La session ordinaire de juin 2019 du Conseil préfectoral de Rabat s'est tenue en son siège, sous la présidence du président du conseil, en présence des membres inscrits au registre de présence ; le quorum constaté, le président a ouvert la session et présenté l'ordre du jour.";

    fn pair(ar: Block, fr: Block) -> Block {
        Block::Pair(Box::new(ar), Box::new(fr))
    }

    fn table(rows: usize, cell: &str) -> Block {
        Block::Table {
            columns: vec![("N°".into(), 0.5), ("Point".into(), 3.6), ("Rapporteur".into(), 1.6)],
            rows: (1..=rows).map(|n| vec![n.to_string(), format!("{cell} {n}"), String::new()]).collect(),
        }
    }

    #[test]
    fn the_arabic_on_the_right_the_french_on_the_left() {
        let middle = A4.0 / 2.0;
        let pages = laid(&[
            pair(
                Block::Heading { text: "جدول الأعمال".into(), level: 1 },
                Block::Heading { text: "Ordre du jour".into(), level: 1 },
            ),
            pair(Block::Paragraph { text: AR.into() }, Block::Paragraph { text: FR.into() }),
            pair(Block::Fields(vec![("الموضوع".into(), AR.into())]), Block::Fields(vec![("Objet".into(), FR.into())])),
            pair(table(3, "اتفاقية"), table(3, "Convention")),
        ]);
        let lines: Vec<_> = pages.iter().flatten().filter(|l| block_of(l.0).is_some()).collect();
        assert!(lines.len() > 20);
        for (role, x, _, width, rtl) in lines {
            let french = block_of(*role).unwrap() >= SECOND_SIDE;
            if french {
                assert!(*x >= MARGIN_X - 0.5 && x + width <= middle, "{role:?} at {x}+{width} is in the left column");
            } else {
                assert!(
                    *x >= middle && x + width <= A4.0 - MARGIN_X + 0.5,
                    "{role:?} at {x}+{width} is in the right column"
                );
            }
            // Each side is laid in its own direction (the French side's cells with numbers too).
            if matches!(role, Role::Paragraph { .. } | Role::Heading { .. }) {
                assert_eq!(*rtl, !french, "{role:?}");
            }
        }
    }

    /// Rows of two tables (and of two lists of fields) stand side by side at the same height,
    /// the Arabic rows being taller here.
    #[test]
    fn rows_side_by_side_at_the_same_height() {
        let pages = laid(&[pair(table(40, AR), table(40, "Convention"))]);
        assert!(pages.len() > 1, "the table goes on to a second page");
        let top_of = |page: &Vec<super::super::LaidLine>, side: usize, n: usize| {
            page.iter()
                .filter(|l| matches!(l.0, Role::Cell { block, row, .. } if block == side && row == n))
                .map(|l| l.2)
                .fold(f32::INFINITY, f32::min)
        };
        let mut rows_seen = 0;
        for page in &pages {
            for n in 0..40 {
                let (ar, fr) = (top_of(page, 0, n), top_of(page, SECOND_SIDE, n));
                assert_eq!(ar.is_finite(), fr.is_finite(), "row {n} is on the same page on both sides");
                if ar.is_finite() {
                    rows_seen += 1;
                    assert!((ar - fr).abs() < 0.01, "row {n}: {ar} and {fr}");
                }
            }
        }
        assert_eq!(rows_seen, 40);
        // The headers again at the head of the second page, in both columns.
        let second = &pages[1];
        let repeated: Vec<f32> = second.iter().filter(|l| l.0 == Role::Layout).map(|l| l.1).collect();
        assert!(repeated.iter().any(|x| *x > A4.0 / 2.0) && repeated.iter().any(|x| *x < A4.0 / 2.0), "{repeated:?}");
    }

    /// Pushed down a little more each time, two paragraphs meet the foot of the page at every
    /// line: both go on to the next page together, at its top, with no line alone on either side.
    #[test]
    fn both_columns_go_on_to_the_next_page_together() {
        let long_ar = [AR, AR, AR].join(" ");
        let long_fr = [FR, FR, FR].join(" ");
        for k in 0..40 {
            let pages = laid(&[
                Block::Space(560.0 + k as f32 * 4.0),
                pair(Block::Paragraph { text: long_ar.clone() }, Block::Paragraph { text: long_fr.clone() }),
            ]);
            for side in [1, 1 + SECOND_SIDE] {
                let counts: Vec<usize> = pages
                    .iter()
                    .map(|p| p.iter().filter(|l| block_of(l.0) == Some(side)).count())
                    .filter(|n| *n > 0)
                    .collect();
                assert!(counts.iter().all(|n| *n >= 2), "offset {k}, side {side}: lines per page {counts:?}");
            }
            // On a page after the first, both columns start at the same height.
            for page in pages.iter().skip(1) {
                let first = |side: usize| {
                    page.iter().filter(|l| block_of(l.0) == Some(side)).map(|l| l.2).fold(f32::INFINITY, f32::min)
                };
                let (ar, fr) = (first(1), first(1 + SECOND_SIDE));
                if ar.is_finite() && fr.is_finite() {
                    assert!((ar - fr).abs() < 0.01, "offset {k}: {ar} and {fr}");
                }
            }
        }
    }
}
