"""The scripted REST scenario the differential test sends to both `mlflow server` and Reprise.

Steps run in order against a fresh server; a step may capture values from its response (run ids,
generated names) that later steps use as `@{name}` in their bodies or query strings. Captured
values with `alias=True` are also replaced by `<name>` before responses are compared.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

API = "/api/2.0/mlflow/"


@dataclass(frozen=True)
class Capture:
    path: tuple
    alias: bool = True


@dataclass(frozen=True)
class Step:
    name: str
    method: str
    path: str
    body: Any = None
    params: dict | None = None
    raw: str | None = None
    headers: dict | None = None
    captures: dict = field(default_factory=dict)
    # needs the search grammar/ordering that lands with the search branch (see pytest.ini)
    needs_search: bool = False

    def url(self) -> str:
        return self.path if self.path.startswith("/") else API + self.path


def post(name, path, body=None, captures=None, **kw) -> Step:
    return Step(name, "POST", path, body=body if body is not None else {}, captures=captures or {}, **kw)


def get(name, path, params=None, captures=None, **kw) -> Step:
    return Step(name, "GET", path, params=params or {}, captures=captures or {}, **kw)


def run_id_capture(symbol: str) -> dict:
    return {symbol: Capture(("run", "info", "run_id"))}


_REF = re.compile(r"@\{(\w+)\}")


def resolve(value: Any, captured: dict) -> Any:
    """Replaces every `@{name}` in strings with the value captured from this server."""
    if isinstance(value, dict):
        return {k: resolve(v, captured) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, captured) for v in value]
    if isinstance(value, str):
        # a value an earlier step failed to produce stays visibly missing instead of aborting the run
        return _REF.sub(lambda m: str(captured.get(m.group(1), f"<missing {m.group(1)}>")), value)
    return value


def _metric(key, value, ts, step=0):
    return {"key": key, "value": value, "timestamp": ts, "step": step}


LONG_VALUE = "x" * 6001
THOUSAND_METRICS = [_metric("many", i, 100 + i, i) for i in range(1000)]

EXPERIMENTS = [
    get("default experiment by id", "experiments/get", {"experiment_id": "0"}),
    get("default experiment by name", "experiments/get-by-name", {"experiment_name": "Default"}),
    post("search experiments: only Default", "experiments/search", {"max_results": 10}),
    post(
        "create experiment with tags",
        "experiments/create",
        {"name": "diff-a", "tags": [{"key": "team", "value": "ml"}, {"key": "empty", "value": ""}]},
        captures={"exp_a": Capture(("experiment_id",), alias=False)},
    ),
    get("get created experiment", "experiments/get", {"experiment_id": "@{exp_a}"}),
    get("get experiment by name", "experiments/get-by-name", {"experiment_name": "diff-a"}),
    post("create duplicate experiment name", "experiments/create", {"name": "diff-a"}),
    post("create experiment without name", "experiments/create", {}),
    post("create experiment with empty name", "experiments/create", {"name": ""}),
    post("create experiment with numeric name", "experiments/create", {"name": 5}),
    post("create experiment with non-list tags", "experiments/create", {"name": "diff-x", "tags": "t"}),
    post("create experiment with tag without key", "experiments/create", {"name": "diff-y", "tags": [{"value": "v"}]}),
    post(
        "create experiment with traversing query in location",
        "experiments/create",
        {"name": "diff-q", "artifact_location": "s3://bucket/path?x=../../etc"},
    ),
    post(
        "create experiment with fragment in location",
        "experiments/create",
        {"name": "diff-frag", "artifact_location": "file:///tmp/x#frag"},
    ),
    get("get unknown experiment id", "experiments/get", {"experiment_id": "999"}),
    get("get non-numeric experiment id", "experiments/get", {"experiment_id": "abc"}),
    get("get experiment without id", "experiments/get"),
    get("get experiment with padded id", "experiments/get", {"experiment_id": " 0"}),
    post("delete non-numeric experiment id", "experiments/delete", {"experiment_id": "abc"}),
    get("get unknown experiment name", "experiments/get-by-name", {"experiment_name": "no-such-exp"}),
    post(
        "create second experiment",
        "experiments/create",
        {"name": "diff-b"},
        captures={"exp_b": Capture(("experiment_id",), alias=False)},
    ),
    post(
        "set experiment tag",
        "experiments/set-experiment-tag",
        {"experiment_id": "@{exp_b}", "key": "k", "value": "v"},
    ),
    post(
        "overwrite experiment tag",
        "experiments/set-experiment-tag",
        {"experiment_id": "@{exp_b}", "key": "k", "value": "v2"},
    ),
    post("set experiment tag without key", "experiments/set-experiment-tag", {"experiment_id": "@{exp_b}"}),
    post(
        "set tag on unknown experiment",
        "experiments/set-experiment-tag",
        {"experiment_id": "999", "key": "k", "value": "v"},
    ),
    get("experiment shows tag", "experiments/get", {"experiment_id": "@{exp_b}"}),
    post(
        "delete experiment tag",
        "experiments/delete-experiment-tag",
        {"experiment_id": "@{exp_b}", "key": "k"},
    ),
    post(
        "delete missing experiment tag",
        "experiments/delete-experiment-tag",
        {"experiment_id": "@{exp_b}", "key": "k"},
    ),
    post("rename experiment", "experiments/update", {"experiment_id": "@{exp_b}", "new_name": "diff-b2"}),
    post("rename to a taken name", "experiments/update", {"experiment_id": "@{exp_b}", "new_name": "diff-a"}),
    post("rename without new name", "experiments/update", {"experiment_id": "@{exp_b}"}),
    post("rename unknown experiment", "experiments/update", {"experiment_id": "999", "new_name": "zzz"}),
    get("renamed experiment", "experiments/get", {"experiment_id": "@{exp_b}"}),
    post("delete experiment", "experiments/delete", {"experiment_id": "@{exp_b}"}),
    get("deleted experiment is still readable", "experiments/get", {"experiment_id": "@{exp_b}"}),
    post("delete unknown experiment", "experiments/delete", {"experiment_id": "999"}),
    post("rename deleted experiment", "experiments/update", {"experiment_id": "@{exp_b}", "new_name": "diff-b3"}),
    post("search active experiments", "experiments/search", {"max_results": 10, "view_type": "ACTIVE_ONLY"}),
    post("search deleted experiments", "experiments/search", {"max_results": 10, "view_type": "DELETED_ONLY"}),
    post("search all experiments", "experiments/search", {"max_results": 10, "view_type": "ALL"}),
    get("search experiments with GET", "experiments/search", {"max_results": "10", "view_type": "ALL"}),
    post("search experiments with bad view type", "experiments/search", {"max_results": 10, "view_type": "NOPE"}),
    post("search experiments with numeric view type", "experiments/search", {"max_results": 10, "view_type": 2}),
    post("search experiments with unknown view type number", "experiments/search", {"max_results": 10, "view_type": 7}),
    post("search experiments without max_results", "experiments/search", {}),
    get("search experiments with GET and no parameters", "experiments/search"),
    post("restore experiment", "experiments/restore", {"experiment_id": "@{exp_b}"}),
    post("restore active experiment", "experiments/restore", {"experiment_id": "@{exp_b}"}),
    post(
        "search experiments page 1",
        "experiments/search",
        {"max_results": 2},
        captures={"exp_token": Capture(("next_page_token",), alias=False)},
    ),
    post("search experiments page 2", "experiments/search", {"max_results": 2, "page_token": "@{exp_token}"}),
    post("search experiments bad page token", "experiments/search", {"max_results": 2, "page_token": "not-a-token"}),
    post("search experiments max_results too large", "experiments/search", {"max_results": 50001}),
    post("search experiments max_results zero", "experiments/search", {"max_results": 0}),
    post("search experiments max_results wrong type", "experiments/search", {"max_results": "ten"}),
    post("search experiments order_by not a list", "experiments/search", {"max_results": 5, "order_by": "name"}),
]

RUNS = [
    # a run outside exp_a for requests MLflow would fill with junk, so searches of exp_a stay comparable
    post(
        "create scratch run",
        "runs/create",
        {"experiment_id": "@{exp_b}", "run_name": "scratch", "start_time": 1},
        captures=run_id_capture("run_scratch"),
    ),
    post(
        "create run with name and start time",
        "runs/create",
        {
            "experiment_id": "@{exp_a}",
            "run_name": "first",
            "start_time": 1000,
            "tags": [{"key": "mlflow.user", "value": "alice"}, {"key": "note", "value": "n"}],
        },
        captures=run_id_capture("run_a"),
    ),
    post(
        "create run named by tag",
        "runs/create",
        {"experiment_id": "@{exp_a}", "start_time": 2000, "tags": [{"key": "mlflow.runName", "value": "from-tag"}]},
        captures=run_id_capture("run_b"),
    ),
    post(
        "create run with generated name",
        "runs/create",
        {"experiment_id": "@{exp_a}", "start_time": 3000, "user_id": "bob"},
        captures={**run_id_capture("run_c"), "name_c": Capture(("run", "info", "run_name"))},
    ),
    post(
        "create run with conflicting names",
        "runs/create",
        {
            "experiment_id": "@{exp_a}",
            "run_name": "one",
            "tags": [{"key": "mlflow.runName", "value": "two"}],
        },
    ),
    post("create run in unknown experiment", "runs/create", {"experiment_id": "999", "run_name": "x"}),
    post("create run with string start time", "runs/create", {"experiment_id": "@{exp_a}", "start_time": "soon"}),
    post("create run with numeric run name", "runs/create", {"experiment_id": "@{exp_a}", "run_name": 7}),
    post(
        "create run with tag without key",
        "runs/create",
        {"experiment_id": "@{exp_b}", "tags": [{"value": "v"}]},
    ),
    post("create run with non-numeric experiment id", "runs/create", {"experiment_id": "abc"}),
    get("get run", "runs/get", {"run_id": "@{run_a}"}),
    get("get run by run_uuid", "runs/get", {"run_uuid": "@{run_b}"}),
    get("get run with generated name", "runs/get", {"run_id": "@{run_c}"}),
    get("get unknown run", "runs/get", {"run_id": "0123456789abcdef0123456789abcdef"}),
    get("get run without id", "runs/get"),
    # metrics
    post("log metric", "runs/log-metric", {"run_id": "@{run_a}", "key": "loss", "value": 0.5, "timestamp": 10}),
    post(
        "log metric with step",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "loss", "value": 0.25, "timestamp": 20, "step": 2},
    ),
    post(
        "log duplicate metric point",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "loss", "value": 0.25, "timestamp": 20, "step": 2},
    ),
    post(
        "log metric with string step",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "loss", "value": 0.125, "timestamp": "30", "step": "3"},
    ),
    post(
        "log metric with numeric string value",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "strval", "value": "2.5", "timestamp": 10},
    ),
    post("log NaN metric", "runs/log-metric", {"run_id": "@{run_a}", "key": "nan", "value": "NaN", "timestamp": 10}),
    post(
        "log +inf metric",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "pinf", "value": "Infinity", "timestamp": 10},
    ),
    post(
        "log -inf metric",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "ninf", "value": "-Infinity", "timestamp": 10},
    ),
    post(
        "log metric with dataset",
        "runs/log-metric",
        {
            "run_id": "@{run_a}",
            "key": "acc",
            "value": 0.9,
            "timestamp": 10,
            "dataset_name": "train",
            "dataset_digest": "abc",
        },
    ),
    post("log metric without timestamp", "runs/log-metric", {"run_id": "@{run_a}", "key": "loss", "value": 1}),
    post("log metric without value", "runs/log-metric", {"run_id": "@{run_a}", "key": "loss", "timestamp": 1}),
    post("log metric without key", "runs/log-metric", {"run_id": "@{run_a}", "value": 1, "timestamp": 1}),
    post(
        "log metric with text value",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "loss", "value": "abc", "timestamp": 1},
    ),
    post(
        "log metric with boolean value",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "loss", "value": True, "timestamp": 1},
    ),
    post(
        "log metric with negative timestamp",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "loss", "value": 1, "timestamp": -5},
    ),
    post(
        "log metric with bad key",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "bad!key", "value": 1, "timestamp": 1},
    ),
    post(
        "log metric with path-escaping key",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "../up", "value": 1, "timestamp": 1},
    ),
    post(
        "log metric to unknown run",
        "runs/log-metric",
        {"run_id": "0123456789abcdef0123456789abcdef", "key": "loss", "value": 1, "timestamp": 1},
    ),
    post("log metric without run id", "runs/log-metric", {"key": "loss", "value": 1, "timestamp": 1}),
    get("metric history", "metrics/get-history", {"run_id": "@{run_a}", "metric_key": "loss"}),
    get(
        "metric history page 1",
        "metrics/get-history",
        {"run_id": "@{run_a}", "metric_key": "loss", "max_results": "2"},
        captures={"hist_token": Capture(("next_page_token",), alias=False)},
    ),
    get(
        "metric history page 2",
        "metrics/get-history",
        {"run_id": "@{run_a}", "metric_key": "loss", "max_results": "2", "page_token": "@{hist_token}"},
    ),
    get(
        "metric history bad page token",
        "metrics/get-history",
        {"run_id": "@{run_a}", "metric_key": "loss", "max_results": "2", "page_token": "garbage"},
    ),
    get(
        "metric history max_results zero",
        "metrics/get-history",
        {"run_id": "@{run_a}", "metric_key": "loss", "max_results": "0"},
    ),
    get("metric history of unknown key", "metrics/get-history", {"run_id": "@{run_a}", "metric_key": "nope"}),
    get("metric history without key", "metrics/get-history", {"run_id": "@{run_a}"}),
    get(
        "metric history of unknown run",
        "metrics/get-history",
        {"run_id": "0123456789abcdef0123456789abcdef", "metric_key": "loss"},
    ),
    get("metric history of NaN metric", "metrics/get-history", {"run_id": "@{run_a}", "metric_key": "nan"}),
    get("metric history of +inf metric", "metrics/get-history", {"run_id": "@{run_a}", "metric_key": "pinf"}),
    get("metric history with dataset", "metrics/get-history", {"run_id": "@{run_a}", "metric_key": "acc"}),
    # params
    post("log param", "runs/log-parameter", {"run_id": "@{run_a}", "key": "lr", "value": "0.1"}),
    post("log same param again", "runs/log-parameter", {"run_id": "@{run_a}", "key": "lr", "value": "0.1"}),
    post("change param value", "runs/log-parameter", {"run_id": "@{run_a}", "key": "lr", "value": "0.2"}),
    post("log param without value", "runs/log-parameter", {"run_id": "@{run_a}", "key": "novalue"}),
    post("log param with null value", "runs/log-parameter", {"run_id": "@{run_a}", "key": "nullvalue", "value": None}),
    post("log param with numeric value", "runs/log-parameter", {"run_id": "@{run_a}", "key": "num", "value": 3}),
    post("log param with empty value", "runs/log-parameter", {"run_id": "@{run_a}", "key": "empty", "value": ""}),
    post("log param with long value", "runs/log-parameter", {"run_id": "@{run_a}", "key": "long", "value": LONG_VALUE}),
    post("log param with long key", "runs/log-parameter", {"run_id": "@{run_a}", "key": "k" * 251, "value": "v"}),
    post("log param without key", "runs/log-parameter", {"run_id": "@{run_a}", "value": "v"}),
    # tags
    post("set tag", "runs/set-tag", {"run_id": "@{run_a}", "key": "stage", "value": "dev"}),
    post("overwrite tag", "runs/set-tag", {"run_id": "@{run_a}", "key": "stage", "value": "prod"}),
    post("set tag without value", "runs/set-tag", {"run_id": "@{run_a}", "key": "novalue"}),
    post("set tag with long value", "runs/set-tag", {"run_id": "@{run_a}", "key": "longtag", "value": "t" * 8001}),
    post("set tag without key", "runs/set-tag", {"run_id": "@{run_a}", "value": "v"}),
    post("set tag with numeric value", "runs/set-tag", {"run_id": "@{run_a}", "key": "n", "value": 5}),
    post("delete tag", "runs/delete-tag", {"run_id": "@{run_a}", "key": "novalue"}),
    post("delete missing tag", "runs/delete-tag", {"run_id": "@{run_a}", "key": "never-set"}),
    post(
        "delete tag of unknown run",
        "runs/delete-tag",
        {"run_id": "0123456789abcdef0123456789abcdef", "key": "stage"},
    ),
    post("rename run through tag", "runs/set-tag", {"run_id": "@{run_b}", "key": "mlflow.runName", "value": "renamed"}),
    get("run renamed through tag", "runs/get", {"run_id": "@{run_b}"}),
    get("run with metrics params and tags", "runs/get", {"run_id": "@{run_a}"}),
    # batches
    post(
        "log batch",
        "runs/log-batch",
        {
            "run_id": "@{run_c}",
            "metrics": [_metric("b1", 1, 5), _metric("b1", 2, 6, 1), _metric("b2", 3.5, 5)],
            "params": [{"key": "p1", "value": "a"}, {"key": "p2", "value": "b"}],
            "tags": [{"key": "t1", "value": "x"}, {"key": "t1", "value": "y"}],
        },
    ),
    post("log empty batch", "runs/log-batch", {"run_id": "@{run_c}"}),
    post("log batch of 1000 metrics", "runs/log-batch", {"run_id": "@{run_c}", "metrics": THOUSAND_METRICS}),
    post(
        "log batch of 1001 metrics",
        "runs/log-batch",
        {"run_id": "@{run_c}", "metrics": THOUSAND_METRICS + [_metric("extra", 1, 1)]},
    ),
    post(
        "log batch of 101 params",
        "runs/log-batch",
        {"run_id": "@{run_c}", "params": [{"key": f"k{i}", "value": "v"} for i in range(101)]},
    ),
    post(
        "log batch with duplicate param keys",
        "runs/log-batch",
        {
            "run_id": "@{run_c}",
            "metrics": [_metric("dup_metric", 1, 5)],
            "params": [{"key": "dup", "value": "1"}, {"key": "dup", "value": "2"}],
        },
    ),
    post(
        "log batch changing a param",
        "runs/log-batch",
        {"run_id": "@{run_c}", "params": [{"key": "p1", "value": "changed"}, {"key": "p3", "value": "c"}]},
    ),
    post(
        "log batch metric without timestamp",
        "runs/log-batch",
        {"run_id": "@{run_c}", "metrics": [{"key": "m", "value": 1}]},
    ),
    post(
        "log batch metric without key",
        "runs/log-batch",
        {"run_id": "@{run_c}", "metrics": [{"value": 1, "timestamp": 1}]},
    ),
    post(
        "log batch param without key",
        "runs/log-batch",
        {"run_id": "@{run_c}", "params": [{"value": "v"}]},
    ),
    post(
        "log batch tag without key",
        "runs/log-batch",
        {"run_id": "@{run_c}", "tags": [{"value": "v"}]},
    ),
    post(
        "log batch metric with text value",
        "runs/log-batch",
        {"run_id": "@{run_scratch}", "metrics": [{"key": "m", "value": "abc", "timestamp": 1}]},
    ),
    post("log batch with non-list metrics", "runs/log-batch", {"run_id": "@{run_c}", "metrics": {"key": "m"}}),
    post("log batch with non-list params", "runs/log-batch", {"run_id": "@{run_c}", "params": "p"}),
    post("log batch without run id", "runs/log-batch", {"metrics": []}),
    post("log batch to unknown run", "runs/log-batch", {"run_id": "0123456789abcdef0123456789abcdef"}),
    get("run after batches", "runs/get", {"run_id": "@{run_c}"}),
    get("history of batch metric", "metrics/get-history", {"run_id": "@{run_c}", "metric_key": "b1"}),
    # inputs
    post(
        "log inputs",
        "runs/log-inputs",
        {
            "run_id": "@{run_c}",
            "datasets": [
                {
                    "tags": [{"key": "mlflow.data.context", "value": "training"}],
                    "dataset": {
                        "name": "ds",
                        "digest": "d1",
                        "source_type": "local",
                        "source": '{"uri": "/data"}',
                        "schema": '{"cols": []}',
                        "profile": '{"rows": 3}',
                    },
                }
            ],
        },
    ),
    post(
        "log same input again",
        "runs/log-inputs",
        {
            "run_id": "@{run_c}",
            "datasets": [
                {
                    "tags": [{"key": "mlflow.data.context", "value": "training"}],
                    "dataset": {"name": "ds", "digest": "d1", "source_type": "local", "source": '{"uri": "/data"}'},
                }
            ],
        },
    ),
    post("log inputs without run id", "runs/log-inputs", {"datasets": []}),
    post(
        "log inputs dataset without name",
        "runs/log-inputs",
        {
            "run_id": "@{run_scratch}",
            "datasets": [{"dataset": {"digest": "d", "source_type": "local", "source": "{}"}}],
        },
    ),
    post("log inputs with non-list datasets", "runs/log-inputs", {"run_id": "@{run_c}", "datasets": "d"}),
    get("run with inputs", "runs/get", {"run_id": "@{run_c}"}),
    # updates
    post("finish run", "runs/update", {"run_id": "@{run_a}", "status": "FINISHED", "end_time": 5000}),
    post("rename run", "runs/update", {"run_id": "@{run_a}", "run_name": "first-renamed"}),
    post("update run with empty name", "runs/update", {"run_id": "@{run_a}", "run_name": ""}),
    post("update run with bad status", "runs/update", {"run_id": "@{run_a}", "status": "BOGUS"}),
    post("update run with numeric status", "runs/update", {"run_id": "@{run_b}", "status": 4}),
    post("update run with string end time", "runs/update", {"run_id": "@{run_a}", "end_time": "later"}),
    post("update unknown run", "runs/update", {"run_id": "0123456789abcdef0123456789abcdef", "status": "FAILED"}),
    post("update run without id", "runs/update", {"status": "FAILED"}),
    get("updated run", "runs/get", {"run_id": "@{run_a}"}),
    # search
    post("search runs", "runs/search", {"experiment_ids": ["@{exp_a}"]}),
    post(
        "search runs page 1",
        "runs/search",
        {"experiment_ids": ["@{exp_a}"], "max_results": 2},
        captures={"run_token": Capture(("next_page_token",), alias=False)},
    ),
    post(
        "search runs page 2",
        "runs/search",
        {"experiment_ids": ["@{exp_a}"], "max_results": 2, "page_token": "@{run_token}"},
    ),
    post(
        "search runs page that ends exactly",
        "runs/search",
        {"experiment_ids": ["@{exp_a}"], "max_results": 3},
        needs_search=True,
    ),
    post(
        "search runs ordered by name",
        "runs/search",
        # run c (user bob) has a generated name, which differs between the servers: leave it out
        {
            "experiment_ids": ["@{exp_a}"],
            "filter": "attributes.user_id != 'bob'",
            "order_by": ["attributes.run_name ASC"],
        },
        needs_search=True,
    ),
    post(
        "search runs ordered by start time ascending",
        "runs/search",
        {"experiment_ids": ["@{exp_a}"], "order_by": ["start_time ASC"]},
        needs_search=True,
    ),
    post(
        "search runs with a filter",
        "runs/search",
        {"experiment_ids": ["@{exp_a}"], "filter": "params.lr = '0.1'"},
        needs_search=True,
    ),
    post("search runs max_results zero", "runs/search", {"experiment_ids": ["@{exp_a}"], "max_results": 0}),
    post("search runs with non-numeric experiment id", "runs/search", {"experiment_ids": ["abc"]}),
    post("search runs in no experiment", "runs/search", {"experiment_ids": ["12345"]}),
    post("search runs without experiment ids", "runs/search", {}),
    post("search runs bad page token", "runs/search", {"experiment_ids": ["@{exp_a}"], "page_token": "bad"}),
    post("search runs max_results too large", "runs/search", {"experiment_ids": ["@{exp_a}"], "max_results": 50001}),
    post("search runs max_results wrong type", "runs/search", {"experiment_ids": ["@{exp_a}"], "max_results": "x"}),
    post("search runs bad view type", "runs/search", {"experiment_ids": ["@{exp_a}"], "run_view_type": "SOME"}),
    post("search runs experiment_ids not a list", "runs/search", {"experiment_ids": "@{exp_a}"}),
    # deleted runs
    post("delete run", "runs/delete", {"run_id": "@{run_b}"}),
    get("deleted run is readable", "runs/get", {"run_id": "@{run_b}"}),
    post("log metric to deleted run", "runs/log-metric", {"run_id": "@{run_b}", "key": "m", "value": 1, "timestamp": 1}),
    post("log param to deleted run", "runs/log-parameter", {"run_id": "@{run_b}", "key": "p", "value": "v"}),
    post("set tag on deleted run", "runs/set-tag", {"run_id": "@{run_b}", "key": "t", "value": "v"}),
    post("delete tag on deleted run", "runs/delete-tag", {"run_id": "@{run_b}", "key": "mlflow.runName"}),
    post("log batch to deleted run", "runs/log-batch", {"run_id": "@{run_b}", "params": [{"key": "p", "value": "v"}]}),
    post("update deleted run", "runs/update", {"run_id": "@{run_b}", "status": "FINISHED"}),
    post("search deleted runs", "runs/search", {"experiment_ids": ["@{exp_a}"], "run_view_type": "DELETED_ONLY"}),
    post("search active runs", "runs/search", {"experiment_ids": ["@{exp_a}"], "run_view_type": "ACTIVE_ONLY"}),
    post("search all runs", "runs/search", {"experiment_ids": ["@{exp_a}"], "run_view_type": "ALL"}),
    post("delete unknown run", "runs/delete", {"run_id": "0123456789abcdef0123456789abcdef"}),
    post("delete deleted run", "runs/delete", {"run_id": "@{run_b}"}),
    post("restore run", "runs/restore", {"run_id": "@{run_b}"}),
    post("restore active run", "runs/restore", {"run_id": "@{run_b}"}),
    post("log metric after restore", "runs/log-metric", {"run_id": "@{run_b}", "key": "m", "value": 1, "timestamp": 1}),
    # a deleted experiment takes its runs with it, and refuses new runs
    post(
        "create experiment to delete",
        "experiments/create",
        {"name": "diff-gone"},
        captures={"exp_gone": Capture(("experiment_id",), alias=False)},
    ),
    post(
        "create run in experiment to delete",
        "runs/create",
        {"experiment_id": "@{exp_gone}", "run_name": "doomed", "start_time": 1},
        captures=run_id_capture("run_gone"),
    ),
    post("delete experiment with a run", "experiments/delete", {"experiment_id": "@{exp_gone}"}),
    post("delete deleted experiment", "experiments/delete", {"experiment_id": "@{exp_gone}"}),
    get("run of deleted experiment", "runs/get", {"run_id": "@{run_gone}"}),
    post("create run in deleted experiment", "runs/create", {"experiment_id": "@{exp_gone}"}),
    post("restore experiment with a run", "experiments/restore", {"experiment_id": "@{exp_gone}"}),
    get("run of restored experiment", "runs/get", {"run_id": "@{run_gone}"}),
]

ARTIFACTS_AND_MODELS = [
    get("list artifacts of a run without artifacts", "artifacts/list", {"run_id": "@{run_a}"}),
    post("search logged models", "logged-models/search", {"experiment_ids": ["@{exp_a}"]}),
    post("search logged models without experiments", "logged-models/search", {}),
    post("search logged models with empty experiment list", "logged-models/search", {"experiment_ids": []}),
    get("get unknown logged model", "logged-models/m-0123456789abcdef0123456789abcdef"),
]

MODEL = "logged-models/@{model_a}"
UNKNOWN_MODEL = "logged-models/m-0123456789abcdef0123456789abcdef"

LOGGED_MODELS = [
    post(
        "create logged model",
        "logged-models",
        {
            "experiment_id": "@{exp_a}",
            "name": "diff-model",
            "model_type": "sklearn",
            "source_run_id": "@{run_a}",
            "tags": [{"key": "team", "value": "red"}],
            "params": [{"key": "lr", "value": "0.1"}],
        },
        captures={"model_a": Capture(("model", "info", "model_id"))},
    ),
    post(
        "create logged model without name",
        "logged-models",
        {"experiment_id": "@{exp_a}"},
        captures={
            "model_b": Capture(("model", "info", "model_id")),
            "model_b_name": Capture(("model", "info", "name")),
        },
    ),
    post("create logged model with a path-like name", "logged-models", {"experiment_id": "@{exp_a}", "name": "a/b"}),
    post("create logged model in unknown experiment", "logged-models", {"experiment_id": "999999", "name": "x"}),
    post("create logged model without experiment", "logged-models", {"name": "x"}),
    get("get logged model", MODEL),
    Step("finalize logged model", "PATCH", MODEL, body={"model_id": "@{model_a}", "status": "LOGGED_MODEL_READY"}),
    Step("finalize logged model by number", "PATCH", "logged-models/@{model_b}", body={"model_id": "@{model_b}", "status": 3}),
    Step("finalize logged model without status", "PATCH", MODEL, body={"model_id": "@{model_a}"}),
    Step("finalize unknown logged model", "PATCH", UNKNOWN_MODEL,
         body={"model_id": "m-0123456789abcdef0123456789abcdef", "status": "LOGGED_MODEL_READY"}),
    Step("set logged model tags", "PATCH", MODEL + "/tags", body={"tags": [{"key": "stage", "value": "dev"}]}),
    Step("delete logged model tag", "DELETE", MODEL + "/tags/team", body={}),
    Step("delete missing logged model tag", "DELETE", MODEL + "/tags/team", body={}),
    post("log logged model params", MODEL + "/params", {"model_id": "@{model_a}", "params": [{"key": "depth", "value": "3"}]}),
    post(
        "log metric for logged model",
        "runs/log-metric",
        {"run_id": "@{run_a}", "key": "acc", "value": 0.75, "timestamp": 1000, "step": 1, "model_id": "@{model_a}",
         "dataset_name": "eval", "dataset_digest": "abc"},
    ),
    post(
        "log batch metrics for logged model",
        "runs/log-batch",
        {"run_id": "@{run_a}", "metrics": [{"key": "acc", "value": 0.8, "timestamp": 2000, "step": 2, "model_id": "@{model_b}"}]},
    ),
    get("get logged model after updates", MODEL),
    post(
        "search logged models by metric",
        "logged-models/search",
        {"experiment_ids": ["@{exp_a}"], "filter": "metrics.acc > 0.7"},
    ),
    post(
        "search logged models ordered by metric",
        "logged-models/search",
        {"experiment_ids": ["@{exp_a}"], "order_by": [{"field_name": "metrics.acc", "ascending": True}]},
    ),
    post("search logged models by name", "logged-models/search", {"experiment_ids": ["@{exp_a}"], "filter": "name = 'diff-model'"}),
    post(
        "search logged models by source run",
        "logged-models/search",
        {"experiment_ids": ["@{exp_a}"], "filter": "source_run_id = '@{run_a}'"},
    ),
    post(
        "search logged models by param and tag",
        "logged-models/search",
        {"experiment_ids": ["@{exp_a}"], "filter": "params.depth = '3' AND tags.stage = 'dev'"},
    ),
    post(
        "search logged models ordered by model type",
        "logged-models/search",
        # not by name: the second model's name is generated, differently on each server
        {"experiment_ids": ["@{exp_a}"], "order_by": [{"field_name": "model_type", "ascending": False}]},
    ),
    post("log run outputs", "runs/outputs", {"run_id": "@{run_a}", "models": [{"model_id": "@{model_a}", "step": 2}]}),
    post("log run outputs without models", "runs/outputs", {"run_id": "@{run_a}"}),
    post("log model as run input", "runs/log-inputs", {"run_id": "@{run_a}", "models": [{"model_id": "@{model_b}"}]}),
    get("get run with model outputs", "runs/get", {"run_id": "@{run_a}"}),
    Step("delete logged model", "DELETE", MODEL, body={}),
    get("get deleted logged model", MODEL),
    get("get deleted logged model allowing deleted", MODEL, {"allow_deleted": "true"}),
    post("search logged models after delete", "logged-models/search", {"experiment_ids": ["@{exp_a}"]}),
    Step("delete unknown logged model", "DELETE", UNKNOWN_MODEL, body={}),
]

MALFORMED = [
    post("malformed JSON body", "experiments/create", raw='{"name": "broken"', headers={"Content-Type": "application/json"}),
    post(
        "malformed JSON body without required fields",
        "runs/log-metric",
        raw="{not json",
        headers={"Content-Type": "application/json"},
    ),
    post("wrong content type", "experiments/create", raw='{"name": "ct"}', headers={"Content-Type": "text/plain"}),
    post("JSON array body", "experiments/create", raw='["name"]', headers={"Content-Type": "application/json"}),
    post(
        "double-encoded JSON body",
        "experiments/create",
        raw=json.dumps(json.dumps({"name": "diff-double"})),
        headers={"Content-Type": "application/json"},
    ),
    post("empty body", "experiments/create", raw="", headers={"Content-Type": "application/json"}),
    Step("GET on a POST endpoint", "GET", "experiments/create", params={}),
    Step("unknown endpoint", "GET", "no-such-endpoint", params={}),
]

SCENARIO = EXPERIMENTS + RUNS + ARTIFACTS_AND_MODELS + LOGGED_MODELS + MALFORMED


def run_scenario(base_url: str, session) -> dict:
    """Sends every step to one server; returns {step name: (status, body, aliases after the step)}."""
    captured: dict = {}
    aliases: dict = {}
    results = {}
    for step in SCENARIO:
        kwargs = {"timeout": 60}
        if step.params is not None:
            kwargs["params"] = resolve(step.params, captured)
        if step.raw is not None:
            kwargs["data"] = step.raw.encode()
            kwargs["headers"] = step.headers
        elif step.method != "GET":
            kwargs["json"] = resolve(step.body, captured)
        response = session.request(step.method, base_url + resolve(step.url(), captured), **kwargs)
        body = _body(response)
        for symbol, capture in step.captures.items():
            value = _at(body, capture.path)
            if value is None:
                continue
            captured[symbol] = value
            if capture.alias:
                aliases[value] = f"<{symbol}>"
        results[step.name] = (response.status_code, body, dict(aliases))
    return results


def _body(response):
    try:
        return response.json()
    except ValueError:
        return {"<non-json>": response.headers.get("Content-Type", "")}


def _at(body, path):
    for key in path:
        if not isinstance(body, dict) or key not in body:
            return None
        body = body[key]
    return body
