"""Source declarations (sources/<key>/source.yml): what differs between sources is data, read here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .paths import ROOT
from .yaml_files import read_yaml_mapping

SOURCES_DIR = ROOT / "sources"


@dataclass(frozen=True)
class Layout:
    """How a card of this source is laid out: labels and the markers the parser looks for."""

    labels: dict[str, str]
    list_fields: frozenset[str]
    free_text_fields: frozenset[str]
    ignored_labels: frozenset[str]
    footer_pattern: re.Pattern[str]
    page_title_pattern: str
    results_headings: tuple[str, ...]
    funding_table_heading: str
    total_label: str
    breakdown_prefix: str
    prose_funding_markers: tuple[str, ...]

    @cached_property
    def label_starts(self) -> tuple[str, ...]:
        """Every known or ignored label, for a cheap first test of a line (str.startswith takes a tuple)."""
        return tuple(self.labels) + tuple(self.ignored_labels)


@dataclass(frozen=True)
class FetchPolicy:
    """How politely the fetcher talks to this source."""

    requests_per_second: float = 1.0
    timeout_seconds: tuple[float, float] = (5.0, 30.0)
    max_retries: int = 4
    max_body_bytes: int = 5_000_000
    user_agent: str = "hankedata"


@dataclass(frozen=True)
class Source:
    """One source: metadata for the catalogue, how to fetch it, how to read its cards."""

    key: str
    id_prefix: str
    title: dict[str, str]
    publisher: dict[str, str]
    language: str
    licence: dict[str, str]
    parser: str
    page_url: str
    hosts: tuple[str, ...]
    layout: Layout
    fetch: FetchPolicy
    discover: dict[str, Any] = field(default_factory=dict)
    expect: dict[str, Any] = field(default_factory=dict)
    publish_contact_names: bool = False
    publish_contact_phones: bool = False
    publish_contact_emails: bool = False
    public_addresses: tuple[str, ...] = ()  # role addresses the publisher chose to publish (lower case)
    directory: Path = SOURCES_DIR

    @property
    def snapshot_dir(self) -> Path:
        """Where the committed snapshot of raw pages lives."""
        return self.directory / "snapshot"

    def page_url_for(self, native_id: str) -> str:
        """The canonical page URL of a card id."""
        return self.page_url.format(id=native_id)

    def host_rank(self, host: str | None) -> int:
        """Lower is more canonical; unknown hosts rank last."""
        return self.hosts.index(host) if host in self.hosts else len(self.hosts)


def _require(data: dict, key: str, where: Path) -> Any:
    if key not in data or data[key] in (None, ""):
        raise ConfigError(f"{where}: missing required key '{key}'")
    return data[key]


def _mapping(data: dict, key: str, where: Path, required: bool = True) -> dict:
    """A setting that must be a mapping (an empty one when optional and absent)."""
    value = _require(data, key, where) if required else (data.get(key) or {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: '{key}' must be a mapping, got {type(value).__name__}")
    return value


def _strings(data: dict, key: str, where: Path, required: bool = False) -> list[str]:
    """A setting that must be a list of strings (empty when optional and absent)."""
    value = _require(data, key, where) if required else (data.get(key) or [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings, got {value!r}"[:300])
    return value


_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _addresses(data: dict, where: Path) -> tuple[str, ...]:
    """public_addresses: e-mail addresses the publisher chose to publish, which the personal-data guard keeps."""
    addresses = _strings(data, "public_addresses", where)
    for address in addresses:
        if not _ADDRESS.fullmatch(address.strip()):
            raise ConfigError(f"{where}: 'public_addresses' must list e-mail addresses, got {address!r}"[:300])
    return tuple(sorted({address.strip().casefold() for address in addresses}))


def _layout(data: dict, where: Path) -> Layout:
    labels = _require(data, "labels", where)
    if not isinstance(labels, dict) or not labels:
        raise ConfigError(f"{where}: 'layout.labels' must map card labels to field names")
    try:
        footer = re.compile(str(_require(data, "footer_pattern", where)))
    except re.error as exc:
        raise ConfigError(f"{where}: 'layout.footer_pattern' is not a valid regular expression: {exc}") from exc
    return Layout(
        labels={str(k): str(v) for k, v in labels.items()},
        list_fields=frozenset(_strings(data, "list_fields", where)),
        free_text_fields=frozenset(_strings(data, "free_text_fields", where)),
        ignored_labels=frozenset(_strings(data, "ignored_labels", where)),
        footer_pattern=footer,
        page_title_pattern=str(data.get("page_title_pattern", "")),
        results_headings=tuple(_strings(data, "results_headings", where)),
        funding_table_heading=str(data.get("funding_table_heading", "Rahoitussuunnitelma")),
        total_label=str(data.get("total_label", "Yhteensä")),
        breakdown_prefix=str(data.get("breakdown_prefix", "josta")),
        prose_funding_markers=tuple(_strings(data, "prose_funding_markers", where)),
    )


def _expect(data: dict, where: Path) -> dict[str, Any]:
    """Dataset assertions: projects {min, max} and fill_rates {column: share}, all numbers."""
    expect = _mapping(data, "expect", where, required=False)
    bounds = _mapping(expect, "projects", where, required=False)
    rates = _mapping(expect, "fill_rates", where, required=False)
    for name, value in [*bounds.items(), *rates.items()]:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: 'expect' value '{name}' must be a number, got {value!r}")
    return expect


def _fetch_policy(data: dict, where: Path) -> FetchPolicy:
    try:
        connect, read = data.get("timeout_seconds", (5, 30))
        return FetchPolicy(
            requests_per_second=float(data.get("requests_per_second", 1.0)),
            timeout_seconds=(float(connect), float(read)),
            max_retries=int(data.get("max_retries", 4)),
            max_body_bytes=int(data.get("max_body_bytes", 5_000_000)),
            user_agent=str(data.get("user_agent", "hankedata")),
        )
    except (TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{where}: 'fetch' settings are malformed: {exc}") from exc


def load_source(path: Path) -> Source:
    """Read and check a source.yml; every problem is a ConfigError naming the file and key."""
    data = read_yaml_mapping(path, "source declaration")
    key = _require(data, "key", path)
    prefix = str(_require(data, "id_prefix", path))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", prefix):
        raise ConfigError(f"{path}: 'id_prefix' must be lower-case letters, digits and '-', got {prefix!r}")
    page_url = str(_require(data, "page_url", path))
    if "{id}" not in page_url:
        raise ConfigError(f"{path}: 'page_url' must contain '{{id}}', got {page_url!r}")
    licence = _mapping(data, "licence", path)
    if not isinstance(licence.get("url"), str):
        raise ConfigError(f"{path}: 'licence.url' must be the licence's URL")
    return Source(
        key=str(key),
        id_prefix=prefix,
        title=_mapping(data, "title", path),
        publisher=_mapping(data, "publisher", path),
        language=str(data.get("language", "fi")),
        licence=licence,
        parser=str(_require(data, "parser", path)),
        page_url=page_url,
        hosts=tuple(_strings(data, "hosts", path, required=True)),
        layout=_layout(_mapping(data, "layout", path), path),
        fetch=_fetch_policy(_mapping(data, "fetch", path, required=False), path),
        discover=_mapping(data, "discover", path, required=False),
        expect=_expect(data, path),
        publish_contact_names=bool(data.get("publish_contact_names", False)),
        publish_contact_phones=bool(data.get("publish_contact_phones", False)),
        publish_contact_emails=bool(data.get("publish_contact_emails", False)),
        public_addresses=_addresses(data, path),
        directory=path.parent,
    )


def source_by_key(key: str, sources_dir: Path = SOURCES_DIR) -> Source:
    """Load sources/<key>/source.yml; the key must be a plain folder name."""
    if not isinstance(key, str) or Path(key).name != key or key in ("", ".", ".."):
        raise ConfigError(f"source key must be the name of a folder of {sources_dir}, got {key!r}")
    path = sources_dir / key / "source.yml"
    if not path.is_file():
        known = sorted(p.parent.name for p in sources_dir.glob("*/source.yml"))
        raise ConfigError(f"unknown source '{key}' (no {path}); known sources: {', '.join(known) or 'none'}")
    return load_source(path)
