"""FieldSpec: the single description of every entity's fields.

One ``EntitySpec`` per entity drives the GUI form, the table columns, the
Excel import header matching, the export header and printed columns.
``EntitySpec.clean`` turns raw values (typed, pasted or read from Excel)
into clean ones, or raises ``ValidationError`` with every field's reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from unionsdesk.errors import ValidationError

Kind = Literal["str", "text", "int", "bool", "date", "code", "phone", "password", "money", "idno"]


def _is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


@dataclass(frozen=True)
class FieldSpec:
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

    def clean(self, raw: object) -> Any:
        """Clean one value; raises ValueError with a Chinese reason."""
        if _is_blank(raw):
            if self.required:
                raise ValueError(f"“{self.label}”必须填写")
            return False if self.kind == "bool" else None
        value: Any = raw
        if self.kind in ("str", "text", "password", "code"):
            value = str(raw) if self.kind in ("text", "password") else " ".join(str(raw).split())
        elif self.kind == "int":
            from unionsdesk.domain.readers import read_int

            value = read_int(raw)
        elif self.kind == "bool":
            from unionsdesk.domain.readers import read_bool

            value = read_bool(raw)
        elif self.kind == "date":
            from unionsdesk.domain.readers import read_date

            value = read_date(raw)
        elif self.kind == "phone":
            from unionsdesk.domain.readers import read_phone

            value = read_phone(raw)
        elif self.kind == "money":
            from unionsdesk.domain.money import to_fen

            value = to_fen(str(raw))
        elif self.kind == "idno":
            from unionsdesk.domain.idcard import parse

            value = parse(str(raw)).number
        if self.choices and value not in self.choices:
            raise ValueError(f"“{self.label}”只能是：{'、'.join(self.choices)}")
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise ValueError(f"“{self.label}”最多{self.max_length}个字，现有{len(value)}个")
        if self.validator is not None:
            value = self.validator(value)
        return value


@dataclass(frozen=True)
class EntitySpec:
    name: str
    label: str
    fields: tuple[FieldSpec, ...]
    by_name: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def __getitem__(self, name: str) -> FieldSpec:
        return self.by_name[name]

    def clean(self, raw: Mapping[str, object], only: Iterable[str] | None = None) -> dict[str, Any]:
        """Clean every field (or those in ``only``); collect all reasons at once."""
        names = list(only) if only is not None else [f.name for f in self.fields]
        out: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name in names:
            spec = self.by_name[name]
            try:
                out[name] = spec.clean(raw.get(name))
            except ValueError as exc:
                msg = str(exc)
                errors[name] = msg if spec.label in msg else f"{spec.label}：{msg}"
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
        FieldSpec("sort_order", "排序", kind="int", width=6),
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
