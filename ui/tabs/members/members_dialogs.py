"""会员 tab dialogs: 转会, 变更状态, 履历.

The steps of 导入花名册 are in `ui.widgets.excel_import` (shared with the
困难职工 and 帮扶慰问 tabs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.fields import EntitySpec, FieldSpec
from unionsdesk.services.members import members as members_svc
from unionsdesk.services.members.members import HistoryEvent, MemberDetail
from unionsdesk.services.members.unions import UnionRow

from ...context import AppContext
from ...widgets.form_dialog import FormDialog
from ...widgets.table import fill_table, make_table
from ...widgets.union_picker import decorate, make_searchable, union_choices

TRANSFER = EntitySpec(
    "transfer",
    "转会",
    (
        FieldSpec("union", "转入工会", required=True),
        FieldSpec("on", "转会日期", kind="date", required=True),
        FieldSpec("reason", "转会原因", max_length=200, placeholder="如 工作调动"),
    ),
)
STATUS_CHANGE = EntitySpec(
    "member_status_change",
    "变更会员状态",
    (
        FieldSpec("status", "新状态", kind="code", required=True),
        FieldSpec("on", "变更日期", kind="date", required=True),
        FieldSpec("reason", "原因", max_length=200, placeholder="退会、自动退会和开除会籍须填写"),
    ),
)


def who(detail: MemberDetail) -> str:
    return f"{detail.values.get('name') or ''}（现在“{detail.union_name}”）"


class TransferDialog(FormDialog):
    """转会: the member leaves one union and joins another; both records are kept."""

    def __init__(
        self,
        ctx: AppContext,
        detail: MemberDetail,
        unions: Sequence[tuple[UnionRow, int]],
        parent: QWidget | None = None,
    ) -> None:
        targets = [(u, d) for u, d in unions if u.status == "正常" and u.id != detail.union_id]
        super().__init__(
            "转会",
            TRANSFER,
            choices={"union": union_choices(targets)},
            intro=f"为 {who(detail)} 办理转会。原工会的记录会保留为“转出”。",
            ok_text="办理转会",
            parent=parent,
        )
        self.ctx = ctx
        self.detail = detail
        combo = self.union_combo
        combo.setItemText(0, "（请选择转入工会）")
        decorate(combo, targets, first=1)
        make_searchable(combo)
        combo.setCurrentIndex(0)
        self.form.set_values({"on": date.today()})
        self.setMinimumWidth(560)

    @property
    def union_combo(self) -> Any:
        return self.form.field_widget("union")

    def choose(self, union_id: int, on: date | str, reason: str = "") -> None:
        """Fill the dialog (for the keyboard-free path and tests)."""
        combo = self.union_combo
        combo.setCurrentIndex(combo.findData(union_id))
        self.form.set_values({"on": on, "reason": reason})

    def perform(self, values: dict[str, Any]) -> MemberDetail:
        clean = TRANSFER.clean(values)
        return members_svc.transfer_member(
            self.ctx.db,
            self.ctx.user,
            self.detail.membership_id,
            int(clean["union"]),
            clean["on"],
            clean["reason"] or "",
        )


class StatusDialog(FormDialog):
    """保留会籍 / 退会 / 视为自动退会 / 开除会籍, or back to 在册."""

    def __init__(
        self,
        ctx: AppContext,
        detail: MemberDetail,
        status_labels: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        current = detail.values.get("status")
        offered = [
            (code, label)
            for code, label in status_labels.items()
            if code in members_svc.STATUS_EVENT and code != current
        ]
        now = status_labels.get(str(current), str(current or ""))
        super().__init__(
            "变更会员状态",
            STATUS_CHANGE,
            choices={"status": offered},
            intro=f"{who(detail)}当前状态：{now}。转到其他工会请用“转会”。",
            parent=parent,
        )
        self.ctx = ctx
        self.detail = detail
        self.form.set_values({"on": date.today()})

    def choose(self, status: str, on: date | str, reason: str = "") -> None:
        self.form.set_values({"status": status, "on": on, "reason": reason})

    def perform(self, values: dict[str, Any]) -> MemberDetail:
        clean = STATUS_CHANGE.clean(values)
        return members_svc.change_member_status(
            self.ctx.db,
            self.ctx.user,
            self.detail.membership_id,
            clean["status"],
            clean["on"],
            clean["reason"] or "",
        )


class HistoryDialog(QDialog):
    """履历: every 入会/转入/转出/保留/退会 of one person, oldest first."""

    def __init__(
        self,
        name: str,
        events: Sequence[HistoryEvent],
        change_labels: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — {name}的会籍履历")
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{name}的会籍变化（共{len(events)}条，按时间先后）："))
        self.table = make_table(["日期", "变化", "工会", "对方工会", "原因", "经办人"])
        self.table.setObjectName("historyTable")
        fill_table(
            self.table,
            [
                (
                    f"{e.on:%Y-%m-%d}",
                    change_labels.get(e.kind, e.kind),
                    e.union_name,
                    e.other_union_name or "",
                    e.reason or "",
                    e.by or "",
                )
                for e in events
            ],
        )
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
