"""Experiments through the real MLflow client: what `MlflowClient` and the fluent API read back."""

from __future__ import annotations

import time
import uuid

import mlflow
import pytest
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException

from conftest import requires_mlflow3


def test_default_experiment_exists(client):
    default = client.get_experiment("0")
    assert (default.experiment_id, default.name, default.lifecycle_stage) == ("0", "Default", "active")
    assert client.get_experiment_by_name("Default").experiment_id == "0"


def test_create_and_read_back_by_id_and_name(client, name):
    before = int(time.time() * 1000)
    exp_id = client.create_experiment(name, tags={"team": "ml", "empty": ""})
    after = int(time.time() * 1000)

    assert isinstance(exp_id, str) and exp_id.isdigit()
    exp = client.get_experiment(exp_id)
    assert exp.name == name
    assert exp.lifecycle_stage == "active"
    assert exp.tags == {"team": "ml", "empty": ""}
    assert exp.artifact_location == f"mlflow-artifacts:/{exp_id}"
    assert before <= exp.creation_time <= after
    assert exp.last_update_time == exp.creation_time
    assert client.get_experiment_by_name(name).experiment_id == exp_id


def test_unknown_experiment(client):
    assert client.get_experiment_by_name(f"missing-{uuid.uuid4().hex}") is None
    with pytest.raises(MlflowException) as e:
        client.get_experiment("987654321")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert "No Experiment with id=987654321 exists" in e.value.message


def test_duplicate_name_is_refused(client, name):
    client.create_experiment(name)
    with pytest.raises(MlflowException) as e:
        client.create_experiment(name)
    assert e.value.error_code == "RESOURCE_ALREADY_EXISTS"


def test_set_experiment_creates_once_then_reuses(reprise, name):
    created = mlflow.set_experiment(name)
    again = mlflow.set_experiment(name)
    assert created.experiment_id == again.experiment_id
    assert again.name == name
    by_id = mlflow.set_experiment(experiment_id=created.experiment_id)
    assert by_id.name == name


def test_rename(client, name):
    exp_id = client.create_experiment(name)
    client.rename_experiment(exp_id, name + "-renamed")
    assert client.get_experiment(exp_id).name == name + "-renamed"
    assert client.get_experiment_by_name(name) is None


def test_delete_and_restore_cascade_to_runs(client, experiment_id):
    run = client.create_run(experiment_id)
    client.delete_experiment(experiment_id)

    assert client.get_experiment(experiment_id).lifecycle_stage == "deleted"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    with pytest.raises(MlflowException) as e:
        client.create_run(experiment_id)
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"

    client.restore_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == "active"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"


def test_experiment_tags(client, experiment_id):
    client.set_experiment_tag(experiment_id, "stage", "dev")
    client.set_experiment_tag(experiment_id, "stage", "prod")
    assert client.get_experiment(experiment_id).tags == {"stage": "prod"}


def test_fluent_experiment_tags(reprise, name):
    exp = mlflow.set_experiment(name)
    mlflow.set_experiment_tags({"a": "1", "b": "2"})
    assert mlflow.get_experiment(exp.experiment_id).tags == {"a": "1", "b": "2"}


@requires_mlflow3("MlflowClient.delete_experiment_tag")
def test_delete_experiment_tag(client, experiment_id):
    client.set_experiment_tag(experiment_id, "a", "1")
    client.set_experiment_tag(experiment_id, "b", "2")
    client.delete_experiment_tag(experiment_id, "a")
    assert client.get_experiment(experiment_id).tags == {"b": "2"}
    with pytest.raises(MlflowException) as e:
        client.delete_experiment_tag(experiment_id, "a")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def _all_pages(client, **kwargs):
    """Every experiment, following next-page tokens the way a paging caller does."""
    seen, token = [], None
    while True:
        page = client.search_experiments(page_token=token, **kwargs)
        seen.extend(page)
        token = page.token
        if not token:
            return seen


def test_search_pages_cover_everything_exactly_once(client):
    prefix = f"page-{uuid.uuid4().hex[:8]}"
    created = []
    for i in range(5):
        created.append(client.create_experiment(f"{prefix}-{i}"))
        time.sleep(0.005)  # distinct creation times, so the default order is fully determined

    paged = _all_pages(client, max_results=2)
    ids = [e.experiment_id for e in paged]
    assert len(ids) == len(set(ids)), "an experiment appeared on two pages"
    assert set(created) <= set(ids)
    assert ids == [e.experiment_id for e in client.search_experiments(max_results=1000)]
    # newest first (creation_time DESC): the five come back in reverse order of creation
    positions = [ids.index(i) for i in created]
    assert positions == sorted(positions, reverse=True)


def test_search_page_size_and_token(client):
    for i in range(3):
        client.create_experiment(f"tok-{uuid.uuid4().hex[:8]}-{i}")
    first = client.search_experiments(max_results=2)
    assert len(first) == 2 and first.token
    second = client.search_experiments(max_results=2, page_token=first.token)
    assert {e.experiment_id for e in first}.isdisjoint(e.experiment_id for e in second)


def test_search_view_types(client, name):
    kept = client.create_experiment(name + "-kept")
    gone = client.create_experiment(name + "-gone")
    client.delete_experiment(gone)

    def ids(view):
        return {e.experiment_id for e in _all_pages(client, view_type=view, max_results=1000)}

    assert kept in ids(ViewType.ACTIVE_ONLY) and gone not in ids(ViewType.ACTIVE_ONLY)
    assert gone in ids(ViewType.DELETED_ONLY) and kept not in ids(ViewType.DELETED_ONLY)
    assert {kept, gone} <= ids(ViewType.ALL)


def test_fluent_search_experiments_follows_pages(client):
    prefix = f"fluent-{uuid.uuid4().hex[:8]}"
    created = {client.create_experiment(f"{prefix}-{i}") for i in range(3)}
    found = {e.experiment_id for e in mlflow.search_experiments(view_type=ViewType.ALL)}
    assert created <= found


@pytest.mark.needs_search
def test_search_experiments_by_name_filter(client):
    prefix = f"filt-{uuid.uuid4().hex[:8]}"
    wanted = {client.create_experiment(f"{prefix}-{i}") for i in range(2)}
    client.create_experiment(f"other-{prefix}")
    found = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'")
    assert {e.experiment_id for e in found} == wanted
