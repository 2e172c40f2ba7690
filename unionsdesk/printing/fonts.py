"""The bundled TrueType fonts, and drawing text that mixes them.

Every printed character comes from a font under ``resources/fonts`` that is
embedded (as a subset) in the PDF. reportlab's CID fonts such as STSong-Light
are never used: they are not embedded and print as blanks on many PCs.

The main face is AR PL UMing CN (``uming.ttc``, face 0). Characters it lacks
(rare name characters of CJK Extension B and later, such as 𠮷 U+20BB7) are
drawn with the fallback HanaMinB. A character that no bundled font has is
refused before any PDF is made (`ensure_printable` raises `MissingGlyphError`)
instead of printing a blank box.

Text is split into runs by font (`split_runs`); `draw_text` draws a line of
runs on a canvas, `text_width` measures it and `paragraph_markup` gives
reportlab ``Paragraph`` markup with ``<font face=…>`` around fallback runs.

reportlab is imported only inside functions, so importing this module is cheap.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from unionsdesk.errors import UserError
from unionsdesk.paths import FALLBACK_FONT, FALLBACK_FONT_A, MAIN_FONT, fonts_dir

__all__ = [
    "FALLBACK_FONT_NAME",
    "FONT_NAMES",
    "MAIN_FONT_NAME",
    "Align",
    "MissingGlyphError",
    "clean_text",
    "draw_text",
    "ensure_printable",
    "font_for",
    "has_glyph",
    "missing_glyphs",
    "paragraph_markup",
    "register_fonts",
    "split_runs",
    "text_width",
]

Align = Literal["left", "center", "right"]

MAIN_FONT_NAME = "UDMing"  # AR PL UMing CN
FALLBACK_FONT_NAME = "UDHanaMinB"  # HanaMin B: CJK Extension B and later


@dataclass(frozen=True)
class _FaceSpec:
    name: str  # the name registered with reportlab
    file: str  # under fonts_dir()
    subfont: int  # face index inside a .ttc


# Tried in this order for every character. Adding a bundled font (for example
# HanaMinA for the whole of CJK Extension A) is one more line here.
_FACE_SPECS: tuple[_FaceSpec, ...] = (
    _FaceSpec(MAIN_FONT_NAME, MAIN_FONT, 0),  # face 0 of uming.ttc is UMing CN
    _FaceSpec(FALLBACK_FONT_NAME, FALLBACK_FONT, 0),
    _FaceSpec("HanaMinA", FALLBACK_FONT_A, 0),  # CJK Extension A and BMP characters the others lack
)
FONT_NAMES: tuple[str, ...] = tuple(f.name for f in _FACE_SPECS)

# Characters that are not drawn: controls, format characters (zero-width
# spaces, BOM, soft hyphen …) and variation selectors.
_VARIATION_SELECTORS = frozenset(range(0xFE00, 0xFE10)) | frozenset(range(0xE0100, 0xE01F0))


# Characters the fonts lack that have a look-alike they do have (pasted from
# word processors): drawn as the look-alike rather than refused.
_SUBSTITUTES = {
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2212": "-",  # minus sign
    "\u2713": "√",  # check mark
    "\u2714": "√",  # heavy check mark
    "\u2610": "□",  # ballot box
}


class MissingGlyphError(UserError):
    """Some characters have no glyph in any bundled font; nothing was printed."""

    def __init__(self, message: str, chars: Iterable[str]) -> None:
        super().__init__(message)
        self.chars = frozenset(chars)


class _Fonts:
    """The loaded faces: reportlab font objects and their character maps."""

    def __init__(self) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        directory = fonts_dir()
        self.fonts: list[Any] = []
        self.cmaps: list[dict[int, int]] = []
        for spec in _FACE_SPECS:
            path = directory / spec.file
            if not path.is_file():
                raise UserError(f"找不到打印字体文件“{path}”，请重新安装本程序")
            try:
                registered = pdfmetrics.getFont(spec.name)
            except KeyError:
                registered = TTFont(spec.name, str(path), subfontIndex=spec.subfont)
                pdfmetrics.registerFont(registered)
            self.fonts.append(registered)
            self.cmaps.append(registered.face.charToGlyph)
        self.main_cmap = self.cmaps[0]
        # character -> (index of the font that has it, or -1; advance width per 1000 em)
        self.glyph_cache: dict[str, tuple[int, float]] = {}

    def lookup(self, ch: str) -> tuple[int, float]:
        hit = self.glyph_cache.get(ch)
        if hit is not None:
            return hit
        code = ord(ch)
        found = (-1, 0.0)
        for index, cmap in enumerate(self.cmaps):
            if code in cmap:
                found = (index, float(self.fonts[index].face.getCharWidth(code)))
                break
        if found[0] < 0:
            # Not drawable: measured as the main font's .notdef so layouts stay sane.
            found = (-1, float(self.fonts[0].face.defaultWidth))
        self.glyph_cache[ch] = found
        return found


_loaded: _Fonts | None = None
_load_lock = threading.Lock()


def _fonts() -> _Fonts:
    global _loaded
    if _loaded is None:
        with _load_lock:
            if _loaded is None:
                _loaded = _Fonts()
    return _loaded


def register_fonts() -> tuple[str, ...]:
    """Load and register the bundled fonts with reportlab (once); their names, main first."""
    _fonts()
    return FONT_NAMES


def _ignorable(ch: str) -> bool:
    if ord(ch) in _VARIATION_SELECTORS:
        return True
    return unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n"


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Text as it is drawn.

    CR/CRLF become line breaks (kept only when ``multiline``; otherwise a
    space), tabs and spaces the fonts lack become ordinary spaces, invisible
    characters (controls, zero-width spaces, BOM, variation selectors) are
    dropped and a few look-alikes replace what the fonts lack (U+2212 minus
    sign → "-"). Characters no font has are kept: `ensure_printable` refuses them.
    """
    if text.isascii() and text.isprintable():
        return text
    fonts = _fonts()
    cmap = fonts.main_cmap
    out: list[str] = []
    previous = ""
    for ch in text:
        if ord(ch) in cmap:
            out.append(ch)
        elif ch in "\r\n":
            if not (ch == "\n" and previous == "\r"):
                out.append("\n" if multiline else " ")
        elif ch == "\t":
            out.append(" ")
        elif _ignorable(ch):
            pass
        elif ch in _SUBSTITUTES:  # a look-alike in the main font reads better than a fallback glyph
            out.append(_SUBSTITUTES[ch])
        elif fonts.lookup(ch)[0] >= 0:
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        else:
            out.append(_SUBSTITUTES.get(ch, ch))
        previous = ch
    return "".join(out)


def font_for(ch: str) -> str | None:
    """The registered name of the first bundled font that has ``ch``, or None."""
    index = _fonts().lookup(ch)[0]
    return FONT_NAMES[index] if index >= 0 else None


def has_glyph(font_name: str, ch: str) -> bool:
    """Whether the bundled font ``font_name`` (one of FONT_NAMES) has ``ch``."""
    fonts = _fonts()
    return ord(ch) in fonts.cmaps[FONT_NAMES.index(font_name)]


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` that no bundled font can draw.

    Characters that are never drawn (line breaks, tabs, zero-width and other
    invisible characters) do not count.
    """
    fonts = _fonts()
    cmap = fonts.main_cmap
    missing: set[str] = set()
    for ch in text:
        if ord(ch) in cmap or ch in "\n\r\t":
            continue
        if (
            fonts.lookup(ch)[0] < 0
            and ch not in _SUBSTITUTES
            and not _ignorable(ch)
            and not ch.isspace()
        ):
            missing.add(ch)
    return missing


def ensure_printable(texts: Iterable[tuple[str, str]], *, limit: int = 5) -> None:
    """Raise `MissingGlyphError` when any text has a character no bundled font has.

    ``texts`` yields ``(where, text)`` pairs; ``where`` (e.g. "第3行“姓名”")
    is named in the message so that the clerk can find and correct the entry.
    """
    found: dict[str, str] = {}
    for where, text in texts:
        if not text:
            continue
        for ch in sorted(missing_glyphs(text)):
            found.setdefault(ch, where)
    if not found:
        return
    shown = [
        f"“{ch}”（U+{ord(ch):04X}，{where}）" if where else f"“{ch}”（U+{ord(ch):04X}）"
        for ch, where in list(found.items())[:limit]
    ]
    more = f"等{len(found)}个字符" if len(found) > limit else ""
    raise MissingGlyphError(
        f"打印字体中没有{'、'.join(shown)}{more}，打印出来会是空白，已停止打印。"
        "请核对这些文字（生僻字可改用通用规范汉字并在备注中注明）后再打印。",
        found,
    )


def split_runs(text: str) -> list[tuple[str, str]]:
    """``text`` as ``(font name, run)`` pairs: each run drawn with one font.

    Characters no font has go with the main font (they would draw as a box);
    call `ensure_printable` first.
    """
    if not text:
        return []
    fonts = _fonts()
    cmap = fonts.main_cmap
    if all(ord(ch) in cmap for ch in text):
        return [(MAIN_FONT_NAME, text)]
    runs: list[tuple[str, str]] = []
    current = 0
    start = 0
    for i, ch in enumerate(text):
        index = 0 if ord(ch) in cmap else max(fonts.lookup(ch)[0], 0)
        if index != current and i > start:
            runs.append((FONT_NAMES[current], text[start:i]))
            start = i
        current = index
    runs.append((FONT_NAMES[current], text[start:]))
    return runs


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` drawn at ``size`` with the font chain."""
    fonts = _fonts()
    cache = fonts.glyph_cache
    total = 0.0
    for ch in text:
        hit = cache.get(ch)
        total += (hit if hit is not None else fonts.lookup(ch))[1]
    return total * size / 1000.0


def draw_text(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    align: Align = "left",
    bold: bool = False,
) -> float:
    """Draw one line at baseline ``y``; ``x`` is the left, centre or right edge.

    ``bold`` strokes the outlines as well (the bundled fonts have no bold face).
    Returns the drawn width.
    """
    if not text:
        return 0.0
    width = text_width(text, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    runs = split_runs(text)
    if bold:
        canvas.saveState()
        canvas.setLineWidth(size * 0.03)
        for font_name, run in runs:
            t = canvas.beginText(x, y)
            t.setTextRenderMode(2)
            t.setFont(font_name, size)
            t.textOut(run)
            canvas.drawText(t)
            x += text_width(run, size)
        canvas.restoreState()
        return width
    if len(runs) == 1:
        canvas.setFont(runs[0][0], size)
        canvas.drawString(x, y, text)
        return width
    for font_name, run in runs:
        canvas.setFont(font_name, size)
        canvas.drawString(x, y, run)
        x += text_width(run, size)
    return width


def paragraph_markup(text: str) -> str:
    """Markup for a reportlab ``Paragraph`` whose style uses MAIN_FONT_NAME.

    ``&``, ``<`` and ``>`` are escaped, line breaks become ``<br/>`` and runs
    the main font lacks are wrapped in ``<font face="…">``.
    """
    from xml.sax.saxutils import escape

    out: list[str] = []
    for font_name, run in split_runs(clean_text(text, multiline=True)):
        body = escape(run).replace("\n", "<br/>")
        out.append(
            body if font_name == MAIN_FONT_NAME else f'<font face="{font_name}">{body}</font>'
        )
    return "".join(out)
