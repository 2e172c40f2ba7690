"""Tests for unionsdesk.domain.readers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from unionsdesk.domain.readers import (
    ReadError,
    read_bool,
    read_date,
    read_int,
    read_phone,
    strip_spaces,
    to_halfwidth,
)

# -------------------------------------------------------------- to_halfwidth


def test_to_halfwidth_whole_range() -> None:
    fullwidth = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    ascii_ = "".join(chr(c) for c in range(0x21, 0x7F))
    assert to_halfwidth(fullwidth) == ascii_
    assert to_halfwidth("\u3000") == " "


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１２３ＡＢＣａｂｃ", "123ABCabc"),
        ("（０７９７）－８１２３４５６", "(0797)-8123456"),
        ("张三\u3000李四", "张三 李四"),
        ("，：；", ",:;"),
        ("￥、。…", "￥、。…"),  # outside U+FF01–U+FF5E: unchanged
        ("\uff00\uff5f", "\uff00\uff5f"),  # just outside the range
        ("abc", "abc"),
    ],
)
def test_to_halfwidth(raw: str, expected: str) -> None:
    assert to_halfwidth(raw) == expected


def test_strip_spaces() -> None:
    assert (
        strip_spaces(" a\tb\nc\u3000d\u00a0e\u200bf\u200cg\u200dh\ufeffi\u2060j ") == "abcdefghij"
    )


# ---------------------------------------------------------------- read_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("16612345678", "16612345678"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        ("13812345678.0", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("138－1234－5678", "13812345678"),
        ("138—1234—5678", "13812345678"),
        ("138–1234–5678", "13812345678"),
        ("138.1234.5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("\u200b13812345678\ufeff", "13812345678"),
        ("138\u30001234\u00a05678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("＋８６１３８１２３４５６７８", "13812345678"),
        ("008613812345678", "13812345678"),
        ("(+86)13812345678", "13812345678"),
        # landlines
        ("0797-8123456", "0797-8123456"),
        ("07978123456", "0797-8123456"),
        ("0791-86123456", "0791-86123456"),
        ("(0791)86123456", "0791-86123456"),
        ("（0791）8612 3456", "0791-86123456"),
        ("０７９７－８１２３４５６", "0797-8123456"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("(010)6234-5678", "010-62345678"),
        ("020-87654321", "020-87654321"),
        ("029-8765432", "029-8765432"),
        ("021 6234 5678", "021-62345678"),
        ("+86 10 62345678", "010-62345678"),
        ("+86-797-8123456", "0797-8123456"),
        ("+86 21 62345678", "021-62345678"),
        ("0086 0797 8123456", "0797-8123456"),
    ],
)
def test_read_phone_accepts(raw: object, expected: str) -> None:
    assert read_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        ("  ", "不能为空"),
        ("--", "不能为空"),
        (None, "不能为空"),
        (True, "不能为空"),
        ("1381234567", "手机号码应为11位"),  # 10 digits
        ("138123456789", "手机号码应为11位"),  # 12 digits
        ("12812345678", "手机号码应为11位"),  # 12x is not a mobile prefix
        ("10012345678", "手机号码应为11位"),
        ("1381234567a", "只能包含数字"),
        ("١٣٨١٢٣٤٥٦٧٨", "只能包含数字"),
        ("138/1234/5678", "只能包含数字"),
        ("电话13812345678", "只能包含数字"),
        ("13812345678转123", "只能包含数字"),
        ("0797-812345", "座机号码应为区号加7–8位号码"),  # 6-digit local
        ("0797-812345678", "座机号码应为区号加7–8位号码"),  # 9-digit local
        ("0797-0123456", "座机号码应为区号加7–8位号码"),  # local starting with 0
        ("010-1234567", "座机号码应为区号加7–8位号码"),
        ("0797", "座机号码应为区号加7–8位号码"),
        ("0123-8123456", "区号"),
        ("0012345678", "区号"),
        ("8123456", "座机号码请带区号"),  # no area code
        ("7978123456", "无法识别的电话号码"),  # Excel dropped the leading 0
        ("+86", "无法识别的电话号码"),
        (13812345678.5, "无法识别的电话号码"),
        (float("nan"), "无法识别的电话号码"),
        (-13812345678, "无法识别的电话号码"),
        (0, "无法识别的电话号码"),
        (["13812345678"], "无法识别的电话号码"),
    ],
)
def test_read_phone_rejects(raw: object, fragment: str) -> None:
    with pytest.raises(ReadError, match=fragment):
        read_phone(raw)


def test_read_phone_message_shows_input() -> None:
    with pytest.raises(ReadError) as exc_info:
        read_phone(" 1381234567 ")
    assert str(exc_info.value) == "手机号码应为11位，以13–19开头：“1381234567”"
    assert isinstance(exc_info.value, ValueError)


# ----------------------------------------------------------------- read_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (date(2019, 5, 1), date(2019, 5, 1)),
        (datetime(2019, 5, 1, 13, 45), date(2019, 5, 1)),
        ("2019-05-01", date(2019, 5, 1)),
        ("2019-5-1", date(2019, 5, 1)),
        ("2019/5/1", date(2019, 5, 1)),
        ("2019/05/01", date(2019, 5, 1)),
        ("2019.5.1", date(2019, 5, 1)),
        ("2019.05.01", date(2019, 5, 1)),
        ("2019.05", date(2019, 5, 1)),
        ("2019.5", date(2019, 5, 1)),
        ("2019-5", date(2019, 5, 1)),
        ("2019/12", date(2019, 12, 1)),
        ("2019年5月", date(2019, 5, 1)),
        ("2019年5月1日", date(2019, 5, 1)),
        ("2019年05月01日", date(2019, 5, 1)),
        ("2019年5月1号", date(2019, 5, 1)),
        ("2019年5月1", date(2019, 5, 1)),
        ("2019 年 5 月 1 日", date(2019, 5, 1)),
        ("20190501", date(2019, 5, 1)),
        ("２０１９－０５－０１", date(2019, 5, 1)),
        ("２０１９年５月１日", date(2019, 5, 1)),
        ("2019．5", date(2019, 5, 1)),
        ("  2019-05-01\u3000", date(2019, 5, 1)),
        ("\u200b2019-05-01\ufeff", date(2019, 5, 1)),
        ("2019-05-01 00:00:00", date(2019, 5, 1)),
        ("2019-05-01T08:30", date(2019, 5, 1)),
        ("2019/5/1 8:30:15.123", date(2019, 5, 1)),
        ("2020-02-29", date(2020, 2, 29)),
        ("2000-02-29", date(2000, 2, 29)),
        ("1900-01-01", date(1900, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        # Excel serials (1900 date system)
        (43586, date(2019, 5, 1)),
        (43586.0, date(2019, 5, 1)),
        (43586.75, date(2019, 5, 1)),  # time of day is dropped
        (Decimal("43586"), date(2019, 5, 1)),
        ("43586", date(2019, 5, 1)),
        ("43586.5", date(2019, 5, 1)),
        ("４３５８６", date(2019, 5, 1)),
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (25569, date(1970, 1, 1)),
        (36526, date(2000, 1, 1)),
        (73415, date(2100, 12, 31)),
    ],
)
def test_read_date_accepts(raw: object, expected: date) -> None:
    result = read_date(raw)
    assert result == expected
    assert type(result) is date


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        None,
        "2019-02-30",
        "2019-02-29",  # not a leap year
        "1900-02-29",  # not a leap year (Excel thinks it is)
        "2019-13-01",
        "2019-00-10",
        "2019-04-31",
        "2019.13",
        "2019年13月",
        "20190230",
        "20191301",
        "1899-12-31",
        "2101-01-01",
        "1899.12",
        "0001-01-01",
        "2019-05/01",  # mixed separators
        "2019",  # a year alone
        "19-05-01",  # two-digit year
        "05/01/2019",  # US order
        "01.05.2019",
        "2019年",
        "五月一日",
        "abc",
        "2019-05-01x",
        "٢٠١٩-٠٥-٠١",  # Arabic-Indic digits
        "٤٣٥٨٦",
        "2019-05-01 25",
        "201905011",
        "12345678901",
        "1234",  # would be a serial, but 4 digits are not taken as serials
        "-43586",
        60,  # Excel's fictitious 1900-02-29
        0,
        -1,
        73416,  # 2101-01-01
        2958466,
        10**20,
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        True,
        False,
        datetime(1899, 12, 31),
        date(2101, 1, 1),
        [2019, 5, 1],
    ],
)
def test_read_date_rejects(raw: object) -> None:
    with pytest.raises(ReadError) as exc_info:
        read_date(raw)
    assert str(exc_info.value).startswith("无法识别的日期：")


def test_read_date_messages() -> None:
    with pytest.raises(ReadError, match="年份应在1900–2100之间"):
        read_date("2101-01-01")
    with pytest.raises(ReadError, match="该日期不存在"):
        read_date("2019-02-30")
    with pytest.raises(ReadError, match="1900年2月29日不存在"):
        read_date(60)
    with pytest.raises(ReadError, match="“abc”"):
        read_date(" abc ")


# ----------------------------------------------------------------- read_bool


@pytest.mark.parametrize(
    "raw",
    [
        "是",
        "√",
        "✓",
        "✔",
        "Y",
        "y",
        "yes",
        "YES",
        "Yes",
        "true",
        "TRUE",
        "True",
        "1",
        "有",
        " 是 ",
        "\u3000是\u200b",
        "ｙｅｓ",
        "Ｙ",
        "１",
        True,
        1,
        1.0,
        Decimal("1"),
    ],
)
def test_read_bool_true(raw: object) -> None:
    assert read_bool(raw) is True


@pytest.mark.parametrize(
    "raw",
    [
        "否",
        "×",
        "✗",
        "✘",
        "✕",
        "✖",
        "N",
        "n",
        "no",
        "NO",
        "No",
        "false",
        "FALSE",
        "False",
        "0",
        "无",
        " 否 ",
        "ｎｏ",
        "Ｎ",
        "０",
        False,
        0,
        0.0,
        Decimal("0"),
    ],
)
def test_read_bool_false(raw: object) -> None:
    assert read_bool(raw) is False


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "  ",
        None,
        "是否",
        "对",
        "x",
        "X",
        "2",
        "-1",
        "yess",
        "t",
        "f",
        "on",
        "off",
        2,
        -1,
        0.5,
        float("nan"),
        [True],
    ],
)
def test_read_bool_rejects(raw: object) -> None:
    with pytest.raises(ReadError) as exc_info:
        read_bool(raw)
    assert str(exc_info.value).startswith("请填写“是”或“否”")


def test_read_bool_message_shows_input() -> None:
    with pytest.raises(ReadError) as exc_info:
        read_bool("也许")
    assert str(exc_info.value) == "请填写“是”或“否”：“也许”无法识别"


# ------------------------------------------------------------------ read_int


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (3, 3),
        (-3, -3),
        (0, 0),
        (3.0, 3),
        (-2.0, -2),
        (Decimal("3"), 3),
        (Decimal("3.00"), 3),
        ("3", 3),
        (" 3 ", 3),
        ("\u30003\u200b", 3),
        ("３", 3),
        ("１２３", 123),
        ("1,200", 1200),
        ("1,234,567", 1234567),
        ("１，２００", 1200),
        ("-5", -5),
        ("－５", -5),
        ("+5", 5),
        ("\u22125", -5),
        ("3.0", 3),
        ("3.00", 3),
        ("3.", 3),
        ("1,200.0", 1200),
        ("1 200", 1200),
        ("007", 7),
    ],
)
def test_read_int_accepts(raw: object, expected: int) -> None:
    result = read_int(raw)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (3.5, "不能有小数"),
        (-0.1, "不能有小数"),
        (Decimal("3.5"), "不能有小数"),
        ("3.5", "不能有小数"),
        ("３．５", "不能有小数"),
        ("1,200.5", "不能有小数"),
        (".5", "不能有小数"),
        ("", "内容为空"),
        ("   ", "内容为空"),
        (None, "无法识别的整数"),
        (True, "无法识别的整数"),
        (float("nan"), "无法识别的整数"),
        (float("inf"), "无法识别的整数"),
        (Decimal("Infinity"), "无法识别的整数"),
        ("abc", "无法识别的整数"),
        ("三", "无法识别的整数"),
        ("3个", "无法识别的整数"),
        ("12,34", "无法识别的整数"),
        ("1,2345", "无法识别的整数"),
        ("--3", "无法识别的整数"),
        ("1e3", "无法识别的整数"),
        ("3.5.1", "无法识别的整数"),
        ("٣", "无法识别的整数"),  # Arabic-Indic digit
        ([3], "无法识别的整数"),
    ],
)
def test_read_int_rejects(raw: object, fragment: str) -> None:
    with pytest.raises(ReadError, match=fragment):
        read_int(raw)
