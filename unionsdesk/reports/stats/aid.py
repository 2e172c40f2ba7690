"""帮扶工作统计 (quarterly or annual): aid by project — 户数, 人次, 金额 in 万元 by
source of funds — and the hardship households on file at the start, new files,
households out of hardship, closed files and households on file at the end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from unionsdesk.db.models import Campaign, HardshipFile, Payout
from unionsdesk.reports.stats.engine import (
    CodeRows,
    Measure,
    Part,
    PartSpec,
    build_part,
    checks_of_which,
)
from unionsdesk.reports.stats.facts import (
    FUND_SOURCES,
    OTHER_SOURCE,
    before,
    file_fact,
    fund_source_is,
    on_file,
    payout_fact,
)
from unionsdesk.reports.stats.period import Period
from unionsdesk.reports.stats.scope import Scope

KEY = "aid"
TITLE = "帮扶工作统计表"
SHORT = "帮扶工作统计"
PROJECTS_TITLE = "帮扶工作统计表（一）帮扶项目"
FILES_TITLE = "帮扶工作统计表（二）困难职工建档情况"
SOURCES = (*((k, label) for k, label, _w in FUND_SOURCES), OTHER_SOURCE)


def parts(period: Period, labels: Mapping[str, Mapping[str, str]]) -> list[PartSpec]:
    return [_projects(period, labels), _files(period, labels)]


def _projects(period: Period, labels: Mapping[str, Mapping[str, str]]) -> PartSpec:
    lines = payout_fact(period)
    m = [
        Measure("households", "户数", lines, distinct=True, width=7),
        Measure("times", "人次", lines, width=7),
        Measure("amount", "金额\n（万元）", lines, amount=Payout.amount, kind="wan", width=9,
                detail_key="amount"),
        *(
            Measure(f"src_{key}", f"其中\n{label}", lines, fund_source_is(key), amount=Payout.amount,
                    kind="wan", width=9, detail_key="amount")
            for key, label in SOURCES
        ),
    ]  # fmt: skip
    return PartSpec(
        PROJECTS_TITLE,
        m,
        rows=CodeRows(Campaign.kind, labels["aid_type"], first_label="帮扶项目"),
        units="户、人次、万元",
        notes=(
            "按帮扶活动的发放日期计入本期，未发放（草拟、审核中）的活动不计。",
            "户数为该项目内不重复的人数；合计行的户数为各项目户数之和（同一户可能得到多个项目的帮扶）。",
            "资金来源按帮扶活动登记的“资金来源”归类：含“财政”“中央”“政府”的计财政资金，含“工会”的计工会经费，"
            "含“捐”的计社会捐赠，其余计其他。",
            "金额以万元为单位，保留两位小数；合计为各行未舍入金额之和再舍入，可能与各行之和相差末位。",
        ),
    )  # fmt: skip


def _files(period: Period, labels: Mapping[str, Mapping[str, str]]) -> PartSpec:
    files = file_fact(labels)
    in_period = HardshipFile.closed_on.between(period.start, period.end)
    m = [
        Measure("start", "期初\n在档户数", files, on_file(before(period)), width=8),
        Measure("new", "本期\n新建档", files, HardshipFile.filed_on.between(period.start, period.end),
                width=7),
        Measure("out", "本期\n解困脱困", files, (HardshipFile.status == "解困脱困") & in_period,
                width=8),
        Measure("closed", "本期\n退档", files, (HardshipFile.status == "退出") & in_period, width=7),
        Measure("end", "期末\n在档户数", files, on_file(period.end), width=8),
        Measure("migrant", "其中困难\n农民工", files, on_file(period.end) & HardshipFile.migrant,
                width=8),
    ]  # fmt: skip
    return PartSpec(
        FILES_TITLE,
        m,
        rows=CodeRows(HardshipFile.category, labels["hardship_category"], first_label="困难类别"),
        units="户",
        notes=("期初 + 本期新建档 − 本期解困脱困 − 本期退档 = 期末。",),
    )


def checks(
    built: list[Part], s: Session, period: Period, scope: Scope, labels: Mapping[str, Any]
) -> list[str]:
    projects, files = built
    out = checks_of_which(projects, [(f"src_{k}", "amount") for k, _ in SOURCES])
    idx = projects.table.column_index
    for r in [*projects.table.rows, projects.table.totals or []]:
        if r and sum(int(r[idx[f"src_{k}"]]) for k, _ in SOURCES) != r[idx["amount"]]:  # type: ignore[call-overload]
            out.append(f"帮扶项目“{r[0]}”：各资金来源之和不等于金额合计")
        if r and int(r[idx["households"]]) > int(r[idx["times"]]):  # type: ignore[call-overload]
            out.append(f"帮扶项目“{r[0]}”：户数大于人次")
    out += checks_of_which(files, [("migrant", "end")])
    fi = files.table.column_index
    for r in [*files.table.rows, files.table.totals or []]:
        if not r:
            continue
        v = {k: int(r[fi[k]]) for k in ("start", "new", "out", "closed", "end")}  # type: ignore[call-overload]
        if v["out"] > v["start"] + v["new"]:
            out.append(f"困难类别“{r[0]}”：解困脱困户数（{v['out']}）大于期初与新建档之和")
        if v["start"] + v["new"] - v["out"] - v["closed"] != v["end"]:
            out.append(
                f"困难类别“{r[0]}”：期初{v['start']} + 新建{v['new']} − 脱困{v['out']} − 退档"
                f"{v['closed']} ≠ 期末{v['end']}（有档案状态与日期不一致，如已关闭却没有解困/退档日期）"
            )
    q = (
        select(func.count())
        .select_from(HardshipFile)
        .where(HardshipFile.active.is_(False), HardshipFile.closed_on.is_(None))
    )
    if scope.ids is not None:
        q = q.where(HardshipFile.union_id.in_(sorted(scope.ids)))
    undated = s.scalar(q) or 0
    if undated:
        out.append(f"有{undated}份困难职工档案已关闭却没有解困脱困/退档日期，无法计入期初、期末")
    prev = period.previous()
    earlier = build_part(s, _files(prev, labels), scope, subtitle="")
    last_end = (
        earlier.table.totals[earlier.table.column_index["end"]] if earlier.table.totals else 0
    )
    this_start = files.table.totals[fi["start"]] if files.table.totals else 0
    if last_end != this_start:
        out.append(f"上期（{prev.label}）期末在档{last_end}户，不等于本期期初{this_start}户")
    return out
