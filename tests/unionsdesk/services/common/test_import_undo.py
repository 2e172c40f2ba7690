"""Undo of the last import batch: the register goes back exactly as it was, or the
undo is refused (with one Chinese sentence) and nothing changes."""

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, text, update

from unionsdesk.cli import main
from unionsdesk.db.engine import Database
from unionsdesk.db.models import ImportBatch, Membership, MembershipEvent, Person
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import PermissionDenied, UserError
from unionsdesk.services.aid import hardship
from unionsdesk.services.common import users
from unionsdesk.services.common.audit import query_audit
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.import_undo import list_batches, undo_batch
from unionsdesk.services.members import members, unions
from unionsdesk.services.members.member_import import import_members
from unionsdesk.services.members.members import MemberFilter

AREA = "429004"  # not used by the demo county


def make_id(birth: str, seq: str, area: str = AREA) -> str:
    first = area + birth + seq
    return first + check_char(first)


HEADER = ["序号", "姓名", "身份证号", "民族", "政治面貌", "联系电话", "入会时间", "是否农民工"]


def roster(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["某某公司工会会员花名册"])
    ws.append(HEADER)
    for i, row in enumerate(rows, 1):
        ws.append([i, *row])
    wb.save(path)
    return path


NEW = {  # people the roster brings who are not on the register yet
    "a": ("钱一", make_id("19850312", "121"), "汉族", "群众", "13800138001"),
    "b": ("孙二", make_id("19900101", "222"), "回族", "中共党员", "13800138002"),
    "c": ("李三", make_id("19781130", "333"), None, None, None),
}
RETURNING = make_id("19700707", "717")  # left an earlier union; comes back in the roster


def first_roster(path: Path) -> Path:
    rows: list[list[Any]] = [
        [name, number, eth, pol, phone, "2020-05-01", "否"]
        for name, number, eth, pol, phone in NEW.values()
    ]
    # Stored as 赵六 with no phone, 民族 or 政治面貌: the import fills in (a name is
    # never changed by an import, see services/common/persons.py).
    rows.append(["赵六", RETURNING, "汉族", "共青团员", "13911112222", "2021-03-01", "是"])
    return roster(path, rows)


def worker(n: int) -> str:
    return "职工" + chr(0x4E00 + n)  # names have no digits


def other_roster(path: Path, seqs: range) -> Path:
    return roster(
        path,
        [[worker(n), make_id("19660606", f"{n:03d}"), "汉族", None, None, "2022-01-01", "否"]
         for n in seqs],
    )  # fmt: skip


@pytest.fixture
def target(any_db: Database, admin: CurrentUser) -> unions.UnionRow:
    return unions.create_union(any_db, admin, {"name": "某某公司工会", "parent": "城关镇总工会"})


@pytest.fixture
def returning(any_db: Database, admin: CurrentUser) -> int:
    """A person on the register whose membership ended (退会): their person id."""
    saved = members.save_member(
        any_db, admin,
        {"name": "赵六", "id_number": RETURNING, "joined_on": "2010-01-01", "education": "大专"},
        union_id=unions.find_union(any_db, admin, "城关镇总工会").id,
    )  # fmt: skip
    m = saved.member
    members.change_member_status(any_db, admin, m.membership_id, "04", date(2019, 1, 1), "调离")
    return m.person_id


PERSON_BOOKKEEPING = {"updated_at", "updated_by", "version"}


def register(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the member register (people, memberships, membership events)."""
    out = {}
    with db.engine.connect() as c:
        for model in (Person, Membership, MembershipEvent):
            table = model.__table__
            skip = PERSON_BOOKKEEPING if model is Person else set()
            cols = [col for col in table.columns if col.name not in skip]
            out[table.name] = [tuple(r) for r in c.execute(select(*cols).order_by(table.c.id))]
    return out


def found(db: Database, admin: CurrentUser, query: str) -> list[int]:
    return members.search_member_ids(db, admin, MemberFilter(text=query, include_inactive=True))


def check_search_index(db: Database) -> None:
    """SQLite: the trigram index agrees with the person table row for row."""
    if not db.is_sqlite:
        return
    with db.engine.begin() as c:
        c.execute(
            text("INSERT INTO person_digits(person_digits, rank) VALUES ('integrity-check', 1)")
        )


def person(db: Database, person_id: int) -> Person:
    with db.reading() as s:
        p = s.get(Person, person_id)
        assert p is not None
        return p


def test_undo_puts_the_register_back_exactly(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, returning: int, tmp_path: Path
) -> None:
    before = register(any_db)
    old = person(any_db, returning)
    assert (old.name, old.phone, old.ethnicity, old.political) == ("赵六", None, None, None)

    result = import_members(any_db, admin, first_roster(tmp_path / "r.xlsx"), union_id=target.id)
    assert result.written and result.imported == 4 and result.batch_id is not None
    filled = person(any_db, returning)
    assert (filled.name, filled.phone, filled.ethnicity, filled.education) == (
        "赵六", "13911112222", "01", "03",
    )  # fmt: skip
    for _name, number, *_ in NEW.values():
        assert len(found(any_db, admin, number[6:14])) == 1
    assert len(found(any_db, admin, "13911112222")) == 2  # old and new membership

    [row] = [b for b in list_batches(any_db, admin) if b.id == result.batch_id]
    assert row.can_undo and row.why_not is None and not row.undone
    assert (row.imported_by, row.imported_by_login) == (admin.display_name, admin.login)
    assert row.undone_by is None and row.undone_by_login is None
    assert (row.kind_name, row.file_name, row.union_name) == ("会员花名册", "r.xlsx", target.name)
    assert (row.rows_read, row.imported, row.skipped, row.invalid) == (4, 4, 0, 0)

    done = undo_batch(any_db, admin, result.batch_id)
    assert (done.memberships_removed, done.events_removed) == (4, 4)
    assert (done.people_removed, done.people_restored) == (3, 1)
    assert "删除会员记录：4条（入会记录4条）" in done.summary_lines()

    assert register(any_db) == before
    back = person(any_db, returning)
    assert (back.name, back.phone, back.ethnicity, back.political, back.education) == (
        "赵六", None, None, None, "03",
    )  # fmt: skip
    assert back.version == filled.version + 1  # a form opened on the imported values is stale
    for _name, number, *_ in NEW.values():
        assert found(any_db, admin, number[6:14]) == []
    assert found(any_db, admin, "13911112222") == []
    assert len(found(any_db, admin, RETURNING[6:14])) == 1  # the old, ended membership
    check_search_index(any_db)

    with any_db.reading() as s:
        batch = s.get(ImportBatch, result.batch_id)
        assert batch is not None and batch.undone
    [row] = [b for b in list_batches(any_db, admin) if b.id == result.batch_id]
    assert row.undone and not row.can_undo and row.undone_by == admin.display_name
    assert row.undone_by_login == admin.login
    assert row.why_not is not None and "不能重复撤销" in row.why_not
    entry = query_audit(any_db, admin, limit=1)[0]
    assert (entry.action_name, entry.entity_id) == ("撤销导入", result.batch_id)
    assert entry.summary is not None and "r.xlsx" in entry.summary

    with pytest.raises(UserError, match="不能重复撤销"):
        undo_batch(any_db, admin, result.batch_id)

    again = import_members(any_db, admin, tmp_path / "r.xlsx", union_id=target.id)
    assert again.written and again.imported == 4 and again.already_present == []
    assert person(any_db, returning).phone == "13911112222"
    for _name, number, *_ in NEW.values():
        assert len(found(any_db, admin, number[6:14])) == 1
    check_search_index(any_db)


def test_people_removed_by_an_undo_are_not_found_in_the_next_import(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    """A larger batch (several id chunks); the next import reuses the freed ids on
    SQLite, and the search index must not mix the old numbers into the new people."""
    before = register(any_db)
    first = import_members(
        any_db, admin, other_roster(tmp_path / "a.xlsx", range(1, 999)), union_id=target.id
    )
    assert first.imported == 998
    with any_db.reading() as s:
        sample = s.scalar(select(Person.id_number).where(Person.name == worker(500)))
    assert sample == make_id("19660606", "500")
    assert len(found(any_db, admin, sample[4:])) == 1
    done = undo_batch(any_db, admin)  # the newest batch
    assert (done.batch_id, done.people_removed, done.memberships_removed) == (
        first.batch_id,
        998,
        998,
    )
    assert register(any_db) == before
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "身份证号", "入会日期"])
    for n in range(1, 999):
        ws.append(
            ["新人" + chr(0x4E00 + n), make_id("19880808", f"{n:03d}", area="429005"), "2023-01-01"]
        )
    wb.save(tmp_path / "b.xlsx")
    second = import_members(any_db, admin, tmp_path / "b.xlsx", union_id=target.id)
    assert second.imported == 998
    assert found(any_db, admin, sample[4:]) == []
    assert len(found(any_db, admin, make_id("19880808", "500", area="429005")[4:])) == 1
    check_search_index(any_db)


def test_the_list_names_the_clerks(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    """Who imported and who undid, as the users list names them (the login stays
    available), and when, readably, in the refusal of a second undo."""
    clerk = users.login(any_db, "jingban", DEMO_PASSWORD)
    a = import_members(
        any_db, clerk, other_roster(tmp_path / "a.xlsx", range(1, 3)), union_id=target.id
    )
    undo_batch(any_db, admin, a.batch_id)
    b = import_members(
        any_db, admin, other_roster(tmp_path / "b.xlsx", range(3, 5)), union_id=target.id
    )
    rows = {r.id: r for r in list_batches(any_db, admin)}
    first, second = rows[a.batch_id], rows[b.batch_id]
    assert (first.imported_by, first.imported_by_login) == ("李经办", "jingban")
    assert (first.undone_by, first.undone_by_login) == ("演示管理员", admin.login)
    assert first.undone_at is not None
    when = f"{first.undone_at:%Y-%m-%d %H:%M}"
    assert first.why_not == f"这批导入（a.xlsx）已于 {when} 撤销，不能重复撤销"
    assert second.imported_by == "演示管理员" and second.undone_by is None

    # Renamed since: the list shows the current name; a login no longer among the
    # users (a batch copied from another office's database) is shown as it is.
    assert clerk.id is not None
    users.update_user(any_db, admin, clerk.id, {"display_name": "李小经"})
    with any_db.writing() as s:
        s.execute(
            update(ImportBatch).where(ImportBatch.id == b.batch_id).values(created_by="township3")
        )
    rows = {r.id: r for r in list_batches(any_db, admin)}
    assert rows[a.batch_id].imported_by == "李小经"
    assert (rows[b.batch_id].imported_by, rows[b.batch_id].imported_by_login) == (
        "township3", "township3",
    )  # fmt: skip


def test_only_the_newest_batch_in_force_can_be_undone(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    before = register(any_db)
    a = import_members(
        any_db, admin, other_roster(tmp_path / "a.xlsx", range(1, 4)), union_id=target.id
    )
    middle = register(any_db)
    b = import_members(
        any_db, admin, other_roster(tmp_path / "b.xlsx", range(4, 7)), union_id=target.id
    )
    assert a.batch_id is not None and b.batch_id is not None
    rows = {r.id: r for r in list_batches(any_db, admin)}
    assert rows[b.batch_id].can_undo and not rows[a.batch_id].can_undo
    assert "只能撤销最近一次导入" in (rows[a.batch_id].why_not or "")
    with pytest.raises(UserError, match=r"只能撤销最近一次导入.*b\.xlsx"):
        undo_batch(any_db, admin, a.batch_id)
    with pytest.raises(UserError, match="没有编号为 9999 的导入批次"):
        undo_batch(any_db, admin, 9999)
    assert undo_batch(any_db, admin).batch_id == b.batch_id
    assert register(any_db) == middle
    assert {r.id: r.can_undo for r in list_batches(any_db, admin)}[a.batch_id]
    assert undo_batch(any_db, admin).batch_id == a.batch_id
    assert register(any_db) == before
    with pytest.raises(UserError, match="没有可以撤销的导入"):
        undo_batch(any_db, admin)


def _transfer(db: Database, admin: CurrentUser, membership_id: int) -> None:
    other = unions.create_union(db, admin, {"name": "另一个公司工会", "parent": "城关镇总工会"})
    members.transfer_member(db, admin, membership_id, other.id, date(2025, 1, 1), "调动")


def _withdraw(db: Database, admin: CurrentUser, membership_id: int) -> None:
    members.change_member_status(db, admin, membership_id, "04", date(2025, 1, 1), "本人申请")


def _edit(db: Database, admin: CurrentUser, membership_id: int, field: str = "job") -> None:
    """Save the member form with one field changed (职业/岗位 by default)."""
    d = members.get_member(db, admin, membership_id)
    members.save_member(
        db,
        admin,
        {**d.values, field: {"job": "焊工", "phone": "13911112222"}[field]},
        membership_id=membership_id,
        expected_version=d.version,
    )


@pytest.mark.parametrize("change", [_transfer, _withdraw, _edit], ids=["转会", "退会", "修改"])
def test_refused_when_a_member_of_the_batch_changed_since(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, returning: int, tmp_path: Path,
    change: Any,
) -> None:  # fmt: skip
    result = import_members(any_db, admin, first_roster(tmp_path / "r.xlsx"), union_id=target.id)
    [mid] = members.search_member_ids(any_db, admin, MemberFilter(text=NEW["b"][1]))
    change(any_db, admin, mid)
    after = register(any_db)
    with pytest.raises(UserError, match="孙二的会员记录在导入后已有变动") as refused:
        undo_batch(any_db, admin, result.batch_id)
    assert "\n" not in str(refused.value)
    assert register(any_db) == after
    [row] = [b for b in list_batches(any_db, admin) if b.id == result.batch_id]
    assert not row.can_undo and row.why_not == str(refused.value)


def test_refused_when_a_new_person_got_a_hardship_file(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, returning: int, tmp_path: Path
) -> None:
    result = import_members(any_db, admin, first_roster(tmp_path / "r.xlsx"), union_id=target.id)
    name, number, *_ = NEW["c"]
    hardship.save_file(
        any_db, admin,
        {"name": name, "id_number": number, "union": target.name, "category": "相对困难",
         "main_reason": "下岗失业", "household_size": 1, "household_income": "9000", "filed_on": "2026-03-01"},
    )  # fmt: skip
    after = register(any_db)
    with pytest.raises(UserError, match="李三在导入后已登记了困难职工档案，不能撤销这批导入"):
        undo_batch(any_db, admin, result.batch_id)
    assert register(any_db) == after


def test_refused_when_a_person_was_edited_since(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, returning: int, tmp_path: Path
) -> None:
    """The returning person (updated, not created, by the import) was changed again
    afterwards (here: a hardship file opened with a new phone number, which updates
    the person master): putting back their old details would lose that change."""
    result = import_members(any_db, admin, first_roster(tmp_path / "r.xlsx"), union_id=target.id)
    hardship.save_file(
        any_db, admin,
        {"name": "赵六", "id_number": RETURNING, "phone": "13700000000", "union": target.name,
         "category": "相对困难", "main_reason": "下岗失业", "household_size": 1,
         "household_income": "9000", "filed_on": "2026-03-01"},
    )  # fmt: skip
    assert person(any_db, returning).phone == "13700000000"
    after = register(any_db)
    with pytest.raises(UserError, match="赵六的个人信息在导入后已修改"):
        undo_batch(any_db, admin, result.batch_id)
    assert register(any_db) == after


def test_batch_from_an_older_version_and_readonly_user_are_refused(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, tmp_path: Path
) -> None:
    result = import_members(
        any_db, admin, other_roster(tmp_path / "a.xlsx", range(1, 3)), union_id=target.id
    )
    reader = CurrentUser(None, "chaxun", "查询员", "readonly")
    [row] = [b for b in list_batches(any_db, reader) if b.id == result.batch_id]
    assert not row.can_undo and "权限" in (row.why_not or "")
    with pytest.raises(PermissionDenied):
        undo_batch(any_db, reader, result.batch_id)
    with any_db.writing() as s:  # what a batch imported before migration 0005 looks like
        s.execute(
            update(ImportBatch).where(ImportBatch.id == result.batch_id).values(prior_values=None)
        )
    after = register(any_db)
    with pytest.raises(UserError, match="没有记录导入前的数据"):
        undo_batch(any_db, admin, result.batch_id)
    assert register(any_db) == after


def test_cli_batches_and_undo(
    demo_db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(demo_db_file)]
    assert main(["import", "batches", *db]) == 0
    assert "还没有导入过数据" in capsys.readouterr().out
    for name, seqs in (("a.xlsx", range(1, 4)), ("b.xlsx", range(4, 8))):
        f = other_roster(tmp_path / name, seqs)
        assert main(["import", "members", str(f), "--union", "城关镇总工会", *db]) == 0
    capsys.readouterr()

    assert main(["import", "batches", *db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "批次", "类型", "文件", "工会", "导入时间", "经办人", "读取", "导入", "跳过", "错误", "状态",
    ]  # fmt: skip
    assert "b.xlsx" in lines[1] and lines[1].endswith("可撤销")
    assert "a.xlsx" in lines[2] and "不能撤销：只能撤销最近一次导入" in lines[2]
    first_id = int(lines[2].split()[0])

    assert main(["import", "undo", str(first_id), *db]) == 2
    out = capsys.readouterr()
    assert out.out == "" and len(out.err.strip().splitlines()) == 1
    assert out.err.startswith("错误：只能撤销最近一次导入")

    assert main(["import", "undo", *db]) == 0
    out = capsys.readouterr().out
    assert "已撤销导入批次" in out and "b.xlsx" in out and "删除会员记录：4条" in out
    assert "删除本次导入新建的人员：4人" in out

    assert main(["import", "undo", str(first_id), *db]) == 0
    assert "删除会员记录：3条" in capsys.readouterr().out
    assert main(["import", "batches", *db]) == 0
    assert capsys.readouterr().out.count("已撤销（") == 2

    assert main(["import", "undo", *db]) == 2
    err = capsys.readouterr().err
    assert err == "错误：没有可以撤销的导入\n"
    assert main(["import", "undo", "77", *db]) == 2
    assert "没有编号为 77 的导入批次" in capsys.readouterr().err


def test_refused_when_a_new_person_was_edited_since(
    any_db: Database, admin: CurrentUser, target: unions.UnionRow, returning: int, tmp_path: Path
) -> None:
    """A person the import created had only their personal details changed since
    (the membership itself is untouched): undoing would delete that change."""
    result = import_members(any_db, admin, first_roster(tmp_path / "r.xlsx"), union_id=target.id)
    [mid] = members.search_member_ids(any_db, admin, MemberFilter(text=NEW["b"][1]))
    _edit(any_db, admin, mid, "phone")  # a person field only
    after = register(any_db)
    with pytest.raises(UserError, match="孙二的个人信息在导入后已修改") as refused:
        undo_batch(any_db, admin, result.batch_id)
    assert register(any_db) == after
    [row] = [b for b in list_batches(any_db, admin) if b.id == result.batch_id]
    assert not row.can_undo and row.why_not == str(refused.value)
