"""`hankedata run` on the bundled snapshot and on folders of cards; outputs re-read by real readers."""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
from conftest import REFERENCE, SNAPSHOT
from frictionless import Package, validate

from pipeline.cli import main
from pipeline.core.schema import TABLES, load_schema

CONTRACT = [*(f"csv/{t}.csv" for t in TABLES), *(f"parquet/{t}.parquet" for t in TABLES), "datapackage.json",
            "dcat/catalog.ttl", "dcat/catalog.rdf", "dcat/catalog.jsonld", "reports/validation.json"]
REFERENCE_ID = "oulu-kuutoskaupunkien-avoimet-innovaatioalustat"


def rows(out: Path, table: str) -> list[dict]:
    with (out / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_contract_files_present_and_non_empty(snapshot_run: Path) -> None:
    for relative in CONTRACT:
        assert (snapshot_run / relative).stat().st_size > 0, relative


def test_one_project_per_card_id(snapshot_run: Path) -> None:
    projects = {r["project_id"]: r for r in rows(snapshot_run, "projects")}
    assert sorted(projects) == ["oulu-544", "oulu-662", "oulu-686", REFERENCE_ID]
    seed = projects[REFERENCE_ID]
    assert seed["name"] == "Kuutoskaupunkien Avoimet innovaatioalustat kärkihanke valtakunnallinen koordinaatioprojekti"
    assert (seed["start_date"], seed["end_date"], seed["status"], seed["status_label"]) == (
        "2015-02-01", "2018-07-31", "ended", "Päättynyt")
    assert projects["oulu-686"]["source_url"].startswith("https://www.oukapalvelut.fi/")
    assert projects["oulu-544"]["funding_total_eur"] == "237700.00"


def test_funding_and_organisation_counts(snapshot_run: Path) -> None:
    funding = rows(snapshot_run, "funding")
    assert len([r for r in funding if r["project_id"] == REFERENCE_ID]) == 9
    assert len([r for r in funding if r["project_id"] == "oulu-544"]) == 2
    orgs = [r for r in rows(snapshot_run, "organisations") if r["project_id"] == REFERENCE_ID]
    assert sum(r["role"] == "funder" for r in orgs) == 4
    assert sum(r["role"] == "implementer" for r in orgs) == 11


def test_frictionless_validates_the_package(snapshot_run: Path) -> None:
    report = validate(snapshot_run / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    package = Package(snapshot_run / "datapackage.json")
    assert [r.name for r in package.resources] == list(TABLES)
    for resource in package.resources:
        assert resource.hash and resource.hash.startswith("sha256:")
        assert resource.bytes == (snapshot_run / resource.path).stat().st_size


def test_parquet_types_for_pandas_pyarrow_duckdb_polars(snapshot_run: Path) -> None:
    funding = pq.read_table(snapshot_run / "parquet" / "funding.parquet")
    assert str(funding.schema.field("amount_eur").type) == "decimal128(18, 2)"
    assert str(funding.schema.field("year").type) == "int64"
    assert funding.schema.field("line_type").type.value_type == "string"
    assert funding.schema.field("amount_eur").metadata[b"description"].startswith(b"Amount in euros")
    projects = pd.read_parquet(snapshot_run / "parquet" / "projects.parquet")
    assert str(projects["status"].dtype) == "category"
    assert projects.loc[projects.project_id == REFERENCE_ID, "stated_total_eur"].item() == Decimal("1027995.00")
    con = duckdb.connect()
    total = con.execute(f"select sum(amount_eur) from '{snapshot_run}/parquet/funding.parquet' "
                        "where line_type = 'source'").fetchone()[0]
    assert total == Decimal("1265693.00")
    described = con.execute(f"describe select * from '{snapshot_run}/parquet/projects.parquet'").fetchall()
    kinds = {row[0]: row[1] for row in described}
    assert kinds["start_date"] == "DATE" and kinds["funders"] == "BIGINT"
    frame = pl.read_parquet(snapshot_run / "parquet" / "funding.parquet")
    assert frame.schema["amount_eur"] == pl.Decimal(18, 2)


def test_csv_and_parquet_hold_the_same_rows(snapshot_run: Path) -> None:
    for table in TABLES:
        from_csv = pd.read_csv(snapshot_run / "csv" / f"{table}.csv", dtype=str, keep_default_na=False)
        from_parquet = pd.read_parquet(snapshot_run / "parquet" / f"{table}.parquet")
        assert list(from_csv.columns) == load_schema(table).field_names == list(from_parquet.columns)
        assert len(from_csv) == len(from_parquet)
        assert from_csv.iloc[:, 0].tolist() == from_parquet.iloc[:, 0].astype(str).tolist()


def test_csv_is_rfc4180_with_crlf(snapshot_run: Path) -> None:
    data = (snapshot_run / "csv" / "projects.csv").read_bytes()
    header, _, _ = data.partition(b"\r\n")
    assert header.decode().replace('"', "").split(",") == load_schema("projects").field_names
    assert data.endswith(b"\r\n")


def test_input_folder_and_file_stem_ids(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    shutil.copy(SNAPSHOT / REFERENCE, cards / "766.txt")
    shutil.copy(SNAPSHOT / "544.txt", cards / "abc.txt")
    out = tmp_path / "out"
    assert main(["run", "--quiet", "--input", str(cards), "--out", str(out)]) == 0
    ids = sorted(r["project_id"] for r in rows(out, "projects"))
    assert ids == ["oulu-766", "oulu-abc"]
    assert {r["card"] for r in rows(out, "quality")} >= {"abc.txt"}


def test_quarantine_invariant_on_mixed_folder(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    shutil.copy(SNAPSHOT / REFERENCE, cards / "good.txt")
    text = (SNAPSHOT / REFERENCE).read_text(encoding="utf-8")
    (cards / "cut.txt").write_text(text[: len(text) // 3], encoding="utf-8")
    (cards / "garbage.html").write_bytes(b"\x00\xff<html><body>" + bytes(range(256)) * 10)
    (cards / "empty.txt").write_bytes(b"")
    (cards / "noname.txt").write_text(text.replace("Hankkeen nimi", "Hankkeen nimii").splitlines()[3], "utf-8")
    out = tmp_path / "out"
    assert main(["run", "--quiet", "--input", str(cards), "--out", str(out)]) == 0
    published = {r["project_id"] for r in rows(out, "projects")}
    errors = {(r["card_id"], r["quarantined"]) for r in rows(out, "quality") if r["severity"] == "error"}
    for card in ("good", "cut", "garbage", "empty", "noname"):
        card_id = f"oulu-{card}"
        assert card_id in published or (card_id, "true") in errors, card
    assert {"oulu-good", "oulu-cut"} <= published
    assert {"oulu-garbage", "oulu-empty"}.isdisjoint(published)
    report = json.loads((out / "reports" / "validation.json").read_text(encoding="utf-8"))
    assert set(report["quarantined"]) >= {"oulu-garbage", "oulu-empty"}
    assert validate(out / "datapackage.json").valid


def test_strict_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", "--quiet", "--strict", "--out", str(out)]) == 1
    cards = tmp_path / "cards"
    cards.mkdir()
    shutil.copy(SNAPSHOT / "686.txt", cards / "686.txt")
    shutil.copy(SNAPSHOT / REFERENCE, cards / "ref.txt")
    (cards / "686.txt").unlink()
    assert main(["run", "--quiet", "--strict", "--input", str(cards), "--out", str(out)]) == 0
