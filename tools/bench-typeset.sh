#!/usr/bin/env bash
# Typesetting figures for `make bench`: about a hundred A4 pages of Arabic (100 points, each a
# heading and a presentation note; core/examples/hundred_pages.rs), whole process (hyperfine)
# and peak memory, beside Typst 0.15 (PyPI `typst`, installed here if missing) on the same text
# and fonts (tools/bench-typst.py, best of 5 in-process compiles).
set -euo pipefail
TARGET_DIR="${TARGET_DIR:-target}"
cargo build --release -q -p taawun-core --example hundred_pages
EX="$TARGET_DIR/release/examples/hundred_pages"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$EX" "$WORK/taawun.pdf" "$WORK/source.txt"
echo "== Taawun: $(pdfinfo "$WORK/taawun.pdf" | awk '/^Pages/ {print $2}') pages"
hyperfine --warmup 2 --runs 10 -N "$EX $WORK/taawun.pdf" 2>&1 | grep -E "Time|Range"
/usr/bin/time -f "peak memory: %M KB" "$EX" "$WORK/taawun.pdf" 2>&1 | grep peak
python3 -c "import typst" 2>/dev/null || python3 -m pip install -q typst==0.15.* 2>/dev/null || python3 -m pip install -q --break-system-packages typst==0.15.*
echo "== Typst on the same text"
TMPDIR="$WORK" python3 "$(dirname "$0")/bench-typst.py" "$WORK/source.txt"
echo "pages: $(pdfinfo "$WORK/typst-hundred.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')"
