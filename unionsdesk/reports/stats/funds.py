"""经费收缴 (quarterly or annual): the 2 % levy by the unions under the scope — payers,
wage bill, due, paid (of which collected by the tax bureau, and 筹备金), and how the
paid levy was shared — and member dues (人次 due, paid, amount)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import String, cast, func

from unionsdesk.db.models import UnionOrg
from unionsdesk.db.models_funds import Dues, Levy
from unionsdesk.reports.stats.engine import Fact, Measure, Part, PartSpec, checks_of_which
from unionsdesk.reports.stats.period import Period
from unionsdesk.table import Column

KEY = "funds"
TITLE = "工会经费收缴统计表"
LEVY_TITLE = "工会经费收缴统计表（一）拨缴经费"
DUES_TITLE = "工会经费收缴统计表（二）会员会费"
SHARES = (("share_grassroots", "基层\n留成"), ("share_county", "县总\n分成"),
          ("share_city", "市总\n分成"), ("share_province", "省总\n分成"), ("share_national", "全总\n分成"))  # fmt: skip


def month_text(year: Any, month: Any) -> Any:
    """2026年3月, in SQL (|| on SQLite and PostgreSQL alike)."""
    return cast(year, String) + "年" + cast(month, String) + "月"


def _in_period(period: Period, year: Any, month: Any) -> Any:
    first = period.start.year * 100 + period.start.month
    last = period.end.year * 100 + period.end.month
    return (year * 100 + month).between(first, last)


def _levies(period: Period) -> Fact:
    return Fact(
        name="拨缴经费",
        source=Levy,
        union=Levy.union_id,
        where=(_in_period(period, Levy.year, Levy.month),),
        detail=(
            (Column("payer", "缴费单位", "text", 26), Levy.payer_name),
            (Column("code", "统一社会信用代码", "idno", 20), Levy.credit_code),
            (Column("month", "所属月份", "text", 9), month_text(Levy.year, Levy.month)),
            (Column("wages", "工资总额（元）", "money", 14), Levy.wage_total),
            (Column("due", "应缴（元）", "money", 12), Levy.due),
            (Column("paid", "实缴（元）", "money", 12), Levy.paid),
            (Column("tax", "税务代收", "text", 6), Levy.tax_collected),
            (Column("preparatory", "筹备金", "text", 6), Levy.preparatory),
            *((Column(key, label.replace("\n", "") + "（元）", "money", 10), getattr(Levy, key))
              for key, label in SHARES),
        ),
        order_by=(Levy.year, Levy.month, Levy.id),
        person=Levy.payer_key,  # 缴费单位数: distinct payers
        person_detail=(
            (Column("payer", "缴费单位", "text", 26), func.min(Levy.payer_name)),
            (Column("months", "缴费月数", "int", 8), func.count(Levy.id)),
            (Column("paid", "实缴（元）", "money", 12), func.sum(Levy.paid)),
        ),
    )  # fmt: skip


def _dues(period: Period) -> Fact:
    return Fact(
        name="会员会费",
        source=Dues,
        union=Dues.union_id,
        where=(_in_period(period, Dues.year, Dues.month),),
        detail=(
            (Column("name", "姓名", "text", 10), Dues.name),
            (Column("union", "工会", "text", 26), UnionOrg.name),
            (Column("month", "月份", "text", 9), month_text(Dues.year, Dues.month)),
            (Column("base", "工资基数（元）", "money", 12), Dues.wage_base),
            (Column("amount", "会费（元）", "money", 10), Dues.amount),
            (Column("waived", "免缴", "text", 6), Dues.waived),
            (Column("paid", "已缴", "text", 6), Dues.paid),
        ),
        order_by=(Dues.year, Dues.month, Dues.id),
        detail_source=Dues.__table__.join(UnionOrg, UnionOrg.id == Dues.union_id),
    )


def parts(period: Period, labels: Mapping[str, Mapping[str, str]]) -> list[PartSpec]:
    lv = _levies(period)
    paid = Levy.paid
    levy = [
        Measure("payers", "缴费\n单位数", lv, distinct=True, width=7),
        Measure("wages", "工资总额\n（万元）", lv, amount=Levy.wage_total, kind="wan", width=10,
                detail_key="wages"),
        Measure("due", "应缴\n（万元）", lv, amount=Levy.due, kind="wan", width=9, detail_key="due"),
        Measure("paid", "实缴\n（万元）", lv, amount=paid, kind="wan", width=9, detail_key="paid"),
        Measure("tax", "其中\n税务代收", lv, Levy.tax_collected, amount=paid, kind="wan", width=9,
                detail_key="paid"),
        Measure("preparatory", "其中\n筹备金", lv, Levy.preparatory, amount=paid, kind="wan", width=9,
                detail_key="paid"),
        *(Measure(key, label, lv, amount=getattr(Levy, key), kind="wan", width=8, detail_key=key)
          for key, label in SHARES),
    ]  # fmt: skip
    d = _dues(period)
    dues = [
        Measure("due", "应缴人次", d, Dues.waived.is_(False), width=8),
        Measure("paid", "已缴人次", d, Dues.paid.is_(True) & Dues.waived.is_(False), width=8),
        Measure("waived", "免缴人次\n（保留会籍）", d, Dues.waived.is_(True), width=9),
        Measure("amount", "已缴会费\n（万元）", d, Dues.paid.is_(True), amount=Dues.amount, kind="wan",
                width=9, detail_key="amount"),
    ]  # fmt: skip
    money = "金额以万元为单位，保留两位小数；合计为各行未舍入金额之和再舍入。"
    return [
        PartSpec(
            LEVY_TITLE,
            levy,
            first_label="单位",
            units="个、万元",
            notes=("按缴费所属月份计入本期；未建工会单位缴纳的筹备金计入“（未归属工会）”。", money),
        ),
        PartSpec(DUES_TITLE, dues, first_label="单位", units="人次、万元", notes=(money,)),
    ]


def checks(built: list[Part], *_context: Any) -> list[str]:
    levy, dues = built
    out = checks_of_which(levy, [("tax", "paid"), ("preparatory", "paid")])
    out += checks_of_which(dues, [("paid", "due")])
    idx = levy.table.column_index
    for r in [*levy.table.rows, levy.table.totals or []]:
        if r and sum(int(r[idx[k]]) for k, _ in SHARES) != r[idx["paid"]]:  # type: ignore[call-overload]
            out.append(f"拨缴经费“{r[0]}”：各级分成之和不等于实缴金额")
    return out
