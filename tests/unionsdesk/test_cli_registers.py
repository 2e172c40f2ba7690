"""`unionsdesk import|export REGISTER …` and `unionsdesk print list REGISTER …` (the register
framework's generic commands), beside the members/aid kinds of the same commands."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from unionsdesk.cli import main
from unionsdesk.domain.idcard import check_char


def make_id(birth: str, seq: str) -> str:
    first = "360830" + birth + seq
    return first + check_char(first)


def test_help_lists_the_register_names(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert "members" in out and "honours" in out and "trip-members" in out and "innovations" in out
    with pytest.raises(SystemExit):
        main(["print", "list", "--help"])
    out = capsys.readouterr().out
    assert "honours             荣誉" in out and "studios" in out and "model-workers" in out
    with pytest.raises(SystemExit):
        main(["print", "--help"])
    assert "receipts" in capsys.readouterr().out  # the aid kinds are still there


def test_import_export_print_undo(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_db_file)
    wb = Workbook()
    ws = wb.active
    ws.append(
        ["工作室名称", "领衔人", "领衔人身份证号", "依托单位", "命名级别", "命名年份", "资助金额"]
    )
    ws.append(
        ["铁军创新工作室", "铁军", make_id("19790909", "111"), "示例县钢厂", "县级", 2022, 80000]
    )
    ws.append(["铁军创新工作室", "铁二", make_id("19790909", "112"), "示例县钢厂", "县级", 2022, 1])
    wb.save(tmp_path / "bad.xlsx")
    errors = tmp_path / "errors.xlsx"
    assert (
        main(["import", "studios", str(tmp_path / "bad.xlsx"), "--db", db, "--report", str(errors)])
        == 2
    )
    captured = capsys.readouterr()
    assert "有错误的行：1" in captured.out and "未导入任何数据" in captured.err
    assert any(
        "与第2行重复" in str(c)
        for row in load_workbook(errors).active.iter_rows(values_only=True)
        for c in row
    )
    assert (
        main(["import", "studios", str(tmp_path / "bad.xlsx"), "--db", db, "--skip-invalid"]) == 0
    )
    assert "导入创新工作室：1条" in capsys.readouterr().out

    out = tmp_path / "s.xlsx"
    assert main(["export", "studios", str(out), "--db", db, "--year", "2022"]) == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert any(r and r[0] == "铁军创新工作室" for r in rows)
    assert all(r[0] != "合计" or r[-2] is not None for r in rows if r)
    pdf = tmp_path / "s.pdf"
    assert main(["print", "list", "studios", str(pdf), "--db", db, "--public"]) == 0
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "创新工作室登记表" in text and "铁军创新工作室" in text
    assert make_id("19790909", "111") not in text  # 公示版: masked

    assert main(["import", "studios", "--undo", "--db", db]) == 0
    assert "删除导入的记录：1条" in capsys.readouterr().out
    assert main(["import", "studios", "--undo", "--db", db]) == 2
    assert "没有可以撤销的创新工作室导入" in capsys.readouterr().err


def test_child_register_needs_its_parent(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "工作单位"])
    ws.append(["参加者", make_id("19900101", "121"), "示例县"])
    wb.save(tmp_path / "m.xlsx")
    assert (
        main(["import", "activity-members", str(tmp_path / "m.xlsx"), "--db", str(demo_db_file)])
        == 2
    )
    assert "请先选择活动" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:  # a view: no import command
        main(["import", "model-workers", str(tmp_path / "m.xlsx"), "--db", str(demo_db_file)])
    assert exit_.value.code == 2
    capsys.readouterr()
    assert main(["export", "honours", str(tmp_path / "x.pdf"), "--db", str(demo_db_file)]) == 2
    assert ".xlsx" in capsys.readouterr().err
