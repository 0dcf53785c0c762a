#!/usr/bin/env bash
# make test-windows: what was built for Windows, run under Wine in a throwaway prefix.
#  1. the installer: listed by 7-Zip, installed silently, its files, PATH entry, file type and
#     uninstall entry checked in the registry, then uninstalled (tools/windows/installer.sh);
#  2. the core's tests, built for x86_64-pc-windows-gnu and run by Wine through cargo; the tests
#     that call a Linux program (pdftotext, qpdf, hb-shape, a PostgreSQL server...) are skipped by
#     name, each with the program it needs (tools/windows/linux-tool-tests.txt), and counted;
#  3. the CLI of the installer through a council's day (tools/windows/cli-scenario.sh), its PDFs
#     read back on the Linux side with pdftotext.
# Wine 8 lacks bcryptprimitives.dll (ProcessPrng), which every Rust program since 1.78 imports: a
# stand-in built with mingw goes into the prefix (tools/windows/bcryptprimitives.c).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
tools/windows/deps.sh
. tools/windows/env.sh

WINEPREFIX=$(mktemp -d /tmp/taawun-wine.XXXXXX)
export WINEPREFIX
cleanup() {
    /usr/lib/wine/wineserver -k 2>/dev/null || true
    rm -rf "$WINEPREFIX"
}
trap cleanup EXIT
echo "== a throwaway Wine prefix: $WINEPREFIX"
/usr/lib/wine/wine64 wineboot --init >/dev/null 2>&1
/usr/lib/wine/wineserver -w
# One server for the whole run: left to itself it stops seconds after its last program, and a
# program starting just then is cut off ("recvmsg: Connection reset by peer", seen between two
# test programs).
/usr/lib/wine/wineserver -p >/dev/null 2>&1 &
HELPERS="$CARGO_TARGET_DIR/windows-helpers"
mkdir -p "$HELPERS"
x86_64-w64-mingw32-gcc -O2 -shared -o "$HELPERS/bcryptprimitives.dll" \
    tools/windows/bcryptprimitives.c tools/windows/bcryptprimitives.def -lbcrypt
cp "$HELPERS/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
x86_64-w64-mingw32-gcc -O2 -municode -o "$HELPERS/hold.exe" tools/windows/hold.c

echo "== 1. the installer"
tools/windows/installer.sh "$CARGO_TARGET_DIR/windows-installer"/Taawun_*_x64-setup.exe

echo "== 2. the core's tests under Wine"
skips=()
while IFS=$'\t' read -r name tool; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    skips+=(--skip "$name")
done < tools/windows/linux-tool-tests.txt
log="$CARGO_TARGET_DIR/windows-core-tests.log"
# Into a file, not a pipe: Wine's own background processes would hold a pipe open.
set +e
cargo test "${WIN_BUILD_STD[@]}" -p taawun-core --no-fail-fast -- --test-threads=1 --exact "${skips[@]}" >"$log" 2>&1
status=$?
set -e
cat "$log"
passed=$(grep -E '^test result' "$log" | sed -E 's/.* ([0-9]+) passed.*/\1/' | awk '{ s += $1 } END { print s + 0 }')
failed=$(grep -E '^test result' "$log" | sed -E 's/.* ([0-9]+) failed.*/\1/' | awk '{ s += $1 } END { print s + 0 }')
skipped=$(grep -cvE '^(#|$)' tools/windows/linux-tool-tests.txt)
echo "core tests under Wine: $passed passed, $failed failed, $skipped skipped for a Linux program:"
grep -vE '^(#|$)' tools/windows/linux-tool-tests.txt | awk -F'\t' '{ printf "  skipped %s (needs %s)\n", $1, $2 }'
[ "$status" = 0 ] || { echo "core tests under Wine failed (exit $status)"; exit 1; }

echo "== 3. the CLI through a council's day"
tools/windows/cli-scenario.sh "$WIN_OUT/release/taawun-cli.exe" "$HELPERS/hold.exe"
echo "make test-windows: passed"
