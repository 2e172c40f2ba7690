"""The import preview: mapped columns, first rows and counts, before anything is checked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

import unionsdesk.excel.preview as preview_module
import unionsdesk.excel.reader as reader
from unionsdesk.domain.idcard import check_char
from unionsdesk.excel.preview import (
    MATCH_ALIAS,
    MATCH_CLERK,
    MATCH_LABEL,
    MATCH_REMEMBERED,
    layout_signature,
    preview,
)
from unionsdesk.excel.reader import ExcelReadError, read_records
from unionsdesk.fields import MEMBER, PAYOUT


def make_id(birth: str, seq: str) -> str:
    first = "360830" + birth + seq
    return first + check_char(first)


A, B, C = make_id("19850312", "121"), make_id("19900101", "222"), make_id("19781130", "333")


def save(path: Path, rows: list[list[object]], *, title: str = "花名册") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def messy_roster(path: Path) -> Path:
    """Merged title, 填报单位 line, spaced and synonym headers, a blank row, 合计, a note."""
    rows: list[list[object]] = [
        ["青原镇2026年工会会员花名册"],
        ["填报单位：青原镇总工会", None, None, None, "填报日期：2026年3月1日"],
        ["序号", "姓  名", "公民身份号码", "性别", "民族", "联系电话", "入会时间", "备注"],
        [1, "张三", A, "男", "汉族", "13800138000", datetime(2019, 5, 1), None],
        [None] * 8,
        [2, "王五", B, "女", "汉族", None, "2019.05", "调入"],
        [3, "赵六", C, "男", "回族", "13900001111", "2020年1月", None],
        ["合计", None, None, None, None, None, None, None],
        ["填表说明：身份证号请填18位"],
    ]
    path = save(path, rows)
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("A1:H1")  # type: ignore[union-attr]
    wb.save(path)
    return path


def unmappable_roster(path: Path) -> Path:
    """名字 and 证件号 are no spelling the reader knows; 入会日期 and 手机 are."""
    return save(
        path,
        [
            ["某公司会员名单"],
            ["名字", "证件号", "入会日期", "手机"],
            ["张三", A, "2019-05-01", "13800138000"],
            ["王五", B, "2019-06-01", None],
        ],
    )


def test_messy_roster_mapping_and_counts(tmp_path: Path) -> None:
    p = preview(messy_roster(tmp_path / "messy.xlsx"), MEMBER)
    assert p.file_name == "messy.xlsx" and p.sheet == "花名册"
    assert p.header_row == 3 and p.header_first_row == 3 and p.header_found
    got = {c.letter: (c.header, c.field, c.matched_by) for c in p.columns}
    assert got == {
        "A": ("序号", None, None),
        "B": ("姓  名", "name", MATCH_LABEL),
        "C": ("公民身份号码", "id_number", MATCH_ALIAS),
        "D": ("性别", "sex", MATCH_LABEL),
        "E": ("民族", "ethnicity", MATCH_LABEL),
        "F": ("联系电话", "phone", MATCH_ALIAS),
        "G": ("入会时间", "joined_on", MATCH_ALIAS),
        "H": ("备注", None, None),
    }
    assert p.columns[5].label == "手机" and not any(c.ambiguous for c in p.columns)
    assert p.missing == () and p.ambiguous == {} and p.ok and p.problems() == []
    assert p.applied is None and not p.changed
    # the same rows and counts the import reads
    assert p.data_rows == 3
    assert [n for n, _cells in p.rows] == [4, 6, 7]
    assert p.rows[0][1] == ("1", "张三", A, "男", "汉族", "13800138000", "2019-05-01", "")
    assert p.skipped.rows == {"title": [1, 2], "blank": [5], "total": [8], "note": [9]}
    assert "共3行数据" in p.counts_text() and "合计行1行（第8行）" in p.counts_text()
    sheet = read_records(tmp_path / "messy.xlsx", MEMBER)
    assert [r.row_number for r in sheet.records] == [4, 6, 7]
    assert sheet.skipped.rows == p.skipped.rows
    assert p.mapping() == {n: sheet.header.column_of(n) for n in MEMBER.by_name}
    assert p.signature == "member|序号|姓名|公民身份号码|性别|民族|联系电话|入会时间|备注"


def test_rows_limits_the_rows_shown_not_the_count(tmp_path: Path) -> None:
    rows: list[list[object]] = [["姓名", "身份证号", "入会日期"]]
    rows += [[f"职工{i}", make_id("19900101", f"{i:03d}"), "2020-01-01"] for i in range(25)]
    p = preview(save(tmp_path / "long.xlsx", rows), MEMBER, rows=10)
    assert len(p.rows) == 10 and p.data_rows == 25
    assert p.rows[-1][0] == 11 and "下表显示前10行" in p.counts_text()


def test_unknown_headers_are_unmapped_and_required_fields_reported(tmp_path: Path) -> None:
    path = unmappable_roster(tmp_path / "odd.xlsx")
    p = preview(path, MEMBER)
    assert p.header_row == 2 and p.header_found
    assert [(c.header, c.field) for c in p.columns] == [
        ("名字", None),
        ("证件号", None),
        ("入会日期", "joined_on"),
        ("手机", "phone"),
    ]
    assert p.missing == ("name", "id_number") and not p.ok
    (problem,) = p.problems()
    assert "缺少必填的列" in problem and "“姓名”" in problem and "“身份证号”" in problem
    with pytest.raises(ExcelReadError, match="缺少必填的列"):
        read_records(path, MEMBER)  # the import, as before

    fixed = p.remap({"name": 0, "id_number": 1})
    assert fixed.ok and fixed.changed and fixed.applied == MATCH_CLERK
    assert [(c.field, c.matched_by) for c in fixed.columns] == [
        ("name", MATCH_CLERK),
        ("id_number", MATCH_CLERK),
        ("joined_on", MATCH_LABEL),
        ("phone", MATCH_LABEL),  # 手机 is the label itself
    ]
    assert fixed.columns[0].label == "姓名"
    sheet = read_records(path, MEMBER, columns=fixed.mapping())
    assert sheet.header.row_number == 2
    assert [r.values["name"] for r in sheet.records] == ["张三", "王五"]
    assert sheet.records[0].values["id_number"] == A
    assert sheet.header.labels[0] == "名字" and sheet.header_labels[:2] == ["名字", "证件号"]


def test_ambiguous_header_is_an_error_not_a_guess(tmp_path: Path) -> None:
    path = save(
        tmp_path / "two-phones.xlsx",
        [
            ["姓名", "身份证号", "手机", "联系电话", "入会日期"],
            ["张三", A, "13800138000", "0796-8123456", "2019-05-01"],
        ],
    )
    with pytest.raises(ExcelReadError, match="重复的列"):
        read_records(path, MEMBER)  # what the reader does today
    p = preview(path, MEMBER)
    assert p.ambiguous == {"phone": (2, 3)}
    assert [c.ambiguous for c in p.columns] == [False, False, True, True, False]
    assert not p.ok and any("C列、D列都对应“手机”" in t for t in p.problems())
    assert "phone" not in p.mapping()  # left to the header: still refused
    with pytest.raises(ExcelReadError, match="重复的列"):
        read_records(path, MEMBER, columns=p.mapping())

    chosen = p.remap({"phone": 2})  # D is then no longer imported
    assert chosen.ok and chosen.ambiguous == {} and chosen.columns[3].field is None
    sheet = read_records(path, MEMBER, columns=chosen.mapping())
    assert sheet.records[0].values["phone"] == "13800138000"
    assert 3 in sheet.header.unmatched


def test_explicit_columns_override_and_ignore(tmp_path: Path) -> None:
    path = messy_roster(tmp_path / "messy.xlsx")
    before = read_records(path, MEMBER)
    assert before.records[0].values["phone"] == "13800138000"
    ignored = read_records(path, MEMBER, columns={"phone": -1, "sex": None})
    assert "phone" not in ignored.records[0].values and "sex" not in ignored.records[0].values
    assert ignored.header.unmatched[5] == "联系电话"
    # 备注 (H) read as 职业/岗位; a column given to a field leaves the field it had
    moved = read_records(path, MEMBER, columns={"job": 7, "ethnicity": 3})
    assert moved.header.columns[7] == "job" and moved.header.columns[3] == "ethnicity"
    assert moved.header.column_of("sex") is None and 4 in moved.header.unmatched
    assert moved.records[1].values["job"] == "调入"
    with pytest.raises(ValueError):
        read_records(path, MEMBER, columns={"nonsense": 1})
    with pytest.raises(ValueError):
        read_records(path, MEMBER, columns={"name": 1, "sex": 1})


def test_default_read_is_unchanged(tmp_path: Path) -> None:
    path = messy_roster(tmp_path / "messy.xlsx")
    plain = read_records(path, MEMBER)
    for columns in (None, {}):
        other = read_records(path, MEMBER, columns=columns)
        assert other.header == plain.header
        assert other.records == plain.records and other.skipped == plain.skipped
    assert plain.header.columns == {1: "name", 2: "id_number", 3: "sex", 4: "ethnicity",
                                    5: "phone", 6: "joined_on"}  # fmt: skip
    assert plain.header.unmatched == {0: "序号", 7: "备注"}


def test_no_header_at_all_is_shown_for_mapping_by_hand(tmp_path: Path) -> None:
    path = save(
        tmp_path / "bare.xlsx",
        [
            ["名单"],
            ["名字", "证件号", "日期"],
            ["张三", A, "2019-05-01"],
        ],
    )
    with pytest.raises(ExcelReadError, match="没有找到表头"):
        read_records(path, MEMBER)
    p = preview(path, MEMBER)
    assert not p.header_found and p.header_row == 2
    assert all(c.field is None for c in p.columns) and p.data_rows == 1
    mapped = p.remap({"name": 0, "id_number": 1, "joined_on": 2})
    assert mapped.ok
    sheet = read_records(path, MEMBER, columns=mapped.mapping())
    assert sheet.header.row_number == 2 and sheet.records[0].values["joined_on"] == "2019-05-01"
    with pytest.raises(ExcelReadError, match="没有找到表头"):
        preview(save(tmp_path / "numbers.xlsx", [[1, 2, 3], [4, 5, 6]]), MEMBER)


def test_preview_reads_once_and_validates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = messy_roster(tmp_path / "messy.xlsx")
    reads: list[Path] = []
    real = preview_module.read_sheet

    def counting(p: Path, sheet: object = None) -> list[list[object]]:
        reads.append(p)
        return real(p, sheet)  # type: ignore[arg-type]

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the preview validated rows")

    monkeypatch.setattr(preview_module, "read_sheet", counting)
    monkeypatch.setattr(reader, "validate_rows", refuse)
    monkeypatch.setattr(reader, "_clean_field", refuse)
    p = preview(path, MEMBER)
    q = p.remap({"phone": None}).remap({"phone": 5}, source=MATCH_REMEMBERED)
    assert len(reads) == 1
    assert q.mapping() == p.mapping() and q.data_rows == 3


def test_remap_keeps_how_columns_were_matched(tmp_path: Path) -> None:
    p = preview(unmappable_roster(tmp_path / "odd.xlsx"), MEMBER)
    remembered = p.remap({"name": 0, "id_number": 1}, source=MATCH_REMEMBERED)
    assert remembered.applied == MATCH_REMEMBERED
    later = remembered.remap({"name": 0, "id_number": 1, "phone": None})
    assert [c.matched_by for c in later.columns] == [
        MATCH_REMEMBERED,
        MATCH_REMEMBERED,
        MATCH_LABEL,
        None,
    ]
    assert later.detected_mapping() == p.mapping()


def test_signature_is_the_normalised_header(tmp_path: Path) -> None:
    one = preview(unmappable_roster(tmp_path / "a.xlsx"), MEMBER)
    other = save(
        tmp_path / "b.xlsx",
        [["名 字", "证件号", "入会日期 ", "手机"], ["李四", C, "2020-01-01", None]],
    )
    assert preview(other, MEMBER).signature == one.signature
    assert layout_signature(MEMBER, {0: "名字", 2: "手机"}) == "member|名字||手机"
    assert layout_signature(PAYOUT, {0: "名字"}) != layout_signature(MEMBER, {0: "名字"})


def test_release_keeps_the_mapping_and_drops_the_rows(tmp_path: Path) -> None:
    p = preview(unmappable_roster(tmp_path / "odd.xlsx"), MEMBER)
    q = p.remap({"name": 0, "id_number": 1})
    mapping, detected = q.mapping(), q.detected_mapping()
    q.release()
    assert q.mapping() == mapping and q.detected_mapping() == detected == p.mapping()
    assert q.changed and q.ok and q.data_rows == 2
    with pytest.raises(RuntimeError):
        p.remap(None)  # the rows are shared, and gone
