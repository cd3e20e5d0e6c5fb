"""The training walk-through notebook runs top to bottom on a trained home."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.paths import REPO
from tests.training.conftest import Trained

NOTEBOOK = REPO / "notebooks" / "training_walkthrough.ipynb"


def test_the_training_notebook_runs_on_a_trained_home(
    trained: Trained, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.setenv("HUOYAN_HOME", str(trained.home))  # the kernel inherits this environment
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    nbformat.write(notebook, tmp_path / NOTEBOOK.name)  # the executed copy, kept with the test
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 4  # the bar chart and the SHAP plots
    text = "".join(o.get("text", "") for o in outputs)
    assert "officials in scope" in text and "== tender" in text
