"""The `Table` value: one description of a tabular report for PDF and Excel.

A report function queries the services and returns a `Table`; the PDF layout
and `unionsdesk.excel.writer.write_table` render the same value, so the
printed table and the exported workbook always agree.

Cell values by column kind:

- ``text``: any value; shown as text (``None`` is blank, ``True`` is 是).
- ``idno``: ID numbers, bank accounts, codes with leading zeros; always text.
- ``int``: ``int`` (or ``None``).
- ``money``: ``int`` **fen** (or ``None``); shown in yuan with two decimals.
- ``wan``: ``int`` **fen** (or ``None``); shown in 万元 with `WAN_DECIMALS` decimals (the
  upward statistics forms). Totals sum the unrounded fen and are rounded once, so a
  合计 may differ from the sum of the rounded figures above it by a last digit.
- ``date``: ``date``/``datetime`` (or ``None``); a string is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from unionsdesk.fields import EntitySpec, FieldSpec

__all__ = [
    "SUMMED_KINDS",
    "TOTAL_LABEL",
    "WAN_DECIMALS",
    "Column",
    "ColumnKind",
    "Table",
    "column_totals",
    "wan_text",
]

ColumnKind = Literal["text", "int", "money", "date", "idno", "wan"]

SUMMED_KINDS: frozenset[str] = frozenset({"int", "money", "wan"})
TOTAL_LABEL = "合计"
WAN_DECIMALS = 2  # 万元 with two decimals, as the statistics forms ask
_FEN_PER_WAN = 1_000_000

_KIND_FROM_FIELD: dict[str, ColumnKind] = {
    "int": "int",
    "money": "money",
    "date": "date",
    "idno": "idno",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: ColumnKind = "text"
    width: int = 12  # in characters, as FieldSpec.width

    @classmethod
    def from_field(cls, spec: FieldSpec, *, label: str | None = None) -> Column:
        return cls(
            key=spec.name,
            label=label or spec.label,
            kind=_KIND_FROM_FIELD.get(spec.kind, "text"),
            width=spec.width,
        )


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    subtitle: str = ""  # 填报单位、日期 …
    totals: Sequence[object] | None = None  # one value per column; None cells stay blank
    notes: Sequence[str] = ()
    units: str = ""  # e.g. "元" or "金额单位：元"
    stamp: str = ""  # a mark on every printed page and in the Excel title, e.g. 未通过校验
    column_index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a Table needs at least one column")
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate column keys: {keys}")
        if self.totals is not None and len(self.totals) != len(self.columns):
            raise ValueError(
                f"totals has {len(self.totals)} values for {len(self.columns)} columns"
            )
        object.__setattr__(self, "column_index", {k: i for i, k in enumerate(keys)})

    @classmethod
    def from_fieldspecs(
        cls,
        spec: EntitySpec,
        names: Iterable[str],
        rows: Sequence[Sequence[object]] = (),
        *,
        title: str | None = None,
        subtitle: str = "",
        totals: Sequence[object] | None = None,
        notes: Sequence[str] = (),
        units: str = "",
        labels: dict[str, str] | None = None,
    ) -> Table:
        """Columns taken from ``spec``'s fields ``names`` (label, width, kind)."""
        labels = labels or {}
        columns = tuple(Column.from_field(spec[n], label=labels.get(n)) for n in names)
        return cls(
            title=title if title is not None else spec.label,
            columns=columns,
            rows=rows,
            subtitle=subtitle,
            totals=totals,
            notes=notes,
            units=units,
        )

    @property
    def units_text(self) -> str:
        """The units line as shown: "金额单位：元" for units "元"."""
        if not self.units:
            return ""
        return self.units if "单位" in self.units else f"单位：{self.units}"

    def with_totals(self) -> Table:
        """A copy whose totals are the column sums of its rows."""
        return replace(self, totals=column_totals(self.rows, self.columns))


def wan_text(fen: int) -> str:
    """Fen as 万元 with `WAN_DECIMALS` decimals, rounded half up: 2473000 → "2.47"."""
    from decimal import ROUND_HALF_UP, Decimal

    step = Decimal(1).scaleb(-WAN_DECIMALS)
    value = (Decimal(fen) / _FEN_PER_WAN).quantize(step, rounding=ROUND_HALF_UP)
    return f"{value:,.{WAN_DECIMALS}f}"


def column_totals(rows: Iterable[Sequence[object]], columns: Sequence[Column]) -> list[object]:
    """Sum every ``int``/``money``/``wan`` column over ``rows``; other columns get ``None``.

    The first column gets 合计 when it is not summed itself. ``None`` cells
    count as nothing; any other non-integer value is a programming error.
    """
    summed = [i for i, c in enumerate(columns) if c.kind in SUMMED_KINDS]
    sums = dict.fromkeys(summed, 0)
    for n, row in enumerate(rows):
        for i in summed:
            value = row[i]
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"row {n}, column {columns[i].key!r}: expected int, got {value!r}")
            sums[i] += value
    totals: list[object] = [sums.get(i) for i in range(len(columns))]
    if columns[0].kind not in SUMMED_KINDS:
        totals[0] = TOTAL_LABEL
    return totals
