"""rights (维权) and mutual aid (互助保障) registers

Tables of the 调解台账, 调解委员会 roll, 法律援助, 三师一室 service days, 职工意见建议,
互助保障 plans, enrolments, insured people and claims; ``app_user.grants`` (permissions
granted beyond the role, e.g. 维权查看); the code table of 三师一室 service types.

Revision ID: 0007
Revises: 0006
"""

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SERVICE_TYPES = ("法律援助律师", "工资集体协商指导师", "健康工程师", "劳动争议调解室", "心理咨询师")


def upgrade() -> None:
    op.create_table(
        "legal_aid",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("cause", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("lawyer", sa.String(length=60), nullable=True),
        sa.Column("result", sa.String(length=200), nullable=True),
        sa.Column("recovered", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
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
            name=op.f("fk_legal_aid_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_legal_aid_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_aid")),
        sa.UniqueConstraint("uuid", name=op.f("uq_legal_aid_uuid")),
    )
    with op.batch_alter_table("legal_aid", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_legal_aid_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_legal_aid_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_legal_aid_received_on"), ["received_on"], unique=False)

    op.create_table(
        "mediator",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
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
            name=op.f("fk_mediator_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediator")),
        sa.UniqueConstraint("uuid", name=op.f("uq_mediator_uuid")),
    )
    with op.batch_alter_table("mediator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mediator_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mediator_name"), ["name"], unique=False)

    op.create_table(
        "mutual_plan",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("benefits", sa.Text(), nullable=False),
        sa.Column("women_only", sa.Boolean(), nullable=False),
        sa.Column("min_insured", sa.Integer(), nullable=True),
        sa.Column("min_share", sa.Integer(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
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
            name=op.f("fk_mutual_plan_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mutual_plan")),
        sa.UniqueConstraint("name", name=op.f("uq_mutual_plan_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_mutual_plan_uuid")),
    )
    with op.batch_alter_table("mutual_plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mutual_plan_import_batch_id"), ["import_batch_id"], unique=False
        )

    op.create_table(
        "service_day",
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=60), nullable=False),
        sa.Column("service_type", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("matter", sa.String(length=300), nullable=False),
        sa.Column("result", sa.String(length=300), nullable=True),
        sa.Column("server", sa.String(length=100), nullable=True),
        sa.Column("people", sa.Integer(), nullable=True),
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
            name=op.f("fk_service_day_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_day")),
        sa.UniqueConstraint("uuid", name=op.f("uq_service_day_uuid")),
    )
    with op.batch_alter_table("service_day", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_day_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_service_day_on"), ["on"], unique=False)

    op.create_table(
        "suggestion",
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("proposer", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("referred_to", sa.String(length=100), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.String(length=10), nullable=True),
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
            name=op.f("fk_suggestion_import_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
        sa.UniqueConstraint("uuid", name=op.f("uq_suggestion_uuid")),
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestion_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_suggestion_received_on"), ["received_on"], unique=False
        )

    op.create_table(
        "dispute",
        sa.Column("case_year", sa.Integer(), nullable=False),
        sa.Column("case_seq", sa.Integer(), nullable=False),
        sa.Column("case_no", sa.String(length=60), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("request_mode", sa.String(length=4), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("job", sa.String(length=100), nullable=True),
        sa.Column("respondent", sa.String(length=200), nullable=False),
        sa.Column("respondent_code", sa.String(length=18), nullable=True),
        sa.Column("respondent_rep", sa.String(length=50), nullable=True),
        sa.Column("respondent_union_id", sa.Integer(), nullable=True),
        sa.Column("dispute_types", sa.String(length=200), nullable=False),
        sa.Column("collective", sa.Boolean(), nullable=False),
        sa.Column("people_involved", sa.Integer(), nullable=True),
        sa.Column("claim_amount", sa.Integer(), nullable=True),
        sa.Column("request", sa.Text(), nullable=True),
        sa.Column("facts", sa.Text(), nullable=True),
        sa.Column("mediator_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=10), nullable=True),
        sa.Column("agreement_amount", sa.Integer(), nullable=True),
        sa.Column("agreement_terms", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("performance", sa.String(length=200), nullable=True),
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
            name=op.f("fk_dispute_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["mediator_id"], ["mediator.id"], name=op.f("fk_dispute_mediator_id_mediator")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_dispute_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["respondent_union_id"],
            ["union_org.id"],
            name=op.f("fk_dispute_respondent_union_id_union_org"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute")),
        sa.UniqueConstraint("case_no", name=op.f("uq_dispute_case_no")),
        sa.UniqueConstraint("case_year", "case_seq", name="uq_dispute_case_year"),
        sa.UniqueConstraint("uuid", name=op.f("uq_dispute_uuid")),
    )
    with op.batch_alter_table("dispute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_closed_on"), ["closed_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dispute_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dispute_mediator_id"), ["mediator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_received_on"), ["received_on"], unique=False)

    op.create_table(
        "mutual_enrolment",
        sa.Column("union_id", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("shares", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("receipt_no", sa.String(length=20), nullable=True),
        sa.Column("file_name", sa.String(length=260), nullable=True),
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
            name=op.f("fk_mutual_enrolment_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["mutual_plan.id"], name=op.f("fk_mutual_enrolment_plan_id_mutual_plan")
        ),
        sa.ForeignKeyConstraint(
            ["union_id"], ["union_org.id"], name=op.f("fk_mutual_enrolment_union_id_union_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mutual_enrolment")),
        sa.UniqueConstraint("receipt_no", name=op.f("uq_mutual_enrolment_receipt_no")),
        sa.UniqueConstraint("union_id", "plan_id", "period", name="uq_mutual_enrolment_unit"),
        sa.UniqueConstraint("uuid", name=op.f("uq_mutual_enrolment_uuid")),
    )
    with op.batch_alter_table("mutual_enrolment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mutual_enrolment_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mutual_enrolment_period"), ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_mutual_enrolment_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mutual_enrolment_union_id"), ["union_id"], unique=False
        )

    op.create_table(
        "mutual_insured",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("shares", sa.Integer(), nullable=False),
        sa.Column("member", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["mutual_enrolment.id"],
            name=op.f("fk_mutual_insured_enrolment_id_mutual_enrolment"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_mutual_insured_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["mutual_plan.id"], name=op.f("fk_mutual_insured_plan_id_mutual_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mutual_insured")),
        sa.UniqueConstraint("plan_id", "period", "person_id", name="uq_mutual_insured_person"),
        sa.UniqueConstraint("uuid", name=op.f("uq_mutual_insured_uuid")),
    )
    with op.batch_alter_table("mutual_insured", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mutual_insured_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mutual_insured_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "mutual_claim",
        sa.Column("insured_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("claim_type", sa.String(length=20), nullable=False),
        sa.Column("disability_grade", sa.Integer(), nullable=True),
        sa.Column("incident_on", sa.Date(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("materials", sa.String(length=400), nullable=True),
        sa.Column("requested", sa.Integer(), nullable=False),
        sa.Column("approved", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reject_reason", sa.String(length=200), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
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
            name=op.f("fk_mutual_claim_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["insured_id"],
            ["mutual_insured.id"],
            name=op.f("fk_mutual_claim_insured_id_mutual_insured"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_mutual_claim_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["mutual_plan.id"], name=op.f("fk_mutual_claim_plan_id_mutual_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mutual_claim")),
        sa.UniqueConstraint("uuid", name=op.f("uq_mutual_claim_uuid")),
    )
    with op.batch_alter_table("mutual_claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mutual_claim_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_mutual_claim_insured_id"), ["insured_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mutual_claim_paid_on"), ["paid_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_mutual_claim_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mutual_claim_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mutual_claim_received_on"), ["received_on"], unique=False
        )

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grants", sa.String(length=200), nullable=True))

    _seed()


def _seed() -> None:
    now = datetime.now().replace(microsecond=0)
    code_table = sa.table(
        "code_table",
        *(
            sa.column(c)
            for c in ("category", "code", "label", "sort_order", "active", "uuid",
                      "created_at", "updated_at", "created_by", "version")
        ),
    )  # fmt: skip
    op.bulk_insert(
        code_table,
        [
            {"category": "rights_service", "code": str(n), "label": label, "sort_order": n,
             "active": True, "uuid": str(uuid.uuid4()), "created_at": now, "updated_at": now,
             "created_by": "system", "version": 1}
            for n, label in enumerate(SERVICE_TYPES, 1)
        ],
    )  # fmt: skip


def downgrade() -> None:
    raise NotImplementedError("UnionsDesk migrations only go forward; restore a backup instead")
