"""The form builder: widgets by kind, immediate validation, Enter, values."""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.errors import ValidationError
from unionsdesk.fields import MEMBER, OFFICE, USER
from unionsdesk.ui.widgets.form import ERROR_COLOR, FormWidget


def _form(qtbot: QtBot, form: FormWidget) -> FormWidget:
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def test_widgets_follow_the_field_kinds(qtbot: QtBot, demo_db: Database) -> None:
    form = _form(qtbot, FormWidget(MEMBER, db=demo_db))
    assert form.names() == [f.name for f in MEMBER.fields]
    assert isinstance(form.field_widget("name"), QLineEdit)
    assert isinstance(form.field_widget("migrant_worker"), QCheckBox)
    sex = form.field_widget("sex")
    assert isinstance(sex, QComboBox) and [sex.itemText(i) for i in range(sex.count())] == [
        "（未填）", "男", "女",
    ]  # fmt: skip
    ethnicity = form.field_widget("ethnicity")
    assert isinstance(ethnicity, QComboBox) and ethnicity.findText("汉族") > 0  # from the 字典
    assert ERROR_COLOR in form.label("name").text() and "*" in form.label("name").text()
    assert "*" not in form.label("job").text()
    # tab order is the paper form's order
    fields = [form.field_widget(n) for n in form.names()]
    assert _tab_order(fields[0], fields) == fields


def _tab_order(start: QWidget, among: list[QWidget]) -> list[QWidget]:
    """``among`` in the order Tab visits them, starting at ``start``."""
    order, w = [start], start.nextInFocusChain()
    while w is not start:
        if w in among:
            order.append(w)
        w = w.nextInFocusChain()
    return order


def test_leaving_a_field_checks_it_at_once(qtbot: QtBot) -> None:
    form = _form(qtbot, FormWidget(OFFICE))
    region = form.field_widget("region_code")
    assert isinstance(region, QLineEdit)
    region.setText("12")
    region.editingFinished.emit()
    assert "6位" in form.error_text("region_code")
    error = form.findChild(type(form.label("name")), "error_region_code")
    assert error is not None and error.isVisible()
    assert ERROR_COLOR in region.styleSheet()
    region.setText("360830")
    region.editingFinished.emit()
    assert form.error_text("region_code") == "" and not error.isVisible()
    assert region.styleSheet() == ""


def test_tolerant_input_is_shown_normalised(qtbot: QtBot, demo_db: Database) -> None:
    form = _form(qtbot, FormWidget(MEMBER, db=demo_db))
    birth = form.field_widget("birth_date")
    assert isinstance(birth, QLineEdit)
    birth.setText("1985.3.7")
    birth.editingFinished.emit()
    assert birth.text() == "1985-03-07" and form.error_text("birth_date") == ""
    form.set_values({"birth_date": date(1990, 1, 2), "sex": "女", "migrant_worker": True})
    values = form.values()
    assert values["birth_date"] == "1990-01-02" and values["sex"] == "女"
    assert values["migrant_worker"] is True and values["name"] is None
    assert MEMBER.clean(values, only=["birth_date", "sex"]) == {
        "birth_date": date(1990, 1, 2), "sex": "女",
    }  # fmt: skip


def test_enter_moves_to_the_next_field_and_submits_at_the_end(qtbot: QtBot) -> None:
    form = _form(qtbot, FormWidget(USER, fields=["login", "display_name", "password"]))
    first = form.field_widget("login")
    first.setFocus()
    qtbot.keyClicks(first, "ZhangSan")
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert form.focusWidget() is form.field_widget("display_name")
    password = form.field_widget("password")
    assert isinstance(password, QLineEdit) and password.echoMode() == QLineEdit.EchoMode.Password
    password.setFocus()
    with qtbot.waitSignal(form.submitted, timeout=1000):
        qtbot.keyClick(password, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)


def test_validate_and_errors_from(qtbot: QtBot) -> None:
    form = _form(qtbot, FormWidget(OFFICE))
    assert not form.validate()
    assert form.error_text("name") == "“单位名称”必须填写"
    form.set_values({"name": "某县总工会"})
    assert form.validate()
    rest = form.errors_from(ValidationError({"phone": "电话不对", "other": "别处的错误"}))
    assert form.error_text("phone") == "电话不对" and rest == {"other": "别处的错误"}
    form.clear_errors()
    assert form.error_text("phone") == ""


def test_read_only_and_unknown_choice(qtbot: QtBot) -> None:
    form = _form(qtbot, FormWidget(USER, fields=["display_name", "role", "active"]))
    form.set_values({"role": "auditor"})  # not offered any more: still shown
    role = form.field_widget("role")
    assert isinstance(role, QComboBox) and "auditor" in role.currentText()
    assert form.values()["role"] == "auditor"
    form.set_read_only(True)
    name = form.field_widget("display_name")
    assert isinstance(name, QLineEdit) and name.isReadOnly() and not role.isEnabled()


def _all_specs() -> list[object]:
    """Every EntitySpec a form can be built from: fields.py, the areas' specs modules
    and the registers."""
    import importlib
    import pkgutil

    import unionsdesk.fields as fields_module
    import unionsdesk.services as services
    from unionsdesk.fields import EntitySpec

    modules: list[object] = [fields_module]
    for info in pkgutil.iter_modules(services.__path__):
        try:
            modules.append(importlib.import_module(f"unionsdesk.services.{info.name}.specs"))
        except ModuleNotFoundError:
            continue
    found = {id(v): v for m in modules for v in vars(m).values() if isinstance(v, EntitySpec)}
    try:
        from unionsdesk.registers import all_registers

        found.update({id(r.spec): r.spec for r in all_registers()})
    except Exception:  # pragma: no cover - the register framework is being built
        pass
    return list(found.values())


def test_required_choices_start_empty_in_every_form(qtbot: QtBot, demo_db: Database) -> None:
    """A required choice (困难类别, 致困原因, 活动类型 …) is never pre-selected: the form
    starts with （请选择） and refuses to save until the clerk picks one."""
    specs = _all_specs()
    assert len(specs) > 10
    checked = 0
    for spec in specs:
        form = FormWidget(spec, db=demo_db)  # type: ignore[arg-type]
        qtbot.addWidget(form)
        for f in spec.fields:  # type: ignore[attr-defined]
            widget = form.field_widget(f.name)
            if not f.required or not isinstance(widget, QComboBox) or widget.count() < 2:
                continue
            checked += 1
            assert widget.currentData() in (None, ""), f"{spec.name}.{f.name}"  # type: ignore[attr-defined]
            assert widget.currentText() == "（请选择）", f"{spec.name}.{f.name}"  # type: ignore[attr-defined]
            assert form.values()[f.name] is None
        form.validate()
        for f in spec.fields:  # type: ignore[attr-defined]
            widget = form.field_widget(f.name)
            if f.required and isinstance(widget, QComboBox) and widget.count() >= 2:
                assert form.error_text(f.name), f"{spec.name}.{f.name} 未选也能保存"  # type: ignore[attr-defined]
    assert checked >= 5
