"""A report Table printed to PDF, read back with pdftotext/pdffonts."""

from __future__ import annotations

import random
import re
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.domain.money import from_fen, rmb_upper
from unionsdesk.printing import Cancelled, MissingGlyphError, render_table_pdf
from unionsdesk.table import Column, Table

JI = "\U00020bb7"  # 𠮷
COLUMNS = (
    Column("seq", "序号", "text", 5),
    Column("name", "姓名", "text", 10),
    Column("id", "身份证号", "idno", 20),
    Column("persons", "人数", "int", 6),
    Column("amount", "金额（元）", "money", 12),
    Column("remark", "备注", "text", 18),
)
ROW = re.compile(r"^\s*(\d+)\s+\S+\s+(\d{18})\s+(\d+)\s+(-?[\d,]+\.\d\d)(?:\s|$)")
SUBTOTAL = re.compile(r"本页小计\s+(\d+)\s+(-?[\d,]+\.\d\d)")
TOTAL = re.compile(r"^\s*合计\s+(\d+)\s+(-?[\d,]+\.\d\d)")


def _fen(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100)


def _table(n: int, seed: int = 7) -> Table:
    rnd = random.Random(seed)
    rows: list[list[object]] = []
    for i in range(1, n + 1):
        remark = ""
        if i % 7 == 0:  # a cell that wraps onto several lines
            remark = f"备注 A{i:04d} 家庭困难情况说明比较长需要换行显示 Z{i:04d}"
        elif i % 5 == 0:
            remark = "代领：张某（父子）"
        name = f"吉{JI}祥" if i % 11 == 0 else rnd.choice(["张三", "李四", "欧阳娜娜", "王小二"])
        rows.append(
            [
                str(i),
                name,
                f"36072119800101{i:04d}",
                rnd.randint(1, 5),
                rnd.randint(1, 500_000),
                remark,
            ]
        )
    return Table(
        title="XX县总工会2025年元旦春节送温暖慰问金发放花名册",
        columns=COLUMNS,
        rows=rows,
        subtitle="填报单位：XX县总工会    统计日期：2025年01月15日",
        units="元",
        notes=("注：金额单位为元。",),
    ).with_totals()


def test_pages_subtotals_totals_and_upper(tmp_path: Path, pdftools: Any) -> None:
    table = _table(300)
    path = render_table_pdf(
        table,
        tmp_path / "roll.pdf",
        page_subtotals=True,
        subtotal_columns=("persons", "amount"),
        upper_total_column="amount",
    )
    assert path == tmp_path / "roll.pdf"
    pages = pdftools.pages_text(path)
    n_pages = len(pages)
    assert n_pages == pdftools.page_count(path) > 3
    assert pdftools.page_size(path) == pytest.approx((595.28, 841.89), abs=0.1)  # A4 portrait

    seen: list[int] = []
    page_of: dict[str, int] = {}
    amounts = {int(r[0]): r[4] for r in table.rows}
    persons = {int(r[0]): r[3] for r in table.rows}
    for number, page in enumerate(pages, 1):
        lines = page.splitlines()
        assert table.title in page
        assert "填报单位：XX县总工会" in page and "单位：元" in page
        header = next(line for line in lines if "身份证号" in line)
        assert "序号" in header and "金额（元）" in header and "备注" in header
        assert f"第 {number} 页 共 {n_pages} 页" in page
        rows_here = [int(m[1]) for line in lines if (m := ROW.match(line))]
        assert rows_here, f"page {number} has no rows"
        seen.extend(rows_here)
        for token in re.findall(r"[AZ]\d{4}", page):
            page_of.setdefault(token, number)
            assert page_of[token] == number
        subtotals = [m for line in lines if (m := SUBTOTAL.search(line))]
        assert len(subtotals) == 1, f"page {number}: one 本页小计"
        assert int(subtotals[0][1]) == sum(persons[r] for r in rows_here)
        assert _fen(subtotals[0][2]) == sum(amounts[r] for r in rows_here)
        totals = [m for line in lines if (m := TOTAL.match(line))]
        if number < n_pages:
            assert not totals and "大写" not in page and "经办人" not in page
    assert seen == list(range(1, 301)), "every row once, in order"
    # A wrapped cell never runs onto the next page: its first and last words share a page.
    for i in range(7, 301, 7):
        assert page_of[f"A{i:04d}"] == page_of[f"Z{i:04d}"]

    last = pages[-1]
    total_fen = sum(amounts.values())
    totals = [m for line in last.splitlines() if (m := TOTAL.match(line))]
    assert len(totals) == 1
    assert int(totals[0][1]) == sum(persons.values())
    assert _fen(totals[0][2]) == total_fen == table.totals[4]  # type: ignore[index]
    upper = re.search(r"合计金额（大写）：(人民币\S+)", last)
    assert upper is not None and upper[1] == "人民币" + rmb_upper(from_fen(total_fen))
    assert "注：金额单位为元。" in last
    for label in ("经办人：", "审核人：", "负责人："):
        assert label in last

    found = pdftools.assert_fonts_embedded(path)
    assert {f.name.split("+")[-1] for f in found} == {"UMingCN-0", "HanaMinB"}


def test_default_subtotal_is_money_columns(tmp_path: Path, pdftools: Any) -> None:
    table = _table(40)
    path = render_table_pdf(table, tmp_path / "t.pdf", page_subtotals=True, signatures=())
    pages = pdftools.pages_text(path)
    for page in pages:
        rows_here = [int(m[1]) for line in page.splitlines() if (m := ROW.match(line))]
        sub = re.search(r"本页小计\s+(-?[\d,]+\.\d\d)", page)
        assert sub is not None
        assert _fen(sub[1]) == sum(table.rows[r - 1][4] for r in rows_here)  # type: ignore[misc]
    assert "经办人" not in pages[-1]


def test_without_totals_the_upper_line_sums_the_rows(tmp_path: Path, pdftools: Any) -> None:
    rows = [["1", "张三", "360721198001010001", 1, 10_300_00, ""], ["2", "李四", "", 1, 7, ""]]
    table = Table("测试表", COLUMNS, rows)
    path = render_table_pdf(table, tmp_path / "t.pdf", upper_total_column="amount")
    text = "".join(pdftools.pages_text(path))
    assert "合计金额（大写）：人民币壹万零叁佰元零柒分" in text
    assert not any(TOTAL.match(line) for line in text.splitlines())  # no totals row given


def test_empty_table(tmp_path: Path, pdftools: Any) -> None:
    table = Table("空表", COLUMNS, []).with_totals()
    path = render_table_pdf(
        table, tmp_path / "t.pdf", page_subtotals=True, upper_total_column="amount"
    )
    pages = pdftools.pages_text(path)
    assert len(pages) == 1
    assert "零元整" in pages[0] and "第 1 页 共 1 页" in pages[0]
    assert "本页小计" not in pages[0]  # a page without rows has nothing to subtotal


def test_wide_table_goes_landscape(tmp_path: Path, pdftools: Any) -> None:
    columns = [Column(f"c{i}", f"第{i}列", "text", 14) for i in range(12)]
    table = Table("宽表", columns, [[f"值{i}" for i in range(12)]] * 5)
    auto = render_table_pdf(table, tmp_path / "auto.pdf")
    assert pdftools.page_size(auto) == pytest.approx((841.89, 595.28), abs=0.1)
    forced = render_table_pdf(table, tmp_path / "forced.pdf", landscape=False)
    assert pdftools.page_size(forced) == pytest.approx((595.28, 841.89), abs=0.1)
    assert "第11列" in pdftools.pages_text(forced)[0]  # shrunk to fit, not cut off
    narrow = render_table_pdf(_table(3), tmp_path / "narrow.pdf", landscape=True)
    assert pdftools.page_size(narrow) == pytest.approx((841.89, 595.28), abs=0.1)


def test_unprintable_character_is_refused_before_writing(tmp_path: Path) -> None:
    table = _table(5)
    rows = [list(r) for r in table.rows]
    rows[3][1] = "李\U0001f6f8"
    bad = Table(table.title, table.columns, rows)
    with pytest.raises(MissingGlyphError, match="第4行“姓名”"):
        render_table_pdf(bad, tmp_path / "bad.pdf")
    assert list(tmp_path.iterdir()) == []


def test_progress_and_cancel(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    render_table_pdf(_table(200), tmp_path / "ok.pdf", progress=lambda d, t: calls.append((d, t)))
    assert (
        calls
        and calls[-1][0] == calls[-1][1]
        and [c[0] for c in calls] == list(range(1, len(calls) + 1))
    )
    with pytest.raises(Cancelled):
        render_table_pdf(_table(200), tmp_path / "no.pdf", cancelled=lambda: True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.pdf"]


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no column"):
        render_table_pdf(_table(2), tmp_path / "t.pdf", subtotal_columns=("nope",))
    with pytest.raises(ValueError, match="not int/money"):
        render_table_pdf(_table(2), tmp_path / "t.pdf", upper_total_column="name")


def test_thousands_of_rows_quickly(tmp_path: Path, pdftools: Any) -> None:
    table = _table(3000)
    start = time.perf_counter()
    render_table_pdf(table, tmp_path / "big.pdf", page_subtotals=True, upper_total_column="amount")
    seconds = time.perf_counter() - start
    print(
        f"\ntable PDF: 3000 rows, {pdftools.page_count(tmp_path / 'big.pdf')} pages in {seconds:.2f} s"
    )
    assert seconds < 15  # about 1 s on a development machine; generous for slow CI


def test_pagination_keeps_the_totals_block_with_rows() -> None:
    from unionsdesk.printing.grid import _paginate

    assert _paginate([10.0] * 10, 50, 0) == [(0, 5), (5, 10)]
    assert _paginate([10.0] * 9, 50, 10) == [(0, 5), (5, 9)]  # 40 + 10 fits
    # 50 + 25 does not fit: the last page gives rows to a new last page with the block.
    assert _paginate([10.0] * 10, 50, 25) == [(0, 5), (5, 8), (8, 10)]
    # A block that leaves no room for any row gets a page of its own.
    assert _paginate([10.0] * 5, 50, 45) == [(0, 5), (5, 5)]
    assert _paginate([], 50, 20) == [(0, 0)]
