"""Demo data of the honours area: a few hundred honours, 3 rest trips, 2 skills contests,
30 五小 projects, 5 innovation studios and some activities (``unionsdesk demo``).

People are taken from the demo county's members. Rows are written directly in one
transaction (the registers' rules hold by construction), with one audit row.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, Person, UnionOrg
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
from unionsdesk.services.common.base import CurrentUser, audit, writing

# title code → (level code, awarding body)
TITLES = {
    "01": ("1", "中共中央、国务院"),
    "02": ("1", "中共中央、国务院"),
    "03": ("2", "省人民政府"),
    "04": ("2", "省人民政府"),
    "05": ("3", "市人民政府"),
    "06": ("4", "县人民政府"),
    "11": ("1", "中华全国总工会"),
    "12": ("2", "省总工会"),
    "13": ("3", "市总工会"),
    "32": ("2", "省总工会"),
    "33": ("3", "市人力资源和社会保障局"),
}
WEIGHTS = {
    "01": 1,
    "02": 1,
    "03": 6,
    "04": 3,
    "05": 20,
    "06": 40,
    "11": 2,
    "12": 6,
    "13": 14,
    "32": 3,
    "33": 10,
}
COLLECTIVE = (("21", "2"), ("22", "3"), ("23", "4"))
TRIP_PLACES = ("浙江省职工疗休养院（杭州）", "庐山工人疗养院", "井冈山职工疗休养基地")
TRADES = (("焊工", "全县职工焊工技能竞赛"), ("电工", "全县电工职业技能大赛"))
INNOVATION_NAMES = (
    "自动送料装置",
    "管道焊缝检测小车",
    "配电箱防潮改造",
    "包装线计数器",
    "节能照明控制",
    "钢筋快速弯曲架",
    "设备点检二维码",
    "车床快换夹具",
    "污水泵防堵格栅",
    "叉车防撞报警器",
)
STUDIO_NAMES = ("焊接技术", "电力运维", "数控加工", "农业机械", "智慧物流")
Workers = list[tuple[int, str, str]]  # (person id, name, union name)
People = Sequence[Any]  # rows (person id, name, birth date, union name)
Stamp = dict[str, Any]

ACTIVITIES = (
    ("三八节女职工联谊会", "三八慰问", "县工人文化宫"),
    ("职工篮球赛", "文体活动", "县体育馆"),
    ("女职工两癌筛查", "两癌筛查", "县妇幼保健院"),
    ("劳模健康体检", "职工体检", "县人民医院"),
)


def add_demo_honours(db: Database, admin: CurrentUser, seed: int = 2026) -> None:
    rng = random.Random(seed + 16)
    today = date.today()
    with writing(db, admin) as s:
        people = s.execute(
            select(Person.id, Person.name, Person.birth_date, UnionOrg.name)
            .join(Membership, Membership.person_id == Person.id)
            .join(UnionOrg, UnionOrg.id == Membership.union_id)
            .where(Membership.active)
            .order_by(Person.id)
            .limit(3000)
        ).all()
        if len(people) < 60 or sum(p[2].year <= today.year - 28 for p in people) < 40:
            return
        unions = list(s.scalars(select(UnionOrg).where(UnionOrg.parent_id.is_not(None)).limit(60)))
        seniors = [p for p in people if p[2].year <= today.year - 28]
        chosen = rng.sample(seniors, min(320, len(seniors) - 10))
        stamp_kw = {"created_by": admin.login, "updated_by": admin.login}
        codes = list(WEIGHTS)
        model_workers: list[tuple[int, str, str]] = []
        for pid, name, birth, union in chosen:
            title = rng.choices(codes, weights=[WEIGHTS[c] for c in codes])[0]
            level, body = TITLES[title]
            year = rng.randint(min(max(1995, birth.year + 25), today.year - 3), today.year - 1)
            retired = today.year - birth.year >= 60
            allowance = (
                rng.choice((120000, 240000, 360000)) if level in ("1", "2") and retired else None
            )
            s.add(
                Honour(
                    collective=False,
                    person_id=pid,
                    name=name,
                    unit=union,
                    title=title,
                    level=level,
                    awarded_by=body,
                    year=year,
                    doc_no=f"〔{year}〕{rng.randint(1, 60)}号",
                    kept=rng.random() > 0.02,
                    work_status="离退休" if retired else "在职",
                    hardship=rng.random() < 0.05,
                    allowance=allowance,
                    **stamp_kw,
                )
            )
            if title in ("01", "02", "03", "04", "05", "06", "11"):
                model_workers.append((pid, name, union))
        for i, u in enumerate(unions[:24]):
            title, level = COLLECTIVE[i % len(COLLECTIVE)]
            year = rng.randint(2012, 2025)
            team = u.name if title != "22" else f"{(u.unit_name or u.name)[:12]}生产班组"
            s.add(
                Honour(
                    collective=True,
                    name=team,
                    union_id=u.id,
                    unit=u.name,
                    title=title,
                    level=level,
                    awarded_by="省总工会" if level == "2" else "市总工会",
                    year=year,
                    kept=True,
                    hardship=False,
                    **stamp_kw,
                )
            )
        s.flush()
        _trips(s, rng, model_workers, today, stamp_kw)
        _contests(s, rng, people, today, stamp_kw)
        _innovations(s, rng, people, unions, today, stamp_kw)
        _studios(s, rng, model_workers, today, stamp_kw)
        _activities(s, rng, people, today, stamp_kw)
        audit(s, admin, "demo", "honour", None, summary="生成劳模与竞赛示例数据")


def _trips(s: Session, rng: random.Random, workers: Workers, today: date, kw: Stamp) -> None:
    last_year: dict[int, int] = {}
    for k, place in enumerate(TRIP_PLACES):
        year = today.year - 2 + k
        start = date(year, 5 + k * 2, 10)
        trip = Trip(
            year=year,
            batch="第1期",
            place=place,
            start_on=start,
            end_on=start + timedelta(days=6),
            quota=20,
            cost=300000,
            **kw,
        )
        s.add(trip)
        s.flush()
        for pid, name, union in rng.sample(workers, min(len(workers), rng.randint(14, 20))):
            s.add(
                TripMember(
                    trip_id=trip.id,
                    person_id=pid,
                    name=name,
                    unit=union,
                    last_trip_year=last_year.get(pid),
                    **kw,
                )
            )
            last_year[pid] = year


def _contests(s: Session, rng: random.Random, people: People, today: date, kw: Stamp) -> None:
    for k, (trade, name) in enumerate(TRADES):
        held = date(today.year - 1 + k, 9, 20) if k == 0 else date(today.year, 4, 18)
        held = min(held, today)
        contest = Contest(
            name=name,
            trade=trade,
            organiser="县总工会、县人力资源和社会保障局",
            level="4",
            held_on=held,
            **kw,
        )
        s.add(contest)
        s.flush()
        for rank, (pid, pname, _birth, union) in enumerate(rng.sample(people, 20), 1):
            grants = rank <= 3
            honour_id = None
            if grants:
                h = Honour(
                    collective=False,
                    person_id=pid,
                    name=pname,
                    unit=union,
                    title="33",
                    level="4",
                    awarded_by="县总工会",
                    year=held.year,
                    kept=True,
                    hardship=False,
                    work_status="在职",
                    **kw,
                )
                s.add(h)
                s.flush()
                honour_id = h.id
            label = f"第{rank}名" if rank <= 3 else ("优秀奖" if rank <= 10 else "参赛")
            prize = {1: 300000, 2: 200000, 3: 100000}.get(rank, 50000 if rank <= 10 else None)
            s.add(
                ContestResult(
                    contest_id=contest.id,
                    person_id=pid,
                    name=pname,
                    unit=union,
                    rank=label,
                    prize=prize,
                    grants_title=grants,
                    title="33" if grants else None,
                    honour_id=honour_id,
                    **kw,
                )
            )


def _innovations(
    s: Session, rng: random.Random, people: People, unions: list[UnionOrg], today: date, kw: Stamp
) -> None:
    categories = ("小发明", "小创造", "小革新", "小设计", "小建议")
    for n in range(30):
        union = unions[n % len(unions)]
        authors = rng.sample(people, rng.randint(1, 3))
        year = today.year - 1 - n % 3
        done = date(year - 1, rng.randint(1, 12), 1)
        item = Innovation(
            name=f"{INNOVATION_NAMES[n % len(INNOVATION_NAMES)]}（{n + 1}号）",
            category=categories[n % 5],
            authors="、".join(a[1] for a in authors),
            unit=union.name,
            year=year,
            completed_on=done,
            in_use_on=done + timedelta(days=60),
            benefit=rng.randint(2, 80) * 1_000_000,
            social_benefit="提高工效，减轻劳动强度",
            award=rng.choice(("一等奖", "二等奖", "三等奖")),
            **kw,
        )
        s.add(item)
        s.flush()
        for a in authors:
            s.add(
                InnovationAuthor(innovation_id=item.id, person_id=a[0], created_by=kw["created_by"])
            )


def _studios(s: Session, rng: random.Random, workers: Workers, today: date, kw: Stamp) -> None:
    for k, (pid, name, union) in enumerate(rng.sample(workers, min(5, len(workers)))):
        s.add(
            Studio(
                name=f"{name}{STUDIO_NAMES[k]}创新工作室",
                person_id=pid,
                leader=name,
                unit=union,
                level=("2", "3", "3", "4", "4")[k],
                year=today.year - 1 - k,
                members=rng.randint(6, 20),
                results=rng.randint(3, 30),
                funding=rng.choice((5_000_000, 10_000_000, 20_000_000)),
                **kw,
            )
        )


def _activities(s: Session, rng: random.Random, people: People, today: date, kw: Stamp) -> None:
    for k, (name, kind, place) in enumerate(ACTIVITIES):
        held = today - timedelta(days=30 + 70 * k)
        a = Activity(
            name=f"{held.year}年{name}",
            kind=kind,
            held_on=held,
            place=place,
            organiser="县总工会",
            **kw,
        )
        s.add(a)
        s.flush()
        for pid, pname, _birth, union in rng.sample(people, rng.randint(20, 40)):
            s.add(ActivityMember(activity_id=a.id, person_id=pid, name=pname, unit=union, **kw))
