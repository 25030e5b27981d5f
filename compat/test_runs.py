"""Run lifecycle through the real MLflow client: create, read, update, terminate, delete, search."""

from __future__ import annotations

import re
import time

import mlflow
import pytest
from mlflow.entities import RunStatus, ViewType
from mlflow.exceptions import MlflowException

GENERATED_NAME = re.compile(r"^[a-z]+-[a-z]+-\d+$")


def test_fluent_run_with_explicit_name(experiment_id):
    with mlflow.start_run(experiment_id=experiment_id, run_name="explicit") as run:
        run_id = run.info.run_id
        assert run.info.run_name == "explicit"
        assert run.info.status == "RUNNING"
    finished = mlflow.get_run(run_id)
    assert finished.info.run_name == "explicit"
    assert finished.data.tags["mlflow.runName"] == "explicit"
    assert finished.info.status == "FINISHED"
    assert finished.info.end_time >= finished.info.start_time


def test_run_named_by_tag(client, experiment_id):
    run = client.create_run(experiment_id, tags={"mlflow.runName": "from-tag"})
    assert run.info.run_name == "from-tag"
    assert client.get_run(run.info.run_id).data.tags["mlflow.runName"] == "from-tag"


def test_generated_run_name(client, experiment_id):
    run = client.create_run(experiment_id)
    assert GENERATED_NAME.match(run.info.run_name), run.info.run_name
    assert client.get_run(run.info.run_id).data.tags["mlflow.runName"] == run.info.run_name


def test_conflicting_names_are_refused(client, experiment_id):
    with pytest.raises(MlflowException) as e:
        client.create_run(experiment_id, run_name="one", tags={"mlflow.runName": "two"})
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"


def test_created_run_fields(client, experiment_id):
    run = client.create_run(experiment_id, start_time=1234, tags={"mlflow.user": "alice", "k": "v"})
    info = client.get_run(run.info.run_id).info
    assert re.fullmatch(r"[0-9a-f]{32}", info.run_id)
    assert info.experiment_id == experiment_id
    assert info.start_time == 1234
    assert info.end_time is None
    assert info.status == "RUNNING"
    assert info.lifecycle_stage == "active"
    assert info.artifact_uri == f"{client.get_experiment(experiment_id).artifact_location}/{info.run_id}/artifacts"
    assert client.get_run(run.info.run_id).data.tags["k"] == "v"


def test_fluent_run_records_user_and_source(experiment_id):
    with mlflow.start_run(experiment_id=experiment_id) as run:
        pass
    got = mlflow.get_run(run.info.run_id)
    assert got.data.tags["mlflow.user"]
    assert got.info.user_id == got.data.tags["mlflow.user"]
    assert "mlflow.source.name" in got.data.tags


def test_unknown_run(client):
    with pytest.raises(MlflowException) as e:
        client.get_run("0123456789abcdef0123456789abcdef")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_failed_block_marks_run_failed(experiment_id):
    with pytest.raises(RuntimeError):
        with mlflow.start_run(experiment_id=experiment_id) as run:
            raise RuntimeError("training blew up")
    assert mlflow.get_run(run.info.run_id).info.status == "FAILED"


def test_set_terminated_and_update(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.update_run(run_id, name="renamed")
    renamed = client.get_run(run_id)
    assert renamed.info.run_name == "renamed"
    assert renamed.data.tags["mlflow.runName"] == "renamed"
    assert renamed.info.status == "RUNNING"

    client.set_terminated(run_id, status="KILLED", end_time=99999)
    info = client.get_run(run_id).info
    assert (info.status, info.end_time) == ("KILLED", 99999)


def test_delete_and_restore_run(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.delete_run(run_id)
    assert client.get_run(run_id).info.lifecycle_stage == "deleted"
    client.restore_run(run_id)
    assert client.get_run(run_id).info.lifecycle_stage == "active"


@pytest.mark.parametrize(
    "write",
    [
        lambda c, r: c.log_metric(r, "m", 1.0),
        lambda c, r: c.log_param(r, "p", "v"),
        lambda c, r: c.set_tag(r, "t", "v"),
        lambda c, r: c.delete_tag(r, "mlflow.runName"),
        lambda c, r: c.log_batch(r, params=[mlflow.entities.Param("p", "v")]),
        lambda c, r: c.set_terminated(r),
    ],
    ids=["log_metric", "log_param", "set_tag", "delete_tag", "log_batch", "set_terminated"],
)
def test_writes_to_a_deleted_run_fail(client, experiment_id, write):
    run_id = client.create_run(experiment_id).info.run_id
    client.delete_run(run_id)
    with pytest.raises(MlflowException) as e:
        write(client, run_id)
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    assert f"The run {run_id} must be in the 'active' state" in e.value.message
    client.restore_run(run_id)
    write(client, run_id)  # the same write succeeds once the run is restored


def _runs_with_start_times(client, experiment_id, times):
    return {t: client.create_run(experiment_id, start_time=t).info.run_id for t in times}


def test_search_runs_default_order_and_paging(client, experiment_id):
    ids = _runs_with_start_times(client, experiment_id, [1000, 3000, 2000, 5000, 4000])
    newest_first = [ids[t] for t in (5000, 4000, 3000, 2000, 1000)]

    pages, token = [], None
    while True:
        page = client.search_runs([experiment_id], max_results=2, page_token=token)
        pages.append([r.info.run_id for r in page])
        token = page.token
        if not token:
            break
    assert [run for page in pages for run in page] == newest_first
    assert [len(p) for p in pages[:3]] == [2, 2, 1]


def test_search_runs_view_types(client, experiment_id):
    kept = client.create_run(experiment_id).info.run_id
    gone = client.create_run(experiment_id).info.run_id
    client.delete_run(gone)

    def ids(view):
        return {r.info.run_id for r in client.search_runs([experiment_id], run_view_type=view)}

    assert ids(ViewType.ACTIVE_ONLY) == {kept}
    assert ids(ViewType.DELETED_ONLY) == {gone}
    assert ids(ViewType.ALL) == {kept, gone}


def test_search_runs_returns_run_data(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "loss", 0.5, step=1)
    client.log_param(run_id, "lr", "0.1")
    client.set_tag(run_id, "stage", "dev")
    (found,) = client.search_runs([experiment_id])
    assert found.data.metrics == {"loss": 0.5}
    assert found.data.params == {"lr": "0.1"}
    assert found.data.tags["stage"] == "dev"


def test_fluent_search_runs_as_list(experiment_id):
    with mlflow.start_run(experiment_id=experiment_id, run_name="listed") as run:
        mlflow.log_param("p", "1")
    runs = mlflow.search_runs(experiment_ids=[experiment_id], output_format="list")
    assert [(r.info.run_id, r.info.run_name, r.data.params) for r in runs] == [(run.info.run_id, "listed", {"p": "1"})]


def test_search_runs_in_several_experiments(client, name):
    a = client.create_experiment(name + "-a")
    b = client.create_experiment(name + "-b")
    run_a = client.create_run(a, start_time=1).info.run_id
    run_b = client.create_run(b, start_time=2).info.run_id
    assert [r.info.run_id for r in client.search_runs([a, b])] == [run_b, run_a]


@pytest.mark.needs_search
def test_search_runs_order_by_and_filter(client, experiment_id):
    ids = _runs_with_start_times(client, experiment_id, [1000, 2000, 3000])
    for t, run_id in ids.items():
        client.log_metric(run_id, "acc", t / 10000)
    ascending = client.search_runs([experiment_id], order_by=["metrics.acc ASC"])
    assert [r.info.run_id for r in ascending] == [ids[1000], ids[2000], ids[3000]]
    good = client.search_runs([experiment_id], filter_string="metrics.acc > 0.15")
    assert {r.info.run_id for r in good} == {ids[2000], ids[3000]}


def test_run_times_are_milliseconds(client, experiment_id):
    before = int(time.time() * 1000)
    run = client.create_run(experiment_id)
    after = int(time.time() * 1000)
    assert before <= run.info.start_time <= after
    client.set_terminated(run.info.run_id, RunStatus.to_string(RunStatus.FINISHED))
    end = client.get_run(run.info.run_id).info.end_time
    assert run.info.start_time <= end <= int(time.time() * 1000)
