"""The import preview dialog: columns under drop-downs, warnings, remembered mappings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.domain.idcard import check_char
from unionsdesk.excel.preview import MATCH_CLERK, MATCH_REMEMBERED
from unionsdesk.fields import HARDSHIP, MEMBER_IMPORT
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.import_mappings import remembered
from unionsdesk.services.members import members, unions
from unionsdesk.ui.context import AppContext
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.members.members import MembersTab
from unionsdesk.ui.widgets.excel_import import REMEMBERED_TEXT, ImportDialog, ImportResultDialog


def make_id(birth: str, seq: str) -> str:
    first = "360830" + birth + seq
    return first + check_char(first)


A, B = make_id("19860101", "771"), make_id("19870202", "772")


def save(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "会员名册"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def messy_roster(path: Path) -> Path:
    return save(
        path,
        [
            ["青原镇工会会员花名册"],
            ["填报单位：青原镇总工会"],
            ["序号", "姓  名", "公民身份号码", "性别", "联系电话", "入会时间"],
            [1, "预览甲", A, "男", "13800138000", "2021-05-01"],
            [2, "预览乙", B, "女", None, "2021-06-01"],
            ["合计"],
        ],
    )


def township_roster(path: Path, people: list[tuple[str, str]] | None = None) -> Path:
    """名字 and 证件号: headers the reader cannot map by itself."""
    people = people or [("预览甲", A), ("预览乙", B)]
    rows: list[list[object]] = [["某镇会员名单"], ["序号", "名字", "证件号", "性别", "入会日期"]]
    rows += [[i, n, number, "男", "2021-05-01"] for i, (n, number) in enumerate(people, 1)]
    return save(path, rows)


@pytest.fixture
def ctx(demo_db: Database, admin_user: CurrentUser) -> AppContext:
    return AppContext(demo_db, admin_user)


@pytest.fixture
def open_dialog(
    qtbot: QtBot, ctx: AppContext, demo_db: Database, admin_user: CurrentUser
) -> Callable[..., ImportDialog]:
    def make(path: Path, union_id: int | None = -1, **kw: Any) -> ImportDialog:
        rows = unions.list_unions(demo_db, admin_user)
        if union_id == -1:  # a union chosen: the 工作单位 column is then not needed
            union_id = next(u.id for u in rows if u.status == "正常" and u.parent_id)
        dialog = ImportDialog(path, rows, union_id, None, ctx=ctx, **kw)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.preview is not None or dialog.load_error is not None)
        return dialog

    return make


def choose(dialog: ImportDialog, column: int, field: str | None) -> None:
    """What the clerk does: pick an item in the drop-down over ``column``."""
    combo = dialog.table.combo(column)
    index = combo.findData(field) if field is not None else 0
    assert index >= 0, field
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def header_cells(dialog: ImportDialog) -> list[str]:
    table = dialog.table
    return [table.item(table.HEADER_ROW, c).text() for c in range(table.columnCount())]


def test_dialog_shows_the_preview(open_dialog: Callable[..., ImportDialog], tmp_path: Path) -> None:
    dialog = open_dialog(messy_roster(tmp_path / "青原镇.xlsx"))
    assert dialog.sheet_label.text() == "“会员名册”，表头在第3行"
    table = dialog.table
    assert header_cells(dialog) == [
        "序号",
        "姓  名",
        "公民身份号码",
        "性别",
        "联系电话",
        "入会时间",
    ]
    assert [table.combo(c).currentData() for c in range(6)] == [
        None, "name", "id_number", "sex", "phone", "joined_on"
    ]  # fmt: skip
    assert table.combo(0).currentText() == "不导入" and table.combo(1).currentText() == "姓名 *"
    assert table.rowCount() == 2 + 2
    assert table.verticalHeaderItem(2).text() == "第4行"
    assert table.item(2, 1).text() == "预览甲" and table.item(2, 2).text() == A
    counts = dialog.counts_label.text()
    assert "共2行数据" in counts and "合计行1行（第6行）" in counts and "标题行2行" in counts
    assert dialog.ok_button.isEnabled() and dialog.problems_label.isHidden()
    assert dialog.remembered_label.isHidden()
    assert dialog.columns() is None  # the header alone says it: the import reads it as before
    assert table.combo(4).toolTip() == "导入为“手机”（按常见写法识别）"
    assert table.combo(0).toolTip() == "这一列不导入"


def test_required_field_warning_disables_start_until_mapped(
    open_dialog: Callable[..., ImportDialog], demo_db: Database, tmp_path: Path
) -> None:
    dialog = open_dialog(township_roster(tmp_path / "一月.xlsx"))
    assert [dialog.table.combo(c).currentData() for c in range(5)] == [
        None, None, None, "sex", "joined_on"
    ]  # fmt: skip
    assert not dialog.ok_button.isEnabled()
    problems = dialog.problems_label.text()
    assert not dialog.problems_label.isHidden() and "不能开始导入" in problems
    assert "“姓名”" in problems and "“身份证号”" in problems
    assert "缺少必填的列" in dialog.ok_button.toolTip()

    choose(dialog, 1, "name")  # 名字 is 姓名
    assert dialog.preview is not None and dialog.preview.columns[1].field == "name"
    assert dialog.preview.columns[1].matched_by == MATCH_CLERK
    assert not dialog.ok_button.isEnabled() and "“姓名”" not in dialog.problems_label.text()
    choose(dialog, 2, "id_number")
    assert dialog.ok_button.isEnabled() and dialog.problems_label.isHidden()
    assert dialog.table.item(dialog.table.HEADER_ROW, 1).background().color().name() == "#fff1c2"
    columns = dialog.columns()
    assert columns is not None
    assert {k: v for k, v in columns.items() if v is not None} == {
        "name": 1, "id_number": 2, "sex": 3, "joined_on": 4
    }  # fmt: skip

    dialog.ok_button.click()  # starting the import remembers the changed mapping
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.preview is not None
    assert remembered(demo_db, MEMBER_IMPORT, dialog.preview.signature) == columns
    assert dialog.columns() == columns  # still there for the tab after exec()
    with pytest.raises(RuntimeError):
        dialog.preview.remap(None)  # but the sheet's rows were let go


def test_remembered_mapping_is_applied_the_second_time(
    open_dialog: Callable[..., ImportDialog], demo_db: Database, tmp_path: Path
) -> None:
    first = open_dialog(township_roster(tmp_path / "一月.xlsx"))
    choose(first, 1, "name")
    choose(first, 2, "id_number")
    first.ok_button.click()
    assert first.result() == QDialog.DialogCode.Accepted

    def audit_rows() -> int:
        with demo_db.reading() as s:
            return s.scalar(select(func.count(AuditLog.id))) or 0

    before = audit_rows()
    second = open_dialog(township_roster(tmp_path / "二月.xlsx", [("预览丙", make_id("19880303", "773"))]))  # fmt: skip
    assert second.remembered_used and not second.remembered_label.isHidden()
    assert second.remembered_label.text() == REMEMBERED_TEXT == "已使用上次确认的列对应"
    assert second.table.combo(1).currentData() == "name"
    assert second.table.combo(2).currentData() == "id_number"
    assert second.preview is not None and second.preview.columns[1].matched_by == MATCH_REMEMBERED
    assert "上次确认的列对应" in second.table.combo(1).toolTip()
    assert second.ok_button.isEnabled()
    assert second.columns() == first.columns()  # passed on to the import
    second.ok_button.click()
    assert second.result() == QDialog.DialogCode.Accepted
    assert audit_rows() == before  # nothing changed: nothing written


def test_ambiguous_columns_and_moving_a_field(
    open_dialog: Callable[..., ImportDialog], tmp_path: Path
) -> None:
    path = save(
        tmp_path / "两个电话.xlsx",
        [
            ["姓名", "身份证号", "手机", "联系电话", "入会日期"],
            ["预览甲", A, "13800138000", "0796-8123456", "2021-05-01"],
        ],
    )
    dialog = open_dialog(path)
    assert not dialog.ok_button.isEnabled()
    assert "C列、D列都对应“手机”" in dialog.problems_label.text()
    assert dialog.table.item(dialog.table.HEADER_ROW, 3).background().color().name() == "#f8c9c9"
    choose(dialog, 3, None)  # D: 不导入
    assert dialog.ok_button.isEnabled()
    assert dialog.columns() is not None and dialog.columns()["phone"] == 2  # type: ignore[index]

    choose(dialog, 3, "phone")  # take 手机 from D after all: C gives it up
    assert dialog.table.combo(2).currentData() is None
    assert dialog.table.combo(3).currentData() == "phone"
    assert dialog.change_label.text() == "“手机”改由D列导入，C列改为“不导入”。"
    assert dialog.ok_button.isEnabled()
    assert (
        dialog.table.item(dialog.table.FIRST_DATA_ROW, 2).foreground().color().name() == "#9e9e9e"
    )


def test_union_column_needed_when_no_union_is_chosen(
    open_dialog: Callable[..., ImportDialog], tmp_path: Path
) -> None:
    dialog = open_dialog(messy_roster(tmp_path / "r.xlsx"), union_id=None)
    assert not dialog.ok_button.isEnabled()
    assert "表中没有“工作单位”列" in dialog.problems_label.text()
    dialog.union.setCurrentIndex(1)  # a union chosen after all
    assert dialog.union_id() is not None and dialog.ok_button.isEnabled()
    dialog.union.setCurrentIndex(0)
    assert not dialog.ok_button.isEnabled()
    choose(dialog, 0, "union")  # or a column says which union (here 序号, as a test)
    assert dialog.ok_button.isEnabled()


def test_start_pressed_while_reading_goes_on_when_read(
    qtbot: QtBot, ctx: AppContext, demo_db: Database, admin_user: CurrentUser, tmp_path: Path
) -> None:
    rows = unions.list_unions(demo_db, admin_user)
    union = next(u.id for u in rows if u.status == "正常" and u.parent_id)
    path = messy_roster(tmp_path / "r.xlsx")
    for chosen, accepted in ((union, True), (None, False)):
        dialog = ImportDialog(path, rows, chosen, None, ctx=ctx)
        qtbot.addWidget(dialog)
        assert dialog.preview is None  # read on a worker thread
        dialog.ok_button.click()
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert "读取完成后开始导入" in dialog.counts_label.text()
        qtbot.waitUntil(lambda d=dialog: d.preview is not None)  # type: ignore[misc]
        # fine: it goes on; no union and no 工作单位 column: it stays open and says why
        assert (dialog.result() == QDialog.DialogCode.Accepted) is accepted
        assert dialog.ok_button.isEnabled() is accepted


def test_unreadable_file_is_reported_in_the_dialog(
    open_dialog: Callable[..., ImportDialog], tmp_path: Path
) -> None:
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"not a workbook at all")
    dialog = open_dialog(bad)
    assert dialog.load_error is not None and not dialog.ok_button.isEnabled()
    assert "无法读取“坏文件.xlsx”" in dialog.problems_label.text()
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_hardship_import_previews_with_the_hardship_fields(
    open_dialog: Callable[..., ImportDialog], tmp_path: Path
) -> None:
    path = save(
        tmp_path / "困难.xlsx",
        [
            ["姓名", "身份证号", "所在工会", "困难类别", "致困原因", "家庭人口", "家庭年收入", "建档日期"],
            ["钱预甲", A, "城关镇总工会", "深度困难", "患重特大疾病", 3, 18000, "2025-03-01"],
        ],
    )  # fmt: skip
    dialog = open_dialog(path, union_id=None, spec=HARDSHIP, column="所在工会")
    assert dialog.ok_button.isEnabled()
    assert dialog.table.combo(4).currentText() == "主要致困原因 *"


def test_member_import_through_the_tab_uses_the_chosen_columns(
    admin_window: MainWindow,
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert admin_window.open_tab("会员")
    tab = admin_window.content("会员")
    assert isinstance(tab, MembersTab)
    target = next(u for u in unions.list_unions(demo_db, admin_user) if u.status == "正常" and u.parent_id)  # fmt: skip
    tab.union_filter.set_union_id(target.id)
    path = township_roster(tmp_path / "三月.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(path), "")))
    seen: list[str] = []

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, ImportDialog) or modal.preview is None:
            QTimer.singleShot(10, drive)
            return
        seen.append(modal.problems_label.text())
        choose(modal, 1, "name")
        choose(modal, 2, "id_number")
        modal.ok_button.click()

    QTimer.singleShot(10, drive)
    tab.import_button.click()
    assert seen and "缺少必填的列" in seen[0]
    job = tab.excel_import.job
    assert job is not None
    qtbot.waitUntil(
        lambda: not job.running and tab.excel_import.result_dialog is not None, timeout=10000
    )
    result = tab.excel_import.result_dialog
    assert isinstance(result, ImportResultDialog)
    assert "已导入 2 名会员" in result.headline.text()
    result.accept()
    ids = members.search_member_ids(demo_db, admin_user, members.MemberFilter(union_id=target.id))
    got = {r.id_number: r.name for r in members.fetch_member_rows(demo_db, admin_user, ids)}
    assert got[A] == "预览甲" and got[B] == "预览乙"
