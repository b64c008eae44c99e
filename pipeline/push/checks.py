"""outputs/ must be what its catalogue says before anything is pushed.

Every file a distribution names must be in outputs/ with the catalogue's size and sha256, and
datapackage.json must agree on the CSV hashes: a folder edited after publishing is refused rather
than pushed half-true (the portal would show checksums of files it does not hold).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.errors import UserError

if TYPE_CHECKING:
    from .published import Published

CATALOG_TTL = "dcat/catalog.ttl"
DATAPACKAGE = "datapackage.json"


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_files(published: Published) -> None:
    """Every distribution's file exists with the catalogue's size and sha256; else a UserError."""
    seen: dict[str, str] = {}
    for dataset in published.datasets:
        for dist in dataset.distributions:
            if dist.path in seen:
                continue
            path = published.out_dir / dist.path
            if not path.is_file():
                raise UserError(f"{path} is named in {CATALOG_TTL} but missing: re-run `hankedata publish`")
            seen[dist.path] = file_sha256(path)
            if seen[dist.path] != dist.sha256 or path.stat().st_size != dist.byte_size:
                raise UserError(f"{path} differs from its entry in {CATALOG_TTL} (size or sha256): outputs/ was "
                                "changed after publishing; re-run `hankedata publish`")


def check_datapackage(published: Published) -> None:
    """datapackage.json must give the same sha256 for each CSV as the catalogue."""
    path = published.out_dir / DATAPACKAGE
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from exc
    hashes = {r.get("path"): str(r.get("hash", "")).removeprefix("sha256:") for r in package.get("resources", [])}
    for dataset in published.datasets:
        for dist in dataset.distributions:
            if dist.path in hashes and hashes[dist.path] != dist.sha256:
                raise UserError(f"{DATAPACKAGE} and {CATALOG_TTL} disagree on the sha256 of {dist.path}: "
                                "re-run `hankedata publish`")
