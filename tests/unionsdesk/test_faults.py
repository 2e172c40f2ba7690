"""Faults a clerk's computer really has: a full disk, a database another program has
locked, two programs writing one file at once, a damaged, truncated or missing
database (with open/check/import/export/backup/restore against each), a read-only file
or mount, a closed stdout, a report path that is the input file. Each gives a clear
Chinese message (a non-zero exit where it failed, no traceback) and loses nothing:
restored data is compared row by row with the backup, damaged files are kept byte for
byte. A real full file system is a 1 MB tmpfs (needs root, skipped otherwise); the
PostgreSQL cases (a partly dropped schema, restore into an empty one) need a server.

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
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
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
    campaigns.set_campaign_status(db, admin, c.id, "已发放")  # receipts need 已发放
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


# --- a damaged, truncated or missing database (issue 13, items 1 and 2) ---------------

DAMAGES = ["middle", "quiet-page", "truncated", "zeroed-header", "missing"]


def damage(db_file: Path, kind: str) -> None:
    """Damage ``db_file`` as a failing disk or a careless copy does. The file is
    checkpointed first, so all of its data is in the main file."""
    conn = sqlite3.connect(db_file)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # A page nothing reads unless asked: the first leaf of the person table (an
    # import finds people by the ID-number index and appends new ones at the end).
    quiet = conn.execute(
        "SELECT min(pageno) FROM dbstat WHERE name = 'person' AND pagetype = 'leaf'"
    ).fetchone()[0]
    conn.close()
    size = db_file.stat().st_size
    if kind == "quiet-page":  # the damage nobody notices until a check
        with db_file.open("r+b") as fh:
            fh.seek((quiet - 1) * 4096 + 100)
            fh.write(os.urandom(3000))
    elif kind == "middle":  # 64 KB of random bytes in the middle (a bad stretch of disk)
        with db_file.open("r+b") as fh:
            fh.seek(size // 2 // 4096 * 4096)
            fh.write(os.urandom(min(64 * 1024, size // 4)))
    elif kind == "truncated":  # a copy cut off half-way
        with db_file.open("r+b") as fh:
            fh.truncate(size // 2 + 1000)
    elif kind == "zeroed-header":
        with db_file.open("r+b") as fh:
            fh.write(bytes(100))
    else:
        db_file.unlink()
    for side in ("-wal", "-shm"):
        db_file.with_name(db_file.name + side).unlink(missing_ok=True)


def table_rows(db_file: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in rowid order: "no good data lost" row by row."""
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE 'person_digits%'"
                " AND name != 'attachment_blob'"  # attachments ride in a backup, then go back to files
            )
        ]
        out = {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    conn.close()
    return out


def assert_clean_failure(r: subprocess.CompletedProcess[str], *words: str) -> None:
    """Failed with a non-zero code, Chinese words, no traceback."""
    out = r.stdout + r.stderr
    assert r.returncode != 0, out
    assert "Traceback" not in out and "Exception ignored" not in out, out
    assert "程序内部错误" not in out, out
    for w in words:
        assert w in out, out


@pytest.fixture
def good_backup(demo_db_file: Path) -> Path:
    r = cli("backup", "--db", str(demo_db_file))
    assert r.returncode == 0, r.stderr
    (found,) = (demo_db_file.parent / "backups").glob("unionsdesk-*.sqlite3")
    return found


@pytest.mark.parametrize("kind", DAMAGES)
def test_check_diagnoses_damage(demo_db_file: Path, good_backup: Path, kind: str) -> None:
    damage(demo_db_file, kind)
    r = cli("check", "--db", str(demo_db_file))
    if kind == "missing":
        assert_one_clear_line(r, "数据库文件不存在")
        return
    assert_clean_failure(r, "数据库已损坏")
    if kind == "middle":  # SQLite's own words, and the backup to restore from
        assert "malformed" in r.stdout or "Tree" in r.stdout or "page" in r.stdout, r.stdout
        assert good_backup.name in r.stdout and "unionsdesk restore" in r.stdout


@pytest.mark.parametrize("kind", DAMAGES)
def test_writing_commands_refuse_a_damaged_database(
    demo_db_file: Path, good_backup: Path, tmp_path: Path, kind: str
) -> None:
    roster = tmp_path / "roster.xlsx"
    write_roster(roster, 20, region=4)
    damage(demo_db_file, kind)
    before = demo_db_file.read_bytes() if kind != "missing" else None
    r = cli("import", "members", str(roster), "--union", UNION, "--db", str(demo_db_file))
    assert_one_clear_line(r, "数据库文件不存在" if kind == "missing" else "损坏")
    if kind == "missing":
        assert not demo_db_file.exists()
    else:
        assert demo_db_file.read_bytes() == before  # not one byte written


@pytest.mark.parametrize("kind", DAMAGES)
def test_export_and_backup_of_a_damaged_database(
    demo_db_file: Path, good_backup: Path, tmp_path: Path, kind: str
) -> None:
    damage(demo_db_file, kind)
    out = tmp_path / "out.xlsx"
    r = cli("export", "members", str(out), "--db", str(demo_db_file))
    if r.returncode != 0:  # reading may still work around the damage; if not, say so
        assert_one_clear_line(r)
        assert not out.exists()
    usb = tmp_path / "usb"
    r = cli("backup", "--to", str(usb), "--db", str(demo_db_file))
    assert_one_clear_line(r, "数据库文件不存在" if kind == "missing" else "损坏")
    assert not usb.exists() or not list(usb.iterdir())  # no damaged copy posing as a backup


@pytest.mark.parametrize("kind", DAMAGES)
def test_restore_over_a_damaged_database(demo_db_file: Path, good_backup: Path, kind: str) -> None:
    expected = table_rows(good_backup)
    damage(demo_db_file, kind)
    damaged = demo_db_file.read_bytes() if kind != "missing" else None
    r = cli("restore", str(good_backup), "--db", str(demo_db_file))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and "已从备份" in r.stdout, r.stdout
    kept = list(demo_db_file.parent.glob(demo_db_file.name + ".damaged-*"))
    if kind == "missing":
        assert kept == [] and "不存在" in r.stdout
    else:
        main = [p for p in kept if not p.name.endswith(("-wal", "-shm"))]
        assert len(main) == 1 and main[0].read_bytes() == damaged  # kept byte for byte
        assert str(main[0]) in r.stdout and "损坏" in r.stdout
    assert_checks_clean(demo_db_file)
    got = table_rows(demo_db_file)
    audit, logged = got.pop("audit_log"), expected.pop("audit_log")
    assert audit[: len(logged)] == logged
    assert any("恢复" in str(row) for row in audit[len(logged) :])  # the restore is logged
    assert got == expected  # every row of the backup, nothing else
    # The backups are untouched and a second restore (now over a healthy file) still works.
    assert list((demo_db_file.parent / "backups").glob("unionsdesk-*")) == [good_backup]
    r = cli("restore", str(good_backup), "--db", str(demo_db_file))
    assert r.returncode == 0 and "恢复前的数据已另存为" in r.stdout, r.stdout + r.stderr


def test_damaged_database_is_opened_for_reading_only(demo_db_file: Path) -> None:
    """In-process: the check at open finds the damage, reading works, writing is refused."""
    from unionsdesk.db.engine import DatabaseDamagedError
    from unionsdesk.services.common.users import first_admin
    from unionsdesk.services.members import unions

    conn = sqlite3.connect(demo_db_file)  # damage the last page of the person table
    root = conn.execute("SELECT max(rowid) FROM person").fetchone()[0]
    page = (
        conn.execute("SELECT max(pageno) FROM dbstat WHERE name = 'person'").fetchone()[0]
        if root
        else None
    )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert page is not None
    with demo_db_file.open("r+b") as fh:
        fh.seek((page - 1) * 4096 + 8)
        fh.write(os.urandom(4000))
    db = open_database(demo_db_file, verify=True)
    try:
        assert db.damage
        admin = first_admin(db)  # reading
        with pytest.raises(DatabaseDamagedError, match="数据库已损坏"):
            unions.create_union(db, admin, {"name": "不该写入的工会"})
    finally:
        db.dispose()


# --- backups of two databases in one folder; two backups in one second ---------------


def test_rotation_only_touches_backups_of_the_same_database(
    demo_db_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite3"
    r = cli(
        "init", "--db", str(other), "--office-name", "另一个工会", "--admin-password", "secret12"
    )
    assert r.returncode == 0, r.stderr
    shared = demo_db_file.parent / "backups"
    assert other.parent / "backups" == shared
    r = cli("backup", "--db", str(demo_db_file))
    assert r.returncode == 0, r.stderr
    (mine,) = shared.iterdir()
    for _ in range(3):
        r = cli("backup", "--db", str(other), "--keep", "1")
        assert r.returncode == 0, r.stderr
    assert mine.exists()  # the first database's only backup survives the other's rotation
    assert len(list(shared.iterdir())) == 2
    # and its own rotation still works
    for _ in range(2):
        assert cli("backup", "--db", str(demo_db_file), "--keep", "1").returncode == 0
    assert not mine.exists() and len(list(shared.iterdir())) == 2


def test_two_backups_in_the_same_second(demo_db_file: Path) -> None:
    from unionsdesk.db import backup as bk

    dest = demo_db_file.parent / "same-second"
    made = [bk.backup_sqlite(demo_db_file, dest, prefix="pre-upgrade") for _ in range(3)]
    assert len(set(made)) == 3 and all(p.exists() for p in made)
    assert not list(dest.glob("*.partial"))


# --- --report never destroys the input file (item 5) ----------------------------------


def test_report_path_equal_to_input_is_refused(demo_db_file: Path, tmp_path: Path) -> None:
    roster = tmp_path / "r.xlsx"
    write_roster(roster, 5, region=5)
    original = roster.read_bytes()
    r = cli("import", "members", str(roster), "--union", UNION, "--report", str(roster),
            "--db", str(demo_db_file))  # fmt: skip
    assert_one_clear_line(r, "导入的文件")
    assert roster.read_bytes() == original
    link = tmp_path / "link.xlsx"  # the same file under another name
    link.symlink_to(roster)
    r = cli("import", "members", str(roster), "--union", UNION, "--report", str(link),
            "--db", str(demo_db_file))  # fmt: skip
    assert_one_clear_line(r, "导入的文件")
    assert roster.read_bytes() == original


@pytest.mark.parametrize(
    "command",
    [
        ["import", "honours"],  # every register of the framework
        ["import", "mutual-enrolment", "--plan", "1", "--period", "2026"],
    ],
)
def test_other_imports_refuse_the_input_as_report(
    demo_db_file: Path, tmp_path: Path, command: list[str]
) -> None:
    roster = tmp_path / "r.xlsx"
    write_roster(roster, 5, region=5)
    original = roster.read_bytes()
    r = cli(*command, str(roster), "--report", str(roster), "--db", str(demo_db_file))
    assert_one_clear_line(r, "导入的文件")
    assert roster.read_bytes() == original


def test_report_never_overwrites_without_force(demo_db_file: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    bad = tmp_path / "bad.xlsx"  # one row with a wrong ID number: there is a report to write
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "入会日期"])
    wb.active.append(["张三", "110101199001011234", "2020-01-01"])
    wb.save(bad)
    report = tmp_path / "errors.xlsx"
    report.write_bytes(b"keep me")
    r = cli("import", "members", str(bad), "--union", UNION, "--report", str(report),
            "--db", str(demo_db_file))  # fmt: skip
    assert_one_clear_line(r, "已存在", "--force")
    assert report.read_bytes() == b"keep me"
    r = cli("import", "members", str(bad), "--union", UNION, "--report", str(report),
            "--force", "--db", str(demo_db_file))  # fmt: skip
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert zipfile.is_zipfile(report)  # the error list replaced it, as asked
    assert not list(tmp_path.glob(".*.tmp"))


# --- a full disk as a real full file system (root: a small tmpfs) ---------------------


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs, already nearly full. Needs root (CI runs as root)."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    mnt = tmp_path / "full"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], check=True)
    try:
        filler = mnt / ".filler"  # leave 16 KB free
        filler.write_bytes(bytes(os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize - 16384))
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_full_disk_during_export_keeps_the_previous_file(
    demo_db_file: Path, full_disk: Path
) -> None:
    previous = full_disk / "会员.xlsx"
    previous.write_bytes(b"last month's export")
    r = cli("export", "members", str(previous), "--db", str(demo_db_file))
    assert_one_clear_line(r, "磁盘空间已满", "原有文件没有改动")
    assert "Exception ignored" not in r.stderr
    assert previous.read_bytes() == b"last month's export"
    left = sorted(p.name for p in full_disk.iterdir())
    assert left == sorted([previous.name, ".filler"])  # no temporary file left


def test_full_disk_during_backup_on_a_real_file_system(demo_db_file: Path, full_disk: Path) -> None:
    r = cli("backup", "--to", str(full_disk), "--db", str(demo_db_file))
    assert_one_clear_line(r, "备份失败", "空间")
    assert [p.name for p in full_disk.iterdir()] == [".filler"]
    assert_checks_clean(demo_db_file)


# --- a read-only database: file (immutable) and mount ---------------------------------


@pytest.fixture(params=["immutable-file", "read-only-mount"])
def read_only_db(
    request: pytest.FixtureRequest, demo_db_file: Path, tmp_path: Path
) -> Iterator[Path]:
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("chattr +i and mounts need root on Linux")
    conn = sqlite3.connect(demo_db_file)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if request.param == "immutable-file":
        subprocess.run(["chattr", "+i", str(demo_db_file)], check=True)
        try:
            yield demo_db_file
        finally:
            subprocess.run(["chattr", "-i", str(demo_db_file)], check=False)
        return
    mnt = tmp_path / "ro"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mnt)], check=True)
    try:
        from unionsdesk.attachments import store_dir

        target = mnt / demo_db_file.name
        target.write_bytes(demo_db_file.read_bytes())
        if store_dir(demo_db_file).is_dir():  # the demo's photos live beside the database
            shutil.copytree(store_dir(demo_db_file), store_dir(target))
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        yield target
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_read_only_database_can_be_checked_exported_and_backed_up(
    read_only_db: Path, tmp_path: Path
) -> None:
    before = read_only_db.read_bytes()
    r = cli("check", "--db", str(read_only_db))
    assert r.returncode == 0 and "数据库正常" in r.stdout, r.stdout + r.stderr
    out = tmp_path / "members.xlsx"
    r = cli("export", "members", str(out), "--db", str(read_only_db))
    assert r.returncode == 0 and out.exists(), r.stderr
    r = cli("backup", "--to", str(tmp_path / "usb"), "--db", str(read_only_db))
    assert r.returncode == 0, r.stderr
    roster = tmp_path / "roster.xlsx"
    write_roster(roster, 5, region=7)
    r = cli("import", "members", str(roster), "--union", UNION, "--db", str(read_only_db))
    assert_one_clear_line(r, "只读")
    assert read_only_db.read_bytes() == before


# --- a closed stdout -------------------------------------------------------------------


def test_closed_stdout_after_the_work_is_done(demo_db_file: Path, tmp_path: Path) -> None:
    roster = tmp_path / "roster.xlsx"
    write_roster(roster, 5, region=8)
    before = snapshot(demo_db_file)
    command = ["import", "members", str(roster), "--union", UNION, "--db", str(demo_db_file)]
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, "0", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `unionsdesk import … | true`
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0, err
    assert err == ""
    assert snapshot(demo_db_file)["membership"] == before["membership"] + 5  # type: ignore[operator]


# --- PostgreSQL: a partly dropped schema, and a restore into an empty one --------------


@pytest.mark.pg
def test_postgresql_restore_into_an_empty_and_a_partly_dropped_schema(
    pg_empty_url: str, good_backup: Path, tmp_path: Path
) -> None:
    from sqlalchemy import create_engine, text

    url = pg_empty_url
    r = cli("restore", str(good_backup), "--db", url)  # a file backup does not go to a server
    assert_one_clear_line(r, "PostgreSQL", "copy-db")
    # Into the empty database: every row arrives.
    r = cli("copy-db", "--from", str(good_backup), "--to", url)
    assert r.returncode == 0 and "行数全部一致" in r.stdout, r.stdout + r.stderr
    r = cli("check", "--db", url)
    assert r.returncode == 0 and "数据库正常" in r.stdout, r.stdout + r.stderr

    # Someone drops tables: check says so, writing commands refuse, nothing crashes.
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE receipt, signoff_sheet CASCADE"))
    r = cli("check", "--db", url)
    assert_clean_failure(r, "数据库已损坏", "缺少数据表", "receipt")
    roster = tmp_path / "roster.xlsx"
    write_roster(roster, 5, region=9)
    r = cli("import", "members", str(roster), "--union", UNION, "--db", url)
    assert_one_clear_line(r, "缺少数据表")
    r = cli("copy-db", "--from", str(good_backup), "--to", url)  # not over what is left
    assert_clean_failure(r)

    # The server's administrator empties the schema; the backup then goes in whole again.
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    r = cli("copy-db", "--from", str(good_backup), "--to", url)
    assert r.returncode == 0 and "行数全部一致" in r.stdout, r.stdout + r.stderr
    r = cli("check", "--db", url)
    assert r.returncode == 0 and "数据库正常" in r.stdout, r.stdout + r.stderr


def test_an_unchanged_file_is_not_checked_again_a_changed_one_is(
    demo_db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cheap signal: a file exactly as it was when it last passed (or as this program
    left it) skips quick_check; a byte written behind the program's back does not."""
    from unionsdesk.db import open as db_open

    calls: list[Path] = []
    real = db_open.quick_check
    monkeypatch.setattr(db_open, "quick_check", lambda p: calls.append(p) or real(p))
    open_database(demo_db_file, verify=True).dispose()  # checks, remembers
    assert len(calls) == 1
    db = open_database(demo_db_file, verify=True)  # unchanged: no second check
    from unionsdesk.services.common.users import first_admin
    from unionsdesk.services.members import unions

    unions.create_union(db, first_admin(db), {"name": "检查后新建的工会"})  # our own write
    db.dispose()
    open_database(demo_db_file, verify=True).dispose()
    assert len(calls) == 1
    damage(demo_db_file, "quiet-page")  # someone else's bytes
    db = open_database(demo_db_file, verify=True)
    db.dispose()
    assert len(calls) == 2 and db.damage
