"""Optimistic locking: refuse to overwrite a record someone else saved since it was
opened, and say what they changed (from the audit log)."""

from __future__ import annotations

from sqlalchemy.orm import object_session

from unionsdesk.db.models import Entity
from unionsdesk.errors import ConflictError
from unionsdesk.services.common.audit_text import changes_since


def check_version(obj: Entity, expected: int | None, what: str, entity: str | None = None) -> None:
    """Raise `ConflictError` when ``obj`` is no longer at version ``expected``. With the
    audit ``entity`` name, the message says what the other clerk changed."""
    if expected is None or obj.version == expected:
        return
    session = object_session(obj)
    changes = changes_since(session, obj, expected, entity) if entity and session else ""
    raise ConflictError(
        f"{what}已被“{obj.updated_by or '其他用户'}”于{obj.updated_at:%Y-%m-%d %H:%M}修改，"
        "为避免覆盖，本次没有保存。"
        + (f"对方的修改：{changes}。" if changes else "")
        + "请重新打开后再保存"
    )
