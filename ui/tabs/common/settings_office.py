"""设置 › 单位信息: the office's own profile."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from unionsdesk.errors import UnionsDeskError, ValidationError
from unionsdesk.fields import OFFICE
from unionsdesk.services.common import office as office_svc

from ...context import AppContext
from ...messages import show_error
from ...widgets.form import FormWidget
from .settings import SettingsPage


class OfficePage(SettingsPage):
    title = "单位信息"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.version: int | None = None
        self._loaded: dict[str, Any] = {}
        hint = QLabel(
            "本单位的名称等信息，用于窗口标题、打印的收据和报表。带红色 * 的项目必须填写。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.outer.addWidget(hint)
        self.form = FormWidget(OFFICE)
        self.form.setMaximumWidth(720)
        self.outer.addWidget(self.form)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("保存（Ctrl+S）")
        self.save_button.setObjectName("saveOffice")
        self.save_button.clicked.connect(self.save)
        self.reload_button = QPushButton("重新载入")
        self.reload_button.clicked.connect(self.load)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #2e7d32;")
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.saved_label)
        buttons.addStretch(1)
        holder = QWidget()
        holder.setLayout(buttons)
        holder.setMaximumWidth(720)
        self.outer.addWidget(holder)
        self.outer.addStretch(1)

        if not self.editable:
            self.restrict(self.admin_note("修改单位信息"))
            self.form.set_read_only(True)
            self.save_button.setEnabled(False)
        self.load()

    def load(self) -> None:
        try:
            profile = office_svc.get_office(self.ctx.db)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取单位信息")
            return
        self.form.set_values(profile.as_dict())
        self.version = profile.version
        self._loaded = self.form.values()
        self.saved_label.clear()

    def refresh(self) -> None:
        if self.form.values() == self._loaded:  # never throw away the clerk's typing
            self.load()

    def save(self) -> None:
        if not self.editable:
            self.ctx.notify("当前用户不能修改单位信息")
            return
        self.saved_label.clear()
        if not self.form.validate():
            return
        try:
            profile = office_svc.save_office(
                self.ctx.db, self.ctx.user, self.form.values(), expected_version=self.version
            )
        except ValidationError as exc:
            self.form.errors_from(exc)
            show_error(self, exc, "请检查填写的内容")
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        self.form.set_values(profile.as_dict())
        self.version = profile.version
        self._loaded = self.form.values()
        self.saved_label.setText("已保存")
        self.ctx.changed.emit("office")
        self.ctx.notify("单位信息已保存")
