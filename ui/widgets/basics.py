"""Small widget helpers the login window needs.

Kept apart from ``form.py`` (which loads the FieldSpecs) and free of the
``Qt`` namespace at import time (importing it costs ~15 ms), so the first
window is on screen as early as possible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

ERROR_COLOR = "#c62828"


def error_label(object_name: str) -> QLabel:
    """A hidden, wrapping red label for the reasons a form or table cannot be saved."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setStyleSheet(f"color: {ERROR_COLOR};")
    label.setWordWrap(True)
    label.hide()
    return label


class EnterChain(QObject):
    """Enter in one widget moves to the next; Enter in the last calls ``on_last``.

    The key press is consumed, so a dialog's default button is not pressed
    behind the clerk's back while they are still filling in fields.
    """

    def __init__(self, widgets: Sequence[QWidget], on_last: Any = None) -> None:
        super().__init__(widgets[0] if widgets else None)
        self.widgets = list(widgets)
        self.on_last = on_last
        for w in self.widgets:
            w.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if is_enter(event) and isinstance(watched, QWidget) and watched in self.widgets:
            if isinstance(watched, QLineEdit):
                watched.editingFinished.emit()
            from PySide6.QtCore import Qt

            index = self.widgets.index(watched)
            for w in self.widgets[index + 1 :]:
                if w.isEnabled() and not (isinstance(w, QLineEdit) and w.isReadOnly()):
                    w.setFocus(Qt.FocusReason.TabFocusReason)
                    if isinstance(w, QLineEdit):
                        w.selectAll()
                    return True
            if self.on_last is not None:
                self.on_last()
            return True
        return super().eventFilter(watched, event)


def is_enter(event: QEvent) -> bool:
    if event.type() != QEvent.Type.KeyPress:
        return False
    from PySide6.QtCore import Qt

    key_event: QKeyEvent = event  # type: ignore[assignment]
    return key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
        key_event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    )
