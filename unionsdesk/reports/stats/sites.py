"""阵地和补助 (annual): service sites by kind — in use at the period's end, by the level
they were named at, built in the period, open 24 hours, money invested — and the
grants to lower unions by kind: applied, approved (and how much), paid, accepted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_

from unionsdesk.db.models import UnionOrg
from unionsdesk.db.models_funds import Grant, GrantPayment
from unionsdesk.db.models_sites import Site
from unionsdesk.reports.stats.engine import CodeRows, Fact, Measure, Part, PartSpec, checks_of_which
from unionsdesk.reports.stats.period import Period
from unionsdesk.services.sites.specs import SITE_KINDS
from unionsdesk.table import Column

KEY = "sites"
TITLE = "阵地和补助统计表"
SITES_TITLE = "阵地和补助统计表（一）工会服务阵地"
GRANTS_TITLE = "阵地和补助统计表（二）对下项目补助"
LEVELS = (("national", "全国"), ("province", "省"), ("city", "市"), ("county", "县"))


def _sites(period: Period) -> Fact:
    return Fact(
        name="服务阵地",
        source=Site,
        union=Site.union_id,
        where=(or_(Site.built_on.is_(None), Site.built_on <= period.end),),
        detail=(
            (Column("name", "名称", "text", 26), Site.name),
            (Column("kind", "类型", "text", 10), Site.kind),
            (Column("union", "所属工会", "text", 24), UnionOrg.name),
            (Column("level", "命名级别", "text", 8), Site.level),
            (Column("built", "建成日期", "date", 11), Site.built_on),
            (Column("open_24h", "24小时", "text", 6), Site.open_24h),
            (Column("investment", "投入金额（元）", "money", 12), Site.investment),
            (Column("status", "状态", "text", 6), Site.status),
        ),
        order_by=(Site.kind, Site.id),
        detail_source=Site.__table__.outerjoin(UnionOrg, UnionOrg.id == Site.union_id),
    )


def _grant_detail() -> tuple[tuple[Column, Any], ...]:
    return (
        (Column("code", "项目编号", "idno", 10), Grant.code),
        (Column("name", "项目名称", "text", 24), Grant.name),
        (Column("unit", "申报单位", "text", 22), Grant.unit),
        (Column("kind", "类型", "text", 10), Grant.kind),
        (Column("status", "状态", "text", 8), Grant.status),
        (Column("requested", "申请补助（元）", "money", 12), Grant.requested),
        (Column("approved", "批准金额（元）", "money", 12), Grant.approved_amount),
        (Column("approved_on", "批准日期", "date", 11), Grant.approved_on),
        (Column("accepted_on", "验收日期", "date", 11), Grant.accepted_on),
    )


def grant_fact() -> Fact:
    return Fact(
        name="补助项目",
        source=Grant,
        union=Grant.union_id,
        where=(),
        detail=_grant_detail(),
        order_by=(Grant.year, Grant.code),
    )


def _payments(period: Period) -> Fact:
    source = GrantPayment.__table__.join(Grant, Grant.id == GrantPayment.grant_id)
    return Fact(
        name="补助拨付",
        source=source,
        union=Grant.union_id,
        where=(GrantPayment.paid_on.between(period.start, period.end),),
        detail=(
            (Column("name", "项目名称", "text", 24), Grant.name),
            (Column("unit", "申报单位", "text", 22), Grant.unit),
            (Column("paid_on", "拨付日期", "date", 11), GrantPayment.paid_on),
            (Column("amount", "拨付金额（元）", "money", 12), GrantPayment.amount),
            (Column("voucher", "凭证号", "idno", 12), GrantPayment.voucher_no),
        ),
        order_by=(GrantPayment.paid_on, GrantPayment.id),
    )


def parts(period: Period, labels: Mapping[str, Mapping[str, str]]) -> list[PartSpec]:
    s = _sites(period)
    in_use = Site.status == "正常"
    sites = [
        Measure("total", "期末\n在用", s, in_use, width=7),
        *(Measure(key, f"其中{label}\n级命名", s, in_use & Site.level.contains(label), width=7)
          for key, label in LEVELS),
        Measure("built", "本期\n新建", s, Site.built_on.between(period.start, period.end), width=7),
        Measure("open_24h", "24小时\n开放", s, in_use & Site.open_24h, width=7),
        Measure("investment", "本期新建\n投入（万元）", s, Site.built_on.between(period.start, period.end),
                amount=func.coalesce(Site.investment, 0), kind="wan", width=10, detail_key="investment"),
    ]  # fmt: skip
    g, p = grant_fact(), _payments(period)
    approved = Grant.approved_on.between(period.start, period.end)
    accepted = Grant.accepted_on.between(period.start, period.end)
    grants = [
        Measure("applied", "本期\n申报", g, Grant.applied_on.between(period.start, period.end), width=7),
        Measure("approved", "本期\n批准", g, approved, width=7),
        Measure("approved_amount", "批准金额\n（万元）", g, approved,
                amount=func.coalesce(Grant.approved_amount, 0), kind="wan", width=9,
                detail_key="approved"),
        Measure("payments", "拨付\n笔数", p, width=7),
        Measure("paid", "拨付金额\n（万元）", p, amount=GrantPayment.amount, kind="wan", width=9,
                detail_key="amount"),
        Measure("accepted", "本期\n验收", g, accepted, width=7),
        Measure("passed", "其中\n合格", g, accepted & (Grant.acceptance_result == "合格"), width=7),
    ]  # fmt: skip
    money = "金额以万元为单位，保留两位小数；合计为各行未舍入金额之和再舍入。"
    return [
        PartSpec(
            SITES_TITLE,
            sites,
            rows=CodeRows(Site.kind, {k: k for k in SITE_KINDS}, first_label="阵地类型"),
            units="个、万元",
            notes=("期末在用为期末前建成（或未填建成日期）、现状为正常的阵地。", money),
        ),
        PartSpec(
            GRANTS_TITLE,
            grants,
            rows=CodeRows(Grant.kind, {}, first_label="补助类型"),
            units="个、笔、万元",
            notes=("申报、批准、验收按各自日期，拨付按拨付日期计入本期。", money),
        ),
    ]


def checks(built: list[Part], *_context: Any) -> list[str]:
    sites, grants = built
    out = checks_of_which(sites, [(k, "total") for k, _ in LEVELS] + [("open_24h", "total")])
    return out + checks_of_which(grants, [("passed", "accepted")])
