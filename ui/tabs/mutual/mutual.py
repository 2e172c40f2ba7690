"""互助保障: plans, 参保登记 and 理赔/给付 (DOMAIN.md §5) on the register framework.

Special here: importing a unit's named list into the selected 参保登记 (checked
first; the plan's minimums and people not on the register are shown before
anything is written), recording the payment with a receipt number, the named
list itself, the warnings before a claim is saved (伤残 before 180 days, papers
missing), the monthly 给付签收表 and the statistics table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError
from unionsdesk.fields import EntitySpec, FieldSpec
from unionsdesk.registers import Record, RecordRow, get

from ...context import AppContext
from ...messages import confirm, show_error, show_info
from ...widgets.form import Choices
from ...widgets.form_dialog import FormDialog
from ...widgets.register import RegisterPane, RegisterTabs, colour
from ...widgets.table import fill_table, make_table
from ..rights.rights import ListPane

MONTH = EntitySpec(
    "payment_month",
    "给付月份",
    (
        FieldSpec("year", "年度", kind="int", required=True, width=6),
        FieldSpec("month", "月份", kind="int", required=True, width=4),
        FieldSpec("public", "公示版（身份证号打码）", kind="bool", width=6),
    ),
)
PAYMENT = EntitySpec(
    "payment", "收款", (FieldSpec("paid_on", "缴费日期", kind="date", required=True),)
)


def _preview(pane: RegisterPane, path: Any, title: str) -> None:
    from ...widgets.pdf_preview import PdfPreviewDialog

    dialog = PdfPreviewDialog(path, title, parent=pane, delete_on_close=True)
    pane.preview = dialog
    dialog.finished.connect(lambda _r: dialog.deleteLater())
    dialog.open()


def _plan_choices(ctx: AppContext) -> dict[str, Choices]:
    from unionsdesk.services.mutual.plans import plan_names

    try:
        return {"plan": [(n, n) for n in plan_names(ctx.db, ctx.user)]}
    except UnionsDeskError:
        return {}


class InsuredDialog(QDialog):
    """参保名单 of one enrolment."""

    def __init__(self, ctx: AppContext, record: Record, parent: QWidget | None = None) -> None:
        from unionsdesk.services.mutual.enrolments import list_insured

        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — 参保名单")
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        v = record.values
        layout.addWidget(QLabel(f"{v.get('unit')}　{v.get('plan')}　{v.get('period')}期"))
        self.table = make_table(["姓名", "身份证号", "性别", "份数", "在册会员"])
        self.table.setObjectName("insuredTable")
        rows = list_insured(ctx.db, ctx.user, record.id)
        fill_table(
            self.table,
            [(r.name, r.id_number, r.sex, r.shares, "是" if r.member else "否") for r in rows],
            rows,
        )
        layout.addWidget(self.table, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        layout.addWidget(box)


class PaymentDialog(FormDialog):
    def __init__(self, ctx: AppContext, enrolment_id: int, parent: QWidget | None = None) -> None:
        super().__init__("收款（开具收据）", PAYMENT, parent=parent,
                         intro="记录单位缴纳的互助金，收据号从“互助保障费”收据序列连续编号。")  # fmt: skip
        self.ctx, self.enrolment_id = ctx, enrolment_id
        self.form.set_values({"paid_on": date.today()})

    def perform(self, values: dict[str, Any]) -> Any:
        from unionsdesk.services.mutual.enrolments import record_payment

        paid_on = PAYMENT.clean(values)["paid_on"]
        return record_payment(self.ctx.db, self.ctx.user, self.enrolment_id, paid_on)


class EnrolmentsPane(ListPane):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, get("mutual-enrolments"))

    def form_choices(self) -> dict[str, Choices]:
        return _plan_choices(self.ctx)

    def row_brush(self, row: RecordRow) -> QBrush | None:
        return colour("#fff1c2") if not row.values.get("receipt_no") else None

    def extra_buttons(self) -> list[tuple[str, str, Callable[[], object], str]]:
        return [
            ("roster", "导入参保名单…", self.import_roster, "把单位的参保人员名单（Excel）导入选中的参保登记"),
            ("people", "参保名单…", self.show_people, "查看选中参保登记的人员名单"),
            ("pay", "收款…", self.record_payment, "记录缴费并开具收据号"),
        ]  # fmt: skip

    def _selected(self) -> Record | None:
        if self.current is None:
            self.ctx.notify("请先在列表中选中一条参保登记（新单位先填写并保存参保登记）")
        return self.current

    def import_roster(self, path: Any = None) -> None:
        from unionsdesk.services.mutual.enrolments import import_enrolment

        from ...widgets.file_dialogs import ask_open_excel

        record = self._selected()
        if record is None:
            return
        path = path or ask_open_excel(self, "选择参保人员名单", "mutual-roster")
        if path is None:
            return
        v = record.values
        args = dict(
            plan=v["plan"], period=int(v["period"]), union=v["unit"], starts_on=v.get("starts_on")
        )
        try:
            checked = import_enrolment(self.ctx.db, self.ctx.user, path, dry_run=True, **args)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法导入参保名单")
            return
        text = "\n".join(checked.summary_lines())
        if checked.errors:
            show_error(self, text, "参保名单有错误，未导入")
            return
        if not confirm(self, text + "\n\n确认导入以上人员吗？", "导入参保名单"):
            return
        try:
            done = import_enrolment(self.ctx.db, self.ctx.user, path, **args)
        except UnionsDeskError as exc:
            show_error(self, exc, "未导入")
            return
        show_info(self, "\n".join(done.summary_lines()), "已导入参保名单")
        self._changed()
        self.show_record(record.id)

    def show_people(self) -> None:
        record = self._selected()
        if record is not None:
            InsuredDialog(self.ctx, record, self).exec()

    def record_payment(self) -> None:
        record = self._selected()
        if record is not None and PaymentDialog(self.ctx, record.id, self).exec():
            self._changed()
            self.show_record(record.id)


class PayDialog(FormDialog):
    def __init__(self, ctx: AppContext, claim_ids: list[int], parent: QWidget | None = None, *,
                 intro: str = "") -> None:  # fmt: skip
        spec = EntitySpec(
            "pay", "给付", (FieldSpec("paid_on", "给付日期", kind="date", required=True),)
        )
        super().__init__("批量给付", spec, parent=parent, intro=intro, ok_text="给付")
        self.ctx, self.claim_ids = ctx, claim_ids
        self.paid_on: date | None = None
        self.form.set_values({"paid_on": date.today()})

    def perform(self, values: dict[str, Any]) -> Any:
        from unionsdesk.services.mutual.claims import pay_claims

        self.paid_on = PAYMENT.clean(values)["paid_on"]
        return pay_claims(self.ctx.db, self.ctx.user, self.claim_ids, self.paid_on)


class MonthDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("给付签收表", MONTH, parent=parent, ok_text="生成",
                         intro="打印该月已给付的互助保障申请的给付签收表。")  # fmt: skip
        today = date.today()
        self.form.set_values({"year": today.year, "month": today.month})
        self.ctx = ctx

    def perform(self, values: dict[str, Any]) -> Any:
        from unionsdesk.printing.signoff import render_signoff_pdf
        from unionsdesk.services.common.office import get_office
        from unionsdesk.services.mutual.claims import payment_sheet

        from ...widgets.pdf_preview import temp_pdf_path

        values = MONTH.clean(values)
        if not 1 <= values["month"] <= 12:
            from unionsdesk.errors import ValidationError

            raise ValidationError({"month": "月份应为1到12"})
        sheet = payment_sheet(self.ctx.db, self.ctx.user, values["year"], values["month"],
                              get_office(self.ctx.db).name, public=bool(values["public"]))  # fmt: skip
        path = temp_pdf_path("mutual-payments")
        render_signoff_pdf(sheet, path)
        return path


class ClaimsPane(RegisterPane):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, get("mutual-claims"))

    def form_choices(self) -> dict[str, Choices]:
        return _plan_choices(self.ctx)

    def row_brush(self, row: RecordRow) -> QBrush | None:
        return {"受理": colour("#fff1c2"), "拒付": colour("#eeeeee")}.get(
            str(row.values.get("status"))
        )

    def extra_buttons(self) -> list[tuple[str, str, Callable[[], object], str]]:
        return [
            (
                "pay",
                "批量给付…",
                self.pay_reviewed,
                "把全部“审核”状态的申请记为已给付（审核人），再打印当月签收表",
            ),
            ("sheet", "给付签收表…", self.print_sheet, "打印某月已给付申请的给付签收表"),
            (
                "totals",
                "统计表…",
                self.print_totals,
                "职工互助保障情况统计表（按计划、按给付类型）",
            ),
        ]

    def save(self) -> Record | None:
        """Warnings (伤残 before 180 days, papers missing) are shown before saving."""
        from unionsdesk.services.mutual.registers import claim_warnings

        if self.can_write and self.form.validate():
            try:
                warnings = claim_warnings(self.ctx.db, self.ctx.user, self.form.values())
            except UnionsDeskError:
                warnings = []  # the save itself shows the reason
            if warnings and not confirm(self, "\n".join(warnings) + "\n\n仍然保存吗？", "请核对"):
                return None
        return super().save()

    def pay_reviewed(self) -> None:
        """One month's batch: every reviewed claim paid on the date given."""
        from unionsdesk.services.mutual.claims import list_claims

        try:
            ready = list_claims(self.ctx.db, self.ctx.user, status="审核")
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取")
            return
        if not ready:
            self.ctx.notify("没有“审核”状态的给付申请")
            return
        total = sum(c.approved or 0 for c in ready) / 100
        dialog = PayDialog(self.ctx, [c.id for c in ready], self,
                           intro=f"将{len(ready)}件已审核的申请（核定金额合计{total:,.2f}元）记为已给付。")  # fmt: skip
        if dialog.exec():
            self._changed()
            self.ctx.notify(f"已给付{len(ready)}件，可打印{dialog.paid_on:%Y年%m月}的给付签收表")

    def print_sheet(self) -> None:
        dialog = MonthDialog(self.ctx, self)
        if dialog.exec() and dialog.result_value is not None:
            _preview(self, dialog.result_value, "互助保障给付签收表")

    def print_totals(self) -> None:
        from unionsdesk.printing.table_pdf import render_tables_pdf
        from unionsdesk.services.common.office import get_office
        from unionsdesk.services.mutual.totals import claims_by_type, mutual_totals

        from ...widgets.pdf_preview import temp_pdf_path

        period = date.today().year
        path = temp_pdf_path("mutual-totals")
        try:
            office = get_office(self.ctx.db).name
            render_tables_pdf(
                [mutual_totals(self.ctx.db, self.ctx.user, period, office),
                 claims_by_type(self.ctx.db, self.ctx.user, period)], path,
            )  # fmt: skip
        except UnionsDeskError as exc:
            show_error(self, exc, "无法生成统计表")
            return
        _preview(self, path, f"职工互助保障情况统计表（{period}期）")


def _plans(ctx: AppContext) -> QWidget:
    return RegisterPane(ctx, get("mutual-plans"))


PAGES: list[tuple[str, Callable[[AppContext], QWidget]]] = [
    ("参保登记", EnrolmentsPane),
    ("理赔/给付", ClaimsPane),
    ("互助保障计划", _plans),
]


class MutualTab(RegisterTabs):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, [(title, partial(f, ctx)) for title, f in PAGES])

    @classmethod
    def page_titles(cls) -> list[str]:
        return [t for t, _f in PAGES]
