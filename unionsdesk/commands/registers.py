"""`import REGISTER FILE`, `export REGISTER OUT.xlsx`, `print list REGISTER OUT.pdf` for
every register of the framework (`unionsdesk.registers`).

They join the ``import``/``export``/``print`` commands the members and aid modules
made (listed before this module in ``COMMAND_MODULES``), as further kinds.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from unionsdesk.commands.members import add_report_options
from unionsdesk.errors import UserError


def _kinds(sub: Any, command: str, parents: list[argparse.ArgumentParser], help_: str) -> Any:
    """The sub-command list of ``command`` (made here when no module made it yet)."""
    parser = sub.choices.get(command)
    if parser is None:
        parser = sub.add_parser(command, parents=parents, help=help_)
        return parser.add_subparsers(
            dest="kind", metavar="类型", required=True, parser_class=type(parser)
        )
    found = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return found[0]


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    from unionsdesk.registers import all_registers, get

    regs = all_registers()
    imp = _kinds(sub, "import", parents, "从 Excel 导入")
    exp = _kinds(sub, "export", parents, "导出到 Excel")
    prn = _kinds(sub, "print", parents, "打印（生成 PDF）")
    for reg in regs:
        p = exp.add_parser(reg.name, parents=parents, help=f"{reg.label}登记表")
        p.add_argument("out", type=Path, help="输出文件 .xlsx")
        _list_options(p, reg)
        p.set_defaults(func=cmd_export, register_name=reg.name)
        if not reg.importable:
            continue
        p = imp.add_parser(
            reg.name, parents=parents, help=f"导入{reg.label}（有错误行时不写入任何数据）"
        )
        p.add_argument("file", type=Path, nargs="?", help="Excel 文件")
        p.add_argument("--skip-invalid", action="store_true", help="只导入正确的行，跳过有错误的行")
        add_report_options(p)
        p.add_argument("--undo", action="store_true", help=f"撤销最近一次{reg.label}导入")
        if reg.parent is not None:
            parent = get(reg.parent.register)
            p.add_argument(
                f"--{reg.parent.option}",
                type=int,
                dest="parent_id",
                help=f"所属{parent.label}的编号",
            )
        p.set_defaults(func=cmd_import, register_name=reg.name)
    listing = "\n".join(f"  {r.name:<20}{r.label}" for r in regs)
    lst = prn.add_parser(
        "list",
        parents=parents,
        help="打印登记表（登记簿见 print list --help）",
        epilog=f"登记簿：\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lst.add_argument(
        "register", choices=[r.name for r in regs], metavar="登记簿", help="登记簿名称，见下"
    )
    lst.add_argument("out", type=Path, help="输出 PDF")
    lst.add_argument("--year", type=int, help="只打印该年度")
    lst.add_argument("--public", action="store_true", help="公示版：身份证号打码")
    lst.add_argument(
        "--parent", type=int, dest="parent_id", help="所属上级记录编号（如疗休养期次）"
    )
    lst.set_defaults(func=cmd_print_list)


def _list_options(p: argparse.ArgumentParser, reg: Any) -> None:
    p.add_argument("--year", type=int, help="只导出该年度")
    if reg.parent is not None:
        p.add_argument(
            f"--{reg.parent.option}", type=int, dest="parent_id", help="所属上级记录编号"
        )


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    from unionsdesk.registers import PARENT

    parent = getattr(args, "parent_id", None)
    return {PARENT: parent} if parent is not None else {}


def cmd_import(args: argparse.Namespace) -> int:
    from unionsdesk.commands.members import _session, check_report, finish_import
    from unionsdesk.registers import get

    reg = get(args.register_name)
    db, admin, _office = _session(args)
    if args.undo:
        from unionsdesk.services.common.register_io import undo_last_import

        for line in undo_last_import(db, admin, reg).summary_lines():
            print(line)
        return 0
    if args.file is None:
        raise UserError("请给出要导入的 Excel 文件")
    check_report(args)
    result = reg.import_file(
        db,
        admin,
        args.file,
        skip_invalid=args.skip_invalid,
        parent_id=getattr(args, "parent_id", None),
    )
    return finish_import(args, result)


def cmd_export(args: argparse.Namespace) -> int:
    from unionsdesk.commands.members import _out, _session
    from unionsdesk.registers import get

    reg = get(args.register_name)
    out = _out(args.out)
    db, admin, _office = _session(args)
    n = reg.export(db, admin, out, year=args.year, filters=_filters(args))
    print(f"已导出 {n} 条{reg.label}：{out}")
    return 0


def cmd_print_list(args: argparse.Namespace) -> int:
    from unionsdesk.commands.members import _session
    from unionsdesk.registers import get

    reg = get(args.register)
    if args.out.suffix.lower() != ".pdf":
        raise UserError(f"输出文件应以 .pdf 结尾：{args.out}")
    db, admin, _office = _session(args)
    n = reg.print_list(
        db, admin, args.out, year=args.year, public=args.public, filters=_filters(args)
    )
    print(f"已生成{reg.list_title}（{n} 条）：{args.out}")
    return 0
