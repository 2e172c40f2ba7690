"""The bundled CJK fonts: registered once, used as the application font.

The main font (AR PL UMing, a TrueType collection) covers GB 18030's common
characters; HanaMinB covers CJK Extension B (rare name characters such as 𠮷)
and is listed after it, so Qt falls back to it glyph by glyph.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase

from unionsdesk.paths import FALLBACK_FONT, FALLBACK_FONT_A, MAIN_FONT, fonts_dir

MAIN_FAMILY = "AR PL UMing CN"
FALLBACK_FAMILY = "HanaMinB"
POINT_SIZE = 10.5

_families: list[str] | None = None


def register_fonts() -> list[str]:
    """Register the bundled fonts once; return the families to use, best first."""
    global _families
    if _families is not None:
        return _families
    found: list[str] = []
    for file_name, wanted in (
        (MAIN_FONT, MAIN_FAMILY),
        (FALLBACK_FONT, FALLBACK_FAMILY),
        (FALLBACK_FONT_A, "HanaMinA"),  # Extension A, as in printing
    ):
        path = fonts_dir() / file_name
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            print(f"警告：无法加载字体 {path}，将使用系统字体", file=sys.stderr)
            continue
        found.append(wanted if wanted in families else families[0])
    _families = found
    return found


def app_font(point_size: float = POINT_SIZE) -> QFont:
    font = QFont()
    families = register_fonts()
    if families:
        font.setFamilies(families)
    font.setPointSizeF(point_size)
    return font
