"""First start, login and change-password dialogs."""

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.services.common import office, users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.ui.login import ChangePasswordDialog, FirstStartDialog, LoginDialog


def _login_dialog(qtbot: QtBot, db: Database) -> LoginDialog:
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_wrong_password_shows_the_reason_and_stays(qtbot: QtBot, demo_db: Database) -> None:
    dialog = _login_dialog(qtbot, demo_db)
    assert dialog.findChild(type(dialog.error), "officeName").text() == "示例县总工会"
    dialog.login_edit.setText("admin")
    dialog.password_edit.setText("wrong-password")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() == 0 and dialog.user is None
    assert dialog.error.isVisible()
    assert "用户名或密码不正确" in dialog.error.text() and "再错4次" in dialog.error.text()
    assert dialog.password_edit.text() == ""  # cleared for the next try


def test_lock_out_message_comes_from_the_service(qtbot: QtBot, demo_db: Database) -> None:
    dialog = _login_dialog(qtbot, demo_db)
    dialog.login_edit.setText("jingban")
    for _ in range(users.MAX_FAILURES):
        dialog.password_edit.setText("nope-nope")
        dialog.try_login()
    assert "锁定" in dialog.error.text()
    dialog.password_edit.setText(DEMO_PASSWORD)
    dialog.try_login()
    assert dialog.user is None and "已锁定" in dialog.error.text()


def test_correct_password_with_the_keyboard_accepts(qtbot: QtBot, demo_db: Database) -> None:
    dialog = _login_dialog(qtbot, demo_db)
    dialog.login_edit.setFocus()
    qtbot.keyClicks(dialog.login_edit, "Admin")
    qtbot.keyClick(dialog.login_edit, Qt.Key.Key_Return)  # Enter moves on, does not submit
    assert dialog.user is None and dialog.focusWidget() is dialog.password_edit
    qtbot.keyClicks(dialog.password_edit, DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert isinstance(dialog.user, CurrentUser) and dialog.user.role == "admin"
    assert QSettings().value("login/last") == "admin"
    # next time the login name is filled in and the password has the focus
    again = _login_dialog(qtbot, demo_db)
    assert again.login_edit.text() == "admin"


def test_first_start_initialises_an_empty_database(qtbot: QtBot, empty_db: Database) -> None:
    assert not office.is_initialised(empty_db)
    dialog = FirstStartDialog(empty_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    dialog.try_initialise()  # nothing filled in: the name and the password are marked
    assert dialog.office_form.error_text("name") == "“单位名称”必须填写"
    assert dialog.admin_form.error_text("password")
    assert not office.is_initialised(empty_db)

    dialog.office_form.set_values({"name": "某某县总工会", "region_code": "360830"})
    dialog.admin_form.set_values({"login": "Boss", "password": "secret66", "password2": "other1"})
    dialog.try_initialise()
    assert dialog.admin_form.error_text("password2") == "两次输入的密码不一致"
    assert not office.is_initialised(empty_db)

    dialog.admin_form.set_values({"password2": "secret66"})
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.try_initialise()
    assert dialog.user is not None and dialog.user.login == "boss"
    assert office.is_initialised(empty_db)
    assert office.get_office(empty_db).name == "某某县总工会"
    assert users.login(empty_db, "boss", "secret66").role == "admin"


def test_first_start_shows_service_validation_on_the_field(
    qtbot: QtBot, empty_db: Database
) -> None:
    dialog = FirstStartDialog(empty_db)
    qtbot.addWidget(dialog)
    dialog.office_form.set_values({"name": "某县总工会", "region_code": "12"})
    dialog.admin_form.set_values({"password": "secret66", "password2": "secret66"})
    dialog.try_initialise()
    assert "6位" in dialog.office_form.error_text("region_code")
    assert not office.is_initialised(empty_db)


def test_change_own_password(qtbot: QtBot, demo_db: Database, login_as) -> None:  # type: ignore[no-untyped-def]
    clerk = login_as(demo_db, "jingban")
    dialog = ChangePasswordDialog(demo_db, clerk)
    qtbot.addWidget(dialog)
    dialog.form.set_values({"old": "wrong!", "new": "newpass1", "new2": "newpass1"})
    dialog.try_change()
    assert dialog.form.error_text("old") == "原密码不正确"
    dialog.form.set_values({"old": DEMO_PASSWORD, "new": "newpass1", "new2": "newpass2"})
    dialog.try_change()
    assert dialog.form.error_text("new2")
    dialog.form.set_values({"old": DEMO_PASSWORD, "new": "newpass1", "new2": "newpass1"})
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.try_change()
    assert users.login(demo_db, "jingban", "newpass1").login == "jingban"
