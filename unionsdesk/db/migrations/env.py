"""Alembic environment: always run programmatically with a live connection."""

from alembic import context

from unionsdesk.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # SQLite's full-text index tables are made by hand in the migrations.
    include_name=lambda name, type_, _parent: (
        not (type_ == "table" and str(name).startswith("person_digits"))
    ),
)
with context.begin_transaction():
    context.run_migrations()
