"""Database engine and schema upgrades: SQLite by default, PostgreSQL by URL.

``make_engine(settings)`` builds an engine (creating the SQLite file's folder on first use)
and brings the schema to the newest migration, so every command works on a fresh machine.
``session_scope(engine)`` is the transaction the services open and hand to the storage modules;
``share_between_writers`` readies a SQLite file for the API and its scoring workers at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from insight.config import Settings
from insight.errors import StorageError


def _enable_sqlite_foreign_keys(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(settings: Settings, *, upgrade: bool = True) -> Engine:
    """An engine for the configured database, migrated to the newest schema.

    Raises:
        StorageError: E401 when the database cannot be opened.
    """
    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        if upgrade:
            upgrade_schema(engine)
    except SQLAlchemyError as exc:
        raise StorageError("E401", url=engine.url.render_as_string(hide_password=True) if "engine" in dir() else url,
                           detail=str(exc).splitlines()[0]) from None
    return engine


def share_between_writers(engine: Engine) -> Engine:
    """Let several writers (the API, scoring workers) share a SQLite file: WAL journal, and waiting
    for locks instead of failing. Other databases are returned as they are."""
    if engine.dialect.name == "sqlite":
        def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        event.listen(engine, "connect", _pragmas)
        engine.dispose()  # connections opened before the listener get the pragmas too
    return engine


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("insight.storage") / "migrations"))
    return cfg


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` on ``engine``."""
    cfg = _alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def downgrade_schema(engine: Engine, revision: str = "base") -> None:
    cfg = _alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
