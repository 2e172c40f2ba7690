"""The sites area's commands on the demo office: printed grant forms and the 会费收缴表
read back with pdftotext, the levies export read back with openpyxl (实缴 and one
column per share, in yuan), attachments for scripts and `check` finding a lost file."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from unionsdesk import attachments as att
from unionsdesk.cli import main
from unionsdesk.db.models_funds import Dues, Grant
from unionsdesk.db.open import open_database


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_grant_forms(demo_db_file: Path, tmp_path: Path) -> None:
    db = open_database(demo_db_file)
    with db.reading() as s:
        accepted = s.scalar(select(Grant).where(Grant.status == "已验收").limit(1))
        assert accepted is not None
        gid, code, name = accepted.id, accepted.code, accepted.name
    db.dispose()
    app, acc, appr = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    assert main(["print", "grant-application", str(gid), str(app), "--db", str(demo_db_file)]) == 0
    text = _text(app)
    assert "对下项目补助申报表" in text and code in text and "人民币" in text and "县总工会" in text
    assert main(["print", "grant-acceptance", str(gid), str(acc), "--db", str(demo_db_file)]) == 0
    text = _text(acc)
    assert "对下项目补助验收表" in text and "合格" in text and name[:8] in text
    assert main(["print", "grant-approval", str(appr), "--db", str(demo_db_file)]) == 0
    text = _text(appr)
    assert "审批表" in text and "合计" in text and "合计金额（大写）：人民币" in text
    for pdf in (app, acc, appr):
        fonts = _fonts(pdf)
        assert "Helvetica" not in fonts and " yes " in fonts  # the bundled font, embedded
    assert main(["print", "grant-acceptance", "999999", str(acc), "--db", str(demo_db_file)]) == 2


def test_levies_export_has_shares_in_yuan(demo_db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "lev.xlsx"
    assert main(["export", "levies", str(out), "--db", str(demo_db_file)]) == 0
    ws = load_workbook(out, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and "实缴" in r)
    for label in ("实缴", "应缴", "基层留成", "县总工会", "市总工会", "省总工会", "全国总工会"):
        assert label in header
    i = {label: header.index(label) for label in header if label}
    body = [
        r for r in rows[rows.index(header) + 1 :] if isinstance(r[i["实缴"]], int | float | Decimal)
    ]
    assert len(body) > 100
    for r in body:
        paid = Decimal(str(r[i["实缴"]]))
        parts = sum(
            Decimal(str(r[i[k]]))
            for k in ("基层留成", "县总工会", "市总工会", "省总工会", "全国总工会")
        )
        assert parts == paid  # in yuan, adding up exactly


def test_dues_print_and_build(demo_db_file: Path, tmp_path: Path) -> None:
    db = open_database(demo_db_file)
    with db.reading() as s:
        row = s.execute(select(Dues.union_id, Dues.year, Dues.month).limit(1)).one()
    db.dispose()
    uid, year, month = row
    out = tmp_path / "d.pdf"
    args = ["--union", str(uid), "--year", str(year), "--month", str(month)]
    assert main(["print", "dues", *args, str(out), "--db", str(demo_db_file)]) == 0
    text = _text(out)
    assert "会费收缴表" in text and "合计" in text and "人民币" in text
    assert (
        main(
            [
                "dues",
                "build",
                "--union",
                str(uid),
                "--year",
                str(year + 1),
                "--month",
                "1",
                "--db",
                str(demo_db_file),
            ]
        )
        == 0
    )


def test_attach_and_check(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = tmp_path / "批复.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned approval")
    db_arg = ["--db", str(demo_db_file)]
    assert main(["attach", "grant", "1", str(scan), *db_arg]) == 0
    assert main(["attachments", "grant", "1", "--save", str(tmp_path / "out"), *db_arg]) == 0
    assert "批复.pdf" in capsys.readouterr().out
    assert (tmp_path / "out" / "批复.pdf").read_bytes() == scan.read_bytes()
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    assert main(["attach", "grant", "1", str(empty), *db_arg]) == 2
    assert "0 字节" in capsys.readouterr().err
    sha = __import__("hashlib").sha256(scan.read_bytes()).hexdigest()
    (att.store_dir(demo_db_file) / sha[:2] / sha).unlink()
    main(["check", *db_arg])
    out = capsys.readouterr().out
    assert "附件文件缺失 1 个" in out and "批复.pdf" in out


def test_levies_import_reads_wan_and_refuses_vague(demo_db_file: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["缴费单位", "筹备金", "年度", "月份", "工资总额", "实缴", "缴费日期"])
    ws.append(["城关镇某小店", "是", 2031, 1, "12.5万", "2500", "2031-02-01"])
    ws.append(["城关镇另一小店", "是", 2031, 1, "约十万", "2000", "2031-02-01"])
    src = tmp_path / "levies.xlsx"
    wb.save(src)
    report = tmp_path / "errors.xlsx"
    db_arg = ["--db", str(demo_db_file)]
    assert main(["import", "levies", str(src), "--report", str(report), *db_arg]) == 2
    assert "不是确切金额" in str(list(load_workbook(report).active.iter_rows(values_only=True)))
    assert main(["import", "levies", str(src), "--skip-invalid", *db_arg]) == 0
    db = open_database(demo_db_file)
    from unionsdesk.db.models_funds import Levy

    with db.reading() as s:
        got = s.execute(select(Levy.payer_name, Levy.wage_total, Levy.due, Levy.share_grassroots)
                        .where(Levy.year == 2031)).all()  # fmt: skip
    db.dispose()
    assert got == [("城关镇某小店", 12_500_000, 250_000, 0)]  # 筹备金: all upward
