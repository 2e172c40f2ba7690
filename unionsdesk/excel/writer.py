"""Excel export with openpyxl in write-only mode.

Every string goes through `safe_text`, so nothing a clerk typed turns into a
formula or an error value (``=1+1``, ``=HYPERLINK(…)``, ``#N/A`` stay text),
and IDs, bank numbers and codes with leading zeros are written as text cells.

`write_table` renders a `unionsdesk.reports.Table`: title, subtitle/units,
styled and frozen header, typed data cells with number formats, a 合计 row
and notes. Styles are built once per column and copied into each cell (a
plain array copy), so 100 000 rows stay fast and memory stays flat.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from unionsdesk.errors import UnionsDeskError, UserError
from unionsdesk.reports.table import SUMMED_KINDS, TOTAL_LABEL, Column, Table

__all__ = [
    "DATE_FORMAT",
    "MONEY_FORMAT",
    "Cancelled",
    "ExcelWriteError",
    "ProgressCallback",
    "display_width",
    "excel_width",
    "safe_text",
    "save_workbook",
    "write_table",
]

ProgressCallback = Callable[[int, int], None]  # (rows done, rows in all)
CancelCheck = Callable[[], bool]

MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
INT_FORMAT = "0"
TEXT_FORMAT = "@"

EXCEL_MAX_TEXT = 32767  # characters in one cell
EXCEL_MAX_ROWS = 1_048_576
_CHUNK = 1000  # rows between progress reports / cancel checks

# Characters XML 1.0 (and so .xlsx) cannot hold: C0 controls except tab/newline/CR,
# U+FFFE/U+FFFF, and lone surrogates (replaced, not dropped, so the loss shows).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# What openpyxl would store as something other than a string.
_ERROR_CODES = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
)


class ExcelWriteError(UserError):
    """The workbook could not be written; ``str(exc)`` is for the clerk."""


class Cancelled(UnionsDeskError):
    """The clerk cancelled a long job; nothing was left behind."""

    def __init__(self, message: str = "已取消，未生成文件") -> None:
        super().__init__(message)


def safe_text(value: object) -> object:
    """Return what to hand openpyxl so that ``value`` is stored as exactly that text.

    Non-strings are returned unchanged. A string keeps its characters, except
    those an .xlsx file cannot hold (control characters are dropped, lone
    surrogates become U+FFFD) and anything past Excel's 32 767-character limit.
    A string openpyxl would otherwise store as a formula (``=…``) or an error
    value (``#N/A``) is wrapped so it is written as a plain inline string; no
    apostrophe or other character is added, so reading it back gives the same
    text. Works for both normal and write-only workbooks, for ``cell.value =``
    and for ``ws.append``.
    """
    if not isinstance(value, str):
        return value
    text = value
    if _ILLEGAL_XML.search(text):
        text = _ILLEGAL_XML.sub("", text)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    if len(text) > EXCEL_MAX_TEXT:
        text = text[:EXCEL_MAX_TEXT]
    if (len(text) > 1 and text.startswith("=")) or text in _ERROR_CODES:
        from openpyxl.cell.rich_text import CellRichText

        return CellRichText([text])
    return text


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and other wide characters count 2."""
    return sum(1 if ord(ch) < 0x1100 else 2 for ch in text)


def excel_width(column: Column) -> float:
    """Excel column width for a Column: its width, at least its label, plus padding."""
    return float(max(column.width, display_width(column.label)) + 2)


def _text_of(value: object) -> str:
    """How a non-string value reads in a text cell."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def _convert(kind: str, value: object) -> object:
    """A Table cell value → the value written, by column kind."""
    if value is None:
        return None
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        from unionsdesk.domain.money import from_fen

        return from_fen(value)
    if kind == "int" and isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    if kind == "date" and isinstance(value, date):
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        return value
    if kind in ("money", "int", "date") and not isinstance(value, str):
        raise TypeError(f"column kind {kind!r} cannot hold {value!r}")
    return safe_text(value if isinstance(value, str) else _text_of(value))


def _number_format(kind: str) -> str:
    return {
        "money": MONEY_FORMAT,
        "date": DATE_FORMAT,
        "int": INT_FORMAT,
    }.get(kind, TEXT_FORMAT)


def save_workbook(wb: Any, path: Path) -> None:
    """Save to a temporary file beside ``path`` and move it into place.

    The target is never a half-written file; a file held open by Excel/WPS
    gives a clear message.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except PermissionError:
        raise ExcelWriteError(
            f"无法写入“{path.name}”：文件可能正在Excel或WPS中打开，请关闭后重试"
        ) from None
    except FileNotFoundError:
        raise ExcelWriteError(f"无法写入“{path}”：文件夹不存在") from None
    except OSError as exc:
        raise ExcelWriteError(f"无法写入“{path.name}”：{exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


class _Styles:
    """Style arrays built once and copied into each cell (cheap array copies)."""

    def __init__(self, ws: Any) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws = ws
        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font_title = Font(name="宋体", size=16, bold=True)
        self.font_bold = Font(name="宋体", size=11, bold=True)
        self.font_normal = Font(name="宋体", size=11)
        self.fill_header = PatternFill("solid", fgColor="D9E1F2")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")
        self.vcenter = Alignment(vertical="center")

    def make(
        self,
        *,
        font: Any = None,
        fill: Any = None,
        border: bool = False,
        alignment: Any = None,
        number_format: str | None = None,
    ) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws)
        cell.font = font or self.font_normal
        if fill is not None:
            cell.fill = fill
        if border:
            cell.border = self.border
        if alignment is not None:
            cell.alignment = alignment
        if number_format is not None:
            cell.number_format = number_format
        return cell._style  # a StyleArray; Cell(style_array=…) copies it

    def cell(self, style: Any, value: object) -> Any:
        from openpyxl.cell import Cell

        return Cell(self.ws, row=1, column=1, value=value, style_array=style)


def write_table(
    path: str | os.PathLike[str],
    table: Table,
    sheet_title: str | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Write ``table`` to a new .xlsx at ``path`` (replacing it) and return the path.

    ``progress(done, total)`` is called every 1 000 rows and at the end;
    when ``cancelled()`` returns True the job stops, no file is left and
    `Cancelled` is raised.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    target = Path(path)
    columns = list(table.columns)
    ncols = len(columns)
    total_rows = len(table.rows)
    extra = 4 + len(table.notes)
    if total_rows + extra > EXCEL_MAX_ROWS:
        raise ExcelWriteError(
            f"数据有{total_rows}行，超过了Excel单个工作表的上限（{EXCEL_MAX_ROWS - extra}行），请分批导出"
        )

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_sheet_title(sheet_title or table.title))
    st = _Styles(ws)
    last = get_column_letter(ncols)

    # Sheet-level settings must be made before the first row is written.
    for i, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = excel_width(column)
    row_no = 1
    ws.row_dimensions[row_no].height = 30
    title_row = row_no
    row_no += 1
    subtitle_row = 0
    if table.subtitle or table.units_text:
        subtitle_row = row_no
        row_no += 1
    header_row = row_no
    ws.row_dimensions[header_row].height = 24 if all("\n" not in c.label for c in columns) else 36
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = (
        "landscape" if sum(excel_width(c) for c in columns) > 100 else "portrait"
    )
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True

    s_title = st.make(font=st.font_title, alignment=st.center)
    s_sub = st.make(alignment=st.left)
    s_units = st.make(alignment=st.right)
    s_head = st.make(font=st.font_bold, fill=st.fill_header, border=True, alignment=st.center)
    s_note = st.make(alignment=st.left)
    body = [
        st.make(
            border=True,
            alignment=st.left if c.kind in ("text", "idno") else st.vcenter,
            number_format=_number_format(c.kind),
        )
        for c in columns
    ]
    total_styles = [
        st.make(
            font=st.font_bold,
            border=True,
            alignment=st.center if i == 0 else st.vcenter,
            number_format=_number_format(c.kind),
        )
        for i, c in enumerate(columns)
    ]
    kinds = [c.kind for c in columns]

    def merged(row: int, first: int = 1, upto: int = ncols) -> None:
        if upto > first:
            ws.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(upto)}{row}")

    # Title.
    ws.append([st.cell(s_title, safe_text(table.title))] + [st.cell(s_title, None)] * (ncols - 1))
    merged(title_row)
    # Subtitle and units.
    if subtitle_row:
        units = table.units_text
        if units and table.subtitle and ncols > 1:
            ws.append(
                [st.cell(s_sub, safe_text(table.subtitle))]
                + [None] * (ncols - 2)
                + [st.cell(s_units, safe_text(units))]
            )
            merged(subtitle_row, 1, ncols - 1)
        else:
            text = "    ".join(t for t in (table.subtitle, units) if t)
            ws.append([st.cell(s_sub, safe_text(text))])
            merged(subtitle_row)
    # Header.
    ws.append([st.cell(s_head, safe_text(c.label)) for c in columns])

    # Data rows.
    cell_of = st.cell
    for n, row in enumerate(table.rows):
        if n % _CHUNK == 0 and n:
            if cancelled is not None and cancelled():
                wb.close() if hasattr(wb, "close") else None
                raise Cancelled()
            if progress is not None:
                progress(n, total_rows)
        if len(row) != ncols:
            raise ValueError(f"row {n} has {len(row)} values for {ncols} columns")
        ws.append(
            [
                cell_of(style, _convert(kind, value))
                for style, kind, value in zip(body, kinds, row, strict=True)
            ]
        )
    if cancelled is not None and cancelled():
        raise Cancelled()

    # Totals.
    row_no = header_row + total_rows + 1
    if table.totals is not None:
        values = list(table.totals)
        if values[0] is None and kinds[0] not in SUMMED_KINDS:
            values[0] = TOTAL_LABEL
        ws.append(
            [
                cell_of(style, _convert(kind, value))
                for style, kind, value in zip(total_styles, kinds, values, strict=True)
            ]
        )
        row_no += 1
    # Notes.
    for note in table.notes:
        ws.append([st.cell(s_note, safe_text(note))])
        merged(row_no)
        row_no += 1

    target.parent.mkdir(parents=True, exist_ok=True) if target.parent.exists() else None
    save_workbook(wb, target)
    if progress is not None:
        progress(total_rows, total_rows)
    return target


_SHEET_BAD = re.compile(r"[\\/?*\[\]:]")


def _sheet_title(title: str) -> str:
    """A valid sheet name: no \\ / ? * [ ] :, at most 31 characters, not blank."""
    name = _SHEET_BAD.sub("_", safe_text_str(title)).strip("'") or "Sheet1"
    return name[:31]


def safe_text_str(value: str) -> str:
    """`safe_text` for places that need a plain ``str`` (sheet names, headers)."""
    text = _ILLEGAL_XML.sub("", value)
    return _SURROGATE.sub("\ufffd", text)[:EXCEL_MAX_TEXT]


def _unused(_: Sequence[object]) -> None:  # pragma: no cover - keeps Sequence import honest
    return None
