"""Table files whose rows did not change are linked from the previous outputs instead of written again.

Each published table file gets a fingerprint: the digests of its rows in every segment, each made
with the code fingerprint (parser, schemas, writers, Arrow version). Equal fingerprints mean equal
bytes. After a publish, a record in the cache folder keeps, per file, its fingerprint, checksum
and what it is on disk (file_stat). The next publish to the same folder hard-links a file into its
staging folder when the fingerprint is the same and the file on disk is still the one recorded;
anything else (no cache, another folder, a file touched since, the staged commands, which carry
no digests) writes the file as before. Outputs are never changed in place, so sharing a file
between two versions of the folder is safe.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pipeline.core.atomic import atomic_writer
from pipeline.core.file_stat import file_stat
from pipeline.validate.combine import Validated

from .files import FileFacts, file_facts
from .model import PublishedFile


def fingerprint(validated: Validated, name: str) -> str | None:
    """What decides a table's files: its rows' digests in every segment (None when a segment has none).

    The quality table also holds the dataset findings; they follow from the segments' published
    projects and fill counts, which its segment digests cover, and the source declaration.
    """
    digests = [segment.digests.get(name) for segment in validated.segments]
    if not digests or None in digests:
        return None
    return hashlib.sha256(json.dumps([name, digests]).encode()).hexdigest()


class Reuse:
    """The files of the previous publish to one output folder, as its record describes them."""

    def __init__(self, record: Path | None, out_dir: Path) -> None:
        self.record = record
        self.out_dir = out_dir
        self.previous = self._read() if record is not None else {}

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.record.read_text(encoding="utf-8"))  # type: ignore[union-attr]
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("out_dir") != str(self.out_dir.resolve()):
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def link(self, relative: str, wanted: str | None, staged: Path) -> PublishedFile | None:
        """Hard-link out_dir/relative into `staged` when it is the recorded file of fingerprint `wanted`."""
        entry = self.previous.get(relative)
        if (wanted is None or not isinstance(entry, dict) or entry.get("fingerprint") != wanted
                or not isinstance(entry.get("bytes"), int) or not isinstance(entry.get("sha256"), str)):
            return None
        source = self.out_dir / relative
        if file_stat(source) != entry.get("stat"):
            return None
        target = staged / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            return None  # no hard links here (another file system, no permission): write it instead
        return file_facts(relative, entry["bytes"], entry["sha256"])

    def save(self, fingerprints: dict[str, str | None], facts: FileFacts) -> None:
        """Record the files now in out_dir (call after they are swapped in)."""
        if self.record is None:
            return
        files = {relative: {"fingerprint": print_, "stat": file_stat(self.out_dir / relative),
                            "bytes": facts(relative).bytes, "sha256": facts(relative).sha256}
                 for relative, print_ in fingerprints.items() if print_ is not None}
        with atomic_writer(self.record, durable=False) as handle:
            json.dump({"out_dir": str(self.out_dir.resolve()), "files": files}, handle, sort_keys=True)
