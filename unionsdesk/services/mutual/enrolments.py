"""参保登记: a unit's named list of insured people in a plan for a period.

The list comes from the unit's Excel file through the import pipeline (header
detection, row errors in Chinese, all or nothing). Every person is checked
against the member register: an ID number that is not valid is a row error, a
member of another union is a row error (the list belongs to one unit), someone
not on the register is a warning. A person already insured in the plan for the
period (in any unit) is refused, and so is a man on a women's plan. The plan's
unit rules (at least N insured, at least P % of the unit's eligible members)
give warnings before anything is saved.

金额 = 份数 × 每份互助费 summed over the list (人次 × 份数 × 单价 when everyone
takes the same number of shares) is always computed, never typed. Payment is
recorded with a receipt number from the gapless series 互助保障费.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database, allocate_ids, bulk_insert, person_bulk_load
from unionsdesk.db.models import Membership, Person, UnionOrg, new_uuids, now
from unionsdesk.db.models_mutual import MutualEnrolment, MutualInsured, MutualPlan
from unionsdesk.domain.mask import mask_id
from unionsdesk.domain.money import format_yuan, from_fen
from unionsdesk.domain.pinyin import pinyin_keys
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.excel.reader import ColumnMap, RowError, read_records, validate_rows
from unionsdesk.services.aid.receipts import format_number, next_number
from unionsdesk.services.common.base import (
    PII,
    READ,
    WRITE,
    CurrentUser,
    audit,
    reading,
    stamp,
    writing,
)
from unionsdesk.services.common.persons import chunks, people_by_number
from unionsdesk.services.members.member_import import ImportResult
from unionsdesk.services.members.unions import find_union
from unionsdesk.services.mutual.plans import find_plan
from unionsdesk.services.mutual.specs import INSURED

RECEIPT_SERIES = "互助保障费"


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cover_end(starts_on: date, term_months: int) -> date:
    """The last day covered: a 12-month cover from 2026-01-01 ends 2026-12-31."""
    return date.fromordinal(add_months(starts_on, term_months).toordinal() - 1)


@dataclass(frozen=True)
class UnitLines:
    union_id: int
    union_name: str
    people: int  # new lines of this import
    shares: int
    amount: int  # fen of the new lines


@dataclass
class EnrolmentImportResult(ImportResult):
    plan_name: str = ""
    period: int = 0
    fee: int = 0
    units: list[UnitLines] = field(default_factory=list)
    rule_warnings: list[str] = field(default_factory=list)  # plan minimums, per unit
    enrolment_ids: list[int] = field(default_factory=list)

    @property
    def shares(self) -> int:
        return sum(u.shares for u in self.units)

    @property
    def amount(self) -> int:
        return sum(u.amount for u in self.units)

    def summary_lines(self) -> list[str]:
        money = format_yuan(from_fen(self.amount))
        people = sum(u.people for u in self.units)
        lines = [f"文件：{self.file_name}", f"计划：{self.plan_name}（{self.period}期）",
                 f"读取数据行：{self.rows_read}"]  # fmt: skip
        if self.written:
            lines.append(f"参保：{len(self.units)}个单位，{people}人，{self.shares}份，金额{money}")
        else:
            lines.append(f"参保：0（{self.ready}行正确，{self.shares}份，金额{money}，未写入）")
        lines.append(f"有错误的行：{self.invalid}")
        for e in self.errors[:20]:
            lines.append(f"  · 第{e.row_number}行 {e.column_label}：{e.reason}")
        if len(self.errors) > 20:
            lines.append(f"  · ……另有{len(self.errors) - 20}处")
        for w in self.rule_warnings:
            lines.append(f"提示：{w}")
        lines.extend(self.warning_lines("参保"))
        if self.skipped_summary:
            lines.append(self.skipped_summary)
        return lines


def import_enrolment(
    db: Database,
    actor: CurrentUser,
    path: str | Path,
    *,
    plan: str | int,
    period: int,
    union: str | None = None,
    starts_on: date | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    columns: ColumnMap | None = None,
) -> EnrolmentImportResult:
    """Read a unit's list (or, without ``union``, a list whose 工作单位 column names
    each person's unit) and enrol it; see `enrol`."""
    actor.require(WRITE)
    path = Path(path)
    sheet = read_records(path, INSURED, columns=columns)
    validated = validate_rows(sheet.records, INSURED, header=sheet.header)
    result = enrol(
        db, actor, validated.good, plan=plan, period=period, union=union, starts_on=starts_on,
        skip_invalid=skip_invalid, dry_run=dry_run, errors=validated.errors, file_name=path.name,
    )  # fmt: skip
    result.rows_read = len(sheet.records)
    result.skipped_summary = sheet.skipped.summary()
    result.header_labels = sheet.header_labels
    return result


@dataclass
class _Line:
    row: int
    number: str
    name: str
    shares: int
    union_id: int
    person_id: int | None
    member: bool  # an active member (of this unit) when enrolled


def _unit_lookup(s: Session) -> dict[str, int]:
    """Name, unit name and credit code → union id (names given twice are left out)."""
    out: dict[str, int] = {}
    twice: set[str] = set()
    for uid, name, unit, code in s.execute(
        select(UnionOrg.id, UnionOrg.name, UnionOrg.unit_name, UnionOrg.unit_credit_code)
    ):
        for key in {name, unit, code}:
            if key:
                if key in out and out[key] != uid:
                    twice.add(key)
                out[key] = uid
    for key in twice:
        del out[key]
    return out


def enrol(
    db: Database,
    actor: CurrentUser,
    rows: Sequence[tuple[int, dict[str, Any]]],
    *,
    plan: str | int,
    period: int,
    union: str | None = None,
    starts_on: date | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    errors: Sequence[RowError] = (),
    file_name: str = "",
) -> EnrolmentImportResult:
    """Enrol cleaned rows (``INSURED`` fields, with their Excel row numbers) in one
    transaction. With row errors nothing is written (unless ``skip_invalid``);
    ``dry_run`` checks everything and writes nothing (the clerk sees the warnings first)."""
    actor.require(WRITE)
    if not 2000 <= period <= 2100:
        raise ValidationError({"period": "期别应为年份，如 2026"})
    result = EnrolmentImportResult(file_name=file_name, period=period, errors=list(errors))
    target = find_union(db, actor, union).id if union else None
    with reading(db, actor, READ) as s:
        p = find_plan(s, plan)
        result.plan_name, result.fee = p.name, p.fee
        start = starts_on or date(period, 1, 1)
        if p.valid_until is not None and start > p.valid_until:
            raise UserError(
                f"计划“{p.name}”已于{p.valid_until:%Y年%m月%d日}停止受理，不能参保{period}期"
            )
        units = _unit_lookup(s)
        names = dict(s.execute(select(UnionOrg.id, UnionOrg.name)).tuples().all())
        cover = (start, cover_end(start, p.term_months))
        lines = _check_rows(s, p, period, cover, rows, target, units, names, result)
    result.errors.sort(key=lambda e: e.row_number)
    result.ready = len(lines)
    by_unit: dict[int, list[_Line]] = defaultdict(list)
    for line in lines:
        by_unit[line.union_id].append(line)
    result.units = [
        UnitLines(
            uid, names[uid], len(ls), sum(x.shares for x in ls), sum(x.shares for x in ls) * p.fee
        )
        for uid, ls in by_unit.items()
    ]
    with reading(db, actor, READ) as s:
        result.rule_warnings = _rule_warnings(s, p, period, by_unit, names)
    if dry_run or (result.errors and not skip_invalid) or not lines:
        result.written = not lines and not result.errors and not dry_run
        return result
    with writing(db, actor, WRITE) as s:
        plan_row = s.get(MutualPlan, p.id)
        assert plan_row is not None
        result.enrolment_ids = _write(s, actor, plan_row, period, start, by_unit, names, file_name)
    result.imported, result.written = len(lines), True
    return result


def _check_rows(
    s: Session,
    p: MutualPlan,
    period: int,
    cover: tuple[date, date],
    rows: Sequence[tuple[int, dict[str, Any]]],
    target: int | None,
    units: dict[str, int],
    names: dict[int, str],
    result: EnrolmentImportResult,
) -> list[_Line]:
    def error(row: int, label: str, value: object, reason: str, name: str = "") -> None:
        result.errors.append(RowError(row, label, value, reason, [], name))

    numbers = [clean["id_number"] for _, clean in rows]
    known = _people(s, numbers)
    person_ids = {pid for pid, _ in known.values()}
    # who is insured in the plan and period already (wherever): one indexed query
    # who is covered by the plan already during this cover (the same period, or an
    # earlier period of a multi-year plan), wherever: one query
    insured_in = {
        pid: (uid, other)
        for pid, uid, other in s.execute(
            select(MutualInsured.person_id, MutualEnrolment.union_id, MutualEnrolment.period)
            .join(MutualEnrolment, MutualEnrolment.id == MutualInsured.enrolment_id)
            .where(
                MutualInsured.plan_id == p.id,
                MutualEnrolment.voided.is_(False),
                (MutualInsured.period == period)
                | ((MutualEnrolment.starts_on <= cover[1]) & (MutualEnrolment.ends_on >= cover[0])),
            )
        )
    }
    member_of: dict[int, int] = {}
    active = select(Membership.person_id, Membership.union_id).where(Membership.active)
    if len(person_ids) >= 20_000:  # a county's file: one pass over the memberships
        member_of = {pid: uid for pid, uid in s.execute(active) if pid in person_ids}
    else:
        for part in chunks(sorted(person_ids)):
            member_of.update(s.execute(active.where(Membership.person_id.in_(part))).tuples().all())
    seen: dict[str, int] = {}
    out: list[_Line] = []
    women_only = p.women_only
    for row, clean in rows:
        number = clean["id_number"]
        if number in seen:
            error(
                row,
                "身份证号",
                number,
                f"与第{seen[number]}行是同一人（身份证号重复）",
                "id_number",
            )
            continue
        seen[number] = row
        written_unit = clean.get("union")
        unit: int | None = target
        if written_unit:
            found = units.get(written_unit)
            if found is None and target is None:
                error(row, "工作单位", written_unit, f"找不到单位“{written_unit}”", "union")
                continue
            if target is not None and found != target:
                error(row, "工作单位", written_unit,
                      f"工作单位“{written_unit}”不是本次参保单位“{names[target]}”", "union")  # fmt: skip
                continue
            unit = found
        if unit is None:
            error(row, "工作单位", None, "请指定参保单位，或在表中填写工作单位", "union")
            continue
        if women_only and int(number[16]) % 2 == 1:
            error(
                row, "身份证号", number, f"“{p.name}”只限女职工参保（身份证号为男性）", "id_number"
            )
            continue
        person_id, stored_name = known.get(number, (None, ""))
        if person_id is not None:
            found_cover = insured_in.get(person_id)
            if found_cover is not None:
                other, other_period = found_cover
                error(row, "身份证号", number,
                      f"{clean['name']}已在“{names.get(other, '')}”参保本计划{other_period}期，保障期重叠，不能重复参保", "id_number")  # fmt: skip
                continue
            union_of = member_of.get(person_id)
            if union_of is not None and union_of != unit:
                error(row, "姓名", clean["name"],
                      f"{clean['name']}是“{names.get(union_of, '')}”的会员，不属于“{names[unit]}”", "name")  # fmt: skip
                continue
            if stored_name and stored_name != clean["name"]:
                result.warnings.append(
                    (row, f"此身份证号登记的姓名为“{stored_name}”，表中为“{clean['name']}”")
                )
        if person_id is None or person_id not in member_of:
            result.warnings.append((row, f"{clean['name']}不是在册会员"))
        member = person_id is not None and person_id in member_of
        out.append(_Line(row, number, clean["name"], clean["shares"], unit, person_id, member))
    return out


def _people(s: Session, numbers: list[str]) -> dict[str, tuple[int, str]]:
    """ID number → (person id, name): by ``IN`` lists for a unit's list, by one pass over
    the person table for a county's file (faster than hundreds of ``IN`` queries)."""
    if len(numbers) < 20_000:
        return people_by_number(s, numbers)
    wanted = set(numbers)
    q = select(Person.id_number, Person.id, Person.name)
    return {n: (pid, name) for n, pid, name in s.execute(q) if n in wanted}


def _rule_warnings(
    s: Session, p: MutualPlan, period: int, by_unit: dict[int, list[_Line]], names: dict[int, str]
) -> list[str]:
    """The plan's unit minimums: enough people, and enough of the unit's eligible members."""
    if not (p.min_insured or p.min_share) or not by_unit:
        return []
    ids = list(by_unit)
    already = dict(
        s.execute(
            select(MutualEnrolment.union_id, MutualEnrolment.people).where(
                MutualEnrolment.plan_id == p.id,
                MutualEnrolment.period == period,
                MutualEnrolment.union_id.in_(ids),
            )
        )
        .tuples()
        .all()
    )
    eligible_q = (
        select(Membership.union_id, func.count())
        .where(Membership.active, Membership.union_id.in_(ids))
        .group_by(Membership.union_id)
    )
    if p.women_only:
        eligible_q = eligible_q.join(Person, Person.id == Membership.person_id).where(
            Person.sex == "女"
        )
    eligible = dict(s.execute(eligible_q).tuples().all())
    who = "在册女职工会员" if p.women_only else "在册会员"
    out = []
    for uid, lines in by_unit.items():
        n = len(lines) + already.get(uid, 0)
        if p.min_insured and n < p.min_insured:
            out.append(f"{names[uid]}：参保{n}人，少于“{p.name}”要求的每单位至少{p.min_insured}人")
        total = eligible.get(uid, 0)
        if p.min_share and total and n * 100 < p.min_share * total:
            out.append(
                f"{names[uid]}：参保{n}人，占本单位{who}{total}人的{n * 100 // total}%，"
                f"低于“{p.name}”要求的{p.min_share}%"
            )
    return out


def _write(
    s: Session,
    actor: CurrentUser,
    p: MutualPlan,
    period: int,
    start: date,
    by_unit: dict[int, list[_Line]],
    names: dict[int, str],
    file_name: str,
) -> list[int]:
    conn = s.connection()
    stamp_at = now()
    base = {"created_at": stamp_at, "updated_at": stamp_at, "created_by": actor.login,
            "updated_by": actor.login, "version": 1}  # fmt: skip
    new_people = [line for lines in by_unit.values() for line in lines if line.person_id is None]
    if new_people:
        ids = allocate_ids(conn, Person.__table__, len(new_people))
        rows = []
        for line, pid, uid in zip(new_people, ids, new_uuids(len(new_people)), strict=True):
            line.person_id = pid
            full, initials = pinyin_keys(line.name)
            n = line.number
            birth = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
            rows.append(
                (pid, uid, n, line.name, full, initials, "男" if int(n[16]) % 2 else "女", birth)
            )
        with person_bulk_load(conn):
            bulk_insert(conn, Person.__table__, rows, constants=base,
                        columns=("id", "uuid", "id_number", "name", "name_pinyin", "name_initials", "sex", "birth_date"))  # fmt: skip
    existing = dict(
        s.execute(
            select(MutualEnrolment.union_id, MutualEnrolment.id).where(
                MutualEnrolment.plan_id == p.id,
                MutualEnrolment.period == period,
                MutualEnrolment.union_id.in_(list(by_unit)),
                MutualEnrolment.voided.is_(False),
            )
        )
        .tuples()
        .all()
    )
    fresh = [uid for uid in by_unit if uid not in existing]
    if fresh:
        ids = allocate_ids(conn, MutualEnrolment.__table__, len(fresh))
        end = cover_end(start, p.term_months)
        bulk_insert(conn, MutualEnrolment.__table__,
                    [(eid, u, uid, names[uid]) for eid, u, uid in zip(ids, new_uuids(len(fresh)), fresh, strict=True)],
                    columns=("id", "uuid", "union_id", "unit"),
                    constants={**base, "plan_id": p.id, "period": period, "starts_on": start,
                               "ends_on": end, "people": 0, "shares": 0, "amount": 0, "voided": False,
                               "file_name": file_name[:260] or None})  # fmt: skip
        existing.update(zip(fresh, ids, strict=True))
    lines_all = [(existing[uid], line) for uid, lines in by_unit.items() for line in lines]
    bulk_insert(conn, MutualInsured.__table__,
                [(eid, line.person_id, line.shares, line.member, u)
                 for (eid, line), u in zip(lines_all, new_uuids(len(lines_all)), strict=True)],
                columns=("enrolment_id", "person_id", "shares", "member", "uuid"),
                constants={**base, "plan_id": p.id, "period": period})  # fmt: skip
    enrolment_ids = sorted(existing[uid] for uid in by_unit)
    _refresh_totals(s, enrolment_ids, p.fee)
    total = sum(line.shares for _, line in lines_all)
    audit(s, actor, "import", "mutual_enrolment", enrolment_ids[0] if len(enrolment_ids) == 1 else None,
          after={"plan": p.name, "period": period, "units": len(by_unit), "people": len(lines_all),
                 "shares": total, "amount": total * p.fee, "file": file_name},
          summary=f"{p.name}{period}期参保登记：{len(by_unit)}个单位{len(lines_all)}人"
          + (f"（{file_name}）" if file_name else ""))  # fmt: skip
    return enrolment_ids


def _refresh_totals(s: Session, enrolment_ids: Sequence[int], fee: int) -> None:
    """people, shares and 金额 of each enrolment, computed from its list (one query for
    the sums, one executemany for the updates)."""
    sums: list[tuple[int, int, int]] = []
    for part in chunks(list(enrolment_ids)):
        sums.extend(
            s.execute(
                select(MutualInsured.enrolment_id, func.count(), func.sum(MutualInsured.shares))
                .where(MutualInsured.enrolment_id.in_(part))
                .group_by(MutualInsured.enrolment_id)
            ).tuples()
        )
    table = cast(Table, MutualEnrolment.__table__)
    stmt = (
        table.update()
        .where(table.c.id == bindparam("eid"))
        .values(people=bindparam("n"), shares=bindparam("sh"), amount=bindparam("amt"),
                version=table.c.version + 1)
    )  # fmt: skip
    s.connection().execute(
        stmt, [{"eid": eid, "n": n, "sh": int(sh), "amt": int(sh) * fee} for eid, n, sh in sums]
    )


# --- lists, payment -------------------------------------------------------------------


@dataclass(frozen=True)
class EnrolmentRow:
    id: int
    union_id: int
    union_name: str
    plan_id: int
    plan_name: str
    period: int
    starts_on: date
    ends_on: date
    people: int  # 人次
    shares: int
    fee: int  # 单价, fen
    amount: int  # fen
    paid_on: date | None
    receipt_no: str | None
    version: int


def _enrolment_query() -> Any:
    return (
        select(MutualEnrolment, UnionOrg.name, MutualPlan.name, MutualPlan.fee)
        .join(UnionOrg, UnionOrg.id == MutualEnrolment.union_id)
        .join(MutualPlan, MutualPlan.id == MutualEnrolment.plan_id)
    )


def _enrolment_row(e: MutualEnrolment, union: str, plan: str, fee: int) -> EnrolmentRow:
    return EnrolmentRow(
        e.id, e.union_id, union, e.plan_id, plan, e.period, e.starts_on, e.ends_on, e.people,
        e.shares, fee, e.amount, e.paid_on, e.receipt_no, e.version,
    )  # fmt: skip


def get_enrolment(db: Database, actor: CurrentUser, enrolment_id: int) -> EnrolmentRow:
    with reading(db, actor, READ) as s:
        row = s.execute(_enrolment_query().where(MutualEnrolment.id == enrolment_id)).first()
        if row is None:
            raise UserError("该参保登记不存在")
        return _enrolment_row(*row)


@dataclass(frozen=True)
class InsuredRow:
    id: int
    name: str
    id_number: str  # masked without pii.view
    sex: str
    shares: int
    member: bool


def list_insured(db: Database, actor: CurrentUser, enrolment_id: int) -> list[InsuredRow]:
    q = (
        select(MutualInsured.id, Person.name, Person.id_number, Person.sex, MutualInsured.shares,
               MutualInsured.member)
        .join(Person, Person.id == MutualInsured.person_id)
        .where(MutualInsured.enrolment_id == enrolment_id)
        .order_by(MutualInsured.id)
    )  # fmt: skip
    with reading(db, actor, READ) as s:
        pii = actor.can(PII)
        return [
            InsuredRow(i, n, num if pii else mask_id(num), sex, shares, member)
            for i, n, num, sex, shares, member in s.execute(q)
        ]


def issue_receipt(s: Session, actor: CurrentUser, e: MutualEnrolment) -> str:
    """The enrolment's receipt number (allocated from 互助保障费 the first time)."""
    if e.receipt_no is None:
        year = (e.paid_on or date.today()).year
        e.receipt_no = format_number(year, next_number(s, actor, RECEIPT_SERIES, year))
    return e.receipt_no


def record_payment(
    db: Database, actor: CurrentUser, enrolment_id: int, paid_on: date | None = None
) -> EnrolmentRow:
    """Record the unit's payment: 缴费日期 and a receipt number from the gapless series
    互助保障费 (kept if the enrolment already has one)."""
    paid_on = paid_on or date.today()
    if paid_on > date.today():
        raise ValidationError({"paid_on": "缴费日期不能晚于今天"})
    with writing(db, actor, WRITE) as s:
        e = s.get(MutualEnrolment, enrolment_id)
        if e is None or e.voided:
            raise UserError("该参保登记不存在或已作废")
        if e.amount <= 0:
            raise UserError("参保名单为空，没有应缴金额")
        before = {"paid_on": e.paid_on, "receipt_no": e.receipt_no}
        e.paid_on = paid_on
        issue_receipt(s, actor, e)
        stamp(e, actor)
        s.flush()
        audit(s, actor, "issue", "mutual_enrolment", e.id, before=before,
              after={"paid_on": e.paid_on, "receipt_no": e.receipt_no},
              summary=f"互助保障费收款 {format_yuan(from_fen(e.amount))}，收据{e.receipt_no}")  # fmt: skip
    return get_enrolment(db, actor, enrolment_id)


def insured_cover(
    s: Session, person_id: int, plan_id: int, on: date
) -> tuple[MutualInsured, MutualEnrolment] | None:
    """The person's cover in the plan on ``on`` (the insured-on-date check)."""
    row = s.execute(
        select(MutualInsured, MutualEnrolment)
        .join(MutualEnrolment, MutualEnrolment.id == MutualInsured.enrolment_id)
        .where(
            MutualInsured.person_id == person_id,
            MutualInsured.plan_id == plan_id,
            MutualEnrolment.starts_on <= on,
            MutualEnrolment.ends_on >= on,
            MutualEnrolment.voided.is_(False),
        )
        .order_by(MutualEnrolment.starts_on.desc())
    ).first()
    return None if row is None else (row[0], row[1])


def covers_of(s: Session, person_id: int, plan_id: int) -> list[tuple[date, date]]:
    return [
        (a, b)
        for a, b in s.execute(
            select(MutualEnrolment.starts_on, MutualEnrolment.ends_on)
            .join(MutualInsured, MutualInsured.enrolment_id == MutualEnrolment.id)
            .where(
                MutualInsured.person_id == person_id,
                MutualInsured.plan_id == plan_id,
                MutualEnrolment.voided.is_(False),
            )
            .order_by(MutualEnrolment.starts_on)
        )
        .tuples()
        .all()
    ]
