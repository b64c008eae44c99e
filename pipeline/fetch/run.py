"""``fetch_cards``: download a source's cards into a snapshot folder, one card at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.core.errors import UserError
from pipeline.core.findings import Finding, error, info, warning
from pipeline.core.sources import Source

from .discover import discover_ids
from .http import Client, Page
from .problem import FIELD, FetchProblem
from .robots import Robots
from .snapshot import (
    Manifest,
    finding_entry,
    is_valid_native_id,
    load_manifest,
    page_file_name,
    save_manifest,
    sha256_hex,
    utc_now,
    write_atomic,
)

LOCK = ".manifest.json.lock"
GONE = frozenset({404, 410})


@dataclass
class FetchReport:
    """What a fetch did: counts (requested = downloaded + not_modified + failed + skipped) and findings.

    failed: the card ended with an error finding (refused, network, 5xx, truncated, too large,
    invalid id); skipped: not downloaded for a reason that is not an error (no such card,
    robots.txt). Findings are (card native id, finding); listing-page findings have id "".
    """

    requested: int = 0
    downloaded: int = 0
    not_modified: int = 0
    failed: int = 0
    skipped: int = 0
    findings: list[tuple[str, Finding]] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    """How one card went: one of the FetchReport counters, and the finding if any."""

    kind: str
    url: str
    finding: Finding | None = None


@dataclass
class Run:
    """What every card of one fetch shares."""

    source: Source
    folder: Path
    client: Client
    robots: Robots
    manifest: Manifest
    discovered: bool


def conditional_headers(entry: dict | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from a stored page's validators."""
    if entry is None:
        return {}
    headers = {"If-None-Match": entry.get("etag"), "If-Modified-Since": entry.get("last_modified")}
    return {name: value for name, value in headers.items() if value}


def page_entry(file: str, native_id: str, page: Page) -> dict:
    """The manifest record of a page just stored."""
    return {
        "file": file,
        "native_id": native_id,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "content_type": page.headers.get("Content-Type"),
        "etag": page.headers.get("ETag"),
        "last_modified": page.headers.get("Last-Modified"),
        "retrieved_at": utc_now(),
        "sha256": sha256_hex(page.body),
        "bytes": len(page.body),
    }


def gone_finding(status: int, stored: bool, discovered: bool) -> Finding:
    """A 404/410: normal in a discovered range, worth a warning for a named id or a card that vanished."""
    if stored:
        return warning("fetch.gone", FIELD, f"HTTP {status}: card no longer published; stored copy kept")
    if discovered:
        return info("fetch.no_such_card", FIELD, f"HTTP {status}: no card with this id")
    return warning("fetch.no_such_card", FIELD, f"HTTP {status}: no card with this id")


def judge(run: Run, native_id: str, file: str, page: Page, stored: dict | None) -> Outcome:
    """Store a 200, keep the stored copy on 304, report anything else."""
    if page.status == 304 and stored is not None:
        return Outcome("not_modified", page.url)
    if page.status in GONE:
        return Outcome("skipped", page.url, gone_finding(page.status, stored is not None, run.discovered))
    if page.status != 200:
        kept = "; stored copy kept" if stored is not None else ""
        return Outcome("failed", page.url, error("fetch.http_status", FIELD, f"HTTP {page.status}{kept}"))
    write_atomic(run.folder / file, page.body)
    run.manifest.pages[file] = page_entry(file, native_id, page)
    return Outcome("downloaded", page.url)


def fetch_card(run: Run, native_id: str) -> Outcome:
    """Fetch one card; every way it can go wrong ends as an Outcome with a finding, not an exception."""
    if not is_valid_native_id(native_id):
        message = "card id must be letters, digits, '_' or '-' only; not used"
        return Outcome("failed", "", error("fetch.invalid_id", FIELD, message, native_id))
    url = run.source.page_url_for(native_id)
    file = page_file_name(native_id, url, run.source.hosts)
    stored = run.manifest.stored(run.folder, file)
    try:
        page = run.client.fetch(url, conditional_headers(stored), may_fetch=run.robots.check)
    except FetchProblem as problem:
        kind = "failed" if problem.finding.severity == "error" else "skipped"
        return Outcome(kind, url, problem.finding)
    return judge(run, native_id, file, page, stored)


def read_listing(run: Run, url: str) -> tuple[int, bytes]:
    """A listing page's status and body, under the same rules as cards."""
    page = run.client.fetch(url, may_fetch=run.robots.check)
    return page.status, page.body


def card_ids(run: Run, ids: Iterable[str] | None, report: FetchReport) -> list[str]:
    """The given ids (order kept, duplicates dropped), or discovered ones; listing problems are reported."""
    if ids is not None:
        return list(dict.fromkeys(ids))
    found, problems = discover_ids(run.source, lambda url: read_listing(run, url))
    report.findings.extend(("", finding) for _url, finding in problems)
    run.manifest.replace_findings({""}, [finding_entry("", url, finding) for url, finding in problems])
    return found


def record(report: FetchReport, native_id: str, outcome: Outcome) -> dict | None:
    """Count an outcome; returns its manifest findings entry, if it has a finding."""
    setattr(report, outcome.kind, getattr(report, outcome.kind) + 1)
    if outcome.finding is None:
        return None
    report.findings.append((native_id, outcome.finding))
    return finding_entry(native_id, outcome.url, outcome.finding)


def crawl(run: Run, ids: list[str], report: FetchReport, progress: Callable[[int, int], None] | None) -> None:
    """Fetch each card in turn; the manifest is saved at the end even if the crawl is interrupted."""
    entries: list[dict] = []
    done: set[str] = set()
    try:
        for count, native_id in enumerate(ids, 1):
            entry = record(report, native_id, fetch_card(run, native_id))
            done.add(native_id)
            if entry is not None:
                entries.append(entry)
            if progress is not None:
                progress(count, len(ids))
    finally:
        run.manifest.replace_findings(done, entries)
        save_manifest(run.folder, run.manifest)


def fetch_cards(
    source: Source,
    snapshot_dir: Path,
    ids: Iterable[str] | None = None,
    *,
    allow_private_hosts: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> FetchReport:
    """Download cards (given ids, or discovered ones) into snapshot_dir and update its manifest.

    Unchanged cards are not downloaded again (conditional GET); a card that fails keeps its
    previous copy. ``allow_private_hosts`` lets tests reach a server on 127.0.0.1.
    """
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(snapshot_dir / LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise UserError(f"another fetch is writing to {snapshot_dir}; wait for it to finish") from exc
    try:
        client = Client(source.fetch, source.hosts, allow_private_hosts=allow_private_hosts)
        with closing(client):
            run = Run(source, snapshot_dir, client, Robots(client), load_manifest(snapshot_dir), ids is None)
            report = FetchReport()
            wanted = card_ids(run, ids, report)
            report.requested = len(wanted)
            crawl(run, wanted, report, progress)
            return report
    finally:
        lock.release()
