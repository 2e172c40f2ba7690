"""Background jobs report back on the GUI thread; errors are shown, not lost."""

import threading
from typing import Any

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from unionsdesk.errors import BackupError
from unionsdesk.ui.workers import JobControl, run_job


def _parent(qtbot: QtBot) -> QWidget:
    w = QWidget()
    qtbot.addWidget(w)
    w.show()
    return w


def test_result_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    parent = _parent(qtbot)
    seen: list[Any] = []
    worker_threads: list[int] = []

    def work(control: JobControl) -> int:
        worker_threads.append(threading.get_ident())
        control.progress(1, 2, "一半")
        return 42

    def done(result: int) -> None:
        seen.append((result, QThread.currentThread() is QApplication.instance().thread()))

    job = run_job(parent, "正在处理……", work, done)
    qtbot.waitUntil(lambda: not job.running, timeout=5000)
    assert seen == [(42, True)]
    assert worker_threads and worker_threads[0] != threading.get_ident()
    qtbot.waitUntil(lambda: parent.findChild(QWidget, "busyDialog") is None, timeout=2000)


def test_errors_are_shown(qtbot: QtBot, shown: Any) -> None:
    parent = _parent(qtbot)

    def fails(_control: JobControl) -> None:
        raise BackupError("备份失败：U盘已拔出")

    job = run_job(parent, "正在备份……", fails)
    qtbot.waitUntil(lambda: not job.running, timeout=5000)
    assert shown.texts("critical") == ["备份失败：U盘已拔出"]

    def crashes(_control: JobControl) -> None:
        raise RuntimeError("boom")

    job = run_job(parent, "正在处理……", crashes)
    qtbot.waitUntil(lambda: not job.running, timeout=5000)
    assert "程序内部错误" in shown.texts("critical")[-1] and "boom" in shown.texts("critical")[-1]


def test_cancel_is_passed_to_the_job(qtbot: QtBot) -> None:
    parent = _parent(qtbot)
    release = threading.Event()

    def work(control: JobControl) -> bool:
        release.wait(5)
        return control.cancelled

    job = run_job(parent, "正在导出……", work, cancellable=True)
    job.control.cancel()
    release.set()
    qtbot.waitUntil(lambda: not job.running, timeout=5000)
    assert job.result is True
