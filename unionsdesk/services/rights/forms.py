"""Printed forms of the 维权 area: 调解申请书 and 调解协议书 (the 调解台账 list is the
register's printed list: ``print list disputes --year 2026``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Office, Person
from unionsdesk.db.models_rights import Dispute, Mediator
from unionsdesk.domain.mask import mask_id
from unionsdesk.errors import UserError
from unionsdesk.services.common.base import PII, RIGHTS, CurrentUser, audit, writing

if TYPE_CHECKING:
    from unionsdesk.printing.mediation import MediationCase


def _committee(office: str) -> str:
    return f"{office}劳动争议调解委员会"


def mediation_case(db: Database, actor: CurrentUser, case_no: str, kind: str) -> MediationCase:
    """The `printing.mediation.MediationCase` of a case, recording the print (audited)."""
    from sqlalchemy import func, select

    from unionsdesk.db.models import AuditLog
    from unionsdesk.printing.mediation import MediationCase

    actor.require(RIGHTS)
    with writing(db, actor, RIGHTS) as s:
        d = s.scalar(
            select(Dispute).where(Dispute.case_no == case_no.strip(), Dispute.voided.is_(False))
        )
        if d is None:
            raise UserError(f"没有案号为“{case_no}”的调解案件")
        if kind == "agreement" and d.result != "达成协议":
            raise UserError(f"{d.case_no}的结果不是“达成协议”，不能打印调解协议书")
        person = s.get(Person, d.person_id)
        assert person is not None
        mediator = s.get(Mediator, d.mediator_id) if d.mediator_id else None
        office = s.scalar(select(Office.name).order_by(Office.id)) or ""
        what = "调解协议书" if kind == "agreement" else "调解申请书"
        printed = s.scalar(
            select(func.count(AuditLog.id)).where(
                AuditLog.entity == "dispute", AuditLog.entity_id == d.id,
                AuditLog.action.in_(("print", "reprint")), AuditLog.summary.like(f"%{what}%"),
            )
        )  # fmt: skip
        audit(s, actor, "reprint" if printed else "print", "dispute", d.id,
              summary=f"{'补打' if printed else '打印'}{what} {d.case_no}")  # fmt: skip
        pii = actor.can(PII)
        return MediationCase(
            committee=_committee(office), case_no=d.case_no, received_on=d.received_on,
            request_mode=d.request_mode, applicant=person.name, applicant_sex=person.sex,
            applicant_birth=person.birth_date,
            applicant_id=person.id_number if pii else mask_id(person.id_number),
            applicant_phone=(d.phone or "") if pii else "",
            applicant_job=d.job or "", respondent=d.respondent,
            respondent_code=d.respondent_code or "", respondent_rep=d.respondent_rep or "",
            dispute_types=d.dispute_types, request=d.request or "", facts=d.facts or "",
            mediator=mediator.name if mediator else "", agreement_terms=d.agreement_terms or "",
            agreement_amount=d.agreement_amount, signed_on=d.closed_on, reprint=bool(printed),
        )  # fmt: skip


def print_mediation_request(
    db: Database, actor: CurrentUser, case_no: str, path: str | os.PathLike[str]
) -> Path:
    from unionsdesk.printing.mediation import render_mediation_request_pdf

    return render_mediation_request_pdf(mediation_case(db, actor, case_no, "request"), path)


def print_mediation_agreement(
    db: Database, actor: CurrentUser, case_no: str, path: str | os.PathLike[str]
) -> Path:
    from unionsdesk.printing.mediation import render_mediation_agreement_pdf

    return render_mediation_agreement_pdf(mediation_case(db, actor, case_no, "agreement"), path)
