"""A folder's card listing kept between runs, used again while no folder in it and no manifest changed.

Listing 100,000 cards (a walk of the folder plus a 25 MB manifest) takes over half a second, a
fifth of a run where one card changed. A listing depends only on the entries of the folders walked
and on the manifest: adding, removing or renaming an entry changes its folder's times, and editing
the manifest changes its own. So the listing is stored with the stat of each of them, taken before
it was read, and used again while every stat is the same and older than file_stat.RACY_NS (as for
card files). A record that cannot be read or does not fit is ignored and the folder listed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from pipeline.core.atomic import atomic_writer
from pipeline.core.file_stat import file_stat, still

from .inputs import CARD_SUFFIXES, MANIFEST, CardInput, list_folder

LISTING_FORMAT = "listing-2"
LISTINGS_DIR = "listings"


def _record_path(cache_dir: Path, folder: Path, suffixes: frozenset[str]) -> Path:
    listed = os.path.abspath(folder) + "\0" + "\0".join(sorted(suffixes))
    key = hashlib.sha256(listed.encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir / LISTINGS_DIR / f"{key}.json"


def _safe_name(name: object) -> bool:
    """A relative POSIX path inside the folder, as a listing makes them (a record is not trusted further)."""
    return (isinstance(name, str) and name != "" and not name.startswith("/") and "\x00" not in name
            and ".." not in name.split("/"))


def _card_input(folder: Path, prefix: str, row: object) -> CardInput:
    """A card input from a stored row [name, native id, URL, retrieval time, content type, refused];
    ValueError if it does not fit."""
    if not (isinstance(row, list) and len(row) == 6 and isinstance(row[0], str) and isinstance(row[1], str)
            and all(value is None or isinstance(value, str) for value in row[2:])):
        raise ValueError(f"not a stored card: {row!r:.200}")
    if row[5] is not None:  # refused: the manifest is all there is of it
        return CardInput(os.path.join(folder, MANIFEST), *row)
    if not _safe_name(row[0]):
        raise ValueError(f"not a name inside the folder: {row[0]!r:.200}")
    return CardInput(prefix + row[0], *row)


def _unchanged(recorded: list[int] | None, now: list[int] | None, recorded_ns: int) -> bool:
    """The path is as recorded: the same file or folder, or still absent (a manifest that was not there)."""
    return (recorded is None and now is None) or still(recorded, now, recorded_ns)


def _stored_inputs(record: Path, folder: Path) -> list[CardInput] | None:
    """The stored listing of `folder` when it is still right, else None."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        if data["format"] != LISTING_FORMAT or data["folder"] != os.path.abspath(folder):
            return None
        recorded_ns, watched, cards = data["recorded_ns"], data["watched"], data["cards"]
        if not all(_unchanged(stat, file_stat(path), recorded_ns) for path, stat in watched.items()):
            return None
        prefix = os.path.join(folder, "")  # as os.path.join(folder, name) makes the paths of a fresh listing
        return [_card_input(folder, prefix, row) for row in cards]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _store(record: Path, folder: Path, recorded_ns: int, inputs: list[CardInput],
           watched: dict[str, list[int] | None]) -> None:
    cards = [[i.name, i.native_id, i.url, i.retrieved_at, i.content_type, i.refused] for i in inputs]
    data = {"format": LISTING_FORMAT, "folder": os.path.abspath(folder), "recorded_ns": recorded_ns,
            "watched": watched, "cards": cards}
    with atomic_writer(record, durable=False) as handle:
        handle.write(json.dumps(data))  # ASCII: file names that are not UTF-8 survive as escapes


def cached_listing(cache_dir: Path, folder: Path, suffixes: frozenset[str] = CARD_SUFFIXES) -> list[CardInput]:
    """The inputs of `folder` (files with these suffixes), from the stored listing while it is still right, else
    listed and stored."""
    record = _record_path(cache_dir, folder, suffixes)
    inputs = _stored_inputs(record, folder)
    if inputs is not None:
        return inputs
    recorded_ns = time.time_ns()  # before any stat is taken: a change after it makes the record stale
    listing = list_folder(folder, suffixes)
    _store(record, folder, recorded_ns, listing.inputs, listing.watched)
    return listing.inputs
