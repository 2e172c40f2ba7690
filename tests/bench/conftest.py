"""Benchmarks: opt-in (`pytest -m bench tests/bench`), each prints
`name: ratio (project X s, baseline Y s)` against a raw baseline measured in
the same run. Generated data is cached in tests/bench/data/ (not committed).
Set UNIONSDESK_BENCH_MEMBERS to change the county size (default 200 000).
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from unionsdesk.db.open import open_database
from unionsdesk.demo import create_demo

DATA = Path(__file__).parent / "data"
MEMBERS = int(os.environ.get("UNIONSDESK_BENCH_MEMBERS", "200000"))
RESULTS: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:  # the hook sees every collected test: mark only ours
        if here in item.path.parents:
            item.add_marker(pytest.mark.bench)


def median_time(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def report(name: str, project: float, baseline: float, goal: str) -> None:
    line = f"{name}: {project / baseline:.2f}x (project {project:.4f} s, baseline {baseline:.4f} s) goal {goal}"
    RESULTS.append(line)
    print("\n" + line)


class Bench:
    median_time = staticmethod(median_time)
    report = staticmethod(report)


@pytest.fixture(scope="session")
def bench() -> Bench:
    return Bench()


def make_county(members: int) -> Path:
    """A demo county database of ``members`` members, made once and kept between runs."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"county-{members}.sqlite3"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        for p in DATA.glob(tmp.name + "*"):
            p.unlink()
        db = open_database(tmp)
        create_demo(db, members=members)
        db.dispose()
        shutil.move(tmp, path)
    return path


@pytest.fixture(scope="session")
def county_file() -> Path:
    return make_county(MEMBERS)


@pytest.fixture(scope="session")
def county_100k() -> Path:
    return make_county(100_000)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if RESULTS:
        terminalreporter.write_sep("=", "benchmark ratios")
        terminalreporter.write_line("| benchmark | result |")
        terminalreporter.write_line("|---|---|")
        for line in RESULTS:
            name, _, rest = line.partition(": ")
            terminalreporter.write_line(f"| {name} | {rest} |")
