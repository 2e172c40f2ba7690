; 工会通 setup.exe (NSIS 3, built on Linux by installer/build-windows).
; Per-user install into the user's programs folder by default (no administrator rights);
; all users (Program Files) as an option on the 安装方式 page or with /AllUsers.
; Silent: setup.exe /S [/AllUsers] ; uninstall: uninstall.exe /S
; The program's files go to $INSTDIR\app.new first and replace $INSTDIR\app only when
; complete, so an interrupted install leaves the previous version working; a copy that
; is running is detected and the install stops with a message instead.
; Data (%LOCALAPPDATA%\UnionsDesk) is never touched by install, upgrade or uninstall.

Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
SetCompressorDictSize 64
ManifestSupportedOS Win10
ManifestDPIAware true

!ifndef VERSION
  !error "makensis -DVERSION=x.y.z -DPAYLOAD=dir -DOUTFILE=file"
!endif

!define APPNAME "工会通"
!define APPID "UnionsDesk"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define MIN_BUILD 18362 ; Windows 10 version 1903

!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER
!define MULTIUSER_INSTALLMODE_INSTDIR "${APPID}"
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${UNINSTKEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallLocation"
!include MultiUser.nsh
!include MUI2.nsh
!include LogicLib.nsh
!include WinVer.nsh
!include x64.nsh
!include FileFunc.nsh

Name "${APPNAME}"
OutFile "${OUTFILE}"
BrandingText "${APPNAME} ${VERSION}"
VIProductVersion "${VIVERSION}"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME} UnionsDesk"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "UnionsDesk"

!define MUI_ICON "${PAYLOAD}\app\unionsdesk.ico"
!define MUI_UNICON "${PAYLOAD}\app\unionsdesk.ico"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${APPNAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${APPNAME}是县级总工会及基层工会的业务管理程序，完全离线使用。$\r$\n$\r$\n系统要求：64 位 Windows 10（1903 版或更新）或 Windows 11。$\r$\n$\r$\n默认只为当前用户安装，不需要管理员权限。已有的数据保存在用户数据文件夹中，安装、升级和卸载都不会删除数据。$\r$\n$\r$\n安装前请先退出正在运行的${APPNAME}。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\app\python\pythonw.exe"
!define MUI_FINISHPAGE_RUN_PARAMETERS "-m unionsdesk"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开${APPNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function CheckSystem
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APPNAME}需要 64 位的 Windows 10（1903 版或更新）或 Windows 11，本机是 32 位系统，无法安装。" /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
  ${WinVerGetBuild} $0
  ${IfNot} ${AtLeastWin10}
  ${OrIf} $0 < ${MIN_BUILD}
    MessageBox MB_ICONSTOP "${APPNAME}需要 Windows 10 1903 版（内部版本 ${MIN_BUILD}）或更新的 64 位 Windows，本机的 Windows 版本过旧（内部版本 $0），无法安装。" /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
FunctionEnd

Function .onInit
  Call CheckSystem
  SetRegView 64
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

; A running copy holds python312.dll open: it cannot be opened for writing.
!macro RefuseIfRunning UN
Function ${UN}RefuseIfRunning
  ${If} ${FileExists} "$INSTDIR\app\python\${PYDLL}"
  retry:
    ClearErrors
    FileOpen $0 "$INSTDIR\app\python\${PYDLL}" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APPNAME}正在运行。请先退出${APPNAME}（所有窗口），然后点“重试”。$\r$\n点“取消”则不做任何改动。" /SD IDCANCEL IDRETRY retry
      SetErrorLevel 4
      Abort "${APPNAME}正在运行，未做任何改动。"
    ${EndIf}
    FileClose $0
  ${EndIf}
FunctionEnd
!macroend
!insertmacro RefuseIfRunning ""
!insertmacro RefuseIfRunning "un."

Section "${APPNAME}" Main
  SectionIn RO
  Call RefuseIfRunning
  ; 1. the new version beside the old one
  RMDir /r "$INSTDIR\app.new"
  SetOutPath "$INSTDIR\app.new"
  File /r "${PAYLOAD}\app\*"
  DetailPrint "正在编译 Python 文件……"
  nsExec::ExecToLog '"$INSTDIR\app.new\python\python.exe" -I -m compileall -q -j 0 "$INSTDIR\app.new\python\Lib\site-packages"'
  Pop $0
  ; SetOutPath made app.new the current directory: leave it, or Windows refuses to rename it
  SetOutPath "$INSTDIR"
  ; 2. swap: only a complete new version replaces the old one
  RMDir /r "$INSTDIR\app.old"
  ${If} ${FileExists} "$INSTDIR\app\*.*"
    ClearErrors
    Rename "$INSTDIR\app" "$INSTDIR\app.old"
    ${If} ${Errors}
      RMDir /r "$INSTDIR\app.new"
      SetErrorLevel 4
      Abort "无法替换旧版本（${APPNAME}可能正在运行），旧版本保持不变。"
    ${EndIf}
  ${EndIf}
  ClearErrors
  Rename "$INSTDIR\app.new" "$INSTDIR\app"
  ${If} ${Errors}
    Rename "$INSTDIR\app.old" "$INSTDIR\app"
    RMDir /r "$INSTDIR\app.new"
    SetErrorLevel 4
    Abort "无法完成安装（新版本文件无法就位），旧版本保持不变。"
  ${EndIf}
  RMDir /r "$INSTDIR\app.old"

  ; 3. shortcuts (pythonw.exe: no console window)
  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\app\python\pythonw.exe" "-m unionsdesk" "$INSTDIR\app\unionsdesk.ico" 0 SW_SHOWNORMAL "" "${APPNAME}：县级总工会业务管理"
  CreateShortCut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\app\python\pythonw.exe" "-m unionsdesk" "$INSTDIR\app\unionsdesk.ico" 0 SW_SHOWNORMAL "" "${APPNAME}：县级总工会业务管理"

  ; 4. 应用和功能
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTKEY}" "Publisher" "UnionsDesk"
  WriteRegStr SHCTX "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\app\unionsdesk.ico"
  WriteRegStr SHCTX "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINSTKEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  Call un.RefuseIfRunning
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$INSTDIR\app"
  RMDir /r "$INSTDIR\app.new"
  RMDir /r "$INSTDIR\app.old"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey SHCTX "${UNINSTKEY}"
  ; The clerks' data (%LOCALAPPDATA%\UnionsDesk) stays.
SectionEnd
