"""A realistic sample office for trying the program (``unionsdesk demo``)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from unionsdesk.db.engine import Database
from unionsdesk.domain import idcard
from unionsdesk.domain.creditcode import check_char
from unionsdesk.services.common import office as office_svc
from unionsdesk.services.common import settings as settings_svc
from unionsdesk.services.common import users as users_svc
from unionsdesk.services.common.base import CurrentUser, audit, writing

DEMO_PASSWORD = "demo1234"
DEMO_ADMIN = "admin"
DEMO_USERS = (
    ("jingban", "李经办", "clerk"),
    ("shenhe", "王审核", "reviewer"),
    ("chaxun", "赵查询", "readonly"),
)
_CREDIT17 = "81360830MC1234567"
DEMO_OFFICE = {
    "name": "示例县总工会",
    "credit_code": _CREDIT17 + check_char(_CREDIT17),
    "region_code": "360830",
    "address": "示例县城关镇人民路18号",
    "leader": "陈主席",
    "phone": "0796-8123456",
}


def create_demo(db: Database, members: int = 0, unions: int = 300, seed: int = 2026) -> CurrentUser:
    """Fill an empty database with the sample office, its users and (optionally) a county.

    ``members`` grassroots members are spread over ``unions`` unions under 15
    townships and industry unions.
    """
    admin = office_svc.initialise(db, DEMO_OFFICE, DEMO_ADMIN, DEMO_PASSWORD, "演示管理员")
    for login, name, role in DEMO_USERS:
        users_svc.create_user(
            db,
            admin,
            {"login": login, "display_name": name, "role": role, "password": DEMO_PASSWORD},
        )
    settings_svc.set_print_offsets(db, admin, 0, 0)
    if members:
        add_demo_county(db, admin, members=members, unions=unions, seed=seed)
        add_demo_aid(db, admin, files=min(600, max(members // 30, 10)), seed=seed)
        from unionsdesk import demo_honours, demo_mutual, demo_rights, demo_sites

        demo_rights.add_demo_rights(db, admin, seed=seed)
        demo_mutual.add_demo_mutual(db, admin, seed=seed)
        demo_honours.add_demo_honours(db, admin, seed=seed)
        demo_sites.add_demo_sites(db, admin, seed=seed)
    with writing(db, admin) as s:
        audit(
            s, admin, "demo", "database", None, summary=f"生成示例县总工会数据（{members}名会员）"
        )
    return admin


TOWNSHIPS = (
    "城关镇", "青原镇", "东固乡", "富田镇", "新圩镇", "值夏镇", "天玉镇", "文陂乡", "白沙镇", "水南镇",
)  # fmt: skip
INDUSTRIES = (
    "教育系统工会",
    "卫生系统工会",
    "交通运输工会",
    "建设系统工会",
    "新就业形态工会联合会",
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔向汤单解仇"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯鹏飞辉建国志"
    "文春梅海波晶琳雪婷颖欣悦子涵梓轩宏亮成龙峰东林欢慧佳晨瑶怡博旭阳瑞豪鑫嘉俊喆堃"
)
RARE_NAMES = ("王𠮷", "阿依古丽·买买提", "李喆", "张堃", "单田芳", "曾繁荣", "欧阳晓丽", "吴𠮷祥")
UNIT_WORDS = (
    "有限公司",
    "股份有限公司",
    "中心学校",
    "卫生院",
    "合作社",
    "物流有限公司",
    "建筑工程有限公司",
)
UNIT_NAMES = (
    "恒达",
    "兴旺",
    "金源",
    "华泰",
    "宏远",
    "鑫盛",
    "永安",
    "瑞丰",
    "天成",
    "福临",
    "正大",
    "博通",
)


# The register details a well-kept county fills in (what the upload pre-check wants):
# 户籍所在地 and 籍贯 follow the ID number's area code (3608xx, 吉安市).
AREAS: dict[str, tuple[str, tuple[str, ...], str]] = {
    # area code: (户籍所在地 up to the county, its towns, 籍贯)
    "360830": ("江西省吉安市示例县", TOWNSHIPS, "江西省示例县"),
    "360802": ("江西省吉安市吉州区", ("古南街道", "永叔街道", "文山街道", "习溪桥街道", "北门街道",
                                     "白塘街道", "兴桥镇", "樟山镇", "长塘镇", "曲濑镇"), "江西省吉安市"),
    "360803": ("江西省吉安市青原区", ("河东街道", "滨江街道", "天玉镇", "值夏镇", "新圩镇", "富田镇",
                                     "文陂乡", "东固畲族乡"), "江西省吉安市"),
    "360821": ("江西省吉安市吉安县", ("敦厚镇", "永阳镇", "天河镇", "横江镇", "固江镇", "万福镇",
                                     "永和镇", "桐坪镇", "凤凰镇", "油田镇", "敖城镇", "北源乡"), "江西省吉安县"),
}  # fmt: skip
VILLAGES = ("石桥", "东坑", "南岸", "上田", "塘边", "高坪", "新屋", "湖田", "下江", "龙冈", "杨家",
            "樟树", "枫林", "水口", "坪上", "田心")  # fmt: skip
STREETS = ("人民路", "井冈山大道", "城南大道", "仁山路", "解放路", "建设路", "沿江路", "文化路")
OTHER_NATIVE = ("江西省泰和县", "江西省永丰县", "江西省遂川县", "江西省峡江县", "江西省万安县",
                "湖南省茶陵县", "湖南省攸县", "广东省梅州市")  # fmt: skip
# Weighted pools (100 entries each) of the provincial template's values (学历 博士 … 初中).
EDUCATION = (
    ("11",) + ("12",) * 3 + ("02",) * 43 + ("03",) * 47 + ("13",) * 3 + ("14",) * 2 + ("15",)
)
TECH_LEVEL = ("0",) * 72 + ("5",) * 10 + ("4",) * 10 + ("3",) * 5 + ("2",) * 2 + ("1",)
# Members whose record was never completed, and what they lack: a handful, as in a
# well-kept county (the upload pre-check finds them).
INCOMPLETE = 0.001
GAPS = (("tech_level",),) * 4 + (
    ("hukou_place",), ("native_place",), ("hukou_place", "native_place"), ("education",),
)  # fmt: skip
# 保留会籍: 就业状况 and the reason (the provincial 会籍变化原因 where one fits); None: not
# recorded (one in fifty).
RETAIN_REASONS = (("03", "失业"),) * 20 + (("02", "在本单位下岗后待岗"),) * 19 + (
    ("03", "所在企业破产"),) * 10 + (("03", None),)  # fmt: skip


def _details(rng: random.Random, area: str, hukou_type: str) -> dict[str, str | None]:
    """户籍所在地, 籍贯, 学历 and 技术等级 of one member (a few left empty)."""
    county, towns, native = AREAS[area]
    if hukou_type == "02" and rng.random() < 0.3:  # moved to the county seat
        county, towns = AREAS["360830"][0], ("城关镇",)
    town = rng.choice(towns)
    if hukou_type == "01":
        hukou = f"{county}{town}{rng.choice(VILLAGES)}村"
    else:
        hukou = f"{county}{town}{rng.choice(STREETS)}{rng.randint(1, 299)}号"
    values: dict[str, str | None] = {
        "hukou_place": hukou,
        "native_place": native if rng.random() < 0.9 else rng.choice(OTHER_NATIVE),
        "education": rng.choice(EDUCATION),
        "tech_level": rng.choice(TECH_LEVEL),
    }
    if rng.random() < INCOMPLETE:
        for name in rng.choice(GAPS):
            values[name] = None
    return values


BANKS = ("示例县农村商业银行", "中国邮政储蓄银行示例县支行")


def _bank(rng: random.Random) -> dict[str, str | None]:
    """One hardship file in three is paid by bank transfer: its bank and card number."""
    if rng.random() >= 1 / 3:
        return {"bank_name": None, "bank_account": None}
    return {
        "bank_name": rng.choice(BANKS),
        "bank_account": f"6217{rng.randint(0, 10**15 - 1):015d}",
    }


def _last_election(rng: random.Random, founded: date, today: date) -> date | None:
    """换届 every five years since 建会, the latest one done (a union of the last five
    years has had none yet); one union in a hundred is a term late (换届逾期)."""
    terms = (
        today.year - founded.year - ((today.month, today.day) < (founded.month, founded.day))
    ) // 5
    if rng.random() < 0.01 and terms > 1:
        terms -= 1
    return founded.replace(year=founded.year + 5 * terms) if terms > 0 else None


def _demo_id(rng: random.Random, area: str, birth: date) -> str:
    seq = rng.randint(1, 999)
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + idcard.check_char(first17)


def add_demo_county(
    db: Database, admin: CurrentUser, members: int, unions: int = 300, seed: int = 2026
) -> None:
    """Bulk-add the sample county's union tree and members in one transaction.

    A mostly well-kept register: about 4.5 % of the members lack a detail the
    provincial upload wants (技术等级, 户籍所在地, 籍贯, 学历, the reason of a
    保留会籍, a unit name) and a few past retirement age are still on it as 退休."""
    from sqlalchemy import insert, select, update

    from unionsdesk.db.models import Membership, MembershipEvent, Person, UnionOrg
    from unionsdesk.domain.pinyin import pinyin_keys
    from unionsdesk.services.members.unions import ensure_county_union

    rng = random.Random(seed)
    more = random.Random(seed + 2)  # the register details, apart from the names and numbers
    today = date.today()
    with writing(db, admin) as s:
        county = ensure_county_union(s, admin)  # made from 单位信息 at initialise
        assert county is not None
        parents = []
        for name in TOWNSHIPS:
            parents.append(UnionOrg(name=f"{name}总工会", org_type="04", township=name, parent_id=county.id,
                                    status="正常", founded_on=date(1998, 5, 1), term_years=5, created_by=admin.login,
                                    last_election_on=_last_election(more, date(1998, 5, 1), today)))  # fmt: skip
        for name in INDUSTRIES:
            kind = "03" if name.endswith("联合会") else "08"  # 产业(系统)工会
            parents.append(UnionOrg(name=name, org_type=kind, township=None, parent_id=county.id, status="正常",
                                    founded_on=date(2008, 3, 1), term_years=5, created_by=admin.login,
                                    last_election_on=_last_election(more, date(2008, 3, 1), today)))  # fmt: skip
        s.add_all(parents)
        s.flush()
        used_codes: set[str] = set()
        rows = []
        for i in range(unions):
            parent = parents[i % len(parents)]
            unit = f"示例县{rng.choice(UNIT_NAMES)}{rng.choice(UNIT_WORDS)}{i + 1:03d}"
            code17 = f"91360830MA{rng.randint(0, 9_999_999):07d}"
            if code17 in used_codes:
                code17 = f"91360830MB{i:07d}"
            used_codes.add(code17)
            founded = date(rng.randint(1995, 2024), rng.randint(1, 12), rng.randint(1, 28))
            rows.append({
                "name": f"{unit}工会委员会", "unit_name": unit, "unit_credit_code": code17 + check_char(code17),
                "parent_id": parent.id, "org_type": rng.choice(("01", "01", "01", "02")),
                "unit_category": rng.choice(("110", "159", "170", "170", "400", "500")),
                "industry": rng.choice("CEFGHPQ"), "township": parent.township or rng.choice(TOWNSHIPS),
                "founded_on": founded, "last_election_on": _last_election(rng, founded, today),
                "term_years": 5, "chair_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "chair_phone": f"13{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}", "status": "正常",
                "staff_count": rng.randint(20, 600), "created_by": admin.login,
            })  # fmt: skip
        s.execute(insert(UnionOrg), rows)
        units = s.execute(
            select(UnionOrg.id, UnionOrg.parent_id)
            .where(UnionOrg.unit_name.is_not(None))
            .order_by(UnionOrg.id)
        )
        grassroots, new_form_units = [], []
        new_form_union = next(p.id for p in parents if p.name == "新就业形态工会联合会")
        township_of: dict[int, int] = {p.id: p.id for p in parents}
        for uid, parent_id in units:
            township_of[uid] = parent_id
            grassroots.append(uid)
            if parent_id == new_form_union:
                new_form_units.append(uid)
        people, seen_ids = [], set()
        for i in range(members):
            name = (
                RARE_NAMES[i // 997]
                if i % 997 == 0 and i // 997 < len(RARE_NAMES)
                else (
                    rng.choice(SURNAMES)
                    + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
                )
            )
            birth = date(rng.randint(1962, 2004), rng.randint(1, 12), rng.randint(1, 28))
            number = _demo_id(rng, rng.choice(("360830", "360802", "360803", "360821")), birth)
            while number in seen_ids:
                number = _demo_id(rng, "360830", birth)
            seen_ids.add(number)
            full, initials = pinyin_keys(name)
            hukou_type = rng.choice(("01", "02"))
            people.append({
                "id_number": number, "name": name, "name_pinyin": full, "name_initials": initials,
                "sex": "男" if int(number[16]) % 2 else "女", "birth_date": birth,
                "ethnicity": "01" if rng.random() < 0.96 else rng.choice(("03", "06", "08", "05")),
                "political": rng.choice(("01", "02", "04", "04", "04", "04"))
                if today.year - birth.year <= 28  # 共青团员 (02) up to 28
                else rng.choice(("01", "01", "04", "04", "04", "04")),
                "phone": f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}",
                "hukou_type": hukou_type, "created_by": admin.login,
                **_details(more, number[:6], hukou_type),
            })  # fmt: skip
        s.execute(insert(Person).execution_options(render_nulls=True), people)
        person_ids = list(s.execute(select(Person.id, Person.birth_date).order_by(Person.id)))
        memberships = []
        categories = ("01", "02", "03", "04")
        retain_reasons: dict[int, str | None] = {}  # person id → reason of the 保留会籍
        for pid, birth in person_ids:
            new_form = rng.random() < 0.05
            joined = min(
                date(rng.randint(2005, today.year), rng.randint(1, 12), rng.randint(1, 28)), today
            )
            if joined.year - birth.year < 18:  # 入会 of working age: from 18 in the demo
                joined = min(date(birth.year + 18, birth.month, birth.day), today)
            if new_form:  # most through the union of their platform or station
                union = (
                    rng.choice(new_form_units)
                    if new_form_units and rng.random() < 0.995
                    else new_form_union
                )
            else:
                union = rng.choice(grassroots)
            status, status_date, employment = "01", None, "01"  # 在册, 在岗
            if rng.random() >= 0.97:  # 保留会籍
                employment, retain_reasons[pid] = more.choice(RETAIN_REASONS)
                status = "02"
                status_date = min(joined + timedelta(days=more.randint(30, 3000)), today)
            elif birth.year <= 1964 and more.random() < 0.01:
                employment = "04"  # 退休 but still on the register
            elif more.random() < 0.01:
                employment = more.choice(("07", "08"))  # 退养（内退）, 病休
            memberships.append({
                "person_id": pid, "union_id": union, "joined_on": joined, "status": status,
                "status_date": status_date, "active": True, "card_no": f"HY{pid:08d}",
                "employment_status": employment, "migrant_worker": rng.random() < 0.18 or new_form,
                "new_employment": rng.choice(categories) if new_form else None, "created_by": admin.login,
            })  # fmt: skip
        s.execute(insert(Membership).execution_options(render_nulls=True), memberships)
        # In every township and industry union two records were never completed (技术等级,
        # 籍贯): what the upload pre-check finds, however small the demo county is
        firsts: dict[int, list[int]] = {}
        for m in memberships:
            people_here = firsts.setdefault(township_of.get(m["union_id"], 0), [])
            if len(people_here) < 2 and m["status"] == "01":
                people_here.append(m["person_id"])
        for gap, index in (("tech_level", 0), ("native_place", 1)):
            ids = [found[index] for found in firsts.values() if len(found) > index]
            s.execute(update(Person).where(Person.id.in_(ids)).values({gap: None}))
        events = []
        q = select(
            Membership.id, Membership.person_id, Membership.joined_on, Membership.status_date
        )
        for mid, pid, on, retained in s.execute(q):
            events.append({"membership_id": mid, "kind": "1", "on": on, "reason": None,
                           "created_by": admin.login})  # fmt: skip
            if retained is not None:
                events.append({"membership_id": mid, "kind": "3", "on": retained,
                               "reason": retain_reasons[pid], "created_by": admin.login})  # fmt: skip
        s.execute(insert(MembershipEvent).execution_options(render_nulls=True), events)


def add_demo_aid(db: Database, admin: CurrentUser, files: int, seed: int = 2026) -> None:
    """Hardship files for ``files`` members and a year of campaigns with pay-outs,
    printed receipts and one voided receipt."""
    from sqlalchemy import insert, select

    from unionsdesk.db.models import HardshipFile, HouseholdMember, Membership, User
    from unionsdesk.services.aid import campaigns, receipts

    rng = random.Random(seed + 1)
    today = date.today()
    year = today.year
    with writing(db, admin) as s:
        members = s.execute(
            select(Membership.person_id, Membership.union_id).where(Membership.active)
        ).all()
        shenhe = s.scalar(select(User.id).where(User.login == DEMO_USERS[1][0]))
    # who confirms the pay-outs: the demo reviewer (the administrator when there is none)
    reviewer = admin if shenhe is None else CurrentUser(shenhe, *DEMO_USERS[1])
    with writing(db, admin) as s:
        picked = rng.sample(members, min(files, len(members)))
        rows = []
        for n, (person_id, union_id) in enumerate(picked):
            size = rng.randint(2, 5)
            category = rng.choice(("01", "01", "02", "02", "02", "03"))
            if n < 3:  # every category, however small the county
                category = ("01", "02", "03")[n]
            monthly = {
                "01": rng.randint(300, 700),
                "02": rng.randint(800, 1500),
                "03": rng.randint(500, 1800),
            }[category]
            filed = min(
                date(rng.randint(year - 4, year), rng.randint(1, 12), rng.randint(1, 28)), today
            )
            # 年审 once a year after 建档, on the latest anniversary (a file of the last
            # twelve months needs none yet); one in fifty a year late (年审逾期)
            review = None
            if (today - filed).days > 365:
                anniversary = filed.replace(year=today.year)
                if anniversary > today:
                    anniversary = anniversary.replace(year=today.year - 1)
                review = min(anniversary + timedelta(days=rng.randint(0, 20)), today)
                if rng.random() < 0.02 and anniversary.year - 1 > filed.year:
                    review = anniversary.replace(year=anniversary.year - 1)
            rows.append({
                "person_id": person_id, "union_id": union_id, "category": category, "migrant": rng.random() < 0.2,
                "main_reason": rng.choice(("1", "3", "6", "6", "8", "9")), "household_size": size,
                "household_income": monthly * 100 * 12 * size, "rigid_expense": 0,
                **_bank(rng),
                "filed_on": filed, "review_status": "已审核", "reviewed_on": filed, "reviewed_by": reviewer.login,
                "status": rng.choice(("建档", "帮扶中", "帮扶中")), "active": True, "last_annual_review": review,
                "created_by": admin.login,
            })  # fmt: skip
        s.execute(insert(HardshipFile), rows)
        file_ids = list(s.scalars(select(HardshipFile.id)))
        s.execute(insert(HouseholdMember), [
            {"file_id": fid, "relation": rng.choice(("配偶", "子女", "父母")), "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
             "monthly_income": rng.randint(0, 2000) * 100, "created_by": admin.login}
            for fid in file_ids for _ in range(rng.randint(1, 3))
        ])  # fmt: skip
    # name, kind, standards, pay-out date (None: still a draft); a date still to come
    # this year leaves the campaign a draft too
    plans = (
        (f"{year}年元旦春节送温暖", "冬送温暖/两节慰问",
         {"深度困难": "2500", "相对困难": "1500", "意外致困": "2000"}, date(year, 1, 20)),
        (f"{year}年金秋助学", "金秋助学",
         {"深度困难": "5000", "相对困难": "3000", "意外致困": "3000"}, date(year, 8, 25)),
        (f"{year}年医疗救助", "医疗救助",
         {"深度困难": "3000", "相对困难": "2000", "意外致困": "3000"}, None),
        (f"{year}年夏送清凉", "夏送清凉",
         {"深度困难": "300", "相对困难": "300", "意外致困": "300"}, None),
    )  # fmt: skip
    for n, (name, kind, standards, paid_on) in enumerate(plans, 1):
        c = campaigns.save_campaign(
            db, admin,
            {"name": name, "kind": kind, "year": year, "funding_source": "县总工会经费", "budget": "800000",
             "approval_ref": f"示工发〔{year}〕{n * 7}号"},
            standards=standards,
        )  # fmt: skip
        share = rng.sample(file_ids, max(len(file_ids) // (2 if n == 1 else 5), 1))
        campaigns.add_from_hardship(db, admin, c.id, share)
        if paid_on is not None and paid_on <= today:
            campaigns.set_campaign_status(db, admin, c.id, "审核")
            campaigns.set_campaign_status(db, reviewer, c.id, "已发放", paid_on)
            lines = [p.id for p in campaigns.list_payouts(db, admin, c.id)][:20]
            made = receipts.issue_receipts(db, admin, lines, on=paid_on)
            receipts.record_print(db, admin, [r.id for r in made])
            if n == 1:
                receipts.void_receipt(db, admin, made[3].id, "领款人姓名写错，重开")
                receipts.issue_receipts(
                    db, admin, [made[3].payout_id], on=paid_on + timedelta(days=1)
                )
