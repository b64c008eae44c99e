"""The exit guard's second pass: a contact name read from any card is masked wherever a published cell holds it.

The names are known only once every card is read, but `hankedata run` validates and renders each
segment in a worker before that. So each segment's check keeps the contact names read from its
cards and a key (64-bit hash) for each pair of capitalised words in a row in its published cells
(the cells the name hint picks, see personal_data.py). When every segment is in, only a segment
holding the first two words of a known name is masked again, here, and its files are rendered
again at publishing. The staged commands run the same code on the whole tables as one segment,
so both publish the same bytes. The cells of the validation report's errors are masked too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.findings import finding_row
from pipeline.core.tables import to_arrow
from pipeline.guard.cells import guarded_columns, personal_data_finding
from pipeline.guard.name_index import decoded_keys, hinted, keys_of
from pipeline.guard.personal_data import KNOWN_NAME, Name, Policy, mask_names, name_of

from .constraints import SchemaError
from .segment import PUBLISHED_TABLES, SegmentCheck, card_names

if TYPE_CHECKING:
    from .combine import Segment


def known_names(segments: list[Segment]) -> frozenset[Name]:
    """Every contact name read from any card of the segments, as the guard matches names."""
    written = {raw for segment in segments for names in segment.check.contact_names.values() for raw in names}
    return frozenset(filter(None, map(name_of, written)))


Found = Counter[tuple[str, str]]  # (card id, field) -> names masked


def _masked_table(table: pa.Table, schema: str, owner: str, rows: list[int] | None, names: frozenset[Name],
                  found: Found) -> pa.Table:
    """The table with the names masked in the hinted cells of its guarded columns (of the given rows)."""
    for name in guarded_columns(schema):
        column = table.column(name).combine_chunks()
        chosen = hinted(column, rows)
        if not pc.any(chosen).as_py():
            continue
        picked = pc.indices_nonzero(chosen)
        new = []
        for card_id, text in zip(table.column(owner).take(picked).to_pylist(), column.take(picked).to_pylist(),
                                 strict=True):
            masked, count = mask_names(text, names, KNOWN_NAME)
            if count:
                found[(card_id, f"{schema}.{name}")] += count
            new.append(masked)
        table = table.set_column(table.schema.get_field_index(name), name,
                                 pc.replace_with_mask(column, chosen, pa.array(new, column.type)))
    return table


def _table_or(tables: dict[str, pa.Table], load: Callable[[str], pa.Table], name: str) -> pa.Table:
    return tables[name] if name in tables else load(name)


def _segment_masked(segment: Segment, names: frozenset[Name]) -> Segment:
    """The segment with the names masked in its published rows and findings, and a finding for each cell."""
    check = segment.check
    found: Found = Counter()
    tables = {name: _masked_table(segment.load(name), name, "project_id", check.keep[name], names, found)
              for name in PUBLISHED_TABLES}
    findings = _masked_table(check.findings, "quality", "card_id", None, names, found)
    if not found:
        return segment
    cards = card_names(tables["projects"], findings)
    rows = to_arrow("quality", [finding_row(card_id, cards.get(card_id, card_id),
                                            personal_data_finding(field, KNOWN_NAME, count))
                                for (card_id, field), count in sorted(found.items())])
    findings = pa.concat_tables([findings, rows.cast(findings.schema)]).unify_dictionaries().combine_chunks()
    return replace(segment, load=partial(_table_or, tables, segment.load), check=replace(check, findings=findings),
                   csv_bodies={}, digests={})


def _errors_masked(errors: dict[str, list[SchemaError]], names: frozenset[Name]) -> dict[str, list[SchemaError]]:
    return {table: [replace(e, cell=mask_names(e.cell, names, KNOWN_NAME)[0]) for e in found]
            for table, found in errors.items()}


def _report_masked(check: SegmentCheck, names: frozenset[Name]) -> SegmentCheck:
    """The check with the names masked in its errors' cells (the validation report shows them)."""
    errors, foreign = _errors_masked(check.errors, names), _errors_masked(check.foreign_key_errors, names)
    same = errors == check.errors and foreign == check.foreign_key_errors
    return check if same else replace(check, errors=errors, foreign_key_errors=foreign)


def mask_known_names(segments: list[Segment], policy: Policy) -> list[Segment]:
    """The segments with every contact name read from any card masked in their published cells (see the module)."""
    names = known_names(segments) if policy.names else frozenset()
    if not names:
        return segments
    by_key = keys_of(names)
    wanted = np.array(sorted(by_key), np.uint64)
    out = []
    for segment in segments:
        check = _report_masked(segment.check, names)
        segment = segment if check is segment.check else replace(segment, check=check)
        hits = wanted[np.isin(wanted, decoded_keys(check.name_keys))]
        here = frozenset().union(*(by_key[int(key)] for key in hits))
        out.append(_segment_masked(segment, here) if here else segment)
    return out
