"""互助保障 at county scale: one workbook of 10 000 units' lists × 30 people (300 000 rows,
工作单位 column; the people are the units' members) imported as 10 000 参保登记 in one
go, every row checked against the member register, goal ≤ 10 s."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from unionsdesk.db.open import open_database
from unionsdesk.demo import create_demo
from unionsdesk.domain.idcard import check_char

DATA = Path(__file__).parent / "data"
UNITS, PEOPLE = 10_000, 30
PERIOD = 2030


@pytest.fixture(scope="session")
def enrolment_roster() -> Path:
    path = DATA / f"mutual-roster-{UNITS}x{PEOPLE}.xlsx"
    if not path.exists():
        from openpyxl import Workbook

        DATA.mkdir(exist_ok=True)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("参保名单")
        ws.append(["职工互助保障参保人员名单"])
        ws.append(["序号", "姓名", "身份证号", "份数", "工作单位"])
        n = 0
        for u in range(UNITS):
            unit = f"基准单位{u:05d}工会委员会"
            for k in range(PEOPLE):
                birth = date(1960, 1, 1) + timedelta(days=n // 1000)
                first = f"360830{birth:%Y%m%d}{n % 1000:03d}"
                ws.append(
                    [
                        n + 1,
                        "李" + chr(0x4E00 + n % 20000),
                        first + check_char(first),
                        1 + k % 3,
                        unit,
                    ]
                )
                n += 1
        tmp = path.with_suffix(".tmp.xlsx")
        wb.save(tmp)
        tmp.rename(path)
    return path


@pytest.fixture(scope="session")
def mutual_county(enrolment_roster: Path) -> Path:
    """10 000 unions whose 300 000 members are the roster's people (made once, cached):
    units enrol their own members, as in a real county."""
    path = DATA / f"mutual-county-{UNITS}x{PEOPLE}.sqlite3"
    if path.exists():
        return path
    from python_calamine import CalamineWorkbook
    from sqlalchemy import insert, select

    from unionsdesk.db.models import Membership, Person, UnionOrg
    from unionsdesk.domain.pinyin import pinyin_keys

    tmp = path.with_suffix(".tmp")
    for stale in DATA.glob(tmp.name + "*"):
        stale.unlink()
    db = open_database(tmp)
    admin = create_demo(db)  # the office and its users, no county
    rows = CalamineWorkbook.from_path(str(enrolment_roster)).get_sheet_by_index(0).to_python()[2:]
    with db.writing() as s:
        s.execute(insert(UnionOrg), [
            {"name": f"基准单位{u:05d}工会委员会", "unit_name": f"基准单位{u:05d}", "status": "正常",
             "created_by": admin.login} for u in range(UNITS)
        ])  # fmt: skip
        unions = dict(s.execute(select(UnionOrg.name, UnionOrg.id)).tuples().all())
        people = []
        for r in rows:
            number = str(r[2])
            full, initials = pinyin_keys(str(r[1]))
            people.append({"id_number": number, "name": r[1], "name_pinyin": full, "name_initials": initials,
                           "sex": "男" if int(number[16]) % 2 else "女",
                           "birth_date": date(int(number[6:10]), int(number[10:12]), int(number[12:14]))})  # fmt: skip
        s.execute(insert(Person), people)
        ids = dict(s.execute(select(Person.id_number, Person.id)).tuples().all())
        s.execute(insert(Membership), [
            {"person_id": ids[str(r[2])], "union_id": unions[str(r[4])], "joined_on": date(2015, 1, 1),
             "status": "01", "active": True} for r in rows
        ])  # fmt: skip
    db.dispose()
    tmp.rename(path)
    return path


def _office(tmp_path: Path, county: Path) -> tuple[Any, Any, int]:
    from unionsdesk.services.common.users import first_admin
    from unionsdesk.services.mutual.registers import MUTUAL_PLANS

    target = tmp_path / "mutual.sqlite3"
    shutil.copyfile(county, target)
    db = open_database(target)
    admin = first_admin(db)
    plan = MUTUAL_PLANS.create(db, admin, {"name": "基准意外互助", "term_months": 12, "fee": "10",
                                           "benefits": "意外身故=10000"})  # fmt: skip
    return db, admin, plan.id


def test_enrolment_import_10k_units(
    tmp_path: Path, enrolment_roster: Path, mutual_county: Path, bench: Any
) -> None:
    from unionsdesk.services.mutual.enrolments import import_enrolment

    db, admin, plan_id = _office(tmp_path, mutual_county)
    t = time.perf_counter()
    result = import_enrolment(db, admin, enrolment_roster, plan=plan_id, period=PERIOD)
    project = time.perf_counter() - t
    assert result.written and result.errors == [], result.summary_lines()[:8]
    assert len(result.units) == UNITS and result.imported == UNITS * PEOPLE
    with db.reading() as s:
        from sqlalchemy import func, select

        from unionsdesk.db.models_mutual import MutualEnrolment

        n, amount = s.execute(select(func.count(), func.sum(MutualEnrolment.amount))).one()
    assert n == UNITS and amount == sum(1 + k % 3 for k in range(PEOPLE)) * UNITS * 1000
    db.dispose()

    # baseline: the same rows read with calamine and inserted raw (no checks, no people)
    def baseline() -> None:
        from python_calamine import CalamineWorkbook

        rows = (
            CalamineWorkbook.from_path(str(enrolment_roster)).get_sheet_by_index(0).to_python()[2:]
        )
        conn = sqlite3.connect(tmp_path / "raw.sqlite3")
        conn.execute(
            "CREATE TABLE insured (id INTEGER PRIMARY KEY, name TEXT, id_number TEXT, shares INT, unit TEXT)"
        )
        conn.executemany("INSERT INTO insured (name, id_number, shares, unit) VALUES (?, ?, ?, ?)",
                         [(r[1], r[2], int(r[3]), r[4]) for r in rows])  # fmt: skip
        conn.commit()
        conn.close()

    t = time.perf_counter()
    baseline()
    raw = time.perf_counter() - t
    bench.report(f"enrolment import {UNITS} units x {PEOPLE} people", project, raw, "<= 10 s")
    assert project <= 10.0
