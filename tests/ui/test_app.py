"""Start-up through the real command: screenshot mode, bad input, the main window."""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from unionsdesk.cli import main
from unionsdesk.db.engine import Database
from unionsdesk.errors import UserError
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.ui.app import parse_size
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.workers import wait_for_background


def test_screenshot_of_the_settings_tab(
    demo_db_file: Path, tmp_path: Path, looks_like_screenshot: Callable[[Path], bool]
) -> None:
    out = tmp_path / "settings.png"
    code = main(["--db", str(demo_db_file), "--screenshot", str(out), "--tab", "设置"])
    assert code == 0 and looks_like_screenshot(out)
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_screenshot_of_a_sub_page_at_a_size(
    demo_db_file: Path, tmp_path: Path, looks_like_screenshot: Callable[[Path], bool]
) -> None:
    out = tmp_path / "users.png"
    args = ["--db", str(demo_db_file), "--screenshot", str(out), "--tab", "设置/用户",
            "--size", "1024x768"]  # fmt: skip
    assert main(args) == 0 and looks_like_screenshot(out)
    from PySide6.QtGui import QImage

    assert QImage(str(out)).size().toTuple() == (1024, 768)


def test_unknown_tab_exits_2_and_lists_the_names(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.png"
    assert main(["--db", str(demo_db_file), "--screenshot", str(out), "--tab", "劳模"]) == 2
    err = capsys.readouterr().err
    assert "没有名为“劳模”的页签" in err and "设置/用户和角色" in err and "首页" in err
    assert not out.exists()


def test_bad_size_and_bad_database_exit_2(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.png"
    assert main(["--db", str(demo_db_file), "--screenshot", str(out), "--size", "big"]) == 2
    assert "宽x高" in capsys.readouterr().err
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all")
    assert main(["--db", str(junk), "--screenshot", str(out)]) == 2
    assert "不是数据库文件" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "new.sqlite3"), "--screenshot", str(out)]) == 2
    assert "管理员" in capsys.readouterr().err  # nothing to log in with yet
    assert not out.exists()


def test_parse_size() -> None:
    assert parse_size("1280x800") == (1280, 800)
    assert parse_size(" 1024 × 768 ") == (1024, 768)
    for bad in ("", "1280", "10x10", "1280x800x3", "axb"):
        with pytest.raises(UserError):
            parse_size(bad)


def test_window_remembers_geometry_and_last_tab(
    demo_db: Database,
    admin_user: CurrentUser,
    make_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(demo_db, admin_user, remember=True)
    window.resize(1000, 700)
    assert window.open_tab("设置")
    window.close()
    assert QSettings().value("main/tab") == "设置"
    stored = QSettings().value("main/geometry")
    assert stored
    # (the offscreen screen is 800x600, so Qt fits the restored window into it;
    # check that the stored geometry is what the next window restores)
    restored: list[object] = []
    real = MainWindow.restoreGeometry
    monkeypatch.setattr(
        MainWindow, "restoreGeometry", lambda self, g: restored.append(g) or real(self, g)
    )
    again = make_window(demo_db, admin_user, remember=True)
    assert again.tabs.tabText(again.tabs.currentIndex()) == "设置"
    assert restored == [stored]


def test_status_bar_shows_the_database_path(admin_window: MainWindow, demo_db: Database) -> None:
    assert admin_window.db_label.text() == f"数据库：{demo_db.path}"


def test_logout_and_keyboard_actions(admin_window: MainWindow, qtbot: QtBot, shown: object) -> None:
    assert admin_window.open_tab("首页")
    admin_window.save_action.trigger()  # nothing to save on 首页: a hint, no error
    assert "没有需要保存" in admin_window.statusBar().currentMessage()
    admin_window.find_action.trigger()
    assert "没有搜索框" in admin_window.statusBar().currentMessage()
    admin_window.logout_action.trigger()
    assert admin_window.logout_requested and not admin_window.isVisible()


def test_home_tab_counts_and_recent_activity(admin_window: MainWindow, qtbot: QtBot) -> None:
    """首页 shows the work (困难户, 年审逾期, this year's aid, 换届, what waits for review),
    counted after the window shows, not the users and code entries of the office."""
    from unionsdesk.services.aid.figures import work_figures

    home = admin_window.content("首页")
    qtbot.waitUntil(lambda: home.figures is not None, timeout=20000)  # type: ignore[attr-defined]
    assert home.office_label.text() == "示例县总工会"  # type: ignore[attr-defined]
    expected = work_figures(admin_window.ctx.db, admin_window.ctx.user)
    assert home.figures == expected and expected.files > 0 and expected.year_people > 0  # type: ignore[attr-defined]
    assert home.files_card.value.text() == f"{expected.files:,}"  # type: ignore[attr-defined]
    assert home.amount_card.value.text() == f"{expected.year_amount // 100:,}"  # type: ignore[attr-defined]
    assert not hasattr(home, "users_card") and not hasattr(home, "codes_card")
    wait_for_background()  # 最近操作 is read on its own worker
    table = home.recent  # type: ignore[attr-defined]
    assert table.rowCount() > 0
    texts = [table.item(r, 4).text() for r in range(table.rowCount())]
    assert texts[0].startswith("生成示例县总工会数据")  # newest first
    assert not any(
        "approval_ref" in t or "funding_source" in t for t in texts
    )  # labels, not column names


def test_home_opens_the_person_file_search(admin_window: MainWindow, qtbot: QtBot) -> None:
    """首页's 查看人员档案… finds a person by name and opens their file."""
    from PySide6.QtWidgets import QPushButton

    from unionsdesk.ui.widgets.person_file import PersonFileDialog, PersonSearchDialog

    home = admin_window.content("首页")
    button = home.findChild(QPushButton, "findPerson")
    assert button is not None and button.isVisible()
    button.click()
    dialogs = [d for d in home.findChildren(PersonSearchDialog) if d.isVisible()]
    assert len(dialogs) == 1
    search = dialogs[0]
    with admin_window.ctx.db.engine.connect() as conn:
        name = conn.exec_driver_sql("SELECT name FROM person ORDER BY id LIMIT 1").scalar_one()
    search.edit.setText(name)
    search.search()
    assert search.results.count() >= 1
    search.results.setCurrentRow(0)
    search.open_selected()
    assert isinstance(search.opened, PersonFileDialog)
    search.opened.close()


def test_main_window_first_paint_reads_only_the_office(
    demo_db: Database, admin_user: CurrentUser, qtbot: QtBot
) -> None:
    """Item 14 of the clerk issue: the window with 首页 is painted before anything is
    counted. Every statement the GUI thread sends while the window is built, shown and
    painted is recorded: only the office row (for the title and 首页's heading) may be
    read there; the figures, 最近操作 and the charts come from workers."""
    import threading

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import event

    from unionsdesk.ui.app import show_main_window
    from unionsdesk.ui.startup import warm_up

    warm_up()  # as the login window's loader does while the clerk types
    gui = threading.get_ident()
    on_gui: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if threading.get_ident() == gui:
            on_gui.append(" ".join(statement.split()))

    event.listen(demo_db.engine, "before_cursor_execute", record)
    try:
        window = show_main_window(demo_db, admin_user, "首页")
        qtbot.addWidget(window)
        qtbot.waitExposed(window)
        for _ in range(3):  # the queued first refresh runs on the GUI thread too
            QApplication.processEvents()
        window.grab()
        painted = list(on_gui)
        wait_for_background()
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", record)
    tables = {s.split(" FROM ", 1)[1].split()[0] for s in painted if " FROM " in s}
    assert painted and tables == {"office"}, painted
    home = window.content("首页")
    assert home.recent.rowCount() > 0 and home.figures is not None  # type: ignore[attr-defined]
    window.close()


def test_interactive_first_start_logout_and_login_again(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real start-up loop: first start → window → 注销 → login → window → quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from unionsdesk.ui.app import run
    from unionsdesk.ui.login import FirstStartDialog, LoginDialog

    steps: list[str] = []
    finished = False

    def tick() -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        modal = app.activeModalWidget()
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if isinstance(modal, FirstStartDialog):
            steps.append("first start")
            modal.office_form.set_values({"name": "测试县总工会"})
            modal.admin_form.set_values({"password": "abc123", "password2": "abc123"})
            modal.try_initialise()
        elif isinstance(modal, LoginDialog) and modal.db is None:
            pass  # the first window, up while the database opens; a new one goes to first start
        elif isinstance(modal, LoginDialog):
            steps.append("login")
            modal.login_edit.setText("admin")
            modal.password_edit.setText("abc123")
            modal.try_login()
        elif windows:
            steps.append(windows[0].windowTitle())
            if "login" in steps:
                windows[0].close()
                return  # the loop ends; stop ticking
            windows[0].logout()
        if not finished:
            QTimer.singleShot(20, tick)

    QTimer.singleShot(20, tick)
    code = run(str(tmp_path / "new.sqlite3"))
    finished = True
    title = "工会通 — 测试县总工会 — 管理员（管理员）"
    assert code == 0
    assert steps == ["first start", title, "login", title]
