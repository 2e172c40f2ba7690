import pytest

from unionsdesk.domain.creditcode import InvalidCreditCode, check_char, parse

# Published codes of real organisations (check characters verified by GB 32100).
REAL = ["91350100M000100Y43", "91110000802100433B", "11100000000013127D"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes(code: str) -> None:
    assert parse(code) == code
    assert check_char(code[:17]) == code[17]


def test_normalises_spaces_case_and_fullwidth() -> None:
    assert parse(" ９１３５０１００m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("9135010", "18位"), ("91350100M000100I43", "不允许的字符"), ("91350100M000100Y44", "校验位")],
)
def test_rejections(raw: str, reason: str) -> None:
    with pytest.raises(InvalidCreditCode, match=reason):
        parse(raw)
