"""领款收据 (receipts for pay-outs), DOMAIN.md §2, and the 套打 calibration page.

An A4 sheet holds the three parts (联次) of one receipt, 第一联 存根 / 第二联
收据 / 第三联 记账, each a third of the page, separated by dashed cut lines;
or each part gets its own page. Every part shows the number, date, payer,
payee and ID number, 事由, the amount in 大写 and in figures, the signature
lines and 单位（盖章）. A voided receipt keeps its number and is crossed by a
large 作废; a reprint keeps its number and says 补打.

套打: ``offset_mm = (x, y)`` moves everything x mm to the right and y mm down
(negative: left/up) to make up for the office printer's own offset, measured
with `render_calibration_pdf`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from unionsdesk.errors import UserError
from unionsdesk.printing.fonts import clean_text, draw_text, ensure_printable, text_width
from unionsdesk.printing.pdf import (
    A4_SIZE,
    MM,
    STAMP_RGB,
    CancelCheck,
    Cancelled,
    ProgressCallback,
    date_text,
    draw_fitted,
    draw_signatures,
    draw_stamp,
    draw_void_mark,
    fit_size,
    pdf_canvas,
    truncate_to_width,
    upper_yuan,
    wrap_text,
)

__all__ = [
    "DEFAULT_PARTS",
    "MAX_OFFSET_MM",
    "Receipt",
    "render_calibration_pdf",
    "render_receipts_pdf",
]

DEFAULT_PARTS = ("存根", "收据", "记账")
MAX_OFFSET_MM = 50.0  # as the 套打偏移 setting allows
PART_HEIGHT = A4_SIZE[1] / 3  # 99 mm: a part is a third of A4 whatever the number of parts
_ORDINALS = "一二三四五六七八九"

# Geometry of one part, in points from its top-left corner (y grows downwards).
_LEFT = 15 * MM
_RIGHT = A4_SIZE[0] - 15 * MM
_WIDTH = _RIGHT - _LEFT
_TITLE_Y = 15 * MM
_LINE2_Y = 22.5 * MM
_GRID_TOP = 26 * MM
_ROW = 11 * MM
_LABEL_W = 24 * MM
_NAME_W = 52 * MM  # 领款人 name cell
_ID_LABEL_W = 24 * MM
_FIGURES_W = 50 * MM  # （小写） cell
_SIGN1_Y = _GRID_TOP + 4 * _ROW + 10 * MM
_SIGN2_Y = _SIGN1_Y + 11 * MM
_SIZE = 11.0


@dataclass(frozen=True)
class Receipt:
    number: str  # e.g. 2026-000123, printed after "No."
    date: date | str
    payer: str  # 付款单位: the office paying out
    payee: str  # 领款人
    payee_id: str = ""  # 身份证号, already masked or not (the caller decides)
    purpose: str = ""  # 事由, e.g. 2025年春节送温暖慰问金
    amount: int = 0  # fen
    handler: str | None = None  # 经办人
    reviewer: str | None = None  # 审核人
    leader: str | None = None  # 负责人
    void: bool = False  # 作废
    reprint: bool = False  # 补打
    title: str = "领款收据"


@dataclass(frozen=True)
class _Prepared:
    receipt: Receipt
    number: str
    when: str
    payer: str
    payee: str
    payee_id: str
    purpose: str
    upper: str  # 大写, without 人民币
    figures: str  # ¥2,500.00
    title: str
    names: tuple[str | None, ...]


def _prepare(receipts: Sequence[Receipt]) -> list[_Prepared]:
    from unionsdesk.domain.money import format_yuan, from_fen

    prepared: list[_Prepared] = []
    for r in receipts:
        amount = r.amount
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"receipt {r.number!r}: amount is int fen, not {amount!r}")
        if amount < 0:
            raise UserError(f"收据 No.{r.number} 的金额为负数，不能打印")
        upper = upper_yuan(amount).removeprefix("人民币")
        prepared.append(
            _Prepared(
                receipt=r,
                number=clean_text((r.number or "").strip()),
                when=clean_text(date_text(r.date)),
                payer=clean_text((r.payer or "").strip()),
                payee=clean_text((r.payee or "").strip()),
                payee_id=clean_text((r.payee_id or "").strip()),
                purpose=clean_text((r.purpose or "").strip()),
                upper=upper,
                figures=format_yuan(from_fen(amount)),
                title=clean_text(r.title),
                names=(None, _name(r.handler), _name(r.reviewer), _name(r.leader)),
            )
        )
    return prepared


def _name(value: str | None) -> str | None:
    return clean_text(value.strip()) if value else None


def _texts(prepared: Sequence[_Prepared], parts: Sequence[str]) -> Iterator[tuple[str, str]]:
    for part in parts:
        yield "联次", part
    for p in prepared:
        where = f"收据 No.{p.number}"
        yield where, p.number
        yield f"{where}“日期”", p.when
        yield f"{where}“付款单位”", p.payer
        yield f"{where}“领款人”", p.payee
        yield f"{where}“身份证号”", p.payee_id
        yield f"{where}“事由”", p.purpose
        yield f"{where}“标题”", p.title
        for name in p.names:
            yield f"{where}“签字人”", name or ""


def _check_offset(offset_mm: tuple[float, float]) -> tuple[float, float]:
    x, y = (float(v) for v in offset_mm)
    if abs(x) > MAX_OFFSET_MM or abs(y) > MAX_OFFSET_MM:
        raise UserError(
            f"套打偏移量过大（{x:g} mm，{y:g} mm），每个方向不能超过 {MAX_OFFSET_MM:g} mm"
        )
    return x, y


def render_receipts_pdf(
    receipts: Sequence[Receipt],
    path: str | os.PathLike[str],
    *,
    parts: Sequence[str] = DEFAULT_PARTS,
    one_part_per_page: bool = False,
    offset_mm: tuple[float, float] = (0.0, 0.0),
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Print ``receipts`` into one PDF at ``path`` (replacing it) and return the path.

    Each receipt fills one A4 page with its ``parts`` (at most three, top to
    bottom, 第一联 …), or one page per part with ``one_part_per_page``.
    ``offset_mm`` = (x, y): move everything x mm right and y mm down.
    ``progress(done, total)`` counts receipts.
    """
    if not receipts:
        raise UserError("没有要打印的收据")
    if not parts:
        raise ValueError("parts must name at least one part")
    if len(parts) > 3 and not one_part_per_page:
        raise ValueError("at most three parts fit on an A4 page; use one_part_per_page")
    dx, dy = _check_offset(offset_mm)
    prepared = _prepare(receipts)
    labels = [f"第{_ORDINALS[i]}联  {clean_text(p)}" for i, p in enumerate(parts)]
    ensure_printable(_texts(prepared, labels))

    target = Path(path)
    total = len(prepared)
    page_height = A4_SIZE[1]
    with pdf_canvas(target, title=f"{prepared[0].title} No.{prepared[0].number}") as canvas:
        for done, p in enumerate(prepared, 1):
            if cancelled is not None and cancelled():
                raise Cancelled()
            if one_part_per_page:
                for label in labels:
                    canvas.translate(dx * MM, -dy * MM)
                    _draw_part(canvas, p, label, page_height)
                    canvas.showPage()
            else:
                canvas.translate(dx * MM, -dy * MM)
                for k, label in enumerate(labels):
                    top = page_height - k * PART_HEIGHT
                    _draw_part(canvas, p, label, top)
                    if k + 1 < len(labels):
                        _cut_line(canvas, top - PART_HEIGHT)
                canvas.showPage()
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
    return target


def _cut_line(canvas: Any, y: float) -> None:
    canvas.saveState()
    canvas.setDash(4, 3)
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0.35)
    canvas.line(6 * MM, y, A4_SIZE[0] - 6 * MM, y)
    canvas.restoreState()


def _draw_part(canvas: Any, p: _Prepared, label: str, top: float) -> None:
    """One part (联) whose top edge is at ``top``."""

    def Y(v: float) -> float:  # distance below the part's top -> page y
        return top - v

    size = _SIZE
    # Title with a double rule, the part label, No. and date.
    draw_fitted(
        canvas, A4_SIZE[0] / 2, Y(_TITLE_Y), p.title, 18, 90 * MM, align="center", bold=True
    )
    half = min(text_width(p.title, 18), 90 * MM) / 2 + 6
    canvas.setLineWidth(0.6)
    canvas.lines(
        [
            (
                A4_SIZE[0] / 2 - half,
                Y(_TITLE_Y + 2.2 * MM),
                A4_SIZE[0] / 2 + half,
                Y(_TITLE_Y + 2.2 * MM),
            ),
            (
                A4_SIZE[0] / 2 - half,
                Y(_TITLE_Y + 3.0 * MM),
                A4_SIZE[0] / 2 + half,
                Y(_TITLE_Y + 3.0 * MM),
            ),
        ]
    )
    draw_text(canvas, _RIGHT, Y(_TITLE_Y), label, size, align="right")
    number_width = text_width(f"No. {p.number}", 12)
    draw_fitted(canvas, _LEFT, Y(_LINE2_Y), f"No. {p.number}", 12, 60 * MM)
    if p.receipt.void:
        canvas.saveState()
        canvas.setFillColorRGB(*STAMP_RGB)
        canvas.setStrokeColorRGB(*STAMP_RGB)
        draw_text(
            canvas, _LEFT + min(number_width, 60 * MM) + 3 * MM, Y(_LINE2_Y), "作废", 12, bold=True
        )
        canvas.restoreState()
    draw_text(canvas, A4_SIZE[0] / 2, Y(_LINE2_Y), p.when, size, align="center")
    if p.receipt.reprint:
        draw_stamp(canvas, A4_SIZE[0] / 2 - half - 8 * MM, Y(_TITLE_Y - 6.5 * MM), "补打", 13)

    # The grid: 今收到 / 领款人 + 身份证号 / 事由 / 金额.
    x0, x1 = _LEFT, _LEFT + _LABEL_W
    rows_top = Y(_GRID_TOP)
    rules = [(x0, Y(_GRID_TOP + k * _ROW), _RIGHT, Y(_GRID_TOP + k * _ROW)) for k in range(1, 4)]
    rules.append((x1, rows_top, x1, Y(_GRID_TOP + 4 * _ROW)))
    name_right = x1 + _NAME_W
    id_left = name_right + _ID_LABEL_W
    rules.append((name_right, Y(_GRID_TOP + _ROW), name_right, Y(_GRID_TOP + 2 * _ROW)))
    rules.append((id_left, Y(_GRID_TOP + _ROW), id_left, Y(_GRID_TOP + 2 * _ROW)))
    figures_left = _RIGHT - _FIGURES_W
    rules.append((figures_left, Y(_GRID_TOP + 3 * _ROW), figures_left, Y(_GRID_TOP + 4 * _ROW)))
    canvas.setLineWidth(0.5)
    canvas.lines(rules)
    canvas.setLineWidth(1.0)
    canvas.rect(x0, Y(_GRID_TOP + 4 * _ROW), _WIDTH, 4 * _ROW, stroke=1, fill=0)

    def baseline(row: int) -> float:
        return Y(_GRID_TOP + (row + 0.5) * _ROW) - size * 0.36

    pad = 2.5 * MM
    for row, caption in enumerate(("今收到", "领款人", "事由", "金额")):
        draw_text(canvas, (x0 + x1) / 2, baseline(row), caption, size, align="center")
    draw_text(canvas, (name_right + id_left) / 2, baseline(1), "身份证号", size, align="center")

    _value(canvas, x1 + pad, _RIGHT - pad, Y(_GRID_TOP), p.payer, size)
    _value(canvas, x1 + pad, name_right - pad, Y(_GRID_TOP + _ROW), p.payee, size + 1)
    draw_fitted(
        canvas,
        id_left + pad,
        baseline(1),
        p.payee_id,
        size + 1,
        _RIGHT - id_left - 2 * pad,
        min_size=7,
    )
    _value(canvas, x1 + pad, _RIGHT - pad, Y(_GRID_TOP + 2 * _ROW), p.purpose, size)
    caption = "人民币（大写）"
    draw_text(canvas, x1 + pad, baseline(3), caption, size)
    upper_left = x1 + pad + text_width(caption, size)
    draw_fitted(
        canvas,
        upper_left,
        baseline(3),
        p.upper,
        size + 1,
        figures_left - pad - upper_left,
        min_size=7,
    )
    caption = "（小写）"
    draw_text(canvas, figures_left + pad, baseline(3), caption, size)
    figures_left_edge = figures_left + pad + text_width(caption, size)
    draw_fitted(
        canvas,
        _RIGHT - pad,
        baseline(3),
        p.figures,
        size + 1,
        _RIGHT - pad - figures_left_edge,
        align="right",
        min_size=7,
    )

    # Signatures and the seal.
    draw_signatures(canvas, _LEFT, _LEFT + 120 * MM, Y(_SIGN1_Y), ["领款人签字（按手印）"], size)
    draw_text(canvas, _LEFT + 125 * MM, Y(_SIGN1_Y), "单位（盖章）：", size)
    draw_signatures(
        canvas, _LEFT, _RIGHT, Y(_SIGN2_Y), ["经办人", "审核人", "负责人"], size, p.names[1:]
    )

    if p.receipt.void:
        middle = (_TITLE_Y + _SIGN2_Y) / 2
        draw_void_mark(canvas, A4_SIZE[0] / 2, Y(middle), _WIDTH * 0.8, (_SIGN2_Y - _TITLE_Y) * 0.9)


def _value(canvas: Any, left: float, right: float, top: float, text: str, size: float) -> None:
    """A value in a grid cell: one line if it fits (shrinking a little), else two smaller lines."""
    if not text:
        return
    width = right - left
    middle = top - _ROW / 2
    fitted = fit_size(text, width, size, size * 0.8)
    if text_width(text, fitted) <= width:
        draw_text(canvas, left, middle - fitted * 0.36, text, fitted)
        return
    small = size * 0.8
    lines = wrap_text(text, width, small)
    if len(lines) > 2:
        lines = [lines[0], truncate_to_width("".join(lines[1:]), width, small)]
    step = small * 1.2
    first = middle + step / 2 - small * 0.36
    for k, line in enumerate(lines):
        draw_text(canvas, left, first - k * step, line, small)


def render_calibration_pdf(
    path: str | os.PathLike[str], offset_mm: tuple[float, float] = (0.0, 0.0)
) -> Path:
    """A 套打 calibration page: a millimetre grid and crosshairs at known distances.

    The page is drawn with ``offset_mm`` applied (as receipts would be). Print
    it at actual size, measure where the crosshairs land, and correct the
    offset by the difference.
    """
    dx, dy = _check_offset(offset_mm)
    height = A4_SIZE[1]
    target = Path(path)
    with pdf_canvas(target, title="套打校准页") as canvas:
        canvas.translate(dx * MM, -dy * MM)

        def at(x_mm: float, y_mm: float) -> tuple[float, float]:  # from the top-left corner
            return x_mm * MM, height - y_mm * MM

        # Grid: 1 mm (light), 5 mm, 10 mm (dark), 10 mm in from the paper's edges.
        for step, gray, line_width in ((1, 0.88, 0.2), (5, 0.7, 0.35), (10, 0.45, 0.5)):
            canvas.setStrokeGray(gray)
            canvas.setLineWidth(line_width)
            rules: list[tuple[float, float, float, float]] = []
            for x in range(10, 201, step):
                rules.append((*at(x, 10), *at(x, 287)))
            for row in range(10, 288, step):
                rules.append((*at(10, row), *at(200, row)))
            canvas.lines(rules)
        canvas.setStrokeGray(0)
        canvas.setFillGray(0)
        for x in range(10, 201, 10):
            draw_text(canvas, *_shift(at(x, 9), 0, 1), str(x), 6, align="center")
        for row in range(20, 288, 10):
            draw_text(canvas, *_shift(at(9, row), 0, -2), str(row), 6, align="right")

        # Crosshairs with their nominal distances from the paper's left and top edges.
        canvas.setLineWidth(0.6)
        for x_mm, y_mm in ((20, 20), (190, 20), (105, 148.5), (20, 277), (190, 277)):
            cx, cy = at(x_mm, y_mm)
            canvas.setFillGray(1)
            canvas.rect(cx - 12 * MM, cy - 15 * MM, 24 * MM, 8.5 * MM, stroke=0, fill=1)
            canvas.setFillGray(0)
            canvas.line(cx - 6 * MM, cy, cx + 6 * MM, cy)
            canvas.line(cx, cy - 6 * MM, cx, cy + 6 * MM)
            canvas.circle(cx, cy, 3 * MM, stroke=1, fill=0)
            draw_text(canvas, cx, cy - 10 * MM, f"距左 {x_mm:g} mm", 7.5, align="center")
            draw_text(canvas, cx, cy - 13.5 * MM, f"距上 {y_mm:g} mm", 7.5, align="center")

        # Instructions in a white box.
        left, top = at(35, 40)
        box_w, box_h = 140 * MM, 80 * MM
        canvas.setFillGray(1)
        canvas.setStrokeGray(0)
        canvas.rect(left, top - box_h, box_w, box_h, stroke=1, fill=1)
        canvas.setFillGray(0)
        steps = [
            ("套打校准页", 16.0),
            (f"当前偏移：向右 {dx:g} mm，向下 {dy:g} mm（负数为向左、向上）", 10.5),
            ("1. 用 A4 纸打印本页，打印对话框中选择“实际大小”（不缩放、不适合页面）。", 10.0),
            ("2. 用直尺量出左上角十字中心到纸张左边、上边的距离。", 10.0),
            ("3. 实测距离减去标注距离，就是打印机的偏差（偏右、偏下为正）。", 10.0),
            ("4. 新的偏移量 = 当前偏移 - 偏差。例如向右偏了 1.5 mm，", 10.0),
            ("   当前偏移为 0，就把向右偏移设为 -1.5 mm。", 10.0),
            ("5. 填好后再打印一次本页，十字中心应正好落在标注的位置上。", 10.0),
            ("刻度每小格 1 mm，粗线每 10 mm，数字为距纸边的毫米数。", 9.0),
        ]
        ensure_printable(("校准页", line) for line, _ in steps)
        y = top - 10 * MM
        for k, (line, size) in enumerate(steps):
            if k == 0:
                draw_text(canvas, left + box_w / 2, y, line, size, align="center", bold=True)
                y -= 10 * MM
            else:
                draw_text(canvas, left + 6 * MM, y, line, size)
                y -= 7 * MM
        canvas.showPage()
    return target


def _shift(point: tuple[float, float], dx: float, dy: float) -> tuple[float, float]:
    return point[0] + dx, point[1] + dy
