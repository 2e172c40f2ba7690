"""One way to tell the clerk that something went wrong (or right).

Every service call in the GUI goes through :func:`reporting` (or calls
:func:`show_error` itself): a ``UnionsDeskError`` is shown as its one Chinese
sentence in a message box, never as a traceback.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from unionsdesk import APP_TITLE, logs
from unionsdesk.errors import UnionsDeskError


def show_error(parent: QWidget | None, exc: BaseException | str, title: str = "操作未完成") -> None:
    """A clerk's error (``UnionsDeskError``) is its one sentence; anything else is an
    internal error: written to the log with its traceback and shown with
    复制详细信息 and 打开日志文件夹 (:func:`error_box`)."""
    if isinstance(exc, UnionsDeskError | str):
        QMessageBox.critical(parent, f"{APP_TITLE} — {title}", str(exc))
        return
    logs.log_unexpected(exc, title)
    if QMessageBox.critical is not _QT_CRITICAL:  # replaced (tests record boxes): use it
        QMessageBox.critical(parent, f"{APP_TITLE} — {title}", _internal(exc))
        return
    error_box(parent, exc, title).exec()


_QT_CRITICAL = QMessageBox.critical


def error_details(exc: BaseException) -> str:
    """What 复制详细信息 copies: version, system, log file and the traceback (redacted
    like the log: no ID numbers, phones or passwords)."""
    import platform

    from unionsdesk import version

    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log = logs.log_file()
    return logs.redact(
        f"{APP_TITLE} {version()}，Python {platform.python_version()}，"
        f"{platform.platform(terse=True)}\n日志文件：{log or '（未能打开）'}\n\n{trace}"
    )


def open_folder(folder: Path) -> bool:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def error_box(parent: QWidget | None, exc: BaseException, title: str = "程序错误") -> QMessageBox:
    """The internal-error box: the sentence, 复制详细信息 (to the clipboard, the box stays
    open), 打开日志文件夹, 关闭."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(f"{APP_TITLE} — {title}")
    box.setText(_internal(exc))
    details = error_details(exc)  # copied, not shown: Qt's "Show Details..." is English
    copy = box.addButton("复制详细信息", QMessageBox.ButtonRole.ActionRole)
    folder = box.addButton("打开日志文件夹", QMessageBox.ButtonRole.ActionRole)
    close = box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    for button in (copy, folder):  # these act and leave the box open
        button.clicked.disconnect()
    copy.clicked.connect(lambda: _copy(details, copy))
    folder.clicked.connect(lambda: open_folder(logs.log_dir()))
    return box


def _copy(text: str, button: QAbstractButton) -> None:
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.clipboard().setText(text)
    button.setText("已复制")


def show_info(parent: QWidget | None, text: str, title: str = "完成") -> None:
    QMessageBox.information(parent, f"{APP_TITLE} — {title}", text)


def confirm(
    parent: QWidget | None, text: str, title: str = "请确认", *, danger: bool = False
) -> bool:
    """Yes/No question; "No" is the default button so a stray Enter does nothing."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question)
    box.setWindowTitle(f"{APP_TITLE} — {title}")
    box.setText(text)
    yes = box.addButton("确定", QMessageBox.ButtonRole.YesRole)
    no = box.addButton("取消", QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def _internal(exc: BaseException) -> str:
    return logs.redact(f"程序内部错误（{type(exc).__name__}: {exc}）。请把此信息告诉技术人员。")


@dataclass
class Outcome:
    """What :func:`reporting` saw: ``failed`` is True when an error was shown."""

    error: UnionsDeskError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None


@contextmanager
def reporting(parent: QWidget | None, title: str = "操作未完成") -> Iterator[Outcome]:
    """Run service calls; show a ``UnionsDeskError`` and swallow it.

    ::

        with reporting(self) as r:
            profile = office.save_office(...)
        if r.failed:
            return
    """
    outcome = Outcome()
    try:
        yield outcome
    except UnionsDeskError as exc:
        outcome.error = exc
        show_error(parent, exc, title)


@contextmanager
def excepthook_installed() -> Iterator[None]:
    """While the window runs: unexpected errors become a message, not a silent failure."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if sys.stderr is not None:  # none under pythonw.exe
            traceback.print_exception(kind, exc, tb, file=sys.stderr)
        if isinstance(exc, KeyboardInterrupt):
            return
        show_error(None, exc, "程序错误")

    previous = sys.excepthook
    sys.excepthook = hook
    try:
        yield
    finally:
        sys.excepthook = previous
