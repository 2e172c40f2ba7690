"""The honours registers through the services: rules, refusals, search, import/undo,
export, printed lists, the 劳模 view, trips, contests and the person file."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import AuditLog, Campaign, Payout, Person
from unionsdesk.db.models_honours import Honour
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import ConflictError, PermissionDenied, UserError, ValidationError
from unionsdesk.registers import PARENT, VOIDED, all_registers, get
from unionsdesk.services.common import users
from unionsdesk.services.common.base import CurrentUser
from unionsdesk.services.common.person_file import find_people, person_file
from unionsdesk.services.common.register_io import undo_last_import
from unionsdesk.services.honours import model_workers as mw

YEAR = date.today().year


def make_id(birth: str, seq: str) -> str:
    first = "360830" + birth + seq
    return first + check_char(first)


def honour(**extra: object) -> dict[str, object]:
    return {
        "name": "陈劳模", "id_number": make_id("19700101", "123"), "unit": "示例县机械厂",
        "title": "省劳动模范", "level": "省部级", "year": "2015", "awarded_by": "省人民政府",
        **extra,
    }  # fmt: skip


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_register_is_declared_with_its_cli_name() -> None:
    names = {r.name for r in all_registers() if r.area == "honours"}
    assert {"honours", "trips", "trip-members", "contests", "contest-results", "innovations",
            "studios", "activities", "model-workers"} <= names  # fmt: skip


def test_create_search_update_conflict_void(any_db: Database, admin: CurrentUser) -> None:
    reg = get("honours")
    rec = reg.create(any_db, admin, honour())
    assert rec.values["title"] == "03" and rec.values["level"] == "2"  # codes, from the labels
    assert rec.values["kept"] is True  # 保持荣誉 unless said otherwise
    assert rec.person_id is not None
    # search: name prefix, pinyin initials, part of the ID number, 编号, 文号
    for text in ("陈劳", "clm", "19700101", str(rec.id)):
        assert rec.id in reg.search_ids(any_db, admin, text), text
    assert rec.id not in reg.search_ids(any_db, admin, "zzzz")
    # filters built from the spec
    assert rec.id in reg.search_ids(any_db, admin, "", {"level": "2", "year": 2015})
    assert rec.id not in reg.search_ids(any_db, admin, "", {"level": "1"})
    saved = reg.update(any_db, admin, rec.id, honour(doc_no="赣府字〔2015〕8号"), rec.version)
    assert rec.id in reg.search_ids(any_db, admin, "赣府字〔2015")  # 文号 by its beginning
    with pytest.raises(
        ConflictError, match="文号"
    ):  # the message says what the other clerk changed
        reg.update(any_db, admin, rec.id, honour(doc_no="x"), rec.version)
    done = reg.void(any_db, admin, rec.id, "重复录入", saved.version)
    assert done.voided and rec.id not in reg.search_ids(any_db, admin, "陈劳")
    assert rec.id in reg.search_ids(any_db, admin, "陈劳", {VOIDED: "all"})
    with pytest.raises(UserError, match="已作废"):
        reg.update(any_db, admin, rec.id, honour(), done.version)
    with any_db.reading() as s:
        actions = list(
            s.scalars(
                select(AuditLog.action).where(
                    AuditLog.entity == "honour", AuditLog.entity_id == rec.id
                )
            )
        )
    assert actions == ["create", "update", "void"]


def test_refusals(demo_db: Database) -> None:
    admin = users.first_admin(demo_db)
    reg = get("honours")
    first = reg.create(demo_db, admin, honour())
    with pytest.raises(ValidationError, match=f"第{first.id}号记录") as exc:
        reg.create(demo_db, admin, honour(unit="别的单位"))  # same person, title, year
    assert "陈劳模已有2015年的“省劳动模范”" in str(exc.value)
    reg.create(demo_db, admin, honour(year="2020"))  # another year is another honour
    with pytest.raises(ValidationError) as exc:
        reg.create(demo_db, admin, honour(id_number=make_id("19700101", "124"), title="省劳模"))
    assert "最接近的是“省劳动模范”" in exc.value.errors["title"]
    with pytest.raises(ValidationError) as exc:
        reg.create(demo_db, admin, honour(id_number="360830197001011230"))
    assert "校验" in exc.value.errors["id_number"]
    with pytest.raises(ValidationError, match="个人荣誉必须填写身份证号"):
        reg.create(demo_db, admin, honour(id_number=None))
    with pytest.raises(ValidationError, match="姓名是“陈劳模”"):  # the ID number is someone else's
        reg.create(demo_db, admin, honour(name="陈二", year="2021"))
    with pytest.raises(ValidationError, match="年份应在1950到"):
        reg.create(demo_db, admin, honour(year=str(YEAR + 1)))
    team = {
        "collective": True,
        "name": "机修车间工人先锋号",
        "title": "工人先锋号",
        "level": "地市级",
        "year": "2022",
    }
    reg.create(demo_db, admin, team)  # a collective: no ID number
    with pytest.raises(ValidationError, match="已有2022年"):
        reg.create(demo_db, admin, team)


def test_readonly_and_masking(demo_db: Database) -> None:
    admin = users.first_admin(demo_db)
    reg = get("honours")
    rec = reg.create(demo_db, admin, honour())
    reader = CurrentUser(None, "chaxun", "赵查询", "readonly")
    with pytest.raises(PermissionDenied):
        reg.create(demo_db, reader, honour(year="2019"))
    row = reg.fetch_rows(demo_db, reader, [rec.id])[0]
    assert row.values["id_number"].startswith("3608") and "*" in row.values["id_number"]
    shown = reg.get(demo_db, reader, rec.id)
    assert "*" in shown.values["id_number"]


def _sheet(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["荣誉登记表"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_import_all_or_nothing_error_workbook_and_undo(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    reg = get("honours")
    before = len(reg.search_ids(any_db, admin))
    header = ["姓名", "身份证号码", "工作单位", "荣誉称号", "级别", "授予年份", "文号"]
    good = [
        [
            "吴甲",
            make_id("19650303", "201"),
            "示例县化肥厂",
            "县劳动模范",
            "县级",
            2018,
            "示县字〔2018〕1号",
        ],
        ["吴乙", make_id("19660404", "202"), "示例县化肥厂", "市劳动模范", "地市级", 2019, None],
    ]
    bad = [
        *good,
        ["吴丙", "360830196604041234", "示例县", "县劳动模范", "县级", 2018, None],  # checksum
        [
            "吴丁",
            make_id("19670505", "203"),
            "示例县",
            "县劳模",
            "县级",
            2018,
            None,
        ],  # unknown title
        [
            "吴甲",
            make_id("19650303", "201"),
            "示例县化肥厂",
            "县劳动模范",
            "县级",
            2018,
            None,
        ],  # twice
        [
            "吴戊",
            make_id("19680606", "204"),
            "示例县",
            "县劳动模范",
            "县级",
            YEAR + 2,
            None,
        ],  # future
    ]
    result = reg.import_file(any_db, admin, _sheet(tmp_path / "bad.xlsx", header, bad))
    assert not result.written and result.invalid == 4 and result.ready == 2
    assert len(reg.search_ids(any_db, admin)) == before  # nothing written
    reasons = " ".join(e.reason for e in result.errors)
    assert "校验" in reasons and "最接近的是“县劳动模范”" in reasons and "与第3行重复" in reasons
    errors = result.write_error_workbook(tmp_path / "errors.xlsx")
    cells = [
        c for row in load_workbook(errors).active.iter_rows(values_only=True) for c in row if c
    ]
    assert any("与第3行重复" in str(c) for c in cells)

    result = reg.import_file(any_db, admin, _sheet(tmp_path / "good.xlsx", header, good))
    assert result.written and result.imported == 2 and result.batch_id
    assert len(reg.search_ids(any_db, admin)) == before + 2
    again = reg.import_file(any_db, admin, tmp_path / "good.xlsx")
    assert not again.written and "不能重复登记" in again.errors[0].reason
    undone = undo_last_import(any_db, admin, reg)
    assert undone.rows_removed == 2 and undone.people_removed == 2
    assert len(reg.search_ids(any_db, admin)) == before
    with any_db.reading() as s:
        assert s.scalar(select(func.count(Person.id)).where(Person.name.in_(["吴甲", "吴乙"]))) == 0
    with pytest.raises(UserError, match="没有可以撤销"):
        undo_last_import(any_db, admin, reg)


def test_undo_refused_once_a_row_was_edited(demo_db: Database, tmp_path: Path) -> None:
    admin = users.first_admin(demo_db)
    reg = get("studios")
    path = _sheet(tmp_path / "s.xlsx", ["工作室名称", "领衔人", "领衔人身份证号", "依托单位", "命名级别", "命名年份", "资助金额"],
                  [["焊花创新工作室", "焊工甲", make_id("19800808", "301"), "示例县机械厂", "县级", 2023, 50000]])  # fmt: skip
    result = reg.import_file(demo_db, admin, path)
    assert result.written
    rid = reg.search_ids(demo_db, admin, "焊花")[0]
    rec = reg.get(demo_db, admin, rid)
    assert rec.values["funding"] == 5_000_000  # fen
    reg.update(demo_db, admin, rid, {**rec.values, "funding": "60000"}, rec.version)
    with pytest.raises(UserError, match="已修改或作废"):
        undo_last_import(demo_db, admin, reg)


def test_export_and_print_list(any_db: Database, admin: CurrentUser, tmp_path: Path) -> None:
    reg = get("studios")
    n = reg.export(any_db, admin, tmp_path / "s.xlsx")
    rows = list(load_workbook(tmp_path / "s.xlsx").active.iter_rows(values_only=True))
    assert n == 5
    assert rows[0][0] == "创新工作室登记表" and "填报单位：示例县总工会" in rows[1][0]
    header = rows[2] if "工作室名称" in rows[2] else rows[3]
    assert "领衔人身份证号" in header
    assert any(r and r[0] == "合计" for r in rows)
    reg.print_list(any_db, admin, tmp_path / "s.pdf", public=True)
    text = pdf_text(tmp_path / "s.pdf")
    assert (
        "创新工作室登记表" in text and "制表日期" in text and "合计" in text and "第 1 页" in text
    )
    assert "创新工作室" in text


def test_year_filter_of_export(demo_db: Database, tmp_path: Path) -> None:
    admin = users.first_admin(demo_db)
    reg = get("honours")
    total = reg.export(demo_db, admin, tmp_path / "all.xlsx")
    only = reg.export(demo_db, admin, tmp_path / "y.xlsx", year=2017)
    assert 0 < only < total
    years = {
        r[7]
        for r in load_workbook(tmp_path / "y.xlsx").active.iter_rows(min_row=4, values_only=True)
        if r[7]
    }
    assert years <= {"2017"}


def test_innovation_exclusions_and_twice(demo_db: Database) -> None:
    admin = users.first_admin(demo_db)
    reg = get("innovations")
    base = {
        "name": "螺栓快速紧固器", "category": "小革新", "authors": "甲工、乙工",
        "author_ids": f"{make_id('19750101', '401')}、{make_id('19760101', '402')}",
        "unit": "示例县机械厂", "year": "2024", "completed_on": "2023-03-01", "in_use_on": "2023-05-01",
        "benefit": "120000",
    }  # fmt: skip
    for field, why in (("q_programme", "政府科技计划"), ("q_gov_award", "政府奖励"),
                       ("q_secret", "知识产权"), ("q_won_before", "往年已获奖")):  # fmt: skip
        with pytest.raises(ValidationError, match=why):
            reg.create(demo_db, admin, {**base, field: True})
    with pytest.raises(ValidationError, match="投用时间"):
        reg.create(demo_db, admin, {**base, "in_use_on": None})
    with pytest.raises(ValidationError, match="一一对应"):
        reg.create(demo_db, admin, {**base, "author_ids": make_id("19750101", "401")})
    rec = reg.create(demo_db, admin, base)
    assert rec.values["author_ids"].count("、") == 1
    with pytest.raises(ValidationError, match="同一项目不能重复获奖"):
        reg.create(demo_db, admin, {**base, "year": "2025"})
    pid = find_people(demo_db, admin, make_id("19750101", "401"))[0][0]
    sections = {t.title: t for t in person_file(demo_db, admin, pid).sections}
    assert sections["五小"].rows[0][0] == "螺栓快速紧固器"


def test_trip_members_picker_quota_and_rosters(demo_db: Database, tmp_path: Path) -> None:
    admin = users.first_admin(demo_db)
    trips, members = get("trips"), get("trip-members")
    start = date(YEAR, 1, 10)
    trip = trips.create(demo_db, admin, {"year": str(YEAR), "batch": "第9期", "place": "庐山工人疗养院",
                                         "start_on": start.isoformat(), "end_on": (start + timedelta(days=6)).isoformat(),
                                         "quota": "3", "cost": "3000"})  # fmt: skip
    with pytest.raises(ValidationError, match="结束日期不能早于"):
        trips.create(demo_db, admin, {"year": str(YEAR), "batch": "第10期", "place": "x",
                                      "start_on": "2026-05-02", "end_on": "2026-05-01"})  # fmt: skip
    candidates = mw.trip_candidates(demo_db, admin, trip.id)
    assert len(candidates) > 100
    years = [c.last_trip_year or 0 for c in candidates]
    assert years == sorted(years)  # never sent first, then longest not sent
    picked = [c.person_id for c in candidates[:4]]
    added, notes = mw.add_trip_members(demo_db, admin, trip.id, picked)
    assert added == 3 and any("名额3人已满" in n for n in notes)
    again, notes = mw.add_trip_members(demo_db, admin, trip.id, picked[:1])
    assert again == 0 and "已在本期疗休养名单中" in notes[0]
    ids = members.search_ids(demo_db, admin, "", {PARENT: trip.id})
    assert len(ids) == 3
    with pytest.raises(UserError, match="本期已安排3人"):
        trips.void(demo_db, admin, trip.id, "取消", trip.version)
    # an overlapping trip is reported for the same person
    other = trips.create(demo_db, admin, {"year": str(YEAR), "batch": "第11期", "place": "井冈山",
                                          "start_on": (start + timedelta(days=3)).isoformat(),
                                          "end_on": (start + timedelta(days=9)).isoformat()})  # fmt: skip
    overlapping = {c.person_id: c.overlaps for c in mw.trip_candidates(demo_db, admin, other.id)}
    assert overlapping[picked[0]] and "第9期" in overlapping[picked[0]][0]
    mw.print_roster(demo_db, admin, members, trip.id, tmp_path / "r.pdf", public=True, sign_in=True)
    text = pdf_text(tmp_path / "r.pdf")
    assert "签到表" in text and "签名" in text and "*" in text and "第9期" in text
    mw.print_roster(demo_db, admin, members, trip.id, tmp_path / "n.pdf")
    assert "名单" in pdf_text(tmp_path / "n.pdf")


def test_model_workers_view_and_allowance_campaign(demo_db: Database) -> None:
    admin = users.first_admin(demo_db)
    view = get("model-workers")
    ids = view.search_ids(demo_db, admin)
    with demo_db.reading() as s:
        people = s.scalar(select(func.count(func.distinct(Honour.person_id))).where(
            Honour.id.in_(ids)))  # fmt: skip
    assert people == len(ids) > 50  # one row per person
    retired = view.search_ids(demo_db, admin, "", {"work_status": "离退休"})
    assert 0 < len(retired) < len(ids)
    with pytest.raises(UserError, match="查询视图"):
        view.create(demo_db, admin, honour())
    result = mw.allowance_campaign(
        demo_db, admin, YEAR, greeting=50000, filters={"work_status": "离退休"}
    )
    assert result.added == len(retired)
    with demo_db.reading() as s:
        c = s.get(Campaign, result.campaign_id)
        assert c is not None and c.kind == "20" and c.status == "草拟"
        lines = list(s.scalars(select(Payout).where(Payout.campaign_id == c.id)))
    assert len(lines) == len(retired) and sum(p.amount for p in lines) == result.total
    assert {p.category for p in lines} <= {"劳模津贴", "劳模慰问"}


def test_contest_result_grants_an_honour(demo_db: Database) -> None:
    admin = users.first_admin(demo_db)
    contests, results = get("contests"), get("contest-results")
    with pytest.raises(ValidationError, match="今天之后"):
        contests.create(
            demo_db,
            admin,
            {
                "name": "未来赛",
                "level": "县级",
                "held_on": (date.today() + timedelta(days=3)).isoformat(),
            },
        )
    c = contests.create(
        demo_db,
        admin,
        {"name": "全县叉车技能竞赛", "trade": "叉车司机", "level": "县级", "held_on": "2025-10-10"},
    )
    values = {"name": "叉车王", "id_number": make_id("19850101", "501"), "unit": "物流公司", "rank": "第一名",
              "prize": "3000", "grants_title": True, "title": "技术能手"}  # fmt: skip
    with pytest.raises(ValidationError, match="所授称号"):
        results.create(demo_db, admin, {**values, "title": None}, parent_id=c.id)
    r = results.create(demo_db, admin, values, parent_id=c.id)
    with pytest.raises(ValidationError, match="已有成绩"):
        results.create(demo_db, admin, values, parent_id=c.id)
    hid = mw.honour_from_result(demo_db, admin, r.id)
    h = get("honours").get(demo_db, admin, hid)
    assert h.values["title"] == "33" and h.values["year"] == 2025 and h.values["level"] == "4"
    with pytest.raises(UserError, match="已登记荣誉"):
        mw.honour_from_result(demo_db, admin, r.id)
    with pytest.raises(UserError, match="请先在“荣誉”中作废"):
        results.void(demo_db, admin, r.id, "录错")


def test_activity_members_twice_refused(demo_db: Database) -> None:
    admin = users.first_admin(demo_db)
    acts, members = get("activities"), get("activity-members")
    a = acts.create(
        demo_db, admin, {"name": "趣味运动会", "kind": "文体活动", "held_on": "2026-05-01"}
    )
    v = {"name": "运动员", "id_number": make_id("19900101", "601"), "unit": "示例县"}
    members.create(demo_db, admin, v, parent_id=a.id)
    with pytest.raises(ValidationError, match="已在本次活动名单中"):
        members.create(demo_db, admin, v, parent_id=a.id)
    with pytest.raises(UserError, match="请先选择活动"):
        members.create(demo_db, admin, {**v, "id_number": make_id("19900101", "602")})


def test_person_file_shows_every_area(demo_db: Database) -> None:
    admin = users.first_admin(demo_db)
    with demo_db.reading() as s:
        pid = s.scalar(select(Payout.person_id).order_by(Payout.id).limit(1))
        assert pid is not None
        person = s.get(Person, pid)
        assert person is not None
        name, number = person.name, person.id_number
    get("honours").create(demo_db, admin, honour(name=name, id_number=number))
    f = person_file(demo_db, admin, pid)
    titles = [t.title for t in f.sections]
    assert titles[:3] == ["会员与会籍", "困难职工档案", "帮扶发放与收据"]
    by = {t.title: t for t in f.sections}
    assert by["会员与会籍"].rows and by["帮扶发放与收据"].rows and by["荣誉"].rows
    assert f.id_number == number
    reader = users.login(demo_db, "chaxun", "demo1234")
    masked = person_file(demo_db, reader, pid)
    assert "*" in masked.id_number and masked.id_number != number


def test_import_into_a_full_trip_writes_nothing(demo_db: Database, tmp_path: Path) -> None:
    admin = users.first_admin(demo_db)
    trips, members = get("trips"), get("trip-members")
    trip = trips.create(demo_db, admin, {"year": str(YEAR), "batch": "第7期", "place": "海滨",
                                         "start_on": f"{YEAR}-02-01", "end_on": f"{YEAR}-02-07", "quota": "2"})  # fmt: skip
    rows = [["疗养" + "甲乙丙"[k], make_id("19600202", f"9{k}1"), "示例县"] for k in range(3)]
    path = _sheet(tmp_path / "m.xlsx", ["姓名", "身份证号", "工作单位"], rows)
    with pytest.raises(UserError, match="第5行：本期名额2人已满"):
        members.import_file(demo_db, admin, path, parent_id=trip.id)
    assert members.search_ids(demo_db, admin, "", {PARENT: trip.id}) == []
    with pytest.raises(UserError, match="请先选择疗休养"):
        members.import_file(demo_db, admin, path)
