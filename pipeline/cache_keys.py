"""Cache keys and where the cache lives: what a stored segment's validity is decided by.

A stored segment is used again only while its key is the same: the code and data it depends on
(see dependencies.py: the import closure of the segment engine and the parsers, schemas, lookups),
the source declaration, and each input's provenance and content hash. Any change is a different
key, so a stale segment is never used; there is no version number to forget to bump.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import fields, is_dataclass
from pathlib import Path
from re import Pattern

from pipeline.core.paths import PACKAGE_ROOT, ROOT
from pipeline.parse.inputs import CardInput

ENV_CACHE_DIR = "HANKEDATA_CACHE_DIR"
DISABLED = frozenset({"", "0", "off", "none", "no", "false"})


def cache_dir_for(build_dir: Path, explicit: Path | str | None = None) -> Path | None:
    """Where the cache lives: `explicit`, else $HANKEDATA_CACHE_DIR, else <build_dir>/cache.

    The words off/none/0 (explicitly or in the variable) disable the cache.
    """
    chosen = explicit if explicit is not None else os.environ.get(ENV_CACHE_DIR)
    if chosen is None:
        return build_dir / "cache"
    if str(chosen).strip().lower() in DISABLED:
        return None
    return Path(chosen)


def files_digest(paths: list[Path], seed: str = "") -> str:
    """SHA-256 over files' paths (relative to the project) and contents, in the order given."""
    digest = hashlib.sha256(seed.encode())
    for path in paths:
        base = next((b for b in (ROOT, PACKAGE_ROOT) if path.is_relative_to(b)), path.parent)
        name = path.relative_to(base)
        digest.update(name.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def canonical(value: object) -> object:
    """A JSON-ready, process-independent form of a declaration value (sets sorted, patterns as text)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Pattern):
        return {"pattern": value.pattern, "flags": int(value.flags)}
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, frozenset | set):
        return sorted(canonical(v) for v in value)  # type: ignore[type-var]
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def card_identity(inp: CardInput, content_sha256: str) -> list:
    """What a card's record depends on besides the code: its provenance and the hash of its bytes."""
    return [inp.name, inp.native_id, inp.url, inp.retrieved_at, inp.content_type, content_sha256]
