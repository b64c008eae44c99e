"""The snapshot folder: raw page files, their manifest, and writes that are never half done.

``manifest.json`` records, for each stored page file (``pages``, sorted by file):

- ``file``, ``native_id``: the file in the snapshot folder and the card id it holds;
- ``url``: the URL requested; ``final_url``: where the bytes came from after redirects;
- ``status``, ``content_type``: the HTTP status and the Content-Type header exactly as received
  (the bytes are stored as received, whatever charset the header claims);
- ``etag``, ``last_modified``: validators sent back as If-None-Match / If-Modified-Since next time;
- ``retrieved_at``: when the stored bytes were downloaded (UTC, ISO 8601 with ``Z``). A 304 Not
  Modified leaves the entry as it is: the stored bytes are still the ones retrieved then;
- ``sha256``, ``bytes``: hash and size of the stored file.

``findings`` holds what the last fetch of each card reported (``native_id``, ``url`` and the
Finding fields); a card fetched again has its findings replaced, other cards' are kept, and
findings of the listing pages have an empty ``native_id``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline.core.atomic import atomic_writer
from pipeline.core.errors import UserError
from pipeline.core.findings import Finding

from .confine import host_key

MANIFEST = "manifest.json"
NATIVE_ID = re.compile(r"[A-Za-z0-9_-]+")


def is_valid_native_id(native_id: str) -> bool:
    """Only ``[A-Za-z0-9_-]`` ids become file names; anything else could escape the folder."""
    return NATIVE_ID.fullmatch(native_id) is not None


def page_file_name(native_id: str, url: str, hosts: tuple[str, ...]) -> str:
    """``<id>.html`` for the canonical (first) host, ``<id>-<host with . and : as ->.html`` otherwise."""
    if not is_valid_native_id(native_id):
        raise ValueError(f"unsafe card id {native_id!r}")
    host = host_key(url)
    if hosts and host == hosts[0].lower():
        return f"{native_id}.html"
    return f"{native_id}-{re.sub(r'[^A-Za-z0-9-]+', '-', host).strip('-')}.html"


def utc_now() -> str:
    """The current time as UTC ISO 8601 with a 'Z', to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Readers see the old bytes or the new, never half (pipeline.atomic does the temp-file dance)."""
    with atomic_writer(path, "wb") as handle:
        handle.write(data)


def finding_entry(native_id: str, url: str, finding: Finding) -> dict:
    """A manifest findings entry."""
    return {"native_id": native_id, "url": url, **finding.to_dict()}


@dataclass
class Manifest:
    """The manifest in memory: pages by file name, findings in order."""

    pages: dict[str, dict] = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)

    def stored(self, folder: Path, file: str) -> dict | None:
        """The entry for a file if the file is present and still has the recorded hash."""
        entry = self.pages.get(file)
        path = folder / file
        if entry is None or not path.is_file():
            return None
        return entry if sha256_hex(path.read_bytes()) == entry.get("sha256") else None

    def replace_findings(self, native_ids: set[str], entries: list[dict]) -> None:
        """Drop earlier findings of these ids and add this run's."""
        kept = [entry for entry in self.findings if entry.get("native_id") not in native_ids]
        self.findings = kept + entries

    def to_json(self) -> str:
        """Pages sorted by file, findings sorted by id, url and check; indent 2, trailing newline."""
        pages = [self.pages[name] for name in sorted(self.pages)]
        findings = sorted(
            self.findings, key=lambda e: (str(e.get("native_id")), str(e.get("url")), str(e.get("check")))
        )
        return json.dumps({"pages": pages, "findings": findings}, indent=2, ensure_ascii=False) + "\n"


def load_manifest(folder: Path) -> Manifest:
    """Read folder/manifest.json; a missing one is empty, a malformed one a UserError."""
    path = folder / MANIFEST
    if not path.is_file():
        return Manifest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        pages = {entry["file"]: dict(entry) for entry in data.get("pages", [])}
        return Manifest(pages, [dict(entry) for entry in data.get("findings", [])])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        message = f"{path}: not a readable snapshot manifest ({exc}); move it aside to start afresh"
        raise UserError(message) from exc


def save_manifest(folder: Path, manifest: Manifest) -> None:
    """Write folder/manifest.json atomically."""
    write_atomic(folder / MANIFEST, manifest.to_json().encode("utf-8"))
