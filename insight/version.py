"""The package version: one place, read by the facade, the report's run record and packaging."""

__version__ = "0.1.0"
