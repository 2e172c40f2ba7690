"""互助保障 plans as values: fee per share, 给付标准 per claim type, unit enrolment rules
(the register itself is `services.mutual.registers`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models_mutual import MutualPlan
from unionsdesk.errors import UserError
from unionsdesk.services.common.base import (
    READ,
    CurrentUser,
    reading,
)
from unionsdesk.services.mutual.specs import benefits_text, parse_benefits


@dataclass(frozen=True)
class Plan:
    id: int
    name: str
    term_months: int
    fee: int  # fen per share
    benefits: dict[str, int]  # claim type → 给付标准 per share, fen
    women_only: bool
    min_insured: int | None
    min_share: int | None  # % of the unit's eligible members
    valid_until: date | None
    notes: str | None
    version: int

    def values(self) -> dict[str, Any]:
        """Field values for the form (benefits as text)."""
        return {
            "name": self.name, "term_months": self.term_months, "fee": self.fee,
            "benefits": benefits_text(self.benefits), "women_only": self.women_only,
            "min_insured": self.min_insured, "min_share": self.min_share,
            "valid_until": self.valid_until, "notes": self.notes,
        }  # fmt: skip

    def open_on(self, on: date) -> bool:
        return self.valid_until is None or on <= self.valid_until


def plan_value(p: MutualPlan) -> Plan:
    return Plan(
        p.id, p.name, p.term_months, p.fee, parse_benefits(p.benefits), p.women_only, p.min_insured,
        p.min_share, p.valid_until, p.notes, p.version,
    )  # fmt: skip


def find_plan(s: Session, name_or_id: str | int) -> MutualPlan:
    """A plan by id or by (part of) its name."""
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        p = s.get(MutualPlan, int(name_or_id))
        if p is not None:
            return p
    text = str(name_or_id).strip()
    live = MutualPlan.voided.is_(False)
    exact = s.scalar(select(MutualPlan).where(MutualPlan.name == text, live))
    if exact is not None:
        return exact
    like = list(s.scalars(select(MutualPlan).where(MutualPlan.name.like(f"%{text}%"), live)))
    if len(like) == 1:
        return like[0]
    if not like:
        raise UserError(f"没有名为“{text}”的互助保障计划")
    raise UserError(f"“{text}”对应多个计划：{'、'.join(p.name for p in like)}，请写全称")


def get_plan(db: Database, actor: CurrentUser, name_or_id: str | int) -> Plan:
    with reading(db, actor, READ) as s:
        return plan_value(find_plan(s, name_or_id))


def plan_names(db: Database, actor: CurrentUser) -> list[str]:
    """Names of the plans in force (for drop-downs)."""
    with reading(db, actor, READ) as s:
        q = select(MutualPlan.name).where(MutualPlan.voided.is_(False)).order_by(MutualPlan.id)
        return list(s.scalars(q))
