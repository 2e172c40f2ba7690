"""Reading the audit log (writing happens in ``base.audit`` inside each service)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.services.base import ADMIN, READ, CurrentUser, reading

ACTION_NAMES = {
    "create": "新增",
    "update": "修改",
    "login": "登录",
    "login_failed": "登录失败",
    "reset_password": "重置密码",
    "change_password": "修改密码",
    "backup": "备份",
    "restore": "恢复",
    "demo": "生成示例数据",
    "import": "导入",
    "transfer": "转会",
    "status": "状态变更",
    "review": "审核",
    "annual_review": "年审",
    "issue": "开具",
    "void": "作废",
    "print": "打印",
    "reprint": "补打",
    "delete": "删除",
}
ENTITY_NAMES = {
    "office": "单位信息",
    "user": "用户",
    "code_table": "字典",
    "setting": "设置",
    "database": "数据库",
    "member": "会员",
    "union": "工会",
    "hardship_file": "困难职工档案",
    "campaign": "帮扶活动",
    "payout": "发放明细",
    "receipt": "收据",
    "signoff": "签收表",
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user_login: str | None
    action: str
    entity: str
    entity_id: int | None
    summary: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def action_name(self) -> str:
        return ACTION_NAMES.get(self.action, self.action)

    @property
    def entity_name(self) -> str:
        return ENTITY_NAMES.get(self.entity, self.entity)

    def describe(self) -> str:
        """One line for lists: the summary, or what changed."""
        if self.summary:
            return self.summary
        if self.before and self.after:
            return "；".join(f"{k}: {self.before.get(k)} → {self.after.get(k)}" for k in self.after)
        if self.after:
            return "；".join(f"{k}: {v}" for k, v in self.after.items())
        return ""


@dataclass(frozen=True)
class AuditFilter:
    user_login: str | None = None
    action: str | None = None
    entity: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    text: str | None = None


def _entry(a: AuditLog) -> AuditEntry:
    return AuditEntry(
        a.id, a.at, a.user_login, a.action, a.entity, a.entity_id, a.summary,
        json.loads(a.before) if a.before else None, json.loads(a.after) if a.after else None,
    )  # fmt: skip


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
        rows = s.scalars(q.order_by(AuditLog.id.desc()).limit(limit).offset(offset))
        return [_entry(a) for a in rows]


def recent_activity(db: Database, actor: CurrentUser, limit: int = 12) -> list[AuditEntry]:
    """What happened lately, for 首页 (logins left out)."""
    q = select(AuditLog).where(AuditLog.action.not_in(("login", "login_failed")))
    if not actor.can(ADMIN):
        q = q.where(AuditLog.user_login == actor.login)
    with reading(db, actor, READ) as s:
        return [_entry(a) for a in s.scalars(q.order_by(AuditLog.id.desc()).limit(limit))]


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
