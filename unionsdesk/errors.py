"""Errors a clerk may see. Their text is one clear Chinese sentence.

`UserError` and its subclasses mean "bad input, nothing was written" (CLI exit 2);
anything else is an unexpected failure (CLI exit 1).
"""


class UnionsDeskError(Exception):
    """Base of the program's own errors; ``str(exc)`` is shown to the clerk."""

    exit_code = 1


class UserError(UnionsDeskError):
    """Bad input or a refused action; nothing was changed."""

    exit_code = 2


class ValidationError(UserError):
    """A value a clerk entered is not acceptable.

    ``errors`` maps a field name to its Chinese reason.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()))


class PermissionDenied(UserError):
    pass


class AuthError(UserError):
    pass


class ConflictError(UserError):
    """Someone else saved the record first (optimistic locking)."""


class DatabaseOpenError(UserError):
    """The database file cannot be opened as a UnionsDesk database."""


class SchemaTooNewError(DatabaseOpenError):
    pass


class NotInitialised(UserError):
    pass


class BackupError(UserError):
    pass


class Cancelled(UnionsDeskError):
    """The clerk cancelled a long job; nothing was written or left behind."""

    def __init__(self, message: str = "已取消，未做任何改动") -> None:
        super().__init__(message)
