"""Excel at county scale: a 100 000-row roster import and a 100 000-member export."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

from unionsdesk.db.open import open_database
from unionsdesk.services.common.users import first_admin
from unionsdesk.services.members import unions
from unionsdesk.services.members.member_import import import_members

DATA = Path(__file__).parent / "data"


def test_import_100k(roster: Path, roster_people: int, tmp_path: Path, bench: Any) -> None:
    from python_calamine import CalamineWorkbook

    template = tmp_path / "empty.sqlite3"
    db = open_database(template)
    from unionsdesk.demo import create_demo

    create_demo(db)
    admin = first_admin(db)
    target = unions.create_union(db, admin, {"name": "基准测试工会"})
    db.dispose()

    def project() -> None:
        work = tmp_path / "p.sqlite3"
        shutil.copyfile(template, work)
        d = open_database(work)
        result = import_members(d, first_admin(d), roster, union_id=target.id, skip_invalid=True)
        assert result.imported == _expected
        d.dispose()
        work.unlink()

    def baseline() -> None:
        work = tmp_path / "b.sqlite3"
        rows = CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python()[2:]
        conn = sqlite3.connect(work)
        conn.execute(
            "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, id_number TEXT UNIQUE, ethnicity TEXT, phone TEXT, joined TEXT, migrant INT)"
        )
        conn.executemany("INSERT OR IGNORE INTO person (name, id_number, ethnicity, phone, joined, migrant) VALUES (?,?,?,?,?,?)",
                         [(r[1], r[2], r[4], r[5], r[6], 0) for r in rows])  # fmt: skip
        conn.commit()
        conn.close()
        work.unlink()

    def baseline_schema() -> None:
        """The same rows into the project's own tables (person with its indexes and
        trigram index, membership, membership_event), raw executemany, no checks:
        the floor any importer writing this schema has."""
        work = tmp_path / "s.sqlite3"
        shutil.copyfile(template, work)
        rows = CalamineWorkbook.from_path(str(roster)).get_sheet_by_index(0).to_python()[2:]
        conn = sqlite3.connect(work, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        stamp = "2026-01-01 00:00:00.000000"
        top = conn.execute("SELECT coalesce(max(id), 0) FROM person").fetchone()[0]
        mtop = conn.execute("SELECT coalesce(max(id), 0) FROM membership").fetchone()[0]
        people = [(top + i + 1, r[1], r[2], r[4], r[5], str(uuid4()), stamp, stamp)
                  for i, r in enumerate(rows)]  # fmt: skip
        conn.executemany(
            "INSERT INTO person (id, name, id_number, ethnicity, phone, uuid, created_at, updated_at, version, "
            "name_pinyin, name_initials, sex, birth_date) VALUES (?,?,?,?,?,?,?,?,1,'','','男','1990-01-01')",
            people,
        )
        conn.executemany(
            "INSERT INTO membership (id, person_id, union_id, joined_on, status, active, migrant_worker, "
            "uuid, created_at, updated_at, version) VALUES (?,?,?,'2019-05-01','1',1,0,?,?,?,1)",
            [
                (mtop + i + 1, p[0], target.id, str(uuid4()), stamp, stamp)
                for i, p in enumerate(people)
            ],
        )
        conn.executemany(
            'INSERT INTO membership_event (membership_id, kind, "on", uuid, created_at, updated_at, version) '
            "VALUES (?,'1','2019-05-01',?,?,?,1)",
            [(mtop + i + 1, str(uuid4()), stamp, stamp) for i in range(len(people))],
        )
        conn.execute("COMMIT")
        conn.close()
        for extra in work.parent.glob(work.name + "*"):
            extra.unlink()

    _expected = roster_people
    p = bench.median_time(project, 1)
    b = bench.median_time(baseline, 3)
    bs = bench.median_time(baseline_schema, 1)
    bench.report(
        "import 100 000-row roster (speed = baseline/project)",
        p,
        b,
        ">= 0.5x speed, i.e. project/baseline <= 2.0",
    )
    bench.report(
        "import 100 000-row roster vs raw executemany into the project's own tables",
        p,
        bs,
        "(reference: the schema's own floor)",
    )
    print(f"import speed ratio: {b / p:.2f}x of raw, {bs / p:.2f}x of raw into the same schema")


def _run_with_rss(args: list[str]) -> tuple[float, int]:
    """Elapsed time and peak RSS (MB) of one process. The peak is the process's own
    VmHWM, read from /proc while it runs: ``ru_maxrss`` would also count the memory
    of this (large) test process when the child was started by fork()."""
    t = time.perf_counter()
    peak = 0
    with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        status = Path(f"/proc/{proc.pid}/status")
        while proc.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.01)
    elapsed = time.perf_counter() - t
    assert proc.returncode == 0, args
    return elapsed, peak // 1024  # MB


BASELINE_EXPORT = """
import sqlite3, sys
from openpyxl import Workbook
conn = sqlite3.connect(sys.argv[1])
wb = Workbook(write_only=True)
ws = wb.create_sheet("m")
ws.append(["会员名册"])
q = ("SELECT p.name, p.id_number, p.sex, p.birth_date, p.ethnicity, p.political, p.education, p.phone, p.hukou_type, "
     "p.hukou_place, p.native_place, p.tech_level, m.employment_status, m.job, u.name, m.joined_on, m.card_no, m.status, "
     "m.migrant_worker, m.new_employment FROM membership m JOIN person p ON p.id = m.person_id "
     "JOIN union_org u ON u.id = m.union_id WHERE m.active")
for row in conn.execute(q):
    ws.append(list(row))
wb.save(sys.argv[2])
"""


def test_export_100k(county_100k: Path, tmp_path: Path, bench: Any) -> None:
    exe = Path(sys.executable).parent / "unionsdesk"
    # Project and baseline take turns, so a slow spell of the machine hits both.
    p_times, b_times, rss = [], [], 0
    for _ in range(3):
        t, peak = _run_with_rss(
            [str(exe), "export", "members", str(tmp_path / "p.xlsx"), "--db", str(county_100k)]
        )
        p_times.append(t)
        rss = max(rss, peak)
        b_times.append(
            _run_with_rss(
                [sys.executable, "-c", BASELINE_EXPORT, str(county_100k), str(tmp_path / "b.xlsx")]
            )[0]
        )
    p, b = min(p_times), min(b_times)
    bench.report("export 100 000 members (whole command)", p, b, "<= 1.2x, RSS <= 150 MB")
    print(f"export peak RSS: {rss} MB")
