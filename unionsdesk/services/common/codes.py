"""Editable code tables (字典): 民族, 学历, 政治面貌, 致困原因 …"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import CodeEntry
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.fields import CODE_ENTRY
from unionsdesk.services.common.audit_text import code_labels
from unionsdesk.services.common.base import ADMIN, CurrentUser, audit, snapshot, stamp, writing
from unionsdesk.services.common.locking import check_version

CATEGORIES: dict[str, str] = {
    "ethnicity": "民族",
    "education": "学历",
    "political": "政治面貌",
    "hardship_reason": "致困原因",
    "hardship_category": "困难类别",
    "health": "健康状况",
    "hukou_type": "户籍类型",
    "marital": "婚姻状况",
    "work_status": "工作状态",
    "new_employment": "新就业形态类别",
    "member_status": "会员状态",
    "org_type": "组织类型",
    "unit_category": "单位类别",
    "aid_type": "帮扶项目类型",
    "employment_status": "就业状况",
    "tech_level": "技术等级",
    "membership_change": "会籍变化类型",
    "membership_change_reason": "会籍变化原因",
    "industry": "行业（GB/T 4754 门类）",
    "honour_title": "荣誉名称",
    "honour_level": "荣誉级别",
    "rights_service": "三师一室服务类型",
}
FIELDS = ("category", "code", "label", "sort_order", "active")


@dataclass(frozen=True)
class Code:
    id: int
    category: str
    code: str
    label: str
    sort_order: int
    active: bool
    version: int


def _code(c: CodeEntry) -> Code:
    return Code(c.id, c.category, c.code, c.label, c.sort_order, c.active, c.version)


def list_codes(db: Database, category: str, *, include_inactive: bool = False) -> list[Code]:
    """Values of one list in display order (readable by everyone: forms need them)."""
    return list_code_lists(db, [category], include_inactive=include_inactive)[category]


def list_code_lists(
    db: Database, categories: Iterable[str], *, include_inactive: bool = False
) -> dict[str, list[Code]]:
    """Several lists in one read (a form with eight code fields opens faster), each as
    ``list_codes`` gives it."""
    wanted = set(categories)
    if unknown := sorted(wanted - set(CATEGORIES)):
        raise UserError(f"没有这个字典：{unknown[0]}")
    lists: dict[str, list[Code]] = {c: [] for c in wanted}
    if not wanted:
        return lists
    q = select(CodeEntry).where(CodeEntry.category.in_(wanted))
    if not include_inactive:
        q = q.where(CodeEntry.active)
    with db.reading() as s:
        for c in s.scalars(q.order_by(CodeEntry.sort_order, CodeEntry.code)):
            lists[c.category].append(_code(c))
    return lists


def count_codes(db: Database) -> dict[str, int]:
    with db.reading() as s:
        rows = s.execute(select(CodeEntry.category, func.count()).group_by(CodeEntry.category))
        return {cat: n for cat, n in rows}


def add_code(db: Database, actor: CurrentUser, category: str, values: dict[str, object]) -> Code:
    if category not in CATEGORIES:
        raise UserError(f"没有这个字典：{category}")
    clean = CODE_ENTRY.clean(values)
    with writing(db, actor, ADMIN) as s:
        exists = s.scalar(
            select(CodeEntry.id).where(
                CodeEntry.category == category, CodeEntry.code == clean["code"]
            )
        )
        if exists is not None:
            raise ValidationError({"code": f"“{CATEGORIES[category]}”中已有代码 {clean['code']}"})
        if clean["sort_order"] is None:
            top = s.scalar(
                select(func.max(CodeEntry.sort_order)).where(CodeEntry.category == category)
            )
            clean["sort_order"] = (top or 0) + 1
        entry = CodeEntry(category=category, **clean)
        if values.get("active") is None:
            entry.active = True
        stamp(entry, actor, new=True)
        s.add(entry)
        s.flush()
        audit(s, actor, "create", "code_table", entry.id, after=snapshot(entry, FIELDS))
        return _code(entry)


def update_code(
    db: Database,
    actor: CurrentUser,
    code_id: int,
    values: dict[str, object],
    expected_version: int | None = None,
) -> Code:
    """Change the label, order or active flag. The code itself never changes
    (stored records refer to it); retire a value by deactivating it."""
    clean = CODE_ENTRY.clean(
        values, only=[n for n in ("label", "sort_order", "active") if n in values]
    )
    with writing(db, actor, ADMIN) as s:
        entry = s.get(CodeEntry, code_id)
        if entry is None:
            raise UserError("该字典项不存在")
        check_version(entry, expected_version, f"字典项“{entry.label}”", "code_table")
        before = snapshot(entry, FIELDS)
        for name, value in clean.items():
            if value is not None:
                setattr(entry, name, value)
        stamp(entry, actor)
        s.flush()
        audit(
            s, actor, "update", "code_table", entry.id, before=before, after=snapshot(entry, FIELDS)
        )
        return _code(entry)


# Other spellings seen in township rosters and provincial templates → our label.
SYNONYMS: dict[str, dict[str, str]] = {
    # 学历 is the provincial template's list (UPSTREAM_FORMATS §1.2): other spellings,
    # and the program's earlier labels where they say one thing (大学本科 → 本科)
    "education": {
        "博士研究生": "博士", "硕士研究生": "硕士", "大学本科": "本科", "大学": "本科",
        "本科毕业": "本科", "大学毕业": "本科", "专科": "大专", "大学专科": "大专", "专科毕业": "大专",
        "高职": "大专", "职高": "中专", "技校": "中专", "中技": "中专", "中等专科": "中专",
        "小学": "小学及以下", "文盲": "小学及以下", "半文盲": "小学及以下",
    },
    "political": {
        "党员": "中共党员", "中共预备党员": "中共党员", "预备党员": "中共党员", "团员": "共青团员",
        "民革党员": "民主党派", "民盟盟员": "民主党派", "民建会员": "民主党派", "民进会员": "民主党派",
        "农工党党员": "民主党派", "致公党党员": "民主党派", "九三学社社员": "民主党派",
        "台盟盟员": "民主党派", "无党派人士": "其他",
    },
    "hukou_type": {"农业户口": "农业", "非农业户口": "非农业", "城镇": "非农业", "农村": "农业"},
    "member_status": {"正常": "在册", "保留": "保留会籍", "除名": "开除会籍"},
    "new_employment": {
        "外卖配送员": "外卖送餐员", "外卖员": "外卖送餐员", "外卖骑手": "外卖送餐员", "骑手": "外卖送餐员",
        "快递小哥": "快递员", "网约车驾驶员": "网约车司机", "货运司机": "货车司机",
        "家政": "网约家政/护工", "护工": "网约家政/护工", "主播": "网络主播",
    },
    "employment_status": {"下岗": "待（下）岗", "待岗": "待（下）岗", "内退": "退养（内退）"},
}  # fmt: skip


def code_lookup(db: Database, categories: list[str] | None = None) -> dict[str, dict[str, str]]:
    """category → {code, normalised label, synonym → code}, for FieldSpec.clean."""
    from unionsdesk.fields import normalize_label

    wanted = categories or list(CATEGORIES)
    out: dict[str, dict[str, str]] = {c: {} for c in wanted}
    with db.reading() as s:
        rows = s.execute(
            select(CodeEntry.category, CodeEntry.code, CodeEntry.label)
            .where(CodeEntry.category.in_(wanted))
            .order_by(CodeEntry.active.desc())
        ).all()
    # an inactive value (a list the provincial template replaced, e.g. 学历 研究生) is no
    # longer offered but still read from old rosters; an active one wins a shared spelling
    for category, code, label in rows:
        table = out[category]
        table.setdefault(normalize_label(code), code)
        table.setdefault(normalize_label(label), code)
        if category == "ethnicity" and label.endswith("族") and len(label) >= 2:
            table.setdefault(normalize_label(label[:-1]), code)  # 汉 → 汉族
    for category, synonyms in SYNONYMS.items():
        if category in out:
            table = out[category]
            for other, label in synonyms.items():
                code = table.get(normalize_label(label))
                if code is not None:
                    table.setdefault(normalize_label(other), code)
    return out


def label_maps(db: Database, categories: list[str] | None = None) -> dict[str, dict[str, str]]:
    """category → {code → label} (inactive codes too: old records still show them)."""
    with db.reading() as s:
        return session_label_maps(s, categories)


def session_label_maps(
    s: Session, categories: list[str] | None = None
) -> dict[str, dict[str, str]]:
    """`label_maps` inside a session the caller already has."""
    return code_labels(s, list(CATEGORIES) if categories is None else categories)
