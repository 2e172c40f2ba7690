"""会员 tab: 撤销导入… (the import batches dialog) and 导出上报表… (check, then export)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

import unionsdesk.ui.tabs.common.import_batches as batches_module
from tests.ui.conftest import make_id, members_tab
from unionsdesk.db.engine import Database
from unionsdesk.services.common import import_undo
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import members, unions
from unionsdesk.services.members.members import MemberFilter
from unionsdesk.services.members.upstream_export import HAINAN_HEADERS, check_members_hainan
from unionsdesk.ui.context import AppContext
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.common.import_batches import STATUS_COLUMN, ImportBatchesDialog
from unionsdesk.ui.tabs.members.members import MembersTab
from unionsdesk.ui.tabs.members.upload_export import UploadCheckDialog
from unionsdesk.ui.widgets.excel_import import ImportResultDialog
from unionsdesk.ui.workers import wait_for_background


def grassroots(db: Database, admin: CurrentUser) -> list[unions.UnionRow]:
    rows = unions.list_unions(db, admin)
    parents = {u.parent_id for u in rows}
    return [u for u in rows if u.id not in parents and u.status == "正常"]


def roster(path: Path, people: list[tuple[str, str, str]]) -> list[str]:
    """A small roster (姓名, 出生日期, 顺序码 per person); returns the ID numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "性别", "入会日期", "手机"])
    ids = []
    for name, birth, seq in people:
        idno = make_id(birth, seq)
        ids.append(idno)
        ws.append([name, idno, "男" if int(seq[-1]) % 2 else "女", "2022-03-01", "13700002222"])
    wb.save(path)
    return ids


def import_through_tab(tab: MembersTab, qtbot: QtBot, path: Path, union_id: int) -> None:
    job = tab.start_import(path, union_id)
    flow = tab.excel_import
    qtbot.waitUntil(lambda: not job.running and flow.result_dialog is not None, timeout=10000)
    dialog = flow.result_dialog
    assert isinstance(dialog, ImportResultDialog) and dialog.import_result.written
    dialog.accept()


def open_batches(tab: MembersTab) -> ImportBatchesDialog:
    dialog = tab.open_import_batches()
    assert isinstance(dialog, ImportBatchesDialog) and dialog.isVisible()
    return dialog


def ids_in_tab(tab: MembersTab, db: Database, user: CurrentUser) -> set[str]:
    rows = members.fetch_member_rows(db, user, [i for i in tab.model.ids() if isinstance(i, int)])
    return {r.id_number for r in rows}


# -- 撤销导入 --------------------------------------------------------------------------


def test_undo_an_import_through_the_dialog(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Any,
) -> None:
    tab = members_tab(admin_window)
    assert tab.undo_import_button.isEnabled()
    before = tab.model.rowCount()
    target = grassroots(demo_db, admin_user)[1]
    path = tmp_path / "城关镇花名册.xlsx"
    ids = roster(path, [("撤销甲", "19920303", "771"), ("撤销乙", "19930404", "882")])
    import_through_tab(tab, qtbot, path, target.id)
    wait_for_background()  # the list below its first page
    assert tab.model.rowCount() == before + 2 and set(ids) <= ids_in_tab(tab, demo_db, admin_user)
    imported = members.search_member_ids(demo_db, admin_user, MemberFilter(text=ids[0]))
    assert tab.select_member(imported[0])  # the clerk has one of the imported members open
    assert tab.current is not None and tab.current.values["name"] == "撤销甲"

    qtbot.mouseClick(tab.undo_import_button, Qt.MouseButton.LeftButton)
    dialog = tab.batches_dialog
    assert isinstance(dialog, ImportBatchesDialog) and dialog.isVisible()
    headers = [
        dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())
    ]
    assert headers[:3] == ["批次", "导入时间", "文件名"] and headers[-1] == "状态"
    newest = dialog.selected()  # the batch that can be undone is selected at once
    assert newest is not None and newest.can_undo and newest.file_name == path.name
    assert dialog.table.item(0, 2).text() == path.name
    assert dialog.table.item(0, 3).text() == target.name
    assert dialog.table.item(0, STATUS_COLUMN).text() == "可撤销"
    assert dialog.undo_button.isEnabled() and "可以撤销" in dialog.why_label.text()

    asked: list[str] = []

    def answer(_parent: object, text: str, *_a: object, **_k: object) -> bool:
        asked.append(text)
        return len(asked) > 1  # 取消 the first time, 确定 the second

    monkeypatch.setattr(batches_module, "confirm", answer)
    dialog.undo_button.click()
    assert dialog.job is None and members.count_members(demo_db) == before + 2
    assert path.name in asked[0] and "将删除该批导入的 2 名会员" in asked[0]

    dialog.undo_button.click()
    job = dialog.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert members.count_members(demo_db) == before
    assert any("已撤销导入批次" in t and path.name in t for t in shown.texts("information"))
    assert not shown.texts("critical")
    # the tab: the imported members are gone and the open one was let go
    wait_for_background()  # the list below its first page
    assert tab.model.rowCount() == before
    assert not set(ids) & ids_in_tab(tab, demo_db, admin_user)
    assert tab.current is None and tab.form_title.text() == "新增会员"
    # the list: the batch is shown as undone and cannot be undone again
    row = dialog.selected()
    assert row is not None and row.id == newest.id and row.undone and not row.can_undo
    assert dialog.table.item(0, STATUS_COLUMN).text() == "已撤销"
    assert not dialog.undo_button.isEnabled() and "不能重复撤销" in dialog.why_label.text()


def test_only_the_newest_import_can_be_undone(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = members_tab(admin_window)
    target = grassroots(demo_db, admin_user)[2]
    first, second = tmp_path / "第一批.xlsx", tmp_path / "第二批.xlsx"
    roster(first, [("早先甲", "19900505", "113")])
    roster(second, [("后来乙", "19910606", "224")])
    import_through_tab(tab, qtbot, first, target.id)
    import_through_tab(tab, qtbot, second, target.id)

    dialog = open_batches(tab)
    assert [b.file_name for b in dialog.batches[:2]] == [second.name, first.name]
    older = dialog.batches[1]
    assert dialog.select_batch(older.id)
    assert not older.can_undo and older.why_not and "只能撤销最近一次导入" in older.why_not
    assert not dialog.undo_button.isEnabled()
    assert older.why_not in dialog.why_label.text() and dialog.why_label.isVisible()
    assert older.why_not in dialog.undo_button.toolTip()
    assert older.why_not in dialog.table.item(1, 0).toolTip()
    assert dialog.table.item(1, STATUS_COLUMN).text() == "不能撤销"
    monkeypatch.setattr(batches_module, "confirm", lambda *_a, **_k: True)
    assert dialog.undo_selected() is None  # nothing happens for a refused batch
    assert dialog.select_batch(dialog.batches[0].id) and dialog.undo_button.isEnabled()


def test_undo_refused_by_the_service_is_shown_and_the_list_refreshed(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    login_as: Callable[[Database, str], CurrentUser],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Any,
) -> None:
    tab = members_tab(admin_window)
    target = grassroots(demo_db, admin_user)[3]
    path = tmp_path / "名单.xlsx"
    ids = roster(path, [("变动甲", "19880808", "335")])
    import_through_tab(tab, qtbot, path, target.id)
    dialog = open_batches(tab)
    assert dialog.undo_button.isEnabled()
    # another clerk edits the imported member while the dialog is open
    mid = next(
        r.membership_id
        for r in members.fetch_member_rows(
            demo_db, admin_user,
            members.search_member_ids(demo_db, admin_user, MemberFilter(text=ids[0])),
        )
    )  # fmt: skip
    other = login_as(demo_db, "jingban")
    detail = members.get_member(demo_db, other, mid)
    members.save_member(
        demo_db, other, detail.values | {"job": "焊工"}, membership_id=mid,
        expected_version=detail.version,
    )  # fmt: skip
    monkeypatch.setattr(batches_module, "confirm", lambda *_a, **_k: True)
    job = dialog.undo_selected()
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    errors = shown.texts("critical")
    assert len(errors) == 1 and "变动甲" in errors[0] and "不能撤销" in errors[0]
    assert members.get_member(demo_db, admin_user, mid).values["job"] == "焊工"
    row = dialog.selected()
    assert row is not None and not row.can_undo and not dialog.undo_button.isEnabled()
    assert "变动甲" in dialog.why_label.text()


# -- 导出上报表 ------------------------------------------------------------------------


def run_upload_check(tab: MembersTab, qtbot: QtBot) -> UploadCheckDialog:
    tab.upload_dialog = None
    qtbot.mouseClick(tab.upload_button, Qt.MouseButton.LeftButton)
    job = tab.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running and tab.upload_dialog is not None, timeout=10000)
    dialog = tab.upload_dialog
    assert isinstance(dialog, UploadCheckDialog) and dialog.isVisible()
    return dialog


def test_upload_check_lists_problems_and_double_click_selects_the_member(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    shown: Any,
) -> None:
    tab = members_tab(admin_window)
    township = next(u for u in unions.list_unions(demo_db, admin_user) if u.name == "城关镇总工会")
    assert tab.union_filter.set_union_id(township.id)
    expected = check_members_hainan(demo_db, admin_user, union_id=township.id)
    assert expected.problems  # the demo county has members to fix

    dialog = run_upload_check(tab, qtbot)
    assert dialog.union_id == township.id and "城关镇总工会" in dialog.scope_label.text()
    assert f"{expected.members:,}" in dialog.scope_label.text()
    assert f"{expected.problem_rows:,}" in dialog.headline.text()
    assert dialog.group_table.rowCount() == len(expected.by_problem())
    assert dialog.model.rowCount() == len(expected.problems)
    headers = [c.title for c in dialog.model.columns]
    assert headers == ["姓名", "身份证号", "所在工会", "列", "值", "问题", "级别"]
    first = dialog.model.problem_at(0)
    assert first is not None
    assert dialog.model.index(0, 0).data() == first.name
    assert "*" in dialog.model.index(0, 1).data()  # ID numbers masked
    assert dialog.model.index(0, 6).data() in ("拒收", "需核对")
    assert not shown.boxes

    # one kind of problem: the rows narrow to it
    level, column, problem, n = dialog.groups[-1]
    assert (level, column, problem, n) in expected.by_problem()
    dialog.group_table.selectRow(dialog.group_table.rowCount() - 1)
    assert dialog.filter.currentText().startswith(f"[{level}] {column}：{problem}")
    assert dialog.model.rowCount() == n  # one line per member and kind
    assert all(
        (p.level, p.column, p.problem) == (level, column, problem)
        for p in (dialog.model.problem_at(r) for r in range(dialog.model.rowCount()))
        if p is not None
    )

    # double-click: the member is selected in the list (even if the search hid them)
    target = dialog.model.problem_at(dialog.model.rowCount() - 1)
    assert target is not None
    tab.search_edit.setText("没有这样的人")
    tab.search_now()
    assert tab.model.rowCount() == 0
    dialog.table.scrollToBottom()
    rect = dialog.table.visualRect(dialog.model.index(dialog.model.rowCount() - 1, 0))
    # a real double-click starts with a click (QTest's mouseDClick alone sends no press)
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.current is not None and tab.current.membership_id == target.membership_id
    assert tab.table.currentIndex().row() == tab.model.row_of(target.membership_id)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted


@pytest.mark.parametrize("per_union", [False, True])
def test_upload_export_writes_the_files_and_the_problem_list(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Any,
    per_union: bool,
) -> None:
    tab = members_tab(admin_window)
    township = next(u for u in unions.list_unions(demo_db, admin_user) if u.name == "城关镇总工会")
    tab.union_filter.set_union_id(township.id)
    dialog = run_upload_check(tab, qtbot)
    assert dialog.export_button.isEnabled() and not dialog.per_union.isChecked()
    assert dialog.default_file_name().startswith("城关镇总工会会员上报表")
    dialog.per_union.setChecked(per_union)
    out = tmp_path / "上报"  # the suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(out), "")))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    job = dialog.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=20000)
    result = dialog.result_value
    assert result is not None and not shown.texts("critical")
    active = members.search_member_ids(demo_db, admin_user, MemberFilter(union_id=township.id))
    assert result.members == len(active) == dialog.check.members
    files = sorted(tmp_path.glob("上报*.xlsx"))
    problem_list = tmp_path / "上报_问题清单.xlsx"
    assert result.problems_path == problem_list and problem_list.is_file()
    assert sorted(result.files) == sorted(f for f in files if f != problem_list)
    if per_union:
        assert len(result.files) > 1
    else:
        assert result.files == [out.with_suffix(".xlsx")]

    body = 0
    for path in result.files:
        wb = openpyxl.load_workbook(path, read_only=True)
        assert wb.sheetnames[0] == "会员信息"
        rows = list(wb["会员信息"].iter_rows(values_only=True))
        assert tuple(rows[3][: len(HAINAN_HEADERS)]) == HAINAN_HEADERS  # header on row 4
        body += sum(1 for r in rows[4:] if r[0] and str(r[0]).isdigit())
        wb.close()
    assert body == result.members
    problems = openpyxl.load_workbook(problem_list, read_only=True)
    assert "问题明细" in problems.sheetnames
    problems.close()

    info = [t for t in shown.texts("information") if "已导出" in t]
    assert len(info) == 1
    assert result.files[0].name in info[0] and str(problem_list) in info[0]


def test_export_in_the_dialog_needs_full_numbers(
    demo_db: Database, login_as: Callable[[Database, str], CurrentUser], qtbot: QtBot
) -> None:
    reader = login_as(demo_db, "chaxun")
    check = check_members_hainan(demo_db, reader)  # the check itself only needs to read
    dialog = UploadCheckDialog(AppContext(demo_db, reader), check, None, None)
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled()
    assert "查看完整身份证号和电话" in dialog.export_button.toolTip()
    assert dialog.export(Path("unused.xlsx")) is None
    assert dialog.default_file_name().startswith("全部会员上报表（海南）")


# -- roles -----------------------------------------------------------------------------


def test_readonly_user_has_both_buttons_disabled(
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
    make_window: Callable[..., MainWindow],
) -> None:
    reader = login_as(demo_db, "chaxun")
    tab = members_tab(make_window(demo_db, reader))
    assert not tab.undo_import_button.isEnabled() and not tab.upload_button.isEnabled()
    assert "没有" in tab.undo_import_button.toolTip()
    assert "查看完整身份证号和电话" in tab.upload_button.toolTip()
    assert tab.open_import_batches() is None and tab.batches_dialog is None


def test_reviewer_may_export_but_not_undo(
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
    make_window: Callable[..., MainWindow],
) -> None:
    reviewer = login_as(demo_db, "shenhe")
    tab = members_tab(make_window(demo_db, reviewer))
    assert tab.upload_button.isEnabled() and not tab.undo_import_button.isEnabled()
    assert import_undo.list_batches(demo_db, reviewer) == []
