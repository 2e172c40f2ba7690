"""Shared pieces of the printed forms: the PDF canvas, text fitting, stamps, signatures.

Sizes are in PDF points (1/72 inch); `MM` converts millimetres. Paper is A4,
set explicitly (never reportlab's or the printer's default).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from unionsdesk import errors
from unionsdesk.errors import UserError
from unionsdesk.printing.fonts import MAIN_FONT_NAME, Align, draw_text, register_fonts, text_width

__all__ = [
    "A4_SIZE",
    "MM",
    "CancelCheck",
    "Cancelled",
    "PrintError",
    "ProgressCallback",
    "date_text",
    "draw_page_number",
    "draw_signatures",
    "draw_stamp",
    "draw_void_mark",
    "fit_size",
    "pdf_canvas",
    "truncate_to_width",
    "wrap_text",
    "yuan_text",
]

MM = 72.0 / 25.4
A4_SIZE = (210.0 * MM, 297.0 * MM)  # portrait, points

ProgressCallback = Callable[[int, int], None]  # (pages done, pages in all)
CancelCheck = Callable[[], bool]

STAMP_RGB = (0.78, 0.1, 0.1)
# Closing punctuation never starts a line (避头): it stays at the end of the line before.
# A line may break after the dot between the parts of a transliterated name.
_NAME_DOTS = frozenset("·•・")
_NO_LINE_START = frozenset("，。、；：？！）》」』】〕’”%．,.;:?!)]}")


class PrintError(UserError):
    """The PDF could not be written; ``str(exc)`` is for the clerk."""


class Cancelled(errors.Cancelled):
    def __init__(self, message: str = "已取消，未生成打印文件") -> None:
        super().__init__(message)


@contextlib.contextmanager
def pdf_canvas(
    path: str | os.PathLike[str],
    *,
    landscape: bool = False,
    title: str = "",
) -> Iterator[Any]:
    """A reportlab canvas on A4 that is saved to ``path`` when the block ends.

    The PDF is written to a temporary file beside ``path`` and moved into
    place, so ``path`` is never half-written; when the block raises (for
    example `Cancelled`) no file is left. The canvas starts in the bundled
    main font: reportlab would otherwise put a reference to the non-embedded
    Helvetica into every page.
    """
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    target = Path(path)
    width, height = A4_SIZE
    pagesize = (height, width) if landscape else (width, height)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    canvas = Canvas(
        str(tmp),
        pagesize=pagesize,
        pageCompression=1,
        initialFontName=MAIN_FONT_NAME,
        initialFontSize=10,
        lang="zh-CN",
    )
    canvas.setTitle(title)
    canvas.setAuthor("工会通")
    canvas.setCreator("UnionsDesk 工会通")
    try:
        yield canvas
        canvas.save()
        os.replace(tmp, target)
    except PermissionError:
        raise PrintError(
            f"无法写入“{target.name}”：文件可能正在PDF阅读器中打开，请关闭后重试"
        ) from None
    except FileNotFoundError:
        raise PrintError(f"无法写入“{target}”：文件夹不存在") from None
    except IsADirectoryError:
        raise PrintError(f"无法写入“{target}”：这是一个文件夹") from None
    except OSError as exc:
        raise PrintError(f"无法写入“{target.name}”：{exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def yuan_text(fen: int) -> str:
    """Integer fen as yuan with thousands separators and two decimals: 1030000 -> 10,300.00."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"money is int fen, not {fen!r}")
    yuan, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{yuan:,}.{cents:02d}"


def date_text(value: date | str | None) -> str:
    """A date as printed on forms: 2026年01月15日 (text is shown as it is)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{value:%Y年%m月%d日}"


def plain_text(value: object) -> str:
    """How a table cell value reads as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fit_size(text: str, width: float, size: float, min_size: float) -> float:
    """The largest font size ≤ ``size`` (but ≥ ``min_size``) at which ``text`` fits ``width``."""
    natural = text_width(text, size)
    if natural <= width or natural <= 0:
        return size
    return max(min_size, int(size * width / natural * 10) / 10)


def wrap_text(text: str, width: float, size: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (line breaks in the text are kept).

    Chinese breaks between any two characters, preferably after the dot of a
    name such as 阿卜杜热合曼·买买提; a run of Latin letters or digits breaks at a
    space when it can; closing punctuation never starts a line.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if text_width(paragraph, size) <= width:
            lines.append(paragraph)
            continue
        start = 0
        used = 0.0
        last_space = -1
        last_dot = -1
        i = 0
        n = len(paragraph)
        while i < n:
            ch = paragraph[i]
            w = text_width(ch, size)
            if used + w > width and i > start:
                cut = i
                if ch in _NO_LINE_START:
                    # 避头: take the character before it down to the next line too.
                    if i - 1 <= start:
                        used += w
                        i += 1
                        continue
                    cut = i - 1
                elif last_dot > start:  # 阿卜杜热合曼· / 买买提
                    cut = last_dot + 1
                elif ch.isascii() and ch.isalnum() and last_space > start:
                    cut = last_space + 1
                lines.append(paragraph[start:cut].rstrip())
                while cut < n and paragraph[cut] == " ":
                    cut += 1
                start = cut
                used = text_width(paragraph[start:i], size)
                last_space = last_dot = -1
                i = max(i, start)
                continue
            if ch == " ":
                last_space = i
            elif ch in _NAME_DOTS:
                last_dot = i
            used += w
            i += 1
        lines.append(paragraph[start:])
    return lines


def truncate_to_width(text: str, width: float, size: float) -> str:
    """``text`` cut to fit ``width``, ending in "…" when something was cut."""
    if text_width(text, size) <= width:
        return text
    room = width - text_width("…", size)
    used = 0.0
    for i, ch in enumerate(text):
        used += text_width(ch, size)
        if used > room:
            return text[:i] + "…"
    return text


def draw_stamp(canvas: Any, right: float, top: float, text: str, size: float = 14) -> None:
    """A red framed mark such as 补打 whose top-right corner is at (right, top)."""
    width = text_width(text, size) + size
    height = size * 1.7
    canvas.saveState()
    canvas.setStrokeColorRGB(*STAMP_RGB)
    canvas.setFillColorRGB(*STAMP_RGB)
    canvas.setLineWidth(1.4)
    canvas.roundRect(right - width, top - height, width, height, size * 0.25, stroke=1, fill=0)
    draw_text(canvas, right - width / 2, top - height / 2 - size * 0.36, text, size, align="center")
    canvas.restoreState()


def draw_void_mark(
    canvas: Any, cx: float, cy: float, box_width: float, box_height: float, text: str = "作废"
) -> None:
    """A large diagonal mark (作废) across the box centred on (cx, cy)."""
    import math

    angle = math.degrees(math.atan2(box_height, box_width))
    diagonal = math.hypot(box_width, box_height)
    # The framed, rotated mark stays inside the box: its height is about 2.3 × size.
    size = min(box_height * 0.4, diagonal * 0.6 / max(len(text), 1))
    canvas.saveState()
    canvas.translate(cx, cy)
    canvas.rotate(angle)
    canvas.setFillColorRGB(*STAMP_RGB)
    canvas.setStrokeColorRGB(*STAMP_RGB)
    canvas.setFillAlpha(0.45)
    canvas.setStrokeAlpha(0.45)
    draw_text(canvas, 0, -size * 0.36, text, size, align="center", bold=True)
    half = text_width(text, size) / 2 + size * 0.3
    canvas.setLineWidth(2.5)
    canvas.rect(-half, -size * 0.65, 2 * half, size * 1.3, stroke=1, fill=0)
    canvas.restoreState()


def draw_signatures(
    canvas: Any,
    left: float,
    right: float,
    baseline: float,
    labels: Sequence[str],
    size: float,
    names: Sequence[str | None] = (),
) -> None:
    """Labels "经办人：" with a line to sign on, spread evenly from ``left`` to ``right``.

    A known name (``names[i]``) is printed on its line.
    """
    if not labels:
        return
    slot = (right - left) / len(labels)
    canvas.saveState()
    canvas.setLineWidth(0.5)
    for i, label in enumerate(labels):
        x = left + i * slot
        caption = f"{label}："
        draw_text(canvas, x, baseline, caption, size)
        line_start = x + text_width(caption, size) + 1
        line_end = x + slot - size * 1.2
        if line_end > line_start:
            canvas.line(line_start, baseline - 2, line_end, baseline - 2)
        name = names[i] if i < len(names) else None
        if name:
            room = max(line_end - line_start, size)
            name_size = fit_size(name, room, size, size * 0.6)
            draw_text(
                canvas, (line_start + line_end) / 2, baseline, name, name_size, align="center"
            )
    canvas.restoreState()


def draw_page_number(
    canvas: Any, page_width: float, baseline: float, page: int, pages: int
) -> None:
    draw_text(canvas, page_width / 2, baseline, f"第 {page} 页 共 {pages} 页", 9, align="center")


def draw_fitted(
    canvas: Any,
    x: float,
    baseline: float,
    text: str,
    size: float,
    width: float,
    *,
    align: Align = "left",
    min_size: float = 6.0,
    bold: bool = False,
) -> None:
    """One line shrunk to fit ``width`` (cut with "…" if even ``min_size`` is too big)."""
    fitted = fit_size(text, width, size, min_size)
    draw_text(
        canvas, x, baseline, truncate_to_width(text, width, fitted), fitted, align=align, bold=bold
    )


def upper_yuan(fen: int) -> str:
    """人民币 + 大写 of an amount in fen, e.g. 人民币壹万零叁佰元整."""
    from unionsdesk.domain.money import from_fen, rmb_upper

    if fen < 0:
        raise UserError(f"金额为负数（{yuan_text(fen)}元），不能写成人民币大写")
    try:
        return "人民币" + rmb_upper(from_fen(fen))
    except ValueError as exc:
        raise UserError(str(exc)) from None
