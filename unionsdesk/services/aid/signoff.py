"""发放签收表: the printed roll of a campaign (per union or township). The first
print freezes the list; every later print is a 补打 and is logged, with what
changed since the last print."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import SignoffSheet, UnionOrg
from unionsdesk.errors import UserError
from unionsdesk.services.aid.campaigns import get_campaign, list_payouts
from unionsdesk.services.common.base import WRITE, CurrentUser, audit, stamp, writing
from unionsdesk.services.members.members import subtree_ids


@dataclass(frozen=True)
class SheetLine:
    name: str
    id_number: str  # full; the printer masks it for 公示 copies
    category: str
    amount: int  # fen
    union_name: str
    note: str


@dataclass(frozen=True)
class SheetPrint:
    sheet_id: int
    campaign_name: str
    approval_ref: str | None
    scope: str  # union/township name or 全部
    lines: list[SheetLine]
    print_count: int

    @property
    def reprint(self) -> bool:
        return self.print_count > 1


def print_signoff(
    db: Database, actor: CurrentUser, campaign_id: int, union_id: int | None = None
) -> SheetPrint:
    """Record a print of the sheet and return the lines to print (frozen at first print)."""
    c = get_campaign(db, actor, campaign_id)
    if c.status == "草拟":
        raise UserError("活动尚在草拟，审核后才能打印签收表")
    with writing(db, actor, WRITE) as s:
        scope = "全部"
        union_ids = None
        if union_id is not None:
            u = s.get(UnionOrg, union_id)
            if u is None:
                raise UserError("该工会不存在")
            scope, union_ids = u.name, subtree_ids(s, union_id)
    # full ID numbers are frozen; masking for 公示 happens when printing
    payouts = list_payouts(
        db,
        actor.__class__(actor.id, actor.login, actor.display_name, actor.role),
        campaign_id,
        union_ids,
    )
    if not payouts:
        raise UserError("该范围内没有发放名单")
    current = [
        {"name": p.name, "id_number": p.id_number, "category": p.category or "", "amount": p.amount,
         "union_name": p.union_name, "note": p.item or ""}
        for p in payouts
    ]  # fmt: skip
    with writing(db, actor, WRITE) as s:
        sheet = s.scalar(
            select(SignoffSheet).where(
                SignoffSheet.campaign_id == campaign_id, SignoffSheet.union_id.is_(union_id)
            )
            if union_id is None
            else select(SignoffSheet).where(
                SignoffSheet.campaign_id == campaign_id, SignoffSheet.union_id == union_id
            )
        )
        if sheet is None:
            sheet = SignoffSheet(
                campaign_id=campaign_id,
                union_id=union_id,
                rows=json.dumps(current, ensure_ascii=False),
                print_count=1,
            )
            stamp(sheet, actor, new=True)
            s.add(sheet)
            s.flush()
            audit(
                s,
                actor,
                "print",
                "signoff",
                sheet.id,
                after={"lines": len(current)},
                summary=f"打印签收表：{c.name}（{scope}）",
            )
        else:
            frozen: list[dict[str, Any]] = json.loads(sheet.rows)
            sheet.print_count += 1
            changed = frozen != current
            if changed:
                sheet.rows = json.dumps(current, ensure_ascii=False)
            stamp(sheet, actor)
            s.flush()
            audit(s, actor, "reprint", "signoff", sheet.id, before={"lines": len(frozen)}, after={"lines": len(current)},
                  summary=f"补打签收表：{c.name}（{scope}）" + ("，名单有变动" if changed else ""))  # fmt: skip
        lines = [SheetLine(**row) for row in json.loads(sheet.rows)]
        return SheetPrint(sheet.id, c.name, c.approval_ref, scope, lines, sheet.print_count)
