#!/usr/bin/env bash
# Checks the built .deb as a user's machine would see it: unpacked into a scratch root (as
# `dpkg -i` would lay it out, without touching this machine), its dependencies, its desktop entry
# in three languages, its icons, the backup file type and the CLI on the PATH.
set -euo pipefail
bundle_dir=$1 root=$2
deb=$(ls "$bundle_dir"/deb/*.deb | head -n 1)
fail() { echo "package-test: $*" >&2; exit 1; }
rm -rf "$root" && mkdir -p "$root"
dpkg-deb -x "$deb" "$root"
depends=$(dpkg-deb -f "$deb" Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0; do
  [[ $depends == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done
[ -x "$root/usr/bin/taawun" ] || fail "no /usr/bin/taawun"
[ -x "$root/usr/bin/taawun-cli" ] || fail "no /usr/bin/taawun-cli"
"$root/usr/bin/taawun-cli" --version | grep -q taawun-cli || fail "taawun-cli does not run"
desktop="$root/usr/share/applications/Taawun.desktop"
[ -f "$desktop" ] || fail "no desktop entry"
for key in 'Name[ar]=تعاون' 'Name[fr]=Taawun' 'Exec=taawun %f' 'MimeType=application/x-taawun-backup;' 'Icon=taawun'; do
  grep -qF "$key" "$desktop" || fail "desktop entry lacks $key"
done
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$desktop"; fi
for size in 16x16 24x24 32x32 48x48 64x64 128x128 256x256 512x512; do
  [ -f "$root/usr/share/icons/hicolor/$size/apps/taawun.png" ] || fail "no $size icon"
done
grep -q 'glob pattern="\*.taawun-backup"' "$root/usr/share/mime/packages/taawun-backup.xml" || fail "no backup file type"
rpm=$(ls "$bundle_dir"/rpm/*.rpm 2>/dev/null | head -n 1 || true)
[ -n "$rpm" ] || fail "no .rpm"
echo "package-test: $(basename "$deb") ($(du -h "$deb" | cut -f1)), $(basename "$rpm") ($(du -h "$rpm" | cut -f1)): contents as expected"
