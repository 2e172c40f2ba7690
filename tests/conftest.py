"""Shared fixtures: a migrated template database copied per test.

SQLite: the template file is made once per session and copied for each test.
PostgreSQL: when ``UNIONSDESK_TEST_PG_URL`` points at a server (``.ci/run``
starts one), a template database is made once and each test gets
``CREATE DATABASE … TEMPLATE``; without a server those parameters skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from unionsdesk.db.engine import Database
from unionsdesk.db.open import open_database
from unionsdesk.demo import create_demo
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.users import first_admin

PG_ENV = "UNIONSDESK_TEST_PG_URL"


# A small county: enough members to exercise lists, search and statistics.
DEMO_MEMBERS, DEMO_UNIONS = 400, 24


def _make_template(path: Path, demo: bool) -> Path:
    db = open_database(path)
    if demo:
        create_demo(db, members=DEMO_MEMBERS, unions=DEMO_UNIONS)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_template(tmp_path_factory.mktemp("tpl") / "empty.sqlite3", demo=False)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_template(tmp_path_factory.mktemp("tpl") / "demo.sqlite3", demo=True)


def _copy(template: Path, tmp_path: Path) -> Path:
    from unionsdesk.attachments import store_dir

    target = tmp_path / "unionsdesk.sqlite3"
    shutil.copyfile(template, target)
    if store_dir(template).is_dir():  # the demo's photos live beside the database
        shutil.copytree(store_dir(template), store_dir(target))
    return target


@pytest.fixture
def empty_db_file(empty_template: Path, tmp_path: Path) -> Path:
    return _copy(empty_template, tmp_path)


@pytest.fixture
def demo_db_file(demo_template: Path, tmp_path: Path) -> Path:
    return _copy(demo_template, tmp_path)


@pytest.fixture
def empty_db(empty_db_file: Path) -> Iterator[Database]:
    db = open_database(empty_db_file)
    yield db
    db.dispose()


@pytest.fixture
def demo_db(demo_db_file: Path) -> Iterator[Database]:
    db = open_database(demo_db_file)
    yield db
    db.dispose()


# --- PostgreSQL --------------------------------------------------------------


def pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture(scope="session")
def pg_demo_template() -> Iterator[str]:
    url = pg_admin_url()
    if url is None:
        pytest.skip(f"没有 PostgreSQL 测试服务器（设置 {PG_ENV} 后运行）")
    name = f"ud_tpl_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    tpl_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    db = open_database(tpl_url)
    create_demo(db, members=DEMO_MEMBERS, unions=DEMO_UNIONS)
    db.dispose()
    yield name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_demo_db(pg_demo_template: str) -> Iterator[Database]:
    url = pg_admin_url()
    assert url is not None
    name = f"ud_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_demo_template}"'))
    db = open_database(make_url(url).set(database=name).render_as_string(hide_password=False))
    yield db
    db.dispose()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_empty_url() -> Iterator[str]:
    """An empty PostgreSQL database (no schema yet)."""
    url = pg_admin_url()
    if url is None:
        pytest.skip(f"没有 PostgreSQL 测试服务器（设置 {PG_ENV} 后运行）")
    name = f"ud_e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def any_db(request: pytest.FixtureRequest) -> Database:
    """The demo database on SQLite and (when a server is configured) on PostgreSQL."""
    fixture = "demo_db" if request.param == "sqlite" else "pg_demo_db"
    db: Database = request.getfixturevalue(fixture)
    return db


@pytest.fixture
def admin(any_db: Database) -> CurrentUser:
    return first_admin(any_db)
