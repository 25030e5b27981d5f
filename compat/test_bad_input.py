"""Bad input must get a 4xx with MLflow's JSON error body, never a 500 or a stack trace.

Each endpoint gets a valid request with one field replaced by a value of every JSON type (and a few
hostile ones), so validation is reached at every depth: request parsing, limits and the store.
"""

from __future__ import annotations

import pytest
import requests

API = "/api/2.0/mlflow/"
ODD_VALUES = [None, 5, -1, 1.5, True, "", "x", "9" * 30, [], ["a"], [{}], {}, {"k": "v"}, "\u00e9\u0000"]


@pytest.fixture(scope="module")
def ids(reprise):
    """An experiment and a run to aim the requests at, so they get past existence checks."""
    s = requests.Session()
    exp = s.post(reprise.url + API + "experiments/create", json={"name": "bad-input-target"}).json()
    run = s.post(reprise.url + API + "runs/create", json={"experiment_id": exp["experiment_id"]}).json()
    return {"exp": exp["experiment_id"], "run": run["run"]["info"]["run_id"]}


def _endpoints(ids):
    exp, run = ids["exp"], ids["run"]
    metric = {"key": "m", "value": 1, "timestamp": 1, "step": 0}
    return {
        "experiments/create": {"name": "bad-x", "artifact_location": "s3://b/p", "tags": [{"key": "k", "value": "v"}]},
        "experiments/search": {"max_results": 5, "filter": "", "order_by": [], "view_type": "ALL", "page_token": ""},
        "experiments/update": {"experiment_id": exp, "new_name": "bad-input-target"},
        "experiments/set-experiment-tag": {"experiment_id": exp, "key": "k", "value": "v"},
        "experiments/delete-experiment-tag": {"experiment_id": exp, "key": "k"},
        "runs/create": {"experiment_id": exp, "run_name": "n", "start_time": 1, "tags": [{"key": "k", "value": "v"}]},
        "runs/update": {"run_id": run, "status": "RUNNING", "end_time": 2, "run_name": "n"},
        "runs/log-metric": {"run_id": run, **metric},
        "runs/log-parameter": {"run_id": run, "key": "p", "value": "v"},
        "runs/set-tag": {"run_id": run, "key": "t", "value": "v"},
        "runs/delete-tag": {"run_id": run, "key": "t"},
        "runs/log-batch": {"run_id": run, "metrics": [metric], "params": [], "tags": []},
        "runs/log-inputs": {
            "run_id": run,
            "datasets": [{"dataset": {"name": "d", "digest": "x", "source_type": "local", "source": "s"}}],
        },
        "runs/search": {"experiment_ids": [exp], "max_results": 5, "order_by": [], "run_view_type": "ALL"},
        "logged-models/search": {"experiment_ids": [exp], "max_results": 5},
    }


def _variants(body):
    for field in body:
        for value in ODD_VALUES:
            yield field, {**body, field: value}
    # nested entries of repeated fields get the same treatment
    for field in ("metrics", "tags", "datasets"):
        if body.get(field):
            for key in body[field][0]:
                for value in ODD_VALUES:
                    yield f"{field}[0].{key}", {**body, field: [{**body[field][0], key: value}]}


def test_odd_values_in_every_field_get_client_errors(reprise, ids):
    failures = []
    with requests.Session() as s:
        for path, body in _endpoints(ids).items():
            for field, variant in _variants(body):
                r = s.post(reprise.url + API + path, json=variant, timeout=30)
                if r.status_code >= 500 or (r.status_code >= 400 and "error_code" not in r.json()):
                    failures.append(f"{path} {field}={variant[field.split('[')[0]]!r}: {r.status_code} {r.text[:200]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "path, params",
    [
        ("runs/get", {"run_id": "../../etc"}),
        ("runs/get", {"run_id": "x" * 5000}),
        ("experiments/get", {"experiment_id": "99999999999999999999999"}),
        ("experiments/get-by-name", {"experiment_name": "\u0000"}),
        ("metrics/get-history", {"run_id": "r", "metric_key": "m", "max_results": "-5"}),
        ("metrics/get-history", {"run_id": "r", "metric_key": "m", "max_results": "9" * 30}),
        ("experiments/search", {"max_results": "ten"}),
        ("logged-models/%2e%2e%2fsecret", {}),
    ],
)
def test_odd_query_strings_get_client_errors(reprise, path, params):
    r = requests.get(reprise.url + API + path, params=params, timeout=30)
    assert 400 <= r.status_code < 500, r.text
    assert "error_code" in r.json()


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("{", "application/json"),
        ("[1, 2]", "application/json"),
        ('"a string"', "application/json"),
        ("null", "application/json"),
        ("\xff\xfe", "application/json"),
        ('{"name": "x"}', "application/x-www-form-urlencoded"),
        ('{"name": "x"}', None),
    ],
)
def test_malformed_bodies_get_client_errors(reprise, body, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    r = requests.post(reprise.url + API + "experiments/create", data=body.encode("latin-1"), headers=headers)
    assert r.status_code == 400, r.text
    assert r.json()["error_code"] == "INVALID_PARAMETER_VALUE"
