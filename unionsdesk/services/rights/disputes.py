"""劳动争议调解台账 and the 调解委员会 roll (DOMAIN.md §6).

The 15-day rule: a case counts calendar days from its 受理日期 (the day it was
received is day 0, the next day is day 1). From day 12 an open case is amber;
from day 15 it is red — the parties may apply for arbitration (可申请仲裁).

案号 are numbered per year without gaps, in the office's format (setting
``rights.case_no_format``), from the same locked series table as receipts
(``receipts.next_number``), so two clerks saving at once never get the same
number, on SQLite or PostgreSQL. A number is never reused.

Privacy: dispute records are visible only with 维权查看 (``RIGHTS``). The register
itself (create, change, lists, import, export) is `services.rights.registers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Person, Setting
from unionsdesk.db.models_rights import Dispute, Mediator
from unionsdesk.domain.mask import mask_id
from unionsdesk.errors import ValidationError
from unionsdesk.services.common.base import (
    PII,
    RIGHTS,
    CurrentUser,
    reading,
)

AMBER_DAY = 12
RED_DAY = 15
CASE_SERIES = "调解案号"
CASE_FORMAT = "rights.case_no_format"
NUMBER_FIELD = "{号}"
YEAR_FIELD = "{年}"

State = Literal["closed", "normal", "amber", "red"]
STATE_TEXT = {"closed": "已结案", "normal": "调解中", "amber": "即将到期", "red": "可申请仲裁"}


def days_open(received_on: date, today: date) -> int:
    """Calendar days since 受理日期 (the day of receipt is day 0)."""
    return (today - received_on).days


def deadline_state(received_on: date, closed_on: date | None, today: date) -> State:
    if closed_on is not None:
        return "closed"
    days = days_open(received_on, today)
    if days >= RED_DAY:
        return "red"
    if days >= AMBER_DAY:
        return "amber"
    return "normal"


# --- 案号 ------------------------------------------------------------------------


def default_case_format(office_name: str) -> str:
    """〔{年}〕示工调字第{号}号: the office's first character stands for the county."""
    short = office_name.strip()[:1] or "X"
    return f"〔{YEAR_FIELD}〕{short}工调字第{NUMBER_FIELD}号"


def format_case_no(template: str, year: int, seq: int) -> str:
    return template.replace(YEAR_FIELD, str(year)).replace(NUMBER_FIELD, f"{seq:03d}")


def check_case_format(template: str) -> str:
    template = template.strip()
    if NUMBER_FIELD not in template:
        raise ValidationError({"case_no_format": f"案号格式中必须有“{NUMBER_FIELD}”（序号）"})
    if YEAR_FIELD not in template:
        raise ValidationError({"case_no_format": f"案号格式中必须有“{YEAR_FIELD}”（年份）"})
    if len(format_case_no(template, 2026, 999)) > 60:
        raise ValidationError({"case_no_format": "案号格式太长（最多60个字）"})
    return template


def case_format(s: Session) -> str:
    stored = s.scalar(select(Setting.value).where(Setting.key == CASE_FORMAT))
    if stored:
        return stored
    from unionsdesk.db.models import Office

    office = s.scalar(select(Office.name).order_by(Office.id))
    return default_case_format(office or "")


def get_case_format(db: Database) -> str:
    with db.reading() as s:
        return case_format(s)


def set_case_format(db: Database, actor: CurrentUser, template: str) -> str:
    from unionsdesk.services.common.settings import set_settings

    clean = check_case_format(template)
    set_settings(db, actor, {CASE_FORMAT: clean})
    return clean


# --- values --------------------------------------------------------------------


@dataclass(frozen=True)
class DisputeRow:
    """One line of the 台账 list."""

    id: int
    case_no: str
    received_on: date
    request_mode: str
    name: str
    id_number: str  # masked without pii.view
    respondent: str
    dispute_types: str
    collective: bool
    claim_amount: int | None
    mediator: str
    result: str | None
    agreement_amount: int | None
    closed_on: date | None
    days: int  # 已用天数 (to the 结案日期 for a closed case)
    state: State
    version: int

    @property
    def status(self) -> str:
        if self.state == "closed":
            return f"已结案（{self.result}）" if self.result else "已结案"
        return STATE_TEXT[self.state]


def _base_query() -> Select[Any]:
    return (
        select(Dispute, Dispute.name, Person.id_number, Mediator.name)
        .join(Person, Person.id == Dispute.person_id)
        .outerjoin(Mediator, Mediator.id == Dispute.mediator_id)
    )


def _row(
    d: Dispute, name: str, number: str, mediator: str | None, pii: bool, today: date
) -> DisputeRow:
    end = d.closed_on or today
    return DisputeRow(
        d.id, d.case_no, d.received_on, d.request_mode, name, number if pii else mask_id(number),
        d.respondent, d.dispute_types, d.collective, d.claim_amount, mediator or "", d.result,
        d.agreement_amount, d.closed_on, days_open(d.received_on, end),
        deadline_state(d.received_on, d.closed_on, today), d.version,
    )  # fmt: skip


def open_cases_by_age(
    db: Database, actor: CurrentUser, *, limit: int = 20, today: date | None = None
) -> list[DisputeRow]:
    """Open cases, oldest first: the 首页 reminder list (empty without 维权查看)."""
    if not actor.can(RIGHTS):
        return []
    today = today or date.today()
    q = _base_query().where(Dispute.closed_on.is_(None), Dispute.voided.is_(False))
    with reading(db, actor, RIGHTS) as s:
        pii = actor.can(PII)
        rows = s.execute(q.order_by(Dispute.received_on, Dispute.id).limit(limit))
        return [_row(d, n, num, m, pii, today) for d, n, num, m in rows]


# --- summary ---------------------------------------------------------------------


@dataclass(frozen=True)
class RightsSummary:
    received: int
    closed: int
    pending: int
    overdue: int  # open past day 15
    collective: int
    agreed_money: int  # fen: 协议金额 of agreed cases


def dispute_summary(
    db: Database, actor: CurrentUser, since: date, until: date, *, today: date | None = None
) -> RightsSummary:
    """Cases received in [since, until]: for the 维权 statistics."""
    today = today or date.today()
    cutoff = date.fromordinal(today.toordinal() - RED_DAY)
    base = (Dispute.received_on >= since, Dispute.received_on <= until, Dispute.voided.is_(False))
    with reading(db, actor, RIGHTS) as s:

        def count(*cond: Any) -> int:
            return s.scalar(select(func.count(Dispute.id)).where(*base, *cond)) or 0

        money = s.scalar(
            select(func.coalesce(func.sum(Dispute.agreement_amount), 0)).where(
                *base, Dispute.result == "达成协议"
            )
        )
        return RightsSummary(
            count(), count(Dispute.closed_on.is_not(None)), count(Dispute.closed_on.is_(None)),
            count(Dispute.closed_on.is_(None), Dispute.received_on <= cutoff),
            count(Dispute.collective), int(money or 0),
        )  # fmt: skip
