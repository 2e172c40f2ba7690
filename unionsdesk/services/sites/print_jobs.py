"""Printed forms of the sites area: 项目补助申报表, 审批表 (with 合计 and 大写),
验收表, the finance office's Excel of every project by status, and the 会费收缴表."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from unionsdesk.attachments import list_attachments
from unionsdesk.db.engine import Database
from unionsdesk.errors import UserError
from unionsdesk.printing.form import FormCell, FormDocument, FormRow, render_form_pdf
from unionsdesk.printing.pdf import date_text, upper_yuan, yuan_text
from unionsdesk.services.common.base import CurrentUser, audit, writing
from unionsdesk.services.common.office import get_office
from unionsdesk.services.sites import dues as dues_svc
from unionsdesk.services.sites import grants as grants_svc
from unionsdesk.services.sites.specs import GRANT_STATUSES
from unionsdesk.table import Column, Table

_SIGNED = "（盖章）        年    月    日"


def _money(fen: int | None) -> str:
    return "" if fen is None else f"{yuan_text(fen)} 元"


def _log(db: Database, actor: CurrentUser, entity: str, entity_id: int | None, what: str) -> None:
    with writing(db, actor) as s:
        audit(s, actor, "print", entity, entity_id, summary=what)


def _label(text: str, share: float = 1.4) -> FormCell:
    return FormCell(text, share, label=True)


def grant_application_pdf(db: Database, actor: CurrentUser, grant_id: int, out: Path) -> Path:
    """项目补助申报表 of one project (with its attachments listed)."""
    g = grants_svc.get_grant(db, actor, grant_id)
    files = list_attachments(db, actor, "grant", grant_id)
    rows = [
        FormRow([_label("项目编号"), FormCell(g.code, 2.6), _label("申报日期"), FormCell(date_text(g.applied_on), 2.6)]),
        FormRow([_label("申报单位"), FormCell(g.union_name, 6.6)]),
        FormRow([_label("项目名称"), FormCell(g.name, 6.6)]),
        FormRow([_label("项目类型"), FormCell(g.kind, 2.6), _label("联系人\n及电话"),
                 FormCell(" ".join(x for x in (g.contact, g.contact_phone) if x), 2.6)]),
        FormRow([_label("建设内容"), FormCell(g.content or "", 6.6)], min_lines=5),
        FormRow([_label("项目总预算"), FormCell(_money(g.total_budget), 2.6), _label("自筹资金"), FormCell(_money(g.self_funded), 2.6)]),
        FormRow([_label("申请补助"), FormCell(f"{_money(g.requested)}    大写：{upper_yuan(g.requested)}", 6.6)]),
        FormRow([_label("附件"), FormCell("；".join(f.name for f in files) or "无", 6.6)]),
        FormRow([_label("申报单位\n意见"), FormCell("", 6.6, align_bottom_right=_SIGNED)], min_lines=4),
        FormRow([_label("乡镇（产业）\n工会意见"), FormCell("", 6.6, align_bottom_right=_SIGNED)], min_lines=4),
        FormRow([_label("县总工会\n审核意见"), FormCell("", 6.6, align_bottom_right=_SIGNED)], min_lines=4),
    ]  # fmt: skip
    doc = FormDocument(
        title=f"{g.year}年度对下项目补助申报表",
        rows=rows,
        subtitle_left=f"填报单位（盖章）：{g.union_name}",
        subtitle_right=f"金额单位：元    状态：{g.status}",
        signatures=("填表人", "单位负责人"),
    )
    render_form_pdf(doc, out)
    _log(db, actor, "grant", g.id, f"打印补助项目 {g.code} 申报表")
    return out


def grant_acceptance_pdf(db: Database, actor: CurrentUser, grant_id: int, out: Path) -> Path:
    """验收表 of one project: what was approved and paid, and the acceptance."""
    g = grants_svc.get_grant(db, actor, grant_id)
    if g.approved_amount is None:
        raise UserError(f"补助项目“{g.name}”还没有批准，不能打印验收表")
    pays = "；".join(f"{p.paid_on:%Y-%m-%d} {yuan_text(p.amount)}元" + (f"（{p.voucher_no}）" if p.voucher_no else "")
                    for p in g.payments) or "未拨付"  # fmt: skip
    rows = [
        FormRow([_label("项目编号"), FormCell(g.code, 2.6), _label("项目类型"), FormCell(g.kind, 2.6)]),
        FormRow([_label("项目名称"), FormCell(g.name, 6.6)]),
        FormRow([_label("申报单位"), FormCell(g.union_name, 6.6)]),
        FormRow([_label("批准文号"), FormCell(g.approval_ref or "", 2.6), _label("批准日期"), FormCell(date_text(g.approved_on), 2.6)]),
        FormRow([_label("批准金额"), FormCell(f"{_money(g.approved_amount)}    大写：{upper_yuan(g.approved_amount)}", 6.6)]),
        FormRow([_label("已拨付"), FormCell(f"{_money(g.paid)}：{pays}", 6.6)]),
        FormRow([_label("建设内容"), FormCell(g.content or "", 6.6)], min_lines=3),
        FormRow([_label("实际投入"), FormCell(_money(g.actual_investment), 2.6), _label("验收日期"), FormCell(date_text(g.accepted_on), 2.6)]),
        FormRow([_label("验收人员"), FormCell(g.acceptance_by or "", 2.6), _label("验收结论"),
                 FormCell(g.acceptance_result or "□合格  □整改  □不合格", 2.6)]),
        FormRow([_label("验收意见"), FormCell(g.acceptance_note or "", 6.6, align_bottom_right=_SIGNED)], min_lines=5),
    ]  # fmt: skip
    doc = FormDocument(
        title="对下项目补助验收表",
        rows=rows,
        subtitle_left=f"验收单位：{get_office(db).name}",
        subtitle_right="金额单位：元",
        signatures=("验收组长", "验收人员", "项目单位负责人"),
    )
    render_form_pdf(doc, out)
    _log(db, actor, "grant", g.id, f"打印补助项目 {g.code} 验收表")
    return out


def approval_table(
    db: Database, actor: CurrentUser, grant_ids: Sequence[int] = (), *, year: int | None = None
) -> Table:
    """审批表: the projects for the approval meeting (the given ones, or the year's
    projects still at 申报), with 合计."""
    if grant_ids:
        rows = grants_svc.grants_by_ids(db, actor, grant_ids)
    else:
        rows = grants_svc.list_grants(db, actor, year or date.today().year, status="申报")
    if not rows:
        raise UserError("没有要上会审批的补助项目（状态为“申报”的项目）")
    pending = all(g.approved_amount is None for g in rows)
    columns = [
        Column("n", "序号", "int", 4), Column("unit", "申报单位", "text", 22), Column("name", "项目名称", "text", 20),
        Column("kind", "类型", "text", 8), Column("total", "总预算", "money", 11), Column("self", "自筹", "money", 10),
        Column("requested", "申请补助", "money", 11), Column("approved", "拟补助金额" if pending else "批准金额", "money", 11),
        Column("note", "备注", "text", 10),
    ]  # fmt: skip
    body = [
        [n, g.union_name, g.name, g.kind, g.total_budget, g.self_funded, g.requested,
         g.approved_amount, g.code]
        for n, g in enumerate(rows, 1)
    ]  # fmt: skip
    totals: list[object] = [None] * len(columns)
    for i in (4, 5, 6, 7):
        totals[i] = sum(int(r[i] or 0) for r in body)
    refs = sorted({g.approval_ref for g in rows if g.approval_ref})
    subtitle = f"填报单位：{get_office(db).name}" + (
        f"    会议/文号：{'、'.join(refs)}" if refs else ""
    )
    return Table(
        f"{rows[0].year}年度对下项目补助审批表",
        columns,
        body,
        subtitle=subtitle,
        totals=totals,
        units="金额单位：元",
    )


def grant_approval_pdf(
    db: Database,
    actor: CurrentUser,
    out: Path,
    grant_ids: Sequence[int] = (),
    *,
    year: int | None = None,
) -> Path:
    from unionsdesk.printing.table_pdf import render_table_pdf

    table = approval_table(db, actor, grant_ids, year=year)
    approved = any(r[7] is not None for r in table.rows)
    render_table_pdf(
        table, out, landscape=True, signatures=("经办人", "审核人", "主席"),
        upper_total_column="approved" if approved else "requested",
    )  # fmt: skip
    _log(db, actor, "grant", None, f"打印补助项目审批表（{len(table.rows)}个项目）")
    return out


def grants_by_status_xlsx(db: Database, actor: CurrentUser, year: int, out: Path) -> Path:
    """For the finance office: every project of the year, one sheet per status, with 合计."""
    from unionsdesk.excel.writer import write_tables

    columns = [
        Column("code", "项目编号", "text", 10), Column("unit", "申报单位", "text", 26), Column("name", "项目名称", "text", 24),
        Column("kind", "类型", "text", 8), Column("requested", "申请补助", "money", 12),
        Column("approved", "批准金额", "money", 12), Column("paid", "已拨付", "money", 12),
        Column("unpaid", "未拨付", "money", 12), Column("returned", "退回", "money", 10),
        Column("ref", "批准文号", "text", 18), Column("accepted", "验收结论", "text", 8),
    ]  # fmt: skip
    all_rows = grants_svc.list_grants(db, actor, year)
    sheets = []
    for status in GRANT_STATUSES:
        rows = [g for g in all_rows if g.status == status]
        if not rows:
            continue
        body = [[g.code, g.union_name, g.name, g.kind, g.requested, g.approved_amount, g.paid, g.unpaid,
                 g.returned_amount, g.approval_ref, g.acceptance_result] for g in rows]  # fmt: skip
        t = Table(
            f"{year}年度对下项目补助（{status}）", columns, body, units="金额单位：元"
        ).with_totals()
        sheets.append((t, status))
    if not sheets:
        raise UserError(f"{year}年没有补助项目")
    write_tables(out, sheets)
    return out


def dues_table(db: Database, actor: CurrentUser, union_id: int, year: int, month: int) -> Table:
    from unionsdesk.services.sites.common import union_name

    lines = dues_svc.dues_list(db, actor, union_id, year, month)
    if not lines:
        raise UserError(f"{year}年{month}月还没有会费名单，请先生成")
    with db.reading() as s:
        uname = union_name(s, union_id)
    columns = [
        Column("n", "序号", "int", 5), Column("name", "姓名", "text", 10), Column("id", "身份证号", "idno", 20),
        Column("base", "工资基数", "money", 12), Column("amount", "会费", "money", 10),
        Column("note", "备注", "text", 14), Column("sign", "签字", "text", 10),
    ]  # fmt: skip
    body = [
        [n, x.name, x.id_number, x.wage_base, x.amount,
         "保留会籍，免缴" if x.waived else ("缺工资基数" if x.wage_base is None else (x.method or "") if x.paid else ""), ""]
        for n, x in enumerate(lines, 1)
    ]  # fmt: skip
    totals: list[object] = [
        None,
        None,
        None,
        sum(x.wage_base or 0 for x in lines),
        sum(x.amount for x in lines),
        None,
        None,
    ]
    rounding = dues_svc.get_rounding(db)
    return Table(
        f"{uname}{year}年{month}月会费收缴表", columns, body,
        subtitle=f"会费按工资基数的0.5%计算，精确到{rounding}；保留会籍期间免缴",
        totals=totals, units="金额单位：元",
    )  # fmt: skip


def dues_pdf(
    db: Database, actor: CurrentUser, union_id: int, year: int, month: int, out: Path
) -> Path:
    from unionsdesk.printing.table_pdf import render_table_pdf

    render_table_pdf(
        dues_table(db, actor, union_id, year, month), out, page_subtotals=True,
        subtotal_columns=("amount",), upper_total_column="amount", signatures=("收缴人", "审核人", "工会主席"),
    )  # fmt: skip
    _log(db, actor, "dues", union_id, f"打印{year}年{month}月会费收缴表")
    return out
