"""The sites area's registers on the register framework (`unionsdesk.registers`):
阵地 (sites), 检查记录 (inspections), 补助项目 (grants), 拨缴经费 (levies),
专用收据 (fund-receipts) and 会费 (dues).

The rules live in the hooks, so the form, the Excel import and the services in
this package write through the same code: money read with 万 (`specs.Money`),
应缴 and the 60/40 shares computed on every write, 票号 unique per year, a grant's
申报 editable only while it is 申报.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from unionsdesk.db.models import Membership, Person, RegisterRow, UnionOrg
from unionsdesk.db.models_funds import Dues, FundReceipt, Grant, GrantPayment, Levy
from unionsdesk.db.models_sites import ChecklistTemplate, Inspection, InspectionItem, Site
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.registers import VOIDED, FilterSpec, RecordRow, Register, register
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.sites import specs
from unionsdesk.services.sites.common import find_union, pairs
from unionsdesk.table import Column

AREA = "sites"


def _computed(objs: Sequence[RegisterRow], names: Sequence[str]) -> dict[int, dict[str, Any]]:
    return {o.id: {n: getattr(o, n) for n in names} for o in objs}


# --- 阵地 -------------------------------------------------------------------------------


class Sites(Register):
    name = "sites"
    label = "阵地"
    spec = specs.SITE
    model = Site
    area = AREA
    list_fields = (
        "kind", "code", "name", "unit", "township", "level", "year_named", "area", "manager",
        "last_inspected", "unmet",
    )  # fmt: skip
    print_fields = (
        "kind",
        "code",
        "name",
        "unit",
        "township",
        "level",
        "year_named",
        "area",
        "manager",
    )
    filters = ("kind", "level", "build_mode", VOIDED)
    search_fields = ("name", "code", "address", "host_unit", "unit", "township")
    union_column = "union_id"
    summed = ("investment", "assets")
    newest_first = False

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"{values.get('kind') or '阵地'}“{values.get('name') or ''}”"

    def defaults(self) -> dict[str, Any]:
        return {"kind": "工会驿站", "status": "正常", "open_24h": False}

    def extra_columns(self) -> list[Column]:
        return [
            Column("last_inspected", "最近检查", "date", 11),
            Column("unmet", "未达标项", "int", 8),
        ]

    def finish(self, clean: dict[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
        clean["status"] = clean.get("status") or "正常"
        clean["open_24h"] = bool(clean.get("open_24h"))
        return clean

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        if clean.get("code"):
            q = select(Site.name).where(Site.code == clean["code"], Site.id != (record_id or 0))
            other = s.scalar(q)
            if other is not None:
                raise ValidationError(
                    {"code": f"编号“{clean['code']}”已被另一个阵地（{other}）使用"}
                )

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        from unionsdesk.services.sites.sites import latest_by_site

        if not rows or not {"last_inspected", "unmet"} & set(rows[0].values):
            return
        latest = latest_by_site(s, [r.id for r in rows])
        for r in rows:
            on, unmet = latest.get(r.id, (None, None))
            r.values["last_inspected"], r.values["unmet"] = on, unmet


# --- 检查记录 -----------------------------------------------------------------------------


class Inspections(Register):
    name = "inspections"
    label = "阵地检查记录"
    spec = specs.INSPECTION
    model = Inspection
    area = AREA
    list_fields = (
        "target",
        "checklist",
        "inspected_on",
        "inspector",
        "met",
        "unmet_items",
        "conclusion",
    )
    filters = ("inspected_on", VOIDED)
    search_fields = ("inspector", "conclusion")
    year_column = "inspected_on"
    summed = ()

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"检查记录“{values.get('inspected_on') or ''} {values.get('inspector') or ''}”"

    def extra_columns(self) -> list[Column]:
        return [
            Column("target", "检查对象", "text", 22),
            Column("checklist", "检查表", "text", 16),
            Column("met", "达标项", "text", 7),
            Column("unmet_items", "未达标项目", "text", 28),
        ]

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        if record_id is None:
            raise UserError(
                "检查记录要逐项填写：请在“阵地”页选中阵地后点“检查”，或用检查表逐项登记"
            )

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        if not rows:
            return
        ids = [r.id for r in rows]
        info = {
            i: (site or union or "", t)
            for i, site, union, t in s.execute(
                select(Inspection.id, Site.name, UnionOrg.name, ChecklistTemplate.name)
                .join(ChecklistTemplate, ChecklistTemplate.id == Inspection.template_id)
                .outerjoin(Site, Site.id == Inspection.site_id)
                .outerjoin(UnionOrg, UnionOrg.id == Inspection.union_id)
                .where(Inspection.id.in_(ids))
            )
        }
        lines: dict[int, list[tuple[str, bool]]] = {}
        for iid, text, met in s.execute(
            select(InspectionItem.inspection_id, InspectionItem.text, InspectionItem.met)
            .where(InspectionItem.inspection_id.in_(ids))
            .order_by(InspectionItem.inspection_id, InspectionItem.position)
        ):
            lines.setdefault(iid, []).append((text, met))
        for r in rows:
            target, checklist = info.get(r.id, ("", ""))
            items = lines.get(r.id, [])
            r.values["target"], r.values["checklist"] = target, checklist
            r.values["met"] = f"{sum(m for _, m in items)}/{len(items)}"
            r.values["unmet_items"] = "；".join(t for t, m in items if not m)


# --- 补助项目 -----------------------------------------------------------------------------

GRANT_EXTRA = ("code", "status", "approved_amount", "paid")


class Grants(Register):
    name = "grants"
    label = "补助项目"
    spec = specs.GRANT
    model = Grant
    area = AREA
    list_fields = (
        "code", "unit", "name", "kind", "total_budget", "requested", "status", "approved_amount",
        "paid", "applied_on",
    )  # fmt: skip
    export_fields = (
        "code", "unit", "name", "kind", "content", "total_budget", "self_funded", "requested",
        "applied_on", "status", "approved_amount", "paid", "contact", "contact_phone",
    )  # fmt: skip
    filters = ("kind", "applied_on", VOIDED)
    search_fields = ("name", "unit", "code")
    year_column = "applied_on"
    summed = ("total_budget", "self_funded", "requested", "approved_amount", "paid")

    def describe(self, values: Mapping[str, Any]) -> str:
        code = values.get("code")
        return f"补助项目{' ' + code if code else ''}“{values.get('name') or ''}”"

    def defaults(self) -> dict[str, Any]:
        from datetime import date

        return {"kind": "职工之家", "applied_on": date.today()}

    def extra_columns(self) -> list[Column]:
        return [
            Column("code", "项目编号", "text", 9),
            Column("status", "状态", "text", 7),
            Column("approved_amount", "批准金额", "money", 12),
            Column("paid", "已拨付", "money", 12),
        ]

    def filter_specs(self) -> list[FilterSpec]:
        out = super().filter_specs()
        out.insert(
            1, FilterSpec("status", "项目状态", "choice", "status", choices=specs.GRANT_STATUSES)
        )
        return out

    def finish(self, clean: dict[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
        clean["self_funded"] = clean.get("self_funded") or 0
        return clean

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        if record_id is not None:
            g = s.get(Grant, record_id)
            if g is not None and g.status != "申报":
                raise UserError(f"补助项目“{g.name}”已{g.status}，申报内容不能再修改")
        clean["_union"] = find_union(s, clean["unit"], "unit", "申报单位")
        if clean["requested"] > clean["total_budget"]:
            from unionsdesk.services.sites.grants import yuan

            raise ValidationError(
                {
                    "requested": f"申请补助（{yuan(clean['requested'])}）不能超过总预算（{yuan(clean['total_budget'])}）"
                }
            )

    def apply(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        super().apply(s, actor, obj, clean)
        assert isinstance(obj, Grant)
        union: UnionOrg = clean["_union"]
        obj.union_id, obj.unit = union.id, union.name
        if obj.status is None:
            from unionsdesk.services.sites.grants import next_code

            obj.status, obj.returned_amount = "申报", 0
            obj.year = obj.applied_on.year
            obj.code = next_code(s, obj.year)

    def check_void(self, s: Session, obj: RegisterRow) -> None:
        assert isinstance(obj, Grant)
        paid = s.scalar(select(func.count()).where(GrantPayment.grant_id == obj.id))
        if obj.status not in ("申报", "不予批准") or paid:
            raise UserError(f"补助项目“{obj.name}”已{obj.status}，不能作废；请按“撤销”办理")

    def read_many(self, s: Session, objs: Sequence[RegisterRow]) -> dict[int, dict[str, Any]]:
        out = super().read_many(s, objs)
        paid = pairs(
            s.execute(
                select(GrantPayment.grant_id, func.sum(GrantPayment.amount))
                .where(GrantPayment.grant_id.in_([o.id for o in objs]))
                .group_by(GrantPayment.grant_id)
            )
        )
        for i, extra in _computed(objs, GRANT_EXTRA[:3]).items():
            out[i].update(extra, paid=int(paid.get(i) or 0))
        return out


# --- 拨缴经费 -----------------------------------------------------------------------------

LEVY_EXTRA = (
    "due",
    "share_grassroots",
    "share_county",
    "share_city",
    "share_province",
    "share_national",
)


class Levies(Register):
    name = "levies"
    label = "拨缴经费"
    spec = specs.LEVY
    model = Levy
    area = AREA
    list_fields = (
        "payer_name", "township", "year", "month", "wage_total", "due", "paid", "paid_on",
        "tax_collected", "preparatory",
    )  # fmt: skip
    export_fields = (
        "payer_name", "credit_code", "township", "preparatory", "year", "month", "wage_total", "due",
        "paid", *LEVY_EXTRA[1:], "paid_on", "tax_collected", "notes",
    )  # fmt: skip
    filters = ("year", "month", "preparatory", "tax_collected", VOIDED)
    search_fields = ("payer_name", "township", "credit_code")
    summed = ("wage_total", "paid", *LEVY_EXTRA)

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"拨缴经费“{values.get('payer_name') or ''} {values.get('year') or ''}年{values.get('month') or ''}月”"

    def extra_columns(self) -> list[Column]:
        from unionsdesk.services.sites.funds import SHARE_LABELS

        return [Column("due", "应缴", "money", 12)] + [
            Column(k, label, "money", 12)
            for k, label in zip(LEVY_EXTRA[1:], SHARE_LABELS, strict=True)
        ]

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["payer_name"], clean["year"], clean["month"])

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        if clean["preparatory"]:
            credit = (clean.get("credit_code") or "").upper() or None
            key = f"c{credit}" if credit else f"n{clean['payer_name']}"
            clean["_payer"] = (key, None, clean["payer_name"], clean.get("township"), credit)
        else:
            try:
                u = find_union(s, clean["payer_name"], "payer_name", "缴费单位")
            except ValidationError as exc:
                raise ValidationError(
                    {"payer_name": f"{exc}；没有工会的单位缴纳筹备金，请勾选“筹备金”"}
                ) from None
            clean["_payer"] = (f"u{u.id}", u.id, u.name, u.township, u.unit_credit_code)
        key = clean["_payer"][0]
        other = s.scalar(
            select(Levy.id).where(
                Levy.payer_key == key, Levy.year == clean["year"], Levy.month == clean["month"],
                Levy.voided.is_(False), Levy.id != (record_id or 0),
            )
        )  # fmt: skip
        if other is not None:
            raise ValidationError(
                {
                    "month": f"“{clean['_payer'][2]}”{clean['year']}年{clean['month']}月的拨缴已登记（第{other}号记录）"
                }
            )
        if clean.get("paid") and clean.get("paid_on") is None:
            raise ValidationError({"paid_on": "填写了实缴金额时，请填写缴费日期"})

    def apply(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        from unionsdesk.services.sites.funds import SHARE_COLUMNS, levy_due, shares_in

        super().apply(s, actor, obj, clean)
        assert isinstance(obj, Levy)
        obj.payer_key, obj.union_id, obj.payer_name, obj.township, obj.credit_code = clean["_payer"]
        obj.preparatory, obj.tax_collected = (
            bool(clean["preparatory"]),
            bool(clean["tax_collected"]),
        )
        obj.paid = clean.get("paid") or 0
        obj.due = levy_due(obj.wage_total)
        for column, part in zip(
            SHARE_COLUMNS, shares_in(s).split(obj.paid, obj.preparatory), strict=True
        ):
            setattr(obj, column, part)

    def read_many(self, s: Session, objs: Sequence[RegisterRow]) -> dict[int, dict[str, Any]]:
        out = super().read_many(s, objs)
        for i, extra in _computed(objs, LEVY_EXTRA).items():
            out[i].update(extra)
        return out


# --- 专用收据 -----------------------------------------------------------------------------


class FundReceipts(Register):
    name = "fund-receipts"
    label = "工会经费收入专用收据"
    spec = specs.FUND_RECEIPT
    model = FundReceipt
    area = AREA
    list_fields = (
        "number",
        "issued_on",
        "payer_name",
        "period",
        "wage_total",
        "due",
        "paid",
        "shares",
    )
    filters = ("issued_on", VOIDED)
    search_fields = ("payer_name", "period")
    year_column = "issued_on"
    summed = ("wage_total", "due", "paid")
    newest_first = False

    @property
    def list_title(self) -> str:
        return "工会经费收入专用收据登记簿"

    def describe(self, values: Mapping[str, Any]) -> str:
        number = values.get("number")
        return f"专用收据“{number:08d}”" if isinstance(number, int) else "专用收据"

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["issued_on"].year, clean["number"])

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        year = clean["issued_on"].year
        taken = s.scalar(
            select(FundReceipt.payer_name).where(
                FundReceipt.year == year, FundReceipt.number == clean["number"],
                FundReceipt.id != (record_id or 0),
            )
        )  # fmt: skip
        if taken is not None:
            raise ValidationError(
                {
                    "number": f"票号 {clean['number']:08d} 在{year}年已登记（{taken}），同一年度票号不能重复"
                }
            )

    def apply(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        super().apply(s, actor, obj, clean)
        assert isinstance(obj, FundReceipt)
        obj.year = obj.issued_on.year
        obj.wage_total, obj.due = obj.wage_total or 0, obj.due or 0

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        for r in rows:
            if isinstance(r.values.get("number"), int):
                r.values["number"] = f"{r.values['number']:08d}"


# --- 会费 -------------------------------------------------------------------------------


class DuesRegister(Register):
    name = "dues"
    label = "会费"
    spec = specs.DUES
    model = Dues
    area = AREA
    list_fields = (
        "name",
        "id_number",
        "unit",
        "year",
        "month",
        "wage_base",
        "amount",
        "waived",
        "paid",
        "method",
    )
    filters = ("year", "month", "paid", VOIDED)
    search_fields = ("name",)
    person = ("name", "id_number")
    summed = ("wage_base", "amount")
    unit = "人"

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"会费“{values.get('name') or ''} {values.get('year') or ''}年{values.get('month') or ''}月”"

    def extra_columns(self) -> list[Column]:
        return [
            Column("amount", "会费", "money", 10),
            Column("waived", "免缴(保留会籍)", "text", 8),
        ]

    def filter_specs(self) -> list[FilterSpec]:
        out = super().filter_specs()
        out.insert(2, FilterSpec("waived", "保留会籍免缴", "bool", "waived"))
        return out

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["id_number"], clean["year"], clean["month"])

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        q = (
            select(Membership)
            .join(Person, Person.id == Membership.person_id)
            .where(Person.id_number == clean["id_number"], Membership.active)
        )
        if clean.get("unit"):
            q = q.where(Membership.union_id == find_union(s, clean["unit"], "unit", "工会").id)
        m = s.scalar(q.limit(1))
        if m is None:
            raise ValidationError(
                {
                    "id_number": "不是在册会员"
                    + ("（该工会中没有此人）" if clean.get("unit") else "")
                }
            )
        other = s.scalar(
            select(Dues.id).where(
                Dues.membership_id == m.id, Dues.year == clean["year"], Dues.month == clean["month"],
                Dues.voided.is_(False), Dues.id != (record_id or 0),
            )
        )  # fmt: skip
        if other is not None:
            raise ValidationError(
                {"month": f"{clean['year']}年{clean['month']}月的会费已登记（第{other}号记录）"}
            )
        clean["_membership"] = m

    def apply(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        from unionsdesk.services.sites.dues import dues_amount, rounding_in, waived_in

        super().apply(s, actor, obj, clean)
        assert isinstance(obj, Dues)
        m: Membership = clean["_membership"]
        obj.membership_id, obj.union_id = m.id, m.union_id
        obj.waived = waived_in(m.status, m.status_date, obj.year, obj.month)
        obj.amount = (
            0 if obj.waived or obj.wage_base is None else dues_amount(obj.wage_base, rounding_in(s))
        )
        obj.paid = bool(clean.get("paid"))

    def read_many(self, s: Session, objs: Sequence[RegisterRow]) -> dict[int, dict[str, Any]]:
        out = super().read_many(s, objs)
        names = pairs(
            s.execute(
                select(UnionOrg.id, UnionOrg.name).where(
                    UnionOrg.id.in_({o.union_id for o in objs if isinstance(o, Dues)})
                )
            )
        )
        for o in objs:
            assert isinstance(o, Dues)
            out[o.id].update(unit=names.get(o.union_id), amount=o.amount, waived=o.waived)
        return out


SITES = register(Sites())
INSPECTIONS = register(Inspections())
GRANTS = register(Grants())
LEVIES = register(Levies())
FUND_RECEIPTS = register(FundReceipts())
DUES = register(DuesRegister())
