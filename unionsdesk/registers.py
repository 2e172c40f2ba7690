"""The register framework: a register is an EntitySpec, a model and a few hooks.

A work area declares each of its registers as a subclass of `Register` (name
on the CLI, Chinese label, spec, model, list/filter/search choices) and calls
`register(...)` on an instance in a module listed in `REGISTER_MODULES`. It
then gets, with no more code:

- the service calls (role check, one transaction, audit row, optimistic
  locking): `search_ids`, `fetch_rows`, `get`, `create`, `update`, `void`;
- the list and its filters (`filter_specs`, `filter_options`), search by
  name, pinyin initials, ID number and 编号;
- Excel import through the reader/preview pipeline, all or nothing, with the
  error workbook and an undo of the register's newest import
  (`unionsdesk.services.common.register_io`);
- export to .xlsx and the printed list (title, 填报单位, 制表日期, 合计, pages);
- `unionsdesk import|export REGISTER …` and `unionsdesk print list REGISTER …`
  (`unionsdesk.commands.registers`) and a tab (`unionsdesk.ui.widgets.register`).

Spec field names are the model's column names, except the person link
(``person = ("name", "id_number")``: the ID number lives on `Person`, the
model keeps ``person_id`` and the name) and the parent link (e.g. a trip
member's trip, ``parent = Parent("trips", "trip_id", "trip")``).
See FRAMEWORK.md (beside the repository) for a short guide.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database, fetch_column
from unionsdesk.db.models import Person, RegisterRow, UnionOrg
from unionsdesk.domain import idcard
from unionsdesk.domain.mask import mask_id
from unionsdesk.domain.pinyin import pinyin_keys
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.fields import CodeLookup, EntitySpec, FieldSpec
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
from unionsdesk.services.common.locking import check_version
from unionsdesk.table import Column, ColumnKind, Table

if TYPE_CHECKING:
    from pathlib import Path

    from unionsdesk.services.common.register_io import RegisterImportResult

# Modules that declare registers (each calls `register(...)` when imported).
REGISTER_MODULES: list[str] = [
    "unionsdesk.services.honours.registers",
    "unionsdesk.services.rights.registers",
    "unionsdesk.services.mutual.registers",
    "unionsdesk.services.sites.registers",
]

VOIDED = "voided"  # the filter key of 状态 (有效 / 已作废 / 全部)
PARENT = "parent"  # the filter key of the parent record (a trip's members …)
UNION = "union"  # the filter key of 所在工会 (the union and every union below it)

FilterKind = Literal["year", "code", "choice", "bool", "union", "voided", "parent"]


@dataclass(frozen=True)
class FilterSpec:
    """One drop-down of the filter bar. ``options`` come from `Register.filter_options`."""

    key: str
    label: str
    kind: FilterKind
    column: str | None = None  # the model column it filters on
    code_category: str | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Parent:
    """A register whose rows belong to a record of another register (trip → members)."""

    register: str  # the parent register's name, e.g. "trips"
    column: str  # the foreign key column on this register's model, e.g. "trip_id"
    option: str  # the CLI option, e.g. "trip" (--trip ID)


@dataclass(frozen=True)
class RecordRow:
    """One line of a register's list. ``values``: column key → value as shown (codes
    as labels, ID numbers masked for roles without pii.view, money in fen)."""

    id: int
    values: dict[str, Any]
    voided: bool


@dataclass(frozen=True)
class Record:
    """One record for the form: spec field → clean value (codes as codes)."""

    id: int
    values: dict[str, Any]
    version: int
    voided: bool
    void_reason: str | None
    title: str  # e.g. 荣誉“张三 全国劳动模范 2020年”
    parent_id: int | None = None
    person_id: int | None = None  # the linked Person (人员档案)


class Register:
    """A register: subclass, set the class attributes, override hooks as needed."""

    name: ClassVar[str]  # on the CLI: honours, trip-members …
    label: ClassVar[str]  # 荣誉
    spec: ClassVar[EntitySpec]
    model: ClassVar[type[RegisterRow]]
    area: ClassVar[str] = ""  # honours, rights, …
    unit: ClassVar[str] = "条"  # 导入 N 条
    list_fields: ClassVar[tuple[str, ...]] = ()  # list columns (default: first 8 fields)
    export_fields: ClassVar[tuple[str, ...]] = ()  # export/print columns (default: all)
    print_fields: ClassVar[tuple[str, ...]] = ()  # printed list (default: list_fields)
    filters: ClassVar[tuple[str, ...]] = (VOIDED,)  # field names, UNION, VOIDED
    search_fields: ClassVar[tuple[str, ...]] = ("name",)  # text columns searched by part
    code_fields: ClassVar[tuple[str, ...]] = ()  # searched by their beginning (index them)
    person: ClassVar[tuple[str, str] | None] = None  # (name field, ID number field)
    union_column: ClassVar[str | None] = None  # model column set from the `unit` text
    parent: ClassVar[Parent | None] = None
    year_column: ClassVar[str | None] = None  # int year or date column for --year
    summed: ClassVar[tuple[str, ...] | None] = None  # 合计 columns (default: money)
    newest_first: ClassVar[bool] = True
    owned: ClassVar[tuple[str, ...]] = ()  # link tables whose rows go with a record (undo)
    importable: ClassVar[bool] = True  # False: no import (CLI, 导入 button)
    editable: ClassVar[bool] = True  # False: a read-only view (no 新建/保存/作废)
    # A permission needed on top of the role's own to read or change anything of the
    # register (e.g. RIGHTS, 维权查看, for private cases): every service call, import
    # and undo, export, printed list and 人员档案 section checks it.
    read_permission: ClassVar[str | None] = None
    audit_views: ClassVar[bool] = False  # opening a record's full detail is audited
    # Records take numbers from a gapless series that are never reused (案号): undoing
    # an import voids its rows, which keep their numbers (see register_io).
    gapless_numbers: ClassVar[bool] = False

    # -- description --------------------------------------------------------------------
    @property
    def entity(self) -> str:
        """The audit log's entity name."""
        return str(self.model.__tablename__)

    @property
    def list_title(self) -> str:
        return f"{self.label}登记表"

    def list_names(self) -> tuple[str, ...]:
        """The list's columns: ``list_fields`` (default: the first 8 fields), then the
        `extra_columns` they do not name already (each column once, in that order)."""
        base = self.list_fields or tuple(f.name for f in self.spec.fields[:8])
        return _once((*base, *(c.key for c in self.extra_columns())))

    def export_names(self) -> tuple[str, ...]:
        return _once(self.export_fields or tuple(f.name for f in self.spec.fields))

    def print_names(self) -> tuple[str, ...]:
        if not self.print_fields:
            return self.list_names()
        return _once((*self.print_fields, *(c.key for c in self.extra_columns())))

    def extra_columns(self) -> list[Column]:
        """Computed columns after the spec's (fill them in `decorate_rows`)."""
        return []

    def columns(self, names: Sequence[str]) -> list[Column]:
        """The columns ``names`` name, each once (a computed column listed among the
        fields is the computed column, not a second copy)."""
        summed = self.summed_names()
        extra = {c.key: c for c in reversed(self.extra_columns())}
        out: list[Column] = []
        for n in _once(names):
            if n not in self.spec.by_name:
                if n in extra:
                    out.append(extra[n])
                continue
            c = Column.from_field(self.spec[n])
            if c.kind == "int" and n not in summed:
                c = Column(c.key, c.label, "text", c.width)
            out.append(c)
        return out

    def summed_names(self) -> tuple[str, ...]:
        if self.summed is not None:
            return self.summed
        return tuple(f.name for f in self.spec.fields if f.kind == "money")

    def describe(self, values: Mapping[str, Any]) -> str:
        """How a record is named in messages: 荣誉“张三 …”."""
        return f"{self.label}“{values.get('name') or ''}”"

    def defaults(self) -> dict[str, Any]:
        """Values a new record's form starts with."""
        return {}

    # -- who may read -------------------------------------------------------------------
    def readable_by(self, actor: CurrentUser) -> bool:
        """May ``actor`` see this register's records at all (role, `read_permission`)?"""
        return actor.can(READ) and (self.read_permission is None or actor.can(self.read_permission))

    def require_read(self, actor: CurrentUser) -> None:
        """Raise `PermissionDenied` unless ``actor`` may see this register's records."""
        actor.require(READ)
        if self.read_permission is not None:
            actor.require(self.read_permission)

    # -- filters ------------------------------------------------------------------------
    def filter_specs(self) -> list[FilterSpec]:
        out = []
        if self.parent is not None:
            parent = get(self.parent.register)
            out.append(FilterSpec(PARENT, parent.label, "parent", self.parent.column))
        for key in self.filters:
            if key == VOIDED:
                out.append(FilterSpec(VOIDED, "状态", "voided"))
            elif key == UNION:
                out.append(FilterSpec(UNION, "所在工会", "union", self.union_column))
            else:
                f = self.spec[key]
                if f.kind == "int":
                    out.append(FilterSpec(key, f.label, "year", key))
                elif f.kind == "date":
                    out.append(FilterSpec(key, f.label.rstrip("日期") + "年度", "year", key))
                elif f.kind == "bool":
                    out.append(FilterSpec(key, f.label, "bool", key))
                elif f.code_category:
                    out.append(FilterSpec(key, f.label, "code", key, f.code_category))
                else:
                    out.append(FilterSpec(key, f.label, "choice", key, choices=f.choices))
        return out

    def filter_options(
        self, db: Database, actor: CurrentUser, keys: Sequence[str] | None = None
    ) -> dict[str, list[tuple[Any, str]]]:
        """key → [(value, text)] for each filter (or those in ``keys``), without 全部."""
        from unionsdesk.services.common.codes import session_label_maps

        out: dict[str, list[tuple[Any, str]]] = {}
        self.require_read(actor)
        with reading(db, actor) as s:
            for spec in self.filter_specs():
                if keys is not None and spec.key not in keys:
                    continue
                if spec.kind == "voided":
                    out[spec.key] = [("all", "全部（含已作废）"), ("only", "已作废")]
                elif spec.kind == "bool":
                    out[spec.key] = [(True, "是"), (False, "否")]
                elif spec.kind == "choice":
                    out[spec.key] = [(c, c) for c in spec.choices]
                elif spec.kind == "code" and spec.code_category:
                    labels = session_label_maps(s, [spec.code_category])[spec.code_category]
                    out[spec.key] = list(labels.items())
                elif spec.kind == "year" and spec.column:
                    col = getattr(self.model, spec.column)
                    if self.spec[spec.key].kind == "date":
                        years = {d.year for d in s.scalars(select(col).distinct()) if d}
                    else:
                        years = {y for y in s.scalars(select(col).distinct()) if y is not None}
                    out[spec.key] = [(y, f"{y}年") for y in sorted(years, reverse=True)]
                elif spec.kind == "union":
                    q = select(UnionOrg.id, UnionOrg.name).order_by(UnionOrg.id)
                    out[spec.key] = [(uid, name) for uid, name in s.execute(q)]
                elif spec.kind == "parent" and self.parent is not None:
                    parent = get(self.parent.register)
                    out[spec.key] = parent.parent_choices(s)
        return out

    def parent_choices(self, s: Session) -> list[tuple[int, str]]:
        """(id, text) of this register's records, for a child register's picker."""
        q = select(self.model).where(self.model.voided.is_(False)).order_by(self.model.id.desc())
        return [(o.id, self.describe(self.read(s, o))) for o in s.scalars(q)]

    def _filter_conditions(self, s: Session, filters: Mapping[str, Any]) -> list[Any]:
        conds: list[Any] = []
        specs = {f.key: f for f in self.filter_specs()}
        voided = filters.get(VOIDED)
        if voided == "only":
            conds.append(self.model.voided.is_(True))
        elif voided != "all":
            conds.append(self.model.voided.is_(False))
        for key, value in filters.items():
            spec = specs.get(key)
            if spec is None or value is None or value == "" or key == VOIDED:
                continue
            if spec.kind == "union" and spec.column:
                from unionsdesk.services.members.members import subtree_ids

                conds.append(getattr(self.model, spec.column).in_(subtree_ids(s, int(value))))
            elif spec.kind == "year" and spec.column and self.spec[key].kind == "date":
                col = getattr(self.model, spec.column)
                conds.append(_year_range(col, int(value)))
            elif spec.column:
                col = getattr(self.model, spec.column)
                conds.append(col.is_(value) if isinstance(value, bool) else col == value)
        return conds

    def year_condition(self, year: int) -> Any:
        """The condition of ``--year``: the register's year column, or the year of its date."""
        name = self.year_column or ("year" if "year" in self.spec.by_name else None)
        if name is None:
            raise UserError(f"“{self.label}”没有年度，不能按年度导出")
        col = getattr(self.model, name)
        return (
            _year_range(col, year)
            if self.spec.by_name.get(name, FieldSpec(name, "")).kind == "date"
            else col == year
        )

    # -- search -------------------------------------------------------------------------
    def search_condition(self, text: str, dialect: str) -> Any | None:
        """Which rows a search box text means: the person (name prefix, pinyin, any part
        of the ID number), part of a text column (``search_fields``), the beginning of
        a number column (``code_fields``, e.g. 文号) or the record's 编号 (id)."""
        from unionsdesk.domain.readers import to_halfwidth
        from unionsdesk.services.members.members import person_condition

        q = "".join(to_halfwidth(text).split())
        if not q:
            return None
        parts: list[Any] = []
        if self.person is not None:
            cond = person_condition(q, dialect)
            if cond is not None:
                parts.append(cast(Any, self.model).person_id.in_(select(Person.id).where(cond)))
        if not (q.isascii() and q.isalpha()) or self.person is None:
            parts.extend(getattr(self.model, name).contains(q) for name in self.search_fields)
        for name in self.code_fields:
            col = getattr(self.model, name)
            parts.append(and_(col >= q, col < q + "\U0010ffff"))  # an index range
        if q.isdigit() and len(q) <= 9:
            parts.append(self.model.id == int(q))
        return or_(*parts) if parts else None

    def ids_query(self, s: Session, text: str, filters: Mapping[str, Any]) -> Select[Any]:
        q = select(self.model.id)
        cond = self.search_condition(text, s.get_bind().dialect.name)
        if cond is not None:
            q = q.where(cond)
        for c in self._filter_conditions(s, filters):
            q = q.where(c)
        if self.parent is not None and filters.get(PARENT) not in (None, ""):
            q = q.where(getattr(self.model, self.parent.column) == int(filters[PARENT]))
        return q.order_by(self.model.id.desc() if self.newest_first else self.model.id)

    # -- reading ------------------------------------------------------------------------
    def search_ids(
        self,
        db: Database,
        actor: CurrentUser,
        text: str = "",
        filters: Mapping[str, Any] | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """Ids of the records matching the search text and filters (newest first)."""
        self.require_read(actor)
        with db.engine.connect() as conn, Session(conn) as s:
            q = self.ids_query(s, text, filters or {})
            return fetch_column(conn, q if limit is None else q.limit(limit))

    def fetch_rows(
        self, db: Database, actor: CurrentUser, ids: Sequence[int], names: Sequence[str] = ()
    ) -> list[RecordRow]:
        """List rows for ``ids`` in that order (columns ``names``, default the list's)."""
        self.require_read(actor)
        if not ids:
            return []
        with reading(db, actor) as s:
            return self._rows(s, actor, list(ids), tuple(names) or self.list_names())

    def _rows(
        self, s: Session, actor: CurrentUser, ids: list[int], names: Sequence[str]
    ) -> list[RecordRow]:
        from unionsdesk.services.common.codes import session_label_maps
        from unionsdesk.services.common.persons import chunks

        objs: dict[int, RegisterRow] = {}
        for part in chunks(ids):
            q = select(self.model).where(self.model.id.in_(part))
            objs.update({o.id: o for o in s.scalars(q)})
        values = self.read_many(s, list(objs.values()))
        coded = {
            n: self.spec[n].code_category
            for n in names
            if n in self.spec.by_name and self.spec[n].code_category
        }
        labels = session_label_maps(s, sorted({c for c in coded.values() if c}))
        show = actor.can(PII)
        masked = {n for n in names if n in self.spec.by_name and self.spec[n].masked}
        rows = []
        for i in ids:
            obj = objs.get(i)
            if obj is None:
                continue
            v = values[i]
            shown: dict[str, Any] = {}
            for n in names:
                value = v.get(n)
                if n in coded and isinstance(value, str):
                    value = labels[coded[n] or ""].get(value, value)
                elif n in masked and not show and isinstance(value, str):
                    value = mask_text(value)
                shown[n] = value
            rows.append(RecordRow(i, shown, obj.voided))
        self.decorate_rows(s, rows)
        return rows

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        """Fill computed columns (`extra_columns`) in ``row.values``."""

    def read(self, s: Session, obj: RegisterRow) -> dict[str, Any]:
        """Spec field → clean value of one record (see `read_many`)."""
        return self.read_many(s, [obj])[obj.id]

    def read_many(self, s: Session, objs: Sequence[RegisterRow]) -> dict[int, dict[str, Any]]:
        """id → spec field → clean value: the model's columns of the same names, and
        the person's ID number."""
        numbers: dict[int, str] = {}
        if self.person is not None:
            pids = sorted({o.person_id for o in objs if getattr(o, "person_id", None)})  # type: ignore[attr-defined]
            from unionsdesk.services.common.persons import chunks

            for part in chunks(pids):
                q = select(Person.id, Person.id_number).where(Person.id.in_(part))
                numbers.update({pid: number for pid, number in s.execute(q)})
        out = {}
        for o in objs:
            v = {f.name: getattr(o, f.name) for f in self.spec.fields if hasattr(o, f.name)}
            if self.person is not None:
                v[self.person[1]] = numbers.get(getattr(o, "person_id", None) or 0)
            out[o.id] = v
        return out

    def get(self, db: Database, actor: CurrentUser, record_id: int) -> Record:
        """One record for the form (with `audit_views`, the view is written to the log)."""
        self.require_read(actor)
        if not self.audit_views:
            with reading(db, actor) as s:
                return self._record(s, actor, self._load(s, record_id))
        with writing(db, actor, READ) as s:
            record = self._record(s, actor, self._load(s, record_id))
            audit(s, actor, "view", self.entity, record.id, summary=f"查看{record.title}")
            return record

    def _load(self, s: Session, record_id: int) -> RegisterRow:
        obj = s.get(self.model, record_id)
        if obj is None:
            raise UserError(f"该{self.label}记录不存在（可能已被删除）")
        return obj

    def _record(self, s: Session, actor: CurrentUser, obj: RegisterRow) -> Record:
        values = self.read(s, obj)
        title = self.describe(values)
        if not actor.can(PII):
            for f in self.spec.fields:
                if f.masked and isinstance(values.get(f.name), str):
                    values[f.name] = mask_text(values[f.name])
        parent_id = getattr(obj, self.parent.column) if self.parent is not None else None
        person_id = getattr(obj, "person_id", None) if self.person is not None else None
        return Record(
            obj.id, values, obj.version, obj.voided, obj.void_reason, title, parent_id, person_id
        )

    # -- writing ------------------------------------------------------------------------
    def codes(self, db: Database) -> CodeLookup:
        from unionsdesk.services.common.codes import code_lookup

        categories = sorted({f.code_category for f in self.spec.fields if f.code_category})
        return code_lookup(db, categories) if categories else {}

    def clean(self, raw: Mapping[str, Any], codes: CodeLookup) -> dict[str, Any]:
        """Spec-clean the form's raw values (every field's reason at once); an unknown
        dictionary value names the closest one."""
        try:
            clean = self.spec.clean(raw, codes=codes)
        except ValidationError as exc:
            raise ValidationError(
                {
                    k: v + closest_hint(self.spec.by_name.get(k), raw.get(k), codes)
                    for k, v in exc.errors.items()
                }
            ) from None
        return self.finish(clean, raw)

    def finish(self, clean: dict[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
        """Rules across fields, for the form and each imported row alike: return
        ``clean`` (adjusted) or raise `ValidationError`. ``raw`` holds the values as
        given (an imported sheet may lack columns: ``raw`` lacks their keys)."""
        return clean

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        """Rules across fields and against the register (duplicates, refusals): raise
        `ValidationError` (field → reason) or `UserError`. ``clean`` may be adjusted."""

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Rows of one import file with the same key are refused as duplicates."""
        return None

    def apply(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        """Write ``clean`` onto ``obj``: columns of the same name, the person link and
        the union (from the ``unit`` text when it names exactly one union)."""
        skip = set(self.person or ())
        for name, value in clean.items():
            if name not in skip and name in self.model.__table__.columns:
                setattr(obj, name, value)
        if self.person is not None:
            name_field, number_field = self.person
            person = person_for(s, actor, clean[number_field], clean[name_field])
            obj.person_id = person.id  # type: ignore[attr-defined]
            setattr(obj, name_field, person.name)
        if self.union_column is not None:
            setattr(obj, self.union_column, union_named_or_none(s, clean.get("unit")))

    def snapshot(self, s: Session, obj: RegisterRow) -> dict[str, Any]:
        values = self.read(s, obj)
        values["voided"] = obj.voided
        return values

    def _require_editable(self, actor: CurrentUser) -> None:
        self.require_read(actor)
        if not self.editable:
            raise UserError(f"“{self.label}”是查询视图，请到相应登记簿中修改")

    def create(
        self,
        db: Database,
        actor: CurrentUser,
        values: Mapping[str, Any],
        *,
        parent_id: int | None = None,
    ) -> Record:
        self._require_editable(actor)
        codes = self.codes(db)
        clean = self.clean(values, codes)
        with writing(db, actor, WRITE) as s:
            self._check_parent(s, parent_id)
            self.check(s, clean, None, parent_id)
            obj = self.model()
            if self.parent is not None:
                setattr(obj, self.parent.column, parent_id)
            self.apply(s, actor, obj, clean)
            stamp(obj, actor, new=True)
            s.add(obj)
            s.flush()
            after = self.snapshot(s, obj)
            audit(s, actor, "create", self.entity, obj.id, after=after,
                  summary=f"新增{self.describe(after)}")  # fmt: skip
            self.after_write(s, actor, obj, clean)
            return self._record(s, actor, obj)

    def after_write(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        """Called inside the transaction after a create or update (link tables …)."""

    def person_values(self, s: Session, person: Person) -> dict[str, Any]:
        """A new record's values for ``person`` picked from the register of people: the
        name, ID number and (when the spec has it) ``unit``, their union's name."""
        assert self.person is not None
        from unionsdesk.db.models import Membership

        values: dict[str, Any] = {
            f.name: (False if f.kind == "bool" else None) for f in self.spec.fields
        }
        values[self.person[0]], values[self.person[1]] = person.name, person.id_number
        if "unit" in values:
            values["unit"] = s.scalar(
                select(UnionOrg.name)
                .join(Membership, Membership.union_id == UnionOrg.id)
                .where(Membership.person_id == person.id, Membership.active)
            )
        return values

    def add_people(
        self,
        db: Database,
        actor: CurrentUser,
        person_ids: Sequence[int],
        *,
        parent_id: int | None = None,
        notes_for: Any = None,
    ) -> tuple[int, list[str]]:
        """Records for people picked from the register of people (members, 劳模 …), in one
        transaction; each person the register's rules refuse is skipped with the reason.
        ``notes_for(s, person)`` may add remarks (e.g. overlapping trips). Returns
        (added, notes)."""
        self._require_editable(actor)
        if self.person is None:
            raise UserError(f"“{self.label}”不按人员登记")
        notes: list[str] = []
        added = 0
        with writing(db, actor, WRITE) as s:
            self._check_parent(s, parent_id)
            for pid in person_ids:
                person = s.get(Person, pid)
                if person is None:
                    continue
                clean = self.person_values(s, person)
                try:
                    self.check(s, clean, None, parent_id)
                except UserError as exc:
                    notes.append(f"{person.name}：{exc}")
                    continue
                if notes_for is not None:
                    notes.extend(f"{person.name}：{n}" for n in notes_for(s, person))
                obj = self.model()
                if self.parent is not None:
                    setattr(obj, self.parent.column, parent_id)
                self.apply(s, actor, obj, clean)
                stamp(obj, actor, new=True)
                s.add(obj)
                s.flush()
                self.after_write(s, actor, obj, clean)
                added += 1
            audit(s, actor, "create", self.entity, None, after={"added": added, "parent": parent_id},
                  summary=f"{self.label}：选择加入{added}人")  # fmt: skip
        return added, notes

    def _check_parent(self, s: Session, parent_id: int | None) -> None:
        if self.parent is None:
            return
        parent = get(self.parent.register)
        if parent_id is None:
            raise UserError(f"请先选择{parent.label}")
        obj = s.get(parent.model, parent_id)
        if obj is None or obj.voided:
            raise UserError(f"所选{parent.label}不存在或已作废")

    def update(
        self,
        db: Database,
        actor: CurrentUser,
        record_id: int,
        values: Mapping[str, Any],
        expected_version: int | None = None,
    ) -> Record:
        self._require_editable(actor)
        codes = self.codes(db)
        clean = self.clean(values, codes)
        with writing(db, actor, WRITE) as s:
            obj = self._load(s, record_id)
            before = self.snapshot(s, obj)
            check_version(obj, expected_version, self.describe(before), self.entity)
            if obj.voided:
                raise UserError(f"{self.describe(before)}已作废，不能修改")
            parent_id = getattr(obj, self.parent.column) if self.parent is not None else None
            self.check(s, clean, obj.id, parent_id)
            self.apply(s, actor, obj, clean)
            stamp(obj, actor)
            s.flush()
            after = self.snapshot(s, obj)
            audit(s, actor, "update", self.entity, obj.id, before=before, after=after,
                  summary=f"修改{self.describe(after)}")  # fmt: skip
            self.after_write(s, actor, obj, clean)
            return self._record(s, actor, obj)

    def void(
        self,
        db: Database,
        actor: CurrentUser,
        record_id: int,
        reason: str,
        expected_version: int | None = None,
    ) -> Record:
        """作废: the record stays (greyed, out of lists, totals and checks) with its reason."""
        self._require_editable(actor)
        reason = " ".join((reason or "").split())
        if not reason:
            raise ValidationError({"void_reason": "请填写作废原因"})
        with writing(db, actor, WRITE) as s:
            obj = self._load(s, record_id)
            values = self.read(s, obj)
            check_version(obj, expected_version, self.describe(values), self.entity)
            if obj.voided:
                raise UserError(f"{self.describe(values)}已经作废")
            self.check_void(s, obj)
            obj.voided, obj.void_reason = True, reason[:200]
            stamp(obj, actor)
            s.flush()
            audit(s, actor, "void", self.entity, obj.id,
                  before={"voided": False}, after={"voided": True, "void_reason": obj.void_reason},
                  summary=f"作废{self.describe(values)}：{obj.void_reason}")  # fmt: skip
            return self._record(s, actor, obj)

    def check_void(self, s: Session, obj: RegisterRow) -> None:
        """Refuse to void a record others depend on (raise `UserError`)."""

    # -- tables: export and the printed list ----------------------------------------------
    def table(
        self,
        db: Database,
        actor: CurrentUser,
        *,
        names: Sequence[str] = (),
        text: str = "",
        filters: Mapping[str, Any] | None = None,
        year: int | None = None,
        public: bool = False,
        title: str | None = None,
    ) -> Table:
        """The register's rows as a `Table` (with 合计 of the summed columns); ``public``
        masks ID numbers whatever the role."""
        from unionsdesk.services.common.office import get_office

        self.require_read(actor)
        names = tuple(names) or self.export_names()
        viewer = actor if not public else _without_pii(actor)
        with reading(db, actor) as s:
            q = self.ids_query(s, text, filters or {})
            if year is not None:
                q = q.where(self.year_condition(year))
            ids = list(s.scalars(q.order_by(None).order_by(self.model.id)))
            rows = self._rows(s, viewer, ids, names)
        columns = self.columns(names)
        office = get_office(db).name
        subtitle = f"填报单位：{office}    制表日期：{date.today():%Y年%m月%d日}"
        if year is not None:
            subtitle += f"    年度：{year}年"
        body = [[_cell(r.values.get(c.key), c.kind) for c in columns] for r in rows]
        units = "金额单位：元" if any(c.kind == "money" for c in columns) else ""
        table = Table(title or self.list_title, columns, body, subtitle=subtitle, units=units)
        if any(c.kind in ("int", "money") for c in columns):
            table = table.with_totals()
        return table

    def export(self, db: Database, actor: CurrentUser, path: Path, **kw: Any) -> int:
        from unionsdesk.excel.writer import write_table

        table = self.table(db, actor, **kw)
        write_table(path, table, self.label)
        return len(table.rows)

    def print_list(self, db: Database, actor: CurrentUser, path: Path, **kw: Any) -> int:
        from unionsdesk.printing.table_pdf import render_table_pdf

        kw.setdefault("names", self.print_names())
        table = self.table(db, actor, **kw)
        render_table_pdf(table, path, signatures=("制表人", "审核人"))
        return len(table.rows)

    # -- import (see services.common.register_io) -----------------------------------------
    def import_file(
        self, db: Database, actor: CurrentUser, path: Path, **kw: Any
    ) -> RegisterImportResult:
        from unionsdesk.services.common.register_io import import_register

        return import_register(self, db, actor, path, **kw)


def mask_text(value: str) -> str:
    """An ID number (or several, 、-separated) masked as on 公示 copies."""
    return "、".join(mask_id(p) for p in value.split("、"))


def _without_pii(actor: CurrentUser) -> CurrentUser:
    return CurrentUser(actor.id, actor.login, actor.display_name, "readonly", actor.grants)


def _once(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` without repeats, in order."""
    return tuple(dict.fromkeys(names))


def _cell(value: Any, kind: ColumnKind) -> Any:
    if kind == "text" and isinstance(value, bool):
        return "是" if value else "否"
    if kind == "text" and isinstance(value, int):
        return str(value)
    return value


def _year_range(col: Any, year: int) -> ColumnElement[bool]:
    return and_(col >= date(year, 1, 1), col <= date(year, 12, 31))


# -- shared helpers for register hooks -------------------------------------------------------


def person_for(s: Session, actor: CurrentUser, number: str, name: str) -> Person:
    """The Person with this ID number, created when new. A different name on record
    is refused (a mistyped number would otherwise attach the honour to someone else)."""
    card = idcard.parse(str(number))
    person = s.scalar(select(Person).where(Person.id_number == card.number))
    if person is None:
        person = Person(id_number=card.number, name=name, sex=card.sex, birth_date=card.birth_date)
        person.name_pinyin, person.name_initials = pinyin_keys(name)
        stamp(person, actor, new=True)
        s.add(person)
        s.flush()
    elif person.name != name:
        raise ValidationError(
            {
                "id_number": f"身份证号{mask_id(card.number)}登记的姓名是“{person.name}”，与填写的“{name}”不一致"
            }
        )
    return person


def closest_hint(f: FieldSpec | None, value: object, codes: CodeLookup) -> str:
    """ "，最接近的是“省劳动模范”" for a value not in ``f``'s dictionary (or "")."""
    import difflib

    if f is None or not f.code_category or not isinstance(value, str) or not value.strip():
        return ""
    from unionsdesk.fields import normalize_label

    table = codes.get(f.code_category, {})
    key = normalize_label(value)
    if key in table:
        return ""
    labels = [k for k in table if not k.isascii()]
    near = [k for k in labels if key in k or k in key] or difflib.get_close_matches(
        key, labels, 3, 0.4
    )
    return f"，最接近的是“{near[0]}”" if near else ""


def union_named_or_none(s: Session, name: str | None) -> int | None:
    """The union whose 工会全称 or 单位名称 is exactly ``name`` when there is one."""
    if not name:
        return None
    q = select(UnionOrg.id).where(or_(UnionOrg.name == name, UnionOrg.unit_name == name)).limit(2)
    found = list(s.scalars(q))
    return found[0] if len(found) == 1 else None


# -- the registry ----------------------------------------------------------------------------

_REGISTERS: dict[str, Register] = {}
_loaded = False


def register(reg: Register) -> Register:
    """Add ``reg`` to the registry (its name must be new); returns it."""
    if reg.name in _REGISTERS and type(_REGISTERS[reg.name]) is not type(reg):
        raise ValueError(f"register {reg.name!r} declared twice")
    _REGISTERS[reg.name] = reg
    from unionsdesk.services.common import audit_text

    audit_text.ENTITY_NAMES.setdefault(reg.entity, reg.label)
    audit_text.ENTITY_SPECS.setdefault(reg.entity, reg.spec)
    return reg


def _load() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in REGISTER_MODULES:
            importlib.import_module(module)


def get(name: str) -> Register:
    _load()
    try:
        return _REGISTERS[name]
    except KeyError:
        known = "、".join(_REGISTERS)
        raise UserError(f"没有名为“{name}”的登记簿（可用：{known}）") from None


def all_registers() -> list[Register]:
    _load()
    return list(_REGISTERS.values())
