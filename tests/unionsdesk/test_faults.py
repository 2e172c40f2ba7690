"""Faults a clerk's computer really has: a full disk, a database another program has
locked, two programs writing one file at once. Each gives one clear Chinese line (exit
code 2, no traceback) and loses nothing; the database checks clean afterwards.

Already covered elsewhere: a missing directory, a read-only file or directory, a file
that is not a database (tests/unionsdesk/db/test_engine.py, tests/unionsdesk/test_cli.py)
and a truncated or damaged backup (tests/unionsdesk/db/test_backup.py).

A full disk is simulated without root: the command runs in a child process whose
RLIMIT_FSIZE caps every file it writes (SIGXFSZ ignored, so a write past the cap fails
with EFBIG instead of killing the process), the way a disk with no free space refuses
to let a file grow.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import func, select

from unionsdesk.db.engine import translate_db_error
from unionsdesk.db.models import Receipt, ReceiptBook, UnionOrg
from unionsdesk.db.open import open_database
from unionsdesk.domain.idcard import check_char
from unionsdesk.services.common.maintenance import check

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE/SIGXFSZ: POSIX only")

UNION = "东固乡总工会"  # a grass-roots union of the demo county
YEAR = 2034

# `unionsdesk ...` exactly as the console script runs it, optionally with a file-size cap.
LAUNCHER = r"""
import sys
limit = int(sys.argv[1])
if limit > 0:
    import resource, signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from unionsdesk.cli import main
sys.exit(main(sys.argv[2:]))
"""


def cli(*args: str, max_file_size: int = 0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(max_file_size), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=180,
    )


def assert_one_clear_line(r: subprocess.CompletedProcess[str], *words: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stderr[-3000:])
    assert "Traceback" not in r.stderr and "程序内部错误" not in r.stderr, r.stderr[-3000:]
    assert r.stderr.startswith("错误：") and r.stderr.count("\n") == 1, r.stderr
    for w in words:
        assert w in r.stderr, r.stderr


def assert_checks_clean(db_file: Path) -> None:
    r = cli("check", "--db", str(db_file))
    assert r.returncode == 0 and "数据库正常" in r.stdout, r.stdout + r.stderr


def write_roster(path: Path, rows: int, region: int) -> None:
    """A member roster (.xlsx) of ``rows`` new people. Written as bare SpreadsheetML so
    that a 60 000-row file takes under a second (openpyxl needs several)."""

    def row_xml(r: int, values: tuple[str, ...]) -> str:
        cells = "".join(
            f'<c r="{col}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for col, v in zip("ABC", values, strict=True)
        )
        return f'<row r="{r}">{cells}</row>'

    lines = [row_xml(1, ("姓名", "身份证号", "入会日期"))]
    for i in range(rows):
        birth = date(1960, 1, 1) + timedelta(days=i // 900)
        first = f"3608{region:02d}{birth:%Y%m%d}{i % 900 + 100:03d}"
        name = "测试" + chr(0x4E00 + i % 5000)
        lines.append(row_xml(i + 2, (name, first + check_char(first), "2020-01-01")))
    ns = 'xmlns="http://schemas.openxmlformats.org/'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types {ns}package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{ct}package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{ct}officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{ct}officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships {ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {ns}spreadsheetml/2006/main" xmlns:r="{rel}"><sheets>'
            '<sheet name="会员" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships {ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet {ns}spreadsheetml/2006/main"><sheetData>{"".join(lines)}'
            "</sheetData></worksheet>",
        )


def snapshot(db_file: Path) -> dict[str, object]:
    """Row counts of everything an import or a backup touches, and the trigger a bulk
    import drops and re-creates inside its transaction."""
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
        counts: dict[str, object] = {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("person", "person_digits", "membership", "import_batch", "audit_log")
        }
        counts["trigger"] = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name='person_digits_ai'"
        ).fetchone()[0]
    conn.close()
    return counts


# --- full disk -----------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(8_000, id="fails-at-commit"),
        # Beyond SQLite's 32 MB page cache the transaction spills into the WAL while
        # rows are still being inserted: the driver's own error comes out of the bulk
        # insert, not out of SQLAlchemy's commit.
        pytest.param(60_000, id="fails-mid-import"),
    ],
)
def test_full_disk_during_member_import(demo_db_file: Path, tmp_path: Path, rows: int) -> None:
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    write_roster(first, 200, region=1)
    write_roster(second, rows, region=2)
    db = str(demo_db_file)
    r = cli("import", "members", str(first), "--union", UNION, "--db", db)
    assert r.returncode == 0, r.stderr
    before = snapshot(demo_db_file)
    assert before["trigger"] == 1 and before["person"] == before["person_digits"]

    # The disk has 64 KB left: the database may not grow past that, nor the WAL.
    room = demo_db_file.stat().st_size + 64 * 1024
    r = cli("import", "members", str(second), "--union", UNION, "--db", db, max_file_size=room)
    assert_one_clear_line(r, "磁盘", "没有保存")
    assert_checks_clean(demo_db_file)
    assert snapshot(demo_db_file) == before  # the first import all there, none of the second

    if rows > 10_000:
        return  # re-importing 60 000 rows proves no more than the small case does
    # Space freed: the same file imports completely.
    r = cli("import", "members", str(second), "--union", UNION, "--db", db)
    assert r.returncode == 0, r.stderr
    after = snapshot(demo_db_file)
    assert after["person"] == before["person"] + rows  # type: ignore[operator]
    assert after["membership"] == before["membership"] + rows  # type: ignore[operator]


@posix_only
def test_full_disk_during_backup(demo_db_file: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    before = snapshot(demo_db_file)
    # The USB stick has room for half a copy of the database.
    room = demo_db_file.stat().st_size // 2
    r = cli("backup", "--to", str(usb), "--db", str(demo_db_file), max_file_size=room)
    assert_one_clear_line(r, "备份失败", "空间", "数据库本身没有受影响")
    assert list(usb.iterdir()) == []  # no half-written backup (nor .partial) left behind
    assert snapshot(demo_db_file) == before
    assert_checks_clean(demo_db_file)

    r = cli("backup", "--to", str(usb), "--db", str(demo_db_file))
    assert r.returncode == 0, r.stderr
    assert len(list(usb.iterdir())) == 1


@pytest.mark.parametrize(
    "exc",
    [
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
        OSError(errno.EFBIG, os.strerror(errno.EFBIG)),
        sqlite3.OperationalError("database or disk is full"),
        # psycopg's DiskFull, as PostgreSQL words it
        Exception('could not extend file "base/16384/16402": No space left on device'),
    ],
    ids=["ENOSPC", "EFBIG", "SQLITE_FULL", "pg-DiskFull"],
)
def test_out_of_space_wordings_say_disk_full(exc: BaseException) -> None:
    """The ways a full disk is reported that the subprocess tests above cannot provoke
    (SQLite under RLIMIT_FSIZE reports SQLITE_IOERR_WRITE, "disk I/O error")."""
    assert translate_db_error(exc).startswith("磁盘空间已满")


# --- a database another program holds locked ----------------------------------------


def test_locked_database_gives_busy_message_and_changes_nothing(
    demo_db_file: Path, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.xlsx"
    write_roster(roster, 50, region=3)
    before = snapshot(demo_db_file)
    holder = sqlite3.connect(demo_db_file, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE office SET name = name")  # the other program is mid-save
        started = time.monotonic()
        r = cli("import", "members", str(roster), "--union", UNION, "--db", str(demo_db_file))
        waited = time.monotonic() - started
        holder.execute("COMMIT")
    finally:
        holder.close()
    assert_one_clear_line(r, "占用", "稍后再试")
    assert waited >= 7.0  # it waited out the busy timeout (8 s) before giving up
    assert snapshot(demo_db_file) == before
    assert_checks_clean(demo_db_file)


# --- two programs writing one database at once --------------------------------------

WRITER = r"""
import sys, time
from datetime import date
from unionsdesk.db.open import open_database
from unionsdesk.errors import UserError
from unionsdesk.services.aid import campaigns, receipts
from unionsdesk.services.members import unions
from unionsdesk.services.common.users import first_admin

url, me, count, year = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
db = open_database(url)
admin = first_admin(db)
c = campaigns.list_campaigns(db, admin, year)[0]
lines = sorted(p.id for p in campaigns.list_payouts(db, admin, c.id))[me::2][:count]
print("ready", flush=True)
sys.stdin.readline()  # both start together
for i, line in enumerate(lines):
    for what in ("union", "receipt"):
        t = time.monotonic()
        try:
            if what == "union":
                u = unions.create_union(db, admin, {"name": f"并发工会{me}-{i}"})
                result = f"ok {u.id}"
            else:
                made = receipts.issue_receipts(db, admin, [line], on=date(year, 3, 1))
                result = f"ok {made[0].number}"
        except UserError as exc:
            if "占用" not in str(exc):
                raise
            result = "busy"
        print(f"{what} {result} {t:.6f} {time.monotonic():.6f}", flush=True)
db.dispose()
"""


def prepare_campaign(db_target: str, payouts: int) -> None:
    from unionsdesk.services.aid import campaigns
    from unionsdesk.services.common.users import first_admin

    db = open_database(db_target)
    admin = first_admin(db)
    c = campaigns.save_campaign(
        db, admin, {"name": "并发测试活动", "kind": "日常慰问", "year": YEAR, "approval_ref": "x"}
    )
    for i in range(payouts):
        first = f"360830{1960 + i // 12:04d}{i % 12 + 1:02d}16{i:03d}"
        person = {"name": "领款" + chr(0x4E00 + i), "id_number": first + check_char(first)}
        campaigns.add_payout(db, admin, c.id, {**person, "amount": "100"})
    campaigns.set_campaign_status(db, admin, c.id, "审核")
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_target(request: pytest.FixtureRequest) -> str:
    """The demo database as a --db target: an SQLite file, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("demo_db_file"))
    pg = request.getfixturevalue("pg_demo_db")
    pg.dispose()
    return str(pg.url)


def test_two_writers_at_once(db_target: str) -> None:
    per_writer = 40
    prepare_campaign(db_target, 2 * per_writer)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_target, str(me), str(per_writer), str(YEAR)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me in (0, 1)
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=180) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err[-3000:]  # no other error than "busy", no crash
    logs = [[line.split() for line in out.splitlines()] for out, _err in outputs]
    assert all(len(log) == 2 * per_writer for log in logs)
    # The two really wrote at the same time: each started before the other finished.
    first_start = [float(log[0][3]) for log in logs]
    last_end = [float(log[-1][4]) for log in logs]
    assert first_start[0] < last_end[1] and first_start[1] < last_end[0]

    ok = [entry for log in logs for entry in log if entry[1] == "ok"]
    busy = [entry for log in logs for entry in log if entry[1] == "busy"]
    print(f"\ntwo writers: {len(ok)} saved, {len(busy)} refused as busy")
    union_ids = {int(e[2]) for e in ok if e[0] == "union"}
    receipt_numbers = sorted(int(e[2].split("-")[1]) for e in ok if e[0] == "receipt")

    db = open_database(db_target)
    with db.reading() as s:
        created = set(s.scalars(select(UnionOrg.id).where(UnionOrg.name.like("并发工会%"))))
        numbers = list(
            s.scalars(
                select(Receipt.number)
                .join(ReceiptBook)
                .where(ReceiptBook.year == YEAR)
                .order_by(Receipt.number)
            )
        )
        payouts_with_receipt = s.scalar(
            select(func.count(func.distinct(Receipt.payout_id)))
            .join(ReceiptBook)
            .where(ReceiptBook.year == YEAR)
        )
    report = check(db)
    db.dispose()
    assert report.ok, report.lines()
    assert created == union_ids  # every saved union is there, no unreported one
    assert numbers == receipt_numbers == list(range(1, len(numbers) + 1))  # gapless, unique
    assert payouts_with_receipt == len(numbers)  # one receipt per pay-out line
