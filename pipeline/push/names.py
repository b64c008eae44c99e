"""CKAN dataset names (the portal's /dataset/<name>) derived stably from dataset identifiers.

A name is the identifier's host and path made URL-safe, e.g. https://hankedata.example.org/dataset/projects
becomes hankedata-example-org-projects: the same identifier always gives the same name, and two
publishers of the same software on one portal do not collide. params.yaml ``ckan.names`` overrides
a name, keyed by the identifier's last segment (``projects``) or by the whole identifier.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from pipeline.core.errors import ConfigError

NAME_MAX = 100  # CKAN's PACKAGE_NAME_MAX_LENGTH
_NAME = re.compile(r"[a-z0-9_-]{2,100}")
_NOT_NAME = re.compile(r"[^a-z0-9_-]+")
_SKIPPED_SEGMENTS = frozenset({"", "dataset", "datasets"})


def slug(text: str) -> str:
    """Lower-case letters, digits, '-' and '_' only; runs of anything else become one '-'."""
    return _NOT_NAME.sub("-", text.lower()).strip("-")


def derived_name(identifier: str) -> str:
    """The default name: host (without www.) and path segments, joined by '-'; hashed when too long."""
    parts = urlsplit(identifier)
    host = (parts.hostname or "").removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s not in _SKIPPED_SEGMENTS]
    name = slug("-".join([host, *segments])) if host else slug(identifier)
    if len(name) > NAME_MAX:
        digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:8]
        name = f"{name[:NAME_MAX - 9].rstrip('-')}-{digest}"
    return name


def check_names(overrides: object) -> dict[str, str]:
    """params.yaml ckan.names, checked: a mapping of keys to valid CKAN names."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise ConfigError("params.yaml: 'ckan.names' must map dataset keys (e.g. projects) to CKAN names")
    checked = {}
    for key, name in overrides.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ConfigError(f"params.yaml: ckan.names.{key} must be 2-100 characters of a-z, 0-9, '-' and '_', "
                              f"got {name!r}")
        checked[str(key)] = name
    return checked


def dataset_name(identifier: str, overrides: Mapping[str, str]) -> str:
    """The CKAN name of a dataset: an override by whole identifier or last segment, else derived."""
    last = identifier.rstrip("/").rsplit("/", 1)[-1]
    return overrides.get(identifier) or overrides.get(last) or derived_name(identifier)
