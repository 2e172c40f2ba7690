"""Import of existing hardship files (困难职工档案) from Excel, with the member
importer's machinery: header detection, row errors, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from unionsdesk.db.engine import Database
from unionsdesk.db.models import HardshipFile, Person, UnionOrg
from unionsdesk.domain import idcard
from unionsdesk.errors import UserError
from unionsdesk.excel.reader import ColumnMap, RowError, read_records, validate_rows
from unionsdesk.fields import HARDSHIP
from unionsdesk.services.aid.hardship import FILE_FIELDS
from unionsdesk.services.common.base import WRITE, CurrentUser, audit, stamp, writing
from unionsdesk.services.common.codes import code_lookup
from unionsdesk.services.common.import_undo import HARDSHIP as HARDSHIP_KIND
from unionsdesk.services.common.import_undo import close_batch, open_batch
from unionsdesk.services.common.persons import name_conflict, people_by_number, upsert_person
from unionsdesk.services.members.member_import import ImportResult
from unionsdesk.services.members.unions import names_index, union_named


@dataclass
class HardshipImportResult(ImportResult):
    """``already_present``: people who already have an active file (skipped, not
    overwritten); there are no transfer candidates for files."""

    def summary_lines(self) -> list[str]:
        lines = [
            f"文件：{self.file_name}",
            f"读取数据行：{self.rows_read}",
            f"导入：{self.imported}份档案"
            + ("" if self.written else f"（{self.ready}行正确，因有错误行未写入）"),
            f"已有在档档案，跳过：{len(self.already_present)}",
            f"有错误的行：{self.invalid}",
        ]
        lines.extend(self.reason_lines())
        if self.warnings:
            lines.append(f"提示：{len(self.warnings)}条（已按身份证号记录）")
        if self.skipped_summary:
            lines.append(self.skipped_summary)
        return lines


def import_hardship_files(
    db: Database,
    actor: CurrentUser,
    path: Path,
    *,
    union_id: int | None = None,
    skip_invalid: bool = False,
    columns: ColumnMap | None = None,
    worksheet: str | int | None = None,  # name or 0-based index; None: the first
) -> HardshipImportResult:
    """New files for people without an active one; people who already have one are
    skipped (never overwritten). Everything in one transaction, or nothing."""
    actor.require(WRITE)
    path = Path(path)
    result = HardshipImportResult(file_name=path.name)
    sheet = read_records(path, HARDSHIP, columns=columns, sheet=worksheet)
    result.rows_read = len(sheet.records)
    result.skipped_summary = sheet.skipped.summary()
    result.header_labels = sheet.header_labels
    if union_id is None and sheet.header.column_of("union") is None:
        raise UserError("表中没有“所在工会”列，请指定工会（--union 或在界面中选择）")
    validated = validate_rows(sheet.records, HARDSHIP, header=sheet.header, codes=code_lookup(db))
    errors = list(validated.errors)
    with db.reading() as s:
        unions = {u.id: u for u in s.scalars(select(UnionOrg))}
        active = set(s.scalars(select(HardshipFile.person_id).where(HardshipFile.active)))
        active_ids = (
            set(s.scalars(select(Person.id_number).where(Person.id.in_(active))))
            if active
            else set()
        )
        known = people_by_number(s, [clean["id_number"] for _, clean in validated.good])
    by_name = names_index(unions.values())
    rows = []
    seen: dict[str, int] = {}
    raw_rows = {r.row_number: r.raw_row for r in sheet.records}
    for row_number, clean in validated.good:
        number = idcard.from_valid(clean["id_number"]).number
        target = union_id
        if target is None:
            try:
                target = union_named(by_name, clean.get("union"))
            except ValueError as exc:
                errors.append(
                    RowError(
                        row_number, "所在工会", clean.get("union"), str(exc), raw_rows[row_number]
                    )
                )
                continue
        if number in seen:
            errors.append(
                RowError(
                    row_number,
                    "身份证号",
                    number,
                    f"与第{seen[number]}行是同一人（身份证号重复）",
                    raw_rows[row_number],
                )
            )
            continue
        seen[number] = row_number
        if number in active_ids:
            result.already_present.append((row_number, clean["name"]))
            continue
        conflict = name_conflict(known.get(number, (0, ""))[1], clean["name"])
        if conflict is not None:
            errors.append(
                RowError(row_number, "姓名", clean["name"], conflict, raw_rows[row_number])
            )
            continue
        rows.append((row_number, clean, target))
    result.errors = sorted(errors, key=lambda e: e.row_number)
    result.ready = len(rows)
    if result.errors and not skip_invalid:
        return result
    if not rows:
        result.written = True
        return result
    with writing(db, actor, WRITE) as s:
        numbers = [idcard.from_valid(clean["id_number"]).number for _, clean, _ in rows]
        batch = open_batch(
            s, actor, HARDSHIP_KIND, path, rows_read=result.rows_read, imported=len(rows),
            skipped=len(result.already_present), invalid=result.invalid, union_id=union_id,
            known_people=[known[n][0] for n in numbers if n in known],
        )  # fmt: skip
        for _row_number, clean, target in rows:
            person, _ = upsert_person(s, actor, clean)
            f = HardshipFile(
                person_id=person.id,
                union_id=target,
                status="建档",
                active=True,
                review_status="待审核",
            )
            for name in FILE_FIELDS:
                if clean.get(name) is not None:
                    setattr(f, name, clean[name])
            f.migrant = bool(clean.get("migrant"))
            f.import_batch_id = batch.id
            stamp(f, actor, new=True)
            s.add(f)
        close_batch(s, batch)
        audit(s, actor, "import", "hardship_file", batch.id, after={"file": path.name, "imported": len(rows)},
              summary=f"导入困难职工档案 {len(rows)} 户（{path.name}）")  # fmt: skip
    result.imported, result.written = len(rows), True
    return result
