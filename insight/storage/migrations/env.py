"""Alembic environment: runs migrations on the connection insight hands it."""

from __future__ import annotations

from alembic import context

from insight.storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - insight always passes a connection
    raise RuntimeError("insight migrations run through insight.storage.db.upgrade_schema()")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
