"""FieldSpecs of the sites work area: 阵地, inspections, 对下项目补助, 经费拨缴,
专用收据 and 会费 (DOMAIN.md §7, §8)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from unionsdesk.domain.money import from_fen, to_fen
from unionsdesk.domain.readers import strip_spaces, to_halfwidth
from unionsdesk.fields import CodeLookup, EntitySpec, FieldSpec, Kind, person_name

SITE_KINDS = ("工会驿站", "职工之家", "职工书屋", "职工活动室", "母婴室", "职工服务中心")
SITE_LEVELS = ("全国", "省级", "市级", "县级")
BUILD_MODES = ("自建", "共建")
FACILITIES = (
    "饮水机", "微波炉", "空调/取暖", "桌椅/沙发", "充电", "应急药箱", "雨具", "图书", "卫生间",
    "冰箱", "WiFi",
)  # fmt: skip
SITE_STATUSES = ("正常", "停用")
GRANT_KINDS = ("职工之家", "职工书屋", "工会驿站", "帮扶", "活动", "其他")
GRANT_STATUSES = ("申报", "已批准", "不予批准", "拨付中", "已验收", "已完成", "已撤销")
ACCEPTANCE_RESULTS = ("合格", "整改", "不合格")
DUES_ROUNDING = ("分", "角", "元")

# China's bounding box (with the South China Sea islands): a point outside is a typo
# (latitude and longitude swapped, a sign lost, degrees-minutes pasted as decimals).
LNG_RANGE = (73.4, 135.1)
LAT_RANGE = (3.8, 53.6)

_WAN = re.compile(r"^(-?(?:[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+))万(?:元)?$")


def read_money(raw: object) -> int:
    """Yuan typed by a clerk as fen: "125000", "¥125,000.00", "12.5万" (= 125000.00)
    and "12.5万元". Vague amounts ("约十万", "十万左右") are refused with the reason."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return to_fen(raw)
    if isinstance(raw, Decimal):
        return to_fen(raw)
    if isinstance(raw, float):
        return to_fen(Decimal(str(raw)))
    text = strip_spaces(to_halfwidth(str(raw)))
    if any(word in text for word in ("约", "左右", "大概", "多", "余", "几")) or re.search(
        "[一二三四五六七八九十百千两]", text
    ):
        raise ValueError(f"“{str(raw).strip()}”不是确切金额，请填写数字，如 125000 或 12.5万")
    m = _WAN.match(text)
    if m:
        try:
            value = Decimal(m.group(1).replace(",", "")) * 10000
        except InvalidOperation:
            raise ValueError(f"金额格式不正确：“{str(raw).strip()}”") from None
        return to_fen(value)
    if text.endswith("元"):
        text = text[:-1]
    return to_fen(text)


@dataclass(frozen=True)
class Money(FieldSpec):
    """A money field (kind "money") that also reads "12.5万" as 125000.00 and refuses
    vague amounts ("约十万") with the reason: in forms (which show the amount back as
    125000.00 for the clerk to confirm), imports and services alike."""

    kind: Kind = "money"

    def clean(self, raw: object, codes: CodeLookup | None = None) -> Any:
        if isinstance(raw, str) and raw.strip():
            raw = str(from_fen(read_money(raw)))  # ValueError: the clerk's reason
        return super().clean(raw, codes)


def _not_negative(value: int) -> int:
    if value < 0:
        raise ValueError("不能为负数")
    return value


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError("应大于零")
    return value


def _longitude(value: str) -> float:
    return _degrees(value, LNG_RANGE, "经度")


def _latitude(value: str) -> float:
    return _degrees(value, LAT_RANGE, "纬度")


def _degrees(value: str, bounds: tuple[float, float], what: str) -> float:
    text = strip_spaces(to_halfwidth(str(value))).rstrip("°")
    try:
        deg = float(text)
    except ValueError:
        raise ValueError(f"{what}应为小数形式的度数，如 115.0123") from None
    low, high = bounds
    if not low <= deg <= high:
        raise ValueError(
            f"{what} {deg:g} 不在中国境内（应在 {low:g} 到 {high:g} 之间），请检查是否把经度和纬度填反"
        )
    return round(deg, 6)


def _facilities(value: str) -> str:
    parts = [p for p in re.split(r"[,，、;；\s]+", value) if p]
    unknown = [p for p in parts if p not in FACILITIES]
    if unknown:
        raise ValueError(f"不认识的设施：{'、'.join(unknown)}（可选：{'、'.join(FACILITIES)}）")
    return ",".join(p for p in FACILITIES if p in parts)


def _year(value: int) -> int:
    if not 1949 <= value <= 2100:
        raise ValueError("年份应在 1949 到 2100 之间")
    return value


def _month(value: int) -> int:
    if not 1 <= value <= 12:
        raise ValueError("月份应为 1 到 12")
    return value


SITE = EntitySpec(
    "site",
    "阵地",
    (
        FieldSpec("kind", "类型", required=True, choices=SITE_KINDS, width=10, aliases=("阵地类型",)),
        FieldSpec("code", "编号", max_length=40, width=10, aliases=("站点编号",)),
        FieldSpec("name", "名称", required=True, max_length=200, width=24, aliases=("阵地名称", "站点名称")),
        FieldSpec("unit", "所属工会", max_length=200, width=20, aliases=("工会",)),
        FieldSpec("host_unit", "依托单位", max_length=200, width=18, aliases=("所在单位", "单位")),
        FieldSpec("township", "乡镇(街道)", max_length=60, width=10, aliases=("乡镇", "所在乡镇")),
        FieldSpec("address", "地址", max_length=300, width=24),
        FieldSpec("longitude", "经度", validator=_longitude, width=10),
        FieldSpec("latitude", "纬度", validator=_latitude, width=10),
        FieldSpec("build_mode", "建设方式", choices=BUILD_MODES, width=8),
        FieldSpec("open_hours", "开放时间", max_length=60, width=12),
        FieldSpec("open_24h", "24小时开放", kind="bool", width=8),
        FieldSpec("area", "面积(㎡)", kind="int", validator=_not_negative, width=8, aliases=("面积",)),
        FieldSpec("facilities", "设施", max_length=300, validator=_facilities, width=20),
        FieldSpec("manager", "管理员", max_length=50, validator=person_name, width=8),
        FieldSpec("manager_phone", "管理员电话", kind="phone", width=13, aliases=("联系电话", "电话")),
        FieldSpec("built_on", "建成日期", kind="date", width=11),
        Money("investment", "投入金额", validator=_not_negative, width=12),
        FieldSpec("visits_per_month", "服务人次/月", kind="int", validator=_not_negative, width=8),
        FieldSpec("level", "级别", choices=SITE_LEVELS, width=6, aliases=("示范级别", "命名级别")),
        FieldSpec("year_named", "命名年度", kind="int", validator=_year, width=8),
        Money("assets", "资产", validator=_not_negative, width=12),
        FieldSpec("books", "藏书(册)", kind="int", validator=_not_negative, width=8),
        FieldSpec("review_result", "年度考核", max_length=40, width=10),
        FieldSpec("honours", "荣誉", max_length=300, width=20),
        FieldSpec("status", "状态", choices=SITE_STATUSES, width=6),
        FieldSpec("notes", "备注", kind="text", width=20),
    ),
)  # fmt: skip

INSPECTION = EntitySpec(
    "inspection",
    "检查记录",
    (
        FieldSpec("inspected_on", "检查日期", kind="date", required=True, width=11),
        FieldSpec("inspector", "检查人", required=True, max_length=100, width=12),
        FieldSpec("conclusion", "结论", max_length=200, width=20),
    ),
)

GRANT = EntitySpec(
    "grant",
    "补助项目",
    (
        FieldSpec("unit", "申报单位", required=True, max_length=200, width=22, aliases=("申报工会",)),
        FieldSpec("name", "项目名称", required=True, max_length=200, width=24),
        FieldSpec("kind", "类型", required=True, choices=GRANT_KINDS, width=8, aliases=("项目类型",)),
        FieldSpec("content", "建设内容", kind="text", width=24),
        Money("total_budget", "总预算", required=True, validator=_not_negative, width=12),
        Money("self_funded", "自筹", validator=_not_negative, width=12, aliases=("自筹资金",)),
        Money("requested", "申请补助", required=True, validator=_positive, width=12, aliases=("申请金额",)),
        FieldSpec("applied_on", "申报日期", kind="date", required=True, width=11),
        FieldSpec("contact", "联系人", max_length=50, width=8),
        FieldSpec("contact_phone", "联系电话", kind="phone", width=13),
    ),
)  # fmt: skip

GRANT_APPROVAL = EntitySpec(
    "grant_approval",
    "审批",
    (
        FieldSpec("approval_ref", "会议/文号", required=True, max_length=100, width=16),
        Money("approved_amount", "批准金额", required=True, validator=_not_negative, width=12),
        FieldSpec("approver", "审批人", required=True, max_length=50, width=8),
        FieldSpec("approved_on", "批准日期", kind="date", required=True, width=11),
    ),
)  # fmt: skip

GRANT_PAYMENT = EntitySpec(
    "grant_payment",
    "拨付",
    (
        FieldSpec("paid_on", "拨付日期", kind="date", required=True, width=11),
        Money("amount", "拨付金额", required=True, validator=_positive, width=12),
        FieldSpec("voucher_no", "凭证号", max_length=60, width=12),
    ),
)

GRANT_ACCEPTANCE = EntitySpec(
    "grant_acceptance",
    "验收",
    (
        FieldSpec("accepted_on", "验收日期", kind="date", required=True, width=11),
        FieldSpec("acceptance_by", "验收人", required=True, max_length=100, width=12),
        FieldSpec("acceptance_result", "验收结论", required=True, choices=ACCEPTANCE_RESULTS, width=8),
        Money("actual_investment", "实际投入", validator=_not_negative, width=12),
        FieldSpec("acceptance_note", "验收意见", kind="text", width=24),
    ),
)  # fmt: skip

LEVY = EntitySpec(
    "levy",
    "拨缴经费",
    (
        FieldSpec("payer_name", "缴费单位", required=True, max_length=200, width=24, aliases=("单位名称", "工会", "缴款单位")),
        FieldSpec("credit_code", "统一社会信用代码", max_length=18, width=20),
        FieldSpec("township", "乡镇(街道)", max_length=60, width=10, aliases=("乡镇", "所在乡镇")),
        FieldSpec("preparatory", "筹备金", kind="bool", width=6, aliases=("是否筹备金",)),
        FieldSpec("year", "年度", kind="int", required=True, validator=_year, width=6),
        FieldSpec("month", "月份", kind="int", required=True, validator=_month, width=5),
        Money("wage_total", "工资总额", required=True, validator=_not_negative, width=14),
        Money("paid", "实缴", validator=_not_negative, width=12, aliases=("实缴金额",)),
        FieldSpec("paid_on", "缴费日期", kind="date", width=11),
        FieldSpec("tax_collected", "税务代收", kind="bool", width=6),
        FieldSpec("notes", "备注", max_length=200, width=16),
    ),
)  # fmt: skip

FUND_RECEIPT = EntitySpec(
    "fund_receipt",
    "专用收据",
    (
        FieldSpec("number", "票号", kind="int", required=True, validator=_positive, width=10),
        FieldSpec("issued_on", "日期", kind="date", required=True, width=11),
        FieldSpec("payer_name", "缴款单位", required=True, max_length=200, width=24),
        FieldSpec("period", "所属期", required=True, max_length=40, width=12),
        Money("wage_total", "工资总额", validator=_not_negative, width=14),
        Money("due", "应缴", validator=_not_negative, width=12),
        Money("paid", "实缴", required=True, validator=_not_negative, width=12),
        FieldSpec("shares", "分成", max_length=300, width=20),
    ),
)  # fmt: skip

DUES_BASE = EntitySpec(
    "dues",
    "会费工资基数",
    (
        FieldSpec("name", "姓名", max_length=60, validator=person_name, width=10),
        FieldSpec("id_number", "身份证号", kind="idno", required=True, width=20, masked=True,
                  aliases=("身份证号码", "公民身份号码")),
        Money("wage_base", "工资基数", required=True, validator=_not_negative, width=12,
                  aliases=("月工资", "工资", "月工资收入", "缴费基数")),
        FieldSpec("method", "缴纳方式", max_length=20, width=8),
    ),
)  # fmt: skip

DUES = EntitySpec(
    "dues",
    "会费",
    (
        FieldSpec("name", "姓名", required=True, max_length=60, validator=person_name, width=10),
        FieldSpec("id_number", "身份证号", kind="idno", required=True, width=20, masked=True,
                  aliases=("身份证号码", "公民身份号码")),
        FieldSpec("unit", "工会", max_length=200, width=20, aliases=("所在工会", "基层工会")),
        FieldSpec("year", "年度", kind="int", required=True, validator=_year, width=6),
        FieldSpec("month", "月份", kind="int", required=True, validator=_month, width=5),
        Money("wage_base", "工资基数", required=True, validator=_not_negative, width=12,
                  aliases=("月工资", "工资", "月工资收入", "缴费基数")),
        FieldSpec("paid", "已缴", kind="bool", width=6),
        FieldSpec("method", "缴纳方式", max_length=20, width=8),
    ),
)  # fmt: skip


def as_form(spec: EntitySpec, values: Mapping[str, object]) -> dict[str, object]:
    """Clean values (money in fen) as a form or ``EntitySpec.clean`` takes them (yuan)."""
    out = dict(values)
    for f in spec.fields:
        v = out.get(f.name)
        if f.kind == "money" and isinstance(v, int) and not isinstance(v, bool):
            out[f.name] = str(from_fen(v))
    return out
