"""One project per card id: the same id fetched from two hosts is one project.

Rule (documented in the README): the copy from the host listed first in the source's `hosts`
wins; between copies from equally ranked hosts, a complete page beats a cut-off one, then the
later retrieval, then the file name. The other copies stay in the record's provenance
(`alternates`) and an info finding names them.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.core.findings import info
from pipeline.core.sources import Source

from .record import CardRecord


def _rank(record: CardRecord, source: Source) -> tuple:
    retrieved = record.retrieved_at or ""
    return (source.host_rank(record.host), not record.complete, _desc(retrieved), record.card)


def _desc(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def merge_duplicates(records: Iterable[CardRecord], source: Source) -> list[CardRecord]:
    """One record per project id, sorted by id; the others recorded as alternates."""
    groups: dict[str, list[CardRecord]] = {}
    for record in records:
        groups.setdefault(record.project_id, []).append(record)
    merged = []
    for project_id in sorted(groups):
        copies = sorted(groups[project_id], key=lambda r: _rank(r, source))
        keep = copies[0]
        for other in copies[1:]:
            keep.alternates.append({"card": other.card, "url": other.source_url, "host": other.host,
                                    "content_sha256": other.content_sha256, "complete": other.complete})
            same = other.content_sha256 == keep.content_sha256
            keep.findings.append(info(
                "duplicate-card", "",
                f"the same card id was also read from {other.card}"
                f"{' (identical bytes)' if same else ' with different text'}; "
                f"{keep.card} is canonical by the host rule, the other copy is kept in provenance",
                other.card,
            ))
        merged.append(keep)
    return merged
