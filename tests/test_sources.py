"""The source contract: every source's snapshot in one run, inputs routed by suffix, every --input counted,
lookups per source with shared defaults, and a source.yml that names what the core does not know refused."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import yaml
from conftest import ROOT, SNAPSHOT

from pipeline.cli import main
from pipeline.core.sources import all_sources

OULU = ROOT / "sources" / "oulu-hanketietokanta"


def second_source(sources: Path, key: str = "testi-kortit", prefix: str = "testi", inputs: tuple = (".kortti",)
                  ) -> Path:
    """A copy of the Oulu declaration under another key and id prefix, reading files with other suffixes."""
    folder = sources / key
    folder.mkdir(parents=True)
    data = yaml.safe_load((OULU / "source.yml").read_text(encoding="utf-8"))
    data.update(key=key, id_prefix=prefix, inputs=list(inputs))
    (folder / "source.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def sources_dir(tmp_path: Path) -> Path:
    """The real Oulu source (with its snapshot) plus a second source with one card in its snapshot."""
    sources = tmp_path / "sources"
    shutil.copytree(OULU, sources / OULU.name)
    second = second_source(sources)
    (second / "snapshot").mkdir()
    shutil.copyfile(SNAPSHOT / "544.txt", second / "snapshot" / "900.kortti")
    return sources


def projects(out: Path) -> list[dict]:
    with (out / "csv" / "projects.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_run_without_arguments_publishes_every_source_in_one_output(tmp_path: Path) -> None:
    sources = sources_dir(tmp_path)
    assert main(["run", "--quiet", "--sources-dir", str(sources), "--out", str(tmp_path / "out")]) == 0
    rows = projects(tmp_path / "out")
    ids = [r["project_id"] for r in rows]
    assert ids == sorted(ids) and "testi-900" in ids and "oulu-662" in ids
    assert {r["source"] for r in rows} == {"oulu-hanketietokanta", "testi-kortit"}
    package = yaml.safe_load((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert len(package["sources"]) == 2


def test_inputs_are_routed_by_suffix_and_every_input_counts(tmp_path: Path) -> None:
    sources = sources_dir(tmp_path)
    cards = tmp_path / "cards"
    cards.mkdir()
    shutil.copyfile(SNAPSHOT / "544.txt", cards / "1.txt")
    shutil.copyfile(SNAPSHOT / "662.txt", cards / "2.kortti")
    shutil.copyfile(SNAPSHOT / "686.txt", tmp_path / "3.txt")
    out = tmp_path / "out"
    args = ["run", "--quiet", "--sources-dir", str(sources), "--out", str(out)]
    assert main([*args, "--input", str(cards / "1.txt"), "--input", str(cards / "2.kortti"),
                 "--input", str(tmp_path / "3.txt")]) == 0
    assert [r["project_id"] for r in projects(out)] == ["oulu-1", "oulu-3", "testi-2"]
    assert main([*args, "--input", str(cards)]) == 0  # a folder: each file by its suffix
    assert [r["project_id"] for r in projects(out)] == ["oulu-1", "testi-2"]
    assert main([*args, "--source", "testi-kortit", "--input", str(cards / "1.txt")]) == 0  # forced
    assert [r["project_id"] for r in projects(out)] == ["testi-1"]


def test_a_file_no_source_reads_is_a_clear_error(tmp_path: Path, capsys) -> None:
    sources = sources_dir(tmp_path)
    stray = tmp_path / "notes.pdf"
    stray.write_bytes(b"%PDF-1.4")
    code = main(["run", "--quiet", "--sources-dir", str(sources), "--input", str(stray), "--out", str(tmp_path / "o")])
    assert code == 2
    assert "no source reads 'notes.pdf'" in capsys.readouterr().err


def test_a_source_may_bring_its_own_lookup_table(tmp_path: Path) -> None:
    sources = sources_dir(tmp_path)
    lookups = sources / "testi-kortit" / "lookups"
    lookups.mkdir()
    (lookups / "status.csv").write_text("label,status,note\nPäättynyt,planned,this source's own reading\n",
                                        encoding="utf-8")
    assert main(["run", "--quiet", "--sources-dir", str(sources), "--out", str(tmp_path / "out")]) == 0
    status = {r["project_id"]: (r["status_label"], r["status"]) for r in projects(tmp_path / "out")}
    assert status["testi-900"] == ("Päättynyt", "planned")
    assert status["oulu-544"] == ("Päättynyt", "ended")  # the shared default still serves the other source


def test_sources_sharing_an_id_prefix_are_refused(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(OULU, sources / OULU.name)
    second_source(sources, prefix="oulu")
    done = main(["run", "--quiet", "--sources-dir", str(sources), "--out", str(tmp_path / "out")])
    assert done == 2
    assert not (tmp_path / "out").exists()


def test_the_repository_declares_every_source_it_ships() -> None:
    keys = [s.key for s in all_sources()]
    assert "oulu-hanketietokanta" in keys
    assert all(s.inputs for s in all_sources())
