"""设置 › 阵地与经费: the checklists inspections use (items in order, edited by the
office), the levy's upward shares (summing to 40 %), the grants' advance share and
yearly budgets per 类型, and how 会费 are rounded."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from unionsdesk.errors import UnionsDeskError
from unionsdesk.services.sites import dues, funds, grants, sites
from unionsdesk.services.sites.specs import DUES_ROUNDING, GRANT_KINDS, SITE_KINDS

from ...context import AppContext
from ...messages import show_error
from ..common.settings import SettingsPage

NEW = "（新建检查表）"


class SitesSettingsPage(SettingsPage):
    title = "阵地与经费"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        if self.restricted:
            self.restrict(self.admin_note("修改检查表、分成比例和预算"))
        row = QHBoxLayout()
        row.addWidget(self._checklists(), 3)
        right = QVBoxLayout()
        right.addWidget(self._shares())
        right.addWidget(self._grants())
        right.addStretch(1)
        holder = QWidget()
        holder.setLayout(right)
        row.addWidget(holder, 2)
        self.outer.addLayout(row, 1)
        self.saved = QLabel()
        self.saved.setObjectName("savedNote")
        self.saved.setStyleSheet("color: #2e7d32;")
        self.outer.addWidget(self.saved)
        for w in self.findChildren(QPushButton):
            w.setEnabled(self.editable)
        self.refresh()

    # -- building -----------------------------------------------------------------------
    def _checklists(self) -> QGroupBox:
        box = QGroupBox("检查表（阵地检查、乡镇工会“六有六规范”）")
        form = QFormLayout(box)
        self.template = QComboBox()
        self.template.setObjectName("checklistPicker")
        self.template.currentIndexChanged.connect(self._show_template)
        self.name = QLineEdit()
        self.name.setObjectName("checklistName")
        self.applies = QComboBox()
        self.applies.setObjectName("checklistAppliesTo")
        self.applies.addItems([*SITE_KINDS, sites.TOWNSHIP_UNION])
        self.items = QPlainTextEdit()
        self.items.setObjectName("checklistItems")
        self.items.setPlaceholderText("每行一个检查项目，按检查顺序排列")
        save = QPushButton("保存检查表")
        save.setObjectName("saveChecklist")
        save.clicked.connect(self.save_checklist)
        form.addRow("检查表", self.template)
        form.addRow("名称", self.name)
        form.addRow("适用于", self.applies)
        form.addRow("检查项目", self.items)
        hint = QLabel("改动只影响以后的检查；已有检查记录保留当时的项目文字。")
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        form.addRow("", hint)
        form.addRow("", save)
        return box

    def _shares(self) -> QGroupBox:
        box = QGroupBox("拨缴经费分成（基层留成 60%，上解 40% 按下列比例）")
        form = QFormLayout(box)
        self.share_edits: dict[str, QLineEdit] = {}
        for key, label in funds.LEVELS:
            edit = QLineEdit()
            edit.setObjectName(f"share_{key}")
            edit.setMaximumWidth(90)
            self.share_edits[key] = edit
            form.addRow(f"{label}（%）", edit)
        save = QPushButton("保存分成比例")
        save.setObjectName("saveShares")
        save.clicked.connect(self.save_shares)
        form.addRow("", save)
        self.rounding = QComboBox()
        self.rounding.setObjectName("duesRounding")
        self.rounding.addItems([f"精确到{x}" for x in DUES_ROUNDING])
        self.rounding.activated.connect(self.save_rounding)
        form.addRow("会费取整", self.rounding)
        return box

    def _grants(self) -> QGroupBox:
        year = date.today().year
        box = QGroupBox(f"对下项目补助：预拨比例和{year}年预算（元）")
        form = QFormLayout(box)
        self.advance = QLineEdit()
        self.advance.setObjectName("advancePercent")
        self.advance.setMaximumWidth(90)
        form.addRow("验收前预拨（%）", self.advance)
        self.budget_edits: dict[str, QLineEdit] = {}
        for kind in GRANT_KINDS:
            edit = QLineEdit()
            edit.setObjectName(f"budget_{kind}")
            edit.setPlaceholderText("如 30万")
            self.budget_edits[kind] = edit
            form.addRow(kind, edit)
        save = QPushButton("保存预拨比例和预算")
        save.setObjectName("saveGrantSettings")
        save.clicked.connect(self.save_grants)
        form.addRow("", save)
        return box

    # -- data ---------------------------------------------------------------------------
    def refresh(self) -> None:
        db, user = self.ctx.db, self.ctx.user
        self.checklists = sites.list_checklists(db, user)
        current = self.template.currentText()
        self.template.blockSignals(True)
        self.template.clear()
        self.template.addItems([c.name for c in self.checklists] + [NEW])
        index = self.template.findText(current)
        self.template.setCurrentIndex(max(index, 0))
        self.template.blockSignals(False)
        self._show_template()
        shares = funds.get_shares(db)
        for key, edit in self.share_edits.items():
            edit.setText(shares.percent(key).rstrip("%"))
        self.rounding.setCurrentIndex(DUES_ROUNDING.index(dues.get_rounding(db)))
        self.advance.setText(str(grants.advance_percent(db)))
        for line in grants.budget_summary(db, user, date.today().year):
            edit = self.budget_edits[line.kind]
            edit.setText("" if line.budget is None else f"{line.budget / 100:.2f}")
            edit.setToolTip(
                f"已批准 ¥{line.approved / 100:,.2f}，已拨付 ¥{line.paid / 100:,.2f}"
                + (f"，剩余 ¥{line.left / 100:,.2f}" if line.left is not None else "")
            )

    def _show_template(self) -> None:
        i = self.template.currentIndex()
        if 0 <= i < len(self.checklists):
            c = self.checklists[i]
            self.name.setText(c.name)
            self.applies.setCurrentText(c.applies_to)
            self.items.setPlainText("\n".join(t for _, t in c.items))
        else:
            self.name.clear()
            self.items.clear()

    def _done(self, text: str) -> None:
        self.saved.setText(text)
        self.refresh()

    def save_checklist(self) -> bool:
        i = self.template.currentIndex()
        template_id = self.checklists[i].id if 0 <= i < len(self.checklists) else None
        try:
            saved = sites.save_checklist(
                self.ctx.db, self.ctx.user, self.name.text(), self.applies.currentText(),
                self.items.toPlainText().splitlines(), template_id,
            )  # fmt: skip
        except UnionsDeskError as exc:
            show_error(self, exc, "检查表没有保存")
            return False
        self.template.setCurrentText(saved.name)
        self._done(f"已保存检查表“{saved.name}”（{len(saved.items)}项）")
        self.template.setCurrentIndex(self.template.findText(saved.name))
        return True

    def save_shares(self) -> bool:
        try:
            funds.set_shares(
                self.ctx.db, self.ctx.user, {k: e.text() for k, e in self.share_edits.items()}
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "分成比例没有保存")
            return False
        self._done("已保存分成比例")
        return True

    def save_rounding(self) -> None:
        try:
            dues.set_rounding(
                self.ctx.db, self.ctx.user, DUES_ROUNDING[self.rounding.currentIndex()]
            )
        except UnionsDeskError as exc:
            show_error(self, exc)
            return
        self._done("已保存会费取整方式")

    def save_grants(self) -> bool:
        year = date.today().year
        try:
            grants.set_advance_percent(self.ctx.db, self.ctx.user, self.advance.text())
            for kind, edit in self.budget_edits.items():
                if edit.text().strip():
                    grants.set_budget(self.ctx.db, self.ctx.user, year, kind, edit.text())
        except UnionsDeskError as exc:
            show_error(self, exc, "没有全部保存")
            return False
        self._done("已保存预拨比例和预算")
        return True
