"""Excel export: safe text, write_table layout, formats, totals, progress and cancel."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from unionsdesk.excel import (
    Cancelled,
    ExcelWriteError,
    read_sheet,
    safe_text,
    write_table,
    write_tables,
)
from unionsdesk.excel.writer import DATE_FORMAT, MONEY_FORMAT, save_workbook, sheet_name
from unionsdesk.table import Column, Table

TRICKY = [
    "=1+1",
    '=HYPERLINK("http://example.com","点我")',
    "+86 138",
    "-5",
    "@SUM(A1)",
    "#N/A",
    "#DIV/0!",
    "0012",
    "=",
    "王𠮷",
    " 前后空格 ",
    "两行\n文字",
]


@pytest.mark.parametrize("write_only", [False, True])
def test_safe_text_round_trips_as_text(tmp_path: Path, write_only: bool) -> None:
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet() if write_only else wb.active
    assert ws is not None
    if write_only:
        for value in TRICKY:
            ws.append([safe_text(value)])
    else:
        for r, value in enumerate(TRICKY, 1):
            ws.cell(r, 1).value = safe_text(value)
    path = tmp_path / "t.xlsx"
    wb.save(path)

    back = openpyxl.load_workbook(path).worksheets[0]
    for r, value in enumerate(TRICKY, 1):
        cell = back.cell(r, 1)
        assert cell.value == value
        assert cell.data_type == "s", value
    assert [row[0] for row in read_sheet(path)] == TRICKY  # calamine sees the text too


def test_safe_text_drops_what_xlsx_cannot_hold() -> None:
    assert safe_text("a\x00b\x1fc\ud800") == "abc\ufffd"
    assert safe_text("tab\tnew\nline") == "tab\tnew\nline"
    assert len(str(safe_text("x" * 40000))) == 32767
    assert safe_text(12) == 12 and safe_text(None) is None


def test_sheet_name() -> None:
    assert sheet_name("2026/11 统计:[县]") == "2026_11 统计__县_"
    assert sheet_name("'") == "Sheet1"
    assert len(sheet_name("很" * 40)) == 31


COLUMNS = (
    Column("name", "姓名", "text", 10),
    Column("id_number", "身份证号", "idno", 20),
    Column("joined_on", "入会日期", "date", 11),
    Column("count", "人数", "int", 6),
    Column("amount", "金额", "money", 12),
    Column("remark", "备注", "text", 24),
    Column("code", "代码", "idno", 8),
)


def rows(n: int) -> list[list[object]]:
    out: list[list[object]] = []
    for i in range(n):
        remark = ("=1+1", '=HYPERLINK("x")', "#N/A", None)[i % 4]
        out.append(
            [
                f"职工{i}",
                f"3608301972072{i % 10000:04d}0",
                date(2020, 1, 1 + i % 28),
                i % 7,
                i * 137 + 5,
                remark,
                "0012",
            ]
        )
    return out


def test_write_table_1000_rows(tmp_path: Path) -> None:
    table = Table(
        "会员慰问金发放表",
        COLUMNS,
        rows(1000),
        subtitle="填报单位：某某县总工会    日期：2026年11月",
        units="元",
        notes=["注：金额单位为元。", "经办人：          审核人："],
    ).with_totals()
    seen: list[tuple[int, int]] = []
    out = write_table(tmp_path / "out.xlsx", table, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (1000, 1000) and seen == sorted(seen)

    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws is not None
    assert ws.title == "会员慰问金发放表"
    assert ws["A1"].value == "会员慰问金发放表" and ws["A1"].font.b and ws["A1"].font.sz == 16
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value.startswith("填报单位") and ws["G2"].value == "单位：元"
    assert [c.value for c in ws[3]] == [c.label for c in COLUMNS]
    assert all(c.font.b and c.border.left.style == "thin" for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"  # header repeats on every printed page
    assert ws.column_dimensions["B"].number_format == "@"  # IDs typed later stay text
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.column_dimensions["B"].width == 22

    first = [c for c in ws[4]]
    assert first[0].value == "职工0" and first[0].data_type == "s"
    assert first[1].value == "360830197207200000" and first[1].data_type == "s"
    assert first[2].value == datetime(2020, 1, 1) and first[2].number_format == DATE_FORMAT
    assert first[3].value == 0 and first[3].number_format == "0"
    assert first[4].value == pytest.approx(0.05) and first[4].number_format == MONEY_FORMAT
    assert first[5].value == "=1+1" and first[5].data_type == "s"
    assert ws["F5"].value == '=HYPERLINK("x")' and ws["F5"].data_type == "s"
    assert ws["F6"].value == "#N/A" and ws["F6"].data_type == "s"
    assert ws["G4"].value == "0012" and ws["G4"].data_type == "s"

    total = [c.value for c in ws[1004]]
    assert total[0] == "合计"
    data = table.rows
    assert total[3] == sum(r[3] for r in data)  # type: ignore[misc]
    assert Decimal(str(total[4])) == Decimal(sum(r[4] for r in data)) / 100  # type: ignore[misc]
    assert ws["E1004"].number_format == MONEY_FORMAT and ws["A1004"].font.b
    assert ws["A1005"].value == "注：金额单位为元。"
    assert ws["A1006"].value.startswith("经办人")
    assert ws.max_row == 1006

    # calamine reads the same file (it is also what the importer uses).
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert sheet[3][5] == "=1+1" and sheet[3][6] == "0012"


def test_money_is_exact_yuan(tmp_path: Path) -> None:
    cols = (Column("a", "金额", "money"),)
    table = Table("t", cols, [[1], [10], [123456789012], [-5], [None]]).with_totals()
    out = write_table(tmp_path / "m.xlsx", table)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert [ws.cell(r, 1).value for r in range(3, 9)] == [
        pytest.approx(0.01), pytest.approx(0.1), pytest.approx(1234567890.12), pytest.approx(-0.05), None,
        pytest.approx(1234567890.18),
    ]  # fmt: skip


def test_values_of_other_types_in_text_columns(tmp_path: Path) -> None:
    cols = (Column("a", "甲"), Column("b", "乙", "idno"), Column("d", "日期", "date"))
    table = Table("t", cols, [[True, 360830197207212000, "2019年"], [date(2019, 5, 1), 12.0, None]])
    ws = openpyxl.load_workbook(write_table(tmp_path / "x.xlsx", table)).active
    assert ws is not None
    assert [c.value for c in ws[3]] == ["是", "360830197207212000", "2019年"]
    assert [c.value for c in ws[4]] == ["2019-05-01", "12", None]
    assert ws["B3"].data_type == "s"


def test_falsy_values_in_text_columns_are_still_text(tmp_path: Path) -> None:
    cols = (Column("a", "甲"), Column("b", "乙"), Column("c", "丙"))
    table = Table("t", cols, [["x", False, 0], ["y", 0.0, Decimal(0)]])
    ws = openpyxl.load_workbook(write_table(tmp_path / "f.xlsx", table)).active
    assert ws is not None
    assert [c.value for c in ws[3]] == ["x", "否", "0"]
    assert [c.value for c in ws[4]] == ["y", "0", "0"]
    assert all(c.data_type == "s" for row in (ws[3], ws[4]) for c in row)


def test_wrong_types_in_number_columns_are_programming_errors(tmp_path: Path) -> None:
    table = Table("t", (Column("a", "金额", "money"),), [[1.5]])
    with pytest.raises(TypeError):
        write_table(tmp_path / "x.xlsx", table)
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(ValueError, match="row 0 has 2 values"):
        write_table(tmp_path / "x.xlsx", Table("t", (Column("a", "甲"),), [[1, 2]]))


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls >= 2

    def scratch() -> set[Path]:  # openpyxl streams write-only sheets through temp files
        return set(Path(tempfile.gettempdir()).glob("openpyxl.*"))

    before = scratch()
    target = tmp_path / "c.xlsx"
    target.write_bytes(b"old")  # an earlier export is kept, not half-replaced
    with pytest.raises(Cancelled, match="已取消"):
        write_table(target, Table("t", COLUMNS, rows(3000)), cancelled=cancelled)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.xlsx"]
    assert scratch() <= before


def test_write_tables_several_sheets(tmp_path: Path) -> None:
    a = Table(
        "按乡镇", (Column("k", "乡镇"), Column("n", "会员数", "int")), [["甲镇", 3], ["乙镇", 4]]
    )
    b = Table("按乡镇", (Column("k", "工会"), Column("n", "会员数", "int")), [["一厂", 7]])
    seen: list[tuple[int, int]] = []
    out = write_tables(
        tmp_path / "s.xlsx",
        [(a.with_totals(), None), (b, None)],
        progress=lambda d, t: seen.append((d, t)),
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["按乡镇", "按乡镇(2)"]
    assert wb.worksheets[0]["B5"].value == 7
    assert seen[-1] == (3, 3)


def test_save_workbook_reports_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ExcelWriteError, match="文件夹不存在"):
        save_workbook(openpyxl.Workbook(), tmp_path / "no" / "x.xlsx")


def test_table_without_subtitle_puts_header_on_row_2(tmp_path: Path) -> None:
    out = write_table(tmp_path / "x.xlsx", Table("只有标题", (Column("a", "甲"),), [["x"]]))
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["A2"].value == "甲" and ws.freeze_panes == "A3"


@pytest.mark.bench
def test_bench_100k_rows(tmp_path: Path) -> None:  # pragma: no cover - opt-in
    import time

    data = rows(100_000)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    start = time.perf_counter()
    for r in data:
        ws.append(r)
    wb.save(tmp_path / "raw.xlsx")
    raw = time.perf_counter() - start
    start = time.perf_counter()
    write_table(tmp_path / "t.xlsx", Table("t", COLUMNS, data).with_totals())
    ours = time.perf_counter() - start
    print(
        f"\nwrite_table 100k rows: {ours:.2f}s, raw openpyxl append: {raw:.2f}s, ratio {ours / raw:.2f}"
    )


def test_rows_check_text_together_but_each_value_stays_safe(tmp_path: Path) -> None:
    """A row's text is checked at once; one unsafe value among plain ones still
    goes through safe_text, and day numbers keep the exact dates."""
    odd = [*TRICKY, "a\x00b", "lone\ud800", "x" * 40000, "前 =1+1", "中\r\n间", ""]
    days = [date(1900, 1, 15), date(1900, 2, 28), date(1900, 3, 1), date(2026, 11, 23)]
    cols = (
        Column("a", "甲"),
        Column("b", "乙"),
        Column("c", "号", "idno"),
        Column("d", "日期", "date"),
    )
    rows = [["普通文字", value, "3608", days[i % len(days)]] for i, value in enumerate(odd)] + [
        ["=2+2", "普通", "#REF!", datetime(2020, 1, 1, 8, 30)]
    ]
    out = write_table(tmp_path / "r.xlsx", Table("t", cols, rows))
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    for r, row in enumerate(rows, 3):
        for c, value in enumerate(row[:3], 1):
            cell, stored = ws.cell(r, c), safe_text(value)
            assert cell.value == (str(stored) if stored else None), (r, c, value)
            if cell.value is not None:
                assert cell.data_type == "s", (r, c, value)
        day = ws.cell(r, 4)
        expected = (
            row[3]
            if isinstance(row[3], datetime)
            else datetime.combine(row[3], datetime.min.time())
        )
        assert day.value == expected and day.number_format == DATE_FORMAT, (r, row[3])
