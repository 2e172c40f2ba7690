"""设置 › 用户和角色: clerks' accounts, roles and passwords, and what each role may do
(维权查看 is given to or taken from a role here)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError, ValidationError
from unionsdesk.fields import USER, EntitySpec, FieldSpec
from unionsdesk.services.common import users as users_svc
from unionsdesk.services.common.base import PERMISSION_NAMES, RIGHTS, ROLE_NAMES
from unionsdesk.services.common.users import RoleRow, UserRow

from ...context import AppContext
from ...messages import confirm, show_error
from ...widgets.form import FormWidget
from ...widgets.table import cell, fill_table, make_table, row_data, select_row
from .settings import SettingsPage

ROLE_CHOICES = list(ROLE_NAMES.items())
PASSWORD2 = FieldSpec("password2", "再次输入密码", kind="password", required=True)
NEW_USER = EntitySpec(
    "new_user",
    "新用户",
    (
        USER["login"],
        USER["display_name"],
        USER["role"],
        replace(USER["password"], required=True),
        PASSWORD2,
        USER["active"],
    ),
)
RESET_PASSWORD = EntitySpec(
    "reset_password",
    "重置密码",
    (replace(USER["password"], label="新密码", required=True), PASSWORD2),
)


# The roles table: one column per permission, in PERMISSION_NAMES order; 维权查看 last,
# the one an administrator ticks per role.
ROLE_COLUMNS = ["角色", "在用用户", *(PERMISSION_NAMES[p].split("（")[0] for p in PERMISSION_NAMES)]
RIGHTS_COLUMN = len(ROLE_COLUMNS) - 1
ROLE_NOTE = (
    f"勾选或取消“维权查看”（{PERMISSION_NAMES[RIGHTS].split('（')[1].rstrip('）')}）即对该角色的"
    "全部用户授予或取消，记入操作日志；用户下次登录时生效。管理员始终拥有。"
)


def status_text(u: UserRow) -> str:
    if not u.active:
        return "已停用"
    if u.locked_until is not None:
        from datetime import datetime

        if u.locked_until > datetime.now():
            return f"锁定至 {u.locked_until:%H:%M:%S}"
    return "启用"


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox()
    ok = QPushButton(ok_text)
    ok.setObjectName("okButton")
    box.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
    box.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
    box.rejected.connect(dialog.reject)
    return box


class UserDialog(QDialog):
    """Add a user (``user`` None) or change one's name, role and active flag."""

    def __init__(
        self, ctx: AppContext, user: UserRow | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.result_row: UserRow | None = None
        self.setWindowTitle(f"{APP_TITLE} — {'新增用户' if user is None else '修改用户'}")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        if user is None:
            self.form = FormWidget(NEW_USER, choices={"role": ROLE_CHOICES})
            self.form.set_values({"role": "clerk", "active": True})
        else:
            layout.addWidget(QLabel(f"登录名：{user.login}"))
            self.form = FormWidget(
                USER,
                fields=["display_name", "role", "active"],
                choices={"role": ROLE_CHOICES},
            )
            self.form.set_values(
                {"display_name": user.display_name, "role": user.role, "active": user.active}
            )
        layout.addWidget(self.form)
        buttons = _buttons(self, "确定")
        buttons.accepted.connect(self.try_save)
        layout.addWidget(buttons)
        self.form.submitted.connect(self.try_save)

    def try_save(self) -> None:
        if not self.form.validate():
            return
        values = self.form.values()
        if self.user is None and values["password2"] != values["password"]:
            self.form.errors_from(ValidationError({"password2": "两次输入的密码不一致"}))
            return
        values.pop("password2", None)
        try:
            if self.user is None:
                self.result_row = users_svc.create_user(self.ctx.db, self.ctx.user, values)
            else:
                self.result_row = users_svc.update_user(
                    self.ctx.db, self.ctx.user, self.user.id, values, self.user.version
                )
        except ValidationError as exc:
            self.form.errors_from(exc)
            show_error(self, exc, "请检查填写的内容")
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        self.accept()


class ResetPasswordDialog(QDialog):
    def __init__(self, ctx: AppContext, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.setWindowTitle(f"{APP_TITLE} — 重置密码")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"为“{user.display_name}”（{user.login}）设置新密码："))
        self.form = FormWidget(RESET_PASSWORD)
        layout.addWidget(self.form)
        buttons = _buttons(self, "确定")
        buttons.accepted.connect(self.try_save)
        layout.addWidget(buttons)
        self.form.submitted.connect(self.try_save)

    def try_save(self) -> None:
        if not self.form.validate():
            return
        v = self.form.values()
        if v["password"] != v["password2"]:
            self.form.errors_from(ValidationError({"password2": "两次输入的密码不一致"}))
            return
        try:
            users_svc.update_user(
                self.ctx.db, self.ctx.user, self.user.id, {"password": v["password"]},
                self.user.version,
            )  # fmt: skip
        except ValidationError as exc:
            self.form.errors_from(exc)
            show_error(self, exc, "请检查填写的内容")
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        self.accept()


class UsersPage(SettingsPage):
    title = "用户和角色"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        bar = QHBoxLayout()
        self.add_button = QPushButton("新增用户…")
        self.add_button.setObjectName("addUser")
        self.edit_button = QPushButton("修改…")
        self.edit_button.setObjectName("editUser")
        self.reset_button = QPushButton("重置密码…")
        self.reset_button.setObjectName("resetPassword")
        for b in (self.add_button, self.edit_button, self.reset_button):
            bar.addWidget(b)
        bar.addStretch(1)
        self.outer.addLayout(bar)
        self.table = make_table(
            ["登录名", "姓名", "角色", "维权查看（随角色）", "状态", "最近登录"]
        )
        self.table.setObjectName("usersTable")
        self.outer.addWidget(self.table, 1)
        heading = QLabel("<b>角色权限</b>")
        self.outer.addWidget(heading)
        self.roles = make_table(ROLE_COLUMNS)
        self.roles.setObjectName("rolesTable")
        self.roles.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.roles.itemChanged.connect(self._role_item_changed)
        self.outer.addWidget(self.roles)
        self.role_note = QLabel(ROLE_NOTE)
        self.role_note.setWordWrap(True)
        self.role_note.setStyleSheet("color: #444;")
        self.outer.addWidget(self.role_note)
        self.role_rows: list[RoleRow] = []

        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.table.doubleClicked.connect(lambda _i: self.edit_user())
        if not self.editable:
            self.restrict(self.admin_note("查看和管理用户"))
            for w in (self.add_button, self.edit_button, self.reset_button, self.table, self.roles):
                w.setEnabled(False)
            return
        self.refresh()

    def refresh(self) -> None:
        if not self.editable:
            return
        self.refresh_roles()
        selected = row_data(self.table)
        try:
            rows = users_svc.list_users(self.ctx.db, self.ctx.user)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取用户")
            return
        fill_table(
            self.table,
            [
                (u.login, u.display_name, u.role_name, "是" if u.rights_view else "",
                 status_text(u),
                 f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "从未登录")
                for u in rows
            ],
            rows,
        )  # fmt: skip
        if selected is not None:
            select_row(self.table, lambda u: u is not None and u.id == selected.id)

    def _selected(self) -> UserRow | None:
        user: UserRow | None = row_data(self.table)
        if user is None:
            self.ctx.notify("请先在表格中选中一个用户")
        return user

    def _done(self, row: UserRow | None, message: str) -> None:
        self.refresh()
        if row is not None:
            select_row(self.table, lambda u: u is not None and u.id == row.id)
        self.ctx.changed.emit("users")
        self.ctx.notify(message)

    def add_user(self) -> None:
        dialog = UserDialog(self.ctx, None, self)
        if dialog.exec() and dialog.result_row is not None:
            self._done(dialog.result_row, f"已新增用户 {dialog.result_row.login}")

    def edit_user(self) -> None:
        user = self._selected()
        if user is None:
            return
        dialog = UserDialog(self.ctx, user, self)
        if dialog.exec():
            self._done(dialog.result_row, f"已修改用户 {user.login}")

    def reset_password(self) -> None:
        user = self._selected()
        if user is None:
            return
        if ResetPasswordDialog(self.ctx, user, self).exec():
            self._done(user, f"已重置 {user.login} 的密码")

    # -- roles ------------------------------------------------------------------------
    def refresh_roles(self) -> None:
        try:
            rows = users_svc.list_roles(self.ctx.db, self.ctx.user)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取角色")
            return
        self.role_rows = rows
        was = self.roles.blockSignals(True)
        try:
            fill_table(
                self.roles,
                [
                    [r.name, str(r.users), *("✓" if r.can(p) else "" for p in PERMISSION_NAMES)]
                    for r in rows
                ],
                rows,
            )
            for i, r in enumerate(rows):
                for c in range(2, RIGHTS_COLUMN):
                    cell(self.roles, i, c).setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item = cell(self.roles, i, RIGHTS_COLUMN)
                item.setText("始终拥有" if r.code == "admin" else "")
                flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                item.setFlags(flags if r.code != "admin" else Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if r.rights_view else Qt.CheckState.Unchecked
                )
                item.setToolTip(
                    "管理员始终拥有维权查看" if r.code == "admin"
                    else f"勾选：全部“{r.name}”用户可查看劳动争议调解和法律援助案件"
                )  # fmt: skip
        finally:
            self.roles.blockSignals(was)
        header = self.roles.verticalHeader().defaultSectionSize()
        self.roles.setFixedHeight(self.roles.horizontalHeader().height() + header * len(rows) + 4)

    def _role_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != RIGHTS_COLUMN or not 0 <= item.row() < len(self.role_rows):
            return
        role = self.role_rows[item.row()]
        granted = item.checkState() == Qt.CheckState.Checked
        if granted != role.rights_view:
            self.set_rights_view(role, granted)

    def set_rights_view(self, role: RoleRow, granted: bool, *, ask: bool = True) -> bool:
        """Give or take 维权查看 for every user of ``role`` (after the clerk confirms)."""
        if granted:
            text = (f"让全部“{role.name}”用户（{role.users}人）都能查看劳动争议调解和法律援助案件"
                    "（含当事人身份证号、电话和案情）吗？")  # fmt: skip
        else:
            text = f"取消“{role.name}”的维权查看：这些用户下次登录后将看不到维权案件。继续吗？"
        done = False
        if not ask or confirm(self, text, "维权查看", danger=granted):
            try:
                users_svc.set_role_permission(
                    self.ctx.db, self.ctx.user, role.code, RIGHTS, granted, role.version
                )
                done = True
            except UnionsDeskError as exc:
                show_error(self, exc, "未修改")
        self.refresh()
        if done:
            self.ctx.changed.emit("users")
            self.ctx.notify(
                f"已为角色“{role.name}”授予维权查看"
                if granted
                else f"已取消角色“{role.name}”的维权查看"
            )
        return done
