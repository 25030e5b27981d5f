"""Logs a run's params, metrics and outputs to the tracking server named by MLFLOW_TRACKING_URI.

With mlflow installed, through mlflow. Without it (the locked environment needs only the standard
library), a run started by `reprise run` (MLFLOW_RUN_ID set) is logged through the same REST API with
urllib, so every recorded run carries its metrics and outputs, and `reprise reproduce` compares them.
"""
import base64
import json
import os
import time
import urllib.parse
import urllib.request
from pathlib import Path

try:
    import mlflow
except ImportError:
    mlflow = None


def log_run(params, metrics, outputs):
    """Logs `params` and `metrics` (dicts) and the files in the folder `outputs` under outputs/."""
    if not os.environ.get("MLFLOW_TRACKING_URI"):
        return  # not a tracked run: python -m ... on its own
    if mlflow is not None:
        with mlflow.start_run():  # continues the run `reprise run` created (MLFLOW_RUN_ID)
            mlflow.log_params(params)
            mlflow.log_metrics(metrics)
            mlflow.log_artifacts(str(outputs), artifact_path="outputs")
    elif os.environ.get("MLFLOW_RUN_ID"):
        _log_over_rest(os.environ["MLFLOW_RUN_ID"], params, metrics, Path(outputs))


def _log_over_rest(run_id, params, metrics, outputs):
    now = int(time.time() * 1000)
    _call("POST", "/api/2.0/mlflow/runs/log-batch", {
        "run_id": run_id,
        "params": [{"key": k, "value": str(v)} for k, v in sorted(params.items())],
        "metrics": [{"key": k, "value": v, "timestamp": now, "step": 0} for k, v in sorted(metrics.items())],
    })
    run = _call("GET", "/api/2.0/mlflow/runs/get?run_id=" + urllib.parse.quote(run_id))
    root = urllib.parse.urlparse(run["run"]["info"]["artifact_uri"])
    if root.scheme != "mlflow-artifacts":
        return  # artifacts the server does not proxy need mlflow's own clients
    for f in sorted(p for p in outputs.rglob("*") if p.is_file()):
        path = root.path.rstrip("/") + "/outputs/" + f.relative_to(outputs).as_posix()
        _call("PUT", "/api/2.0/mlflow-artifacts/artifacts" + urllib.parse.quote(path), data=f.read_bytes())


def _call(method, path, body=None, data=None):
    headers = {}
    if os.environ.get("MLFLOW_TRACKING_TOKEN"):
        headers["Authorization"] = "Bearer " + os.environ["MLFLOW_TRACKING_TOKEN"]
    elif os.environ.get("MLFLOW_TRACKING_USERNAME"):
        user = os.environ["MLFLOW_TRACKING_USERNAME"] + ":" + os.environ.get("MLFLOW_TRACKING_PASSWORD", "")
        headers["Authorization"] = "Basic " + base64.b64encode(user.encode()).decode()
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    url = os.environ["MLFLOW_TRACKING_URI"].rstrip("/") + path
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")
