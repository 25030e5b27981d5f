"""Normalising and comparing REST responses of two servers for the differential test.

Two servers never agree on generated run ids, generated run names or clock readings, so those are
replaced by symbols before comparing; everything else is compared exactly, field by field.
"""

from __future__ import annotations

from typing import Any

# Epoch milliseconds after 2001-09-09: a clock reading, never a value the scenario sent itself
# (the scenario only sends small explicit timestamps such as 1000).
CLOCK_MS = 10**12

# Repeated fields whose order is storage order, not a documented order: compared as sorted lists.
UNORDERED_FIELDS = {"tags", "params", "dataset_inputs"}


def normalise(value: Any, aliases: dict[str, str], path: tuple = ()) -> Any:
    """Replaces aliased strings (ids, generated names) by symbols and clock readings by '<time>'."""
    if isinstance(value, dict):
        return {k: normalise(v, aliases, path + (k,)) for k, v in value.items()}
    if isinstance(value, list):
        items = [normalise(v, aliases, path + (i,)) for i, v in enumerate(value)]
        if _unordered(path):
            items.sort(key=repr)
        return items
    if isinstance(value, str):
        # longest first, so an id is never half-replaced by a shorter alias
        for actual in sorted(aliases, key=len, reverse=True):
            if actual:
                value = value.replace(actual, aliases[actual])
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value > CLOCK_MS:
        return "<time>"
    return value


def _unordered(path: tuple) -> bool:
    if not path:
        return False
    last = path[-1]
    if last in UNORDERED_FIELDS:
        return True
    # a run's data.metrics holds one latest value per key, in storage order
    return last == "metrics" and len(path) >= 2 and path[-2] == "data"


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Every place where `actual` (Reprise) differs from `expected` (MLflow), as readable lines."""
    here = path or "<root>"
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in sorted(set(expected) | set(actual)):
            sub = f"{path}.{key}" if path else key
            if key not in actual:
                out.append(f"{sub}: missing (MLflow has {expected[key]!r})")
            elif key not in expected:
                out.append(f"{sub}: unexpected field (Reprise has {actual[key]!r})")
            else:
                out.extend(differences(expected[key], actual[key], sub))
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{here}: {len(actual)} items, MLflow has {len(expected)}: {actual!r} vs {expected!r}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out.extend(differences(e, a, f"{path}[{i}]"))
        return out
    if type(expected) is not type(actual):
        return [f"{here}: {actual!r} ({type(actual).__name__}), MLflow has {expected!r} ({type(expected).__name__})"]
    if expected != actual:
        return [f"{here}: {actual!r}, MLflow has {expected!r}"]
    return []

