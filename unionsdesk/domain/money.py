"""Money: amounts are kept as integer fen (分) and shown as yuan (元).

Floats are rejected everywhere: a float cannot hold most fen amounts exactly
(0.1 + 0.2 != 0.3), and money read from Excel must be converted deliberately
(e.g. ``Decimal(str(cell))``) by the importer that knows the cell's format.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from unionsdesk.domain.readers import strip_spaces, to_halfwidth

__all__ = ["MAX_FEN", "MAX_UPPER_FEN", "Amount", "format_yuan", "from_fen", "rmb_upper", "to_fen"]

Amount = Decimal | int | str

# |amount| must fit a signed 64-bit database integer with room to spare.
MAX_FEN = 10**18 - 1
# rmb_upper writes up to 玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分.
MAX_UPPER_FEN = 10**14 - 1

_CURRENCY = ("¥", "￥")  # U+00A5 yen/yuan sign, U+FFE5 full-width yuan sign
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+", re.ASCII)


def _show(raw: object) -> str:
    text = raw.strip() if isinstance(raw, str) else str(raw)
    return text if len(text) <= 30 else text[:30] + "…"


def _parse_text(raw: str) -> Decimal:
    s = strip_spaces(to_halfwidth(raw)).replace("−", "-")  # U+2212 minus sign
    negative = False
    # Accept "-¥5.00", "¥-5.00", "¥5.00", "-5" but only one sign and one symbol.
    if s[:1] in "+-" and s:
        negative, s = s[0] == "-", s[1:]
    if s.startswith(_CURRENCY):
        s = s[1:]
        if s[:1] in "+-" and s and not negative:
            negative, s = s[0] == "-", s[1:]
    if not _NUMBER.fullmatch(s):
        if not s:
            raise ValueError(
                "金额不能为空" if not raw.strip() else f"金额格式不正确：“{_show(raw)}”"
            )
        raise ValueError(f"金额格式不正确：“{_show(raw)}”")
    value = Decimal(s.replace(",", ""))
    return -value if negative else value


def to_fen(amount: Amount) -> int:
    """Convert an amount in yuan to integer fen, exactly.

    Accepts Decimal, int (yuan) and text such as "1,680.32", "¥1680.32", "－５"
    (full-width), with surrounding spaces. Trailing zeros are fine ("1.500");
    a non-zero digit below the fen ("1.005") raises ValueError.
    """
    if isinstance(amount, bool | float):
        raise ValueError(f"金额不能使用浮点数或布尔值：“{_show(amount)}”，请使用 Decimal 或文本")
    if isinstance(amount, int):
        value = Decimal(amount)
    elif isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, str):
        try:
            value = _parse_text(amount)
        except InvalidOperation:  # pragma: no cover - the regex admits only numbers
            raise ValueError(f"金额格式不正确：“{_show(amount)}”") from None
    else:
        raise ValueError(f"金额格式不正确：“{_show(amount)}”")

    if not value.is_finite():
        raise ValueError(f"金额格式不正确：“{_show(amount)}”")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    # len(digits) + exponent = digits before the decimal point. At most 16 keeps
    # |fen| <= MAX_FEN and refuses Decimal("1E+999999") before building a huge int.
    if len(digits) + exponent > 16:
        if any(digits):
            raise ValueError(f"金额过大：“{_show(amount)}”")
        return 0
    magnitude = int("".join(map(str, digits)))
    fen: int
    if exponent >= -2:
        fen = magnitude * 10 ** (exponent + 2)
    else:
        fen, rest = divmod(magnitude, 10 ** (-exponent - 2))
        if rest:
            raise ValueError(f"金额最多保留两位小数（精确到分）：“{_show(amount)}”")
    return -fen if sign else fen


def from_fen(fen: int) -> Decimal:
    """Integer fen -> Decimal yuan with exactly two decimals (150 -> Decimal("1.50"))."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise ValueError(f"分值必须是整数：“{_show(fen)}”")
    digits = tuple(int(ch) for ch in str(abs(fen)))
    return Decimal((1 if fen < 0 else 0, digits, -2))


def format_yuan(amount: Amount) -> str:
    """Format as "¥10,300.00"; negative as "-¥5.00"."""
    fen = to_fen(amount)
    yuan, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}¥{yuan:,}.{cents:02d}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_INNER_UNITS = ("", "拾", "佰", "仟")
_SECTION_UNITS = ("", "万", "亿")


def _upper_yuan(yuan: int) -> str:
    """Upper-case Chinese for a whole number of yuan, 1 <= yuan < 10**12 (no "元")."""
    text = str(yuan)
    out: list[str] = []
    zero_pending = False  # a run of zeros waiting for the next non-zero digit
    section_has_digit = False
    for index, ch in enumerate(text):
        position = len(text) - 1 - index
        section, inner = divmod(position, 4)
        digit = int(ch)
        if digit == 0:
            zero_pending = True
        else:
            if zero_pending:
                out.append("零")
                zero_pending = False
            out.append(_DIGITS[digit] + _INNER_UNITS[inner])
            section_has_digit = True
        if inner == 0 and section_has_digit:
            # Zeros at the end of a section are absorbed by its unit:
            # 107000 -> 壹拾万柒仟, but 100001 -> 壹拾万零壹 (zeros lead the next section).
            out.append(_SECTION_UNITS[section])
            zero_pending = False
            section_has_digit = False
    return "".join(out)


def rmb_upper(amount: Amount) -> str:
    """Upper-case Chinese amount for vouchers, e.g. 1680.32 -> 壹仟陆佰捌拾元零叁角贰分.

    The optional 零 after 元 is always written; 整 follows 元 or 角, never 分.
    Raises ValueError for negative amounts, more than two decimals, non-numbers,
    NaN/Infinity, floats and amounts of 一万亿元 or more.
    """
    fen = to_fen(amount)
    if fen < 0:
        raise ValueError(f"大写金额不能为负数：“{_show(amount)}”")
    if fen > MAX_UPPER_FEN:
        raise ValueError(f"金额过大：“{_show(amount)}”，大写金额须小于一万亿元")

    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if fen == 0:
        return "零元整"

    out: list[str] = []
    if yuan:
        out.append(_upper_yuan(yuan) + "元")
        # 零 after 元 when 元's digit is 0 (1680.32) or when 角 is 0 but 分 is not.
        if (jiao and yuan % 10 == 0) or (not jiao and fen_digit):
            out.append("零")
    if jiao:
        out.append(_DIGITS[jiao] + "角")
    if fen_digit:
        out.append(_DIGITS[fen_digit] + "分")
    else:
        out.append("整")
    return "".join(out)
