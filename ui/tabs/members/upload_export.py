"""导出上报表: the data-quality report of an upload, then the upload file(s).

The 会员 tab runs ``upstream_export.check_members_hainan`` in the background
and opens `UploadCheckDialog` with what it found: one headline, the problems
counted by kind, and every problem row (a lazy model: the demo county has
70 000 of them). Choosing a kind above narrows the rows below; a double-click
on a row asks the tab to show that member (``member_chosen``). 导出… writes
the files with ``export_members_hainan`` in the background (with 取消) and
tells the clerk where the files and the problem list went.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import Cancelled
from unionsdesk.services.common.base import PERMISSION_NAMES, PII
from unionsdesk.services.members.upstream_export import (
    ROWS_PER_FILE,
    HainanExportResult,
    UploadCheck,
    UploadProblem,
)

from ...context import AppContext
from ...messages import show_error, show_info
from ...widgets.file_dialogs import ask_save_xlsx, safe_file_name
from ...widgets.lazy_table import LazyColumn, LazyTableModel, configure_view
from ...widgets.notes import note_label
from ...widgets.table import fill_table, make_table, row_data, select_row
from ...workers import Job, JobControl, run_job

LAYOUT_NAME = "海南"
FOLDER_KEY = "members_upload"
REJECTED_COLOR = QColor("#c62828")
ALL = "*all"
REJECTED_ONLY = "*rejected"
GROUP = "group:"  # + the index of a kind of problem in ``UploadCheckDialog.groups``
FILES_SHOWN = 8
GROUP_ROWS_SHOWN = 8  # kinds of problem shown without scrolling  # file names listed in the message after an export


def group_key(index: int) -> str:
    return f"{GROUP}{index}"


def export_refusal(ctx: AppContext) -> str | None:
    """Why this clerk may not write upload files, or None when they may."""
    if ctx.user.can(PII):
        return None
    return (
        f"上报文件含完整的身份证号和手机号，当前用户“{ctx.user.display_name}”"
        f"（{ctx.user.role_name}）没有“{PERMISSION_NAMES[PII]}”的权限，不能导出"
    )


def run_check(
    owner: QWidget, ctx: AppContext, union_id: int | None, on_done: Any, on_error: Any
) -> Job:
    """``check_members_hainan`` behind a busy dialog with 取消."""
    from unionsdesk.services.members.upstream_export import check_members_hainan

    db, user = ctx.db, ctx.user

    def work(control: JobControl) -> UploadCheck:
        def progress(done: int, total: int) -> None:
            control.progress(done, total, f"正在检查会员数据：{done:,} / {total:,} 人")

        return check_members_hainan(
            db, user, union_id=union_id, progress=progress,
            cancelled=lambda: control.cancelled,
        )  # fmt: skip

    return run_job(
        owner, "正在按上级系统的要求检查会员数据……", work, on_done,
        on_error=on_error, cancellable=True,
    )  # fmt: skip


@dataclass(frozen=True)
class _Line:
    """One problem as a row of the lazy model (its position in the check is the id)."""

    index: int
    problem: UploadProblem


class ProblemModel(LazyTableModel[_Line]):
    """The check's problems; rows the upper system refuses are red."""

    def __init__(self, problems: Sequence[UploadProblem], parent: Any = None) -> None:
        self.problems = list(problems)
        columns: list[LazyColumn[_Line]] = [
            LazyColumn("姓名", lambda r: r.problem.name, 8),
            LazyColumn("身份证号", lambda r: r.problem.id_masked, sample="3608**********123X"),
            LazyColumn("所在工会", lambda r: r.problem.union, 26),
            LazyColumn("列", lambda r: r.problem.column, 10),
            LazyColumn("值", lambda r: r.problem.value, 14),
            LazyColumn("问题", lambda r: r.problem.problem, 40),
            LazyColumn("级别", lambda r: r.problem.level, sample="需核对"),
        ]
        super().__init__(columns, self._fetch_lines, key=lambda r: r.index, parent=parent)
        self._red = QBrush(REJECTED_COLOR)

    def _fetch_lines(self, ids: Sequence[Hashable]) -> list[_Line]:
        return [_Line(i, self.problems[i]) for i in ids if isinstance(i, int)]

    def problem_at(self, row: int) -> UploadProblem | None:
        i = self.id_at(row)
        return self.problems[i] if isinstance(i, int) else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            p = self.problem_at(index.row())
            return self._red if p is not None and p.rejected else None
        return super().data(index, role)


class UploadCheckDialog(QDialog):
    """What the upper system would refuse or misread, before the files are written."""

    member_chosen = Signal(int)  # a membership id: the tab selects it (and closes us)
    exported = Signal(object)  # the HainanExportResult

    def __init__(
        self,
        ctx: AppContext,
        check: UploadCheck,
        union_id: int | None,
        scope_name: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.check = check
        self.union_id = union_id
        self.scope_name = scope_name  # None: every union
        self.job: Job | None = None
        self.result_value: HainanExportResult | None = None
        self.setObjectName("uploadCheckDialog")
        self.setWindowTitle(f"{APP_TITLE} — 导出上报表（{check.layout}）")
        self.resize(1180, 720)
        layout = QVBoxLayout(self)

        scope = f"“{scope_name}”及其下级工会" if scope_name else "全部工会"
        self.scope_label = QLabel(
            f"上报格式：{check.layout}（工作表“会员信息”）　范围：{scope}的在册会员，"
            f"共 {check.members:,} 人"
        )
        self.scope_label.setObjectName("uploadScope")
        self.scope_label.setWordWrap(True)
        layout.addWidget(self.scope_label)

        self.headline = QLabel(self._headline())
        self.headline.setObjectName("uploadHeadline")
        self.headline.setWordWrap(True)
        bold = QFont(self.headline.font())
        bold.setBold(True)
        self.headline.setFont(bold)
        if check.rejected_rows:
            self.headline.setStyleSheet(f"color: {REJECTED_COLOR.name()};")
        layout.addWidget(self.headline)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_groups())
        splitter.addWidget(self._build_rows())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        shown = min(max(len(self.groups), 1), GROUP_ROWS_SHOWN)
        rows = self.group_table.verticalHeader().defaultSectionSize()
        top = (shown + 1) * rows + self.group_table.frameWidth() * 2 + rows + 8
        splitter.setSizes([top, 720 - top])
        layout.addWidget(splitter, 1)
        splitter.setVisible(bool(check.problems))

        note = note_label(
            "说明：“拒收”表示上级系统导入时会拒绝该行；“需核对”表示不在上级系统的下拉选项中或未填写。"
            "双击一行可在会员列表中选中此人进行修改，改好后重新导出。有问题也可以先导出，"
            "问题清单会保存在上报文件旁边。"
        )
        note.setObjectName("uploadNote")
        layout.addWidget(note)

        bottom = QHBoxLayout()
        self.per_union = QCheckBox("每个工会单独一个文件")
        self.per_union.setObjectName("perUnionCheck")
        self.per_union.setToolTip(
            "上级系统上传时一次只导入到一个组织，按工会分开便于逐个上传；"
            f"不勾选时全部会员在一个文件中（超过 {ROWS_PER_FILE:,} 人时自动分成几个文件）"
        )
        bottom.addWidget(self.per_union)
        bottom.addStretch(1)
        buttons = QDialogButtonBox()
        self.export_button = QPushButton("导出…")
        self.export_button.setObjectName("uploadExportButton")
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        close = QPushButton("关闭")
        close.setObjectName("closeButton")
        close.clicked.connect(self.reject)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        why = export_refusal(ctx)
        if why is None and check.members == 0:
            why = "所选范围内没有在册会员"
        self.export_button.setEnabled(why is None)
        self.export_button.setToolTip(why or "选择保存位置，写出上报文件和问题清单")
        (self.export_button if why is None else close).setDefault(True)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _headline(self) -> str:
        c = self.check
        if c.members == 0:
            return "所选范围内没有在册会员。"
        if not c.problems:
            return f"检查通过：{c.members:,} 名会员均符合{c.layout}的要求，可以导出上报。"
        return (
            f"有问题的会员 {c.problem_rows:,} 人：上级系统会拒收 {c.rejected_rows:,} 人，"
            f"需核对 {c.problem_rows - c.rejected_rows:,} 人（共 {len(c.problems):,} 处问题）。"
        )

    # -- building ---------------------------------------------------------------------------
    def _build_groups(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("按问题统计（单击一类，下表只列这一类）："))
        # the kinds the upper system refuses first, then the most frequent
        self.groups = sorted(self.check.by_problem(), key=lambda g: g[0] != "拒收")
        self.group_table = make_table(["级别", "列", "问题", "人数"], stretch_last=False)
        self.group_table.setObjectName("problemGroups")
        fill_table(
            self.group_table,
            [(lv, col, prob, f"{n:,}") for lv, col, prob, n in self.groups],
            [group_key(i) for i in range(len(self.groups))],
            align_right=(3,),
        )
        self.group_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        red = QBrush(REJECTED_COLOR)
        for r, (level, *_rest) in enumerate(self.groups):
            if level == "拒收":
                for c in range(self.group_table.columnCount()):
                    item = self.group_table.item(r, c)
                    if item is not None:
                        item.setForeground(red)
        self.group_table.itemSelectionChanged.connect(self._group_clicked)
        layout.addWidget(self.group_table)
        return box

    def _build_rows(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("问题明细："))
        self.filter = QComboBox()
        self.filter.setObjectName("problemFilter")
        self.filter.addItem(f"全部问题（{len(self.check.problems):,} 处）", ALL)
        rejected = sum(1 for p in self.check.problems if p.rejected)
        if rejected:
            self.filter.addItem(f"只看拒收（{rejected:,} 处）", REJECTED_ONLY)
        for i, (level, column, problem, n) in enumerate(self.groups):
            self.filter.addItem(f"[{level}] {column}：{problem}（{n:,} 人）", group_key(i))
        self.filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.filter.setMinimumContentsLength(40)
        self.filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        row.addWidget(self.filter, 1)
        self.row_count = QLabel()
        self.row_count.setObjectName("problemCount")
        row.addWidget(self.row_count)
        layout.addLayout(row)

        self.model = ProblemModel(self.check.problems, self)
        self.table = QTableView()
        self.table.setObjectName("problemTable")
        configure_view(self.table, self.model, stretch=5)
        self.table.setToolTip("双击一行：在会员列表中选中此人")
        self.table.doubleClicked.connect(self._double_clicked)
        layout.addWidget(self.table, 1)
        self._apply_filter()
        return box

    # -- filtering ---------------------------------------------------------------------------
    def _group_clicked(self) -> None:
        key = row_data(self.group_table)
        if key is None:
            return
        index = self.filter.findData(key)
        if index >= 0:
            self.filter.setCurrentIndex(index)

    def _apply_filter(self) -> None:
        key = self.filter.currentData()
        problems = self.check.problems
        if key == REJECTED_ONLY:
            ids = [i for i, p in enumerate(problems) if p.rejected]
        elif isinstance(key, str) and key.startswith(GROUP):
            wanted = self.groups[int(key.removeprefix(GROUP))][:3]
            ids = [i for i, p in enumerate(problems) if (p.level, p.column, p.problem) == wanted]
        else:
            ids = list(range(len(problems)))
            # rows the upper system refuses first; otherwise in union and member order
            ids.sort(key=lambda i: not problems[i].rejected)
        self.model.set_ids(ids)
        members = len({problems[i].membership_id for i in ids})
        self.row_count.setText(f"{len(ids):,} 处，{members:,} 人")
        if isinstance(key, str) and key.startswith(GROUP):
            select_row(self.group_table, lambda d: d == key)
        elif self.group_table.selectionModel().hasSelection():
            self.group_table.blockSignals(True)
            self.group_table.clearSelection()
            self.group_table.blockSignals(False)

    def show_group(self, level: str, column: str, problem: str) -> bool:
        """Narrow the rows to one kind of problem (False when there is no such kind)."""
        for i, group in enumerate(self.groups):
            if group[:3] == (level, column, problem):
                self.filter.setCurrentIndex(self.filter.findData(group_key(i)))
                return True
        return False

    # -- choosing a member -------------------------------------------------------------------
    def _double_clicked(self, index: QModelIndex) -> None:
        self.choose_row(index.row())

    def choose_row(self, row: int) -> None:
        p = self.model.problem_at(row)
        if p is not None:
            self.member_chosen.emit(p.membership_id)

    # -- export ----------------------------------------------------------------------------
    def default_file_name(self) -> str:
        scope = self.scope_name or "全部"
        return safe_file_name(f"{scope}会员上报表（{LAYOUT_NAME}）-{date.today():%Y%m%d}.xlsx")

    def export(self, path: Path | None = None) -> Job | None:
        why = export_refusal(self.ctx)
        if why is not None:
            show_error(self, why, "不能导出")
            return None
        if path is None:
            path = ask_save_xlsx(self, "导出上报表", self.default_file_name(), FOLDER_KEY)
        if path is None:
            return None
        from unionsdesk.services.members.upstream_export import export_members_hainan

        db, user, union_id = self.ctx.db, self.ctx.user, self.union_id
        per_union = self.per_union.isChecked()

        def work(control: JobControl) -> HainanExportResult:
            def progress(done: int, total: int) -> None:
                control.progress(done, total, f"正在导出上报表：{done:,} / {total:,} 人")

            return export_members_hainan(
                db, user, path, union_id=union_id, per_union=per_union,
                progress=progress, cancelled=lambda: control.cancelled,
            )  # fmt: skip

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self.ctx.notify("已取消导出上报表")
                show_info(self, "已取消导出，没有留下文件。", "已取消")
            else:
                show_error(self, exc, "导出未完成")

        self.export_button.setEnabled(False)
        self.job = run_job(
            self, "正在导出上报表……", work, self._exported, on_error=failed, cancellable=True
        )
        self.job.finished.connect(lambda: self.export_button.setEnabled(True))
        return self.job

    def _exported(self, result: HainanExportResult) -> None:
        self.result_value = result
        self.ctx.notify(f"已导出上报表：{result.members} 名会员，{len(result.files)} 个文件")
        self.exported.emit(result)
        show_info(self, exported_text(result), "导出完成")


def exported_text(result: HainanExportResult) -> str:
    """The files written and the problem list, for a message box (a few names at most)."""
    files = result.files
    lines = [f"已导出 {result.members:,} 名会员（{result.layout}格式），共 {len(files)} 个文件："]
    lines += [f"  {p.name}" for p in files[:FILES_SHOWN]]
    if len(files) > FILES_SHOWN:
        lines.append(f"  ……等共 {len(files)} 个文件")
    if files:
        lines.append(f"保存位置：{files[0].parent}")
    lines.append("")
    if result.problems_path is not None:
        lines.append(
            f"有问题的会员 {result.problem_rows:,} 人（上级系统会拒收 {result.rejected_rows:,} 人），"
            "问题清单已保存："
        )
        lines.append(f"  {result.problems_path}")
        if result.rejected_rows:
            lines.append("请先改正“拒收”的会员，否则上级系统导入时会拒绝这些行。")
    else:
        lines.append("数据检查没有发现问题。")
    return "\n".join(lines)
