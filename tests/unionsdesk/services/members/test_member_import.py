"""The member importer on a messy township roster, as clerks really get them."""

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from unionsdesk.cli import main
from unionsdesk.db.engine import Database
from unionsdesk.db.models import ImportBatch, Membership, MembershipEvent, Person
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import Cancelled
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import members, unions
from unionsdesk.services.members.member_import import import_members


def make_id(birth: str, seq: str, area: str = "360830") -> str:
    first = area + birth + seq
    return first + check_char(first)


def counts(db: Database) -> tuple[int, int, int]:
    with db.reading() as s:
        return (
            s.scalar(select(func.count(Person.id))) or 0,
            s.scalar(select(func.count(Membership.id))) or 0,
            s.scalar(select(func.count(ImportBatch.id))) or 0,
        )


def messy_roster(path: Path, *, bad: bool) -> dict[str, str]:
    """A roster as townships send them: merged title, 填报单位 row, spaced and synonym
    headers, blank rows, IDs with spaces/full-width/lowercase x/15 digits, a 合计 row."""
    ids = {
        "a": make_id("19850312", "121"),
        "b": make_id("19900101", "222"),
        "c": make_id("19781130", "333"),
    }
    x_id = next(
        make_id("19920505", f"{n:03d}")
        for n in range(100, 999)
        if make_id("19920505", f"{n:03d}").endswith("X")
    )
    ids["x"] = x_id
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["青原镇2026年工会会员花名册"])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位：青原镇总工会", None, None, None, "填报日期：2026年3月1日"])
    ws.append(
        ["序号", "姓  名", "公民身份号码", "性别", "民族", "联系电话", "入会时间", "是否农民工"]
    )
    ws.append(
        [
            1,
            "张 三",
            " ".join([ids["a"][:6], ids["a"][6:14], ids["a"][14:]]),
            "男",
            "汉族",
            "138-0013-8000",
            datetime(2019, 5, 1),
            "是",
        ]
    )
    ws.append([None] * 8)
    full_width = ids["b"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    ws.append([2, "王𠮷", full_width, "女", "汉", "0796 8123456", "2019.05", "否"])
    ws.append(
        [3, "阿依古丽·买买提", ids["x"].lower(), "女", "维吾尔族", "13900001111", "2019年5月", "√"]
    )
    ws.append([4, "老职工", "360830650312101", "男", "回族", None, "1990-1-1", "否"])
    if bad:
        ws.append(
            [5, "张三", ids["a"], "男", "汉族", None, "2019-05-01", "是"]
        )  # same person again
        ws.append(
            [6, "李四", 3.60830197207212e17, "男", "汉族", None, "2020-01-01", "否"]
        )  # Excel ate the ID
        ws.append([7, "", ids["c"], "男", "汉族", None, "明年", "否"])
    ws.append(["合计", None, None, None, None, None, None, None])
    wb.save(path)
    return ids


@pytest.fixture
def target(any_db: Database, admin: CurrentUser) -> unions.UnionRow:
    return unions.create_union(
        any_db, admin, {"name": "青原镇某某公司工会", "parent": "青原镇总工会"}
    )


def test_bad_rows_mean_nothing_is_written(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    f = tmp_path / "roster.xlsx"
    messy_roster(f, bad=True)
    before = counts(any_db)
    result = import_members(any_db, admin, f, union_id=target.id)
    assert counts(any_db) == before and not result.written
    bad_rows = sorted({e.row_number for e in result.errors})
    assert bad_rows == [9, 10, 11]  # duplicate of row 4, damaged ID, empty name + bad date
    reasons = {e.row_number: e.reason for e in result.errors}
    assert "第4行" in reasons[9] and "Excel" in reasons[10]
    assert result.rows_read == 7 and result.ready == 4 and result.imported == 0
    # the summary names the rows beside each kind of mistake (number and name)
    kinds = [ln for ln in result.summary_lines() if ln.startswith("  · ")]
    assert len(kinds) == len(result.invalid_by_reason())
    assert any("第9行 张三" in ln for ln in kinds) and any("第10行 李四" in ln for ln in kinds)
    assert any("第11行" in ln for ln in kinds)
    report = tmp_path / "errors.xlsx"
    result.write_error_workbook(report)
    ws = openpyxl.load_workbook(report).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert str(rows[0][0]).startswith("导入错误清单（共3行")
    head = next(i for i, r in enumerate(rows) if r[:4] == ("原表行号", "列", "值", "错误原因"))
    assert {r[0] for r in rows[head + 1 :] if r[0]} == {9, 10, 11}


def test_skip_invalid_imports_the_good_rows(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    f = tmp_path / "roster.xlsx"
    ids = messy_roster(f, bad=True)
    result = import_members(any_db, admin, f, union_id=target.id, skip_invalid=True)
    assert result.written and result.imported == 4
    got = members.fetch_member_rows(
        any_db,
        admin,
        members.search_member_ids(any_db, admin, members.MemberFilter(union_id=target.id)),
    )
    by_id = {r.id_number: r for r in got}
    assert set(by_id) == {
        ids["a"],
        ids["b"],
        ids["x"],
        "36083019650312101" + by_id_check("36083019650312101"),
    }
    assert by_id[ids["b"]].name == "王𠮷" and by_id[ids["b"]].phone == "0796-8123456"
    assert by_id[ids["x"]].name == "阿依古丽·买买提" and by_id[ids["x"]].joined_on == date(
        2019, 5, 1
    )
    assert by_id[ids["a"]].name == "张三" and by_id[ids["a"]].migrant_worker


def by_id_check(first17: str) -> str:
    from unionsdesk.domain.idcard import check_char as cc

    return cc(first17)


def test_reimport_changes_nothing_and_other_union_is_a_transfer_candidate(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    f = tmp_path / "roster.xlsx"
    messy_roster(f, bad=False)
    first = import_members(any_db, admin, f, union_id=target.id)
    assert first.written and first.imported == 4 and first.errors == []
    snapshot = counts(any_db)
    again = import_members(any_db, admin, f, union_id=target.id, skip_invalid=True)
    assert again.imported == 0 and len(again.already_present) == 4
    assert counts(any_db) == snapshot
    other = unions.create_union(any_db, admin, {"name": "另一个工会", "parent": "青原镇总工会"})
    moved = import_members(any_db, admin, f, union_id=other.id, skip_invalid=True)
    assert moved.imported == 0 and len(moved.transfer_candidates) == 4
    assert all(c.current_union == target.name for c in moved.transfer_candidates)
    assert counts(any_db) == snapshot  # never moved silently


def test_cancel_leaves_database_as_before(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    f = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "入会日期"])
    for i in range(4500):
        ws.append(
            [
                "职工" + chr(0x4E00 + i),
                make_id("19800101", f"{i % 1000:03d}", area=f"36{i // 1000 + 10:02d}30"),
                "2020-01-01",
            ]
        )
    wb.save(f)
    before = counts(any_db)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 1  # after the first chunk has been written inside the transaction

    with pytest.raises(Cancelled):
        import_members(any_db, admin, f, union_id=target.id, cancelled=cancel)
    assert counts(any_db) == before


def test_cli_exit_codes_and_counts(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "roster.xlsx"
    messy_roster(f, bad=True)
    report = tmp_path / "err.xlsx"
    code = main(
        [
            "import",
            "members",
            str(f),
            "--union",
            "青原镇总工会",
            "--report",
            str(report),
            "--db",
            str(demo_db_file),
        ]
    )
    out = capsys.readouterr()
    assert (
        code == 2 and "有错误的行：3" in out.out and "读取数据行：7" in out.out and report.exists()
    )
    code = main(
        [
            "import",
            "members",
            str(f),
            "--union",
            "青原镇总工会",
            "--skip-invalid",
            "--db",
            str(demo_db_file),
        ]
    )
    assert code == 0 and "导入：4" in capsys.readouterr().out
    assert (
        main(
            [
                "import",
                "members",
                str(tmp_path / "missing.xlsx"),
                "--union",
                "青原镇总工会",
                "--db",
                str(demo_db_file),
            ]
        )
        == 2
    )
    not_excel = tmp_path / "x.xlsx"
    not_excel.write_text("hello")
    assert (
        main(
            [
                "import",
                "members",
                str(not_excel),
                "--union",
                "青原镇总工会",
                "--db",
                str(demo_db_file),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.count("错误：") == 2 and "Traceback" not in err


def test_cli_export_template_then_import_it(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tpl = tmp_path / "tpl.xlsx"
    assert main(["export", "template", "members", str(tpl), "--db", str(demo_db_file)]) == 0
    wb = openpyxl.load_workbook(tpl)
    ws = wb["会员信息"]
    ws.cell(row=5, column=1, value="刘备")
    ws.cell(row=5, column=2, value=make_id("19700707", "151"))
    ws.cell(row=5, column=16, value="2021/7/1")
    wb.save(tpl)
    code = main(
        ["import", "members", str(tpl), "--union", "城关镇总工会", "--db", str(demo_db_file)]
    )
    out = capsys.readouterr().out
    assert code == 0 and "导入：1" in out  # the example row (张三) is skipped


def test_imported_people_are_found_by_any_part_of_their_numbers(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    """The bulk load fills the search index itself (SQLite's trigger stands aside
    during the import): imported people, and people saved afterwards, are found."""
    from unionsdesk.services.members.members import MemberFilter

    f = tmp_path / "roster.xlsx"
    ids = messy_roster(f, bad=False)
    result = import_members(any_db, admin, f, union_id=target.id)
    assert result.imported == 4
    for key in ("a", "b", "x"):
        found = members.search_member_ids(any_db, admin, MemberFilter(text=ids[key][8:16]))
        assert len(found) == 1, key
    assert members.search_member_ids(any_db, admin, MemberFilter(text="00138000")) != []  # phone
    later = make_id("19700707", "717")
    saved = members.save_member(
        any_db, admin, {"name": "赵六", "id_number": later, "joined_on": "2021-01-01"},
        union_id=target.id,
    )  # fmt: skip
    assert members.search_member_ids(any_db, admin, MemberFilter(text=later[6:14])) == [
        saved.member.membership_id
    ]


def test_cancelled_import_keeps_the_search_index_working(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    from unionsdesk.services.members.members import MemberFilter

    f = tmp_path / "roster.xlsx"
    messy_roster(f, bad=False)
    with pytest.raises(Cancelled):
        import_members(any_db, admin, f, union_id=target.id, cancelled=lambda: True)
    number = make_id("19700808", "818")
    saved = members.save_member(
        any_db, admin, {"name": "钱七", "id_number": number, "joined_on": "2021-01-01"},
        union_id=target.id,
    )  # fmt: skip
    assert members.search_member_ids(any_db, admin, MemberFilter(text=number[6:14])) == [
        saved.member.membership_id
    ]


def test_change_type_settles_the_status_and_must_agree_with_it(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    """A roster with both 会籍变化类型 and 会员状态: 保留 means 保留会籍, a 转入
    row is in the register, and a row where the two disagree is refused."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "入会日期", "会籍变化类型", "会籍变化原因", "会员状态"])
    rows = [
        ("保留甲", make_id("19800101", "111"), "2024-03-01", "保留", "失业", None),
        ("转入乙", make_id("19810202", "222"), "2024-04-01", "转入", None, "在册"),
        ("不符丙", make_id("19820303", "333"), "2024-05-01", "入会", None, "保留会籍"),
    ]
    for r in rows:
        ws.append(list(r))
    wb.save(tmp_path / "r.xlsx")
    result = import_members(
        any_db, admin, tmp_path / "r.xlsx", union_id=target.id, skip_invalid=True
    )
    assert result.imported == 2
    assert [(e.row_number, e.reason) for e in result.errors] == [
        (4, "会籍变化类型为“入会”，会员状态却是“保留会籍”，请改正其中一项")
    ]
    got = {}
    for name, number, *_ in rows[:2]:
        [mid] = members.search_member_ids(any_db, admin, members.MemberFilter(text=number))
        d = members.get_member(any_db, admin, mid)
        got[name] = (d.values["status"], d.values["joined_on"])
    assert got == {"保留甲": ("02", date(2024, 3, 1)), "转入乙": ("01", date(2024, 4, 1))}
    # This roster's date is the 入会日期: the 转入/保留 date is the one it lacks.
    assert [w for _, w in result.warnings] == [
        "表中没有会籍变化日期，保留日期暂按入会日期（2024-03-01）记录",
        "表中没有会籍变化日期，转入日期暂按入会日期（2024-04-01）记录",
    ]
    with any_db.reading() as s:
        first_events = s.execute(
            select(
                Person.name, MembershipEvent.kind, MembershipEvent.reason, Membership.status_date
            )
            .join(Membership, Membership.person_id == Person.id)
            .join(MembershipEvent, MembershipEvent.membership_id == Membership.id)
            .where(Person.name.in_(["保留甲", "转入乙"]))
            .order_by(Person.name)
        ).all()
    assert [tuple(r) for r in first_events] == [
        ("保留甲", "3", "失业", None),
        ("转入乙", "2", None, None),
    ]


def test_import_follows_the_office_rule_on_members_under_14(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    """A roster row of a 12-year-old: an error (nothing written) by default; with 设置's
    允许未满14周岁 it is imported with a warning naming the row."""
    f = tmp_path / "young.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "公民身份号码", "入会时间"])
    ws.append(["成年人", make_id("19900101", "511"), "2019-05-01"])
    ws.append(["少年", make_id("20100301", "135"), "2022-06-01"])
    wb.save(f)
    before = counts(any_db)
    refused = import_members(any_db, admin, f, union_id=target.id)
    assert counts(any_db) == before and not refused.written
    assert [(e.row_number, "12周岁" in e.reason) for e in refused.errors] == [(3, True)]

    members.allow_young_members(any_db, admin, True)
    done = import_members(any_db, admin, f, union_id=target.id)
    assert done.written and done.imported == 2 and not done.errors
    assert (3, "入会时未满16周岁（12周岁），请核对") in done.warnings
