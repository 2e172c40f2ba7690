"""Migration 0010: 维权查看 moves from users (``app_user.grants``) to roles without
widening anyone's access, and says in the audit log what it did."""

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from unionsdesk.db import migrate

USERS = [  # login, name, role, grants
    ("boss", "管理员甲", "admin", None),
    ("clerk1", "经办甲", "clerk", "rights.view"),
    ("clerk2", "经办乙", "clerk", None),
    ("rev1", "审核甲", "reviewer", "rights.view"),
    ("rev2", "审核乙", "reviewer", "rights.view"),
    ("ro1", "只读甲", "readonly", None),
]


def _old_database(engine: Engine) -> None:
    migrate.upgrade(engine, "0009")
    now = datetime(2026, 11, 1, 9, 0)
    with engine.begin() as c:
        for n, (login, name, role, grants) in enumerate(USERS):
            role_id = c.execute(text("SELECT id FROM role WHERE code = :c"), {"c": role}).scalar()
            c.execute(
                text(
                    "INSERT INTO app_user (uuid, created_at, updated_at, created_by, version, login,"
                    " display_name, password_hash, role_id, active, failed_attempts, grants)"
                    " VALUES (:uuid, :now, :now, 'system', 1, :login, :name, 'x', :role, :active,"
                    " 0, :grants)"
                ),
                {"uuid": f"00000000-0000-0000-0000-00000000000{n}", "now": now, "login": login,
                 "name": name, "role": role_id, "active": True, "grants": grants},
            )  # fmt: skip


def _check(engine: Engine) -> None:
    _old_database(engine)
    migrate.upgrade(engine)
    assert migrate.schema_state(engine).up_to_date
    assert "grants" not in {c["name"] for c in inspect(engine).get_columns("app_user")}
    with engine.connect() as c:
        perms = dict(c.execute(text("SELECT code, permissions FROM role")).tuples().all())
        logged = c.execute(
            text("SELECT entity, summary FROM audit_log WHERE user_login = 'system' ORDER BY id")
        ).all()
    # 管理员 carries it; every 审核人 had it, so the role has it now; only one of the two
    # 经办人 had it: the role does not get it (that would show the cases to 经办乙)
    assert perms == {"admin": "rights.view", "reviewer": "rights.view", "clerk": None,
                     "readonly": None}  # fmt: skip
    assert [(e, s) for e, s in logged if "维权查看" in s] == [
        ("role", "维权查看改为按角色授予：角色“审核人”的用户原来都单独有此权限，现授予角色“审核人”"),
        ("user", "维权查看改为按角色授予：取消了经办甲（clerk1）的个人授予；如需查看，"
                 "请在“设置 → 用户和角色”中为角色“经办人”授予"),
    ]  # fmt: skip


def test_grants_fold_into_roles_on_sqlite(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    _check(engine)
    engine.dispose()


@pytest.mark.pg
def test_grants_fold_into_roles_on_postgresql(pg_empty_url: str) -> None:
    engine = create_engine(pg_empty_url)
    _check(engine)
    engine.dispose()


def test_migrated_columns_match_the_models(tmp_path: Path) -> None:
    """Column by column (test_migrate compares the table names): role.permissions is
    there, app_user.grants is gone."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from unionsdesk.db.models import Base

    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    migrate.upgrade(engine)
    with engine.connect() as c:
        context = MigrationContext.configure(c, opts={"compare_type": True})
        diff = [
            d for d in compare_metadata(context, Base.metadata) if "person_digits" not in str(d)
        ]
    engine.dispose()
    assert diff == []
