"""Bring a database to the current schema, refusing one from a newer version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from unionsdesk.errors import DatabaseOpenError, SchemaTooNewError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# Every migration revision, oldest first. Opening an up-to-date database needs no
# Alembic import at all (it costs ~0.1 s at start-up); a test checks this list
# against the migration scripts.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "unionsdesk.db:migrations")
    return cfg


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    return REVISIONS[-1]


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def is_known_revision(rev: str) -> bool:
    return rev in REVISIONS


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    has_other_tables: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_state(engine: Engine) -> SchemaState:
    with engine.connect() as conn:
        current = current_revision(conn)
        tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
    return SchemaState(current, head_revision(), bool(tables) and current is None)


def missing_tables(engine: Engine) -> list[str]:
    """Tables of the current models that the database lacks (someone dropped them, or
    a restore into a server stopped half-way): one catalogue query."""
    from unionsdesk.db.models import Base

    with engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
    return [t.name for t in Base.metadata.sorted_tables if t.name not in present]


def check_openable(state: SchemaState, where: str) -> None:
    if state.current is not None and not is_known_revision(state.current):
        raise SchemaTooNewError(
            f"{where}由更新版本的工会通创建（数据结构版本 {state.current}），"
            "请先升级本程序再打开；文件未做任何改动"
        )
    if state.has_other_tables:
        raise DatabaseOpenError(f"{where}不是工会通的数据库（含有其他程序的数据表），已拒绝打开")


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def ensure_schema(
    engine: Engine, before_upgrade: Callable[[], object] | None = None
) -> SchemaState:
    """Refuse a newer or foreign schema; otherwise upgrade, calling ``before_upgrade``
    first when an existing (non-empty) schema is about to change (``open_database``
    makes its ``pre-upgrade`` backup there, so this module needs no backup code)."""
    state = schema_state(engine)
    check_openable(state, "该数据库")
    if not state.up_to_date:
        if state.current is not None and before_upgrade is not None:
            before_upgrade()
        upgrade(engine)
    return schema_state(engine)
