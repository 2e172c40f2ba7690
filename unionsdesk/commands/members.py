"""import members/hardship/payouts, import batches/undo, export members/unions/template/stats."""

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
    add_report_options(p)
    p.add_argument("--sheet", help="要导入的工作表：名称或第几个（如 2）；默认为第一个工作表")
    p.set_defaults(func=cmd_import_members)
    p = kinds.add_parser(
        "hardship", parents=parents, help="导入困难职工档案（已有在档档案的人跳过）"
    )
    p.add_argument("file", type=Path, help="Excel 文件")
    p.add_argument("--union", help="所在工会；不给则按表中“所在工会”列")
    p.add_argument("--skip-invalid", action="store_true", help="只导入正确的行，跳过有错误的行")
    add_report_options(p)
    p.add_argument("--sheet", help="要导入的工作表：名称或第几个（如 2）；默认为第一个工作表")
    p.set_defaults(func=cmd_import_hardship)
    p = kinds.add_parser(
        "payouts", parents=parents, help="导入帮扶活动的发放明细（有错误行时不写入任何数据）"
    )
    p.add_argument("file", type=Path, help="Excel 文件")
    p.add_argument("--campaign", type=int, required=True, help="活动编号（见 campaign list）")
    p.add_argument("--skip-invalid", action="store_true", help="只导入正确的行，跳过有错误的行")
    add_report_options(p)
    p.add_argument("--sheet", help="要导入的工作表：名称或第几个（如 2）；默认为第一个工作表")
    p.set_defaults(func=cmd_import_payouts, union=None)
    p = kinds.add_parser("batches", parents=parents, help="列出最近的导入批次（可否撤销及原因）")
    p.add_argument("--limit", type=int, default=20, help="列出最近多少批（默认 20）")
    p.set_defaults(func=cmd_import_batches)
    p = kinds.add_parser(
        "undo", parents=parents, help="撤销最近一次导入（删除该批导入的会员，恢复被改动的人员信息）"
    )
    p.add_argument(
        "batch", type=int, nargs="?", help="导入批次编号（见 import batches；默认为最近一批）"
    )
    p.set_defaults(func=cmd_import_undo)

    exp = sub.add_parser(
        "export", parents=parents, help="导出到 Excel（会员、工会、导入模板、统计）"
    )
    kinds = exp.add_subparsers(dest="kind", metavar="类型", required=True, parser_class=type(exp))
    p = kinds.add_parser("members", parents=parents, help="会员名册，或上级系统的上报格式")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.add_argument("--union", help="只导出该工会（含下级工会）的会员")
    p.add_argument(
        "--layout",
        choices=["register", "hainan"],
        default="register",
        help="register：本系统会员名册（默认）；hainan：海南省工会会员信息采集表（20列上报模板）",
    )
    p.add_argument(
        "--per-union", action="store_true", help="（hainan）每个工会单独一个文件，便于分别上报"
    )
    p.add_argument(
        "--rows-per-file",
        type=int,
        metavar="N",
        help="（hainan）每个文件最多N名会员，超出时分成多个文件（默认60000）",
    )
    p.set_defaults(func=cmd_export_members)
    p = kinds.add_parser("unions", parents=parents, help="基层工会名录")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_export_unions)
    p = kinds.add_parser("stats", parents=parents, help="工会组织和会员情况统计表")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.add_argument("--year", type=int, help="统计“本年新入会”的年份（默认今年）")
    p.set_defaults(func=cmd_export_stats)
    p = kinds.add_parser("template", parents=parents, help="空白导入模板")
    p.add_argument(
        "what",
        choices=list(TEMPLATES),
        help="模板类型：members 会员、hardship 困难职工档案、payouts 发放明细",
    )
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_export_template)
    p = kinds.add_parser("hardship", parents=parents, help="困难职工档案（在档的）")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.add_argument("--all", action="store_true", help="也导出已解困脱困、退出的档案")
    p.set_defaults(func=cmd_export_hardship)
    p = kinds.add_parser("payouts", parents=parents, help="帮扶活动的发放明细")
    p.add_argument("--campaign", type=int, required=True, help="活动编号（见 campaign list）")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_export_payouts)
    p = kinds.add_parser(
        "bank", parents=parents, help="银行代发文件（户名、账号、金额、摘要；列顺序按设置）"
    )
    p.add_argument("--campaign", type=int, required=True, help="活动编号（见 campaign list）")
    p.add_argument("--bank", help="只导出开户银行为该行的明细，并按该行设置的列顺序")
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.set_defaults(func=cmd_export_bank)


TEMPLATES = {
    "members": ("unionsdesk.services.members.member_io", "write_member_template"),
    "hardship": ("unionsdesk.services.aid.aid_io", "write_hardship_template"),
    "payouts": ("unionsdesk.services.aid.aid_io", "write_payout_template"),
}


def _out(path: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"输出文件应以 .xlsx 结尾：{path}")
    if not path.parent.is_dir():
        raise UserError(f"输出目录不存在：{path.parent}")
    return path


def _session(args: argparse.Namespace) -> tuple[Any, Any, str]:
    from unionsdesk.services.common.office import get_office
    from unionsdesk.services.common.users import first_admin

    db = open_database(args.db, must_exist=True)
    return db, first_admin(db), get_office(db).name


def cmd_export_members(args: argparse.Namespace) -> int:
    from unionsdesk.services.members.member_io import export_members
    from unionsdesk.services.members.unions import find_union

    out = _out(args.out)
    if args.layout == "hainan":
        return _export_members_hainan(args, out)
    if args.per_union or args.rows_per_file is not None:
        raise UserError("--per-union 和 --rows-per-file 只用于 --layout hainan")
    db, admin, office = _session(args)
    union_id = find_union(db, admin, args.union).id if args.union else None
    n = export_members(db, admin, out, union_id, office)
    print(f"已导出 {n} 名会员：{out}")
    return 0


def _export_members_hainan(args: argparse.Namespace, out: Path) -> int:
    """Problems in the data are warnings (printed, listed in …_问题清单.xlsx), not errors."""
    from unionsdesk.services.members.unions import find_union
    from unionsdesk.services.members.upstream_export import ROWS_PER_FILE, export_members_hainan

    limit = ROWS_PER_FILE if args.rows_per_file is None else args.rows_per_file
    if not 1 <= limit <= ROWS_PER_FILE:
        raise UserError(f"--rows-per-file 应在 1 到 {ROWS_PER_FILE} 之间")
    db, admin, _office = _session(args)
    union_id = find_union(db, admin, args.union).id if args.union else None
    result = export_members_hainan(
        db, admin, out, union_id=union_id, per_union=args.per_union, rows_per_file=limit
    )
    for line in result.summary_lines():
        print(line)
    if result.problems:
        print(
            f"提示：{result.problem_rows} 人的数据不符合上级系统要求，请按问题清单核对后再上报",
            file=sys.stderr,
        )
    return 0


def cmd_export_unions(args: argparse.Namespace) -> int:
    from unionsdesk.excel.writer import write_table
    from unionsdesk.services.members.member_io import union_table

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
    import importlib

    module, name = TEMPLATES[args.what]
    out = _out(args.out)
    db, _admin, _office = _session(args)
    getattr(importlib.import_module(module), name)(db, out)
    print(f"已生成空白导入模板：{out}")
    return 0


def cmd_export_hardship(args: argparse.Namespace) -> int:
    from unionsdesk.excel.writer import write_table
    from unionsdesk.services.aid.aid_io import hardship_table

    out = _out(args.out)
    db, admin, office = _session(args)
    table = hardship_table(db, admin, include_closed=args.all, office=office)
    write_table(out, table, "困难职工档案")
    print(f"已导出 {len(table.rows)} 份困难职工档案：{out}")
    return 0


def cmd_export_payouts(args: argparse.Namespace) -> int:
    from unionsdesk.excel.writer import write_table
    from unionsdesk.services.aid.aid_io import payout_table

    out = _out(args.out)
    db, admin, office = _session(args)
    table = payout_table(db, admin, args.campaign, office)
    write_table(out, table, "发放明细")
    print(f"已导出 {len(table.rows)} 行发放明细：{out}")
    return 0


def cmd_export_bank(args: argparse.Namespace) -> int:
    from unionsdesk.excel.writer import write_table
    from unionsdesk.services.aid.aid_io import bank_file_table

    out = _out(args.out)
    db, admin, _office = _session(args)
    table = bank_file_table(db, admin, args.campaign, args.bank)
    write_table(out, table, "代发明细")
    print(f"已生成银行代发文件（{len(table.rows)}人）：{out}")
    return 0


def cmd_import_members(args: argparse.Namespace) -> int:
    from unionsdesk.services.members.member_import import import_members

    return _import(args, import_members)


def cmd_import_hardship(args: argparse.Namespace) -> int:
    from unionsdesk.services.aid.hardship_import import import_hardship_files

    return _import(args, import_hardship_files)


def cmd_import_payouts(args: argparse.Namespace) -> int:
    from unionsdesk.services.aid.payout_import import import_payouts

    def importer(
        db: Any, admin: Any, path: Path, *, union_id: None, skip_invalid: bool, worksheet: Any
    ) -> Any:
        return import_payouts(
            db,
            admin,
            path,
            campaign_id=args.campaign,
            skip_invalid=skip_invalid,
            worksheet=worksheet,
        )

    return _import(args, importer)


def cmd_import_batches(args: argparse.Namespace) -> int:
    from unionsdesk.services.common.import_undo import list_batches

    db, admin, _office = _session(args)
    rows = list_batches(db, admin, limit=max(args.limit, 1))
    if not rows:
        print("还没有导入过数据")
        return 0
    print("批次  类型  文件  工会  导入时间  经办人  读取  导入  跳过  错误  状态")
    for b in rows:
        if b.undone:
            when = f"{b.undone_at:%Y-%m-%d %H:%M}" if b.undone_at else ""
            state = f"已撤销（{' '.join(x for x in (when, b.undone_by) if x)}）"
        elif b.can_undo:
            state = "可撤销"
        else:
            state = f"不能撤销：{b.why_not}"
        print(
            f"{b.id:>4}  {b.kind_name}  {b.file_name}  {b.union_name or '按表中工作单位'}  "
            f"{b.imported_at:%Y-%m-%d %H:%M}  {b.imported_by or ''}  {b.rows_read}  "
            f"{b.imported}  {b.skipped}  {b.invalid}  {state}"
        )
    return 0


def cmd_import_undo(args: argparse.Namespace) -> int:
    from unionsdesk.services.common.import_undo import undo_batch

    db, admin, _office = _session(args)
    result = undo_batch(db, admin, args.batch)
    for line in result.summary_lines():
        print(line)
    return 0


def add_report_options(p: argparse.ArgumentParser) -> None:
    """--report and --force of every import command (checked by check_report)."""
    p.add_argument("--report", type=Path, help="把错误行写入这个 Excel 文件")
    p.add_argument("--force", action="store_true", help="错误清单文件已存在时覆盖它")


def check_report(args: argparse.Namespace) -> None:
    """Before anything is read: the error list goes to an .xlsx that is not the input file
    and, without --force, not an existing file."""
    if args.report is not None:
        from unionsdesk.excel.writer import check_output

        _out(args.report)
        check_output(args.report, inputs=[args.file], force=args.force, what="错误清单")


def finish_import(args: argparse.Namespace, result: Any) -> int:
    """Print an import's summary, write its error list, and give the exit code."""
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


def _import(args: argparse.Namespace, importer: Any) -> int:
    from unionsdesk.services.members.unions import find_union

    check_report(args)
    db, admin, _office = _session(args)
    union_id = find_union(db, admin, args.union).id if args.union else None
    sheet = args.sheet
    if sheet is not None and sheet.strip().isdigit():  # --sheet 2: the second sheet
        sheet = int(sheet) - 1
        if sheet < 0:
            raise UserError("--sheet 应为工作表名称或从 1 开始的序号")
    result = importer(
        db, admin, args.file, union_id=union_id, skip_invalid=args.skip_invalid, worksheet=sheet
    )
    return finish_import(args, result)
