"""Every tab and settings page opens for the demo administrator and renders."""

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from unionsdesk.ui.main_window import MainWindow, valid_tab_names
from unionsdesk.ui.tabs.common.settings import PAGES, SettingsTab


def test_every_tab_and_page_renders(
    admin_window: MainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    looks_like_screenshot: Callable[[Path], bool],
) -> None:
    names = valid_tab_names()
    tabs = [
        "首页",
        "会员",
        "基层工会",
        "困难职工",
        "帮扶慰问",
        "收据",
        "劳模与竞赛",
        "互助保障",
        "维权",
        "阵地与补助",
        "报表",
        "设置",
    ]  # fmt: skip  (DESIGN.md §4)
    assert [n for n in names if "/" not in n] == tabs
    assert admin_window.tab_titles() == tabs
    assert admin_window.windowTitle() == "工会通 — 示例县总工会 — 演示管理员（管理员）"
    for name in names:
        assert admin_window.open_tab(name), name
        qtbot.wait(10)
        out = tmp_path / f"{name.replace('/', '_')}.png"
        assert admin_window.grab().save(str(out))
        assert looks_like_screenshot(out), name
    settings = admin_window.content("设置")
    assert isinstance(settings, SettingsTab)
    assert all(settings.page(p.title).isEnabled() for p in PAGES)
    assert not any(settings.page(p.title).restricted for p in PAGES)


def test_unknown_tab_is_refused(admin_window: MainWindow) -> None:
    assert not admin_window.open_tab("不存在")
    assert not admin_window.open_tab("设置/不存在")
    assert admin_window.open_tab("设置/用户")  # an unambiguous beginning is enough


def test_rare_characters_render_with_the_bundled_fonts(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFontMetrics, QGuiApplication

    from unionsdesk.ui.fonts import FALLBACK_FAMILY, MAIN_FAMILY, register_fonts

    assert register_fonts() == [MAIN_FAMILY, FALLBACK_FAMILY, "HanaMinA"]
    font = QGuiApplication.font()
    assert font.families()[:2] == [MAIN_FAMILY, FALLBACK_FAMILY]
    metrics = QFontMetrics(font)
    assert metrics.inFontUcs4(ord("工"))
    from PySide6.QtGui import QFont

    assert QFontMetrics(QFont(FALLBACK_FAMILY)).inFontUcs4(0x20BB7)  # 𠮷
