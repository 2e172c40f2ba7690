"""From records to paper: receipts, sign-off sheets and campaign reports as PDF
(or Excel for reports), for the GUI and the CLI alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from unionsdesk.db.engine import Database
from unionsdesk.domain.mask import mask_id
from unionsdesk.errors import UserError
from unionsdesk.services.aid.receipts import ReceiptInfo, receipt_infos, record_print
from unionsdesk.services.common.base import PII, CurrentUser
from unionsdesk.services.common.office import get_office
from unionsdesk.services.common.settings import (
    get_print_offsets,
    get_receipt_one_part_per_page,
    get_setting,
)

MASK_RECEIPT_ID = "print.receipt_mask_id"  # "1": receipts show 3607**********1234


def _check_out(path: Path, suffixes: Sequence[str]) -> Path:
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise UserError(f"输出文件应以 {' 或 '.join(suffixes)} 结尾：{path}")
    if not path.parent.is_dir():
        raise UserError(f"输出目录不存在：{path.parent}")
    return path


def receipts_pdf(
    db: Database,
    actor: CurrentUser,
    receipt_ids: Sequence[int],
    path: Path,
    *,
    record: bool = True,
    mask: bool | None = None,
    **progress: Any,
) -> list[ReceiptInfo]:
    """Render the receipts (three parts on each A4 page, or one part a page as the office
    chose in 设置, 套打 offsets applied). With ``record`` the
    print is counted first, so a second print of a number says 补打."""
    from unionsdesk.printing.receipt import Receipt, render_receipts_pdf

    path = _check_out(path, (".pdf",))
    if not receipt_ids:
        raise UserError("没有要打印的收据")
    infos = (
        record_print(db, actor, receipt_ids)
        if record
        else receipt_infos(db, actor, receipt_ids, show_id=True)
    )
    if mask is None:
        mask = get_setting(db, MASK_RECEIPT_ID, "0") == "1"
    mask = mask or not actor.can(PII)
    office = get_office(db)
    offsets = get_print_offsets(db)
    paper = [
        Receipt(
            number=r.number, date=r.issued_on, payer=office.name, payee=r.payee,
            payee_id=mask_id(r.payee_id_number) if mask else r.payee_id_number, purpose=r.purpose, amount=r.amount,
            handler=actor.display_name, reviewer=r.reviewer or None, leader=office.leader, void=r.void,
            reprint=r.print_count > (1 if record else 0),  # without record this print comes next
        )
        for r in infos
    ]  # fmt: skip
    render_receipts_pdf(
        paper,
        path,
        offset_mm=(offsets.x_mm, offsets.y_mm),
        one_part_per_page=get_receipt_one_part_per_page(db),
        **progress,
    )
    return infos


NOTICE_DAYS = 7  # 公示期 when none is given: a week from the day of printing


def signoff_pdf(
    db: Database,
    actor: CurrentUser,
    campaign_id: int,
    union_id: int | None,
    public: bool,
    path: Path,
    *,
    notice_period: tuple[date, date] | None = None,
    today: date | None = None,
    **progress: Any,
) -> Path:
    """The 发放签收表, or with ``public`` the 公示 notice (ID numbers masked, no
    signature column, 公示期 and 监督电话); the print is recorded and frozen.
    发放日期 is the campaign's pay-out date (or, before it is confirmed, the date of
    its first receipt; blank while neither exists) — never the day of printing."""
    from unionsdesk.printing.signoff import SignoffRow, SignoffSheet, render_signoff_pdf
    from unionsdesk.services.aid.campaigns import get_campaign
    from unionsdesk.services.aid.signoff import print_signoff

    path = _check_out(path, (".pdf",))
    today = today or date.today()
    public = public or not actor.can(PII)
    if notice_period is not None and notice_period[1] < notice_period[0]:
        raise UserError("公示期的结束日期不能早于开始日期")
    sheet = print_signoff(db, actor, campaign_id, union_id)
    campaign = get_campaign(db, actor, campaign_id)
    office = get_office(db)
    scope = "" if sheet.scope == "全部" else f"（{sheet.scope}）"
    kind = "发放公示" if public else "发放签收表"
    paper = SignoffSheet(
        office=office.name,
        title=f"{office.name}{sheet.campaign_name}{kind}{scope}",
        approval_ref=sheet.approval_ref or "",
        date=campaign.paid_on or _first_receipt_date(db, actor, campaign_id) or "",
        rows=[
            SignoffRow(line.name, line.id_number, line.category, line.amount, line.note)
            for line in sheet.lines
        ],
        public=public,
        signatures=("公示单位（盖章）",) if public else ("经办人", "审核人", "负责人"),
        reprinted_on=today if sheet.reprint else None,
        notice_period=(notice_period or (today, today + timedelta(days=NOTICE_DAYS - 1)))
        if public
        else None,
        supervision_phone=office.phone or "" if public else "",
    )
    return render_signoff_pdf(paper, path, reprint=sheet.reprint, **progress)


def _first_receipt_date(db: Database, actor: CurrentUser, campaign_id: int) -> date | None:
    from unionsdesk.services.aid.receipts import receipt_infos, receipts_for_campaign

    ids = receipts_for_campaign(db, actor, campaign_id, include_void=False)
    return min((r.issued_on for r in receipt_infos(db, actor, ids, show_id=False)), default=None)


def campaign_report(db: Database, actor: CurrentUser, campaign_id: int, path: Path) -> Path:
    """The campaign summary: all four groupings (township, union, category, form) as
    sheets of one workbook (.xlsx), or one after the other in a PDF, each table from
    a new page with its 合计 row and the total in 大写; signature lines at the end."""
    from unionsdesk.reports.campaign import campaign_summary

    path = _check_out(path, (".pdf", ".xlsx"))
    tables = campaign_summary(db, actor, campaign_id, get_office(db).name)
    if path.suffix.lower() == ".xlsx":
        from unionsdesk.excel.writer import write_tables

        write_tables(path, [(t, t.title.split("（")[-1].rstrip("）")) for t in tables])
        return path
    from unionsdesk.printing.table_pdf import render_tables_pdf

    name = tables[0].title.rsplit("（", 1)[0]
    return render_tables_pdf(tables, path, title=name, upper_total_column="amount")
