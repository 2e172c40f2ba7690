"""import members/hardship/payouts, export members/unions/template/stats."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from unionsdesk.db.open import open_database
from unionsdesk.errors import UserError


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    imp = sub.add_parser(
        "import", parents=parents, help="从 Excel 导入（会员、困难职工档案、发放明细）"
    )
    kinds = imp.add_subparsers(dest="kind", metavar="类型", required=True, parser_class=type(imp))
    p = kinds.add_parser("members", parents=parents, help="导入会员花名册（.xlsx/.xls）")
    p.add_argument("file", type=Path, help="Excel 文件")
    p.add_argument(
        "--union", help="会员所在工会（名称、统一社会信用代码或编号）；不给则按表中“工作单位”列"
    )
    p.add_argument("--skip-invalid", action="store_true", help="只导入正确的行，跳过有错误的行")
    p.add_argument("--report", type=Path, metavar="ERRORS.xlsx", help="把错误行写入这个 Excel 文件")
    p.set_defaults(func=cmd_import_members)
    p = kinds.add_parser(
        "hardship", parents=parents, help="导入困难职工档案（已有在档档案的人跳过）"
    )
    p.add_argument("file", type=Path, help="Excel 文件")
    p.add_argument("--union", help="所在工会；不给则按表中“所在工会”列")
    p.add_argument("--skip-invalid", action="store_true", help="只导入正确的行，跳过有错误的行")
    p.add_argument("--report", type=Path, metavar="ERRORS.xlsx", help="把错误行写入这个 Excel 文件")
    p.set_defaults(func=cmd_import_hardship)
    p = kinds.add_parser(
        "payouts", parents=parents, help="导入帮扶活动的发放明细（有错误行时不写入任何数据）"
    )
    p.add_argument("file", type=Path, help="Excel 文件")
    p.add_argument("--campaign", type=int, required=True, help="活动编号（见 campaign list）")
    p.add_argument("--skip-invalid", action="store_true", help="只导入正确的行，跳过有错误的行")
    p.add_argument("--report", type=Path, metavar="ERRORS.xlsx", help="把错误行写入这个 Excel 文件")
    p.set_defaults(func=cmd_import_payouts, union=None)

    exp = sub.add_parser(
        "export", parents=parents, help="导出到 Excel（会员、工会、导入模板、统计）"
    )
    kinds = exp.add_subparsers(dest="kind", metavar="类型", required=True, parser_class=type(exp))
    p = kinds.add_parser("members", parents=parents, help="会员名册")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.add_argument("--union", help="只导出该工会（含下级工会）的会员")
    p.set_defaults(func=cmd_export_members)
    p = kinds.add_parser("unions", parents=parents, help="基层工会名录")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_export_unions)
    p = kinds.add_parser("stats", parents=parents, help="工会组织和会员情况统计表")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.add_argument("--year", type=int, help="统计“本年新入会”的年份（默认今年）")
    p.set_defaults(func=cmd_export_stats)
    p = kinds.add_parser("template", parents=parents, help="空白导入模板")
    p.add_argument("what", choices=["members"], help="模板类型")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_export_template)


def _out(path: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"输出文件应以 .xlsx 结尾：{path}")
    if not path.parent.is_dir():
        raise UserError(f"输出目录不存在：{path.parent}")
    return path


def _session(args: argparse.Namespace) -> tuple[Any, Any, str]:
    from unionsdesk.services.office import get_office
    from unionsdesk.services.users import first_admin

    db = open_database(args.db, must_exist=True)
    return db, first_admin(db), get_office(db).name


def cmd_export_members(args: argparse.Namespace) -> int:
    from unionsdesk.services.member_io import export_members
    from unionsdesk.services.unions import find_union

    out = _out(args.out)
    db, admin, office = _session(args)
    union_id = find_union(db, admin, args.union).id if args.union else None
    n = export_members(db, admin, out, union_id, office)
    print(f"已导出 {n} 名会员：{out}")
    return 0


def cmd_export_unions(args: argparse.Namespace) -> int:
    from unionsdesk.excel.writer import write_table
    from unionsdesk.services.member_io import union_table

    out = _out(args.out)
    db, admin, office = _session(args)
    table = union_table(db, admin, office)
    write_table(out, table, "基层工会名录")
    print(f"已导出 {len(table.rows)} 个工会：{out}")
    return 0


def cmd_export_stats(args: argparse.Namespace) -> int:
    from unionsdesk.excel.writer import write_tables
    from unionsdesk.reports.members import member_statistics

    out = _out(args.out)
    db, admin, office = _session(args)
    stats = member_statistics(db, admin, args.year, office)
    write_tables(out, [(stats.by_township, "按乡镇产业"), (stats.by_union, "按基层工会")])
    print(f"已导出统计表：{out}")
    return 0


def cmd_export_template(args: argparse.Namespace) -> int:
    from unionsdesk.services.member_io import write_member_template

    out = _out(args.out)
    db, _admin, _office = _session(args)
    write_member_template(db, out)
    print(f"已生成空白导入模板：{out}")
    return 0


def cmd_import_members(args: argparse.Namespace) -> int:
    from unionsdesk.services.member_import import import_members

    return _import(args, import_members)


def cmd_import_hardship(args: argparse.Namespace) -> int:
    from unionsdesk.services.hardship_import import import_hardship_files

    return _import(args, import_hardship_files)


def cmd_import_payouts(args: argparse.Namespace) -> int:
    from unionsdesk.services.payout_import import import_payouts

    def importer(db: Any, admin: Any, path: Path, *, union_id: None, skip_invalid: bool) -> Any:
        return import_payouts(db, admin, path, campaign_id=args.campaign, skip_invalid=skip_invalid)

    return _import(args, importer)


def _import(args: argparse.Namespace, importer: Any) -> int:
    from unionsdesk.services.unions import find_union

    if args.report is not None:
        _out(args.report)
    db, admin, _office = _session(args)
    union_id = find_union(db, admin, args.union).id if args.union else None
    result = importer(db, admin, args.file, union_id=union_id, skip_invalid=args.skip_invalid)
    for line in result.summary_lines():
        print(line)
    if args.report is not None and result.errors:
        result.write_error_workbook(args.report)
        print(f"错误明细已写入：{args.report}")
    if result.invalid and not args.skip_invalid:
        print(
            "有错误行，未导入任何数据。请按错误明细修改后重新导入，或加 --skip-invalid 只导入正确的行。",
            file=sys.stderr,
        )
        return 2
    return 0
