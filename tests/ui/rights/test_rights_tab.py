"""维权 tab: hidden without 维权查看, the 15-day colouring, printed forms, the 首页 reminder."""

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.services.common import users
from unionsdesk.services.common.base import RIGHTS, CurrentUser
from unionsdesk.services.rights.registers import DISPUTES
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.common.home import HomeTab
from unionsdesk.ui.tabs.rights.rights import RED, DisputesPane, RightsTab
from unionsdesk.ui.workers import wait_for_background

SHOTS = Path("/tmp/helper5")


def _shot(widget: object, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / name))  # type: ignore[attr-defined]


def test_clerk_without_rights_view_sees_no_tab(
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
    make_window: Callable[..., MainWindow],
) -> None:
    clerk = login_as(demo_db, "jingban")
    window = make_window(demo_db, clerk)
    assert "维权" not in window.tab_titles()
    assert "互助保障" in window.tab_titles()
    home = window.content("首页")
    assert isinstance(home, HomeTab)
    assert home.disputes.isHidden()
    # given to the role 经办人 in 设置 → 用户和角色: the next login shows the tab
    users.set_role_permission(demo_db, users.first_admin(demo_db), "clerk", RIGHTS, True)
    window2 = make_window(demo_db, login_as(demo_db, "jingban"))
    assert "维权" in window2.tab_titles()


def test_disputes_list_colours_and_form_day_count(admin_window: MainWindow, qtbot: QtBot) -> None:
    assert admin_window.open_tab("维权")
    tab = admin_window.content("维权")
    assert isinstance(tab, RightsTab)
    pane = tab.page(0)
    assert isinstance(pane, DisputesPane)
    wait_for_background()
    model = pane.model
    reds = [
        i for i in range(model.rowCount())
        if (obj := model.row_object(i)) is not None and obj.values.get("state") == "red"
    ]  # fmt: skip
    assert reds, "the demo has cases past day 15"
    from PySide6.QtCore import Qt

    brush = model.data(model.index(reds[0], 0), Qt.ItemDataRole.BackgroundRole)
    assert brush is not None and brush.color().name() == RED
    row = model.row_object(reds[0])
    assert row is not None
    pane.show_record(row.id)
    assert "可申请仲裁" in pane.day_label.text() and pane.day_label.isVisible()
    admin_window.resize(1400, 850)
    _shot(admin_window, "rights_disputes.png")


def test_print_agreement_from_the_tab(
    admin_window: MainWindow, demo_db: Database, qtbot: QtBot
) -> None:
    assert admin_window.open_tab("维权")
    tab = admin_window.content("维权")
    assert isinstance(tab, RightsTab)
    pane = tab.page(0)
    assert isinstance(pane, DisputesPane)
    admin = users.first_admin(demo_db)
    agreed = DISPUTES.search_ids(demo_db, admin, "", {"result": "达成协议"})
    pane.show_record(agreed[0])
    pane.print_agreement()
    assert pane.preview is not None
    path = pane.preview.path  # type: ignore[attr-defined]
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    pane.preview.close()


def test_new_case_gets_a_case_number_and_home_reminder_opens_it(
    admin_window: MainWindow, demo_db: Database, qtbot: QtBot
) -> None:
    assert admin_window.open_tab("维权")
    tab = admin_window.content("维权")
    assert isinstance(tab, RightsTab)
    pane = tab.page(0)
    assert isinstance(pane, DisputesPane)
    received = date.today() - timedelta(days=60)  # older than every open demo case
    from unionsdesk.domain.idcard import check_char

    first = "360830198807070321"[:17]
    pane.form.set_values({
        "received_on": received.isoformat(), "request_mode": "口头", "name": "提醒测试",
        "id_number": first + check_char(first), "respondent": "示例县某公司", "dispute_types": "劳动报酬",
    })  # fmt: skip
    record = pane.save()
    assert record is not None and str(record.values["case_no"]).startswith(f"〔{received.year}〕")
    assert admin_window.open_tab("首页")
    home = admin_window.content("首页")
    assert isinstance(home, HomeTab)
    home.refresh()
    wait_for_background()  # 最近操作 and the reminders are read on a worker
    assert home.disputes.table.rowCount() > 0
    assert home.disputes.table.item(0, 1).text() == "提醒测试"  # the oldest open case first
    _shot(admin_window, "home_reminders.png")
    home.disputes.table.selectRow(0)
    home.disputes.open_selected()
    assert admin_window.tab_titles()[admin_window.tabs.currentIndex()] == "维权"
    assert pane.current is not None and pane.current.id == record.id


def test_closing_with_agreement_opens_the_agreement(
    admin_window: MainWindow, demo_db: Database
) -> None:
    assert admin_window.open_tab("维权")
    tab = admin_window.content("维权")
    assert isinstance(tab, RightsTab)
    pane = tab.page(0)
    assert isinstance(pane, DisputesPane)
    admin = users.first_admin(demo_db)
    open_ids = DISPUTES.search_ids(demo_db, admin, "", {"open": "未结案"})
    pane.show_record(open_ids[0])
    pane.form.set_values(
        {"result": "达成协议", "agreement_amount": "6800", "closed_on": date.today().isoformat()}
    )
    record = pane.save()
    assert record is not None and record.values["result"] == "达成协议"
    assert pane.preview is not None and "调解协议书" in pane.preview.windowTitle()
    pane.preview.close()


def test_dispute_types_multi_select(admin_window: MainWindow) -> None:
    assert admin_window.open_tab("维权")
    tab = admin_window.content("维权")
    assert isinstance(tab, RightsTab)
    pane = tab.page(0)
    assert isinstance(pane, DisputesPane)
    pane.new_record(ask=False)
    pane.type_actions["工伤医疗费"].setChecked(True)
    pane.type_actions["劳动报酬"].setChecked(True)
    assert pane.form.values()["dispute_types"] == "劳动报酬、工伤医疗费"  # the list's order
    pane.type_actions["劳动报酬"].setChecked(False)
    assert pane.form.values()["dispute_types"] == "工伤医疗费"
