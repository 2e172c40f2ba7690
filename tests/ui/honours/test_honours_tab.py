"""劳模与竞赛 through the UI: the generic register pane (list, filters, form, 新建/保存/作废,
conflict, import/export/print) and the special parts (trip picker, 劳模 allowance list,
contest result → honour, 人员档案)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Campaign
from unionsdesk.domain.idcard import check_char
from unionsdesk.registers import get
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.ui.context import AppContext
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.honours import honours as honours_module
from unionsdesk.ui.tabs.honours.honours import (
    AllowanceDialog,
    ContestResultsPane,
    HonoursTab,
    ModelWorkersPane,
    TripMembersPane,
    TripPickerDialog,
)
from unionsdesk.ui.widgets.excel_import import ImportPreviewDialog, ImportResultDialog
from unionsdesk.ui.widgets.person_file import PersonFileDialog, PersonSearchDialog
from unionsdesk.ui.widgets.register import RegisterPane
from unionsdesk.ui.workers import wait_for_background

from ..conftest import Shown


def make_id(birth: str, seq: str) -> str:
    first = "360830" + birth + seq
    return first + check_char(first)


@pytest.fixture
def make_tab(qtbot: QtBot, demo_db: Database) -> Callable[[CurrentUser], HonoursTab]:
    def make(user: CurrentUser) -> HonoursTab:
        tab = HonoursTab(AppContext(demo_db, user))
        qtbot.addWidget(tab)
        tab.resize(1360, 800)
        tab.show()
        return tab

    return make


def pane(tab: HonoursTab, title: str) -> RegisterPane:
    assert tab.open_page(title)
    widget = tab.current()
    assert isinstance(widget, RegisterPane)
    settle(widget)
    return widget


def settle(p: RegisterPane) -> None:
    """Wait for the rest of a long list (read on a worker thread after the first page)."""
    end = time.monotonic() + 10
    while not p.settled() and time.monotonic() < end:
        QApplication.processEvents()
        wait_for_background(1)
    assert p.settled()


def type_into(p: RegisterPane, name: str, text: str) -> None:
    w = p.form.field_widget(name)
    assert isinstance(w, QLineEdit)
    w.setText(text)
    w.editingFinished.emit()


def choose(p: RegisterPane, name: str, label: str) -> None:
    w = p.form.field_widget(name)
    assert isinstance(w, QComboBox)
    index = w.findText(label)
    assert index >= 0, label
    w.setCurrentIndex(index)


def test_list_search_filters_and_pages(
    make_tab: Callable[[CurrentUser], HonoursTab], admin_user: CurrentUser, qtbot: QtBot
) -> None:
    tab = make_tab(admin_user)
    assert HonoursTab.page_titles()[:3] == ["荣誉", "劳模", "疗休养"]
    p = pane(tab, "荣誉")
    total = p.model.rowCount()
    assert total > 300 and "共" in p.count_label.text()
    p.search.setText("zzzzq")
    qtbot.waitUntil(lambda: p.model.rowCount() == 0, timeout=3000)
    assert "没有" in p.count_label.text()
    p.search.setText("")
    qtbot.waitUntil(lambda: p.model.rowCount() == total, timeout=5000)
    assert p.count_label.text() == f"共 {total:,} 条"
    level = p.filter_combos["level"]
    level.setCurrentIndex(level.findText("省部级"))
    assert 0 < p.model.rowCount() < total
    assert all(p.model.row_object(r).values["level"] == "省部级" for r in range(p.model.rowCount()))  # type: ignore[union-attr]
    for title in HonoursTab.page_titles():  # every page builds and lists its rows
        assert pane(tab, title).model.rowCount() > 0, title


def test_new_save_with_enter_and_void(make_tab: Callable[[CurrentUser], HonoursTab], admin_user: CurrentUser,
                                      demo_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    tab = make_tab(admin_user)
    p = pane(tab, "创新工作室")
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow)
    p.new_record()
    type_into(p, "name", "巧手创新工作室")
    type_into(p, "leader", "巧手")
    type_into(p, "id_number", make_id("19820202", "701"))
    type_into(p, "unit", "示例县纺织厂")
    choose(p, "level", "县级")
    year = p.form.field_widget("year")
    year.setFocus()
    assert isinstance(year, QLineEdit)
    year.setText("2024")
    qtbot.keyClick(year, Qt.Key.Key_Return)  # Enter moves on to the next field
    assert p.form.field_widget("members").hasFocus()
    record = p.save()
    assert record is not None and p.current is not None and p.current.id == record.id
    assert record.id in get("studios").search_ids(demo_db, admin_user, "巧手")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *_a, **_k: ("名称有误", True)))
    done = p.void()
    assert done is not None and done.voided
    assert p.state_label.isVisible() and "名称有误" in p.state_label.text()
    assert not p.save_button.isEnabled()


def test_refusal_marks_the_field_and_conflict_keeps_the_typing(
    make_tab: Callable[[CurrentUser], HonoursTab],
    admin_user: CurrentUser,
    demo_db: Database,
    shown: Shown,
) -> None:
    tab = make_tab(admin_user)
    p = pane(tab, "荣誉")
    rid = p.model.id_at(0)
    assert isinstance(rid, int)
    p.show_record(rid)
    rec = p.current
    assert rec is not None
    # a duplicate: the same person, title and year as another record
    p.new_record(ask=False)
    p.form.set_values(
        {
            **rec.values,
            "id_number": get("honours").get(demo_db, admin_user, rid).values["id_number"],
        }
    )
    assert p.save() is None
    assert "不能重复登记" in p.form.error_text("title")
    # someone else saves first
    p.show_record(rid)
    values = get("honours").get(demo_db, admin_user, rid).values
    get("honours").update(
        demo_db, admin_user, rid, {**values, "allowance": None, "doc_no": "他人改的"}, rec.version
    )
    type_into(p, "awarded_by", "我改的机关")
    assert p.save() is None
    assert any("已被" in t and "文号" in t for t in shown.texts())
    widget = p.form.field_widget("awarded_by")
    assert isinstance(widget, QLineEdit) and widget.text() == "我改的机关"


def _honours_sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "工作单位", "荣誉名称", "级别", "授予年份"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def import_through_button(
    p: RegisterPane, path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> ImportResultDialog:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(path), "")))

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, ImportPreviewDialog) or modal.preview is None:
            QTimer.singleShot(10, drive)
            return
        modal.ok_button.click()

    QTimer.singleShot(10, drive)
    p.importer.result_dialog = None
    p.import_file()
    qtbot.waitUntil(lambda: p.importer.result_dialog is not None, timeout=10000)
    dialog = p.importer.result_dialog
    assert isinstance(dialog, ImportResultDialog)
    return dialog


def test_import_error_list_then_good_file_then_undo(make_tab: Callable[[CurrentUser], HonoursTab], admin_user: CurrentUser,
                                                    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    shown: Shown) -> None:  # fmt: skip
    tab = make_tab(admin_user)
    p = pane(tab, "荣誉")
    before = p.model.rowCount()
    rows: list[list[object]] = [
        ["郑一", make_id("19600101", "801"), "示例县钢厂", "县劳动模范", "县级", 2016]
    ]
    bad = _honours_sheet(
        tmp_path / "bad.xlsx",
        [*rows, ["郑二", make_id("19600101", "802"), "钢厂", "劳模", "县级", 2016]],
    )
    dialog = import_through_button(p, bad, monkeypatch, qtbot)
    assert "没有写入任何数据" in dialog.headline.text()
    assert "最接近的是" in dialog.summary.toPlainText()
    errors = tmp_path / "errors.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(errors), "")))
    dialog.save_errors_button.click()
    assert errors.is_file()
    dialog.close()
    settle(p)
    assert p.model.rowCount() == before
    dialog = import_through_button(
        p, _honours_sheet(tmp_path / "good.xlsx", rows), monkeypatch, qtbot
    )
    assert "已导入 1 条荣誉" in dialog.headline.text()
    dialog.close()
    settle(p)
    assert p.model.rowCount() == before + 1
    assert p.undo_import(ask=False)
    settle(p)
    assert p.model.rowCount() == before
    assert any("已撤销" in t for t in shown.texts())


def test_export_and_print(make_tab: Callable[[CurrentUser], HonoursTab], admin_user: CurrentUser, qtbot: QtBot,
                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    tab = make_tab(admin_user)
    p = pane(tab, "五小")
    out = tmp_path / "wx.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(out), "")))
    job = p.export()
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0] == "职工“五小”创新成果登记表" and len(rows) > 30
    job = p.print_list()
    assert job is not None
    qtbot.waitUntil(lambda: not job.running and p.preview is not None, timeout=20000)
    assert p.preview is not None and p.preview.loaded  # type: ignore[attr-defined]
    p.preview.close()


def test_trip_picker_adds_the_longest_not_sent(make_tab: Callable[[CurrentUser], HonoursTab], admin_user: CurrentUser,
                                              demo_db: Database, shown: Shown) -> None:  # fmt: skip
    trip = get("trips").create(demo_db, admin_user, {"year": str(date.today().year), "batch": "第8期", "place": "黄山",
                                                     "start_on": "2026-11-01", "end_on": "2026-11-07", "quota": "10"})  # fmt: skip
    tab = make_tab(admin_user)
    p = pane(tab, "疗休养人员")
    assert isinstance(p, TripMembersPane)
    combo = p.filter_combos["parent"]
    combo.setCurrentIndex(combo.findData(trip.id))
    assert p.model.rowCount() == 0
    dialog = p.pick()
    assert isinstance(dialog, TripPickerDialog)
    first = dialog.table.item(0, 7)
    assert first is not None and first.text() == "从未参加"
    dialog.check([0, 1, 2])
    dialog.add(ask=False)
    assert dialog.added == 3
    assert p.model.rowCount() == 3
    assert any("已加入3人" in t for t in shown.texts())


def test_contest_result_offers_the_honour(make_tab: Callable[[CurrentUser], HonoursTab], admin_user: CurrentUser,
                                          demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(honours_module, "confirm", lambda *_a, **_k: True)
    tab = make_tab(admin_user)
    p = pane(tab, "竞赛成绩")
    assert isinstance(p, ContestResultsPane)
    p.new_record(ask=False)
    type_into(p, "name", "钳工王")
    type_into(p, "id_number", make_id("19880808", "901"))
    type_into(p, "rank", "第一名")
    grants = p.form.field_widget("grants_title")
    assert isinstance(grants, QCheckBox)
    grants.setChecked(True)
    choose(p, "title", "技术能手")
    record = p.save()
    assert record is not None
    honours = get("honours")
    found = honours.search_ids(demo_db, admin_user, "钳工王")
    assert len(found) == 1 and honours.get(demo_db, admin_user, found[0]).values["title"] == "33"
    assert p.current is not None and p.current.values["honour_id"] == found[0]


def test_model_workers_view_is_read_only_and_makes_the_allowance_list(
    make_tab: Callable[[CurrentUser], HonoursTab], admin_user: CurrentUser, demo_db: Database,
    qtbot: QtBot, shown: Shown,
) -> None:  # fmt: skip
    tab = make_tab(admin_user)
    p = pane(tab, "劳模")
    assert isinstance(p, ModelWorkersPane)
    assert not p.save_button.isVisible() and not p.buttons["import"].isVisible()
    assert p.current is not None  # the first 劳模 is shown
    hardship = p.filter_combos["hardship"]
    hardship.setCurrentIndex(hardship.findText("是"))
    n = p.model.rowCount()
    assert n > 0

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, AllowanceDialog):
            QTimer.singleShot(10, drive)
            return
        modal.form.set_values({"year": "2031", "greeting": "500"})
        modal.ok_button.click()

    QTimer.singleShot(10, drive)
    result = p.allowance_list()
    assert result is not None and result.added == n
    with demo_db.reading() as s:
        assert (
            s.scalar(select(Campaign.name).where(Campaign.id == result.campaign_id))
            == "2031年劳模津贴及慰问"
        )
    assert any("帮扶慰问" in t for t in shown.texts())


def test_person_file_from_the_list_and_the_search(make_tab: Callable[[CurrentUser], HonoursTab],
                                                  admin_user: CurrentUser, qtbot: QtBot) -> None:  # fmt: skip
    tab = make_tab(admin_user)
    p = pane(tab, "劳模")
    row = p.model.row_object(0)
    assert row is not None
    assert [t for t, _f in p.context_actions(row)] == ["查看人员档案"]
    p.open_person_file(row.id)
    dialog = p.person_dialog
    assert isinstance(dialog, PersonFileDialog) and dialog.isVisible()
    assert "荣誉" in dialog.section_widgets and dialog.file.name == row.values["name"]
    dialog.close()
    search = PersonSearchDialog(p.ctx, p)
    search.edit.setText(str(row.values["name"]))
    search.search()
    assert search.results.count() >= 1
    search.open_selected()
    assert search.opened is not None and search.opened.file.name == row.values["name"]
    search.opened.close()


def test_main_window_tab_and_screenshot(demo_db: Database, admin_user: CurrentUser, make_window: Callable[..., MainWindow],
                                        tmp_path: Path, looks_like_screenshot: Callable[[Path], bool]) -> None:  # fmt: skip
    window = make_window(demo_db, admin_user)
    assert window.open_tab("劳模与竞赛")
    tab = window.content("劳模与竞赛")
    assert isinstance(tab, HonoursTab)
    out = tmp_path / "honours.png"
    window.grab().save(str(out))
    assert looks_like_screenshot(out)


def test_activity_people_picker_and_sign_in_sheet(make_tab: Callable[[CurrentUser], HonoursTab],
                                                  admin_user: CurrentUser, qtbot: QtBot, shown: Shown) -> None:  # fmt: skip
    tab = make_tab(admin_user)
    p = pane(tab, "活动人员")
    before = p.model.rowCount()
    picker = p.pick_people()
    assert picker is not None
    picker.edit.setText("w")
    picker.search()
    assert picker.results.count() > 3
    picker.check([0, 1, 2])
    picker.add()
    settle(p)
    added = picker.added
    assert added + len(picker.notes) == 3 and added >= 1  # someone already on the list is refused
    assert p.model.rowCount() == before + added
    assert isinstance(p, honours_module.RosterPane)
    job = p.print_roster(True, True)
    assert job is not None
    qtbot.waitUntil(lambda: not job.running and p.preview is not None, timeout=20000)
    p.preview.close()  # type: ignore[union-attr]
