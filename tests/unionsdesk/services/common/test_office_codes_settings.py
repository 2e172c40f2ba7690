import json

import pytest
from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.errors import ConflictError, PermissionDenied, UserError, ValidationError
from unionsdesk.services.common import audit as audit_svc
from unionsdesk.services.common import codes, office, settings, users
from unionsdesk.services.common.base import CurrentUser


def test_initialise_only_once(empty_db: Database) -> None:
    assert not office.is_initialised(empty_db)
    admin = office.initialise(empty_db, {"name": "  某某县总工会 "}, "boss", "s3cret!")
    assert office.is_initialised(empty_db)
    assert office.get_office(empty_db).name == "某某县总工会"
    assert users.login(empty_db, "boss", "s3cret!") == admin
    with pytest.raises(UserError, match="已经初始化"):
        office.initialise(empty_db, {"name": "另一个"}, "x", "s3cret!")


def test_initialise_validates_everything_at_once(empty_db: Database) -> None:
    with pytest.raises(ValidationError) as exc:
        office.initialise(empty_db, {"name": "", "credit_code": "123"}, "admin", "123456")
    assert set(exc.value.errors) == {"name", "credit_code"}
    assert not office.is_initialised(empty_db)


def test_save_office_validates_audits_and_refuses_stale(
    any_db: Database, admin: CurrentUser
) -> None:
    prof = office.get_office(any_db)
    with pytest.raises(ValidationError, match="校验位"):
        office.save_office(
            any_db, admin, {**prof.as_dict(), "credit_code": prof.credit_code[:-1] + "0"}
        )  # type: ignore[index]
    saved = office.save_office(
        any_db,
        admin,
        {**prof.as_dict(), "phone": "0796 812-3457", "leader": "刘主席"},
        expected_version=prof.version,
    )
    assert saved.phone == "0796-8123457" and saved.version == prof.version + 1
    with pytest.raises(ConflictError):
        office.save_office(any_db, admin, prof.as_dict(), expected_version=prof.version)
    with any_db.reading() as s:
        last = s.scalars(
            select(AuditLog).where(AuditLog.entity == "office").order_by(AuditLog.id.desc())
        ).first()
    assert last is not None and last.user_login == "admin"
    assert json.loads(last.before or "{}") == {"leader": "陈主席", "phone": "0796-8123456"}
    assert json.loads(last.after or "{}") == {"leader": "刘主席", "phone": "0796-8123457"}


def test_clerk_cannot_change_office(any_db: Database) -> None:
    clerk = users.login(any_db, "jingban", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        office.save_office(any_db, clerk, office.get_office(any_db).as_dict())


def test_seeded_code_tables(any_db: Database) -> None:
    eth = codes.list_codes(any_db, "ethnicity")
    assert eth[0].label == "汉族" and len(eth) == 58
    assert [c.label for c in codes.list_codes(any_db, "political")] == [
        "中共党员",
        "共青团员",
        "民主党派",
        "群众",
        "其他",
    ]
    assert len(codes.list_codes(any_db, "hardship_reason")) == 10
    assert set(codes.count_codes(any_db)) == set(codes.CATEGORIES)


def test_code_add_update_deactivate(any_db: Database, admin: CurrentUser) -> None:
    # 学历: the provincial template's eight, then the three older ones kept inactive
    added = codes.add_code(any_db, admin, "education", {"code": "21", "label": "博士后"})
    assert added.sort_order == 12 and added.active
    with pytest.raises(ValidationError, match="已有代码"):
        codes.add_code(any_db, admin, "education", {"code": "21", "label": "重复"})
    codes.update_code(any_db, admin, added.id, {"active": False}, expected_version=added.version)
    assert "博士后" not in [c.label for c in codes.list_codes(any_db, "education")]
    assert "博士后" in [
        c.label for c in codes.list_codes(any_db, "education", include_inactive=True)
    ]
    with pytest.raises(UserError, match="没有这个字典"):
        codes.list_codes(any_db, "nonsense")
    clerk = users.login(any_db, "jingban", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        codes.add_code(any_db, clerk, "education", {"code": "07", "label": "x"})


def test_print_offsets(any_db: Database, admin: CurrentUser) -> None:
    assert settings.get_print_offsets(any_db) == settings.PrintOffsets(0.0, 0.0)
    settings.set_print_offsets(any_db, admin, "－２.5", 3)
    assert settings.get_print_offsets(any_db) == settings.PrintOffsets(-2.5, 3.0)
    with pytest.raises(ValidationError, match="-50 到 50"):
        settings.set_print_offsets(any_db, admin, 80, 0)
    with pytest.raises(ValidationError, match="应为数字"):
        settings.set_print_offsets(any_db, admin, "左一点", 0)
    assert settings.get_print_offsets(any_db) == settings.PrintOffsets(-2.5, 3.0)


def test_audit_filters(any_db: Database, admin: CurrentUser) -> None:
    users.login(any_db, "jingban", DEMO_PASSWORD)
    settings.set_print_offsets(any_db, admin, 1, 1)
    logins = audit_svc.query_audit(any_db, admin, audit_svc.AuditFilter(action="login"))
    assert [e.user_login for e in logins] == ["jingban"]
    by_text = audit_svc.query_audit(any_db, admin, audit_svc.AuditFilter(text="offset_x"))
    assert by_text and all(e.entity == "setting" for e in by_text)
    assert (
        audit_svc.query_audit(
            any_db, admin, audit_svc.AuditFilter(entity="setting", user_login="nobody")
        )
        == []
    )
    recent = audit_svc.recent_activity(any_db, admin)
    assert recent[0].entity == "setting" and all(e.action != "login" for e in recent)
    reader = users.login(any_db, "chaxun", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        audit_svc.query_audit(any_db, reader)
