"""劳模 work beyond the registers: picking trip participants, the printed 名单 and
签到表, and the yearly 劳模津贴/慰问 list paid through the campaign machinery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Campaign, Person
from unionsdesk.db.models_honours import Honour, Trip, TripMember
from unionsdesk.domain.mask import mask_id
from unionsdesk.domain.money import from_fen
from unionsdesk.errors import UserError
from unionsdesk.fields import CAMPAIGN
from unionsdesk.registers import PARENT, Register, get
from unionsdesk.services.common.audit_text import code_labels
from unionsdesk.services.common.base import PII, WRITE, CurrentUser, audit, reading, stamp, writing
from unionsdesk.services.honours.registers import (
    MODEL_WORKERS,
    TRIP_MEMBERS,
    last_trip_years,
    overlapping_trips,
)
from unionsdesk.table import Column, Table

MODEL_WORKER_AID = "20"  # aid_type code seeded by migration 0006: 劳模津贴/慰问


# --- the trip picker ------------------------------------------------------------------------


@dataclass(frozen=True)
class TripCandidate:
    person_id: int
    name: str
    id_number: str  # masked unless pii.view
    unit: str
    title: str  # label of their newest 劳模-type honour
    level: str
    work_status: str
    hardship: bool
    last_trip_year: int | None
    overlaps: tuple[str, ...]  # other trips of theirs whose dates overlap this one
    on_trip: bool  # already on this trip's list


def trip_candidates(
    db: Database, actor: CurrentUser, trip_id: int, filters: Mapping[str, Any] | None = None
) -> list[TripCandidate]:
    """The 劳模 (``filters`` as the 劳模 view's), never sent or longest not sent first."""
    with reading(db, actor) as s:
        trip = _trip(s, trip_id)
        ids = list(s.scalars(MODEL_WORKERS.ids_query(s, "", filters or {})))
        honours = list(s.scalars(select(Honour).where(Honour.id.in_(ids)))) if ids else []
        pids = [h.person_id for h in honours if h.person_id is not None]
        q = select(Person.id, Person.id_number).where(Person.id.in_(pids))
        numbers = {pid: number for pid, number in s.execute(q)}
        years = last_trip_years(s, pids, before=trip)
        on_trip = set(
            s.scalars(
                select(TripMember.person_id).where(
                    TripMember.trip_id == trip.id, TripMember.voided.is_(False)
                )
            )
        )
        labels = code_labels(s, ["honour_title", "honour_level"])
        show = actor.can(PII)
        out = []
        for h in honours:
            pid = h.person_id
            if pid is None:
                continue
            number = numbers.get(pid, "")
            out.append(
                TripCandidate(
                    pid,
                    h.name,
                    number if show else mask_id(number),
                    h.unit or "",
                    labels["honour_title"].get(h.title, h.title),
                    labels["honour_level"].get(h.level, h.level),
                    h.work_status or "",
                    h.hardship,
                    years.get(pid),
                    tuple(overlapping_trips(s, pid, trip)),
                    pid in on_trip,
                )
            )
    out.sort(key=lambda c: (c.on_trip, c.last_trip_year or 0, c.name))
    return out


def _trip(s: Session, trip_id: int) -> Trip:
    trip = s.get(Trip, trip_id)
    if trip is None or trip.voided:
        raise UserError("该疗休养期次不存在或已作废")
    return trip


def add_trip_members(
    db: Database, actor: CurrentUser, trip_id: int, person_ids: Sequence[int]
) -> tuple[int, list[str]]:
    """Put the picked 劳模 on the trip's list in one transaction: the register's rules
    apply (nobody twice, the quota), overlapping trips are noted; returns (added, notes)."""
    with reading(db, actor) as s:
        trip = _trip(s, trip_id)

    def overlaps(s: Session, person: Person) -> list[str]:
        return [f"与“{o}”日期重叠" for o in overlapping_trips(s, person.id, trip)]

    return TRIP_MEMBERS.add_people(db, actor, person_ids, parent_id=trip_id, notes_for=overlaps)


# --- printed 名单 and 签到表 ------------------------------------------------------------------


def roster_table(
    db: Database,
    actor: CurrentUser,
    reg: Register,
    parent_id: int,
    *,
    public: bool,
    sign_in: bool,
) -> Table:
    """名单 (the child register's printed columns) or 签到表 (序号, 姓名, 工作单位, 身份证号,
    a blank 签名 column) of one trip or activity; ``public`` masks ID numbers."""
    if reg.parent is None:
        raise ValueError(f"{reg.name} has no parent register")
    parent = get(reg.parent.register)
    with reading(db, actor) as s:
        pobj = s.get(parent.model, parent_id)
        if pobj is None:
            raise UserError(f"该{parent.label}不存在")
        heading = parent.describe(parent.read(s, pobj))
    names = ("name", "unit", "id_number") if sign_in else reg.print_names()
    base = reg.table(db, actor, names=names, filters={PARENT: parent_id}, public=public)
    what = "签到表" if sign_in else "名单"
    columns = [Column("no", "序号", "int", 5), *base.columns]
    rows = [[n, *row] for n, row in enumerate(base.rows, 1)]
    if sign_in:
        columns.append(Column("sign", "签名", "text", 16))
        rows = [[*row, ""] for row in rows]
    notes = ["公示版：身份证号已打码。"] if public else []
    return Table(
        f"{heading} {reg.label}{what}",
        [Column(c.key, c.label, "text", c.width) if c.key == "no" else c for c in columns],
        [[str(row[0]), *row[1:]] for row in rows],
        subtitle=base.subtitle,
        notes=notes,
    )


def print_roster(
    db: Database,
    actor: CurrentUser,
    reg: Register,
    parent_id: int,
    path: Any,
    *,
    public: bool = False,
    sign_in: bool = False,
) -> int:
    from unionsdesk.printing.table_pdf import render_table_pdf

    table = roster_table(db, actor, reg, parent_id, public=public, sign_in=sign_in)
    render_table_pdf(table, path, signatures=("经办人", "审核人"))
    return len(table.rows)


# --- the yearly 劳模津贴/慰问 list -------------------------------------------------------------


@dataclass(frozen=True)
class AllowanceResult:
    campaign_id: int
    campaign_name: str
    added: int
    total: int  # fen
    notes: list[str]


def allowance_campaign(
    db: Database,
    actor: CurrentUser,
    year: int,
    *,
    greeting: int | None = None,
    filters: Mapping[str, Any] | None = None,
    name: str | None = None,
) -> AllowanceResult:
    """A draft 帮扶慰问 campaign (类型 劳模津贴/慰问) for ``year`` listing every 劳模 of
    the 劳模 view (``filters`` as its own): their 荣誉津贴 when they have one, else the
    ``greeting`` amount (fen) as 慰问 (nobody when neither). The campaign then goes
    through its usual steps (审核, 签收表 with the 重复救助 check, receipts)."""
    from unionsdesk.services.aid.campaigns import insert_payout

    title = name or f"{year}年劳模津贴及慰问"
    values = {"name": title, "kind": MODEL_WORKER_AID, "year": year, "approval_ref": None}
    from unionsdesk.services.common.codes import code_lookup

    clean_c = CAMPAIGN.clean(values, codes=code_lookup(db, ["aid_type"]))
    with writing(db, actor, WRITE) as s:
        ids = list(s.scalars(MODEL_WORKERS.ids_query(s, "", filters or {})))
        honours = (
            list(s.scalars(select(Honour).where(Honour.id.in_(ids)).order_by(Honour.id)))
            if ids
            else []
        )
        if not honours:
            raise UserError("没有符合条件的劳模")
        c = Campaign(status="草拟", budget=0)
        for key, value in clean_c.items():
            setattr(c, key, value)
        c.budget = 0
        stamp(c, actor, new=True)
        s.add(c)
        s.flush()
        added, total, notes = 0, 0, []
        for h in honours:
            person = s.get(Person, h.person_id) if h.person_id is not None else None
            if person is None:
                continue
            amount = h.allowance or greeting
            if not amount:
                notes.append(f"{person.name}：没有荣誉津贴，也未设慰问金额，未列入")
                continue
            line = {
                "name": person.name,
                "id_number": person.id_number,
                "category": "劳模津贴" if h.allowance else "劳模慰问",
                "amount": amount,
                "form": "现金",
                "reason": title,
            }
            _payout, _p, warnings = insert_payout(s, actor, c, line)
            notes.extend(f"{person.name}：{w}" for w in warnings)
            added += 1
            total += amount
        c.budget = total
        s.flush()
        audit(s, actor, "create", "campaign", c.id,
              after={"name": title, "year": year, "lines": added},
              summary=f"从劳模名册生成“{title}”：{added}人，{from_fen(total)}元")  # fmt: skip
        return AllowanceResult(c.id, title, added, total, notes)


# --- a contest result that grants a title -------------------------------------------------------


def honour_from_result(db: Database, actor: CurrentUser, result_id: int) -> int:
    """Create the 荣誉 record a contest result grants (title from the result; level,
    year and awarding body from the contest) and link it; returns the honour's id.
    Refused when the result grants no title, already has its honour, or the person
    already holds that title for that year (the 荣誉 register's duplicate rule)."""
    from unionsdesk.db.models_honours import Contest, ContestResult
    from unionsdesk.services.honours.registers import HONOURS

    with writing(db, actor, WRITE) as s:
        r = s.get(ContestResult, result_id)
        if r is None or r.voided:
            raise UserError("该竞赛成绩不存在或已作废")
        if not r.grants_title or not r.title:
            raise UserError("该成绩没有授予称号")
        if (
            r.honour_id is not None
            and (h := s.get(Honour, r.honour_id)) is not None
            and not h.voided
        ):
            raise UserError(f"已登记荣誉（第{r.honour_id}号记录）")
        contest = s.get(Contest, r.contest_id)
        assert contest is not None
        person = s.get(Person, r.person_id)
        assert person is not None
        clean: dict[str, Any] = {
            "collective": False, "name": person.name, "id_number": person.id_number,
            "unit": r.unit, "title": r.title, "level": contest.level,
            "awarded_by": contest.organiser, "year": contest.held_on.year,
            "doc_no": None, "kept": True, "work_status": "在职", "hardship": False,
            "allowance": None, "notes": f"由{contest.name}成绩（{r.rank}）生成",
        }  # fmt: skip
        HONOURS.check(s, clean, None, None)
        honour = Honour()
        HONOURS.apply(s, actor, honour, clean)
        stamp(honour, actor, new=True)
        s.add(honour)
        s.flush()
        r.honour_id = honour.id
        stamp(r, actor)
        after = HONOURS.snapshot(s, honour)
        audit(s, actor, "create", HONOURS.entity, honour.id, after=after,
              summary=f"新增{HONOURS.describe(after)}（由竞赛成绩生成）")  # fmt: skip
        return honour.id
