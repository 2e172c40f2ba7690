"""Engine and session factory.

The database is chosen by ``--db PATH_OR_URL``, else ``UNIONSDESK_DB``, else
the clerk's data directory. SQLite gets WAL, foreign keys, a busy timeout and
``synchronous=NORMAL`` on every connection; write transactions start with
``BEGIN IMMEDIATE`` so two clerks never deadlock half-way through a save.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    FromClause,
    Select,
    Table,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from unionsdesk.errors import DatabaseOpenError
from unionsdesk.paths import default_db_path

ENV_VAR = "UNIONSDESK_DB"
BUSY_TIMEOUT_MS = 8000


def resolve_url(target: str | os.PathLike[str] | None = None) -> str:
    """Turn ``--db``/``UNIONSDESK_DB``/the default into an SQLAlchemy URL."""
    raw = os.fspath(target) if target is not None else os.environ.get(ENV_VAR) or ""
    if not raw:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" in raw:
        return raw
    return f"sqlite:///{Path(raw).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other databases/in-memory."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _on_sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own
    # transaction handling defers it and breaks BEGIN IMMEDIATE).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    if not cur.execute("PRAGMA query_only").fetchone()[0]:
        cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA cache_size = -32000")  # 32 MB of pages: county-size lists stay in memory
    cur.execute("PRAGMA mmap_size = 268435456")
    cur.close()


def _on_read_only_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.execute("PRAGMA query_only = 1")


def _on_sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    """Whether ``path`` starts with the SQLite file header (an empty file does not)."""
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_HEADER


def check_sqlite_file(path: Path, *, read_only: bool = False) -> None:
    """Give one clear message for the usual ways a file cannot be used (with
    ``read_only``, a file or folder that cannot be written is fine)."""
    parent = path.parent
    if not parent.is_dir():
        raise DatabaseOpenError(f"数据库所在目录不存在：{parent}")
    if path.exists():
        if path.is_dir():
            raise DatabaseOpenError(f"“{path}”是一个文件夹，不是数据库文件")
        if not os.access(path, os.R_OK):
            raise DatabaseOpenError(f"没有读取数据库文件的权限：{path}")
        if not read_only and not writable(path):
            raise DatabaseOpenError(f"数据库文件是只读的，无法写入：{path}")
        if path.stat().st_size > 0 and not is_sqlite_file(path):
            raise DatabaseOpenError(f"“{path.name}”不是数据库文件（可能选错了文件或文件已损坏）")
    elif read_only:
        raise DatabaseOpenError(f"数据库文件不存在：{path}")
    if not read_only and not writable(parent):
        raise DatabaseOpenError(f"数据库所在目录不可写（只读目录或没有权限）：{parent}")


def writable(path: Path) -> bool:
    """Whether ``path`` can be written: permissions, a read-only mount, an immutable
    file (root passes ``os.access`` but not the last two)."""
    if not os.access(path, os.W_OK):
        return False
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return False
    except (AttributeError, OSError):  # Windows has no statvfs
        pass
    if path.is_file():
        try:
            with path.open("r+b"):
                pass
        except OSError:
            return False
    return True


def read_only_uri(path: Path) -> str:
    """The SQLite URI that reads ``path`` without writing anything: ``immutable`` when
    neither the file nor its folder can be written (no -shm/-wal can be made there)."""
    frozen = not (writable(path) and writable(path.parent))
    return f"file:{path}?mode=ro" + ("&immutable=1" if frozen else "")


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """The engine for ``url``; an SQLite file is expected to have passed
    ``check_sqlite_file`` already (``open_database`` does that). ``read_only`` opens
    an SQLite file for reading only: ``immutable`` when neither it nor its folder can
    be written (a read-only mount, a write-protected USB stick), so no -wal/-shm
    file is needed."""
    if make_url(url).get_backend_name() == "sqlite":
        args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        path = sqlite_path(url)
        if read_only and path is not None:
            args["uri"] = True
            url = f"sqlite:///{read_only_uri(path)}&uri=true"
            engine = create_engine(url, connect_args=args)
            event.listen(engine, "connect", _on_read_only_connect)
            event.listen(engine, "connect", _on_sqlite_connect)
            event.listen(engine, "begin", _on_sqlite_begin)
            return engine
        engine = create_engine(url, connect_args=args)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


class DatabaseDamagedError(DatabaseOpenError):
    """The database failed its check (at open, or it is too damaged to open at all).
    ``problem`` is what was found, without the advice the message adds."""

    def __init__(self, message: str, problem: str = "") -> None:
        super().__init__(message)
        self.problem = problem or message


class ReadOnlyDatabaseError(DatabaseOpenError):
    """The database was opened for reading only."""


@dataclass
class Database:
    """An open database: engine plus sessions for reading and for writing.

    ``damage`` is what the check at open found wrong (SQLite's words), or None;
    a damaged or ``read_only`` database refuses every write transaction."""

    url: str
    engine: Engine
    damage: str | None = None
    damage_message: str = ""  # what to tell the clerk about ``damage`` (what to do)
    read_only: bool = False
    on_dispose: Callable[[], None] | None = None  # run once the engine is closed

    def __post_init__(self) -> None:
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        write_bind = (
            self.engine.execution_options(sqlite_begin="IMMEDIATE")
            if self.is_sqlite
            else self.engine
        )
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(write_bind, expire_on_commit=False)

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: commits on success, rolls back on any exception."""
        if self.damage is not None:
            raise DatabaseDamagedError(
                self.damage_message or f"数据库已损坏（{self.damage}），已禁止写入", self.damage
            )
        if self.read_only:
            raise ReadOnlyDatabaseError(
                "数据库文件或所在位置是只读的（只能查看、导出和备份），本次操作没有保存"
            )
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self.on_dispose is not None:
            done, self.on_dispose = self.on_dispose, None
            done()


def translate_db_error(exc: BaseException) -> str:
    """A clerk-readable sentence for a low-level database error.

    SQLite reports a write the disk refused (no space, file size limit, a USB
    stick pulled out) mostly as ``disk I/O error`` (SQLITE_IOERR_WRITE), only
    sometimes as ``database or disk is full`` (SQLITE_FULL); PostgreSQL says
    ``could not extend file …: No space left on device``.
    """
    import errno

    disk_full = "磁盘空间已满，本次操作没有保存，已保存的数据不受影响。请清理磁盘空间后重试"
    orig = getattr(exc, "orig", None) or exc
    msg = str(orig).lower()
    code = str(getattr(orig, "sqlite_errorname", "") or "")
    # Out of space as the OS reports it: no space left, file size limit, disk quota.
    full_errnos = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
    if isinstance(orig, OSError) and orig.errno in full_errnos:
        return disk_full
    if "database is locked" in msg or "busy" in msg:
        return "数据库正被其他电脑或程序占用，请稍后再试"
    if "readonly" in msg or "read-only" in msg:
        return "数据库文件或所在目录是只读的，无法保存"
    if (
        code == "SQLITE_FULL"
        or "disk is full" in msg
        or "no space" in msg
        or "file too large" in msg
        or "quota" in msg
    ):
        return disk_full
    if code.startswith("SQLITE_IOERR") or "disk i/o error" in msg:
        return (
            "读写磁盘出错（磁盘可能已满、U盘已拔出或磁盘故障），本次操作没有保存，"
            "已保存的数据不受影响。请检查磁盘空间后重试"
        )
    if "not a database" in msg or "malformed" in msg or code.startswith("SQLITE_CORRUPT"):
        return "数据库文件已损坏（请运行“unionsdesk check”查看，并从最新的备份恢复）"
    if "unable to open" in msg:
        return "无法打开数据库文件（目录不存在或没有权限）"
    return f"数据库错误：{orig}"


def probe(engine: Engine) -> None:
    """Open a connection once so that a bad file fails here, with a clear message."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        raise DatabaseOpenError(translate_db_error(exc)) from exc


def fetch_column(conn: Connection, query: Select[Any]) -> list[Any]:
    """First column of every row, straight from the driver's cursor.

    For id lists of 100 000+ rows SQLAlchemy's result rows cost several times
    the query itself; this skips them. Only for queries whose parameters need
    no type conversion (ints and strings).
    """
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.construct_params()
    if compiled.positional:
        params = [params[name] for name in compiled.positiontup or ()]
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), params)
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


def _memo(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    # Stamps and dates repeat across an import (one created_at for every row).
    seen: dict[Any, Any] = {}

    def apply(value: Any) -> Any:
        if value is None:
            return None
        out = seen.get(value)
        if out is None:
            out = seen[value] = convert(value)
        return out

    return apply


def _sqlite_converter(column: Any) -> Callable[[Any], Any] | None:
    """How SQLAlchemy's SQLite types store a column's values (so ORM reads them back
    unchanged), or None when the value goes in as it is."""
    kind = column.type
    if isinstance(kind, DateTime):
        return _memo(lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f"))
    if isinstance(kind, Date):
        return _memo(lambda v: v.isoformat())
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else int(v)
    return None


def bulk_insert(
    conn: Connection,
    table: FromClause,
    rows: Sequence[Mapping[str, Any]] | Sequence[Sequence[Any]],
    *,
    columns: Sequence[str] | None = None,
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert many rows at once, inside the caller's transaction.

    ``rows`` are dicts, or with ``columns`` sequences of values in that order;
    ``constants`` are columns with the same value in every row (stamps, a batch id),
    converted once. On SQLite straight through the driver's executemany
    (SQLAlchemy's per-row parameter processing costs more than the insert itself
    for 100 000-row imports); on PostgreSQL with COPY (psycopg adapts the Python
    values); elsewhere an ordinary Core executemany."""
    if not rows:
        return
    target = cast(Table, table)
    values: list[Any]
    if columns is None:
        first = cast(Mapping[str, Any], rows[0])
        names = list(first)
        getter = itemgetter(*names)
        values = [getter(r) for r in rows] if len(names) > 1 else [(getter(r),) for r in rows]
    else:
        names, values = list(columns), list(rows)
    fixed = dict(constants or {})
    dialect = conn.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy_rows(conn, target, [*names, *fixed], values, tuple(fixed.values()))
        return
    if dialect.name != "sqlite":
        conn.execute(
            target.insert(), [{**dict(zip(names, v, strict=True)), **fixed} for v in values]
        )
        return
    converters = [
        (i, c) for i, n in enumerate(names) if (c := _sqlite_converter(target.c[n])) is not None
    ]
    if converters:
        values = [list(v) for v in values]
        for i, convert in converters:
            for v in values:
                v[i] = convert(v[i])
    if fixed:
        tail = tuple(
            conv(v) if (conv := _sqlite_converter(target.c[n])) is not None else v
            for n, v in fixed.items()
        )
        values = [(*v, *tail) for v in values]
    all_names = [*names, *fixed]
    column_list = ", ".join(f'"{n}"' for n in all_names)
    marks = ", ".join("?" * len(all_names))
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f'INSERT INTO "{target.name}" ({column_list}) VALUES ({marks})', values)
    finally:
        cursor.close()


def _copy_rows(
    conn: Connection, table: Table, names: list[str], values: list[Any], tail: tuple[Any, ...]
) -> None:
    column_list = ", ".join(f'"{n}"' for n in names)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f'COPY "{table.name}" ({column_list}) FROM STDIN') as copy:
            for v in values:
                copy.write_row((*v, *tail) if tail else v)
    finally:
        cursor.close()


def allocate_ids(conn: Connection, table: FromClause, count: int) -> list[int]:
    """``count`` primary keys for rows the caller is about to insert in this write
    transaction, so related rows can be built without reading ids back. SQLite: the
    next ids after the current maximum (the write lock keeps other writers out);
    PostgreSQL: taken from the table's sequence."""
    if count == 0:
        return []
    name = cast(Table, table).name
    if conn.dialect.name == "sqlite":
        top = conn.exec_driver_sql(f'SELECT coalesce(max(id), 0) FROM "{name}"').scalar_one()
        return list(range(top + 1, top + 1 + count))
    return list(
        conn.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": name, "n": count},
        ).scalars()
    )


@contextmanager
def person_bulk_load(conn: Connection) -> Iterator[None]:
    """Insert many people inside the caller's write transaction with SQLite's trigram
    index filled once at the end: one INSERT … SELECT (~5 µs a person) instead of the
    insert trigger (~60 µs a person, 6 s of a 100 000-row import).

    The trigger is dropped and re-created inside the transaction. SQLite's schema
    changes are transactional, so a rollback or a crash brings it back, and the write
    lock keeps other writers out meanwhile. New rows get ids above the current
    maximum, so ``id > before`` is exactly the people added here. Elsewhere (PostgreSQL)
    it does nothing."""
    if conn.dialect.name != "sqlite":
        yield
        return
    trigger = conn.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'person_digits_ai'")
    ).scalar_one()
    before = conn.execute(text("SELECT coalesce(max(id), 0) FROM person")).scalar_one()
    conn.execute(text("DROP TRIGGER person_digits_ai"))
    yield
    conn.exec_driver_sql(trigger)
    conn.execute(
        text(
            "INSERT INTO person_digits (rowid, id_number, phone) "
            "SELECT id, id_number, phone FROM person WHERE id > :before"
        ),
        {"before": before},
    )
