"""打印预览: the very PDF that will be printed, with 打印… and 另存为PDF….

``PdfPreviewDialog(path, title)`` shows ``path`` with QtPdf (page navigation,
zoom in/out, fit width, whole page). 打印… asks for a printer (paper set to A4
explicitly, orientation from the PDF) and paints each page of the same file
into it at 1:1 scale — ``setFullPage(True)``, so 套打 offsets measured on paper
stay true — on a worker thread with progress and 取消. 另存为PDF… copies the
file. After a successful print or save ``output_done(kind)`` is emitted and
``on_output(kind)`` called (kind is ``"print"`` or ``"save"``), e.g. to record
that receipts were printed.

``temp_pdf_path(stem)`` gives a path in the program's scratch folder for a PDF
made only to be previewed; with ``delete_on_close=True`` the dialog removes it.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSettings, QSize, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import Cancelled, UnionsDeskError, UserError

from ..messages import show_error
from ..workers import Job, JobControl, run_job

PDF_FILTER = "PDF 文件 (*.pdf)"
MAX_RENDER_DPI = 300  # pages are rendered to images at most this fine for the printer
ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0

_scratch: Path | None = None


def _scratch_dir() -> Path:
    global _scratch
    if _scratch is None or not _scratch.is_dir():
        _scratch = Path(tempfile.mkdtemp(prefix="unionsdesk-print-"))
        atexit.register(shutil.rmtree, _scratch, True)
    return _scratch


def temp_pdf_path(stem: str) -> Path:
    """A fresh path for a PDF that is only previewed (removed when the program ends)."""
    safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in stem).strip() or "打印"
    folder = _scratch_dir()
    path = folder / f"{safe}.pdf"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{safe}-{n}.pdf"
    return path


class PrintFailed(UserError):
    pass


def print_pdf_file(
    path: Path,
    printer: QPrinter,
    first: int = 1,
    last: int | None = None,
    control: JobControl | None = None,
) -> int:
    """Paint pages ``first``…``last`` (1-based) of the PDF at ``path`` into ``printer``.

    Safe on a worker thread (a QPdfDocument of its own; QPainter on a QPrinter
    may be used off the GUI thread). Returns the number of pages sent.
    """
    from shiboken6 import delete

    doc = QPdfDocument()
    try:
        if doc.load(str(path)) != QPdfDocument.Error.None_:
            raise PrintFailed(f"无法读取要打印的文件“{path.name}”")
        count = doc.pageCount()
        last = count if last is None else min(last, count)
        first = max(first, 1)
        if first > last:
            raise PrintFailed("所选页码范围内没有可打印的页")
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed(
                "无法连接打印机：请检查打印机是否开机、联网，或在“打印”对话框中换一台打印机"
            )
        pages = 0
        try:
            dpi = printer.resolution()
            render_dpi = min(dpi, MAX_RENDER_DPI)
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            for n, page in enumerate(range(first - 1, last)):
                if control is not None and control.cancelled:
                    printer.abort()
                    raise Cancelled("已取消打印")
                if n:
                    printer.newPage()
                size = doc.pagePointSize(page)  # points: 1/72 inch
                image = doc.render(
                    page,
                    QSize(
                        round(size.width() / 72 * render_dpi),
                        round(size.height() / 72 * render_dpi),
                    ),
                )
                width, height = size.width() / 72 * dpi, size.height() / 72 * dpi
                painter.save()
                if (width > height) != (paper.width() > paper.height()):
                    # a landscape page on portrait paper (or the reverse): turn it
                    painter.translate(paper.width(), 0)
                    painter.rotate(90)
                painter.drawImage(QRectF(0, 0, width, height), image)
                painter.restore()
                pages += 1
                if control is not None:
                    control.progress(
                        pages, last - first + 1, f"正在打印第 {page + 1} 页（共 {count} 页）……"
                    )
        finally:
            painter.end()
        return pages
    finally:
        doc.close()
        delete(doc)


def _folder() -> str:
    saved = QSettings().value("folders/pdf")
    if isinstance(saved, str) and Path(saved).is_dir():
        return saved
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


class PdfPreviewDialog(QDialog):
    """Preview of ``path``; 打印… and 另存为PDF… output that very file."""

    output_done = Signal(str)  # "print" or "save"

    def __init__(
        self,
        path: Path | str,
        title: str,
        *,
        parent: QWidget | None = None,
        on_output: Callable[[str], None] | None = None,
        default_name: str | None = None,
        delete_on_close: bool = False,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.title = title
        self.on_output = on_output
        self.default_name = default_name or f"{title}.pdf"
        self.delete_on_close = delete_on_close
        self.job: Job | None = None
        self.printed = 0  # successful prints from this dialog
        self.saved_to: Path | None = None
        self.setObjectName("pdfPreview")
        self.setWindowTitle(f"{APP_TITLE} — 打印预览：{title}")
        self.setModal(True)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #8a8f96; }")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(self._build_toolbar())
        self.note_label = QLabel(note)
        self.note_label.setObjectName("previewNote")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(
            "background: #fff4d6; border: 1px solid #e0b84c; border-radius: 3px; padding: 4px 6px;"
        )
        self.note_label.setVisible(bool(note))
        layout.addWidget(self.note_label)
        layout.addWidget(self.view, 1)

        for keys, slot in (
            (QKeySequence.StandardKey.Print, self.print_pdf),
            (QKeySequence.StandardKey.Save, self.save_as),
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)
        self.view.zoomFactorChanged.connect(lambda _z: self._update_zoom_label())
        self.view.zoomModeChanged.connect(lambda _m: self._update_zoom_label())
        self.loaded = self.load()
        self._size_to_screen()

    # -- building -----------------------------------------------------------------------
    def _button(
        self, text: str, slot: Callable[[], object], name: str, tip: str = ""
    ) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _tool(
        self,
        text: str,
        slot: Callable[[], object],
        name: str,
        tip: str = "",
        *,
        checkable: bool = False,
    ) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setObjectName(name)
        button.setCheckable(checkable)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setMinimumHeight(button.fontMetrics().height() + 12)
        button.setStyleSheet("QToolButton { padding: 2px 8px; }")
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(4)
        self.prev_button = self._tool("◀ 上一页", self.previous_page, "prevPage", "上一页（PgUp）")
        self.next_button = self._tool("下一页 ▶", self.next_page, "nextPage", "下一页（PgDn）")
        self.page_box = QSpinBox()
        self.page_box.setObjectName("pageBox")
        self.page_box.setPrefix("第 ")
        self.page_box.setSuffix(" 页")
        self.page_box.setMinimumWidth(90)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda v: self.go_to_page(v - 1))
        self.count_label = QLabel()
        self.count_label.setObjectName("pageCount")
        for w in (self.prev_button, self.page_box, self.count_label, self.next_button):
            bar.addWidget(w)
        bar.addSpacing(16)
        self.zoom_out_button = self._tool("－", self.zoom_out, "zoomOut", "缩小（Ctrl+-）")
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setMinimumWidth(
            self.zoom_label.fontMetrics().horizontalAdvance("400%") + 12
        )
        self.zoom_label.setToolTip("显示比例")
        self.zoom_in_button = self._tool("＋", self.zoom_in, "zoomIn", "放大（Ctrl++）")
        self.fit_width_button = self._tool(
            "适合宽度", self.fit_width, "fitWidth", "页宽撑满窗口", checkable=True
        )
        self.fit_page_button = self._tool(
            "整页", self.fit_page, "fitPage", "一页完整显示", checkable=True
        )
        for w in (
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            bar.addWidget(w)
        bar.addStretch(1)
        self.print_button = self._button(
            "打印…", self.print_pdf, "printButton", "选择打印机打印（Ctrl+P），纸张为A4"
        )
        self.print_button.setDefault(True)
        self.save_button = self._button(
            "另存为PDF…", self.save_as, "savePdf", "保存为PDF文件（Ctrl+S）"
        )
        self.close_button = self._button("关闭", self.reject, "closePreview")
        for button in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(button)
        return bar

    def _size_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        width, height = 980, 860
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.9))
            height = min(height, int(available.height() * 0.92))
        self.resize(width, height)

    # -- document -------------------------------------------------------------------
    def load(self) -> bool:
        error = self.document.load(str(self.path))
        ok = error == QPdfDocument.Error.None_ and self.document.pageCount() > 0
        count = self.document.pageCount() if ok else 0
        self.count_label.setText(f"共 {count} 页")
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, max(count, 1))
        self.page_box.setValue(1)
        self.page_box.blockSignals(False)
        for w in (self.print_button, self.save_button, self.page_box):
            w.setEnabled(ok)
        self._update_nav()
        self._update_zoom_label()
        if not ok:
            show_error(self, f"无法打开要预览的文件“{self.path.name}”", "无法预览")
        return ok

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """0-based."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        count = self.page_count()
        if count == 0:
            return
        page = max(0, min(page, count - 1))
        self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
        self._page_changed(page)

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self._update_nav()

    def _update_nav(self) -> None:
        page, count = self.current_page(), self.page_count()
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < count - 1)

    # -- zoom -----------------------------------------------------------------------
    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(factor, ZOOM_MAX)))
        self._update_zoom_label()

    def _effective_zoom(self) -> float:
        """The zoom now on screen, also when a fit mode chose it."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return self.view.zoomFactor()
        size = self.document.pagePointSize(max(self.current_page(), 0))
        # QPdfView draws a point as a 96-dpi pixel at zoom 1
        page_w, page_h = size.width() * 96 / 72, size.height() * 96 / 72
        viewport = self.view.viewport().size()
        margins = self.view.documentMargins()
        avail_w = viewport.width() - margins.left() - margins.right()
        avail_h = viewport.height() - margins.top() - margins.bottom()
        if page_w <= 0 or page_h <= 0 or avail_w <= 0:
            return 1.0
        if self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth:
            return avail_w / page_w
        return min(avail_w / page_w, avail_h / page_h)

    def zoom_in(self) -> None:
        self._set_zoom(self._effective_zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self._effective_zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_zoom_label()

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self._update_zoom_label()

    def _update_zoom_label(self) -> None:
        mode = self.view.zoomMode()
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.zoom_label.setText(f"{self._effective_zoom() * 100:.0f}%")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # a fit mode's zoom follows the window, once the view has its new size
        QTimer.singleShot(0, self, self._update_zoom_label)

    # -- printing -------------------------------------------------------------------
    def make_printer(self) -> QPrinter:
        """A printer set to A4 explicitly (never the driver's Letter), oriented like the PDF."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        landscape = False
        if self.page_count():
            size = self.document.pagePointSize(0)
            landscape = size.width() > size.height()
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )
        printer.setFullPage(True)  # 1:1 with the PDF; offsets for 套打 are in the PDF
        printer.setDocName(self.title)
        return printer

    def ask_printer(self, printer: QPrinter) -> bool:
        """The system print dialog (tests replace this)."""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"{APP_TITLE} — 打印：{self.title}")
        dialog.setMinMax(1, max(self.page_count(), 1))
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_pdf(self, printer: QPrinter | None = None) -> Job | None:
        """Ask for a printer (unless one is given), then print in the background."""
        if not self.loaded or (self.job is not None and self.job.running):
            return None
        if printer is None:
            printer = self.make_printer()
            if not self.ask_printer(printer):
                return None
            # the dialog may have offered Letter from the driver's defaults: A4 it is
            if printer.pageLayout().pageSize().id() != QPageSize.PageSizeId.A4:
                printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        first, last = 1, self.page_count()
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first, last = printer.fromPage(), max(printer.toPage(), printer.fromPage())
        elif printer.printRange() == QPrinter.PrintRange.CurrentPage:
            first = last = self.current_page() + 1
        path = self.path

        def work(control: JobControl) -> int:
            return print_pdf_file(path, printer, first, last, control)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                show_error(
                    self, "已取消打印。已送到打印机的页可能仍会打出，请在打印机上核对。", "已取消"
                )
            else:
                show_error(self, exc, "打印未完成")

        self._printer = printer  # kept alive while the worker paints into it
        self.job = run_job(
            self,
            f"正在把“{self.title}”送往打印机……",
            work,
            self._printed,
            on_error=failed,
            cancellable=True,
        )
        return self.job

    def _printed(self, pages: int) -> None:
        self.printed += 1
        self.setWindowTitle(f"{APP_TITLE} — 打印预览：{self.title}（已打印）")
        self._emit("print")

    # -- saving ---------------------------------------------------------------------
    def ask_save_path(self) -> Path | None:
        """The save-file dialog (tests replace this)."""
        start = str(Path(_folder()) / self.default_name)
        name, _ = QFileDialog.getSaveFileName(self, "另存为PDF", start, PDF_FILTER)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        QSettings().setValue("folders/pdf", str(path.parent))
        return path

    def save_as(self, target: Path | None = None) -> Path | None:
        if not self.loaded:
            return None
        if target is None:
            target = self.ask_save_path()
        if target is None:
            return None
        try:
            if target.resolve() != self.path.resolve():
                shutil.copyfile(self.path, target)
        except PermissionError:
            show_error(
                self,
                f"无法写入“{target.name}”：文件可能正在PDF阅读器中打开，请关闭后重试",
                "未保存",
            )
            return None
        except OSError as exc:
            show_error(self, f"无法保存到“{target}”：{exc.strerror or exc}", "未保存")
            return None
        self.saved_to = target
        self._emit("save")
        return target

    def _emit(self, kind: str) -> None:
        self.output_done.emit(kind)
        if self.on_output is not None:
            try:
                self.on_output(kind)
            except UnionsDeskError as exc:
                show_error(self, exc)

    # -- closing --------------------------------------------------------------------
    def done(self, result: int) -> None:
        if self.job is not None and self.job.running:
            return  # the print job still paints from this file
        super().done(result)
        self._release()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.job is not None and self.job.running:
            event.ignore()
            return
        super().closeEvent(event)

    def _release(self) -> None:
        self.document.close()
        if self.delete_on_close:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
