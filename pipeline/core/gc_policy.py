"""Fewer garbage-collector passes for a process that holds many long-lived objects."""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 100_000  # net allocations of container objects; CPython's default is 700


def fewer_collections() -> None:
    """Let the youngest generation grow to 100,000 objects before it is collected.

    A run holds a hundred thousand card inputs, and a warm run reads as many stored observations;
    with CPython's default threshold the collector walks all of them again and again, which took a
    quarter of a warm run's listing and cache check. Objects here are freed by reference counting
    (rows are plain dicts, lists and Arrow buffers), so memory barely changes; cycles are still collected.
    """
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, older, oldest)
