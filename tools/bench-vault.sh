#!/usr/bin/env bash
# Vault figures for `make bench`: attaching 1 GiB of scans against `sha256sum` then `cp` of the
# same files on the same disk, `verify` of that vault against `sha256sum` over its files, and the
# one-file backup of it against copying the same files.
# Each is run 3 times after a warm-up; the page cache is warm for both sides alike.
set -euo pipefail
TARGET_DIR="${TARGET_DIR:-target}"
CLI="$(realpath "$TARGET_DIR/release/taawun-cli")"
WORK="$(realpath "$TARGET_DIR")/bench-vault"
rm -rf "$WORK"; mkdir -p "$WORK/scans"
# 1 GiB of mixed "scans": 24 files of 32 MiB and 64 of 4 MiB, incompressible content.
for i in $(seq 1 24); do head -c $((32 * 1024 * 1024)) /dev/urandom > "$WORK/scans/scan-$i.pdf"; done
for i in $(seq 1 64); do head -c $((4 * 1024 * 1024)) /dev/urandom > "$WORK/scans/photo-$i.jpg"; done
du -sh "$WORK/scans"

best() { sort -n | head -n 1; }
run() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); python3 -c "print(round($t1 - $t0, 3))"; }
pct() { python3 -c "print(round(100 * $1 / $2))"; }

baseline() { rm -rf "$WORK/copy"; mkdir "$WORK/copy"; sha256sum "$WORK"/scans/* > /dev/null; cp "$WORK"/scans/* "$WORK/copy/"; sync -f "$WORK/copy"; }
attach() { rm -rf "$WORK/db"; mkdir "$WORK/db"; "$CLI" --db "$WORK/db/t.db" sample > /dev/null; "$CLI" --db "$WORK/db/t.db" attach --to agreement:1 "$WORK"/scans/*; }

baseline; attach > /dev/null
B=$(for r in 1 2 3; do run baseline; done | best)
A=$(for r in 1 2 3; do run attach; done | best)
echo "attach 1 GiB: taawun ${A}s, sha256sum+cp ${B}s => $(pct "$B" "$A")% of the baseline's throughput"
V=$(for r in 1 2 3; do run "$CLI" --db "$WORK/db/t.db" verify; done | best)
S=$(for r in 1 2 3; do run bash -c "sha256sum $WORK/db/vault/sha256/*/* > /dev/null"; done | best)
echo "verify 1 GiB: taawun ${V}s, sha256sum ${S}s => $(pct "$S" "$V")% of the baseline's throughput"
/usr/bin/time -f "peak memory of attach: %M KB" "$CLI" --db "$WORK/db/t.db" attach --to agreement:2 "$WORK"/scans/scan-1.pdf > /dev/null
# The one-file backup of that vault against copying the same files (and syncing them).
copy() { rm -rf "$WORK/copy"; mkdir "$WORK/copy"; cp -r "$WORK/db/vault" "$WORK/db/t.db" "$WORK/copy/"; sync -f "$WORK/copy"; }
backup() { rm -f "$WORK/b.taawun"; "$CLI" --db "$WORK/db/t.db" backup -o "$WORK/b.taawun" "$@"; }
copy; backup > /dev/null
C=$(for r in 1 2 3; do run copy; done | best)
K=$(for r in 1 2 3; do run backup --no-verify; done | best)
V=$(for r in 1 2 3; do run backup; done | best)
echo "backup of the 1 GiB vault: taawun ${K}s (${V}s with the read-back check), cp + sync ${C}s => $(python3 -c "print(round($K / $C, 2))")x the copy ($(python3 -c "print(round($V / $C, 2))")x with the check)"
rm -rf "$WORK"
