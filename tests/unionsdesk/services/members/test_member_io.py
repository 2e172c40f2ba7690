from pathlib import Path

import openpyxl

from unionsdesk.db.engine import Database
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.services.common import users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import member_io, members


def _rows(path: Path) -> list[tuple[object, ...]]:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    return list(ws.iter_rows(values_only=True))


def test_export_members_reads_back(any_db: Database, admin: CurrentUser, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    n = member_io.export_members(any_db, admin, out, office="示例县总工会")
    assert n == members.count_members(any_db)
    rows = _rows(out)
    assert rows[0][0] == "会员名册" and "示例县总工会" in str(rows[1][0])
    header = rows[2]
    assert header[:3] == ("姓名", "身份证号", "性别")
    body = rows[3 : 3 + n]
    assert len(body) == n and rows[3 + n][0] == "合计" and rows[3 + n][1] == f"{n}人"
    ids = [r[1] for r in body]
    assert all(isinstance(i, str) and len(i) == 18 for i in ids)  # text, never numbers
    assert {r[header.index("民族")] for r in body} >= {"汉族"}  # labels, not codes
    first = members.fetch_member_rows(any_db, admin, members.search_member_ids(any_db, admin)[:1])[
        0
    ]
    assert first.id_number in ids


def test_export_is_masked_for_readonly(any_db: Database, tmp_path: Path) -> None:
    reader = users.login(any_db, "chaxun", DEMO_PASSWORD)
    out = tmp_path / "m.xlsx"
    member_io.export_members(any_db, reader, out)
    body = _rows(out)[3:8]
    assert all("*" in str(r[1]) for r in body)


def test_export_one_union_subtree(any_db: Database, admin: CurrentUser, tmp_path: Path) -> None:
    from unionsdesk.services.members.unions import find_union

    town = find_union(any_db, admin, "城关镇总工会")
    out = tmp_path / "t.xlsx"
    n = member_io.export_members(any_db, admin, out, union_id=town.id)
    expected = len(members.search_member_ids(any_db, admin, members.MemberFilter(union_id=town.id)))
    assert n == expected > 0
    assert _rows(out)[0][0] == "城关镇总工会会员名册"


def test_template_has_header_lists_and_text_cells(any_db: Database, tmp_path: Path) -> None:
    out = member_io.write_member_template(any_db, tmp_path / "tpl.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb["会员信息"]
    header = [c.value for c in ws[3]]
    assert header[0] == "姓名*" and "身份证号*" in header and "入会日期*" in header
    assert wb["下拉菜单"].sheet_state == "hidden"
    assert len(ws.data_validations.dataValidation) >= 8
    id_col = header.index("身份证号*") + 1
    assert ws.cell(row=10, column=id_col).number_format == "@"


def test_union_table_totals(any_db: Database, admin: CurrentUser) -> None:
    t = member_io.union_table(any_db, admin)
    assert t.totals is not None
    assert t.totals[t.column_index["member_count"]] == members.count_members(any_db)


def test_union_export_shows_own_and_lower_members(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    """A township union has few members of its own: the export shows both 本级会员 and
    含下级会员, as the 基层工会 tab does."""
    from unionsdesk.excel.writer import write_table
    from unionsdesk.services.members.unions import find_union

    t = member_io.union_table(any_db, admin)
    out = write_table(tmp_path / "u.xlsx", t, "工会")
    rows = _rows(out)
    header = next(r for r in rows if r and r[0] == "工会全称")
    own, lower = header.index("本级会员"), header.index("含下级会员")
    by_name = {r[0]: r for r in rows if r and r[0] and isinstance(r[own], int)}
    town = find_union(any_db, admin, "城关镇总工会")
    in_town = len(members.search_member_ids(any_db, admin, members.MemberFilter(union_id=town.id)))
    assert by_name["城关镇总工会"][own] == 0 and by_name["城关镇总工会"][lower] == in_town > 0
    assert by_name["示例县总工会"][lower] == members.count_members(any_db)


def test_member_export_and_template_name_the_union_column(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    out = tmp_path / "m.xlsx"
    member_io.export_members(any_db, admin, out)
    header = _rows(out)[2]
    assert "所在工会" in header and "工作单位" not in header
    body = _rows(out)[3:6]
    assert all(
        str(r[header.index("所在工会")]).endswith("工会委员会")
        or "工会" in str(r[header.index("所在工会")])
        for r in body
    )
    tpl = openpyxl.load_workbook(member_io.write_member_template(any_db, tmp_path / "t.xlsx"))
    ws = tpl["会员信息"]
    head = [c.value for c in ws[3]]
    col = next(i for i, h in enumerate(head, 1) if h and str(h).startswith("所在工会"))
    example = ws.cell(row=4, column=col).value
    assert example and "填写" not in example and example.endswith("工会委员会")
