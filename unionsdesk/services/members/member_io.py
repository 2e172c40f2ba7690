"""Members to and from Excel: the register export and the blank import template.

(The importer lives in ``member_import``.)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, overload

from sqlalchemy import ColumnElement, func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, Person, UnionOrg
from unionsdesk.domain.mask import mask_id, mask_phone
from unionsdesk.fields import MEMBER, EntitySpec
from unionsdesk.services.common.base import PII, READ, CurrentUser, reading
from unionsdesk.services.common.codes import label_maps
from unionsdesk.services.members.members import subtree_ids
from unionsdesk.table import Column, Table

EXPORT_FIELDS = tuple(f.name for f in MEMBER.fields)
CHUNK = 5000
# The member's union: MEMBER's "union" field (read from a roster's 工作单位, 所在工会 …)
# is written as 所在工会, which is what it holds; the import reads that header back.
UNION_HEADER = "所在工会"


def _member_columns() -> list[Column]:
    columns = [Column.from_field(spec) for spec in MEMBER.fields]
    for i, c in enumerate(columns):
        if c.key in ("id_number", "card_no", "phone"):  # text, whatever they look like
            columns[i] = Column(c.key, c.label, "idno", c.width)
        elif c.key == "union":
            columns[i] = Column(c.key, UNION_HEADER, c.kind, c.width)
    return columns


def _source(name: str) -> Any:
    if name == "union":
        return UnionOrg.name
    return getattr(Membership, name) if name in Membership.__table__.c else getattr(Person, name)


class MemberRows(Sequence[Sequence[object]]):
    """The export's rows, streamed from one query while the workbook is written,
    so 100 000 members never sit in memory at once (plain column tuples, no ORM objects)."""

    def __init__(self, db: Database, actor: CurrentUser, union_ids: list[int] | None) -> None:
        self.db, self.actor = db, actor
        self.labels = label_maps(db)
        where: list[ColumnElement[bool]] = [Membership.active.is_(True)]
        if union_ids is not None:
            where.append(Membership.union_id.in_(union_ids))
        self.query = (
            select(*(_source(f.name) for f in MEMBER.fields))
            .join(Person, Person.id == Membership.person_id)
            .join(UnionOrg, UnionOrg.id == Membership.union_id)
            .where(*where)
            .order_by(Membership.union_id, Membership.id)
        )
        with reading(db, actor) as s:
            self.total = s.scalar(select(func.count()).select_from(Membership).where(*where)) or 0

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, i: int) -> Sequence[object]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Sequence[object]]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return list(self)[i]
        for n, row in enumerate(self):
            if n == i:
                return row
        raise IndexError(i)

    def __iter__(self) -> Iterator[Sequence[object]]:
        self.actor.require(READ)
        show = self.actor.can(PII)
        # Each converter is a C-level lookup where it can be (no Python call per value).
        plan: list[tuple[int, Any]] = []
        for i, spec in enumerate(MEMBER.fields):
            if spec.code_category:
                plan.append((i, _Labels(self.labels[spec.code_category]).__getitem__))
            elif spec.kind == "bool":
                plan.append((i, _YES_NO.__getitem__))
            elif spec.name == "id_number" and not show:
                plan.append((i, mask_id))
            elif spec.name == "phone" and not show:
                plan.append((i, mask_phone))
        with self.db.engine.connect() as conn:
            result = conn.execution_options(yield_per=CHUNK).execute(self.query)
            for row in result:
                out = list(row)
                for i, fn in plan:
                    out[i] = fn(out[i])
                yield out


class _Labels(dict[object, object]):
    """code → label; an unknown code (or None) stands for itself."""

    def __missing__(self, key: object) -> object:
        return key


_YES_NO = {True: "是", False: "否", None: "否"}


def member_table(
    db: Database, actor: CurrentUser, union_id: int | None = None, office: str = ""
) -> Table:
    union_ids = None
    title = "会员名册"
    if union_id is not None:
        with reading(db, actor) as s:
            union_ids = subtree_ids(s, union_id)
            u = s.get(UnionOrg, union_id)
            title = f"{u.name if u else ''}会员名册"
    rows = MemberRows(db, actor, union_ids)
    columns = _member_columns()
    totals: list[object] = [None] * len(columns)
    totals[0] = "合计"
    totals[1] = f"{len(rows)}人"
    return Table(
        title=title,
        columns=columns,
        rows=rows,
        subtitle=f"填报单位：{office}    导出日期：{date.today():%Y年%m月%d日}",
        totals=totals,
    )


def export_members(
    db: Database,
    actor: CurrentUser,
    path: Path,
    union_id: int | None = None,
    office: str = "",
    **progress: Any,
) -> int:
    """Write the register to ``path``; returns the number of members written."""
    from unionsdesk.excel.writer import write_table

    table = member_table(db, actor, union_id, office)
    write_table(path, table, "会员名册", **progress)
    return len(table.rows)


def union_table(db: Database, actor: CurrentUser, office: str = "") -> Table:
    """基层工会名录: every union with its parent, its own members and those with every
    union below it (a township union has few of its own)."""
    from unionsdesk.fields import UNION
    from unionsdesk.services.members.unions import list_unions, subtree_totals

    unions = list_unions(db, actor)
    with_lower = subtree_totals(unions)
    names = {u.id: u.name for u in unions}
    lab = label_maps(db, ["org_type", "unit_category", "industry"])
    fields = [f for f in UNION.fields]
    columns = [Column.from_field(f) for f in fields]
    columns = [Column(c.key, c.label, "idno", c.width) if "credit" in c.key else c for c in columns]
    columns += [
        Column("status", "状态", "text", 6),
        Column("member_count", "本级会员", "int", 8),
        Column("with_lower", "含下级会员", "int", 9),
    ]
    rows = []
    for u in unions:
        row: list[object] = []
        for f in fields:
            if f.name == "parent":
                value: object = names.get(u.parent_id) if u.parent_id else None
            else:
                value = getattr(u, f.name)
            if f.code_category and value is not None:
                value = lab[f.code_category].get(str(value), value)
            if f.kind == "bool" and value is not None:
                value = "是" if value else "否"
            row.append(value)
        rows.append([*row, u.status, u.member_count, with_lower[u.id]])
    table = Table(
        "基层工会名录",
        columns,
        rows,
        subtitle=f"填报单位：{office}    导出日期：{date.today():%Y年%m月%d日}",
        notes=["本级会员：会籍在该工会的在册会员；含下级会员：加上其下各级工会的在册会员。"],
    ).with_totals()
    if table.totals:  # 含下级 summed over the tree counts people twice: the county's is the total
        totals = list(table.totals)
        totals[-1] = None
        table = replace(table, totals=totals)
    return table


TEMPLATE_EXAMPLES = (
    {"name": "张三", "id_number": "360830199001011234", "sex": "男", "birth_date": "1990/01/01", "ethnicity": "汉族",
     "political": "群众", "education": "大专", "phone": "13800138000", "hukou_type": "农业",
     "union": "示例县恒达有限公司工会委员会",
     "joined_on": "2019/05/01", "status": "在册", "migrant_worker": "是", "new_employment": "快递员"},
)  # fmt: skip


def write_member_template(db: Database, path: Path) -> Path:
    """A blank member import template: header in FieldSpec order, an example row,
    drop-down lists."""
    from unionsdesk.domain.idcard import check_char

    example = dict(TEMPLATE_EXAMPLES[0])
    example["id_number"] = example["id_number"][:17] + check_char(example["id_number"][:17])
    return write_import_template(
        db, path, MEMBER, title="工会会员信息采集表", sheet="会员信息", example=example,
        headers={c.key: c.label for c in _member_columns()},
        note="“所在工会”填会员所在基层工会的全称（与本系统中的工会名称一致）；",
    )  # fmt: skip


def write_import_template(
    db: Database,
    path: Path,
    spec: EntitySpec,
    *,
    title: str,
    sheet: str,
    example: Mapping[str, object],
    headers: Mapping[str, str] | None = None,
    fields: Sequence[str] | None = None,
    note: str = "",
) -> Path:
    """A blank import template for ``spec`` (the importer reads it back): title, 填报单位
    line, the header (required ones marked * in red), a grey example row, drop-down
    lists from the 字典 or the field's choices, text cells for numbers that are no
    numbers, and the 填表说明 at the end."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from unionsdesk.excel.writer import excel_width, save_workbook

    labels = label_maps(db)
    headers = headers or {}
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    lists = wb.create_sheet("下拉菜单")
    chosen = [f for f in spec.fields if fields is None or f.name in fields]
    n = len(chosen)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["填报单位（盖章）：", *[""] * max(n - 3, 0), "填报日期：", ""])
    ws.append([headers.get(f.name, f.label) + ("*" if f.required else "") for f in chosen])
    head = PatternFill("solid", fgColor="DDEBF7")
    for col, f in enumerate(chosen, 1):
        c = ws.cell(row=3, column=col)
        c.font = Font(bold=True, color="C00000" if f.required else "000000")
        c.fill = head
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = excel_width(Column.from_field(f))
        if f.kind in ("idno", "phone", "date") or f.name in ("card_no", "bank_account"):
            for row in range(4, 2004):  # text cells: Excel must not turn IDs into numbers
                ws.cell(row=row, column=col).number_format = "@"
    for col, f in enumerate(chosen, 1):  # row 4: the example (the importer skips it if left in)
        c = ws.cell(row=4, column=col, value=example.get(f.name, ""))
        c.font = Font(color="808080", italic=True)
    list_col = 0
    for col, f in enumerate(chosen, 1):
        choices = list(labels[f.code_category].values()) if f.code_category else list(f.choices)
        if f.kind == "bool":
            choices = ["是", "否"]
        if not choices:
            continue
        list_col += 1
        letter = get_column_letter(list_col)
        lists.cell(row=1, column=list_col, value=f.label)
        for i, label in enumerate(choices, 2):
            lists.cell(row=i, column=list_col, value=label)
        dv = DataValidation(
            type="list", formula1=f"下拉菜单!${letter}$2:${letter}${len(choices) + 1}", allow_blank=True,
            showErrorMessage=True, errorTitle="请从列表中选择", error=f"“{f.label}”请从下拉列表中选择",
        )  # fmt: skip
        ws.add_data_validation(dv)
        dv.add(f"{get_column_letter(col)}4:{get_column_letter(col)}2003")
    lists.sheet_state = "hidden"
    ws.freeze_panes = "B4"
    note_row = 2005
    ws.cell(row=note_row, column=1, value=(
        f"填表说明：带*的为必填项；第4行为示例，请删除后填写；{note}身份证号、手机号、账号请按文本填写，"
        "不要改成数字；日期可写 2019/05/01、2019-5-1、2019.05 或 2019年5月；金额以元为单位。"
    ))  # fmt: skip
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=n)
    save_workbook(wb, path)
    return path
