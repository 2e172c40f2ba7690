"""Save a `Table` (made by a service) as an Excel file: ask where, build and write it
on a worker, tell the clerk where it went."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from unionsdesk.table import Table

from ..context import AppContext
from ..messages import show_info
from ..workers import Job, JobControl, run_job
from .file_dialogs import ask_save_xlsx, safe_file_name


def export_table(
    parent: QWidget,
    ctx: AppContext,
    what: str,
    make: Callable[[], Table],
    *,
    sheet: str,
    folder_key: str,
    path: Path | None = None,
) -> Job | None:
    """Ask for a file (unless ``path``), then ``make()`` the table and write it."""
    if path is None:
        path = ask_save_xlsx(parent, f"导出{what}", safe_file_name(f"{what}.xlsx"), folder_key)
    if path is None:
        return None
    target = path

    def work(control: JobControl) -> int:
        from unionsdesk.excel.writer import write_table

        table = make()
        write_table(target, table, sheet, cancelled=lambda: control.cancelled)
        return len(table.rows)

    def done(count: int) -> None:
        ctx.notify(f"已导出{what}（{count}行）到 {target}")
        show_info(parent, f"已导出{what}，共 {count:,} 行：\n{target}", "导出完成")

    return run_job(parent, f"正在导出{what}……", work, done, cancellable=True)
