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
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError


def show_error(parent: QWidget | None, exc: BaseException | str, title: str = "操作未完成") -> None:
    text = str(exc) if isinstance(exc, UnionsDeskError | str) else _internal(exc)
    QMessageBox.critical(parent, f"{APP_TITLE} — {title}", text)


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
    return f"程序内部错误（{type(exc).__name__}: {exc}）。请把此信息告诉技术人员。"


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
