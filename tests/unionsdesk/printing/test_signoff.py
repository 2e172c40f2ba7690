"""The 发放签收表: page subtotals, totals in figures and 大写, masking, 补打, speed."""

from __future__ import annotations

import random
import re
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.domain.money import from_fen, rmb_upper
from unionsdesk.errors import UserError
from unionsdesk.printing import MissingGlyphError, SignoffRow, SignoffSheet, render_signoff_pdf

JI = "\U00020bb7"  # 𠮷
# 身份证号 [类别] 金额 share a line (序号 and a wrapped 姓名 or 类别 may not); the
# ID's last four digits are the row number in these sheets.
ROW = re.compile(r"(\d{4}[\d*]{10}(\d{3}[\dX]))\s+(?:\S+\s+)?([\d,]+\.\d\d)(?:\s|$)")
SUBTOTAL = re.compile(r"本页小计：(\d+) 人\s+([\d,]+\.\d\d)")
TOTAL = re.compile(r"合计：(\d+) 人\s+([\d,]+\.\d\d)")


def _fen(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100)


def _sheet(n: int, *, public: bool = False) -> SignoffSheet:
    rnd = random.Random(3)
    rows = [
        SignoffRow(
            name=f"吉{JI}祥"
            if i % 13 == 0
            else rnd.choice(["张三", "李四", "欧阳娜娜", "阿卜杜热合曼·买买提"]),
            id_number=f"36072119800101{i:04d}",
            category=rnd.choice(["困难职工", "劳模", "新就业形态劳动者"]),
            amount=rnd.choice([50_000, 100_000, 250_000, 123_456]),
            remark="代领：张某（父子）" if i % 6 == 0 else "",
        )
        for i in range(1, n + 1)
    ]
    return SignoffSheet(
        office="XX县总工会",
        title="XX县总工会2025年元旦春节送温暖慰问金发放签收表",
        approval_ref="X工发〔2025〕3号",
        date=date(2025, 1, 15),
        rows=rows,
        public=public,
    )


def _check(path: Path, sheet: SignoffSheet, pdftools: Any) -> list[str]:
    pages = pdftools.pages_text(path)
    total_pages = len(pages)
    seen: list[int] = []
    for number, page in enumerate(pages, 1):
        assert sheet.title in page
        assert "发放单位（盖章）：XX县总工会" in page and "审批文号：X工发〔2025〕3号" in page
        assert "发放日期：2025年01月15日" in page
        for label in (
            "序号",
            "姓名",
            "身份证号",
            "类别",
            "金额（元）",
            "领取人签字",
            "（按手印）",
            "备注",
        ):
            assert label in page, f"header {label} on page {number}"
        assert f"第 {number} 页 共 {total_pages} 页" in page
        rows_here = [int(m[2]) for line in page.splitlines() if (m := ROW.search(line))]
        seen.extend(rows_here)
        subtotal = SUBTOTAL.search(page)
        assert subtotal is not None, f"本页小计 on page {number}"
        assert int(subtotal[1]) == len(rows_here)
        assert _fen(subtotal[2]) == sum(sheet.rows[r - 1].amount for r in rows_here)
        if number < total_pages:
            assert TOTAL.search(page) is None and "大写" not in page
    assert seen == list(range(1, len(sheet.rows) + 1))
    total_fen = sum(r.amount for r in sheet.rows)
    total = TOTAL.search(pages[-1])
    assert total is not None
    assert int(total[1]) == len(sheet.rows) and _fen(total[2]) == total_fen
    upper = re.search(r"合计金额（大写）：(人民币\S+)", pages[-1])
    assert upper is not None and upper[1] == "人民币" + rmb_upper(from_fen(total_fen))
    for label in ("经办人：", "审核人：", "负责人："):
        assert label in pages[-1]
    return pages


def test_signoff_sheet(tmp_path: Path, pdftools: Any) -> None:
    sheet = _sheet(300)
    start = time.perf_counter()
    path = render_signoff_pdf(sheet, tmp_path / "signoff.pdf")
    seconds = time.perf_counter() - start
    print(f"\nsign-off sheet: 300 lines in {seconds:.2f} s ({300 / seconds:.0f} lines/s)")
    assert seconds < 5
    pages = _check(path, sheet, pdftools)
    assert len(pages) > 10  # 12 mm rows: about 18 a page
    assert "360721198001010001" in pages[0]  # the archive copy shows IDs in full
    assert not any("补打" in page for page in pages)
    assert pdftools.page_size(path) == pytest.approx((595.28, 841.89), abs=0.1)
    names = {f.name.split("+")[-1] for f in pdftools.assert_fonts_embedded(path)}
    assert names == {"UMingCN-0", "HanaMinB"}  # 𠮷 came from the fallback font


def test_reprint_is_marked_with_its_date(tmp_path: Path, pdftools: Any) -> None:
    sheet = replace(_sheet(40), reprinted_on=date(2025, 3, 2))
    path = render_signoff_pdf(sheet, tmp_path / "again.pdf", reprint=True)
    pages = _check(path, sheet, pdftools)
    assert all("补打" in page and "补打日期：2025年03月02日" in page for page in pages)


def test_public_notice_has_no_signature_column(tmp_path: Path, pdftools: Any) -> None:
    """A 公示 is a notice, not a roll to sign: masked IDs, no 领取人签字 column, and the
    公示期 and 监督电话 at its end."""
    sheet = replace(
        _sheet(40, public=True),
        title="XX县总工会2025年元旦春节送温暖慰问金发放公示",
        notice_period=(date(2025, 1, 20), date(2025, 1, 26)),
        supervision_phone="0796-8123456",
        signatures=("公示单位（盖章）",),
    )
    path = render_signoff_pdf(sheet, tmp_path / "public.pdf")
    pages = pdftools.pages_text(path)
    text = "".join(pages)
    assert "3607**********0001" in text and "360721198001010001" not in text
    assert "领取人签字" not in text and "按手印" not in text and "签收表" not in text
    assert all(sheet.title in page for page in pages)
    last = pages[-1]
    assert "公示期：2025年01月20日至2025年01月26日" in last and "监督电话：0796-8123456" in last
    assert "合计：40 人" in last
    assert sum(len(SUBTOTAL.findall(p)) for p in pages) == len(pages)


def test_single_page_and_custom_signatures(tmp_path: Path, pdftools: Any) -> None:
    sheet = SignoffSheet(
        office="XX镇工会",
        title="XX镇工会2025年金秋助学金发放签收表",
        approval_ref="",
        date="2025年8月",
        rows=[SignoffRow("张三", "36072119800101001X", "本科", 5_000_00, seq=7)],
        signatures=("经办人", "审核人", "负责人", "监督人"),
    )
    path = render_signoff_pdf(sheet, tmp_path / "one.pdf")
    (page,) = pdftools.pages_text(path)
    assert "第 1 页 共 1 页" in page and "发放日期：2025年8月" in page and "审批文号" not in page
    assert re.search(r"^\s*7\s+张三\s+36072119800101001X", page, re.M)
    assert "本页小计：1 人" in page and "合计：1 人" in page
    assert "合计金额（大写）：人民币伍仟元整" in page
    assert "监督人：" in page


def test_bad_input_is_refused_before_writing(tmp_path: Path) -> None:
    good = _sheet(3)
    negative = SignoffSheet(
        good.office, good.title, good.approval_ref, good.date,
        [*good.rows, SignoffRow("李四", "", "困难职工", -1)],
    )  # fmt: skip
    with pytest.raises(UserError, match="第4行（李四）金额为负数"):
        render_signoff_pdf(negative, tmp_path / "x.pdf")
    emoji = SignoffSheet(
        good.office, good.title, good.approval_ref, good.date,
        [SignoffRow("张三", "", "困难职工", 1), SignoffRow("王\U0001f6f8", "", "困难职工", 1)],
    )  # fmt: skip
    with pytest.raises(MissingGlyphError, match="第2行“姓名”"):
        render_signoff_pdf(emoji, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.bench
def test_two_thousand_lines_within_budget(tmp_path: Path, pdftools: Any) -> None:
    sheet = _sheet(2000)
    start = time.perf_counter()
    render_signoff_pdf(sheet, tmp_path / "big.pdf")
    seconds = time.perf_counter() - start
    print(f"\nsign-off sheet: 2000 lines in {seconds:.2f} s")
    assert seconds <= 5
    _check(tmp_path / "big.pdf", sheet, pdftools)
