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
from unionsdesk.fields import (
    CAMPAIGN,
    CODE_ENTRY,
    HARDSHIP,
    MEMBER,
    OFFICE,
    PAYOUT,
    PRINT_OFFSETS,
    UNION,
    USER,
    EntitySpec,
)
from unionsdesk.services.common import settings as settings_svc
from unionsdesk.services.common.base import ADMIN, READ, ROLE_NAMES, CurrentUser, reading
from unionsdesk.services.common.codes import session_label_maps

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
    "undo_import": "撤销导入",
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


ENTITY_SPECS: dict[str, EntitySpec] = {
    "office": OFFICE,
    "user": USER,
    "code_table": CODE_ENTRY,
    "member": MEMBER,
    "union": UNION,
    "hardship_file": HARDSHIP,
    "campaign": CAMPAIGN,
    "payout": PAYOUT,
}
_EXTRA_LABELS = {
    "category": "字典类别",
    "sort_order": "排序",
    "status_date": "状态日期",
    "standards": "发放标准",
    "status": "状态",
    "review_status": "审核状态",
    "last_annual_review": "年审日期",
    "number": "收据号",
    "print_count": "打印次数",
    "lines": "名单人数",
    settings_svc.PRINT_X: PRINT_OFFSETS["offset_x_mm"].label,
    settings_svc.PRINT_Y: PRINT_OFFSETS["offset_y_mm"].label,
    settings_svc.BACKUP_KEEP: "备份保留份数",
    settings_svc.RECEIPT_PAGES: "收据每联单独一页",
}


def field_label(entity: str, key: str) -> str:
    spec = ENTITY_SPECS.get(entity)
    if spec is not None and key in spec.by_name:
        return spec[key].label
    return _EXTRA_LABELS.get(key, key)


def coded_fields(entity: str) -> dict[str, str]:
    """field → code table of the entity's dictionary fields (学历, 民族 …): audit rows
    store their codes."""
    spec = ENTITY_SPECS.get(entity)
    return {f.name: f.code_category for f in spec.fields if f.code_category} if spec else {}


def with_labels(
    entity: str, values: dict[str, Any] | None, labels: Mapping[str, Mapping[str, str]]
) -> dict[str, Any] | None:
    """``values`` with dictionary codes replaced by their labels (``labels``: category →
    code → label, as ``codes.label_maps`` gives); unknown codes stay as they are."""
    if values is None:
        return None
    coded = coded_fields(entity)
    return {
        k: labels.get(coded[k], {}).get(v, v) if k in coded and isinstance(v, str) else v
        for k, v in values.items()
    }


def show_value(key: str, value: Any, empty: str = "（空）") -> str:
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "role" and value in ROLE_NAMES:
        return ROLE_NAMES[value]
    return str(value)


def describe_change(
    entity: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    hide: frozenset[str] = frozenset(),
) -> str:
    """ "手机号码：139… → 138…；职务：（空） → 焊工" for a change; ``hide`` lists fields
    whose values are not shown (only that they changed)."""
    before, after = before or {}, after or {}

    def part(k: str) -> str:
        if k in hide:
            return f"{field_label(entity, k)}（已修改）"
        if before:
            return f"{field_label(entity, k)}：{show_value(k, before.get(k))} → {show_value(k, after.get(k))}"
        return f"{field_label(entity, k)}：{show_value(k, after.get(k))}"

    return "；".join(part(k) for k in after)


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


def _entries(s: Session, rows: Iterable[AuditLog]) -> list[AuditEntry]:
    labels = session_label_maps(s)
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
