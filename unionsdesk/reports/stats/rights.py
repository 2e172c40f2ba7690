"""维权 (quarterly or annual): 劳动争议调解 cases received, closed (with agreement, sent
to arbitration), still pending, collective disputes and money — by the union of the
employer (被申请人) — and 法律援助 cases by kind of aid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func

from unionsdesk.db.models import UnionOrg
from unionsdesk.db.models_rights import Dispute, LegalAid
from unionsdesk.reports.stats.engine import CodeRows, Fact, Measure, Part, PartSpec, checks_of_which
from unionsdesk.reports.stats.period import Period
from unionsdesk.services.rights.specs import AID_MODES
from unionsdesk.table import Column

KEY = "rights"
TITLE = "维权工作统计表"
DISPUTES_TITLE = "维权工作统计表（一）劳动争议调解"
AID_TITLE = "维权工作统计表（二）法律援助"


def dispute_fact() -> Fact:
    return Fact(
        name="劳动争议",
        private=True,
        source=Dispute,
        union=Dispute.respondent_union_id,
        where=(),
        detail=(
            (Column("case_no", "案号", "text", 22), Dispute.case_no),
            (Column("name", "申请人", "text", 10), Dispute.name),
            (Column("respondent", "被申请人", "text", 26), Dispute.respondent),
            (Column("union", "所属工会", "text", 22), UnionOrg.name),
            (Column("types", "争议类型", "text", 18), Dispute.dispute_types),
            (Column("received", "受理日期", "date", 11), Dispute.received_on),
            (Column("collective", "集体争议", "text", 6), Dispute.collective),
            (Column("people", "涉及人数", "int", 8), Dispute.people_involved),
            (Column("claim", "涉案金额（元）", "money", 12), Dispute.claim_amount),
            (Column("result", "结果", "text", 8), Dispute.result),
            (Column("agreement", "协议金额（元）", "money", 12), Dispute.agreement_amount),
            (Column("closed", "结案日期", "date", 11), Dispute.closed_on),
        ),
        order_by=(Dispute.received_on, Dispute.id),
        detail_source=Dispute.__table__.outerjoin(
            UnionOrg, UnionOrg.id == Dispute.respondent_union_id
        ),
    )


def _legal_aid() -> Fact:
    return Fact(
        name="法律援助",
        private=True,
        source=LegalAid,
        union=None,
        where=(),
        detail=(
            (Column("name", "受援人", "text", 10), LegalAid.name),
            (Column("cause", "案由", "text", 24), LegalAid.cause),
            (Column("mode", "援助方式", "text", 10), LegalAid.mode),
            (Column("lawyer", "承办律师", "text", 10), LegalAid.lawyer),
            (Column("received", "受理日期", "date", 11), LegalAid.received_on),
            (Column("closed", "结案日期", "date", 11), LegalAid.closed_on),
            (Column("recovered", "挽回金额（元）", "money", 12), LegalAid.recovered),
        ),
        order_by=(LegalAid.received_on, LegalAid.id),
    )


def parts(period: Period, labels: Mapping[str, Mapping[str, str]]) -> list[PartSpec]:
    d = dispute_fact()
    received = Dispute.received_on.between(period.start, period.end)
    closed = Dispute.closed_on.between(period.start, period.end)
    pending = (Dispute.received_on <= period.end) & (
        Dispute.closed_on.is_(None) | (Dispute.closed_on > period.end)
    )
    agreed = closed & (Dispute.result == "达成协议")
    disputes = [
        Measure("received", "本期\n受理", d, received, width=7),
        Measure("closed", "本期\n结案", d, closed, width=7),
        Measure("agreed", "其中\n达成协议", d, agreed, width=8),
        Measure("arbitration", "其中\n转仲裁", d, closed & (Dispute.result == "转仲裁"), width=7),
        Measure("pending", "期末\n未结", d, pending, width=7),
        Measure("collective", "集体\n争议", d, received & Dispute.collective, width=7),
        Measure("people", "集体争议\n涉及人数", d, received & Dispute.collective,
                amount=func.coalesce(Dispute.people_involved, 0), width=8, detail_key="people"),
        Measure("claim", "涉案金额\n（万元）", d, received, amount=func.coalesce(Dispute.claim_amount, 0),
                kind="wan", width=9, detail_key="claim"),
        Measure("agreement", "协议金额\n（万元）", d, agreed,
                amount=func.coalesce(Dispute.agreement_amount, 0), kind="wan", width=9,
                detail_key="agreement"),
    ]  # fmt: skip
    a = _legal_aid()
    aid = [
        Measure("received", "本期受理", a, LegalAid.received_on.between(period.start, period.end)),
        Measure("closed", "本期结案", a, LegalAid.closed_on.between(period.start, period.end)),
        Measure("recovered", "挽回金额\n（万元）", a, LegalAid.closed_on.between(period.start, period.end),
                amount=func.coalesce(LegalAid.recovered, 0), kind="wan", width=9,
                detail_key="recovered"),
    ]  # fmt: skip
    money_note = "金额以万元为单位，保留两位小数；合计为各行未舍入金额之和再舍入。"
    return [
        PartSpec(
            DISPUTES_TITLE,
            disputes,
            first_label="被申请人所属工会",
            units="件、人、万元",
            notes=(
                "按被申请人（用人单位）所属工会统计；未登记所属工会的计入“（未归属工会）”。",
                "受理按受理日期、结案按结案日期计；期末未结为期末前受理、期末仍未结案的案件。",
                money_note,
            ),
        ),
        PartSpec(
            AID_TITLE,
            aid,
            rows=CodeRows(LegalAid.mode, {m: m for m in AID_MODES}, first_label="援助方式"),
            units="件、万元",
            notes=("法律援助不按工会登记，只在全县统计中计入。", money_note),
        ),
    ]


def checks(built: list[Part], *_context: Any) -> list[str]:
    disputes = built[0]
    out = checks_of_which(disputes, [("agreed", "closed"), ("arbitration", "closed")])
    idx = disputes.table.column_index
    for r in [*disputes.table.rows, disputes.table.totals or []]:
        if r and int(r[idx["agreed"]]) + int(r[idx["arbitration"]]) > int(r[idx["closed"]]):  # type: ignore[call-overload]
            out.append(f"“{r[0]}”：达成协议与转仲裁之和大于结案件数")
    return out
