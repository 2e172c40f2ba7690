"""import_batch.prior_values: what a member import changed, so it can be undone

The member import fills in people already on the register (someone who left an
earlier union comes back in a new roster). To undo such an import the program
must put their details back as they were; this column keeps them (JSON). A
batch imported before this revision has none and cannot be undone.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prior_values", sa.Text(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("UnionsDesk migrations only go forward; restore a backup instead")
