"""The figures of the 首页 charts, and the same charts as vector drawings for the
year-end PDF. Every point knows the statistics cell it is (`Drill`), so a click
opens the rows behind it through the very drill-down the tables use.

One GROUP BY per chart (the 24 month-ends of the hardship line are 24 conditional
sums of one query), so the whole set stays well under a second on 200 000 members.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import Integer, case, cast, extract, func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Campaign, HardshipFile, Membership, Payout
from unionsdesk.reports.stats.engine import Measure, PartSpec, build_part
from unionsdesk.reports.stats.facts import PAID_STATUSES, member_fact, on_file
from unionsdesk.reports.stats.period import Period, year_period
from unionsdesk.reports.stats.scope import resolve_scope
from unionsdesk.services.common.base import PII, CurrentUser, reading
from unionsdesk.services.common.codes import session_label_maps
from unionsdesk.table import Table

# The office's colours, in this order in every chart (screen and paper).
PALETTE = ("#C0392B", "#2E86C1", "#E67E22", "#27AE60", "#8E44AD", "#7F8C8D")

ChartKind = Literal["bar", "line"]


@dataclass(frozen=True)
class Drill:
    """A statistics cell: table, period code, part, row label (None: 合计), column."""

    key: str
    period: str
    part: int
    row: str | None
    column: str


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]
    drills: list[Drill | None] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: ChartKind
    categories: list[str]
    series: list[Series]
    unit: str


def _months_between(first: date, last: date) -> list[date]:
    out, d = [], date(first.year, first.month, 1)
    while d <= last:
        out.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return out


def _month_end(d: date) -> date:
    from datetime import timedelta

    return date(d.year + d.month // 12, d.month % 12 + 1, 1) - timedelta(days=1)


def _month_code(d: date) -> str:
    return f"{d:%Y-%m}..{d:%Y-%m}"


@dataclass(frozen=True)
class _Context:
    year: int
    today: date
    period: Period
    labels: dict[str, dict[str, str]]


def _members_by_township(s: Any, c: _Context) -> list[Chart]:
    """The 会员人数 column of 工会组织建设, by township/industry union."""
    members = member_fact(c.period, c.labels, person=False)
    spec = PartSpec("", [Measure("members", "会员人数", members)])
    part = build_part(s, spec, resolve_scope(s, None), subtitle="")
    rows = [r for r in part.table.rows if r[1]]
    return [Chart(
        "members_by_township", f"会员人数（按乡镇/产业工会，{c.year}年末）", "bar",
        [str(r[0]) for r in rows],
        [Series("会员人数", [float(r[1]) for r in rows],  # type: ignore[arg-type]
                [Drill("org", str(c.year), 0, str(r[0]), "members") for r in rows])],
        "人",
    )]  # fmt: skip


def _new_members(s: Any, c: _Context) -> list[Chart]:
    """New members per month, this year against last year."""
    y, m = extract("year", Membership.joined_on), extract("month", Membership.joined_on)
    q = (
        select(y, m, func.count())
        .where(Membership.joined_on.between(date(c.year - 1, 1, 1), c.period.end))
        .group_by(y, m)
    )
    counts = {(int(a), int(b)): int(n) for a, b, n in s.execute(q)}
    series = []
    for yy in (c.year, c.year - 1):
        values, drills = [], []
        for mm in range(1, 13):
            started = date(yy, mm, 1) <= c.today
            values.append(float(counts.get((yy, mm), 0)))
            drills.append(
                Drill("members", f"{yy}-{mm:02d}", 0, None, "joined") if started else None
            )
        series.append(Series(f"{yy}年", values, drills))
    return [Chart("new_members", "每月新入会人数（本年与上年）", "line",
                  [f"{mm}月" for mm in range(1, 13)], series, "人")]  # fmt: skip


def _aid(s: Any, c: _Context) -> list[Chart]:
    """Aid money by project and by month (campaigns paid in the year): the lines are
    summed per campaign (an index walk, ten times faster at a million lines than
    grouping them by the campaign's kind and month), the campaigns placed in Python."""
    paid = select(Campaign.id, Campaign.kind, Campaign.paid_on).where(
        Campaign.status.in_(PAID_STATUSES),
        Campaign.paid_on.between(c.period.start, c.period.end),
    )
    campaigns = {cid: (kind, on) for cid, kind, on in s.execute(paid)}
    q = (
        select(Payout.campaign_id, func.sum(Payout.amount))
        .where(Payout.campaign_id.in_(select(paid.subquery().c.id)))
        .group_by(Payout.campaign_id)
    )
    aid_labels = c.labels.get("aid_type", {})
    kinds: dict[str, int] = {}
    by_month: dict[int, int] = {}
    for cid, amount in s.execute(q):
        kind, on = campaigns[cid]
        label = aid_labels.get(kind, kind)
        kinds[label] = kinds.get(label, 0) + int(amount or 0)
        by_month[on.month] = by_month.get(on.month, 0) + int(amount or 0)
    by_kind = sorted(kinds.items(), key=lambda kv: -kv[1])
    year, today = c.year, c.today
    return [
        Chart(
            "aid_by_project", f"帮扶金额（按项目，{year}年）", "bar", [k for k, _ in by_kind],
            [Series("金额（万元）", [v / 1_000_000 for _, v in by_kind],
                    [Drill("aid", str(year), 0, k, "amount") for k, _ in by_kind])],
            "万元",
        ),
        Chart(
            "aid_by_month", f"帮扶金额（按月，{year}年）", "bar", [f"{mm}月" for mm in range(1, 13)],
            [Series("金额（万元）", [by_month.get(mm, 0) / 1_000_000 for mm in range(1, 13)],
                    [Drill("aid", f"{year}-{mm:02d}", 0, None, "amount")
                     if date(year, mm, 1) <= today else None for mm in range(1, 13)])],
            "万元",
        ),
    ]  # fmt: skip


def _hardship(s: Any, c: _Context) -> list[Chart]:
    """Hardship households on file at each of the last 24 month-ends (one query)."""
    last = date(c.today.year, c.today.month, 1)
    months = _months_between(_shift(last, -23), last)
    ends = [min(_month_end(d), c.today) for d in months]
    q = select(*(func.sum(cast(case((on_file(e), 1), else_=0), Integer)) for e in ends))
    row = s.execute(q.select_from(HardshipFile)).one()
    return [Chart(
        "hardship_on_file", "在档困难职工户数（近24个月）", "line",
        [f"{d.year % 100:02d}/{d.month}" for d in months],
        [Series("在档户数", [float(v or 0) for v in row],
                [Drill("aid", _month_code(d), 1, None, "end") for d in months])],
        "户",
    )]  # fmt: skip


def _open_cases_chart(s: Any, c: _Context) -> list[Chart]:
    return [_open_cases(s, c.today)]


def _grants_chart(s: Any, c: _Context) -> list[Chart]:
    return [_grants_by_stage(s, c.year)]


# The charts in their order on screen and paper, in groups counted together (each
# group one worker job on 首页, so the charts appear as they are counted).
GROUPS: tuple[tuple[tuple[str, ...], Callable[[Any, _Context], list[Chart]]], ...] = (
    (("members_by_township",), _members_by_township),
    (("new_members",), _new_members),
    (("aid_by_project", "aid_by_month"), _aid),
    (("hardship_on_file",), _hardship),
    (("open_cases",), _open_cases_chart),
    (("grants",), _grants_chart),
)
CHART_KEYS = tuple(k for keys, _fn in GROUPS for k in keys)


def chart_group(
    db: Database, actor: CurrentUser, group: int, year: int | None = None, today: date | None = None
) -> list[Chart]:
    """The charts of ``GROUPS[group]`` (one reading transaction)."""
    today = today or date.today()
    year = year or today.year
    with reading(db, actor) as s:
        context = _Context(year, today, year_period(year), session_label_maps(s))
        return GROUPS[group][1](s, context)


def dashboard_data(
    db: Database, actor: CurrentUser, year: int | None = None, today: date | None = None
) -> list[Chart]:
    """Every chart, in order (the year-end PDF, the tests)."""
    return [c for g in range(len(GROUPS)) for c in chart_group(db, actor, g, year, today)]


# Open 劳动争议 cases by days since 受理 (the 15-day rule: past it the parties may go
# to arbitration), and this year's grants by stage; their points open lists, not cells.
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("15天以内", 0, 15), ("16–30天", 16, 30), ("31–60天", 31, 60), ("61–90天", 61, 90),
    ("90天以上", 91, None),
)  # fmt: skip
OPEN_CASES = "open_cases"
GRANTS = "grants"


def _open_condition(today: date) -> Any:
    from unionsdesk.db.models_rights import Dispute

    return Dispute.closed_on.is_(None) & (Dispute.received_on <= today)


def _open_cases(s: Any, today: date) -> Chart:
    from unionsdesk.db.models_rights import Dispute

    ages = [
        (today - d).days
        for d in s.scalars(select(Dispute.received_on).where(_open_condition(today)))
    ]
    values = [
        float(sum(1 for a in ages if lo <= a and (hi is None or a <= hi)))
        for _label, lo, hi in AGE_BUCKETS
    ]
    return Chart(
        OPEN_CASES, "未结劳动争议案件（按受理天数）", "bar", [b[0] for b in AGE_BUCKETS],
        [Series("未结案件", values,
                [Drill(f"list:{OPEN_CASES}", f"{today:%Y-%m-%d}", 0, b[0], "") for b in AGE_BUCKETS])],
        "件",
    )  # fmt: skip


def _grants_by_stage(s: Any, year: int) -> Chart:
    from unionsdesk.db.models_funds import Grant
    from unionsdesk.services.sites.specs import GRANT_STATUSES

    counts = dict(
        s.execute(
            select(Grant.status, func.count()).where(Grant.year == year).group_by(Grant.status)
        ).all()
    )
    return Chart(
        GRANTS, f"对下补助项目（按阶段，{year}年）", "bar", list(GRANT_STATUSES),
        [Series("项目数", [float(counts.get(st, 0)) for st in GRANT_STATUSES],
                [Drill(f"list:{GRANTS}", str(year), 0, st, "") for st in GRANT_STATUSES])],
        "个",
    )  # fmt: skip


def _list_rows(s: Any, drill: Drill) -> Table:
    """The rows behind a point of the open-cases or grants chart."""
    from datetime import timedelta

    name = drill.key.removeprefix("list:")
    if name == OPEN_CASES:
        from unionsdesk.db.models_rights import Dispute
        from unionsdesk.reports.stats.rights import dispute_fact

        today = date.fromisoformat(drill.period)
        _label, lo, hi = next(b for b in AGE_BUCKETS if b[0] == drill.row)
        fact = dispute_fact()
        cond = _open_condition(today) & (Dispute.received_on <= today - timedelta(days=lo))
        if hi is not None:
            cond = cond & (Dispute.received_on >= today - timedelta(days=hi))
        title = f"未结劳动争议案件：受理{drill.row}"
    else:
        from unionsdesk.db.models_funds import Grant
        from unionsdesk.reports.stats.sites import grant_fact

        fact = grant_fact()
        cond = (Grant.year == int(drill.period)) & (Grant.status == drill.row)
        title = f"{drill.period}年对下补助项目：{drill.row}"
    q = select(*(e for _c, e in fact.detail)).select_from(fact.detail_from).where(cond)
    rows = [list(r) for r in s.execute(q.order_by(*fact.order_by))]
    return Table(title, [c for c, _e in fact.detail], rows).with_totals()


def _shift(d: date, months: int) -> date:
    k = d.year * 12 + d.month - 1 + months
    return date(k // 12, k % 12 + 1, 1)


def drill_point(db: Database, actor: CurrentUser, drill: Drill) -> Table:
    """The rows behind a chart point: the drill-down of its statistics cell (or, for
    the open cases and the grants, the list the point counts)."""
    from unionsdesk.reports.stats.tables import build_report

    if drill.key.startswith("list:"):  # no ID numbers in these lists
        with reading(db, actor) as s:
            return _list_rows(s, drill)
    report = build_report(db, actor, drill.key, drill.period, office="")
    part = report.parts[drill.part]
    row = len(part.keys)
    if drill.row is not None:
        labels = [k.label for k in part.keys]
        row = labels.index(drill.row) if drill.row in labels else row
    with reading(db, actor) as s:
        return report.drill(s, drill.part, row, drill.column, mask_ids=not actor.can(PII))


def nice_step(top: float, *, integer: bool) -> float:
    """A value-axis step of 1, 2 or 5 × 10ⁿ giving about four ticks up to ``top`` (whole
    numbers for counts); the screen and the paper charts use the same."""
    import math

    if top <= 0:
        return 1.0
    raw = top / 4
    power = 10.0 ** math.floor(math.log10(raw))
    step: float = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return max(step, 1.0) if integer else step


def drawings_for(charts: list[Chart], width: float = 360, height: float = 230) -> list[Any]:
    """Each chart as a reportlab ``Drawing`` (vector) with Chinese labels."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    from unionsdesk.printing.fonts import MAIN_FONT_NAME, register_fonts

    register_fonts()
    out = []
    for chart in charts:
        d = Drawing(width, height)
        d.add(String(width / 2, height - 14, f"{chart.title}（{chart.unit}）",
                     fontName=MAIN_FONT_NAME, fontSize=10, textAnchor="middle"))  # fmt: skip
        plot: Any = VerticalBarChart() if chart.kind == "bar" else HorizontalLineChart()
        plot.x, plot.y = 40, 50
        plot.width, plot.height = width - 60, height - 90
        data = [tuple(s.values) or (0.0,) for s in chart.series]
        plot.data = data
        top = max((v for s in data for v in s), default=0.0)
        step = nice_step(top, integer=chart.unit != "万元")
        plot.valueAxis.valueMin = 0
        plot.valueAxis.valueMax = step * max(1, -(-top * 1.05 // step))
        plot.valueAxis.valueStep = step
        plot.valueAxis.labels.fontName = MAIN_FONT_NAME
        plot.valueAxis.labels.fontSize = 7
        names = chart.categories or [""]
        if len(names) > 12:  # a long time axis: every third month named
            names = [n if i % 3 == 0 else "" for i, n in enumerate(names)]
        plot.categoryAxis.categoryNames = names
        plot.categoryAxis.labels.fontName = MAIN_FONT_NAME
        plot.categoryAxis.labels.fontSize = 6.5
        if len(chart.categories) > 6 and max(map(len, chart.categories)) > 3:
            plot.categoryAxis.labels.angle = 40
            plot.categoryAxis.labels.boxAnchor = "ne"
        for i in range(len(data)):
            color = colors.HexColor(PALETTE[i % len(PALETTE)])
            if chart.kind == "bar":
                plot.bars[i].fillColor = color
                plot.bars[i].strokeColor = None
            else:
                plot.lines[i].strokeColor = color
                plot.lines[i].strokeWidth = 1.5
        d.add(plot)
        if len(chart.series) > 1:
            legend = Legend()
            legend.x, legend.y = width - 70, height - 24
            legend.fontName = MAIN_FONT_NAME
            legend.fontSize = 7
            legend.colorNamePairs = [
                (colors.HexColor(PALETTE[i % len(PALETTE)]), s.name)
                for i, s in enumerate(chart.series)
            ]
            d.add(legend)
        out.append(d)
    return out
