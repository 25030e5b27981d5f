"""Logged models through the real MLflow client: 3.x's `log_model` creates a logged model (its own
id, artifact folder and status) that `load_model` finds by `models:/<id>` or `runs:/<run>/<name>`;
2.x clients record the model on the run instead (runs/log-model), which must keep working."""

from __future__ import annotations

from pathlib import Path

import mlflow
import pytest
from mlflow.exceptions import MlflowException

from conftest import MLFLOW_MAJOR, requires_mlflow3

pytestmark = requires_mlflow3("logged models (mlflow.create_external_model, search_logged_models, ...)")


class Doubler(mlflow.pyfunc.PythonModel if MLFLOW_MAJOR >= 3 else object):
    def predict(self, context, model_input, params=None):
        return [x * 2 for x in model_input]


@pytest.fixture
def experiment(reprise, name):
    mlflow.set_tracking_uri(reprise.url)
    exp = mlflow.set_experiment(name)
    return exp.experiment_id


def test_pyfunc_log_model_then_load_by_model_id_and_by_run(experiment):
    with mlflow.start_run() as run:
        mlflow.log_param("alpha", "0.5")
        info = mlflow.pyfunc.log_model(name="model", python_model=Doubler(), step=7)

    assert info.model_id.startswith("m-") and len(info.model_id) == 34
    assert info.model_uri == f"models:/{info.model_id}"
    assert info.artifact_path == f"mlflow-artifacts:/{experiment}/models/{info.model_id}/artifacts"
    assert mlflow.pyfunc.load_model(info.model_uri).predict([1, 2]) == [2, 4]
    assert mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model").predict([5]) == [10]

    model = mlflow.get_logged_model(info.model_id)
    assert (model.name, model.source_run_id, model.experiment_id) == ("model", run.info.run_id, experiment)
    assert str(model.status) == "READY"
    assert model.params["alpha"] == "0.5"  # the client copies the run's params to the model
    outputs = mlflow.MlflowClient().get_run(run.info.run_id).outputs.model_outputs
    assert [(o.model_id, o.step) for o in outputs] == [(info.model_id, 7)]


def test_model_artifacts_are_listed_and_downloaded(experiment, tmp_path):
    with mlflow.start_run():
        info = mlflow.pyfunc.log_model(name="model", python_model=Doubler())
    local = Path(mlflow.artifacts.download_artifacts(info.model_uri, dst_path=str(tmp_path)))
    assert (local / "MLmodel").is_file()
    assert "python_function" in (local / "MLmodel").read_text()
    listed = {f.path for f in mlflow.MlflowClient().list_logged_model_artifacts(info.model_id)}
    assert {"MLmodel", "python_model.pkl", "requirements.txt"} <= listed


def test_search_tags_finalize_and_delete(experiment):
    client = mlflow.MlflowClient()
    a = mlflow.initialize_logged_model(name="first", tags={"team": "red"}, params={"lr": "0.1"})
    b = mlflow.initialize_logged_model(name="second", model_type="agent")
    assert str(a.status) == "PENDING"

    found = mlflow.search_logged_models(experiment_ids=[experiment], output_format="list")
    assert [m.name for m in found] == ["second", "first"]
    by_param = mlflow.search_logged_models(
        experiment_ids=[experiment], filter_string="params.lr = '0.1'", output_format="list"
    )
    assert [m.model_id for m in by_param] == [a.model_id]
    frame = mlflow.search_logged_models(experiment_ids=[experiment], order_by=[{"field_name": "name"}])
    assert list(frame["name"]) == ["first", "second"]

    mlflow.set_logged_model_tags(a.model_id, {"stage": "dev"})
    client.delete_logged_model_tag(a.model_id, "team")
    tags = mlflow.get_logged_model(a.model_id).tags
    assert tags["stage"] == "dev" and "team" not in tags
    assert tags["mlflow.user"]  # the client adds its source tags on creation

    failed = client.finalize_logged_model(b.model_id, mlflow.entities.LoggedModelStatus.FAILED)
    assert str(failed.status) == "FAILED"
    ready = mlflow.search_logged_models(
        experiment_ids=[experiment], filter_string="status = 'FAILED'", output_format="list"
    )
    assert [m.model_id for m in ready] == [b.model_id]

    client.delete_logged_model(a.model_id)
    with pytest.raises(MlflowException, match="not found") as err:
        mlflow.get_logged_model(a.model_id)
    assert err.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    left = mlflow.search_logged_models(experiment_ids=[experiment], output_format="list")
    assert [m.model_id for m in left] == [b.model_id]


def test_bad_model_name_is_a_clear_client_error(experiment):
    with pytest.raises(MlflowException, match="Invalid model name") as err:
        mlflow.initialize_logged_model(name="a/b")
    assert err.value.error_code == "INVALID_PARAMETER_VALUE"


def test_metrics_logged_for_a_model_show_on_it_and_can_be_searched(experiment):
    with mlflow.start_run():
        first = mlflow.pyfunc.log_model(name="first", python_model=Doubler())
        second = mlflow.pyfunc.log_model(name="second", python_model=Doubler())
        mlflow.log_metric("acc", 0.6, model_id=first.model_id)
        mlflow.log_metrics({"acc": 0.9}, model_id=second.model_id)

    metrics = mlflow.get_logged_model(first.model_id).metrics
    assert [(m.key, m.value, m.model_id) for m in metrics] == [("acc", 0.6, first.model_id)]
    best = mlflow.search_logged_models(
        experiment_ids=[experiment],
        filter_string="metrics.acc > 0.5",
        order_by=[{"field_name": "metrics.acc", "ascending": False}],
        output_format="list",
    )
    assert [m.model_id for m in best] == [second.model_id, first.model_id]
