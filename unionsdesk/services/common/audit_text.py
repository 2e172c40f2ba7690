"""How audit rows read to a clerk: action and entity names, field labels, dictionary
codes shown as their labels, "手机号码：139… → 138…".

Below ``audit`` (reading the log) and ``locking`` (the conflict message), above
``base``: base writes audit rows and never imports this module. Work areas add
their entities' names and specs to ``ENTITY_NAMES``/``ENTITY_SPECS`` (the
register framework does it for every register).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from unionsdesk.db.models import AuditLog, CodeEntry, Entity
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
    FieldSpec,
)
from unionsdesk.services.common import settings as settings_svc
from unionsdesk.services.common.base import ROLE_NAMES

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
    "attach": "添加附件",
    "view": "查看",
}
ENTITY_NAMES = {
    "office": "单位信息",
    "user": "用户",
    "role": "角色",
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
    "grant_payment": "补助拨付",
    "grant_budget": "补助预算",
    "checklist": "检查表",
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
    "voided": "已作废",
    "void_reason": "作废原因",
    "rights_view": "维权查看",
    # the keys services write beside an entity's own fields
    "payout": "发放明细编号",
    "added": "加入人数",
    "campaign": "帮扶活动",
    "person": "姓名",
    "file": "文件",
    "imported": "导入行数",
    "undone": "撤销行数",
    "people_created": "新建人员数",
    "union": "工会",
    "amount": "金额",
    "total": "合计金额",
    "returned_amount": "退回金额",
    "paid_on": "发放日期",
    "receipt_no": "收据号",
    "items": "项目数",
    "reviewed_by": "审核人",
    "reviewed_on": "审核日期",
    "sha256": "文件校验值",
    "grant": "补助项目",
    "revoke_reason": "撤销原因",
    "units": "单位数",
    "people": "人数",
    "shares": "份数",
    settings_svc.PRINT_X: PRINT_OFFSETS["offset_x_mm"].label,
    settings_svc.PRINT_Y: PRINT_OFFSETS["offset_y_mm"].label,
    settings_svc.BACKUP_KEEP: "备份保留份数",
    settings_svc.RECEIPT_PAGES: "收据每联单独一页",
    "aid.receipts_in_review": "提交审核后即可开具收据",
    "members.allow_under_14": "允许登记入会时未满14周岁的会员",
}


def code_labels(s: Session, categories: list[str]) -> dict[str, dict[str, str]]:
    """category → {code → label} for ``categories`` (inactive codes too)."""
    out: dict[str, dict[str, str]] = {c: {} for c in categories}
    if not categories:
        return out
    q = select(CodeEntry.category, CodeEntry.code, CodeEntry.label).where(
        CodeEntry.category.in_(categories)
    )
    for category, code, label in s.execute(q):
        out[category][code] = label
    return out


_ALL_FIELDS: dict[str, FieldSpec] = {}


def _any_field(key: str) -> FieldSpec | None:
    """The field called ``key`` in any spec of the program (fields.py and every area's
    specs module): the label of a key an area writes beside its entity's own fields
    (a 审批 step's 批准金额 on its project row)."""
    if not _ALL_FIELDS:
        import importlib
        import pkgutil

        import unionsdesk.fields as core
        import unionsdesk.services as services

        modules: list[Any] = [core]
        for info in pkgutil.iter_modules(services.__path__):
            try:
                modules.append(importlib.import_module(f"unionsdesk.services.{info.name}.specs"))
            except ModuleNotFoundError:
                continue
        for module in modules:
            for spec in vars(module).values():
                if isinstance(spec, EntitySpec):
                    for f in spec.fields:
                        _ALL_FIELDS.setdefault(f.name, f)
    return _ALL_FIELDS.get(key)


def _field(entity: str, key: str) -> FieldSpec | None:
    spec = ENTITY_SPECS.get(entity)
    if spec is not None and key in spec.by_name:
        return spec[key]
    return None if key in _EXTRA_LABELS else _any_field(key)


def field_label(entity: str, key: str) -> str:
    f = _field(entity, key)
    return f.label if f is not None else _EXTRA_LABELS.get(key, key)


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


# Money keys of any entity (fen), beside the money fields of the entity's spec.
MONEY_KEYS = frozenset({"amount", "total", "budget", "returned_amount", "out_of_pocket"})
# Stored status words that are not what the clerk reads.
VALUE_NAMES = {"status": {"issued": "已开具", "void": "已作废"}}


def show_value(key: str, value: Any, empty: str = "（空）") -> str:
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return "是" if value else "否"
    if key == "role" and value in ROLE_NAMES:
        return ROLE_NAMES[value]
    if isinstance(value, str) and value in VALUE_NAMES.get(key, {}):
        return VALUE_NAMES[key][value]
    return str(value)


def money_fields(entity: str) -> frozenset[str]:
    spec = ENTITY_SPECS.get(entity)
    own = {f.name for f in spec.fields if f.kind == "money"} if spec else set()
    return MONEY_KEYS | own


def is_money(entity: str, key: str) -> bool:
    if key in money_fields(entity):
        return True
    f = _field(entity, key)
    return f is not None and f.kind == "money"


def _yuan(fen: int) -> str:
    from unionsdesk.domain.money import format_yuan, from_fen

    return format_yuan(from_fen(fen))


def show_field(entity: str, key: str, value: Any, empty: str = "（空）") -> str:
    """One stored value of ``entity`` as the clerk reads it: money (fen) in yuan with two
    decimals, 发放标准 as 类别 and amount, stored status words in Chinese."""
    if isinstance(value, int) and not isinstance(value, bool) and is_money(entity, key):
        return _yuan(value)
    if key == "standards" and isinstance(value, str) and value.startswith("{"):
        try:
            standards = json.loads(value)
        except ValueError:
            return value
        return "、".join(f"{c} {_yuan(int(v))}" for c, v in standards.items()) or empty
    return show_value(key, value, empty)


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

    def shown(k: str, value: Any) -> str:
        return show_field(entity, k, value)

    def part(k: str) -> str:
        if k in hide:
            return f"{field_label(entity, k)}（已修改）"
        if before:
            return f"{field_label(entity, k)}：{shown(k, before.get(k))} → {shown(k, after.get(k))}"
        return f"{field_label(entity, k)}：{shown(k, after.get(k))}"

    return "；".join(part(k) for k in after)


def changes_since(s: Session, obj: Entity, expected: int, entity: str) -> str:
    """What the newest ``obj.version - expected`` audited changes of ``obj`` did (each
    save bumps the version once and writes one audit row). Values of masked fields
    (ID numbers, phones, bank accounts) are not repeated."""
    if obj.version < expected:
        return ""
    rows = s.execute(
        select(AuditLog.before, AuditLog.after)
        .where(
            AuditLog.entity == entity,
            AuditLog.entity_id == obj.id,
            AuditLog.after.is_not(None),
            AuditLog.action != "create",
        )
        .order_by(AuditLog.id.desc())
        .limit(obj.version - expected)
    ).all()
    spec = ENTITY_SPECS.get(entity)
    hide = frozenset(f.name for f in spec.fields if f.masked) if spec else frozenset()
    labels = code_labels(s, sorted(set(coded_fields(entity).values())))
    parts = [
        describe_change(
            entity,
            with_labels(entity, json.loads(b) if b else None, labels),
            with_labels(entity, json.loads(a), labels),
            hide=hide,
        )
        for b, a in reversed(rows)
    ]
    return "；".join(p for p in parts if p)
