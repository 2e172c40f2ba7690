"""阵地与补助 and 经费: printed grant forms, the 会费收缴表, attachments for scripts,
the finance office's Excel of projects by status and the month's dues list.

`print grant-application|grant-approval|grant-acceptance|dues`, `report grants`,
`attach ENTITY ID FILE`, `attachments ENTITY ID`, `dues build`. The registers
(sites, inspections, grants, levies, fund-receipts, dues) get their
import/export/print list from `unionsdesk.commands.registers`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from unionsdesk.commands.members import _session
from unionsdesk.commands.registers import _kinds
from unionsdesk.errors import UserError


def _pdf(path: Path) -> Path:
    if path.suffix.lower() != ".pdf":
        raise UserError("输出文件应以 .pdf 结尾")
    return path


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    prn = _kinds(sub, "print", parents, "打印（生成 PDF）")
    p = prn.add_parser(
        "grant-application", parents=parents, help="打印对下项目补助申报表（一个项目）"
    )
    p.add_argument("grant", type=int, help="补助项目记录编号（见 export grants）")
    p.add_argument("out", type=Path, help="输出 PDF")
    p.set_defaults(func=cmd_print_application)
    p = prn.add_parser(
        "grant-approval", parents=parents, help="打印补助项目审批表（上会项目清单，含合计和大写）"
    )
    p.add_argument("out", type=Path, help="输出 PDF")
    p.add_argument("--grant", type=int, nargs="+", help="这些补助项目（默认：该年度待审批的项目）")
    p.add_argument("--year", type=int, help="年度（默认今年）")
    p.set_defaults(func=cmd_print_approval)
    p = prn.add_parser(
        "grant-acceptance", parents=parents, help="打印对下项目补助验收表（一个项目）"
    )
    p.add_argument("grant", type=int, help="补助项目记录编号")
    p.add_argument("out", type=Path, help="输出 PDF")
    p.set_defaults(func=cmd_print_acceptance)
    p = prn.add_parser("dues", parents=parents, help="打印会费收缴表（一个工会一个月）")
    _dues_options(p)
    p.add_argument("out", type=Path, help="输出 PDF")
    p.set_defaults(func=cmd_print_dues)

    rep = _kinds(sub, "report", parents, "报表（PDF 或 Excel）")
    p = rep.add_parser("grants", parents=parents, help="全部补助项目按状态分表（给财务）")
    p.add_argument("--year", type=int, required=True, help="年度")
    p.add_argument("out", type=Path, help="输出 .xlsx")
    p.set_defaults(func=cmd_report_grants)

    p = sub.add_parser("attach", parents=parents, help="给记录添加附件（照片、扫描件）")
    p.add_argument(
        "entity", help="记录类型：site（阵地）、grant（补助项目）、inspection（检查记录）"
    )
    p.add_argument("id", type=int, help="记录编号")
    p.add_argument("file", type=Path, help="文件（pdf、jpg、png、docx、xlsx）")
    p.add_argument("--note", help="说明")
    p.set_defaults(func=cmd_attach)
    p = sub.add_parser("attachments", parents=parents, help="列出记录的附件")
    p.add_argument("entity", help="记录类型：site、grant、inspection")
    p.add_argument("id", type=int, help="记录编号")
    p.add_argument("--save", type=Path, metavar="目录", help="把附件另存到这个目录")
    p.set_defaults(func=cmd_attachments)

    dues = sub.add_parser("dues", parents=parents, help="会费")
    kinds = dues.add_subparsers(dest="kind", metavar="操作", required=True, parser_class=type(dues))
    p = kinds.add_parser("build", parents=parents, help="生成某月会费名单（工资基数沿用上月）")
    _dues_options(p)
    p.set_defaults(func=cmd_dues_build)


def _dues_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--union", required=True, help="工会全称、统一社会信用代码或编号")
    p.add_argument("--year", type=int, required=True, help="年度")
    p.add_argument("--month", type=int, required=True, help="月份")


def cmd_print_application(args: argparse.Namespace) -> int:
    from unionsdesk.services.sites.print_jobs import grant_application_pdf

    db, admin, _ = _session(args)
    grant_application_pdf(db, admin, args.grant, _pdf(args.out))
    print(f"已生成申报表：{args.out}")
    return 0


def cmd_print_approval(args: argparse.Namespace) -> int:
    from unionsdesk.services.sites.print_jobs import grant_approval_pdf

    db, admin, _ = _session(args)
    grant_approval_pdf(db, admin, _pdf(args.out), args.grant or (), year=args.year)
    print(f"已生成审批表：{args.out}")
    return 0


def cmd_print_acceptance(args: argparse.Namespace) -> int:
    from unionsdesk.services.sites.print_jobs import grant_acceptance_pdf

    db, admin, _ = _session(args)
    grant_acceptance_pdf(db, admin, args.grant, _pdf(args.out))
    print(f"已生成验收表：{args.out}")
    return 0


def _union_id(db: Any, admin: Any, key: str) -> int:
    from unionsdesk.services.members.unions import find_union

    return find_union(db, admin, key).id


def cmd_print_dues(args: argparse.Namespace) -> int:
    from unionsdesk.services.sites.print_jobs import dues_pdf

    db, admin, _ = _session(args)
    dues_pdf(db, admin, _union_id(db, admin, args.union), args.year, args.month, _pdf(args.out))
    print(f"已生成会费收缴表：{args.out}")
    return 0


def cmd_dues_build(args: argparse.Namespace) -> int:
    from unionsdesk.services.sites.dues import build_dues

    db, admin, _ = _session(args)
    made = build_dues(db, admin, _union_id(db, admin, args.union), args.year, args.month)
    print(
        f"已生成{args.year}年{args.month}月会费名单：{made.lines}人，免缴（保留会籍）{made.waived}人，"
        f"缺工资基数{made.without_base}人，合计 {made.total / 100:,.2f} 元"
    )
    return 0


def cmd_report_grants(args: argparse.Namespace) -> int:
    from unionsdesk.services.sites.print_jobs import grants_by_status_xlsx

    if args.out.suffix.lower() != ".xlsx":
        raise UserError("输出文件应以 .xlsx 结尾")
    db, admin, _ = _session(args)
    grants_by_status_xlsx(db, admin, args.year, args.out)
    print(f"已生成补助项目汇总（按状态分表）：{args.out}")
    return 0


def cmd_attach(args: argparse.Namespace) -> int:
    from unionsdesk.attachments import add_attachment

    db, admin, _ = _session(args)
    a = add_attachment(db, admin, args.entity, args.id, args.file, args.note)
    print(f"已添加附件 {a.id}：{a.name}（{a.size_text}）")
    return 0


def cmd_attachments(args: argparse.Namespace) -> int:
    from unionsdesk.attachments import export_attachment, list_attachments

    db, admin, _ = _session(args)
    found = list_attachments(db, admin, args.entity, args.id)
    if not found:
        print("没有附件")
    for a in found:
        line = (
            f"{a.id:>5}  {a.name}  {a.size_text}  {a.added_at:%Y-%m-%d %H:%M}  {a.added_by or ''}"
        )
        if args.save:
            line += f"  → {export_attachment(db, admin, a.id, args.save)}"
        print(line)
    return 0
