"""互助保障 (quarterly or annual), by plan: units enrolled, 人次, 份数 and money collected
(enrolments whose cover starts in the period), claims received, paid (count and
amount) and refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func

from unionsdesk.db.models import UnionOrg
from unionsdesk.db.models_mutual import MutualClaim, MutualEnrolment, MutualInsured, MutualPlan
from unionsdesk.reports.stats.engine import CodeRows, Fact, Measure, Part, PartSpec, checks_of_which
from unionsdesk.reports.stats.period import Period
from unionsdesk.table import Column

KEY = "mutual"
TITLE = "职工互助保障统计表"


def _enrolments(period: Period) -> Fact:
    source = MutualEnrolment.__table__.join(MutualPlan, MutualPlan.id == MutualEnrolment.plan_id)
    return Fact(
        name="参保登记",
        source=source,
        union=MutualEnrolment.union_id,
        where=(MutualEnrolment.starts_on.between(period.start, period.end),),
        detail=(
            (Column("unit", "参保单位", "text", 28), MutualEnrolment.unit),
            (Column("plan", "互助计划", "text", 18), MutualPlan.name),
            (Column("period", "期别", "int", 6), MutualEnrolment.period),
            (Column("starts", "保障开始", "date", 11), MutualEnrolment.starts_on),
            (Column("people", "参保人次", "int", 8), MutualEnrolment.people),
            (Column("shares", "份数", "int", 8), MutualEnrolment.shares),
            (Column("amount", "互助金（元）", "money", 12), MutualEnrolment.amount),
            (Column("receipt", "收据号", "idno", 12), MutualEnrolment.receipt_no),
        ),
        order_by=(MutualEnrolment.starts_on, MutualEnrolment.id),
        person=MutualEnrolment.union_id,  # 参保单位数: distinct unions
        person_detail=(
            (Column("unit", "参保单位", "text", 28), func.min(UnionOrg.name)),
            (Column("enrolments", "登记次数", "int", 8), func.count(MutualEnrolment.id)),
            (Column("people", "参保人次", "int", 8), func.sum(MutualEnrolment.people)),
            (Column("amount", "互助金（元）", "money", 12), func.sum(MutualEnrolment.amount)),
        ),
        detail_source=source.join(UnionOrg, UnionOrg.id == MutualEnrolment.union_id),
    )


def _claims() -> Fact:
    source = (
        MutualClaim.__table__.join(MutualInsured, MutualInsured.id == MutualClaim.insured_id)
        .join(MutualEnrolment, MutualEnrolment.id == MutualInsured.enrolment_id)
        .join(MutualPlan, MutualPlan.id == MutualClaim.plan_id)
    )
    return Fact(
        name="给付",
        source=source,
        union=MutualEnrolment.union_id,
        where=(),
        detail=(
            (Column("name", "姓名", "text", 10), MutualClaim.name),
            (Column("unit", "参保单位", "text", 26), MutualEnrolment.unit),
            (Column("plan", "互助计划", "text", 18), MutualPlan.name),
            (Column("type", "给付类型", "text", 12), MutualClaim.claim_type),
            (Column("received", "受理日期", "date", 11), MutualClaim.received_on),
            (Column("status", "状态", "text", 6), MutualClaim.status),
            (Column("approved", "核定金额（元）", "money", 12), MutualClaim.approved),
            (Column("paid_on", "给付日期", "date", 11), MutualClaim.paid_on),
        ),
        order_by=(MutualClaim.received_on, MutualClaim.id),
    )


def parts(period: Period, labels: Mapping[str, Mapping[str, str]]) -> list[PartSpec]:
    e, c = _enrolments(period), _claims()
    paid = (MutualClaim.status == "已给付") & MutualClaim.paid_on.between(period.start, period.end)
    m = [
        Measure("units", "参保\n单位数", e, distinct=True, width=7),
        Measure("people", "参保\n人次", e, amount=MutualEnrolment.people, width=8, detail_key="people"),
        Measure("shares", "份数", e, amount=MutualEnrolment.shares, width=8, detail_key="shares"),
        Measure("amount", "互助金\n（万元）", e, amount=MutualEnrolment.amount, kind="wan", width=9,
                detail_key="amount"),
        Measure("claims", "本期受理\n给付申请", c, MutualClaim.received_on.between(period.start, period.end),
                width=8),
        Measure("paid", "本期\n给付件数", c, paid, width=8),
        Measure("paid_amount", "给付金额\n（万元）", c, paid, amount=func.coalesce(MutualClaim.approved, 0),
                kind="wan", width=9, detail_key="approved"),
        Measure("refused", "本期\n拒付", c,
                (MutualClaim.status == "拒付") & MutualClaim.received_on.between(period.start, period.end),
                width=7),
    ]  # fmt: skip
    return [
        PartSpec(
            TITLE,
            m,
            rows=CodeRows(MutualPlan.name, {}, first_label="互助计划"),
            units="个、人次、份、件、万元",
            notes=(
                "参保按保障期开始日期计入本期；给付按给付日期、受理和拒付按受理日期计。",
                "参保单位数为该计划内不重复的单位数；合计行为各计划之和。",
                "金额以万元为单位，保留两位小数；合计为各行未舍入金额之和再舍入。",
            ),
        )
    ]


def checks(built: list[Part], *_context: Any) -> list[str]:
    return checks_of_which(built[0], [("units", "people")])
