"""The team policy (reprise server --policy) as a data scientist meets it through the mlflow client."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import mlflow
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from servers import start_reprise

SHA = "0123456789abcdef0123456789abcdef01234567"
POLICY = """
rules:
  - name: sandbox
    experiments: "sandbox-*"
    mode: warn
    require:
      params: [seed]
  - name: team
    experiments: "team-*"
    mode: enforce
    require:
      tags:
        - {key: mlflow.source.git.commit, regex: "[0-9a-f]{40}", at: start}
        - {key: mlflow.user, at: start}
        - data_version
      params: [{key: seed, regex: "[0-9]+"}]
      artifacts: ["configs/*.yaml"]
      metrics: true
"""


@pytest.fixture(scope="module")
def policy_server(tmp_path_factory):
    """A second Reprise server, this one with a policy; the client points at it for this module."""
    workdir = tmp_path_factory.mktemp("reprise-policy")
    (workdir / "policy.yaml").write_text(POLICY)
    server = start_reprise(workdir, ("--policy", str(workdir / "policy.yaml")))
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(server.url)
    try:
        yield server
    finally:
        mlflow.set_tracking_uri(previous)
        log = server.log_text()
        server.stop()
    assert "Unexpected failure" not in log, "Reprise logged an internal error:\n" + log[-4000:]


@pytest.fixture
def pclient(policy_server) -> MlflowClient:
    return MlflowClient(tracking_uri=policy_server.url)


def experiment(prefix: str) -> str:
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    mlflow.set_experiment(name)
    return name


def tags_of(client, run_id):
    return client.get_run(run_id).data.tags


def test_finishing_without_the_finish_requirements_is_refused_with_the_message(pclient, tmp_path):
    experiment("team")
    with pytest.raises(MlflowException) as refused:
        with mlflow.start_run(tags={"mlflow.source.git.commit": SHA}) as run:
            mlflow.log_metric("accuracy", 0.9)
    message = str(refused.value)
    assert "INVALID_PARAMETER_VALUE" in message
    assert "refuses to finish run" in message and "stays RUNNING" in message
    assert "tag 'data_version' is missing: set it before the run ends: mlflow.set_tag('data_version', ...)" in message
    assert "param 'seed' is missing: log it before the run ends: mlflow.log_param('seed', ...)" in message
    assert "no artifact matches 'configs/*.yaml'" in message
    assert pclient.get_run(run.info.run_id).info.status == "RUNNING"

    # the code logs what was missing and ends the run again
    config = tmp_path / "train.yaml"
    config.write_text("lr: 0.1\n")
    with mlflow.start_run(run_id=run.info.run_id):
        mlflow.set_tag("data_version", "v3")
        mlflow.log_param("seed", 42)
        mlflow.log_artifact(str(config), artifact_path="configs")
    finished = pclient.get_run(run.info.run_id)
    assert finished.info.status == "FINISHED"
    assert finished.data.tags["reprise.compliance"] == "compliant"


def test_create_run_outside_git_is_refused_and_the_user_sees_which_tag_and_how(policy_server, tmp_path):
    name = f"team-{uuid.uuid4().hex[:8]}"
    script = tmp_path / "train.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import mlflow
            mlflow.set_experiment("{name}")
            with mlflow.start_run():
                mlflow.log_metric("accuracy", 0.9)
            """
        )
    )
    env = dict(os.environ, MLFLOW_TRACKING_URI=policy_server.url)
    outside = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert outside.returncode != 0
    assert "INVALID_PARAMETER_VALUE" in outside.stderr
    assert "refuses to create a run in experiment" in outside.stderr
    assert "tag 'mlflow.source.git.commit' is missing: run your script from a git checkout" in outside.stderr

    # from a git checkout, mlflow sends the commit itself and the run is created (then refused at finish)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "train.py"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "train"], cwd=tmp_path, check=True)
    inside = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "refuses to create" not in inside.stderr
    assert "refuses to finish run" in inside.stderr


def test_warn_mode_accepts_the_run_and_flags_it_searchably(pclient):
    name = experiment("sandbox")
    with mlflow.start_run() as run:
        mlflow.log_metric("loss", 0.3)
    tags = tags_of(pclient, run.info.run_id)
    assert pclient.get_run(run.info.run_id).info.status == "FINISHED"
    assert tags["reprise.compliance"] == "non-compliant"
    assert tags["reprise.compliance.reasons"].startswith("param 'seed' is missing")
    exp_id = pclient.get_experiment_by_name(name).experiment_id
    found = pclient.search_runs([exp_id], filter_string="tags.reprise.compliance = 'non-compliant'")
    assert [r.info.run_id for r in found] == [run.info.run_id]


def test_clients_cannot_write_the_verdict_or_finish_by_another_route(pclient):
    experiment("team")
    run = mlflow.start_run(tags={"mlflow.source.git.commit": SHA})
    run_id = run.info.run_id
    try:
        attempts = [
            lambda: pclient.set_tag(run_id, "reprise.compliance", "compliant"),
            lambda: pclient.log_batch(run_id, tags=[mlflow.entities.RunTag("reprise.compliance.reasons", "")]),
            lambda: pclient.delete_tag(run_id, "reprise.compliance"),
            lambda: pclient.set_terminated(run_id, "FINISHED"),
            lambda: pclient.update_run(run_id, status="FINISHED"),
        ]
        for attempt in attempts:
            with pytest.raises(MlflowException) as e:
                attempt()
            assert e.value.error_code == "INVALID_PARAMETER_VALUE"
        run_now = pclient.get_run(run_id)
        assert run_now.info.status == "RUNNING"
        assert run_now.data.tags["reprise.compliance"] == "pending"
    finally:
        mlflow.end_run("KILLED")  # allowed: only FINISHED is gated


def test_deleting_a_required_tag_after_finish_flips_the_verdict_and_is_recorded(pclient, tmp_path):
    experiment("team")
    config = tmp_path / "train.yaml"
    config.write_text("lr: 0.1\n")
    with mlflow.start_run(tags={"mlflow.source.git.commit": SHA, "data_version": "v3"}) as run:
        mlflow.log_param("seed", 1)
        mlflow.log_metric("accuracy", 0.9)
        mlflow.log_artifact(str(config), artifact_path="configs")
    assert tags_of(pclient, run.info.run_id)["reprise.compliance"] == "compliant"
    pclient.delete_tag(run.info.run_id, "data_version")
    tags = tags_of(pclient, run.info.run_id)
    assert tags["reprise.compliance"] == "non-compliant"
    assert "tag 'data_version' deleted after the run ended: compliant -> non-compliant" in tags[
        "reprise.compliance.history"
    ]
