"""Shared fixtures: one Reprise server per test session, and the real MLflow client pointed at it."""

from __future__ import annotations

import os
import uuid

import pytest

from servers import start_reprise

# Fail fast instead of retrying a failing request for minutes; everything else is client default.
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "60")

import mlflow  # noqa: E402  (after the environment above is set)
from mlflow import MlflowClient  # noqa: E402

MLFLOW_MAJOR = int(mlflow.__version__.split(".")[0])


@pytest.fixture(scope="session")
def reprise(tmp_path_factory):
    """A Reprise server over a fresh SQLite file; its log must show no internal error at the end."""
    workdir = tmp_path_factory.mktemp("reprise")
    server = start_reprise(workdir)
    previous = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = server.url
    mlflow.set_tracking_uri(server.url)
    try:
        yield server
    finally:
        log = server.log_text()
        server.stop()
        if previous is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = previous
    # Any 500 is a bug: bad input must be answered with a 4xx and MLflow's error body.
    assert "Unexpected failure" not in log, "Reprise logged an internal error:\n" + log[-4000:]


@pytest.fixture
def client(reprise) -> MlflowClient:
    return MlflowClient(tracking_uri=reprise.url)


@pytest.fixture(autouse=True)
def _no_leaked_active_run():
    """The fluent API keeps a global active run; end it so one test cannot leak into the next."""
    yield
    while mlflow.active_run() is not None:
        mlflow.end_run()


@pytest.fixture
def name():
    """A unique experiment name per test, so tests never depend on each other's data."""
    return f"compat-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def experiment_id(client, name) -> str:
    return client.create_experiment(name)


def requires_mlflow3(reason: str):
    return pytest.mark.skipif(MLFLOW_MAJOR < 3, reason=f"mlflow {mlflow.__version__} client lacks {reason}")
