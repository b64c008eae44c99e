"""Parallel map with a bounded number of jobs in flight, so inputs are not all loaded at once."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import TypeVar

from .gc_policy import fewer_collections

T = TypeVar("T")
R = TypeVar("R")


def bounded_map(pool: Executor, fn: Callable[[T], R], items: Iterable[T], window: int) -> Iterator[R]:
    """Like pool.map, in order, but with at most `window` submitted jobs not yet consumed."""
    pending: deque[Future[R]] = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes with the pipeline's garbage-collector policy (also when they are spawned, not forked)."""
    return ProcessPoolExecutor(max_workers=workers, initializer=fewer_collections)


_END = object()


def prefetched(items: Iterable[T]) -> Iterator[T]:
    """The items in order, the next one made in a second thread while the caller works on this one.

    Two steps that release the GIL (Arrow copies, then compression) overlap this way.
    """
    iterator = iter(items)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(next, iterator, _END)
        while (item := pending.result()) is not _END:
            pending = pool.submit(next, iterator, _END)
            yield item
