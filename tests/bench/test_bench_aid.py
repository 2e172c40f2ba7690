"""Aid at county scale: a yearly summary over 1 000 000 pay-out lines, receipts per
second and a 2 000-line sign-off sheet."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.db.open import open_database
from unionsdesk.reports.aid import yearly_summary
from unionsdesk.services.common.users import first_admin

DATA = Path(__file__).parent / "data"
LINES = 1_000_000
YEAR = 2030


@pytest.fixture(scope="session")
def million(county_file: Path) -> Path:
    """The 200 000-member county plus five campaigns × 200 000 lines (made once, cached)."""
    path = DATA / f"aid-{LINES}.sqlite3"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    for stale in DATA.glob(tmp.name + "*"):  # an interrupted earlier run (incl. -wal/-shm)
        stale.unlink()
    shutil.copyfile(county_file, tmp)
    open_database(tmp).dispose()  # a county cached by an older version is migrated first
    conn = sqlite3.connect(tmp)
    people = [r[0] for r in conn.execute("SELECT id FROM person ORDER BY id")]
    now = "2030-01-01 00:00:00.000000"
    per = LINES // 5
    for n, kind in enumerate(("04", "03", "05", "02", "06"), 1):
        cur = conn.execute(
            "INSERT INTO campaign (name, kind, year, budget, status, uuid, created_at, updated_at, version) "
            "VALUES (?, ?, ?, 0, '已发放', ?, ?, ?, 1)",
            (f"基准活动{n}", kind, YEAR, f"bench-{n}", now, now),
        )
        cid = cur.lastrowid
        conn.executemany(
            "INSERT INTO payout (campaign_id, person_id, amount, form, uuid, created_at, updated_at, version) "
            "VALUES (?, ?, ?, '现金', ?, ?, ?, 1)",
            (
                (cid, pid, 100_00 + (pid % 50) * 100, f"b{n}-{pid}", now, now)
                for pid in people[:per]
            ),
        )
    conn.commit()
    conn.close()
    shutil.move(tmp, path)
    return path


def test_yearly_summary_1m(million: Path, bench: Any) -> None:
    db = open_database(million)
    admin = first_admin(db)
    raw = sqlite3.connect(million)

    def project() -> None:
        t = yearly_summary(db, admin, YEAR)
        assert t.totals is not None and t.totals[1] == LINES

    def baseline() -> None:
        raw.execute(
            "SELECT c.kind, count(p.id), count(DISTINCT p.person_id), sum(p.amount) FROM payout p "
            "JOIN campaign c ON c.id = p.campaign_id WHERE c.year = ? GROUP BY c.kind",
            (YEAR,),
        ).fetchall()

    p, b = bench.median_time(project, 3), bench.median_time(baseline, 3)
    bench.report("yearly aid summary over 1 000 000 lines", p, b, "<= 1 s and <= 2x")


def test_receipts_per_second(tmp_path: Path, bench: Any) -> None:
    from unionsdesk.printing.receipt import Receipt, render_receipts_pdf

    receipts = [
        Receipt(number=f"2026-{i:06d}", date=date(2026, 1, 15), payer="示例县总工会", payee="张三丰", payee_id="3608**********1234",
                purpose="2026年春节送温暖慰问金", amount=250000 + i)
        for i in range(1, 1001)
    ]  # fmt: skip
    t = time.perf_counter()
    render_receipts_pdf(receipts, tmp_path / "r.pdf")
    elapsed = time.perf_counter() - t
    rate = len(receipts) / elapsed
    # baseline: the same number of pages with three plain text blocks each, bare reportlab
    from reportlab.pdfgen import canvas

    t = time.perf_counter()
    c = canvas.Canvas(str(tmp_path / "b.pdf"))
    for r in receipts:
        for k in range(3):
            c.drawString(50, 800 - k * 280, f"No. {r.number} {r.amount}")
        c.showPage()
    c.save()
    base = time.perf_counter() - t
    bench.report(
        "receipts into one PDF (1 000)", elapsed, base, f">= 100 receipts/s (got {rate:.0f}/s)"
    )
    assert rate >= 100


def test_signoff_2000_lines(tmp_path: Path, bench: Any) -> None:
    from unionsdesk.printing.signoff import SignoffRow, SignoffSheet, render_signoff_pdf

    rows = [
        SignoffRow(f"职工{chr(0x4E00 + i)}", f"36083019800101{i:04d}"[:18], "深度困难", 250000)
        for i in range(2000)
    ]
    sheet = SignoffSheet(
        "示例县总工会", "2026年送温暖发放签收表", "示工发〔2026〕7号", date(2026, 1, 15), rows
    )
    t = time.perf_counter()
    render_signoff_pdf(sheet, tmp_path / "s.pdf")
    elapsed = time.perf_counter() - t
    from reportlab.pdfgen import canvas

    t = time.perf_counter()
    c = canvas.Canvas(str(tmp_path / "b.pdf"))
    for i, r in enumerate(rows):
        c.drawString(50, 800 - (i % 19) * 40, f"{r.name} {r.amount}")
        if i % 19 == 18:
            c.showPage()
    c.save()
    base = time.perf_counter() - t
    bench.report("sign-off sheet, 2 000 lines", elapsed, base, "<= 5 s")
    assert elapsed <= 5
