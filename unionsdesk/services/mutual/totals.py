"""Upward totals of 互助保障 (DOMAIN.md §5): per plan and period, units, 人次, money
collected, claims by type, count and money paid — as `Table` values."""

from __future__ import annotations

from sqlalchemy import case, func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models_mutual import MutualClaim, MutualEnrolment, MutualInsured, MutualPlan
from unionsdesk.services.common.base import READ, CurrentUser, reading
from unionsdesk.services.mutual.specs import CLAIM_TYPES
from unionsdesk.table import Column, Table

_PAID = MutualClaim.status == "已给付"


def mutual_totals(db: Database, actor: CurrentUser, period: int, office: str = "") -> Table:
    """One row per plan with enrolments in ``period``; claims count against the period
    of the cover they were made under."""
    with reading(db, actor, READ) as s:
        enrolled = {
            pid: (units, people, shares, amount, paid)
            for pid, units, people, shares, amount, paid in s.execute(
                select(
                    MutualEnrolment.plan_id,
                    func.count(func.distinct(MutualEnrolment.union_id)),
                    func.sum(MutualEnrolment.people),
                    func.sum(MutualEnrolment.shares),
                    func.sum(MutualEnrolment.amount),
                    func.sum(
                        case(
                            (MutualEnrolment.paid_on.is_not(None), MutualEnrolment.amount), else_=0
                        )
                    ),
                )
                .where(MutualEnrolment.period == period)
                .group_by(MutualEnrolment.plan_id)
            )
        }
        claims = {
            pid: (n, paid_n, paid, refused)
            for pid, n, paid_n, paid, refused in s.execute(
                select(
                    MutualClaim.plan_id,
                    func.count(MutualClaim.id),
                    func.sum(case((_PAID, 1), else_=0)),
                    func.sum(case((_PAID, MutualClaim.approved), else_=0)),
                    func.sum(case((MutualClaim.status == "拒付", 1), else_=0)),
                )
                .join(MutualInsured, MutualInsured.id == MutualClaim.insured_id)
                .where(MutualInsured.period == period)
                .group_by(MutualClaim.plan_id)
            )
        }
        plans = list(s.execute(select(MutualPlan.id, MutualPlan.name).order_by(MutualPlan.id)))
    rows = []
    for pid, name in plans:
        if pid not in enrolled and pid not in claims:
            continue
        units, people, shares, amount, paid_in = enrolled.get(pid, (0, 0, 0, 0, 0))
        n, paid_n, paid, refused = claims.get(pid, (0, 0, 0, 0))
        rows.append([name, units, int(people or 0), int(shares or 0), int(amount or 0), int(paid_in or 0),
                     n, int(paid_n or 0), int(paid or 0), int(refused or 0)])  # fmt: skip
    columns = (
        Column("plan", "计划", "text", 26), Column("units", "参保单位", "int", 8),
        Column("people", "参保人次", "int", 8), Column("shares", "份数", "int", 8),
        Column("amount", "应收互助金", "money", 12), Column("collected", "已收互助金", "money", 12),
        Column("claims", "受理件数", "int", 8), Column("paid_n", "给付件数", "int", 8),
        Column("paid", "给付金额", "money", 12), Column("refused", "拒付件数", "int", 8),
    )  # fmt: skip
    return Table(
        title=f"职工互助保障情况统计表（{period}期）",
        columns=columns,
        rows=rows,
        subtitle=f"填报单位：{office}" if office else "",
        units="金额单位：元",
    ).with_totals()


def claims_by_type(db: Database, actor: CurrentUser, period: int) -> Table:
    """Claims of the period's covers by type: received, paid and money paid."""
    with reading(db, actor, READ) as s:
        found = {
            kind: (n, paid_n, paid)
            for kind, n, paid_n, paid in s.execute(
                select(
                    MutualClaim.claim_type,
                    func.count(MutualClaim.id),
                    func.sum(case((_PAID, 1), else_=0)),
                    func.sum(case((_PAID, MutualClaim.approved), else_=0)),
                )
                .join(MutualInsured, MutualInsured.id == MutualClaim.insured_id)
                .where(MutualInsured.period == period)
                .group_by(MutualClaim.claim_type)
            )
        }
    rows = [
        [kind, found[kind][0], int(found[kind][1] or 0), int(found[kind][2] or 0)]
        for kind in CLAIM_TYPES
        if kind in found
    ]
    columns = (
        Column("type", "给付类型", "text", 16), Column("claims", "受理件数", "int", 8),
        Column("paid_n", "给付件数", "int", 8), Column("paid", "给付金额", "money", 12),
    )  # fmt: skip
    return Table(
        title=f"职工互助保障给付情况（{period}期，按类型）", columns=columns, rows=rows,
        units="金额单位：元",
    ).with_totals()  # fmt: skip
