//! Laid-out pages to the PDF writer: each page's items, the emblem on the first, the footer
//! "X / Y" (counting the pages a dossier appends after each), the metadata, the outline and the
//! attached files.

use super::document::{paginate, Block, DocumentSpec, Item, Laid, A4, GREY, MARGIN_TOP, MARGIN_X, RULE};
use super::fonts::Fonts;
use super::layout::{layout_paragraph, Align, Style};
use super::pdf::{Meta, Role, Writer};
use super::shape::Shaper;
use std::io::Write;

/// Lays the blocks out and writes the PDF to `out`; returns the writer and the page count.
pub fn render<W: Write>(spec: &DocumentSpec, blocks: &[Block], out: W) -> std::io::Result<(W, usize)> {
    let fonts = Fonts::default();
    let mut shaper = Shaper::new(&fonts);
    let laid = paginate(&mut shaper, spec, blocks);
    write(&mut shaper, spec, laid, out)
}

/// Writes laid-out pages as a PDF, with the footer "X / Y" on each.
pub fn write<W: Write>(
    shaper: &mut Shaper,
    spec: &DocumentSpec,
    laid: Laid,
    mut out: W,
) -> std::io::Result<(W, usize)> {
    let Laid { pages, outline, fonts } = laid;
    let width = A4.0 - 2.0 * MARGIN_X;
    let count = pages.len();
    let mut writer = Writer::new(fonts, spec.conformance);
    let footer_style = Style { size: 8.5, bold: false, align: Align::Center, leading: 1.3, color: GREY };
    let total = count + spec.appended.iter().sum::<usize>();
    let mut failed = None;
    for (n, items) in pages.into_iter().enumerate() {
        // Footer: "الصفحة 3 / 12" centred, the note at the start side.
        let before: usize = spec.appended.iter().take(n).sum();
        let label = format!("{} {} / {}", spec.page_label, n + 1 + before, total);
        let number = layout_paragraph(shaper, &label, &footer_style, width, spec.rtl);
        let note = if spec.footer_note.is_empty() {
            Vec::new()
        } else {
            let note_style = Style { align: Align::Start, ..footer_style.clone() };
            layout_paragraph(shaper, &spec.footer_note, &note_style, width, spec.rtl).into_iter().take(1).collect()
        };
        writer.page(A4.0, A4.1, |canvas| {
            if let (0, Some(image)) = (n, &spec.emblem) {
                // At most 56 pt high and 90 pt wide, between the Arabic and French letterheads.
                let (w, h) = image.size();
                let scale = (56.0 / h).min(90.0 / w);
                let (dw, dh) = (w * scale, h * scale);
                if let Err(e) = canvas.image(image, (A4.0 - dw) / 2.0, MARGIN_TOP - 6.0, dw, dh, &spec.author) {
                    failed = Some(e);
                }
            }
            for item in items {
                match item {
                    Item::Line { line, x, top, role } => canvas.text_line(&line, x, top + line.ascent, role),
                    Item::HLine { x1, x2, y, width, color } => canvas.rule((x1, y), (x2, y), width, color),
                    Item::VLine { x, y1, y2 } => canvas.rule((x, y1), (x, y2), 0.4, RULE),
                    Item::Fill { x, y, w, h, color } => canvas.fill(x, y, w, h, color),
                    Item::Drawing { drawing, block } => canvas.drawing(&drawing, block),
                }
            }
            for line in &number {
                canvas.text_line(line, MARGIN_X, A4.1 - 28.0, Role::Footer);
            }
            for line in &note {
                canvas.text_line(line, MARGIN_X, A4.1 - 16.0, Role::Footer);
            }
            canvas.rule((MARGIN_X, A4.1 - 40.0), (A4.0 - MARGIN_X, A4.1 - 40.0), 0.4, RULE);
        });
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let meta = Meta {
        title: spec.title.replace('\n', " — "),
        author: spec.author.clone(),
        subject: spec.subtitle.clone(),
        lang: spec.lang.clone(),
        rtl: spec.rtl,
    };
    for file in &spec.attachments {
        writer.attach(file)?;
    }
    out.write_all(&writer.finish(&meta, &outline)?)?;
    Ok((out, count))
}
