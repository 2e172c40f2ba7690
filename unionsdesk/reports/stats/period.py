"""The period of a statistics table: a year (2026), a quarter (2026Q3) or a month
range (2026-01..2026-06, or one month 2026-05)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from unionsdesk.errors import UserError

PeriodKind = Literal["year", "quarter", "months"]
QUARTER_NAMES = ("一", "二", "三", "四")
HINT = "请写 2026（年度）、2026Q3（季度）或 2026-01..2026-06（月份区间）"

_YEAR = re.compile(r"^(\d{4})年?$")
_QUARTER = re.compile(r"^(\d{4})\s*[Qq季]\s*(\d+)$")
_QUARTER_CN = re.compile(r"^(\d{4})年?第?([一二三四1-9])季度?$")
_MONTH = r"(\d{4})[-./年](\d{1,2})月?"
_MONTHS = re.compile(rf"^{_MONTH}(?:\s*(?:\.\.|～|~|至|到|—|–)\s*{_MONTH})?$")


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        """2026年 / 2026年第三季度 / 2026年1月至6月 / 2026年5月."""
        y = self.start.year
        if self.kind == "year":
            return f"{y}年"
        if self.kind == "quarter":
            return f"{y}年第{QUARTER_NAMES[(self.start.month - 1) // 3]}季度"
        if self.start.month == self.end.month and self.start.year == self.end.year:
            return f"{y}年{self.start.month}月"
        if self.start.year == self.end.year:
            return f"{y}年{self.start.month}月至{self.end.month}月"
        return f"{y}年{self.start.month}月至{self.end.year}年{self.end.month}月"

    @property
    def code(self) -> str:
        """The way the CLI writes it: 2026, 2026Q3, 2026-01..2026-06."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}..{self.end:%Y-%m}"

    @property
    def range_text(self) -> str:
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"

    def previous(self) -> Period:
        """The period of the same length just before (last year, last quarter …)."""
        if self.kind == "year":
            return year_period(self.start.year - 1)
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        first = _add_months(self.start, -months)
        return Period(self.kind, first, self.start - timedelta(days=1))

    def unfinished(self, today: date | None = None) -> bool:
        return (today or date.today()) < self.end


def _add_months(d: date, n: int) -> date:
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def _month_end(year: int, month: int) -> date:
    return _add_months(date(year, month, 1), 1) - timedelta(days=1)


def year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31))


def quarter_period(year: int, quarter: int) -> Period:
    if not 1 <= quarter <= 4:
        raise UserError(f"季度应为 1 到 4，不能是第 {quarter} 季度")
    first = 3 * quarter - 2
    return Period("quarter", date(year, first, 1), _month_end(year, first + 2))


def month_period(year: int, month: int, end_year: int, end_month: int) -> Period:
    for m in (month, end_month):
        if not 1 <= m <= 12:
            raise UserError(f"月份应为 1 到 12，不能是 {m} 月")
    start, end = date(year, month, 1), _month_end(end_year, end_month)
    if end < start:
        raise UserError(
            f"月份区间的结束月份早于开始月份：{year}-{month:02d}..{end_year}-{end_month:02d}"
        )
    return Period("months", start, end)


def parse_period(text: str, today: date | None = None) -> Period:
    """The period ``text`` means; a clear Chinese UserError for anything else,
    including a period that has not started yet."""
    raw = (text or "").strip()
    if not raw:
        raise UserError(f"请给出统计期间：{HINT}")
    if m := _YEAR.match(raw):
        period = year_period(int(m[1]))
    elif m := _QUARTER.match(raw):
        period = quarter_period(int(m[1]), int(m[2]))
    elif m := _QUARTER_CN.match(raw):
        q = m[2]
        period = quarter_period(
            int(m[1]), QUARTER_NAMES.index(q) + 1 if q in QUARTER_NAMES else int(q)
        )
    elif m := _MONTHS.match(raw):
        year, month = int(m[1]), int(m[2])
        end_year, end_month = (int(m[3]), int(m[4])) if m[3] else (year, month)
        period = month_period(year, month, end_year, end_month)
    else:
        raise UserError(f"看不懂统计期间“{raw}”：{HINT}")
    if not 1900 < period.start.year < 2200:
        raise UserError(f"年份不对：{raw}")
    today = today or date.today()
    if period.start > today:
        raise UserError(
            f"统计期间{period.label}尚未开始（从{period.start:%Y年%m月%d日}开始），没有可统计的数据"
        )
    return period
