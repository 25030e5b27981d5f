"""Training entry point: python -m {{package}}.train --config confs/train.yaml

A logistic regression trained by stochastic gradient descent on data/train.csv, with the standard
library only. Every setting comes from the config file; the seed fixes every random draw, so the same
config and data give the same metrics on every run.
"""
import argparse
import csv
import json
import math
import random
from pathlib import Path

from {{package}}.config import load_config
from {{package}}.tracking import log_run


def read_rows(path):
    """(features, label) pairs from a CSV with columns x1, x2, label."""
    with open(path, newline="", encoding="utf-8") as f:
        return [((float(r["x1"]), float(r["x2"])), int(r["label"])) for r in csv.DictReader(f)]


def split(rows, test_fraction, rng):
    rows = list(rows)
    rng.shuffle(rows)
    cut = int(len(rows) * (1 - test_fraction))
    return rows[:cut], rows[cut:]


def fit(rows, lr, epochs, rng):
    """Weights (bias first) of a logistic regression, by SGD over a seeded shuffle per epoch."""
    weights = [0.0, 0.0, 0.0]
    rows = list(rows)
    for _ in range(epochs):
        rng.shuffle(rows)
        for (x1, x2), label in rows:
            error = _predict(weights, x1, x2) - label
            weights = [w - lr * error * x for w, x in zip(weights, (1.0, x1, x2))]
    return weights


def evaluate(weights, rows):
    correct = 0
    loss = 0.0
    for (x1, x2), label in rows:
        p = min(max(_predict(weights, x1, x2), 1e-12), 1 - 1e-12)
        correct += int((p >= 0.5) == bool(label))
        loss -= label * math.log(p) + (1 - label) * math.log(1 - p)
    return {"accuracy": correct / len(rows), "log_loss": loss / len(rows)}


def _predict(weights, x1, x2):
    z = weights[0] + weights[1] * x1 + weights[2] * x2
    return 1 / (1 + math.exp(-z))


def train_and_evaluate(config, rows):
    """Metrics of one training run on `rows` with the settings in `config`."""
    random.seed(config["seed"])  # anything that uses the random module directly
    rng = random.Random(config["seed"])
    train_rows, test_rows = split(rows, config["test_fraction"], rng)
    weights = fit(train_rows, lr=config["lr"], epochs=config["epochs"], rng=rng)
    return evaluate(weights, test_rows), weights


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="confs/train.yaml", help="the settings (default: %(default)s)")
    parser.add_argument("--output", default="outputs", help="folder for metrics.json and model.json")
    args = parser.parse_args(argv)
    config = load_config(args.config)
    metrics, weights = train_and_evaluate(config, read_rows(config["data"]))
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (out / "model.json").write_text(json.dumps({"weights": weights}) + "\n", encoding="utf-8")
    log_run(config, metrics, out)  # to $MLFLOW_TRACKING_URI, when set (reprise run sets it)
    print(json.dumps(metrics, sort_keys=True))


if __name__ == "__main__":
    main()
