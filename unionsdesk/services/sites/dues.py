"""会费: a monthly dues list per union (DOMAIN.md §8).

Each member's 会费 is 0.5 % of the month's 工资基数, rounded as 设置 says (to the
fen, the jiao or the yuan, half up). Members on 保留会籍 in that month are waived.
The wage bases come from the unit's Excel (`set_wage_bases`); a member without a
base for the month keeps the one of the month before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database, bulk_insert
from unionsdesk.db.models import Membership, Person, Setting, UnionOrg, new_uuids, now
from unionsdesk.db.models_funds import Dues
from unionsdesk.domain.mask import mask_id
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.services.common.base import ADMIN, PII, WRITE, CurrentUser, audit, reading, writing
from unionsdesk.services.common.settings import put_setting
from unionsdesk.services.sites.specs import DUES_BASE, DUES_ROUNDING

ROUNDING_SETTING = "funds.dues_rounding"
DUES_RATE_PER_MILLE = 5  # 0.5 %
RETAINED = "02"  # member_status 保留会籍
_STEP = {"分": 1, "角": 10, "元": 100}


def dues_amount(wage_base: int, rounding: str = "分") -> int:
    """0.5 % of ``wage_base`` fen, rounded half up to the fen, jiao or yuan."""
    step = _STEP[rounding]
    exact_times_1000 = wage_base * DUES_RATE_PER_MILLE  # fen × 1000
    unit = step * 1000
    return (exact_times_1000 + unit // 2) // unit * step


def get_rounding(db: Database) -> str:
    with db.reading() as s:
        return rounding_in(s)


def rounding_in(s: Session) -> str:
    value = s.scalar(select(Setting.value).where(Setting.key == ROUNDING_SETTING))
    return value if value in _STEP else "分"


def waived_in(status: str, status_date: date | None, year: int, month: int) -> bool:
    """A member on 保留会籍 in that month (from the status date on) pays no dues."""
    return status == RETAINED and (status_date is None or status_date <= _month_end(year, month))


def set_rounding(db: Database, actor: CurrentUser, rounding: str) -> None:
    if rounding not in _STEP:
        raise ValidationError({"rounding": f"会费取整方式只能是：{'、'.join(DUES_ROUNDING)}"})
    with writing(db, actor, ADMIN) as s:
        put_setting(
            s, actor, ROUNDING_SETTING, rounding, summary=f"会费取整方式改为“精确到{rounding}”"
        )


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


@dataclass(frozen=True)
class DuesLine:
    id: int
    person_id: int
    name: str
    id_number: str
    wage_base: int | None
    amount: int
    waived: bool
    paid: bool
    method: str | None


@dataclass(frozen=True)
class DuesBuild:
    lines: int
    waived: int
    without_base: int
    total: int  # fen


def build_dues(
    db: Database,
    actor: CurrentUser,
    union_id: int,
    year: int,
    month: int,
    bases: Mapping[str, int] | None = None,
) -> DuesBuild:
    """Make (or remake) the union's dues list for the month from its active members:
    ``bases`` maps ID number → 工资基数 fen; missing bases come from the month before.
    Lines already marked paid are kept as they are."""
    if not 1 <= month <= 12:
        raise ValidationError({"month": "月份应为 1 到 12"})
    rounding = get_rounding(db)
    end = _month_end(year, month)
    prev_year, prev_month = (year, month - 1) if month > 1 else (year - 1, 12)
    with writing(db, actor, WRITE) as s:
        union = s.get(UnionOrg, union_id)
        if union is None:
            raise UserError(f"工会 {union_id} 不存在")
        retained = and_(
            Membership.status == RETAINED,
            or_(Membership.status_date.is_(None), Membership.status_date <= end),
        )
        # Core rows straight from the connection: a 20 000-member union in ~0.1 s
        members = s.connection().execute(
            select(Membership.id, Membership.person_id, Person.id_number, Person.name,
                   case((retained, 1), else_=0), case((Membership.joined_on <= end, 1), else_=0))
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.union_id == union_id, Membership.active)
        ).all()  # fmt: skip
        on_roll = {m[2] for m in members}
        members = [m for m in members if m[5]]  # joined by the month's end
        if not members:
            raise UserError(f"“{union.name}”在{year}年{month}月没有在册会员")
        known = {str(k).upper(): v for k, v in (bases or {}).items()}
        unknown = set(known) - on_roll
        if unknown:
            shown = "、".join(mask_id(x) for x in sorted(unknown)[:5])
            raise ValidationError({"id_number": f"这些身份证号不是该工会的在册会员：{shown}"})
        previous = {
            mid: base
            for mid, base in s.connection().execute(
                select(Dues.membership_id, Dues.wage_base).where(
                    Dues.union_id == union_id, Dues.year == prev_year, Dues.month == prev_month
                )
            )
        }
        paid_ids = set(
            s.scalars(
                select(Dues.membership_id).where(
                    Dues.union_id == union_id,
                    Dues.year == year,
                    Dues.month == month,
                    Dues.paid,
                    Dues.voided.is_(False),
                )
            )
        )
        s.execute(
            delete(Dues).where(
                Dues.union_id == union_id,
                Dues.year == year,
                Dues.month == month,
                Dues.paid.is_(False),
                Dues.voided.is_(False),
            )
        )
        rows = []
        waived_n = without = total = 0
        for mid, pid, idno, name, waived, _joined in members:
            if mid in paid_ids:
                continue
            base = known.get(idno, previous.get(mid))
            amount = 0 if waived or base is None else dues_amount(base, rounding)
            waived_n += waived
            without += base is None and not waived
            total += amount
            rows.append((mid, pid, name, base, amount, bool(waived)))
        stamp_at = now()
        bulk_insert(
            s.connection(),
            Dues.__table__,
            [(u, *r) for u, r in zip(new_uuids(len(rows)), rows, strict=True)],
            columns=("uuid", "membership_id", "person_id", "name", "wage_base", "amount", "waived"),
            constants={"union_id": union_id, "year": year, "month": month, "paid": False, "voided": False,
                       "created_at": stamp_at, "updated_at": stamp_at, "created_by": actor.login,
                       "updated_by": actor.login, "version": 1},
        )  # fmt: skip
        audit(
            s, actor, "create", "dues", union_id,
            summary=f"生成“{union.name}”{year}年{month}月会费名单：{len(rows)}人，"
                    f"免缴（保留会籍）{waived_n}人，合计 {total / 100:,.2f} 元",
        )  # fmt: skip
        return DuesBuild(len(rows) + len(paid_ids), waived_n, without, total)


def set_wage_bases(
    db: Database,
    actor: CurrentUser,
    union_id: int,
    year: int,
    month: int,
    rows: Sequence[Mapping[str, object]],
) -> DuesBuild:
    """The unit's wage list (身份证号, 工资基数 …), checked row by row (every error at
    once, nothing written), then the month's list is built from it."""
    bases: dict[str, int] = {}
    errors: dict[str, str] = {}
    for n, raw in enumerate(rows, 1):
        try:
            clean = DUES_BASE.clean(raw)
        except ValidationError as exc:
            errors[f"row{n}"] = f"第{n}行：{exc}"
            continue
        if clean["id_number"] in bases:
            errors[f"row{n}"] = f"第{n}行：身份证号重复"
        bases[clean["id_number"]] = clean["wage_base"]
    if errors:
        raise ValidationError(errors)
    return build_dues(db, actor, union_id, year, month, bases)


def dues_list(
    db: Database, actor: CurrentUser, union_id: int, year: int, month: int
) -> list[DuesLine]:
    show = actor.can(PII)
    with reading(db, actor) as s:
        q = (
            select(Dues.id, Dues.person_id, Person.name, Person.id_number, Dues.wage_base,
                   Dues.amount, Dues.waived, Dues.paid, Dues.method)
            .join(Person, Person.id == Dues.person_id)
            .where(Dues.union_id == union_id, Dues.year == year, Dues.month == month,
                   Dues.voided.is_(False))
            .order_by(Person.name_pinyin, Dues.id)
        )  # fmt: skip
        return [
            DuesLine(
                i, pid, name, idno if show else mask_id(idno), base, amount, bool(w), bool(p), m
            )
            for i, pid, name, idno, base, amount, w, p, m in s.connection().execute(q)
        ]


def mark_paid(
    db: Database, actor: CurrentUser, union_id: int, year: int, month: int, method: str = "现金"
) -> int:
    """The union handed in the month's dues: every line not waived is paid."""
    with writing(db, actor, WRITE) as s:
        result = s.execute(
            update(Dues)
            .where(Dues.union_id == union_id, Dues.year == year, Dues.month == month,
                   Dues.waived.is_(False), Dues.paid.is_(False), Dues.voided.is_(False))
            .values(paid=True, method=method[:20], updated_by=actor.login, updated_at=now())
        )  # fmt: skip
        n = int(result.rowcount or 0)  # type: ignore[attr-defined]
        audit(
            s,
            actor,
            "update",
            "dues",
            union_id,
            summary=f"{year}年{month}月会费已收缴：{n}人（{method}）",
        )
        return n


@dataclass(frozen=True)
class DuesTotal:
    union_id: int
    union_name: str
    month: int
    members: int
    waived: int
    amount: int
    paid_amount: int


def dues_totals(
    db: Database, actor: CurrentUser, year: int, union_id: int | None = None
) -> list[DuesTotal]:
    """Totals per union and month."""
    with reading(db, actor) as s:
        q = (
            select(
                Dues.union_id, UnionOrg.name, Dues.month, func.count(),
                func.sum(case((Dues.waived, 1), else_=0)), func.sum(Dues.amount),
                func.sum(case((Dues.paid, Dues.amount), else_=0)),
            )
            .join(UnionOrg, UnionOrg.id == Dues.union_id)
            .where(Dues.year == year, Dues.voided.is_(False))
            .group_by(Dues.union_id, UnionOrg.name, Dues.month)
            .order_by(UnionOrg.name, Dues.month)
        )  # fmt: skip
        if union_id is not None:
            q = q.where(Dues.union_id == union_id)
        return [
            DuesTotal(u, name, m, n, int(w or 0), int(a or 0), int(p or 0))
            for u, name, m, n, w, a, p in s.execute(q)
        ]
