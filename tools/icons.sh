#!/usr/bin/env bash
# The app's icons at every size, from src-tauri/icons/icon.png (512 px): the bundler's own set
# (`tauri icon`: 32, 64, 128, 256 as 128@2x, .ico for Windows, .icns for macOS) and the other
# sizes of the freedesktop hicolor theme (16, 24, 48, 256) with ImageMagick. The outputs are
# committed; run this again only when icon.png changes.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --prefix tools/package --no-audit --no-fund
out=$(mktemp -d)
tools/package/node_modules/.bin/tauri icon src-tauri/icons/icon.png -o "$out"
cp "$out"/{32x32.png,64x64.png,128x128.png,128x128@2x.png,icon.ico,icon.icns} src-tauri/icons/
for s in 16 24 48 256; do convert src-tauri/icons/icon.png -resize "${s}x${s}" -strip "PNG32:src-tauri/icons/${s}x${s}.png"; done
rm -rf "$out"
