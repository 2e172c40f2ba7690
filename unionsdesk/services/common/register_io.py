"""Excel import of any register (`unionsdesk.registers`) and the undo of its newest import.

The import reads the sheet with the reader's header detection (or the mapping
the clerk confirmed in the preview), cleans every row with the register's spec,
runs the register's own checks (duplicates, refusals) on each row and refuses
rows that repeat another row of the file. Any error: nothing is written (unless
``skip_invalid``) and the error workbook lists every reason. Otherwise every row
is written in one transaction with one `ImportBatch` (kind = the register's
name); the people the import had to create are recorded so that undo can remove
them again.

Undo takes the register's newest import that is still in force and deletes its
rows and the people it created, in one transaction — or refuses, changing
nothing, when a row was edited or voided since, or anything else refers to its
rows or people. A register whose records take numbers from a gapless series
that are never reused (`Register.gapless_numbers`, e.g. 案号) cannot give the
numbers back: undo voids (作废) the batch's rows instead, each keeping its number
with the reason “撤销导入（file）”, so the series keeps no hole and no number is
issued twice; the people stay (the voided rows name them).

Import and undo need what reading the register needs (`Register.require_read`):
a clerk without 维权查看 can neither import nor undo an import of disputes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Base, ImportBatch, Person
from unionsdesk.errors import UnionsDeskError, UserError, ValidationError
from unionsdesk.excel.reader import ColumnMap, RowError, read_records, validate_rows
from unionsdesk.registers import Register, closest_hint
from unionsdesk.services.common.base import WRITE, CurrentUser, audit, stamp, writing
from unionsdesk.services.common.persons import chunks
from unionsdesk.services.members.member_import import ImportResult

Progress = Callable[[int, int], None]


@dataclass
class RegisterImportResult(ImportResult):
    """An import's outcome (``ImportResult``'s fields; no transfer candidates)."""

    label: str = ""
    unit: str = "条"

    def summary_lines(self) -> list[str]:
        lines = [
            f"文件：{self.file_name}",
            f"读取数据行：{self.rows_read}",
            f"导入{self.label}：{self.imported}{self.unit}"
            + ("" if self.written else f"（{self.ready}行正确，因有错误行未写入）"),
            f"有错误的行：{self.invalid}",
        ]
        lines.extend(f"  · {reason}：{n}处" for reason, n in self.invalid_by_reason().items())
        for e in self.errors[:10]:
            where = f"“{e.column_label}”" if e.column_label else ""
            lines.append(f"    第{e.row_number}行{where}：{e.reason}")
        if len(self.errors) > 10:
            lines.append(f"    ……共{len(self.errors)}处，详见错误清单")
        if self.skipped_summary:
            lines.append(self.skipped_summary)
        return lines


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _reason(exc: UnionsDeskError) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        return exc.errors
    return {"": str(exc)}


def import_register(
    reg: Register,
    db: Database,
    actor: CurrentUser,
    path: Path,
    *,
    skip_invalid: bool = False,
    columns: ColumnMap | None = None,
    parent_id: int | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    **_ignored: Any,
) -> RegisterImportResult:
    """Import ``path`` into ``reg`` (see the module's docstring)."""
    actor.require(WRITE)
    reg.require_read(actor)
    if not reg.importable:
        raise UserError(f"“{reg.label}”不能导入")
    path = Path(path)
    result = RegisterImportResult(file_name=path.name, label=reg.label, unit=reg.unit)
    sheet = read_records(path, reg.spec, columns=columns)
    result.rows_read = len(sheet.records)
    result.skipped_summary = sheet.skipped.summary()
    result.header_labels = sheet.header_labels
    codes = reg.codes(db)
    validated = validate_rows(sheet.records, reg.spec, header=sheet.header, codes=codes)
    errors = [
        replace(e, reason=e.reason + closest_hint(reg.spec.by_name.get(e.field), e.value, codes))
        for e in validated.errors
    ]
    raw_rows = {r.row_number: r.raw_row for r in sheet.records}
    labels = {
        name: sheet.header.labels.get(col, reg.spec[name].label)
        for col, name in sheet.header.columns.items()
    }

    def refuse(row_number: int, reasons: dict[str, str], clean: dict[str, Any]) -> None:
        for name, why in reasons.items():
            label = labels.get(name) or (reg.spec[name].label if name in reg.spec.by_name else "")
            errors.append(
                RowError(row_number, label, clean.get(name), why, raw_rows[row_number], name)
            )

    blank = {f.name: (False if f.kind == "bool" else None) for f in reg.spec.fields}
    values = {r.row_number: r.values for r in sheet.records}
    good: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[Any, ...], int] = {}
    with db.reading() as s:
        reg._check_parent(s, parent_id)
        for n, (row_number, cleaned) in enumerate(validated.good):
            if cancelled is not None and cancelled():
                from unionsdesk.services.members.member_import import Cancelled

                raise Cancelled()
            if progress is not None and n % 200 == 0:
                progress(n, len(validated.good))
            clean = blank | cleaned
            try:
                clean = reg.finish(clean, values[row_number])
            except ValidationError as exc:
                refuse(row_number, exc.errors, clean)
                continue
            key = reg.duplicate_key(clean)
            if key is not None and key in seen:
                refuse(row_number, {"": f"与第{seen[key]}行重复"}, clean)
                continue
            try:
                reg.check(s, clean, None, parent_id)
                _check_person(s, reg, clean)
            except UserError as exc:
                refuse(row_number, _reason(exc), clean)
                continue
            if key is not None:
                seen[key] = row_number
            good.append((row_number, clean))
    result.errors = sorted(errors, key=lambda e: e.row_number)
    result.ready = len(good)
    if result.errors and not skip_invalid:
        return result
    if not good:
        result.written = True
        return result
    with writing(db, actor, WRITE) as s:
        batch = ImportBatch(
            kind=reg.name,
            file_name=path.name[:260],
            file_sha256=_sha256(path),
            rows_read=result.rows_read,
            imported=len(good),
            skipped=0,
            invalid=result.invalid,
            undone=False,
        )
        stamp(batch, actor, new=True)
        s.add(batch)
        s.flush()
        people_before = s.scalar(select(func.max(Person.id))) or 0
        for row_number, clean in good:
            try:  # again, with the rows written so far (a trip's quota fills up …)
                reg.check(s, clean, None, parent_id)
            except UserError as exc:
                raise UserError(f"第{row_number}行：{exc}，本次没有导入任何数据") from None
            obj = reg.model()
            if reg.parent is not None:
                setattr(obj, reg.parent.column, parent_id)
            obj.import_batch_id = batch.id
            reg.apply(s, actor, obj, clean)
            stamp(obj, actor, new=True)
            s.add(obj)
            s.flush()
            reg.after_write(s, actor, obj, clean)
        created = list(s.scalars(select(Person.id).where(Person.id > people_before)))
        batch.prior_values = json.dumps({"people": {}, "created_people": created})
        s.flush()
        audit(s, actor, "import", reg.entity, batch.id,
              after={"file": path.name, "imported": len(good), "people_created": len(created)},
              summary=f"导入{reg.label} {len(good)} {reg.unit}（{path.name}）")  # fmt: skip
        result.batch_id = batch.id
    result.imported, result.written = len(good), True
    return result


def _check_person(s: Session, reg: Register, clean: dict[str, Any]) -> None:
    """The name on record for the row's ID number must be the row's name."""
    if reg.person is None:
        return
    name_field, number_field = reg.person
    number = clean.get(number_field)
    if not number:
        return
    on_record = s.scalar(select(Person.name).where(Person.id_number == number))
    if on_record is not None and on_record != clean.get(name_field):
        raise ValidationError(
            {
                number_field: f"该身份证号登记的姓名是“{on_record}”，与表中“{clean.get(name_field)}”不一致"
            }
        )


# --- undo ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterUndoResult:
    batch_id: int
    file_name: str
    rows_removed: int  # deleted, or voided (``voided``)
    people_removed: int
    label: str
    voided: bool = False  # gapless numbers: the rows were voided, not deleted

    def summary_lines(self) -> list[str]:
        head = f"已撤销{self.label}导入批次 {self.batch_id}（{self.file_name}）"
        if self.voided:
            return [
                head,
                f"作废导入的记录：{self.rows_removed}条（编号连续、不重复使用，作废后保留原编号）",
            ]
        return [
            head,
            f"删除导入的记录：{self.rows_removed}条",
            f"删除本次导入新建的人员：{self.people_removed}人",
        ]


def undo_description(reg: Register) -> str:
    """What undoing ``reg``'s newest import does, for the clerk's confirmation."""
    if reg.gapless_numbers:
        return (
            f"撤销最近一次{reg.label}导入：这批记录已编入连续编号，编号不能收回，"
            "撤销将把这批记录全部作废（保留原编号，不再使用）。继续吗？"
        )
    return f"撤销最近一次{reg.label}导入：删除该批导入的记录和新建的人员。继续吗？"


def newest_batch(s: Session, reg: Register) -> ImportBatch | None:
    q = (
        select(ImportBatch)
        .where(ImportBatch.kind == reg.name, ImportBatch.undone.is_(False))
        .order_by(ImportBatch.id.desc())
        .limit(1)
    )
    return s.scalar(q)


def _referrers(table: Any) -> list[tuple[Any, Any]]:
    return [
        (t, fk.parent)
        for t in Base.metadata.sorted_tables
        for fk in t.foreign_keys
        if fk.column.table is table and fk.parent.table is t
    ]


def _link_column(t: Any, table: Any) -> Any:
    return next(fk.parent for fk in t.foreign_keys if fk.column.table is table)


def undo_refusal(s: Session, reg: Register, batch: ImportBatch) -> str | None:
    """Why ``batch`` of ``reg`` cannot be undone now, or None."""
    model = reg.model
    if batch.undone:
        return f"这批导入（{batch.file_name}）已撤销，不能重复撤销"
    newest = newest_batch(s, reg)
    if newest is not None and newest.id != batch.id:
        return f"只能撤销{reg.label}最近一次导入：之后还导入了“{newest.file_name}”，请先撤销那一批"
    changed = s.scalar(
        select(func.count(model.id)).where(
            model.import_batch_id == batch.id, (model.version != 1) | model.voided.is_(True)
        )
    )
    if changed:
        return f"这批导入的{changed}条记录在导入后已修改或作废，不能撤销"
    table = model.__table__
    for t, col in _referrers(table):
        if t.name in reg.owned:
            continue
        hit = s.execute(
            select(col).where(col.in_(select(model.id).where(model.import_batch_id == batch.id)))
        ).first()
        if hit is not None:
            return "这批导入的记录已被其他记录引用（如由竞赛成绩生成的荣誉），不能撤销"
    if reg.gapless_numbers:  # undo voids the rows: the people stay, named by them
        return None
    created = json.loads(batch.prior_values or "{}").get("created_people", [])
    for part in chunks(created):
        edited = s.scalar(
            select(func.count(Person.id)).where(Person.id.in_(part), Person.version != 1)
        )
        if edited:
            return "这批导入新建的人员信息在导入后已修改，不能撤销"
        for t, col in _referrers(Person.__table__):
            where = [col.in_(part)]
            if t is table:
                where.append(
                    (table.c.import_batch_id != batch.id) | table.c.import_batch_id.is_(None)
                )
            elif t.name in reg.owned:
                link = _link_column(t, table)
                where.append(link.not_in(select(model.id).where(model.import_batch_id == batch.id)))
            if s.execute(select(col).where(*where).limit(1)).first() is not None:
                return "这批导入新建的人员在导入后已登记了其他记录，不能撤销"
    return None


def undo_last_import(db: Database, actor: CurrentUser, reg: Register) -> RegisterUndoResult:
    """Undo ``reg``'s newest import in force (one transaction), or refuse with the reason
    (a register with gapless numbers: its rows are voided, see the module's docstring)."""
    reg.require_read(actor)
    with writing(db, actor, WRITE) as s:
        batch = newest_batch(s, reg)
        if batch is None:
            raise UserError(f"没有可以撤销的{reg.label}导入")
        reason = undo_refusal(s, reg, batch)
        if reason is not None:
            raise UserError(reason)
        if reg.gapless_numbers:
            return _void_batch(s, actor, reg, batch)
        model = reg.model
        in_batch = select(model.id).where(model.import_batch_id == batch.id)
        for t, col in _referrers(model.__table__):
            if t.name in reg.owned:
                s.connection().execute(delete(t).where(col.in_(in_batch)))
        rows = (
            s.connection().execute(delete(model).where(model.import_batch_id == batch.id)).rowcount
        )
        created = json.loads(batch.prior_values or "{}").get("created_people", [])
        people = 0
        for part in chunks(created):
            people += s.connection().execute(delete(Person).where(Person.id.in_(part))).rowcount
        batch.undone = True
        stamp(batch, actor)
        s.flush()
        audit(s, actor, "undo_import", reg.entity, batch.id,
              before={"undone": False}, after={"undone": True, "file": batch.file_name},
              summary=f"撤销导入{reg.label}（{batch.file_name}）：删除{rows}条、新建人员{people}人")  # fmt: skip
        return RegisterUndoResult(batch.id, batch.file_name, rows, people, reg.label)


def _void_batch(
    s: Session, actor: CurrentUser, reg: Register, batch: ImportBatch
) -> RegisterUndoResult:
    """Undo by voiding: every row of ``batch`` voided with the reason, numbers kept."""
    model = reg.model
    reason = f"撤销导入（{batch.file_name}）"[:200]
    objs = list(s.scalars(select(model).where(model.import_batch_id == batch.id)))
    for obj in objs:
        reg.check_void(s, obj)
        obj.voided, obj.void_reason = True, reason
        stamp(obj, actor)
    batch.undone = True
    stamp(batch, actor)
    s.flush()
    audit(s, actor, "undo_import", reg.entity, batch.id,
          before={"undone": False}, after={"undone": True, "file": batch.file_name},
          summary=f"撤销导入{reg.label}（{batch.file_name}）：作废{len(objs)}条（编号保留）")  # fmt: skip
    return RegisterUndoResult(batch.id, batch.file_name, len(objs), 0, reg.label, voided=True)
