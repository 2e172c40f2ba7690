"""The 维权 registers on the register framework: disputes (调解台账), mediators
(调解委员会), legal-aid, service-days (三师一室) and suggestions (职工意见建议).

Disputes and legal aid are private (`Register.read_permission` = ``RIGHTS``,
维权查看, which comes with the role): every read and write, import and undo,
export, printed list and 人员档案 section needs it on top of the role's own rights,
checked by the register framework in the service; opening a record's full detail
is written to the audit log (`Register.audit_views`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import RegisterRow, UnionOrg
from unionsdesk.db.models_rights import Dispute, LegalAid, Mediator, ServiceDay, Suggestion
from unionsdesk.errors import ValidationError
from unionsdesk.registers import VOIDED, FilterSpec, RecordRow, Register, register
from unionsdesk.services.common.base import RIGHTS, CurrentUser
from unionsdesk.services.rights import specs
from unionsdesk.services.rights.disputes import (
    CASE_SERIES,
    RED_DAY,
    STATE_TEXT,
    case_format,
    days_open,
    deadline_state,
    format_case_no,
)
from unionsdesk.table import Column, Table

AREA = "rights"
OPEN = "open"  # the disputes' 办理情况 filter
OPEN_CHOICES = ("未结案", "可申请仲裁", "已结案")


# --- 调解台账 ---------------------------------------------------------------------------------


def _mediator_id(s: Session, name: str | None, on: date, current: int | None) -> int | None:
    """The roll member called ``name`` serving on ``on``. The case's current mediator
    stays assignable after the term ended (the case was assigned while it ran)."""
    if not name:
        return None
    rows = list(
        s.scalars(select(Mediator).where(Mediator.name == name, Mediator.voided.is_(False)))
    )
    if not rows:
        raise ValidationError({"mediator": f"调解委员会名册中没有“{name}”"})
    for m in rows:
        if m.id == current:
            return m.id
    serving = [m for m in rows if m.term_start <= on <= m.term_end]
    if serving:
        return serving[0].id
    m = max(rows, key=lambda r: r.term_end)
    when = (
        f"任期已于{m.term_end:%Y年%m月%d日}结束"
        if m.term_end < on
        else f"任期自{m.term_start:%Y年%m月%d日}开始"
    )
    raise ValidationError({"mediator": f"“{name}”{when}，不能指派为调解员"})


def check_closing(clean: dict[str, Any], today: date) -> None:
    """受理日期 not in the future; a closed case needs a 结果 (a 结果 closes the case
    today unless a 结案日期 is given); 达成协议 needs 协议金额; collective → 涉及人数."""
    errors: dict[str, str] = {}
    received: date = clean["received_on"]
    if received > today:
        errors["received_on"] = "受理日期不能晚于今天"
    if clean.get("result") and clean.get("closed_on") is None:
        clean["closed_on"] = today
    closed: date | None = clean.get("closed_on")
    if closed is not None:
        if not clean.get("result"):
            errors["result"] = "结案须填写调解结果"
        if closed < received:
            errors["closed_on"] = "结案日期不能早于受理日期"
        elif closed > today:
            errors["closed_on"] = "结案日期不能晚于今天"
    if clean.get("result") == "达成协议" and clean.get("agreement_amount") is None:
        errors["agreement_amount"] = "达成协议须填写协议金额（无金额的填 0）"
    if clean.get("result") not in (None, "达成协议") and clean.get("agreement_amount"):
        errors["agreement_amount"] = "只有“达成协议”的案件才填写协议金额"
    if clean.get("collective") and not clean.get("people_involved"):
        errors["people_involved"] = "集体争议须填写涉及人数"
    if clean.get("people_involved") is not None and clean["people_involved"] < 1:
        errors["people_involved"] = "涉及人数应大于0"
    for name in ("claim_amount", "agreement_amount"):
        if (clean.get(name) or 0) < 0:
            errors[name] = f"{specs.DISPUTE[name].label}不能为负数"
    if errors:
        raise ValidationError(errors)


class Disputes(Register):
    name = "disputes"
    label = "劳动争议调解"
    spec = specs.DISPUTE
    model = Dispute
    area = AREA
    unit = "件"
    list_fields = ("case_no", "received_on", "name", "respondent", "dispute_types", "mediator",
                   "days", "status", "closed_on")  # fmt: skip
    export_fields = ("case_no", "received_on", "days", "status", *(f.name for f in specs.DISPUTE.fields if f.name != "received_on"))  # fmt: skip
    print_fields = ("case_no", "received_on", "name", "respondent", "dispute_types", "claim_amount",
                    "mediator", "days", "status", "agreement_amount", "closed_on")  # fmt: skip
    filters = ("received_on", "request_mode", "result", "collective", VOIDED)
    search_fields = ("name", "case_no", "respondent")
    person = ("name", "id_number")
    summed = ("claim_amount", "agreement_amount")
    year_column = "received_on"
    read_permission = RIGHTS
    audit_views = True
    gapless_numbers = True  # 案号: an undone import's cases are voided, keeping their numbers

    @property
    def list_title(self) -> str:
        return "劳动争议调解台账"

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"调解案件“{values.get('case_no') or values.get('name') or ''}”"

    def defaults(self) -> dict[str, Any]:
        return {"received_on": date.today(), "request_mode": "书面"}

    def extra_columns(self) -> list[Column]:
        return [
            Column("case_no", "案号", "text", 20),
            Column("days", "已用天数", "int", 6),
            Column("status", "状态", "text", 16),
        ]

    def filter_specs(self) -> list[FilterSpec]:
        return [
            FilterSpec(OPEN, "办理情况", "choice", None, choices=OPEN_CHOICES),
            *super().filter_specs(),
        ]

    def ids_query(self, s: Session, text: str, filters: Mapping[str, Any]) -> Select[Any]:
        q = super().ids_query(s, text, filters)
        wanted = filters.get(OPEN)
        if wanted == "已结案":
            q = q.where(Dispute.closed_on.is_not(None))
        elif wanted in ("未结案", "可申请仲裁"):
            q = q.where(Dispute.closed_on.is_(None))
            if wanted == "可申请仲裁":
                q = q.where(
                    Dispute.received_on <= date.fromordinal(date.today().toordinal() - RED_DAY)
                )
        return q

    def read_many(self, s: Session, objs: Sequence[RegisterRow]) -> dict[int, dict[str, Any]]:
        out = super().read_many(s, objs)
        ids = sorted({o.mediator_id for o in objs if o.mediator_id})  # type: ignore[attr-defined]
        names = dict(s.execute(select(Mediator.id, Mediator.name).where(Mediator.id.in_(ids))).tuples().all()) if ids else {}  # fmt: skip
        for o in objs:
            out[o.id]["mediator"] = names.get(o.mediator_id)  # type: ignore[attr-defined]
            out[o.id]["case_no"] = o.case_no  # type: ignore[attr-defined]
        return out

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        today = date.today()
        ids = [r.id for r in rows]
        found: dict[int, tuple[str, date, date | None, str | None]] = {}
        from unionsdesk.services.common.persons import chunks

        for part in chunks(ids):
            q = select(
                Dispute.id, Dispute.case_no, Dispute.received_on, Dispute.closed_on, Dispute.result
            )
            found.update(
                {
                    i: (c, r, cl, res)
                    for i, c, r, cl, res in s.execute(q.where(Dispute.id.in_(part)))
                }
            )
        for row in rows:
            case_no, received, closed, result = found[row.id]
            state = deadline_state(received, closed, today)
            row.values["case_no"] = case_no
            row.values["days"] = days_open(received, closed or today)
            row.values["state"] = state
            row.values["status"] = (
                f"已结案（{result}）" if state == "closed" and result else STATE_TEXT[state]
            )

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        today = date.today()
        check_closing(clean, today)
        current = s.get(Dispute, record_id) if record_id is not None else None
        if current is not None and clean["received_on"].year != current.case_year:
            raise ValidationError(
                {"received_on": f"受理日期不能改到案号年度（{current.case_year}年）以外"}
            )
        clean["mediator_id"] = _mediator_id(
            s, clean.get("mediator"), today, current.mediator_id if current else None
        )
        code = clean.get("respondent_code")
        clean["respondent_union_id"] = (
            s.scalar(select(UnionOrg.id).where(UnionOrg.unit_credit_code == code)) if code else None
        )

    def apply(
        self, s: Session, actor: CurrentUser, obj: RegisterRow, clean: Mapping[str, Any]
    ) -> None:
        from unionsdesk.services.aid.receipts import next_number

        super().apply(s, actor, obj, clean)
        d: Dispute = obj  # type: ignore[assignment]
        if d.case_no is None:  # a new case: the next number of the year, gapless
            year = d.received_on.year
            seq = next_number(s, actor, CASE_SERIES, year)
            d.case_year, d.case_seq, d.case_no = (
                year,
                seq,
                format_case_no(case_format(s), year, seq),
            )

    def table(self, db: Database, actor: CurrentUser, **kw: Any) -> Table:
        from dataclasses import replace

        out = super().table(db, actor, **kw)
        if out.totals is not None and "days" in out.column_index:
            totals = list(out.totals)
            totals[out.column_index["days"]] = None  # a sum of day counts means nothing
            out = replace(out, totals=totals)
        return out


DISPUTES = register(Disputes())


class Mediators(Register):
    name = "mediators"
    label = "调解委员会成员"
    spec = specs.MEDIATOR
    model = Mediator
    area = AREA
    unit = "人"
    list_fields = ("name", "role", "unit", "phone", "term_start", "term_end", "serving")
    filters = ("role", VOIDED)
    search_fields = ("name", "unit")
    newest_first = False

    def extra_columns(self) -> list[Column]:
        return [Column("serving", "任期状态", "text", 8)]

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        today = date.today()
        terms = dict(
            (i, (a, b))
            for i, a, b in s.execute(
                select(Mediator.id, Mediator.term_start, Mediator.term_end).where(
                    Mediator.id.in_([r.id for r in rows])
                )
            )
        )
        for row in rows:
            start, end = terms[row.id]
            row.values["serving"] = (
                "在任" if start <= today <= end else ("已期满" if end < today else "未到任")
            )

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"调解委员会成员“{values.get('name') or ''}”"

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        if clean["term_end"] < clean["term_start"]:
            raise ValidationError({"term_end": "任期结束不能早于任期开始"})
        q = select(Mediator.id).where(
            Mediator.name == clean["name"],
            Mediator.term_start == clean["term_start"],
            Mediator.voided.is_(False),
        )
        if record_id is not None:
            q = q.where(Mediator.id != record_id)
        if s.scalar(q.limit(1)) is not None:
            raise ValidationError({"name": f"“{clean['name']}”的这一届任期已登记"})

    def duplicate_key(self, clean: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return (clean["name"], clean["term_start"])

    def check_void(self, s: Session, obj: RegisterRow) -> None:
        from unionsdesk.errors import UserError

        used = s.scalar(
            select(Dispute.case_no)
            .where(Dispute.mediator_id == obj.id, Dispute.closed_on.is_(None))
            .limit(1)
        )
        if used is not None:
            raise UserError(f"该调解员还有未结案件（{used}），请先改派")


MEDIATORS = register(Mediators())


def _not_after_today(clean: Mapping[str, Any], *names: str) -> None:
    today = date.today()
    errors = {n: "日期不能晚于今天" for n in names if clean.get(n) and clean[n] > today}
    if errors:
        raise ValidationError(errors)


class LegalAids(Register):
    name = "legal-aid"
    label = "法律援助"
    spec = specs.LEGAL_AID
    model = LegalAid
    area = AREA
    unit = "件"
    list_fields = (
        "received_on",
        "name",
        "cause",
        "mode",
        "lawyer",
        "result",
        "recovered",
        "closed_on",
    )
    filters = ("received_on", "mode", VOIDED)
    search_fields = ("name", "cause", "lawyer")
    person = ("name", "id_number")
    year_column = "received_on"
    read_permission = RIGHTS
    audit_views = True

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"法律援助“{values.get('name') or ''} {values.get('cause') or ''}”"

    def defaults(self) -> dict[str, Any]:
        return {"received_on": date.today(), "mode": "咨询"}

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        _not_after_today(clean, "received_on", "closed_on")
        errors = {}
        if clean["closed_on"] and clean["closed_on"] < clean["received_on"]:
            errors["closed_on"] = "结案日期不能早于受理日期"
        if (clean["recovered"] or 0) < 0:
            errors["recovered"] = "挽回金额不能为负数"
        if errors:
            raise ValidationError(errors)


LEGAL_AID = register(LegalAids())


class ServiceDays(Register):
    name = "service-days"
    label = "三师一室服务记录"
    spec = specs.SERVICE_DAY
    model = ServiceDay
    area = AREA
    list_fields = ("on", "place", "service_type", "target", "matter", "server", "people")
    filters = ("on", "service_type", VOIDED)
    search_fields = ("place", "target", "matter", "server")
    summed = ("people",)
    year_column = "on"

    def describe(self, values: Mapping[str, Any]) -> str:
        when = values.get("on")
        return f"服务记录“{when:%Y-%m-%d} {values.get('place') or ''}”" if when else "服务记录"

    def defaults(self) -> dict[str, Any]:
        return {"on": date.today()}

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        _not_after_today(clean, "on")
        if clean["people"] is not None and clean["people"] < 0:
            raise ValidationError({"people": "服务人次不能为负数"})


SERVICE_DAYS = register(ServiceDays())


class Suggestions(Register):
    name = "suggestions"
    label = "职工意见建议"
    spec = specs.SUGGESTION
    model = Suggestion
    area = AREA
    list_fields = ("received_on", "proposer", "unit", "category", "referred_to", "closed_on",
                   "satisfaction", "overdue")  # fmt: skip
    filters = ("received_on", "channel", "category", "satisfaction", VOIDED)
    search_fields = ("proposer", "unit", "content", "referred_to")
    year_column = "received_on"

    def extra_columns(self) -> list[Column]:
        return [Column("overdue", "办理情况", "text", 10)]

    def decorate_rows(self, s: Session, rows: list[RecordRow]) -> None:
        from unionsdesk.db.models import Setting

        stored = s.scalar(select(Setting.value).where(Setting.key == SUGGESTION_DAYS))
        days = _days(stored)
        today = date.today()
        dates = {
            i: (a, b)
            for i, a, b in s.execute(
                select(Suggestion.id, Suggestion.received_on, Suggestion.closed_on).where(
                    Suggestion.id.in_([r.id for r in rows])
                )
            )
        }
        for row in rows:
            received, closed = dates[row.id]
            late = suggestion_overdue(received, closed, days, today)
            row.values["overdue"] = (
                "已办结"
                if closed
                else (f"超期（{(today - received).days}天）" if late else "办理中")
            )
            row.values["late"] = late

    def describe(self, values: Mapping[str, Any]) -> str:
        return f"意见建议“{values.get('proposer') or ''}”"

    def defaults(self) -> dict[str, Any]:
        return {"received_on": date.today()}

    def check(
        self, s: Session, clean: dict[str, Any], record_id: int | None, parent_id: int | None
    ) -> None:
        _not_after_today(clean, "received_on", "closed_on")
        if clean["closed_on"] and clean["closed_on"] < clean["received_on"]:
            raise ValidationError({"closed_on": "办结日期不能早于收到日期"})
        if clean["closed_on"] and not clean["reply"]:
            raise ValidationError({"reply": "办结须填写答复"})


SUGGESTIONS = register(Suggestions())

SUGGESTION_DAYS = "rights.suggestion_days"  # overdue when open longer than this
DEFAULT_SUGGESTION_DAYS = 15


def _days(stored: str | None) -> int:
    try:
        return max(1, int(stored or DEFAULT_SUGGESTION_DAYS))
    except ValueError:
        return DEFAULT_SUGGESTION_DAYS


def suggestion_days(db: Database) -> int:
    from unionsdesk.services.common.settings import get_setting

    return _days(get_setting(db, SUGGESTION_DAYS))


def set_suggestion_days(db: Database, actor: CurrentUser, days: object) -> int:
    from unionsdesk.domain.readers import read_int
    from unionsdesk.services.common.settings import set_settings

    try:
        n = read_int(days)
    except ValueError:
        raise ValidationError({"suggestion_days": "办理期限应为天数（整数）"}) from None
    if not 1 <= n <= 365:
        raise ValidationError({"suggestion_days": "办理期限应在1到365天之间"})
    set_settings(db, actor, {SUGGESTION_DAYS: str(n)})
    return n


def suggestion_overdue(received_on: date, closed_on: date | None, days: int, today: date) -> bool:
    """Open for more than ``days`` calendar days."""
    return closed_on is None and (today - received_on).days > days
