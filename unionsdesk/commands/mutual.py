"""import mutual-enrolment, print mutual-payments / mutual-receipt, export mutual-totals
(互助保障)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from unionsdesk.commands.aid import _day
from unionsdesk.commands.members import (
    _out,
    _session,
    add_report_options,
    check_report,
    finish_import,
)
from unionsdesk.commands.registers import _kinds
from unionsdesk.errors import UserError


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    imp = _kinds(sub, "import", parents, "从 Excel 导入")
    p = imp.add_parser(
        "mutual-enrolment", parents=parents,
        help="导入单位的互助保障参保名单（逐人核对会员名册；有错误行时不写入任何数据）",
    )  # fmt: skip
    p.add_argument("file", type=Path, help="Excel 文件")
    p.add_argument(
        "--unit", help="参保单位（工会全称、单位名称或统一社会信用代码）；不给则按表中“工作单位”列"
    )
    p.add_argument("--plan", required=True, help="互助保障计划名称（或编号）")
    p.add_argument("--period", type=int, required=True, help="期别（年份），如 2026")
    p.add_argument("--check", action="store_true", help="只检查并显示提示，不写入")
    p.add_argument("--skip-invalid", action="store_true", help="只导入正确的行，跳过有错误的行")
    add_report_options(p)
    p.set_defaults(func=cmd_import_enrolment)
    prn = _kinds(sub, "print", parents, "打印（生成 PDF）")
    p = prn.add_parser(
        "mutual-payments", parents=parents, help="打印某月已给付的互助保障给付签收表"
    )
    p.add_argument("--month", required=True, help="给付月份，如 2026-05")
    p.add_argument("--public", action="store_true", help="公示版：身份证号打码")
    p.add_argument("out", type=Path, help="输出 PDF")
    p.set_defaults(func=cmd_print_payments)
    p = prn.add_parser(
        "mutual-receipt", parents=parents,
        help="打印互助保障费收据（按收据号或参保登记编号；尚未收款的先记收款、开具收据号；再次打印为补打）",
    )  # fmt: skip
    p.add_argument("key", metavar="收据号|登记编号", help="收据号（如 2026-000012）或参保登记编号")
    p.add_argument("out", type=Path, help="输出 PDF")
    p.add_argument(
        "--paid-on", type=_day, metavar="日期", help="尚未收款时记为该日缴费（默认今天）"
    )
    p.set_defaults(func=cmd_print_receipt)
    exp = _kinds(sub, "export", parents, "导出到 Excel")
    p = exp.add_parser(
        "mutual-totals", parents=parents, help="职工互助保障情况统计表（按计划；给付按类型）"
    )
    p.add_argument("out", type=Path, help="输出文件 .xlsx")
    p.add_argument("--period", type=int, help="期别（默认今年）")
    p.set_defaults(func=cmd_export_totals)


def cmd_import_enrolment(args: argparse.Namespace) -> int:
    from unionsdesk.services.mutual.enrolments import import_enrolment

    check_report(args)
    db, admin, _ = _session(args)
    result = import_enrolment(
        db, admin, args.file, plan=args.plan, period=args.period, union=args.unit,
        skip_invalid=args.skip_invalid, dry_run=args.check,
    )  # fmt: skip
    return finish_import(args, result)


def cmd_print_payments(args: argparse.Namespace) -> int:
    from unionsdesk.printing.signoff import render_signoff_pdf
    from unionsdesk.services.mutual.claims import payment_sheet

    try:
        year, month = (int(x) for x in str(args.month).replace("/", "-").split("-"))
        date(year, month, 1)
    except ValueError:
        raise UserError(f"月份应写成 2026-05 的形式：{args.month}") from None
    if Path(args.out).suffix.lower() != ".pdf":
        raise UserError(f"输出文件应以 .pdf 结尾：{args.out}")
    db, admin, office = _session(args)
    sheet = payment_sheet(db, admin, year, month, office, public=args.public)
    render_signoff_pdf(sheet, args.out)
    print(f"已生成{year}年{month}月互助保障给付签收表（{len(sheet.rows)}人）：{args.out}")
    return 0


def cmd_print_receipt(args: argparse.Namespace) -> int:
    from unionsdesk.services.mutual.enrolments import record_payment
    from unionsdesk.services.mutual.receipts import find_enrolment_id, receipt_info, receipt_pdf

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise UserError(f"输出文件应以 .pdf 结尾：{out}")
    if not out.parent.is_dir():  # checked before a payment is recorded
        raise UserError(f"输出目录不存在：{out.parent}")
    db, admin, _ = _session(args)
    enrolment_id = find_enrolment_id(db, admin, args.key)
    issued = ""
    if receipt_info(db, admin, enrolment_id).receipt_no is None:
        made = record_payment(db, admin, enrolment_id, args.paid_on)
        issued = f"已记收款（{made.paid_on:%Y-%m-%d}），开具"
    elif args.paid_on is not None:
        raise UserError("该参保登记已收款并开具收据，--paid-on 只用于尚未收款的登记")
    info = receipt_pdf(db, admin, enrolment_id, out)
    again = "（补打）" if info.print_count > 1 else ""
    print(f"{issued}互助保障费收据 No.{info.receipt_no}{again}：{info.unit}，{out}")
    return 0


def cmd_export_totals(args: argparse.Namespace) -> int:
    from unionsdesk.excel.writer import write_tables
    from unionsdesk.services.mutual.totals import claims_by_type, mutual_totals

    out = _out(args.out)
    period = args.period or date.today().year
    db, admin, office = _session(args)
    write_tables(
        out,
        [
            (mutual_totals(db, admin, period, office), "按计划"),
            (claims_by_type(db, admin, period), "给付按类型"),
        ],
    )
    print(f"已导出{period}期职工互助保障统计表：{out}")
    return 0
