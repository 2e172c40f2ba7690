"""设置 › 备份与恢复: backup now (also to a USB stick), list, restore."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton

from unionsdesk.errors import BackupError, UnionsDeskError
from unionsdesk.services.common import maintenance
from unionsdesk.services.common import users as users_svc
from unionsdesk.services.common.base import ADMIN, WRITE

from ...context import AppContext
from ...messages import confirm, show_info
from ...widgets.table import fill_table, make_table, row_data
from ...workers import Job, JobControl, run_job
from .settings import SettingsPage

KIND_NAMES = {
    "unionsdesk": "备份",
    "pre-restore": "恢复前自动保存",
    "pre-upgrade": "升级前自动保存",
}


def describe_backup(path: Path) -> tuple[str, str, str, str]:
    """(time, kind, size, file name) for the list."""
    stem = path.name.removesuffix(".sqlite3")
    prefix = next((p for p in KIND_NAMES if stem.startswith(p + "-")), "")
    stamp = stem[len(prefix) + 1 : len(prefix) + 16]
    try:
        when = f"{datetime.strptime(stamp, '%Y%m%d-%H%M%S'):%Y-%m-%d %H:%M:%S}"
    except ValueError:
        when = ""
    try:
        size = f"{path.stat().st_size / 1024 / 1024:.1f} MB"
    except OSError:
        size = "?"
    return when, KIND_NAMES.get(prefix, "备份"), size, path.name


class BackupPage(SettingsPage):
    title = "备份与恢复"
    permission = WRITE  # backing up is for every clerk who enters data; restoring is ADMIN

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.job: Job | None = None
        info = QFormLayout()
        info.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.db_path_label = QLabel()
        self.folder_label = QLabel()
        self.info = QLabel()  # why backup is unavailable (PostgreSQL)
        self.info.setObjectName("backupInfo")
        self.info.setWordWrap(True)
        self.info.hide()
        for label in (self.db_path_label, self.folder_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info.addRow("数据库文件：", self.db_path_label)
        info.addRow("备份目录：", self.folder_label)
        self.outer.addLayout(info)
        self.outer.addWidget(self.info)

        bar = QHBoxLayout()
        self.backup_button = QPushButton("立即备份")
        self.backup_button.setObjectName("backupNow")
        self.backup_to_button = QPushButton("备份到其他位置（如U盘）…")
        self.backup_to_button.setObjectName("backupTo")
        self.restore_button = QPushButton("从选中的备份恢复…")
        self.restore_button.setObjectName("restoreSelected")
        self.restore_file_button = QPushButton("从其他备份文件恢复…")
        self.restore_file_button.setObjectName("restoreFile")
        for b in (self.backup_button, self.backup_to_button):
            bar.addWidget(b)
        bar.addSpacing(24)
        for b in (self.restore_button, self.restore_file_button):
            bar.addWidget(b)
        bar.addStretch(1)
        self.outer.addLayout(bar)

        self.table = make_table(["备份时间", "类型", "大小", "文件名"])
        self.table.setObjectName("backupsTable")
        self.outer.addWidget(self.table, 1)
        tips = QLabel(
            "提示：恢复会用备份替换当前的全部数据；恢复前程序会自动把当前数据另存一份"
            "（类型为“恢复前自动保存”），其他备份不会被删除。建议定期备份到U盘并妥善保管。"
        )
        tips.setWordWrap(True)
        tips.setStyleSheet("color: #555;")
        self.outer.addWidget(tips)

        self.backup_button.clicked.connect(lambda: self.backup(None))
        self.backup_to_button.clicked.connect(self.backup_elsewhere)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)

        can_backup, can_restore = ctx.user.can(WRITE), ctx.user.can(ADMIN)
        self.backup_button.setEnabled(can_backup)
        self.backup_to_button.setEnabled(can_backup)
        self.restore_button.setEnabled(can_restore)
        self.restore_file_button.setEnabled(can_restore)
        if not can_backup:
            self.restrict(self.admin_note("备份和恢复"))
        elif not can_restore:
            self.restrict("可以备份；从备份恢复需要管理员权限。")
        self.refresh()

    def refresh(self) -> None:
        try:
            folder = maintenance.backup_dir(self.ctx.db)
            backups = maintenance.list_backups(self.ctx.db)
        except BackupError as exc:  # PostgreSQL: backed up by the server's administrator
            self.info.setText(str(exc))
            self.info.show()
            for b in (
                self.backup_button,
                self.backup_to_button,
                self.restore_button,
                self.restore_file_button,
            ):
                b.setEnabled(False)  # fmt: skip
            fill_table(self.table, [])
            return
        self.db_path_label.setText(str(self.ctx.db.path))
        self.folder_label.setText(str(folder))
        fill_table(self.table, [describe_backup(p) for p in backups], backups)

    # -- backup -----------------------------------------------------------------------
    def backup(self, dest: Path | None) -> None:
        db, user = self.ctx.db, self.ctx.user

        def work(_control: JobControl) -> Path:
            return maintenance.backup_now(db, user, dest)

        def done(target: Path) -> None:
            self.refresh()
            self.ctx.changed.emit("database")
            self.ctx.notify(f"已备份到 {target}")
            show_info(self, f"备份完成：\n{target}", "备份完成")

        self.job = run_job(self, "正在备份数据库，请稍候……", work, done)

    def backup_elsewhere(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择备份位置（如U盘）")
        if folder:
            self.backup(Path(folder))

    # -- restore ----------------------------------------------------------------------
    def restore_selected(self) -> None:
        path: Path | None = row_data(self.table)
        if path is None:
            self.ctx.notify("请先在列表中选中一个备份")
            return
        self.restore(path)

    def restore_from_file(self) -> None:
        start = str(self.ctx.db.path.parent) if self.ctx.db.path else ""
        name, _ = QFileDialog.getOpenFileName(
            self, "选择备份文件", start, "工会通备份 (*.sqlite3);;所有文件 (*)"
        )
        if name:
            self.restore(Path(name))

    def restore(self, path: Path) -> None:
        when = describe_backup(path)[0]
        text = (
            f"确定要从备份“{path.name}”{f'（{when}）' if when else ''}恢复吗？\n\n"
            "当前的全部数据将被这份备份替换。恢复前，程序会把当前数据自动另存一份，"
            "需要时还可以再恢复回来。"
        )
        if not confirm(self, text, "从备份恢复", danger=True):
            return
        db, user = self.ctx.db, self.ctx.user

        def work(_control: JobControl) -> str:
            return maintenance.restore(db, user, path).message(path)

        self.job = run_job(self, "正在恢复数据，请稍候……", work, self._restored)

    def _restored(self, message: Any) -> None:
        self.refresh()
        self.ctx.changed.emit("*")
        self.ctx.notify(str(message))
        still_here = self._current_user_still_valid()
        message = f"恢复完成。{message}"
        if not still_here:
            message += "\n\n注意：恢复的数据中没有当前登录的管理员账户（或已停用），请重新登录。"
        show_info(self, message, "恢复完成")
        if not still_here:
            window = self.window()
            logout = getattr(window, "logout", None)
            if logout is not None:
                logout()

    def _current_user_still_valid(self) -> bool:
        try:
            rows = users_svc.list_users(self.ctx.db, self.ctx.user)
        except UnionsDeskError:
            return False
        return any(
            u.login == self.ctx.user.login and u.active and u.role == self.ctx.user.role
            for u in rows
        )
