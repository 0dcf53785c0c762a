//! Vector drawings in a document (the annual report's charts and map): shapes in points from the
//! drawing's top left, and labels shaped, joined and ordered like any other text of Taawun's. A
//! drawing is one figure of the structure tree, read out by its alternative text; the documents
//! that draw one also give its numbers as a table, for anyone who reads tables.

use super::layout::{is_rtl_text, layout_paragraph, Align, Line, Style};
use super::pdf::{draw_line, line_path, paint, rect_path, PageCanvas};
use super::shape::Shaper;
use super::tags::{Key, Leaf};
use krilla::geom::{Path, PathBuilder, Transform};
use krilla::paint::FillRule;
use krilla::tagging::ContentTag;

pub type Rgb = (f32, f32, f32);

/// Where a label sits in its box, whatever the direction of its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HAlign {
    Left,
    Center,
    Right,
}

#[derive(Clone, Debug)]
pub enum Mark {
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Rgb,
    },
    /// Closed rings filled together (even-odd: a country's lakes stay empty), outlined when
    /// `stroke` says with which colour and width.
    Shape {
        rings: Vec<Vec<(f32, f32)>>,
        fill: Rgb,
        stroke: Option<(Rgb, f32)>,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: Rgb,
    },
    Circle {
        centre: (f32, f32),
        radius: f32,
        fill: Rgb,
        stroke: Option<(Rgb, f32)>,
    },
    /// Text in the box of width `w` whose top left is (`x`, `y`), wrapped to that width and
    /// centred in the box's height `h` when it fits (0: set from the top).
    Label {
        text: String,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        align: HAlign,
        size: f32,
        bold: bool,
        color: Rgb,
    },
}

/// A drawing as the document holds it before layout.
#[derive(Clone, Debug)]
pub struct Drawing {
    /// What the drawing shows, in words (its numbers included): the figure's alternative text.
    pub alt: String,
    pub width: f32,
    pub height: f32,
    /// Whether what falls outside the drawing's box is cut (a map's crop).
    pub clip: bool,
    pub marks: Vec<Mark>,
}

/// A mark ready to draw: labels laid out in lines, each with its left edge and top.
#[derive(Clone)]
pub(super) enum Drawn {
    Mark(Mark),
    Text { line: Line, x: f32, top: f32 },
}

/// A drawing laid out, placed at `x`, `y` on its page.
#[derive(Clone)]
pub(super) struct Placed {
    pub alt: String,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub clip: bool,
    pub marks: Vec<Drawn>,
}

/// The alignment of a paragraph that puts its lines at `align`, given its direction.
fn paragraph_align(align: HAlign, rtl: bool) -> Align {
    match (align, rtl) {
        (HAlign::Center, _) => Align::Center,
        (HAlign::Right, true) | (HAlign::Left, false) => Align::Start,
        _ => Align::End,
    }
}

/// Lays the labels of `drawing` out (every other mark is kept as it is).
pub(super) fn lay_out(shaper: &mut Shaper, drawing: &Drawing, x: f32, y: f32) -> Placed {
    let mut marks = Vec::with_capacity(drawing.marks.len());
    for mark in &drawing.marks {
        match mark {
            Mark::Label { text, x: lx, y: ly, w, h, align, size, bold, color } => {
                let rtl = is_rtl_text(text);
                let style = Style {
                    size: *size,
                    bold: *bold,
                    align: paragraph_align(*align, rtl),
                    leading: 1.25,
                    color: *color,
                };
                let lines = layout_paragraph(shaper, text, &style, w.max(1.0), rtl);
                let height: f32 = lines.iter().map(|l| l.height).sum();
                let mut top = *ly + ((h - height) / 2.0).max(0.0);
                for line in lines {
                    let h = line.height;
                    marks.push(Drawn::Text { line, x: *lx, top });
                    top += h;
                }
            }
            other => marks.push(Drawn::Mark(other.clone())),
        }
    }
    Placed { alt: drawing.alt.clone(), x, y, width: drawing.width, height: drawing.height, clip: drawing.clip, marks }
}

impl PageCanvas<'_, '_> {
    /// A drawing (chart, map) as one figure of the structure tree, read out by its alt text.
    pub(super) fn drawing(&mut self, placed: &Placed, block: usize) {
        let (fonts, faces) = (self.writer_fonts, self.faces);
        let id = self.surface.start_tagged(ContentTag::Other);
        let surface = &mut self.surface;
        surface.push_transform(&Transform::from_translate(placed.x, placed.y));
        let clipped = placed.clip
            && match rect_path(0.0, 0.0, placed.width, placed.height) {
                Some(path) => {
                    surface.push_clip_path(&path, &FillRule::NonZero);
                    true
                }
                None => false,
            };
        for mark in &placed.marks {
            match mark {
                Drawn::Text { line, x, top } => draw_line(surface, fonts, faces, line, *x, *top + line.ascent),
                Drawn::Mark(Mark::Rect { x, y, w, h, fill }) => {
                    paint(surface, rect_path(*x, *y, *w, *h), Some(*fill), None, FillRule::NonZero);
                }
                Drawn::Mark(Mark::Shape { rings, fill, stroke }) => {
                    let mut pb = PathBuilder::new();
                    for ring in rings.iter().filter(|r| r.len() > 2) {
                        pb.move_to(ring[0].0, ring[0].1);
                        for &(px, py) in &ring[1..] {
                            pb.line_to(px, py);
                        }
                        pb.close();
                    }
                    paint(surface, pb.finish(), Some(*fill), *stroke, FillRule::EvenOdd);
                }
                Drawn::Mark(Mark::Line { from, to, width, color }) => {
                    paint(surface, line_path(*from, *to), None, Some((*color, *width)), FillRule::NonZero);
                }
                Drawn::Mark(Mark::Circle { centre, radius, fill, stroke }) => {
                    paint(surface, circle(*centre, *radius), Some(*fill), *stroke, FillRule::NonZero);
                }
                Drawn::Mark(Mark::Label { .. }) => {}
            }
        }
        if clipped {
            surface.pop();
        }
        surface.pop();
        self.surface.end_tagged();
        self.leaves.push(Leaf {
            path: vec![Key::Figure(block)],
            lang: String::new(),
            text: String::new(),
            alt: Some(placed.alt.clone()),
            id,
        });
    }
}

/// A circle as four cubic arcs (krilla's path builder has none of its own).
fn circle((cx, cy): (f32, f32), r: f32) -> Option<Path> {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    let mut pb = PathBuilder::new();
    pb.move_to(cx + r, cy);
    pb.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    pb.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    pb.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    pb.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    pb.close();
    pb.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::fonts::Fonts;

    #[test]
    fn labels_sit_where_asked_in_either_direction() {
        let fonts = Fonts::default();
        let mut shaper = Shaper::new(&fonts);
        let label = |text: &str, align| Mark::Label {
            text: text.into(),
            x: 100.0,
            y: 10.0,
            w: 200.0,
            h: 0.0,
            align,
            size: 10.0,
            bold: false,
            color: (0.0, 0.0, 0.0),
        };
        for text in ["جنوب جنوب", "Sud-Sud"] {
            for (align, expect) in [(HAlign::Left, 0.0), (HAlign::Right, 1.0), (HAlign::Center, 0.5)] {
                let drawing = Drawing {
                    alt: String::new(),
                    width: 400.0,
                    height: 40.0,
                    clip: false,
                    marks: vec![label(text, align)],
                };
                let placed = lay_out(&mut shaper, &drawing, 0.0, 0.0);
                let Drawn::Text { line, x, top } = &placed.marks[0] else { panic!("a text") };
                assert_eq!((*x, *top), (100.0, 10.0));
                let left = line.pieces.iter().map(|p| p.x).fold(f32::MAX, f32::min);
                let room = 200.0 - line.width;
                assert!((left - room * expect).abs() < 0.5, "{text} {align:?}: starts at {left}, room {room}");
            }
        }
    }

    #[test]
    fn a_long_label_wraps_within_its_box() {
        let fonts = Fonts::default();
        let mut shaper = Shaper::new(&fonts);
        let drawing = Drawing {
            alt: String::new(),
            width: 400.0,
            height: 40.0,
            clip: false,
            marks: vec![Mark::Label {
                text: "صندوق التعاون المغربي-الفرنسي لدعم التعاون اللامركزي".into(),
                x: 0.0,
                y: 0.0,
                w: 120.0,
                h: 0.0,
                align: HAlign::Right,
                size: 10.0,
                bold: false,
                color: (0.0, 0.0, 0.0),
            }],
        };
        let placed = lay_out(&mut shaper, &drawing, 0.0, 0.0);
        assert!(placed.marks.len() > 1, "wrapped in lines");
        for m in &placed.marks {
            let Drawn::Text { line, .. } = m else { panic!("a text") };
            assert!(line.width <= 120.5, "{}", line.width);
        }
    }
}
