"""The campaign summary as one PDF of four tables, read back with pdftotext/pdffonts."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.db.engine import Database
from unionsdesk.domain.idcard import check_char
from unionsdesk.domain.money import from_fen, rmb_upper
from unionsdesk.printing import Cancelled, MissingGlyphError
from unionsdesk.printing.table_pdf import render_tables_pdf
from unionsdesk.services.aid import campaigns
from unionsdesk.services.aid.print_jobs import campaign_report
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import unions
from unionsdesk.table import Column, Table

YEAR = 2031  # the demo data has campaigns of the current year
SUFFIXES = ("按乡镇/产业", "按基层工会", "按类别", "按发放形式")
# A body row: group name (absent on the line of a wrapped name's numbers), 人数, 金额.
ROW = re.compile(r"^\s*(?:(\S.*?)\s+)?(\d+)\s+(-?[\d,]+\.\d\d)\s*$")
TOTAL = re.compile(r"^\s*合计\s+(\d+)\s+(-?[\d,]+\.\d\d)\s*$")
FOOTER = re.compile(r"第 (\d+) 页 共 (\d+) 页")


def _fen(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100)


def _id(seq: int) -> str:
    first = f"36083019800101{seq:03d}"
    return first + check_char(first)


def _sections(pages: list[str], titles: list[str]) -> list[list[str]]:
    """The pages of each table, by the title at the top of the page."""
    out: list[list[str]] = [[] for _ in titles]
    for page in pages:
        head = "\n".join(page.strip().splitlines()[:2])
        found = [k for k, title in enumerate(titles) if title in head]
        assert len(found) == 1, f"one table title at the top of the page:\n{page}"
        out[found[0]].append(page)
    return out


def _check_section(pages: list[str], people: int, total: int) -> list[tuple[str, int, int]]:
    """Rows and totals of one table: the 合计 row (last page only) equals the sum of
    the rows and the expected figures; the 大写 line spells the total."""
    rows: list[tuple[str, int, int]] = []
    totals: list[tuple[int, int]] = []
    for number, page in enumerate(pages, 1):
        for line in page.splitlines():
            if m := TOTAL.match(line):
                assert number == len(pages), "合计 only on the table's last page"
                totals.append((int(m[1]), _fen(m[2])))
            elif m := ROW.match(line):
                rows.append(((m[1] or "").strip(), int(m[2]), _fen(m[3])))
        assert ("大写" in page) == (number == len(pages))
    assert totals == [(people, total)]
    assert sum(r[1] for r in rows) == people and sum(r[2] for r in rows) == total
    upper = re.search(r"合计金额（大写）：(人民币\S+)", pages[-1])
    assert upper is not None and upper[1] == "人民币" + rmb_upper(from_fen(total))
    return rows


def _check_document(path: Path, pdftools: Any, titles: list[str]) -> list[list[str]]:
    pages = pdftools.pages_text(path)
    assert len(pages) == pdftools.page_count(path) >= len(titles)
    for number, page in enumerate(pages, 1):
        footers = FOOTER.findall(page)
        assert footers == [(str(number), str(len(pages)))], f"page {number}: {footers}"
    for page in pages[:-1]:
        assert "经办人" not in page and "负责人" not in page
    for label in ("经办人：", "审核人：", "负责人："):
        assert pages[-1].count(label) == 1
    found = pdftools.assert_fonts_embedded(path)
    assert {f.name.split("+")[-1] for f in found} <= {"UMingCN-0", "HanaMinB"}
    return _sections(pages, titles)


@pytest.fixture
def paid_campaign(any_db: Database, admin: CurrentUser) -> tuple[campaigns.CampaignRow, list[int]]:
    """A 2031 campaign: ten people in three unions, three categories, three forms."""
    c = campaigns.save_campaign(
        any_db, admin,
        {"name": "2031年元旦春节送温暖", "kind": "冬送温暖/两节慰问", "year": YEAR, "budget": "50000",
         "approval_ref": "示工发〔2031〕1号"},
        standards={"深度困难": "2500", "相对困难": "1500"},
    )  # fmt: skip
    grassroots = [u.id for u in unions.list_unions(any_db, admin, with_counts=False) if u.parent_id]
    plan = [
        ("深度困难", 250000, "现金"),
        ("深度困难", 250000, "银行转账"),
        ("深度困难", 300000, "现金"),  # above the standard, with a reason
        ("相对困难", 150000, "现金"),
        ("相对困难", 150000, "银行转账"),
        ("相对困难", 150000, "现金"),
        (None, 80000, "实物"),
        (None, 60050, "现金"),
        (None, 12345, "银行转账"),
        ("深度困难", 250000, "现金"),
    ]
    amounts = []
    for k, (category, fen, form) in enumerate(plan):
        values = {
            "name": f"帮扶{'甲乙丙丁戊己庚辛壬癸'[k]}",
            "id_number": _id(k + 1),
            "category": category,
            "amount": f"{fen / 100:.2f}",
            "form": form,
            "item": "米面油" if form == "实物" else None,
            "override_reason": "因病加发" if fen == 300000 else None,
        }
        union_id = grassroots[k % 3 * 7]
        campaigns.add_payout(any_db, admin, c.id, values, union_id=union_id)
        amounts.append(fen)
    return campaigns.get_campaign(any_db, admin, c.id), amounts


def test_campaign_pdf_has_all_four_tables(
    any_db: Database,
    admin: CurrentUser,
    paid_campaign: tuple[campaigns.CampaignRow, list[int]],
    tmp_path: Path,
    pdftools: Any,
) -> None:
    c, amounts = paid_campaign
    path = campaign_report(any_db, admin, c.id, tmp_path / "汇总.pdf")
    assert path == tmp_path / "汇总.pdf"
    titles = [f"{c.name}发放汇总（{suffix}）" for suffix in SUFFIXES]
    sections = _check_document(path, pdftools, titles)
    total = sum(amounts)
    assert total == c.total
    by_table = [_check_section(pages, len(amounts), total) for pages in sections]
    townships, grassroots, categories, forms = by_table
    assert len(grassroots) == 3 and 1 <= len(townships) <= 3
    assert categories == [  # sorted by name, as in the workbook
        ("深度困难", 4, 1_050_000),
        ("相对困难", 3, 450_000),
        ("（未分类）", 3, 152_395),
    ]
    assert sorted(forms) == [("实物", 1, 80000), ("现金", 6, 1_160_050), ("银行转账", 3, 412_345)]
    # The header line of each table names its grouping column.
    for pages, label in zip(
        sections, ("乡镇（街道）/产业工会", "基层工会", "类别", "发放形式"), strict=True
    ):
        assert label in pages[0] and "人数" in pages[0] and "金额（元）" in pages[0]
        assert "批准文号：示工发〔2031〕1号" in pages[0]


def test_a_demo_campaign_prints_every_grouping(
    any_db: Database, admin: CurrentUser, tmp_path: Path, pdftools: Any
) -> None:
    c = max(campaigns.list_campaigns(any_db, admin), key=lambda c: c.lines)
    assert c.lines > 0
    path = campaign_report(any_db, admin, c.id, tmp_path / "demo.pdf")
    titles = [f"{c.name}发放汇总（{suffix}）" for suffix in SUFFIXES]
    for pages in _check_document(path, pdftools, titles):
        _check_section(pages, c.lines, c.total)


COLUMNS = (
    Column("group", "分组", "text", 28),
    Column("people", "人数", "int", 8),
    Column("amount", "金额（元）", "money", 14),
)


def _long_table(name: str, n: int) -> Table:
    rows = [[f"{name}{i:03d}", i % 4 + 1, i * 1001] for i in range(1, n + 1)]
    return Table(
        f"{name}汇总表", COLUMNS, rows, subtitle="填报单位：示例县总工会", units="元"
    ).with_totals()


def test_several_tables_number_their_pages_as_one_document(tmp_path: Path, pdftools: Any) -> None:
    tables = [_long_table("甲组", 120), _long_table("乙组", 3), _long_table("丙组", 70)]
    calls: list[tuple[int, int]] = []
    path = render_tables_pdf(
        tables,
        tmp_path / "three.pdf",
        page_subtotals=True,
        upper_total_column="amount",
        progress=lambda done, total: calls.append((done, total)),
    )
    sections = _check_document(path, pdftools, [t.title for t in tables])
    assert [len(s) for s in sections] == [3, 1, 2]
    n_pages = sum(len(s) for s in sections)
    assert calls == [(k, n_pages) for k in range(1, n_pages + 1)]
    for table, pages in zip(tables, sections, strict=True):
        people = sum(int(r[1]) for r in table.rows)  # type: ignore[call-overload]
        total = sum(int(r[2]) for r in table.rows)  # type: ignore[call-overload]
        subtotal = re.compile(r"本页小计\s+(-?[\d,]+\.\d\d)")
        seen = []
        for page in pages:
            here = [
                (m[1], _fen(m[3]))
                for line in page.splitlines()
                if (m := ROW.match(line)) and not TOTAL.match(line)
            ]
            seen.extend(name for name, _ in here)
            sub = subtotal.search(page)
            assert sub is not None and _fen(sub[1]) == sum(fen for _, fen in here)
        assert seen == [r[0] for r in table.rows], "every row once, in order, in its table"
        assert _check_section([re.sub(r"(?m)^.*本页小计.*$", "", p) for p in pages], people, total)
    assert pdftools.page_size(path) == pytest.approx((595.28, 841.89), abs=0.1)


def test_mixed_orientation_and_refusals(tmp_path: Path, pdftools: Any) -> None:
    wide = Table(
        "宽表", [Column(f"c{i}", f"第{i}列", "text", 14) for i in range(12)], [["值"] * 12]
    )
    path = render_tables_pdf([_long_table("窄", 2), wide], tmp_path / "mixed.pdf", signatures=())
    pages = pdftools.pages_text(path)
    assert len(pages) == 2 and "第11列" in pages[1] and "经办人" not in pages[1]
    assert "窄汇总表" in pages[0] and "宽表" in pages[1]
    # Page 2 is landscape: pdfinfo reports the first page, so ask for the second.
    import subprocess

    info = subprocess.run(
        ["pdfinfo", "-f", "2", "-l", "2", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Page\s+2 size:\s+841\.89 x 595\.2", info)

    bad = Table("坏表", COLUMNS, [["李\U0001f6f8", 1, 100]])
    with pytest.raises(MissingGlyphError):
        render_tables_pdf([_long_table("好", 2), bad], tmp_path / "bad.pdf")
    with pytest.raises(Cancelled):
        render_tables_pdf([_long_table("好", 2)] * 2, tmp_path / "no.pdf", cancelled=lambda: True)
    with pytest.raises(ValueError):
        render_tables_pdf([], tmp_path / "none.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mixed.pdf"]
