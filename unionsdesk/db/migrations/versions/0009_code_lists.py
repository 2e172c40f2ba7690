"""学历 is the provincial template's list; 组织类型 gains 县(市、区)总工会 and 产业(系统)工会

学历: the template's eight values (博士 … 小学及以下, UPSTREAM_FORMATS §1.2 column I)
become the list. 大学本科 is renamed 本科 (same code, so no record changes); 大专
stays; 研究生, 中专/高中 and 初中及以下 — each of which the template splits in two —
are kept for the records that hold them but no longer offered (inactive), so an
upload still asks the clerk which of the two they mean.

组织类型: 07 县(市、区)总工会 and 08 产业(系统)工会 are added; the county union (the
root of the tree, stored as 乡镇(街道)工会) becomes 07, and a union directly under the
county whose name ends in 系统工会 or 产业工会 (stored as a 联合会) becomes 08.

hardship_file and payout get ``import_batch_id``: the 困难职工 and 发放明细 imports
record their batch, so the newest one can be undone like a member import.

Revision ID: 0009
Revises: 0008
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# code, label, sort order; the old codes keep their place after the new ones
EDUCATION = [
    ("11", "博士", 1), ("12", "硕士", 2), ("02", "本科", 3), ("03", "大专", 4), ("13", "中专", 5),
    ("14", "高中", 6), ("15", "初中", 7), ("16", "小学及以下", 8),
]  # fmt: skip
RETIRED_EDUCATION = {"01": 9, "04": 10, "05": 11}  # 研究生, 中专/高中, 初中及以下 → order
ORG_TYPES = [("07", "县(市、区)总工会", 7), ("08", "产业(系统)工会", 8)]

code_table = sa.table(
    "code_table",
    *(
        sa.column(c)
        for c in (
            "category", "code", "label", "sort_order", "active", "uuid", "created_at",
            "updated_at", "created_by", "version",
        )
    ),
)  # fmt: skip


def _put(category: str, entries: list[tuple[str, str, int]]) -> None:
    conn = op.get_bind()
    now = datetime.now().replace(microsecond=0)
    for code, label, order in entries:
        found = conn.execute(
            sa.select(code_table.c.code).where(
                code_table.c.category == category, code_table.c.code == code
            )
        ).first()
        if found is None:
            conn.execute(
                code_table.insert().values(
                    category=category, code=code, label=label, sort_order=order, active=True,
                    uuid=str(uuid.uuid4()), created_at=now, updated_at=now, created_by="system",
                    version=1,
                )
            )  # fmt: skip
        else:
            conn.execute(
                code_table.update()
                .where(code_table.c.category == category, code_table.c.code == code)
                .values(label=label, sort_order=order, active=True, updated_at=now)
            )


def upgrade() -> None:
    conn = op.get_bind()
    _put("education", EDUCATION)
    for code, order in RETIRED_EDUCATION.items():
        conn.execute(
            code_table.update()
            .where(code_table.c.category == "education", code_table.c.code == code)
            .values(active=False, sort_order=order)
        )
    _batch_column("hardship_file")
    _batch_column("payout")
    _put("org_type", ORG_TYPES)
    union = sa.table("union_org", sa.column("id"), sa.column("parent_id"), sa.column("name"),
                     sa.column("org_type"))  # fmt: skip
    conn.execute(union.update().where(union.c.parent_id.is_(None)).values(org_type="07"))
    roots = sa.select(union.c.id).where(union.c.org_type == "07")
    conn.execute(
        union.update()
        .where(
            union.c.parent_id.in_(roots),
            sa.or_(union.c.name.like("%系统工会"), union.c.name.like("%产业工会")),
        )
        .values(org_type="08")
    )


def _batch_column(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_batch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f(f"fk_{table}_import_batch_id_import_batch"),
            "import_batch",
            ["import_batch_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f(f"ix_{table}_import_batch_id"), ["import_batch_id"], unique=False
        )


def downgrade() -> None:
    raise NotImplementedError("UnionsDesk migrations only go forward; restore a backup instead")
