"""A statistics table to PDF or .xlsx, and the year-end pack: every table in one
workbook (a sheet per part) and one PDF with a contents page and the charts."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unionsdesk.db.engine import Database
from unionsdesk.errors import UserError
from unionsdesk.reports.stats.engine import StatReport
from unionsdesk.reports.stats.period import year_period
from unionsdesk.reports.stats.tables import TABLES, build_report
from unionsdesk.services.common.base import CurrentUser

SIGNATURES = ("单位负责人",)
CancelCheck = Callable[[], bool]


def check_out(path: str | os.PathLike[str], suffixes: Sequence[str] = (".pdf", ".xlsx")) -> Path:
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        raise UserError(f"输出文件应以 {' 或 '.join(suffixes)} 结尾：{target}")
    if not target.parent.is_dir():
        raise UserError(f"输出目录不存在：{target.parent}")
    return target


def sheet_titles(report: StatReport) -> list[str]:
    """One sheet per part: 帮扶工作统计（一）, 帮扶工作统计（二）…"""
    short = TABLES[report.key].short
    if len(report.parts) == 1:
        return [short]
    numbers = "一二三四五六七八九十"
    return [f"{short}（{numbers[i]}）" for i in range(len(report.parts))]


def write_report(report: StatReport, path: str | os.PathLike[str]) -> Path:
    """The table as a PDF (A4, landscape when wide, headers on every page) or a styled
    .xlsx (a sheet per part), by the suffix of ``path``."""
    target = check_out(path)
    if target.suffix.lower() == ".pdf":
        from unionsdesk.printing.table_pdf import render_tables_pdf

        return render_tables_pdf(report.tables, target, title=report.title, signatures=SIGNATURES)
    from unionsdesk.excel.writer import write_tables

    return write_tables(target, list(zip(report.tables, sheet_titles(report), strict=True)))


@dataclass(frozen=True)
class YearPack:
    workbook: Path
    pdf: Path
    reports: list[StatReport]

    @property
    def failed(self) -> list[StatReport]:
        return [r for r in self.reports if not r.passed]


def pack_paths(out: str | os.PathLike[str], year: int) -> tuple[Path, Path]:
    """OUT as a folder (files named for the year inside) or a file name (its stem)."""
    target = Path(out)
    if target.is_dir():
        stem = target / f"{year}年度统计报表"
    else:
        if not target.parent.is_dir():
            raise UserError(f"输出目录不存在：{target.parent}")
        stem = target.with_suffix("") if target.suffix.lower() in (".pdf", ".xlsx") else target
    return stem.with_name(stem.name + ".xlsx"), stem.with_name(stem.name + ".pdf")


def year_pack(
    db: Database,
    actor: CurrentUser,
    year: int,
    out: str | os.PathLike[str],
    *,
    reviewer: str = "",
    charts: bool = True,
    progress: Callable[[int, int, str], None] | None = None,
) -> YearPack:
    """Every table for ``year`` (whole county) into one workbook and one PDF."""
    from unionsdesk.excel.writer import write_tables
    from unionsdesk.printing.table_pdf import render_tables_pdf

    period = year_period(year)
    xlsx, pdf = pack_paths(out, year)
    reports = []
    steps = len(TABLES) + 2
    for n, key in enumerate(TABLES):
        if progress is not None:
            progress(n, steps, f"正在统计{TABLES[key].short}……")
        reports.append(build_report(db, actor, key, period, reviewer=reviewer))
    sheets: list[tuple[Any, str | None]] = []
    tables = []
    for r in reports:
        sheets += list(zip(r.tables, sheet_titles(r), strict=True))
        tables += r.tables
    if progress is not None:
        progress(len(TABLES), steps, "正在写入 Excel……")
    write_tables(xlsx, sheets)
    drawings = []
    if charts:
        from unionsdesk.printing.grid import DrawingPage
        from unionsdesk.reports.stats.charts import dashboard_data, drawings_for

        drawings = [DrawingPage(f"{year}年度统计图", drawings_for(dashboard_data(db, actor, year)))]
    if progress is not None:
        progress(len(TABLES) + 1, steps, "正在生成 PDF……")
    render_tables_pdf(
        tables,
        pdf,
        title=f"{year}年度统计报表",
        signatures=SIGNATURES,
        contents=f"{year}年度统计报表  目录",
        drawings=drawings,
    )
    return YearPack(xlsx, pdf, reports)
