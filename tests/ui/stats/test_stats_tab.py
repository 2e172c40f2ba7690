"""报表 tab: count a table, checks shown, double-click → the rows behind a figure,
export; the charts panel fills on a worker and a bar opens its rows."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import openpyxl
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from unionsdesk.reports.stats.charts import CHART_KEYS
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.stats.reports import StatsTab
from unionsdesk.ui.workers import wait_for_background

YEAR = date.today().year
SHOTS = os.environ.get("UNIONSDESK_SHOTS")  # a folder: save screenshots there


def _shot(widget: object, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))  # type: ignore[attr-defined]


def test_count_drill_and_export(admin_window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    admin_window.open_tab("报表")
    tab = admin_window.content("报表")
    assert isinstance(tab, StatsTab)
    tab.table_box.setCurrentIndex(tab.table_box.findData("aid"))
    tab.run()
    assert wait_for_background()
    assert tab.report is not None and tab.parts.count() == 2
    assert "校验通过" in tab.check_label.text()
    view = tab.parts.widget(0)
    assert isinstance(view, QTableWidget)
    last = view.rowCount() - 1
    assert view.item(last, 0).text() == "合计"
    _shot(admin_window, "stats_tab.png")
    table = tab.report.tables[0]
    col = table.column_index["times"]
    tab.drill(0, last, col)
    assert wait_for_background()
    dialog = tab.drill_dialog
    assert dialog.table.rows and len(dialog.table.rows) == table.totals[col]  # type: ignore[index]
    _shot(dialog, "stats_drill.png")
    out = tmp_path / "明细.xlsx"
    dialog.export(out, on_done=lambda _p: None)
    assert wait_for_background()
    assert openpyxl.load_workbook(out).active.max_row >= len(dialog.table.rows)
    dialog.close()
    tab.export(tmp_path / "aid.xlsx")
    assert wait_for_background()
    assert len(openpyxl.load_workbook(tmp_path / "aid.xlsx").sheetnames) == 2


def test_bad_scope_is_a_message(admin_window: MainWindow, shown: object) -> None:
    admin_window.open_tab("报表")
    tab = admin_window.content("报表")
    assert isinstance(tab, StatsTab)
    tab.scope_box.setEditText("城关镇工会")
    tab.run()
    assert wait_for_background()
    assert any("是不是：城关镇总工会" in t for t in shown.texts())  # type: ignore[attr-defined]


def test_charts_fill_and_click(admin_window: MainWindow) -> None:
    admin_window.open_tab("报表")
    tab = admin_window.content("报表")
    assert isinstance(tab, StatsTab)
    tab.pages.setCurrentWidget(tab.charts)
    assert wait_for_background()
    panel = tab.charts
    assert panel.loaded and set(panel.views) == set(CHART_KEYS)
    assert [c.key for c in panel.charts] == list(CHART_KEYS)
    assert {"members_by_township", "new_members", "aid_by_month", "open_cases"} <= set(panel.views)
    _shot(admin_window, "stats_charts.png")
    data = panel.chart_data("members_by_township")
    bar_set = panel.views["members_by_township"].chart().series()[0].barSets()[0]
    bar_set.clicked.emit(0)  # what a click on the first bar does
    assert wait_for_background()
    assert len(panel.drill_dialog.table.rows) == data.series[0].values[0]
    line = panel.views["new_members"].chart().series()[0]
    line.clicked.emit(line.at(0))  # a point of this year's line: January
    assert wait_for_background()
    january = panel.chart_data("new_members").series[0].values[0]
    assert len(panel.drill_dialog.table.rows) == january


def test_failed_checks_are_listed(demo_db: object, make_window: object, admin_user: object) -> None:
    from sqlalchemy import text

    with demo_db.writing() as s:  # type: ignore[attr-defined]
        s.execute(text("UPDATE hardship_file SET active = :f WHERE id = 3"), {"f": False})
    window = make_window(demo_db, admin_user)  # type: ignore[operator]
    window.open_tab("报表")
    tab = window.content("报表")
    tab.table_box.setCurrentIndex(tab.table_box.findData("aid"))
    tab.run()
    assert wait_for_background()
    assert "未通过校验" in tab.check_label.text()
    assert tab.reasons.isVisible() and tab.reasons.count() >= 1
    _shot(window, "stats_failed.png")


def test_readonly_sees_masked_ids(demo_db: object, make_window: object, login_as: object) -> None:
    user = login_as(demo_db, "chaxun")  # type: ignore[operator]
    window = make_window(demo_db, user)  # type: ignore[operator]
    window.open_tab("报表")
    tab = window.content("报表")
    assert wait_for_background() and tab.report is not None
    table = tab.report.tables[0]
    tab.drill(0, len(table.rows), table.column_index["members"])
    assert wait_for_background()
    detail = tab.drill_dialog.table
    ids = [r[detail.column_index["id_number"]] for r in detail.rows]
    assert ids and all("*" in i for i in ids)


def test_home_shows_the_charts(admin_window: MainWindow) -> None:
    home = admin_window.content("首页")
    for _ in range(3):  # the charts start on the event loop after the first paint
        assert wait_for_background()
    panel = home.charts  # type: ignore[attr-defined]
    assert panel.loaded and set(panel.views) == set(CHART_KEYS)
    _shot(admin_window, "home.png")
