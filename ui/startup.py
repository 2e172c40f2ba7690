"""Open the database behind the first window.

The login window needs only Qt and the bundled fonts, so it is on screen about as
fast as an empty window. Importing SQLAlchemy, mapping the models, opening (and if
needed upgrading) the database and loading the main window's code take most of a
second on an office PC; ``DatabaseLoader`` does that on a worker thread while the
clerk types the login name and password. It also runs SQLite's quick_check there
(0.3 s on a 200 000-member county, 2 s with a cold disk cache: hidden behind the
login window); a database that fails is reported with ``damaged`` and the window
opens to the recovery screen (``ui/recovery.py``) instead of the login.
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from unionsdesk.errors import UnionsDeskError

from .recovery import Damaged, recovery_text

if TYPE_CHECKING:
    from unionsdesk.db.engine import Database

# Loaded on the worker too, so the window appears at once after login: the main
# window, 首页 and what 首页 builds (its charts, the dispute reminders).
WARM_MODULES = (
    "unionsdesk.ui.main_window",
    "unionsdesk.ui.tabs.common.home",
    "unionsdesk.ui.tabs.stats.charts",
    "unionsdesk.ui.tabs.rights.reminders",
    "unionsdesk.services.rights.disputes",
)


@dataclass(frozen=True)
class Opened:
    db: Database
    initialised: bool  # False: a new, empty database: first start
    office_name: str


class DatabaseLoader(QObject):
    """Runs ``open_database(target)`` on a worker thread; reports in the GUI thread
    with ``opened(Opened)``, ``damaged(Damaged)`` or ``failed(message)``."""

    opened = Signal(object)
    failed = Signal(str)
    damaged = Signal(object)

    def __init__(self, target: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.result: Opened | None = None
        self.error: str | None = None
        self.damage: Damaged | None = None
        self._thread = threading.Thread(target=self._run, name="open-database", daemon=True)

    def start(self) -> None:
        if not self._thread.is_alive() and self.result is None and self.error is None:
            self._thread.start()

    def start_after_paint(self, window: QWidget, latest_ms: int = 300) -> None:
        """Start once ``window`` has been painted for the first time (the worker's
        imports would otherwise compete with that paint for the interpreter), and
        at the latest after ``latest_ms`` (a window that is never painted, e.g.
        minimised)."""
        window.installEventFilter(self)
        QTimer.singleShot(latest_ms, self.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.start)
        return False

    def wait(self, timeout_s: float = 120.0) -> None:
        """Block until the worker is done (used when quitting before it finished)."""
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def _run(self) -> None:
        from unionsdesk.db.engine import DatabaseDamagedError

        try:
            self.result = load(self.target)
        except DatabaseDamagedError as exc:
            self.error = str(exc)
            path = _target_path(self.target)
            if path is not None:  # a file: the recovery screen can restore it
                self.damage = Damaged(path, recovery_text(exc.problem))
        except UnionsDeskError as exc:
            self.error = str(exc)
        except Exception as exc:  # shown to the clerk as one sentence, never a traceback
            self.error = f"无法打开数据库（{type(exc).__name__}: {exc}）"
        if self.result is not None:
            self.opened.emit(self.result)
        elif self.damage is not None:
            self.damaged.emit(self.damage)
        else:
            self.failed.emit(self.error or "无法打开数据库")


def _target_path(target: str | None) -> Path | None:
    """The SQLite file behind ``target`` (None: a database server, restored by its
    administrator)."""
    from unionsdesk.db.engine import resolve_url, sqlite_path

    return sqlite_path(resolve_url(target))


def load(target: str | None) -> Opened:
    from unionsdesk.db.open import open_database
    from unionsdesk.services.common.office import get_office, is_initialised

    db = open_database(target, verify=True)
    if db.damage is not None:  # readable but damaged: no login, the recovery screen
        from unionsdesk.db.engine import DatabaseDamagedError

        message = db.damage_message
        db.dispose()
        raise DatabaseDamagedError(message, db.damage)
    try:
        initialised = is_initialised(db)
        name = get_office(db).name if initialised else ""
        warm_up()
    except BaseException:
        db.dispose()
        raise
    return Opened(db, initialised, name)


def warm_up() -> None:
    """What the main window and 首页 need before their first paint, done while the
    clerk types the password: their modules, every register (the audit log names
    their entities) and SQLAlchemy's mapper configuration."""
    from sqlalchemy.orm import configure_mappers

    from unionsdesk.registers import all_registers

    for module in WARM_MODULES:
        importlib.import_module(module)
    all_registers()
    configure_mappers()
