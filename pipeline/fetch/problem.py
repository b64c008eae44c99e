"""The one way the fetch modules report a page they could not or would not fetch."""

from __future__ import annotations

from pipeline.core.findings import Finding, error, info, warning

FIELD = "page"


class FetchProblem(Exception):
    """Carries the finding for a page that was refused or failed; caught once per card."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def failed(check: str, message: str, raw: str = "") -> FetchProblem:
    """A page that could not be fetched or was refused: an error finding."""
    return FetchProblem(error(f"fetch.{check}", FIELD, message, raw))


def skipped(check: str, message: str, raw: str = "") -> FetchProblem:
    """A page deliberately not fetched (robots.txt): a warning finding."""
    return FetchProblem(warning(f"fetch.{check}", FIELD, message, raw))


def absent(check: str, message: str, raw: str = "") -> FetchProblem:
    """A page that does not exist where that is normal (404 in a discovered range): info."""
    return FetchProblem(info(f"fetch.{check}", FIELD, message, raw))
