; Taawun's Windows installer, compiled by `make windows` (tools/windows/build.sh) with Debian's
; makensis. Tauri's bundler writes an NSIS installer too, but it first downloads its own plugin
; (nsis_tauri_utils.dll, pinned by hash, from GitHub) and that cannot be fetched here; this script
; does what the bundler's installer does for Taawun with NSIS's own plugins only (see
; docs/windows.md):
;
; - installs for the current user, no administrator rights, in %LOCALAPPDATA%\Programs\Taawun
;   (Tauri's default "currentUser" mode): the window (taawun.exe), the command line
;   (taawun-cli.exe, put on the user's PATH) and WebView2Loader.dll;
; - on a machine without the WebView2 runtime, downloads Microsoft's bootstrapper and runs it
;   silently, as Tauri's "downloadBootstrapper" mode does (same registry checks, same link);
; - a Start menu entry, the backup file type (.taawun-backup, .taawun: opened by the window, which
;   offers to restore it), an entry in "Apps & features" with its uninstaller;
; - Arabic, French and English, chosen by the system's language or at the start.
; The uninstaller removes what the installer wrote and never the council's data (%APPDATA%\Taawun).
;
; Defines given by the build: VERSION, BIN (the folder of the .exe files), ICON, OUT.

Unicode true
; A 64-bit installer (Taawun is built for x64 only), which Wine's 64-bit loader also runs.
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include MUI2.nsh
!include LogicLib.nsh
!include WinMessages.nsh
!include FileFunc.nsh
!include StrFunc.nsh
${StrStr}
${UnStrRep}

!define PRODUCT "Taawun"
!define PUBLISHER "Taawun"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Taawun"
!define WEBVIEW2APPGUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define BACKUP_CLASS "Taawun.Backup"

Name "Taawun"
Caption "$(caption)"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\Taawun"
InstallDirRegKey HKCU "Software\Taawun" "InstallDir"
BrandingText "Taawun ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "Taawun"
VIAddVersionKey /LANG=0 "FileDescription" "Taawun installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "Taawun contributors, AGPL-3.0-or-later"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_WINDOWTITLE "Taawun — تعاون"
!define MUI_LANGDLL_INFO "اختاروا لغة التثبيت · Choisissez la langue · Choose the language"
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "Software\Taawun"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_FINISHPAGE_RUN "$INSTDIR\taawun.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first is the default where the system's language is none of the three.
!insertmacro MUI_LANGUAGE "Arabic"
!insertmacro MUI_LANGUAGE "French"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString caption ${LANG_ARABIC} "تثبيت تعاون"
LangString caption ${LANG_FRENCH} "Installation de Taawun"
LangString caption ${LANG_ENGLISH} "Taawun Setup"
LangString backupType ${LANG_ARABIC} "نسخة احتياطية لتعاون"
LangString backupType ${LANG_FRENCH} "Sauvegarde Taawun"
LangString backupType ${LANG_ENGLISH} "Taawun backup"
LangString webview2Downloading ${LANG_ARABIC} "تنزيل WebView2 من Microsoft…"
LangString webview2Downloading ${LANG_FRENCH} "Téléchargement de WebView2 depuis Microsoft…"
LangString webview2Downloading ${LANG_ENGLISH} "Downloading WebView2 from Microsoft…"
LangString webview2Installing ${LANG_ARABIC} "تثبيت WebView2…"
LangString webview2Installing ${LANG_FRENCH} "Installation de WebView2…"
LangString webview2Installing ${LANG_ENGLISH} "Installing WebView2…"
LangString webview2Failed ${LANG_ARABIC} "تعذر تثبيت WebView2، وتحتاجه نافذة تعاون. صِلوا الحاسوب بالإنترنت وأعيدوا التثبيت، أو ثبتوا «Microsoft Edge WebView2 Runtime» ثم أعيدوا المحاولة."
LangString webview2Failed ${LANG_FRENCH} "WebView2, dont la fenêtre de Taawun a besoin, n'a pas pu être installé. Connectez l'ordinateur à Internet et relancez l'installation, ou installez « Microsoft Edge WebView2 Runtime » puis réessayez."
LangString webview2Failed ${LANG_ENGLISH} "WebView2, which Taawun's window needs, could not be installed. Connect the computer to the Internet and run the installer again, or install the Microsoft Edge WebView2 Runtime and try again."
LangString pathAdded ${LANG_ARABIC} "أضيف مجلد تعاون إلى PATH: يعمل الأمر taawun-cli في نافذة أوامر جديدة."
LangString pathAdded ${LANG_FRENCH} "Le dossier de Taawun est ajouté au PATH : la commande taawun-cli répond dans une nouvelle invite de commandes."
LangString pathAdded ${LANG_ENGLISH} "Taawun's folder was added to the PATH: taawun-cli answers in a new command prompt."
LangString pathTooLong ${LANG_ARABIC} "متغير PATH أطول مما يمكن للمثبت تعديله دون إتلافه، فلم يُمس: شغّلوا taawun-cli من مجلد التثبيت."
LangString pathTooLong ${LANG_FRENCH} "Le PATH est plus long que ce que l'installateur peut modifier sans l'abîmer ; il n'est pas touché : lancez taawun-cli depuis le dossier d'installation."
LangString pathTooLong ${LANG_ENGLISH} "The PATH is longer than the installer can change without damaging it; it was left alone: run taawun-cli from the install folder."
LangString dataKept ${LANG_ARABIC} "بيانات المجلس ونسخها الاحتياطية في $APPDATA\Taawun لم تُحذف."
LangString dataKept ${LANG_FRENCH} "Les données du conseil et leurs sauvegardes, dans $APPDATA\Taawun, sont gardées."
LangString dataKept ${LANG_ENGLISH} "The council's data and its backups, in $APPDATA\Taawun, are kept."

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

; The WebView2 runtime, as Tauri's installer checks for it (machine-wide, then per user) and, when
; it is missing, fetches Microsoft's bootstrapper and runs it silently.
Section "WebView2" SecWebView2
  ReadRegStr $4 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2APPGUID}" "pv"
  ${If} $4 == ""
    ReadRegStr $4 HKCU "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2APPGUID}" "pv"
  ${EndIf}
  ${If} $4 == ""
  ${OrIf} $4 == "0.0.0.0"
    DetailPrint "$(webview2Downloading)"
    Delete "$TEMP\MicrosoftEdgeWebview2Setup.exe"
    NSISdl::download "https://go.microsoft.com/fwlink/p/?LinkId=2124703" "$TEMP\MicrosoftEdgeWebview2Setup.exe"
    Pop $0
    ${If} $0 != "success"
      DetailPrint "$0"
      MessageBox MB_ICONSTOP "$(webview2Failed)" /SD IDOK
      Abort "$(webview2Failed)"
    ${EndIf}
    DetailPrint "$(webview2Installing)"
    ExecWait '"$TEMP\MicrosoftEdgeWebview2Setup.exe" /silent /install' $1
    Delete "$TEMP\MicrosoftEdgeWebview2Setup.exe"
    ${If} $1 <> 0
      MessageBox MB_ICONSTOP "$(webview2Failed)" /SD IDOK
      Abort "$(webview2Failed)"
    ${EndIf}
  ${EndIf}
SectionEnd

Section "Taawun" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; A file the running window holds is reported by NSIS itself (Retry once it is closed).
  File "${BIN}\taawun.exe"
  File "${BIN}\taawun-cli.exe"
  File /nonfatal "${BIN}\WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "Software\Taawun" "InstallDir" "$INSTDIR"

  CreateShortCut "$SMPROGRAMS\Taawun.lnk" "$INSTDIR\taawun.exe" "" "$INSTDIR\taawun.exe" 0

  ; The backup file type: a double-click opens the window, which offers to restore it.
  WriteRegStr HKCU "Software\Classes\.taawun-backup" "" "${BACKUP_CLASS}"
  WriteRegStr HKCU "Software\Classes\.taawun" "" "${BACKUP_CLASS}"
  WriteRegStr HKCU "Software\Classes\${BACKUP_CLASS}" "" "$(backupType)"
  WriteRegStr HKCU "Software\Classes\${BACKUP_CLASS}\DefaultIcon" "" "$INSTDIR\taawun.exe,0"
  WriteRegStr HKCU "Software\Classes\${BACKUP_CLASS}\shell\open\command" "" '"$INSTDIR\taawun.exe" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  Call AddToPath

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "Taawun — تعاون"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\taawun.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

; Puts the install folder on the user's PATH (HKCU\Environment), once. NSIS strings hold
; NSIS_MAX_STRLEN characters: a PATH that long is left alone rather than written back cut.
Function AddToPath
  ReadRegStr $0 HKCU "Environment" "Path"
  StrLen $1 $0
  StrLen $2 $INSTDIR
  IntOp $1 $1 + $2
  IntOp $1 $1 + 2
  ${If} $1 >= ${NSIS_MAX_STRLEN}
    DetailPrint "$(pathTooLong)"
    Return
  ${EndIf}
  ${StrStr} $3 ";$0;" ";$INSTDIR;"
  ${If} $3 != ""
    Return
  ${EndIf}
  ${If} $0 == ""
    WriteRegExpandStr HKCU "Environment" "Path" "$INSTDIR"
  ${Else}
    WriteRegExpandStr HKCU "Environment" "Path" "$0;$INSTDIR"
  ${EndIf}
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  DetailPrint "$(pathAdded)"
FunctionEnd

; Takes the install folder off the user's PATH, leaving every other entry as it was.
Function un.RemoveFromPath
  ReadRegStr $0 HKCU "Environment" "Path"
  StrLen $1 $0
  ${If} $1 >= ${NSIS_MAX_STRLEN}
    Return
  ${EndIf}
  ${UnStrRep} $2 ";$0;" ";$INSTDIR;" ";"
  ${If} $2 == ";$0;"
    Return
  ${EndIf}
  ; Trim the separators added around it.
  StrCpy $2 $2 "" 1
  StrCpy $2 $2 -1
  ${If} $2 == ""
    DeleteRegValue HKCU "Environment" "Path"
  ${Else}
    WriteRegExpandStr HKCU "Environment" "Path" "$2"
  ${EndIf}
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
FunctionEnd

Section "Uninstall"
  Delete "$INSTDIR\taawun.exe"
  Delete "$INSTDIR\taawun-cli.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Taawun.lnk"
  ReadRegStr $0 HKCU "Software\Classes\.taawun-backup" ""
  ${If} $0 == "${BACKUP_CLASS}"
    DeleteRegKey HKCU "Software\Classes\.taawun-backup"
  ${EndIf}
  ReadRegStr $0 HKCU "Software\Classes\.taawun" ""
  ${If} $0 == "${BACKUP_CLASS}"
    DeleteRegKey HKCU "Software\Classes\.taawun"
  ${EndIf}
  DeleteRegKey HKCU "Software\Classes\${BACKUP_CLASS}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  Call un.RemoveFromPath
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\Taawun"
  DetailPrint "$(dataKept)"
SectionEnd
