"""Source declarations (sources/<key>/source.yml): what differs between sources is data, read here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .parsers import PARSERS, parser_module
from .paths import ROOT
from .yaml_files import read_yaml_mapping

SOURCES_DIR = ROOT / "sources"
# Every key a source.yml may have; anything else is a load error, never silently dropped.
SOURCE_KEYS = frozenset({
    "key", "id_prefix", "title", "publisher", "language", "licence", "parser", "layout", "page_url", "hosts",
    "discover", "fetch", "expect", "publish_contact_names", "publish_contact_phones", "publish_contact_emails",
    "inputs", "public_addresses",
})


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
    layout: Any  # the parser's own settings, typed and checked by it (see core/parsers.py)
    fetch: FetchPolicy
    page_url: str = ""  # with {id}; sources fetched page by page only
    hosts: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()  # file suffixes this source reads, e.g. '.html': how --input files are routed
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

    @property
    def lookups_dir(self) -> Path:
        """The source's own lookup tables (lookups/ beside source.yml); a table it lacks comes from the shared ones."""
        return self.directory / "lookups"

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


def _suffixes(data: dict, where: Path) -> tuple[str, ...]:
    """The file suffixes a source reads (lower case, with the dot); at least one."""
    suffixes = _strings(data, "inputs", where, required=True)
    if not all(s.startswith(".") and len(s) > 1 for s in suffixes):
        raise ConfigError(f"{where}: 'inputs' must list file suffixes such as '.html', got {suffixes!r}")
    return tuple(s.lower() for s in suffixes)


def load_source(path: Path) -> Source:
    """Read and check a source.yml; every problem is a ConfigError naming the file and key."""
    data = read_yaml_mapping(path, "source declaration")
    key = _require(data, "key", path)
    prefix = str(_require(data, "id_prefix", path))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", prefix):
        raise ConfigError(f"{path}: 'id_prefix' must be lower-case letters, digits and '-', got {prefix!r}")
    unknown = sorted(set(data) - SOURCE_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(map(repr, unknown))}; a source.yml knows "
                          f"{', '.join(sorted(SOURCE_KEYS))}")
    page_url = str(data.get("page_url") or "")
    if page_url and "{id}" not in page_url:
        raise ConfigError(f"{path}: 'page_url' must contain '{{id}}', got {page_url!r}")
    parser = str(_require(data, "parser", path))
    if parser not in PARSERS:
        raise ConfigError(f"{path}: unknown parser {parser!r}; known parsers: {', '.join(sorted(PARSERS))}")
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
        parser=parser,
        layout=parser_module(parser).layout(_mapping(data, "layout", path, required=False), path),
        page_url=page_url,
        hosts=tuple(_strings(data, "hosts", path)),
        inputs=_suffixes(data, path),
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


def all_sources(sources_dir: Path = SOURCES_DIR, keys: list[str] | None = None) -> list[Source]:
    """The sources named by `keys` (default: every folder of sources_dir with a source.yml), in key order."""
    chosen = keys if keys is not None else sorted(p.parent.name for p in sources_dir.glob("*/source.yml"))
    if not chosen:
        raise ConfigError(f"no source declarations (<key>/source.yml) in {sources_dir}")
    loaded = [source_by_key(key, sources_dir) for key in dict.fromkeys(chosen)]
    prefixes = [s.id_prefix for s in loaded]
    if len(set(prefixes)) < len(prefixes):
        raise ConfigError(f"two sources share an id_prefix: {', '.join(f'{s.key}={s.id_prefix}' for s in loaded)}")
    return sorted(loaded, key=lambda s: s.key)
