"""A statistics `Table` on screen: numbers right-aligned as the printed table shows
them (万元 with its decimals), the 合计 row bold; and the dialog listing the rows
behind one figure, with 导出Excel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from unionsdesk.table import Table, wan_text

from ...messages import show_info
from ...widgets.file_dialogs import ask_save_xlsx, safe_file_name
from ...widgets.table import fill_table, make_table, yuan
from ...workers import JobControl, run_job

NUMERIC = frozenset({"int", "money", "wan"})


def cell_text(kind: str, value: object) -> str:
    if value is None:
        return ""
    if kind == "wan" and isinstance(value, int):
        return wan_text(value)
    if kind == "money" and isinstance(value, int):
        return yuan(value)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def show_report_table(widget: QTableWidget, table: Table) -> None:
    """Fill ``widget`` with ``table``'s rows and its 合计 row (bold)."""
    kinds = [c.kind for c in table.columns]
    widget.setColumnCount(len(table.columns))
    widget.setHorizontalHeaderLabels([c.label for c in table.columns])
    rows = [list(r) for r in table.rows]
    if table.totals is not None:
        rows.append(list(table.totals))
    shown = [[cell_text(kinds[i], v) for i, v in enumerate(r)] for r in rows]
    fill_table(widget, shown, align_right=[i for i, k in enumerate(kinds) if k in NUMERIC])
    if table.totals is not None and rows:
        bold = QFont(widget.font())
        bold.setBold(True)
        for c in range(widget.columnCount()):
            item = widget.item(len(rows) - 1, c)
            if item is not None:
                item.setFont(bold)


class DrillDialog(QDialog):
    """The rows behind one figure; 导出Excel… writes them as shown."""

    def __init__(self, table: Table, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.setObjectName("drillDialog")
        self.setWindowTitle(table.title)
        self.resize(960, 560)
        layout = QVBoxLayout(self)
        count = QLabel(f"共 {len(table.rows):,} 条记录")
        count.setObjectName("drillCount")
        layout.addWidget(count)
        self.view = make_table([c.label for c in table.columns], stretch_last=True)
        self.view.setObjectName("drillRows")
        show_report_table(self.view, table)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("导出Excel…")
        self.export_button.setObjectName("drillExport")
        self.export_button.clicked.connect(lambda _c=False: self.export())
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(lambda _c=False: self.reject())
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def export(
        self, path: Path | None = None, on_done: Callable[[Path], None] | None = None
    ) -> None:
        if path is None:
            path = ask_save_xlsx(
                self, "导出明细", f"{safe_file_name(self.table.title)}.xlsx", "reports"
            )
        if path is None:
            return
        from unionsdesk.excel.writer import write_table

        target, table = path, self.table

        def work(control: JobControl) -> Path:
            return write_table(target, table, "明细", cancelled=lambda: control.cancelled)

        def done(written: Path) -> None:
            if on_done is not None:
                on_done(written)
            else:
                show_info(self, f"明细已导出：\n{written}", "导出完成")

        run_job(self, "正在导出明细……", work, done, cancellable=True)
