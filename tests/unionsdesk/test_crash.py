"""Power cuts: kill -9 a process at random points while it imports, pays out, numbers
receipts and backs up. Afterwards the database checks clean, no half import is
visible, receipt numbers have no gaps or duplicates, and everything the process
reported as committed is there. Runs on SQLite and, when a server is configured, on
PostgreSQL (the client killed mid-transaction; no backups there). More iterations:
UNIONSDESK_CRASH_ITERATIONS, UNIONSDESK_CRASH_PG_ITERATIONS."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import ImportBatch, Membership, Receipt, ReceiptBook
from unionsdesk.db.open import open_database
from unionsdesk.services.common.maintenance import check

ITERATIONS = int(os.environ.get("UNIONSDESK_CRASH_ITERATIONS", "50"))
# Each PostgreSQL worker pays for a server connection and a schema check: fewer by default.
PG_ITERATIONS = int(os.environ.get("UNIONSDESK_CRASH_PG_ITERATIONS", "15"))
YEAR = 2033

WORKER = r"""
import os, random, sys
from datetime import date
from pathlib import Path
from unionsdesk.db.open import open_database
from unionsdesk.services.aid import campaigns, receipts
from unionsdesk.services.common import maintenance
from unionsdesk.services.members import unions
from unionsdesk.services.members.member_import import import_members
from unionsdesk.services.common.users import first_admin

target, log_path, roster, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)
db = open_database(target)
admin = first_admin(db)
log = open(log_path, "a")
def done(line):
    log.write(line + "\n"); log.flush(); os.fsync(log.fileno())
c = [c for c in campaigns.list_campaigns(db, admin, YEAR)][0]
lines = [p.id for p in campaigns.list_payouts(db, admin, c.id) if p.receipt_no is None]
print("ready", flush=True)
n = 0
while True:
    n += 1
    op = rng.random()
    if op < 0.5 and lines:
        made = receipts.issue_receipts(db, admin, [lines.pop()], on=date(YEAR, 6, 1))
        done(f"receipt {made[0].number}")
    elif op < 0.65 or (op >= 0.9 and not db.is_sqlite):  # no file backups on PostgreSQL
        name = f"崩溃测试工会{seed}-{n}"
        u = unions.create_union(db, admin, {"name": name})
        done(f"union {u.id}")
    elif op < 0.9:
        from datetime import timedelta
        from openpyxl import Workbook
        from unionsdesk.domain.idcard import check_char
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("x")
        ws.append(["姓名", "身份证号", "入会日期"])
        birth = date(1950, 1, 1) + timedelta(days=n)
        for i in range(300):  # new people every time, so every import really writes
            first = f"36{seed % 100:02d}30{birth:%Y%m%d}{i:03d}"
            ws.append(["导入" + chr(0x4E00 + i), first + check_char(first), "2020-01-01"])
        wb.save(roster)
        u = unions.create_union(db, admin, {"name": f"导入工会{seed}-{n}"})
        r = import_members(db, admin, Path(roster), union_id=u.id)
        done(f"import {r.batch_id} {r.imported}")
    else:
        p = maintenance.backup_now(db, admin, Path(target).parent / "backups", keep=3)
        done(f"backup {p.name}")
""".replace("YEAR", str(YEAR))


def prepare(db: Database, tmp_path: Path) -> Path:
    """An approved campaign of 400 pay-out lines without receipts; returns where each
    worker writes its roster."""
    from unionsdesk.domain.idcard import check_char
    from unionsdesk.services.aid import campaigns
    from unionsdesk.services.common.users import first_admin

    admin = first_admin(db)
    c = campaigns.save_campaign(
        db, admin, {"name": "崩溃测试活动", "kind": "日常慰问", "year": YEAR, "approval_ref": "x"}
    )
    for i in range(400):
        first = f"360830{1960 + i // 12:04d}{i % 12 + 1:02d}15{i % 1000:03d}"
        campaigns.add_payout(
            db,
            admin,
            c.id,
            {
                "name": "领款" + chr(0x4E00 + i),
                "id_number": first + check_char(first),
                "amount": "100",
            },
        )
    campaigns.set_campaign_status(db, admin, c.id, "审核")
    campaigns.set_campaign_status(db, admin, c.id, "已发放")  # receipts need 已发放
    db.dispose()
    return tmp_path / "roster.xlsx"  # each worker writes its own roster here


@pytest.fixture
def prepared(demo_db_file: Path, tmp_path: Path) -> tuple[str, Path]:
    return str(demo_db_file), prepare(open_database(demo_db_file), tmp_path)


@pytest.fixture
def pg_prepared(pg_demo_db: Database, tmp_path: Path) -> tuple[str, Path]:
    """A fresh PostgreSQL database made from the demo template (dropped afterwards)."""
    return pg_demo_db.url, prepare(pg_demo_db, tmp_path)


def test_kill_at_random_points(prepared: tuple[str, Path], tmp_path: Path) -> None:
    crash_run(prepared, tmp_path, ITERATIONS)


@pytest.mark.pg
def test_kill_at_random_points_postgresql(pg_prepared: tuple[str, Path], tmp_path: Path) -> None:
    crash_run(pg_prepared, tmp_path, PG_ITERATIONS)


@pytest.mark.soak
def test_kill_soak(prepared: tuple[str, Path], tmp_path: Path) -> None:
    crash_run(prepared, tmp_path, 500)


def crash_run(prepared: tuple[str, Path], tmp_path: Path, iterations: int) -> None:
    target, roster = prepared
    log = tmp_path / "committed.log"
    rng = random.Random(1234)
    kills = 0
    for i in range(iterations):
        proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, target, str(log), str(roster), str(i)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdout is not None
        ready = proc.stdout.readline().strip()
        assert ready == "ready", proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
        kills += proc.returncode == -signal.SIGKILL
    assert kills >= iterations * 0.9  # the process really was killed mid-work
    db = open_database(target)
    report = check(db)
    assert report.ok, report.lines()
    committed = log.read_text(encoding="utf-8").splitlines()
    kinds = Counter(line.split()[0] for line in committed)
    print(f"\ncrash iterations: {iterations}, killed: {kills}, committed: {dict(kinds)}")
    assert any(line.startswith("receipt") for line in committed), "no receipt was ever committed"
    with db.reading() as s:
        numbers = list(
            s.scalars(
                select(Receipt.number)
                .join(ReceiptBook)
                .where(ReceiptBook.year == YEAR)
                .order_by(Receipt.number)
            )
        )
        assert numbers == list(range(1, len(numbers) + 1))  # gapless and unique
        for line in committed:
            kind, *rest = line.split()
            if kind == "receipt":
                assert int(rest[0].split("-")[1]) in numbers
            elif kind == "import" and rest[0] != "None":
                batch = s.get(ImportBatch, int(rest[0]))
                assert batch is not None and batch.imported == int(rest[1])
        for batch in s.scalars(select(ImportBatch)):  # no half import anywhere
            rows = s.scalar(
                select(func.count())
                .select_from(Membership)
                .where(Membership.import_batch_id == batch.id)
            )
            assert rows == batch.imported
    db.dispose()


RESTORE_ITERATIONS = int(os.environ.get("UNIONSDESK_CRASH_RESTORE_ITERATIONS", "8"))


def test_kill_during_restore_over_a_damaged_database(demo_db_file: Path) -> None:
    """kill -9 while `restore` replaces a damaged database: afterwards the damaged
    bytes are still there (in place, or moved aside unchanged), whatever is at the
    database's name is either that damaged file or a complete restored copy, the backup
    is untouched, and running the restore again finishes the job."""
    from unionsdesk.db import backup as bk

    good = bk.backup_sqlite(demo_db_file, bk.default_backup_dir(demo_db_file))
    good_bytes = good.read_bytes()
    rng = random.Random(99)
    folder = demo_db_file.parent
    for i in range(RESTORE_ITERATIONS):
        for leftover in folder.glob(demo_db_file.name + ".damaged-*"):
            leftover.unlink()
        demo_db_file.write_bytes(good_bytes)
        with demo_db_file.open("r+b") as fh:  # the middle of the file: a bad stretch of disk
            fh.seek(len(good_bytes) // 2 // 4096 * 4096)
            fh.write(os.urandom(64 * 1024))
        damaged = demo_db_file.read_bytes()
        proc = subprocess.Popen(
            [sys.executable, "-m", "unionsdesk.cli", "restore", str(good), "--db", str(demo_db_file)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kept = [
            p
            for p in folder.glob(demo_db_file.name + ".damaged-*")
            if not p.name.endswith(("-wal", "-shm"))
        ]
        here = demo_db_file.read_bytes() if demo_db_file.exists() else None
        assert here == damaged or any(p.read_bytes() == damaged for p in kept), i
        if here is not None and here != damaged:
            assert bk.quick_check(demo_db_file).ok, i  # never a half-copied database
        assert good.read_bytes() == good_bytes
        r = subprocess.run(
            [sys.executable, "-m", "unionsdesk.cli", "restore", str(good), "--db", str(demo_db_file)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        assert bk.quick_check(demo_db_file).ok
        assert (
            any(
                p.read_bytes() == damaged
                for p in folder.glob(demo_db_file.name + ".damaged-*")
                if not p.name.endswith(("-wal", "-shm"))
            )
            or r.stdout.count("恢复前的数据已另存为") == 1
        ), i
