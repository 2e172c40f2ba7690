#!/bin/sh
# /usr/bin/unionsdesk: starts 工会通 from its bundle in /opt/unionsdesk. Refuses, in one
# clear sentence, on a system whose C library is older than the bundle was built for
# (dpkg's Depends normally stops the install; this covers a forced install).
MIN_GLIBC=@MIN_GLIBC@
have=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed 's/^glibc //')
if [ -n "$have" ] && ! printf '%s\n%s\n' "$MIN_GLIBC" "$have" | sort -V -C; then
    msg="工会通需要 glibc $MIN_GLIBC 或更新版本的系统，本机是 $have，无法运行。请在说明书列出的系统上安装。"
    echo "错误：$msg" >&2
    if [ ! -t 2 ] && command -v zenity >/dev/null 2>&1; then zenity --error --text="$msg"; fi
    exit 1
fi
exec /opt/unionsdesk/unionsdesk "$@"
