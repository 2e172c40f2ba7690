"""设置 sub-pages against a real demo database."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.services.common import audit, codes, maintenance, office, settings, users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.common.settings import SettingsPage, SettingsTab
from unionsdesk.ui.tabs.common.settings_audit import AuditDetailDialog, AuditPage
from unionsdesk.ui.tabs.common.settings_backup import BackupPage
from unionsdesk.ui.tabs.common.settings_codes import CodeDialog, CodesPage
from unionsdesk.ui.tabs.common.settings_office import OfficePage
from unionsdesk.ui.tabs.common.settings_print import PrintOffsetsPage
from unionsdesk.ui.tabs.common.settings_users import ResetPasswordDialog, UserDialog, UsersPage
from unionsdesk.ui.widgets.table import row_data, select_row


def _page(window: MainWindow, title: str) -> Any:
    assert window.open_tab(f"设置/{title}")
    tab = window.content("设置")
    assert isinstance(tab, SettingsTab)
    page = tab.current_page()
    assert isinstance(page, SettingsPage) and page.title == title
    return page


# -- 单位信息 ---------------------------------------------------------------------------


def test_office_form_round_trips_through_the_database(
    admin_window: MainWindow, demo_db: Database, qtbot: QtBot, shown: Any
) -> None:
    home = admin_window.content("首页")  # built first, so it has to refresh later
    page: OfficePage = _page(admin_window, "单位信息")
    assert page.form.values()["name"] == "示例县总工会"
    page.form.set_values({"name": "新名字县总工会", "leader": "刘主席", "phone": "13900001111"})
    qtbot.keyClick(admin_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    saved = office.get_office(demo_db)
    assert (saved.name, saved.leader, saved.phone) == ("新名字县总工会", "刘主席", "13900001111")
    assert page.saved_label.text() == "已保存" and shown.boxes == []
    assert "新名字县总工会" in admin_window.windowTitle()
    # what the page shows after the save is what the database holds
    assert page.form.values()["name"] == saved.name and page.version == saved.version
    assert admin_window.open_tab("首页")
    assert home.office_label.text() == "新名字县总工会"  # type: ignore[attr-defined]


def test_office_form_validation_and_conflict(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser, shown: Any
) -> None:
    page: OfficePage = _page(admin_window, "单位信息")
    page.form.set_values({"name": ""})
    page.save()
    assert page.form.error_text("name") and office.get_office(demo_db).name == "示例县总工会"

    # someone else saves first: ours is refused with the service's message
    other = office.get_office(demo_db).as_dict() | {"leader": "别人改的"}
    office.save_office(demo_db, admin_user, other)
    page.form.set_values({"name": "我的改动县总工会"})
    page.save()
    assert "已被" in shown.texts("critical")[-1]
    assert office.get_office(demo_db).leader == "别人改的"
    page.load()
    assert page.form.values()["leader"] == "别人改的"


def test_office_page_sets_the_rule_on_members_under_14(
    admin_window: MainWindow, demo_db: Database, shown: Any
) -> None:
    """会员登记规则: the box shows the stored setting and saves it at once, audited."""
    from unionsdesk.services.members import members

    page: OfficePage = _page(admin_window, "单位信息")
    assert page.young_box.isEnabled() and not page.young_box.isChecked()
    page.young_box.setChecked(True)
    assert members.young_members_allowed(demo_db)
    entry = audit.query_audit(demo_db, admin_window.ctx.user, audit.AuditFilter(entity="setting"))[
        0
    ]
    assert "允许登记入会时未满14周岁的会员" in entry.describe()
    members.allow_young_members(demo_db, admin_window.ctx.user, False)
    page.load()
    assert not page.young_box.isChecked() and not members.young_members_allowed(demo_db)
    assert shown.boxes == []


# -- 用户和角色 ----------------------------------------------------------------------------


def test_add_edit_and_reset_user(
    admin_window: MainWindow, demo_db: Database, qtbot: QtBot, shown: Any
) -> None:
    page: UsersPage = _page(admin_window, "用户和角色")
    assert page.table.rowCount() == 4

    dialog = UserDialog(page.ctx, None, page)
    qtbot.addWidget(dialog)
    dialog.form.set_values(
        {"login": "Xiaowang", "display_name": "小王", "role": "reviewer",
         "password": "abc123", "password2": "abc123"}
    )  # fmt: skip
    dialog.try_save()
    assert dialog.result() and dialog.result_row is not None
    assert dialog.result_row.login == "xiaowang" and dialog.result_row.role_name == "审核人"
    page.refresh()
    assert page.table.rowCount() == 5

    duplicate = UserDialog(page.ctx, None, page)
    qtbot.addWidget(duplicate)
    duplicate.form.set_values(
        {"login": "xiaowang", "display_name": "另一个", "password": "abc123", "password2": "abc123"}
    )
    duplicate.try_save()
    assert "已被使用" in duplicate.form.error_text("login")

    select_row(page.table, lambda u: u.login == "xiaowang")
    row = row_data(page.table)
    edit = UserDialog(page.ctx, row, page)
    qtbot.addWidget(edit)
    edit.form.set_values({"role": "clerk", "active": False})
    edit.try_save()
    assert edit.result_row is not None and edit.result_row.role == "clerk"
    assert not edit.result_row.active

    reset = ResetPasswordDialog(page.ctx, edit.result_row, page)
    qtbot.addWidget(reset)
    reset.form.set_values({"password": "zzz999", "password2": "zzz999"})
    reset.try_save()
    assert reset.result()
    users.update_user(demo_db, page.ctx.user, row.id, {"active": True})
    assert users.login(demo_db, "xiaowang", "zzz999").role == "clerk"


def test_last_admin_cannot_be_demoted(admin_window: MainWindow, qtbot: QtBot, shown: Any) -> None:
    page: UsersPage = _page(admin_window, "用户和角色")
    select_row(page.table, lambda u: u.login == "admin")
    dialog = UserDialog(page.ctx, row_data(page.table), page)
    qtbot.addWidget(dialog)
    dialog.form.set_values({"role": "readonly"})
    dialog.try_save()
    assert not dialog.result()
    assert "最后一个管理员" in shown.texts("critical")[-1]


# -- 字典 -----------------------------------------------------------------------------------


def test_code_entries_add_edit_toggle(
    admin_window: MainWindow, demo_db: Database, qtbot: QtBot
) -> None:
    page: CodesPage = _page(admin_window, "字典")
    page.categories.setCurrentRow(list(codes.CATEGORIES).index("education"))
    assert page.category() == "education"
    before = page.table.rowCount()
    assert before == len(codes.list_codes(demo_db, "education", include_inactive=True))

    dialog = CodeDialog(page.ctx, "education", None, page)
    qtbot.addWidget(dialog)
    dialog.form.set_values({"code": "99", "label": "扫盲班"})
    dialog.try_save()
    assert dialog.result_code is not None and dialog.result_code.sort_order > 0
    page.refresh()
    assert page.table.rowCount() == before + 1

    select_row(page.table, lambda c: c.code == "99")
    edit = CodeDialog(page.ctx, "education", row_data(page.table), page)
    qtbot.addWidget(edit)
    assert edit.form.field_widget("code").isReadOnly()  # type: ignore[attr-defined]
    edit.form.set_values({"label": "扫盲班（旧）", "sort_order": "99"})
    edit.try_save()
    page.refresh()
    select_row(page.table, lambda c: c.code == "99")
    page.toggle_code()
    entry = next(
        c for c in codes.list_codes(demo_db, "education", include_inactive=True) if c.code == "99"
    )
    assert (entry.label, entry.sort_order, entry.active) == ("扫盲班（旧）", 99, False)
    assert "已停用" in page.table.item(page.table.currentRow(), 3).text()


# -- 操作日志 -------------------------------------------------------------------------------


def test_audit_filters_and_detail(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser, qtbot: QtBot
) -> None:
    office.save_office(demo_db, admin_user, office.get_office(demo_db).as_dict() | {"leader": "新"})
    page: AuditPage = _page(admin_window, "操作日志")
    page.refresh()
    total = page.table.rowCount()
    assert total == len(audit.query_audit(demo_db, admin_user))

    page.action_box.setCurrentIndex(page.action_box.findData("update"))
    page.entity_box.setCurrentIndex(page.entity_box.findData("office"))
    page.refresh()
    assert page.table.rowCount() == 1
    assert "负责人：陈主席 → 新" in page.table.item(0, 5).text()

    page.reset_filters()
    assert page.table.rowCount() == total
    page.text_edit.setText("chaxun")
    page.refresh()
    assert page.table.rowCount() >= 1

    page.reset_filters()
    page.action_box.setCurrentIndex(page.action_box.findData("update"))
    page.entity_box.setCurrentIndex(page.entity_box.findData("office"))
    page.refresh()
    entry = row_data(page.table, 0)
    detail = AuditDetailDialog(entry, page)
    qtbot.addWidget(detail)
    assert detail.table.item(0, 0).text() == "负责人"
    assert (detail.table.item(0, 1).text(), detail.table.item(0, 2).text()) == ("陈主席", "新")
    assert '"leader": "新"' in detail.json.toPlainText()
    assert "演示管理员" in detail.findChild(QLabel).text()  # the operator by name
    assert page.table.item(0, 1).text() == "演示管理员"  # not the login "admin"
    assert page.user_box.findText("演示管理员") > 0 and page.user_box.findText("admin") < 0

    assert admin_window.open_tab("设置/操作日志")
    admin_window.find_action.trigger()  # Ctrl+F
    assert page.focusWidget() is page.text_edit or page.text_edit.hasFocus()


# -- 套打偏移 ----------------------------------------------------------------------------


def test_print_offsets_round_trip(admin_window: MainWindow, demo_db: Database) -> None:
    page: PrintOffsetsPage = _page(admin_window, "套打偏移")
    page.x_box.setValue(-2.5)
    page.y_box.setValue(3)
    page.save()
    offsets = settings.get_print_offsets(demo_db)
    assert (offsets.x_mm, offsets.y_mm) == (-2.5, 3.0)
    assert page.saved_label.text() == "已保存"
    assert not settings.get_receipt_one_part_per_page(demo_db)
    page.one_part_box.setChecked(True)
    page.save()
    assert settings.get_receipt_one_part_per_page(demo_db)
    # receipts wait for 确认发放 unless the office says 提交审核 is enough
    from unionsdesk.services.aid.receipts import receipt_statuses

    assert receipt_statuses(demo_db) == ("已发放",) and not page.early_box.isChecked()
    page.early_box.setChecked(True)
    page.save()
    assert receipt_statuses(demo_db) == ("审核", "已发放")


def test_print_offsets_page_prints_a_test_sheet(admin_window: MainWindow, qtbot: QtBot) -> None:
    """The page says to print a test sheet: its button makes one, with the offsets as
    typed (not yet saved), in the print preview."""
    page: PrintOffsetsPage = _page(admin_window, "套打偏移")
    page.x_box.setValue(4)
    assert page.calibration_button.isEnabled() and "打印校准页" in page.calibration_button.text()
    preview = page.print_calibration()
    assert preview is not None
    qtbot.addWidget(preview)
    assert preview.page_count() == 1
    import subprocess

    text = subprocess.run(
        ["pdftotext", str(preview.path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "校准" in text
    path = preview.path
    preview.reject()
    assert not path.exists()


# -- 备份与恢复 ----------------------------------------------------------------------------


def test_backup_then_restore_keeps_the_window_working(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    shown: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page: BackupPage = _page(admin_window, "备份与恢复")
    assert page.table.rowCount() == 0
    page.backup(None)
    qtbot.waitUntil(lambda: page.job is not None and not page.job.running, timeout=20000)
    assert page.job is not None and page.job.error is None
    assert page.table.rowCount() == 1
    assert any("备份完成" in t for t in shown.texts("information"))

    office.save_office(demo_db, admin_user, office.get_office(demo_db).as_dict() | {"name": "改后"})
    page.table.selectRow(0)
    import unionsdesk.ui.tabs.common.settings_backup as backup_page

    asked: list[str] = []
    monkeypatch.setattr(
        backup_page, "confirm", lambda _p, text, *_a, **_k: asked.append(text) or True
    )
    page.restore_selected()
    qtbot.waitUntil(lambda: page.job is not None and not page.job.running, timeout=20000)
    assert page.job.error is None, page.job.error
    assert asked and "替换" in asked[0]
    # the same Database object still works and holds the backed-up data
    assert office.get_office(demo_db).name == "示例县总工会"
    assert "示例县总工会" in admin_window.windowTitle()
    assert not admin_window.logout_requested
    assert any(p.name.startswith("pre-restore-") for p in maintenance.list_backups(demo_db))
    assert admin_window.open_tab("首页")
    home = admin_window.content("首页")
    assert home.office_label.text() == "示例县总工会"  # type: ignore[attr-defined]


def test_backup_to_another_folder(
    admin_window: MainWindow,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_a: str(usb)))
    page: BackupPage = _page(admin_window, "备份与恢复")
    page.backup_elsewhere()
    qtbot.waitUntil(lambda: page.job is not None and not page.job.running, timeout=20000)
    assert [p.suffix for p in usb.iterdir()] == [".sqlite3"]


def test_backup_failure_is_shown(
    admin_window: MainWindow, tmp_path: Path, qtbot: QtBot, shown: Any
) -> None:
    page: BackupPage = _page(admin_window, "备份与恢复")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    page.backup(blocker / "sub")
    qtbot.waitUntil(lambda: page.job is not None and not page.job.running, timeout=20000)
    assert page.job is not None and page.job.error is not None
    assert "无法创建备份目录" in shown.texts("critical")[-1]


# -- 只读 ----------------------------------------------------------------------------------


def test_readonly_user_sees_admin_pages_disabled(
    demo_db: Database,
    make_window: Callable[..., MainWindow],
    login_as: Callable[[Database, str], CurrentUser],
    shown: Any,
) -> None:
    reader = login_as(demo_db, "chaxun")
    window = make_window(demo_db, reader)
    assert window.windowTitle().endswith("赵查询（只读）")

    office_page: OfficePage = _page(window, "单位信息")
    assert office_page.restricted and office_page.note.isVisible()
    assert "管理员" in office_page.note.text()
    assert not office_page.save_button.isEnabled()
    assert office_page.form.field_widget("name").isReadOnly()  # type: ignore[attr-defined]
    office_page.form.set_values({"name": "不该保存"})
    office_page.save()  # Ctrl+S on a read-only page does nothing
    assert office.get_office(demo_db).name == "示例县总工会"
    assert not office_page.young_box.isEnabled()

    users_page: UsersPage = _page(window, "用户和角色")
    assert users_page.note.isVisible() and not users_page.table.isEnabled()
    assert users_page.table.rowCount() == 0 and not users_page.add_button.isEnabled()

    codes_page: CodesPage = _page(window, "字典")
    assert codes_page.note.isVisible() and not codes_page.add_button.isEnabled()
    assert codes_page.table.rowCount() > 0  # may look, not change

    audit_page: AuditPage = _page(window, "操作日志")
    assert audit_page.note.isVisible() and not audit_page.table.isEnabled()

    backup_page: BackupPage = _page(window, "备份与恢复")
    assert backup_page.note.isVisible()
    assert not backup_page.backup_button.isEnabled()
    assert not backup_page.restore_button.isEnabled()

    print_page: PrintOffsetsPage = _page(window, "套打偏移")
    assert print_page.note.isVisible() and not print_page.save_button.isEnabled()
    assert shown.boxes == []


def test_clerk_may_back_up_but_not_restore(
    demo_db: Database,
    make_window: Callable[..., MainWindow],
    login_as: Callable[[Database, str], CurrentUser],
) -> None:
    window = make_window(demo_db, login_as(demo_db, "jingban"))
    page: BackupPage = _page(window, "备份与恢复")
    assert page.backup_button.isEnabled() and not page.restore_button.isEnabled()
    assert "恢复需要管理员" in page.note.text()


def test_services_refuse_even_when_the_ui_is_bypassed(
    demo_db: Database,
    make_window: Callable[..., MainWindow],
    login_as: Callable[[Database, str], CurrentUser],
    shown: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(demo_db, login_as(demo_db, "chaxun"))
    page: PrintOffsetsPage = _page(window, "套打偏移")
    page.x_box.setEnabled(True)
    page.x_box.setValue(5)
    monkeypatch.setattr(PrintOffsetsPage, "editable", property(lambda _self: True))
    page.save()
    assert "没有“系统管理”的权限" in shown.texts("critical")[-1]
    assert settings.get_print_offsets(demo_db).x_mm == 0
