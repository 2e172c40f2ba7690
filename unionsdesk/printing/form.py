"""A ruled one-page form (申报表, 验收表 …): rows of label and value cells.

Each row is a list of cells whose widths are shares of the page width; a label
cell is shaded and centred, a value cell is left-aligned and wraps. A row is as
tall as its tallest cell, or ``min_lines`` lines (room to write an opinion and
sign). Signature lines and "第 1 页 共 1 页" go under the grid. Everything is
checked against the bundled fonts before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from unionsdesk.printing.fonts import clean_text, draw_text, ensure_printable
from unionsdesk.printing.pdf import (
    A4_SIZE,
    MM,
    draw_fitted,
    draw_signatures,
    pdf_canvas,
    wrap_text,
)

__all__ = ["FormCell", "FormDocument", "FormRow", "render_form_pdf"]

_LEFT = 18 * MM
_RIGHT = A4_SIZE[0] - 18 * MM
_SIZE = 10.5
_LEADING = 1.45
_PAD = 2.2 * MM


@dataclass(frozen=True)
class FormCell:
    text: str
    share: float  # of the row's width
    label: bool = False
    align_bottom_right: str = ""  # e.g. "（盖章）    年  月  日" at the cell's foot


@dataclass(frozen=True)
class FormRow:
    cells: Sequence[FormCell]
    min_lines: int = 1


@dataclass
class FormDocument:
    title: str
    rows: Sequence[FormRow]
    subtitle_left: str = ""
    subtitle_right: str = ""
    signatures: Sequence[str] = ()
    notes: Sequence[str] = field(default=())


def _check(doc: FormDocument) -> None:
    def texts() -> Iterator[tuple[str, str]]:
        yield "标题", doc.title
        yield "表头", doc.subtitle_left
        yield "表头", doc.subtitle_right
        for n, row in enumerate(doc.rows, 1):
            for cell in row.cells:
                yield f"第{n}栏", cell.text
                yield f"第{n}栏", cell.align_bottom_right
        for note in doc.notes:
            yield "备注", note
        for s in doc.signatures:
            yield "签字栏", s

    ensure_printable(texts())


def render_form_pdf(doc: FormDocument, path: str | os.PathLike[str]) -> Path:
    """Draw ``doc`` on one A4 page (rows that do not fit go on to a second page)."""
    _check(doc)
    width = _RIGHT - _LEFT
    line = _SIZE * _LEADING
    target = Path(path)
    with pdf_canvas(target, title=doc.title) as c:
        page_height = A4_SIZE[1]

        def header() -> float:
            y = page_height - 16 * MM
            draw_fitted(
                c, A4_SIZE[0] / 2, y, clean_text(doc.title), 17, width, align="center", bold=True
            )
            y -= 9 * MM
            if doc.subtitle_left:
                draw_fitted(c, _LEFT, y, clean_text(doc.subtitle_left), 10, width * 0.6)
            if doc.subtitle_right:
                draw_text(c, _RIGHT, y, clean_text(doc.subtitle_right), 10, align="right")
            return y - 3 * MM

        top = header()
        pages = 1
        c.setLineWidth(0.6)
        for row in doc.rows:
            shares = sum(cell.share for cell in row.cells) or 1.0
            cells = []
            x = _LEFT
            lines_needed = row.min_lines
            for cell in row.cells:
                w = width * cell.share / shares
                text = clean_text(cell.text, multiline=True)
                wrapped = wrap_text(text, w - 2 * _PAD, _SIZE) if text else []
                extra = 1 if cell.align_bottom_right else 0
                lines_needed = max(lines_needed, len(wrapped) + extra)
                cells.append((x, w, cell, wrapped))
                x += w
            height = lines_needed * line + 2 * _PAD
            if top - height < 22 * MM:
                draw_text(c, A4_SIZE[0] / 2, 8 * MM, f"第 {pages} 页", 9, align="center")
                c.showPage()
                pages += 1
                top = header()
                c.setLineWidth(0.6)
            for x, w, cell, wrapped in cells:
                if cell.label:
                    c.setFillGray(0.92)
                    c.rect(x, top - height, w, height, stroke=0, fill=1)
                    c.setFillGray(0)
                c.rect(x, top - height, w, height, stroke=1, fill=0)
                middle = top - height / 2 + (len(wrapped) - 1) * line / 2 - _SIZE * 0.36
                if cell.label:
                    for k, t in enumerate(wrapped):
                        draw_text(c, x + w / 2, middle - k * line, t, _SIZE, align="center")
                elif row.min_lines == 1:  # a one-line field: centred in its box
                    for k, t in enumerate(wrapped):
                        draw_text(c, x + _PAD, middle - k * line, t, _SIZE)
                else:
                    for k, t in enumerate(wrapped):
                        draw_text(c, x + _PAD, top - _PAD - _SIZE - k * line, t, _SIZE)
                if cell.align_bottom_right:
                    draw_text(
                        c,
                        x + w - _PAD,
                        top - height + _PAD + 1,
                        cell.align_bottom_right,
                        _SIZE,
                        align="right",
                    )
            top -= height
        y = top - 6 * MM
        for note in doc.notes:
            for t in wrap_text(clean_text(note), width, 9.5):
                draw_text(c, _LEFT, y, t, 9.5)
                y -= 9.5 * 1.5
        if doc.signatures:
            draw_signatures(
                c, _LEFT, _RIGHT, y - 8 * MM, [clean_text(s) for s in doc.signatures], 10.5
            )
        if pages > 1:
            draw_text(c, A4_SIZE[0] / 2, 8 * MM, f"第 {pages} 页", 9, align="center")
    return target
