"""A paginated ruled table drawn straight onto the canvas.

Used by the report tables (`table_pdf`) and the sign-off sheet (`signoff`).
The layout is computed first (row heights, which rows go on which page), so
the page count is known before drawing and every page can say
"第 n 页 共 m 页" in one pass. Rows are never split across pages; the header
row is repeated on every page; an optional summary row (本页小计) closes every
page, and the last page carries the 合计 rows, the lines under the table
(人民币大写, notes) and the signature lines.

Drawing directly (instead of platypus flowables) keeps a few thousand rows
well under a second or two. A `DrawingPage` (vector charts under a title) can
follow the tables in the same file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from unionsdesk.printing.fonts import Align, draw_text, ensure_printable, text_width
from unionsdesk.printing.pdf import (
    MM,
    CancelCheck,
    Cancelled,
    ProgressCallback,
    draw_fitted,
    draw_page_number,
    draw_signatures,
    draw_stamp,
    fit_size,
    pdf_canvas,
    truncate_to_width,
    wrap_text,
)

Fit = Literal["wrap", "shrink"]

MARGIN_X = 15 * MM
MARGIN_TOP = 12 * MM
MARGIN_BOTTOM = 14 * MM
FOOTER_BASELINE = 7 * MM
PAD_X = 3.0
PAD_Y = 2.5
LEADING = 1.25  # line height / font size
MIN_SHRINK = 0.62  # shrink-to-fit goes down to this share of the font size
WRAP_SHRINK = 0.85  # wrapping text shrinks this far before it takes a second line
_BASELINE_DROP = 0.36  # baseline below the middle of a line box, in font sizes


@dataclass(frozen=True)
class GridColumn:
    label: str  # may contain "\n"
    weight: float  # relative width
    align: Align = "left"
    fit: Fit = "wrap"  # wrap onto more lines, or shrink the font to stay on one line
    # How far the font may shrink before the text takes more lines (share of the
    # font size); None: MIN_SHRINK for "shrink", WRAP_SHRINK for "wrap".
    min_scale: float | None = None


@dataclass(frozen=True)
class SummaryRow:
    """A 小计/合计 row: ``cells[0]`` is the label and spans the ``None`` cells after it."""

    cells: Sequence[str | None]


@dataclass
class GridDocument:
    title: str
    columns: Sequence[GridColumn]
    rows: Sequence[Sequence[str]]  # display text, one string per column
    header_lines: Sequence[tuple[str, str]] = ()  # (left, right) lines under the title
    landscape: bool = False
    font_size: float = 9.0
    min_row_height: float = 0.0
    summary_row_height: float = 0.0
    page_summary: Callable[[int, int], SummaryRow] | None = None  # rows [start, end)
    final_rows: Sequence[SummaryRow] = ()
    final_lines: Sequence[str] = ()
    signatures: Sequence[str] = ()
    stamp: str = ""  # e.g. 补打, on every page
    row_labels: Sequence[str] = field(default=())  # for error messages; default 第n行


@dataclass
class DrawingPage:
    """Vector drawings (reportlab.graphics ``Drawing``s: ``width``, ``height``,
    ``drawOn(canvas, x, y)``) under a title, two by two on landscape A4 pages,
    each scaled down to its quarter of the page when it is larger."""

    title: str
    drawings: Sequence[Any]
    per_page: int = 4

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.drawings) // self.per_page))


@dataclass
class _Cell:
    lines: list[str]
    size: float


@dataclass
class _Layout:
    page_width: float
    page_height: float
    col_x: list[float]  # left edges, plus the right edge of the table
    header_cells: list[_Cell]
    header_height: float
    cells: list[list[_Cell]]
    heights: list[float]
    summary_height: float
    final_heights: list[float]
    final_line_sets: list[list[str]]
    table_top: float
    pages: list[tuple[int, int]]


def _check(doc: GridDocument) -> None:
    def texts() -> Any:
        yield "标题", doc.title
        for left, right in doc.header_lines:
            yield "表头", left
            yield "表头", right
        for column in doc.columns:
            yield "列名", column.label
        labels = doc.row_labels
        for n, row in enumerate(doc.rows):
            where = labels[n] if n < len(labels) else f"第{n + 1}行"
            for column, text in zip(doc.columns, row, strict=True):
                yield f"{where}“{column.label}”", text
        for summary in doc.final_rows:
            for cell in summary.cells:
                yield "合计行", cell or ""
        for line in doc.final_lines:
            yield "表尾", line
        for label in doc.signatures:
            yield "签字栏", label

    ensure_printable(texts())


def _cell(text: str, width: float, size: float, column: GridColumn) -> _Cell:
    """Shrink cells stay on one line down to their min_scale and then wrap at that
    size; wrap cells shrink a little before they wrap at full size."""
    if not text:
        return _Cell([], size)
    shrink = column.fit == "shrink"
    scale = column.min_scale
    if scale is None:
        scale = MIN_SHRINK if shrink else WRAP_SHRINK
    if "\n" not in text:
        fitted = fit_size(text, width, size, size * scale)
        if text_width(text, fitted) <= width:
            return _Cell([text], fitted)
        if shrink:
            return _Cell(wrap_text(text, width, fitted), fitted)
    return _Cell(wrap_text(text, width, size), size)


def _cell_height(cell: _Cell) -> float:
    return len(cell.lines) * cell.size * LEADING + 2 * PAD_Y


def _layout(doc: GridDocument) -> _Layout:
    from reportlab.lib.pagesizes import A4

    page_width, page_height = (A4[1], A4[0]) if doc.landscape else A4
    usable = page_width - 2 * MARGIN_X
    total_weight = sum(c.weight for c in doc.columns) or 1.0
    col_x = [MARGIN_X]
    for column in doc.columns:
        col_x.append(col_x[-1] + usable * column.weight / total_weight)
    inner = [col_x[i + 1] - col_x[i] - 2 * PAD_X for i in range(len(doc.columns))]
    size = doc.font_size
    line_height = size * LEADING + 2 * PAD_Y

    # The block above the table: title, lines under it.
    top = page_height - MARGIN_TOP
    top -= 16 * 1.6
    top -= len(doc.header_lines) * 10 * 1.7
    table_top = top - 2
    bottom = MARGIN_BOTTOM

    header_cells = [
        _cell(c.label, inner[i], size, GridColumn(c.label, 1)) for i, c in enumerate(doc.columns)
    ]
    header_height = max(
        max((_cell_height(c) for c in header_cells), default=line_height), line_height * 1.3
    )
    summary_height = max(line_height, doc.summary_row_height)
    capacity = table_top - header_height - bottom
    if doc.page_summary is not None:
        capacity -= summary_height

    cells: list[list[_Cell]] = []
    heights: list[float] = []
    columns = list(doc.columns)
    min_height = max(doc.min_row_height, line_height)
    for row in doc.rows:
        row_cells = [
            _cell(text, inner[i], size, columns[i]) if text else _Cell([], size)
            for i, text in enumerate(row)
        ]
        height = max(min_height, max((_cell_height(c) for c in row_cells), default=0.0))
        if height > capacity:  # a monstrous cell: cut it so the row fits a page
            for i, c in enumerate(row_cells):
                keep = max(int((capacity - 2 * PAD_Y) / (c.size * LEADING)), 1)
                if len(c.lines) > keep:
                    c.lines = [
                        *c.lines[: keep - 1],
                        truncate_to_width(c.lines[keep - 1] + "…", inner[i], c.size),
                    ]
            height = capacity
        cells.append(row_cells)
        heights.append(height)

    final_heights = [summary_height for _ in doc.final_rows]
    usable_lines = page_width - 2 * MARGIN_X
    final_line_sets = [wrap_text(line, usable_lines, 10) for line in doc.final_lines]
    final_block = sum(final_heights)
    if final_line_sets:
        final_block += 4 + sum(len(lines) for lines in final_line_sets) * 10 * 1.6
    if doc.signatures:
        final_block += 14 * MM

    pages = _paginate(heights, capacity, final_block)
    return _Layout(
        page_width=page_width,
        page_height=page_height,
        col_x=col_x,
        header_cells=header_cells,
        header_height=header_height,
        cells=cells,
        heights=heights,
        summary_height=summary_height,
        final_heights=final_heights,
        final_line_sets=final_line_sets,
        table_top=table_top,
        pages=pages,
    )


def _paginate(
    heights: Sequence[float], capacity: float, final_block: float
) -> list[tuple[int, int]]:
    """Row ranges [start, end) per page; the last page also has room for ``final_block``."""
    pages: list[tuple[int, int]] = []
    start = 0
    used = 0.0
    for i, h in enumerate(heights):
        if used + h > capacity + 0.01 and i > start:
            pages.append((start, i))
            start, used = i, 0.0
        used += h
    end = len(heights)
    if used + final_block <= capacity + 0.01 or start == end:
        pages.append((start, end))
        return pages
    # The 合计 block does not fit under the last rows: move as many rows as possible
    # (but not all) to a new last page together with the block.
    m = end
    moved = 0.0
    while m - 1 > start and moved + heights[m - 1] + final_block <= capacity + 0.01:
        m -= 1
        moved += heights[m]
    pages.append((start, m))
    pages.append((m, end))
    return pages


def page_counts(docs: Sequence[GridDocument | DrawingPage]) -> list[int]:
    """How many pages each document takes (for a contents page)."""
    return [d.page_count if isinstance(d, DrawingPage) else len(_layout(d).pages) for d in docs]


def _draw_drawing_page(canvas: Any, page: DrawingPage, k: int, number: int, total: int) -> None:
    from reportlab.lib.pagesizes import A4

    width, height = A4[1], A4[0]
    canvas.setPageSize((width, height))
    y = height - MARGIN_TOP
    draw_fitted(
        canvas,
        width / 2,
        y - 16 * 1.1,
        page.title,
        16,
        width - 2 * MARGIN_X,
        align="center",
        min_size=10,
        bold=True,
    )
    top = y - 16 * 1.6 - 4
    cell_w = (width - 2 * MARGIN_X) / 2
    cell_h = (top - MARGIN_BOTTOM) / 2
    chunk = page.drawings[k * page.per_page : (k + 1) * page.per_page]
    for i, drawing in enumerate(chunk):
        col, row = i % 2, i // 2
        scale = min(1.0, (cell_w - 8) / drawing.width, (cell_h - 8) / drawing.height)
        x = MARGIN_X + col * cell_w + (cell_w - drawing.width * scale) / 2
        y0 = top - (row + 1) * cell_h + (cell_h - drawing.height * scale) / 2
        canvas.saveState()
        canvas.translate(x, y0)
        canvas.scale(scale, scale)
        drawing.drawOn(canvas, 0, 0)
        canvas.restoreState()
    draw_page_number(canvas, width, FOOTER_BASELINE, number, total)


def render_grid(
    doc: GridDocument | Sequence[GridDocument | DrawingPage],
    path: str | os.PathLike[str],
    *,
    pdf_title: str = "",
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write ``doc`` to a PDF at ``path``; returns the number of pages. Several
    documents go into one PDF, each from a new page (its own orientation, 合计 and
    signatures), with "第 n 页 共 m 页" counting the whole file."""
    docs = [doc] if isinstance(doc, GridDocument) else list(doc)
    if not docs:
        raise ValueError("render_grid needs at least one document")
    for d in docs:
        if isinstance(d, DrawingPage):
            ensure_printable([("标题", d.title)])
        else:
            _check(d)
    layouts = [d if isinstance(d, DrawingPage) else _layout(d) for d in docs]
    total = sum(
        layout.page_count if isinstance(layout, DrawingPage) else len(layout.pages)
        for layout in layouts
    )
    title = pdf_title or docs[0].title
    number = 0
    first_landscape = docs[0].landscape if isinstance(docs[0], GridDocument) else True
    with pdf_canvas(Path(path), landscape=first_landscape, title=title) as canvas:
        for d, layout in zip(docs, layouts, strict=True):
            if isinstance(d, DrawingPage):
                for k in range(d.page_count):
                    if cancelled is not None and cancelled():
                        raise Cancelled()
                    number += 1
                    _draw_drawing_page(canvas, d, k, number, total)
                    canvas.showPage()
                    if progress is not None:
                        progress(number, total)
                continue
            assert isinstance(layout, _Layout)
            canvas.setPageSize((layout.page_width, layout.page_height))
            for k, (start, end) in enumerate(layout.pages):
                if cancelled is not None and cancelled():
                    raise Cancelled()
                number += 1
                last = k == len(layout.pages) - 1
                _draw_page(canvas, d, layout, number, total, start, end, last=last)
                canvas.showPage()
                if progress is not None:
                    progress(number, total)
    return total


def _draw_lines(
    canvas: Any,
    x: float,
    top: float,
    text_lines: list[str],
    size: float,
    height: float,
    width: float,
    align: Align,
) -> None:
    """Lines of one cell, centred vertically in the box (x, top, width, height)."""
    if not text_lines:
        return
    step = size * LEADING
    middle = top - height / 2
    first = middle + (len(text_lines) - 1) * step / 2 - size * _BASELINE_DROP
    if align == "center":
        x += width / 2
    elif align == "right":
        x += width
    for k, line in enumerate(text_lines):
        if line:
            draw_text(canvas, x, first - k * step, line, size, align=align)


def _draw_summary(
    canvas: Any, doc: GridDocument, layout: _Layout, summary: SummaryRow, top: float, height: float
) -> list[tuple[float, float, float, float]]:
    """Draw one summary row; returns its vertical rules."""
    col_x = layout.col_x
    ncols = len(doc.columns)
    size = doc.font_size
    cells = list(summary.cells) + [None] * (ncols - len(summary.cells))
    span = 1
    if cells[0] is not None:
        while span < ncols and cells[span] is None:
            span += 1
    rules = [(col_x[0], top, col_x[0], top - height)]
    boundaries = [0, *range(span, ncols)]
    for k, first in enumerate(boundaries):
        last = boundaries[k + 1] if k + 1 < len(boundaries) else ncols
        left, right = col_x[first], col_x[last]
        rules.append((right, top, right, top - height))
        text = cells[first]
        if not text:
            continue
        align: Align = "center" if first == 0 else doc.columns[first].align
        width = right - left - 2 * PAD_X
        fitted = fit_size(text, width, size, size * MIN_SHRINK)
        _draw_lines(
            canvas,
            left + PAD_X,
            top,
            [truncate_to_width(text, width, fitted)],
            fitted,
            height,
            width,
            align,
        )
    return rules


def _draw_page(
    canvas: Any,
    doc: GridDocument,
    layout: _Layout,
    number: int,
    total: int,
    start: int,
    end: int,
    *,
    last: bool,
) -> None:
    """One page; ``last``: the document's last page (合计 rows, lines, signatures)."""
    page_width = layout.page_width
    left, right = MARGIN_X, page_width - MARGIN_X
    width = right - left
    y = layout.page_height - MARGIN_TOP

    # Title, the 补打 mark, lines under the title.
    stamp_room = 0.0
    if doc.stamp:
        stamp_room = text_width(doc.stamp, 14) + 14 + 6
        draw_stamp(canvas, right, y + 4, doc.stamp)
    title_size = 16.0
    baseline = y - title_size * 1.1
    draw_fitted(
        canvas,
        page_width / 2,
        baseline,
        doc.title,
        title_size,
        width - 2 * stamp_room,
        align="center",
        min_size=10,
        bold=True,
    )
    y -= 16 * 1.6
    for left_text, right_text in doc.header_lines:
        baseline = y - 10 * 1.2
        # The right part keeps its natural width up to 60 % of the line; the left gets the rest.
        right_width = min(text_width(right_text, 10), width * 0.6) if right_text else 0.0
        if left_text:
            room = width - right_width - (20 if right_text else 0)
            draw_fitted(canvas, left, baseline, left_text, 10, room, min_size=6)
        if right_text:
            draw_fitted(
                canvas, right, baseline, right_text, 10, right_width, align="right", min_size=6
            )
        y -= 10 * 1.7

    col_x = layout.col_x
    top = layout.table_top
    horizontals: list[tuple[float, float, float, float]] = [(left, top, right, top)]
    verticals: list[tuple[float, float, float, float]] = []

    # Header row.
    header_height = layout.header_height
    canvas.setFillGray(0.9)
    canvas.rect(left, top - header_height, width, header_height, stroke=0, fill=1)
    canvas.setFillGray(0)
    for i, cell in enumerate(layout.header_cells):
        x = col_x[i] + PAD_X
        _draw_lines(
            canvas, x, top, cell.lines, cell.size, header_height, col_x[i + 1] - x - PAD_X, "center"
        )
    y = top - header_height
    horizontals.append((left, y, right, y))

    # Body rows.
    aligns = [c.align for c in doc.columns]
    for r in range(start, end):
        height = layout.heights[r]
        for i, cell in enumerate(layout.cells[r]):
            if cell.lines:
                x = col_x[i] + PAD_X
                _draw_lines(
                    canvas, x, y, cell.lines, cell.size, height, col_x[i + 1] - x - PAD_X, aligns[i]
                )
        y -= height
        horizontals.append((left, y, right, y))
    verticals.extend((x, top, x, y) for x in col_x)

    # 本页小计 (not on a page without rows), then 合计 on the last page.
    summaries: list[tuple[SummaryRow, float]] = []
    if doc.page_summary is not None and end > start:
        summaries.append((doc.page_summary(start, end), layout.summary_height))
    if last:
        summaries.extend(zip(doc.final_rows, layout.final_heights, strict=True))
    for summary, height in summaries:
        verticals.extend(_draw_summary(canvas, doc, layout, summary, y, height))
        y -= height
        horizontals.append((left, y, right, y))

    canvas.setLineWidth(0.5)
    canvas.lines(horizontals[1:-1])
    canvas.lines([v for v in verticals if abs(v[0] - left) > 0.01 and abs(v[0] - right) > 0.01])
    canvas.setLineWidth(1.0)
    canvas.rect(left, y, width, top - y, stroke=1, fill=0)

    if last:
        y -= 4
        for lines in layout.final_line_sets:
            for line in lines:
                y -= 10 * 1.6
                draw_text(canvas, left, y + 10 * 0.4, line, 10)
        if doc.signatures:
            draw_signatures(canvas, left, right, y - 11 * MM, doc.signatures, 10.5)

    draw_page_number(canvas, page_width, FOOTER_BASELINE, number, total)
