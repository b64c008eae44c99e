"""The publish stage: validated tables to outputs/, built in a staging folder and swapped in whole.

An interrupted publish leaves the previous outputs/ complete and untouched; nothing in outputs/
depends on the wall clock, so the same inputs give byte-identical files.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.atomic import recover_folder, staging_folder, swap_in_folder
from pipeline.core.schema import SCHEMAS_DIR, TABLES, load_schema
from pipeline.core.sources import Source
from pipeline.validate.combine import Validated

from .datapackage import datapackage, write_json
from .dcat import write_catalog
from .files import FileFacts
from .model import CatalogInput, PublishedTable
from .modes import open_up
from .reuse import Reuse, fingerprint
from .site.build import write_site
from .tables_out import Part, write_file

REPORT = "reports/validation.json"
PUBLISH_THREADS = 2


def _date_bound(values: pa.ChunkedArray, pick: str) -> date | datetime | None:
    if values.null_count == len(values):
        return None
    return (pc.min(values) if pick == "min" else pc.max(values)).as_py()


DATE_COLUMNS = ("start_date", "end_date", "retrieved_at")


def project_dates(validated: Validated) -> pa.Table:
    """The date columns of every published project (small: three values per project)."""
    parts = [segment.published("projects", list(DATE_COLUMNS)) for segment in validated.segments]
    return pa.concat_tables(parts) if parts else load_schema("projects").arrow_schema().empty_table().select(
        list(DATE_COLUMNS))


def data_modified(dates: pa.Table) -> date | None:
    """When the data last changed: the newest retrieval of a published card (never the wall clock)."""
    newest = _date_bound(dates.column("retrieved_at"), "max")
    return newest.date() if newest is not None else None


def _catalog_input(files: FileFacts, dates: pa.Table, rows: dict[str, int], sources: tuple[Source, ...],
                   params: dict) -> CatalogInput:
    published = tuple(
        PublishedTable(
            name=name, title=load_schema(name).descriptor.get("title", name),
            description=load_schema(name).descriptor.get("description", ""),
            schema_path=f"schemas/{name}.json", rows=rows[name],
            csv=files(f"csv/{name}.csv"), parquet=files(f"parquet/{name}.parquet"),
        )
        for name in TABLES
    )
    catalog = params.get("catalog", {})
    modified = data_modified(dates) or catalog.get("issued")
    return CatalogInput(
        base_url=params["public_base_url"], catalog=catalog, sources=sources, tables=published,
        datapackage=files("datapackage.json"), report=files(REPORT),
        temporal_start=_date_bound(dates.column("start_date"), "min"),
        temporal_end=_date_bound(dates.column("end_date"), "max"),
        modified=modified,
    )


def _parts(validated: Validated, name: str) -> Iterator[Part]:
    """A table's published rows segment by segment, with the CSV lines a worker already rendered."""
    if name == "quality":
        yield Part(lambda: validated.quality)
        return
    for segment in validated.segments:
        yield Part(partial(segment.published, name), segment.csv_bodies.get(name))


def _write_file(staged: Path, validated: Validated, files: FileFacts, reuse: Reuse, job: tuple[str, str]) -> None:
    """One table file, linked from the previous outputs when its rows are unchanged, else written (and hashed
    on the way)."""
    name, kind = job
    relative = f"{kind}/{name}.{kind}"
    linked = reuse.link(relative, fingerprint(validated, name), staged)
    if linked is not None:
        files.add(linked)
        return
    files.add(write_file(name, kind, _parts(validated, name), staged))


# Largest first, so the two threads finish together: Parquet (compressing) costs more than CSV (copying).
FILE_JOBS = tuple((name, kind) for name in TABLES for kind in ("parquet", "csv"))


def write_outputs(staged: Path, validated: Validated, sources: tuple[Source, ...], params: dict, reuse: Reuse
                  ) -> FileFacts:
    """Every output file into the (empty) folder `staged`, two files at a time, segment by segment.

    Arrow's CSV and Parquet writers and hashlib release the GIL, so two files are written at once.
    """
    (staged / "schemas").mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        shutil.copyfile(SCHEMAS_DIR / f"{name}.json", staged / "schemas" / f"{name}.json")
    files = FileFacts(staged)
    with ThreadPoolExecutor(max_workers=PUBLISH_THREADS) as pool:
        dates = pool.submit(project_dates, validated)  # for the catalogue, while the long files are written
        list(pool.map(partial(_write_file, staged, validated, files, reuse), FILE_JOBS))
    rows = validated.rows
    write_json(validated.report, staged / REPORT)
    package = datapackage([load_schema(n) for n in TABLES], rows, files, sources, params.get("catalog", {}))
    write_json(package, staged / "datapackage.json")
    catalog = _catalog_input(files, dates.result(), rows, sources, params)
    write_catalog(catalog, staged / "dcat")
    write_site(staged, catalog, files)  # last: its pages list the checksums of every file above
    return files


def publish(validated: Validated, sources: tuple[Source, ...], params: dict, out_dir: Path,
            record: Path | None = None) -> None:
    """Build outputs in a staging folder beside out_dir, open it up for reading by all, then swap it in atomically.

    With a `record` file, table files whose rows are unchanged since the last publish to out_dir are
    linked, not written again (see reuse.py).
    """
    recover_folder(out_dir)
    reuse = Reuse(record, out_dir)
    staged = staging_folder(out_dir)
    try:
        files = write_outputs(staged, validated, sources, params, reuse)
        open_up(staged)
        swap_in_folder(staged, out_dir)
    finally:
        if staged.exists():
            shutil.rmtree(staged)
    reuse.save({f"{kind}/{name}.{kind}": fingerprint(validated, name) for name, kind in FILE_JOBS}, files)


def read_report(path: Path) -> dict:
    """The validation report written by the validate stage."""
    return json.loads(path.read_text(encoding="utf-8"))
