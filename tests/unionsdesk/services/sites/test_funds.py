"""经费拨缴 ledger, shares, 专用收据 and 会费 through the services (SQLite and PostgreSQL);
the split is property-tested."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, Person, UnionOrg
from unionsdesk.db.models_funds import Levy
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.sites import dues, funds

YEAR = 2031


# --- the split, as properties ---------------------------------------------------------

weights = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6).filter(
    lambda w: sum(w) > 0
)


@given(total=st.integers(min_value=0, max_value=10**12), w=weights)
def test_largest_remainder_adds_up_and_stays_within_a_fen(total: int, w: list[int]) -> None:
    parts = funds.largest_remainder(total, w)
    assert sum(parts) == total
    whole = sum(w)
    for part, weight in zip(parts, w, strict=True):
        exact = total * weight / whole
        assert part >= 0 and abs(part - exact) < 1  # floor or floor + 1
        if weight == 0:
            assert part == 0


@given(
    paid=st.integers(min_value=0, max_value=10**11),
    upward=st.lists(st.integers(min_value=0, max_value=4000), min_size=3, max_size=3),
    preparatory=st.booleans(),
)
def test_levy_split_sums_to_paid_60_40(paid: int, upward: list[int], preparatory: bool) -> None:
    a, b, c = upward
    if a + b + c > 4000:
        return
    shares = funds.Shares(a, b, c, 4000 - a - b - c)
    parts = shares.split(paid, preparatory)
    assert sum(parts) == paid and len(parts) == 5
    if preparatory:
        assert parts[0] == 0  # 筹备金: all upward
    else:
        assert abs(parts[0] - paid * 0.6) < 1
        assert abs(sum(parts[1:]) - paid * 0.4) < len(parts)


def test_split_examples() -> None:
    shares = funds.Shares(2000, 1000, 500, 500)
    assert shares.split(10001, False) == [6001, 2000, 1000, 500, 500]
    assert shares.split(7, False) == [4, 2, 1, 0, 0]
    assert shares.split(100, True) == [0, 50, 25, 13, 12]
    assert funds.levy_due(12_345_67) == 24691  # 2 % of 12,345.67 = 246.9134 → 246.91
    assert funds.levy_due(25) == 1  # 0.5 fen rounds up


# --- settings ---------------------------------------------------------------------------


def test_shares_must_sum_to_40_percent(any_db: Database, admin: CurrentUser) -> None:
    with pytest.raises(ValidationError, match="合计应为 40%，现为 41%"):
        funds.set_shares(
            any_db, admin, {"county": "21", "city": "10", "province": "5", "national": "5"}
        )
    assert funds.get_shares(any_db) == funds.Shares(2000, 1000, 500, 500)  # unchanged
    got = funds.set_shares(
        any_db, admin, {"county": "22.5", "city": "10", "province": "2.5", "national": "5%"}
    )
    assert got == funds.get_shares(any_db) == funds.Shares(2250, 1000, 250, 500)


# --- the ledger -------------------------------------------------------------------------


def _unions(db: Database, n: int = 2) -> list[tuple[int, str, str | None]]:
    with db.reading() as s:
        return list(
            s.execute(
                select(UnionOrg.id, UnionOrg.name, UnionOrg.township)
                .where(UnionOrg.unit_name.is_not(None))
                .order_by(UnionOrg.id)
                .limit(n)
            ).tuples()
        )


def test_levy_record_split_and_wan(any_db: Database, admin: CurrentUser) -> None:
    (uid, name, township), _ = _unions(any_db)
    r = funds.record_levy(
        any_db, admin,
        {"union_id": uid, "payer_name": name, "year": YEAR, "month": 1, "wage_total": "12.5万",
         "paid": "2500", "paid_on": f"{YEAR}-02-10", "tax_collected": "是"},
    )  # fmt: skip
    row = r.row
    assert (row.wage_total, row.due, row.paid, row.township) == (
        12_500_000,
        250_000,
        250_000,
        township,
    )
    assert (row.share_grassroots, row.share_county, row.share_city, row.share_province, row.share_national) == (
        150_000, 50_000, 25_000, 12_500, 12_500,
    )  # fmt: skip
    assert r.notices == ["工资总额按“12.5万”记为 ¥125,000.00"]
    with pytest.raises(ValidationError, match="已登记"):
        funds.record_levy(
            any_db, admin, {"payer_name": name, "year": YEAR, "month": 1, "wage_total": "1"}
        )
    for bad, reason in (
        ("约十万", "不是确切金额"),
        ("-5", "不能为负数"),
        ("十二万五", "不是确切金额"),
    ):
        with pytest.raises(ValidationError, match=reason):
            funds.record_levy(
                any_db, admin, {"payer_name": name, "year": YEAR, "month": 2, "wage_total": bad}
            )
    with any_db.reading() as s:
        assert s.scalar(select(Levy.id).where(Levy.year == YEAR, Levy.month == 2)) is None
    prep = funds.record_levy(
        any_db, admin,
        {"payer_name": "示例县无工会小店", "preparatory": True, "year": YEAR, "month": 1,
         "wage_total": "100000", "paid": "2000", "paid_on": f"{YEAR}-02-11", "township": "城关镇"},
    ).row  # fmt: skip
    assert prep.union_id is None and prep.share_grassroots == 0
    assert (
        sum((prep.share_county, prep.share_city, prep.share_province, prep.share_national))
        == 200_000
    )
    with pytest.raises(ValidationError, match="请勾选“筹备金”"):
        funds.record_levy(
            any_db,
            admin,
            {"payer_name": "不存在的单位XYZ", "year": YEAR, "month": 1, "wage_total": "1"},
        )


def test_arrears_and_collection_summary(any_db: Database, admin: CurrentUser) -> None:
    (u1, n1, _t1), (u2, n2, _t2) = _unions(any_db)
    for m in (1, 2, 3):
        funds.record_levy(any_db, admin, {"union_id": u1, "payer_name": n1, "year": YEAR, "month": m,
                                          "wage_total": "100000", "paid": "2000", "paid_on": f"{YEAR}-{m:02d}-20"})  # fmt: skip
    funds.record_levy(any_db, admin, {"union_id": u2, "payer_name": n2, "year": YEAR, "month": 1,
                                      "wage_total": "100000", "paid": "1500", "paid_on": f"{YEAR}-01-20"})  # fmt: skip
    owed = {a.payer_name: a for a in funds.arrears(any_db, admin, YEAR, through_month=3)}
    assert n1 not in owed
    assert owed[n2].months == (2, 3) and owed[n2].shortfall == 50_000
    cells = funds.collection_summary(any_db, admin, YEAR)
    jan = [c for c in cells if c.month == 1]
    assert sum(c.paid for c in jan) == 350_000 and sum(c.payers for c in jan) == 2
    assert all(sum(c.shares) == c.paid for c in cells)
    assert funds.levy_summary(any_db, admin)[-1].paid == 750_000


def test_fund_receipts_unique_void_and_gaps(any_db: Database, admin: CurrentUser) -> None:
    base = {
        "payer_name": "某公司",
        "period": f"{YEAR}年1—3月",
        "paid": "6000",
        "issued_on": f"{YEAR}-04-02",
    }
    for n in (101, 102, 105, 109):
        funds.record_fund_receipt(any_db, admin, {**base, "number": n})
    with pytest.raises(ValidationError, match="票号 00000102 在2031年已登记"):
        funds.record_fund_receipt(any_db, admin, {**base, "number": "102"})
    funds.record_fund_receipt(
        any_db, admin, {**base, "number": 102, "issued_on": f"{YEAR + 1}-01-05"}
    )  # new year
    r = next(x for x in funds.list_fund_receipts(any_db, admin, YEAR) if x.number == 105)
    voided = funds.void_fund_receipt(any_db, admin, r.id, "金额填错")
    assert voided.voided and voided.void_reason == "金额填错"
    assert [x.number for x in funds.list_fund_receipts(any_db, admin, YEAR)] == [101, 102, 105, 109]
    assert [g.text for g in funds.fund_receipt_gaps(any_db, admin, YEAR)] == [
        "00000103—00000104（2张）", "00000106—00000108（3张）",
    ]  # fmt: skip
    assert funds.receipt_totals(any_db, admin, YEAR) == (3, 1, 1_800_000)
    with pytest.raises(UserError, match="已经作废"):
        funds.void_fund_receipt(any_db, admin, r.id, "again")


def test_fund_receipt_from_a_levy(any_db: Database, admin: CurrentUser) -> None:
    (uid, name, _), _ = _unions(any_db)
    levy = funds.record_levy(any_db, admin, {"union_id": uid, "payer_name": name, "year": YEAR, "month": 3,
                                             "wage_total": "100000", "paid": "2000", "paid_on": f"{YEAR}-04-01"}).row  # fmt: skip
    r = funds.record_fund_receipt(
        any_db, admin, {"number": 1, "issued_on": f"{YEAR}-04-02"}, levy_id=levy.id
    )
    assert (r.payer_name, r.period, r.wage_total, r.due, r.paid) == (
        name,
        f"{YEAR}年3月",
        10_000_000,
        200_000,
        200_000,
    )
    assert r.shares and r.shares.startswith("基层留成¥1,200.00")


# --- 会费 -------------------------------------------------------------------------------


@pytest.mark.parametrize(("rounding", "expected"), [("分", 1234), ("角", 1230), ("元", 1200)])
def test_dues_amount_rounding(rounding: str, expected: int) -> None:
    assert dues.dues_amount(246_789, rounding) == expected  # 0.5 % of 2,467.89 = 12.33945
    assert dues.dues_amount(247_000, "分") == 1235


def test_dues_list_waives_retained_members(any_db: Database, admin: CurrentUser) -> None:
    with any_db.reading() as s:
        uid = s.scalar(
            select(Membership.union_id).where(Membership.active).group_by(Membership.union_id)
            .order_by(func.count().desc(), Membership.union_id).limit(1)
        )  # fmt: skip
        members = s.execute(
            select(Membership.id, Person.id_number).join(Person, Person.id == Membership.person_id)
            .where(Membership.union_id == uid, Membership.active).order_by(Membership.id)
        ).all()  # fmt: skip
    assert uid is not None and len(members) >= 3
    retained_mid = members[0][0]
    with any_db.writing() as s:
        s.execute(
            update(Membership)
            .where(Membership.id == retained_mid)
            .values(status="02", status_date=date(YEAR, 2, 15))
        )
        s.execute(
            update(Membership)
            .where(Membership.id != retained_mid, Membership.union_id == uid)
            .values(status="01")
        )
    rows = [{"id_number": idno, "wage_base": "4,000.00"} for _, idno in members]
    rows[1]["wage_base"] = "0.5万"
    built = dues.set_wage_bases(any_db, admin, uid, YEAR, 3, rows)
    assert built.lines == len(members) and built.waived == 1
    lines = {x.id_number: x for x in dues.dues_list(any_db, admin, uid, YEAR, 3)}
    assert lines[members[0][1]].waived and lines[members[0][1]].amount == 0
    assert lines[members[1][1]].amount == 2500 and lines[members[2][1]].amount == 2000
    assert built.total == 2500 + 2000 * (len(members) - 2)
    # January: the retained member was still paying (保留 from 2 月 15 日); bases carried.
    jan = dues.build_dues(any_db, admin, uid, YEAR, 1, {m[1]: 300_000 for m in members})
    assert jan.waived == 0
    april = dues.build_dues(any_db, admin, uid, YEAR, 4)  # bases from March
    assert april.total == built.total and april.without_base == 0
    assert dues.mark_paid(any_db, admin, uid, YEAR, 4, "银行代扣") == len(members) - 1
    totals = {t.month: t for t in dues.dues_totals(any_db, admin, YEAR, uid)}
    assert totals[4].paid_amount == totals[4].amount == april.total and totals[3].waived == 1
    with pytest.raises(ValidationError, match="第1行"):
        dues.set_wage_bases(
            any_db, admin, uid, YEAR, 5, [{"id_number": members[0][1], "wage_base": "约五千"}]
        )
    dues.set_rounding(any_db, admin, "元")
    assert dues.get_rounding(any_db) == "元"
