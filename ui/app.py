"""Start-up: QApplication, bundled fonts, login while the database opens, main window.

``run()`` is called by ``unionsdesk`` (``unionsdesk.cli``). The login window is
shown first, before SQLAlchemy is even imported; ``ui/startup.DatabaseLoader``
opens the database behind it (a new database then goes to first start).

With ``screenshot`` it skips the dialogs, logs in as the first administrator,
opens ``tab`` at ``size``, saves ``window.grab()`` and returns — for tests
and for looking at what a clerk sees. ``--tab 登录`` grabs the login window
instead, started exactly as a clerk's start shows it.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from unionsdesk import APP_NAME, APP_TITLE, logs
from unionsdesk.errors import UnionsDeskError, UserError

if TYPE_CHECKING:
    from unionsdesk.db.engine import Database
    from unionsdesk.services.common.base import CurrentUser

    from .login import LoginDialog
    from .main_window import MainWindow
    from .startup import DatabaseLoader

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
    _collect_garbage_in_gui_thread(app)
    return app


_GC_INTERVAL_MS = 1000


def _collect_garbage_in_gui_thread(app: QApplication) -> None:
    """Python's cyclic garbage collector runs in whichever thread happens to allocate,
    often an import or export worker. A Qt widget caught in a reference cycle (a
    dialog and the callbacks of its job) would then be deleted on that worker, which
    crashes Qt. So automatic collection is switched off and the GUI thread collects
    once a second instead: the youngest generation each time, everything every 30 s."""
    if getattr(app, "_gc_timer", None) is not None:
        return
    import gc

    from PySide6.QtCore import QTimer

    gc.disable()
    ticks = 0

    def collect() -> None:
        nonlocal ticks
        ticks += 1
        gc.collect(2 if ticks % 30 == 0 else 1 if ticks % 5 == 0 else 0)

    timer = QTimer(app)
    timer.setInterval(_GC_INTERVAL_MS)
    timer.timeout.connect(collect)
    timer.start()
    app._gc_timer = timer  # type: ignore[attr-defined]


NO_WAIT_ENV = "UNIONSDESK_SCREENSHOT_NO_WAIT"  # grab as soon as the window is shown


def _fail(message: str, screenshot: bool, code: int = 2) -> int:
    logs.log.warning("window not opened: %s", message)
    if screenshot:
        print(f"错误：{message}", file=sys.stderr)
    elif QApplication.instance() is None:
        logs.tell_user(message)  # stderr, and a native box when no console shows it
    else:
        QMessageBox.critical(None, APP_TITLE, message)
    return code


LOGIN_TAB = "登录"  # --screenshot --tab 登录: the first window, as a clerk sees it


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
    if shot and tab == LOGIN_TAB:
        assert screenshot is not None
        return _screenshot_login(app, db_target, Path(screenshot))

    tab_name: str | None = None
    if tab is not None:
        from .main_window import resolve_tab_name, valid_tab_names

        tab_name = resolve_tab_name(tab)
        if tab_name is None:
            valid = "、".join([LOGIN_TAB, *valid_tab_names()])
            return _fail(f"没有名为“{tab}”的页签。可用的页签：{valid}", True)
    if not shot:
        return _interactive(app, db_target, tab_name)

    from unionsdesk.db.engine import DatabaseDamagedError
    from unionsdesk.db.open import open_database

    try:
        db = open_database(db_target, verify=True)
        if db.damage is not None:
            message = db.damage_message
            db.dispose()
            raise DatabaseDamagedError(message, db.damage)
    except DatabaseDamagedError as exc:  # what the window shows: the recovery screen
        from .recovery import Damaged, RecoveryDialog, recovery_text
        from .startup import _target_path

        path = _target_path(db_target)
        if path is None:  # a server: no recovery screen, its administrator restores it
            return _fail(str(exc), shot)
        assert screenshot is not None
        recovery = RecoveryDialog(Damaged(path, recovery_text(exc.problem)))
        recovery.resize(width, height)
        recovery.show()
        app.processEvents()
        _save_grab(recovery, Path(screenshot))
        recovery.close()
        return _fail(str(exc), shot)
    except UnionsDeskError as exc:
        return _fail(str(exc), shot)
    try:
        assert screenshot is not None
        return _screenshot(app, db, Path(screenshot), tab_name, width, height)
    finally:
        db.dispose()


def _save_grab(widget: QWidget, out: Path) -> int:
    if not widget.grab().save(str(out), "PNG"):
        return _fail(f"无法保存截图到“{out}”（目录不存在或没有写入权限）", True)
    return 0


def _screenshot(
    app: QApplication, db: Database, out: Path, tab: str | None, width: int, height: int
) -> int:
    from PySide6.QtCore import Qt

    from unionsdesk.services.common.users import first_admin

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
        return _save_grab(window, out)
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


def _screenshot_login(app: QApplication, target: str | None, out: Path) -> int:
    """The first window exactly as ``_session`` shows it: grabbed as soon as it is on
    screen (the benchmark's "window ready"), then, unless NO_WAIT_ENV is set, again
    once the database is open and the office name has arrived."""
    from .login import LoginDialog

    login, loader = _first_window(app, target)
    loader.failed.disconnect(login.database_failed)  # no message box: one line on stderr
    try:
        login.show()  # (offscreen without a display, see run())
        for _ in range(3):
            app.processEvents()
        code = _save_grab(login, out)
        if code or os.environ.get(NO_WAIT_ENV):
            return code
        loader.start()  # (if the first paint's start has not come round yet)
        loader.wait()
        app.processEvents()
        if loader.error is not None:
            return _fail(loader.error, True)
        if login.result() == LoginDialog.NEEDS_SETUP:
            return _fail("这是一个新的数据库，尚未初始化（首次启动时会显示“首次使用”窗口）", True)
        return _save_grab(login, out)
    finally:
        login.close()
        loader.wait()
        if loader.result is not None:
            loader.result.db.dispose()


def _first_window(app: QApplication, target: str | None) -> tuple[LoginDialog, DatabaseLoader]:
    """The login window, made before the database is open; the loader starts once the
    window has been painted and reports to it."""
    from .login import LoginDialog
    from .startup import DatabaseLoader

    loader = DatabaseLoader(target, app)
    login = LoginDialog(None)
    loader.opened.connect(login.database_opened)
    loader.failed.connect(login.database_failed)
    loader.damaged.connect(lambda _damage: login.done(LoginDialog.OPEN_FAILED))
    loader.start_after_paint(login)
    return login, loader


def _interactive(app: QApplication, target: str | None, tab: str | None) -> int:
    from .messages import excepthook_installed

    with excepthook_installed():
        return _session(app, target, tab)


def _session(app: QApplication, target: str | None, tab: str | None) -> int:
    """Login (or first start) while the database opens, the window, and again after
    注销, until the clerk quits."""
    from .login import FirstStartDialog, LoginDialog

    login, loader = _first_window(app, target)
    try:
        code = login.exec()
    finally:
        loader.wait()  # quitting at once still lets the worker finish cleanly
    if loader.damage is not None:  # the recovery screen instead of the login
        from .recovery import RecoveryDialog

        recovery = RecoveryDialog(loader.damage)
        if recovery.exec() and recovery.restored is not None:
            return _session(app, target, tab)  # start again on the restored database
        return 2
    if loader.result is None:
        return 2 if code == LoginDialog.OPEN_FAILED or loader.error else 0
    db = loader.result.db
    try:
        user = login.user
        if code == LoginDialog.NEEDS_SETUP:
            first = FirstStartDialog(db)
            if not first.exec() or first.user is None:
                return 0
            user = first.user  # the administrator just chose the password: no second login
        elif code != QDialog.DialogCode.Accepted or user is None:
            return 0
        return _windows(app, db, user, tab)
    finally:
        db.dispose()


def _windows(app: QApplication, db: Database, user: CurrentUser | None, tab: str | None) -> int:
    from .login import LoginDialog

    while True:
        if user is None:
            login = LoginDialog(db)
            if not login.exec() or login.user is None:
                return 0
            user = login.user
        window = show_main_window(db, user, tab)
        tab = None
        app.exec()
        if not window.logout_requested:
            return 0
        window.deleteLater()
        user = None


def show_main_window(db: Database, user: CurrentUser, tab: str | None = None) -> MainWindow:
    """The main window after login, on ``tab`` (or the one last used), shown. Its first
    paint reads only the office row: the rest arrives from workers."""
    from .context import AppContext
    from .main_window import MainWindow

    window = MainWindow(AppContext(db, user))
    if tab is not None:
        window.open_tab(tab)
    window.show()
    return window
