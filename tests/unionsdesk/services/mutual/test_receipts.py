"""互助保障费 receipts: printed with the shared receipt layout, read back with pdftotext;
补打 from the second print, 作废 for a voided enrolment, 套打 offsets, the CLI command."""

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from unionsdesk.cli import main
from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog, Membership, Person, UnionOrg
from unionsdesk.db.models_mutual import MutualEnrolment
from unionsdesk.domain.money import from_fen, rmb_upper
from unionsdesk.errors import UserError
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.office import get_office
from unionsdesk.services.common.settings import set_print_offsets
from unionsdesk.services.common.users import first_admin
from unionsdesk.services.mutual import enrolments, receipts
from unionsdesk.services.mutual.registers import MUTUAL_ENROLMENTS, MUTUAL_PLANS

PERIOD = date.today().year + 1  # no demo enrolment has this period
PAID = date(date.today().year, 1, 2)


@pytest.fixture
def sqlite_admin(demo_db: Database) -> CurrentUser:
    return first_admin(demo_db)


def pdftext(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils are not installed")
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def enrol(db: Database, admin: CurrentUser, tmp_path: Path, shares: list[int]) -> int:
    """A unit enrolled in a 12.35-yuan plan with one member per entry of ``shares``."""
    from openpyxl import Workbook

    values = {
        "name": "测试意外互助",
        "term_months": 12,
        "fee": "12.35",
        "benefits": "意外身故=10000",
    }
    pid = MUTUAL_PLANS.create(db, admin, values).id
    with db.reading() as s:
        uid, unit = s.execute(
            select(UnionOrg.id, UnionOrg.name)
            .join(Membership, Membership.union_id == UnionOrg.id)
            .where(Membership.active)
            .group_by(UnionOrg.id, UnionOrg.name)
            .having(func.count() >= len(shares))
            .order_by(UnionOrg.id)
        ).first()  # type: ignore[misc]
        people = s.execute(
            select(Person.name, Person.id_number)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.active, Membership.union_id == uid)
            .order_by(Person.id)
            .limit(len(shares))
        ).all()
    assert len(people) == len(shares)
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "份数"])
    for (person, id_number), k in zip(people, shares, strict=True):
        ws.append([person, id_number, k])
    wb.save(tmp_path / "名单.xlsx")
    done = enrolments.import_enrolment(
        db, admin, tmp_path / "名单.xlsx", plan=pid, period=PERIOD, union=unit
    )
    assert done.written and len(done.enrolment_ids) == 1
    return done.enrolment_ids[0]


def test_receipt_reads_back_and_reprint_says_so(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    eid = enrol(any_db, admin, tmp_path, [3, 3, 3])
    with pytest.raises(UserError, match="还没有收款"):
        receipts.receipt_pdf(any_db, admin, eid, tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()
    paid = enrolments.record_payment(any_db, admin, eid, PAID)
    assert paid.receipt_no and paid.amount == 9 * 1235  # 3 people × 3 shares × ¥12.35
    path = tmp_path / "r.pdf"
    info = receipts.receipt_pdf(any_db, admin, eid, path)
    assert info.print_count == 1 and info.shares_each == 3
    text = pdftext(path)
    office = get_office(any_db)
    assert text.count(f"No. {paid.receipt_no}") == 3
    assert text.count("互助保障费收据") == 3
    assert rmb_upper(from_fen(paid.amount)) == "壹佰壹拾壹元壹角伍分"  # the expected words
    assert text.count("人民币（大写）壹佰壹拾壹元壹角伍分") == 3
    assert text.count("¥111.15") == 3 and text.count("¥12.35/份") == 3
    assert text.count("3人次") == 3 and text.count("每人3份") == 3
    assert text.count(f"{PAID:%Y年%m月%d日}") == 3
    assert text.count(paid.union_name) == 3
    assert text.count(f"互助保障费   测试意外互助   {PERIOD}期") == 3
    assert re.search(rf"收款单位（盖章）：\s*{office.name}", text)
    assert text.count(admin.display_name) == 3  # 收款人
    for label in ("第一联", "第二联", "第三联", "交款单位", "项目", "收款人：", "交款人："):
        assert label in text
    assert "补打" not in text and "作废" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "UMingCN" in fonts and all(" yes " in line for line in fonts.splitlines()[2:])

    # a preview (record=False) of the next print already says 补打 and counts nothing
    again = receipts.receipt_pdf(any_db, admin, eid, tmp_path / "p.pdf", record=False)
    assert again.print_count == 1 and pdftext(tmp_path / "p.pdf").count("补打") == 3
    third = receipts.receipt_pdf(any_db, admin, eid, tmp_path / "r2.pdf")
    assert third.print_count == 2 and pdftext(tmp_path / "r2.pdf").count("补打") == 3
    with any_db.reading() as s:
        logged = s.scalar(
            select(func.count()).where(
                AuditLog.entity == "mutual_enrolment",
                AuditLog.entity_id == eid,
                AuditLog.action == "print_receipt",
            )
        )
    assert logged == 2


def test_uneven_shares_offsets_and_void(
    demo_db: Database, sqlite_admin: CurrentUser, tmp_path: Path
) -> None:
    eid = enrol(demo_db, sqlite_admin, tmp_path, [1, 2, 4])
    paid = enrolments.record_payment(demo_db, sqlite_admin, eid, PAID)
    plain = tmp_path / "plain.pdf"
    receipts.receipt_pdf(demo_db, sqlite_admin, eid, plain, record=False)
    text = pdftext(plain)
    assert text.count("共7份") == 3 and "每人" not in text
    assert text.count("人民币（大写）捌拾陆元肆角伍分") == 3  # 7 × ¥12.35 = ¥86.45

    set_print_offsets(demo_db, sqlite_admin, 10, 0)
    moved = tmp_path / "moved.pdf"
    receipts.receipt_pdf(demo_db, sqlite_admin, eid, moved, record=False)
    assert _x_of("No.", moved) == pytest.approx(_x_of("No.", plain) + 10 * 72 / 25.4, abs=0.5)

    with demo_db.reading() as s:
        version = s.get(MutualEnrolment, eid).version  # type: ignore[union-attr]
    MUTUAL_ENROLMENTS.void(demo_db, sqlite_admin, eid, "单位退保", version)
    void = tmp_path / "void.pdf"
    info = receipts.receipt_pdf(demo_db, sqlite_admin, eid, void)
    assert info.voided and info.receipt_no == paid.receipt_no  # the number stays
    assert "作废" in pdftext(void)


def test_number_check_explains_the_series(
    demo_db: Database, sqlite_admin: CurrentUser, tmp_path: Path
) -> None:
    """号码核对 of 互助保障费 (the 收据 tab's, shared with the aid receipts): each number
    of the year with its paying unit, a voided enrolment's as 已作废, none 未使用."""
    from unionsdesk.services.aid.receipts import OTHER_SERIES, gap_report

    assert "互助保障费" in OTHER_SERIES
    with demo_db.reading() as s:  # what the demo county had already issued this year
        issued = s.scalars(
            select(MutualEnrolment.receipt_no).where(
                MutualEnrolment.receipt_no.like(f"{PAID.year}-%")
            )
        ).all()
    eid = enrol(demo_db, sqlite_admin, tmp_path, [1, 1])
    paid = enrolments.record_payment(demo_db, sqlite_admin, eid, PAID)
    with demo_db.reading() as s:
        version = s.get(MutualEnrolment, eid).version  # type: ignore[union-attr]
    MUTUAL_ENROLMENTS.void(demo_db, sqlite_admin, eid, "单位退保", version)
    lines = gap_report(demo_db, sqlite_admin, "互助保障费", PAID.year)
    assert [ln.number for ln in lines][-1] == paid.receipt_no
    assert len(lines) == len(issued) + 1
    assert {ln.number for ln in lines[:-1]} == set(issued)
    assert all(ln.status == "已开具" and ln.payee for ln in lines[:-1])
    assert (lines[-1].status, lines[-1].payee) == ("已作废", paid.union_name)


def cli(*args: str) -> int:
    """`unionsdesk …` in this process: its exit code (argparse's errors exit)."""
    try:
        return main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)


def _x_of(word: str, path: Path) -> float:
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    m = re.search(rf'<word xMin="([\d.]+)"[^>]*>{re.escape(word)}</word>', html)
    assert m, word
    return float(m[1])


def test_find_enrolment_by_number_or_id(
    demo_db: Database, sqlite_admin: CurrentUser, tmp_path: Path
) -> None:
    eid = enrol(demo_db, sqlite_admin, tmp_path, [1])
    paid = enrolments.record_payment(demo_db, sqlite_admin, eid, PAID)
    assert paid.receipt_no is not None
    year, n = paid.receipt_no.split("-")
    for key in (paid.receipt_no, f"No.{paid.receipt_no}", f"{year}－{int(n)}", str(eid), eid):
        assert receipts.find_enrolment_id(demo_db, sqlite_admin, key) == eid
    for key, message in (
        ("abc", "请给出收据号"),
        ("1999-000001", "没有收据号为 1999-000001"),
        ("999999", "没有编号为 999999"),
    ):
        with pytest.raises(UserError, match=message):
            receipts.find_enrolment_id(demo_db, sqlite_admin, key)
    with pytest.raises(UserError, match=r"\.pdf"):
        receipts.receipt_pdf(demo_db, sqlite_admin, eid, tmp_path / "r.txt")


def test_cli_prints_issues_and_refuses_bad_input(
    demo_db: Database,
    demo_db_file: Path,
    sqlite_admin: CurrentUser,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    eid = enrol(demo_db, sqlite_admin, tmp_path, [2, 2])
    db = str(demo_db_file)
    out = tmp_path / "收据.pdf"
    # not paid yet: the command records the payment, allocates the number and prints
    assert main(["print", "mutual-receipt", str(eid), str(out), "--db", db,
                 "--paid-on", PAID.isoformat()]) == 0  # fmt: skip
    said = capsys.readouterr().out
    number = enrolments.get_enrolment(demo_db, sqlite_admin, eid).receipt_no
    assert number and f"No.{number}" in said and "已记收款" in said
    assert pdftext(out).count("人民币（大写）肆拾玖元肆角整") == 3  # 4 × ¥12.35
    assert main(["print", "mutual-receipt", number, str(out), "--db", db]) == 0
    assert "补打" in capsys.readouterr().out and pdftext(out).count("补打") == 3

    before = out.read_bytes()
    for args, message in (
        (["abc", str(out)], "请给出收据号"),
        (["2001-000001", str(out)], "没有收据号为 2001-000001"),
        (["999999", str(out)], "没有编号为 999999"),
        ([number, str(tmp_path / "r.xlsx")], "应以 .pdf 结尾"),
        ([number, str(tmp_path / "无此目录" / "r.pdf")], "输出目录不存在"),
        ([number, str(out), "--paid-on", "2026-01-01"], "已收款并开具收据"),
        ([number, str(out), "--paid-on", "2026-13-01"], "日期不正确"),
        ([number], "缺少必填参数"),
    ):
        assert cli("print", "mutual-receipt", *args, "--db", db) == 2, args
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err, (args, err)
    assert out.read_bytes() == before  # nothing printed over the receipt
