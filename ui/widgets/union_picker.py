"""Choosing a union: the tree flattened into a drop-down list, with a search line.

The list shows the county → township/industry → grassroots tree indented
(``union_tree_order``); typing any part of a name narrows it (a clerk cannot
scroll through 300 unions). Unions that were 撤销/合并 are shown grey.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from unionsdesk.services.members.unions import UnionRow

from .search_keys import enter_searches

DEPTH_ROLE = Qt.ItemDataRole.UserRole + 5
CLOSED_COLOR = QColor("#8a8a8a")
INDENT_PX = 16


def union_tree_order(unions: Iterable[UnionRow]) -> list[tuple[UnionRow, int]]:
    """Depth-first order (parents before their children), each with its depth.

    A union whose parent is missing counts as a root; children keep id order,
    with the 撤销/合并 ones after the open ones.
    """
    rows = list(unions)
    ids = {u.id for u in rows}
    children: dict[int | None, list[UnionRow]] = {}
    for u in rows:
        parent = u.parent_id if u.parent_id in ids and u.parent_id != u.id else None
        children.setdefault(parent, []).append(u)
    for kids in children.values():
        kids.sort(key=lambda u: (u.status != "正常", u.id))
    out: list[tuple[UnionRow, int]] = []
    seen: set[int] = set()
    stack: list[tuple[UnionRow, int]] = [(u, 0) for u in reversed(children.get(None, []))]
    while stack:
        u, depth = stack.pop()
        if u.id in seen:  # a cycle in bad data: show each union once
            continue
        seen.add(u.id)
        out.append((u, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(u.id, [])))
    out.extend((u, 0) for u in rows if u.id not in seen)
    return out


class IndentDelegate(QStyledItemDelegate):
    """Indents a drop-down item by its ``DEPTH_ROLE`` (the box itself shows the plain name)."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        depth = index.data(DEPTH_ROLE)
        if isinstance(depth, int) and depth > 0:
            option.rect = option.rect.adjusted(depth * INDENT_PX, 0, 0, 0)


def make_searchable(combo: QComboBox, placeholder: str = "输入名称中的字查找") -> None:
    """Let the clerk type part of a name; leaving the box settles on a real item."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    edit = combo.lineEdit()
    assert completer is not None and edit is not None
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setMaxVisibleItems(15)
    edit.setPlaceholderText(placeholder)

    def settle() -> None:
        text = edit.text().strip()
        index = combo.findText(text, Qt.MatchFlag.MatchExactly) if text else combo.currentIndex()
        if index < 0:
            matches = [i for i in range(combo.count()) if text in combo.itemText(i)]
            index = matches[0] if len(matches) == 1 else combo.currentIndex()
        if index != combo.currentIndex():
            combo.setCurrentIndex(index)
            combo.activated.emit(index)
        if edit.text() != combo.itemText(index):
            edit.setText(combo.itemText(index))

    edit.editingFinished.connect(settle)
    enter_searches(combo, settle)  # Enter settles on a union; it never accepts a dialog
    enter_searches(edit, settle)
    # a long name shows from its beginning, not scrolled to its end
    combo.currentIndexChanged.connect(lambda _i: edit.setCursorPosition(0))


def decorate(combo: QComboBox, unions: Sequence[tuple[UnionRow, int]], first: int = 0) -> None:
    """Indent and grey the items ``first``… of ``combo`` that show ``unions`` in that order."""
    model = combo.model()
    grey = QBrush(CLOSED_COLOR)
    for offset, (u, depth) in enumerate(unions):
        i = first + offset
        if i >= combo.count():
            break
        combo.setItemData(i, depth, DEPTH_ROLE)
        if u.status != "正常":
            combo.setItemData(i, grey, Qt.ItemDataRole.ForegroundRole)
            combo.setItemData(i, f"{u.name}（已{u.status}）", Qt.ItemDataRole.ToolTipRole)
    if isinstance(model, QStandardItemModel):
        combo.view().setItemDelegate(IndentDelegate(combo.view()))


def union_choices(unions: Sequence[tuple[UnionRow, int]]) -> list[tuple[Any, str]]:
    """(id, name) pairs for a ``FormWidget`` choice field, in tree order."""
    return [(u.id, u.name) for u, _ in unions]


class UnionPicker(QComboBox):
    """A drop-down of unions; ``union_id()`` is the chosen one (None for ``all_text``)."""

    def __init__(self, all_text: str | None = "全部工会", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.all_text = all_text
        self.setObjectName("unionPicker")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self.setMaxVisibleItems(20)
        make_searchable(self)

    def set_unions(
        self,
        unions: Iterable[UnionRow],
        *,
        only_open: bool = False,
        exclude: Iterable[int] = (),
    ) -> None:
        """Fill the list (keeping the chosen union when it is still offered)."""
        keep = self.union_id()
        skip = set(exclude)
        ordered = [
            (u, d)
            for u, d in union_tree_order(unions)
            if u.id not in skip and not (only_open and u.status != "正常")
        ]
        self.blockSignals(True)
        try:
            self.clear()
            first = 0
            if self.all_text is not None:
                self.addItem(self.all_text, None)
                first = 1
            for u, _ in ordered:
                self.addItem(u.name, u.id)
            decorate(self, ordered, first)
            index = self.findData(keep) if keep is not None else -1
            self.setCurrentIndex(index if index >= 0 else 0)
        finally:
            self.blockSignals(False)

    def union_id(self) -> int | None:
        data = self.currentData()
        return data if isinstance(data, int) else None

    def set_union_id(self, union_id: int | None) -> bool:
        index = self.findData(union_id) if union_id is not None else (0 if self.all_text else -1)
        if index < 0:
            return False
        self.setCurrentIndex(index)
        return True
