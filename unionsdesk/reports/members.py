"""工会组织和会员情况: member counts by union and by township/industry union."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Integer, case, cast, func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, Person
from unionsdesk.services.common.base import CurrentUser, reading
from unionsdesk.services.members.unions import township_resolver
from unionsdesk.table import Column, Table

# 新就业形态 categories shown in their own column (the national focus groups); others are summed.
FOCUS = (("01", "货车司机"), ("02", "快递员"), ("03", "外卖送餐员"), ("04", "网约车司机"))


@dataclass(frozen=True)
class MemberStats:
    by_union: Table
    by_township: Table


def _columns(first: str) -> tuple[Column, ...]:
    return (
        Column("unit", first, "text", 30),
        Column("members", "会员数", "int", 8),
        Column("women", "女会员", "int", 8),
        Column("migrant", "农民工会员", "int", 9),
        Column("new_form", "新就业形态会员", "int", 10),
        *(Column(f"cat{code}", label, "int", 9) for code, label in FOCUS),
        Column("cat_other", "其他新就业形态", "int", 10),
        Column("joined", "本年新入会", "int", 9),
    )


def member_statistics(
    db: Database, actor: CurrentUser, year: int | None = None, office: str = ""
) -> MemberStats:
    """Counts of active members; every total is the sum of the rows above it."""
    year = year or date.today().year
    start = date(year, 1, 1)

    def flag(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(cast(case((cond, 1), else_=0), Integer))

    q = (
        select(
            Membership.union_id,
            func.count(),
            flag(Person.sex == "女"),
            flag(Membership.migrant_worker.is_(True)),
            flag(Membership.new_employment.is_not(None)),
            *(flag(Membership.new_employment == code) for code, _ in FOCUS),
            flag(Membership.new_employment.not_in([c for c, _ in FOCUS])),
            flag(Membership.joined_on >= start),
        )
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.active)
        .group_by(Membership.union_id)
    )
    with reading(db, actor) as s:
        counts = {r[0]: [int(v or 0) for v in r[1:]] for r in s.execute(q)}
        names, township = township_resolver(s)

    subtitle = f"填报单位：{office}    统计日期：{date.today():%Y年%m月%d日}    “本年”指{year}年"
    union_rows = sorted(
        ([names[uid], *vals] for uid, vals in counts.items()), key=lambda r: str(r[0])
    )
    per_town: dict[str, list[int]] = {}
    for uid, vals in counts.items():
        acc = per_town.setdefault(township(uid), [0] * len(vals))
        for i, v in enumerate(vals):
            acc[i] += v
    town_rows = [[name, *vals] for name, vals in sorted(per_town.items())]
    by_union = Table(
        "工会会员情况（按基层工会）",
        _columns("工会名称"),
        union_rows,
        subtitle=subtitle,
        units="人",
    ).with_totals()
    by_town = Table(
        "工会会员情况（按乡镇/产业工会）",
        _columns("乡镇（街道）/产业工会"),
        town_rows,
        subtitle=subtitle,
        units="人",
    ).with_totals()
    return MemberStats(by_union, by_town)
