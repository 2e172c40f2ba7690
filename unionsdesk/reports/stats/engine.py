"""How a statistics table is defined and traced back to its rows.

A table part has rows (the unions under the scope, or the values of a code such
as the aid project) and measures. A measure counts (or sums an amount over) the
rows of one `Fact` (members, unions, pay-out lines, hardship files …) that meet
its condition. The figures come from one GROUP BY per fact; the drill-down of a
cell selects the very rows that figure counted, with the same conditions, so
that "double-click a figure → the list behind it" always adds up (tested for
every non-zero cell of every table).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, case, cast, false, func, select, true
from sqlalchemy.orm import Session

from unionsdesk.reports.stats.period import Period
from unionsdesk.reports.stats.scope import Scope, UnionRow
from unionsdesk.table import TOTAL_LABEL, Column, ColumnKind, Table

NO_DATA = "无数据"
ID_NUMBER = "id_number"  # the drill-down column masked for roles without PII


@dataclass(frozen=True)
class Fact:
    """A kind of detail row: what a figure counts, and how its drill-down lists it."""

    name: str  # 会员, 基层工会, 发放明细 …
    source: Any  # the FROM clause (a table or a join)
    union: Any  # the union a row belongs to (scope and union rows); None: no union
    # (such rows count for the whole county only, e.g. 法律援助)
    where: tuple[Any, ...]  # conditions every row of the fact meets in this table
    detail: tuple[tuple[Column, Any], ...]  # columns of the drill-down list
    order_by: tuple[Any, ...] = ()
    person: Any = None  # for distinct counts (户数): the person of a row
    person_detail: tuple[tuple[Column, Any], ...] = ()  # aggregates per person
    detail_source: Any = None  # FROM clause of the drill-down (default: source)
    private: bool = False  # rows only for users with 维权查看 (disputes, legal aid)

    @property
    def detail_from(self) -> Any:
        return self.source if self.detail_source is None else self.detail_source


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    fact: Fact
    cond: Any = None  # None: every row of the fact
    amount: Any = None  # sum this (fen) instead of counting
    distinct: bool = False  # count distinct persons
    kind: ColumnKind = "int"
    width: int = 9
    detail_key: str | None = None  # the drill-down column whose sum is an amount figure

    @property
    def column(self) -> Column:
        return Column(self.key, self.label, self.kind, self.width)


@dataclass(frozen=True)
class CodeRows:
    """Rows by the value of ``expr`` (of every fact in the part), labelled by ``labels``;
    values met that are not in ``labels`` get rows of their own after them."""

    expr: Any
    labels: Mapping[str, str]
    first_label: str = "项目"
    other_label: str = "（未分类）"


@dataclass(frozen=True)
class PartSpec:
    title: str
    measures: Sequence[Measure]
    rows: CodeRows | None = None  # None: the unions under the scope
    first_label: str = "单位"
    units: str = ""
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class _RowKey:
    label: str
    union: UnionRow | None = None
    code: Any = None


@dataclass
class Part:
    spec: PartSpec
    table: Table
    keys: list[_RowKey]
    scope: Scope

    def measure(self, key: str) -> Measure:
        for m in self.spec.measures:
            if m.key == key:
                return m
        raise KeyError(key)


@dataclass
class StatReport:
    """One statistics table for a period and a scope: its parts (each a `Table`), the
    failed cross-checks (empty: passed) and the way back to the rows."""

    key: str
    title: str
    period: Period
    scope: Scope
    parts: list[Part]
    failed_checks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [p.table for p in self.parts]

    @property
    def passed(self) -> bool:
        return not self.failed_checks

    def drill(
        self, s: Session, part: int, row: int, column: str, *, mask_ids: bool = False
    ) -> Table:
        """The rows behind one figure (``row`` = len(rows) is the 合计 row)."""
        return drill(s, self.parts[part], row, column, mask_ids=mask_ids)


def _agg(m: Measure) -> Any:
    cond = m.cond if m.cond is not None else true()
    if m.distinct:
        return func.count(func.distinct(case((cond, m.fact.person), else_=None)))
    if m.amount is not None:
        return func.coalesce(func.sum(case((cond, m.amount), else_=0)), 0)
    return func.coalesce(func.sum(cast(case((cond, 1), else_=0), Integer)), 0)


def _scope_cond(fact: Fact, scope: Scope) -> Any:
    if scope.ids is None:
        return true()
    if fact.union is None:
        return false()
    return fact.union.in_(sorted(scope.ids))


def _union_row_cond(fact: Fact, row: UnionRow) -> Any:
    if row.unassigned:
        return fact.union.is_(None)
    return fact.union.in_(sorted(row.ids))


def build_part(s: Session, spec: PartSpec, scope: Scope, *, subtitle: str) -> Part:
    """Count every measure, one GROUP BY per fact; rows that are all zero are left
    out, except the unions under the scope (a township with nothing shows 0)."""
    by_fact: dict[int, tuple[Fact, list[int]]] = {}
    for i, m in enumerate(spec.measures):
        by_fact.setdefault(id(m.fact), (m.fact, []))[1].append(i)
    n = len(spec.measures)
    keys: list[_RowKey]
    values: list[list[int]]
    if spec.rows is None:
        keys = [_RowKey(r.label, union=r) for r in scope.rows]
        row_of: dict[int | None, int] = {}
        for k, key in enumerate(keys):
            assert key.union is not None
            if key.union.unassigned:
                row_of[None] = k
            for uid in key.union.ids:
                row_of.setdefault(uid, k)
        values = [[0] * n for _ in keys]
        for fact, idx in by_fact.values():
            q = (
                select(fact.union, *(_agg(spec.measures[i]) for i in idx))
                .select_from(fact.source)
                .where(*fact.where, _scope_cond(fact, scope))
                .group_by(fact.union)
            )
            for uid, *figures in s.execute(q):
                row = row_of.get(uid)
                if row is None:
                    continue
                for i, v in zip(idx, figures, strict=True):
                    values[row][i] += int(v or 0)
        keep = [
            k
            for k, key in enumerate(keys)
            if any(values[k])
            or not (key.union is not None and (key.union.unassigned or key.union.own))
        ]
        keys = [keys[k] for k in keep]
        values = [values[k] for k in keep]
    else:
        found: dict[Any, list[int]] = {}
        for fact, idx in by_fact.values():
            q = (
                select(spec.rows.expr, *(_agg(spec.measures[i]) for i in idx))
                .select_from(fact.source)
                .where(*fact.where, _scope_cond(fact, scope))
                .group_by(spec.rows.expr)
            )
            for code, *figures in s.execute(q):
                acc = found.setdefault(code, [0] * n)
                for i, v in zip(idx, figures, strict=True):
                    acc[i] += int(v or 0)
        labels = spec.rows.labels
        extra = sorted((c for c in found if c not in labels), key=lambda c: str(c))
        keys = [_RowKey(labels[c], code=c) for c in labels] + [
            _RowKey(spec.rows.other_label if c is None else str(c), code=c) for c in extra
        ]
        values = [found.get(key.code, [0] * n) for key in keys]
        keep = [k for k, v in enumerate(values) if any(v) or keys[k].code in labels]
        keys = [keys[k] for k in keep]
        values = [values[k] for k in keep]
    first = spec.rows.first_label if spec.rows is not None else spec.first_label
    columns = (Column("row", first, "text", 26), *(m.column for m in spec.measures))
    rows = [[key.label, *vals] for key, vals in zip(keys, values, strict=True)]
    notes = list(spec.notes)
    if not any(any(v) for v in values):
        notes.insert(0, f"{NO_DATA}：本期、本范围内没有可统计的记录。")
    table = Table(spec.title, columns, rows, subtitle=subtitle, units=spec.units, notes=notes)
    table = table.with_totals()
    return Part(spec, table, keys, scope)


def drill(s: Session, part: Part, row: int, column: str, *, mask_ids: bool = False) -> Table:
    """The detail rows of one figure: their count (or the sum of their 金额) is the figure."""
    m = part.measure(column)
    fact = m.fact
    if fact.private:
        from unionsdesk.errors import PermissionDenied
        from unionsdesk.services.common.base import RIGHTS

        actor = s.info.get("actor")  # set by services.common.base.reading
        if actor is None or not actor.can(RIGHTS):
            raise PermissionDenied(f"没有“维权查看”权限，不能查看{fact.name}案件的明细")
    spec = part.spec
    conds = [*fact.where, _scope_cond(fact, part.scope)]
    total_row = row == len(part.keys)
    label = TOTAL_LABEL if total_row else part.keys[row].label
    if not total_row:
        key = part.keys[row]
        if key.union is not None:
            conds.append(_union_row_cond(fact, key.union))
        else:
            assert spec.rows is not None
            conds.append(
                spec.rows.expr.is_(None) if key.code is None else spec.rows.expr == key.code
            )
    if m.cond is not None:
        conds.append(m.cond)
    title = f"{spec.title}：{label}——{m.label.replace(chr(10), '')}"
    if m.distinct:
        group = (
            [fact.person]
            if not (total_row and spec.rows is not None)
            else [
                spec.rows.expr,
                fact.person,
            ]
        )
        cols = [c for c, _ in fact.person_detail]
        q: Select[Any] = (
            select(*(e for _, e in fact.person_detail))
            .select_from(fact.detail_from)
            .where(*conds)
            .group_by(*group)
            .order_by(*(e for _, e in fact.person_detail[:1]))
        )
    else:
        cols = [c for c, _ in fact.detail]
        q = (
            select(*(e for _, e in fact.detail))
            .select_from(fact.detail_from)
            .where(*conds)
            .order_by(*fact.order_by)
        )
    rows = [list(r) for r in s.execute(q)]
    if mask_ids:
        from unionsdesk.domain.mask import mask_id

        for i, c in enumerate(cols):
            if c.key == ID_NUMBER:
                for r in rows:
                    r[i] = mask_id(r[i]) if r[i] else r[i]
    return Table(title, cols, rows).with_totals()


def checks_of_which(part: Part, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """ "其中" figures never above their total, on every row and the 合计."""
    out = []
    idx = part.table.column_index
    rows = [*part.table.rows, part.table.totals or []]
    for r in rows:
        if not r:
            continue
        for sub, whole in pairs:
            a, b = r[idx[sub]], r[idx[whole]]
            if isinstance(a, int) and isinstance(b, int) and a > b:
                label_a = part.measure(sub).label.replace("\n", "")
                label_b = part.measure(whole).label.replace("\n", "")
                out.append(f"{part.spec.title}“{r[0]}”：{label_a}（{a}）大于{label_b}（{b}）")
    return out


def header_line(office: str, filler: str, reviewer: str, filled_on: date) -> str:
    """填报单位（盖章）、填报人、审核人、填报日期, as the forms head them."""
    blank = "________"
    return (
        f"填报单位（盖章）：{office or blank}    填报人：{filler or blank}    "
        f"审核人：{reviewer or blank}    填报日期：{filled_on:%Y年%m月%d日}"
    )
