"""Window ready, cold, offscreen: the program's start against a bare QMainWindow
started and grabbed the same way (median of 5 fresh processes each).

"Ready" is the first window a clerk gets, the login window, on screen and taking
keystrokes (``--screenshot --tab 登录``); the database opens behind it. "After
login" is the wait a clerk has after pressing 登录: from the accepted login to the
main window with 首页 painted (its figures follow from workers), in a fresh process
whose login window's loader has opened the database, as while the clerk types.
The main window straight from the command line (``--screenshot``, no login: the
database is opened on the way) is measured too, as a reference."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.bench.conftest import raw_table_paint

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
w.grab().save(sys.argv[1])
"""

AFTER_LOGIN = """
import sys, time
from unionsdesk.services.common.users import first_admin
from unionsdesk.ui.app import ensure_app, show_main_window
from unionsdesk.ui.startup import load
app = ensure_app()
opened = load(sys.argv[1])  # the login window's loader, while the clerk types
user = first_admin(opened.db)  # (the password check is not part of the wait)
t = time.perf_counter()
window = show_main_window(opened.db, user, "首页")
for _ in range(3):
    app.processEvents()
window.grab()
print(time.perf_counter() - t)
window.close()
opened.db.dispose()
"""


def _time_to_screenshot(args: list[str], env: dict[str, str]) -> float:
    """Time from starting the process until its screenshot (the last argument) is
    written; the process may go on finishing background work after that."""
    out = Path(args[-1])
    out.unlink(missing_ok=True)
    t = time.perf_counter()
    with subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL) as proc:
        while not (out.exists() and out.stat().st_size > 0) and proc.poll() is None:
            time.sleep(0.002)
        elapsed = time.perf_counter() - t
    assert proc.returncode == 0 and out.exists(), args
    return elapsed


def _medians(runs: dict[str, tuple[list[str], dict[str, str]]], n: int = 7) -> dict[str, float]:
    """Median of ``n`` fresh processes for each command, the commands taking turns so
    that a slow spell of the machine hits all of them alike; one warm-up round first.
    As installed: pip compiles the bytecode at install time, so the processes may
    write it (this sandbox sets PYTHONDONTWRITEBYTECODE)."""
    base = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round_no in range(n + 1):
        for name, (args, extra) in runs.items():
            elapsed = _time_to_screenshot(args, {**base, **extra})
            if round_no:
                times[name].append(elapsed)
    return {name: statistics.median(t) for name, t in times.items()}


def test_window_cold_start(county_file: Path, tmp_path: Path, bench: Any) -> None:
    exe = str(Path(sys.executable).parent / "unionsdesk")
    login = [
        exe,
        "--db",
        str(county_file),
        "--tab",
        "登录",
        "--screenshot",
        str(tmp_path / "l.png"),
    ]
    main = [exe, "--db", str(county_file), "--screenshot", str(tmp_path / "p.png")]
    no_wait = {"UNIONSDESK_SCREENSHOT_NO_WAIT": "1"}
    # The main window without login (--screenshot): shown and usable while 首页's
    # member statistics are still counted on a worker thread, and once they arrived.
    m = _medians(
        {
            "bare": ([sys.executable, "-c", BARE, str(tmp_path / "b.png")], {}),
            "ready": (login, no_wait),
            "shown": (main, no_wait),
            "complete": (main, {}),
        }
    )
    bench.report("window ready (login), cold, offscreen", m["ready"], m["bare"], "<= 1.3x")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    after = statistics.median(
        float(
            subprocess.run(
                [sys.executable, "-c", AFTER_LOGIN, str(county_file)],
                env=env, capture_output=True, text=True, check=True,
            ).stdout.split()[-1]
        )
        for _ in range(5)
    )  # fmt: skip
    bench.report("main window with 首页 after login (200 000 members)", after, m["bare"], "<= 2x")
    bench.report("main window shown (200 000 members)", m["shown"], m["bare"], "(reference)")
    bench.report(
        "main window with 首页 statistics (200 000 members)",
        m["complete"],
        m["bare"],
        "(reference)",
    )


def test_members_tab_first_paint(county_file: Path, bench: Any) -> None:
    """会员 tab at 200 000 members: from opening the tab to its first paint (in one
    process, the tab's code already imported), against a plain QTableView showing
    the first 60 rows read with raw SQL."""
    from PySide6.QtCore import Qt

    import unionsdesk.ui.tabs.members.members  # noqa: F401  (a one-off import, not the tab's paint)
    from unionsdesk.db.open import open_database
    from unionsdesk.services.common.users import first_admin
    from unionsdesk.ui.app import ensure_app
    from unionsdesk.ui.context import AppContext
    from unionsdesk.ui.main_window import MainWindow
    from unionsdesk.ui.workers import wait_for_background

    app = ensure_app()
    db = open_database(county_file)
    user = first_admin(db)

    def project() -> float:
        window = MainWindow(AppContext(db, user), remember=False)
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(1280, 800)
        window.show()
        wait_for_background()
        t = time.perf_counter()
        window.open_tab("会员")
        app.processEvents()
        window.grab()
        elapsed = time.perf_counter() - t
        wait_for_background()
        window.close()
        window.deleteLater()
        app.processEvents()
        return elapsed

    def baseline() -> float:
        return raw_table_paint(
            county_file,
            "SELECT p.name, p.id_number, m.joined_on FROM membership m "
            "JOIN person p ON p.id = m.person_id WHERE m.active ORDER BY m.id LIMIT 60",
        )

    first = project()  # what a clerk meets: the first time in the session
    again = statistics.median(project() for _ in range(4))
    b = statistics.median(baseline() for _ in range(5))
    db.dispose()
    bench.report("会员 tab first paint, first time (200 000 members)", first, b, "<= 0.200 s")
    bench.report("会员 tab first paint, again (200 000 members)", again, b, "<= 0.200 s")
