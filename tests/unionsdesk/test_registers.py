"""The register framework's generic paths: the read permission of a private register
(import, undo, export, printed list, filters, 人员档案, the list of imports), the undo
of an import whose rows drew gapless numbers (案号), and computed columns shown once."""

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import ImportBatch, Person, ReceiptBook
from unionsdesk.db.models_rights import Dispute
from unionsdesk.demo import DEMO_PASSWORD
from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import PermissionDenied, UserError
from unionsdesk.services.common import import_undo, users
from unionsdesk.services.common.base import RIGHTS, CurrentUser
from unionsdesk.services.common.person_file import person_file
from unionsdesk.services.common.register_io import undo_description, undo_last_import
from unionsdesk.services.rights.disputes import CASE_SERIES
from unionsdesk.services.rights.registers import DISPUTES, LEGAL_AID, SUGGESTIONS, Suggestions
from unionsdesk.table import Column

YEAR = date.today().year
HEADER = [
    "受理日期",
    "申请方式",
    "申请人",
    "身份证号",
    "电话",
    "被申请人（单位）",
    "争议类型",
    "涉案金额",
]


def make_id(seq: str) -> str:
    first = "36083019790101" + seq[:3]
    return first + check_char(first)


def _dispute_sheet(path: Path, people: list[tuple[str, str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["劳动争议调解台账"])
    ws.append(HEADER)
    for name, number in people:
        ws.append([date.today(), "书面", name, number, "13907960000", "示例县某某有限公司",
                   "劳动报酬", 3000])  # fmt: skip
    wb.save(path)
    return path


def _last_case_number(db: Database) -> int:
    with db.reading() as s:
        q = select(ReceiptBook.last_number).where(
            ReceiptBook.series == CASE_SERIES, ReceiptBook.year == YEAR
        )
        return s.scalar(q) or 0


def _clerk(db: Database) -> CurrentUser:
    return users.login(db, "jingban", DEMO_PASSWORD)


# --- a. the read permission ------------------------------------------------------------


def test_clerk_without_rights_view_cannot_reach_private_registers_by_any_generic_path(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    sheet = _dispute_sheet(tmp_path / "争议.xlsx", [("导入甲", make_id("701"))])
    done = DISPUTES.import_file(any_db, admin, sheet)
    assert done.written and done.imported == 1
    clerk = _clerk(any_db)
    assert not DISPUTES.readable_by(clerk) and SUGGESTIONS.readable_by(clerk)
    for call in (
        lambda: undo_last_import(any_db, clerk, DISPUTES),
        lambda: DISPUTES.import_file(any_db, clerk, sheet),
        lambda: DISPUTES.export(any_db, clerk, tmp_path / "x.xlsx"),
        lambda: DISPUTES.print_list(any_db, clerk, tmp_path / "x.pdf"),
        lambda: DISPUTES.filter_options(any_db, clerk),
        lambda: LEGAL_AID.export(any_db, clerk, tmp_path / "y.xlsx"),
        lambda: LEGAL_AID.add_people(any_db, clerk, [1]),
    ):
        with pytest.raises(PermissionDenied, match="维权查看"):
            call()
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "x.pdf").exists()
    # the list of imports names the batch but the clerk cannot undo it from there either
    row = next(b for b in import_undo.list_batches(any_db, clerk) if b.id == done.batch_id)
    assert not row.can_undo and row.why_not is not None and "劳动争议调解" in row.why_not
    admin_row = next(b for b in import_undo.list_batches(any_db, admin) if b.id == done.batch_id)
    assert admin_row.why_not is not None and "请在“劳动争议调解”中撤销" in admin_row.why_not
    # nothing above changed anything: the import is still in force
    with any_db.reading() as s:
        assert s.get(ImportBatch, done.batch_id).undone is False  # type: ignore[union-attr]
    # a role given 维权查看 may (from the next login)
    users.set_role_permission(any_db, admin, "clerk", RIGHTS, True)
    granted = _clerk(any_db)
    assert DISPUTES.export(any_db, granted, tmp_path / "ok.xlsx") > 0
    assert undo_last_import(any_db, granted, DISPUTES).voided


# --- b. undo and gapless 案号 ------------------------------------------------------------


def test_undo_of_a_dispute_import_voids_the_cases_and_keeps_their_numbers(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    before = _last_case_number(any_db)
    people = [("导入乙", make_id("702")), ("导入丙", make_id("703"))]
    sheet = _dispute_sheet(tmp_path / "调解导入.xlsx", people)
    result = DISPUTES.import_file(any_db, admin, sheet)
    assert result.imported == 2 and _last_case_number(any_db) == before + 2
    assert "作废" in undo_description(DISPUTES) and "删除" in undo_description(SUGGESTIONS)

    undone = undo_last_import(any_db, admin, DISPUTES)
    assert undone.voided and undone.rows_removed == 2
    assert "作废导入的记录：2条" in "\n".join(undone.summary_lines())
    with any_db.reading() as s:
        rows = list(s.scalars(select(Dispute).where(Dispute.import_batch_id == result.batch_id)))
        assert sorted(d.case_seq for d in rows) == [before + 1, before + 2]  # numbers kept
        assert all(d.voided and d.void_reason == "撤销导入（调解导入.xlsx）" for d in rows)
        batch = s.get(ImportBatch, result.batch_id)
        assert batch is not None and batch.undone
        # the people stay: the voided cases still name them
        numbers = [n for _name, n in people]
        assert s.scalar(select(func.count()).where(Person.id_number.in_(numbers))) == 2
    assert _last_case_number(any_db) == before + 2  # the series was not wound back
    with pytest.raises(UserError, match="没有可以撤销的劳动争议调解导入"):
        undo_last_import(any_db, admin, DISPUTES)

    # the corrected file goes in again: the next numbers, no hole, none reused
    again = DISPUTES.import_file(any_db, admin, sheet)
    assert again.imported == 2
    with any_db.reading() as s:
        seqs = sorted(
            s.scalars(select(Dispute.case_seq).where(Dispute.import_batch_id == again.batch_id))
        )
        every = sorted(s.scalars(select(Dispute.case_seq).where(Dispute.case_year == YEAR)))
    assert seqs == [before + 3, before + 4]
    assert every == list(range(1, before + 5))  # gapless: 1 … N, each once


def test_undo_of_a_numbered_import_is_refused_when_a_case_was_edited(
    any_db: Database, admin: CurrentUser, tmp_path: Path
) -> None:
    sheet = _dispute_sheet(tmp_path / "a.xlsx", [("导入丁", make_id("704"))])
    result = DISPUTES.import_file(any_db, admin, sheet)
    case_id = DISPUTES.search_ids(any_db, admin, "导入丁")[0]
    record = DISPUTES.get(any_db, admin, case_id)
    DISPUTES.update(any_db, admin, case_id, record.values | {"job": "焊工"}, record.version)
    with pytest.raises(UserError, match="已修改或作废"):
        undo_last_import(any_db, admin, DISPUTES)
    with any_db.reading() as s:
        assert s.get(ImportBatch, result.batch_id).undone is False  # type: ignore[union-attr]
        assert s.get(Dispute, case_id).voided is False  # type: ignore[union-attr]


def test_undo_of_a_register_without_numbers_still_deletes(
    demo_db: Database, tmp_path: Path
) -> None:
    admin = users.first_admin(demo_db)
    wb = Workbook()
    ws = wb.active
    ws.append(["收到日期", "提出人", "内容"])
    ws.append([date.today(), "建议人甲", "食堂增加夜班供餐"])
    wb.save(tmp_path / "s.xlsx")
    result = SUGGESTIONS.import_file(demo_db, admin, tmp_path / "s.xlsx")
    assert result.imported == 1
    undone = undo_last_import(demo_db, admin, SUGGESTIONS)
    assert not undone.voided and undone.rows_removed == 1
    assert SUGGESTIONS.search_ids(demo_db, admin, "建议人甲", {"voided": "all"}) == []


# --- c. 人员档案 --------------------------------------------------------------------------


def test_person_file_leaves_private_sections_out_for_users_without_rights_view(
    any_db: Database, admin: CurrentUser
) -> None:
    with any_db.reading() as s:
        person_id = s.scalar(
            select(Dispute.person_id).where(Dispute.voided.is_(False)).order_by(Dispute.id)
        )
        case_no = s.scalar(
            select(Dispute.case_no).where(Dispute.person_id == person_id).order_by(Dispute.id)
        )
    assert person_id is not None
    full = person_file(any_db, admin, person_id)
    titles = [t.title for t in full.sections]
    assert "劳动争议调解" in titles and "法律援助" in titles and full.hidden == ()
    cases = next(t for t in full.sections if t.title == "劳动争议调解")
    assert any(case_no in row for row in cases.rows)

    clerk = _clerk(any_db)
    limited = person_file(any_db, clerk, person_id)
    shown = [t.title for t in limited.sections]
    assert "劳动争议调解" not in shown and "法律援助" not in shown
    assert "会员与会籍" in shown and "职工意见建议" not in limited.hidden
    assert limited.hidden == ("劳动争议调解", "法律援助")
    assert limited.hidden_note == "未显示：劳动争议调解、法律援助（需要相应权限）"
    assert not any(case_no in str(v) for t in limited.sections for r in t.rows for v in r)
    # the same note for a person with no case at all: it tells nothing about the person
    with any_db.reading() as s:
        other = s.scalar(
            select(Person.id).where(Person.id.not_in(select(Dispute.person_id))).limit(1)
        )
    assert other is not None
    assert person_file(any_db, clerk, other).hidden == limited.hidden


# --- d. computed columns once ----------------------------------------------------------


class _ListedOverdue(Suggestions):
    """职工意见建议 listing its computed 办理情况 among its fields (and twice in export)."""

    list_fields = ("received_on", "proposer", "overdue", "content")
    print_fields = ("received_on", "proposer", "overdue", "content")
    export_fields = ("received_on", "proposer", "overdue", "content", "overdue")

    def extra_columns(self) -> list[Column]:
        return [*super().extra_columns(), Column("late_days", "超期天数", "int", 6)]

    def decorate_rows(self, s: Any, rows: list[Any]) -> None:
        super().decorate_rows(s, rows)
        for r in rows:
            r.values["late_days"] = 0


def test_a_computed_column_listed_among_the_fields_is_shown_once(
    demo_db: Database, tmp_path: Path
) -> None:
    reg = _ListedOverdue()
    admin = users.first_admin(demo_db)
    assert reg.list_names() == ("received_on", "proposer", "overdue", "content", "late_days")
    assert reg.print_names() == reg.list_names()
    assert reg.export_names() == ("received_on", "proposer", "overdue", "content")
    for names in (reg.list_names(), reg.print_names(), reg.export_names(), ("overdue", "overdue")):
        keys = [c.key for c in reg.columns(names)]
        assert len(keys) == len(set(keys)) and keys == list(dict.fromkeys(names))
    rows = reg.fetch_rows(demo_db, admin, reg.search_ids(demo_db, admin, limit=3))
    assert rows and all(r.values["overdue"] and r.values["late_days"] == 0 for r in rows)

    n = reg.export(demo_db, admin, tmp_path / "s.xlsx")
    sheet = list(load_workbook(tmp_path / "s.xlsx").active.iter_rows(values_only=True))
    header = next(r for r in sheet if r and "提出人" in r)
    assert [h for h in header if h] == ["收到日期", "提出人", "办理情况", "内容"] and n > 0

    reg.print_list(demo_db, admin, tmp_path / "s.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", "-l", "1", str(tmp_path / "s.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    head = next(line for line in text.splitlines() if "提出人" in line)
    assert head.count("办理情况") == 1 and head.count("超期天数") == 1
