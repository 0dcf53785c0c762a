#!/usr/bin/env python3
"""Typst 0.15 (PyPI `typst`) on the same content as core/examples/hundred_pages.rs, for the
comparison `make bench` reports: the 100 points (heading + presentation note) of SOURCE.txt,
Noto Naskh Arabic 11.5 pt justified, right to left, A4, twice: with Typst's own line breaking
(Knuth-Plass, "optimized") and with greedy lines justified ("simple", as Taawun breaks them).
Prints the best of 5 compile times of each and the page count.
Usage: tools/bench-typst.py SOURCE.txt"""
import os, sys, time
import typst

here = os.path.dirname(os.path.abspath(__file__))
fonts = os.path.join(here, "..", "assets", "fonts")
points = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8") if line.strip()]

def esc(s):
    return s.replace("\\", "\\\\").replace("#", "\\#").replace("*", "\\*").replace("_", "\\_").replace("$", "\\$").replace("[", "\\[").replace("]", "\\]").replace("<", "\\<").replace("@", "\\@")

src = ['#set page(paper: "a4", margin: (x: 56pt, top: 40pt, bottom: 50pt), footer: context align(center, text(8.5pt)[الصفحة #counter(page).display() / #counter(page).final().first()]))',
       '#set text(font: ("Noto Naskh Arabic", "Noto Sans"), lang: "ar", dir: rtl, size: 11.5pt)',
       '#set par(justify: true, leading: 0.75em, linebreaks: LINEBREAKS)',
       '#align(center, text(17pt, weight: "bold")[ملف المداولات — دورة يونيو 2019 العادية])']
for title, note in points:
    src.append(f"= {esc(title)}\n\n{esc(note)}\n")
for linebreaks in ("optimized", "simple"):
    source = "\n".join(src).replace("LINEBREAKS", f'"{linebreaks}"').encode("utf-8")
    best = None
    out = None
    for _ in range(5):
        t0 = time.perf_counter()
        out = typst.compile(source, font_paths=[fonts], ignore_system_fonts=True)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    name = f"typst-hundred-{linebreaks}.pdf"
    open(os.path.join(os.environ.get("TMPDIR", "/tmp"), name), "wb").write(out)
    print(f"typst {typst.__version__}, {linebreaks} line breaks: best of 5 {best*1000:.0f} ms ({name})")
