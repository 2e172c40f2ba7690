"""阵地与补助 tab: the six registers, an inspection recorded item by item, the grant
steps with their rules and printed forms, attachments, and the 设置 page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from unionsdesk import attachments as att
from unionsdesk.services.sites import funds, grants, sites
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.common.settings import SettingsTab
from unionsdesk.ui.tabs.sites.settings_sites import SitesSettingsPage
from unionsdesk.ui.tabs.sites.sites import (
    AttachmentsDialog,
    GrantsPane,
    InspectionDialog,
    SitesPane,
    SitesTab,
)
from unionsdesk.ui.workers import wait_for_background

SHOTS = Path("/tmp/helper6")


def _shot(widget: object, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / name))  # type: ignore[attr-defined]


def _tab(window: MainWindow) -> SitesTab:
    assert window.open_tab("阵地与补助")
    tab = window.content("阵地与补助")
    assert isinstance(tab, SitesTab)
    return tab


def _select(pane: SitesPane | GrantsPane, record_id: int) -> None:
    pane.show_record(record_id)
    assert pane.current is not None and pane.current.id == record_id


def test_tab_pages_and_inspection(admin_window: MainWindow, qtbot: QtBot, shown: object) -> None:
    tab = _tab(admin_window)
    assert SitesTab.page_titles() == [
        "阵地",
        "检查记录",
        "补助项目",
        "拨缴经费",
        "专用收据",
        "会费",
    ]
    pane = tab.page(0)
    assert isinstance(pane, SitesPane)
    wait_for_background()
    assert pane.model.rowCount() == 60
    site = pane.model.row_object(0)
    assert site is not None
    _select(pane, site.id)
    dialog = pane.inspect()
    assert isinstance(dialog, InspectionDialog)
    dialog.boxes[1].setChecked(False)
    dialog.notes[1].setText("场地被占用")
    _shot(dialog, "inspection_dialog.png")
    assert dialog.try_accept()
    latest = sites.latest_inspection(pane.ctx.db, pane.ctx.user, site.id)
    assert latest is not None and [x.text for x in latest.unmet] == [dialog.checklist.items[1][1]]
    assert latest.inspected_on == date.today()
    pane.show_record(site.id)
    assert pane.info is not None and "未达标：有固定场所" in pane.info.text()
    _shot(admin_window, "sites_tab.png")
    for i in range(1, 6):
        page = tab.page(i)
        wait_for_background()
        assert page.model.rowCount() > 0, SitesTab.page_titles()[i]  # type: ignore[attr-defined]
        _shot(page, f"sites_page_{i}.png")


def test_attachments_dialog(admin_window: MainWindow, tmp_path: Path) -> None:
    pane = _tab(admin_window).page(0)
    assert isinstance(pane, SitesPane)
    wait_for_background()
    row = pane.model.row_object(5)
    assert row is not None
    _select(pane, row.id)
    dialog = pane.open_attachments()
    assert isinstance(dialog, AttachmentsDialog)
    photo = tmp_path / "现场照片.png"
    from unionsdesk.demo_sites import tiny_png

    photo.write_bytes(tiny_png(8, 8, (1, 2, 3)))
    made = dialog.add(photo)
    assert made is not None and dialog.table.rowCount() == 1
    dialog.table.selectRow(0)
    _shot(dialog, "attachments_dialog.png")
    assert dialog.remove(ask=False) and dialog.table.rowCount() == 0
    assert att.list_attachments(pane.ctx.db, pane.ctx.user, "site", row.id) == []


def test_grant_steps_and_forms(admin_window: MainWindow, shown: object) -> None:
    tab = _tab(admin_window)
    pane = tab.page(2)
    assert isinstance(pane, GrantsPane)
    wait_for_background()
    ctx = pane.ctx
    pending = grants.list_grants(ctx.db, ctx.user, status="申报")[0]
    _select(pane, pending.id)
    step = pane.approve()
    assert step is not None
    step.form.set_values({"approval_ref": "示工发〔2026〕99号", "approved_amount": str(pending.requested / 100 + 1),
                          "approver": "陈主席", "approved_on": date.today().isoformat()})  # fmt: skip
    assert not step.try_accept()  # 批准 > 申请: refused, the dialog stays open
    assert grants.get_grant(ctx.db, ctx.user, pending.id).status == "申报"
    step.form.set_values({"approved_amount": str(pending.requested / 100)})
    _shot(step, "grant_approve_dialog.png")
    assert step.try_accept()
    assert grants.get_grant(ctx.db, ctx.user, pending.id).status == "已批准"
    pay = pane.pay()
    assert pay is not None
    pay.form.set_values(
        {"paid_on": date.today().isoformat(), "amount": str(pending.requested / 100)}
    )
    assert not pay.try_accept()  # more than the advance before 验收
    preview = pane.print_form("application")
    assert preview is not None
    _shot(preview, "grant_application_preview.png")
    preview.close()
    approval = pane.print_approval()
    assert approval is not None
    approval.close()
    _shot(pane, "grants_pane.png")


def test_settings_page_checklists_and_shares(admin_window: MainWindow, shown: object) -> None:
    assert admin_window.open_tab("设置/阵地与经费")
    settings = admin_window.content("设置")
    assert isinstance(settings, SettingsTab)
    page = settings.findChild(SitesSettingsPage)
    assert page is not None
    page.template.setCurrentIndex(page.template.findText("工会驿站“六有”"))
    page.items.setPlainText(page.items.toPlainText() + "\n有志愿服务队")
    assert page.save_checklist()
    found = next(
        c for c in sites.list_checklists(page.ctx.db, page.ctx.user) if c.name == "工会驿站“六有”"
    )
    assert found.items[-1][1] == "有志愿服务队" and len(found.items) == 7
    page.share_edits["county"].setText("25")
    assert not page.save_shares()  # 45 % in all: refused
    assert funds.get_shares(page.ctx.db).county == 2000
    page.share_edits["county"].setText("20")
    page.share_edits["city"].setText("12.5")
    page.share_edits["province"].setText("2.5")
    assert page.save_shares()
    assert funds.get_shares(page.ctx.db) == funds.Shares(2000, 1250, 250, 500)
    _shot(page, "settings_sites.png")


@pytest.mark.parametrize("login", ["chaxun"])
def test_readonly_sees_but_cannot_change(demo_db, login_as, make_window, login: str) -> None:  # type: ignore[no-untyped-def]
    window = make_window(demo_db, login_as(demo_db, login))
    tab = _tab(window)
    pane = tab.page(0)
    assert isinstance(pane, SitesPane)
    assert not pane.save_button.isEnabled()


def test_levy_form_shows_wan_back_as_yuan(admin_window: MainWindow) -> None:
    from unionsdesk.ui.tabs.sites.sites import LeviesPane

    pane = _tab(admin_window).page(3)
    assert isinstance(pane, LeviesPane)
    pane.form.set_values({"payer_name": "城关镇某小店", "preparatory": True, "year": 2031, "month": 1,
                          "wage_total": "12.5万", "paid": "约十万"})  # fmt: skip
    assert not pane.form.validate()
    assert pane.form.values()["wage_total"] == "125000.00"  # shown back for the clerk to confirm
    assert "不是确切金额" in pane.form.error_text("paid")
    pane.form.set_values({"paid": "2500", "paid_on": "2031-02-01"})
    record = pane.save()
    assert record is not None and record.values["wage_total"] == 12_500_000
    summary = pane.collection()
    _shot(summary, "levy_collection.png")
    assert pane.arrears().findChild(QTableWidget).rowCount() > 0  # type: ignore[union-attr]


def test_township_union_inspection(admin_window: MainWindow, shown: object) -> None:
    pane = _tab(admin_window).page(0)
    assert isinstance(pane, SitesPane)
    ctx = pane.ctx
    assert pane.inspect_union("城关镇总工会") is None  # the 六有六规范 list is still empty
    blank = next(
        c for c in sites.list_checklists(ctx.db, ctx.user) if c.applies_to == sites.TOWNSHIP_UNION
    )
    sites.save_checklist(
        ctx.db, ctx.user, blank.name, blank.applies_to, ["有组织", "有阵地", "有制度"], blank.id
    )
    dialog = pane.inspect_union("城关镇总工会")
    assert isinstance(dialog, InspectionDialog)
    dialog.boxes[2].setChecked(False)
    assert dialog.try_accept()
    info = dialog.result_value
    assert (
        info is not None
        and info.target_name == "城关镇总工会"
        and [x.text for x in info.unmet] == ["有制度"]
    )
