"""The 互助保障 registers on the register framework: mutual-plans, mutual-enrolments
(参保登记; the named list comes from `enrolments.import_enrolment`) and mutual-claims
(理赔/给付 with the hard checks of `claims.check_claim`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Person, RegisterRow, UnionOrg
from unionsdesk.db.models_mutual import MutualClaim, MutualEnrolment, MutualInsured, MutualPlan
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.registers import UNION, VOIDED, Record, Register, register
from unionsdesk.services.common.base import REVIEW, CurrentUser, reading
from unionsdesk.services.mutual import specs
from unionsdesk.services.mutual.claims import check_claim, check_status
from unionsdesk.services.mutual.enrolments import cover_end, issue_receipt
from unionsdesk.services.mutual.plans import find_plan
from unionsdesk.table import Column, Table

AREA = "mutual"


def _plan_names(s: Session, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    q = select(MutualPlan.id, MutualPlan.name).where(MutualPlan.id.in_(list(ids)))
    return dict(s.execute(q).tuples().all())


class MutualPlans(Register):
    name = "mutual-plans"
    label = "互助保障计划"
    spec = specs.PLAN
    model = MutualPlan
    area = AREA
    unit = "个"
    list_fields = (
        "name",
        "term_months",
        "fee",
        "benefits",
        "women_only",
        "min_insured",
        "min_share",
        "valid_until",
    )
    filters = ("women_only", VOIDED)
    search_fields = ("name",)
    summed = ()
    newest_first = False

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"互助保障计划“{values.get('name') or ''}”"

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        if clean["fee"] <= 0:
            raise ValidationError({"fee": "每份互助费应大于0"})
        q = select(MutualPlan.id).where(
            MutualPlan.name == clean["name"], MutualPlan.voided.is_(False)
        )
        if record_id is not None:
            q = q.where(MutualPlan.id != record_id)
        if s.scalar(q.limit(1)) is not None:
            raise ValidationError({"name": f"已有名为“{clean['name']}”的计划"})
        if record_id is not None:
            used = s.scalar(
                select(MutualEnrolment.id).where(MutualEnrolment.plan_id == record_id).limit(1)
            )
            old = s.get(MutualPlan, record_id)
            if used is not None and old is not None and old.fee != clean["fee"]:
                raise ValidationError(
                    {"fee": "已有单位参保，不能再改每份互助费（可停用本计划另立新计划）"}
                )
        clean["women_only"] = bool(clean["women_only"])

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["name"],)

    def check_void(self, s: Session, obj: RegisterRow) -> None:
        used = s.scalar(
            select(MutualEnrolment.id)
            .where(MutualEnrolment.plan_id == obj.id, MutualEnrolment.voided.is_(False))
            .limit(1)
        )
        if used is not None:
            raise UserError("该计划已有单位参保，不能作废（可填写“停止受理日期”）")


MUTUAL_PLANS = register(MutualPlans())


class MutualEnrolments(Register):
    name = "mutual-enrolments"
    label = "参保登记"
    spec = specs.ENROLMENT
    model = MutualEnrolment
    area = AREA
    list_fields = ("unit", "plan", "period", "starts_on", "ends_on", "people", "shares", "fee",
                   "amount", "paid_on", "receipt_no")  # fmt: skip
    export_fields = list_fields
    filters = ("period", UNION, VOIDED)
    search_fields = ("unit", "receipt_no")
    union_column = "union_id"
    summed = ("people", "shares", "amount")
    year_column = "period"

    @property
    def list_title(self) -> str:
        return "职工互助保障参保登记表"

    def table(self, db: Database, actor: CurrentUser, **kw: Any) -> Table:
        from dataclasses import replace

        out = super().table(db, actor, **kw)
        if out.totals is not None and "fee" in out.column_index:
            totals = list(out.totals)
            totals[out.column_index["fee"]] = None  # a sum of unit prices means nothing
            out = replace(out, totals=totals)
        return out

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"参保登记“{values.get('unit') or ''} {values.get('plan') or ''} {values.get('period') or ''}期”"

    def defaults(self) -> dict[str, Any]:
        return {"period": date.today().year}

    def extra_columns(self) -> list[Column]:
        return [
            Column("ends_on", "保障止期", "date", 11), Column("people", "参保人次", "int", 8),
            Column("shares", "份数", "int", 6), Column("fee", "单价", "money", 8),
            Column("amount", "金额", "money", 12), Column("receipt_no", "收据号", "text", 12),
        ]  # fmt: skip

    def read_many(self, s: Session, objs: Sequence[RegisterRow]) -> dict[int, dict[str, Any]]:
        out = super().read_many(s, objs)
        wanted = {o.plan_id for o in objs}  # type: ignore[attr-defined]
        plans = {p.id: p for p in s.scalars(select(MutualPlan).where(MutualPlan.id.in_(wanted)))}
        for o in objs:
            e: MutualEnrolment = o  # type: ignore[assignment]
            out[o.id].update(plan=plans[e.plan_id].name, ends_on=e.ends_on, people=e.people, shares=e.shares,
                             fee=plans[e.plan_id].fee, amount=e.amount, receipt_no=e.receipt_no)  # fmt: skip
        return out

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        plan = find_plan(s, clean["plan"])
        union = s.scalar(
            select(UnionOrg).where(
                (UnionOrg.name == clean["unit"]) | (UnionOrg.unit_name == clean["unit"])
            )
        )
        if union is None:
            raise ValidationError(
                {"unit": f"找不到单位“{clean['unit']}”（请写工会全称或单位名称）"}
            )
        clean["unit"] = union.name
        start = clean.get("starts_on") or date(clean["period"], 1, 1)
        if not 2000 <= clean["period"] <= 2100:
            raise ValidationError({"period": "期别应为年份，如 2026"})
        current = s.get(MutualEnrolment, record_id) if record_id is not None else None
        if current is None and plan.valid_until is not None and start > plan.valid_until:
            raise ValidationError(
                {"plan": f"计划“{plan.name}”已于{plan.valid_until:%Y年%m月%d日}停止受理"}
            )
        if (
            current is not None
            and current.people
            and (
                current.plan_id != plan.id
                or current.period != clean["period"]
                or current.union_id != union.id
            )
        ):
            raise ValidationError(
                {"plan": "已有参保名单，不能再改单位、计划或期别（可作废后重新登记）"}
            )
        same = select(MutualEnrolment.id).where(
            MutualEnrolment.union_id == union.id, MutualEnrolment.plan_id == plan.id,
            MutualEnrolment.period == clean["period"], MutualEnrolment.voided.is_(False),
        )  # fmt: skip
        if record_id is not None:
            same = same.where(MutualEnrolment.id != record_id)
        if s.scalar(same.limit(1)) is not None:
            raise ValidationError({"unit": f"{union.name}已登记“{plan.name}”{clean['period']}期"})
        if clean.get("paid_on") and clean["paid_on"] > date.today():
            raise ValidationError({"paid_on": "缴费日期不能晚于今天"})
        clean.update(
            plan_id=plan.id,
            starts_on=start,
            ends_on=cover_end(start, plan.term_months),
            union_id=union.id,
        )

    def apply(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        super().apply(s, actor, obj, clean)
        e: MutualEnrolment = obj  # type: ignore[assignment]
        e.union_id = clean["union_id"]
        if e.paid_on is not None:
            issue_receipt(s, actor, e)

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["unit"], clean["plan"], clean["period"])

    def check_void(self, s: Session, obj: RegisterRow) -> None:
        """Claims keep an enrolment; otherwise its named list goes with it (so the people
        can be enrolled again)."""
        insured = select(MutualInsured.id).where(MutualInsured.enrolment_id == obj.id)
        if (
            s.scalar(select(MutualClaim.id).where(MutualClaim.insured_id.in_(insured)).limit(1))
            is not None
        ):
            raise UserError("该参保登记下已有理赔申请，不能作废")
        s.execute(delete(MutualInsured).where(MutualInsured.enrolment_id == obj.id))


MUTUAL_ENROLMENTS = register(MutualEnrolments())


class MutualClaims(Register):
    name = "mutual-claims"
    label = "互助保障理赔"
    spec = specs.CLAIM
    model = MutualClaim
    area = AREA
    unit = "件"
    list_fields = ("received_on", "name", "id_number", "plan", "claim_type", "incident_on",
                   "requested", "approved", "status", "paid_on")  # fmt: skip
    filters = ("received_on", "claim_type", "status", VOIDED)
    search_fields = ("name",)
    person = ("name", "id_number")
    year_column = "received_on"

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"给付申请“{values.get('name') or ''} {values.get('claim_type') or ''}”"

    def defaults(self) -> dict[str, Any]:
        return {"received_on": date.today(), "status": "受理"}

    def read_many(self, s: Session, objs: Sequence[RegisterRow]) -> dict[int, dict[str, Any]]:
        out = super().read_many(s, objs)
        names = _plan_names(s, sorted({o.plan_id for o in objs}))  # type: ignore[attr-defined]
        for o in objs:
            out[o.id]["plan"] = names.get(o.plan_id)  # type: ignore[attr-defined]
        return out

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        plan = find_plan(s, clean["plan"])
        current = s.get(MutualClaim, record_id) if record_id is not None else None
        if current is not None and current.status in ("已给付", "拒付"):
            raise UserError(f"该申请已{current.status}，不能再修改")
        check_status(clean, current.status if current else None)
        person = s.scalar(select(Person).where(Person.id_number == clean["id_number"]))
        insured, _warnings = check_claim(s, clean, plan, person, date.today())
        clean.update(plan_id=plan.id, insured_id=insured.id, plan=plan.name)

    def create(
        self, db: Database, actor: CurrentUser, values: Mapping[str, Any], **kw: Any
    ) -> Record:
        if values.get("status") in ("已给付", "拒付"):
            actor.require(REVIEW)
        return super().create(db, actor, values, **kw)

    def update(self, db: Database, actor: CurrentUser, record_id: int, values: Mapping[str, Any],
               expected_version: int | None = None) -> Record:  # fmt: skip
        if values.get("status") in ("已给付", "拒付"):
            actor.require(REVIEW)
        return super().update(db, actor, record_id, values, expected_version)


MUTUAL_CLAIMS = register(MutualClaims())


def claim_warnings(db: Database, actor: CurrentUser, values: Mapping[str, Any]) -> list[str]:
    """What the clerk should see before saving a claim: a disability claim before 180
    days of treatment, papers missing, a missing 伤残等级 (the save itself raises the
    hard errors)."""
    reg = MUTUAL_CLAIMS
    clean = reg.clean(values, reg.codes(db))
    with reading(db, actor) as s:
        plan = find_plan(s, clean["plan"])
        person = s.scalar(select(Person).where(Person.id_number == clean["id_number"]))
        check_status(clean, None)
        _insured, warnings = check_claim(s, clean, plan, person, date.today())
        return warnings


def _insured_section(s: Session, person_id: int, _viewer: CurrentUser) -> Table:
    """人员档案: the plans and periods the person is insured in."""
    rows = s.execute(
        select(MutualPlan.name, MutualEnrolment.period, MutualEnrolment.unit, MutualInsured.shares,
               MutualEnrolment.starts_on, MutualEnrolment.ends_on)
        .join(MutualEnrolment, MutualEnrolment.id == MutualInsured.enrolment_id)
        .join(MutualPlan, MutualPlan.id == MutualInsured.plan_id)
        .where(MutualInsured.person_id == person_id, MutualEnrolment.voided.is_(False))
        .order_by(MutualEnrolment.starts_on.desc())
    ).tuples().all()  # fmt: skip
    columns = [
        Column("plan", "计划", "text", 24), Column("period", "期别", "text", 6),
        Column("unit", "参保单位", "text", 24), Column("shares", "份数", "int", 6),
        Column("starts_on", "保障起期", "date", 11), Column("ends_on", "保障止期", "date", 11),
    ]  # fmt: skip
    return Table("互助保障参保", columns, [[p, str(y), u, n, a, b] for p, y, u, n, a, b in rows])


def _add_person_file_section() -> None:
    from unionsdesk.services.common.person_file import Section, add_section

    add_section(Section("mutual:insured", "互助保障参保", 90, _insured_section))


_add_person_file_section()
