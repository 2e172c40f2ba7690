"""帮助 → 关于工会通 and the internal-error box (issue #15, items 7 and 9), offscreen."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from unionsdesk import logs, version
from unionsdesk.db.engine import Database
from unionsdesk.paths import user_data_dir
from unionsdesk.ui import messages
from unionsdesk.ui.about import AboutDialog

ID_NUMBER = "11010519491231002X"
# The offscreen platform says this for every dialog shown (as in tests/ui/conftest.py).
offscreen_noise = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    from unionsdesk.ui.app import ensure_app

    return ensure_app()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    urls: list[str] = []

    def fake(url: QUrl) -> bool:
        urls.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(fake))
    yield urls


@offscreen_noise
def test_about_shows_version_paths_and_opens_the_data_folder(
    app: QApplication, qtbot: QtBot, tmp_path: Path, opened: list[str]
) -> None:
    db_file = tmp_path / "office" / "unionsdesk.sqlite3"
    dialog = AboutDialog(str(db_file), db_file.parent)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "关于工会通"
    assert dialog.values["version"].text() == version()
    assert dialog.values["database"].text() == str(db_file)
    assert dialog.values["dataDir"].text() == str(db_file.parent)
    log = logs.log_file()
    assert dialog.values["logFile"].text() == (
        str(log) if log else f"本次未记录日志（日志文件夹：{logs.log_dir()}）"
    )
    dialog.open_data_button.click()
    dialog.open_log_button.click()
    assert opened == [str(db_file.parent), str(logs.log_dir())]
    assert db_file.parent.is_dir()  # made if missing, so the file manager has something to show
    dialog.show()
    qtbot.waitExposed(dialog)
    shot = Path(os.environ.get("UNIONSDESK_ABOUT_PNG") or tmp_path / "about.png")
    assert dialog.grab().save(str(shot))


def test_about_defaults_to_the_user_data_folder(app: QApplication, qtbot: QtBot) -> None:
    dialog = AboutDialog("postgresql+psycopg://clerk:***@server/db")
    qtbot.addWidget(dialog)
    assert dialog.values["dataDir"].text() == str(user_data_dir())


@offscreen_noise
def test_internal_error_box_copies_details_and_opens_the_log_folder(
    app: QApplication, qtbot: QtBot, opened: list[str]
) -> None:
    try:
        raise ValueError(f"坏数据 {ID_NUMBER}")
    except ValueError as exc:
        box = messages.error_box(None, exc)
    qtbot.addWidget(box)
    labels = {b.text(): b for b in box.buttons()}
    assert {"复制详细信息", "打开日志文件夹", "关闭"} <= set(labels)
    assert "程序内部错误" in box.text() and ID_NUMBER not in box.text()
    box.show()
    qtbot.waitExposed(box)
    labels["复制详细信息"].click()
    copied = QGuiApplication.clipboard().text()
    assert "Traceback" in copied and "ValueError: 坏数据 [身份证号]" in copied
    assert f"工会通 {version()}" in copied and ID_NUMBER not in copied
    assert box.isVisible() and labels["复制详细信息"].text() == "已复制"  # the box stays open
    labels["打开日志文件夹"].click()
    assert opened == [str(logs.log_dir())] and box.isVisible()
    labels["关闭"].click()
    assert not box.isVisible()


@offscreen_noise
def test_main_window_has_help_about(
    app: QApplication, qtbot: QtBot, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unionsdesk.services.common.users import first_admin
    from unionsdesk.ui.context import AppContext
    from unionsdesk.ui.main_window import MainWindow

    window = MainWindow(AppContext(demo_db, first_admin(demo_db)), remember=False)
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert "帮助(&H)" in menus
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    window.about_action.trigger()
    assert shown and shown[0].values["database"].text() == str(demo_db.path)
    assert shown[0].values["dataDir"].text() == str(Path(str(demo_db.path)).parent)


def test_clerk_errors_stay_one_sentence(app: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    from unionsdesk.errors import UserError

    boxes: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda _p, _t, text, *a: boxes.append(text))
    )
    messages.show_error(None, UserError("金额不能为负数"))
    assert boxes == ["金额不能为负数"]
