"""A new office: 单位信息 → the county union made from it → unions → members. Each
empty view says what to do next, with a button that does it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from unionsdesk.db.engine import Database
from unionsdesk.services.common import office
from unionsdesk.services.members import unions
from unionsdesk.ui.context import AppContext
from unionsdesk.ui.tabs.aid.hardship import HardshipTab
from unionsdesk.ui.tabs.members.members import MembersTab
from unionsdesk.ui.tabs.members.unions import UnionsTab

OFFICE = {
    "name": "某某县总工会",
    "region_code": "360830",
    "leader": "李主席",
    "phone": "0796-8123456",
}


def test_first_start_leads_the_clerk(empty_db: Database, qtbot: QtBot) -> None:
    admin = office.initialise(empty_db, OFFICE, "admin", "secret-123", "管理员")
    tree = unions.list_unions(empty_db, admin)
    assert [(u.name, u.parent_id, u.org_type) for u in tree] == [("某某县总工会", None, "07")]
    ctx = AppContext(empty_db, admin)

    union_tab = UnionsTab(ctx)
    qtbot.addWidget(union_tab)
    union_tab.show()
    assert union_tab.guide.isVisible() and "新增下级工会" in union_tab.guide.text.text()
    union_tab.guide.button.click()  # the button does the next step: a new lower union
    assert union_tab.new_parent == tree[0].id and union_tab.current is None

    member_tab = MembersTab(ctx)
    qtbot.addWidget(member_tab)
    member_tab.show()
    qtbot.waitUntil(lambda: member_tab.guide.isVisible(), timeout=10000)
    assert "基层工会" in member_tab.guide.text.text() and "花名册" in member_tab.guide.text.text()
    assert member_tab.guide.button.text() == "导入会员花名册…"

    file_tab = HardshipTab(ctx)
    qtbot.addWidget(file_tab)
    file_tab.show()
    assert file_tab.guide.isVisible() and file_tab.guide.button.text() == "新建档案"

    unions.create_union(empty_db, admin, {"name": "城关镇总工会", "parent": "某某县总工会"})
    union_tab.reload()
    assert not union_tab.guide.isVisible()  # the step is done
