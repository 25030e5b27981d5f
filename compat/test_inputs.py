"""Dataset inputs of a run through the real MLflow client."""

from __future__ import annotations

import mlflow
import pytest
from mlflow.entities import Dataset, DatasetInput, InputTag


def _dataset(name="ds", digest="d1"):
    return Dataset(
        name=name,
        digest=digest,
        source_type="local",
        source='{"uri": "/data/train.csv"}',
        schema='{"mlflow_colspec": []}',
        profile='{"num_rows": 3}',
    )


def test_log_inputs_round_trip(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_inputs(run_id, [DatasetInput(_dataset(), [InputTag("mlflow.data.context", "training")])])

    (dataset_input,) = client.get_run(run_id).inputs.dataset_inputs
    d = dataset_input.dataset
    assert (d.name, d.digest, d.source_type, d.source) == ("ds", "d1", "local", '{"uri": "/data/train.csv"}')
    assert (d.schema, d.profile) == ('{"mlflow_colspec": []}', '{"num_rows": 3}')
    assert [(t.key, t.value) for t in dataset_input.tags] == [("mlflow.data.context", "training")]


def test_logging_the_same_dataset_twice_keeps_one(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    tags = [InputTag("mlflow.data.context", "training")]
    client.log_inputs(run_id, [DatasetInput(_dataset(), tags)])
    client.log_inputs(run_id, [DatasetInput(_dataset(), tags)])
    client.log_inputs(run_id, [DatasetInput(_dataset("other", "d2"), [])])
    names = sorted(i.dataset.name for i in client.get_run(run_id).inputs.dataset_inputs)
    assert names == ["ds", "other"]


def test_run_without_inputs_has_none(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    assert client.get_run(run_id).inputs.dataset_inputs == []


def test_inputs_appear_in_search_results(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_inputs(run_id, [DatasetInput(_dataset("searched", "d3"), [])])
    (found,) = client.search_runs([experiment_id])
    assert [i.dataset.name for i in found.inputs.dataset_inputs] == ["searched"]


def test_fluent_log_input_from_numpy(experiment_id):
    np = pytest.importorskip("numpy", reason="mlflow.data.from_numpy needs numpy, absent from this venv")
    features = np.arange(12, dtype="float64").reshape(4, 3)
    dataset = mlflow.data.from_numpy(features, source="/data/features.npy", name="features")
    with mlflow.start_run(experiment_id=experiment_id) as run:
        mlflow.log_input(dataset, context="training")

    (dataset_input,) = mlflow.get_run(run.info.run_id).inputs.dataset_inputs
    assert dataset_input.dataset.name == "features"
    assert dataset_input.dataset.digest == dataset.digest
    assert dataset_input.dataset.source_type == "local"
    assert {t.key: t.value for t in dataset_input.tags}["mlflow.data.context"] == "training"
    # the schema and profile MLflow computed travel through the server unchanged
    assert dataset_input.dataset.schema == dataset.to_dict()["schema"]
    assert dataset_input.dataset.profile == dataset.to_dict()["profile"]
