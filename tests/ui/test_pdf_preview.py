"""打印预览: opens a PDF, navigates, zooms, prints the same file, saves a copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from unionsdesk.ui.widgets.pdf_preview import PdfPreviewDialog, print_pdf_file, temp_pdf_path


def make_pdf(path: Path, pages: int = 3, *, landscape_last: bool = False) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    for n in range(1, pages + 1):
        if landscape_last and n == pages:
            canvas.setPageSize(landscape(A4))
        canvas.setFont("Helvetica", 28)
        canvas.drawString(72, 700 if n < pages or not landscape_last else 400, f"Page {n}")
        canvas.rect(36, 36, 100, 100)
        canvas.showPage()
    canvas.save()
    return path


def _pages(path: Path) -> int:
    doc = QPdfDocument(None)
    doc.load(str(path))
    count = doc.pageCount()
    doc.close()
    return count


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "sample.pdf", 3)


def _dialog(qtbot: QtBot, path: Path, **kw: Any) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(path, "测试文件", **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_preview_shows_page_count_and_navigates(qtbot: QtBot, pdf: Path) -> None:
    dialog = _dialog(qtbot, pdf)
    assert dialog.loaded and dialog.page_count() == 3
    assert dialog.count_label.text() == "共 3 页"
    assert dialog.page_box.value() == 1 and not dialog.prev_button.isEnabled()
    dialog.next_button.click()
    assert dialog.current_page() == 1 and dialog.page_box.value() == 2
    dialog.page_box.setValue(3)
    assert dialog.current_page() == 2 and not dialog.next_button.isEnabled()
    dialog.prev_button.click()
    assert dialog.current_page() == 1
    dialog.go_to_page(99)  # clamped
    assert dialog.current_page() == 2


def test_zoom_buttons(qtbot: QtBot, pdf: Path) -> None:
    dialog = _dialog(qtbot, pdf)
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert dialog.fit_width_button.isChecked() and not dialog.fit_page_button.isChecked()
    assert dialog.zoom_label.text().endswith("%")
    before = dialog._effective_zoom()
    dialog.zoom_in_button.click()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert dialog.view.zoomFactor() == pytest.approx(before * 1.25, rel=1e-3)
    assert dialog.zoom_label.text() == f"{before * 125:.0f}%"
    assert not dialog.fit_width_button.isChecked()
    dialog.zoom_out_button.click()
    dialog.zoom_out_button.click()
    assert dialog.view.zoomFactor() < before
    dialog.fit_page_button.click()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitInView
    assert dialog.fit_page_button.isChecked() and not dialog.fit_width_button.isChecked()
    dialog.fit_width_button.click()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_printer_is_a4_full_page_and_prints_the_same_file(
    qtbot: QtBot, pdf: Path, tmp_path: Path
) -> None:
    outputs: list[str] = []
    dialog = _dialog(qtbot, pdf, on_output=outputs.append)
    printer = dialog.make_printer()
    assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    assert printer.fullPage()
    printed = tmp_path / "printed.pdf"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    printer.setResolution(150)
    job = dialog.print_pdf(printer)
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=20000)
    assert job.error is None and job.result == 3
    assert outputs == ["print"] and dialog.printed == 1
    assert _pages(printed) == 3


def test_print_dialog_cancel_prints_nothing(qtbot: QtBot, pdf: Path, monkeypatch: Any) -> None:
    outputs: list[str] = []
    dialog = _dialog(qtbot, pdf, on_output=outputs.append)
    monkeypatch.setattr(dialog, "ask_printer", lambda printer: False)
    assert dialog.print_pdf() is None
    assert outputs == []


def test_landscape_page_is_turned_onto_portrait_paper(tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "mixed.pdf", 2, landscape_last=True)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setResolution(100)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "out.pdf"
    printer.setOutputFileName(str(out))
    assert print_pdf_file(source, printer) == 2
    assert _pages(out) == 2


def test_save_as_copies_the_file_and_calls_back(qtbot: QtBot, pdf: Path, tmp_path: Path) -> None:
    outputs: list[str] = []
    dialog = _dialog(qtbot, pdf, on_output=outputs.append)
    target = tmp_path / "copy.pdf"
    assert dialog.save_as(target) == target
    assert target.read_bytes() == pdf.read_bytes()
    assert outputs == ["save"]


def test_broken_file_is_reported(qtbot: QtBot, tmp_path: Path, shown: Any) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    dialog = _dialog(qtbot, bad)
    assert not dialog.loaded and not dialog.print_button.isEnabled()
    assert any("无法打开" in t for t in shown.texts("critical"))


def test_temp_file_removed_on_close(qtbot: QtBot) -> None:
    path = temp_pdf_path("预览/测试")
    make_pdf(path, 1)
    assert "/" not in path.name
    dialog = _dialog(qtbot, path, delete_on_close=True)
    dialog.reject()
    assert not path.exists()
