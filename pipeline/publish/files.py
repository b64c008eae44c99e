"""Facts about a published file: size, checksum, media type."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, BinaryIO

from .model import PublishedFile

TYPES = {".csv": ("text/csv", "CSV"), ".parquet": ("application/vnd.apache.parquet", "PARQUET"),
         ".json": ("application/json", "JSON"), ".ttl": ("text/turtle", "RDF_TURTLE"),
         ".rdf": ("application/rdf+xml", "RDF_XML"), ".jsonld": ("application/ld+json", "JSON_LD")}


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Hashed:
    """A binary file being written, hashed and counted on the way (so a new file need not be read back)."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.bytes += len(data)
        return self.handle.write(data)

    def __getattr__(self, name: str) -> Any:  # tell, flush, closed ... of the file itself
        return getattr(self.handle, name)


def file_facts(relative: str, size: int, sha256: str) -> PublishedFile:
    """A published file's facts, its type read from its name."""
    media_type, file_type = TYPES[Path(relative).suffix]
    return PublishedFile(relative, size, sha256, media_type, file_type)


def published_file(out_dir: Path, relative: str) -> PublishedFile:
    """Describe out_dir/relative for the catalogue and the data package."""
    path = out_dir / relative
    return file_facts(relative, path.stat().st_size, sha256_file(path))


class FileFacts:
    """Facts of the files in one output folder, each file read and hashed once however often it is described."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._known: dict[str, PublishedFile] = {}

    def __call__(self, relative: str) -> PublishedFile:
        """The facts of out_dir/relative (computed on first use; the file must not change afterwards)."""
        if relative not in self._known:
            self._known[relative] = published_file(self.out_dir, relative)
        return self._known[relative]

    def add(self, facts: PublishedFile) -> None:
        """Facts known without reading the file (one linked from the previous outputs)."""
        self._known[facts.path] = facts
