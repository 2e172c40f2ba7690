from pathlib import Path

import openpyxl
import pytest

from unionsdesk.cli import main
from unionsdesk.db.engine import Database
from unionsdesk.domain.idcard import check_char
from unionsdesk.services.aid import hardship
from unionsdesk.services.aid.hardship_import import import_hardship_files
from unionsdesk.services.common.base import CurrentUser


def make_id(birth: str, seq: str) -> str:
    first = "360830" + birth + seq
    return first + check_char(first)


def roster(path: Path, *, bad: bool, existing: str | None = None) -> list[str]:
    ids = [make_id("19700101", f"{i:03d}") for i in range(1, 4)]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["困难职工档案汇总表"])
    ws.append(
        [
            "序号",
            "姓 名",
            "身份证号码",
            "所在工会",
            "困难类别",
            "致困原因",
            "家庭人口",
            "家庭年收入",
            "建档日期",
        ]
    )
    ws.append(
        [1, "甲", ids[0], "城关镇总工会", "深度困难", "患重特大疾病", 3, "18,000", "2025年3月"]
    )
    ws.append(
        [2, "乙", ids[1].lower(), "城关镇总工会", "相对困难", "下岗失业", 2, 24000, "2025-04-01"]
    )
    ws.append([3, "丙", ids[2], "青原镇总工会", "意外致困", "遭受意外事故", 4, "30000", "2025.05"])
    if existing:
        ws.append(
            [4, "丁", existing, "城关镇总工会", "深度困难", "无劳动能力", 1, 5000, "2025-01-01"]
        )
    if bad:
        ws.append(
            [
                5,
                "戊",
                make_id("19700101", "009"),
                "不存在的工会",
                "深度困难",
                "无劳动能力",
                1,
                5000,
                "2025-01-01",
            ]
        )
        ws.append(
            [
                6,
                "己",
                make_id("19700101", "010"),
                "城关镇总工会",
                "很困难",
                "无劳动能力",
                0,
                "很多",
                "明天",
            ]
        )
    ws.append(["合计"])
    wb.save(path)
    return ids


def test_all_or_nothing_then_skip_invalid(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    f = tmp_path / "files.xlsx"
    ids = roster(f, bad=True)
    before = len(hardship.list_files(any_db, admin))
    result = import_hardship_files(any_db, admin, f)
    assert not result.written and len(hardship.list_files(any_db, admin)) == before
    assert sorted({e.row_number for e in result.errors}) == [6, 7]
    result = import_hardship_files(any_db, admin, f, skip_invalid=True)
    assert result.written and result.imported == 3
    rows = {r.id_number: r for r in hardship.list_files(any_db, admin)}
    assert rows[ids[0]].category == "01" and rows[ids[0]].per_capita_month == 50000
    assert rows[ids[2]].union_name == "青原镇总工会"


def test_people_with_an_active_file_are_skipped(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    existing = hardship.list_files(any_db, admin)[0]
    full = hardship.get_file(any_db, admin, existing.id).values["id_number"]
    f = tmp_path / "files.xlsx"
    roster(f, bad=False, existing=full)
    result = import_hardship_files(any_db, admin, f)
    assert result.imported == 3 and [n for _, n in result.already_present] == ["丁"]
    again = import_hardship_files(any_db, admin, f)
    assert again.imported == 0 and len(again.already_present) == 4
    lines = again.summary_lines()
    assert "已有在档档案，跳过：4" in lines
    assert not any("转会" in line or "本工会名册" in line for line in lines)  # member wording


def test_cli(demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "files.xlsx"
    roster(f, bad=True)
    report = tmp_path / "err.xlsx"
    assert (
        main(["import", "hardship", str(f), "--report", str(report), "--db", str(demo_db_file)])
        == 2
    )
    assert "有错误的行：2" in capsys.readouterr().out and report.exists()
    assert main(["import", "hardship", str(f), "--skip-invalid", "--db", str(demo_db_file)]) == 0
    assert "导入：3" in capsys.readouterr().out
