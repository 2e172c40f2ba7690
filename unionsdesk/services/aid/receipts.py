"""领款收据: numbers gapless per series and year, allocated in the transaction that
records the receipt. A void keeps its number and prints 作废; a reprint says 补打.
Numbers are never reused or deleted."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Campaign, Payout, Person, Receipt, ReceiptBook
from unionsdesk.domain.mask import mask_id
from unionsdesk.domain.money import format_yuan, from_fen
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.services.aid.campaigns import confirmed_by
from unionsdesk.services.common.base import PII, WRITE, CurrentUser, audit, reading, stamp, writing

DEFAULT_SERIES = "慰问金"
# "1": receipts may be issued once the campaign is submitted (审核); by default only
# after the reviewer confirmed 已发放 (设置 → 套打偏移 → 收据)
RECEIPTS_IN_REVIEW = "aid.receipts_in_review"


def receipt_statuses(db: Database) -> tuple[str, ...]:
    """The campaign statuses in which receipts may be issued, as the office chose."""
    from unionsdesk.services.common.settings import get_setting

    if get_setting(db, RECEIPTS_IN_REVIEW, "0") == "1":
        return ("审核", "已发放")
    return ("已发放",)


@dataclass(frozen=True)
class ReceiptInfo:
    id: int
    number: str  # "2026-000123"
    series: str
    issued_on: date
    status: str  # issued / void
    void_reason: str | None
    print_count: int
    payout_id: int
    campaign_name: str
    payee: str
    payee_id_number: str
    purpose: str
    amount: int  # fen
    reviewer: str = ""  # who confirmed the campaign 已发放 (审核人)

    @property
    def void(self) -> bool:
        return self.status == "void"


def format_number(year: int, number: int) -> str:
    return f"{year}-{number:06d}"


def _book(s: Session, series: str, year: int, actor: CurrentUser) -> ReceiptBook:
    """The series' register for the year, locked for this transaction."""
    q = select(ReceiptBook).where(ReceiptBook.series == series, ReceiptBook.year == year)
    book = s.scalar(q.with_for_update())
    if book is None:
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt = pg_insert(ReceiptBook).values(series=series, year=year, last_number=0, uuid=_uuid(),
                                                 created_by=actor.login, version=1)  # fmt: skip
            s.execute(stmt.on_conflict_do_nothing(index_elements=["series", "year"]))
        else:  # SQLite: the transaction already holds the write lock (BEGIN IMMEDIATE)
            s.add(ReceiptBook(series=series, year=year, last_number=0, created_by=actor.login))
            s.flush()
        book = s.scalar(q.with_for_update())
        assert book is not None
    return book


def next_number(s: Session, actor: CurrentUser, series: str, year: int) -> int:
    """The next number of ``series`` in ``year`` inside the caller's write transaction:
    gapless and never reused (the series row stays locked until the caller commits).
    Other areas number their own series this way (e.g. 调解案号, 互助保障费 receipts)."""
    book = _book(s, series, year, actor)
    book.last_number += 1
    stamp(book, actor)
    s.flush()
    return book.last_number


def _uuid() -> str:
    from unionsdesk.db.models import new_uuid

    return new_uuid()


def _info(
    r: Receipt,
    book: ReceiptBook,
    p: Payout,
    person: Person,
    campaign: Campaign,
    show_id: bool,
    reviewer: str = "",
) -> ReceiptInfo:
    return ReceiptInfo(
        r.id, format_number(book.year, r.number), book.series, r.issued_on, r.status, r.void_reason,
        r.print_count, p.id, campaign.name, person.name, person.id_number if show_id else mask_id(person.id_number),
        p.reason or campaign.name, p.amount, reviewer,
    )  # fmt: skip


def issue_receipts(
    db: Database,
    actor: CurrentUser,
    payout_ids: Sequence[int],
    *,
    series: str = DEFAULT_SERIES,
    on: date | None = None,
) -> list[ReceiptInfo]:
    """One receipt per pay-out line (lines that already have one keep it), all in one
    transaction: either every number is allocated and recorded, or none is."""
    on = on or date.today()
    if not payout_ids:
        raise ValidationError({"payout_ids": "请选择要开具收据的发放明细"})
    statuses = receipt_statuses(db)
    with writing(db, actor, WRITE) as s:
        book = _book(s, series, on.year, actor)
        made: list[int] = []
        for pid in payout_ids:
            p = s.get(Payout, pid)
            if p is None:
                raise UserError(f"发放明细 {pid} 不存在")
            c = s.get(Campaign, p.campaign_id)
            assert c is not None
            if c.status not in statuses:
                need = "提交审核" if statuses[0] == "审核" else "审核人确认发放"
                raise UserError(f"“{c.name}”现为“{c.status}”，{need}后才能开具收据")
            existing = s.scalar(
                select(Receipt).where(Receipt.payout_id == pid, Receipt.status == "issued")
            )
            if existing is not None:
                made.append(existing.id)
                continue
            book.last_number += 1
            r = Receipt(
                book_id=book.id,
                number=book.last_number,
                payout_id=pid,
                issued_on=on,
                status="issued",
            )
            stamp(r, actor, new=True)
            s.add(r)
            s.flush()
            payee = s.get(Person, p.person_id)
            number = format_number(book.year, r.number)
            audit(s, actor, "issue", "receipt", r.id, after={"number": number, "payout": pid},
                  summary=f"开具收据 No.{number}：{c.name}，{payee.name if payee else ''} "
                  f"{format_yuan(from_fen(p.amount))}")  # fmt: skip
            made.append(r.id)
        stamp(book, actor)
        s.flush()
    return receipt_infos(db, actor, made, show_id=True)


def receipt_infos(
    db: Database, actor: CurrentUser, receipt_ids: Sequence[int], *, show_id: bool
) -> list[ReceiptInfo]:
    q = (
        select(Receipt, ReceiptBook, Payout, Person, Campaign)
        .join(ReceiptBook, ReceiptBook.id == Receipt.book_id)
        .join(Payout, Payout.id == Receipt.payout_id)
        .join(Person, Person.id == Payout.person_id)
        .join(Campaign, Campaign.id == Payout.campaign_id)
        .where(Receipt.id.in_(list(receipt_ids)))
    )
    with reading(db, actor) as s:
        rows = s.execute(q).all()
        reviewers = confirmed_by(s, sorted({c.id for *_, c in rows}))
        found = {
            r.id: _info(r, b, p, person, c, show_id, reviewers.get(c.id, ""))
            for r, b, p, person, c in rows
        }
    return [found[i] for i in receipt_ids if i in found]


@dataclass(frozen=True)
class ReceiptSearch:
    """收据 search: ``text`` is part of the payee's name, the receipt number (2026-000041,
    or just 41) or the ID number; dates bound the issue date (inclusive)."""

    campaign_ids: Sequence[int] | None = None
    text: str = ""
    since: date | None = None
    until: date | None = None
    status: str | None = None  # issued / void


def find_receipts(db: Database, actor: CurrentUser, search: ReceiptSearch) -> list[int]:
    """The receipts matching ``search``, by series and number."""
    from sqlalchemy import or_

    q = (
        select(Receipt.id)
        .join(ReceiptBook, ReceiptBook.id == Receipt.book_id)
        .join(Payout, Payout.id == Receipt.payout_id)
        .join(Person, Person.id == Payout.person_id)
    )
    if search.campaign_ids is not None:
        q = q.where(Payout.campaign_id.in_(list(search.campaign_ids)))
    if search.status:
        q = q.where(Receipt.status == search.status)
    if search.since:
        q = q.where(Receipt.issued_on >= search.since)
    if search.until:
        q = q.where(Receipt.issued_on <= search.until)
    text = search.text.strip().replace("－", "-").removeprefix("No.").strip()
    if text:
        found: list[ColumnElement[bool]] = [Person.name.like(f"%{text}%")]
        number = re.fullmatch(r"(?:(\d{4})-)?0*(\d{1,6})", text)
        if number:
            year, n = number.groups()
            match = Receipt.number == int(n)
            found.append(match & (ReceiptBook.year == int(year)) if year else match)
        if actor.can(PII) and re.fullmatch(r"[\dXx]{4,18}", text):
            found.append(Person.id_number.like(f"%{text.upper()}%"))
        q = q.where(or_(*found))
    with reading(db, actor) as s:
        return list(s.scalars(q.order_by(ReceiptBook.series, ReceiptBook.year, Receipt.number)))


def receipts_for_campaign(
    db: Database, actor: CurrentUser, campaign_id: int, *, include_void: bool = True
) -> list[int]:
    with reading(db, actor) as s:
        q = (
            select(Receipt.id)
            .join(Payout, Payout.id == Receipt.payout_id)
            .where(Payout.campaign_id == campaign_id)
        )
        if not include_void:
            q = q.where(Receipt.status == "issued")
        return list(s.scalars(q.order_by(Receipt.book_id, Receipt.number)))


def void_receipt(db: Database, actor: CurrentUser, receipt_id: int, reason: str) -> ReceiptInfo:
    if not reason.strip():
        raise ValidationError({"reason": "作废须填写原因"})
    with writing(db, actor, WRITE) as s:
        r = s.get(Receipt, receipt_id)
        if r is None:
            raise UserError("该收据不存在")
        if r.status == "void":
            raise UserError("该收据已作废")
        r.status, r.void_reason = "void", reason.strip()
        stamp(r, actor)
        s.flush()
        audit(
            s,
            actor,
            "void",
            "receipt",
            r.id,
            before={"status": "issued"},
            after={"status": "void"},
            summary=reason.strip(),
        )
    return receipt_infos(db, actor, [receipt_id], show_id=True)[0]


def record_print(db: Database, actor: CurrentUser, receipt_ids: Sequence[int]) -> list[ReceiptInfo]:
    """Count a print of each receipt; from the second print on it is a 补打 (logged)."""
    with writing(db, actor, WRITE) as s:
        for rid in receipt_ids:
            r = s.get(Receipt, rid)
            if r is None:
                raise UserError(f"收据 {rid} 不存在")
            r.print_count += 1
            stamp(r, actor)
            if r.print_count > 1:
                audit(
                    s,
                    actor,
                    "reprint",
                    "receipt",
                    r.id,
                    after={"print_count": r.print_count},
                    summary="补打收据",
                )
    return receipt_infos(db, actor, receipt_ids, show_id=True)


@dataclass(frozen=True)
class GapLine:
    number: str
    status: str  # 已开具 / 已作废 / 未使用
    payee: str | None


# Receipt series that other areas number with `next_number` and keep on their own
# records, and the module that says which of a year's numbers are used
# (``numbers_used(s, year) -> {number: (status, name)}``), imported when asked.
OTHER_SERIES = {"互助保障费": "unionsdesk.services.mutual.receipts"}


def _aid_numbers_used(s: Session, book: ReceiptBook) -> dict[int, tuple[str, str | None]]:
    return {
        n: ({"issued": "已开具", "void": "已作废"}.get(st, st), name)
        for n, st, name in s.execute(
            select(Receipt.number, Receipt.status, Person.name)
            .join(Payout, Payout.id == Receipt.payout_id)
            .join(Person, Person.id == Payout.person_id)
            .where(Receipt.book_id == book.id)
        )
    }


def gap_report(db: Database, actor: CurrentUser, series: str, year: int) -> list[GapLine]:
    """Every number of the series' year explained: used, voided — or unused (never, if all is well)."""
    import importlib

    with reading(db, actor) as s:
        book = s.scalar(
            select(ReceiptBook).where(ReceiptBook.series == series, ReceiptBook.year == year)
        )
        if book is None:
            return []
        if series in OTHER_SERIES:
            module = importlib.import_module(OTHER_SERIES[series])
            used: dict[int, tuple[str, str | None]] = module.numbers_used(s, year)
        else:
            used = _aid_numbers_used(s, book)
        out = []
        for n in range(1, book.last_number + 1):
            label, name = used.get(n, ("未使用", None))
            out.append(GapLine(format_number(year, n), label, name))
        return out
