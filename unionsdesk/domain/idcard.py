"""Resident identity card numbers (居民身份证号码), GB 11643-1999.

18 characters: 6-digit area code, birth date YYYYMMDD, 3-digit sequence (odd = 男,
even = 女) and a check character (ISO 7064 MOD 11-2). Legacy 15-digit numbers
(YYMMDD, no check character) are upgraded to 18 characters.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from unionsdesk.domain.readers import strip_spaces, to_halfwidth

__all__ = [
    "IdCard",
    "InvalidIdNumber",
    "check_char",
    "is_valid",
    "looks_excel_damaged",
    "normalize",
    "parse",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_DIGITS = frozenset("0123456789")
_MIN_BIRTH = date(1900, 1, 1)
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?E[+-]?\d+", re.ASCII)
_NUMBER_AS_TEXT = re.compile(r"\d+\.0*", re.ASCII)
_PLAIN = re.compile(r"[0-9]{17}[0-9Xx]|[0-9]{15}")


class InvalidIdNumber(ValueError):
    """An ID number is not valid. ``reason`` is "length", "chars", "date" or "checksum"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class IdCard:
    number: str  # 18 characters, last may be "X"
    birth_date: date
    sex: str  # "男" or "女"
    area_code: str  # 6 digits


def normalize(raw: str) -> str:
    """Remove all spaces/invisible characters, full-width -> half-width, x -> X."""
    return strip_spaces(to_halfwidth(raw)).upper()


def check_char(first17: str) -> str:
    """The check character ("0".."9" or "X") for the first 17 digits."""
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise ValueError(f"计算校验码需要17位数字，实际为“{first17}”")
    total = sum(map(operator.mul, map(int, first17), _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def _cn(value: date) -> str:
    # Not strftime: non-ASCII formats are unreliable on Windows.
    return f"{value.year}年{value.month}月{value.day}日"


def _first_bad_char(s: str, allow_final_x: bool) -> int | None:
    for index, ch in enumerate(s):
        if ch in _DIGITS or (allow_final_x and ch == "X" and index == len(s) - 1):
            continue
        return index
    return None


def parse(raw: str, today: date | None = None) -> IdCard:
    """Validate an 18-digit (or legacy 15-digit) number and return its parts.

    Raises InvalidIdNumber with a Chinese message; checks run in the order
    length, chars, date, checksum.
    """
    if not isinstance(raw, str):
        raise InvalidIdNumber(
            "chars", "身份证号码应以文本形式填写（Excel中请先把单元格设为“文本”格式）"
        )
    # A clean cell ("36083019900101123X") skips the normalising passes.
    plain = _PLAIN.fullmatch(raw) is not None
    s = raw.upper() if plain else normalize(raw)
    if len(s) not in (15, 18):
        raise InvalidIdNumber("length", f"身份证号码应为18位（或15位旧号码），实际为{len(s)}位")
    bad = None if plain else _first_bad_char(s, allow_final_x=len(s) == 18)
    if bad is not None:
        hint = "只能是数字，最后一位可以是X" if len(s) == 18 else "15位旧号码只能是数字"
        raise InvalidIdNumber("chars", f"身份证号码第{bad + 1}位“{s[bad]}”无效：{hint}")

    if len(s) == 15:
        first17 = s[:6] + "19" + s[6:]
        number = first17 + check_char(first17)
    else:
        number = s
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    try:
        birth = date(year, month, day)
    except ValueError:
        raise InvalidIdNumber(
            "date", f"身份证号码中的出生日期无效：{year}年{month}月{day}日不存在"
        ) from None
    if today is None:
        today = date.today()
    if birth > today:
        raise InvalidIdNumber("date", f"身份证号码中的出生日期无效：{_cn(birth)}晚于今天")
    if birth < _MIN_BIRTH:
        raise InvalidIdNumber("date", f"身份证号码中的出生日期无效：{_cn(birth)}早于1900年")
    if len(s) == 18 and check_char(s[:17]) != s[17]:
        raise InvalidIdNumber("checksum", "身份证号码校验不通过（末位校验码不符），请逐位核对号码")
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return IdCard(number=number, birth_date=birth, sex=sex, area_code=number[:6])


def is_valid(raw: str, today: date | None = None) -> bool:
    """True if `parse` accepts the number (legacy 15-digit numbers included)."""
    try:
        parse(raw, today)
    except InvalidIdNumber:
        return False
    return True


def looks_excel_damaged(raw: object) -> bool:
    """True if the value looks like an ID number Excel stored as a number.

    Excel keeps only 15 significant digits, so an 18-digit number typed into a
    numeric cell shows as "3.60830197207212E+17" or ends in "000". Such values
    cannot be repaired; the clerk must re-enter them in a text cell.
    """
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int | float | Decimal):
        return True
    if not isinstance(raw, str):
        return False
    if _PLAIN.fullmatch(raw) and not raw.endswith("000"):
        return False  # the usual clean cell
    s = normalize(raw)
    if _SCIENTIFIC.fullmatch(s) or _NUMBER_AS_TEXT.fullmatch(s):
        return True
    return len(s) == 18 and set(s) <= _DIGITS and s.endswith("000") and check_char(s[:17]) != s[17]


def from_valid(number: str) -> IdCard:
    """The facts of a number that ``parse`` already accepted (no checks: fast for bulk work)."""
    return IdCard(
        number=number,
        birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        sex="男" if int(number[16]) % 2 else "女",
        area_code=number[:6],
    )
