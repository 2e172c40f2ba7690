"""互助保障 tab: a new 参保登记, its named list imported from Excel (checked first), the
receipt, and the warnings shown before a claim is saved."""

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, Person, UnionOrg
from unionsdesk.ui.main_window import MainWindow
from unionsdesk.ui.tabs.mutual import mutual as mutual_ui
from unionsdesk.ui.tabs.mutual.mutual import ClaimsPane, EnrolmentsPane, MutualTab

SHOTS = Path("/tmp/helper5")
PERIOD = date.today().year + 1


def _unit_with_people(db: Database) -> tuple[str, list[tuple[str, str]]]:
    with db.reading() as s:
        uid = s.scalar(
            select(Membership.union_id).where(Membership.active).order_by(Membership.union_id)
        )
        name = s.scalar(select(UnionOrg.name).where(UnionOrg.id == uid))
        people = s.execute(
            select(Person.name, Person.id_number).join(Membership, Membership.person_id == Person.id)
            .where(Membership.union_id == uid, Membership.active).limit(3)
        ).tuples().all()  # fmt: skip
    return str(name), list(people)


def test_enrol_a_unit_from_the_tab(
    admin_window: MainWindow, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        mutual_ui, "confirm", lambda _p, text, *_a, **_k: asked.append(text) or True
    )
    assert admin_window.open_tab("互助保障")
    tab = admin_window.content("互助保障")
    assert isinstance(tab, MutualTab)
    pane = tab.page(0)
    assert isinstance(pane, EnrolmentsPane)
    unit, people = _unit_with_people(demo_db)
    pane.form.set_values({"unit": unit, "plan": "在职职工意外伤害互助保障计划", "period": PERIOD})
    record = pane.save()
    assert record is not None and record.values["people"] == 0
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "份数"])
    for name, number in people:
        ws.append([name, number, 2])
    wb.save(tmp_path / "名单.xlsx")
    pane.import_roster(tmp_path / "名单.xlsx")
    assert asked and "确认导入" in asked[0]
    assert pane.current is not None
    v = pane.current.values
    assert (v["people"], v["shares"], v["amount"]) == (
        len(people),
        2 * len(people),
        2 * len(people) * 1000,
    )
    tab.resize(1400, 850)
    SHOTS.mkdir(exist_ok=True)
    tab.grab().save(str(SHOTS / "mutual_enrolments.png"))


def test_claim_warnings_before_saving(
    admin_window: MainWindow, demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        mutual_ui, "confirm", lambda _p, text, *_a, **_k: asked.append(text) or False
    )
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
