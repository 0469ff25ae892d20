from __future__ import annotations

import insight


def test_public_api_all_is_sorted_and_exported() -> None:
    assert insight.__all__ == sorted(insight.__all__)
    for name in insight.__all__:
        assert hasattr(insight, name), name
