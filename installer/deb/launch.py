"""The frozen program's entry point (PyInstaller): the same as ``python -m unionsdesk``."""

import sys

sys.dont_write_bytecode = True  # /opt is read-only for clerks; nothing to leave behind

from unionsdesk.__main__ import run  # noqa: E402

if __name__ == "__main__":
    sys.exit(run())
