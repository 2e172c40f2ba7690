"""对下项目补助: 申报 → 审核/批准 → 拨付 (one or more payments) → 验收 → 绩效, or 撤销.

Rules (issue 18):
- 批准金额 ≤ 申请补助; the payments add up to at most the 批准金额;
- before 验收 is 合格 only the advance may be paid (a share of the 批准金额, a
  setting, default 50 %); the rest after;
- 撤销 after any payment needs the money recorded as returned;
- the year's budget per 类型 (设置) shows what is approved, paid and left, and
  approving past it warns.
审核/批准 and 撤销 need the reviewer role; every step writes an audit row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import UnionOrg
from unionsdesk.db.models_funds import Grant, GrantBudget, GrantPayment
from unionsdesk.domain.money import format_yuan, from_fen
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.services.common.base import (
    ADMIN,
    REVIEW,
    WRITE,
    CurrentUser,
    audit,
    reading,
    snapshot,
    stamp,
    writing,
)
from unionsdesk.services.common.locking import check_version
from unionsdesk.services.common.settings import get_setting, put_setting
from unionsdesk.services.sites.common import pairs, union_name
from unionsdesk.services.sites.specs import (
    GRANT,
    GRANT_ACCEPTANCE,
    GRANT_APPROVAL,
    GRANT_KINDS,
    GRANT_PAYMENT,
    as_form,
    read_money,
)

ADVANCE_SETTING = "grants.advance_percent"
DEFAULT_ADVANCE_PERCENT = 50
PAYABLE = ("已批准", "拨付中", "已验收")


def yuan(fen: int) -> str:
    return format_yuan(from_fen(fen))


@dataclass(frozen=True)
class PaymentRow:
    id: int
    paid_on: date
    amount: int
    voucher_no: str | None


@dataclass(frozen=True)
class GrantRow:
    id: int
    year: int
    code: str
    union_id: int
    union_name: str
    township: str | None
    name: str
    kind: str
    content: str | None
    total_budget: int
    self_funded: int
    requested: int
    applied_on: date
    contact: str | None
    contact_phone: str | None
    status: str
    approval_ref: str | None
    approved_amount: int | None
    approver: str | None
    approved_on: date | None
    accepted_on: date | None
    acceptance_by: str | None
    acceptance_result: str | None
    actual_investment: int | None
    acceptance_note: str | None
    performance: str | None
    closed_on: date | None
    revoke_reason: str | None
    returned_amount: int
    returned_on: date | None
    version: int
    paid: int = 0
    payments: tuple[PaymentRow, ...] = ()

    @property
    def unpaid(self) -> int:
        return max((self.approved_amount or 0) - self.paid, 0)


@dataclass
class GrantResult:
    row: GrantRow
    warnings: list[str] = field(default_factory=list)


_ROW_FIELDS = (
    "year", "code", "union_id", "name", "kind", "content", "total_budget", "self_funded",
    "requested", "applied_on", "contact", "contact_phone", "status", "approval_ref",
    "approved_amount", "approver", "approved_on", "accepted_on", "acceptance_by",
    "acceptance_result", "actual_investment", "acceptance_note", "performance", "closed_on",
    "revoke_reason", "returned_amount", "returned_on", "version",
)  # fmt: skip


def _row(s: Session, g: Grant, *, payments: bool = True) -> GrantRow:
    union = s.get(UnionOrg, g.union_id)
    pays = (
        tuple(
            PaymentRow(p.id, p.paid_on, p.amount, p.voucher_no)
            for p in s.scalars(
                select(GrantPayment)
                .where(GrantPayment.grant_id == g.id)
                .order_by(GrantPayment.paid_on, GrantPayment.id)
            )
        )
        if payments
        else ()
    )
    return GrantRow(
        id=g.id, union_name=union.name if union else "", township=union.township if union else None,
        paid=sum(p.amount for p in pays), payments=pays,
        **{n: getattr(g, n) for n in _ROW_FIELDS},
    )  # fmt: skip


def _paid(s: Session, grant_id: int) -> int:
    return int(
        s.scalar(
            select(func.coalesce(func.sum(GrantPayment.amount), 0)).where(
                GrantPayment.grant_id == grant_id
            )
        )
        or 0
    )


def advance_percent(db: Database) -> int:
    try:
        value = int(get_setting(db, ADVANCE_SETTING) or DEFAULT_ADVANCE_PERCENT)
    except ValueError:
        return DEFAULT_ADVANCE_PERCENT
    return min(max(value, 0), 100)


def set_advance_percent(db: Database, actor: CurrentUser, percent: object) -> int:
    try:
        value = int(str(percent).strip().rstrip("%"))
    except ValueError:
        raise ValidationError({"advance": "预拨比例应为 0 到 100 的整数"}) from None
    if not 0 <= value <= 100:
        raise ValidationError({"advance": "预拨比例应为 0 到 100 的整数"})
    with writing(db, actor, ADMIN) as s:
        put_setting(s, actor, ADVANCE_SETTING, str(value), summary=f"项目补助预拨比例改为 {value}%")
    return value


# --- queries ----------------------------------------------------------------------


def list_grants(
    db: Database,
    actor: CurrentUser,
    year: int | None = None,
    *,
    status: str | None = None,
    kind: str | None = None,
    text: str | None = None,
) -> list[GrantRow]:
    with reading(db, actor) as s:
        paid = pairs(
            s.execute(
                select(GrantPayment.grant_id, func.sum(GrantPayment.amount)).group_by(
                    GrantPayment.grant_id
                )
            ).all()
        )
        q = (
            select(Grant, UnionOrg.name, UnionOrg.township)
            .join(UnionOrg, UnionOrg.id == Grant.union_id)
            .order_by(Grant.year.desc(), Grant.code)
        )
        if year is not None:
            q = q.where(Grant.year == year)
        if status:
            q = q.where(Grant.status == status)
        if kind:
            q = q.where(Grant.kind == kind)
        if text:
            like = f"%{text.strip()}%"
            q = q.where(Grant.name.like(like) | UnionOrg.name.like(like) | Grant.code.like(like))
        return [
            GrantRow(
                id=g.id,
                union_name=uname,
                township=township,
                paid=int(paid.get(g.id, 0) or 0),
                **{n: getattr(g, n) for n in _ROW_FIELDS},
            )
            for g, uname, township in s.execute(q)
        ]


def get_grant(db: Database, actor: CurrentUser, grant_id: int) -> GrantRow:
    with reading(db, actor) as s:
        return _row(s, _get(s, grant_id))


def _get(s: Session, grant_id: int) -> Grant:
    g = s.get(Grant, grant_id)
    if g is None:
        raise UserError(f"补助项目 {grant_id} 不存在")
    return g


# --- 申报 --------------------------------------------------------------------------


def save_application(
    db: Database,
    actor: CurrentUser,
    values: Mapping[str, object],
    grant_id: int | None = None,
    expected_version: int | None = None,
) -> GrantResult:
    """申报 a project, or change one that is still at 申报 (through the ``grants``
    register: the same checks as the form and the import)."""
    from unionsdesk.services.sites.registers import GRANTS

    raw = dict(values)
    if raw.get("union_id") is not None and not raw.get("unit"):
        with reading(db, actor) as s:
            raw["unit"] = union_name(s, int(str(raw.pop("union_id"))))
    if grant_id is None:
        record = GRANTS.create(db, actor, raw)
    else:
        current = as_form(GRANT, GRANTS.get(db, actor, grant_id).values)
        record = GRANTS.update(db, actor, grant_id, {**current, **raw}, expected_version)
    row = get_grant(db, actor, record.id)
    warnings = []
    if row.self_funded + row.requested < row.total_budget:
        warnings.append(
            f"自筹（{yuan(row.self_funded)}）加申请补助（{yuan(row.requested)}）"
            f"少于总预算（{yuan(row.total_budget)}），资金来源不足"
        )
    return GrantResult(row, warnings)


def next_code(s: Session, year: int) -> str:
    codes = s.scalars(select(Grant.code).where(Grant.year == year))
    top = max(
        (int(c.rsplit("-", 1)[-1]) for c in codes if c.rsplit("-", 1)[-1].isdigit()), default=0
    )
    return f"{year}-{top + 1:03d}"


# --- 审核/批准 ------------------------------------------------------------------------


def approve(
    db: Database,
    actor: CurrentUser,
    grant_id: int,
    values: Mapping[str, object],
    expected_version: int | None = None,
) -> GrantResult:
    """审核通过: 会议/文号, 批准金额 (≤ 申请补助), 审批人; warns past the year's budget."""
    actor.require(REVIEW)
    clean = GRANT_APPROVAL.clean(values)
    with writing(db, actor, REVIEW) as s:
        g = _get(s, grant_id)
        check_version(g, expected_version, f"补助项目“{g.name}”", "grant_project")
        if g.status != "申报":
            raise UserError(f"补助项目“{g.name}”已{g.status}，不能再审批")
        amount = clean["approved_amount"]
        if amount > g.requested:
            raise ValidationError(
                {
                    "approved_amount": f"批准金额（{yuan(amount)}）不能超过申请补助（{yuan(g.requested)}）"
                }
            )
        if clean["approved_on"] < g.applied_on:
            raise ValidationError({"approved_on": "批准日期不能早于申报日期"})
        before = snapshot(g, ("status", *GRANT_APPROVAL.by_name))
        for name, value in clean.items():
            setattr(g, name, value)
        g.status = "已批准"
        stamp(g, actor)
        s.flush()
        warnings = _budget_warning(s, g.year, g.kind, g.id)
        audit(
            s, actor, "review", "grant_project", g.id,
            before=before, after=snapshot(g, ("status", *GRANT_APPROVAL.by_name)),
            summary=f"批准补助项目 {g.code}“{g.name}” {yuan(amount)}（{g.approval_ref}）",
        )  # fmt: skip
        return GrantResult(_row(s, g), warnings)


def reject(
    db: Database, actor: CurrentUser, grant_id: int, reason: str, on: date | None = None
) -> GrantRow:
    """审核不通过 (不予批准) with the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写不予批准的原因"})
    with writing(db, actor, REVIEW) as s:
        g = _get(s, grant_id)
        if g.status != "申报":
            raise UserError(f"补助项目“{g.name}”已{g.status}，不能再审批")
        g.status, g.revoke_reason, g.closed_on = "不予批准", reason[:200], on or date.today()
        stamp(g, actor)
        s.flush()
        audit(s, actor, "review", "grant_project", g.id, before={"status": "申报"},
              after={"status": g.status, "revoke_reason": g.revoke_reason},
              summary=f"补助项目 {g.code}“{g.name}”不予批准：{reason}")  # fmt: skip
        return _row(s, g)


def _budget_warning(s: Session, year: int, kind: str, grant_id: int) -> list[str]:
    budget = s.scalar(
        select(GrantBudget.amount).where(GrantBudget.year == year, GrantBudget.kind == kind)
    )
    if budget is None:
        return []
    approved = _approved_total(s, year, kind)
    if approved <= budget:
        return []
    return [
        f"{year}年“{kind}”类补助预算 {yuan(budget)}，批准本项目后已批准 {yuan(approved)}，"
        f"超出预算 {yuan(approved - budget)}"
    ]


def _approved_total(s: Session, year: int, kind: str) -> int:
    """What is committed: approved amounts of live projects, and what was actually paid
    (less what came back) on revoked ones."""
    live = s.scalar(
        select(func.coalesce(func.sum(Grant.approved_amount), 0)).where(
            Grant.year == year, Grant.kind == kind,
            Grant.status.in_(("已批准", "拨付中", "已验收", "已完成")),
        )
    )  # fmt: skip
    return int(live or 0)


# --- 拨付 --------------------------------------------------------------------------


def add_payment(
    db: Database, actor: CurrentUser, grant_id: int, values: Mapping[str, object]
) -> GrantRow:
    """One 拨付. The payments never exceed the 批准金额; before a 合格 验收 they stay
    within the advance share."""
    actor.require(WRITE)
    clean = GRANT_PAYMENT.clean(values)
    percent = advance_percent(db)
    with writing(db, actor) as s:
        g = _get(s, grant_id)
        if g.status not in PAYABLE:
            raise UserError(f"补助项目“{g.name}”{g.status}，不能拨付（批准后才能拨付）")
        approved = g.approved_amount or 0
        paid = _paid(s, g.id)
        amount = clean["amount"]
        if paid + amount > approved:
            raise ValidationError(
                {"amount": f"拨付后累计 {yuan(paid + amount)}，超过批准金额 {yuan(approved)}"
                           f"（已拨付 {yuan(paid)}，最多还能拨付 {yuan(approved - paid)}）"}
            )  # fmt: skip
        if g.acceptance_result != "合格":
            advance = approved * percent // 100
            if paid + amount > advance:
                raise ValidationError(
                    {"amount": f"验收合格前只能预拨批准金额的 {percent}%（{yuan(advance)}），"
                               f"已拨付 {yuan(paid)}；余款须在验收合格后拨付"}
                )  # fmt: skip
        if g.approved_on and clean["paid_on"] < g.approved_on:
            raise ValidationError({"paid_on": "拨付日期不能早于批准日期"})
        pay = GrantPayment(grant_id=g.id, **clean)
        stamp(pay, actor, new=True)
        s.add(pay)
        if g.status == "已批准":
            g.status = "拨付中"
        stamp(g, actor)
        s.flush()
        audit(
            s, actor, "create", "grant_payment", pay.id,
            after={"grant": g.code, **clean},
            summary=f"补助项目 {g.code}“{g.name}”拨付 {yuan(amount)}（累计 {yuan(paid + amount)}/{yuan(approved)}）",
        )  # fmt: skip
        return _row(s, g)


# --- 验收, 绩效 -----------------------------------------------------------------------


def record_acceptance(
    db: Database, actor: CurrentUser, grant_id: int, values: Mapping[str, object]
) -> GrantRow:
    """验收: 合格 opens the rest of the payment; 整改 may be accepted again later."""
    actor.require(WRITE)
    clean = GRANT_ACCEPTANCE.clean(values)
    with writing(db, actor) as s:
        g = _get(s, grant_id)
        if g.status not in ("已批准", "拨付中"):
            raise UserError(f"补助项目“{g.name}”{g.status}，不能验收")
        if g.approved_on and clean["accepted_on"] < g.approved_on:
            raise ValidationError({"accepted_on": "验收日期不能早于批准日期"})
        before = snapshot(g, ("status", *GRANT_ACCEPTANCE.by_name))
        for name, value in clean.items():
            setattr(g, name, value)
        if clean["acceptance_result"] == "合格":
            g.status = "已验收"
        stamp(g, actor)
        s.flush()
        audit(
            s, actor, "update", "grant_project", g.id,
            before=before, after=snapshot(g, ("status", *GRANT_ACCEPTANCE.by_name)),
            summary=f"补助项目 {g.code}“{g.name}”验收：{clean['acceptance_result']}",
        )  # fmt: skip
        return _row(s, g)


def record_performance(
    db: Database, actor: CurrentUser, grant_id: int, evaluation: str, on: date | None = None
) -> GrantRow:
    """绩效评价 closes an accepted, fully paid project (已完成)."""
    actor.require(WRITE)
    evaluation = evaluation.strip()
    if not evaluation:
        raise ValidationError({"performance": "请填写绩效评价"})
    with writing(db, actor) as s:
        g = _get(s, grant_id)
        if g.status != "已验收":
            raise UserError(f"补助项目“{g.name}”{g.status}，验收合格后才能填写绩效评价")
        paid = _paid(s, g.id)
        if paid < (g.approved_amount or 0):
            raise UserError(
                f"补助项目“{g.name}”还有 {yuan((g.approved_amount or 0) - paid)} 未拨付，拨付完毕后再结项"
            )
        g.performance, g.status, g.closed_on = evaluation, "已完成", on or date.today()
        stamp(g, actor)
        s.flush()
        audit(s, actor, "status", "grant_project", g.id, before={"status": "已验收"},
              after={"status": "已完成", "performance": evaluation},
              summary=f"补助项目 {g.code}“{g.name}”绩效评价后结项")  # fmt: skip
        return _row(s, g)


# --- 撤销 --------------------------------------------------------------------------


def revoke(
    db: Database,
    actor: CurrentUser,
    grant_id: int,
    reason: str,
    *,
    returned: object = None,
    returned_on: date | None = None,
    on: date | None = None,
) -> GrantRow:
    """撤销 a project. After any payment the money must be recorded as returned
    (``returned`` = everything paid, ``returned_on``)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写撤销原因"})
    back = 0
    if returned is not None and str(returned).strip():
        try:
            back = read_money(returned)
        except ValueError as exc:
            raise ValidationError({"returned": f"退回金额：{exc}"}) from None
    with writing(db, actor, REVIEW) as s:
        g = _get(s, grant_id)
        if g.status in ("已撤销", "不予批准", "已完成"):
            raise UserError(f"补助项目“{g.name}”已{g.status}，不能撤销")
        paid = _paid(s, g.id)
        if paid and back != paid:
            raise ValidationError(
                {"returned": f"该项目已拨付 {yuan(paid)}，撤销前须登记退回的资金"
                             f"（退回金额应为 {yuan(paid)}，现填 {yuan(back)}）"}
            )  # fmt: skip
        if not paid and back:
            raise ValidationError({"returned": "该项目没有拨付过资金，不需要登记退回"})
        if paid and returned_on is None:
            raise ValidationError({"returned_on": "请填写资金退回日期"})
        before = {"status": g.status}
        g.status, g.revoke_reason, g.closed_on = "已撤销", reason[:200], on or date.today()
        g.returned_amount, g.returned_on = back, returned_on if paid else None
        stamp(g, actor)
        s.flush()
        audit(s, actor, "status", "grant_project", g.id, before=before,
              after={"status": "已撤销", "revoke_reason": g.revoke_reason, "returned_amount": back},
              summary=f"撤销补助项目 {g.code}“{g.name}”：{reason}" + (f"；退回 {yuan(back)}" if back else ""))  # fmt: skip
        return _row(s, g)


# --- budgets (设置) ------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLine:
    kind: str
    budget: int | None
    approved: int
    paid: int

    @property
    def left(self) -> int | None:
        return None if self.budget is None else self.budget - self.approved

    @property
    def over(self) -> bool:
        return self.budget is not None and self.approved > self.budget


def set_budget(db: Database, actor: CurrentUser, year: int, kind: str, amount: object) -> None:
    if kind not in GRANT_KINDS:
        raise ValidationError({"kind": f"类型只能是：{'、'.join(GRANT_KINDS)}"})
    try:
        fen = read_money(amount) if not isinstance(amount, int) else amount
    except ValueError as exc:
        raise ValidationError({"amount": f"预算金额：{exc}"}) from None
    if fen < 0:
        raise ValidationError({"amount": "预算金额不能为负数"})
    with writing(db, actor, ADMIN) as s:
        row = s.scalar(
            select(GrantBudget).where(GrantBudget.year == year, GrantBudget.kind == kind)
        )
        before = None if row is None else {"amount": row.amount}
        if row is None:
            row = GrantBudget(year=year, kind=kind, amount=fen)
            stamp(row, actor, new=True)
            s.add(row)
        else:
            row.amount = fen
            stamp(row, actor)
        s.flush()
        audit(s, actor, "update", "grant_budget", row.id, before=before, after={"amount": fen},
              summary=f"{year}年“{kind}”类补助预算设为 {yuan(fen)}")  # fmt: skip


def budget_summary(db: Database, actor: CurrentUser, year: int) -> list[BudgetLine]:
    """Per 类型: the budget, what is approved (live projects), paid, and left."""
    with reading(db, actor) as s:
        budgets = pairs(
            s.execute(
                select(GrantBudget.kind, GrantBudget.amount).where(GrantBudget.year == year)
            ).all()
        )
        approved = pairs(
            s.execute(
                select(Grant.kind, func.sum(Grant.approved_amount))
                .where(
                    Grant.year == year, Grant.status.in_(("已批准", "拨付中", "已验收", "已完成"))
                )
                .group_by(Grant.kind)
            ).all()
        )
        paid = pairs(
            s.execute(
                select(Grant.kind, func.sum(GrantPayment.amount))
                .join(GrantPayment, GrantPayment.grant_id == Grant.id)
                .where(Grant.year == year)
                .group_by(Grant.kind)
            ).all()
        )
        returned = pairs(
            s.execute(
                select(Grant.kind, func.sum(Grant.returned_amount))
                .where(Grant.year == year)
                .group_by(Grant.kind)
            ).all()
        )
    return [
        BudgetLine(
            k,
            budgets.get(k),
            int(approved.get(k) or 0),
            int(paid.get(k) or 0) - int(returned.get(k) or 0),
        )
        for k in GRANT_KINDS
    ]


def grants_by_ids(db: Database, actor: CurrentUser, ids: Sequence[int]) -> list[GrantRow]:
    with reading(db, actor) as s:
        return [_row(s, _get(s, i)) for i in ids]
