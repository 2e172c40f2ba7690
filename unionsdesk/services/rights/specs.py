"""FieldSpecs of the rights area (DOMAIN.md §6): forms, lists, import and export."""

from __future__ import annotations

import re

from unionsdesk.fields import ID_ALIASES, EntitySpec, FieldSpec, person_name

REQUEST_MODES = ("书面", "口头")
DISPUTE_TYPES = (
    "确认劳动关系",
    "订立/履行/变更/解除/终止合同",
    "除名辞退辞职离职",
    "工时休假",
    "社会保险",
    "福利培训劳动保护",
    "劳动报酬",
    "工伤医疗费",
    "经济补偿/赔偿金",
    "其他",
)
RESULTS = ("达成协议", "未达成", "撤回", "转仲裁")
MEDIATOR_ROLES = ("主任", "副主任", "委员", "调解员")
AID_MODES = ("咨询", "代书", "代理调解", "代理仲裁", "代理诉讼")
CHANNELS = ("来信", "来访", "电话", "网络", "座谈会", "职代会提案", "其他")
SUGGESTION_CATEGORIES = ("工资待遇", "劳动安全", "社会保险", "民主管理", "生活福利", "其他")
SATISFACTION = ("满意", "基本满意", "不满意")

_SEPARATORS = re.compile(r"[,，、;；\s]+")


def dispute_types(value: str) -> str:
    """ "劳动报酬，工伤医疗费" → "劳动报酬、工伤医疗费" (the list's order); unknown types refused."""
    parts = [p for p in _SEPARATORS.split(value) if p]
    unknown = [p for p in parts if p not in DISPUTE_TYPES]
    if unknown:
        raise ValueError(
            f"争议类型“{'、'.join(unknown)}”不在列表中，可选：{'、'.join(DISPUTE_TYPES)}"
        )
    return "、".join(t for t in DISPUTE_TYPES if t in parts)


def credit_code(value: str) -> str:
    from unionsdesk.domain.creditcode import parse

    return parse(value)


def _name(label: str, aliases: tuple[str, ...] = ()) -> FieldSpec:
    return FieldSpec(
        "name", label, required=True, max_length=60, validator=person_name, width=10,
        aliases=aliases,
    )  # fmt: skip


_ID = FieldSpec(
    "id_number", "身份证号", kind="idno", required=True, width=20, masked=True, aliases=ID_ALIASES
)

DISPUTE = EntitySpec(
    "dispute",
    "劳动争议调解",
    (
        FieldSpec("received_on", "受理日期", kind="date", required=True, width=11),
        FieldSpec("request_mode", "申请方式", required=True, choices=REQUEST_MODES, width=8),
        _name("申请人", ("申请人姓名",)),
        _ID,
        FieldSpec("phone", "电话", kind="phone", width=13, masked=True, aliases=("联系电话",)),
        FieldSpec("job", "岗位", max_length=100, width=10),
        FieldSpec(
            "respondent",
            "被申请人（单位）",
            required=True,
            max_length=200,
            width=24,
            aliases=("被申请人", "被申请单位"),
        ),
        FieldSpec(
            "respondent_code", "统一社会信用代码", max_length=18, validator=credit_code, width=20
        ),
        FieldSpec("respondent_rep", "法定代表人", max_length=50, width=8),
        FieldSpec(
            "dispute_types",
            "争议类型",
            required=True,
            max_length=200,
            validator=dispute_types,
            placeholder="可多选，用顿号分隔，如：劳动报酬、经济补偿/赔偿金",
            width=16,
        ),
        FieldSpec("collective", "集体争议", kind="bool", width=6),
        FieldSpec("people_involved", "涉及人数", kind="int", width=6),
        FieldSpec("claim_amount", "涉案金额", kind="money", width=12),
        FieldSpec("request", "申请事项", kind="text", width=30),
        FieldSpec("facts", "事实和理由", kind="text", width=30),
        FieldSpec("mediator", "调解员", max_length=60, width=8),
        FieldSpec("result", "结果", choices=RESULTS, width=8),
        FieldSpec("agreement_amount", "协议金额", kind="money", width=12),
        FieldSpec("agreement_terms", "协议内容", kind="text", width=30),
        FieldSpec("closed_on", "结案日期", kind="date", width=11),
        FieldSpec("performance", "履行情况", max_length=200, width=14),
        FieldSpec("notes", "备注", kind="text", width=20),
    ),
)

MEDIATOR = EntitySpec(
    "mediator",
    "调解委员会成员",
    (
        _name("姓名"),
        FieldSpec("role", "职务", required=True, choices=MEDIATOR_ROLES, width=8),
        FieldSpec("unit", "工作单位", max_length=200, width=20),
        FieldSpec("phone", "电话", kind="phone", width=13),
        FieldSpec("term_start", "任期开始", kind="date", required=True, width=11),
        FieldSpec("term_end", "任期结束", kind="date", required=True, width=11),
        FieldSpec("notes", "备注", kind="text", width=20),
    ),
)

LEGAL_AID = EntitySpec(
    "legal_aid",
    "法律援助",
    (
        FieldSpec("received_on", "受理日期", kind="date", required=True, width=11),
        _name("受援人"),
        _ID,
        FieldSpec("cause", "案由", required=True, max_length=200, width=20),
        FieldSpec("mode", "援助方式", required=True, choices=AID_MODES, width=8),
        FieldSpec("lawyer", "承办律师", max_length=60, width=8),
        FieldSpec("result", "结果", max_length=200, width=16),
        FieldSpec("recovered", "挽回金额", kind="money", width=12),
        FieldSpec("closed_on", "结案日期", kind="date", width=11),
        FieldSpec("notes", "备注", kind="text", width=20),
    ),
)

SERVICE_DAY = EntitySpec(
    "service_day",
    "三师一室服务记录",
    (
        FieldSpec("on", "服务日期", kind="date", required=True, width=11, aliases=("日期",)),
        FieldSpec(
            "place",
            "地点（乡镇）",
            required=True,
            max_length=60,
            width=10,
            aliases=("地点", "乡镇"),
        ),
        FieldSpec(
            "service_type",
            "服务类型",
            kind="code",
            code_category="rights_service",
            required=True,
            width=16,
        ),
        FieldSpec("target", "服务对象", max_length=200, width=16),
        FieldSpec("matter", "事项", required=True, max_length=300, width=24),
        FieldSpec("result", "结果", max_length=300, width=16),
        FieldSpec("server", "服务人", max_length=100, width=10),
        FieldSpec("people", "服务人次", kind="int", width=6),
    ),
)

SUGGESTION = EntitySpec(
    "suggestion",
    "职工意见建议",
    (
        FieldSpec("received_on", "收到日期", kind="date", required=True, width=11),
        FieldSpec("proposer", "提出人", required=True, max_length=60, width=10),
        FieldSpec("unit", "单位", max_length=200, width=20),
        FieldSpec("channel", "渠道", choices=CHANNELS, width=8),
        FieldSpec("category", "分类", choices=SUGGESTION_CATEGORIES, width=8),
        FieldSpec("content", "内容", kind="text", required=True, width=30),
        FieldSpec("referred_to", "转办部门", max_length=100, width=12),
        FieldSpec("reply", "答复", kind="text", width=24),
        FieldSpec("closed_on", "办结日期", kind="date", width=11),
        FieldSpec("satisfaction", "满意度", choices=SATISFACTION, width=8),
    ),
)
