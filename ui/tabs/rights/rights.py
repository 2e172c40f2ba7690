"""维权: 劳动争议调解台账, 法律援助, 三师一室, 职工意见建议 and the 调解委员会 roll
(DOMAIN.md §6), each a register of the framework.

Special here: the 15-day colouring of open cases (amber from day 12, red with
可申请仲裁 from day 15) in the list and above the form, the printed 调解申请书 and
调解协议书, overdue suggestions in red, and the office's 案号 format. The main
window shows the tab only to users with 维权查看 (the services refuse the others).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from unionsdesk.errors import UnionsDeskError
from unionsdesk.fields import EntitySpec, FieldSpec
from unionsdesk.registers import Record, RecordRow, get
from unionsdesk.services.common.base import ADMIN

from ...context import AppContext
from ...messages import show_error
from ...widgets.form import Choices
from ...widgets.form_dialog import FormDialog
from ...widgets.register import RegisterPane, RegisterTabs, colour

AMBER = "#fff1c2"
RED = "#fde2e1"
STATE_STYLE = {
    "amber": "background: #fff1c2; color: #7a5200; padding: 4px;",
    "red": "background: #fde2e1; color: #b3261e; padding: 4px; font-weight: bold;",
    "normal": "color: #333; padding: 4px;",
}

RIGHTS_SETTINGS = EntitySpec(
    "rights_settings",
    "维权设置",
    (
        FieldSpec("case_no_format", "调解案号格式", required=True, max_length=60, width=30,
                  placeholder="〔{年}〕示工调字第{号}号"),
        FieldSpec("suggestion_days", "意见建议办理期限（天）", kind="int", required=True, width=6),
    ),
)  # fmt: skip


class RightsSettingsDialog(FormDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        from unionsdesk.services.rights.disputes import get_case_format
        from unionsdesk.services.rights.registers import suggestion_days

        super().__init__(
            "维权设置", RIGHTS_SETTINGS, parent=parent,
            intro="案号格式中 {年} 是受理年度，{号} 是当年序号（三位，001 起，不重号、不跳号）。"
                  "修改只影响以后受理的案件。",
        )  # fmt: skip
        self.ctx = ctx
        self.form.set_values(
            {"case_no_format": get_case_format(ctx.db), "suggestion_days": suggestion_days(ctx.db)}
        )

    def perform(self, values: dict[str, Any]) -> Any:
        from unionsdesk.services.rights.disputes import set_case_format
        from unionsdesk.services.rights.registers import set_suggestion_days

        set_case_format(self.ctx.db, self.ctx.user, values["case_no_format"])
        return set_suggestion_days(self.ctx.db, self.ctx.user, values["suggestion_days"])


class DisputesPane(RegisterPane):
    def __init__(self, ctx: AppContext) -> None:
        self.day_label = QLabel()
        self.day_label.setObjectName("dayCount")
        self.day_label.setWordWrap(True)
        super().__init__(ctx, get("disputes"))
        panel = self.form_title.parentWidget()
        layout = panel.layout() if panel is not None else None
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(1, self.day_label)  # under the form's title
        self.day_label.hide()
        self._types_picker()

    def _types_picker(self) -> None:
        """争议类型 is a multi-select: a drop-down of check boxes beside the text (which
        can still be typed, 顿号-separated)."""
        from PySide6.QtWidgets import QLineEdit, QMenu, QStyle

        from unionsdesk.services.rights.specs import DISPUTE_TYPES

        edit = self.form.field_widget("dispute_types")
        if not isinstance(edit, QLineEdit):
            return
        menu = QMenu(edit)
        menu.setObjectName("disputeTypesMenu")
        self.type_actions = {}
        for label in DISPUTE_TYPES:
            action = menu.addAction(label)
            action.setCheckable(True)
            self.type_actions[label] = action

        def chosen() -> None:
            edit.setText("、".join(t for t in DISPUTE_TYPES if self.type_actions[t].isChecked()))

        def show() -> None:
            now = set(edit.text().replace("，", "、").replace(",", "、").split("、"))
            for label, action in self.type_actions.items():
                action.setChecked(label in now)
            menu.popup(edit.mapToGlobal(edit.rect().bottomLeft()))

        for action in self.type_actions.values():
            action.toggled.connect(lambda _on: chosen())
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        pick = edit.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        pick.setToolTip("选择争议类型（可多选）")
        pick.triggered.connect(show)
        self.types_menu = menu

    def row_brush(self, row: RecordRow) -> QBrush | None:
        state = row.values.get("state")
        if state == "red":
            return colour(RED)
        if state == "amber":
            return colour(AMBER)
        return None

    def form_choices(self) -> dict[str, Choices]:
        """The 调解委员会 roll; members whose term ended stay listed (marked) so that a
        case keeps its mediator, but the service refuses to assign them anew."""
        from datetime import date

        mediators = get("mediators")
        try:
            ids = mediators.search_ids(self.ctx.db, self.ctx.user)
            rows = mediators.fetch_rows(
                self.ctx.db, self.ctx.user, ids, ("name", "role", "term_end")
            )
        except UnionsDeskError:
            return {}
        today = date.today()
        serving = sorted(
            {(r.values["name"], r.values["role"]) for r in rows if r.values["term_end"] >= today}
        )
        ended = sorted({r.values["name"] for r in rows} - {n for n, _r in serving})
        return {
            "mediator": [(n, f"{n}（{role}）") for n, role in serving]
            + [(n, f"{n}（任期已满）") for n in ended]
        }

    def extra_buttons(self) -> list[tuple[str, str, Callable[[], object], str]]:
        out: list[tuple[str, str, Callable[[], object], str]] = [
            ("request", "调解申请书…", self.print_request, "打印选中案件的调解申请书（口头申请当场记录后由申请人签字）"),
            ("agreement", "调解协议书…", self.print_agreement, "打印选中案件的调解协议书（达成协议的案件）"),
        ]  # fmt: skip
        if self.ctx.user.can(ADMIN):
            out.append(
                ("settings", "案号格式…", self.edit_settings, "调解案号格式和意见建议办理期限")
            )
        return out

    def record_shown(self, record: Record | None) -> None:
        if record is None:
            self.day_label.hide()
            return
        row = self.register.fetch_rows(self.ctx.db, self.ctx.user, [record.id], ("received_on",))
        if not row:
            return
        v = row[0].values
        state = v["state"]
        if state == "closed":
            text = f"{v['status']}：受理后第{v['days']}天结案"
        elif state == "red":
            text = f"已受理{v['days']}天（超过15天未达成协议）：当事人可申请仲裁"
        elif state == "amber":
            text = f"已受理{v['days']}天：第15天起当事人可申请仲裁，请抓紧调解"
        else:
            text = f"已受理{v['days']}天（15天内应调解结束）"
        self.day_label.setText(text)
        self.day_label.setStyleSheet(STATE_STYLE.get(state, STATE_STYLE["normal"]))
        self.day_label.show()

    def save(self) -> Record | None:
        """Closing a case with 达成协议 opens its 调解协议书 for printing."""
        agreed_before = self.current is not None and self.current.values.get("result") == "达成协议"
        record = super().save()
        if record is not None and record.values.get("result") == "达成协议" and not agreed_before:
            self.print_agreement()
        return record

    def _print(self, kind: str) -> None:
        from unionsdesk.services.rights import forms

        from ...widgets.pdf_preview import PdfPreviewDialog, temp_pdf_path

        if self.current is None:
            self.ctx.notify("请先在列表中选中一个案件")
            return
        case_no = str(self.current.values.get("case_no") or "")
        path = temp_pdf_path(f"mediation-{kind}")
        title = "调解协议书" if kind == "agreement" else "调解申请书"
        try:
            if kind == "agreement":
                forms.print_mediation_agreement(self.ctx.db, self.ctx.user, case_no, path)
            else:
                forms.print_mediation_request(self.ctx.db, self.ctx.user, case_no, path)
        except UnionsDeskError as exc:
            show_error(self, exc, f"无法打印{title}")
            return
        dialog = PdfPreviewDialog(path, f"{title} {case_no}", parent=self, delete_on_close=True)
        self.preview = dialog
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def print_request(self) -> None:
        self._print("request")

    def print_agreement(self) -> None:
        self._print("agreement")

    def edit_settings(self) -> None:
        if RightsSettingsDialog(self.ctx, self).exec():
            self.ctx.notify("已保存维权设置")
            self.refresh()


class SuggestionsPane(RegisterPane):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, get("suggestions"))

    def row_brush(self, row: RecordRow) -> QBrush | None:
        return colour(RED) if row.values.get("late") else None


class MediatorsPane(RegisterPane):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, get("mediators"))

    def row_brush(self, row: RecordRow) -> QBrush | None:
        return colour("#eeeeee") if row.values.get("serving") == "已期满" else None


def _pane(name: str) -> Callable[[AppContext], QWidget]:
    def make(ctx: AppContext) -> QWidget:
        return RegisterPane(ctx, get(name))

    return make


PAGES: list[tuple[str, Callable[[AppContext], QWidget]]] = [
    ("劳动争议调解", DisputesPane),
    ("法律援助", _pane("legal-aid")),
    ("三师一室", _pane("service-days")),
    ("意见建议", SuggestionsPane),
    ("调解委员会", MediatorsPane),
]


class RightsTab(RegisterTabs):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, [(title, partial(f, ctx)) for title, f in PAGES])

    @classmethod
    def page_titles(cls) -> list[str]:
        return [t for t, _f in PAGES]

    def open_case(self, record_id: int) -> None:
        """Show one case (the 首页 reminder list opens it here)."""
        self.open_page("劳动争议调解")
        pane = self.page(0)
        assert isinstance(pane, DisputesPane)
        pane.show_record(record_id)
