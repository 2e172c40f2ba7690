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
from functools import partial
from operator import is_not, itemgetter
from pathlib import Path
from typing import Any

from unionsdesk import errors
from unionsdesk.errors import UserError
from unionsdesk.table import SUMMED_KINDS, TOTAL_LABEL, WAN_DECIMALS, Column, Table

__all__ = [
    "DATE_FORMAT",
    "MONEY_FORMAT",
    "Cancelled",
    "ExcelWriteError",
    "ProgressCallback",
    "check_output",
    "discard_sheet",
    "display_width",
    "excel_width",
    "safe_text",
    "save_workbook",
    "sheet_name",
    "write_table",
    "write_tables",
]

ProgressCallback = Callable[[int, int], None]  # (rows done, rows in all)
CancelCheck = Callable[[], bool]

MONEY_FORMAT = "#,##0.00"
WAN_FORMAT = "#,##0." + "0" * WAN_DECIMALS  # 万元 as the statistics forms show it
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
INT_FORMAT = "0"
TEXT_FORMAT = "@"

EXCEL_MAX_TEXT = 32767  # characters in one cell
EXCEL_MAX_ROWS = 1_048_576
_CHUNK = 1000  # rows between progress reports / cancel checks

# Characters XML 1.0 (and so .xlsx) cannot hold: C0 controls except tab/newline/CR,
# U+FFFE/U+FFFF and lone surrogates. Controls are dropped; surrogates become U+FFFD
# so that the loss shows.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LEADER = re.compile("(?:^| )[=#]")  # "=" or "#" at the start or after a space (see _plain)
_NOT_NONE = partial(is_not, None)  # keeps 0 and False, which a text cell shows as "0"/"否"
# Strings openpyxl would store as an error value instead of text.
_ERROR_CODES = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")
)


class ExcelWriteError(UserError):
    """The workbook could not be written; ``str(exc)`` is for the clerk."""


class Cancelled(errors.Cancelled):
    def __init__(self, message: str = "已取消，未生成文件") -> None:
        super().__init__(message)


def safe_text(value: object) -> object:
    """Return what to hand openpyxl so that ``value`` is stored as exactly that text.

    Non-strings are returned unchanged. A string keeps its characters, except
    those an .xlsx file cannot hold (control characters are dropped, lone
    surrogates become U+FFFD, CR/CRLF become LF as Excel stores them) and
    anything past Excel's 32 767-character limit; a string left empty is None.
    A string openpyxl would otherwise store as a formula (``=…``) or an error
    value (``#N/A``) is wrapped so it is written as a plain inline string; no
    apostrophe or other character is added, so reading it back gives the same
    text. Works for both normal and write-only workbooks, for ``cell.value =``
    and for ``ws.append``.
    """
    if not isinstance(value, str):
        return value
    if _plain(value):  # most cells
        return value
    text = value
    if "\r" in text:  # XML readers turn CR into LF anyway; say so up front
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _UNSAFE.search(text) is not None:
        text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
        if not text:
            return None
    if len(text) > EXCEL_MAX_TEXT:
        text = text[:EXCEL_MAX_TEXT]
    first = text[:1]
    if (first == "=" and len(text) > 1) or (first == "#" and text in _ERROR_CODES):
        from openpyxl.cell.rich_text import CellRichText

        return CellRichText([text])
    return text


def _plain(text: str) -> bool:
    """Whether openpyxl stores ``text`` exactly as it is: printable (so no control
    character, CR, surrogate or U+FFFE/U+FFFF), within Excel's cell limit, and not
    starting with "=" or "#" (a formula or an error value). Also used on a row's
    text cells joined with spaces: then no value may start so either, and a
    space followed by "="/"#" inside a value only costs the slow path."""
    return text.isprintable() and len(text) <= EXCEL_MAX_TEXT and _LEADER.search(text) is None


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


def _as_text(value: object) -> object:
    if value is None:
        return None
    return safe_text(value if isinstance(value, str) else _text_of(value))


def _as_money(value: object) -> object:
    if value is None or isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"a money column holds int fen, not {value!r}")
    from unionsdesk.domain.money import from_fen

    return from_fen(value)


def _as_wan(value: object) -> object:
    """Fen → 万元, exact (not rounded): the cell format shows the form's decimals, and
    a sum taken in Excel is the sum of the unrounded amounts, as the 合计 is."""
    if value is None or isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"a 万元 column holds int fen, not {value!r}")
    return Decimal(value).scaleb(-6)


def _as_int(value: object) -> object:
    if value is None or isinstance(value, str):
        return safe_text(value)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"an int column holds int, not {value!r}")
    return value


def _as_date(value: object) -> object:
    if value is None or isinstance(value, str):
        return safe_text(value)
    if not isinstance(value, date):
        raise TypeError(f"a date column holds date, not {value!r}")
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


_EXCEL_DAY_ZERO = date(1899, 12, 30).toordinal()
_EXCEL_FIRST_PLAIN_DAY = date(1900, 3, 1)  # before this, Excel's 1900 leap-year bug applies


def _excel_day(value: object) -> object:
    """A converted date cell value as Excel stores it: the day number for a plain
    date; anything else (a datetime, text) as openpyxl would write it."""
    if type(value) is date and value >= _EXCEL_FIRST_PLAIN_DAY:
        return value.toordinal() - _EXCEL_DAY_ZERO
    if isinstance(value, date):
        from openpyxl.utils.datetime import to_excel

        return to_excel(value)
    return value


_CONVERTERS: dict[str, Callable[[object], object]] = {
    "text": _as_text,
    "idno": _as_text,
    "money": _as_money,
    "wan": _as_wan,
    "int": _as_int,
    "date": _as_date,
}


def _convert(kind: str, value: object) -> object:
    """A Table cell value → the value written, by column kind."""
    return _CONVERTERS[kind](value)


_PLAIN_KINDS = frozenset({"text", "idno"})


def _number_format(kind: str) -> str:
    return {
        "money": MONEY_FORMAT,
        "wan": WAN_FORMAT,
        "date": DATE_FORMAT,
        "int": INT_FORMAT,
    }.get(kind, TEXT_FORMAT)


def check_output(
    path: Path, *, inputs: Sequence[Path] = (), force: bool = False, what: str = "输出文件"
) -> None:
    """Refuse to write ``path`` when it is one of ``inputs`` (also through another
    name: a link, a different spelling of the folder), or when it exists and
    ``force`` is not given. Call before the work starts, so nothing is done."""
    for source in inputs:
        same = path.resolve() == source.resolve()
        if not same and path.exists() and source.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(path, source)
        if same:
            raise ExcelWriteError(
                f"{what}“{path.name}”就是导入的文件，写入会覆盖原表；请换一个文件名"
            )
    if path.exists() and not force:
        raise ExcelWriteError(
            f"{what}“{path}”已存在，未做任何改动；请换一个文件名，或加 --force 覆盖"
        )


def save_workbook(wb: Any, path: Path) -> None:
    """Save to a temporary file beside ``path`` and move it into place.

    The target is never a half-written file and an existing one stays as it was
    until the new one is complete; a full disk or a file held open by Excel/WPS
    gives one clear message (and no "Exception ignored" noise from a zip file left
    half-written).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write_zip(wb, tmp)
        os.replace(tmp, path)
    except PermissionError:
        raise ExcelWriteError(
            f"无法写入“{path.name}”：文件可能正在Excel或WPS中打开，请关闭后重试"
        ) from None
    except FileNotFoundError:
        raise ExcelWriteError(f"无法写入“{path}”：文件夹不存在") from None
    except OSError as exc:
        raise ExcelWriteError(write_failure(path, exc)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def write_failure(path: Path, exc: OSError) -> str:
    """The clerk's sentence for a file that could not be written."""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"磁盘空间已满，未能写入“{path.name}”（原有文件没有改动）。请清理磁盘空间或换一个位置后重试"
    if exc.errno == errno.EROFS:
        return f"无法写入“{path.name}”：所在位置是只读的，请换一个位置"
    return f"无法写入“{path.name}”：{exc.strerror or exc}"


def _write_zip(wb: Any, target: Path) -> None:
    """``wb.save(target)`` on a file this function owns: when a write fails, the zip
    archive is detached from the file, so that its finaliser does not try to finish
    the file again (on a full disk that printed a traceback at exit)."""
    from datetime import UTC
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    fh = target.open("wb")
    archive: ZipFile | None = None
    try:
        archive = ZipFile(fh, "w", ZIP_DEFLATED, allowZip64=True)
        wb.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
        ExcelWriter(wb, archive).save()  # closes the archive
        fh.flush()
        os.fsync(fh.fileno())
    except BaseException:
        if archive is not None:
            archive.fp = None
        with contextlib.suppress(OSError):
            fh.close()
        raise
    fh.close()


class _Styles:
    """Style arrays built once; `Cell(style_array=…)` copies one into each cell."""

    def __init__(self, ws: Any) -> None:
        from openpyxl.styles import DEFAULT_FONT, Alignment, Border, Font, PatternFill, Side

        self.ws = ws
        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)

        def font(size: float, bold: bool) -> Any:
            return Font(
                name=DEFAULT_FONT.name,
                family=DEFAULT_FONT.family,
                scheme=DEFAULT_FONT.scheme,
                size=size,
                bold=bold,
            )

        self.font_title = font(16, True)
        self.font_bold = font(DEFAULT_FONT.sz, True)
        self.fill_header = PatternFill("solid", fgColor="D9E1F2")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center")

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
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if border:
            cell.border = self.border
        if alignment is not None:
            cell.alignment = alignment
        if number_format is not None:
            cell.number_format = number_format
        return cell._style  # a StyleArray

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
    when ``cancelled()`` returns True the job stops, no file is left behind
    (neither at ``path`` nor openpyxl's temporary file) and `Cancelled` is raised.
    """
    return write_tables(path, [(table, sheet_title)], progress=progress, cancelled=cancelled)


def write_tables(
    path: str | os.PathLike[str],
    sheets: Sequence[tuple[Table, str | None]],
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Write several tables, one sheet each (sheet name, or the table's title)."""
    from openpyxl import Workbook

    if not sheets:
        raise ValueError("write_tables needs at least one table")
    target = Path(path)
    for table, _ in sheets:
        room = EXCEL_MAX_ROWS - 4 - len(table.notes)
        if len(table.rows) > room:
            raise ExcelWriteError(
                f"“{table.title}”有{len(table.rows)}行，超过了Excel单个工作表的上限（{room}行），请分批导出"
            )
    grand_total = sum(len(table.rows) for table, _ in sheets)
    wb = Workbook(write_only=True)
    used: set[str] = set()
    done = 0
    written: list[Any] = []
    try:
        for table, title in sheets:
            name = _unique(sheet_name(title or table.title), used)
            ws = wb.create_sheet(title=name)
            written.append(ws)
            offset = done

            def report(n: int, _total: int, offset: int = offset) -> None:
                if progress is not None:
                    progress(offset + n, grand_total)

            _write_sheet(ws, table, report, cancelled)
            done += len(table.rows)
    except OSError as exc:  # the sheets' temporary files (the system's temp folder)
        for ws in written:
            _discard(ws)
        raise ExcelWriteError(write_failure(target, exc)) from None
    except BaseException:
        for ws in written:
            _discard(ws)
        raise
    save_workbook(wb, target)
    if progress is not None:
        progress(grand_total, grand_total)
    return target


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate.casefold() in used:
        n += 1
        suffix = f"({n})"
        candidate = name[: 31 - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def discard_sheet(ws: Any) -> None:
    """Remove the temporary file of a write-only sheet that will not be saved
    (a cancelled or failed export)."""
    _discard(ws)


def _discard(ws: Any) -> None:
    """Remove the temporary file of an unsaved write-only sheet."""
    rows = getattr(ws, "_rows", None)
    if rows is not None:  # the generator feeding the sheet; closing it ends <sheetData>
        with contextlib.suppress(Exception):
            rows.close()
    writer = getattr(ws, "_writer", None)
    if writer is None:
        return
    with contextlib.suppress(Exception):
        writer.close()
    with contextlib.suppress(Exception):
        writer.cleanup()


def _write_sheet(
    ws: Any,
    table: Table,
    progress: ProgressCallback | None,
    cancelled: CancelCheck | None,
) -> None:
    from openpyxl.cell import Cell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    columns = list(table.columns)
    ncols = len(columns)
    kinds = [c.kind for c in columns]
    total_rows = len(table.rows)
    st = _Styles(ws)

    # Sheet settings must be made before the first row is written.
    title_row = 1
    subtitle_row = 2 if (table.subtitle or table.units_text) else 0
    header_row = 3 if subtitle_row else 2
    for i, (column, kind) in enumerate(zip(columns, kinds, strict=True), 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = excel_width(column)
        # What a clerk types later into an empty cell of an ID column stays text.
        dim.number_format = _number_format(kind)
    ws.row_dimensions[title_row].height = 30
    ws.row_dimensions[header_row].height = 36 if any("\n" in c.label for c in columns) else 24
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.gridLines = True  # cheaper than a border on every data cell
    ws.print_options.horizontalCentered = True
    ws.page_setup.paperSize = 9  # A4, never Letter
    wide = sum(excel_width(c) for c in columns) > 100
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    cell = st.cell

    def merge(row: int, first: int = 1, upto: int = ncols) -> None:
        if upto > first:
            ws.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(upto)}{row}")

    s_title = st.make(font=st.font_title, alignment=st.center)
    title = f"{table.title}（{table.stamp}）" if table.stamp else table.title
    ws.append([cell(s_title, safe_text(title))] + [cell(s_title, None)] * (ncols - 1))
    merge(title_row)
    if subtitle_row:
        s_sub = st.make(alignment=st.left)
        units = table.units_text
        if units and table.subtitle and ncols > 1:
            s_units = st.make(alignment=st.right)
            ws.append(
                [cell(s_sub, safe_text(table.subtitle))]
                + [None] * (ncols - 2)
                + [cell(s_units, safe_text(units))]
            )
            merge(subtitle_row, 1, ncols - 1)
        else:
            ws.append(
                [cell(s_sub, safe_text("    ".join(t for t in (table.subtitle, units) if t)))]
            )
            merge(subtitle_row)
    s_head = st.make(font=st.font_bold, fill=st.fill_header, border=True, alignment=st.center)
    ws.append([cell(s_head, safe_text(c.label)) for c in columns])

    # Data rows. Text goes in as plain safe values, the fastest path openpyxl has.
    # A row's text cells are checked at once: joined with spaces, they are safe
    # as they are when the whole is printable (no control character, CR or
    # surrogate), short enough, and no value starts with "=" or "#" (a space
    # followed by one of them only costs the slow path). Otherwise, or when a
    # text column holds a non-string, each value goes through its converter.
    # Numbers and dates need their number format: each such column has one
    # styled cell that every row reuses (a write-only sheet writes a row out
    # before `append` returns), and dates go in as Excel day numbers, so
    # openpyxl does no date handling per cell.
    plain = [i for i, kind in enumerate(kinds) if kind in _PLAIN_KINDS]
    typed = [
        (
            i,
            _CONVERTERS[kind],
            Cell(ws, row=1, column=1, style_array=st.make(number_format=_number_format(kind))),
            kind == "date",
        )
        for i, kind in enumerate(kinds)
        if kind not in _PLAIN_KINDS
    ]
    texts_of: Callable[[Sequence[object]], Sequence[object]] = (
        (lambda row: ())
        if not plain
        else itemgetter(*plain)
        if len(plain) > 1
        else (lambda row: (row[plain[0]],))
    )
    append = ws.append
    for n, row in enumerate(table.rows):
        if n % _CHUNK == 0 and n:
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:
                progress(n, total_rows)
        if len(row) != ncols:
            raise ValueError(f"row {n} has {len(row)} values for {ncols} columns")
        out = list(row)
        try:
            safe = _plain(" ".join(filter(_NOT_NONE, texts_of(row))))  # type: ignore[arg-type]
        except TypeError:  # a number, date or bool in a text column
            safe = False
        if not safe:
            for i in plain:
                out[i] = _as_text(out[i])
        for i, convert, target, is_date in typed:
            value = out[i]
            if value is not None:
                value = convert(value)
                target.value = _excel_day(value) if is_date else value
                out[i] = target
        append(out)
    if cancelled is not None and cancelled():
        raise Cancelled()

    row_no = header_row + total_rows + 1
    if table.totals is not None:
        values = list(table.totals)
        if values[0] is None and kinds[0] not in SUMMED_KINDS:
            values[0] = TOTAL_LABEL
        totals = []
        for i, (kind, value) in enumerate(zip(kinds, values, strict=True)):
            style = st.make(
                font=st.font_bold,
                border=True,
                alignment=st.center if i == 0 and kind in _PLAIN_KINDS else None,
                number_format=_number_format(kind),
            )
            totals.append(cell(style, _convert(kind, value)))
        append(totals)
        row_no += 1
    s_note = st.make(alignment=st.left)
    for note in table.notes:
        append([cell(s_note, safe_text(note))])
        merge(row_no)
        row_no += 1


_SHEET_BAD = re.compile(r"[\\/?*\[\]:]")


def sheet_name(title: str) -> str:
    """A valid sheet name from a title: no \\ / ? * [ ] :, at most 31 characters."""
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", title))
    name = _SHEET_BAD.sub("_", text).strip().strip("'")[:31]
    return name or "Sheet1"
