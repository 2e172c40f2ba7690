"""Read a Windows shortcut (.lnk, MS-SHLLINK) and check where it points.

    python check_lnk.py FILE.lnk TARGET_SUFFIX [ARGUMENTS]

Exit 0 when the shortcut's target path (LinkInfo's local base path) ends with
TARGET_SUFFIX (case-insensitive, backslashes) and, if given, its arguments equal
ARGUMENTS. Used by installer/test-windows-wine on the Start-menu shortcut NSIS made.
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass
from pathlib import Path

HEADER_SIZE = 0x4C
HAS_ID_LIST, HAS_LINK_INFO, IS_UNICODE = 0x1, 0x2, 0x80
# StringData entries, in file order: (flag, name)
STRINGS = ((0x4, "name"), (0x8, "relative_path"), (0x10, "working_dir"), (0x20, "arguments"))


@dataclass
class Shortcut:
    target: str
    strings: dict[str, str]


def read(data: bytes) -> Shortcut:
    if len(data) < HEADER_SIZE or struct.unpack_from("<I", data)[0] != HEADER_SIZE:
        raise ValueError("not a shell link")
    flags = struct.unpack_from("<I", data, 0x14)[0]
    pos = HEADER_SIZE
    if flags & HAS_ID_LIST:
        pos += 2 + struct.unpack_from("<H", data, pos)[0]
    target = ""
    if flags & HAS_LINK_INFO:
        size, _header, _info_flags, _volume, base = struct.unpack_from("<5I", data, pos)
        if base:
            end = data.index(b"\0", pos + base)
            target = data[pos + base : end].decode("mbcs" if sys.platform == "win32" else "latin-1")
        pos += size
    strings: dict[str, str] = {}
    for flag, name in STRINGS:
        if flags & flag:
            count = struct.unpack_from("<H", data, pos)[0]
            width = 2 if flags & IS_UNICODE else 1
            raw = data[pos + 2 : pos + 2 + count * width]
            # (wine counts the terminating NUL, Windows does not)
            strings[name] = raw.decode("utf-16-le" if width == 2 else "latin-1").rstrip("\0")
            pos += 2 + count * width
    return Shortcut(target, strings)


def main(argv: list[str]) -> int:
    link = read(Path(argv[1]).read_bytes())
    args = link.strings.get("arguments", "")
    print(f"{argv[1]}: target {link.target!r}, arguments {args!r}")
    if not link.target.lower().endswith(argv[2].lower()):
        print(f"FAIL: the target does not end with {argv[2]!r}")
        return 1
    if len(argv) > 3 and args != argv[3]:
        print(f"FAIL: the arguments are not {argv[3]!r}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
