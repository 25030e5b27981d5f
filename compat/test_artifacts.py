"""Artifacts through the server's proxy (mlflow-artifacts:/ URIs), with the real MLflow client."""

from __future__ import annotations

from pathlib import Path

import mlflow
import pytest
from mlflow.exceptions import MlflowException
from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

from conftest import requires_mlflow3


@pytest.fixture
def run_with_artifacts(client, experiment_id, tmp_path):
    """A run holding my.file at its root and dir/{a.txt, sub/b.bin}."""
    run_id = client.create_run(experiment_id).info.run_id
    single = tmp_path / "my.file"
    single.write_text("hello artifacts\n")
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "a.txt").write_text("alpha")
    (tree / "sub" / "b.bin").write_bytes(bytes(range(256)) * 4)
    client.log_artifact(run_id, str(single))
    client.log_artifacts(run_id, str(tree), artifact_path="dir")
    return run_id


def _listing(client, run_id, path=None):
    return {(f.path, f.is_dir, f.file_size) for f in client.list_artifacts(run_id, path)}


def test_run_artifact_uri_goes_through_the_proxy(client, experiment_id):
    run = client.create_run(experiment_id)
    assert run.info.artifact_uri == f"mlflow-artifacts:/{experiment_id}/{run.info.run_id}/artifacts"


def test_list_root_and_subdirectories(client, run_with_artifacts):
    run_id = run_with_artifacts
    assert _listing(client, run_id) == {("my.file", False, 16), ("dir", True, None)}
    assert _listing(client, run_id, "dir") == {("dir/a.txt", False, 5), ("dir/sub", True, None)}
    assert _listing(client, run_id, "dir/sub") == {("dir/sub/b.bin", False, 1024)}


def test_empty_run_lists_nothing(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    assert client.list_artifacts(run_id) == []


def test_download_file_and_directory(client, run_with_artifacts, tmp_path):
    run_id = run_with_artifacts
    (tmp_path / "one").mkdir()
    (tmp_path / "all").mkdir()
    file_path = Path(client.download_artifacts(run_id, "my.file", str(tmp_path / "one")))
    assert file_path.read_text() == "hello artifacts\n"

    dir_path = Path(client.download_artifacts(run_id, "dir", str(tmp_path / "all")))
    assert (dir_path / "a.txt").read_text() == "alpha"
    assert (dir_path / "sub" / "b.bin").read_bytes() == bytes(range(256)) * 4


def test_fluent_text_and_dict_artifacts(experiment_id):
    with mlflow.start_run(experiment_id=experiment_id) as run:
        mlflow.log_text("some notes", "notes/readme.txt")
        mlflow.log_dict({"layers": [64, 32]}, "config.json")
    uri = run.info.artifact_uri
    assert mlflow.artifacts.load_text(f"{uri}/notes/readme.txt") == "some notes"
    assert mlflow.artifacts.load_dict(f"{uri}/config.json") == {"layers": [64, 32]}


def test_download_with_runs_uri(run_with_artifacts, tmp_path):
    local = mlflow.artifacts.download_artifacts(f"runs:/{run_with_artifacts}/dir/a.txt", dst_path=str(tmp_path))
    assert Path(local).read_text() == "alpha"


def test_delete_through_the_proxy(client, run_with_artifacts):
    run_id = run_with_artifacts
    repo = get_artifact_repository(client.get_run(run_id).info.artifact_uri)
    repo.delete_artifacts("dir/sub")
    assert _listing(client, run_id, "dir") == {("dir/a.txt", False, 5)}
    repo.delete_artifacts("my.file")
    assert _listing(client, run_id) == {("dir", True, None)}


def test_missing_artifact_download_fails(client, experiment_id, tmp_path):
    run_id = client.create_run(experiment_id).info.run_id
    with pytest.raises(MlflowException) as e:
        client.download_artifacts(run_id, "nope.txt", str(tmp_path))
    # 3.x words it itself; 2.x passes on the proxy's 404 answer
    assert "nope.txt" in e.value.message


@requires_mlflow3("logged models")
def test_no_logged_models(client, experiment_id):
    # The 3.x client's list_artifacts also searches logged models; the server has none to offer.
    assert list(client.search_logged_models([experiment_id])) == []
    with pytest.raises(MlflowException) as e:
        client.get_logged_model("m-0123456789abcdef0123456789abcdef")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
