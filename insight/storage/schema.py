"""Every ORM table on one metadata: what the migrations build and are compared with."""

from __future__ import annotations

from insight.storage import (
    analysis_tables,  # noqa: F401  (registers its tables on Base.metadata)
    privacy_tables,  # noqa: F401  (issue 19: member privacy tables)
)
from insight.storage.tables import Base

metadata = Base.metadata
