"""honours registers (劳模与竞赛): honours, trips, contests, 五小, studios, activities

Revision ID: 0006
Revises: 0005
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("organiser", sa.String(length=200), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_activity_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
        sa.UniqueConstraint("uuid", name=op.f("uq_activity_uuid")),
    )
    op.create_index(op.f("ix_activity_held_on"), "activity", ["held_on"], unique=False)
    op.create_index(
        op.f("ix_activity_import_batch_id"), "activity", ["import_batch_id"], unique=False
    )
    op.create_table(
        "contest",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("trade", sa.String(length=100), nullable=True),
        sa.Column("organiser", sa.String(length=200), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_contest_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contest")),
        sa.UniqueConstraint("uuid", name=op.f("uq_contest_uuid")),
    )
    op.create_index(op.f("ix_contest_held_on"), "contest", ["held_on"], unique=False)
    op.create_index(
        op.f("ix_contest_import_batch_id"), "contest", ["import_batch_id"], unique=False
    )
    op.create_table(
        "honour",
        sa.Column("collective", sa.Boolean(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("union_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("awarded_by", sa.String(length=200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("doc_no", sa.String(length=100), nullable=True),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("work_status", sa.String(length=10), nullable=True),
        sa.Column("hardship", sa.Boolean(), nullable=False),
        sa.Column("allowance", sa.Integer(), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_honour_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_honour_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["union_id"], ["union_org.id"], name=op.f("fk_honour_union_id_union_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honour")),
        sa.UniqueConstraint("uuid", name=op.f("uq_honour_uuid")),
    )
    op.create_index("ix_honour_doc_no", "honour", ["doc_no"], unique=False)
    op.create_index(op.f("ix_honour_import_batch_id"), "honour", ["import_batch_id"], unique=False)
    op.create_index(op.f("ix_honour_person_id"), "honour", ["person_id"], unique=False)
    op.create_index(op.f("ix_honour_title"), "honour", ["title"], unique=False)
    op.create_index(op.f("ix_honour_union_id"), "honour", ["union_id"], unique=False)
    op.create_index(op.f("ix_honour_year"), "honour", ["year"], unique=False)
    op.create_table(
        "innovation",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("authors", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("in_use_on", sa.Date(), nullable=True),
        sa.Column("benefit", sa.Integer(), nullable=True),
        sa.Column("social_benefit", sa.Text(), nullable=True),
        sa.Column("award", sa.String(length=20), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_innovation_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovation")),
        sa.UniqueConstraint("uuid", name=op.f("uq_innovation_uuid")),
    )
    op.create_index(
        op.f("ix_innovation_import_batch_id"), "innovation", ["import_batch_id"], unique=False
    )
    op.create_index(op.f("ix_innovation_name"), "innovation", ["name"], unique=False)
    op.create_index(op.f("ix_innovation_year"), "innovation", ["year"], unique=False)
    op.create_table(
        "studio",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("leader", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=True),
        sa.Column("results", sa.Integer(), nullable=True),
        sa.Column("funding", sa.Integer(), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_studio_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_studio_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studio")),
        sa.UniqueConstraint("uuid", name=op.f("uq_studio_uuid")),
    )
    op.create_index(op.f("ix_studio_import_batch_id"), "studio", ["import_batch_id"], unique=False)
    op.create_index(op.f("ix_studio_person_id"), "studio", ["person_id"], unique=False)
    op.create_table(
        "trip",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=True),
        sa.Column("cost", sa.Integer(), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_trip_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip")),
        sa.UniqueConstraint("uuid", name=op.f("uq_trip_uuid")),
    )
    op.create_index(op.f("ix_trip_import_batch_id"), "trip", ["import_batch_id"], unique=False)
    op.create_index(op.f("ix_trip_year"), "trip", ["year"], unique=False)
    op.create_table(
        "activity_member",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activity.id"], name=op.f("fk_activity_member_activity_id_activity")
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_activity_member_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_activity_member_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_member")),
        sa.UniqueConstraint("uuid", name=op.f("uq_activity_member_uuid")),
    )
    op.create_index(
        op.f("ix_activity_member_activity_id"), "activity_member", ["activity_id"], unique=False
    )
    op.create_index(
        op.f("ix_activity_member_import_batch_id"),
        "activity_member",
        ["import_batch_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_activity_member_person_id"), "activity_member", ["person_id"], unique=False
    )
    op.create_table(
        "contest_result",
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("rank", sa.String(length=40), nullable=False),
        sa.Column("prize", sa.Integer(), nullable=True),
        sa.Column("grants_title", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=20), nullable=True),
        sa.Column("honour_id", sa.Integer(), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contest.id"], name=op.f("fk_contest_result_contest_id_contest")
        ),
        sa.ForeignKeyConstraint(
            ["honour_id"], ["honour.id"], name=op.f("fk_contest_result_honour_id_honour")
        ),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_contest_result_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_contest_result_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contest_result")),
        sa.UniqueConstraint("uuid", name=op.f("uq_contest_result_uuid")),
    )
    op.create_index(
        op.f("ix_contest_result_contest_id"), "contest_result", ["contest_id"], unique=False
    )
    op.create_index(
        op.f("ix_contest_result_import_batch_id"),
        "contest_result",
        ["import_batch_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_contest_result_person_id"), "contest_result", ["person_id"], unique=False
    )
    op.create_table(
        "innovation_author",
        sa.Column("innovation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["innovation_id"],
            ["innovation.id"],
            name=op.f("fk_innovation_author_innovation_id_innovation"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_innovation_author_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_innovation_author")),
        sa.UniqueConstraint("uuid", name=op.f("uq_innovation_author_uuid")),
    )
    op.create_index(
        op.f("ix_innovation_author_innovation_id"),
        "innovation_author",
        ["innovation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_innovation_author_person_id"), "innovation_author", ["person_id"], unique=False
    )
    op.create_table(
        "trip_member",
        sa.Column("trip_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("health", sa.String(length=20), nullable=True),
        sa.Column("last_trip_year", sa.Integer(), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_trip_member_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_trip_member_person_id_person")
        ),
        sa.ForeignKeyConstraint(["trip_id"], ["trip.id"], name=op.f("fk_trip_member_trip_id_trip")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip_member")),
        sa.UniqueConstraint("uuid", name=op.f("uq_trip_member_uuid")),
    )
    op.create_index(
        op.f("ix_trip_member_import_batch_id"), "trip_member", ["import_batch_id"], unique=False
    )
    op.create_index(op.f("ix_trip_member_person_id"), "trip_member", ["person_id"], unique=False)
    op.create_index(op.f("ix_trip_member_trip_id"), "trip_member", ["trip_id"], unique=False)
    _seed_codes()


def downgrade() -> None:
    raise NotImplementedError("UnionsDesk migrations only go forward; restore a backup instead")


HONOUR_TITLES = [
    ("01", "全国劳动模范"),
    ("02", "全国先进工作者"),
    ("03", "省劳动模范"),
    ("04", "省先进工作者"),
    ("05", "市劳动模范"),
    ("06", "县劳动模范"),
    ("11", "全国五一劳动奖章"),
    ("12", "省五一劳动奖章"),
    ("13", "市五一劳动奖章"),
    ("21", "五一劳动奖状"),
    ("22", "工人先锋号"),
    ("23", "模范职工之家"),
    ("31", "大国工匠"),
    ("32", "省级工匠"),
    ("33", "技术能手"),
    ("99", "其他荣誉"),
]
HONOUR_LEVELS = [("1", "全国"), ("2", "省部级"), ("3", "地市级"), ("4", "县级")]
MODEL_WORKER_AID = ("20", "劳模津贴/慰问")


def _seed_codes() -> None:
    now = datetime.now().replace(microsecond=0)
    common = {"created_at": now, "updated_at": now, "created_by": "system", "version": 1}
    code_table = sa.table(
        "code_table",
        *(
            sa.column(c)
            for c in ("category", "code", "label", "sort_order", "active", "uuid", *common)
        ),
    )
    rows = [
        ("honour_title", code, label, order) for order, (code, label) in enumerate(HONOUR_TITLES, 1)
    ]
    rows += [
        ("honour_level", code, label, order) for order, (code, label) in enumerate(HONOUR_LEVELS, 1)
    ]
    rows.append(("aid_type", *MODEL_WORKER_AID, 20))
    op.bulk_insert(
        code_table,
        [
            {
                "category": category,
                "code": code,
                "label": label,
                "sort_order": order,
                "active": True,
                "uuid": str(uuid.uuid4()),
                **common,
            }
            for category, code, label, order in rows
        ],
    )
