"""帮扶慰问: campaigns (发放批次) and their pay-out lines.

Left, the campaigns of a year; right, the chosen campaign: its status
(草拟 → 审核 → 已发放 → 归档) with the buttons that move it on, a live total
against the budget, and two pages — 发放名单 (the lines, 添加…, 从困难档案选取…,
导入发放明细…, 删除…, 汇总表…, 打印签收表…, 开具并打印收据…) and 活动信息 (the ``CAMPAIGN``
form and the per-category standards 类别 → 金额).

PDFs are made on a worker thread and shown in the print preview; receipts are
counted as printed only after the clerk printed or saved them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.domain.money import to_fen
from unionsdesk.errors import ConflictError, UnionsDeskError, ValidationError
from unionsdesk.fields import CAMPAIGN, PAYOUT, EntitySpec, FieldSpec
from unionsdesk.services.aid import campaigns as campaigns_svc
from unionsdesk.services.aid import hardship as hardship_svc
from unionsdesk.services.aid import print_jobs
from unionsdesk.services.aid import receipts as receipts_svc
from unionsdesk.services.aid.campaigns import CampaignRow, PayoutResult, PayoutRow
from unionsdesk.services.aid.hardship import FileFilter, FileRow
from unionsdesk.services.common import codes as codes_svc
from unionsdesk.services.common.base import PII, REVIEW, WRITE
from unionsdesk.services.members import unions as unions_svc
from unionsdesk.services.members.unions import UnionRow

from ...context import AppContext
from ...messages import confirm, show_error, show_info
from ...widgets.basics import ERROR_COLOR, error_label
from ...widgets.excel_import import ExcelImport, ImportPreviewDialog
from ...widgets.file_dialogs import ask_open_excel, ask_save_xlsx, safe_file_name
from ...widgets.form import FormWidget
from ...widgets.form_dialog import FormDialog
from ...widgets.panes import debounce, list_and_panel, tab_layout, tab_shortcut
from ...widgets.pdf_preview import PdfPreviewDialog, temp_pdf_path
from ...widgets.search_keys import enter_searches, search_dialog
from ...widgets.table import cell, make_table, yuan
from ...widgets.table_export import export_table
from ...widgets.union_picker import UnionPicker, decorate, make_searchable, union_tree_order
from ...workers import Job, JobControl, run_job
from .receipts import ReasonDialog, print_receipts

LIST_COLUMNS = ("活动名称", "年度", "状态", "人数", "金额（元）")
LINE_COLUMNS = ("姓名", "身份证号", "工会", "类别", "金额（元）", "形式", "事由", "收据号")
LINE_AMOUNT, LINE_UNION = 4, 2
STATUS_COLORS = {"草拟": "#6d6d6d", "审核": "#b26a00", "已发放": "#2e7d32", "归档": "#2e5d8a"}
WARN = QColor(ERROR_COLOR)
ALL_YEARS = None
MAX_NOTES_SHOWN = 25
IMPORT_NOTE = (
    "导入前先检查全部行：只要有一行有错，就一行也不写入——可以保存错误清单，"
    "改好后再导入，或选择“只导入正确的行”。\n"
    "已在本次发放名单中的人不能重复加入；金额与类别标准不同的行须填写超标准原因。"
    "工会和困难档案按身份证号自动对应。"
)


def short_name(c: CampaignRow) -> str:
    """The name in the list beside its 年度 column: without a leading "2026年" (names
    that all start with the year would otherwise read "2026…" in a narrow column)."""
    prefix = f"{c.year}年"
    rest = c.name.removeprefix(prefix)
    return rest if rest and rest != c.name else c.name


def totals_text(c: CampaignRow) -> tuple[str, bool]:
    """合计 N 人 ¥… / 预算 ¥… / 剩余 ¥…, and whether the budget is exceeded."""
    text = f"合计 {c.lines} 人 ¥{yuan(c.total)}"
    if c.budget <= 0:
        return text + " / 预算 未填", False
    over = c.remaining < 0
    text += f" / 预算 ¥{yuan(c.budget)} / "
    text += f"超出预算 ¥{yuan(-c.remaining)}" if over else f"剩余 ¥{yuan(c.remaining)}"
    return text, over


def _ask_save_pdf(parent: QWidget, title: str, default_name: str) -> Path | None:
    from PySide6.QtCore import QSettings, QStandardPaths

    saved = QSettings().value("folders/pdf")
    folder = (
        saved
        if isinstance(saved, str) and Path(saved).is_dir()
        else QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    )
    name, _ = QFileDialog.getSaveFileName(
        parent, title, str(Path(folder) / default_name), "PDF 文件 (*.pdf)"
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    QSettings().setValue("folders/pdf", str(path.parent))
    return path


def _print_job_kwargs(control: JobControl, what: str) -> dict[str, Any]:
    return {
        "progress": lambda done, total: control.progress(done, total, f"{what}：{done} / {total}"),
        "cancelled": lambda: control.cancelled,
    }


# -- the standards table -------------------------------------------------------------


class StandardsEditor(QWidget):
    """发放标准: 类别 → 金额（元）. A line's 类别 matching one here gets that amount."""

    def __init__(self, categories: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.categories = list(categories)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        title = QLabel("发放标准（按类别）")
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        layout.addWidget(title)
        hint = QLabel("从困难档案选取时按档案的困难类别取金额；金额留空的类别不设标准。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("standardsTable")
        self.table.setHorizontalHeaderLabels(["类别", "金额（元）"])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 120)
        self.table.setMinimumHeight(150)
        self.table.setMaximumHeight(200)
        layout.addWidget(self.table)
        self.error_label = error_label("standardsError")
        layout.addWidget(self.error_label)
        row = QHBoxLayout()
        self.add_button = QPushButton("添加类别")
        self.add_button.setObjectName("addStandard")
        self.add_button.clicked.connect(lambda _c=False: self.add_row())
        self.remove_button = QPushButton("删除所选")
        self.remove_button.setObjectName("removeStandard")
        self.remove_button.clicked.connect(lambda _c=False: self.remove_selected())
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)

    def add_row(self, category: str = "", amount: str = "") -> int:
        r = self.table.rowCount()
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(category))
        item = QTableWidgetItem(amount)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(r, 1, item)
        return r

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.table.removeRow(r)

    def set_standards(self, standards: Mapping[str, int] | None) -> None:
        """Show a campaign's standards (fen); ``None``: the hardship categories, blank."""
        self.table.setRowCount(0)
        if standards is None:
            for category in self.categories:
                self.add_row(category)
        else:
            for category, fen in standards.items():
                self.add_row(category, yuan(fen).replace(",", ""))
        self.error_label.hide()

    def raw(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in (0, 1)]
            category, amount = ((i.text().strip() if i is not None else "") for i in cells)
            out.append((category, amount))
        return out

    def standards(self) -> dict[str, str]:
        """{类别: 金额 as typed}; raises ValidationError for a bad row."""
        out: dict[str, str] = {}
        for n, (category, amount) in enumerate(self.raw(), 1):
            if not amount:
                continue
            if not category:
                raise ValidationError({"standards": f"第{n}行有金额但没有类别"})
            try:
                fen = to_fen(amount)
            except ValueError as exc:
                raise ValidationError({"standards": f"“{category}”的金额不正确：{exc}"}) from None
            if fen <= 0:
                raise ValidationError({"standards": f"“{category}”的金额应大于0"})
            if category in out:
                raise ValidationError({"standards": f"类别“{category}”重复"})
            out[category] = amount
        return out

    def show_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    def set_read_only(self, read_only: bool) -> None:
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)


# -- dialogs ------------------------------------------------------------------------

ADD_SPEC = EntitySpec(
    PAYOUT.name,
    PAYOUT.label,
    (
        *PAYOUT.fields[:2],
        FieldSpec("union", "所在工会", placeholder="不选时按困难档案或会籍自动确定"),
        *PAYOUT.fields[2:],
    ),
)


class AddPayoutDialog(FormDialog):
    """添加一行: PAYOUT fields; the amount follows the category's standard."""

    def __init__(
        self,
        ctx: AppContext,
        campaign: CampaignRow,
        unions: Sequence[tuple[UnionRow, int]],
        parent: QWidget | None = None,
    ) -> None:
        open_unions = [(u, d) for u, d in unions if u.status == "正常"]
        choices: dict[str, Any] = {"union": [(u.id, u.name) for u, _ in open_unions]}
        if campaign.standards:
            choices["category"] = [
                (k, f"{k}（标准 ¥{yuan(v)}）") for k, v in campaign.standards.items()
            ]
        super().__init__(
            "添加发放明细",
            ADD_SPEC,
            choices=choices,
            intro=f"向“{campaign.name}”的发放名单添加一人。同一人在同一年度的其他活动中已领取的，"
            "会提示“重复救助”。",
            ok_text="添加",
            parent=parent,
        )
        self.ctx, self.campaign = ctx, campaign
        self.setMinimumWidth(560)
        combo = self.form.field_widget("union")
        assert isinstance(combo, QComboBox)
        combo.setItemText(0, "（自动：按困难档案或会籍）")
        decorate(combo, open_unions, first=1)
        make_searchable(combo)
        combo.setMinimumContentsLength(16)
        category = self.form.field_widget("category")
        if isinstance(category, QComboBox):
            category.activated.connect(lambda _i: self._category_chosen())
        self.form.set_values({"form": "现金", "reason": campaign.name})

    def _category_chosen(self) -> None:
        values = self.form.values()
        standard = self.campaign.standards.get(str(values.get("category") or ""))
        amount = values.get("amount")
        known = {yuan(v).replace(",", "") for v in self.campaign.standards.values()}
        if standard is not None and (amount in (None, "") or str(amount) in known):
            self.form.set_values({"amount": yuan(standard).replace(",", "")})

    def fill(self, values: Mapping[str, Any]) -> None:
        self.form.set_values(values)

    def perform(self, values: dict[str, Any]) -> PayoutResult:
        union = values.pop("union", None)
        union_id = int(union) if union not in (None, "") else None
        return campaigns_svc.add_payout(
            self.ctx.db, self.ctx.user, self.campaign.id, values, union_id=union_id
        )


class HardshipPickDialog(QDialog):
    """从困难档案选取: files on record, filtered, ticked → add_from_hardship."""

    COLUMNS = (
        "选",
        "姓名",
        "身份证号",
        "所在工会",
        "困难类别",
        "主要原因",
        "月人均收入",
        "本活动标准",
        "审核",
    )

    def __init__(
        self,
        ctx: AppContext,
        campaign: CampaignRow,
        present_person_ids: set[int],
        unions: Sequence[UnionRow],
        labels: Mapping[str, Mapping[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.campaign = ctx, campaign
        self.present = set(present_person_ids)
        self.labels = labels
        self.checked: set[int] = set()
        self.rows: list[FileRow] = []
        self.seen: dict[int, FileRow] = {}  # every row shown so far: ticks hidden by a filter count
        self.outcome: tuple[int, list[str]] | None = None
        self._filling = False
        self.setWindowTitle(f"{APP_TITLE} — 从困难档案选取")
        self.setMinimumSize(960, 600)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"勾选要加入“{campaign.name}”发放名单的在档困难职工。金额按本活动的发放标准"
            "（按困难类别）确定；已在名单中的人不能重复加入；档案审核通过后才能发放。"
            "按 Enter 立即查找；按“加入名单”（或 Ctrl+Enter）加入。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        filters = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("pickSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText("查找：姓名、拼音首字母或身份证号")
        filters.addWidget(self.search_edit, 2)
        filters.addWidget(QLabel("类别"))
        self.category_box = self._combo(
            "pickCategory", "全部类别", labels.get("hardship_category", {})
        )
        filters.addWidget(self.category_box)
        filters.addWidget(QLabel("致困原因"))
        self.reason_box = self._combo("pickReason", "全部原因", labels.get("hardship_reason", {}))
        filters.addWidget(self.reason_box)
        filters.addWidget(QLabel("工会"))
        self.union_box = UnionPicker(all_text="全部乡镇和工会")
        self.union_box.setObjectName("pickUnion")
        self.union_box.set_unions(unions)
        self.union_box.currentIndexChanged.connect(lambda _i: self.reload())
        filters.addWidget(self.union_box, 2)
        layout.addLayout(filters)
        self.table = make_table(self.COLUMNS, stretch_last=False)
        self.table.setObjectName("pickTable")
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.all_button = QPushButton("全选当前列表")
        self.all_button.setObjectName("pickAll")
        self.all_button.clicked.connect(lambda _c=False: self.check_all(True))
        self.none_button = QPushButton("全不选")
        self.none_button.setObjectName("pickNone")
        self.none_button.clicked.connect(lambda _c=False: self.check_all(False))
        bottom.addWidget(self.all_button)
        bottom.addWidget(self.none_button)
        self.summary = QLabel()
        self.summary.setObjectName("pickSummary")
        bottom.addWidget(self.summary, 1)
        self.buttons = QDialogButtonBox()
        self.ok_button = QPushButton("加入名单")
        self.ok_button.setObjectName("okButton")
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self._timer = debounce(self, 150, self.reload)
        self.search_edit.textChanged.connect(lambda _t: self._timer.start())
        enter_searches(self.search_edit, self.reload)
        search_dialog(self, self.try_accept)
        self.reload()

    def _combo(self, name: str, first: str, items: Mapping[str, str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(first, None)
        for code, label in items.items():
            combo.addItem(label, code)
        combo.currentIndexChanged.connect(lambda _i: self.reload())
        return combo

    def standard_for(self, row: FileRow) -> int | None:
        label = self.labels.get("hardship_category", {}).get(row.category, row.category)
        return self.campaign.standards.get(label)

    def reload(self) -> None:
        self._timer.stop()
        flt = FileFilter(
            category=self.category_box.currentData(),
            union_id=self.union_box.union_id(),
            reason=self.reason_box.currentData(),
            text=self.search_edit.text().strip(),
        )
        try:
            self.rows = hardship_svc.list_files(self.ctx.db, self.ctx.user, flt)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取档案")
            self.rows = []
        categories = self.labels.get("hardship_category", {})
        reasons = self.labels.get("hardship_reason", {})
        table = self.table
        self._filling = True
        table.setUpdatesEnabled(False)
        try:
            table.clearContents()
            table.setRowCount(len(self.rows))
            grey = QBrush(QColor("#8a8a8a"))
            for r, row in enumerate(self.rows):
                self.seen[row.id] = row
                present = row.person_id in self.present
                standard = self.standard_for(row)
                refused = row.review_status != campaigns_svc.REVIEWED
                check = QTableWidgetItem("已在名单" if present else "未审核" if refused else "")
                check.setData(Qt.ItemDataRole.UserRole, row.id)
                if refused and not present:
                    check.setToolTip(f"档案{row.review_status}，审核通过后才能发放")
                if present or refused:
                    check.setFlags(Qt.ItemFlag.ItemIsSelectable)
                else:
                    check.setFlags(
                        Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsUserCheckable
                        | Qt.ItemFlag.ItemIsSelectable
                    )
                    check.setCheckState(
                        Qt.CheckState.Checked if row.id in self.checked else Qt.CheckState.Unchecked
                    )
                table.setItem(r, 0, check)
                values = (
                    row.name, row.id_number, row.union_name,
                    categories.get(row.category, row.category), reasons.get(row.main_reason, row.main_reason),
                    yuan(row.per_capita_month), "无标准" if standard is None else yuan(standard),
                    row.review_status,
                )  # fmt: skip
                for c, value in enumerate(values, 1):
                    item = QTableWidgetItem(value)
                    if c in (6, 7):
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if present:
                        item.setForeground(grey)
                    elif (c == 7 and standard is None) or (c == 8 and refused):
                        item.setForeground(QBrush(WARN))
                    table.setItem(r, c, item)
            for c in range(table.columnCount()):
                if c != 3:
                    table.resizeColumnToContents(c)
                    table.setColumnWidth(c, min(table.columnWidth(c) + 12, 220))
        finally:
            table.setUpdatesEnabled(True)
            self._filling = False
        self._update_summary()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        file_id = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            self.checked.add(file_id)
        else:
            self.checked.discard(file_id)
        self._update_summary()

    def check_all(self, on: bool) -> None:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def check_ids(self, file_ids: Sequence[int]) -> None:
        wanted = set(file_ids)
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if (
                item is not None
                and item.data(Qt.ItemDataRole.UserRole) in wanted
                and item.flags() & Qt.ItemFlag.ItemIsUserCheckable
            ):
                item.setCheckState(Qt.CheckState.Checked)

    def will_add(self) -> list[FileRow]:
        """The ticked files that 加入名单 adds (those the current filter hides too)."""
        rows = [self.seen[i] for i in sorted(self.checked) if i in self.seen]
        return [r for r in rows if self.standard_for(r) is not None]

    def _update_summary(self) -> None:
        adding = self.will_add()
        total = sum(self.standard_for(r) or 0 for r in adding)
        missing = len(self.checked) - len(adding)
        text = f"已选 {len(self.checked)} 户"
        if self.checked:
            text += f"，将加入 {len(adding)} 户，按标准合计 ¥{yuan(total)}"
        if missing:
            text += f"（{missing} 户的类别没有标准，不会加入）"
        hidden = sum(1 for i in self.checked if i not in {r.id for r in self.rows})
        if hidden:
            text += f"；其中 {hidden} 户不在当前筛选结果中"
        self.summary.setText(text)
        self.ok_button.setEnabled(bool(self.checked))

    def try_accept(self) -> bool:
        if not self.checked:
            return False
        try:
            self.outcome = campaigns_svc.add_from_hardship(
                self.ctx.db, self.ctx.user, self.campaign.id, sorted(self.checked)
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "未加入")
            return False
        self.accept()
        return True


class SummaryDialog(QDialog):
    """汇总表: the four summary tables, with 导出Excel… and 导出PDF…."""

    def __init__(
        self, ctx: AppContext, campaign: CampaignRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from unionsdesk.reports.campaign import campaign_summary
        from unionsdesk.services.common.office import get_office

        self.ctx, self.campaign = ctx, campaign
        self.job: Job | None = None
        self.preview: PdfPreviewDialog | None = None
        self.setWindowTitle(f"{APP_TITLE} — 发放汇总表：{campaign.name}")
        self.setMinimumSize(760, 540)
        try:
            office = get_office(ctx.db).name
        except UnionsDeskError:
            office = ""
        self.tables = campaign_summary(ctx.db, ctx.user, campaign.id, office)
        layout = QVBoxLayout(self)
        if self.tables:
            subtitle = QLabel(self.tables[0].subtitle)
            subtitle.setWordWrap(True)
            subtitle.setStyleSheet("color: #444;")
            layout.addWidget(subtitle)
        self.pages = QTabWidget()
        self.pages.setObjectName("summaryPages")
        self.views: list[QTableWidget] = []
        for t in self.tables:
            self.pages.addTab(self._table_view(t), t.title.split("（")[-1].rstrip("）"))
        layout.addWidget(self.pages, 1)
        row = QHBoxLayout()
        self.excel_button = QPushButton("导出Excel…")
        self.excel_button.setObjectName("exportExcel")
        self.excel_button.setToolTip("四张表各占一个工作表")
        self.excel_button.clicked.connect(lambda _c=False: self.export_excel())
        self.pdf_button = QPushButton("导出PDF…")
        self.pdf_button.setObjectName("exportPdf")
        self.pdf_button.setToolTip("按乡镇汇总表，合计金额含大写；导出后可预览打印")
        self.pdf_button.clicked.connect(lambda _c=False: self.export_pdf())
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        row.addWidget(self.excel_button)
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)

    def _table_view(self, table: Any) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        title = QLabel(table.title)
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        box.addWidget(title)
        headers = [c.label for c in table.columns]
        view = make_table(headers, stretch_last=False)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        rows = list(table.rows) + ([table.totals] if table.totals is not None else [])
        view.setRowCount(len(rows))
        font = QFont(view.font())
        font.setBold(True)
        for r, values in enumerate(rows):
            is_total = table.totals is not None and r == len(rows) - 1
            for c, (col, value) in enumerate(zip(table.columns, values, strict=True)):
                text = (
                    yuan(value)
                    if col.kind == "money" and isinstance(value, int)
                    else ("" if value is None else str(value))
                )
                item = QTableWidgetItem(text)
                if col.kind in ("int", "money"):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if is_total:
                    item.setFont(font)
                    item.setBackground(QBrush(QColor("#eef3f8")))
                view.setItem(r, c, item)
        for c in range(1, view.columnCount()):
            view.resizeColumnToContents(c)
            view.setColumnWidth(c, view.columnWidth(c) + 24)
        self.views.append(view)
        box.addWidget(view, 1)
        return page

    def _start(self, path: Path, done: Any) -> Job:

        db, user, cid = self.ctx.db, self.ctx.user, self.campaign.id
        self.job = run_job(
            self,
            f"正在导出“{path.name}”……",
            lambda _control: print_jobs.campaign_report(db, user, cid, path),
            done,
        )
        return self.job

    def export_excel(self, path: Path | None = None) -> Job | None:
        if path is None:
            path = ask_save_xlsx(
                self,
                "导出发放汇总表",
                safe_file_name(f"{self.campaign.name}发放汇总表.xlsx"),
                "aid_export",
            )
        if path is None:
            return None
        target = path

        def done(_result: Any) -> None:
            self.ctx.notify(f"汇总表已导出到 {target}")
            show_info(self, f"汇总表已导出（四张表各一个工作表）：\n{target}", "导出完成")

        return self._start(target, done)

    def export_pdf(self, path: Path | None = None) -> Job | None:
        if path is None:
            path = _ask_save_pdf(
                self, "导出发放汇总表", safe_file_name(f"{self.campaign.name}发放汇总表.pdf")
            )
        if path is None:
            return None
        target = path

        def done(_result: Any) -> None:
            self.ctx.notify(f"汇总表已导出到 {target}")
            self.preview = PdfPreviewDialog(
                target, f"{self.campaign.name}发放汇总表", parent=self,
                note=f"已保存到：{target}",
            )  # fmt: skip
            preview = self.preview
            preview.finished.connect(lambda _r: preview.deleteLater())
            preview.open()

        return self._start(target, done)


class SignoffDialog(QDialog):
    """打印签收表: which union (or all), and the 公示 copy with masked ID numbers."""

    def __init__(
        self,
        campaign: CampaignRow,
        unions: Sequence[UnionRow],
        line_union_ids: set[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — 打印签收表")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"打印“{campaign.name}”的发放签收表。可以按乡镇或基层工会分别打印，由各单位组织领取人签字（按手印）。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel("范围"))
        parent_of = {u.id: u.parent_id for u in unions}
        wanted: set[int] = set()
        for uid in line_union_ids:  # the unions with lines and every union above them
            seen: set[int] = set()
            cur: int | None = uid
            while cur is not None and cur not in seen:
                seen.add(cur)
                wanted.add(cur)
                cur = parent_of.get(cur)
        self.union_box = UnionPicker(all_text="全部（整个活动）")
        self.union_box.setObjectName("signoffUnion")
        self.union_box.set_unions([u for u in unions if u.id in wanted])
        row.addWidget(self.union_box, 1)
        layout.addLayout(row)
        self.public_box = QCheckBox("公示版（身份证号打码、无签字栏，用于张贴公示）")
        self.public_box.setObjectName("publicCopy")
        layout.addWidget(self.public_box)
        period = QHBoxLayout()
        period.addWidget(QLabel("公示期"))
        today = QDate.currentDate()
        self.notice_from = QDateEdit(today)
        self.notice_to = QDateEdit(today.addDays(print_jobs.NOTICE_DAYS - 1))
        for edit, name in ((self.notice_from, "noticeFrom"), (self.notice_to, "noticeTo")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        period.addWidget(self.notice_from)
        period.addWidget(QLabel("至"))
        period.addWidget(self.notice_to)
        period.addStretch(1)
        layout.addLayout(period)
        phone = QLabel("公示版印公示期和监督电话（取 设置 → 单位信息 的联系电话），不印签字栏。")
        phone.setWordWrap(True)
        phone.setStyleSheet("color: #555;")
        layout.addWidget(phone)
        self.public_box.toggled.connect(self._public_toggled)
        self._public_toggled(False)
        note = QLabel("签收表生成即记入打印记录：同一范围再次打印为“补打”。存档版印完整身份证号。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        ok = QPushButton("生成并预览")
        ok.setObjectName("okButton")
        buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        search_dialog(self, self.accept)

    def union_id(self) -> int | None:
        return self.union_box.union_id()

    def scope_name(self) -> str:
        return self.union_box.currentText() if self.union_id() is not None else ""

    def public(self) -> bool:
        return self.public_box.isChecked()

    def _public_toggled(self, on: bool) -> None:
        self.notice_from.setEnabled(on)
        self.notice_to.setEnabled(on)

    def notice_period(self) -> tuple[date, date]:
        return self.notice_from.date().toPython(), self.notice_to.date().toPython()  # type: ignore[return-value]


# -- the tab --------------------------------------------------------------------------


class CampaignsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("campaignsTab")
        self.can_write = ctx.user.can(WRITE)
        self.can_review = ctx.user.can(REVIEW)
        self.receipt_statuses = receipts_svc.receipt_statuses(ctx.db)
        self.campaigns: list[CampaignRow] = []
        self.current: CampaignRow | None = None
        self.payouts: list[PayoutRow] = []
        self._loaded: Any = None
        self._syncing = False
        self.job: Job | None = None
        self.preview: PdfPreviewDialog | None = None
        self.excel_import = ExcelImport(self, ctx, unit="行发放明细", file_kind="发放名单", folder_key="payouts_import")  # fmt: skip
        self.excel_import.written.connect(self._lines_imported)
        self.unions: list[UnionRow] = []
        self.labels: dict[str, dict[str, str]] = {}
        self._load_reference_data()

        layout = tab_layout(self)
        self.splitter = list_and_panel(self._build_list(), self._build_panel(), (400, 860), grow=1)
        layout.addWidget(self.splitter, 1)
        tab_shortcut(self, "Ctrl+N", self.new_campaign)

        self._fill_years()
        self.reload_list()
        if self.campaigns:
            self.select_campaign(self.campaigns[0].id)
        else:
            self.new_campaign(ask=False)

    # -- building ---------------------------------------------------------------------
    def _load_reference_data(self) -> None:
        try:
            self.unions = unions_svc.list_unions(self.ctx.db, self.ctx.user, with_counts=False)
            self.labels = codes_svc.label_maps(
                self.ctx.db, ["hardship_category", "hardship_reason", "aid_type"]
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取工会和字典")
        for category in ("hardship_category", "hardship_reason", "aid_type"):
            self.labels.setdefault(category, {})
        self.union_order = union_tree_order(self.unions)

    def _button(self, text: str, slot: Any, name: str, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_list(self) -> QWidget:
        box = QWidget()
        box.setMinimumWidth(300)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(6)
        row = QHBoxLayout()
        row.addWidget(QLabel("年度"))
        self.year_box = QComboBox()
        self.year_box.setObjectName("yearFilter")
        self.year_box.currentIndexChanged.connect(lambda _i: self.reload_list())
        row.addWidget(self.year_box)
        row.addStretch(1)
        self.new_button = self._button(
            "新建活动", self.new_campaign, "newCampaign", "新建帮扶慰问活动（Ctrl+N）"
        )
        self.new_button.setEnabled(self.can_write)
        row.addWidget(self.new_button)
        layout.addLayout(row)
        self.list_table = make_table(LIST_COLUMNS, stretch_last=False)
        self.list_table.setObjectName("campaignTable")
        self.list_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.list_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list_table.itemSelectionChanged.connect(self._list_selection_changed)
        layout.addWidget(self.list_table, 1)
        self.list_count = QLabel()
        self.list_count.setObjectName("campaignCount")
        self.list_count.setStyleSheet("color: #555;")
        layout.addWidget(self.list_count)
        return box

    def _build_panel(self) -> QWidget:
        panel = QFrame()
        panel.setObjectName("campaignPanel")
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(6, 0, 0, 0)
        outer.setSpacing(6)
        self.title_label = QLabel()
        self.title_label.setObjectName("campaignTitle")
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.title_label)
        self.info_label = QLabel()
        self.info_label.setObjectName("campaignInfo")
        self.info_label.setWordWrap(True)
        self.info_label.setStyleSheet("color: #444;")
        outer.addWidget(self.info_label)

        self.totals_label = QLabel()
        self.totals_label.setObjectName("totalsLabel")
        tf = QFont(self.totals_label.font())
        tf.setBold(True)
        tf.setPointSizeF(tf.pointSizeF() * 1.08)
        self.totals_label.setFont(tf)
        self.totals_label.setWordWrap(True)
        outer.addWidget(self.totals_label)  # its own line: 剩余 is never behind a button
        status_row = QHBoxLayout()
        status_row.addStretch(1)
        self.submit_button = self._button(
            "提交审核", lambda: self.set_status("审核"), "submitButton", "草拟完成，交审核人审核"
        )
        self.back_button = self._button(
            "退回草拟", lambda: self.set_status("草拟"), "backButton", "退回草拟状态继续修改"
        )
        self.pay_button = self._button(
            "确认发放",
            lambda: self.set_status("已发放"),
            "payButton",
            "审核人确认已发放（须有批准文号）",
        )
        self.archive_button = self._button(
            "归档", lambda: self.set_status("归档"), "archiveButton", "发放完毕，归档（不能再修改）"
        )
        for b in (self.submit_button, self.back_button, self.pay_button, self.archive_button):
            status_row.addWidget(b)
        outer.addLayout(status_row)

        self.pages = QTabWidget()
        self.pages.setObjectName("campaignPages")
        self.pages.addTab(self._build_lines_page(), "发放名单")
        self.pages.addTab(self._build_form_page(), "活动信息")
        outer.addWidget(self.pages, 1)
        return panel

    def _build_lines_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(6)
        row = QHBoxLayout()
        self.add_button = self._button("添加…", self.add_line, "addLine", "逐人添加")
        self.pick_button = self._button(
            "从困难档案选取…", self.pick_from_hardship, "pickButton", "勾选在档困难职工，按标准加入"
        )
        self.import_button = self._button(
            "导入发放明细…",
            self.import_lines,
            "importLines",
            "从乡镇报来的 Excel 发放名单批量加入（姓名、身份证号、类别、金额等）",
        )
        self.remove_button = self._button(
            "删除…", self.remove_lines, "removeLine", "删除所选行（须填写原因）"
        )
        for b in (self.add_button, self.pick_button, self.import_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        row = QHBoxLayout()  # paper: a second row, so that no text is cut at 900 px
        row.addStretch(1)
        self.summary_button = self._button(
            "汇总表…", self.show_summary, "summaryButton", "按乡镇、工会、类别、形式汇总"
        )
        self.signoff_button = self._button(
            "打印签收表…", self.print_signoff, "signoffButton", "发放签收表（花名册），可出公示版"
        )
        self.receipt_button = self._button(
            "开具并打印收据…",
            self.issue_and_print,
            "receiptButton",
            "为所选行开具领款收据（未选则为全部行）并打印",
        )
        self.export_button = self._button(
            "导出明细…", self.export_lines, "exportLines", "本活动的发放明细导出为 Excel"
        )
        self.bank_button = self._button(
            "银行代发文件…",
            self.export_bank_file,
            "bankFile",
            "“银行转账”的明细：户名、账号、金额、摘要（各银行的列顺序在 设置 → 套打偏移 中设置）",
        )
        for b in (self.export_button, self.bank_button, self.summary_button, self.signoff_button,
                  self.receipt_button):  # fmt: skip
            row.addWidget(b)
        layout.addLayout(row)
        self.lines_table = make_table(LINE_COLUMNS, stretch_last=False)
        self.lines_table.setObjectName("linesTable")
        self.lines_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # “示例县…228工会委员会”
        self.lines_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.lines_table.horizontalHeader().setSectionResizeMode(
            LINE_UNION, QHeaderView.ResizeMode.Stretch
        )
        self.lines_table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.lines_table, 1)
        self.lines_hint = QLabel()
        self.lines_hint.setObjectName("linesHint")
        self.lines_hint.setStyleSheet("color: #555;")
        self.lines_hint.setWordWrap(True)
        layout.addWidget(self.lines_hint)
        return page

    def _build_form_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(16)
        left = QVBoxLayout()
        self.form = FormWidget(CAMPAIGN, db=self.ctx.db)
        self.form.setObjectName("campaignForm")
        self.form.submitted.connect(self.save)
        left.addWidget(self.form)
        buttons = QHBoxLayout()
        self.save_button = self._button(
            "保存", self.save, "saveButton", "保存活动信息和发放标准（Ctrl+S）"
        )
        self.save_button.setDefault(True)
        self.form_state = QLabel()
        self.form_state.setObjectName("formState")
        self.form_state.setStyleSheet("color: #555;")
        self.form_state.setWordWrap(True)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.form_state, 1)
        left.addLayout(buttons)
        left.addStretch(1)
        layout.addLayout(left, 3)
        categories = list(self.labels["hardship_category"].values())
        self.standards = StandardsEditor(categories)
        self.standards.setObjectName("standards")
        right = QVBoxLayout()
        right.addWidget(self.standards)
        right.addStretch(1)
        layout.addLayout(right, 2)
        return page

    # -- the list ---------------------------------------------------------------------
    def _fill_years(self) -> None:
        try:
            years = {c.year for c in campaigns_svc.list_campaigns(self.ctx.db, self.ctx.user)}
        except UnionsDeskError as exc:
            show_error(self, exc)
            years = set()
        this_year = date.today().year
        years.add(this_year)
        keep = self.year_box.currentData() if self.year_box.count() else this_year
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItem("全部年度", ALL_YEARS)
        for y in sorted(years, reverse=True):
            self.year_box.addItem(f"{y}年", y)
        index = self.year_box.findData(keep)
        self.year_box.setCurrentIndex(index if index >= 0 else 0)
        self.year_box.blockSignals(False)

    def reload_list(self) -> None:
        try:
            self.campaigns = campaigns_svc.list_campaigns(
                self.ctx.db, self.ctx.user, self.year_box.currentData()
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取帮扶活动")
            self.campaigns = []
        table = self.list_table
        self._syncing = True
        try:
            table.clearContents()
            table.setRowCount(len(self.campaigns))
            for r, c in enumerate(self.campaigns):
                values = (short_name(c), str(c.year), c.status, str(c.lines), yuan(c.total))
                for col, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    if col == 0:
                        item.setData(Qt.ItemDataRole.UserRole, c.id)
                        item.setToolTip(f"{c.name}（{c.kind_label}）")
                    if col in (3, 4):
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if col == 2:
                        item.setForeground(QBrush(QColor(STATUS_COLORS.get(c.status, "#000"))))
                    if col == 4 and c.budget > 0 and c.remaining < 0:
                        item.setForeground(QBrush(WARN))
                        item.setToolTip("超出预算")
                    table.setItem(r, col, item)
            for col in range(1, table.columnCount()):
                table.resizeColumnToContents(col)
                table.setColumnWidth(col, table.columnWidth(col) + 10)
            if self.current is not None:
                self._select_in_list(self.current.id)
        finally:
            self._syncing = False
        total = sum(c.total for c in self.campaigns)
        people = sum(c.lines for c in self.campaigns)
        self.list_count.setText(f"{len(self.campaigns)} 个活动，共 {people} 人次 ¥{yuan(total)}")

    def _select_in_list(self, campaign_id: int) -> bool:
        for r in range(self.list_table.rowCount()):
            if cell(self.list_table, r, 0).data(Qt.ItemDataRole.UserRole) == campaign_id:
                self.list_table.selectRow(r)
                return True
        self.list_table.clearSelection()
        return False

    def _list_selection_changed(self) -> None:
        if self._syncing:
            return
        rows = self.list_table.selectionModel().selectedRows()
        if not rows:
            return
        cid = cell(self.list_table, rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        if self.current is not None and self.current.id == cid:
            return
        if self.is_dirty() and not confirm(
            self, "活动信息的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
        ):
            self._syncing = True
            if self.current is not None:
                self._select_in_list(self.current.id)
            else:
                self.list_table.clearSelection()
            self._syncing = False
            return
        self.load_campaign(cid)

    def select_campaign(self, campaign_id: int) -> bool:
        self._syncing = True
        found = self._select_in_list(campaign_id)
        self._syncing = False
        self.load_campaign(campaign_id)
        return found

    def refresh(self) -> None:
        self._load_reference_data()
        self.receipt_statuses = receipts_svc.receipt_statuses(self.ctx.db)
        self._fill_years()
        self.reload_list()
        if self.current is not None and not self.is_dirty():
            self.load_campaign(self.current.id, keep_page=True)

    def focus_search(self) -> bool:
        self.list_table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    # -- the open campaign ------------------------------------------------------------
    def load_campaign(self, campaign_id: int, *, keep_page: bool = False) -> None:
        try:
            c = campaigns_svc.get_campaign(self.ctx.db, self.ctx.user, campaign_id)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法读取帮扶活动")
            return
        self.current = c
        self.form.set_values({
            "name": c.name, "kind": c.kind, "year": c.year, "funding_source": c.funding_source,
            "budget": c.budget or None, "approval_ref": c.approval_ref, "notes": c.notes,
        })  # fmt: skip
        self.standards.set_standards(c.standards)
        self._loaded = self._snapshot()
        self.pages.setTabEnabled(0, True)
        if not keep_page:
            self.pages.setCurrentIndex(0)
        self.reload_lines()

    def _show_header(self) -> None:
        c = self.current
        if c is None:
            self.title_label.setText("新建帮扶慰问活动")
            self.info_label.setText("填写活动信息和发放标准，保存后再添加发放名单。")
            self.totals_label.setText("")
            return
        color = STATUS_COLORS.get(c.status, "#000")
        self.title_label.setText(f'{c.name}　<span style="color:{color}">【{c.status}】</span>')
        parts = [c.kind_label, f"{c.year}年"]
        parts.append(f"批准文号 {c.approval_ref}" if c.approval_ref else "批准文号 未填")
        if c.funding_source:
            parts.append(f"资金来源 {c.funding_source}")
        if c.paid_on:
            parts.append(f"发放日期 {c.paid_on.isoformat()}")
        self.info_label.setText("　·　".join(parts))
        text, over = totals_text(c)
        self.totals_label.setText(text)
        self.totals_label.setStyleSheet(f"color: {ERROR_COLOR};" if over else "color: #1b4f80;")
        self.totals_label.setToolTip("已超出预算！" if over else "")

    def reload_lines(self) -> None:
        c = self.current
        if c is None:
            self.payouts = []
        else:
            try:
                self.current = c = campaigns_svc.get_campaign(self.ctx.db, self.ctx.user, c.id)
                self.payouts = campaigns_svc.list_payouts(self.ctx.db, self.ctx.user, c.id)
            except UnionsDeskError as exc:
                show_error(self, exc, "无法读取发放名单")
                self.payouts = []
        self._fill_lines()
        self._show_header()
        self._update_buttons()

    def _fill_lines(self) -> None:
        table = self.lines_table
        table.setUpdatesEnabled(False)
        try:
            table.clearContents()
            table.setRowCount(len(self.payouts))
            for r, p in enumerate(self.payouts):
                values = (p.name, p.id_number, p.union_name, p.category or "", yuan(p.amount),
                          p.form, p.reason or "", p.receipt_no or "")  # fmt: skip
                for col, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    if col == 0:
                        item.setData(Qt.ItemDataRole.UserRole, p.id)
                    if col == LINE_AMOUNT:
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                        if p.override_reason:
                            item.setToolTip(f"超标准原因：{p.override_reason}")
                    if col == LINE_UNION:
                        item.setToolTip(value)
                    table.setItem(r, col, item)
            for col in range(table.columnCount()):
                if col != LINE_UNION:
                    table.resizeColumnToContents(col)
                    table.setColumnWidth(col, min(table.columnWidth(col) + 12, 240))
        finally:
            table.setUpdatesEnabled(True)
        with_receipt = sum(1 for p in self.payouts if p.receipt_no)
        hint = "按住 Ctrl 或 Shift 可选多行。"
        if self.payouts:
            hint = (
                f"已开收据 {with_receipt} 行，未开 {len(self.payouts) - with_receipt} 行。" + hint
            )
        if self.current is not None and self.current.status == "审核":
            hint = "活动在审核中，名单不能修改（需要修改时“退回草拟”）。" + hint
        elif self.current is not None and self.current.status not in campaigns_svc.EDITABLE:
            hint = f"活动已{self.current.status}，名单不能再修改。" + hint
        self.lines_hint.setText(hint)

    def new_campaign(self, ask: bool = True) -> None:
        if not self.can_write:
            return
        if (
            ask
            and self.is_dirty()
            and not confirm(
                self, "活动信息的修改还没有保存。放弃这些修改吗？", "未保存的修改", danger=True
            )
        ):
            return
        self.current = None
        self.payouts = []
        self.form.clear()
        year = self.year_box.currentData() or date.today().year
        self.form.set_values({"year": year})
        self.standards.set_standards(None)
        self._syncing = True
        self.list_table.clearSelection()
        self._syncing = False
        self._fill_lines()
        self._show_header()
        self._update_buttons()
        self.pages.setTabEnabled(0, False)
        self.pages.setCurrentIndex(1)
        self._loaded = self._snapshot()
        if ask:
            self.form.field_widget("name").setFocus(Qt.FocusReason.OtherFocusReason)

    def _snapshot(self) -> Any:
        return (self.form.values(), self.standards.raw())

    def is_dirty(self) -> bool:
        return self.can_write and self._loaded is not None and self._snapshot() != self._loaded

    def selected_line_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.lines_table.selectionModel().selectedRows()})
        return [int(cell(self.lines_table, r, 0).data(Qt.ItemDataRole.UserRole)) for r in rows]

    def select_lines(self, payout_ids: Sequence[int]) -> None:
        wanted = set(payout_ids)
        table = self.lines_table
        table.clearSelection()
        mode = table.selectionMode()
        table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r in range(table.rowCount()):
            if cell(table, r, 0).data(Qt.ItemDataRole.UserRole) in wanted:
                table.selectRow(r)
        table.setSelectionMode(mode)

    def _update_buttons(self) -> None:
        c = self.current
        status = c.status if c is not None else None
        w, rv = self.can_write, self.can_review
        editable = status in campaigns_svc.EDITABLE
        self.submit_button.setEnabled(w and status == "草拟")
        self.back_button.setEnabled((w or rv) and status == "审核")
        self.pay_button.setEnabled(rv and status == "审核")
        self.archive_button.setEnabled(rv and status == "已发放")
        for b in (self.submit_button, self.back_button, self.pay_button, self.archive_button):
            b.setVisible(c is not None)
        has_lines = bool(self.payouts)
        self.add_button.setEnabled(w and editable)
        self.pick_button.setEnabled(w and editable)
        self.import_button.setEnabled(w and editable)
        self.remove_button.setEnabled(w and editable and bool(self.selected_line_ids()))
        self.summary_button.setEnabled(c is not None and has_lines)
        self.export_button.setEnabled(c is not None and has_lines)
        self.bank_button.setEnabled(
            self.ctx.user.can(PII) and any(p.form == "银行转账" for p in self.payouts)
        )
        printable = status in ("审核", "已发放", "归档")
        self.signoff_button.setEnabled(w and printable and has_lines)
        receipts_open = status in self.receipt_statuses
        self.receipt_button.setEnabled(w and receipts_open and has_lines)
        if not printable and c is not None:
            self.signoff_button.setToolTip("活动审核后才能打印签收表")
        if c is not None:
            self.receipt_button.setToolTip(
                "为所选行开具领款收据（未选则为全部行）并打印"
                if receipts_open
                else "审核人确认发放后才能开具收据（可在 设置 → 套打偏移 中改为提交审核后即可开具）"
            )
        form_editable = w and (c is None or editable)
        self.form.set_read_only(not form_editable)
        self.standards.set_read_only(not form_editable)
        self.save_button.setEnabled(form_editable)
        if c is None:
            self.form_state.setText("新活动保存后为“草拟”状态。")
        elif not editable:
            self.form_state.setText(f"活动已{c.status}，活动信息不能再修改。")
        else:
            self.form_state.setText("")

    # -- saving -----------------------------------------------------------------------
    def save(self) -> None:
        if not self.can_write:
            self.ctx.notify("当前用户没有修改帮扶活动的权限")
            return
        if self.current is not None and self.current.status not in campaigns_svc.EDITABLE:
            self.ctx.notify(f"活动已{self.current.status}，不能再修改")
            return
        ok = self.form.validate()
        try:
            standards = self.standards.standards()
            self.standards.show_error(None)
        except ValidationError as exc:
            self.standards.show_error(str(exc))
            ok = False
        if not ok:
            self.pages.setCurrentIndex(1)
            self.ctx.notify("未保存：请按红字提示修改")
            return
        new = self.current is None
        try:
            c = campaigns_svc.save_campaign(
                self.ctx.db, self.ctx.user, self.form.values(), standards=standards,
                campaign_id=None if self.current is None else self.current.id,
                expected_version=None if self.current is None else self.current.version,
            )  # fmt: skip
        except ValidationError as exc:
            self.pages.setCurrentIndex(1)
            rest = self.form.errors_from(exc)
            if "standards" in rest:
                self.standards.show_error(rest.pop("standards"))
            if rest:
                show_error(self, "；".join(rest.values()), "未保存")
            return
        except ConflictError as exc:
            show_error(
                self, f"{exc}\n\n你填写的内容还在表单中，没有保存。", "未保存：活动已被他人修改"
            )
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "未保存")
            return
        self.current = c
        if self.year_box.currentData() not in (ALL_YEARS, c.year):
            self.year_box.setCurrentIndex(self.year_box.findData(ALL_YEARS))
        self._fill_years()
        self.reload_list()
        self.load_campaign(c.id, keep_page=not new)
        self.ctx.notify(f"已新建活动“{c.name}”，可以添加发放名单了" if new else f"已保存“{c.name}”")
        self.ctx.changed.emit("campaigns")

    def set_status(self, status: str) -> None:
        c = self.current
        if c is None:
            return
        if self.is_dirty():
            show_error(self, "活动信息有未保存的修改，请先按“保存”。", "请先保存")
            self.pages.setCurrentIndex(1)
            return
        questions = {
            "已发放": f"确认“{c.name}”已经发放？\n\n合计 {c.lines} 人 ¥{yuan(c.total)}。确认后发放名单不能再修改。",
            "归档": f"把“{c.name}”归档？归档后不能再修改。",
        }
        reason = ""
        if status == "草拟":
            back = self.back_dialog()
            if back is None or not back.exec():
                return
            reason = str(back.result_value or "")
        elif status in questions and not confirm(self, questions[status], "请确认"):
            return
        try:
            updated = campaigns_svc.set_campaign_status(
                self.ctx.db, self.ctx.user, c.id, status, reason=reason
            )
        except ValidationError as exc:
            self.form.errors_from(exc)  # e.g. 批准文号 marked red on 活动信息
            if "approval_ref" in exc.errors:
                self.pages.setCurrentIndex(1)
            show_error(self, exc, "状态未改变")
            return
        except UnionsDeskError as exc:
            show_error(self, exc, "状态未改变")
            return
        self.ctx.notify(f"“{updated.name}”现为“{updated.status}”")
        self.ctx.changed.emit("campaigns")
        self.reload_list()
        self.load_campaign(updated.id, keep_page=True)

    def back_dialog(self) -> ReasonDialog | None:
        """退回草拟 asks why (the reviewer's reason goes to the log and to the clerk)."""
        if self.current is None:
            return None
        return ReasonDialog(
            "退回草拟",
            f"把“{self.current.name}”退回草拟：经办人可以修改名单和活动信息，改好后再提交审核。",
            lambda reason: reason,
            label="退回原因",
            ok_text="退回草拟",
            placeholder="如 批准文号有误、名单中有人不符合条件",
            parent=self,
        )

    # -- lines ------------------------------------------------------------------------
    def add_dialog(self) -> AddPayoutDialog | None:
        if self.current is None:
            return None
        return AddPayoutDialog(self.ctx, self.current, self.union_order, self)

    def add_line(self) -> None:
        dialog = self.add_dialog()
        if dialog is None or not dialog.exec():
            return
        self.after_add(dialog.result_value)

    def after_add(self, result: PayoutResult) -> None:
        self.reload_lines()
        self.reload_list()
        self.select_lines([result.row.id])
        self.ctx.notify(f"已添加 {result.row.name} ¥{yuan(result.row.amount)}")
        self.ctx.changed.emit("campaigns")
        if result.warnings:
            QMessageBox.warning(
                self,
                f"{APP_TITLE} — 重复救助提示",
                f"{result.row.name} 已加入名单，但请注意：\n\n"
                + "\n".join(result.warnings)
                + "\n\n如不应重复发放，请选中该行后按“删除…”。",
            )

    def pick_dialog(self) -> HardshipPickDialog | None:
        if self.current is None:
            return None
        present = {p.person_id for p in self.payouts}
        return HardshipPickDialog(self.ctx, self.current, present, self.unions, self.labels, self)

    def pick_from_hardship(self) -> None:
        dialog = self.pick_dialog()
        if dialog is None or not dialog.exec():
            return
        assert dialog.outcome is not None
        self.after_pick(*dialog.outcome)

    def after_pick(self, added: int, notes: Sequence[str]) -> None:
        self.reload_lines()
        self.reload_list()
        self.ctx.changed.emit("campaigns")
        self.ctx.notify(f"已从困难档案加入 {added} 人")
        if notes:
            shown = list(notes[:MAX_NOTES_SHOWN])
            if len(notes) > MAX_NOTES_SHOWN:
                shown.append(f"……另有 {len(notes) - MAX_NOTES_SHOWN} 条")
            show_info(self, f"已加入 {added} 人。请注意：\n\n" + "\n".join(shown), "从困难档案选取")
        else:
            show_info(self, f"已加入 {added} 人。", "从困难档案选取")

    def import_lines(self) -> None:
        if self.current is None:
            return
        path = ask_open_excel(self, "选择要导入的发放名单", "payouts_import")
        if path is None:
            return
        dialog = self.import_dialog(path)
        if dialog.exec():
            self.start_import(path, columns=dialog.columns())

    def import_dialog(self, path: Path) -> ImportPreviewDialog:
        """The preview step: which column is which, into the open campaign."""
        into = QLabel(f"“{self.current.name}”的发放名单" if self.current else "")
        return ImportPreviewDialog(
            path, PAYOUT, self, title="导入发放明细", note=IMPORT_NOTE, target=("导入到：", into)
        )

    def start_import(
        self,
        path: Path,
        *,
        skip_invalid: bool = False,
        columns: dict[str, int | None] | None = None,
    ) -> Job | None:
        """Import the lines of ``path`` into the open campaign off the GUI thread;
        ``columns`` as chosen in the preview (None: as the header says)."""
        from unionsdesk.services.aid.payout_import import import_payouts

        if self.current is None:
            return None
        db, user, campaign_id = self.ctx.db, self.ctx.user, self.current.id

        def run(path: Path, skip_invalid: bool, _control: JobControl) -> Any:
            return import_payouts(
                db, user, path, campaign_id=campaign_id, skip_invalid=skip_invalid, columns=columns
            )

        return self.excel_import.start(path, run, skip_invalid=skip_invalid)

    def _lines_imported(self, _result: Any) -> None:
        self.reload_lines()
        self.reload_list()
        self.ctx.changed.emit("campaigns")

    def remove_dialog(self) -> ReasonDialog | None:
        ids = self.selected_line_ids()
        if self.current is None or not ids:
            self.ctx.notify("请先选中要删除的发放明细")
            return None
        names = [p.name for p in self.payouts if p.id in set(ids)]
        who = names[0] if len(names) == 1 else f"{names[0]} 等 {len(names)} 人"
        db, user = self.ctx.db, self.ctx.user

        def remove(reason: str) -> int:
            if not reason:
                raise ValidationError({"reason": "删除发放明细须填写原因"})
            done = 0
            for pid in ids:  # one by one: a line with a receipt is refused, the rest go
                campaigns_svc.remove_payout(db, user, pid, reason)
                done += 1
            return done

        return ReasonDialog(
            "删除发放明细",
            f"从“{self.current.name}”的名单中删除 {who}。删除记入操作日志。",
            remove,
            label="删除原因",
            ok_text="删除",
            placeholder="如 不符合条件、重复救助",
            parent=self,
        )

    def remove_lines(self) -> None:
        dialog = self.remove_dialog()
        if dialog is None:
            return
        accepted = dialog.exec()
        self.reload_lines()  # some lines may be gone even when one was refused
        self.reload_list()
        if accepted:
            self.ctx.notify(f"已删除 {dialog.result_value} 行")
            self.ctx.changed.emit("campaigns")

    # -- reports and printing --------------------------------------------------------
    def summary_dialog(self) -> SummaryDialog | None:
        if self.current is None:
            return None
        try:
            return SummaryDialog(self.ctx, self.current, self)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法生成汇总表")
            return None

    def show_summary(self) -> None:
        dialog = self.summary_dialog()
        if dialog is not None:
            dialog.exec()

    def signoff_dialog(self) -> SignoffDialog | None:
        if self.current is None:
            return None
        line_unions = {p.union_id for p in self.payouts if p.union_id is not None}
        return SignoffDialog(self.current, self.unions, line_unions, self)

    def print_signoff(self) -> None:
        dialog = self.signoff_dialog()
        if dialog is None or not dialog.exec():
            return
        self.start_signoff(
            dialog.union_id(), dialog.public(), dialog.scope_name(), dialog.notice_period()
        )

    def start_signoff(
        self,
        union_id: int | None,
        public: bool,
        scope: str = "",
        notice_period: tuple[date, date] | None = None,
    ) -> Job | None:
        c = self.current
        if c is None:
            return None
        title = f"{c.name}{'发放公示' if public else '发放签收表'}" + (
            f"（{scope}）" if scope else ""
        )
        path = temp_pdf_path(title)
        db, user = self.ctx.db, self.ctx.user

        def work(control: JobControl) -> Any:
            return print_jobs.signoff_pdf(
                db,
                user,
                c.id,
                union_id,
                public,
                path,
                notice_period=notice_period if public else None,
                **_print_job_kwargs(control, "正在生成签收表"),
            )

        def done(_path: Any) -> None:
            self.ctx.notify(f"已生成“{title}”")
            note = "公示版：身份证号已打码。" if public else "存档版：印完整身份证号，请妥善保管。"
            self._open_preview(
                PdfPreviewDialog(path, title, parent=self, delete_on_close=True, note=note)
            )

        self.job = run_job(self, f"正在生成“{title}”……", work, done, cancellable=True)
        return self.job

    def _open_preview(self, dialog: PdfPreviewDialog) -> None:
        self.preview = dialog
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def issue_and_print(
        self, payout_ids: Sequence[int] | None = None, *, ask: bool = True
    ) -> Job | None:
        c = self.current
        if c is None:
            return None
        ids = list(payout_ids) if payout_ids is not None else self.selected_line_ids()
        chosen = [p for p in self.payouts if p.id in set(ids)] if ids else list(self.payouts)
        if not chosen:
            self.ctx.notify("名单中没有可开收据的行")
            return None
        have = sum(1 for p in chosen if p.receipt_no)
        scope = f"所选的 {len(chosen)} 行" if ids else f"全部 {len(chosen)} 行"
        question = f"为{scope}开具领款收据并预览打印？"
        if have:
            question += f"\n\n其中 {have} 行已有收据，沿用原号码（打印时为补打）。"
        question += "\n\n收据号码开具后不能收回，作废也会保留号码。"
        if ask and not confirm(self, question, "开具收据"):
            return None
        try:
            infos = receipts_svc.issue_receipts(self.ctx.db, self.ctx.user, [p.id for p in chosen])
        except UnionsDeskError as exc:
            show_error(self, exc, "未开具收据")
            return None
        self.reload_lines()
        self.ctx.changed.emit("receipts")
        first, last = infos[0].number, infos[-1].number
        self.ctx.notify(
            f"已开具收据 {len(infos)} 张（No.{first}"
            + (f" 至 {last}）" if len(infos) > 1 else "）")
        )
        title = f"{c.name}领款收据" + (f"No.{first}" if len(infos) == 1 else f"（{len(infos)}张）")
        self.job = print_receipts(
            self, self.ctx, [i.id for i in infos], title,
            after_record=self.reload_lines, on_preview=self._keep_preview,
        )  # fmt: skip
        return self.job

    def export_lines(self, path: Path | None = None) -> Job | None:
        from unionsdesk.services.aid.aid_io import payout_table
        from unionsdesk.services.common.office import get_office

        c = self.current
        if c is None:
            return None
        db, user, office = self.ctx.db, self.ctx.user, get_office(self.ctx.db).name
        return export_table(
            self, self.ctx, f"{c.name}发放明细", lambda: payout_table(db, user, c.id, office),
            sheet="发放明细", folder_key="payouts_export", path=path,
        )  # fmt: skip

    def export_bank_file(self, path: Path | None = None, bank: str | None = None) -> Job | None:
        from unionsdesk.services.aid.aid_io import bank_file_table

        c = self.current
        if c is None:
            return None
        db, user = self.ctx.db, self.ctx.user
        try:
            bank_file_table(db, user, c.id, bank)  # refused now (no account …), not in the job
        except UnionsDeskError as exc:
            show_error(self, exc, "未生成代发文件")
            return None
        return export_table(
            self, self.ctx, f"{c.name}银行代发", lambda: bank_file_table(db, user, c.id, bank),
            sheet="代发明细", folder_key="payouts_export", path=path,
        )  # fmt: skip

    def _keep_preview(self, dialog: PdfPreviewDialog) -> None:
        self.preview = dialog
