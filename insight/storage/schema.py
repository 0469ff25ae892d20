"""Every ORM table on one metadata: what the migrations build and are compared with."""

from __future__ import annotations

from insight.storage import (
    alert_tables,  # noqa: F401  (issue 18: alert jobs)
    analysis_tables,  # noqa: F401  (registers its tables on Base.metadata)
)
from insight.storage.tables import Base

metadata = Base.metadata
