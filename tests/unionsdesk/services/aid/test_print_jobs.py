"""Receipts, sign-off sheets and campaign reports through the CLI, read back from the files."""

import re
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from unionsdesk.cli import main
from unionsdesk.db.open import open_database
from unionsdesk.domain.money import rmb_upper
from unionsdesk.services.aid import campaigns
from unionsdesk.services.common.users import first_admin


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(path: Path) -> str:
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def paid(demo_db_file: Path) -> tuple[Path, int, list[campaigns.PayoutRow]]:
    db = open_database(demo_db_file)
    admin = first_admin(db)
    c = next(
        c for c in campaigns.list_campaigns(db, admin) if c.status == "草拟"
    )  # no receipts yet
    campaigns.set_campaign_status(db, admin, c.id, "审核")
    campaigns.set_campaign_status(db, admin, c.id, "已发放", date(2026, 3, 9))
    lines = campaigns.list_payouts(db, admin, c.id)
    db.dispose()
    return demo_db_file, c.id, lines


def test_print_receipts_then_reprint(
    paid: tuple[Path, int, list[campaigns.PayoutRow]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db_file, cid, lines = paid
    target = [p for p in lines if p.receipt_no is None][:2]
    out = tmp_path / "r.pdf"
    args = [
        "print",
        "receipts",
        "--campaign",
        str(cid),
        "--line",
        str(target[0].id),
        "--line",  # repeated, or comma-separated (below)
        str(target[1].id),
        str(out),  # after --line, as README shows
        "--db",
        str(db_file),
    ]
    assert main(args) == 0
    text = pdf_text(out)
    for p in target:
        assert text.count(p.name) >= 3  # three parts
        assert rmb_upper(f"{p.amount / 100:.2f}") in text
    assert "补打" not in text
    assert "yes" in pdf_fonts(out) and "STSong" not in pdf_fonts(out)
    assert main(args) == 0  # the same lines again: same numbers, marked 补打
    again = pdf_text(out)
    assert "补打" in again
    numbers = sorted(
        {w for w in again.split() if w.startswith("No.")}
        | {w for w in text.split() if w.startswith("No.")}
    )
    assert len(numbers) <= 2 or all(n in text for n in numbers)
    assert "补打 2 张" in capsys.readouterr().out.splitlines()[-1]


def test_print_signoff_public_masks_ids(
    paid: tuple[Path, int, list[campaigns.PayoutRow]], tmp_path: Path
) -> None:
    db_file, cid, lines = paid
    out = tmp_path / "s.pdf"
    assert (
        main(
            ["print", "signoff", "--campaign", str(cid), "--public", str(out), "--db", str(db_file)]
        )
        == 0
    )
    text = pdf_text(out)
    assert lines[0].id_number not in text and lines[0].id_number[:4] + "**********" in text
    total = sum(p.amount for p in lines)
    assert rmb_upper(f"{total / 100:.2f}") in text.replace("\n", "").replace(" ", "")
    # a public notice: 公示, no signature column, 公示期 and 监督电话 (单位信息)
    assert "发放公示" in text and "签收表" not in text and "领取人签字" not in text
    assert re.search(r"公示期：\d{4}年\d\d月\d\d日至\d{4}年\d\d月\d\d日", text)
    assert "监督电话：0796-8123456" in text
    # 发放日期 is the campaign's pay-out date, not the day of printing
    assert "发放日期：2026年03月09日" in text and "补打" not in text
    out2 = tmp_path / "s2.pdf"
    assert main(["print", "signoff", "--campaign", str(cid), str(out2), "--db", str(db_file)]) == 0
    again = pdf_text(out2)
    assert "补打" in again and lines[0].id_number in again and "领取人签字" in again
    assert f"补打日期：{date.today():%Y年%m月%d日}" in again
    assert "发放日期：2026年03月09日" in again


def test_report_campaign_xlsx_and_pdf(
    paid: tuple[Path, int, list[campaigns.PayoutRow]], tmp_path: Path
) -> None:
    db_file, cid, lines = paid
    xlsx = tmp_path / "c.xlsx"
    assert (
        main(["report", "campaign", "--campaign", str(cid), str(xlsx), "--db", str(db_file)]) == 0
    )
    wb = openpyxl.load_workbook(xlsx)
    assert len(wb.sheetnames) == 4
    total = sum(p.amount for p in lines)
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        total_row = next(r for r in rows if r[0] == "合计")
        assert round(float(total_row[2]) * 100) == total and total_row[1] == len(lines)
    pdf = tmp_path / "c.pdf"
    assert main(["report", "campaign", "--campaign", str(cid), str(pdf), "--db", str(db_file)]) == 0
    # the PDF carries every table of the workbook (乡镇, 工会, 类别, 形式), row for row
    lines_of_pdf = [" ".join(ln.split()) for ln in pdf_text(pdf).splitlines()]
    flat = "\n".join(lines_of_pdf)
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][0] in flat, rows[0][0]  # the table's title
        header = next(i for i, r in enumerate(rows) if r[1] == "人数")
        for label, people, amount in (r[:3] for r in rows[header + 1 :] if r[1] is not None):
            shown = f"{label} {people} {float(amount):,.2f}"
            assert shown in lines_of_pdf, f"{ws.title}: {shown}"
    assert flat.count("合计") >= len(wb.worksheets)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["print", "receipts", "--campaign", "999", "x.pdf"], "没有编号为 999"),
        (["print", "receipts", "x.pdf", "--campaign", "1", "--line", "999999"], "没有这些发放明细"),
        (["report", "campaign", "--campaign", "1", "x.txt"], ".pdf 或 .xlsx"),
    ],
)
def test_bad_print_requests(
    demo_db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    assert main([*args, "--db", str(demo_db_file)]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("x.*"))


def test_receipts_one_part_per_page_when_the_office_chooses_it(
    paid: tuple[Path, int, list[campaigns.PayoutRow]], tmp_path: Path
) -> None:
    from unionsdesk.services.common import settings

    db_file, cid, lines = paid
    ids = [str(p.id) for p in lines if p.receipt_no is None][:2]
    base = [
        "print",
        "receipts",
        "--campaign",
        str(cid),
        "--db",
        str(db_file),
        "--line",
        ",".join(ids),
    ]

    def pages(out: Path) -> int:
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
        return int(
            next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:")).split()[1]
        )

    three = tmp_path / "three.pdf"
    assert main(["print", "receipts", str(three), *base[2:]]) == 0
    assert pages(three) == 2  # three parts on one A4 page per receipt
    db = open_database(db_file)
    settings.set_receipt_one_part_per_page(db, first_admin(db), True)
    db.dispose()
    single = tmp_path / "single.pdf"
    assert main(["print", "receipts", str(single), *base[2:]]) == 0
    assert pages(single) == 6  # one page per part
    text = pdf_text(single)
    for label in ("存根", "收据", "记账"):
        assert label in text
