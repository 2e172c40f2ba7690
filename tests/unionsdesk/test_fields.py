from datetime import date

import pytest

from unionsdesk.errors import ValidationError
from unionsdesk.fields import OFFICE, USER, EntitySpec, FieldSpec


def test_required_and_blank() -> None:
    spec = FieldSpec("name", "姓名", required=True)
    with pytest.raises(ValueError, match="“姓名”必须填写"):
        spec.clean("  ")
    assert FieldSpec("x", "备注").clean("") is None
    assert FieldSpec("b", "是否", kind="bool").clean(None) is False


def test_kinds_use_tolerant_readers() -> None:
    assert FieldSpec("d", "日期", kind="date").clean("2019年5月") == date(2019, 5, 1)
    assert FieldSpec("p", "电话", kind="phone").clean("138 0013 8000") == "13800138000"
    assert FieldSpec("b", "是否", kind="bool").clean("√") is True
    assert FieldSpec("n", "人数", kind="int").clean("１,２００") == 1200
    assert FieldSpec("m", "金额", kind="money").clean("1,680.32") == 168032
    assert FieldSpec("s", "名称").clean("  示例   县 ") == "示例 县"


def test_choices_and_length() -> None:
    with pytest.raises(ValueError, match="只能是"):
        USER["role"].clean("boss")
    with pytest.raises(ValueError, match="最多18个字"):
        FieldSpec("c", "代码", max_length=18).clean("1" * 19)


def test_entity_clean_collects_all_errors() -> None:
    with pytest.raises(ValidationError) as exc:
        OFFICE.clean({"name": "", "region_code": "36", "phone": "123"})
    assert set(exc.value.errors) == {"name", "region_code", "phone"}
    assert "行政区划代码" in exc.value.errors["region_code"]


def test_entity_spec_lookup() -> None:
    spec = EntitySpec("t", "测试", (FieldSpec("a", "甲"),))
    assert spec["a"].label == "甲"


# --- sane ranges and invisible characters (issue 13, items 4 and 7) -------------------


def test_impossible_hardship_values_are_refused() -> None:
    from unionsdesk.fields import HARDSHIP

    for name, raw, words in [
        ("household_income", "-500", "不能为负数"),
        ("household_income", "1e12", "不能超过|格式不正确"),
        ("household_income", "1000000000000", "不能超过"),
        ("household_size", "-2", "不能小于1"),
        ("household_size", "0", "不能小于1"),
        ("filed_on", "2099-01-01", "不能晚于今天"),
    ]:
        with pytest.raises(ValueError, match=words):
            HARDSHIP[name].clean(raw)
    assert HARDSHIP["household_income"].clean("36000") == 3_600_000
    assert HARDSHIP["household_size"].clean("3") == 3


def test_member_dates_are_sane() -> None:
    from unionsdesk.domain.idcard import check_char
    from unionsdesk.fields import MEMBER

    with pytest.raises(ValueError, match="不能晚于今天"):
        MEMBER["joined_on"].clean("2099-05-01")
    with pytest.raises(ValueError, match="1900"):
        MEMBER["joined_on"].clean("1899-12-31")
    with pytest.raises(ValueError, match="不能早于2000-01-01"):
        FieldSpec("d", "日期", kind="date", earliest=date(2000, 1, 1)).clean("1999-12-31")
    baby = date.today().replace(day=1)
    first = f"110101{baby:%Y%m%d}123"
    row = {"name": "张三", "id_number": first + check_char(first), "joined_on": date.today()}
    with pytest.raises(ValidationError, match="入会时只有0周岁"):
        MEMBER.clean(row, only=["name", "id_number", "joined_on"])
    first = "110101198001011234"[:17]
    row = {"name": "张三", "id_number": first + check_char(first), "joined_on": "1979-05-01"}
    with pytest.raises(ValidationError, match="早于出生日期"):
        MEMBER.clean(row, only=["name", "id_number", "joined_on"])
    row["joined_on"] = "2000-05-01"
    assert MEMBER.clean(row, only=["name", "id_number", "joined_on"])["joined_on"] == date(
        2000, 5, 1
    )


def test_joining_at_fifteen_is_a_warning_not_an_error() -> None:
    from unionsdesk.domain.idcard import check_char
    from unionsdesk.fields import MEMBER, joining_age_warning

    first = "11010120000101123"
    row = {"name": "李四", "id_number": first + check_char(first), "joined_on": "2015-06-01"}
    clean = MEMBER.clean(row, only=["name", "id_number", "joined_on"])
    assert joining_age_warning(clean) == "入会时未满16周岁（15周岁），请核对"


def test_payout_amount_has_a_ceiling() -> None:
    from unionsdesk.fields import PAYOUT

    with pytest.raises(ValueError, match=r"不能超过1,000,000\.00元"):
        PAYOUT["amount"].clean("1000000000")


def test_defaults_give_new_fields_sane_ranges() -> None:
    """A helper's new money/int/date field gets ranges without saying anything."""
    money, count, day = (
        FieldSpec("m", "补助", kind="money"),
        FieldSpec("n", "人数", kind="int"),
        FieldSpec("d", "日期", kind="date"),
    )
    for spec, raw in [(money, "-1"), (money, "1e15"), (count, "-3"), (count, "1e12"),
                      (day, "1800-01-01"), (day, "2200-01-01")]:  # fmt: skip
        with pytest.raises(ValueError):
            spec.clean(raw)
    assert FieldSpec("x", "差额", kind="money", min_value=None).clean("-5") == -500


@pytest.mark.parametrize(
    "raw, position",
    [("张\x00三", 2), ("\u202e三张", 1), ("李四\x1b", 3), ("王\x85五", 2), ("赵\u2066六", 2)],
)
def test_control_characters_are_refused_with_their_position(raw: str, position: int) -> None:
    from unionsdesk.fields import MEMBER

    with pytest.raises(ValueError, match=f"第{position}个字符处含有不可见控制字符"):
        MEMBER["name"].clean(raw)
    with pytest.raises(ValueError, match="含有不可见控制字符"):
        FieldSpec("notes", "备注", kind="text").clean(raw)


def test_rare_characters_and_punctuation_still_work() -> None:
    from unionsdesk.fields import MEMBER

    assert MEMBER["name"].clean("𠀀𪚥·阿依古丽") == "𠀀𪚥·阿依古丽"
    assert (
        FieldSpec("notes", "备注", kind="text").clean("第一行\n第二行\t（注）")
        == "第一行\n第二行\t（注）"
    )


# --- property: nothing out of range gets through a FieldSpec --------------------------


def _all_field_specs() -> list[FieldSpec]:
    import importlib
    import pkgutil

    import unionsdesk.fields as fields_mod
    import unionsdesk.services as services

    modules = [fields_mod]
    for info in pkgutil.iter_modules(services.__path__):
        try:
            modules.append(importlib.import_module(f"unionsdesk.services.{info.name}.specs"))
        except ImportError:
            continue  # an area without specs (yet)
    found: dict[tuple[str, str], FieldSpec] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, EntitySpec):
                for f in value.fields:
                    found[(value.name, f.name)] = f
    return list(found.values())


ALL_SPECS = _all_field_specs()

EDGE_TEXT = ["", " ", "0", "-0", "-1", "-500", "1e12", "1E308", "nan", "inf", "9" * 30,
             "０", "－５", "1,000,000,000", "¥1000000000", "0.001", "2099-01-01",
             "1899-12-31", "1900-01-01", "0000-00-00", "9999-12-31", "\x00", "\u202e",
             "张\x07三", "𠀀", "\ufeff", "\x85"]  # fmt: skip


def _edge_values() -> object:
    from datetime import datetime, timedelta

    from hypothesis import strategies as st

    today = date.today()
    return st.one_of(
        st.sampled_from(EDGE_TEXT),
        st.integers(min_value=-(10**16), max_value=10**16),
        st.floats(allow_nan=True, allow_infinity=True),
        st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
        st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2300, 1, 1)),
        st.sampled_from([today, today + timedelta(days=1), today + timedelta(days=4000)]),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    )


def _assert_in_range(spec: FieldSpec, value: object) -> None:
    from unionsdesk.fields import control_character_problem

    if value is None or isinstance(value, bool):
        return
    low, high = spec.bounds()
    if spec.kind in ("int", "money", "date"):
        assert low is None or value >= low, (spec.name, value)  # type: ignore[operator]
        assert high is None or value <= high, (spec.name, value)  # type: ignore[operator]
    if isinstance(value, str):
        assert control_character_problem(spec.label, value) is None, (spec.name, value)


def test_property_nothing_out_of_range_is_accepted() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from unionsdesk.excel.reader import _clean_field

    assert len(ALL_SPECS) > 60  # every spec of every area

    @settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(ALL_SPECS), _edge_values())
    def check(spec: FieldSpec, raw: object) -> None:
        for clean in (spec.clean, lambda r: _clean_field(spec, r, None)):
            try:
                value = clean(raw)
            except ValueError:
                continue
            _assert_in_range(spec, value)

    check()
