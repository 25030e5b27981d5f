import random
import unittest

from {{package}}.config import load_config
from {{package}}.train import train_and_evaluate


def blobs(n, seed):
    """Two separable clouds of points, made here so the tests need no data download."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        label = i % 2
        centre = 1.5 if label else -1.5
        rows.append(((rng.gauss(centre, 1.0), rng.gauss(centre, 1.0)), label))
    return rows


class TrainTest(unittest.TestCase):
    def setUp(self):
        self.config = load_config("confs/train.yaml")

    def test_the_same_config_gives_the_same_metrics(self):
        rows = blobs(200, seed=1)
        first, _ = train_and_evaluate(self.config, rows)
        second, _ = train_and_evaluate(self.config, rows)
        self.assertEqual(first, second)

    def test_it_learns_separable_data(self):
        metrics, _ = train_and_evaluate(self.config, blobs(200, seed=2))
        self.assertGreater(metrics["accuracy"], 0.85)

    def test_every_setting_comes_from_the_config(self):
        self.assertEqual({"seed", "data", "test_fraction", "lr", "epochs"}, set(self.config))


if __name__ == "__main__":
    unittest.main()
