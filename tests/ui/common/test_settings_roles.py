"""设置 › 用户和角色: 维权查看 given to and taken from a role (admin only, confirmed,
audited); 人员档案 leaves the 维权 sections out for users without it."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.db.models_rights import Dispute
from unionsdesk.services.common import users
from unionsdesk.services.common.base import RIGHTS, CurrentUser
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.common import settings_users
from unionsdesk.ui.tabs.common.settings import SettingsTab
from unionsdesk.ui.tabs.common.settings_users import RIGHTS_COLUMN, UsersPage
from unionsdesk.ui.widgets.person_file import PersonFileDialog, open_person_file

SHOTS = Path("/tmp/framework")


def _users_page(window: MainWindow) -> UsersPage:
    assert window.open_tab("设置/用户和角色")
    tab = window.content("设置")
    assert isinstance(tab, SettingsTab)
    page = tab.current_page()
    assert isinstance(page, UsersPage)
    return page


def _rights_cell(page: UsersPage, code: str) -> Any:
    row = next(i for i, r in enumerate(page.role_rows) if r.code == code)
    return page.roles.item(row, RIGHTS_COLUMN)


def test_admin_ticks_rights_view_for_a_role(
    admin_window: MainWindow,
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
    monkeypatch: pytest.MonkeyPatch,
    shown: Any,
) -> None:
    page = _users_page(admin_window)
    assert page.roles.rowCount() == 4
    assert [page.roles.item(i, 0).text() for i in range(4)] == [
        "管理员",
        "经办人",
        "审核人",
        "只读",
    ]
    admin_cell = _rights_cell(page, "admin")
    assert admin_cell.checkState() == Qt.CheckState.Checked
    assert not admin_cell.flags() & Qt.ItemFlag.ItemIsEnabled  # 管理员 always has it
    clerk_cell = _rights_cell(page, "clerk")
    assert clerk_cell.checkState() == Qt.CheckState.Unchecked
    assert clerk_cell.flags() & Qt.ItemFlag.ItemIsUserCheckable

    # the clerk says no in the confirmation: nothing changes, the box goes back
    asked: list[str] = []
    monkeypatch.setattr(settings_users, "confirm", lambda _p, text, *_a, **_k: asked.append(text))
    clerk_cell.setCheckState(Qt.CheckState.Checked)
    assert asked and "全部“经办人”用户" in asked[0]
    assert _rights_cell(page, "clerk").checkState() == Qt.CheckState.Unchecked
    assert not login_as(demo_db, "jingban").can(RIGHTS)

    # and yes: every 经办人 has it from the next login; the users list shows it
    monkeypatch.setattr(settings_users, "confirm", lambda *_a, **_k: True)
    _rights_cell(page, "clerk").setCheckState(Qt.CheckState.Checked)
    assert _rights_cell(page, "clerk").checkState() == Qt.CheckState.Checked
    assert login_as(demo_db, "jingban").can(RIGHTS)
    rows = {page.table.item(i, 0).text(): page.table.item(i, 3).text()
            for i in range(page.table.rowCount())}  # fmt: skip
    assert rows["jingban"] == "是" and rows["chaxun"] == ""
    assert shown.boxes == []

    SHOTS.mkdir(exist_ok=True)
    admin_window.resize(1280, 800)
    assert admin_window.grab().save(str(SHOTS / "settings_users_roles.png"))

    _rights_cell(page, "clerk").setCheckState(Qt.CheckState.Unchecked)
    assert not login_as(demo_db, "jingban").can(RIGHTS)
    with demo_db.reading() as s:
        summaries = list(s.scalars(select(AuditLog.summary).where(AuditLog.entity == "role")))
    assert summaries == ["为角色“经办人”授予“维权查看”权限", "取消角色“经办人”的“维权查看”权限"]


def test_non_admin_sees_the_roles_table_disabled(
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
    make_window: Callable[..., MainWindow],
) -> None:
    page = _users_page(make_window(demo_db, login_as(demo_db, "jingban")))
    assert not page.roles.isEnabled() and page.roles.rowCount() == 0


def test_person_file_dialog_names_the_sections_left_out(
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
    make_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    with demo_db.reading() as s:
        person_id = s.scalar(select(Dispute.person_id).order_by(Dispute.id).limit(1))
    assert person_id is not None
    window = make_window(demo_db, login_as(demo_db, "jingban"))
    dialog = open_person_file(window, window.ctx, person_id)
    assert isinstance(dialog, PersonFileDialog)
    qtbot.addWidget(dialog)
    note = dialog.findChild(QLabel, "hiddenSections")
    assert note is not None and "劳动争议调解、法律援助" in note.text()
    assert "劳动争议调解" not in dialog.section_widgets
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "person_file_clerk.png"))

    admin = make_window(demo_db, users.first_admin(demo_db))
    full = open_person_file(admin, admin.ctx, person_id)
    assert isinstance(full, PersonFileDialog)
    qtbot.addWidget(full)
    assert "劳动争议调解" in full.section_widgets
    assert full.findChild(QLabel, "hiddenSections") is None
    full.grab().save(str(SHOTS / "person_file_admin.png"))
