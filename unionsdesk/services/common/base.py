"""What every service needs: the acting user, role checks and the audit log."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database, translate_db_error
from unionsdesk.db.models import AuditLog, Entity
from unionsdesk.errors import PermissionDenied, UnionsDeskError, UserError

# What each role may do. Checked here, in the services, not only in the UI.
READ = "data.read"
WRITE = "data.write"
REVIEW = "data.review"
PII = "pii.view"  # see full ID numbers and phones
ADMIN = "admin"  # office profile, users, code tables, settings, backup/restore
RIGHTS = "rights.view"  # 维权查看: labour disputes and legal aid (private cases)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({READ, WRITE, REVIEW, PII, ADMIN, RIGHTS}),
    "clerk": frozenset({READ, WRITE, PII}),
    "reviewer": frozenset({READ, REVIEW, PII}),
    "readonly": frozenset({READ}),
}
ROLE_NAMES = {"admin": "管理员", "clerk": "经办人", "reviewer": "审核人", "readonly": "只读"}
PERMISSION_NAMES = {
    READ: "查看数据",
    WRITE: "录入和修改数据",
    REVIEW: "审核",
    PII: "查看完整身份证号和电话",
    ADMIN: "系统管理",
    RIGHTS: "维权查看（劳动争议调解、法律援助）",
}
# Permissions an administrator gives or takes per role (设置 → 用户和角色), stored
# on the role (``role.permissions``); 管理员 always has them.
GRANTABLE = (RIGHTS,)


@dataclass(frozen=True)
class CurrentUser:
    """The logged-in clerk, as a plain value (no ORM object crosses into the UI)."""

    id: int | None
    login: str
    display_name: str
    role: str
    grants: frozenset[str] = frozenset()  # the role's GRANTABLE ones (role.permissions)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    def can(self, permission: str) -> bool:
        return (
            permission in ROLE_PERMISSIONS.get(self.role, frozenset()) or permission in self.grants
        )

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"当前用户“{self.display_name}”（{self.role_name}）没有“{PERMISSION_NAMES[permission]}”的权限"
            )


# The program itself, for first-time set-up and migrations only.
SYSTEM = CurrentUser(None, "system", "系统", "admin")


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: Entity | None, fields: Iterable[str]) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def audit(
    session: Session,
    user: CurrentUser,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    summary: str | None = None,
) -> None:
    """Append one row to the audit log inside the caller's transaction."""

    def dump(d: Mapping[str, Any] | None) -> str | None:
        if d is None:
            return None
        return json.dumps(
            {k: _jsonable(v) for k, v in d.items()}, ensure_ascii=False, sort_keys=True
        )

    if before is not None and after is not None:  # keep only what changed
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    session.add(
        AuditLog(
            user_login=user.login,
            action=action,
            entity=entity,
            entity_id=entity_id,
            summary=summary[:300] if summary else None,
            before=dump(before),
            after=dump(after),
        )
    )


@contextmanager
def writing(db: Database, user: CurrentUser, permission: str = WRITE) -> Iterator[Session]:
    """One write transaction for ``user``: role check first, then commit or nothing."""
    user.require(permission)
    try:
        with db.writing() as session:
            yield session
    except UnionsDeskError:
        raise
    except (DBAPIError, sqlite3.Error) as exc:  # sqlite3: raw-cursor bulk paths
        raise UserError(translate_db_error(exc)) from exc


@contextmanager
def reading(db: Database, user: CurrentUser, permission: str = READ) -> Iterator[Session]:
    user.require(permission)
    try:
        with db.reading() as session:
            session.info["actor"] = user  # for reads that depend on who asks (private cases)
            yield session
    except (DBAPIError, sqlite3.Error) as exc:
        raise UserError(translate_db_error(exc)) from exc


def stamp(obj: Entity, user: CurrentUser, *, new: bool = False) -> None:
    obj.updated_by = user.login
    if new:
        obj.created_by = user.login
