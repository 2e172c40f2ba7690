"""基层工会: the union tree (县总工会 → 乡镇/产业工会 → 基层工会) and the union form.

The tree shows each union's members on the roll (its own and with the unions
below it); 撤销/合并 unions stay in the tree, grey. The form is built from
``UNION``; the 上级工会 is chosen from the register. 换届提醒 for the selected
union is shown above the form.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSize, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import ConflictError, UnionsDeskError, ValidationError
from unionsdesk.fields import UNION, UNION_STATUSES, EntitySpec, FieldSpec
from unionsdesk.services.common.base import WRITE
from unionsdesk.services.members import unions as unions_svc
from unionsdesk.services.members.unions import StatusEvent, UnionRow, subtree_totals

from ...context import AppContext
from ...messages import confirm, show_error, show_info
from ...widgets.empty_guide import EmptyGuide
from ...widgets.file_dialogs import ask_save_xlsx
from ...widgets.form import FormWidget
from ...widgets.form_dialog import FormDialog
from ...widgets.panes import list_and_panel, tab_layout
from ...widgets.table import fill_table, make_table
from ...widgets.union_picker import (
    CLOSED_COLOR,
    decorate,
    make_searchable,
    union_choices,
    union_tree_order,
)
from ...workers import Job, JobControl, run_job

ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("工会名称", "本级会员", "含下级", "状态")
REMIND_STYLE = "color: #b3261e; font-weight: bold;"
DUE_STYLE = "color: #555;"

UNION_STATUS_CHANGE = EntitySpec(
    "union_status_change",
    "变更工会状态",
    (
        FieldSpec("status", "新状态", required=True, choices=UNION_STATUSES),
        FieldSpec("on", "变更日期", kind="date", required=True),
        FieldSpec("status_reason", "原因", max_length=200, placeholder="撤销或合并须填写"),
        FieldSpec("merged_into_id", "并入工会", placeholder="合并时选择"),
    ),
)


class UnionStatusDialog(FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        union: UnionRow,
        ordered: list[tuple[UnionRow, int]],
        parent: QWidget | None = None,
    ) -> None:
        targets = [(u, d) for u, d in ordered if u.status == "正常" and u.id != union.id]
        offered = [(s, s) for s in UNION_STATUSES if s != union.status]
        super().__init__(
            "变更工会状态",
            UNION_STATUS_CHANGE,
            choices={"status": offered, "merged_into_id": union_choices(targets)},
            intro=(
                f"“{union.name}”当前状态：{union.status}。"
                "还有在册会员的工会不能撤销或合并，请先为会员办理转会。"
            ),
            parent=parent,
        )
        self.ctx = ctx
        self.union = union
        merged = self.form.field_widget("merged_into_id")
        assert isinstance(merged, QComboBox)
        decorate(merged, targets, first=1)
        make_searchable(merged)
        merged.setCurrentIndex(0)
        self.form.set_values({"on": date.today()})
        status = self.form.field_widget("status")
        assert isinstance(status, QComboBox)
        status.currentIndexChanged.connect(lambda _i: self._merge_enabled())
        self._merge_enabled()
        self.setMinimumWidth(560)

    def _merge_enabled(self) -> None:
        merging = self.form.values().get("status") == "合并"
        self.form.set_field_enabled("merged_into_id", merging)

    def choose(
        self, status: str, on: date | str, reason: str = "", merged_into_id: int | None = None
    ) -> None:
        self.form.set_values(
            {"status": status, "on": on, "status_reason": reason, "merged_into_id": merged_into_id}
        )
        self._merge_enabled()

    def perform(self, values: dict[str, Any]) -> UnionRow:
        clean = UNION_STATUS_CHANGE.clean(values)
        merged = clean["merged_into_id"] if clean["status"] == "合并" else None
        return unions_svc.change_union_status(
            self.ctx.db,
            self.ctx.user,
            self.union.id,
            clean["status"],
            clean["on"],
            clean["status_reason"] or "",
            merged_into_id=int(merged) if merged else None,
        )


class StatusHistoryDialog(QDialog):
    def __init__(self, name: str, events: list[StatusEvent], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — {name}的状态记录")
        self.resize(620, 300)
        layout = QVBoxLayout(self)
        text = (
            f"“{name}”的状态变化（共{len(events)}条）："
            if events
            else f"“{name}”没有状态变化记录。"
        )
        layout.addWidget(QLabel(text))
        self.table = make_table(["状态", "日期", "原因", "经办人"])
        self.table.setObjectName("statusHistoryTable")
        fill_table(
            self.table,
            [(e.status, f"{e.on:%Y-%m-%d}", e.reason or "", e.by or "") for e in events],
        )
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class UnionsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("unionsTab")
        self.can_write = ctx.user.can(WRITE)
        self.unions: list[UnionRow] = []
        self.by_id: dict[int, UnionRow] = {}
        self.ordered: list[tuple[UnionRow, int]] = []
        self.current: UnionRow | None = None
        self.new_parent: int | None = None  # set while a new union is being entered
        self._loaded: dict[str, Any] = {}
        self.job: Job | None = None

        layout = tab_layout(self)
        top = QHBoxLayout()
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("unionSearch")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText("查找工会：输入名称中的字  Ctrl+F")
        self.filter_edit.textChanged.connect(self.apply_filter)
        top.addWidget(self.filter_edit, 2)
        self.count_label = QLabel()
        self.count_label.setObjectName("unionCount")
        top.addWidget(self.count_label, 3)
        self.export_button = QPushButton("导出名录…")
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip("全部工会的名录（含上级工会、会员数）导出为 Excel")
        self.export_button.clicked.connect(lambda _c=False: self.export_directory())
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.guide = EmptyGuide("unionGuide", "新增下级工会", self._add_first_union)
        layout.addWidget(self.guide)

        self.splitter = list_and_panel(self._build_tree(), self._build_panel(), (640, 600))
        layout.addWidget(self.splitter, 1)
        self.reload()
        self._loaded = self.form.values()
        first = self.proxy.index(0, 0)
        if first.isValid():
            self.tree.setCurrentIndex(first)

    # -- building ---------------------------------------------------------------------
    def _build_tree(self) -> QWidget:
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.tree = QTreeView()
        self.tree.setObjectName("unionTree")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        char = self.tree.fontMetrics().horizontalAdvance("工")
        for col, chars in ((1, 5), (2, 5), (3, 4)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.tree.setColumnWidth(col, chars * char + 16)
        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        return self.tree

    def _build_panel(self) -> QWidget:
        panel = QFrame()
        panel.setMinimumWidth(420)
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
        self.status_label = QLabel()
        self.status_label.setObjectName("unionStatus")
        self.status_label.setWordWrap(True)
        outer.addWidget(self.status_label)
        self.reminder_label = QLabel()
        self.reminder_label.setObjectName("electionReminder")
        self.reminder_label.setWordWrap(True)
        outer.addWidget(self.reminder_label)

        self.form = FormWidget(UNION, choices={"parent": []}, db=self.ctx.db)
        self.form.setObjectName("unionForm")
        self.form.submitted.connect(self.save)
        parent_combo = self.parent_combo
        make_searchable(parent_combo)
        parent_combo.setMinimumContentsLength(12)
        parent_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.form)
        outer.addWidget(scroll, 1)

        if not self.can_write:
            note = QLabel("当前用户为只读角色：只能查看，不能修改。")
            note.setStyleSheet("color: #555;")
            outer.addWidget(note)
        row = QHBoxLayout()
        self.new_button = self._button("新增下级工会", self.new_child, "newChildButton")
        self.save_button = self._button("保存", self.save, "saveButton")
        self.save_button.setToolTip("保存（Ctrl+S）")
        self.save_button.setDefault(True)
        self.status_button = self._button("变更状态…", self.change_status, "statusButton")
        self.history_button = self._button("状态记录", self.show_status_history, "historyButton")
        for b in (self.new_button, self.save_button, self.status_button, self.history_button):
            row.addWidget(b)
        outer.addLayout(row)
        if not self.can_write:
            self.form.set_read_only(True)
        return panel

    @property
    def parent_combo(self) -> QComboBox:
        combo = self.form.field_widget("parent")
        assert isinstance(combo, QComboBox)
        return combo

    def _button(self, text: str, slot: Any, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- main window hooks ------------------------------------------------------------
    def focus_search(self) -> bool:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()
        return True

    def refresh(self) -> None:
        keep = self.current.id if self.current is not None else None
        dirty = self.is_dirty()
        self.reload()
        if keep is not None:
            if not dirty:
                self.current = None  # show it afresh (counts, status, version)
            self.select_union(keep)

    # -- the tree ---------------------------------------------------------------------
    def reload(self) -> None:
        try:
            self.unions = unions_svc.list_unions(self.ctx.db, self.ctx.user)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取工会")
            return
        self.by_id = {u.id: u for u in self.unions}
        self.ordered = union_tree_order(self.unions)
        root = next((u for u in self.unions if u.parent_id is None), None)
        self.guide.show_step(
            f"本县总工会“{root.name}”已按“单位信息”建立。下一步：按“新增下级工会”添加乡镇（街道）"
            "工会、产业（系统）工会和基层工会；然后到“会员”页导入会员花名册。"
            if root is not None and len(self.unions) == 1 and self.can_write
            else None
        )
        totals = subtree_totals(self.unions)
        grey = QBrush(CLOSED_COLOR)
        row_height = self.tree.fontMetrics().height() + 10
        self.tree.selectionModel().blockSignals(True)
        try:
            self.model.removeRows(0, self.model.rowCount())
            items: dict[int, QStandardItem] = {}
            for u, _depth in self.ordered:
                cells = [
                    QStandardItem(u.name),
                    QStandardItem(f"{u.member_count:,}"),
                    QStandardItem(f"{totals.get(u.id, 0):,}"),
                    QStandardItem(u.status),
                ]
                for c in cells[1:3]:
                    c.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                cells[3].setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                cells[0].setData(u.id, ID_ROLE)
                cells[0].setSizeHint(QSize(0, row_height))
                reminder = u.election_reminder()
                cells[0].setToolTip(f"{u.name}\n{reminder}" if reminder else u.name)
                if u.status != "正常":
                    for c in cells:
                        c.setForeground(grey)
                for c in cells:
                    c.setEditable(False)
                parent = items.get(u.parent_id) if u.parent_id is not None else None
                (parent or self.model.invisibleRootItem()).appendRow(cells)
                items[u.id] = cells[0]
        finally:
            self.tree.selectionModel().blockSignals(False)
        self.tree.expandAll()
        open_count = sum(1 for u in self.unions if u.status == "正常")
        members = sum(u.member_count for u in self.unions)
        self.count_label.setText(
            f"共 {len(self.unions)} 个工会（正常 {open_count} 个），在册会员 {members:,} 人"
        )
        parent_combo = self.parent_combo
        keep = parent_combo.currentData()
        parent_combo.blockSignals(True)
        parent_combo.clear()
        parent_combo.addItem("（无上级，即本县总工会）", "")
        for value, text in union_choices(self.ordered):
            parent_combo.addItem(text, value)
        decorate(parent_combo, self.ordered, first=1)
        index = parent_combo.findData(keep)
        parent_combo.setCurrentIndex(max(index, 0))
        parent_combo.blockSignals(False)
        self.apply_filter(self.filter_edit.text())

    def apply_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.tree.expandAll()

    def _index_of(self, union_id: int) -> QModelIndex:
        matches = self.model.match(
            self.model.index(0, 0), ID_ROLE, union_id, 1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )  # fmt: skip
        return matches[0] if matches else QModelIndex()

    def select_union(self, union_id: int) -> bool:
        source = self._index_of(union_id)
        index = self.proxy.mapFromSource(source) if source.isValid() else QModelIndex()
        if not index.isValid():
            if source.isValid() and self.filter_edit.text():
                self.filter_edit.clear()  # the filter hid it: show everything again
                index = self.proxy.mapFromSource(source)
            if not index.isValid():
                return False
        self.tree.setCurrentIndex(index)
        if self.tree.currentIndex().siblingAtColumn(0).data(ID_ROLE) != union_id:
            return False  # the clerk chose to stay with unsaved changes
        self.tree.scrollTo(index)
        if self.current is None or self.current.id != union_id:
            self.show_union(union_id)
        return True

    def tree_parents(self) -> dict[int, int | None]:
        """union id → the id of its parent in the tree as shown (for checks and tests)."""
        out: dict[int, int | None] = {}

        def walk(item: QStandardItem, parent_id: int | None) -> None:
            for r in range(item.rowCount()):
                child = item.child(r, 0)
                uid = child.data(ID_ROLE)
                out[uid] = parent_id
                walk(child, uid)

        walk(self.model.invisibleRootItem(), None)
        return out

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid():
            return
        uid = self.proxy.index(current.row(), 0, current.parent()).data(ID_ROLE)
        if not isinstance(uid, int) or (self.current is not None and self.current.id == uid):
            return
        if self.is_dirty() and not confirm(
            self, "当前工会的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
        ):
            selection = self.tree.selectionModel()
            selection.blockSignals(True)
            try:  # stay where the clerk was
                if previous.isValid():
                    self.tree.setCurrentIndex(previous)
                else:
                    self.tree.clearSelection()
            finally:
                selection.blockSignals(False)
            return
        self.show_union(uid)

    # -- the form ---------------------------------------------------------------------
    def show_union(self, union_id: int) -> None:
        u = self.by_id.get(union_id)
        if u is None:
            return
        self.current = u
        self.new_parent = None
        values: dict[str, Any] = u.as_dict()
        values["parent"] = u.parent_id
        self.form.set_values(values)
        self.form_title.setText(u.name)
        if u.status == "正常":
            self.status_label.setText(f"状态：正常　　在册会员：{u.member_count:,} 人")
            self.status_label.setStyleSheet("")
        else:
            since = f"，{u.status_date:%Y-%m-%d}" if u.status_date else ""
            why = f"，原因：{u.status_reason}" if u.status_reason else ""
            self.status_label.setText(f"状态：已{u.status}{since}{why}")
            self.status_label.setStyleSheet(f"color: {CLOSED_COLOR.name()};")
        self._show_reminder(u)
        self._update_buttons()
        self._loaded = self.form.values()

    def _show_reminder(self, u: UnionRow | None) -> None:
        reminder = u.election_reminder() if u is not None else None
        due = u.next_election_due if u is not None else None
        if reminder:
            self.reminder_label.setText(f"换届提醒：{reminder}")
            self.reminder_label.setStyleSheet(REMIND_STYLE)
        elif due is not None and u is not None and u.status == "正常":
            self.reminder_label.setText(f"下次换届：{due:%Y年%m月%d日}前")
            self.reminder_label.setStyleSheet(DUE_STYLE)
        else:
            self.reminder_label.setText("")
        self.reminder_label.setVisible(bool(self.reminder_label.text()))

    def _add_first_union(self) -> None:
        root = next((u for u in self.unions if u.parent_id is None), None)
        if root is not None:
            self.select_union(root.id)
        self.new_child()

    def new_child(self, ask: bool = True) -> None:
        if (
            ask
            and self.is_dirty()
            and not confirm(
                self, "当前工会的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
            )
        ):
            return
        parent = self.current
        self.current = None
        self.new_parent = parent.id if parent is not None else None
        self.form.clear()
        self.form.set_values(
            {"parent": self.new_parent, "term_years": unions_svc.DEFAULT_TERM_YEARS}
        )
        where = f"（上级：{parent.name}）" if parent is not None else ""
        self.form_title.setText(f"新增工会{where}")
        self.status_label.setText("填好后按“保存”（Ctrl+S）。")
        self.status_label.setStyleSheet("color: #555;")
        self._show_reminder(None)
        self._update_buttons()
        self._loaded = self.form.values()
        name = self.form.field_widget("name")
        name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_buttons(self) -> None:
        w = self.can_write
        editing = self.current is not None
        self.new_button.setEnabled(w and (self.current is None or self.current.status == "正常"))
        self.save_button.setEnabled(w)
        self.status_button.setEnabled(w and editing)
        self.history_button.setEnabled(editing)

    def is_dirty(self) -> bool:
        return self.can_write and self.form.values() != self._loaded

    def save(self) -> None:
        if not self.can_write:
            self.ctx.notify("当前用户没有修改工会信息的权限")
            return
        if not self.form.validate():
            self.ctx.notify("未保存：请按红字提示修改")
            return
        values = self.form.values()
        parent = values.pop("parent", None)
        values["parent_id"] = int(parent) if parent not in (None, "") else None
        try:
            if self.current is None:
                row = unions_svc.create_union(self.ctx.db, self.ctx.user, values)
            else:
                row = unions_svc.update_union(
                    self.ctx.db, self.ctx.user, self.current.id, values, self.current.version
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
                f"{exc}\n\n你填写的内容还在表单中，没有保存。请重新选中该工会查看最新信息后再修改。",
                "未保存：记录已被他人修改",
            )
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        new = self.current is None
        self._loaded = self.form.values()  # saved: nothing to lose when the tree reselects
        self.ctx.notify(f"已新建工会 {row.name}" if new else f"已保存 {row.name}")
        self.ctx.changed.emit("unions")
        self.current = None
        self.reload()
        self.select_union(row.id)

    # -- status -----------------------------------------------------------------------
    def status_dialog(self) -> UnionStatusDialog | None:
        if self.current is None:
            self.ctx.notify("请先在左边选中一个工会")
            return None
        return UnionStatusDialog(self.ctx, self.current, self.ordered, self)

    def change_status(self) -> None:
        dialog = self.status_dialog()
        if dialog is None or not dialog.exec():
            return
        self.after_status_change(dialog.result_value)

    def after_status_change(self, row: UnionRow) -> None:
        self._loaded = self.form.values()
        self.ctx.notify(f"“{row.name}”的状态已改为“{row.status}”")
        self.ctx.changed.emit("unions")
        self.current = None
        self.reload()
        self.select_union(row.id)

    def show_status_history(self) -> None:
        if self.current is None:
            return
        try:
            events = unions_svc.status_history(self.ctx.db, self.ctx.user, self.current.id)
        except UnionsDeskError as exc:
            show_error(self, exc)
            return
        StatusHistoryDialog(self.current.name, events, self).exec()

    # -- export -----------------------------------------------------------------------
    def export_directory(self, path: Path | None = None) -> Job | None:
        if path is None:
            path = ask_save_xlsx(
                self,
                "导出基层工会名录",
                f"基层工会名录-{date.today():%Y%m%d}.xlsx",
                "unions_export",
            )
        if path is None:
            return None
        from unionsdesk.excel.writer import write_table
        from unionsdesk.services.common.office import get_office
        from unionsdesk.services.members.member_io import union_table

        db, user = self.ctx.db, self.ctx.user
        target = path

        def work(control: JobControl) -> int:
            try:
                office = get_office(db).name
            except UnionsDeskError:
                office = ""
            table = union_table(db, user, office)
            write_table(target, table, "基层工会名录", cancelled=lambda: control.cancelled)
            return len(table.rows)

        def done(count: int) -> None:
            self.ctx.notify(f"已导出 {count} 个工会到 {target}")
            show_info(self, f"已导出 {count} 个工会的名录：\n{target}", "导出完成")

        self.job = run_job(self, "正在导出基层工会名录……", work, done, cancellable=True)
        return self.job
