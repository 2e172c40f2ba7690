"""互助保障 tab: a new 参保登记, its named list imported from Excel through the shared
import preview (columns mapped, first rows, then a checked dry run), the receipt printed
and reprinted from the tab, and the warnings shown before a claim is saved."""

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, Person, UnionOrg
from unionsdesk.domain.money import from_fen, rmb_upper
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.mutual import mutual as mutual_ui
from unionsdesk.ui.tabs.mutual.mutual import ClaimsPane, EnrolmentsPane, MutualTab
from unionsdesk.ui.widgets.excel_import import ImportPreviewDialog

SHOTS = Path("/tmp/mutualhelper")
PERIOD = date.today().year + 1


def _unit_with_people(db: Database) -> tuple[str, list[tuple[str, str]]]:
    with db.reading() as s:
        uid = s.scalar(
            select(Membership.union_id).where(Membership.active).group_by(Membership.union_id)
            .having(func.count() >= 5).order_by(Membership.union_id)
        )  # fmt: skip
        name = s.scalar(select(UnionOrg.name).where(UnionOrg.id == uid))
        people = s.execute(
            select(Person.name, Person.id_number).join(Membership, Membership.person_id == Person.id)
            .where(Membership.union_id == uid, Membership.active).limit(5)
        ).tuples().all()  # fmt: skip
    return str(name), list(people)


def _answer(monkeypatch: pytest.MonkeyPatch, yes: bool) -> list[str]:
    """Answer every 确认 question of the tab with ``yes``; the questions asked."""
    asked: list[str] = []
    monkeypatch.setattr(mutual_ui, "confirm", lambda _p, text, *_a, **_k: asked.append(text) or yes)
    return asked


def _new_enrolment(
    window: MainWindow, db: Database
) -> tuple[EnrolmentsPane, list[tuple[str, str]]]:
    """The 参保登记 page with a new, saved enrolment of a unit (no named list yet)."""
    assert window.open_tab("互助保障")
    tab = window.content("互助保障")
    assert isinstance(tab, MutualTab)
    pane = tab.page(0)
    assert isinstance(pane, EnrolmentsPane)
    unit, people = _unit_with_people(db)
    pane.form.set_values({"unit": unit, "plan": "在职职工意外伤害互助保障计划", "period": PERIOD})
    record = pane.save()
    assert record is not None and record.values["people"] == 0
    return pane, people


def _roster(path: Path, people: list[tuple[str, str]], shares: object = 2) -> Path:
    """A unit's list as townships send it: a title row, then headers in their own words."""
    wb = Workbook()
    ws = wb.active
    ws.append(["2027年度职工互助保障参保名单"])
    ws.append(["序号", "职工姓名", "公民身份号码", "购买份数", "备注"])
    for i, (name, number) in enumerate(people, 1):
        ws.append([i, name, number, shares, "新参保"])
    wb.save(path)
    return path


def _preview(qtbot: QtBot, pane: EnrolmentsPane, path: Path) -> ImportPreviewDialog:
    dialog = pane.import_roster(path)
    assert isinstance(dialog, ImportPreviewDialog)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10000)
    return dialog


def _people_of(db: Database, pane: EnrolmentsPane) -> int:
    from unionsdesk.db.models_mutual import MutualInsured

    assert pane.current is not None
    with db.reading() as s:
        q = select(MutualInsured.id).where(MutualInsured.enrolment_id == pane.current.id)
        return len(s.scalars(q).all())


def test_roster_import_shows_the_column_mapping_first(
    admin_window: MainWindow, demo_db: Database, tmp_path: Path, qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    asked = _answer(monkeypatch, True)
    pane, people = _new_enrolment(admin_window, demo_db)
    dialog = _preview(qtbot, pane, _roster(tmp_path / "名单.xlsx", people))
    table = dialog.table
    # each column under the field it feeds; 序号 and 备注 are not imported
    assert [table.combo(c).currentData() for c in range(5)] == [
        None, "name", "id_number", "shares", None,
    ]  # fmt: skip
    header = [table.item(table.HEADER_ROW, c).text() for c in range(5)]
    assert header == ["序号", "职工姓名", "公民身份号码", "购买份数", "备注"]
    first = [table.item(table.FIRST_DATA_ROW, c).text() for c in range(4)]
    assert first == ["1", people[0][0], people[0][1], "2"]
    assert dialog.findChild(QLabel, "rosterTarget").text().endswith(f"{PERIOD}期")
    assert dialog.ok_button.isEnabled() and not dialog.problems()
    assert _people_of(demo_db, pane) == 0  # the preview writes nothing
    dialog.resize(1280, 800)
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "mutual_roster_preview.png"))

    dialog.ok_button.click()
    qtbot.waitUntil(lambda: pane.roster_import.result_dialog is not None, timeout=20000)
    assert asked and "确认导入" in asked[0] and f"读取数据行：{len(people)}" in asked[0]
    result = pane.roster_import.result_dialog
    assert result is not None and f"已导入 {len(people)} 人" in result.headline.text()
    result.accept()
    assert pane.current is not None
    v = pane.current.values
    assert (v["people"], v["shares"], v["amount"]) == (
        len(people),
        2 * len(people),
        2 * len(people) * 1000,
    )
    assert _people_of(demo_db, pane) == len(people)
    admin_window.resize(1280, 800)
    admin_window.grab().save(str(SHOTS / "mutual_enrolments.png"))


def test_roster_cancel_or_no_writes_nothing(
    admin_window: MainWindow, demo_db: Database, tmp_path: Path, qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    asked = _answer(monkeypatch, False)
    pane, people = _new_enrolment(admin_window, demo_db)
    path = _roster(tmp_path / "名单.xlsx", people)
    dialog = _preview(qtbot, pane, path)
    dialog.reject()  # 取消 in the preview
    qtbot.wait(50)
    assert pane.roster_import.job is None and not asked
    assert _people_of(demo_db, pane) == 0

    dialog = _preview(qtbot, pane, path)
    dialog.ok_button.click()  # checked, then the clerk answers 否
    qtbot.waitUntil(lambda: bool(asked), timeout=20000)
    job = pane.roster_import.job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    assert pane.roster_import.result_dialog is None
    assert _people_of(demo_db, pane) == 0

    # a row with an error: the result dialog lists it, nobody is asked, nothing written
    asked.clear()
    bad = _roster(tmp_path / "错.xlsx", [*people, ("错号码", "360830199001011230")])
    dialog = _preview(qtbot, pane, bad)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: pane.roster_import.result_dialog is not None, timeout=20000)
    result = pane.roster_import.result_dialog
    assert result is not None and "没有写入任何数据" in result.headline.text()
    assert "身份证号" in result.summary.toPlainText() and not asked
    assert result.import_valid_button.isVisibleTo(result)
    result.accept()
    assert _people_of(demo_db, pane) == 0


def test_receipt_button_issues_previews_and_reprints(
    admin_window: MainWindow, demo_db: Database, tmp_path: Path, qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from unionsdesk.services.common.users import first_admin
    from unionsdesk.services.mutual.enrolments import enrol
    from unionsdesk.ui.widgets.pdf_preview import PdfPreviewDialog

    monkeypatch.setattr(mutual_ui.PaymentDialog, "exec", lambda self: self.try_accept())
    pane, people = _new_enrolment(admin_window, demo_db)
    assert pane.current is not None
    rows = [(i, {"name": n, "id_number": num, "shares": 3}) for i, (n, num) in enumerate(people, 2)]
    v = pane.current.values
    enrol(demo_db, first_admin(demo_db), rows, plan=v["plan"], period=PERIOD, union=v["unit"])
    pane.show_record(pane.current.id)
    button = pane.buttons["receipt"]
    assert button.text() == "开具并打印收据…"

    button.click()  # 缴费日期 today, a number from 互助保障费, then the preview
    job = pane.receipt_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.running and pane.preview is not None, timeout=20000)
    preview = pane.preview
    assert isinstance(preview, PdfPreviewDialog)
    number = pane.current.values["receipt_no"]
    assert number and number in preview.windowTitle()
    text = _pdftext(preview.path)
    amount = 3 * len(people) * 1000
    upper = rmb_upper(from_fen(amount))
    assert text.count(f"人民币（大写）{upper}") == 3 and "补打" not in text
    assert text.count(f"{len(people)}人次") == 3 and text.count("每人3份") == 3
    assert button.text() == "打印收据…"  # not printed yet: only previewed
    preview.resize(1280, 800)
    qtbot.waitExposed(preview)
    qtbot.wait(800)  # QPdfView renders its pages in the background
    preview.grab().save(str(SHOTS / "mutual_receipt_preview.png"))
    assert preview.save_as(tmp_path / "收据.pdf") == tmp_path / "收据.pdf"  # counts the print
    assert button.text() == "补打收据…"
    preview.reject()

    button.click()
    job = pane.receipt_job
    qtbot.waitUntil(lambda: not job.running and pane.preview is not preview, timeout=20000)
    again = pane.preview
    assert isinstance(again, PdfPreviewDialog) and "补打" in again.windowTitle()
    assert _pdftext(again.path).count("补打") == 3
    again.reject()


def _pdftext(path: Path) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils are not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_claim_warnings_before_saving(
    admin_window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = _answer(monkeypatch, False)
    assert admin_window.open_tab("互助保障/理赔/给付")
    tab = admin_window.content("互助保障")
    assert isinstance(tab, MutualTab)
    pane = tab.page(1)
    assert isinstance(pane, ClaimsPane)
    from unionsdesk.db.models_mutual import MutualEnrolment, MutualInsured, MutualPlan

    with demo_db.reading() as s:
        name, number, start = s.execute(
            select(Person.name, Person.id_number, MutualEnrolment.starts_on)
            .join(MutualInsured, MutualInsured.person_id == Person.id)
            .join(MutualEnrolment, MutualEnrolment.id == MutualInsured.enrolment_id)
            .join(MutualPlan, MutualPlan.id == MutualInsured.plan_id)
            .where(MutualPlan.name == "在职职工意外伤害互助保障计划", MutualEnrolment.period == date.today().year)
            .limit(1)
        ).one()  # fmt: skip
    pane.form.set_values({
        "name": name, "id_number": number, "plan": "在职职工意外伤害互助保障计划", "claim_type": "意外伤残",
        "incident_on": start.isoformat(), "received_on": min(date.today(), start.replace(day=20)).isoformat(),
        "requested": "5000", "status": "受理",
    })  # fmt: skip
    assert pane.save() is None  # the clerk answered 否 to the warning
    assert asked and "180天" in asked[0]
    tab.resize(1400, 850)
    tab.grab().save(str(SHOTS / "mutual_claims.png"))


def test_batch_pay_reviewed_claims(
    admin_window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from unionsdesk.services.common.users import first_admin
    from unionsdesk.services.mutual.claims import list_claims

    monkeypatch.setattr(mutual_ui.PayDialog, "exec", lambda self: self.try_accept())
    admin = first_admin(demo_db)
    ready = list_claims(demo_db, admin, status="审核")
    assert ready, "the demo has reviewed claims"
    assert admin_window.open_tab("互助保障/理赔/给付")
    tab = admin_window.content("互助保障")
    assert isinstance(tab, MutualTab)
    pane = tab.page(1)
    assert isinstance(pane, ClaimsPane)
    pane.pay_reviewed()
    assert list_claims(demo_db, admin, status="审核") == []
    today = date.today()
    paid = list_claims(demo_db, admin, paid_month=(today.year, today.month))
    assert {c.id for c in ready} <= {c.id for c in paid}
    dialog = mutual_ui.MonthDialog(pane.ctx, pane)
    dialog.form.set_values({"year": today.year, "month": today.month, "public": True})
    assert dialog.try_accept()
    path = Path(dialog.result_value)
    assert path.read_bytes().startswith(b"%PDF")
    path.unlink()
