"""Reads the flat YAML files in confs/ (one `key: value` per line) with the standard library only.

Switch to yaml.safe_load (PyYAML) or OmegaConf once the project has dependencies.
"""
from pathlib import Path


def load_config(path):
    """The settings in `path` as a dict; a line that is not `key: value` is an error naming it."""
    config = {}
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, colon, value = line.partition(":")
        if not colon or line[0].isspace() or not key.strip():
            raise ValueError(f"{path}:{number}: expected 'key: value' at the top level, got {raw!r}")
        config[key.strip()] = _scalar(value.strip())
    return config


def _scalar(text):
    if text in ("true", "True"):
        return True
    if text in ("false", "False"):
        return False
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text
