"""The preview step of an Excel import: what will be read, before anything is checked.

`preview` reads the sheet once, finds the header as the import will
(`reader.detect_header`'s rules), and reports for every source column which
field it feeds and why (the field's label, a common alias, a mapping the clerk
confirmed before, or the clerk's choice now), the required fields no column
feeds, the fields two columns claim (an error, never a guess), the first data
rows as text and the counts of data and skipped rows. No row is validated.

`ImportPreview.remap` applies another column mapping to the rows already read,
and `ImportPreview.mapping` is what to pass to the importer's ``columns=``
(`reader.read_records` then finds the same header row and the same columns).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from unionsdesk.excel.reader import (
    _TRAILING_PARENS,
    ColumnMap,
    SkipReport,
    _apply_columns,
    _Candidate,
    _choose_sheet,
    _column_text,
    _duplicates,
    _find_header,
    _guess_header,
    _has_value,
    _header_index,
    _header_match,
    _missing_required,
    _no_header_error,
    column_letter,
    display_value,
    iter_records,
    normalize_header,
    read_sheet,
)
from unionsdesk.fields import EntitySpec

__all__ = [
    "MATCH_ALIAS",
    "MATCH_CLERK",
    "MATCH_LABEL",
    "MATCH_NAMES",
    "MATCH_REMEMBERED",
    "ImportPreview",
    "PreviewColumn",
    "layout_signature",
    "preview",
]

# How a column came to feed its field.
MATCH_LABEL = "label"  # the header is the field's label
MATCH_ALIAS = "alias"  # the header is one of the field's common spellings
MATCH_REMEMBERED = "remembered"  # a mapping confirmed for this layout before
MATCH_CLERK = "clerk"  # chosen in the preview now
MATCH_NAMES = {
    MATCH_LABEL: "按列名识别",
    MATCH_ALIAS: "按常见写法识别",
    MATCH_REMEMBERED: "上次确认的列对应",
    MATCH_CLERK: "手工选择",
}

PREVIEW_ROWS = 10


@dataclass(frozen=True)
class PreviewColumn:
    """One column of the sheet as the import will read it."""

    index: int  # 0-based
    header: str  # header text as written ("" when the header cell is blank)
    field: str | None = None  # field name it feeds, None: not imported
    label: str | None = None  # that field's label
    matched_by: str | None = None  # MATCH_LABEL / _ALIAS / _REMEMBERED / _CLERK
    ambiguous: bool = False  # another column feeds the same field

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class _Sheet:
    """What one reading of the file gave; shared by a preview and its remaps."""

    spec: EntitySpec
    file_name: str
    sheet: str
    rows: list[list[object]]
    detected: _Candidate  # the header as found, before any mapping
    header_found: bool  # False: no row matched the spec; the header row is a guess
    header_texts: dict[int, str]  # column → header text, every non-blank header cell
    kinds: dict[int, str]  # detected column → MATCH_LABEL / MATCH_ALIAS
    signature: str
    shown: int  # how many data rows a preview shows
    released: bool = False  # `ImportPreview.release` dropped the rows
    scans: dict[tuple[frozenset[int], frozenset[int]], _Scan] = field(default_factory=dict)


@dataclass(frozen=True)
class _Scan:
    first: tuple[tuple[int, tuple[object, ...]], ...]  # (Excel row number, raw cells)
    data_rows: int
    skipped: SkipReport


@dataclass(frozen=True, eq=False)
class ImportPreview:
    """The preview of one sheet under one column mapping (see module docstring)."""

    spec: EntitySpec
    file_name: str
    sheet: str
    header_row: int  # Excel number of the (last) header row
    header_first_row: int  # Excel number of its first row (two-row headers)
    header_found: bool  # False: no header matched the spec; the clerk maps every column
    columns: tuple[PreviewColumn, ...]
    missing: tuple[str, ...]  # required fields no column feeds (field names)
    ambiguous: dict[str, tuple[int, ...]]  # field → the columns that all claim it
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # first data rows: (Excel row, cell texts)
    data_rows: int  # rows the import will read
    skipped: SkipReport  # title/blank/合计/note/repeated-header rows, as the import skips them
    signature: str  # the layout: entity + normalised header texts (see `layout_signature`)
    applied: str | None  # MATCH_REMEMBERED / MATCH_CLERK when a mapping was applied
    _sheet: _Sheet = field(repr=False)
    _fields: dict[int, str] = field(repr=False)  # column → field, as now mapped

    # -- the mapping ---------------------------------------------------------------
    def mapping(self) -> dict[str, int | None]:
        """Every field → its column (None: no column), for the importer's ``columns=``.

        A field two columns claim is left out, so the import refuses it as the
        preview does."""
        out: dict[str, int | None] = {f.name: None for f in self.spec.fields}
        for col, name in self._fields.items():
            if name not in self.ambiguous:
                out[name] = col
        for name in self.ambiguous:
            out.pop(name, None)
        return out

    def detected_mapping(self) -> dict[str, int | None]:
        """`mapping` as the header alone gives it (what an import without ``columns`` reads)."""
        detected = self._sheet.detected
        dups = _duplicates(detected)
        out: dict[str, int | None] = {f.name: None for f in self.spec.fields}
        for col, name in detected.fields.items():
            if name not in dups:
                out[name] = col
        for name in dups:
            out.pop(name, None)
        return out

    @property
    def changed(self) -> bool:
        """The mapping differs from what the import finds by itself."""
        return self.applied is not None and self.mapping() != self.detected_mapping()

    def column_of(self, field_name: str) -> int | None:
        cols = [c for c, name in self._fields.items() if name == field_name]
        return cols[0] if len(cols) == 1 else None

    def remap(self, columns: ColumnMap | None, source: str = MATCH_CLERK) -> ImportPreview:
        """This preview under another mapping, from the rows already read.

        ``columns`` names fields → columns as `reader.read_records` takes them
        (fields it leaves out keep their detected column); None: the header alone.
        A column keeps how it was matched when its field is unchanged; a column
        whose field now differs from the header's says ``source``."""
        if self._sheet.released:
            raise RuntimeError("the preview's rows were released")
        return _build(self._sheet, columns, source, self)

    def release(self) -> None:
        """Drop the rows read (a whole sheet); what was worked out stays readable
        (`mapping`, `changed`, `columns`, …) but `remap` is no longer possible."""
        self._sheet.released = True
        self._sheet.rows = []
        self._sheet.scans.clear()

    # -- for the clerk ---------------------------------------------------------------
    def problems(self) -> list[str]:
        """Why the import cannot start yet, one Chinese sentence each ([] when it can)."""
        out: list[str] = []
        if self.missing:
            names = "、".join(f"“{self.spec[n].label}”" for n in self.missing)
            out.append(f"缺少必填的列：{names}。请在对应列上方的下拉框中选择")
        for name, cols in self.ambiguous.items():
            where = "、".join(f"{column_letter(c)}列" for c in cols)
            out.append(
                f"{where}都对应“{self.spec[name].label}”，不能确定用哪一列。"
                "请把多余的列改为“不导入”"
            )
        if self.data_rows == 0:
            out.append(f"第{self.header_row}行表头下面没有数据行")
        return out

    @property
    def ok(self) -> bool:
        return not self.problems()

    def header_text(self) -> str:
        """第3行 / 第3—4行 (a two-row header)."""
        if self.header_first_row != self.header_row:
            return f"第{self.header_first_row}—{self.header_row}行"
        return f"第{self.header_row}行"

    def counts_text(self) -> str:
        shown = f"，下表显示前{len(self.rows)}行" if self.rows else ""
        return f"共{self.data_rows:,}行数据{shown}。{self.skipped.summary()}"


def layout_signature(spec: EntitySpec, header_texts: dict[int, str]) -> str:
    """The layout of a sheet: the entity and every header cell, normalised, in order."""
    width = max((c + 1 for c, t in header_texts.items() if normalize_header(t)), default=0)
    cells = [normalize_header(header_texts.get(c, "")) for c in range(width)]
    return f"{spec.name}|" + "|".join(cells)


def preview(
    path: str | os.PathLike[str],
    spec: EntitySpec,
    columns: ColumnMap | None = None,
    rows: int = PREVIEW_ROWS,
    *,
    sheet: str | int | None = None,
    source: str = MATCH_CLERK,
    max_scan: int = 30,
) -> ImportPreview:
    """Read the sheet once and describe what the import would read (see module docstring).

    ``columns`` is a mapping as the importers take it; ``source`` says where it
    came from (MATCH_CLERK or MATCH_REMEMBERED). When no row matches the spec,
    the row that looks most like a header is shown with ``header_found`` False,
    for the clerk to map by hand; a sheet without even that raises
    `ExcelReadError`, as the import would."""
    src = Path(path)
    data = read_sheet(src, sheet)
    name = _sheet_name(src, sheet)
    found = _find_header(data, spec, max_scan)
    detected = found if found is not None else _guess_header(data, spec, max_scan)
    if detected is None:
        raise _no_header_error(spec, max_scan)
    texts = _header_texts(data, detected)
    labels, _aliases = _header_index(spec)
    kinds = {c: _match_kind(detected.texts.get(c, ""), labels) for c in detected.fields}
    base = _Sheet(
        spec=spec,
        file_name=src.name,
        sheet=name,
        rows=data,
        detected=detected,
        header_found=found is not None,
        header_texts=texts,
        kinds=kinds,
        signature=layout_signature(spec, texts),
        shown=max(0, rows),
    )
    return _build(base, columns, source, None)


# ----------------------------------------------------------------------------- helpers


def _sheet_name(path: Path, sheet: str | int | None) -> str:
    """The name of the sheet `read_sheet` reads (the workbook's directory only)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    try:
        return _choose_sheet(wb, list(wb.sheet_names), sheet, path.name)
    finally:
        close = getattr(wb, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                close()


def _header_texts(rows: list[list[object]], cand: _Candidate) -> dict[int, str]:
    width = max((len(rows[r]) for r in range(cand.top, cand.bottom + 1)), default=0)
    out: dict[int, str] = {}
    for c in range(width):
        text = cand.texts.get(c) or _column_text(rows, cand, c)
        if text:
            out[c] = text
    return out


def _match_kind(text: str, labels: dict[str, str]) -> str:
    key = normalize_header(text)
    if key in labels:
        return MATCH_LABEL
    m = _TRAILING_PARENS.match(key)
    if m and m.group(1) in labels:
        return MATCH_LABEL
    return MATCH_ALIAS


def _scan(base: _Sheet, cand: _Candidate) -> _Scan:
    """The data rows under ``cand`` as `iter_records` gives them to the import: the
    first few, how many, and what was skipped. One pass; cached per mapped column set
    (the only thing the row classification depends on)."""
    by_field: dict[str, int] = {}
    for c, name in sorted(cand.fields.items()):
        by_field[name] = c  # iter_records keeps the last column of a field
    key = (frozenset(cand.fields), frozenset(by_field.values()))
    hit = base.scans.get(key)
    if hit is not None:
        return hit
    if not cand.fields:
        # Nothing mapped yet (no header matched the spec): every row would count as
        # blank; show the rows under the header cells instead, for mapping by hand.
        texts = dict(base.header_texts)
        cand = _Candidate(cand.top, cand.bottom, {c: f"_{c}" for c in texts}, texts)
    header = _header_match(base.rows, cand, ())
    skipped = SkipReport()
    first: list[tuple[int, tuple[object, ...]]] = []
    count = 0
    for record in iter_records(base.rows, header, skipped):
        if count < base.shown:
            first.append((record.row_number, tuple(record.raw_row)))
        count += 1
    scan = _Scan(tuple(first), count, skipped)
    base.scans[key] = scan
    return scan


def _build(
    base: _Sheet, columns: ColumnMap | None, source: str, before: ImportPreview | None
) -> ImportPreview:
    spec = base.spec
    cand = base.detected
    if columns:
        cand = _apply_columns(base.rows, cand, spec, columns)
    fields = dict(cand.fields)
    dups = {name: tuple(cols) for name, cols in _duplicates(cand).items()}
    scan = _scan(base, cand)

    width = max(base.header_texts, default=-1) + 1
    width = max(width, max(fields, default=-1) + 1)
    for _number, raw in scan.first:
        filled = [c for c, v in enumerate(raw) if _has_value(v)]
        if filled:
            width = max(width, filled[-1] + 1)

    previous = {c.index: c for c in before.columns} if before is not None else {}
    out: list[PreviewColumn] = []
    for c in range(width):
        name = fields.get(c)
        how: str | None = None
        if name is not None:
            if base.detected.fields.get(c) == name:
                how = base.kinds.get(c, MATCH_LABEL)
            elif c in previous and previous[c].field == name and previous[c].matched_by:
                how = previous[c].matched_by
            else:
                how = source
        out.append(
            PreviewColumn(
                index=c,
                header=base.header_texts.get(c, ""),
                field=name,
                label=spec[name].label if name is not None else None,
                matched_by=how,
                ambiguous=name in dups,
            )
        )
    shown = tuple(
        (number, tuple(display_value(raw[c]) if c < len(raw) else "" for c in range(width)))
        for number, raw in scan.first
    )
    return ImportPreview(
        spec=spec,
        file_name=base.file_name,
        sheet=base.sheet,
        header_row=cand.bottom + 1,
        header_first_row=cand.top + 1,
        header_found=base.header_found,
        columns=tuple(out),
        missing=_missing_required(spec, cand),
        ambiguous=dups,
        rows=shown,
        data_rows=scan.data_rows,
        skipped=scan.skipped,
        signature=base.signature,
        applied=source if columns else None,
        _sheet=base,
        _fields=fields,
    )
