"""首页: the office, a few counts, 工会组织和会员情况, 换届提醒 and what happened lately."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
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
from unionsdesk.services.common import audit as audit_svc
from unionsdesk.services.common import codes as codes_svc
from unionsdesk.services.common import office as office_svc
from unionsdesk.services.common import users as users_svc
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
        layout.setContentsMargins(16, 10, 16, 10)
        self.value = QLabel("—")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.value.setFont(font)
        caption = QLabel(title)
        caption.setStyleSheet("color: #555;")
        layout.addWidget(self.value)
        layout.addWidget(caption)

    def set_value(self, value: int) -> None:
        self.value.setText(f"{value:,}")


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
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh(force=True))
        head.addWidget(self.refresh_button, alignment=Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(head)

        self.greeting = QLabel()
        self.greeting.setStyleSheet("color: #555;")
        layout.addWidget(self.greeting)

        cards = QGridLayout()
        cards.setHorizontalSpacing(12)
        self.members_card = StatCard("在册会员", "statMembers")
        self.elections_card = StatCard("换届提醒", "statElections")
        self.users_card = StatCard("用户", "statUsers")
        self.codes_card = StatCard("字典项", "statCodes")
        self.audit_card = StatCard("今日操作记录", "statAuditToday")
        all_cards = (self.members_card, self.elections_card, self.users_card, self.codes_card,
                     self.audit_card)  # fmt: skip
        for col, card in enumerate(all_cards):
            cards.addWidget(card, 0, col)
        cards.setColumnStretch(len(all_cards), 1)
        layout.addLayout(cards)

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
        layout.addSpacing(6)
        layout.addLayout(lower, 2)

        self.stats: Any = None  # MemberStats; recomputed only after a change or 刷新
        self._stats_stale = True
        self.job: Job | None = None
        self.stats_job: Job | None = None
        ctx.changed.connect(self._mark_stale)
        self.refresh()

    def _mark_stale(self, _area: str = "*") -> None:
        self._stats_stale = True

    def refresh(self, force: bool = False) -> None:
        db, user = self.ctx.db, self.ctx.user
        try:
            office_name = office_svc.get_office(db).name
            n_users = users_svc.count_users(db)
            n_codes = sum(codes_svc.count_codes(db).values())
            n_today = audit_svc.count_today(db)
            recent = audit_svc.recent_activity(db, user)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取首页数据")
            return
        self.office_label.setText(office_name)
        self.greeting.setText(f"当前用户：{user.display_name}（{user.role_name}）")
        self.users_card.set_value(n_users)
        self.codes_card.set_value(n_codes)
        self.audit_card.set_value(n_today)
        fill_table(
            self.recent,
            [
                (f"{e.at:%Y-%m-%d %H:%M}", e.user_login or "", e.action_name, e.entity_name,
                 e.describe())
                for e in recent
            ],
        )  # fmt: skip
        if force or self._stats_stale:
            self.refresh_statistics(office_name)

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
        for card in (self.members_card, self.elections_card):
            card.value.setText("…")

        def work(_control: JobControl) -> tuple[int, Any, list[Any]]:
            from unionsdesk.reports.members import member_statistics

            return (
                members_svc.count_members(db),
                member_statistics(db, user, office=office_name),
                unions_svc.elections_due(db, user),
            )

        def failed(exc: BaseException) -> None:
            self._stats_stale = True
            show_error(self, exc, "无法读取会员统计")

        self.stats_job = start(Job(work, self._show_statistics, failed, self))

    def _show_statistics(self, result: tuple[int, Any, list[Any]]) -> None:
        n_members, stats, due = result
        self.stats = stats
        self.members_card.set_value(n_members)
        self.elections_card.set_value(len(due))
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
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    if data.totals is not None and rows:
        font = QFont(table.font())
        font.setBold(True)
        last = len(rows) - 1
        for c in range(table.columnCount()):
            item = table.item(last, c)
            if item is not None:
                item.setFont(font)
