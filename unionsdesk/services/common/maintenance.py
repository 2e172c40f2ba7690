"""Backup, restore and health check of the database."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from unionsdesk.attachments import StoreReport, check_store
from unionsdesk.db import backup as bk
from unionsdesk.db.engine import Database, translate_db_error
from unionsdesk.db.migrate import current_revision, head_revision, missing_tables
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
    path = _sqlite_file(db)
    if db.damage is None and not db.read_only:  # never write into a damaged file
        bk.ensure_database_id(path)
    target = bk.backup_sqlite(path, dest_dir or backup_dir(db), keep=keep or get_backup_keep(db))
    if db.damage is None and not db.read_only:
        with writing(db, actor, WRITE) as s:
            audit(s, actor, "backup", "database", None, summary=f"备份到 {target}")
    return target


def list_backups(db: Database) -> list[Path]:
    """This database's backups (and older ones without an id), newest first."""
    path = _sqlite_file(db)
    return bk.list_backups(backup_dir(db), bk.database_id(path))


def restore(db: Database, actor: CurrentUser, backup_file: Path) -> bk.RestoreOutcome:
    """Replace the data of the open database with a verified backup (see
    `bk.restore_sqlite`: a healthy database is saved first, a damaged one moved aside)."""
    actor.require(ADMIN)
    path = _sqlite_file(db)
    db.engine.dispose()  # no pooled connection may hold the old pages
    outcome = bk.restore_sqlite(backup_file, path, backup_dir(db))
    db.engine.dispose()
    db.damage = None
    _after_restore(db, actor, backup_file, outcome)
    return outcome


def restore_file(db_path: Path, backup_file: Path) -> bk.RestoreOutcome:
    """Restore a database that cannot be opened (damaged, truncated, missing): at the
    command line and on the window's recovery screen, before anyone can log in. The
    audit row names the restored database's first administrator as the actor."""
    from unionsdesk.db.open import open_database
    from unionsdesk.services.common.users import first_admin

    outcome = bk.restore_sqlite(backup_file, db_path, bk.default_backup_dir(db_path))
    db = open_database(db_path, must_exist=True, verify=False)
    try:
        _after_restore(db, first_admin(db), backup_file, outcome)
    finally:
        db.dispose()
    return outcome


def _after_restore(
    db: Database, actor: CurrentUser, backup_file: Path, outcome: bk.RestoreOutcome
) -> None:
    from unionsdesk.db.open import upgrade_with_backup

    upgrade_with_backup(db)
    if outcome.kept is None:
        what = "原数据库文件不存在"
    elif outcome.damaged:
        what = f"原数据库已损坏（{outcome.problem[:60]}），原样保留为 {outcome.kept.name}"
    else:
        what = f"原数据另存为 {outcome.kept.name}"
    with writing(db, actor, ADMIN) as s:
        audit(s, actor, "restore", "database", None, summary=f"从 {backup_file.name} 恢复；{what}")


@dataclass
class CheckReport:
    integrity: str
    foreign_key_problems: list[str] = field(default_factory=list)
    revision: str | None = None
    head: str = ""
    newest_backup: Path | None = None
    attachments: StoreReport | None = None  # the attachments store (unionsdesk.attachments)

    @property
    def damaged(self) -> bool:
        return self.integrity != "ok"

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok" and not self.foreign_key_problems and self.revision == self.head
        ) and (
            self.attachments is None or not (self.attachments.missing or self.attachments.damaged)
        )

    def lines(self) -> list[str]:
        if self.damaged:
            advice = (
                f"请从最新的备份恢复：unionsdesk restore {self.newest_backup}"
                if self.newest_backup is not None
                else "请从最近的备份恢复：unionsdesk restore 备份文件（设置 → 备份与恢复）"
            )
            return [
                "数据库已损坏",
                f"完整性检查：{self.integrity[:600]}",
                f"处理办法：{advice}；恢复时损坏的文件会原样保留",
            ]
        return [
            f"完整性检查：{'通过' if self.integrity == 'ok' else self.integrity}",
            "外键检查："
            + ("通过" if not self.foreign_key_problems else "；".join(self.foreign_key_problems)),
            f"数据结构版本：{self.revision}（本程序：{self.head}）"
            + ("" if self.revision == self.head else " —— 版本不一致"),
            *(self.attachments.lines() if self.attachments is not None else ()),
        ]


def check(db: Database) -> CheckReport:
    """Integrity (SQLite's integrity_check), foreign keys and schema version. A file so
    damaged that a query fails reports SQLite's error as its integrity result."""
    revision: str | None = None
    problems: list[str] = []
    try:
        with db.engine.connect() as conn:
            revision = current_revision(conn)
            if db.is_sqlite:
                rows = conn.execute(text("PRAGMA integrity_check")).fetchall()
                integrity = "; ".join(str(r[0]) for r in rows)
                fks = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                problems = [f"表 {r[0]} 第 {r[1]} 行引用的 {r[2]} 不存在" for r in fks]
            else:
                integrity = "ok"
    except (DBAPIError, sqlite3.Error) as exc:
        orig = getattr(exc, "orig", None) or exc
        integrity = str(orig) if "malformed" in str(orig) else translate_db_error(exc)
    if integrity == "ok" and revision == head_revision():
        lacking = missing_tables(db.engine)  # e.g. tables dropped on the server
        if lacking:
            integrity = f"数据库结构不完整，缺少数据表：{'、'.join(lacking)}"
    newest = None
    if db.path is not None and integrity != "ok":
        newest = next(
            (
                p
                for p in bk.list_backups(bk.default_backup_dir(db.path))
                if p.name.startswith("unionsdesk-")
            ),
            None,
        )
    store = check_store(db) if integrity == "ok" and revision == head_revision() else None
    return CheckReport(integrity, problems, revision, head_revision(), newest, store)
