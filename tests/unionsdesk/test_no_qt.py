"""The core never imports Qt: everything must work without a display."""

import ast
from pathlib import Path

import unionsdesk

CORE = Path(unionsdesk.__file__).parent
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "unionsdesk.ui")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_core_never_imports_qt() -> None:
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 20  # the walk really sees the core
    offenders = [
        f"{f.relative_to(CORE)}: {name}"
        for f in files
        for name in _imports(f)
        if name.split(".")[0] in QT or name.startswith("unionsdesk.ui")
    ]
    assert offenders == []


def test_walker_sees_qt_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from PySide6 import QtCore\nimport os\n", encoding="utf-8")
    assert "PySide6" in _imports(sample)
