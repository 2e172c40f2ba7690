from unionsdesk.domain.mask import mask_account, mask_id, mask_phone


def test_mask_id() -> None:
    assert mask_id("360730197207211234") == "3607**********1234"
    assert mask_id("") == "" and mask_id(None) == ""
    assert mask_id("1234") == "****"


def test_mask_phone() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("0796-8123456") == "0796-***3456"
    assert mask_phone("12345") == "*****"


def test_mask_account() -> None:
    assert mask_account("6222021234567890123") == "*" * 15 + "0123"
