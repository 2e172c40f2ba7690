"""首页: the office, a few counts and what happened lately."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk.errors import UnionsDeskError
from unionsdesk.services import audit as audit_svc
from unionsdesk.services import codes as codes_svc
from unionsdesk.services import office as office_svc
from unionsdesk.services import users as users_svc

from ..audit_text import describe
from ..context import AppContext
from ..messages import show_error
from ..widgets.table import fill_table, make_table


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
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button, alignment=Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(head)

        self.greeting = QLabel()
        self.greeting.setStyleSheet("color: #555;")
        layout.addWidget(self.greeting)

        cards = QGridLayout()
        cards.setHorizontalSpacing(12)
        self.users_card = StatCard("用户", "statUsers")
        self.codes_card = StatCard("字典项", "statCodes")
        self.audit_card = StatCard("今日操作记录", "statAuditToday")
        for col, card in enumerate((self.users_card, self.codes_card, self.audit_card)):
            cards.addWidget(card, 0, col)
        cards.setColumnStretch(3, 1)
        layout.addLayout(cards)

        recent_title = QLabel("最近操作")
        bold = QFont(recent_title.font())
        bold.setBold(True)
        recent_title.setFont(bold)
        layout.addSpacing(6)
        layout.addWidget(recent_title)
        self.recent = make_table(["时间", "操作人", "操作", "对象", "内容"], stretch_last=True)
        self.recent.setObjectName("recentActivity")
        layout.addWidget(self.recent, 1)
        self.refresh()

    def refresh(self) -> None:
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
                 describe(e))
                for e in recent
            ],
        )  # fmt: skip
