# The environment of every Windows build and test (sourced by tools/windows/*.sh).
# Debian's rustc-web/cargo-web 1.96 build the standard library for x86_64-pc-windows-gnu from
# rust-web-src (-Zbuild-std; rustup cannot download a Windows std here), mingw-w64 compiles the
# C (bundled SQLite) and links; Wine runs what was built. See docs/windows.md.

# /usr/bin first: Debian's cargo and rustc are a matching pair with the std source.
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
export RUSTC=/usr/bin/rustc
export CARGO=/usr/bin/cargo
# Lets the stable cargo take -Zbuild-std.
export RUSTC_BOOTSTRAP=1
unset RUSTFLAGS RUSTDOCFLAGS
export CARGO_TERM_COLOR=never
# The tests' build without debug information: thirty test programs with it take 16 GB and link
# slowly; a failing assertion still says its file and line.
export CARGO_PROFILE_DEV_DEBUG=0
# The Windows build folder, apart from the Linux one (a different compiler: nothing is shared).
export CARGO_TARGET_DIR="${TAAWUN_WINDOWS_TARGET_DIR:-/var/tmp/taawun-windows-target}"
WIN_TRIPLE=x86_64-pc-windows-gnu
WIN_BUILD_STD=(-Zbuild-std=std,panic_abort --target "$WIN_TRIPLE")
WIN_OUT="$CARGO_TARGET_DIR/$WIN_TRIPLE"
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
export CXX_x86_64_pc_windows_gnu=x86_64-w64-mingw32-g++
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=/usr/lib/wine/wine64
export WINEARCH=win64
export WINEDEBUG=-all
