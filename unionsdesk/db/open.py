"""Open (and if needed create or upgrade) the database a clerk works on.

``verify`` runs SQLite's ``quick_check`` at open (SQLite files only). Measured on the
200 000-member county (196 MB): 0.29 s with a warm disk cache, 2.2 s cold (idle
2-core machine); 0.03-0.12 s on the 20 000-member demo. That is over the 100 ms a
start may cost, so the check is skipped when a cheaper signal says it is not needed:
the file (and its WAL) is exactly as it was when it last passed — same size,
modification time and inode, remembered in the user's data folder after a passing
check and again when a checked session closes (`remember_checked`). Anything that
changes the file behind the program's back (a bad copy, a tool writing into it, a
crash mid-session) changes that stamp, and the next open checks in full. The cheap
header look (`backup.header_problem`: zeroed header, truncation; 6 µs) runs always.

The command line turns verification on for every command (`VERIFY_DEFAULT`); the
window runs it on its loader thread while the login window is up. A database that
fails is opened for reading only: ``Database.damage`` says why and every write
transaction is refused, so nothing is written into a damaged file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from unionsdesk.db.backup import (
    backup_sqlite,
    damaged_message,
    default_backup_dir,
    header_problem,
    quick_check,
)
from unionsdesk.db.engine import (
    Database,
    DatabaseDamagedError,
    check_sqlite_file,
    make_engine,
    probe,
    read_only_uri,
    resolve_url,
    sqlite_path,
    translate_db_error,
    writable,
)
from unionsdesk.db.migrate import (
    SchemaState,
    check_openable,
    ensure_schema,
    head_revision,
    missing_tables,
)
from unionsdesk.errors import DatabaseOpenError

# Whether open_database runs quick_check when the caller does not say (the CLI sets it).
VERIFY_DEFAULT = False
# Whether a file that cannot be written (read-only file, folder or mount) is opened for
# reading instead of refused (the CLI sets it: check, export and backup then work, and
# a write is refused when it is tried, with one sentence).
READ_ONLY_FALLBACK = False


def _file_stamp(path: Path) -> str:
    """Size, modification time and inode of the database file and of its WAL."""
    parts = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = p.stat()
        except OSError:
            st = None
        if st is None or st.st_size == 0:  # (a reader may leave an empty WAL behind)
            parts.append("-")
        else:
            parts.append(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
    return " ".join(parts)


def _check_marker(path: Path) -> Path:
    import hashlib

    from unionsdesk.paths import user_data_dir

    key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    return user_data_dir() / "checked" / key


def checked_unchanged(path: Path) -> bool:
    """Whether ``path`` is byte-for-byte the file that last passed ``quick_check``
    (as far as size, modification time and inode tell)."""
    try:
        return _check_marker(path).read_text(encoding="ascii") == _file_stamp(path)
    except (OSError, UnicodeDecodeError):
        return False


def remember_checked(path: Path) -> None:
    """Record that ``path`` as it is now passed (or was only changed by this program
    since it passed). Best effort: without the record the next open checks again."""
    import contextlib

    marker = _check_marker(path)
    with contextlib.suppress(OSError):
        marker.parent.mkdir(parents=True, exist_ok=True)
        tmp = marker.with_name(f"{marker.name}.{os.getpid()}.tmp")
        tmp.write_text(_file_stamp(path), encoding="ascii")
        os.replace(tmp, marker)


def _zeroed_header(path: Path) -> bool:
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        with path.open("rb") as fh:
            return not any(fh.read(100))
    except OSError:
        return False


def precheck_sqlite(path: Path) -> None:
    """Look at an existing file read-only, so a foreign or newer file is refused untouched."""
    if not path.exists() or path.is_dir() or path.stat().st_size == 0:
        return
    problem = header_problem(path)
    if problem is not None:
        raise DatabaseDamagedError(damaged_message(problem, path), problem)
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=8)
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
        if "malformed" in str(exc) or "not a database" in str(exc):
            raise DatabaseDamagedError(damaged_message(str(exc), path), str(exc)) from exc
        raise DatabaseOpenError(f"“{path.name}”无法读取：{translate_db_error(exc)}") from exc
    state = SchemaState(
        current, head_revision(), bool(tables - {"alembic_version"}) and current is None
    )
    check_openable(state, f"数据库“{path.name}”")


def open_database(
    target: str | os.PathLike[str] | None = None,
    *,
    must_exist: bool = False,
    migrate: bool = True,
    verify: bool | None = None,
    read_only: bool = False,
) -> Database:
    """The database at ``target``, created or upgraded as needed.

    ``verify`` (default `VERIFY_DEFAULT`): run ``quick_check`` first; a file that
    fails comes back with ``damage`` set (reads work, writes are refused) and is
    neither upgraded nor otherwise written. ``read_only``: never write (no
    migration; a read-only file, folder or mount is fine)."""
    url = resolve_url(target)
    path = sqlite_path(url)
    damage: str | None = None
    checked = False
    if path is not None:
        if (must_exist or read_only) and not path.is_file():
            raise DatabaseOpenError(f"数据库文件不存在：{path}")
        if READ_ONLY_FALLBACK and path.is_file() and not (writable(path) and writable(path.parent)):
            read_only = True
        if _zeroed_header(path):  # a damaged database, not a file of some other program
            raise DatabaseDamagedError(damaged_message("文件头已被清零", path), "文件头已被清零")
        check_sqlite_file(path, read_only=read_only)  # directory, permissions, file header
        precheck_sqlite(path)  # schema version, header
        if path.is_file() and (verify if verify is not None else VERIFY_DEFAULT):
            checked = True
            if not checked_unchanged(path):
                health = quick_check(path)
                if health.ok:
                    remember_checked(path)
                else:
                    damage = health.problem
    engine = make_engine(url, read_only=read_only or damage is not None)
    try:
        probe(engine)
        if migrate and not read_only and damage is None:
            before = (
                (lambda: backup_sqlite(path, default_backup_dir(path), prefix="pre-upgrade"))
                if path is not None
                else None
            )
            ensure_schema(engine, before)
            lacking = missing_tables(engine)
            if lacking:  # an up-to-date version number over a partly dropped schema
                problem = f"数据库结构不完整，缺少数据表：{'、'.join(lacking[:8])}" + (
                    "等" if len(lacking) > 8 else ""
                )
                raise DatabaseDamagedError(damaged_message(problem, path), problem)
    except DBAPIError as exc:
        engine.dispose()
        raise DatabaseOpenError(translate_db_error(exc)) from exc
    except BaseException:
        engine.dispose()
        raise
    db = Database(url, engine, damage=damage, read_only=read_only)
    if damage is not None:
        db.damage_message = damaged_message(damage, path)
    if checked and damage is None and path is not None:
        db.on_dispose = lambda: remember_checked(path)  # its own writes keep it "checked"
    return db


def upgrade_with_backup(db: Database) -> SchemaState:
    """Bring an open database (e.g. one just restored from an older backup) to the
    current schema, with the same ``pre-upgrade`` backup as at open."""
    path = db.path
    before = (
        (lambda: backup_sqlite(path, default_backup_dir(path), prefix="pre-upgrade"))
        if path is not None
        else None
    )
    return ensure_schema(db.engine, before)
