"""Tolerant readers for values clerks type or paste (often from Excel or WeChat).

Every reader accepts the common spellings of a value and raises `ReadError` (a
`ValueError`) with a Chinese message the clerk can act on.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

__all__ = [
    "ReadError",
    "read_bool",
    "read_date",
    "read_int",
    "read_phone",
    "strip_spaces",
    "to_halfwidth",
]


class ReadError(ValueError):
    """A typed or pasted value could not be understood; ``str(exc)`` is Chinese."""


# Full-width ASCII variants U+FF01..U+FF5E map to U+0021..U+007E; U+3000 is the
# ideographic (full-width) space.
_HALFWIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}

# Invisible characters that creep in when copying from web pages, Word or WeChat.
# They are not matched by str.isspace().
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_DROP_ZERO_WIDTH = dict.fromkeys(map(ord, _ZERO_WIDTH))


def to_halfwidth(s: str) -> str:
    """Map full-width ASCII (U+FF01–U+FF5E) to ASCII and U+3000 to a space."""
    return s.translate(_HALFWIDTH)


def strip_spaces(s: str) -> str:
    """Remove every whitespace character (incl. U+3000, U+00A0) and zero-width character."""
    # str.split() splits on exactly the characters str.isspace() accepts.
    return "".join(s.split()).translate(_DROP_ZERO_WIDTH)


def _show(raw: object) -> str:
    """The value as shown inside an error message, shortened if long."""
    text = raw.strip() if isinstance(raw, str) else str(raw)
    return text if len(text) <= 30 else text[:30] + "…"


def _is_number(raw: object) -> bool:
    return isinstance(raw, int | float | Decimal) and not isinstance(raw, bool)


def _is_finite(value: int | float | Decimal) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, int) or math.isfinite(value)


# --------------------------------------------------------------------------- phone

_DASHES = frozenset("-‐‑‒–—―−")  # hyphen-minus, hyphens, dashes, minus sign
_PHONE_DROP = _DASHES | frozenset(".()")
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def read_phone(raw: object) -> str:
    """Read a mainland mobile or landline number.

    Returns a mobile number as 11 digits ("13812345678") and a landline as
    "area-local" ("010-12345678", "0797-8123456"). 010 and 020–029 are 3-digit
    area codes, every other area code has 4 digits. A leading +86 / 0086 is dropped.
    """
    if isinstance(raw, str) and _PLAIN_MOBILE.fullmatch(raw):
        return raw  # the usual case, 13812345678, without the general path
    if isinstance(raw, bool) or raw is None:
        raise ReadError("电话号码不能为空")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ReadError(f"无法识别的电话号码：“{_show(raw)}”")
        raw = int(raw)
    if isinstance(raw, int):
        if raw <= 0:
            raise ReadError(f"无法识别的电话号码：“{_show(raw)}”")
        text = str(raw)
    elif isinstance(raw, str):
        # "13812345678.0": a number cell converted to text.
        text = re.sub(r"^(\s*\d+)\.0+(\s*)$", r"\1\2", to_halfwidth(raw), flags=re.ASCII)
    else:
        raise ReadError(f"无法识别的电话号码：“{_show(raw)}”")

    s = "".join(ch for ch in strip_spaces(to_halfwidth(text)) if ch not in _PHONE_DROP)
    if not s:
        raise ReadError("电话号码不能为空")
    for prefix in ("+86", "0086"):
        if s.startswith(prefix):
            s = s[len(prefix) :]
            if s and s[0] != "0" and not (s[0] == "1" and len(s) == 11):
                # "+86 797 8123456": the trunk 0 of an area code is dropped after +86.
                s = "0" + s
            break
    if not s:
        raise ReadError(f"无法识别的电话号码：“{_show(raw)}”")
    if not s.isascii() or not s.isdigit():
        raise ReadError(f"电话号码只能包含数字：“{_show(raw)}”")

    if s.startswith("1"):
        if len(s) != 11 or s[1] not in "3456789":
            raise ReadError(f"手机号码应为11位，以13–19开头：“{_show(raw)}”")
        return s
    if s.startswith("0"):
        if s.startswith(("010", "02")):
            area, local = s[:3], s[3:]
        elif s.startswith(("00", "01")):
            raise ReadError(f"无法识别的电话区号：“{_show(raw)}”")
        else:
            area, local = s[:4], s[4:]
        if not 7 <= len(local) <= 8 or local[0] in "01":
            raise ReadError(f"座机号码应为区号加7–8位号码（如“0797-8123456”）：“{_show(raw)}”")
        return f"{area}-{local}"
    raise ReadError(f"无法识别的电话号码：“{_show(raw)}”（手机号码应为11位，座机号码请带区号）")


# ---------------------------------------------------------------------------- date

MIN_YEAR = 1900
MAX_YEAR = 2100
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31

# Optional time of day after a full date, as in "2019-05-01 00:00:00" exports.
_TIME = r"(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS = (
    # 2019-05-01, 2019/5/1, 2019.5.1 (one separator used consistently)
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _TIME, re.ASCII),
    # 2019-5, 2019/05, 2019.05 (month precision -> day 1)
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})", re.ASCII),
    # 2019年5月, 2019年5月1日, 2019年5月1号
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号]?)?", re.ASCII),
    # 20190501
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII),
)
# An Excel serial typed or pasted as text. Only 5-digit serials (1927-05-18 ..
# 2173-10-14) are taken as serials, so that "2019" is not read as 1905-07-11.
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?", re.ASCII)


def _from_excel_serial(serial: int, raw: object) -> date:
    """Excel 1900 date system; serial 60 is Excel's non-existent 1900-02-29."""
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        raise ReadError(f"无法识别的日期：“{_show(raw)}”")
    if serial == 60:
        raise ReadError(f"无法识别的日期：“{_show(raw)}”（1900年2月29日不存在）")
    if serial < 60:
        return date(1899, 12, 31) + timedelta(days=serial)
    return date(1899, 12, 30) + timedelta(days=serial)


def _check_year(value: date, raw: object) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ReadError(f"无法识别的日期：“{_show(raw)}”（年份应在{MIN_YEAR}–{MAX_YEAR}之间）")
    return value


def read_date(raw: object) -> date:
    """Read a date from a date/datetime, an Excel serial number or a typed string.

    Month-only spellings ("2019.05", "2019-5", "2019年5月") give the 1st of the month.
    """
    if isinstance(raw, datetime):
        return _check_year(raw.date(), raw)
    if isinstance(raw, date):
        return _check_year(raw, raw)
    if _is_number(raw):
        assert isinstance(raw, int | float | Decimal)
        if not _is_finite(raw):
            raise ReadError(f"无法识别的日期：“{_show(raw)}”")
        return _check_year(_from_excel_serial(math.floor(raw), raw), raw)
    if not isinstance(raw, str):
        raise ReadError(f"无法识别的日期：“{_show(raw)}”")

    s = to_halfwidth(raw).strip()
    s = "".join(ch for ch in s if ch not in _ZERO_WIDTH).strip()
    if not s:
        raise ReadError("无法识别的日期：内容为空")
    # Collapse inner runs of whitespace (keeps the date/time gap as one space).
    s = " ".join(s.split())
    if _SERIAL_TEXT.fullmatch(s):
        return _check_year(_from_excel_serial(int(s.split(".")[0]), raw), raw)
    compact = s.replace(" ", "")
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(s) or pattern.fullmatch(compact)
        if m is None:
            continue
        year, month = int(m["y"]), int(m["m"])
        day = int(m["d"]) if "d" in m.groupdict() and m["d"] is not None else 1
        try:
            value = date(year, month, day)
        except ValueError:
            raise ReadError(f"无法识别的日期：“{_show(raw)}”（该日期不存在）") from None
        return _check_year(value, raw)
    raise ReadError(f"无法识别的日期：“{_show(raw)}”（请写作“2019-05-01”）")


# ---------------------------------------------------------------------------- bool

_TRUE = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "1", "有"})
_FALSE = frozenset({"否", "×", "✗", "✘", "✕", "✖", "n", "no", "false", "0", "无"})


def read_bool(raw: object) -> bool:
    """Read yes/no: 是/否, √/×, ✓/✗, Y/N, yes/no, true/false, 1/0, 有/无 (any case)."""
    if isinstance(raw, bool):
        return raw
    if _is_number(raw):
        assert isinstance(raw, int | float | Decimal)
        if raw == 1:
            return True
        if raw == 0:
            return False
    elif isinstance(raw, str):
        s = strip_spaces(to_halfwidth(raw)).casefold()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        if not s:
            raise ReadError("请填写“是”或“否”")
    raise ReadError(f"请填写“是”或“否”：“{_show(raw)}”无法识别")


# ----------------------------------------------------------------------------- int

_INT_TEXT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?", re.ASCII)
_FRACTION_TEXT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?\.\d+", re.ASCII)


def read_int(raw: object) -> int:
    """Read a whole number; "1,200", "３", " 3 " and 3.0 are fine, 3.5 is not."""
    if isinstance(raw, bool) or raw is None:
        raise ReadError(f"无法识别的整数：“{_show(raw)}”")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float | Decimal):
        if not _is_finite(raw):
            raise ReadError(f"无法识别的整数：“{_show(raw)}”")
        if raw != int(raw):
            raise ReadError(f"应为整数，不能有小数：“{_show(raw)}”")
        return int(raw)
    if not isinstance(raw, str):
        raise ReadError(f"无法识别的整数：“{_show(raw)}”")
    s = strip_spaces(to_halfwidth(raw)).replace("−", "-")
    if not s:
        raise ReadError("无法识别的整数：内容为空")
    if _INT_TEXT.fullmatch(s):
        return int(s.split(".")[0].replace(",", ""))
    if _FRACTION_TEXT.fullmatch(s):
        raise ReadError(f"应为整数，不能有小数：“{_show(raw)}”")
    raise ReadError(f"无法识别的整数：“{_show(raw)}”")
