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
for f in "$WORK"/typst-hundred-*.pdf; do echo "$(basename "$f"): $(pdfinfo "$f" 2>/dev/null | awk '/^Pages/ {print $2}') pages"; done

echo "== taawun-cli dossier of a generated session of 100 points (whole process)"
CLI="$TARGET_DIR/release/taawun-cli"
cargo build --release -q -p taawun-core --bin taawun-cli
"$CLI" --db "$WORK/d.db" generate --partners 50 --agreements 200 --sessions 1 --points-per-session 100 > /dev/null
SID=$("$CLI" --db "$WORK/d.db" --json session list | python3 -c "import json,sys; print(json.load(sys.stdin)['items'][0]['id'])")
hyperfine --warmup 1 --runs 5 -N "$CLI --db $WORK/d.db dossier --session $SID -o $WORK/d.pdf" 2>&1 | grep -E "Time|Range"
/usr/bin/time -f "peak memory: %M KB" "$CLI" --db "$WORK/d.db" dossier --session "$SID" -o "$WORK/d.pdf" 2>&1 | grep -E "peak|pages"
echo "pages: $(pdfinfo "$WORK/d.pdf" | awk '/^Pages/ {print $2}')"

echo "== appending 50 scanned PDFs of 4 pages (200 pages) to one point"
python3 -c "import PIL" 2>/dev/null || python3 -m pip install -q pillow 2>/dev/null || python3 -m pip install -q --break-system-packages pillow
python3 - "$WORK/scans" <<'PY'
import os, sys, random
from PIL import Image
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
random.seed(7)
for i in range(50):
    pages = [Image.effect_noise((1240, 1754), 40 + i).convert("L") for _ in range(4)]
    pages[0].save(os.path.join(out, f"scan-{i:02}.pdf"), save_all=True, append_images=pages[1:], resolution=150, quality=70)
PY
du -sh "$WORK/scans"
POINT=$("$CLI" --db "$WORK/d.db" --json point list --session "$SID" | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['subject']['id'])")
"$CLI" --db "$WORK/d.db" attach --to "agreement:$POINT" "$WORK"/scans/*.pdf > /dev/null
hyperfine --warmup 1 --runs 5 -N "$CLI --db $WORK/d.db dossier --session $SID -o $WORK/d2.pdf" 2>&1 | grep -E "Time|Range"
echo "pages: $(pdfinfo "$WORK/d2.pdf" | awk '/^Pages/ {print $2}'), size $(du -h "$WORK/d2.pdf" | cut -f1)"
hyperfine --warmup 1 --runs 5 "cat $WORK/scans/*.pdf > $WORK/cat.bin" 2>&1 | grep -E "Time \(mean"
