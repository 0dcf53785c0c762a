#!/usr/bin/env bash
# taawun-cli.exe through a council's day under Wine (part of `make test-windows`): the default
# data folder under %APPDATA%, a data folder whose path holds Arabic and spaces, printing with the
# PDF read back on the Linux side (pdftotext), a PDF held open by a viewer, a backup verified and
# restored, a registry with BOM and CRLF imported, a list exported, the calendar, a closed pipe,
# and a full disk.
set -euo pipefail
CLI=$1
HOLD=$2
: "${WINEPREFIX:?run from tools/windows/test.sh}"
WINE=/usr/lib/wine/wine64
fail() { echo "CLI scenario: $*" >&2; exit 1; }
win() { winepath -w "$1" 2>/dev/null; }
cli() { $WINE "$CLI" "$@"; }
step() { echo "-- $*"; }

work=$(mktemp -d /tmp/taawun-cli-scenario.XXXXXX)
trap 'rm -rf "$work"' EXIT
data="$work/مجلس عمالة الرباط/التعاون الدولي 2026"
mkdir -p "$data"
DB=$(win "$data/taawun.db")

step "version"
cli --version | tr -d '\r' | grep -qx "taawun-cli [0-9.]*" || fail "no version"

step "the default data folder is under %APPDATA%"
cli sample >/dev/null
default_db=$(ls "$WINEPREFIX"/drive_c/users/*/AppData/Roaming/Taawun/taawun/data/taawun.db) || fail "no database under %APPDATA%"
echo "   $default_db"

step "a data folder with Arabic and spaces in its path"
cli --db "$DB" sample >/dev/null
agreements=$(cli --db "$DB" --json list agreement --all | tr -d '\r' | grep -c '"direction":' || true)
[ "$agreements" -gt 0 ] || fail "no agreement listed"
cli --db "$DB" --json search باماكو | tr -d '\r' | grep -q '"label": "اتفاقية شراكة وتعاون مع الجماعة الثالثة لباماكو' \
    || fail "search found no Bamako"

step "a closed pipe ends the command quietly"
set +e
cli --db "$DB" --json list agreement | head -1 >/dev/null
status=${PIPESTATUS[0]}
set -e
[ "$status" = 0 ] || fail "| head -1 made the CLI exit $status"

step "the fact sheet printed and read back on Linux"
sheet="$work/بطاقة اتفاقية باماكو.pdf"
cli --db "$DB" sheet --agreement 1 --lang ar -o "$(win "$sheet")" >/dev/null
pdftotext "$sheet" - | grep -q "اتفاقية" || fail "the Arabic sheet does not read back as Arabic"
before=$(sha256sum "$sheet" | cut -d' ' -f1)

step "printing over a PDF a viewer holds open"
coproc HOLDER { $WINE "$HOLD" "$(win "$sheet")" 30; }
read -r -t 30 line <&"${HOLDER[0]}" || fail "the viewer stand-in did not open the file"
set +e
err=$(cli --db "$DB" --lang fr sheet --agreement 1 --lang ar -o "$(win "$sheet")" 2>&1 >/dev/null)
status=$?
set -e
kill "$HOLDER_PID" 2>/dev/null || true
wait "$HOLDER_PID" 2>/dev/null || true
echo "   $err"
[ "$status" != 0 ] || fail "a sheet was written over a file held open"
[[ "$err" == *"بطاقة اتفاقية باماكو.pdf"* && "$err" == *"autre programme"* ]] || fail "the error does not name the file and say why: $err"
[[ "$err" != *"os error"* ]] || fail "a raw system error: $err"
[ "$(sha256sum "$sheet" | cut -d' ' -f1)" = "$before" ] || fail "the held file changed"

step "a backup, checked and restored into a new folder"
backup="$work/نسخ احتياطية/تعاون 2026-12-07.taawun-backup"
mkdir -p "$(dirname "$backup")"
cli --db "$DB" backup -o "$(win "$backup")" >/dev/null
cli backup verify "$(win "$backup")" >/dev/null
restored="$work/حاسوب آخر"
mkdir -p "$restored"
cli --db "$(win "$restored/taawun.db")" restore "$(win "$backup")" >/dev/null
again=$(cli --db "$(win "$restored/taawun.db")" --json list agreement --all | tr -d '\r' | grep -c '"direction":' || true)
[ "$again" = "$agreements" ] || fail "restored $again agreements of $agreements"

step "a registry saved by Excel (BOM, CRLF, Arabic file name) imported"
csv="$work/شركاء جدد.csv"
printf '\xef\xbb\xbfname_ar,name_latin,country\r\nمدينة ليون,Ville de Lyon,FR\r\nبلدية أوترخت,Gemeente Utrecht,NL\r\n' > "$csv"
cli --db "$DB" import --kind partner "$(win "$csv")" >/dev/null
cli --db "$DB" --json list partner --q Lyon | tr -d '\r' | grep -q '"name_latin": "Ville de Lyon"' || fail "the imported partner is not as typed"

step "a list exported (CSV with CRLF) and the calendar"
cli --db "$DB" export agreement --format csv -o "$(win "$work/الاتفاقيات.csv")" >/dev/null
head -1 "$work/الاتفاقيات.csv" | grep -q $'\r$' || fail "the CSV lines do not end with CRLF"
cli --db "$DB" calendar -o "$(win "$work/التقويم.ics")" >/dev/null
head -1 "$work/التقويم.ics" | grep -q "BEGIN:VCALENDAR" || fail "no calendar"

step "a full disk"
full="$work/full"
mkdir -p "$full"
if mount -t tmpfs -o size=2m tmpfs "$full" 2>/dev/null; then
    dd if=/dev/zero of="$full/filler" bs=64k 2>/dev/null || true
    set +e
    out=$(cli --db "$DB" --json sheet --agreement 1 --lang ar -o "$(win "$full/sheet.pdf")" 2>/dev/null | tr -d '\r')
    set -e
    umount "$full"
    echo "   $out" | head -3
    [[ "$out" == *disk_full* ]] || fail "a full disk is not said as such: $out"
else
    echo "   skipped: mounting a 2 MB tmpfs needs root (mount)"
fi
echo "CLI scenario under Wine: passed"
