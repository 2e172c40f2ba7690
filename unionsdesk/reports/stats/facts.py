"""The detail rows the statistics tables count: unions, members, membership events,
pay-out lines and hardship files, each with the columns of its drill-down list."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased

from unionsdesk.db.models import (
    Campaign,
    HardshipFile,
    Membership,
    MembershipEvent,
    Payout,
    Person,
    UnionOrg,
)
from unionsdesk.reports.stats.engine import Fact
from unionsdesk.reports.stats.period import Period
from unionsdesk.table import Column

# Unions of the county tree that are no grassroots union: 乡镇(街道)工会, the
# 区域性/行业性工会联合会 and 产业(系统)工会 (they count their unions, not themselves),
# and the county (县(市、区)总工会).
NOT_GRASSROOTS = ("03", "04", "07", "08")


def coded(expr: Any, labels: Mapping[str, str]) -> Any:
    """A code column shown by its label (the code itself when the list lacks it)."""
    if not labels:
        return expr
    return case(dict(labels), value=expr, else_=expr)


def grassroots() -> Any:
    return (UnionOrg.parent_id.is_not(None)) & or_(
        UnionOrg.org_type.is_(None), UnionOrg.org_type.not_in(NOT_GRASSROOTS)
    )


def existing_at(end: date) -> Any:
    """Unions that existed at ``end``: founded by then, and still 正常 or closed after."""
    return (
        or_(UnionOrg.founded_on.is_(None), UnionOrg.founded_on <= end),
        or_(UnionOrg.status == "正常", UnionOrg.status_date > end),
    )


def union_fact(
    period: Period, labels: Mapping[str, Mapping[str, str]], *, founded: bool = False
) -> Fact:
    """Grassroots unions existing at the period's end (``founded``: founded in the period)."""
    where: tuple[Any, ...] = (grassroots(), *existing_at(period.end))
    if founded:
        where = (grassroots(), UnionOrg.founded_on.between(period.start, period.end))
    parent = aliased(UnionOrg)
    return Fact(
        name="基层工会",
        source=UnionOrg,
        union=UnionOrg.id,
        where=where,
        detail=(
            (Column("name", "工会名称", "text", 30), UnionOrg.name),
            (Column("parent", "上级工会", "text", 18), parent.name),
            (Column("code", "单位统一社会信用代码", "idno", 20), UnionOrg.unit_credit_code),
            (Column("category", "单位类别", "text", 14), coded(UnionOrg.unit_category, labels["unit_category"])),
            (Column("org_type", "组织类型", "text", 14), coded(UnionOrg.org_type, labels["org_type"])),
            (Column("founded", "建会日期", "date", 11), UnionOrg.founded_on),
            (Column("staff", "职工人数", "int", 8), UnionOrg.staff_count),
            (Column("female_staff", "女职工", "int", 8), UnionOrg.female_staff),
            (Column("chair", "工会主席", "text", 8), UnionOrg.chair_name),
        ),
        order_by=(UnionOrg.id,),
        detail_source=UnionOrg.__table__.outerjoin(parent, parent.id == UnionOrg.parent_id),
    )  # fmt: skip


def _member_detail(labels: Mapping[str, Mapping[str, str]]) -> tuple[tuple[Column, Any], ...]:
    return (
        (Column("name", "姓名", "text", 10), Person.name),
        (Column("sex", "性别", "text", 4), Person.sex),
        (Column("id_number", "身份证号", "idno", 20), Person.id_number),
        (Column("union", "工会", "text", 30), UnionOrg.name),
        (Column("joined", "入会日期", "date", 11), Membership.joined_on),
        (Column("status", "会员状态", "text", 8), coded(Membership.status, labels["member_status"])),
        (Column("migrant", "农民工", "text", 6), Membership.migrant_worker),
        (Column("new_form", "新就业形态", "text", 12), coded(Membership.new_employment, labels["new_employment"])),
    )  # fmt: skip


def _member_source() -> Any:
    return Membership.__table__.join(Person, Person.id == Membership.person_id)


def member_fact(
    period: Period,
    labels: Mapping[str, Mapping[str, str]],
    *,
    joined: bool = False,
    person: bool = True,
) -> Fact:
    """Members on the register at the period's end (the memberships active now whose
    入会日期 is not after the end); ``joined``: every membership begun in the period.
    Without ``person`` the figures do not join the person table (no measure on sex):
    a third faster at 200 000 members."""
    where: tuple[Any, ...] = (Membership.active, Membership.joined_on <= period.end)
    if joined:
        where = (Membership.joined_on.between(period.start, period.end),)
    return Fact(
        name="会员",
        source=_member_source() if person else Membership.__table__,
        union=Membership.union_id,
        where=where,
        detail=_member_detail(labels),
        order_by=(Membership.union_id, Person.name_pinyin),
        detail_source=_member_source().join(UnionOrg, UnionOrg.id == Membership.union_id),
    )


def event_fact(period: Period, labels: Mapping[str, Mapping[str, str]]) -> Fact:
    source = MembershipEvent.__table__.join(
        Membership, Membership.id == MembershipEvent.membership_id
    )
    return Fact(
        name="会籍变化",
        source=source,
        union=Membership.union_id,
        where=(MembershipEvent.on.between(period.start, period.end),),
        detail=(
            (Column("name", "姓名", "text", 10), Person.name),
            (Column("id_number", "身份证号", "idno", 20), Person.id_number),
            (Column("union", "工会", "text", 30), UnionOrg.name),
            (Column("kind", "会籍变化", "text", 8), coded(MembershipEvent.kind, labels["membership_change"])),
            (Column("on", "变化日期", "date", 11), MembershipEvent.on),
            (Column("reason", "原因", "text", 20), MembershipEvent.reason),
        ),
        order_by=(MembershipEvent.on, Person.name_pinyin),
        detail_source=source.join(Person, Person.id == Membership.person_id).join(
            UnionOrg, UnionOrg.id == Membership.union_id
        ),
    )  # fmt: skip


# 资金来源 is free text on the campaign; the form asks for these four columns.
FUND_SOURCES = (
    ("fiscal", "财政资金", ("财政", "中央", "政府")),
    ("union", "工会经费", ("工会",)),
    ("donation", "社会捐赠", ("捐",)),
)
OTHER_SOURCE = ("other", "其他")


def fund_class() -> Any:
    """The column a campaign's 资金来源 text goes into (the first that matches)."""
    whens = [
        (or_(*(Campaign.funding_source.contains(w) for w in words)), key)
        for key, _label, words in FUND_SOURCES
    ]
    return case(*whens, else_=OTHER_SOURCE[0])


def fund_source_is(key: str) -> Any:
    """Pay-out lines whose campaign's 资金来源 goes into column ``key``: the campaigns
    are classified once (a small table), not each of a million lines."""
    return Payout.campaign_id.in_(select(Campaign.id).where(fund_class() == key))


PAID_STATUSES = ("已发放", "归档")


def payout_fact(period: Period) -> Fact:
    """Pay-out lines of the campaigns paid (发放日期) in the period."""
    source = Payout.__table__.join(Campaign, Campaign.id == Payout.campaign_id)
    detail_source = source.join(Person, Person.id == Payout.person_id).outerjoin(
        UnionOrg, UnionOrg.id == Payout.union_id
    )
    return Fact(
        name="发放明细",
        source=source,
        union=Payout.union_id,
        where=(Campaign.status.in_(PAID_STATUSES), Campaign.paid_on.between(period.start, period.end)),
        detail=(
            (Column("campaign", "帮扶活动", "text", 24), Campaign.name),
            (Column("name", "姓名", "text", 10), Person.name),
            (Column("id_number", "身份证号", "idno", 20), Person.id_number),
            (Column("union", "工会", "text", 26), UnionOrg.name),
            (Column("category", "类别", "text", 10), Payout.category),
            (Column("amount", "金额（元）", "money", 12), Payout.amount),
            (Column("paid_on", "发放日期", "date", 11), Campaign.paid_on),
            (Column("source", "资金来源", "text", 14), Campaign.funding_source),
        ),
        order_by=(Campaign.paid_on, Campaign.id, Payout.id),
        person=Payout.person_id,
        person_detail=(
            (Column("name", "姓名", "text", 10), func.min(Person.name)),
            (Column("id_number", "身份证号", "idno", 20), func.min(Person.id_number)),
            (Column("lines", "人次", "int", 6), func.count(Payout.id)),
            (Column("amount", "金额（元）", "money", 12), func.sum(Payout.amount)),
        ),
        detail_source=detail_source,
    )  # fmt: skip


def on_file(day: date) -> Any:
    """Hardship files on file at the end of ``day``."""
    return (HardshipFile.filed_on <= day) & or_(
        HardshipFile.closed_on.is_(None) & HardshipFile.active, HardshipFile.closed_on > day
    )


def before(period: Period) -> date:
    return period.start - timedelta(days=1)


def file_fact(labels: Mapping[str, Mapping[str, str]]) -> Fact:
    source = HardshipFile.__table__.join(Person, Person.id == HardshipFile.person_id)
    return Fact(
        name="困难职工档案",
        source=source,
        union=HardshipFile.union_id,
        where=(),
        detail=(
            (Column("file_no", "职工编号", "idno", 12), HardshipFile.file_no),
            (Column("name", "姓名", "text", 10), Person.name),
            (Column("id_number", "身份证号", "idno", 20), Person.id_number),
            (Column("union", "工会", "text", 26), UnionOrg.name),
            (Column("category", "困难类别", "text", 10), coded(HardshipFile.category, labels["hardship_category"])),
            (Column("migrant", "农民工", "text", 6), HardshipFile.migrant),
            (Column("filed_on", "建档日期", "date", 11), HardshipFile.filed_on),
            (Column("status", "状态", "text", 8), HardshipFile.status),
            (Column("closed_on", "解困/退档日期", "date", 12), HardshipFile.closed_on),
        ),
        order_by=(HardshipFile.filed_on, HardshipFile.id),
        detail_source=source.join(UnionOrg, UnionOrg.id == HardshipFile.union_id),
    )  # fmt: skip
