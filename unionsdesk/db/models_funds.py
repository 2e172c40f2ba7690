"""Models of the funds work area (DOMAIN.md §7 对下项目补助, §8 工会经费); tables created
by migration 0008. Money is integer fen."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from unionsdesk.db.models import Entity, RegisterRow


class Grant(RegisterRow):
    """对下项目补助: 申报 → 批准 → 拨付 → 验收 → 绩效 (or 撤销)."""

    __tablename__ = "grant_project"
    __table_args__ = (UniqueConstraint("year", "code", name="uq_grant_project_year_code"),)

    year: Mapped[int] = mapped_column(Integer, index=True)
    code: Mapped[str] = mapped_column(String(20))  # 项目编号 within the year
    unit: Mapped[str] = mapped_column(String(200))  # 申报单位 as written
    union_id: Mapped[int] = mapped_column(ForeignKey("union_org.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    name: Mapped[str] = mapped_column(String(200))  # 项目名称
    kind: Mapped[str] = mapped_column(String(20))  # 类型
    content: Mapped[str | None] = mapped_column(Text)  # 建设内容
    total_budget: Mapped[int] = mapped_column(Integer, default=0)
    self_funded: Mapped[int] = mapped_column(Integer, default=0)
    requested: Mapped[int] = mapped_column(Integer, default=0)  # 申请补助
    applied_on: Mapped[date] = mapped_column(Date)
    contact: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="申报")  # GRANT_STATUSES
    approval_ref: Mapped[str | None] = mapped_column(String(100))  # 会议/文号
    approved_amount: Mapped[int | None] = mapped_column(Integer)
    approver: Mapped[str | None] = mapped_column(String(50))
    approved_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)  # 验收
    acceptance_by: Mapped[str | None] = mapped_column(String(100))
    acceptance_result: Mapped[str | None] = mapped_column(String(10))  # 合格/整改/不合格
    actual_investment: Mapped[int | None] = mapped_column(Integer)
    acceptance_note: Mapped[str | None] = mapped_column(Text)
    performance: Mapped[str | None] = mapped_column(Text)  # 绩效评价
    closed_on: Mapped[date | None] = mapped_column(Date)
    revoke_reason: Mapped[str | None] = mapped_column(String(200))
    returned_amount: Mapped[int] = mapped_column(Integer, default=0)
    returned_on: Mapped[date | None] = mapped_column(Date)


class GrantPayment(Entity):
    """One 拨付 of a grant (an advance, then the rest after 验收)."""

    __tablename__ = "grant_payment"

    grant_id: Mapped[int] = mapped_column(ForeignKey("grant_project.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)
    voucher_no: Mapped[str | None] = mapped_column(String(60))  # 凭证号


class GrantBudget(Entity):
    """The year's grant budget of one 类型 (set in 设置)."""

    __tablename__ = "grant_budget"
    __table_args__ = (UniqueConstraint("year", "kind", name="uq_grant_budget_year_kind"),)

    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Integer)


class Levy(RegisterRow):
    """拨缴经费 (2 % of the wage bill) of one employer for one month, split 60/40
    (筹备金: all upward) in fen that add up to 实缴 exactly."""

    __tablename__ = "levy"
    __table_args__ = (
        Index(
            "uq_levy_payer_period",
            "payer_key",
            "year",
            "month",
            unique=True,
            sqlite_where=text("NOT voided"),
            postgresql_where=text("NOT voided"),
        ),
        Index("ix_levy_period", "year", "month"),
    )

    payer_key: Mapped[str] = mapped_column(String(220))  # u<union id>, or the unit's code/name
    union_id: Mapped[int | None] = mapped_column(ForeignKey("union_org.id"), index=True)
    payer_name: Mapped[str] = mapped_column(String(200))  # 缴费单位
    credit_code: Mapped[str | None] = mapped_column(String(18))
    township: Mapped[str | None] = mapped_column(String(60))
    preparatory: Mapped[bool] = mapped_column(Boolean, default=False)  # 筹备金 (no union)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    wage_total: Mapped[int] = mapped_column(Integer)  # 工资总额
    due: Mapped[int] = mapped_column(Integer)  # 应缴 = 2 %
    paid: Mapped[int] = mapped_column(Integer, default=0)  # 实缴
    paid_on: Mapped[date | None] = mapped_column(Date)
    tax_collected: Mapped[bool] = mapped_column(Boolean, default=False)  # 税务代收
    share_grassroots: Mapped[int] = mapped_column(Integer, default=0)  # 基层留成
    share_county: Mapped[int] = mapped_column(Integer, default=0)
    share_city: Mapped[int] = mapped_column(Integer, default=0)
    share_province: Mapped[int] = mapped_column(Integer, default=0)
    share_national: Mapped[int] = mapped_column(Integer, default=0)  # 全总


class FundReceipt(RegisterRow):
    """工会经费收入专用收据, recorded (the office does not print them)."""

    __tablename__ = "fund_receipt"
    __table_args__ = (UniqueConstraint("year", "number", name="uq_fund_receipt_year_number"),)

    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)  # 票号
    issued_on: Mapped[date] = mapped_column(Date)
    payer_name: Mapped[str] = mapped_column(String(200))  # 缴款单位
    period: Mapped[str] = mapped_column(String(40))  # 所属期, e.g. 2026年1—3月
    wage_total: Mapped[int] = mapped_column(Integer, default=0)
    due: Mapped[int] = mapped_column(Integer, default=0)
    paid: Mapped[int] = mapped_column(Integer, default=0)
    shares: Mapped[str | None] = mapped_column(String(300))  # 分成, as the receipt shows it
    levy_id: Mapped[int | None] = mapped_column(ForeignKey("levy.id"))


class Dues(RegisterRow):
    """会费 of one member for one month."""

    __tablename__ = "dues"
    __table_args__ = (
        Index(
            "uq_dues_membership_month",
            "membership_id",
            "year",
            "month",
            unique=True,
            sqlite_where=text("NOT voided"),
            postgresql_where=text("NOT voided"),
        ),
        Index("ix_dues_union_month", "union_id", "year", "month"),
    )

    membership_id: Mapped[int] = mapped_column(ForeignKey("membership.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    union_id: Mapped[int] = mapped_column(ForeignKey("union_org.id"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    wage_base: Mapped[int | None] = mapped_column(Integer)  # 工资基数, fen
    amount: Mapped[int] = mapped_column(Integer, default=0)  # 会费, fen
    waived: Mapped[bool] = mapped_column(Boolean, default=False)  # 保留会籍
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    method: Mapped[str | None] = mapped_column(String(20))  # 缴纳方式
