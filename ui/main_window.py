"""The main window: one tab per area, built lazily from ``TABS``.

A later area adds one ``TabSpec`` line to ``TABS``. A tab is any QWidget made
by ``factory(ctx: AppContext)``; it may offer

- ``refresh()``            — reload; called when the tab is shown again after a
  ``ctx.changed`` broadcast (or every time, if it sets ``refresh_on_show = True``),
- ``save()``               — Ctrl+S,
- ``focus_search() -> bool`` — Ctrl+F,
- ``page_titles()`` (classmethod) and ``open_page(title) -> bool`` — sub-pages
  that ``--tab 设置/用户和角色`` can open.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError

from .context import AppContext


@dataclass(frozen=True)
class TabSpec:
    title: str
    module: str  # imported when the tab is first shown
    factory: str  # a class or function in ``module`` taking the AppContext
    permission: str | None = None  # tab shown only to roles with this permission

    def load(self) -> Callable[[AppContext], QWidget]:
        factory: Callable[[AppContext], QWidget] = getattr(
            importlib.import_module(self.module), self.factory
        )
        return factory


TABS: list[TabSpec] = [
    TabSpec("首页", "unionsdesk.ui.tabs.common.home", "HomeTab"),
    TabSpec("会员", "unionsdesk.ui.tabs.members.members", "MembersTab"),
    TabSpec("基层工会", "unionsdesk.ui.tabs.members.unions", "UnionsTab"),
    TabSpec("困难职工", "unionsdesk.ui.tabs.aid.hardship", "HardshipTab"),
    TabSpec("帮扶慰问", "unionsdesk.ui.tabs.aid.campaigns", "CampaignsTab"),
    TabSpec("收据", "unionsdesk.ui.tabs.aid.receipts", "ReceiptsTab"),
    TabSpec("劳模与竞赛", "unionsdesk.ui.tabs.honours.honours", "HonoursTab"),
    TabSpec("互助保障", "unionsdesk.ui.tabs.mutual.mutual", "MutualTab"),
    TabSpec("维权", "unionsdesk.ui.tabs.rights.rights", "RightsTab", "rights.view"),
    TabSpec("阵地与补助", "unionsdesk.ui.tabs.sites.sites", "SitesTab"),
    TabSpec("报表", "unionsdesk.ui.tabs.stats.reports", "StatsTab"),
    TabSpec("设置", "unionsdesk.ui.tabs.common.settings", "SettingsTab"),
]

GEOMETRY_KEY = "main/geometry"
TAB_KEY = "main/tab"


def valid_tab_names() -> list[str]:
    """Every name ``--tab`` accepts: tab titles and "tab/sub-page" pairs."""
    names: list[str] = []
    for spec in TABS:
        names.append(spec.title)
        page_titles = getattr(spec.load(), "page_titles", None)
        if page_titles is not None:
            names += [f"{spec.title}/{page}" for page in page_titles()]
    return names


def resolve_tab_name(name: str) -> str | None:
    """The canonical "tab" or "tab/sub-page" for ``name`` ("设置/用户" → "设置/用户和角色")."""
    title, _, page = name.strip().partition("/")
    for spec in TABS:
        if spec.title != title:
            continue
        if not page:
            return title
        page_titles = getattr(spec.load(), "page_titles", None)
        pages: list[str] = page_titles() if page_titles is not None else []
        matches = [p for p in pages if p == page] or [p for p in pages if p.startswith(page)]
        return f"{title}/{matches[0]}" if len(matches) == 1 else None
    return None


def window_title(office_name: str, ctx: AppContext) -> str:
    u = ctx.user
    return f"{APP_TITLE} — {office_name} — {u.display_name}（{u.role_name}）"


def database_label(ctx: AppContext) -> str:
    if ctx.db.path is not None:
        return str(ctx.db.path)
    from sqlalchemy.engine import make_url

    return make_url(ctx.db.url).render_as_string(hide_password=True)


class _TabHolder(QWidget):
    """Stands in for a tab until it is first shown; then holds the real widget."""

    def __init__(self, spec: TabSpec) -> None:
        super().__init__()
        self.spec = spec
        self.content: QWidget | None = None
        self.stale = False
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def build(self, ctx: AppContext) -> QWidget:
        if self.content is None:
            self.content = self.spec.load()(ctx)
            self._layout.addWidget(self.content)
            self.content.show()  # now, not at the next event-loop turn
        return self.content


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, *, remember: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.remember = remember
        self.logout_requested = False
        ctx.setParent(self)
        self.setObjectName("mainWindow")
        self.setMinimumSize(900, 600)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self._holders: list[_TabHolder] = []
        for spec in TABS:
            if spec.permission and not ctx.user.can(spec.permission):
                continue
            holder = _TabHolder(spec)
            self._holders.append(holder)
            self.tabs.addTab(holder, spec.title)
        self.setCentralWidget(self.tabs)

        self._build_menu()
        self.db_label = QLabel(f"数据库：{database_label(ctx)}")
        self.db_label.setObjectName("dbPath")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.db_label)
        ctx.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        ctx.changed.connect(self._on_changed)

        self.update_title()
        self._restore()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._on_tab_changed(self.tabs.currentIndex())

    # -- set-up ---------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menu(self) -> None:
        system = self.menuBar().addMenu("系统(&S)")
        self.change_password_action = self._action("修改密码(&P)…", self.change_password)
        self.logout_action = self._action("注销(&L)", self.logout)
        self.quit_action = self._action("退出(&X)", self.close, "Ctrl+Q")
        system.addAction(self.change_password_action)
        system.addSeparator()
        system.addAction(self.logout_action)
        system.addAction(self.quit_action)
        edit = self.menuBar().addMenu("编辑(&E)")
        self.save_action = self._action(
            "保存(&S)", self.save_current, QKeySequence.StandardKey.Save
        )
        self.find_action = self._action(
            "查找(&F)", self.focus_search, QKeySequence.StandardKey.Find
        )
        edit.addAction(self.save_action)
        edit.addAction(self.find_action)
        self.about_action = self._action(f"关于{APP_TITLE}(&A)", self.show_about)
        self.menuBar().addMenu("帮助(&H)").addAction(self.about_action)

    def show_about(self) -> None:
        from .about import AboutDialog

        path = self.ctx.db.path
        AboutDialog(database_label(self.ctx), path.parent if path else None, self).exec()

    def _restore(self) -> None:
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen else None
        width, height = 1280, 800
        if available is not None:
            width, height = min(width, available.width()), min(height, available.height())
        self.resize(width, height)
        if not self.remember:
            return
        settings = QSettings()
        geometry = settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        last = settings.value(TAB_KEY)
        if isinstance(last, str):
            self.open_tab(last)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.remember:
            settings = QSettings()
            settings.setValue(GEOMETRY_KEY, self.saveGeometry())
            settings.setValue(TAB_KEY, self.tabs.tabText(self.tabs.currentIndex()))
        super().closeEvent(event)

    # -- tabs -----------------------------------------------------------------------
    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def current_content(self) -> QWidget | None:
        holder = self.tabs.currentWidget()
        return holder.content if isinstance(holder, _TabHolder) else None

    def content(self, title: str) -> QWidget:
        """The tab's widget, building it if needed (KeyError for an unknown title)."""
        index = self.tab_titles().index(title) if title in self.tab_titles() else -1
        if index < 0:
            raise KeyError(title)
        return self._holders[index].build(self.ctx)

    def open_tab(self, name: str) -> bool:
        """Show ``name`` ("设置" or "设置/用户和角色"); False when there is no such tab."""
        title, _, page = name.partition("/")
        titles = self.tab_titles()
        if title not in titles:
            return False
        self.tabs.setCurrentIndex(titles.index(title))
        if page:
            opener = getattr(self.content(title), "open_page", None)
            return bool(opener is not None and opener(page))
        return True

    def _on_tab_changed(self, index: int) -> None:
        if index < 0:
            return
        holder = self._holders[index]
        fresh = holder.content is None
        content = holder.build(self.ctx)
        if not fresh and (holder.stale or getattr(content, "refresh_on_show", False)):
            refresh = getattr(content, "refresh", None)
            if refresh is not None:
                refresh()
        holder.stale = False

    def _on_changed(self, area: str) -> None:
        if area in ("office", "*"):
            self.update_title()
        current = self.tabs.currentWidget()
        for holder in self._holders:
            if holder is not current:
                holder.stale = True

    def update_title(self) -> None:
        from unionsdesk.services.common.office import get_office

        try:
            name = get_office(self.ctx.db).name
        except UnionsDeskError:
            name = "（未设置单位）"
        self.setWindowTitle(window_title(name, self.ctx))

    # -- actions --------------------------------------------------------------------
    def save_current(self) -> None:
        save = getattr(self.current_content(), "save", None)
        if save is None:
            self.statusBar().showMessage("此页没有需要保存的内容", 4000)
            return
        save()

    def focus_search(self) -> None:
        finder = getattr(self.current_content(), "focus_search", None)
        if finder is None or not finder():
            self.statusBar().showMessage("此页没有搜索框", 4000)

    def change_password(self) -> None:
        from .login import ChangePasswordDialog

        if ChangePasswordDialog(self.ctx.db, self.ctx.user, self).exec():
            self.statusBar().showMessage("密码已修改，下次登录请使用新密码", 8000)

    def logout(self) -> None:
        self.logout_requested = True
        self.close()
