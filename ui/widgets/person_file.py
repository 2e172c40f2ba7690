"""人员档案: one person's every appearance, read-only (services.common.person_file).

`open_person_file(parent, ctx, person_id)` from a register's right-click menu;
`PersonSearchDialog` finds the person first (name, pinyin, ID number), e.g. from 首页.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError
from unionsdesk.services.common.person_file import PersonFile, find_people, person_file
from unionsdesk.table import Table

from ..context import AppContext
from ..messages import show_error
from .panes import debounce
from .table import fill_table, make_table, yuan


def _cell(value: object, kind: str) -> object:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int):
        return yuan(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def section_table(table: Table) -> QTableWidget:
    widget = make_table([c.label for c in table.columns])
    widget.setObjectName(f"section_{table.title}")
    right = [i for i, c in enumerate(table.columns) if c.kind in ("money", "int")]
    fill_table(
        widget,
        [[_cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in table.rows],
        align_right=right,
    )
    height = (
        widget.horizontalHeader().height()
        + widget.verticalHeader().defaultSectionSize() * max(len(table.rows), 1)
    )
    widget.setFixedHeight(height + 6)
    widget.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget


class PersonFileDialog(QDialog):
    def __init__(self, ctx: AppContext, file: PersonFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file = file
        self.setObjectName("personFile")
        self.setWindowTitle(f"{APP_TITLE} — 人员档案：{file.name}")
        self.resize(980, 680)
        layout = QVBoxLayout(self)
        heading = QLabel(file.heading + (f"    电话 {file.phone}" if file.phone else ""))
        heading.setObjectName("personHeading")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        note = QLabel("只读：本人在各项业务中的全部记录。修改请到相应页签。")
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 8, 0)
        self.section_widgets: dict[str, QWidget] = {}
        for table in file.sections:
            title = QLabel(
                f"{table.title}（{len(table.rows)}）" if table.rows else f"{table.title}：无"
            )
            bold = QFont(title.font())
            bold.setBold(True)
            title.setFont(bold)
            inner.addWidget(title)
            if table.rows:
                widget = section_table(table)
                inner.addWidget(widget)
                self.section_widgets[table.title] = widget
        if file.hidden_note:  # always there for such a user: it tells nothing about the person
            hidden = QLabel(file.hidden_note)
            hidden.setObjectName("hiddenSections")
            hidden.setStyleSheet("color: #777;")
            inner.addWidget(hidden)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def open_person_file(parent: QWidget, ctx: AppContext, person_id: int) -> PersonFileDialog | None:
    try:
        file = person_file(ctx.db, ctx.user, person_id)
    except UnionsDeskError as exc:
        show_error(parent, exc, "无法打开人员档案")
        return None
    dialog = PersonFileDialog(ctx, file, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class PersonSearchDialog(QDialog):
    """Type a name, pinyin initials or ID number; Enter or double-click opens the file."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.opened: PersonFileDialog | None = None
        self.setWindowTitle(f"{APP_TITLE} — 查看人员档案")
        self.resize(460, 420)
        layout = QVBoxLayout(self)
        self.edit = QLineEdit()
        self.edit.setObjectName("personSearch")
        self.edit.setPlaceholderText("姓名、拼音首字母或身份证号")
        layout.addWidget(self.edit)
        self.results = QListWidget()
        self.results.setObjectName("personResults")
        layout.addWidget(self.results, 1)
        self._timer = debounce(self, 150, self.search)
        self.edit.textChanged.connect(lambda _t: self._timer.start())
        self.edit.returnPressed.connect(self.open_selected)
        self.results.itemActivated.connect(lambda _i: self.open_selected())

    def search(self) -> None:
        try:
            people = find_people(self.ctx.db, self.ctx.user, self.edit.text())
        except UnionsDeskError as exc:
            show_error(self, exc)
            return
        self.results.clear()
        for pid, name, number in people:
            item = QListWidgetItem(f"{name}    {number}")
            item.setData(Qt.ItemDataRole.UserRole, pid)
            self.results.addItem(item)
        if people:
            self.results.setCurrentRow(0)

    def open_selected(self) -> None:
        self._timer.stop()
        if self.results.count() == 0:
            self.search()
        item = self.results.currentItem()
        if item is not None:
            self.opened = open_person_file(self, self.ctx, int(item.data(Qt.ItemDataRole.UserRole)))
