"""设置 › 套打偏移: move everything printed onto pre-printed forms by x/y millimetres."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from unionsdesk.errors import UnionsDeskError
from unionsdesk.fields import PRINT_OFFSETS
from unionsdesk.services.aid.aid_io import BANK_FIELDS, bank_columns, set_bank_columns
from unionsdesk.services.aid.receipts import RECEIPTS_IN_REVIEW, receipt_statuses
from unionsdesk.services.common import settings as settings_svc

from ...context import AppContext
from ...messages import show_error
from ...widgets.pdf_preview import PdfPreviewDialog, temp_pdf_path
from .settings import SettingsPage

LIMIT_MM = 50.0


def _mm_box(name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(-LIMIT_MM, LIMIT_MM)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setSuffix(" 毫米")
    box.setMinimumWidth(140)
    return box


class PrintOffsetsPage(SettingsPage):
    """套打 offsets and how receipts are laid out on paper."""

    title = "套打偏移"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self._loaded: tuple[float, float, bool, bool] | None = None
        self.preview: PdfPreviewDialog | None = None
        hint = QLabel(
            "在事先印好的票据或表格上打印（套打）时，如果文字整体偏了，在这里填写偏移量："
            "水平向右为正、向左为负；垂直向下为正、向上为负，单位毫米（−50 到 50）。"
            "先按“打印校准页…”用白纸打印一张（按下面的偏移），与原表重叠对照，量出偏差后再填写。"
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.outer.addWidget(hint)
        form_holder = QWidget()
        form_holder.setMaximumWidth(560)
        form = QFormLayout(form_holder)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.x_box = _mm_box("offsetX")
        self.y_box = _mm_box("offsetY")
        form.addRow(PRINT_OFFSETS["offset_x_mm"].label, self.x_box)
        form.addRow(PRINT_OFFSETS["offset_y_mm"].label, self.y_box)
        self.one_part_box = QCheckBox("每联单独打印一页（默认三联印在一张A4纸上）")
        self.one_part_box.setToolTip("存根、收据、记账三联各占一页，适合单联的预印收据")
        self.one_part_box.setObjectName("receiptOnePartPerPage")
        form.addRow("收据版式", self.one_part_box)
        self.early_box = QCheckBox("提交审核后即可开具")
        self.early_box.setToolTip(
            "默认：审核人确认发放后才能开具收据；勾选后，活动提交审核即可开具"
        )
        self.early_box.setObjectName("receiptsInReview")
        form.addRow("开具收据", self.early_box)
        self.outer.addWidget(form_holder)
        bar = QHBoxLayout()
        self.save_button = QPushButton("保存（Ctrl+S）")
        self.save_button.setObjectName("saveOffsets")
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #2e7d32;")
        self.calibration_button = QPushButton("打印校准页…")
        self.calibration_button.setObjectName("calibrationButton")
        self.calibration_button.setToolTip(
            "按上面填写的偏移生成一张毫米网格校准页，预览后打印（按实际大小）"
        )
        self.calibration_button.clicked.connect(lambda _c=False: self.print_calibration())
        bar.addWidget(self.save_button)
        bar.addWidget(self.calibration_button)
        bar.addWidget(self.saved_label)
        bar.addStretch(1)
        self.outer.addLayout(bar)
        self.outer.addSpacing(12)
        bank_hint = QLabel(
            "银行代发文件（帮扶慰问 → 银行代发文件…）：默认列为 户名、账号、金额、摘要。"
            "某家银行要求别的顺序时，填写银行名称（与困难职工档案的“开户银行”一致）和列顺序，"
            "用逗号分隔，可用的列：" + "、".join(BANK_FIELDS) + "。"
        )
        bank_hint.setWordWrap(True)
        bank_hint.setStyleSheet("color: #555;")
        self.outer.addWidget(bank_hint)
        bank_row = QHBoxLayout()
        self.bank_name_edit = QLineEdit()
        self.bank_name_edit.setObjectName("bankName")
        self.bank_name_edit.setPlaceholderText("银行名称，如 示例县农村商业银行")
        self.bank_order_edit = QLineEdit()
        self.bank_order_edit.setObjectName("bankColumns")
        self.bank_order_edit.setPlaceholderText("账号,户名,金额,摘要")
        self.bank_name_edit.editingFinished.connect(self._show_bank_order)
        self.bank_button = QPushButton("保存列顺序")
        self.bank_button.setObjectName("saveBankColumns")
        self.bank_button.clicked.connect(lambda _c=False: self.save_bank_columns())
        bank_row.addWidget(self.bank_name_edit, 2)
        bank_row.addWidget(self.bank_order_edit, 2)
        bank_row.addWidget(self.bank_button)
        self.outer.addLayout(bank_row)
        self.outer.addStretch(1)
        if not self.editable:
            self.restrict(self.admin_note("修改套打偏移"))
            for w in (self.x_box, self.y_box, self.one_part_box, self.early_box, self.save_button,
                      self.bank_name_edit, self.bank_order_edit, self.bank_button):  # fmt: skip
                w.setEnabled(False)
        self.refresh()

    def _show_bank_order(self) -> None:
        bank = self.bank_name_edit.text().strip()
        if bank:
            self.bank_order_edit.setText(",".join(bank_columns(self.ctx.db, bank)))

    def save_bank_columns(self) -> bool:
        bank = self.bank_name_edit.text().strip()
        order = [c.strip() for c in self.bank_order_edit.text().replace("，", ",").split(",")]
        try:
            set_bank_columns(self.ctx.db, self.ctx.user, bank, [c for c in order if c])
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return False
        self.ctx.notify(f"已保存“{bank}”代发文件的列顺序")
        return True

    def print_calibration(self) -> PdfPreviewDialog | None:
        """The 套打 test sheet with the offsets as shown (saved or not), in the preview."""
        from unionsdesk.printing.receipt import render_calibration_pdf

        path = temp_pdf_path("套打校准页")
        try:
            render_calibration_pdf(path, (self.x_box.value(), self.y_box.value()))
        except UnionsDeskError as exc:
            show_error(self, exc, "无法生成校准页")
            return None
        self.preview = PdfPreviewDialog(
            path,
            "套打校准页",
            parent=self,
            delete_on_close=True,
            note="请按“实际大小”打印（不要缩放），再与预印的票据重叠对照。",
        )
        self.preview.show()
        return self.preview

    def _shown(self) -> tuple[float, float, bool, bool]:
        return (
            self.x_box.value(),
            self.y_box.value(),
            self.one_part_box.isChecked(),
            self.early_box.isChecked(),
        )

    def refresh(self) -> None:
        if self._loaded is not None and self._shown() != self._loaded:
            return  # unsaved typing is never thrown away
        offsets = settings_svc.get_print_offsets(self.ctx.db)
        self.x_box.setValue(offsets.x_mm)
        self.y_box.setValue(offsets.y_mm)
        self.one_part_box.setChecked(settings_svc.get_receipt_one_part_per_page(self.ctx.db))
        self.early_box.setChecked(receipt_statuses(self.ctx.db)[0] == "审核")
        self._loaded = self._shown()
        self.saved_label.clear()

    def save(self) -> None:
        if not self.editable:
            self.ctx.notify("当前用户不能修改套打偏移")
            return
        try:
            offsets = settings_svc.set_print_offsets(
                self.ctx.db, self.ctx.user, self.x_box.value(), self.y_box.value()
            )
            settings_svc.set_receipt_one_part_per_page(
                self.ctx.db, self.ctx.user, self.one_part_box.isChecked()
            )
            settings_svc.set_settings(
                self.ctx.db,
                self.ctx.user,
                {RECEIPTS_IN_REVIEW: "1" if self.early_box.isChecked() else "0"},
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        self.x_box.setValue(offsets.x_mm)
        self.y_box.setValue(offsets.y_mm)
        self._loaded = self._shown()
        self.saved_label.setText("已保存")
        self.ctx.changed.emit("settings")
        self.ctx.notify(f"套打偏移已保存：水平 {offsets.x_mm:g} 毫米，垂直 {offsets.y_mm:g} 毫米")
