import pytest

from unionsdesk.domain.pinyin import pinyin_keys


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("张三", "zhangsan", "zs"),
        ("单田芳", "shantianfang", "stf"),
        ("曾国藩", "zengguofan", "zgf"),
        ("解放", "xiefang", "xf"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("王𠮷", "wangji", "wj"),
        ("阿依古丽·买买提", "ayigulimaimaiti", "ayglmmt"),
        ("李 明", "liming", "lm"),
        ("吕绿", "lvlv", "ll"),  # ü is typed v
    ],
)
def test_keys(name: str, full: str, initials: str) -> None:
    assert pinyin_keys(name) == (full, initials)


def test_unknown_characters_are_left_out() -> None:
    full, initials = pinyin_keys("王\U0002a6a5")
    assert full.startswith("wang") and initials.startswith("w")
