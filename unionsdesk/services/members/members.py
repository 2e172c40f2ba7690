"""会员实名制: the Person master, memberships, transfers and the fast member list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, column, func, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database, fetch_column
from unionsdesk.db.models import Membership, MembershipEvent, Person, UnionOrg
from unionsdesk.domain import idcard
from unionsdesk.domain.mask import mask_id, mask_phone
from unionsdesk.domain.pinyin import pinyin_keys
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.fields import (
    MEMBER,
    CodeLookup,
    EntitySpec,
    allowing_young_members,
    joining_age_warning,
)
from unionsdesk.services.common.base import (
    PII,
    READ,
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

# member_status codes (seeded in migration 0001)
IN_REGISTER, RETAINED, TRANSFERRED_OUT, WITHDRAWN, LAPSED, EXPELLED = (
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
)
ACTIVE_STATUSES = frozenset({IN_REGISTER, RETAINED})
# membership_change codes: 入会 转入 保留 转出 除名 退会
JOIN, TRANSFER_IN, RETAIN, TRANSFER_OUT, EXPEL, WITHDRAW = "1", "2", "3", "4", "5", "6"
STATUS_EVENT = {
    RETAINED: RETAIN,
    WITHDRAWN: WITHDRAW,
    LAPSED: WITHDRAW,
    EXPELLED: EXPEL,
    IN_REGISTER: JOIN,
}

PERSON_FIELDS = (
    "name", "id_number", "sex", "birth_date", "ethnicity", "political", "education", "phone",
    "hukou_type", "hukou_place", "native_place", "tech_level",
)  # fmt: skip
MEMBERSHIP_FIELDS = (
    "joined_on", "card_no", "status", "employment_status", "job", "migrant_worker", "new_employment",
)  # fmt: skip


@dataclass(frozen=True)
class MemberRow:
    """One line of the member list (already masked for the viewer)."""

    membership_id: int
    person_id: int
    name: str
    sex: str
    birth_date: date
    id_number: str
    phone: str
    union_id: int
    union_name: str
    joined_on: date
    status: str
    active: bool
    migrant_worker: bool
    new_employment: str | None
    card_no: str | None


@dataclass(frozen=True)
class MemberDetail:
    membership_id: int
    person_id: int
    union_id: int
    union_name: str
    values: dict[str, Any]  # MEMBER field name → clean value (codes, not labels)
    active: bool
    version: int  # of the membership
    person_version: int


@dataclass
class SaveResult:
    member: MemberDetail
    warnings: list[str] = field(default_factory=list)


YOUNG_MEMBERS = "members.allow_under_14"  # "1": 入会 under 14 warns instead of being refused


def young_members_allowed(db: Database) -> bool:
    from unionsdesk.services.common.settings import get_setting

    return get_setting(db, YOUNG_MEMBERS, "0") == "1"


def allow_young_members(db: Database, actor: CurrentUser, allowed: bool) -> None:
    """设置 → 单位信息: whether a member may have joined under 14 (administrators)."""
    from unionsdesk.services.common.settings import set_settings

    set_settings(db, actor, {YOUNG_MEMBERS: "1" if allowed else "0"})


def member_spec(db: Database, spec: EntitySpec = MEMBER) -> EntitySpec:
    """``spec`` (MEMBER or the import's) with the office's rule on the joining age."""
    return allowing_young_members(spec) if young_members_allowed(db) else spec


def derived_warnings(card: idcard.IdCard, typed_sex: object, typed_birth: object) -> list[str]:
    """性别/出生日期 come from the ID number; say so when what was typed differs."""
    out = []
    if typed_sex and typed_sex != card.sex:
        out.append(f"填写的性别“{typed_sex}”与身份证号不符，已按身份证号记为“{card.sex}”")
    if isinstance(typed_birth, date) and typed_birth != card.birth_date:
        out.append(
            f"填写的出生日期{typed_birth:%Y-%m-%d}与身份证号不符，已按身份证号记为{card.birth_date:%Y-%m-%d}"
        )
    return out


def _detail(m: Membership, p: Person, union_name: str) -> MemberDetail:
    values = {n: getattr(p, n) for n in PERSON_FIELDS} | {
        n: getattr(m, n) for n in MEMBERSHIP_FIELDS
    }
    values["union"] = union_name
    return MemberDetail(m.id, p.id, m.union_id, union_name, values, m.active, m.version, p.version)


def _person_values(
    p: Person, clean: Mapping[str, Any], card: idcard.IdCard, *, keep_blank: bool
) -> None:
    for name in PERSON_FIELDS:
        if name in ("id_number", "sex", "birth_date"):
            continue
        if name in clean and not (keep_blank and clean[name] in (None, "")):
            setattr(p, name, clean[name])
    p.id_number, p.sex, p.birth_date = card.number, card.sex, card.birth_date
    p.name_pinyin, p.name_initials = pinyin_keys(p.name)


def _union(s: Session, union_id: int) -> UnionOrg:
    u = s.get(UnionOrg, union_id)
    if u is None:
        raise ValidationError({"union": "所选工会不存在"})
    if u.status != "正常":
        raise ValidationError({"union": f"“{u.name}”已{u.status}，不能再登记会员"})
    return u


def _active_membership(s: Session, person_id: int) -> Membership | None:
    return s.scalar(select(Membership).where(Membership.person_id == person_id, Membership.active))


def _event(s: Session, actor: CurrentUser, m: Membership, kind: str, on: date, reason: str | None = None,
           other_union_id: int | None = None) -> None:  # fmt: skip
    e = MembershipEvent(
        membership_id=m.id, kind=kind, on=on, reason=reason, other_union_id=other_union_id
    )
    stamp(e, actor, new=True)
    s.add(e)


def _resolve_union_id(s: Session, union_id: int | None, clean: Mapping[str, Any]) -> int:
    if union_id is not None:
        return union_id
    if clean.get("union"):
        from unionsdesk.services.members.unions import _find

        return _find(s, clean["union"]).id
    raise ValidationError({"union": "请选择会员所在的工会"})


def save_member(
    db: Database,
    actor: CurrentUser,
    values: Mapping[str, object],
    *,
    union_id: int | None = None,
    membership_id: int | None = None,
    expected_version: int | None = None,
    codes: CodeLookup | None = None,
) -> SaveResult:
    """Register a new member (``membership_id`` None) or save changes to one."""
    clean = member_spec(db).clean(values, codes=codes or code_lookup(db))
    card = idcard.parse(clean["id_number"])
    warnings = derived_warnings(card, clean.get("sex"), clean.get("birth_date"))
    if (young := joining_age_warning(clean)) is not None:
        warnings.append(young)
    with writing(db, actor, WRITE) as s:
        person = s.scalar(select(Person).where(Person.id_number == card.number))
        if membership_id is None:
            target_union = _union(s, _resolve_union_id(s, union_id, clean))
            if person is not None:
                current = _active_membership(s, person.id)
                if current is not None:
                    where = s.get(UnionOrg, current.union_id)
                    name = where.name if where else "其他工会"
                    if current.union_id == target_union.id:
                        raise ValidationError(
                            {
                                "id_number": f"{person.name}（{mask_id(person.id_number)}）已在本工会名册中"
                            }
                        )
                    raise ValidationError(
                        {"id_number": f"{person.name}已是“{name}”的在册会员，如工作调动请办理转会"}
                    )
                if person.name != clean["name"]:
                    warnings.append(
                        f"身份证号已登记为“{person.name}”，姓名已更新为“{clean['name']}”"
                    )
            else:
                person = Person()
                stamp(person, actor, new=True)
                s.add(person)
            before_person = snapshot(person, PERSON_FIELDS) if person.id else None
            _person_values(person, clean, card, keep_blank=False)
            stamp(person, actor)
            status = clean.get("status") or IN_REGISTER
            if status not in ACTIVE_STATUSES:
                raise ValidationError({"status": "新登记的会员状态应为“在册”或“保留会籍”"})
            s.flush()  # the person's id
            m = Membership(
                person_id=person.id, union_id=target_union.id, active=True, status=status
            )
            for n in MEMBERSHIP_FIELDS:
                if n in clean and n != "status":
                    setattr(m, n, clean[n])
            m.migrant_worker = bool(clean.get("migrant_worker"))
            stamp(m, actor, new=True)
            s.add(m)
            s.flush()
            _event(s, actor, m, JOIN, m.joined_on)
            audit(s, actor, "create", "member", m.id, before=before_person,
                  after=snapshot(person, PERSON_FIELDS) | snapshot(m, MEMBERSHIP_FIELDS) | {"union": target_union.name},  # type: ignore[operator]
                  summary=f"登记会员 {person.name}（{target_union.name}）")  # fmt: skip
            return SaveResult(_detail(m, person, target_union.name), warnings)

        found = s.get(Membership, membership_id)
        if found is None:
            raise UserError("该会员记录不存在")
        m = found
        check_version(m, expected_version, "该会员记录", "member")
        p = s.get(Person, m.person_id)
        assert p is not None
        if person is not None and person.id != p.id:
            raise ValidationError({"id_number": f"身份证号已属于另一人“{person.name}”"})
        before = snapshot(p, PERSON_FIELDS) | snapshot(m, MEMBERSHIP_FIELDS)  # type: ignore[operator]
        _person_values(p, clean, card, keep_blank=False)
        for n in MEMBERSHIP_FIELDS:
            if n == "status":
                continue
            if n in clean:
                setattr(m, n, clean[n])
        m.migrant_worker = bool(clean.get("migrant_worker"))
        stamp(p, actor)
        stamp(m, actor)
        s.flush()
        after = snapshot(p, PERSON_FIELDS) | snapshot(m, MEMBERSHIP_FIELDS)  # type: ignore[operator]
        audit(s, actor, "update", "member", m.id, before=before, after=after)
        union = s.get(UnionOrg, m.union_id)
        return SaveResult(_detail(m, p, union.name if union else ""), warnings)


def get_member(db: Database, actor: CurrentUser, membership_id: int) -> MemberDetail:
    with reading(db, actor) as s:
        m = s.get(Membership, membership_id)
        if m is None:
            raise UserError("该会员记录不存在")
        p = s.get(Person, m.person_id)
        u = s.get(UnionOrg, m.union_id)
        assert p is not None and u is not None
        detail = _detail(m, p, u.name)
    if not actor.can(PII):
        detail.values["id_number"] = mask_id(detail.values["id_number"])
        detail.values["phone"] = mask_phone(detail.values["phone"])
    return detail


def transfer_member(
    db: Database,
    actor: CurrentUser,
    membership_id: int,
    to_union_id: int,
    on: date,
    reason: str = "",
) -> MemberDetail:
    """转会: the old membership is closed as 转出, a new one opens as 转入; history is kept."""
    with writing(db, actor, WRITE) as s:
        old = s.get(Membership, membership_id)
        if old is None or not old.active:
            raise UserError("只有在册会员才能办理转会")
        if old.union_id == to_union_id:
            raise ValidationError({"union": "转入工会与原工会相同"})
        target = _union(s, to_union_id)
        if on < old.joined_on:
            raise ValidationError({"on": "转会日期不能早于入会日期"})
        old.active, old.status, old.status_date = False, TRANSFERRED_OUT, on
        stamp(old, actor)
        s.flush()  # free the one-active-membership slot first
        new = Membership(
            person_id=old.person_id, union_id=target.id, joined_on=old.joined_on, status=IN_REGISTER,
            active=True, status_date=on, card_no=old.card_no, employment_status=old.employment_status,
            job=old.job, migrant_worker=old.migrant_worker, new_employment=old.new_employment,
        )  # fmt: skip
        stamp(new, actor, new=True)
        s.add(new)
        s.flush()
        _event(s, actor, old, TRANSFER_OUT, on, reason or None, target.id)
        _event(s, actor, new, TRANSFER_IN, on, reason or None, old.union_id)
        p = s.get(Person, old.person_id)
        src = s.get(UnionOrg, old.union_id)
        assert p is not None and src is not None
        audit(s, actor, "transfer", "member", new.id, before={"union": src.name}, after={"union": target.name},
              summary=f"{p.name} 由“{src.name}”转入“{target.name}”")  # fmt: skip
        return _detail(new, p, target.name)


def change_member_status(
    db: Database, actor: CurrentUser, membership_id: int, status: str, on: date, reason: str = ""
) -> MemberDetail:
    """保留会籍 / 退会 / 视为自动退会 / 开除会籍, or back to 在册."""
    if status not in STATUS_EVENT:
        raise ValidationError({"status": "请选择新的会员状态（转出请用“转会”）"})
    if status in (WITHDRAWN, LAPSED, EXPELLED) and not reason.strip():
        raise ValidationError({"reason": "退会、自动退会和开除会籍须填写原因"})
    with writing(db, actor, WRITE) as s:
        m = s.get(Membership, membership_id)
        if m is None:
            raise UserError("该会员记录不存在")
        if m.status == TRANSFERRED_OUT:
            raise UserError("已转出的记录不能再改状态，请在转入工会的记录上办理")
        if status in ACTIVE_STATUSES and not m.active:
            other = _active_membership(s, m.person_id)
            if other is not None:
                raise UserError("此人已在其他工会在册，不能恢复本记录")
        before = snapshot(m, ("status", "active", "status_date"))
        m.status, m.status_date, m.active = status, on, status in ACTIVE_STATUSES
        stamp(m, actor)
        s.flush()
        _event(s, actor, m, STATUS_EVENT[status], on, reason.strip() or None)
        audit(s, actor, "status", "member", m.id, before=before, after=snapshot(m, ("status", "active", "status_date")),
              summary=reason.strip() or None)  # fmt: skip
        p = s.get(Person, m.person_id)
        u = s.get(UnionOrg, m.union_id)
        assert p is not None and u is not None
        return _detail(m, p, u.name)


@dataclass(frozen=True)
class HistoryEvent:
    on: date
    kind: str
    union_name: str
    other_union_name: str | None
    reason: str | None
    by: str | None


def member_history(db: Database, actor: CurrentUser, person_id: int) -> list[HistoryEvent]:
    """All membership events of one person, in every union, oldest first."""
    other = UnionOrg.__table__.alias("other")
    with reading(db, actor) as s:
        q = (
            select(MembershipEvent, UnionOrg.name, other.c.name)
            .join(Membership, Membership.id == MembershipEvent.membership_id)
            .join(UnionOrg, UnionOrg.id == Membership.union_id)
            .outerjoin(other, other.c.id == MembershipEvent.other_union_id)
            .where(Membership.person_id == person_id)
            .order_by(MembershipEvent.on, MembershipEvent.id)
        )
        return [
            HistoryEvent(e.on, e.kind, un, on, e.reason, e.created_by) for e, un, on in s.execute(q)
        ]


# --- the member list: ids first, rows in pages ----------------------------------


@dataclass(frozen=True)
class MemberFilter:
    text: str = ""
    union_id: int | None = None  # includes the unions below it
    status: str | None = None  # member_status code; None = active ones
    new_employment: str | None = None  # category code, or "*" for any
    include_inactive: bool = False


def _prefix_range(col: Any, prefix: str) -> Any:
    """``col LIKE 'prefix%'`` written as a range so that an index is always used."""
    return and_(col >= prefix, col < prefix + "\U0010ffff")


def subtree_ids(s: Session, root: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for uid, parent in s.execute(select(UnionOrg.id, UnionOrg.parent_id)):
        children.setdefault(parent, []).append(uid)
    out, todo = [], [root]
    while todo:
        uid = todo.pop()
        out.append(uid)
        todo.extend(children.get(uid, []))
    return out


def person_condition(query: str, dialect: str) -> Any | None:
    """Which persons a search box text means: name prefix, pinyin (zs / zhangsan),
    or digits of an ID number or phone. Every branch uses an index; on SQLite
    "any part of a number" goes through the trigram index ``person_digits``
    (migration 0002), on PostgreSQL through LIKE, which its pg_trgm indexes serve
    (migration 0004). This is the one place where the search differs between
    databases."""
    from unionsdesk.domain.readers import to_halfwidth

    q = "".join(to_halfwidth(query).split())
    if not q:
        return None
    if q.isascii() and q.isalpha() and q.upper() != "X":
        low = q.lower()
        return or_(_prefix_range(Person.name_initials, low), _prefix_range(Person.name_pinyin, low))
    up = q.upper()
    if up.isascii() and up.rstrip("X").isdigit():
        if len(up) < 3:  # too short for "any part": start of a phone, end of an ID
            return or_(_prefix_range(Person.phone, up), Person.id_number.endswith(up))
        if dialect == "sqlite":
            hits = sql_text(
                "SELECT rowid FROM person_digits WHERE person_digits MATCH :q"
            ).bindparams(q=f'"{up}"')
            return Person.id.in_(hits.columns(column("rowid")))
        return or_(Person.id_number.contains(up), Person.phone.contains(up))
    return _prefix_range(Person.name, q)


def member_ids_query(
    flt: MemberFilter, dialect: str, union_ids: list[int] | None
) -> Select[tuple[int]]:
    q = select(Membership.id)
    cond = person_condition(flt.text, dialect)
    if cond is not None:
        q = q.where(Membership.person_id.in_(select(Person.id).where(cond)))
    if flt.status:
        q = q.where(Membership.status == flt.status)
    elif not flt.include_inactive:
        q = q.where(Membership.active)
    if union_ids is not None:
        q = q.where(Membership.union_id.in_(union_ids))
    if flt.new_employment == "*":
        q = q.where(Membership.new_employment.is_not(None))
    elif flt.new_employment:
        q = q.where(Membership.new_employment == flt.new_employment)
    return q.order_by(Membership.id)


def search_member_ids(
    db: Database, actor: CurrentUser, flt: MemberFilter | None = None, limit: int | None = None
) -> list[int]:
    """Membership ids matching the filter, in register order (the first ``limit`` of
    them, if given). Ids only, through Core (no ORM objects), so that 200 000 come
    back in a few dozen ms."""
    flt = flt or MemberFilter()
    actor.require(READ)
    with db.engine.connect() as conn:
        union_ids = None
        if flt.union_id is not None:
            with Session(conn) as s:
                union_ids = subtree_ids(s, flt.union_id)
        query = member_ids_query(flt, db.engine.dialect.name, union_ids)
        return fetch_column(conn, query if limit is None else query.limit(limit))


def fetch_member_rows(db: Database, actor: CurrentUser, ids: Sequence[int]) -> list[MemberRow]:
    """Rows for one page of ids, in the order given, masked unless the role may see them."""
    if not ids:
        return []
    show = actor.can(PII)
    q = (
        select(
            Membership.id, Person.id, Person.name, Person.sex, Person.birth_date, Person.id_number,
            Person.phone, Membership.union_id, UnionOrg.name, Membership.joined_on, Membership.status,
            Membership.active, Membership.migrant_worker, Membership.new_employment, Membership.card_no,
        )
        .join(Person, Person.id == Membership.person_id)
        .join(UnionOrg, UnionOrg.id == Membership.union_id)
        .where(Membership.id.in_(list(ids)))
    )  # fmt: skip
    with reading(db, actor) as s:
        rows = {r[0]: r for r in s.execute(q)}
    out = []
    for i in ids:
        r = rows.get(i)
        if r is None:
            continue
        idn, phone = (r[5], r[6] or "") if show else (mask_id(r[5]), mask_phone(r[6]))
        out.append(MemberRow(r[0], r[1], r[2], r[3], r[4], idn, phone, r[7], r[8], r[9], r[10], r[11],
                             r[12], r[13], r[14]))  # fmt: skip
    return out


def count_members(db: Database) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(Membership.id)).where(Membership.active)) or 0
