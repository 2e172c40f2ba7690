"""Excel import: read a sheet, find its header, walk its records, validate them.

The pipeline is generic and driven by an `EntitySpec`:

1. `read_sheet` reads every cell of one sheet with python-calamine (.xlsx,
   .xlsm, .xls, .ods; files saved by WPS). Empty cells are ``None``; other
   values keep calamine's types (str, float, int, bool, date, datetime, …).
2. `detect_header` finds the header row among the first rows by matching the
   cells against each field's label and aliases, tolerating title rows,
   填报单位 rows, ``*``/（必填） marks, spaces and full-width characters, and
   two-row merged headers.
3. `iter_records` yields one `SourceRow` per data row with its Excel row
   number, and counts the rows it skips (blank, 合计, notes, repeated headers).
4. `validate_rows` cleans every row with the spec and collects one `RowError`
   per bad field; `write_error_workbook` writes them for the clerk to fix.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from unionsdesk.domain.readers import strip_spaces, to_halfwidth
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.fields import CodeLookup, EntitySpec, FieldSpec

__all__ = [
    "SKIP_LABELS",
    "UNRECOGNISED",
    "ExcelReadError",
    "HeaderMatch",
    "RowError",
    "SheetData",
    "SkipReport",
    "SourceRow",
    "ValidationResult",
    "column_letter",
    "detect_header",
    "iter_records",
    "normalize_header",
    "read_records",
    "read_sheet",
    "validate_rows",
    "write_error_workbook",
]

UNRECOGNISED = "无法识别的值"

# Kinds of skipped rows, with the words the clerk's summary uses.
SKIP_LABELS: dict[str, str] = {
    "title": "表头上方的标题行",
    "blank": "空行",
    "total": "合计行",
    "note": "说明行",
    "header": "重复的表头行",
    "example": "模板中的示例行",
}

_TOTAL_WORDS = ("合计", "总计", "小计", "共计", "总合计")
_TOTAL_SCAN_COLUMNS = 4  # a 合计 row says so within its first few cells
_NOTE_PREFIXES = (
    "填表说明",
    "说明:",
    "说明：",
    "注:",
    "注：",
    "备注:",
    "备注：",
    "注意:",
    "注意：",
)
_NOTE_WORDS = ("填表说明", "说明", "注", "备注", "注意事项")
_NOTE_FIRST = frozenset(w[0] for w in _NOTE_PREFIXES + _NOTE_WORDS)
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_TOO_BIG = 10**30  # numbers this large in a cell are nonsense, not data


class ExcelReadError(UserError):
    """The file or sheet cannot be imported; ``str(exc)`` is for the clerk."""


# ---------------------------------------------------------------------------- reading


def _open_error(path: Path, exc: BaseException) -> ExcelReadError:
    """Turn a calamine/OS error into one clear sentence."""
    name = path.name
    type_name = type(exc).__name__
    if type_name == "PasswordError" or _looks_encrypted(path):
        return ExcelReadError(f"“{name}”设有打开密码，请先在Excel或WPS中取消密码、另存后再导入")
    if isinstance(exc, PermissionError):
        return ExcelReadError(f"无法打开“{name}”：没有读取权限，或文件正被其他程序占用")
    if path.suffix.lower() in (".csv", ".txt"):
        return ExcelReadError(f"“{name}”不是Excel工作簿，请在Excel或WPS中另存为.xlsx后再导入")
    return ExcelReadError(
        f"无法读取“{name}”：文件不是Excel工作簿（.xlsx、.xls、.ods），或文件已损坏。"
        "请在Excel或WPS中打开并另存为.xlsx后再试"
    )


def _open_workbook(kind: Any, src: Path) -> Any:
    """calamine's workbook for ``src``. ``from_path`` picks the format by the suffix;
    when that fails, the content decides (``from_filelike`` sniffs it), so an old
    .xls renamed .xlsx (or the other way round) still opens."""
    try:
        return kind.from_path(str(src))
    except BaseException as exc:
        if _is_fatal(exc) or isinstance(exc, OSError):
            raise
        first = exc
    try:
        with src.open("rb") as fh:
            return kind.from_filelike(fh)
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        raise first from None


def _looks_encrypted(path: Path) -> bool:
    """An encrypted .xlsx is an OLE file holding an ``EncryptedPackage`` stream."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 20)
    except OSError:
        return False
    return head.startswith(_OLE_MAGIC) and _ENCRYPTED_MARK in head


def _is_fatal(exc: BaseException) -> bool:
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError)


def read_sheet(
    path: str | os.PathLike[str],
    sheet: str | int | None = None,
    *,
    fill_merged: bool = True,
) -> list[list[object]]:
    """Every row of one sheet, from cell A1, as lists of equal length.

    ``sheet`` is a sheet name, a 0-based index, or ``None`` for the first
    visible worksheet. Empty cells are ``None``; row ``i`` of the result is
    Excel row ``i + 1``. With ``fill_merged``, a merged range that spans
    several rows repeats its value down its first column (a 工作单位 merged over
    five members, a header cell merged over two header rows); ranges within
    one row (titles, notes) are left as they are.
    """
    from python_calamine import CalamineWorkbook

    src = Path(path)
    if not src.exists():
        raise ExcelReadError(f"找不到文件：{src}")
    if not src.is_file():
        raise ExcelReadError(f"“{src}”不是文件")
    try:
        if src.stat().st_size == 0:
            raise ExcelReadError(f"“{src.name}”是空文件（0字节），请检查是否复制完整")
    except OSError as exc:
        raise _open_error(src, exc) from None

    try:
        wb = _open_workbook(CalamineWorkbook, src)
    except BaseException as exc:
        if _is_fatal(exc):
            raise
        raise _open_error(src, exc) from None

    try:
        names: list[str] = list(wb.sheet_names)
        if not names:
            raise ExcelReadError(f"“{src.name}”中没有工作表")
        chosen = _choose_sheet(wb, names, sheet, src.name)
        try:
            ws = wb.get_sheet_by_name(chosen)
            raw = ws.to_python(skip_empty_area=False)
            merged = ws.merged_cell_ranges if fill_merged else None
        except BaseException as exc:
            if _is_fatal(exc):
                raise
            raise ExcelReadError(
                f"无法读取“{src.name}”中的工作表“{chosen}”：文件可能已损坏，请另存为.xlsx后再试"
            ) from None
    finally:
        close = getattr(wb, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                close()

    rows: list[list[object]] = [[None if v == "" else v for v in row] for row in raw]
    if not any(any(_has_value(v) for v in row) for row in rows):
        if len(names) == 1:
            raise ExcelReadError(f"“{src.name}”是空的，没有任何数据")
        raise ExcelReadError(f"工作表“{chosen}”是空的，没有任何数据")
    if merged:
        _fill_merged(rows, merged)
    return rows


def _choose_sheet(wb: Any, names: list[str], sheet: str | int | None, file_name: str) -> str:
    listing = "、".join(f"“{n}”" for n in names)
    if sheet is None:
        try:
            for meta in wb.sheets_metadata:
                if str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet"):
                    return str(meta.name)
        except Exception:  # pragma: no cover - metadata is a convenience
            pass
        return names[0]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise ExcelReadError(
                f"“{file_name}”只有{len(names)}个工作表（{listing}），没有第{sheet + 1}个"
            )
        return names[sheet]
    if sheet in names:
        return sheet
    wanted = normalize_header(sheet)
    for name in names:
        if normalize_header(name) == wanted:
            return name
    raise ExcelReadError(f"“{file_name}”中没有名为“{sheet}”的工作表（现有：{listing}）")


def _fill_merged(rows: list[list[object]], ranges: Iterable[Any]) -> None:
    for rng in ranges:
        try:
            (r0, c0), (r1, _c1) = rng
        except (TypeError, ValueError):  # pragma: no cover - unexpected shape
            continue
        if r1 <= r0 or r0 >= len(rows):
            continue
        if c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        # Down the range's first column only: a block merged over several
        # columns still holds one value, which belongs to its first column.
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            if c0 < len(rows[r]):
                rows[r][c0] = value


# ------------------------------------------------------------------------- normalising

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"'})
_MARKS = ("(必填)", "(必填项)", "(必选)", "(选填)", "(可选)", "(非必填)", "(可不填)", "*", ":")
_TRAILING_PARENS = re.compile(r"^(.+?)\([^()]*\)$")


def normalize_header(value: object) -> str:
    """How header cells and field labels are compared.

    Removes every space (also full-width, non-breaking and zero-width ones) and
    line break, maps full-width characters to half-width and curly quotes to
    straight ones, drops ``*``/（必填）-style marks and a trailing colon, and
    case-folds.
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, str | int | float):
        return ""
    s = strip_spaces(to_halfwidth(str(value))).translate(_QUOTES).casefold()
    changed = True
    while changed and s:
        changed = False
        for mark in _MARKS:
            if s.endswith(mark) and len(s) > len(mark):
                s, changed = s[: -len(mark)], True
        if s.startswith("*") and len(s) > 1:
            s, changed = s[1:], True
    return s


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _is_blank(value: object) -> bool:
    """None, or a string of nothing but spaces and invisible characters."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    s = value.strip()
    if not s:
        return True
    if s[0] in _INVISIBLE or s[-1] in _INVISIBLE:
        return not strip_spaces(s)
    return False


def _has_value(value: object) -> bool:
    return not _is_blank(value)


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ----------------------------------------------------------------------------- header


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header is and which column holds which field."""

    row_index: int  # 0-based index (in the rows) of the last header row; data follows
    columns: dict[int, str]  # 0-based column → field name
    labels: dict[int, str]  # 0-based column → header text as written in the file
    unmatched: dict[int, str]  # header columns no field claims (序号, 备注 …)
    missing: tuple[str, ...]  # required fields with no column (only with allow_missing)
    first_row_index: int = -1  # first header row when the header spans two rows

    def __post_init__(self) -> None:
        if self.first_row_index < 0:
            object.__setattr__(self, "first_row_index", self.row_index)

    @property
    def row_number(self) -> int:
        """The header's (last) row as Excel numbers it."""
        return self.row_index + 1

    @property
    def width(self) -> int:
        """Columns up to the last header cell."""
        used = list(self.columns) + list(self.unmatched)
        return max(used) + 1 if used else 0

    def column_of(self, field_name: str) -> int | None:
        for col, name in self.columns.items():
            if name == field_name:
                return col
        return None

    def describe(self, spec: EntitySpec) -> list[tuple[str, str]]:
        """(column header in the file, field label) pairs, for the preview."""
        return [(self.labels[col], spec[name].label) for col, name in sorted(self.columns.items())]


def _header_index(spec: EntitySpec) -> tuple[dict[str, str], dict[str, str]]:
    """Normalised label → field name, and normalised alias → field name.

    Two fields claiming the same spelling is a mistake in the spec.
    """
    labels: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for f in spec.fields:
        key = normalize_header(f.label)
        if key in labels and labels[key] != f.name:
            raise ValueError(f"{spec.name}: fields {labels[key]!r} and {f.name!r} share a label")
        labels[key] = f.name
    for f in spec.fields:
        for alias in f.aliases:
            key = normalize_header(alias)
            owner = labels.get(key) or aliases.get(key)
            if owner is not None and owner != f.name:
                raise ValueError(
                    f"{spec.name}: header {alias!r} of {f.name!r} already belongs to {owner!r}"
                )
            aliases[key] = f.name
    return labels, aliases


def _match_cell(value: object, labels: Mapping[str, str], aliases: Mapping[str, str]) -> str | None:
    key = normalize_header(value)
    if not key:
        return None
    found = labels.get(key) or aliases.get(key)
    if found is None:
        # "入会时间(年月日)" → "入会时间"; "届期(年)" itself matched above.
        m = _TRAILING_PARENS.match(key)
        if m:
            found = labels.get(m.group(1)) or aliases.get(m.group(1))
    return found


def _cell_text(value: object) -> str:
    """A header cell as written (outer spaces trimmed), for messages and the error workbook."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class _Candidate:
    top: int
    bottom: int
    fields: dict[int, str]  # column → field
    texts: dict[int, str]  # column → header text
    score: int = 0


# An explicit column mapping: field name → 0-based column index (None or -1: the
# field is taken from no column). Fields it does not name keep the detected column.
ColumnMap = Mapping[str, "int | None"]


def detect_header(
    rows: Sequence[Sequence[object]],
    spec: EntitySpec,
    max_scan: int = 30,
    *,
    allow_missing: bool = False,
    columns: ColumnMap | None = None,
) -> HeaderMatch:
    """Find the header row among the first ``max_scan`` rows.

    The row whose cells match the most fields (at least two, or one for a
    one-field spec) wins; a row holding every required field beats one that
    does not. A two-row header — group titles above, with some header cells
    merged down over both rows — is read as one. Raises `ExcelReadError` when
    no header is found, when required columns are missing (unless
    ``allow_missing``), or when two columns claim the same field.

    ``columns`` (a mapping the clerk confirmed in the preview) overrides the
    detected column of each field it names; the header row is still the
    detected one, or — when no row matches the spec — the row that looks most
    like a header (`_guess_header`), the same row `preview` shows.
    """
    best = _find_header(rows, spec, max_scan)
    if best is None:
        guess = _guess_header(rows, spec, max_scan) if columns else None
        if guess is None:
            raise _no_header_error(spec, max_scan)
        best = guess
    if columns:
        best = _apply_columns(rows, best, spec, columns)

    # The same field under two columns is ambiguous: refuse instead of guessing.
    dups = _duplicates(best)
    if dups:
        parts = [
            "、".join(f"{column_letter(c)}列“{best.texts[c]}”" for c in cols)
            + f"都对应“{spec[name].label}”"
            for name, cols in dups.items()
        ]
        raise ExcelReadError(
            f"第{best.bottom + 1}行表头有重复的列：{'；'.join(parts)}。请删除或改名多余的列后再导入"
        )

    missing = _missing_required(spec, best)
    if missing and not allow_missing:
        raise ExcelReadError(
            f"第{best.bottom + 1}行表头缺少必填的列：{_describe_fields(spec, missing)}"
        )
    return _header_match(rows, best, missing)


def _find_header(
    rows: Sequence[Sequence[object]], spec: EntitySpec, max_scan: int
) -> _Candidate | None:
    """The best header candidate among the first ``max_scan`` rows (None: no row has
    enough matching cells). Duplicates and missing columns are not judged here."""
    labels, aliases = _header_index(spec)
    required = [f.name for f in spec.fields if f.required]
    need = min(2, len(spec.fields))
    scan = min(len(rows), max_scan)
    matched: list[dict[int, str]] = []
    for r in range(scan):
        found: dict[int, str] = {}
        for c, value in enumerate(rows[r]):
            name = _match_cell(value, labels, aliases)
            if name is not None:
                found[c] = name
        matched.append(found)

    candidates: list[_Candidate] = []
    for r in range(scan):
        row = rows[r]
        single = _Candidate(r, r, dict(matched[r]), _texts(row, matched[r]))
        candidates.append(single)
        if r == 0 or not matched[r] or not matched[r - 1]:
            continue
        # Two-row header: this row's cells, plus the row above where this row is blank.
        above = rows[r - 1]
        fields = dict(matched[r])
        texts = _texts(row, matched[r])
        for c, name in matched[r - 1].items():
            if c not in fields and (c >= len(row) or _is_blank(row[c])):
                fields[c] = name
                texts[c] = _cell_text(above[c])
        if len(fields) > len(matched[r]):
            candidates.append(_Candidate(r - 1, r, fields, texts))

    def rank(cand: _Candidate) -> tuple[int, int, int, int]:
        names = set(cand.fields.values())
        has_required = all(n in names for n in required)
        # More distinct fields first; then a one-row header; then the earlier row.
        return (int(has_required), len(names), -(cand.bottom - cand.top), -cand.bottom)

    viable = [c for c in candidates if len(set(c.fields.values())) >= need]
    if not viable:
        return None
    return max(viable, key=rank)


def _no_header_error(spec: EntitySpec, max_scan: int) -> ExcelReadError:
    wanted = "、".join(f"“{f.label}”" for f in spec.fields[:4])
    return ExcelReadError(
        f"在前{max_scan}行中没有找到表头。表头应包含{wanted}等列名，"
        "请检查是否选对了工作表，或列名是否与模板一致"
    )


def _guess_header(
    rows: Sequence[Sequence[object]], spec: EntitySpec, max_scan: int
) -> _Candidate | None:
    """When no row matches the spec well enough: the first row that looks like a
    header — at least two cells, all of them text, and at least half as many filled
    cells as the fullest of the first ``max_scan`` rows (so a merged title is not it).
    None when there is no such row."""
    scan = min(len(rows), max_scan)
    filled = [[v for v in rows[r] if _has_value(v)] for r in range(scan)]
    most = max((len(f) for f in filled), default=0)
    labels, aliases = _header_index(spec)
    for r in range(scan):
        cells = filled[r]
        if len(cells) >= 2 and len(cells) * 2 >= most and all(isinstance(v, str) for v in cells):
            found: dict[int, str] = {}
            for c, value in enumerate(rows[r]):
                name = _match_cell(value, labels, aliases)
                if name is not None:
                    found[c] = name
            return _Candidate(r, r, found, _texts(rows[r], found))
    return None


def _column_text(rows: Sequence[Sequence[object]], cand: _Candidate, col: int) -> str:
    """The header text over ``col``: the last header row's cell, or the one above it."""
    for r in range(cand.bottom, cand.top - 1, -1):
        row = rows[r]
        if col < len(row) and _has_value(row[col]):
            return _cell_text(row[col])
    return ""


def _apply_columns(
    rows: Sequence[Sequence[object]], cand: _Candidate, spec: EntitySpec, columns: ColumnMap
) -> _Candidate:
    """``cand`` with the columns of the fields ``columns`` names replaced by the given
    ones. A column given to a field stops holding whatever field was detected there."""
    fields = dict(cand.fields)
    texts = dict(cand.texts)
    chosen: dict[int, str] = {}
    for name, col in columns.items():
        if name not in spec.by_name:
            raise ValueError(f"{spec.name} has no field {name!r}")
        for c in [c for c, n in fields.items() if n == name]:
            del fields[c]
            texts.pop(c, None)
        if col is None or col < 0:
            continue
        if col in chosen:
            raise ValueError(f"column {col} given to both {chosen[col]!r} and {name!r}")
        chosen[col] = name
    for col, name in chosen.items():
        fields[col] = name
        texts[col] = _column_text(rows, cand, col)
    return _Candidate(
        cand.top, cand.bottom, dict(sorted(fields.items())), dict(sorted(texts.items()))
    )


def _duplicates(cand: _Candidate) -> dict[str, list[int]]:
    """Fields that more than one column claims → those columns."""
    by_field: dict[str, list[int]] = {}
    for c, name in sorted(cand.fields.items()):
        by_field.setdefault(name, []).append(c)
    return {name: cols for name, cols in by_field.items() if len(cols) > 1}


def _missing_required(spec: EntitySpec, cand: _Candidate) -> tuple[str, ...]:
    present = set(cand.fields.values())
    return tuple(f.name for f in spec.fields if f.required and f.name not in present)


def _header_match(
    rows: Sequence[Sequence[object]], best: _Candidate, missing: tuple[str, ...]
) -> HeaderMatch:
    unmatched: dict[int, str] = {}
    for r in range(best.top, best.bottom + 1):
        for c, value in enumerate(rows[r]):
            if c in best.fields or c in unmatched or _is_blank(value):
                continue
            if r < best.bottom and c < len(rows[best.bottom]) and _has_value(rows[best.bottom][c]):
                continue  # a group title above real header cells
            unmatched[c] = _cell_text(value)
    return HeaderMatch(
        row_index=best.bottom,
        columns=dict(sorted(best.fields.items())),
        labels=dict(sorted(best.texts.items())),
        unmatched=dict(sorted(unmatched.items())),
        missing=missing,
        first_row_index=best.top,
    )


def _texts(row: Sequence[object], found: Mapping[int, str]) -> dict[int, str]:
    return {c: _cell_text(row[c]) for c in found}


def _describe_fields(spec: EntitySpec, names: Iterable[str]) -> str:
    parts = []
    for name in names:
        f = spec[name]
        alias = "、".join(f"“{a}”" for a in f.aliases[:3])
        parts.append(f"“{f.label}”" + (f"（也可写作{alias}）" if alias else ""))
    return "；".join(parts)


# ---------------------------------------------------------------------------- records


@dataclass(frozen=True)
class SourceRow:
    row_number: int  # Excel row number, as the clerk sees it
    values: dict[str, object]  # field name → raw cell value (every mapped field)
    raw_row: list[object]  # the whole row as read


@dataclass
class SkipReport:
    """Rows that were not records, by kind (see `SKIP_LABELS`) → Excel row numbers."""

    rows: dict[str, list[int]] = field(default_factory=dict)

    def add(self, kind: str, row_number: int) -> None:
        self.rows.setdefault(kind, []).append(row_number)

    def count(self, kind: str | None = None) -> int:
        if kind is None:
            return sum(len(v) for v in self.rows.values())
        return len(self.rows.get(kind, ()))

    def all_rows(self) -> set[int]:
        return {n for numbers in self.rows.values() for n in numbers}

    def summary(self) -> str:
        """One line for the clerk: "跳过：空行3行、合计行1行（第20行）"."""
        parts = []
        for kind, label in SKIP_LABELS.items():
            numbers = self.rows.get(kind)
            if not numbers:
                continue
            shown = "、".join(str(n) for n in numbers[:5]) + ("等" if len(numbers) > 5 else "")
            parts.append(f"{label}{len(numbers)}行（第{shown}行）")
        return "跳过：" + "，".join(parts) if parts else "没有跳过任何行"


def _head(value: str) -> str:
    """The first few characters of a cell, without spaces, half-width."""
    return strip_spaces(to_halfwidth(value.lstrip()[:12]))


def _is_total_row(row: Sequence[object]) -> bool:
    for value in row[:_TOTAL_SCAN_COLUMNS]:
        if isinstance(value, str) and "计" in value and _head(value).startswith(_TOTAL_WORDS):
            return True
    return False


def _is_note_start(row: Sequence[object]) -> bool:
    for value in row:
        if _is_blank(value):
            continue
        if not isinstance(value, str) or value.lstrip()[:1] not in _NOTE_FIRST:
            return False
        text = _head(value)
        return text.startswith(_NOTE_PREFIXES) or text.rstrip(":：") in _NOTE_WORDS
    return False


def iter_records(
    rows: Sequence[Sequence[object]],
    header: HeaderMatch,
    skipped: SkipReport | None = None,
) -> Iterator[SourceRow]:
    """Yield the data rows below ``header``; count every other row in ``skipped``.

    Skipped, by kind: ``title`` (non-blank rows above the header), ``blank``
    (no value in any recognised column — so a template pre-numbered in 序号
    only is blank), ``total`` (合计/总计/小计 in the first cells), ``note``
    (填表说明/说明/注：… and the one-cell lines that follow it) and ``header``
    (the header repeated, e.g. two sheets pasted together).
    """
    report = skipped if skipped is not None else SkipReport()
    for r in range(header.first_row_index):
        if any(_has_value(v) for v in rows[r]):
            report.add("title", r + 1)
    mapped = list(header.columns.items())
    header_keys = {c: key for c, text in header.labels.items() if (key := normalize_header(text))}
    # A repeated header is looked for only in rows whose cell under the longest
    # header text says that text (one cheap test per row).
    probe_col, probe_key = max(header_keys.items(), key=lambda kv: len(kv[1]), default=(-1, ""))
    in_notes = False
    for r in range(header.row_index + 1, len(rows)):
        row = rows[r]
        number = r + 1
        if not any(map(_has_value, row)):  # (stops at the first value: usually 序号)
            report.add("blank", number)
            continue
        if _is_note_start(row) or (in_notes and sum(map(_has_value, row)) == 1):
            in_notes = True
            report.add("note", number)
            continue
        if _is_total_row(row):
            report.add("total", number)
            continue
        values = {name: (row[c] if c < len(row) else None) for c, name in mapped}
        if not any(_has_value(v) for v in values.values()):
            report.add("blank", number)
            continue
        in_notes = False
        if probe_col >= 0 and _looks_like(row, probe_col, probe_key):
            same = sum(1 for c, key in header_keys.items() if _looks_like(row, c, key))
            if same >= min(2, len(header_keys)) and same * 2 >= len(header_keys):
                report.add("header", number)
                continue
        yield SourceRow(row_number=number, values=values, raw_row=list(row))


def _looks_like(row: Sequence[object], col: int, key: str) -> bool:
    if col >= len(row):
        return False
    value = row[col]
    if not isinstance(value, str) or len(value) > 4 * len(key) + 20:
        return False
    first = value.lstrip(" *＊\u3000\u00a0")[:1]  # cheap test before normalising
    return (
        first != "" and to_halfwidth(first).casefold() == key[0] and normalize_header(value) == key
    )


# ------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class RowError:
    row_number: int  # Excel row number
    column_label: str  # the column's header as written in the file ("" for a row problem)
    value: object  # the raw cell value
    reason: str  # Chinese, for the clerk
    raw_row: list[object] = field(default_factory=list, compare=False)
    field: str = ""  # field name, "" for a row problem


@dataclass
class ValidationResult:
    good: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> list[int]:
        """Excel row numbers with at least one error, in order."""
        return sorted({e.row_number for e in self.errors})

    @property
    def row_count(self) -> int:
        return len(self.good) + len(self.bad_rows)

    def summary(self) -> str:
        return f"共{self.row_count}行：{len(self.good)}行正确，{len(self.bad_rows)}行有错误"


class _Unrecognised(ValueError):
    pass


_ZERO_WIDTH = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_CJK = re.compile(r"[\u3400-\u9fff]")
_TEXT_KINDS = frozenset({"str", "text", "code", "password"})


def _idno_damage(raw: object) -> str | None:
    """The Chinese explanation when an ID number was mangled by Excel, else None."""
    from unionsdesk.domain.idcard import looks_excel_damaged

    if not looks_excel_damaged(raw):
        return None
    if (
        isinstance(raw, int | float | Decimal)
        and _finite(raw)
        and 0 < _abs(raw) < 10**15
        and raw == int(raw)
    ):
        # Up to 15 digits survive a number cell, but the cell is still a number.
        return "身份证号被Excel存成了数字，请把该列设为文本后重新填写"
    return "身份证号被Excel存成了数字，后几位已丢失，请把该列设为文本后重新填写"


def _abs(value: int | float | Decimal) -> int | float | Decimal:
    return -value if value < 0 else value


def _finite(value: int | float | Decimal) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return True


def _prepare(spec: FieldSpec, raw: object) -> object:
    """Make a cell value fit for ``spec.clean``, or raise `_Unrecognised`."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.translate(_ZERO_WIDTH)
    if isinstance(raw, bool):
        if spec.kind == "bool":
            return raw
        raise _Unrecognised(UNRECOGNISED)
    if isinstance(raw, int | float | Decimal):
        if not _finite(raw) or _abs(raw) >= _TOO_BIG:
            raise _Unrecognised(UNRECOGNISED)
        if not isinstance(raw, int) and _abs(raw) < 10**15 and raw == int(raw):
            return int(raw)  # 13812345678.0 → 13812345678, so text fields don't get ".0"
        return raw
    if isinstance(raw, datetime | date):
        if spec.kind == "date":
            return raw
        if spec.kind in _TEXT_KINDS:
            raise _Unrecognised(
                "单元格是日期格式（可能被Excel自动转换了），请把该列设为文本后重新填写"
            )
        raise _Unrecognised(UNRECOGNISED)
    if isinstance(raw, time | timedelta):
        raise _Unrecognised(UNRECOGNISED)
    raise _Unrecognised(UNRECOGNISED)


def _clean_field(f: FieldSpec, raw: object, codes: CodeLookup | None) -> Any:
    """Clean one cell; raises ValueError with the reason the clerk reads."""
    if f.kind == "idno":
        damage = _idno_damage(raw)
        if damage is not None:
            raise ValueError(damage)
    value = _prepare(f, raw)
    try:
        return f.clean(value, codes)
    except ValueError as exc:
        reason = str(exc)
    if not _CJK.search(reason):
        raise ValueError(UNRECOGNISED)  # never show the clerk an English library message
    raise ValueError(reason if f.label in reason else f"{f.label}：{reason}")


class _CellCleaner:
    """`_clean_field` for one column, remembering results per distinct cell value.

    Rosters repeat most of their values (民族, dates, 是/否, 工作单位), so each
    distinct value is cleaned once. A column whose values hardly repeat (姓名,
    身份证号) stops remembering after a sample, so it costs no memory.
    """

    SAMPLE = 2000

    def __init__(self, f: FieldSpec, codes: CodeLookup | None) -> None:
        self.f, self.codes = f, codes
        self.seen: dict[tuple[type, object], tuple[bool, Any]] | None = {}
        self.calls = 0

    def __call__(self, raw: object) -> Any:
        seen = self.seen
        if seen is None:
            return _clean_field(self.f, raw, self.codes)
        key = (raw.__class__, raw)
        hit = seen.get(key)
        if hit is None:
            try:
                hit = (True, _clean_field(self.f, raw, self.codes))
            except ValueError as exc:
                hit = (False, str(exc) or UNRECOGNISED)
            except Exception:
                hit = (False, UNRECOGNISED)
            seen[key] = hit
            self.calls += 1
            if self.calls == self.SAMPLE and len(seen) > self.SAMPLE // 2:
                self.seen = None
        ok, value = hit
        if ok:
            return value
        raise ValueError(value)


def validate_rows(
    records: Iterable[SourceRow],
    spec: EntitySpec,
    row_check: Callable[[dict[str, Any]], None] | None = None,
    *,
    header: HeaderMatch | None = None,
    codes: CodeLookup | None = None,
) -> ValidationResult:
    """Clean every record with ``spec``; collect one `RowError` per bad field.

    Each field present in a record is cleaned on its own, so every bad cell of
    a row is reported at once. An unexpected exception while cleaning a cell
    becomes the reason 无法识别的值; nothing about a cell's type can crash the
    import. When every field of a row is clean, the spec's ``rules`` and then ``row_check(clean)`` may raise
    `ValidationError` (field → reason) or `ValueError` (a row-level reason) for
    rules across fields. ``header`` gives the column titles for the errors
    (otherwise the field labels are used).
    """
    result = ValidationResult()
    label_of: dict[str, str] = {}
    if header is not None:
        label_of = {name: header.labels.get(col, "") for col, name in header.columns.items()}
    cleaners = {f.name: _CellCleaner(f, codes) for f in spec.fields}
    for record in records:
        clean: dict[str, Any] = {}
        errors: list[RowError] = []
        for name, raw in record.values.items():
            cleaner = cleaners.get(name)
            if cleaner is None:
                continue
            try:
                clean[name] = cleaner(raw)
            except ValueError as exc:
                reason = str(exc) or UNRECOGNISED
                errors.append(_error(record, cleaner.f, raw, reason, label_of))
            except Exception:
                errors.append(_error(record, cleaner.f, raw, UNRECOGNISED, label_of))
        if not errors and (spec.rules or row_check is not None):
            try:
                problems = spec.check_rules(clean)
                if problems:
                    raise ValidationError(problems)
                if row_check is not None:
                    row_check(clean)
            except ValidationError as exc:
                for name, reason in exc.errors.items():
                    f = spec.by_name.get(name)
                    raw = record.values.get(name)
                    if f is None:
                        errors.append(
                            RowError(record.row_number, "", None, reason, record.raw_row, name)
                        )
                    else:
                        errors.append(_error(record, f, raw, reason, label_of))
            except ValueError as exc:
                errors.append(
                    RowError(record.row_number, "", None, str(exc) or UNRECOGNISED, record.raw_row)
                )
        if errors:
            result.errors.extend(errors)
        else:
            result.good.append((record.row_number, clean))
    return result


def _error(
    record: SourceRow, f: FieldSpec, raw: object, reason: str, label_of: Mapping[str, str]
) -> RowError:
    return RowError(
        row_number=record.row_number,
        column_label=label_of.get(f.name) or f.label,
        value=raw,
        reason=reason,
        raw_row=record.raw_row,
        field=f.name,
    )


# --------------------------------------------------------------------- whole-file helper


@dataclass
class SheetData:
    """A sheet read and split up: the preview step of an import."""

    rows: list[list[object]]
    header: HeaderMatch
    records: list[SourceRow]
    skipped: SkipReport

    @property
    def header_labels(self) -> list[str]:
        """The header text of every column, for `write_error_workbook`."""
        width = max(self.header.width, max((len(r) for r in self.rows), default=0))
        merged = {**self.header.unmatched, **self.header.labels}
        return [merged.get(c, "") for c in range(width)]


def read_records(
    path: str | os.PathLike[str],
    spec: EntitySpec,
    *,
    sheet: str | int | None = None,
    allow_missing: bool = False,
    max_scan: int = 30,
    columns: ColumnMap | None = None,
) -> SheetData:
    """`read_sheet` + `detect_header` + `iter_records` in one call.

    ``columns`` (field name → 0-based column, None or -1 for no column) overrides
    the detected columns of the fields it names; see `detect_header`."""
    rows = read_sheet(path, sheet)
    header = detect_header(rows, spec, max_scan, allow_missing=allow_missing, columns=columns)
    skipped = SkipReport()
    records = list(iter_records(rows, header, skipped))
    return SheetData(rows=rows, header=header, records=records, skipped=skipped)


# ---------------------------------------------------------------------- error workbook

ERROR_COLUMNS = ("原表行号", "列", "值", "错误原因")


def display_value(value: object) -> str:
    """A cell value as the clerk would read it in Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}" if value.time() == time() else f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15G}"  # as Excel shows it: 1.1010119900307E+17
    return str(value)


def write_error_workbook(
    path: str | os.PathLike[str],
    errors: Sequence[RowError],
    header_labels: Sequence[str],
    title: str = "导入错误清单",
) -> Path:
    """Write the errors for the clerk: one line per error, then the original row.

    Columns: 原表行号, 列, 值, 错误原因, then the original columns under their
    original headers. The original cells appear on the first line of each
    source row only, so the workbook can be corrected in place and imported
    again (the four leading columns are not import fields; later lines of the
    same row count as blank and are skipped).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from unionsdesk.excel.writer import TEXT_FORMAT, display_width, safe_text, save_workbook

    target = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "错误清单"
    labels = list(header_labels)
    width = max([len(labels), *(len(e.raw_row) for e in errors)])
    labels += [""] * (width - len(labels))
    ncols = len(ERROR_COLUMNS) + width

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FCE4D6")
    wrap = Alignment(wrap_text=True, vertical="top")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws.cell(1, 1).value = safe_text(
        f"{title}（共{len({e.row_number for e in errors})}行、{len(errors)}处错误）"
    )
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(ncols, 1))
    ws.cell(2, 1).value = safe_text(
        "请在右侧的原表各列中改正后，将本表另存为.xlsx重新导入；前四列仅供查看，不会被导入。"
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(ncols, 1))
    header_row = 3
    for c, text in enumerate([*ERROR_COLUMNS, *labels], 1):
        cell = ws.cell(header_row, c)
        cell.value = safe_text(text)
        cell.font = bold
        cell.alignment = center
        if c <= len(ERROR_COLUMNS):
            cell.fill = fill
    ws.freeze_panes = ws.cell(header_row + 1, len(ERROR_COLUMNS) + 1)

    widths = [8, 16, 20, 40] + [max(8, display_width(t) + 2) for t in labels]
    seen: set[int] = set()
    r = header_row
    for e in sorted(errors, key=lambda e: e.row_number):
        r += 1
        column = e.column_label
        if e.field:
            col = _find_column(labels, e.column_label)
            if col is not None:
                column = f"{column}（{column_letter(col)}列）"
        shown = display_value(e.value)
        line: list[object] = [e.row_number, column, shown, e.reason]
        for c, value in enumerate(line, 1):
            cell = ws.cell(r, c)
            cell.value = safe_text(value)
            if c > 1:
                cell.number_format = TEXT_FORMAT
                cell.alignment = wrap
        if e.row_number not in seen:
            seen.add(e.row_number)
            for c, value in enumerate(e.raw_row):
                cell = ws.cell(r, len(ERROR_COLUMNS) + 1 + c)
                _put_original(cell, value)
        widths[2] = max(widths[2], min(40, display_width(shown) + 2))
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    for c in range(len(ERROR_COLUMNS) + 1, ncols + 1):
        # What the clerk types in to correct a cell stays text (IDs keep every digit).
        ws.column_dimensions[get_column_letter(c)].number_format = TEXT_FORMAT
    save_workbook(wb, target)
    return target


def _find_column(labels: Sequence[str], label: str) -> int | None:
    for i, text in enumerate(labels):
        if text == label:
            return i
    return None


def _put_original(cell: Any, value: object) -> None:
    """Write an original cell back so that re-importing reads the same value."""
    from unionsdesk.excel.writer import DATE_FORMAT, DATETIME_FORMAT, TEXT_FORMAT, safe_text

    if isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATE_FORMAT if value.time() == time() else DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, bool) or (isinstance(value, int | Decimal) and _finite(value)):
        cell.value = value if isinstance(value, bool) or _abs(value) < 10**15 else str(value)
    elif isinstance(value, float):
        cell.value = value if math.isfinite(value) else str(value)
    elif value is None:
        cell.number_format = TEXT_FORMAT
    else:
        cell.value = safe_text(value if isinstance(value, str) else str(value))
        cell.number_format = TEXT_FORMAT
