#!/usr/bin/env python3
"""Taawun Naskh: the face Arabic paragraphs are printed in (assets/fonts/TaawunNaskh-*.ttf).

Noto Naskh Arabic with the Latin of Noto Sans merged in (both SIL OFL 1.1, no reserved font
name; the licence is beside them in assets/fonts/OFL.txt), made from the faces committed in
assets/fonts by tools/fonts.sh. Why: a PDF viewer reads a line's text back one font at a time, so
a line of Arabic with a Latin name, a bracket or a percentage in two fonts came back in pieces, in
the wrong order (docs/decisions/pdf-writer.md). One font per Arabic line keeps it whole.

- Naskh first: its metrics, its digits and its punctuation win where both faces have a character.
- Noto Sans gives the Latin that partners' names are written in (Basic Latin, Latin-1, Latin
  Extended-A, combining marks), general punctuation, currency, letterlike symbols and geometric
  shapes, with its layout features (kerning, ligatures, marks). A rarer letter (Vietnamese,
  Latin Extended-B) falls back on Noto Sans itself, in a font of its own on that line.
- Mirrored brackets get glyphs of their own, at fixed private-use code points (MIRRORED below,
  U+F500 + index, the same table as core/src/typeset/shape.rs): in a right-to-left run "(" is
  drawn with the ")" shape; a glyph of its own lets the PDF map each drawn shape to one character
  wherever it appears, so no viewer has to guess which one it stands for.
- Two empty glyphs of no width at U+F5FE and U+F5FF, drawn for the right-to-left and
  left-to-right marks the PDF writer adds (core/src/typeset/pdf.rs).

- Lam-alef: Naskh draws it as a lam glyph and an alef glyph of no width laid over it. pdf.js
  does not move its pen for a glyph of no width, so after a space it counted the space twice
  ("إل ا"). Each such pair (found by shaping every lam-alef with HarfBuzz) gets one composite
  glyph of both, and the table `Twlm` lists them: (alef glyph, lam glyph, composite) as three
  big-endian u16 each; the shaper draws the composite in their place (shape.rs).
- Carriers: for each character of the ranges in CARRIERS, empty glyphs (no ink) of widths 0,
  0.04, 0.08 ... 2 em (a step under the 0.03 em gap poppler reads as a space, once halved), listed in the table `Twcr` (step and count of widths as two big-endian u16,
  then per character its code point and first glyph as two u16, by code point). A line with
  harakat is drawn as outlines and its text carried by these glyphs on the baseline, one per
  character (core/src/typeset/carriers.rs): PDF viewers read marks drawn above and below their
  letters as words of their own.

Run by tools/fonts.sh; the outputs are committed.
"""
import copy
import os
import struct
import sys

import uharfbuzz
from fontTools.ttLib.tables.DefaultTable import DefaultTable
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

from fontTools.merge import Merger
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont

MIRRORED = "()[]{}<>«»‹›"
CARRIERS = [
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0x200C, 0x206F),
    (0x20AC, 0x20AC),
    (0xFD3E, 0xFD3F),
]
CARRIER_STEP_EM = 0.04
CARRIER_WIDTHS = 51
MIRROR_BASE = 0xF500
LATIN = (
    list(range(0x0020, 0x0180))
    + list(range(0x0300, 0x0370))
    + list(range(0x2000, 0x2070))
    + list(range(0x20A0, 0x20D0))
    + list(range(0x2100, 0x2150))
    + list(range(0x25A0, 0x2600))
)


def mirror(c):
    pairs = {"(": ")", "[": "]", "{": "}", "<": ">", "«": "»", "‹": "›"}
    pairs.update({v: k for k, v in pairs.items()})
    return pairs[c]


def latin_of(path, out):
    font = TTFont(path)
    options = Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.glyph_names = True
    options.notdef_outline = True
    options.hinting = False
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=LATIN)
    subsetter.subset(font)
    font.save(out)


def lam_alef_pairs(path):
    """(alef glyph of no width, the glyph after it) pairs HarfBuzz draws for lam-alef."""
    font = TTFont(path)
    order = font.getGlyphOrder()
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    hb_font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(path)))
    letters = [chr(c) for c in list(range(0x0621, 0x064B)) + list(range(0x0671, 0x06D4))]
    pairs = set()
    for before in ("", "ب"):
        for letter in letters:
            for after in ("", "ب"):
                buf = uharfbuzz.Buffer()
                buf.add_str(before + "ل" + letter + after)
                buf.guess_segment_properties()
                uharfbuzz.shape(hb_font, buf, {})
                glyphs = list(zip(buf.glyph_infos, buf.glyph_positions))
                for (a, pa), (b, pb) in zip(glyphs, glyphs[1:]):
                    if pa.x_advance == 0 and pa.x_offset == 0 and classes.get(order[a.codepoint]) == 1:
                        pairs.add((a.codepoint, b.codepoint))
    return sorted(pairs)


def add_lam_alef_composites(font, pairs):
    order = list(font.getGlyphOrder())
    glyf, hmtx = font["glyf"], font["hmtx"]
    names = [f"lamalef.{alef}.{lam}" for alef, lam in pairs]
    font.setGlyphOrder(order + names)
    glyf.glyphOrder = font.getGlyphOrder()
    table = b""
    for k, ((alef, lam), name) in enumerate(zip(pairs, names)):
        glyph = Glyph()
        glyph.numberOfContours = -1
        glyph.components = []
        for part in (lam, alef):
            component = GlyphComponent()
            component.glyphName, component.x, component.y, component.flags = order[part], 0, 0, 0
            glyph.components.append(component)
        glyf.glyphs[name] = glyph
        glyph.recalcBounds(glyf)
        hmtx[name] = (hmtx[order[lam]][0] + hmtx[order[alef]][0], glyph.xMin)
        table += struct.pack(">HHH", alef, lam, len(order) + k)
    font["maxp"].numGlyphs = len(order) + len(names)
    raw = DefaultTable("Twlm")
    raw.data = table
    font["Twlm"] = raw


def add_carriers(font):
    order = list(font.getGlyphOrder())
    glyf, hmtx = font["glyf"], font["hmtx"]
    step = round(font["head"].unitsPerEm * CARRIER_STEP_EM)
    table = struct.pack(">HH", step, CARRIER_WIDTHS)
    for first, last in CARRIERS:
        for codepoint in range(first, last + 1):
            table += struct.pack(">HH", codepoint, len(order))
            for k in range(CARRIER_WIDTHS):
                name = f"carrier.{codepoint:04X}.{k}"
                empty = Glyph()
                empty.numberOfContours = 0
                glyf.glyphs[name] = empty
                hmtx[name] = (k * step, 0)
                order.append(name)
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    font["maxp"].numGlyphs = len(order)
    raw = DefaultTable("Twcr")
    raw.data = table
    font["Twcr"] = raw


def merge(naskh, sans, out, family, style):
    latin_of(sans, out + ".latin.ttf")
    merged = Merger().merge([naskh, out + ".latin.ttf"])
    cmap = merged.getBestCmap()
    glyf, hmtx = merged["glyf"], merged["hmtx"]
    order = merged.getGlyphOrder()
    for i, c in enumerate(MIRRORED):
        source = cmap.get(ord(mirror(c)))
        if source is None:
            sys.exit(f"no glyph for {mirror(c)!r} in the merged face")
        name = f"mirror.{ord(c):04X}"
        glyf[name] = copy.deepcopy(glyf[source])
        hmtx[name] = hmtx[source]
        order.append(name)
        for table in merged["cmap"].tables:
            if table.isUnicode():
                table.cmap[MIRROR_BASE + i] = name
    # Empty glyphs of no width for the right-to-left and left-to-right marks the PDF writer puts
    # after a stretch written against the paragraph (Naskh's own U+200E/U+200F glyphs show a
    # visible symbol).
    for codepoint, name in ((0xF5FE, "mark.rlm"), (0xF5FF, "mark.lrm")):
        empty = Glyph()
        empty.numberOfContours = 0
        glyf[name] = empty
        hmtx[name] = (0, 0)
        order.append(name)
        for table in merged["cmap"].tables:
            if table.isUnicode():
                table.cmap[codepoint] = name
    merged.setGlyphOrder(order)
    merged["maxp"].numGlyphs = len(order)
    names = merged["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17):
            names.removeNames(nameID=record.nameID)
    full = f"{family} {style}"
    names.setName(family, 1, 3, 1, 0x409)
    names.setName(style, 2, 3, 1, 0x409)
    names.setName(f"{family.replace(' ', '')}-{style};Taawun", 3, 3, 1, 0x409)
    names.setName(full, 4, 3, 1, 0x409)
    names.setName(f"{family.replace(' ', '')}-{style}", 6, 3, 1, 0x409)
    merged.save(out)
    os.remove(out + ".latin.ttf")
    font = TTFont(out)
    add_lam_alef_composites(font, lam_alef_pairs(out))
    font.save(out)
    font = TTFont(out)
    add_carriers(font)
    font.save(out)


if __name__ == "__main__":
    fonts = "assets/fonts"
    for style in ("Regular", "Bold"):
        merge(
            f"{fonts}/NotoNaskhArabic-{style}.ttf",
            f"{fonts}/NotoSans-{style}.ttf",
            f"{fonts}/TaawunNaskh-{style}.ttf",
            "Taawun Naskh",
            style,
        )
