"""Statistics tables on paper and in Excel, the year-end pack and the CLI."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from unionsdesk.cli import main
from unionsdesk.db.engine import Database
from unionsdesk.excel.writer import display_width
from unionsdesk.printing.table_pdf import render_table_pdf
from unionsdesk.reports.stats.output import write_report, year_pack
from unionsdesk.reports.stats.tables import TABLES, build_report
from unionsdesk.services.common.users import first_admin
from unionsdesk.table import Column, Table

YEAR = date.today().year


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("key", list(TABLES))
def test_pdf_and_xlsx_of_each_table(demo_db: Database, tmp_path: Path, key: str) -> None:
    admin = first_admin(demo_db)
    report = build_report(demo_db, admin, key, str(YEAR), reviewer="王审核")
    pdf = write_report(report, tmp_path / f"{key}.pdf")
    txt = _pdf_text(pdf)
    for t in report.tables:
        assert t.title.split("（")[0] in txt
    for words in ("合计", "填报单位（盖章）：示例县总工会", "审核人：王审核", "填报日期", "单位："):
        assert words in txt, words
    if key == "org":  # the wide table goes landscape
        assert "841.89 x 595.276 pts (A4)" in _pdf_info(pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "yes" in fonts and "Type 3" not in fonts

    xlsx = write_report(report, tmp_path / f"{key}.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    assert len(wb.sheetnames) == len(report.parts)
    for ws, part in zip(wb.worksheets, report.parts, strict=True):
        t = part.table
        assert ws["A1"].value == t.title
        assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)
        assert ws.freeze_panes == "A4"
        headers = [c.value for c in ws[3]]
        assert headers == [c.label for c in t.columns]
        for i, col in enumerate(t.columns, 1):
            letter = openpyxl.utils.get_column_letter(i)
            longest = max(display_width(line) for line in col.label.split("\n"))
            assert ws.column_dimensions[letter].width >= longest
        total_row = 4 + len(t.rows)
        assert ws.cell(total_row, 1).value == "合计"
        for i, col in enumerate(t.columns, 1):
            cell = ws.cell(total_row, i)
            if col.kind == "wan":
                assert cell.number_format == "#,##0.00"
                assert t.totals is not None
                assert Decimal(str(cell.value)) * 1_000_000 == t.totals[i - 1]
            elif col.kind == "int":
                assert cell.number_format == "0"
                assert cell.value == t.totals[i - 1]  # type: ignore[index]


def test_wan_totals_are_rounded_once(tmp_path: Path) -> None:
    """Three amounts of 0.4999 万元 each show 0.50; their 合计 is 1.50 (1.4997 rounded)."""
    t = Table(
        "测试", (Column("row", "项目"), Column("amount", "金额（万元）", "wan")),
        [["甲", 4999], ["乙", 4999], ["丙", 4999]],
    ).with_totals()  # fmt: skip
    t2 = Table(
        "测试", t.columns, [["甲", 4_999_00], ["乙", 4_999_00], ["丙", 4_999_00]]
    ).with_totals()
    txt = _pdf_text(render_table_pdf(t2, tmp_path / "w.pdf"))
    assert txt.count("0.50") == 3 and "1.50" in txt
    assert t.totals == ["合计", 14997]


def test_failed_table_is_marked_on_paper(demo_db: Database, tmp_path: Path) -> None:
    admin = first_admin(demo_db)
    from sqlalchemy import text

    with demo_db.writing() as s:
        s.execute(text("UPDATE hardship_file SET active = :f WHERE id = 2"), {"f": False})
    report = build_report(demo_db, admin, "aid", str(YEAR))
    txt = _pdf_text(write_report(report, tmp_path / "aid.pdf"))
    assert txt.count("未通过校验") >= 2  # the mark on the page and the reasons under the table
    wb = openpyxl.load_workbook(write_report(report, tmp_path / "aid.xlsx"))
    assert "未通过校验" in wb.worksheets[0]["A1"].value


def test_year_pack(demo_db: Database, tmp_path: Path) -> None:
    admin = first_admin(demo_db)
    pack = year_pack(demo_db, admin, YEAR, tmp_path)
    wb = openpyxl.load_workbook(pack.workbook)
    assert wb.sheetnames[:4] == [
        "工会组织建设",
        "会员发展",
        "帮扶工作统计（一）",
        "帮扶工作统计（二）",
    ]
    assert len(wb.sheetnames) == sum(len(r.parts) for r in pack.reports)
    assert [r.key for r in pack.reports] == list(TABLES)
    txt = _pdf_text(pack.pdf)
    first = txt.split("\f")[0]
    assert "目录" in first and "第 2 页" in first and "统计图" in first
    assert f"{YEAR}年度统计图" in txt and "会员人数" in txt
    pages = int(
        next(
            line.split()[-1]
            for line in _pdf_info(pack.pdf).splitlines()
            if line.startswith("Pages")
        )
    )
    assert pages >= 6


def test_cli(demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(demo_db_file)
    out = tmp_path / "org.xlsx"
    assert (
        main(
            [
                "report",
                "org",
                "--db",
                db,
                "--period",
                f"{YEAR}Q1",
                "--scope",
                "城关镇总工会",
                str(out),
            ]
        )
        == 0
    )
    assert openpyxl.load_workbook(out).worksheets[0]["A1"].value.startswith(f"{YEAR}年第一季度")
    assert (
        main(["report", "aid", "--db", db, "--period", f"{YEAR}Q5", str(tmp_path / "a.pdf")]) == 2
    )
    assert "季度应为 1 到 4" in capsys.readouterr().err
    assert (
        main(
            [
                "report",
                "aid",
                "--db",
                db,
                "--period",
                str(YEAR),
                "--scope",
                "城关镇工会",
                str(tmp_path / "a.pdf"),
            ]
        )
        == 2
    )
    assert "是不是：城关镇总工会" in capsys.readouterr().err
    assert (
        main(["report", "mutual", "--db", db, "--period", str(YEAR), str(tmp_path / "m.pdf")]) == 0
    )
    assert main(["report", "year", "--db", db, "--year", str(YEAR + 1), str(tmp_path)]) == 2
    assert (
        main(["report", "year", "--db", db, "--year", str(YEAR), str(tmp_path / "年报.pdf")]) == 0
    )
    assert (tmp_path / "年报.xlsx").exists() and (tmp_path / "年报.pdf").exists()
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    helptext = capsys.readouterr().out
    for key in ("campaign", "org", "members", "aid", "rights", "sites", "mutual", "funds", "year"):
        assert key in helptext


def test_drill_down_export_keeps_ids_as_text(demo_db: Database, tmp_path: Path) -> None:
    from unionsdesk.excel.writer import write_table

    admin = first_admin(demo_db)
    report = build_report(demo_db, admin, "org", str(YEAR))
    with demo_db.reading() as s:
        detail = report.drill(s, 0, len(report.parts[0].keys), "members")
    path = write_table(tmp_path / "明细.xlsx", detail)
    ws = openpyxl.load_workbook(path).active
    col = detail.column_index["id_number"] + 1
    cells = [ws.cell(r, col) for r in range(3, 3 + len(detail.rows))]  # title, header, rows
    assert cells and all(c.data_type == "s" and len(c.value) == 18 for c in cells)
