"""Shared fixtures: the repository's real snapshot and source declaration, and one pipeline run on them."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from pipeline.core.sources import Source, source_by_key

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "sources" / "oulu-hanketietokanta" / "snapshot"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = "kuutoskaupunkien-avoimet-innovaatioalustat.txt"
# Material the repository must not copy (official shapes, vocabularies, real source files) is read in place
# from the shared/ folder beside the checkout; HANKEDATA_SHARED points elsewhere.
SHARED = Path(os.environ.get("HANKEDATA_SHARED") or ROOT.parent / "shared")
# .ci/run sets this: there a missing shared file, browser or service fails the test instead of skipping it.
REQUIRE_ALL = "HANKEDATA_REQUIRE_ALL"


def absent(what: str) -> NoReturn:
    """Skip a test whose outside part (shared data, a browser, a service) is missing; fail in CI."""
    if os.environ.get(REQUIRE_ALL) == "1":
        pytest.fail(f"{what} is missing, and {REQUIRE_ALL}=1 requires it")
    pytest.skip(f"{what} is missing")


def shared_file(*parts: str) -> Path:
    """A file of shared/, or skip (fail in CI) when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.is_file():
        absent(f"shared file {'/'.join(parts)} (set HANKEDATA_SHARED to the shared/ folder)")
    return path
# Parsing a megabyte takes well under a second; catastrophic regex backtracking on it would take hours.
BACKTRACKING_BOUND_SECONDS = 20.0


@contextlib.contextmanager
def no_backtracking() -> Iterator[None]:
    """The block must finish within the bound: a guard against regular expressions that backtrack."""
    started = time.perf_counter()
    yield
    elapsed = time.perf_counter() - started
    assert elapsed < BACKTRACKING_BOUND_SECONDS, f"took {elapsed:.1f} s: catastrophic backtracking?"


# Tests are hermetic: no parsed-card cache shared between test processes unless a test sets one.
os.environ.setdefault("HANKEDATA_CACHE_DIR", "off")


@pytest.fixture(scope="session")
def source() -> Source:
    """The Oulu source declaration as committed."""
    return source_by_key("oulu-hanketietokanta")


@pytest.fixture(scope="session")
def snapshot_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """outputs/ of one `hankedata run` on the bundled snapshot (run in-process)."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("snapshot-run") / "outputs"
    assert main(["run", "--quiet", "--out", str(out)]) == 0
    return out
