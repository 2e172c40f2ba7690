"""Online backup with rotation, verification and restore (SQLite files).

A backup is made with SQLite's online backup API, so clerks may keep working
while it runs; it is written to a temporary name, checked with
``PRAGMA integrity_check`` and only then given its dated name.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from unionsdesk.db.engine import is_sqlite_file, translate_db_error
from unionsdesk.errors import BackupError

BACKUP_PREFIX = "unionsdesk"
SAFETY_PREFIXES = ("pre-upgrade", "pre-restore")
DEFAULT_KEEP = 30
_NAME = re.compile(r"^(?P<prefix>[a-z-]+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$")


def default_backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _stamped_name(dest_dir: Path, prefix: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = dest_dir / f"{prefix}-{stamp}.sqlite3"
    n = 1
    while candidate.exists():
        candidate = dest_dir / f"{prefix}-{stamp}-{n}.sqlite3"
        n += 1
    return candidate


def _integrity(conn: sqlite3.Connection) -> str:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(r[0]) for r in rows)


def backup_sqlite(
    db_path: Path, dest_dir: Path, *, keep: int = DEFAULT_KEEP, prefix: str = BACKUP_PREFIX
) -> Path:
    """Copy the live database to ``dest_dir`` and keep the newest ``keep`` backups."""
    if not db_path.is_file():
        raise BackupError(f"数据库文件不存在：{db_path}")
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建备份目录 {dest_dir}：{exc.strerror or exc}") from exc
    _remove_stale_partials(dest_dir)
    target = _stamped_name(dest_dir, prefix)
    partial = target.with_suffix(".partial")
    try:
        src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
                result = _integrity(dst)
            finally:
                dst.close()
        finally:
            src.close()
        if result != "ok":
            raise BackupError(f"备份校验失败（{result}），原数据库可能已损坏，请运行“检查”")
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(_backup_failure(exc, dest_dir)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    if prefix == BACKUP_PREFIX:
        rotate(dest_dir, keep)
    return target


def _backup_failure(exc: BaseException, dest_dir: Path) -> str:
    """One sentence for a backup that could not be written. A full disk or a pulled-out
    USB stick shows up as ENOSPC/EFBIG from the OS or as SQLite's ``disk I/O error``
    (SQLITE_IOERR_WRITE) / ``database or disk is full`` (SQLITE_FULL)."""
    import errno

    full = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
    code = str(getattr(exc, "sqlite_errorname", "") or "")
    if (isinstance(exc, OSError) and exc.errno in full) or code == "SQLITE_FULL":
        return (
            f"备份失败：备份位置 {dest_dir} 空间已满。请清理空间或换一个位置（如U盘）后重试；"
            "数据库本身没有受影响"
        )
    if code.startswith("SQLITE_IOERR") and code not in (
        "SQLITE_IOERR_READ",
        "SQLITE_IOERR_SHORT_READ",
    ):
        return (
            f"备份失败：写入 {dest_dir} 时出错（空间可能已满、U盘已拔出或磁盘故障）。"
            "请检查后重试；数据库本身没有受影响"
        )
    if isinstance(exc, OSError):
        return f"备份失败，无法写入 {dest_dir}：{exc.strerror or exc}"
    return f"备份失败：{translate_db_error(exc)}"


def _remove_stale_partials(dest_dir: Path, older_than_s: float = 3600) -> None:
    """A backup cut off by a power failure leaves a ``.partial`` file; tidy old ones."""
    import time

    for p in dest_dir.glob("*.partial"):
        with contextlib.suppress(OSError):
            if time.time() - p.stat().st_mtime > older_than_s:
                p.unlink()


def list_backups(dest_dir: Path) -> list[Path]:
    """Backups in ``dest_dir``, newest first."""
    if not dest_dir.is_dir():
        return []
    found = [p for p in dest_dir.iterdir() if _NAME.match(p.name)]
    return sorted(found, key=lambda p: (_NAME.match(p.name)["stamp"], p.name), reverse=True)  # type: ignore[index]


def rotate(dest_dir: Path, keep: int) -> list[Path]:
    """Delete regular backups beyond the newest ``keep``; safety copies are kept."""
    if keep < 1:
        raise BackupError("保留份数至少为 1")
    regular = [p for p in list_backups(dest_dir) if p.name.startswith(BACKUP_PREFIX + "-")]
    removed = regular[keep:]
    for p in removed:
        p.unlink()
    return removed


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    revision: str


def verify_backup(path: Path) -> BackupInfo:
    """Check that ``path`` is an intact UnionsDesk database this version can open."""
    from unionsdesk.db.migrate import is_known_revision

    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    if not is_sqlite_file(path):
        raise BackupError(f"“{path.name}”不是数据库备份文件")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            result = _integrity(conn)
            if result != "ok":
                raise BackupError(f"备份文件已损坏（{result[:80]}），不能用于恢复")
            try:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.Error:
                row = None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份文件已损坏或不完整（{exc}），不能用于恢复") from exc
    if row is None:
        raise BackupError(f"“{path.name}”不是工会通的备份文件")
    revision = str(row[0])
    if not is_known_revision(revision):
        raise BackupError(f"该备份由更新版本的工会通创建（{revision}），本程序无法恢复")
    return BackupInfo(path, revision)


def restore_sqlite(backup: Path, db_path: Path, safety_dir: Path) -> Path:
    """Replace the live database with ``backup``; the current data is saved first.

    Returns the path of the safety copy of the data that was replaced.
    """
    verify_backup(backup)
    safety = backup_sqlite(db_path, safety_dir, prefix="pre-restore")
    try:
        src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(db_path, timeout=8)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"恢复失败：{exc}；原数据已另存为 {safety}") from exc
    return safety
