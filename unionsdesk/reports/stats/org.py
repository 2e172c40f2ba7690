"""工会组织建设 (annual): grassroots unions by kind of employer, 职工 and 会员 with
women, 农民工 and 新就业形态, 联合基层工会, 专职主席 and 经审 — by the unions under
the scope. The program keeps no register yet of 职代会, 厂务公开, 劳动争议调解委员会,
劳动保护监督检查委员会 or 职工董事; those columns are left out and named in the note."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func

from unionsdesk.db.models import Membership, Person, UnionOrg
from unionsdesk.reports.stats.engine import Measure, Part, PartSpec, checks_of_which
from unionsdesk.reports.stats.facts import member_fact, union_fact
from unionsdesk.reports.stats.period import Period

KEY = "org"
TITLE = "工会组织建设统计表"
SHORT = "工会组织建设"

# 单位类别 codes (DOMAIN.md §3) → the yearbook's columns.
CATEGORY_GROUPS = (
    ("domestic", "企业\n内资", ("110", "120", "130", "140", "151", "159", "161", "169", "170", "190")),
    ("hmt", "企业\n港澳台", ("200",)),
    ("foreign", "企业\n外资", ("300",)),
    ("institution", "事业\n单位", ("400",)),
    ("organ", "机关", ("500",)),
    ("individual", "个体经济\n组织", ("600",)),
    ("social", "社会\n组织", ("700",)),
)  # fmt: skip
ALL_CODES = tuple(c for _k, _l, codes in CATEGORY_GROUPS for c in codes)
MISSING = (
    "职代会制度单位、职工代表人数、厂务公开单位、劳动争议调解委员会、劳动保护监督检查委员会、"
    "劳动法律监督组织、董事会/职工董事、女职工委员会"
)


def parts(period: Period, labels: Mapping[str, Mapping[str, str]]) -> list[PartSpec]:
    unions = union_fact(period, labels)
    members = member_fact(period, labels)
    m = [Measure("unions", "基层工会\n数", unions, width=8)]
    m += [
        Measure(key, label, unions, UnionOrg.unit_category.in_(codes), width=7)
        for key, label, codes in CATEGORY_GROUPS
    ]
    m += [
        Measure(
            "uncategorised",
            "未填\n单位类别",
            unions,
            UnionOrg.unit_category.is_(None) | UnionOrg.unit_category.not_in(ALL_CODES),
            width=7,
        ),
        Measure("joint", "其中联合\n基层工会", unions, UnionOrg.org_type == "02", width=8),
        Measure("staff", "职工\n人数", unions, amount=func.coalesce(UnionOrg.staff_count, 0),
                width=8, detail_key="staff"),
        Measure("female_staff", "其中\n女职工", unions,
                amount=func.coalesce(UnionOrg.female_staff, 0), width=7, detail_key="female_staff"),
        Measure("members", "会员\n人数", members, width=8),
        Measure("women", "其中\n女会员", members, Person.sex == "女", width=7),
        Measure("migrant", "其中农民工\n会员", members, Membership.migrant_worker.is_(True), width=8),
        Measure("new_form", "其中新就业\n形态会员", members, Membership.new_employment.is_not(None), width=8),
        Measure("fulltime", "专职工会\n主席", unions, UnionOrg.chair_fulltime.is_(True), width=7),
        Measure("auditor", "配备经审\n人员", unions,
                func.coalesce(UnionOrg.auditor_name, "") != "", width=7),
    ]  # fmt: skip
    return [
        PartSpec(
            TITLE,
            m,
            first_label="单位",
            units="个、人",
            notes=(
                "基层工会不含县总工会、乡镇（街道）工会、产业（系统）工会和区域性/行业性工会联合会；"
                "按期末存续的工会计（期末以后撤销、合并的仍计入）。",
                "会员人数为当前在册、入会日期不晚于期末的会员；职工人数、女职工取自基层工会登记的数字。",
                f"本程序尚未登记以下项目，本表未列：{MISSING}；专职、兼职工会工作人员只登记了"
                "工会主席是否专职，本表只列专职工会主席。",
            ),
        )
    ]


def checks(built: list[Part], *_context: object) -> list[str]:
    part = built[0]
    out = checks_of_which(
        part,
        [("women", "members"), ("migrant", "members"), ("new_form", "members"),
         ("female_staff", "staff"), ("joint", "unions"), ("fulltime", "unions"),
         ("auditor", "unions")],
    )  # fmt: skip
    idx = part.table.column_index
    keys = [k for k, _l, _c in CATEGORY_GROUPS] + ["uncategorised"]
    for r in [*part.table.rows, part.table.totals or []]:
        if r and sum(int(r[idx[k]]) for k in keys) != r[idx["unions"]]:  # type: ignore[call-overload]
            out.append(f"“{r[0]}”：各单位类别之和不等于基层工会数")
    return out
