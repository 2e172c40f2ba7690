"""阵地与补助: sites (with inspections and attachments), grant projects through their
life-cycle, the levy ledger, 专用收据 and 会费 — one sub-tab per register.

The lists, filters, forms, import/export and printed lists come from the register
framework (RegisterPane); this module adds what is special: the checklist
inspection, the grant steps (审批/拨付/验收/绩效/撤销) and their printed forms, 欠缴
and 断号 lists, the month's dues list and the attachments dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QBrush, QCursor, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk import attachments as att
from unionsdesk.domain.money import from_fen
from unionsdesk.errors import UnionsDeskError, UserError
from unionsdesk.fields import EntitySpec, FieldSpec
from unionsdesk.registers import Record, RecordRow, get
from unionsdesk.services.common.base import WRITE
from unionsdesk.services.sites import dues as dues_svc
from unionsdesk.services.sites import funds, grants, print_jobs, sites
from unionsdesk.services.sites.specs import (
    GRANT_ACCEPTANCE,
    GRANT_APPROVAL,
    GRANT_PAYMENT,
    Money,
)

from ...context import AppContext
from ...messages import confirm, show_error, show_info
from ...widgets.form_dialog import FormDialog
from ...widgets.register import RegisterPane, RegisterTabs, colour
from ...widgets.table import make_table

Button = tuple[str, str, Callable[[], object], str]


def _preview(parent: QWidget, path: Path, title: str) -> QDialog:
    from ...widgets.pdf_preview import PdfPreviewDialog

    dialog = PdfPreviewDialog(path, title, parent=parent, delete_on_close=True)
    dialog.finished.connect(lambda _r: dialog.deleteLater())
    dialog.open()
    return dialog


def _temp(stem: str) -> Path:
    from ...widgets.pdf_preview import temp_pdf_path

    return temp_pdf_path(stem)


# --- attachments ----------------------------------------------------------------------


class AttachmentsDialog(QDialog):
    """A record's attachments: add (copied into the store), open with the system
    viewer, save a copy, remove (with an audit row)."""

    def __init__(
        self, parent: QWidget, ctx: AppContext, entity: str, entity_id: int, title: str
    ) -> None:
        super().__init__(parent)
        self.ctx, self.entity, self.entity_id = ctx, entity, entity_id
        self.setObjectName("attachmentsDialog")
        self.setWindowTitle(f"{APP_TITLE} — 附件：{title}")
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        hint = QLabel(
            f"可添加 {att.ALLOWED_TEXT} 文件；文件复制保存在数据库旁的附件目录（服务器版保存在数据库中），备份时一并备份。"
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.table = make_table(["文件名", "大小", "添加时间", "添加人", "说明"])
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        can_write = ctx.user.can(WRITE)
        for text, slot, name, enabled in (
            ("添加…", self.add, "addAttachment", can_write),
            ("打开", self.open_selected, "openAttachment", True),
            ("另存为…", self.save_copy, "saveAttachment", True),
            ("删除…", self.remove, "removeAttachment", can_write),
        ):
            b = QPushButton(text)
            b.setObjectName(name)
            b.setEnabled(enabled)
            b.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(b)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.items: list[att.AttachmentInfo] = []
        self.opened: Path | None = None
        self.reload()

    def reload(self) -> None:
        self.items = att.list_attachments(self.ctx.db, self.ctx.user, self.entity, self.entity_id)
        self.table.setRowCount(len(self.items))
        for r, a in enumerate(self.items):
            for c, text in enumerate(
                (
                    a.name,
                    a.size_text,
                    f"{a.added_at:%Y-%m-%d %H:%M}",
                    a.added_by or "",
                    a.note or "",
                )
            ):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def selected(self) -> att.AttachmentInfo | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def add(self, path: Path | None = None) -> att.AttachmentInfo | None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "选择附件", "", "附件 (*.pdf *.jpg *.jpeg *.png *.docx *.xlsx)"
            )
            if not name:
                return None
            path = Path(name)
        try:
            made = att.add_attachment(self.ctx.db, self.ctx.user, self.entity, self.entity_id, path)
        except UnionsDeskError as exc:
            show_error(self, exc, "附件没有添加")
            return None
        self.reload()
        return made

    def open_selected(self) -> Path | None:
        a = self.selected()
        if a is None:
            return None
        try:
            self.opened = att.export_attachment(self.ctx.db, self.ctx.user, a.id)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法打开附件")
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.opened)))
        return self.opened

    def save_copy(self) -> None:
        a = self.selected()
        if a is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "另存到文件夹")
        if folder:
            try:
                saved = att.export_attachment(self.ctx.db, self.ctx.user, a.id, Path(folder))
            except UnionsDeskError as exc:
                show_error(self, exc)
                return
            show_info(self, f"已另存为 {saved}")

    def remove(self, ask: bool = True) -> bool:
        a = self.selected()
        if a is None or (
            ask and not confirm(self, f"删除附件“{a.name}”？删除会记入操作日志。", danger=True)
        ):
            return False
        try:
            att.remove_attachment(self.ctx.db, self.ctx.user, a.id)
        except UnionsDeskError as exc:
            show_error(self, exc)
            return False
        self.reload()
        return True


class _AttachmentsMixin:
    ctx: AppContext
    current: Record | None
    form_title: QLabel
    attach_entity = ""
    dialog: QDialog | None = None
    info: QLabel | None = None

    def show_info_line(self, text: str) -> None:
        """A line under the form's title (latest inspection, a grant's money so far)."""
        if self.info is None:
            self.info = QLabel()
            self.info.setObjectName("recordInfo")
            self.info.setWordWrap(True)
            self.info.setStyleSheet("color: #1f4e79;")
            layout = self.form_title.parentWidget().layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(1, self.info)
        self.info.setText(text)
        self.info.setVisible(bool(text))

    def open_attachments(self) -> AttachmentsDialog | None:
        if self.current is None:
            show_info(self, "请先在列表中选中一条记录", "附件")  # type: ignore[arg-type]
            return None
        dialog = AttachmentsDialog(
            self, self.ctx, self.attach_entity, self.current.id, self.current.title
        )  # type: ignore[arg-type]
        self.dialog = dialog
        dialog.open()
        return dialog


# --- 阵地 -------------------------------------------------------------------------------


class InspectionDialog(QDialog):
    """An inspection against the checklist of a site's kind (or of 乡镇工会 for a
    township union's 六有六规范): one 达标 box and note per item."""

    def __init__(
        self,
        pane: SitesPane,
        site_id: int | None,
        title: str,
        kind: str,
        union_id: int | None = None,
    ) -> None:
        super().__init__(pane)
        self.pane, self.site_id, self.union_id = pane, site_id, union_id
        self.setObjectName("inspectionDialog")
        self.setWindowTitle(f"{APP_TITLE} — 检查：{title}")
        self.resize(620, 420)
        layout = QVBoxLayout(self)
        found = sites.list_checklists(pane.ctx.db, pane.ctx.user, kind)
        if not found or not found[0].items:
            raise UserError(f"还没有适用于{kind}的检查表，请先在 设置 → 阵地与经费 中填写")
        self.checklist = found[0]
        layout.addWidget(
            QLabel(f"检查表：{self.checklist.name}（逐项勾选“达标”，不达标的请写明情况）")
        )
        top = QHBoxLayout()
        self.on = QLineEdit(date.today().isoformat())
        self.on.setObjectName("inspectedOn")
        self.inspector = QLineEdit(pane.ctx.user.display_name)
        self.inspector.setObjectName("inspector")
        for label, w in (("检查日期", self.on), ("检查人", self.inspector)):
            top.addWidget(QLabel(label))
            top.addWidget(w)
        layout.addLayout(top)
        self.table = make_table(["达标", "检查项目", "情况说明"])
        self.table.setRowCount(len(self.checklist.items))
        self.boxes: list[QCheckBox] = []
        self.notes: list[QLineEdit] = []
        for r, (_item_id, text) in enumerate(self.checklist.items):
            box = QCheckBox()
            box.setChecked(True)
            self.boxes.append(box)
            self.table.setCellWidget(r, 0, box)
            self.table.setItem(r, 1, QTableWidgetItem(text))
            note = QLineEdit()
            self.notes.append(note)
            self.table.setCellWidget(r, 2, note)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        self.conclusion = QLineEdit()
        self.conclusion.setPlaceholderText("结论（可不填）")
        layout.addWidget(self.conclusion)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存检查记录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.result_value: sites.InspectionInfo | None = None

    def try_accept(self) -> bool:
        results = [
            sites.ItemResult(item_id, box.isChecked(), note.text())
            for (item_id, _t), box, note in zip(
                self.checklist.items, self.boxes, self.notes, strict=True
            )
        ]
        values = {
            "inspected_on": self.on.text(),
            "inspector": self.inspector.text(),
            "conclusion": self.conclusion.text(),
        }
        try:
            self.result_value = sites.record_inspection(
                self.pane.ctx.db, self.pane.ctx.user, self.checklist.id, values, results,
                site_id=self.site_id, union_id=self.union_id,
            )  # fmt: skip
        except UnionsDeskError as exc:
            show_error(self, exc, "检查记录没有保存")
            return False
        self.accept()
        return True


class SitesPane(_AttachmentsMixin, RegisterPane):
    attach_entity = "site"

    def extra_buttons(self) -> list[Button]:
        return [
            ("inspect", "检查…", self.inspect, "按检查表逐项检查选中的阵地"),
            (
                "inspectUnion",
                "乡镇工会检查…",
                self.inspect_union,
                "按“六有六规范”检查表检查乡镇（街道）工会",
            ),
            ("attachments", "附件…", self.open_attachments, "照片、验收材料等附件"),
        ]

    def row_brush(self, row: RecordRow) -> QBrush | None:
        unmet = row.values.get("unmet")
        return colour("#fde2e1") if isinstance(unmet, int) and unmet > 0 else None

    def record_shown(self, record: Record | None) -> None:
        if record is None:
            self.show_info_line("")
            return
        latest = sites.latest_inspection(self.ctx.db, self.ctx.user, record.id)
        if latest is None:
            text = "尚未检查"
        else:
            unmet = "、".join(x.text for x in latest.unmet) or "无"
            text = f"最近检查：{latest.inspected_on:%Y-%m-%d}（{latest.template_name}），未达标：{unmet}"
        self.show_info_line(text)

    def inspect_union(self, union: str | None = None) -> InspectionDialog | FormDialog | None:
        """Ask which township union (unless given), then its 六有六规范 checklist."""
        from unionsdesk.services.members.unions import find_union

        ctx = self.ctx

        def open_for(key: str) -> InspectionDialog | None:
            u = find_union(ctx.db, ctx.user, key)
            dialog = InspectionDialog(self, None, u.name, sites.TOWNSHIP_UNION, union_id=u.id)
            self.dialog = dialog
            dialog.accepted.connect(self.refresh)
            dialog.open()
            return dialog

        if union is not None:
            try:
                return open_for(union)
            except UnionsDeskError as exc:
                show_error(self, exc)
                return None
        ask = _StepDialog(self, "乡镇工会检查", TOWNSHIP, "工会可写全称或编号，如“城关镇总工会”。",
                          lambda v: open_for(TOWNSHIP.clean(v)["union"]))  # fmt: skip
        ask.open()
        return ask

    def inspect(self) -> InspectionDialog | None:
        if self.current is None:
            show_info(self, "请先在列表中选中要检查的阵地", "检查")
            return None
        try:
            dialog = InspectionDialog(
                self, self.current.id, self.current.title, str(self.current.values["kind"])
            )
        except UnionsDeskError as exc:
            show_error(self, exc)
            return None
        dialog.accepted.connect(self.refresh)
        self.dialog = dialog
        dialog.open()
        return dialog


class InspectionsPane(_AttachmentsMixin, RegisterPane):
    attach_entity = "inspection"

    def __init__(self, ctx: AppContext, register: Any) -> None:
        super().__init__(ctx, register)
        self.new_button.setVisible(False)  # inspections are recorded item by item (阵地 → 检查…)

    def extra_buttons(self) -> list[Button]:
        return [("attachments", "附件…", self.open_attachments, "检查照片等附件")]

    def record_shown(self, record: Record | None) -> None:
        if record is None:  # a new inspection is recorded from 阵地 → 检查…
            self.save_button.setEnabled(False)
            self.form_title.setText("检查记录（新的检查请在“阵地”页选中阵地后点“检查…”）")

    def row_brush(self, row: RecordRow) -> QBrush | None:
        return colour("#fde2e1") if row.values.get("unmet_items") else None


# --- 补助项目 -----------------------------------------------------------------------------


class _StepDialog(FormDialog):
    def __init__(self, pane: QWidget, title: str, spec: EntitySpec, intro: str,
                 action: Callable[[dict[str, Any]], Any]) -> None:  # fmt: skip
        super().__init__(title, spec, intro=intro, parent=pane)
        self.action = action

    def perform(self, values: dict[str, Any]) -> Any:
        return self.action(values)


TOWNSHIP = EntitySpec(
    "township", "乡镇工会", (FieldSpec("union", "乡镇（街道）工会", required=True, max_length=200),)
)
PERFORMANCE = EntitySpec(
    "performance", "绩效评价", (FieldSpec("evaluation", "绩效评价", kind="text", required=True),)
)
REVOKE = EntitySpec(
    "revoke",
    "撤销",
    (
        FieldSpec("reason", "撤销原因", required=True, max_length=200),
        Money("returned", "退回金额"),
        FieldSpec("returned_on", "退回日期", kind="date"),
    ),
)


class GrantsPane(_AttachmentsMixin, RegisterPane):
    attach_entity = "grant"

    def extra_buttons(self) -> list[Button]:
        return [
            ("approve", "审批…", self.approve, "审核通过：会议/文号、批准金额（需审核人）"),
            ("pay", "拨付…", self.pay, "登记一笔拨付（验收合格前只能预拨）"),
            ("accept", "验收…", self.accept_project, "登记验收结论"),
            ("finish", "结项…", self.finish, "填写绩效评价并结项"),
            ("revoke", "撤销…", self.revoke, "撤销项目（已拨付的须登记退回）"),
            ("printForms", "打印表格…", self.print_menu, "申报表、验收表、审批表（含合计和大写）"),
            ("attachments", "附件…", self.open_attachments, "批复、验收报告等附件"),
        ]

    def row_brush(self, row: RecordRow) -> QBrush | None:
        status = row.values.get("status")
        return {
            "申报": colour("#fff4ce"),
            "已撤销": colour("#eeeeee"),
            "不予批准": colour("#eeeeee"),
        }.get(str(status))

    def record_shown(self, record: Record | None) -> None:
        if record is None:
            self.show_info_line("")
            return
        g = grants.get_grant(self.ctx.db, self.ctx.user, record.id)
        pays = "；".join(f"{p.paid_on:%m-%d} ¥{p.amount / 100:,.2f}" for p in g.payments) or "无"
        approved = f"¥{g.approved_amount / 100:,.2f}" if g.approved_amount is not None else "—"
        self.show_info_line(
            f"状态：{g.status}；批准 {approved}，已拨付 ¥{g.paid / 100:,.2f}（{pays}）"
            + (f"；验收：{g.acceptance_result}" if g.acceptance_result else "")
        )

    def _step(
        self, title: str, spec: EntitySpec, intro: str, action: Callable[[int, dict[str, Any]], Any]
    ) -> FormDialog | None:
        if self.current is None:
            show_info(self, "请先在列表中选中一个补助项目", title)
            return None
        gid = self.current.id

        def run(values: dict[str, Any]) -> Any:
            result = action(gid, values)
            warnings = getattr(result, "warnings", None)
            if warnings:
                show_info(self, "\n".join(warnings), "提醒")
            return result

        dialog = _StepDialog(self, title, spec, intro, run)
        dialog.accepted.connect(lambda: (self.refresh(), self.show_record(gid)))
        self.dialog = dialog
        dialog.open()
        return dialog

    def approve(self) -> FormDialog | None:
        db, user = self.ctx.db, self.ctx.user
        return self._step("审批", GRANT_APPROVAL, "批准金额不能超过申请补助；超过该类型年度预算时会提醒。",
                          lambda gid, v: grants.approve(db, user, gid, v, self.current.version if self.current else None))  # fmt: skip

    def pay(self) -> FormDialog | None:
        db, user = self.ctx.db, self.ctx.user
        pct = grants.advance_percent(db)
        return self._step("拨付", GRANT_PAYMENT, f"累计拨付不能超过批准金额；验收合格前最多预拨 {pct}%。",
                          lambda gid, v: grants.add_payment(db, user, gid, v))  # fmt: skip

    def accept_project(self) -> FormDialog | None:
        db, user = self.ctx.db, self.ctx.user
        return self._step("验收", GRANT_ACCEPTANCE, "结论为“合格”后才能拨付余款。",
                          lambda gid, v: grants.record_acceptance(db, user, gid, v))  # fmt: skip

    def finish(self) -> FormDialog | None:
        db, user = self.ctx.db, self.ctx.user
        return self._step("绩效评价并结项", PERFORMANCE, "验收合格且拨付完毕的项目可以结项。",
                          lambda gid, v: grants.record_performance(db, user, gid, v.get("evaluation") or ""))  # fmt: skip

    def revoke(self) -> FormDialog | None:
        db, user = self.ctx.db, self.ctx.user

        def run(gid: int, v: dict[str, Any]) -> Any:
            clean = REVOKE.clean(v)
            back = clean["returned"]
            return grants.revoke(
                db, user, gid, clean["reason"],
                returned=str(from_fen(back)) if back else None, returned_on=clean["returned_on"],
            )  # fmt: skip

        return self._step(
            "撤销", REVOKE, "已拨付资金的项目须登记退回金额（等于已拨付）和退回日期。", run
        )

    def print_menu(self) -> None:
        menu = QMenu(self)
        menu.addAction("项目补助申报表（选中的项目）", lambda: self.print_form("application"))
        menu.addAction("项目补助验收表（选中的项目）", lambda: self.print_form("acceptance"))
        menu.addAction("审批表（待审批的项目）", self.print_approval)
        menu.popup(QCursor.pos())

    def print_form(self, which: str) -> QDialog | None:
        if self.current is None:
            show_info(self, "请先在列表中选中一个补助项目", "打印")
            return None
        path = _temp(f"补助项目{which}")
        try:
            if which == "application":
                print_jobs.grant_application_pdf(self.ctx.db, self.ctx.user, self.current.id, path)
                title = "项目补助申报表"
            else:
                print_jobs.grant_acceptance_pdf(self.ctx.db, self.ctx.user, self.current.id, path)
                title = "项目补助验收表"
        except UnionsDeskError as exc:
            show_error(self, exc, "无法打印")
            return None
        self.preview = _preview(self, path, title)
        return self.preview  # type: ignore[return-value]

    def print_approval(self) -> QDialog | None:
        path = _temp("补助项目审批表")
        try:
            print_jobs.grant_approval_pdf(self.ctx.db, self.ctx.user, path)
        except UnionsDeskError as exc:
            show_error(self, exc, "无法打印")
            return None
        self.preview = _preview(self, path, "项目补助审批表")
        return self.preview  # type: ignore[return-value]


# --- 拨缴经费, 专用收据, 会费 ----------------------------------------------------------------


def _list_dialog(
    parent: QWidget, title: str, headers: list[str], rows: list[list[str]], note: str
) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("listDialog")
    dialog.setWindowTitle(f"{APP_TITLE} — {title}")
    dialog.resize(720, 420)
    layout = QVBoxLayout(dialog)
    label = QLabel(note)
    label.setWordWrap(True)
    layout.addWidget(label)
    table = make_table(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if text.replace(",", "").replace(".", "").isdigit():  # amounts and counts
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    layout.addWidget(table, 1)
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
    close.rejected.connect(dialog.reject)
    layout.addWidget(close)
    dialog.open()
    return dialog


class LeviesPane(RegisterPane):
    def extra_buttons(self) -> list[Button]:
        return [
            ("collection", "收缴汇总", self.collection, "今年按乡镇和月份的应缴、实缴和各级分成"),
            ("arrears", "欠缴名单", self.arrears, "今年至上月未缴或少缴的单位"),
        ]

    def collection(self) -> QDialog:
        year = date.today().year
        cells = funds.collection_summary(self.ctx.db, self.ctx.user, year)
        rows = [
            [c.township, f"{c.month}月", str(c.payers), f"{c.due / 100:,.2f}", f"{c.paid / 100:,.2f}",
             *(f"{v / 100:,.2f}" for v in c.shares)]
            for c in cells
        ]  # fmt: skip
        headers = ["乡镇(街道)", "月份", "单位数", "应缴", "实缴", *funds.SHARE_LABELS]
        total = sum(c.paid for c in cells)
        self.dialog = _list_dialog(
            self, "收缴汇总", headers, rows, f"{year}年实缴合计 ¥{total / 100:,.2f}（元）"
        )
        return self.dialog

    def row_brush(self, row: RecordRow) -> QBrush | None:
        paid, due = row.values.get("paid"), row.values.get("due")
        return (
            colour("#fde2e1")
            if isinstance(paid, int) and isinstance(due, int) and paid < due
            else None
        )

    def arrears(self) -> QDialog:
        today = date.today()
        month = max(today.month - 1, 1)
        lines = funds.arrears(self.ctx.db, self.ctx.user, today.year, month)
        rows = [
            [
                a.payer_name,
                a.township or "",
                a.months_text,
                f"{a.shortfall / 100:,.2f}" if a.shortfall else "",
            ]
            for a in lines
        ]
        self.dialog = _list_dialog(self, "欠缴名单", ["缴费单位", "乡镇(街道)", "未缴月份", "少缴金额（元）"], rows,
                                   f"{today.year}年1—{month}月：{len(rows)}个单位未缴或少缴。")  # fmt: skip
        return self.dialog


class FundReceiptsPane(RegisterPane):
    def extra_buttons(self) -> list[Button]:
        return [("gaps", "断号", self.gaps, "列出今年票号中缺少的号码")]

    def gaps(self) -> QDialog:
        year = date.today().year
        found = funds.fund_receipt_gaps(self.ctx.db, self.ctx.user, year)
        used, voided, paid = funds.receipt_totals(self.ctx.db, self.ctx.user, year)
        note = f"{year}年：登记 {used} 张（实缴合计 ¥{paid / 100:,.2f}），作废 {voided} 张；" + (
            f"断号 {len(found)} 处。" if found else "票号连续，没有断号。"
        )
        self.dialog = _list_dialog(
            self, "专用收据断号", ["缺少的票号"], [[g.text] for g in found], note
        )
        return self.dialog


DUES_MONTH = EntitySpec(
    "dues_month",
    "会费名单",
    (
        FieldSpec("union", "工会", required=True, max_length=200),
        FieldSpec("year", "年度", kind="int", required=True),
        FieldSpec("month", "月份", kind="int", required=True),
    ),
)


class DuesPane(RegisterPane):
    def extra_buttons(self) -> list[Button]:
        return [
            (
                "build",
                "生成月名单…",
                self.build,
                "按在册会员生成某月会费名单（工资基数沿用上月；保留会籍免缴）",
            ),
            ("printDues", "会费收缴表…", self.print_dues, "打印某工会某月的会费收缴表"),
        ]

    def row_brush(self, row: RecordRow) -> QBrush | None:
        return colour("#eeeeee") if row.values.get("waived") else None

    def _ask(self, title: str, action: Callable[[int, int, int], Any]) -> FormDialog:
        from unionsdesk.services.members.unions import find_union

        ctx = self.ctx

        def run(values: dict[str, Any]) -> Any:
            clean = DUES_MONTH.clean(values)
            return action(
                find_union(ctx.db, ctx.user, clean["union"]).id, clean["year"], clean["month"]
            )

        today = date.today()
        dialog = _StepDialog(self, title, DUES_MONTH, "工会可写全称、统一社会信用代码或编号。", run)
        dialog.form.set_values({"year": today.year, "month": today.month})
        self.dialog = dialog
        dialog.open()
        return dialog

    def build(self) -> FormDialog:
        def run(uid: int, y: int, m: int) -> Any:
            made = dues_svc.build_dues(self.ctx.db, self.ctx.user, uid, y, m)
            show_info(
                self,
                f"已生成 {made.lines} 人，免缴（保留会籍）{made.waived} 人，缺工资基数 {made.without_base} 人，合计 ¥{made.total / 100:,.2f}",
            )
            self.refresh()
            return made

        return self._ask("生成会费名单", run)

    def print_dues(self) -> FormDialog:
        def run(uid: int, y: int, m: int) -> Any:
            path = _temp("会费收缴表")
            print_jobs.dues_pdf(self.ctx.db, self.ctx.user, uid, y, m, path)
            self.preview = _preview(self, path, "会费收缴表")
            return path

        return self._ask("打印会费收缴表", run)


PAGES: tuple[tuple[str, str, type[RegisterPane]], ...] = (
    ("阵地", "sites", SitesPane),
    ("检查记录", "inspections", InspectionsPane),
    ("补助项目", "grants", GrantsPane),
    ("拨缴经费", "levies", LeviesPane),
    ("专用收据", "fund-receipts", FundReceiptsPane),
    ("会费", "dues", DuesPane),
)


def _pane(ctx: AppContext, name: str, cls: type[RegisterPane]) -> Callable[[], QWidget]:
    return lambda: cls(ctx, get(name))


class SitesTab(RegisterTabs):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, [(title, _pane(ctx, name, cls)) for title, name, cls in PAGES])

    @classmethod
    def page_titles(cls) -> list[str]:
        return [title for title, _n, _c in PAGES]
