"""Move an office's data between databases (SQLite file ↔ PostgreSQL server)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, text

from unionsdesk.db.engine import Database, bulk_insert
from unionsdesk.db.models import Base
from unionsdesk.errors import UserError

CHUNK = 5000


@dataclass(frozen=True)
class CopyReport:
    counts: dict[str, tuple[int, int]]  # table → (source rows, target rows)

    @property
    def ok(self) -> bool:
        return all(a == b for a, b in self.counts.values())


# Tables the migrations fill with defaults (children before parents).
SEEDED = ("role", "code_table", "checklist_item", "checklist_template")


def copy_database(
    source: Database, target: Database, progress: Callable[[str, int], None] | None = None
) -> CopyReport:
    """Copy every table (both at the same schema version) into an EMPTY target, in one
    transaction on the target, then compare row counts table by table."""
    from unionsdesk.db.migrate import current_revision

    with source.engine.connect() as sc, target.engine.connect() as tc:
        if current_revision(sc) != current_revision(tc):
            raise UserError("两个数据库的数据结构版本不同，请先用同一版本的程序打开两边")
    tables = Base.metadata.sorted_tables  # parents before children
    with target.engine.connect() as tc:
        busy = [
            t.name
            for t in tables
            if t.name not in SEEDED and tc.scalar(select(func.count()).select_from(t))
        ]
    if busy:
        raise UserError(
            f"目标数据库已有数据（{'、'.join(busy[:3])}…），为避免混淆，只能复制到新的空数据库"
        )
    with target.engine.begin() as tc:
        for t in SEEDED:  # seeded by the migrations: replaced by the source's
            tc.execute(Base.metadata.tables[t].delete())
        with source.engine.connect() as sc:
            for table in tables:
                result = sc.execution_options(yield_per=CHUNK).execute(select(table))
                done = 0
                for part in result.partitions(CHUNK):
                    bulk_insert(tc, table, [dict(row._mapping) for row in part])
                    done += len(part)
                    if progress is not None:
                        progress(table.name, done)
        if tc.dialect.name == "postgresql":  # serial sequences continue after the copied ids
            for table in tables:
                if "id" in table.c:
                    tc.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    ))  # fmt: skip
    counts = {}
    with source.engine.connect() as sc, target.engine.connect() as tc:
        for table in tables:
            counts[table.name] = (
                sc.scalar(select(func.count()).select_from(table)) or 0,
                tc.scalar(select(func.count()).select_from(table)) or 0,
            )
    return CopyReport(counts)
