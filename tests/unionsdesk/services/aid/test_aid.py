"""Hardship files, campaigns, pay-outs and receipts."""

import threading
from datetime import date

import pytest
from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Receipt, ReceiptBook
from unionsdesk.db.open import open_database
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import PermissionDenied, UserError, ValidationError
from unionsdesk.services.aid import campaigns, hardship, receipts
from unionsdesk.services.common import users
from unionsdesk.services.common.base import CurrentUser

YEAR = 2031  # the demo data has campaigns and receipts of the current year


def make_id(birth: str, seq: str) -> str:
    first = "360830" + birth + seq
    return first + check_char(first)


def new_file(
    db: Database, admin: CurrentUser, seq: str = "101", **extra: object
) -> hardship.FileDetail:
    values = {
        "name": "困难甲", "id_number": make_id("19750101", seq), "union": "城关镇总工会", "category": "深度困难",
        "main_reason": "患重特大疾病", "household_size": 3, "household_income": "18000", "filed_on": "2026-01-05",
        **extra,
    }  # fmt: skip
    return hardship.save_file(
        db, admin, values,
        household=[{"relation": "配偶", "name": "配偶乙", "id_number": make_id("19770202", seq[::-1])},
                   {"relation": "子女", "name": "子女丙", "school": "示例县一中", "grade": "高二"}],
    )  # fmt: skip


def test_hardship_file_lifecycle(any_db: Database, admin: CurrentUser) -> None:
    d = new_file(any_db, admin)
    assert d.row.status == "建档" and d.row.per_capita_month == 50000 and d.row.category == "01"
    assert len(d.household) == 2 and d.household[1]["school"] == "示例县一中"
    with pytest.raises(ValidationError, match="已有在档"):
        new_file(any_db, admin)
    moved = hardship.change_file_status(any_db, admin, d.row.id, "帮扶中", date(2026, 2, 1))
    assert moved.status == "帮扶中"
    with pytest.raises(ValidationError, match="原因"):
        hardship.change_file_status(any_db, admin, d.row.id, "解困脱困", date(2026, 6, 1))
    out = hardship.change_file_status(
        any_db, admin, d.row.id, "解困脱困", date(2026, 6, 1), "子女就业，收入提高"
    )
    assert out.status == "解困脱困"
    assert d.row.id not in [f.id for f in hardship.list_files(any_db, admin)]
    assert d.row.id in [
        f.id for f in hardship.list_files(any_db, admin, hardship.FileFilter(status="解困脱困"))
    ]
    again = new_file(any_db, admin)  # a closed file allows a new one
    assert again.row.id != d.row.id


def test_hardship_warnings_and_review(any_db: Database, admin: CurrentUser) -> None:
    rich = new_file(
        any_db, admin, seq="202", household_income="120000", household_size=2, filed_on="2024-01-01"
    )
    text = "；".join(rich.warnings)
    assert "低于低保线" in text and "2倍" in text and "年审" in text
    clerk = users.login(any_db, "jingban", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        hardship.review_file(any_db, clerk, rich.row.id, True)
    reviewer = users.login(any_db, "shenhe", DEMO_PASSWORD)
    with pytest.raises(ValidationError, match="退回"):
        hardship.review_file(any_db, reviewer, rich.row.id, False)
    assert hardship.review_file(any_db, reviewer, rich.row.id, True).review_status == "已审核"
    hardship.annual_review(any_db, admin, rich.row.id, date.today())
    assert not any("年审" in w for w in hardship.get_file(any_db, admin, rich.row.id).warnings)


def test_household_id_on_another_file_is_warned(any_db: Database, admin: CurrentUser) -> None:
    first = new_file(any_db, admin, seq="303")
    spouse = first.household[0]["id_number"]
    second = hardship.save_file(
        any_db, admin,
        {"name": "配偶乙", "id_number": spouse, "union": "城关镇总工会", "category": "相对困难", "main_reason": "下岗失业",
         "household_size": 2, "household_income": "20000", "filed_on": "2026-03-01"},
    )  # fmt: skip
    assert any("另一份在档档案" in w for w in second.warnings)


def campaign(
    db: Database, admin: CurrentUser, name: str = "2031年冬送温暖", kind: str = "冬送温暖/两节慰问"
) -> campaigns.CampaignRow:
    return campaigns.save_campaign(
        db, admin, {"name": name, "kind": kind, "year": YEAR, "budget": "100000", "approval_ref": "示工发〔2026〕5号"},
        standards={"深度困难": "2500", "相对困难": "1500"},
    )  # fmt: skip


def test_payouts_checks(any_db: Database, admin: CurrentUser) -> None:
    c = campaign(any_db, admin)
    line = {
        "name": "王五",
        "id_number": make_id("19800303", "404"),
        "category": "深度困难",
        "amount": "2500",
    }
    res = campaigns.add_payout(any_db, admin, c.id, line)
    assert res.row.amount == 250000 and res.warnings == []
    with pytest.raises(ValidationError, match="不能重复发放"):
        campaigns.add_payout(any_db, admin, c.id, line)
    off = {
        "name": "赵六",
        "id_number": make_id("19800303", "505"),
        "category": "深度困难",
        "amount": "3000",
    }
    with pytest.raises(ValidationError, match="超标准原因"):
        campaigns.add_payout(any_db, admin, c.id, off)
    campaigns.add_payout(any_db, admin, c.id, {**off, "override_reason": "因病加发"})
    other = campaign(any_db, admin, "2031年医疗救助", "医疗救助")
    dup = campaigns.add_payout(
        any_db, admin, other.id, {**line, "amount": "800", "category": "大病"}
    )
    assert dup.warnings and "2031年冬送温暖" in dup.warnings[0] and "¥2,500.00" in dup.warnings[0]
    assert [n for n, _ in campaigns.double_aid_report(any_db, admin, YEAR)] == ["王五"]
    total = campaigns.get_campaign(any_db, admin, c.id)
    assert (total.lines, total.total, total.remaining) == (2, 550000, 10000000 - 550000)


def test_pick_from_hardship_files(any_db: Database, admin: CurrentUser) -> None:
    files = [new_file(any_db, admin, seq=f"6{i}1").row.id for i in range(4)]
    c = campaign(any_db, admin)
    # a file still 待审核 is not paid: refused with the reason
    added, notes = campaigns.add_from_hardship(any_db, admin, c.id, files[3:])
    assert added == 0 and notes == ["困难甲：档案待审核，审核通过后才能发放，未加入"]
    with pytest.raises(ValidationError, match="待审核"):
        campaigns.add_payout(
            any_db, admin, c.id, {"name": "困难甲", "id_number": make_id("19750101", "631"),
                                  "category": "深度困难", "amount": "2500"},
            hardship_file_id=files[3],
        )  # fmt: skip
    for f in files[:3]:
        hardship.review_file(any_db, admin, f, True)
    added, notes = campaigns.add_from_hardship(any_db, admin, c.id, files[:3])
    assert added == 3 and notes == []
    files = files[:3]
    again, notes = campaigns.add_from_hardship(any_db, admin, c.id, files)
    assert again == 0 and len(notes) == 3
    lines = campaigns.list_payouts(any_db, admin, c.id)
    assert {p.amount for p in lines} == {250000} and all(
        p.union_name == "城关镇总工会" for p in lines
    )


def test_campaign_status_flow(any_db: Database, admin: CurrentUser) -> None:
    c = campaigns.save_campaign(
        any_db, admin, {"name": "无文号活动", "kind": "日常慰问", "year": YEAR}
    )
    campaigns.add_payout(
        any_db,
        admin,
        c.id,
        {"name": "甲", "id_number": make_id("19900909", "111"), "amount": "500"},
    )
    # 提交审核 checks what 确认发放 will need, so the reviewer is not handed a dead end
    with pytest.raises(ValidationError, match="批准文号"):
        campaigns.set_campaign_status(any_db, admin, c.id, "审核")
    campaigns.save_campaign(
        any_db, admin, {"name": "无文号活动", "kind": "日常慰问", "year": YEAR,
                        "approval_ref": "示工发〔2031〕1号"},
        campaign_id=c.id, expected_version=campaigns.get_campaign(any_db, admin, c.id).version,
    )  # fmt: skip
    campaigns.set_campaign_status(any_db, admin, c.id, "审核")
    with pytest.raises(UserError, match="不能从"):
        campaigns.set_campaign_status(any_db, admin, c.id, "归档")


def test_lines_and_receipts_wait_for_their_step(any_db: Database, admin: CurrentUser) -> None:
    """Lines change only in 草拟; receipts come once the reviewer confirmed 已发放
    (or in 审核, when the office says so); the reviewer can always send it back."""
    c = campaign(any_db, admin)
    line = campaigns.add_payout(
        any_db,
        admin,
        c.id,
        {"name": "甲", "id_number": make_id("19900909", "112"), "amount": "500"},
    ).row
    campaigns.set_campaign_status(any_db, admin, c.id, "审核")
    more = {"name": "乙", "id_number": make_id("19900909", "113"), "amount": "500"}
    with pytest.raises(UserError, match=r"审核中.*退回草拟"):
        campaigns.add_payout(any_db, admin, c.id, more)
    with pytest.raises(UserError, match="审核中"):
        campaigns.remove_payout(any_db, admin, line.id, "不符合条件")
    with pytest.raises(UserError, match="确认发放后才能开具收据"):
        receipts.issue_receipts(any_db, admin, [line.id], on=date(YEAR, 12, 1))
    reviewer = users.login(any_db, "shenhe", DEMO_PASSWORD)
    with pytest.raises(ValidationError, match="原因"):
        campaigns.set_campaign_status(any_db, reviewer, c.id, "草拟")
    back = campaigns.set_campaign_status(any_db, reviewer, c.id, "草拟", reason="名单待核")
    assert back.status == "草拟"
    campaigns.add_payout(any_db, admin, c.id, more)
    campaigns.set_campaign_status(any_db, admin, c.id, "审核")
    from unionsdesk.services.common.settings import set_settings

    set_settings(any_db, admin, {receipts.RECEIPTS_IN_REVIEW: "1"})
    early = receipts.issue_receipts(any_db, admin, [line.id], on=date(YEAR, 12, 1))
    assert early[0].reviewer == ""  # nobody confirmed yet
    campaigns.set_campaign_status(any_db, reviewer, c.id, "已发放", date(YEAR, 12, 2))
    info = receipts.receipt_infos(any_db, admin, [early[0].id], show_id=True)[0]
    assert info.reviewer == "王审核"  # 审核人 on the receipt: who confirmed 已发放


def _ready(db: Database, admin: CurrentUser, n: int) -> list[int]:
    c = campaign(db, admin)
    ids = [
        campaigns.add_payout(
            db,
            admin,
            c.id,
            {"name": "领款人", "id_number": make_id("19850505", f"{i:03d}"), "amount": "100"},
        ).row.id
        for i in range(n)
    ]
    campaigns.set_campaign_status(db, admin, c.id, "审核")
    campaigns.set_campaign_status(db, admin, c.id, "已发放", date(YEAR, 12, 1))
    return ids


def test_receipts_gapless_void_reprint(any_db: Database, admin: CurrentUser) -> None:
    ids = _ready(any_db, admin, 5)
    made = receipts.issue_receipts(any_db, admin, ids[:3], on=date(YEAR, 12, 1))
    assert [r.number for r in made] == ["2031-000001", "2031-000002", "2031-000003"]
    assert (
        receipts.issue_receipts(any_db, admin, ids[:1], on=date(YEAR, 12, 1))[0].number
        == "2031-000001"
    )  # kept
    void = receipts.void_receipt(any_db, admin, made[1].id, "金额写错")
    assert void.void and void.number == "2031-000002"
    redo = receipts.issue_receipts(any_db, admin, [ids[1]], on=date(YEAR, 12, 1))
    assert redo[0].number == "2031-000004"
    printed = receipts.record_print(any_db, admin, [made[0].id])
    assert printed[0].print_count == 1
    assert receipts.record_print(any_db, admin, [made[0].id])[0].print_count == 2  # 补打
    report = receipts.gap_report(any_db, admin, "慰问金", YEAR)
    assert [(g.number, g.status) for g in report] == [
        ("2031-000001", "已开具"), ("2031-000002", "已作废"), ("2031-000003", "已开具"), ("2031-000004", "已开具"),
    ]  # fmt: skip


def test_failed_transaction_leaves_no_gap(any_db: Database, admin: CurrentUser) -> None:
    ids = _ready(any_db, admin, 3)
    with pytest.raises(UserError):
        receipts.issue_receipts(
            any_db, admin, [ids[0], 999_999], on=date(YEAR, 12, 1)
        )  # second line missing
    made = receipts.issue_receipts(any_db, admin, [ids[1]], on=date(YEAR, 12, 1))
    assert made[0].number == "2031-000001"
    assert len(receipts.gap_report(any_db, admin, "慰问金", YEAR)) == 1


def test_concurrent_allocation_is_gapless_and_unique(any_db: Database, admin: CurrentUser) -> None:
    ids = _ready(any_db, admin, 40)
    errors: list[BaseException] = []

    def clerk(part: list[int]) -> None:
        db = open_database(any_db.url)  # its own engine, as a second PC would have
        try:
            for pid in part:
                receipts.issue_receipts(db, admin, [pid], on=date(YEAR, 12, 1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=clerk, args=(ids[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with any_db.reading() as s:
        numbers = sorted(
            s.scalars(select(Receipt.number).join(ReceiptBook).where(ReceiptBook.year == YEAR))
        )
    assert numbers == list(range(1, 41))
