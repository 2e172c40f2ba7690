"""Window ready, cold, offscreen: the program's --screenshot start against a bare
QMainWindow started and grabbed the same way (median of 5 fresh processes each)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()
w.grab().save(sys.argv[1])
"""


def _median_run(args: list[str], n: int = 5) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(args, check=True, env=env, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def test_window_cold_start(county_file: Path, tmp_path: Path, bench: Any) -> None:
    exe = str(Path(sys.executable).parent / "unionsdesk")
    project = _median_run([exe, "--db", str(county_file), "--screenshot", str(tmp_path / "p.png")])
    baseline = _median_run([sys.executable, "-c", BARE, str(tmp_path / "b.png")])
    bench.report("window ready, cold, offscreen (200 000 members)", project, baseline, "<= 1.3x")
