"""设置 › 套打偏移: move everything printed onto pre-printed forms by x/y millimetres."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from unionsdesk.errors import UnionsDeskError
from unionsdesk.fields import PRINT_OFFSETS
from unionsdesk.services.common import settings as settings_svc

from ...context import AppContext
from ...messages import show_error
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
        self._loaded: tuple[float, float, bool] | None = None
        hint = QLabel(
            "在事先印好的票据或表格上打印（套打）时，如果文字整体偏了，在这里填写偏移量："
            "水平向右为正、向左为负；垂直向下为正、向上为负，单位毫米（−50 到 50）。"
            "先用白纸打印一张与原表重叠对照，量出偏差后再填写。"
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
        self.outer.addWidget(form_holder)
        bar = QHBoxLayout()
        self.save_button = QPushButton("保存（Ctrl+S）")
        self.save_button.setObjectName("saveOffsets")
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        self.saved_label.setStyleSheet("color: #2e7d32;")
        bar.addWidget(self.save_button)
        bar.addWidget(self.saved_label)
        bar.addStretch(1)
        self.outer.addLayout(bar)
        self.outer.addStretch(1)
        if not self.editable:
            self.restrict(self.admin_note("修改套打偏移"))
            for w in (self.x_box, self.y_box, self.one_part_box, self.save_button):
                w.setEnabled(False)
        self.refresh()

    def _shown(self) -> tuple[float, float, bool]:
        return self.x_box.value(), self.y_box.value(), self.one_part_box.isChecked()

    def refresh(self) -> None:
        if self._loaded is not None and self._shown() != self._loaded:
            return  # unsaved typing is never thrown away
        offsets = settings_svc.get_print_offsets(self.ctx.db)
        self.x_box.setValue(offsets.x_mm)
        self.y_box.setValue(offsets.y_mm)
        self.one_part_box.setChecked(settings_svc.get_receipt_one_part_per_page(self.ctx.db))
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
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        self.x_box.setValue(offsets.x_mm)
        self.y_box.setValue(offsets.y_mm)
        self._loaded = self._shown()
        self.saved_label.setText("已保存")
        self.ctx.changed.emit("settings")
        self.ctx.notify(f"套打偏移已保存：水平 {offsets.x_mm:g} 毫米，垂直 {offsets.y_mm:g} 毫米")
