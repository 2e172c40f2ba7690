"""A small dialog around a ``FormWidget``: fill in, 确定 runs one service call.

Subclasses implement ``perform(values)``; a ``ValidationError`` marks the
fields it names (a message box only for reasons not on the form), any other
``UnionsDeskError`` is shown and the dialog stays open, so nothing the clerk
typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError, ValidationError
from unionsdesk.fields import EntitySpec

from ..messages import show_error
from .form import Choices, FormWidget


class FormDialog(QDialog):
    def __init__(
        self,
        title: str,
        spec: EntitySpec,
        *,
        choices: Mapping[str, Choices] | None = None,
        intro: str = "",
        ok_text: str = "确定",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — {title}")
        self.setMinimumWidth(480)
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.intro = QLabel(intro)
        self.intro.setObjectName("dialogIntro")
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        layout.addWidget(self.intro)
        self.form = FormWidget(spec, choices=choices)
        layout.addWidget(self.form)
        self.buttons = QDialogButtonBox()
        self.ok_button = QPushButton(ok_text)
        self.ok_button.setObjectName("okButton")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self.form.submitted.connect(self.try_accept)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def perform(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def try_accept(self) -> bool:
        if not self.form.validate():
            return False
        try:
            self.result_value = self.perform(self.form.values())
        except ValidationError as exc:
            rest = self.form.errors_from(exc)
            if rest:
                show_error(self, "；".join(rest.values()), "请检查填写的内容")
            return False
        except UnionsDeskError as exc:
            show_error(self, exc, "未完成")
            return False
        self.accept()
        return True
