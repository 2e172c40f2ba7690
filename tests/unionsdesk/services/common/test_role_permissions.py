"""维权查看 belongs to roles: given and taken in 设置 → 用户和角色 (admin only, audited),
effective at each user's next login, never taken from 管理员."""

import pytest
from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.errors import ConflictError, PermissionDenied, UserError
from unionsdesk.services.common import audit as audit_svc
from unionsdesk.services.common import users
from unionsdesk.services.common.base import ADMIN, RIGHTS, CurrentUser
from unionsdesk.services.rights.registers import DISPUTES


def _role(db: Database, admin: CurrentUser, code: str) -> users.RoleRow:
    return next(r for r in users.list_roles(db, admin) if r.code == code)


def test_roles_list_what_they_may_do(any_db: Database, admin: CurrentUser) -> None:
    roles = users.list_roles(any_db, admin)
    assert [r.name for r in roles] == ["管理员", "经办人", "审核人", "只读"]
    by_code = {r.code: r for r in roles}
    assert by_code["admin"].rights_view and by_code["admin"].can(ADMIN)
    assert not any(by_code[c].rights_view for c in ("clerk", "reviewer", "readonly"))
    assert by_code["clerk"].users >= 1
    with pytest.raises(PermissionDenied):
        users.list_roles(any_db, users.login(any_db, "jingban", DEMO_PASSWORD))


def test_rights_view_given_to_a_role_reaches_its_users_at_next_login(
    any_db: Database, admin: CurrentUser
) -> None:
    before = users.login(any_db, "jingban", DEMO_PASSWORD)
    assert not before.can(RIGHTS)
    with pytest.raises(PermissionDenied, match="维权查看"):
        DISPUTES.search_ids(any_db, before)

    clerk = _role(any_db, admin, "clerk")
    row = users.set_role_permission(any_db, admin, "clerk", RIGHTS, True, clerk.version)
    assert row.rights_view and row.version == clerk.version + 1
    # the users list says so for every user of the role, and only for them
    shown = {u.login: u.rights_view for u in users.list_users(any_db, admin)}
    assert shown["jingban"] and shown["admin"] and not shown["chaxun"] and not shown["shenhe"]

    after = users.login(any_db, "jingban", DEMO_PASSWORD)
    assert after.can(RIGHTS) and DISPUTES.search_ids(any_db, after)
    assert not users.login(any_db, "chaxun", DEMO_PASSWORD).can(RIGHTS)

    users.set_role_permission(any_db, admin, "clerk", RIGHTS, False)
    again = users.login(any_db, "jingban", DEMO_PASSWORD)
    assert not again.can(RIGHTS)
    with pytest.raises(PermissionDenied):
        DISPUTES.search_ids(any_db, again)

    # each change is one audit row that reads in Chinese
    with any_db.reading() as s:
        rows = list(
            s.scalars(select(AuditLog).where(AuditLog.entity == "role").order_by(AuditLog.id))
        )
    assert [r.summary for r in rows] == [
        "为角色“经办人”授予“维权查看”权限",
        "取消角色“经办人”的“维权查看”权限",
    ]
    entries = [e for e in audit_svc.query_audit(any_db, admin) if e.entity == "role"]
    assert {e.entity_name for e in entries} == {"角色"}
    assert audit_svc.field_label("role", "rights_view") == "维权查看"
    change = audit_svc.describe_change("role", entries[0].shown_before, entries[0].shown_after)
    assert "维权查看" in change and "rights" not in change


def test_role_permission_refusals(any_db: Database, admin: CurrentUser) -> None:
    with pytest.raises(UserError, match="管理员始终拥有“维权查看”权限"):
        users.set_role_permission(any_db, admin, "admin", RIGHTS, False)
    with pytest.raises(UserError, match="不能按角色授予"):
        users.set_role_permission(any_db, admin, "clerk", ADMIN, True)
    clerk_user = users.login(any_db, "jingban", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied, match="系统管理"):
        users.set_role_permission(any_db, clerk_user, "clerk", RIGHTS, True)
    # someone else changed the role since the page was read
    stale = _role(any_db, admin, "reviewer")
    users.set_role_permission(any_db, admin, "reviewer", RIGHTS, True, stale.version)
    with pytest.raises(ConflictError, match="角色“审核人”已被"):
        users.set_role_permission(any_db, admin, "reviewer", RIGHTS, False, stale.version)
    assert _role(any_db, admin, "reviewer").rights_view
    assert not _role(any_db, admin, "clerk").rights_view  # refused calls wrote nothing


def test_a_new_user_has_what_the_role_has(any_db: Database, admin: CurrentUser) -> None:
    users.set_role_permission(any_db, admin, "readonly", RIGHTS, True)
    users.create_user(any_db, admin, {"login": "wq_reader", "display_name": "维权查询",
                                      "role": "readonly", "password": "secret123"})  # fmt: skip
    reader = users.login(any_db, "wq_reader", "secret123")
    assert reader.can(RIGHTS) and not reader.can("data.write")
    # a role with 维权查看 but not 录入: may read cases (audited), not change them
    case_id = DISPUTES.search_ids(any_db, reader, limit=1)[0]
    assert DISPUTES.get(any_db, reader, case_id).id == case_id
    with pytest.raises(PermissionDenied, match="录入和修改数据"):
        DISPUTES.void(any_db, reader, case_id, "不该作废")
