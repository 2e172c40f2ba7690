"""Static check of the Windows setup.exe: list it with 7z and assert what must be inside.

    python check_setup.py dist/unionsdesk-<version>-setup.exe

Asserts: the runtime (python.exe, pythonw.exe, python3XX.dll/.zip, a ._pth that enables
site-packages), the Qt DLLs and plugins the program uses (qwindows.dll and the styles),
the project's package with its migrations and the bundled fonts, every third-party
package the window's start imports (found by starting the login window and the main
window here, offscreen, and reading ``sys.modules``), no Linux shared object, none of
the pruned Qt parts, the Chinese Qt translations, and the size within budget.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BUDGET_MIB = 80
SITE = "app.new/python/Lib/site-packages/"
PRUNED = (
    "Qt6WebEngineCore.dll",
    "Qt6Quick.dll",
    "Qt6Qml.dll",
    "opengl32sw.dll",
    "designer.exe",
    "Qt6Multimedia.dll",
    "Qt63DCore.dll",
    "avcodec-61.dll",
)

PROBE = r"""
import json, os, sys
from unionsdesk.cli import main
db = sys.argv[1]
assert main(["demo", "--db", db, "--size", "200", "--unions", "5"]) == 0
before = set(sys.modules)
for args in (["--tab", "登录"], []):
    assert main(["--db", db, "--screenshot", os.path.join(os.path.dirname(db), "s.png"), *args]) == 0
# Top-level packages imported, kept when they come from a distribution unionsdesk
# requires (directly or not): optional imports (pygments here) and built-in helper
# modules (cython_runtime, shibokensupport) are not the installer's business.
import re
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
wanted, todo = set(), ["unionsdesk"]
while todo:
    name = todo.pop()
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in wanted:
        continue
    try:
        requires = distribution(name).requires or []
    except PackageNotFoundError:  # a requirement for another Python (marker)
        continue
    wanted.add(key)
    for req in requires:
        if "extra ==" not in req:
            todo.append(re.split(r"[ ;<>=!~\[(]", req, maxsplit=1)[0])
dists = packages_distributions()
names = {m.split(".")[0] for m in sys.modules}
print(json.dumps(sorted(n for n in names if n != "unionsdesk" and any(
    re.sub(r"[-_.]+", "-", d).lower() in wanted for d in dists.get(n, [])))))
"""


def window_imports() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", UNIONSDESK_LOG_DIR=tmp)
        r = subprocess.run(
            [sys.executable, "-c", PROBE, str(Path(tmp) / "probe.sqlite3")],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
    if r.returncode != 0:
        raise SystemExit(
            f"FAIL: could not start the window here to list its imports:\n{r.stderr[-2000:]}"
        )
    return list(json.loads(r.stdout.strip().splitlines()[-1]))


def listing(setup: Path) -> list[str]:
    r = subprocess.run(
        ["7z", "l", "-ba", "-slt", str(setup)], capture_output=True, text=True, check=True
    )
    return [line[7:] for line in r.stdout.splitlines() if line.startswith("Path = ")]


def main(setup: Path) -> int:
    names = listing(setup)
    files = set(names)
    base = {n.rsplit("/", 1)[-1] for n in names}
    problems: list[str] = []

    def need(path: str, why: str) -> None:
        if path not in files:
            problems.append(f"missing {path} ({why})")

    runtime = [n for n in names if re.fullmatch(r"app\.new/python/python3\d+\.dll", n)]
    if not runtime:
        problems.append("missing python3XX.dll")
    else:
        tag = runtime[0].rsplit("/", 1)[-1][:-4]
        need(f"app.new/python/{tag}.zip", "the standard library")
        need(f"app.new/python/{tag}._pth", "site-packages on the path")
    for exe in ("python.exe", "pythonw.exe"):
        need(f"app.new/python/{exe}", "the runtime; the shortcuts run pythonw.exe")
    need("app.new/unionsdesk.ico", "the shortcuts' icon")
    need("uninstall.exe", "应用和功能")
    for qt in ("Core", "Gui", "Widgets", "PrintSupport", "Pdf", "PdfWidgets", "Network", "Charts"):
        need(f"{SITE}PySide6/Qt6{qt}.dll", "a Qt module the program uses")
        need(f"{SITE}PySide6/Qt{qt}.pyd", "its Python binding")
    need(f"{SITE}PySide6/plugins/platforms/qwindows.dll", "the Windows platform plugin")
    need(f"{SITE}PySide6/plugins/styles/qmodernwindowsstyle.dll", "the Windows 10/11 style")
    need(f"{SITE}PySide6/translations/qtbase_zh_CN.qm", "Chinese Qt dialogs")
    need(f"{SITE}unionsdesk/__main__.py", "python -m unionsdesk")
    need(f"{SITE}unionsdesk/ui/app.py", "the window")
    need(f"{SITE}unionsdesk/resources/fonts/uming.ttc", "the bundled CJK font")
    need(f"{SITE}unionsdesk/resources/fonts/HanaMinB.ttf", "CJK Extension B")
    if not any(n.startswith(f"{SITE}unionsdesk/db/migrations/versions/0001") for n in names):
        problems.append("missing the database migrations")
    if not any(
        re.match(rf"{re.escape(SITE)}unionsdesk-[^/]+\.dist-info/METADATA$", n) for n in names
    ):
        problems.append("missing unionsdesk's dist-info (the version comes from it)")
    imported = window_imports()
    for package in imported:
        if not any(
            n.startswith(f"{SITE}{package}/") or n.startswith(f"{SITE}{package}.") for n in names
        ):
            problems.append(f"missing package {package} (imported when the window starts)")
    linux = [n for n in names if re.search(r"\.so(\.\d+)*$", n)]
    if linux:
        problems.append(f"Linux shared objects inside: {linux[:5]}")
    for gone in PRUNED:
        if gone in base:
            problems.append(f"{gone} should have been pruned")
    size = setup.stat().st_size / 1024 / 1024
    if size > BUDGET_MIB:
        problems.append(f"{size:.1f} MiB is over the {BUDGET_MIB} MiB budget")
    print(
        f"{setup.name}: {size:.1f} MiB, {len(names)} entries; window imports checked: {', '.join(imported)}"
    )
    for p in problems:
        print(f"FAIL: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
