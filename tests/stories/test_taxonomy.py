from __future__ import annotations

from pathlib import Path

import pytest

from insight.errors import InputError
from insight.stories.taxonomy import TagMapping, load_taxonomy, parse_taxonomy, tag_mappings
from tests.support.stories import DEMO_TAXONOMY


def _tax(version: str, *tags: dict, retired: list | None = None):  # type: ignore[no-untyped-def]
    data = {"version": version, "tags": [{"name": t["id"].title(), "description": "d", **t} for t in tags]}
    if retired:
        data["retired"] = retired
    return parse_taxonomy(data)


def test_taxonomy_loads_the_product_format() -> None:
    tax = load_taxonomy(DEMO_TAXONOMY)
    assert tax.version == "2026-11"
    assert tax.ids == ("mentor_guidance", "peer_answer_saved_deal", "bug_fixed_together", "event_collaboration",
                       "left_waiting")
    assert tax.tag("left_waiting").valence == "friction"  # type: ignore[union-attr]  # the demo's friction tag
    assert tax.tag("mentor_guidance").kpis == ("time_to_first_value", "activation_rate")  # type: ignore[union-attr]
    assert tax.tag("mentor_guidance").valence == "mechanism"  # type: ignore[union-attr]  # the default


def test_valence_round_trips_and_leaves_mechanism_hashes_as_they_were() -> None:
    plain = _tax("1", {"id": "helped"})
    assert "valence" not in plain.as_dict()["tags"][0]  # stored before valence existed: same hash
    friction = _tax("1", {"id": "stuck", "valence": "friction"})
    assert friction.as_dict()["tags"][0]["valence"] == "friction"
    assert type(friction).from_dict(friction.as_dict()) == friction
    assert friction.content_hash() != _tax("1", {"id": "stuck"}).content_hash()


@pytest.mark.parametrize(("text", "where"), [
    ('version = "1"\n[[tags]]\nid = "Bad Id"\nname = "x"\ndescription = "y"\n', "tags[0].id"),
    ('version = "1"\n[[tags]]\nid = "ok"\nname = "x"\n', "tags[0].description"),
    ('version = "1"\n', "[[tags]]"),
    ('[[tags]]\nid = "ok"\nname = "x"\ndescription = "y"\n', "version"),
    ('version = "1"\n[[tags]]\nid = "ok"\nname = "x"\ndescription = "y"\nkpi = ["a"]\n', "tags[0]"),
    ('version = "1\n', "the file"),
    ('version = "1"\n[[tags]]\nid = "ok"\nname = "x"\ndescription = "y"\nvalence = "sad"\n', "tags[0].valence"),
])
def test_taxonomy_invalid_file_names_where(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "tax.toml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_taxonomy(path)
    assert err.value.code == "E631" and where in err.value.message


def test_taxonomy_mappings_cover_rename_merge_split_retire_keep() -> None:
    old = _tax("1", {"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}, {"id": "e"}, {"id": "f"})
    new = _tax("2", {"id": "a"}, {"id": "b2", "replaces": ["b"]}, {"id": "cd", "replaces": ["c", "d"]},
               {"id": "e1", "replaces": ["e"]}, {"id": "e2", "replaces": ["e"]}, retired=[{"id": "f"}])
    maps = set(tag_mappings(old, new))
    assert maps == {TagMapping("a", "a", "keep"), TagMapping("b", "b2", "rename"), TagMapping("c", "cd", "merge"),
                    TagMapping("d", "cd", "merge"), TagMapping("e", "e1", "split"), TagMapping("e", "e2", "split"),
                    TagMapping("f", None, "retire")}


def test_taxonomy_dropping_a_tag_silently_is_refused() -> None:
    with pytest.raises(InputError) as err:
        tag_mappings(_tax("1", {"id": "a"}, {"id": "b"}), _tax("2", {"id": "a"}))
    assert err.value.code == "E632" and "b" in err.value.message
