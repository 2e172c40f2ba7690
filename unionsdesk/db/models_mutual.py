"""Models of the mutual-aid area (DOMAIN.md §5): 互助保障 plans, 参保登记 with the named
list of insured people, and 理赔/给付 claims (tables created by migration 0007)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from unionsdesk.db.models import Entity, RegisterRow


class MutualPlan(RegisterRow):
    """A plan (reference register): fee per share, 给付标准 per claim type, unit rules."""

    __tablename__ = "mutual_plan"

    name: Mapped[str] = mapped_column(String(100), unique=True)  # 计划名称
    term_months: Mapped[int] = mapped_column(Integer)  # 保障期（月）
    fee: Mapped[int] = mapped_column(Integer)  # 每份互助费, fen
    benefits: Mapped[str] = mapped_column(Text)  # 意外身故=10000；意外医疗=1000 (yuan per share)
    women_only: Mapped[bool] = mapped_column(Boolean, default=False)  # 女职工 plans
    min_insured: Mapped[int | None] = mapped_column(Integer)  # minimum insured per unit
    min_share: Mapped[int | None] = mapped_column(Integer)  # % of the unit's eligible members
    valid_until: Mapped[date | None] = mapped_column(Date)  # last day new enrolments are taken


class MutualEnrolment(RegisterRow):
    """参保登记: one unit in one plan for one period. 金额 is computed from the named list."""

    __tablename__ = "mutual_enrolment"
    __table_args__ = (
        UniqueConstraint("union_id", "plan_id", "period", name="uq_mutual_enrolment_unit"),
    )

    union_id: Mapped[int] = mapped_column(ForeignKey("union_org.id"), index=True)
    unit: Mapped[str] = mapped_column(String(200))  # 参保单位 as the union is named
    plan_id: Mapped[int] = mapped_column(ForeignKey("mutual_plan.id"), index=True)
    period: Mapped[int] = mapped_column(Integer, index=True)  # 期别 (year the cover starts)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    people: Mapped[int] = mapped_column(Integer, default=0)  # 参保人数 = 人次
    shares: Mapped[int] = mapped_column(Integer, default=0)  # 份数 in all
    amount: Mapped[int] = mapped_column(Integer, default=0)  # fen = 份数 × 单价
    paid_on: Mapped[date | None] = mapped_column(Date)  # 缴费日期
    receipt_no: Mapped[str | None] = mapped_column(String(20), unique=True)  # 收据号
    file_name: Mapped[str | None] = mapped_column(String(260))


class MutualInsured(Entity):
    """One person on an enrolment's named list. Plan and period are repeated here so
    the database itself refuses a person insured twice in a plan and period."""

    __tablename__ = "mutual_insured"
    __table_args__ = (
        UniqueConstraint("plan_id", "period", "person_id", name="uq_mutual_insured_person"),
    )

    enrolment_id: Mapped[int] = mapped_column(ForeignKey("mutual_enrolment.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("mutual_plan.id"))
    period: Mapped[int] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    shares: Mapped[int] = mapped_column(Integer, default=1)
    member: Mapped[bool] = mapped_column(Boolean, default=True)  # on the member register


class MutualClaim(RegisterRow):
    """理赔/给付 for one insured person: 受理 → 审核 → 已给付 / 拒付."""

    __tablename__ = "mutual_claim"

    insured_id: Mapped[int] = mapped_column(ForeignKey("mutual_insured.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    plan_id: Mapped[int] = mapped_column(ForeignKey("mutual_plan.id"), index=True)
    claim_type: Mapped[str] = mapped_column(String(20))  # CLAIM_TYPES
    disability_grade: Mapped[int | None] = mapped_column(Integer)  # 伤残等级 1–10
    incident_on: Mapped[date] = mapped_column(Date)  # 事故/诊断日期
    received_on: Mapped[date] = mapped_column(Date, index=True)
    materials: Mapped[str | None] = mapped_column(String(400))  # received papers, "、"-separated
    requested: Mapped[int] = mapped_column(Integer)  # 申请金额, fen
    approved: Mapped[int | None] = mapped_column(Integer)  # 核定金额, fen
    status: Mapped[str] = mapped_column(String(10), default="受理")
    reject_reason: Mapped[str | None] = mapped_column(String(200))
    paid_on: Mapped[date | None] = mapped_column(Date, index=True)  # 给付日期
