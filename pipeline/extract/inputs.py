"""Which card files to read, and what is known about each (URL, retrieval time) from a manifest.

A folder with a manifest.json (a snapshot written by `hankedata fetch`) gives every page its
provenance; any other card file gets its file stem as native id. Names from a manifest are never
trusted as paths: a page must be a plain file name inside its folder.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import UserError

CARD_SUFFIXES = frozenset({".txt", ".html", ".htm"})
MANIFEST = "manifest.json"
_ID_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_ID_BAD_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class CardInput:
    """One card file and its provenance."""

    path: Path
    name: str
    native_id: str
    url: str | None = None
    retrieved_at: str | None = None
    content_type: str | None = None

    @property
    def host(self) -> str | None:
        """Host the page was served from, if known."""
        return urlsplit(self.url).hostname if self.url else None


def safe_native_id(raw: str) -> str:
    """A native id usable in a project id and a file name: [A-Za-z0-9_.-], no leading dot."""
    text = raw.strip()
    if _ID_OK.fullmatch(text) and ".." not in text:
        return text
    cleaned = _ID_BAD_CHARS.sub("-", text).replace("..", "-").strip("-.")
    return cleaned[:100] or "card"


def id_from_url(url: str) -> str | None:
    """The ID= query parameter of a card URL."""
    values = parse_qs(urlsplit(url).query).get("ID") or parse_qs(urlsplit(url).query).get("id")
    return values[0] if values else None


def _manifest_pages(folder: Path) -> dict[str, dict]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from exc
    pages = data.get("pages", []) if isinstance(data, dict) else []
    return {p["file"]: p for p in pages if isinstance(p, dict) and isinstance(p.get("file"), str)}


def _from_manifest(folder: Path, entry: dict) -> CardInput | None:
    name = entry["file"]
    if Path(name).name != name or name in ("", ".", ".."):
        return None
    url = entry.get("url") or None
    raw_id = entry.get("native_id") or (id_from_url(url) if url else None) or Path(name).stem
    return CardInput(folder / name, name, safe_native_id(str(raw_id)), url,
                     entry.get("retrieved_at"), entry.get("content_type"))


def _folder_inputs(folder: Path) -> list[CardInput]:
    pages = _manifest_pages(folder)
    inputs = [i for i in (_from_manifest(folder, e) for e in pages.values()) if i is not None]
    listed = {i.name for i in inputs}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and path.suffix.lower() in CARD_SUFFIXES and rel not in listed:
            inputs.append(CardInput(path, rel, safe_native_id(path.stem)))
    return inputs


def collect_inputs(paths: list[Path]) -> list[CardInput]:
    """Card inputs from files and folders, sorted by name; a missing path is a UserError."""
    inputs: list[CardInput] = []
    for path in paths:
        if path.is_dir():
            inputs.extend(_folder_inputs(path))
        elif path.is_file():
            pages = _manifest_pages(path.parent)
            from_manifest = _from_manifest(path.parent, pages[path.name]) if path.name in pages else None
            inputs.append(from_manifest or CardInput(path, path.name, safe_native_id(path.stem)))
        else:
            raise UserError(f"input not found: {path}")
    return sorted(inputs, key=lambda i: (i.name, str(i.path)))
