"""Story taxonomies: the researcher's TOML, and how one version's tags carry over to the next.

Layout (PRODUCT.md, "Story taxonomy"), with two optional keys for changing a taxonomy::

    version = "2026-12"
    [[tags]]
    id = "mentor_guidance"
    name = "Mentor guided a newcomer"
    description = "A member or mentor guided a newcomer to their first success."
    kpis = ["time_to_first_value", "activation_rate"]
    replaces = ["mentoring"]          # rename: one old tag; merge: several; split: an old tag
                                      # listed under several new tags
    [[retired]]
    id = "old_tag"                    # stories keep it in their history; no new tag takes them
    reason = "folded into the onboarding survey"

A tag of the previous version that is kept (same id), replaced or retired is accounted for;
any other dropped tag is an error (E632), so nothing tagged is ever orphaned.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from insight.errors import InputError

_ID = re.compile(r"^[a-z][a-z0-9_]{0,79}$")
MappingKind = Literal["keep", "rename", "merge", "split", "retire"]
VALENCES: tuple[str, ...] = ("mechanism", "friction")


@dataclass(frozen=True)
class Tag:
    id: str
    name: str
    description: str
    kpis: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    # "mechanism": how things go right (the default); "friction": what gets in members' way. A report
    # illustrates a worsening KPI with a friction story and an improving one with a mechanism story.
    valence: str = "mechanism"

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["kpis"], out["replaces"] = list(self.kpis), list(self.replaces)
        if self.valence == "mechanism":
            del out["valence"]  # the default stays out, so taxonomies stored before valence hash the same
        return out


@dataclass(frozen=True)
class Taxonomy:
    version: str
    tags: tuple[Tag, ...]
    retired: tuple[dict[str, str], ...] = field(default_factory=tuple)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.tags)

    def tag(self, tag_id: str) -> Tag | None:
        return next((t for t in self.tags if t.id == tag_id), None)

    def content_hash(self) -> str:
        payload = {"version": self.version, "tags": [t.as_dict() for t in self.tags], "retired": list(self.retired)}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "tags": [t.as_dict() for t in self.tags], "retired": list(self.retired)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Taxonomy:
        tags = tuple(Tag(id=t["id"], name=t["name"], description=t["description"], kpis=tuple(t.get("kpis", ())),
                         replaces=tuple(t.get("replaces", ())), valence=t.get("valence", "mechanism"))
                     for t in data["tags"])
        return cls(version=data["version"], tags=tags, retired=tuple(data.get("retired", ())))


@dataclass(frozen=True)
class TagMapping:
    """Where the stories of ``from_tag`` (previous version) go: ``to_tag`` None means retired."""

    from_tag: str
    to_tag: str | None
    kind: MappingKind


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and validate a taxonomy TOML file.

    Raises:
        InputError: E601 when the file is missing, E631 when it is not a valid taxonomy.
    """
    if not path.exists():
        raise InputError("E601", path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError("E631", path=path, location="the file", detail=str(exc)) from None
    return parse_taxonomy(data, str(path))


def parse_taxonomy(data: dict[str, Any], source: str = "<taxonomy>") -> Taxonomy:
    """A Taxonomy from parsed TOML; raises E631 naming the first wrong key."""
    def bad(location: str, detail: str) -> InputError:
        return InputError("E631", path=source, location=location, detail=detail)

    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise bad("version", "a non-empty version string is required, e.g. version = \"2026-11\"")
    raw_tags = data.get("tags")
    if not isinstance(raw_tags, list) or not raw_tags:
        raise bad("[[tags]]", "at least one [[tags]] table is required")
    tags: list[Tag] = []
    for i, raw in enumerate(raw_tags):
        where = f"tags[{i}]"
        if not isinstance(raw, dict):
            raise bad(where, "each tag is a table")
        unknown = set(raw) - {"id", "name", "description", "kpis", "replaces", "valence"}
        if unknown:
            raise bad(where, f"unknown key(s) {sorted(unknown)}; use id, name, description, kpis, replaces, valence")
        if raw.get("valence", "mechanism") not in VALENCES:
            raise bad(f"{where}.valence", f"{raw['valence']!r}; use one of {', '.join(VALENCES)}")
        tag_id = raw.get("id")
        if not isinstance(tag_id, str) or not _ID.match(tag_id):
            raise bad(f"{where}.id", f"{tag_id!r} is not a lower_snake_case id")
        if tag_id in {t.id for t in tags}:
            raise bad(f"{where}.id", f"'{tag_id}' appears twice")
        for key in ("name", "description"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise bad(f"{where}.{key}", "a non-empty string is required")
        lists = {}
        for key in ("kpis", "replaces"):
            value = raw.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad(f"{where}.{key}", "a list of ids is required")
            lists[key] = tuple(value)
        tags.append(Tag(tag_id, raw["name"].strip(), raw["description"].strip(), lists["kpis"], lists["replaces"],
                        raw.get("valence", "mechanism")))
    retired = []
    for i, raw in enumerate(data.get("retired", [])):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise bad(f"retired[{i}]", "each retired entry needs an id")
        retired.append({"id": raw["id"], "reason": str(raw.get("reason", ""))})
    return Taxonomy(version=version.strip(), tags=tuple(tags), retired=tuple(retired))


def tag_mappings(previous: Taxonomy, new: Taxonomy) -> list[TagMapping]:
    """How every tag of ``previous`` carries over to ``new``.

    Raises:
        InputError: E632 when a previous tag is neither kept, replaced nor retired.
    """
    targets: dict[str, list[str]] = {}
    for tag in new.tags:
        for old in tag.replaces:
            targets.setdefault(old, []).append(tag.id)
    # A merge is several old tags into one new tag; a rename is one into one.
    sources: dict[str, list[str]] = {}
    for old, news in targets.items():
        for new_id in news:
            sources.setdefault(new_id, []).append(old)
    retired = {r["id"] for r in new.retired}
    out: list[TagMapping] = []
    missing = []
    for tag in previous.tags:
        if tag.id in targets:
            news = targets[tag.id]
            if len(news) > 1:
                out.extend(TagMapping(tag.id, n, "split") for n in news)
            else:
                kind: MappingKind = "merge" if len(sources[news[0]]) > 1 else "rename"
                out.append(TagMapping(tag.id, news[0], "keep" if news[0] == tag.id else kind))
        elif new.tag(tag.id) is not None:
            out.append(TagMapping(tag.id, tag.id, "keep"))
        elif tag.id in retired:
            out.append(TagMapping(tag.id, None, "retire"))
        else:
            missing.append(tag.id)
    if missing:
        raise InputError("E632", version=new.version, tags=", ".join(missing), previous=previous.version)
    return out
