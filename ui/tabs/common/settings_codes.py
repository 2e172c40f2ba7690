"""设置 › 字典: the editable value lists (民族, 学历, 致困原因 …)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError, ValidationError
from unionsdesk.fields import CODE_ENTRY
from unionsdesk.services.common import codes as codes_svc
from unionsdesk.services.common.codes import CATEGORIES, Code

from ...context import AppContext
from ...messages import show_error
from ...widgets.form import FormWidget
from ...widgets.table import ROW_DATA, fill_table, make_table, row_data, select_row
from .settings import SettingsPage


class CodeDialog(QDialog):
    """Add an entry to ``category`` (``code`` None) or change one's label/order/active."""

    def __init__(
        self, ctx: AppContext, category: str, code: Code | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.category = category
        self.code = code
        self.result_code: Code | None = None
        what = CATEGORIES[category]
        self.setWindowTitle(f"{APP_TITLE} — {'新增' if code is None else '修改'}字典项（{what}）")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.form = FormWidget(CODE_ENTRY)
        if code is None:
            self.form.set_values({"active": True})
            hint = QLabel("“排序”不填时排在最后。代码保存后不能修改（已有记录引用它）。")
        else:
            self.form.set_values(
                {"code": code.code, "label": code.label, "sort_order": code.sort_order,
                 "active": code.active}
            )  # fmt: skip
            self.form.set_field_enabled("code", False)
            hint = QLabel("代码不能修改；不再使用的项请取消“启用”，已有记录仍能显示它。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        layout.addWidget(self.form)
        box = QDialogButtonBox()
        ok = QPushButton("确定")
        ok.setObjectName("okButton")
        box.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.try_save)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.form.submitted.connect(self.try_save)

    def try_save(self) -> None:
        if not self.form.validate():
            return
        values = self.form.values()
        try:
            if self.code is None:
                self.result_code = codes_svc.add_code(
                    self.ctx.db, self.ctx.user, self.category, values
                )
            else:
                values.pop("code", None)
                self.result_code = codes_svc.update_code(
                    self.ctx.db, self.ctx.user, self.code.id, values, self.code.version
                )
        except ValidationError as exc:
            self.form.errors_from(exc)
            show_error(self, exc, "请检查填写的内容")
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        self.accept()


class CodesPage(SettingsPage):
    title = "字典"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        body = QHBoxLayout()
        self.categories = QListWidget()
        self.categories.setObjectName("codeCategories")
        counts = codes_svc.count_codes(ctx.db)
        widest = max(
            self.fontMetrics().horizontalAdvance(f"{v}（999）") for v in CATEGORIES.values()
        )
        self.categories.setFixedWidth(widest + 40)
        for key, label in CATEGORIES.items():
            item = QListWidgetItem(f"{label}（{counts.get(key, 0)}）")
            item.setData(ROW_DATA, key)
            item.setSizeHint(QSize(0, self.fontMetrics().height() + 10))
            self.categories.addItem(item)
        body.addWidget(self.categories)

        right = QVBoxLayout()
        bar = QHBoxLayout()
        self.add_button = QPushButton("新增…")
        self.add_button.setObjectName("addCode")
        self.edit_button = QPushButton("修改…")
        self.edit_button.setObjectName("editCode")
        self.toggle_button = QPushButton("停用/启用")
        self.toggle_button.setObjectName("toggleCode")
        for b in (self.add_button, self.edit_button, self.toggle_button):
            bar.addWidget(b)
        bar.addStretch(1)
        right.addLayout(bar)
        self.table = make_table(["代码", "名称", "排序", "状态"])
        self.table.setObjectName("codesTable")
        right.addWidget(self.table, 1)
        body.addLayout(right, 1)
        self.outer.addLayout(body, 1)

        self.categories.currentRowChanged.connect(lambda _r: self.refresh())
        self.add_button.clicked.connect(self.add_code)
        self.edit_button.clicked.connect(self.edit_code)
        self.toggle_button.clicked.connect(self.toggle_code)
        self.table.doubleClicked.connect(lambda _i: self.edit_code())
        if not self.editable:
            self.restrict(self.admin_note("修改字典"))
            for b in (self.add_button, self.edit_button, self.toggle_button):
                b.setEnabled(False)
        self.categories.setCurrentRow(0)

    def category(self) -> str:
        item = self.categories.currentItem()
        return str(item.data(ROW_DATA)) if item is not None else next(iter(CATEGORIES))

    def refresh(self) -> None:
        selected = row_data(self.table)
        try:
            rows = codes_svc.list_codes(self.ctx.db, self.category(), include_inactive=True)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取字典")
            return
        fill_table(
            self.table,
            [(c.code, c.label, c.sort_order, "启用" if c.active else "已停用") for c in rows],
            rows,
            align_right=(2,),
        )
        if selected is not None:
            select_row(self.table, lambda c: c is not None and c.id == selected.id)
        item = self.categories.currentItem()
        if item is not None:
            item.setText(f"{CATEGORIES[self.category()]}（{len(rows)}）")

    def _selected(self) -> Code | None:
        code: Code | None = row_data(self.table)
        if code is None:
            self.ctx.notify("请先在表格中选中一项")
        return code

    def _done(self, code: Code | None, message: str) -> None:
        self.refresh()
        if code is not None:
            select_row(self.table, lambda c: c is not None and c.id == code.id)
        self.ctx.changed.emit("codes")
        self.ctx.notify(message)

    def add_code(self) -> None:
        dialog = CodeDialog(self.ctx, self.category(), None, self)
        if dialog.exec() and dialog.result_code is not None:
            self._done(dialog.result_code, f"已新增“{dialog.result_code.label}”")

    def edit_code(self) -> None:
        code = self._selected()
        if code is None or not self.editable:
            return
        dialog = CodeDialog(self.ctx, self.category(), code, self)
        if dialog.exec():
            self._done(dialog.result_code, f"已修改“{code.label}”")

    def toggle_code(self) -> None:
        code = self._selected()
        if code is None:
            return
        try:
            changed = codes_svc.update_code(
                self.ctx.db, self.ctx.user, code.id, {"active": not code.active}, code.version
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        self._done(changed, f"已{'启用' if changed.active else '停用'}“{changed.label}”")
