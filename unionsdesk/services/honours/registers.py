"""The honours area's registers (DOMAIN.md §4), declared on the register framework.

荣誉 (honours), 疗休养 (trips, trip-members), 技能竞赛 (contests, contest-results),
五小 (innovations), 创新工作室 (studios), 活动 (activities, activity-members).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from unionsdesk.db.models import Person, RegisterRow
from unionsdesk.db.models_honours import (
    Activity,
    ActivityMember,
    Contest,
    ContestResult,
    Honour,
    Innovation,
    InnovationAuthor,
    Studio,
    Trip,
    TripMember,
)
from unionsdesk.domain import idcard
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.fields import person_name
from unionsdesk.registers import (
    UNION,
    VOIDED,
    Parent,
    RecordRow,
    Register,
    person_for,
    register,
    union_named_or_none,
)
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.honours import specs
from unionsdesk.table import Column

AREA = "honours"


def _code_label(s: Session, category: str, code: str | None) -> str:
    from unionsdesk.services.common.audit_text import code_labels

    return code_labels(s, [category])[category].get(code or "", code or "")


def _person_id(s: Session, number: str | None) -> int | None:
    if not number:
        return None
    return s.scalar(select(Person.id).where(Person.id_number == number))


def _listed(
    s: Session, model: Any, parent_column: Any, parent_id: int, pid: int, record_id: int | None
) -> bool:
    """Whether the person already has a live row under this trip, contest or activity
    (other than ``record_id``, the row being edited)."""
    q = select(model.id).where(
        parent_column == parent_id, model.person_id == pid, model.voided.is_(False)
    )
    if record_id is not None:
        q = q.where(model.id != record_id)
    return s.scalar(q.limit(1)) is not None


# --- 荣誉 ------------------------------------------------------------------------------------


class Honours(Register):
    name = "honours"
    label = "荣誉"
    spec = specs.HONOUR
    model = Honour
    area = AREA
    list_fields: ClassVar[tuple[str, ...]] = (
        "name",
        "id_number",
        "unit",
        "title",
        "level",
        "year",
        "work_status",
        "hardship",
    )
    filters: ClassVar[tuple[str, ...]] = (
        "year",
        "title",
        "level",
        "work_status",
        "hardship",
        UNION,
        VOIDED,
    )
    search_fields = ()  # people are found through Person (indexed); collectives below
    code_fields = ("doc_no",)
    person = ("name", "id_number")
    union_column = "union_id"

    def search_condition(self, text: str, dialect: str) -> Any | None:
        cond = super().search_condition(text, dialect)
        q = "".join(text.split())
        if cond is None or (q.isascii() and q.isalnum()):
            return cond
        return or_(cond, and_(Honour.person_id.is_(None), Honour.name.contains(q)))

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"荣誉“{values.get('name') or ''} {values.get('year') or ''}年”"

    def defaults(self) -> dict[str, Any]:
        return {"kept": True, "work_status": "在职"}

    def finish(self, clean: dict[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
        if "kept" not in raw or raw.get("kept") is None:
            clean["kept"] = True
        errors = {}
        if clean["collective"]:
            clean["id_number"] = None
        else:
            if not clean.get("id_number"):
                errors["id_number"] = "个人荣誉必须填写身份证号"
            try:
                clean["name"] = person_name(clean["name"])
            except ValueError as exc:
                errors["name"] = str(exc)
        if errors:
            raise ValidationError(errors)
        return clean

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        q = select(Honour).where(
            Honour.title == clean["title"], Honour.year == clean["year"], Honour.voided.is_(False)
        )
        if clean["collective"]:
            q = q.where(Honour.collective.is_(True), Honour.name == clean["name"])
        else:
            pid = _person_id(s, clean["id_number"])
            if pid is None:
                return
            q = q.where(Honour.person_id == pid)
        if record_id is not None:
            q = q.where(Honour.id != record_id)
        same = s.scalar(q.limit(1))
        if same is not None:
            title = _code_label(s, "honour_title", same.title)
            raise ValidationError(
                {
                    "title": f"{same.name}已有{same.year}年的“{title}”（第{same.id}号记录"
                    + (f"，文号{same.doc_no}" if same.doc_no else "")
                    + "），不能重复登记"
                }
            )

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        who = clean["name"] if clean["collective"] else clean["id_number"]
        return (who, clean["title"], clean["year"])

    def apply(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        if clean["collective"]:
            for name, value in clean.items():
                if name != "id_number":
                    setattr(obj, name, value)
            obj.person_id = None  # type: ignore[attr-defined]
            obj.union_id = union_named_or_none(s, clean.get("unit"))  # type: ignore[attr-defined]
            return
        super().apply(s, actor, obj, clean)

    def check_void(self, s: Session, obj: RegisterRow) -> None:
        used = s.scalar(select(ContestResult.id).where(ContestResult.honour_id == obj.id).limit(1))
        if used is not None:
            raise UserError("该荣誉由竞赛成绩生成，请在竞赛成绩中处理")


HONOURS = register(Honours())


# --- 创新工作室 -------------------------------------------------------------------------------


class Studios(Register):
    name = "studios"
    label = "创新工作室"
    spec = specs.STUDIO
    model = Studio
    area = AREA
    list_fields = ("name", "leader", "unit", "level", "year", "members", "results", "funding")
    filters = ("year", "level", VOIDED)
    search_fields = ("name", "leader", "unit")
    person = ("leader", "id_number")
    summed = ("members", "results", "funding")

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        q = select(Studio).where(Studio.name == clean["name"], Studio.voided.is_(False))
        if record_id is not None:
            q = q.where(Studio.id != record_id)
        same = s.scalar(q.limit(1))
        if same is not None:
            raise ValidationError(
                {"name": f"已有同名工作室（{same.unit}，{same.year}年命名，第{same.id}号记录）"}
            )

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["name"],)


STUDIOS = register(Studios())


# --- 疗休养 -------------------------------------------------------------------------------------


class Trips(Register):
    name = "trips"
    label = "疗休养"
    spec = specs.TRIP
    model = Trip
    area = AREA
    list_fields = ("year", "batch", "place", "start_on", "end_on", "quota", "cost")
    filters = ("year", VOIDED)
    search_fields = ("place", "batch")
    summed = ()

    @property
    def list_title(self) -> str:
        return "劳模疗休养安排表"

    def describe(self, values: Mapping[str, Any]) -> str:
        return (
            f"{values.get('year') or ''}年{values.get('batch') or ''} {values.get('place') or ''}"
        )

    def extra_columns(self) -> list[Column]:
        return [Column("members", "已安排人数", "int", 8)]

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        counts = child_counts(s, TripMember, TripMember.trip_id, [r.id for r in rows])
        for r in rows:
            r.values["members"] = counts.get(r.id, 0)

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        if clean["end_on"] < clean["start_on"]:
            raise ValidationError({"end_on": "结束日期不能早于开始日期"})
        q = select(Trip).where(
            Trip.year == clean["year"], Trip.batch == clean["batch"], Trip.voided.is_(False)
        )
        if record_id is not None:
            q = q.where(Trip.id != record_id)
            if clean.get("quota") is not None:
                n = _count_members(s, TripMember, TripMember.trip_id, record_id)
                if clean["quota"] < n:
                    raise ValidationError({"quota": f"本期已安排{n}人，名额不能少于{n}"})
        same = s.scalar(q.limit(1))
        if same is not None:
            raise ValidationError({"batch": f"{same.year}年已有“{same.batch}”（{same.place}）"})

    def check_void(self, s: Session, obj: RegisterRow) -> None:
        n = _count_members(s, TripMember, TripMember.trip_id, obj.id)
        if n:
            raise UserError(f"本期已安排{n}人，请先作废人员名单中的记录")


def child_counts(s: Session, model: Any, column: Any, parent_ids: list[int]) -> dict[int, int]:
    """parent id → how many rows of ``model`` (not voided) belong to it."""
    q = (
        select(column, func.count(model.id))
        .where(column.in_(parent_ids), model.voided.is_(False))
        .group_by(column)
    )
    return {pid: n for pid, n in s.execute(q)}


def _count_members(s: Session, model: Any, column: Any, parent_id: int) -> int:
    return (
        s.scalar(select(func.count(model.id)).where(column == parent_id, model.voided.is_(False)))
        or 0
    )


class TripMembers(Register):
    name = "trip-members"
    label = "疗休养人员"
    spec = specs.TRIP_MEMBER
    model = TripMember
    area = AREA
    list_fields = ("name", "id_number", "unit", "health", "last_trip_year")
    print_fields = ("name", "id_number", "unit", "health", "last_trip_year")
    filters = (VOIDED,)
    person = ("name", "id_number")
    parent = Parent("trips", "trip_id", "trip")
    newest_first = False

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        trip = s.get(Trip, parent_id) if parent_id is not None else None
        if trip is None:
            return
        pid = _person_id(s, clean["id_number"])
        if pid is not None and _listed(s, TripMember, TripMember.trip_id, trip.id, pid, record_id):
            raise ValidationError({"id_number": f"{clean['name']}已在本期疗休养名单中"})
        if record_id is None and trip.quota is not None:
            n = _count_members(s, TripMember, TripMember.trip_id, trip.id)
            if n >= trip.quota:
                raise UserError(f"本期名额{trip.quota}人已满")
        if pid is not None and clean.get("last_trip_year") is None:
            clean["last_trip_year"] = last_trip_years(s, [pid], before=trip).get(pid)

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["id_number"],)

    def person_values(self, s: Session, person: Person) -> dict[str, Any]:
        values = super().person_values(s, person)
        unit = s.scalar(
            select(Honour.unit)
            .where(Honour.person_id == person.id, Honour.voided.is_(False))
            .order_by(Honour.id.desc())
            .limit(1)
        )
        values["unit"] = unit or values["unit"]
        return values


def last_trip_years(
    s: Session, person_ids: Sequence[int], before: Trip | None = None
) -> dict[int, int]:
    """person id → the year of their latest trip (other than ``before`` and later ones)."""
    q = (
        select(TripMember.person_id, func.max(Trip.year))
        .join(Trip, Trip.id == TripMember.trip_id)
        .where(TripMember.voided.is_(False), Trip.voided.is_(False))
        .group_by(TripMember.person_id)
    )
    if person_ids:
        q = q.where(TripMember.person_id.in_(list(person_ids)))
    if before is not None:
        q = q.where(Trip.id != before.id, Trip.start_on <= before.start_on)
    return {pid: year for pid, year in s.execute(q) if year is not None}


def overlapping_trips(s: Session, person_id: int, trip: Trip) -> list[str]:
    """Other trips of the person whose dates overlap ``trip``'s."""
    q = (
        select(Trip)
        .join(TripMember, TripMember.trip_id == Trip.id)
        .where(
            TripMember.person_id == person_id,
            TripMember.voided.is_(False),
            Trip.voided.is_(False),
            Trip.id != trip.id,
            Trip.start_on <= trip.end_on,
            Trip.end_on >= trip.start_on,
        )
    )
    return [
        TRIPS.describe({"year": t.year, "batch": t.batch, "place": t.place}) for t in s.scalars(q)
    ]


TRIPS = register(Trips())
TRIP_MEMBERS = register(TripMembers())


# --- 技能竞赛 -------------------------------------------------------------------------------


class Contests(Register):
    name = "contests"
    label = "技能竞赛"
    spec = specs.CONTEST
    model = Contest
    area = AREA
    list_fields = ("name", "trade", "organiser", "level", "held_on")
    filters = ("held_on", "level", VOIDED)
    search_fields = ("name", "trade", "organiser")
    year_column = "held_on"

    def describe(self, values: Mapping[str, Any]) -> str:
        held = values.get("held_on")
        return f"{values.get('name') or ''}" + (f"（{held:%Y-%m-%d}）" if held else "")

    def extra_columns(self) -> list[Column]:
        return [Column("results", "成绩条数", "int", 7)]

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        counts = child_counts(s, ContestResult, ContestResult.contest_id, [r.id for r in rows])
        for r in rows:
            r.values["results"] = counts.get(r.id, 0)

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        q = select(Contest).where(
            Contest.name == clean["name"],
            Contest.held_on == clean["held_on"],
            Contest.voided.is_(False),
        )
        if record_id is not None:
            q = q.where(Contest.id != record_id)
        if s.scalar(q.limit(1)) is not None:
            raise ValidationError({"name": "同一天已有同名竞赛"})

    def check_void(self, s: Session, obj: RegisterRow) -> None:
        n = _count_members(s, ContestResult, ContestResult.contest_id, obj.id)
        if n:
            raise UserError(f"该竞赛已有{n}条成绩，请先作废成绩")


class ContestResults(Register):
    name = "contest-results"
    label = "竞赛成绩"
    spec = specs.CONTEST_RESULT
    model = ContestResult
    area = AREA
    list_fields = ("name", "id_number", "unit", "rank", "prize", "grants_title", "title")
    print_fields = ("name", "unit", "rank", "prize", "title")
    filters = ("grants_title", VOIDED)
    person = ("name", "id_number")
    parent = Parent("contests", "contest_id", "contest")
    newest_first = False

    def finish(self, clean: dict[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
        if clean["grants_title"] and not clean.get("title"):
            raise ValidationError({"title": "授予称号的成绩须选择所授称号"})
        if not clean["grants_title"]:
            clean["title"] = None
        return clean

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        pid = _person_id(s, clean["id_number"])
        if pid is None or parent_id is None:
            return
        if _listed(s, ContestResult, ContestResult.contest_id, parent_id, pid, record_id):
            raise ValidationError({"id_number": f"{clean['name']}在本次竞赛中已有成绩"})

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["id_number"],)

    def read_many(self, s: Session, objs: Sequence[RegisterRow]) -> dict[int, dict[str, Any]]:
        out = super().read_many(s, objs)
        for o in objs:
            out[o.id]["honour_id"] = o.honour_id  # type: ignore[attr-defined]
        return out

    def check_void(self, s: Session, obj: RegisterRow) -> None:
        honour_id = obj.honour_id  # type: ignore[attr-defined]
        if honour_id is not None:
            h = s.get(Honour, honour_id)
            if h is not None and not h.voided:
                raise UserError("该成绩已生成荣誉记录，请先在“荣誉”中作废该荣誉")


CONTESTS = register(Contests())
CONTEST_RESULTS = register(ContestResults())


# --- 五小 -------------------------------------------------------------------------------------

_SEPARATORS = str.maketrans({"，": "、", ",": "、", ";": "、", "；": "、", " ": "、", "/": "、"})


def split_list(text: str | None) -> list[str]:
    return [p for p in (text or "").translate(_SEPARATORS).split("、") if p]


class Innovations(Register):
    name = "innovations"
    label = "五小"
    spec = specs.INNOVATION
    model = Innovation
    area = AREA
    list_fields = ("name", "category", "authors", "unit", "year", "benefit", "award")
    export_fields = (
        "name", "category", "authors", "unit", "year", "completed_on", "in_use_on", "benefit",
        "social_benefit", "award", "notes",
    )  # fmt: skip
    filters = ("year", "category", VOIDED)
    search_fields = ("name", "authors", "unit")
    owned = ("innovation_author",)

    @property
    def list_title(self) -> str:
        return "职工“五小”创新成果登记表"

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"五小项目“{values.get('name') or ''}”"

    def finish(self, clean: dict[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
        errors = {name: why for name, _label, why in specs.EXCLUSIONS if clean.get(name)}
        names = split_list(clean["authors"])
        try:
            clean["authors"] = "、".join(person_name(n) for n in names)
        except ValueError as exc:
            errors["authors"] = str(exc)
        numbers = split_list(clean.get("author_ids"))
        if numbers:
            if len(numbers) != len(names):
                errors["author_ids"] = (
                    f"填写了{len(names)}名完成人、{len(numbers)}个身份证号，应一一对应"
                )
            else:
                try:
                    clean["author_ids"] = "、".join(idcard.parse(n).number for n in numbers)
                except ValueError as exc:
                    errors["author_ids"] = f"完成人身份证号：{exc}"
        if (
            clean.get("completed_on")
            and clean.get("in_use_on")
            and clean["in_use_on"] < clean["completed_on"]
        ):
            errors["in_use_on"] = "投用时间不能早于完成时间"
        if not clean.get("in_use_on"):
            errors["in_use_on"] = "“五小”成果须已投入使用并产生效益，请填写投用时间"
        if errors:
            raise ValidationError(errors)
        return clean

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        q = select(Innovation).where(
            Innovation.name == clean["name"],
            Innovation.unit == clean["unit"],
            Innovation.voided.is_(False),
        )
        if record_id is not None:
            q = q.where(Innovation.id != record_id)
        same = s.scalar(q.limit(1))
        if same is not None:
            raise ValidationError(
                {
                    "name": f"“{same.name}”（{same.unit}）已于{same.year}年获奖（第{same.id}号记录），同一项目不能重复获奖"
                }
            )

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["name"], clean["unit"])

    def after_write(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        s.execute(delete(InnovationAuthor).where(InnovationAuthor.innovation_id == obj.id))
        for name, number in zip(
            split_list(clean["authors"]), split_list(clean.get("author_ids")), strict=False
        ):
            person = person_for(s, actor, number, name)
            s.add(
                InnovationAuthor(innovation_id=obj.id, person_id=person.id, created_by=actor.login)
            )
        s.flush()

    def read_many(self, s: Session, objs: Sequence[RegisterRow]) -> dict[int, dict[str, Any]]:
        out = super().read_many(s, objs)
        ids = [o.id for o in objs]
        numbers: dict[int, list[str]] = {}
        if ids:
            q = (
                select(InnovationAuthor.innovation_id, Person.id_number)
                .join(Person, Person.id == InnovationAuthor.person_id)
                .where(InnovationAuthor.innovation_id.in_(ids))
                .order_by(InnovationAuthor.id)
            )
            for iid, number in s.execute(q):
                numbers.setdefault(iid, []).append(number)
        for i, values in out.items():
            values["author_ids"] = "、".join(numbers.get(i, [])) or None
            for name, _label, _why in specs.EXCLUSIONS:
                values[name] = False
        return out


INNOVATIONS = register(Innovations())


# --- 活动 -------------------------------------------------------------------------------------


class Activities(Register):
    name = "activities"
    label = "活动"
    spec = specs.ACTIVITY
    model = Activity
    area = AREA
    list_fields = ("name", "kind", "held_on", "place", "organiser")
    filters = ("held_on", "kind", VOIDED)
    search_fields = ("name", "place", "organiser")
    year_column = "held_on"

    @property
    def list_title(self) -> str:
        return "职工活动登记表"

    def describe(self, values: Mapping[str, Any]) -> str:
        held = values.get("held_on")
        return f"{values.get('name') or ''}" + (f"（{held:%Y-%m-%d}）" if held else "")

    def extra_columns(self) -> list[Column]:
        return [Column("members", "参加人数", "int", 7)]

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        counts = child_counts(s, ActivityMember, ActivityMember.activity_id, [r.id for r in rows])
        for r in rows:
            r.values["members"] = counts.get(r.id, 0)


class ActivityMembers(Register):
    name = "activity-members"
    label = "活动参加人员"
    spec = specs.ACTIVITY_MEMBER
    model = ActivityMember
    area = AREA
    list_fields = ("name", "id_number", "unit", "notes")
    filters = (VOIDED,)
    person = ("name", "id_number")
    parent = Parent("activities", "activity_id", "activity")
    newest_first = False

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        pid = _person_id(s, clean["id_number"])
        if pid is None or parent_id is None:
            return
        if _listed(s, ActivityMember, ActivityMember.activity_id, parent_id, pid, record_id):
            raise ValidationError({"id_number": f"{clean['name']}已在本次活动名单中"})

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["id_number"],)


ACTIVITIES = register(Activities())
ACTIVITY_MEMBERS = register(ActivityMembers())


# --- 劳模 (a view over 荣誉) --------------------------------------------------------------------

# 劳动模范/先进工作者 at every level, and the honours usually treated alike.
MODEL_WORKER_TITLES = ("01", "02", "03", "04", "05", "06", "11", "31")


class ModelWorkers(Honours):
    """Everyone holding a 劳模/先进工作者 (or equivalent) honour, one row per person
    (their newest such honour); read-only, edited in 荣誉."""

    name = "model-workers"
    label = "劳模"
    importable = False
    editable = False
    list_fields = (
        "name", "id_number", "unit", "title", "level", "year", "work_status", "hardship",
        "allowance",
    )  # fmt: skip
    print_fields = (
        "name",
        "unit",
        "title",
        "level",
        "year",
        "work_status",
        "hardship",
        "allowance",
    )
    filters = ("level", "work_status", "hardship", UNION)

    @property
    def list_title(self) -> str:
        return "劳动模范（先进工作者）名册"

    def extra_columns(self) -> list[Column]:
        return [Column("last_trip", "上次疗休养", "text", 9)]

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        q = select(Honour.id, Honour.person_id).where(Honour.id.in_([r.id for r in rows]))
        pids = {hid: pid for hid, pid in s.execute(q)}
        years = last_trip_years(s, [p for p in pids.values() if p is not None])
        for r in rows:
            year = years.get(pids.get(r.id) or 0)
            r.values["last_trip"] = f"{year}年" if year else "未参加"

    def ids_query(self, s: Session, text: str, filters: Mapping[str, Any]) -> Any:
        q = (
            super()
            .ids_query(s, text, filters)
            .where(
                Honour.title.in_(MODEL_WORKER_TITLES),
                Honour.collective.is_(False),
                Honour.kept.is_(True),
            )
        )
        newest = q.order_by(None).with_only_columns(func.max(Honour.id)).group_by(Honour.person_id)
        return select(Honour.id).where(Honour.id.in_(newest)).order_by(Honour.id.desc())


MODEL_WORKERS = register(ModelWorkers())


def _innovation_rows(s: Session, person_id: int, _viewer: CurrentUser) -> Any:
    from unionsdesk.table import Table

    q = (
        select(Innovation)
        .join(InnovationAuthor, InnovationAuthor.innovation_id == Innovation.id)
        .where(InnovationAuthor.person_id == person_id, Innovation.voided.is_(False))
        .order_by(Innovation.year)
    )
    names = ("name", "category", "unit", "year", "award", "benefit")
    columns = INNOVATIONS.columns(names)
    rows = [[getattr(i, n) for n in names] for i in s.scalars(q)]
    return Table(
        INNOVATIONS.label,
        columns,
        [[str(r[3]) if k == 3 else r[k] for k in range(len(r))] for r in rows],
    )


def _add_sections() -> None:
    from unionsdesk.services.common.person_file import Section, add_section

    add_section(Section("innovations", "五小（完成人）", 110, _innovation_rows))


_add_sections()
