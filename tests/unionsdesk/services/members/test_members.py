from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, Person
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import ConflictError, PermissionDenied, UserError, ValidationError
from unionsdesk.services.common import users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.members import members, unions
from unionsdesk.services.members.members import MemberFilter


def make_id(area: str = "360830", birth: str = "19900101", seq: str = "123") -> str:
    first = area + birth + seq
    return first + check_char(first)


def grassroots(db: Database, admin: CurrentUser) -> list[unions.UnionRow]:
    return [u for u in unions.list_unions(db, admin) if u.unit_name]


def test_register_derives_sex_and_birth_and_warns(any_db: Database, admin: CurrentUser) -> None:
    u = grassroots(any_db, admin)[0]
    number = make_id(seq="124")  # even sequence: 女
    res = members.save_member(
        any_db, admin,
        {"name": "王𠮷", "id_number": number.lower(), "sex": "男", "birth_date": "1990年2月1日",
         "joined_on": "2019.05", "ethnicity": "汉", "phone": "138-0013-8000", "migrant_worker": "是"},
        union_id=u.id,
    )  # fmt: skip
    v = res.member.values
    assert (v["sex"], v["birth_date"], v["ethnicity"], v["phone"]) == (
        "女",
        date(1990, 1, 1),
        "01",
        "13800138000",
    )
    assert (
        v["joined_on"] == date(2019, 5, 1) and v["migrant_worker"] is True and v["status"] == "01"
    )
    assert len(res.warnings) == 2 and "性别" in res.warnings[0] and "出生日期" in res.warnings[1]
    ids = members.search_member_ids(any_db, admin, MemberFilter(text="wangji"))
    assert res.member.membership_id in ids
    hist = members.member_history(any_db, admin, res.member.person_id)
    assert [(h.kind, h.union_name) for h in hist] == [("1", u.name)]


def test_15_digit_id_is_upgraded(any_db: Database, admin: CurrentUser) -> None:
    u = grassroots(any_db, admin)[0]
    res = members.save_member(
        any_db,
        admin,
        {"name": "老职工", "id_number": "360830650312101", "joined_on": "1990-01-01"},
        union_id=u.id,
    )
    assert res.member.values["id_number"].startswith("36083019650312101")
    assert len(res.member.values["id_number"]) == 18


def test_one_active_membership_per_person(any_db: Database, admin: CurrentUser) -> None:
    a, b = grassroots(any_db, admin)[:2]
    number = make_id(seq="555")
    members.save_member(
        any_db,
        admin,
        {"name": "张三", "id_number": number, "joined_on": "2020-01-01"},
        union_id=a.id,
    )
    with pytest.raises(ValidationError, match="已在本工会名册中"):
        members.save_member(
            any_db,
            admin,
            {"name": "张三", "id_number": number, "joined_on": "2020-01-01"},
            union_id=a.id,
        )
    with pytest.raises(ValidationError, match="转会"):
        members.save_member(
            any_db,
            admin,
            {"name": "张三", "id_number": number, "joined_on": "2020-01-01"},
            union_id=b.id,
        )
    with any_db.reading() as s:
        pid = s.scalar(select(Person.id).where(Person.id_number == number))
    # the schema itself refuses a second active membership
    with pytest.raises(IntegrityError), any_db.writing() as s:
        s.execute(
            text("INSERT INTO membership (person_id, union_id, joined_on, status, active, migrant_worker, uuid, "
                 "created_at, updated_at, version) VALUES (:p, :u, '2020-01-01', '01', :t, :f, 'x', "
                 "'2020-01-01', '2020-01-01', 1)"),
            {"p": pid, "u": b.id, "t": True, "f": False},
        )  # fmt: skip


def test_transfer_keeps_history(any_db: Database, admin: CurrentUser) -> None:
    a, b = grassroots(any_db, admin)[:2]
    res = members.save_member(
        any_db,
        admin,
        {"name": "李四", "id_number": make_id(seq="777"), "joined_on": "2018-03-01"},
        union_id=a.id,
    )
    moved = members.transfer_member(
        any_db, admin, res.member.membership_id, b.id, date(2024, 6, 1), "工作调动"
    )
    assert moved.union_id == b.id and moved.active
    hist = members.member_history(any_db, admin, res.member.person_id)
    assert [(h.kind, h.union_name, h.other_union_name) for h in hist] == [
        ("1", a.name, None), ("4", a.name, b.name), ("2", b.name, a.name),
    ]  # fmt: skip
    with pytest.raises(UserError, match="在册会员"):
        members.transfer_member(any_db, admin, res.member.membership_id, b.id, date(2024, 7, 1))
    old_ids = members.search_member_ids(any_db, admin, MemberFilter(status="03"))
    assert res.member.membership_id in old_ids


def test_status_changes(any_db: Database, admin: CurrentUser) -> None:
    a = grassroots(any_db, admin)[0]
    res = members.save_member(
        any_db,
        admin,
        {"name": "赵六", "id_number": make_id(seq="901"), "joined_on": "2018-03-01"},
        union_id=a.id,
    )
    mid = res.member.membership_id
    with pytest.raises(ValidationError, match="原因"):
        members.change_member_status(any_db, admin, mid, "04", date(2025, 1, 1))
    left = members.change_member_status(any_db, admin, mid, "04", date(2025, 1, 1), "个人要求退会")
    assert not left.active
    assert mid not in members.search_member_ids(any_db, admin, MemberFilter(union_id=a.id))
    back = members.change_member_status(any_db, admin, mid, "01", date(2025, 3, 1), "重新入会")
    assert back.active


def test_edit_with_optimistic_locking(any_db: Database, admin: CurrentUser) -> None:
    mid = members.search_member_ids(any_db, admin)[0]
    d = members.get_member(any_db, admin, mid)
    members.save_member(
        any_db, admin, {**d.values, "job": "焊工"}, membership_id=mid, expected_version=d.version
    )
    with pytest.raises(ConflictError):
        members.save_member(
            any_db,
            admin,
            {**d.values, "job": "电工"},
            membership_id=mid,
            expected_version=d.version,
        )
    assert members.get_member(any_db, admin, mid).values["job"] == "焊工"


def test_search_by_pinyin_initials_id_phone_and_filters(
    any_db: Database, admin: CurrentUser
) -> None:
    u = grassroots(any_db, admin)[3]
    number = make_id(seq="313")
    res = members.save_member(
        any_db, admin,
        {"name": "单田芳", "id_number": number, "joined_on": "2020-01-01", "phone": "13912345678", "new_employment": "快递员"},
        union_id=u.id,
    )  # fmt: skip
    mid = res.member.membership_id
    for q in (
        "stf",
        "shantian",
        "单田",
        number[-8:],
        "345678",
        "１３９１２",
        number[:6] + "19900101",
    ):
        assert mid in members.search_member_ids(any_db, admin, MemberFilter(text=q)), q
    assert mid not in members.search_member_ids(any_db, admin, MemberFilter(text="dtf"))
    assert mid in members.search_member_ids(any_db, admin, MemberFilter(new_employment="02"))
    parent = u.parent_id
    assert parent is not None
    assert mid in members.search_member_ids(any_db, admin, MemberFilter(union_id=parent))  # subtree
    rows = members.fetch_member_rows(any_db, admin, [mid])
    assert rows[0].id_number == number and rows[0].union_name == u.name


def test_search_results_are_exactly_the_matches(any_db: Database, admin: CurrentUser) -> None:
    """The indexed search returns exactly what a plain Python filter over all rows finds."""
    with any_db.reading() as s:
        people = s.execute(
            select(
                Membership.id,
                Person.name,
                Person.name_pinyin,
                Person.name_initials,
                Person.id_number,
                Person.phone,
            )
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.active)
        ).all()
    assert len(people) == members.count_members(any_db) > 300
    cases = {
        "w": lambda r: r[3].startswith("w") or r[2].startswith("w"),
        "zh": lambda r: r[3].startswith("zh") or r[2].startswith("zh"),
        "王": lambda r: r[1].startswith("王"),
        "13": lambda r: r[4].endswith("13") or (r[5] or "").startswith("13"),  # short: ends/starts
        "138": lambda r: "138" in r[4] or "138" in (r[5] or ""),  # 3+ digits: any part
        "0101": lambda r: "0101" in r[4] or "0101" in (r[5] or ""),
        "360830199": lambda r: "360830199" in r[4] or "360830199" in (r[5] or ""),
    }
    for q, match in cases.items():
        expected = sorted(r[0] for r in people if match(r))
        assert members.search_member_ids(any_db, admin, MemberFilter(text=q)) == expected, q
        assert expected, q


def test_masking_for_readonly(any_db: Database, admin: CurrentUser) -> None:
    reader = users.login(any_db, "chaxun", DEMO_PASSWORD)
    mid = members.search_member_ids(any_db, reader)[0]
    row = members.fetch_member_rows(any_db, reader, [mid])[0]
    full = members.fetch_member_rows(any_db, admin, [mid])[0]
    assert row.id_number == full.id_number[:4] + "*" * 10 + full.id_number[-4:]
    assert "*" in row.phone and "*" not in full.phone
    assert "*" in members.get_member(any_db, reader, mid).values["id_number"]
    with pytest.raises(PermissionDenied):
        members.save_member(
            any_db,
            reader,
            {"name": "x", "id_number": make_id(), "joined_on": "2020-01-01"},
            union_id=1,
        )


def test_invalid_input_writes_nothing(any_db: Database, admin: CurrentUser) -> None:
    with any_db.reading() as s:
        before = s.scalar(select(func.count(Person.id)))
    u = grassroots(any_db, admin)[0]
    with pytest.raises(ValidationError) as exc:
        members.save_member(
            any_db,
            admin,
            {
                "name": "",
                "id_number": "36083019900101123X",
                "joined_on": "明天",
                "ethnicity": "火星族",
            },
            union_id=u.id,
        )
    assert set(exc.value.errors) == {"name", "id_number", "joined_on", "ethnicity"}
    with any_db.reading() as s:
        assert s.scalar(select(func.count(Person.id))) == before


def test_second_clerk_is_told_what_the_first_changed(any_db: Database, admin: CurrentUser) -> None:
    """Two clerks open the same member; the first changes only person details (phone,
    education); the second's save is refused, naming the changes (the phone's value is
    not repeated), and nothing of the second save is written."""
    clerk = users.login(any_db, "jingban", DEMO_PASSWORD)
    mid = members.search_member_ids(any_db, admin)[5]
    first = members.get_member(any_db, admin, mid)
    second = members.get_member(any_db, clerk, mid)
    members.save_member(
        any_db, admin, {**first.values, "phone": "13900009999", "education": "本科"},
        membership_id=mid, expected_version=first.version,
    )  # fmt: skip
    with pytest.raises(ConflictError) as refused:
        members.save_member(
            any_db, clerk, {**second.values, "job": "电工"},
            membership_id=mid, expected_version=second.version,
        )  # fmt: skip
    message = str(refused.value)
    assert "admin" in message and "本次没有保存" in message
    assert "手机（已修改）" in message and "13900009999" not in message
    assert "学历：" in message and "→ 本科" in message  # the label, not the code
    now = members.get_member(any_db, admin, mid)
    assert now.values["job"] != "电工" and now.values["phone"] == "13900009999"


def test_members_under_14_are_refused_unless_the_office_allows_them(
    any_db: Database, admin: CurrentUser
) -> None:
    """入会 at 12: refused (nothing written) until 设置 → 单位信息 allows members under
    14; then registered with a warning. Changing the setting is for administrators."""
    u = grassroots(any_db, admin)[0]
    values = {"name": "少年", "id_number": make_id(birth="20100301", seq="135"),
              "joined_on": "2022-06-01"}  # fmt: skip
    before = members.search_member_ids(any_db, admin, MemberFilter(text="少年"))
    with pytest.raises(ValidationError, match="入会时只有12周岁"):
        members.save_member(any_db, admin, values, union_id=u.id)
    assert members.search_member_ids(any_db, admin, MemberFilter(text="少年")) == before
    assert not members.young_members_allowed(any_db)

    clerk = users.login(any_db, "jingban", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        members.allow_young_members(any_db, clerk, True)
    members.allow_young_members(any_db, admin, True)
    assert members.young_members_allowed(any_db)
    res = members.save_member(any_db, admin, values, union_id=u.id)
    assert res.warnings == ["入会时未满16周岁（12周岁），请核对"]
    # born after joining stays an error whatever the setting says
    late = {**values, "id_number": make_id(birth="20100301", seq="153"), "joined_on": "2009-01-01"}
    with pytest.raises(ValidationError, match="早于出生日期"):
        members.save_member(any_db, admin, late, union_id=u.id)
