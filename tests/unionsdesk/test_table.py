"""The Table value: columns from FieldSpecs, totals that are sums of rows."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unionsdesk.fields import MEMBER, EntitySpec, FieldSpec
from unionsdesk.table import Column, Table, column_totals

COLUMNS = (
    Column("name", "姓名"),
    Column("count", "人数", "int", 6),
    Column("amount", "金额", "money", 12),
    Column("day", "日期", "date", 11),
)


def test_from_fieldspecs_maps_label_width_and_kind() -> None:
    spec = EntitySpec(
        "x",
        "救助名单",
        (
            FieldSpec("name", "姓名", width=10),
            FieldSpec("id_number", "身份证号", kind="idno", width=20),
            FieldSpec("amount", "金额", kind="money", width=12),
            FieldSpec("paid_on", "发放日期", kind="date"),
            FieldSpec("n", "人数", kind="int", width=6),
            FieldSpec("phone", "手机", kind="phone"),
            FieldSpec("ok", "是否", kind="bool"),
        ),
    )
    t = Table.from_fieldspecs(
        spec,
        ["name", "id_number", "amount", "paid_on", "n", "phone", "ok"],
        labels={"amount": "金额（元）"},
    )
    assert t.title == "救助名单"
    assert [(c.key, c.label, c.kind, c.width) for c in t.columns] == [
        ("name", "姓名", "text", 10),
        ("id_number", "身份证号", "idno", 20),
        ("amount", "金额（元）", "money", 12),
        ("paid_on", "发放日期", "date", 12),
        ("n", "人数", "int", 6),
        ("phone", "手机", "text", 12),
        ("ok", "是否", "text", 12),
    ]
    assert t.column_index["amount"] == 2
    assert (
        Table.from_fieldspecs(MEMBER, ["name", "id_number"], title="名册").columns[1].kind == "idno"
    )


def test_column_totals_and_with_totals() -> None:
    rows: list[list[object]] = [
        ["甲", 1, 150, date(2020, 1, 1)],
        ["乙", None, 250, None],
        ["丙", 3, None, None],
    ]
    assert column_totals(rows, COLUMNS) == ["合计", 4, 400, None]
    t = Table("t", COLUMNS, rows).with_totals()
    assert t.totals == ["合计", 4, 400, None]
    assert column_totals([], COLUMNS) == ["合计", 0, 0, None]
    assert column_totals([[5]], (Column("n", "人数", "int"),)) == [
        5
    ]  # summed first column keeps its sum


def test_column_totals_refuses_non_integers() -> None:
    with pytest.raises(TypeError, match="expected int"):
        column_totals([["甲", 1.5, 0, None]], COLUMNS)
    with pytest.raises(TypeError):
        column_totals([["甲", True, 0, None]], COLUMNS)


def test_table_checks_its_shape() -> None:
    with pytest.raises(ValueError, match="at least one column"):
        Table("t", (), [])
    with pytest.raises(ValueError, match="duplicate"):
        Table("t", (Column("a", "甲"), Column("a", "乙")), [])
    with pytest.raises(ValueError, match="totals has 1 values for 4 columns"):
        Table("t", COLUMNS, [], totals=[1])


def test_units_text() -> None:
    assert Table("t", COLUMNS, [], units="元").units_text == "单位：元"
    assert Table("t", COLUMNS, [], units="金额单位：万元").units_text == "金额单位：万元"
    assert Table("t", COLUMNS, []).units_text == ""


@given(
    st.lists(
        st.tuples(
            st.none() | st.integers(-(10**12), 10**12), st.none() | st.integers(-(10**12), 10**12)
        ),
        max_size=50,
    )
)
def test_totals_are_sums_of_rows(pairs: list[tuple[int | None, int | None]]) -> None:
    rows = [["x", a, b, None] for a, b in pairs]
    totals = column_totals(rows, COLUMNS)
    assert totals[1] == sum(a for a, _ in pairs if a is not None)
    assert totals[2] == sum(b for _, b in pairs if b is not None)
