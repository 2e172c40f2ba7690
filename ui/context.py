"""What every tab needs: the open database, the logged-in clerk and one broadcast."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from unionsdesk.db.engine import Database
from unionsdesk.services.common.base import ADMIN, CurrentUser


class AppContext(QObject):
    """Passed to every tab factory.

    ``changed(area)`` is the one "something changed" broadcast: a view that
    saved something emits it (area such as "office", "users", "codes",
    "settings", "database"; "*" for everything, e.g. after a restore) and the
    other views refresh themselves when they are next shown.
    """

    changed = Signal(str)
    status = Signal(str)  # a short message for the main window's status bar

    def __init__(self, db: Database, user: CurrentUser, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.user = user

    @property
    def is_admin(self) -> bool:
        return self.user.can(ADMIN)

    def notify(self, message: str) -> None:
        self.status.emit(message)
