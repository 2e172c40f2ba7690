"""print mediation-request / mediation-agreement (维权; the 调解台账 is `print list disputes`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from unionsdesk.commands.members import _session
from unionsdesk.commands.registers import _kinds
from unionsdesk.errors import UserError


def register(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    prn = _kinds(sub, "print", parents, "打印（生成 PDF）")
    p = prn.add_parser(
        "mediation-request",
        parents=parents,
        help="打印劳动争议调解申请书（口头申请当场记录后由申请人签字）",
    )
    p.add_argument("case_no", metavar="案号", help="调解案号，如 〔2026〕示工调字第001号")
    p.add_argument("out", type=Path, help="输出 PDF")
    p.set_defaults(func=cmd_print_mediation, kind_of="request")
    p = prn.add_parser(
        "mediation-agreement", parents=parents, help="打印劳动争议调解协议书（达成协议的案件）"
    )
    p.add_argument("case_no", metavar="案号", help="调解案号")
    p.add_argument("out", type=Path, help="输出 PDF")
    p.set_defaults(func=cmd_print_mediation, kind_of="agreement")


def _pdf(path: Path) -> Path:
    if path.suffix.lower() != ".pdf":
        raise UserError(f"输出文件应以 .pdf 结尾：{path}")
    return path


def cmd_print_mediation(args: argparse.Namespace) -> int:
    from unionsdesk.services.rights import forms

    out = _pdf(args.out)
    db, admin, _ = _session(args)
    if args.kind_of == "agreement":
        forms.print_mediation_agreement(db, admin, args.case_no, out)
        print(f"已生成调解协议书：{out}")
    else:
        forms.print_mediation_request(db, admin, args.case_no, out)
        print(f"已生成调解申请书：{out}")
    return 0
