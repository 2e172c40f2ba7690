"""帮扶慰问 tab against the demo county (four campaigns of this year, two paid)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
)
from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.domain.idcard import check_char
from unionsdesk.fields import PAYOUT, EntitySpec
from unionsdesk.services.aid import campaigns, hardship, receipts
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.ui.context import AppContext
from unionsdesk.ui.tabs.aid import campaigns as campaigns_tab
from unionsdesk.ui.tabs.aid.campaigns import AddPayoutDialog, CampaignsTab, totals_text
from unionsdesk.ui.widgets.excel_import import ImportPreviewDialog, ImportResultDialog
from unionsdesk.ui.widgets.pdf_preview import PdfPreviewDialog

YEAR = date.today().year


def make_id(birth: str, seq: str, area: str = "360830") -> str:
    first = area + birth + seq
    return first + check_char(first)


@pytest.fixture(autouse=True)
def _yes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every 请确认 question is answered 确定 (confirm() would block the test)."""
    monkeypatch.setattr(campaigns_tab, "confirm", lambda *a, **k: True)


@pytest.fixture
def make_tab(qtbot: QtBot, demo_db: Database) -> Callable[[CurrentUser], CampaignsTab]:
    def make(user: CurrentUser) -> CampaignsTab:
        tab = CampaignsTab(AppContext(demo_db, user))
        qtbot.addWidget(tab)
        tab.resize(1280, 760)
        tab.show()
        return tab

    return make


def by_status(tab: CampaignsTab, status: str) -> campaigns.CampaignRow:
    return next(c for c in tab.campaigns if c.status == status)


def create_campaign(
    tab: CampaignsTab, name: str = "困难职工临时救助", budget: str = "50000"
) -> None:
    tab.new_campaign(ask=False)
    form = tab.form
    for field, text in (("name", name), ("year", str(YEAR)), ("budget", budget)):
        edit = form.field_widget(field)
        assert isinstance(edit, QLineEdit)
        edit.setText(text)
        edit.editingFinished.emit()
    kind = form.field_widget("kind")
    assert isinstance(kind, QComboBox)
    kind.setCurrentIndex(kind.findData("06"))  # 日常慰问
    table = tab.standards.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        "深度困难",
        "相对困难",
        "意外致困",
    ]
    table.item(0, 1).setText("1000")
    table.item(1, 1).setText("600")
    tab.save()


def test_create_campaign_with_standards(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    shown: Any,
) -> None:
    tab = make_tab(admin_user)
    assert tab.list_table.rowCount() == 4 and tab.current is not None  # the newest is open
    create_campaign(tab)
    assert shown.boxes == []
    c = tab.current
    assert c is not None and c.name == "困难职工临时救助" and c.status == "草拟"
    assert c.standards == {"深度困难": 100000, "相对困难": 60000}  # blank amount: no standard
    assert c.budget == 5000000 and c.kind == "06"
    assert tab.list_table.rowCount() == 5
    assert tab.pages.isTabEnabled(0) and tab.add_button.isEnabled()
    assert "草拟" in tab.title_label.text()
    assert tab.totals_label.text() == "合计 0 人 ¥0.00 / 预算 ¥50,000.00 / 剩余 ¥50,000.00"
    assert tab.submit_button.isEnabled() and not tab.pay_button.isEnabled()
    assert not tab.signoff_button.isEnabled() and not tab.receipt_button.isEnabled()


def test_bad_standard_is_marked(
    make_tab: Callable[[CurrentUser], CampaignsTab], admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    tab.new_campaign(ask=False)
    tab.standards.table.item(0, 1).setText("一千")
    tab.save()
    assert (
        tab.standards.error_label.isVisibleTo(tab)
        and "深度困难" in tab.standards.error_label.text()
    )
    assert "必须填写" in tab.form.error_text("name")


def add_via_dialog(tab: CampaignsTab, values: dict[str, Any]) -> AddPayoutDialog:
    """Press 添加… and fill the dialog once it is up (exec() blocks until then)."""
    seen: list[AddPayoutDialog] = []

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, AddPayoutDialog):
            QTimer.singleShot(10, drive)
            return
        seen.append(modal)
        modal.fill(values)
        if not modal.try_accept():
            modal.reject()

    QTimer.singleShot(10, drive)
    tab.add_button.click()
    return seen[0]


def test_add_line_warns_of_double_aid(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    shown: Any,
) -> None:
    tab = make_tab(admin_user)
    paid = by_status(tab, "已发放")
    someone = campaigns.list_payouts(demo_db, admin_user, paid.id)[0]
    create_campaign(tab)
    add_via_dialog(tab, {"name": someone.name, "id_number": someone.id_number,
                         "category": "深度困难", "amount": "1000"})  # fmt: skip
    assert len(tab.payouts) == 1 and tab.payouts[0].name == someone.name
    assert tab.payouts[0].union_id == someone.union_id  # found from the file / membership
    warnings = [t for k, title, t in shown.boxes if k == "warning" and "重复救助" in title]
    assert warnings and "重复救助提示" in warnings[0] and paid.name in warnings[0]
    assert tab.totals_label.text() == "合计 1 人 ¥1,000.00 / 预算 ¥50,000.00 / 剩余 ¥49,000.00"
    table = tab.list_table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "困难职工临时救助")
    assert tab.list_table.item(row, 3).text() == "1"

    # the same person again: refused in the dialog, which stays open with the reason
    shown.boxes.clear()
    dialog = tab.add_dialog()
    assert dialog is not None
    dialog.fill({"name": someone.name, "id_number": someone.id_number, "amount": "1000"})
    assert not dialog.try_accept()
    assert "重复发放" in dialog.form.error_text("id_number")

    # an amount off the standard needs a reason
    other = make_id("19800303", "515")
    dialog = tab.add_dialog()
    assert dialog is not None
    dialog.fill({"name": "标准外", "id_number": other, "category": "深度困难", "amount": "1500"})
    assert not dialog.try_accept()
    assert "超标准原因" in dialog.form.error_text("override_reason")


def test_category_fills_the_standard_amount(
    make_tab: Callable[[CurrentUser], CampaignsTab], admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    create_campaign(tab)
    dialog = tab.add_dialog()
    assert dialog is not None
    combo = dialog.form.field_widget("category")
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("相对困难"))
    combo.activated.emit(combo.currentIndex())
    assert dialog.form.values()["amount"] == "600.00"
    combo.setCurrentIndex(combo.findData("深度困难"))
    combo.activated.emit(combo.currentIndex())
    assert dialog.form.values()["amount"] == "1000.00"
    assert dialog.form.values()["reason"] == "困难职工临时救助"


def test_pick_from_hardship_files(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    shown: Any,
) -> None:
    tab = make_tab(admin_user)
    create_campaign(tab, budget="1500")
    dialog = tab.pick_dialog()
    assert dialog is not None
    files = hardship.list_files(demo_db, admin_user)
    assert dialog.table.rowCount() == len(files)
    labels = {"01": "深度困难", "02": "相对困难", "03": "意外致困"}
    deep = [f for f in files if f.category == "01"][:2]
    relative = [f for f in files if f.category == "02"][:1]
    accident = [f for f in files if f.category == "03"][:1]
    chosen = deep + relative + accident
    dialog.check_ids([f.id for f in chosen])
    assert dialog.checked == {f.id for f in chosen}
    assert deep and relative and accident  # the demo county has every category
    assert f"已选 {len(chosen)} 户" in dialog.summary.text()
    # the category filter keeps the ticks of rows it hides
    dialog.category_box.setCurrentIndex(dialog.category_box.findData("02"))
    assert all(labels[r.category] == "相对困难" for r in dialog.rows)
    assert dialog.checked == {f.id for f in chosen}
    assert dialog.try_accept()
    added, notes = dialog.outcome or (0, [])
    tab.after_pick(added, notes)
    expected = [f for f in chosen if f.category in ("01", "02")]
    assert added == len(expected) == len(tab.payouts)
    assert {p.name for p in tab.payouts} == {f.name for f in expected}
    assert sum(p.amount for p in tab.payouts) == 100000 * len(deep) + 60000 * len(relative)
    info = shown.texts("information")[-1]
    assert "没有“意外致困”的发放标准" in info
    # over budget (1 500 元): the totals turn red
    assert tab.current is not None
    text, over = totals_text(tab.current)
    assert over and tab.totals_label.text() == text and "超出预算" in text
    assert "#c62828" in tab.totals_label.styleSheet()
    # people already in the list can no longer be ticked
    again = tab.pick_dialog()
    assert again is not None
    present = [
        r for r in range(again.table.rowCount()) if again.table.item(r, 0).text() == "已在名单"
    ]
    assert len(present) == added


def test_remove_line_needs_a_reason(
    make_tab: Callable[[CurrentUser], CampaignsTab], demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    draft = by_status(tab, "草拟")
    tab.select_campaign(draft.id)
    count = len(tab.payouts)
    first = tab.payouts[0]
    tab.select_lines([first.id])
    assert tab.remove_button.isEnabled()
    dialog = tab.remove_dialog()
    assert dialog is not None
    assert not dialog.try_accept()
    dialog.form.set_values({"reason": "不符合条件"})
    assert dialog.try_accept() and dialog.result_value == 1
    tab.reload_lines()
    assert len(tab.payouts) == count - 1 and first.id not in {p.id for p in tab.payouts}


def test_status_buttons_follow_the_workflow(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    login_as: Callable[[Database, str], CurrentUser],
    shown: Any,
) -> None:
    clerk = login_as(demo_db, "jingban")
    tab = make_tab(clerk)
    draft = by_status(tab, "草拟")
    tab.select_campaign(draft.id)
    assert tab.submit_button.isEnabled() and not tab.pay_button.isEnabled()
    tab.submit_button.click()
    assert tab.current is not None and tab.current.status == "审核"
    assert tab.back_button.isEnabled() and not tab.pay_button.isEnabled()  # a clerk cannot pay
    assert tab.signoff_button.isEnabled()
    # in 审核 the list is fixed and no receipt is issued before 确认发放
    for b in (tab.add_button, tab.pick_button, tab.import_button, tab.receipt_button):
        assert not b.isEnabled(), b.text()
    assert "确认发放后" in tab.receipt_button.toolTip()

    reviewer = login_as(demo_db, "shenhe")
    rtab = make_tab(reviewer)
    rtab.select_campaign(draft.id)
    assert rtab.pay_button.isEnabled() and not rtab.add_button.isEnabled()
    # the reviewer can always send it back, with a reason
    assert rtab.back_button.isEnabled()
    back = rtab.back_dialog()
    assert back is not None and not back.try_accept()  # the reason is required
    back.form.set_values({"reason": "批准文号待核"})
    assert back.try_accept()
    assert (
        campaigns.set_campaign_status(
            demo_db, reviewer, draft.id, "草拟", reason=back.result_value
        ).status
        == "草拟"
    )
    tab.reload_lines()
    tab.submit_button.click()
    rtab.select_campaign(draft.id)
    assert rtab.current is not None and rtab.current.status == "审核"
    rtab.pay_button.click()
    assert rtab.current is not None and rtab.current.status == "已发放"
    assert rtab.archive_button.isEnabled()
    assert not rtab.save_button.isEnabled()
    rtab.archive_button.click()
    assert campaigns.get_campaign(demo_db, reviewer, draft.id).status == "归档"


def test_submitting_without_approval_number_is_refused(
    make_tab: Callable[[CurrentUser], CampaignsTab], admin_user: CurrentUser, shown: Any
) -> None:
    tab = make_tab(admin_user)
    create_campaign(tab)
    add_via_dialog(
        tab, {"name": "无文号", "id_number": make_id("19810404", "517"), "amount": "200"}
    )
    shown.boxes.clear()
    tab.submit_button.click()  # 提交审核 checks what 确认发放 will need
    assert tab.current is not None and tab.current.status == "草拟"
    assert any("批准文号" in t for t in shown.texts("critical"))
    assert tab.pages.currentIndex() == 1 and "批准文号" in tab.form.error_text("approval_ref")


def test_summary_tables_and_excel_export(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    admin_user: CurrentUser,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    tab = make_tab(admin_user)
    paid = by_status(tab, "已发放")
    tab.select_campaign(paid.id)
    dialog = tab.summary_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.pages.count() == 4
    assert [dialog.pages.tabText(i) for i in range(4)] == [
        "按乡镇/产业",
        "按基层工会",
        "按类别",
        "按发放形式",
    ]
    for view in dialog.views:
        last = view.rowCount() - 1
        assert view.item(last, 0).text() == "合计"
        people = sum(int(view.item(r, 1).text()) for r in range(last))
        assert people == paid.lines == int(view.item(last, 1).text())
        assert view.item(last, 2).text() == f"{paid.total // 100:,}.{paid.total % 100:02d}"
    target = tmp_path / "汇总.xlsx"
    job = dialog.export_excel(target)
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=20000)
    assert job.error is None and target.is_file()
    assert len(openpyxl.load_workbook(target).sheetnames) == 4


def test_signoff_sheet_preview(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
) -> None:
    tab = make_tab(admin_user)
    paid = by_status(tab, "已发放")
    tab.select_campaign(paid.id)
    dialog = tab.signoff_dialog()
    assert dialog is not None
    assert dialog.union_box.count() > 1  # 全部 + the unions with lines (and above them)
    union_id = tab.payouts[0].union_id
    assert dialog.union_box.set_union_id(union_id)
    dialog.public_box.setChecked(True)
    job = tab.start_signoff(dialog.union_id(), dialog.public(), dialog.scope_name())
    assert job is not None
    qtbot.waitUntil(lambda: tab.preview is not None, timeout=20000)
    preview = tab.preview
    assert isinstance(preview, PdfPreviewDialog) and preview.loaded and preview.page_count() >= 1
    assert "发放公示" in preview.title and "身份证号已打码" in preview.note_label.text()
    path = preview.path
    preview.reject()
    assert not path.exists()


def test_issue_and_print_receipts_records_after_saving(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    tab = make_tab(admin_user)
    draft = by_status(tab, "草拟")
    campaigns.set_campaign_status(demo_db, admin_user, draft.id, "审核")
    campaigns.set_campaign_status(demo_db, admin_user, draft.id, "已发放")
    tab.select_campaign(draft.id)
    lines = [p.id for p in tab.payouts[:2]]  # the small demo's draft has two lines
    tab.select_lines(lines)
    assert set(tab.selected_line_ids()) == set(lines)
    job = tab.issue_and_print(ask=False)
    assert job is not None
    qtbot.waitUntil(lambda: tab.preview is not None, timeout=20000)
    preview = tab.preview
    assert preview is not None and preview.page_count() == len(lines) == 2
    numbered = [p for p in tab.payouts if p.id in set(lines)]
    assert all(p.receipt_no for p in numbered)  # issued before the preview
    ids = receipts.receipts_for_campaign(demo_db, admin_user, draft.id)
    infos = receipts.receipt_infos(demo_db, admin_user, ids, show_id=True)
    assert [i.print_count for i in infos] == [0, 0]
    assert preview.save_as(tmp_path / "收据.pdf") is not None
    assert preview.save_as(tmp_path / "收据2.pdf") is not None  # counted once per preview
    infos = receipts.receipt_infos(demo_db, admin_user, ids, show_id=True)
    assert [i.print_count for i in infos] == [1, 1]
    preview.reject()


def test_readonly_user_sees_but_cannot_change(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    login_as: Callable[[Database, str], CurrentUser],
) -> None:
    tab = make_tab(login_as(demo_db, "chaxun"))
    assert tab.current is not None and tab.payouts
    assert "*" in tab.payouts[0].id_number and "*" in tab.lines_table.item(0, 1).text()
    for b in (tab.new_button, tab.add_button, tab.pick_button, tab.submit_button, tab.save_button,
              tab.signoff_button, tab.receipt_button, tab.import_button):  # fmt: skip
        assert not b.isEnabled(), b.text()
    assert tab.summary_button.isEnabled()


def test_line_table_matches_service(
    make_tab: Callable[[CurrentUser], CampaignsTab], demo_db: Database, admin_user: CurrentUser
) -> None:
    tab = make_tab(admin_user)
    paid = by_status(tab, "已发放")
    tab.select_campaign(paid.id)
    lines = campaigns.list_payouts(demo_db, admin_user, paid.id)
    assert tab.lines_table.rowCount() == len(lines) == paid.lines
    first: QTableWidgetItem = tab.lines_table.item(0, 7)
    assert first.text() == (lines[0].receipt_no or "")
    with_receipts = sum(1 for p in lines if p.receipt_no)
    assert f"已开收据 {with_receipts} 行" in tab.lines_hint.text()
    assert "名单不能再修改" in tab.lines_hint.text()


# -- 导入发放明细 -------------------------------------------------------------------------


def payout_sheet(path: Path, *, bad: bool) -> list[str]:
    """A township's list as it arrives: a title row, the header, the lines, 合计."""
    ids = [make_id("19810101", f"{n:03d}") for n in (771, 772, 773)]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["慰问金发放名单"])
    ws.append(["序号", "姓 名", "身份证号码", "困难类别", "发放金额", "发放方式", "超标准原因"])
    ws.append([1, "赵导甲", ids[0], "深度困难", "1,000", "现金", None])
    ws.append([2, "赵导乙", ids[1], "相对困难", 600, "银行转账", None])
    ws.append([3, "赵导丙", ids[2], None, "350.50", None, None])
    if bad:
        ws.append([4, "赵导丁", make_id("19810101", "774"), "深度困难", 0, None, None])
    ws.append(["合计"])
    wb.save(path)
    return ids


def import_through_button(
    tab: CampaignsTab,
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    pick: dict[int, str | None] | None = None,
    labels: list[str] | None = None,
) -> ImportResultDialog:
    """Press 导入发放明细…, choose ``path``; in the preview pick a field for the
    columns of ``pick`` (None: 不导入) and press 开始导入. ``labels`` gets the
    texts of the preview's labels."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(path), "")))
    seen: list[tuple[EntitySpec, list[str]]] = []

    def drive() -> None:
        modal = QApplication.activeModalWidget()
        if not isinstance(modal, ImportPreviewDialog) or modal.preview is None:
            QTimer.singleShot(10, drive)
            return
        for column, field in (pick or {}).items():
            combo = modal.table.combo(column)
            index = combo.findData(field) if field is not None else 0
            combo.setCurrentIndex(index)
            combo.activated.emit(index)
        seen.append((modal.spec, modal.problems()))
        if labels is not None:
            labels.extend(label.text() for label in modal.findChildren(QLabel))
        if modal.ok_button.isEnabled():
            modal.ok_button.click()
        else:
            modal.reject()

    QTimer.singleShot(10, drive)
    tab.import_button.click()
    assert seen == [(PAYOUT, [])]  # the preview was shown and nothing stopped the import
    job = tab.excel_import.job
    assert job is not None
    qtbot.waitUntil(
        lambda: not job.running and tab.excel_import.result_dialog is not None, timeout=10000
    )
    dialog = tab.excel_import.result_dialog
    assert isinstance(dialog, ImportResultDialog)
    return dialog


def test_import_payout_lines_into_the_open_campaign(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = make_tab(admin_user)
    paid = by_status(tab, "已发放")
    tab.select_campaign(paid.id)
    assert not tab.import_button.isEnabled()  # a paid campaign's list is closed
    create_campaign(tab)
    c = tab.current
    assert c is not None and c.status == "草拟" and tab.import_button.isEnabled()
    broadcast: list[str] = []
    tab.ctx.changed.connect(broadcast.append)
    path = tmp_path / "城关镇发放名单.xlsx"
    ids = payout_sheet(path, bad=False)

    labels: list[str] = []
    dialog = import_through_button(tab, path, monkeypatch, qtbot, labels=labels)
    assert f"“{c.name}”的发放名单" in labels  # 导入到
    assert dialog.headline.text() == "已导入 3 行发放明细。"
    summary = dialog.summary.toPlainText()
    assert "导入：3行" in summary and "1,950.50" in summary
    assert not dialog.save_errors_button.isVisible() and not dialog.import_valid_button.isVisible()
    dialog.accept()
    lines = {p.id_number: p for p in campaigns.list_payouts(demo_db, admin_user, c.id)}
    assert set(lines) == set(ids)
    assert lines[ids[0]].amount == 100000 and lines[ids[1]].form == "银行转账"
    assert lines[ids[2]].amount == 35050 and lines[ids[2]].category is None
    # the list, the totals and the campaign list follow; other tabs are told
    assert tab.lines_table.rowCount() == 3
    assert {tab.lines_table.item(r, 0).text() for r in range(3)} == {"赵导甲", "赵导乙", "赵导丙"}
    assert tab.totals_label.text().startswith("合计 3 人 ¥1,950.50")
    row = next(r for r in range(tab.list_table.rowCount())
               if tab.list_table.item(r, 0).text() == c.name)  # fmt: skip
    assert tab.list_table.item(row, 3).text() == "3"
    assert broadcast == ["campaigns"]


def test_import_payouts_with_a_bad_row_writes_nothing(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Any,
) -> None:
    tab = make_tab(admin_user)
    create_campaign(tab)
    c = tab.current
    assert c is not None
    path = tmp_path / "名单.xlsx"
    payout_sheet(path, bad=True)

    dialog = import_through_button(tab, path, monkeypatch, qtbot)
    first = tab.excel_import.job
    assert campaigns.list_payouts(demo_db, admin_user, c.id) == []  # all or nothing
    assert tab.lines_table.rowCount() == 0
    assert "没有写入" in dialog.headline.text()
    assert "有错误的行：1" in dialog.summary.toPlainText()
    assert dialog.save_errors_button.isVisible()
    assert dialog.import_valid_button.text() == "只导入正确的行（3行）"

    errors = tmp_path / "错误清单.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(errors), "")))
    dialog.save_errors_button.click()
    assert errors.is_file() and any("发放名单" in t for t in shown.texts("information"))
    rows = list(openpyxl.load_workbook(errors).worksheets[0].iter_rows(values_only=True))
    assert any(r[0] == 6 for r in rows)  # the original row number of 赵导丁

    dialog.import_valid_button.click()  # 只导入正确的行
    second = tab.excel_import.job
    assert second is not None and second is not first
    qtbot.waitUntil(
        lambda: not second.running and tab.excel_import.result_dialog is not None, timeout=10000
    )
    assert len(campaigns.list_payouts(demo_db, admin_user, c.id)) == 3
    assert tab.lines_table.rowCount() == 3


def test_import_payouts_reads_the_columns_chosen_in_the_preview(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tab = make_tab(admin_user)
    create_campaign(tab)
    c = tab.current
    assert c is not None
    ids = [make_id("19820303", f"{n:03d}") for n in (781, 782)]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(
        ["序号", "姓名", "身份证号码", "困难类别", "补助款", "备注"]
    )  # 补助款: not a known name
    ws.append([1, "孙导甲", ids[0], "深度困难", 1000, "发放金额见补助款列"])
    ws.append([2, "孙导乙", ids[1], "相对困难", 600, None])
    path = tmp_path / "补助名单.xlsx"
    wb.save(path)

    dialog = import_through_button(tab, path, monkeypatch, qtbot, pick={4: "amount"})
    assert dialog.headline.text() == "已导入 2 行发放明细。"
    dialog.accept()
    lines = {p.id_number: p.amount for p in campaigns.list_payouts(demo_db, admin_user, c.id)}
    assert lines == {ids[0]: 100000, ids[1]: 60000}


def test_enter_in_the_pick_dialog_searches_and_never_accepts(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
) -> None:
    """Enter in 查找, in the 工会 filter or on any other control of a dialog with a
    search box adds nobody; the OK button or Ctrl+Enter does."""
    tab = make_tab(admin_user)
    create_campaign(tab)
    dialogs = [tab.pick_dialog(), tab.signoff_dialog()]
    pick = dialogs[0]
    assert pick is not None
    pick.show()
    files = hardship.list_files(demo_db, admin_user)
    pick.check_ids([files[0].id])
    for dialog in dialogs:
        assert dialog is not None
        qtbot.addWidget(dialog)
        dialog.show()
        boxes = dialog.findChildren(QLineEdit) + dialog.findChildren(QComboBox)
        assert boxes
        for box in boxes:
            if not box.isVisible() or not box.isEnabled():
                continue
            box.setFocus()
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                qtbot.keyClick(box, key)
                assert dialog.isVisible() and dialog.result() == 0, (box.objectName(), key)
    assert campaigns.list_payouts(demo_db, admin_user, tab.current.id if tab.current else 0) == []
    pick.search_edit.setText(files[0].name)
    qtbot.keyClick(pick.search_edit, Qt.Key.Key_Return)  # searches at once
    assert pick.rows and all(files[0].name in r.name for r in pick.rows)
    qtbot.keyClick(pick.search_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert pick.outcome is not None and pick.outcome[0] == 1  # Ctrl+Enter accepts


def test_pick_summary_counts_what_will_be_added_and_refuses_unreviewed(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    demo_db: Database,
    admin_user: CurrentUser,
    qtbot: QtBot,
) -> None:
    tab = make_tab(admin_user)
    create_campaign(tab)  # standards: 深度困难 1 000, 相对困难 600, 意外致困 none
    files = hardship.list_files(demo_db, admin_user)
    deep = [f for f in files if f.category == "01"][:2]
    relative = [f for f in files if f.category == "02"][:1]
    accident = [f for f in files if f.category == "03"][:1]
    pending = hardship.save_file(
        demo_db, admin_user,
        {"name": "待审甲", "id_number": make_id("19700101", "771"), "union": files[0].union_name,
         "category": "深度困难", "main_reason": "患重特大疾病", "household_size": 2,
         "household_income": "9000", "filed_on": date.today().isoformat()},
    ).row  # fmt: skip
    dialog = tab.pick_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    row = next(r for r in range(dialog.table.rowCount())
               if dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == pending.id)  # fmt: skip
    check = dialog.table.item(row, 0)
    assert check.text() == "未审核" and "审核通过后才能发放" in check.toolTip()
    assert dialog.table.item(row, 8).text() == "待审核"
    assert not check.flags() & Qt.ItemFlag.ItemIsUserCheckable
    dialog.check_ids([pending.id])
    assert pending.id not in dialog.checked
    dialog.check_ids([f.id for f in deep + relative + accident])
    # a filter hides some ticked rows: the summary still counts every tick
    dialog.category_box.setCurrentIndex(dialog.category_box.findData("02"))
    text = dialog.summary.text()
    assert "已选 4 户" in text and "将加入 3 户" in text and "¥2,600.00" in text
    assert "1 户的类别没有标准" in text and "3 户不在当前筛选结果中" in text
    assert dialog.try_accept() and dialog.outcome is not None and dialog.outcome[0] == 3


def test_export_lines_and_bank_file_from_the_tab(
    make_tab: Callable[[CurrentUser], CampaignsTab],
    admin_user: CurrentUser,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    tab = make_tab(admin_user)
    paid = max((c for c in tab.campaigns if c.status == "已发放"), key=lambda c: c.lines)
    tab.select_campaign(paid.id)
    assert tab.export_button.isEnabled() and tab.bank_button.isEnabled()
    job = tab.export_lines(tmp_path / "明细.xlsx")
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=20000)
    rows = list(
        openpyxl.load_workbook(tmp_path / "明细.xlsx").worksheets[0].iter_rows(values_only=True)
    )
    assert sum(1 for r in rows[3:] if r[0] and r[0] != "合计") == paid.lines
    job = tab.export_bank_file(tmp_path / "代发.xlsx")
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=20000)
    rows = list(
        openpyxl.load_workbook(tmp_path / "代发.xlsx").worksheets[0].iter_rows(values_only=True)
    )
    assert any(r[:4] == ("户名", "账号", "金额", "摘要") for r in rows)
