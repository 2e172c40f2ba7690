"""设置 › 操作日志: who changed what, when; filters and before/after details."""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError
from unionsdesk.services.common import audit as audit_svc
from unionsdesk.services.common.audit import (
    ACTION_NAMES,
    ENTITY_NAMES,
    AuditEntry,
    AuditFilter,
    field_label,
    show_field,
)

from ...context import AppContext
from ...messages import show_error
from ...widgets.table import fill_table, make_table, row_data
from .settings import SettingsPage

PAGE_SIZE = 500
NO_LIMIT = QDate(2000, 1, 1)  # the minimum date of the date boxes means "不限"


class AuditDetailDialog(QDialog):
    """One audit row: a readable before/after table and the stored JSON."""

    def __init__(self, entry: AuditEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — 操作详情")
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        head = QLabel(
            f"{entry.at:%Y-%m-%d %H:%M:%S}　{entry.operator}　{entry.action_name}"
            f"　{entry.entity_name}{f'（编号 {entry.entity_id}）' if entry.entity_id else ''}"
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        if entry.summary:
            summary = QLabel(entry.summary)
            summary.setWordWrap(True)
            layout.addWidget(summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = make_table(["项目", "修改前", "修改后"])
        self.table.setObjectName("auditDiff")
        before, after = entry.shown_before, entry.shown_after  # labels, not codes
        keys = list(dict.fromkeys([*(before or {}), *(after or {})]))
        fill_table(
            self.table,
            [
                (field_label(entry.entity, k),
                 show_field(entry.entity, k, before.get(k)) if before is not None else "",
                 show_field(entry.entity, k, after.get(k)) if after is not None else "")
                for k in keys
            ],
        )  # fmt: skip
        splitter.addWidget(self.table)
        self.json = QPlainTextEdit()
        self.json.setObjectName("auditJson")
        self.json.setReadOnly(True)

        def dump(value: object) -> str:
            return "（无）" if value is None else json.dumps(value, ensure_ascii=False, indent=2)

        self.json.setPlainText(f"修改前：\n{dump(entry.before)}\n\n修改后：\n{dump(entry.after)}")
        if not keys:
            self.table.setRowCount(1)
            self.table.setSpan(0, 0, 1, 3)
            self.table.setItem(0, 0, QTableWidgetItem("这条记录没有保存修改前后的内容"))
        splitter.addWidget(self.json)
        splitter.setSizes([300, 160])
        layout.addWidget(splitter, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        layout.addWidget(box)


def _date_box() -> QDateEdit:
    box = QDateEdit()
    box.setCalendarPopup(True)
    box.setDisplayFormat("yyyy-MM-dd")
    box.setMinimumDate(NO_LIMIT)
    box.setMaximumDate(QDate(2100, 12, 31))
    box.setSpecialValueText("不限")
    box.setDate(NO_LIMIT)
    return box


class AuditPage(SettingsPage):
    title = "操作日志"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.entries: list[AuditEntry] = []
        self.user_box = QComboBox()
        self.user_box.setObjectName("auditUser")
        self.action_box = QComboBox()
        self.action_box.setObjectName("auditAction")
        self.entity_box = QComboBox()
        self.entity_box.setObjectName("auditEntity")
        for box, names in ((self.action_box, ACTION_NAMES), (self.entity_box, ENTITY_NAMES)):
            box.addItem("全部", None)
            for code, name in names.items():
                box.addItem(name, code)
        for box in (self.user_box, self.action_box, self.entity_box):
            box.setMinimumWidth(self.fontMetrics().horizontalAdvance("生成示例数据") + 48)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.since_box = _date_box()
        self.since_box.setObjectName("auditSince")
        self.until_box = _date_box()
        self.until_box.setObjectName("auditUntil")
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("auditText")
        self.text_edit.setPlaceholderText("内容包含的文字（Ctrl+F）")
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.setMinimumWidth(260)
        self.search_button = QPushButton("查询")
        self.search_button.setObjectName("auditSearch")
        self.reset_button = QPushButton("清除条件")
        first, second = QHBoxLayout(), QHBoxLayout()
        for layout, row in (
            (first, [("操作人", self.user_box), ("操作", self.action_box),
                     ("对象", self.entity_box)]),
            (second, [("日期从", self.since_box), ("到", self.until_box),
                      ("内容", self.text_edit)]),
        ):  # fmt: skip
            for label, widget in row:
                layout.addWidget(QLabel(label))
                layout.addWidget(widget)
                layout.addSpacing(10)
        second.addWidget(self.search_button)
        second.addWidget(self.reset_button)
        first.addStretch(1)
        second.addStretch(1)
        self.outer.addLayout(first)
        self.outer.addLayout(second)

        self.table = make_table(["时间", "操作人", "操作", "对象", "编号", "内容"])
        self.table.setObjectName("auditTable")
        self.outer.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.count_label = QLabel()
        self.more_button = QPushButton("加载更多")
        self.more_button.setObjectName("auditMore")
        bottom.addWidget(QLabel("双击一行查看修改前后的内容。"))
        bottom.addStretch(1)
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.more_button)
        self.outer.addLayout(bottom)

        self.search_button.clicked.connect(self.refresh)
        self.reset_button.clicked.connect(self.reset_filters)
        self.text_edit.returnPressed.connect(self.refresh)
        for box in (self.user_box, self.action_box, self.entity_box):
            box.activated.connect(lambda _i: self.refresh())
        self.more_button.clicked.connect(self.load_more)
        self.table.doubleClicked.connect(lambda _i: self.show_detail())

        if not self.editable:
            self.restrict(self.admin_note("查看操作日志"))
            self.setEnabledAll(False)
            return
        self._fill_users()
        self.refresh()

    def setEnabledAll(self, enabled: bool) -> None:
        for w in (
            self.user_box, self.action_box, self.entity_box, self.since_box, self.until_box,
            self.text_edit, self.search_button, self.reset_button, self.table, self.more_button,
        ):  # fmt: skip
            w.setEnabled(enabled)

    def _fill_users(self) -> None:
        current = self.user_box.currentData()
        self.user_box.clear()
        self.user_box.addItem("全部", None)
        names = audit_svc.user_names(self.ctx.db)
        for login in audit_svc.audit_users(self.ctx.db):
            self.user_box.addItem(names.get(login, login), login)
        index = self.user_box.findData(current)
        self.user_box.setCurrentIndex(max(index, 0))

    def current_filter(self) -> AuditFilter:
        def day(box: QDateEdit) -> date | None:
            d = box.date()
            return None if d == NO_LIMIT else date(d.year(), d.month(), d.day())

        return AuditFilter(
            user_login=self.user_box.currentData(),
            action=self.action_box.currentData(),
            entity=self.entity_box.currentData(),
            since=day(self.since_box),
            until=day(self.until_box),
            text=self.text_edit.text().strip() or None,
        )

    def reset_filters(self) -> None:
        for box in (self.user_box, self.action_box, self.entity_box):
            box.setCurrentIndex(0)
        self.since_box.setDate(NO_LIMIT)
        self.until_box.setDate(NO_LIMIT)
        self.text_edit.clear()
        self.refresh()

    def _query(self, offset: int) -> list[AuditEntry] | None:
        try:
            return audit_svc.query_audit(
                self.ctx.db, self.ctx.user, self.current_filter(), limit=PAGE_SIZE, offset=offset
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取操作日志")
            return None

    def refresh(self) -> None:
        if not self.editable:
            return
        rows = self._query(0)
        if rows is None:
            return
        self.entries = rows
        self._show()

    def load_more(self) -> None:
        rows = self._query(len(self.entries))
        if rows is None:
            return
        self.entries += rows
        self._show()

    def _show(self) -> None:
        fill_table(
            self.table,
            [
                (f"{e.at:%Y-%m-%d %H:%M:%S}", e.operator, e.action_name, e.entity_name,
                 e.entity_id or "", e.describe())
                for e in self.entries
            ],
            self.entries,
            align_right=(4,),
        )  # fmt: skip
        full = len(self.entries) % PAGE_SIZE == 0 and len(self.entries) > 0
        self.more_button.setEnabled(full)
        self.count_label.setText(
            f"共显示 {len(self.entries)} 条" + ("，可能还有更早的" if full else "")
        )

    def show_detail(self) -> None:
        entry: AuditEntry | None = row_data(self.table)
        if entry is not None:
            AuditDetailDialog(entry, self).exec()

    def focus_search(self) -> bool:
        if not self.text_edit.isEnabled():
            return False
        self.text_edit.setFocus()
        self.text_edit.selectAll()
        return True
