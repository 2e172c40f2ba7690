"""The charts of the year (QtCharts): members by township, new members per month
(this year against last), aid money by project and by month, hardship households
over 24 months. Shown on 首页 and on 报表 → 统计图.

The figures are counted on a worker after the window shows (`load`); until they
arrive each chart says 正在统计…. A click on a bar or a point opens the rows behind
it (`unionsdesk.reports.stats.charts.drill_point`: the drill-down of the same
statistics cell), so a chart never shows a figure that the tables would not."""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QWidget

from unionsdesk.reports.stats.charts import CHART_KEYS, PALETTE, Chart, Drill, nice_step
from unionsdesk.table import Table

from ...context import AppContext
from ...workers import Job, JobControl, run_job, start
from .table_view import DrillDialog


def short_label(name: str) -> str:
    """城关镇总工会 → 城关镇, 教育系统工会 → 教育系统: room under a bar is short."""
    for suffix in ("总工会", "工会联合会", "工会"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name


def _view(title: str, size: tuple[int, int]) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().hide()
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(4)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(*size)
    return view


class ChartsPanel(QWidget):
    """The charts in a grid of ``columns`` (each at least ``size``); `load()` counts
    them on a worker. `strip()` makes one row of them that scrolls sideways (首页)."""

    def __init__(
        self, ctx: AppContext, columns: int = 3, size: tuple[int, int] = (300, 210)
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("chartsPanel")
        self.columns = columns
        self.size_ = size
        self.views: dict[str, QChartView] = {}
        self.data: dict[str, Chart] = {}
        self.jobs: list[Job] = []
        self.job: Job | None = None  # the drill-down being looked up
        self.loaded = False
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        self.slots: dict[str, QLabel] = {}
        for n, key in enumerate(CHART_KEYS):  # a place for every chart, filled as it comes
            slot = QLabel("正在统计……")
            slot.setObjectName(f"chartSlot_{key}")
            slot.setAlignment(Qt.AlignmentFlag.AlignCenter)
            slot.setMinimumSize(*size)
            self.slots[key] = slot
            self.grid.addWidget(slot, n // columns, n % columns)
        for row in range(-(-len(CHART_KEYS) // columns)):
            self.grid.setRowStretch(row, 1)

    @property
    def charts(self) -> list[Chart]:
        return [self.data[k] for k in CHART_KEYS if k in self.data]

    @property
    def running(self) -> bool:
        return any(j.running for j in self.jobs)

    def load_once(self) -> None:
        if not self.loaded and not self.running:
            self.load()

    def load(self) -> list[Job]:
        """One worker job per group of charts; each chart shows when its job reports."""
        from unionsdesk.reports.stats.charts import GROUPS, chart_group

        db, user = self.ctx.db, self.ctx.user
        self.jobs = []
        pending = set(range(len(GROUPS)))
        for g, (keys, _fn) in enumerate(GROUPS):

            def work(_control: JobControl, g: int = g) -> list[Chart]:
                return chart_group(db, user, g)

            def done(charts: list[Chart], g: int = g) -> None:
                pending.discard(g)
                self.loaded = not pending
                for chart in charts:
                    self.show_chart(chart)

            def failed(exc: BaseException, keys: tuple[str, ...] = keys, g: int = g) -> None:
                pending.discard(g)
                for key in keys:
                    self.slots[key].setText(f"未能统计：{exc}")

            self.jobs.append(start(Job(work, done, failed, self)))
        return self.jobs

    def show_chart(self, data: Chart) -> None:
        """Put ``data`` in its place (replacing what was there)."""
        self.data[data.key] = data
        view = _view(f"{data.title}（{data.unit}）", self.size_)
        view.setObjectName(f"chart_{data.key}")
        self._fill(view.chart(), data)
        old = self.views.get(data.key) or self.slots[data.key]
        self.grid.replaceWidget(old, view)
        old.hide()
        if old is not self.slots[data.key]:
            old.deleteLater()
        self.views[data.key] = view

    def _fill(self, chart: QChart, data: Chart) -> None:
        axis_x = QBarCategoryAxis()
        axis_x.append([short_label(c) for c in data.categories])  # unique, all named
        axis_x.setTruncateLabels(False)
        small = QFont(axis_x.labelsFont())
        small.setPointSizeF(max(small.pointSizeF() * 0.8, 7))
        axis_x.setLabelsFont(small)
        longest = max((len(c) for c in data.categories), default=0)
        if len(data.categories) > 8 or (len(data.categories) > 5 and longest > 3):
            axis_x.setLabelsAngle(-90)
        axis_y = QValueAxis()
        axis_y.setLabelsFont(small)
        top = max((v for s in data.series for v in s.values), default=0.0)
        step = nice_step(top, integer=data.unit != "万元")
        axis_y.setRange(0, step * max(1, -(-top * 1.05 // step)))
        axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
        axis_y.setTickAnchor(0)
        axis_y.setTickInterval(step)
        axis_y.setLabelFormat("%.1f" if data.unit == "万元" else "%d")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        if data.kind == "bar":
            bars = QBarSeries()
            for i, s in enumerate(data.series):
                bar_set = QBarSet(s.name)
                bar_set.append(s.values)
                bar_set.setColor(QColor(PALETTE[i % len(PALETTE)]))
                drills = s.drills
                bar_set.clicked.connect(lambda index, d=drills: self._clicked(d, index))
                bars.append(bar_set)
            chart.addSeries(bars)
            bars.attachAxis(axis_x)
            bars.attachAxis(axis_y)
        else:
            for i, s in enumerate(data.series):
                line = QLineSeries()
                line.setName(s.name)
                for x, (v, d) in enumerate(zip(s.values, s.drills, strict=True)):
                    if d is not None:  # months not begun yet are not drawn as 0
                        line.append(QPointF(x, v))
                pen = line.pen()
                pen.setColor(QColor(PALETTE[i % len(PALETTE)]))
                pen.setWidthF(2.2 if i == 0 else 1.6)
                line.setPen(pen)
                line.setPointsVisible(True)
                drills = s.drills
                line.clicked.connect(lambda p, d=drills: self._clicked(d, round(p.x())))
                chart.addSeries(line)
                line.attachAxis(axis_x)
                line.attachAxis(axis_y)
        if len(data.series) > 1:
            chart.legend().show()
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)

    def _clicked(self, drills: list[Drill | None], index: int) -> None:
        if 0 <= index < len(drills) and drills[index] is not None:
            self.open_drill(drills[index])  # type: ignore[arg-type]

    def open_drill(self, drill: Drill) -> Job:
        from unionsdesk.reports.stats.charts import drill_point

        db, user = self.ctx.db, self.ctx.user

        def work(_control: JobControl) -> Table:
            return drill_point(db, user, drill)

        def done(table: Table) -> None:
            self.drill_dialog = DrillDialog(table, self)
            self.drill_dialog.show()

        self.job = run_job(self, "正在查找明细……", work, done)
        return self.job

    @classmethod
    def strip(cls, ctx: AppContext, min_height: int = 100) -> tuple[QScrollArea, ChartsPanel]:
        """The charts side by side in one row that scrolls sideways; the row grows with
        the room its layout gives it (首页) and shrinks to ``min_height``."""
        panel = cls(ctx, columns=99, size=(300, min_height - 20))
        area = QScrollArea()
        area.setObjectName("chartsStrip")
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setMinimumHeight(min_height)
        area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(panel)
        return area, panel

    def chart_data(self, key: str) -> Any:
        return self.data.get(key)
