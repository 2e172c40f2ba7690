import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from unionsdesk.db import engine as engine_mod
from unionsdesk.db.engine import Database, resolve_url
from unionsdesk.db.open import open_database
from unionsdesk.errors import DatabaseOpenError
from unionsdesk.services.common.base import CurrentUser


def test_sqlite_pragmas_on_every_connection(empty_db: Database) -> None:
    with empty_db.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA busy_timeout")).scalar() == engine_mod.BUSY_TIMEOUT_MS
        assert c.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_write_sessions_begin_immediate(empty_db: Database) -> None:
    """A write transaction holds the write lock from its first statement."""
    import sqlite3

    assert empty_db.path is not None
    with empty_db.writing() as s:
        s.execute(text("SELECT 1"))
        other = sqlite3.connect(empty_db.path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_resolve_url_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNIONSDESK_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_url(tmp_path / "arg.sqlite3").endswith("/arg.sqlite3")
    assert resolve_url().endswith("/env.sqlite3")
    monkeypatch.setenv("UNIONSDESK_DB", "postgresql+psycopg://u@h/db")
    assert resolve_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("UNIONSDESK_DB")
    monkeypatch.setattr("platformdirs.user_data_dir", lambda *a, **k: str(tmp_path / "data"))
    assert resolve_url() == f"sqlite:///{tmp_path / 'data' / 'unionsdesk.sqlite3'}"
    assert (tmp_path / "data").is_dir()


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="目录不存在"):
        open_database(tmp_path / "nope" / "x.sqlite3")
    assert not (tmp_path / "nope").exists()


def test_not_a_database(tmp_path: Path) -> None:
    f = tmp_path / "roster.xlsx"
    f.write_bytes(b"PK\x03\x04 this is a zip, not sqlite" * 10)
    before = f.read_bytes()
    with pytest.raises(DatabaseOpenError, match="不是数据库文件"):
        open_database(f)
    assert f.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.xlsx"]


def test_directory_given_as_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="文件夹"):
        open_database(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file(empty_db_file: Path) -> None:
    empty_db_file.chmod(stat.S_IRUSR)
    with pytest.raises(DatabaseOpenError, match="只读"):
        open_database(empty_db_file)


def test_read_only_file_by_access_check(
    empty_db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root ignores permissions, so also check the path that decides on os.access."""
    real = os.access
    monkeypatch.setattr(
        engine_mod.os,
        "access",
        lambda p, m: False if (Path(p) == empty_db_file and m == os.W_OK) else real(p, m),
    )
    with pytest.raises(DatabaseOpenError, match="只读"):
        open_database(empty_db_file)


def test_read_only_directory_by_access_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.access
    monkeypatch.setattr(
        engine_mod.os,
        "access",
        lambda p, m: False if (Path(p) == tmp_path and m == os.W_OK) else real(p, m),
    )
    with pytest.raises(DatabaseOpenError, match="目录不可写"):
        open_database(tmp_path / "new.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_new_uuids_are_distinct_time_ordered_version_7() -> None:
    import time
    import uuid

    from unionsdesk.db.models import new_uuid, new_uuids

    before = time.time_ns() // 1_000_000
    made = new_uuids(5000)
    later = new_uuids(3)
    after = time.time_ns() // 1_000_000
    assert len(set(made + later)) == 5003
    assert made == sorted(made)  # in creation order: index inserts go at the end
    for text_ in made[:200] + made[-5:] + later:
        parsed = uuid.UUID(text_)
        assert str(parsed) == text_ and parsed.version == 7 and parsed.variant == uuid.RFC_4122
        assert before <= parsed.int >> 80 <= after  # the creation time in milliseconds
    single = uuid.UUID(new_uuid())
    assert single.version == 7 and before <= single.int >> 80


def test_allocate_ids_gives_unused_keys(any_db: Database, admin: CurrentUser) -> None:
    from unionsdesk.db.engine import allocate_ids
    from unionsdesk.db.models import UnionOrg
    from unionsdesk.services.members import unions

    made = unions.create_union(any_db, admin, {"name": "分配测试工会"})
    with any_db.engine.begin() as conn:
        ids = allocate_ids(conn, UnionOrg.__table__, 3)
    assert len(set(ids)) == 3 and min(ids) > made.id
