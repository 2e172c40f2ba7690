"""The same county-scale benchmarks on PostgreSQL (skipped without UNIONSDESK_TEST_PG_URL).

The 200 000-member county is copied once from the cached SQLite file with the
program's own copy-db into a database ``ud_bench_<members>`` that is kept on the
server between runs; the yearly-summary lines are added with generate_series.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

from unionsdesk.db.copy import copy_database
from unionsdesk.db.engine import Database
from unionsdesk.db.open import open_database
from unionsdesk.reports.aid import yearly_summary
from unionsdesk.services.common.users import first_admin
from unionsdesk.services.members import members
from unionsdesk.services.members.members import MemberFilter

PG_URL = os.environ.get("UNIONSDESK_TEST_PG_URL")
pytestmark = pytest.mark.skipif(
    not PG_URL, reason="没有 PostgreSQL 服务器（UNIONSDESK_TEST_PG_URL）"
)
YEAR = 2030
LINES = 1_000_000


@pytest.fixture(scope="module")
def pg_county(county_file: Path) -> Iterator[Database]:
    assert PG_URL is not None
    name = f"ud_bench_{county_file.stem.replace('-', '_')}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        exists = c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        fresh = exists.first() is None
        if fresh:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    db = open_database(url)
    if fresh:
        source = open_database(county_file)
        copy_database(source, db)
        source.dispose()
        with db.engine.begin() as c:
            for n, kind in enumerate(("04", "03", "05", "02", "06"), 1):
                cid = c.execute(
                    text(
                        "INSERT INTO campaign (name, kind, year, budget, status, uuid, created_at, updated_at, version) "
                        "VALUES (:name, :kind, :year, 0, '已发放', :uuid, now(), now(), 1) RETURNING id"
                    ),
                    {"name": f"基准活动{n}", "kind": kind, "year": YEAR, "uuid": f"bench-{n}"},
                ).scalar_one()
                c.execute(
                    text(
                        "INSERT INTO payout (campaign_id, person_id, amount, form, uuid, created_at, updated_at, version) "
                        "SELECT :cid, id, 10000 + (id % 50) * 100, '现金', 'b' || :cid || '-' || id, now(), now(), 1 "
                        "FROM person ORDER BY id LIMIT :per"
                    ),
                    {"cid": cid, "per": LINES // 5},
                )
            c.execute(text("ANALYZE"))
    yield db
    db.dispose()


def test_pg_search_keystroke(
    pg_county: Database, keystrokes: tuple[str, ...], bench: Any, first_page: int
) -> None:
    import psycopg

    admin = first_admin(pg_county)
    raw_url = pg_county.engine.url.set(drivername="postgresql").render_as_string(
        hide_password=False
    )
    raw = psycopg.connect(raw_url)

    def project() -> None:  # what the 会员 tab waits for: the first page of ids, 60 rows shown
        for q in keystrokes:
            ids = members.search_member_ids(pg_county, admin, MemberFilter(text=q), first_page)
            members.fetch_member_rows(pg_county, admin, ids[:60])

    def baseline() -> None:
        # The same searches hand-written in SQL on a bare psycopg connection.
        for q in keystrokes:
            if q.isascii() and q.isalpha():
                cond = "(name_initials >= %(q)s AND name_initials < %(q)s || '~') OR (name_pinyin >= %(q)s AND name_pinyin < %(q)s || '~')"
            elif q.isdigit():
                cond = "id_number LIKE '%%' || %(q)s || '%%' OR phone LIKE '%%' || %(q)s || '%%'"
            else:
                cond = "name >= %(q)s AND name < %(q)s || chr(1114111)"
            ids = [
                r[0]
                for r in raw.execute(
                    "SELECT id FROM membership WHERE active AND person_id IN "
                    f"(SELECT id FROM person WHERE {cond}) ORDER BY id LIMIT {first_page}",
                    {"q": q},
                )
            ]
            raw.execute(
                "SELECT m.id, p.name, p.id_number, p.phone, u.name FROM membership m "
                "JOIN person p ON p.id = m.person_id JOIN union_org u ON u.id = m.union_id "
                "WHERE m.id = ANY(%(ids)s)",
                {"ids": ids[:60]},
            ).fetchall()

    p = bench.median_time(project, 5) / len(keystrokes)
    b = bench.median_time(baseline, 5) / len(keystrokes)
    bench.report("PostgreSQL: member search keystroke", p, b, "<= 0.030 s and <= 3x")
    raw.close()


def test_pg_first_page(pg_county: Database, bench: Any) -> None:
    import psycopg

    admin = first_admin(pg_county)
    raw = psycopg.connect(
        pg_county.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    )

    def project() -> None:
        ids = members.search_member_ids(pg_county, admin)
        members.fetch_member_rows(pg_county, admin, ids[:60])

    def baseline() -> None:
        ids = [r[0] for r in raw.execute("SELECT id FROM membership")]
        raw.execute("SELECT * FROM membership WHERE id = ANY(%s)", (ids[:60],)).fetchall()

    p, b = bench.median_time(project), bench.median_time(baseline)
    bench.report("PostgreSQL: member list first page (ids + 60 rows)", p, b, "<= 0.200 s")
    raw.close()


def test_pg_yearly_summary(pg_county: Database, bench: Any) -> None:
    admin = first_admin(pg_county)

    def project() -> None:
        t = yearly_summary(pg_county, admin, YEAR)
        assert t.totals is not None and t.totals[1] == LINES

    def baseline() -> None:
        with pg_county.engine.connect() as c:
            c.execute(
                text(
                    "SELECT c.kind, count(p.id), count(DISTINCT p.person_id), sum(p.amount) FROM payout p "
                    "JOIN campaign c ON c.id = p.campaign_id WHERE c.year = :y GROUP BY c.kind"
                ),
                {"y": YEAR},
            ).fetchall()

    p, b = bench.median_time(project, 3), bench.median_time(baseline, 3)
    bench.report("PostgreSQL: yearly aid summary over 1 000 000 lines", p, b, "<= 1 s and <= 2x")


def test_pg_import_100k(roster: Path, roster_people: int, bench: Any) -> None:
    """The 100 000-row roster into a fresh PostgreSQL database, against calamine +
    psycopg executemany of the same rows into one bare table."""
    import psycopg
    from python_calamine import CalamineWorkbook

    from unionsdesk.demo import create_demo
    from unionsdesk.services.members import unions
    from unionsdesk.services.members.member_import import import_members

    assert PG_URL is not None
    admin_engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = "ud_bench_import"
    with admin_engine.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name)
    db = open_database(url.render_as_string(hide_password=False))
    create_demo(db)
    admin = first_admin(db)
    target = unions.create_union(db, admin, {"name": "基准测试工会"})
    expected = roster_people

    def project() -> None:
        result = import_members(db, admin, roster, union_id=target.id, skip_invalid=True)
        assert result.imported == expected

    raw = psycopg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))

    def baseline() -> None:
        rows = CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python()[2:]
        raw.execute(
            "CREATE TEMP TABLE bare (id serial PRIMARY KEY, name text, id_number text UNIQUE, "
            "ethnicity text, phone text, joined text, migrant int)"
        )
        with raw.cursor() as cur:
            cur.executemany(
                "INSERT INTO bare (name, id_number, ethnicity, phone, joined, migrant) "
                "VALUES (%s, %s, %s, %s, %s, 0) ON CONFLICT DO NOTHING",
                [(r[1], r[2], r[4], r[5], r[6]) for r in rows],
            )
        raw.commit()
        raw.execute("DROP TABLE bare")
        raw.commit()

    p = bench.median_time(project, 1)
    b = bench.median_time(baseline, 1)
    bench.report(
        "PostgreSQL: import 100 000-row roster (speed = baseline/project)",
        p,
        b,
        ">= 0.5x speed, i.e. project/baseline <= 2.0",
    )
    raw.close()
    db.dispose()
    with admin_engine.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()
