"""Which source reads which input: the one whose `inputs` suffixes include the file's.

A file that two sources could read goes to the one whose snapshot folder holds it; otherwise it is a
UserError asking for --source, never a guess. A file no source reads is a UserError too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pipeline.core.errors import UserError
from pipeline.core.sources import Source

from .inputs import CardInput, collect_inputs

Lister = Callable[[Path, frozenset[str]], list[CardInput]]


def _suffix(inp: CardInput) -> str:
    return os.path.splitext(inp.name)[1].lower()


def _inside(inp: CardInput, folder: Path) -> bool:
    return Path(os.fspath(inp.path)).resolve().is_relative_to(folder.resolve())


def source_of(inp: CardInput, sources: list[Source]) -> Source:
    """The source that reads this input (see the module docstring)."""
    if len(sources) == 1:
        return sources[0]
    candidates = [s for s in sources if _suffix(inp) in s.inputs]
    if len(candidates) > 1:
        candidates = [s for s in candidates if _inside(inp, s.snapshot_dir)] or candidates
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        known = ", ".join(f"{s.key} ({' '.join(s.inputs)})" for s in sources)
        raise UserError(f"no source reads {inp.name!r} (by its suffix); sources: {known}")
    raise UserError(f"{inp.name!r} could be read by {', '.join(s.key for s in candidates)}: choose with --source")


def routed(paths: list[Path] | None, sources: list[Source], lister: Lister | None = None
           ) -> list[tuple[Source, list[CardInput]]]:
    """Each source with its inputs: those of `paths` routed by suffix, or without paths its snapshot's."""
    def collect(chosen: list[Path], suffixes: frozenset[str]) -> list[CardInput]:
        listing = (lambda folder: lister(folder, suffixes)) if lister is not None else None
        return collect_inputs(chosen, listing, suffixes)

    if not paths:
        return [(s, collect([s.snapshot_dir], frozenset(s.inputs))) for s in sources if s.snapshot_dir.is_dir()]
    groups: dict[str, list[CardInput]] = {s.key: [] for s in sources}
    for inp in collect(paths, frozenset(x for s in sources for x in s.inputs)):
        groups[source_of(inp, sources).key].append(inp)
    found = [(s, groups[s.key]) for s in sources if groups[s.key]]
    return found or [(s, []) for s in sources]  # nothing to read: every source reports its empty dataset
