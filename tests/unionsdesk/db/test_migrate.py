import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from unionsdesk.db import migrate
from unionsdesk.db.backup import default_backup_dir, list_backups
from unionsdesk.db.models import Base
from unionsdesk.db.open import open_database
from unionsdesk.errors import DatabaseOpenError, SchemaTooNewError


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_revision_list_matches_the_scripts() -> None:
    scripts = [r.revision for r in reversed(list(migrate.script_directory().walk_revisions()))]
    assert tuple(scripts) == migrate.REVISIONS
    assert migrate.script_directory().get_current_head() == migrate.head_revision()


def test_base_to_head_matches_models(tmp_path: Path) -> None:
    """Upgrading an empty file to head gives exactly the tables of the models."""
    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    assert migrate.schema_state(engine).current is None
    migrate.upgrade(engine)
    state = migrate.schema_state(engine)
    assert state.up_to_date
    tables = {t for t in inspect(engine).get_table_names() if not t.startswith("person_digits")}
    tables -= {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    engine.dispose()


def test_migrations_seed_roles_and_code_tables(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.sqlite3")
    with db.engine.connect() as c:
        roles = {r[0] for r in c.execute(text("SELECT name FROM role"))}
        ethnic = c.execute(
            text("SELECT count(*) FROM code_table WHERE category='ethnicity'")
        ).scalar()
        han = c.execute(
            text("SELECT label FROM code_table WHERE category='ethnicity' AND code='01'")
        ).scalar()
    assert roles == {"管理员", "经办人", "审核人", "只读"}
    assert ethnic == 58 and han == "汉族"
    db.dispose()


def test_newer_schema_refused_untouched(empty_db_file: Path) -> None:
    conn = sqlite3.connect(empty_db_file)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = _digest(empty_db_file)
    with pytest.raises(SchemaTooNewError, match="更新版本"):
        open_database(empty_db_file)
    assert _digest(empty_db_file) == before
    assert sorted(p.name for p in empty_db_file.parent.iterdir()) == [empty_db_file.name]


def test_foreign_sqlite_file_refused_untouched(tmp_path: Path) -> None:
    f = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(f)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(f)
    with pytest.raises(DatabaseOpenError, match="不是工会通的数据库"):
        open_database(f)
    assert _digest(f) == before


def test_downgrade_is_refused(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    migrate.upgrade(engine)
    from alembic import command

    cfg = migrate.alembic_config()
    with engine.begin() as conn, pytest.raises(NotImplementedError):
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    engine.dispose()


OLDER = [
    r.revision
    for r in migrate.script_directory().walk_revisions()
    if r.revision != migrate.head_revision()
]


@pytest.mark.parametrize(
    "revision", OLDER or [pytest.param(None, marks=pytest.mark.skip(reason="只有一个迁移版本"))]
)
def test_upgrade_from_older_revision_backs_up_first(tmp_path: Path, revision: str) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, revision)
    engine.dispose()
    db = open_database(path)
    assert migrate.schema_state(db.engine).up_to_date
    backups = list_backups(default_backup_dir(path))
    assert [b.name.startswith("pre-upgrade-") for b in backups] == [True]
    db.dispose()
