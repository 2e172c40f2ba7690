"""领款收据: three parts a page, amounts in figures and 大写, 作废, 补打, 套打 offsets."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.domain.money import format_yuan, from_fen, rmb_upper
from unionsdesk.errors import UserError
from unionsdesk.printing import (
    MissingGlyphError,
    Receipt,
    render_calibration_pdf,
    render_receipts_pdf,
)
from unionsdesk.printing.pdf import MM

JI = "\U00020bb7"  # 𠮷


def _receipt(n: int, **changes: Any) -> Receipt:
    values: dict[str, Any] = {
        "number": f"2026-{n:06d}",
        "date": date(2026, 1, 15),
        "payer": "XX县总工会",
        "payee": "欧阳娜娜",
        "payee_id": "3607**********1234",
        "purpose": "2025年春节送温暖慰问金",
        "amount": 250_000 + n * 37,
        "handler": "李经办",
        "reviewer": "王审核",
    }
    values.update(changes)
    return Receipt(**values)


def test_three_parts_per_page(tmp_path: Path, pdftools: Any) -> None:
    receipts = [
        _receipt(1),
        _receipt(2, void=True),
        _receipt(3, reprint=True, payee=f"吉{JI}祥", amount=1_680_32),
        _receipt(4, amount=0, leader="赵主席"),
    ]
    path = render_receipts_pdf(receipts, tmp_path / "r.pdf")
    pages = pdftools.pages_text(path)
    assert len(pages) == 4
    assert pdftools.page_size(path) == pytest.approx((595.28, 841.89), abs=0.1)
    for receipt, page in zip(receipts, pages, strict=True):
        upper = rmb_upper(from_fen(receipt.amount))
        assert page.count(f"No. {receipt.number}") == 3
        assert page.count(f"人民币（大写）{upper}") == 3
        assert page.count(format_yuan(from_fen(receipt.amount))) == 3
        assert page.count("2026年01月15日") == 3
        for label in ("第一联", "存根", "第二联", "收据", "第三联", "记账"):
            assert label in page
        for text in ("今收到", "XX县总工会", "身份证号", "3607**********1234", "事由"):
            assert page.count(text) == 3, text
        assert page.count("2025年春节送温暖慰问金") == 3
        for label in (
            "领款人签字（按手印）：",
            "经办人：",
            "审核人：",
            "负责人：",
            "单位（盖章）：",
        ):
            assert page.count(label) == 3, label
        assert page.count("李经办") == 3 and page.count("王审核") == 3
        assert ("作废" in page) == receipt.void
        assert (page.count("补打") == 3) == receipt.reprint
    assert "欧阳娜娜" in pages[0]
    assert "壹仟陆佰捌拾元零叁角贰分" in pages[2] and "¥1,680.32" in pages[2]
    assert "零元整" in pages[3] and "¥0.00" in pages[3] and pages[3].count("赵主席") == 3
    names = {f.name.split("+")[-1] for f in pdftools.assert_fonts_embedded(path)}
    assert names == {"UMingCN-0", "HanaMinB"}  # 𠮷 from the fallback font


def test_one_part_per_page_and_two_part_books(tmp_path: Path, pdftools: Any) -> None:
    path = render_receipts_pdf(
        [_receipt(1), _receipt(2)], tmp_path / "r.pdf", one_part_per_page=True
    )
    pages = pdftools.pages_text(path)
    assert len(pages) == 6
    assert ["第一联" in p for p in pages] == [True, False, False] * 2
    assert "第三联" in pages[5] and "记账" in pages[5] and "No. 2026-000002" in pages[5]
    two = render_receipts_pdf([_receipt(1)], tmp_path / "two.pdf", parts=("存根", "收据"))
    (page,) = pdftools.pages_text(two)
    assert page.count("No. 2026-000001") == 2 and "第三联" not in page


def _first_box(path: Path, word: str, pdftools: Any) -> tuple[float, float]:
    for text, x, y in pdftools.word_boxes(path):
        if text == word:
            return x, y
    raise AssertionError(f"{word!r} not on page 1")


def test_offsets_move_everything(tmp_path: Path, pdftools: Any) -> None:
    plain = render_receipts_pdf([_receipt(1)], tmp_path / "0.pdf")
    moved = render_receipts_pdf([_receipt(1)], tmp_path / "1.pdf", offset_mm=(10, 5))
    back = render_receipts_pdf([_receipt(1)], tmp_path / "2.pdf", offset_mm=(-3.5, -2))
    for word in ("No.", "今收到", "经办人："):
        x0, y0 = _first_box(plain, word, pdftools)
        x1, y1 = _first_box(moved, word, pdftools)
        x2, y2 = _first_box(back, word, pdftools)
        assert x1 - x0 == pytest.approx(10 * MM, abs=0.05)  # right
        assert y1 - y0 == pytest.approx(5 * MM, abs=0.05)  # down (bbox y grows downwards)
        assert x2 - x0 == pytest.approx(-3.5 * MM, abs=0.05)
        assert y2 - y0 == pytest.approx(-2 * MM, abs=0.05)
    with pytest.raises(UserError, match="偏移量过大"):
        render_receipts_pdf([_receipt(1)], tmp_path / "x.pdf", offset_mm=(51, 0))


def test_calibration_page(tmp_path: Path, pdftools: Any) -> None:
    path = render_calibration_pdf(tmp_path / "cal.pdf", (1.5, -2))
    (page,) = pdftools.pages_text(path)
    for text in (
        "套打校准页",
        "当前偏移：向右 1.5 mm，向下 -2 mm",
        "距左 20 mm",
        "距上 277 mm",
        "实际大小",
    ):
        assert text in page
    pdftools.assert_fonts_embedded(path)
    x0, y0 = _first_box(render_calibration_pdf(tmp_path / "c0.pdf"), "套打校准页", pdftools)
    x1, y1 = _first_box(path, "套打校准页", pdftools)
    assert (x1 - x0, y1 - y0) == pytest.approx((1.5 * MM, -2 * MM), abs=0.05)


def test_refusals_write_nothing(tmp_path: Path) -> None:
    with pytest.raises(MissingGlyphError, match="领款人"):
        render_receipts_pdf([_receipt(1), _receipt(2, payee="王\U0001f6f8")], tmp_path / "x.pdf")
    with pytest.raises(UserError, match="金额为负数"):
        render_receipts_pdf([_receipt(1, amount=-5)], tmp_path / "x.pdf")
    with pytest.raises(UserError, match="没有要打印的收据"):
        render_receipts_pdf([], tmp_path / "x.pdf")
    with pytest.raises(ValueError, match="three parts"):
        render_receipts_pdf([_receipt(1)], tmp_path / "x.pdf", parts=("甲", "乙", "丙", "丁"))
    assert list(tmp_path.iterdir()) == []


def test_long_text_stays_in_its_box(tmp_path: Path, pdftools: Any) -> None:
    receipt = _receipt(
        9,
        payer="XX县总工会机关工会委员会下属第三分会及其他很长很长的单位名称用于测试",
        purpose="2025年春节送温暖慰问金（困难职工家庭，因病致困，子女就学）以及其他很长的事由说明",
        amount=10**14 - 1,  # the largest amount 大写 can write
    )
    path = render_receipts_pdf([receipt], tmp_path / "long.pdf")
    (page,) = pdftools.pages_text(path)
    assert page.count("玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分") == 3
    assert page.count("¥999,999,999,999.99") == 3


def test_rate(tmp_path: Path, pdftools: Any) -> None:
    receipts = [_receipt(n, void=n % 50 == 0, reprint=n % 30 == 0) for n in range(200)]
    start = time.perf_counter()
    render_receipts_pdf(receipts, tmp_path / "many.pdf")
    seconds = time.perf_counter() - start
    print(f"\nreceipts: 200 in {seconds:.2f} s ({200 / seconds:.0f} receipts/s)")
    assert pdftools.page_count(tmp_path / "many.pdf") == 200
    assert 200 / seconds >= 40  # budget is 100/s; leave room for slow CI machines


@pytest.mark.bench
def test_rate_budget(tmp_path: Path) -> None:
    receipts = [_receipt(n) for n in range(1000)]
    start = time.perf_counter()
    render_receipts_pdf(receipts, tmp_path / "many.pdf")
    rate = 1000 / (time.perf_counter() - start)
    print(f"\nreceipts: {rate:.0f} receipts/s (1000 into one PDF)")
    assert rate >= 100
