"""互助保障费 receipts: the 收款收据 the office gives a unit for its 参保登记.

The number comes from the gapless series 互助保障费 when the payment is recorded
(`enrolments.record_payment`); this module prints it with the shared receipt
layout (`printing.receipt.CollectionReceipt`: 存根/收据/记账, 套打 offsets, the
amount in figures and 大写). Every print is counted in the audit log
(``print_receipt`` on the enrolment): from the second print on the receipt says
补打. A voided enrolment's receipt keeps its number and prints 作废.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog, UnionOrg
from unionsdesk.db.models_mutual import MutualEnrolment, MutualInsured, MutualPlan
from unionsdesk.errors import UserError
from unionsdesk.services.common.base import READ, WRITE, CurrentUser, audit, reading, writing

ENTITY = "mutual_enrolment"
PRINT_ACTION = "print_receipt"
TITLE = "互助保障费收据"


@dataclass(frozen=True)
class CollectionReceiptInfo:
    enrolment_id: int
    receipt_no: str | None  # None until the payment is recorded
    paid_on: date | None
    unit: str  # 交款单位
    plan_name: str
    period: int
    starts_on: date
    ends_on: date
    people: int  # 人次
    shares: int  # 份数 in all
    shares_each: int | None  # 每人份数 when everyone took the same
    fee: int  # 单价, fen per share
    amount: int  # fen
    voided: bool
    print_count: int  # prints so far; the next one is a 补打 when > 0

    @property
    def item(self) -> str:
        """项目 as printed: 互助保障费, the plan, the period and its cover."""
        return (
            f"互助保障费　{self.plan_name}　{self.period}期"
            f"（{self.starts_on:%Y年%m月%d日}至{self.ends_on:%Y年%m月%d日}）"
        )


_NUMBER = re.compile(r"(\d{4})-0*(\d{1,6})")


def find_enrolment_id(db: Database, actor: CurrentUser, key: str | int) -> int:
    """The enrolment a clerk means by ``key``: a receipt number (2026-000012, also
    with "No." or a full-width dash) or the enrolment's number (登记ID, digits)."""
    text = str(key).strip().replace("－", "-").replace("—", "-").removeprefix("No.").strip()
    with reading(db, actor, READ) as s:
        if text.isdigit():
            found = s.scalar(select(MutualEnrolment.id).where(MutualEnrolment.id == int(text)))
            if found is None:
                raise UserError(f"没有编号为 {text} 的参保登记")
            return found
        match = _NUMBER.fullmatch(text)
        if match is None:
            raise UserError(f"请给出收据号（如 2026-000012）或参保登记编号（数字）：{key}")
        number = f"{match[1]}-{int(match[2]):06d}"
        found = s.scalar(select(MutualEnrolment.id).where(MutualEnrolment.receipt_no == number))
        if found is None:
            raise UserError(f"没有收据号为 {number} 的互助保障费收据")
        return found


def _print_count(s: Session, enrolment_id: int) -> int:
    return int(
        s.scalar(
            select(func.count()).where(
                AuditLog.entity == ENTITY,
                AuditLog.entity_id == enrolment_id,
                AuditLog.action == PRINT_ACTION,
            )
        )
        or 0
    )


def _info(s: Session, enrolment_id: int) -> CollectionReceiptInfo:
    row = s.execute(
        select(MutualEnrolment, UnionOrg.name, MutualPlan.name, MutualPlan.fee)
        .join(UnionOrg, UnionOrg.id == MutualEnrolment.union_id)
        .join(MutualPlan, MutualPlan.id == MutualEnrolment.plan_id)
        .where(MutualEnrolment.id == enrolment_id)
    ).first()
    if row is None:
        raise UserError("该参保登记不存在")
    e, unit, plan, fee = row
    each = list(
        s.scalars(
            select(MutualInsured.shares)
            .where(MutualInsured.enrolment_id == enrolment_id)
            .distinct()
            .limit(2)
        )
    )
    return CollectionReceiptInfo(
        enrolment_id=e.id, receipt_no=e.receipt_no, paid_on=e.paid_on, unit=unit, plan_name=plan,
        period=e.period, starts_on=e.starts_on, ends_on=e.ends_on, people=e.people,
        shares=e.shares, shares_each=each[0] if len(each) == 1 else None, fee=fee,
        amount=e.amount, voided=e.voided, print_count=_print_count(s, e.id),
    )  # fmt: skip


def receipt_info(db: Database, actor: CurrentUser, enrolment_id: int) -> CollectionReceiptInfo:
    with reading(db, actor, READ) as s:
        return _info(s, enrolment_id)


def record_receipt_print(
    db: Database, actor: CurrentUser, enrolment_id: int
) -> CollectionReceiptInfo:
    """Count one print of the enrolment's receipt (the second and later are 补打)."""
    with writing(db, actor, WRITE) as s:
        e = s.get(MutualEnrolment, enrolment_id, with_for_update=True)  # one count at a time
        if e is None:
            raise UserError("该参保登记不存在")
        if e.receipt_no is None:
            raise UserError("该参保登记还没有收款，没有收据可打印（请先“收款…”）")
        count = _print_count(s, e.id) + 1
        what = "补打" if count > 1 else "打印"
        audit(s, actor, PRINT_ACTION, ENTITY, e.id, after={"receipt_no": e.receipt_no, "print_count": count},
              summary=f"{what}互助保障费收据 No.{e.receipt_no}")  # fmt: skip
        s.flush()
        return _info(s, e.id)


def receipt_pdf(
    db: Database,
    actor: CurrentUser,
    enrolment_id: int,
    path: str | Path,
    *,
    record: bool = True,
    **progress: Any,
) -> CollectionReceiptInfo:
    """Print the enrolment's 互助保障费 receipt to ``path`` (A4, three parts or one part
    a page as the office chose in 设置, 套打 offsets applied). With ``record`` the print
    is counted first; without, the PDF shows what the next print will be (a preview
    whose print the caller records with `record_receipt_print`)."""
    from unionsdesk.printing.receipt import CollectionReceipt, render_receipts_pdf
    from unionsdesk.services.common.office import get_office
    from unionsdesk.services.common.settings import (
        get_print_offsets,
        get_receipt_one_part_per_page,
    )

    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise UserError(f"输出文件应以 .pdf 结尾：{path}")
    if not path.parent.is_dir():
        raise UserError(f"输出目录不存在：{path.parent}")
    info = receipt_info(db, actor, enrolment_id)
    if info.receipt_no is None:
        raise UserError("该参保登记还没有收款，没有收据可打印（请先“收款…”）")
    if record:
        info = record_receipt_print(db, actor, enrolment_id)
    office = get_office(db)
    offsets = get_print_offsets(db)
    paper = CollectionReceipt(
        number=info.receipt_no or "", date=info.paid_on or "", payer=info.unit, item=info.item,
        amount=info.amount, payee=office.name, people=info.people, shares=info.shares,
        unit_price=info.fee, shares_each=info.shares_each, cashier=actor.display_name,
        leader=office.leader, void=info.voided,
        reprint=info.print_count > (1 if record else 0), title=TITLE,
    )  # fmt: skip
    render_receipts_pdf(
        [paper],
        path,
        offset_mm=(offsets.x_mm, offsets.y_mm),
        one_part_per_page=get_receipt_one_part_per_page(db),
        **progress,
    )
    return info


def numbers_used(s: Session, year: int) -> dict[int, tuple[str, str | None]]:
    """号码核对 (`services.aid.receipts.gap_report`) of the series 互助保障费: number →
    (已开具 or 已作废, the paying unit) for ``year``'s receipts."""
    prefix = f"{year}-"
    q = select(MutualEnrolment.receipt_no, MutualEnrolment.voided, MutualEnrolment.unit).where(
        MutualEnrolment.receipt_no.like(f"{prefix}%")
    )
    return {
        int(number[len(prefix) :]): ("已作废" if voided else "已开具", unit)
        for number, voided, unit in s.execute(q)
    }
