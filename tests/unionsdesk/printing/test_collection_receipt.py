"""收款收据 (e.g. 互助保障费) on the shared receipt layout: its rows, the amount in
figures and 大写, the seal line with the office's name, and figures that must add up."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.errors import UserError
from unionsdesk.printing.receipt import CollectionReceipt, Receipt, render_receipts_pdf


def _receipt(**changes: Any) -> CollectionReceipt:
    values: dict[str, Any] = {
        "number": "2026-000012",
        "date": date(2026, 3, 5),
        "payer": "示例县城关镇中心小学工会委员会",
        "item": "互助保障费　在职职工意外伤害互助保障计划　2026期",
        "amount": 10_300_00,  # ¥10,300.00
        "payee": "示例县总工会",
        "people": 103,
        "shares": 1030,
        "shares_each": 10,
        "unit_price": 10_00,
        "cashier": "李收款",
        "leader": "赵主席",
    }
    values.update(changes)
    return CollectionReceipt(**values)


def test_collection_receipt_reads_back(tmp_path: Path, pdftools: Any) -> None:
    receipts = [
        _receipt(),
        _receipt(
            number="2026-000013",
            reprint=True,
            shares_each=None,
            shares=1031,
            amount=1031 * 60_07,
            unit_price=60_07,
        ),
    ]
    path = render_receipts_pdf(receipts, tmp_path / "c.pdf")
    first, second = pdftools.pages_text(path)
    assert pdftools.page_size(path) == pytest.approx((595.28, 841.89), abs=0.1)
    assert first.count("No. 2026-000012") == 3
    assert first.count("人民币（大写）壹万零叁佰元整") == 3 and first.count("¥10,300.00") == 3
    for text in ("收款收据", "交款单位", "示例县城关镇中心小学工会委员会", "项目",
                 "在职职工意外伤害互助保障计划", "103人次", "每人10份", "¥10.00/份",
                 "2026年03月05日", "收款单位（盖章）：示例县总工会", "交款人：", "收款人：",
                 "李收款", "赵主席"):  # fmt: skip
        assert first.count(text) == 3, text
    assert "补打" not in first and "作废" not in first and "身份证号" not in first
    assert second.count("共1,031份") == 3 and second.count("¥60.07/份") == 3
    assert second.count("人民币（大写）陆万壹仟玖佰叁拾贰元壹角柒分") == 3  # 1031 × 60.07
    assert second.count("补打") == 3
    fonts = pdftools.assert_fonts_embedded(path)
    assert {f.name.split("+")[-1] for f in fonts} == {"UMingCN-0"}


def test_mixed_with_payout_receipts_and_void(tmp_path: Path, pdftools: Any) -> None:
    payout = Receipt(number="2026-000001", date=date(2026, 1, 15), payer="示例县总工会",
                     payee="张三", payee_id="3607**********1234", purpose="慰问金", amount=500_00)  # fmt: skip
    path = render_receipts_pdf(
        [payout, _receipt(void=True)], tmp_path / "m.pdf", one_part_per_page=True
    )
    pages = pdftools.pages_text(path)
    assert len(pages) == 6
    assert all("领款人签字" in p and "今收到" in p for p in pages[:3])
    assert all("交款单位" in p and "作废" in p and "领款人" not in p for p in pages[3:])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": 10_300_01}, "不等于金额"),
        ({"shares": 1029}, "不等于 1029份"),
        ({"people": -1}, "人次、份数或单价不正确"),
        ({"amount": -5}, "金额为负数"),
    ],
)
def test_figures_that_do_not_add_up_are_refused(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    target = tmp_path / "bad.pdf"
    with pytest.raises(UserError, match=message):
        render_receipts_pdf([_receipt(**changes)], target)
    assert not target.exists()


def test_long_names_stay_in_their_boxes(tmp_path: Path) -> None:
    import re
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils are not installed")
    long_unit = "示例县" + "某某某" * 12 + "有限责任公司工会委员会"
    path = render_receipts_pdf(
        [_receipt(payer=long_unit, item="互助保障费　" + "很长的计划名称" * 8, people=10**6,
                  shares=10**7, amount=10**10)], tmp_path / "l.pdf",
    )  # fmt: skip
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', html)]
    assert right and max(right) <= 595.28 - 15 * 72 / 25.4 + 0.5  # inside the frame
    text = re.sub(r"<[^>]+>|\s", "", html)
    assert "1,000,000人次" in text and "每人10份" in text
