"""The stored card listing: used while the folders and manifest are unchanged, never once they changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpus import make_old

from benchmarks.generate import generate
from pipeline.parse import listing_cache
from pipeline.parse.inputs import collect_inputs, list_folder
from pipeline.parse.listing_cache import cached_listing


def _age(folder: Path) -> None:
    """Every folder and the manifest older than the racy window, so a stored listing can be trusted."""
    paths = [folder, *[p for p in folder.rglob("*") if p.is_dir()], folder / "manifest.json"]
    make_old(p for p in paths if p.exists())


@pytest.fixture()
def cards(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    generate(folder, 30, seed=2)
    (folder / "more").mkdir()
    (folder / "more" / "extra-1.txt").write_text((folder / "3.txt").read_text(encoding="utf-8"), encoding="utf-8")
    _age(folder)
    return folder


def _not_listed(monkeypatch) -> list[Path]:
    """Record every folder actually walked."""
    walked: list[Path] = []

    def recording(folder: Path, *rest):
        walked.append(folder)
        return list_folder(folder, *rest)

    monkeypatch.setattr(listing_cache, "list_folder", recording)
    return walked


def test_an_unchanged_folder_is_not_listed_again(cards: Path, tmp_path: Path, monkeypatch) -> None:
    walked = _not_listed(monkeypatch)
    cache = tmp_path / "cache"
    first = cached_listing(cache, cards)
    assert walked == [cards] and len(first) == 31
    assert cached_listing(cache, cards) == first == list_folder(cards).inputs
    assert walked == [cards]


@pytest.mark.parametrize("change", ["add", "remove", "rename", "add-below", "manifest", "manifest-gone"])
def test_any_change_to_the_listing_is_seen(cards: Path, tmp_path: Path, monkeypatch, change: str) -> None:
    walked = _not_listed(monkeypatch)
    cache = tmp_path / "cache"
    cached_listing(cache, cards)
    manifest = cards / "manifest.json"
    if change == "add":
        (cards / "new.txt").write_text("Hankkeen nimi\nUusi\n", encoding="utf-8")
    elif change == "remove":
        (cards / "5.txt").unlink()
    elif change == "rename":
        (cards / "more" / "extra-1.txt").rename(cards / "more" / "extra-2.txt")
    elif change == "add-below":
        (cards / "more" / "extra-3.htm").write_text("<p>Hankkeen nimi</p>", encoding="utf-8")
    elif change == "manifest":
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["pages"][0]["url"] = "https://example.org/moved?ID=1"
        manifest.write_text(json.dumps(data), encoding="utf-8")
    else:
        manifest.unlink()
    _age(cards)  # the same modification times as recorded: the change times still differ
    assert cached_listing(cache, cards) == list_folder(cards).inputs
    assert len(walked) == 2


def test_a_listing_made_while_the_folder_changes_is_not_trusted(cards: Path, tmp_path: Path, monkeypatch) -> None:
    walked = _not_listed(monkeypatch)
    cache = tmp_path / "cache"
    (cards / "new.txt").write_text("Hankkeen nimi\nUusi\n", encoding="utf-8")  # the folder changed just now
    cached_listing(cache, cards)
    cached_listing(cache, cards)
    assert len(walked) == 2  # within file_stat.RACY_NS of the record: listed again


@pytest.mark.parametrize("damage", ["{cut", '"a string"', "traversal", "other-folder"])
def test_a_damaged_or_foreign_record_is_ignored(cards: Path, tmp_path: Path, monkeypatch, damage: str) -> None:
    cache = tmp_path / "cache"
    cached_listing(cache, cards)
    [record] = (cache / listing_cache.LISTINGS_DIR).glob("*.json")
    if damage in ("traversal", "other-folder"):
        data = json.loads(record.read_text(encoding="utf-8"))
        if damage == "traversal":
            data["cards"][0][0] = "../../outside.txt"
        else:
            data["folder"] = str(tmp_path / "elsewhere")
        record.write_text(json.dumps(data), encoding="utf-8")
    else:
        record.write_text(damage, encoding="utf-8")
    walked = _not_listed(monkeypatch)
    assert cached_listing(cache, cards) == list_folder(cards).inputs
    assert walked == [cards]


def test_collect_inputs_is_the_same_with_and_without_the_cache(cards: Path, tmp_path: Path) -> None:
    manifest = cards / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["pages"].append({"file": "../outside.txt", "native_id": "999"})  # refused, kept as an input
    manifest.write_text(json.dumps(data), encoding="utf-8")
    _age(cards)
    cache = tmp_path / "cache"
    plain = collect_inputs([cards, cards / "7.txt"])
    with_cache = [collect_inputs([cards, cards / "7.txt"], lambda f: cached_listing(cache, f)) for _ in range(2)]
    assert with_cache == [plain, plain]
    assert [i.native_id for i in plain if i.refused] == ["999"]
