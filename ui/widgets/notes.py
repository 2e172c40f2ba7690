"""A wrapped, grey explanation under or above a table."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

NOTE_STYLE = "color: #555;"


def note_label(text: str, style: str = NOTE_STYLE) -> QLabel:
    """``text`` wrapped to the label's width. Rich text only to put some room between
    the lines: the bundled CJK font has no leading, so wrapped lines would touch."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    set_note_text(label, text)
    return label


def set_note_text(label: QLabel, text: str) -> None:
    body = html.escape(text).replace("\n", "<br>")
    label.setText(f'<div style="line-height: 125%;">{body}</div>')
