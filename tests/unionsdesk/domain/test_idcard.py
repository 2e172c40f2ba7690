"""Tests for unionsdesk.domain.idcard (GB 11643-1999)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionsdesk.domain.idcard import (
    IdCard,
    InvalidIdNumber,
    check_char,
    is_valid,
    looks_excel_damaged,
    normalize,
    parse,
)

TODAY = date(2025, 6, 1)


def _iso7064(first17: str) -> str:
    """Reference check character computed the ISO 7064 MOD 11-2 way (weights 2^i mod 11)."""
    total = sum(int(ch) * pow(2, 17 - i, 11) for i, ch in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _make(first17: str) -> str:
    return first17 + _iso7064(first17)


# ------------------------------------------------------------------ check_char


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),  # example from GB 11643-1999
        ("44052418800101001", "4"),  # example from GB 11643-1999
        ("36083019720721201", "5"),
        ("36073020000229123", "0"),
        ("00000000000000000", "1"),
    ],
)
def test_check_char_known(first17: str, expected: str) -> None:
    assert check_char(first17) == expected


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
@settings(max_examples=100)
def test_check_char_matches_iso7064(first17: str) -> None:
    assert check_char(first17) == _iso7064(first17)


def test_check_char_covers_all_eleven_values() -> None:
    seen = {check_char(f"{n:017d}") for n in range(0, 200)}
    assert seen == set("0123456789X")


@pytest.mark.parametrize("bad", ["", "1234567890123456", "123456789012345678", "1101051949123100X"])
def test_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError, match="17位数字"):
        check_char(bad)


# ------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("\u3000110105\u00a019491231\t002x\n", "11010519491231002X"),
        ("\u200b110105\u200c1949\u200d1231\ufeff002X", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# ----------------------------------------------------------------------- parse


def test_parse_standard_example() -> None:
    card = parse("11010519491231002X", today=TODAY)
    assert card == IdCard(
        number="11010519491231002X",
        birth_date=date(1949, 12, 31),
        sex="女",
        area_code="110105",
    )


def test_idcard_is_frozen() -> None:
    card = parse("11010519491231002X", today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.sex = "男"  # type: ignore[misc]


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        "  11010519491231002X\u3000",
        "110105 1949 1231 002X",
        "110105\u200b19491231002\ufeffX",
        "１１０１０５１９４９１２３１００２ｘ",
        "１１０１０５1949１２３１００２X",
    ],
)
def test_parse_tolerates_formatting(raw: str) -> None:
    assert parse(raw, today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    ("first17", "sex"),
    [
        ("36083019720721201", "男"),  # sequence 201 odd
        ("36083019720721202", "女"),  # sequence 202 even
        ("36083019720721210", "女"),  # sequence 210: parity of the whole number
        ("36083019720721219", "男"),
        ("36083019720721000", "女"),  # 000 is even
    ],
)
def test_parse_sex(first17: str, sex: str) -> None:
    number = _make(first17)
    card = parse(number, today=TODAY)
    assert card.sex == sex
    assert card.number == number
    assert card.area_code == "360830"
    assert card.birth_date == date(1972, 7, 21)


def test_parse_legacy_15_digit_upgrade() -> None:
    card = parse("110105491231002", today=TODAY)
    assert card.number == "11010519491231002X"
    assert card.birth_date == date(1949, 12, 31)
    assert card.sex == "女"
    assert card.area_code == "110105"


def test_parse_legacy_15_digit_male_and_formatting() -> None:
    card = parse(" ３６０８３０７２０７２１２０１ ", today=TODAY)
    assert card.number == "360830197207212015"
    assert card.sex == "男"
    assert card.birth_date == date(1972, 7, 21)


@pytest.mark.parametrize(
    ("raw", "length"),
    [
        ("", 0),
        ("1101051949123100", 16),
        ("11010519491231002", 17),
        ("11010519491231002X1", 19),
        ("11010549123100", 14),
        ("   ", 0),
    ],
)
def test_parse_reason_length(raw: str, length: int) -> None:
    with pytest.raises(InvalidIdNumber) as exc_info:
        parse(raw, today=TODAY)
    assert exc_info.value.reason == "length"
    assert str(exc_info.value) == f"身份证号码应为18位（或15位旧号码），实际为{length}位"
    assert isinstance(exc_info.value, ValueError)


def test_length_message_example() -> None:
    with pytest.raises(InvalidIdNumber, match="身份证号码应为18位（或15位旧号码），实际为17位"):
        parse("11010519491231002")


@pytest.mark.parametrize(
    ("raw", "position", "char"),
    [
        ("1101051949123100XX", 17, "X"),  # X only allowed last
        ("X10105194912310021", 1, "X"),
        ("11010519491231002Y", 18, "Y"),
        ("110105-19491231002", 7, "-"),
        ("11010519491231002*", 18, "*"),
        ("11010549123100X", 15, "X"),  # 15-digit numbers have no X
        ("1101054912310a2", 14, "A"),
        ("11010519491231002²", 18, "²"),  # a Unicode digit that is not 0-9
    ],
)
def test_parse_reason_chars(raw: str, position: int, char: str) -> None:
    with pytest.raises(InvalidIdNumber) as exc_info:
        parse(raw, today=TODAY)
    assert exc_info.value.reason == "chars"
    assert f"第{position}位“{char}”" in str(exc_info.value)


@pytest.mark.parametrize("raw", [110105491231002, 1.1010519491231002e17, None])
def test_parse_rejects_non_text(raw: object) -> None:
    with pytest.raises(InvalidIdNumber) as exc_info:
        parse(raw, today=TODAY)  # type: ignore[arg-type]
    assert exc_info.value.reason == "chars"
    assert "文本" in str(exc_info.value)


@pytest.mark.parametrize(
    ("first17", "fragment"),
    [
        ("36073019900229123", "1990年2月29日不存在"),  # not a leap year
        ("36073019000229123", "1900年2月29日不存在"),  # century, not leap
        ("36073019721301123", "1972年13月1日不存在"),
        ("36073019720100123", "1972年1月0日不存在"),
        ("36073019720431123", "1972年4月31日不存在"),
        ("36073018991231123", "早于1900年"),
        ("44052418800101001", "早于1900年"),  # GB example, born 1880
        ("36073020250602123", "晚于今天"),  # TODAY + 1 day
        ("36073030000101123", "晚于今天"),
    ],
)
def test_parse_reason_date(first17: str, fragment: str) -> None:
    with pytest.raises(InvalidIdNumber) as exc_info:
        parse(_make(first17), today=TODAY)
    assert exc_info.value.reason == "date"
    assert fragment in str(exc_info.value)
    assert str(exc_info.value).startswith("身份证号码中的出生日期无效")


def test_parse_reason_date_legacy() -> None:
    with pytest.raises(InvalidIdNumber) as exc_info:
        parse("110105490229002", today=TODAY)  # 1949 is not a leap year
    assert exc_info.value.reason == "date"


@pytest.mark.parametrize(
    "first17",
    [
        "36073020000229123",  # 2000 is a leap year (divisible by 400)
        "36073019960229123",
        "36073020240229124",
        "36073019000101001",  # earliest allowed
        "36073020250601123",  # born today
    ],
)
def test_parse_boundary_dates_accepted(first17: str) -> None:
    card = parse(_make(first17), today=TODAY)
    assert card.birth_date.strftime("%Y%m%d") == first17[6:14]


def test_parse_uses_real_today_by_default() -> None:
    tomorrow = date.today() + timedelta(days=1)
    number = _make("360730" + tomorrow.strftime("%Y%m%d") + "123")
    with pytest.raises(InvalidIdNumber):
        parse(number)
    assert parse(number, today=tomorrow).birth_date == tomorrow


@pytest.mark.parametrize(
    "raw",
    [
        "110105194912310021",  # wrong check digit
        "11010519491231002x".replace("x", "0"),
        "110105194912310030",
        "360830197207212016",  # one off
        "360830197207212105",  # swapped adjacent digits 01 -> 10
        "440524188001010014".replace("1880", "1980"),
    ],
)
def test_parse_reason_checksum(raw: str) -> None:
    with pytest.raises(InvalidIdNumber) as exc_info:
        parse(raw, today=TODAY)
    assert exc_info.value.reason == "checksum"
    assert "校验" in str(exc_info.value)


def test_parse_checks_in_order_date_before_checksum() -> None:
    with pytest.raises(InvalidIdNumber) as exc_info:
        parse("360730199002291230", today=TODAY)  # bad date and (likely) bad check
    assert exc_info.value.reason == "date"


@given(
    area=st.text(alphabet="0123456789", min_size=6, max_size=6),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    seq=st.integers(min_value=0, max_value=999),
)
@settings(max_examples=200)
def test_parse_round_trip(area: str, birth: date, seq: int) -> None:
    number = _make(f"{area}{birth:%Y%m%d}{seq:03d}")
    card = parse(number, today=TODAY)
    assert card == IdCard(number, birth, "男" if seq % 2 else "女", area)
    assert is_valid(number.lower(), today=TODAY)
    # Any single-character change of the first 17 digits breaks the check character.
    changed = number[:16] + str((int(number[16]) + 1) % 10) + number[17]
    assert not is_valid(changed, today=TODAY)


# -------------------------------------------------------------------- is_valid


def test_is_valid() -> None:
    assert is_valid("11010519491231002X", today=TODAY)
    assert is_valid("11010519491231002x")
    assert is_valid("110105491231002")
    assert not is_valid("110105194912310021")
    assert not is_valid("")
    assert not is_valid("44052418800101001" + "4")
    assert not is_valid(_make("36073020250602123"), today=TODAY)
    assert is_valid(_make("36073020250602123"), today=TODAY + timedelta(days=1))


# --------------------------------------------------------- looks_excel_damaged


@pytest.mark.parametrize(
    "raw",
    [
        3.60830197207212e17,
        360830197207212000,
        110105491231002,  # even an exact 15-digit number came from a number cell
        Decimal("360830197207212015"),
        "3.60830197207212E+17",
        "3.60830197207212e+17",
        " 3.60830197207212E+17 ",
        "3.6083E17",
        "３.６０８３０１９７２０７２１２Ｅ＋１７",
        "360830197207212000",  # checksum would be 5
        "360830197207212000.0",
        "110105491231002.0",
    ],
)
def test_looks_excel_damaged_true(raw: object) -> None:
    assert looks_excel_damaged(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "360830197207212015",
        "11010519491231002X",
        "110105491231002",
        "360830197207212001",  # fails checksum but does not end in 000
        "36083019720721200",  # 17 digits
        "",
        "张三",
        True,
        False,
        None,
        b"360830197207212000",
    ],
)
def test_looks_excel_damaged_false(raw: object) -> None:
    assert not looks_excel_damaged(raw)


def test_looks_excel_damaged_valid_number_ending_in_000() -> None:
    # A genuine number can end in 000 when its check character is 0.
    first17 = next(
        f"3608301972072{n:01d}200"
        for n in range(10)
        if check_char(f"3608301972072{n:01d}200") == "0"
    )
    number = first17 + "0"
    assert number.endswith("000")
    assert is_valid(number, today=TODAY)
    assert not looks_excel_damaged(number)
