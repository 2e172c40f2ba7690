"""会员 tab against the demo county (400 members), and the lazy table model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QFileDialog, QLineEdit, QTableView
from pytestqt.qtbot import QtBot

from tests.ui.conftest import make_id, members_tab
from unionsdesk.db.engine import Database
from unionsdesk.domain.pinyin import pinyin_keys
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import members, unions
from unionsdesk.services.members.members import MemberFilter
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.members.members import MembersTab
from unionsdesk.ui.tabs.members.members_dialogs import TransferDialog
from unionsdesk.ui.widgets.excel_import import ImportResultDialog
from unionsdesk.ui.widgets.lazy_table import LazyColumn, LazyTableModel, configure_view
from unionsdesk.ui.workers import wait_for_background


def set_text(tab: MembersTab, name: str, text: str) -> None:
    widget = tab.form.field_widget(name)
    assert isinstance(widget, QLineEdit)
    widget.setText(text)
    widget.editingFinished.emit()


def set_choice(tab: MembersTab, name: str, value: Any) -> None:
    combo = tab.form.field_widget(name)
    assert isinstance(combo, QComboBox)
    index = combo.findData(value)
    assert index >= 0, (name, value)
    combo.setCurrentIndex(index)


def drive_dialog(kind: type, action: Callable[[Any], None]) -> QTimer:
    """Run ``action`` on the ``kind`` dialog as soon as it is shown (exec() blocks the test)."""
    timer = QTimer()
    timer.setInterval(10)

    def tick() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, kind) and w.isVisible():
                timer.stop()
                try:
                    action(w)
                finally:
                    if w.isVisible():  # a failed check must not leave the test blocked
                        w.reject()
                return

    timer.timeout.connect(tick)
    timer.start()
    return timer


def grassroots(db: Database, admin: CurrentUser) -> list[unions.UnionRow]:
    rows = unions.list_unions(db, admin)
    parents = {u.parent_id for u in rows}
    return [u for u in rows if u.id not in parents and u.status == "正常"]


# -- searching -------------------------------------------------------------------------


def test_typing_filters_the_list_like_the_service(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser, qtbot: QtBot
) -> None:
    tab = members_tab(admin_window)
    everyone = members.search_member_ids(demo_db, admin_user, MemberFilter())
    assert tab.model.ids() == everyone and tab.count_label.text() == f"共 {len(everyone)} 人"

    qtbot.keyClicks(tab.search_edit, "z")
    assert tab._timer.isActive()  # debounced: the search waits for the next keystroke
    expected = members.search_member_ids(demo_db, admin_user, MemberFilter(text="z"))
    qtbot.waitUntil(lambda: tab.model.ids() == expected, timeout=2000)
    assert 0 < len(expected) < len(everyone)
    assert tab.count_label.text() == f"找到 {len(expected)} 人"

    # more letters of someone's full pinyin narrow the list further
    first = members.fetch_member_rows(demo_db, admin_user, expected[:1])[0]
    full, _initials = pinyin_keys(first.name)
    typed = "z"
    previous = len(expected)
    for letter in full[1:4]:
        qtbot.keyClicks(tab.search_edit, letter)
        typed += letter
        want = members.search_member_ids(demo_db, admin_user, MemberFilter(text=typed))
        qtbot.waitUntil(lambda want=want: tab.model.ids() == want, timeout=2000)
        assert first.membership_id in want and len(want) <= previous
        previous = len(want)
    # and the rows shown are the service's rows
    row = tab.model.row_of(first.membership_id)
    assert tab.model.index(row, 0).data() == first.name

    # a filter by union (with the unions below it) and status
    tab.search_edit.clear()
    township = next(u for u in unions.list_unions(demo_db, admin_user) if u.name == "青原镇总工会")
    assert tab.union_filter.set_union_id(township.id)
    want = members.search_member_ids(demo_db, admin_user, MemberFilter(union_id=township.id))
    qtbot.waitUntil(lambda: tab.model.ids() == want, timeout=2000)
    assert want and all(
        r.union_name != township.name for r in members.fetch_member_rows(demo_db, admin_user, want)
    )
    tab.new_form_filter.setCurrentIndex(tab.new_form_filter.findData("*"))
    assert tab.model.ids() == members.search_member_ids(
        demo_db, admin_user, MemberFilter(union_id=township.id, new_employment="*")
    )


def test_selecting_a_row_fills_the_form(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = members_tab(admin_window)
    tab.table.selectRow(5)
    mid = tab.model.id_at(5)
    assert isinstance(mid, int)
    detail = members.get_member(demo_db, admin_user, mid)
    values = tab.form.values()
    assert values["name"] == detail.values["name"]
    assert values["id_number"] == detail.values["id_number"]
    assert values["union"] == detail.union_id and values["status"] == detail.values["status"]
    assert tab.form_title.text().startswith(f"会员：{detail.values['name']}")
    # union and status change through 转会 / 变更状态, not by editing the form
    assert not tab.form.field_widget("union").isEnabled()
    assert tab.transfer_button.isEnabled() and tab.history_button.isEnabled()


def test_edit_and_ctrl_s_saves(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser, qtbot: QtBot, shown: Any
) -> None:
    tab = members_tab(admin_window)
    tab.table.selectRow(2)
    mid = tab.model.id_at(2)
    assert isinstance(mid, int)
    before = members.get_member(demo_db, admin_user, mid)
    set_text(tab, "job", "电焊工")
    set_text(tab, "phone", "139 0000 1234")  # normalised as soon as the field is left
    assert tab.form.values()["phone"] == "13900001234"
    qtbot.keyClick(admin_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    after = members.get_member(demo_db, admin_user, mid)
    assert after.values["job"] == "电焊工" and after.values["phone"] == "13900001234"
    assert after.version == before.version + 1 and tab.current is not None
    assert tab.current.version == after.version and shown.boxes == []
    assert tab.model.index(2, 3).data() == "13900001234"  # the list shows the new phone
    assert not tab.is_dirty()


def test_invalid_values_are_marked_at_once(admin_window: MainWindow, demo_db: Database) -> None:
    tab = members_tab(admin_window)
    tab.new_member(ask=False)
    set_text(tab, "id_number", "36083019900101123")  # 17 digits
    assert tab.form.error_text("id_number")
    assert tab.form.field_widget("id_number").styleSheet()
    before = members.count_members(demo_db)
    tab.save()
    assert members.count_members(demo_db) == before
    assert tab.form.error_text("name") and tab.form.error_text("joined_on")


def test_stale_save_shows_the_conflict(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    login_as: Callable[[Database, str], CurrentUser],
    shown: Any,
) -> None:
    tab = members_tab(admin_window)
    tab.table.selectRow(0)
    mid = tab.model.id_at(0)
    assert isinstance(mid, int)
    opened = members.get_member(demo_db, admin_user, mid)
    other = login_as(demo_db, "jingban")  # another clerk saves first
    members.save_member(
        demo_db, other, opened.values | {"job": "会计"}, membership_id=mid,
        expected_version=opened.version,
    )  # fmt: skip
    set_text(tab, "job", "出纳")
    tab.save()
    assert members.get_member(demo_db, admin_user, mid).values["job"] == "会计"
    text = shown.texts("critical")[-1]
    assert "已被" in text and "修改" in text and "没有保存" in text
    assert tab.form.values()["job"] == "出纳"  # what the clerk typed is still there


def test_register_a_new_member_with_warnings(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser, qtbot: QtBot, shown: Any
) -> None:
    tab = members_tab(admin_window)
    target = grassroots(demo_db, admin_user)[0]
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    assert tab.current is None and tab.form_title.text() == "新增会员"
    number = make_id("19880808", "135")  # 17th digit odd: a man
    set_text(tab, "name", "测 试甲")
    set_text(tab, "id_number", number)
    set_choice(tab, "sex", "女")
    set_choice(tab, "union", target.id)
    set_text(tab, "joined_on", "2020.3.1")
    checkbox = tab.form.field_widget("migrant_worker")
    assert isinstance(checkbox, QCheckBox)
    checkbox.setChecked(True)
    before = members.count_members(demo_db)
    qtbot.keyClick(admin_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert shown.boxes == []
    assert members.count_members(demo_db) == before + 1
    assert tab.current is not None
    saved = members.get_member(demo_db, admin_user, tab.current.membership_id)
    assert saved.values["name"] == "测试甲" and saved.values["sex"] == "男"
    assert saved.union_id == target.id and saved.values["joined_on"] == date(2020, 3, 1)
    assert saved.values["migrant_worker"] is True
    assert tab.warnings_label.isVisible() and "与身份证号不符" in tab.warnings_label.text()
    wait_for_background()  # the list below its first page
    assert tab.model.row_of(saved.membership_id) >= 0  # in the list, selected
    assert tab.table.currentIndex().row() == tab.model.row_of(saved.membership_id)

    # the same person again: refused, marked on the ID field
    tab.new_member(ask=False)
    set_text(tab, "name", "测试甲")
    set_text(tab, "id_number", number)
    set_choice(tab, "union", grassroots(demo_db, admin_user)[1].id)
    set_text(tab, "joined_on", "2021-01-01")
    tab.save()
    assert "转会" in tab.form.error_text("id_number")
    assert members.count_members(demo_db) == before + 1


def test_transfer_through_the_dialog(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser, qtbot: QtBot
) -> None:
    tab = members_tab(admin_window)
    tab.table.selectRow(0)
    assert tab.current is not None
    old = tab.current
    target = next(u for u in grassroots(demo_db, admin_user) if u.id != old.union_id)

    def fill(dialog: TransferDialog) -> None:
        assert old.union_name in dialog.intro.text()
        dialog.choose(target.id, date.today(), "工作调动")
        assert dialog.try_accept()

    timer = drive_dialog(TransferDialog, fill)
    tab.transfer()
    timer.stop()
    assert tab.current is not None and tab.current.membership_id != old.membership_id
    moved = members.get_member(demo_db, admin_user, tab.current.membership_id)
    assert moved.union_id == target.id and moved.person_id == old.person_id
    assert not members.get_member(demo_db, admin_user, old.membership_id).active
    assert tab.model.row_of(old.membership_id) < 0  # 转出: no longer in the active list
    wait_for_background()  # the list below its first page
    assert tab.model.row_of(moved.membership_id) >= 0
    kinds = [e.kind for e in members.member_history(demo_db, admin_user, old.person_id)]
    assert kinds[-2:] == [members.TRANSFER_OUT, members.TRANSFER_IN]


def test_transfer_dialog_requires_a_target(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = members_tab(admin_window)
    tab.table.selectRow(0)
    dialog = tab.transfer_dialog()
    assert dialog is not None
    assert not dialog.try_accept()
    assert "必须填写" in dialog.form.error_text("union")
    dialog.reject()


# -- import and export -----------------------------------------------------------------


def roster(path: Path, *, bad: bool) -> list[str]:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "性别", "入会日期", "手机"])
    ids = [make_id("19900101", "551"), make_id("19910202", "662")]
    ws.append(["导入甲", ids[0], "男", "2021-05-01", "13700001111"])
    ws.append(["导入乙", ids[1], "女", "2021-06-01", None])
    if bad:
        ws.append(["导入丙", "36083019900101", "男", "2021-06-01", None])  # 14 digits
    wb.save(path)
    return ids


def test_import_with_errors_writes_nothing_then_skip_invalid(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Any,
) -> None:
    tab = members_tab(admin_window)
    target = grassroots(demo_db, admin_user)[2]
    path = tmp_path / "花名册.xlsx"
    ids = roster(path, bad=True)
    before = members.count_members(demo_db)

    job = tab.start_import(path, target.id)
    flow = tab.excel_import
    qtbot.waitUntil(lambda: not job.running and flow.result_dialog is not None, timeout=10000)
    dialog = flow.result_dialog
    assert isinstance(dialog, ImportResultDialog)
    assert members.count_members(demo_db) == before  # all or nothing
    assert "没有写入" in dialog.headline.text()
    assert "有错误的行：1" in dialog.summary.toPlainText()
    assert dialog.save_errors_button.isVisible() and dialog.import_valid_button.isVisible()

    errors = tmp_path / "错误清单"  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(errors), "")))
    dialog.save_errors_button.click()
    saved = errors.with_suffix(".xlsx")
    assert saved.is_file() and any("错误清单已保存" in t for t in shown.texts("information"))
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    assert any(row[0] == 4 for row in sheet.iter_rows(values_only=True))  # row 4 is the bad one

    dialog.import_valid_button.click()  # 只导入正确的行
    second = flow.job
    assert second is not None and second is not job
    qtbot.waitUntil(lambda: not second.running and flow.result_dialog is not None, timeout=10000)
    assert members.count_members(demo_db) == before + 2
    result = flow.result_dialog
    assert isinstance(result, ImportResultDialog) and "已导入 2 名会员" in result.headline.text()
    result.accept()
    in_target = members.fetch_member_rows(
        demo_db, admin_user,
        members.search_member_ids(demo_db, admin_user, MemberFilter(union_id=target.id)),
    )  # fmt: skip
    assert {r.id_number for r in in_target} >= set(ids)
    wait_for_background()  # the list below its first page
    assert tab.model.rowCount() == before + 2  # the list was refreshed


def test_clean_import_by_sheet_column_is_refused_without_it(
    admin_window: MainWindow, qtbot: QtBot, tmp_path: Path, shown: Any
) -> None:
    tab = members_tab(admin_window)
    path = tmp_path / "roster.xlsx"
    roster(path, bad=False)
    job = tab.start_import(path, None)  # 按表中“工作单位”: but the sheet has no such column
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert any("工作单位" in t for t in shown.texts("critical"))
    assert tab.excel_import.result_dialog is None


def test_export_through_the_worker(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Any,
) -> None:
    tab = members_tab(admin_window)
    township = next(u for u in unions.list_unions(demo_db, admin_user) if u.name == "城关镇总工会")
    tab.union_filter.set_union_id(township.id)
    out = tmp_path / "名册.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(out), "")))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    job = tab.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert any("已导出" in t for t in shown.texts("information"))
    expected = members.fetch_member_rows(
        demo_db, admin_user,
        members.search_member_ids(demo_db, admin_user, MemberFilter(union_id=township.id)),
    )  # fmt: skip
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "姓名")
    body = [r for r in rows[head + 1 :] if r[0] and r[0] != "合计"]
    assert len(body) == len(expected) > 0
    id_col = rows[head].index("身份证号")
    assert {r[id_col] for r in body} == {r.id_number for r in expected}
    assert all(isinstance(r[id_col], str) for r in body)


def test_template_download(
    admin_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = members_tab(admin_window)
    out = tmp_path / "模板.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(out), "")))
    tab.template_button.click()
    header = [c.value for c in openpyxl.load_workbook(out).worksheets[0][3]]
    assert header[:2] == ["姓名*", "身份证号*"]


# -- roles -----------------------------------------------------------------------------


def test_readonly_user_sees_masked_numbers_and_cannot_edit(
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
    make_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    reader = login_as(demo_db, "chaxun")
    window = make_window(demo_db, reader)
    tab = members_tab(window)
    assert tab.model.rowCount() == 400
    shown_id = tab.model.index(0, 2).data()
    assert "*" in shown_id and len(shown_id) == 18
    assert "*" in (tab.model.index(0, 3).data() or "*")
    tab.table.selectRow(0)
    assert "*" in tab.form.values()["id_number"]
    for button in (tab.new_button, tab.save_button, tab.transfer_button, tab.status_button,
                   tab.import_button):  # fmt: skip
        assert not button.isEnabled(), button.text()
    assert tab.history_button.isEnabled() and tab.export_button.isEnabled()
    assert tab.readonly_label.isVisible()
    name = tab.form.field_widget("name")
    assert isinstance(name, QLineEdit) and name.isReadOnly()
    mid = tab.model.id_at(0)
    assert isinstance(mid, int)
    before = members.get_member(demo_db, reader, mid).version
    window.save_action.trigger()  # Ctrl+S
    assert members.get_member(demo_db, reader, mid).version == before
    assert "没有修改会员信息的权限" in window.statusBar().currentMessage()


# -- the lazy model --------------------------------------------------------------------


@dataclass(frozen=True)
class FakeRow:
    id: int
    name: str
    active: bool = True


class CountingFetch:
    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, ids: Sequence[Any]) -> list[FakeRow]:
        self.calls.append(list(ids))
        return [FakeRow(i, f"会员{i}", active=i % 7 != 0) for i in ids]


def lazy_model(fetch: CountingFetch, **kw: Any) -> LazyTableModel[FakeRow]:
    columns: list[LazyColumn[FakeRow]] = [
        LazyColumn("编号", lambda r: r.id, 8, align_right=True),
        LazyColumn("姓名", lambda r: r.name, 10),
    ]
    return LazyTableModel(columns, fetch, key=lambda r: r.id, greyed=lambda r: not r.active, **kw)


def test_lazy_model_fetches_only_the_pages_shown(qtbot: QtBot) -> None:
    fetch = CountingFetch()
    model = lazy_model(fetch, page_size=200)
    ids = list(range(10_001, 15_001))  # 5 000 ids
    model.set_ids(ids)
    assert model.rowCount() == 5000 and fetch.calls == []  # the count needs no rows
    view = QTableView()
    qtbot.addWidget(view)
    configure_view(view, model)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)
    assert len(fetch.calls) == 1 and fetch.calls[0] == ids[:200]  # the first page only
    view.scrollToBottom()
    qtbot.wait(50)
    view.scrollTo(model.index(2600, 0))
    qtbot.wait(50)
    view.scrollToBottom()
    qtbot.wait(50)
    assert len(fetch.calls) <= 5, [c[0] for c in fetch.calls]  # never row by row
    assert all(len(c) <= 200 for c in fetch.calls)
    assert sum(len(c) for c in fetch.calls) < 1000  # never everything
    assert model.index(4999, 1).data() == "会员15000"
    assert model.index(2600, 0).data() == "12601"
    assert model.index(7, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(9, 1).data(Qt.ItemDataRole.ForegroundRole) is not None  # id 10010
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.headerData(1, Qt.Orientation.Horizontal) == "姓名"


def test_lazy_model_cache_is_bounded_and_invalidates(qtbot: QtBot) -> None:
    fetch = CountingFetch()
    model = lazy_model(fetch, page_size=100, max_pages=3)
    model.set_ids(list(range(1000)))
    for row in (0, 150, 250, 350, 450):
        assert model.index(row, 1).data() == f"会员{row}"
    assert model.cached_pages() == [2, 3, 4] and len(fetch.calls) == 5
    assert model.index(460, 1).data() == "会员460" and len(fetch.calls) == 5  # cached
    model.invalidate([455])
    assert 4 not in model.cached_pages()
    assert model.index(460, 1).data() == "会员460" and len(fetch.calls) == 6
    assert model.row_of(460) == 460 and model.id_at(460) == 460 and model.row_of(5000) == -1
    with qtbot.waitSignal(model.modelReset):
        model.set_ids([3, 2, 1])
    assert model.cached_pages() == [] and model.index(0, 1).data() == "会员3"


def test_lazy_model_survives_a_failing_fetch(qtbot: QtBot) -> None:
    def broken(_ids: Sequence[Any]) -> list[FakeRow]:
        raise RuntimeError("数据库已断开")

    columns: list[LazyColumn[FakeRow]] = [LazyColumn("姓名", lambda r: r.name)]
    model: LazyTableModel[FakeRow] = LazyTableModel(columns, broken, key=lambda r: r.id)
    model.set_ids([1, 2])
    with qtbot.waitSignal(model.fetch_failed) as blocker:
        assert model.index(0, 0).data() is None
    assert blocker.args == ["数据库已断开"]
    assert model.index(1, 0).data() is None  # the failed page is not asked for again


def test_unsaved_changes_are_not_lost_by_a_stray_click(
    admin_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unionsdesk.ui.tabs.members.members as members_module

    tab = members_tab(admin_window)
    tab.table.selectRow(0)
    first = tab.current
    assert first is not None
    set_text(tab, "job", "保管员")
    assert tab.is_dirty()
    answers: list[bool] = [False]
    monkeypatch.setattr(members_module, "confirm", lambda *_a, **_k: answers.pop(0))
    tab.table.selectRow(1)  # 取消: stay on the member being edited
    assert tab.current is first and tab.form.values()["job"] == "保管员"
    assert tab.table.currentIndex().row() == 0
    answers.append(True)
    tab.table.selectRow(1)  # 确定: the edit is dropped
    assert tab.current is not None and tab.current.membership_id == tab.model.id_at(1)
    assert not tab.is_dirty()


def test_the_first_page_shows_at_once_and_the_rest_follows(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    everyone = members.search_member_ids(demo_db, admin_user, MemberFilter())
    assert len(everyone) > 200
    tab = members_tab(admin_window, settled=False)
    page = tab.model.page_size
    assert tab.model.ids() == everyone[:page]
    assert tab.count_label.text() == f"共 {page}+ 人，正在统计…"
    wait_for_background()
    assert tab.model.ids() == everyone and tab.count_label.text() == f"共 {len(everyone):,} 人"


def test_a_search_typed_before_the_rest_arrives_wins(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = members_tab(admin_window, settled=False)
    tab.search_edit.setText("王")
    tab.search_now()  # while the whole register is still being read
    wanted = members.search_member_ids(demo_db, admin_user, MemberFilter(text="王"))
    wait_for_background()
    assert tab.model.ids() == wanted and tab.count_label.text() == f"找到 {len(wanted):,} 人"


def test_a_wide_search_also_shows_its_first_page_at_once(
    admin_window: MainWindow, demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = members_tab(admin_window)
    wanted = members.search_member_ids(demo_db, admin_user, MemberFilter(text="1"))
    page = tab.model.page_size
    assert len(wanted) > page
    tab.search_edit.setText("1")  # any ID number or phone with a 1 in it
    tab.search_now()
    assert tab.model.ids() == wanted[:page]
    assert tab.count_label.text() == f"找到 {page}+ 人，正在统计…"
    wait_for_background()
    assert tab.model.ids() == wanted and tab.count_label.text() == f"找到 {len(wanted):,} 人"
    tab.search_edit.setText("z")  # a narrow search is complete at once
    tab.search_now()
    narrow = members.search_member_ids(demo_db, admin_user, MemberFilter(text="z"))
    assert 0 < len(narrow) <= page
    assert tab.model.ids() == narrow and tab.count_label.text() == f"找到 {len(narrow):,} 人"
