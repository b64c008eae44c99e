"""Which names a segment's published cells may hold: a key for each pair of capitalised words in a row.

Kept with each segment's check, so that once every card is read (see validate/known_names.py) only a
segment holding the first two words of a known name is read again. Keys are 64-bit hashes,
stable across processes and runs; a collision only costs a needless look.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from itertools import pairwise

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .cells import guarded_columns
from .personal_data import NAME_HINT, run_words

_KEY = np.dtype("<u8")


def pair_key(first: str, second: str) -> int:
    """The key of two case-folded words in a row."""
    return int.from_bytes(hashlib.blake2b(f"{first}\0{second}".encode(), digest_size=8).digest(), "little")


def hinted(column: pa.Array, rows: list[int] | None = None) -> pa.Array:
    """The cells where names are looked for: the name hint matches (and the row is one of `rows`, when given)."""
    chosen = pc.fill_null(pc.match_substring_regex(column, NAME_HINT), False)
    if rows is not None:
        chosen = pc.and_(chosen, pc.is_in(pa.array(range(len(column)), pa.int64()),
                                          value_set=pa.array(rows, pa.int64())))
    return chosen


def _pairs(texts: Iterable[str]) -> set[int]:
    return {pair_key(first, second) for text in texts for words in run_words(text)
            for first, second in pairwise(words)}


def segment_keys(tables: Iterable[tuple[pa.Table, str]]) -> str:
    """The keys of a segment's published cells, given (published rows, schema name) pairs; base64 text.

    All the cells go through the hint in one call (pyarrow compiles the pattern anew on every call).
    """
    cells = [table.column(name).combine_chunks().cast(pa.large_string())
             for table, schema in tables for name in guarded_columns(schema)]
    texts = pa.concat_arrays(cells) if cells else pa.array([], pa.large_string())
    keys = _pairs(set(texts.filter(hinted(texts)).to_pylist()))  # organisation names and labels repeat
    return base64.b64encode(np.array(sorted(keys), _KEY).tobytes()).decode("ascii")


def decoded_keys(encoded: str) -> np.ndarray:
    """The keys segment_keys encoded."""
    return np.frombuffer(base64.b64decode(encoded), _KEY)


def keys_of(names: Iterable[tuple[str, ...]]) -> dict[int, set[tuple[str, ...]]]:
    """The names by the key of their first two words."""
    found: dict[int, set[tuple[str, ...]]] = {}
    for name in names:
        found.setdefault(pair_key(name[0], name[1]), set()).add(name)
    return found
