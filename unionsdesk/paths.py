"""Where things live: bundled resources and the clerk's data directory."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from unionsdesk import APP_NAME


def resources_dir() -> Path:
    """The bundled ``resources`` folder (installed as ``unionsdesk.resources``).

    Found from the package's import location: ``importlib.resources`` would do the
    same but costs the first window about 6 ms of imports (zipfile, tempfile), and
    Qt and reportlab need the fonts as real files anyway."""
    spec = find_spec("unionsdesk.resources")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("unionsdesk.resources is not installed")
    return Path(spec.submodule_search_locations[0])


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


MAIN_FONT = "uming.ttc"
FALLBACK_FONT = "HanaMinB.ttf"  # CJK Extension B (𠮷 U+20BB7)
FALLBACK_FONT_A = "HanaMinA.ttf"  # CJK Extension A and BMP characters UMing lacks


def user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return user_data_dir() / "unionsdesk.sqlite3"
