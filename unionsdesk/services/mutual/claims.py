"""理赔/给付 rules and the monthly payment batch (the register itself is
`services.mutual.registers`): a claim for one insured person, 受理 → 审核 → 已给付 / 拒付.

Hard checks: the person was insured in the plan on the 事故/诊断日期 (a claim
dated before the cover began is refused); the plan pays that claim type; the
核定金额 is not above the plan's 给付标准 × the person's 份数. Warnings: a
disability claim less than 180 days after the incident (disability is judged
after 180 days of treatment), papers missing from the type's checklist.
已给付 claims are paid on a 给付签收表 per month (the sign-off sheet printer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Person
from unionsdesk.db.models_mutual import MutualClaim, MutualEnrolment, MutualInsured, MutualPlan
from unionsdesk.domain.mask import mask_id
from unionsdesk.domain.money import format_yuan, from_fen
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.services.common.base import (
    PII,
    READ,
    REVIEW,
    WRITE,
    CurrentUser,
    audit,
    reading,
    stamp,
    writing,
)
from unionsdesk.services.mutual.enrolments import covers_of, insured_cover
from unionsdesk.services.mutual.specs import MATERIALS

DISABILITY_DAYS = 180
# status → the statuses it may move to
NEXT_STATUS = {
    "受理": ("审核", "拒付"),
    "审核": ("已给付", "拒付", "受理"),
    "已给付": (),
    "拒付": (),
}
_STORED = ("claim_type", "disability_grade", "incident_on", "received_on", "materials",
           "requested", "approved", "status", "reject_reason", "paid_on", "notes")  # fmt: skip


@dataclass(frozen=True)
class ClaimRow:
    id: int
    name: str
    id_number: str  # masked without pii.view
    union_name: str
    plan_id: int
    plan_name: str
    claim_type: str
    disability_grade: int | None
    incident_on: date
    received_on: date
    materials: str | None
    requested: int
    approved: int | None
    status: str
    reject_reason: str | None
    paid_on: date | None
    notes: str | None
    version: int

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name, "id_number": self.id_number, "plan": self.plan_name,
            "claim_type": self.claim_type, "disability_grade": self.disability_grade,
            "incident_on": self.incident_on, "received_on": self.received_on,
            "materials": self.materials, "requested": self.requested, "approved": self.approved,
            "status": self.status, "reject_reason": self.reject_reason, "paid_on": self.paid_on,
            "notes": self.notes,
        }  # fmt: skip


def _query() -> Select[Any]:
    from unionsdesk.db.models import UnionOrg

    return (
        select(MutualClaim, MutualClaim.name, Person.id_number, UnionOrg.name, MutualPlan.name)
        .join(Person, Person.id == MutualClaim.person_id)
        .join(MutualPlan, MutualPlan.id == MutualClaim.plan_id)
        .join(MutualInsured, MutualInsured.id == MutualClaim.insured_id)
        .join(MutualEnrolment, MutualEnrolment.id == MutualInsured.enrolment_id)
        .join(UnionOrg, UnionOrg.id == MutualEnrolment.union_id)
        .where(MutualClaim.voided.is_(False))
    )


def _row(c: MutualClaim, name: str, number: str, union: str, plan: str, pii: bool) -> ClaimRow:
    return ClaimRow(
        c.id, name, number if pii else mask_id(number), union, c.plan_id, plan, c.claim_type,
        c.disability_grade, c.incident_on, c.received_on, c.materials, c.requested, c.approved,
        c.status, c.reject_reason, c.paid_on, c.notes, c.version,
    )  # fmt: skip


def list_claims(
    db: Database,
    actor: CurrentUser,
    *,
    year: int | None = None,
    status: str | None = None,
    paid_month: tuple[int, int] | None = None,
) -> list[ClaimRow]:
    q = _query()
    if year is not None:
        q = q.where(
            MutualClaim.received_on >= date(year, 1, 1),
            MutualClaim.received_on <= date(year, 12, 31),
        )
    if status is not None:
        q = q.where(MutualClaim.status == status)
    if paid_month is not None:
        first, last = _month(*paid_month)
        q = q.where(
            MutualClaim.status == "已给付",
            MutualClaim.paid_on >= first,
            MutualClaim.paid_on <= last,
        )
    with reading(db, actor, READ) as s:
        pii = actor.can(PII)
        rows = s.execute(q.order_by(MutualClaim.received_on.desc(), MutualClaim.id.desc()))
        return [_row(c, n, num, u, pl, pii) for c, n, num, u, pl in rows]


def get_claim(db: Database, actor: CurrentUser, claim_id: int) -> ClaimRow:
    with reading(db, actor, READ) as s:
        r = s.execute(_query().where(MutualClaim.id == claim_id)).first()
        if r is None:
            raise UserError("该理赔申请不存在")
        return _row(r[0], r[1], r[2], r[3], r[4], actor.can(PII))


def _month(year: int, month: int) -> tuple[date, date]:
    import calendar

    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def check_claim(
    s: Session, clean: dict[str, Any], plan: MutualPlan, person: Person | None, today: date
) -> tuple[MutualInsured, list[str]]:
    """The hard checks (raise `ValidationError`) and the warnings (returned)."""
    from unionsdesk.services.mutual.specs import parse_benefits

    errors: dict[str, str] = {}
    incident: date = clean["incident_on"]
    received: date = clean["received_on"]
    if received > today:
        errors["received_on"] = "受理日期不能晚于今天"
    if incident > received:
        errors["incident_on"] = "事故/诊断日期不能晚于受理日期"
    benefits = parse_benefits(plan.benefits)
    kind = clean["claim_type"]
    if kind not in benefits:
        errors["claim_type"] = f"“{plan.name}”没有“{kind}”给付（可给付：{'、'.join(benefits)}）"
    if clean["requested"] <= 0:
        errors["requested"] = "申请金额应大于0"
    if errors:
        raise ValidationError(errors)
    if person is None:
        raise ValidationError({"id_number": f"{clean['name']}没有参加“{plan.name}”"})
    cover = insured_cover(s, person.id, plan.id, incident)
    if cover is None:
        periods = covers_of(s, person.id, plan.id)
        if not periods:
            raise ValidationError({"id_number": f"{person.name}没有参加“{plan.name}”"})
        shown = "、".join(f"{a:%Y-%m-%d}至{b:%Y-%m-%d}" for a, b in periods)
        raise ValidationError(
            {
                "incident_on": f"事故/诊断日期{incident:%Y-%m-%d}不在{person.name}参保“{plan.name}”的保障期内（{shown}）"
            }
        )
    insured = cover[0]
    limit = benefits[kind] * insured.shares
    if clean.get("approved") is not None:
        if clean["approved"] < 0:
            raise ValidationError({"approved": "核定金额不能为负数"})
        if clean["approved"] > limit:
            raise ValidationError(
                {"approved": f"核定金额超过给付标准：{kind}每份{format_yuan(from_fen(benefits[kind]))}，"
                             f"{insured.shares}份共{format_yuan(from_fen(limit))}"}
            )  # fmt: skip
    warnings = []
    if kind == "意外伤残" and (received - incident).days < DISABILITY_DAYS:
        warnings.append(
            f"事故后{(received - incident).days}天即申请伤残给付：伤残一般在治疗满{DISABILITY_DAYS}天后评定"
        )
    if kind == "意外伤残" and not clean.get("disability_grade"):
        warnings.append("伤残给付未填写伤残等级")
    have = set((clean.get("materials") or "").split("、"))
    missing = [m for m in MATERIALS[kind] if m not in have]
    if missing and clean.get("status") in ("审核", "已给付"):
        warnings.append(f"材料不全：缺{'、'.join(missing)}")
    return insured, warnings


def check_status(clean: dict[str, Any], before: str | None) -> None:
    status = clean["status"] or "受理"
    clean["status"] = status
    if before is not None and status != before and status not in NEXT_STATUS[before]:
        raise ValidationError({"status": f"状态不能从“{before}”改为“{status}”"})
    errors: dict[str, str] = {}
    if status in ("审核", "已给付") and clean.get("approved") is None:
        errors["approved"] = f"“{status}”须填写核定金额"
    if status == "已给付" and clean.get("paid_on") is None:
        errors["paid_on"] = "已给付须填写给付日期"
    if status != "已给付" and clean.get("paid_on") is not None:
        errors["paid_on"] = "只有已给付的申请才填写给付日期"
    if status == "拒付" and not clean.get("reject_reason"):
        errors["reject_reason"] = "拒付须填写原因"
    if clean.get("paid_on") and clean["paid_on"] < clean["received_on"]:
        errors["paid_on"] = "给付日期不能早于受理日期"
    if errors:
        raise ValidationError(errors)


def pay_claims(
    db: Database, actor: CurrentUser, claim_ids: list[int], paid_on: date | None = None
) -> int:
    """Mark reviewed (审核) claims 已给付 on ``paid_on`` — a month's batch."""
    paid_on = paid_on or date.today()
    if paid_on > date.today():
        raise ValidationError({"paid_on": "给付日期不能晚于今天"})
    actor.require(REVIEW)
    with writing(db, actor, WRITE) as s:
        for cid in claim_ids:
            c = s.get(MutualClaim, cid)
            if c is None:
                raise UserError(f"理赔申请 {cid} 不存在")
            if c.status != "审核":
                raise UserError(f"理赔申请 {cid} 的状态是“{c.status}”，审核后才能给付")
            if paid_on < c.received_on:
                raise UserError(f"理赔申请 {cid} 的给付日期不能早于受理日期")
            c.status, c.paid_on = "已给付", paid_on
            stamp(c, actor)
            audit(s, actor, "status", "mutual_claim", c.id, before={"status": "审核"},
                  after={"status": "已给付", "paid_on": paid_on})  # fmt: skip
    return len(claim_ids)


def payment_sheet(
    db: Database, actor: CurrentUser, year: int, month: int, office: str, *, public: bool = False
) -> Any:
    """The month's 给付签收表 (a `printing.signoff.SignoffSheet`) of the 已给付 claims."""
    from unionsdesk.printing.signoff import SignoffRow, SignoffSheet

    claims = sorted(
        list_claims(db, _full(actor), paid_month=(year, month)), key=lambda c: (c.paid_on, c.id)
    )
    if not claims:
        raise UserError(f"{year}年{month}月没有已给付的互助保障申请")
    rows = [
        SignoffRow(
            c.name,
            c.id_number,
            c.claim_type,
            c.approved or 0,
            c.plan_name.removesuffix("互助保障计划"),
        )
        for c in claims
    ]
    return SignoffSheet(
        office=office,
        title=f"{office}职工互助保障给付签收表（{year}年{month}月）",
        approval_ref=f"给付批次 {year}-{month:02d}",
        date=claims[-1].paid_on or date(year, month, 1),
        rows=rows,
        public=public,
    )


def _full(actor: CurrentUser) -> CurrentUser:
    """The printed sheet carries full ID numbers (masking is the 公示 copy's choice)."""
    actor.require(PII)
    return actor
