"""Enter in a search box searches; it never accepts the dialog around it.

A QDialog clicks its default (or auto-default) button on Enter when the widget
with the focus does not take the key — a QLineEdit or an editable QComboBox
handles Enter and then passes it on. In a dialog with a search box that means
typing a name and pressing Enter closes the dialog with whatever was ticked.
`enter_searches` keeps Enter in the box (running the search at once);
`search_dialog` takes the default-button behaviour away from a dialog so that
only its OK button (clicked, Enter on it, or Ctrl+Enter anywhere) accepts it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _plain_enter(event: QEvent) -> bool:
    return (
        event.type() == QEvent.Type.KeyPress
        and isinstance(event, QKeyEvent)
        and event.key() in _ENTER
        and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
    )


class _EnterStaysHere(QObject):
    def __init__(self, owner: QWidget, on_enter: Callable[[], object] | None) -> None:
        super().__init__(owner)
        self._on_enter = on_enter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if _plain_enter(event):
            watched.event(event)  # the box's own handling (returnPressed, completion)
            event.accept()  # and not on to the dialog's default button
            if self._on_enter is not None:
                self._on_enter()
            return True
        return False


class _OnlyOkAccepts(QObject):
    """On the dialog: a plain Enter that reaches it (from any control but a button,
    which handles its own Enter) is dropped instead of clicking the default button;
    Ctrl+Enter calls ``accept``."""

    def __init__(self, owner: QDialog, accept: Callable[[], object]) -> None:
        super().__init__(owner)
        self._accept = accept

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in _ENTER:
            return False
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            event.accept()
            self._accept()
            return True
        if not isinstance(QApplication.focusWidget(), QPushButton):
            event.accept()
            return True
        return False


def enter_searches(box: QWidget, on_enter: Callable[[], object] | None = None) -> None:
    """Enter in ``box`` (a line edit or an editable combo box) stays there and calls
    ``on_enter`` (run the search now); Ctrl+Enter still goes on to the dialog."""
    box.installEventFilter(_EnterStaysHere(box, on_enter))


def search_dialog(dialog: QDialog, accept: Callable[[], object]) -> None:
    """Plain Enter accepts ``dialog`` only on its OK button; Ctrl+Enter calls ``accept``
    (as clicking OK does) from anywhere in it."""
    dialog.installEventFilter(_OnlyOkAccepts(dialog, accept))
