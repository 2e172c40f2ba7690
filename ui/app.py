"""Start-up: QApplication, bundled fonts, database, first start / login, main window.

``run()`` is called by ``unionsdesk`` (``unionsdesk.cli``). With
``screenshot`` it skips the dialogs, logs in as the first administrator,
opens ``tab`` at ``size``, saves ``window.grab()`` and returns — for tests
and for looking at what a clerk sees.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from unionsdesk import APP_NAME, APP_TITLE
from unionsdesk.errors import UnionsDeskError, UserError

if TYPE_CHECKING:
    from unionsdesk.db.engine import Database

_SIZE = re.compile(r"\s*(\d{2,5})\s*[xX×*]\s*(\d{2,5})\s*")
MIN_SIZE, MAX_SIZE = 320, 8000


def parse_size(text: str) -> tuple[int, int]:
    m = _SIZE.fullmatch(text or "")
    if m is None:
        raise UserError(f"窗口大小“{text}”无法识别，请写作 宽x高，例如 1280x800")
    width, height = int(m[1]), int(m[2])
    if not (MIN_SIZE <= width <= MAX_SIZE and MIN_SIZE <= height <= MAX_SIZE):
        raise UserError(f"窗口大小“{text}”超出范围：宽和高应在 {MIN_SIZE} 到 {MAX_SIZE} 之间")
    return width, height


def ensure_app() -> QApplication:
    """The QApplication (made once), named, with the bundled CJK font."""
    from .fonts import app_font

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setFont(app_font())
    return app


NO_WAIT_ENV = "UNIONSDESK_SCREENSHOT_NO_WAIT"  # grab as soon as the window is shown


def _fail(message: str, screenshot: bool, code: int = 2) -> int:
    if screenshot or QApplication.instance() is None:
        print(f"错误：{message}", file=sys.stderr)
    else:
        QMessageBox.critical(None, APP_TITLE, message)
    return code


def run(
    db_target: str | None,
    screenshot: str | None = None,
    tab: str | None = None,
    size: str = "1280x800",
) -> int:
    shot = screenshot is not None
    width = height = 0
    if shot:
        try:
            width, height = parse_size(size)
        except UserError as exc:
            return _fail(str(exc), True)
        # A screenshot needs no screen: without a display, render offscreen.
        if not (
            os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")
            or sys.platform == "win32"
        ):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = ensure_app()

    from .main_window import resolve_tab_name, valid_tab_names

    tab_name: str | None = None
    if tab is not None:
        tab_name = resolve_tab_name(tab)
        if tab_name is None:
            valid = "、".join(valid_tab_names())
            return _fail(f"没有名为“{tab}”的页签。可用的页签：{valid}", True)

    from unionsdesk.db.open import open_database

    try:
        db = open_database(db_target)
    except UnionsDeskError as exc:
        return _fail(str(exc), shot)
    try:
        if shot:
            assert screenshot is not None
            return _screenshot(app, db, Path(screenshot), tab_name, width, height)
        return _interactive(app, db, tab_name)
    finally:
        db.dispose()


def _screenshot(
    app: QApplication, db: Database, out: Path, tab: str | None, width: int, height: int
) -> int:
    from unionsdesk.services.users import first_admin

    from .context import AppContext
    from .main_window import MainWindow

    try:
        user = first_admin(db)
    except UnionsDeskError as exc:
        return _fail(str(exc), True)
    window = MainWindow(AppContext(db, user), remember=False)
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.setMinimumSize(1, 1)
        window.resize(width, height)
        if tab is not None:
            window.open_tab(tab)
        window.show()
        for _ in range(3):
            app.processEvents()
        if not os.environ.get(NO_WAIT_ENV):  # the benchmark's "window ready" point
            from .workers import wait_for_background

            wait_for_background()
            app.processEvents()
        if not window.grab().save(str(out), "PNG"):
            return _fail(f"无法保存截图到“{out}”（目录不存在或没有写入权限）", True)
        return 0
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


def _interactive(app: QApplication, db: Database, tab: str | None) -> int:
    from .messages import excepthook_installed

    with excepthook_installed():
        return _session(app, db, tab)


def _session(app: QApplication, db: Database, tab: str | None) -> int:
    """First start or login, the window, and again after 注销, until the clerk quits."""
    from unionsdesk.services.base import CurrentUser
    from unionsdesk.services.office import is_initialised

    from .context import AppContext
    from .login import FirstStartDialog, LoginDialog
    from .main_window import MainWindow

    user: CurrentUser | None = None
    try:
        initialised = is_initialised(db)
    except UnionsDeskError as exc:
        return _fail(str(exc), False)
    if not initialised:
        first = FirstStartDialog(db)
        if not first.exec() or first.user is None:
            return 0
        user = first.user  # the administrator just chose the password: no second login
    while True:
        if user is None:
            login = LoginDialog(db)
            if not login.exec() or login.user is None:
                return 0
            user = login.user
        window = MainWindow(AppContext(db, user))
        if tab is not None:
            window.open_tab(tab)
            tab = None
        window.show()
        app.exec()
        if not window.logout_requested:
            return 0
        window.deleteLater()
        user = None
