"""Reading the YAML files a user edits (source.yml, params.yaml): a mapping, or one clear error line."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import ConfigError, yaml_problem


def read_yaml_mapping(path: Path, what: str) -> dict:
    """The mapping a YAML file holds; an unreadable file, bad YAML or another shape is a ConfigError."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {yaml_problem(exc)}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of {what}, got {type(data).__name__}")
    return data
