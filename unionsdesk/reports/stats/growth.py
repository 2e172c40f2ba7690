"""会员发展 (quarterly or annual): members at the end of the period, new members by
农民工 and 新就业形态 category, new grassroots unions and 会籍 changes — by the
unions under the scope."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import ColumnElement

from unionsdesk.db.models import Membership, MembershipEvent, Person
from unionsdesk.reports.stats.engine import Measure, Part, PartSpec, checks_of_which
from unionsdesk.reports.stats.facts import event_fact, member_fact, union_fact
from unionsdesk.reports.stats.period import Period

KEY = "members"
TITLE = "会员发展情况统计表"
SHORT = "会员发展"

FOCUS = (("01", "货车\n司机"), ("02", "快递员"), ("03", "外卖\n送餐员"), ("04", "网约车\n司机"))
EVENTS = (("in", "转入", ("2",)), ("out", "转出", ("4",)), ("kept", "保留\n会籍", ("3",)),
          ("left", "退会、\n除名", ("5", "6")))  # fmt: skip


def parts(period: Period, labels: Mapping[str, Mapping[str, str]]) -> list[PartSpec]:
    at_end = member_fact(period, labels, person=False)
    joined = member_fact(period, labels, joined=True)
    founded = union_fact(period, labels, founded=True)
    events = event_fact(period, labels)
    new_form: ColumnElement[bool] = Membership.new_employment.is_not(None)
    m = [
        Measure("members", "期末\n会员数", at_end, width=8),
        Measure("joined", "本期\n新入会", joined, width=7),
        Measure("women", "其中\n女性", joined, Person.sex == "女", width=6),
        Measure("migrant", "其中\n农民工", joined, Membership.migrant_worker.is_(True), width=7),
        Measure("new_form", "其中新就业\n形态劳动者", joined, new_form, width=9),
        *(
            Measure(f"cat{code}", label, joined, Membership.new_employment == code, width=7)
            for code, label in FOCUS
        ),
        Measure(
            "cat_other",
            "其他新就业\n形态",
            joined,
            new_form & Membership.new_employment.not_in([c for c, _ in FOCUS]),
            width=8,
        ),
        Measure("unions", "本期新建\n基层工会", founded, width=8),
        *(
            Measure(key, label, events, MembershipEvent.kind.in_(kinds), width=7)
            for key, label, kinds in EVENTS
        ),
    ]
    return [
        PartSpec(
            TITLE,
            m,
            first_label="单位",
            units="人、个",
            notes=(
                "期末会员数为当前在册、入会日期不晚于期末的会员；本期新入会按入会日期计；"
                "会籍变化按变化日期计，记在会员所在（或转出前）的工会。",
            ),
        )
    ]


def checks(built: list[Part], *_context: object) -> list[str]:
    part = built[0]
    pairs = [("women", "joined"), ("migrant", "joined"), ("new_form", "joined"),
             *((f"cat{c}", "new_form") for c, _ in FOCUS), ("cat_other", "new_form")]  # fmt: skip
    out = checks_of_which(part, pairs)
    idx = part.table.column_index
    for r in [*part.table.rows, part.table.totals or []]:
        if not r:
            continue
        cats = sum(int(r[idx[f"cat{c}"]]) for c, _ in FOCUS) + int(r[idx["cat_other"]])  # type: ignore[call-overload]
        if cats != r[idx["new_form"]]:
            out.append(f"“{r[0]}”：新就业形态各类别之和不等于新就业形态劳动者人数")
    return out
