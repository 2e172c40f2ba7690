"""会员: the member register — search as you type, a lazy list, the member form.

The list is a ``LazyTableModel`` over the ids ``search_member_ids`` returns;
rows are fetched a page at a time (``fetch_member_rows``), so 200 000 members
open and scroll at once. The search runs on the GUI thread 120 ms after the
last keystroke (the service answers in a few milliseconds). The form is built
from ``MEMBER`` in the paper form's order; 转会 and 变更状态 are dialogs,
import and export run in the background with progress and 取消.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from unionsdesk.errors import Cancelled, ConflictError, UnionsDeskError, ValidationError
from unionsdesk.fields import MEMBER, EntitySpec
from unionsdesk.services.common import codes as codes_svc
from unionsdesk.services.common.base import PII, WRITE
from unionsdesk.services.members import members as members_svc
from unionsdesk.services.members import unions as unions_svc
from unionsdesk.services.members.members import MemberDetail, MemberFilter, MemberRow
from unionsdesk.services.members.unions import UnionRow

from ...context import AppContext
from ...messages import confirm, show_error, show_info
from ...widgets.empty_guide import EmptyGuide
from ...widgets.excel_import import ExcelImport, ImportDialog
from ...widgets.file_dialogs import ask_open_excel, ask_save_xlsx, safe_file_name
from ...widgets.form import FormWidget
from ...widgets.lazy_table import LazyColumn, LazyTableModel, configure_view
from ...widgets.panes import debounce, list_and_panel, tab_layout, tab_shortcut
from ...widgets.union_picker import UnionPicker, decorate, make_searchable, union_tree_order
from ...workers import Job, JobControl, run_job, start
from ..common.import_batches import ImportBatchesDialog
from .members_dialogs import HistoryDialog, StatusDialog, TransferDialog
from .upload_export import UploadCheckDialog, export_refusal, run_check

SEARCH_DELAY_MS = 120
PAGE_SIZE = 200
UNION_COLUMN = 4  # 所在工会 takes the room left over
ALL_STATUSES = "*all"  # status filter: every record, also 转出/退会
ANY_NEW_FORM = "*"  # new_employment filter: any category

# The form: MEMBER in paper-form order; the union is picked from the register.
FORM_SPEC = EntitySpec(
    MEMBER.name,
    MEMBER.label,
    tuple(replace(f, label="所在工会") if f.name == "union" else f for f in MEMBER.fields),
)
EDIT_LOCKED = {
    "union": "调到其他工会请用“转会…”",
    "status": "请用“变更状态…”",
}


class _KeyRelay(QObject):
    """Down/Enter in the search box goes to the list; Enter in the list goes to the form."""

    def __init__(self, tab: MembersTab) -> None:
        super().__init__(tab)
        self.tab = tab

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key() if isinstance(event, QKeyEvent) else None
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.tab.search_edit and (enter or key == Qt.Key.Key_Down):
            self.tab.search_now()
            self.tab.focus_list()
            return True
        if watched is self.tab.table and enter:
            self.tab.focus_form()
            return True
        return False


class MembersTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("membersTab")
        self.can_write = ctx.user.can(WRITE) and ctx.user.can(PII)
        self.current: MemberDetail | None = None
        self._loaded: dict[str, Any] = {}
        self._syncing = False
        self._search_serial = 0
        self.unions: list[UnionRow] = []
        self.union_order: list[tuple[UnionRow, int]] = []
        self.union_names: dict[int, str] = {}
        self.labels: dict[str, dict[str, str]] = {}
        self.job: Job | None = None
        self.excel_import = ExcelImport(self, ctx, unit="名会员", file_kind="花名册", folder_key="members_import")  # fmt: skip
        self.excel_import.written.connect(self._imported)
        self.batches_dialog: ImportBatchesDialog | None = None
        self.upload_dialog: UploadCheckDialog | None = None
        self._load_reference_data()

        layout = tab_layout(self)
        layout.addLayout(self._build_filters())
        layout.addLayout(self._build_toolbar())
        self.guide = EmptyGuide("memberGuide", "导入会员花名册…", self.import_roster)
        layout.addWidget(self.guide)

        self.splitter = list_and_panel(self._build_list(), self._build_panel(), (900, 360))
        layout.addWidget(self.splitter, 1)

        self._timer = debounce(self, SEARCH_DELAY_MS, self.search_now)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        relay = _KeyRelay(self)
        self.search_edit.installEventFilter(relay)
        self.table.installEventFilter(relay)
        tab_shortcut(self, "Ctrl+N", self.new_member)

        self.new_member(ask=False)
        self.search_now()

    # -- building ---------------------------------------------------------------------
    def _load_reference_data(self) -> None:
        try:
            self.unions = unions_svc.list_unions(self.ctx.db, self.ctx.user, with_counts=False)
            fresh = codes_svc.label_maps(
                self.ctx.db, ["member_status", "new_employment", "membership_change"]
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取工会和字典")
            fresh = {}
        for category, table in fresh.items():  # in place: the list's columns hold these dicts
            mine = self.labels.setdefault(category, {})
            mine.clear()
            mine.update(table)
        self.union_order = union_tree_order(self.unions)
        self.union_names = {u.id: u.name for u in self.unions}

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("memberSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            "查找：姓名、拼音首字母（zs）、身份证号或手机号的任意几位"
        )
        self.search_edit.setToolTip("按 Ctrl+F 到这里；按 ↓ 或回车到列表")
        self.search_edit.setMinimumWidth(300)
        row.addWidget(self.search_edit, 3)

        row.addWidget(QLabel("工会"))
        self.union_filter = UnionPicker(all_text="全部工会")
        self.union_filter.setObjectName("unionFilter")
        self.union_filter.setToolTip("所选工会及其下级工会的会员")
        self.union_filter.set_unions(self.unions)
        self.union_filter.currentIndexChanged.connect(lambda _i: self.search_now())
        row.addWidget(self.union_filter, 2)

        row.addWidget(QLabel("状态"))
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem("全部在册", None)
        for code, label in self.labels.get("member_status", {}).items():
            self.status_filter.addItem(label, code)
        self.status_filter.addItem("全部记录（含转出、退会）", ALL_STATUSES)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.search_now())
        row.addWidget(self.status_filter)

        row.addWidget(QLabel("新就业形态"))
        self.new_form_filter = QComboBox()
        self.new_form_filter.setObjectName("newFormFilter")
        self.new_form_filter.addItem("不限", None)
        self.new_form_filter.addItem("任一类别", ANY_NEW_FORM)
        for code, label in self.labels.get("new_employment", {}).items():
            self.new_form_filter.addItem(label, code)
        self.new_form_filter.currentIndexChanged.connect(lambda _i: self.search_now())
        row.addWidget(self.new_form_filter)
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
        self.count_label.setObjectName("memberCount")
        bold = QFont(self.count_label.font())
        bold.setBold(True)
        self.count_label.setFont(bold)
        row.addWidget(self.count_label)
        row.addStretch(1)
        self.import_button = self._button(
            "导入花名册…",
            self.import_roster,
            "importButton",
            "从乡镇报来的 Excel 花名册批量登记会员",
        )
        self.export_button = self._button(
            "导出名册…",
            self.export_roster,
            "exportButton",
            "把所选工会（含下级）的在册会员导出为 Excel",
        )
        self.template_button = self._button(
            "下载导入模板…",
            self.save_template,
            "templateButton",
            "空白的会员信息采集表，带下拉选项",
        )
        self.undo_import_button = self._button(
            "撤销导入…",
            self.open_import_batches,
            "undoImportButton",
            "查看最近的导入，撤销最近一次导入的花名册",
        )
        self.upload_button = self._button(
            "导出上报表…",
            self.check_upload,
            "uploadButton",
            "按上级工会系统（海南）的格式导出所选工会（含下级）的在册会员，导出前先检查数据",
        )
        for b in (
            self.import_button,
            self.undo_import_button,
            self.export_button,
            self.upload_button,
            self.template_button,
        ):
            row.addWidget(b)
        self.import_button.setEnabled(self.can_write)
        self.undo_import_button.setEnabled(self.can_write)
        if not self.can_write:
            self.undo_import_button.setToolTip("当前用户没有录入和修改数据的权限，不能撤销导入")
        why = export_refusal(self.ctx)
        self.upload_button.setEnabled(why is None)
        if why is not None:
            self.upload_button.setToolTip(why)
        return row

    def _build_list(self) -> QWidget:
        labels = self.labels
        status = labels.setdefault("member_status", {})
        new_form = labels.setdefault("new_employment", {})
        columns: list[LazyColumn[MemberRow]] = [
            LazyColumn("姓名", lambda r: r.name, 8),
            LazyColumn("性别", lambda r: r.sex, 2),
            LazyColumn("身份证号", lambda r: r.id_number, sample="36083019720721123X"),
            LazyColumn("手机", lambda r: r.phone, sample="0796-81234567"),
            LazyColumn("所在工会", lambda r: r.union_name, 24),
            LazyColumn("入会日期", lambda r: r.joined_on, sample="2024-05-01"),
            LazyColumn("状态", lambda r: status.get(r.status, r.status), 8),
            LazyColumn("农民工", lambda r: "是" if r.migrant_worker else "", 4),
            LazyColumn("新就业形态", lambda r: new_form.get(r.new_employment or "", r.new_employment), 10),
        ]  # fmt: skip
        self.model: LazyTableModel[MemberRow] = LazyTableModel(
            columns,
            self._fetch_rows,
            key=lambda r: r.membership_id,
            page_size=PAGE_SIZE,
            greyed=lambda r: not r.active,
            parent=self,
        )
        self.model.fetch_failed.connect(lambda msg: self.ctx.notify(f"读取会员列表出错：{msg}"))
        self.table = QTableView()
        self.table.setObjectName("memberTable")
        configure_view(self.table, self.model, stretch=UNION_COLUMN)
        # union names differ at their end (“…228工会委员会”): elide in the middle
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        return self.table

    def _fetch_rows(self, ids: Any) -> list[MemberRow]:
        return members_svc.fetch_member_rows(self.ctx.db, self.ctx.user, ids)

    def _build_panel(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("memberPanel")
        panel.setMinimumWidth(340)
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

        self.form = FormWidget(FORM_SPEC, choices={"union": []}, db=self.ctx.db)
        self.form.setObjectName("memberForm")
        union_combo = self.form.field_widget("union")
        assert isinstance(union_combo, QComboBox)
        self._fill_form_unions()
        make_searchable(union_combo)
        union_combo.setMinimumContentsLength(12)
        union_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.form.submitted.connect(self.save)
        scroll = QScrollArea()
        scroll.setObjectName("formScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.form)
        outer.addWidget(scroll, 1)

        self.warnings_box = QFrame()
        self.warnings_box.setObjectName("saveWarningsBox")
        self.warnings_box.setStyleSheet(
            "#saveWarningsBox { background: #fff4d6; border: 1px solid #e0b84c; border-radius: 3px; }"
        )
        box = QVBoxLayout(self.warnings_box)
        box.setContentsMargins(8, 6, 8, 8)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("saveWarnings")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        box.addWidget(self.warnings_label)
        self.warnings_box.hide()
        outer.addWidget(self.warnings_box)

        self.readonly_label = QLabel("当前用户为只读角色：只能查看，不能修改。")
        self.readonly_label.setObjectName("readonlyNote")
        self.readonly_label.setStyleSheet("color: #555;")
        self.readonly_label.setVisible(not self.can_write)
        outer.addWidget(self.readonly_label)

        buttons = QGridLayout()
        buttons.setHorizontalSpacing(6)
        buttons.setVerticalSpacing(6)
        self.new_button = self._button("新增", self.new_member, "newButton", "登记新会员（Ctrl+N）")
        self.save_button = self._button("保存", self.save, "saveButton", "保存（Ctrl+S）")
        self.save_button.setDefault(True)
        self.transfer_button = self._button(
            "转会…", self.transfer, "transferButton", "调到其他工会：原记录转出，新工会转入"
        )
        self.status_button = self._button(
            "变更状态…", self.change_status, "statusButton", "保留会籍、退会、开除会籍或恢复在册"
        )
        self.history_button = self._button(
            "履历", self.show_history, "historyButton", "此人的全部会籍变化"
        )
        buttons.addWidget(self.new_button, 0, 0)
        buttons.addWidget(self.save_button, 0, 1)
        buttons.addWidget(self.history_button, 0, 2)
        buttons.addWidget(self.transfer_button, 1, 0)
        buttons.addWidget(self.status_button, 1, 1)
        outer.addLayout(buttons)
        if not self.can_write:
            self.form.set_read_only(True)
        return panel

    def _fill_form_unions(self) -> None:
        """The form's union list, in tree order (again after unions changed)."""
        combo = self.form.field_widget("union")
        assert isinstance(combo, QComboBox)
        keep = combo.currentData()
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem("（请选择）", "")
            for u, _depth in self.union_order:
                combo.addItem(u.name, u.id)
            decorate(combo, self.union_order, first=1)
            combo.setCurrentIndex(max(combo.findData(keep), 0))
        finally:
            combo.blockSignals(False)

    # -- main window hooks ----------------------------------------------------------
    def focus_search(self) -> bool:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()
        return True

    def refresh(self) -> None:
        """After changes elsewhere: unions, code labels, the list and the open member."""
        self._load_reference_data()
        self.union_filter.set_unions(self.unions)
        self._fill_form_unions()
        self.model.invalidate()
        self.search_now()
        if self.current is not None and not self.is_dirty():
            self.load_member(self.current.membership_id)

    # -- searching ------------------------------------------------------------------
    def current_filter(self) -> MemberFilter:
        status = self.status_filter.currentData()
        return MemberFilter(
            text=self.search_edit.text(),
            union_id=self.union_filter.union_id(),
            status=status if status not in (None, ALL_STATUSES) else None,
            new_employment=self.new_form_filter.currentData(),
            include_inactive=status == ALL_STATUSES,
        )

    def search_now(self) -> None:
        """Show the members the filters and search text select. The result can be the
        whole register (200 000 ids take ~100 ms to read) or, for one typed letter,
        some 15 000 members (~50 ms on PostgreSQL), so the first page is shown at
        once and the rest follows from a worker thread."""
        self._timer.stop()
        flt = self.current_filter()
        self._search_serial += 1
        limit = self.model.page_size + 1
        try:
            ids = members_svc.search_member_ids(self.ctx.db, self.ctx.user, flt, limit)
        except UnionsDeskError as exc:
            show_error(self, exc, "查找未完成")
            return
        complete = len(ids) < limit
        self._show_ids(ids if complete else ids[: self.model.page_size], flt, complete)
        if not complete:
            serial, db, user = self._search_serial, self.ctx.db, self.ctx.user
            start(
                Job(
                    lambda _control: members_svc.search_member_ids(db, user, flt),
                    lambda rest: self._rest_arrived(serial, flt, rest),
                    lambda exc: (
                        serial == self._search_serial and show_error(self, exc, "查找未完成")
                    ),
                    parent=self,
                )
            )

    def _rest_arrived(self, serial: int, flt: MemberFilter, ids: list[int]) -> None:
        if serial != self._search_serial:
            return  # a newer search is on screen
        shown = self.model.ids()
        if ids[: len(shown)] == shown:
            self._syncing = True
            try:
                self.model.extend_ids(ids[len(shown) :])
            finally:
                self._syncing = False
            self._count(flt, len(ids), complete=True)
            if self.current is not None and not self.table.selectionModel().hasSelection():
                self._select_current()
        else:  # the register changed in between
            self._show_ids(ids, flt, complete=True)

    def _show_ids(self, ids: list[int], flt: MemberFilter, complete: bool) -> None:
        self._syncing = True
        try:
            self.model.set_ids(ids)
            if not self._select_current():
                self.table.scrollToTop()
        finally:
            self._syncing = False
        self._count(flt, len(ids), complete)

    def _select_current(self) -> bool:
        row = self.model.row_of(self.current.membership_id) if self.current else -1
        if row < 0:
            return False
        was, self._syncing = self._syncing, True
        try:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._syncing = was
        return True

    def _count(self, flt: MemberFilter, n: int, complete: bool) -> None:
        filtered = bool(flt.text.strip()) or flt.new_employment is not None or flt.status
        if not complete:
            text = f"{'找到' if filtered else '共'} {n:,}+ 人，正在统计…"
        elif not n:
            text = "没有找到符合条件的会员" if filtered else "还没有会员"
        elif filtered:
            text = f"找到 {n:,} 人"
        else:
            text = f"共 {n:,} 人"
        self.count_label.setText(text)
        empty = complete and not n and not filtered and flt.union_id is None
        self.guide.show_step(self._first_steps() if empty and self.can_write else None)

    def _first_steps(self) -> str:
        """The next step of a new office: unions first, then the roster."""
        lower = [u for u, depth in self.union_order if depth > 0]
        if not lower:
            return (
                "还没有会员。第一步：到“基层工会”页，选中本县总工会，按“新增下级工会”添加乡镇（街道）"
                "工会和基层工会；第二步：回到这里导入会员花名册（Excel，可先“下载导入模板…”），"
                "或按“新增”逐个登记。"
            )
        return (
            f"还没有会员。已有 {len(lower)} 个下级工会：导入各工会报来的会员花名册（Excel，"
            "可先“下载导入模板…”），或按“新增”逐个登记。"
        )

    def focus_list(self) -> None:
        if self.model.rowCount() == 0:
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def focus_form(self) -> None:
        widget = self.form.field_widget("name")
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the open member ------------------------------------------------------------
    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        mid = self.model.id_at(current.row())
        if not isinstance(mid, int) or (self.current and self.current.membership_id == mid):
            return
        if self.is_dirty() and not confirm(
            self, "当前会员的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
        ):
            self._syncing = True
            try:
                back = self.model.row_of(self.current.membership_id) if self.current else -1
                if back >= 0:
                    self.table.selectRow(back)
                else:
                    self.table.clearSelection()
            finally:
                self._syncing = False
            return
        self.load_member(mid)

    def select_member(self, membership_id: int) -> bool:
        """Select the member in the list (and load it); False when not in the list."""
        row = self.model.row_of(membership_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        if self.table.currentIndex().row() != row:
            return False  # the clerk chose to stay with unsaved changes
        self.table.scrollTo(self.model.index(row, 0))
        if self.current is None or self.current.membership_id != membership_id:
            self.load_member(membership_id)
        return True

    def load_member(self, membership_id: int) -> None:
        try:
            detail = members_svc.get_member(self.ctx.db, self.ctx.user, membership_id)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取会员")
            return
        self._show_detail(detail)
        self.warnings_box.hide()

    def _show_detail(self, detail: MemberDetail) -> None:
        self.current = detail
        values = dict(detail.values)
        values["union"] = detail.union_id
        self.form.set_values(values)
        status = self.labels.get("member_status", {}).get(str(detail.values.get("status")), "")
        name = detail.values.get("name") or ""
        self.form_title.setText(f"会员：{name}（{status}）" if status else f"会员：{name}")
        self._update_buttons()
        self._loaded = self.form.values()

    def new_member(self, ask: bool = True) -> None:
        if (
            ask
            and self.is_dirty()
            and not confirm(
                self, "当前会员的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
            )
        ):
            return
        self.current = None
        self.form.clear()
        defaults: dict[str, Any] = {"status": members_svc.IN_REGISTER}
        chosen = self.union_filter.union_id()
        if chosen is not None and any(u.id == chosen and u.status == "正常" for u in self.unions):
            defaults["union"] = chosen
        self.form.set_values(defaults)
        self.form_title.setText("新增会员")
        self.warnings_box.hide()
        self._syncing = True
        self.table.clearSelection()
        self._syncing = False
        self._update_buttons()
        self._loaded = self.form.values()
        if ask and self.can_write:
            self.focus_form()

    def _update_buttons(self) -> None:
        editing = self.current is not None
        active = editing and self.current is not None and self.current.active
        w = self.can_write
        self.new_button.setEnabled(w)
        self.save_button.setEnabled(w)
        self.transfer_button.setEnabled(w and active)
        self.status_button.setEnabled(
            w and editing and self.current is not None
            and self.current.values.get("status") != members_svc.TRANSFERRED_OUT
        )  # fmt: skip
        self.history_button.setEnabled(editing)
        if w:
            for name, why in EDIT_LOCKED.items():
                self.form.set_field_enabled(name, not editing)
                self.form.field_widget(name).setToolTip(why if editing else "")

    def is_dirty(self) -> bool:
        return self.can_write and self.form.values() != self._loaded

    def save(self) -> None:
        if not self.can_write:
            self.ctx.notify("当前用户没有修改会员信息的权限")
            return
        if not self.form.validate():
            self.ctx.notify("未保存：请按红字提示修改")
            return
        values = self.form.values()
        union_id = values.get("union")
        union_id = int(union_id) if union_id not in (None, "") else None
        values["union"] = self.union_names.get(union_id) if union_id is not None else None
        new = self.current is None
        try:
            result = members_svc.save_member(
                self.ctx.db,
                self.ctx.user,
                values,
                union_id=union_id if new else None,
                membership_id=None if self.current is None else self.current.membership_id,
                expected_version=None if self.current is None else self.current.version,
            )
        except ValidationError as exc:
            rest = self.form.errors_from(exc)
            if rest:
                show_error(self, "；".join(rest.values()), "未保存")
            self.ctx.notify("未保存：请按红字提示修改")
            return
        except ConflictError as exc:
            show_error(
                self,
                f"{exc}\n\n你填写的内容还在表单中，没有保存。请记下要改的内容，"
                "重新选中该会员查看最新信息后再修改。",
                "未保存：记录已被他人修改",
            )
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        member = result.member
        self._show_detail(member)
        self.show_warnings(result.warnings)
        name = member.values.get("name")
        self.ctx.notify(f"已登记新会员 {name}" if new else f"已保存 {name}")
        self.ctx.changed.emit("members")
        if new:
            self.search_now()
            self.select_member(member.membership_id)
        else:
            self.model.invalidate([member.membership_id])

    def show_warnings(self, warnings: list[str]) -> None:
        self.warnings_label.setText("\n".join(f"注意：{w}" for w in warnings))
        self.warnings_box.setVisible(bool(warnings))

    # -- 转会, 变更状态, 履历 ----------------------------------------------------------
    def transfer_dialog(self) -> TransferDialog | None:
        if self.current is None or not self.current.active:
            self.ctx.notify("请先在列表中选中一名在册会员")
            return None
        return TransferDialog(self.ctx, self.current, self.union_order, self)

    def transfer(self) -> None:
        dialog = self.transfer_dialog()
        if dialog is None or not dialog.exec():
            return
        detail: MemberDetail = dialog.result_value
        self.after_change(detail, f"{detail.values.get('name')} 已转入“{detail.union_name}”")

    def change_status(self) -> None:
        if self.current is None:
            self.ctx.notify("请先在列表中选中一名会员")
            return
        dialog = StatusDialog(self.ctx, self.current, self.labels.get("member_status", {}), self)
        if not dialog.exec():
            return
        detail: MemberDetail = dialog.result_value
        status = self.labels.get("member_status", {}).get(str(detail.values.get("status")), "")
        self.after_change(detail, f"{detail.values.get('name')} 的状态已改为“{status}”")

    def after_change(self, detail: MemberDetail, message: str) -> None:
        self.ctx.notify(message)
        self.ctx.changed.emit("members")
        self.current = None
        self.load_member(detail.membership_id)
        self.search_now()
        self.select_member(detail.membership_id)

    def show_history(self) -> None:
        if self.current is None:
            return
        try:
            events = members_svc.member_history(self.ctx.db, self.ctx.user, self.current.person_id)
        except UnionsDeskError as exc:
            show_error(self, exc)
            return
        name = str(self.current.values.get("name") or "")
        HistoryDialog(name, events, self.labels.get("membership_change", {}), self).exec()

    # -- 导入 --------------------------------------------------------------------------
    def import_roster(self) -> None:
        path = ask_open_excel(self, "选择要导入的花名册", "members_import")
        if path is None:
            return
        dialog = ImportDialog(path, self.unions, self.union_filter.union_id(), self)
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
        from unionsdesk.services.members.member_import import import_members

        db, user = self.ctx.db, self.ctx.user

        def run(path: Path, skip_invalid: bool, control: JobControl) -> Any:
            def progress(done: int, total: int) -> None:
                # steps: new people, then memberships — a share, not a count of members
                control.progress(done, total, f"正在写入会员……{done * 100 // max(total, 1)}%")

            return import_members(
                db, user, path, union_id=union_id, skip_invalid=skip_invalid, columns=columns,
                progress=progress, cancelled=lambda: control.cancelled,
            )  # fmt: skip

        return self.excel_import.start(path, run, skip_invalid=skip_invalid)

    def _imported(self, _result: Any) -> None:
        self.ctx.changed.emit("members")
        self.refresh()

    # -- 导出, 模板 --------------------------------------------------------------------
    def export_roster(self) -> None:
        union_id = self.union_filter.union_id()
        name = self.union_names.get(union_id, "全部") if union_id is not None else "全部"
        default = safe_file_name(f"{name}会员名册-{date.today():%Y%m%d}.xlsx")
        path = ask_save_xlsx(self, "导出会员名册", default, "members_export")
        if path is not None:
            self.start_export(path, union_id)

    def start_export(self, path: Path, union_id: int | None) -> Job:
        from unionsdesk.services.common.office import get_office
        from unionsdesk.services.members.member_io import export_members

        db, user = self.ctx.db, self.ctx.user
        try:
            office = get_office(db).name
        except UnionsDeskError:
            office = ""

        def work(control: JobControl) -> int:
            def progress(done: int, total: int) -> None:
                control.progress(done, total, f"正在导出：{done:,} / {total:,} 人")

            return export_members(
                db, user, path, union_id, office, progress=progress,
                cancelled=lambda: control.cancelled,
            )  # fmt: skip

        def done(count: int) -> None:
            self.ctx.notify(f"已导出 {count} 名会员到 {path}")
            show_info(self, f"已导出 {count:,} 名在册会员：\n{path}", "导出完成")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self.ctx.notify("已取消导出")
                show_info(self, "已取消导出，没有留下文件。", "已取消")
            else:
                show_error(self, exc, "导出未完成")

        self.job = run_job(
            self, "正在导出会员名册……", work, done, on_error=failed, cancellable=True
        )
        return self.job

    def save_template(self, path: Path | None = None) -> Path | None:
        from unionsdesk.services.members.member_io import write_member_template

        if path is None:
            path = ask_save_xlsx(
                self, "保存导入模板", "会员信息采集表（导入模板）.xlsx", "members_import"
            )
        if path is None:
            return None
        try:
            write_member_template(self.ctx.db, path)
        except UnionsDeskError as exc:
            show_error(self, exc, "模板未保存")
            return None
        self.ctx.notify(f"导入模板已保存到 {path}")
        show_info(self, f"导入模板已保存：\n{path}\n\n第4行是示例，填写前请删除。", "已保存")
        return path

    # -- 撤销导入 ----------------------------------------------------------------------
    def open_import_batches(self) -> ImportBatchesDialog | None:
        if not self.can_write:
            self.ctx.notify("当前用户没有撤销导入的权限")
            return None
        dialog = ImportBatchesDialog(self.ctx, self)
        dialog.undone.connect(self._batch_undone)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.batches_dialog = dialog
        dialog.open()
        return dialog

    def _batch_undone(self, _result: Any) -> None:
        self.ctx.changed.emit("members")
        if self.current is not None:  # the open member may be one the undo removed
            try:
                members_svc.get_member(self.ctx.db, self.ctx.user, self.current.membership_id)
            except UnionsDeskError:
                self.new_member(ask=False)
        self.refresh()

    # -- 导出上报表 --------------------------------------------------------------------
    def check_upload(self) -> Job | None:
        """Check the members of the chosen union (and below) for the upload, then show
        the report (`UploadCheckDialog`), from which the files are written."""
        why = export_refusal(self.ctx)
        if why is not None:
            show_error(self, why, "不能导出上报表")
            return None
        union_id = self.union_filter.union_id()
        scope = self.union_names.get(union_id) if union_id is not None else None

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self.ctx.notify("已取消数据检查")
            else:
                show_error(self, exc, "检查未完成")

        def done(check: Any) -> None:
            if job.control.cancelled:  # finished before it saw the 取消
                self.ctx.notify("已取消数据检查")
                return
            dialog = UploadCheckDialog(self.ctx, check, union_id, scope, self)
            dialog.member_chosen.connect(lambda mid: self._upload_member_chosen(dialog, mid))
            dialog.finished.connect(lambda _r: dialog.deleteLater())
            self.upload_dialog = dialog
            dialog.open()

        job = self.job = run_check(self, self.ctx, union_id, done, failed)
        return job

    def _upload_member_chosen(self, dialog: UploadCheckDialog, membership_id: int) -> None:
        if self.show_member(membership_id):
            dialog.accept()

    def show_member(self, membership_id: int) -> bool:
        """Select the member, widening the search (text, then filters) if the list hides it."""
        if self.model.row_of(membership_id) < 0:
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
            for combo in (self.status_filter, self.new_form_filter):
                combo.blockSignals(True)
                combo.setCurrentIndex(0)
                combo.blockSignals(False)
            self.search_now()
        if self.model.row_of(membership_id) < 0 and self.union_filter.union_id() is not None:
            self.union_filter.set_union_id(None)  # searches again
            self.search_now()
        if self.model.row_of(membership_id) < 0:
            self.ctx.notify("会员列表中找不到此人，可能已转出或退会")
            return False
        return self.select_member(membership_id)
