"""The demo office's 阵地与补助 and 经费: 60 sites with inspections and a few photos,
40 grant projects at every stage, two years of levies for every union (some
unpaid months, a few 筹备金 payers), 专用收据 with a void and a gap, and dues for a
few unions. Bulk where it is plain data, through the services where the rules
matter (grants, dues, attachments)."""

from __future__ import annotations

import random
import struct
import zlib
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, literal_column, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database, bulk_insert
from unionsdesk.db.models import Membership, UnionOrg, new_uuids, now
from unionsdesk.db.models_funds import FundReceipt, Levy
from unionsdesk.db.models_sites import (
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionItem,
    Site,
)
from unionsdesk.services.common.base import CurrentUser, writing

STATION_WORDS = ("环卫", "快递", "外卖", "出租车", "建筑工地", "物业", "公交", "园林")
FACILITY_SETS = (
    "饮水机,微波炉,空调/取暖,桌椅/沙发,充电,应急药箱",
    "饮水机,空调/取暖,桌椅/沙发,充电,雨具,卫生间",
    "饮水机,微波炉,桌椅/沙发,充电,应急药箱,图书,WiFi",
)
KIND_COUNTS = (
    ("工会驿站", 24),
    ("职工之家", 12),
    ("职工书屋", 12),
    ("职工活动室", 4),
    ("母婴室", 5),
    ("职工服务中心", 3),
)


def tiny_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small solid-colour PNG made without an imaging library (demo photos)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + bytes(rgb) * width
    body = zlib.compress(row * height, 9)
    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def add_demo_sites(db: Database, admin: CurrentUser, seed: int = 2026) -> None:
    rng = random.Random(seed + 31)
    today = date.today()
    year = today.year
    with writing(db, admin) as s:
        unions: list[Any] = list(
            s.execute(
                select(UnionOrg.id, UnionOrg.name, UnionOrg.township, UnionOrg.unit_name, UnionOrg.unit_credit_code)
                .where(UnionOrg.unit_name.is_not(None))
                .order_by(UnionOrg.id)
            )
        )  # fmt: skip
        if not unions:
            return
        stamp = now()
        common = {"created_at": stamp, "updated_at": stamp, "created_by": admin.login, "updated_by": admin.login,
                  "version": 1, "voided": False}  # fmt: skip
        sites = []
        n = 0
        for kind, count in KIND_COUNTS:
            for k in range(count):
                n += 1
                u = unions[(n * 7) % len(unions)]
                town = u[2] or "城关镇"
                level = (
                    rng.choice(("县级", "县级", "市级", "省级", "全国"))
                    if kind != "工会驿站"
                    else rng.choice(("县级", "市级", None))
                )
                station = kind == "工会驿站"
                name = (
                    f"{town}{rng.choice(STATION_WORDS)}工会驿站{k + 1:02d}"
                    if station
                    else f"{u[3]}{kind}"
                )
                sites.append({
                    "kind": kind, "code": f"{'YZ' if station else 'ZD'}-{n:03d}", "name": name, "unit": u[1],
                    "union_id": u[0], "host_unit": u[3], "township": town, "address": f"示例县{town}人民路{rng.randint(1, 300)}号",
                    "longitude": round(115.0 + rng.random() * 0.5, 6), "latitude": round(27.0 + rng.random() * 0.4, 6),
                    "build_mode": rng.choice(("自建", "共建")) if station else None,
                    "open_hours": "全天" if station and k % 3 == 0 else "8:00-18:00", "open_24h": station and k % 3 == 0,
                    "area": rng.randint(20, 200), "facilities": rng.choice(FACILITY_SETS) if station else None,
                    "manager": "管理员" + "甲乙丙丁戊己庚辛"[k % 8], "manager_phone": f"139{rng.randint(0, 99_999_999):08d}",
                    "built_on": date(rng.randint(2018, year - 1), rng.randint(1, 12), rng.randint(1, 28)),
                    "investment": rng.randint(2, 30) * 1_000_000, "visits_per_month": rng.randint(50, 1500) if station else None,
                    "level": level, "year_named": rng.randint(2015, year - 1) if level else None,
                    "assets": rng.randint(1, 50) * 1_000_000 if not station else None,
                    "books": rng.randint(500, 5000) if kind == "职工书屋" else None,
                    "review_result": rng.choice(("优秀", "合格", "合格", None)),
                    "honours": "最美工会户外劳动者服务站点" if station and k == 0 else None,
                    "status": "正常" if k != count - 1 or count < 5 else "停用",
                    "uuid": None, **common,
                })  # fmt: skip
        for row, u in zip(sites, new_uuids(len(sites)), strict=True):
            row["uuid"] = u
        s.execute(insert(Site), sites)
        site_rows = list(s.execute(select(Site.id, Site.kind).order_by(Site.id)))
        templates = {t.applies_to: t.id for t in s.scalars(select(ChecklistTemplate))}
        items: dict[int, list[tuple[int, int, str]]] = {}
        for tid, iid, pos, text in s.execute(
            select(
                ChecklistItem.template_id,
                ChecklistItem.id,
                ChecklistItem.position,
                ChecklistItem.text,
            )
            .where(ChecklistItem.active)
            .order_by(ChecklistItem.position)
        ):
            items.setdefault(tid, []).append((iid, pos, text))
        inspections = []
        for sid, kind in site_rows:
            tid = templates.get(kind)
            if tid is None or not items.get(tid):
                continue
            for back in (400, 40):
                inspections.append({
                    "template_id": tid, "site_id": sid, "inspected_on": today - timedelta(days=back + rng.randint(0, 30)),
                    "inspector": rng.choice(("李经办", "王审核", "县总工会检查组")), "conclusion": None,
                    "uuid": None, **common,
                })  # fmt: skip
        for row, u in zip(inspections, new_uuids(len(inspections)), strict=True):
            row["uuid"] = u
        s.execute(insert(Inspection), inspections)
        lines = []
        for iid, tid in s.execute(select(Inspection.id, Inspection.template_id)):
            for item_id, pos, text in items[tid]:
                met = rng.random() < 0.96
                lines.append({"inspection_id": iid, "item_id": item_id, "position": pos, "text": text, "met": met,
                              "note": None if met else "现场未见，限期整改", "uuid": None,
                              **{k: v for k, v in common.items() if k != "voided"}})  # fmt: skip
        for row, u in zip(lines, new_uuids(len(lines)), strict=True):
            row["uuid"] = u
        bulk_insert(s.connection(), InspectionItem.__table__, lines)
        _levies(s, rng, unions, common, year)
    _grants(db, admin, rng, unions, year)
    _photos(db, admin, site_rows[:3])
    _dues(db, admin, year)


def _levies(
    s: Session,
    rng: random.Random,
    unions: list[Any],
    common: dict[str, Any],
    year: int,
) -> None:
    from unionsdesk.services.sites.funds import SHARE_COLUMNS, levy_due, shares_in

    shares = shares_in(s)
    today = date.today()
    rows = []
    payers = [(f"u{uid}", uid, name, town, code, False) for uid, name, town, _unit, code in unions]
    for k in range(8):  # units without a union pay 筹备金
        payers.append(
            (
                f"n示例县个体商户{k + 1:02d}",
                None,
                f"示例县个体商户{k + 1:02d}",
                "城关镇",
                None,
                True,
            )
        )
    for key, uid, name, town, code, prep in payers:
        base = rng.randint(20, 600) * 3_000_00  # monthly wage bill, fen
        late = rng.random() < 0.12  # some payers are behind
        for y in (year - 1, year):
            for m in range(1, 13):
                if date(y, m, 1) > today:
                    break
                wage = base + rng.randint(-50, 50) * 100_00
                due = levy_due(wage)
                unpaid = late and y == year and m >= max(today.month - 2, 1)
                paid = 0 if unpaid else due
                parts = shares.split(paid, prep)
                rows.append({
                    "payer_key": key, "union_id": uid, "payer_name": name, "credit_code": code, "township": town,
                    "preparatory": prep, "year": y, "month": m, "wage_total": wage, "due": due, "paid": paid,
                    "paid_on": None if unpaid else min(date(y, m, 1) + timedelta(days=rng.randint(20, 40)), today),
                    "tax_collected": rng.random() < 0.6, **dict(zip(SHARE_COLUMNS, parts, strict=True)),
                    "uuid": None, **common,
                })  # fmt: skip
    for row, u in zip(rows, new_uuids(len(rows)), strict=True):
        row["uuid"] = u
    bulk_insert(s.connection(), Levy.__table__, rows)
    # 专用收据 for the first payers' quarters of this year: one void, one gap.
    receipts = []
    number = 1000
    for _key, _uid, name, _town, _code, _prep in payers[:40]:
        for q in (1, 2):
            if date(year, q * 3, 28) > today:
                continue
            number += 1 if number != 1010 else 2  # 票号 1011 is missing (a gap)
            receipts.append({
                "year": year, "number": number, "issued_on": min(date(year, q * 3, 28), today), "payer_name": name,
                "period": f"{year}年{q * 3 - 2}—{q * 3}月", "wage_total": 0, "due": 0, "paid": 0, "shares": None,
                "levy_id": None, "uuid": None, **common,
            })  # fmt: skip
    quarter: Any = literal_column("(levy.month + 2) / 3")  # integer division on both databases
    sums = {
        (k, q): (w, d, p)
        for k, q, w, d, p in s.execute(
            select(Levy.payer_key, quarter, func.sum(Levy.wage_total), func.sum(Levy.due), func.sum(Levy.paid))
            .where(Levy.year == year)
            .group_by(Levy.payer_key, quarter)
        )
    }  # fmt: skip
    keys = {name: key for key, _u, name, *_ in payers}
    for r in receipts:
        q = 1 if r["period"].endswith("3月") else 2
        w, d, p = sums.get((keys[r["payer_name"]], q), (0, 0, 0))
        r["wage_total"], r["due"], r["paid"] = int(w or 0), int(d or 0), int(p or 0)
    for row, u in zip(receipts, new_uuids(len(receipts)), strict=True):
        row["uuid"] = u
    if receipts:
        receipts[3].update(voided=True, void_reason="单位名称写错，已重开")
        s.execute(insert(FundReceipt), receipts)


def _grants(
    db: Database, admin: CurrentUser, rng: random.Random, unions: list[Any], year: int
) -> None:
    from unionsdesk.services.sites import grants

    kinds = ("职工之家", "职工书屋", "工会驿站", "帮扶", "活动")
    for kind, amount in zip(kinds, ("40万", "20万", "30万", "10万", "8万"), strict=True):
        grants.set_budget(db, admin, year, kind, amount)
    today = date.today()
    start = max(date(year, 1, 10), today - timedelta(days=300))
    stages = (
        ["申报"] * 8
        + ["不予批准"] * 2
        + ["已批准"] * 6
        + ["拨付中"] * 8
        + ["已验收"] * 6
        + ["已完成"] * 7
        + ["已撤销"] * 3
    )
    for n, stage in enumerate(stages):
        uname = unions[(n * 11) % len(unions)][1]
        kind = kinds[n % len(kinds)]
        total = rng.randint(3, 20) * 1_0000
        requested = total * rng.choice((3, 4, 5)) // 10
        applied = start + timedelta(days=n * 3)
        g = grants.save_application(db, admin, {
            "unit": uname, "name": f"{uname[:10]}{kind}建设项目", "kind": kind,
            "content": f"{kind}场地改造、设备购置", "total_budget": str(total), "self_funded": str(total - requested),
            "requested": str(requested), "applied_on": applied, "contact": "联系人", "contact_phone": "0796-8123456",
        }).row  # fmt: skip
        if stage == "申报":
            continue
        if stage == "不予批准":
            grants.reject(db, admin, g.id, "不符合补助条件", applied + timedelta(days=10))
            continue
        approved = requested * rng.choice((8, 10)) // 10
        grants.approve(db, admin, g.id, {
            "approval_ref": f"示工发〔{year}〕{10 + n}号", "approved_amount": str(approved), "approver": "陈主席",
            "approved_on": applied + timedelta(days=10),
        })  # fmt: skip
        if stage == "已批准":
            continue
        half = approved // 2
        grants.add_payment(
            db,
            admin,
            g.id,
            {
                "paid_on": applied + timedelta(days=15),
                "amount": str(half),
                "voucher_no": f"记-{n:03d}",
            },
        )
        if stage == "已撤销":
            grants.revoke(
                db,
                admin,
                g.id,
                "项目单位撤并，不再实施",
                returned=str(half),
                returned_on=applied + timedelta(days=40),
            )
            continue
        if stage == "拨付中":
            continue
        grants.record_acceptance(db, admin, g.id, {
            "accepted_on": applied + timedelta(days=30), "acceptance_by": "县总工会验收组", "acceptance_result": "合格",
            "actual_investment": str(total), "acceptance_note": "按申报内容建成，资料齐全",
        })  # fmt: skip
        if stage == "已验收":
            continue
        grants.add_payment(
            db,
            admin,
            g.id,
            {"paid_on": applied + timedelta(days=35), "amount": str(approved - half)},
        )
        grants.record_performance(
            db, admin, g.id, "项目按期建成，职工满意度高", min(applied + timedelta(days=40), today)
        )


def _photos(db: Database, admin: CurrentUser, sites: list[Any]) -> None:
    from unionsdesk.attachments import add_attachment_bytes

    colours = ((200, 60, 60), (60, 140, 200), (80, 170, 90))
    for (sid, _kind), rgb in zip(sites, colours, strict=False):
        add_attachment_bytes(
            db, admin, "site", sid, "门头照片.png", tiny_png(32, 24, rgb), "示例照片"
        )


def _dues(db: Database, admin: CurrentUser, year: int) -> None:
    from unionsdesk.services.sites import dues

    with db.reading() as s:
        busiest = list(
            s.scalars(
                select(Membership.union_id).where(Membership.active).group_by(Membership.union_id)
                .order_by(func.count().desc(), Membership.union_id).limit(3)
            )
        )  # fmt: skip
        numbers = {
            uid: [n for (n,) in s.execute(
                select(Membership.person_id).where(Membership.union_id == uid, Membership.active)
            )]
            for uid in busiest
        }  # fmt: skip
    from unionsdesk.db.models import Person

    rng = random.Random(7)
    month = max(date.today().month - 1, 1)
    for uid in busiest:
        with db.reading() as s:
            ids = list(s.scalars(select(Person.id_number).where(Person.id.in_(numbers[uid]))))
        bases = {i: rng.randint(25, 90) * 100_00 for i in ids}
        dues.build_dues(db, admin, uid, year, month, bases)
