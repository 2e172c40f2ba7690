"""Random cells never crash the import, and every row is accounted for."""

from __future__ import annotations

import math
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unionsdesk.excel import SkipReport, detect_header, iter_records, safe_text, validate_rows
from unionsdesk.excel.reader import write_error_workbook
from unionsdesk.fields import EntitySpec, FieldSpec

SPEC = EntitySpec(
    "person",
    "人员",
    (
        FieldSpec("name", "姓名", required=True, max_length=20),
        FieldSpec("id_number", "身份证号", kind="idno", required=True, aliases=("公民身份号码",)),
        FieldSpec("phone", "手机", kind="phone", aliases=("联系电话",)),
        FieldSpec("joined_on", "入会时间", kind="date", aliases=("入会日期",)),
        FieldSpec("n", "人数", kind="int"),
        FieldSpec("paid", "金额", kind="money"),
        FieldSpec("migrant", "农民工", kind="bool"),
    ),
)
HEADER: list[object] = [
    "序号",
    "姓名",
    "公民身份号码",
    "联系电话",
    "入会日期",
    "人数",
    "金额",
    "农民工",
]

words = st.sampled_from(
    [
        "合计",
        "总计",
        "小计",
        "填表说明：",
        "注：",
        "说明",
        "姓名",
        "身份证号",
        "",
        "  ",
        "\u200b",
        "是",
        "否",
    ]
)
texts = st.text(
    alphabet=st.characters(codec="utf-8")  # no lone surrogates
    | st.sampled_from("𠮷𪚥０１２Xx-./年月日 "),
    max_size=40,
)
cells = st.one_of(
    st.none(),
    words,
    texts,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.integers(min_value=10**14, max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.from_regex(r"[1-8]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|1\d)\d{3}[\dXx]", fullmatch=True),
    st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
    st.from_regex(r"\d{4}[-./年]\d{1,2}(月)?", fullmatch=True),
)
grid = st.lists(st.lists(cells, min_size=0, max_size=len(HEADER) + 2), max_size=25)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid)
def test_every_row_is_good_bad_or_skipped(body: list[list[object]]) -> None:
    rows: list[list[object]] = [["花名册"], HEADER, *body]
    header = detect_header(rows, SPEC)
    assert header.row_index == 1
    skipped = SkipReport()
    records = list(iter_records(rows, header, skipped))
    result = validate_rows(records, SPEC, header=header)

    good = {n for n, _ in result.good}
    bad = set(result.bad_rows)
    skip = {n for n in skipped.all_rows() if n > header.row_number}
    data_rows = set(range(header.row_number + 1, len(rows) + 1))
    assert good | bad | skip == data_rows
    assert not (good & bad) and not (good & skip) and not (bad & skip)
    assert sum(len(v) for v in skipped.rows.values()) == len(skipped.all_rows())
    for e in result.errors:
        assert e.reason and isinstance(e.reason, str)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in e.reason), e.reason  # Chinese for the clerk
    for _, clean in result.good:
        assert isinstance(clean["name"], str) and clean["name"]
        assert isinstance(clean["id_number"], str) and len(clean["id_number"]) == 18
        assert clean["joined_on"] is None or isinstance(clean["joined_on"], date)
        paid = clean["paid"]
        assert paid is None or (isinstance(paid, int) and not isinstance(paid, bool))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grid)
def test_error_workbook_never_crashes(tmp_path: Path, body: list[list[object]]) -> None:
    rows: list[list[object]] = [HEADER, *body]
    header = detect_header(rows, SPEC)
    result = validate_rows(iter_records(rows, header), SPEC, header=header)
    out = write_error_workbook(tmp_path / "e.xlsx", result.errors, [str(h) for h in HEADER])
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws.max_row >= 3


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(texts | words, min_size=1, max_size=20))
def test_safe_text_round_trip(tmp_path: Path, values: list[str]) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    for v in values:
        ws.append([safe_text(v)])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    back = openpyxl.load_workbook(path).worksheets[0]
    for r, v in enumerate(values, 1):
        cell = back.cell(r, 1)
        expected = safe_text(v)
        if expected is None or expected == "":
            assert cell.value is None
            continue
        assert cell.data_type == "s"
        assert cell.value == str(expected)


def test_non_finite_and_time_cells_in_every_field() -> None:
    rows: list[list[object]] = [
        HEADER,
        [1, math.nan, math.inf, -math.inf, math.nan, math.inf, math.nan, math.nan],
        [
            2,
            time(8, 0),
            datetime(2019, 1, 1),
            time(8, 0),
            time(8, 0),
            time(8, 0),
            time(8, 0),
            time(8, 0),
        ],
    ]
    header = detect_header(rows, SPEC)
    result = validate_rows(iter_records(rows, header), SPEC, header=header)
    assert result.good == [] and result.bad_rows == [2, 3]
