"""收据: the receipts of a year's campaigns — 作废, 补打 and 号码核对.

A receipt number is never reused: a voided one keeps its number and shows
作废 (red); a reprint keeps its number and is counted (from the second print
on it is a 补打). 号码核对 explains every number of the year's series.

Also here, for the 帮扶慰问 tab: ``print_receipts`` (make the PDF on a worker
thread → preview → ``record_print`` once the clerk printed or saved it) and
``ReasonDialog`` (one required reason, e.g. for 作废 or 删除).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError
from unionsdesk.fields import EntitySpec, FieldSpec
from unionsdesk.services.aid import campaigns as campaigns_svc
from unionsdesk.services.aid import receipts as receipts_svc
from unionsdesk.services.aid.campaigns import CampaignRow
from unionsdesk.services.aid.receipts import GapLine, ReceiptInfo, ReceiptSearch
from unionsdesk.services.common.base import PII, WRITE

from ...context import AppContext
from ...messages import show_error
from ...widgets.basics import ERROR_COLOR
from ...widgets.form_dialog import FormDialog
from ...widgets.panes import debounce, tab_layout
from ...widgets.pdf_preview import PdfPreviewDialog, temp_pdf_path
from ...widgets.search_keys import enter_searches
from ...widgets.table import cell, make_table, yuan
from ...workers import Job, JobControl, run_job

COLUMNS = ("号码", "领款人", "金额（元）", "日期", "状态", "打印次数", "活动", "事由", "作废原因")
AMOUNT_COLUMN, STATUS_COLUMN, PRINTS_COLUMN = 2, 4, 5
VOID_COLOR = QColor(ERROR_COLOR)
ALL_CAMPAIGNS = None


def status_text(info: ReceiptInfo) -> str:
    return "作废" if info.void else "已开具"


# -- shared with the 帮扶慰问 tab ---------------------------------------------------------


class ReasonDialog(FormDialog):
    """One required reason; ``perform(reason)`` runs the service call."""

    def __init__(
        self,
        title: str,
        intro: str,
        perform: Callable[[str], Any],
        *,
        label: str = "原因",
        ok_text: str = "确定",
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        spec = EntitySpec(
            "reason",
            title,
            (FieldSpec("reason", label, required=True, max_length=200, placeholder=placeholder),),
        )
        super().__init__(title, spec, intro=intro, ok_text=ok_text, parent=parent)
        self._perform = perform

    def perform(self, values: dict[str, Any]) -> Any:
        return self._perform(str(values.get("reason") or "").strip())


def print_receipts(
    parent: QWidget,
    ctx: AppContext,
    receipt_ids: Sequence[int],
    title: str,
    *,
    after_record: Callable[[], None] | None = None,
    note: str = "",
    on_preview: Callable[[PdfPreviewDialog], None] | None = None,
) -> Job:
    """Make the receipts' PDF in the background, then preview it; the first print or
    save from the preview is recorded with ``record_print`` (a later print of the
    same number is a 补打)."""
    from unionsdesk.services.aid import print_jobs

    ids = list(receipt_ids)
    path = temp_pdf_path(title)
    db, user = ctx.db, ctx.user

    def work(control: JobControl) -> Any:
        return print_jobs.receipts_pdf(
            db, user, ids, path, record=False,
            progress=lambda done, total: control.progress(done, total, f"正在生成收据：{done} / {total} 张"),
            cancelled=lambda: control.cancelled,
        )  # fmt: skip

    def show(_infos: Any) -> None:
        recorded = False

        def output(kind: str) -> None:
            nonlocal recorded
            if recorded:
                return
            receipts_svc.record_print(db, user, ids)
            recorded = True
            what = "已打印" if kind == "print" else "已另存为PDF"
            ctx.notify(f"{title}：{what}，已记入打印次数")
            ctx.changed.emit("receipts")
            if after_record is not None:
                after_record()

        dialog = PdfPreviewDialog(
            path,
            title,
            parent=parent,
            on_output=output,
            default_name=f"{title}.pdf",
            delete_on_close=True,
            note=note
            or "核对无误后按“打印…”。打印或另存为PDF后记入打印次数；再次打印同一号码即为补打。",
        )
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        if on_preview is not None:
            on_preview(dialog)
        dialog.open()

    return run_job(parent, f"正在生成“{title}”……", work, show, cancellable=True)


# -- dialogs ------------------------------------------------------------------------


class GapDialog(QDialog):
    """号码核对: every number of the series' year — 已开具, 已作废 or 未使用."""

    def __init__(
        self, ctx: AppContext, series: Sequence[str], year: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(f"{APP_TITLE} — 收据号码核对")
        self.setMinimumSize(560, 520)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("收据类别"))
        self.series_box = QComboBox()
        self.series_box.setObjectName("seriesBox")
        for s in series:
            self.series_box.addItem(s)
        top.addWidget(self.series_box)
        top.addWidget(QLabel("年度"))
        self.year_box = QComboBox()
        self.year_box.setObjectName("gapYear")
        this_year = date.today().year
        for y in range(this_year, this_year - 6, -1):
            self.year_box.addItem(f"{y}年", y)
        self.year_box.setCurrentIndex(max(self.year_box.findData(year), 0))
        top.addWidget(self.year_box)
        top.addStretch(1)
        layout.addLayout(top)
        self.summary = QLabel()
        self.summary.setObjectName("gapSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = make_table(("号码", "状态", "领款人/交款单位"))
        self.table.setObjectName("gapTable")
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.series_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.year_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.lines: list[GapLine] = []
        self.reload()

    def reload(self) -> None:
        series = self.series_box.currentText()
        year = self.year_box.currentData()
        try:
            self.lines = receipts_svc.gap_report(self.ctx.db, self.ctx.user, series, int(year))
        except UnionsDeskError as exc:
            show_error(self, exc, "无法核对")
            self.lines = []
        table = self.table
        table.setRowCount(len(self.lines))
        for r, line in enumerate(self.lines):
            for c, value in enumerate((line.number, line.status, line.payee or "")):
                item = QTableWidgetItem(value)
                if line.status != "已开具":
                    item.setForeground(QBrush(VOID_COLOR))
                table.setItem(r, c, item)
        for c in range(table.columnCount() - 1):
            table.resizeColumnToContents(c)
            table.setColumnWidth(c, table.columnWidth(c) + 16)
        counts = {
            s: sum(1 for x in self.lines if x.status == s) for s in ("已开具", "已作废", "未使用")
        }
        if not self.lines:
            text = f"{year}年“{series}”还没有开具过收据。"
        else:
            text = (
                f"{year}年“{series}”：{self.lines[0].number} 至 {self.lines[-1].number}，共 {len(self.lines)} 个号码 —— "
                f"已开具 {counts['已开具']}，已作废 {counts['已作废']}，未使用 {counts['未使用']}。"
            )
            if counts["未使用"]:
                text += "未使用的号码须查明原因！"
                self.summary.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;")
            else:
                text += "号码连续，没有缺号。"
                self.summary.setStyleSheet("color: #2e7d32;")
        self.summary.setText(text)


# -- the tab --------------------------------------------------------------------------

NO_DATE = QDate(2000, 1, 1)  # the date boxes' minimum reads 不限


def _date_box(name: str) -> QDateEdit:
    box = QDateEdit()
    box.setObjectName(name)
    box.setCalendarPopup(True)
    box.setDisplayFormat("yyyy-MM-dd")
    box.setMinimumDate(NO_DATE)
    box.setSpecialValueText("不限")
    box.setDate(NO_DATE)
    return box


def _day(box: QDateEdit) -> date | None:
    d = box.date()
    return None if d == NO_DATE else date(d.year(), d.month(), d.day())


class ReceiptsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("receiptsTab")
        self.can_write = ctx.user.can(WRITE)
        self.infos: list[ReceiptInfo] = []
        self.campaigns: list[CampaignRow] = []
        self.job: Job | None = None
        self.preview: PdfPreviewDialog | None = None

        layout = tab_layout(self)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(QLabel("年度"))
        self.year_box = QComboBox()
        self.year_box.setObjectName("yearFilter")
        top.addWidget(self.year_box)
        top.addWidget(QLabel("帮扶活动"))
        self.campaign_box = QComboBox()
        self.campaign_box.setObjectName("campaignFilter")
        self.campaign_box.setMinimumContentsLength(18)
        self.campaign_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        top.addWidget(self.campaign_box, 1)
        top.addWidget(QLabel("状态"))
        self.status_box = QComboBox()
        self.status_box.setObjectName("statusFilter")
        for text, data in (("全部", None), ("已开具", "issued"), ("作废", "void")):
            self.status_box.addItem(text, data)
        top.addWidget(self.status_box)
        top.addStretch(1)
        layout.addLayout(top)
        find = QHBoxLayout()
        find.setSpacing(8)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("receiptSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            "查找：领款人姓名、收据号（如 2026-000041 或 41）、身份证号"
        )
        find.addWidget(self.search_edit, 1)
        find.addWidget(QLabel("开具日期"))
        self.since_box = _date_box("receiptSince")
        self.until_box = _date_box("receiptUntil")
        find.addWidget(self.since_box)
        find.addWidget(QLabel("至"))
        find.addWidget(self.until_box)
        layout.addLayout(find)

        bar = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("receiptCount")
        bold = QFont(self.count_label.font())
        bold.setBold(True)
        self.count_label.setFont(bold)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        self.void_button = self._button(
            "作废…", self.void_selected, "voidButton", "作废所选收据（号码保留，印“作废”）"
        )
        self.reprint_button = self._button(
            "补打…", self.reprint_selected, "reprintButton", "预览后重新打印所选收据，号码不变"
        )
        self.gap_button = self._button(
            "号码核对…", self.show_gaps, "gapButton", "逐号核对：已开具、已作废、未使用"
        )
        for b in (self.void_button, self.reprint_button, self.gap_button):
            bar.addWidget(b)
        layout.addLayout(bar)

        self.table = make_table(COLUMNS)
        self.table.setObjectName("receiptTable")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Interactive)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        hint = QLabel("作废的收据号码保留、不再使用；补打沿用原号码。按住 Ctrl 或 Shift 可选多张。")
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)

        self._fill_years()
        self.year_box.currentIndexChanged.connect(lambda _i: self._year_changed())
        self.campaign_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.status_box.currentIndexChanged.connect(lambda _i: self.reload())
        self._search_timer = debounce(self, 250, self.reload)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        enter_searches(self.search_edit, self.reload)
        for box in (self.since_box, self.until_box):
            box.dateChanged.connect(lambda _d: self.reload())
        self._year_changed()

    def _button(self, text: str, slot: Any, name: str, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- loading ----------------------------------------------------------------------
    def _fill_years(self) -> None:
        try:
            years = {c.year for c in campaigns_svc.list_campaigns(self.ctx.db, self.ctx.user)}
        except UnionsDeskError as exc:
            show_error(self, exc)
            years = set()
        years.add(date.today().year)
        keep = self.year_box.currentData()
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for y in sorted(years, reverse=True):
            self.year_box.addItem(f"{y}年", y)
        index = self.year_box.findData(keep)
        self.year_box.setCurrentIndex(index if index >= 0 else 0)
        self.year_box.blockSignals(False)

    def _year_changed(self) -> None:
        year = self.year_box.currentData()
        try:
            self.campaigns = campaigns_svc.list_campaigns(self.ctx.db, self.ctx.user, year)
        except UnionsDeskError as exc:
            show_error(self, exc)
            self.campaigns = []
        keep = self.campaign_box.currentData()
        self.campaign_box.blockSignals(True)
        self.campaign_box.clear()
        self.campaign_box.addItem("全部活动", ALL_CAMPAIGNS)
        for c in self.campaigns:
            self.campaign_box.addItem(c.name, c.id)
        index = self.campaign_box.findData(keep)
        self.campaign_box.setCurrentIndex(index if index >= 0 else 0)
        self.campaign_box.blockSignals(False)
        self.reload()

    def show_campaign(self, campaign_id: int | None) -> bool:
        index = self.campaign_box.findData(campaign_id)
        if index < 0:
            return False
        self.campaign_box.setCurrentIndex(index)
        return True

    def refresh(self) -> None:
        self._fill_years()
        self._year_changed()

    def reload(self) -> None:
        self._search_timer.stop()
        chosen = self.campaign_box.currentData()
        search = ReceiptSearch(
            campaign_ids=[c.id for c in self.campaigns if chosen in (None, c.id)],
            text=self.search_edit.text(),
            since=_day(self.since_box),
            until=_day(self.until_box),
            status=self.status_box.currentData(),
        )
        try:
            ids = receipts_svc.find_receipts(self.ctx.db, self.ctx.user, search)
            infos = receipts_svc.receipt_infos(
                self.ctx.db, self.ctx.user, ids, show_id=self.ctx.user.can(PII)
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取收据")
            infos = []
        self.infos = infos
        self._fill(infos)
        voided = sum(1 for i in infos if i.void)
        issued = [i for i in infos if not i.void]
        text = f"共 {len(infos)} 张"
        if infos:
            text += f"，有效 {len(issued)} 张 合计 ¥{yuan(sum(i.amount for i in issued))}"
            if voided:
                text += f"，作废 {voided} 张"
        self.count_label.setText(text)
        self._update_buttons()

    def _fill(self, infos: Sequence[ReceiptInfo]) -> None:
        table = self.table
        selected = set(self.selected_ids())
        table.setUpdatesEnabled(False)
        try:
            table.clearContents()
            table.setRowCount(len(infos))
            bold = QFont(table.font())
            bold.setBold(True)
            for r, info in enumerate(infos):
                values = (
                    info.number,
                    info.payee,
                    yuan(info.amount),
                    info.issued_on.isoformat(),
                    status_text(info),
                    str(info.print_count) if info.print_count else "未打印",
                    info.campaign_name,
                    info.purpose,
                    info.void_reason or "",
                )
                for c, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    if c == 0:
                        item.setData(Qt.ItemDataRole.UserRole, info.id)
                    if c in (AMOUNT_COLUMN, PRINTS_COLUMN):
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if info.void:
                        item.setForeground(QBrush(VOID_COLOR))
                        if c == STATUS_COLUMN:
                            item.setFont(bold)
                    if c == PRINTS_COLUMN and info.print_count > 1:
                        item.setToolTip(f"已补打 {info.print_count - 1} 次")
                    table.setItem(r, c, item)
            for c in range(table.columnCount() - 1):
                table.resizeColumnToContents(c)
                table.setColumnWidth(c, min(table.columnWidth(c) + 14, 280))
            if selected:
                self.select_ids(list(selected))
        finally:
            table.setUpdatesEnabled(True)

    # -- selection --------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        out = []
        for r in rows:
            item = self.table.item(r, 0)
            if item is not None and isinstance(item.data(Qt.ItemDataRole.UserRole), int):
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def selected_infos(self) -> list[ReceiptInfo]:
        ids = set(self.selected_ids())
        return [i for i in self.infos if i.id in ids]

    def select_ids(self, ids: Sequence[int]) -> None:
        wanted = set(ids)
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r in range(self.table.rowCount()):
            if cell(self.table, r, 0).data(Qt.ItemDataRole.UserRole) in wanted:
                self.table.selectRow(r)
        self.table.setSelectionMode(mode)

    def _update_buttons(self) -> None:
        chosen = self.selected_infos()
        live = [i for i in chosen if not i.void]
        self.void_button.setEnabled(self.can_write and len(chosen) == 1 and bool(live))
        self.reprint_button.setEnabled(self.can_write and bool(live))

    # -- 作废 -----------------------------------------------------------------------------
    def void_dialog(self) -> ReasonDialog | None:
        chosen = self.selected_infos()
        if len(chosen) != 1 or chosen[0].void:
            self.ctx.notify("请先选中一张未作废的收据")
            return None
        info = chosen[0]
        return ReasonDialog(
            "作废收据",
            f"作废收据 No.{info.number}（{info.payee}，¥{yuan(info.amount)}）。"
            "号码保留、不再使用；纸质收据三联请一并收回、注明作废后留存。",
            lambda reason: receipts_svc.void_receipt(self.ctx.db, self.ctx.user, info.id, reason),
            label="作废原因",
            ok_text="作废",
            placeholder="如 领款人姓名写错",
            parent=self,
        )

    def void_selected(self) -> None:
        dialog = self.void_dialog()
        if dialog is None or not dialog.exec():
            return
        self.after_void(dialog.result_value)

    def after_void(self, info: ReceiptInfo) -> None:
        self.ctx.notify(f"收据 No.{info.number} 已作废")
        self.ctx.changed.emit("receipts")
        self.reload()

    # -- 补打 -----------------------------------------------------------------------------
    def reprint_selected(self) -> Job | None:
        chosen = [i for i in self.selected_infos() if not i.void]
        if not chosen:
            self.ctx.notify("请先选中要补打的收据（作废的收据不能补打）")
            return None
        skipped = len(self.selected_infos()) - len(chosen)
        numbers = chosen[0].number if len(chosen) == 1 else f"{chosen[0].number} 等{len(chosen)}张"
        note = "补打沿用原号码。打印或另存为PDF后记入打印次数。"
        if skipped:
            note += f"所选的 {skipped} 张作废收据不补打。"

        def keep(dialog: PdfPreviewDialog) -> None:
            self.preview = dialog

        self.job = print_receipts(
            self, self.ctx, [i.id for i in chosen], f"补打收据 No.{numbers}",
            after_record=self.reload, note=note, on_preview=keep,
        )  # fmt: skip
        return self.job

    # -- 号码核对 ---------------------------------------------------------------------------
    def gap_dialog(self) -> GapDialog:
        aid = sorted({i.series for i in self.infos} | {receipts_svc.DEFAULT_SERIES})
        series = aid + [s for s in receipts_svc.OTHER_SERIES if s not in aid]
        return GapDialog(self.ctx, series, int(self.year_box.currentData()), self)

    def show_gaps(self) -> None:
        self.gap_dialog().exec()
