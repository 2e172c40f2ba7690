"""帮扶慰问: campaigns (发放批次) and their pay-out lines.

Checks a clerk relies on: the same person twice in one campaign is refused;
the same person in another programme of the same year (重复救助) is warned
with the details; amounts outside the campaign's standard need a reason;
the total is shown against the budget.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Campaign, HardshipFile, Payout, Person, Receipt, UnionOrg
from unionsdesk.domain.mask import mask_id
from unionsdesk.domain.money import format_yuan, from_fen, to_fen
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.fields import CAMPAIGN, CAMPAIGN_STATUSES, PAYOUT
from unionsdesk.services.common.base import (
    PII,
    REVIEW,
    WRITE,
    CurrentUser,
    audit,
    reading,
    snapshot,
    stamp,
    writing,
)
from unionsdesk.services.common.codes import code_lookup, label_maps
from unionsdesk.services.common.locking import check_version
from unionsdesk.services.common.persons import upsert_person

CAMPAIGN_FIELDS = tuple(f.name for f in CAMPAIGN.fields)
PAYOUT_FIELDS = tuple(f.name for f in PAYOUT.fields if f.name not in ("name", "id_number"))
EDITABLE = ("草拟",)  # campaign details and the list of lines change only in 草拟
REVIEWED = "已审核"  # a hardship file's review status that allows paying it


def _yuan(fen: int) -> str:
    return format_yuan(from_fen(fen))


@dataclass(frozen=True)
class CampaignRow:
    id: int
    name: str
    kind: str
    kind_label: str
    year: int
    funding_source: str | None
    budget: int
    standards: dict[str, int]
    approval_ref: str | None
    status: str
    paid_on: date | None
    notes: str | None
    version: int
    lines: int = 0
    total: int = 0  # fen

    @property
    def remaining(self) -> int:
        return self.budget - self.total


@dataclass(frozen=True)
class PayoutRow:
    id: int
    campaign_id: int
    person_id: int
    name: str
    id_number: str
    union_id: int | None
    union_name: str
    category: str | None
    amount: int
    form: str
    item: str | None
    reason: str | None
    override_reason: str | None
    school: str | None
    grade: str | None
    illness: str | None
    out_of_pocket: int | None
    receipt_no: str | None
    version: int


@dataclass
class PayoutResult:
    row: PayoutRow
    warnings: list[str] = field(default_factory=list)


def _totals(s: Session) -> dict[int, tuple[int, int]]:
    q = select(
        Payout.campaign_id, func.count(), func.coalesce(func.sum(Payout.amount), 0)
    ).group_by(Payout.campaign_id)
    return {cid: (n, int(total)) for cid, n, total in s.execute(q)}


def _campaign(
    c: Campaign, labels: Mapping[str, str], totals: tuple[int, int] = (0, 0)
) -> CampaignRow:
    return CampaignRow(
        c.id, c.name, c.kind, labels.get(c.kind, c.kind), c.year, c.funding_source, c.budget,
        json.loads(c.standards) if c.standards else {}, c.approval_ref, c.status, c.paid_on, c.notes,
        c.version, *totals,
    )  # fmt: skip


def _standards(raw: Mapping[str, object] | None) -> str | None:
    if not raw:
        return None
    out = {}
    for category, amount in raw.items():
        try:
            out[str(category).strip()] = (
                to_fen(str(amount)) if not isinstance(amount, int) else amount
            )
        except ValueError as exc:
            raise ValidationError({"standards": f"“{category}”的标准金额不正确：{exc}"}) from None
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def list_campaigns(db: Database, actor: CurrentUser, year: int | None = None) -> list[CampaignRow]:
    labels = label_maps(db, ["aid_type"])["aid_type"]
    with reading(db, actor) as s:
        totals = _totals(s)
        q = select(Campaign).order_by(Campaign.year.desc(), Campaign.id.desc())
        if year is not None:
            q = q.where(Campaign.year == year)
        return [_campaign(c, labels, totals.get(c.id, (0, 0))) for c in s.scalars(q)]


def get_campaign(db: Database, actor: CurrentUser, campaign_id: int) -> CampaignRow:
    labels = label_maps(db, ["aid_type"])["aid_type"]
    with reading(db, actor) as s:
        c = s.get(Campaign, campaign_id)
        if c is None:
            raise UserError(f"没有编号为 {campaign_id} 的帮扶活动")
        return _campaign(c, labels, _totals(s).get(c.id, (0, 0)))


def save_campaign(
    db: Database,
    actor: CurrentUser,
    values: Mapping[str, object],
    *,
    standards: Mapping[str, object] | None = None,
    campaign_id: int | None = None,
    expected_version: int | None = None,
) -> CampaignRow:
    clean = CAMPAIGN.clean(values, codes=code_lookup(db, ["aid_type"]))
    if not 2000 <= clean["year"] <= 2100:
        raise ValidationError({"year": "年度应为四位年份，如 2026"})
    with writing(db, actor, WRITE) as s:
        if campaign_id is None:
            c = Campaign(status="草拟")
            stamp(c, actor, new=True)
            s.add(c)
            before = None
        else:
            found = s.get(Campaign, campaign_id)
            if found is None:
                raise UserError("该帮扶活动不存在")
            c = found
            check_version(c, expected_version, f"帮扶活动“{c.name}”", "campaign")
            if c.status not in EDITABLE:
                raise UserError(f"活动{_status_phrase(c.status)}，不能再修改")
            before = snapshot(c, (*CAMPAIGN_FIELDS, "standards"))
        for name in CAMPAIGN_FIELDS:
            setattr(c, name, clean[name])
        c.budget = clean["budget"] or 0
        if standards is not None:
            c.standards = _standards(standards)
        stamp(c, actor)
        s.flush()
        audit(s, actor, "create" if before is None else "update", "campaign", c.id, before=before,
              after=snapshot(c, (*CAMPAIGN_FIELDS, "standards")))  # fmt: skip
    return get_campaign(db, actor, c.id)


def _check_ready_to_pay(s: Session, c: Campaign) -> None:
    """What 确认发放 needs, checked already when the campaign is submitted (提交审核), so
    that a reviewer is never handed a campaign they cannot confirm: a 批准文号, at
    least one line, and no line outside the standard without a reason."""
    if not (c.approval_ref or "").strip():
        raise ValidationError({"approval_ref": "提交审核和确认发放前须填写批准文号"})
    if not s.scalar(select(func.count()).select_from(Payout).where(Payout.campaign_id == c.id)):
        raise UserError("该活动还没有发放名单")
    unapproved = s.execute(
        select(Person.name, HardshipFile.review_status)
        .join(Payout, Payout.hardship_file_id == HardshipFile.id)
        .join(Person, Person.id == HardshipFile.person_id)
        .where(Payout.campaign_id == c.id, HardshipFile.review_status != REVIEWED)
        .limit(6)
    ).all()
    if unapproved:
        names = "、".join(f"{n}（{st}）" for n, st in unapproved[:5])
        raise UserError(f"名单中有困难档案尚未审核通过的人：{names}，请先审核档案或删除这些明细")


def set_campaign_status(
    db: Database,
    actor: CurrentUser,
    campaign_id: int,
    status: str,
    on: date | None = None,
    *,
    reason: str = "",
) -> CampaignRow:
    """草拟 → 审核 → 已发放 → 归档; 审核 goes back to 草拟 (退回) with a reason when the
    reviewer sends it. 提交审核 checks everything 确认发放 needs."""
    if status not in CAMPAIGN_STATUSES:
        raise ValidationError({"status": f"状态只能是：{'、'.join(CAMPAIGN_STATUSES)}"})
    allowed = {"草拟": {"审核"}, "审核": {"草拟", "已发放"}, "已发放": {"归档"}}
    if status in ("已发放", "归档"):
        permission = REVIEW
    elif status == "草拟" and not actor.can(WRITE):
        permission = REVIEW  # the reviewer sends it back
        if not reason.strip():
            raise ValidationError({"reason": "退回草拟须填写原因"})
    else:
        permission = WRITE
    with writing(db, actor, permission) as s:
        c = s.get(Campaign, campaign_id)
        if c is None:
            raise UserError("该帮扶活动不存在")
        if status not in allowed.get(c.status, set()):
            raise UserError(f"活动状态不能从“{c.status}”改为“{status}”")
        if status in ("审核", "已发放"):
            _check_ready_to_pay(s, c)
        if status == "已发放":
            c.paid_on = on or date.today()
        before = {"status": c.status}
        c.status = status
        stamp(c, actor)
        s.flush()
        audit(s, actor, "status", "campaign", c.id, before=before, after={"status": status},
              summary=f"退回草拟：{reason.strip()}" if status == "草拟" and reason.strip() else None)  # fmt: skip
    return get_campaign(db, actor, campaign_id)


def confirmed_by(s: Session, campaign_ids: Sequence[int]) -> dict[int, str]:
    """Campaign → display name of who confirmed it 已发放 (the latest confirmation), from
    the audit log: the 审核人 printed on receipts."""
    from unionsdesk.db.models import AuditLog, User

    if not campaign_ids:
        return {}
    q = (
        select(AuditLog.entity_id, AuditLog.user_login, User.display_name)
        .outerjoin(User, User.login == AuditLog.user_login)
        .where(
            AuditLog.entity == "campaign",
            AuditLog.action == "status",
            AuditLog.entity_id.in_(list(campaign_ids)),
            AuditLog.after.like('%"已发放"%'),
        )
        .order_by(AuditLog.id)
    )
    return {cid: name or login or "" for cid, login, name in s.execute(q) if cid is not None}


def _status_phrase(status: str) -> str:
    """已发放 → 已发放, 归档 → 已归档, 审核 → 在审核中 (never "已已发放")."""
    if status == "审核":
        return "在审核中"
    return status if status.startswith("已") else f"已{status}"


def _check_amount(c: Campaign, category: str | None, amount: int, override: str | None) -> None:
    standards = json.loads(c.standards) if c.standards else {}
    if not standards:
        return
    if category is None or category not in standards:
        # No (known) category: the line may not exceed the campaign's highest standard.
        highest = max(standards.values())
        if amount > highest and not (override or "").strip():
            what = f"类别“{category}”没有标准" if category else "本行未填类别"
            raise ValidationError({
                "override_reason": f"{what}，金额{_yuan(amount)}高于本活动最高标准"
                f"{_yuan(highest)}，请填写类别或超标准原因",
            })  # fmt: skip
        return
    if amount != standards[category] and not (override or "").strip():
        raise ValidationError({
            "override_reason": f"“{category}”的标准是{_yuan(standards[category])}，"
            f"本行{_yuan(amount)}与标准不同，请填写超标准原因",
        })  # fmt: skip


def double_aid(s: Session, person_id: int, campaign: Campaign) -> list[str]:
    """The same person paid by another programme of the same year (重复救助)."""
    q = (
        select(Campaign.name, Payout.amount)
        .join(Payout, Payout.campaign_id == Campaign.id)
        .where(
            Payout.person_id == person_id,
            Campaign.year == campaign.year,
            Campaign.id != campaign.id,
        )
    )
    return [
        f"重复救助提示：此人{campaign.year}年已在“{name}”中领取{_yuan(amount)}"
        for name, amount in s.execute(q)
    ]


def _receipt_numbers(s: Session, payout_ids: Sequence[int]) -> dict[int, str]:
    from unionsdesk.db.models import ReceiptBook

    if not payout_ids:
        return {}
    q = (
        select(Receipt.payout_id, ReceiptBook.year, Receipt.number)
        .join(ReceiptBook, ReceiptBook.id == Receipt.book_id)
        .where(Receipt.payout_id.in_(list(payout_ids)), Receipt.status == "issued")
    )
    return {pid: f"{year}-{number:06d}" for pid, year, number in s.execute(q)}


def _payout_row(
    p: Payout, person: Person, union_name: str, show: bool, receipt_no: str | None
) -> PayoutRow:
    return PayoutRow(
        p.id, p.campaign_id, person.id, person.name, person.id_number if show else mask_id(person.id_number),
        p.union_id, union_name, p.category, p.amount, p.form, p.item, p.reason, p.override_reason, p.school,
        p.grade, p.illness, p.out_of_pocket, receipt_no, p.version,
    )  # fmt: skip


def editable_campaign(s: Session, campaign_id: int) -> Campaign:
    """The campaign, when its list of pay-out lines may still change (草拟 only)."""
    c = s.get(Campaign, campaign_id)
    if c is None:
        raise UserError("该帮扶活动不存在")
    if c.status not in EDITABLE:
        hint = "，如需修改请先退回草拟" if c.status == "审核" else ""
        raise UserError(f"活动{_status_phrase(c.status)}，发放名单不能再修改{hint}")
    return c


def unapproved_reason(f: HardshipFile) -> str | None:
    """Why a hardship file may not be paid yet (None: it may)."""
    if not f.active:
        return f"档案已{f.status}"
    if f.review_status != REVIEWED:
        return f"档案{f.review_status}，审核通过后才能发放"
    return None


def check_payout(s: Session, c: Campaign, clean: Mapping[str, Any], person_id: int | None) -> None:
    """The rules for a new line of ``c`` (``clean`` as from ``PAYOUT``; ``person_id``
    None for someone not yet on record): an amount above zero, nobody twice in one
    campaign, and a reason for an amount other than the category's standard.
    Raises `ValidationError` (field → reason)."""
    if clean["amount"] <= 0:
        raise ValidationError({"amount": "金额应大于0"})
    if person_id is not None and (
        s.scalar(select(Payout.id).where(Payout.campaign_id == c.id, Payout.person_id == person_id))
        is not None
    ):
        raise ValidationError(
            {"id_number": f"{clean['name']}已在本次活动的发放名单中，同一人不能重复发放"}
        )
    _check_amount(c, clean.get("category"), clean["amount"], clean.get("override_reason"))


def insert_payout(
    s: Session,
    actor: CurrentUser,
    c: Campaign,
    clean: Mapping[str, Any],
    *,
    union_id: int | None = None,
    hardship_file_id: int | None = None,
    import_batch_id: int | None = None,
) -> tuple[Payout, Person, list[str]]:
    """Add one line to ``c`` in the caller's transaction (no audit row): the person is
    found by ID number or created, `check_payout` applies, the union and hardship file
    default to the person's active file or membership. Returns the line, the person
    and the 重复救助 warnings."""
    person, _ = upsert_person(s, actor, clean)
    check_payout(s, c, clean, person.id)
    if hardship_file_id is not None:
        chosen = s.get(HardshipFile, hardship_file_id)
        refused = "档案不存在" if chosen is None else unapproved_reason(chosen)
        if refused:
            raise ValidationError({"hardship_file": f"{person.name}：{refused}"})
    if union_id is None or hardship_file_id is None:
        f = s.scalar(
            select(HardshipFile).where(HardshipFile.person_id == person.id, HardshipFile.active)
        )
        if f is not None:
            if f.review_status == REVIEWED:  # an unreviewed file is not paid as such
                hardship_file_id = hardship_file_id or f.id
            union_id = union_id or f.union_id
    if union_id is None:
        from unionsdesk.db.models import Membership

        union_id = s.scalar(
            select(Membership.union_id).where(Membership.person_id == person.id, Membership.active)
        )
    p = Payout(
        campaign_id=c.id,
        person_id=person.id,
        union_id=union_id,
        hardship_file_id=hardship_file_id,
        import_batch_id=import_batch_id,
    )
    for name in PAYOUT_FIELDS:
        setattr(p, name, clean.get(name))
    p.form = clean.get("form") or "现金"
    stamp(p, actor, new=True)
    s.add(p)
    s.flush()
    return p, person, double_aid(s, person.id, c)


def add_payout(
    db: Database,
    actor: CurrentUser,
    campaign_id: int,
    values: Mapping[str, object],
    *,
    union_id: int | None = None,
    hardship_file_id: int | None = None,
) -> PayoutResult:
    clean = PAYOUT.clean(values)
    with writing(db, actor, WRITE) as s:
        c = editable_campaign(s, campaign_id)
        p, person, warnings = insert_payout(
            s, actor, c, clean, union_id=union_id, hardship_file_id=hardship_file_id
        )
        audit(s, actor, "create", "payout", p.id, after=snapshot(p, PAYOUT_FIELDS) | {"person": person.name},  # type: ignore[operator]
              summary=f"{c.name}：{person.name} {_yuan(p.amount)}")  # fmt: skip
        u = s.get(UnionOrg, p.union_id) if p.union_id else None
        return PayoutResult(
            _payout_row(p, person, u.name if u else "", actor.can(PII), None), warnings
        )


def add_from_hardship(
    db: Database,
    actor: CurrentUser,
    campaign_id: int,
    file_ids: Sequence[int],
    amount_by_category: Mapping[str, int] | None = None,
) -> tuple[int, list[str]]:
    """Pick lines from hardship files: amount from the campaign standard for the file's
    category label. People already in the campaign are skipped. Returns (added, notes)."""
    labels = label_maps(db, ["hardship_category"])["hardship_category"]
    added, notes = 0, []
    with writing(db, actor, WRITE) as s:
        c = editable_campaign(s, campaign_id)
        standards = dict(json.loads(c.standards) if c.standards else {})
        standards.update(amount_by_category or {})
        present = set(s.scalars(select(Payout.person_id).where(Payout.campaign_id == c.id)))
        rows = s.execute(
            select(HardshipFile, Person)
            .join(Person, Person.id == HardshipFile.person_id)
            .where(HardshipFile.id.in_(list(file_ids)))
        ).all()
        for f, person in rows:
            category = labels.get(f.category, f.category)
            refused = unapproved_reason(f)
            if refused:
                notes.append(f"{person.name}：{refused}，未加入")
                continue
            if person.id in present:
                notes.append(f"{person.name}：已在名单中，跳过")
                continue
            amount = standards.get(category)
            if amount is None:
                notes.append(f"{person.name}：没有“{category}”的发放标准，未加入")
                continue
            # a file with a bank account is paid to it (the bank's 代发 file), else in cash
            p = Payout(campaign_id=c.id, person_id=person.id, union_id=f.union_id, hardship_file_id=f.id,
                       category=category, amount=amount, reason=c.name,
                       form="银行转账" if f.bank_account else "现金")  # fmt: skip
            stamp(p, actor, new=True)
            s.add(p)
            present.add(person.id)
            notes.extend(f"{person.name}：{w}" for w in double_aid(s, person.id, c))
            added += 1
        s.flush()
        audit(s, actor, "create", "payout", None, after={"campaign": c.name, "added": added},
              summary=f"{c.name}：从困难职工档案加入{added}人")  # fmt: skip
    return added, notes


def remove_payout(db: Database, actor: CurrentUser, payout_id: int, reason: str) -> None:
    """Only while the campaign is a draft and no receipt was issued."""
    if not reason.strip():
        raise ValidationError({"reason": "删除发放明细须填写原因"})
    with writing(db, actor, WRITE) as s:
        p = s.get(Payout, payout_id)
        if p is None:
            raise UserError("该发放明细不存在")
        editable_campaign(s, p.campaign_id)
        if s.scalar(select(Receipt.id).where(Receipt.payout_id == p.id)) is not None:
            raise UserError("已开具收据的发放明细不能删除，请先作废收据")
        before = snapshot(p, PAYOUT_FIELDS)
        s.delete(p)
        audit(s, actor, "delete", "payout", payout_id, before=before, summary=reason.strip())


def list_payouts(
    db: Database, actor: CurrentUser, campaign_id: int, union_ids: Sequence[int] | None = None
) -> list[PayoutRow]:
    show = actor.can(PII)
    q = (
        select(Payout, Person, UnionOrg.name)
        .join(Person, Person.id == Payout.person_id)
        .outerjoin(UnionOrg, UnionOrg.id == Payout.union_id)
        .where(Payout.campaign_id == campaign_id)
    )
    if union_ids is not None:
        q = q.where(Payout.union_id.in_(list(union_ids)))
    with reading(db, actor) as s:
        rows = s.execute(q.order_by(UnionOrg.name, Payout.id)).all()
        receipts = _receipt_numbers(s, [p.id for p, _, _ in rows])
        return [
            _payout_row(p, person, un or "", show, receipts.get(p.id)) for p, person, un in rows
        ]


def double_aid_report(db: Database, actor: CurrentUser, year: int) -> list[tuple[str, list[str]]]:
    """Everyone paid by two or more programmes in ``year``: (name, campaign names)."""
    with reading(db, actor) as s:
        q = (
            select(Person.id, Person.name, Campaign.name)
            .join(Payout, Payout.person_id == Person.id)
            .join(Campaign, Campaign.id == Payout.campaign_id)
            .where(Campaign.year == year)
            .order_by(Person.id)
        )
        seen: dict[int, tuple[str, list[str]]] = {}
        for pid, name, cname in s.execute(q):
            seen.setdefault(pid, (name, []))[1].append(cname)
    return [(n, cs) for n, cs in seen.values() if len(cs) > 1]
