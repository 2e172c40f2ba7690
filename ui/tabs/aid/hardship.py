"""困难职工: the hardship files (建档立卡) — a filtered list, the file form with its
household table, review (审核) by a reviewer, 年审 and the lifecycle
建档 → 帮扶中 → 解困脱困 / 退出.

The list shows files on record by default; a file whose 年审 is overdue has a
red 年审 cell (computed from the dates when read). The form is ``HARDSHIP`` in
the paper form's order; 家庭成员 is an editable table with the ``HOUSEHOLD``
columns. The service's warnings (income above the 低保 line, overdue 年审, an
ID number on another file) are shown above the form after loading or saving.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from unionsdesk.domain.money import to_fen
from unionsdesk.errors import ConflictError, UnionsDeskError, ValidationError
from unionsdesk.fields import HARDSHIP, HARDSHIP_STATUSES, HOUSEHOLD, EntitySpec, FieldSpec
from unionsdesk.services.aid import hardship as hardship_svc
from unionsdesk.services.aid.hardship import FileDetail, FileFilter, FileRow
from unionsdesk.services.common import codes as codes_svc
from unionsdesk.services.common.base import PII, REVIEW, WRITE
from unionsdesk.services.members import unions as unions_svc
from unionsdesk.services.members.unions import UnionRow

from ...context import AppContext
from ...messages import confirm, show_error
from ...widgets.basics import ERROR_COLOR, error_label
from ...widgets.empty_guide import EmptyGuide
from ...widgets.excel_import import ExcelImport, ImportDialog
from ...widgets.file_dialogs import ask_open_excel, ask_save_xlsx
from ...widgets.form import FormWidget
from ...widgets.form_dialog import FormDialog
from ...widgets.panes import debounce, list_and_panel, tab_layout, tab_shortcut
from ...widgets.table import cell, make_table, row_data, yuan
from ...widgets.table_export import export_table
from ...widgets.union_picker import UnionPicker, decorate, make_searchable, union_tree_order
from ...workers import Job, JobControl

SEARCH_DELAY_MS = 150
COLUMNS = (
    "姓名",
    "身份证号",
    "所在工会",
    "困难类别",
    "主要原因",
    "月人均收入",
    "状态",
    "审核",
    "年审",
)
UNION_COLUMN, INCOME_COLUMN, REVIEW_COLUMN = 2, 5, 8
OVERDUE = QColor(ERROR_COLOR)
CLOSED = QColor("#8a8a8a")
WARN_STYLE = "background: #fff4d6; border: 1px solid #e0b84c; border-radius: 3px; padding: 6px;"
ON_RECORD = "在档（建档、帮扶中）"
IMPORT_NOTE = (
    "导入前先检查全部行：只要有一行有错，就一行也不写入——可以保存错误清单，"
    "改好后再导入，或选择“只导入正确的行”。\n"
    "已有在档档案的人自动跳过，原档案不会被覆盖。导入的档案为“建档”状态，等待审核。"
)

# the form: HARDSHIP in paper-form order; the union is picked from the register
FORM_SPEC = EntitySpec(
    HARDSHIP.name,
    HARDSHIP.label,
    tuple(
        replace(f, label="所在工会", required=True) if f.name == "union" else f
        for f in HARDSHIP.fields
    ),
)

RETURN_SPEC = EntitySpec(
    "hardship_return",
    "退回档案",
    (FieldSpec("note", "退回原因", required=True, max_length=200, placeholder="如 收入证明不全"),),
)
ANNUAL_SPEC = EntitySpec(
    "hardship_annual",
    "年审",
    (FieldSpec("on", "年审日期", kind="date", required=True),),
)
STATUS_SPEC = EntitySpec(
    "hardship_status",
    "变更档案状态",
    (
        FieldSpec("status", "新状态", required=True),
        FieldSpec("on", "日期", kind="date", required=True),
        FieldSpec("reason", "原因", max_length=200, placeholder="解困脱困和退出须填写"),
    ),
)


# -- the household table ------------------------------------------------------------


class _CodeDelegate(QStyledItemDelegate):
    """A drop-down of labels for a code column (the service accepts the label)."""

    def __init__(self, labels: Sequence[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.labels = list(labels)

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.addItem("")
        combo.addItems(self.labels)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        text = str(index.data() or "")
        i = editor.findText(text)
        if i < 0 and text:
            editor.addItem(text)
            i = editor.count() - 1
        editor.setCurrentIndex(max(i, 0))

    def setModelData(
        self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText())


class HouseholdEditor(QWidget):
    """家庭成员: one row per person living with the worker (columns from ``HOUSEHOLD``)."""

    def __init__(self, health_labels: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = [f.name for f in HOUSEHOLD.fields]
        self.health_labels = dict(health_labels)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        hint = QLabel("户主本人不填。双击格子修改，带 * 的列必填。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        labels = [f.label + (" *" if f.required else "") for f in HOUSEHOLD.fields]
        self.table = QTableWidget(0, len(labels))
        self.table.setObjectName("householdTable")
        self.table.setHorizontalHeaderLabels(labels)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        self.table.horizontalHeader().setStretchLastSection(True)
        metrics = self.table.fontMetrics()
        samples = {"relation": "与户主关系 *", "name": "欧阳某某", "id_number": "36083019720721123X",
                   "health": "心血管病", "occupation": "人员身份", "monthly_income": "12,000.00",
                   "school": "某某县第一中学", "grade": "高二"}  # fmt: skip
        for c, name in enumerate(self.names):
            self.table.setColumnWidth(
                c, metrics.horizontalAdvance(samples.get(name, "汉字汉字")) + 24
            )
        self.table.setItemDelegateForColumn(
            self.names.index("health"), _CodeDelegate(list(self.health_labels.values()), self.table)
        )
        layout.addWidget(self.table, 1)
        self.error_label = error_label("householdErrors")
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("添加成员")
        self.add_button.setObjectName("addHousehold")
        self.add_button.clicked.connect(lambda _c=False: self.add_row())
        self.remove_button = QPushButton("删除所选成员")
        self.remove_button.setObjectName("removeHousehold")
        self.remove_button.clicked.connect(lambda _c=False: self.remove_selected())
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _display(self, name: str, value: Any) -> str:
        if value is None:
            return ""
        if name == "health":
            return self.health_labels.get(str(value), str(value))
        if name == "monthly_income" and isinstance(value, int):
            return yuan(value).replace(",", "")
        return str(value)

    def set_rows(self, rows: Sequence[Mapping[str, Any]]) -> None:
        self.table.setRowCount(0)
        for row in rows:
            self.add_row(row, edit=False)
        self.clear_errors()

    def add_row(self, values: Mapping[str, Any] | None = None, *, edit: bool = True) -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, name in enumerate(self.names):
            self.table.setItem(
                r, c, QTableWidgetItem(self._display(name, (values or {}).get(name)))
            )
            if name == "monthly_income":
                cell(self.table, r, c).setTextAlignment(
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
        if edit:
            self.table.setCurrentCell(r, 0)
            self.table.editItem(cell(self.table, r, 0))
        return r

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for r in rows:
            self.table.removeRow(r)

    def set_cell(self, row: int, name: str, text: str) -> None:
        cell(self.table, row, self.names.index(name)).setText(text)

    def raw_rows(self) -> list[dict[str, Any]]:
        """Every non-blank row as typed (blank cells → None)."""
        out = []
        for r in range(self.table.rowCount()):
            values: dict[str, Any] = {}
            for c, name in enumerate(self.names):
                item = self.table.item(r, c)
                text = item.text().strip() if item is not None else ""
                values[name] = text or None
            if any(v is not None for v in values.values()):
                out.append(values)
        return out

    def validate(self, codes: Mapping[str, Mapping[str, str]]) -> bool:
        """Check each row as the service will; mark bad cells red with the reason."""
        self.clear_errors()
        messages = []
        first_bad: QTableWidgetItem | None = None
        n = 0
        for r in range(self.table.rowCount()):
            values = {
                name: (cell(self.table, r, c).text().strip() or None)
                for c, name in enumerate(self.names)
                if self.table.item(r, c) is not None
            }
            if not any(values.values()):
                continue
            n += 1
            try:
                HOUSEHOLD.clean(values, codes=codes)
            except ValidationError as exc:
                for name, reason in exc.errors.items():
                    item = cell(self.table, r, self.names.index(name))
                    item.setBackground(QBrush(QColor("#fde0dc")))
                    item.setToolTip(reason)
                    messages.append(f"第{n}行：{reason}")
                    first_bad = first_bad or item
        if messages:
            self.error_label.setText("家庭成员有误 — " + "；".join(messages))
            self.error_label.show()
        self.first_error = first_bad
        return not messages

    def show_first_error(self) -> None:
        """Scroll to the first red cell and put the cursor in it."""
        item = getattr(self, "first_error", None)
        if item is None:
            return
        self.table.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.table.setCurrentItem(item)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_errors(self) -> None:
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                if item is not None:
                    item.setBackground(QBrush())
                    item.setToolTip("")
        self.error_label.hide()

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)


# -- dialogs ------------------------------------------------------------------------


class ReturnDialog(FormDialog):
    """审核退回: the reason goes to the audit log and back to the clerk."""

    def __init__(self, ctx: AppContext, row: FileRow, parent: QWidget | None = None) -> None:
        super().__init__(
            "退回档案",
            RETURN_SPEC,
            intro=f"把 {row.name} 的档案退回经办人修改。请写明原因。",
            ok_text="退回",
            parent=parent,
        )
        self.ctx, self.row = ctx, row

    def perform(self, values: dict[str, Any]) -> FileRow:
        return hardship_svc.review_file(
            self.ctx.db, self.ctx.user, self.row.id, False, str(values.get("note") or "")
        )


class AnnualReviewDialog(FormDialog):
    def __init__(self, ctx: AppContext, row: FileRow, parent: QWidget | None = None) -> None:
        last = row.last_annual_review.isoformat() if row.last_annual_review else "从未年审"
        super().__init__(
            "年审",
            ANNUAL_SPEC,
            intro=f"{row.name}：上次年审 {last}，建档日期 {row.filed_on.isoformat()}。"
            "核实家庭收入和人口后，记录本次年审日期。",
            ok_text="记录年审",
            parent=parent,
        )
        self.ctx, self.row = ctx, row
        self.form.set_values({"on": date.today()})

    def perform(self, values: dict[str, Any]) -> FileRow:
        clean = ANNUAL_SPEC.clean(values)
        return hardship_svc.annual_review(self.ctx.db, self.ctx.user, self.row.id, clean["on"])


class FileStatusDialog(FormDialog):
    """建档 → 帮扶中 → 解困脱困 / 退出 (the closed file stays on record)."""

    def __init__(self, ctx: AppContext, row: FileRow, parent: QWidget | None = None) -> None:
        targets = sorted(
            hardship_svc.TRANSITIONS.get(row.status, set()),
            key=lambda s: ("帮扶中", "解困脱困", "退出").index(s),
        )
        super().__init__(
            "变更档案状态",
            STATUS_SPEC,
            choices={"status": [(s, s) for s in targets]},
            intro=f"{row.name} 的档案现为“{row.status}”。解困脱困或退出后档案不再在档，"
            "不能再修改或发放，记录仍保留。",
            ok_text="变更状态",
            parent=parent,
        )
        self.ctx, self.row = ctx, row
        self.form.set_values({"on": date.today()})
        self.setMinimumWidth(520)

    def choose(self, status: str, on: date | str, reason: str = "") -> None:
        self.form.set_values({"status": status, "on": on, "reason": reason})

    def perform(self, values: dict[str, Any]) -> FileRow:
        clean = STATUS_SPEC.clean(values)
        return hardship_svc.change_file_status(
            self.ctx.db,
            self.ctx.user,
            self.row.id,
            clean["status"],
            clean["on"],
            clean["reason"] or "",
        )


# -- the tab --------------------------------------------------------------------------


class HardshipTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("hardshipTab")
        self.can_write = ctx.user.can(WRITE) and ctx.user.can(PII)
        self.can_review = ctx.user.can(REVIEW)
        self.current: FileDetail | None = None
        self.rows: list[FileRow] = []
        self._loaded: Any = None
        self._syncing = False
        self.unions: list[UnionRow] = []
        self.labels: dict[str, dict[str, str]] = {}
        self.excel_import = ExcelImport(self, ctx, unit="户困难职工档案", file_kind="档案表", folder_key="hardship_import")  # fmt: skip
        self.excel_import.written.connect(self._files_imported)
        self._load_reference_data()

        layout = tab_layout(self)
        layout.addLayout(self._build_filters())
        layout.addLayout(self._build_toolbar())
        self.guide = EmptyGuide("fileGuide", "新建档案", self.new_file)
        layout.addWidget(self.guide)
        self.splitter = list_and_panel(self._build_list(), self._build_panel(), (860, 420))
        layout.addWidget(self.splitter, 1)

        self._timer = debounce(self, SEARCH_DELAY_MS, self.search_now)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        tab_shortcut(self, "Ctrl+N", self.new_file)

        self.new_file(ask=False)
        self.search_now()

    # -- building ---------------------------------------------------------------------
    def _load_reference_data(self) -> None:
        try:
            self.unions = unions_svc.list_unions(self.ctx.db, self.ctx.user, with_counts=False)
            self.labels = codes_svc.label_maps(
                self.ctx.db, ["hardship_category", "hardship_reason", "health"]
            )
            self.dibao = hardship_svc.dibao_line(self.ctx.db)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取工会和字典")
            self.dibao = hardship_svc.DEFAULT_DIBAO_FEN
        for category in ("hardship_category", "hardship_reason", "health"):
            self.labels.setdefault(category, {})
        self.union_order = union_tree_order(self.unions)

    def _combo(self, name: str, first: str, items: Mapping[str, str] | Sequence[str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(first, None)
        pairs = items.items() if isinstance(items, Mapping) else [(i, i) for i in items]
        for code, label in pairs:
            combo.addItem(label, code)
        combo.currentIndexChanged.connect(lambda _i: self.search_now())
        return combo

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("hardshipSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText("查找：姓名、拼音首字母或身份证号")
        self.search_edit.setToolTip("按 Ctrl+F 到这里")
        self.search_edit.setMinimumWidth(200)
        row.addWidget(self.search_edit, 2)
        row.addWidget(QLabel("状态"))
        self.status_filter = self._combo("statusFilter", ON_RECORD, HARDSHIP_STATUSES)
        row.addWidget(self.status_filter)
        row.addWidget(QLabel("类别"))
        self.category_filter = self._combo(
            "categoryFilter", "全部类别", self.labels["hardship_category"]
        )
        row.addWidget(self.category_filter)
        row.addWidget(QLabel("致困原因"))
        self.reason_filter = self._combo("reasonFilter", "全部原因", self.labels["hardship_reason"])
        row.addWidget(self.reason_filter)
        row.addWidget(QLabel("工会"))
        self.union_filter = UnionPicker(all_text="全部乡镇和工会")
        self.union_filter.setObjectName("unionFilter")
        self.union_filter.setToolTip("所选乡镇（工会）及其下级工会的档案")
        self.union_filter.set_unions(self.unions)
        self.union_filter.currentIndexChanged.connect(lambda _i: self.search_now())
        row.addWidget(self.union_filter, 2)
        return row

    def _button(self, text: str, slot: Any, name: str, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("fileCount")
        bold = QFont(self.count_label.font())
        bold.setBold(True)
        self.count_label.setFont(bold)
        row.addWidget(self.count_label)
        self.due_label = QLabel()
        self.due_label.setObjectName("dueCount")
        self.due_label.setStyleSheet(f"color: {ERROR_COLOR};")
        row.addWidget(self.due_label)
        row.addStretch(1)
        legend = QLabel("年审一栏为红色：已超过一年未年审")
        legend.setStyleSheet("color: #555;")
        row.addWidget(legend)
        row.addSpacing(12)
        self.import_button = self._button(
            "导入档案…",
            self.import_files,
            "importButton",
            "从 Excel 导入已有的困难职工档案（已在档的人跳过，不覆盖）",
        )
        self.import_button.setEnabled(self.can_write)
        row.addWidget(self.import_button)
        self.export_button = self._button(
            "导出档案…", self.export_files, "exportButton", "在档的困难职工档案导出为 Excel"
        )
        self.template_button = self._button(
            "下载导入模板…", self.save_template, "templateButton", "空白的困难职工档案导入表"
        )
        self.undo_import_button = self._button(
            "撤销导入…",
            self.open_import_batches,
            "undoImportButton",
            "查看最近的导入，撤销最近一次导入（困难职工档案、发放明细、会员花名册）",
        )
        self.undo_import_button.setEnabled(self.can_write)
        row.addWidget(self.undo_import_button)
        row.addWidget(self.export_button)
        row.addWidget(self.template_button)
        return row

    def open_import_batches(self) -> Any:
        from ..common.import_batches import ImportBatchesDialog

        dialog = ImportBatchesDialog(self.ctx, self)
        dialog.undone.connect(lambda _r: (self.ctx.changed.emit("hardship"), self.refresh()))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.batches_dialog = dialog
        dialog.open()
        return dialog

    def export_files(self, path: Path | None = None) -> Job | None:
        from unionsdesk.services.aid.aid_io import hardship_table
        from unionsdesk.services.common.office import get_office

        db, user = self.ctx.db, self.ctx.user
        office = get_office(db).name
        return export_table(
            self, self.ctx, f"困难职工档案-{date.today():%Y%m%d}",
            lambda: hardship_table(db, user, office=office),
            sheet="困难职工档案", folder_key="hardship_export", path=path,
        )  # fmt: skip

    def save_template(self, path: Path | None = None) -> Path | None:
        from unionsdesk.services.aid.aid_io import write_hardship_template

        if path is None:
            path = ask_save_xlsx(self, "保存导入模板", "困难职工档案导入表.xlsx", "hardship_import")
        if path is None:
            return None
        try:
            write_hardship_template(self.ctx.db, path)
        except UnionsDeskError as exc:
            show_error(self, exc, "模板未保存")
            return None
        self.ctx.notify(f"导入模板已保存到 {path}")
        return path

    def _build_list(self) -> QWidget:
        self.table = make_table(COLUMNS, stretch_last=False)
        self.table.setObjectName("hardshipTable")
        # union names differ at their end (“…228工会委员会”): elide in the middle
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.horizontalHeader().setSectionResizeMode(
            UNION_COLUMN, QHeaderView.ResizeMode.Stretch
        )
        self.table.setMinimumWidth(460)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        return self.table

    def _build_panel(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("hardshipPanel")
        panel.setMinimumWidth(400)
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(6, 0, 0, 0)
        outer.setSpacing(6)
        self.form_title = QLabel()
        self.form_title.setObjectName("formTitle")
        title_font = QFont(self.form_title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.form_title.setFont(title_font)
        self.form_title.setWordWrap(True)
        outer.addWidget(self.form_title)
        self.state_label = QLabel()
        self.state_label.setObjectName("fileState")
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet("color: #444;")
        outer.addWidget(self.state_label)

        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("fileWarnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setStyleSheet(WARN_STYLE)
        self.warnings_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.warnings_label.hide()
        outer.addWidget(self.warnings_label)

        self.pages = QTabWidget()
        self.pages.setObjectName("filePages")
        form_page = QWidget()
        form_box = QVBoxLayout(form_page)
        form_box.setContentsMargins(0, 4, 0, 0)
        self.income_label = QLabel()
        self.income_label.setObjectName("perCapita")
        self.income_label.setWordWrap(True)
        form_box.addWidget(self.income_label)
        union_choices: list[tuple[Any, str]] = [
            (u.id, u.name) for u, _ in self.union_order if u.status == "正常"
        ]
        self.form = FormWidget(FORM_SPEC, choices={"union": union_choices}, db=self.ctx.db)
        self.form.setObjectName("hardshipForm")
        union_combo = self.form.field_widget("union")
        assert isinstance(union_combo, QComboBox)
        union_combo.setItemText(0, "（请选择所在工会）")
        decorate(union_combo, [(u, d) for u, d in self.union_order if u.status == "正常"], first=1)
        make_searchable(union_combo)
        union_combo.setMinimumContentsLength(12)
        union_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self._build_reason_picker()
        self.form.edited.connect(self._form_edited)
        self.form.submitted.connect(self.save)
        scroll = QScrollArea()
        scroll.setObjectName("formScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.form)
        form_box.addWidget(scroll, 1)
        self.pages.addTab(form_page, "档案信息")
        self.household = HouseholdEditor(self.labels["health"])
        self.household.setObjectName("household")
        self.pages.addTab(self.household, "家庭成员")
        outer.addWidget(self.pages, 1)

        self.readonly_label = QLabel(
            "当前用户不能修改档案：只能查看。" + ("可以审核。" if self.can_review else "")
        )
        self.readonly_label.setObjectName("readonlyNote")
        self.readonly_label.setStyleSheet("color: #555;")
        self.readonly_label.setVisible(not self.can_write)
        outer.addWidget(self.readonly_label)

        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        self.new_button = self._button(
            "新建档案", self.new_file, "newButton", "新建困难职工档案（Ctrl+N）"
        )
        self.save_button = self._button("保存", self.save, "saveButton", "保存（Ctrl+S）")
        self.save_button.setDefault(True)
        self.annual_button = self._button(
            "年审…", self.annual_review, "annualButton", "记录本年度的年审"
        )
        self.status_button = self._button(
            "变更状态…", self.change_status, "statusButton", "帮扶中、解困脱困或退出"
        )
        self.approve_button = self._button(
            "审核通过", self.approve, "approveButton", "审核人确认档案属实"
        )
        self.return_button = self._button(
            "退回…", self.return_file, "returnButton", "退回经办人修改"
        )
        grid.addWidget(self.new_button, 0, 0)
        grid.addWidget(self.save_button, 0, 1)
        grid.addWidget(self.annual_button, 0, 2)
        grid.addWidget(self.status_button, 0, 3)
        grid.addWidget(self.approve_button, 1, 0)
        grid.addWidget(self.return_button, 1, 1)
        for b in (self.approve_button, self.return_button):
            b.setVisible(self.can_review)
        outer.addLayout(grid)
        if not self.can_write:
            self.form.set_read_only(True)
            self.household.set_read_only(True)
            self.reason_button.setEnabled(False)
        return panel

    def _build_reason_picker(self) -> None:
        """次要致困原因: up to three ticked in a menu (the form keeps the codes)."""
        edit = self.form.field_widget("other_reasons")
        assert isinstance(edit, QLineEdit)
        self.reason_button = QPushButton()
        self.reason_button.setObjectName("otherReasons")
        self.reason_button.setAutoDefault(False)
        self.reason_button.setStyleSheet("QPushButton { text-align: left; padding: 3px 6px; }")
        menu = QMenu(self.reason_button)
        self.reason_actions: dict[str, QAction] = {}
        for code, label in self.labels["hardship_reason"].items():
            action = menu.addAction(label)
            action.setCheckable(True)
            action.toggled.connect(lambda _on, c=code: self._reason_toggled(c))
            self.reason_actions[code] = action
        self.reason_button.setMenu(menu)
        holder = edit.parentWidget()
        assert holder is not None
        box = holder.layout()
        assert isinstance(box, QVBoxLayout)
        box.insertWidget(0, self.reason_button)
        edit.hide()
        edit.textChanged.connect(lambda _t: self._sync_reason_button())
        self._sync_reason_button()

    def _reason_codes(self) -> list[str]:
        edit = self.form.field_widget("other_reasons")
        assert isinstance(edit, QLineEdit)
        return [p for p in edit.text().replace("，", ",").split(",") if p.strip()]

    def _reason_toggled(self, code: str) -> None:
        if self._syncing:
            return
        chosen = [c for c, a in self.reason_actions.items() if a.isChecked()]
        edit = self.form.field_widget("other_reasons")
        assert isinstance(edit, QLineEdit)
        edit.setText(",".join(chosen))
        edit.editingFinished.emit()  # validate as if typed

    def _sync_reason_button(self) -> None:
        codes = self._reason_codes()
        names = self.labels["hardship_reason"]
        self._syncing, was = True, self._syncing
        try:
            for code, action in self.reason_actions.items():
                action.setChecked(code in codes)
                action.setEnabled(code in codes or len(codes) < 3)
        finally:
            self._syncing = was
        text = "、".join(names.get(c, c) for c in codes)
        self.reason_button.setText(text or "（点击选择，最多3项）")
        self.reason_button.setToolTip(text or "次要致困原因，最多选3项")

    # -- searching --------------------------------------------------------------------
    def current_filter(self) -> FileFilter:
        return FileFilter(
            status=self.status_filter.currentData(),
            category=self.category_filter.currentData(),
            union_id=self.union_filter.union_id(),
            reason=self.reason_filter.currentData(),
            text=self.search_edit.text().strip(),
        )

    def search_now(self) -> None:
        self._timer.stop()
        flt = self.current_filter()
        try:
            rows = hardship_svc.list_files(self.ctx.db, self.ctx.user, flt)
        except UnionsDeskError as exc:
            show_error(self, exc, "查找未完成")
            return
        self.rows = rows
        self._fill(rows)
        filtered = flt != FileFilter()
        if not rows:
            text = "没有找到符合条件的档案" if filtered else "还没有在档的困难职工档案"
        else:
            text = f"{'找到' if filtered else '在档'} {len(rows):,} 户"
        self.count_label.setText(text)
        self.guide.show_step(
            "还没有困难职工档案。按“新建档案”逐户建档（填写后由审核人审核），"
            "或按“导入档案…”导入已有的档案（Excel）。"
            if not rows and not filtered and self.can_write
            else None
        )
        due = sum(1 for r in rows if r.review_due())
        self.due_label.setText(f"其中 {due} 户年审逾期" if due else "")

    def _fill(self, rows: Sequence[FileRow]) -> None:
        categories = self.labels["hardship_category"]
        reasons = self.labels["hardship_reason"]
        table = self.table
        self._syncing = True
        table.setUpdatesEnabled(False)
        try:
            table.clearContents()
            table.setRowCount(len(rows))
            bold = QFont(table.font())
            bold.setBold(True)
            for r, row in enumerate(rows):
                due = row.review_due()
                review = row.last_annual_review.isoformat() if row.last_annual_review else "未年审"
                values = (
                    row.name,
                    row.id_number,
                    row.union_name,
                    categories.get(row.category, row.category),
                    reasons.get(row.main_reason, row.main_reason),
                    yuan(row.per_capita_month),
                    row.status,
                    row.review_status,
                    review,
                )
                closed = row.status not in ("建档", "帮扶中")
                for c, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    if c == 0:
                        item.setData(Qt.ItemDataRole.UserRole, row.id)
                    if c == UNION_COLUMN:
                        item.setToolTip(value)
                    if c == INCOME_COLUMN:
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if closed:
                        item.setForeground(QBrush(CLOSED))
                    if c == REVIEW_COLUMN and due:
                        item.setForeground(QBrush(OVERDUE))
                        item.setFont(bold)
                        item.setToolTip("已超过一年未年审，请及时年审")
                    if c == 7 and row.review_status == "退回":
                        item.setForeground(QBrush(OVERDUE))
                    table.setItem(r, c, item)
            for c in range(table.columnCount()):
                if c != UNION_COLUMN:  # 所在工会 takes the room left over
                    table.resizeColumnToContents(c)
                    table.setColumnWidth(c, min(table.columnWidth(c) + 10, 200))
            if self.current is not None:
                self._select_in_list(self.current.row.id)
        finally:
            table.setUpdatesEnabled(True)
            self._syncing = False

    def _select_in_list(self, file_id: int) -> bool:
        for r in range(self.table.rowCount()):
            if row_data(self.table, r) == file_id:
                self.table.selectRow(r)
                self.table.scrollToItem(cell(self.table, r, 0))
                return True
        self.table.clearSelection()
        return False

    def focus_search(self) -> bool:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()
        return True

    def refresh(self) -> None:
        self._load_reference_data()
        self.union_filter.set_unions(self.unions)
        self.search_now()
        if self.current is not None and not self.is_dirty():
            self.load_file(self.current.row.id)

    # -- 导入 ------------------------------------------------------------------------
    def import_dialog(self, path: Path) -> ImportDialog:
        return ImportDialog(
            path, self.unions, self.union_filter.union_id(), self,
            title="导入困难职工档案", column="所在工会", note=IMPORT_NOTE, spec=HARDSHIP,
        )  # fmt: skip

    def import_files(self) -> None:
        path = ask_open_excel(self, "选择要导入的困难职工档案表", "hardship_import")
        if path is None:
            return
        dialog = self.import_dialog(path)
        if dialog.exec():
            self.start_import(path, dialog.union_id(), columns=dialog.columns())

    def start_import(
        self,
        path: Path,
        union_id: int | None,
        *,
        skip_invalid: bool = False,
        columns: dict[str, int | None] | None = None,
    ) -> Job:
        """Import the files of ``path`` off the GUI thread; ``union_id`` None: each row's
        所在工会 says which union."""
        from unionsdesk.services.aid.hardship_import import import_hardship_files

        db, user = self.ctx.db, self.ctx.user

        def run(path: Path, skip_invalid: bool, _control: JobControl) -> Any:
            return import_hardship_files(
                db, user, path, union_id=union_id, skip_invalid=skip_invalid, columns=columns
            )

        return self.excel_import.start(path, run, skip_invalid=skip_invalid)

    def _files_imported(self, _result: Any) -> None:
        self.ctx.changed.emit("hardship")
        self.search_now()

    # -- the open file ----------------------------------------------------------------
    def _selection_changed(self) -> None:
        if self._syncing:
            return
        file_id = row_data(self.table)
        if not isinstance(file_id, int) or (self.current and self.current.row.id == file_id):
            return
        if self.is_dirty() and not confirm(
            self, "当前档案的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
        ):
            self._syncing = True
            try:
                if self.current is not None:
                    self._select_in_list(self.current.row.id)
                else:
                    self.table.clearSelection()
            finally:
                self._syncing = False
            return
        self.load_file(file_id)

    def select_file(self, file_id: int) -> bool:
        if not self._select_in_list(file_id):
            return False
        if self.current is None or self.current.row.id != file_id:
            self.load_file(file_id)
        return True

    def load_file(self, file_id: int) -> None:
        try:
            detail = hardship_svc.get_file(self.ctx.db, self.ctx.user, file_id)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取档案")
            return
        self._show_detail(detail)

    def _show_detail(self, detail: FileDetail) -> None:
        self.current = detail
        values = dict(detail.values)
        values["union"] = detail.row.union_id
        self.form.set_values(values)
        self.household.set_rows(detail.household)
        row = detail.row
        self.form_title.setText(f"困难职工档案：{row.name}（{row.status}）")
        last = row.last_annual_review.isoformat() if row.last_annual_review else "未年审"
        self.state_label.setText(
            f"档案号 {row.id}　建档 {row.filed_on.isoformat()}　审核：{row.review_status}　"
            f"上次年审：{last}"
        )
        self.show_warnings(detail.warnings)
        self._update_income()
        self._update_household_tab()
        self._update_buttons()
        self._loaded = self._snapshot()

    def _snapshot(self) -> Any:
        return (self.form.values(), self.household.raw_rows())

    def is_dirty(self) -> bool:
        return self.can_write and self._snapshot() != self._loaded

    def new_file(self, ask: bool = True) -> None:
        if (
            ask
            and self.is_dirty()
            and not confirm(
                self, "当前档案的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
            )
        ):
            return
        self.current = None
        self.form.clear()
        defaults: dict[str, Any] = {"filed_on": date.today(), "household_size": 1}
        chosen = self.union_filter.union_id()
        if chosen is not None and any(u.id == chosen and u.status == "正常" for u in self.unions):
            defaults["union"] = chosen
        self.form.set_values(defaults)
        self.household.set_rows([])
        self.form_title.setText("新建困难职工档案")
        self.state_label.setText("填写后按“保存”建档；建档后由审核人审核。")
        self.warnings_label.hide()
        self._syncing = True
        self.table.clearSelection()
        self._syncing = False
        self.pages.setCurrentIndex(0)
        self._update_income()
        self._update_household_tab()
        self._update_buttons()
        self._loaded = self._snapshot()
        if ask and self.can_write:
            self.form.field_widget("name").setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_buttons(self) -> None:
        row = self.current.row if self.current is not None else None
        active = row is not None and row.status in ("建档", "帮扶中")
        w = self.can_write
        editable = w and (row is None or active)
        self.new_button.setEnabled(w)
        self.save_button.setEnabled(editable)
        self.annual_button.setEnabled(w and active)
        self.status_button.setEnabled(w and active)
        self.approve_button.setEnabled(
            self.can_review and active and row is not None and row.review_status != "已审核"
        )
        self.return_button.setEnabled(self.can_review and active)
        if w:
            self.form.set_read_only(not editable)
            self.household.set_read_only(not editable)
            self.reason_button.setEnabled(editable)

    def _update_household_tab(self) -> None:
        n = len(self.household.raw_rows())
        self.pages.setTabText(1, f"家庭成员（{n}）" if n else "家庭成员")

    def _form_edited(self, name: str) -> None:
        if name in ("household_income", "rigid_expense", "household_size"):
            self._update_income()

    def _update_income(self) -> None:
        """家庭月人均收入, computed as the service does, against the 低保 line."""
        values = self.form.values()
        try:
            income = to_fen(str(values.get("household_income") or "0"))
            rigid = to_fen(str(values.get("rigid_expense") or "0"))
            size = int(str(values.get("household_size") or "1"))
        except ValueError:
            self.income_label.setText("")
            return
        month = hardship_svc.per_capita_month(income, rigid, size)
        line = self.dibao
        text = f"家庭月人均收入 ¥{yuan(month)}（低保线 ¥{yuan(line)}，2倍 ¥{yuan(2 * line)}）"
        high = month >= 2 * line
        self.income_label.setText(text + ("　高于低保线2倍" if high else ""))
        self.income_label.setStyleSheet(f"color: {ERROR_COLOR};" if high else "color: #2e5d8a;")

    def show_warnings(self, warnings: Sequence[str]) -> None:
        self.warnings_label.setText("\n".join(f"注意：{w}" for w in warnings))
        self.warnings_label.setVisible(bool(warnings))

    # -- saving -----------------------------------------------------------------------
    def save(self) -> None:
        if not self.can_write:
            self.ctx.notify("当前用户没有修改档案的权限")
            return
        if self.current is not None and self.current.row.status not in ("建档", "帮扶中"):
            self.ctx.notify("已解困脱困或退出的档案不能再修改")
            return
        form_ok = self.form.validate()
        try:
            codes = codes_svc.code_lookup(self.ctx.db, ["health"])
        except UnionsDeskError as exc:
            show_error(self, exc)
            return
        household_ok = self.household.validate(codes)
        if not form_ok or not household_ok:
            if form_ok:
                self.pages.setCurrentWidget(self.household)
                self.household.show_first_error()
            else:
                self.pages.setCurrentIndex(0)
            self.ctx.notify("未保存：请按红字提示修改")
            return
        values = self.form.values()
        union_id = values.get("union")
        union_id = int(union_id) if union_id not in (None, "") else None
        names = {u.id: u.name for u in self.unions}
        values["union"] = names.get(union_id) if union_id is not None else None
        new = self.current is None
        try:
            detail = hardship_svc.save_file(
                self.ctx.db,
                self.ctx.user,
                values,
                union_id=union_id,
                file_id=None if self.current is None else self.current.row.id,
                expected_version=None if self.current is None else self.current.row.version,
                household=self.household.raw_rows(),
            )
        except ValidationError as exc:
            self.pages.setCurrentIndex(0)
            rest = self.form.errors_from(exc)
            if rest:
                show_error(self, "；".join(rest.values()), "未保存")
            self.ctx.notify("未保存：请按红字提示修改")
            return
        except ConflictError as exc:
            show_error(
                self,
                f"{exc}\n\n你填写的内容还在表单中，没有保存。请记下要改的内容，"
                "重新选中该档案查看最新信息后再修改。",
                "未保存：档案已被他人修改",
            )
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        # reload: the list row and the masked/unmasked values as the service shows them
        self.current = detail
        self.search_now()
        self.load_file(detail.row.id)
        self.show_warnings(detail.warnings)
        self.ctx.notify(f"已建档：{detail.row.name}" if new else f"已保存 {detail.row.name} 的档案")
        self.ctx.changed.emit("hardship")

    # -- review, 年审, status --------------------------------------------------------------
    def _need_file(self) -> FileRow | None:
        if self.current is None:
            self.ctx.notify("请先在列表中选中一份档案")
            return None
        return self.current.row

    def _after(self, row: FileRow, message: str) -> None:
        self.ctx.notify(message)
        self.ctx.changed.emit("hardship")
        self.search_now()
        self.load_file(row.id)

    def approve(self) -> None:
        row = self._need_file()
        if row is None:
            return
        try:
            done = hardship_svc.review_file(self.ctx.db, self.ctx.user, row.id, True)
        except UnionsDeskError as exc:
            show_error(self, exc, "未审核")
            return
        self._after(done, f"{done.name} 的档案已审核通过")

    def return_dialog(self) -> ReturnDialog | None:
        row = self._need_file()
        return None if row is None else ReturnDialog(self.ctx, row, self)

    def return_file(self) -> None:
        dialog = self.return_dialog()
        if dialog is None or not dialog.exec():
            return
        done: FileRow = dialog.result_value
        self._after(done, f"{done.name} 的档案已退回")

    def annual_dialog(self) -> AnnualReviewDialog | None:
        row = self._need_file()
        return None if row is None else AnnualReviewDialog(self.ctx, row, self)

    def annual_review(self) -> None:
        dialog = self.annual_dialog()
        if dialog is None or not dialog.exec():
            return
        done: FileRow = dialog.result_value
        self._after(done, f"已记录 {done.name} 的年审")

    def status_dialog(self) -> FileStatusDialog | None:
        row = self._need_file()
        return None if row is None else FileStatusDialog(self.ctx, row, self)

    def change_status(self) -> None:
        if self.is_dirty() and not confirm(
            self, "当前档案的修改还没有保存。不保存就变更状态吗？", "未保存的修改", danger=True
        ):
            return
        dialog = self.status_dialog()
        if dialog is None or not dialog.exec():
            return
        done: FileRow = dialog.result_value
        if done.status not in ("建档", "帮扶中") and self.status_filter.currentData() is None:
            # keep showing the file: switch the list to its new status
            self.status_filter.setCurrentIndex(self.status_filter.findData(done.status))
        self._after(done, f"{done.name} 的档案已改为“{done.status}”")
