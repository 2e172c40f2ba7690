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
from datetime import date, timedelta
from pathlib import Path

import pytest

from unionsdesk.db.open import open_database
from unionsdesk.demo import create_demo
from unionsdesk.domain.idcard import check_char

DATA = Path(__file__).parent / "data"
MEMBERS = int(os.environ.get("UNIONSDESK_BENCH_MEMBERS", "200000"))
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"  # (the offscreen platform)
RESULTS: list[tuple[str, str]] = []  # (name, result) for the Markdown table
ROSTER_ROWS = 100_000
# The 会员 tab reads a search's first 200 ids (+1, to know whether more follow) at
# once and the rest on a worker thread; a keystroke waits for the first page only.
FIRST_PAGE = 201
# What clerks type: pinyin initials and syllables, a surname, the tail of an ID, a phone fragment.
KEYSTROKES = (
    "z",
    "zh",
    "zha",
    "zhan",
    "zhang",
    "w",
    "wj",
    "李",
    "1234",
    "138",
    "13812",
    "19850",
    "陈",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:  # the hook sees every collected test: mark only ours
        if here in item.path.parents:
            item.add_marker(pytest.mark.bench)
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


def median_time(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def report(name: str, project: float, baseline: float, goal: str) -> None:
    result = f"{project / baseline:.2f}x (project {project:.4f} s, baseline {baseline:.4f} s) goal {goal}"
    RESULTS.append((name, result))
    print(f"\n{name}: {result}")


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


@pytest.fixture(scope="session")
def roster() -> Path:
    path = DATA / f"roster-{ROSTER_ROWS}.xlsx"
    if not path.exists():
        from openpyxl import Workbook

        DATA.mkdir(exist_ok=True)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("会员")
        ws.append(["某镇工会会员花名册"])
        ws.append(["序号", "姓名", "身份证号", "性别", "民族", "手机", "入会日期", "是否农民工"])
        for i in range(ROSTER_ROWS):
            birth = date(1965, 1, 1) + timedelta(days=37 * (i // 1000))
            first = f"360830{birth:%Y%m%d}{i % 1000:03d}"  # unique for every row
            ws.append([i + 1, "张" + chr(0x4E00 + i % 20000), first + check_char(first), None, "汉族",
                       f"139{i:08d}", "2019-05-01", "否"])  # fmt: skip
        wb.save(path)
    return path


@pytest.fixture(scope="session")
def roster_people(roster: Path) -> int:
    """How many different people the roster lists."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python()
    return len({r[2] for r in rows[2:]})


@pytest.fixture(scope="session")
def keystrokes() -> tuple[str, ...]:
    return KEYSTROKES


@pytest.fixture(scope="session")
def first_page() -> int:
    return FIRST_PAGE


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if RESULTS:
        terminalreporter.write_sep("=", "benchmark ratios")
        terminalreporter.write_line("| benchmark | result |")
        terminalreporter.write_line("|---|---|")
        for name, result in RESULTS:
            terminalreporter.write_line(f"| {name} | {result} |")


def raw_table_paint(db_file: Path, sql: str, height: int = 800) -> float:
    """The baseline of a list's first paint: ``sql`` (its first 60 rows) read with the
    bare sqlite3 module into a QStandardItemModel, shown in a plain QTableView and
    grabbed. Seconds."""
    import sqlite3

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    raw = sqlite3.connect(db_file)
    t = time.perf_counter()
    rows = raw.execute(sql).fetchall()
    model = QStandardItemModel(len(rows), len(rows[0]) if rows else 0)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            model.setItem(r, c, QStandardItem(str(value)))
    view = QTableView()
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    view.setModel(model)
    view.resize(1280, height)
    view.show()
    QApplication.processEvents()
    view.grab()
    elapsed = time.perf_counter() - t
    view.close()
    view.deleteLater()
    raw.close()
    return elapsed
