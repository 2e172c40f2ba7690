"""Funds at county scale: the levy summary over 10 years × 5 000 employers (600 000
monthly rows) and the month's dues list of a 20 000-member union (made and read)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.db.open import open_database
from unionsdesk.demo import create_demo
from unionsdesk.services.common.users import first_admin

DATA = Path(__file__).parent / "data"
EMPLOYERS, YEARS, FIRST = 5_000, 10, 2016
BIG_UNION = 20_000


@pytest.fixture(scope="session")
def levies_file() -> Path:
    """An office with 600 000 levy rows (made once, cached)."""
    path = DATA / f"levies-{EMPLOYERS}x{YEARS}.sqlite3"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for stale in DATA.glob(tmp.name + "*"):
        stale.unlink()
    db = open_database(tmp)
    create_demo(db)
    db.dispose()
    conn = sqlite3.connect(tmp)
    now = "2026-01-01 00:00:00.000000"
    towns = (
        "城关镇",
        "青原镇",
        "东固乡",
        "富田镇",
        "新圩镇",
        "值夏镇",
        "天玉镇",
        "文陂乡",
        "白沙镇",
        "水南镇",
    )

    def rows():  # type: ignore[no-untyped-def]
        for e in range(EMPLOYERS):
            wage = 30_000_00 + e * 1_000
            due = (wage * 2 + 50) // 100
            for y in range(FIRST, FIRST + YEARS):
                for m in range(1, 13):
                    paid = 0 if (e + m) % 17 == 0 else due
                    g = paid * 6 // 10
                    c = (paid - g) // 2
                    yield (f"n单位{e}", f"单位{e}", towns[e % 10], y, m, wage, due, paid, g, c,
                           (paid - g - c) // 2, paid - g - c - (paid - g - c) // 2, 0,
                           f"b{e}-{y}-{m}", now, now)  # fmt: skip

    conn.executemany(
        "INSERT INTO levy (payer_key, payer_name, township, year, month, wage_total, due, paid, "
        "share_grassroots, share_county, share_city, share_province, share_national, uuid, "
        "created_at, updated_at, preparatory, tax_collected, voided, version) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,0,0,1)",
        rows(),
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    shutil.move(tmp, path)
    return path


def test_levy_summary_10_years(levies_file: Path, bench: Any) -> None:
    from unionsdesk.services.sites.funds import collection_summary, levy_summary

    db = open_database(levies_file)
    admin = first_admin(db)
    raw = sqlite3.connect(levies_file)

    def project() -> None:
        years = levy_summary(db, admin)
        assert len(years) == YEARS and years[0].payers == EMPLOYERS

    def baseline() -> None:
        raw.execute(
            "SELECT year, count(DISTINCT payer_key), sum(due), sum(paid), sum(share_grassroots), "
            "sum(share_county), sum(share_city), sum(share_province), sum(share_national) "
            "FROM levy GROUP BY year"
        ).fetchall()

    p, b = bench.median_time(project, 3), bench.median_time(baseline, 3)
    bench.report("levy summary, 10 years × 5 000 employers (600 000 rows)", p, b, "<= 1 s")
    assert p <= 1.0
    year = bench.median_time(lambda: collection_summary(db, admin, FIRST + 5), 3)
    base = bench.median_time(
        lambda: raw.execute(
            "SELECT township, month, count(*), sum(due), sum(paid) FROM levy WHERE year = ? "
            "GROUP BY township, month",
            (FIRST + 5,),
        ).fetchall(),
        3,
    )
    bench.report("收缴 by township and month, one year (60 000 rows)", year, base, "<= 1 s")
    assert year <= 1.0
    db.dispose()


@pytest.fixture(scope="session")
def big_union_file() -> Path:
    path = DATA / f"union-{BIG_UNION}.sqlite3"
    if path.exists():
        return path
    DATA.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for stale in DATA.glob(tmp.name + "*"):
        stale.unlink()
    db = open_database(tmp)
    from unionsdesk.demo import add_demo_county
    from unionsdesk.demo import create_demo as _demo

    admin = _demo(db)
    add_demo_county(db, admin, members=BIG_UNION, unions=1)
    db.dispose()
    shutil.move(tmp, path)
    return path


def test_dues_list_20k(big_union_file: Path, tmp_path: Path, bench: Any) -> None:
    from unionsdesk.services.sites import dues

    target = tmp_path / "u.sqlite3"
    shutil.copyfile(big_union_file, target)
    db = open_database(target)
    admin = first_admin(db)
    raw = sqlite3.connect(target)
    uid = raw.execute(
        "SELECT union_id FROM membership GROUP BY union_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    numbers = [r[0] for r in raw.execute(
        "SELECT p.id_number FROM membership m JOIN person p ON p.id = m.person_id WHERE m.union_id = ?", (uid,)
    )]  # fmt: skip
    assert len(numbers) >= BIG_UNION * 0.9
    bases = {n: 4_000_00 + i for i, n in enumerate(numbers)}
    month = iter(range(1, 13))

    def build() -> None:
        made = dues.build_dues(db, admin, uid, 2026, next(month), bases)
        assert made.lines >= BIG_UNION * 0.9

    made = bench.median_time(build, 3)
    read = bench.median_time(lambda: dues.dues_list(db, admin, uid, 2026, 1), 3)
    base = bench.median_time(
        lambda: raw.execute(
            "SELECT d.id, p.name, p.id_number, d.wage_base, d.amount FROM dues d JOIN person p "
            "ON p.id = d.person_id WHERE d.union_id = ? AND d.year = 2026 AND d.month = 1 "
            "ORDER BY p.name_pinyin",
            (uid,),
        ).fetchall(),
        3,
    )
    bench.report("dues list of a 20 000-member union: made", made, base, "<= 1 s")
    bench.report("dues list of a 20 000-member union: read", read, base, "<= 1 s")
    assert made <= 1.0 and read <= 1.0
    db.dispose()
