"""Statistics at county scale (200 000 members, 1 000 000 pay-out lines): each annual
table, the year-end pack, and the 首页 charts (first paint, then all charts filled)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.db.open import open_database
from unionsdesk.reports.stats.charts import dashboard_data
from unionsdesk.reports.stats.output import year_pack
from unionsdesk.reports.stats.period import year_period
from unionsdesk.reports.stats.tables import TABLES, build_report
from unionsdesk.services.common.users import first_admin

DATA = Path(__file__).parent / "data"
MEMBERS = int(os.environ.get("UNIONSDESK_BENCH_MEMBERS", "200000"))  # as conftest.py
YEAR = 2030  # the year of the bench pay-out lines (test_bench_aid)

# One plain GROUP BY over each table's biggest fact: what the table cannot beat.
BASELINES = {
    "org": "SELECT union_id, count(*), sum(CASE WHEN migrant_worker THEN 1 ELSE 0 END) FROM membership "
    "WHERE active GROUP BY union_id",
    "members": "SELECT union_id, count(*) FROM membership WHERE joined_on >= '2030-01-01' GROUP BY union_id",
    "aid": "SELECT c.kind, count(p.id), count(DISTINCT p.person_id), sum(p.amount) FROM payout p "
    "JOIN campaign c ON c.id = p.campaign_id WHERE c.paid_on BETWEEN '2030-01-01' AND '2030-12-31' "
    "GROUP BY c.kind",
}


LINES = 1_000_000


def make_stats_county(members: int = MEMBERS) -> Path:
    """The demo county's members and aid (``members`` members) plus five campaigns paid
    out in 2030 with 200 000 lines each; made once and kept in tests/bench/data."""
    path = DATA / f"stats-{members}-{LINES}.sqlite3"
    if path.exists():
        return path
    from unionsdesk.demo import (
        DEMO_ADMIN,
        DEMO_OFFICE,
        DEMO_PASSWORD,
        add_demo_aid,
        add_demo_county,
    )
    from unionsdesk.services.common import office as office_svc

    DATA.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for stale in DATA.glob(tmp.name + "*"):
        stale.unlink()
    db = open_database(tmp)
    admin = office_svc.initialise(db, DEMO_OFFICE, DEMO_ADMIN, DEMO_PASSWORD, "演示管理员")
    add_demo_county(db, admin, members=members)
    add_demo_aid(db, admin, files=600)
    db.dispose()
    conn = sqlite3.connect(tmp)
    people = [r[0] for r in conn.execute("SELECT id FROM person ORDER BY id")]
    now = "2030-01-01 00:00:00.000000"
    per = LINES // 5
    for n, kind in enumerate(("04", "03", "05", "02", "06"), 1):
        cur = conn.execute(
            "INSERT INTO campaign (name, kind, year, budget, status, paid_on, funding_source, uuid, "
            "created_at, updated_at, version) VALUES (?, ?, ?, 0, '已发放', ?, ?, ?, ?, ?, 1)",
            (f"基准活动{n}", kind, YEAR, f"2030-{2 * n:02d}-15", ("县总工会经费", "财政专项")[n % 2],
             f"stats-bench-{n}", now, now),
        )  # fmt: skip
        cid = cur.lastrowid
        conn.executemany(
            "INSERT INTO payout (campaign_id, person_id, union_id, amount, form, uuid, created_at, "
            "updated_at, version) SELECT ?, ?, union_id, ?, '现金', ?, ?, ?, 1 FROM membership "
            "WHERE person_id = ? AND active",
            ((cid, pid, 100_00 + (pid % 50) * 100, f"s{n}-{pid}", now, now, pid) for pid in people[:per]),
        )  # fmt: skip
    conn.commit()
    conn.close()
    shutil.move(tmp, path)
    return path


@pytest.fixture(scope="session")
def paid_million() -> Path:
    return make_stats_county()


@pytest.mark.parametrize("key", list(TABLES))
def test_annual_table(paid_million: Path, bench: Any, key: str) -> None:
    db = open_database(paid_million)
    admin = first_admin(db)
    raw = sqlite3.connect(paid_million)
    period = year_period(YEAR)
    p = bench.median_time(lambda: build_report(db, admin, key, period, office=""), 3)
    b = bench.median_time(lambda: raw.execute(BASELINES.get(key, BASELINES["org"])).fetchall(), 3)
    bench.report(f"statistics table {key} ({TABLES[key].short}), year, 1M lines", p, b, "<= 1 s")
    if key == "aid":
        r = build_report(db, admin, key, period, office="")
        assert r.parts[0].table.totals[r.parts[0].table.column_index["times"]] == 1_000_000  # type: ignore[index]


def test_year_pack(paid_million: Path, bench: Any, tmp_path: Path) -> None:
    db = open_database(paid_million)
    admin = first_admin(db)
    raw = sqlite3.connect(paid_million)
    t = time.perf_counter()
    pack = year_pack(db, admin, YEAR, tmp_path)
    elapsed = time.perf_counter() - t
    assert pack.pdf.exists() and pack.workbook.exists()
    base = bench.median_time(lambda: [raw.execute(q).fetchall() for q in BASELINES.values()], 3)
    bench.report("year-end pack (workbook + PDF with charts)", elapsed, base, "<= 10 s")


def test_dashboard_charts(paid_million: Path, bench: Any) -> None:
    db = open_database(paid_million)
    admin = first_admin(db)
    raw = sqlite3.connect(paid_million)
    p = bench.median_time(lambda: dashboard_data(db, admin, YEAR, today=date(YEAR, 12, 31)), 3)
    b = bench.median_time(lambda: raw.execute(BASELINES["org"]).fetchall(), 3)
    bench.report("首页 charts, all figures (worker)", p, b, "<= 2 s")


def test_home_first_paint_and_charts(paid_million: Path, bench: Any) -> None:
    """After login: the main window (首页) painted, then every chart of the strip filled
    (counted on a worker). Baseline: a bare QMainWindow with a label, painted."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QMainWindow

    from unionsdesk.ui.app import ensure_app
    from unionsdesk.ui.context import AppContext
    from unionsdesk.ui.main_window import MainWindow
    from unionsdesk.ui.tabs.stats.charts import ChartsPanel
    from unionsdesk.ui.workers import wait_for_background

    app = ensure_app()
    db = open_database(paid_million)
    user = first_admin(db)

    def project() -> tuple[float, float]:
        t = time.perf_counter()
        window = MainWindow(AppContext(db, user), remember=False)
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        window.grab()
        painted = time.perf_counter() - t
        panels = window.findChildren(ChartsPanel)
        wait_for_background(120)
        filled = time.perf_counter() - t
        assert all(p.loaded for p in panels)
        window.close()
        window.deleteLater()
        app.processEvents()
        return painted, filled

    def baseline() -> float:
        t = time.perf_counter()
        w = QMainWindow()
        w.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        w.setCentralWidget(QLabel("首页"))
        w.resize(1366, 768)
        w.show()
        app.processEvents()
        w.grab()
        elapsed = time.perf_counter() - t
        w.close()
        w.deleteLater()
        return elapsed

    first = project()
    b = baseline()
    bench.report("首页 first paint after login (200 000 members)", first[0], b, "<= 0.300 s")
    bench.report("首页 every chart filled after login", first[1], b, "<= 2 s")


PG_URL = os.environ.get("UNIONSDESK_TEST_PG_URL")


@pytest.fixture(scope="module")
def pg_stats_county(paid_million: Path) -> Any:
    """The same county on PostgreSQL (copied once with copy-db, kept on the server)."""
    if PG_URL is None:
        pytest.skip("没有 PostgreSQL 测试服务器（设置 UNIONSDESK_TEST_PG_URL 后运行）")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from unionsdesk.db.copy import copy_database

    name = f"ud_bench_{paid_million.stem.replace('-', '_')}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        fresh = (
            c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            is None
        )
        if fresh:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    db = open_database(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
    if fresh:
        source = open_database(paid_million)
        copy_database(source, db)
        source.dispose()
    yield db
    db.dispose()


@pytest.mark.parametrize("key", ["org", "members", "aid"])
def test_annual_table_pg(pg_stats_county: Any, paid_million: Path, bench: Any, key: str) -> None:
    from sqlalchemy import text

    db = pg_stats_county
    admin = first_admin(db)
    period = year_period(YEAR)
    baseline = BASELINES[key]
    p = bench.median_time(lambda: build_report(db, admin, key, period, office=""), 3)

    def base() -> None:
        with db.engine.connect() as c:
            c.execute(text(baseline)).fetchall()

    b = bench.median_time(base, 3)
    bench.report(f"statistics table {key}, year, PostgreSQL", p, b, "<= 1 s")
