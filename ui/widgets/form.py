"""A form built from an ``EntitySpec`` (``unionsdesk.fields``).

One row per field in the spec's order (the paper form's order): a label
(required ones marked with a red *), the input widget chosen by the field's
kind, and a red line under it with the reason when the value is not
acceptable. Values are checked with ``FieldSpec.clean`` as soon as the clerk
leaves a field; Enter moves to the next field (Enter on the last one emits
``submitted``). ``values()`` gives raw values for a service call, which cleans
them again; ``errors_from()`` marks the fields a ``ValidationError`` names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from unionsdesk.errors import ValidationError
from unionsdesk.fields import EntitySpec, FieldSpec

from .basics import ERROR_COLOR, error_label, is_enter

INVALID_STYLE = f"border: 1px solid {ERROR_COLOR}; border-radius: 2px; padding: 1px;"

# (value stored, label shown) pairs for a choice field
Choices = Sequence[tuple[str, str]]

_PLACEHOLDERS = {
    "date": "如 2024-05-01",
    "phone": "手机或固定电话",
    "idno": "18位身份证号码",
    "int": "整数",
    "money": "金额（元）",
}


def required_label(spec: FieldSpec) -> QLabel:
    text = spec.label
    if spec.required:
        text += f' <span style="color:{ERROR_COLOR}">*</span>'
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText)
    if spec.required:
        label.setToolTip("必填")
    return label


class _Field:
    """One row: the spec, its input widget and its error line."""

    def __init__(self, spec: FieldSpec, widget: QWidget, error: QLabel, label: QLabel) -> None:
        self.spec = spec
        self.widget = widget
        self.error = error
        self.label = label

    # -- raw value ------------------------------------------------------------------
    def raw(self) -> Any:
        w = self.widget
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QComboBox):
            data = w.currentData()
            return None if data in (None, "") else data
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText()
        else:
            assert isinstance(w, QLineEdit)
            text = w.text()
        return text if text.strip() else None

    def set_raw(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            index = w.findData("" if value is None else value)
            if index < 0 and value not in (None, ""):
                # a value no longer offered (e.g. an inactive code): keep showing it
                w.addItem(f"{value}（已停用）", value)
                index = w.count() - 1
            w.setCurrentIndex(max(index, 0))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText("" if value is None else str(value))
        else:
            assert isinstance(w, QLineEdit)
            w.setText(_display(self.spec, value))
            w.setCursorPosition(0)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        if isinstance(self.widget, QLineEdit | QPlainTextEdit | QComboBox):
            self.widget.setStyleSheet(INVALID_STYLE if message else "")
        self.widget.setToolTip(message or "")


def _display(spec: FieldSpec, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if spec.kind == "money" and isinstance(value, int):
        from unionsdesk.domain.money import from_fen

        return str(from_fen(value))
    return str(value)


class FormWidget(QWidget):
    """Input form for ``spec`` (or the subset ``fields`` of it, in that order)."""

    submitted = Signal()
    edited = Signal(str)  # field name, after the clerk leaves a changed field

    def __init__(
        self,
        spec: EntitySpec,
        *,
        fields: Iterable[str] | None = None,
        choices: Mapping[str, Choices] | None = None,
        db: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self._choices = dict(choices or {})
        self._db = db
        names = list(fields) if fields is not None else [f.name for f in spec.fields]
        self._fields: dict[str, _Field] = {}
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.layout_.setVerticalSpacing(6)
        self._codes = self._code_lists(names)
        previous: QWidget | None = None
        for name in names:
            field_spec = spec[name]
            widget = self._make_widget(field_spec)
            widget.setObjectName(f"field_{name}")
            error = error_label(f"error_{name}")
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            label = required_label(field_spec)
            label.setBuddy(widget)
            self.layout_.addRow(label, cell)
            self._fields[name] = _Field(field_spec, widget, error, label)
            widget.installEventFilter(self)
            if previous is not None:
                QWidget.setTabOrder(previous, widget)
            previous = widget

    # -- building -------------------------------------------------------------------
    def _code_lists(self, names: list[str]) -> dict[str, Choices]:
        """The code lists (字典) the form's fields draw on, read at once."""
        categories = {
            c for n in names if n not in self._choices and (c := self.spec[n].code_category)
        }
        if not categories or self._db is None:
            return {}
        from unionsdesk.services.common.codes import list_code_lists

        lists = list_code_lists(self._db, categories)
        return {cat: [(c.code, c.label) for c in codes] for cat, codes in lists.items()}

    def _choice_list(self, spec: FieldSpec) -> Choices | None:
        if spec.name in self._choices:
            return self._choices[spec.name]
        if spec.code_category and spec.code_category in self._codes:
            return self._codes[spec.code_category]
        if spec.choices:
            return [(c, c) for c in spec.choices]
        return None

    def _make_widget(self, spec: FieldSpec) -> QWidget:
        if spec.kind == "bool":
            return QCheckBox()
        choices = self._choice_list(spec)
        if choices is not None:
            combo = QComboBox()
            # a required choice starts empty and must be chosen: nothing is pre-selected
            combo.addItem("（请选择）" if spec.required else "（未填）", "")
            for value, text in choices:
                combo.addItem(text, value)
            combo.activated.connect(lambda _i, n=spec.name: self._check(n))
            return combo
        if spec.kind == "text":
            editor = QPlainTextEdit()
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 4 + 12)
            return editor
        edit = QLineEdit()
        if spec.kind == "password":
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        if spec.max_length:
            edit.setMaxLength(spec.max_length + 20)  # the reason is shown, not a silent cut
        edit.setPlaceholderText(spec.placeholder or _PLACEHOLDERS.get(spec.kind, ""))
        if spec.kind in ("int", "money"):
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.editingFinished.connect(lambda n=spec.name: self._check(n))
        return edit

    # -- values ---------------------------------------------------------------------
    def names(self) -> list[str]:
        return list(self._fields)

    def field_widget(self, name: str) -> QWidget:
        return self._fields[name].widget

    def label(self, name: str) -> QLabel:
        return self._fields[name].label

    def values(self) -> dict[str, Any]:
        """Raw values (text as typed, booleans, codes); services clean them."""
        return {name: f.raw() for name, f in self._fields.items()}

    def set_values(self, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            f = self._fields.get(name)
            if f is not None:
                f.set_raw(value)
        self.clear_errors()

    def clear(self) -> None:
        for f in self._fields.values():
            f.set_raw(None)
        self.clear_errors()

    def set_read_only(self, read_only: bool) -> None:
        for f in self._fields.values():
            w = f.widget
            if isinstance(w, QLineEdit | QPlainTextEdit):
                w.setReadOnly(read_only)
            else:
                w.setEnabled(not read_only)

    def set_field_enabled(self, name: str, enabled: bool) -> None:
        w = self._fields[name].widget
        if isinstance(w, QLineEdit):
            w.setReadOnly(not enabled)
        else:
            w.setEnabled(enabled)

    # -- validation -----------------------------------------------------------------
    def _check(self, name: str) -> bool:
        f = self._fields[name]
        raw = f.raw()
        try:
            clean = f.spec.clean(raw)
        except ValueError as exc:
            f.show_error(str(exc))
            return False
        f.show_error(None)
        # show the normalised spelling (2024.5.1 → 2024-05-01, ４２ → 42)
        if (
            isinstance(f.widget, QLineEdit)
            and f.spec.kind in ("date", "idno", "phone", "int", "money")
            and clean is not None
        ):
            text = _display(f.spec, clean)
            if text != f.widget.text():
                f.widget.setText(text)
        self.edited.emit(name)
        return True

    def validate(self) -> bool:
        """Check every field now; marks each bad one and focuses the first."""
        ok = True
        first_bad: QWidget | None = None
        for name, f in self._fields.items():
            if not self._check(name):
                ok = False
                first_bad = first_bad or f.widget
        if first_bad is not None:
            first_bad.setFocus()
        return ok

    def error_text(self, name: str) -> str:
        return self._fields[name].error.text()

    def clear_errors(self) -> None:
        for f in self._fields.values():
            f.show_error(None)

    def errors_from(self, exc: ValidationError) -> dict[str, str]:
        """Mark the fields ``exc`` names; return the reasons for fields not on this form."""
        rest: dict[str, str] = {}
        first: QWidget | None = None
        for name, message in exc.errors.items():
            f = self._fields.get(name)
            if f is None:
                rest[name] = message
                continue
            f.show_error(message)
            first = first or f.widget
        if first is not None:
            first.setFocus()
        return rest

    # -- keyboard -------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if is_enter(event) and not isinstance(watched, QPlainTextEdit):
            self._enter(watched)
            return True
        return super().eventFilter(watched, event)

    def _enter(self, watched: QObject) -> None:
        widgets = [f.widget for f in self._fields.values()]
        if isinstance(watched, QLineEdit):
            watched.editingFinished.emit()  # validate now, as leaving the field would
        try:
            index = widgets.index(watched)  # type: ignore[arg-type]
        except ValueError:
            return
        for w in widgets[index + 1 :]:
            if (
                w.isEnabled()
                and w.isVisibleTo(self)
                and not (isinstance(w, QLineEdit) and w.isReadOnly())
            ):
                w.setFocus(Qt.FocusReason.TabFocusReason)
                if isinstance(w, QLineEdit):
                    w.selectAll()
                return
        self.submitted.emit()
