"""Request bodies of the API (responses are the services' dicts, documented per route)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TriageActionIn(_Body):
    action: Literal["acknowledge", "resolve", "escalate", "dismiss", "reopen"]
    reason: str | None = Field(None, description="Why; required to dismiss.")


class RefreshIn(_Body):
    as_of: datetime | None = Field(None, description="Rank as of this instant (UTC); default now.")


class ReviewIn(_Body):
    decision: Literal["confirm", "reject", "retag"]
    new_tag: str | None = Field(None, description="The tag to use instead; required to retag.")


class KeyIn(_Body):
    role: Literal["moderator", "researcher", "reporter", "admin"]
    name: str = Field("", max_length=120, description="Who or what uses the key; names the actor in audits.")
