//! The annual report's charts as vector drawings (`crate::typeset::figure`), drawn like the
//! dashboard's (ui/js/charts.js): horizontal bars that start on the reading side — the label at
//! the right and the bar growing leftwards in Arabic, the mirror in French — each with its number
//! at the bar's end. A drawing says what it shows in its alternative text; the report follows each
//! with its numbers as a table.

use crate::typeset::figure::{Drawing, HAlign, Mark, Rgb};

/// The text's width on an A4 page under Taawun's margins.
pub const WIDTH: f32 = 483.0;
const LABEL_W: f32 = 150.0;
const VALUE_W: f32 = 64.0;
const ROW_H: f32 = 26.0;
const BAR_H: f32 = 14.0;
const LABEL_SIZE: f32 = 8.5;
pub const BRAND: Rgb = (0.06, 0.36, 0.30);
const INK: Rgb = (0.12, 0.16, 0.18);
const AXIS: Rgb = (0.75, 0.78, 0.80);

/// One bar: its label, its length's value, and the number written at its end.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

/// One stacked bar: its label and its parts (colour index into the legend, value).
pub struct Stack {
    pub label: String,
    pub parts: Vec<(usize, f64)>,
}

/// A bar chart's geometry in the reading direction: where a label's box starts, where bars
/// start and which way they grow.
struct Frame {
    rtl: bool,
    bar_area: f32,
}

impl Frame {
    fn new(rtl: bool) -> Frame {
        Frame { rtl, bar_area: WIDTH - LABEL_W - VALUE_W - 8.0 }
    }

    fn label_x(&self) -> f32 {
        if self.rtl {
            WIDTH - LABEL_W
        } else {
            0.0
        }
    }

    /// The left edge of a segment of `length` starting `from` points into the bar area.
    fn segment_x(&self, from: f32, length: f32) -> f32 {
        if self.rtl {
            WIDTH - LABEL_W - 6.0 - from - length
        } else {
            LABEL_W + 6.0 + from
        }
    }

    /// A row's label, centred on the row `y`.
    fn label(&self, text: &str, y: f32) -> Mark {
        Mark::Label {
            text: text.to_string(),
            x: self.label_x(),
            y,
            w: LABEL_W - 4.0,
            h: ROW_H,
            align: if self.rtl { HAlign::Right } else { HAlign::Left },
            size: LABEL_SIZE,
            bold: false,
            color: INK,
        }
    }

    /// The number after a bar ending `length` points into the bar area, centred on the row `y`.
    fn value(&self, text: &str, length: f32, y: f32) -> Mark {
        let (x, align) = if self.rtl {
            (self.segment_x(length, 0.0) - 4.0 - VALUE_W, HAlign::Right)
        } else {
            (self.segment_x(length, 0.0) + 4.0, HAlign::Left)
        };
        Mark::Label {
            text: text.to_string(),
            x,
            y,
            w: VALUE_W,
            h: ROW_H,
            align,
            size: LABEL_SIZE,
            bold: true,
            color: INK,
        }
    }

    /// The axis the bars start from.
    fn axis(&self, height: f32) -> Mark {
        let x = if self.rtl { WIDTH - LABEL_W - 6.0 } else { LABEL_W + 6.0 };
        Mark::Line { from: (x, 0.0), to: (x, height), width: 0.6, color: AXIS }
    }

    fn length(&self, value: f64, max: f64) -> f32 {
        if value <= 0.0 || max <= 0.0 {
            0.0
        } else {
            ((value / max) as f32 * self.bar_area).max(1.5)
        }
    }
}

/// Horizontal bars, one per row, in the colour of the council's papers.
pub fn bars(rows: &[Bar], rtl: bool, alt: String) -> Drawing {
    let frame = Frame::new(rtl);
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    let height = rows.len() as f32 * ROW_H + 4.0;
    let mut marks = vec![frame.axis(height)];
    for (i, row) in rows.iter().enumerate() {
        let y = 2.0 + i as f32 * ROW_H;
        let length = frame.length(row.value, max);
        marks.push(frame.label(&row.label, y));
        if length > 0.0 {
            marks.push(Mark::Rect {
                x: frame.segment_x(0.0, length),
                y: y + (ROW_H - BAR_H) / 2.0,
                w: length,
                h: BAR_H,
                fill: BRAND,
            });
        }
        marks.push(frame.value(&row.shown, length, y));
    }
    Drawing { alt, width: WIDTH, height, clip: false, marks }
}

/// Stacked bars (a year's agreements by status), with their legend under them: `legend` names
/// each colour index, `colors` gives it.
pub fn stacked(rows: &[Stack], legend: &[String], colors: &[Rgb], rtl: bool, alt: String) -> Drawing {
    let frame = Frame::new(rtl);
    let total = |s: &Stack| s.parts.iter().map(|p| p.1).sum::<f64>();
    let max = rows.iter().map(total).fold(0.0, f64::max);
    let bars_h = rows.len() as f32 * ROW_H + 4.0;
    let mut marks = vec![frame.axis(bars_h)];
    for (i, row) in rows.iter().enumerate() {
        let y = 2.0 + i as f32 * ROW_H;
        marks.push(frame.label(&row.label, y));
        let mut from = 0.0;
        for &(color, value) in &row.parts {
            let length = if value > 0.0 { (value / max.max(1.0)) as f32 * frame.bar_area } else { 0.0 };
            if length > 0.0 {
                marks.push(Mark::Rect {
                    x: frame.segment_x(from, length),
                    y: y + (ROW_H - BAR_H) / 2.0,
                    w: length,
                    h: BAR_H,
                    fill: colors[color % colors.len()],
                });
                // A white hairline between parts, so that neighbours of close colours separate.
                if from > 0.0 {
                    let x = frame.segment_x(from, 0.0);
                    marks.push(Mark::Line {
                        from: (x, y + (ROW_H - BAR_H) / 2.0),
                        to: (x, y + (ROW_H + BAR_H) / 2.0),
                        width: 0.8,
                        color: (1.0, 1.0, 1.0),
                    });
                }
            }
            from += length;
        }
        let sum = total(row);
        marks.push(frame.value(&format_count(sum), from, y));
    }
    // The legend: a swatch and a name per status, four to a line, from the reading side.
    let cell = WIDTH / 4.0;
    let mut y = bars_h + 8.0;
    for (i, name) in legend.iter().enumerate() {
        let col = (i % 4) as f32;
        if i > 0 && i % 4 == 0 {
            y += 16.0;
        }
        let left = if rtl { WIDTH - (col + 1.0) * cell } else { col * cell };
        let (swatch_x, text_x) = if rtl { (left + cell - 10.0, left) } else { (left, left + 14.0) };
        marks.push(Mark::Rect { x: swatch_x, y: y + 2.0, w: 9.0, h: 9.0, fill: colors[i % colors.len()] });
        marks.push(Mark::Label {
            text: name.clone(),
            x: text_x,
            y,
            w: cell - 18.0,
            h: 13.0,
            align: if rtl { HAlign::Right } else { HAlign::Left },
            size: LABEL_SIZE,
            bold: false,
            color: INK,
        });
    }
    Drawing { alt, width: WIDTH, height: y + 18.0, clip: false, marks }
}

/// A count as the charts write it (no decimals).
pub fn format_count(v: f64) -> String {
    format!("{}", v.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rects(d: &Drawing) -> Vec<(f32, f32)> {
        d.marks
            .iter()
            .filter_map(|m| match m {
                Mark::Rect { x, w, .. } => Some((*x, *w)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bars_are_proportional_and_start_on_the_reading_side() {
        let rows = vec![
            Bar { label: "أ".into(), value: 4.0, shown: "4".into() },
            Bar { label: "ب".into(), value: 1.0, shown: "1".into() },
            Bar { label: "ج".into(), value: 0.0, shown: "0".into() },
        ];
        let rtl = rects(&bars(&rows, true, String::new()));
        let ltr = rects(&bars(&rows, false, String::new()));
        assert_eq!(rtl.len(), 2, "no bar for nothing");
        assert!((rtl[0].1 / rtl[1].1 - 4.0).abs() < 1e-3);
        // Right to left: both bars end at the same right edge; left to right, start at one left.
        assert!((rtl[0].0 + rtl[0].1 - (rtl[1].0 + rtl[1].1)).abs() < 1e-3);
        assert!((ltr[0].0 - ltr[1].0).abs() < 1e-3);
        // Mirror images.
        assert!((ltr[0].0 - (WIDTH - rtl[0].0 - rtl[0].1)).abs() < 1e-3);
    }

    #[test]
    fn a_stack_adds_its_parts_and_its_legend_names_each_colour() {
        let rows = vec![
            Stack { label: "2018".into(), parts: vec![(0, 2.0), (1, 1.0)] },
            Stack { label: "2019".into(), parts: vec![(1, 3.0)] },
        ];
        let legend = vec!["موقعة".to_string(), "سارية".to_string()];
        let d = stacked(&rows, &legend, &[(0.0, 0.0, 0.0), (0.5, 0.5, 0.5)], true, String::new());
        let r = rects(&d);
        // Two parts, one part, two swatches.
        assert_eq!(r.len(), 5);
        let first: f32 = r[0].1 + r[1].1;
        assert!((first - r[2].1).abs() < 1e-3, "3 and 3 the same length");
        let labels = d.marks.iter().filter(|m| matches!(m, Mark::Label { .. })).count();
        assert_eq!(labels, 2 + 2 + 2, "row labels, totals, legend");
    }
}
