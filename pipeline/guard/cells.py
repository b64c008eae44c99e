"""The exit guard's first pass: a batch's tables masked and cut cell by cell, with a finding for each change.

It runs where cards become tables, the same code for `hankedata run` (in its workers) and the staged
`normalise`, so both publish the same bytes; the records (build/records.jsonl, the record cache)
keep each text as the card gave it. Every text column that holds what a card says is checked:
keys, enums, checksums and URIs are made by the pipeline and must stay joinable and valid.
A column-wide RE2 hint picks the few cells the Python rules read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.findings import Finding, warning
from pipeline.core.schema import load_schema

from .cell_limit import CELL_LIMIT, cut, units
from .personal_data import CONTACT_NAME, HINTS, NAME_HINT, WHAT, Name, Policy, mask, name_of

PERSONAL_DATA = "personal-data"
TEXT_TRUNCATED = "text-truncated"
CardFinding = tuple[str, str, Finding]  # card id, card (URL or file name), finding
LONG = "long"  # not a rule: a text that may not fit a spreadsheet cell


@dataclass(frozen=True)
class CardContacts:
    """What pass 1 needs to know of a card besides its rows: where it came from and its contacts' names."""

    card: str
    names: tuple[str, ...]


@cache
def guarded_columns(schema_name: str) -> tuple[str, ...]:
    """The text columns of a table that hold what a card says (not keys, enums, patterns or URIs)."""
    schema = load_schema(schema_name)
    keys = set(schema.primary_key) | {name for key in schema.descriptor.get("foreignKeys", [])
                                      for name in key["fields"]}
    return tuple(f["name"] for f in schema.fields
                 if f["type"] == "string" and f["name"] not in keys and "format" not in f
                 and not {"enum", "pattern"} & set(f.get("constraints", {})))


def personal_data_finding(field: str, rule: str, count: int) -> Finding:
    """The finding that names a masked value's field and rule (never the value)."""
    return warning(PERSONAL_DATA, field, f"personal data masked in the published value: {count} × {WHAT[rule]} "
                                         f"(rule '{rule}'); the source's policy does not publish it")


def truncated_finding(field: str, length: int, limit: int) -> Finding:
    """The finding that names a cut cell's field and how long its text was."""
    return warning(TEXT_TRUNCATED, field, f"text of {length:,} characters cut to {limit:,} (a spreadsheet cell "
                                          f"holds {CELL_LIMIT:,}); the card's record keeps the whole text")


class _Pass:
    """One batch's pass: the policy, each card's names (parsed once) and the findings so far."""

    def __init__(self, policy: Policy, cards: dict[str, CardContacts]) -> None:
        self.policy = policy
        self.cards = cards
        self.names: dict[str, frozenset[Name]] = {}
        named = sorted(owner for owner in cards if self.names_of(owner)) if policy.names else []
        self.named = pa.array(named, pa.large_string()) if named else None
        first_words = sorted({name[0] for owner in named for name in self.names_of(owner)})
        self.first_words = "(?i)" + "|".join(map(re.escape, first_words))  # any card's name may start here
        self.found: Counter[tuple[str, str, str]] = Counter()  # (card id, field, rule) -> count
        self.cut: list[tuple[str, str, int, int]] = []  # (card id, field, length, limit)

    def names_of(self, owner: str) -> frozenset[Name]:
        if owner not in self.names:
            people = self.cards.get(owner)
            self.names[owner] = frozenset(filter(None, map(name_of, people.names if people else ())))
        return self.names[owner]

    def hints(self, column: pa.Array, owners: pa.Array) -> dict[str, np.ndarray]:
        """Per rule, the rows whose cell it may change: its hint matches (names: and the card has contact names);
        under LONG, the rows whose text may be too long for a spreadsheet cell."""
        found = {rule: pc.match_substring_regex(column, HINTS[rule]) for rule in self.policy.rules()}
        if self.named is not None:
            found[CONTACT_NAME] = pc.and_(pc.and_(pc.is_in(owners, value_set=self.named),
                                                 pc.match_substring_regex(column, self.first_words)),
                                          pc.match_substring_regex(column, NAME_HINT))
        found[LONG] = pc.greater(pc.utf8_length(column), CELL_LIMIT // 2)
        return {rule: pc.fill_null(rows, False).to_numpy(zero_copy_only=False) for rule, rows in found.items()}

    def cell(self, owner: str, field: str, text: str, rules: set[str]) -> str:
        names = self.names_of(owner) if CONTACT_NAME in rules else frozenset()
        if names:  # a card has a name or two: most cells hold none of their first words
            folded = text.casefold()
            names = frozenset(name for name in names if name[0] in folded)
        masked, found = mask(text, self.policy, names, CONTACT_NAME, rules)
        for rule, count in found.items():
            self.found[(owner, field, rule)] += count
        shorter = cut(masked) if LONG in rules else None
        if shorter is None:
            return masked
        self.cut.append((owner, field, units(masked), units(shorter)))
        return shorter

    def column(self, column: pa.Array, owners: pa.Array, field: str, hints: dict[str, np.ndarray]) -> pa.Array:
        """The column with each hinted cell masked and cut (`hints` are the column's rows of self.hints)."""
        chosen = np.logical_or.reduce(list(hints.values()))
        if not chosen.any():
            return column
        rows = np.flatnonzero(chosen)
        texts, ids = column.take(rows).to_pylist(), owners.take(rows).to_pylist()
        new = [self.cell(owner, field, text, {rule for rule, hit in hints.items() if hit[row]})
               for row, owner, text in zip(rows, ids, texts, strict=True)]
        return pc.replace_with_mask(column, pa.array(chosen), pa.array(new, column.type))

    def findings(self) -> list[CardFinding]:
        found = [(owner, personal_data_finding(field, rule, count))
                 for (owner, field, rule), count in sorted(self.found.items())]
        found += [(owner, truncated_finding(field, length, limit)) for owner, field, length, limit in self.cut]
        return [(owner, self.card(owner), finding) for owner, finding in found]

    def card(self, owner: str) -> str:
        """The card's URL or file name, as its other findings show it (masked the same way)."""
        people = self.cards.get(owner)
        return mask(people.card, self.policy, self.names_of(owner))[0] if people else owner


def guard_tables(tables: dict[str, pa.Table], schemas: dict[str, str], policy: Policy,
                 cards: dict[str, CardContacts]) -> tuple[dict[str, pa.Table], list[CardFinding]]:
    """Every guarded cell of a batch's tables masked under the policy and cut to fit a spreadsheet; the findings.

    `schemas` names each table's schema (the findings table is the quality table); `cards` holds each
    card's source and contact names, by project id.
    """
    run = _Pass(policy, cards)
    places = [(name, column, "card_id" if schemas[name] == "quality" else "project_id")
              for name in tables for column in guarded_columns(schemas[name])]
    columns = [tables[name].column(column).combine_chunks() for name, column, _ in places]
    owners = [tables[name].column(owner).combine_chunks() for name, _, owner in places]
    # one call per hint for the whole batch (pyarrow compiles the pattern anew on every call); large_string
    # offsets, as a batch of giant cards can hold more than 2 GB of text
    hints = run.hints(*(pa.concat_arrays([a.cast(pa.large_string()) for a in arrays]) for arrays in (columns, owners))
                      ) if columns else {}
    out = dict(tables)
    start = 0
    for (name, column, _), values, ids in zip(places, columns, owners, strict=True):
        end = start + len(values)
        checked = run.column(values, ids, f"{schemas[name]}.{column}",
                             {rule: rows[start:end] for rule, rows in hints.items()})
        if checked is not values:
            out[name] = out[name].set_column(out[name].schema.get_field_index(column), column, checked)
        start = end
    return out, run.findings()
