"""收据 tab against the demo county (receipts for two paid campaigns, one voided)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.services.aid import campaigns, receipts
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.ui.context import AppContext
from unionsdesk.ui.tabs.aid.receipts import GapDialog, ReceiptsTab


@pytest.fixture
def make_tab(qtbot: QtBot, demo_db: Database) -> Callable[[CurrentUser], ReceiptsTab]:
    def make(user: CurrentUser) -> ReceiptsTab:
        tab = ReceiptsTab(AppContext(demo_db, user))
        qtbot.addWidget(tab)
        tab.resize(1280, 760)
        tab.show()
        return tab

    return make


def row_of(tab: ReceiptsTab, receipt_id: int) -> int:
    for r in range(tab.table.rowCount()):
        if tab.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == receipt_id:
            return r
    return -1


def test_lists_the_demo_receipts_with_the_void_one_in_red(
    make_tab: Callable[[CurrentUser], ReceiptsTab], demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    ids: list[int] = []
    for c in campaigns.list_campaigns(demo_db, admin_user):
        ids += receipts.receipts_for_campaign(demo_db, admin_user, c.id)
    assert tab.table.rowCount() == len(ids) == len(tab.infos)
    void = [i for i in tab.infos if i.void]
    assert len(void) == 1
    r = row_of(tab, void[0].id)
    status = tab.table.item(r, 4)
    assert status.text() == "作废" and status.foreground().color().name() == "#c62828"
    assert status.font().bold()
    assert tab.table.item(r, 8).text() == "领款人姓名写错，重开"
    assert tab.table.item(row_of(tab, tab.infos[0].id), 4).text() == "已开具"
    assert f"作废 {len(void)} 张" in tab.count_label.text()
    # the filters
    tab.status_box.setCurrentIndex(tab.status_box.findData("void"))
    assert [i.id for i in tab.infos] == [void[0].id]
    tab.status_box.setCurrentIndex(0)
    paid = [c for c in tab.campaigns if c.status == "已发放"]
    assert tab.show_campaign(paid[-1].id)
    assert {i.campaign_name for i in tab.infos} == {paid[-1].name}


def test_void_another_receipt(
    make_tab: Callable[[CurrentUser], ReceiptsTab], demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    target = next(i for i in tab.infos if not i.void)
    assert not tab.void_button.isEnabled()
    tab.select_ids([target.id])
    assert tab.void_button.isEnabled()
    dialog = tab.void_dialog()
    assert dialog is not None and target.number in dialog.intro.text()
    assert not dialog.try_accept()  # the reason is required
    assert "必须填写" in dialog.form.error_text("reason")
    dialog.form.set_values({"reason": "金额写错"})
    assert dialog.try_accept()
    tab.after_void(dialog.result_value)
    r = row_of(tab, target.id)
    assert tab.table.item(r, 4).text() == "作废" and tab.table.item(r, 8).text() == "金额写错"
    assert receipts.receipt_infos(demo_db, admin_user, [target.id], show_id=True)[0].void
    assert sum(1 for i in tab.infos if i.void) == 2
    tab.select_ids([target.id])
    assert not tab.void_button.isEnabled() and not tab.reprint_button.isEnabled()


def test_reprint_previews_then_counts(
    make_tab: Callable[[CurrentUser], ReceiptsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    tab = make_tab(admin_user)
    printed = [i for i in tab.infos if not i.void and i.print_count == 1][:2]
    void = next(i for i in tab.infos if i.void)
    tab.select_ids([p.id for p in printed] + [void.id])
    job = tab.reprint_selected()
    assert job is not None
    qtbot.waitUntil(lambda: tab.preview is not None, timeout=20000)
    preview = tab.preview
    assert preview is not None and preview.page_count() == 2  # the void one is left out
    assert "作废收据不补打" in preview.note_label.text()
    # nothing is counted until it is printed or saved
    before = receipts.receipt_infos(demo_db, admin_user, [p.id for p in printed], show_id=True)
    assert [i.print_count for i in before] == [1, 1]
    assert preview.save_as(tmp_path / "补打.pdf") is not None
    after = receipts.receipt_infos(demo_db, admin_user, [p.id for p in printed], show_id=True)
    assert [i.print_count for i in after] == [2, 2]
    assert tab.table.item(row_of(tab, printed[0].id), 5).text() == "2"
    preview.reject()


def test_gap_report_dialog(
    make_tab: Callable[[CurrentUser], ReceiptsTab], demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    dialog = tab.gap_dialog()
    assert isinstance(dialog, GapDialog)
    numbers = len(tab.infos)
    assert dialog.table.rowCount() == numbers
    assert f"共 {numbers} 个号码" in dialog.summary.text()
    assert "已作废 1" in dialog.summary.text() and "没有缺号" in dialog.summary.text()
    void_row = next(
        r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 1).text() == "已作废"
    )
    assert dialog.table.item(void_row, 0).foreground().color().name() == "#c62828"
    dialog.year_box.setCurrentIndex(dialog.year_box.count() - 1)  # a year without receipts
    assert dialog.table.rowCount() == 0 and "还没有开具过收据" in dialog.summary.text()
    # the 互助保障费 series (receipts of the 互助保障 tab) is checked here too
    dialog.year_box.setCurrentIndex(0)
    dialog.series_box.setCurrentText("互助保障费")
    assert dialog.table.rowCount() > 0 and "没有缺号" in dialog.summary.text()
    assert all(dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount()))


def test_readonly_cannot_void_or_reprint(
    make_tab: Callable[[CurrentUser], ReceiptsTab],
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
    shown: Any,
) -> None:
    tab = make_tab(login_as(demo_db, "chaxun"))
    assert tab.infos and all("*" in i.payee_id_number for i in tab.infos)
    tab.select_ids([tab.infos[0].id])
    assert not tab.void_button.isEnabled() and not tab.reprint_button.isEnabled()
    assert tab.gap_button.isEnabled()
    assert shown.boxes == []


def test_search_by_name_number_id_and_dates(
    make_tab: Callable[[CurrentUser], ReceiptsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
) -> None:
    """收据 search: payee name, receipt number (full or just the digits), ID number, and
    the issue-date range; Enter searches at once."""
    from PySide6.QtCore import QDate

    tab = make_tab(admin_user)
    every = list(tab.infos)
    target = every[5]
    for text in (target.payee, target.number, str(int(target.number.split("-")[1]))):
        tab.search_edit.setText(text)
        qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)
        assert target.id in [i.id for i in tab.infos], text
        assert len(tab.infos) < len(every), text
    full_id = receipts.receipt_infos(demo_db, admin_user, [target.id], show_id=True)[0]
    tab.search_edit.setText(full_id.payee_id_number[-8:])
    tab.reload()
    assert [i.payee for i in tab.infos] == [target.payee]
    tab.search_edit.clear()
    tab.reload()
    day = target.issued_on
    tab.since_box.setDate(QDate(day.year, day.month, day.day))
    tab.until_box.setDate(QDate(day.year, day.month, day.day))
    assert tab.infos and all(i.issued_on == day for i in tab.infos)
    assert len(tab.infos) == sum(1 for i in every if i.issued_on == day)
