"""Members in the 海南省工会会员信息采集表 upload layout (UPSTREAM_FORMATS.md §1.2)."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select

from unionsdesk.cli import main
from unionsdesk.db.engine import Database
from unionsdesk.db.models import ImportBatch, Membership, MembershipEvent, Person
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import Cancelled, PermissionDenied, UserError
from unionsdesk.excel import writer
from unionsdesk.services.common import users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.codes import label_maps
from unionsdesk.services.members import members, unions, upstream_export
from unionsdesk.services.members.member_import import import_members
from unionsdesk.services.members.upstream_export import (
    HAINAN_ETHNICITIES,
    HAINAN_HEADERS,
    HAINAN_NOTE,
    check_members_hainan,
    export_members_hainan,
    problems_path_for,
)

UNIT = "海口测试电子厂有限公司"
UNION = "海口测试电子厂工会委员会"
DATE = re.compile(r"\d{4}/\d{2}/\d{2}")


def make_id(birth: str, seq: str, area: str = "460100") -> str:
    first = area + birth + seq
    return first + check_char(first)


# name → (values for save_member, what the upload row must say, problems expected)
GOOD = {
    "name": "符海燕", "id_number": make_id("19880304", "122"), "ethnicity": "黎族",
    "employment_status": "在岗", "education": "大学本科", "tech_level": "职业资格三级（高级）",
    "phone": "13800138000", "hukou_type": "农业", "hukou_place": "海南省海口市美兰区",
    "political": "中共党员", "native_place": "海南文昌", "migrant_worker": "是",
    "joined_on": "2019-05-01",
}  # fmt: skip
ODD = {
    "name": "=SUM(A:A)", "id_number": make_id("19900101", "231"), "ethnicity": "汉族",
    "employment_status": "待（下）岗", "education": "研究生", "tech_level": "无",
    "phone": None, "hukou_type": "非农业", "hukou_place": "=1+1", "political": "民主党派",
    "native_place": "@广东", "migrant_worker": "否", "joined_on": "2020-03-15",
}  # fmt: skip
LANDLINE = {
    "name": "王座机", "id_number": make_id("19750607", "352"), "ethnicity": "其他",
    "employment_status": "离休", "education": "中专/高中", "phone": "0898-66123456",
    "hukou_type": "农转居", "political": "其他", "migrant_worker": "否", "joined_on": "2018-01-01",
}  # fmt: skip
RETIRED = {
    "name": "老退休", "id_number": make_id("19500101", "111"), "ethnicity": "汉族",
    "employment_status": "退休", "education": "初中及以下", "tech_level": "无",
    "phone": "13912345678", "hukou_type": "非农业", "hukou_place": "海口", "political": "群众",
    "native_place": "海口", "joined_on": "1990-01-01",
}  # fmt: skip
MOVER = {
    "name": "调动者", "id_number": make_id("19851111", "472"), "ethnicity": "汉族",
    "employment_status": "退养（内退）", "education": "大专", "tech_level": "无",
    "phone": "13512345678", "hukou_type": "农业", "hukou_place": "海口", "political": "共青团员",
    "native_place": "琼海", "joined_on": "2015-07-01",
}  # fmt: skip
KEEPER = {
    "name": "保留者", "id_number": make_id("19830202", "581"), "ethnicity": "汉族",
    "employment_status": "失业", "education": "大专", "tech_level": "无",
    "phone": "13612345678", "hukou_type": "农业", "hukou_place": "海口", "political": "群众",
    "native_place": "万宁", "joined_on": "2016-08-08",
}  # fmt: skip


def new_union(db: Database, admin: CurrentUser, name: str = UNION, unit: str = UNIT) -> int:
    return unions.create_union(db, admin, {"name": name, "unit_name": unit}).id


def register(db: Database, admin: CurrentUser, union_id: int, values: dict[str, object]) -> int:
    return members.save_member(db, admin, values, union_id=union_id).member.membership_id


@pytest.fixture
def factory(any_db: Database, admin: CurrentUser) -> dict[str, int]:
    """A new union with members covering every mapping case; name → membership id."""
    uid = new_union(any_db, admin)
    ids = {v["name"]: register(any_db, admin, uid, v) for v in (GOOD, ODD, LANDLINE, RETIRED)}
    other = new_union(any_db, admin, "原单位工会", "原单位有限公司")
    old = register(any_db, admin, other, MOVER)
    ids["调动者"] = members.transfer_member(
        any_db, admin, old, uid, date(2024, 6, 1), "工作调动"
    ).membership_id
    ids["保留者"] = register(any_db, admin, uid, KEEPER)
    members.change_member_status(any_db, admin, ids["保留者"], "02", date(2025, 1, 2), "失业")
    ids["_union"] = uid
    return ids


def sheet_rows(path: Path) -> list[list[object]]:
    """As the provincial importer sees them: every cell of the first sheet (calamine)."""
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names[0] == "会员信息"
    return [list(r) for r in wb.get_sheet_by_name("会员信息").to_python(skip_empty_area=False)]


def by_name(path: Path) -> dict[str, dict[str, object]]:
    rows = sheet_rows(path)
    header = rows[3]
    return {str(r[1]): dict(zip(header, r, strict=True)) for r in rows[4:-1]}


def test_layout_is_the_provincial_template(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "上报.xlsx"
    result = export_members_hainan(any_db, admin, out, union_id=factory["_union"])
    assert result.files == [out] and result.members == 6

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["会员信息", "下拉菜单表"]
    ws = wb["会员信息"]
    assert ws["A1"].value == "附件四"
    assert ws["A2"].value == "海南省工会会员信息采集表"
    assert ws["A3"].value == f"填表单位（盖章）：{UNION}"
    assert ws["L3"].value == "单位负责人(签字)："
    assert tuple(c.value for c in ws[4]) == HAINAN_HEADERS
    assert HAINAN_HEADERS[3] == "出生日期（格式：yyyy/MM/dd）" and len(HAINAN_HEADERS) == 20
    assert HAINAN_HEADERS[-1] == '是否农民工会员 填写"是"或"否"'
    last = ws.max_row
    assert last == 4 + 6 + 1
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {"A2:T2", "A3:K3", "L3:T3", f"A{last}:T{last}"}  # none elsewhere below row 4
    assert ws.cell(row=last, column=1).value == HAINAN_NOTE and HAINAN_NOTE.startswith("填表说明")
    assert ws.freeze_panes == "C5"

    body = list(ws.iter_rows(min_row=5, max_row=last - 1))
    assert [r[0].value for r in body] == [str(i) for i in range(1, 7)]  # 序号 as text
    for row in body:
        for cell in row:
            if cell.value is not None:
                assert isinstance(cell.value, str) and cell.data_type == "s"
                assert cell.number_format == "@"
        assert DATE.fullmatch(row[3].value) and DATE.fullmatch(row[14].value)
        assert row[6].value == "居民身份证"
    # Empty cells are not written; the column format keeps what a clerk types there text.
    assert all(ws.column_dimensions[c].number_format == "@" for c in "ABCDEFGHIJKLMNOPQRST")
    # The data validations of the template: drop-downs on the data rows.
    lists = {str(dv.sqref)[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["E"].formula1 == "下拉菜单表!$A$2:$A$57"
    assert lists["I"].formula1 == '"博士,硕士,本科,大专,中专,高中,初中,小学及以下"'
    assert str(lists["C"].sqref) == f"C5:C{last - 1}"

    # Calamine (what our importer and most tools read) sees strings only.
    for r in sheet_rows(out)[4:-1]:
        assert all(v == "" or isinstance(v, str) for v in r)

    dd = wb["下拉菜单表"]
    ethnicities = [dd.cell(row=i, column=1).value for i in range(2, 58)]
    assert ethnicities == list(HAINAN_ETHNICITIES) and len(set(ethnicities)) == 56
    assert ethnicities[:3] == ["汉族", "蒙古族", "回族"] and ethnicities[-1] == "基诺族"
    seeded = label_maps(any_db, ["ethnicity"])["ethnicity"]
    assert [seeded[f"{i:02d}"] for i in range(1, 57)] == ethnicities  # GB/T 3304 order


def test_values_are_mapped_to_provincial_spellings(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "hn.xlsx"
    export_members_hainan(any_db, admin, out, union_id=factory["_union"])
    rows = by_name(out)
    h = dict(zip(("seq", "name", "sex", "birth", "eth", "emp", "idtype", "id", "edu", "tech",
                  "phone", "hukou", "place", "ctype", "cdate", "creason", "pol", "unit", "native",
                  "migrant"), HAINAN_HEADERS, strict=True))  # fmt: skip

    good = rows["符海燕"]
    assert good[h["sex"]] == "女" and good[h["birth"]] == "1988/03/04"
    assert good[h["id"]] == GOOD["id_number"]
    assert (good[h["eth"]], good[h["emp"]], good[h["edu"]], good[h["tech"]]) == (
        "黎族", "在岗", "本科", "职业资格三级（高级）",
    )  # fmt: skip
    assert (good[h["hukou"]], good[h["pol"]], good[h["migrant"]]) == ("农业户口", "中共党员", "是")
    assert (good[h["ctype"]], good[h["cdate"]], good[h["creason"]]) == ("入会", "2019/05/01", "")
    assert good[h["unit"]] == UNIT and good[h["place"]] == "海南省海口市美兰区"
    assert good[h["native"]] == "海南文昌" and good[h["phone"]] == "13800138000"

    odd = rows["=SUM(A:A)"]
    assert (odd[h["emp"]], odd[h["hukou"]], odd[h["migrant"]], odd[h["tech"]]) == (
        "待（下）岗", "非农业户口", "否", "无",
    )  # fmt: skip
    assert odd[h["edu"]] == "研究生" and odd[h["pol"]] == "民主党派"  # kept, and reported
    assert odd[h["place"]] == "=1+1" and odd[h["native"]] == "@广东"

    mover = rows["调动者"]
    assert (mover[h["ctype"]], mover[h["cdate"]], mover[h["creason"]]) == (
        "转入", "2024/06/01", "劳动（工作）关系发生变化",
    )  # fmt: skip
    assert mover[h["emp"]] == "退养（内退）" and mover[h["pol"]] == "共青团员"
    keeper = rows["保留者"]
    assert (keeper[h["ctype"]], keeper[h["cdate"]], keeper[h["creason"]]) == (
        "保留", "2025/01/02", "失业",
    )  # fmt: skip
    assert rows["老退休"][h["edu"]] == "初中及以下" and rows["老退休"][h["emp"]] == "退休"
    assert rows["王座机"][h["phone"]] == "0898-66123456"


def test_formula_text_stays_text(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "hn.xlsx"
    export_members_hainan(any_db, admin, out, union_id=factory["_union"])
    with zipfile.ZipFile(out) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    ws = openpyxl.load_workbook(out)["会员信息"]
    names = {ws.cell(row=r, column=2).value: r for r in range(5, ws.max_row)}
    r = names["=SUM(A:A)"]
    assert ws.cell(row=r, column=2).data_type == "s"
    assert ws.cell(row=r, column=13).value == "=1+1" and ws.cell(row=r, column=13).data_type == "s"


def test_problem_report(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "hn.xlsx"
    result = export_members_hainan(any_db, admin, out, union_id=factory["_union"])
    found = {(p.name, p.column): p for p in result.problems}
    assert not [p for p in result.problems if p.name == "符海燕"]  # a clean row has none
    p = found[("=SUM(A:A)", "学历")]
    assert not p.rejected and "博士" in p.problem and "硕士" in p.problem and p.value == "研究生"
    number = str(ODD["id_number"])
    assert p.id_masked == number[:4] + "*" * 10 + number[-4:]
    assert p.union == UNION and p.file_name == "hn.xlsx" and 5 <= p.row <= 10
    assert found[("=SUM(A:A)", "移动电话")].rejected  # empty phone: refused upstream
    assert "民革党员" in found[("=SUM(A:A)", "政治面貌")].problem
    landline = found[("王座机", "移动电话")]
    assert landline.rejected and "超过11位" in landline.problem
    assert "中专" in found[("王座机", "学历")].problem
    assert "离休" in found[("王座机", "就业状况")].problem
    assert "农转居" in found[("王座机", "户籍类型")].problem
    assert "其他" in found[("王座机", "民族")].problem
    assert ("王座机", "技术等级") in found and "“无”" in found[("王座机", "技术等级")].problem
    assert (
        found[("老退休", "就业状况")].rejected and "退休" in found[("老退休", "就业状况")].problem
    )
    assert "小学及以下" in found[("老退休", "学历")].problem
    assert ("调动者", "会籍变化原因") not in found and ("保留者", "会籍变化原因") not in found
    assert result.rejected_rows == 3 and result.problem_rows == 3  # =SUM(A:A), 王座机, 老退休
    # the rows the clerk must look at are the right ones
    ws = openpyxl.load_workbook(out)["会员信息"]
    assert ws.cell(row=landline.row, column=2).value == "王座机"

    # The list is a separate workbook beside the upload file, masked.
    report = problems_path_for(out)
    assert result.problems_path == report == tmp_path / "hn_问题清单.xlsx"
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == ["问题明细", "问题汇总"]
    detail = list(wb["问题明细"].iter_rows(values_only=True))
    head = detail[2]
    assert head[:7] == ("序号", "姓名", "身份证号", "所在工会", "上报文件", "行号", "级别")
    assert set(head[7:]) >= {"学历", "移动电话", "政治面貌", "就业状况"}  # problem columns only
    assert "证件号码" not in head and "性别" not in head
    lines = {r[1]: dict(zip(head, r, strict=True)) for r in detail[3 : 3 + result.problem_rows]}
    assert set(lines) == {"=SUM(A:A)", "王座机", "老退休"}  # one line per member
    assert lines["王座机"]["级别"] == "拒收" and "0898-66123456" in lines["王座机"]["移动电话"]
    assert lines["王座机"]["行号"] == landline.row and lines["王座机"]["上报文件"] == "hn.xlsx"
    assert "研究生" in lines["=SUM(A:A)"]["学历"] and lines["=SUM(A:A)"]["就业状况"] is None
    flat = " ".join(str(v) for r in detail for v in r)
    for v in (ODD, LANDLINE, RETIRED):
        assert str(v["id_number"]) not in flat  # never the full ID number
    summary = list(wb["问题汇总"].iter_rows(values_only=True))
    assert ("拒收", "移动电话", "未填写手机号，上级系统会拒收", 1) in summary
    lines = "\n".join(result.summary_lines())
    assert "上级系统会拒收：3人" in lines and str(report) in lines

    # The check alone gives the same problems, without writing anything.
    check = check_members_hainan(any_db, admin, union_id=factory["_union"])
    assert check.members == 6
    assert sorted((p.name, p.column, p.problem) for p in check.problems) == sorted(
        (p.name, p.column, p.problem) for p in result.problems
    )
    assert all(p.file_name == "" and p.row == 0 for p in check.problems)


def test_no_problems_no_list_and_a_stale_list_is_removed(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    uid = new_union(any_db, admin)
    register(any_db, admin, uid, GOOD)
    out = tmp_path / "hn.xlsx"
    stale = problems_path_for(out)
    stale.write_bytes(b"old")
    result = export_members_hainan(any_db, admin, out, union_id=uid)
    assert result.problems == [] and result.problems_path is None and not stale.exists()
    assert "均符合" in "\n".join(result.summary_lines())


def test_split_into_complete_files(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "hn.xlsx"
    result = export_members_hainan(any_db, admin, out, union_id=factory["_union"], rows_per_file=4)
    assert result.files == [tmp_path / "hn_1.xlsx", tmp_path / "hn_2.xlsx"]
    assert not out.exists() and result.members == 6
    seen: list[str] = []
    for path, n in zip(result.files, (4, 2), strict=True):
        rows = sheet_rows(path)
        assert rows[0][0] == "附件四" and tuple(rows[3]) == HAINAN_HEADERS
        body = rows[4:-1]
        assert [r[0] for r in body] == [str(i) for i in range(1, n + 1)]
        assert rows[-1][0] == HAINAN_NOTE
        seen += [str(r[7]) for r in body]
        ws = openpyxl.load_workbook(path)["会员信息"]
        last = ws.max_row
        assert {str(r) for r in ws.merged_cells.ranges} == {
            "A2:T2", "A3:K3", "L3:T3", f"A{last}:T{last}",
        }  # fmt: skip
    assert len(set(seen)) == 6
    landline = next(p for p in result.problems if p.name == "王座机" and p.column == "移动电话")
    ws = openpyxl.load_workbook(tmp_path / landline.file_name)["会员信息"]
    assert ws.cell(row=landline.row, column=2).value == "王座机"


def test_one_file_per_union(any_db: Database, admin: CurrentUser, tmp_path: Path) -> None:
    out = tmp_path / "全县.xlsx"
    result = export_members_hainan(any_db, admin, out, per_union=True, rows_per_file=30)
    total = members.count_members(any_db)
    assert result.members == total
    written = 0
    for path in result.files:
        rows = sheet_rows(path)
        body = rows[4:-1]
        written += len(body)
        assert 1 <= len(body) <= 30 and rows[-1][0] == HAINAN_NOTE
        unit = str(rows[2][0]).removeprefix("填表单位（盖章）：")
        assert path.name.startswith(f"全县_{unit}")
    assert written == total and len({p.name for p in result.files}) == len(result.files)


def test_round_trip_through_the_member_importer(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path
) -> None:
    def counts() -> tuple[int, int, int, int]:
        with any_db.reading() as s:
            return tuple(  # type: ignore[return-value]
                s.scalar(select(func.count()).select_from(t)) or 0
                for t in (Person, Membership, MembershipEvent, ImportBatch)
            )

    out = tmp_path / "hn.xlsx"
    export_members_hainan(any_db, admin, out, union_id=factory["_union"])
    before = counts()
    result = import_members(any_db, admin, out, union_id=factory["_union"])
    assert result.errors == [] and result.rows_read == 6
    assert len(result.already_present) == 6 and result.imported == 0
    assert "说明行1行" in result.skipped_summary and "标题行3行" in result.skipped_summary
    assert counts() == before
    # Without --union: the 工作单位 column (the unit's full name) finds the union.
    again = import_members(any_db, admin, out)
    assert again.errors == [] and len(again.already_present) == 6 and counts() == before


def test_round_trip_into_an_empty_register(
    demo_db: Database, empty_template: Path, tmp_path: Path
) -> None:
    """What a file made here carries into another UnionsDesk: the provincial spellings
    read back as our codes (本科 → 大学本科, 农业户口 → 农业, …)."""
    from unionsdesk.db.open import open_database
    from unionsdesk.services.common.office import initialise

    (tmp_path / "other").mkdir()
    other = tmp_path / "other" / "other.sqlite3"
    shutil.copyfile(empty_template, other)
    empty_db = open_database(other)
    src = users.first_admin(demo_db)
    uid = new_union(demo_db, src)
    for v in (GOOD, ODD, RETIRED):
        register(demo_db, src, uid, v)
    out = tmp_path / "hn.xlsx"
    export_members_hainan(demo_db, src, out, union_id=uid)

    dst = initialise(empty_db, {"name": "另一县总工会"}, "boss", "pa55word")
    target = new_union(empty_db, dst)
    result = import_members(empty_db, dst, out, union_id=target)
    assert result.errors == [] and result.imported == 3

    def detail(db: Database, actor: CurrentUser, number: object) -> dict[str, object]:
        ids = members.search_member_ids(db, actor, members.MemberFilter(text=str(number)))
        return members.get_member(db, actor, ids[0]).values

    fields = ("name", "ethnicity", "employment_status", "education", "tech_level", "phone",
              "hukou_type", "hukou_place", "political", "native_place", "migrant_worker",
              "joined_on", "sex", "birth_date")  # fmt: skip
    for v in (GOOD, ODD, RETIRED):
        a, b = detail(demo_db, src, v["id_number"]), detail(empty_db, dst, v["id_number"])
        assert {f: a[f] for f in fields} == {f: b[f] for f in fields}, v["name"]
    empty_db.dispose()


def test_transferred_and_retained_members_come_back_as_they_were(
    demo_db: Database, empty_template: Path, tmp_path: Path
) -> None:
    """转入 and 保留 rows keep their meaning through another UnionsDesk: the 会籍变化日期
    is not taken for a plain join date, the status and first event follow the
    会籍变化类型, and the second register exports the same three cells again."""
    from unionsdesk.db.open import open_database
    from unionsdesk.services.common.import_undo import undo_batch
    from unionsdesk.services.common.office import initialise

    src = users.first_admin(demo_db)
    uid = new_union(demo_db, src)
    other = new_union(demo_db, src, "原单位工会", "原单位有限公司")
    old = register(demo_db, src, other, MOVER)
    members.transfer_member(demo_db, src, old, uid, date(2024, 6, 1), "工作调动")
    keeper = register(demo_db, src, uid, KEEPER)
    members.change_member_status(demo_db, src, keeper, "02", date(2025, 1, 2), "失业")
    register(demo_db, src, uid, GOOD)
    first = tmp_path / "hn.xlsx"
    export_members_hainan(demo_db, src, first, union_id=uid)

    (tmp_path / "other").mkdir()
    shutil.copyfile(empty_template, tmp_path / "other" / "o.sqlite3")
    empty_db = open_database(tmp_path / "other" / "o.sqlite3")
    dst = initialise(empty_db, {"name": "另一县总工会"}, "boss", "pa55word")
    target = new_union(empty_db, dst)
    result = import_members(empty_db, dst, first, union_id=target)
    assert result.errors == [] and result.imported == 3
    assert len([w for _, w in result.warnings if "入会日期表中没有" in w]) == 2
    assert result.dates_guessed == 2
    assert any("转入、保留会籍人员表中只有一个日期" in line for line in result.summary_lines())

    again = tmp_path / "again.xlsx"
    export_members_hainan(empty_db, dst, again, union_id=target)
    cells = ("会籍变化类型", "会籍变化日期（格式：yyyy/MM/dd）", "会籍变化原因")
    a, b = by_name(first), by_name(again)
    assert [a[n]["会籍变化类型"] for n in ("调动者", "保留者", "符海燕")] == [
        "转入",
        "保留",
        "入会",
    ]
    for name in ("调动者", "保留者", "符海燕"):
        assert {c: b[name][c] for c in cells} == {c: a[name][c] for c in cells}, name
    [kept] = members.search_member_ids(
        empty_db, dst, members.MemberFilter(text=KEEPER["id_number"])
    )
    assert members.get_member(empty_db, dst, kept).values["status"] == "02"
    # Still one first event per membership: the batch can be undone.
    assert undo_batch(empty_db, dst, result.batch_id).memberships_removed == 3

    # A row whose 会籍变化类型 says the person has left is refused, with the reason.
    wb = openpyxl.load_workbook(first)
    ws = wb["会员信息"]
    header = [c.value for c in ws[4]]
    row = next(r for r in ws.iter_rows(min_row=5) if r[1].value == "保留者")
    row[header.index("会籍变化类型")].value = "退会"
    wb.save(first)
    refused = import_members(empty_db, dst, first, union_id=target)
    assert refused.imported == 0 and [e.reason for e in refused.errors] == [
        "会籍变化类型为“退会”的人员已不在册，不能导入；请在会员管理中办理"
    ]
    empty_db.dispose()


def test_readonly_may_check_but_not_export(
    any_db: Database, factory: dict[str, int], tmp_path: Path
) -> None:
    reader = users.login(any_db, "chaxun", DEMO_PASSWORD)
    out = tmp_path / "hn.xlsx"
    with pytest.raises(PermissionDenied, match="完整的身份证号"):
        export_members_hainan(any_db, reader, out, union_id=factory["_union"])
    assert not out.exists()
    check = check_members_hainan(any_db, reader, union_id=factory["_union"])
    phone = next(p for p in check.problems if p.name == "王座机" and p.column == "移动电话")
    assert phone.value != "0898-66123456" and "*" in phone.value
    assert all("*" in p.id_masked for p in check.problems)


def test_cancel_leaves_no_file(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):  # asked at the end: parts 1 and 2 are written by then
        export_members_hainan(
            any_db, admin, folder / "hn.xlsx", union_id=factory["_union"], rows_per_file=2,
            cancelled=lambda: True,
        )  # fmt: skip
    assert list(folder.iterdir()) == []


def test_cancel_while_the_problem_list_is_written(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path
) -> None:
    """取消 pressed once the upload file is written, during the problem list: the
    upload file goes too."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "hn.xlsx"
    asked: list[bool] = []

    def cancelled() -> bool:
        asked.append(out.exists())
        return out.exists()

    with pytest.raises(Cancelled):
        export_members_hainan(any_db, admin, out, union_id=factory["_union"], cancelled=cancelled)
    assert asked[0] is False and asked[-1] is True  # asked before and during the list
    assert list(folder.iterdir()) == []


def test_a_problem_list_that_cannot_be_written_leaves_no_file(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "hn.xlsx"
    problems_path_for(out).mkdir()  # in the way of the list
    with pytest.raises(UserError, match="无法写入"):
        export_members_hainan(any_db, admin, out, union_id=factory["_union"])
    assert [p.name for p in folder.iterdir()] == ["hn_问题清单.xlsx"]


def test_progress_covers_the_problem_list(
    any_db: Database, admin: CurrentUser, factory: dict[str, int], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(upstream_export, "_CHUNK", 2)
    monkeypatch.setattr(writer, "_CHUNK", 1)
    seen: list[tuple[int, int]] = []
    result = export_members_hainan(
        any_db, admin, tmp_path / "hn.xlsx", union_id=factory["_union"],
        progress=lambda d, t: seen.append((d, t)),
    )  # fmt: skip
    assert (result.members, result.problem_rows) == (6, 3)
    assert seen[-1] == (9, 9)  # 6 members, then the 3 lines of the problem list
    assert (2, 7) in seen and (4, 9) in seen  # the total grows as problems are found
    assert any(6 < d < 9 and t == 9 for d, t in seen)  # the list, while it is written
    fractions = [d / t for d, t in seen]
    assert fractions == sorted(fractions)  # never goes back

    seen.clear()  # without the list: the members only
    export_members_hainan(
        any_db, admin, tmp_path / "hn.xlsx", union_id=factory["_union"], write_problems=False,
        progress=lambda d, t: seen.append((d, t)),
    )  # fmt: skip
    assert {t for _, t in seen} == {6} and seen[-1] == (6, 6)


def test_check_honours_a_cancel_in_the_last_rows(
    any_db: Database, admin: CurrentUser, factory: dict[str, int]
) -> None:
    """Fewer rows than the check's step between cancel checks: asked at the end."""
    with pytest.raises(Cancelled):
        check_members_hainan(any_db, admin, union_id=factory["_union"], cancelled=lambda: True)
    check = check_members_hainan(any_db, admin, union_id=factory["_union"], cancelled=lambda: False)
    assert check.members == 6


def test_progress_and_an_empty_union(any_db: Database, admin: CurrentUser, tmp_path: Path) -> None:
    uid = new_union(any_db, admin)
    out = tmp_path / "hn.xlsx"
    seen: list[tuple[int, int]] = []
    result = export_members_hainan(
        any_db, admin, out, union_id=uid, progress=lambda d, t: seen.append((d, t))
    )
    assert result.members == 0 and result.files == [out] and seen[-1] == (0, 0)
    rows = sheet_rows(out)
    assert tuple(rows[3]) == HAINAN_HEADERS and rows[4][0] == HAINAN_NOTE and len(rows) == 5


def test_cli_export_members_hainan(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "上报.xlsx"
    db = str(demo_db_file)
    code = main(["export", "members", str(out), "--db", db, "--layout", "hainan",
                 "--union", "城关镇总工会", "--rows-per-file", "10"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "已导出" in captured.out and "上报_1.xlsx" in captured.out
    assert "数据问题" in captured.out and "问题清单" in captured.out
    assert (tmp_path / "上报_1.xlsx").exists() and (tmp_path / "上报_问题清单.xlsx").exists()
    rows = sheet_rows(tmp_path / "上报_1.xlsx")
    assert rows[2][0] == "填表单位（盖章）：城关镇总工会" and len(rows[4:-1]) == 10

    # The default layout is still the register.
    reg = tmp_path / "名册.xlsx"
    assert main(["export", "members", str(reg), "--db", db]) == 0
    assert openpyxl.load_workbook(reg).worksheets[0]["A1"].value == "会员名册"
    capsys.readouterr()
    assert main(["export", "members", str(reg), "--db", db, "--per-union"]) == 2
    assert "只用于 --layout hainan" in capsys.readouterr().err
    code = main(["export", "members", str(out), "--db", db, "--layout", "hainan",
                 "--rows-per-file", "0"])  # fmt: skip
    assert code == 2 and "--rows-per-file" in capsys.readouterr().err
