"""Excel import: reading, header detection, records, validation, error workbook."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from unionsdesk.domain.idcard import check_char
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.excel import (
    ExcelReadError,
    SkipReport,
    detect_header,
    iter_records,
    normalize_header,
    read_records,
    read_sheet,
    validate_rows,
    write_error_workbook,
)
from unionsdesk.excel.reader import UNRECOGNISED, SourceRow, column_letter
from unionsdesk.fields import MEMBER, UNION, EntitySpec, FieldSpec

SPEC = EntitySpec(
    "person",
    "人员",
    (
        FieldSpec("name", "姓名", required=True, max_length=20),
        FieldSpec(
            "id_number",
            "身份证号",
            kind="idno",
            required=True,
            aliases=("身份证号码", "公民身份号码", "证件号码"),
        ),
        FieldSpec("phone", "手机", kind="phone", aliases=("手机号码", "联系电话")),
        FieldSpec("joined_on", "入会时间", kind="date", aliases=("入会日期",)),
    ),
)


def idno(first17: str) -> str:
    return first17 + check_char(first17)


ID_A = idno("11010119900307001")  # ends in a digit
ID_X = next(
    idno(f"3608301972072{n:04d}")
    for n in range(10000)
    if check_char(f"3608301972072{n:04d}") == "X"
)
ID_15 = "110101900307002"  # legacy 15 digits → 110101 19 900307002 + check
FULLWIDTH = "".join(chr(ord(c) + 0xFEE0) for c in ID_A)  # １１０１０１…


def save(
    tmp_path: Path, rows: list[list[Any]], merges: tuple[str, ...] = (), name: str = "roster.xlsx"
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "会员信息"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    path = tmp_path / name
    wb.save(path)
    return path


def messy_roster(tmp_path: Path) -> Path:
    rows: list[list[Any]] = [
        ["某某镇工会会员花名册"],  # 1 merged title
        ["填报单位：某某镇总工会", None, None, "填报日期：2026年11月"],  # 2
        ["序号", "姓  名", "公民身份号码", "联系电话", "入会日期*", "备注"],  # 3 header
        [
            1,
            "张三",
            f"{ID_A[:6]} {ID_A[6:14]} {ID_A[14:]}",
            "138-1234-5678",
            date(2019, 5, 1),
            None,
        ],
        [None, None, None, None, None, None],  # 5 blank
        [2, "李四", FULLWIDTH, "13912345678", "2019.05", "=1+1"],  # 6
        [3, "王𠮷", ID_X.lower(), 13812345678, "2019年5月", None],  # 7
        [4, "赵六", ID_15, None, datetime(2020, 3, 1, 8, 30), None],  # 8
        [5, "钱七", 110101199003070011, "13812345678", "2019-05-01", None],  # 9 damaged ID
        [6, None, "\u200b" + ID_A + "\u00a0", "12345", "2019-13-01", None],  # 10 three errors
        [7, "孙八", "3.60830197207212E+17", None, None, None],  # 11 damaged, as text
        ["合  计", None, "共7人", None, None, None],  # 12
        ["填表说明：1.带*的为必填项；2.身份证号请按文本填写。"],  # 13
    ]
    return save(tmp_path, rows, merges=("A1:F1", "A13:F13"))


# ------------------------------------------------------------------------ read_sheet


def test_read_sheet_keeps_row_numbers_types_and_blanks(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["C3"] = "x"
    ws["D3"] = date(2019, 5, 1)
    ws["E3"] = 12
    ws["F3"] = True
    ws["B5"] = "last"
    path = tmp_path / "a.xlsx"
    wb.save(path)
    rows = read_sheet(path)
    assert rows[2][2:6] == ["x", date(2019, 5, 1), 12, True]
    assert rows[0] == [None] * len(rows[0])  # from A1, empty cells are None
    assert rows[4][1] == "last" and len(rows) == 5


def test_read_sheet_by_name_and_index_and_first_visible(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "隐藏"
    first["A1"] = "hidden"
    first.sheet_state = "hidden"
    second = wb.create_sheet("会员 信息")
    second["A1"] = "visible"
    path = tmp_path / "s.xlsx"
    wb.save(path)
    assert read_sheet(path)[0][0] == "visible"
    assert read_sheet(path, 0)[0][0] == "hidden"
    assert read_sheet(path, "会员信息")[0][0] == "visible"  # spaces ignored
    with pytest.raises(ExcelReadError, match="没有名为“名册”的工作表（现有：“隐藏”、“会员 信息”）"):
        read_sheet(path, "名册")
    with pytest.raises(ExcelReadError, match="只有2个工作表"):
        read_sheet(path, 5)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.xlsx", "是空文件"),
        (b"name,id\n", "list.csv", "不是Excel工作簿，请在Excel或WPS中另存为.xlsx"),
        (b"hello world, not a workbook", "fake.xlsx", "文件不是Excel工作簿.*或文件已损坏"),
        (b"PK\x03\x04" + b"\x00" * 200, "broken.xlsx", "或文件已损坏"),
        (
            bytes.fromhex("D0CF11E0A1B11AE1")
            + b"\x00" * 500
            + "EncryptedPackage".encode("utf-16-le"),
            "secret.xlsx",
            "设有打开密码",
        ),
    ],
)
def test_read_sheet_refuses_bad_files(
    tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ExcelReadError, match=message) as info:
        read_sheet(path)
    assert isinstance(info.value, UserError)


def test_read_sheet_missing_file_and_empty_workbook(tmp_path: Path) -> None:
    with pytest.raises(ExcelReadError, match="找不到文件"):
        read_sheet(tmp_path / "nope.xlsx")
    with pytest.raises(ExcelReadError, match="不是文件"):
        read_sheet(tmp_path)
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ExcelReadError, match="是空的"):
        read_sheet(path)


def test_merged_ranges_over_rows_are_filled_down(tmp_path: Path) -> None:
    path = save(
        tmp_path,
        [
            ["标题"],
            ["单位", "姓名"],
            ["甲厂", "张三"],
            [None, "李四"],
            [None, "王五"],
            ["乙厂", "赵六"],
        ],
        merges=("A1:B1", "A3:A5"),
    )
    rows = read_sheet(path)
    assert [r[0] for r in rows] == ["标题", "单位", "甲厂", "甲厂", "甲厂", "乙厂"]
    assert rows[0] == ["标题", None]  # a one-row merge (title) is left alone
    assert [r[0] for r in read_sheet(path, fill_merged=False)][3] is None


# ---------------------------------------------------------------------------- header


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("姓  名", "姓名"),
        ("姓\u3000名\n", "姓名"),
        ("\u00a0*身份证号", "身份证号"),
        ("入会日期＊", "入会日期"),
        ("手机（必填）", "手机"),
        ("出生日期（格式：yyyy/MM/dd）", "出生日期(格式:yyyy/mm/dd)"),
        ("是否农民工会员 填写“是”或“否”", '是否农民工会员填写"是"或"否"'),
        ("姓名\u200b：", "姓名"),
        (None, ""),
        (2019.0, "2019"),
    ],
)
def test_normalize_header(raw: object, expected: str) -> None:
    assert normalize_header(raw) == expected


def test_detect_header_below_title_rows_with_synonyms() -> None:
    rows: list[list[object]] = [
        ["花名册", None, None, None, None],
        ["填报单位：某镇", None, None, "日期：2026年", None],
        ["序号", "姓  名", "公民身份号码", "联系电话", "入会时间（年月日）"],
        [1, "张三", ID_A, None, None],
    ]
    h = detect_header(rows, SPEC)
    assert h.row_index == 2 and h.row_number == 3
    assert h.columns == {1: "name", 2: "id_number", 3: "phone", 4: "joined_on"}
    assert h.labels[2] == "公民身份号码"
    assert h.unmatched == {0: "序号"}
    assert h.missing == ()
    assert h.describe(SPEC)[0] == ("姓  名", "姓名")


def test_detect_header_two_row_merged_header_without_merge_info() -> None:
    rows: list[list[object]] = [
        ["姓名", "身份证号", "联系方式", None, "入会时间"],
        [None, None, "手机", "座机", None],
        ["张三", ID_A, "13812345678", None, "2019-05"],
    ]
    h = detect_header(rows, SPEC)
    assert h.row_index == 1 and h.first_row_index == 0
    assert h.columns == {0: "name", 1: "id_number", 2: "phone", 4: "joined_on"}
    assert h.unmatched == {3: "座机"}  # 联系方式 is only a group title
    records = list(iter_records(rows, h))
    assert [r.row_number for r in records] == [3]


def test_detect_header_two_row_merged_header_from_file(tmp_path: Path) -> None:
    path = save(
        tmp_path,
        [
            ["会员花名册"],
            ["基本信息", None, None, "联系方式", None],
            ["姓名", "身份证号", "入会日期", "手机", "座机"],
            ["张三", ID_A, "2019-05", "13812345678", None],
        ],
        merges=("A1:E1", "A2:C2", "D2:E2"),
    )
    data = read_records(path, SPEC)
    assert data.header.row_number == 3
    assert [r.row_number for r in data.records] == [4]
    assert data.skipped.rows == {"title": [1, 2]}


def test_detect_header_vertical_merges_filled_from_file(tmp_path: Path) -> None:
    path = save(
        tmp_path,
        [
            ["姓名", "身份证号", "联系方式", None],
            [None, None, "手机", "座机"],
            ["张三", ID_A, "13812345678", None],
        ],
        merges=("A1:A2", "B1:B2", "C1:D1"),
    )
    data = read_records(path, SPEC)
    assert data.header.row_number == 2
    assert data.header.columns == {0: "name", 1: "id_number", 2: "phone"}
    assert [r.values["phone"] for r in data.records] == ["13812345678"]


def test_header_cell_merged_over_two_rows_and_columns(tmp_path: Path) -> None:
    path = save(
        tmp_path,
        [
            ["姓名", "身份证号", "手机", None, "单位"],
            [None, None, None, None, "名称"],
            ["张三", ID_A, "13812345678", None, "甲厂"],
        ],
        merges=("A1:A2", "B1:B2", "C1:D2"),
    )
    data = read_records(path, SPEC)
    assert data.header.columns == {0: "name", 1: "id_number", 2: "phone"}
    assert [r.values["phone"] for r in data.records] == ["13812345678"]


def test_detect_header_errors() -> None:
    with pytest.raises(ExcelReadError, match="没有找到表头"):
        detect_header([["a", "b"], [1, 2]], SPEC)
    with pytest.raises(ExcelReadError, match=r"缺少必填的列：“身份证号”（也可写作“身份证号码”"):
        detect_header([["姓名", "手机", "入会时间"]], SPEC)
    h = detect_header([["姓名", "手机", "入会时间"]], SPEC, allow_missing=True)
    assert h.missing == ("id_number",)
    with pytest.raises(ExcelReadError, match="B列“手机”、D列“联系电话”都对应“手机”"):
        detect_header([["姓名", "手机", "身份证号", "联系电话"]], SPEC)


def test_detect_header_prefers_row_with_required_fields() -> None:
    rows: list[list[object]] = [
        ["手机", "入会时间", "联系电话"],  # two fields, but no required ones (and a dup)
        ["姓名", "身份证号", None],
    ]
    assert detect_header(rows, SPEC).row_index == 1


def test_detect_header_only_scans_max_scan_rows() -> None:
    rows: list[list[object]] = [[None, None] for _ in range(5)]
    rows.append(["姓名", "身份证号"])
    assert detect_header(rows, SPEC).row_index == 5
    with pytest.raises(ExcelReadError, match="前5行"):
        detect_header(rows, SPEC, max_scan=5)


@pytest.mark.parametrize("spec", [MEMBER, UNION])
def test_project_specs_have_unambiguous_headers(spec: EntitySpec) -> None:
    """Every label and alias of a real spec finds its own field, and only it."""
    for f in spec.fields:
        for text in (f.label, *f.aliases):
            other = next(g for g in spec.fields if g is not f)
            h = detect_header([[text, other.label]], spec, allow_missing=True)
            assert h.columns[0] == f.name, text


def test_hainan_member_template_header() -> None:
    header: list[object] = [
        "序号", "姓名", "性别", "出生日期（格式：yyyy/MM/dd）", "民族", "就业状况", "有效证件类别",
        "证件号码(填写18位身份证)", "学历", "技术等级", "移动电话", "户籍类型", "户籍所在地",
        "会籍变化类型", "会籍变化日期（格式：yyyy/MM/dd）", "会籍变化原因", "政治面貌", "工作单位",
        "籍贯", "是否农民工会员 填写“是”或“否”",
    ]  # fmt: skip
    rows: list[list[object]] = [
        ["附件四"],
        ["海南省工会会员信息采集表"],
        ["填表单位（盖章）：", *[None] * 10, "单位负责人(签字)："],
        header,
    ]
    h = detect_header(rows, MEMBER)
    assert h.row_number == 4
    found = set(h.columns.values())
    assert {
        "name",
        "id_number",
        "birth_date",
        "phone",
        "joined_on",
        "migrant_worker",
        "union",
    } <= found
    assert h.unmatched == {0: "序号", 6: "有效证件类别", 13: "会籍变化类型", 15: "会籍变化原因"}


# --------------------------------------------------------------------------- records


def test_messy_roster_end_to_end(tmp_path: Path) -> None:
    data = read_records(messy_roster(tmp_path), SPEC)
    assert data.header.row_number == 3
    assert [r.row_number for r in data.records] == [4, 6, 7, 8, 9, 10, 11]
    assert data.skipped.rows == {"title": [1, 2], "blank": [5], "total": [12], "note": [13]}
    assert "合计行1行（第12行）" in data.skipped.summary()

    result = validate_rows(data.records, SPEC, header=data.header)
    good = dict(result.good)
    assert sorted(good) == [4, 6, 7, 8]
    assert good[4] == {
        "name": "张三",
        "id_number": ID_A,
        "phone": "13812345678",
        "joined_on": date(2019, 5, 1),
    }
    assert good[6]["id_number"] == ID_A  # full-width digits
    assert good[6]["joined_on"] == date(2019, 5, 1)  # "2019.05"
    assert good[7]["name"] == "王𠮷"
    assert good[7]["id_number"] == ID_X  # lower-case x
    assert good[7]["phone"] == "13812345678"  # a number cell
    assert good[7]["joined_on"] == date(2019, 5, 1)  # "2019年5月"
    assert good[8]["id_number"] == "110101" + "19" + ID_15[6:] + check_char("11010119" + ID_15[6:])
    assert good[8]["joined_on"] == date(2020, 3, 1)
    assert good[8]["phone"] is None

    errors = {(e.row_number, e.field): e for e in result.errors}
    assert set(errors) == {
        (9, "id_number"),
        (10, "name"),
        (10, "phone"),
        (10, "joined_on"),
        (11, "id_number"),
    }
    damaged = errors[9, "id_number"]
    assert damaged.reason == "身份证号被Excel存成了数字，后几位已丢失，请把该列设为文本后重新填写"
    assert damaged.column_label == "公民身份号码"
    assert damaged.value == pytest.approx(1.1010119900307e17)
    assert damaged.raw_row[1] == "钱七"
    assert "后几位已丢失" in errors[11, "id_number"].reason
    assert "必须填写" in errors[10, "name"].reason
    assert errors[10, "joined_on"].column_label == "入会日期*"
    assert result.bad_rows == [9, 10, 11]
    assert result.summary() == "共7行：4行正确，3行有错误"


def test_skips_repeated_header_note_lines_and_number_only_rows() -> None:
    rows: list[list[object]] = [
        ["序号", "姓名", "身份证号"],
        [1, "张三", ID_A],
        [2, None, None],  # pre-numbered template row, nothing filled in
        ["序号", "姓 名", "身份证号"],  # a second sheet pasted below
        [3, "李四", ID_A],
        ["小计", None, None],
        [None, None, None],
        ["注：", None, None],
        ["1. 姓名必须与身份证一致", None, None],
        [None, "2. 身份证号按文本填写", None],
    ]
    skipped = SkipReport()
    records = list(iter_records(rows, detect_header(rows, SPEC), skipped))
    assert [r.row_number for r in records] == [2, 5]
    assert skipped.rows == {"blank": [3, 7], "header": [4], "total": [6], "note": [8, 9, 10]}
    assert skipped.count() == 7 and skipped.count("note") == 3


def test_row_after_notes_with_data_is_not_swallowed() -> None:
    rows: list[list[object]] = [
        ["姓名", "身份证号"],
        ["说明：以下为补报人员", None],
        ["李四", ID_A],
    ]
    records = list(iter_records(rows, detect_header(rows, SPEC)))
    assert [r.row_number for r in records] == [3]


def test_short_rows_and_values_for_every_mapped_field() -> None:
    rows: list[list[object]] = [["姓名", "身份证号", "手机"], ["张三"]]
    (record,) = iter_records(rows, detect_header(rows, SPEC))
    assert record.values == {"name": "张三", "id_number": None, "phone": None}


# ------------------------------------------------------------------------ validation


def record(row_no: int, /, **values: object) -> SourceRow:
    return SourceRow(row_number=row_no, values=dict(values), raw_row=list(values.values()))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (110101199003070011, "后几位已丢失"),
        (1.1010119900307e17, "后几位已丢失"),
        ("1.10101199003070E+17", "后几位已丢失"),
        ("110101199003070000", "后几位已丢失"),  # trailing 000, bad checksum
        (110101900307002, "身份证号被Excel存成了数字，请把该列设为文本后重新填写"),
        (True, UNRECOGNISED),
        (float("nan"), "身份证号被Excel存成了数字"),
        (date(2019, 5, 1), UNRECOGNISED),
    ],
)
def test_idno_damage_and_odd_cells(raw: object, reason: str) -> None:
    result = validate_rows([record(7, name="张三", id_number=raw)], SPEC)
    (error,) = result.errors
    assert reason in error.reason
    assert error.row_number == 7 and error.field == "id_number"
    assert error.column_label == "身份证号"  # no header given: the field label


@pytest.mark.parametrize(
    "raw",
    [
        float("inf"),
        float("-inf"),
        10**400,
        -(10**40),
        True,
        datetime(2019, 5, 1, 12, 0),
        "=A1+1",
        "#DIV/0!",
        "x" * 100_000,
        "\x00\x01",
        object(),
        b"bytes",
        [1, 2],
    ],
)
def test_weird_cells_never_crash(raw: object) -> None:
    result = validate_rows([record(2, name=raw, id_number=raw, phone=raw, joined_on=raw)], SPEC)
    assert result.errors  # every field gives a reason, none raises
    assert all(e.reason and e.row_number == 2 for e in result.errors)


def test_text_field_gets_whole_numbers_without_point_zero() -> None:
    spec = EntitySpec("x", "x", (FieldSpec("card", "会员证号"), FieldSpec("n", "人数", kind="int")))
    result = validate_rows([record(2, card=12345.0, n=3.0)], spec)
    assert result.good == [(2, {"card": "12345", "n": 3})]


def test_date_cell_in_text_column_is_explained() -> None:
    spec = EntitySpec("x", "x", (FieldSpec("card", "会员证号"),))
    (error,) = validate_rows([record(2, card=datetime(2019, 5, 1))], spec).errors
    assert "日期格式" in error.reason


def test_unexpected_exception_in_validator_becomes_unrecognised() -> None:
    def boom(value: Any) -> Any:
        raise KeyError(value)

    def english(value: Any) -> Any:
        raise ValueError("invalid literal for int()")

    spec = EntitySpec(
        "x", "x", (FieldSpec("a", "甲", validator=boom), FieldSpec("b", "乙", validator=english))
    )
    result = validate_rows([record(2, a="1", b="2")], spec)
    assert [e.reason for e in result.errors] == [UNRECOGNISED, UNRECOGNISED]


def test_row_check_errors_by_field_and_for_the_row() -> None:
    def check(clean: dict[str, Any]) -> None:
        if clean["name"] == "张三":
            raise ValidationError({"id_number": "该身份证号已在别的工会登记"})
        if clean["name"] == "李四":
            raise ValueError("同一人在表中出现两次")

    records = [
        record(2, name="张三", id_number=ID_A),
        record(3, name="李四", id_number=ID_A),
        record(4, name="王五", id_number=ID_A),
        record(5, name=None, id_number=ID_A),  # row_check only sees clean rows
    ]
    result = validate_rows(records, SPEC, row_check=check)
    assert [(e.row_number, e.field, e.reason) for e in result.errors] == [
        (2, "id_number", "该身份证号已在别的工会登记"),
        (3, "", "同一人在表中出现两次"),
        (5, "name", "“姓名”必须填写"),
    ]
    assert [n for n, _ in result.good] == [4]


def test_codes_are_passed_to_the_spec() -> None:
    spec = EntitySpec("x", "x", (FieldSpec("edu", "学历", kind="code", code_category="education"),))
    codes = {"education": {"大专": "30", "30": "30"}}
    result = validate_rows([record(2, edu="大专"), record(3, edu="博士后")], spec, codes=codes)
    assert result.good == [(2, {"edu": "30"})]
    assert "不在字典中" in result.errors[0].reason


# -------------------------------------------------------------------- error workbook


def test_error_workbook_reads_back_and_reimports(tmp_path: Path) -> None:
    data = read_records(messy_roster(tmp_path), SPEC)
    result = validate_rows(data.records, SPEC, header=data.header)
    out = write_error_workbook(
        tmp_path / "errors.xlsx", result.errors, data.header_labels, "会员导入错误"
    )

    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws is not None
    assert ws["A1"].value == "会员导入错误（共3行、5处错误）"
    assert [c.value for c in ws[3]][:10] == [
        "原表行号", "列", "值", "错误原因", "序号", "姓  名", "公民身份号码", "联系电话", "入会日期*", "备注",
    ]  # fmt: skip
    assert ws.freeze_panes == "E4"
    assert ws["A3"].font.b
    lines = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [line[0] for line in lines] == [9, 10, 10, 10, 11]
    first = lines[0]
    assert first[1] == "公民身份号码（C列）"
    assert first[2] == "1.1010119900307E+17"
    assert "后几位已丢失" in str(first[3])
    assert first[4:6] == [5, "钱七"]
    assert lines[1][4] == 6 and lines[2][4] is None  # original cells once per source row
    for row in ws.iter_rows(min_row=4):
        for c in row:
            assert c.data_type != "f"

    # The clerk fixes the file in place and imports it again.
    ws.cell(4, 7).value = ID_A
    ws.cell(5, 6).value = "周九"
    ws.cell(5, 8).value = "13812345678"
    ws.cell(5, 9).value = "2019-12-01"
    ws.cell(8, 7).value = ID_A
    wb.save(out)
    again = read_records(out, SPEC)
    assert again.header.row_number == 3
    fixed = validate_rows(again.records, SPEC, header=again.header)
    assert fixed.errors == []
    assert [clean["name"] for _, clean in fixed.good] == ["钱七", "周九", "孙八"]


def test_error_workbook_keeps_formula_text_and_unicode(tmp_path: Path) -> None:
    errors = validate_rows(
        [
            SourceRow(
                2,
                {"name": '=HYPERLINK("http://x")', "id_number": "12"},
                ['=HYPERLINK("http://x")', "12", "𠮷"],
            ),
        ],
        SPEC,
    ).errors
    out = write_error_workbook(tmp_path / "e.xlsx", errors, ["姓名", "身份证号", "备注"])
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["E4"].value == '=HYPERLINK("http://x")' and ws["E4"].data_type == "s"
    assert ws["G4"].value == "𠮷"


def test_column_letter() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
