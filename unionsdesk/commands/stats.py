"""report org|members|aid …, report year: the upward statistics tables.

The ``report`` sub-command itself is made in `unionsdesk.commands.aid` (report
campaign); `add_report_kinds` adds the statistics tables to it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from unionsdesk.commands.members import _session


def add_report_kinds(kinds: Any, parents: list[argparse.ArgumentParser]) -> None:
    from unionsdesk.reports.stats.tables import TABLES

    for key, d in TABLES.items():
        p = kinds.add_parser(
            key,
            parents=parents,
            help=f"{d.title}（PDF 或 Excel；年度、季度或月份区间；全县、乡镇或一个工会）",
        )
        p.add_argument(
            "--period",
            required=True,
            help="统计期间：2026（年度）、2026Q3（季度）或 2026-01..2026-06（月份区间）",
        )
        p.add_argument("--scope", help="统计范围：乡镇（产业）工会或基层工会的名称；不写为全县")
        p.add_argument("--filler", help="填报人（默认：第一个管理员）")
        p.add_argument("--reviewer", default="", help="审核人")
        p.add_argument("out", type=Path, help="输出文件 .pdf 或 .xlsx")
        p.set_defaults(func=cmd_report_table, table=key)
    p = kinds.add_parser(
        "year",
        parents=parents,
        help="年度报表包：全部统计表写入一个 Excel（每表一页）和一个带目录与统计图的 PDF",
    )
    p.add_argument("--year", type=int, required=True, help="年度，如 2026")
    p.add_argument("--reviewer", default="", help="审核人")
    p.add_argument("out", type=Path, help="输出文件夹，或文件名（生成同名 .xlsx 和 .pdf）")
    p.set_defaults(func=cmd_report_year)


def _write(report: Any, out: Path) -> None:
    from unionsdesk.reports.stats.output import write_report

    write_report(report, out)
    print(f"已生成{report.title}：{out}")
    if report.failed_checks:
        print(f"注意：未通过校验（{len(report.failed_checks)}项），表上已标明：")
        for reason in report.failed_checks:
            print(f"  - {reason}")


def cmd_report_table(args: argparse.Namespace) -> int:
    from unionsdesk.reports.stats.output import check_out
    from unionsdesk.reports.stats.tables import build_report

    out = check_out(args.out)
    db, admin, office = _session(args)
    report = build_report(
        db, admin, args.table, args.period, args.scope,
        filler=args.filler, reviewer=args.reviewer, office=office,
    )  # fmt: skip
    _write(report, out)
    return 0


def cmd_report_year(args: argparse.Namespace) -> int:
    from unionsdesk.reports.stats.output import year_pack
    from unionsdesk.reports.stats.period import parse_period

    parse_period(str(args.year))  # a year that has not started is refused here
    db, admin, _office = _session(args)
    pack = year_pack(db, admin, args.year, args.out, reviewer=args.reviewer)
    print(f"已生成{args.year}年度报表：\n  {pack.workbook}\n  {pack.pdf}")
    for r in pack.failed:
        print(f"注意：{r.title}未通过校验（{len(r.failed_checks)}项），表上已标明")
    return 0
