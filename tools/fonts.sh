#!/usr/bin/env bash
# The shipped faces (assets/fonts), made from Debian 12's fonts-noto-core (20201225) with fontTools'
# pyftsubset:
# - TrueType hinting removed from every face. Hints serve only pixel grids: PDF viewers do not run
#   them, FreeType's light hinting (the Linux default) and macOS ignore them; Google ships Noto
#   unhinted too. A third off each face, in the PDFs, the CLI and the window.
# - The Arabic faces keep every glyph (glyph ids unchanged). Noto Sans, Taawun's Latin face, keeps
#   the scripts partners' names and French/English text are written in: Latin with all its
#   extensions and combining marks, Greek, Cyrillic, punctuation, currency, letterlike symbols,
#   number forms, arrows, mathematical operators, geometric shapes; polytonic Greek, the phonetic
#   extensions and the rarer Cyrillic extensions go (the window falls back on the system's fonts
#   for them; a PDF shows the missing-glyph box, as for any character no face has).
# Every layout feature is kept. Then tools/merge-fonts.py makes Taawun Naskh (Noto Naskh Arabic with
# the Latin of Noto Sans, the mirrored brackets' and the marks' glyphs, the lam-alef composites),
# the face of Arabic paragraphs in the PDFs. The outputs are committed; run this again only to take
# newer faces.
set -euo pipefail
cd "$(dirname "$0")/.."
src=/usr/share/fonts/truetype/noto
[ -d "$src" ] || { echo "install Debian's fonts-noto-core first" >&2; exit 1; }
python3 -m pip install --quiet 'fonttools==4.*' 'uharfbuzz==0.*'
latin='U+0000-052F,U+1E00-1EFF,U+2000-22FF,U+25A0-25FF,U+2C60-2C7F,U+A720-A7FF,U+FB00-FB06,U+FEFF,U+FFFC-FFFD'
for face in NotoNaskhArabic-Regular NotoNaskhArabic-Bold NotoSans-Regular NotoSans-Bold \
	NotoSansArabic-Regular NotoSansArabic-Bold; do
	case $face in
	NotoSans-*) keep=(--unicodes="$latin") ;;
	*) keep=(--glyphs='*' --unicodes='*') ;;
	esac
	python3 -m fontTools.subset "$src/$face.ttf" "${keep[@]}" --layout-features='*' \
		--notdef-outline --name-IDs='*' --name-languages='*' --no-hinting \
		--output-file="assets/fonts/$face.ttf"
done
python3 tools/merge-fonts.py
ls -l assets/fonts/*.ttf
