"""困难职工档案 (建档立卡): files, household members, review, 年审 and the lifecycle
建档 → 帮扶中 → 解困脱困 / 退出. Statuses that depend on dates (年审逾期) are
computed when read, never by a job that might not run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import HardshipFile, HouseholdMember, Person, UnionOrg
from unionsdesk.domain.mask import mask_account, mask_id, mask_phone
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.fields import HARDSHIP, HARDSHIP_STATUSES, HOUSEHOLD
from unionsdesk.services.common.base import (
    PII,
    REVIEW,
    WRITE,
    CurrentUser,
    audit,
    reading,
    snapshot,
    stamp,
    writing,
)
from unionsdesk.services.common.codes import code_lookup
from unionsdesk.services.common.locking import check_version
from unionsdesk.services.common.persons import upsert_person
from unionsdesk.services.common.settings import get_setting
from unionsdesk.services.members.members import subtree_ids

FILE_FIELDS = tuple(
    f.name for f in HARDSHIP.fields if f.name not in ("name", "id_number", "union", "phone")
)
HOUSEHOLD_FIELDS = tuple(f.name for f in HOUSEHOLD.fields)
DIBAO_LINE = "hardship.dibao_line_fen"  # local 低保 line, fen per person per month
DEFAULT_DIBAO_FEN = 80000  # 800 元: a placeholder until the office sets its own
REVIEW_DAYS = 365


@dataclass(frozen=True)
class FileRow:
    id: int
    person_id: int
    name: str
    id_number: str
    union_id: int
    union_name: str
    category: str
    main_reason: str
    status: str
    review_status: str
    filed_on: date
    last_annual_review: date | None
    per_capita_month: int  # fen
    migrant: bool
    version: int

    def review_due(self, today: date | None = None) -> bool:
        if self.status not in ("建档", "帮扶中"):
            return False
        last = self.last_annual_review or self.filed_on
        return (today or date.today()) - last > timedelta(days=REVIEW_DAYS)


@dataclass
class FileDetail:
    row: FileRow
    values: dict[str, Any]
    household: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)


def per_capita_month(income_fen: int, rigid_fen: int, size: int) -> int:
    """家庭月人均收入 = (年收入 − 刚性支出) ÷ 12 ÷ 人口, in fen (rounded down)."""
    return max(income_fen - rigid_fen, 0) // 12 // max(size, 1)


def dibao_line(db: Database) -> int:
    try:
        return int(get_setting(db, DIBAO_LINE) or DEFAULT_DIBAO_FEN)
    except ValueError:
        return DEFAULT_DIBAO_FEN


def _row(f: HardshipFile, p: Person, union_name: str, show: bool) -> FileRow:
    return FileRow(
        f.id, p.id, p.name, p.id_number if show else mask_id(p.id_number), f.union_id, union_name,
        f.category, f.main_reason, f.status, f.review_status, f.filed_on, f.last_annual_review,
        per_capita_month(f.household_income, f.rigid_expense, f.household_size), f.migrant, f.version,
    )  # fmt: skip


def _warnings(
    db: Database, s: Any, f: HardshipFile, row: FileRow, today: date | None = None
) -> list[str]:
    out = []
    line = dibao_line(db)
    if f.category == "01" and row.per_capita_month >= line:
        out.append(
            f"深度困难要求月人均收入低于低保线（{line / 100:.2f}元），现为{row.per_capita_month / 100:.2f}元"
        )
    if row.per_capita_month >= 2 * line:
        out.append(
            f"月人均收入{row.per_capita_month / 100:.2f}元，高于低保线的2倍（{2 * line / 100:.2f}元）"
        )
    if row.review_due(today):
        out.append("已超过一年未年审，请及时年审")
    ids = [
        h.id_number
        for h in s.scalars(select(HouseholdMember).where(HouseholdMember.file_id == f.id))
        if h.id_number
    ]
    ids.append(s.get(Person, f.person_id).id_number)
    dup = s.execute(
        select(Person.name, HardshipFile.id)
        .join(HardshipFile, HardshipFile.person_id == Person.id)
        .where(HardshipFile.active, HardshipFile.id != f.id, Person.id_number.in_(ids))
    ).all()
    dup += s.execute(
        select(HouseholdMember.name, HouseholdMember.file_id)
        .join(HardshipFile, HardshipFile.id == HouseholdMember.file_id)
        .where(HardshipFile.active, HardshipFile.id != f.id, HouseholdMember.id_number.in_(ids))
    ).all()
    for name, other in dup:
        out.append(
            f"{name}的身份证号也出现在另一份在档档案（档案号 {other}）中，同一家庭只能建一份档案"
        )
    return out


def save_file(
    db: Database,
    actor: CurrentUser,
    values: Mapping[str, object],
    *,
    union_id: int | None = None,
    file_id: int | None = None,
    expected_version: int | None = None,
    household: Sequence[Mapping[str, object]] | None = None,
) -> FileDetail:
    """Open a new file (建档) or save changes; household rows replace the old ones when given."""
    codes = code_lookup(db)
    clean = HARDSHIP.clean(values, codes=codes)
    members = [HOUSEHOLD.clean(h, codes=codes) for h in household or []]
    if clean["household_size"] is not None and clean["household_size"] < 1:
        raise ValidationError({"household_size": "家庭人口至少为1"})
    if clean.get("other_reasons") and clean["main_reason"] in clean["other_reasons"].split(","):
        raise ValidationError({"other_reasons": "次要致困原因不能与主要原因相同"})
    valid_reasons = set(codes.get("hardship_reason", {}).values())
    bad = [r for r in (clean.get("other_reasons") or "").split(",") if r and r not in valid_reasons]
    if bad:
        raise ValidationError({"other_reasons": f"次要致困原因代码不正确：{'、'.join(bad)}"})
    with writing(db, actor, WRITE) as s:
        person, _ = upsert_person(s, actor, clean)
        if file_id is None:
            if union_id is None:
                if not clean.get("union"):
                    raise ValidationError({"union": "请选择所在工会"})
                from unionsdesk.services.members.unions import _find

                union_id = _find(s, clean["union"]).id
            other = s.scalar(
                select(HardshipFile).where(HardshipFile.person_id == person.id, HardshipFile.active)
            )
            if other is not None:
                raise ValidationError(
                    {"id_number": f"{person.name}已有在档的困难职工档案（档案号 {other.id}）"}
                )
            f = HardshipFile(
                person_id=person.id,
                union_id=union_id,
                status="建档",
                active=True,
                review_status="待审核",
            )
            stamp(f, actor, new=True)
            s.add(f)
            before = None
        else:
            found = s.get(HardshipFile, file_id)
            if found is None:
                raise UserError("该档案不存在")
            f = found
            check_version(f, expected_version, "该档案", "hardship_file")
            if not f.active:
                raise UserError("已解困脱困或退出的档案不能再修改")
            before = snapshot(f, FILE_FIELDS)
            if union_id is not None:
                f.union_id = union_id
        for name in FILE_FIELDS:
            if name in clean and clean[name] is not None:
                setattr(f, name, clean[name])
        f.migrant = bool(clean.get("migrant"))
        stamp(f, actor)
        s.flush()
        if household is not None:
            for old in s.scalars(select(HouseholdMember).where(HouseholdMember.file_id == f.id)):
                s.delete(old)
            for h in members:
                row = HouseholdMember(file_id=f.id, **{k: h.get(k) for k in HOUSEHOLD_FIELDS})
                row.monthly_income = h.get("monthly_income") or 0
                stamp(row, actor, new=True)
                s.add(row)
            s.flush()
        after = snapshot(f, FILE_FIELDS)
        audit(s, actor, "create" if before is None else "update", "hardship_file", f.id, before=before, after=after,
              summary=f"困难职工建档：{person.name}" if before is None else None)  # fmt: skip
        union = s.get(UnionOrg, f.union_id)
        row_ = _row(f, person, union.name if union else "", True)
        warnings = _warnings(db, s, f, row_)
        return FileDetail(row_, _values(f, person), _household(s, f.id, True), warnings)


def _values(f: HardshipFile, p: Person) -> dict[str, Any]:
    return {n: getattr(f, n) for n in FILE_FIELDS} | {
        "name": p.name,
        "id_number": p.id_number,
        "phone": p.phone,
    }


def _household(s: Any, file_id: int, show: bool) -> list[dict[str, Any]]:
    rows = s.scalars(
        select(HouseholdMember)
        .where(HouseholdMember.file_id == file_id)
        .order_by(HouseholdMember.id)
    )
    out = []
    for h in rows:
        d = {n: getattr(h, n) for n in HOUSEHOLD_FIELDS}
        if not show:
            d["id_number"] = mask_id(d["id_number"])
        out.append(d)
    return out


def get_file(
    db: Database, actor: CurrentUser, file_id: int, today: date | None = None
) -> FileDetail:
    show = actor.can(PII)
    with reading(db, actor) as s:
        f = s.get(HardshipFile, file_id)
        if f is None:
            raise UserError("该档案不存在")
        p = s.get(Person, f.person_id)
        u = s.get(UnionOrg, f.union_id)
        assert p is not None and u is not None
        row = _row(f, p, u.name, show)
        values = _values(f, p)
        if not show:
            values.update(id_number=mask_id(p.id_number), phone=mask_phone(p.phone),
                          bank_account=mask_account(f.bank_account))  # fmt: skip
        return FileDetail(row, values, _household(s, f.id, show), _warnings(db, s, f, row, today))


def review_file(
    db: Database, actor: CurrentUser, file_id: int, approve: bool, note: str = ""
) -> FileRow:
    """审核: 已审核 or 退回 (with a note). Only 审核人/管理员; not by whoever made the file."""
    with writing(db, actor, REVIEW) as s:
        f = s.get(HardshipFile, file_id)
        if f is None:
            raise UserError("该档案不存在")
        if f.created_by == actor.login and actor.role != "admin":
            raise UserError("建档人不能审核自己建的档案")
        if not approve and not note.strip():
            raise ValidationError({"note": "退回须写明原因"})
        before = snapshot(f, ("review_status", "reviewed_by", "reviewed_on"))
        f.review_status = "已审核" if approve else "退回"
        f.reviewed_by, f.reviewed_on = actor.login, date.today()
        stamp(f, actor)
        s.flush()
        audit(s, actor, "review", "hardship_file", f.id, before=before,
              after=snapshot(f, ("review_status", "reviewed_by", "reviewed_on")), summary=note.strip() or None)  # fmt: skip
        p = s.get(Person, f.person_id)
        u = s.get(UnionOrg, f.union_id)
        assert p is not None and u is not None
        return _row(f, p, u.name, actor.can(PII))


def annual_review(db: Database, actor: CurrentUser, file_id: int, on: date) -> FileRow:
    with writing(db, actor, WRITE) as s:
        f = s.get(HardshipFile, file_id)
        if f is None or not f.active:
            raise UserError("只有在档的档案才能年审")
        before = {"last_annual_review": f.last_annual_review}
        f.last_annual_review = on
        stamp(f, actor)
        s.flush()
        audit(
            s,
            actor,
            "annual_review",
            "hardship_file",
            f.id,
            before=before,
            after={"last_annual_review": on},
        )
        p = s.get(Person, f.person_id)
        u = s.get(UnionOrg, f.union_id)
        assert p is not None and u is not None
        return _row(f, p, u.name, actor.can(PII))


TRANSITIONS = {"建档": {"帮扶中", "解困脱困", "退出"}, "帮扶中": {"解困脱困", "退出"}}


def change_file_status(
    db: Database, actor: CurrentUser, file_id: int, status: str, on: date, reason: str = ""
) -> FileRow:
    """建档 → 帮扶中 → 解困脱困 (date, reason) / 退出. Closed files stay on record."""
    if status not in HARDSHIP_STATUSES:
        raise ValidationError({"status": f"状态只能是：{'、'.join(HARDSHIP_STATUSES)}"})
    with writing(db, actor, WRITE) as s:
        f = s.get(HardshipFile, file_id)
        if f is None:
            raise UserError("该档案不存在")
        if status not in TRANSITIONS.get(f.status, set()):
            raise UserError(f"档案状态不能从“{f.status}”改为“{status}”")
        if status in ("解困脱困", "退出") and not reason.strip():
            raise ValidationError({"reason": f"{status}须填写原因"})
        before = snapshot(f, ("status", "active", "closed_on", "close_reason"))
        f.status = status
        if status in ("解困脱困", "退出"):
            f.active, f.closed_on, f.close_reason = False, on, reason.strip()
        stamp(f, actor)
        s.flush()
        audit(s, actor, "status", "hardship_file", f.id, before=before,
              after=snapshot(f, ("status", "active", "closed_on", "close_reason")), summary=reason.strip() or None)  # fmt: skip
        p = s.get(Person, f.person_id)
        u = s.get(UnionOrg, f.union_id)
        assert p is not None and u is not None
        return _row(f, p, u.name, actor.can(PII))


@dataclass(frozen=True)
class FileFilter:
    status: str | None = None  # None: files on record (建档/帮扶中)
    category: str | None = None
    union_id: int | None = None  # with the unions below it (e.g. a township)
    reason: str | None = None  # main or other reason code
    text: str = ""


def list_files(db: Database, actor: CurrentUser, flt: FileFilter | None = None) -> list[FileRow]:
    flt = flt or FileFilter()
    show = actor.can(PII)
    q = (
        select(HardshipFile, Person, UnionOrg.name)
        .join(Person, Person.id == HardshipFile.person_id)
        .join(UnionOrg, UnionOrg.id == HardshipFile.union_id)
    )
    q = q.where(HardshipFile.status == flt.status) if flt.status else q.where(HardshipFile.active)
    if flt.category:
        q = q.where(HardshipFile.category == flt.category)
    if flt.reason:
        q = q.where(
            (HardshipFile.main_reason == flt.reason)
            | HardshipFile.other_reasons.contains(flt.reason)
        )
    if flt.text:
        from unionsdesk.services.members.members import person_condition

        cond = person_condition(flt.text, db.engine.dialect.name)
        if cond is not None:
            q = q.where(cond)
    with reading(db, actor) as s:
        if flt.union_id is not None:
            q = q.where(HardshipFile.union_id.in_(subtree_ids(s, flt.union_id)))
        return [_row(f, p, un, show) for f, p, un in s.execute(q.order_by(HardshipFile.id))]


def count_files(db: Database) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(HardshipFile.id)).where(HardshipFile.active)) or 0
