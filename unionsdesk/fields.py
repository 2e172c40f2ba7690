"""FieldSpec: the single description of every entity's fields.

One ``EntitySpec`` per entity drives the GUI form, the table columns, the
Excel import header matching, the export header and printed columns.
``EntitySpec.clean`` turns raw values (typed, pasted or read from Excel)
into clean ones, or raises ``ValidationError`` with every field's reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from unionsdesk.domain import idcard
from unionsdesk.domain.money import to_fen
from unionsdesk.domain.readers import read_bool, read_date, read_int, read_phone
from unionsdesk.errors import ValidationError

# category → {code or normalised label/synonym → code}; see services.codes.code_lookup
CodeLookup = Mapping[str, Mapping[str, str]]

Kind = Literal["str", "text", "int", "bool", "date", "code", "phone", "password", "money", "idno"]


def normalize_label(value: str) -> str:
    """How labels and header names are compared: no spaces, half-width, case-folded."""
    from unionsdesk.domain.readers import to_halfwidth

    return "".join(to_halfwidth(value).split()).casefold()


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


# Sane ranges every field gets unless its spec says otherwise (see FieldSpec).
DEFAULT_MAX_INT = 10_000_000
DEFAULT_MAX_FEN = 100_000_000_000  # 10亿元
EARLIEST_DATE = date(1900, 1, 1)
DEFAULT_DAYS_AHEAD = 3660  # about ten years: plans, terms and insurance periods

# Characters no clerk types on purpose and that nobody sees: C0 controls (tab, line feed
# and carriage return excepted), DEL and C1 controls, and the bidirectional marks,
# embeddings, overrides and isolates (U+202E turns "张三" round on screen).
_INVISIBLE_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def control_character_problem(label: str, text: str) -> str | None:
    """Why ``text`` may not be stored: the first invisible control character and its
    position, or None. 生僻字 (U+20000 and up) and ordinary punctuation are fine."""
    m = _INVISIBLE_CONTROL.search(text)
    if m is None:
        return None
    return (
        f"“{label}”第{m.start() + 1}个字符处含有不可见控制字符（U+{ord(m.group()):04X}），"
        "请删除后重新输入"
    )


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}元"


@dataclass(frozen=True)
class FieldSpec:
    """One field: how it is labelled, entered, checked, shown and exported.

    Ranges (checked by ``clean``, so forms, imports and services share them):

    - ``int`` and ``money``: ``min_value`` (default 0; None: no lower bound) and
      ``max_value`` (None: the kind's default, `DEFAULT_MAX_INT` or `DEFAULT_MAX_FEN`).
      Money bounds are in fen (分): ``max_value=100_000_00`` is 10万元.
    - ``date``: ``earliest`` (default 1900-01-01) and ``days_ahead``, how many days after
      today a date may be (default `DEFAULT_DAYS_AHEAD`, about ten years; 0: not in the
      future, for things that have happened — births, 入会, 建档; None: no upper bound).
    - every text kind: no invisible control characters (`control_character_problem`).

    Rules across fields (入会 after birth) are the ``rules`` of the ``EntitySpec``.
    """

    name: str
    label: str
    kind: Kind = "str"
    required: bool = False
    max_length: int | None = None
    code_category: str | None = None  # choices come from this code table
    validator: Callable[[Any], Any] | None = None  # returns the clean value or raises ValueError
    width: int = 12  # column width in characters (tables, Excel)
    masked: bool = False  # hidden on 公示 copies and for roles without pii.view
    aliases: tuple[str, ...] = ()  # other header spellings seen in Excel files
    placeholder: str = ""
    choices: tuple[str, ...] = ()  # fixed choices when no code table applies
    min_value: int | None = 0  # int/money (fen); None: no lower bound
    max_value: int | None = None  # int/money (fen); None: the kind's default cap
    earliest: date = EARLIEST_DATE  # date
    days_ahead: int | None = DEFAULT_DAYS_AHEAD  # date: 0 not in the future; None: no bound

    def clean(self, raw: object, codes: CodeLookup | None = None) -> Any:
        """Clean one value; raises ValueError with a Chinese reason.

        With ``codes``, a code-table field accepts the code or its label (or a
        known synonym) and returns the code.
        """
        if _is_blank(raw):
            if self.required:
                raise ValueError(f"“{self.label}”必须填写")
            return False if self.kind == "bool" else None
        if isinstance(raw, str):
            problem = control_character_problem(self.label, raw)
            if problem is not None:
                raise ValueError(problem)
        value: Any = raw
        if self.kind in ("str", "text", "password", "code"):
            value = str(raw) if self.kind in ("text", "password") else " ".join(str(raw).split())
        elif self.kind == "int":
            value = read_int(raw)
        elif self.kind == "bool":
            value = read_bool(raw)
        elif self.kind == "date":
            value = read_date(raw)
        elif self.kind == "phone":
            value = read_phone(raw)
        elif self.kind == "money":
            value = to_fen(str(raw))
        elif self.kind == "idno":
            value = idcard.parse(str(raw)).number
        return self.finish(value, codes)

    def finish(self, value: Any, codes: CodeLookup | None = None) -> Any:
        """The checks of `clean` once ``value`` has the field's form (the code table,
        choices, length, range, validator); raises ValueError with a Chinese reason.

        The importer calls it directly for a cell that `clean` would only have passed
        through (a plain string in a text field)."""
        if self.kind == "code" and self.code_category and codes is not None:
            table = codes.get(self.code_category, {})
            found = table.get(normalize_label(value))
            if found is None:
                raise ValueError(f"“{self.label}”的值“{value}”不在字典中，请从下拉列表中选择")
            value = found
        if self.choices and value not in self.choices:
            raise ValueError(f"“{self.label}”只能是：{'、'.join(self.choices)}")
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise ValueError(f"“{self.label}”最多{self.max_length}个字，现有{len(value)}个")
        self.check_range(value)
        if self.validator is not None:
            value = self.validator(value)
        return value

    def bounds(self) -> tuple[Any, Any]:
        """(lowest, highest) value allowed, None for no bound; for int, money and date."""
        if self.kind == "int":
            return self.min_value, DEFAULT_MAX_INT if self.max_value is None else self.max_value
        if self.kind == "money":
            return self.min_value, DEFAULT_MAX_FEN if self.max_value is None else self.max_value
        if self.kind == "date":
            latest = None
            if self.days_ahead is not None:
                latest = date.today() + timedelta(days=self.days_ahead)
            return self.earliest, latest
        return None, None

    def check_range(self, value: Any) -> None:
        """Raise ValueError when ``value`` (already clean) is outside `bounds`."""
        if self.kind not in ("int", "money", "date") or value is None:
            return
        low, high = self.bounds()
        if self.kind == "date":
            if low is not None and value < low:
                raise ValueError(f"“{self.label}”不能早于{low:%Y-%m-%d}")
            if high is not None and value > high:
                if self.days_ahead == 0:
                    raise ValueError(f"“{self.label}”不能晚于今天（{high:%Y-%m-%d}）")
                raise ValueError(f"“{self.label}”不能晚于{high:%Y-%m-%d}")
            return
        show = _yuan if self.kind == "money" else (lambda n: f"{n:,}")
        if low is not None and value < low:
            if low == 0:
                raise ValueError(f"“{self.label}”不能为负数")
            raise ValueError(f"“{self.label}”不能小于{show(low)}")
        if high is not None and value > high:
            raise ValueError(f"“{self.label}”不能超过{show(high)}")


# A rule across fields: gets the clean values of a record, returns field → reason
# for what is wrong (empty when nothing is). Fields it needs may be missing or None.
Rule = Callable[[Mapping[str, Any]], Mapping[str, str]]


@dataclass(frozen=True)
class EntitySpec:
    name: str
    label: str
    fields: tuple[FieldSpec, ...]
    by_name: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)
    rules: tuple[Rule, ...] = ()  # checked by clean and by the importer once every field is clean

    def check_rules(self, clean: Mapping[str, Any]) -> dict[str, str]:
        errors: dict[str, str] = {}
        for rule in self.rules:
            for name, reason in rule(clean).items():
                errors.setdefault(name, reason)
        return errors

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def __getitem__(self, name: str) -> FieldSpec:
        return self.by_name[name]

    def clean(
        self,
        raw: Mapping[str, object],
        only: Iterable[str] | None = None,
        codes: CodeLookup | None = None,
    ) -> dict[str, Any]:
        """Clean every field (or those in ``only``); collect all reasons at once."""
        names = list(only) if only is not None else [f.name for f in self.fields]
        out: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name in names:
            spec = self.by_name[name]
            try:
                out[name] = spec.clean(raw.get(name), codes)
            except ValueError as exc:
                msg = str(exc)
                errors[name] = msg if spec.label in msg else f"{spec.label}：{msg}"
        if not errors:
            errors = self.check_rules(out)
        if errors:
            raise ValidationError(errors)
        return out


def _credit_code(value: str) -> str:
    from unionsdesk.domain.creditcode import parse

    return parse(value)


def _region_code(value: str) -> str:
    if not (value.isascii() and value.isdigit() and len(value) in (6, 9, 12)):
        raise ValueError("行政区划代码应为6位（县级）、9位或12位数字")
    return value


def _login(value: str) -> str:
    if not (value.isascii() and value.replace("_", "").replace(".", "").isalnum()):
        raise ValueError("登录名只能用英文字母、数字、下划线或点")
    return value.lower()


_CJK_GAP = re.compile(
    r"(?<=[\u3400-\u9fff\U00020000-\U0003134f])\s+(?=[\u3400-\u9fff\U00020000-\U0003134f])"
)
_MIDDLE_DOTS = str.maketrans({"・": "·", "•": "·", "．": "·", "‧": "·", "∙": "·"})


def person_name(value: str) -> str:
    """张 三 → 张三 (spaces padded between Chinese characters), 阿依古丽・买买提 → …·…"""
    if value.isalpha():
        return value  # the usual name: no spaces, dots or digits to look at
    name = _CJK_GAP.sub("", value.translate(_MIDDLE_DOTS))
    if any(ch.isdigit() for ch in name):
        raise ValueError("姓名中不应有数字")
    return name


MIN_PASSWORD = 6


def _password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise ValueError(f"密码至少{MIN_PASSWORD}位")
    return value


OFFICE = EntitySpec(
    "office",
    "单位信息",
    (
        FieldSpec("name", "单位名称", required=True, max_length=200, width=30),
        FieldSpec(
            "credit_code", "统一社会信用代码", max_length=18, validator=_credit_code, width=20
        ),
        FieldSpec("region_code", "行政区划代码", max_length=12, validator=_region_code, width=12),
        FieldSpec("address", "地址", max_length=300, width=30),
        FieldSpec("leader", "负责人", max_length=50, width=10),
        FieldSpec("phone", "联系电话", kind="phone", width=14),
    ),
)

USER = EntitySpec(
    "user",
    "用户",
    (
        FieldSpec("login", "登录名", required=True, max_length=64, validator=_login, width=12),
        FieldSpec("display_name", "姓名", required=True, max_length=50, width=10),
        FieldSpec(
            "role",
            "角色",
            kind="code",
            required=True,
            choices=("admin", "clerk", "reviewer", "readonly"),
        ),
        FieldSpec("password", "密码", kind="password", validator=_password),
        FieldSpec("active", "启用", kind="bool", width=6),
    ),
)

CODE_ENTRY = EntitySpec(
    "code_entry",
    "字典项",
    (
        FieldSpec("code", "代码", required=True, max_length=20, width=8),
        FieldSpec("label", "名称", required=True, max_length=100, width=20),
        FieldSpec("sort_order", "排序", kind="int", width=6, min_value=None),
        FieldSpec("active", "启用", kind="bool", width=6),
    ),
)

PRINT_OFFSETS = EntitySpec(
    "print_offsets",
    "套打偏移",
    (
        FieldSpec("offset_x_mm", "水平偏移（毫米，向右为正）", validator=lambda v: _mm(v)),
        FieldSpec("offset_y_mm", "垂直偏移（毫米，向下为正）", validator=lambda v: _mm(v)),
    ),
)


def _mm(value: str) -> float:
    from unionsdesk.domain.readers import to_halfwidth

    try:
        mm = float(to_halfwidth(value).strip())
    except ValueError:
        raise ValueError("偏移量应为数字（毫米），例如 -2.5") from None
    if not -50 <= mm <= 50:
        raise ValueError("偏移量应在 -50 到 50 毫米之间")
    return round(mm, 1)


# --- members and unions ---------------------------------------------------------

ID_ALIASES = (
    "身份证号码",
    "身份证",
    "公民身份号码",
    "公民身份证号码",
    "证件号码",
    "证件号码(填写18位身份证)",
)

MIN_JOIN_AGE = 14  # members are of working age (劳动法: no work under 16, with exceptions)
WARN_JOIN_AGE = 16


def age_on(birth: date, day: date) -> int:
    """Whole years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_of(clean: Mapping[str, Any]) -> date | None:
    """The birth date of a clean record: from its ID number, else its 出生日期."""
    number = clean.get("id_number")
    if number:
        try:
            return idcard.parse(str(number)).birth_date
        except ValueError:
            return None
    found = clean.get("birth_date")
    return found if isinstance(found, date) else None


def _joined_after_birth(clean: Mapping[str, Any]) -> dict[str, str]:
    """入会 after birth."""
    joined, birth = clean.get("joined_on"), birth_of(clean)
    if isinstance(joined, date) and birth is not None and joined < birth:
        return {"joined_on": f"入会日期{joined:%Y-%m-%d}早于出生日期{birth:%Y-%m-%d}"}
    return {}


def _joined_at_working_age(clean: Mapping[str, Any]) -> dict[str, str]:
    """入会 at working age: refused under `MIN_JOIN_AGE` (unless the office's setting
    allows it, see `allowing_young_members`)."""
    joined, birth = clean.get("joined_on"), birth_of(clean)
    if not isinstance(joined, date) or birth is None or joined < birth:
        return {}
    age = age_on(birth, joined)
    if age < MIN_JOIN_AGE:
        return {
            "joined_on": f"入会时只有{age}周岁，会员应为劳动年龄人员（至少{MIN_JOIN_AGE}周岁），请核对入会日期和身份证号"
        }
    return {}


def allowing_young_members(spec: EntitySpec) -> EntitySpec:
    """``spec`` without the refusal under `MIN_JOIN_AGE` (the office allows it in 设置;
    `joining_age_warning` still warns)."""
    return replace(spec, rules=tuple(r for r in spec.rules if r is not _joined_at_working_age))


def joining_age_warning(clean: Mapping[str, Any]) -> str | None:
    """A warning (not an error) for a member who joined under `WARN_JOIN_AGE`."""
    joined, birth = clean.get("joined_on"), birth_of(clean)
    if not isinstance(joined, date) or birth is None or joined < birth:
        return None
    age = age_on(birth, joined)
    if age < WARN_JOIN_AGE:
        return f"入会时未满{WARN_JOIN_AGE}周岁（{age}周岁），请核对"
    return None


MEMBER = EntitySpec(
    "member",
    "会员",
    (  # paper-form order (工会会员基本信息采集表)
        FieldSpec(
            "name",
            "姓名",
            required=True,
            max_length=60,
            validator=person_name,
            width=10,
            aliases=("会员姓名", "职工姓名"),
        ),
        FieldSpec(
            "id_number",
            "身份证号",
            kind="idno",
            required=True,
            width=20,
            masked=True,
            aliases=ID_ALIASES,
        ),
        FieldSpec("sex", "性别", choices=("男", "女"), width=5),
        FieldSpec(
            "birth_date",
            "出生日期",
            kind="date",
            days_ahead=0,
            width=11,
            aliases=("出生日期(格式:yyyy/MM/dd)", "出生年月"),
        ),
        FieldSpec("ethnicity", "民族", kind="code", code_category="ethnicity", width=8),
        FieldSpec("political", "政治面貌", kind="code", code_category="political", width=9),
        FieldSpec(
            "education",
            "学历",
            kind="code",
            code_category="education",
            width=9,
            aliases=("文化程度",),
        ),
        FieldSpec(
            "phone",
            "手机",
            kind="phone",
            width=13,
            masked=True,
            aliases=("手机号", "手机号码", "联系电话", "移动电话", "电话"),
        ),
        FieldSpec(
            "hukou_type",
            "户籍类型",
            kind="code",
            code_category="hukou_type",
            width=9,
            aliases=("户口类型", "户口性质"),
        ),
        FieldSpec("hukou_place", "户籍所在地", max_length=200, width=16, aliases=("户口所在地",)),
        FieldSpec("native_place", "籍贯", max_length=100, width=10),
        FieldSpec("tech_level", "技术等级", kind="code", code_category="tech_level", width=10),
        FieldSpec(
            "employment_status", "就业状况", kind="code", code_category="employment_status", width=9
        ),
        FieldSpec("job", "职业/岗位", max_length=100, width=12, aliases=("职业", "岗位", "工种")),
        FieldSpec(
            "union",
            "工作单位",
            max_length=200,
            width=24,
            aliases=("所在单位", "单位名称", "所在工会", "基层工会"),
        ),
        FieldSpec(
            "joined_on",
            "入会日期",
            kind="date",
            required=True,
            days_ahead=0,
            width=11,
            aliases=("入会时间", "会籍变化日期", "会籍变化日期(格式:yyyy/MM/dd)"),
        ),
        FieldSpec(
            "card_no",
            "会员证号",
            max_length=40,
            width=14,
            aliases=("会员证编号", "会员号", "工会会员号"),
        ),
        FieldSpec("status", "会员状态", kind="code", code_category="member_status", width=9),
        FieldSpec(
            "migrant_worker",
            "是否农民工",
            kind="bool",
            width=8,
            aliases=("农民工", "是否农民工会员", '是否农民工会员填写"是"或"否"'),
        ),
        FieldSpec(
            "new_employment",
            "新就业形态类别",
            kind="code",
            code_category="new_employment",
            width=12,
            aliases=("新就业形态", "新就业形态劳动者类别"),
        ),
    ),
    rules=(_joined_after_birth, _joined_at_working_age),
)

# The member import also reads the provincial upload layout's 会籍变化类型 and
# 会籍变化原因 (UPSTREAM_FORMATS §1.2). That layout has no 入会日期 of its own: its
# 会籍变化日期 is the join date for 入会, the transfer date for 转入 and the date
# membership was retained for 保留. They are stored as the membership's status and
# its first event, not as member fields, so forms, lists and exports do not show them.
MEMBER_IMPORT = EntitySpec(
    "member",
    "会员",
    (
        *MEMBER.fields,
        FieldSpec(
            "change_type", "会籍变化类型", kind="code", code_category="membership_change", width=10
        ),
        FieldSpec(
            "change_reason",
            "会籍变化原因",
            kind="code",
            code_category="membership_change_reason",
            width=22,
        ),
    ),
    rules=MEMBER.rules,
)

UNION_STATUSES = ("正常", "撤销", "合并")

UNION = EntitySpec(
    "union",
    "基层工会",
    (
        FieldSpec(
            "name", "工会全称", required=True, max_length=200, width=28, aliases=("工会名称",)
        ),
        FieldSpec("unit_name", "所在单位名称", max_length=200, width=24, aliases=("单位名称",)),
        FieldSpec(
            "unit_credit_code",
            "单位统一社会信用代码",
            max_length=18,
            validator=_credit_code,
            width=20,
            aliases=(
                "所在单位统一社会信用代码",
                "单位法人和其他组织统一社会信用代码",
                "社会信用代码",
            ),
        ),
        FieldSpec(
            "union_credit_code",
            "工会统一社会信用代码",
            max_length=18,
            validator=_credit_code,
            width=20,
            aliases=("工会法人和其他组织统一社会信用代码",),
        ),
        FieldSpec("parent", "上级工会", max_length=200, width=20, aliases=("上级工会名称",)),
        FieldSpec(
            "org_type",
            "组织类型",
            kind="code",
            code_category="org_type",
            width=14,
            aliases=("基层工会类型",),
        ),
        FieldSpec(
            "unit_category",
            "单位类别",
            kind="code",
            code_category="unit_category",
            width=14,
            aliases=("单位性质类别",),
        ),
        FieldSpec(
            "industry",
            "行业",
            kind="code",
            code_category="industry",
            width=14,
            aliases=("单位所属行业", "所属行业"),
        ),
        FieldSpec(
            "township",
            "所在乡镇(街道)",
            max_length=60,
            width=12,
            aliases=("乡镇", "所在乡镇", "街道"),
        ),
        FieldSpec("address", "地址", max_length=300, width=24, aliases=("单位地址",)),
        FieldSpec(
            "founded_on",
            "建会日期",
            kind="date",
            width=11,
            aliases=("成立日期", "建会日期(格式:yyyy/MM/dd)"),
            days_ahead=0,
        ),
        FieldSpec(
            "last_election_on",
            "换届日期",
            kind="date",
            width=11,
            aliases=("最近换届日期",),
            days_ahead=0,
        ),
        FieldSpec(
            "term_years",
            "届期(年)",
            kind="int",
            width=7,
            aliases=("届期",),
            min_value=1,
            max_value=10,
        ),
        FieldSpec("chair_name", "主席", max_length=50, width=8, aliases=("工会主席", "工会负责人")),
        FieldSpec("chair_phone", "主席电话", kind="phone", width=13, aliases=("联系电话",)),
        FieldSpec("chair_fulltime", "主席专职", kind="bool", width=7),
        FieldSpec("auditor_name", "经审主任", max_length=50, width=8),
        FieldSpec("auditor_phone", "经审电话", kind="phone", width=13),
        FieldSpec("staff_count", "职工人数", kind="int", width=7, max_value=1_000_000),
        FieldSpec("female_staff", "女职工人数", kind="int", width=7, max_value=1_000_000),
    ),
)


# --- hardship files and aid --------------------------------------------------------

HARDSHIP_STATUSES = ("建档", "帮扶中", "解困脱困", "退出")
REVIEW_STATUSES = ("待审核", "已审核", "退回")
PAYOUT_FORMS = ("现金", "银行转账", "实物")
CAMPAIGN_STATUSES = ("草拟", "审核", "已发放", "归档")


def _bank_account(value: str) -> str:
    digits = value.replace(" ", "").replace("-", "")
    if not (digits.isascii() and digits.isdigit() and 16 <= len(digits) <= 19):
        raise ValueError("银行卡号应为16到19位数字")
    return digits


def _reasons(value: str) -> str:
    parts = [p for p in re.split(r"[,，、;；\s]+", value) if p]
    if len(parts) > 3:
        raise ValueError("次要致困原因最多选3项")
    return ",".join(parts)


HARDSHIP = EntitySpec(
    "hardship",
    "困难职工档案",
    (
        FieldSpec("name", "姓名", required=True, max_length=60, validator=person_name, width=10),
        FieldSpec(
            "id_number",
            "身份证号",
            kind="idno",
            required=True,
            width=20,
            masked=True,
            aliases=ID_ALIASES,
        ),
        FieldSpec(
            "union",
            "所在工会",
            max_length=200,
            width=24,
            aliases=("工作单位", "所在单位", "基层工会"),
        ),
        FieldSpec("file_no", "职工编号", max_length=40, width=12, aliases=("档案编号",)),
        FieldSpec(
            "category",
            "困难类别",
            kind="code",
            code_category="hardship_category",
            required=True,
            width=10,
        ),
        FieldSpec(
            "migrant", "困难农民工", kind="bool", width=8, aliases=("是否困难农民工", "是否农民工")
        ),
        FieldSpec(
            "main_reason",
            "主要致困原因",
            kind="code",
            code_category="hardship_reason",
            required=True,
            width=14,
            aliases=("致困原因",),
        ),
        FieldSpec("other_reasons", "次要致困原因", max_length=40, validator=_reasons, width=14),
        FieldSpec("reason_note", "致困原因说明", max_length=200, width=20),
        FieldSpec("health", "健康状况", kind="code", code_category="health", width=10),
        FieldSpec("work_status", "工作状态", kind="code", code_category="work_status", width=10),
        FieldSpec("marital", "婚姻状况", kind="code", code_category="marital", width=8),
        FieldSpec("housing", "住房类型", max_length=40, width=10),
        FieldSpec("medical_insurance", "医保状况", max_length=40, width=10),
        FieldSpec(
            "household_size",
            "家庭人口",
            kind="int",
            required=True,
            width=7,
            min_value=1,
            max_value=30,
        ),
        FieldSpec(
            "household_income",
            "家庭年度总收入",
            kind="money",
            required=True,
            width=12,
            aliases=("家庭年收入",),
            max_value=10_000_000_00,  # 1000万元 a year
        ),
        FieldSpec("rigid_expense", "刚性支出", kind="money", width=10, max_value=10_000_000_00),
        FieldSpec(
            "phone", "手机号码", kind="phone", width=13, masked=True, aliases=("手机", "联系电话")
        ),
        FieldSpec("address", "家庭住址", max_length=300, width=24),
        FieldSpec("bank_name", "开户银行", max_length=60, width=12),
        FieldSpec(
            "bank_account",
            "银行卡号",
            max_length=30,
            validator=_bank_account,
            width=20,
            masked=True,
        ),
        FieldSpec("filed_on", "建档日期", kind="date", required=True, width=11, days_ahead=0),
        FieldSpec("notes", "备注", kind="text", width=20),
    ),
)

HOUSEHOLD = EntitySpec(
    "household",
    "家庭成员",
    (
        FieldSpec("relation", "与户主关系", required=True, max_length=20, width=8),
        FieldSpec("name", "姓名", required=True, max_length=60, validator=person_name, width=10),
        FieldSpec("id_number", "身份证号", kind="idno", width=20, masked=True),
        FieldSpec("health", "健康状况", kind="code", code_category="health", width=10),
        FieldSpec("occupation", "人员身份", max_length=60, width=10),
        FieldSpec("monthly_income", "月收入", kind="money", width=10, max_value=1_000_000_00),
        FieldSpec("school", "学校", max_length=100, width=16),
        FieldSpec("grade", "年级", max_length=40, width=8),
    ),
)

CAMPAIGN = EntitySpec(
    "campaign",
    "帮扶慰问活动",
    (
        FieldSpec("name", "活动名称", required=True, max_length=200, width=30),
        FieldSpec(
            "kind", "活动类型", kind="code", code_category="aid_type", required=True, width=12
        ),
        FieldSpec(
            "year", "年度", kind="int", required=True, width=6, min_value=1990, max_value=2100
        ),
        FieldSpec("funding_source", "资金来源", max_length=60, width=12),
        FieldSpec("budget", "预算金额", kind="money", width=12),
        FieldSpec("approval_ref", "批准文号", max_length=100, width=16),
        FieldSpec("notes", "备注", kind="text", width=20),
    ),
)

PAYOUT = EntitySpec(
    "payout",
    "发放明细",
    (
        FieldSpec("name", "姓名", required=True, max_length=60, validator=person_name, width=10),
        FieldSpec(
            "id_number",
            "身份证号",
            kind="idno",
            required=True,
            width=20,
            masked=True,
            aliases=ID_ALIASES,
        ),
        FieldSpec("category", "类别", max_length=40, width=10, aliases=("慰问类别", "困难类别")),
        FieldSpec(
            "amount",
            "金额",
            kind="money",
            required=True,
            width=10,
            aliases=("金额(元)", "慰问金额", "资助金额", "救助金额", "发放金额"),
            max_value=1_000_000_00,  # 100万元 for one person
        ),
        FieldSpec("form", "发放形式", choices=PAYOUT_FORMS, width=8, aliases=("发放方式",)),
        FieldSpec("item", "慰问品", max_length=100, width=12, aliases=("物品",)),
        FieldSpec("reason", "事由", max_length=200, width=20),
        FieldSpec("override_reason", "超标准原因", max_length=200, width=16),
        FieldSpec(
            "school", "就读学校", max_length=100, width=16, aliases=("录取/就读学校", "学校")
        ),
        FieldSpec("grade", "年级/学历层次", max_length=40, width=10, aliases=("学历层次",)),
        FieldSpec("illness", "诊断/疾病", max_length=100, width=12, aliases=("诊断",)),
        FieldSpec("out_of_pocket", "个人自付", kind="money", width=10, max_value=1_000_000_00),
    ),
)
