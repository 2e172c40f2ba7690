"""Receipts, DOMAIN.md §2 and §5: the 领款收据 a worker signs for a pay-out
(`Receipt`), the 收款收据 the office gives a unit that paid it, e.g. 互助保障费
(`CollectionReceipt`), and the 套打 calibration page.

Both kinds share one layout. An A4 sheet holds the three parts (联次) of one
receipt, 第一联 存根 / 第二联 收据 / 第三联 记账, each a third of the page,
separated by dashed cut lines; or each part gets its own page. Every part shows
the number and date, a grid of three rows (领款收据: 今收到 the paying office,
领款人 with the ID number, 事由; 收款收据: 交款单位, 项目, 人次 / 份数 / 单价), the
amount in 大写 and in figures, the signature lines and the seal. A voided
receipt keeps its number and is crossed by a large 作废; a reprint keeps its
number and says 补打.

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
    "CollectionReceipt",
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
_FIGURES_W = 50 * MM  # （小写） cell
_SPLIT_LABEL_W = 24 * MM  # the caption cell of a second or third value in a row
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
class CollectionReceipt:
    """收款收据: the office (``payee``, 收款单位) received ``amount`` from a unit
    (``payer``, 交款单位) for ``item`` (项目), e.g. 互助保障费 of a plan and period.
    ``people`` × ``shares_each`` (or ``shares`` in all) × ``unit_price`` must come
    to ``amount``: a receipt whose figures do not add up is refused."""

    number: str
    date: date | str
    payer: str  # 交款单位
    item: str  # 项目
    amount: int  # fen
    payee: str  # 收款单位: the office
    people: int  # 人次
    shares: int  # 份数 in all
    unit_price: int  # 单价: fen per share
    shares_each: int | None = None  # 每人份数, when everyone took the same
    cashier: str | None = None  # 收款人
    reviewer: str | None = None  # 审核人
    leader: str | None = None  # 负责人
    void: bool = False  # 作废
    reprint: bool = False  # 补打
    title: str = "收款收据"


AnyReceipt = Receipt | CollectionReceipt


@dataclass(frozen=True)
class _Cell:
    caption: str
    value: str
    width: float | None = None  # of the value; None: up to the right edge
    size: float = _SIZE


@dataclass(frozen=True)
class _Layout:
    """What differs between the kinds of receipt: the grid's rows and the signatures."""

    rows: tuple[tuple[_Cell, ...], ...]  # the three rows above 金额
    signer: tuple[str, float]  # who signs on the first line, and where that line ends
    seal: str  # 单位（盖章）：, right of the first line
    signers: tuple[str, ...]  # the second line: 经办人, 审核人, 负责人 …
    names: tuple[str | None, ...]  # printed on the second line's signature lines


@dataclass(frozen=True)
class _Prepared:
    receipt: AnyReceipt
    number: str
    when: str
    upper: str  # 大写, without 人民币
    figures: str  # ¥2,500.00
    title: str
    layout: _Layout


def _prepare(receipts: Sequence[AnyReceipt]) -> list[_Prepared]:
    from unionsdesk.domain.money import format_yuan, from_fen

    prepared: list[_Prepared] = []
    for r in receipts:
        amount = r.amount
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise TypeError(f"receipt {r.number!r}: amount is int fen, not {amount!r}")
        if amount < 0:
            raise UserError(f"收据 No.{r.number} 的金额为负数，不能打印")
        layout = _collection_layout(r) if isinstance(r, CollectionReceipt) else _payout_layout(r)
        prepared.append(
            _Prepared(
                receipt=r,
                number=_clean(r.number),
                when=clean_text(date_text(r.date)),
                upper=upper_yuan(amount).removeprefix("人民币"),
                figures=format_yuan(from_fen(amount)),
                title=clean_text(r.title),
                layout=layout,
            )
        )
    return prepared


def _payout_layout(r: Receipt) -> _Layout:
    return _Layout(
        rows=(
            (_Cell("今收到", _clean(r.payer)),),
            (
                _Cell("领款人", _clean(r.payee), _NAME_W, _SIZE + 1),
                _Cell("身份证号", _clean(r.payee_id), None, _SIZE + 1),
            ),
            (_Cell("事由", _clean(r.purpose)),),
        ),
        signer=("领款人签字（按手印）", 120 * MM),
        seal="单位（盖章）：",
        signers=("经办人", "审核人", "负责人"),
        names=(_name(r.handler), _name(r.reviewer), _name(r.leader)),
    )


def _collection_layout(r: CollectionReceipt) -> _Layout:
    """The rows and signatures of a 收款收据, after checking that its figures add up."""
    from unionsdesk.domain.money import format_yuan, from_fen

    where = f"收据 No.{r.number}"
    counts = (r.people, r.shares, r.unit_price, r.shares_each or 0)
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in counts):
        raise UserError(f"{where}的人次、份数或单价不正确")
    if r.shares_each is not None and r.shares != r.people * r.shares_each:
        raise UserError(f"{where}：{r.people}人次 × 每人{r.shares_each}份 不等于 {r.shares}份")
    if r.shares * r.unit_price != r.amount:
        raise UserError(
            f"{where}：{r.shares}份 × 单价{format_yuan(from_fen(r.unit_price))} "
            f"不等于金额{format_yuan(from_fen(r.amount))}，不能打印"
        )
    each = f"每人{r.shares_each}份" if r.shares_each is not None else f"共{r.shares:,}份"
    third = (_WIDTH - _LABEL_W - 2 * _SPLIT_LABEL_W) / 3
    return _Layout(
        rows=(
            (_Cell("交款单位", _clean(r.payer), None, _SIZE + 1),),
            (_Cell("项目", _clean(r.item)),),
            (
                _Cell("人次", f"{r.people:,}人次", third, _SIZE + 1),
                _Cell("份数", each, third, _SIZE + 1),
                _Cell("单价", f"{format_yuan(from_fen(r.unit_price))}/份", None, _SIZE + 1),
            ),
        ),
        signer=("交款人", 80 * MM),
        seal=f"收款单位（盖章）：{_clean(r.payee)}",
        signers=("收款人", "审核人", "负责人"),
        names=(_name(r.cashier), _name(r.reviewer), _name(r.leader)),
    )


def _clean(value: str | None) -> str:
    return clean_text((value or "").strip())


def _name(value: str | None) -> str | None:
    return clean_text(value.strip()) if value else None


def _texts(prepared: Sequence[_Prepared], parts: Sequence[str]) -> Iterator[tuple[str, str]]:
    for part in parts:
        yield "联次", part
    for p in prepared:
        where = f"收据 No.{p.number}"
        yield where, p.number
        yield f"{where}“日期”", p.when
        yield f"{where}“标题”", p.title
        for row in p.layout.rows:
            for cell in row:
                yield f"{where}“{cell.caption}”", cell.value
        yield f"{where}“盖章”", p.layout.seal
        for name in p.layout.names:
            yield f"{where}“签字人”", name or ""


def _check_offset(offset_mm: tuple[float, float]) -> tuple[float, float]:
    x, y = (float(v) for v in offset_mm)
    if abs(x) > MAX_OFFSET_MM or abs(y) > MAX_OFFSET_MM:
        raise UserError(
            f"套打偏移量过大（{x:g} mm，{y:g} mm），每个方向不能超过 {MAX_OFFSET_MM:g} mm"
        )
    return x, y


def render_receipts_pdf(
    receipts: Sequence[AnyReceipt],
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

    # The grid: three rows of captions and values (a row may hold several), then 金额.
    x0, x1 = _LEFT, _LEFT + _LABEL_W
    rows_top = Y(_GRID_TOP)
    rules = [(x0, Y(_GRID_TOP + k * _ROW), _RIGHT, Y(_GRID_TOP + k * _ROW)) for k in range(1, 4)]
    rules.append((x1, rows_top, x1, Y(_GRID_TOP + 4 * _ROW)))
    figures_left = _RIGHT - _FIGURES_W
    rules.append((figures_left, Y(_GRID_TOP + 3 * _ROW), figures_left, Y(_GRID_TOP + 4 * _ROW)))

    def baseline(row: int) -> float:
        return Y(_GRID_TOP + (row + 0.5) * _ROW) - size * 0.36

    pad = 2.5 * MM
    layout = p.layout
    texts: list[tuple[float, float, int, _Cell, bool]] = []  # left, right, row, cell, first
    for row, cells in enumerate(layout.rows):
        top_y, bottom_y = Y(_GRID_TOP + row * _ROW), Y(_GRID_TOP + (row + 1) * _ROW)
        draw_text(canvas, (x0 + x1) / 2, baseline(row), cells[0].caption, size, align="center")
        left = x1
        for k, cell in enumerate(cells):
            if k:  # the caption in a cell of its own, ruled off on both sides
                rules.append((left, top_y, left, bottom_y))
                draw_text(
                    canvas, left + _SPLIT_LABEL_W / 2, baseline(row), cell.caption, size,
                    align="center",
                )  # fmt: skip
                left += _SPLIT_LABEL_W
                rules.append((left, top_y, left, bottom_y))
            right = _RIGHT if cell.width is None or k == len(cells) - 1 else left + cell.width
            texts.append((left, right, row, cell, k == 0))
            left = right
    canvas.setLineWidth(0.5)
    canvas.lines(rules)
    canvas.setLineWidth(1.0)
    canvas.rect(x0, Y(_GRID_TOP + 4 * _ROW), _WIDTH, 4 * _ROW, stroke=1, fill=0)
    for left, right, row, cell, first in texts:
        if first:  # one line if it fits (shrinking a little), else two smaller lines
            _value(
                canvas, left + pad, right - pad, Y(_GRID_TOP + row * _ROW), cell.value, cell.size
            )
        else:
            draw_fitted(
                canvas, left + pad, baseline(row), cell.value, cell.size, right - left - 2 * pad,
                min_size=7,
            )  # fmt: skip

    draw_text(canvas, (x0 + x1) / 2, baseline(3), "金额", size, align="center")
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
    signer, signer_right = layout.signer
    draw_signatures(canvas, _LEFT, _LEFT + signer_right, Y(_SIGN1_Y), [signer], size)
    seal_left = _LEFT + signer_right + 5 * MM
    draw_fitted(canvas, seal_left, Y(_SIGN1_Y), layout.seal, size, _RIGHT - seal_left, min_size=7)
    draw_signatures(canvas, _LEFT, _RIGHT, Y(_SIGN2_Y), layout.signers, size, layout.names)

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
