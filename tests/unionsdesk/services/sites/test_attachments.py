"""The attachments store: checks on the way in, content addressing, removal with an
audit row, `check` finding missing and orphan files, the PostgreSQL tier, and a
backup → restore round trip that brings every file back byte for byte."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from unionsdesk import attachments as att
from unionsdesk.db.backup import list_backups
from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.db.models_sites import AttachmentBlob
from unionsdesk.db.open import open_database
from unionsdesk.errors import PermissionDenied, UserError
from unionsdesk.services.common import maintenance
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.users import first_admin, login
from unionsdesk.services.sites import sites

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def _site(db: Database, admin: CurrentUser, name: str = "测试驿站") -> int:
    return sites.save_site(db, admin, {"kind": "工会驿站", "name": name}).id


def _file(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


def _contents(db: Database) -> int:
    if db.path is not None:
        return len(list(att._store_files(att.store_dir(db.path))))
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(AttachmentBlob)) or 0


def test_add_list_read_remove(any_db: Database, admin: CurrentUser, tmp_path: Path) -> None:
    before = _contents(any_db)  # the demo's photos
    sid = _site(any_db, admin)
    other = _site(any_db, admin, "另一个驿站")
    photo = _file(tmp_path, "门头照片.png", PNG + b"1")
    a = att.add_attachment(any_db, admin, "site", sid, photo, "门头")
    assert (a.name, a.size, a.sha256) == (
        "门头照片.png",
        len(PNG) + 1,
        hashlib.sha256(PNG + b"1").hexdigest(),
    )
    b = att.add_attachment(any_db, admin, "site", other, photo)  # same content, other record
    assert b.sha256 == a.sha256
    with pytest.raises(UserError, match="已经是该阵地的附件"):
        att.add_attachment(any_db, admin, "site", sid, photo)
    assert [x.name for x in att.list_attachments(any_db, admin, "site", sid)] == ["门头照片.png"]
    assert att.read_attachment(any_db, admin, a.id) == ("门头照片.png", PNG + b"1")
    copy = att.export_attachment(any_db, admin, a.id, tmp_path / "out")
    assert copy.name == "门头照片.png" and copy.read_bytes() == PNG + b"1"
    assert _contents(any_db) == before + 1  # stored once, under its hash
    if any_db.path is not None:  # beside the database
        assert (att.store_dir(any_db.path) / a.sha256[:2] / a.sha256).is_file()
    readonly = login(any_db, "chaxun", "demo1234")
    with pytest.raises(PermissionDenied):
        att.remove_attachment(any_db, readonly, a.id)
    att.remove_attachment(any_db, admin, a.id, "拍错了")
    assert att.read_attachment(any_db, admin, b.id)[1] == PNG + b"1"  # still used by the other site
    att.remove_attachment(any_db, admin, b.id)
    report = att.check_store(any_db)
    assert report.files == before and report.ok
    with any_db.reading() as s:
        summaries = list(
            s.scalars(
                select(AuditLog.summary).where(
                    AuditLog.action == "delete", AuditLog.entity == "site"
                )
            )
        )
    assert any("删除附件“门头照片.png”：拍错了" in x for x in summaries if x)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("空.pdf", b"", "是空文件（0 字节）"),
        ("宏.xlsm", b"PK\x03\x04", "类型不能作为附件"),
        ("脚本.exe", b"MZ", "类型不能作为附件"),
        ("假图片.jpg", b"%PDF-1.4", "内容不是 JPG 图片"),
    ],
)
def test_refused_files(
    demo_db: Database, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    admin = first_admin(demo_db)
    sid = _site(demo_db, admin)
    with pytest.raises(UserError, match=reason):
        att.add_attachment(demo_db, admin, "site", sid, _file(tmp_path, name, data))
    assert att.list_attachments(demo_db, admin, "site", sid) == []
    assert _contents(demo_db) == 3  # only the demo's photos


def test_size_limit_is_a_setting(demo_db: Database, tmp_path: Path) -> None:
    from unionsdesk.services.common.settings import set_settings

    admin = first_admin(demo_db)
    sid = _site(demo_db, admin)
    set_settings(demo_db, admin, {att.MAX_MB_SETTING: "1"})
    big = _file(tmp_path, "扫描件.pdf", b"%PDF" + b"0" * (1024 * 1024))
    with pytest.raises(UserError, match="超过附件大小上限 1 MB"):
        att.add_attachment(demo_db, admin, "site", sid, big)
    with pytest.raises(UserError, match="补助项目 999999 不存在"):
        att.add_attachment(demo_db, admin, "grant", 999999, _file(tmp_path, "a.pdf", b"%PDF-1"))


def test_check_finds_missing_and_orphan_files(demo_db_file: Path, tmp_path: Path) -> None:
    db = open_database(demo_db_file)
    admin = first_admin(db)
    sid = _site(db, admin)
    a = att.add_attachment(db, admin, "site", sid, _file(tmp_path, "验收报告.pdf", b"%PDF-1.4 x"))
    att.add_attachment(db, admin, "site", sid, _file(tmp_path, "照片.png", PNG))
    assert maintenance.check(db).ok
    store = att.store_dir(demo_db_file)
    (store / a.sha256[:2] / a.sha256).unlink()
    orphan = "f" * 64
    (store / "ff").mkdir(exist_ok=True)
    (store / "ff" / orphan).write_bytes(b"left over")
    report = maintenance.check(db)
    assert not report.ok
    text = "\n".join(report.lines())
    assert f"阵地 {sid} 的“验收报告.pdf”" in text and orphan in text
    with pytest.raises(UserError, match="文件已丢失"):
        att.read_attachment(db, admin, a.id)
    assert att.remove_orphans(db) == 1 and not (store / "ff" / orphan).exists()
    db.dispose()


def test_backup_restore_round_trip_byte_for_byte(demo_db_file: Path, tmp_path: Path) -> None:
    db = open_database(demo_db_file)
    admin = first_admin(db)
    sid = _site(db, admin)
    files = {f"照片{i}.png": PNG + os.urandom(2000 + i) for i in range(5)}
    files["批复.pdf"] = b"%PDF-1.7 " + os.urandom(50_000)
    ids = {}
    for name, data in files.items():
        ids[name] = att.add_attachment(db, admin, "site", sid, _file(tmp_path, name, data)).id
    backup = maintenance.backup_now(db, admin)
    assert len(list_backups(backup.parent)) >= 1 and backup.is_file()
    with sqlite3.connect(backup) as conn:  # one file, carrying the attachments
        carried = conn.execute("SELECT count(*) FROM attachment_blob").fetchone()[0]
        assert (
            carried == conn.execute("SELECT count(DISTINCT sha256) FROM attachment").fetchone()[0]
        )
        assert carried >= len(files)
    with sqlite3.connect(demo_db_file) as conn:  # the live file does not hold them
        assert conn.execute("SELECT count(*) FROM attachment_blob").fetchone()[0] == 0
    # Disaster: the store is lost and one attachment removed after the backup.
    att.remove_attachment(db, admin, ids["照片0.png"])
    import shutil

    shutil.rmtree(att.store_dir(demo_db_file))
    maintenance.restore(db, admin, backup)
    db.dispose()
    db = open_database(demo_db_file)
    for name, data in files.items():
        assert att.read_attachment(db, admin, ids[name]) == (name, data)
    with sqlite3.connect(demo_db_file) as conn:
        assert conn.execute("SELECT count(*) FROM attachment_blob").fetchone()[0] == 0
    assert maintenance.check(db).ok
    db.dispose()
