"""Import of pay-out lines into a campaign from real .xlsx files built here."""

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from unionsdesk.cli import main
from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.db.open import open_database
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import UserError
from unionsdesk.services.aid import campaigns, hardship
from unionsdesk.services.aid.payout_import import import_payouts
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.users import first_admin

YEAR = 2031  # the demo data has campaigns and receipts of the current year
HEADER = ["序号", "姓 名", "身份证号码", "困难类别", "发放金额", "发放方式", "超标准原因", "备注"]


def make_id(seq: int, birth: str = "19800303") -> str:
    first = f"360830{birth}{seq:03d}"
    return first + check_char(first)


def campaign(db: Database, admin: CurrentUser, name: str = "2031年冬送温暖") -> int:
    c = campaigns.save_campaign(
        db, admin,
        {"name": name, "kind": "冬送温暖/两节慰问", "year": YEAR, "budget": "100000", "approval_ref": "示工发〔2031〕5号"},
        standards={"深度困难": "2500", "相对困难": "1500"},
    )  # fmt: skip
    return c.id


def workbook(path: Path, rows: list[list[object]]) -> Path:
    """A township's list as clerks send it: title, header, lines, a 合计 row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["2031年冬送温暖慰问金发放名单"])
    ws.append(HEADER)
    for n, row in enumerate(rows, 1):
        ws.append([n, *row])
    ws.append(["合计"])
    wb.save(path)
    return path


GOOD = [
    ["王一", make_id(1), "深度困难", "2,500", "", "", ""],
    ["王二", make_id(2).lower(), "相对困难", 1500, "银行转账", "", ""],
    ["王三", make_id(3), "深度困难", "3000", "现金", "因病加发", "住院"],
    ["王四", make_id(4), "", "800.50", "实物", "", ""],
]
GOOD_TOTAL = 250000 + 150000 + 300000 + 80050


def test_good_file_in_one_go(any_db: Database, admin: CurrentUser, tmp_path: Path) -> None:
    cid = campaign(any_db, admin)
    filed = hardship.save_file(
        any_db, admin,
        {"name": "王五", "id_number": make_id(5), "union": "城关镇总工会", "category": "深度困难",
         "main_reason": "患重特大疾病", "household_size": 3, "household_income": "18000", "filed_on": "2026-01-05"},
    )  # fmt: skip
    path = workbook(
        tmp_path / "名单.xlsx", [*GOOD, ["王五", make_id(5), "深度困难", 2500, "", "", ""]]
    )
    result = import_payouts(any_db, admin, path, campaign_id=cid)
    assert result.errors == [] and result.written and result.imported == 5
    assert result.rows_read == 5 and result.total == GOOD_TOTAL + 250000
    assert any("导入：5行" in line for line in result.summary_lines())
    lines = {p.id_number: p for p in campaigns.list_payouts(any_db, admin, cid)}
    assert len(lines) == 5
    assert lines[make_id(1)].amount == 250000 and lines[make_id(1)].form == "现金"  # default
    assert lines[make_id(2)].form == "银行转账" and lines[make_id(2)].category == "相对困难"
    assert lines[make_id(3)].override_reason == "因病加发"
    assert lines[make_id(4)].amount == 80050 and lines[make_id(4)].category is None
    # The person with an active hardship file gets its union, as for a line typed in.
    assert lines[make_id(5)].union_name == filed.row.union_name == "城关镇总工会"
    c = campaigns.get_campaign(any_db, admin, cid)
    assert (c.lines, c.total) == (5, GOOD_TOTAL + 250000)
    with any_db.reading() as s:
        q = select(AuditLog.summary).where(AuditLog.action == "import", AuditLog.entity == "payout")
        assert list(s.scalars(q)) == ["2031年冬送温暖：从“名单.xlsx”导入发放明细5行"]

    # The same file again: everyone is already in the campaign; nothing changes.
    again = import_payouts(any_db, admin, path, campaign_id=cid)
    assert not again.written and again.invalid == 5
    assert all("同一人不能重复发放" in e.reason for e in again.errors)
    assert {e.column_label for e in again.errors} == {"身份证号码"}
    assert campaigns.get_campaign(any_db, admin, cid).lines == 5


BAD = [
    ["王一", make_id(1), "深度困难", "2500", "", "", ""],  # row 3: fine
    ["王一", make_id(1), "深度困难", "2500", "", "", ""],  # row 4: same person again
    ["赵二", make_id(12), "深度困难", "很多", "", "", ""],  # row 5: not an amount
    ["赵三", make_id(13), "相对困难", "0", "", "", ""],  # row 6: zero
    ["赵四", make_id(14), "深度困难", "3000", "", "", ""],  # row 7: above standard, no reason
    # row 8: a wrong check digit
    ["赵五", make_id(15)[:-1] + ("0" if make_id(15)[-1] != "0" else "1"), "", "100", "", "", ""],
    ["赵六", make_id(16), "", "100", "邮寄", "", ""],  # row 9: unknown form
    ["赵七", make_id(17), "", "100", "", "", ""],  # row 10: fine
]


def test_errors_write_nothing_unless_skip_invalid(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    cid = campaign(any_db, admin)
    path = workbook(tmp_path / "bad.xlsx", BAD)
    result = import_payouts(any_db, admin, path, campaign_id=cid)
    assert not result.written and result.imported == 0 and result.ready == 2
    assert campaigns.get_campaign(any_db, admin, cid).lines == 0
    by_row = {e.row_number: e for e in result.errors}
    assert sorted(by_row) == [4, 5, 6, 7, 8, 9]
    assert "与第3行是同一人" in by_row[4].reason and by_row[4].column_label == "身份证号码"
    assert by_row[5].column_label == "发放金额" and by_row[5].value == "很多"
    assert "金额应大于0" in by_row[6].reason
    assert "超标准原因" in by_row[7].reason and "2,500.00" in by_row[7].reason
    assert by_row[8].field == "id_number" and by_row[8].column_label == "身份证号码"
    assert by_row[9].column_label == "发放方式"
    assert any("因有错误行未写入" in line for line in result.summary_lines())

    report = result.write_error_workbook(tmp_path / "errors.xlsx")
    ws = openpyxl.load_workbook(report).active
    assert ws is not None
    listed = [row[0] for row in ws.iter_rows(min_row=4, values_only=True) if row[0] is not None]
    assert sorted(set(listed)) == [4, 5, 6, 7, 8, 9]

    skipped = import_payouts(any_db, admin, path, campaign_id=cid, skip_invalid=True)
    assert skipped.written and skipped.imported == 2 and skipped.total == 250000 + 10000
    names = sorted(p.name for p in campaigns.list_payouts(any_db, admin, cid))
    assert names == ["王一", "赵七"]


def test_double_aid_is_a_warning_and_another_name_an_error(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    first = campaign(any_db, admin, "2031年金秋助学")
    campaigns.add_payout(
        any_db, admin, first, {"name": "王一", "id_number": make_id(1), "amount": "2000"}
    )
    second = campaign(any_db, admin)
    same = [["王一", make_id(1), "深度困难", "2500", "", "", ""], GOOD[1]]
    result = import_payouts(any_db, admin, workbook(tmp_path / "w.xlsx", same), campaign_id=second)
    assert result.written and result.imported == 2 and not result.errors
    texts = [text for row, text in result.warnings if row == 3]
    assert any("重复救助提示" in t and "2031年金秋助学" in t and "2,000.00" in t for t in texts)
    assert not [text for row, text in result.warnings if row == 4]
    assert any("重复救助提示" in line for line in result.summary_lines())
    # The same ID number under another name is an error for that row, never a rename.
    renamed = [["王壹", make_id(1), "深度困难", "2500", "", "", ""]]
    third = campaign(any_db, admin, "2031年两节送温暖")
    again = import_payouts(any_db, admin, workbook(tmp_path / "r.xlsx", renamed), campaign_id=third)
    assert not again.written and [e.reason for e in again.errors] == [
        "身份证号已登记为王一，本行姓名为王壹"
    ]


def test_a_closed_campaign_and_a_file_without_amounts_are_refused(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    cid = campaign(any_db, admin)
    path = workbook(tmp_path / "ok.xlsx", GOOD[:1])
    assert import_payouts(any_db, admin, path, campaign_id=cid).imported == 1
    campaigns.set_campaign_status(any_db, admin, cid, "审核")
    campaigns.set_campaign_status(any_db, admin, cid, "已发放")
    with pytest.raises(UserError, match="发放名单不能再修改"):
        import_payouts(any_db, admin, workbook(tmp_path / "more.xlsx", GOOD[1:2]), campaign_id=cid)
    with pytest.raises(UserError, match="不存在"):
        import_payouts(any_db, admin, path, campaign_id=999_999)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号码", "类别"])
    ws.append(["王一", make_id(1), "深度困难"])
    wb.save(tmp_path / "no_amount.xlsx")
    other = campaign(any_db, admin, "2031年另一次")
    with pytest.raises(UserError, match="金额"):
        import_payouts(any_db, admin, tmp_path / "no_amount.xlsx", campaign_id=other)
    assert campaigns.get_campaign(any_db, admin, other).lines == 0


def test_cli_exit_codes(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(demo_db_file)
    cid = campaign(db, first_admin(db))
    db.dispose()
    bad = workbook(tmp_path / "bad.xlsx", BAD)
    report = tmp_path / "err.xlsx"
    base = ["import", "payouts", "--campaign", str(cid), "--db", str(demo_db_file)]
    assert main([*base[:2], str(bad), *base[2:], "--report", str(report)]) == 2
    captured = capsys.readouterr()
    assert "读取数据行：8" in captured.out and "有错误的行：6" in captured.out
    assert "未导入任何数据" in captured.err and report.exists()
    db = open_database(demo_db_file)
    assert campaigns.get_campaign(db, first_admin(db), cid).lines == 0
    db.dispose()

    assert main([*base[:2], str(bad), *base[2:], "--skip-invalid"]) == 0
    assert "导入：2行" in capsys.readouterr().out
    good = workbook(tmp_path / "good.xlsx", GOOD[1:])
    assert main([*base[:2], str(good), *base[2:]]) == 0
    assert "导入：3行" in capsys.readouterr().out
    db = open_database(demo_db_file)
    assert campaigns.get_campaign(db, first_admin(db), cid).lines == 5
    db.dispose()

    missing = ["import", "payouts", str(good), "--campaign", "999999", "--db", str(demo_db_file)]
    assert main(missing) == 2
    assert "不存在" in capsys.readouterr().err
