#!/usr/bin/env bash
# What the Windows build and its tests need from Debian (bookworm + bookworm-security): Rust 1.96
# with the standard library's source (rustup cannot fetch a Windows std here), mingw-w64, Wine,
# NSIS and 7-Zip. Installed when missing, as the other targets install theirs.
set -euo pipefail
PKGS="rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine64 wine nsis 7zip"
missing=$(for p in $PKGS; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done)
if [ -n "$missing" ]; then
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    echo "Installing Debian packages: $missing"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# bookworm itself has Rust 1.85 (too old for the workspace); bookworm-security has 1.96.
version=$(/usr/bin/rustc --version | awk '{ print $2 }')
if [ "$(printf '%s\n1.89.0\n' "$version" | sort -V | head -1)" != "1.89.0" ]; then
    echo "Debian's rustc is $version; the Windows build needs 1.89 or later (rustc-web from bookworm-security: add it to the apt sources)" >&2
    exit 1
fi
