//! Tables: a header row in the brand colour, rows of cells laid in their columns (from the right
//! in a right-to-left frame), the header repeated on a new page (drawn, not read twice), and
//! the signature boxes' table that takes the last lines of the text above with it.

use super::{Cut, Item, Line, Pager, Role, BRAND, RULE};
use crate::typeset::layout::{Align, Style};

impl Pager<'_, '_> {
    /// A table; `with_previous`: when its header and first row do not fit here, the last lines
    /// of the text above go to the next page with them (the signature boxes).
    pub(super) fn table(&mut self, columns: &[(String, f32)], rows: &[Vec<String>], with_previous: bool) {
        let width = self.width();
        let total: f32 = columns.iter().map(|c| c.1).sum();
        let pad = 4.0;
        let header_style = Style { size: 10.0, bold: true, align: Align::Start, leading: 1.4, color: (1.0, 1.0, 1.0) };
        let mut widths: Vec<f32> = columns.iter().map(|c| width * c.1 / total).collect();
        // No header word is cut (a narrow column of a bilingual pair): a column too narrow for
        // its header's longest word takes the room from the column with the most to spare.
        let least: Vec<f32> = columns
            .iter()
            .map(|(header, _)| {
                let word = |w: &str| self.lines(w, &header_style, 10_000.0).iter().map(|l| l.width).fold(0.0, f32::max);
                header.split_whitespace().map(word).fold(0.0, f32::max) + 2.0 * pad + 1.0
            })
            .collect();
        for i in 0..widths.len() {
            let short = least[i] - widths[i];
            let spare = (0..widths.len()).max_by(|a, b| (widths[*a] - least[*a]).total_cmp(&(widths[*b] - least[*b])));
            if let Some(j) = spare.filter(|j| short > 0.0 && *j != i && widths[*j] - least[*j] >= short) {
                widths[i] += short;
                widths[j] -= short;
            }
        }
        let widths = widths;
        // Column i's left edge: from the right in a right-to-left document.
        let lefts: Vec<f32> = {
            let mut acc = 0.0;
            widths
                .iter()
                .map(|w| {
                    let x = if self.frame.rtl { self.frame.right() - acc - w } else { self.frame.x + acc };
                    acc += w;
                    x
                })
                .collect()
        };
        let frame = self.frame;
        let cell_style = Style { size: 10.0, bold: false, align: Align::Start, leading: 1.4, color: (0.0, 0.0, 0.0) };
        let layout_row = |pager: &mut Self, cells: &[String], style: &Style| -> (Vec<Vec<Line>>, f32) {
            let laid: Vec<Vec<Line>> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| {
                    let style = Style { align: pager.start_side(c), ..style.clone() };
                    pager.lines(c, &style, w - 2.0 * pad)
                })
                .collect();
            let h = laid.iter().map(|ls| ls.iter().map(|l| l.height).sum::<f32>()).fold(0.0, f32::max) + 2.0 * pad;
            (laid, h)
        };
        let headers: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
        let block = self.block;
        // The header row, then a table row `row` (from 0), or the header repeated on a new page
        // (drawn, but not read twice).
        #[derive(Clone, Copy)]
        enum Kind {
            Header,
            Repeat,
            Row(usize),
        }
        let draw_row = |pager: &mut Self, laid: Vec<Vec<Line>>, h: f32, kind: Kind| {
            let header = !matches!(kind, Kind::Row(_));
            let top = pager.y;
            let page = pager.pages.last_mut().expect("a page");
            if header {
                page.push(Item::Fill { x: frame.x, y: top, w: width, h, color: BRAND });
            }
            for (i, lines) in laid.into_iter().enumerate() {
                let mut y = top + pad;
                let role = match kind {
                    Kind::Header => Role::HeaderCell { block, col: i },
                    Kind::Repeat => Role::Layout,
                    Kind::Row(row) => Role::Cell { block, row, col: i },
                };
                for line in lines {
                    let lh = line.height;
                    page.push(Item::Line { line, x: lefts[i] + pad, top: y, role });
                    y += lh;
                }
                if i > 0 {
                    let edge = if pager.frame.rtl { lefts[i] + widths[i] } else { lefts[i] };
                    page.push(Item::VLine { x: edge, y1: top, y2: top + h });
                }
            }
            page.push(Item::HLine { x1: frame.x, x2: frame.right(), y: top + h, width: 0.4, color: RULE });
            pager.y = top + h;
            pager.cut(if header { Cut::Header } else { Cut::Row });
        };
        let (head, head_h) = layout_row(self, &headers, &header_style);
        // Laid out once: measured here, drawn below.
        let mut first = rows.first().filter(|_| with_previous).map(|row| layout_row(self, row, &cell_style));
        if first.as_ref().is_some_and(|(_, h)| self.y + head_h + h > self.bottom()) {
            self.carry(2);
        }
        self.ensure(head_h + 24.0);
        draw_row(self, head, head_h, Kind::Header);
        for (n, row) in rows.iter().enumerate() {
            let (laid, h) = first.take().unwrap_or_else(|| layout_row(self, row, &cell_style));
            if self.y + h > self.bottom() {
                self.new_page();
                let (head, head_h) = layout_row(self, &headers, &header_style);
                draw_row(self, head, head_h, Kind::Repeat);
            }
            draw_row(self, laid, h, Kind::Row(n));
        }
        self.y += 8.0;
    }
}
