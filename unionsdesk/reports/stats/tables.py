"""The registry of statistics tables and the one way to build any of them."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from datetime import date
from types import ModuleType

from unionsdesk.db.engine import Database
from unionsdesk.errors import UserError
from unionsdesk.reports.stats.engine import StatReport, build_part, header_line
from unionsdesk.reports.stats.period import Period, parse_period
from unionsdesk.reports.stats.scope import resolve_scope
from unionsdesk.services.common.base import CurrentUser, reading
from unionsdesk.services.common.codes import session_label_maps

FAILED = "未通过校验"


@dataclass(frozen=True)
class TableDef:
    key: str
    short: str  # 工会组织建设
    module: str
    title: str  # 工会组织建设统计表

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


# CLI name → definition, in the order of the year-end pack.
TABLES: dict[str, TableDef] = {
    d.key: d
    for d in (
        TableDef("org", "工会组织建设", "unionsdesk.reports.stats.org", "工会组织建设统计表"),
        TableDef("members", "会员发展", "unionsdesk.reports.stats.growth", "会员发展情况统计表"),
        TableDef("aid", "帮扶工作统计", "unionsdesk.reports.stats.aid", "帮扶工作统计表"),
        TableDef("rights", "维权", "unionsdesk.reports.stats.rights", "维权工作统计表"),
        TableDef("mutual", "互助保障", "unionsdesk.reports.stats.mutual", "职工互助保障统计表"),
        TableDef("sites", "阵地和补助", "unionsdesk.reports.stats.sites", "阵地和补助统计表"),
        TableDef("funds", "经费收缴", "unionsdesk.reports.stats.funds", "工会经费收缴统计表"),
    )
}


def table_def(key: str) -> TableDef:
    if key in TABLES:
        return TABLES[key]
    names = "、".join(f"{k}（{d.short}）" for k, d in TABLES.items())
    raise UserError(f"没有统计表“{key}”，可用：{names}")


def build_report(
    db: Database,
    actor: CurrentUser,
    key: str,
    period: Period | str,
    scope: str | None = None,
    *,
    filler: str | None = None,
    reviewer: str = "",
    filled_on: date | None = None,
    office: str | None = None,
) -> StatReport:
    """Count table ``key`` for ``period`` (a `Period` or its text) and ``scope`` (a union's
    name; None: the whole county), run its cross-checks and head it for sending."""
    d = table_def(key)
    module = d.load()
    today = date.today()
    p = period if isinstance(period, Period) else parse_period(period, today)
    if office is None:
        from unionsdesk.services.common.office import get_office

        office = get_office(db).name
    subtitle = header_line(
        office, actor.display_name if filler is None else filler, reviewer, filled_on or today
    )
    with reading(db, actor) as s:
        sc = resolve_scope(s, scope)
        labels = session_label_maps(s)
        specs = module.parts(p, labels)
        where = "" if sc.county else f"（{sc.label}）"
        specs = [replace(spec, title=f"{p.label}{spec.title}{where}") for spec in specs]
        built = [build_part(s, spec, sc, subtitle=subtitle) for spec in specs]
        failed = module.checks(built, s, p, sc, labels)
    head = [f"统计期间：{p.range_text}；统计范围：{sc.label}。"]
    if p.unfinished(today):
        head.append(f"本期尚未结束，数据截至{today:%Y年%m月%d日}。")
    tail = []
    if failed:
        tail = [f"{FAILED}（{len(failed)}项）：", *(f"  {i}. {r}" for i, r in enumerate(failed, 1))]
    for part in built:
        t = part.table
        part.table = replace(
            t,
            notes=[*head, *t.notes, *tail],
            stamp=FAILED if failed else "",
        )
    return StatReport(d.key, f"{p.label}{module.TITLE}{where}", p, sc, built, failed)
