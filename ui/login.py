"""First start, login and change-password dialogs."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import AuthError, UnionsDeskError, ValidationError

from .messages import show_error
from .widgets.basics import EnterChain, error_label

if TYPE_CHECKING:  # the services load behind the login window (ui/startup.py)
    from unionsdesk.db.engine import Database
    from unionsdesk.fields import EntitySpec
    from unionsdesk.services.common.base import CurrentUser

    from .startup import Opened

LAST_LOGIN_KEY = "login/last"


def _title_label(text: str, scale: float = 1.6) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class LoginDialog(QDialog):
    """Login name and password; wrong tries and lock-out are explained inline.

    Made with ``db=None`` it is the program's first window, shown while
    ``ui/startup.DatabaseLoader`` opens the database: the clerk can type at once,
    and a 登录 pressed before the database is open waits for it.
    """

    NEEDS_SETUP = 2  # done() code: the database is new, go to the first-start dialog
    OPEN_FAILED = 3  # done() code: the database could not be opened (already told)

    def __init__(self, db: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user: CurrentUser | None = None
        self.open_error: str | None = None
        self._login_pending = False
        self.setWindowTitle(f"{APP_TITLE} — 登录")
        self.setMinimumWidth(400)

        layout = QVBoxLayout(self)
        self.office_label = QLabel()
        self.office_label.setObjectName("officeName")
        for label in (_title_label(APP_TITLE, 1.8), self.office_label):
            row = QHBoxLayout()  # centred by stretches: no Qt namespace before first paint
            row.addStretch()
            row.addWidget(label)
            row.addStretch()
            layout.addLayout(row)
        layout.addSpacing(8)

        form = QFormLayout()
        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("login")
        self.login_edit.setPlaceholderText("如 admin")
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("登录名", self.login_edit)
        form.addRow("密码", self.password_edit)
        layout.addLayout(form)
        self.error = error_label("loginError")
        layout.addWidget(self.error)

        buttons = QDialogButtonBox()
        self.ok_button = QPushButton("登录")
        self.ok_button.setObjectName("loginButton")
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        EnterChain([self.login_edit, self.password_edit], self.try_login)

        last = str(QSettings().value(LAST_LOGIN_KEY, "") or "")
        self.login_edit.setText(last)
        (self.password_edit if last else self.login_edit).setFocus()
        if db is None:
            self.office_label.setText("正在打开数据库…")
        else:
            from unionsdesk.services.common import office as office_svc

            try:
                self.office_label.setText(office_svc.get_office(db).name)
            except UnionsDeskError:
                self.office_label.hide()

    def database_opened(self, opened: Opened) -> None:
        """The loader's result: a new database goes to first start; otherwise show
        the office and finish a 登录 the clerk already pressed."""
        self.db = opened.db
        if not opened.initialised:
            self.done(self.NEEDS_SETUP)
            return
        self.office_label.setText(opened.office_name)
        self.office_label.setVisible(bool(opened.office_name))
        if self._login_pending:
            self._login_pending = False
            self.try_login()

    def database_failed(self, message: str) -> None:
        self.open_error = message
        show_error(self, message, "无法打开数据库")
        self.done(self.OPEN_FAILED)

    def try_login(self) -> None:
        login = self.login_edit.text().strip()
        if not login:
            self._fail("请输入登录名", self.login_edit)
            return
        if self.db is None:  # still opening: log in as soon as it is open
            self._login_pending = True
            self.error.setText("正在打开数据库，请稍候…")
            self.error.show()
            return
        from unionsdesk.services.common import users as users_svc

        try:
            self.user = users_svc.login(self.db, login, self.password_edit.text())
        except AuthError as exc:
            self._fail(str(exc), self.password_edit)
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "无法登录")
            return
        QSettings().setValue(LAST_LOGIN_KEY, self.user.login)
        self.accept()

    def _fail(self, message: str, focus: QLineEdit) -> None:
        self.error.setText(message)
        self.error.show()
        if focus is self.password_edit:
            self.password_edit.clear()
        focus.setFocus()


def admin_spec() -> EntitySpec:
    from unionsdesk.fields import USER, EntitySpec, FieldSpec

    return EntitySpec(
        "first_admin",
        "管理员账户",
        (
            USER["login"],
            USER["display_name"],
            replace(USER["password"], required=True),
            FieldSpec("password2", "再次输入密码", kind="password", required=True),
        ),
    )


class FirstStartDialog(QDialog):
    """A new, empty database: the office profile and the first administrator."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user: CurrentUser | None = None
        from unionsdesk.fields import OFFICE

        from .widgets.form import FormWidget

        self.setWindowTitle(f"{APP_TITLE} — 首次使用")
        self.setMinimumWidth(560)

        layout = QVBoxLayout(self)
        layout.addWidget(_title_label(f"欢迎使用{APP_TITLE}", 1.5))
        intro = QLabel(
            "这是一个新的数据库。请先填写本单位信息，并设置管理员的登录名和密码"
            "（管理员可以在“设置”中添加其他用户）。带红色 * 的项目必须填写。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        office_box = QGroupBox("单位信息")
        office_layout = QVBoxLayout(office_box)
        self.office_form = FormWidget(OFFICE)
        office_layout.addWidget(self.office_form)
        layout.addWidget(office_box)

        admin_box = QGroupBox("管理员账户")
        admin_layout = QVBoxLayout(admin_box)
        self.admin_form = FormWidget(admin_spec())
        self.admin_form.set_values({"login": "admin", "display_name": "管理员"})
        admin_layout.addWidget(self.admin_form)
        layout.addWidget(admin_box)

        buttons = QDialogButtonBox()
        self.ok_button = QPushButton("完成设置")
        self.ok_button.setObjectName("initButton")
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.try_initialise)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        # Enter walks office form → admin form → 完成设置
        self.office_form.submitted.connect(lambda: self.admin_form.field_widget("login").setFocus())
        self.admin_form.submitted.connect(self.try_initialise)
        self.office_form.field_widget("name").setFocus()

    def try_initialise(self) -> None:
        ok = self.office_form.validate() & self.admin_form.validate()
        admin = self.admin_form.values()
        if admin["password"] and admin["password2"] != admin["password"]:
            self.admin_form.errors_from(ValidationError({"password2": "两次输入的密码不一致"}))
            ok = False
        if not ok:
            return
        from unionsdesk.services.common import office as office_svc

        try:
            self.user = office_svc.initialise(
                self.db,
                self.office_form.values(),
                admin["login"] or "",
                admin["password"] or "",
                admin["display_name"] or "管理员",
            )
        except ValidationError as exc:
            rest = self.office_form.errors_from(exc)
            rest = self.admin_form.errors_from(ValidationError(rest)) if rest else {}
            show_error(self, exc, "请检查填写的内容")
            return
        except UnionsDeskError as exc:
            show_error(self, exc)
            return
        self.accept()


def password_spec() -> EntitySpec:
    from unionsdesk.fields import USER, EntitySpec, FieldSpec

    return EntitySpec(
        "change_password",
        "修改密码",
        (
            FieldSpec("old", "原密码", kind="password", required=True),
            replace(USER["password"], name="new", label="新密码", required=True),
            FieldSpec("new2", "再次输入新密码", kind="password", required=True),
        ),
    )


class ChangePasswordDialog(QDialog):
    def __init__(self, db: Database, user: CurrentUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user
        from .widgets.form import FormWidget

        self.setWindowTitle(f"{APP_TITLE} — 修改密码")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"修改“{user.display_name}”（{user.login}）的登录密码"))
        self.form = FormWidget(password_spec())
        layout.addWidget(self.form)
        buttons = QDialogButtonBox()
        self.ok_button = QPushButton("确定")
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.try_change)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.form.submitted.connect(self.try_change)

    def try_change(self) -> None:
        if not self.form.validate():
            return
        v = self.form.values()
        if v["new"] != v["new2"]:
            self.form.errors_from(ValidationError({"new2": "两次输入的新密码不一致"}))
            return
        from unionsdesk.services.common import users as users_svc

        try:
            users_svc.change_own_password(self.db, self.user, v["old"], v["new"])
        except AuthError as exc:
            self.form.errors_from(ValidationError({"old": str(exc)}))
            return
        except ValidationError as exc:
            self.form.errors_from(ValidationError({"new": str(exc)}))
            return
        except UnionsDeskError as exc:
            show_error(self, exc)
            return
        self.accept()
