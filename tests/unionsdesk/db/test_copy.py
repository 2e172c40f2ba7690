from pathlib import Path

import pytest

from unionsdesk.db.copy import copy_database
from unionsdesk.db.engine import Database
from unionsdesk.db.open import open_database
from unionsdesk.errors import UserError
from unionsdesk.services.aid import campaigns
from unionsdesk.services.common import users
from unionsdesk.services.members import members
from unionsdesk.services.members.members import MemberFilter


def test_copy_sqlite_to_any_and_back(demo_db: Database, any_db: Database, tmp_path: Path) -> None:
    """demo (SQLite) → a fresh empty database on SQLite or PostgreSQL; then use it."""
    if any_db.is_sqlite:
        target = open_database(tmp_path / "target.sqlite3")
    else:
        target = any_db  # the PG fixture holds demo data: refused, see below
        with pytest.raises(UserError, match="已有数据"):
            copy_database(demo_db, target)
        return
    report = copy_database(demo_db, target)
    assert report.ok and report.counts["membership"][0] > 0
    admin = users.login(target, "admin", "demo1234")
    assert members.count_members(target) == members.count_members(demo_db)
    some = members.fetch_member_rows(target, admin, members.search_member_ids(target, admin)[:1])[0]
    assert members.search_member_ids(
        target, admin, MemberFilter(text=some.id_number[-8:])
    )  # trigram index rebuilt
    assert [c.total for c in campaigns.list_campaigns(target, admin)] == [
        c.total for c in campaigns.list_campaigns(demo_db, admin)
    ]
    target.dispose()


def test_copy_to_postgres_then_new_rows_get_new_ids(demo_db: Database, pg_empty_url: str) -> None:
    target = open_database(pg_empty_url)
    assert copy_database(demo_db, target).ok
    admin = users.login(target, "admin", "demo1234")
    made = users.create_user(
        target,
        admin,
        {"login": "newclerk", "display_name": "新人", "role": "clerk", "password": "secret1"},
    )
    assert made.id > 4  # the sequence continues after the copied ids
    target.dispose()
