"""Models the mlflow 2.x way: artifacts under the run, recorded with runs/log-model in the run's
`mlflow.log-model.history` tag. mlflow-skinny 2.x has no pyfunc (no numpy), so the MLmodel is
written with mlflow.models.Model, as every 2.x flavor's log_model does underneath."""

from __future__ import annotations

import json
from pathlib import Path

import mlflow
import pytest

from conftest import MLFLOW_MAJOR

pytestmark = pytest.mark.skipif(MLFLOW_MAJOR >= 3, reason="the 2.x client's way of logging models")


def test_model_logged_the_2x_way_is_recorded_and_downloadable(reprise, client, experiment_id, tmp_path):
    from mlflow.models import Model

    run_id = client.create_run(experiment_id).info.run_id
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    model = Model(artifact_path="model", run_id=run_id, flavors={"custom": {"version": "1"}})
    model.save(str(model_dir / "MLmodel"))
    client.log_artifacts(run_id, str(model_dir), "model")
    client._record_logged_model(run_id, model)

    history = json.loads(client.get_run(run_id).data.tags["mlflow.log-model.history"])
    assert [(h["artifact_path"], h["run_id"]) for h in history] == [("model", run_id)]
    assert "custom" in history[0]["flavors"]
    local = Path(mlflow.artifacts.download_artifacts(f"runs:/{run_id}/model", dst_path=str(tmp_path / "dl")))
    assert "custom" in (local / "MLmodel").read_text()
