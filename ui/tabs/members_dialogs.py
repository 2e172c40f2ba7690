"""会员 tab dialogs: 转会, 变更状态, 履历, and the two steps of 导入花名册.

The Excel import flow (`ExcelImport`: run off the GUI thread with 取消 → result
dialog with 保存错误清单… and 只导入正确的行) is shared by the 会员, 困难职工 and
帮扶慰问 tabs; `ImportDialog` (which union the file is for) by 会员 and 困难职工."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import Cancelled, UnionsDeskError
from unionsdesk.fields import EntitySpec, FieldSpec
from unionsdesk.services import members as members_svc
from unionsdesk.services.member_import import ImportResult
from unionsdesk.services.members import HistoryEvent, MemberDetail
from unionsdesk.services.unions import UnionRow

from ..context import AppContext
from ..messages import show_error, show_info
from ..widgets.file_dialogs import ask_save_xlsx
from ..widgets.form_dialog import FormDialog
from ..widgets.table import fill_table, make_table
from ..widgets.union_picker import UnionPicker, decorate, make_searchable, union_choices
from ..workers import Job, JobControl, run_job

TRANSFER = EntitySpec(
    "transfer",
    "转会",
    (
        FieldSpec("union", "转入工会", required=True),
        FieldSpec("on", "转会日期", kind="date", required=True),
        FieldSpec("reason", "转会原因", max_length=200, placeholder="如 工作调动"),
    ),
)
STATUS_CHANGE = EntitySpec(
    "member_status_change",
    "变更会员状态",
    (
        FieldSpec("status", "新状态", kind="code", required=True),
        FieldSpec("on", "变更日期", kind="date", required=True),
        FieldSpec("reason", "原因", max_length=200, placeholder="退会、自动退会和开除会籍须填写"),
    ),
)


def who(detail: MemberDetail) -> str:
    return f"{detail.values.get('name') or ''}（现在“{detail.union_name}”）"


class TransferDialog(FormDialog):
    """转会: the member leaves one union and joins another; both records are kept."""

    def __init__(
        self,
        ctx: AppContext,
        detail: MemberDetail,
        unions: Sequence[tuple[UnionRow, int]],
        parent: QWidget | None = None,
    ) -> None:
        targets = [(u, d) for u, d in unions if u.status == "正常" and u.id != detail.union_id]
        super().__init__(
            "转会",
            TRANSFER,
            choices={"union": union_choices(targets)},
            intro=f"为 {who(detail)} 办理转会。原工会的记录会保留为“转出”。",
            ok_text="办理转会",
            parent=parent,
        )
        self.ctx = ctx
        self.detail = detail
        combo = self.union_combo
        combo.insertItem(0, "（请选择转入工会）", "")
        decorate(combo, targets, first=1)
        make_searchable(combo)
        combo.setCurrentIndex(0)
        self.form.set_values({"on": date.today()})
        self.setMinimumWidth(560)

    @property
    def union_combo(self) -> Any:
        return self.form.field_widget("union")

    def choose(self, union_id: int, on: date | str, reason: str = "") -> None:
        """Fill the dialog (for the keyboard-free path and tests)."""
        combo = self.union_combo
        combo.setCurrentIndex(combo.findData(union_id))
        self.form.set_values({"on": on, "reason": reason})

    def perform(self, values: dict[str, Any]) -> MemberDetail:
        clean = TRANSFER.clean(values)
        return members_svc.transfer_member(
            self.ctx.db,
            self.ctx.user,
            self.detail.membership_id,
            int(clean["union"]),
            clean["on"],
            clean["reason"] or "",
        )


class StatusDialog(FormDialog):
    """保留会籍 / 退会 / 视为自动退会 / 开除会籍, or back to 在册."""

    def __init__(
        self,
        ctx: AppContext,
        detail: MemberDetail,
        status_labels: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        current = detail.values.get("status")
        offered = [
            (code, label)
            for code, label in status_labels.items()
            if code in members_svc.STATUS_EVENT and code != current
        ]
        now = status_labels.get(str(current), str(current or ""))
        super().__init__(
            "变更会员状态",
            STATUS_CHANGE,
            choices={"status": offered},
            intro=f"{who(detail)}当前状态：{now}。转到其他工会请用“转会”。",
            parent=parent,
        )
        self.ctx = ctx
        self.detail = detail
        self.form.set_values({"on": date.today()})

    def choose(self, status: str, on: date | str, reason: str = "") -> None:
        self.form.set_values({"status": status, "on": on, "reason": reason})

    def perform(self, values: dict[str, Any]) -> MemberDetail:
        clean = STATUS_CHANGE.clean(values)
        return members_svc.change_member_status(
            self.ctx.db,
            self.ctx.user,
            self.detail.membership_id,
            clean["status"],
            clean["on"],
            clean["reason"] or "",
        )


class HistoryDialog(QDialog):
    """履历: every 入会/转入/转出/保留/退会 of one person, oldest first."""

    def __init__(
        self,
        name: str,
        events: Sequence[HistoryEvent],
        change_labels: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — {name}的会籍履历")
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{name}的会籍变化（共{len(events)}条，按时间先后）："))
        self.table = make_table(["日期", "变化", "工会", "对方工会", "原因", "经办人"])
        self.table.setObjectName("historyTable")
        fill_table(
            self.table,
            [
                (
                    f"{e.on:%Y-%m-%d}",
                    change_labels.get(e.kind, e.kind),
                    e.union_name,
                    e.other_union_name or "",
                    e.reason or "",
                    e.by or "",
                )
                for e in events
            ],
        )
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


MEMBER_NOTE = (
    "导入前先检查全部行：只要有一行有错，就一行也不写入——可以保存错误清单，"
    "改好后再导入，或选择“只导入正确的行”。\n"
    "已在本工会名册的人自动跳过；已在其他工会在册的人不会被自动转会，会列在结果中。"
)


class ImportDialog(QDialog):
    """Step 1: which union the file is for (or a column of the sheet says so)."""

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
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(f"{APP_TITLE} — {title}")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        file_label = QLabel(str(path))
        file_label.setWordWrap(True)
        file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("文件：", file_label)
        self.union = UnionPicker(all_text=f"按表中“{column}”列对应工会")
        self.union.set_unions(unions, only_open=True)
        self.union.set_union_id(default_union)
        form.addRow("导入到：", self.union)
        layout.addLayout(form)
        self.note = QLabel(note)
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

    def union_id(self) -> int | None:
        return self.union.union_id()


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
        self.save_errors_button = QPushButton("保存错误清单…")
        self.save_errors_button.setObjectName("saveErrorsButton")
        self.save_errors_button.clicked.connect(self.save_errors)
        self.import_valid_button = QPushButton(f"只导入正确的行（{result.ready}行）")
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
    """One kind of Excel import for a tab: ``run(path, skip_invalid, control)`` (the
    service call, on a worker thread) → `ImportResultDialog`, whose 保存错误清单…
    writes the error workbook and 只导入正确的行 runs again with ``skip_invalid``.

    ``job_started`` gives each job (tests wait on ``job.running``), ``written`` the
    result when rows were written (refresh, ``ctx.changed``), ``result_shown`` the
    dialog."""

    job_started = Signal(object)
    written = Signal(object)
    result_shown = Signal(object)

    def __init__(
        self,
        owner: QWidget,
        ctx: AppContext,
        run: Callable[[Path, bool, JobControl], ImportResult],
        *,
        unit: str,
        file_kind: str,
        folder_key: str,
    ) -> None:
        super().__init__(owner)
        self.owner = owner
        self.ctx = ctx
        self.run = run
        self.unit = unit  # 名会员, 行发放明细, …
        self.file_kind = file_kind  # 花名册, 发放名单, …
        self.folder_key = folder_key
        self.job: Job | None = None
        self.dialog: ImportResultDialog | None = None

    def start(self, path: Path, *, skip_invalid: bool = False) -> Job:
        run = self.run

        def work(control: JobControl) -> ImportResult:
            return run(path, skip_invalid, control)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self.ctx.notify(str(exc))
                show_info(self.owner, str(exc), "已取消")
            else:
                show_error(self.owner, exc, "导入未完成")

        text = f"正在检查“{path.name}”的每一行……"
        job = run_job(self.owner, text, work, lambda r: self._done(r, path, job), on_error=failed, cancellable=True)  # fmt: skip
        self.job = job
        self.job_started.emit(job)
        return job

    def _done(self, result: ImportResult, path: Path, job: Job) -> None:
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
        dialog.import_valid.connect(lambda: self.start(path, skip_invalid=True))
        self.dialog = dialog
        self.result_shown.emit(dialog)
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
