"""困难职工档案 and 发放明细 exports, the bank 代发 file and the import templates, read
back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from unionsdesk.cli import main
from unionsdesk.db.models import HardshipFile, Payout
from unionsdesk.db.open import open_database
from unionsdesk.excel.reader import read_records
from unionsdesk.fields import HARDSHIP, PAYOUT
from unionsdesk.services.aid import aid_io, campaigns, hardship
from unionsdesk.services.common.users import first_admin


def rows_of(path: Path) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))


def test_exports_bank_file_and_templates(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_arg = ["--db", str(demo_db_file)]
    db = open_database(demo_db_file)
    admin = first_admin(db)
    files = hardship.list_files(db, admin)
    paid = max(
        (c for c in campaigns.list_campaigns(db, admin) if c.status == "已发放"),
        key=lambda c: c.lines,
    )
    lines = campaigns.list_payouts(db, admin, paid.id)
    db.dispose()

    out = tmp_path / "档案.xlsx"
    assert main(["export", "hardship", str(out), *db_arg]) == 0
    rows = rows_of(out)
    header = rows[2]
    assert header[:2] == ("姓名", "身份证号") and "困难类别" in header and "所在工会" in header
    body = [r for r in rows[3:] if r[0] and r[0] != "合计"]
    assert len(body) == len(files)
    assert {r[header.index("困难类别")] for r in body} <= {"深度困难", "相对困难", "意外致困"}

    out = tmp_path / "明细.xlsx"
    assert main(["export", "payouts", "--campaign", str(paid.id), str(out), *db_arg]) == 0
    rows = rows_of(out)
    header = rows[2]
    assert "所在工会" in header and "收据号" in header
    total = next(r for r in rows if r[0] == "合计")
    money = header.index(next(h for h in header if str(h).startswith("金额")))
    assert round(float(total[money]) * 100) == sum(p.amount for p in lines)

    # the bank's 代发 file: the 银行转账 lines, 户名 账号 金额 摘要, or the bank's own order
    bank_lines = [p for p in lines if p.form == "银行转账"]
    assert bank_lines  # the demo pays files with an account by bank
    out = tmp_path / "代发.xlsx"
    assert main(["export", "bank", "--campaign", str(paid.id), str(out), *db_arg]) == 0
    rows = rows_of(out)
    header = next(r for r in rows if r and r[0] == "户名")
    assert header[:4] == ("户名", "账号", "金额", "摘要")
    body = [r for r in rows[rows.index(header) + 1 :] if r[0] and r[0] != "合计"]
    assert len(body) == len(bank_lines) and all(str(r[1]).isdigit() for r in body)
    db = open_database(demo_db_file)
    with db.reading() as s:
        bank = s.scalar(
            select(HardshipFile.bank_name)
            .join(Payout, Payout.hardship_file_id == HardshipFile.id)
            .where(Payout.campaign_id == paid.id, Payout.form == "银行转账")
        )
    assert bank
    aid_io.set_bank_columns(db, first_admin(db), bank, ["账号", "户名", "金额", "摘要"])
    db.dispose()
    out = tmp_path / "一家银行.xlsx"
    assert (
        main(["export", "bank", "--campaign", str(paid.id), "--bank", bank, str(out), *db_arg]) == 0
    )
    rows = rows_of(out)
    header = next(r for r in rows if r and r[0] == "账号")
    assert header[:4] == ("账号", "户名", "金额", "摘要")

    # templates for the two imports: the importer reads their header
    for what, spec in (("hardship", HARDSHIP), ("payouts", PAYOUT)):
        out = tmp_path / f"{what}.xlsx"
        assert main(["export", "template", what, str(out), *db_arg]) == 0
        sheet = read_records(out, spec)
        assert set(sheet.header.columns.values()) == {f.name for f in spec.fields}
        assert not sheet.header.unmatched and not sheet.records  # no example row as data
