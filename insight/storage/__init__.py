"""Storage: SQLAlchemy engine, tables, migrations and typed repository functions."""
