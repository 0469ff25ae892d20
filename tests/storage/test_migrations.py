from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from insight.storage.db import downgrade_schema, make_engine, upgrade_schema
from insight.storage.schema import metadata


def test_migrations_build_exactly_the_tables(db_settings) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_settings)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert {"posts", "members", "threads", "signals", "topics", "triage_items", "runs"} <= set(
        inspect(engine).get_table_names())


def test_migrations_downgrade_and_upgrade_again(db_settings) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_settings)
    downgrade_schema(engine, "base")
    assert "posts" not in inspect(engine).get_table_names()
    upgrade_schema(engine)
    assert "posts" in inspect(engine).get_table_names()
