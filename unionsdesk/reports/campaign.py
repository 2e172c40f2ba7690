"""Campaign summary: counts and amounts by township, union, category and form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from unionsdesk.db.engine import Database
from unionsdesk.services.aid.campaigns import PayoutRow, get_campaign, list_payouts
from unionsdesk.services.common.base import CurrentUser, reading
from unionsdesk.services.members.unions import NO_UNION, township_resolver
from unionsdesk.table import Column, Table


def campaign_summary(
    db: Database, actor: CurrentUser, campaign_id: int, office: str = ""
) -> list[Table]:
    """Four tables (by township, union, category, form); each total is the sum of its rows."""
    c = get_campaign(db, actor, campaign_id)
    lines = list_payouts(db, actor, campaign_id)
    with reading(db, actor) as s:
        _names, township = township_resolver(s)
    groupings: list[tuple[str, str, Callable[[PayoutRow], str]]] = [
        ("乡镇（街道）/产业工会", "按乡镇/产业", lambda p: township(p.union_id)),
        ("基层工会", "按基层工会", lambda p: p.union_name or NO_UNION),
        ("类别", "按类别", lambda p: p.category or "（未分类）"),
        ("发放形式", "按发放形式", lambda p: p.form),
    ]
    subtitle = (
        f"填报单位：{office}    批准文号：{c.approval_ref or '（未填）'}    "
        f"预算：{c.budget / 100:,.2f}元    统计日期：{date.today():%Y年%m月%d日}"
    )
    tables = []
    for label, suffix, key in groupings:
        groups: dict[str, list[int]] = {}
        for p in lines:
            acc = groups.setdefault(key(p), [0, 0])
            acc[0] += 1
            acc[1] += p.amount
        rows = [[name, n, amount] for name, (n, amount) in sorted(groups.items())]
        columns = (
            Column("group", label, "text", 28),
            Column("people", "人数", "int", 8),
            Column("amount", "金额（元）", "money", 14),
        )
        tables.append(
            Table(
                f"{c.name}发放汇总（{suffix}）", columns, rows, subtitle=subtitle, units="元"
            ).with_totals()
        )
    return tables
