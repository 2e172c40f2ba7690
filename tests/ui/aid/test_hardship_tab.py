"""困难职工 tab against the demo county (13 hardship files)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.domain.idcard import check_char
from unionsdesk.services.aid import hardship
from unionsdesk.services.common import users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import unions
from unionsdesk.ui import main_window
from unionsdesk.ui.context import AppContext
from unionsdesk.ui.main_window import MainWindow, TabSpec
from unionsdesk.ui.tabs.aid.hardship import FileStatusDialog, HardshipTab, ReturnDialog
from unionsdesk.ui.widgets.excel_import import ImportDialog, ImportResultDialog
from unionsdesk.ui.widgets.table import row_data


def make_id(birth: str, seq: str, area: str = "360830") -> str:
    first = area + birth + seq
    return first + check_char(first)


def grassroots(db: Database, admin: CurrentUser) -> list[unions.UnionRow]:
    rows = unions.list_unions(db, admin)
    parents = {u.parent_id for u in rows}
    return [u for u in rows if u.id not in parents and u.status == "正常"]


@pytest.fixture
def make_tab(qtbot: QtBot, demo_db: Database) -> Callable[[CurrentUser], HardshipTab]:
    def make(user: CurrentUser) -> HardshipTab:
        tab = HardshipTab(AppContext(demo_db, user))
        qtbot.addWidget(tab)
        tab.resize(1280, 760)
        tab.show()
        return tab

    return make


def set_text(tab: HardshipTab, name: str, text: str) -> None:
    widget = tab.form.field_widget(name)
    assert isinstance(widget, QLineEdit)
    widget.setText(text)
    widget.editingFinished.emit()


def set_choice(tab: HardshipTab, name: str, value: Any) -> None:
    combo = tab.form.field_widget(name)
    assert isinstance(combo, QComboBox)
    index = combo.findData(value)
    assert index >= 0, (name, value)
    combo.setCurrentIndex(index)


def fill_new_file(tab: HardshipTab, union_id: int, seq: str = "301", income: str = "18000") -> None:
    tab.new_file(ask=False)
    set_text(tab, "name", "韩困难")
    set_text(tab, "id_number", make_id("19750101", seq))
    set_choice(tab, "union", union_id)
    set_choice(tab, "category", "01")
    set_choice(tab, "main_reason", "6")
    set_text(tab, "household_size", "3")
    set_text(tab, "household_income", income)


def list_row(tab: HardshipTab, file_id: int) -> int:
    for r in range(tab.table.rowCount()):
        if row_data(tab.table, r) == file_id:
            return r
    return -1


def test_create_and_edit_a_file_with_household(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    admin_user: CurrentUser,
    shown: Any,
) -> None:
    tab = make_tab(admin_user)
    before = tab.table.rowCount()
    assert tab.count_label.text() == f"在档 {before} 户"
    union = grassroots(demo_db, admin_user)[0]
    fill_new_file(tab, union.id)
    assert "¥500.00" in tab.income_label.text()  # (18000 / 12 / 3), shown before saving
    tab.household.add_row({"relation": "配偶", "name": "韩配偶"}, edit=False)
    r = tab.household.add_row(edit=False)
    tab.household.set_cell(r, "relation", "子女")
    tab.household.set_cell(r, "name", "韩子女")
    tab.household.set_cell(r, "health", "良好")  # the label; the service stores the code
    tab.household.set_cell(r, "school", "示例县一中")
    tab.save()
    assert shown.boxes == []
    assert tab.current is not None and tab.current.row.name == "韩困难"
    file_id = tab.current.row.id
    saved = hardship.get_file(demo_db, admin_user, file_id)
    assert saved.row.union_id == union.id and saved.row.per_capita_month == 50000
    assert [h["name"] for h in saved.household] == ["韩配偶", "韩子女"]
    assert saved.household[1]["health"] == "01"
    assert tab.table.rowCount() == before + 1 and list_row(tab, file_id) >= 0
    assert tab.table.selectionModel().selectedRows()[0].row() == list_row(tab, file_id)
    assert tab.pages.tabText(1) == "家庭成员（2）"
    assert not tab.is_dirty()

    # edit: the income goes above twice the 低保 line → warned, still saved
    set_text(tab, "household_income", "120000")
    tab.household.remove_selected()  # nothing selected in the household table: removes none
    assert tab.is_dirty()
    tab.save()
    assert hardship.get_file(demo_db, admin_user, file_id).row.per_capita_month == 333333
    assert tab.warnings_label.isVisibleTo(tab) and "2倍" in tab.warnings_label.text()
    assert tab.current is not None and tab.current.row.version == saved.row.version + 1


def test_edit_conflict_keeps_the_typing(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    admin_user: CurrentUser,
    shown: Any,
) -> None:
    tab = make_tab(admin_user)
    first = tab.rows[0]
    assert tab.select_file(first.id)
    other = hardship.get_file(demo_db, admin_user, first.id)
    hardship.save_file(
        demo_db, admin_user, other.values | {"reason_note": "别人改的"},
        file_id=first.id, expected_version=other.row.version,
    )  # fmt: skip
    set_text(tab, "reason_note", "我改的")
    tab.save()
    assert any("已被" in t for t in shown.texts("critical"))
    assert tab.form.values()["reason_note"] == "我改的"
    assert hardship.get_file(demo_db, admin_user, first.id).values["reason_note"] == "别人改的"


def test_warnings_for_an_id_on_another_file_and_bad_household_rows(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    admin_user: CurrentUser,
    shown: Any,
) -> None:
    tab = make_tab(admin_user)
    other = hardship.list_files(demo_db, admin_user)[0]
    full_id = hardship.get_file(demo_db, admin_user, other.id).values["id_number"]
    fill_new_file(tab, grassroots(demo_db, admin_user)[1].id, seq="303")
    tab.household.add_row({"relation": "配偶"}, edit=False)  # no name: refused before saving
    tab.save()
    assert tab.current is None
    assert tab.household.error_label.isVisibleTo(tab)
    assert "第1行" in tab.household.error_label.text()
    assert tab.pages.currentWidget() is tab.household
    tab.household.set_cell(0, "name", other.name)
    tab.household.set_cell(0, "id_number", full_id)
    tab.save()
    assert tab.current is not None and shown.boxes == []
    assert "另一份在档档案" in tab.warnings_label.text()


def test_required_fields_are_marked(
    make_tab: Callable[[CurrentUser], HardshipTab], admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    tab.new_file(ask=False)
    tab.save()
    assert tab.current is None
    assert "必须填写" in tab.form.error_text("name")
    assert "必须填写" in tab.form.error_text("union")


def test_other_reasons_menu_keeps_codes_and_allows_three(
    make_tab: Callable[[CurrentUser], HardshipTab], admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    tab.new_file(ask=False)
    for code in ("3", "4", "9"):
        tab.reason_actions[code].setChecked(True)
    assert tab.form.values()["other_reasons"] == "3,4,9"
    assert tab.reason_button.text() == "下岗失业、未参加社会保险、子女上学"
    assert not tab.reason_actions["1"].isEnabled()  # a fourth is refused
    tab.reason_actions["4"].setChecked(False)
    assert tab.form.values()["other_reasons"] == "3,9" and tab.reason_actions["1"].isEnabled()


def test_overdue_review_is_red_and_annual_review_clears_it(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    admin_user: CurrentUser,
) -> None:
    old = next(f for f in hardship.list_files(demo_db, admin_user) if f.last_annual_review is None)
    d = hardship.get_file(demo_db, admin_user, old.id)
    long_ago = (date.today() - timedelta(days=800)).isoformat()
    hardship.save_file(demo_db, admin_user, d.values | {"filed_on": long_ago},
                       file_id=old.id, expected_version=d.row.version)  # fmt: skip
    tab = make_tab(admin_user)
    r = list_row(tab, old.id)
    cell = tab.table.item(r, 8)
    assert cell.foreground().color().name() == "#c62828" and cell.font().bold()
    assert "逾期" in tab.due_label.text()
    tab.select_file(old.id)
    assert "年审" in tab.warnings_label.text()
    dialog = tab.annual_dialog()
    assert dialog is not None and dialog.form.values()["on"] == date.today().isoformat()
    assert dialog.try_accept()
    tab._after(dialog.result_value, "ok")
    r = list_row(tab, old.id)
    assert tab.table.item(r, 8).text() == date.today().isoformat()
    assert not tab.table.item(r, 8).font().bold()
    assert not tab.warnings_label.isVisibleTo(tab) or "年审" not in tab.warnings_label.text()


def test_status_flow_through_the_dialog(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
) -> None:
    tab = make_tab(admin_user)
    fill_new_file(tab, grassroots(demo_db, admin_user)[0].id, seq="305")
    tab.save()
    assert tab.current is not None and tab.current.row.status == "建档"
    file_id = tab.current.row.id

    dialog = tab.status_dialog()
    assert isinstance(dialog, FileStatusDialog)
    combo = dialog.form.field_widget("status")
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "（请选择）", "帮扶中", "解困脱困", "退出",
    ]  # fmt: skip
    dialog.choose("帮扶中", date.today())
    assert dialog.try_accept()
    tab._after(dialog.result_value, "ok")
    assert tab.current.row.status == "帮扶中"

    # through the button: 解困脱困 needs a reason; the dialog stays open until given
    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, FileStatusDialog):
            QTimer.singleShot(10, drive)
            return
        modal.choose("解困脱困", date.today())
        assert not modal.try_accept()
        assert "原因" in modal.form.error_text("reason")
        modal.choose("解困脱困", date.today(), "子女就业，收入提高")
        assert modal.try_accept()

    QTimer.singleShot(10, drive)
    tab.status_button.click()
    assert tab.current is not None and tab.current.row.status == "解困脱困"
    assert tab.status_filter.currentData() == "解困脱困"  # the list follows the file
    assert list_row(tab, file_id) >= 0
    assert not tab.save_button.isEnabled() and not tab.status_button.isEnabled()
    assert tab.table.item(list_row(tab, file_id), 0).foreground().color().name() == "#8a8a8a"
    assert file_id not in [f.id for f in hardship.list_files(demo_db, admin_user)]


def test_review_buttons_only_for_reviewers(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
) -> None:
    clerk = login_as(demo_db, "jingban")
    clerk_tab = make_tab(clerk)
    assert not clerk_tab.approve_button.isVisibleTo(clerk_tab)
    assert not clerk_tab.return_button.isVisibleTo(clerk_tab)
    fill_new_file(clerk_tab, grassroots(demo_db, clerk)[0].id, seq="307")
    clerk_tab.save()
    assert clerk_tab.current is not None
    file_id = clerk_tab.current.row.id
    assert clerk_tab.current.row.review_status == "待审核"

    reviewer = login_as(demo_db, "shenhe")
    tab = make_tab(reviewer)
    assert tab.approve_button.isVisibleTo(tab) and tab.return_button.isVisibleTo(tab)
    assert not tab.can_write and not tab.save_button.isEnabled() and not tab.new_button.isEnabled()
    assert tab.readonly_label.isVisibleTo(tab)
    tab.select_file(file_id)
    assert tab.approve_button.isEnabled()
    name_edit = tab.form.field_widget("name")
    assert isinstance(name_edit, QLineEdit) and name_edit.isReadOnly()

    dialog = tab.return_dialog()
    assert isinstance(dialog, ReturnDialog)
    assert not dialog.try_accept()  # a reason is required
    dialog.form.set_values({"note": "收入证明不全"})
    assert dialog.try_accept()
    tab._after(dialog.result_value, "ok")
    assert tab.table.item(list_row(tab, file_id), 7).text() == "退回"

    tab.approve()
    assert hardship.get_file(demo_db, reviewer, file_id).row.review_status == "已审核"
    assert not tab.approve_button.isEnabled()


def test_readonly_sees_masked_ids(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
) -> None:
    tab = make_tab(login_as(demo_db, "chaxun"))
    assert tab.rows and all("*" in r.id_number for r in tab.rows)
    assert "*" in tab.table.item(0, 1).text()
    assert not tab.approve_button.isVisibleTo(tab) and not tab.new_button.isEnabled()
    assert not tab.import_button.isEnabled()


def test_filters(
    make_tab: Callable[[CurrentUser], HardshipTab], demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    everyone = len(tab.rows)
    tab.category_filter.setCurrentIndex(tab.category_filter.findData("01"))
    deep = hardship.list_files(demo_db, admin_user, hardship.FileFilter(category="01"))
    assert [r.id for r in tab.rows] == [r.id for r in deep]
    assert tab.count_label.text() == f"找到 {len(deep)} 户"
    tab.category_filter.setCurrentIndex(0)
    name = tab.rows[0].name
    tab.search_edit.setText(name)
    tab.search_now()
    assert tab.rows and all(r.name == name for r in tab.rows) and len(tab.rows) < everyone


def test_ctrl_s_in_the_main_window_saves(
    demo_db: Database,
    admin_user: CurrentUser,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    spec = TabSpec("困难职工", "unionsdesk.ui.tabs.aid.hardship", "HardshipTab")
    monkeypatch.setattr(main_window, "TABS", [*main_window.TABS, spec])
    window = make_window(demo_db, admin_user)
    assert window.open_tab("困难职工")
    tab = window.content("困难职工")
    assert isinstance(tab, HardshipTab)
    fill_new_file(tab, grassroots(demo_db, admin_user)[0].id, seq="309")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert tab.current is not None and tab.current.row.name == "韩困难"


def test_closed_file_cannot_be_edited(
    make_tab: Callable[[CurrentUser], HardshipTab], demo_db: Database, admin_user: CurrentUser
) -> None:
    f = hardship.list_files(demo_db, admin_user)[0]
    hardship.change_file_status(demo_db, admin_user, f.id, "退出", date.today(), "迁出本县")
    tab = make_tab(admin_user)
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("退出"))
    assert tab.select_file(f.id)
    assert not tab.save_button.isEnabled() and not tab.annual_button.isEnabled()
    assert not tab.household.add_button.isEnabled()
    users.first_admin(demo_db)  # the database is still usable


# -- 导入档案 -----------------------------------------------------------------------------

IMPORT_HEADER = ["序号", "姓 名", "身份证号码", "所在工会", "困难类别", "致困原因", "家庭人口",
                 "家庭年收入", "建档日期"]  # fmt: skip


def hardship_sheet(path: Path, *, bad: bool, union: str = "城关镇总工会") -> list[str]:
    ids = [make_id("19720202", f"{n:03d}") for n in (881, 882)]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["困难职工档案汇总表"])
    ws.append(IMPORT_HEADER)
    ws.append([1, "钱导甲", ids[0], union, "深度困难", "患重特大疾病", 3, "18,000", "2025-03-01"])
    ws.append([2, "钱导乙", ids[1], "青原镇总工会", "相对困难", "下岗失业", 2, 24000, "2025.04"])
    if bad:
        ws.append([3, "钱导丙", make_id("19720202", "883"), "不存在的工会", "深度困难",
                   "无劳动能力", 1, 5000, "2025-01-01"])  # fmt: skip
    wb.save(path)
    return ids


def import_through_button(
    tab: HardshipTab,
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    expect_union: int | None = None,
) -> ImportResultDialog:
    """Press 导入档案…, choose ``path``, accept the 导入到 step as offered."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(path), "")))
    offered: list[int | None] = []

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, ImportDialog):
            QTimer.singleShot(10, drive)
            return
        offered.append(modal.union_id())
        modal.ok_button.click()

    QTimer.singleShot(10, drive)
    tab.import_button.click()
    assert offered == [expect_union]  # the union filter, or 按表中“所在工会”列
    job = tab.excel_import.job
    assert job is not None
    qtbot.waitUntil(
        lambda: not job.running and tab.excel_import.result_dialog is not None, timeout=10000
    )
    dialog = tab.excel_import.result_dialog
    assert isinstance(dialog, ImportResultDialog)
    return dialog


def test_import_files_by_the_union_column(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = make_tab(admin_user)
    before = len(hardship.list_files(demo_db, admin_user))
    assert tab.import_button.isEnabled() and tab.union_filter.union_id() is None
    broadcast: list[str] = []
    tab.ctx.changed.connect(broadcast.append)
    path = tmp_path / "困难职工档案.xlsx"
    ids = hardship_sheet(path, bad=False)

    dialog = import_through_button(tab, path, monkeypatch, qtbot)
    assert dialog.headline.text() == "已导入 2 户困难职工档案。"
    assert not dialog.save_errors_button.isVisible()
    dialog.accept()
    files = {f.id_number: f for f in hardship.list_files(demo_db, admin_user)}
    assert len(files) == before + 2
    assert files[ids[0]].union_name == "城关镇总工会" and files[ids[0]].category == "01"
    assert files[ids[1]].union_name == "青原镇总工会" and files[ids[1]].status == "建档"
    assert broadcast == ["hardship"]
    assert len(tab.rows) == before + 2  # the list was refreshed
    shown_ids = {tab.table.item(r, 1).text() for r in range(tab.table.rowCount())}
    assert set(ids) <= shown_ids


def test_import_files_into_the_filtered_union(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = make_tab(admin_user)
    target = grassroots(demo_db, admin_user)[3]
    tab.union_filter.set_union_id(target.id)
    path = tmp_path / "档案.xlsx"
    ids = hardship_sheet(path, bad=False, union="不存在的工会")  # the column is not used

    dialog = import_through_button(tab, path, monkeypatch, qtbot, expect_union=target.id)
    assert dialog.headline.text() == "已导入 2 户困难职工档案。"
    dialog.accept()
    mine = hardship.list_files(demo_db, admin_user, hardship.FileFilter(union_id=target.id))
    assert {f.id_number for f in mine} >= set(ids)
    assert all(f.union_id == target.id for f in mine if f.id_number in ids)
    assert {r.id_number for r in tab.rows} >= set(ids)  # the filtered list shows them


def test_import_files_with_a_bad_row_writes_nothing(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Any,
) -> None:
    tab = make_tab(admin_user)
    before = len(hardship.list_files(demo_db, admin_user))
    path = tmp_path / "档案.xlsx"
    hardship_sheet(path, bad=True)

    dialog = import_through_button(tab, path, monkeypatch, qtbot)
    assert len(hardship.list_files(demo_db, admin_user)) == before  # all or nothing
    assert len(tab.rows) == before
    assert "没有写入" in dialog.headline.text()
    assert "有错误的行：1" in dialog.summary.toPlainText()
    assert dialog.save_errors_button.isVisible()
    assert dialog.import_valid_button.text() == "只导入正确的行（2行）"

    errors = tmp_path / "错误清单.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(errors), "")))
    dialog.save_errors_button.click()
    assert errors.is_file() and any("错误清单已保存" in t for t in shown.texts("information"))
    rows = list(openpyxl.load_workbook(errors).worksheets[0].iter_rows(values_only=True))
    assert any(r[0] == 5 and "找不到该工会" in str(r) for r in rows)


def test_household_error_scrolls_to_the_red_cell_and_focuses_it(
    make_tab: Callable[[CurrentUser], HardshipTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
) -> None:
    """A family-member error far down the table: the table scrolls to the red cell and
    the cursor is in it, instead of staying scrolled away."""
    tab = make_tab(admin_user)
    fill_new_file(tab, grassroots(demo_db, admin_user)[0].id, seq="377")
    given = "甲乙丙丁戊己庚辛壬癸"
    for i in range(30):
        tab.household.add_row(
            {"relation": "子女", "name": f"韩{given[i % 10]}{given[i // 10]}"}, edit=False
        )
    bad = tab.household.add_row({"relation": "子女", "name": "末位"}, edit=False)
    good = make_id("20050101", "123")
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    tab.household.set_cell(bad, "id_number", wrong)  # wrong check digit
    table = tab.household.table
    table.scrollToTop()
    tab.save()
    assert tab.pages.currentWidget() is tab.household, tab.form.values()
    qtbot.wait(20)
    item = table.currentItem()
    assert item is not None and item.row() == bad, tab.household.error_label.text()
    assert (
        (item.toolTip() and table.hasFocus())
        or table.viewport().hasFocus()
        or tab.household.first_error is item
    )
    rect = table.visualItemRect(item)
    assert table.viewport().rect().intersects(rect)  # on screen, not scrolled away
