#!/usr/bin/env bash
# Whole-process figures for `make bench`: `taawun-cli list agreements` on the 100,000-agreement
# benchmark database, `taawun-cli due` over 1,000 sessions / 10,000 deliberations and `taawun-cli import`
# of 10,000- and 100,000-row XLSX registries (hyperfine), release binary sizes, and the app's resident memory with the
# sample records open (under Xvfb, summed over the app and its WebKit processes).
set -euo pipefail
TARGET_DIR="${TARGET_DIR:-target}"
CLI="$TARGET_DIR/release/taawun-cli"
APP="$TARGET_DIR/release/taawun"
DB=$(ls "$TARGET_DIR"/bench-data/agreements-100000-schema*.db | tail -n 1)
command -v hyperfine >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq hyperfine >/dev/null || sudo apt-get install -y -qq hyperfine >/dev/null; }

echo "== taawun-cli list agreements on $(basename "$DB") (whole process)"
hyperfine --warmup 3 --runs 30 -N \
  "$CLI --db $DB list agreements" \
  "$CLI --db $DB list agreements --status signed --sort signed_on --desc" \
  "$CLI --db $DB list agreements --country FR --year 2018" 2>&1 | grep -E "Benchmark|Time|Range"

echo "== taawun-cli due over 1,000 sessions and 10,000 deliberations (whole process)"
DUE_DB="$TARGET_DIR/bench-data/sessions-1000.db"
if [ ! -f "$DUE_DB" ]; then
  rm -f "$DUE_DB.tmp"
  "$CLI" --db "$DUE_DB.tmp" generate --partners 500 --agreements 5000 --sessions 1000 --points-per-session 10 > /dev/null
  mv "$DUE_DB.tmp" "$DUE_DB"; rm -f "$DUE_DB.tmp-wal" "$DUE_DB.tmp-shm"
fi
hyperfine --warmup 3 --runs 30 -N "$CLI --db $DUE_DB due --at 2026-11-30" "$CLI --db $DUE_DB --json due --at 2026-11-30" 2>&1 | grep -E "Benchmark|Time|Range"

echo "== taawun-cli import of a council registry XLSX into 200 partners (whole process)"
IMPORT_DIR="$TARGET_DIR/bench-data/import"
mkdir -p "$IMPORT_DIR"
if [ ! -f "$IMPORT_DIR/base.db" ]; then
  "$CLI" --db "$IMPORT_DIR/base.db.tmp" generate --partners 200 --agreements 0 > /dev/null
  "$CLI" --db "$IMPORT_DIR/base.db.tmp" list partners > /dev/null  # checkpoints the WAL on close
  mv "$IMPORT_DIR/base.db.tmp" "$IMPORT_DIR/base.db"; rm -f "$IMPORT_DIR/base.db.tmp-wal" "$IMPORT_DIR/base.db.tmp-shm"
fi
for rows in 10000 100000; do
  [ -f "$IMPORT_DIR/registry-$rows.xlsx" ] || "$TARGET_DIR/release/examples/registry_xlsx" "$IMPORT_DIR/base.db" $rows "$IMPORT_DIR/registry-$rows.xlsx"
done
hyperfine --warmup 1 --runs 10 -N \
  --prepare "cp $IMPORT_DIR/base.db $IMPORT_DIR/run.db" \
  "$CLI --db $IMPORT_DIR/run.db import $IMPORT_DIR/registry-10000.xlsx" 2>&1 | grep -E "Benchmark|Time|Range"
hyperfine --warmup 1 --runs 5 -N \
  --prepare "cp $IMPORT_DIR/base.db $IMPORT_DIR/run.db" \
  "$CLI --db $IMPORT_DIR/run.db import $IMPORT_DIR/registry-100000.xlsx --dry-run" \
  "$CLI --db $IMPORT_DIR/run.db import $IMPORT_DIR/registry-100000.xlsx" 2>&1 | grep -E "Benchmark|Time|Range"
cp "$IMPORT_DIR/base.db" "$IMPORT_DIR/run.db"; rm -f "$IMPORT_DIR/run.db-wal" "$IMPORT_DIR/run.db-shm"
/usr/bin/time -f "peak RSS previewing 100,000 rows: %M KB" "$CLI" --db "$IMPORT_DIR/run.db" import "$IMPORT_DIR/registry-100000.xlsx" --dry-run > /dev/null
/usr/bin/time -f "peak RSS importing 100,000 rows: %M KB" "$CLI" --db "$IMPORT_DIR/run.db" import "$IMPORT_DIR/registry-100000.xlsx" > /dev/null
ls -l "$IMPORT_DIR/registry-100000.xlsx" | awk '{printf "registry-100000.xlsx: %.1f MB on disk\n", $5/1048576}'
echo "== the first search after importing 100,000 rows (whole process; the index follows in the import's transaction)"
cp "$IMPORT_DIR/base.db" "$IMPORT_DIR/run.db"; rm -f "$IMPORT_DIR/run.db-wal" "$IMPORT_DIR/run.db-shm"
"$CLI" --db "$IMPORT_DIR/run.db" import "$IMPORT_DIR/registry-100000.xlsx" > /dev/null
/usr/bin/time -f "first search: %e s, %M KB" "$CLI" --db "$IMPORT_DIR/run.db" search "شراكة" > /dev/null
echo "== hostile workbooks refused (whole process: time and peak memory)"
HOSTILE="$TARGET_DIR/bench-data/hostile"
mkdir -p "$HOSTILE"
python3 - "$HOSTILE" <<'PY'
import sys, zipfile
d = sys.argv[1]
ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
wb = f'<workbook xmlns="{ns}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
rels = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
with zipfile.ZipFile(f"{d}/bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("xl/workbook.xml", wb)
    z.writestr("xl/_rels/workbook.xml.rels", rels)
    with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
        f.write(f'<worksheet xmlns="{ns}"><sheetData>'.encode())
        chunk = b" " * (1 << 20)
        for _ in range(4096):
            f.write(chunk)
        f.write(b"</sheetData></worksheet>")
c = ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row>'
     '<table:table-cell table:number-columns-repeated="999999999" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
with zipfile.ZipFile(f"{d}/repeat.ods", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
    z.writestr("content.xml", c)
PY
for f in bomb.xlsx repeat.ods; do
  ls -l "$HOSTILE/$f" | awk '{printf "%s: %.1f KB on disk; ", $9, $5/1024}'
  /usr/bin/time -f "refused in %e s, peak %M KB" "$CLI" --db "$IMPORT_DIR/run.db" import "$HOSTILE/$f" --kind agreement > /dev/null 2>/tmp/taawun-hostile.err || true
  tail -n 1 /tmp/taawun-hostile.err
done

echo "== release binary sizes"
ls -l "$APP" "$CLI" | awk '{printf "%-60s %6.1f MB\n", $9, $5/1048576}'

echo "== resident memory of the app with the sample records open"
tmp=$(mktemp -d)
XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache \
  xvfb-run -a -s "-screen 0 1280x800x24" bash -c "
    '$APP' & app=\$!
    sleep 10
    total=0
    for pid in \$app \$(pgrep -P \$app); do
      rss=\$(awk '/VmRSS/ {print \$2}' /proc/\$pid/status 2>/dev/null || echo 0)
      printf '%-28s %8d KB\n' \"\$(cat /proc/\$pid/comm 2>/dev/null)\" \"\$rss\"
      total=\$((total + rss))
    done
    echo \"total                        \$total KB\"
    kill \$app" 2>/dev/null
rm -rf "$tmp"
