"""人员档案: for one person (one ID number), every place they appear.

Read-only. Sections come from a small registry: membership and 会籍 history,
the hardship file, aid lines and receipts are added here; every register of the
framework with a person link (`Register.person`) adds itself; other areas add
theirs with `add_section`. Each section is read for the user who asks (ID
numbers, phones and bank accounts masked for roles without pii.view); a section
that needs a permission (`Section.permission`, e.g. a private register's
`read_permission`, 维权查看) is left out for users without it, whether the person
has records there or not, and the file names what was left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from unionsdesk.db.engine import Database
from unionsdesk.db.models import (
    Campaign,
    HardshipFile,
    Membership,
    MembershipEvent,
    Payout,
    Person,
    Receipt,
    ReceiptBook,
    UnionOrg,
)
from unionsdesk.domain.mask import mask_id, mask_phone
from unionsdesk.errors import UserError
from unionsdesk.services.common.audit_text import code_labels
from unionsdesk.services.common.base import PII, CurrentUser, reading
from unionsdesk.table import Column, Table

SectionRows = Callable[[Session, int, CurrentUser], Table]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int  # sections are shown by this number
    rows: SectionRows  # (session, person id, who asks) → a Table titled with the section
    permission: str | None = None  # needed to see the section at all (e.g. 维权查看)

    def visible_to(self, actor: CurrentUser) -> bool:
        return self.permission is None or actor.can(self.permission)


@dataclass(frozen=True)
class PersonFile:
    person_id: int
    name: str
    id_number: str  # masked unless the role may see it
    sex: str
    birth_date: date
    phone: str
    sections: list[Table]
    hidden: tuple[str, ...] = ()  # titles of the sections the user may not see

    @property
    def hidden_note(self) -> str:
        """ "未显示：劳动争议调解、法律援助（需要相应权限）" or ""."""
        return f"未显示：{'、'.join(self.hidden)}（需要相应权限）" if self.hidden else ""

    @property
    def heading(self) -> str:
        return f"{self.name}（{self.sex}，{self.birth_date:%Y年%m月%d日}生，身份证号 {self.id_number}）"


_SECTIONS: dict[str, Section] = {}


def add_section(section: Section) -> Section:
    _SECTIONS[section.key] = section
    return section


def sections() -> list[Section]:
    from unionsdesk.registers import all_registers

    for n, reg in enumerate(all_registers()):  # in declaration order, area by area
        key = f"register:{reg.name}"
        if reg.person is not None and reg.editable and key not in _SECTIONS:  # views repeat rows
            rows = _register_rows(reg.name)
            add_section(Section(key, reg.label, 100 + n, rows, reg.read_permission))
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def _register_rows(name: str) -> SectionRows:
    def rows(s: Session, person_id: int, viewer: CurrentUser) -> Table:
        from unionsdesk.registers import get

        reg = get(name)
        reg.require_read(viewer)
        model = reg.model
        ids = list(
            s.scalars(
                select(model.id)
                .where(model.person_id == person_id, model.voided.is_(False))  # type: ignore[attr-defined]
                .order_by(model.id)
            )
        )
        names = [n for n in reg.print_names() if n not in (reg.person or ())]
        found = reg._rows(s, viewer, ids, names)
        columns = reg.columns(names)
        body = [[r.values.get(c.key) for c in columns] for r in found]
        if reg.parent is not None:
            parent = get(reg.parent.register)
            columns = [Column("parent", parent.label, "text", 24), *columns]
            objs = {o.id: o for o in s.scalars(select(model).where(model.id.in_(ids)))}
            for row, r in zip(body, found, strict=True):
                pobj = s.get(parent.model, getattr(objs[r.id], reg.parent.column))
                row.insert(0, parent.describe(parent.read(s, pobj)) if pobj is not None else "")
        return Table(reg.label, columns, [[_shown(v) for v in row] for row in body])

    return rows


def _shown(value: object) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def find_people(
    db: Database, actor: CurrentUser, text: str, limit: int = 20
) -> list[tuple[int, str, str]]:
    """(person id, name, ID number masked unless pii.view) for a name, pinyin or ID number."""
    from unionsdesk.services.members.members import person_condition

    with reading(db, actor) as s:
        cond = person_condition(text, s.get_bind().dialect.name)
        if cond is None:
            return []
        q = (
            select(Person.id, Person.name, Person.id_number)
            .where(cond)
            .order_by(Person.name)
            .limit(limit)
        )
        show = actor.can(PII)
        return [
            (pid, name, number if show else mask_id(number)) for pid, name, number in s.execute(q)
        ]


def person_file(db: Database, actor: CurrentUser, person_id: int) -> PersonFile:
    """Every section for ``person_id`` (sections without rows are kept: the clerk sees "无")."""
    pii = actor.can(PII)
    with reading(db, actor) as s:
        p = s.get(Person, person_id)
        if p is None:
            raise UserError("该人员不存在")
        every = sections()
        shown = [sec for sec in every if sec.visible_to(actor)]
        hidden = tuple(sec.title for sec in every if not sec.visible_to(actor))
        tables = [sec.rows(s, person_id, actor) for sec in shown]
        return PersonFile(
            p.id,
            p.name,
            p.id_number if pii else mask_id(p.id_number),
            p.sex,
            p.birth_date,
            (p.phone or "") if pii else mask_phone(p.phone),
            tables,
            hidden,
        )


def person_by_number(db: Database, actor: CurrentUser, number: str) -> int | None:
    with reading(db, actor) as s:
        return s.scalar(select(Person.id).where(Person.id_number == number.strip().upper()))


# --- the core sections --------------------------------------------------------------------


def _memberships(s: Session, person_id: int, _viewer: CurrentUser) -> Table:
    labels = code_labels(s, ["member_status", "membership_change"])
    other = aliased(UnionOrg)
    q = (
        select(Membership, UnionOrg.name)
        .join(UnionOrg, UnionOrg.id == Membership.union_id)
        .where(Membership.person_id == person_id)
        .order_by(Membership.joined_on)
    )
    rows: list[list[object]] = []
    for m, union in s.execute(q):
        status = labels["member_status"].get(m.status, m.status)
        rows.append([union, m.joined_on, status, "在册" if m.active else "", m.job, ""])
        events = s.execute(
            select(MembershipEvent, other.name)
            .outerjoin(other, other.id == MembershipEvent.other_union_id)
            .where(MembershipEvent.membership_id == m.id)
            .order_by(MembershipEvent.on, MembershipEvent.id)
        )
        for e, other_name in events:
            kind = labels["membership_change"].get(e.kind, e.kind)
            what = "；".join(x for x in (kind, other_name, e.reason) if x)
            rows.append(["", e.on, "", "", "", what])
    columns = [
        Column("union", "工会", "text", 24),
        Column("on", "入会/变动日期", "date", 11),
        Column("status", "会员状态", "text", 8),
        Column("active", "当前", "text", 5),
        Column("job", "职业/岗位", "text", 10),
        Column("event", "会籍变化", "text", 24),
    ]
    return Table("会员与会籍", columns, rows)


def _hardship(s: Session, person_id: int, _viewer: CurrentUser) -> Table:
    labels = code_labels(s, ["hardship_category", "hardship_reason"])
    q = (
        select(HardshipFile, UnionOrg.name)
        .join(UnionOrg, UnionOrg.id == HardshipFile.union_id)
        .where(HardshipFile.person_id == person_id)
        .order_by(HardshipFile.filed_on)
    )
    rows: list[list[object]] = [
        [
            union,
            f.filed_on,
            labels["hardship_category"].get(f.category, f.category),
            labels["hardship_reason"].get(f.main_reason, f.main_reason),
            f.status,
            f.review_status,
            f.household_income,
        ]
        for f, union in s.execute(q)
    ]
    columns = [
        Column("union", "所在工会", "text", 22),
        Column("filed_on", "建档日期", "date", 11),
        Column("category", "困难类别", "text", 10),
        Column("reason", "主要致困原因", "text", 12),
        Column("status", "状态", "text", 8),
        Column("review", "审核", "text", 7),
        Column("income", "家庭年收入", "money", 11),
    ]
    return Table("困难职工档案", columns, rows)


def _payouts(s: Session, person_id: int, _viewer: CurrentUser) -> Table:
    labels = code_labels(s, ["aid_type"])
    receipt = (
        select(ReceiptBook.year, Receipt.number, Receipt.status)
        .join(ReceiptBook, ReceiptBook.id == Receipt.book_id)
        .where(Receipt.payout_id == Payout.id)
        .order_by(Receipt.id.desc())
        .limit(1)
        .correlate(Payout)
    )
    q = (
        select(Payout, Campaign)
        .join(Campaign, Campaign.id == Payout.campaign_id)
        .where(Payout.person_id == person_id)
        .order_by(Campaign.year, Payout.id)
    )
    rows: list[list[object]] = []
    for p, c in s.execute(q):
        r = s.execute(receipt.where(or_(Payout.id == p.id))).first()
        number = f"{r[0]}-{r[1]:06d}" + ("（已作废）" if r[2] == "void" else "") if r else ""
        rows.append(
            [
                c.year,
                c.name,
                labels["aid_type"].get(c.kind, c.kind),
                p.category,
                p.amount,
                p.form,
                number,
            ]
        )
    columns = [
        Column("year", "年度", "text", 6),
        Column("campaign", "帮扶活动", "text", 24),
        Column("kind", "类型", "text", 12),
        Column("category", "类别", "text", 10),
        Column("amount", "金额", "money", 10),
        Column("form", "形式", "text", 8),
        Column("receipt", "收据号", "text", 12),
    ]
    return Table("帮扶发放与收据", columns, [[str(r[0]), *r[1:]] for r in rows])


add_section(Section("members", "会员与会籍", 10, _memberships))
add_section(Section("hardship", "困难职工档案", 20, _hardship))
add_section(Section("payouts", "帮扶发放与收据", 30, _payouts))
