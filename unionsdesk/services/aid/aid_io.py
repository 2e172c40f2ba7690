"""困难职工档案 and 发放明细 to Excel (through the shared `Table` path), the bank 代发
file of a campaign, and the blank import templates of both registers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Campaign, HardshipFile, Payout, Person, UnionOrg
from unionsdesk.domain.mask import mask_account, mask_id, mask_phone
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.fields import HARDSHIP, PAYOUT
from unionsdesk.services.aid.campaigns import get_campaign, list_payouts
from unionsdesk.services.common.base import PII, CurrentUser, reading
from unionsdesk.services.common.codes import label_maps
from unionsdesk.services.common.settings import get_setting, set_settings
from unionsdesk.table import Column, Table

# -- 困难职工档案 ------------------------------------------------------------------------


def hardship_table(
    db: Database, actor: CurrentUser, *, include_closed: bool = False, office: str = ""
) -> Table:
    """Every file on record (with ``include_closed`` the closed ones too), one row each,
    in the columns of the 困难职工 form; codes as labels, PII masked for a role
    without pii.view."""
    show = actor.can(PII)
    labels = label_maps(db)
    q = (
        select(HardshipFile, Person, UnionOrg.name)
        .join(Person, Person.id == HardshipFile.person_id)
        .join(UnionOrg, UnionOrg.id == HardshipFile.union_id)
        .order_by(UnionOrg.name, HardshipFile.id)
    )
    if not include_closed:
        q = q.where(HardshipFile.active)
    rows = []
    with reading(db, actor) as s:
        for f, p, union in s.execute(q):
            row: list[object] = []
            for spec in HARDSHIP.fields:
                if spec.name == "union":
                    value: object = union
                elif spec.name in ("name", "id_number", "phone"):
                    value = getattr(p, spec.name)
                else:
                    value = getattr(f, spec.name, None)
                if spec.name == "id_number" and not show:
                    value = mask_id(str(value))
                elif spec.name == "phone" and not show:
                    value = mask_phone(value)  # type: ignore[arg-type]
                elif spec.name == "bank_account" and not show:
                    value = mask_account(value)  # type: ignore[arg-type]
                elif spec.code_category and isinstance(value, str):
                    table = labels.get(spec.code_category, {})
                    value = "、".join(table.get(v, v) for v in value.split(","))
                elif spec.kind == "bool":
                    value = "是" if value else "否"
                row.append(value)
            rows.append([*row, f.status, f.review_status, f.last_annual_review])
    columns = [Column.from_field(spec) for spec in HARDSHIP.fields]
    columns = [Column(c.key, c.label, "idno", c.width) if c.key in ("bank_account", "phone") else c
               for c in columns]  # fmt: skip
    columns += [Column("status", "档案状态", "text", 8), Column("review_status", "审核", "text", 6),
                Column("last_annual_review", "上次年审", "date", 11)]  # fmt: skip
    return Table(
        "困难职工档案",
        columns,
        rows,
        subtitle=f"填报单位：{office}    导出日期：{date.today():%Y年%m月%d日}",
        totals=["合计", f"{len(rows)}户", *[None] * (len(columns) - 2)],
    )


# -- 发放明细 --------------------------------------------------------------------------

PAYOUT_COLUMNS = ("name", "id_number", "category", "amount", "form", "item", "reason",
                  "override_reason", "school", "grade", "illness", "out_of_pocket")  # fmt: skip


def payout_table(db: Database, actor: CurrentUser, campaign_id: int, office: str = "") -> Table:
    """The campaign's lines with their union and receipt number; 合计 of 金额."""
    c = get_campaign(db, actor, campaign_id)
    lines = list_payouts(db, actor, campaign_id)
    names = [n for n in PAYOUT_COLUMNS if n in PAYOUT.by_name]
    columns = [Column.from_field(PAYOUT[n]) for n in names]
    columns.insert(2, Column("union", "所在工会", "text", 24))
    columns.append(Column("receipt_no", "收据号", "idno", 12))
    rows = []
    for p in lines:
        values: list[object] = [getattr(p, n) for n in names]
        values.insert(2, p.union_name)
        rows.append([*values, p.receipt_no])
    table = Table(
        f"{c.name}发放明细",
        columns,
        rows,
        subtitle=f"填报单位：{office}    批准文号：{c.approval_ref or '—'}    状态：{c.status}",
    ).with_totals()
    return table


# -- the bank's 代发 file ---------------------------------------------------------------

BANK_FIELDS = {"户名": "name", "账号": "account", "金额": "amount", "摘要": "memo",
               "身份证号": "id_number", "开户银行": "bank"}  # fmt: skip
DEFAULT_BANK_ORDER = ("户名", "账号", "金额", "摘要")
BANK_SETTING = "aid.bank_columns."  # + bank name → "账号,户名,金额,摘要"


def bank_columns(db: Database, bank: str | None) -> tuple[str, ...]:
    """The column order of ``bank``'s 代发 file as the office set it (设置), else the plain one."""
    raw = get_setting(db, BANK_SETTING + (bank or "默认")) if bank else None
    if not raw:
        return DEFAULT_BANK_ORDER
    return tuple(part.strip() for part in raw.replace("，", ",").split(",") if part.strip())


def set_bank_columns(db: Database, actor: CurrentUser, bank: str, order: Sequence[str]) -> None:
    unknown = [c for c in order if c not in BANK_FIELDS]
    if unknown or not order:
        raise ValidationError(
            {
                "columns": f"代发文件的列只能是：{'、'.join(BANK_FIELDS)}（{'、'.join(unknown)} 不认识）"
            }
        )
    if not bank.strip():
        raise ValidationError({"bank": "请填写银行名称"})
    set_settings(db, actor, {BANK_SETTING + bank.strip(): ",".join(order)})


def bank_file_table(
    db: Database, actor: CurrentUser, campaign_id: int, bank: str | None = None
) -> Table:
    """The 代发 list for the bank: the campaign's 银行转账 lines (only those whose file's
    开户银行 is ``bank``, when given) with 户名, 账号, 金额, 摘要 in the bank's order.
    Full account numbers: the file goes to the bank, so pii.view is required."""
    actor.require(PII)
    order = bank_columns(db, bank)
    with reading(db, actor) as s:
        c = s.get(Campaign, campaign_id)
        if c is None:
            raise UserError(f"没有编号为 {campaign_id} 的帮扶活动")
        q = (
            select(Person.name, Person.id_number, Payout.amount, HardshipFile.bank_name,
                   HardshipFile.bank_account, Payout.reason)
            .join(Person, Person.id == Payout.person_id)
            .outerjoin(HardshipFile, HardshipFile.id == Payout.hardship_file_id)
            .where(Payout.campaign_id == campaign_id, Payout.form == "银行转账")
            .order_by(Payout.id)
        )  # fmt: skip
        found = s.execute(q).all()
    rows, missing = [], []
    for name, id_number, amount, bank_name, account, reason in found:
        if bank and (bank_name or "") != bank:
            continue
        if not account:
            missing.append(name)
            continue
        values = {"name": name, "account": account, "amount": amount, "memo": reason or c.name,
                  "id_number": id_number, "bank": bank_name or ""}  # fmt: skip
        rows.append([values[BANK_FIELDS[col]] for col in order])
    if missing:
        raise UserError(
            f"{'、'.join(missing[:5])}{'等' if len(missing) > 5 else ''}{len(missing)}人没有银行账号"
            "（困难职工档案的“银行账号”），请补齐后再生成代发文件"
        )
    if not rows:
        raise UserError("该活动没有“银行转账”的发放明细" + (f"（{bank}）" if bank else ""))
    kinds = {"金额": "money", "账号": "idno", "身份证号": "idno"}
    columns = [Column(BANK_FIELDS[col], col, kinds.get(col, "text"), 24 if col == "账号" else 12)  # type: ignore[arg-type]
               for col in order]  # fmt: skip
    return Table(f"{c.name}代发明细", columns, rows).with_totals()


# -- templates --------------------------------------------------------------------------


def write_hardship_template(db: Database, path: Path) -> Path:
    from unionsdesk.services.members.member_io import write_import_template

    return write_import_template(
        db, path, HARDSHIP, title="困难职工档案导入表", sheet="困难职工档案", example={},
        note="“所在工会”填本系统中的工会全称；家庭年收入、刚性支出以元为单位；",
    )  # fmt: skip


def write_payout_template(db: Database, path: Path) -> Path:
    from unionsdesk.services.members.member_io import write_import_template

    return write_import_template(
        db, path, PAYOUT, title="帮扶慰问发放明细导入表", sheet="发放明细", example={},
        note="同一活动中同一人只能出现一次；金额与类别标准不同的须填写超标准原因；",
    )  # fmt: skip
