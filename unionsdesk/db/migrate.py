"""Bring a database to the current schema, refusing one from a newer version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, inspect

from unionsdesk.errors import DatabaseOpenError, SchemaTooNewError


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "unionsdesk.db:migrations")
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def is_known_revision(rev: str) -> bool:
    try:
        return script_directory().get_revision(rev) is not None
    except CommandError:
        return False


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


def check_openable(state: SchemaState, where: str) -> None:
    if state.current is not None and not is_known_revision(state.current):
        raise SchemaTooNewError(
            f"{where}由更新版本的工会通创建（数据结构版本 {state.current}），"
            "请先升级本程序再打开；文件未做任何改动"
        )
    if state.has_other_tables:
        raise DatabaseOpenError(f"{where}不是工会通的数据库（含有其他程序的数据表），已拒绝打开")


def upgrade(engine: Engine, target: str = "head") -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def ensure_schema(engine: Engine, backup_dir: Path | None = None) -> SchemaState:
    """Refuse a newer or foreign schema; otherwise back up an existing file and upgrade."""
    state = schema_state(engine)
    check_openable(state, "该数据库")
    if not state.up_to_date:
        db_file = engine.url.database if engine.dialect.name == "sqlite" else None
        if state.current is not None and backup_dir is not None and db_file:
            from unionsdesk.db.backup import backup_sqlite

            backup_sqlite(Path(db_file), backup_dir, prefix="pre-upgrade")
        upgrade(engine)
    return schema_state(engine)
