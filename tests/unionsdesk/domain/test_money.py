"""Tests for unionsdesk.domain.money."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionsdesk.domain.money import (
    MAX_FEN,
    MAX_UPPER_FEN,
    format_yuan,
    from_fen,
    rmb_upper,
    to_fen,
)

# --------------------------------------------------------------------- to_fen


@pytest.mark.parametrize(
    ("amount", "fen"),
    [
        (0, 0),
        (1, 100),
        (-3, -300),
        (Decimal("1680.32"), 168032),
        (Decimal("0.01"), 1),
        (Decimal("-0.01"), -1),
        (Decimal("1.5"), 150),
        (Decimal("1.500"), 150),  # trailing zeros are exact
        (Decimal("1E+2"), 10000),
        (Decimal("-0"), 0),
        (Decimal("0E+100"), 0),
        ("1680.32", 168032),
        ("1,680.32", 168032),
        ("1,234,567.89", 123456789),
        ("¥1680.32", 168032),
        ("￥1,680.32", 168032),
        ("  ¥ 1,680.32\u3000", 168032),
        ("１６８０．３２", 168032),
        ("１，６８０．３２", 168032),
        ("￥１６８０", 168000),
        ("-5", -500),
        ("－５.00", -500),
        ("-¥5.00", -500),
        ("¥-5.00", -500),
        ("+5", 500),
        ("\u22125", -500),  # MINUS SIGN
        ("5.", 500),
        (".5", 50),
        ("0.05", 5),
        ("\u200b12.3\ufeff", 1230),
        ("9999999999999999.99", MAX_FEN),
    ],
)
def test_to_fen_accepts(amount: Decimal | int | str, fen: int) -> None:
    assert to_fen(amount) == fen
    assert type(to_fen(amount)) is int


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1.005", "两位小数"),
        (Decimal("0.001"), "两位小数"),
        ("1,680.321", "两位小数"),
        ("", "不能为空"),
        ("   ", "不能为空"),
        ("¥", "格式不正确"),
        ("abc", "格式不正确"),
        ("1.2.3", "格式不正确"),
        ("12,34", "格式不正确"),  # not thousands grouping
        ("1,2345", "格式不正确"),
        (",123", "格式不正确"),
        ("--5", "格式不正确"),
        ("-¥-5", "格式不正确"),
        ("¥¥5", "格式不正确"),
        ("5元", "格式不正确"),
        ("1e3", "格式不正确"),
        ("١٢", "格式不正确"),  # Arabic-Indic digits are not full-width digits
        ("NaN", "格式不正确"),
        ("Infinity", "格式不正确"),
        (Decimal("NaN"), "格式不正确"),
        (Decimal("Infinity"), "格式不正确"),
        (Decimal("-Infinity"), "格式不正确"),
        (Decimal("1E+999999"), "金额过大"),
        ("10000000000000000", "金额过大"),
        (1.5, "浮点数"),
        (0.0, "浮点数"),
        (True, "浮点数或布尔值"),
        (None, "格式不正确"),
        ([1], "格式不正确"),
    ],
)
def test_to_fen_rejects(amount: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_fen(amount)  # type: ignore[arg-type]


def test_to_fen_message_quotes_input() -> None:
    with pytest.raises(ValueError) as exc_info:
        to_fen("12元3")
    assert str(exc_info.value) == "金额格式不正确：“12元3”"


# ------------------------------------------------------------------- from_fen


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "0.00"),
        (5, "0.05"),
        (150, "1.50"),
        (-5, "-0.05"),
        (168032, "1680.32"),
        (10**30, "1" + "0" * 28 + ".00"),
    ],
)
def test_from_fen(fen: int, text: str) -> None:
    value = from_fen(fen)
    assert str(value) == text
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize("bad", [1.0, "5", True, None])
def test_from_fen_rejects_non_int(bad: object) -> None:
    with pytest.raises(ValueError, match="整数"):
        from_fen(bad)  # type: ignore[arg-type]


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN))
@settings(max_examples=200)
def test_fen_round_trip(fen: int) -> None:
    assert to_fen(from_fen(fen)) == fen
    assert to_fen(str(from_fen(fen))) == fen
    assert to_fen(format_yuan(from_fen(fen))) == fen


# ---------------------------------------------------------------- format_yuan


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (10300, "¥10,300.00"),
        ("10300", "¥10,300.00"),
        (0, "¥0.00"),
        ("-0", "¥0.00"),
        (Decimal("0.5"), "¥0.50"),
        ("-5", "-¥5.00"),
        (Decimal("-1234567.8"), "-¥1,234,567.80"),
        ("999.99", "¥999.99"),
        ("1000", "¥1,000.00"),
        ("1,680.32", "¥1,680.32"),
    ],
)
def test_format_yuan(amount: Decimal | int | str, text: str) -> None:
    assert format_yuan(amount) == text


def test_format_yuan_rejects_float() -> None:
    with pytest.raises(ValueError):
        format_yuan(1.5)  # type: ignore[arg-type]


# ------------------------------------------------------------------ rmb_upper


@pytest.mark.parametrize(
    ("amount", "upper"),
    [
        # examples from the specification
        (15, "壹拾伍元整"),
        (100000, "壹拾万元整"),
        (10300, "壹万零叁佰元整"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("107000.53", "壹拾万柒仟元零伍角叁分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("12.30", "壹拾贰元叁角整"),
        ("12.34", "壹拾贰元叁角肆分"),
        (0, "零元整"),
        ("0.00", "零元整"),
        ("0.30", "叁角整"),
        ("0.05", "伍分"),
        ("0.35", "叁角伍分"),
        (100010000, "壹亿零壹万元整"),
        (100000000, "壹亿元整"),
        (1000001, "壹佰万零壹元整"),
        ("20000000.5", "贰仟万元零伍角整"),
        # unit boundaries
        (1, "壹元整"),
        (9, "玖元整"),
        (10, "壹拾元整"),
        (11, "壹拾壹元整"),
        (20, "贰拾元整"),
        (99, "玖拾玖元整"),
        (100, "壹佰元整"),
        (101, "壹佰零壹元整"),
        (110, "壹佰壹拾元整"),
        (999, "玖佰玖拾玖元整"),
        (1000, "壹仟元整"),
        (1001, "壹仟零壹元整"),
        (1010, "壹仟零壹拾元整"),
        (1100, "壹仟壹佰元整"),
        (9999, "玖仟玖佰玖拾玖元整"),
        (10000, "壹万元整"),
        (10001, "壹万零壹元整"),
        (10010, "壹万零壹拾元整"),
        (10100, "壹万零壹佰元整"),
        (11000, "壹万壹仟元整"),
        (99999, "玖万玖仟玖佰玖拾玖元整"),
        (100001, "壹拾万零壹元整"),
        (100100, "壹拾万零壹佰元整"),
        (101000, "壹拾万壹仟元整"),
        (110000, "壹拾壹万元整"),
        (1000000, "壹佰万元整"),
        (1010000, "壹佰零壹万元整"),
        (10000000, "壹仟万元整"),
        (10001000, "壹仟万壹仟元整"),
        (10010000, "壹仟零壹万元整"),
        (99999999, "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整"),
        (100000001, "壹亿零壹元整"),
        (100001000, "壹亿零壹仟元整"),
        (110000000, "壹亿壹仟万元整"),
        (1000000000, "壹拾亿元整"),
        (10000000000, "壹佰亿元整"),
        (100000000000, "壹仟亿元整"),
        (100010001000, "壹仟亿壹仟万壹仟元整"),
        (100001001000, "壹仟亿零壹佰万壹仟元整"),
        (101010101010, "壹仟零壹拾亿壹仟零壹拾万壹仟零壹拾元整"),
        (123456789012, "壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        # jiao / fen
        ("0.01", "壹分"),
        ("0.1", "壹角整"),
        ("0.10", "壹角整"),
        ("0.99", "玖角玖分"),
        ("1.00", "壹元整"),
        ("1.01", "壹元零壹分"),
        ("1.10", "壹元壹角整"),
        ("1.11", "壹元壹角壹分"),
        ("10.01", "壹拾元零壹分"),
        ("10.10", "壹拾元零壹角整"),
        ("10.11", "壹拾元零壹角壹分"),
        ("100000.01", "壹拾万元零壹分"),
        ("1000000000.01", "壹拾亿元零壹分"),
        # input forms
        ("¥1,680.32", "壹仟陆佰捌拾元零叁角贰分"),
        ("１６８０．３２", "壹仟陆佰捌拾元零叁角贰分"),
        (Decimal("1680.320"), "壹仟陆佰捌拾元零叁角贰分"),
        (" 15 ", "壹拾伍元整"),
    ],
)
def test_rmb_upper(amount: Decimal | int | str, upper: str) -> None:
    assert rmb_upper(amount) == upper


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (-1, "负数"),
        ("-0.01", "负数"),
        (Decimal("-5"), "负数"),
        ("1.001", "两位小数"),
        ("abc", "格式不正确"),
        ("", "不能为空"),
        (Decimal("NaN"), "格式不正确"),
        (Decimal("Infinity"), "格式不正确"),
        ("inf", "格式不正确"),
        (1_000_000_000_000, "一万亿"),
        ("1000000000000.00", "一万亿"),
        (Decimal("1E+20"), "金额过大"),
        (15.0, "浮点数"),
        (0.1, "浮点数"),
    ],
)
def test_rmb_upper_rejects(amount: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rmb_upper(amount)  # type: ignore[arg-type]


def test_rmb_upper_largest() -> None:
    assert MAX_UPPER_FEN == 10**14 - 1
    assert rmb_upper(from_fen(MAX_UPPER_FEN)).startswith("玖仟玖佰玖拾玖亿")
    with pytest.raises(ValueError):
        rmb_upper(from_fen(MAX_UPPER_FEN + 1))


# ------------------------------------------------------- rmb_upper properties

_DIGIT_VALUES = {ch: i for i, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}
_SMALL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}
_ALLOWED = set(_DIGIT_VALUES) | set("拾佰仟万亿元角分整")


def _parse_upper(text: str) -> int:
    """Independent reference parser: upper-case amount -> fen."""
    body = text.removesuffix("整")
    if "元" in body:
        yuan_text, _, decimals = body.partition("元")
    else:
        yuan_text, decimals = "", body
    total = 0  # completed 亿 / 万 groups
    section = 0  # value below the current 万
    digit = 0
    for ch in yuan_text:
        if ch in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[ch]
        elif ch in _SMALL_UNITS:
            assert digit, f"unit without digit in {text}"
            section += digit * _SMALL_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {text}")
    yuan = total + section + digit
    fen = 0
    digit = 0
    for ch in decimals:
        if ch in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[ch]
        elif ch == "角":
            fen += digit * 10
            digit = 0
        elif ch == "分":
            fen += digit
            digit = 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {text}")
    assert digit == 0, f"dangling digit in {text}"
    return yuan * 100 + fen


def test_reference_parser_sanity() -> None:
    assert _parse_upper("壹仟零壹拾亿壹仟零壹拾万壹仟零壹拾元零伍角整") == 101010101010_50
    assert _parse_upper("壹亿零壹万元整") == 100010000_00
    assert _parse_upper("叁角伍分") == 35
    assert _parse_upper("零元整") == 0


def _check_upper(fen: int) -> None:
    text = rmb_upper(from_fen(fen))
    assert set(text) <= _ALLOWED, text
    assert "零零" not in text, text
    assert not text.endswith("分整"), text
    assert text.endswith("整") == (fen % 10 == 0), text
    assert text.count("整") <= 1, text
    assert not text.startswith("零") or text == "零元整", text
    assert ("元" in text) == (fen >= 100 or fen == 0), text
    assert not text.endswith("零"), text
    assert "零元" not in text or text == "零元整", text
    assert "零万" not in text and "零亿" not in text, text
    assert _parse_upper(text) == fen, text


@given(st.integers(min_value=0, max_value=MAX_UPPER_FEN))
@settings(max_examples=300)
def test_rmb_upper_properties(fen: int) -> None:
    _check_upper(fen)


@given(
    st.lists(st.sampled_from("0000000123456789"), min_size=1, max_size=14).map(
        lambda ds: int("".join(ds))
    )
)
@settings(max_examples=150)
def test_rmb_upper_properties_zero_heavy(fen: int) -> None:
    """Many zeros exercise the 零 rules across 万/亿 sections."""
    _check_upper(fen)


def test_rmb_upper_properties_all_small_amounts() -> None:
    for fen in range(0, 10_101):  # every amount up to 101.00 yuan
        _check_upper(fen)
