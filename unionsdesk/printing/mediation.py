"""劳动争议调解申请书 and 调解协议书 (DOMAIN.md §6) on A4.

Both are flowing documents: a title, the 案号, the parties, then paragraphs that
wrap (and run onto a second page when long). The 申请书 is printed for an oral
request (口头) written up on the spot, for the applicant to check and sign. The
协议书 carries the agreed terms, the 协议金额 in figures and in 大写, signature
lines for both parties and the mediator, the committee's seal box and the date.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from unionsdesk.printing.fonts import clean_text, draw_text, ensure_printable, text_width
from unionsdesk.printing.pdf import (
    A4_SIZE,
    MM,
    STAMP_RGB,
    date_text,
    pdf_canvas,
    upper_yuan,
    wrap_text,
    yuan_text,
)

__all__ = ["MediationCase", "render_mediation_agreement_pdf", "render_mediation_request_pdf"]

_LEFT = 25 * MM
_RIGHT = A4_SIZE[0] - 25 * MM
_WIDTH = _RIGHT - _LEFT
_TOP = A4_SIZE[1] - 25 * MM
_BOTTOM = 25 * MM
_SIZE = 12.0
_LEADING = 1.7  # line height / font size (forms are signed and read on paper)


@dataclass(frozen=True)
class MediationCase:
    committee: str  # e.g. 示例县总工会劳动争议调解委员会
    case_no: str
    received_on: date
    request_mode: str  # 书面/口头
    applicant: str
    applicant_sex: str
    applicant_birth: date | None
    applicant_id: str
    applicant_phone: str
    applicant_job: str
    respondent: str
    respondent_code: str
    respondent_rep: str
    dispute_types: str
    request: str  # 申请事项
    facts: str  # 事实和理由
    mediator: str = ""
    agreement_terms: str = ""
    agreement_amount: int | None = None  # fen
    signed_on: date | None = None  # date printed on the agreement (结案日期)
    reprint: bool = False


class _Flow:
    """Lines from the top of the page down; a new page when the next line does not fit."""

    def __init__(self, canvas: Any, title: str) -> None:
        self.c = canvas
        self.title = title
        self.y = _TOP
        self.page = 1

    def need(self, height: float) -> None:
        if self.y - height < _BOTTOM:
            draw_text(
                self.c,
                A4_SIZE[0] / 2,
                12 * MM,
                f"{self.title}  第 {self.page} 页",
                9,
                align="center",
            )
            self.c.showPage()
            self.page += 1
            self.y = _TOP

    def gap(self, mm: float) -> None:
        self.y -= mm * MM

    def line(self, text: str, size: float = _SIZE, *, align: str = "left", bold: bool = False,
             indent: float = 0) -> None:  # fmt: skip
        self.need(size * _LEADING)
        self.y -= size * _LEADING
        x = {"left": _LEFT + indent, "center": A4_SIZE[0] / 2, "right": _RIGHT}[align]
        draw_text(self.c, x, self.y, text, size, align=align, bold=bold)  # type: ignore[arg-type]

    def paragraph(self, label: str, text: str, size: float = _SIZE) -> None:
        """ "label：text" wrapped to the width; further lines align under the text."""
        head = f"{label}：" if label else ""
        pad = text_width(head, size)
        lines = wrap_text(text or "（无）", _WIDTH - pad, size)
        for i, line in enumerate(lines):
            self.need(size * _LEADING)
            self.y -= size * _LEADING
            if i == 0 and head:
                draw_text(self.c, _LEFT, self.y, head, size, bold=True)
            draw_text(self.c, _LEFT + pad, self.y, line, size)

    def body(self, text: str, size: float = _SIZE) -> None:
        """Paragraphs with a two-character first-line indent."""
        for para in (text or "").split("\n"):
            lines = wrap_text("\u3000\u3000" + para.strip(), _WIDTH, size)
            for line in lines:
                self.need(size * _LEADING)
                self.y -= size * _LEADING
                draw_text(self.c, _LEFT, self.y, line, size)

    def finish(self) -> None:
        if self.page > 1:
            draw_text(
                self.c,
                A4_SIZE[0] / 2,
                12 * MM,
                f"{self.title}  第 {self.page} 页",
                9,
                align="center",
            )


def _clean(case: MediationCase) -> MediationCase:
    from dataclasses import fields, replace

    changes: dict[str, Any] = {}
    for f in fields(case):
        value = getattr(case, f.name)
        if isinstance(value, str):
            changes[f.name] = clean_text(value.strip(), multiline=True)
    out = replace(case, **changes)
    ensure_printable(
        (f.name, getattr(out, f.name)) for f in fields(out) if isinstance(getattr(out, f.name), str)
    )
    return out


def _parties(flow: _Flow, case: MediationCase) -> None:
    born = f"，{case.applicant_birth:%Y年%m月%d日}出生" if case.applicant_birth else ""
    who = f"{case.applicant}，{case.applicant_sex}{born}，身份证号{case.applicant_id}"
    if case.applicant_job:
        who += f"，岗位：{case.applicant_job}"
    if case.applicant_phone:
        who += f"，联系电话：{case.applicant_phone}"
    flow.paragraph("申请人", who)
    unit = case.respondent
    if case.respondent_code:
        unit += f"，统一社会信用代码{case.respondent_code}"
    if case.respondent_rep:
        unit += f"，法定代表人：{case.respondent_rep}"
    flow.paragraph("被申请人", unit)
    flow.paragraph("争议类型", case.dispute_types)


def _header(flow: _Flow, title: str, case: MediationCase) -> None:
    flow.line(title, 20, align="center", bold=True)
    flow.gap(2)
    flow.line(case.case_no, 11, align="right")
    if case.reprint:
        c = flow.c
        c.saveState()
        c.setFillColorRGB(*STAMP_RGB)
        draw_text(c, _LEFT, flow.y, "补打", 11, bold=True)
        c.restoreState()
    flow.gap(2)


def _sign_lines(flow: _Flow, labels: Sequence[str], size: float = _SIZE) -> None:
    """One signature line per label, each with a 年 月 日 line below it."""
    for label in labels:
        flow.need(size * _LEADING * 2.6)
        flow.y -= size * _LEADING * 1.6
        caption = f"{label}："
        draw_text(flow.c, _LEFT, flow.y, caption, size)
        start = _LEFT + text_width(caption, size) + 2
        flow.c.setLineWidth(0.6)
        flow.c.line(start, flow.y - 2, start + 55 * MM, flow.y - 2)
        draw_text(flow.c, _LEFT + 100 * MM, flow.y, "年　　月　　日", size)


def _closing(flow: _Flow, labels: Sequence[str], committee: str, when: str) -> None:
    """Signature lines on the left; the committee's seal box (dashed, with its name
    and the date) on the right, level with them."""
    size = 11.5
    row_h = 12 * MM
    box_w, box_h = 58 * MM, 44 * MM
    block = max(len(labels) * row_h, box_h) + 6 * MM
    flow.need(block)
    top = flow.y - 6 * MM
    c = flow.c
    line_end = _RIGHT - box_w - 6 * MM
    c.saveState()
    c.setLineWidth(0.6)
    for i, label in enumerate(labels):
        baseline = top - (i + 1) * row_h + 4 * MM
        caption = f"{label}："
        draw_text(c, _LEFT, baseline, caption, size)
        start = _LEFT + text_width(caption, size) + 2
        c.line(start, baseline - 2, max(line_end, start + 20 * MM), baseline - 2)
    x = _RIGHT - box_w
    c.setDash(3, 2)
    c.rect(x, top - box_h, box_w, box_h, stroke=1, fill=0)
    c.restoreState()
    middle = x + box_w / 2
    draw_text(c, middle, top - 8 * MM, "（调解委员会印章）", 9.5, align="center")
    for i, line in enumerate(wrap_text(committee, box_w - 6 * MM, 11)[:2]):
        draw_text(c, middle, top - 20 * MM - i * 11 * 1.45, line, 11, align="center")
    draw_text(c, middle, top - box_h + 6 * MM, when, 11, align="center")
    flow.y = top - block + 6 * MM


def render_mediation_request_pdf(case: MediationCase, path: str | os.PathLike[str]) -> Path:
    """劳动争议调解申请书; for an oral request it says it was written up on the spot."""
    case = _clean(case)
    title = "劳动争议调解申请书"
    with pdf_canvas(path, title=f"{title} {case.case_no}") as canvas:
        flow = _Flow(canvas, title)
        _header(flow, title, case)
        _parties(flow, case)
        flow.gap(2)
        flow.paragraph("申请事项", case.request)
        flow.paragraph("事实和理由", case.facts)
        flow.gap(4)
        flow.line("此致")
        flow.line(case.committee, indent=2 * _SIZE)
        flow.gap(2)
        if case.request_mode == "口头":
            flow.body(
                f"以上内容系申请人于{date_text(case.received_on)}口头申请，由本委员会工作人员当场记录，"
                "已向申请人宣读（或交申请人阅读），申请人确认无误。"
            )
            _sign_lines(flow, ("申请人（签字）", "记录人（签字）"))
        else:
            _sign_lines(flow, ("申请人（签字）",))
        flow.gap(3)
        flow.line(f"受理日期：{date_text(case.received_on)}", 10, align="right")
        flow.finish()
    return Path(path)


def render_mediation_agreement_pdf(case: MediationCase, path: str | os.PathLike[str]) -> Path:
    """劳动争议调解协议书 with the amount in figures and 大写, signatures and the seal box."""
    case = _clean(case)
    if case.agreement_amount is None:
        from unionsdesk.errors import UserError

        raise UserError(f"{case.case_no}没有协议金额，不能打印调解协议书")
    title = "劳动争议调解协议书"
    with pdf_canvas(path, title=f"{title} {case.case_no}") as canvas:
        flow = _Flow(canvas, title)
        _header(flow, title, case)
        _parties(flow, case)
        flow.gap(2)
        flow.paragraph("争议事实", case.facts)
        flow.gap(2)
        flow.body(
            f"本委员会于{date_text(case.received_on)}受理申请人的调解申请，经调解员{case.mediator or '　　'}"
            "主持调解，双方当事人在查明事实、分清是非的基础上，自愿达成如下协议："
        )
        flow.body(case.agreement_terms or "（协议内容）")
        amount = case.agreement_amount
        flow.gap(2)
        flow.paragraph("协议金额", f"{upper_yuan(amount)}（¥{yuan_text(amount)}）")
        flow.gap(2)
        flow.body(
            "本协议自双方当事人签字（盖章）、调解员签名并加盖调解委员会印章后生效，对双方当事人具有约束力，"
            "当事人应当履行。一方在协议约定期限内不履行的，另一方可以依法申请仲裁。"
            "本协议一式三份，双方当事人各执一份，调解委员会留存一份。"
        )
        _closing(
            flow,
            ("申请人（签字）", "被申请人（盖章）", "被申请人代表（签字）", "调解员（签字）"),
            case.committee,
            date_text(case.signed_on) or "　　年　　月　　日",
        )
        flow.finish()
    return Path(path)
