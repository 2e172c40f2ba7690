"""A database that fails its check at start: the window opens to the recovery screen
(ui/recovery.py) instead of the login, and restoring from a listed backup works."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from unionsdesk.db import backup as bk
from unionsdesk.ui.login import LoginDialog
from unionsdesk.ui.recovery import RecoveryDialog


def damaged_with_backup(db_file: Path) -> Path:
    backup = bk.backup_sqlite(db_file, bk.default_backup_dir(db_file))
    conn = sqlite3.connect(db_file)  # damage the last page of the person table
    page = conn.execute("SELECT max(pageno) FROM dbstat WHERE name = 'person'").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with db_file.open("r+b") as fh:
        fh.seek((page - 1) * 4096 + 8)
        fh.write(os.urandom(4000))
    return backup


def test_damaged_database_opens_to_the_recovery_screen(
    qtbot: QtBot, demo_db_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from unionsdesk.ui import recovery as recovery_mod
    from unionsdesk.ui.app import _first_window, ensure_app

    backup = damaged_with_backup(demo_db_file)
    login, loader = _first_window(ensure_app(), str(demo_db_file))
    qtbot.addWidget(login)
    login.show()
    with qtbot.waitSignal(loader.damaged, timeout=30_000):
        pass
    loader.wait()
    assert loader.result is None and loader.damage is not None
    assert login.result() == LoginDialog.OPEN_FAILED  # no hanging message box
    assert "malformed" in loader.damage.problem or "损坏" in loader.damage.problem

    screen = RecoveryDialog(loader.damage)
    qtbot.addWidget(screen)
    screen.resize(900, 560)
    screen.show()
    assert screen.backups == [backup] and screen.restore_button.isEnabled()
    screen.grab().save(str(tmp_path / "recovery.png"))
    shown: list[str] = []
    monkeypatch.setattr(recovery_mod, "show_info", lambda _p, text, *_a: shown.append(text))
    monkeypatch.setattr(recovery_mod, "confirm", lambda *_a, **_k: True)
    screen.restore_selected()
    qtbot.waitUntil(lambda: screen.job is not None and not screen.job.running, timeout=30_000)
    assert screen.job is not None and screen.job.error is None, screen.job.error
    assert screen.restored == backup and shown and "原样保留" in shown[0]
    assert bk.quick_check(demo_db_file).ok
    assert list(demo_db_file.parent.glob(demo_db_file.name + ".damaged-*"))


def test_screenshot_of_a_damaged_database_shows_the_recovery_screen(
    demo_db_file: Path, tmp_path: Path
) -> None:
    damaged_with_backup(demo_db_file)
    out = tmp_path / "shot.png"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "unionsdesk.cli",
            "--db",
            str(demo_db_file),
            "--screenshot",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert r.returncode == 2 and r.stderr.startswith("错误：数据库已损坏"), r.stderr
    assert "Traceback" not in r.stderr and out.stat().st_size > 10_000
