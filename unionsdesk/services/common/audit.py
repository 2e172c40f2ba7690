"""Reading the audit log (writing happens in ``base.audit`` inside each service)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.services.common.audit_text import (
    ACTION_NAMES,
    ENTITY_NAMES,
    describe_change,
    field_label,
    show_field,
    show_value,
    with_labels,
)
from unionsdesk.services.common.base import ADMIN, READ, SYSTEM, CurrentUser, reading
from unionsdesk.services.common.codes import session_label_maps

__all__ = [  # the rendering helpers the audit page uses come with the reader
    "ACTION_NAMES",
    "ENTITY_NAMES",
    "AuditEntry",
    "AuditFilter",
    "field_label",
    "query_audit",
    "recent_activity",
    "show_field",
    "show_value",
    "user_names",
]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user_login: str | None
    action: str
    entity: str
    entity_id: int | None
    summary: str | None
    before: dict[str, Any] | None  # as stored (dictionary fields hold codes)
    after: dict[str, Any] | None
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict, repr=False)
    user_name: str = ""  # the operator's display name (姓名), "" when unknown

    @property
    def operator(self) -> str:
        """Who did it, as the clerk knows them: the display name, else the login."""
        return self.user_name or self.user_login or ""

    @property
    def shown_before(self) -> dict[str, Any] | None:
        """``before`` with dictionary codes replaced by their labels, for the clerk."""
        return with_labels(self.entity, self.before, self.labels)

    @property
    def shown_after(self) -> dict[str, Any] | None:
        return with_labels(self.entity, self.after, self.labels)

    @property
    def action_name(self) -> str:
        return ACTION_NAMES.get(self.action, self.action)

    @property
    def entity_name(self) -> str:
        return ENTITY_NAMES.get(self.entity, self.entity)

    def describe(self) -> str:
        """One line for lists: the summary, or what changed, with field labels."""
        if self.summary:
            return self.summary
        return describe_change(self.entity, self.shown_before, self.shown_after)


@dataclass(frozen=True)
class AuditFilter:
    user_login: str | None = None
    action: str | None = None
    entity: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    text: str | None = None


def _user_names(s: Session) -> dict[str, str]:
    from unionsdesk.db.models import User

    names = {SYSTEM.login: SYSTEM.display_name}
    names.update(dict(s.execute(select(User.login, User.display_name)).tuples().all()))
    return names


def user_names(db: Database) -> dict[str, str]:
    """login → display name of every user (and 系统 for the program itself)."""
    with db.reading() as s:
        return _user_names(s)


def _entries(s: Session, rows: Iterable[AuditLog]) -> list[AuditEntry]:
    from unionsdesk.registers import all_registers

    all_registers()  # the registers name their entities and fields (ENTITY_NAMES, specs)
    labels = session_label_maps(s)
    names = _user_names(s)
    return [
        AuditEntry(
            a.id,
            a.at,
            a.user_login,
            a.action,
            a.entity,
            a.entity_id,
            a.summary,
            json.loads(a.before) if a.before else None,
            json.loads(a.after) if a.after else None,
            labels,
            names.get(a.user_login or "", ""),
        )
        for a in rows
    ]


def query_audit(
    db: Database,
    actor: CurrentUser,
    flt: AuditFilter | None = None,
    *,
    limit: int = 500,
    offset: int = 0,
) -> list[AuditEntry]:
    """Newest first. The full log is for administrators."""
    flt = flt or AuditFilter()
    q = select(AuditLog)
    if flt.user_login:
        q = q.where(AuditLog.user_login == flt.user_login)
    if flt.action:
        q = q.where(AuditLog.action == flt.action)
    if flt.entity:
        q = q.where(AuditLog.entity == flt.entity)
    if flt.since:
        q = q.where(AuditLog.at >= datetime.combine(flt.since, datetime.min.time()))
    if flt.until:
        q = q.where(
            AuditLog.at < datetime.combine(flt.until + timedelta(days=1), datetime.min.time())
        )
    if flt.text:
        like = f"%{flt.text}%"
        q = q.where(
            or_(AuditLog.summary.like(like), AuditLog.before.like(like), AuditLog.after.like(like))
        )
    with reading(db, actor, ADMIN) as s:
        return _entries(s, s.scalars(q.order_by(AuditLog.id.desc()).limit(limit).offset(offset)))


def recent_activity(db: Database, actor: CurrentUser, limit: int = 12) -> list[AuditEntry]:
    """What happened lately, for 首页 (logins left out)."""
    q = select(AuditLog).where(AuditLog.action.not_in(("login", "login_failed")))
    if not actor.can(ADMIN):
        q = q.where(AuditLog.user_login == actor.login)
    with reading(db, actor, READ) as s:
        return _entries(s, s.scalars(q.order_by(AuditLog.id.desc()).limit(limit)))


def audit_users(db: Database) -> list[str]:
    with db.reading() as s:
        return [
            u
            for u in s.scalars(select(AuditLog.user_login).distinct().order_by(AuditLog.user_login))
            if u
        ]


def count_today(db: Database) -> int:
    start = datetime.combine(date.today(), datetime.min.time())
    with db.reading() as s:
        return s.scalar(select(func.count(AuditLog.id)).where(AuditLog.at >= start)) or 0
