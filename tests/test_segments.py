"""`run` validates and publishes segment by segment; the files must be those the whole-table staged commands write."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
from conftest import REFERENCE, SNAPSHOT
from corpus import tree_hashes

from benchmarks.generate import generate
from pipeline.cli import main
from pipeline.normalise.records import arrow_tables, normalise
from pipeline.parse.dedupe import merge_duplicates
from pipeline.parse.inputs import collect_inputs
from pipeline.parse.read import card_bytes, records_from
from pipeline.segments import SEGMENT_CARDS
from pipeline.validate.segment import SegmentCheck, check_segment, kept


def corpus_with_bad_cards_last(folder: Path) -> None:
    """Generated cards spanning three segments, then cards whose ids sort last and break the schemas."""
    generate(folder, 2 * SEGMENT_CARDS + 40, seed=11)
    text = (SNAPSHOT / REFERENCE).read_text(encoding="utf-8")
    (folder / "zz-garbage.html").write_bytes(b"\x00\xff<html><body>" + bytes(range(256)) * 10)
    (folder / "zz-cut.txt").write_text(text[: len(text) // 3], encoding="utf-8")


def test_segmented_run_writes_what_the_staged_commands_write(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    corpus_with_bad_cards_last(cards)
    run_out, staged_out, build = tmp_path / "run", tmp_path / "staged", tmp_path / "build"
    assert main(["run", "--quiet", "--input", str(cards), "--out", str(run_out), "--build", str(tmp_path / "b1")]) == 0
    staged = (["parse", "--input", str(cards)], ["validate"], ["publish", "--out", str(staged_out)])
    for command in staged:
        assert main([command[0], "--quiet", "--build", str(build), *command[1:]]) == 0, command
    assert tree_hashes(run_out) == tree_hashes(staged_out)
    report = json.loads((run_out / "reports" / "validation.json").read_text(encoding="utf-8"))
    projects = next(t for t in report["tasks"] if t["name"] == "projects")
    assert [e["fieldName"] for e in projects["errors"]] == ["name"], "the garbage card has no name"
    assert projects["errors"][0]["rowNumber"] > 2 * SEGMENT_CARDS  # counted over all segments
    assert report["quarantined"] == ["oulu-zz-garbage"]
    assert not list(tmp_path.glob("b1/.segments-*")), "the scratch segments are removed after the run"


def test_check_round_trips_through_json_and_counts_filled_cells(source) -> None:
    records = [r for i in collect_inputs([SNAPSHOT]) for r in records_from(i, card_bytes(i), source)]
    tables = arrow_tables(normalise(merge_duplicates(records, source), source))
    projects = tables["projects"]
    assert projects.num_rows == 4
    results = pa.array(["tulokset", None, "", "lisää"], projects.schema.field("results").type)
    tables["projects"] = projects.set_column(projects.schema.get_field_index("results"), "results", results)
    check = check_segment(tables)
    assert check.quarantined == [] and check.keep == {"projects": None, "funding": None, "organisations": None}
    assert check.filled["results"] == 2  # null and "" are both empty, as a CSV reader sees them
    assert check.filled["project_id"] == 4
    again = SegmentCheck.from_json(json.loads(json.dumps(check.to_json())), check.findings)
    assert again == check
    assert kept(tables["funding"], None) is tables["funding"]
    assert kept(projects, [1, 3]).column("project_id").to_pylist() == projects.column("project_id").to_pylist()[1::2]
