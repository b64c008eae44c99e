"""params.yaml: run parameters, checked so a mistake is one clear line, not a traceback later."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError
from .paths import ROOT
from .yaml_files import read_yaml_mapping

PARAMS_FILE = ROOT / "params.yaml"
DEFAULTS: dict[str, Any] = {"build_dir": "build", "out_dir": "outputs", "workers": 2}
CATALOG_MAPPINGS = ("title", "description", "keywords")


def check_base_url(url: Any, where: str) -> str:
    """An absolute http(s) URL ending in '/'."""
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ConfigError(f"{where}: 'public_base_url' must be an absolute http(s) URL, got {url!r}")
    return url if url.endswith("/") else url + "/"


def load_params(path: Path = PARAMS_FILE) -> dict[str, Any]:
    """Read and check params.yaml."""
    data = read_yaml_mapping(path, "parameters")
    params = {**DEFAULTS, **data}
    chosen = params.get("sources", "all")
    if chosen != "all" and not (isinstance(chosen, list) and chosen and all(isinstance(k, str) for k in chosen)):
        raise ConfigError(f"{path}: 'sources' must be 'all' or a list of folders of sources/, got {chosen!r}")
    params["public_base_url"] = check_base_url(params.get("public_base_url"), str(path))
    try:
        params["workers"] = int(params["workers"])
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: 'workers' must be a whole number, got {params['workers']!r}") from exc
    if params["workers"] < 0:
        raise ConfigError(f"{path}: 'workers' must be 0 (one per core) or more")
    for key in ("build_dir", "out_dir"):
        if not isinstance(params[key], str) or not params[key]:
            raise ConfigError(f"{path}: '{key}' must be a folder path, got {params[key]!r}")
    if not isinstance(params.get("catalog", {}), dict):
        raise ConfigError(f"{path}: 'catalog' must be a mapping")
    for key in CATALOG_MAPPINGS:
        if not isinstance(params.get("catalog", {}).get(key, {}), dict):
            raise ConfigError(f"{path}: 'catalog.{key}' must map languages (fi, sv, en) to values")
    issued = params.get("catalog", {}).get("issued")
    if issued is not None:
        try:
            params["catalog"]["issued"] = date.fromisoformat(str(issued))
        except ValueError as exc:
            raise ConfigError(f"{path}: 'catalog.issued' must be a date like \"2026-11-28\", got {issued!r}") from exc
    return params
