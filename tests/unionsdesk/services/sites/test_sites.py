"""阵地, checklists and inspections through the services (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.errors import PermissionDenied, UserError, ValidationError
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.users import login
from unionsdesk.services.sites import sites
from unionsdesk.services.sites.sites import ItemResult

STATION = {
    "kind": "工会驿站", "code": "CS-001", "name": "城关镇环卫驿站", "address": "人民路1号",
    "longitude": "115.0123", "latitude": "27.1234", "build_mode": "共建", "open_24h": "是",
    "area": "40", "facilities": "饮水机、微波炉，充电 WiFi", "manager": "张 三",
    "manager_phone": "13812345678", "built_on": "2024-05-01", "investment": "3.5万",
    "visits_per_month": "600",
}  # fmt: skip


def test_site_fields_are_checked(any_db: Database, admin: CurrentUser) -> None:
    row = sites.save_site(any_db, admin, STATION)
    assert (row.kind, row.investment, row.manager, row.open_24h) == (
        "工会驿站",
        3_500_000,
        "张三",
        True,
    )
    assert row.facilities == "饮水机,微波炉,充电,WiFi" and row.longitude == pytest.approx(115.0123)
    for field, value, reason in (
        ("longitude", "27.1234", "经度 27.1234 不在中国境内"),  # swapped with the latitude
        ("latitude", "-27", "纬度 -27 不在中国境内"),
        ("facilities", "游泳池", "不认识的设施：游泳池"),
        ("investment", "约三万", "不是确切金额"),
        ("kind", "公园", "类型"),
    ):
        with pytest.raises(ValidationError, match=reason):
            sites.save_site(any_db, admin, {**STATION, "code": None, field: value})
    with pytest.raises(ValidationError, match="编号“CS-001”已被另一个阵地"):
        sites.save_site(any_db, admin, STATION)
    changed = sites.save_site(
        any_db, admin, {"level": "市级", "year_named": "2025"}, row.id, row.version
    )
    assert (changed.level, changed.name) == ("市级", STATION["name"])
    counts = {(c.kind, c.level): c.count for c in sites.site_counts(any_db, admin)}
    assert counts[("工会驿站", "市级")] >= 1


def test_checklist_template_editing_keeps_history(any_db: Database, admin: CurrentUser) -> None:
    seeded = {c.name: c for c in sites.list_checklists(any_db, admin)}
    six = seeded["工会驿站“六有”"]
    assert [t for _, t in six.items][:2] == ["有统一标识", "有固定场所"] and len(six.items) == 6
    assert len(seeded["职工书屋标准"].items) == 7
    assert seeded["乡镇（街道）工会“六有六规范”"].items == ()
    site = sites.save_site(any_db, admin, STATION)
    results = [ItemResult(item_id, met=k != 2, note="缺少标识牌" if k == 2 else None)
               for k, (item_id, _) in enumerate(six.items)]  # fmt: skip
    first = sites.record_inspection(
        any_db,
        admin,
        six.id,
        {"inspected_on": "2026-03-01", "inspector": "李检查"},
        results,
        site_id=site.id,
    )
    assert [x.text for x in first.unmet] == ["有完备设施"] and first.met_count == 5
    # The office rewrites the list: one item renamed, one added, order changed.
    texts = [t for _, t in six.items]
    texts[2] = "有完备设施（饮水、休息、如厕）"
    edited = sites.save_checklist(
        any_db, admin, six.name, "工会驿站", [texts[1], texts[0], *texts[2:], "有志愿服务"], six.id
    )
    assert [t for _, t in edited.items][:2] == ["有固定场所", "有统一标识"] and len(
        edited.items
    ) == 7
    kept = dict((t, i) for i, t in six.items)
    assert (
        dict((t, i) for i, t in edited.items)["有固定场所"] == kept["有固定场所"]
    )  # same identity
    old = sites.list_inspections(any_db, admin, site_id=site.id)[0]
    assert old.lines[2].text == "有完备设施"  # the past inspection keeps its wording
    with pytest.raises(ValidationError, match="还没有填写检查结果"):
        sites.record_inspection(any_db, admin, six.id, {"inspected_on": "2026-04-01", "inspector": "李"},
                                results, site_id=site.id)  # fmt: skip
    second = sites.record_inspection(
        any_db, admin, six.id, {"inspected_on": "2026-04-01", "inspector": "李检查"},
        [ItemResult(i, True) for i, _ in edited.items], site_id=site.id,
    )  # fmt: skip
    latest = sites.latest_inspection(any_db, admin, site.id)
    assert latest is not None and latest.id == second.id and latest.unmet == []
    row = sites.get_site(any_db, admin, site.id)
    assert (row.last_inspected, row.unmet) == (date(2026, 4, 1), 0)
    with pytest.raises(UserError, match="不适用于"):
        sites.record_inspection(any_db, admin, seeded["职工书屋标准"].id, {"inspected_on": "2026-04-01",
                                "inspector": "李"}, [], site_id=site.id)  # fmt: skip
    clerk = login(any_db, "jingban", "demo1234")
    with pytest.raises(PermissionDenied):
        sites.save_checklist(any_db, clerk, "x", "工会驿站", ["a"])
    with pytest.raises(ValidationError, match="检查项目有重复"):
        sites.save_checklist(any_db, admin, "新表", "母婴室", ["有冰箱", "有冰箱"])
    with any_db.reading() as s:
        assert s.scalar(select(AuditLog.id).where(AuditLog.entity == "checklist")) is not None


def test_township_checklist_needs_items_first(any_db: Database, admin: CurrentUser) -> None:
    from unionsdesk.db.models import UnionOrg

    blank = next(
        c for c in sites.list_checklists(any_db, admin) if c.applies_to == sites.TOWNSHIP_UNION
    )
    with any_db.reading() as s:
        township = s.scalar(select(UnionOrg.id).where(UnionOrg.name == "城关镇总工会"))
    with pytest.raises(UserError, match="还没有检查项目"):
        sites.record_inspection(any_db, admin, blank.id, {"inspected_on": "2026-03-01", "inspector": "王"}, [],
                                union_id=township)  # fmt: skip
    filled = sites.save_checklist(any_db, admin, blank.name, blank.applies_to,
                                  ["有组织", "有阵地", "有制度", "有经费", "有活动", "有作为"], blank.id)  # fmt: skip
    info = sites.record_inspection(
        any_db, admin, filled.id, {"inspected_on": "2026-03-01", "inspector": "王"},
        [ItemResult(i, True) for i, _ in filled.items], union_id=township,
    )  # fmt: skip
    assert info.target_name == "城关镇总工会" and info.met_count == 6
