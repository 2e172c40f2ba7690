"""The sample office's 维权 records: the 调解委员会, about 200 disputes at every stage
(some open past day 15), legal aid, 三师一室 service days and suggestions."""

from __future__ import annotations

import random
from datetime import date, timedelta

from unionsdesk.db.engine import Database
from unionsdesk.services.common.base import CurrentUser, writing

FACTS = (
    "申请人在被申请人处从事{job}工作，被申请人自{month}月起拖欠工资，经多次催要未果。",
    "被申请人未与申请人签订书面劳动合同，申请人要求支付未签合同的二倍工资差额。",
    "申请人在工作中受伤，已认定为工伤，双方就停工留薪期工资和医疗费产生争议。",
    "被申请人以经营困难为由解除劳动合同，未支付经济补偿。",
    "被申请人未为申请人缴纳社会保险，申请人要求补缴。",
    "申请人连续加班，被申请人未按规定支付加班费。",
)
REQUESTS = (
    "请求被申请人支付拖欠的工资{amount}元。",
    "请求被申请人支付经济补偿{amount}元。",
    "请求被申请人支付加班费{amount}元。",
    "请求被申请人补缴社会保险并支付相应损失{amount}元。",
)
TYPES = (
    "劳动报酬", "劳动报酬", "劳动报酬、经济补偿/赔偿金", "订立/履行/变更/解除/终止合同",
    "社会保险", "工伤医疗费", "工时休假、劳动报酬", "确认劳动关系", "除名辞退辞职离职", "其他",
)  # fmt: skip
MEDIATORS = (
    ("陈建国", "主任"), ("刘秀英", "副主任"), ("王志强", "委员"), ("黄丽娟", "委员"),
    ("周海波", "调解员"), ("吴晓梅", "调解员"), ("郑文华", "调解员"), ("孙明", "调解员"),
)  # fmt: skip
LAWYERS = ("李律师", "张律师", "罗律师", "曾律师")
AID_CAUSES = ("追索劳动报酬", "工伤待遇", "经济补偿", "确认劳动关系", "社会保险待遇")
SERVERS = {
    "1": ("李律师", "张律师"), "2": ("刘指导师", "邓指导师"), "3": ("胡健康师", "梁健康师"),
    "4": ("周海波", "吴晓梅"), "5": ("许咨询师",),
}  # fmt: skip
MATTERS = {
    "1": "劳动法律咨询", "2": "工资集体协商指导", "3": "职业健康讲座和体检咨询",
    "4": "劳动争议现场调解", "5": "职工心理疏导",
}  # fmt: skip
DEPARTMENTS = ("县人社局", "县住建局", "县总工会权益保障部", "县市场监管局", "所在单位工会")
SUGGESTIONS = (
    "建议在工业园区增设户外劳动者驿站，解决环卫工人喝水难问题。",
    "希望单位按时足额发放高温津贴。",
    "建议组织一线职工免费健康体检。",
    "反映部分企业未落实带薪年休假制度。",
    "建议扩大职工书屋开放时间。",
    "建议加强新就业形态劳动者的入会服务。",
)


def add_demo_rights(
    db: Database, admin: CurrentUser, seed: int = 2026, disputes: int = 200
) -> None:
    """Bulk-add the rights registers in one transaction (case numbers continue the
    gapless 调解案号 series)."""
    from sqlalchemy import insert, select

    from unionsdesk.db.models import Membership, Person, ReceiptBook, UnionOrg
    from unionsdesk.db.models_rights import Dispute, LegalAid, Mediator, ServiceDay, Suggestion
    from unionsdesk.demo import TOWNSHIPS
    from unionsdesk.services.rights.disputes import CASE_SERIES, case_format, format_case_no

    rng = random.Random(seed + 17)
    today = date.today()
    with writing(db, admin) as s:
        people = s.execute(
            select(Person.id, Person.name, Person.phone, UnionOrg.id, UnionOrg.unit_name,
                   UnionOrg.unit_credit_code, UnionOrg.chair_name, Membership.job)
            .join(Membership, Membership.person_id == Person.id)
            .join(UnionOrg, UnionOrg.id == Membership.union_id)
            .where(Membership.active, UnionOrg.unit_name.is_not(None))
            .order_by(Person.id)
        ).all()  # fmt: skip
        if not people:
            return
        base = {"created_by": admin.login}
        mediators = []
        for i, (name, role) in enumerate(MEDIATORS):
            ended = i == len(MEDIATORS) - 1  # one whose term ran out: not assignable
            start = date(today.year - (4 if ended else 2), 1, 1)
            end = date(today.year - 1, 6, 30) if ended else date(today.year + 2, 12, 31)
            mediators.append(Mediator(name=name, role=role, unit="示例县总工会" if i < 4 else "示例县司法局",
                                      phone=f"1390796{i:04d}", term_start=start, term_end=end, **base))  # fmt: skip
        s.add_all(mediators)
        s.flush()
        serving = [m.id for m in mediators if m.term_end >= today]
        template = case_format(s)
        rows = []
        seq: dict[int, int] = {}
        days_back = [rng.randint(0, 420) for _ in range(disputes)]
        # a handful at the edges of the 15-day rule, whatever the random draw
        days_back[:8] = [11, 12, 13, 14, 15, 16, 25, 40]
        for n, back in enumerate(sorted(days_back, reverse=True)):
            received = today - timedelta(days=back)
            pid, name, phone, uid, unit, code, rep, job = rng.choice(people)
            year = received.year
            seq[year] = seq.get(year, 0) + 1
            amount = rng.randint(20, 900) * 10000
            open_case = back <= 40 and (back >= 11 or rng.random() < 0.8) and n % 9 != 0
            result = closed = agreed = terms = performance = None
            if not open_case:
                result = rng.choice(
                    ("达成协议", "达成协议", "达成协议", "未达成", "撤回", "转仲裁")
                )
                closed = min(received + timedelta(days=rng.randint(2, 20)), today)
                if result == "达成协议":
                    agreed = amount * rng.choice((6, 8, 10)) // 10
                    terms = (f"一、被申请人于{closed + timedelta(days=10):%Y年%m月%d日}前一次性支付申请人"
                             f"{agreed // 100}元；\n二、申请人收到上述款项后，双方劳动争议就此了结。")  # fmt: skip
                    performance = rng.choice(("已履行", "已履行", "部分履行", "未到期"))
            collective = rng.random() < 0.08
            rows.append({
                "case_year": year, "case_seq": seq[year],
                "case_no": format_case_no(template, year, seq[year]), "received_on": received,
                "request_mode": rng.choice(("书面", "书面", "口头")), "person_id": pid, "name": name,
                "phone": phone, "job": job or rng.choice(("操作工", "司机", "保洁员", "营业员")),
                "respondent": unit, "respondent_code": code, "respondent_rep": rep, "respondent_union_id": uid,
                "dispute_types": rng.choice(TYPES), "collective": collective,
                "people_involved": rng.randint(3, 40) if collective else 1, "claim_amount": amount,
                "request": rng.choice(REQUESTS).format(amount=amount // 100),
                "facts": rng.choice(FACTS).format(job=job or "生产", month=rng.randint(1, 12)),
                "mediator_id": rng.choice(serving) if (not open_case or rng.random() < 0.7) else None,
                "result": result, "agreement_amount": agreed, "agreement_terms": terms, "closed_on": closed,
                "performance": performance, **base,
            })  # fmt: skip
        s.execute(insert(Dispute), rows)
        for year, last in seq.items():
            book = s.scalar(
                select(ReceiptBook).where(
                    ReceiptBook.series == CASE_SERIES, ReceiptBook.year == year
                )
            )
            if book is None:
                s.add(ReceiptBook(series=CASE_SERIES, year=year, last_number=last, **base))
            else:
                book.last_number = last
        s.execute(insert(LegalAid), [
            {"person_id": (who := rng.choice(people))[0], "name": who[1], "received_on": (got := today - timedelta(days=rng.randint(0, 360))),
             "cause": rng.choice(AID_CAUSES), "mode": rng.choice(("咨询", "咨询", "代书", "代理调解", "代理仲裁", "代理诉讼")),
             "lawyer": rng.choice(LAWYERS), "result": "已办结" if (done := rng.random() < 0.7) else None,
             "recovered": rng.randint(0, 500) * 10000 if done else None,
             "closed_on": min(got + timedelta(days=rng.randint(5, 60)), today) if done else None, **base}
            for _ in range(max(10, disputes // 5))
        ])  # fmt: skip
        s.execute(insert(ServiceDay), [
            {"on": today - timedelta(days=rng.randint(0, 360)), "place": rng.choice(TOWNSHIPS),
             "service_type": (kind := rng.choice(("1", "1", "2", "3", "4", "5"))),
             "target": f"{rng.choice(people)[4]}职工", "matter": MATTERS[kind], "result": "已解答",
             "server": "、".join(SERVERS[kind]), "people": rng.randint(5, 80), **base}
            for _ in range(max(12, disputes // 3))
        ])  # fmt: skip
        s.execute(insert(Suggestion), [
            {"received_on": (got := today - timedelta(days=rng.randint(0, 200))),
             "proposer": rng.choice(people)[1], "unit": rng.choice(people)[4],
             "channel": rng.choice(("来信", "来访", "电话", "网络", "座谈会", "职代会提案")),
             "category": rng.choice(("工资待遇", "劳动安全", "社会保险", "民主管理", "生活福利")),
             "content": rng.choice(SUGGESTIONS), "referred_to": rng.choice(DEPARTMENTS),
             "reply": "已转有关部门办理并答复提出人" if (done := rng.random() < 0.6) else None,
             "closed_on": min(got + timedelta(days=rng.randint(3, 30)), today) if done else None,
             "satisfaction": rng.choice(("满意", "满意", "基本满意", "不满意")) if done else None, **base}
            for _ in range(max(10, disputes // 4))
        ])  # fmt: skip
