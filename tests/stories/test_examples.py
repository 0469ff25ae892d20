"""Example files: bad rows are reported with their line and good rows go on; no good row is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.errors import InputError
from insight.stories.examples import read_examples
from insight.stories.taxonomy import load_taxonomy
from tests.support.stories import DEMO_TAXONOMY

pytestmark = pytest.mark.slow


def test_examples_bad_rows_are_reported_and_good_rows_go_on(tmp_path: Path) -> None:
    path = tmp_path / "seeds.jsonl"
    path.write_text('{"text": "A fine story about a mentor.", "tags": ["mentor_guidance"]}\n'
                    '{"text": "Unknown tag", "tags": ["nope"]}\n{"text": ""}\nnot json\n')
    examples, rejects = read_examples(path, load_taxonomy(DEMO_TAXONOMY).ids)
    assert [e.tags for e in examples] == [("mentor_guidance",)]
    assert [r.line for r in rejects] == [2, 3, 4]
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"text": "x", "tags": ["nope"]}\n')
    with pytest.raises(InputError) as err:
        read_examples(empty, ["mentor_guidance"])
    assert err.value.code == "E633"
