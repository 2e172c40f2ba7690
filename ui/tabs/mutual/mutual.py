"""互助保障: plans, 参保登记 and 理赔/给付 (DOMAIN.md §5) on the register framework.

Special here: importing a unit's named list into the selected 参保登记 (the
shared import preview shows which column feeds which field and the first rows;
then a dry run shows the plan's minimums and people not on the register before
anything is written), recording the payment with a receipt number and printing
the 互助保障费 receipt (补打 from the second print on), the named list itself,
the warnings before a claim is saved (伤残 before 180 days, papers missing), the
monthly 给付签收表 and the statistics table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError
from unionsdesk.fields import EntitySpec, FieldSpec
from unionsdesk.registers import Record, RecordRow, get

from ...context import AppContext
from ...messages import confirm, show_error
from ...widgets.excel_import import ExcelImport, ImportPreviewDialog
from ...widgets.form import Choices
from ...widgets.form_dialog import FormDialog
from ...widgets.register import RegisterPane, RegisterTabs, colour
from ...widgets.table import fill_table, make_table

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
ROSTER_NOTE = (
    "开始导入后先检查全部行（不写入）：计划的参保人数和比例要求、不在会员名册中的人员等提示"
    "会先列出，确认后才写入；只要有一行有错，就一行也不写入——可以保存错误清单，改好后再导入。"
)
RECEIPT_TEXTS = ("开具并打印收据…", "打印收据…", "补打收据…")  # not paid / paid / printed
RECEIPT_NOTE = "核对无误后按“打印…”。打印或另存为PDF后记入打印次数；再次打印即为补打。"


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


class EnrolmentsPane(RegisterPane):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, get("mutual-enrolments"))
        self.roster_import = ExcelImport(self, ctx, unit="人", file_kind="参保名单", folder_key="mutual-roster")  # fmt: skip
        self.roster_import.written.connect(self._roster_written)
        self.roster_preview: ImportPreviewDialog | None = None
        self.roster_record_id: int | None = None  # the enrolment the list goes into
        self.receipt_job: Any = None  # the job making the receipt's PDF (for tests)

    def form_choices(self) -> dict[str, Choices]:
        return _plan_choices(self.ctx)

    def row_brush(self, row: RecordRow) -> QBrush | None:
        return colour("#fff1c2") if not row.values.get("receipt_no") else None

    def extra_buttons(self) -> list[tuple[str, str, Callable[[], object], str]]:
        return [
            ("roster", "导入参保名单…", self.import_roster, "把单位的参保人员名单（Excel）导入选中的参保登记"),
            ("people", "参保名单…", self.show_people, "查看选中参保登记的人员名单"),
            ("pay", "收款…", self.record_payment, "记录缴费并开具收据号"),
            ("receipt", RECEIPT_TEXTS[0], self.print_receipt,
             "打印选中参保登记的互助保障费收据（尚未收款的先记收款、开具收据号）"),
        ]  # fmt: skip

    def record_shown(self, record: Record | None) -> None:
        super().record_shown(record)
        self.buttons["receipt"].setText(self.receipt_text(record))

    def receipt_text(self, record: Record | None) -> str:
        """开具并打印收据 before the payment, then 打印收据, after a print 补打收据."""
        if record is None or not record.values.get("receipt_no"):
            return RECEIPT_TEXTS[0]
        from unionsdesk.services.mutual.receipts import receipt_info

        try:
            printed = receipt_info(self.ctx.db, self.ctx.user, record.id).print_count
        except UnionsDeskError:
            return RECEIPT_TEXTS[1]
        return RECEIPT_TEXTS[2] if printed else RECEIPT_TEXTS[1]

    def _selected(self) -> Record | None:
        if self.current is None:
            self.ctx.notify("请先在列表中选中一条参保登记（新单位先填写并保存参保登记）")
        return self.current

    def import_roster(self, path: Path | None = None) -> ImportPreviewDialog | None:
        """The shared import preview (which column is which, the first rows), then a
        dry run whose warnings the clerk confirms, then the import."""
        from unionsdesk.services.mutual.specs import INSURED

        from ...widgets.file_dialogs import ask_open_excel

        record = self._selected()
        if record is None:
            return None
        path = path or ask_open_excel(self, "选择参保人员名单", "mutual-roster")
        if path is None:
            return None
        v = record.values
        into = QLabel(f"{v.get('unit')}　{v.get('plan')}　{v.get('period')}期")
        into.setObjectName("rosterTarget")
        dialog = ImportPreviewDialog(
            Path(path), INSURED, self, ctx=self.ctx, title="导入参保名单", note=ROSTER_NOTE,
            target=("导入到：", into),
        )  # fmt: skip
        self.roster_preview = dialog
        dialog.accepted.connect(lambda: self._import_roster(Path(path), record, dialog.columns()))
        dialog.open()
        return dialog

    def _import_roster(
        self, path: Path, record: Record, columns: dict[str, int | None] | None
    ) -> None:
        from unionsdesk.services.mutual.enrolments import import_enrolment

        db, user, v = self.ctx.db, self.ctx.user, record.values
        args: dict[str, Any] = dict(plan=v["plan"], period=int(v["period"]), union=v["unit"],
                                    starts_on=v.get("starts_on"), columns=columns)  # fmt: skip

        def check(p: Path, skip: bool, _control: Any) -> Any:
            return import_enrolment(db, user, p, dry_run=True, skip_invalid=skip, **args)

        def run(p: Path, skip: bool, _control: Any) -> Any:
            return import_enrolment(db, user, p, skip_invalid=skip, **args)

        def ask(checked: Any) -> bool:
            text = "\n".join(checked.summary_lines())
            return confirm(self, text + "\n\n确认导入以上人员吗？", "导入参保名单")

        self.roster_record_id = record.id
        self.roster_import.start(path, run, check=check, confirm=ask)

    def _roster_written(self, _result: Any) -> None:
        self._changed()
        if self.roster_record_id is not None:
            self.show_record(self.roster_record_id)

    def show_people(self) -> None:
        record = self._selected()
        if record is not None:
            InsuredDialog(self.ctx, record, self).exec()

    def record_payment(self) -> None:
        record = self._selected()
        if record is not None and PaymentDialog(self.ctx, record.id, self).exec():
            self._changed()
            self.show_record(record.id)

    def print_receipt(self) -> None:
        """开具并打印收据 / 补打收据: an unpaid enrolment is paid first (缴费日期 asked),
        then its receipt is previewed; printing or saving it counts the print."""
        record = self._selected()
        if record is None:
            return
        if not record.values.get("receipt_no"):
            if not PaymentDialog(self.ctx, record.id, self).exec():
                return
            self._changed()
            self.show_record(record.id)
        self.preview_receipt(record.id)

    def preview_receipt(self, enrolment_id: int) -> Any:
        from unionsdesk.services.mutual import receipts

        from ...widgets.pdf_preview import PdfPreviewDialog, temp_pdf_path
        from ...workers import run_job

        db, user, ctx = self.ctx.db, self.ctx.user, self.ctx
        path = temp_pdf_path("互助保障费收据")

        def work(_control: Any) -> receipts.CollectionReceiptInfo:
            return receipts.receipt_pdf(db, user, enrolment_id, path, record=False)

        def show(info: receipts.CollectionReceiptInfo) -> None:
            again = "（补打）" if info.print_count else ""
            title = f"互助保障费收据 No.{info.receipt_no}{again}"
            recorded = False

            def output(kind: str) -> None:
                nonlocal recorded
                if recorded:  # printed and then saved: one print
                    return
                receipts.record_receipt_print(db, user, enrolment_id)
                recorded = True
                what = "已打印" if kind == "print" else "已另存为PDF"
                ctx.notify(f"{title}：{what}，已记入打印次数")
                if self.current is not None and self.current.id == enrolment_id:
                    self.buttons["receipt"].setText(self.receipt_text(self.current))

            dialog = PdfPreviewDialog(path, title, parent=self, on_output=output, note=RECEIPT_NOTE,
                                      default_name=f"{title}.pdf", delete_on_close=True)  # fmt: skip
            self.preview = dialog
            dialog.finished.connect(lambda _r: dialog.deleteLater())
            dialog.open()

        def failed(exc: BaseException) -> None:
            show_error(self, exc, "无法打印收据")

        self.receipt_job = run_job(self, "正在生成收据……", work, show, on_error=failed)
        return self.receipt_job


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
