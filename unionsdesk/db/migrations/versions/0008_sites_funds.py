"""sites, grants and union funds (阵地与补助, 经费)

Sites with checklists and inspections, the attachments table (files live beside an
SQLite database; attachment_blob holds them on PostgreSQL and inside backups), grant
projects with payments and yearly budgets, the levy ledger, the 专用收据 register and
member dues. Seeds the checklists of DOMAIN.md §7 (the office may edit them).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (name, applies to, items); the 六有六规范 items were not confirmed (DOMAIN §7 ⚠):
# the list starts with the six headings and the office enters its own wording.
CHECKLISTS = (
    (
        "工会驿站“六有”",
        "工会驿站",
        ("有统一标识", "有固定场所", "有完备设施", "有管理制度", "有人员管理", "有地图可查"),
    ),
    (
        "职工书屋标准",
        "职工书屋",
        (
            "面积不少于30平方米",
            "藏书不少于500册",
            "报刊不少于5种",
            "有可上网的电脑",
            "有书面管理制度",
            "有阅读座椅",
            "有1名管理员",
        ),
    ),
    ("乡镇（街道）工会“六有六规范”", "乡镇工会", ()),
)


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=260), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint("entity", "entity_id", "sha256", name="uq_attachment_entity_file"),
        sa.UniqueConstraint("uuid", name=op.f("uq_attachment_uuid")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_sha256"), ["sha256"], unique=False)

    op.create_table(
        "attachment_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_blob")),
    )
    op.create_table(
        "checklist_template",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("applies_to", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_template")),
        sa.UniqueConstraint("name", name=op.f("uq_checklist_template_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_checklist_template_uuid")),
    )
    op.create_table(
        "grant_budget",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_budget")),
        sa.UniqueConstraint("uuid", name=op.f("uq_grant_budget_uuid")),
        sa.UniqueConstraint("year", "kind", name="uq_grant_budget_year_kind"),
    )
    op.create_table(
        "checklist_item",
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["checklist_template.id"],
            name=op.f("fk_checklist_item_template_id_checklist_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_item")),
        sa.UniqueConstraint("uuid", name=op.f("uq_checklist_item_uuid")),
    )
    with op.batch_alter_table("checklist_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_item_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "levy",
        sa.Column("payer_key", sa.String(length=220), nullable=False),
        sa.Column("union_id", sa.Integer(), nullable=True),
        sa.Column("payer_name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("township", sa.String(length=60), nullable=True),
        sa.Column("preparatory", sa.Boolean(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("wage_total", sa.Integer(), nullable=False),
        sa.Column("due", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("tax_collected", sa.Boolean(), nullable=False),
        sa.Column("share_grassroots", sa.Integer(), nullable=False),
        sa.Column("share_county", sa.Integer(), nullable=False),
        sa.Column("share_city", sa.Integer(), nullable=False),
        sa.Column("share_province", sa.Integer(), nullable=False),
        sa.Column("share_national", sa.Integer(), nullable=False),
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
            name=op.f("fk_levy_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["union_id"], ["union_org.id"], name=op.f("fk_levy_union_id_union_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_levy")),
        sa.UniqueConstraint("uuid", name=op.f("uq_levy_uuid")),
    )
    with op.batch_alter_table("levy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_levy_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index("ix_levy_period", ["year", "month"], unique=False)
        batch_op.create_index(batch_op.f("ix_levy_union_id"), ["union_id"], unique=False)
        batch_op.create_index(
            "uq_levy_payer_period",
            ["payer_key", "year", "month"],
            unique=True,
            sqlite_where=sa.text("NOT voided"),
            postgresql_where=sa.text("NOT voided"),
        )

    op.create_table(
        "site",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("union_id", sa.Integer(), nullable=True),
        sa.Column("host_unit", sa.String(length=200), nullable=True),
        sa.Column("township", sa.String(length=60), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("build_mode", sa.String(length=10), nullable=True),
        sa.Column("open_hours", sa.String(length=60), nullable=True),
        sa.Column("open_24h", sa.Boolean(), nullable=False),
        sa.Column("area", sa.Integer(), nullable=True),
        sa.Column("facilities", sa.String(length=300), nullable=True),
        sa.Column("manager", sa.String(length=50), nullable=True),
        sa.Column("manager_phone", sa.String(length=20), nullable=True),
        sa.Column("built_on", sa.Date(), nullable=True),
        sa.Column("investment", sa.Integer(), nullable=True),
        sa.Column("visits_per_month", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=True),
        sa.Column("year_named", sa.Integer(), nullable=True),
        sa.Column("assets", sa.Integer(), nullable=True),
        sa.Column("books", sa.Integer(), nullable=True),
        sa.Column("review_result", sa.String(length=40), nullable=True),
        sa.Column("honours", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
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
            name=op.f("fk_site_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["union_id"], ["union_org.id"], name=op.f("fk_site_union_id_union_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("code", name=op.f("uq_site_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_site_uuid")),
    )
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_site_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_site_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_site_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_site_union_id"), ["union_id"], unique=False)

    op.create_table(
        "dues",
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("union_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("wage_base", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("waived", sa.Boolean(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=True),
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
            name=op.f("fk_dues_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"], ["membership.id"], name=op.f("fk_dues_membership_id_membership")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_dues_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["union_id"], ["union_org.id"], name=op.f("fk_dues_union_id_union_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues")),
        sa.UniqueConstraint("uuid", name=op.f("uq_dues_uuid")),
    )
    with op.batch_alter_table("dues", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dues_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dues_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_dues_union_month", ["union_id", "year", "month"], unique=False)
        batch_op.create_index(
            "uq_dues_membership_month",
            ["membership_id", "year", "month"],
            unique=True,
            sqlite_where=sa.text("NOT voided"),
            postgresql_where=sa.text("NOT voided"),
        )

    op.create_table(
        "fund_receipt",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("payer_name", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("wage_total", sa.Integer(), nullable=False),
        sa.Column("due", sa.Integer(), nullable=False),
        sa.Column("paid", sa.Integer(), nullable=False),
        sa.Column("shares", sa.String(length=300), nullable=True),
        sa.Column("levy_id", sa.Integer(), nullable=True),
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
            name=op.f("fk_fund_receipt_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["levy_id"], ["levy.id"], name=op.f("fk_fund_receipt_levy_id_levy")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_receipt")),
        sa.UniqueConstraint("uuid", name=op.f("uq_fund_receipt_uuid")),
        sa.UniqueConstraint("year", "number", name="uq_fund_receipt_year_number"),
    )
    with op.batch_alter_table("fund_receipt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fund_receipt_import_batch_id"), ["import_batch_id"], unique=False
        )

    op.create_table(
        "grant_project",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("union_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("total_budget", sa.Integer(), nullable=False),
        sa.Column("self_funded", sa.Integer(), nullable=False),
        sa.Column("requested", sa.Integer(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("contact", sa.String(length=50), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("approval_ref", sa.String(length=100), nullable=True),
        sa.Column("approved_amount", sa.Integer(), nullable=True),
        sa.Column("approver", sa.String(length=50), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("acceptance_by", sa.String(length=100), nullable=True),
        sa.Column("acceptance_result", sa.String(length=10), nullable=True),
        sa.Column("actual_investment", sa.Integer(), nullable=True),
        sa.Column("acceptance_note", sa.Text(), nullable=True),
        sa.Column("performance", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("revoke_reason", sa.String(length=200), nullable=True),
        sa.Column("returned_amount", sa.Integer(), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=True),
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
            name=op.f("fk_grant_project_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_grant_project_site_id_site")
        ),
        sa.ForeignKeyConstraint(
            ["union_id"], ["union_org.id"], name=op.f("fk_grant_project_union_id_union_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_project")),
        sa.UniqueConstraint("uuid", name=op.f("uq_grant_project_uuid")),
        sa.UniqueConstraint("year", "code", name="uq_grant_project_year_code"),
    )
    with op.batch_alter_table("grant_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grant_project_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_grant_project_union_id"), ["union_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grant_project_year"), ["year"], unique=False)

    op.create_table(
        "inspection",
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("union_id", sa.Integer(), nullable=True),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("inspector", sa.String(length=100), nullable=False),
        sa.Column("conclusion", sa.String(length=200), nullable=True),
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
            name=op.f("fk_inspection_import_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_inspection_site_id_site")),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["checklist_template.id"],
            name=op.f("fk_inspection_template_id_checklist_template"),
        ),
        sa.ForeignKeyConstraint(
            ["union_id"], ["union_org.id"], name=op.f("fk_inspection_union_id_union_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
        sa.UniqueConstraint("uuid", name=op.f("uq_inspection_uuid")),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_import_batch_id"), ["import_batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inspection_inspected_on"), ["inspected_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inspection_site_id"), ["site_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inspection_template_id"), ["template_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inspection_union_id"), ["union_id"], unique=False)

    op.create_table(
        "grant_payment",
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("voucher_no", sa.String(length=60), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"], ["grant_project.id"], name=op.f("fk_grant_payment_grant_id_grant_project")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_payment")),
        sa.UniqueConstraint("uuid", name=op.f("uq_grant_payment_uuid")),
    )
    with op.batch_alter_table("grant_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_payment_grant_id"), ["grant_id"], unique=False)

    op.create_table(
        "inspection_item",
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_item_inspection_id_inspection"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["checklist_item.id"],
            name=op.f("fk_inspection_item_item_id_checklist_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_item")),
        sa.UniqueConstraint("uuid", name=op.f("uq_inspection_item_uuid")),
    )
    with op.batch_alter_table("inspection_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_item_inspection_id"), ["inspection_id"], unique=False
        )

    _seed_checklists()


def _seed_checklists() -> None:
    from unionsdesk.db.models import new_uuid

    now = datetime.now().replace(microsecond=0)
    stamps = {"created_at": now, "updated_at": now, "created_by": "system", "version": 1}
    templates = sa.table(
        "checklist_template",
        *(sa.column(c) for c in ("id", "uuid", "name", "applies_to", "active", *stamps)),
    )
    items = sa.table(
        "checklist_item",
        *(sa.column(c) for c in ("uuid", "template_id", "position", "text", "active", *stamps)),
    )
    for n, (name, applies_to, texts) in enumerate(CHECKLISTS, 1):
        op.bulk_insert(
            templates,
            [{"id": n, "uuid": new_uuid(), "name": name, "applies_to": applies_to, "active": True,
              **stamps}],
        )  # fmt: skip
        if texts:
            op.bulk_insert(
                items,
                [{"uuid": new_uuid(), "template_id": n, "position": k, "text": t, "active": True,
                  **stamps} for k, t in enumerate(texts, 1)],
            )  # fmt: skip


def downgrade() -> None:
    raise NotImplementedError("UnionsDesk migrations only go forward; restore a backup instead")
