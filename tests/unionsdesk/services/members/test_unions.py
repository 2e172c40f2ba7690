from datetime import date

import pytest

from unionsdesk.db.engine import Database
from unionsdesk.domain.creditcode import check_char
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import members, unions


def code(body17: str) -> str:
    return body17 + check_char(body17)


def test_create_with_parent_by_name_and_codes_by_label(
    any_db: Database, admin: CurrentUser
) -> None:
    row = unions.create_union(
        any_db, admin,
        {"name": "示例县某某科技有限公司工会委员会", "parent": "城关镇总工会", "unit_credit_code": code("91360830MA3ABCDE1"),
         "org_type": "单独基层工会", "unit_category": "私营企业", "industry": "制造业", "founded_on": "2015年6月"},
    )  # fmt: skip
    parent = unions.find_union(any_db, admin, "城关镇总工会")
    assert row.parent_id == parent.id
    assert (row.org_type, row.unit_category, row.industry) == ("01", "170", "C")
    assert row.founded_on == date(2015, 6, 1)
    assert unions.find_union(any_db, admin, code("91360830MA3ABCDE1")).id == row.id
    with pytest.raises(ValidationError, match="已被"):
        unions.create_union(
            any_db, admin, {"name": "重复", "unit_credit_code": code("91360830MA3ABCDE1")}
        )


def test_find_union_ambiguous_and_missing(any_db: Database, admin: CurrentUser) -> None:
    with pytest.raises(UserError, match="多个工会"):
        unions.find_union(any_db, admin, "示例县")
    with pytest.raises(UserError, match="找不到"):
        unions.find_union(any_db, admin, "不存在的工会")


def test_no_cycles_in_the_tree(any_db: Database, admin: CurrentUser) -> None:
    town = unions.find_union(any_db, admin, "城关镇总工会")
    child = next(u for u in unions.list_unions(any_db, admin) if u.parent_id == town.id)
    with pytest.raises(ValidationError, match="下级"):
        unions.update_union(any_db, admin, town.id, {**town.as_dict(), "parent_id": child.id})


def test_status_history_and_refusal_with_members(any_db: Database, admin: CurrentUser) -> None:
    busy = next(u for u in unions.list_unions(any_db, admin) if u.member_count > 0 and u.unit_name)
    with pytest.raises(UserError, match="在册会员"):
        unions.change_union_status(any_db, admin, busy.id, "撤销", date(2026, 1, 1), "企业注销")
    empty = unions.create_union(any_db, admin, {"name": "将撤销的工会", "parent": "城关镇总工会"})
    with pytest.raises(ValidationError, match="原因"):
        unions.change_union_status(any_db, admin, empty.id, "撤销", date(2026, 1, 1), " ")
    closed = unions.change_union_status(
        any_db, admin, empty.id, "撤销", date(2026, 1, 1), "企业注销"
    )
    assert closed.status == "撤销"
    assert [(e.status, e.reason) for e in unions.status_history(any_db, admin, empty.id)] == [
        ("撤销", "企业注销")
    ]
    with pytest.raises(ValidationError, match="已撤销"):
        members.save_member(
            any_db, admin, {"name": "甲", "id_number": "36083019900101123" + check_id(), "joined_on": "2020-01-01"},
            union_id=empty.id,
        )  # fmt: skip


def check_id() -> str:
    from unionsdesk.domain.idcard import check_char as id_check

    return id_check("36083019900101123")


def test_election_reminder() -> None:
    row = unions.UnionRow(
        id=1, name="x", unit_name=None, unit_credit_code=None, union_credit_code=None, parent_id=None, org_type=None,
        unit_category=None, industry=None, township=None, address=None, founded_on=date(2015, 3, 1),
        last_election_on=date(2021, 3, 1), term_years=5, chair_name=None, chair_phone=None, chair_fulltime=None,
        auditor_name=None, auditor_phone=None, staff_count=None, female_staff=None, status="正常", status_date=None,
        status_reason=None, version=1,
    )  # fmt: skip
    assert row.next_election_due == date(2026, 3, 1)
    assert row.election_reminder(date(2025, 6, 1)) is None
    assert "即将到期" in (row.election_reminder(date(2026, 1, 15)) or "")
    assert "逾期" in (row.election_reminder(date(2026, 3, 2)) or "")


def test_member_counts_match_the_register(any_db: Database, admin: CurrentUser) -> None:
    rows = unions.list_unions(any_db, admin)
    assert sum(u.member_count for u in rows) == members.count_members(any_db)
    some = next(u for u in rows if u.member_count)
    ids = members.search_member_ids(any_db, admin, members.MemberFilter(union_id=some.id))
    assert len(ids) >= some.member_count
