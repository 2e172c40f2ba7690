"""Where things live: bundled resources and the clerk's data directory."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from unionsdesk import APP_NAME


def resources_dir() -> Path:
    """The bundled ``resources`` folder (installed as ``unionsdesk.resources``)."""
    return Path(str(resources.files("unionsdesk.resources")))


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
