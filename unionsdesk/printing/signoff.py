"""慰问金发放签收表 (pay-out sign-off sheet), DOMAIN.md §2.

One line per recipient, tall enough (12 mm) for a signature and a thumbprint.
Every page repeats the title, the 发放单位/审批文号/日期 line and the header
row, and closes with 本页小计 (人数 and 金额); the last page has 合计 in
figures and 人民币大写, then the 经办人/审核人/负责人 lines. A reprint says 补打
on every page, with the reprint's date beside the 发放日期.

The 公示 copy is a public notice, not a roll to sign: ID numbers masked, no
signature column (the other columns take its width), and at the end the 公示期
(from–to) and the 监督电话.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from unionsdesk.domain.mask import mask_id
from unionsdesk.errors import UserError
from unionsdesk.printing.fonts import clean_text
from unionsdesk.printing.grid import GridColumn, GridDocument, SummaryRow, render_grid
from unionsdesk.printing.pdf import (
    MM,
    CancelCheck,
    ProgressCallback,
    date_text,
    upper_yuan,
    yuan_text,
)

__all__ = ["SIGNOFF_COLUMNS", "SignoffRow", "SignoffSheet", "render_signoff_pdf"]

REPRINT_MARK = "补打"
ROW_HEIGHT = 12 * MM  # a signature and a thumbprint
FONT_SIZE = 10.0

# label, width (mm of the 180 mm line), alignment, fit
SIGNOFF_COLUMNS: tuple[GridColumn, ...] = (
    GridColumn("序号", 10, "center", "shrink"),
    GridColumn("姓名", 22, "center", "shrink", min_scale=0.75),
    GridColumn("身份证号", 36, "center", "shrink"),
    GridColumn("类别", 25, "center", "shrink", min_scale=0.75),
    GridColumn("金额（元）", 22, "right", "shrink"),
    GridColumn("领取人签字\n（按手印）", 36, "center", "wrap"),
    GridColumn("备注", 29, "left", "wrap", min_scale=0.75),
)
Day = date  # the type, under a name the dataclass's ``date`` field does not shadow
_AMOUNT = 4  # index of 金额 in SIGNOFF_COLUMNS
_SIGN = 5  # index of 领取人签字 in SIGNOFF_COLUMNS: left out of the 公示 copy
_SPAN = (None, None, None)  # 小计/合计 label spans 序号 … 类别


@dataclass(frozen=True)
class SignoffRow:
    name: str
    id_number: str
    category: str  # 慰问类别/困难类别
    amount: int  # fen
    remark: str = ""  # e.g. 代领人姓名及关系
    seq: int | None = None  # 序号; None = position in the sheet (1, 2, …)


@dataclass(frozen=True)
class SignoffSheet:
    office: str  # 发放单位
    title: str  # e.g. XX县总工会2025年元旦春节送温暖慰问金发放签收表
    approval_ref: str  # 审批文号 / 批次号
    date: date | str  # 发放日期
    rows: Sequence[SignoffRow]
    public: bool = False  # 公示 copy: ID numbers masked, no signature column
    signatures: Sequence[str] = ("经办人", "审核人", "负责人")
    reprinted_on: Day | None = None  # the date of this 补打 (printed beside 发放日期)
    notice_period: tuple[Day, Day] | None = None  # 公示期 (public copy)
    supervision_phone: str = ""  # 监督电话 (public copy)


def _count_text(n: int) -> str:
    return f"{n} 人"


def render_signoff_pdf(
    sheet: SignoffSheet,
    path: str | os.PathLike[str],
    *,
    reprint: bool = False,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Print the sign-off sheet to a PDF at ``path`` (replacing it) and return the path.

    Raises `UserError` for a negative amount and `MissingGlyphError` for a
    character no bundled font has, before anything is written.
    """
    amounts: list[int] = []
    shown: list[list[str]] = []
    for n, row in enumerate(sheet.rows, 1):
        amount = row.amount
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"row {n}: amount is int fen, not {amount!r}")
        if amount < 0:
            raise UserError(f"第{n}行（{row.name}）金额为负数，不能打印签收表")
        amounts.append(amount)
        number = clean_text((row.id_number or "").strip())
        shown.append(
            [
                str(row.seq if row.seq is not None else n),
                clean_text((row.name or "").strip(), multiline=True),
                mask_id(number) if sheet.public else number,
                clean_text(row.category or "", multiline=True),
                yuan_text(amount),
                "",
                clean_text(row.remark or "", multiline=True),
            ]
        )
    total = sum(amounts)

    right_parts = []
    if sheet.approval_ref:
        right_parts.append(f"审批文号：{clean_text(sheet.approval_ref)}")
    when = date_text(sheet.date)
    if when:
        right_parts.append(f"发放日期：{clean_text(when)}")
    if reprint and sheet.reprinted_on is not None:
        right_parts.append(f"补打日期：{date_text(sheet.reprinted_on)}")
    columns = SIGNOFF_COLUMNS
    final_lines = [f"合计金额（大写）：{upper_yuan(total)}"]
    if sheet.public:
        columns = tuple(c for i, c in enumerate(SIGNOFF_COLUMNS) if i != _SIGN)
        shown = [row[:_SIGN] + row[_SIGN + 1 :] for row in shown]
        if sheet.notice_period is not None:
            start, end = sheet.notice_period
            final_lines.append(f"公示期：{date_text(start)}至{date_text(end)}")
        if sheet.supervision_phone:
            final_lines.append(f"监督电话：{clean_text(sheet.supervision_phone)}")
        final_lines.append("对公示名单有异议的，请在公示期内向发放单位反映。")

    def cells(label: str, amount: int) -> list[str | None]:
        row: list[str | None] = [label, *_SPAN, yuan_text(amount), "", ""]
        return row[:_SIGN] + row[_SIGN + 1 :] if sheet.public else row

    doc = GridDocument(
        title=clean_text(sheet.title),
        columns=columns,
        rows=shown,
        header_lines=[(f"发放单位（盖章）：{clean_text(sheet.office)}", "    ".join(right_parts))],
        font_size=FONT_SIZE,
        min_row_height=8 * MM if sheet.public else ROW_HEIGHT,
        summary_row_height=8 * MM,
        page_summary=lambda start, end: SummaryRow(
            cells(f"本页小计：{_count_text(end - start)}", sum(amounts[start:end]))
        ),
        final_rows=[SummaryRow(cells(f"合计：{_count_text(len(amounts))}", total))],
        final_lines=final_lines,
        signatures=[clean_text(s) for s in sheet.signatures],
        stamp=REPRINT_MARK if reprint else "",
    )
    target = Path(path)
    render_grid(doc, target, progress=progress, cancelled=cancelled)
    return target
