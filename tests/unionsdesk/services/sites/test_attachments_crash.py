"""Power cuts while attachments are added: kill -9 a process at random points while it
adds files. Afterwards every row has its file, intact (same SHA-256), everything the
process reported as committed is there, and the only stray files are the uncommitted
ones, which `remove_orphans` clears (like tests/unionsdesk/test_crash.py)."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from unionsdesk import attachments as att
from unionsdesk.db.models_sites import Attachment
from unionsdesk.db.open import open_database
from unionsdesk.services.common.maintenance import check
from unionsdesk.services.common.users import first_admin
from unionsdesk.services.sites import sites

ITERATIONS = int(os.environ.get("UNIONSDESK_CRASH_ITERATIONS", "50")) // 3

WORKER = r"""
import os, sys
from pathlib import Path
from unionsdesk import attachments as att
from unionsdesk.db.open import open_database
from unionsdesk.services.common.users import first_admin

target, log_path, site_id, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db = open_database(target)
admin = first_admin(db)
log = open(log_path, "a")
work = Path(log_path).parent / f"w{seed}"
work.mkdir(exist_ok=True)
print("ready", flush=True)
n = 0
while True:
    n += 1
    f = work / f"照片{seed}-{n}.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200_000))  # new content every time
    a = att.add_attachment(db, admin, "site", site_id, f)
    log.write(f"{a.id} {a.sha256}\n"); log.flush(); os.fsync(log.fileno())
"""


def test_kill_while_adding_attachments(demo_db_file: Path, tmp_path: Path) -> None:
    db = open_database(demo_db_file)
    site_id = sites.save_site(db, first_admin(db), {"kind": "工会驿站", "name": "崩溃测试驿站"}).id
    db.dispose()
    log = tmp_path / "committed.log"
    rng = random.Random(2026)
    kills = 0
    for i in range(ITERATIONS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(demo_db_file), str(log), str(site_id), str(i)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stdout is not None
        ready = proc.stdout.readline().strip()
        assert ready == "ready", proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
        kills += proc.returncode == -signal.SIGKILL
    assert kills >= ITERATIONS * 0.9
    db = open_database(demo_db_file)
    committed = [line.split() for line in log.read_text().splitlines()] if log.exists() else []
    assert committed, "no attachment was ever committed"
    with db.reading() as s:
        rows = {a.id: a.sha256 for a in s.scalars(select(Attachment))}
    for aid, sha in committed:
        assert rows.get(int(aid)) == sha  # reported as done → there
    store = att.store_dir(demo_db_file)
    for sha in rows.values():  # no row without its complete file
        assert hashlib.sha256((store / sha[:2] / sha).read_bytes()).hexdigest() == sha
    report = check(db)
    assert report.ok, report.lines()
    stray = len(report.attachments.orphans) if report.attachments else 0
    assert stray <= kills  # at most the one add each kill cut off
    att.remove_orphans(db)
    assert {p.name for p in att._store_files(store)} == set(rows.values())
    assert not list(store.rglob("*.tmp"))  # cut-off writes are cleared too
    print(
        f"\nattachment crash iterations: {ITERATIONS}, committed: {len(committed)}, stray files: {stray}"
    )
    db.dispose()
