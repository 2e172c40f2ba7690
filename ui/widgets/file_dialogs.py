"""Choosing an Excel file to read or write; the folder is remembered per purpose."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

EXCEL_FILTER = "Excel 工作簿 (*.xlsx)"
EXCEL_READ_FILTER = "Excel 表格 (*.xlsx *.xls *.xlsm);;所有文件 (*)"


def _folder(key: str) -> str:
    saved = QSettings().value(f"folders/{key}")
    if isinstance(saved, str) and Path(saved).is_dir():
        return saved
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def _remember(key: str, path: Path) -> None:
    QSettings().setValue(f"folders/{key}", str(path.parent))


def ask_save_xlsx(parent: QWidget, title: str, default_name: str, key: str) -> Path | None:
    """A path to write an .xlsx to (the suffix added when missing), or None."""
    start = str(Path(_folder(key)) / default_name)
    name, _ = QFileDialog.getSaveFileName(parent, title, start, EXCEL_FILTER)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    _remember(key, path)
    return path


def ask_open_excel(parent: QWidget, title: str, key: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, _folder(key), EXCEL_READ_FILTER)
    if not name:
        return None
    path = Path(name)
    _remember(key, path)
    return path


def safe_file_name(text: str) -> str:
    """``text`` without the characters Windows refuses in a file name."""
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in text).strip() or "导出"
