"""帮助 → 关于工会通: the version, where the data is, and where the log is.

The clerk (or whoever helps them on the phone) reads the version and the paths
here and opens the data folder or the log folder with one click.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE, logs, version
from unionsdesk.paths import user_data_dir

from .messages import open_folder


class AboutDialog(QDialog):
    def __init__(
        self, database: str, data_dir: Path | None = None, parent: QWidget | None = None
    ) -> None:
        """``data_dir``: the folder of the SQLite file in use (default: the user data folder)."""
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"关于{APP_TITLE}")
        self.data_dir = data_dir or user_data_dir()
        self.log_dir = logs.log_dir()
        log_file = logs.log_file()

        title = QLabel(f"<h2>{APP_TITLE} UnionsDesk</h2>县级总工会及基层工会业务管理程序")
        form = QFormLayout()
        rows = (
            ("version", "版本：", version()),
            ("database", "数据库：", database),
            ("dataDir", "数据文件夹：", str(self.data_dir)),
            (
                "logFile",
                "日志文件：",
                str(log_file) if log_file else f"本次未记录日志（日志文件夹：{self.log_dir}）",
            ),
        )
        self.values: dict[str, QLabel] = {}
        for name, label, value in rows:
            shown = QLabel(value)
            shown.setObjectName(name)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(label, shown)
            self.values[name] = shown

        buttons = QDialogButtonBox()
        self.open_data_button = QPushButton("打开数据文件夹")
        self.open_log_button = QPushButton("打开日志文件夹")
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.open_data_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_log_button, QDialogButtonBox.ButtonRole.ActionRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        self.open_data_button.clicked.connect(lambda: self._open(self.data_dir))
        self.open_log_button.clicked.connect(lambda: self._open(self.log_dir))

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        note = QLabel("数据保存在数据文件夹中，卸载或升级程序不会删除数据。")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _open(self, folder: Path) -> None:
        try:
            opened = open_folder(folder)
        except OSError as exc:
            opened = False
            logs.log.warning("cannot open folder %s: %s", folder, exc)
        if not opened:
            from .messages import show_error

            show_error(self, f"无法打开文件夹：{folder}", "打开文件夹")
