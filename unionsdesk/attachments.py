"""The attachments store: evidence photos, scanned approvals and acceptance reports
attached to a record of any area (a site, an inspection item, a grant …).

Content-addressed: a file is kept once under its SHA-256, however many records
point to it.

- SQLite: files live in a folder beside the database (``<name>-attachments/ab/abcd…``).
  Adding is atomic: the content is written to a temporary name, flushed to disk and
  renamed into place *before* the row is committed, so a crash leaves either the
  file and its row, or no row (at worst an unreferenced file, which `check` lists and
  `remove_orphans` deletes; the next add of the same content reuses it).
- PostgreSQL: the content goes into the ``attachment_blob`` table in the same
  transaction as its row, so every PC sees it.
- Backups: `pack_into_backup` copies the referenced files into the backup's own
  ``attachment_blob`` table (the backup stays one SQLite file); `unpack_after_restore`
  writes them back beside the restored database and empties that table.

This module is shared machinery (sites, grants and later areas use it), so it sits
beside ``db/`` rather than under one area's services: ``db/backup.py`` calls its
file-level hooks without importing any service.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models_sites import Attachment, AttachmentBlob
from unionsdesk.errors import UserError
from unionsdesk.services.common.base import (
    READ,
    WRITE,
    CurrentUser,
    audit,
    reading,
    stamp,
    writing,
)

MAX_MB_SETTING = "attachments.max_mb"
DEFAULT_MAX_MB = 20

# Allowed types: extension → (name, how the file starts). docx/xlsx are zip files.
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("PDF", (b"%PDF",)),
    ".jpg": ("JPG 图片", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPG 图片", (b"\xff\xd8\xff",)),
    ".png": ("PNG 图片", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("Word 文档", (b"PK\x03\x04",)),
    ".xlsx": ("Excel 表格", (b"PK\x03\x04",)),
}
ALLOWED_TEXT = "PDF、JPG、PNG、Word（.docx）、Excel（.xlsx）"

# Records files may be attached to: entity name → (what a clerk calls it, table).
# Other areas add theirs with `register_attachable`.
ATTACHABLE: dict[str, tuple[str, str]] = {
    "site": ("阵地", "site"),
    "inspection": ("检查记录", "inspection"),
    "inspection_item": ("检查项目", "inspection_item"),
    "grant": ("补助项目", "grant_project"),
}


def register_attachable(entity: str, label: str, table: str) -> None:
    ATTACHABLE[entity] = (label, table)


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    entity: str
    entity_id: int
    name: str
    size: int
    sha256: str
    note: str | None
    added_at: datetime
    added_by: str | None

    @property
    def size_text(self) -> str:
        return size_text(self.size)


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _info(a: Attachment) -> AttachmentInfo:
    return AttachmentInfo(
        a.id, a.entity, a.entity_id, a.name, a.size, a.sha256, a.note, a.created_at, a.created_by
    )


# --- the file store beside an SQLite database --------------------------------------


def store_dir(db_path: Path) -> Path:
    """The attachments folder of the database file ``db_path``."""
    return db_path.with_name(f"{db_path.stem}-attachments")


def _file(store: Path, sha: str) -> Path:
    return store / sha[:2] / sha


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _put_file(store: Path, sha: str, data: bytes) -> bool:
    """Write ``data`` under its hash unless an intact copy is there; True if written."""
    target = _file(store, sha)
    if target.is_file() and target.stat().st_size == len(data):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{sha}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return True


def _store_files(store: Path) -> Iterator[Path]:
    if not store.is_dir():
        return
    for sub in store.iterdir():
        if sub.is_dir() and len(sub.name) == 2:
            for p in sub.iterdir():
                if len(p.name) == 64 and not p.name.startswith("."):
                    yield p


def _require_store(db: Database) -> Path | None:
    return None if db.path is None else store_dir(db.path)


# --- checks on a file before it is taken --------------------------------------------


def max_bytes(db: Database) -> int:
    from unionsdesk.services.common.settings import get_setting

    try:
        mb = int(get_setting(db, MAX_MB_SETTING) or DEFAULT_MAX_MB)
    except ValueError:
        mb = DEFAULT_MAX_MB
    return max(mb, 1) * 1024 * 1024


def read_checked(path: Path, limit: int) -> bytes:
    """The file's bytes, or a UserError saying why it cannot be attached."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in ALLOWED:
        raise UserError(f"“{name}”的类型不能作为附件，只能添加 {ALLOWED_TEXT} 文件")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(f"文件不存在：{path}") from None
    except OSError as exc:
        raise UserError(f"无法读取“{name}”：{exc.strerror or exc}") from None
    if path.is_dir():
        raise UserError(f"“{name}”是一个文件夹，不是文件")
    if size == 0:
        raise UserError(f"“{name}”是空文件（0 字节），没有添加")
    if size > limit:
        raise UserError(
            f"“{name}”有 {size_text(size)}，超过附件大小上限 {limit // 1024 // 1024} MB"
            "（可在 设置 中修改）"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取“{name}”：{exc.strerror or exc}") from None
    kind, magics = ALLOWED[suffix]
    if not data.startswith(magics):
        raise UserError(
            f"“{name}”的扩展名是 {suffix}，但内容不是 {kind}，文件可能已损坏或改过扩展名"
        )
    return data


def _target_exists(s: Session, entity: str, entity_id: int) -> str:
    if entity not in ATTACHABLE:
        known = "、".join(f"{k}（{v[0]}）" for k, v in ATTACHABLE.items())
        raise UserError(f"不能给“{entity}”添加附件；可以添加附件的记录：{known}")
    label, table = ATTACHABLE[entity]
    from unionsdesk.db.models import Base

    t = Base.metadata.tables[table]
    if s.scalar(select(func.count()).select_from(t).where(t.c.id == entity_id)) == 0:
        raise UserError(f"{label} {entity_id} 不存在")
    return label


# --- services --------------------------------------------------------------------


def add_attachment(
    db: Database,
    actor: CurrentUser,
    entity: str,
    entity_id: int,
    path: Path,
    note: str | None = None,
    *,
    name: str | None = None,
) -> AttachmentInfo:
    """Attach the file at ``path`` to the record; the file is copied into the store."""
    actor.require(WRITE)
    data = read_checked(Path(path), max_bytes(db))
    return _add(db, actor, entity, entity_id, name or Path(path).name, data, note)


def _add(
    db: Database,
    actor: CurrentUser,
    entity: str,
    entity_id: int,
    name: str,
    data: bytes,
    note: str | None,
) -> AttachmentInfo:
    sha = hashlib.sha256(data).hexdigest()
    store = _require_store(db)
    with writing(db, actor) as s:  # checks first, so a refused add writes no file
        label = _target_exists(s, entity, entity_id)
        _refuse_duplicate(s, entity, entity_id, sha, label)
    written = False
    if store is not None:
        written = _put_file(store, sha, data)
    try:
        with writing(db, actor) as s:
            _refuse_duplicate(s, entity, entity_id, sha, label)
            if store is None:
                _put_blob(s, sha, data)
            row = Attachment(
                entity=entity, entity_id=entity_id, name=name[:260], size=len(data), sha256=sha,
                note=note or None,
            )  # fmt: skip
            stamp(row, actor, new=True)
            s.add(row)
            s.flush()
            audit(
                s, actor, "attach", ATTACHABLE[entity][1], entity_id,
                after={"附件": name, "大小": len(data), "sha256": sha},
                summary=f"{label} {entity_id} 添加附件“{name}”（{size_text(len(data))}）",
            )  # fmt: skip
            return _info(row)
    except BaseException:
        if written and store is not None:  # not committed: take back what this call wrote
            with writing(db, actor) as s:
                used = s.scalar(select(func.count()).where(Attachment.sha256 == sha))
            if not used:
                with contextlib.suppress(OSError):
                    _file(store, sha).unlink()
        raise


def _refuse_duplicate(s: Session, entity: str, entity_id: int, sha: str, label: str) -> None:
    same = s.scalar(
        select(Attachment.name).where(
            Attachment.entity == entity, Attachment.entity_id == entity_id, Attachment.sha256 == sha
        )
    )
    if same is not None:
        raise UserError(f"这个文件已经是该{label}的附件（“{same}”），没有重复添加")


def _put_blob(s: Session, sha: str, data: bytes) -> None:
    if s.get(AttachmentBlob, sha) is None:
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(AttachmentBlob).values(sha256=sha, data=data)
        s.execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]))


def list_attachments(
    db: Database, actor: CurrentUser, entity: str, entity_id: int
) -> list[AttachmentInfo]:
    with reading(db, actor, READ) as s:
        q = (
            select(Attachment)
            .where(Attachment.entity == entity, Attachment.entity_id == entity_id)
            .order_by(Attachment.id)
        )
        return [_info(a) for a in s.scalars(q)]


def read_attachment(db: Database, actor: CurrentUser, attachment_id: int) -> tuple[str, bytes]:
    """(name, content) of one attachment; a missing or damaged file is a UserError."""
    with reading(db, actor, READ) as s:
        a = s.get(Attachment, attachment_id)
        if a is None:
            raise UserError(f"附件 {attachment_id} 不存在")
        name, sha = a.name, a.sha256
        store = _require_store(db)
        if store is None:
            data = s.scalar(select(AttachmentBlob.data).where(AttachmentBlob.sha256 == sha))
            if data is None:
                raise UserError(f"附件“{name}”的内容在数据库中找不到")
            return name, bytes(data)
    try:
        data = _file(store, sha).read_bytes()
    except FileNotFoundError:
        raise UserError(f"附件“{name}”的文件已丢失（{store}），请从备份恢复或重新添加") from None
    if hashlib.sha256(data).hexdigest() != sha:
        raise UserError(f"附件“{name}”的文件已损坏（内容与添加时不同），请从备份恢复或重新添加")
    return name, data


def export_attachment(
    db: Database, actor: CurrentUser, attachment_id: int, dest_dir: Path | None = None
) -> Path:
    """A copy of the attachment under its own name (for the system viewer, or to save
    elsewhere); by default in a temporary folder."""
    name, data = read_attachment(db, actor, attachment_id)
    folder = dest_dir or Path(tempfile.gettempdir()) / "unionsdesk-attachments" / str(attachment_id)
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name) or "附件"
    target = folder / safe
    target.write_bytes(data)
    return target


def remove_attachment(
    db: Database, actor: CurrentUser, attachment_id: int, reason: str | None = None
) -> None:
    """Remove one attachment (with an audit row); its content goes when no other
    record uses it."""
    store = _require_store(db)
    with writing(db, actor, WRITE) as s:
        a = s.get(Attachment, attachment_id)
        if a is None:
            raise UserError(f"附件 {attachment_id} 不存在")
        label = ATTACHABLE.get(a.entity, (a.entity, ""))[0]
        sha, name = a.sha256, a.name
        audit(
            s, actor, "delete", ATTACHABLE.get(a.entity, ("", a.entity))[1], a.entity_id,
            before={"附件": name, "大小": a.size, "sha256": sha},
            summary=f"{label} {a.entity_id} 删除附件“{name}”" + (f"：{reason}" if reason else ""),
        )  # fmt: skip
        s.delete(a)
        s.flush()
        still_used = s.scalar(select(func.count()).where(Attachment.sha256 == sha))
        if not still_used and store is None:
            s.execute(delete(AttachmentBlob).where(AttachmentBlob.sha256 == sha))
    if not still_used and store is not None:
        with contextlib.suppress(OSError):
            _file(store, sha).unlink()


def attachment_source(name: str, data: bytes) -> tuple[str, bytes]:
    """For callers that make a file in memory (demo photos): checked like a file."""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED or not data.startswith(ALLOWED[suffix][1]):
        raise UserError(f"“{name}”的类型不能作为附件")
    return name, data


def add_attachment_bytes(
    db: Database,
    actor: CurrentUser,
    entity: str,
    entity_id: int,
    name: str,
    data: bytes,
    note: str | None = None,
) -> AttachmentInfo:
    actor.require(WRITE)
    attachment_source(name, data)
    if not data:
        raise UserError(f"“{name}”是空文件（0 字节），没有添加")
    return _add(db, actor, entity, entity_id, name, data, note)


# --- check, orphans, backups ------------------------------------------------------


@dataclass
class StoreReport:
    missing: list[str] = field(default_factory=list)  # "阵地 12 的“照片.jpg”"
    damaged: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # file names (hashes) no row uses
    files: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.damaged or self.orphans)

    def lines(self) -> list[str]:
        out = [f"附件：{self.files} 个文件"]
        if self.missing:
            out.append(f"附件文件缺失 {len(self.missing)} 个：" + "；".join(self.missing[:20]))
        if self.damaged:
            out.append(f"附件文件已损坏 {len(self.damaged)} 个：" + "；".join(self.damaged[:20]))
        if self.orphans:
            out.append(
                f"没有记录引用的附件文件 {len(self.orphans)} 个：" + "；".join(self.orphans[:20])
            )
        if self.ok:
            out[0] += "，检查通过"
        return out


def check_store(db: Database, *, verify: bool = False) -> StoreReport:
    """Rows whose content is missing (or, with ``verify``, damaged) and stored
    contents no row points to."""
    report = StoreReport()
    with db.reading() as s:
        rows = s.execute(
            select(Attachment.sha256, Attachment.entity, Attachment.entity_id, Attachment.name)
        ).all()
        used = {r[0] for r in rows}
        store = _require_store(db)
        if store is None:
            present = set(s.scalars(select(AttachmentBlob.sha256)))
        else:
            files = {p.name: p for p in _store_files(store)}
            present = set(files)
    report.files = len(present)
    for sha, entity, entity_id, name in rows:
        where = f"{ATTACHABLE.get(entity, (entity, ''))[0]} {entity_id} 的“{name}”"
        if sha not in present:
            report.missing.append(where)
        elif (
            verify
            and store is not None
            and hashlib.sha256(files[sha].read_bytes()).hexdigest() != sha
        ):
            report.damaged.append(where)
    report.orphans = sorted(present - used)
    return report


def remove_orphans(db: Database) -> int:
    """Delete stored contents no row points to (left by an add cut off by a crash)
    and temporary files of writes cut off. Not while another program adds files."""
    store = _require_store(db)
    orphans = check_store(db).orphans
    if store is None:
        with db.writing() as s:
            for sha in orphans:
                if not s.scalar(select(func.count()).where(Attachment.sha256 == sha)):
                    s.execute(delete(AttachmentBlob).where(AttachmentBlob.sha256 == sha))
        return len(orphans)
    for sha in orphans:
        with contextlib.suppress(OSError):
            _file(store, sha).unlink()
    for tmp in store.glob("*/.*.tmp") if store.is_dir() else ():  # writes cut off
        with contextlib.suppress(OSError):
            tmp.unlink()
    return len(orphans)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
    return row.fetchone() is not None


def pack_into_backup(db_path: Path, backup: sqlite3.Connection) -> int:
    """Copy every referenced attachment file into the backup's ``attachment_blob``
    (called by ``db.backup`` on the fresh copy); returns the number of files."""
    if not _has_table(backup, "attachment") or not _has_table(backup, "attachment_blob"):
        return 0
    store = store_dir(db_path)
    shas = [r[0] for r in backup.execute("SELECT DISTINCT sha256 FROM attachment")]
    n = 0
    for sha in shas:
        try:
            data = _file(store, sha).read_bytes()
        except FileNotFoundError:
            continue  # `check` reports it; the backup still has the rows
        backup.execute(
            "INSERT OR IGNORE INTO attachment_blob (sha256, data) VALUES (?, ?)", (sha, data)
        )
        n += 1
    backup.commit()
    return n


def unpack_after_restore(db_path: Path) -> int:
    """Write the files a restored backup carries back into the store beside ``db_path``
    and empty ``attachment_blob`` in the restored file (called by ``db.backup`` after a
    restore); returns the number of files. Files already there are kept."""
    from unionsdesk.errors import BackupError

    live = sqlite3.connect(db_path, timeout=8)
    try:
        if not _has_table(live, "attachment_blob"):
            return 0
        store = store_dir(db_path)
        n = 0
        for sha, data in live.execute("SELECT sha256, data FROM attachment_blob"):
            blob = bytes(data)
            if hashlib.sha256(blob).hexdigest() == sha:
                _put_file(store, sha, blob)
                n += 1
        live.execute("DELETE FROM attachment_blob")
        live.commit()
        return n
    except OSError as exc:
        raise BackupError(
            f"数据已恢复，但附件文件无法写入 {store_dir(db_path)}（{exc.strerror or exc}）；"
            "请检查磁盘空间后再恢复一次"
        ) from exc
    finally:
        live.close()
