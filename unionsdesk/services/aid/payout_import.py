"""Import of pay-out lines (发放明细) into one campaign from Excel, with the member
importer's machinery: header detection, row errors in Chinese, all or nothing.

Every line meets the rules of a line typed in (`campaigns.check_payout`): the
same person twice in the file or already in the campaign, an amount of zero or
less, or an amount other than the category's standard without 超标准原因 are
row errors. People are found by ID number in the Person master (created when
new). A name that differs from the one registered for the ID number is a row
error (services.common.persons: never overwritten). 重复救助 (paid by another
programme of the same year) is a warning: the lines are imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unionsdesk.db.engine import Database
from unionsdesk.domain.money import format_yuan, from_fen
from unionsdesk.errors import UserError, ValidationError
from unionsdesk.excel.reader import ColumnMap, RowError, SourceRow, read_records, validate_rows
from unionsdesk.fields import PAYOUT
from unionsdesk.services.aid.campaigns import (
    check_payout,
    double_aid,
    editable_campaign,
    insert_payout,
)
from unionsdesk.services.common.base import WRITE, CurrentUser, audit, reading, writing
from unionsdesk.services.common.import_undo import PAYOUTS, close_batch, open_batch
from unionsdesk.services.common.persons import name_conflict, people_by_number
from unionsdesk.services.members.member_import import ImportResult


@dataclass
class PayoutImportResult(ImportResult):
    campaign_name: str = ""
    total: int = 0  # fen: the lines imported (or, when nothing was written, found valid)

    def summary_lines(self) -> list[str]:
        money = format_yuan(from_fen(self.total))
        if self.written:
            done = f"导入：{self.imported}行，金额合计{money}"
        else:
            done = f"导入：0（{self.ready}行正确，金额合计{money}，因有错误行未写入）"
        lines = [
            f"文件：{self.file_name}",
            f"帮扶活动：{self.campaign_name}",
            f"读取数据行：{self.rows_read}",
            done,
            f"有错误的行：{self.invalid}",
        ]
        lines.extend(self.reason_lines())
        lines.extend(self.warning_lines())
        if self.skipped_summary:
            lines.append(self.skipped_summary)
        return lines


def import_payouts(
    db: Database,
    actor: CurrentUser,
    path: Path,
    *,
    campaign_id: int,
    skip_invalid: bool = False,
    columns: ColumnMap | None = None,
    worksheet: str | int | None = None,  # name or 0-based index; None: the first
) -> PayoutImportResult:
    """Add the lines of the workbook at ``path`` to the campaign, in one transaction.

    With errors nothing is written, unless ``skip_invalid`` (then the valid
    lines are). The union and hardship file of each line come from the
    person's active hardship file or membership, as for a line typed in.
    """
    actor.require(WRITE)
    path = Path(path)
    with reading(db, actor) as s:  # a closed campaign is refused before the file is read
        name = editable_campaign(s, campaign_id).name
    result = PayoutImportResult(file_name=path.name, campaign_name=name)
    sheet = read_records(path, PAYOUT, columns=columns, sheet=worksheet)
    result.rows_read = len(sheet.records)
    result.skipped_summary = sheet.skipped.summary()
    result.header_labels = sheet.header_labels
    validated = validate_rows(sheet.records, PAYOUT, header=sheet.header)
    errors = list(validated.errors)
    records = {r.row_number: r for r in sheet.records}
    labels = {n: sheet.header.labels.get(col, "") for col, n in sheet.header.columns.items()}

    def row_error(record: SourceRow, field: str, reason: str) -> RowError:
        spec = PAYOUT.by_name[field]
        return RowError(record.row_number, labels.get(field) or spec.label,
                        record.values.get(field), reason, record.raw_row, field)  # fmt: skip

    rows: list[tuple[int, dict[str, Any]]] = []
    warnings: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    with reading(db, actor) as s:
        c = editable_campaign(s, campaign_id)
        known = people_by_number(s, [clean["id_number"] for _, clean in validated.good])
        for row_number, clean in validated.good:
            record = records[row_number]
            number = clean["id_number"]
            if number in seen:
                reason = f"与第{seen[number]}行是同一人（身份证号重复）"
                errors.append(row_error(record, "id_number", reason))
                continue
            seen[number] = row_number
            person_id, stored_name = known.get(number, (None, ""))
            conflict = name_conflict(stored_name, clean["name"])
            if conflict is not None:  # never overwrite a registered name
                errors.append(row_error(record, "name", conflict))
                continue
            try:
                check_payout(s, c, clean, person_id)
            except ValidationError as exc:
                errors.extend(row_error(record, f, reason) for f, reason in exc.errors.items())
                continue
            if person_id is not None:
                for note in double_aid(s, person_id, c):
                    warnings.append((row_number, f"{clean['name']}：{note}"))
            rows.append((row_number, clean))
    result.errors = sorted(errors, key=lambda e: e.row_number)
    result.warnings = warnings
    result.ready = len(rows)
    result.total = sum(clean["amount"] for _, clean in rows)
    if result.errors and not skip_invalid:
        return result
    if not rows:
        result.written = True
        return result
    with writing(db, actor, WRITE) as s:
        c = editable_campaign(s, campaign_id)
        batch = open_batch(
            s, actor, PAYOUTS, path, rows_read=result.rows_read, imported=len(rows),
            invalid=result.invalid,
            known_people=[known[clean["id_number"]][0] for _, clean in rows if clean["id_number"] in known],
        )  # fmt: skip
        for row_number, clean in rows:
            try:
                insert_payout(s, actor, c, clean, import_batch_id=batch.id)
            except ValidationError as exc:  # someone changed the list since the check
                raise UserError(f"第{row_number}行：{exc}。未导入任何数据，请重新导入") from None
        close_batch(s, batch)
        audit(s, actor, "import", "payout", batch.id,
              after={"campaign": c.name, "file": path.name, "imported": len(rows), "total": result.total},
              summary=f"{c.name}：从“{path.name}”导入发放明细{len(rows)}行")  # fmt: skip
    result.imported, result.written = len(rows), True
    return result
