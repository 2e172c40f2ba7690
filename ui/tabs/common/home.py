"""首页: the office, the work on the clerk's desk (困难户, 年审逾期, this year's aid,
换届, what waits for review), 工会组织和会员情况, 换届提醒 and what happened lately.

Nothing is read while the window is built: the figures are counted on a worker
after it shows. (The layout keeps cards over tables, so a dashboard with charts
can replace the tables later.)"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk.errors import UnionsDeskError
from unionsdesk.services.aid.figures import WorkFigures, work_figures
from unionsdesk.services.common import audit as audit_svc
from unionsdesk.services.common import office as office_svc
from unionsdesk.services.members import members as members_svc
from unionsdesk.services.members import unions as unions_svc
from unionsdesk.table import Table

from ...context import AppContext
from ...messages import show_error, show_info
from ...widgets.file_dialogs import ask_save_xlsx
from ...widgets.table import fill_table, make_table
from ...workers import Job, JobControl, run_job, start


class StatCard(QFrame):
    def __init__(self, title: str, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(180)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        self.value = QLabel("—")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value.setFont(font)
        caption = QLabel(title)
        caption.setWordWrap(True)
        caption.setStyleSheet("color: #555;")
        layout.addWidget(self.value)
        layout.addWidget(caption)

    def set_value(self, value: int | str) -> None:
        self.value.setText(f"{value:,}" if isinstance(value, int) else value)


class HomeTab(QWidget):
    refresh_on_show = True  # cheap counts: always current when the clerk comes back

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("homeTab")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 12)
        layout.setSpacing(12)

        head = QHBoxLayout()
        self.office_label = QLabel()
        self.office_label.setObjectName("officeName")
        font = QFont(self.office_label.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.office_label.setFont(font)
        head.addWidget(self.office_label)
        head.addStretch(1)
        self.person_button = QPushButton("查看人员档案…")
        self.person_button.setObjectName("findPerson")
        self.person_button.setToolTip(
            "按姓名、拼音首字母或身份证号查找一个人，查看其在各台账中的全部记录"
        )
        self.person_button.clicked.connect(lambda _c=False: self.find_person())
        head.addWidget(self.person_button, alignment=Qt.AlignmentFlag.AlignBottom)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh(force=True))
        head.addWidget(self.refresh_button, alignment=Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(head)

        self.greeting = QLabel()
        self.greeting.setStyleSheet("color: #555;")
        layout.addWidget(self.greeting)

        cards = QGridLayout()
        cards.setHorizontalSpacing(12)
        # the work on the clerk's desk; counted on a worker after the window shows
        self.files_card = StatCard("在档困难户", "statFiles")
        self.overdue_card = StatCard("年审逾期", "statReviewOverdue")
        year = date.today().year
        self.amount_card = StatCard(f"{year}年帮扶金额（元）", "statYearAmount")
        self.people_card = StatCard(f"{year}年帮扶人次", "statYearPeople")
        self.elections_card = StatCard("换届提醒", "statElections")
        self.waiting_card = StatCard("待审核（档案、发放）", "statWaiting")
        self.members_card = StatCard("在册会员", "statMembers")
        self.figure_cards = (self.files_card, self.overdue_card, self.amount_card,
                             self.people_card, self.elections_card, self.waiting_card,
                             self.members_card)  # fmt: skip
        for n, card in enumerate(self.figure_cards):  # one row, 900 px wide at least
            card.setMinimumWidth(96)
            cards.addWidget(card, 0, n)
            cards.setColumnStretch(n, 2 if card is self.amount_card else 1)
        layout.addLayout(cards)

        # The year's charts (issue 19, ui/tabs/stats/charts.py): one row that scrolls
        # sideways, each chart counted on a worker after the window shows; 刷新 recounts.
        from ..stats.charts import ChartsPanel

        charts_strip, self.charts = ChartsPanel.strip(ctx)
        layout.addWidget(charts_strip, 5)
        self.refresh_button.clicked.connect(lambda _c=False: self.charts.load())
        QTimer.singleShot(0, self.charts.load_once)

        bold = QFont(self.greeting.font())
        bold.setBold(True)
        stats_head = QHBoxLayout()
        self.stats_title = QLabel("工会组织和会员情况（按乡镇/产业工会）")
        self.stats_title.setFont(bold)
        stats_head.addWidget(self.stats_title)
        stats_head.addStretch(1)
        self.export_stats_button = QPushButton("导出统计表…")
        self.export_stats_button.setObjectName("exportStats")
        self.export_stats_button.setToolTip("按乡镇和按基层工会两张表，导出为一个 Excel 文件")
        self.export_stats_button.clicked.connect(lambda _c=False: self.export_statistics())
        stats_head.addWidget(self.export_stats_button)
        layout.addSpacing(6)
        layout.addLayout(stats_head)
        self.stats_table = make_table(["乡镇（街道）/产业工会"], stretch_last=False)
        self.stats_table.setObjectName("memberStatistics")
        _size_columns(self.stats_table)
        layout.addWidget(self.stats_table, 3)

        lower = QHBoxLayout()
        lower.setSpacing(16)
        due_box = QVBoxLayout()
        due_title = QLabel("换届提醒")
        due_title.setFont(bold)
        due_box.addWidget(due_title)
        self.elections = make_table(["工会", "提醒"], stretch_last=True)
        self.elections.setObjectName("electionsDue")
        due_box.addWidget(self.elections, 1)
        lower.addLayout(due_box, 1)
        recent_box = QVBoxLayout()
        recent_title = QLabel("最近操作")
        recent_title.setFont(bold)
        recent_box.addWidget(recent_title)
        self.recent = make_table(["时间", "操作人", "操作", "对象", "内容"], stretch_last=True)
        self.recent.setObjectName("recentActivity")
        recent_box.addWidget(self.recent, 1)
        lower.addLayout(recent_box, 1)
        from ..rights.reminders import DisputeReminders  # 维权: open cases by age

        self.disputes = DisputeReminders(ctx)  # hidden without 维权查看
        lower.addWidget(self.disputes, 1)
        layout.addSpacing(6)
        layout.addLayout(lower, 2)

        self.stats: Any = None  # MemberStats; recomputed only after a change or 刷新
        self.figures: WorkFigures | None = None
        self._stats_stale = True
        self.job: Job | None = None
        self.stats_job: Job | None = None
        self.recent_job: Job | None = None
        self._recent_again = False
        ctx.changed.connect(self._mark_stale)
        # nothing is read before the window is on screen: the first paint shows the
        # frame with "…", the figures follow from a worker
        for card in self.figure_cards:
            card.value.setText("…")
        QTimer.singleShot(0, self.refresh)

    def find_person(self) -> QWidget:
        """人员档案: one person across every register (会员, 困难, 帮扶, 劳模, 维权 …)."""
        from ...widgets.person_file import PersonSearchDialog

        dialog = PersonSearchDialog(self.ctx, self)
        dialog.open()
        return dialog

    def _mark_stale(self, _area: str = "*") -> None:
        self._stats_stale = True

    def refresh(self, force: bool = False) -> None:
        """The office name at once; 最近操作 and the dispute reminders on a worker (the
        labels of every register are loaded for the log), so the first paint reads
        nothing but the office row; the figures too when stale or on 刷新."""
        db, user = self.ctx.db, self.ctx.user
        try:
            office_name = office_svc.get_office(db).name
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取首页数据")
            return
        self.office_label.setText(office_name)
        self.greeting.setText(f"当前用户：{user.display_name}（{user.role_name}）")
        if force or self._stats_stale:
            self.refresh_statistics(office_name)
        if self.recent_job is not None and self.recent_job.running:
            self._recent_again = True  # read again when the running job reports
            return
        self._recent_again = False
        disputes = self.disputes

        def work(_control: JobControl) -> tuple[list[Any], Any]:
            return audit_svc.recent_activity(db, user), disputes.load()

        def done(result: tuple[list[Any], Any]) -> None:
            recent, cases = result
            fill_table(
                self.recent,
                [
                    (f"{e.at:%Y-%m-%d %H:%M}", e.operator, e.action_name, e.entity_name,
                     e.describe())
                    for e in recent
                ],
            )  # fmt: skip
            disputes.show_cases(cases)
            if self._recent_again:
                self.refresh()

        def failed(exc: BaseException) -> None:
            show_error(self, exc, "无法读取首页数据")

        self.recent_job = start(Job(work, done, failed, self))

    # -- 工会组织和会员情况, 换届提醒 ------------------------------------------------------
    def refresh_statistics(self, office_name: str = "") -> None:
        """Member counts by township and the unions whose term ends soon. A few hundred
        ms on 200 000 members, so on a worker thread (the window is usable at once) and
        only after a change or 刷新; the cards show "…" meanwhile."""
        if self.stats_job is not None and self.stats_job.running:
            self._stats_stale = True  # counted again when the running job reports
            return
        db, user = self.ctx.db, self.ctx.user
        self._stats_stale = False
        for card in self.figure_cards:
            card.value.setText("…")

        def work(_control: JobControl) -> tuple[int, Any, list[Any], WorkFigures]:
            from unionsdesk.reports.members import member_statistics

            return (
                members_svc.count_members(db),
                member_statistics(db, user, office=office_name),
                unions_svc.elections_due(db, user),
                work_figures(db, user),
            )

        def failed(exc: BaseException) -> None:
            self._stats_stale = True
            show_error(self, exc, "无法读取会员统计")

        self.stats_job = start(Job(work, self._show_statistics, failed, self))

    def _show_statistics(self, result: tuple[int, Any, list[Any], WorkFigures]) -> None:
        n_members, stats, due, figures = result
        self.stats = stats
        self.figures = figures
        self.members_card.set_value(n_members)
        self.elections_card.set_value(len(due))
        self.files_card.set_value(figures.files)
        self.overdue_card.set_value(figures.review_overdue)
        self.amount_card.set_value(f"{figures.year_amount // 100:,}")
        self.people_card.set_value(figures.year_people)
        self.waiting_card.set_value(figures.waiting)
        self.waiting_card.setToolTip(
            f"困难职工档案待审核 {figures.files_to_review} 份；"
            f"帮扶活动待确认发放 {figures.campaigns_to_confirm} 个"
        )
        show_table(self.stats_table, stats.by_township)
        fill_table(self.elections, [(u.name, message) for u, message in due])
        self.elections.setColumnWidth(0, min(self.elections.columnWidth(0), 260))
        if self._stats_stale:  # something changed while counting
            self.refresh_statistics(self.office_label.text())

    def export_statistics(self, path: Path | None = None) -> Job | None:
        """Both tables of 工会组织和会员情况 (by township, by union) in one workbook,
        counted afresh in the export job when what is shown may be out of date."""
        if path is None:
            path = ask_save_xlsx(
                self, "导出统计表", f"工会组织和会员情况-{date.today():%Y%m%d}.xlsx", "reports"
            )
        if path is None:
            return None
        from unionsdesk.excel.writer import write_tables
        from unionsdesk.reports.members import member_statistics

        target, shown = path, None if self._stats_stale else self.stats
        db, user, office_name = self.ctx.db, self.ctx.user, self.office_label.text()

        def work(control: JobControl) -> Path:
            stats = shown or member_statistics(db, user, office=office_name)
            return write_tables(
                target,
                [(stats.by_township, "按乡镇"), (stats.by_union, "按基层工会")],
                cancelled=lambda: control.cancelled,
            )

        def done(written: Path) -> None:
            self.ctx.notify(f"统计表已导出到 {written}")
            show_info(self, f"统计表已导出：\n{written}", "导出完成")

        self.job = run_job(self, "正在导出统计表……", work, done, cancellable=True)
        return self.job


def show_table(table: Any, data: Table) -> None:
    """A report ``Table`` in a small QTableWidget: numbers right-aligned, 合计 row bold."""
    table.setColumnCount(len(data.columns))
    table.setHorizontalHeaderLabels([c.label for c in data.columns])
    numeric = [i for i, c in enumerate(data.columns) if c.kind == "int"]
    rows = [list(r) for r in data.rows]
    if data.totals is not None:
        rows.append(list(data.totals))
    for row in rows:
        for i in numeric:
            if isinstance(row[i], int):
                row[i] = f"{row[i]:,}"
    fill_table(table, rows, align_right=numeric)
    _size_columns(table)
    if data.totals is not None and rows:
        font = QFont(table.font())
        font.setBold(True)
        last = len(rows) - 1
        for c in range(table.columnCount()):
            item = table.item(last, c)
            if item is not None:
                item.setFont(font)


def _size_columns(table: Any) -> None:
    """The names column as wide as its longest name (never squeezed when the window is
    narrow: the table scrolls sideways instead); the last column takes what is left."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
