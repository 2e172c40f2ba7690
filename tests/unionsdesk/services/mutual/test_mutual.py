"""互助保障: enrolment import and its checks, the computed 金额, claims' hard checks,
the monthly 给付签收表 and the totals table."""

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, Person, UnionOrg
from unionsdesk.db.models_mutual import MutualEnrolment, MutualInsured
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.mutual import claims, enrolments, totals
from unionsdesk.services.mutual.registers import (
    MUTUAL_CLAIMS,
    MUTUAL_ENROLMENTS,
    MUTUAL_PLANS,
    claim_warnings,
)

TODAY = date.today()
PERIOD = TODAY.year + 1  # no demo enrolment has this period


def make_id(birth: str, seq: int) -> str:
    first = f"360830{birth}{seq:03d}"
    return first + check_char(first)


def plan(db: Database, actor: CurrentUser, **extra: object) -> int:
    values = {"name": "测试意外互助", "term_months": 12, "fee": "12.35",
              "benefits": "意外身故=10000；意外伤残=10000；意外医疗=1000", **extra}  # fmt: skip
    return MUTUAL_PLANS.create(db, actor, values).id


def unit_members(db: Database, n: int = 6) -> tuple[str, list[tuple[str, str, str]]]:
    """A union with at least ``n`` active members: its name and (name, ID, sex) of some."""
    with db.reading() as s:
        uid = s.scalar(
            select(Membership.union_id).where(Membership.active).group_by(Membership.union_id)
            .having(func.count() >= n).order_by(Membership.union_id)
        )  # fmt: skip
        name = s.scalar(select(UnionOrg.name).where(UnionOrg.id == uid))
        people = s.execute(
            select(Person.name, Person.id_number, Person.sex).join(Membership, Membership.person_id == Person.id)
            .where(Membership.union_id == uid, Membership.active).order_by(Person.id).limit(n)
        ).tuples().all()  # fmt: skip
    assert name
    return name, list(people)


def workbook(
    path: Path,
    rows: list[list[object]],
    header: tuple[str, ...] = ("序号", "姓名", "身份证号", "份数"),
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["某单位职工互助保障参保名单"])
    ws.append(list(header))
    for i, r in enumerate(rows, 1):
        ws.append([i, *r])
    wb.save(path)
    return path


def test_enrolment_import_computes_amount_and_refuses_twice(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    pid = plan(any_db, admin)
    unit, people = unit_members(any_db)
    rows = [[n, number, 3] for n, number, _ in people[:3]]
    outsider = make_id("19900101", 777)
    rows.append(["局外人", outsider, 3])  # not on the register: a warning, still enrolled
    result = enrolments.import_enrolment(any_db, admin, workbook(tmp_path / "a.xlsx", rows), plan=pid,
                                         period=PERIOD, union=unit)  # fmt: skip
    assert result.written and result.imported == 4
    assert any("不是在册会员" in w for _, w in result.warnings)
    # 金额 = 人次 × 份数 × 单价: 4 × 3 × 12.35 = 148.20, exactly, in fen
    with any_db.reading() as s:
        e = s.scalar(select(MutualEnrolment).where(MutualEnrolment.plan_id == pid))
        assert e is not None
        assert (e.people, e.shares, e.amount) == (4, 12, 14820)
        assert (e.starts_on, e.ends_on) == (date(PERIOD, 1, 1), date(PERIOD, 12, 31))
    # the same person again, in the same plan and period: refused, nothing written
    again = enrolments.import_enrolment(any_db, admin, workbook(tmp_path / "b.xlsx", [rows[0], [*people[4][:2], 1]]),
                                        plan=pid, period=PERIOD, union=unit)  # fmt: skip
    assert not again.written
    assert "不能重复参保" in again.errors[0].reason and again.errors[0].row_number == 3
    with any_db.reading() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(MutualInsured).where(MutualInsured.plan_id == pid)
            )
            == 4
        )
    # the register shows the computed columns and a receipt once paid
    row = enrolments.record_payment(any_db, admin, e.id, TODAY)
    assert row.receipt_no and row.receipt_no.startswith(f"{TODAY.year}-")
    shown = MUTUAL_ENROLMENTS.fetch_rows(any_db, admin, [e.id])[0].values
    assert (shown["people"], shown["shares"], shown["amount"], shown["receipt_no"]) == (
        4,
        12,
        14820,
        row.receipt_no,
    )


def test_bad_enrolment_files(any_db: Database, admin: CurrentUser, tmp_path: Path) -> None:
    pid = plan(any_db, admin)
    unit, people = unit_members(any_db)
    _other_unit, others = unit_members_other(any_db, unit)
    rows = [
        [people[0][0], people[0][1], 1],
        [people[0][0], people[0][1], 1],  # duplicate ID
        [people[1][0], people[1][1], None],  # missing 份数
        [others[0][0], others[0][1], 1],  # a member of another union
        ["无效", "360830199001011230", 1],  # invalid ID
    ]
    result = enrolments.import_enrolment(any_db, admin, workbook(tmp_path / "bad.xlsx", rows), plan=pid,
                                         period=PERIOD, union=unit)  # fmt: skip
    assert not result.written
    by_row = {e.row_number: e.reason for e in result.errors}
    assert "身份证号重复" in by_row[4]
    assert "份数" in by_row[5]
    assert "不属于" in by_row[6]
    assert "身份证" in by_row[7] or "校验" in by_row[7]
    with any_db.reading() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(MutualEnrolment)
                .where(MutualEnrolment.plan_id == pid)
            )
            == 0
        )
    # an expired plan refuses the whole file
    MUTUAL_PLANS.update(any_db, admin, pid, {"name": "测试意外互助", "term_months": 12, "fee": "12.35",
                        "benefits": "意外身故=10000", "valid_until": date(PERIOD - 1, 12, 31)},
                        MUTUAL_PLANS.get(any_db, admin, pid).version)  # fmt: skip
    with pytest.raises(UserError, match="停止受理"):
        enrolments.import_enrolment(any_db, admin, workbook(tmp_path / "c.xlsx", rows[:1]), plan=pid,
                                    period=PERIOD, union=unit)  # fmt: skip


def unit_members_other(db: Database, not_this: str) -> tuple[str, list[tuple[str, str, str]]]:
    with db.reading() as s:
        uid = s.scalar(
            select(Membership.union_id).join(UnionOrg, UnionOrg.id == Membership.union_id)
            .where(Membership.active, UnionOrg.name != not_this).order_by(Membership.union_id)
        )  # fmt: skip
        name = s.scalar(select(UnionOrg.name).where(UnionOrg.id == uid))
        people = s.execute(
            select(Person.name, Person.id_number, Person.sex).join(Membership, Membership.person_id == Person.id)
            .where(Membership.union_id == uid, Membership.active).limit(2)
        ).tuples().all()  # fmt: skip
    return str(name), list(people)


def test_plan_minimums_warn_and_women_only(any_db: Database, admin: CurrentUser) -> None:
    pid = plan(any_db, admin, name="测试女职工互助", benefits="女职工特殊疾病=5000", women_only=True,
               min_insured=20, min_share=60)  # fmt: skip
    unit, people = unit_members(any_db, 6)
    rows = [
        (i + 2, {"name": n, "id_number": num, "shares": 1})
        for i, (n, num, _sex) in enumerate(people)
    ]
    checked = enrolments.enrol(
        any_db, admin, rows, plan=pid, period=PERIOD, union=unit, dry_run=True
    )
    assert not checked.written
    assert any("至少20人" in w for w in checked.rule_warnings)
    men = [r for r, (_n, _num, sex) in zip(rows, people, strict=True) if sex == "男"]
    if men:
        assert any("只限女职工" in e.reason for e in checked.errors)


def _enrolled(db: Database, admin: CurrentUser, pid: int, shares: int = 2) -> tuple[str, str]:
    unit, people = unit_members(db)
    name, number, _ = people[0]
    enrolments.enrol(db, admin, [(2, {"name": name, "id_number": number, "shares": shares})], plan=pid,
                     period=PERIOD - 1, union=unit)  # fmt: skip
    return name, number


def claim(name: str, number: str, **extra: object) -> dict[str, object]:
    return {"name": name, "id_number": number, "plan": "测试意外互助", "claim_type": "意外医疗",
            "incident_on": date(PERIOD - 1, 3, 10), "received_on": date(PERIOD - 1, 3, 20),
            "requested": "1500", **extra}  # fmt: skip


def test_claim_hard_checks(any_db: Database, admin: CurrentUser) -> None:
    if date(TODAY.year, 3, 21) > TODAY:
        pytest.skip("the claim dates of this test lie in March of this year")
    pid = plan(any_db, admin)
    name, number = _enrolled(any_db, admin, pid, shares=2)  # cover: this calendar year
    # insured on the incident date?
    with pytest.raises(ValidationError, match=r"不在.*保障期内"):
        MUTUAL_CLAIMS.create(any_db, admin, claim(name, number, incident_on=date(PERIOD - 2, 12, 31),
                                                  received_on=date(PERIOD - 1, 1, 5)))  # fmt: skip
    # 核定 ≤ 给付标准 × 份数 (1000 × 2)
    with pytest.raises(ValidationError, match="超过给付标准"):
        MUTUAL_CLAIMS.create(any_db, admin, claim(name, number, status="审核", approved="2000.01"))
    ok = MUTUAL_CLAIMS.create(any_db, admin, claim(name, number, status="审核", approved="2000"))
    assert ok.values["approved"] == 200000
    # the plan does not pay this type
    with pytest.raises(ValidationError, match="没有“重大疾病”给付"):
        MUTUAL_CLAIMS.create(any_db, admin, claim(name, number, claim_type="重大疾病"))
    # a disability claim before 180 days of treatment warns
    warnings = claim_warnings(any_db, admin, claim(name, number, claim_type="意外伤残"))
    assert any("180天" in w for w in warnings)
    # 已给付 needs a date and moves on from 审核 only
    with pytest.raises(ValidationError, match="给付日期"):
        MUTUAL_CLAIMS.update(
            any_db, admin, ok.id, claim(name, number, status="已给付", approved="2000"), ok.version
        )
    paid = MUTUAL_CLAIMS.update(any_db, admin, ok.id, claim(name, number, status="已给付", approved="2000",
                                                            paid_on=date(PERIOD - 1, 3, 25)), ok.version)  # fmt: skip
    with pytest.raises(UserError, match="已给付"):
        MUTUAL_CLAIMS.update(any_db, admin, ok.id, claim(name, number), paid.version)


def test_payment_sheet_and_totals(any_db: Database, admin: CurrentUser, tmp_path: Path) -> None:
    from unionsdesk.printing.signoff import render_signoff_pdf

    month = TODAY.replace(day=1)
    paid = claims.list_claims(any_db, admin, paid_month=(month.year, month.month))
    last = month - timedelta(days=1)
    for y, m in ((month.year, month.month), (last.year, last.month)):
        if claims.list_claims(any_db, admin, paid_month=(y, m)):
            break
    else:
        pytest.skip("the demo has no claim paid this month or last")
    sheet = claims.payment_sheet(any_db, admin, y, m, "示例县总工会")
    out = render_signoff_pdf(sheet, tmp_path / "给付签收表.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "职工互助保障给付签收表" in text and "合计" in text and "人民币" in text
    assert paid is not None
    table = totals.mutual_totals(any_db, admin, TODAY.year)
    assert table.rows and table.totals is not None
    assert table.totals[table.column_index["people"]] == sum(
        r[table.column_index["people"]] for r in table.rows
    )
    with any_db.reading() as s:
        people = s.scalar(
            select(func.sum(MutualEnrolment.people)).where(MutualEnrolment.period == TODAY.year)
        )
    assert table.totals[table.column_index["people"]] == people
    by_type = totals.claims_by_type(any_db, admin, TODAY.year)
    assert by_type.columns[0].label == "给付类型"


def test_multi_year_cover_refuses_an_overlapping_period(
    any_db: Database, admin: CurrentUser
) -> None:
    pid = plan(any_db, admin, name="测试两年期互助", term_months=24, benefits="重大疾病=10000")
    unit, people = unit_members(any_db)
    name, number, _ = people[0]
    row = [(2, {"name": name, "id_number": number, "shares": 1})]
    first = enrolments.enrol(any_db, admin, row, plan=pid, period=PERIOD, union=unit)
    assert first.written
    again = enrolments.enrol(any_db, admin, row, plan=pid, period=PERIOD + 1, union=unit)
    assert not again.written and "保障期重叠" in again.errors[0].reason
    later = enrolments.enrol(any_db, admin, row, plan=pid, period=PERIOD + 2, union=unit)
    assert later.written  # the first cover ended: a new one may start
