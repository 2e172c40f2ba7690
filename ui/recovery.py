"""The recovery screen: what the window opens to when the database failed its check.

Instead of the login window (nobody can log in to a damaged database) the clerk sees
what is wrong, the newest backups of this database and a 恢复 button. Restoring moves
the damaged file aside unchanged (``NAME.damaged-<time>``), copies the backup in its
place and checks it (`maintenance.restore_file`); the program then starts again with
the login window.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError

from .messages import confirm, show_error, show_info
from .widgets.table import fill_table, make_table, row_data
from .workers import Job, JobControl, run_job

SHOWN_BACKUPS = 10


@dataclass(frozen=True)
class Damaged:
    """A database that failed its check at open."""

    path: Path
    problem: str  # the clerk's sentence, with SQLite's words


def recovery_text(problem: str) -> str:
    """What the screen says about the damage: SQLite's words, and why nothing opens."""
    return (
        f"程序启动时检查数据库，发现文件已损坏（检查结果：{problem[:300]}）。"
        "为防止损坏扩大，程序不会再向这个文件写入任何数据。"
    )


def newest_backups(path: Path, limit: int = SHOWN_BACKUPS) -> list[Path]:
    """Backups in the database's ``backups`` folder that pass verification, newest first."""
    from unionsdesk.db.backup import default_backup_dir, list_backups, verify_backup
    from unionsdesk.errors import BackupError

    good: list[Path] = []
    for candidate in list_backups(default_backup_dir(path)):
        try:
            verify_backup(candidate)
        except BackupError:
            continue
        good.append(candidate)
        if len(good) == limit:
            break
    return good


class RecoveryDialog(QDialog):
    """Offers restore from the newest backups (or another file); ``restored`` is the
    backup used once a restore succeeded."""

    def __init__(self, damaged: Damaged, parent: QWidget | None = None) -> None:
        from .tabs.common.settings_backup import describe_backup

        super().__init__(parent)
        self.damaged = damaged
        self.restored: Path | None = None
        self.job: Job | None = None
        self.setObjectName("recoveryScreen")
        self.setWindowTitle(f"{APP_TITLE} — 数据库已损坏")
        self.setMinimumSize(760, 460)
        layout = QVBoxLayout(self)
        title = QLabel("数据库已损坏，需要从备份恢复")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        what = QLabel(damaged.problem)
        what.setObjectName("recoveryProblem")
        what.setWordWrap(True)
        what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(what)
        where = QLabel(f"数据库文件：{damaged.path}")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)

        self.backups = newest_backups(damaged.path)
        self.table = make_table(["备份时间", "类型", "大小", "文件名"])
        self.table.setObjectName("recoveryBackups")
        fill_table(self.table, [describe_backup(p) for p in self.backups], self.backups)
        if self.backups:
            self.table.selectRow(0)
            layout.addWidget(QLabel("可用的备份（最新的在最上面，已逐一校验）："))
        else:
            layout.addWidget(
                QLabel("备份目录中没有可用的备份，请选择其他备份文件（如U盘上的备份）。")
            )
        layout.addWidget(self.table, 1)
        tips = QLabel(
            "恢复时，损坏的数据库文件会原样保留（改名为“….damaged-时间”，可交技术人员分析），"
            "再用所选备份替换并校验；备份之后录入的数据需要重新录入。"
        )
        tips.setWordWrap(True)
        tips.setStyleSheet("color: #555;")
        layout.addWidget(tips)

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("从选中的备份恢复")
        self.restore_button.setObjectName("recoverSelected")
        self.restore_button.setEnabled(bool(self.backups))
        self.other_button = QPushButton("从其他备份文件恢复…")
        self.other_button.setObjectName("recoverFile")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        self.other_button.clicked.connect(self.restore_other)
        layout.addWidget(buttons)

    def restore_selected(self) -> None:
        path: Path | None = row_data(self.table)
        if path is not None:
            self.restore(path)

    def restore_other(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "选择备份文件",
            str(self.damaged.path.parent),
            "工会通备份 (*.sqlite3);;所有文件 (*)",
        )
        if name:
            self.restore(Path(name))

    def restore(self, backup: Path, *, ask: bool = True) -> None:
        if ask and not confirm(
            self,
            f"用备份“{backup.name}”替换已损坏的数据库吗？\n\n损坏的文件会原样保留，不会删除。",
            "从备份恢复",
        ):
            return
        target = self.damaged.path

        def work(_control: JobControl) -> str:
            from unionsdesk.services.common.maintenance import restore_file

            return restore_file(target, backup).message(backup)

        def done(message: object) -> None:
            self.restored = backup
            show_info(self, f"{message}\n\n请重新登录。", "恢复完成")
            self.accept()

        def failed(exc: BaseException) -> None:
            show_error(self, exc if isinstance(exc, UnionsDeskError) else str(exc), "恢复失败")

        self.job = run_job(self, "正在从备份恢复，请稍候……", work, done, on_error=failed)
