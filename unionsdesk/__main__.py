"""``python -m unionsdesk`` (and ``pythonw.exe -m unionsdesk``, the Windows shortcut).

Anything that escapes :func:`unionsdesk.cli.main` — even an import that fails
before the first window, under ``pythonw.exe`` where there is no console — is
written to the log and shown to the clerk in a native message box.
"""

from __future__ import annotations

import sys


def run() -> int:
    try:
        from unionsdesk.cli import main

        return main()
    except SystemExit:
        raise
    except BaseException as exc:  # the last line of defence: say it, never vanish
        from unionsdesk import logs

        if not logs.log.handlers:
            logs.start(what="early failure")
        logs.log_unexpected(exc, "start-up")
        if isinstance(exc, KeyboardInterrupt):
            return 1
        logs.tell_user(f"工会通无法启动：{type(exc).__name__}: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(run())
