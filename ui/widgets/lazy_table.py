"""A table model over a list of ids that fetches its rows in pages.

The list of ids (``set_ids``) is all the model knows up front, so
``rowCount()`` is right at once even for 200 000 members. A row's values are
only fetched when a view asks for them (``data()``), one page of
``page_size`` ids at a time through ``fetch(ids) -> rows``, and the last
``max_pages`` pages are kept (least recently used are dropped). A view asks
only for the rows it paints, so scrolling to the end of 200 000 rows fetches
the pages on screen, never everything and never row by row.

The view must not size rows or columns to their contents (that would read
every row): use fixed column widths and a fixed row height — see
``configure_view``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

INACTIVE_COLOR = QColor("#8a8a8a")
ROW_ROLE = Qt.ItemDataRole.UserRole  # the row object
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's id


@dataclass(frozen=True)
class LazyColumn(Generic[R]):
    """One column: a header and how to show a row's value."""

    title: str
    value: Callable[[R], object]
    width: int = 10  # in characters (a Chinese character counts two)
    align_right: bool = False
    sample: str = ""  # when given, the column is as wide as this text (e.g. an ID number)


def _text(value: object) -> str:
    if value is None:
        return ""
    if value is True:
        return "是"
    if value is False:
        return ""
    return str(value)


class LazyTableModel(QAbstractTableModel, Generic[R]):
    """Rows for a list of ids, fetched ``page_size`` at a time and cached."""

    fetch_failed = Signal(str)  # the fetch raised; the message, once per failure

    def __init__(
        self,
        columns: Sequence[LazyColumn[R]],
        fetch: Callable[[Sequence[Hashable]], Sequence[R]],
        key: Callable[[R], Hashable],
        *,
        page_size: int = 200,
        max_pages: int = 40,
        greyed: Callable[[R], bool] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        if page_size < 1 or max_pages < 1:
            raise ValueError("page_size and max_pages must be positive")
        self.columns = list(columns)
        self._fetch = fetch
        self._key = key
        self._greyed = greyed
        self.page_size = page_size
        self.max_pages = max_pages
        self._ids: list[Hashable] = []
        self._positions: dict[Hashable, int] | None = None
        self._pages: OrderedDict[int, dict[Hashable, R]] = OrderedDict()
        self.fetch_count = 0  # how many times ``fetch`` was called (for tests and tuning)
        self._grey = QBrush(INACTIVE_COLOR)

    # -- the ids ----------------------------------------------------------------------
    def set_ids(self, ids: Sequence[Hashable]) -> None:
        """Show these ids (in this order); cached rows are dropped."""
        self.beginResetModel()
        self._ids = list(ids)
        self._positions = None
        self._pages.clear()
        self.endResetModel()

    def extend_ids(self, more: Sequence[Hashable]) -> None:
        """Append ids below the current ones; rows, cache and selection stay."""
        if not more:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._ids.extend(more)
        self._positions = None
        self.endInsertRows()

    def ids(self) -> list[Hashable]:
        return list(self._ids)

    def id_at(self, row: int) -> Hashable | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, key: Hashable) -> int:
        """The row showing ``key``, or -1."""
        if self._positions is None:
            self._positions = {k: i for i, k in enumerate(self._ids)}
        return self._positions.get(key, -1)

    def row_object(self, row: int) -> R | None:
        """The fetched row at ``row`` (fetching its page if needed); None if gone."""
        if not 0 <= row < len(self._ids):
            return None
        page = self._page(row // self.page_size)
        return page.get(self._ids[row])

    def invalidate(self, keys: Sequence[Hashable] | None = None) -> None:
        """Forget cached rows (all, or the pages holding ``keys``) and repaint them."""
        if not self._ids:
            return
        if keys is None:
            self._pages.clear()
            first, last = 0, len(self._ids) - 1
        else:
            rows = [r for r in (self.row_of(k) for k in keys) if r >= 0]
            if not rows:
                return
            for r in rows:
                self._pages.pop(r // self.page_size, None)
            first, last = min(rows), max(rows)
        self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def cached_pages(self) -> list[int]:
        return list(self._pages)

    # -- paging -----------------------------------------------------------------------
    def _page(self, number: int) -> dict[Hashable, R]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        start = number * self.page_size
        wanted = self._ids[start : start + self.page_size]
        self.fetch_count += 1
        try:
            rows = self._fetch(wanted)
        except Exception as exc:  # painting must go on; say what went wrong once
            page = {}
            self.fetch_failed.emit(str(exc))
        else:
            page = {self._key(r): r for r in rows}
        self._pages[number] = page
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return page

    # -- QAbstractTableModel ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.TextAlignmentRole,
            ROW_ROLE,
            ID_ROLE,
        ):
            return None
        row, col = index.row(), index.column()
        if role == ID_ROLE:
            return self.id_at(row)
        column = self.columns[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.align_right else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        obj = self.row_object(row)
        if obj is None:
            return None
        if role == ROW_ROLE:
            return obj
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._grey if self._greyed is not None and self._greyed(obj) else None
        text = _text(column.value(obj))
        if role == Qt.ItemDataRole.ToolTipRole:
            return text or None  # the whole text when the column is too narrow for it
        return text


def configure_view(
    view: QTableView, model: LazyTableModel[Any], *, stretch: int | None = None
) -> None:
    """Set ``view`` up for a lazy model: fixed widths and row height, whole-row selection.

    Column ``stretch`` (default: the last) takes the room the others leave.
    """
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch is None)
    metrics = view.fontMetrics()
    char = metrics.horizontalAdvance("工")
    for c, column in enumerate(model.columns):
        text_width = metrics.horizontalAdvance(column.sample) if column.sample else 0
        wanted = max(text_width, column.width * char // 2, metrics.horizontalAdvance(column.title))
        view.setColumnWidth(c, wanted + 20)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
