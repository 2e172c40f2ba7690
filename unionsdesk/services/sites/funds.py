"""工会经费 (DOMAIN.md §8): the 拨缴经费 ledger and the 专用收据 register.

An employer with a union pays 2 % of its wage bill (应缴, computed); of what it
actually pays (实缴) the grassroots union keeps 60 % and 40 % goes upward in the
shares set in 设置 (county/city/province/全总, summing to 40 %). An employer with
no union pays 筹备金, all of it upward (in the same proportions between the upper
levels). Shares are fen and always add up to 实缴 exactly (largest remainder).

专用收据 are recorded, not printed: 票号 unique per year, 作废 keeps the row with
its reason, gaps in the number series are listed.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Setting, UnionOrg
from unionsdesk.db.models_funds import FundReceipt, Levy
from unionsdesk.domain.money import format_yuan, from_fen
from unionsdesk.domain.readers import strip_spaces, to_halfwidth
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.services.common.base import (
    ADMIN,
    CurrentUser,
    reading,
    writing,
)
from unionsdesk.services.common.settings import put_setting
from unionsdesk.services.sites.common import union_name
from unionsdesk.services.sites.specs import LEVY, as_form

LEVY_RATE_PERCENT = 2
GRASSROOTS_BP = 6000  # 60 % in basis points (1/100 of a per cent)
UPWARD_BP = 4000
SHARES_SETTING = "funds.shares_bp"
# Upper levels in order: key, label. The office enters its province's rule in 设置;
# these defaults (全总 5 %, as often cited ⚠) are only a starting point.
LEVELS = (
    ("county", "县总工会"),
    ("city", "市总工会"),
    ("province", "省总工会"),
    ("national", "全国总工会"),
)
DEFAULT_SHARES_BP = {"county": 2000, "city": 1000, "province": 500, "national": 500}
SHARE_COLUMNS = (
    "share_grassroots",
    "share_county",
    "share_city",
    "share_province",
    "share_national",
)
SHARE_LABELS = ("基层留成", "县总工会", "市总工会", "省总工会", "全国总工会")


def _yuan(fen: int) -> str:
    return format_yuan(from_fen(fen))


# --- the split -----------------------------------------------------------------------


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` fen split in proportion to ``weights``: each part is its exact quota
    rounded down, and the fen left over go one each to the largest remainders (ties:
    the earlier part). The parts always add up to ``total``."""
    if total < 0:
        raise ValueError("total must not be negative")
    whole = sum(weights)
    if whole <= 0 or any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative with a positive sum")
    parts = [total * w // whole for w in weights]
    rests = [total * w % whole for w in weights]
    left = total - sum(parts)
    for i in sorted(range(len(weights)), key=lambda k: (-rests[k], k))[:left]:
        parts[i] += 1
    return parts


def levy_due(wage_total: int) -> int:
    """应缴 = 2 % of the wage bill, rounded half up to the fen."""
    return (wage_total * LEVY_RATE_PERCENT * 2 + 100) // 200


@dataclass(frozen=True)
class Shares:
    """Upper levels' shares of the levy in basis points (sum = 4000, i.e. 40 %)."""

    county: int
    city: int
    province: int
    national: int

    def upward(self) -> list[int]:
        return [self.county, self.city, self.province, self.national]

    def percent(self, key: str) -> str:
        bp = int(getattr(self, key))
        return f"{Decimal(bp) / 100:g}%"

    def split(self, paid: int, preparatory: bool) -> list[int]:
        """实缴 as [基层留成, 县, 市, 省, 全总] fen; 筹备金 all upward."""
        if preparatory:
            return [0, *largest_remainder(paid, self.upward())]
        return largest_remainder(paid, [GRASSROOTS_BP, *self.upward()])


def get_shares(db: Database) -> Shares:
    with db.reading() as s:
        return shares_in(s)


def shares_in(s: Session) -> Shares:
    """The shares set in 设置 (inside the caller's transaction); the defaults when
    none are set."""
    raw = s.scalar(select(Setting.value).where(Setting.key == SHARES_SETTING))
    values = dict(DEFAULT_SHARES_BP)
    if raw:
        with contextlib.suppress(ValueError, AttributeError):
            values.update({k: int(v) for k, v in json.loads(raw).items() if k in values})
    if sum(values.values()) != UPWARD_BP:
        values = dict(DEFAULT_SHARES_BP)
    return Shares(**values)


def _percent_bp(raw: object, label: str) -> int:
    text = strip_spaces(to_halfwidth(str(raw if raw is not None else ""))).rstrip("%")
    if not text:
        return 0
    try:
        value = Decimal(text) * 100
    except InvalidOperation:
        raise ValidationError({label: f"{label}的比例应为百分数，如 20 或 12.5"}) from None
    if value != value.to_integral() or value < 0:
        raise ValidationError({label: f"{label}的比例最多两位小数，且不能为负数"})
    return int(value)


def set_shares(db: Database, actor: CurrentUser, percents: Mapping[str, object]) -> Shares:
    """Set the upper levels' shares from per cent values (e.g. {"county": "20", …});
    they must add up to exactly 40 %."""
    bp = {key: _percent_bp(percents.get(key), label) for key, label in LEVELS}
    total = sum(bp.values())
    if total != UPWARD_BP:
        shown = "＋".join(f"{label}{Decimal(bp[k]) / 100:g}%" for k, label in LEVELS)
        raise ValidationError(
            {"shares": f"上解各级的比例合计应为 40%，现为 {Decimal(total) / 100:g}%（{shown}）"}
        )
    with writing(db, actor, ADMIN) as s:
        put_setting(
            s, actor, SHARES_SETTING, json.dumps(bp, sort_keys=True),
            summary="经费分成比例：" + "，".join(f"{label}{Decimal(bp[k]) / 100:g}%" for k, label in LEVELS),
        )  # fmt: skip
    return Shares(**bp)


# --- the levy ledger -------------------------------------------------------------------


@dataclass(frozen=True)
class LevyRow:
    id: int
    union_id: int | None
    payer_name: str
    credit_code: str | None
    township: str | None
    preparatory: bool
    year: int
    month: int
    wage_total: int
    due: int
    paid: int
    paid_on: date | None
    tax_collected: bool
    share_grassroots: int
    share_county: int
    share_city: int
    share_province: int
    share_national: int
    notes: str | None
    version: int

    @property
    def period(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def shortfall(self) -> int:
        return max(self.due - self.paid, 0)


_LEVY_FIELDS = (
    "union_id", "payer_name", "credit_code", "township", "preparatory", "year", "month",
    "wage_total", "due", "paid", "paid_on", "tax_collected", *SHARE_COLUMNS, "notes", "version",
)  # fmt: skip


def _levy_row(v: Levy) -> LevyRow:
    return LevyRow(id=v.id, **{n: getattr(v, n) for n in _LEVY_FIELDS})


@dataclass
class LevyResult:
    row: LevyRow
    notices: list[str]  # e.g. "工资总额按“12.5万”记为 125,000.00 元"


def record_levy(
    db: Database,
    actor: CurrentUser,
    values: Mapping[str, object],
    levy_id: int | None = None,
) -> LevyResult:
    """Record (or correct) one employer's levy for one month through the ``levies``
    register: 应缴 and the shares are computed from 工资总额 and 实缴."""
    from unionsdesk.services.sites.registers import LEVIES

    raw = dict(values)
    if raw.get("union_id") is not None and not raw.get("payer_name"):
        with reading(db, actor) as s:
            raw["payer_name"] = union_name(s, int(str(raw["union_id"])))
    raw.pop("union_id", None)
    if levy_id is None:
        record = LEVIES.create(db, actor, raw)
    else:
        current = as_form(LEVY, LEVIES.get(db, actor, levy_id).values)
        record = LEVIES.update(db, actor, levy_id, {**current, **raw})
    with reading(db, actor) as s:
        v = s.get(Levy, record.id)
        assert v is not None
        row = _levy_row(v)
    notices = [
        f"{LEVY[k].label}按“{str(raw[k]).strip()}”记为 {_yuan(getattr(row, k))}"
        for k in ("wage_total", "paid")
        if isinstance(raw.get(k), str) and "万" in str(raw[k])
    ]
    if row.paid and row.paid < row.due:
        notices.append(
            f"实缴 {_yuan(row.paid)} 少于应缴 {_yuan(row.due)}，差 {_yuan(row.due - row.paid)}，记为欠缴"
        )
    return LevyResult(row, notices)


def list_levies(
    db: Database,
    actor: CurrentUser,
    year: int | None = None,
    *,
    month: int | None = None,
    township: str | None = None,
    union_id: int | None = None,
    text: str | None = None,
    limit: int | None = None,
) -> list[LevyRow]:
    with reading(db, actor) as s:
        q = (
            select(Levy)
            .where(Levy.voided.is_(False))
            .order_by(Levy.year.desc(), Levy.month.desc(), Levy.payer_name)
        )
        if year is not None:
            q = q.where(Levy.year == year)
        if month is not None:
            q = q.where(Levy.month == month)
        if township:
            q = q.where(Levy.township == township)
        if union_id is not None:
            q = q.where(Levy.union_id == union_id)
        if text:
            q = q.where(Levy.payer_name.like(f"%{text.strip()}%"))
        if limit:
            q = q.limit(limit)
        return [_levy_row(v) for v in s.scalars(q)]


@dataclass(frozen=True)
class ArrearsLine:
    payer_name: str
    township: str | None
    union_id: int | None
    months: tuple[int, ...]  # months with nothing paid
    shortfall: int  # fen owed for months paid only in part (实缴 < 应缴)

    @property
    def months_text(self) -> str:
        return "、".join(f"{m}月" for m in self.months)


def arrears(
    db: Database, actor: CurrentUser, year: int, through_month: int = 12
) -> list[ArrearsLine]:
    """欠缴: every grassroots union (正常) and every 筹备金 payer on the ledger that year,
    with the months of ``year`` up to ``through_month`` it has paid nothing for and
    what it still owes on months paid in part."""
    with reading(db, actor) as s:
        paid: dict[str, set[int]] = {}
        short: dict[str, int] = {}
        names: dict[str, tuple[str, str | None, int | None]] = {}
        q = select(
            Levy.payer_key, Levy.month, Levy.paid, Levy.due, Levy.payer_name, Levy.township,
            Levy.union_id,
        ).where(Levy.year == year, Levy.month <= through_month, Levy.voided.is_(False))  # fmt: skip
        for key, month, p, due, name, township, uid in s.execute(q):
            names.setdefault(key, (name, township, uid))
            if p > 0:
                paid.setdefault(key, set()).add(month)
                if p < due:
                    short[key] = short.get(key, 0) + due - p
        unions = s.execute(
            select(UnionOrg.id, UnionOrg.name, UnionOrg.township).where(
                UnionOrg.unit_name.is_not(None), UnionOrg.status == "正常"
            )
        )
        for uid, name, township in unions:
            names.setdefault(f"u{uid}", (name, township, uid))
    out = []
    months = range(1, through_month + 1)
    for key, (name, township, uid) in names.items():
        missing = tuple(m for m in months if m not in paid.get(key, set()))
        if missing or short.get(key):
            out.append(ArrearsLine(name, township, uid, missing, short.get(key, 0)))
    return sorted(out, key=lambda a: (a.township or "", a.payer_name))


@dataclass(frozen=True)
class CollectionCell:
    township: str
    month: int
    payers: int
    due: int
    paid: int
    shares: tuple[int, ...]  # SHARE_COLUMNS order


def collection_summary(db: Database, actor: CurrentUser, year: int) -> list[CollectionCell]:
    """收缴 by township and month: payers, 应缴, 实缴 and each share (one GROUP BY)."""
    town = func.coalesce(Levy.township, literal_column("''"))
    with reading(db, actor) as s:
        q = (
            select(
                town, Levy.month, func.count(),
                func.sum(Levy.due), func.sum(Levy.paid),
                *(func.sum(getattr(Levy, c)) for c in SHARE_COLUMNS),
            )
            .where(Levy.year == year, Levy.voided.is_(False))
            .group_by(town, Levy.month)
            .order_by(town, Levy.month)
        )  # fmt: skip
        return [
            CollectionCell(
                t or "（未填乡镇）",
                m,
                n,
                int(d or 0),
                int(p or 0),
                tuple(int(x or 0) for x in rest),
            )
            for t, m, n, d, p, *rest in s.execute(q)
        ]


@dataclass(frozen=True)
class YearTotals:
    year: int
    payers: int
    due: int
    paid: int
    shares: tuple[int, ...]


def levy_summary(db: Database, actor: CurrentUser) -> list[YearTotals]:
    """Every year of the ledger: payers, 应缴, 实缴, shares."""
    with reading(db, actor) as s:
        q = (
            select(
                Levy.year, func.count(func.distinct(Levy.payer_key)), func.sum(Levy.due),
                func.sum(Levy.paid), *(func.sum(getattr(Levy, c)) for c in SHARE_COLUMNS),
            )
            .where(Levy.voided.is_(False))
            .group_by(Levy.year)
            .order_by(Levy.year)
        )  # fmt: skip
        return [
            YearTotals(y, n, int(d or 0), int(p or 0), tuple(int(x or 0) for x in rest))
            for y, n, d, p, *rest in s.execute(q)
        ]


# --- 专用收据 -----------------------------------------------------------------------


@dataclass(frozen=True)
class FundReceiptRow:
    id: int
    year: int
    number: int
    issued_on: date
    payer_name: str
    period: str
    wage_total: int
    due: int
    paid: int
    shares: str | None
    levy_id: int | None
    voided: bool
    void_reason: str | None

    @property
    def number_text(self) -> str:
        return f"{self.number:08d}"


def _receipt_row(r: FundReceipt) -> FundReceiptRow:
    return FundReceiptRow(
        r.id, r.year, r.number, r.issued_on, r.payer_name, r.period, r.wage_total, r.due, r.paid,
        r.shares, r.levy_id, r.voided, r.void_reason,
    )  # fmt: skip


def shares_text(row: LevyRow) -> str:
    parts = [
        row.share_grassroots,
        row.share_county,
        row.share_city,
        row.share_province,
        row.share_national,
    ]
    return "，".join(
        f"{label}{_yuan(v)}" for label, v in zip(SHARE_LABELS, parts, strict=True) if v
    )


def record_fund_receipt(
    db: Database, actor: CurrentUser, values: Mapping[str, object], levy_id: int | None = None
) -> FundReceiptRow:
    """Record a 专用收据 issued (on the central stock) through the ``fund-receipts``
    register; 票号 is unique within its year. With ``levy_id`` the 缴款单位, 所属期,
    amounts and 分成 default to that levy's."""
    from unionsdesk.services.sites.registers import FUND_RECEIPTS

    raw = dict(values)
    if levy_id is not None:
        with reading(db, actor) as s:
            v = s.get(Levy, levy_id)
            if v is None:
                raise UserError(f"拨缴记录 {levy_id} 不存在")
            row = _levy_row(v)
        defaults = {
            "payer_name": row.payer_name, "period": row.period, "wage_total": str(from_fen(row.wage_total)),
            "due": str(from_fen(row.due)), "paid": str(from_fen(row.paid)), "shares": shares_text(row),
        }  # fmt: skip
        raw = {**defaults, **{k: v for k, v in raw.items() if v not in (None, "")}}
    record = FUND_RECEIPTS.create(db, actor, raw)
    with writing(db, actor) as s:
        r = s.get(FundReceipt, record.id)
        assert r is not None
        if levy_id is not None:  # the receipt names the levy it was issued for
            r.levy_id = levy_id
        return _receipt_row(r)


def void_fund_receipt(
    db: Database, actor: CurrentUser, receipt_id: int, reason: str
) -> FundReceiptRow:
    """作废: the row stays (its number is used) with the reason."""
    from unionsdesk.services.sites.registers import FUND_RECEIPTS

    FUND_RECEIPTS.void(db, actor, receipt_id, reason)
    with reading(db, actor) as s:
        r = s.get(FundReceipt, receipt_id)
        assert r is not None
        return _receipt_row(r)


def list_fund_receipts(
    db: Database, actor: CurrentUser, year: int | None = None, text: str | None = None
) -> list[FundReceiptRow]:
    with reading(db, actor) as s:
        q = select(FundReceipt).order_by(FundReceipt.year.desc(), FundReceipt.number)
        if year is not None:
            q = q.where(FundReceipt.year == year)
        if text:
            q = q.where(FundReceipt.payer_name.like(f"%{text.strip()}%"))
        return [_receipt_row(r) for r in s.scalars(q)]


@dataclass(frozen=True)
class NumberGap:
    first: int
    last: int

    @property
    def text(self) -> str:
        if self.first == self.last:
            return f"{self.first:08d}"
        return f"{self.first:08d}—{self.last:08d}（{self.last - self.first + 1}张）"


def fund_receipt_gaps(db: Database, actor: CurrentUser, year: int) -> list[NumberGap]:
    """Numbers missing between the year's lowest and highest recorded 票号 (a voided
    number is recorded, so it is not a gap)."""
    with reading(db, actor) as s:
        numbers = list(
            s.scalars(
                select(FundReceipt.number)
                .where(FundReceipt.year == year)
                .order_by(FundReceipt.number)
            )
        )
    gaps = []
    for a, b in itertools.pairwise(numbers):
        if b > a + 1:
            gaps.append(NumberGap(a + 1, b - 1))
    return gaps


def receipt_totals(db: Database, actor: CurrentUser, year: int) -> tuple[int, int, int]:
    """(receipts in use, voided, 实缴 on the ones in use) for the year."""
    with reading(db, actor) as s:
        used, voided, paid = s.execute(
            select(
                func.count(case((FundReceipt.voided.is_(False), 1))),
                func.count(case((FundReceipt.voided.is_(True), 1))),
                func.coalesce(
                    func.sum(case((FundReceipt.voided.is_(False), FundReceipt.paid), else_=0)), 0
                ),
            ).where(FundReceipt.year == year)
        ).one()
    return int(used), int(voided), int(paid)
