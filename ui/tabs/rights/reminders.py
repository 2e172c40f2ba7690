"""The 首页 reminder list of open labour-dispute cases, oldest first, coloured by the
15-day rule; a click opens the case in 维权. Hidden for users without 维权查看."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from unionsdesk.errors import UnionsDeskError
from unionsdesk.services.common.base import RIGHTS

from ...context import AppContext
from ...widgets.table import fill_table, make_table, row_data

_BACKGROUND = {"amber": "#fff1c2", "red": "#fde2e1"}


class DisputeReminders(QWidget):
    def __init__(self, ctx: AppContext, limit: int = 30) -> None:
        super().__init__()
        self.ctx = ctx
        self.limit = limit
        self.setObjectName("disputeReminders")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("调解案件提醒（未结案，按受理先后）")
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.table = make_table(["案号", "申请人", "已用天数", "提醒"], stretch_last=True)
        self.table.setObjectName("disputeReminderTable")
        self.table.setToolTip("单击打开案件")
        self.table.clicked.connect(lambda _i: self.open_selected())
        layout.addWidget(self.table, 1)
        self.setVisible(ctx.user.can(RIGHTS))

    def refresh(self) -> None:
        self.show_cases(self.load())

    def load(self) -> list[Any] | None:
        """The open cases (safe on a worker thread); None without 维权查看 or when
        they cannot be read."""
        from unionsdesk.services.rights.disputes import open_cases_by_age

        if not self.ctx.user.can(RIGHTS):
            return None
        try:
            return open_cases_by_age(self.ctx.db, self.ctx.user, limit=self.limit)
        except UnionsDeskError:
            return None

    def show_cases(self, rows: list[Any] | None) -> None:
        from PySide6.QtGui import QBrush, QColor

        if rows is None:
            return
        fill_table(
            self.table,
            [(r.case_no, r.name, r.days, r.status) for r in rows],
            rows,
            align_right=[2],
        )
        for i, r in enumerate(rows):
            colour = _BACKGROUND.get(r.state)
            if colour is None:
                continue
            for c in range(self.table.columnCount()):
                item = self.table.item(i, c)
                if item is not None:
                    item.setBackground(QBrush(QColor(colour)))
        red = sum(1 for r in rows if r.state == "red")
        self.title.setText(
            f"调解案件提醒（未结案{len(rows)}件，其中{red}件已超过15天）"
            if rows
            else "调解案件提醒（没有未结案件）"
        )

    def open_selected(self) -> None:
        row = row_data(self.table)
        if row is None:
            return
        window = self.window()
        opener = getattr(window, "open_tab", None)
        if opener is None or not opener("维权"):
            return
        tab = window.content("维权")  # type: ignore[attr-defined]
        open_case = getattr(tab, "open_case", None)
        if open_case is not None:
            open_case(row.id)
