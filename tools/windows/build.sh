#!/usr/bin/env bash
# make windows: taawun.exe and taawun-cli.exe for x86_64-pc-windows-gnu, and the installer of
# the window (src-tauri/packaging/windows/taawun.nsi, compiled by Debian's makensis), in
# $TAAWUN_WINDOWS_TARGET_DIR (default /var/tmp/taawun-windows-target). See docs/windows.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
tools/windows/deps.sh
. tools/windows/env.sh

# The release profile of every target (opt-level z, fat LTO), the window with its assets
# embedded (custom-protocol, as `make run` builds it). Both binaries in one cargo run: the core is
# built once.
cargo build --release "${WIN_BUILD_STD[@]}" -p taawun-core -p taawun --bin taawun-cli --bin taawun \
    --features taawun/custom-protocol
BIN="$WIN_OUT/release"
# The gnu target links WebView2's loader as a DLL beside the window (webview2-com-sys).
loader=$(find "$WIN_OUT/release/build" -path '*x64/WebView2Loader.dll' -print -quit 2>/dev/null || true)
if [ -n "$loader" ]; then
    cp "$loader" "$BIN/WebView2Loader.dll"
fi

VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
OUT_DIR="$CARGO_TARGET_DIR/windows-installer"
mkdir -p "$OUT_DIR"
INSTALLER="$OUT_DIR/Taawun_${VERSION}_x64-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 \
    "-DVERSION=$VERSION" "-DBIN=$BIN" "-DICON=$ROOT/src-tauri/icons/icon.ico" "-DOUT=$INSTALLER" \
    src-tauri/packaging/windows/taawun.nsi
ls -l "$BIN/taawun.exe" "$BIN/taawun-cli.exe" "$INSTALLER"
