"""The sample office's 互助保障: the four 中国职工保险互助会 plans and a local 住院医疗互助
plan, enrolments of up to 40 units (this year and last) and about 150 claims."""

from __future__ import annotations

import random
from datetime import date, timedelta

from unionsdesk.db.engine import Database
from unionsdesk.services.common.base import CurrentUser

# name, months, fee (yuan per share), {claim type: 给付标准 per share (yuan)}, women only,
# minimum insured per unit, minimum share of the unit's eligible members (%)
PLANS = (
    ("在职职工意外伤害互助保障计划", 12, "10", {"意外身故": "10000", "意外伤残": "10000", "意外医疗": "1000"}, False, None, None),
    ("职工子女意外伤害互助保障计划", 12, "10", {"子女意外": "5000"}, False, None, None),
    ("女职工特殊疾病互助保障计划", 24, "20", {"女职工特殊疾病": "5000"}, True, 20, 60),
    ("重大疾病互助保障计划", 36, "60", {"重大疾病": "10000"}, False, 10, None),
    ("住院医疗互助保障计划（本县）", 12, "60", {"住院医疗": "50000"}, False, None, None),
)  # fmt: skip


def add_demo_mutual(
    db: Database, admin: CurrentUser, seed: int = 2026, units: int = 40, claims: int = 150
) -> None:
    """Plans through the service, enrolments through `enrol` (the import's checks),
    payments with receipt numbers, then claims in bulk (each within its cover and
    its plan's 给付标准)."""
    from sqlalchemy import select

    from unionsdesk.db.models import Membership, Person, UnionOrg
    from unionsdesk.db.models_mutual import MutualEnrolment
    from unionsdesk.services.mutual import enrolments
    from unionsdesk.services.mutual.plans import get_plan
    from unionsdesk.services.mutual.registers import MUTUAL_PLANS
    from unionsdesk.services.mutual.specs import MATERIALS

    rng = random.Random(seed + 23)
    today = date.today()
    made = []
    for name, months, fee, benefits, women, minimum, share in PLANS:
        text = "；".join(f"{k}={v}" for k, v in benefits.items())
        record = MUTUAL_PLANS.create(db, admin, {
            "name": name, "term_months": months, "fee": fee, "benefits": text, "women_only": women,
            "min_insured": minimum, "min_share": share,
        })  # fmt: skip
        made.append(get_plan(db, admin, record.id))
    with db.reading() as s:
        members = s.execute(
            select(Membership.union_id, Person.id_number, Person.name, Person.sex)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.active)
            .order_by(Membership.union_id, Person.id)
        ).all()
    by_unit: dict[int, list[tuple[str, str, str]]] = {}
    for uid, number, name, sex in members:
        by_unit.setdefault(uid, []).append((number, name, sex))
    chosen = [u for u, ms in sorted(by_unit.items(), key=lambda kv: -len(kv[1])) if len(ms) >= 5][
        :units
    ]
    with db.reading() as s:
        names = dict(
            s.execute(select(UnionOrg.id, UnionOrg.name).where(UnionOrg.id.in_(chosen)))
            .tuples()
            .all()
        )
    shares_of = (1, 1, 1, 2, 3)
    for plan, share_of_units in zip(made, (1.0, 0.4, 0.5, 0.3, 0.5), strict=True):
        years = (today.year - 1, today.year) if plan.term_months <= 12 else (today.year - 1,)
        for year in years:
            rows: list[tuple[int, dict[str, object]]] = []
            for uid in chosen:
                if rng.random() > share_of_units:
                    continue
                people = [m for m in by_unit[uid] if m[2] == "女" or not plan.women_only]
                take = (
                    people if plan.women_only else rng.sample(people, max(1, len(people) * 3 // 4))
                )
                for number, name, _sex in take:
                    rows.append((len(rows) + 2, {"name": name, "id_number": number,
                                                 "shares": rng.choice(shares_of), "union": names[uid]}))  # fmt: skip
            if rows:
                enrolments.enrol(
                    db, admin, rows, plan=plan.id, period=year, file_name=f"{year}年参保名单.xlsx"
                )
    with db.reading() as s:
        unpaid = list(s.scalars(select(MutualEnrolment.id).order_by(MutualEnrolment.id)))
    for eid in unpaid:
        if rng.random() < 0.9:
            e = enrolments.get_enrolment(db, admin, eid)
            paid = min(e.starts_on + timedelta(days=rng.randint(5, 50)), today)
            enrolments.record_payment(db, admin, eid, paid)
    _add_claims(db, admin, rng, claims, {p.id: p for p in made}, MATERIALS)


def _add_claims(db: Database, admin: CurrentUser, rng: random.Random, count: int, plans: dict[int, object],
                materials: dict[str, tuple[str, ...]]) -> None:  # fmt: skip
    from sqlalchemy import insert, select

    from unionsdesk.db.models import Person
    from unionsdesk.db.models_mutual import MutualClaim, MutualEnrolment, MutualInsured
    from unionsdesk.services.common.base import writing

    today = date.today()
    with writing(db, admin) as s:
        lines = s.execute(
            select(MutualInsured.id, MutualInsured.person_id, MutualInsured.plan_id,
                   MutualInsured.shares, MutualEnrolment.starts_on, MutualEnrolment.ends_on, Person.name)
            .join(MutualEnrolment, MutualEnrolment.id == MutualInsured.enrolment_id)
            .join(Person, Person.id == MutualInsured.person_id)
            .where(MutualEnrolment.starts_on < today)
        ).all()  # fmt: skip
        if not lines:
            return
        rows = []
        for n in range(count):
            iid, pid, plan_id, shares, start, end, person_name = rng.choice(lines)
            plan = plans[plan_id]
            benefits: dict[str, int] = plan.benefits  # type: ignore[attr-defined]
            kind = rng.choice(list(benefits))
            last = min(end, today - timedelta(days=1))
            incident = start + timedelta(days=rng.randint(0, max((last - start).days, 0)))
            received = min(
                incident + timedelta(days=rng.randint(3, 200 if kind == "意外伤残" else 40)), today
            )
            limit = benefits[kind] * shares
            requested = (
                limit
                if kind in ("意外身故", "重大疾病", "女职工特殊疾病")
                else rng.randint(limit // 20, limit) // 100 * 100
            )
            status = (
                rng.choice(("受理", "审核", "已给付", "已给付", "已给付", "拒付"))
                if n
                else "已给付"
            )
            approved = requested if status in ("审核", "已给付") else None
            paid = (
                min(received + timedelta(days=rng.randint(5, 30)), today)
                if status == "已给付"
                else None
            )
            papers = materials[kind] if status != "受理" else materials[kind][: rng.randint(1, 3)]
            rows.append({
                "insured_id": iid, "person_id": pid, "name": person_name, "plan_id": plan_id, "claim_type": kind,
                "disability_grade": rng.randint(5, 10) if kind == "意外伤残" else None,
                "incident_on": incident, "received_on": received, "materials": "、".join(papers),
                "requested": requested, "approved": approved, "status": status,
                "reject_reason": "事故发生在保障期外的工作时间以外，且非意外伤害" if status == "拒付" else None,
                "paid_on": paid, "created_by": admin.login,
            })  # fmt: skip
        s.execute(insert(MutualClaim), rows)
