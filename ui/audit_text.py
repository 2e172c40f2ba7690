"""Audit rows in words a clerk reads: field labels instead of column names."""

from __future__ import annotations

from typing import Any

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
from unionsdesk.services import settings as settings_svc
from unionsdesk.services.audit import AuditEntry
from unionsdesk.services.base import ROLE_NAMES

_SPECS: dict[str, EntitySpec] = {
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
}


def field_label(entity: str, key: str) -> str:
    spec = _SPECS.get(entity)
    if spec is not None and key in spec.by_name:
        return spec[key].label
    return _EXTRA_LABELS.get(key, key)


def show_value(key: str, value: Any, empty: str = "（空）") -> str:
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "role" and value in ROLE_NAMES:
        return ROLE_NAMES[value]
    return str(value)


def describe(entry: AuditEntry) -> str:
    """Like ``AuditEntry.describe()``, with Chinese field labels."""
    if entry.summary:
        return entry.summary
    before, after = entry.before or {}, entry.after or {}

    def label(key: str) -> str:
        return field_label(entry.entity, key)

    if entry.before and entry.after:
        return "；".join(
            f"{label(k)}：{show_value(k, before.get(k))} → {show_value(k, after.get(k))}"
            for k in after
        )
    if entry.after:
        return "；".join(f"{label(k)}：{show_value(k, v)}" for k, v in after.items())
    return ""
