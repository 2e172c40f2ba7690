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
