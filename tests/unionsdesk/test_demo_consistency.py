"""The demo county passes the program's own checks: what `unionsdesk check`, the
upload pre-check and the reminders report is a handful, as in a real office — not
hundreds of contradictions the demo made itself."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from unionsdesk.cli import main
from unionsdesk.db.models import Campaign, HardshipFile, Membership, Person, UnionOrg
from unionsdesk.db.open import open_database
from unionsdesk.demo import create_demo
from unionsdesk.services.aid import hardship
from unionsdesk.services.members import unions
from unionsdesk.services.members.upstream_export import check_members_hainan

MEMBERS, UNIONS = 6000, 120


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "county.sqlite3"
    db = open_database(path)
    create_demo(db, members=MEMBERS, unions=UNIONS)
    db.dispose()
    return path


def test_check_passes(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", str(county)]) == 0
    assert "数据库正常" in capsys.readouterr().out


def test_upload_precheck_finds_a_handful(county: Path) -> None:
    db = open_database(county)
    try:
        from unionsdesk.services.common.users import first_admin

        admin = first_admin(db)
        check = check_members_hainan(db, admin)
        assert check.members >= MEMBERS * 0.95
        # a well-kept county: some gaps to show what the check does, about 1 % at most
        assert 0 < len(check.problems) <= MEMBERS * 15 // 1000, check.summary_lines()
        assert not any(p.column == "学历" and "可能是" in p.problem for p in check.problems)
        overdue = [
            u.name for u in unions.list_unions(db, admin)
            if (u.election_reminder() or "").startswith("换届已逾期")
        ]  # fmt: skip
        assert len(overdue) <= max(3, UNIONS // 30), overdue
        due = [f for f in hardship.list_files(db, admin) if f.review_due()]
        assert len(due) <= 10
    finally:
        db.dispose()


def test_dates_and_facts_agree(county: Path) -> None:
    db = open_database(county)
    today = date.today()
    try:
        with db.reading() as s:
            files = s.execute(select(HardshipFile.filed_on, HardshipFile.last_annual_review)).all()
            assert files and all(f <= today for f, _ in files)
            assert all(r is None or f < r <= today for f, r in files)
            for name, status, paid_on in s.execute(
                select(Campaign.name, Campaign.status, Campaign.paid_on)
            ):
                if paid_on is None:
                    continue
                assert status in ("已发放", "归档") and paid_on <= today
                if "金秋助学" in name:
                    assert 7 <= paid_on.month <= 10, (name, paid_on)
                if "送温暖" in name:
                    assert paid_on.month in (1, 2, 12), (name, paid_on)
            # 共青团员 (02) are 28 or younger
            league = s.scalars(select(Person.birth_date).where(Person.political == "02")).all()
            assert league and all(today.year - b.year <= 28 for b in league)
            joined = s.execute(
                select(Membership.joined_on, Person.birth_date).join(
                    Person, Person.id == Membership.person_id
                )
            ).all()
            assert all(j <= today for j, _ in joined)
            q = select(UnionOrg.name, UnionOrg.org_type).where(UnionOrg.unit_name.is_(None))
            kinds = {n: k for n, k in s.execute(q)}
            assert kinds["示例县总工会"] == "07" and kinds["教育系统工会"] == "08"
            assert all(re.search(r"(镇|乡)总工会$", n) for n, k in kinds.items() if k == "04")
    finally:
        db.dispose()
