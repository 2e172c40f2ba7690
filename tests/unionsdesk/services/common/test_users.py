from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.errors import AuthError, PermissionDenied, UserError, ValidationError
from unionsdesk.services.common import users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.users import MAX_FAILURES


def _audit(db: Database, action: str) -> list[AuditLog]:
    with db.reading() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_login_ok_and_audited(any_db: Database) -> None:
    u = users.login(any_db, " Admin ", DEMO_PASSWORD)
    assert (u.login, u.role, u.role_name) == ("admin", "admin", "管理员")
    assert [a.user_login for a in _audit(any_db, "login")] == ["admin"]


def test_wrong_password_and_unknown_user(any_db: Database) -> None:
    with pytest.raises(AuthError, match="用户名或密码不正确"):
        users.login(any_db, "admin", "wrong")
    with pytest.raises(AuthError, match="用户名或密码不正确"):
        users.login(any_db, "nobody", "x")
    assert len(_audit(any_db, "login_failed")) == 2


def test_lock_after_repeated_failures(any_db: Database) -> None:
    t0 = datetime(2026, 11, 23, 9, 0, 0)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(AuthError, match="再错"):
            users.login(any_db, "jingban", "bad", at=t0)
    with pytest.raises(AuthError, match="锁定"):
        users.login(any_db, "jingban", "bad", at=t0)
    with pytest.raises(AuthError, match="已锁定"):  # even the right password waits
        users.login(any_db, "jingban", DEMO_PASSWORD, at=t0 + timedelta(seconds=30))
    assert (
        users.login(any_db, "jingban", DEMO_PASSWORD, at=t0 + timedelta(seconds=61)).role == "clerk"
    )


def test_roles_are_checked_in_the_service(any_db: Database) -> None:
    reader = users.login(any_db, "chaxun", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied, match="系统管理"):
        users.create_user(
            any_db,
            reader,
            {"login": "x", "display_name": "X", "role": "clerk", "password": "123456"},
        )
    with pytest.raises(PermissionDenied):
        users.list_users(any_db, reader)


def test_create_update_and_audit(any_db: Database, admin: CurrentUser) -> None:
    row = users.create_user(
        any_db,
        admin,
        {"login": "Zhang.San", "display_name": "张三", "role": "clerk", "password": "secret1"},
    )
    assert row.login == "zhang.san" and row.role_name == "经办人"
    with pytest.raises(ValidationError, match="已被使用"):
        users.create_user(
            any_db,
            admin,
            {"login": "zhang.san", "display_name": "X", "role": "clerk", "password": "secret1"},
        )
    with pytest.raises(ValidationError, match="至少6位"):
        users.create_user(
            any_db, admin, {"login": "li", "display_name": "李", "role": "clerk", "password": "123"}
        )
    updated = users.update_user(
        any_db, admin, row.id, {"role": "reviewer"}, expected_version=row.version
    )
    assert updated.role == "reviewer"
    changes = [a for a in _audit(any_db, "update") if a.entity == "user"]
    assert changes[-1].before == '{"role": "clerk"}' and changes[-1].after == '{"role": "reviewer"}'
    from unionsdesk.errors import ConflictError

    with pytest.raises(ConflictError, match="已被"):
        users.update_user(
            any_db, admin, row.id, {"display_name": "张三丰"}, expected_version=row.version
        )


def test_password_reset_and_own_change(any_db: Database, admin: CurrentUser) -> None:
    clerk = next(u for u in users.list_users(any_db, admin) if u.login == "jingban")
    users.update_user(any_db, admin, clerk.id, {"password": "newpass1"})
    me = users.login(any_db, "jingban", "newpass1")
    with pytest.raises(AuthError, match="原密码不正确"):
        users.change_own_password(any_db, me, "wrong", "another1")
    users.change_own_password(any_db, me, "newpass1", "another1")
    assert users.login(any_db, "jingban", "another1").login == "jingban"
    hashes = [a.before or "" for a in _audit(any_db, "reset_password")] + [
        a.after or "" for a in _audit(any_db, "update")
    ]
    assert not any("argon2" in h for h in hashes)  # hashes never reach the audit log


def test_last_admin_cannot_be_demoted(any_db: Database, admin: CurrentUser) -> None:
    assert admin.id is not None
    with pytest.raises(UserError, match="最后一个管理员"):
        users.update_user(any_db, admin, admin.id, {"role": "clerk"})
    with pytest.raises(UserError, match="最后一个管理员"):
        users.update_user(any_db, admin, admin.id, {"active": False})
    assert users.first_admin(any_db).role == "admin"


def test_audit_log_is_append_only(any_db: Database) -> None:
    users.login(any_db, "admin", DEMO_PASSWORD)
    for sql in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), any_db.writing() as s:
            s.execute(text(sql))
    assert _audit(any_db, "login")
