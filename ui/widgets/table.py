"""Small read-only tables (users, code entries, audit rows, backups).

Big lists (members) get a lazy ``QAbstractTableModel`` in their own issue;
these tables hold at most a few hundred rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

ROW_DATA = Qt.ItemDataRole.UserRole


def make_table(headers: Sequence[str], *, stretch_last: bool = True) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setStretchLastSection(stretch_last)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def fill_table(
    table: QTableWidget,
    rows: Iterable[Sequence[Any]],
    data: Iterable[Any] | None = None,
    *,
    align_right: Iterable[int] = (),
) -> None:
    """Replace the table's rows; ``data[i]`` is kept on row i (see ``row_data``)."""
    rows = list(rows)
    payload = list(data) if data is not None else [None] * len(rows)
    right = set(align_right)
    table.setUpdatesEnabled(False)
    try:
        table.clearContents()
        table.setRowCount(len(rows))
        for r, (values, item_data) in enumerate(zip(rows, payload, strict=True)):
            for c, value in enumerate(values):
                item = QTableWidgetItem("" if value is None else str(value))
                if c in right:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if c == 0:
                    item.setData(ROW_DATA, item_data)
                table.setItem(r, c, item)
        last = table.columnCount() - 1
        for c in range(table.columnCount()):
            if c != last or not table.horizontalHeader().stretchLastSection():
                table.resizeColumnToContents(c)
                table.setColumnWidth(c, min(table.columnWidth(c) + 16, 420))
    finally:
        table.setUpdatesEnabled(True)


def row_data(table: QTableWidget, row: int | None = None) -> Any:
    """The data kept on ``row`` (default: the selected row), or None."""
    if row is None:
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
    item = table.item(row, 0)
    return None if item is None else item.data(ROW_DATA)


def select_row(table: QTableWidget, predicate: Any) -> None:
    """Select the first row whose data satisfies ``predicate``."""
    for r in range(table.rowCount()):
        if predicate(row_data(table, r)):
            table.selectRow(r)
            return


def set_header_mode(table: QTableWidget, column: int, mode: QHeaderView.ResizeMode) -> None:
    table.horizontalHeader().setSectionResizeMode(column, mode)


def yuan(fen: int | None) -> str:
    """An amount in fen as a table shows it: 1,680.32 (no ¥), blank for None."""
    from unionsdesk.domain.money import format_yuan, from_fen

    return "" if fen is None else format_yuan(from_fen(fen)).removeprefix("¥")


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item at (row, column), made when the cell is still empty."""
    item = table.item(row, column)
    if item is None:
        item = QTableWidgetItem()
        table.setItem(row, column, item)
    return item
