"""Facts about a published file: size, checksum, media type."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .model import PublishedFile

TYPES = {".csv": ("text/csv", "CSV"), ".parquet": ("application/vnd.apache.parquet", "PARQUET"),
         ".json": ("application/json", "JSON")}


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def published_file(out_dir: Path, relative: str) -> PublishedFile:
    """Describe out_dir/relative for the catalogue and the data package."""
    path = out_dir / relative
    media_type, file_type = TYPES[path.suffix]
    return PublishedFile(relative, path.stat().st_size, sha256_file(path), media_type, file_type)
