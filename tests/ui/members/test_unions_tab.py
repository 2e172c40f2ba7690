"""基层工会 tab (and the 首页 statistics) against the demo county."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.reports.members import member_statistics
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import members, unions
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.common.home import HomeTab
from unionsdesk.ui.tabs.members.unions import ID_ROLE, UnionsTab, UnionStatusDialog, subtree_totals


def unions_tab(window: MainWindow) -> UnionsTab:
    assert window.open_tab("基层工会")
    tab = window.content("基层工会")
    assert isinstance(tab, UnionsTab)
    return tab


def drive_dialog(kind: type, action: Callable[[Any], None]) -> QTimer:
    timer = QTimer()
    timer.setInterval(10)

    def tick() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, kind) and w.isVisible():
                timer.stop()
                try:
                    action(w)
                finally:
                    if w.isVisible():
                        w.reject()
                return

    timer.timeout.connect(tick)
    timer.start()
    return timer


def by_name(db: Database, admin: CurrentUser, name: str) -> unions.UnionRow:
    return next(u for u in unions.list_unions(db, admin) if u.name == name)


def test_tree_matches_the_register(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = unions_tab(admin_window)
    rows = unions.list_unions(demo_db, admin_user)
    assert tab.tree_parents() == {u.id: u.parent_id for u in rows}
    # counts: own members, and with the unions below
    totals = subtree_totals(rows)
    county = next(u for u in rows if u.parent_id is None)
    assert totals[county.id] == members.count_members(demo_db) == 400
    root = tab.model.item(0, 0)
    assert root.text() == county.name and tab.model.item(0, 2).text() == "400"
    township = root.child(0, 0)
    town_row = next(u for u in rows if u.id == township.data(ID_ROLE))
    assert root.child(0, 2).text() == f"{totals[town_row.id]:,}"
    assert township.rowCount() == sum(1 for u in rows if u.parent_id == town_row.id)
    assert "共 40 个工会" in tab.count_label.text()


def test_filter_keeps_the_path_to_matches(admin_window: MainWindow) -> None:
    tab = unions_tab(admin_window)
    tab.filter_edit.setText("卫生院002")
    assert tab.proxy.rowCount() == 1  # the county
    county = tab.proxy.index(0, 0)
    town = tab.proxy.index(0, 0, county)
    leaf = tab.proxy.index(0, 0, town)
    assert tab.proxy.rowCount(county) == 1 and tab.proxy.rowCount(town) == 1
    assert town.data() == "青原镇总工会" and leaf.data() == "示例县福临卫生院002工会委员会"
    tab.filter_edit.clear()
    assert tab.proxy.rowCount(tab.proxy.index(0, 0)) == 15


def test_selecting_shows_the_form_and_election_reminder(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = unions_tab(admin_window)
    union = by_name(demo_db, admin_user, "示例县福临卫生院002工会委员会")
    assert tab.select_union(union.id)
    assert tab.form.values()["name"] == union.name
    assert tab.form.values()["parent"] == union.parent_id
    assert tab.form_title.text() == union.name
    reminder = union.election_reminder()
    if reminder:
        assert reminder in tab.reminder_label.text()
    # make it overdue: the reminder appears on the form
    unions.update_union(
        demo_db, admin_user, union.id,
        union.as_dict() | {"parent_id": union.parent_id, "last_election_on": date(2015, 1, 1),
                           "term_years": 5},
    )  # fmt: skip
    tab.refresh()
    assert tab.select_union(union.id)
    assert "换届已逾期" in tab.reminder_label.text() and tab.reminder_label.isVisible()


def test_create_a_child_union_and_edit_it(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser, qtbot: QtBot, shown: Any
) -> None:
    tab = unions_tab(admin_window)
    town = by_name(demo_db, admin_user, "青原镇总工会")
    assert tab.select_union(town.id)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    assert tab.current is None and "青原镇总工会" in tab.form_title.text()
    assert tab.form.values()["parent"] == town.id
    name = tab.form.field_widget("name")
    assert isinstance(name, QLineEdit)
    name.setText("青原镇新建物流公司工会委员会")
    qtbot.keyClick(admin_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert shown.boxes == []
    created = unions.find_union(demo_db, admin_user, "青原镇新建物流公司工会委员会")
    assert created.parent_id == town.id and created.status == "正常"
    assert tab.current is not None and tab.current.id == created.id
    assert tab.tree_parents()[created.id] == town.id

    chair = tab.form.field_widget("chair_name")
    assert isinstance(chair, QLineEdit)
    chair.setText("王主席")
    tab.save()
    assert unions.get_union(demo_db, admin_user, created.id).chair_name == "王主席"
    assert unions.get_union(demo_db, admin_user, created.id).parent_id == town.id


def test_closing_a_union_with_members_is_refused(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser, shown: Any
) -> None:
    tab = unions_tab(admin_window)
    union = by_name(demo_db, admin_user, "示例县福临卫生院002工会委员会")
    assert union.member_count > 0
    tab.select_union(union.id)
    seen: list[bool] = []

    def close_it(dialog: UnionStatusDialog) -> None:
        dialog.choose("撤销", date.today(), "企业关闭")
        seen.append(dialog.try_accept())

    timer = drive_dialog(UnionStatusDialog, close_it)
    tab.change_status()
    timer.stop()
    assert seen == [False]
    assert any("在册会员" in t and "转会" in t for t in shown.texts("critical"))
    assert unions.get_union(demo_db, admin_user, union.id).status == "正常"


def test_close_an_empty_union_greys_it(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = unions_tab(admin_window)
    town = by_name(demo_db, admin_user, "东固乡总工会")
    empty = unions.create_union(
        demo_db, admin_user, {"name": "东固乡待撤销工会", "parent_id": town.id}
    )
    tab.refresh()
    tab.select_union(empty.id)
    dialog = tab.status_dialog()
    assert dialog is not None
    dialog.choose("撤销", date.today(), "企业注销")
    assert dialog.try_accept()
    tab.after_status_change(dialog.result_value)  # what 变更状态… does after 确定
    assert tab.current is not None and tab.current.id == empty.id
    assert unions.get_union(demo_db, admin_user, empty.id).status == "撤销"
    assert "已撤销" in tab.status_label.text() and "企业注销" in tab.status_label.text()
    source = tab._index_of(empty.id)
    assert source.data(Qt.ItemDataRole.ForegroundRole) is not None  # grey
    assert not tab.new_button.isEnabled()  # no children under a closed union
    history = unions.status_history(demo_db, admin_user, empty.id)
    assert [e.status for e in history] == ["撤销"]


def test_merge_needs_a_target(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = unions_tab(admin_window)
    town = by_name(demo_db, admin_user, "东固乡总工会")
    empty = unions.create_union(
        demo_db, admin_user, {"name": "东固乡待合并工会", "parent_id": town.id}
    )
    tab.refresh()
    tab.select_union(empty.id)
    dialog = tab.status_dialog()
    assert dialog is not None
    dialog.choose("合并", date.today(), "两厂合并")
    assert dialog.form.field_widget("merged_into_id").isEnabled()
    assert not dialog.try_accept()
    assert dialog.form.error_text("merged_into_id")
    target = by_name(demo_db, admin_user, "示例县福临卫生院002工会委员会")
    dialog.choose("合并", date.today(), "两厂合并", merged_into_id=target.id)
    assert dialog.try_accept()
    assert unions.get_union(demo_db, admin_user, empty.id).status == "合并"


def test_export_directory(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Any,
) -> None:
    tab = unions_tab(admin_window)
    out = tmp_path / "名录.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(out), "")))
    tab.export_button.click()
    job = tab.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert any("40 个工会" in t for t in shown.texts("information"))
    cells = {
        c for row in openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True)
        for c in row
    }  # fmt: skip
    assert {u.name for u in unions.list_unions(demo_db, admin_user)} <= cells


def test_readonly_user_cannot_change_unions(
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
    make_window: Callable[..., MainWindow],
) -> None:
    window = make_window(demo_db, login_as(demo_db, "chaxun"))
    tab = unions_tab(window)
    assert tab.current is not None  # the first union is shown
    for button in (tab.new_button, tab.save_button, tab.status_button):
        assert not button.isEnabled(), button.text()
    assert tab.export_button.isEnabled() and tab.history_button.isEnabled()
    name = tab.form.field_widget("name")
    assert isinstance(name, QLineEdit) and name.isReadOnly()


# -- 首页 -------------------------------------------------------------------------------


def test_home_shows_statistics_and_exports_them(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = admin_window.content("首页")
    assert isinstance(home, HomeTab)
    job = home.stats_job
    assert job is not None  # counted off the GUI thread
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert home.members_card.value.text() == "400"
    stats = member_statistics(demo_db, admin_user)
    table = home.stats_table
    assert table.rowCount() == len(stats.by_township.rows) + 1  # + 合计
    assert table.item(table.rowCount() - 1, 0).text() == "合计"
    assert table.item(table.rowCount() - 1, 1).text() == "400"
    names = {table.item(r, 0).text() for r in range(table.rowCount() - 1)}
    assert names == {str(r[0]) for r in stats.by_township.rows}
    due = unions.elections_due(demo_db, admin_user)
    assert home.elections.rowCount() == len(due)
    assert home.elections_card.value.text() == str(len(due))

    # a change elsewhere: the counts are new when the clerk comes back
    tab = unions_tab(admin_window)
    assert tab is not None
    members_rows = members.search_member_ids(demo_db, admin_user)
    admin_window.ctx.changed.emit("members")
    members.change_member_status(
        demo_db, admin_user, members_rows[0], members.WITHDRAWN, date.today(), "本人申请"
    )
    assert admin_window.open_tab("首页")
    assert home.stats_job is not job  # counted again
    qtbot.waitUntil(lambda: home.members_card.value.text() == "399", timeout=10000)

    out = tmp_path / "统计.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(out), "")))
    home.export_stats_button.click()
    export = home.job
    assert export is not None
    qtbot.waitUntil(lambda: not export.running, timeout=10000)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["按乡镇", "按基层工会"]


def test_unsaved_union_changes_ask_first(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import unionsdesk.ui.tabs.members.unions as unions_module

    tab = unions_tab(admin_window)
    first = by_name(demo_db, admin_user, "青原镇总工会")
    other = by_name(demo_db, admin_user, "东固乡总工会")
    assert tab.select_union(first.id)
    chair = tab.form.field_widget("chair_name")
    assert isinstance(chair, QLineEdit)
    chair.setText("李主席")
    asked: list[str] = []

    def no(_parent: object, text: str, *_a: object, **_k: object) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(unions_module, "confirm", no)
    assert not tab.select_union(other.id)
    assert asked and tab.current is not None and tab.current.id == first.id
    assert tab.form.values()["chair_name"] == "李主席"
    tab.new_child()
    assert len(asked) == 2 and tab.current is not None  # still editing 青原镇总工会


def test_a_new_union_is_offered_on_the_member_tab(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    from unionsdesk.ui.tabs.members.members import MembersTab

    assert admin_window.open_tab("会员")
    members_tab = admin_window.content("会员")
    assert isinstance(members_tab, MembersTab)
    tab = unions_tab(admin_window)
    town = by_name(demo_db, admin_user, "富田镇总工会")
    tab.select_union(town.id)
    tab.new_child()
    name = tab.form.field_widget("name")
    assert isinstance(name, QLineEdit)
    name.setText("富田镇新成立工会委员会")
    tab.save()
    created = unions.find_union(demo_db, admin_user, "富田镇新成立工会委员会")
    assert admin_window.open_tab("会员")  # stale after the change: refreshed when shown
    assert members_tab.union_filter.findData(created.id) >= 0
    assert members_tab.form.field_widget("union").findData(created.id) >= 0  # type: ignore[attr-defined]
