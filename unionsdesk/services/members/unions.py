"""基层工会 register: the county → township/industry → grassroots tree."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, UnionOrg, UnionStatusEvent
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.fields import UNION, UNION_STATUSES
from unionsdesk.services.common.base import (
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

FIELDS = tuple(f.name for f in UNION.fields if f.name != "parent")
DEFAULT_TERM_YEARS = 5
REMIND_DAYS = 90


@dataclass(frozen=True)
class UnionRow:
    id: int
    name: str
    unit_name: str | None
    unit_credit_code: str | None
    union_credit_code: str | None
    parent_id: int | None
    org_type: str | None
    unit_category: str | None
    industry: str | None
    township: str | None
    address: str | None
    founded_on: date | None
    last_election_on: date | None
    term_years: int | None
    chair_name: str | None
    chair_phone: str | None
    chair_fulltime: bool | None
    auditor_name: str | None
    auditor_phone: str | None
    staff_count: int | None
    female_staff: int | None
    status: str
    status_date: date | None
    status_reason: str | None
    version: int
    member_count: int = 0

    @property
    def next_election_due(self) -> date | None:
        start = self.last_election_on or self.founded_on
        if start is None:
            return None
        years = self.term_years or DEFAULT_TERM_YEARS
        try:
            return start.replace(year=start.year + years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + years, day=28)

    def election_reminder(self, today: date | None = None) -> str | None:
        """换届提醒: overdue, or due within REMIND_DAYS."""
        due = self.next_election_due
        if due is None or self.status != "正常":
            return None
        today = today or date.today()
        if due < today:
            return f"换届已逾期（应于{due:%Y年%m月%d日}前换届）"
        if due <= today + timedelta(days=REMIND_DAYS):
            return f"即将到期换届（{due:%Y年%m月%d日}）"
        return None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


DIRECT = "县总工会直属"
COUNTY_TYPE = "07"  # 组织类型 县(市、区)总工会
NO_UNION = "（未归属工会）"


def township_resolver(s: Session) -> tuple[dict[int, str], Callable[[int | None], str]]:
    """Union names, and a function giving a union's township/industry union: the
    ancestor just below the county (the county itself counts as 县总工会直属)."""
    tree: dict[int, tuple[str, int | None]] = {
        uid: (name, parent)
        for uid, name, parent in s.execute(select(UnionOrg.id, UnionOrg.name, UnionOrg.parent_id))
    }

    def township(uid: int | None) -> str:
        if uid is None or uid not in tree:
            return NO_UNION
        parent = tree[uid][1]
        if parent is None:
            return DIRECT
        while (grand := tree[parent][1]) is not None:
            uid, parent = parent, grand
        return tree[uid][0]

    return {uid: name for uid, (name, _) in tree.items()}, township


def names_index(unions: Iterable[UnionOrg]) -> dict[str, list[int]]:
    """Union name and unit name → the ids of the unions so called (for Excel imports)."""
    out: dict[str, list[int]] = {}
    for u in unions:
        for key in {u.name, u.unit_name or ""} - {""}:
            out.setdefault(key, []).append(u.id)
    return out


def union_named(index: Mapping[str, list[int]], name: str | None) -> int:
    """The one union ``name`` means in ``index``; ValueError with the reason otherwise."""
    matches = index.get(name or "", [])
    if len(matches) != 1:
        why = "对应多个工会" if matches else "找不到该工会"
        raise ValueError(f"{why}：请写工会全称")
    return matches[0]


def _row(u: UnionOrg, members: int = 0) -> UnionRow:
    return UnionRow(
        id=u.id, parent_id=u.parent_id, status=u.status, status_date=u.status_date,
        status_reason=u.status_reason, version=u.version, member_count=members,
        **{n: getattr(u, n) for n in FIELDS},
    )  # fmt: skip


def _member_counts(s: Session) -> dict[int, int]:
    q = (
        select(Membership.union_id, func.count())
        .where(Membership.active)
        .group_by(Membership.union_id)
    )
    return {uid: n for uid, n in s.execute(q)}


def ensure_county_union(s: Session, actor: CurrentUser) -> UnionOrg | None:
    """The root of the union tree, created from 单位信息 when there is none yet (the
    county union, 县(市、区)总工会), in the caller's transaction; None before the office
    is set up."""
    from unionsdesk.db.models import Office

    root = s.scalar(select(UnionOrg).where(UnionOrg.parent_id.is_(None)).order_by(UnionOrg.id))
    if root is not None:
        return root
    office = s.scalar(select(Office).order_by(Office.id))
    if office is None:
        return None
    root = UnionOrg(name=office.name, org_type=COUNTY_TYPE, status="正常", address=office.address,
                    chair_name=office.leader, chair_phone=office.phone,
                    union_credit_code=office.credit_code)  # fmt: skip
    stamp(root, actor, new=True)
    s.add(root)
    s.flush()
    audit(s, actor, "create", "union", root.id, after={"name": root.name},
          summary=f"按单位信息建立本县总工会“{root.name}”")  # fmt: skip
    return root


def subtree_totals(unions: Sequence[UnionRow]) -> dict[int, int]:
    """Members on the roll of each union and every union below it (含下级)."""
    parent = {u.id: u.parent_id for u in unions}
    totals = {u.id: 0 for u in unions}
    for u in unions:
        seen: set[int] = set()
        cur: int | None = u.id
        while cur is not None and cur in totals and cur not in seen:
            seen.add(cur)
            totals[cur] += u.member_count
            cur = parent.get(cur)
    return totals


def list_unions(db: Database, actor: CurrentUser, *, with_counts: bool = True) -> list[UnionRow]:
    """Every union (build the tree from parent_id). Without ``with_counts`` the member
    counts stay 0 — pickers don't need them, and at 200 000 members they cost ~0.2 s."""
    with reading(db, actor) as s:
        counts = _member_counts(s) if with_counts else {}
        return [
            _row(u, counts.get(u.id, 0)) for u in s.scalars(select(UnionOrg).order_by(UnionOrg.id))
        ]


def get_union(db: Database, actor: CurrentUser, union_id: int) -> UnionRow:
    with reading(db, actor) as s:
        u = s.get(UnionOrg, union_id)
        if u is None:
            raise UserError("该工会不存在")
        return _row(u, _member_counts(s).get(u.id, 0))


def _find(s: Session, key: str) -> UnionOrg:
    key = key.strip()
    if not key:
        raise UserError("请给出工会名称、统一社会信用代码或编号")
    if key.isdigit() and len(key) < 10:
        u = s.get(UnionOrg, int(key))
        if u is not None:
            return u
    exact = list(
        s.scalars(
            select(UnionOrg).where(
                (UnionOrg.name == key) | (UnionOrg.unit_credit_code == key.upper())
                | (UnionOrg.union_credit_code == key.upper()) | (UnionOrg.unit_name == key)
            )
        )
    )  # fmt: skip
    if len(exact) == 1:
        return exact[0]
    candidates = exact or list(
        s.scalars(select(UnionOrg).where(UnionOrg.name.contains(key)).limit(6))
    )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UserError(f"找不到工会“{key}”")
    names = "、".join(c.name for c in candidates[:5])
    raise UserError(f"“{key}”对应多个工会（{names}…），请写全称或统一社会信用代码")


def find_union(db: Database, actor: CurrentUser, key: str) -> UnionRow:
    """By number, exact name, unit name or credit code, or a unique part of the name."""
    with reading(db, actor) as s:
        u = _find(s, key)
        return _row(u, _member_counts(s).get(u.id, 0))


def _apply(s: Session, u: UnionOrg, values: Mapping[str, object], clean: dict[str, Any]) -> None:
    for name in FIELDS:
        if name in clean:
            setattr(u, name, clean[name])
    if "parent_id" in values:
        parent_id = values["parent_id"]
        u.parent_id = int(parent_id) if parent_id not in (None, "") else None  # type: ignore[call-overload]
    elif clean.get("parent"):
        u.parent_id = _find(s, clean["parent"]).id
    if u.parent_id is not None:  # no cycles in the tree
        seen = {u.id} if u.id else set()
        node: UnionOrg | None = s.get(UnionOrg, u.parent_id)
        if node is None:
            raise ValidationError({"parent": "上级工会不存在"})
        while node is not None:
            if node.id in seen:
                raise ValidationError({"parent": "上级工会不能是本工会或其下级工会"})
            seen.add(node.id)
            node = s.get(UnionOrg, node.parent_id) if node.parent_id else None
    if u.unit_credit_code:
        other = s.scalar(
            select(UnionOrg.name).where(
                UnionOrg.unit_credit_code == u.unit_credit_code, UnionOrg.id != (u.id or -1)
            )
        )
        if other:
            raise ValidationError({"unit_credit_code": f"单位统一社会信用代码已被“{other}”使用"})


def create_union(db: Database, actor: CurrentUser, values: Mapping[str, object]) -> UnionRow:
    clean = UNION.clean(values, codes=code_lookup(db))
    with writing(db, actor, WRITE) as s:
        u = UnionOrg(status="正常")
        stamp(u, actor, new=True)
        _apply(s, u, values, clean)
        s.add(u)
        s.flush()
        audit(
            s,
            actor,
            "create",
            "union",
            u.id,
            after=snapshot(u, (*FIELDS, "parent_id")),
            summary=f"新建工会 {u.name}",
        )
        return _row(u)


def update_union(
    db: Database,
    actor: CurrentUser,
    union_id: int,
    values: Mapping[str, object],
    expected_version: int | None = None,
) -> UnionRow:
    clean = UNION.clean(values, codes=code_lookup(db))
    with writing(db, actor, WRITE) as s:
        u = s.get(UnionOrg, union_id)
        if u is None:
            raise UserError("该工会不存在")
        check_version(u, expected_version, f"工会“{u.name}”", "union")
        before = snapshot(u, (*FIELDS, "parent_id"))
        _apply(s, u, values, clean)
        stamp(u, actor)
        s.flush()
        audit(
            s,
            actor,
            "update",
            "union",
            u.id,
            before=before,
            after=snapshot(u, (*FIELDS, "parent_id")),
        )
        return _row(u, _member_counts(s).get(u.id, 0))


def change_union_status(
    db: Database,
    actor: CurrentUser,
    union_id: int,
    status: str,
    on: date,
    reason: str,
    merged_into_id: int | None = None,
) -> UnionRow:
    """正常/撤销/合并, kept as history. A union with members on its roll cannot be closed."""
    if status not in UNION_STATUSES:
        raise ValidationError({"status": f"状态只能是：{'、'.join(UNION_STATUSES)}"})
    if status != "正常" and not reason.strip():
        raise ValidationError({"status_reason": "撤销或合并须填写原因"})
    if status == "合并" and merged_into_id is None:
        raise ValidationError({"merged_into_id": "合并须选择并入的工会"})
    with writing(db, actor, WRITE) as s:
        u = s.get(UnionOrg, union_id)
        if u is None:
            raise UserError("该工会不存在")
        members = _member_counts(s).get(u.id, 0)
        if status != "正常" and members:
            raise UserError(f"“{u.name}”还有{members}名在册会员，请先办理转会后再{status}")
        before = snapshot(u, ("status", "status_date", "status_reason", "merged_into_id"))
        u.status, u.status_date, u.status_reason = status, on, reason.strip() or None
        u.merged_into_id = merged_into_id if status == "合并" else None
        stamp(u, actor)
        event = UnionStatusEvent(union_id=u.id, status=status, on=on, reason=reason.strip() or None)
        stamp(event, actor, new=True)
        s.add(event)
        s.flush()
        audit(s, actor, "status", "union", u.id, before=before,
              after=snapshot(u, ("status", "status_date", "status_reason", "merged_into_id")))  # fmt: skip
        return _row(u, members)


@dataclass(frozen=True)
class StatusEvent:
    status: str
    on: date
    reason: str | None
    by: str | None


def status_history(db: Database, actor: CurrentUser, union_id: int) -> list[StatusEvent]:
    with reading(db, actor) as s:
        q = (
            select(UnionStatusEvent)
            .where(UnionStatusEvent.union_id == union_id)
            .order_by(UnionStatusEvent.id)
        )
        return [StatusEvent(e.status, e.on, e.reason, e.created_by) for e in s.scalars(q)]


def elections_due(
    db: Database, actor: CurrentUser, today: date | None = None
) -> list[tuple[UnionRow, str]]:
    """Unions whose term is overdue or ends within REMIND_DAYS (首页 reminder)."""
    out = []
    for row in list_unions(db, actor, with_counts=False):
        msg = row.election_reminder(today)
        if msg:
            out.append((row, msg))
    return sorted(out, key=lambda pair: pair[0].next_election_due or date.max)
