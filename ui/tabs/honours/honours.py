"""劳模与竞赛: the honours area's registers, one sub-tab each (DOMAIN.md §4).

Everything but what is special comes from the register framework (RegisterPane):
the 劳模 view's yearly 津贴/慰问 list, the trip picker, the printed 名单/签到表 and
the offer to register the honour a contest result grants.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from unionsdesk import APP_TITLE
from unionsdesk.errors import UnionsDeskError
from unionsdesk.fields import EntitySpec, FieldSpec
from unionsdesk.registers import Record, RecordRow, get
from unionsdesk.services.common.base import WRITE
from unionsdesk.services.honours import model_workers as mw

from ...context import AppContext
from ...messages import confirm, show_error, show_info
from ...widgets.form_dialog import FormDialog
from ...widgets.register import RegisterPane, RegisterTabs, colour
from ...widgets.table import make_table
from ...workers import Job, JobControl, run_job

ALLOWANCE = EntitySpec(
    "allowance_list",
    "劳模津贴/慰问名单",
    (
        FieldSpec("year", "年度", kind="int", required=True, width=6),
        FieldSpec(
            "greeting",
            "慰问金额（元/人）",
            kind="money",
            placeholder="没有荣誉津贴的劳模发放的慰问金",
        ),
    ),
)


class AllowanceDialog(FormDialog):
    """年度津贴/慰问名单: a draft 帮扶慰问 campaign from the 劳模 view's current filters."""

    def __init__(self, pane: ModelWorkersPane) -> None:
        super().__init__(
            "生成年度劳模津贴/慰问名单",
            ALLOWANCE,
            intro=(
                "按当前筛选条件的劳模生成一项“劳模津贴/慰问”帮扶活动（草拟）：有荣誉津贴的按津贴发放，"
                "其余按下面的慰问金额。之后在“帮扶慰问”中审核、打印签收表和收据（会检查重复救助）。"
            ),
            ok_text="生成名单",
            parent=pane,
        )
        self.pane = pane
        self.form.set_values({"year": date.today().year})

    def perform(self, values: dict[str, Any]) -> mw.AllowanceResult:
        clean = ALLOWANCE.clean(values)
        filters = {k: v for k, v in self.pane.filters().items() if v is not None}
        return mw.allowance_campaign(
            self.pane.ctx.db,
            self.pane.ctx.user,
            clean["year"],
            greeting=clean["greeting"],
            filters=filters,
        )


class ModelWorkersPane(RegisterPane):
    def extra_buttons(self) -> list[tuple[str, str, Callable[[], object], str]]:
        return [
            (
                "allowance",
                "年度津贴/慰问名单…",
                self.allowance_list,
                "按当前筛选生成劳模津贴/慰问发放名单（帮扶慰问活动）",
            )
        ]

    def read_only_note(self) -> str:
        return "劳模名册由“荣誉”中的劳模、先进工作者等称号汇总而成（每人一行），修改请到“荣誉”。"

    def row_brush(self, row: RecordRow) -> QBrush | None:
        return colour("#fff4d6") if row.values.get("hardship") else None

    def allowance_list(self) -> mw.AllowanceResult | None:
        if not self.ctx.user.can(WRITE):
            show_info(self, "当前用户没有录入和修改数据的权限。", "不能生成")
            return None
        dialog = AllowanceDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        result: mw.AllowanceResult = dialog.result_value
        self.ctx.changed.emit("aid")
        notes = "\n".join(result.notes[:20])
        show_info(
            self,
            f"已生成帮扶活动“{result.campaign_name}”（草拟）：{result.added}人。\n"
            "请到“帮扶慰问”页签审核并打印签收表、收据。"
            + (f"\n\n提示：\n{notes}" if notes else ""),
            "已生成",
        )
        return result


class RosterPane(RegisterPane):
    """A child register printed as 名单 and 签到表 (存档版 or 公示版)."""

    def extra_buttons(self) -> list[tuple[str, str, Callable[[], object], str]]:
        return [
            ("people", "选择人员…", self.pick_people, "按姓名、拼音或身份证号从会员等人员中选择"),
            ("roster", "打印名单…", lambda: self.print_roster(False, False), "打印本期名单"),
            ("signin", "打印签到表…", lambda: self.print_roster(True, False), "打印签到表"),
        ]

    def __init__(self, ctx: AppContext, register: Any) -> None:
        super().__init__(ctx, register)
        for key, sign_in in (("roster", False), ("signin", True)):
            menu = QMenu(self.buttons[key])
            menu.addAction("存档版（完整身份证号）", lambda s=sign_in: self.print_roster(s, False))
            menu.addAction("公示版（身份证号打码）", lambda s=sign_in: self.print_roster(s, True))
            self.buttons[key].setMenu(menu)

    def print_roster(self, sign_in: bool, public: bool) -> Job | None:
        from ...widgets.pdf_preview import PdfPreviewDialog, temp_pdf_path

        parent_id = self.parent_id()
        if parent_id is None:
            show_info(self, "请先在上方选择。", "请选择")
            return None
        path = temp_pdf_path(self.register.name)
        what = "签到表" if sign_in else "名单"

        def work(_control: JobControl) -> int:
            return mw.print_roster(
                self.ctx.db, self.ctx.user, self.register, parent_id, path,
                public=public, sign_in=sign_in,
            )  # fmt: skip

        def done(_n: int) -> None:
            note = "公示版：身份证号已打码。" if public else "存档版：印完整身份证号，请妥善保管。"
            dialog = PdfPreviewDialog(
                path, f"{self.register.label}{what}", parent=self, delete_on_close=True, note=note
            )
            self.preview = dialog
            dialog.finished.connect(lambda _r: dialog.deleteLater())
            dialog.open()

        self.job = run_job(self, f"正在生成{what}……", work, done)
        return self.job


PICK_COLUMNS = (
    "姓名",
    "身份证号",
    "工作单位",
    "荣誉",
    "级别",
    "在职/离退休",
    "困难劳模",
    "上次疗休养",
    "提示",
)


class TripPickerDialog(QDialog):
    """劳模 for a trip: never sent or longest not sent first; overlapping trips warned."""

    def __init__(self, pane: TripMembersPane, trip_id: int) -> None:
        super().__init__(pane)
        self.pane = pane
        self.trip_id = trip_id
        self.setWindowTitle(f"{APP_TITLE} — 从劳模中挑选疗休养人员")
        self.resize(1000, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "按上次疗休养时间排序：从未参加和最久未参加的排在前面。勾选后点“加入名单”；"
                "与其他期次日期重叠的会提示。"
            )
        )
        self.table = make_table(PICK_COLUMNS)
        self.table.setObjectName("tripCandidates")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.table, 1)
        self.candidates = mw.trip_candidates(pane.ctx.db, pane.ctx.user, trip_id)
        self._fill()
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("加入名单", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.added = 0
        self.notes: list[str] = []

    def _fill(self) -> None:
        t = self.table
        t.setRowCount(len(self.candidates))
        for r, c in enumerate(self.candidates):
            hint = "已在名单中" if c.on_trip else "；".join(f"与{o}重叠" for o in c.overlaps)
            values = (
                c.name, c.id_number, c.unit, c.title, c.level, c.work_status,
                "是" if c.hardship else "", f"{c.last_trip_year}年" if c.last_trip_year else "从未参加",
                hint,
            )  # fmt: skip
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 0:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
                    if c.on_trip:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                t.setItem(r, col, item)
        t.resizeColumnsToContents()

    def check(self, rows: list[int]) -> None:
        for r in rows:
            item = self.table.item(r, 0)
            if item is not None:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[mw.TripCandidate]:
        out = []
        for r, c in enumerate(self.candidates):
            item = self.table.item(r, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked and not c.on_trip:
                out.append(c)
        return out

    def add(self, ask: bool = True) -> None:
        chosen = self.chosen()
        if not chosen:
            self.reject()
            return
        overlapping = [c.name for c in chosen if c.overlaps]
        if (
            ask
            and overlapping
            and not confirm(
                self,
                f"{'、'.join(overlapping)}与其他期次的日期重叠。仍然加入吗？",
                "日期重叠",
            )
        ):
            return
        try:
            self.added, self.notes = mw.add_trip_members(
                self.pane.ctx.db, self.pane.ctx.user, self.trip_id, [c.person_id for c in chosen]
            )
        except UnionsDeskError as exc:
            show_error(self, exc, "未加入")
            return
        self.accept()


class TripMembersPane(RosterPane):
    def extra_buttons(self) -> list[tuple[str, str, Callable[[], object], str]]:
        return [
            ("pick", "从劳模中挑选…", self.pick, "按上次疗休养时间从劳模名册中挑选"),
            *(b for b in super().extra_buttons() if b[0] != "people"),  # 劳模 only
        ]

    def row_brush(self, row: RecordRow) -> QBrush | None:
        return colour("#e8f5e9") if row.values.get("last_trip_year") is None else None

    def pick(self) -> TripPickerDialog | None:
        trip_id = self.parent_id()
        if trip_id is None:
            show_info(self, "请先在上方选择疗休养期次。", "请选择")
            return None
        try:
            dialog = TripPickerDialog(self, trip_id)
        except UnionsDeskError as exc:
            show_error(self, exc)
            return None
        self.picker = dialog
        dialog.accepted.connect(lambda: self._picked(dialog))
        dialog.open()
        return dialog

    def _picked(self, dialog: TripPickerDialog) -> None:
        self._changed()
        text = f"已加入{dialog.added}人。"
        if dialog.notes:
            text += "\n\n" + "\n".join(dialog.notes[:20])
        show_info(self, text, "已加入")


class ContestResultsPane(RegisterPane):
    def row_brush(self, row: RecordRow) -> QBrush | None:
        return colour("#fff4d6") if row.values.get("grants_title") else None

    def save(self) -> Record | None:
        record = super().save()
        if (
            record is not None
            and record.values.get("grants_title")
            and record.values.get("honour_id") is None
        ):
            self.offer_honour(record)
        return record

    def offer_honour(self, record: Record, ask: bool = True) -> int | None:
        if ask and not confirm(
            self,
            f"{record.values.get('name')}的成绩授予称号。是否同时在“荣誉”中登记这项荣誉？",
            "登记荣誉",
        ):
            return None
        try:
            honour_id = mw.honour_from_result(self.ctx.db, self.ctx.user, record.id)
        except UnionsDeskError as exc:
            show_error(self, exc, "未登记荣誉")
            return None
        self.ctx.notify(f"已在“荣誉”中登记（第{honour_id}号记录）")
        self.ctx.changed.emit("honours")
        self.show_record(record.id)
        return honour_id


PAGES: tuple[tuple[str, str, type[RegisterPane]], ...] = (
    ("荣誉", "honours", RegisterPane),
    ("劳模", "model-workers", ModelWorkersPane),
    ("疗休养", "trips", RegisterPane),
    ("疗休养人员", "trip-members", TripMembersPane),
    ("技能竞赛", "contests", RegisterPane),
    ("竞赛成绩", "contest-results", ContestResultsPane),
    ("五小", "innovations", RegisterPane),
    ("创新工作室", "studios", RegisterPane),
    ("活动", "activities", RegisterPane),
    ("活动人员", "activity-members", RosterPane),
)


def _pane(ctx: AppContext, name: str, cls: type[RegisterPane]) -> Callable[[], QWidget]:
    return lambda: cls(ctx, get(name))


class HonoursTab(RegisterTabs):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, [(title, _pane(ctx, name, cls)) for title, name, cls in PAGES])
        self.setObjectName("honoursTab")

    @classmethod
    def page_titles(cls) -> list[str]:
        return [title for title, _name, _cls in PAGES]
