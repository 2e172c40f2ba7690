"""Column mappings remembered per layout, and the importers reading with a mapping."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog, Setting
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import PermissionDenied
from unionsdesk.excel.preview import MATCH_ALIAS, MATCH_LABEL, MATCH_REMEMBERED, preview
from unionsdesk.excel.reader import ExcelReadError
from unionsdesk.fields import HARDSHIP, MEMBER, PAYOUT
from unionsdesk.services.aid import hardship
from unionsdesk.services.aid.hardship_import import import_hardship_files
from unionsdesk.services.common import users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.import_mappings import (
    KEY_PREFIX,
    mapping_key,
    preview_import,
    remember,
    remembered,
)
from unionsdesk.services.members import members, unions
from unionsdesk.services.members.member_import import import_members


def make_id(birth: str, seq: str) -> str:
    first = "360830" + birth + seq
    return first + check_char(first)


A, B = make_id("19850312", "121"), make_id("19900101", "222")


def township_roster(path: Path, people: list[tuple[str, str, str, str | None]]) -> Path:
    """The layout one township always sends: 名字 / 证件号 / 联系方式 are spellings the
    reader does not know, so only 入会日期 matches and no header is found."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["某镇工会会员名单"])
    ws.merge_cells("A1:E1")
    ws.append(["序号", "名字", "证件号", "入会日期", "联系方式"])
    for i, (name, number, joined, phone) in enumerate(people, 1):
        ws.append([i, name, number, joined, phone])
    ws.append(["合计", None, None, None, None])
    wb.save(path)
    return path


@pytest.fixture
def target(any_db: Database, admin: CurrentUser) -> unions.UnionRow:
    return unions.create_union(
        any_db, admin, {"name": "某镇某某公司工会", "parent": "青原镇总工会"}
    )


def setting_rows(db: Database) -> int:
    with db.reading() as s:
        return s.scalar(
            select(func.count(Setting.id)).where(Setting.key.startswith(KEY_PREFIX))
        ) or 0  # fmt: skip


def in_union(db: Database, admin: CurrentUser, union_id: int) -> dict[str, members.MemberRow]:
    ids = members.search_member_ids(db, admin, members.MemberFilter(union_id=union_id))
    return {r.id_number: r for r in members.fetch_member_rows(db, admin, ids)}


def test_default_import_refuses_an_unknown_layout(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    path = township_roster(tmp_path / "r.xlsx", [("张三", A, "2019-05-01", "13800138000")])
    with pytest.raises(ExcelReadError, match="没有找到表头"):
        import_members(any_db, admin, path, union_id=target.id)  # as before: no guessing
    assert in_union(any_db, admin, target.id) == {}
    p = preview(path, MEMBER)  # shown for mapping by hand: only 入会日期 is known
    assert not p.header_found and p.header_row == 2 and p.data_rows == 1
    assert [c.field for c in p.columns] == [None, None, None, "joined_on", None]


def test_explicit_mapping_imports_the_right_values(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    path = township_roster(
        tmp_path / "r.xlsx",
        [("张三", A, "2019-05-01", "13800138000"), ("王五", B, "2020.06", None)],
    )
    p = preview(path, MEMBER)
    assert p.missing == ("name", "id_number")
    columns = p.remap({"name": 1, "id_number": 2, "phone": 4}).mapping()
    result = import_members(any_db, admin, path, union_id=target.id, columns=columns)
    assert result.written and result.imported == 2 and not result.errors
    assert result.rows_read == 2 and "合计行1行" in result.skipped_summary
    assert result.header_labels == ["序号", "名字", "证件号", "入会日期", "联系方式"]
    got = in_union(any_db, admin, target.id)
    assert got[A].name == "张三" and got[A].phone == "13800138000"
    assert str(got[A].joined_on) == "2019-05-01"
    assert got[B].name == "王五" and not got[B].phone and str(got[B].joined_on) == "2020-06-01"


def test_remember_and_recall_round_trip(any_db: Database, admin: CurrentUser) -> None:
    sig = "member|序号|名字|证件号|入会日期|联系方式"
    assert remembered(any_db, MEMBER, sig) is None
    columns = {"name": 1, "id_number": 2, "joined_on": 3, "phone": 4, "sex": None}
    remember(any_db, admin, MEMBER, sig, columns)
    assert remembered(any_db, MEMBER, sig) == columns
    assert remembered(any_db, PAYOUT, sig) is None  # per entity
    assert remembered(any_db, MEMBER, sig + "|备注") is None  # per layout
    assert len(mapping_key(MEMBER, sig)) <= 80

    remember(any_db, admin, MEMBER, sig, {**columns, "phone": None})  # replaced, not added
    assert remembered(any_db, MEMBER, sig) == {**columns, "phone": None}
    remember(any_db, admin, MEMBER, sig, {**columns, "phone": None})  # unchanged: no write
    assert setting_rows(any_db) == 1
    with any_db.reading() as s:
        audits = list(
            s.scalars(select(AuditLog).where(AuditLog.entity == "setting").order_by(AuditLog.id))
        )
    mine = [a for a in audits if a.summary == "记住会员导入的列对应"]
    assert len(mine) == 2 and mine[0].user_login == admin.login
    assert json.loads(json.loads(mine[-1].after or "{}")[mapping_key(MEMBER, sig)])[
        "columns"
    ]["phone"] is None  # fmt: skip


def test_remembered_mapping_is_checked_against_the_spec(
    any_db: Database, admin: CurrentUser
) -> None:
    sig = "member|a|b"
    remember(any_db, admin, MEMBER, sig, {"name": 0, "gone": 1, "id_number": -1})
    assert remembered(any_db, MEMBER, sig) == {"name": 0, "id_number": None}
    with any_db.writing() as s:  # a damaged value is ignored, not an error
        row = s.scalar(select(Setting).where(Setting.key == mapping_key(MEMBER, sig)))
        assert row is not None
        row.value = "{not json"
    assert remembered(any_db, MEMBER, sig) is None


def test_readonly_user_cannot_remember(any_db: Database) -> None:
    reader = CurrentUser(None, "chaxun", "查询员", "readonly")
    with pytest.raises(PermissionDenied):
        remember(any_db, reader, MEMBER, "member|x|y", {"name": 0})
    clerk = users.login(any_db, "jingban", DEMO_PASSWORD)
    remember(any_db, clerk, MEMBER, "member|x|y", {"name": 0})  # a clerk who imports may
    assert remembered(any_db, MEMBER, "member|x|y") == {"name": 0}


def test_next_file_of_the_same_layout_uses_the_remembered_mapping(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    first = township_roster(tmp_path / "一月.xlsx", [("张三", A, "2019-05-01", "13800138000")])
    p = preview_import(any_db, first, MEMBER)
    assert p.applied is None and not p.ok
    confirmed = p.remap({"name": 1, "id_number": 2, "phone": 4})
    remember(any_db, admin, MEMBER, confirmed.signature, confirmed.mapping())

    second = township_roster(tmp_path / "二月.xlsx", [("王五", B, "2020-06-01", "13900001111")])
    q = preview_import(any_db, second, MEMBER)
    assert q.signature == p.signature and q.applied == MATCH_REMEMBERED and q.ok
    assert [(c.field, c.matched_by) for c in q.columns] == [
        (None, None),
        ("name", MATCH_REMEMBERED),
        ("id_number", MATCH_REMEMBERED),
        ("joined_on", MATCH_LABEL),
        ("phone", MATCH_REMEMBERED),
    ]
    result = import_members(any_db, admin, second, union_id=target.id, columns=q.mapping())
    assert result.imported == 1
    got = in_union(any_db, admin, target.id)
    assert got[B].name == "王五" and got[B].phone == "13900001111"

    # another layout is not touched by it
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "公民身份号码", "入会时间"])
    ws.append(["赵六", make_id("19781130", "333"), "2021-01-01"])
    wb.save(other)
    r = preview_import(any_db, other, MEMBER)
    assert r.applied is None and r.columns[1].matched_by == MATCH_ALIAS


def test_a_remembered_column_beyond_the_sheet_is_dropped(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    path = township_roster(tmp_path / "r.xlsx", [("张三", A, "2019-05-01", None)])
    sig = preview(path, MEMBER).signature
    remember(any_db, admin, MEMBER, sig, {"name": 1, "id_number": 2, "card_no": 40})
    q = preview_import(any_db, path, MEMBER)
    assert q.applied == MATCH_REMEMBERED and q.ok and q.mapping()["card_no"] is None


def test_hardship_import_takes_a_mapping(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    path = tmp_path / "困难.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["名字", "证件号", "所在工会", "困难类别", "致困原因", "家庭人口",
               "家庭年收入", "建档日期"])  # fmt: skip
    ws.append(["钱甲", A, "城关镇总工会", "深度困难", "患重特大疾病", 3, 18000, "2025-03-01"])
    wb.save(path)
    with pytest.raises(ExcelReadError, match="缺少必填的列"):
        import_hardship_files(any_db, admin, path)
    columns = preview(path, HARDSHIP).remap({"name": 0, "id_number": 1}).mapping()
    result = import_hardship_files(any_db, admin, path, columns=columns)
    assert result.imported == 1
    files = {f.id_number: f for f in hardship.list_files(any_db, admin)}
    assert files[A].name == "钱甲" and files[A].union_name == "城关镇总工会"
