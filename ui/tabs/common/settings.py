"""设置: sub-pages listed on the left, each built the first time it is opened.

A sub-page is a ``SettingsPage`` subclass in its own module, registered in
``PAGES``. Pages that need the administrator permission show a note and
stay read-only (or hide their data) for other roles; the services check the
permission again.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from unionsdesk.services.common.base import ADMIN

from ...context import AppContext

NOTE_STYLE = (
    "background: #fff8e1; border: 1px solid #ffe082; border-radius: 3px;"
    " padding: 6px 10px; color: #5d4037;"
)


class SettingsPage(QWidget):
    """Base of the 设置 sub-pages.

    ``permission`` is what editing needs. Without it the page calls
    ``restrict(note)``: the note is shown at the top and subclasses disable
    their editing widgets (see ``editable``).
    """

    title = ""
    permission: str = ADMIN

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName(f"page_{type(self).__name__}")
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(16, 12, 16, 12)
        self.outer.setSpacing(10)
        heading = QLabel(self.title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        self.outer.addWidget(heading)
        self.note = QLabel()
        self.note.setObjectName("restrictedNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.hide()
        self.outer.addWidget(self.note)
        self._fresh = True

    @property
    def editable(self) -> bool:
        return self.ctx.user.can(self.permission)

    @property
    def restricted(self) -> bool:
        return not self.editable

    def restrict(self, note: str) -> None:
        self.note.setText(note)
        self.note.show()

    def admin_note(self, what: str) -> str:
        u = self.ctx.user
        return (
            f"{what}需要管理员权限。当前用户“{u.display_name}”的角色是“{u.role_name}”，只能查看。"
        )

    def refresh(self) -> None:
        """Reload from the database (called when the page is shown again)."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if event.spontaneous():
            return
        if self._fresh:
            self._fresh = False
        else:
            self.refresh()


@dataclass(frozen=True)
class PageSpec:
    title: str
    module: str
    cls: str
    permission: str = ADMIN  # for the grey hint in the list; the page decides the rest

    def load(self) -> type[SettingsPage]:
        page: type[SettingsPage] = getattr(importlib.import_module(self.module), self.cls)
        return page


_P = "unionsdesk.ui.tabs.common."
PAGES: list[PageSpec] = [
    PageSpec("单位信息", _P + "settings_office", "OfficePage"),
    PageSpec("用户和角色", _P + "settings_users", "UsersPage"),
    PageSpec("字典", _P + "settings_codes", "CodesPage"),
    PageSpec("操作日志", _P + "settings_audit", "AuditPage"),
    PageSpec("备份与恢复", _P + "settings_backup", "BackupPage"),
    PageSpec("套打偏移", _P + "settings_print", "PrintOffsetsPage"),
    PageSpec("阵地与经费", "unionsdesk.ui.tabs.sites.settings_sites", "SitesSettingsPage"),
]


class SettingsTab(QWidget):
    @classmethod
    def page_titles(cls) -> list[str]:
        return [p.title for p in PAGES]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("settingsTab")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("settingsNav")
        self.nav.setFixedWidth(
            max(150, self.nav.fontMetrics().horizontalAdvance("备份与恢复") + 56)
        )
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self._pages: list[SettingsPage | None] = []
        self._holder_layouts: list[QVBoxLayout] = []
        for spec in PAGES:
            item = QListWidgetItem(spec.title)
            item.setSizeHint(QSize(0, self.nav.fontMetrics().height() * 2))
            if not ctx.user.can(spec.permission):
                item.setForeground(QBrush(QColor("#888")))
                item.setToolTip("需要管理员权限，当前用户只能查看")
            self.nav.addItem(item)
            holder = QWidget()
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            self._holder_layouts.append(holder_layout)
            self.stack.addWidget(holder)
            self._pages.append(None)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(0)

    def page(self, title: str) -> SettingsPage:
        """The sub-page called ``title``, built if needed."""
        index = [p.title for p in PAGES].index(title)
        return self._build(index)

    def _build(self, index: int) -> SettingsPage:
        page = self._pages[index]
        if page is None:
            page = PAGES[index].load()(self.ctx)
            self._holder_layouts[index].addWidget(page)
            page.show()
            self._pages[index] = page
        return page

    def _show_page(self, index: int) -> None:
        if index < 0:
            return
        self._build(index)
        self.stack.setCurrentIndex(index)

    def current_page(self) -> SettingsPage | None:
        index = self.nav.currentRow()
        return self._pages[index] if index >= 0 else None

    def open_page(self, name: str) -> bool:
        """Open a sub-page by its title or an unambiguous beginning of it ("用户")."""
        titles = [p.title for p in PAGES]
        matches = [t for t in titles if t == name] or [t for t in titles if t.startswith(name)]
        if len(matches) != 1:
            return False
        self.nav.setCurrentRow(titles.index(matches[0]))
        return True

    def save(self) -> None:
        save = getattr(self.current_page(), "save", None)
        if save is not None:
            save()
        else:
            self.ctx.notify("此页没有需要保存的内容")

    def focus_search(self) -> bool:
        finder = getattr(self.current_page(), "focus_search", None)
        return bool(finder is not None and finder())
