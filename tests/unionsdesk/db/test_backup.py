import sqlite3
from pathlib import Path

import pytest

from unionsdesk.db import backup as bk
from unionsdesk.db.engine import Database
from unionsdesk.errors import BackupError
from unionsdesk.services.common import maintenance, office
from unionsdesk.services.common.users import first_admin


def test_backup_is_a_verified_copy(demo_db: Database, tmp_path: Path) -> None:
    target = maintenance.backup_now(demo_db, first_admin(demo_db), tmp_path / "usb")
    assert target.parent == tmp_path / "usb" and target.name.startswith("unionsdesk-")
    info = bk.verify_backup(target)
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT name FROM office").fetchone()[0] == "示例县总工会"
    conn.close()
    assert info.revision
    assert not list((tmp_path / "usb").glob("*.partial"))


def test_rotation_keeps_newest(demo_db: Database, tmp_path: Path) -> None:
    dest = tmp_path / "b"
    first = maintenance.backup_now(demo_db, first_admin(demo_db), dest)
    for i in range(5):  # older backups of this database already there
        (dest / f"unionsdesk-2020010{i + 1}-120000.sqlite3").write_bytes(first.read_bytes())
    first.unlink()
    (dest / "unionsdesk-20180101-120000.sqlite3").write_bytes(b"x")  # an old one without an id
    (dest / "pre-restore-20190101-000000.sqlite3").write_bytes(b"x")
    (dest / "notes.txt").write_text("keep me")
    maintenance.backup_now(demo_db, first_admin(demo_db), dest, keep=3)
    names = sorted(p.name for p in dest.iterdir())
    regular = [n for n in names if n.startswith("unionsdesk-")]
    assert len(regular) == 4 and "unionsdesk-20180101-120000.sqlite3" in regular
    assert (
        "unionsdesk-20200105-120000.sqlite3" in regular
        and "unionsdesk-20200103-120000.sqlite3" not in regular
    )
    assert "pre-restore-20190101-000000.sqlite3" in names and "notes.txt" in names


def test_restore_round_trip(demo_db: Database, tmp_path: Path) -> None:
    admin = first_admin(demo_db)
    before = office.get_office(demo_db)
    saved = maintenance.backup_now(demo_db, admin, tmp_path / "b")
    office.save_office(demo_db, admin, {**before.as_dict(), "name": "改过的名字"})
    assert office.get_office(demo_db).name == "改过的名字"
    other = maintenance.backup_now(demo_db, admin, tmp_path / "b")
    outcome = maintenance.restore(demo_db, admin, saved)
    safety = outcome.kept
    assert safety is not None and not outcome.damaged
    assert office.get_office(demo_db).name == before.name
    assert safety.exists() and other.exists() and saved.exists()  # no backup deleted
    conn = sqlite3.connect(safety)
    assert conn.execute("SELECT name FROM office").fetchone()[0] == "改过的名字"
    conn.close()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_broken_backup_refused_and_nothing_changed(
    demo_db: Database, tmp_path: Path, damage: str
) -> None:
    admin = first_admin(demo_db)
    good = maintenance.backup_now(demo_db, admin, tmp_path / "b")
    bad = tmp_path / "bad.sqlite3"
    data = good.read_bytes()
    if damage == "truncate":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        bad.write_bytes(data[:4096] + b"\xff" * (len(data) - 4096))
    else:
        bad.write_bytes(b"")
    with pytest.raises(BackupError):
        maintenance.restore(demo_db, admin, bad)
    assert office.get_office(demo_db).name == "示例县总工会"
    assert not list((tmp_path / "b").glob("pre-restore-*"))


def test_backup_from_newer_version_refused(demo_db: Database, tmp_path: Path) -> None:
    admin = first_admin(demo_db)
    f = maintenance.backup_now(demo_db, admin, tmp_path / "b")
    conn = sqlite3.connect(f)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="更新版本"):
        maintenance.restore(demo_db, admin, f)


def test_backup_to_unwritable_place(demo_db: Database, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(BackupError, match="无法创建备份目录"):
        maintenance.backup_now(demo_db, first_admin(demo_db), blocker / "sub")


def test_check_reports_ok_and_version(demo_db: Database) -> None:
    report = maintenance.check(demo_db)
    assert report.ok and report.integrity == "ok" and report.revision == report.head


def test_check_finds_foreign_key_problem(demo_db: Database) -> None:
    assert demo_db.path is not None
    conn = sqlite3.connect(demo_db.path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("UPDATE app_user SET role_id = 999 WHERE login = 'chaxun'")
    conn.commit()
    conn.close()
    report = maintenance.check(demo_db)
    assert not report.ok and report.foreign_key_problems
