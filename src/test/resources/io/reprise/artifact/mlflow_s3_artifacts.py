"""Logs, lists and downloads artifacts with the real mlflow client; prints what it saw as JSON."""
import json
import os
import sys

import mlflow
from mlflow import MlflowClient

work = sys.argv[1]
mlflow.set_experiment("s3-artifacts")
with mlflow.start_run() as run:
    mlflow.log_artifact(os.path.join(work, "in", "hello.txt"))
    mlflow.log_artifacts(os.path.join(work, "in", "folder"), artifact_path="folder")
    mlflow.log_artifact(os.path.join(work, "in", "big.bin"), artifact_path="big")
    mlflow.log_text("ünïcode ✓", "notes/ünï côde.txt")

client = MlflowClient()
run_id = run.info.run_id


def listing(path=None):
    return [[f.path, f.is_dir, f.file_size] for f in client.list_artifacts(run_id, path)]


result = {
    "run_id": run_id,
    "artifact_uri": run.info.artifact_uri,
    "root": listing(),
    "folder": listing("folder"),
    "notes": listing("notes"),
    "downloaded": mlflow.artifacts.download_artifacts(run_id=run_id, dst_path=os.path.join(work, "out")),
}
print(json.dumps(result))
