"""The generic register tab: a `Register` (unionsdesk.registers) gets its tab by declaration.

`RegisterPane(ctx, register)` is a searchable lazy list with a filter bar built
from the register's filter specs, the form (FormWidget) beside it with
新建 / 保存 / 作废, and 导入 / 导出 / 打印 above the list. Keyboard: Enter moves to
the next field (on the last one it saves), Ctrl+S saves, Ctrl+N starts a new
record, Ctrl+F searches. A save refused because someone else saved first shows
the conflict message and keeps what the clerk typed.

`RegisterTabs(ctx, panes)` puts several panes of a work area under one main
window tab. Per-register UI is a subclass overriding the hooks marked "hook".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import ConflictError, UnionsDeskError, ValidationError
from unionsdesk.registers import PARENT, Record, RecordRow, Register
from unionsdesk.services.common.base import WRITE
from unionsdesk.table import Column

from ..context import AppContext
from ..messages import confirm, show_error, show_info
from ..workers import Job, JobControl, run_job
from ..workers import start as start_job
from .excel_import import ExcelImport, ImportPreviewDialog
from .file_dialogs import ask_open_excel, ask_save_xlsx, safe_file_name
from .form import Choices, FormWidget
from .lazy_table import LazyColumn, LazyTableModel, configure_view
from .panes import debounce, list_and_panel, tab_layout, tab_shortcut
from .table import yuan

ALL = "（全部）"
PAGE_SIZE = 100  # rows read at a time (a screenful is ~30)
REST_DELAY_MS = 60  # the rest of a long list is read once the first page is on screen


def show_cell(value: Any, kind: str) -> object:
    """A list cell as the clerk reads it."""
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return yuan(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class RegisterModel(LazyTableModel[RecordRow]):
    """The lazy list; ``row_brush`` (a pane hook) colours whole rows."""

    def __init__(self, pane: RegisterPane, columns: Sequence[LazyColumn[RecordRow]]) -> None:
        ctx, reg = pane.ctx, pane.register
        super().__init__(
            columns,
            lambda ids: reg.fetch_rows(ctx.db, ctx.user, [int(i) for i in ids], pane.column_keys),  # type: ignore[call-overload]
            lambda r: r.id,
            page_size=PAGE_SIZE,
            greyed=lambda r: r.voided,
            parent=pane,
        )
        # a pane that colours no rows costs its list nothing
        self._brush = pane.row_brush
        self._colours = type(pane).row_brush is not RegisterPane.row_brush

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and self._colours and index.isValid():
            obj = self.row_object(index.row())
            return self._brush(obj) if obj is not None else None
        return super().data(index, role)


class RegisterPane(QWidget):
    """One register's list, filters and form (see the module's docstring)."""

    def __init__(self, ctx: AppContext, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.register = register
        self.setObjectName(f"register_{register.name}")
        self.can_write = ctx.user.can(WRITE) and register.editable
        self.current: Record | None = None
        self._loaded: dict[str, Any] = {}
        self._syncing = False
        self.job: Job | None = None
        self.preview: QWidget | None = None
        self.person_dialog: QWidget | None = None  # the last 人员档案 opened
        self.rest_job: Job | None = None  # reading the rest of a long list
        self._serial = 0
        self._complete = True
        self.columns = self.list_columns()
        self.column_keys = [c.key for c in self.columns]
        self.lazy_columns = [self._lazy(c) for c in self.columns]

        layout = tab_layout(self)
        layout.addLayout(self._build_bar())
        self.filter_bar = self._build_filters()
        layout.addLayout(self.filter_bar)
        self.splitter = list_and_panel(self._build_list(), self._build_panel(), (760, 480))
        layout.addWidget(self.splitter, 1)
        self.importer = ExcelImport(
            self,
            ctx,
            unit=f"{register.unit}{register.label}",
            file_kind=f"{register.label}表",
            folder_key=register.name,
        )
        self.importer.written.connect(lambda _r: self._changed())
        self._search_timer = debounce(self, 150, self.reload)
        tab_shortcut(self, "Ctrl+N", self.new_record)  # Ctrl+S: the main window calls save()
        self.reload()
        self.new_record(ask=False)
        if not register.editable and self.model.rowCount():
            self.table.selectRow(0)  # a view has nothing to enter: show its first row

    # -- building -----------------------------------------------------------------------
    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("registerSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.search_hint())
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.focus_list)
        bar.addWidget(self.search, 3)
        self.count_label = QLabel()
        self.count_label.setObjectName("registerCount")
        bar.addWidget(self.count_label, 2)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot, tip in (
            ("import", "导入…", self.import_file, f"从 Excel 导入{self.register.label}"),
            ("export", "导出…", self.export, "按当前筛选导出为 Excel"),
            ("print", "打印…", self.print_list, "按当前筛选打印登记表"),
            *self.extra_buttons(),
        ):
            button = QPushButton(text)
            button.setObjectName(f"{key}Button")
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, f=slot: f())
            bar.addWidget(button)
            self.buttons[key] = button
        self.buttons["import"].setEnabled(self.can_write)
        self.buttons["import"].setVisible(self.register.importable)
        menu = QMenu(self.buttons["import"])
        menu.addAction("导入…", self.import_file)
        menu.addAction(f"撤销最近一次{self.register.label}导入…", self.undo_import)
        self.buttons["import"].setMenu(menu)
        return bar

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.filter_combos: dict[str, QComboBox] = {}
        # The parent picker decides what the list shows; the other drop-downs are filled
        # once the list is on screen (the years of 100 000 honours take a moment).
        options = self._options([PARENT])
        for spec in self.register.filter_specs():
            combo = QComboBox()
            combo.setObjectName(f"filter_{spec.key}")
            if spec.kind != "voided":
                combo.addItem(ALL if spec.kind != "parent" else f"（选择{spec.label}）", None)
            else:
                combo.addItem("有效", None)
            for value, text in options.get(spec.key, []):
                combo.addItem(text, value)
            longest = max(len(combo.itemText(i)) for i in range(combo.count()))
            combo.setMinimumContentsLength(
                14 if spec.kind in ("union", "parent") else min(longest + 2, 14)
            )
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.currentIndexChanged.connect(lambda _i, k=spec.key: self._filter_changed(k))
            row.addWidget(QLabel(f"{spec.label}："))
            row.addWidget(combo)
            self.filter_combos[spec.key] = combo
        parent = self.filter_combos.get(PARENT)
        if parent is not None and parent.count() > 1:  # the newest trip, contest …
            was = parent.blockSignals(True)
            parent.setCurrentIndex(1)
            parent.blockSignals(was)
        row.addStretch(1)
        self._filters_filled = False
        QTimer.singleShot(REST_DELAY_MS, self, self._fill_filters)
        return row

    def _options(self, keys: list[str] | None) -> dict[str, list[tuple[Any, str]]]:
        try:
            return self.register.filter_options(self.ctx.db, self.ctx.user, keys)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取筛选条件")
            return {}

    def _fill_filters(self) -> None:
        keys = [k for k in self.filter_combos if k != PARENT]
        options = self._options(keys)
        for key in keys:
            combo = self.filter_combos[key]
            was = combo.blockSignals(True)
            for value, text in options.get(key, []):
                combo.addItem(text, value)
            combo.blockSignals(was)
            longest = max(len(combo.itemText(i)) for i in range(combo.count()))
            if combo.minimumContentsLength() < 14:
                combo.setMinimumContentsLength(min(longest + 2, 14))
        self._filters_filled = True

    def _build_list(self) -> QWidget:
        self.model = RegisterModel(self, self.lazy_columns)
        self.model.fetch_failed.connect(lambda m: self.ctx.notify(f"读取列表失败：{m}"))
        self.table = QTableView()
        self.table.setObjectName("registerTable")
        configure_view(self.table, self.model)
        # Case numbers, unit and union names differ at their end (…第145号, …228工会委员会):
        # cut in the middle so the distinguishing part stays visible.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        return self.table

    def _build_panel(self) -> QWidget:
        panel = QFrame()
        panel.setMinimumWidth(400)
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(6, 0, 0, 0)
        outer.setSpacing(6)
        self.form_title = QLabel()
        self.form_title.setObjectName("formTitle")
        font = QFont(self.form_title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.form_title.setFont(font)
        self.form_title.setWordWrap(True)
        outer.addWidget(self.form_title)
        self.state_label = QLabel()
        self.state_label.setObjectName("recordState")
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet("color: #b3261e;")
        self.state_label.hide()
        outer.addWidget(self.state_label)
        self.form = FormWidget(
            self.register.spec,
            fields=self.form_fields(),
            choices=self.form_choices(),
            db=self.ctx.db,
        )
        self.form.setObjectName("registerForm")
        self.form.submitted.connect(self.save)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()  # the form keeps its natural height; the space is left below it
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.form)
        box.addStretch(1)
        scroll.setWidget(holder)
        outer.addWidget(scroll, 1)
        if not self.register.editable:
            note = QLabel(self.read_only_note())
            note.setObjectName("readOnlyNote")
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            outer.addWidget(note)
            self.form.set_read_only(True)
        elif not self.can_write:
            note = QLabel("当前用户为只读角色：只能查看，不能修改。")
            note.setStyleSheet("color: #555;")
            outer.addWidget(note)
            self.form.set_read_only(True)
        row = QHBoxLayout()
        self.new_button = self._button("新建", self.new_record, "newButton", "新建（Ctrl+N）")
        self.save_button = self._button("保存", self.save, "saveButton", "保存（Ctrl+S）")
        self.void_button = self._button("作废…", self.void, "voidButton", "作废这条记录")
        for b in (self.new_button, self.save_button, self.void_button):
            b.setEnabled(self.can_write)
            b.setVisible(self.register.editable)
            row.addWidget(b)
        row.addStretch(1)
        outer.addLayout(row)
        return panel

    def _button(self, text: str, slot: Callable[[], object], name: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(lambda _c=False: slot())
        return button

    # -- hooks --------------------------------------------------------------------------
    def list_columns(self) -> list[Column]:
        """hook: the list's columns (default: the register's list fields and extra columns)."""
        return self.register.columns(self.register.list_names())

    def cell(self, row: RecordRow, column: Column) -> object:
        """hook: what a list cell shows."""
        return show_cell(row.values.get(column.key), column.kind)

    def _lazy(self, c: Column) -> LazyColumn[RecordRow]:
        sample = "110101199001011234" if c.kind == "idno" else ""
        return LazyColumn(
            c.label,
            lambda r, col=c: self.cell(r, col),
            width=c.width,
            align_right=c.kind in ("money", "int"),
            sample=sample,
        )

    def row_brush(self, row: RecordRow) -> QBrush | None:
        """hook: a background for the row (e.g. colour by days left), or None."""
        return None

    def form_fields(self) -> list[str] | None:
        """hook: the form's fields (default: every spec field)."""
        return None

    def form_choices(self) -> dict[str, Choices]:
        """hook: drop-down choices of fields the spec does not give (union names …)."""
        return {}

    def extra_buttons(self) -> list[tuple[str, str, Callable[[], object], str]]:
        """hook: (key, text, slot, tooltip) of more buttons in the top bar."""
        return []

    def record_shown(self, record: Record | None) -> None:
        """hook: called after a record (None: a new one) is put into the form."""

    def context_actions(self, row: RecordRow) -> list[tuple[str, Callable[[], object]]]:
        """hook: (text, slot) of the right-click menu of a list row."""
        out: list[tuple[str, Callable[[], object]]] = []
        if self.register.person is not None:
            out.append(("查看人员档案", lambda: self.open_person_file(row.id)))
        return out

    def read_only_note(self) -> str:
        """hook: the note under a read-only view's form."""
        return f"“{self.register.label}”是查询视图：修改请到相应登记簿。"

    def search_hint(self) -> str:
        if self.register.person is not None:
            return "查找：姓名、拼音首字母（如 zs）、身份证号或编号  Ctrl+F"
        return "查找：名称或编号  Ctrl+F"

    # -- main window hooks --------------------------------------------------------------
    def focus_search(self) -> bool:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def refresh(self) -> None:
        self.reload()
        if self.current is not None and not self.is_dirty():
            self.show_record(self.current.id)

    # -- the list -----------------------------------------------------------------------
    def filters(self) -> dict[str, Any]:
        return {k: c.currentData() for k, c in self.filter_combos.items()}

    def parent_id(self) -> int | None:
        combo = self.filter_combos.get(PARENT)
        value = combo.currentData() if combo is not None else None
        return int(value) if value is not None else None

    def _filter_changed(self, key: str) -> None:
        self.reload()
        if key == PARENT and self.current is None:
            self.new_record(ask=False)

    def reload(self) -> None:
        """Show the records the search text and filters select: the first page at once,
        the rest (a whole register of 100 000 ids takes ~0.1 s) from a worker thread."""
        self._search_timer.stop()
        self._serial += 1
        text, filters = self.search.text(), self.filters()
        limit = self.model.page_size + 1
        try:
            ids = self.register.search_ids(self.ctx.db, self.ctx.user, text, filters, limit)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取列表")
            return
        complete = len(ids) < limit
        self._show_ids(ids if complete else ids[: self.model.page_size], complete)
        if not complete:  # after the first page is painted (the reader holds the GIL)
            serial = self._serial  # the pane as context: no call once it is gone
            QTimer.singleShot(REST_DELAY_MS, self, lambda: self._read_rest(serial, text, filters))

    def _read_rest(self, serial: int, text: str, filters: dict[str, Any]) -> None:
        if serial != self._serial:
            return
        db, user, reg = self.ctx.db, self.ctx.user, self.register
        self.rest_job = start_job(
            Job(
                lambda _control: reg.search_ids(db, user, text, filters),
                lambda rest: self._rest_arrived(serial, rest),
                lambda exc: serial == self._serial and show_error(self, exc, "无法读取列表"),
                parent=self,
            )
        )

    def settled(self) -> bool:
        """The whole list and the filters' choices are in (nothing still to come)."""
        return self._complete and self._filters_filled

    def _rest_arrived(self, serial: int, ids: list[int]) -> None:
        if serial != self._serial:
            return  # a newer search is on screen
        shown = self.model.ids()
        if ids[: len(shown)] == shown:
            self._syncing = True
            try:
                self.model.extend_ids(ids[len(shown) :])
            finally:
                self._syncing = False
            self._count(len(ids), complete=True)
        else:  # the register changed in between
            self._show_ids(ids, complete=True)

    def _show_ids(self, ids: list[int], complete: bool) -> None:
        self._syncing = True
        try:
            self.model.set_ids(ids)
            row = self.model.row_of(self.current.id) if self.current is not None else -1
            if row >= 0:
                self.table.selectRow(row)
        finally:
            self._syncing = False
        self._count(len(ids), complete)

    def _count(self, n: int, complete: bool) -> None:
        self._complete = complete
        filtered = bool(self.search.text().strip()) or any(
            v is not None for k, v in self.filters().items() if k != PARENT
        )
        word = "找到" if filtered else "共"
        if not complete:
            text = f"{word} {n:,}+ 条，正在统计…"
        else:
            text = f"{word} {n:,} 条" if n else "没有符合条件的记录"
        self.count_label.setText(text)

    def focus_list(self) -> None:
        if self.model.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.table.selectionModel().hasSelection():
                self.table.selectRow(0)

    def selected_row(self) -> RecordRow | None:
        index = self.table.currentIndex()
        return self.model.row_object(index.row()) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        rid = self.model.id_at(current.row())
        if not isinstance(rid, int) or (self.current is not None and self.current.id == rid):
            return
        if self.is_dirty() and not confirm(
            self, "当前记录的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
        ):
            return
        self.show_record(rid)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        row = self.model.row_object(index.row()) if index.isValid() else None
        if row is None:
            return
        menu = QMenu(self)
        for text, slot in self.context_actions(row):
            action = QAction(text, menu)
            action.triggered.connect(lambda _c=False, f=slot: f())
            menu.addAction(action)
        if not menu.isEmpty():
            menu.exec(self.table.viewport().mapToGlobal(pos))

    def open_person_file(self, record_id: int) -> None:
        from .person_file import open_person_file

        try:
            record = self.register.get(self.ctx.db, self.ctx.user, record_id)
        except UnionsDeskError as exc:
            show_error(self, exc)
            return
        if record.person_id is not None:
            self.person_dialog = open_person_file(self, self.ctx, record.person_id)

    # -- the form -----------------------------------------------------------------------
    def show_record(self, record_id: int) -> None:
        try:
            record = self.register.get(self.ctx.db, self.ctx.user, record_id)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法打开记录")
            return
        self.current = record
        self.form.clear()
        self.form.set_values(record.values)
        self._loaded = self.form.values()
        self.form_title.setText(record.title)
        self.state_label.setText(f"已作废：{record.void_reason or ''}" if record.voided else "")
        self.state_label.setVisible(record.voided)
        editable = self.can_write and not record.voided
        self.form.set_read_only(not editable)
        self.save_button.setEnabled(editable)
        self.void_button.setEnabled(editable)
        self.record_shown(record)

    def new_record(self, ask: bool = True) -> None:
        if (
            ask
            and self.is_dirty()
            and not confirm(
                self, "当前记录的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
            )
        ):
            return
        self.current = None
        self.form.clear()
        self.form.set_values(self.register.defaults())
        self._loaded = self.form.values()
        parent = self.register.parent
        what = f"新{self.register.label}"
        if parent is not None and self.parent_id() is None:
            what += f"（请先在上方选择{self.filter_combos[PARENT].itemText(0).strip('（）选择')}）"
        self.form_title.setText(what)
        self.state_label.hide()
        self.form.set_read_only(not self.can_write)
        self.save_button.setEnabled(self.can_write)
        self.void_button.setEnabled(False)
        self.table.clearSelection()
        self.record_shown(None)
        if ask:
            first = self.form.field_widget(self.form.names()[0])
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def is_dirty(self) -> bool:
        return self.can_write and self.form.values() != self._loaded

    def save(self) -> Record | None:
        if not self.can_write or (self.current is not None and self.current.voided):
            return None
        if not self.form.validate():
            self.ctx.notify("未保存：请按红字提示修改")
            return None
        values = self.form.values()
        try:
            if self.current is None:
                record = self.register.create(
                    self.ctx.db, self.ctx.user, values, parent_id=self.parent_id()
                )
            else:
                record = self.register.update(
                    self.ctx.db, self.ctx.user, self.current.id, values, self.current.version
                )
        except ValidationError as exc:
            rest = self.form.errors_from(exc)
            if rest:
                show_error(self, "；".join(rest.values()), "未保存")
            self.ctx.notify("未保存：请按红字提示修改")
            return None
        except ConflictError as exc:
            show_error(
                self,
                f"{exc}\n\n你填写的内容还在表单中，没有保存。请记下要改的内容，"
                "重新选中该记录查看最新信息后再修改。",
                "未保存：记录已被他人修改",
            )
            return None
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return None
        self.ctx.notify(f"已保存{record.title}")
        self.current = record
        self._changed()
        self.show_record(record.id)
        return record

    def void(self, reason: str | None = None) -> Record | None:
        record = self.current
        if record is None or record.voided:
            return None
        if reason is None:
            text, ok = QInputDialog.getText(
                self,
                "作废",
                f"作废{record.title}？\n作废后记录保留（灰色显示），不再计入名单和合计。\n作废原因：",
            )
            if not ok:
                return None
            reason = text
        try:
            done = self.register.void(self.ctx.db, self.ctx.user, record.id, reason, record.version)
        except UnionsDeskError as exc:
            show_error(self, exc, "未作废")
            return None
        self.ctx.notify(f"已作废{done.title}")
        self._changed()
        self.show_record(done.id)
        return done

    def _changed(self) -> None:
        self.ctx.changed.emit(self.register.area or self.register.name)
        self.reload()

    # -- import, export, print ---------------------------------------------------------
    def import_file(self, path: Path | None = None) -> ImportPreviewDialog | None:
        reg = self.register
        parent_id = self.parent_id()
        if reg.parent is not None and parent_id is None:
            show_info(self, "请先在上方选择要导入到哪一条记录。", "请选择")
            return None
        if path is None:
            path = ask_open_excel(self, f"导入{reg.label}", reg.name)
        if path is None:
            return None
        dialog = ImportPreviewDialog(
            path,
            reg.spec,
            self,
            ctx=self.ctx,
            title=f"导入{reg.label}",
            note="导入前先检查全部行：只要有一行有错，就一行也不写入——可以保存错误清单，改好后再导入。",
        )
        self.preview = dialog

        def accepted() -> None:
            columns = dialog.columns()

            def run(p: Path, skip: bool, control: JobControl) -> Any:
                return reg.import_file(
                    self.ctx.db,
                    self.ctx.user,
                    p,
                    skip_invalid=skip,
                    columns=columns,
                    parent_id=parent_id,
                    cancelled=lambda: control.cancelled,
                )

            self.importer.start(path, run)

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def pick_people(self) -> PeoplePicker | None:
        """选择人员…: people from the register of people, for a person-linked register."""
        if self.register.parent is not None and self.parent_id() is None:
            show_info(self, "请先在上方选择要加入到哪一条记录。", "请选择")
            return None
        dialog = PeoplePicker(self)
        self.picker = dialog

        def done() -> None:
            self._changed()
            text = f"已加入{dialog.added}人。" + (
                "\n\n" + "\n".join(dialog.notes[:20]) if dialog.notes else ""
            )
            show_info(self, text, "已加入")

        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    def undo_import(self, ask: bool = True) -> bool:
        from unionsdesk.services.common.register_io import undo_description, undo_last_import

        if ask and not confirm(self, undo_description(self.register), "撤销导入", danger=True):
            return False
        try:
            result = undo_last_import(self.ctx.db, self.ctx.user, self.register)
        except UnionsDeskError as exc:
            show_error(self, exc, "未撤销")
            return False
        self._changed()
        show_info(self, "\n".join(result.summary_lines()), "已撤销")
        return True

    def export(self, path: Path | None = None) -> Job | None:
        reg = self.register
        if path is None:
            path = ask_save_xlsx(
                self, f"导出{reg.label}", f"{safe_file_name(reg.list_title)}.xlsx", reg.name
            )
        if path is None:
            return None
        text, filters, out = self.search.text(), self.filters(), path

        def work(_control: JobControl) -> int:
            return reg.export(self.ctx.db, self.ctx.user, out, text=text, filters=filters)

        def done(n: int) -> None:
            self.ctx.notify(f"已导出 {n} 条{reg.label}：{out}")

        self.job = run_job(self, f"正在导出{reg.label}……", work, done)
        return self.job

    def print_list(self, public: bool = False) -> Job | None:
        from .pdf_preview import PdfPreviewDialog, temp_pdf_path

        reg = self.register
        path = temp_pdf_path(reg.name)
        text, filters = self.search.text(), self.filters()

        def work(_control: JobControl) -> int:
            return reg.print_list(
                self.ctx.db, self.ctx.user, path, text=text, filters=filters, public=public
            )

        def done(_n: int) -> None:
            dialog = PdfPreviewDialog(path, reg.list_title, parent=self, delete_on_close=True)
            self.preview = dialog
            dialog.finished.connect(lambda _r: dialog.deleteLater())
            dialog.open()

        self.job = run_job(self, f"正在生成{reg.list_title}……", work, done)
        return self.job


class RegisterTabs(QWidget):
    """Several registers (panes or any widgets) under one main-window tab."""

    def __init__(self, ctx: AppContext, pages: Sequence[tuple[str, Callable[[], QWidget]]]) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("registerTabs")
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self._factories = list(pages)
        self._made: dict[int, QWidget] = {}
        for title, _factory in pages:
            self.tabs.addTab(QWidget(), title)
        self.tabs.currentChanged.connect(self._shown)
        self._shown(0)

    def page(self, index: int) -> QWidget:
        if index not in self._made:
            title, factory = self._factories[index]
            widget = factory()
            self._made[index] = widget
            was = self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, title)
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(was)
        return self._made[index]

    def _shown(self, index: int) -> None:
        if index >= 0:
            self.page(index)

    def current(self) -> QWidget:
        return self.page(self.tabs.currentIndex())

    def open_page(self, title: str) -> bool:
        for i, (t, _f) in enumerate(self._factories):
            if t == title:
                self.tabs.setCurrentIndex(i)
                self.page(i)
                return True
        return False

    def refresh(self) -> None:
        for widget in self._made.values():
            refresh = getattr(widget, "refresh", None)
            if refresh is not None:
                refresh()

    def save(self) -> None:
        save = getattr(self.current(), "save", None)
        if save is not None:
            save()

    def focus_search(self) -> bool:
        focus = getattr(self.current(), "focus_search", None)
        return bool(focus()) if focus is not None else False


def colour(name: str) -> QBrush:
    return QBrush(QColor(name))


class PeoplePicker(QDialog):
    """Pick people from the register of people (members and everyone on record) by name,
    pinyin initials or ID number; 加入 puts them on a person-linked register
    (`Register.add_people`), the register's rules refusing whom they must."""

    def __init__(self, pane: RegisterPane) -> None:
        from PySide6.QtWidgets import QListWidget

        super().__init__(pane)
        self.pane = pane
        self.added = 0
        self.notes: list[str] = []
        self.setWindowTitle(f"{APP_TITLE} — 选择人员加入{pane.register.label}")
        self.resize(480, 460)
        layout = QVBoxLayout(self)
        self.edit = QLineEdit()
        self.edit.setObjectName("pickSearch")
        self.edit.setPlaceholderText("姓名、拼音首字母或身份证号；勾选后点“加入”")
        layout.addWidget(self.edit)
        self.results = QListWidget()
        self.results.setObjectName("pickResults")
        layout.addWidget(self.results, 1)
        buttons = QDialogButtonBox()
        buttons.addButton("加入", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._timer = debounce(self, 150, self.search)
        self.edit.textChanged.connect(lambda _t: self._timer.start())

    def search(self) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        from unionsdesk.services.common.person_file import find_people

        ctx = self.pane.ctx
        try:
            people = find_people(ctx.db, ctx.user, self.edit.text(), limit=50)
        except UnionsDeskError as exc:
            show_error(self, exc)
            return
        self.results.clear()
        for pid, name, number in people:
            item = QListWidgetItem(f"{name}    {number}")
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.results.addItem(item)

    def check(self, rows: Sequence[int]) -> None:
        for r in rows:
            item = self.results.item(r)
            if item is not None:
                item.setCheckState(Qt.CheckState.Checked)

    def add(self) -> None:
        ids = [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.results.item(r) for r in range(self.results.count()))
            if item is not None and item.checkState() == Qt.CheckState.Checked
        ]
        if not ids:
            self.reject()
            return
        p = self.pane
        try:
            self.added, self.notes = p.register.add_people(
                p.ctx.db, p.ctx.user, ids, parent_id=p.parent_id()
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "未加入")
            return
        self.accept()
