"""帮扶工作统计: a year's aid by project (人次, 户数, 金额), as the upward table asks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Campaign, Payout
from unionsdesk.services.common.base import CurrentUser, reading
from unionsdesk.services.common.codes import label_maps
from unionsdesk.table import Column, Table


def yearly_summary(db: Database, actor: CurrentUser, year: int, office: str = "") -> Table:
    """One GROUP BY over the year's pay-out lines; the total row is the sum of the rows."""
    labels = label_maps(db, ["aid_type"])["aid_type"]
    q = (
        select(
            Campaign.kind,
            func.count(Payout.id),
            func.count(func.distinct(Payout.person_id)),
            func.coalesce(func.sum(Payout.amount), 0),
        )
        .join(Campaign, Campaign.id == Payout.campaign_id)
        .where(Campaign.year == year)
        .group_by(Campaign.kind)
        .order_by(Campaign.kind)
    )
    with reading(db, actor) as s:
        rows = [
            [labels.get(kind, kind), int(n), int(people), int(amount)]
            for kind, n, people, amount in s.execute(q)
        ]
    columns = (
        Column("project", "项目", "text", 20),
        Column("times", "人次", "int", 10),
        Column("people", "人数", "int", 10),
        Column("amount", "金额（元）", "money", 16),
    )
    return Table(
        f"{year}年帮扶工作统计表",
        columns,
        rows,
        subtitle=f"填报单位：{office}    填报日期：{date.today():%Y年%m月%d日}",
        units="元",
        notes=(
            "人数为该项目内不重复的人数；合计行的人数为各项目人数之和，同一人可能领取多个项目。",
        ),
    ).with_totals()
