"""A report `Table` printed on A4: the PDF twin of `unionsdesk.excel.writer.write_table`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from unionsdesk.printing.fonts import Align, clean_text
from unionsdesk.printing.grid import (
    MARGIN_X,
    PAD_X,
    DrawingPage,
    Fit,
    GridColumn,
    GridDocument,
    SummaryRow,
    page_counts,
    render_grid,
)
from unionsdesk.printing.pdf import (
    A4_SIZE,
    CancelCheck,
    ProgressCallback,
    plain_text,
    upper_yuan,
    yuan_text,
)
from unionsdesk.table import SUMMED_KINDS, TOTAL_LABEL, Column, Table, wan_text

__all__ = ["PAGE_SUBTOTAL_LABEL", "DrawingPage", "render_table_pdf", "render_tables_pdf"]

PAGE_SUBTOTAL_LABEL = "本页小计"
DEFAULT_SIGNATURES = ("经办人", "审核人", "负责人")
BASE_FONT_SIZE = 9.0
MIN_FONT_SIZE = 6.5
# Column.width counts half-width characters; a CJK character is two.
_HALF_EM = 0.5

_ALIGN: dict[str, Align] = {
    "text": "left",
    "idno": "center",
    "int": "right",
    "money": "right",
    "wan": "right",
    "date": "center",
}
_FIT: dict[str, Fit] = {
    "text": "wrap",
    "idno": "shrink",
    "int": "shrink",
    "money": "shrink",
    "wan": "shrink",
    "date": "shrink",
}


def _show(kind: str, value: object) -> str:
    if value is None:
        return ""
    if kind == "money" and not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"a money column holds int fen, not {value!r}")
        return yuan_text(value)
    if kind == "wan" and not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"a 万元 column holds int fen, not {value!r}")
        return wan_text(value)
    if kind == "date" and not isinstance(value, str):
        return plain_text(value)
    if kind == "int" and isinstance(value, bool):
        raise TypeError(f"an int column holds int, not {value!r}")
    return clean_text(plain_text(value), multiline=kind == "text")


def _natural_width(columns: Sequence[Column], size: float) -> float:
    return sum(max(c.width, 4) * _HALF_EM * size + 2 * PAD_X for c in columns)


def render_table_pdf(
    table: Table,
    path: str | os.PathLike[str],
    *,
    landscape: bool | None = None,
    signatures: Sequence[str] = DEFAULT_SIGNATURES,
    page_subtotals: bool = False,
    subtotal_columns: Sequence[str] = (),
    upper_total_column: str | None = None,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Print ``table`` to a PDF at ``path`` (replacing it) and return the path.

    A4 portrait, or landscape when ``landscape`` is True or (``None``) the
    columns are too wide for portrait; a table too wide even for landscape
    gets a smaller font. The title, the subtitle and units line, and the
    header row are on every page; rows are never split.

    ``page_subtotals`` closes every page with a 本页小计 row summing
    ``subtotal_columns`` (keys; default: every money column) over that page's
    rows. The last page has the 合计 row from ``table.totals`` and, with
    ``upper_total_column`` (a money column key), the line
    "合计金额（大写）：人民币…" for that column's total (``table.totals``, or
    the sum of the rows when the table has none). Then notes and the
    ``signatures`` lines; "第 n 页 共 m 页" at the foot of every page.

    Raises `MissingGlyphError` (a UserError) before writing anything when a
    character cannot be printed with the bundled fonts.
    """
    doc = _table_document(
        table,
        landscape=landscape,
        signatures=signatures,
        page_subtotals=page_subtotals,
        subtotal_columns=subtotal_columns,
        upper_total_column=upper_total_column,
    )
    target = Path(path)
    render_grid(doc, target, pdf_title=table.title, progress=progress, cancelled=cancelled)
    return target


def render_tables_pdf(
    tables: Sequence[Table],
    path: str | os.PathLike[str],
    *,
    title: str = "",
    landscape: bool | None = None,
    signatures: Sequence[str] = DEFAULT_SIGNATURES,
    page_subtotals: bool = False,
    subtotal_columns: Sequence[str] = (),
    upper_total_column: str | None = None,
    contents: str = "",
    drawings: Sequence[DrawingPage] = (),
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Print several tables into one PDF at ``path``, each starting on a new page.

    Each table is laid out exactly as by `render_table_pdf` with the same
    options (its own title, header rows, 本页小计, 合计 row and, with
    ``upper_total_column``, its own 大写 line: every table can be filed on its
    own). The ``signatures`` come once, after the last table; "第 n 页 共 m 页"
    counts the pages of the whole document. ``title`` is the PDF's document
    title (default: the first table's title). Nothing is written when any
    table has a character the bundled fonts cannot print.
    """
    if not tables:
        raise ValueError("render_tables_pdf needs at least one table")
    docs = [
        _table_document(
            table,
            landscape=landscape,
            signatures=signatures if k == len(tables) - 1 else (),
            page_subtotals=page_subtotals,
            subtotal_columns=subtotal_columns,
            upper_total_column=upper_total_column,
        )
        for k, table in enumerate(tables)
    ]
    parts: list[GridDocument | DrawingPage] = [*docs, *drawings]
    if contents:
        parts.insert(0, _contents_document(contents, parts))
    target = Path(path)
    render_grid(parts, target, pdf_title=title, progress=progress, cancelled=cancelled)
    return target


def _contents_document(title: str, parts: Sequence[GridDocument | DrawingPage]) -> GridDocument:
    """A contents page: number, title and first page of each part (the contents'
    own pages counted first)."""

    def document(first_page: int) -> GridDocument:
        rows, page = [], first_page
        for n, (part, count) in enumerate(zip(parts, page_counts(parts), strict=True), 1):
            rows.append([str(n), part.title, f"第 {page} 页"])
            page += count
        return GridDocument(
            title=clean_text(title),
            columns=[
                GridColumn("序号", 6, align="center"),
                GridColumn("内容", 60),
                GridColumn("页码", 12, align="center"),
            ],
            rows=rows,
        )

    own = page_counts([document(1)])[0]
    return document(own + 1)


def _table_document(
    table: Table,
    *,
    landscape: bool | None,
    signatures: Sequence[str],
    page_subtotals: bool,
    subtotal_columns: Sequence[str],
    upper_total_column: str | None,
) -> GridDocument:
    """The grid layout of one table (see `render_table_pdf` for the options)."""
    columns = list(table.columns)
    index = table.column_index

    def money_column(key: str, what: str) -> int:
        if key not in index:
            raise ValueError(f"{what}: no column {key!r}")
        i = index[key]
        if columns[i].kind not in SUMMED_KINDS:
            raise ValueError(f"{what}: column {key!r} is {columns[i].kind}, not int/money")
        return i

    summed = [money_column(k, "subtotal_columns") for k in subtotal_columns]
    if page_subtotals and not summed:
        summed = [i for i, c in enumerate(columns) if c.kind == "money"]
    kinds = [c.kind for c in columns]

    # Size: portrait unless too wide; shrink the font when even landscape is too narrow.
    size = BASE_FONT_SIZE
    natural = _natural_width(columns, size)
    portrait_room = A4_SIZE[0] - 2 * MARGIN_X
    landscape_room = A4_SIZE[1] - 2 * MARGIN_X
    if landscape is None:
        landscape = natural > portrait_room
    room = landscape_room if landscape else portrait_room
    if natural > room:
        size = max(MIN_FONT_SIZE, int(size * room / natural * 10) / 10)

    rows = table.rows
    shown = [[_show(kinds[i], v) for i, v in enumerate(row)] for row in rows]

    def page_summary(start: int, end: int) -> SummaryRow:
        cells: list[str | None] = [None] * len(columns)
        for i in summed:
            cells[i] = _show(kinds[i], sum(_as_int(rows[r][i]) for r in range(start, end)))
        if cells[0] is None:
            cells[0] = PAGE_SUBTOTAL_LABEL
        return SummaryRow(cells)

    final_rows: list[SummaryRow] = []
    if table.totals is not None:
        cells: list[str | None] = [
            _show(kinds[i], v) if v is not None else None for i, v in enumerate(table.totals)
        ]
        if cells[0] is None:
            cells[0] = TOTAL_LABEL
        final_rows.append(SummaryRow(cells))

    final_lines: list[str] = []
    if upper_total_column is not None:
        i = money_column(upper_total_column, "upper_total_column")
        total = table.totals[i] if table.totals is not None else None
        if not isinstance(total, int) or isinstance(total, bool):
            total = sum(_as_int(row[i]) for row in rows)
        final_lines.append(f"{TOTAL_LABEL}金额（大写）：{upper_yuan(total)}")
    final_lines.extend(clean_text(note, multiline=True) for note in table.notes)

    header_lines: list[tuple[str, str]] = []
    if table.subtitle or table.units_text:
        header_lines.append((clean_text(table.subtitle), table.units_text))

    return GridDocument(
        title=clean_text(table.title),
        columns=[
            GridColumn(
                label=clean_text(c.label, multiline=True),
                weight=max(c.width, 4),
                align=_ALIGN.get(c.kind, "left"),
                fit=_FIT.get(c.kind, "wrap"),
            )
            for c in columns
        ],
        rows=shown,
        header_lines=header_lines,
        landscape=landscape,
        font_size=size,
        page_summary=page_summary if page_subtotals else None,
        final_rows=final_rows,
        final_lines=final_lines,
        signatures=[clean_text(s) for s in signatures],
        stamp=clean_text(table.stamp),
    )


def _as_int(value: object) -> int:
    if value is None or isinstance(value, str):
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected int, got {value!r}")
    return value
