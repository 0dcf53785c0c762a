#!/usr/bin/env bash
# The Windows installer checked from Linux (part of `make test-windows`, in its Wine prefix):
# unpacked by 7-Zip and listed; installed silently under Wine for the current user; its files, the
# PATH entry, the backup file type and the "Apps & features" entry read back from the registry;
# the installed CLI run through the PATH; uninstalled, and all of it gone but the council's data.
# Wine has no WebView2 runtime: the prefix is given WebView2's registry version first, so the
# installer takes it as present (a machine without it downloads Microsoft's bootstrapper; that
# path needs the Internet and is not run here).
set -euo pipefail
INSTALLER=$1
: "${WINEPREFIX:?run from tools/windows/test.sh}"
WINE=/usr/lib/wine/wine64
fail() { echo "installer check: $*" >&2; exit 1; }

echo "-- what the installer holds (7-Zip)"
listing=$(7zz l "$INSTALLER")
echo "$listing" | sed -n '/^---/,/^---/p'
for f in taawun.exe taawun-cli.exe WebView2Loader.dll uninstall.exe; do
    echo "$listing" | grep -qE " $f\$" || fail "$f is not in the installer"
done

reg_value() { # KEY VALUE: the data of a registry value, or nothing
    $WINE reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | awk -v v="$2" '$1 == v { $1 = ""; $2 = ""; sub(/^  */, ""); print }'
}
reg_default() { # KEY: its default value
    $WINE reg query "$1" /ve 2>/dev/null | tr -d '\r' | awk '/REG_SZ/ { sub(/.*REG_SZ[ \t]*/, ""); print }'
}

echo "-- installed silently for the current user"
$WINE reg add 'HKCU\Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' \
    /v pv /t REG_SZ /d 131.0.2903.112 /f >/dev/null 2>&1
$WINE reg add 'HKCU\Environment' /v Path /t REG_EXPAND_SZ /d 'C:\Tools\bin;C:\Program Files\Git\cmd' /f >/dev/null 2>&1
$WINE "$INSTALLER" /S
local_app=$(ls -d "$WINEPREFIX"/drive_c/users/*/AppData/Local | head -1)
dir="$local_app/Programs/Taawun"
for f in taawun.exe taawun-cli.exe WebView2Loader.dll uninstall.exe; do
    [ -f "$dir/$f" ] || fail "$f was not installed in $dir"
done
ls -l "$dir"
windir=$(reg_value 'HKCU\Software\Taawun' InstallDir)
[ -n "$windir" ] || fail "no install folder in HKCU\\Software\\Taawun"
path=$(reg_value 'HKCU\Environment' Path)
echo "PATH: $path"
[ "$path" = "C:\\Tools\\bin;C:\\Program Files\\Git\\cmd;$windir" ] || fail "the PATH is not the user's with the install folder added: $path"
[ "$(reg_default 'HKCU\Software\Classes\.taawun-backup')" = "Taawun.Backup" ] || fail ".taawun-backup is not Taawun's"
[ "$(reg_default 'HKCU\Software\Classes\.taawun')" = "Taawun.Backup" ] || fail ".taawun is not Taawun's"
open=$(reg_default 'HKCU\Software\Classes\Taawun.Backup\shell\open\command')
echo "a backup opens with: $open"
[ "$open" = "\"$windir\\taawun.exe\" \"%1\"" ] || fail "the backup's open command is $open"
name=$(reg_value 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Taawun' DisplayName)
echo "Apps & features: $name $(reg_value 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Taawun' DisplayVersion)"
[[ "$name" == Taawun* ]] || fail "no uninstall entry"
# reg.exe prints through the console's code page: the Arabic is read from an export (UTF-16).
exported=$(mktemp)
$WINE reg export 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Taawun' "$(winepath -w "$exported" 2>/dev/null)" /y >/dev/null 2>&1
iconv -f UTF-16 -t UTF-8 "$exported" | tr -d '\r' | grep -qxF '"DisplayName"="Taawun — تعاون"' \
    || fail "the uninstall entry is not named «Taawun — تعاون»: $(iconv -f UTF-16 -t UTF-8 "$exported" | grep DisplayName)"
rm -f "$exported"
[ -f "$(ls -d "$WINEPREFIX"/drive_c/users/*/AppData/Roaming | head -1)/Microsoft/Windows/Start Menu/Programs/Taawun.lnk" ] \
    || fail "no Start menu entry"

echo "-- the CLI through the PATH (a new session reads the user's environment)"
/usr/lib/wine/wineserver -k || true
/usr/lib/wine/wineserver -w || true
/usr/lib/wine/wineserver -p >/dev/null 2>&1 &
version=$($WINE cmd /c "taawun-cli --version" 2>/dev/null | tr -d '\r')
echo "$version"
[[ "$version" == "taawun-cli "* ]] || fail "taawun-cli is not on the PATH: $version"

echo "-- installed again over itself: the PATH entry is not doubled"
$WINE "$INSTALLER" /S
[ "$(reg_value 'HKCU\Environment' Path)" = "$path" ] || fail "a second install changed the PATH: $(reg_value 'HKCU\Environment' Path)"

echo "-- uninstalled: everything it wrote goes, the council's data stays"
data="$(ls -d "$WINEPREFIX"/drive_c/users/*/AppData/Roaming | head -1)/Taawun/taawun/data"
mkdir -p "$data" && echo "the council's records" > "$data/taawun.db"
# The uninstaller copies itself out of the folder and carries on from there: wait for it.
$WINE "$dir/uninstall.exe" /S
for _ in $(seq 60); do
    [ -e "$dir/taawun.exe" ] || [ -e "$dir/uninstall.exe" ] || break
    sleep 0.5
done
sleep 1
[ ! -e "$dir/taawun.exe" ] && [ ! -e "$dir/taawun-cli.exe" ] || fail "files left in $dir: $(ls "$dir")"
[ "$(reg_value 'HKCU\Environment' Path)" = 'C:\Tools\bin;C:\Program Files\Git\cmd' ] \
    || fail "the PATH is not as it was: $(reg_value 'HKCU\Environment' Path)"
[ -z "$(reg_default 'HKCU\Software\Classes\.taawun-backup')" ] || fail "the file type is left behind"
[ -z "$(reg_value 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Taawun' DisplayName)" ] || fail "the uninstall entry is left"
[ "$(cat "$data/taawun.db")" = "the council's records" ] || fail "the uninstaller touched the council's data"
rm -rf "$(dirname "$(dirname "$data")")"
echo "installer: listed, installed, on the PATH, file type and uninstall entry, uninstalled cleanly"
