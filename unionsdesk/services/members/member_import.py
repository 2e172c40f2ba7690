"""Import of township member rosters from Excel (the hard part: real rosters are messy).

Pipeline: read (calamine) → find the header by FieldSpec labels/aliases →
validate every row → compare with the register → write everything in ONE
transaction, or nothing. People already in the target union are skipped;
people registered in another union are reported as transfer candidates and
never moved silently. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from unionsdesk import errors
from unionsdesk.db.engine import Database, allocate_ids, bulk_insert, person_bulk_load
from unionsdesk.db.models import (
    ImportBatch,
    Membership,
    MembershipEvent,
    Person,
    UnionOrg,
    new_uuids,
    now,
)
from unionsdesk.domain import idcard
from unionsdesk.domain.pinyin import pinyin_keys
from unionsdesk.errors import UserError
from unionsdesk.excel.reader import (
    ColumnMap,
    RowError,
    SheetData,
    read_records,
    validate_rows,
    write_error_workbook,
)
from unionsdesk.fields import MEMBER_IMPORT, joining_age_warning, normalize_label
from unionsdesk.services.common.base import WRITE, CurrentUser, audit, writing
from unionsdesk.services.common.codes import code_lookup, label_maps
from unionsdesk.services.common.import_undo import record_prior_values
from unionsdesk.services.common.persons import chunks, name_conflict, people_by_number
from unionsdesk.services.members.members import (
    ACTIVE_STATUSES,
    IN_REGISTER,
    JOIN,
    RETAIN,
    RETAINED,
    TRANSFER_IN,
    derived_warnings,
    member_spec,
)
from unionsdesk.services.members.unions import names_index, union_named

Progress = Callable[[int, int], None]
CHUNK = 2000
PERSON_COLUMNS = (
    "name",
    "ethnicity",
    "political",
    "education",
    "phone",
    "hukou_type",
    "hukou_place",
    "native_place",
    "tech_level",
)
TEMPLATE_EXAMPLE_NAME = "张三"
_QUOTED_VALUE = re.compile("：“[^”]*”")  # 无法识别的日期：“2019.13.01”（请写作…）


class Cancelled(errors.Cancelled):
    def __init__(self) -> None:
        super().__init__("已取消导入，数据库未做任何改动")


@dataclass
class Candidate:
    row_number: int
    name: str
    id_number: str
    current_union: str


@dataclass
class ImportResult:
    file_name: str
    rows_read: int = 0
    imported: int = 0
    ready: int = 0  # valid new members found (written only when ``written``)
    already_present: list[tuple[int, str]] = field(default_factory=list)
    transfer_candidates: list[Candidate] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    skipped_summary: str = ""
    header_labels: list[str] = field(default_factory=list)
    batch_id: int | None = None
    written: bool = False
    dates_guessed: int = 0  # 转入/保留 rows whose join or change date the file lacks

    @property
    def invalid(self) -> int:
        return len({e.row_number for e in self.errors})

    @staticmethod
    def _reason_key(reason: str) -> str:
        # One line per kind of mistake: without the cell's value, cut at a comma
        # and, when still long, with "…" rather than mid-sentence.
        key = _QUOTED_VALUE.sub("", reason).split("，")[0]
        return key if len(key) <= 40 else key[:39] + "…"

    def invalid_by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.errors:
            key = self._reason_key(e.reason)
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))

    def _row_name(self, e: RowError) -> str:
        """The 姓名 of the error's row, when the file has that column."""
        labels = ["".join(str(h or "").split()) for h in self.header_labels]
        if "姓名" in labels:
            i = labels.index("姓名")
            if i < len(e.raw_row) and e.raw_row[i] not in (None, ""):
                return str(e.raw_row[i]).strip()
        return ""

    def reason_lines(self, examples: int = 3) -> list[str]:
        """ "  · 身份证号校验位不对：2处（第5行 张三、第9行 李四）": each kind of mistake with
        its count and the first rows (number and name) where it is."""
        rows: dict[str, list[RowError]] = {}
        for e in self.errors:
            rows.setdefault(self._reason_key(e.reason), []).append(e)
        lines = []
        for reason, n in self.invalid_by_reason().items():
            where = []
            for e in rows[reason][:examples]:
                name = self._row_name(e)
                where.append(f"第{e.row_number}行" + (f" {name}" if name else ""))
            more = "等" if n > examples else ""
            lines.append(f"  · {reason}：{n}处（{'、'.join(where)}{more}）")
        return lines

    def warning_lines(self, effect: str = "导入", shown: int = 10) -> list[str]:
        """ "提示：N条（不影响导入，请核对）" and the first ``shown`` warnings with their rows."""
        if not self.warnings:
            return []
        lines = [f"提示：{len(self.warnings)}条（不影响{effect}，请核对）"]
        lines.extend(f"  · 第{row}行 {text}" for row, text in self.warnings[:shown])
        if len(self.warnings) > shown:
            lines.append(f"  · ……另有{len(self.warnings) - shown}条")
        return lines

    def summary_lines(self) -> list[str]:
        lines = [
            f"文件：{self.file_name}",
            f"读取数据行：{self.rows_read}",
            f"导入：{self.imported}"
            + ("" if self.written else f"（{self.ready}行正确，因有错误行未写入）"),
            f"已在本工会名册，跳过：{len(self.already_present)}",
            f"已在其他工会在册（需办理转会，未导入）：{len(self.transfer_candidates)}",
            f"有错误的行：{self.invalid}",
        ]
        lines.extend(self.reason_lines())
        for c in self.transfer_candidates[:10]:
            lines.append(f"  · 第{c.row_number}行 {c.name} 现在“{c.current_union}”")
        if self.warnings:
            kinds = ["性别/出生日期与身份证号不符的已按身份证号记录"]
            if self.dates_guessed:
                kinds.append("转入、保留会籍人员表中只有一个日期，缺少的日期暂按它记录")
            lines.append(f"提示：{len(self.warnings)}条（{'；'.join(kinds)}）")
        if self.skipped_summary:
            lines.append(self.skipped_summary)
        return lines

    def write_error_workbook(self, path: Path) -> Path:
        extra = [
            RowError(
                c.row_number,
                "工作单位",
                c.current_union,
                f"此人已是“{c.current_union}”在册会员，请办理转会",
                [],
            )
            for c in self.transfer_candidates
        ]
        return write_error_workbook(
            path, sorted([*self.errors, *extra], key=lambda e: e.row_number), self.header_labels
        )


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class _Row:
    row_number: int
    clean: dict[str, Any]
    card: idcard.IdCard
    union_id: int


def import_members(
    db: Database,
    actor: CurrentUser,
    path: Path,
    *,
    union_id: int | None = None,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    columns: ColumnMap | None = None,
    worksheet: str | int | None = None,  # name or 0-based index; None: the first
) -> ImportResult:
    """Validate the whole file, then write all of it (or with ``skip_invalid`` the
    valid rows) in one transaction. Cancel or any failure leaves the database as before."""
    actor.require(WRITE)
    path = Path(path)
    result = ImportResult(file_name=path.name)
    sheet: SheetData = read_records(path, MEMBER_IMPORT, columns=columns, sheet=worksheet)
    result.rows_read = len(sheet.records)
    result.header_labels = sheet.header_labels
    if union_id is None and sheet.header.column_of("union") is None:
        raise UserError("表中没有“工作单位”列，请指定会员所在的工会（--union 或在界面中选择）")
    codes = code_lookup(db)
    example_id = _template_example_id()
    records = []
    for record in sheet.records:  # the template's own example row is skipped, and counted
        if _is_template_example(record.values, example_id):
            sheet.skipped.add("example", record.row_number)
        else:
            records.append(record)
    result.skipped_summary = sheet.skipped.summary()
    spec = member_spec(db, MEMBER_IMPORT)  # the office's rule on the joining age
    validated = validate_rows(records, spec, header=sheet.header, codes=codes)
    change_names = label_maps(
        db, ["membership_change", "membership_change_reason", "member_status"]
    )
    # The provincial layout's only date is 会籍变化日期; a roster of our own has 入会日期.
    date_column = sheet.header.column_of("joined_on")
    change_dated = date_column is not None and normalize_label(
        sheet.header.labels.get(date_column, "")
    ).startswith(_CHANGE_DATE_LABEL)
    result.errors.extend(validated.errors)

    with db.reading() as s:
        unions = {u.id: u for u in s.scalars(select(UnionOrg))}
    by_name = names_index(unions.values())
    if union_id is not None and (union_id not in unions or unions[union_id].status != "正常"):
        raise UserError("所选工会不存在或已撤销/合并")

    rows: list[_Row] = []
    first_seen: dict[str, int] = {}
    for row_number, clean in validated.good:
        card = idcard.from_valid(clean["id_number"])
        target = union_id
        if target is None:
            try:
                target = union_named(by_name, clean.get("union"))
            except ValueError as exc:
                result.errors.append(
                    RowError(row_number, "工作单位", clean.get("union"), str(exc), [])
                )
                continue
        if card.number in first_seen:
            result.errors.append(
                RowError(
                    row_number,
                    "身份证号",
                    clean["id_number"],
                    f"与第{first_seen[card.number]}行是同一人（身份证号重复）",
                    [],
                )
            )
            continue
        first_seen[card.number] = row_number
        if clean.get("status") and clean["status"] not in ACTIVE_STATUSES:
            result.errors.append(
                RowError(
                    row_number,
                    "会员状态",
                    clean["status"],
                    "导入的会员状态应为“在册”或“保留会籍”",
                    [],
                )
            )
            continue
        problem = _change_problem(clean, change_names)
        if problem is not None:
            result.errors.append(
                RowError(row_number, "会籍变化类型", clean.get("change_type"), problem, [])
            )
            continue
        for w in derived_warnings(card, clean.get("sex"), clean.get("birth_date")):
            result.warnings.append((row_number, w))
        if (young := joining_age_warning(clean)) is not None:
            result.warnings.append((row_number, young))
        if clean.get("change_type") in (TRANSFER_IN, RETAIN):
            result.warnings.append(
                (row_number, _settle_change_date(clean, change_dated, change_names))
            )
            result.dates_guessed += 1
        rows.append(_Row(row_number, clean, card, target))
    raw_rows = {r.row_number: r.raw_row for r in sheet.records}
    result.errors = sorted(
        (
            e if e.raw_row else replace(e, raw_row=raw_rows.get(e.row_number, []))
            for e in result.errors
        ),
        key=lambda e: e.row_number,
    )

    # Compare with the register (read-only) before deciding anything.
    numbers = [r.card.number for r in rows]
    active: dict[int, int] = {}
    with db.reading() as s:
        existing = people_by_number(s, numbers)
        pids = [pid for pid, _ in existing.values()]
        for part in chunks(pids):
            q = select(Membership.person_id, Membership.union_id)
            active.update(
                {
                    pid: uid
                    for pid, uid in s.execute(
                        q.where(Membership.active, Membership.person_id.in_(part))
                    )
                }
            )
    to_add: list[_Row] = []
    for r in rows:
        known = existing.get(r.card.number)
        conflict = name_conflict(known[1], r.clean["name"]) if known else None
        if conflict is not None:  # never overwrite a registered name
            raw = raw_rows.get(r.row_number, [])
            result.errors.append(RowError(r.row_number, "姓名", r.clean["name"], conflict, raw))
            continue
        current = active.get(known[0]) if known else None
        if current is None:
            to_add.append(r)
        elif current == r.union_id:
            result.already_present.append((r.row_number, r.clean["name"]))
        else:
            result.transfer_candidates.append(
                Candidate(
                    r.row_number,
                    r.clean["name"],
                    r.card.number,
                    unions[current].name if current in unions else "",
                )
            )
    result.errors.sort(key=lambda e: e.row_number)
    result.ready = len(to_add)
    if result.errors and not skip_invalid:
        return result  # all or nothing: nothing written
    if not to_add:
        result.written = True
        return result
    result.batch_id = _write(
        db, actor, path, result, to_add, existing, union_id, progress, cancelled
    )
    result.imported, result.written = len(to_add), True
    return result


def _change_problem(clean: dict[str, Any], names: dict[str, dict[str, str]]) -> str | None:
    """Check 会籍变化类型 against 会员状态 and settle what it implies: the status
    (保留: 保留会籍) and the reason as its wording; why the row cannot be
    imported, or None."""
    change = clean.get("change_type")
    if change is None:
        return None
    reason = clean.get("change_reason")
    if reason is not None:
        clean["change_reason"] = names["membership_change_reason"].get(reason, reason)
    label = names["membership_change"].get(change, change)
    if change not in (JOIN, TRANSFER_IN, RETAIN):
        return f"会籍变化类型为“{label}”的人员已不在册，不能导入；请在会员管理中办理"
    implied = RETAINED if change == RETAIN else IN_REGISTER
    status = clean.get("status")
    if status not in (None, implied):
        shown = names["member_status"].get(status, status)
        return f"会籍变化类型为“{label}”，会员状态却是“{shown}”，请改正其中一项"
    clean["status"] = implied
    return None


def _settle_change_date(
    clean: dict[str, Any], change_dated: bool, names: dict[str, dict[str, str]]
) -> str:
    """A 转入/保留 row has one date, either its 会籍变化日期 (the provincial layout)
    or its 入会日期: record it for both and say which one the file lacked."""
    what = names["membership_change"][clean["change_type"]]
    on = clean["joined_on"]
    if not change_dated:
        return f"表中没有会籍变化日期，{what}日期暂按入会日期（{on}）记录"
    if clean["change_type"] == RETAIN:
        clean["status_date"] = on
    return f"{what}人员的入会日期表中没有，暂按会籍变化日期（{on}）记录"


def _template_example_id() -> str:
    from unionsdesk.services.members.member_io import TEMPLATE_EXAMPLES

    raw = str(TEMPLATE_EXAMPLES[0]["id_number"])
    return raw[:17] + idcard.check_char(raw[:17])


def _is_template_example(values: dict[str, object], example_id: str) -> bool:
    return (
        values.get("name") == TEMPLATE_EXAMPLE_NAME
        and str(values.get("id_number") or "").strip() == example_id
    )


def _write(
    db: Database,
    actor: CurrentUser,
    path: Path,
    result: ImportResult,
    to_add: list[_Row],
    existing: dict[str, tuple[int, str]],
    union_id: int | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> int:
    stamp_at, who = now(), actor.login
    base = {
        "created_at": stamp_at,
        "updated_at": stamp_at,
        "created_by": who,
        "updated_by": who,
        "version": 1,
    }
    total = len(to_add)
    new = [r for r in to_add if r.card.number not in existing]
    steps, done = len(new) + total, 0

    def step(n: int) -> None:
        nonlocal done
        if cancelled is not None and cancelled():
            raise Cancelled()
        done += n
        if progress is not None:
            progress(done, steps)

    with writing(db, actor, WRITE) as s:
        updated = [r for r in to_add if r.card.number in existing]
        batch = ImportBatch(
            kind="members",
            file_name=path.name,
            file_sha256=_sha256(path),
            union_id=union_id,
            rows_read=result.rows_read,
            imported=total,
            skipped=len(result.already_present),
            invalid=result.invalid,
            prior_values=record_prior_values(s, [existing[r.card.number][0] for r in updated]),
            created_by=who,
            updated_by=who,
        )
        s.add(batch)
        s.flush()
        conn = s.connection()
        person_of = {number: pid for number, (pid, _name) in existing.items()}
        step(0)
        with person_bulk_load(conn):
            ids = allocate_ids(conn, Person.__table__, len(new))
            person_of.update(zip((r.card.number for r in new), ids, strict=True))
            for start in range(0, len(new), CHUNK):
                part = new[start : start + CHUNK]
                _insert_people(conn, part, person_of, base)
                step(len(part))
        _update_people(s, updated, person_of, base)
        membership_ids = allocate_ids(conn, Membership.__table__, total)
        for start in range(0, total, CHUNK):
            part = to_add[start : start + CHUNK]
            _insert_memberships(conn, part, membership_ids[start:], person_of, batch.id, base)
            step(len(part))
        audit(
            s,
            actor,
            "import",
            "member",
            batch.id,
            after={
                "file": path.name,
                "imported": total,
                "skipped": len(result.already_present),
                "transfer_candidates": len(result.transfer_candidates),
                "invalid_rows": result.invalid,
            },
            summary=f"导入会员 {total} 人（{path.name}）",
        )
        return batch.id


# What the import writes of a person, in this order (``_person_row``).
_PERSON_FIELDS = (*PERSON_COLUMNS, "name_pinyin", "name_initials", "sex", "birth_date")


def _person_row(r: _Row) -> tuple[Any, ...]:
    c, card = r.clean, r.card
    return (*[c.get(k) for k in PERSON_COLUMNS], *pinyin_keys(c["name"]), card.sex, card.birth_date)


def _insert_people(
    conn: Connection, part: list[_Row], person_of: dict[str, int], base: dict[str, Any]
) -> None:
    uuids = new_uuids(len(part))
    rows = [
        (*_person_row(r), person_of[r.card.number], r.card.number, uid)
        for r, uid in zip(part, uuids, strict=True)
    ]
    bulk_insert(
        conn,
        Person.__table__,
        rows,
        columns=(*_PERSON_FIELDS, "id", "id_number", "uuid"),
        constants=base,
    )


def _update_people(
    s: Session, rows: list[_Row], person_of: dict[str, int], base: dict[str, Any]
) -> None:
    """People already on the register (e.g. left an earlier union): refresh their
    details, but a blank cell never overwrites what is stored."""
    for r in rows:
        values = {
            k: v for k, v in zip(_PERSON_FIELDS, _person_row(r), strict=True) if v not in (None, "")
        }
        s.execute(
            update(Person)
            .where(Person.id == person_of[r.card.number])
            .values(
                **values,
                updated_at=base["updated_at"],
                updated_by=base["updated_by"],
                version=Person.version + 1,
            )
        )


_MEMBERSHIP_INSERT = (
    "id", "person_id", "union_id", "joined_on", "status", "status_date", "card_no",
    "employment_status", "job", "migrant_worker", "new_employment", "uuid",
)  # fmt: skip
_CHANGE_DATE_LABEL = normalize_label("会籍变化日期")
_IMPORTED = "批量导入"  # the reason of an imported 入会 (转入/保留 keep the file's own)


def _insert_memberships(
    conn: Connection,
    part: list[_Row],
    ids: list[int],
    person_of: dict[str, int],
    batch_id: int,
    base: dict[str, Any],
) -> None:
    uuids = new_uuids(2 * len(part))
    memberships, events = [], []
    for i, r in enumerate(part):
        c = r.clean
        get = c.get
        # One first event per membership (the undo counts on it): 入会 on the join
        # date, or the 转入/保留 the file gives, with its reason (none: left empty,
        # so the upload check asks for one).
        kind = get("change_type") or JOIN
        memberships.append(
            (
                ids[i], person_of[r.card.number], r.union_id, c["joined_on"],
                get("status") or IN_REGISTER, get("status_date"),
                get("card_no"), get("employment_status"), get("job"),
                bool(get("migrant_worker")), get("new_employment"), uuids[2 * i],
            )
        )  # fmt: skip
        reason = get("change_reason") if kind != JOIN else _IMPORTED
        events.append((ids[i], kind, c["joined_on"], reason, uuids[2 * i + 1]))
    bulk_insert(
        conn,
        Membership.__table__,
        memberships,
        columns=_MEMBERSHIP_INSERT,
        constants={"active": True, "import_batch_id": batch_id, **base},
    )
    bulk_insert(
        conn,
        MembershipEvent.__table__,
        events,
        columns=("membership_id", "kind", "on", "reason", "uuid"),
        constants=base,
    )
