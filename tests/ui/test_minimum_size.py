"""At the window's minimum size nothing a clerk must read is cut: every button's text
fits its button, and 首页's figures fit their cards (the clerk's tabs: 首页, 会员,
基层工会, 困难职工, 帮扶慰问, 收据, 设置 › 套打偏移)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.ui.context import AppContext
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.common.home import StatCard
from unionsdesk.ui.workers import wait_for_background

TABS = ("首页", "会员", "基层工会", "困难职工", "帮扶慰问", "收据", "设置/套打偏移")
PADDING = 10  # the style's button margins, at the least


def cut_buttons(window: MainWindow) -> list[str]:
    cut = []
    for b in window.findChildren(QPushButton):
        if b.isVisibleTo(window) and b.text():
            need = b.fontMetrics().horizontalAdvance(b.text().replace("&", "")) + PADDING
            if need > b.width():
                cut.append(f"{b.text()}（{b.width()} < {need}）")
    return cut


@pytest.mark.parametrize("tab", TABS)
def test_nothing_is_cut_at_the_minimum_size(
    tab: str, qtbot: QtBot, demo_db: Database, admin_user: CurrentUser
) -> None:
    window = MainWindow(AppContext(demo_db, admin_user), remember=False)
    qtbot.addWidget(window)
    window.resize(window.minimumSize())
    window.show()
    qtbot.waitExposed(window)
    assert (window.width(), window.height()) == (900, 600)
    assert window.open_tab(tab)
    wait_for_background()
    qtbot.wait(50)
    assert cut_buttons(window) == [], tab
    if tab == "首页":
        home = window.content("首页")
        qtbot.waitUntil(lambda: home.figures is not None, timeout=20000)  # type: ignore[attr-defined]
        qtbot.wait(20)
        for card in home.findChildren(StatCard):
            need = card.value.fontMetrics().horizontalAdvance(card.value.text())
            assert need <= card.value.width(), card.value.text()


def test_the_check_fails_on_a_cut_button(
    qtbot: QtBot, demo_db: Database, admin_user: CurrentUser
) -> None:
    """The check can fail: a button too narrow for its text is reported."""
    window = MainWindow(AppContext(demo_db, admin_user), remember=False)
    qtbot.addWidget(window)
    window.show()
    narrow = QPushButton("开具并打印收据…", window)
    narrow.setFixedWidth(40)
    narrow.show()
    assert any(t.startswith("开具并打印收据") for t in cut_buttons(window))
