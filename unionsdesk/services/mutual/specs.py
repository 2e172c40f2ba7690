"""FieldSpecs of the mutual-aid area (DOMAIN.md §5)."""

from __future__ import annotations

import re

from unionsdesk.domain.money import from_fen, to_fen
from unionsdesk.fields import ID_ALIASES, EntitySpec, FieldSpec, person_name

CLAIM_TYPES = (
    "意外身故",
    "意外伤残",
    "意外医疗",
    "住院医疗",
    "重大疾病",
    "女职工特殊疾病",
    "子女意外",
)
CLAIM_STATUSES = ("受理", "审核", "已给付", "拒付")
# 申请材料 per claim type (DOMAIN.md §5): diagnosis papers from a hospital rated 二级 or above.
_COMMON = ("给付申请书", "身份证复印件")
MATERIALS: dict[str, tuple[str, ...]] = {
    "意外身故": (*_COMMON, "单位事故证明", "死亡证明", "户籍注销证明"),
    "意外伤残": (*_COMMON, "单位事故证明", "伤残鉴定书", "二级以上医院诊断证明"),
    "意外医疗": (*_COMMON, "单位事故证明", "二级以上医院诊断证明", "医疗费用票据"),
    "住院医疗": (*_COMMON, "出院小结", "医保结算单", "医疗费用票据"),
    "重大疾病": (*_COMMON, "二级以上医院诊断证明", "病理检查报告"),
    "女职工特殊疾病": (*_COMMON, "二级以上医院诊断证明", "病理检查报告"),
    "子女意外": (*_COMMON, "单位事故证明", "户口簿或出生证明", "二级以上医院诊断证明"),
}
ALL_MATERIALS = tuple(dict.fromkeys(m for ms in MATERIALS.values() for m in ms))

_PAIR = re.compile(r"[;；\n]+")
_ITEM = re.compile(r"(.+?)\s*[=:：]\s*(.+)")


def parse_benefits(value: str) -> dict[str, int]:
    """ "意外身故=10000；意外医疗=1000" (yuan per share) → {type: fen}."""
    out: dict[str, int] = {}
    for part in (p.strip() for p in _PAIR.split(value)):
        if not part:
            continue
        m = _ITEM.fullmatch(part)
        if m is None:
            raise ValueError(f"给付标准“{part}”应写成“类型=金额”，如“意外身故=10000”")
        kind, amount = m.group(1).strip(), m.group(2)
        if kind not in CLAIM_TYPES:
            raise ValueError(f"给付类型“{kind}”不在列表中，可选：{'、'.join(CLAIM_TYPES)}")
        try:
            fen = to_fen(amount.strip())
        except ValueError as exc:
            raise ValueError(f"{kind}的给付标准：{exc}") from None
        if fen <= 0:
            raise ValueError(f"{kind}的给付标准应大于0")
        out[kind] = fen
    if not out:
        raise ValueError("请至少填写一项给付标准，如“意外身故=10000”")
    return out


def benefits_text(benefits: dict[str, int]) -> str:
    return "；".join(f"{k}={_yuan(v)}" for k, v in benefits.items())


def _yuan(fen: int) -> str:
    """1000000 → "10000", 100050 → "1000.5" (as a clerk types it)."""
    text = f"{from_fen(fen):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _benefits(value: str) -> str:
    return benefits_text(parse_benefits(value))


def _materials(value: str) -> str:
    parts = [p for p in re.split(r"[,，、;；\s]+", value) if p]
    unknown = [p for p in parts if p not in ALL_MATERIALS]
    if unknown:
        raise ValueError(f"材料“{'、'.join(unknown)}”不在清单中")
    return "、".join(m for m in ALL_MATERIALS if m in parts)


def _percent(value: int) -> int:
    if not 0 < value <= 100:
        raise ValueError("应为1到100之间的百分数")
    return value


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError("应大于0")
    return value


PLAN = EntitySpec(
    "mutual_plan",
    "互助保障计划",
    (
        FieldSpec("name", "计划名称", required=True, max_length=100, width=24),
        FieldSpec(
            "term_months", "保障期（月）", kind="int", required=True, validator=_positive, width=8
        ),
        FieldSpec("fee", "每份互助费", kind="money", required=True, width=10),
        FieldSpec(
            "benefits",
            "给付标准（每份，元）",
            kind="text",
            required=True,
            validator=_benefits,
            width=30,
            placeholder="类型=金额，用分号或换行分隔，如：意外身故=10000；意外医疗=1000",
        ),
        FieldSpec("women_only", "限女职工", kind="bool", width=6),
        FieldSpec("min_insured", "单位最少参保人数", kind="int", validator=_positive, width=8),
        FieldSpec("min_share", "最低参保比例（%）", kind="int", validator=_percent, width=8),
        FieldSpec("valid_until", "停止受理日期", kind="date", width=11),
        FieldSpec("notes", "备注", kind="text", width=20),
    ),
)

ENROLMENT = EntitySpec(
    "mutual_enrolment",
    "参保登记",
    (
        FieldSpec(
            "unit",
            "参保单位",
            required=True,
            max_length=200,
            width=24,
            aliases=("单位名称", "工会名称"),
        ),
        FieldSpec("plan", "计划", required=True, max_length=100, width=20),
        FieldSpec("period", "期别（年）", kind="int", required=True, width=6),
        FieldSpec("starts_on", "保障起期", kind="date", width=11),
        FieldSpec("paid_on", "缴费日期", kind="date", width=11),
        FieldSpec("notes", "备注", kind="text", width=20),
    ),
)

INSURED = EntitySpec(
    "mutual_insured",
    "参保人员名单",
    (
        FieldSpec("name", "姓名", required=True, max_length=60, validator=person_name, width=10,
                  aliases=("参保人", "职工姓名")),
        FieldSpec("id_number", "身份证号", kind="idno", required=True, width=20, masked=True, aliases=ID_ALIASES),
        FieldSpec("shares", "份数", kind="int", required=True, validator=_positive, width=6,
                  aliases=("参保份数", "购买份数")),
        FieldSpec("union", "工作单位", max_length=200, width=24, aliases=("单位", "所在单位", "参保单位")),
    ),
)  # fmt: skip

CLAIM = EntitySpec(
    "mutual_claim",
    "理赔/给付",
    (
        FieldSpec("name", "姓名", required=True, max_length=60, validator=person_name, width=10),
        FieldSpec("id_number", "身份证号", kind="idno", required=True, width=20, masked=True, aliases=ID_ALIASES),
        FieldSpec("plan", "计划", required=True, max_length=100, width=20),
        FieldSpec("claim_type", "给付类型", required=True, choices=CLAIM_TYPES, width=10),
        FieldSpec("disability_grade", "伤残等级", kind="int", width=6),
        FieldSpec("incident_on", "事故/诊断日期", kind="date", required=True, width=11),
        FieldSpec("received_on", "受理日期", kind="date", required=True, width=11),
        FieldSpec("materials", "已收材料", max_length=400, validator=_materials, width=30,
                  placeholder="用顿号分隔，如：给付申请书、身份证复印件、单位事故证明"),
        FieldSpec("requested", "申请金额", kind="money", required=True, width=10),
        FieldSpec("approved", "核定金额", kind="money", width=10),
        FieldSpec("status", "办理状态", choices=CLAIM_STATUSES, width=8),
        FieldSpec("reject_reason", "拒付原因", max_length=200, width=16),
        FieldSpec("paid_on", "给付日期", kind="date", width=11),
        FieldSpec("notes", "备注", kind="text", width=20),
    ),
)  # fmt: skip
