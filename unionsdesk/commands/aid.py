"""campaign list, print receipts/signoff/calibration, report campaign."""

from __future__ import annotations

import argparse
import importlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from unionsdesk.commands.members import _session
from unionsdesk.errors import UserError


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    camp = sub.add_parser("campaign", parents=parents, help="帮扶慰问活动")
    kinds = camp.add_subparsers(dest="kind", metavar="操作", required=True, parser_class=type(camp))
    p = kinds.add_parser("list", parents=parents, help="列出帮扶慰问活动（编号、人数、金额、状态）")
    p.add_argument("--year", type=int, help="只列出该年度")
    p.set_defaults(func=cmd_campaign_list)

    prn = sub.add_parser(
        "print", parents=parents, help="打印（生成 PDF）：收据、签收表、套打校准页"
    )
    kinds = prn.add_subparsers(dest="kind", metavar="类型", required=True, parser_class=type(prn))
    p = kinds.add_parser(
        "receipts", parents=parents, help="开具并打印领款收据（未开具的明细先编号）"
    )
    p.add_argument("--campaign", type=int, required=True, help="活动编号（见 campaign list）")
    p.add_argument(
        "--line",
        type=_numbers,
        action="extend",
        metavar="明细号[,明细号…]",
        help="只打印这些发放明细编号：用逗号分隔，或重复 --line",
    )
    p.add_argument("--mask-id", action="store_true", help="收据上身份证号打码")
    p.add_argument("out", type=Path, help="输出 PDF")
    p.set_defaults(func=cmd_print_receipts)
    p = kinds.add_parser("signoff", parents=parents, help="打印发放签收表")
    p.add_argument("--campaign", type=int, required=True, help="活动编号")
    p.add_argument("--union", help="只打印该工会（含下级）的名单")
    p.add_argument(
        "--public", action="store_true", help="公示版：身份证号打码，无签字栏，印公示期和监督电话"
    )
    p.add_argument("--notice-from", type=_day, metavar="日期", help="公示期开始（默认今天）")
    p.add_argument("--notice-to", type=_day, metavar="日期", help="公示期结束（默认7天）")
    p.add_argument("out", type=Path, help="输出 PDF")
    p.set_defaults(func=cmd_print_signoff)
    p = kinds.add_parser("calibration", parents=parents, help="套打校准页（按设置中的偏移）")
    p.add_argument("out", type=Path, help="输出 PDF")
    p.set_defaults(func=cmd_print_calibration)

    rep = sub.add_parser("report", parents=parents, help="报表（PDF 或 Excel）")
    kinds = rep.add_subparsers(dest="kind", metavar="报表", required=True, parser_class=type(rep))
    p = kinds.add_parser(
        "campaign", parents=parents, help="帮扶活动发放汇总（按乡镇、工会、类别、形式）"
    )
    p.add_argument("--campaign", type=int, required=True, help="活动编号")
    p.add_argument("out", type=Path, help="输出文件 .pdf 或 .xlsx")
    p.set_defaults(func=cmd_report_campaign)
    importlib.import_module("unionsdesk.commands.stats").add_report_kinds(kinds, parents)


def _numbers(text: str) -> list[int]:
    """``308,320,330`` (or ``308``) → [308, 320, 330]."""
    try:
        return [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"明细号应为数字，用逗号分隔：{text}") from None


def _day(text: str) -> date:
    from unionsdesk.domain.readers import read_date

    try:
        return read_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期不正确：{text}（{exc}）") from None


def cmd_campaign_list(args: argparse.Namespace) -> int:
    from unionsdesk.services.aid.campaigns import list_campaigns

    db, admin, _ = _session(args)
    rows = list_campaigns(db, admin, args.year)
    if not rows:
        print("没有帮扶慰问活动")
    for c in rows:
        print(
            f"{c.id:>4}  {c.year}  {c.name}  [{c.kind_label}]  {c.lines}人  ¥{c.total / 100:,.2f}  {c.status}"
        )
    return 0


def cmd_print_receipts(args: argparse.Namespace) -> int:
    from unionsdesk.services.aid.campaigns import get_campaign, list_payouts
    from unionsdesk.services.aid.print_jobs import receipts_pdf
    from unionsdesk.services.aid.receipts import issue_receipts

    db, admin, _ = _session(args)
    get_campaign(db, admin, args.campaign)
    lines = list_payouts(db, admin, args.campaign)
    chosen = [p.id for p in lines]
    if args.line:
        unknown = sorted(set(args.line) - set(chosen))
        if unknown:
            raise UserError(
                f"活动 {args.campaign} 中没有这些发放明细：{', '.join(map(str, unknown))}"
            )
        chosen = list(args.line)
    if not chosen:
        raise UserError("该活动没有发放明细")
    made = issue_receipts(db, admin, chosen)
    infos = receipts_pdf(db, admin, [r.id for r in made], args.out, mask=args.mask_id or None)
    reprints = sum(1 for r in infos if r.print_count > 1)
    print(
        f"已生成 {len(infos)} 张收据（{infos[0].number} 至 {infos[-1].number}，补打 {reprints} 张）：{args.out}"
    )
    return 0


def cmd_print_signoff(args: argparse.Namespace) -> int:
    from unionsdesk.services.aid.print_jobs import signoff_pdf
    from unionsdesk.services.members.unions import find_union

    db, admin, _ = _session(args)
    union_id = find_union(db, admin, args.union).id if args.union else None
    period = None
    if args.notice_from or args.notice_to:
        start = args.notice_from or date.today()
        period = (start, args.notice_to or start + timedelta(days=6))
    signoff_pdf(db, admin, args.campaign, union_id, args.public, args.out, notice_period=period)
    print(f"已生成签收表：{args.out}")
    return 0


def cmd_print_calibration(args: argparse.Namespace) -> int:
    from unionsdesk.printing.receipt import render_calibration_pdf
    from unionsdesk.services.common.settings import get_print_offsets

    if Path(args.out).suffix.lower() != ".pdf":
        raise UserError("输出文件应以 .pdf 结尾")
    db, _admin, _ = _session(args)
    off = get_print_offsets(db)
    render_calibration_pdf(args.out, (off.x_mm, off.y_mm))
    print(f"已生成套打校准页（偏移 {off.x_mm:g} mm, {off.y_mm:g} mm）：{args.out}")
    return 0


def cmd_report_campaign(args: argparse.Namespace) -> int:
    from unionsdesk.services.aid.print_jobs import campaign_report

    db, admin, _ = _session(args)
    campaign_report(db, admin, args.campaign, args.out)
    print(f"已生成发放汇总：{args.out}")
    return 0
