"""Open (and if needed create or upgrade) the database a clerk works on."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from unionsdesk.db.backup import default_backup_dir
from unionsdesk.db.engine import (
    Database,
    check_sqlite_file,
    make_engine,
    probe,
    resolve_url,
    sqlite_path,
    translate_db_error,
)
from unionsdesk.db.migrate import SchemaState, check_openable, ensure_schema, head_revision
from unionsdesk.errors import DatabaseOpenError


def precheck_sqlite(path: Path) -> None:
    """Look at an existing file read-only, so a foreign or newer file is refused untouched."""
    if not path.exists() or path.is_dir() or path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=8)
        try:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            current = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                current = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(f"“{path.name}”无法读取：{translate_db_error(exc)}") from exc
    state = SchemaState(
        current, head_revision(), bool(tables - {"alembic_version"}) and current is None
    )
    check_openable(state, f"数据库“{path.name}”")


def open_database(
    target: str | os.PathLike[str] | None = None, *, must_exist: bool = False, migrate: bool = True
) -> Database:
    url = resolve_url(target)
    path = sqlite_path(url)
    if path is not None:
        if must_exist and not path.is_file():
            raise DatabaseOpenError(f"数据库文件不存在：{path}")
        check_sqlite_file(path)  # directory, permissions, file header
        precheck_sqlite(path)  # schema version, read-only
    engine = make_engine(url)
    try:
        probe(engine)
        if migrate:
            ensure_schema(engine, default_backup_dir(path) if path else None)
    except DBAPIError as exc:
        engine.dispose()
        raise DatabaseOpenError(translate_db_error(exc)) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(url, engine)
