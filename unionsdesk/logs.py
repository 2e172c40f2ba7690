"""The program's own log: failures are never silent, personal data never written.

``start()`` (called at the top of ``unionsdesk.cli.main``) opens a rotating log,
``unionsdesk.log`` in ``logs/`` of the data folder (1 MB, 5 old files kept), and
writes the version, the platform and the database in use; the stop is written
at exit. Every unexpected error is written with its traceback
(:func:`log_unexpected`). Alembic's "Running upgrade …" lines go there too, so
the log says when a newer version migrated the database (after the automatic
``backups/pre-upgrade-*`` copy).

Every line passes :class:`RedactingFormatter`: 18- and 15-digit ID numbers,
mobile numbers, bank-card-length digit runs, passwords in URLs and
``password=…`` pairs are masked, in messages and in tracebacks alike.

When there is no console (``pythonw.exe`` on Windows, a menu launch on Linux),
a failure before the Qt window is up would be invisible: :func:`tell_user`
shows it in a native message box (``MessageBoxW`` on Windows; zenity, kdialog
or xmessage on Linux when one is installed) as well as writing it to the log.

``UNIONSDESK_LOG_DIR`` moves the log elsewhere (tests, a read-only data folder).
A log folder that cannot be written never stops the program: it runs without a
file log and says so on stderr.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import platform
import re
import sys
from pathlib import Path

from unionsdesk import APP_TITLE

LOG_ENV = "UNIONSDESK_LOG_DIR"
LOG_FILE = "unionsdesk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
LOGGER = "unionsdesk"

log = logging.getLogger(LOGGER)

_state: dict[str, Path | None] = {"file": None}


def log_dir() -> Path:
    env = os.environ.get(LOG_ENV)
    if env:
        return Path(env)
    from unionsdesk.paths import user_data_dir

    return user_data_dir() / "logs"


def log_file() -> Path | None:
    """The log file in use, or None when no file log could be opened."""
    return _state["file"]


# -- redaction -------------------------------------------------------------------------
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # user:password@ in database URLs
    (re.compile(r"(://[^:/@\s]*:)[^@\s]*@"), r"\1***@"),
    # password=…, passwd: …, 密码：… (up to the next space, comma or quote)
    (
        re.compile(r"((?:password|passwd|pwd|密码)\s*[=:：]\s*)[^\s,;'\"]+", re.IGNORECASE),
        r"\1***",
    ),
    # ID numbers (18 with a check character, 15 legacy), bank cards (16-19 digits)
    (re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"), "[身份证号]"),
    (re.compile(r"(?<![0-9A-Za-z])\d{15,19}(?![0-9A-Za-z])"), "[号码]"),
    # mobile numbers
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[手机号]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """A formatter whose whole output, traceback included, goes through :func:`redact`."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


# -- set-up ----------------------------------------------------------------------------
def describe_target(target: str | None) -> str:
    """The database a command will use, as text for the log (no password)."""
    if target is None:
        target = os.environ.get("UNIONSDESK_DB") or None
    if target is None:
        from unionsdesk.paths import default_db_path

        return str(default_db_path())
    return redact(str(target))


def start(db_target: str | None = None, what: str = "window") -> Path | None:
    """Open the log (once per process) and write the start line."""
    if _state["file"] is None and not log.handlers:
        _open()
    log.info(
        "start %s: version %s, Python %s, %s, %s; database %s",
        what,
        _version(),
        platform.python_version(),
        platform.platform(terse=True),
        "frozen" if getattr(sys, "frozen", False) else sys.executable,
        describe_target(db_target),
    )
    return _state["file"]


def _version() -> str:
    from unionsdesk import version

    return version()


def _open() -> None:
    from logging.handlers import RotatingFileHandler

    class QuietHandler(RotatingFileHandler):
        """A log write that fails (full disk, file-size limit, folder gone) never disturbs
        the program or its one-line messages on stderr: the file log just stops."""

        def handleError(self, record: logging.LogRecord) -> None:
            log.removeHandler(self)
            logging.getLogger("alembic.runtime.migration").removeHandler(self)
            with contextlib.suppress(Exception):
                self.close()

    directory = log_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler: RotatingFileHandler | None = QuietHandler(
            directory / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        handler = None  # no file log this time; 关于 says so (log_file() is None)
    log.setLevel(logging.INFO)
    log.propagate = False
    if handler is None:
        log.addHandler(logging.NullHandler())
        return
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    log.addHandler(handler)
    migration = logging.getLogger("alembic.runtime.migration")
    migration.setLevel(logging.INFO)
    migration.addHandler(handler)
    _state["file"] = directory / LOG_FILE
    atexit.register(_stop)


def _stop() -> None:
    log.info("stop")
    for handler in log.handlers:
        handler.flush()


def log_unexpected(exc: BaseException, where: str = "") -> None:
    """An unexpected error, with its traceback (redacted like every line)."""
    log.error("unexpected error%s", f" ({where})" if where else "", exc_info=exc)


# -- telling the clerk when there is no console -----------------------------------------
def has_console() -> bool:
    stream = sys.stderr
    if stream is None:  # pythonw.exe
        return False
    if sys.platform == "win32":
        return True  # python.exe always has one (or a redirected stream)
    try:
        return stream.isatty() or not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        )
    except (AttributeError, ValueError):
        return False


def tell_user(message: str) -> None:
    """One Chinese sentence for the clerk: on stderr, and in a native box when no
    console shows stderr. Used only for failures before (or without) Qt."""
    log.error("told the user: %s", message)
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            print(f"错误：{message}", file=sys.stderr)
    show_if_no_console(message)


def show_if_no_console(message: str) -> bool:
    """A native box for ``message`` (plus the log's path) when no console shows stderr."""
    if has_console():
        return False
    path = log_file()
    text = message if path is None else f"{message}\n\n详细信息已写入日志文件：\n{path}"
    return native_message_box(f"{APP_TITLE} — 出错了", text)


def native_message_box(title: str, text: str) -> bool:
    """Show ``text`` without Qt. True if a box was shown."""
    if os.environ.get("UNIONSDESK_NO_NATIVE_BOX"):  # tests
        return False
    if sys.platform == "win32":
        import ctypes

        MB_ICONERROR = 0x10
        windll = getattr(ctypes, "windll", None)
        if windll is None:
            return False
        windll.user32.MessageBoxW(None, text, title, MB_ICONERROR)
        return True
    import shutil
    import subprocess

    for command in (
        ["zenity", "--error", f"--title={title}", f"--text={text}"],
        ["kdialog", "--title", title, "--error", text],
        ["xmessage", "-center", f"{title}\n\n{text}"],
    ):
        if shutil.which(command[0]):
            try:
                subprocess.run(command, check=False, timeout=600)
                return True
            except (OSError, subprocess.SubprocessError):
                continue
    return False
