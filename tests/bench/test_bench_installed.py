"""The installed .deb's login window against the source checkout's, same run (issue #15).

The frozen bundle (``/opt/unionsdesk/unionsdesk`` when the .deb is installed, else
``UNIONSDESK_BUNDLE`` or ``installer/build/deb/dist/unionsdesk/unionsdesk`` from
``installer/build-deb``) and ``python -m unionsdesk`` from this checkout each open the
login window on a small demo database and save its screenshot; median of 5 fresh
processes each, taking turns. Target: the installed build within 1.5x the source's.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = (
    os.environ.get("UNIONSDESK_BUNDLE", ""),
    "/opt/unionsdesk/unionsdesk",
    str(ROOT / "installer" / "build" / "deb" / "dist" / "unionsdesk" / "unionsdesk"),
)


def bundle() -> str | None:
    return next((c for c in CANDIDATES if c and os.access(c, os.X_OK)), None)


def _time_to_screenshot(args: list[str], env: dict[str, str]) -> float:
    out = Path(args[-1])
    out.unlink(missing_ok=True)
    t = time.perf_counter()
    with subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL) as proc:
        while not (out.exists() and out.stat().st_size > 0) and proc.poll() is None:
            time.sleep(0.002)
        elapsed = time.perf_counter() - t
    assert proc.returncode == 0 and out.exists(), args
    return elapsed


def test_installed_login_window_vs_source(tmp_path: Path, bench: Any) -> None:
    exe = bundle()
    if exe is None:
        pytest.skip("no installed or built bundle: run installer/build-deb (or install the .deb)")
    db = tmp_path / "demo.sqlite3"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "UNIONSDESK_SCREENSHOT_NO_WAIT": "1",
        "UNIONSDESK_LOG_DIR": str(tmp_path / "logs"),
    }
    subprocess.run(
        [sys.executable, "-m", "unionsdesk", "demo", "--db", str(db), "--size", "2000"],
        check=True,
        env=env,
        capture_output=True,
    )
    tail = ["--db", str(db), "--tab", "登录", "--screenshot"]
    runs = {
        "installed": [exe, *tail, str(tmp_path / "i.png")],
        "source": [sys.executable, "-m", "unionsdesk", *tail, str(tmp_path / "s.png")],
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round_no in range(6):  # one warm-up round, then 5 measured
        for name, args in runs.items():
            elapsed = _time_to_screenshot(args, env)
            if round_no:
                times[name].append(elapsed)
    installed, source = (statistics.median(times[n]) for n in ("installed", "source"))
    bench.report("installed .deb login window vs source checkout", installed, source, "<= 1.5x")
    assert installed <= 1.5 * source, (installed, source)
