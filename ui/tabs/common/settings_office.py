"""设置 › 单位信息: the office's own profile."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from unionsdesk.errors import UnionsDeskError, ValidationError
from unionsdesk.fields import OFFICE
from unionsdesk.services.common import office as office_svc
from unionsdesk.services.members import members as members_svc

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

        rules = QLabel("会员登记规则")
        font = QFont(rules.font())
        font.setBold(True)
        rules.setFont(font)
        self.outer.addSpacing(12)
        self.outer.addWidget(rules)
        self.young_box = QCheckBox(
            "允许登记入会时未满14周岁的会员（一般不允许；未满16周岁时仍会提示核对）"
        )
        self.young_box.setObjectName("allowYoungMembers")
        self.young_box.setToolTip(
            "会员应为劳动年龄人员。只有文艺、体育等单位经批准招用的未成年人等特殊情况才需要勾选。"
        )
        self.young_box.toggled.connect(self.save_member_rules)
        self.outer.addWidget(self.young_box)
        self.outer.addStretch(1)

        if not self.editable:
            self.restrict(self.admin_note("修改单位信息"))
            self.form.set_read_only(True)
            self.save_button.setEnabled(False)
            self.young_box.setEnabled(False)
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
        self.young_box.blockSignals(True)
        self.young_box.setChecked(members_svc.young_members_allowed(self.ctx.db))
        self.young_box.blockSignals(False)

    def save_member_rules(self, allowed: bool) -> None:
        """The checkbox takes effect at once (it is one setting, audited)."""
        try:
            members_svc.allow_young_members(self.ctx.db, self.ctx.user, allowed)
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            self.load()
            return
        self.ctx.changed.emit("settings")
        self.ctx.notify("已允许登记未满14周岁的会员" if allowed else "未满14周岁的会员将不能登记")

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
