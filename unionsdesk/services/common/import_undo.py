"""Undo of an import batch: the last step of the import pipeline (DESIGN.md §8).

A member import (``member_import``) writes one ``ImportBatch`` row, gives every
membership it creates that batch's id, creates the people who were not on the
register yet, and updates the details of people who were (someone who left an
earlier union comes back in a new roster). Before it updates them it stores
their details as they were in ``ImportBatch.prior_values`` (``record_prior_values``).

Undo puts the register back exactly as it was before the import, in one
transaction: it deletes the batch's membership events and memberships and the
people it created (SQLite's trigram search index follows through its delete
trigger), writes the stored details back over the people it updated, marks the
batch undone and writes the audit row. It refuses, changing nothing, when:

- the batch is not the newest import that is still in force (undo goes back one
  import at a time, newest first) or was undone already;
- the batch was imported before the program recorded what imports change
  (migration 0005; 困难职工 and 发放明细 imports record their batch since 0009);
- anything done since depends on it: a membership of the batch was transferred,
  changed status or edited (its version moved on or it has later events), a
  person it created is referenced by anything else (a hardship file, a pay-out
  line, another membership, or any table added later with a foreign key to
  ``person``), or a person it created or updated was edited afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Column, Date, Table, delete, func, or_, select, update
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database, fetch_column
from unionsdesk.db.models import (
    Base,
    ImportBatch,
    Membership,
    MembershipEvent,
    Person,
    UnionOrg,
    User,
    now,
)
from unionsdesk.errors import ConflictError, UserError
from unionsdesk.services.common.base import READ, WRITE, CurrentUser, audit, reading, stamp, writing
from unionsdesk.services.common.persons import chunks

MEMBERS = "members"
HARDSHIP = "hardship"
PAYOUTS = "payouts"
KIND_NAMES = {MEMBERS: "会员花名册", HARDSHIP: "困难职工档案", PAYOUTS: "发放明细"}
UNDOABLE_KINDS = frozenset({MEMBERS, HARDSHIP, PAYOUTS})


def _register(kind: str) -> Any:
    """The framework register (``unionsdesk.registers``) a batch kind names, or None."""
    from unionsdesk.errors import UserError as NoRegister
    from unionsdesk.registers import get

    try:
        return get(kind)
    except NoRegister:
        return None


def kind_name(kind: str) -> str:
    reg = _register(kind) if kind not in KIND_NAMES else None
    return KIND_NAMES.get(kind) or (reg.label if reg is not None else kind)


# What a person row holds apart from its identity and bookkeeping: the whole state
# an import may change, recorded before it does and written back by undo.
_BOOKKEEPING = frozenset(
    {"id", "uuid", "id_number", "created_at", "created_by", "updated_at", "updated_by", "version"}
)
PERSON_STATE = tuple(c.name for c in Person.__table__.columns if c.name not in _BOOKKEEPING)

PERSON = cast(Table, Person.__table__)
MEMBERSHIP = cast(Table, Membership.__table__)
EVENT = cast(Table, MembershipEvent.__table__)

# How a row that points at a person or a membership is named in a refusal.
_REFERRER_NAMES = {
    "membership": "其他会员记录",
    "hardship_file": "困难职工档案",
    "payout": "帮扶发放明细",
}


@dataclass(frozen=True)
class BatchRow:
    """One import batch as the clerk sees it in the list of imports."""

    id: int
    kind: str  # "members"
    kind_name: str  # "会员花名册"
    file_name: str
    union_name: str | None  # None: the union of each row came from the sheet
    imported_at: datetime
    imported_by: str | None  # the clerk's name (users list), else the login
    rows_read: int
    imported: int
    skipped: int  # already in the union's register
    invalid: int  # rows with errors (not imported)
    undone: bool
    undone_at: datetime | None
    undone_by: str | None  # the clerk's name, as ``imported_by``
    can_undo: bool
    why_not: str | None  # the Chinese reason when ``can_undo`` is False
    imported_by_login: str | None = None
    undone_by_login: str | None = None


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    file_name: str
    memberships_removed: int
    events_removed: int
    people_removed: int
    people_restored: int
    kind: str = MEMBERS

    def summary_lines(self) -> list[str]:
        if self.kind == MEMBERS:
            rows = f"删除会员记录：{self.memberships_removed}条（入会记录{self.events_removed}条）"
        else:
            rows = f"删除{_ROW_WORDS[self.kind]}：{self.memberships_removed}条"
        return [
            f"已撤销导入批次 {self.batch_id}（{self.file_name}）",
            rows,
            f"删除本次导入新建的人员：{self.people_removed}人",
            f"恢复导入前的个人信息：{self.people_restored}人",
        ]


# --- recording, at import time ---------------------------------------------------


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def record_prior_values(s: Session, person_ids: Sequence[int]) -> str:
    """The stored details and versions of the people an import is about to update,
    as JSON for ``ImportBatch.prior_values``. Call inside the import's write
    transaction, before the update."""
    columns = [PERSON.c[name] for name in PERSON_STATE]
    people: dict[str, Any] = {}
    for part in chunks(list(person_ids)):
        q = select(PERSON.c.id, PERSON.c.version, *columns).where(PERSON.c.id.in_(part))
        for pid, version, *values in s.execute(q):
            people[str(pid)] = {
                "version": version,
                "values": {n: _jsonable(v) for n, v in zip(PERSON_STATE, values, strict=True)},
            }
    return json.dumps({"people": people}, ensure_ascii=False, sort_keys=True)


def seal_prior_values(s: Session, prior: str) -> str:
    """``prior`` (from `record_prior_values`) with each person's version after the
    import's writes, for an import whose update may leave a person unchanged (the
    困难职工 and 发放明细 imports fill in only what the row gives). Call at the end of
    the import's transaction."""
    data = json.loads(prior)
    people = data.get("people", {})
    for part in chunks([int(pid) for pid in people]):
        for pid, version in s.execute(
            select(PERSON.c.id, PERSON.c.version).where(PERSON.c.id.in_(part))
        ):
            people[str(pid)]["after"] = version
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def open_batch(
    s: Session,
    actor: CurrentUser,
    kind: str,
    path: Any,
    *,
    known_people: Sequence[int],
    rows_read: int,
    imported: int,
    skipped: int = 0,
    invalid: int = 0,
    union_id: int | None = None,
) -> ImportBatch:
    """The batch row of a 困难职工 or 发放明细 import, with the details of the people
    it may fill in (``known_people``) as they are before it does; the import gives
    each row it makes this batch's id and calls `close_batch` at the end."""
    import hashlib
    from pathlib import Path

    batch = ImportBatch(
        kind=kind, file_name=Path(path).name, file_sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest(),
        union_id=union_id, rows_read=rows_read, imported=imported, skipped=skipped, invalid=invalid,
        prior_values=record_prior_values(s, sorted(set(known_people))),
    )  # fmt: skip
    stamp(batch, actor, new=True)
    s.add(batch)
    s.flush()
    return batch


def close_batch(s: Session, batch: ImportBatch) -> None:
    """After the import's writes: each filled-in person's version as the import left it."""
    s.flush()
    assert batch.prior_values is not None
    batch.prior_values = seal_prior_values(s, batch.prior_values)


def _prior_people(batch: ImportBatch) -> dict[int, tuple[int, dict[str, Any]]]:
    """person id → (version after the import, details before the import)."""
    assert batch.prior_values is not None
    out = {}
    for pid, entry in json.loads(batch.prior_values).get("people", {}).items():
        values = {
            name: date.fromisoformat(v) if isinstance(PERSON.c[name].type, Date) and v else v
            for name, v in entry["values"].items()
        }
        # a member import bumps each person it updates once; the others sealed it
        out[int(pid)] = (int(entry.get("after", int(entry["version"]) + 1)), values)
    return out


# --- what stands in the way of an undo ---------------------------------------------


@dataclass
class _Plan:
    """What undoing a member batch touches (read inside the undo's transaction)."""

    memberships: int
    created: list[int]  # people the import created: deleted
    updated: dict[int, tuple[int, dict[str, Any]]]  # people it updated: restored


def _who(s: Session, person_ids: Sequence[int]) -> str:
    """ "张三" or "张三等3人" for a refusal."""
    ids = list(person_ids)
    first = s.scalar(select(Person.name).where(Person.id == ids[0])) or "有人"
    return first if len(ids) == 1 else f"{first}等{len(ids)}人"


def _referrers(target: Table) -> list[tuple[Table, Column[Any]]]:
    """Every (table, column) with a foreign key to ``target``'s id."""
    out = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target and fk.parent.table is table:
                out.append((table, fk.parent))
    return out


def _later_batch(s: Session, batch: ImportBatch) -> ImportBatch | None:
    """A later member import in force (a register's imports are undone register by
    register: ``register_io``)."""
    return s.scalar(
        select(ImportBatch)
        .where(
            ImportBatch.id > batch.id,
            ImportBatch.undone.is_(False),
            ImportBatch.kind.in_(UNDOABLE_KINDS),
        )
        .order_by(ImportBatch.id)
        .limit(1)
    )


def _refusal(s: Session, batch: ImportBatch) -> str | None:
    """Why the batch cannot be undone as things stand, or None when it can."""
    return _first_refusal(s, batch) or _plan(s, batch)[1]


def _plan(s: Session, batch: ImportBatch) -> tuple[_Plan, str | None]:
    if batch.kind == MEMBERS:
        return _member_plan(s, batch)
    return _rows_plan(s, batch)


def _rows_table(kind: str) -> Table:
    from unionsdesk.db.models import HardshipFile, Payout

    return cast(Table, (HardshipFile if kind == HARDSHIP else Payout).__table__)


_ROW_WORDS = {HARDSHIP: "困难职工档案", PAYOUTS: "发放明细"}


def _rows_plan(s: Session, batch: ImportBatch) -> tuple[_Plan, str | None]:
    """What undoing a 困难职工 or 发放明细 batch touches (its rows, the people it made
    or filled in), and the first reason it may not: a row changed since (审核, 年审,
    修改), a row something points at (a pay-out line of an imported file, a receipt
    of an imported line), a line of a campaign no longer 草拟, or a person it made
    who is used elsewhere or was edited since."""
    from unionsdesk.db.models import Campaign

    t, b, word = _rows_table(batch.kind), batch.id, _ROW_WORDS[batch.kind]
    conn = s.connection()
    batch_people = fetch_column(conn, select(t.c.person_id).where(t.c.import_batch_id == b))
    updated = _prior_people(batch)
    created = sorted(set(batch_people) - set(updated))
    plan = _Plan(len(batch_people), created, updated)
    changed = fetch_column(
        conn, select(t.c.person_id).where(t.c.import_batch_id == b, t.c.version != 1)
    )
    if changed:
        return (
            plan,
            f"{_who(s, sorted(set(changed)))}的{word}在导入后已有变动（审核、修改等），不能撤销这批导入",
        )
    for table, col in _referrers(t):
        hit = s.execute(
            select(t.c.person_id).join(table, col == t.c.id).where(t.c.import_batch_id == b)
        ).first()
        if hit is not None:
            what = {"payout": "发放明细", "receipt": "收据"}.get(table.name, "其他记录")
            return plan, f"{_who(s, [hit[0]])}的{word}在导入后已有{what}，不能撤销这批导入"
    if batch.kind == PAYOUTS:
        status = s.scalar(
            select(Campaign.status)
            .join(t, t.c.campaign_id == Campaign.id)
            .where(t.c.import_batch_id == b, Campaign.status != "草拟")
            .limit(1)
        )
        if status is not None:
            return plan, f"帮扶活动已{status}，发放明细不能再撤销（请先退回草拟）"
    p = PERSON
    in_batch = select(t.c.person_id).where(t.c.import_batch_id == b).scalar_subquery()
    new_people = set(created)
    for table, col in _referrers(p):
        where = (
            [] if table is not t else [or_(t.c.import_batch_id.is_(None), t.c.import_batch_id != b)]
        )
        found = fetch_column(conn, select(col).where(col.in_(in_batch), *where).distinct())
        used = sorted(new_people.intersection(found))
        if used:
            what = _REFERRER_NAMES.get(table.name, "其他记录")
            return plan, f"{_who(s, used)}在导入后已登记了{what}，不能撤销这批导入"
    edited = [
        pid
        for pid, version in s.execute(select(p.c.id, p.c.version).where(p.c.id.in_(in_batch)))
        if version != (updated[pid][0] if pid in updated else 1)
    ]
    if edited:
        return plan, f"{_who(s, sorted(edited))}的个人信息在导入后已修改，不能撤销这批导入"
    return plan, None


def _undo_rows(s: Session, actor: CurrentUser, batch: ImportBatch, plan: _Plan) -> UndoResult:
    t, p, b = _rows_table(batch.kind), PERSON, batch.id
    conn = s.connection()
    changed = "导入的数据刚被其他用户修改，本次没有撤销，请重新查看后再试"
    removed = conn.execute(delete(t).where(t.c.import_batch_id == b, t.c.version == 1)).rowcount
    if removed != plan.memberships:
        raise ConflictError(changed)
    people = 0
    for part in chunks(plan.created):
        people += conn.execute(delete(p).where(p.c.id.in_(part), p.c.version == 1)).rowcount
    if people != len(plan.created):
        raise ConflictError(changed)
    _restore_people(conn, actor, plan.updated)
    return UndoResult(b, batch.file_name, removed, 0, people, len(plan.updated), batch.kind)


def _first_refusal(s: Session, batch: ImportBatch) -> str | None:
    """The checks on the batch itself (cheap); ``_member_plan`` checks its rows."""
    if batch.undone:
        when = f"已于 {batch.updated_at:%Y-%m-%d %H:%M} " if batch.updated_at else "已"
        return f"这批导入（{batch.file_name}）{when}撤销，不能重复撤销"
    if batch.kind not in UNDOABLE_KINDS:
        reg = _register(batch.kind)
        if reg is not None:
            from unionsdesk.services.common.register_io import undo_refusal

            return undo_refusal(s, reg, batch) or (
                f"请在“{reg.label}”中撤销（导入按钮的菜单，或 unionsdesk import {reg.name} --undo）"
            )
        return f"“{kind_name(batch.kind)}”的导入不能撤销"
    later = _later_batch(s, batch)
    if later is not None:
        return (
            f"只能撤销最近一次导入：之后还导入了“{later.file_name}”（批次 {later.id}），"
            "请先撤销那一批"
        )
    if batch.prior_values is None:
        return "这批导入由旧版本程序完成，没有记录导入前的数据，不能撤销"
    return None


def _member_plan(s: Session, batch: ImportBatch) -> tuple[_Plan, str | None]:
    """What undoing the member batch would touch, and the first reason it may not."""
    m, b = MEMBERSHIP, batch.id
    conn = s.connection()
    batch_people = fetch_column(conn, select(m.c.person_id).where(m.c.import_batch_id == b))
    updated = _prior_people(batch)
    created = sorted(set(batch_people) - set(updated))
    plan = _Plan(len(batch_people), created, updated)

    # Memberships of the batch: untouched since (every change bumps the version and a
    # transfer or status change also adds an event), and nothing else points at them.
    changed = fetch_column(
        conn, select(m.c.person_id).where(m.c.import_batch_id == b, m.c.version != 1)
    )
    e = EVENT
    changed += fetch_column(
        conn,
        select(m.c.person_id)
        .join(e, e.c.membership_id == m.c.id)
        .where(m.c.import_batch_id == b)
        .group_by(m.c.id, m.c.person_id)
        .having(func.count() > 1),
    )
    if changed:
        return plan, (
            f"{_who(s, sorted(set(changed)))}的会员记录在导入后已有变动（转会、状态变更或修改），"
            "不能撤销这批导入"
        )
    for table, col in _referrers(m):
        if table is e:
            continue
        hit = s.execute(
            select(m.c.person_id).join(table, col == m.c.id).where(m.c.import_batch_id == b)
        ).first()
        if hit is not None:
            what = _REFERRER_NAMES.get(table.name, "其他记录")
            return plan, f"{_who(s, [hit[0]])}的会员记录在导入后已被{what}引用，不能撤销这批导入"

    # People the batch created: nothing else points at them and nobody edited them.
    # One query per table, on the batch's people as a subquery (an id list of
    # 20 000 bound parameters costs PostgreSQL about a second to compile and parse);
    # the people the batch only updated are then set aside here.
    p = PERSON
    in_batch = select(m.c.person_id).where(m.c.import_batch_id == b).scalar_subquery()
    new_people = set(created)
    for table, col in _referrers(p):
        where = (
            [] if table is not m else [or_(m.c.import_batch_id.is_(None), m.c.import_batch_id != b)]
        )
        found = fetch_column(conn, select(col).where(col.in_(in_batch), *where).distinct())
        used = sorted(new_people.intersection(found))
        if used:
            what = _REFERRER_NAMES.get(table.name, "其他记录")
            return plan, f"{_who(s, used)}在导入后已登记了{what}，不能撤销这批导入"
    edited: list[int] = []
    # People the batch updated: nobody changed them since (the import bumped each once).
    for pid, version in s.execute(select(p.c.id, p.c.version).where(p.c.id.in_(in_batch))):
        if pid in updated:
            if version != updated[pid][0]:
                edited.append(pid)
        elif version != 1:
            edited.append(pid)
    if edited:
        return plan, f"{_who(s, sorted(edited))}的个人信息在导入后已修改，不能撤销这批导入"
    return plan, None


# --- the service --------------------------------------------------------------------


def _display_names(s: Session, logins: set[str | None]) -> dict[str | None, str | None]:
    """login → the user's display name; a login no longer among the users stays as it is."""
    wanted = sorted(x for x in logins if x)
    out: dict[str | None, str | None] = {x: x for x in wanted}
    if wanted:
        q = select(User.login, User.display_name).where(User.login.in_(wanted))
        out.update({login: name or login for login, name in s.execute(q)})
    return out


def list_batches(db: Database, actor: CurrentUser, *, limit: int = 50) -> list[BatchRow]:
    """The newest ``limit`` imports, newest first, each saying whether it can be
    undone now and, when not, why."""
    with reading(db, actor, READ) as s:
        batches = list(s.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)))
        union_ids = {b.union_id for b in batches if b.union_id is not None}
        names: dict[int, str] = {}
        for part in chunks(sorted(union_ids)):
            q = select(UnionOrg.id, UnionOrg.name).where(UnionOrg.id.in_(part))
            names.update({uid: name for uid, name in s.execute(q)})
        logins = {b.created_by for b in batches} | {b.updated_by for b in batches if b.undone}
        clerks = _display_names(s, logins)
        rows = []
        for b in batches:
            reg = _register(b.kind) if b.kind not in UNDOABLE_KINDS else None
            why: str | None
            if reg is not None and not reg.readable_by(actor):  # private cases (维权查看)
                why = f"当前用户“{actor.display_name}”没有查看“{reg.label}”的权限"
            else:
                why = _refusal(s, b)
            if why is None and not actor.can(WRITE):
                why = f"当前用户“{actor.display_name}”没有“录入和修改数据”的权限，不能撤销导入"
            rows.append(
                BatchRow(
                    id=b.id,
                    kind=b.kind,
                    kind_name=kind_name(b.kind),
                    file_name=b.file_name,
                    union_name=names.get(b.union_id) if b.union_id is not None else None,
                    imported_at=b.created_at,
                    imported_by=clerks.get(b.created_by),
                    rows_read=b.rows_read,
                    imported=b.imported,
                    skipped=b.skipped,
                    invalid=b.invalid,
                    undone=b.undone,
                    undone_at=b.updated_at if b.undone else None,
                    undone_by=clerks.get(b.updated_by) if b.undone else None,
                    can_undo=why is None,
                    why_not=why,
                    imported_by_login=b.created_by,
                    undone_by_login=b.updated_by if b.undone else None,
                )
            )
        return rows


def undo_batch(db: Database, actor: CurrentUser, batch_id: int | None = None) -> UndoResult:
    """Undo the import batch ``batch_id`` (None: the newest import still in force),
    in one transaction, or refuse with one Chinese sentence and change nothing."""
    with writing(db, actor, WRITE) as s:
        q = select(ImportBatch)
        if batch_id is None:
            q = q.where(ImportBatch.undone.is_(False)).order_by(ImportBatch.id.desc()).limit(1)
        else:
            q = q.where(ImportBatch.id == batch_id)
        batch = s.scalar(q.with_for_update())  # two clerks undoing at once: one waits
        if batch is None:
            raise UserError(
                "没有可以撤销的导入" if batch_id is None else f"没有编号为 {batch_id} 的导入批次"
            )
        reason = _first_refusal(s, batch)
        if reason is not None:
            raise UserError(reason)
        plan, reason = _plan(s, batch)
        if reason is not None:
            raise UserError(reason)
        if batch.kind == MEMBERS:
            result = _undo_members(s, actor, batch, plan)
        else:
            result = _undo_rows(s, actor, batch, plan)
        batch.undone = True
        stamp(batch, actor)
        s.flush()
        entity = {MEMBERS: "member", HARDSHIP: "hardship_file", PAYOUTS: "payout"}[batch.kind]
        audit(
            s,
            actor,
            "undo_import",
            entity,
            batch.id,
            before={"undone": False},
            after={
                "undone": True,
                "file": batch.file_name,
                "removed": result.memberships_removed,
                "people_removed": result.people_removed,
                "people_restored": result.people_restored,
            },
            summary=f"撤销导入{kind_name(batch.kind)}（{batch.file_name}）："
            + "，".join(result.summary_lines()[1:]),
        )
        return result


def _undo_members(s: Session, actor: CurrentUser, batch: ImportBatch, plan: _Plan) -> UndoResult:
    m, e, p = MEMBERSHIP, EVENT, PERSON
    conn = s.connection()
    b = batch.id
    changed = "导入的数据刚被其他用户修改，本次没有撤销，请重新查看后再试"
    events = conn.execute(
        delete(e).where(e.c.membership_id.in_(select(m.c.id).where(m.c.import_batch_id == b)))
    ).rowcount
    removed = conn.execute(delete(m).where(m.c.import_batch_id == b, m.c.version == 1)).rowcount
    if removed != plan.memberships:
        raise ConflictError(changed)
    people = 0
    for part in chunks(plan.created):  # SQLite: the delete trigger updates person_digits
        people += conn.execute(delete(p).where(p.c.id.in_(part), p.c.version == 1)).rowcount
    if people != len(plan.created):
        raise ConflictError(changed)
    _restore_people(conn, actor, plan.updated)
    return UndoResult(b, batch.file_name, removed, events, people, len(plan.updated))


def _restore_people(
    conn: Any, actor: CurrentUser, updated: dict[int, tuple[int, dict[str, Any]]]
) -> None:
    """Write the details back over the people an import updated (each at the version
    the import left it)."""
    p, stamp_at = PERSON, now()
    for pid, (version, values) in sorted(updated.items()):
        done = conn.execute(
            update(p)
            .where(p.c.id == pid, p.c.version == version)
            .values(**values, version=version + 1, updated_at=stamp_at, updated_by=actor.login)
        ).rowcount
        if done != 1:
            raise ConflictError("导入的数据刚被其他用户修改，本次没有撤销，请重新查看后再试")
