"""Key → value settings, including 套打 print offsets."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from unionsdesk.db.engine import Database
from unionsdesk.db.models import Setting
from unionsdesk.fields import PRINT_OFFSETS
from unionsdesk.services.common.base import ADMIN, CurrentUser, audit, stamp, writing

BACKUP_KEEP = "backup.keep"
PRINT_X = "print.offset_x_mm"
PRINT_Y = "print.offset_y_mm"
RECEIPT_PAGES = "print.receipt_one_part_per_page"  # "1": each part (联) on its own A4 page


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    with db.reading() as s:
        value = s.scalar(select(Setting.value).where(Setting.key == key))
        return default if value is None else value


def set_settings(db: Database, actor: CurrentUser, values: dict[str, str]) -> None:
    with writing(db, actor, ADMIN) as s:
        for key, value in values.items():
            put_setting(s, actor, key, value)


def put_setting(
    s: Session, actor: CurrentUser, key: str, value: str, summary: str | None = None
) -> None:
    """Insert or change one setting inside the caller's write transaction, with its
    audit row; an unchanged value writes nothing."""
    row = s.scalar(select(Setting).where(Setting.key == key))
    before = None if row is None else {key: row.value}
    if row is None:
        row = Setting(key=key, value=value)
        stamp(row, actor, new=True)
        s.add(row)
    elif row.value == value:
        return
    else:
        row.value = value
        stamp(row, actor)
    s.flush()
    audit(s, actor, "update", "setting", row.id, before=before, after={key: value}, summary=summary)


@dataclass(frozen=True)
class PrintOffsets:
    x_mm: float
    y_mm: float


def get_print_offsets(db: Database) -> PrintOffsets:
    return PrintOffsets(
        float(get_setting(db, PRINT_X, "0") or 0), float(get_setting(db, PRINT_Y, "0") or 0)
    )


def set_print_offsets(db: Database, actor: CurrentUser, x_mm: object, y_mm: object) -> PrintOffsets:
    clean = PRINT_OFFSETS.clean({"offset_x_mm": str(x_mm), "offset_y_mm": str(y_mm)})
    x, y = clean["offset_x_mm"] or 0.0, clean["offset_y_mm"] or 0.0
    set_settings(db, actor, {PRINT_X: f"{x:g}", PRINT_Y: f"{y:g}"})
    return PrintOffsets(x, y)


def get_receipt_one_part_per_page(db: Database) -> bool:
    """Receipts print one part (存根/收据/记账) per A4 page instead of three on one."""
    return get_setting(db, RECEIPT_PAGES, "0") == "1"


def set_receipt_one_part_per_page(db: Database, actor: CurrentUser, value: bool) -> None:
    set_settings(db, actor, {RECEIPT_PAGES: "1" if value else "0"})


def get_backup_keep(db: Database) -> int:
    from unionsdesk.db.backup import DEFAULT_KEEP

    try:
        return max(1, int(get_setting(db, BACKUP_KEEP) or DEFAULT_KEEP))
    except ValueError:
        return DEFAULT_KEEP
