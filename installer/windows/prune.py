"""Prune the Windows site-packages to what UnionsDesk uses (issue #15 item 6).

    python prune.py SITE_PACKAGES

PySide6 keeps the Qt modules the program uses — Core, Gui, Widgets, PrintSupport, Pdf,
PdfWidgets, Network (QtPdf needs it), Charts (the dashboard; it needs OpenGL and
OpenGLWidgets) and Svg (SVG icons) — the platforms/styles/imageformats/iconengines/tls
plugins and the zh_CN translations. WebEngine, QML/Quick, Multimedia/ffmpeg, 3D, the
software OpenGL fallback and the tools (designer.exe, …) go. Elsewhere: type stubs,
C headers, caches and the test suites wheels ship.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

QT = ("Core", "Gui", "Widgets", "PrintSupport", "Pdf", "PdfWidgets", "Network", "Charts")
QT_LIBS = (*QT, "OpenGL", "OpenGLWidgets", "Svg")
KEEP_FILES = {
    "__init__.py",
    "_config.py",
    "_git_pyside_version.py",
    "py.typed",
    "pyside6.abi3.dll",
    *(f"Qt{m}.pyd" for m in QT),
    *(f"Qt6{m}.dll" for m in QT_LIBS),
}
RUNTIME = re.compile(r"^(msvcp140.*|vcruntime140.*|concrt140|vccorlib140|vcomp140)\.dll$", re.I)
KEEP_DIRS = {"support", "plugins", "translations"}
KEEP_PLUGINS = {"platforms", "styles", "imageformats", "iconengines", "tls"}
DROP_PLUGIN_FILES = re.compile(
    r"^(qdirect2d|qminimal)\.dll$", re.I
)  # not used; offscreen kept for screenshots


def prune_pyside(pyside: Path) -> None:
    for entry in pyside.iterdir():
        if entry.is_dir():
            if entry.name not in KEEP_DIRS:
                shutil.rmtree(entry)
        elif entry.name not in KEEP_FILES and not RUNTIME.match(entry.name):
            entry.unlink()
    for plugin in (pyside / "plugins").iterdir():
        if plugin.name not in KEEP_PLUGINS:
            shutil.rmtree(plugin)
        else:
            for f in plugin.iterdir():
                if DROP_PLUGIN_FILES.match(f.name):
                    f.unlink()
    for qm in (pyside / "translations").iterdir():
        if not (qm.name.endswith("_zh_CN.qm") and qm.name.startswith(("qt_", "qtbase_"))):
            qm.unlink() if qm.is_file() else shutil.rmtree(qm)


def main(site: Path) -> int:
    prune_pyside(site / "PySide6")
    for stub in site.rglob("*.pyi"):
        stub.unlink()
    for junk in ("__pycache__", "tests", "test"):
        for d in list(site.rglob(junk)):
            if d.is_dir() and "unionsdesk" not in d.parts:
                shutil.rmtree(d, ignore_errors=True)
    shiboken = site / "shiboken6"
    for f in shiboken.glob("*.lib"):
        f.unlink()
    for d in ("include", "docs"):
        shutil.rmtree(shiboken / d, ignore_errors=True)
    shutil.rmtree(site / "bin", ignore_errors=True)  # console scripts made for Linux paths
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
