"""The frame the register tabs share: a list (or tree) beside its form, a search
that waits for the clerk to stop typing, and the tab's 新建 shortcut."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget


def tab_layout(tab: QWidget) -> QVBoxLayout:
    """The tab's top-to-bottom layout with the margins every tab uses."""
    layout = QVBoxLayout(tab)
    layout.setContentsMargins(10, 10, 10, 6)
    layout.setSpacing(8)
    return layout


def list_and_panel(
    left: QWidget, right: QWidget, sizes: tuple[int, int], *, grow: int = 0
) -> QSplitter:
    """``left`` beside ``right`` in a splitter that never collapses either; the side
    ``grow`` (0 left, 1 right) takes the window's extra width."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(grow, 1)
    splitter.setStretchFactor(1 - grow, 0)
    splitter.setSizes(list(sizes))
    return splitter


def debounce(owner: QObject, delay_ms: int, slot: Callable[[], object]) -> QTimer:
    """A single-shot timer calling ``slot`` ``delay_ms`` after its last start():
    a search runs once the clerk pauses, not on every keystroke."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(slot)
    return timer


def tab_shortcut(tab: QWidget, keys: str, slot: Callable[[], object]) -> QShortcut:
    """A shortcut that works while the focus is anywhere inside ``tab`` (and only there)."""
    shortcut = QShortcut(QKeySequence(keys), tab)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    return shortcut
