"""阵地 (sites), their checklists (templates the office edits in 设置) and inspections.

A site's page shows its latest inspection and the items not met. The upward report
needs the number of sites by type and level (`site_counts`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import UnionOrg
from unionsdesk.db.models_sites import (
    Attachment,
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionItem,
    Site,
)
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.services.common.base import (
    ADMIN,
    WRITE,
    CurrentUser,
    audit,
    reading,
    stamp,
    writing,
)
from unionsdesk.services.sites.common import pairs
from unionsdesk.services.sites.specs import (
    INSPECTION,
    SITE,
    SITE_KINDS,
    SITE_LEVELS,
    as_form,
)

SITE_FIELDS = tuple(f.name for f in SITE.fields if f.name != "unit")
TOWNSHIP_UNION = "乡镇工会"  # a checklist that applies to township unions, not to sites


@dataclass(frozen=True)
class SiteRow:
    id: int
    kind: str
    code: str | None
    name: str
    union_id: int | None
    union_name: str
    host_unit: str | None
    township: str | None
    address: str | None
    longitude: float | None
    latitude: float | None
    build_mode: str | None
    open_hours: str | None
    open_24h: bool
    area: int | None
    facilities: str | None
    manager: str | None
    manager_phone: str | None
    built_on: date | None
    investment: int | None
    visits_per_month: int | None
    level: str | None
    year_named: int | None
    assets: int | None
    books: int | None
    review_result: str | None
    honours: str | None
    status: str
    notes: str | None
    version: int
    last_inspected: date | None = None
    unmet: int | None = None  # items not met at the latest inspection
    attachments: int = 0


def _site_row(
    s: Site, union_name: str, last: tuple[date, int] | None = None, attachments: int = 0
) -> SiteRow:
    values = {n: getattr(s, n) for n in SITE_FIELDS}
    return SiteRow(
        id=s.id, union_id=s.union_id, union_name=union_name, version=s.version,
        last_inspected=last[0] if last else None, unmet=last[1] if last else None,
        attachments=attachments, **values,
    )  # fmt: skip


def latest_by_site(
    s: Session, site_ids: Sequence[int] | None = None
) -> dict[int, tuple[date, int]]:
    """site id → (date of its latest inspection, items not met then)."""
    ranked = select(
        Inspection.site_id,
        Inspection.id.label("iid"),
        func.row_number()
        .over(
            partition_by=Inspection.site_id,
            order_by=(Inspection.inspected_on.desc(), Inspection.id.desc()),
        )
        .label("rn"),
    ).where(Inspection.site_id.is_not(None))
    if site_ids is not None:
        ranked = ranked.where(Inspection.site_id.in_(site_ids))
    inner = ranked.subquery()
    latest = select(inner.c.site_id, inner.c.iid).where(inner.c.rn == 1)
    sub = latest.subquery()
    unmet = (
        select(InspectionItem.inspection_id, func.count().label("n"))
        .where(InspectionItem.met.is_(False))
        .group_by(InspectionItem.inspection_id)
        .subquery()
    )
    q = (
        select(sub.c.site_id, Inspection.inspected_on, func.coalesce(unmet.c.n, 0))
        .join(Inspection, Inspection.id == sub.c.iid)
        .outerjoin(unmet, unmet.c.inspection_id == sub.c.iid)
    )
    return {sid: (on, int(n)) for sid, on, n in s.execute(q)}


def get_site(db: Database, actor: CurrentUser, site_id: int) -> SiteRow:
    with reading(db, actor) as s:
        site = s.get(Site, site_id)
        if site is None:
            raise UserError(f"阵地 {site_id} 不存在")
        uname = s.get(UnionOrg, site.union_id).name if site.union_id else ""  # type: ignore[union-attr]
        n = s.scalar(
            select(func.count()).where(Attachment.entity == "site", Attachment.entity_id == site_id)
        )
        return _site_row(site, uname, latest_by_site(s, [site_id]).get(site_id), n or 0)


def save_site(
    db: Database,
    actor: CurrentUser,
    values: Mapping[str, object],
    site_id: int | None = None,
    expected_version: int | None = None,
) -> SiteRow:
    """Create a site (``site_id`` None) or change the fields given in ``values``
    (through the ``sites`` register: same checks as the form and the import)."""
    from unionsdesk.services.sites.registers import SITES

    if site_id is None:
        record = SITES.create(db, actor, {**SITES.defaults(), **values})
    else:
        current = as_form(SITE, SITES.get(db, actor, site_id).values)
        record = SITES.update(db, actor, site_id, {**current, **values}, expected_version)
    return get_site(db, actor, record.id)


@dataclass(frozen=True)
class SiteCount:
    kind: str
    level: str  # 全国/省级/市级/县级 or 未定级
    count: int


def site_counts(db: Database, actor: CurrentUser) -> list[SiteCount]:
    """Sites in use by type and level (the upward report's 阵地 rows)."""
    with reading(db, actor) as s:
        rows = s.execute(
            select(Site.kind, Site.level, func.count())
            .where(Site.status == "正常")
            .group_by(Site.kind, Site.level)
        ).all()
    order = {k: i for i, k in enumerate(SITE_KINDS)}
    levels = {k: i for i, k in enumerate(SITE_LEVELS)}
    out = [SiteCount(k, lv or "未定级", n) for k, lv, n in rows]
    return sorted(out, key=lambda c: (order.get(c.kind, 99), levels.get(c.level, 9)))


# --- checklist templates (设置) -------------------------------------------------------


@dataclass(frozen=True)
class ChecklistInfo:
    id: int
    name: str
    applies_to: str
    active: bool
    items: tuple[tuple[int, str], ...]  # (item id, text) in order
    version: int


def _template(s: Session, t: ChecklistTemplate) -> ChecklistInfo:
    items = s.execute(
        select(ChecklistItem.id, ChecklistItem.text)
        .where(ChecklistItem.template_id == t.id, ChecklistItem.active)
        .order_by(ChecklistItem.position)
    ).all()
    return ChecklistInfo(t.id, t.name, t.applies_to, t.active, tuple(items), t.version)  # type: ignore[arg-type]


def list_checklists(
    db: Database, actor: CurrentUser, applies_to: str | None = None
) -> list[ChecklistInfo]:
    with reading(db, actor) as s:
        q = select(ChecklistTemplate).order_by(ChecklistTemplate.id)
        if applies_to:
            q = q.where(ChecklistTemplate.applies_to == applies_to)
        return [_template(s, t) for t in s.scalars(q)]


def get_checklist(db: Database, actor: CurrentUser, template_id: int) -> ChecklistInfo:
    with reading(db, actor) as s:
        t = s.get(ChecklistTemplate, template_id)
        if t is None:
            raise UserError(f"检查表 {template_id} 不存在")
        return _template(s, t)


def save_checklist(
    db: Database,
    actor: CurrentUser,
    name: str,
    applies_to: str,
    items: Sequence[str],
    template_id: int | None = None,
    *,
    active: bool = True,
) -> ChecklistInfo:
    """Create or edit a checklist: its items in the order given. An item that is kept
    (same text) keeps its identity; a removed one is retired, not deleted, so past
    inspections still show it."""
    name = " ".join(name.split())
    texts = [" ".join(t.split()) for t in items]
    texts = [t for t in texts if t]
    errors = {}
    if not name:
        errors["name"] = "检查表名称必须填写"
    if applies_to not in (*SITE_KINDS, TOWNSHIP_UNION):
        errors["applies_to"] = f"适用对象只能是：{'、'.join((*SITE_KINDS, TOWNSHIP_UNION))}"
    if len(set(texts)) != len(texts):
        errors["items"] = "检查项目有重复"
    if any(len(t) > 200 for t in texts):
        errors["items"] = "每个检查项目最多200个字"
    if errors:
        raise ValidationError(errors)
    with writing(db, actor, ADMIN) as s:
        other = s.scalar(
            select(ChecklistTemplate.id).where(
                ChecklistTemplate.name == name, ChecklistTemplate.id != (template_id or 0)
            )
        )
        if other is not None:
            raise ValidationError({"name": f"已有名为“{name}”的检查表"})
        if template_id is None:
            t = ChecklistTemplate(name=name, applies_to=applies_to, active=active)
            stamp(t, actor, new=True)
            s.add(t)
            s.flush()
            old: list[ChecklistItem] = []
            before = None
        else:
            found = s.get(ChecklistTemplate, template_id)
            if found is None:
                raise UserError(f"检查表 {template_id} 不存在")
            t = found
            old = list(
                s.scalars(
                    select(ChecklistItem).where(
                        ChecklistItem.template_id == t.id, ChecklistItem.active
                    )
                )
            )
            before = {
                "name": t.name,
                "applies_to": t.applies_to,
                "items": "；".join(i.text for i in sorted(old, key=lambda i: i.position)),
            }
            t.name, t.applies_to, t.active = name, applies_to, active
            stamp(t, actor)
        by_text = {i.text: i for i in old}
        for pos, text in enumerate(texts, 1):
            item = by_text.pop(text, None)
            if item is None:
                item = ChecklistItem(template_id=t.id, text=text, active=True)
                stamp(item, actor, new=True)
                s.add(item)
            item.position = pos
        for retired in by_text.values():
            retired.active = False
            stamp(retired, actor)
        s.flush()
        audit(
            s, actor, "create" if template_id is None else "update", "checklist", t.id,
            before=before, after={"name": name, "applies_to": applies_to, "items": "；".join(texts)},
            summary=f"{'新增' if template_id is None else '修改'}检查表“{name}”（{len(texts)}项）",
        )  # fmt: skip
        return _template(s, t)


# --- inspections --------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionLine:
    id: int
    position: int
    text: str
    met: bool
    note: str | None
    attachments: int = 0


@dataclass(frozen=True)
class InspectionInfo:
    id: int
    template_id: int
    template_name: str
    site_id: int | None
    union_id: int | None
    target_name: str
    inspected_on: date
    inspector: str
    conclusion: str | None
    lines: tuple[InspectionLine, ...] = field(default=())

    @property
    def unmet(self) -> list[InspectionLine]:
        return [line for line in self.lines if not line.met]

    @property
    def met_count(self) -> int:
        return sum(1 for line in self.lines if line.met)


@dataclass(frozen=True)
class ItemResult:
    item_id: int
    met: bool
    note: str | None = None


def record_inspection(
    db: Database,
    actor: CurrentUser,
    template_id: int,
    values: Mapping[str, object],
    results: Sequence[ItemResult],
    *,
    site_id: int | None = None,
    union_id: int | None = None,
) -> InspectionInfo:
    """Record an inspection of a site (or a township union) against a checklist: one
    result for every item of the checklist."""
    actor.require(WRITE)
    if (site_id is None) == (union_id is None):
        raise UserError("检查对象应为一个阵地或一个乡镇工会")
    clean = INSPECTION.clean(values)
    if clean["inspected_on"] > date.today():
        raise ValidationError({"inspected_on": "检查日期不能晚于今天"})
    with writing(db, actor) as s:
        t = s.get(ChecklistTemplate, template_id)
        if t is None:
            raise UserError(f"检查表 {template_id} 不存在")
        if site_id is not None:
            site = s.get(Site, site_id)
            if site is None:
                raise UserError(f"阵地 {site_id} 不存在")
            target = site.name
            if t.applies_to not in (site.kind,):
                raise UserError(
                    f"检查表“{t.name}”适用于{t.applies_to}，不适用于{site.kind}“{site.name}”"
                )
        else:
            union = s.get(UnionOrg, union_id)
            if union is None:
                raise UserError(f"工会 {union_id} 不存在")
            target = union.name
            if t.applies_to != TOWNSHIP_UNION:
                raise UserError(f"检查表“{t.name}”适用于{t.applies_to}，不适用于工会")
        items = list(
            s.scalars(
                select(ChecklistItem)
                .where(ChecklistItem.template_id == t.id, ChecklistItem.active)
                .order_by(ChecklistItem.position)
            )
        )
        if not items:
            raise UserError(f"检查表“{t.name}”还没有检查项目，请先在 设置 → 检查表 中填写")
        given = {r.item_id: r for r in results}
        missing = [i.text for i in items if i.id not in given]
        if missing:
            raise ValidationError({"items": f"这些项目还没有填写检查结果：{'、'.join(missing)}"})
        extra = set(given) - {i.id for i in items}
        if extra:
            raise UserError("检查结果中有不属于该检查表的项目")
        insp = Inspection(template_id=t.id, site_id=site_id, union_id=union_id, **clean)
        stamp(insp, actor, new=True)
        s.add(insp)
        s.flush()
        rows = []
        for item in items:
            r = given[item.id]
            note = (r.note or "").strip()[:300] or None
            line = InspectionItem(
                inspection_id=insp.id, item_id=item.id, position=item.position, text=item.text,
                met=bool(r.met), note=note,
            )  # fmt: skip
            stamp(line, actor, new=True)
            rows.append(line)
        s.add_all(rows)
        s.flush()
        unmet = [r.text for r in rows if not r.met]
        audit(
            s, actor, "create", "inspection", insp.id,
            after={"检查表": t.name, "检查日期": clean["inspected_on"], "检查人": clean["inspector"],
                   "未达标": "；".join(unmet)},
            summary=f"检查“{target}”（{t.name}）：{len(rows) - len(unmet)}/{len(rows)} 项达标",
        )  # fmt: skip
        return _inspection(s, insp)


def _inspection(s: Session, insp: Inspection) -> InspectionInfo:
    t = s.get(ChecklistTemplate, insp.template_id)
    if insp.site_id is not None:
        site = s.get(Site, insp.site_id)
        target = site.name if site else ""
    else:
        union = s.get(UnionOrg, insp.union_id)
        target = union.name if union else ""
    lines = s.scalars(
        select(InspectionItem)
        .where(InspectionItem.inspection_id == insp.id)
        .order_by(InspectionItem.position)
    ).all()
    counts = pairs(
        s.execute(
            select(Attachment.entity_id, func.count())
            .where(
                Attachment.entity == "inspection_item",
                Attachment.entity_id.in_([x.id for x in lines]),
            )
            .group_by(Attachment.entity_id)
        ).all()
    )
    return InspectionInfo(
        insp.id, insp.template_id, t.name if t else "", insp.site_id, insp.union_id, target,
        insp.inspected_on, insp.inspector, insp.conclusion,
        tuple(InspectionLine(x.id, x.position, x.text, x.met, x.note, counts.get(x.id, 0)) for x in lines),
    )  # fmt: skip


def list_inspections(
    db: Database,
    actor: CurrentUser,
    *,
    site_id: int | None = None,
    union_id: int | None = None,
) -> list[InspectionInfo]:
    """Newest first."""
    with reading(db, actor) as s:
        q = select(Inspection).order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
        if site_id is not None:
            q = q.where(Inspection.site_id == site_id)
        if union_id is not None:
            q = q.where(Inspection.union_id == union_id)
        return [_inspection(s, i) for i in s.scalars(q)]


def latest_inspection(db: Database, actor: CurrentUser, site_id: int) -> InspectionInfo | None:
    with reading(db, actor) as s:
        insp = s.scalar(
            select(Inspection)
            .where(Inspection.site_id == site_id)
            .order_by(Inspection.inspected_on.desc(), Inspection.id.desc())
            .limit(1)
        )
        return None if insp is None else _inspection(s, insp)
