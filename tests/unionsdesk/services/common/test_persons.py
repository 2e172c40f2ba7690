"""The identity rule (issue 13, item 3): no import ever replaces the name registered for
an ID number; a different name is an error for that row, with or without skip_invalid."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import HardshipFile, Payout, Person, UnionOrg
from unionsdesk.errors import ValidationError
from unionsdesk.services.aid import campaigns
from unionsdesk.services.aid.hardship_import import import_hardship_files
from unionsdesk.services.aid.payout_import import import_payouts
from unionsdesk.services.common.users import first_admin
from unionsdesk.services.members.member_import import import_members

IMPOSTOR = "张冒名"


def registered(db: Database) -> tuple[str, str, int]:
    """(ID number, name, union id) of someone in the demo county."""
    with db.reading() as s:
        p = s.scalars(select(Person).order_by(Person.id)).first()
        union = s.scalar(select(UnionOrg.id).where(UnionOrg.status == "正常").limit(1))
        assert p is not None and union is not None
        return p.id_number, p.name, union


def name_of(db: Database, number: str) -> str:
    with db.reading() as s:
        return s.scalar(select(Person.name).where(Person.id_number == number)) or ""


def workbook(path: Path, header: list[str], *rows: list[object]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_member_import_never_renames(demo_db: Database, tmp_path: Path, skip_invalid: bool) -> None:
    number, name, union = registered(demo_db)
    roster = workbook(tmp_path / "r.xlsx", ["姓名", "身份证号", "入会日期"],
                      [IMPOSTOR, number, "2020-01-01"])  # fmt: skip
    result = import_members(demo_db, first_admin(demo_db), roster, union_id=union,
                            skip_invalid=skip_invalid)  # fmt: skip
    assert [e.reason for e in result.errors] == [f"身份证号已登记为{name}，本行姓名为{IMPOSTOR}"]
    assert name_of(demo_db, number) == name


def test_payout_import_with_skip_invalid_never_renames(demo_db: Database, tmp_path: Path) -> None:
    admin = first_admin(demo_db)
    number, name, _union = registered(demo_db)
    c = campaigns.save_campaign(
        demo_db, admin, {"name": "身份测试", "kind": "日常慰问", "year": 2031, "approval_ref": "x"}
    )
    sheet = workbook(tmp_path / "p.xlsx", ["姓名", "身份证号", "金额"], [IMPOSTOR, number, "300"])
    result = import_payouts(demo_db, admin, sheet, campaign_id=c.id, skip_invalid=True)
    assert [e.reason for e in result.errors] == [f"身份证号已登记为{name}，本行姓名为{IMPOSTOR}"]
    assert name_of(demo_db, number) == name
    with demo_db.reading() as s:
        assert s.scalar(select(func.count()).where(Payout.campaign_id == c.id)) == 0
    # A line typed in with another name is refused the same way.
    with pytest.raises(ValidationError, match=f"身份证号已登记为{name}"):
        campaigns.add_payout(
            demo_db, admin, c.id, {"name": IMPOSTOR, "id_number": number, "amount": "300"}
        )
    assert name_of(demo_db, number) == name


def test_hardship_import_never_renames(demo_db: Database, tmp_path: Path) -> None:
    admin = first_admin(demo_db)
    number, name, union = registered(demo_db)
    sheet = workbook(
        tmp_path / "h.xlsx",
        ["姓名", "身份证号", "困难类别", "主要致困原因", "家庭人口", "家庭年度总收入", "建档日期"],
        [IMPOSTOR, number, "深度困难", "下岗失业", "3", "12000", "2024-01-05"],
    )
    with demo_db.reading() as s:
        files = s.scalar(select(func.count()).select_from(HardshipFile))
    result = import_hardship_files(demo_db, admin, sheet, union_id=union, skip_invalid=True)
    assert f"身份证号已登记为{name}，本行姓名为{IMPOSTOR}" in [e.reason for e in result.errors]
    assert name_of(demo_db, number) == name
    with demo_db.reading() as s:
        assert s.scalar(select(func.count()).select_from(HardshipFile)) == files


def test_payout_without_category_is_checked_against_the_highest_standard(
    demo_db: Database, tmp_path: Path
) -> None:
    """Issue 13 item 4: ¥1,000,000,000 with a blank 类别 in a ¥300-standard campaign."""
    from unionsdesk.domain.idcard import check_char

    admin = first_admin(demo_db)
    c = campaigns.save_campaign(
        demo_db, admin, {"name": "标准测试", "kind": "日常慰问", "year": 2031, "approval_ref": "x"},
        standards={"困难职工": "300", "劳模": "500"},
    )  # fmt: skip
    first = "36083019700101991"
    number = first + check_char(first)
    sheet = workbook(tmp_path / "p.xlsx", ["姓名", "身份证号", "金额", "类别"],
                     ["新来人", number, "1000000000", None], ["新来人", number, "800", None])  # fmt: skip
    result = import_payouts(demo_db, admin, sheet, campaign_id=c.id)
    reasons = [e.reason for e in result.errors]
    assert any("不能超过" in r for r in reasons), reasons  # the field's ceiling
    with pytest.raises(ValidationError, match="高于本活动最高标准"):
        campaigns.add_payout(
            demo_db, admin, c.id, {"name": "新来人", "id_number": number, "amount": "800"}
        )
    line = campaigns.add_payout(
        demo_db, admin, c.id, {"name": "新来人", "id_number": number, "amount": "500"}
    )
    assert line is not None
