"""Member files in the layout an upper-level union system imports (UPSTREAM_FORMATS.md §1).

海南省工会会员信息采集表 (§1.2): sheet ``会员信息`` with 附件四 / title / 填表单位
rows, the 20-column header on row 4, data from row 5, every cell a text cell,
dates as ``yyyy/MM/dd`` and the 填表说明 note as the very last row (the
provincial importer reads rows 5 … last−1 of the first sheet and rejects merged
cells anywhere else below row 4); sheet ``下拉菜单表`` holds the 56 民族.

Our stored codes are mapped to the provincial spellings. A value with no
unambiguous spelling (研究生 → 博士 or 硕士?), an empty field the 填表说明 calls
required, an ID number failing the provincial pattern or a phone the provincial
importer refuses is reported per member *before* sending: `check_members_hainan`
only checks (for a preview), `export_members_hainan` writes the files anyway and
returns the same problems, and writes them to ``…_问题清单.xlsx`` beside the output.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Membership, MembershipEvent, Person, UnionOrg
from unionsdesk.domain.mask import mask_id, mask_phone
from unionsdesk.errors import PermissionDenied, UserError
from unionsdesk.fields import normalize_label
from unionsdesk.services.common.base import PII, READ, CurrentUser, reading
from unionsdesk.services.common.codes import label_maps
from unionsdesk.services.members.members import RETAIN, RETAINED, TRANSFER_IN, subtree_ids
from unionsdesk.table import Column, Table

__all__ = [
    "HAINAN_HEADERS",
    "HAINAN_NOTE",
    "HAINAN_TITLE",
    "ROWS_PER_FILE",
    "HainanExportResult",
    "UploadCheck",
    "UploadProblem",
    "check_members_hainan",
    "export_members_hainan",
    "problem_table",
    "problems_path_for",
    "write_problem_workbook",
]

Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]

# The provincial validations reach row 63 354 and an .xls sheet holds 65 536 rows:
# stay well below both.
ROWS_PER_FILE = 60_000
_CHUNK = 1000  # rows between progress reports / cancel checks

HAINAN_SHEET = "会员信息"
HAINAN_LISTS_SHEET = "下拉菜单表"
HAINAN_TITLE = "海南省工会会员信息采集表"
HAINAN_FIRST_DATA_ROW = 5
HAINAN_NOTE = (
    "填表说明：此表所列项目均为必填项，请按《工会会员登记表》上相应项目规范填写；"
    "“工作单位”需填写完整的单位全称；具体请查看《工会会员实名信息采集表说明书》。"
)

# (key, exact header text on row 4, column width)
_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("seq", "序号", 6),
    ("name", "姓名", 10),
    ("sex", "性别", 5),
    ("birth_date", "出生日期（格式：yyyy/MM/dd）", 14),
    ("ethnicity", "民族", 9),
    ("employment_status", "就业状况", 11),
    ("id_type", "有效证件类别", 11),
    ("id_number", "证件号码(填写18位身份证)", 21),
    ("education", "学历", 9),
    ("tech_level", "技术等级", 22),
    ("phone", "移动电话", 13),
    ("hukou_type", "户籍类型", 11),
    ("hukou_place", "户籍所在地", 18),
    ("change_type", "会籍变化类型", 10),
    ("change_date", "会籍变化日期（格式：yyyy/MM/dd）", 14),
    ("change_reason", "会籍变化原因", 22),
    ("political", "政治面貌", 12),
    ("work_unit", "工作单位", 28),
    ("native_place", "籍贯", 10),
    ("migrant_worker", '是否农民工会员 填写"是"或"否"', 12),
)
HAINAN_HEADERS: tuple[str, ...] = tuple(c[1] for c in _COLUMNS)
_COL = {key: i for i, (key, _, _) in enumerate(_COLUMNS)}
# Short column names for the problem list (the header without its format hint).
_SHORT = {key: re.split(r"[（(]", text)[0].split(" ")[0] for key, text, _ in _COLUMNS}

# GB/T 3304 order, as in 下拉菜单表!A2:A57 of the provincial template.
HAINAN_ETHNICITIES: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)  # fmt: skip

# The drop-down values of the provincial template, by column.
HAINAN_CHOICES: dict[str, tuple[str, ...]] = {
    "sex": ("男", "女"),
    "ethnicity": HAINAN_ETHNICITIES,
    "employment_status": ("在岗", "待（下）岗", "失业", "退休", "退职", "退养（内退）", "病休", "其他"),
    "id_type": ("居民身份证",),
    "education": ("博士", "硕士", "本科", "大专", "中专", "高中", "初中", "小学及以下"),
    "tech_level": (
        "无", "职业资格一级（高级技师）", "职业资格二级（技师）", "职业资格三级（高级）",
        "职业资格四级（中级）", "职业资格五级（初级）",
    ),
    "hukou_type": ("农业户口", "非农业户口"),
    "change_type": ("入会", "转入", "保留", "转出", "除名", "退会"),
    "change_reason": (
        "劳动（工作）关系发生变化", "在本单位下岗后待岗", "失业", "所在企业破产", "个人要求退会",
        "因犯罪被开除会籍",
    ),
    "political": (
        "中共党员", "中共预备党员", "共青团员", "民革党员", "民盟盟员", "民建会员", "民进会员",
        "农工党党员", "致公党党员", "九三学社社员", "台盟盟员", "无党派人士", "群众",
    ),
    "migrant_worker": ("是", "否"),
}  # fmt: skip

# Our label → the provincial spelling, where the two differ but mean the same.
RENAMES: dict[str, dict[str, str]] = {
    "education": {"大学本科": "本科", "大学": "本科", "专科": "大专", "大学专科": "大专"},
    "hukou_type": {"农业": "农业户口", "非农业": "非农业户口"},
    "political": {"党员": "中共党员", "团员": "共青团员", "预备党员": "中共预备党员"},
}
# Our label → the provincial values it may stand for: the clerk has to choose.
AMBIGUOUS: dict[str, dict[str, tuple[str, ...]]] = {
    "education": {
        "研究生": ("博士", "硕士"),
        "中专/高中": ("中专", "高中"),
        "初中及以下": ("初中", "小学及以下"),
    },
    "political": {
        "民主党派": HAINAN_CHOICES["political"][3:11],
        "其他": ("无党派人士", "群众"),
    },
}
# Empty in our register but required by the 填表说明: what to tell the clerk.
_EMPTY_HINT = {"tech_level": "（没有技术等级的填“无”）"}

# 海南 StringRegularUtil.REGEX_ID_CARD (18-digit branch; the header asks for 18 digits).
HAINAN_ID = re.compile(
    r"[1-9]\d{5}(18|19|20)\d{2}((0[1-9])|(10|11|12))(([0-2][1-9])|10|20|30|31)\d{3}[0-9Xx]"
)
_MOBILE = re.compile(r"1\d{10}")
# The provincial importer refuses 就业状况 退休 past the retirement age set there
# (unknown to us); these are the lowest statutory ages, so nothing is missed.
RETIRE_AGE = {"男": 60, "女": 50}
TRANSFER_REASON = "劳动（工作）关系发生变化"  # the only provincial reason that fits a transfer
_FILE_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass(frozen=True)
class UploadProblem:
    """One reason the upper system would refuse or misread a member's row."""

    membership_id: int
    name: str
    id_masked: str
    union: str  # the member's union (where to fix the record)
    column: str  # provincial column, e.g. 学历
    value: str  # what the upload file holds ("" when empty)
    problem: str  # for the clerk
    rejected: bool  # True: the provincial importer refuses the whole row
    file_name: str = ""  # the upload file holding the row ("" in a check only)
    row: int = 0  # its Excel row in that file (0 in a check only)

    @property
    def level(self) -> str:
        return "拒收" if self.rejected else "需核对"


@dataclass
class UploadCheck:
    """The data-quality report of an upload: what to fix before sending."""

    layout: str
    members: int = 0
    problems: list[UploadProblem] = field(default_factory=list)

    @property
    def problem_rows(self) -> int:
        """Members with at least one problem."""
        return len({p.membership_id for p in self.problems})

    @property
    def rejected_rows(self) -> int:
        """Members whose row the upper system will refuse."""
        return len({p.membership_id for p in self.problems if p.rejected})

    def by_problem(self) -> list[tuple[str, str, str, int]]:
        """(level, column, problem, members) most frequent first."""
        members: dict[tuple[str, str, str], set[int]] = {}
        for p in self.problems:
            members.setdefault((p.level, p.column, p.problem), set()).add(p.membership_id)
        counts = Counter({key: len(ids) for key, ids in members.items()})
        return [(lv, col, prob, n) for (lv, col, prob), n in counts.most_common()]

    def summary_lines(self, limit: int = 12) -> list[str]:
        if not self.problems:
            return [f"数据检查：{self.members}名会员均符合{self.layout}的要求"]
        lines = [
            f"数据问题：{self.problem_rows}人（上级系统会拒收：{self.rejected_rows}人；"
            f"其余为不在上级系统选项中或未填写，需核对）"
        ]
        groups = self.by_problem()
        for level, column, problem, n in groups[:limit]:
            lines.append(f"  · [{level}] {column}：{problem}（{n}人）")
        if len(groups) > limit:
            lines.append(f"  · 另有{len(groups) - limit}类问题，见问题清单")
        return lines


@dataclass
class HainanExportResult(UploadCheck):
    files: list[Path] = field(default_factory=list)
    problems_path: Path | None = None  # the 问题清单 workbook, when there are problems

    def summary_lines(self, limit: int = 12) -> list[str]:
        lines = [f"已导出{self.members}名会员（{self.layout}格式），共{len(self.files)}个文件："]
        lines += [f"  {p}" for p in self.files]
        lines += super().summary_lines(limit)
        if self.problems_path is not None:
            lines.append(f"问题清单：{self.problems_path}")
        return lines


# --- reading and mapping --------------------------------------------------------


@dataclass
class _Row:
    membership_id: int
    union_id: int
    union_name: str
    values: list[str | None] = field(default_factory=lambda: [None] * len(_COLUMNS))
    # (column key, value, problem, rejected); 序号 is filled in when written
    problems: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def put(
        self, key: str, value: str | None, problem: str | None = None, rejected: bool = False
    ) -> None:
        self.values[_COL[key]] = value
        if problem is not None:
            self.problems.append((key, value or "", problem, rejected))


def _fmt(d: date | None) -> str | None:
    return f"{d:%Y/%m/%d}" if d is not None else None


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _options(values: Sequence[str]) -> str:
    return f"（可选：{'、'.join(values)}）" if len(values) <= 8 else ""


class _Mapper:
    """Our labels → provincial spellings, with the problem when there is none."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], tuple[str, str | None]] = {}

    def __call__(self, key: str, label: str | None) -> tuple[str | None, str | None]:
        if label is None or not label.strip():
            return None, f"未填写{_EMPTY_HINT.get(key, '')}"
        hit = self.cache.get((key, label))
        if hit is None:
            hit = self._map(key, label)
            self.cache[(key, label)] = hit
        return hit

    @staticmethod
    def _map(key: str, label: str) -> tuple[str, str | None]:
        allowed = HAINAN_CHOICES[key]
        if label in allowed:
            return label, None
        wanted = normalize_label(label)
        for value in allowed:  # 待(下)岗 with half-width brackets and the like
            if normalize_label(value) == wanted:
                return value, None
        renamed = RENAMES.get(key, {}).get(label)
        if renamed is not None:
            return renamed, None
        choices = AMBIGUOUS.get(key, {}).get(label)
        if choices is not None:
            return label, f"“{label}”在上级系统中须细分为“{'”或“'.join(choices)}”，请核实后修改"
        return label, f"“{label}”不是上级系统的可选值{_options(allowed)}"


def _change_reason(text: str | None) -> str | None:
    """A free-text event reason → the provincial reason it names, if any."""
    if not text:
        return None
    wanted = normalize_label(text)
    for value in HAINAN_CHOICES["change_reason"]:
        if normalize_label(value) == wanted:
            return value
    return None


class _Source:
    """Active memberships in provincial form, streamed in union order."""

    def __init__(self, db: Database, actor: CurrentUser, union_id: int | None) -> None:
        self.db, self.actor = db, actor
        cats = ["ethnicity", "employment_status", "education", "tech_level", "hukou_type",
                "political"]  # fmt: skip
        with reading(db, actor) as s:
            self.union_ids = subtree_ids(s, union_id) if union_id is not None else None
            self.union_name = ""
            if union_id is not None:
                u = s.get(UnionOrg, union_id)
                if u is None:
                    raise UserError("所选工会不存在")
                self.union_name = u.name
            where = self._where()
            counts = s.execute(
                select(Membership.union_id, func.count())
                .where(*where)
                .group_by(Membership.union_id)
            )
            self.counts: dict[int, int] = {uid: n for uid, n in counts}
            names = s.execute(
                select(UnionOrg.id, UnionOrg.name).where(UnionOrg.id.in_(self.counts))
            )
            self.names: dict[int, str] = {uid: name for uid, name in names}
            # The latest 转入 / 保留 event of each active membership.
            self.events: dict[tuple[int, str], tuple[date, str | None]] = {}
            q = (
                select(
                    MembershipEvent.membership_id,
                    MembershipEvent.kind,
                    MembershipEvent.on,
                    MembershipEvent.reason,
                )
                .join(Membership, Membership.id == MembershipEvent.membership_id)
                .where(*where, MembershipEvent.kind.in_((TRANSFER_IN, RETAIN)))
                .order_by(MembershipEvent.on, MembershipEvent.id)
            )
            for mid, kind, on, reason in s.execute(q):
                self.events[(mid, kind)] = (on, reason)
        self.labels = label_maps(db, cats)
        self.total = sum(self.counts.values())

    def _where(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = [Membership.active.is_(True)]
        if self.union_ids is not None:
            where.append(Membership.union_id.in_(self.union_ids))
        return where

    def rows(self, today: date) -> Iterator[_Row]:
        self.actor.require(READ)
        q = (
            select(
                Membership.id, Membership.union_id, UnionOrg.name, UnionOrg.unit_name,
                Person.name, Person.sex, Person.birth_date, Person.ethnicity,
                Membership.employment_status, Person.id_number, Person.education,
                Person.tech_level, Person.phone, Person.hukou_type, Person.hukou_place,
                Membership.joined_on, Membership.status, Membership.status_date,
                Person.political, Person.native_place, Membership.migrant_worker,
            )
            .join(Person, Person.id == Membership.person_id)
            .join(UnionOrg, UnionOrg.id == Membership.union_id)
            .where(*self._where())
            .order_by(Membership.union_id, Membership.id)
        )  # fmt: skip
        mapper = _Mapper()
        lab = self.labels

        def label(category: str, code: str | None) -> str | None:
            return lab[category].get(code, code) if code else None

        with self.db.engine.connect() as conn:
            result = conn.execution_options(yield_per=2000).execute(q)
            for (mid, uid, union_name, unit_name, name, sex, birth, eth, emp, idno, edu, tech,
                 phone, hukou, hukou_place, joined, status, status_date, political, native,
                 migrant) in result:  # fmt: skip
                row = _Row(mid, uid, union_name)
                put = row.put
                if name and name.strip():
                    put("name", name)
                else:
                    put("name", None, "姓名为空，上级系统会拒收", True)
                put("sex", sex)
                put("birth_date", _fmt(birth))
                for key, category, code in (
                    ("ethnicity", "ethnicity", eth),
                    ("employment_status", "employment_status", emp),
                    ("education", "education", edu),
                    ("tech_level", "tech_level", tech),
                    ("hukou_type", "hukou_type", hukou),
                    ("political", "political", political),
                ):
                    put(key, *mapper(key, label(category, code)))
                put("id_type", "居民身份证")
                if idno and HAINAN_ID.fullmatch(idno):
                    put("id_number", idno)
                else:
                    put("id_number", idno, "身份证号不符合上级系统的格式，上级系统会拒收", True)
                if not phone:
                    put("phone", None, "未填写手机号，上级系统会拒收", True)
                elif len(phone) > 11:
                    put("phone", phone, "不是手机号（超过11位），上级系统会拒收", True)
                elif not _MOBILE.fullmatch(phone):
                    put("phone", phone, "不是11位手机号，请核对")
                else:
                    put("phone", phone)
                for key, text in (("hukou_place", hukou_place), ("native_place", native)):
                    text = (text or "").strip() or None
                    put(key, text, None if text else "未填写")
                self._membership(row, joined, status, status_date)
                if unit_name:
                    put("work_unit", unit_name)
                else:
                    put("work_unit", union_name,
                        "所在工会未登记“所在单位名称”，已填工会名称，请核对单位全称")  # fmt: skip
                put("migrant_worker", "是" if migrant else "否")
                if row.values[_COL["employment_status"]] == "退休" and sex in RETIRE_AGE:
                    age = _age(birth, today)
                    if age >= RETIRE_AGE[sex]:
                        row.problems.append((
                            "employment_status", "退休",
                            f"就业状况为“退休”且已到退休年龄（男{RETIRE_AGE['男']}岁、"
                            f"女{RETIRE_AGE['女']}岁起），上级系统会拒收",
                            True,
                        ))  # fmt: skip
                yield row

    def _membership(self, row: _Row, joined: date, status: str, status_date: date | None) -> None:
        """会籍变化类型/日期/原因 of an active membership: 保留, 转入 or 入会."""
        put, mid = row.put, row.membership_id
        if status == RETAINED:
            on, reason = self.events.get((mid, RETAIN), (status_date or joined, None))
            put("change_type", "保留")
            put("change_date", _fmt(status_date or on))
            mapped = _change_reason(reason)
            if mapped is not None:
                put("change_reason", mapped)
            elif reason:
                put("change_reason", reason, "保留会籍的原因不是上级系统的可选值，请按下拉选项改写")
            else:
                put("change_reason", None, "保留会籍须填写会籍变化原因")
            return
        transfer = self.events.get((mid, TRANSFER_IN))
        if transfer is not None:
            on, reason = transfer
            put("change_type", "转入")
            put("change_date", _fmt(on))
            put("change_reason", _change_reason(reason) or TRANSFER_REASON)
            return
        put("change_type", "入会")
        put("change_date", _fmt(joined))


def _problems(
    row: _Row, show_pii: bool, file_name: str = "", excel_row: int = 0
) -> Iterator[UploadProblem]:
    name = row.values[_COL["name"]] or ""
    masked = mask_id(row.values[_COL["id_number"]])
    for key, value, problem, rejected in row.problems:
        shown = value
        if not show_pii and key == "phone":
            shown = mask_phone(value)
        elif key == "id_number":
            shown = mask_id(value)
        yield UploadProblem(
            row.membership_id, name, masked, row.union_name, _SHORT[key], shown, problem,
            rejected, file_name, excel_row,
        )  # fmt: skip


# --- the public functions ---------------------------------------------------------


def check_members_hainan(
    db: Database,
    actor: CurrentUser,
    *,
    union_id: int | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> UploadCheck:
    """Only check (for a preview): the problems the export would report, nothing written.

    ``union_id`` limits the check to that union and the unions below it. ID numbers
    in the report are always masked; phones too for a role without ``pii.view``.
    """
    from unionsdesk.excel.writer import Cancelled

    actor.require(READ)
    source = _Source(db, actor, union_id)
    check = UploadCheck(layout=HAINAN_TITLE, members=0)
    show = actor.can(PII)
    for n, row in enumerate(source.rows(today or date.today())):
        if n % _CHUNK == 0 and n:
            if cancelled is not None and cancelled():
                raise Cancelled("已取消检查")
            if progress is not None:
                progress(n, source.total)
        check.members += 1
        check.problems.extend(_problems(row, show))
    if cancelled is not None and cancelled():  # pressed during the last rows
        raise Cancelled("已取消检查")
    if progress is not None:
        progress(check.members, check.members)
    return check


def problems_path_for(path: Path) -> Path:
    """Where the problem list of an upload written to ``path`` goes."""
    path = Path(path)
    return path.with_name(f"{path.stem}_问题清单.xlsx")


def export_members_hainan(
    db: Database,
    actor: CurrentUser,
    path: Path,
    *,
    union_id: int | None = None,
    per_union: bool = False,
    rows_per_file: int = ROWS_PER_FILE,
    unit: str | None = None,
    today: date | None = None,
    write_problems: bool = True,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> HainanExportResult:
    """Write the active members (of ``union_id`` and below, or all) as 海南 upload files.

    One file at ``path`` when the members fit ``rows_per_file``; otherwise
    ``<stem>_1.xlsx``, ``<stem>_2.xlsx`` …, each a complete template with its own
    序号 from 1. With ``per_union`` every union gets its own file(s),
    ``<stem>_<工会名称>.xlsx`` (the provincial system imports a file into the one
    organisation chosen when uploading). ``unit`` is the 填表单位 (default: the
    union exported, else the office; with ``per_union`` each file's union). The files are written even when there are
    problems; the problems are returned and, with ``write_problems``, written to
    `problems_path_for(path)` (a stale list from an earlier export is removed).
    On cancel, or when a file cannot be written, no file of this run is left
    behind and `Cancelled` (or the error) is raised.

    ``progress(done, total)`` counts the rows written: the members, then the
    lines of the problem list (one per member with a problem). Those are only
    known as the members are read, so ``total`` grows while ``done`` does, never
    faster: the fraction done never goes back.
    """
    from unionsdesk.excel.writer import Cancelled

    actor.require(READ)
    if not actor.can(PII):
        raise PermissionDenied(
            f"上报文件须含完整的身份证号和手机号，当前用户“{actor.display_name}”"
            f"（{actor.role_name}）没有“查看完整身份证号和电话”的权限"
        )
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"输出文件应以 .xlsx 结尾：{path.name}")
    if rows_per_file < 1:
        raise ValueError("rows_per_file must be positive")
    source = _Source(db, actor, union_id)
    if unit is None:
        unit = source.union_name or _office_name(db)
    result = HainanExportResult(layout=HAINAN_TITLE)
    plan = _Plan(path, source, per_union, rows_per_file)
    book: _Book | None = None
    done = 0
    listed = 0  # members with problems so far: the lines of the problem list
    try:
        for row in source.rows(today or date.today()):
            if done % _CHUNK == 0 and done:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if progress is not None:
                    progress(done, source.total + (listed if write_problems else 0))
            if (
                book is None
                or book.rows >= rows_per_file
                or (per_union and book.union_id != row.union_id)
            ):
                if book is not None:
                    result.files.append(book.finish())
                target = plan.next_path(row.union_id)
                book = _Book(target, row.union_name if per_union else unit, row.union_id)
            excel_row = book.add(row.values)
            if row.problems:
                result.problems.extend(_problems(row, True, book.path.name, excel_row))
                listed += 1
            done += 1
        if cancelled is not None and cancelled():
            raise Cancelled()
        if book is None:  # nobody to export: still a valid, empty template
            book = _Book(plan.next_path(None), unit, None)
        result.files.append(book.finish())
        book = None
        result.members = done
        report = problems_path_for(path)
        if write_problems and result.problems:

            def listing(n: int, total: int) -> None:  # the list's rows on our scale
                if progress is not None:
                    progress(done + n * listed // max(total, 1), done + listed)

            result.problems_path = write_problem_workbook(
                result, report, progress=listing, cancelled=cancelled
            )
        elif write_problems:
            report.unlink(missing_ok=True)  # a list from an earlier export would mislead
    except BaseException:
        if book is not None:
            book.discard()
        for written in result.files:
            written.unlink(missing_ok=True)
        raise
    if progress is not None:
        total = done + (listed if result.problems_path is not None else 0)
        progress(total, total)
    return result


def problem_table(check: UploadCheck) -> Table:
    """The problem list as a `Table`: one line per member, one column per template
    column that has problems (filter a column to see, say, every 学历 to fix)."""
    with_files = any(p.file_name for p in check.problems)
    order = {short: i for i, short in enumerate(_SHORT.values())}
    used = sorted({p.column for p in check.problems}, key=lambda c: order.get(c, 99))
    columns = [
        Column("no", "序号", "int", 5),
        Column("name", "姓名", "text", 10),
        Column("id", "身份证号", "idno", 20),
        Column("union", "所在工会", "text", 22),
    ]
    if with_files:
        columns += [Column("file", "上报文件", "text", 18), Column("row", "行号", "int", 6)]
    columns.append(Column("level", "级别", "text", 6))
    first = len(columns)
    columns += [Column(f"c{order.get(c, 99)}", c, "text", 24) for c in used]
    where = {c: first + i for i, c in enumerate(used)}
    lines: dict[int, list[object]] = {}
    for p in check.problems:  # already in file and row order
        line = lines.get(p.membership_id)
        if line is None:
            line = [len(lines) + 1, p.name, p.id_masked, p.union]
            if with_files:
                line += [p.file_name, p.row or None]
            line += ["需核对"] + [None] * len(used)
            lines[p.membership_id] = line
        if p.rejected:
            line[first - 1] = "拒收"
        text = (
            p.problem if not p.value or p.value in p.problem else f"{p.problem}（当前：{p.value}）"
        )
        i = where[p.column]
        line[i] = text if line[i] is None else f"{line[i]}；{text}"
    return Table(
        title=f"{check.layout}数据问题清单",
        columns=columns,
        rows=list(lines.values()),
        subtitle=(
            f"共{check.members}名会员，有问题{check.problem_rows}人，"
            f"其中上级系统会拒收{check.rejected_rows}人    检查日期：{date.today():%Y年%m月%d日}"
        ),
        notes=(
            "说明：“拒收”表示上级系统导入时会拒绝该行（姓名、身份证号、手机号有误或已到退休年龄）；"
            "“需核对”表示有不在上级系统下拉选项中或未填写的项。请在本系统中改正会员信息后重新导出，"
            "或在上报文件中按下拉选项修改后再上报。",
        ),
    )


def write_problem_workbook(
    check: UploadCheck,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """问题明细 (one line per member) and 问题汇总 (members by problem) in one workbook.

    ``progress(done, total)`` counts the lines of both sheets; on cancel nothing is
    written and `Cancelled` is raised."""
    from unionsdesk.excel.writer import write_tables

    summary = Table(
        title="问题汇总",
        columns=[
            Column("level", "级别", "text", 6),
            Column("column", "列", "text", 10),
            Column("problem", "问题", "text", 50),
            Column("members", "人数", "int", 8),
        ],
        rows=[list(g) for g in check.by_problem()],
    )
    return write_tables(
        Path(path),
        [(problem_table(check), "问题明细"), (summary, "问题汇总")],
        progress=progress,
        cancelled=cancelled,
    )


# --- writing ------------------------------------------------------------------------


def _office_name(db: Database) -> str:
    from unionsdesk.services.common.office import get_office

    try:
        return get_office(db).name
    except UserError:
        return ""


def _file_label(name: str) -> str:
    return _FILE_BAD.sub("_", name).strip(" .")[:60] or "工会"


class _Plan:
    """File names: ``path`` alone, or numbered parts, or one name per union."""

    def __init__(self, path: Path, source: _Source, per_union: bool, limit: int) -> None:
        self.path, self.per_union, self.limit = path, per_union, limit
        self.counts, self.names, self.total = source.counts, source.names, source.total
        self.parts: Counter[int | None] = Counter()
        self.labels: dict[int, str] = {}
        self.used: set[str] = set()

    def next_path(self, union_id: int | None) -> Path:
        key = union_id if self.per_union else None
        self.parts[key] += 1
        n = (
            self.counts.get(union_id, 0)
            if (self.per_union and union_id is not None)
            else self.total
        )
        stem = self.path.stem
        if self.per_union and union_id is not None:
            stem += "_" + self._label(union_id)
        if n > self.limit or self.parts[key] > 1:
            stem += f"_{self.parts[key]}"
        return self.path.with_name(stem + self.path.suffix)

    def _label(self, union_id: int) -> str:
        if union_id not in self.labels:
            label = _file_label(self.names.get(union_id, str(union_id)))
            if label.casefold() in self.used:
                label = f"{label}_{union_id}"
            self.used.add(label.casefold())
            self.labels[union_id] = label
        return self.labels[union_id]


class _Book:
    """One upload workbook, streamed (openpyxl write-only)."""

    def __init__(self, path: Path, unit: str, union_id: int | None) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        from unionsdesk.excel.writer import TEXT_FORMAT, safe_text

        self.path, self.union_id, self.rows = path, union_id, 0
        self.wb = Workbook(write_only=True)
        ws = self.ws = self.wb.create_sheet(HAINAN_SHEET)
        self.lists = self.wb.create_sheet(HAINAN_LISTS_SHEET)
        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        left = Alignment(horizontal="left", vertical="center", wrap_text=True)

        def style(**kw: Any) -> Any:
            cell = WriteOnlyCell(ws)
            cell.number_format = TEXT_FORMAT  # every cell of the template is a text cell
            for k, v in kw.items():
                setattr(cell, k, v)
            return cell._style

        # Data cells carry no border (gridlines are printed instead), so an empty
        # value is no cell at all; the column format keeps what is typed there text.
        self.s_data = style(alignment=Alignment(vertical="center"))
        s_plain = style()
        s_title = style(font=Font(size=16, bold=True), alignment=center)
        s_unit = style(alignment=left)
        s_head = style(
            font=Font(bold=True), border=border, alignment=center,
            fill=PatternFill("solid", fgColor="D9E1F2"),
        )  # fmt: skip
        self.s_note = style(alignment=left)
        self.safe = safe_text
        for i, (_key, _text, width) in enumerate(_COLUMNS, 1):
            dim = ws.column_dimensions[get_column_letter(i)]
            dim.width = width
            dim.number_format = TEXT_FORMAT  # what a clerk types later stays text
        ws.row_dimensions[2].height = 30
        ws.row_dimensions[4].height = 42
        ws.freeze_panes = f"C{HAINAN_FIRST_DATA_ROW}"
        ws.print_title_rows = "4:4"
        ws.print_options.gridLines = True
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        n = len(_COLUMNS)
        cell = self._cell
        ws.append([cell(s_plain, "附件四")])
        ws.append([cell(s_title, HAINAN_TITLE)] + [cell(s_title, None)] * (n - 1))
        ws.append(
            [cell(s_unit, f"填表单位（盖章）：{unit}")] + [None] * 10 + [cell(s_unit, "单位负责人(签字)：")]
        )  # fmt: skip
        ws.append([cell(s_head, text) for text in HAINAN_HEADERS])
        ws.merged_cells.add("A2:T2")
        ws.merged_cells.add("A3:K3")
        ws.merged_cells.add("L3:T3")

    def _cell(self, style: Any, value: object) -> Any:
        from openpyxl.cell import Cell

        return Cell(self.ws, row=1, column=1, value=self.safe(value), style_array=style)

    def add(self, values: list[str | None]) -> int:
        """Append one member; returns its Excel row."""
        from openpyxl.cell import Cell

        self.rows += 1
        values[0] = str(self.rows)
        ws, style, safe = self.ws, self.s_data, self.safe
        ws.append(
            [
                None if v is None else Cell(ws, row=1, column=1, value=safe(v), style_array=style)
                for v in values
            ]
        )
        return HAINAN_FIRST_DATA_ROW - 1 + self.rows

    def finish(self) -> Path:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        from unionsdesk.excel.writer import save_workbook

        ws = self.ws
        note_row = HAINAN_FIRST_DATA_ROW + self.rows
        ws.append([self._cell(self.s_note, HAINAN_NOTE)])
        ws.merged_cells.add(f"A{note_row}:T{note_row}")
        ws.row_dimensions[note_row].height = 30
        if self.rows:
            last = note_row - 1
            for key, choices in HAINAN_CHOICES.items():
                if key == "ethnicity":
                    formula = f"{HAINAN_LISTS_SHEET}!$A$2:$A${len(HAINAN_ETHNICITIES) + 1}"
                else:
                    formula = '"' + ",".join(choices) + '"'
                dv = DataValidation(
                    type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                    errorTitle="输入有误", error="请从下拉列表中选择",
                )  # fmt: skip
                letter = get_column_letter(_COL[key] + 1)
                dv.add(f"{letter}{HAINAN_FIRST_DATA_ROW}:{letter}{last}")
                ws.data_validations.append(dv)
        self.lists.append(["民族"])
        for name in HAINAN_ETHNICITIES:
            self.lists.append([name])
        save_workbook(self.wb, self.path)
        return self.path

    def discard(self) -> None:
        from unionsdesk.excel.writer import discard_sheet

        for ws in (self.ws, self.lists):
            discard_sheet(ws)
