"""The installers ship the wheel's package list: a sub-package missing from
pyproject.toml's explicit ``packages`` works in the editable checkout but is absent
from the .deb and the setup.exe (the program then fails at start with
ModuleNotFoundError). Caught here in a second instead of in the chroot test."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (
    ("unionsdesk", "unionsdesk"),
    ("ui", "unionsdesk.ui"),
    ("resources", "unionsdesk.resources"),
)


def test_every_package_is_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join((prefix, *init.parent.relative_to(ROOT / base).parts))
        for base, prefix in SOURCES
        for init in (ROOT / base).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert not found - listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_icons_are_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "icons/*" in config["tool"]["setuptools"]["package-data"]["unionsdesk.resources"]
    for name in ("unionsdesk.png", "unionsdesk.ico", "unionsdesk.svg"):
        assert (ROOT / "resources" / "icons" / name).stat().st_size > 0
