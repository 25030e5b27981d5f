"""Metrics, params, tags and batches through the real MLflow client, read back as a user would."""

from __future__ import annotations

import math

import mlflow
import pytest
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

MAX_DOUBLE = 1.7976931348623157e308


@pytest.fixture
def run_id(client, experiment_id):
    return client.create_run(experiment_id).info.run_id


def history(client, run_id, key):
    return [(m.value, m.timestamp, m.step) for m in client.get_metric_history(run_id, key)]


def test_metric_round_trip(client, run_id):
    client.log_metric(run_id, "loss", 0.25, timestamp=1000, step=3)
    (m,) = client.get_metric_history(run_id, "loss")
    assert (m.key, m.value, m.timestamp, m.step) == ("loss", 0.25, 1000, 3)
    assert client.get_run(run_id).data.metrics == {"loss": 0.25}


def test_step_defaults_to_zero(client, run_id):
    client.log_metric(run_id, "x", 1.0, timestamp=5)
    assert history(client, run_id, "x") == [(1.0, 5, 0)]


def test_nan_and_infinities(client, run_id):
    client.log_metric(run_id, "nan", float("nan"), timestamp=1)
    client.log_metric(run_id, "pinf", float("inf"), timestamp=1)
    client.log_metric(run_id, "ninf", float("-inf"), timestamp=1)
    metrics = client.get_run(run_id).data.metrics
    assert math.isnan(metrics["nan"])
    assert metrics["pinf"] == MAX_DOUBLE
    assert metrics["ninf"] == -MAX_DOUBLE
    assert math.isnan(client.get_metric_history(run_id, "nan")[0].value)
    assert history(client, run_id, "pinf") == [(MAX_DOUBLE, 1, 0)]


def test_history_is_ordered_by_timestamp_then_step(client, run_id):
    for value, ts, step in [(3.0, 30, 0), (1.0, 10, 5), (2.0, 10, 1), (4.0, 20, -1)]:
        client.log_metric(run_id, "m", value, timestamp=ts, step=step)
    assert history(client, run_id, "m") == [(2.0, 10, 1), (1.0, 10, 5), (4.0, 20, -1), (3.0, 30, 0)]


def test_identical_points_collapse(client, run_id):
    for _ in range(3):
        client.log_metric(run_id, "dup", 7.0, timestamp=50, step=2)
    client.log_metric(run_id, "dup", 8.0, timestamp=50, step=2)
    assert history(client, run_id, "dup") == [(7.0, 50, 2), (8.0, 50, 2)]


def test_latest_value_is_the_one_with_the_highest_step(client, run_id):
    client.log_metric(run_id, "acc", 0.9, timestamp=100, step=1)
    client.log_metric(run_id, "acc", 0.5, timestamp=50, step=7)
    assert client.get_run(run_id).data.metrics["acc"] == 0.5


def test_unknown_metric_has_empty_history(client, run_id):
    assert client.get_metric_history(run_id, "never-logged") == []


def test_history_pages_at_the_store_level(client, run_id):
    client.log_batch(run_id, metrics=[Metric("p", float(i), i, i) for i in range(7)])
    store = client._tracking_client.store
    first = store.get_metric_history(run_id, "p", max_results=3)
    assert [m.value for m in first] == [0.0, 1.0, 2.0] and first.token
    second = store.get_metric_history(run_id, "p", max_results=3, page_token=first.token)
    third = store.get_metric_history(run_id, "p", max_results=3, page_token=second.token)
    assert [m.value for m in second] == [3.0, 4.0, 5.0]
    assert [m.value for m in third] == [6.0] and third.token is None


def test_client_follows_history_pages(client, run_id, monkeypatch):
    # The client asks for pages of 25000 points; a small page size makes it page through 10 points.
    import mlflow.tracking._tracking_service.client as tracking_client

    monkeypatch.setattr(tracking_client, "GET_METRIC_HISTORY_MAX_RESULTS", 4)
    client.log_batch(run_id, metrics=[Metric("paged", float(i), 100 + i, i) for i in range(10)])
    assert [m.step for m in client.get_metric_history(run_id, "paged")] == list(range(10))


def test_fluent_logging(experiment_id):
    with mlflow.start_run(experiment_id=experiment_id) as run:
        mlflow.log_metric("acc", 0.5, step=1)
        mlflow.log_metrics({"a": 1.0, "b": 2.0}, step=2)
        mlflow.log_param("lr", 0.01)
        mlflow.log_params({"layers": 3, "act": "relu"})
        mlflow.set_tag("stage", "dev")
        mlflow.set_tags({"x": "1", "y": "2"})
    data = mlflow.get_run(run.info.run_id).data
    assert data.metrics == {"acc": 0.5, "a": 1.0, "b": 2.0}
    assert data.params == {"lr": "0.01", "layers": "3", "act": "relu"}
    assert {k: data.tags[k] for k in ("stage", "x", "y")} == {"stage": "dev", "x": "1", "y": "2"}


def test_param_same_value_is_idempotent(client, run_id):
    client.log_param(run_id, "lr", "0.1")
    client.log_param(run_id, "lr", "0.1")
    assert client.get_run(run_id).data.params == {"lr": "0.1"}


def test_changing_a_param_is_refused(client, run_id):
    client.log_param(run_id, "lr", "0.1")
    with pytest.raises(MlflowException) as e:
        client.log_param(run_id, "lr", "0.2")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "Changing param values is not allowed" in e.value.message
    assert client.get_run(run_id).data.params == {"lr": "0.1"}


def test_param_values_empty_long_and_truncated(client, run_id):
    client.log_param(run_id, "empty", "")
    client.log_param(run_id, "max", "a" * 6000)
    client.log_batch(run_id, params=[Param("over", "b" * 6001)])
    params = client.get_run(run_id).data.params
    assert params["empty"] == ""
    assert params["max"] == "a" * 6000
    assert params["over"] == "b" * 6000


def test_fluent_log_param_truncates_long_values(experiment_id):
    with mlflow.start_run(experiment_id=experiment_id) as run:
        mlflow.log_param("long", "c" * 6001)
    assert mlflow.get_run(run.info.run_id).data.params["long"] == "c" * 6000


def test_invalid_key_is_refused(client, run_id):
    with pytest.raises(MlflowException) as e:
        client.log_metric(run_id, "bad!key", 1.0)
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "Names may only contain alphanumerics" in e.value.message


def test_tags_overwrite_and_delete(client, run_id):
    client.set_tag(run_id, "stage", "dev")
    client.set_tag(run_id, "stage", "prod")
    client.set_tag(run_id, "empty", "")
    tags = client.get_run(run_id).data.tags
    assert (tags["stage"], tags["empty"]) == ("prod", "")
    client.delete_tag(run_id, "stage")
    assert "stage" not in client.get_run(run_id).data.tags
    with pytest.raises(MlflowException) as e:
        client.delete_tag(run_id, "stage")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_setting_the_run_name_tag_renames_the_run(client, run_id):
    client.set_tag(run_id, "mlflow.runName", "via-tag")
    assert client.get_run(run_id).info.run_name == "via-tag"


def test_batch_of_1000_metrics(client, run_id):
    client.log_batch(run_id, metrics=[Metric("many", float(i), 1000 + i, i) for i in range(1000)])
    points = client.get_metric_history(run_id, "many")
    assert [m.step for m in points] == list(range(1000))
    assert client.get_run(run_id).data.metrics["many"] == 999.0


def test_client_splits_batches_over_the_limit(client, run_id):
    # MlflowClient chunks big batches itself, so 1001 metrics and 150 params all arrive.
    client.log_batch(
        run_id,
        metrics=[Metric("split", float(i), i, i) for i in range(1001)],
        params=[Param(f"p{i}", "v") for i in range(150)],
    )
    assert len(client.get_metric_history(run_id, "split")) == 1001
    assert len(client.get_run(run_id).data.params) == 150


def test_server_enforces_batch_limits(client, run_id):
    # The REST store sends a batch as it is, so the server's own limits show.
    store = client._tracking_client.store
    with pytest.raises(MlflowException) as e:
        store.log_batch(run_id, metrics=[Metric("m", 1.0, i, i) for i in range(1001)], params=[], tags=[])
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "A batch logging request can contain at most 1000 metrics" in e.value.message
    with pytest.raises(MlflowException) as e:
        store.log_batch(run_id, metrics=[], params=[Param(f"p{i}", "v") for i in range(101)], tags=[])
    assert "at most 100 params" in e.value.message
    with pytest.raises(MlflowException) as e:
        store.log_batch(
            run_id,
            metrics=[Metric("m", 1.0, i, i) for i in range(950)],
            params=[Param(f"p{i}", "v") for i in range(51)],
            tags=[],
        )
    assert "at most 1000 metrics, params, and tags" in e.value.message
    data = client.get_run(run_id).data
    assert data.metrics == {} and data.params == {}


def test_batch_with_duplicate_param_keys_writes_nothing(client, run_id):
    with pytest.raises(MlflowException) as e:
        client.log_batch(
            run_id,
            metrics=[Metric("m", 1.0, 1, 0)],
            params=[Param("dup", "1"), Param("dup", "2")],
            tags=[RunTag("t", "v")],
        )
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "Duplicate parameter keys have been submitted" in e.value.message
    data = client.get_run(run_id).data
    assert data.metrics == {} and data.params == {} and "t" not in data.tags


def test_batch_changing_a_param_writes_nothing(client, run_id):
    client.log_param(run_id, "kept", "1")
    with pytest.raises(MlflowException):
        client.log_batch(run_id, metrics=[Metric("m", 1.0, 1, 0)], params=[Param("kept", "2"), Param("new", "x")])
    data = client.get_run(run_id).data
    assert data.params == {"kept": "1"} and data.metrics == {}


def test_batch_tags_last_one_wins(client, run_id):
    client.log_batch(run_id, tags=[RunTag("t", "first"), RunTag("t", "second")])
    assert client.get_run(run_id).data.tags["t"] == "second"


def test_batch_to_unknown_run(client):
    with pytest.raises(MlflowException) as e:
        client.log_batch("0123456789abcdef0123456789abcdef", metrics=[Metric("m", 1.0, 1, 0)])
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
