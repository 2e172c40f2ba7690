"""UI fixtures: offscreen Qt, sandboxed QSettings, recorded message boxes, windows.

``demo_db`` / ``empty_db`` / ``demo_db_file`` come from tests/conftest.py (a
migrated template copied per test).
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.domain.idcard import check_char
from unionsdesk.services.common import users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.ui.context import AppContext
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.members.members import MembersTab
from unionsdesk.ui.workers import wait_for_background

# The offscreen platform cannot resize native windows to their size hints and says
# so for every dialog; that is the test platform talking, not the program.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session", autouse=True)
def _ui_app(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> QApplication:
    """Names, fonts and a throw-away QSettings location, as ``unionsdesk.ui.app`` sets them."""
    from unionsdesk.ui.app import ensure_app

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat,
        QSettings.Scope.UserScope,
        str(tmp_path_factory.mktemp("qsettings")),
    )
    return ensure_app()


@pytest.fixture(autouse=True)
def _clean_settings() -> Iterator[None]:
    QSettings().clear()
    yield
    QSettings().clear()


@dataclass
class Shown:
    """Message boxes the code under test showed (none of them blocks)."""

    boxes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, title, text)

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, _title, t in self.boxes if kind is None or k == kind]


@pytest.fixture(autouse=True)
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    record = Shown()

    def fake(kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def box(_parent: object, title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
            record.boxes.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return box

    for kind in ("critical", "information", "warning", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(fake(kind)))
    return record


@pytest.fixture
def login_as() -> Callable[[Database, str], CurrentUser]:
    """Log a demo user in (all demo users share one password)."""

    def login(db: Database, name: str) -> CurrentUser:
        return users.login(db, name, DEMO_PASSWORD)

    return login


@pytest.fixture
def admin_user(demo_db: Database) -> CurrentUser:
    return users.first_admin(demo_db)


@pytest.fixture
def make_window(qtbot: QtBot) -> Callable[..., MainWindow]:
    def make(db: Database, user: CurrentUser, *, remember: bool = False) -> MainWindow:
        window = MainWindow(AppContext(db, user), remember=remember)
        qtbot.addWidget(window)
        if not remember:
            window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def admin_window(
    demo_db: Database, admin_user: CurrentUser, make_window: Callable[..., MainWindow]
) -> MainWindow:
    return make_window(demo_db, admin_user)


@pytest.fixture
def looks_like_screenshot() -> Callable[[Path], bool]:
    return _looks_like_screenshot


def _looks_like_screenshot(path: Path) -> bool:
    """A real screenshot: a non-empty PNG that is not one flat colour."""
    from PySide6.QtGui import QImage

    if not path.is_file() or path.stat().st_size == 0:
        return False
    image = QImage(str(path))
    if image.isNull():
        return False
    colours = set()
    step_x, step_y = max(1, image.width() // 64), max(1, image.height() // 64)
    for y in range(0, image.height(), step_y):
        for x in range(0, image.width(), step_x):
            colours.add(image.pixel(x, y))
            if len(colours) > 8:
                return True
    return False


# -- helpers for the 会员 tab tests ---------------------------------------------------


def make_id(birth: str, seq: str, area: str = "360830") -> str:
    first = area + birth + seq
    return first + check_char(first)


def members_tab(window: MainWindow, *, settled: bool = True) -> MembersTab:
    """The 会员 tab; ``settled``: once the rest of the list (read on a worker thread
    after the first page) has arrived."""
    assert window.open_tab("会员")
    tab = window.content("会员")
    assert isinstance(tab, MembersTab)
    if settled:
        wait_for_background()
    return tab
