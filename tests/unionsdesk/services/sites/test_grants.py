"""对下项目补助 through the services, on SQLite and PostgreSQL: every rule of the life-cycle."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog, UnionOrg
from unionsdesk.db.models_funds import Grant
from unionsdesk.errors import PermissionDenied, UserError, ValidationError
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.users import login as authenticate
from unionsdesk.services.sites import grants

YEAR = 2031


def _union(db: Database) -> int:
    with db.reading() as s:
        return s.scalars(select(UnionOrg.id).where(UnionOrg.unit_name.is_not(None))).first()  # type: ignore[return-value]


def _apply(db: Database, admin: CurrentUser, **over: object) -> grants.GrantRow:
    values = {
        "union_id": _union(db), "name": "职工书屋建设", "kind": "职工书屋", "content": "购书、书架",
        "total_budget": "5万", "self_funded": "2万", "requested": "3万", "applied_on": f"{YEAR}-03-01",
        **over,
    }  # fmt: skip
    return grants.save_application(db, admin, values).row


def _approve(
    db: Database, admin: CurrentUser, gid: int, amount: str = "30000"
) -> grants.GrantResult:
    return grants.approve(
        db, admin, gid,
        {"approval_ref": "示工发〔2031〕5号", "approved_amount": amount, "approver": "陈主席",
         "approved_on": f"{YEAR}-04-01"},
    )  # fmt: skip


def test_life_cycle_with_advance_and_acceptance(any_db: Database, admin: CurrentUser) -> None:
    with any_db.reading() as s:
        first_audit = s.scalar(select(func.max(AuditLog.id))) or 0
    g = _apply(any_db, admin)
    assert (g.status, g.requested, g.total_budget, g.code) == (
        "申报",
        3_000_000,
        5_000_000,
        f"{YEAR}-001",
    )
    g = _approve(any_db, admin, g.id).row
    assert (g.status, g.approved_amount) == ("已批准", 3_000_000)
    # The advance: up to 50 % before 验收.
    with pytest.raises(ValidationError, match="验收合格前只能预拨批准金额的 50%"):
        grants.add_payment(any_db, admin, g.id, {"paid_on": f"{YEAR}-04-10", "amount": "15000.01"})
    g = grants.add_payment(
        any_db, admin, g.id, {"paid_on": f"{YEAR}-04-10", "amount": "15000", "voucher_no": "记-12"}
    )
    assert (g.status, g.paid) == ("拨付中", 1_500_000)
    with pytest.raises(ValidationError, match="余款须在验收合格后拨付"):
        grants.add_payment(any_db, admin, g.id, {"paid_on": f"{YEAR}-05-10", "amount": "1"})
    # 整改 does not open the rest; 合格 does.
    g = grants.record_acceptance(
        any_db,
        admin,
        g.id,
        {"accepted_on": f"{YEAR}-06-01", "acceptance_by": "李", "acceptance_result": "整改"},
    )
    assert g.status == "拨付中"
    with pytest.raises(ValidationError):
        grants.add_payment(any_db, admin, g.id, {"paid_on": f"{YEAR}-06-02", "amount": "100"})
    g = grants.record_acceptance(
        any_db,
        admin,
        g.id,
        {
            "accepted_on": f"{YEAR}-07-01",
            "acceptance_by": "李",
            "acceptance_result": "合格",
            "actual_investment": "5.2万",
        },
    )
    assert (g.status, g.actual_investment) == ("已验收", 5_200_000)
    with pytest.raises(ValidationError, match="超过批准金额"):
        grants.add_payment(any_db, admin, g.id, {"paid_on": f"{YEAR}-07-02", "amount": "15000.01"})
    with pytest.raises(UserError, match="未拨付"):
        grants.record_performance(any_db, admin, g.id, "良好")
    g = grants.add_payment(any_db, admin, g.id, {"paid_on": f"{YEAR}-07-02", "amount": "15000"})
    assert g.paid == g.approved_amount and len(g.payments) == 2
    g = grants.record_performance(any_db, admin, g.id, "按期建成，借阅 1200 人次")
    assert g.status == "已完成"
    with any_db.reading() as s:
        actions = list(
            s.scalars(
                select(AuditLog.action).where(
                    AuditLog.entity.in_(("grant_project", "grant_payment")),
                    AuditLog.id > first_audit,
                )
            )
        )
    assert actions.count("review") == 1 and len(actions) >= 7


def test_approval_not_above_request_and_budget_warns(any_db: Database, admin: CurrentUser) -> None:
    g = _apply(any_db, admin)
    with pytest.raises(ValidationError, match="不能超过申请补助"):
        _approve(any_db, admin, g.id, "30000.01")
    assert grants.get_grant(any_db, admin, g.id).status == "申报"  # nothing written
    grants.set_budget(any_db, admin, YEAR, "职工书屋", "5万")
    first = _approve(any_db, admin, g.id, "30000")
    assert first.warnings == []
    second = _apply(any_db, admin, name="第二个书屋")
    result = _approve(any_db, admin, second.id, "25000")
    assert result.warnings and "超出预算 ¥5,000.00" in result.warnings[0]
    line = next(b for b in grants.budget_summary(any_db, admin, YEAR) if b.kind == "职工书屋")
    assert (line.budget, line.approved, line.paid, line.left, line.over) == (
        5_000_000,
        5_500_000,
        0,
        -500_000,
        True,
    )


def test_revoke_after_payment_needs_the_money_back(any_db: Database, admin: CurrentUser) -> None:
    g = _apply(any_db, admin)
    _approve(any_db, admin, g.id)
    grants.add_payment(any_db, admin, g.id, {"paid_on": f"{YEAR}-04-10", "amount": "10000"})
    with pytest.raises(ValidationError, match="撤销前须登记退回的资金"):
        grants.revoke(any_db, admin, g.id, "项目未实施")
    with pytest.raises(ValidationError, match="退回金额应为 ¥10,000"):
        grants.revoke(
            any_db, admin, g.id, "项目未实施", returned="5000", returned_on=date(YEAR, 8, 1)
        )
    row = grants.revoke(
        any_db, admin, g.id, "项目未实施", returned="1万", returned_on=date(YEAR, 8, 1)
    )
    assert (row.status, row.returned_amount) == ("已撤销", 1_000_000)
    line = next(b for b in grants.budget_summary(any_db, admin, YEAR) if b.kind == "职工书屋")
    assert (line.approved, line.paid) == (0, 0)
    # Without payments no money is recorded.
    other = _apply(any_db, admin, name="未拨付项目")
    assert grants.revoke(any_db, admin, other.id, "单位撤并").status == "已撤销"


def test_roles_and_bad_input(any_db: Database, admin: CurrentUser) -> None:
    clerk = authenticate(any_db, "jingban", "demo1234")
    reviewer = authenticate(any_db, "shenhe", "demo1234")
    g = _apply(any_db, clerk)
    with pytest.raises(PermissionDenied):
        _approve(any_db, clerk, g.id)
    with pytest.raises(PermissionDenied):
        grants.revoke(any_db, clerk, g.id, "x")
    assert _approve(any_db, reviewer, g.id).row.status == "已批准"
    with pytest.raises(PermissionDenied):
        grants.add_payment(any_db, reviewer, g.id, {"paid_on": f"{YEAR}-04-10", "amount": "100"})
    with pytest.raises(ValidationError, match="不能超过总预算"):
        _apply(any_db, admin, total_budget="1万", requested="2万")
    with pytest.raises(ValidationError, match="不是确切金额"):
        _apply(any_db, admin, requested="约十万")
    with any_db.reading() as s:
        assert s.scalar(select(Grant.id).where(Grant.name == "x")) is None
    with pytest.raises(UserError, match="已批准"):
        grants.save_application(any_db, admin, {"name": "改名"}, g.id)
