"""报表: pick a statistics table, its period and scope; the table on screen with its
cross-checks; double-click a figure → the rows behind it; 打印预览, 导出Excel and the
year-end pack. A second page shows the charts of the year (`charts.ChartsPanel`).

Counting runs on a worker (a few hundred ms on 200 000 members), so the tab never
freezes; the figures shown are exactly those printed and exported (one `StatReport`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from unionsdesk.reports.stats.engine import StatReport
from unionsdesk.reports.stats.scope import WHOLE_COUNTY
from unionsdesk.reports.stats.tables import TABLES
from unionsdesk.services.common.base import PII, reading
from unionsdesk.table import Table

from ...context import AppContext
from ...messages import show_error, show_info
from ...widgets.file_dialogs import ask_save_xlsx, safe_file_name
from ...widgets.panes import tab_layout, tab_shortcut
from ...widgets.pdf_preview import PdfPreviewDialog, temp_pdf_path
from ...widgets.table import make_table
from ...workers import Job, JobControl, run_job, start
from .table_view import DrillDialog, show_report_table

OK_STYLE = "color: #1e7b34; font-weight: bold;"
FAILED_STYLE = "color: #b03a2e; font-weight: bold;"


def period_choices(today: date) -> list[tuple[str, str]]:
    """(shown, code): this year, its quarters so far, the months so far, last year."""
    y = today.year
    out = [(f"{y}年（年度）", str(y))]
    quarter = (today.month - 1) // 3 + 1
    out += [(f"{y}年第{'一二三四'[q - 1]}季度", f"{y}Q{q}") for q in range(quarter, 0, -1)]
    if today.month > 1:
        out.append((f"{y}年1月至{today.month}月", f"{y}-01..{y}-{today.month:02d}"))
    out += [(f"{y - 1}年（年度）", str(y - 1))]
    out += [(f"{y - 1}年第{'一二三四'[q - 1]}季度", f"{y - 1}Q{q}") for q in (4, 3, 2, 1)]
    return out


class StatsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("statsTab")
        self.report: StatReport | None = None
        self.job: Job | None = None
        self._again = False
        outer = tab_layout(self)
        self.pages = QTabWidget()
        self.pages.setObjectName("statsPages")
        outer.addWidget(self.pages)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 8, 4, 4)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("报表："))
        self.table_box = QComboBox()
        self.table_box.setObjectName("statTable")
        for key, d in TABLES.items():
            self.table_box.addItem(d.title, key)
        bar.addWidget(self.table_box)
        bar.addWidget(QLabel("期间："))
        self.period_box = QComboBox()
        self.period_box.setObjectName("statPeriod")
        self.period_box.setEditable(True)
        self.period_box.setToolTip("可直接输入：2026、2026Q3、2026-01..2026-06")
        for shown, code in period_choices(date.today()):
            self.period_box.addItem(shown, code)
        self.period_box.setMinimumWidth(170)
        bar.addWidget(self.period_box)
        bar.addWidget(QLabel("范围："))
        self.scope_box = QComboBox()
        self.scope_box.setObjectName("statScope")
        self.scope_box.setEditable(True)
        self.scope_box.setMinimumWidth(220)
        self.scope_box.setToolTip("全县，或乡镇（产业）工会、基层工会的名称")
        bar.addWidget(self.scope_box, 1)
        self.run_button = QPushButton("统计")
        self.run_button.setObjectName("statRun")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(lambda _c=False: self.run())
        bar.addWidget(self.run_button)
        self.print_button = QPushButton("打印预览…")
        self.print_button.setToolTip("Ctrl+P")
        self.print_button.setObjectName("statPrint")
        self.print_button.clicked.connect(lambda _c=False: self.preview())
        bar.addWidget(self.print_button)
        self.export_button = QPushButton("导出Excel…")
        self.export_button.setObjectName("statExport")
        self.export_button.clicked.connect(lambda _c=False: self.export())
        bar.addWidget(self.export_button)
        self.pack_button = QPushButton("年度报表包…")
        self.pack_button.setObjectName("statYearPack")
        self.pack_button.setToolTip(
            "本年全部统计表：一个Excel（每表一页）和一个带目录、统计图的PDF"
        )
        self.pack_button.clicked.connect(lambda _c=False: self.year_pack())
        bar.addWidget(self.pack_button)
        layout.addLayout(bar)

        self.check_label = QLabel("选择报表、期间和范围后点“统计”。双击表中的数字可查看其明细。")
        self.check_label.setObjectName("statChecks")
        self.check_label.setWordWrap(True)
        layout.addWidget(self.check_label)
        self.reasons = QListWidget()
        self.reasons.setObjectName("statReasons")
        self.reasons.setMaximumHeight(90)
        self.reasons.hide()
        layout.addWidget(self.reasons)
        self.parts = QTabWidget()
        self.parts.setObjectName("statParts")
        layout.addWidget(self.parts, 1)
        self.notes = QLabel()
        self.notes.setObjectName("statNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #555;")
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.notes)
        self.pages.addTab(page, "统计表")

        from .charts import ChartsPanel

        self.charts = ChartsPanel(ctx, columns=4)
        self.pages.addTab(self.charts, "统计图")
        self.pages.currentChanged.connect(self._page_shown)
        self.parts.currentChanged.connect(lambda _i: self._show_notes())
        self._set_busy(False)
        self._load_scopes()
        tab_shortcut(self, "Ctrl+P", self.preview)
        self.run()  # the first table of the year at once, counted on a worker

    def refresh(self) -> None:
        """After a change elsewhere: count the shown table again; charts on next view."""
        self.charts.loaded = False
        if self.pages.currentWidget() is self.charts:
            self.charts.load_once()
        if self.report is not None:
            self.run()

    # -- choices ------------------------------------------------------------------
    def _load_scopes(self) -> None:
        from unionsdesk.services.members.unions import list_unions

        try:
            unions = list_unions(self.ctx.db, self.ctx.user, with_counts=False)
        except Exception as exc:
            show_error(self, exc, "无法读取工会名单")
            unions = []
        roots = {u.id for u in unions if u.parent_id is None}
        townships = [u.name for u in unions if u.parent_id in roots]
        self.scope_box.clear()
        self.scope_box.addItem(WHOLE_COUNTY)
        self.scope_box.addItems(townships)
        completer = QCompleter([u.name for u in unions], self.scope_box)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.scope_box.setCompleter(completer)

    def _page_shown(self, index: int) -> None:
        if self.pages.widget(index) is self.charts:
            self.charts.load_once()

    def period_code(self) -> str:
        text = self.period_box.currentText().strip()
        i = self.period_box.findText(text)
        data = self.period_box.itemData(i) if i >= 0 else None
        return str(data) if data else text

    def scope_text(self) -> str | None:
        text = self.scope_box.currentText().strip()
        return None if text in ("", WHOLE_COUNTY) else text

    def _set_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        ready = not busy and self.report is not None
        for b in (self.print_button, self.export_button):
            b.setEnabled(ready)

    # -- counting -----------------------------------------------------------------
    def run(self) -> Job | None:
        from unionsdesk.reports.stats.tables import build_report

        if self.job is not None and self.job.running:
            self._again = True  # counted again, with the choices then shown, when it reports
            return self.job
        self._again = False
        db, user = self.ctx.db, self.ctx.user
        key = str(self.table_box.currentData())
        period, scope = self.period_code(), self.scope_text()
        self._set_busy(True)
        self.check_label.setText("正在统计……")

        def work(_control: JobControl) -> StatReport:
            return build_report(db, user, key, period, scope)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.check_label.setText("未能统计。")
            if self._again:
                self.run()
                return
            show_error(self, exc, "无法统计")

        def done(report: StatReport) -> None:
            if self._again:
                self.run()
                return
            self.show_report(report)

        self.job = start(Job(work, done, failed, self))
        return self.job

    def show_report(self, report: StatReport) -> None:
        self.report = report
        self._set_busy(False)
        self.parts.clear()
        for k, table in enumerate(report.tables):
            view = make_table([c.label for c in table.columns], stretch_last=False)
            view.setObjectName(f"statPart{k}")
            view.setWordWrap(True)
            show_report_table(view, table)
            view.horizontalHeader().setMinimumSectionSize(48)
            view.cellDoubleClicked.connect(lambda r, c, k=k: self.drill(k, r, c))
            title = table.title.removeprefix(report.period.label)
            self.parts.addTab(view, title)
        if report.passed:
            self.check_label.setText(f"{report.title}：校验通过。双击数字可查看明细。")
            self.check_label.setStyleSheet(OK_STYLE)
            self.reasons.hide()
        else:
            self.check_label.setText(
                f"{report.title}：未通过校验（{len(report.failed_checks)}项），仍可打印，表上将标明“未通过校验”。"
            )
            self.check_label.setStyleSheet(FAILED_STYLE)
            self.reasons.clear()
            self.reasons.addItems(report.failed_checks)
            self.reasons.show()
        self._show_notes()

    def _show_notes(self) -> None:
        if self.report is None or not self.report.parts:
            self.notes.clear()
            return
        k = max(self.parts.currentIndex(), 0)
        notes = [n for n in self.report.tables[k].notes if not n.startswith("  ")]
        self.notes.setText("\n".join(n for n in notes if "未通过校验" not in n))

    def current_view(self) -> QTableWidget | None:
        w = self.parts.currentWidget()
        return w if isinstance(w, QTableWidget) else None

    # -- drill-down ---------------------------------------------------------------
    def drill(self, part: int, row: int, column: int) -> Job | None:
        report = self.report
        if report is None or column == 0:
            return None
        table = report.tables[part]
        values = [*table.rows, table.totals or []]
        if row >= len(values):
            return None
        value = values[row][column]
        if not value:
            self.ctx.notify("该数为 0，没有明细")
            return None
        key = table.columns[column].key
        db, user = self.ctx.db, self.ctx.user

        def work(_control: JobControl) -> Table:
            with reading(db, user) as s:
                return report.drill(s, part, row, key, mask_ids=not user.can(PII))

        def done(detail: Table) -> None:
            self.drill_dialog = DrillDialog(detail, self)
            self.drill_dialog.show()

        self.job = run_job(self, "正在查找明细……", work, done)
        return self.job

    # -- output -------------------------------------------------------------------
    def preview(self) -> Job | None:
        report = self.report
        if report is None:
            return None
        from unionsdesk.reports.stats.output import write_report

        path = temp_pdf_path(safe_file_name(report.title))

        def work(_control: JobControl) -> Path:
            return write_report(report, path)

        def done(written: Path) -> None:
            note = "" if report.passed else "本表未通过校验，打印件上已标明原因。"
            self.preview_dialog = PdfPreviewDialog(
                written, report.title, parent=self, delete_on_close=True, note=note,
                default_name=f"{safe_file_name(report.title)}.pdf",
            )  # fmt: skip
            self.preview_dialog.show()

        self.job = run_job(self, "正在生成 PDF……", work, done)
        return self.job

    def export(self, path: Path | None = None) -> Job | None:
        report = self.report
        if report is None:
            return None
        if path is None:
            path = ask_save_xlsx(
                self, "导出统计表", f"{safe_file_name(report.title)}.xlsx", "reports"
            )
        if path is None:
            return None
        from unionsdesk.reports.stats.output import write_report

        target = path

        def work(_control: JobControl) -> Path:
            return write_report(report, target)

        def done(written: Path) -> None:
            self.ctx.notify(f"统计表已导出到 {written}")
            show_info(self, f"统计表已导出：\n{written}", "导出完成")

        self.job = run_job(self, "正在导出统计表……", work, done)
        return self.job

    def year_pack(self, folder: Path | None = None) -> Job | None:
        from unionsdesk.reports.stats.output import year_pack

        year = date.today().year
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, f"{year}年度报表包保存到")
            if not chosen:
                return None
            folder = Path(chosen)
        db, user, target = self.ctx.db, self.ctx.user, folder

        def work(control: JobControl) -> Any:
            return year_pack(db, user, year, target, progress=control.progress)

        def done(pack: Any) -> None:
            extra = f"\n其中{len(pack.failed)}张表未通过校验，表上已标明。" if pack.failed else ""
            show_info(self, f"已生成：\n{pack.workbook}\n{pack.pdf}{extra}", "年度报表包")

        self.job = run_job(self, "正在生成年度报表包……", work, done)
        return self.job
