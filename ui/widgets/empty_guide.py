"""What an empty view says: what to do next, with a button that does it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class EmptyGuide(QFrame):
    """A pale box with the next step (e.g. 还没有会员：先导入会员花名册) and one button;
    hidden while the view has something to show."""

    def __init__(self, name: str, button_text: str, action: Callable[[], object]) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setStyleSheet(
            f"QFrame#{name} {{ background: #f3f8fd; border: 1px solid #b7d3ee; border-radius: 4px; }}"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton(button_text)
        self.button.setObjectName(f"{name}Button")
        self.button.clicked.connect(lambda _c=False: action())
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.hide()

    def show_step(self, text: str | None) -> None:
        """Show ``text`` (the next step) or, with None, hide the box."""
        if text:
            self.text.setText(text)
        self.setVisible(bool(text))
