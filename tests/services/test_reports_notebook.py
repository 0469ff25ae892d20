"""notebooks/01-kpi-readout.ipynb runs top to bottom on the demo (nbclient) and shows what it promises."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from tests.support.paths import REPO

NOTEBOOK = REPO / "notebooks" / "01-kpi-readout.ipynb"


def outputs(notebook: nbformat.NotebookNode) -> str:
    """Every text and SVG output of the executed notebook, joined."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            data = output.get("data", {})
            parts.extend(str(data.get(kind, "")) for kind in ("text/plain", "image/svg+xml"))
    return "\n".join(parts)


@pytest.mark.slow
def test_kpi_readout_notebook_runs_on_the_demo(demo_run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    summary, out, _ = demo_run
    monkeypatch.setenv("INSIGHT_DEMO_DB", summary["database"])
    monkeypatch.setenv("INSIGHT_DEMO_DIR", str(out))
    monkeypatch.setenv("INSIGHT_PERIOD", summary["period"])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "commit the notebook with its outputs stripped"
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}).execute()
    text = outputs(notebook)
    assert "story-metric pairs in" in text and "90-day retention" in text and "95% CI" in text
    assert "<svg" in text  # the KPI drawn with its interval
    for key in ("'uplift'", "'ci_low'", "'ci_high'", "'p_value'", "'n_per_arm'", "'method'"):
        assert key in text
