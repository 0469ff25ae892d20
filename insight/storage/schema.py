"""Every ORM table on one metadata: what the migrations build and are compared with."""

from __future__ import annotations

from insight.storage import (  # noqa: F401  (each registers its tables on Base.metadata)
    alert_tables,  # issue 18: alert jobs
    analysis_tables,
    business_tables,  # issue 20: accounts, links, touchpoints, outcomes, support costs
    moderation_tables,  # issue 18: queue state, notes, undo
    privacy_tables,  # issue 19: persons, identity links, consent history, privacy audit
)
from insight.storage.tables import Base

metadata = Base.metadata
