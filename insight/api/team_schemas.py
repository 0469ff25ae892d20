"""Request bodies of a team's working day (issue 18): queue assign, notes, snooze, bulk, undo, and
taxonomy changes, one model per change so the OpenAPI document says what each one needs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

TagId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,79}$", description="lower_snake_case tag id")]
Words = Annotated[str, Field(min_length=1, max_length=2000, pattern=r"\S")]
RowIds = Annotated[list[Annotated[int, Field(ge=1, le=2**31 - 1)]], Field(min_length=1, max_length=500)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignIn(_Body):
    assignee: str | None = Field(None, max_length=120, pattern=r"^[^\n\r\t]*$",
                                 description="A moderator's name; empty or null unassigns.")
    claim: bool = Field(False, description="Assign to the caller (the key's name).")


class NoteIn(_Body):
    text: Words = Field(description="Redacted before it is stored and shown.")


class SnoozeIn(_Body):
    until: datetime = Field(description="When the item comes back (UTC unless a zone is given); new evidence "
                                        "brings it back earlier. A time already past is refused (E624, 409).")


class BulkIn(_Body):
    item_ids: RowIds
    action: Literal["acknowledge", "resolve", "escalate", "reopen"]
    reason: str | None = Field(None, max_length=2000)


class BulkDismissIn(_Body):
    item_ids: RowIds
    action: Literal["dismiss"]
    reason: Words = Field(description="Why these are not problems (a dismissal is a label).")


class UndoIn(_Body):
    action_ids: RowIds = Field(description="Audit row ids, each the latest action on its item.")


class Part(_Body):
    id: TagId
    name: Words
    description: Words
    kpis: list[Annotated[str, Field(max_length=80)]] | None = Field(None, max_length=20)


class AddTag(Part):
    op: Literal["add"]


class EditTag(_Body):
    op: Literal["edit"]
    tag: TagId
    name: Words | None = None
    description: Words | None = None
    kpis: list[Annotated[str, Field(max_length=80)]] | None = Field(None, max_length=20)


class RenameTag(_Body):
    op: Literal["rename"]
    tag: TagId
    new_id: TagId
    name: Words | None = None


class MergeTags(_Body):
    op: Literal["merge"]
    tags: list[TagId] = Field(min_length=2, max_length=20)
    into: TagId | None = None
    name: Words | None = None
    description: Words | None = None


class SplitTag(_Body):
    op: Literal["split"]
    tag: TagId
    parts: list[Part] = Field(min_length=2, max_length=20)


class RetireTag(_Body):
    op: Literal["retire"]
    tag: TagId
    reason: Words


TaxonomyChange = Annotated[AddTag | EditTag | RenameTag | MergeTags | SplitTag | RetireTag, Field(discriminator="op")]
