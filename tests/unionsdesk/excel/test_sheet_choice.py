"""Which workbook and which sheet: the content decides the format, not the suffix (an
.xlsx saved as .xls, an .xls renamed .xlsx), and the CLI can name the sheet."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from unionsdesk.cli import main
from unionsdesk.domain.idcard import check_char
from unionsdesk.excel.reader import ExcelReadError, read_sheet


def two_sheets(path: Path) -> Path:
    """An instructions sheet first, the roster on the second sheet."""
    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["请在“会员”工作表中填写，每人一行。"])
    ws = wb.create_sheet("会员")
    ws.append(["姓名", "身份证号", "入会日期"])
    for i in range(3):
        first = f"36083019800101{i:03d}"
        ws.append([f"表二{'甲乙丙'[i]}", first + check_char(first), "2020-01-01"])
    wb.save(path)
    return path


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_the_content_decides_not_the_suffix(tmp_path: Path, suffix: str) -> None:
    good = two_sheets(tmp_path / "roster.xlsx")
    renamed = tmp_path / f"roster{suffix}"
    shutil.copy(good, renamed)
    assert read_sheet(renamed, "会员")[0] == ["姓名", "身份证号", "入会日期"]


def test_not_a_workbook_still_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"just text, not a workbook" * 20)
    with pytest.raises(ExcelReadError, match="不是Excel工作簿"):
        read_sheet(bad)


def test_cli_sheet_by_name_or_number(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = two_sheets(tmp_path / "roster.xlsx")
    union = ["--union", "东固乡总工会", "--db", str(demo_db_file)]
    assert main(["import", "members", str(roster), *union]) == 2  # the instructions sheet
    assert "表头" in capsys.readouterr().err
    assert main(["import", "members", str(roster), "--sheet", "5", *union]) == 2
    assert "没有第5个" in capsys.readouterr().err
    assert main(["import", "members", str(roster), "--sheet", "2", *union]) == 0
    assert "导入：3" in capsys.readouterr().out
    assert main(["import", "members", str(roster), "--sheet", "会员", *union]) == 0
    assert "已在本工会名册，跳过：3" in capsys.readouterr().out
