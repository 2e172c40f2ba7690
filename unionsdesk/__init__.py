"""UnionsDesk (工会通): the Qt-free core of the county trade-union office program.

The version has one home, ``pyproject.toml``: :func:`version` reads it there in a
source checkout and from the installed distribution's metadata otherwise (the .deb
bundle and the Windows install carry that metadata). ``__version__`` is computed on
first use, so importing the package costs no metadata lookup at start-up.
"""

from __future__ import annotations

from functools import cache

APP_NAME = "UnionsDesk"
APP_TITLE = "工会通"
DIST_NAME = "unionsdesk"


@cache
def version() -> str:
    """The program's version: pyproject.toml beside the package (a checkout, where the
    editable install's metadata may be stale), else the installed metadata."""
    from pathlib import Path

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, ValueError):
            project = {}
        if project.get("name") == DIST_NAME and isinstance(project.get("version"), str):
            return str(project["version"])
    found = _dist_info_version()
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version(DIST_NAME)
    except PackageNotFoundError:
        return "0+unknown"


def _dist_info_version() -> str | None:
    """The ``Version:`` line of ``unionsdesk-*.dist-info/METADATA`` on ``sys.path``: the
    same answer as importlib.metadata without importing it (about 15 ms at start-up)."""
    import sys
    from pathlib import Path

    for entry in sys.path:
        try:
            candidates = sorted(Path(entry or ".").glob(f"{DIST_NAME}-*.dist-info/METADATA"))
        except OSError:
            continue
        for metadata in candidates:
            try:
                with metadata.open(encoding="utf-8") as fh:
                    for line in fh:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():
                            break
            except OSError:
                continue
    return None


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
