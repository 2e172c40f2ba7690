"""The login window comes first and the database opens behind it (ui/startup.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.conftest import Shown
from unionsdesk.db.engine import Database
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.ui.login import LoginDialog
from unionsdesk.ui.startup import DatabaseLoader, Opened


def _loading_login(qtbot: QtBot, target: str) -> tuple[LoginDialog, DatabaseLoader]:
    from unionsdesk.ui.app import _first_window, ensure_app

    login, loader = _first_window(ensure_app(), target)
    qtbot.addWidget(login)
    login.show()
    return login, loader


def test_login_pressed_before_the_database_is_open_finishes_once_it_is(
    qtbot: QtBot, demo_db_file: Path
) -> None:
    login, loader = _loading_login(qtbot, str(demo_db_file))
    assert login.db is None and login.office_label.text() == "正在打开数据库…"
    login.login_edit.setText("admin")
    login.password_edit.setText(DEMO_PASSWORD)
    login.try_login()  # the clerk was quicker than the disk
    if login.user is None:  # (normally: the loader has not reported yet)
        assert "正在打开数据库" in login.error.text()
    with qtbot.waitSignal(login.accepted, timeout=30_000):
        pass
    loader.wait()
    assert login.user is not None and login.user.login == "admin"
    assert login.office_label.text() == "示例县总工会"
    assert isinstance(loader.result, Opened) and loader.result.initialised
    loader.result.db.dispose()


def test_a_wrong_password_typed_early_is_refused_once_open(
    qtbot: QtBot, demo_db_file: Path
) -> None:
    login, loader = _loading_login(qtbot, str(demo_db_file))
    login.login_edit.setText("admin")
    login.password_edit.setText("wrong-password")
    login.try_login()
    qtbot.waitUntil(lambda: "用户名或密码不正确" in login.error.text(), timeout=30_000)
    assert login.user is None and login.isVisible()
    loader.wait()
    assert loader.result is not None
    loader.result.db.dispose()


def test_a_new_database_goes_to_first_start(qtbot: QtBot, tmp_path: Path) -> None:
    login, loader = _loading_login(qtbot, str(tmp_path / "new.sqlite3"))
    qtbot.waitUntil(lambda: login.result() == LoginDialog.NEEDS_SETUP, timeout=30_000)
    assert loader.result is not None and not loader.result.initialised
    assert isinstance(login.db, Database)
    loader.result.db.dispose()


def test_a_database_that_cannot_be_opened_is_one_message(
    qtbot: QtBot, tmp_path: Path, shown: Shown
) -> None:
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    before = bad.read_bytes()
    login, _loader = _loading_login(qtbot, str(bad))
    qtbot.waitUntil(lambda: login.result() == LoginDialog.OPEN_FAILED, timeout=30_000)
    assert login.open_error and len(shown.texts("critical")) == 1
    assert shown.texts("critical")[0] == login.open_error
    assert bad.read_bytes() == before  # refused untouched


def test_run_returns_2_when_the_database_cannot_be_opened(tmp_path: Path, shown: Shown) -> None:
    from unionsdesk.ui.app import run

    code = run(str(tmp_path / "missing-dir" / "x.sqlite3"))
    assert code == 2
    assert len(shown.boxes) == 1 and "目录不存在" in shown.boxes[0][2]


def test_the_first_window_loads_no_database_code() -> None:
    """What the login window needs must not pull in SQLAlchemy or the services: that
    is what makes it appear as fast as an empty window (tests/bench)."""
    code = """
import sys
from unionsdesk.cli import _window_only
assert _window_only(["--db", "x.sqlite3"]) is not None
assert _window_only(["import", "members", "f.xlsx"]) is None
assert _window_only(["--help"]) is None
import unionsdesk.ui.app, unionsdesk.ui.login, unionsdesk.ui.startup
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "openpyxl", "reportlab")
               or m.startswith(("unionsdesk.services", "unionsdesk.db", "unionsdesk.commands")))
print(" ".join(heavy))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""


def test_screenshot_of_the_login_window(demo_db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "login.png"
    exe = Path(sys.executable).parent / "unionsdesk"
    done = subprocess.run(
        [str(exe), "--db", str(demo_db_file), "--screenshot", str(out), "--tab", "登录"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 1000
