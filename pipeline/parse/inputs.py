"""Which card files to read, and what is known about each (URL, retrieval time) from a manifest.

A folder with a manifest.json (a snapshot written by `hankedata fetch`) gives every page its
provenance; any other card file gets its file stem as native id. Names from a manifest are never
trusted as paths: a page must be a plain file name inside its folder.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, urlsplit

from pipeline.core.errors import UserError
from pipeline.core.file_stat import file_stat

CARD_SUFFIXES = frozenset({".txt", ".html", ".htm"})  # the default listing; sources declare their own
MANIFEST = "manifest.json"
_ID_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_ID_BAD_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class CardInput:
    """One card file and its provenance.

    The path is kept as text (a Path is accepted too): a hundred thousand of them go to the worker
    processes, and text pickles many times faster than Path objects. A manifest entry that cannot be
    read safely is still an input, `refused` with the reason (a finding "check:message"), so the run
    reports it instead of dropping it; its path is then the manifest's.
    """

    path: str | os.PathLike[str]
    name: str
    native_id: str
    url: str | None = None
    retrieved_at: str | None = None
    content_type: str | None = None
    refused: str | None = None

    @property
    def host(self) -> str | None:
        """Host the page was served from, if known (None for a URL that does not parse)."""
        try:
            return urlsplit(self.url).hostname if self.url else None
        except ValueError:
            return None


def safe_native_id(raw: str) -> str:
    """A native id usable in a project id and a file name: [A-Za-z0-9_.-], starting with a letter or digit."""
    text = raw.strip()
    if _ID_OK.fullmatch(text) and ".." not in text:
        return text
    cleaned = _ID_BAD_CHARS.sub("-", text).replace("..", "-").strip("-._")
    return cleaned[:100] or "card"


def id_from_url(url: str) -> str | None:
    """The ID= query parameter of a card URL (None when there is none or the URL does not parse)."""
    try:
        query = parse_qs(urlsplit(url).query)
    except ValueError:
        return None
    values = query.get("ID") or query.get("id")
    return values[0] if values else None


def _manifest_pages(path: Path) -> dict[str, dict]:
    """The manifest's pages by file name ({} when there is no manifest)."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from exc
    pages = data.get("pages", []) if isinstance(data, dict) else []
    return {p["file"]: p for p in pages if isinstance(p, dict) and isinstance(p.get("file"), str)}


def _text(entry: dict, key: str) -> str | None:
    """A manifest value that must be a non-empty string (anything else counts as absent)."""
    value = entry.get(key)
    return value if isinstance(value, str) and value else None


def _plain_name(name: str) -> bool:
    """A bare file name (no folder part, not '.' or '..', no NUL): the only names a manifest may give."""
    return name not in ("", ".", "..") and "/" not in name and "\x00" not in name


UNSAFE_NAME = "unsafe-manifest-name:the manifest names a card file outside its folder; the file is not read"


def _from_manifest(folder: Path, entry: dict) -> CardInput:
    """A manifest page as an input; one whose file name is not a plain name in the folder is refused."""
    name = entry["file"]
    plain = _plain_name(name)
    url = _text(entry, "url")
    raw_id = entry.get("native_id") or (id_from_url(url) if url else None) or PurePosixPath(name).stem
    path = os.path.join(folder, name if plain else MANIFEST)
    return CardInput(path, name, safe_native_id(str(raw_id)), url, _text(entry, "retrieved_at"),
                     _text(entry, "content_type"), None if plain else UNSAFE_NAME)


def _card_files(folder: Path, watched: dict[str, list[int] | None], suffixes: frozenset[str]) -> list[str]:
    """Card files under `folder` (any depth, symlinked folders not followed) as POSIX paths relative to it.

    Each folder's stat is taken into `watched` before it is read: a listing stays right while they
    are all unchanged (adding, removing or renaming an entry changes its folder's times).
    """
    found = []
    pending = [("", str(folder))]
    while pending:
        prefix, directory = pending.pop()
        watched[directory] = file_stat(directory)
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((f"{prefix}{entry.name}/", entry.path))
                elif os.path.splitext(entry.name)[1].lower() in suffixes and entry.is_file():
                    found.append(prefix + entry.name)
    return found


@dataclass(frozen=True)
class Listing:
    """A folder's card inputs, and the stat of every path they were read from (its folders and manifest)."""

    inputs: list[CardInput]
    watched: dict[str, list[int] | None]


def list_folder(folder: Path, suffixes: frozenset[str] = CARD_SUFFIXES) -> Listing:
    """Every input in a folder: the manifest's pages, then files with these suffixes the manifest does not list."""
    manifest = folder / MANIFEST
    watched = {str(manifest): file_stat(manifest)}
    pages = _manifest_pages(manifest)
    inputs = [_from_manifest(folder, e) for e in pages.values()]
    listed = {i.name for i in inputs}
    for rel in _card_files(folder, watched, suffixes):
        if rel not in listed:
            stem = PurePosixPath(rel).stem
            inputs.append(CardInput(os.path.join(folder, rel), rel, safe_native_id(stem)))
    return Listing(inputs, watched)


def _path_inputs(path: Path, list_cards: Callable[[Path], list[CardInput]]) -> list[CardInput]:
    if path.is_dir():
        return list_cards(path)
    if path.is_file():
        pages = _manifest_pages(path.parent / MANIFEST)
        from_manifest = _from_manifest(path.parent, pages[path.name]) if path.name in pages else None
        return [from_manifest or CardInput(str(path), path.name, safe_native_id(path.stem))]
    raise UserError(f"input not found: {path}")


def collect_inputs(paths: list[Path], list_cards: Callable[[Path], list[CardInput]] | None = None,
                   suffixes: frozenset[str] = CARD_SUFFIXES) -> list[CardInput]:
    """Inputs from files and folders, sorted by name; a missing or unreadable path is a UserError.

    `list_cards` lists a folder (default: list_folder with `suffixes`; a listing cache passes its own).
    """
    inputs: list[CardInput] = []
    for path in paths:
        try:
            inputs.extend(_path_inputs(path, list_cards or (lambda folder: list_folder(folder, suffixes).inputs)))
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path) else ""
            raise UserError(f"cannot read input {path}: {exc.strerror or exc}{where}") from exc
    return sorted(inputs, key=attrgetter("name", "path"))  # every path made here is text
