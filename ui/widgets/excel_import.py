"""The steps of an Excel import, shared by the 会员, 困难职工 and 帮扶慰问 tabs.

`ImportPreviewDialog` shows what the import will read — the header row, the
first rows under a drop-down per column choosing its field, the counts — and
remembers a mapping the clerk corrects, per layout; `ImportDialog` adds which
union the file is for (会员 and 困难职工). `ExcelImport` then runs the import off
the GUI thread with 取消 (optionally a dry run first, whose warnings the clerk
confirms before anything is written, as the 互助保障 参保名单 does) and shows
`ImportResultDialog`, with 保存错误清单… and 只导入正确的行."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any
from weakref import WeakMethod

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from unionsdesk import APP_TITLE
from unionsdesk.errors import Cancelled, UnionsDeskError
from unionsdesk.excel.preview import (
    MATCH_CLERK,
    MATCH_NAMES,
    MATCH_REMEMBERED,
    ImportPreview,
    PreviewColumn,
)
from unionsdesk.excel.reader import column_letter
from unionsdesk.fields import MEMBER_IMPORT, EntitySpec
from unionsdesk.services.members.member_import import ImportResult
from unionsdesk.services.members.unions import UnionRow

from ..context import AppContext
from ..messages import show_error, show_info
from ..workers import Job, JobControl, run_job
from ..workers import start as start_job
from .basics import error_label
from .file_dialogs import ask_save_xlsx
from .union_picker import UnionPicker

# An importer call for `ExcelImport`: (path, skip_invalid, control) → its result.
ImportRun = Callable[[Path, bool, JobControl], ImportResult]
# Asked on the GUI thread with the result of a dry run: write the rows?
ImportConfirm = Callable[[ImportResult], bool]

MEMBER_NOTE = (
    "导入前先检查全部行：只要有一行有错，就一行也不写入——可以保存错误清单，"
    "改好后再导入，或选择“只导入正确的行”。\n"
    "已在本工会名册的人自动跳过；已在其他工会在册的人不会被自动转会，会列在结果中。"
)
NOT_IMPORTED = "不导入"
REMEMBERED_TEXT = "已使用上次确认的列对应"
MAPPING_HINT = (
    "请核对每一列对应的字段：不对的在该列上方的下拉框中改选，不需要的列选“不导入”。"
    "标 * 的字段必须有对应的列。原表头底色：黄色为手工改选，蓝色为上次确认，红色为重复。"
)
# Header-cell colours by how the column was matched (the tooltip says it in words).
MATCH_COLORS = {MATCH_REMEMBERED: "#dcebfb", MATCH_CLERK: "#fff1c2"}
AMBIGUOUS_COLOR = "#f8c9c9"
UNMAPPED_COLOR = "#9e9e9e"
COLUMN_MAX_PX = 260


def _spaced(text: str) -> str:
    """Rich text with some room between wrapped lines (the CJK font has no leading)."""
    body = html.escape(text).replace("\n", "<br>")
    return f'<div style="line-height: 125%;">{body}</div>'


def _call(method: WeakMethod[Callable[[Any], None]], value: object) -> None:
    bound = method()
    if bound is not None:
        bound(value)


class ColumnMappingTable(QTableWidget):
    """The first data rows of a sheet under two header rows: a drop-down per column
    choosing the field it feeds (or 不导入), then the column's header as written.

    ``field_chosen(column, name)`` when the clerk picks in a drop-down."""

    field_chosen = Signal(int, object)  # 0-based column, field name or None
    COMBO_ROW, HEADER_ROW, FIRST_DATA_ROW = 0, 1, 2

    def __init__(self, spec: EntitySpec, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.spec = spec
        self.setObjectName("mappingTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.setAlternatingRowColors(False)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        height = self.fontMetrics().height()
        self.verticalHeader().setDefaultSectionSize(height + 12)
        self.verticalHeader().setHighlightSections(False)
        self.combos: list[QComboBox] = []

    def combo(self, column: int) -> QComboBox:
        return self.combos[column]

    def show_preview(self, preview: ImportPreview) -> None:
        """Show ``preview``; the table only grows, so a drop-down the clerk is using
        is never deleted under them."""
        width = max(len(preview.columns), self.columnCount())
        self.setUpdatesEnabled(False)
        try:
            first = not self.combos
            self.setColumnCount(width)
            self.setRowCount(self.FIRST_DATA_ROW + len(preview.rows))
            self.setHorizontalHeaderLabels([column_letter(c) for c in range(width)])
            self.setVerticalHeaderLabels(
                ["对应字段", "原表头", *(f"第{number}行" for number, _cells in preview.rows)]
            )
            while len(self.combos) < width:
                self._add_combo(len(self.combos))
            by_index = {c.index: c for c in preview.columns}
            for c in range(width):
                self._show_column(c, by_index.get(c), preview)
            if first:
                self.resizeColumnsToContents()
            for c in range(width):
                self._fit_combo(c, first)
        finally:
            self.setUpdatesEnabled(True)

    def _add_combo(self, column: int) -> None:
        combo = QComboBox()
        combo.setObjectName(f"fieldCombo{column}")
        combo.addItem(NOT_IMPORTED, None)
        for f in self.spec.fields:
            combo.addItem(f"{f.label} *" if f.required else f.label, f.name)
        # Narrow in the table (the column fits the chosen label), full width when open.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(4)
        combo.setMaxVisibleItems(len(self.spec.fields) + 1)
        view = combo.view()
        view.setMinimumWidth(view.sizeHintForColumn(0) + 32)
        combo.activated.connect(lambda i, c=column, box=combo: self.field_chosen.emit(c, box.itemData(i)))  # fmt: skip
        self.setCellWidget(self.COMBO_ROW, column, combo)
        self.combos.append(combo)

    def _show_column(self, c: int, column: PreviewColumn | None, preview: ImportPreview) -> None:
        combo = self.combos[c]
        name = column.field if column is not None else None
        combo.blockSignals(True)
        try:
            combo.setCurrentIndex(max(0, combo.findData(name)) if name is not None else 0)
        finally:
            combo.blockSignals(False)
        header = QTableWidgetItem(column.header if column is not None else "")
        font = QFont(header.font())
        font.setBold(True)
        header.setFont(font)
        tip = self._tooltip(column)
        header.setToolTip(tip)
        combo.setToolTip(tip)
        if column is not None and column.ambiguous:
            header.setBackground(QColor(AMBIGUOUS_COLOR))
        elif column is not None and column.matched_by in MATCH_COLORS:
            header.setBackground(QColor(MATCH_COLORS[column.matched_by]))
        self.setItem(self.HEADER_ROW, c, header)
        grey = QColor(UNMAPPED_COLOR)
        for r, (_number, cells) in enumerate(preview.rows):
            item = QTableWidgetItem(cells[c] if c < len(cells) else "")
            if name is None:
                item.setForeground(grey)
            self.setItem(self.FIRST_DATA_ROW + r, c, item)

    def _tooltip(self, column: PreviewColumn | None) -> str:
        if column is None or column.field is None:
            return "这一列不导入"
        how = MATCH_NAMES.get(column.matched_by or "", "")
        text = f"导入为“{column.label}”" + (f"（{how}）" if how else "")
        if column.ambiguous:
            text += "；另有一列也对应这个字段，请把多余的列改为“不导入”"
        return text

    def _fit_combo(self, c: int, first: bool) -> None:
        """Widen column ``c`` so its drop-down shows the chosen label in full."""
        combo = self.combos[c]
        wanted = combo.fontMetrics().horizontalAdvance(combo.currentText()) + 40
        if first:
            wanted = max(wanted, self.columnWidth(c) + 12)
        if wanted > self.columnWidth(c):
            self.setColumnWidth(c, min(wanted, COLUMN_MAX_PX))


class ImportPreviewDialog(QDialog):
    """The preview step of an Excel import, for any FieldSpec entity.

    Reads the file off the GUI thread (`services.import_mappings.preview_import`,
    which applies the mapping remembered for the file's layout), then shows the
    sheet, the header row, the first rows under a drop-down per column, the
    counts and what stops the import (required fields without a column, two
    columns for one field). 开始导入 is disabled while anything does; pressed
    while the file is still being read, the dialog accepts as soon as it is
    read and fine. On accepting, a mapping the clerk changed is remembered for
    the layout. ``columns()`` is what to pass to the importer's ``columns=``.

    ``target`` adds a row to the form under 文件/工作表 (ImportDialog: 导入到)."""

    preview_shown = Signal(object)  # the ImportPreview, whenever it changes

    def __init__(
        self,
        path: Path,
        spec: EntitySpec,
        parent: QWidget | None = None,
        *,
        ctx: AppContext | None = None,
        title: str = "导入",
        note: str = "",
        target: tuple[str, QWidget] | None = None,
    ) -> None:
        super().__init__(parent)
        if ctx is None:
            found = getattr(parent, "ctx", None)
            ctx = found if isinstance(found, AppContext) else None
        self.ctx = ctx
        self.path = Path(path)
        self.spec = spec
        self.preview: ImportPreview | None = None
        self.load_error: BaseException | None = None
        self.remembered_used = False
        self._initial: dict[str, int | None] | None = None
        self._accept_when_ready = False
        self._closed = False
        self.setWindowTitle(f"{APP_TITLE} — {title}")
        self.setMinimumWidth(720)
        self.resize(1120, 660)

        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        file_label = QLabel(self.path.name)
        file_label.setToolTip(str(self.path))
        file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("文件：", file_label)
        self.sheet_label = QLabel("正在读取……")
        self.sheet_label.setObjectName("sheetLabel")
        form.addRow("工作表：", self.sheet_label)
        if target is not None:
            form.addRow(*target)
        layout.addLayout(form)

        self.remembered_label = QLabel(REMEMBERED_TEXT)
        self.remembered_label.setObjectName("rememberedLabel")
        self.remembered_label.setStyleSheet("color: #1565c0;")
        self.remembered_label.hide()
        layout.addWidget(self.remembered_label)
        self.hint = QLabel(_spaced(MAPPING_HINT))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        layout.addWidget(self.hint)

        self.table = ColumnMappingTable(spec)
        self.table.field_chosen.connect(self.choose_field)
        layout.addWidget(self.table, 1)
        self.counts_label = QLabel(f"正在读取“{self.path.name}”……")
        self.counts_label.setObjectName("countsLabel")
        self.counts_label.setWordWrap(True)
        layout.addWidget(self.counts_label)
        self.change_label = QLabel("")
        self.change_label.setObjectName("changeLabel")
        self.change_label.setStyleSheet("color: #555;")
        self.change_label.hide()
        layout.addWidget(self.change_label)
        self.problems_label = error_label("problemsLabel")
        layout.addWidget(self.problems_label)
        if note:
            self.note = QLabel(_spaced(note))
            self.note.setWordWrap(True)
            self.note.setStyleSheet("color: #555;")
            layout.addWidget(self.note)

        buttons = QDialogButtonBox()
        ok = QPushButton("开始导入")
        ok.setObjectName("okButton")
        self.ok_button = ok
        buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ok.setDefault(True)
        ok.setFocus()
        self._load()

    # -- reading ----------------------------------------------------------------------
    def _load(self) -> None:
        db = self.ctx.db if self.ctx is not None else None
        path, spec = self.path, self.spec

        def work(_control: JobControl) -> ImportPreview:
            if db is None:
                from unionsdesk.excel.preview import preview

                return preview(path, spec)
            from unionsdesk.services.common.import_mappings import preview_import

            return preview_import(db, path, spec)

        # The job refers to the dialog only weakly. After exec() PySide hands the dialog
        # to Python; were it in a reference cycle (dialog → job → its callbacks →
        # dialog), the cyclic garbage collector would delete it on whatever thread it
        # happens to run in — a worker's, which crashes. The job is the dialog's child,
        # as every job has a parent: closing the dialog early drops the job with it.
        loaded, failed = WeakMethod(self._loaded), WeakMethod(self._load_failed)
        self.job = Job(work, lambda p: _call(loaded, p), lambda e: _call(failed, e), self)
        start_job(self.job)

    def _loaded(self, preview: ImportPreview) -> None:
        if not isValid(self) or self._closed:
            preview.release()
            return
        self._initial = preview.mapping()
        self.remembered_used = preview.applied == MATCH_REMEMBERED
        self.remembered_label.setVisible(self.remembered_used)
        found = "" if preview.header_found else "（没有找到与模板一致的列名，已把这一行当作表头）"
        self.sheet_label.setText(f"“{preview.sheet}”，表头在{preview.header_text()}{found}")
        self._set_preview(preview)
        if self._accept_when_ready:
            self._accept_when_ready = False
            self.accept()

    def _load_failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self.load_error = exc
        self._accept_when_ready = False
        text = str(exc) if isinstance(exc, UnionsDeskError) else f"无法读取文件：{exc}"
        self.sheet_label.setText("")
        self.counts_label.setText("")
        self.table.hide()
        self.hint.hide()
        self._show_problems([text])

    # -- mapping ----------------------------------------------------------------------
    def choose_field(self, column: int, name: str | None) -> None:
        """Column ``column`` feeds field ``name`` (None: 不导入). A field taken from
        another column moves here: that column becomes 不导入."""
        p = self.preview
        if p is None or self._closed:
            return
        assign = {c.index: c.field for c in p.columns if c.field is not None}
        assign.pop(column, None)
        moved: list[int] = []
        if name is not None:
            for c, f in list(assign.items()):
                if f == name:
                    del assign[c]
                    moved.append(c)
            assign[column] = name
        uses = Counter(assign.values())
        columns: dict[str, int | None] = {f.name: None for f in self.spec.fields}
        for c, f in assign.items():
            if uses[f] == 1:
                columns[f] = c
            else:
                columns.pop(f, None)  # still two columns, as in the header: stays an error
        self._set_preview(p.remap(columns))
        if moved and name is not None:
            was = "、".join(f"{column_letter(c)}列" for c in moved)
            self.change_label.setText(
                f"“{self.spec[name].label}”改由{column_letter(column)}列导入，{was}改为“不导入”。"
            )
            self.change_label.show()
        else:
            self.change_label.hide()

    def _set_preview(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.table.show_preview(preview)
        self.counts_label.setText(preview.counts_text())
        self._refresh_problems()
        self.preview_shown.emit(preview)

    def extra_problems(self) -> list[str]:
        """What else stops the import (ImportDialog: no union and no union column)."""
        return []

    def problems(self) -> list[str]:
        if self.load_error is not None:
            return [str(self.load_error)]
        if self.preview is None:
            return []
        return [*self.preview.problems(), *self.extra_problems()]

    def _refresh_problems(self) -> None:
        if self.preview is not None:
            self._show_problems(self.problems())

    def _show_problems(self, problems: Sequence[str]) -> None:
        text = "\n".join(f"· {p}" for p in problems)
        self.problems_label.setText(_spaced(f"不能开始导入：\n{text}") if problems else "")
        self.problems_label.setVisible(bool(problems))
        was_enabled = self.ok_button.isEnabled()
        self.ok_button.setEnabled(not problems)
        self.ok_button.setToolTip("\n".join(problems))
        focus = self.focusWidget()
        if not problems and not was_enabled and isinstance(focus, QPushButton):
            self.ok_button.setFocus()  # disabling it had moved the focus to 取消: Enter starts

    def columns(self) -> dict[str, int | None] | None:
        """The mapping for the importer's ``columns=``; None when the header alone
        gives it (or the file has not been read)."""
        p = self.preview
        if p is None or not p.changed:
            return None
        return p.mapping()

    # -- accepting --------------------------------------------------------------------
    def accept(self) -> None:
        if self.preview is None:
            if self.load_error is None:  # still reading: go on once it is read and fine
                self._accept_when_ready = True
                self.counts_label.setText(f"正在读取“{self.path.name}”，读取完成后开始导入……")
            return
        if self.problems():
            return
        self._remember()
        super().accept()

    def done(self, result: int) -> None:
        """Closing lets go of the sheet's rows (the dialog object outlives exec())."""
        self._closed = True
        super().done(result)
        if self.preview is not None:
            self.preview.release()

    def _remember(self) -> None:
        p, ctx = self.preview, self.ctx
        if p is None or ctx is None or self._initial is None:
            return
        mapping = p.mapping()
        if mapping == self._initial:
            return
        from unionsdesk.services.common.import_mappings import remember

        try:
            remember(ctx.db, ctx.user, self.spec, p.signature, mapping)
        except UnionsDeskError as exc:  # the import itself does not depend on it
            ctx.notify(f"未能记住这次的列对应：{exc}")
        else:
            ctx.notify("已记住这次的列对应，同样格式的表下次自动使用")


class ImportDialog(ImportPreviewDialog):
    """Step 1 of 导入花名册 / 导入困难职工档案: the preview (see `ImportPreviewDialog`)
    and which union the file is for (or a column of the sheet says so)."""

    def __init__(
        self,
        path: Path,
        unions: Sequence[UnionRow],
        default_union: int | None,
        parent: QWidget | None = None,
        *,
        title: str = "导入花名册",
        column: str = "工作单位",
        note: str = MEMBER_NOTE,
        spec: EntitySpec = MEMBER_IMPORT,
        ctx: AppContext | None = None,
    ) -> None:
        picker = UnionPicker(all_text=f"按表中“{column}”列对应工会")
        picker.set_unions(unions, only_open=True)
        picker.set_union_id(default_union)
        super().__init__(
            path, spec, parent, ctx=ctx, title=title, note=note, target=("导入到：", picker)
        )
        self.column = column
        self.union = picker
        picker.currentIndexChanged.connect(lambda _i: self._refresh_problems())

    def union_id(self) -> int | None:
        return self.union.union_id()

    def extra_problems(self) -> list[str]:
        p = self.preview
        if p is None or "union" not in self.spec.by_name or self.union_id() is not None:
            return []
        if p.column_of("union") is not None:
            return []
        return [
            f"表中没有“{self.column}”列：请在“导入到”中选择工会，"
            f"或在表中指定哪一列是“{self.spec['union'].label}”"
        ]


class ImportResultDialog(QDialog):
    """Step 2: what happened; offers the error list and 只导入正确的行.

    ``unit`` completes the headline 已导入 N …: 名会员, 行发放明细, 户困难职工档案."""

    save_errors = Signal()
    import_valid = Signal()

    def __init__(
        self, result: ImportResult, parent: QWidget | None = None, *, unit: str = "名会员"
    ) -> None:
        super().__init__(parent)
        self.import_result = result
        ok = result.written and not result.errors and not result.transfer_candidates
        self.setWindowTitle(f"{APP_TITLE} — 导入结果")
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        if result.written:
            head = f"已导入 {result.imported} {unit}。"
        else:
            head = "文件中有错误的行，本次没有写入任何数据。"
        self.headline = QLabel(head)
        self.headline.setObjectName("importHeadline")
        bold = QFont(self.headline.font())
        bold.setBold(True)
        self.headline.setFont(bold)
        self.headline.setStyleSheet("" if result.written else "color: #c62828;")
        layout.addWidget(self.headline)
        self.summary = QPlainTextEdit("\n".join(result.summary_lines()))
        self.summary.setObjectName("importSummary")
        self.summary.setReadOnly(True)
        layout.addWidget(self.summary, 1)
        buttons = QDialogButtonBox()
        # Both optional buttons have the dialog as parent even when not offered:
        # unparented, PySide leaves them to Python's garbage collector, which may
        # delete them on a worker thread.
        self.save_errors_button = QPushButton("保存错误清单…", self)
        self.save_errors_button.setObjectName("saveErrorsButton")
        self.save_errors_button.clicked.connect(self.save_errors)
        self.import_valid_button = QPushButton(f"只导入正确的行（{result.ready}行）", self)
        self.import_valid_button.setObjectName("importValidButton")
        self.import_valid_button.clicked.connect(self._import_valid)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        if not ok and (result.errors or result.transfer_candidates):
            buttons.addButton(self.save_errors_button, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            self.save_errors_button.hide()
        if not result.written and result.ready > 0:
            buttons.addButton(self.import_valid_button, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            self.import_valid_button.hide()
        buttons.addButton(close, QDialogButtonBox.ButtonRole.AcceptRole)
        layout.addWidget(buttons)
        close.setDefault(True)

    def _import_valid(self) -> None:
        self.accept()
        self.import_valid.emit()


class ExcelImport(QObject):
    """The Excel import of a tab, made once with the tab: ``start(path, run)`` calls
    ``run(path, skip_invalid, control)`` (the service call) on a worker thread →
    `ImportResultDialog`, whose 保存错误清单… writes the error workbook and
    只导入正确的行 calls ``run`` again with ``skip_invalid``.

    ``written`` gives the result when rows were written (refresh, ``ctx.changed``).
    ``job`` is the last job started and ``result_dialog`` the dialog showing its
    result (None until then), for tests to wait on."""

    written = Signal(object)

    def __init__(
        self,
        owner: QWidget,
        ctx: AppContext,
        *,
        unit: str,
        file_kind: str,
        folder_key: str,
    ) -> None:
        super().__init__(owner)
        self.ctx = ctx
        self.unit = unit  # 名会员, 行发放明细, …
        self.file_kind = file_kind  # 花名册, 发放名单, …
        self.folder_key = folder_key
        self.job: Job | None = None
        self.result_dialog: ImportResultDialog | None = None

    @property
    def owner(self) -> QWidget:
        """The tab: the QObject parent, not an attribute, so that the importer and
        the tab are no reference cycle left to Python's garbage collector (which runs
        on whatever thread allocates, a worker's too; Qt objects must die on theirs)."""
        parent = self.parent()
        assert isinstance(parent, QWidget)
        return parent

    def start(
        self,
        path: Path,
        run: ImportRun,
        *,
        skip_invalid: bool = False,
        check: ImportRun | None = None,
        confirm: ImportConfirm | None = None,
    ) -> Job:
        """Run ``run``; with ``check`` (the same import as a dry run) and ``confirm``,
        the check runs first: rows with errors show the result dialog as a failed
        import does (nothing was written; 只导入正确的行 checks again, skipping them),
        otherwise ``confirm(result)`` decides whether ``run`` writes."""
        again = partial(self.start, path, run, skip_invalid=True, check=check, confirm=confirm)
        if check is None or confirm is None:
            return self._run(path, run, skip_invalid, again)

        def checked(result: ImportResult) -> None:
            if confirm(result):
                self.start(path, run, skip_invalid=skip_invalid)
            else:
                self.ctx.notify(f"未导入“{path.name}”：数据库未做任何改动")

        return self._run(path, check, skip_invalid, again, checked)

    def _run(
        self,
        path: Path,
        run: ImportRun,
        skip_invalid: bool,
        again: Callable[[], Job],
        checked: Callable[[ImportResult], None] | None = None,
    ) -> Job:
        def work(control: JobControl) -> ImportResult:
            return run(path, skip_invalid, control)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self.ctx.notify(str(exc))
                show_info(self.owner, str(exc), "已取消")
            else:
                show_error(self.owner, exc, "导入未完成")

        def done(result: ImportResult) -> None:
            stop = job.control.cancelled or (result.errors and not skip_invalid)
            if checked is not None and not stop:
                checked(result)  # the dry run passed: the clerk decides
            else:
                self._done(result, path, again, job)

        text = f"正在检查“{path.name}”的每一行……"
        self.result_dialog = None
        job = run_job(self.owner, text, work, done, on_error=failed, cancellable=True)
        self.job = job
        return job

    def _done(self, result: ImportResult, path: Path, again: Callable[[], Job], job: Job) -> None:
        if job.control.cancelled and not result.written:
            message = "已取消导入，数据库未做任何改动"
            self.ctx.notify(message)
            show_info(self.owner, message, "已取消")
            return
        if result.written and result.imported:
            self.written.emit(result)
        self.ctx.notify(
            f"导入“{path.name}”：导入{result.imported}{self.unit}，错误{result.invalid}行"
        )
        dialog = ImportResultDialog(result, self.owner, unit=self.unit)
        dialog.save_errors.connect(lambda: self.save_errors(result))
        dialog.import_valid.connect(again)
        self.result_dialog = dialog
        dialog.open()

    def save_errors(self, result: ImportResult, path: Path | None = None) -> Path | None:
        if path is None:
            stem = Path(result.file_name).stem
            path = ask_save_xlsx(
                self.owner, "保存错误清单", f"{stem}-错误清单.xlsx", self.folder_key
            )
        if path is None:
            return None
        try:
            result.write_error_workbook(path)
        except UnionsDeskError as exc:
            show_error(self.owner, exc, "错误清单未保存")
            return None
        self.ctx.notify(f"错误清单已保存到 {path}")
        text = f"错误清单已保存：\n{path}\n\n改好后可以再次导入这份{self.file_kind}。"
        show_info(self.owner, text, "已保存")
        return path
