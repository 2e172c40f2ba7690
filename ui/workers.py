"""Long work off the GUI thread, with a busy/progress dialog.

``run_job(parent, "正在备份……", fn, on_done)`` runs ``fn(control)`` on the
global thread pool while a window-modal progress dialog is shown; the window
keeps repainting. ``control.progress(done, total, text)`` moves the bar and
``control.cancelled`` turns True when the clerk presses 取消 (only offered when
``cancellable=True``; backup and restore are not). When ``fn`` returns,
``on_done(result)`` runs on the GUI thread; a ``UnionsDeskError`` is shown with
``show_error`` (or passed to ``on_error``), anything else as an internal error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from .messages import show_error


class JobControl:
    """Handed to the job function; safe to use from the worker thread."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._job.progressed.emit(done, total, text)


class Job(QObject):
    """Lives in the GUI thread; its signals are emitted from the worker and queued here."""

    progressed = Signal(int, int, str)
    _succeeded = Signal(object)
    _failed = Signal(object)
    finished = Signal()

    def __init__(
        self,
        fn: Callable[[JobControl], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.fn = fn
        self.on_done = on_done
        self.on_error = on_error
        self.control = JobControl(self)
        self.result: Any = None
        self.error: BaseException | None = None
        self.running = False
        self._succeeded.connect(self._handle_success, Qt.ConnectionType.QueuedConnection)
        self._failed.connect(self._handle_failure, Qt.ConnectionType.QueuedConnection)

    def work(self) -> None:
        """Runs on the worker thread."""
        try:
            result = self.fn(self.control)
        except BaseException as exc:  # reported on the GUI thread
            self._report(self._failed, exc)
        else:
            self._report(self._succeeded, result)

    def _report(self, signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window that asked was closed meanwhile: nobody to tell
            _RUNNING.discard(self)

    @Slot(object)
    def _handle_success(self, result: Any) -> None:
        self.result = result
        self.running = False
        self.finished.emit()
        if self.on_done is not None:
            self.on_done(result)
        _RUNNING.discard(self)

    @Slot(object)
    def _handle_failure(self, exc: BaseException) -> None:
        self.error = exc
        self.running = False
        self.finished.emit()
        if self.on_error is not None:
            self.on_error(exc)
        else:
            parent = self.parent()
            show_error(parent if isinstance(parent, QWidget) else None, exc)
        _RUNNING.discard(self)


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job

    def run(self) -> None:
        self.job.work()


_RUNNING: set[Job] = set()  # keeps Python wrappers alive until the job reports back


def start(job: Job) -> Job:
    job.running = True
    _RUNNING.add(job)
    QThreadPool.globalInstance().start(_Runnable(job))
    return job


def wait_for_background(timeout_s: float = 60.0) -> bool:
    """Process events until every started job has reported back (True) or the time is
    up (False). For screenshots and tests, which want what the clerk sees once the
    background counts have arrived."""
    from time import monotonic

    from PySide6.QtCore import QCoreApplication, QEventLoop
    from shiboken6 import isValid

    end = monotonic() + timeout_s
    QCoreApplication.processEvents()  # jobs that a queued call (singleShot 0) starts
    while _RUNNING and monotonic() < end:
        # A job whose window was deleted after it reported drops its queued report with
        # the window: nobody will ever hear from it, so stop waiting for it.
        _RUNNING.difference_update([job for job in _RUNNING if not isValid(job)])
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QThreadPool.globalInstance().waitForDone(20)
    QCoreApplication.processEvents()
    return not _RUNNING


def run_job(
    parent: QWidget,
    text: str,
    fn: Callable[[JobControl], Any],
    on_done: Callable[[Any], None] | None = None,
    *,
    on_error: Callable[[BaseException], None] | None = None,
    cancellable: bool = False,
) -> Job:
    """Run ``fn`` in the background behind a window-modal busy dialog."""
    dialog = QProgressDialog(text, "取消" if cancellable else "", 0, 0, parent)
    dialog.setObjectName("busyDialog")
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(360)
    if not cancellable:
        dialog.setCancelButton(None)
    job = Job(fn, on_done, on_error, parent)

    def progressed(done: int, total: int, message: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(done)
        if message:
            dialog.setLabelText(message)

    def finished() -> None:
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()

    job.progressed.connect(progressed)
    job.finished.connect(finished)
    if cancellable:
        dialog.canceled.connect(job.control.cancel)
    dialog.show()
    return start(job)
