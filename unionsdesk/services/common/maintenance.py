"""Backup, restore and health check of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from unionsdesk.db import backup as bk
from unionsdesk.db.engine import Database
from unionsdesk.db.migrate import current_revision, ensure_schema, head_revision
from unionsdesk.errors import BackupError
from unionsdesk.services.common.base import ADMIN, WRITE, CurrentUser, audit, writing
from unionsdesk.services.common.settings import get_backup_keep


def _sqlite_file(db: Database) -> Path:
    if db.path is None:
        raise BackupError("当前使用的是数据库服务器（PostgreSQL），请由服务器管理员用 pg_dump 备份")
    return db.path


def backup_dir(db: Database) -> Path:
    return bk.default_backup_dir(_sqlite_file(db))


def backup_now(
    db: Database, actor: CurrentUser, dest_dir: Path | None = None, keep: int | None = None
) -> Path:
    """Online backup to a dated file (default: the ``backups`` folder beside the database)."""
    actor.require(WRITE)
    target = bk.backup_sqlite(
        _sqlite_file(db), dest_dir or backup_dir(db), keep=keep or get_backup_keep(db)
    )
    with writing(db, actor, WRITE) as s:
        audit(s, actor, "backup", "database", None, summary=f"备份到 {target}")
    return target


def list_backups(db: Database) -> list[Path]:
    return bk.list_backups(backup_dir(db))


def restore(db: Database, actor: CurrentUser, backup_file: Path) -> Path:
    """Replace the data with a verified backup; returns the safety copy of the replaced data."""
    actor.require(ADMIN)
    path = _sqlite_file(db)
    db.engine.dispose()  # no pooled connection may hold the old pages
    safety = bk.restore_sqlite(backup_file, path, backup_dir(db))
    db.engine.dispose()
    ensure_schema(db.engine, backup_dir(db))
    with writing(db, actor, ADMIN) as s:
        audit(
            s,
            actor,
            "restore",
            "database",
            None,
            summary=f"从 {backup_file.name} 恢复；原数据另存为 {safety.name}",
        )
    return safety


@dataclass
class CheckReport:
    integrity: str
    foreign_key_problems: list[str] = field(default_factory=list)
    revision: str | None = None
    head: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok" and not self.foreign_key_problems and self.revision == self.head
        )

    def lines(self) -> list[str]:
        return [
            f"完整性检查：{'通过' if self.integrity == 'ok' else self.integrity}",
            "外键检查："
            + ("通过" if not self.foreign_key_problems else "；".join(self.foreign_key_problems)),
            f"数据结构版本：{self.revision}（本程序：{self.head}）"
            + ("" if self.revision == self.head else " —— 版本不一致"),
        ]


def check(db: Database) -> CheckReport:
    with db.engine.connect() as conn:
        revision = current_revision(conn)
        if db.is_sqlite:
            rows = conn.execute(text("PRAGMA integrity_check")).fetchall()
            integrity = "; ".join(str(r[0]) for r in rows)
            fks = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            problems = [f"表 {r[0]} 第 {r[1]} 行引用的 {r[2]} 不存在" for r in fks]
        else:
            integrity, problems = "ok", []
    return CheckReport(integrity, problems, revision, head_revision())
